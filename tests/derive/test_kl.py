"""Problem 2: the KL formulas against independent oracles (quadrature, Monte Carlo,
2-D quadrature for Fact 2), the derivations' structure, and checks that can fail."""
import math
import random

import mpmath
import numpy as np
import pytest
import sympy as sp
from scipy import integrate

from derive import get, load
from derive.engine.chain import VerificationError
from derive.ops import KL, NormalPDF
from derive.engine.integrals import gaussian_normal_form, integrals_equal
from derive.engine.render import srepr
from derive.symbols import mu, sigma, z
from numeric.kl import kl_diag_std, kl_mvn, kl_mvn_from_derivation, kl_normal_std, kl_normal_std_logscale

KL_IDS = ["kl.univariate", "kl.univariate_direct", "kl.fact1", "kl.fact2", "kl.diagonal",
          "kl.gaussians"]


def quad_kl(m0, s0, m1=0.0, s1=1.0, dps=30):
    """KL(N(m0, s0^2) || N(m1, s1^2)) = int q ln(q/p) by mpmath quadrature."""
    with mpmath.workdps(dps):
        m0, s0, m1, s1 = (mpmath.mpf(v) for v in (m0, s0, m1, s1))
        q = lambda x: mpmath.exp(-(x - m0) ** 2 / (2 * s0 ** 2)) / (mpmath.sqrt(2 * mpmath.pi) * s0)
        log_ratio = lambda x: (mpmath.log(s1 / s0) - (x - m0) ** 2 / (2 * s0 ** 2)
                               + (x - m1) ** 2 / (2 * s1 ** 2))
        pts = [m0 + k * s0 for k in (-40, -8, -2, 0, 2, 8, 40)]
        return float(mpmath.quad(lambda x: q(x) * log_ratio(x), pts))


CASES = [(0.3, 1.7), (-2.0, 0.4), (1.0, 1.0), (0.0, 1e-3), (2.5, 1e-3), (0.0, 1e3), (-1.5, 1e3),
         (0.7, 0.999)] + [(random.Random(s).uniform(-3, 3), 10 ** random.Random(s + 9).uniform(-3, 3))
                          for s in range(4)]


@pytest.mark.parametrize("m0,s0", CASES)
def test_univariate_formula_matches_quadrature(m0, s0):
    exact = quad_kl(m0, s0)
    assert float(kl_normal_std(m0, s0)) == pytest.approx(exact, rel=1e-10, abs=1e-14)
    assert float(kl_normal_std_logscale(m0, math.log(s0))) == pytest.approx(exact, rel=1e-10, abs=1e-14)


@pytest.mark.parametrize("m0,s0", [(0.3, 1.7), (-2.0, 0.4), (1.0, 0.05)])
def test_univariate_formula_matches_monte_carlo(m0, s0):
    rng = np.random.default_rng(1)
    x = rng.normal(m0, s0, size=400_000)
    log_ratio = -np.log(s0) - (x - m0) ** 2 / (2 * s0 ** 2) + x ** 2 / 2
    se = log_ratio.std() / math.sqrt(x.size)
    assert abs(log_ratio.mean() - float(kl_normal_std(m0, s0))) < 5 * se


def test_univariate_results_are_the_closed_form():
    want = (mu ** 2 + sigma ** 2 - 1 - sp.log(sigma ** 2)) / 2
    for i in ("kl.univariate", "kl.univariate_direct"):
        assert sp.simplify(get(i).result - want) == 0
        assert {str(s) for s in get(i).symbols} == {"mu", "sigma"}


def test_kl_topic_ids_steps_and_round_trip():
    ds = load(["kl"])
    assert [d.id for d in ds] == KL_IDS
    for d in ds:
        assert d.steps and all(s.verified in ("symbolic", "instances", "numeric") for s in d.steps)
        assert sp.parse_expr(srepr(d.result)) == d.result
        assert d.id in ("kl.univariate", "kl.univariate_direct") or d.notes


