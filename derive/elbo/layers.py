"""Backpropagation rules for the VAE's networks: every ``g^T v`` term of Problem 3 without
forming the Jacobian ``g``.

The formulas 3.a-3.c use the networks only through Jacobian-transpose-vector products:
``g_{mu,phi}^T mu``, ``g_{s,phi}^T (s o s - 1)``, ``g_{a,z}(z_i)^T (x - pi_i)``, ... For a
network output ``y(w)`` and a vector ``v`` that does not depend on ``w``,

    g_{y,w}^T v = nabla_w (v^T y)                       (elbo.vjp_chain)

and through a composition ``y = f(h(w))`` the product is taken factor by factor, last layer
first: ``(g_{f,h} g_{h,w})^T v = g_{h,w}^T (g_{f,h}^T v)``. That is backpropagation, and
these are its per-layer rules:

    dense  y = W h + b:     nabla_W = v h^T,  nabla_b = v,  nabla_h = W^T v   (elbo.dense_vjp)
    tanh   h = tanh(u):     nabla_u = (1 - h o h) o v                          (elbo.tanh_vjp)
    sigmoid pi = sigma(a):  g_{pi,.}^T r = g_{a,.}^T (x - pi)                  (elbo.logit_head)

composed for the one-hidden-layer MLPs of ``numeric.vae.model`` in ``elbo.mlp_vjp``. (The
scalar unit ``v tanh(ux + c) + d`` of the GAN experiments is ``gan.tanh_unit_grads``; the
vector rules here are its layer form.) Gradients with respect to a matrix have the
matrix's shape, ``(nabla_W f)_{ab} = df/dW_{ab}``.

Every step is proved for every size in index form (:func:`index_check`: entry (a, b) of both
sides, SymPy's derivative by the entry ``W[a, b]``, sum algebra; for ``elbo.vjp_chain`` the
chain rule for undefined f and h). The tests check the same steps again with explicit matrices
of symbols at several small sizes (:func:`layer_check`).
Reference for the networks: Kingma and Welling (2014), App. C.
"""
from __future__ import annotations

import sympy as sp

from derive.engine.chain import Chain, Derivation
from derive.engine.checks import canonical_calls, equal_entrywise, instances
from derive.engine.explicit import Explicit
from derive.engine.sums import entry, sums_equal
from derive.engine.verify import Verdict
from derive.engine.render import srepr
from derive.ops import EXPLICIT, Grad, Tanh
from derive.symbols import (B1, B2, B_P, DELTA, G_HW, G_YH, G_YW, H_H, H_P, H_Q, U_P, V_P, W1, W2, W_D, W_VEC, X_Q,
                            Y_W, n_h, n_in, n_out, n_w)

__all__ = ["derivations", "BUILDERS", "vjp_chain", "dense_vjp", "tanh_vjp", "mlp_vjp", "instantiate", "layer_check", "index_check",
           "symbol_matrix", "chain_env", "mat_mul", "SIZES", "REFS"]

REFS = ("Kingma and Welling (2014), Auto-Encoding Variational Bayes, App. C (the networks)",)

p, q = n_out, n_in
SIZES = {"dense": ({p: 1, q: 1}, {p: 2, q: 3}, {p: 3, q: 2}),
         "tanh": ({p: 1}, {p: 2}, {p: 3}),
         "mlp": ({p: 1, n_h: 1, q: 1}, {p: 2, n_h: 3, q: 2}, {p: 3, n_h: 2, q: 1}),
         "chain": ({p: 1, q: 1, n_w: 1}, {p: 2, q: 2, n_w: 3}, {p: 3, q: 2, n_w: 2})}


def _ones(n):
    return sp.MatrixSymbol(r"\mathbf{1}", n, 1)


def _had(*f):
    return sp.HadamardProduct(*f, evaluate=False)


def mat_mul(*f):
    """A matrix product kept as written."""
    return sp.MatMul(*f, evaluate=False)


def _one_minus_sq(h):
    """1 - h o h, as written."""
    return sp.MatAdd(_ones(h.shape[0]), -_had(h, h), evaluate=False)


# --- the check: explicit matrices at small sizes ----------------------------------------

def symbol_matrix(M: sp.MatrixSymbol, dims: dict) -> sp.Matrix:
    """The explicit matrix of real unknowns ``W_a_b`` that the matrix symbol ``M`` stands for
    at ``dims`` (the vector of ones for ``\\mathbf{1}``)."""
    rows, cols = (int(sp.sympify(n).subs(dims)) for n in M.shape)
    if M.name == r"\mathbf{1}":
        return sp.ones(rows, cols)
    base = M.name.replace("\\", "").replace("{", "").replace("}", "")
    return sp.Matrix(rows, cols, lambda a, b: sp.Symbol(f"{base}_{a + 1}_{b + 1}", real=True))


