"""The VAE's training gradient (issue 6) against independent oracles.

- central finite differences of the ELBO estimate (same eps draws), on small models;
- the explicit-Jacobian route: ``numeric.elbo.elbo_grads`` fed with per-point
  Jacobians from complex-step differentiation, so the backpropagated operators are shown to
  equal the formulas' ``g^T r`` terms;
- PyTorch or JAX autodiff where installed (skipped otherwise; neither is a dependency);
- the per-layer rules of ``derive.elbo.layers``, compiled at a concrete size through the
  lambdify boundary, against the NumPy backward passes.
"""
import numpy as np
import pytest
import sympy as sp

from numeric import elbo as eg
from numeric.vae.model import (VAE, DecoderJacobian, EncoderJacobian, Shapes, elbo_grad, elbo_value, log_bernoulli_logits)
from numeric.vae.train import fit_loglog, gradient_variance
from oracles import central_fd, complex_step_jacobian, rel_err


def _instance(d, hidden, m, batch, n_eps, seed):
    rng = np.random.default_rng(seed)
    model = VAE(Shapes(d, hidden, m))
    x = rng.integers(0, 2, size=(batch, d)).astype(float)
    w = model.init(rng, x.mean(0)) + rng.normal(scale=0.4, size=model.n_params)
    return model, w, x, rng.normal(size=(n_eps, batch, m))






CONFIGS = [(5, 3, 1, 1, 1), (7, 4, 2, 5, 3), (9, 6, 3, 4, 8), (64, 5, 2, 6, 2)]


@pytest.mark.parametrize("cfg", CONFIGS, ids=lambda c: "d%d-H%d-m%d-B%d-n%d" % c)
def test_training_gradient_matches_central_differences(cfg):
    model, w, x, eps = _instance(*cfg, seed=sum(cfg))
    value, g = elbo_grad(model, w, x, eps)
    assert value == pytest.approx(elbo_value(model, w, x, eps)[0], rel=1e-12)
    fd = central_fd(lambda v: elbo_value(model, v, x, eps)[0], w)
    assert rel_err(g, fd) < 1e-6
    assert np.max(np.abs(g - fd)) < 1e-6


def test_a_wrong_gradient_fails_the_same_check():
    """Negative control: without the diag(s o eps_i) g_{s,phi} term of 3.b the check fails."""
    model, w, x, eps = _instance(7, 4, 2, 5, 3, seed=3)
    fd = central_fd(lambda v: elbo_value(model, v, x, eps)[0], w)
    g = elbo_grad(model, w, x, eps)[1]
    phi, theta = model.split(w)
    mu, ell, tape = model.encode(phi, x)
    a, dtape = model.decode(theta, mu + np.exp(ell) * eps)
    shared = {}
    g_mu = EncoderJacobian(model, tape, "mu")
    wrong = eg.rec_grad_phi_logits(g_mu, g_mu, 0 * np.exp(ell), eps, DecoderJacobian(model, dtape, "z", shared),
                                   x, 1 / (1 + np.exp(-a))) - eg.kl_grad_phi(g_mu, EncoderJacobian(model, tape, "ell"),
                                                                            mu, ell)
    assert rel_err(g[:model.n_phi], fd[:model.n_phi]) < 1e-6
    assert rel_err(wrong / len(x), fd[:model.n_phi]) > 1e-3


# --- the operators are the formulas' g^T r terms ----------------------------------------



def _explicit_jacobians(model, w, xb, eps_b):
    """One data point: g_mu_phi, g_s_phi (m, n_phi); g_pi_z (n_eps, d, m); g_pi_theta (n_eps, d, n_theta)."""
    phi, theta = model.split(w)
    enc = lambda p: model.encode(p, xb[None])[:2]
    g_mu = complex_step_jacobian(lambda p: enc(p)[0][0], phi)
    g_s = complex_step_jacobian(lambda p: enc(p)[1][0], phi)
    mu, ell = (a[0] for a in enc(phi))
    z = mu + np.exp(ell) * eps_b
    sig = lambda a: 1 / (1 + np.exp(-a))
    pi_z = lambda zz: sig(model.decode(theta, zz[None])[0][0])
    g_pi_z = np.array([complex_step_jacobian(pi_z, zi) for zi in z])
    g_pi_th = np.array([complex_step_jacobian(lambda t: sig(model.decode(t, zi[None])[0][0]), theta) for zi in z])
    return mu, ell, sig(model.decode(theta, z)[0]), g_mu, g_s, g_pi_z, g_pi_th


