"""Optimizers of Problem 1 in optax's shape: ``init(params) -> state`` and
``update(grads, state, params) -> (updates, state)``, states as small NamedTuples.

Momentum convention (stated, as optax does): ``heavy_ball(lr, beta)`` is
``chain(trace(beta), scale(-lr))``, the velocity form

    v_{t+1} = beta v_t + g_t,   w_{t+1} = w_t - lr v_{t+1}        (v_0 = 0)

of optax.sgd(lr, momentum=beta) and torch.optim.SGD. ``polyak(lr, beta)`` is Polyak's form

    w_{t+1} = w_t - lr g_t + beta (w_t - w_{t-1})                 (w_{-1} = w_0)

For a constant lr the two give the same iterates (derive ``sgd.heavy_ball``; tested), and
with beta = 0 both are ``sgd(lr)``. The compiled loop of :mod:`numeric.sgd.kernels` runs the
same rules; this module is the readable reference and what the tests compare it with.

>>> import numpy as np
>>> opt = heavy_ball(0.1, 0.9)
>>> w = np.array([1.0]); state = opt.init(w)
>>> u, state = opt.update(np.array([2.0]), state, w)
>>> float(apply_updates(w, u)[0])     # first step: v = g, w - lr g
0.8

References: Polyak (1964); Sutskever et al. (2013); optax ``sgd``/``trace``.
"""
from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

__all__ = ["GradientTransformation", "TraceState", "PolyakState", "scale", "trace", "chain", "sgd",
           "heavy_ball", "polyak", "apply_updates", "train"]


class GradientTransformation(NamedTuple):
    init: Callable
    update: Callable


class EmptyState(NamedTuple):
    pass


class TraceState(NamedTuple):
    trace: np.ndarray


class PolyakState(NamedTuple):
    prev: np.ndarray


def scale(step: float) -> GradientTransformation:
    """updates = step * g."""
    return GradientTransformation(lambda params: EmptyState(),
                                  lambda g, state, params=None: (step * g, state))


def trace(decay: float) -> GradientTransformation:
    """v <- decay * v + g (v_0 = 0); updates = v."""
    def update(g, state, params=None):
        v = decay * state.trace + g
        return v, TraceState(v)
    return GradientTransformation(lambda params: TraceState(np.zeros_like(params)), update)


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
        return -lr * g + beta * (params - state.prev), PolyakState(params.copy())
    return GradientTransformation(lambda params: PolyakState(np.array(params, dtype=float)), update)


def apply_updates(params, updates):
    return params + updates


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
