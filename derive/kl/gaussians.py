"""KL between two multivariate Gaussians with full covariances (beyond the seed).

    KL(N(mu_0, Sigma_0) || N(mu_1, Sigma_1))
        = 1/2 (tr(Sigma_1^-1 Sigma_0) + (mu_1 - mu_0)^T Sigma_1^-1 (mu_1 - mu_0) - m
               + ln(|Sigma_1| / |Sigma_0|))

derived from E_q[ln q - ln p] with the Gaussian quadratic-form expectation
E (z - a)^T A (z - a) = tr(A Sigma_0) + (mu_0 - a)^T A (mu_0 - a). For mu_0 = mu,
Sigma_0 = diag(sigma^2), mu_1 = 0, Sigma_1 = I it reduces to the 2.b result.
References: Rasmussen and Williams (2006), GPML, App. A.5; torch.distributions.kl.
"""
from __future__ import annotations

import random

import sympy as sp

from derive.engine.chain import Chain, Derivation
from derive.engine.checks import proved
from derive.engine.diagonal import Diagonal
from derive.engine.sums import entry, sum_normal_form, sums_equal
from derive.engine.explicit import Explicit
from derive.engine.integrals import gaussian_expectation
from derive.engine.verify import NUMERIC, Verdict, VerificationError, verify
from derive.kl.diagonal import diagonal_formula
from derive.kl.facts import index_form, logs_of_products
from derive.ops import EXPLICIT, Expect, QuadForm
from derive.symbols import MU0, MU1, SIGMA0 as S0, SIGMA1 as S1, Z, j, m, mu_i, p, q, sigma_i

__all__ = ["gaussians", "general_formula", "quadratic_moments"]

HALF = sp.Rational(1, 2)
REFS = ("Rasmussen and Williams (2006), Gaussian Processes for Machine Learning, App. A.5, eq. (A.23)",
        "PyTorch, torch.distributions.kl (the MultivariateNormal pair)")


def _diff(a, b):
    return sp.MatAdd(a, -b, evaluate=False)


def _log_normal(mean, cov):
    """ln N(z; mean, cov) = -(m/2) ln 2 pi - 1/2 ln|cov| - 1/2 (z - mean)^T cov^-1 (z - mean)."""
    return (-m * sp.log(2 * sp.pi) / 2 - sp.log(sp.Determinant(cov)) / 2
            - QuadForm(_diff(Z, mean), cov.I) / 2)


def general_formula():
    """1/2 (tr(S1^-1 S0) + (mu1 - mu0)^T S1^-1 (mu1 - mu0) - m + ln(|S1|/|S0|)), for display."""
    return sp.Mul(HALF, sp.Add(sp.Trace(S1.I * S0), QuadForm(_diff(MU1, MU0), S1.I), -m,
                               sp.log(sp.Determinant(S1) / sp.Determinant(S0)), evaluate=False),
                  evaluate=False)


def _random_instance(k: int, rng: random.Random):
    """Exact rational mu_0, mu_1 and Cholesky factors L_0, L_1 (positive diagonal)."""
    r = lambda: sp.Rational(rng.randint(-9, 9), rng.randint(1, 5))
    col = lambda: sp.Matrix([r() for _ in range(k)])
    tri = lambda: sp.Matrix(k, k, lambda a, b: r() if a > b else
                            (sp.Rational(rng.randint(1, 9), rng.randint(1, 4)) if a == b else 0))
    return col(), col(), tri(), tri()


def _instantiate(expr, k: int, seed: int):
    """``expr`` at m = k, random exact parameters, z = mu_0 + L_0 eps, E_q by moments."""
    mu0, mu1, L0, L1 = _random_instance(k, random.Random(seed * 101 + k))
    eps = sp.symbols(f"eps_1:{k + 1}", real=True)
    zk = mu0 + L0 * sp.Matrix(eps)
    expr = expr.subs({sp.log(q(Z)): _log_normal(MU0, S0), sp.log(p(Z)): _log_normal(MU1, S1)})
    values = {m: k, Z: zk, MU0: mu0, MU1: mu1, S0: L0 * L0.T, S1: L1 * L1.T}
    moments = {Expect: lambda e, walk: gaussian_expectation(walk(e.args[0]), eps)}
    return Explicit(values, {**EXPLICIT, **moments})(expr)


