"""Problem 3 in index form, for every size: the check that proves the Jacobian formulas for
all m, d, n_eps, n_phi and n_theta.

Component ``a`` of a gradient with respect to phi (or theta) is the derivative with respect
to one scalar ``t`` standing for phi_a (theta_a), all other components held fixed. In index
form the encoder outputs are functions ``mu(j, t)``, ``ell(j, t)`` (``s_j = e^{ell_j}``; or
``v(j, t) = ln sigma_j^2`` in the log-variance form of 3.a), the
samples are ``z_{j,i} = mu(j, t) + e^{ell(j, t)} eps_{j,i}`` (eps held fixed), and the decoder
output ``pi_k(z_i)`` is a function whose derivative is the chain rule over the m coordinates of
``z_i``, ``d pi_k / dt = Sum_j g_{pi,z}(k, j, i) dz_{j,i}/dt`` (plus ``g_{pi,theta}(k, i)`` when
``t`` is a decoder parameter). Each matrix symbol stands for its entries
(``g_{mu,phi}[j, a] = d mu_j / dt``; ``g_{pi,z}(z_i)[k, j]``; ``r(z_i)[k]``; ...), and SymPy's
own entries of the matrix expressions give the right-hand side in index form. Both sides
then go to the normal form of :mod:`derive.engine.sums` (linearity, KroneckerDelta, renaming of
indices), which compares them for every size.

With ``logit=True`` the decoder is ``pi = sigmoid(a(z))`` and the derivatives of ``pi`` follow
from ``sigmoid' = sigmoid (1 - sigmoid)`` (:class:`~derive.ops.Sigmoid`).

The axioms of this index calculus are the definitions of the Jacobians and the chain rule
for ``pi_k(z_i)``; everything else (products of Jacobians, diag, Hadamard products, the sums
over samples, coordinates and pixels) is shown by SymPy.
"""
from __future__ import annotations

from functools import lru_cache

import sympy as sp

from derive.engine.sums import entry, sums_equal
from derive.engine.verify import VerificationBug, Verdict
from derive.ops import Grad, PiAt, SampleMean, Sigmoid
from derive.symbols import (DZ, EPS, G_ATH, G_AZ, G_MU, G_PITH, G_PIZ, G_S, GTH_LOGP, GZ_LOGP, MU, ONES, PI, S,
                            Z_I, d, ell_i, i, k, m, mu_i, n_phi, phi, theta, x_i, x_vec)

__all__ = ["index_check", "Model", "METHOD", "v_i", "G_V", "EXP_V"]

# the log-variance parameterisation of the encoder (3.a, elbo.kl_grad_logvar): v = ln sigma^2
v_i = sp.IndexedBase("v", real=True)                          # v_j = ln sigma_j^2
G_V = sp.MatrixSymbol(r"g_{v,\phi}", m, n_phi)                # d v / d phi
EXP_V = sp.MatrixSymbol(r"e^{v}", m, 1)                       # e^v elementwise
METHOD = ("index calculus: entry a of each displayed matrix expression by the definitions of the matrix "
          "operations (products as sums of symbolic length, transposes, diag, elementwise products), "
          "each symbol's entry by its definition, then sum algebra")

t = sp.Symbol("t", real=True)          # the component phi_a or theta_a being differentiated
a0 = sp.Symbol("a", integer=True, nonnegative=True)  # its 0-based row in the gradient column
u = sp.Symbol("u", real=True)          # a coordinate direction of z_i (for nabla_z)
eps = sp.IndexedBase("eps", real=True)
x = sp.IndexedBase("x", real=True)
g_piz, g_pith = sp.Function("g_piz"), sp.Function("g_pith")
g_az, g_ath = sp.Function("g_az"), sp.Function("g_ath")
dz_dir = sp.Function("zdot")           # dz_{j,i}/dt, filled in after differentiation


