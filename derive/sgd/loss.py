"""Per-sample losses of Problem 1, their gradients and curvature, and the minibatch mean.

    logistic:      f_i(w) = ln(1 + e^{-y x^T w}) + (lambda/2) w^T w
                   grad f_i(w) = -y sigma(-y m) x + lambda w,        m = x^T w
                   d^2/dm^2 ln(1 + e^{-y m}) = y^2 (1/4 - (sigma(y m) - 1/2)^2) <= y^2 / 4
    least squares: f_i(w) = (x^T w - y)^2 / 2 + (lambda/2) w^T w
                   grad f_i(w) = (m - y) x + lambda w
    minibatch:     E_B[(1/b) sum_{i in B} g_i] = (1/n) sum_i g_i  (B a uniform b-subset)

The gradients are written through the margin m = x^T w: the numeric code
(:mod:`numeric.sgd.problem`) compiles the scalar coefficient of x (a function of m and y)
and sums coef_i x_i over a minibatch, which is exactly the result's form. Vector steps are
proved for every d in index form (component k of both sides, :func:`index_check`); the
tests check them again with explicit columns at d = 1..4 (:func:`dims_check`).
References: Bottou, Curtis and Nocedal (2018), Sec. 4; references.md C1.
"""
from __future__ import annotations

from functools import lru_cache

import sympy as sp

from derive.engine.chain import Chain, Derivation
from derive.engine.checks import instances
from derive.engine.explicit import Explicit
from derive.engine.subsets import METHOD as SUBSETS_METHOD, subset_expectation, subsets_equal
from derive.engine.sums import entry, sums_equal
from derive.engine.verify import Verdict
from derive.ops import EXPLICIT, Dot, GradW, SubsetMean, SubsetVar, g_sym
from derive.symbols import LOGISTIC as SIGMA, b_size as b, d, g, g_bar, i, k, lam, logistic as sigma, margin as m, n, \
    w_vec as w, x_vec as x, y

__all__ = ["logistic_grad", "least_squares_grad", "logistic_curvature", "least_squares_curvature",
           "minibatch_mean", "minibatch_variance", "dims_check", "index_check", "binomial_check", "subsets_check",
           "enumeration_check", "REFS", "VAR_REFS",
           "CURVATURE_REFS"]

REFS = ("Bottou, Curtis and Nocedal (2018), Optimization Methods for Large-Scale Machine Learning, Sec. 4",)
# the finite-population correction of a b-subset drawn without replacement ("b-nice sampling")
VAR_REFS = ("Gower, Loizou, Qian, Sailanbayev, Shulgin and Richtarik (2019), SGD: General Analysis and "
            "Improved Rates, ICML (b-nice sampling)",)
# Bottou et al. state the gradient of the logistic loss in Sec. 4 only through its assumptions; the
# curvature bounds are textbook (Nesterov 2004, Sec. 2.1)
CURVATURE_REFS = ("Nesterov (2004), Introductory Lectures on Convex Optimization, Sec. 2.1",)
_XW = Dot(x, w)
# display-only placeholders of the "Let" rows: the margin u := x^T w (the steps' margin symbol, code
# name m, prints u in the writeup's notation, derive.symbols.DOCUMENT) and psi(u) := ln(1 + e^{-yu}).
# They are distinct from the symbols the steps use (no assumptions), so they change no check.
_M_SHOWN = sp.Symbol("u")
_ELL = sp.Function(r"\psi")
_ELL_DEF = sp.Lambda(_M_SHOWN, sp.log(1 + sp.exp(-y * _M_SHOWN)))


def _columns_at(expr, k: int):
    """``expr`` at d = k: the columns w, x explicit, the display operators written out."""
    cols = {c: sp.Matrix([sp.Symbol(f"{c.name}{j}", real=True) for j in range(1, k + 1)]) for c in (x, w)}
    out = Explicit({**cols, d: k}, EXPLICIT)(expr)
    return sp.Matrix(out) if hasattr(out, "shape") else out


