"""The extra exercise of Problem 2: proofs of Facts 1 and 2.

Fact 1: a Gaussian with diagonal covariance has a density that factorises into its
marginals, ``N(z; mu, diag(sigma^2)) = prod_j N(z_j; mu_j, sigma_j^2)``, so the
coordinates are mutually independent.

Fact 2: KL is additive over products, ``KL(q1 q2 || p1 p2) = KL(q1 || p1) + KL(q2 || p2)``.

Every step is proved for every m: the first with the determinant and inverse of a diagonal
matrix of symbolic size (:mod:`derive.engine.diagonal`: induction on m with a block split, and
index calculus), the second through the logarithms of the two sides, the third factor by factor,
the marginals by induction on m (:mod:`derive.engine.marginals`: Fubini, each factor a density);
integral steps by the linearity/Fubini/normalisation rules of :mod:`derive.engine.integrals`.
"""
from __future__ import annotations

import sympy as sp

from derive.engine.chain import Chain, Derivation
from derive.engine.checks import proved
from derive.engine.diagonal import Diagonal
from derive.engine.explicit import Explicit
from derive.engine.marginals import marginal_is
from derive.engine.sums import entry, sums_equal
from derive.engine.integrals import integrals_equal
from derive.engine.verify import VerificationError, verify
from derive.ops import EXPLICIT, Dot, NormalPDF, QuadForm, normal_pdf, normal_pdf_written
from derive.symbols import MU, SIGMA, Z, j, k, m, mu_i, p_1, p_2, q_1, q_2, sigma_i, z_1, z_2, z_i

__all__ = ["fact1", "fact2", "logs_equal", "logs_of_products", "index_form", "diagonal_logs_equal", "SIGMA_DIAG",
           "COLUMNS", "REFS_F1", "REFS_F2"]

SIGMA_DIAG = Diagonal(SIGMA, sp.Lambda(j, sigma_i[j] ** 2))  # Sigma = diag(sigma_1^2, ..., sigma_m^2)
COLUMNS = {Z: lambda r: z_i[r + 1], MU: lambda r: mu_i[r + 1]}  # entry r (0-based) of z and mu

REFS_F1 = ("Casella and Berger (2002), Statistical Inference, 2nd ed., Lemma 4.2.7 (a joint density "
           "that factorises into functions of each variable means independence)",)
REFS_F2 = ("Cover and Thomas (2006), Elements of Information Theory, 2nd ed., Thm 2.5.3 (the chain rule for "
           "relative entropy, of which Fact 2 is the case of product densities)",)


def index_form(expr, diagonals=(SIGMA_DIAG,), columns=COLUMNS):
    """``expr`` with matrices of symbolic size in index form: determinants, traces and inverses of
    the ``diagonals`` by their proved forms (:class:`~derive.engine.diagonal.Diagonal`), then
    quadratic forms, ``x^T y`` and traces as sums over the entries (``columns`` maps a column to
    its entry ``r``, 0-based)."""
    if isinstance(expr, str):
        raise VerificationError("a displayed-only left side needs its own check")
    for D in diagonals:
        expr = D.rewrite(expr)

    def lookup(M, r, c):
        found = [v for v in (D.lookup(M, r, c) for D in diagonals) if v is not None]
        return found[0] if found else columns[M](r)
    r = sp.Dummy("r", integer=True)
    scalar = lambda *M: entry(sp.MatMul(*M), 0, 0, lookup)
    expr = expr.replace(lambda e: isinstance(e, QuadForm), lambda e: scalar(e.args[0].T, e.args[1], e.args[0]))
    expr = expr.replace(lambda e: isinstance(e, Dot), lambda e: scalar(e.args[0].T, e.args[1]))
    return expr.replace(lambda e: isinstance(e, sp.Trace),
                        lambda e: sp.Sum(entry(e.arg, r, r, lookup), (r, 0, e.arg.shape[0] - 1)))


def diagonal_logs_equal(a, b, diagonals=(SIGMA_DIAG,), columns=COLUMNS):
    """Two positive expressions (densities) in matrix form or over the coordinates, with
    Sigma diagonal: compared through their logarithms (:func:`logs_equal`) in index form,
    for every m."""
    walk = Explicit(rules=EXPLICIT)  # univariate densities written out
    verdict = logs_equal(walk(index_form(a, diagonals, columns)), walk(index_form(b, diagonals, columns)))
    return proved(f"{diagonals[0].method}; {verdict.detail['method']}", sizes="every m")