def test_diagonal_formula_matches_sum_and_quadrature():
    rng = np.random.default_rng(2)
    m_, s_ = rng.normal(size=5), np.exp(rng.normal(size=5))
    assert float(kl_diag_std(m_, s_)) == pytest.approx(sum(quad_kl(a, b) for a, b in zip(m_, s_)), rel=1e-10)
    d = get("kl.diagonal")
    from derive.symbols import m, mu_i as mui, sigma_i as sigmai
    val = d.result.subs(m, 5).doit().subs({mui[i + 1]: m_[i] for i in range(5)}) \
        .subs({sigmai[i + 1]: s_[i] for i in range(5)})
    assert float(val) == pytest.approx(float(kl_diag_std(m_, s_)), rel=1e-12)


def _random_spd(rng, k):
    A = rng.normal(size=(k, k))
    return A @ A.T + 0.3 * np.eye(k)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_general_gaussian_kl_matches_monte_carlo(k):
    rng = np.random.default_rng(10 + k)
    mu0, mu1, S0, S1 = rng.normal(size=k), rng.normal(size=k), _random_spd(rng, k), _random_spd(rng, k)
    x = rng.multivariate_normal(mu0, S0, size=400_000)

    def logpdf(x, mean, cov):
        L = np.linalg.cholesky(cov)
        y = np.linalg.solve(L, (x - mean).T)
        return -0.5 * (y ** 2).sum(0) - np.log(np.diag(L)).sum() - 0.5 * k * np.log(2 * np.pi)
    lr = logpdf(x, mu0, S0) - logpdf(x, mu1, S1)
    assert abs(lr.mean() - kl_mvn(mu0, S0, mu1, S1)) < 5 * lr.std() / math.sqrt(x.shape[0])


@pytest.mark.parametrize("k", [1, 2])
def test_general_gaussian_kl_compiled_from_derivation_matches(k):
    rng = np.random.default_rng(20 + k)
    args = rng.normal(size=k), _random_spd(rng, k), rng.normal(size=k), _random_spd(rng, k)
    assert kl_mvn_from_derivation(*args) == pytest.approx(kl_mvn(*args), rel=1e-10)


@pytest.mark.parametrize("k", [1, 3, 6])
def test_general_gaussian_kl_reduces_to_diagonal_case(k):
    rng = np.random.default_rng(30 + k)
    m_, s_ = rng.normal(size=k), np.exp(rng.normal(size=k))
    assert kl_mvn(m_, np.diag(s_ ** 2), np.zeros(k), np.eye(k)) == pytest.approx(kl_diag_std(m_, s_), rel=1e-12)


def test_fact2_by_two_dimensional_quadrature():
    """KL(q1 q2 || p1 p2) by 2-D quadrature equals KL(q1||p1) + KL(q2||p2)."""
    (a1, b1, c1, d1), (a2, b2, c2, d2) = (0.4, 0.8, -0.3, 1.3), (-1.0, 1.5, 0.5, 0.7)
    lq = lambda x, a, b: -0.5 * ((x - a) / b) ** 2 - math.log(b) - 0.5 * math.log(2 * math.pi)

    def f(y, x):
        logq, logp = lq(x, a1, b1) + lq(y, a2, b2), lq(x, c1, d1) + lq(y, c2, d2)
        return math.exp(logq) * (logq - logp)
    val, err = integrate.dblquad(f, a1 - 12 * b1, a1 + 12 * b1, a2 - 12 * b2, a2 + 12 * b2,
                                 epsabs=1e-12, epsrel=1e-11)
    assert val == pytest.approx(quad_kl(a1, b1, c1, d1) + quad_kl(a2, b2, c2, d2), rel=1e-8)


# --- the symbolic checks can fail -----------------------------------------------------------

