r"""The objects of each part that ``--part ID`` loads, and the link to the project's
reference result for that part.

=========  ===========================================================  ====================
part       objects                                                      reference
=========  ===========================================================  ====================
``2.a``    q(z) = N(z; mu, sigma^2), p(z) = N(z; 0, 1), sigma > 0,      ``kl.univariate``
           ell = ln sigma; E means E_q
``2.b``    q_j(z_j) = N(z_j; mu_j, sigma_j^2), p_j(z_j) = N(z_j; 0, 1),  ``kl.diagonal``
           q = prod_j q_j, p = prod_j p_j, Sigma = diag(sigma_j^2), I_m
``fact2``  generic densities q_1, q_2, p_1, p_2; q = q_1 q_2, p = p_1 p_2  ``kl.fact2``
``3.a``    mu_j, ell_j = ln s_j networks of phi (n_phi parameters);       ``elbo.kl_grad_phi``
           s_j = sigma_j = e^{ell_j}; g_{mu,phi}, g_{s,phi} their
           Jacobians (m x n_phi); 1 the ones column
``1.grad`` w, x columns of size d; y real; lambda > 0;                  ``sgd.loss_grad``
           sigma(t) = 1 / (1 + e^{-t}); m = x^T w (the margin)
=========  ===========================================================  ====================

The definitions are written in LaTeX and read by the checker's own parser, like the
lines of a submission. The symbols are the project's own (:mod:`derive.symbols`, declared
once), so that the reference result compares equal.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from types import MappingProxyType
from typing import Callable

import sympy as sp

from check.notation import DEFAULT, Notation

__all__ = ["Part", "PARTS", "part", "reference"]


@dataclass(frozen=True)
class Part:
    """One part: its notation, its rule for explicit matrices at given sizes, and the id
    of the project's result it is compared with."""

    id: str
    title: str
    reference_id: str
    notation: Notation
    explicit: Callable | None = None


def _n(**kw) -> Notation:
    for key in ("domains", "objects", "matrices"):
        if key in kw:
            kw[key] = MappingProxyType(dict(kw[key]))
    return replace(DEFAULT, **kw)


def _part_2a() -> Part:
    from derive.symbols import mu, sigma, z
    return Part("2.a", r"KL(N(mu, sigma^2) || N(0, 1))", "kl.univariate", _n(
        objects={"mu": mu, "sigma": sigma, "z": z, "ell": sp.Symbol("ell", real=True)},
        definitions=(r"q(z) := \mathcal{N}(z; \mu, \sigma^2)", r"p(z) := \mathcal{N}(z; 0, 1)",
                     r"\ell := \ln\sigma"),
        default_expectation="q"))


def _explicit_2b(obj, config):
    """At size m: Sigma = diag(sigma_1^2, ..., sigma_m^2)."""
    from derive.symbols import SIGMA, m, sigma_i
    k = config.get(m)
    if isinstance(obj, sp.MatrixSymbol) and k is not None and obj.name == SIGMA.name:
        return sp.diag(*[sigma_i[a] ** 2 for a in range(1, k + 1)])
    return None


def _part_2b() -> Part:
    from derive.symbols import MU, SIGMA, m, mu_i, sigma_i, z_i
    return Part("2.b", r"KL(N(mu, diag(sigma^2)) || N(0, I_m))", "kl.diagonal", _n(
        domains={"z": "real"},
        objects={"mu": MU, "Sigma": SIGMA, "mu[]": mu_i, "sigma[]": sigma_i, "z[]": z_i, "m": m,
                 "I_m": sp.Identity(m), "I": sp.Identity(m)},
        definitions=(r"q_j(z_j) := \mathcal{N}(z_j; \mu_j, \sigma_j^2)", r"p_j(z_j) := \mathcal{N}(z_j; 0, 1)",
                     r"q(z) := \prod_{j=1}^{m} q_j(z_j)", r"p(z) := \prod_{j=1}^{m} p_j(z_j)"),
        default_expectation="q"), _explicit_2b)


def _part_fact2() -> Part:
    from derive.symbols import p_1, p_2, q_1, q_2
    return Part("fact2", "KL(q_1 q_2 || p_1 p_2) = KL(q_1 || p_1) + KL(q_2 || p_2)", "kl.fact2", _n(
        domains={"z": "real"}, densities=frozenset(f.__name__ for f in (q_1, q_2, p_1, p_2)),
        definitions=(r"q(z_1, z_2) := q_1(z_1) q_2(z_2)", r"p(z_1, z_2) := p_1(z_1) p_2(z_2)")))


