"""The objective of Problem 1, compiled from the verified ``derive.sgd`` derivations.

    F(w) = (1/n) sum_i ell(x_i^T w, y_i) + (lambda/2) |w|^2
    grad F(w) = (1/n) X^T c(Xw, y) + lambda w,    c(m, y) = d ell / d m
    hess F(w) = (1/n) X^T diag(h(Xw, y)) X + lambda I,   h(m, y) = d^2 ell / d m^2

ell is the definition the derivations start from (``sgd.smoothness`` / ``sgd.lsq_curvature``),
c is the coefficient of x in the result of ``sgd.loss_grad`` / ``sgd.lsq_grad`` and h the result
of ``sgd.smoothness`` / ``sgd.lsq_curvature``: nothing here is differentiated by hand. Before
compiling, :func:`numeric.lambdified.stable` puts sigma and ln(1 + e^u) in floating-point safe
forms (equal, checked in the tests; NumPy's overflow warning is silenced).

>>> import numpy as np
>>> obj = objective("logistic")
>>> float(obj.coef(np.array(0.0), np.array(1.0)))   # -y sigma(-y m) at m = 0
-0.5
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import numpy as np
import sympy as sp

from numeric.lambdified import compile_expr, jit_source, stable

__all__ = ["Objective", "objective", "Problem", "newton", "constants"]

OBJECTIVES = ("logistic", "least-squares")
_IDS = {"logistic": ("sgd.loss_grad", "sgd.smoothness"),
        "least-squares": ("sgd.lsq_grad", "sgd.lsq_curvature")}


@lru_cache(maxsize=1)
def _topic() -> dict:
    from derive.topics import load
    return {d.id: d for d in load(["sgd"])}


def _coef_of_x(result):
    """(coefficient of x, coefficient of w) in ``c x + r w`` (the gradient results)."""
    from derive.symbols import w_vec as w, x_vec as x
    x1, w1 = sp.Symbol("x1", real=True), sp.Symbol("w1", real=True)
    r = sp.Matrix(result.subs({x: sp.Matrix([[x1]]), w: sp.Matrix([[w1]])}).doit())[0, 0]
    return sp.expand(r).coeff(x1), sp.diff(r, w1)


@dataclass(frozen=True)
class Objective:
    """Scalar pieces of one objective as SymPy expressions in (m, y) and their compiled forms.

    loss(m, y), coef(m, y), curv(m, y): NumPy ufunc-like; :meth:`jit_source`: numba source;
    curv_max: sup over m of curv at |y| = 1 (the constant in L); reg: the coefficient of w
    in the gradient (lambda).
    """

    name: str
    loss_expr: sp.Expr
    coef_expr: sp.Expr
    curv_expr: sp.Expr
    loss: Callable
    coef: Callable
    curv: Callable
    curv_max: float

    def jit_source(self) -> str:
        """Source that defines ``ell(m, y)`` and ``coef(m, y)``, the loss and the coefficient as
        numba scalar functions (:func:`numeric.lambdified.jit_source`)."""
        from derive.symbols import margin as m, y
        return jit_source(self.loss_expr, (m, y), "ell") + "\n\n" + jit_source(self.coef_expr, (m, y), "coef")


@lru_cache(maxsize=None)
def objective(name: str) -> Objective:
    """The compiled objective ``"logistic"`` or ``"least-squares"``."""
    from derive.symbols import lam, margin as m, y
    grad_id, curv_id = _IDS[name]
    top = _topic()
    coef, reg = _coef_of_x(top[grad_id].result)
    if sp.simplify(reg - lam) != 0:
        raise AssertionError(f"{grad_id}: the coefficient of w is {reg}, expected lambda")
    curv = top[curv_id].result
    loss = top[curv_id].start.args[0]  # the definition: Derivative(ell(m), (m, 2))
    from derive.symbols import logistic as sigma
    loss_s, coef_s, curv_s = (stable(e, sigma) for e in (loss, coef, curv))
    args = (m, y)
    curv_f = compile_expr(curv_s, args)
    curv_max = float(np.max(curv_f(np.linspace(-5, 5, 2001), 1.0) * np.ones(2001)))
    return Objective(name, loss_s, coef_s, curv_s, compile_expr(loss_s, args), compile_expr(coef_s, args),
                     curv_f, curv_max)


@dataclass(frozen=True)
class Problem:
    """Data and regularisation: X (n, d) float64 C-contiguous, y (n,) float64, lam > 0."""

    X: np.ndarray
    y: np.ndarray
    lam: float
    obj: Objective

    def __reduce__(self):
        # a joblib worker rebuilds the compiled objective from its name (lambdified code does not pickle)
        return (_rebuild, (self.X, self.y, self.lam, self.obj.name))

    @property
    def n(self) -> int:
        return self.X.shape[0]

    @property
    def d(self) -> int:
        return self.X.shape[1]

    def value(self, w) -> float:
        """F(w)."""
        with np.errstate(over="ignore"):
            return float(np.mean(self.obj.loss(self.X @ w, self.y)) + 0.5 * self.lam * (w @ w))

    def grad(self, w, idx=None) -> np.ndarray:
        """grad F(w), or the minibatch gradient over the rows ``idx``."""
        X, y = (self.X, self.y) if idx is None else (self.X[idx], self.y[idx])
        with np.errstate(over="ignore"):
            return X.T @ self.obj.coef(X @ w, y) / len(y) + self.lam * w

    def per_sample_grads(self, w) -> np.ndarray:
        """(n, d): grad f_i(w) for every i."""
        with np.errstate(over="ignore"):
            return self.obj.coef(self.X @ w, self.y)[:, None] * self.X + self.lam * w

    def hess(self, w) -> np.ndarray:
        with np.errstate(over="ignore"):
            h = self.obj.curv(self.X @ w, self.y) * np.ones(self.n)
        return (self.X.T * h) @ self.X / self.n + self.lam * np.eye(self.d)


def _rebuild(X, y, lam, name) -> Problem:
    return Problem(X, y, lam, objective(name))


def newton(p: Problem, tol: float = 1e-12, max_iter: int = 100):
    """Damped Newton from w = 0 until |grad F| <= tol: returns (w*, F*, iterations, |grad|).

    Backtracking (Armijo) keeps it globally convergent on the logistic loss; near w* the full
    step is taken and convergence is quadratic.
    """
    w = np.zeros(p.d)
    f = p.value(w)
    for it in range(1, max_iter + 1):
        g = p.grad(w)
        gn = float(np.linalg.norm(g))
        if gn <= tol:
            return w, f, it - 1, gn
        step = np.linalg.solve(p.hess(w), g)
        t = 1.0
        while t > 1e-10:
            w_new = w - t * step
            f_new = p.value(w_new)
            if f_new <= f - 1e-4 * t * (g @ step) or gn < 1e-6:
                break
            t *= 0.5
        w, f = w_new, f_new
    g = p.grad(w)
    return w, p.value(w), max_iter, float(np.linalg.norm(g))


def constants(p: Problem, w_star) -> dict:
    """L, mu (global, from ``sgd.smoothness``), the local constants at w*, L_max, Polyak's
    (alpha*, beta*) from the local constants (``sgd.polyak_alpha``/``sgd.polyak_beta``)."""
    from derive.symbols import L as Ls, kappa as ks, mu_sc as ms
    top = _topic()
    gram = np.linalg.eigvalsh(p.X.T @ p.X / p.n)
    if p.obj.name == "logistic":
        L, mu = p.obj.curv_max * gram[-1] + p.lam, p.lam
    else:
        L, mu = gram[-1] + p.lam, gram[0] + p.lam
    loc = np.linalg.eigvalsh(p.hess(w_star))
    L_loc, mu_loc = float(loc[-1]), float(loc[0])
    a_star = float(compile_expr(top["sgd.polyak_alpha"].result, (Ls, ms))(L_loc, mu_loc))
    b_star = float(compile_expr(top["sgd.polyak_beta"].result, (ks,))(L_loc / mu_loc))
    L_max = float(p.obj.curv_max * np.max(np.einsum("ij,ij->i", p.X, p.X)) + p.lam)
    return {"L": float(L), "mu": float(mu), "kappa": float(L / mu), "L_local": L_loc, "mu_local": mu_loc,
            "kappa_local": L_loc / mu_loc, "L_max": L_max, "polyak_alpha": a_star, "polyak_beta": b_star,
            "gd_alpha": 2.0 / (L_loc + mu_loc)}