def test_integral_rules_reject_a_wrong_fubini_step():
    z1, z2 = sp.symbols("z_1 z_2", real=True)
    q1, q2, p1, p2 = (sp.Function(n) for n in ("q_1", "q_2", "p_1", "p_2"))
    D = {q1, q2, p1, p2}
    joint = KL(q1(z1) * q2(z2), p1(z1) * p2(z2))
    assert integrals_equal(joint, KL(q1(z1), p1(z1)) + KL(q2(z2), p2(z2)), D)
    assert not integrals_equal(joint, KL(q1(z1), p1(z1)), D)
    assert not integrals_equal(joint, 2 * KL(q1(z1), p1(z1)) + KL(q2(z2), p2(z2)), D)


def test_gaussian_moment_rule_rejects_a_wrong_moment():
    E2 = sp.Integral(z ** 2 * NormalPDF(z, mu, sigma), (z, -sp.oo, sp.oo))
    assert sp.expand(gaussian_normal_form(E2) - (mu ** 2 + sigma ** 2)) == 0
    assert sp.expand(gaussian_normal_form(E2) - sigma ** 2) != 0


def test_a_wrong_step_in_a_kl_chain_raises():
    from derive.kl.univariate import WHERE, moments_check
    from derive.engine.chain import Chain
    c = Chain("t.kl", problem="0", title="t", lhs=sp.Symbol("K"),
              start=sp.Integral(sp.log(sp.Function("q")(z) / sp.Function("p")(z)) * sp.Function("q")(z),
                                (z, -sp.oo, sp.oo)), where=WHERE)
    with pytest.raises(VerificationError):
        c.step((mu ** 2 + sigma ** 2 - sp.log(sigma ** 2)) / 2, "missing the -1", check=moments_check)


def test_disk_cache_round_trip_keeps_the_written_order():
    """Regression: plain pickling re-evaluated Add(..., evaluate=False) on load, so a warm
    (cached) run printed the terms of a step in SymPy's order instead of the written one."""
    from derive.engine.cache import dumps, loads
    from derive.printing import to_latex
    for d in load(["kl", "elbo"]):
        assert to_latex(loads(dumps(d))) == to_latex(d)


def test_fact1_products_are_compared_for_every_m_and_a_wrong_factor_fails():
    from derive.engine.verify import VerificationError
    from derive.kl.facts import logs_equal
    from derive.ops import normal_pdf_written
    from derive.symbols import j, m, mu_i, sigma_i, z_i
    d = get("kl.fact1")
    assert d.steps[1].verified == "symbolic" and d.steps[1].detail["sizes"] == "every m"
    wrong = sp.Product(normal_pdf_written(z_i[j], mu_i[j], 2 * sigma_i[j]), (j, 1, m))
    with pytest.raises(VerificationError):
        logs_equal(d.steps[0].rhs, wrong)
    with pytest.raises(VerificationError):  # one factor of sqrt(2 pi) too many
        logs_equal(d.steps[0].rhs, sp.sqrt(2 * sp.pi) * d.steps[1].rhs)


def _at_size(expr, k):
    """``expr`` at m = k with z, mu explicit and Sigma = diag(sigma_1^2, ..., sigma_k^2): the
    explicit matrices SymPy computes with, independent of the rules for symbolic size."""
    from derive.engine.explicit import Explicit
    from derive.ops import EXPLICIT
    from derive.symbols import MU, SIGMA, Z, m, mu_i, sigma_i, z_i
    col = lambda base: sp.Matrix([base[i] for i in range(1, k + 1)])
    values = {m: k, Z: col(z_i), MU: col(mu_i), SIGMA: sp.diag(*[sigma_i[i] ** 2 for i in range(1, k + 1)])}
    return Explicit(values, EXPLICIT)(expr)


