"""The custom normal forms on their own: sum algebra with symbolic bounds (engine/sums.py)
and the Gaussian-integral rules behind 2.a and others (engine/integrals.py), the latter
against mpmath quadrature, each with the cases it must reject."""
import mpmath
import pytest
import sympy as sp

from derive.engine.integrals import gaussian_expectation, gaussian_normal_form, integrals_equal, reduce_integrals
from derive.engine.sums import entry, sum_normal_form, sums_equal
from derive.engine.verify import VerificationError
from derive.ops import KL, NormalPDF

m, n = sp.symbols("m n", integer=True, positive=True)
j, k, i = sp.symbols("j k i", integer=True, positive=True)
x, y = sp.IndexedBase("x"), sp.IndexedBase("y")
z = sp.Symbol("z", real=True)
a = sp.Symbol("a", real=True)
b = sp.Symbol("b", positive=True)


# --- sum algebra ---------------------------------------------------------------------------

@pytest.mark.parametrize("lhs,rhs", [
    (sp.Sum(x[j] + y[j], (j, 1, m)), sp.Sum(x[k], (k, 1, m)) + sp.Sum(y[j], (j, 1, m))),
    (sp.Sum(3, (j, 1, m)), 3 * m),
    (sp.Sum(x[j], (j, 0, m - 1)), sp.Sum(x[j - 1], (j, 1, m))),
    (sp.Sum(x[j], (j, 1, m)) * sp.Sum(y[k], (k, 1, n)), sp.Sum(sp.Sum(x[j] * y[k], (k, 1, n)), (j, 1, m))),
    (sp.Sum(sp.KroneckerDelta(j, k) * x[j], (j, 1, m)), x[k]),
])
def test_sum_identities_hold_for_every_size(lhs, rhs):
    assert sums_equal(lhs, rhs, ranges={k: (1, m)}).level == "symbolic"


@pytest.mark.parametrize("lhs,rhs", [
    (sp.Sum(x[j] + y[j], (j, 1, m)), sp.Sum(x[j], (j, 1, m))),
    (sp.Sum(3, (j, 1, m)), 3 * m + 1),
    (sp.Sum(x[j], (j, 1, m)), sp.Sum(x[j], (j, 1, n))),        # different ranges
    (sp.Sum(x[j] * y[j], (j, 1, m)), sp.Sum(x[j], (j, 1, m)) * sp.Sum(y[j], (j, 1, m))),
])
def test_sum_normal_form_rejects_false_identities(lhs, rhs):
    with pytest.raises(VerificationError):
        sums_equal(lhs, rhs, ranges={k: (1, m)})


def test_kronecker_delta_needs_the_index_in_range():
    lhs = sp.Sum(sp.KroneckerDelta(j, k) * x[j], (j, 1, m))
    with pytest.raises(VerificationError):
        sums_equal(lhs, x[k])                       # k not declared to lie in 1..m
    with pytest.raises(VerificationError):
        sums_equal(lhs, x[k], ranges={k: (1, n)})   # k in 1..n, not 1..m


def test_entries_of_matrix_expressions_of_symbolic_size():
    A, B = sp.MatrixSymbol("A", m, n), sp.MatrixSymbol("B", n, m)
    e = entry(A * B, 0, 0, lambda M, r, c: M[r, c])
    r = sp.Dummy("r", integer=True)
    assert sums_equal(e, sp.Sum(A[0, r] * B[r, 0], (r, 0, n - 1))).level == "symbolic"
    assert sum_normal_form(entry(sp.Identity(m), 0, 1, lambda M, r, c: M[r, c])) == {(): 0}


# --- Gaussian integrals against quadrature -------------------------------------------------

def _quad(f, mean, sd):
    with mpmath.workdps(30):
        g = lambda t: f(t) * mpmath.exp(-(t - mean) ** 2 / (2 * sd ** 2)) / (mpmath.sqrt(2 * mpmath.pi) * sd)
        return float(mpmath.quad(g, [-mpmath.inf, mean - 10 * sd, mean, mean + 10 * sd, mpmath.inf]))


@pytest.mark.parametrize("poly", [z, z ** 2, z ** 3, z ** 4 - 3 * z + 1, (z - a) ** 2 / (2 * b ** 2)])
@pytest.mark.parametrize("mean,sd", [(0.3, 1.7), (-2.0, 0.4)])
def test_gaussian_normal_form_matches_quadrature(poly, mean, sd):
    nf = gaussian_normal_form(sp.Integral(poly * NormalPDF(z, a, b), (z, -sp.oo, sp.oo)))
    assert not nf.has(sp.Integral)
    value = float(nf.subs({a: mean, b: sd}))
    f = sp.lambdify(z, poly.subs({a: mean, b: sd}), "mpmath")
    assert value == pytest.approx(_quad(f, mean, sd), rel=1e-10, abs=1e-12)


def test_gaussian_kl_normal_form_matches_quadrature():
    q, p = NormalPDF(z, a, b), NormalPDF(z, 0, 1)
    nf = gaussian_normal_form(KL(q, p))
    mean, sd = 0.7, 1.9
    f = lambda t: (-mpmath.log(sd) - (t - mean) ** 2 / (2 * sd ** 2) + t ** 2 / 2)
    assert float(nf.subs({a: mean, b: sd})) == pytest.approx(_quad(f, mean, sd), rel=1e-10)


def test_gaussian_moments_of_standard_normals():
    e1, e2 = sp.symbols("e1 e2", real=True)
    assert gaussian_expectation(e1 ** 4, [e1]) == 3
    assert gaussian_expectation(e1 ** 3 + e1 * e2, [e1, e2]) == 0
    assert gaussian_expectation((e1 + e2) ** 2, [e1, e2]) == 2


def test_integral_rules_reject_what_they_do_not_cover():
    with pytest.raises(ValueError):  # not over the whole real line
        reduce_integrals(sp.Integral(NormalPDF(z, a, b), (z, 0, sp.oo)))
    with pytest.raises(ValueError):  # a constant over the real line diverges
        reduce_integrals(sp.Integral(sp.Integer(1) + 0 * z, (z, -sp.oo, sp.oo)))
    not_poly = gaussian_normal_form(sp.Integral(sp.exp(z) * NormalPDF(z, a, b), (z, -sp.oo, sp.oo)))
    assert not_poly.has(sp.Integral)  # no moment rule for e^z: left as an integral
    z1, z2 = sp.symbols("z_1 z_2", real=True)
    q1, q2 = sp.Function("q_1"), sp.Function("q_2")
    joint = sp.Integral(q1(z1) * q2(z2) * sp.log(z1 + z2), (z1, -sp.oo, sp.oo), (z2, -sp.oo, sp.oo))
    assert reduce_integrals(joint, {q1, q2}).has(sp.Integral)  # not separable: no Fubini
    assert not integrals_equal(sp.Integral(q1(z1), (z1, -sp.oo, sp.oo)), 2, {q1})
