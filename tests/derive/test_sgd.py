"""Problem 1 derivations: every step verified, ids present, results as expected."""
import json

import pytest
import sympy as sp

from derive.printing import to_json_obj
from derive.symbols import L, alpha, beta, kappa, mu_sc as mu
from derive.topics import load
from support import run_module

IDS = ["sgd.loss_grad", "sgd.heavy_ball", "sgd.lsq_grad", "sgd.smoothness", "sgd.lsq_curvature",
       "sgd.minibatch_mean", "sgd.minibatch_variance", "sgd.polyak_beta", "sgd.polyak_alpha"]


@pytest.fixture(scope="module")
def ders():
    return {d.id: d for d in load(["sgd"])}


def test_ids_and_every_step_verified(ders):
    assert list(ders) == IDS
    for d in ders.values():
        assert d.steps and all(s.verified in ("symbolic", "instances", "numeric") for s in d.steps)


def test_results_read_back(ders):
    for d in ders.values():
        assert sp.parse_expr(to_json_obj(d)["sympy"]) == d.result


def test_heavy_ball_result_is_polyak_form(ders):
    w_t, w_prev, g_t = sp.symbols("w_t w_{t-1} g_t", real=True)
    assert sp.expand(ders["sgd.heavy_ball"].result - (w_t - alpha * g_t + beta * (w_t - w_prev))) == 0


def test_polyak_parameters_at_kappa_100(ders):
    b = ders["sgd.polyak_beta"].result.subs(kappa, 100)
    assert sp.sqrt(b) == sp.Rational(9, 11)  # rho* = (sqrt(kappa)-1)/(sqrt(kappa)+1)
    a = ders["sgd.polyak_alpha"].result.subs({L: 100, mu: 1})
    assert a == sp.Rational(4, 121)


def test_curvature_bound_is_a_quarter(ders):
    from derive.symbols import LOGISTIC as SIGMA, logistic as sigma, margin as m, y
    h = ders["sgd.smoothness"].result.replace(sigma, SIGMA)
    assert sp.simplify(h.subs({m: 0, y: 1}) - sp.Rational(1, 4)) == 0