def test_diagonal_first_step_is_fact1_for_every_m_and_a_wrong_product_fails():
    """The factorisation KL(q || p) = KL(prod q_j || prod p_j) is proved for every m (the
    determinant of a diagonal matrix by induction on m), a wrong factor (sd 2 sigma_j) is caught,
    and explicit matrices at m = 1..5 agree with it."""
    from derive.engine.checks import equal_logs
    from derive.engine.verify import VerificationError
    from derive.kl import diagonal as D
    from derive.symbols import j, m, mu_i, sigma_i, z_i
    d = get("kl.diagonal")
    assert d.steps[0].verified == "symbolic" and d.steps[0].detail["sizes"] == "every m"
    assert "block determinant" in d.steps[0].detail["method"]
    start = d.start.replace(D.q, D.WHERE[D.q]).replace(D.p, D.WHERE[D.p])
    ps = sp.Product(NormalPDF(z_i[j], 0, 1), (j, 1, m))
    assert D.fact1_check(start, d.steps[0].rhs).level == "symbolic"
    wrong = KL(sp.Product(NormalPDF(z_i[j], mu_i[j], 2 * sigma_i[j]), (j, 1, m)), ps)
    with pytest.raises(VerificationError):
        D.fact1_check(start, wrong)
    for k in range(1, 6):
        for u, w in zip(start.args, d.steps[0].rhs.args):
            assert equal_logs(_at_size(u, k), _at_size(w, k)).level == "symbolic"


def test_every_kl_step_is_proved_for_every_m():
    assert get("kl.diagonal").steps[1].detail["method"] == "induction on m"
    for i in ("kl.fact1", "kl.diagonal", "kl.gaussians"):
        assert [s.verified for s in get(i).steps] == ["symbolic"] * len(get(i).steps), i
    fact1 = get("kl.fact1")
    assert fact1.steps[-1].detail["method"].startswith("induction on m")
    assert "block determinant" in fact1.steps[0].detail["method"]


def test_matrix_form_and_marginals_reject_claims_right_for_small_m_only():
    """kl.diagonal's last step and Fact 1's marginals, each with a claim that is right at
    m <= 4 (the explicit matrices agree) and wrong at m = 5: the proofs for every m reject it."""
    from derive.engine.marginals import marginal_is
    from derive.engine.verify import VerificationError
    from derive.kl.diagonal import diagonal_formula, matrix_check, matrix_formula
    from derive.symbols import j, m, mu_i, sigma_i, z_i
    wrong = sp.Add(matrix_formula(), (m - 1) * (m - 2) * (m - 3) * (m - 4), evaluate=False)
    gap = lambda k: sp.expand(sp.expand_log((_at_size(wrong, k) - _at_size(diagonal_formula(), k)).doit(), force=True))
    assert [gap(k) == 0 for k in range(1, 6)] == [True] * 4 + [False]
    with pytest.raises(VerificationError):
        matrix_check(diagonal_formula(), wrong)
    assert matrix_check(diagonal_formula(), matrix_formula()).level == "symbolic"
    product = get("kl.fact1").steps[2].rhs
    bump = (j - 1) * (j - 2) * (j - 3) * (j - 4)
    with pytest.raises(VerificationError):  # the marginal of z_5 is wrong
        marginal_is(product, NormalPDF(z_i[j], mu_i[j] + bump, sigma_i[j]), j, z_i)
    assert marginal_is(product, NormalPDF(z_i[j], mu_i[j], sigma_i[j]), j, z_i).level == "symbolic"


def test_general_gaussian_kl_steps_are_proved_for_every_m_and_wrong_rules_fail():
    from derive.engine.verify import VerificationError
    from derive.kl import gaussians as G
    from derive.symbols import MU0, MU1, SIGMA0, SIGMA1
    d = get("kl.gaussians")
    assert [s.verified for s in d.steps] == ["symbolic"] * 5
    a, b = d.steps[1].rhs, d.steps[2].rhs
    for wrong in (b + sp.Trace(SIGMA1.I * SIGMA0) / 2, b.subs(MU0, MU1)):
        with pytest.raises(VerificationError):
            G.quadratic_moments(a, wrong)