@pytest.mark.parametrize("cfg", CONFIGS[1:3], ids=lambda c: "d%d-H%d-m%d-B%d-n%d" % c)
def test_operators_equal_the_explicit_jacobian_formulas(cfg):
    """elbo_grad (operators, batched) == mean over points of elbo_gradients.elbo_grads fed
    with explicit Jacobians (general 3.b, 3.c with r, not the logit form)."""
    model, w, x, eps = _instance(*cfg, seed=11)
    per_point = []
    for b in range(len(x)):
        mu, ell, pi, g_mu, g_s, g_pi_z, g_pi_th = _explicit_jacobians(model, w, x[b], eps[:, b])
        gp, gt = eg.elbo_grads(g_mu, g_s, mu, ell, eps[:, b], x[b], pi, g_pi_z, g_pi_th)
        per_point.append(np.concatenate([gp, gt]))
    np.testing.assert_allclose(elbo_grad(model, w, x, eps)[1], np.mean(per_point, axis=0), rtol=1e-9, atol=1e-11)


def test_encoder_operator_is_the_stacked_jacobian_product():
    model, w, x, _ = _instance(6, 4, 3, 4, 1, seed=5)
    phi = model.split(w)[0]
    _, _, tape = model.encode(phi, x)
    v = np.random.default_rng(0).normal(size=(4, 3))
    for head, k in (("mu", 0), ("ell", 1)):
        J = [complex_step_jacobian(lambda p: model.encode(p, x[b:b + 1])[k][0], phi) for b in range(4)]
        expected = sum(J[b].T @ v[b] for b in range(4))
        np.testing.assert_allclose(EncoderJacobian(model, tape, head).T @ v, expected, rtol=1e-10, atol=1e-12)


