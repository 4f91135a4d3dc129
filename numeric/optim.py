"""The optimizers of the experiments in optax's shape: ``init(params) -> state`` and
``update(grads, state, params) -> (updates, state)``, states as small NamedTuples. Parameters
and gradients are arrays or dicts of arrays (the GAN's per-layer parameters); the rules apply
leaf by leaf.

Momentum convention (stated, as optax does): ``heavy_ball(lr, beta)`` is
``chain(trace(beta), scale(-lr))``, the velocity form

    v_{t+1} = beta v_t + g_t,   w_{t+1} = w_t - lr v_{t+1}        (v_0 = 0)

of optax.sgd(lr, momentum=beta) and torch.optim.SGD. ``polyak(lr, beta)`` is Polyak's form

    w_{t+1} = w_t - lr g_t + beta (w_t - w_{t-1})                 (w_{-1} = w_0)

For a constant lr the two give the same iterates (derive ``sgd.heavy_ball``; tested), and
with beta = 0 both are ``sgd(lr)``. The compiled loop of :mod:`numeric.sgd.kernels` runs the
same rules; this module is the readable reference and what the tests compare it with.

``adam(lr, b1, b2, eps)`` is ``chain(scale_by_adam(b1, b2, eps), scale(-lr))`` (Kingma and Ba
2015), as optax.adam:

    m_t = b1 m_{t-1} + (1 - b1) g_t,   v_t = b2 v_{t-1} + (1 - b2) g_t^2,
    updates = -lr (m_t / (1 - b1^t)) / (sqrt(v_t / (1 - b2^t)) + eps)

The GAN (both players) and the VAE (ascent on the ELBO: descend on -g) train with it.

>>> import numpy as np
>>> opt = heavy_ball(0.1, 0.9)
>>> w = np.array([1.0]); state = opt.init(w)
>>> u, state = opt.update(np.array([2.0]), state, w)
>>> float(apply_updates(w, u)[0])     # first step: v = g, w - lr g
0.8
>>> opt = adam(0.1)
>>> u, _ = opt.update({"a": np.array([3.0])}, opt.init({"a": np.zeros(1)}))
>>> round(float(u["a"][0]), 6)          # the first Adam step has length lr
-0.1

References: Polyak (1964); Sutskever et al. (2013); Kingma and Ba (2015); optax ``sgd``,
``trace``, ``adam``.
"""
from __future__ import annotations

from typing import Any, Callable, NamedTuple

import numpy as np

__all__ = ["GradientTransformation", "TraceState", "PolyakState", "AdamState", "tree_map", "scale",
           "trace", "scale_by_adam", "chain", "sgd", "heavy_ball", "polyak", "adam", "apply_updates",
           "train"]


class GradientTransformation(NamedTuple):
    init: Callable
    update: Callable


class EmptyState(NamedTuple):
    pass


class TraceState(NamedTuple):
    trace: Any


class PolyakState(NamedTuple):
    prev: Any


class AdamState(NamedTuple):
    count: int
    mu: Any
    nu: Any


def tree_map(f: Callable, tree, *rest):
    """``f`` applied leaf by leaf: to the arrays of a dict (same keys in ``rest``), or to an array."""
    if isinstance(tree, dict):
        return {k: f(v, *(r[k] for r in rest)) for k, v in tree.items()}
    return f(tree, *rest)


def _zeros(params):
    return tree_map(lambda p: np.zeros_like(p, dtype=float), params)


def scale(step: float) -> GradientTransformation:
    """updates = step * g."""
    return GradientTransformation(lambda params: EmptyState(),
                                  lambda g, state, params=None: (tree_map(lambda x: step * x, g), state))


def trace(decay: float) -> GradientTransformation:
    """v <- decay * v + g (v_0 = 0); updates = v."""
    def update(g, state, params=None):
        v = tree_map(lambda t, x: decay * t + x, state.trace, g)
        return v, TraceState(v)
    return GradientTransformation(lambda params: TraceState(_zeros(params)), update)


def scale_by_adam(b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8) -> GradientTransformation:
    """m <- b1 m + (1 - b1) g,  v <- b2 v + (1 - b2) g^2,  updates = m_hat / (sqrt(v_hat) + eps)
    with the bias corrections m_hat = m / (1 - b1^t), v_hat = v / (1 - b2^t)."""
    def update(g, state, params=None):
        t = state.count + 1
        mu = tree_map(lambda m, x: b1 * m + (1 - b1) * x, state.mu, g)
        nu = tree_map(lambda v, x: b2 * v + (1 - b2) * x * x, state.nu, g)
        c1, c2 = 1 - b1 ** t, 1 - b2 ** t
        return tree_map(lambda m, v: (m / c1) / (np.sqrt(v / c2) + eps), mu, nu), AdamState(t, mu, nu)
    return GradientTransformation(lambda params: AdamState(0, _zeros(params), _zeros(params)), update)


def chain(*ts: GradientTransformation) -> GradientTransformation:
    """Apply the transformations in order."""
    def init(params):
        return tuple(t.init(params) for t in ts)

    def update(g, state, params=None):
        new = []
        for t, s in zip(ts, state):
            g, s = t.update(g, s, params)
            new.append(s)
        return g, tuple(new)
    return GradientTransformation(init, update)


def sgd(lr: float) -> GradientTransformation:
    """w <- w - lr g."""
    return scale(-lr)


def heavy_ball(lr: float, beta: float) -> GradientTransformation:
    """Velocity form: v <- beta v + g, w <- w - lr v."""
    return chain(trace(beta), scale(-lr))


def polyak(lr: float, beta: float) -> GradientTransformation:
    """Polyak's form: w <- w - lr g + beta (w - w_prev)."""
    def update(g, state, params):
        upd = tree_map(lambda x, w, prev: -lr * x + beta * (w - prev), g, params, state.prev)
        return upd, PolyakState(tree_map(np.copy, params))
    return GradientTransformation(lambda params: PolyakState(tree_map(lambda p: np.array(p, dtype=float), params)),
                                  update)


def adam(lr: float, b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8) -> GradientTransformation:
    """Adam (Kingma and Ba 2015): ``chain(scale_by_adam(b1, b2, eps), scale(-lr))``."""
    return chain(scale_by_adam(b1, b2, eps), scale(-lr))


def apply_updates(params, updates):
    """params + updates, leaf by leaf."""
    return tree_map(lambda p, u: p + u, params, updates)


def train(problem, opt: GradientTransformation, batch: int, steps: int, orders=None, w0=None):
    """Plain NumPy loop: ``steps`` updates with minibatches taken in the order of ``orders``
    (one shuffle per epoch, rows ``(epochs, n)``; None: full batch). Returns the iterates
    (steps + 1, d)."""
    w = np.zeros(problem.d) if w0 is None else np.array(w0, dtype=float)
    state, out, per = opt.init(w), [w.copy()], problem.n // batch
    for t in range(steps):
        idx = None if orders is None else orders[t // per, (t % per) * batch:(t % per + 1) * batch]
        u, state = opt.update(problem.grad(w, idx), state, w)
        w = apply_updates(w, u)
        out.append(w.copy())
    return np.array(out)