def _random_check(a, b, seed=1):
    """Compare at m = 1, 2, 3 for random exact parameters (30-digit evaluation)."""
    for k in (1, 2, 3):
        for s in (seed,):
            x, y = _instantiate(a, k, s), _instantiate(b, k, s)
            if abs(sp.N(x - y, 30)) > sp.Float("1e-25"):
                raise VerificationError(f"at m = {k}: {x} vs {y}")
    return Verdict(NUMERIC, {"tag": "numeric, 3 pts, m <= 3", "sizes": ["m = 1", "m = 2", "m = 3"], "points": 3,
                             "digits": 30, "tolerance": 1e-25, "seed": seed,
                             "why": "one random exact (mu_0, mu_1, L_0, L_1) per m; the expectation by the "
                                    "moments of standard normals"})


def _opaque(*es):
    """Determinants (positive: the covariances are positive definite) and the remaining
    expectations, quadratic forms and traces as unknowns, the same ones in every ``es``."""
    dets = {x: sp.Dummy("det", positive=True) for e in es for x in e.atoms(sp.Determinant)}
    es = [e.xreplace(dets) for e in es]
    rest = {x: sp.Dummy("u") for e in es for x in e.atoms(Expect, QuadForm, sp.Trace)}
    return [e.xreplace(rest) for e in es]


def _log_densities(a, b):
    """Both sides E_q[f]: ln q and ln p written out, the integrands compared for every m."""
    logs = {sp.log(q(Z)): _log_normal(MU0, S0), sp.log(p(Z)): _log_normal(MU1, S1)}
    (fa, qa), (fb, qb) = a.xreplace(logs).args, b.args
    if qa != qb:
        raise VerificationError("expectations under different distributions")
    both = {x: sp.Dummy("u") for x in (fa.atoms(QuadForm) | fb.atoms(QuadForm))}
    dets = {x: sp.Dummy("det", positive=True) for x in (fa.atoms(sp.Determinant) | fb.atoms(sp.Determinant))}
    verdict = verify(fa.xreplace(both).xreplace(dets), fb.xreplace(both).xreplace(dets), how="symbolic")
    return proved(verdict.detail["method"], sizes="every m", why="ln of the densities; |Sigma| > 0")


def _linear(e):
    """E_q written linearly: E[sum] = sum E, constants (free of z) out, E[c] = c."""
    def rule(x):
        f, dist = x.args
        out = []
        for t in sp.Add.make_args(sp.expand(f)):
            const, var = t.as_independent(Z, as_Add=False)
            out.append(const * (Expect(var, dist) if var != 1 else 1))
        return sp.Add(*out)
    return e.replace(lambda x: isinstance(x, Expect), rule)


def _linearity(a, b):
    """Linearity of the expectation, for every m."""
    verify(*_opaque(_linear(a), _linear(b)), how="symbolic")
    return proved("linearity of the expectation", sizes="every m")


_z = sp.IndexedBase("z", real=True)  # the coordinates of z ~ q in index form


def _entries(M, i, j):
    """Entries in index form: z_j as an unknown; Sigma_0 symmetric, so its entry (i, j) is
    written (Sigma_0[i, j] + Sigma_0[j, i]) / 2 wherever it occurs (both sides alike)."""
    if M == Z:
        return _z[i]
    if M == S0:
        return (S0[i, j] + S0[j, i]) / 2
    return M[i, j]


def _index_form(e, products: bool = True):
    """Traces and quadratic forms of symbolic size in index form (SymPy's entries); with
    ``products``, matrix products first (tr(Sigma^-1 Sigma) = tr(I_m) = m)."""
    r = sp.Dummy("r", integer=True)
    if products:
        e = e.replace(lambda x: isinstance(x, sp.Trace), lambda x: sp.Trace(x.args[0].doit()).doit())
    e = e.replace(lambda x: isinstance(x, sp.Trace),
                  lambda x: sp.Sum(entry(x.args[0], r, r, _entries), (r, 0, m - 1)))
    return e.replace(lambda x: isinstance(x, QuadForm),
                     lambda x: entry(sp.MatMul(x.args[0].T, x.args[1], x.args[0]), 0, 0, _entries))


