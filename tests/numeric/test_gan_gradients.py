"""The lambdified GAN gradients against central finite differences of independently coded losses."""
import numpy as np
import pytest
from scipy.optimize import minimize

from numeric.gan import grads as gg
from numeric.gan.models import AffineGen, LogScaleGen, QuadraticDisc, TanhMLP
from numeric.gan.train import disc_grad, gen_grad
from oracles import central_fd

EPS = 1e-6


def log_sig(t):
    """ln sigma(t), coded independently of derive/ (stable)."""
    return -np.logaddexp(0.0, -t)


def log_one_minus_sig(t):
    return -np.logaddexp(0.0, t)




@pytest.fixture
def rng():
    return np.random.default_rng(123)


def test_logit_loss_grads(rng):
    h = rng.uniform(-6, 6, 50)
    losses = (lambda t: -log_sig(t), lambda t: -log_one_minus_sig(t), log_one_minus_sig)
    got = gg.logit_loss_grads(h)
    for f, g in zip(losses, got):
        np.testing.assert_allclose(g, (f(h + EPS) - f(h - EPS)) / (2 * EPS), rtol=1e-6, atol=1e-8)


def test_disc_loss_grad(rng):
    xr, xf = rng.normal(1, 0.5, 7), rng.normal(0, 1, 7)
    w = rng.normal(0, 0.7, 3)
    loss = lambda w_: np.mean(-log_sig(w_[0] + w_[1] * xr + w_[2] * xr ** 2)
                              - log_one_minus_sig(w_[0] + w_[1] * xf + w_[2] * xf ** 2))
    got = np.array([np.mean(g) for g in gg.disc_loss_grad(*w, xr, xf)])
    np.testing.assert_allclose(got, central_fd(loss, w), rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("which", ["minimax", "nonsat"])
def test_affine_generator_grads(rng, which):
    z = rng.standard_normal(9)
    w = rng.normal(0, 0.7, 3)
    h = lambda xx: w[0] + w[1] * xx + w[2] * xx ** 2
    f = log_one_minus_sig if which == "minimax" else (lambda t: -log_sig(t))
    loss = lambda th: np.mean(f(h(th[0] * z + th[1])))
    theta = np.array([1.3, -0.4])
    fn = gg.gen_minimax_grad if which == "minimax" else gg.gen_nonsat_grad
    got = np.array([np.mean(g) for g in fn(theta[0], theta[1], z, *w)])
    np.testing.assert_allclose(got, central_fd(loss, theta), rtol=1e-6, atol=1e-9)


def test_composite_gradient_equals_per_layer_chain(rng):
    """gan.gen_nonsat_grad (one formula) = logit-loss x quadratic-logit x affine Jacobian (chain)."""
    z = rng.standard_normal((1, 64))
    pg = {"a": np.array([[0.8]]), "b": np.array([[0.3]])}
    pd = {"w": rng.normal(0, 0.5, (1, 3))}
    chain = gen_grad(AffineGen(), pg, QuadraticDisc(), pd, z)
    direct = gg.gen_nonsat_grad(0.8, 0.3, z, *pd["w"][0])
    np.testing.assert_allclose([chain["a"][0, 0], chain["b"][0, 0]], [np.mean(g) for g in direct], rtol=1e-12)


def test_tanh_unit_grads(rng):
    v, u, c, d, xv = rng.normal(size=5)
    f = lambda th: th[0] * np.tanh(th[1] * th[4] + th[2]) + th[3]
    got = np.array([float(np.asarray(g)) for g in gg.tanh_unit_grads(v, u, c, d, xv)])
    np.testing.assert_allclose(got, central_fd(f, np.array([v, u, c, d, xv])), rtol=1e-6, atol=1e-9)


def _flat(p):
    keys = sorted(p)
    return keys, np.concatenate([p[k].ravel() for k in keys])


def _unflat(keys, shapes, theta):
    out, i = {}, 0
    for k in keys:
        n = int(np.prod(shapes[k]))
        out[k] = theta[i:i + n].reshape(shapes[k])
        i += n
    return out


def _check_params(model_grad, loss, p):
    keys, theta = _flat(p)
    shapes = {k: p[k].shape for k in keys}
    got = _flat(model_grad)[1]
    np.testing.assert_allclose(got, central_fd(lambda th: loss(_unflat(keys, shapes, th)), theta), rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("disc", [QuadraticDisc(init_scale=0.5), TanhMLP(width=5)])
def test_discriminator_gradient_through_models(rng, disc):
    pd = disc.init(rng, 1)
    xr, xf = rng.normal(1, 0.5, (1, 11)), rng.normal(0, 1, (1, 11))
    loss = lambda p: np.mean(-log_sig(disc.logit(p, xr)) - log_one_minus_sig(disc.logit(p, xf)))
    _check_params(disc_grad(disc, pd, xr, xf), loss, pd)


@pytest.mark.parametrize("gen,disc", [(AffineGen(), QuadraticDisc(init_scale=0.5)),
                                      (LogScaleGen(), QuadraticDisc(init_scale=0.5)),
                                      (TanhMLP(width=4), TanhMLP(width=6))])
@pytest.mark.parametrize("loss_name", ["nonsat", "minimax"])
def test_generator_gradient_through_models(rng, gen, disc, loss_name):
    pg, pd = gen.init(rng, 1), disc.init(rng, 1)
    z = rng.standard_normal((1, 13))
    f = (lambda t: -log_sig(t)) if loss_name == "nonsat" else log_one_minus_sig
    loss = lambda p: np.mean(f(disc.logit(pd, gen.sample(p, z))))
    _check_params(gen_grad(gen, pg, disc, pd, z, loss=loss_name), loss, pg)


def test_regression_gradient_through_mlp(rng):
    gen = TanhMLP(width=5)
    pg = gen.init(rng, 1)
    z, y = rng.standard_normal((1, 9)), rng.standard_normal((1, 9))
    loss = lambda p: np.mean((gen.sample(p, z) - y) ** 2)
    got = gen.grad(pg, z, gg.regression_grad(gen.sample(pg, z), y))
    _check_params(got, loss, pg)


def test_vanishing_generator_gradient():
    """At D* for p_G = q (Gaussian, so w = c = 0) both generator gradients are exactly 0, and the
    minimax / non-saturating ratio is D/(1-D) per sample."""
    cs = gg.gaussian_coefficients(1.0, 0.5, 1.0, 0.5)
    z = np.linspace(-3, 3, 7)
    for fn in (gg.gen_minimax_grad, gg.gen_nonsat_grad):
        assert all(np.all(np.asarray(g) == 0) for g in fn(0.5, 1.0, z, *cs))
    w, z = (0.3, -0.8, 0.2), np.linspace(-2.9, 2.7, 7)      # h'(x) != 0 on these samples
    mm, ns = gg.gen_minimax_grad(0.5, 1.0, z, *w)[1], gg.gen_nonsat_grad(0.5, 1.0, z, *w)[1]
    xv = 0.5 * z + 1.0
    dv = gg.sigmoid(w[0] + w[1] * xv + w[2] * xv ** 2)
    np.testing.assert_allclose(mm / ns, dv / (1 - dv), rtol=1e-10)


def _train_quadratic_disc(xr, xf):
    """Fit sigma(w0 + w1 x + w2 x^2) by minimising the empirical discriminator loss (L-BFGS, our gradient)."""
    disc = QuadraticDisc()

    def fun(w):
        p = {"w": w[None, :]}
        loss = np.mean(-log_sig(disc.logit(p, xr))) + np.mean(-log_one_minus_sig(disc.logit(p, xf)))
        return loss, disc_grad(disc, p, xr, xf)["w"][0]
    return minimize(fun, np.zeros(3), jac=True, method="L-BFGS-B", options={"gtol": 1e-10}).x


@pytest.mark.parametrize("mg,sg", [(0.0, 1.0), (1.5, 0.7)])
def test_closed_form_d_star_matches_a_trained_discriminator(mg, sg):
    rng = np.random.default_rng(7)
    n = 200_000
    xr, xf = rng.normal(1.0, 0.5, (1, n)), rng.normal(mg, sg, (1, n))
    w = _train_quadratic_disc(xr, xf)
    cs = np.array([float(c) for c in gg.gaussian_coefficients(1.0, 0.5, mg, sg)])
    grid = np.linspace(0.0, 2.0, 41)                                  # the support of q
    d_trained = gg.sigmoid(w[0] + w[1] * grid + w[2] * grid ** 2)
    d_star = gg.sigmoid(cs[0] + cs[1] * grid + cs[2] * grid ** 2)
    assert np.max(np.abs(d_trained - d_star)) < 0.02
    np.testing.assert_allclose(w, cs, atol=0.1 * max(1.0, np.max(np.abs(cs))))


def test_trained_discriminator_is_one_half_when_p_g_equals_q():
    rng = np.random.default_rng(8)
    xr, xf = rng.normal(1.0, 0.5, (1, 200_000)), rng.normal(1.0, 0.5, (1, 200_000))
    w = _train_quadratic_disc(xr, xf)
    grid = np.linspace(0.0, 2.0, 41)
    assert np.max(np.abs(gg.sigmoid(w[0] + w[1] * grid + w[2] * grid ** 2) - 0.5)) < 0.01
    assert np.all(np.array([float(c) for c in gg.gaussian_coefficients(1.0, 0.5, 1.0, 0.5)]) == 0)


def test_w1_by_quantile_quadrature_matches_scipy():
    from scipy.stats import wasserstein_distance

    from numeric.gan.cases import Z_GRID, mixture_case
    case = mixture_case()
    gen = TanhMLP(width=8)
    p = gen.init(np.random.default_rng(3), 2)
    ours = case.distance(gen, p, case.q_target())
    ref_q = case.q_sample(np.random.default_rng(4), 1, 400_000)[0]
    for k in range(2):
        samples = gen.sample({n: v[k:k + 1] for n, v in p.items()}, Z_GRID[None, :])[0]
        assert ours[k] == pytest.approx(wasserstein_distance(samples, ref_q), abs=0.01)


def test_gaussian_case_distance_is_the_exact_kl():
    from numeric.gan.cases import gaussian_case
    case = gaussian_case()
    p = {"a": np.array([[0.7], [-1.2]]), "b": np.array([[0.1], [2.0]])}
    got = case.distance(AffineGen(), p, case.q_target())
    want = [gg.gaussian_kl(0.1, 0.7, 1.0, 0.5), gg.gaussian_kl(2.0, 1.2, 1.0, 0.5)]
    np.testing.assert_allclose(got, want, rtol=1e-12)