def instantiate(expr, dims: dict, env: dict | None = None):
    """``expr`` with every matrix symbol an explicit matrix at ``dims`` (``env`` overrides
    by name) and every ``Grad(f, W)`` the matrix of partial derivatives df/dW_ab."""
    env = env or {}
    leaf = lambda M, walk: env[M.name] if M.name in env else symbol_matrix(M, dims)
    return Explicit(dims, {**EXPLICIT, sp.MatrixSymbol: leaf})(expr)


_t = sp.Symbol("t", real=True)  # the component w_a of vjp_chain's parameters


def _plain_entry(M, r, c):
    """Entry of a matrix symbol of a dense/tanh/MLP layer, as an indexed unknown (the ones
    vector: 1); SymPy differentiates indexed objects by KroneckerDelta, quickly."""
    return sp.Integer(1) if M.name == r"\mathbf{1}" else sp.IndexedBase(M.name, real=True)[r, c]


class _Inner(sp.Function):
    """h_j(w) of vjp_chain as a function of the component t = w_a."""

    nargs = 2


class _Outer(sp.Function):
    """y_k = f_k(h(w)) of vjp_chain: d y_k/dt = Sum_j (df_k/dh_j) dh_j/dt (the chain rule)."""

    nargs = 2

    def fdiff(self, argindex=2):
        kk, tt = self.args
        jj = sp.Dummy("j", integer=True, positive=True)
        return sp.Sum(sp.Function("g_yh")(kk, jj) * sp.diff(_Inner(jj, tt), tt), (jj, 1, n_in))


def _chain_entry(M, r, c):
    """Entries of vjp_chain's symbols in index form (the column of a Jacobian in w is the
    component a; see :func:`index_check`)."""
    table = {V_P: lambda: V_P[r, c], Y_W: lambda: _Outer(r + 1, _t),
             G_YW: lambda: sp.diff(_Outer(r + 1, _t), _t), G_YH: lambda: sp.Function("g_yh")(r + 1, c + 1),
             G_HW: lambda: sp.diff(_Inner(r + 1, _t), _t)}
    return table[M]()


def index_check(chain_rule: bool = False):
    """``check=`` for Chain.step: entry (a, b) of both sides, for every size, by sum algebra.

    ``Grad(f, W)`` is the matrix of df/dW_ab (SymPy differentiates by the entry ``W[a, b]``);
    with ``chain_rule`` the step is about y = f(h(w)) with undefined f and h, and component a
    of a gradient in w is the derivative in one scalar t = w_a (:class:`_Outer`)."""
    def check(lhs, rhs):
        grads = [g for e in (lhs, rhs) for g in sp.sympify(e).atoms(Grad)]
        shape = grads[0].args[1].shape if grads else lhs.shape
        a1, b1 = sp.symbols("a b", integer=True, positive=True)
        row, col = a1 - 1, (b1 - 1 if shape[1] != 1 else sp.Integer(0))  # a column: b = 1
        lookup = _chain_entry if chain_rule else _plain_entry

        def comp(e):
            if isinstance(e, Grad):
                f, w = e.args
                f = entry(f, 0, 0, lookup)
                return sp.diff(f, _t) if chain_rule else sp.diff(f, _plain_entry(w, row, col))
            return entry(e, row, col, lookup)
        verdict = sums_equal(comp(lhs), comp(rhs), ranges={a1: (1, shape[0]), b1: (1, shape[1])})
        sizes = {str(n) for e in (lhs, rhs) for M in sp.sympify(e).atoms(sp.MatrixSymbol)
                 for n in M.shape if not n.is_Integer}
        return Verdict(verdict.level, {**verdict.detail, "method": "index calculus: entry (a, b) of each displayed "
                                                                   "side by the definitions of the matrix operations, "
                                                                   "then sum algebra",
                                       "sizes": "every " + ", ".join(sorted(sizes))})
    return check


def layer_check(sizes, env=lambda dims: {}):
    """``check=`` for Chain.step: both sides explicit at each of ``sizes``, equal entrywise."""
    return instances(lambda e, dims: instantiate(e, dims, env(dims)), sizes, compare=equal_entrywise,
                     tag=f"{len(sizes)} sizes", describe=lambda dims: ", ".join(f"{k} = {v}" for k, v in dims.items()),
                     why="matrices of symbolic size are made explicit at each size")