def _moment(monomial):
    """E_q of a monomial in the z_j: E z_j = mu_{0,j}, E z_j z_k = Sigma_0[j, k] + mu_{0,j} mu_{0,k}
    (the definitions of the mean and the covariance of q)."""
    zs = [f for f in sp.Mul.make_args(monomial) for _ in range(f.exp if f.is_Pow else 1)
          if (f.base if f.is_Pow else f).func == sp.Indexed and (f.base if f.is_Pow else f).base == _z]
    rest = monomial / sp.Mul(*zs)
    idx = [f.indices[0] for f in zs]
    if len(idx) == 0:
        return monomial
    if len(idx) == 1:
        return rest * MU0[idx[0], 0]
    if len(idx) == 2:
        return rest * (_entries(S0, idx[0], idx[1]) + MU0[idx[0], 0] * MU0[idx[1], 0])
    raise VerificationError("a moment of order above 2")


def _expectation(e):
    """E_q of an expression in index form, linear in its terms (each a polynomial in z)."""
    form = sum_normal_form(e)
    out = []
    for sig, c in form.items():
        c = sp.Add(*[_moment(t) for t in sp.Add.make_args(sp.expand(c))])
        out.append(sp.Sum(c, *[(v, 1, hi) for v, hi in sig]) if sig else c)
    return sp.Add(*out)


def quadratic_moments(a, b):
    """E_q (z - a)^T A (z - a) in index form, by linearity and the first two moments of q;
    then sum algebra against tr(A Sigma_0) + (mu_0 - a)^T A (mu_0 - a), for every m."""
    a = a.replace(lambda x: isinstance(x, Expect), lambda x: _expectation(_index_form(x.args[0], False)))
    verdict = _collect(a, b, products=False)
    return Verdict(verdict.level, {**verdict.detail, "method": "index calculus: linearity and the first two "
                                                               "moments of q, then sum algebra"})


def _collect(a, b, products: bool = True):
    """Sum algebra on the index forms, for every m (determinants as positive unknowns)."""
    a, b = _index_form(a, products), _index_form(b, products)
    dets = {x: sp.Dummy("det", positive=True) for x in (a.atoms(sp.Determinant) | b.atoms(sp.Determinant))}
    verdict = sums_equal(sp.expand_log(a.xreplace(dets)), sp.expand_log(b.xreplace(dets)))
    return Verdict(verdict.level, {**verdict.detail, "sizes": "every m"})


_DIAGONALS = (Diagonal(S0, sp.Lambda(j, sigma_i[j] ** 2)), Diagonal(S1, sp.Lambda(j, sp.Integer(1))))
_COLUMNS = {MU0: lambda r: mu_i[r + 1], MU1: lambda r: sp.Integer(0)}


def _diagonal_case(general):
    """mu_0 = mu, Sigma_0 = diag(sigma^2), mu_1 = 0, Sigma_1 = I_m = diag(1, ..., 1), for every m:
    traces, determinants and inverses of the diagonal matrices of symbolic size, the rest in
    index form, ln of a product the sum of the logarithms."""
    def check(a, b):
        a = general if isinstance(a, str) else a
        verdict = sums_equal(*(logs_of_products(index_form(e, _DIAGONALS, _COLUMNS)) for e in (a, b)))
        return proved(f"{_DIAGONALS[0].method}; {verdict.detail['method']}", sizes="every m")
    return check


