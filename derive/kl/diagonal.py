"""Problem 2.b: KL(N(mu, diag(sigma^2)) || N(0, I_m)) from Facts 1 and 2 and 2.a.

    KL = 1/2 sum_j (mu_j^2 + sigma_j^2 - 1 - ln sigma_j^2)

Fact 1 writes both densities as products of their marginals (the first step, proved like
Fact 1 for every m), Fact 2 (applied m - 1 times, proved by induction on m) turns the KL of
the products into a sum of univariate KLs, and 2.a evaluates each; the matrix form at the end
uses the trace and determinant of a diagonal matrix of symbolic size (:mod:`derive.engine.diagonal`).
Reference: Kingma and Welling (2014), App. B.
"""
from __future__ import annotations

import sympy as sp

from derive.engine.chain import Chain, Derivation
from derive.engine.checks import induction, peel_last, proved
from derive.engine.explicit import Explicit
from derive.engine.sums import sums_equal
from derive.engine.integrals import integrals_equal
from derive.engine.verify import VerificationError, verify
from derive.kl.facts import SIGMA_DIAG, diagonal_logs_equal, index_form, logs_of_products
from derive.kl.univariate import univariate
from derive.ops import KL, Dot, NormalPDF, QuadForm
from derive.symbols import MU, SIGMA, Z, j, m, mu, mu_i, p, q, sigma, sigma_i, z_i

__all__ = ["diagonal", "diagonal_formula", "matrix_formula", "fact1_check", "matrix_check", "WHERE"]

HALF = sp.Rational(1, 2)
REFS = ("Kingma and Welling (2014), Auto-Encoding Variational Bayes, App. B (the same sum, written there "
        "for minus the KL)",)


def _univariate_term(a, b):
    """1/2 (a^2 + b^2 - 1 - ln b^2), terms in written order."""
    return sp.Mul(HALF, sp.Add(a ** 2, b ** 2, -1, -sp.log(b ** 2), evaluate=False), evaluate=False)


def diagonal_formula():
    """The 2.b result: 1/2 sum_{j=1}^m (mu_j^2 + sigma_j^2 - 1 - ln sigma_j^2)."""
    return sp.Sum(_univariate_term(mu_i[j], sigma_i[j]), (j, 1, m))


def _at(expr, k: int):
    """``expr`` at m = k, its sums and products written out."""
    return Explicit({m: k})(expr)


_Q, _P = sp.Function("Q_m"), sp.Function("P_m")  # the products over j <= m, as densities
_Zm = sp.Symbol("z_{1:m}", real=True)  # their variables z_1..z_m, as one block


def _fact2_base(a, b):
    """The claim at m = 1, by the integral rules."""
    if not integrals_equal(_at(a, 1), _at(b, 1)):
        raise VerificationError("Fact 2 at m = 1")
    return proved("normal form of integrals")


def _fact2_step(a, b):
    """The claim at m + 1 from the claim at m: split off the factor j = m + 1; the products
    over j <= m are densities Q_m, P_m of the block z_1..z_m; by the hypothesis the sum over
    j <= m is KL(Q_m || P_m). What remains, KL(Q_m q_{m+1} || P_m p_{m+1}) =
    KL(Q_m || P_m) + KL(q_{m+1} || p_{m+1}), is Fact 2, shown by the integral rules."""
    q_m, p_m = (sp.Product(NormalPDF(z_i[j], *args), (j, 1, m)) for args in ((mu_i[j], sigma_i[j]), (0, 1)))
    hypothesis = {q_m: _Q(_Zm), p_m: _P(_Zm), b: KL(_Q(_Zm), _P(_Zm))}
    lhs, rhs = (peel_last(e.subs(m, m + 1), m).xreplace(hypothesis) for e in (a, b))
    if lhs.has(sp.Product) or rhs.has(sp.Sum) or not integrals_equal(lhs, rhs, {_Q, _P}):
        raise VerificationError("Fact 2: the inductive step")
    return proved("normal form of integrals")


_fact2_check = induction(m, _fact2_base, _fact2_step,
                         why_step="m -> m + 1 is Fact 2 with q_1 = prod_{j<=m} q_j, q_2 = q_{m+1}")


def _apply_2a(uni):
    """A check that replaces KL(N(z; a, b^2) || N(z; 0, 1)) by the 2.a result ``uni``."""
    def sub(e):
        (q, p) = e.args
        return uni.subs({mu: q.args[1], sigma: q.args[2]}, simultaneous=True)

    def check(a, b):
        a = a.replace(lambda e: isinstance(e, KL), sub)
        if isinstance(a, sp.Sum) and isinstance(b, sp.Sum) and a.limits == b.limits:
            a, b = a.function, b.function  # same range: compare the summands
        return verify(a, b, how="symbolic")
    return check


