"""Independent numerical oracles the tests check derived formulas against.

- :func:`central_fd`: central finite differences of a scalar function, error O(h^2);
- :func:`complex_step_jacobian`: the complex-step Jacobian, exact to rounding for analytic f;
- :func:`rel_err`: the relative error |a - b| / |b| (Euclidean / Frobenius norm).

They know nothing of the project: no import from derive, numeric or report.
"""
from __future__ import annotations

import numpy as np

__all__ = ["central_fd", "complex_step_jacobian", "rel_err"]


def central_fd(f, v, h=1e-6):
    """g[p] = (f(v + h e_p) - f(v - h e_p)) / (2 h) for a scalar f of the flat vector v."""
    v = np.asarray(v, dtype=float)
    g = np.zeros_like(v)
    for p in range(v.size):
        e = np.zeros_like(v)
        e[p] = h
        g[p] = (f(v + e) - f(v - e)) / (2 * h)
    return g


def complex_step_jacobian(f, v, h=1e-30):
    """J[..., p] = Im f(v + i h e_p) / h: exact to rounding for analytic f."""
    cols = []
    for p in range(v.shape[0]):
        w = v.astype(complex)
        w[p] += 1j * h
        cols.append(np.imag(f(w)) / h)
    return np.stack(cols, axis=-1)


def rel_err(a, b):
    """|a - b| / |b|."""
    return np.linalg.norm(np.asarray(a) - np.asarray(b)) / np.linalg.norm(b)
