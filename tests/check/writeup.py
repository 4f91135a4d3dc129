"""The writeup's own derivations fed back to the checker (``python -m derive --format latex``,
one derivation at a time, with a notation file declaring the derivation's symbols)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import sympy as sp
from sympy.core.function import AppliedUndef

from check.checker import check_text, load_notation
from check.lexer import ReadError
from check.notation import NotationError
from derive.engine.render import assumptions_of
from derive.printing import DOCUMENT, latex as _latex, to_latex

__all__ = ["notation_toml", "derivation_file", "PART_OF", "feed_back", "Fed", "MACROS"]


def latex(expr) -> str:
    """A name as the writeup prints it (:data:`derive.symbols.DOCUMENT`), so that the notation
    file declares the names the fed-back text uses."""
    return _latex(expr, DOCUMENT)


# the writeup's macros, read as the checker's names: \sigmoid is the logistic function sigma
MACROS = {r"\sigmoid": r"\sigma"}

# derivations that belong to a part are fed back with that part's objects (the relations the
# writeup states in words: the margin m = x^T w, the Jacobians g_{mu,phi} of mu_phi, ...)
PART_OF = {"kl.univariate": "2.a", "kl.univariate_direct": "2.a", "kl.fact1": "2.b", "kl.diagonal": "2.b",
           "kl.fact2": "fact2",
           "elbo.kl_grad_phi": "3.a", "sgd.loss_grad": "1.grad", "sgd.lsq_grad": "1.grad"}

_DOMAIN = [(("integer", "positive"), "positive integer"), (("integer", "nonnegative"), "nonnegative integer"),
           (("positive",), "positive"), (("nonnegative",), "nonnegative"), (("negative",), "negative"),
           (("integer",), "integer"), (("real",), "real")]


def _domain(facts: list[str]) -> str | None:
    for combo, name in _DOMAIN:
        if all(f in facts for f in combo):
            return name
    return None


def _toml_key(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


# relations the writeup states in words beside a step, declared as a notation file would:
# inequalities the numeric checks sample under ([definitions] assume) ...
ASSUME = {"sgd.polyak_alpha": [r"L \ge c"],
          "sgd.polyak_beta": [r"\rho < 1"]}  # "rho := sqrt(beta*) in [0, 1)"
# ... and definitions ([definitions] lines), each the relation a tag states in words
DEFINE = {
    # "alpha v_t = w_{t-1} - w_t: the update of step t (same alpha)"
    "sgd.heavy_ball": [r"v_{t} := \frac{w_{t-1} - w_{t}}{\alpha}"],
    # "the double-root conditions (1+rho)^2 = alpha L, (1-rho)^2 = alpha c, with rho := sqrt(beta*)"
    "sgd.polyak_beta": [r"L := \frac{(1 + \rho)^2}{\alpha}", r"c := \frac{(1 - \rho)^2}{\alpha}",
                        r"\beta^{\star} := \rho^2"],
    # the title "the optimal discriminator D*", the tag "... the maximiser" of J over eta = D(x) in (0, 1)
    "gan.optimal_discriminator": [r"D^{\star}(x) := \operatorname*{arg\,max}_{\eta \in (0, 1)} J(\eta)"],
    # gan.disc_loss_grad: the title "l_D = -ln D(x_r) - ln(1 - D(x_f)) with D = sigma(h)" and the first
    # row's tag "D = sigma(h), w = (w_0, w_1, w_2)"
    "gan.disc_loss_grad": [r"D(x) := \sigma(h(x))", r"\ell_D(x_r, x_f) := -\ln D(x_r) - \ln(1 - D(x_f))",
                           r"w := (w_0, w_1, w_2)"],
    # the generator losses: the first row's tag "G(z) = az + b, D = sigma(h)" (G is the row's Let line)
    "gan.gen_minimax_grad": [r"D(x) := \sigma(h(x))"],
    "gan.gen_nonsat_grad": [r"D(x) := \sigma(h(x))"],
    # gan.tanh_unit_grads: the title "per-layer rule of the MLPs: v tanh(ux + c) + d" and the tag "one
    # hidden unit" (the notes' y(x) = sum_k v_k tanh(u_k x + c_k) + d with one unit)
    "gan.tanh_unit_grads": [r"y := v \tanh(u x + c) + d"],
    # gan.optimal_discriminator_at_equilibrium: the first row's tag "D* = p_data/(p_data + p_G) with p_G = p_data"
    # (the title of gan.optimal_discriminator; the row's claim is the p_G = p_data part)
    "gan.optimal_discriminator_at_equilibrium": [r"D^{\star}(x) := \frac{p_{\mathrm{data}}(x)}{p_{\mathrm{data}}(x) + p_G(x)}"],
}
# functions the prose names that no expression of the derivation holds (declared as generic
# densities): p_G, the generator's density, in D* = q/(q + p_G)
DENSITIES = {"gan.optimal_discriminator_at_equilibrium": ["p_{G}"]}

# the minibatch rows: the first row's tag of sgd.minibatch_mean says "g_B = (1/n') sum_{i in B} g_i,
# B uniform over the binom(n, n') subsets of size n'"; the first row's tag of sgd.minibatch_variance
# says "B uniform over the subsets of size n'" (its g_B is the same section's g_B, defined in
# sgd.minibatch_mean's tag)
_MINIBATCH = [r"B \sim \mathrm{Subset}(n, n^{\prime})", r"g_B := \frac{1}{n^{\prime}}\sum_{i\in B} g_i"]
DEFINE.update({"sgd.minibatch_mean": _MINIBATCH, "sgd.minibatch_variance": _MINIBATCH})
# ... and the distribution of an E (or Var) without subscript ([definitions] default_expectation):
# B, the only random quantity of those rows
DEFAULT_EXPECTATION = {"sgd.minibatch_mean": "B", "sgd.minibatch_variance": "B"}
# kl.gaussians, first row: "q = N(mu_0, Sigma_0), p = N(mu_1, Sigma_1)" (densities of z in R^m);
# last row: "mu_0 = mu, Sigma_0 = diag(sigma^2), mu_1 = 0, Sigma_1 = I_m" (q_diag is q there, sigma^2
# the entrywise square of the column sigma)
# sgd.lsq_grad, first row's tag: "u = x^T w" (the margin; part 1.grad defines its own name m for it)
DEFINE["sgd.lsq_grad"] = [r"u := x^{\top} w"]
DEFINE["kl.gaussians"] = [r"q(z) := \mathcal{N}(z; \mu_0, \Sigma_0)", r"p(z) := \mathcal{N}(z; \mu_1, \Sigma_1)",
                          r"q_{\mathrm{diag}}(z) := \mathcal{N}(z; \mu, \operatorname{diag}(\sigma^{\circ 2}))"]
# gan.gaussian_log_ratio, first row: "p_data = N(mu_data, sigma_data^2), p_G = N(mu_G, sigma_G^2)"
DEFINE["gan.gaussian_log_ratio"] = [r"p_{\mathrm{data}}(x) := \mathcal{N}(x; \mu_{\mathrm{data}}, \sigma_{\mathrm{data}}^{2})",
                                    r"p_{G}(x) := \mathcal{N}(x; \mu_{G}, \sigma_{G}^{2})"]
# ... and the shapes those definitions need (mu, sigma the columns of q_diag)
SHAPES = {"kl.gaussians": {r"\mu": ("m", 1), r"\sigma": ("m", 1)}}
# the encoder q_phi(z|x) of Problem 3 is 2.b's diagonal Gaussian of z in R^m with mean mu = mu_phi(x):
# elbo.kl_grad_phi, first row's tag "2.b with sigma_j = s_j = e^{ell_j}, ell = s_phi(x)" (so sigma_j^2 =
# e^{2 ell_j}; mu, ell the networks of phi of part 3.a); elbo.kl_grad_logvar, first row's tag "2.b with
# sigma_j^2 = e^{v_j}, v = v_phi(x)" (mu, v declared in RELATIONS). The rows' claim, the gradient of 2.b's
# closed form, is not declared.
DEFINE["elbo.kl_grad_phi"] = [r"q_{\phi}(z \mid x) := \mathcal{N}(z; \mu, \operatorname{diag}(e^{2 \ell}))"]
DEFINE["elbo.kl_grad_logvar"] = [r"q_{\phi}(z \mid x) := \mathcal{N}(z; \mu, \operatorname{diag}(e^{v}))"]
SHAPES.update({"elbo.kl_grad_phi": {"z": ("m", 1)}, "elbo.kl_grad_logvar": {"z": ("m", 1)}})

# dependencies and Jacobians the writeup states in words ([depends], [jacobians] tables of
# check/jacobians.py); never a step's own claim
# (15)'s Bernoulli decoder, ln p(x|z) = sum_k x_k ln pi_k(z) + (1 - x_k) ln(1 - pi_k(z)), as p = e^{ln p}
BERNOULLI = (r"p(x \mid z) := e^{\sum_{k=1}^{d} \left(x_k \ln \pi_k(z) + (1 - x_k) \ln\left(1 - \pi_k(z)\right)\right)}")
# (15)'s estimator of the reconstruction term, over the samples z_i
R_HAT = r"\hat{R} := \frac{1}{n_{\epsilon}} \sum_{i=1}^{n_{\epsilon}} \ln p(x \mid z_i)"
RELATIONS = {
    # elbo.vjp_chain, first row: "row k of g_{y,w} is (nabla_w y_k)^T; v does not depend on w";
    # second row's prose: "y = f(h(w))" with g_{y,h}, g_{h,w} the Jacobians of the two maps
    # (the row's claim, g_{y,w} = g_{y,h} g_{h,w}, is the chain rule, not declared)
    "elbo.vjp_chain": {"depends": {"y": ["h"], "h": ["w"]},
                       "jacobians": {"g_{y,w}": ["y", "w"], "g_{y,h}": ["y", "h"], "g_{h,w}": ["h", "w"]},
                       "matrices": {"h": ["n_{\\mathrm{in}}", 1]}},
    # elbo.kl_grad_logvar: "v = v_phi(x)" (first row) and the encoder mean mu = mu_phi(x) (part 3.a's
    # networks of phi); the notes: "g_{v,phi} = dv/dphi in R^{m x n_phi} and e^{v} is taken
    # elementwise" (so e^{v} is not a matrix name: the parser reads it as e^{v} of the column v)
    "elbo.kl_grad_logvar": {"depends": {"\\mu": ["\\phi"], "v": ["\\phi"]},
                            "jacobians": {"g_{\\mu,\\phi}": ["\\mu", "\\phi"], "g_{v,\\phi}": ["v", "\\phi"]},
                            "matrices": {"\\phi": ["n_{\\phi}", 1], "v": ["m", 1]}, "undeclare": ["e^{v}"]},
    # elbo.rec_grad_theta: the samples z_i (a family of m x 1 columns; first row: "z_i does not depend on
    # theta"), the decoder pi = pi_theta(z) with g_{pi,theta}(z_i) its Jacobian in theta at z_i (notes:
    # "g_{pi,theta}(z_i) in R^{d x n_theta}"), r(z_i) defined by the Let row, and (15)'s Bernoulli decoder
    # (BERNOULLI) and its estimator R-hat (R_HAT); n_eps, the number of samples, is a size
    "elbo.rec_grad_theta": {
        "families": {"z_{i}": ["m", 1]}, "sizes": ["n_{\\epsilon}"],
        "depends": {"\\pi": ["z", "\\theta"], "r": ["z"]},
        "jacobians": {"g_{\\pi,\\theta}": ["\\pi", "\\theta"]},
        "matrices": {"\\pi": ["d", 1], "\\theta": ["n_{\\theta}", 1], "z": ["m", 1], "x": ["d", 1], "r": ["d", 1],
                     "g_{\\pi,\\theta}": ["d", "n_{\\theta}"]},
        "definitions": [BERNOULLI, R_HAT],
        "undeclare": ["\\pi(z_{i})", "g_{\\pi,\\theta}(z_{i})", "r(z_{i})", "\\nabla_{\\theta} \\ln p(x \\mid z_{i})"]},
    # elbo.logit_head: the title "pi = sigma(a_theta(z))" (the logits a, a column of z and theta, pi their
    # sigmoid entrywise: sigma(t) := 1/(1 + e^{-t}), the notes' "pi = sigma(a)"), the Jacobians g_{pi,z},
    # g_{pi,theta}, g_{a,z}, g_{a,theta} of pi and a at z_i (the first row's tag names g_{pi,z} and g_{a,z}),
    # r(z_i) defined by the Let row, R-hat from (15); row 6's "3.b": the samples z_i = mu + s o eps_i and
    # the encoder (mu, ell, s = e^{ell}, g_{mu,phi}, g_{s,phi}) as in elbo.rec_grad_phi (the rows' claims,
    # g_{pi,.} = diag(pi o (1 - pi)) g_{a,.} and its products, are not declared: they follow from
    # pi_k := sigma(a_k))
    "elbo.logit_head": {
        "families": {"z_{i}": ["m", 1], "\\epsilon_{i}": ["m", 1]}, "sizes": ["n_{\\epsilon}"],
        "depends": {"\\mu": ["\\phi"], "\\ell": ["\\phi"], "\\pi": ["z", "\\theta"], "a": ["z", "\\theta"],
                    "r": ["z"]},
        "jacobians": {"g_{\\mu,\\phi}": ["\\mu", "\\phi"], "g_{s,\\phi}": ["\\ell", "\\phi"],
                      "g_{\\pi,\\theta}": ["\\pi", "\\theta"], "g_{\\pi,z}": ["\\pi", "z"],
                      "g_{a,\\theta}": ["a", "\\theta"], "g_{a,z}": ["a", "z"]},
        "matrices": {"\\mu": ["m", 1], "\\ell": ["m", 1], "\\phi": ["n_{\\phi}", 1],
                     "\\pi": ["d", 1], "a": ["d", 1], "\\theta": ["n_{\\theta}", 1], "z": ["m", 1], "x": ["d", 1],
                     "r": ["d", 1], "g_{\\pi,\\theta}": ["d", "n_{\\theta}"], "g_{\\pi,z}": ["d", "m"],
                     "g_{a,\\theta}": ["d", "n_{\\theta}"], "g_{a,z}": ["d", "m"]},
        "definitions": [r"\sigma(t) := \frac{1}{1 + e^{-t}}", r"\pi_k := \sigma(a_k)", r"s := e^{\ell}",
                        r"z_{i} := \mu + s \circ \epsilon_{i}", BERNOULLI, R_HAT],
        "undeclare": ["\\pi(z_{i})", "g_{\\pi,\\theta}(z_{i})", "g_{\\pi,z}(z_{i})", "g_{a,\\theta}(z_{i})",
                      "g_{a,z}(z_{i})", "r(z_{i})"]},
    # elbo.rec_grad_phi: the first row's tag "z_i = mu + s o eps_i" (a [definitions] line) with the
    # eps_i a family of m x 1 columns held fixed ("the eps_i are held fixed", notes); part 3.a's
    # encoder networks of phi, mu and ell, with "s = e^{ell} elementwise" and "row j of g_{mu,phi} is
    # (nabla_phi mu_j)^T, of g_{s,phi} is (nabla_phi ell_j)^T" (so g_{s,phi} = [ell, phi]); the decoder
    # pi = pi(z) with g_{pi,z}(z_i) its Jacobian at z_i (notes: "g_{pi,z}(z_i) in R^{d x m}"), r(z_i)
    # defined by the Let row, (15)'s Bernoulli decoder (BERNOULLI); n_eps, the number of samples, a size.
    # (The rows' claims, dz_i/dphi = g_{mu,phi} + diag(s o eps_i) g_{s,phi} and the chain rules, are
    # not declared.)
    "elbo.rec_grad_phi": {
        "families": {"z_{i}": ["m", 1], "\\epsilon_{i}": ["m", 1]}, "sizes": ["n_{\\epsilon}"],
        "depends": {"\\mu": ["\\phi"], "\\ell": ["\\phi"], "\\pi": ["z"], "r": ["z"]},
        "jacobians": {"g_{\\mu,\\phi}": ["\\mu", "\\phi"], "g_{s,\\phi}": ["\\ell", "\\phi"],
                      "g_{\\pi,z}": ["\\pi", "z"]},
        "matrices": {"\\mu": ["m", 1], "\\ell": ["m", 1], "\\phi": ["n_{\\phi}", 1], "\\pi": ["d", 1],
                     "z": ["m", 1], "x": ["d", 1], "r": ["d", 1], "g_{\\pi,z}": ["d", "m"]},
        "definitions": [r"s := e^{\ell}", r"z_{i} := \mu + s \circ \epsilon_{i}", BERNOULLI, R_HAT],
        "undeclare": ["\\pi(z_{i})", "g_{\\pi,z}(z_{i})", "r(z_{i})", "\\nabla_{z} \\ln p(x \\mid z_{i})",
                      "\\epsilon_{i}", "\\left(\\frac{\\partial z_{i}}{\\partial \\phi}\\right)"]},
}


def _relations(d) -> list[str]:
    """The [depends] and [jacobians] tables (and the columns they name) of :data:`RELATIONS`."""
    rel = RELATIONS.get(d.id)
    if not rel:
        return [], []
    q = lambda v: _toml_key(v) if isinstance(v, str) else str(v)
    mats = [f"{_toml_key(k)} = [{q(r)}, {q(c)}]" for k, (r, c) in rel.get("matrices", {}).items()]
    out = []
    if rel.get("families"):
        out += ["[families]", *(f"{_toml_key(k)} = [{q(r)}, {q(c)}]" for k, (r, c) in rel["families"].items()), ""]
    for table in ("depends", "jacobians"):
        out += [f"[{table}]", *(f"{_toml_key(k)} = [" + ", ".join(_toml_key(x) for x in v) + "]"
                                for k, v in rel.get(table, {}).items()), ""]
    return mats, out


def notation_toml(d) -> str:
    """Domains of the derivation's symbols, its matrices' shapes, its undefined functions as
    generic densities: what the writeup's prose declares."""
    syms, mats, dens = [], [], set()
    defined = {name for name, _ in d.where if isinstance(name, sp.FunctionClass)}
    exprs = [d.lhs, d.start, d.result, *(s.rhs for s in d.steps), *(s.lhs for s in d.steps if s.lhs is not None),
             *(v.expr if isinstance(v, sp.Lambda) else v for _, v in d.where)]
    atoms = set(d.symbols)
    atoms |= {name for name, _ in d.where if isinstance(name, (sp.Symbol, sp.MatrixSymbol))}
    for e in exprs:
        if isinstance(e, sp.Basic):
            atoms |= {a for a in e.free_symbols if isinstance(a, (sp.Symbol, sp.IndexedBase, sp.MatrixSymbol))}
            dens |= {DOCUMENT.function_names.get(f.func.__name__, f.func.__name__)   # as printed
                     for f in e.atoms(AppliedUndef) if f.func not in defined}
    seen, seen_mats = set(), set()  # a column z and its entries z_j (an index base z) share a name
    for s in sorted(atoms, key=str):
        if isinstance(s, sp.MatrixSymbol):
            if latex(s) not in seen_mats and latex(s) not in RELATIONS.get(d.id, {}).get("undeclare", ()):
                seen_mats.add(latex(s))
                mats.append(f"{_toml_key(latex(s))} = [{_size(s.shape[0])}, {_size(s.shape[1])}]")
            continue
        dom = _domain(assumptions_of(s.label if isinstance(s, sp.IndexedBase) else s))
        name = latex(s.label if isinstance(s, sp.IndexedBase) else s)
        if name in RELATIONS.get(d.id, {}).get("sizes", ()):
            dom = "size"  # a sum's length, checked at explicit sizes like the matrices' sizes
        if dom and not name.startswith("\\mathrm") and name not in seen:
            seen.add(name)
            syms.append(f"{_toml_key(name)} = \"{dom}\"")
    lines, shapes = DEFINE.get(d.id, []) + RELATIONS.get(d.id, {}).get("definitions", []), SHAPES.get(d.id, {})
    mats += [f"{_toml_key(k)} = [{_size(sp.Symbol(r)) if isinstance(r, str) else r}, "
             f"{_size(sp.Symbol(c)) if isinstance(c, str) else c}]" for k, (r, c) in shapes.items() if k not in seen_mats]
    more, tables = _relations(d)
    mats += [m for m in more if m.split(" = ")[0] not in {x.split(" = ")[0] for x in mats}]
    dens |= set(DENSITIES.get(d.id, ()))
    dens -= {line.split("(", 1)[0] for line in lines}
    out = ["[symbols]", *syms, "", "[matrices]", *mats, "", *tables,
           "[macros]", *(f"{_toml_key(k)} = {_toml_key(v)}" for k, v in MACROS.items()), ""]
    if dens:
        out += ["[functions]", "densities = [" + ", ".join(_toml_key(n) for n in sorted(dens)) + "]", ""]
    if d.id in ASSUME or lines:
        out += ["[definitions]"]
        out += ["assume = [" + ", ".join(_toml_key(a) for a in ASSUME[d.id]) + "]"] if d.id in ASSUME else []
        out += ["lines = [" + ", ".join(_toml_key(a) for a in lines) + "]"] if lines else []
        out += [f"default_expectation = {_toml_key(DEFAULT_EXPECTATION[d.id])}"] if d.id in DEFAULT_EXPECTATION else []
        out += [""]
    return "\n".join(out)


