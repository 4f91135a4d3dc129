"""The checker cannot be fooled: three honest levels, negative controls, special points,
undefined points, and only SymPy's "cannot decide" falls back to numbers."""
import pytest
import sympy as sp

from derive.engine.chain import Chain
from derive.engine.checks import induction, instances, peel_last, proved
from derive.engine.verify import (INSTANCES, NUMERIC, SYMBOLIC, Verdict, VerificationBug, VerificationError,
                                  numeric_check, special_values, symbolic_zero, verify)

x = sp.Symbol("x", real=True)
xp = sp.Symbol("x", positive=True)
m = sp.Symbol("m", integer=True, positive=True)
j = sp.Symbol("j", integer=True, positive=True)

# holds for m = 1..4, fails from m = 5 on
SUM_LHS = sp.Sum(j, (j, 1, m))
SUM_RHS = m * (m + 1) / 2 + (m - 1) * (m - 2) * (m - 3) * (m - 4)


def _at(e, k):
    return e.subs(m, k).doit()


def test_a_claim_true_for_small_sizes_is_never_symbolic():
    assert symbolic_zero(SUM_LHS - SUM_RHS) is None
    with pytest.raises(VerificationError):
        verify(SUM_LHS, SUM_RHS)  # the numeric fallback meets m = 5 or larger
    v = instances(_at, (1, 2, 3, 4), tag="m <= 4", why="a negative control")(SUM_LHS, SUM_RHS)
    assert v.level == INSTANCES and v.tag == "m <= 4"
    with pytest.raises(VerificationError, match="at 5"):
        instances(_at, (1, 2, 3, 4, 5), tag="m <= 5", why="x")(SUM_LHS, SUM_RHS)


def test_a_chain_labels_the_small_size_claim_instances_not_symbolic():
    c = Chain("t.sizes", problem="0", title="t", lhs=sp.Symbol("S"), start=SUM_LHS)
    d = c.step(SUM_RHS, "a negative control", check=instances(_at, (1, 2, 3, 4), tag="m <= 4", why="x")).done()
    assert d.steps[0].verified == "instances" and d.steps[0].tag == "m <= 4"
    assert d.steps[0].detail["sizes"] == ["1", "2", "3", "4"]


def test_the_true_sum_is_symbolic_for_every_m():
    assert verify(SUM_LHS, m * (m + 1) / 2).level == SYMBOLIC


def test_an_identity_on_a_domain_fails_off_it():
    with pytest.raises(VerificationError, match=r"right side is undefined at \{x: -1\}") as failed:
        verify(sp.log(x ** 2), 2 * sp.log(x))  # log(-1) is not real
    assert failed.value.counterexample == {"point": {x: -1}, "lhs": 0.0, "rhs": None}
    assert verify(sp.log(xp ** 2), 2 * sp.log(xp)).level == SYMBOLIC


def test_a_step_wrong_at_one_special_point_fails():
    lhs, rhs = sp.sign(x) ** 2, sp.Integer(1)  # wrong at x = 0 only
    assert numeric_check(lhs, rhs, special=False).level == NUMERIC  # random points alone miss it
    with pytest.raises(VerificationError, match=r"fails at \{x: 0\}") as failed:
        verify(lhs, rhs)
    assert failed.value.counterexample == {"point": {x: 0}, "lhs": 0.0, "rhs": 1.0}


def test_special_points_respect_the_domain():
    assert {0.0, 1.0, -1.0} <= {float(v) for v in special_values(x)}
    assert all(v > 0 for v in special_values(xp))
    assert all(v >= 1 and v.is_Integer for v in special_values(m))


def test_undefined_points_are_counted_and_too_few_valid_points_fail():
    v = numeric_check((x ** 2 - 1) / (x - 1), x + 1)
    assert v.detail["undefined_points"] >= 1 and v.detail["points"] >= 24
    assert v.tag == f"numeric, {v.detail['points']} pts"
    assert {"digits", "tolerance", "seed", "special_points"} <= set(v.detail)
    nowhere = 1 / sp.Max(0, x - 10 ** 7)  # undefined at every point tried
    with pytest.raises(VerificationError, match="points are defined"):
        numeric_check(nowhere, nowhere)


def test_cannot_decide_falls_back_to_numbers(monkeypatch):
    def undecided(e):
        raise NotImplementedError("SymPy cannot decide")
    monkeypatch.setattr(sp, "simplify", undecided)
    y = sp.Symbol("y", positive=True)
    v = verify(sp.gamma(y + 1), y * sp.gamma(y))
    assert v.level == NUMERIC


def test_any_other_error_is_a_bug_and_says_so(monkeypatch):
    def broken(e):
        raise ValueError("a broken check")
    monkeypatch.setattr(sp, "simplify", broken)
    y = sp.Symbol("y", positive=True)
    with pytest.raises(VerificationBug, match="broken check"):
        verify(sp.gamma(y + 1), y * sp.gamma(y))


def test_a_check_must_return_a_verdict():
    c = Chain("t.bug", problem="0", title="t", lhs=sp.Symbol("f"), start=x)
    with pytest.raises(VerificationBug):
        c.step(x, "x", check=lambda a, b: True)
    with pytest.raises(VerificationBug):
        Verdict("proved")


