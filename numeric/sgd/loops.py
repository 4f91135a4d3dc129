"""The compiled loops of the SGD sweep, as numba source: the template of a generated module.

Not used as it stands. :func:`numeric.sgd.kernels.compiled` writes this file's text, followed by
the numba versions of the objective's loss ell(m, y) and coefficient c(m, y) (lambdified by
:func:`numeric.lambdified.jit_source`), into one module per objective in a cache folder
(:func:`numeric.jit.load`), where numba's ``cache=True`` keeps the machine code: the loops
compile once per machine (per source), not once per process. The loops and their rules are
documented in :mod:`numeric.sgd.kernels`.
"""
import numpy as np
from numba import njit

__all__ = ["run", "full_value", "rule", "confirmed", "orders", "shuffle", "CONTINUE", "DONE", "DIVERGED",
           "STALLED", "PRUNED"]

ell = coef = None  # the objective's ell(m, y) and c(m, y): defined below this text in the generated module

# verdicts of one check of the stopping rule (:func:`rule`)
CONTINUE, DONE, DIVERGED, STALLED, PRUNED = 0, 1, 2, 3, 4


@njit(cache=True, inline="always")
def next_u(state):
    """splitmix64: (new state, a uniform double in [0, 1))."""
    state = state + np.uint64(0x9E3779B97F4A7C15)
    z = state
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return state, (z >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@njit(cache=True)
def shuffle(order, state):
    """Fisher-Yates driven by splitmix64 (fast, seeded, the same stream on every platform)."""
    for i in range(order.shape[0] - 1, 0, -1):
        state, u = next_u(state)
        j = int(u * (i + 1))
        order[i], order[j] = order[j], order[i]
    return state


@njit(cache=True)
def orders(state, n, epochs):
    """The (epochs, n) shuffles of 0..n-1 a run starting from generator ``state`` uses."""
    order = np.arange(n)
    out = np.empty((epochs, n), dtype=np.int64)
    for e in range(epochs):
        state = shuffle(order, state)
        out[e] = order
    return out


@njit(cache=True, nogil=True)
def window_done(conv, t, spec):
    return conv >= 0 and t - conv >= max(spec.window, int(np.ceil(spec.window_frac * conv)))


@njit(cache=True, nogil=True)
def rule(gap, t, conv, first, best, since, spec):
    """One check of the stopping rule: (verdict, conv, first, best, since)."""
    if not np.isfinite(gap) or gap > spec.div_gap:
        return DIVERGED, -1, first, best, since
    if gap <= spec.target:
        if first < 0:
            first = t
        if conv < 0:
            conv = t
    else:
        conv = -1
    if conv < 0 and t >= spec.prune_step:
        return PRUNED, conv, first, best, since
    if spec.patience > 0 and conv < 0:
        if gap < 0.9 * best:
            best, since = gap, 0
        else:
            since += 1
            if since >= spec.patience:
                return STALLED, conv, first, best, since
    if window_done(conv, t, spec) and t >= spec.min_steps:
        return DONE, conv, first, best, since
    return CONTINUE, conv, first, best, since


@njit(cache=True, nogil=True)
def confirmed(conv, t, spec):
    return conv if window_done(conv, t, spec) else -1


@njit(cache=True, inline="always")
def dot(X, i, w, d):
    # four partial sums: no long chain of dependent additions (deterministic order)
    s0 = s1 = s2 = s3 = 0.0
    k = 0
    while k + 4 <= d:
        s0 += X[i, k] * w[k]
        s1 += X[i, k + 1] * w[k + 1]
        s2 += X[i, k + 2] * w[k + 2]
        s3 += X[i, k + 3] * w[k + 3]
        k += 4
    while k < d:
        s0 += X[i, k] * w[k]
        k += 1
    return (s0 + s1) + (s2 + s3)


@njit(cache=True, nogil=True)
def full_value(X, y, lam, w):
    n, d = X.shape
    margins = np.dot(X, w)
    s = 0.0
    for i in range(n):
        s += ell(margins[i], y[i])
    return s / n + 0.5 * lam * np.dot(w, w)


@njit(cache=True, nogil=True)
def run(X, y, lam, w0, spec):
    """One run of minibatch SGD / heavy ball: (gaps, conv_step, first_hit, diverged, steps_done,
    w, stalled)."""
    n, d = X.shape
    batch, alpha, beta, check_every = spec.batch, spec.alpha, spec.beta, spec.check_every
    w = w0.copy()
    v = np.zeros(d)
    g = np.zeros(d)
    gaps = np.full(spec.max_steps // max(check_every, 1) + 1, np.nan)
    state = spec.state
    order = np.arange(n)
    pos = n
    conv, first, verdict, best, since = -1, -1, CONTINUE, np.inf, 0
    inv_b = 1.0 / batch
    last_check = 0
    next_check = 0 if check_every > 0 else -1  # check_every = 0: never (benchmarks)
    t = 0
    while True:
        if t == next_check:
            next_check += check_every
            gap = (full_value(X, y, lam, w) - spec.f_star) / spec.gap0
            gaps[t // check_every] = gap
            last_check = t
            verdict, conv, first, best, since = rule(gap, t, conv, first, best, since, spec)
            if verdict != CONTINUE:
                break
        if t >= spec.max_steps:
            break
        if spec.t0 > 0:
            alpha = spec.alpha / (1.0 + t / spec.t0)
        if pos + batch > n:
            state = shuffle(order, state)
            pos = 0
        if batch == 1:
            i = order[pos]
            c = coef(dot(X, i, w, d), y[i])
            for k in range(d):
                g[k] = c * X[i, k]
        else:
            g[:] = 0.0
            for j in range(pos, pos + batch):
                i = order[j]
                c = coef(dot(X, i, w, d), y[i])
                for k in range(d):
                    g[k] += c * X[i, k]
        pos += batch
        if spec.momentum:
            for k in range(d):
                v[k] = beta * v[k] + (g[k] * inv_b + lam * w[k])
                w[k] -= alpha * v[k]
        else:
            for k in range(d):
                w[k] -= alpha * (g[k] * inv_b + lam * w[k])
        t += 1
    return (gaps, confirmed(conv, last_check, spec), first, verdict == DIVERGED, t, w,
            verdict == STALLED or verdict == PRUNED)
