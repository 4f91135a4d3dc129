"""NumPy versions of the verified ``derive.gan`` results, compiled at the one lambdify boundary.

Each function here is the lambdified right-hand side of a derivation (named in its docstring);
nothing is differentiated by hand. The logistic function is compiled in the form of
:func:`numeric.lambdified.stable`, sigma(t) = 1/(1 + e^{-t}) (an overflow of e^{-t} gives the
correct limit 0; the warning is silenced).

All functions broadcast: pass arrays of any compatible shapes (the experiments use a leading
seed axis, shape ``(S, n)`` for samples and ``(S, 1)`` or ``(S, 1, K)`` for parameters).

>>> import numpy as np
>>> float(logit_loss_grads(np.array(0.0))[1])   # d/dh of -ln(1 - sigma(h)) at h = 0
0.5
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import sympy as sp
from scipy.special import expit

from derive.symbols import mu_G, mu_q, sigma_G, sigma_q
from derive.symbols import a, b, c, d_off as d, h, s, u, v, w_quad as w, x_f, x_r, y_target as y_t
from derive.symbols import logistic as sigma, x, z
from derive.topics import load

from numeric.lambdified import compile_expr, stable

__all__ = ["logit_loss_grads", "quadratic_logit_grads", "disc_loss_grad", "gen_minimax_grad",
           "gen_nonsat_grad", "tanh_unit_grads", "affine_jacobian", "logscale_jacobian",
           "regression_grad", "gaussian_coefficients", "gaussian_kl", "sigmoid", "concrete"]


def concrete(expr, where=()):
    """``expr`` with the derivation's placeholders replaced by their definitions, and sigma by
    its floating-point safe form: a plain expression in the derivation's symbols."""
    for name, value in where:
        if name is sigma:
            continue
        expr = expr.replace(name, value) if isinstance(name, sp.FunctionClass) else expr.subs(name, value)
    return stable(expr, sigma).doit()


@lru_cache(maxsize=1)
def _topic() -> dict:
    """The verified ``gan`` derivations by id (built, or read from the disk cache, once)."""
    return {d.id: d for d in load(["gan"])}


def get(id_: str):
    return _topic()[id_]


@lru_cache(maxsize=None)
def _compiled(id_: str, args: tuple):
    der = get(id_)
    result = der.result
    items = tuple(result) if isinstance(result, sp.MatrixBase) else (result,)
    return compile_expr(tuple(concrete(e, der.where) for e in items), args)


def _call(id_, args, *values):
    with np.errstate(over="ignore"):
        return _compiled(id_, args)(*values)


def sigmoid(t):
    """sigma(t) = 1/(1 + e^{-t}), evaluated by ``scipy.special.expit`` (no overflow)."""
    return expit(np.asarray(t, dtype=float))


def logit_loss_grads(hv):
    """gan.logit_loss_grads: d/dh of (-ln D, -ln(1-D), ln(1-D)) with D = sigma(h)."""
    return _call("gan.logit_loss_grads", (h,), hv)


def quadratic_logit_grads(w0, w1, w2, xv):
    """gan.quadratic_logit_grads: (dh/dw0, dh/dw1, dh/dw2, dh/dx) of h = w0 + w1 x + w2 x^2."""
    return _call("gan.quadratic_logit_grads", (*w, x), w0, w1, w2, xv)


def disc_loss_grad(w0, w1, w2, xr, xf):
    """gan.disc_loss_grad: per-pair gradient in (w0, w1, w2) of -ln D(x_r) - ln(1 - D(x_f))."""
    return _call("gan.disc_loss_grad", (*w, x_r, x_f), w0, w1, w2, xr, xf)


def gen_minimax_grad(av, bv, zv, w0, w1, w2):
    """gan.gen_minimax_grad: per-sample gradient in (a, b) of ln(1 - D(a z + b))."""
    return _call("gan.gen_minimax_grad", (a, b, z, *w), av, bv, zv, w0, w1, w2)


def gen_nonsat_grad(av, bv, zv, w0, w1, w2):
    """gan.gen_nonsat_grad: per-sample gradient in (a, b) of -ln D(a z + b)."""
    return _call("gan.gen_nonsat_grad", (a, b, z, *w), av, bv, zv, w0, w1, w2)


def tanh_unit_grads(vv, uv, cv, dv, xv):
    """gan.tanh_unit_grads: (dy/dv, dy/du, dy/dc, dy/dd, dy/dx) of y = v tanh(u x + c) + d."""
    return _call("gan.tanh_unit_grads", (v, u, c, d, x), vv, uv, cv, dv, xv)


def affine_jacobian(zv):
    """gan.generator_jacobians, first column: (dG/da, dG/db) of a z + b."""
    out = _call("gan.generator_jacobians", (s, z), 0.0, zv)
    return out[0], out[2]


def logscale_jacobian(sv, zv):
    """gan.generator_jacobians, second column: (dG/dtau, dG/db) of e^tau z + b (tau: the symbol s)."""
    out = _call("gan.generator_jacobians", (s, z), sv, zv)
    return out[1], out[3]


def regression_grad(g, target):
    """gan.regression_grad: d/dg (g - y)^2 = 2 (g - y)."""
    return _call("gan.regression_grad", (sp.Symbol("g", real=True), y_t), g, target)[0]


@lru_cache(maxsize=None)
def _coefficient_fn():
    der = get("gan.gaussian_log_ratio")
    poly = sp.Poly(sp.expand(der.result), x)
    cs = [poly.coeff_monomial(x ** k) for k in range(3)]
    return compile_expr(tuple(cs), (mu_q, sigma_q, mu_G, sigma_G))


def gaussian_coefficients(mq, sq, mg, sg):
    """gan.gaussian_log_ratio: (c0, c1, c2) with ln q/p_G = c0 + c1 x + c2 x^2, so that
    D* = sigma(c0 + c1 x + c2 x^2) (gan.gaussian_optimal_discriminator)."""
    return tuple(np.asarray(c_, dtype=float) + 0.0 * np.asarray(mg, dtype=float)
                 for c_ in _coefficient_fn()(mq, sq, mg, sg))


def gaussian_kl(mg, sg, mq, sq):
    """gan.gaussian_kl: KL(N(mg, sg^2) || N(mq, sq^2)) in closed form."""
    return _call("gan.gaussian_kl", (mu_G, sigma_G, mu_q, sigma_q), mg, sg, mq, sq)[0]