def _canonical(e):
    """The result in the form ``parse_expr`` reads back."""
    return sp.parse_expr(srepr(e))


# --- elbo.vjp_chain: g^T v is a gradient, and backpropagation computes it --------------

def chain_env(dims):
    """y = f(h(w)) with undefined f: R^q -> R^p and h: R^n_w -> R^q; the Jacobians of
    f at h(w), of h, and of y, as SymPy computes them."""
    P, Q, N = dims[p], dims[q], dims[n_w]
    w = sp.Matrix(sp.symbols(f"w_1:{N + 1}", real=True))
    xi = sp.symbols(f"xi_1:{Q + 1}", real=True)
    h = sp.Matrix([sp.Function(f"h_{j}")(*w) for j in range(1, Q + 1)])
    f = sp.Matrix([sp.Function(f"f_{k}")(*xi) for k in range(1, P + 1)])
    at = dict(zip(xi, h))
    y = f.xreplace(at)
    return {"w": w, "y": y, r"g_{y,w}": y.jacobian(w),
            r"g_{y,h}": canonical_calls(f.jacobian(xi)).xreplace(at), r"g_{h,w}": h.jacobian(w)}


def vjp_chain() -> Derivation:
    """g_{y,w}^T v = nabla_w(v^T y) = g_{h,w}^T (g_{y,h}^T v) for y = f(h(w)), v fixed."""
    check = index_check(chain_rule=True)
    lhs, start = mat_mul(G_YW.T, V_P), Grad(mat_mul(V_P.T, Y_W), W_VEC)
    check(lhs, start)  # the displayed first line (raises if it does not hold)
    c = Chain("elbo.vjp_chain", problem="3 (networks)",
              title=r"Jacobian-transpose products are gradients, computed layer by layer",
              lhs=lhs, start=start, notes=NOTES_CHAIN,
              start_why=r"row $k$ of $g_{y,w}$ is $(\nabla_w y_k)^T$; $v$ does not depend on $w$")
    c.step(mat_mul(sp.Transpose(mat_mul(G_YH, G_HW)), V_P), r"chain rule for $y = f(h(w))$: $g_{y,w} = g_{y,h}\, g_{h,w}$",
           check=check)
    c.step(mat_mul(G_HW.T, sp.MatMul(G_YH.T, V_P, evaluate=False)),
           r"$(AB)^T = B^T A^T$: first $g_{y,h}^T v$, then $g_{h,w}^T$ of that", check=check)
    return c.done(_canonical(c.current))


# --- elbo.dense_vjp -------------------------------------------------------------------

def _vt(y):
    return mat_mul(V_P.T, y)


def dense_vjp() -> Derivation:
    """y = W h + b: nabla_W (v^T y) = v h^T, nabla_b = v, nabla_h = W^T v."""
    check = index_check()
    y = sp.MatAdd(mat_mul(W_D, H_Q), B_P, evaluate=False)
    c = Chain("elbo.dense_vjp", problem="3 (networks)",
              title=r"Dense layer $y = Wh + b$: the backpropagation rule",
              lhs=Grad(_vt(Y_W), W_D), start=Grad(_vt(y), W_D), where={Y_W: y},
              notes=NOTES_DENSE, start_why=r"$W\in\mathbb{R}^{n_{\mathrm{out}}\times n_{\mathrm{in}}}$; $v\in\mathbb{R}^{n_{\mathrm{out}}}$ fixed")
    c.step(mat_mul(V_P, H_Q.T), r"$\partial/\partial W_{ab}\sum_{k,l} v_k W_{kl} h_l = v_a h_b$", check=check)
    c.step(V_P, r"$\partial/\partial b_a \sum_k v_k b_k = v_a$", lhs=Grad(_vt(Y_W), B_P), check=check)
    c.step(mat_mul(W_D.T, V_P), r"$\partial/\partial h_b\sum_{k,l} v_k W_{kl} h_l = \sum_k W_{kb} v_k$",
           lhs=Grad(_vt(Y_W), H_Q), check=check)
    return c.done(_canonical(c.current))


# --- elbo.tanh_vjp --------------------------------------------------------------------

