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
    from numeric.sgd.kernels import compiled
    m = compiled("logistic")
    assert m.ell(-1e4, 1.0) == pytest.approx(1e4) and m.coef(1e4, -1.0) == 1.0


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


def test_stop_rule_confirms_convergence_and_resets_on_a_dip():
    from numeric.sgd.kernels import CONTINUE, DONE, Spec, seed_state, stop_rule
    rule, confirmed = stop_rule()
    spec = Spec(0.1, 0.0, False, 0.0, 1, 100, 0, 1, seed_state(0), 0.0, 1.0, 1e-3, 1e3, 0, 3, 0.2, 101)
    gaps = [1.0, 1e-2, 5e-4, 2e-3, 9e-4, 8e-4, 7e-4, 6e-4, 5e-4]  # dips at 2, back above at 3, stays from 4
    conv, first, best, since = -1, -1, np.inf, 0
    verdicts = []
    for t, g in enumerate(gaps):
        v, conv, first, best, since = rule(g, t, conv, first, best, since, spec)
        verdicts.append(v)
        if v != CONTINUE:
            break
    assert first == 2 and conv == 4 and verdicts[-1] == DONE and len(verdicts) == 4 + 3 + 1
    assert confirmed(4, 6, spec) == -1 and confirmed(4, 7, spec) == 4  # the window of 3 steps must pass


def test_the_window_is_the_longer_of_its_steps_and_its_fraction():
    lam, alpha, tol = 0.25, 0.2, 1e-3
    p = Problem(np.ones((4, 1)), np.ones(4), lam, objective("least-squares"))
    f_star = p.value(np.array([1 / (1 + lam)]))
    rho = 1 - alpha * (1 + lam)
    expected = int(np.ceil(np.log(tol) / (2 * np.log(rho))))
    for window, frac in ((2, 0.2), (30, 0.2), (0, 1.0)):
        r = run_once(p, f_star, alpha=alpha, batch=4, max_steps=500, check_every=1, target=tol, window=window,
                     window_frac=frac)
        assert r.conv_step == r.first_hit == expected
        assert r.steps_done == expected + max(window, int(np.ceil(frac * expected)))
    r = run_once(p, f_star, alpha=alpha, batch=4, max_steps=expected + 1, check_every=1, target=tol, window=5)
    assert r.conv_step == -1 and r.first_hit == expected  # the budget ended inside the window: not confirmed


def test_the_decreasing_step_follows_its_formula():
    p = _problem()
    b, alpha0, t0, steps = 10, 0.2, 25.0, 60
    order = epoch_orders()(4, p.n, 3)
    w = np.zeros(p.d)
    flat = order.reshape(-1)
    spe = p.n // b
    for t in range(steps):
        e, k = divmod(t, spe)
        idx = order[e, k * b:(k + 1) * b]
        w = w - alpha0 / (1 + t / t0) * p.grad(w, idx)
    assert flat.size >= steps * b
    got = run_once(p, 0.0, alpha=alpha0, t0=t0, batch=b, max_steps=steps, seed=4, check_every=0)
    np.testing.assert_allclose(got.w, w, rtol=1e-9, atol=1e-12)


