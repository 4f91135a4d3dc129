"""A small VAE whose gradient is the Problem 3 formulas, fed with backpropagated products.

Networks (one hidden tanh layer each; Kingma and Welling 2014, App. C):

    encoder  h = tanh(W_1 x + b_1),  mu = W_mu h + b_mu,  ell = ln s = W_s h + b_s
    decoder  h' = tanh(V_1 z + c_1), a = V_2 h' + c_2,    pi = sigmoid(a)

The gradient of the ELBO estimate R - KL is computed by calling the functions of
:mod:`numeric.elbo` unchanged (3.a ``kl_grad_phi``; 3.b and 3.c in their logit form
``rec_grad_phi_logits``, ``rec_grad_theta_logits``, elbo.logit_head). Those functions touch the
Jacobians only through products ``g^T v``: ``g_mu_phi.T @ v`` and ``g_s_phi.T @ v`` in 3.a and
3.b, ``einsum("idm,id->im", g_a_z, x - pi)`` (the rows ``g_a_z(z_i)^T (x - pi_i)``) in 3.b and
``einsum("idt,id->t", g_a_theta, x - pi)`` (the sum of ``g_a_theta(z_i)^T (x - pi_i)``) in 3.c.
Here the Jacobian arguments are :class:`EncoderJacobian` and :class:`DecoderJacobian`
operators that evaluate exactly these products by backpropagation (a vector-Jacobian
product, ``g^T v = nabla_w (v^T y)`` with ``v`` fixed, elbo.vjp_chain) through the per-layer
rules of elbo.dense_vjp and elbo.tanh_vjp, composed as in elbo.mlp_vjp. No Jacobian is formed:
a product costs about two forward passes instead of one pass per parameter.

Batches. The formulas are written for one data point. The operators also take a leading
batch axis: ``x`` (B, d), ``mu``, ``ell``, ``s`` (B, m), ``eps`` (n_eps, B, m), ``pi``
(n_eps, B, d); ``g.T @ v`` with ``v`` (B, m) is ``sum_b g(x_b)^T v_b``, and the einsum index
``i`` runs over all leading axes (n_eps, B). Every term is linear in the per-point pieces, so
each function returns ``sum_b`` of its per-point value; :func:`elbo_grad` divides by B.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit, log_expit

from numeric import elbo as eg

__all__ = ["Shapes", "VAE", "views", "EncoderJacobian", "DecoderJacobian", "elbo_grad", "elbo_value",
           "log_bernoulli_logits"]


@dataclass(frozen=True)
class Shapes:
    """Sizes: data d, hidden units of each network, latent m."""

    d: int
    hidden: int
    m: int

    def encoder(self):
        d, H, m = self.d, self.hidden, self.m
        return (("W1", (H, d)), ("b1", (H,)), ("Wmu", (m, H)), ("bmu", (m,)), ("Ws", (m, H)), ("bs", (m,)))

    def decoder(self):
        d, H, m = self.d, self.hidden, self.m
        return (("V1", (H, m)), ("c1", (H,)), ("V2", (d, H)), ("c2", (d,)))


def _size(layout) -> int:
    return sum(int(np.prod(s)) for _, s in layout)


def views(flat: np.ndarray, layout) -> dict:
    """Named reshaped views into one flat parameter vector (no copies)."""
    out, at = {}, 0
    for name, shape in layout:
        n = int(np.prod(shape))
        out[name] = flat[at:at + n].reshape(shape)
        at += n
    return out


class VAE:
    """Parameter layout, initialisation and the two networks' forward and backward passes.

    Parameters live in one flat vector ``w = [phi, theta]`` (``n_phi`` then ``n_theta``).
    """

    def __init__(self, shapes: Shapes):
        self.shapes = shapes
        self.enc_layout, self.dec_layout = shapes.encoder(), shapes.decoder()
        self.n_phi, self.n_theta = _size(self.enc_layout), _size(self.dec_layout)

    @property
    def n_params(self) -> int:
        return self.n_phi + self.n_theta

    def split(self, w):
        return w[:self.n_phi], w[self.n_phi:]

    def init(self, rng, pixel_mean=None) -> np.ndarray:
        """Weights N(0, 1/fan_in), biases 0; the decoder's output bias at the logit of the mean
        pixel (if given), so training starts from the marginal pixel probabilities."""
        w = np.zeros(self.n_params)
        phi, theta = self.split(w)
        for flat, layout in ((phi, self.enc_layout), (theta, self.dec_layout)):
            for name, arr in views(flat, layout).items():
                if arr.ndim == 2:
                    arr[...] = rng.normal(scale=1 / np.sqrt(arr.shape[1]), size=arr.shape)
        if pixel_mean is not None:
            p = np.clip(pixel_mean, 1e-3, 1 - 1e-3)
            views(theta, self.dec_layout)["c2"][...] = np.log(p / (1 - p))
        return w

    # --- encoder --------------------------------------------------------------------
    def encode(self, phi, x):
        """(mu, ell, tape) for inputs x (B, d); the tape keeps what the backward pass needs."""
        P = views(phi, self.enc_layout)
        h = np.tanh(x @ P["W1"].T + P["b1"])
        return h @ P["Wmu"].T + P["bmu"], h @ P["Ws"].T + P["bs"], (P, x, h)

    def encoder_vjp(self, tape, v_mu, v_ell) -> np.ndarray:
        """sum_b [g_mu_phi(x_b)^T v_mu_b + g_s_phi(x_b)^T v_ell_b], flat (n_phi,).

        Dense rule (elbo.dense_vjp) on both output layers, their input products added at h,
        tanh rule (elbo.tanh_vjp), dense rule on the first layer: elbo.mlp_vjp with two heads.
        """
        P, x, h = tape
        delta = (1 - h * h) * (v_mu @ P["Wmu"] + v_ell @ P["Ws"])
        grads = {"W1": delta.T @ x, "b1": delta.sum(0), "Wmu": v_mu.T @ h, "bmu": v_mu.sum(0),
                 "Ws": v_ell.T @ h, "bs": v_ell.sum(0)}
        return np.concatenate([grads[n].ravel() for n, _ in self.enc_layout])

    # --- decoder --------------------------------------------------------------------
    def decode(self, theta, z):
        """(logits a, tape) for latents z (..., m); a has shape (..., d)."""
        P = views(theta, self.dec_layout)
        h = np.tanh(z @ P["V1"].T + P["c1"])
        return h @ P["V2"].T + P["c2"], (P, z, h)

    def decoder_vjp(self, tape, v):
        """(input products, parameter product) for cotangents v (..., d) on the logits:
        the rows g_a_z(z_i)^T v_i (..., m) and sum_i g_a_theta(z_i)^T v_i (n_theta,).
        elbo.mlp_vjp: delta = (1 - h o h) o (V_2^T v), nabla_z = V_1^T delta, ..."""
        P, z, h = tape
        d, m = v.shape[-1], z.shape[-1]
        v2, h2, z2 = v.reshape(-1, d), h.reshape(-1, h.shape[-1]), z.reshape(-1, m)
        delta = (1 - h2 * h2) * (v2 @ P["V2"])
        grads = {"V1": delta.T @ z2, "c1": delta.sum(0), "V2": v2.T @ h2, "c2": v2.sum(0)}
        flat = np.concatenate([grads[n].ravel() for n, _ in self.dec_layout])
        return (delta @ P["V1"]).reshape(z.shape), flat


class _Transposed:
    def __init__(self, jac):
        self.jac = jac

    def __matmul__(self, v):
        return self.jac.vjp(v)


class EncoderJacobian:
    """Stands for g_mu_phi or g_s_phi (one per data point of the batch) in the formulas.

    Only ``g.T @ v`` is defined: for v (B, m) it is ``sum_b g(x_b)^T v_b``, computed by
    backpropagation (:meth:`VAE.encoder_vjp`) and equal to the matrix product with the
    stacked Jacobians (checked in tests/test_vae_gradients.py).
    """

    def __init__(self, model: VAE, tape, head: str):
        self.model, self.tape, self.head = model, tape, head

    @property
    def T(self):
        return _Transposed(self)

    def vjp(self, v):
        v = np.atleast_2d(v)
        zero = np.zeros_like(v)
        return self.model.encoder_vjp(self.tape, *((v, zero) if self.head == "mu" else (zero, v)))


class DecoderJacobian:
    """Stands for g_a_z(z_i) or g_a_theta(z_i) (one per sample row i) in the formulas.

    Defined only inside the two contractions the formulas make, via NumPy's
    ``__array_function__`` protocol: ``einsum("idm,id->im", g_a_z, v)`` gives the rows
    ``g_a_z(z_i)^T v_i`` and ``einsum("idt,id->t", g_a_theta, v)`` gives
    ``sum_i g_a_theta(z_i)^T v_i``, with ``i`` all leading axes of ``v``. Both come from one
    backward pass through the decoder (:meth:`VAE.decoder_vjp`), shared between the two
    operators of one tape when they receive equal ``v``.
    """

    SUBSCRIPTS = {"z": "idm,id->im", "theta": "idt,id->t"}

    def __init__(self, model: VAE, tape, wrt: str, shared: dict):
        self.model, self.tape, self.wrt, self.shared = model, tape, wrt, shared

    def __array_function__(self, func, types, args, kwargs):
        if func is not np.einsum or kwargs or len(args) != 3 or args[1] is not self \
                or args[0] != self.SUBSCRIPTS[self.wrt]:
            raise TypeError(f"DecoderJacobian({self.wrt}) supports only "
                            f"einsum({self.SUBSCRIPTS[self.wrt]!r}, g, v)")
        v = np.asarray(args[2])
        last = self.shared.get("v")
        if last is None or last.shape != v.shape or not np.array_equal(last, v):
            self.shared["v"], self.shared["out"] = v.copy(), self.model.decoder_vjp(self.tape, v)
        return self.shared["out"][0 if self.wrt == "z" else 1]


def log_bernoulli_logits(x, a):
    """ln p(x | z) = sum_k [x_k ln pi_k + (1 - x_k) ln(1 - pi_k)] with pi = sigmoid(a),
    computed from the logits (ln sigmoid(a) = -softplus(-a)): no log(0) when it saturates.

    For binary x (the data sets here) each term is one logarithm, ln sigmoid(a) where x_k = 1
    and ln sigmoid(-a) where x_k = 0: the same bits as the formula (the other term is 0 times a
    finite number), at half the cost.
    """
    x, a = np.asarray(x), np.asarray(a)
    if np.all((x == 0) | (x == 1)):
        return np.sum(log_expit(np.where(x == 1, a, -a)), axis=-1)
    return np.sum(x * log_expit(a) + (1 - x) * log_expit(-a), axis=-1)


def elbo_value(model: VAE, w, x, eps):
    """Mean over the batch of the estimate R - KL (15) - (14), with these eps (n_eps, B, m);
    also the mean R and KL."""
    phi, theta = model.split(w)
    mu, ell, _ = model.encode(phi, x)
    a, _ = model.decode(theta, mu + np.exp(ell) * eps)
    rec = np.mean(log_bernoulli_logits(x, a))  # mean over samples and batch = mean_b R_b
    kl = np.mean(0.5 * np.sum(mu ** 2 + np.expm1(2 * ell) - 2 * ell, axis=-1))
    return rec - kl, rec, kl


def elbo_grad(model: VAE, w, x, eps):
    """(ELBO estimate, its gradient in w = [phi, theta]), both averaged over the batch.

    x: (B, d) in {0, 1}; eps: (n_eps, B, m) standard normal. The gradient is
    3.b - 3.a for phi and 3.c for theta, each the unchanged function of
    :mod:`numeric.elbo`, with operators in place of the Jacobians (module doc).
    """
    phi, theta = model.split(w)
    mu, ell, etape = model.encode(phi, x)
    s = np.exp(ell)
    a, dtape = model.decode(theta, mu + s * eps)
    pi = expit(a)
    g_mu, g_s = EncoderJacobian(model, etape, "mu"), EncoderJacobian(model, etape, "ell")
    shared: dict = {}
    g_a_z, g_a_theta = DecoderJacobian(model, dtape, "z", shared), DecoderJacobian(model, dtape, "theta", shared)
    grad_phi = eg.rec_grad_phi_logits(g_mu, g_s, s, eps, g_a_z, x, pi) - eg.kl_grad_phi(g_mu, g_s, mu, ell)
    grad_theta = eg.rec_grad_theta_logits(g_a_theta, x, pi)
    b = x.shape[0]
    value = np.mean(log_bernoulli_logits(x, a)) - eg.kl_term(mu, ell) / b
    return value, np.concatenate([grad_phi, grad_theta]) / b