def _fact1_steps(c: Chain) -> Chain:
    dev = sp.Add(z_i[j], -mu_i[j], evaluate=False)
    quad = sp.Sum(dev ** 2 / (2 * sigma_i[j] ** 2), (j, 1, m))
    norm = sp.Mul((2 * sp.pi) ** (-m / 2), sp.Pow(sp.Product(sigma_i[j] ** 2, (j, 1, m)), -sp.Rational(1, 2),
                                                   evaluate=False), evaluate=False)
    c.step(sp.Mul(norm, sp.exp(-quad), evaluate=False),
           r"$\Sigma$ diagonal: $|\Sigma| = \prod_j \sigma_j^2$ (induction on $m$, block determinant), "
           r"$\Sigma^{-1} = \mathrm{diag}(\sigma_j^{-2})$",
           check=diagonal_logs_equal)
    c.step(sp.Product(normal_pdf_written(z_i[j], mu_i[j], sigma_i[j]), (j, 1, m)),
           r"$e^{\sum_j a_j} = \prod_j e^{a_j}$; $(2\pi)^{m/2} = \prod_j \sqrt{2\pi}$",
           check=logs_equal)
    return c.step(sp.Product(NormalPDF(z_i[j], mu_i[j], sigma_i[j]), (j, 1, m)),
                  "univariate normal densities", check=_factorwise)


def _product_as_exp(p):
    """prod_j f_j = exp(sum_j ln f_j), for positive factors f_j."""
    if not p.function.is_positive:
        raise VerificationError(f"the factors of {p} are not known to be positive")
    return sp.exp(sp.Sum(sp.log(p.function), *p.limits))


def logs_of_products(e):
    """``e`` with every product over j written exp(sum_j ln f_j) and the logarithms expanded
    (SymPy's ``expand_log``, which uses that sigma_j > 0), in the sums too."""
    e = sp.expand_log(e.replace(lambda x: isinstance(x, sp.Product), _product_as_exp))
    return e.replace(lambda x: isinstance(x, sp.Sum), lambda s: sp.Sum(sp.expand(sp.expand_log(s.function)), *s.limits))


def _log_form(e):
    """ln of a positive expression: the logarithm of a product over j is the sum over j of the
    logarithms, of a power the exponent times the logarithm."""
    return logs_of_products(sp.log(e))


def logs_equal(a, b):
    """Two positive expressions (densities) are equal where their logarithms are: compared
    by sum algebra, for every m."""
    verdict = sums_equal(_log_form(a), _log_form(b))
    return proved("logarithms of the two positive sides, " + verdict.detail["method"], sizes="every m")


def _factorwise(a, b):
    """Two products over the same range j = 1..m whose factors are equal for every j: equal
    for every m (the factors compared symbolically, the densities written out)."""
    if not (isinstance(a, sp.Product) and isinstance(b, sp.Product) and a.limits == b.limits):
        raise VerificationError("not two products over the same range")
    walk = Explicit(rules=EXPLICIT)
    verdict = verify(walk(a.function), walk(b.function), how="symbolic")
    return proved(verdict.detail["method"] + ", factor by factor", sizes="every m")


def _marginal_check(product):
    """p_j(z_j) = N(z_j; mu_j, sigma_j^2) for every m and j: integrate the other coordinates
    out of ``product`` (the factorised density), by induction on m (Fubini, normalisation)."""
    return lambda _lhs, rhs: marginal_is(product, rhs, j, z_i)


def fact1() -> Derivation:
    """Fact 1: N(z; mu, diag(sigma^2)) = prod_j N(z_j; mu_j, sigma_j^2), and these
    factors are the marginals, so z_1, ..., z_m are independent."""
    half = sp.Rational(1, 2)
    c = Chain("kl.fact1", problem="2 (extra)",
              title="Fact 1: a Gaussian with diagonal covariance has independent coordinates",
              lhs=r"\mathcal{N}(z;\mu,\Sigma)",
              start=sp.exp(-half * QuadForm(sp.MatAdd(Z, -MU, evaluate=False), SIGMA.I))
              / ((2 * sp.pi) ** (m / 2) * sp.sqrt(sp.Determinant(SIGMA))),
              start_why=r"density of $\mathcal{N}(\mu,\Sigma)$ on $\mathbb{R}^m$, $\Sigma = \mathrm{diag}(\sigma_1^2,\dots,\sigma_m^2)$",
              references=REFS_F1, notes=FACT1_NOTES)
    product = _fact1_steps(c).current
    c.step(sp.Integer(1), r"each factor is a density: it integrates to 1 (SymPy integrates it)",
           lhs=sp.Integral(NormalPDF(z_i[k], mu_i[k], sigma_i[k]), (z_i[k], -sp.oo, sp.oo)),
           check=lambda a, b: _normalised(a, b))
    c.step(NormalPDF(z_i[j], mu_i[j], sigma_i[j]),
           r"Fubini; each other factor integrates to 1 (line above); induction on $m$",
           lhs=r"f_j(z_j) := \int_{\mathbb{R}^{m-1}} \mathcal{N}(z;\mu,\Sigma) \prod_{k\neq j} dz_k",
           check=_marginal_check(product))
    result = sp.Product(normal_pdf(z_i[j], mu_i[j], sigma_i[j]), (j, 1, m))
    return c.done(result, symbols=(m, sigma_i, mu_i, z_i))


