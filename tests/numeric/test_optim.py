"""The optimizers of numeric.optim against the published update rules, written out here."""
import numpy as np
import pytest

from numeric.optim import adam, apply_updates, heavy_ball, polyak


def reference_adam(grads, lr, b1, b2, eps):
    """Kingma and Ba (2015), Algorithm 1, step by step (descent)."""
    m = v = 0.0
    out, w = [], 0.0
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        w = w - lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
        out.append(w)
    return np.array(out)


def test_adam_first_step_is_lr_times_sign():
    g = np.array([3.0, -0.5, 1e-3])
    opt = adam(0.1)
    upd, st = opt.update(g, opt.init(np.zeros(3)))
    np.testing.assert_allclose(upd, -0.1 * np.sign(g), rtol=1e-4)
    assert st[0].count == 1


@pytest.mark.parametrize("b1", [0.5, 0.9])
def test_adam_matches_the_paper_over_many_steps(b1):
    rng = np.random.default_rng(0)
    grads = rng.normal(size=50)
    opt = adam(0.01, b1=b1, b2=0.999, eps=1e-8)
    w, st, path = {"a": np.zeros(1)}, opt.init({"a": np.zeros(1)}), []
    for g in grads:
        u, st = opt.update({"a": np.array([g])}, st)
        w = apply_updates(w, u)
        path.append(w["a"][0])
    np.testing.assert_allclose(path, reference_adam(grads, 0.01, b1, 0.999, 1e-8), rtol=1e-12)


def test_dict_trees_give_the_same_iterates_as_arrays():
    rng = np.random.default_rng(1)
    gs = rng.normal(size=(20, 3))
    for make in (lambda: heavy_ball(0.1, 0.7), lambda: adam(0.05)):
        a, b = make(), make()
        wa, wb = np.zeros(3), {"x": np.zeros(3)}
        sa, sb = a.init(wa), b.init(wb)
        for g in gs:
            ua, sa = a.update(g, sa, wa)
            ub, sb = b.update({"x": g}, sb, wb)
            wa, wb = apply_updates(wa, ua), apply_updates(wb, ub)
        np.testing.assert_array_equal(wa, wb["x"])


def test_polyak_and_velocity_forms_agree_on_trees():
    rng = np.random.default_rng(2)
    gs = rng.normal(size=(30, 2))
    hb, pk = heavy_ball(0.2, 0.6), polyak(0.2, 0.6)
    w1 = w2 = {"x": np.ones(2)}
    s1, s2 = hb.init(w1), pk.init(w2)
    for g in gs:
        u1, s1 = hb.update({"x": g}, s1, w1)
        u2, s2 = pk.update({"x": g}, s2, w2)
        w1, w2 = apply_updates(w1, u1), apply_updates(w2, u2)
    np.testing.assert_allclose(w1["x"], w2["x"], rtol=1e-12)