def tanh_vjp() -> Derivation:
    """h = tanh(u) elementwise: nabla_u (v^T h) = (1 - h o h) o v."""
    check = index_check()
    c = Chain("elbo.tanh_vjp", problem="3 (networks)",
              title=r"Elementwise $\tanh$ layer: the backpropagation rule",
              lhs=Grad(_vt(H_P), U_P), start=Grad(_vt(Tanh(U_P)), U_P),
              where={H_P: Tanh(U_P)}, notes=NOTES_TANH,
              start_why=r"$v\in\mathbb{R}^{n_{\mathrm{out}}}$ fixed")
    c.step(_had(_one_minus_sq(Tanh(U_P)), V_P),
           r"$\partial/\partial u_a \sum_k v_k\tanh(u_k) = v_a(1-\tanh^2 u_a)$",
           check=check)
    c.step(_had(_one_minus_sq(H_P), V_P), r"in terms of the layer's output $h$, kept from the forward pass",
           check=check)
    return c.done(_canonical(c.current))


# --- elbo.mlp_vjp ---------------------------------------------------------------------

def mlp_vjp() -> Derivation:
    """All parameter and input gradients of v^T y for y = W_2 tanh(W_1 x + b_1) + b_2."""
    hidden = Tanh(sp.MatAdd(mat_mul(W1, X_Q), B1, evaluate=False))
    plain = index_check()
    check = lambda a, b: plain(a.subs(H_H, hidden), b.subs(H_H, hidden))  # h by its Let row, read forwards
    y = sp.MatAdd(mat_mul(W2, H_H), B2, evaluate=False)
    c = Chain("elbo.mlp_vjp", problem="3 (networks)",
              title=r"One-hidden-layer MLP $y = W_2\tanh(W_1x + b_1) + b_2$: backpropagation",
              lhs=Grad(_vt(Y_W), W2), start=Grad(_vt(y), W2), references=REFS, notes=NOTES_MLP,
              where={H_H: hidden, Y_W: y, DELTA: _had(_one_minus_sq(H_H), mat_mul(W2.T, V_P))},
              start_why=r"$v\in\mathbb{R}^{n_{\mathrm{out}}}$ fixed")
    c.step(mat_mul(V_P, H_H.T), "dense rule, output layer", check=check)
    c.step(V_P, "dense rule", lhs=Grad(_vt(Y_W), B2), check=check)
    c.step(mat_mul(DELTA, X_Q.T), r"dense rule: $W_2^T v$ reaches $h$; $\tanh$ rule: $\delta$; dense rule",
           lhs=Grad(_vt(Y_W), W1), check=check)
    c.step(DELTA, r"the same, bias", lhs=Grad(_vt(Y_W), B1), check=check)
    c.step(mat_mul(W1.T, DELTA), "the same, input", lhs=Grad(_vt(Y_W), X_Q), check=check)
    return c.done(_canonical(c.current))


NOTES_CHAIN = r"""\noindent Every term $g^T r$ of 3.a--3.c is such a product: for instance
$g_{\mu,\phi}^T\mu = \nabla_\phi(\mu_\phi(x)^T c)$ at $c = \mu$ held fixed. So the code never
forms a Jacobian: it multiplies $v$ by the transposed Jacobian of each layer in turn, from the
output back to the parameters (one backward pass, the cost of about two forward passes)."""

NOTES_DENSE = r"""\noindent Gradients with respect to a matrix have the matrix's shape,
$(\nabla_W f)_{ab} = \partial f/\partial W_{ab}$. For a batch of inputs the rules add up:
$\nabla_W = \sum_n v_n h_n^T$, one matrix product."""

NOTES_TANH = r"""\noindent The Jacobian of an elementwise map is diagonal,
$\partial h/\partial u = \operatorname{diag}(\mathbf{1} - h\circ h)$, so its transposed product
with $v$ is an elementwise product."""

NOTES_MLP = r"""\noindent The encoder is this network with two output
layers ($\mu$ and $\ln s$) on one hidden layer: its $v$'s enter $\delta$ as
$W_\mu^T v_\mu + W_{\ln s}^T v_{\ln s}$. The decoder is this network giving the logits $a$, with
$\pi = \sigma(a)$ handled by the sigmoid output layer of Problem~3 ($v = x - \pi$); $\nabla_x$ (here the decoder's
input $z$) gives $g_{a,z}^T(x-\pi)$ for 3.b."""


BUILDERS = (vjp_chain, dense_vjp, tanh_vjp, mlp_vjp)


def derivations():
    """[elbo.vjp_chain, elbo.dense_vjp, elbo.tanh_vjp, elbo.mlp_vjp], for the ``elbo`` topic."""
    return [b() for b in BUILDERS]