def test_heavy_ball_with_the_decreasing_step_follows_the_velocity_form():
    """1.b's hbdec: v <- beta v + g_t, w <- w - alpha_t v with alpha_t = alpha0/(1 + t/t0), by a
    plain loop against the compiled one."""
    p = _problem()
    b, alpha0, beta, t0, steps = 10, 0.06, 0.7, 25.0, 60
    order = epoch_orders()(4, p.n, 3)
    w, v = np.zeros(p.d), np.zeros(p.d)
    spe = p.n // b
    for t in range(steps):
        e, k = divmod(t, spe)
        v = beta * v + p.grad(w, order[e, k * b:(k + 1) * b])
        w = w - alpha0 / (1 + t / t0) * v
    got = run_once(p, 0.0, alpha=alpha0, beta=beta, momentum=True, t0=t0, batch=b, max_steps=steps, seed=4,
                   check_every=0)
    np.testing.assert_allclose(got.w, w, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("beta", [0.0, 0.5, 0.8])
def test_predicted_rate_is_the_spectral_radius_and_matches_a_quadratic_run(beta):
    from numeric.sgd.rates import fitted_rate, predicted_rate
    p = _problem("least-squares", n=400, d=5, lam=1e-2)
    w_star, f_star = newton(p)[:2]
    eig = np.linalg.eigvalsh(p.hess(w_star))
    alpha = 1.0 / eig[-1]
    radius = max(max(abs(np.linalg.eigvals([[1 + beta - alpha * l, -beta], [1, 0]]))) for l in eig)
    assert predicted_rate(alpha, beta, eig) == pytest.approx(radius ** 2, rel=1e-9)
    r = run_once(p, f_star, alpha=alpha, beta=beta, momentum=beta > 0, batch=p.n, max_steps=400, check_every=1,
                 target=1e-300)
    assert fitted_rate(r.gaps, 1) == pytest.approx(radius ** 2, rel=0.02)


def test_crossover_is_where_sampling_noise_without_replacement_equals_the_signal():
    from itertools import combinations

    from numeric.sgd.noise import b_simple, crossover
    p = _problem(n=7, d=3)
    w = np.random.default_rng(5).standard_normal(p.d)
    gs, G = p.per_sample_grads(w), p.grad(w)
    tr1 = np.mean(np.sum((gs - G) ** 2, axis=1))
    for b in range(1, p.n + 1):  # exact: every subset of size b
        means = np.array([gs[list(c)].mean(axis=0) for c in combinations(range(p.n), b)])
        noise = np.mean(np.sum((means - G) ** 2, axis=1))
        assert noise == pytest.approx((p.n - b) / (b * (p.n - 1)) * tr1, rel=1e-10, abs=1e-14)
    info = b_simple(p, w)
    bs = crossover(p.n, info["b_simple"])
    assert bs == info["b_crit"] and (p.n - bs) / (bs * (p.n - 1)) * tr1 == pytest.approx(G @ G, rel=1e-10)


def test_a_problem_pickles_for_joblib_workers():
    import pickle
    p = _problem()
    q = pickle.loads(pickle.dumps(p))
    assert np.array_equal(q.X, p.X) and q.obj is p.obj and q.value(np.ones(p.d)) == p.value(np.ones(p.d))


@pytest.mark.parametrize("b, alpha", [(1, 0.02), (10, 0.1), (100, 0.5)])
def test_epochs_at_a_tolerance_from_a_longer_run_are_those_of_a_run_that_stopped_there(b, alpha):
    """The tolerance table's oracle: a run continued to tol/10 gives, at tol, the convergence step
    of the compiled stopping rule of a run that stopped at tol (the same seed and path)."""
    import math
    from numeric.sgd.summary import confirmed
    p = _problem(n=400)
    f_star = newton(p)[1]
    spe = p.n // b
    every, window = max(1, spe // 5), math.ceil(2 * spe)
    for seed in (0, 2):
        kw = dict(alpha=alpha, batch=b, max_steps=80 * spe, check_every=every, seed=seed, window=window,
                  window_frac=0.2)
        short, long = run_once(p, f_star, target=1e-2, **kw), run_once(p, f_star, target=1e-3, **kw)
        assert confirmed(long.gaps, 1e-2, every, window) == (short.conv_step, short.first_hit)
        assert confirmed(long.gaps, 1e-3, every, window)[0] == long.conv_step
        # and at a looser tolerance too: the stopped run's epochs to 10 tol are the continued run's
        assert confirmed(short.gaps, 1e-1, every, window) == confirmed(long.gaps, 1e-1, every, window)


def test_a_seed_that_stopped_counts_with_its_last_gap_in_the_median_curve():
    from types import SimpleNamespace
    from numeric.sgd.summary import curve
    nan = np.nan
    outs = [SimpleNamespace(gaps=np.array(g)) for g in
            ([1.0, 0.1, 1e-4, nan, nan], [1.0, 0.5, 0.3, 0.2, 0.1], [1.0, 0.4, 1e-4, nan, nan])]
    c = curve(outs, n=10, b=10, per_epoch=1, horizon=4)    # GD: one check per epoch
    assert list(c["median"]) == [1.0, 0.4, 1e-4, 1e-4, 1e-4]  # not the one seed still running
    assert list(c["hi"]) == [1.0, 0.5, 0.3, 0.2, 0.1]


def test_the_effective_batch_has_the_noise_of_a_batch_drawn_without_replacement():
    """Sigma_1/B_eff equals the finite-population variance (n - b)/(b (n - 1)) Sigma_1, checked
    against the variance of the mean over every subset of size b (exact enumeration)."""
    from itertools import combinations
    from numeric.sgd.summary import effective_batch
    g = np.array([0.3, -1.2, 2.0, 0.7, -0.4, 1.1])
    n, sigma1 = len(g), np.var(g)
    for b in range(1, n):
        means = [np.mean(g[list(c)]) for c in combinations(range(n), b)]
        assert np.var(means) == pytest.approx(sigma1 / effective_batch(n, b), rel=1e-12)
    assert effective_batch(n, n) is None


KERNEL_RUN = """
import hashlib, json
import numpy as np
from numeric.sgd.data import synthetic
from numeric.sgd.kernels import kernel, run_once
from numeric.sgd.problem import Problem, objective
X, y = synthetic(200, 5, 50.0, "logistic", 0)
p = Problem(X, y, 1e-2, objective("logistic"))
out = run_once(p, 0.0, alpha=0.5, beta=0.5, momentum=True, batch=4, max_steps=300, check_every=10, seed=3, gap0=1.0)
digest = hashlib.sha256(out.gaps.tobytes() + out.w.tobytes()).hexdigest()
stats = kernel("logistic").stats
print(json.dumps([digest, sum(stats.cache_hits.values()), sum(stats.cache_misses.values())]))
"""


def test_the_compiled_loop_is_cached_on_disk_and_gives_the_same_bytes(tmp_path):
    """numba compiles the generated loops once per cache folder: a second process loads the
    machine code (a cache hit, no miss) and computes byte-identical results."""
    import json
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path
    from support import HANG, ROOT
    env = dict(os.environ, HW6_CACHE_DIR=str(tmp_path / "cache"), PYTHONPATH=str(ROOT))
    (tmp_path / "cache").mkdir(mode=0o700)
    for topic in Path(os.environ["HW6_CACHE_DIR"]).glob("topic-sgd-*.json"):  # the derivations this run made,
        shutil.copy(topic, tmp_path / "cache" / topic.name)  # if any: only numba's cache starts empty

    def once():
        r = subprocess.run([sys.executable, "-c", KERNEL_RUN], cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=HANG)
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout)
    (first, hits1, misses1), (second, hits2, misses2) = once(), once()
    assert misses1 == 1 and hits1 == 0  # the first process compiles
    assert (misses2, hits2) == (0, 1) and second == first
    assert list((tmp_path / "cache" / "numba").glob("sgd_loops_logistic_*.py"))
    env["HW6_CACHE_DIR"] = "off"  # no cache folder: compiled in a temporary one, the same bytes
    assert once() == [first, 0, 1]