def test_cli_json_has_the_ids():
    r = run_module("derive", "sgd", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert [o["id"] for o in json.loads(r.stdout)] == IDS


def test_gradient_steps_are_proved_for_every_d_and_agree_with_explicit_columns(ders):
    """Index form proves each step for every d; the explicit columns at d = 1..4 agree."""
    from derive.sgd.loss import dims_check
    check = dims_check()
    for i in ("sgd.loss_grad", "sgd.lsq_grad"):
        d = ders[i]
        assert all(s.verified == "symbolic" and s.detail["sizes"] == "every d" for s in d.steps)
        sides = [d.start] + [s.rhs for s in d.steps]
        from derive.symbols import margin, x_vec, w_vec
        from derive.ops import Dot
        for a, b in zip(sides, sides[1:]):
            a, b = (e.replace(lambda u: isinstance(u, sp.Derivative), lambda u: u.doit()).subs(margin, Dot(x_vec, w_vec))
                    for e in (a.subs(dict(d.where)), b.subs(dict(d.where))))
            assert check(a, b).level == "instances"


def test_index_check_rejects_a_wrong_gradient():
    from derive.engine.verify import VerificationError
    from derive.ops import Dot, GradW
    from derive.sgd.loss import index_check
    from derive.symbols import lam, x_vec as x, w_vec as w, y
    f = GradW(sp.Add(sp.Rational(1, 2) * (Dot(x, w) - y) ** 2, lam / 2 * Dot(w, w)), w)
    right = sp.MatAdd(sp.MatMul(Dot(x, w) - y, x), sp.MatMul(lam, w))
    assert index_check(f, right).level == "symbolic"
    for wrong in (sp.MatMul(Dot(x, w) - y, x), sp.MatAdd(sp.MatMul(Dot(x, w) - y, w), sp.MatMul(lam, w))):
        with pytest.raises(VerificationError):
            index_check(f, wrong)


def test_minibatch_binomial_steps_hold_for_every_b_n_and_reject_a_wrong_factor(ders):
    from derive.engine.verify import VerificationError
    from derive.sgd.loss import binomial_check
    from derive.symbols import g, g_bar, i, n
    d = ders["sgd.minibatch_variance"]
    at = {g_bar: sp.Sum(g[i], (i, 1, n)) / n}
    first, last = d.steps[0].rhs.subs(at), d.steps[1].rhs.subs(at)
    assert binomial_check(first, last).level == "symbolic"
    with pytest.raises(VerificationError):
        binomial_check(first, last.subs(n - 1, n))  # (n - b)/(b n): the correction wrong
    assert ders["sgd.minibatch_mean"].steps[1].verified == "symbolic"


@pytest.mark.parametrize("id", ["sgd.minibatch_mean", "sgd.minibatch_variance"])
def test_counting_steps_are_proved_for_every_n_b_and_agree_with_enumeration(ders, id):
    """The counting step is proved for every 1 <= b <= n (Pascal's rule, induction on n); it
    agrees with enumerating the subsets at small (n, b), and a wrong count fails the proof."""
    from derive.engine.verify import VerificationError
    from derive.sgd.loss import enumeration_check, subsets_check
    from derive.symbols import b_size as b, g, g_bar, i, n
    d = ders[id]
    step = d.steps[0]
    assert step.verified == "symbolic" and step.detail["sizes"] == "every 1 <= b <= n"
    assert "Pascal's rule" in step.detail["method"] and "induction on n" in step.detail["method"]
    at = {g_bar: sp.Sum(g[i], (i, 1, n)) / n}
    lhs, rhs = d.start.subs(at), step.rhs.subs(at)
    cases = ((2, 1), (3, 1), (4, 2), (5, 2), (5, 5), (6, 3)) if id.endswith("variance") else \
        ((1, 1), (3, 1), (4, 2), (5, 3), (6, 6), (7, 2))
    assert enumeration_check(cases)(lhs, rhs).level == "instances"
    assert subsets_check(lhs, rhs).level == "symbolic"
    wrong = rhs.xreplace({sp.binomial(n, b): sp.binomial(n, b) + sp.binomial(n - 1, 5)})  # right for n <= 5
    assert wrong != rhs
    assert enumeration_check(((1, 1), (3, 2), (5, 2), (5, 5)))(lhs, wrong).level == "instances"
    with pytest.raises(VerificationError):
        enumeration_check(((6, 2),))(lhs, wrong)
    with pytest.raises(VerificationError):
        subsets_check(lhs, wrong)


def test_velocity_and_polyak_forms_give_the_same_iterates():
    """Independent of the derivation: run both recursions (v_0 = 0, w_{-1} = w_0) on a quadratic."""
    import numpy as np
    A = np.diag([1.0, 10.0])
    a, b, w0 = 0.05, 0.8, np.array([1.0, -2.0])
    w, v = w0.copy(), np.zeros(2)
    ws = [w.copy()]
    for _ in range(30):
        v = b * v + A @ w
        w = w - a * v
        ws.append(w.copy())
    prev, cur = w0.copy(), w0.copy()
    for t in range(30):
        prev, cur = cur, cur - a * (A @ cur) + b * (cur - prev)
        assert np.allclose(cur, ws[t + 1])


def test_polyak_beta_is_solved_not_assumed(ders):
    """The root check rejects a wrong right-hand side; beta* puts both ends on the boundary."""
    from derive.engine.verify import VerificationError
    from derive.sgd.heavy_ball import root_check
    rho = ders["sgd.polyak_beta"].steps[1].lhs  # the chain solves for rho, then squares it
    with pytest.raises(VerificationError):
        root_check(rho, (sp.sqrt(L) - sp.sqrt(mu)) / (sp.sqrt(L) + 2 * sp.sqrt(mu)))
    assert sp.simplify(ders["sgd.polyak_beta"].start - L / mu) == 0  # it starts from kappa, not its conclusion
    bs = ders["sgd.polyak_beta"].result.subs(kappa, L / mu)
    a = ders["sgd.polyak_alpha"].result
    for lam, sign in ((mu, 1), (L, -1)):  # 1 + beta - alpha lambda = +-2 sqrt(beta) at L = 9, mu = 1
        val = (1 + bs - a * lam - sign * 2 * sp.sqrt(bs)).subs({L: 9, mu: 1})
        assert sp.simplify(val) == 0


def test_the_let_rows_define_before_use(ders):
    from derive.printing import to_latex
    smooth = to_latex(ders["sgd.smoothness"])
    assert smooth.index(r"u &:= x^{\top} w") < smooth.index(r"\psi''(u) &=")
    assert r"\psi{\left(u \right)} &:=" in smooth
    assert r"u &:= x^{\top} w" in to_latex(ders["sgd.loss_grad"])
    hb = to_latex(ders["sgd.heavy_ball"])
    assert hb.count(r"v_{t+1} &:=") == 1  # v is defined once, by its recursion ...
    assert r"w_{t+1} &:= w_{t} - \alpha v_{t+1}" in hb  # ... and the velocity form defines the update