def dims_check():
    """``check=`` for a step in dimension d: compared at d = 1..4 (the tests' cross-check of
    the index form)."""
    return instances(_columns_at, (1, 2, 3, 4), describe=lambda k: f"d = {k}", tag="d <= 4",
                     why="columns of symbolic size are made explicit")


def _component(e, kk):
    """Component k of a vector expression of dimension d (k in 1..d): x^T w is
    Sum_j x_j w_j, nabla_w f is df/dw_k, and a column's entry is SymPy's."""
    e = e.replace(lambda u: isinstance(u, Dot), lambda u: sp.MatMul(u.args[0].T, u.args[1])[0, 0])
    if isinstance(e, GradW):
        f, v = e.args
        return sp.diff(f, v[kk - 1, 0])
    return entry(e, kk - 1, 0, lambda M, r, c: M[r, c]) if hasattr(e, "shape") else e


def index_check(a, b_):
    """``check=`` for a step in dimension d: component k of both sides, for every d."""
    verdict = sums_equal(_component(a, k), _component(b_, k), ranges={k: (1, d)})
    return Verdict(verdict.level, {**verdict.detail, "method": "index calculus", "sizes": "every d"})


def _subsets_at(expr, nb):
    """``expr`` at (n, b): the b-subsets of {1..n} enumerated, g_i as symbols (the tests'
    cross-check of :func:`subsets_check`)."""
    rules = {**EXPLICIT, sp.Indexed: lambda e, walk: g_sym(e.indices[0])}
    return Explicit({n: nb[0], b: nb[1]}, rules)(expr)


def enumeration_check(cases=((1, 1), (3, 1), (4, 2), (5, 3), (6, 6))):
    """``check=`` for a step about b-subsets of {1..n}: compared at each (n, b) of ``cases``
    by enumerating the subsets (the tests' cross-check)."""
    pairs = ", ".join(f"({a}, {c})" for a, c in cases)
    return instances(_subsets_at, cases, describe=lambda nb: f"(n, b) = {nb}", tag=f"(n, b) = {pairs}",
                     why="the subsets enumerated")


def subsets_check(a, b_) -> Verdict:
    """``check=`` for a step about a uniform b-subset B of {1..n}, for every n and b: E_B with
    the indicators 1[i in B] (:mod:`derive.engine.subsets`: the counts by Pascal's rule,
    induction on n), then sum algebra with the binomials as Gamma functions."""
    expectation = lambda e: e.replace(lambda x: isinstance(x, (SubsetMean, SubsetVar)),
                                      lambda x: subset_expectation(x.in_indicators(), *x.args))
    verdict = subsets_equal(expectation(a), expectation(b_))
    return Verdict(verdict.level, {**verdict.detail, "method": f"{SUBSETS_METHOD}; sum algebra and gammasimp",
                                   "sizes": "every 1 <= b <= n"})


def binomial_check(a, b_) -> Verdict:
    """Binomial coefficients of symbolic n, b as Gamma functions (``gammasimp``), the sums over
    i by sum algebra: for every 1 <= b <= n (n >= 2 where C(n-2, b-2) appears)."""
    verdict = subsets_equal(a, b_)
    return Verdict(verdict.level, {**verdict.detail, "method": "gammasimp and sum algebra",
                                   "sizes": "every 1 <= b <= n"})


def _half(e):
    return sp.Mul(sp.Rational(1, 2), e, evaluate=False)


def _reg():
    return sp.Mul(lam / 2, Dot(w, w), evaluate=False)


def _grad_of(ell):
    """The display ``nabla_w [ell(x^T w) + lambda/2 w^T w]``."""
    return GradW(sp.Add(ell, _reg(), evaluate=False), w)


def _vec(coef_x):
    """``coef_x x + lambda w`` in the written order."""
    return sp.MatAdd(sp.MatMul(coef_x, x), sp.MatMul(lam, w), evaluate=False)