def _normalised(a, b):
    return verify(Explicit(rules=EXPLICIT)(a), b, how="symbolic")


FACT1_NOTES = r"""\noindent\emph{Proof of Fact 1.} The first line is the joint density with
$\Sigma=\mathrm{diag}(\sigma_1^2,\dots,\sigma_m^2)$; because $\Sigma$ is diagonal its
determinant is $\prod_j\sigma_j^2$ and the quadratic form is a sum of squares, so the
density is a product of $m$ univariate normal densities, the $j$-th depending on $z_j$
only. Integrating out every coordinate but $z_j$ (Fubini--Tonelli, as the density is positive;
each other factor integrates to one) shows that the $j$-th factor is the marginal density $f_j$ of $z_j$. Hence the joint
density $f=\mathcal{N}(\cdot\,;\mu,\Sigma)$ equals the product of the marginal densities,
$f(z_1,\dots,z_m)=\prod_j f_j(z_j)$ for all $z$ ($f$, not $p$: in Problem 2 $p$ is $\mathcal{N}(0,I_m)$), which is the definition of mutual
independence of $z_1,\dots,z_m$. \emph{Caveat:} zero correlation implies independence here
only because $z$ is \emph{jointly} Gaussian; two uncorrelated coordinates with Gaussian
marginals need not be independent."""


def fact2() -> Derivation:
    """Fact 2: KL(q1 q2 || p1 p2) = KL(q1 || p1) + KL(q2 || p2)."""
    z1, z2, q1, q2, p1, p2 = z_1, z_2, q_1, q_2, p_1, p_2
    dens = {q1, q2, p1, p2}
    check = lambda a, b: _integrals_check(a, b, dens)
    Q, P = q1(z1) * q2(z2), p1(z1) * p2(z2)
    R = [(z1, -sp.oo, sp.oo), (z2, -sp.oo, sp.oo)]
    I1 = sp.Integral(q1(z1) * sp.log(q1(z1) / p1(z1)), R[0])
    I2 = sp.Integral(q2(z2) * sp.log(q2(z2) / p2(z2)), R[1])
    c = Chain("kl.fact2", problem="2 (extra)", title="Fact 2: KL is additive over products",
              lhs=r"\mathrm{KL}(q\,\|\,p)", start=sp.Integral(sp.log(Q / P) * Q, *R),
              start_why=r"definition, $q = q_1 q_2$, $p = p_1 p_2$", references=REFS_F2,
              notes=FACT2_NOTES)
    c.step(sp.Integral(sp.Add(sp.log(q1(z1) / p1(z1)), sp.log(q2(z2) / p2(z2)), evaluate=False) * Q, *R),
           r"$\ln\frac{q_1q_2}{p_1p_2} = \ln\frac{q_1}{p_1} + \ln\frac{q_2}{p_2}$", check=check)
    c.step(sp.Add(sp.Integral(q1(z1) * q2(z2) * sp.log(q1(z1) / p1(z1)), *R),
                  sp.Integral(q1(z1) * q2(z2) * sp.log(q2(z2) / p2(z2)), *R), evaluate=False),
           "linearity", check=check)
    c.step(sp.Add(sp.Mul(I1, sp.Integral(q2(z2), R[1]), evaluate=False),
                  sp.Mul(sp.Integral(q1(z1), R[0]), I2, evaluate=False), evaluate=False),
           r"Fubini (condition argued below): each integrand is a function of $z_1$ times one of $z_2$",
           check=check)
    c.step(sp.Add(I1, I2, evaluate=False), r"$\int q_1 = \int q_2 = 1$", check=check)
    return c.done()


def _integrals_check(a, b, densities):
    if not integrals_equal(a, b, densities):
        raise VerificationError(f"normal forms differ: {a} vs {b}")
    return proved("normal form of integrals (linearity, Fubini, normalisation)")


FACT2_NOTES = r"""\noindent\emph{Proof of Fact 2.} The last line is
$\mathrm{KL}(q_1\|p_1)+\mathrm{KL}(q_2\|p_2)$ by definition. The steps use only that the
logarithm of a product of positive densities is the sum of the logarithms, linearity of
the integral, Fubini's theorem (valid when the two KLs are finite, since then the
integrand is absolutely integrable) and $\int q_j = 1$. The machine check of the Fubini step
rearranges the integrals; that the theorem applies is the argument just given, not a
machine check. By induction the same holds for
$m$ factors: $\mathrm{KL}(\prod_j q_j\|\prod_j p_j)=\sum_j\mathrm{KL}(q_j\|p_j)$. It is
the special case of the chain rule for relative entropy in which the conditional
distributions do not depend on the conditioning variable."""