def test_induction_needs_both_base_and_step():
    q = sp.IndexedBase("q")
    lhs, good, bad = sp.Sum(2 * q[j], (j, 1, m)), 2 * sp.Sum(q[j], (j, 1, m)), 2 * sp.Sum(q[j], (j, 1, m)) + m - 1

    def base(a, b):
        return verify(a.subs(m, 1).doit(), b.subs(m, 1).doit(), how="symbolic")

    def step(a, b):  # claim(m + 1) from claim(m): split off j = m + 1, use the claim at m
        a1 = peel_last(a.subs(m, m + 1), m).subs(a, b)
        return verify(a1, peel_last(b.subs(m, m + 1), m), how="symbolic")
    assert induction(m, base, step)(lhs, good).detail["method"] == "induction on m"
    with pytest.raises(VerificationError):
        induction(m, base, step)(lhs, bad)  # true at m = 1, the step fails


def test_proved_is_symbolic():
    assert proved("a rule").level == SYMBOLIC


w, y, zz = sp.symbols("w y zz", real=True)


@pytest.mark.parametrize("lhs,rhs,constant", [
    (x ** 2 + 10 ** 40, x ** 2 + 10 ** 40 + 1, -1),                           # issue 21, item 6
    (sp.exp(x ** 2), sp.exp(x ** 2) + sp.Rational(1, 10 ** 40), -sp.Rational(1, 10 ** 40)),
    ((x + y + zz + w) ** 200, (x + y + zz + w) ** 200 + 1, -1),
    (sp.log(xp ** 2) / 2, sp.log(xp) + sp.Rational(1, 10 ** 15), -sp.Rational(1, 10 ** 15)),
])
def test_a_difference_that_is_an_exact_nonzero_constant_is_never_accepted(lhs, rhs, constant):
    """No relative tolerance may accept lhs = rhs when lhs - rhs is a nonzero number: the engine
    raises, naming the constant, before any numeric check (whose tolerance accepts the first two)."""
    from derive.engine.verify import difference
    assert difference(lhs - rhs).constant == constant
    if abs(constant) < 1e-30:
        assert numeric_check(lhs, rhs).level == NUMERIC  # what a tolerance alone would say
    with pytest.raises(VerificationError, match="differ by the constant"):
        verify(lhs, rhs)
    assert difference(lhs - lhs).method == "identical" and difference(lhs - rhs).method is None


# --- planted controls for the rules that prove a step for every size ------------------------
# Each claim below is right at the small sizes (the explicit check at those sizes accepts it)
# and wrong beyond: the rule for every size must reject it.

d_ = sp.IndexedBase("d", positive=True)
DIAG = sp.Lambda(j, d_[j])
SMALL_M = (m - 1) * (m - 2) * (m - 3) * (m - 4)  # 0 at m = 1..4


def _explicit_diag(k):
    return sp.Matrix(k, k, lambda r, c: d_[r + 1] if r == c else 0)


def test_a_determinant_right_for_m_le_4_only_is_not_proved():
    from derive.engine.diagonal import determinant_is
    right = sp.Product(d_[j], (j, 1, m))
    wrong = right + SMALL_M
    at = lambda e, k: _explicit_diag(k).det() if isinstance(e, sp.Determinant) else e.subs(m, k).doit()
    lhs = sp.Determinant(sp.MatrixSymbol("D", m, m))
    assert instances(at, (1, 2, 3, 4), tag="m <= 4", why="a negative control")(lhs, wrong).level == INSTANCES
    with pytest.raises(VerificationError, match="at 5"):
        instances(at, (5,), tag="m = 5", why="x")(lhs, wrong)
    with pytest.raises(VerificationError, match="m -> m \\+ 1"):
        determinant_is(wrong, DIAG, m)
    with pytest.raises(VerificationError, match="m = 1"):
        determinant_is(2 * right, DIAG, m)
    v = determinant_is(right, DIAG, m)
    assert v.level == SYMBOLIC and v.detail["method"] == "induction on m, block determinant"


def test_a_trace_or_inverse_right_for_m_le_4_only_is_not_proved():
    from derive.engine.diagonal import inverse_is, trace_is
    right_tr = sp.Sum(d_[j], (j, 1, m))
    assert all((_explicit_diag(k).trace() - (right_tr + SMALL_M).subs(m, k).doit()) == 0 for k in range(1, 5))
    with pytest.raises(VerificationError):
        trace_is(right_tr + SMALL_M, DIAG, m)
    assert trace_is(right_tr, DIAG, m).level == SYMBOLIC
    wrong_inv = sp.Lambda(j, 1 / d_[j] + SMALL_M)
    for k in range(1, 6):  # right at m <= 4, wrong at m = 5
        inv = sp.Matrix(k, k, lambda r, c: wrong_inv(r + 1).subs(m, k) if r == c else 0)
        assert (inv * _explicit_diag(k) == sp.eye(k)) == (k <= 4)
    with pytest.raises(VerificationError):
        inverse_is(wrong_inv, DIAG, m)
    assert inverse_is(sp.Lambda(j, 1 / d_[j]), DIAG, m).level == SYMBOLIC
    with pytest.raises(VerificationError, match="singular"):  # d_j may be 0
        inverse_is(sp.Lambda(j, 1 / x), sp.Lambda(j, x), m)