def _result(coef_x):
    """``lambda w + coef_x x``: the order in which ``srepr`` prints it, so that the JSON form
    reads back (``parse_expr``) to an equal expression."""
    return sp.MatAdd(sp.MatMul(lam, w), sp.MatMul(coef_x, x), evaluate=False)


@lru_cache(maxsize=None)
def logistic_grad() -> Derivation:
    """sgd.loss_grad: the gradient of the regularised per-sample logistic loss."""
    check = _margin_check(index_check)
    c = Chain("sgd.loss_grad", problem="1", title="Gradient of the per-sample logistic loss",
              lhs=sp.Symbol(r"\nabla_{w} f_i(w)"), start=_grad_of(sp.log(1 + sp.exp(-y * _XW))),
              references=REFS, where={_M_SHOWN: _XW, sigma: SIGMA}, notes=LOGISTIC_NOTES,
              start_why=r"definition; $(x, y) = (x_i, y_i)$, $y\in\{-1,+1\}$")
    c.step(_vec(sp.Derivative(sp.log(1 + sp.exp(-y * m)), m)),
           r"chain rule through $u = x^{\top}w$; $\nabla_w \frac{\lambda}{2}w^{\top}w = \lambda w$",
           check=check)
    c.step(_vec(-y * sp.exp(-y * m) / (1 + sp.exp(-y * m))), r"differentiate in $u$",
           check=check)
    c.step(_vec(-y * sigma(-y * m)), r"$\frac{e^{-uy}}{1+e^{-uy}} = \frac{1}{1+e^{uy}} = \sigmoid(-uy)$",
           check=check)
    return c.done(_result(-y * sigma(-y * m)))


def _margin_check(check):
    """Steps with ``Derivative(..., m)``: evaluate the derivative, then put m = x^T w."""
    def inner(a, b_):
        a, b_ = (e.replace(lambda u: isinstance(u, sp.Derivative), lambda u: u.doit()).subs(m, _XW)
                 for e in (a, b_))
        return check(a, b_)
    return inner


@lru_cache(maxsize=None)
def least_squares_grad() -> Derivation:
    """sgd.lsq_grad: the gradient of the regularised per-sample squared error."""
    check = _margin_check(index_check)
    c = Chain("sgd.lsq_grad", problem="1", title="Gradient of the per-sample squared error",
              lhs=sp.Symbol(r"\nabla_{w} f_i(w)"), start=_grad_of(_half((_XW - y) ** 2)),
              references=REFS, start_why=r"definition; $(x, y) = (x_i, y_i)$, $y\in\mathbb{R}$; $u = x^{\top}w$")
    c.step(_vec(sp.Derivative(_half((m - y) ** 2), m)),
           r"chain rule through $u = x^{\top}w$", check=check)
    c.step(_vec(m - y), r"$\frac{d}{du}\frac12(u-y)^2 = u-y$", check=check)
    return c.done(_result(m - y))


@lru_cache(maxsize=None)
def logistic_curvature() -> Derivation:
    """sgd.smoothness: the curvature of the logistic loss in the margin, and its bound 1/4."""
    q = sp.Rational(1, 4)
    c = Chain("sgd.smoothness", problem="1", title="Curvature of the logistic loss: smoothness and strong convexity",
              lhs=sp.Symbol(r"\psi''(u)"), start=sp.Derivative(sp.log(1 + sp.exp(-y * m)), (m, 2)),
              references=CURVATURE_REFS, where={_M_SHOWN: _XW, _ELL: _ELL_DEF, sigma: SIGMA}, notes=SMOOTH_NOTES,
              start_why=r"definition of $\psi$")
    c.step(y ** 2 * sp.exp(-y * m) / (1 + sp.exp(-y * m)) ** 2, "differentiate twice")
    c.step(sp.Mul(y ** 2, sigma(y * m), sigma(-y * m), evaluate=False),
           r"$\frac{e^{-uy}}{(1+e^{-uy})^2} = \sigmoid(uy)\,\sigmoid(-uy)$")
    c.step(sp.Mul(y ** 2, sigma(y * m), 1 - sigma(y * m), evaluate=False), r"$\sigmoid(-uy) = 1-\sigmoid(uy)$")
    c.step(sp.Mul(y ** 2, sp.Add(q, -(sigma(y * m) - sp.Rational(1, 2)) ** 2, evaluate=False), evaluate=False),
           r"complete the square in $\sigmoid(uy)$; the result is at most $\frac14$")
    return c.done()