def _explicit_3a(obj, config):
    """At (m, n_phi): mu_j, ell_j undefined real functions of phi_1..phi_n; s = e^ell; the
    Jacobians g_{mu,phi}, g_{s,phi} of mu and ell."""
    from derive.symbols import G_MU, G_S, MU, ONES, S, m as m_, n_phi
    m, n = config.get(m_), config.get(n_phi)
    if m is None or n is None:
        return None
    phis = sp.symbols(f"phi_1:{n + 1}", real=True)
    mu = sp.Matrix([sp.Function(f"mu_{a}", real=True)(*phis) for a in range(1, m + 1)])
    ell = sp.Matrix([sp.Function(f"ell_{a}", real=True)(*phis) for a in range(1, m + 1)])
    if isinstance(obj, sp.Indexed):
        a = int(obj.indices[0])
        column = {"mu": mu, "ell": ell, "s": ell.applyfunc(sp.exp), "sigma": ell.applyfunc(sp.exp)}.get(
            obj.base.label.name)
        return column[a - 1] if column is not None and 1 <= a <= m else None
    rules = {MU.name: lambda: mu, S.name: lambda: ell.applyfunc(sp.exp), ONES.name: lambda: sp.ones(m, 1),
             G_MU.name: lambda: mu.jacobian(phis), G_S.name: lambda: ell.jacobian(phis),
             "phi": lambda: sp.Matrix(phis), "ell": lambda: ell}
    rule = rules.get(obj.name)
    return sp.ImmutableMatrix(rule()) if rule else None


def _part_3a() -> Part:
    from derive.symbols import G_MU, G_S, MU, ONES, S, ell_i, m, mu_i, n_phi
    phi = sp.MatrixSymbol("phi", n_phi, 1)
    ell = sp.MatrixSymbol("ell", m, 1)
    return Part("3.a", r"nabla_phi KL(q_phi(z|x) || N(0, I))", "elbo.kl_grad_phi", _n(
        domains={"mu": "real", "ell": "real", "s": "positive", "sigma": "positive"},
        objects={"g_{\\mu,\\phi}": G_MU, "g_{s,\\phi}": G_S, "mu": MU, "s": S, "\\mathbf{1}": ONES,
                 "phi": phi, "ell": ell, "n_{\\phi}": n_phi, "m": m, "mu[]": mu_i, "ell[]": ell_i,
                 "s[]": sp.IndexedBase("s", positive=True), "sigma[]": sp.IndexedBase("sigma", positive=True),
                 "mu_{\\phi}": MU, "s_{\\phi}": ell},
        applied=frozenset({"mu_{\\phi}", "s_{\\phi}"}),
        sizes=frozenset({"m", "n_{\\phi}"}),
        definitions=(r"s_j := e^{\ell_j}", r"\sigma_j := e^{\ell_j}")), _explicit_3a)


def _part_sgd() -> Part:
    from derive.symbols import lam, logistic, margin, w_vec, x_vec, y
    return Part("1.grad", r"nabla_w [ln(1 + e^{-y x^T w}) + lambda/2 ||w||^2]", "sgd.loss_grad", _n(
        domains={"t": "real"},
        objects={"lambda": lam, "y": y, "m": margin, "w": w_vec, "x": x_vec},
        functions=DEFAULT.functions | {logistic.__name__}, sizes=frozenset({"d"}),
        definitions=(r"\sigma(t) := \frac{1}{1 + e^{-t}}", r"m := x^T w")))


PARTS = {"2.a": _part_2a, "2.b": _part_2b, "fact2": _part_fact2, "3.a": _part_3a, "1.grad": _part_sgd}


@lru_cache(maxsize=None)
def part(pid: str) -> Part:
    """The part with id ``pid`` (one of :data:`PARTS`).

    >>> part("2.a").reference_id
    'kl.univariate'
    """
    return PARTS[pid]()


def reference(p: Part):
    """``(result, written)``: the project's reference result for ``p`` and the last line of
    its derivation as written (``written`` is what "simplest" is measured against): the last
    line in the result's own form, so a matrix form displayed after a coordinate-wise result
    (2.b) is not the yardstick for a coordinate-wise answer."""
    import sympy as sp
    from derive.topics import get
    d = get(p.reference_id)
    mats = lambda e: e.atoms(sp.MatrixSymbol) if isinstance(e, sp.Basic) else set()
    lines = [s.rhs for s in d.steps if mats(s.rhs) <= mats(d.result)]
    return d.result, (lines[-1] if lines else d.result)
