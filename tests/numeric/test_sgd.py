"""Problem 1 numerics: lambdified gradients vs finite differences, optimizers, F*, convergence."""
import numpy as np
import pytest
import scipy.optimize

from numeric.sgd.data import synthetic
from numeric.sgd.kernels import epoch_orders, run_once
from numeric.optim import heavy_ball, polyak, sgd, train
from numeric.sgd.problem import Problem, newton, objective
from oracles import central_fd


def _problem(name="logistic", n=300, d=6, lam=1e-2, seed=0):
    X, y = synthetic(n, d, 50.0, name, seed)
    return Problem(X, y, lam, objective(name))




@pytest.mark.parametrize("name", ["logistic", "least-squares"])
def test_gradient_matches_central_differences(name):
    p = _problem(name)
    rng = np.random.default_rng(1)
    for _ in range(3):
        w = rng.standard_normal(p.d)
        np.testing.assert_allclose(p.grad(w), central_fd(p.value, w), rtol=1e-6, atol=1e-8)
        idx = rng.choice(p.n, 7, replace=False)
        fb = lambda v: float(np.mean(p.obj.loss(p.X[idx] @ v, p.y[idx])) + 0.5 * p.lam * v @ v)
        np.testing.assert_allclose(p.grad(w, idx), central_fd(fb, w), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", ["logistic", "least-squares"])
def test_hessian_matches_differences_of_the_gradient(name):
    p = _problem(name)
    w = np.random.default_rng(2).standard_normal(p.d)
    H = np.array([central_fd(lambda v: p.grad(v)[k], w) for k in range(p.d)])
    np.testing.assert_allclose(p.hess(w), H, rtol=1e-5, atol=1e-7)


def test_stable_forms_equal_the_plain_ones_and_do_not_overflow():
    o = objective("logistic")
    m = np.linspace(-30, 30, 61)
    for yv in (-1.0, 1.0):
        np.testing.assert_allclose(o.loss(m, yv), np.log1p(np.exp(-yv * m)), rtol=1e-12)
        np.testing.assert_allclose(o.coef(m, yv), -yv / (1 + np.exp(yv * m)), rtol=1e-12)
    with np.errstate(over="raise"):
        assert np.isfinite(o.loss(np.array([-1e4, 1e4]), 1.0)).all()
    jl, jc = o.jit()
    assert jl(-1e4, 1.0) == pytest.approx(1e4) and jc(1e4, -1.0) == 1.0


def test_newton_f_star_matches_scipy():
    p = _problem(n=500, d=8, lam=1e-3)
    w, f, _, gn = newton(p)
    assert gn <= 1e-12
    ref = scipy.optimize.minimize(p.value, np.zeros(p.d), jac=p.grad, method="BFGS", options={"gtol": 1e-10})
    assert f == pytest.approx(ref.fun, abs=1e-12)
    np.testing.assert_allclose(w, ref.x, atol=1e-6)


def test_heavy_ball_with_beta_zero_is_sgd():
    p = _problem()
    for b in (1, 10, p.n):
        a = run_once(p, 0.3, alpha=0.05, batch=b, max_steps=200, seed=3, check_every=7)
        h = run_once(p, 0.3, alpha=0.05, beta=0.0, momentum=True, batch=b, max_steps=200, seed=3, check_every=7)
        assert np.array_equal(a.w, h.w) and np.array_equal(a.gaps, h.gaps, equal_nan=True)
    w = np.array([1.0, -2.0])
    s1, s2 = sgd(0.1), heavy_ball(0.1, 0.0)
    u1, _ = s1.update(w, s1.init(w), w)
    u2, _ = s2.update(w, s2.init(w), w)
    assert np.array_equal(u1, u2)


def test_two_heavy_ball_forms_agree_for_a_constant_step():
    p = _problem()
    orders = epoch_orders()(5, p.n, 3)
    a = train(p, heavy_ball(0.05, 0.8), 10, 60, orders)
    b = train(p, polyak(0.05, 0.8), 10, 60, orders)
    np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("momentum,batch", [(False, 1), (True, 10), (True, 300)])
def test_compiled_loop_follows_the_reference_optimizer(momentum, batch):
    p = _problem()
    steps = 3 * p.n // batch if batch < p.n else 40
    opt = heavy_ball(0.05, 0.7) if momentum else sgd(0.05)
    ref = train(p, opt, batch, steps, None if batch >= p.n else epoch_orders()(4, p.n, 3))
    got = run_once(p, 0.0, alpha=0.05, beta=0.7, momentum=momentum, batch=batch, max_steps=steps, seed=4,
                   check_every=0)
    np.testing.assert_allclose(got.w, ref[-1], rtol=1e-9, atol=1e-12)


def test_shuffles_are_permutations_without_replacement():
    o = epoch_orders()(7, 50, 4)
    assert all(sorted(r) == list(range(50)) for r in o) and not np.array_equal(o[0], o[1])


@pytest.mark.parametrize("batch", [1, 2, 4])
def test_convergence_step_on_a_problem_with_a_known_answer(batch):
    # identical rows: every minibatch gradient is the full gradient of F(w) = (w-1)^2/2 + lam w^2/2,
    # so gap_t = rho^(2t) with rho = 1 - alpha (1 + lam); the first t with rho^(2t) <= tol is known.
    lam, alpha, tol = 0.25, 0.2, 1e-3
    p = Problem(np.ones((4, 1)), np.ones(4), lam, objective("least-squares"))
    f_star = p.value(np.array([1 / (1 + lam)]))
    rho = 1 - alpha * (1 + lam)
    expected = int(np.ceil(np.log(tol) / (2 * np.log(rho))))
    r = run_once(p, f_star, alpha=alpha, batch=batch, max_steps=200, check_every=1, target=tol)
    assert r.conv_step == expected
    np.testing.assert_allclose(r.gaps[:expected + 1], rho ** (2 * np.arange(expected + 1)), rtol=1e-9)


def test_divergence_is_caught():
    p = _problem("least-squares")
    for b in (5, p.n):
        r = run_once(p, 0.0 + newton(p)[1], alpha=50.0, batch=b, max_steps=500, check_every=1)
        assert r.diverged and r.conv_step == -1


def test_minibatch_gradients_of_one_epoch_average_to_the_full_gradient():
    p = _problem(n=300)
    w = np.random.default_rng(3).standard_normal(p.d)
    order = epoch_orders()(9, p.n, 1)[0]
    means = np.mean([p.grad(w, order[k:k + 10]) for k in range(0, p.n, 10)], axis=0)
    np.testing.assert_allclose(means, p.grad(w), rtol=1e-12, atol=1e-14)


def test_constants_and_polyak_parameters():
    from numeric.sgd.problem import constants
    p = _problem("least-squares", n=400, d=5, lam=1e-2)
    w_star = newton(p)[0]
    c = constants(p, w_star)
    ev = np.linalg.eigvalsh(p.X.T @ p.X / p.n) + p.lam
    assert c["L"] == pytest.approx(ev[-1]) and c["mu"] == pytest.approx(ev[0])
    k = c["L_local"] / c["mu_local"]
    assert c["polyak_beta"] == pytest.approx(((np.sqrt(k) - 1) / (np.sqrt(k) + 1)) ** 2)
    assert c["polyak_alpha"] == pytest.approx(4 / (np.sqrt(c["L_local"]) + np.sqrt(c["mu_local"])) ** 2)
    q = constants(_problem(), newton(_problem())[0])
    assert q["L"] == pytest.approx(np.linalg.eigvalsh(_problem().X.T @ _problem().X)[-1] / 300 / 4 + 1e-2)