def test_decoder_operator_is_the_einsum_of_the_formulas():
    model, w, _, _ = _instance(5, 3, 2, 1, 1, seed=6)
    theta = model.split(w)[1]
    rng = np.random.default_rng(1)
    z, v = rng.normal(size=(3, 2)), rng.normal(size=(3, 5))
    _, tape = model.decode(theta, z)
    g_a_z = np.array([complex_step_jacobian(lambda zz: model.decode(theta, zz[None])[0][0], zi) for zi in z])
    g_a_t = np.array([complex_step_jacobian(lambda t: model.decode(t, zi[None])[0][0], theta) for zi in z])
    shared = {}
    np.testing.assert_allclose(np.einsum("idm,id->im", DecoderJacobian(model, tape, "z", shared), v),
                               np.einsum("idm,id->im", g_a_z, v), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(np.einsum("idt,id->t", DecoderJacobian(model, tape, "theta", shared), v),
                               np.einsum("idt,id->t", g_a_t, v), rtol=1e-10, atol=1e-12)
    with pytest.raises(TypeError):
        np.einsum("idm,id->i", DecoderJacobian(model, tape, "z", shared), v)
    with pytest.raises(TypeError):
        np.sum(DecoderJacobian(model, tape, "z", shared))


def test_stable_log_likelihood_equals_rec_term():
    rng = np.random.default_rng(2)
    x, a = rng.integers(0, 2, size=(4, 9)).astype(float), rng.normal(scale=3, size=(3, 4, 9))
    assert np.mean(log_bernoulli_logits(x, a)) == pytest.approx(eg.rec_term(x, 1 / (1 + np.exp(-a))), rel=1e-12)
    assert np.isfinite(log_bernoulli_logits(np.ones(3), np.array([-800.0, 0.0, 800.0])))


# --- autodiff oracles (optional) -----------------------------------------------------------

def _torch_elbo(torch, model, w, x, eps):
    wt = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    phi, theta = wt[:model.n_phi], wt[model.n_phi:]

    def views(flat, layout):
        out, at = {}, 0
        for name, shape in layout:
            n = int(np.prod(shape))
            out[name] = flat[at:at + n].reshape(shape)
            at += n
        return out
    P, Q = views(phi, model.enc_layout), views(theta, model.dec_layout)
    xt, et = torch.tensor(x), torch.tensor(eps)
    h = torch.tanh(xt @ P["W1"].T + P["b1"])
    mu, ell = h @ P["Wmu"].T + P["bmu"], h @ P["Ws"].T + P["bs"]
    z = mu + torch.exp(ell) * et
    a = torch.tanh(z @ Q["V1"].T + Q["c1"]) @ Q["V2"].T + Q["c2"]
    rec = -torch.nn.functional.binary_cross_entropy_with_logits(a, xt.expand_as(a), reduction="none").sum(-1).mean()
    kl = (0.5 * (mu ** 2 + torch.exp(2 * ell) - 1 - 2 * ell).sum(-1)).mean()
    (rec - kl).backward()
    return wt.grad.numpy()


def test_against_pytorch_autograd():
    torch = pytest.importorskip("torch")
    model, w, x, eps = _instance(9, 6, 3, 4, 8, seed=21)
    np.testing.assert_allclose(elbo_grad(model, w, x, eps)[1], _torch_elbo(torch, model, w, x, eps),
                               rtol=1e-9, atol=1e-12)


def test_against_jax_grad():
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    jnp = jax.numpy
    model, w, x, eps = _instance(9, 6, 3, 4, 8, seed=22)

    def f(wj):
        phi, theta = wj[:model.n_phi], wj[model.n_phi:]
        P, at = {}, 0
        for name, shape in model.enc_layout:
            n = int(np.prod(shape)); P[name] = phi[at:at + n].reshape(shape); at += n
        Q, at = {}, 0
        for name, shape in model.dec_layout:
            n = int(np.prod(shape)); Q[name] = theta[at:at + n].reshape(shape); at += n
        h = jnp.tanh(x @ P["W1"].T + P["b1"])
        mu, ell = h @ P["Wmu"].T + P["bmu"], h @ P["Ws"].T + P["bs"]
        a = jnp.tanh((mu + jnp.exp(ell) * eps) @ Q["V1"].T + Q["c1"]) @ Q["V2"].T + Q["c2"]
        rec = jnp.mean(jnp.sum(x * jax.nn.log_sigmoid(a) + (1 - x) * jax.nn.log_sigmoid(-a), -1))
        return rec - jnp.mean(0.5 * jnp.sum(mu ** 2 + jnp.exp(2 * ell) - 1 - 2 * ell, -1))
    np.testing.assert_allclose(elbo_grad(model, w, x, eps)[1], np.asarray(jax.grad(f)(jnp.asarray(w))),
                               rtol=1e-9, atol=1e-12)


# --- the derived per-layer rules, compiled, against the NumPy backward pass ---------------

def test_derived_mlp_rules_compile_to_the_decoder_backward_pass():
    """Each line of elbo.mlp_vjp, made explicit at the decoder's sizes and lambdified
    (numeric.lambdified), equals the corresponding part of VAE.decoder_vjp."""
    from derive.elbo import layers as L
    from numeric.lambdified import compile_expr
    d_out, hid, m = 4, 3, 2
    model, w, _, _ = _instance(d_out, hid, m, 1, 1, seed=8)
    theta = model.split(w)[1]
    rng = np.random.default_rng(3)
    z, v = rng.normal(size=(1, m)), rng.normal(size=(1, d_out))
    _, tape = model.decode(theta, z)
    dz, flat = model.decoder_vjp(tape, v)
    from numeric.vae.model import views
    got = {**views(flat, model.dec_layout), "x": dz[0]}
    P = tape[0]
    values = {"W_1": P["V1"], "b_1": P["c1"][:, None], "W_2": P["V2"], "b_2": P["c2"][:, None],
              "x": z.T, "v": v.T}
    names = {"W_2": "V2", "b_2": "c2", "W_1": "V1", "b_1": "c1", "x": "x"}
    dims = {L.n_out: d_out, L.n_h: hid, L.n_in: m}
    drv = L.mlp_vjp()
    lhs = [drv.lhs] + [s.lhs for s in drv.steps[1:]]
    for left, step in zip(lhs, drv.steps):
        rhs = step.rhs
        for _ in drv.where:  # the Let rows read forwards: a later row may use an earlier name
            for name, value in drv.where:
                rhs = rhs.subs(name, value)
        expl = L.instantiate(rhs, dims)
        syms, vals = [], []
        for ms in sorted(rhs.atoms(sp.MatrixSymbol), key=str):
            if ms.name == r"\mathbf{1}":
                continue
            E = L.symbol_matrix(ms, dims)
            syms += list(E)
            vals += list(np.asarray(values[ms.name], float).ravel())
        f = compile_expr(sp.ImmutableMatrix(expl), syms)
        out = np.asarray(f(*vals), float)
        want = got[names[left.args[1].name]]
        np.testing.assert_allclose(out.reshape(want.shape), want, rtol=1e-12, atol=1e-12)


# --- training pieces -------------------------------------------------------------------------

def test_loglog_fit_recovers_a_power_law():
    n = np.array([1, 2, 4, 8, 16])
    fit = fit_loglog(n, 5.0 * n ** -1.0)
    assert fit["slope"] == pytest.approx(-1.0, abs=1e-12) and fit["slope_se"] < 1e-10


def test_gradient_variance_falls_as_one_over_n_eps():
    model, w, x, _ = _instance(16, 8, 2, 8, 1, seed=4)
    v = gradient_variance(model, w, x, (1, 4, 16, 64), 150, np.random.default_rng(0))
    fit = fit_loglog(v["n_eps"], v["total"])
    assert fit["slope"] == pytest.approx(-1.0, abs=0.12)


def test_the_binary_shortcut_of_the_bernoulli_log_likelihood_gives_the_same_bits():
    """log_bernoulli_logits takes one logarithm per pixel when x is binary: the same bits as
    x ln sigma(a) + (1 - x) ln sigma(-a); a non-binary x takes the formula itself."""
    from scipy.special import log_expit
    rng = np.random.default_rng(0)
    a = 30 * rng.standard_normal((4, 16, 25))
    for x in ((rng.random((16, 25)) < 0.3).astype(float), rng.random((16, 25))):
        ref = np.sum(x * log_expit(a) + (1 - x) * log_expit(-a), axis=-1)
        assert log_bernoulli_logits(x, a).tobytes() == ref.tobytes()
