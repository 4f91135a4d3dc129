"""The generators and discriminators of the GAN experiments, with gradients from ``gan_grads``.

Parameters are dicts of arrays with a leading seed axis ``S`` (all seeds train at once);
samples have shape ``(S, n)``. Each model is a small frozen object with

- ``init(rng, S)`` -> params;
- forward: ``logit(p, x)`` (discriminators) or ``sample(p, z)`` (generators);
- backward: ``grad(p, inp, upstream)`` -> dict of parameter gradients of the batch mean of
  ``upstream * output`` (``upstream`` = dLoss/d(output) per sample, shape ``(S, n)``), and,
  for discriminators, ``dx(p, x)`` = d logit / dx per sample.

Every derivative comes from a lambdified derivation: ``gan.quadratic_logit_grads`` (quadratic
logit), ``gan.tanh_unit_grads`` (one tanh layer, the per-layer rule), ``gan.generator_jacobians``
(affine and log-scale generators).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from numeric.gan import grads as gg

__all__ = ["QuadraticDisc", "AffineGen", "LogScaleGen", "TanhMLP", "copy_params", "take_seed"]


def _mean(a):
    return np.mean(a, axis=1, keepdims=True)


def copy_params(p: dict) -> dict:
    return {k: np.array(v, copy=True) for k, v in p.items()}


def take_seed(p: dict, i: int) -> dict:
    """The parameters of seed ``i`` as a one-seed (S = 1) parameter dict."""
    return {k: np.array(v[i:i + 1], copy=True) for k, v in p.items()}


def tile(p: dict, S: int) -> dict:
    """A one-seed parameter dict repeated for ``S`` seeds."""
    return {k: np.repeat(v, S, axis=0) for k, v in p.items()}


@dataclass(frozen=True)
class QuadraticDisc:
    """D(x) = sigma(w0 + w1 x + w2 x^2): represents every Gaussian-vs-Gaussian D* exactly."""

    init_scale: float = 0.1
    kind: str = "quadratic_logistic"

    def facts(self) -> dict:
        return {"kind": self.kind}

    def init(self, rng, S):
        return {"w": self.init_scale * rng.standard_normal((S, 3))}

    def logit(self, p, x):
        w = p["w"]
        return w[:, :1] + w[:, 1:2] * x + w[:, 2:3] * x * x

    def grad(self, p, x, up):
        w = p["w"]
        g0, g1, g2, _ = gg.quadratic_logit_grads(w[:, :1], w[:, 1:2], w[:, 2:3], x)
        return {"w": np.concatenate([_mean(up * g0), _mean(up * g1), _mean(up * g2)], axis=1)}

    def dx(self, p, x):
        w = p["w"]
        return gg.quadratic_logit_grads(w[:, :1], w[:, 1:2], w[:, 2:3], x)[3]


@dataclass(frozen=True)
class AffineGen:
    """G(z) = a z + b, so p_G = N(b, a^2)."""

    a0: float = 1.0
    b0: float = 0.0
    spread: float = 0.2
    kind: str = "affine"

    def facts(self) -> dict:
        return {"kind": self.kind}

    def init(self, rng, S):
        return {"a": self.a0 * np.exp(self.spread * rng.standard_normal((S, 1))),
                "b": self.b0 + self.spread * rng.standard_normal((S, 1))}

    def sample(self, p, z):
        return p["a"] * z + p["b"]

    def grad(self, p, z, up):
        ja, jb = gg.affine_jacobian(z)
        return {"a": _mean(up * ja), "b": _mean(up * jb)}

    def gaussian(self, p):
        """(mean, sd) of p_G, each shape (S,)."""
        return p["b"][:, 0], np.abs(p["a"][:, 0])


@dataclass(frozen=True)
class LogScaleGen:
    """G(z) = e^tau z + b (tau stored as "s"): the same family as AffineGen, a different parametrisation."""

    s0: float = 0.0
    b0: float = 0.0
    spread: float = 0.2
    kind: str = "log_scale"

    def facts(self) -> dict:
        return {"kind": self.kind}

    def init(self, rng, S):
        return {"s": self.s0 + self.spread * rng.standard_normal((S, 1)),
                "b": self.b0 + self.spread * rng.standard_normal((S, 1))}

    def sample(self, p, z):
        return np.exp(p["s"]) * z + p["b"]

    def grad(self, p, z, up):
        js, jb = gg.logscale_jacobian(p["s"], z)
        return {"s": _mean(up * js), "b": _mean(up * jb)}

    def gaussian(self, p):
        return p["b"][:, 0], np.exp(p["s"][:, 0])


@dataclass(frozen=True)
class TanhMLP:
    """y(x) = sum_k v_k tanh(u_k x + c_k) + d, one hidden layer of width K (generator or logit)."""

    width: int = 16
    u_scale: float = 1.0
    v_scale: float = 0.5
    c_scale: float = 1.0
    kind: str = "tanh_mlp"

    def facts(self) -> dict:
        return {"kind": self.kind, "width": self.width}

    def init(self, rng, S):
        K = self.width
        return {"u": self.u_scale * rng.standard_normal((S, 1, K)),
                "c": self.c_scale * rng.standard_normal((S, 1, K)),
                "v": self.v_scale * rng.standard_normal((S, 1, K)) / np.sqrt(K),
                "d": np.zeros((S, 1))}

    def _forward(self, p, x):
        return np.sum(p["v"] * np.tanh(p["u"] * x[:, :, None] + p["c"]), axis=2) + p["d"]

    logit = sample = _forward

    def _rules(self, p, x):
        return gg.tanh_unit_grads(p["v"], p["u"], p["c"], p["d"][:, :, None], x[:, :, None])

    def grad(self, p, x, up):
        gv, gu, gc, _, _ = self._rules(p, x)
        m = lambda g: np.mean(up[:, :, None] * g, axis=1, keepdims=True)
        return {"v": m(gv), "u": m(gu), "c": m(gc), "d": _mean(up)}

    def dx(self, p, x):
        return np.sum(self._rules(p, x)[4], axis=2)