@lru_cache(maxsize=None)
def least_squares_curvature() -> Derivation:
    """sgd.lsq_curvature: the curvature of the squared error in the margin (constant 1)."""
    c = Chain("sgd.lsq_curvature", problem="1", title="Curvature of the squared error",
              lhs=sp.Symbol(r"\psi''(u)"), start=sp.Derivative(_half((m - y) ** 2), (m, 2)),
              references=CURVATURE_REFS, notes=LSQ_NOTES, start_why=r"$\psi(u) = \frac12(u-y)^2$")
    c.step(sp.Integer(1), "differentiate twice")
    return c.done()


@lru_cache(maxsize=None)
def minibatch_mean() -> Derivation:
    """sgd.minibatch_mean: a minibatch drawn without replacement gives an unbiased gradient."""
    check = subsets_check
    total = sp.Sum(g[i], (i, 1, n))
    c = Chain("sgd.minibatch_mean", problem="1.a", title="The minibatch gradient is unbiased",
              lhs=sp.Symbol(r"\mathbb{E}\,g_B"), start=SubsetMean(n, b), references=REFS, notes=MB_NOTES,
              start_why=r"$g_B = \frac{1}{n'}\sum_{i\in B} g_i$, $B$ uniform over the $\binom{n}{n'}$ subsets of size $n'$")
    choose = sp.binomial(sp.Add(n, -1, evaluate=False), sp.Add(b, -1, evaluate=False))
    c.step(sp.Mul(sp.Pow(sp.Mul(b, sp.binomial(n, b), evaluate=False), -1, evaluate=False), choose, total,
                  evaluate=False),
           r"each $i$ lies in $\binom{n-1}{n'-1}$ of the subsets (Pascal's rule, induction on $n$)", check=check)
    c.step(sp.Mul(1 / n, total, evaluate=False), r"$\binom{n-1}{n'-1}/\binom{n}{n'} = n'/n$", check=binomial_check)
    return c.done()


@lru_cache(maxsize=None)
def minibatch_variance() -> Derivation:
    """sgd.minibatch_variance: the variance of a minibatch mean drawn without replacement."""
    gbar = g_bar
    check = subsets_check
    spread = sp.Mul(1 / n, sp.Sum((g[i] - gbar) ** 2, (i, 1, n)), evaluate=False)
    fpc = sp.Mul(sp.Add(n, -b, evaluate=False),
                 sp.Pow(sp.Mul(b, sp.Add(n, -1, evaluate=False), evaluate=False), -1, evaluate=False),
                 evaluate=False)
    c = Chain("sgd.minibatch_variance", problem="1.a", title="Noise of a minibatch drawn without replacement",
              lhs=sp.Symbol(r"\operatorname{Var} g_B"), start=SubsetVar(n, b), references=VAR_REFS, notes=VAR_NOTES,
              where={gbar: sp.Sum(g[i], (i, 1, n)) / n},
              start_why=r"one coordinate; $B$ uniform over the subsets of size $n'$")
    p1 = sp.Mul(sp.binomial(sp.Add(n, -1, evaluate=False), sp.Add(b, -1, evaluate=False)),
                sp.Pow(sp.binomial(n, b), -1, evaluate=False), evaluate=False)
    p2 = sp.Mul(sp.binomial(sp.Add(n, -2, evaluate=False), sp.Add(b, -2, evaluate=False)),
                sp.Pow(sp.binomial(n, b), -1, evaluate=False), evaluate=False)
    squares, total = sp.Sum(g[i] ** 2, (i, 1, n)), sp.Sum(g[i], (i, 1, n))
    second = sp.Mul(sp.Pow(b, -2, evaluate=False),
                    sp.Add(sp.Mul(p1, squares, evaluate=False),
                           sp.Mul(p2, sp.Add(total ** 2, -squares, evaluate=False), evaluate=False),
                           evaluate=False), evaluate=False)
    c.step(sp.Add(second, -gbar ** 2, evaluate=False),
           r"$\mathbb{E}(g_B-\bar g)^2 = \mathbb{E}g_B^2 - \bar g^2$; each $i$ lies in $\binom{n-1}{n'-1}$ subsets, "
           r"each pair $i\ne j$ in $\binom{n-2}{n'-2}$ (Pascal's rule, induction on $n$)", check=check)
    c.step(sp.Mul(fpc, spread, evaluate=False),
           r"$\binom{n-1}{n'-1}/\binom{n}{n'} = \frac{n'}{n}$, $\binom{n-2}{n'-2}/\binom{n}{n'} = \frac{n'(n'-1)}{n(n-1)}$: "
           r"the finite-population correction", check=binomial_check)
    return c.done()