def _gaussian(mean, cov):
    """N(z; mean, cov) on R^m written out: (2 pi)^(-m/2) |cov|^(-1/2) exp(-1/2 (z - mean)^T cov^-1 (z - mean));
    N(z; 0, I_m) = (2 pi)^(-m/2) exp(-1/2 z^T z)."""
    if cov is None:
        return sp.Mul((2 * sp.pi) ** (-m / 2), sp.exp(-Dot(Z, Z) / 2), evaluate=False)
    form = QuadForm(sp.MatAdd(Z, -mean, evaluate=False), cov.I)
    return sp.Mul((2 * sp.pi) ** (-m / 2), sp.Pow(sp.Determinant(cov), -HALF), sp.exp(-form / 2), evaluate=False)


WHERE = {q: sp.Lambda(Z, _gaussian(MU, SIGMA)), p: sp.Lambda(Z, _gaussian(None, None))}


def fact1_check(a, b):
    """KL(q || p) with q, p written in matrix form against KL of the products: the two
    densities on each side compared through their logarithms, Sigma diagonal of symbolic
    size, for every m (as in Fact 1)."""
    if not (isinstance(a, KL) and isinstance(b, KL)):
        raise VerificationError("not two KL divergences")
    verdicts = [diagonal_logs_equal(u, w) for u, w in zip(a.args, b.args)]
    return proved(f"both densities: {verdicts[0].detail['method']}", sizes="every m")


def matrix_check(a, b):
    """The sums against the matrix form, for every m: tr Sigma, |Sigma| of the diagonal matrix
    of symbolic size, mu^T mu in index form, ln of a product the sum of the logarithms."""
    verdict = sums_equal(*(logs_of_products(index_form(e)) for e in (a, b)))
    return proved(f"{SIGMA_DIAG.method}; {verdict.detail['method']}", sizes="every m")


def diagonal() -> Derivation:
    """2.b via Facts 1, 2 and 2.a, every step for every m: the factorisation (Fact 1), Fact 2
    by induction on m, 2.a, the sum split and the matrix form."""
    qs = sp.Product(NormalPDF(z_i[j], mu_i[j], sigma_i[j]), (j, 1, m))
    ps = sp.Product(NormalPDF(z_i[j], 0, 1), (j, 1, m))
    c = Chain("kl.diagonal", problem="2.b",
              title=r"$\mathrm{KL}(\mathcal{N}(\mu,\Sigma)\,\|\,\mathcal{N}(0,I_m))$, $\Sigma$ diagonal",
              lhs=r"\mathrm{KL}\left(\mathcal{N}(\mu,\Sigma) \,\middle\|\, \mathcal{N}(0,I_m)\right)",
              start=KL(q(Z), p(Z)), references=REFS, notes=NOTES, where=WHERE,
              start_why=r"$q$, $p$ the two densities on $\mathbb{R}^m$, $\Sigma = \mathrm{diag}(\sigma_1^2,\dots,\sigma_m^2)$")
    c.step(KL(qs, ps), r"Fact 1: both densities are products of their marginals (induction on $m$, block determinant)",
           check=fact1_check)
    c.step(sp.Sum(KL(NormalPDF(z_i[j], mu_i[j], sigma_i[j]), NormalPDF(z_i[j], 0, 1)), (j, 1, m)),
           r"Fact 2, applied $m-1$ times (induction on $m$)", check=_fact2_check)
    c.step(diagonal_formula(), r"2.a for each $j$", check=_apply_2a(univariate().result))
    c.step(sp.Mul(HALF, sp.Add(sp.Sum(mu_i[j] ** 2, (j, 1, m)), sp.Sum(sigma_i[j] ** 2, (j, 1, m)), -m,
                               -sp.Sum(sp.log(sigma_i[j] ** 2), (j, 1, m)), evaluate=False),
                  evaluate=False),
           r"split the sum", check=sums_equal)
    c.step(matrix_formula(), r"$\Sigma$ diagonal: $\operatorname{tr}\Sigma = \sum_j\sigma_j^2$, "
                             r"$|\Sigma| = \prod_j\sigma_j^2$ (induction on $m$, block determinant)", check=matrix_check)
    return c.done(diagonal_formula())


def matrix_formula():
    """The 2.b result in matrix form: 1/2 (mu^T mu + tr Sigma - m - ln|Sigma|)."""
    return sp.Mul(HALF, sp.Add(Dot(MU, MU), sp.Trace(SIGMA), -m, -sp.log(sp.Determinant(SIGMA)), evaluate=False),
                  evaluate=False)


NOTES = r"""\noindent Each term is $\tfrac12\mu_j^2 + \tfrac12(\sigma_j^2 - 1 - \ln \sigma_j^2)$, and
$\sigma_j^2 - 1 - \ln \sigma_j^2 \ge 0$ with equality only at $\sigma_j^2 = 1$ (as in 2.a), so the KL is
non-negative and vanishes exactly when $\mu = 0$ and $\Sigma = I_m$. With the encoder's log-scale output
$\ell_j = \ln\sigma_j$ the term reads $\tfrac12(\mu_j^2 + e^{2\ell_j} - 1 - 2\ell_j)$, the form used in
Problem 3.a."""
