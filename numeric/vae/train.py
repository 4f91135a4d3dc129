"""Training the VAE with Adam (:func:`numeric.optim.adam`), evaluating the ELBO, and measuring the gradient's variance.

Every gradient here is :func:`numeric.vae.model.elbo_grad` (the Problem 3 formulas with
backpropagated products); no other differentiation is used.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from numeric.optim import adam, apply_updates
from numeric.vae.model import VAE, elbo_grad, elbo_value

__all__ = ["Settings", "evaluate", "train",
           "gradient_variance", "fit_loglog"]


@dataclass(frozen=True)
class Settings:
    seed: int = 0
    epochs: int = 150
    batch: int = 64
    n_eps: int = 1
    hidden: int = 64
    latent: int = 4
    lr: float = 2e-3
    eval_n_eps: int = 8          # samples per point for the reported ELBO (fixed draws)
    var_n_eps: tuple = (1, 2, 4, 8, 16, 32, 64)
    var_repeats: int = 200
    var_batch: int = 32
    quick: bool = False


def evaluate(model: VAE, w, x, eps) -> tuple[float, float, float]:
    """(ELBO, R, KL) per image, mean over ``x``, with the fixed draws ``eps`` (K, n, m)."""
    e, r, k = elbo_value(model, w, x, eps)
    return float(e), float(r), float(k)


def _finite(*values) -> bool:
    return all(np.all(np.isfinite(v)) for v in values)


def train(model: VAE, w, train_x, test_x, st: Settings, rng, tick: Callable = lambda: None):
    """Adam on minibatches of ``st.batch`` with ``st.n_eps`` samples per point. After every
    epoch the ELBO of the training and held-out sets (and the held-out R and KL) is evaluated
    with fixed draws (the same at every epoch, so the curve is smooth).

    A run diverges when a gradient, the parameters or an evaluated ELBO stops being finite
    (a step size far too large): training stops there, the curve ends with the last epoch
    whose values were finite and the parameters are those of that epoch.
    Returns (w, curve dict, diverged): ``diverged`` is None or ``{"epoch", "step"}``."""
    eval_rng = np.random.default_rng([st.seed, 1])
    e_train = eval_rng.normal(size=(st.eval_n_eps, len(train_x), model.shapes.m))
    e_test = eval_rng.normal(size=(st.eval_n_eps, len(test_x), model.shapes.m))
    opt = adam(st.lr, b1=0.9, b2=0.999, eps=1e-8)
    state = opt.init(w)
    curve = {"epoch": [], "train_elbo": [], "test_elbo": [], "test_rec": [], "test_kl": [], "minibatch_elbo": []}

    def record(w, epoch, mb) -> bool:
        test = evaluate(model, w, test_x, e_test)
        row = (("epoch", epoch), ("train_elbo", evaluate(model, w, train_x, e_train)[0]),
               ("test_elbo", test[0]), ("test_rec", test[1]), ("test_kl", test[2]), ("minibatch_elbo", mb))
        if not _finite(*(v for k, v in row[1:] if v is not None)):
            return False
        for key, value in row:
            curve[key].append(value)
        return True
    record(w, 0, None)
    n, step = len(train_x), 0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # divergence is checked below
        for epoch in range(1, st.epochs + 1):
            perm = rng.permutation(n)
            seen, w_epoch = [], w
            for start in range(0, n - st.batch + 1, st.batch):
                xb = train_x[perm[start:start + st.batch]]
                eps = rng.normal(size=(st.n_eps, len(xb), model.shapes.m))
                value, g = elbo_grad(model, w, xb, eps)
                upd, state = opt.update(-g, state)   # ascent on the ELBO: descend on -g
                step += 1
                w_next = apply_updates(w, upd)
                if not _finite(value, g, w_next):
                    return w_epoch, curve, {"epoch": epoch, "step": step}
                w = w_next
                seen.append(value)
            if not record(w, epoch, float(np.mean(seen))):
                return w_epoch, curve, {"epoch": epoch, "step": step}
            tick()
    return w, curve, None


def gradient_variance(model: VAE, w, x, n_eps_list, repeats: int, rng, tick: Callable = lambda: None) -> dict:
    """Total variance (trace of the covariance over ``repeats`` independent draws) of the
    gradient estimate on the fixed batch ``x``, for each n_eps; split into phi and theta.
    The KL part (3.a) is exact, so all of it comes from the reconstruction terms 3.b, 3.c."""
    out = {"n_eps": list(n_eps_list), "total": [], "phi": [], "theta": [], "grad_norm": []}
    for n_eps in n_eps_list:
        gs = np.stack([elbo_grad(model, w, x, rng.normal(size=(n_eps, len(x), model.shapes.m)))[1]
                       for _ in range(repeats)])
        var = gs.var(axis=0, ddof=1)
        out["total"].append(float(var.sum()))
        out["phi"].append(float(var[:model.n_phi].sum()))
        out["theta"].append(float(var[model.n_phi:].sum()))
        out["grad_norm"].append(float(np.linalg.norm(gs.mean(axis=0))))
        tick()
    return out


def fit_loglog(n, v) -> dict:
    """Least-squares line ln v = c + slope ln n; slope, its standard error, and c."""
    X, Y = np.log(np.asarray(n, float)), np.log(np.asarray(v, float))
    A = np.stack([np.ones_like(X), X], axis=1)
    coef, res, *_ = np.linalg.lstsq(A, Y, rcond=None)
    dof = max(len(X) - 2, 1)
    sigma2 = float(np.sum((Y - A @ coef) ** 2)) / dof
    se = float(np.sqrt(sigma2 * np.linalg.inv(A.T @ A)[1, 1]))
    return {"slope": float(coef[1]), "slope_se": se, "intercept": float(coef[0])}