LOGISTIC_NOTES = r"""\noindent The full objective is $F(w)=\frac1n\sum_i f_i(w)$, and the minibatch
gradient is the mean of the result over the minibatch, $\frac{1}{n'}\sum_{i\in B}\nabla_w f_i(w)$: the
experiments compile the coefficient of $x$ in the result, a function of $u$ and $y$, and sum the $x_i$ it
weights. In floating point $\sigmoid(\xi)=1/(1+e^{-\xi})$ is safe as written ($e^{-\xi}=\infty$ gives
$0$), while the loss is evaluated as $\max(-uy,0)+\ln(1+e^{-|uy|})$ (with \texttt{log1p}), which cannot
overflow."""

SMOOTH_NOTES = r"""\noindent Hence, for labels $y_i\in\{-1,+1\}$,
$\nabla^2F(w)=\frac1n\sum_i\psi''(x_i^{\top}w)\,x_ix_i^{\top}+\lambda I$ with $0<\psi''\le\frac14$, so
$F$ is $L$-smooth and $c$-strongly convex with $L=\nu_{\max}(X^{\top}X)/(4n)+\lambda$ ($\nu_{\max}$ the largest eigenvalue) and
$c=\lambda$ (the bound $\frac14$ is attained at $u=0$; $X$ has the rows $x_i^{\top}$). Near the
minimiser the Hessian $\nabla^2F(w^\star)$ gives the local constants that govern the asymptotic rate."""

LSQ_NOTES = r"""\noindent For least squares the Hessian is constant,
$\nabla^2F=X^{\top}X/n+\lambda I$, so $L=\nu_{\max}(X^{\top}X)/n+\lambda$ and
$c=\nu_{\min}(X^{\top}X)/n+\lambda$ exactly."""

VAR_NOTES = r"""\noindent Coordinate-wise, and so for the whole covariance:
$\operatorname{Cov} g_B = \frac{n-n'}{n'(n-1)}\Sigma_g$ with $\Sigma_g=\frac1n\sum_i(g_i-\bar g)(g_i-\bar g)^{\top}$,
the covariance of one sample's gradient. For $n'\ll n$ this is the familiar $\Sigma_g/n'$; it vanishes
at $n'=n$ (GD). Both steps hold for every $1\le n'\le n$: a sum over $B$ is the sum over every $i$ of
the indicator $\mathbf{1}[i\in B]$ times the term, and the numbers of subsets through a given $i$,
$\binom{n-1}{n'-1}$, and through a given pair, $\binom{n-2}{n'-2}$, follow by induction on $n$ from
Pascal's rule (the subsets through them either contain one further element or not)."""

MB_NOTES = r"""\noindent So minibatch SGD follows the full gradient on average for every batch size
$n'$; only the noise changes (next derivation)."""