class _Decoder(sp.Function):
    """The decoder output (or logit) ``f(k, i, t)`` at ``z_i``: its t-derivative is the chain
    rule ``Sum_j J(k, j, i) zdot(j, i, t)``, plus ``T(k, i)`` when t is a decoder parameter."""

    nargs = 6  # k, i, t, then the names of its Jacobians in z and theta, and 1 if t is in theta

    def fdiff(self, argindex=3):
        if argindex != 3:
            raise VerificationBug("the decoder is differentiated only in t")
        kk, ii, tt, jz, jth, on_theta = self.args
        jj = sp.Dummy("j", integer=True, positive=True)
        out = sp.Sum(sp.Function(jz.name)(kk, jj, ii) * dz_dir(jj, ii, tt), (jj, 1, m))
        return out + sp.Function(jth.name)(kk, ii) if on_theta == 1 else out


class Model:
    """Index form of Problem 3's symbols for one gradient: ``wrt`` is phi or theta; ``logit``
    selects the decoder pi = sigmoid(a(z))."""

    def __init__(self, wrt, logit: bool = False):
        if wrt not in (phi, theta):
            raise VerificationBug(f"gradient with respect to {wrt}")
        self.on_phi, self.logit = wrt == phi, logit
        self.tag = (sp.Symbol("g_az" if logit else "g_piz"), sp.Symbol("g_ath" if logit else "g_pith"),
                    sp.Integer(0 if self.on_phi else 1))

    def mu(self, jj):
        return sp.Function("mu")(jj, t) if self.on_phi else sp.Function("mu")(jj)

    def ell(self, jj):
        return sp.Function("ell")(jj, t) if self.on_phi else sp.Function("ell")(jj)

    def v(self, jj):
        """The log-variance output v_j = ln sigma_j^2 (the other parameterisation of 3.a)."""
        return sp.Function("v")(jj, t) if self.on_phi else sp.Function("v")(jj)

    def z(self, jj, ii):
        return self.mu(jj) + sp.exp(self.ell(jj)) * eps[jj, ii]

    def pi(self, kk, ii):
        f = _Decoder(kk, ii, t, *self.tag)
        return Sigmoid(f) if self.logit else f

    def dt(self, e):
        """d e / dt, with dz_{j,i}/dt written out (eps fixed; z does not move with theta)."""
        d = sp.diff(e, t)
        return d.replace(lambda w: isinstance(w, sp.Function) and w.func == dz_dir,
                         lambda w: sp.diff(self.z(w.args[0], w.args[1]), t))

    def d_pi_dz(self, kk, jj, ii):
        """d pi_k / d z_j at z_i: g_piz, or sigmoid' g_az for the logit decoder."""
        if not self.logit:
            return g_piz(kk, jj, ii)
        s = Sigmoid(_Decoder(kk, ii, t, *self.tag))
        return s.fdiff() * g_az(kk, jj, ii)

    def d_pi_dtheta(self, kk, ii):
        if not self.logit:
            return g_pith(kk, ii)
        return Sigmoid(_Decoder(kk, ii, t, *self.tag)).fdiff() * g_ath(kk, ii)

    def loglik(self, pk, kk):
        return x[kk] * sp.log(pk) + (1 - x[kk]) * sp.log(1 - pk)

    def grad_z_loglik(self, jj, ii):
        """d/dz_j ln p(x | z_i) = Sum_k (d ln p / d pi_k)(d pi_k / d z_j): SymPy's chain rule for
        the logarithm, with pi_k moving along z_j at the rate d pi_k / d z_j."""
        kk = sp.Dummy("k", integer=True, positive=True)
        p_u = sp.Function("p_u")(u)
        rate = sp.diff(self.loglik(p_u, kk), u).subs(sp.Derivative(p_u, u), self.d_pi_dz(kk, jj, ii))
        return sp.Sum(rate.subs(p_u, self.pi(kk, ii)), (kk, 1, d))

    def table(self) -> dict:
        """Matrix symbol -> (r, c) -> its entry (0-based r, c) in index form at sample i."""
        col = lambda c: self._free(c)
        return {
            MU: lambda r, c: self.mu(r + 1), S: lambda r, c: sp.exp(self.ell(r + 1)), ONES: lambda r, c: sp.Integer(1),
            x_vec: lambda r, c: x[r + 1], EPS: lambda r, c: eps[r + 1, i], Z_I: lambda r, c: self.z(r + 1, i),
            PI: lambda r, c: self.pi(r + 1, i),
            G_MU: lambda r, c: col(c) and sp.diff(self.mu(r + 1), t),
            G_S: lambda r, c: col(c) and sp.diff(self.ell(r + 1), t),
            G_V: lambda r, c: col(c) and sp.diff(self.v(r + 1), t), EXP_V: lambda r, c: sp.exp(self.v(r + 1)),
            G_PIZ: lambda r, c: self.d_pi_dz(r + 1, c + 1, i),
            G_PITH: lambda r, c: col(c) and self.d_pi_dtheta(r + 1, i),
            G_AZ: lambda r, c: g_az(r + 1, c + 1, i), G_ATH: lambda r, c: col(c) and g_ath(r + 1, i),
            DZ: lambda r, c: col(c) and self.dt(self.z(r + 1, i)),
            GZ_LOGP: lambda r, c: self.grad_z_loglik(r + 1, i),
            GTH_LOGP: lambda r, c: col(r) and sp.Sum(self.dt(self.loglik(self.pi(k, i), k)),
                                                  (k, 1, d)),
        }

    def _free(self, c):
        """A Jacobian's parameter column must be the component being differentiated."""
        if sp.simplify(c - a0) != 0:
            raise VerificationBug(f"a Jacobian column {c} is not the gradient's component")
        return True

    def scalar(self, e):
        """A scalar expression of the derivation in index form."""
        e = e.replace(lambda w: isinstance(w, SampleMean), lambda w: w.as_sum())
        e = e.replace(lambda w: isinstance(w, PiAt), lambda w: self.pi(*w.args))
        bases = {x_i: lambda q: x[q], mu_i: self.mu, ell_i: self.ell, v_i: self.v}
        e = e.replace(lambda w: isinstance(w, sp.Indexed) and w.base in bases,
                      lambda w: bases[w.base](w.indices[0]))
        return e.replace(lambda w: isinstance(w, Grad), lambda w: self.dt(w.args[0]))

    def component(self, e):
        """Component a of a gradient, a column of symbolic size, or a scalar multiple of one."""
        if isinstance(e, SampleMean):
            f, ii, n = e.args
            return sp.Sum(self.component(f), (ii, 1, n)) / n
        if hasattr(e, "shape") and not e.has(SampleMean, Grad):  # a matrix expression: SymPy's entry
            return self.scalar(entry(e, a0, 0, self.table()))
        vector = lambda w: w.has(SampleMean, Grad) or hasattr(w, "shape")
        if isinstance(e, sp.Add) and any(vector(w) for w in e.args):
            return sp.Add(*[self.component(w) for w in e.args])
        if isinstance(e, sp.Mul) and any(vector(w) for w in e.args):
            return sp.Mul(*[self.component(w) if vector(w) else self.scalar(w) for w in e.args])
        return self.scalar(e)


@lru_cache(maxsize=None)
def _model(wrt, logit):
    return Model(wrt, logit)


def index_check(wrt, logit: bool = False):
    """``check=`` for Chain.step: component a of both sides in index form, compared by sum
    algebra for every m, d, n_eps, n_phi, n_theta (see module docstring)."""
    def check(lhs, rhs) -> Verdict:
        model = _model(wrt, logit)
        verdict = sums_equal(model.component(lhs), model.component(rhs))
        return Verdict(verdict.level, {**verdict.detail, "method": METHOD,
                                       "sizes": "every m, d, n_eps, n_phi, n_theta"})
    return check