def gaussians() -> Derivation:
    """KL(N(mu_0, Sigma_0) || N(mu_1, Sigma_1)) for full covariances; reduces to 2.b."""
    c = Chain("kl.gaussians", problem="2 (beyond)",
              title=r"$\mathrm{KL}(\mathcal{N}(\mu_0,\Sigma_0)\,\|\,\mathcal{N}(\mu_1,\Sigma_1))$, full covariances",
              lhs=r"\mathrm{KL}(q\,\|\,p)",
              start=Expect(sp.Add(sp.log(q(Z)), -sp.log(p(Z)), evaluate=False), sp.Symbol("q")),
              start_why=r"definition; $q = \mathcal{N}(\mu_0,\Sigma_0)$, $p = \mathcal{N}(\mu_1,\Sigma_1)$",
              references=REFS, notes=NOTES)
    quad0, quad1 = QuadForm(_diff(Z, MU0), S0.I), QuadForm(_diff(Z, MU1), S1.I)
    logdet = sp.log(sp.Determinant(S1) / sp.Determinant(S0))
    qs = sp.Symbol("q")
    c.step(Expect(sp.Add(HALF * logdet, -quad0 / 2, quad1 / 2, evaluate=False), qs),
           r"$\ln\mathcal{N}(z;\mu,\Sigma) = -\frac{m}{2}\ln 2\pi - \frac12\ln|\Sigma| - \frac12(z-\mu)^T\Sigma^{-1}(z-\mu)$",
           check=_log_densities)
    c.step(sp.Add(HALF * logdet, -Expect(quad0, qs) / 2, Expect(quad1, qs) / 2, evaluate=False),
           "linearity", check=_linearity)
    c.step(sp.Add(HALF * logdet, -sp.Trace(sp.MatMul(S0.I, S0, evaluate=False)) / 2,
                  sp.Mul(HALF, sp.Add(sp.Trace(S1.I * S0), QuadForm(_diff(MU0, MU1), S1.I),
                                      evaluate=False), evaluate=False), evaluate=False),
           r"$\mathbb{E}_q(z-a)^TA(z-a) = \operatorname{tr}(A\Sigma_0) + (\mu_0-a)^TA(\mu_0-a)$",
           check=quadratic_moments)
    c.step(general_formula(), r"$\operatorname{tr}(I_m) = m$; collect", check=_collect)
    c.step(diagonal_formula(), r"$\mu_0=\mu$, $\Sigma_0=\mathrm{diag}(\sigma^2)$, $\mu_1=0$, $\Sigma_1=I_m$ "
                               r"(induction on $m$, block determinant); this is 2.b",
           lhs=r"\mathrm{KL}(q_{\mathrm{diag}}\,\|\,\mathcal{N}(0,I_m))",
           check=_diagonal_case(general_formula()))
    result = _plain(general_formula())
    _random_check(general_formula(), result)  # the JSON form equals the displayed one
    return c.done(result)


def _plain(e):
    """The display formula with each quadratic form v^T A v written tr(A v v^T), a
    plain SymPy scalar that ``parse_expr`` reads back."""
    return e.replace(lambda x: isinstance(x, QuadForm),
                     lambda x: sp.Trace(x.args[1] * x.args[0] * x.args[0].T))


NOTES = r"""\noindent The expectation rule follows from $z-a = (z-\mu_0) + (\mu_0-a)$,
$\mathbb{E}(z-\mu_0)=0$ and $\mathbb{E}(z-\mu_0)^TA(z-\mu_0)=\operatorname{tr}(A\,\mathbb{E}(z-\mu_0)(z-\mu_0)^T)=\operatorname{tr}(A\Sigma_0)$.
The first four steps are proved for every $m$ (the logarithms of the densities, linearity of
the expectation, the expectation in index form from $\mathbb{E}z_j=\mu_{0,j}$ and
$\mathbb{E}z_jz_k=\Sigma_{0,jk}+\mu_{0,j}\mu_{0,k}$, and index forms of the traces and quadratic
forms); the diagonal case is proved for every $m$ too (the trace, determinant and inverse of a
diagonal matrix of symbolic size, the determinant by induction on $m$), and the closed form is
checked once more at $m=1,2,3$ for random exact parameters. Numerically, evaluate it with Cholesky factors:
$\operatorname{tr}(\Sigma_1^{-1}\Sigma_0)=\lVert L_1^{-1}L_0\rVert_F^2$ and
$\ln(|\Sigma_1|/|\Sigma_0|) = 2\sum_j(\ln L_{1,jj}-\ln L_{0,jj})$ (as PyTorch does)."""
