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
    with pytest.raises(VerificationError, match="fails at"):
        verify(sp.log(x ** 2), 2 * sp.log(x))
    assert verify(sp.log(xp ** 2), 2 * sp.log(xp)).level == SYMBOLIC


def test_a_step_wrong_at_one_special_point_fails():
    lhs, rhs = sp.sign(x) ** 2, sp.Integer(1)  # wrong at x = 0 only
    assert numeric_check(lhs, rhs, special=False).level == NUMERIC  # random points alone miss it
    with pytest.raises(VerificationError, match=r"\{x: 0\}"):
        verify(lhs, rhs)


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
