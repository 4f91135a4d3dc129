"""What Polyak's parameters can promise off a quadratic: the counterexample of Lessard, Recht and
Packard (2016, Sec. 4.6), run with the project's own heavy ball (:func:`numeric.optim.polyak`).

The function is smooth and strongly convex with mu = 1 and L = 25 but not quadratic:

    grad f(x) = 25 x            for x < 1,
                x + 24          for 1 <= x < 2,
                25 x - 24       for x >= 2,

with minimiser x* = 0. Polyak's parameters for (mu, L), alpha* = 4/(sqrt L + sqrt mu)^2 = 1/9 and
beta* = ((sqrt L - sqrt mu)/(sqrt L + sqrt mu))^2 = 4/9, contract every quadratic with curvature in
[mu, L] by sqrt(beta*) = 2/3 per step; on this f, heavy ball from x_0 = x_{-1} = 1 settles into a
cycle of period 3 instead.

>>> r = simulate(steps=300)
>>> r["period"], [round(v, 3) for v in r["cycle"]]
(3, [-1.802, 0.647, 2.116])
>>> r["quadratic_rate"] == r["rate_bound"]
True
"""
from __future__ import annotations

import numpy as np

from numeric.optim import apply_updates, heavy_ball, polyak

__all__ = ["MU", "L", "grad", "value", "simulate", "period_of"]

MU, L = 1.0, 25.0
STARTS = (1.0, 0.5)        # the counterexample's start, and one from which heavy ball converges


def grad(x):
    """The piecewise-linear gradient above (elementwise)."""
    x = np.asarray(x, dtype=float)
    return np.where(x < 1, 25 * x, np.where(x < 2, x + 24, 25 * x - 24))


def value(x):
    """f with f(0) = 0, continuous with its derivative at 1 and 2."""
    x = np.asarray(x, dtype=float)
    return np.where(x < 1, 12.5 * x ** 2, np.where(x < 2, 0.5 * x ** 2 + 24 * x - 12, 12.5 * x ** 2 - 24 * x + 36))


def _run(opt, x0: float, steps: int) -> np.ndarray:
    w = np.array([x0])
    state, out = opt.init(w), [x0]
    for _ in range(steps):
        u, state = opt.update(grad(w), state, w)
        w = apply_updates(w, u)
        out.append(float(w[0]))
    return np.array(out)


def period_of(xs, tol: float = 1e-9, longest: int = 12) -> int | None:
    """The smallest p <= ``longest`` with x_{t+p} = x_t (within tol) over the last 3p iterates
    and the iterates not all equal (a fixed point is not a cycle); None if there is none."""
    tail = np.asarray(xs[-3 * longest:])
    for p in range(1, longest + 1):
        if np.all(np.abs(tail[p:] - tail[:-p]) <= tol) and np.ptp(tail) > tol:
            return p
    return None


def simulate(steps: int = 300, shown: int = 40) -> dict:
    """Facts for results.json: the parameters, each start's first ``shown`` iterates and final
    distance to x*, the cycle (sorted) and its period from x_0 = 1, the rate on the quadratic
    f = 25 x^2/2 and the bound sqrt(beta*), and that the velocity form gives the same iterates."""
    alpha = 4 / (np.sqrt(L) + np.sqrt(MU)) ** 2
    beta = ((np.sqrt(L) - np.sqrt(MU)) / (np.sqrt(L) + np.sqrt(MU))) ** 2
    runs = {x0: _run(polyak(alpha, beta), x0, steps) for x0 in STARTS}
    same = all(np.allclose(_run(heavy_ball(alpha, beta), x0, steps), xs, rtol=0, atol=1e-12)
               for x0, xs in runs.items())
    xs = runs[STARTS[0]]
    p = period_of(xs)
    cycle = sorted(float(v) for v in xs[-p:]) if p else []
    quad = np.array([[1 + beta - alpha * L, -beta], [1.0, 0.0]])
    return {"mu": MU, "L": L, "alpha": float(alpha), "beta": float(beta), "steps": steps,
            "starts": [{"x0": x0, "iterates": [float(v) for v in xs[:shown + 1]],
                        "final_distance": float(abs(xs[-1]))} for x0, xs in runs.items()],
            "period": p, "cycle": cycle, "cycle_values": [float(value(v)) for v in cycle],
            "quadratic_rate": float(round(max(abs(np.linalg.eigvals(quad))), 12)),
            "rate_bound": float(round(np.sqrt(beta), 12)), "velocity_form_agrees": bool(same)}