def _count(n, b, r):
    """b-subsets of {1..n} containing {1..r}, by enumeration."""
    from itertools import combinations
    return sum(set(range(1, r + 1)) <= set(c) for c in combinations(range(1, n + 1), b))


@pytest.mark.parametrize("r,extra", [(1, lambda n: sp.binomial(n - 1, 5)), (2, lambda n: sp.binomial(n - 1, 5)),
                                     (0, lambda n: sp.binomial(n, 6))])
def test_a_subset_count_right_for_n_le_5_only_is_not_proved(r, extra):
    from derive.engine.subsets import count_is
    n, b = sp.symbols("n b", integer=True)
    right = sp.binomial(n - r, b - r)
    wrong = right + extra(n)
    for nn in range(r, 7):  # enumeration: right up to n = 5, wrong at n = 6
        agree = all(wrong.subs({n: nn, b: bb}) == _count(nn, bb, r) for bb in range(0, nn + 1))
        assert agree == (nn <= 5), nn
    with pytest.raises(VerificationError, match="Pascal's rule"):
        count_is(sp.Lambda((n, b), wrong), r)
    with pytest.raises(VerificationError, match="n = r"):
        count_is(sp.Lambda((n, b), sp.binomial(n - r + 1, b - r)), r)
    v = count_is(sp.Lambda((n, b), right), r)
    assert v.level == SYMBOLIC and v.detail["method"] == "induction on n, Pascal's rule"


def test_marginals_of_densities_normalised_for_k_le_4_only_are_not_proved():
    from derive.engine.integrals import reduce_integrals
    from derive.engine.marginals import marginal_is
    from derive.ops import NormalPDF
    z, mu_, s = sp.IndexedBase("z", real=True), sp.IndexedBase("mu", real=True), sp.IndexedBase("s", positive=True)
    k = sp.Symbol("k", integer=True, positive=True)
    bump = 1 + (k - 1) * (k - 2) * (k - 3) * (k - 4)  # 1 at k = 1..4
    good = sp.Product(NormalPDF(z[k], mu_[k], s[k]), (k, 1, m))
    bad = sp.Product(NormalPDF(z[k], mu_[k], s[k]) * bump, (k, 1, m))
    claim = NormalPDF(z[j], mu_[j], s[j]) * bump.subs(k, j)

    def marginal_at(size, jj):  # the explicit integral over the other coordinates
        joint = bad.subs(m, size).doit()
        others = [(z[i], -sp.oo, sp.oo) for i in range(1, size + 1) if i != jj]
        return reduce_integrals(sp.Integral(joint, *others)) if others else joint
    # the marginal of z_1: right for m <= 4, wrong at m = 5 (the fifth factor integrates to 25)
    assert [sp.expand(marginal_at(size, 1) - claim.subs(j, 1)) == 0 for size in range(1, 6)] == [True] * 4 + [False]
    with pytest.raises(VerificationError, match="integrate to 1"):
        marginal_is(bad, claim, j, z)
    with pytest.raises(VerificationError, match="j = m \\+ 1"):  # a claim right for j <= 4 only
        marginal_is(good, NormalPDF(z[j], mu_[j], s[j] * bump.subs(k, j)), j, z)
    with pytest.raises(VerificationError, match="depends on"):  # factors that share a coordinate
        marginal_is(sp.Product(NormalPDF(z[k], z[k + 1], s[k]), (k, 1, m)), NormalPDF(z[j], z[j + 1], s[j]), j, z)
    assert marginal_is(good, NormalPDF(z[j], mu_[j], s[j]), j, z).level == SYMBOLIC


def test_the_one_sampler_respects_domains_and_draws_covariances():
    import random
    from derive.engine.points import points, spd_matrix
    pts = points([x, xp, m], random.Random(0), n_random=8, n_special=5)
    assert {x: 0, xp: 1, m: 1} in pts  # the special values jointly
    assert all(p[xp] > 0 and p[m] >= 1 and p[m].is_Integer for p in pts)
    rng = random.Random(0)
    for k in (1, 2, 4):
        S = spd_matrix(k, rng)
        assert S == S.T and S.is_positive_definite


def test_the_walker_writes_a_sum_index_into_an_integral_over_it():
    from derive.engine.explicit import MAX_TERMS, Explicit
    j = sp.Symbol("j", integer=True, positive=True)
    z, f = sp.IndexedBase("z"), sp.Function("f")
    written = Explicit()(sp.Sum(sp.Integral(f(z[j]), (z[j], -sp.oo, sp.oo)), (j, 1, 2)))
    assert written == sp.Integral(f(z[1]), (z[1], -sp.oo, sp.oo)) + sp.Integral(f(z[2]), (z[2], -sp.oo, sp.oo))
    long = sp.Sum(z[j], (j, 1, MAX_TERMS + 1))
    assert Explicit()(long) == long  # too long to write out: kept