def _size(x) -> str:
    return str(int(x)) if getattr(x, "is_Integer", False) else _toml_key(latex(x))


def derivation_file(d) -> str:
    """The derivation as ``python -m derive --format latex`` prints it (an align* block, in the
    writeup's notation :data:`derive.symbols.DOCUMENT`)."""
    return to_latex(d) + "\n"


@dataclass(frozen=True)
class Fed:
    """One derivation fed back: the project's verified rows (line numbers of the rows with a
    ``\\verifiedmark``) and the checker's verdict on each (None: the row gave no step), the
    verdicts of the other steps (the chain's first row, ``lhs = start``, which the project
    takes as its definition), or the reason the derivation could not be fed back at all (its
    notation cannot be declared)."""

    id: str
    part: str | None
    rows: dict
    unfed: str = ""
    others: dict = field(default_factory=dict)


def feed_back(d, tmp: Path) -> Fed:
    """Check ``to_latex(d)`` with the notation of :func:`notation_toml` (and the part the
    derivation belongs to, :data:`PART_OF`)."""
    toml = tmp / f"{d.id}.toml"
    toml.write_text(notation_toml(d))
    tex = derivation_file(d)
    marked = [i + 1 for i, line in enumerate(tex.splitlines()) if "verifiedmark" in line]
    try:
        notation, part = load_notation(PART_OF.get(d.id), str(toml))
    except (NotationError, ReadError) as exc:
        return Fed(d.id, PART_OF.get(d.id), {n: None for n in marked}, unfed=str(exc))
    r = check_text(tex, notation, part, name=d.id, sandbox=False)  # no CPU limit: load-independent
    got = {s.line: s.verdict for s in r.steps}
    return Fed(d.id, PART_OF.get(d.id), {n: got.get(n) for n in marked},
               others={n: v for n, v in got.items() if n not in marked})
