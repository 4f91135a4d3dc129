"""The VAE of Problem 3 in the seed's notation, and the check that makes its generic
formulas trustworthy: instantiate at small dimensions with SymPy ``Function`` objects for
the networks and compare with SymPy's own chain rule.

Notation (design.md): latent dimension ``m``, data dimension ``d``, ``n_eps`` samples,
``n_phi`` encoder and ``n_theta`` decoder parameters. The encoder outputs ``mu = mu_phi(x)``
and ``ell = s_phi(x) = ln s`` (so ``s = e^ell``); ``q_phi(z|x) = N(mu, diag(s^2))``; the
decoder outputs ``pi = pi_theta(z)``, ``p(x|z) = prod_k pi_k^x_k (1 - pi_k)^(1 - x_k)``.
Jacobians: ``g_{mu,phi}`` (m x n_phi), ``g_{s,phi}`` (m x n_phi, of ``ell``),
``g_{pi,z}(z_i)`` (d x m) and ``g_{pi,theta}(z_i)`` (d x n_theta) at ``z_i = mu + s o eps_i``.
"""
from __future__ import annotations

import operator
from dataclasses import dataclass
from functools import reduce
from functools import cached_property, lru_cache

import sympy as sp
from sympy.core.function import AppliedUndef

from derive.ops import Diag, Grad, SampleMean
from derive.engine.verify import SYMBOLIC, VerificationError

__all__ = ["m", "d", "n_eps", "n_phi", "n_theta", "i", "j", "k", "phi", "theta",
           "MU", "S", "ONES", "X", "G_MU", "G_S", "EPS", "Z", "PI", "G_PIZ", "G_PITH",
           "R", "G_AZ", "G_ATH", "PiAt", "Config", "instantiate", "jacobian_check",
           "r_definition"]

m = sp.Symbol("m", integer=True, positive=True)
d = sp.Symbol("d", integer=True, positive=True)
n_eps = sp.Symbol("n_eps", integer=True, positive=True)
n_phi = sp.Symbol("n_phi", integer=True, positive=True)
n_theta = sp.Symbol("n_theta", integer=True, positive=True)
i, j, k = (sp.Symbol(c, integer=True, positive=True) for c in "ijk")
phi, theta = sp.Symbol("phi"), sp.Symbol("theta")

MU, S, ONES = sp.MatrixSymbol("mu", m, 1), sp.MatrixSymbol("s", m, 1), sp.MatrixSymbol(r"\mathbf{1}", m, 1)
X = sp.MatrixSymbol("x", d, 1)
G_MU, G_S = sp.MatrixSymbol(r"g_{\mu,\phi}", m, n_phi), sp.MatrixSymbol(r"g_{s,\phi}", m, n_phi)
EPS, Z = sp.MatrixSymbol(r"\epsilon_{i}", m, 1), sp.MatrixSymbol(r"z_{i}", m, 1)
PI = sp.MatrixSymbol(r"\pi(z_{i})", d, 1)
G_PIZ = sp.MatrixSymbol(r"g_{\pi,z}(z_{i})", d, m)
G_PITH = sp.MatrixSymbol(r"g_{\pi,\theta}(z_{i})", d, n_theta)
G_AZ = sp.MatrixSymbol(r"g_{a,z}(z_{i})", d, m)
G_ATH = sp.MatrixSymbol(r"g_{a,\theta}(z_{i})", d, n_theta)
R = sp.MatrixSymbol(r"r(z_{i})", d, 1)
DZ = sp.MatrixSymbol(r"\left(\frac{\partial z_{i}}{\partial \phi}\right)", m, n_phi)
GZ_LOGP = sp.MatrixSymbol(r"\nabla_{z} \ln p(x \mid z_{i})", m, 1)
GTH_LOGP = sp.MatrixSymbol(r"\nabla_{\theta} \ln p(x \mid z_{i})", n_theta, 1)
xk, muj, ellj = sp.IndexedBase("x", real=True), sp.IndexedBase("mu", real=True), sp.IndexedBase("ell", real=True)


def r_definition():
    """r(z_i) = (x - pi(z_i)) / (pi(z_i) (1 - pi(z_i))) elementwise: d ln p / d pi."""
    num = sp.MatAdd(X, -PI, evaluate=False)
    den = sp.HadamardProduct(PI, sp.MatAdd(sp.OneMatrix(d, 1), -PI, evaluate=False))
    return sp.HadamardProduct(num, sp.HadamardPower(den, -1))


class PiAt(sp.Function):
    """``pi_k(z_i)``: the k-th decoder output at the i-th sample (display and check)."""

    nargs = 2

    def _latex(self, printer):
        a, b = (printer._print(x) for x in self.args)
        return rf"\pi_{{{a}}}(z_{{{b}}})"


class Sigmoid(sp.Function):
    """The logistic function, known to SymPy only through sigma' = sigma (1 - sigma)
    (keeps the checks polynomial in its values instead of rational in exponentials)."""

    nargs = 1

    def fdiff(self, argindex=1):
        return self * (1 - self)


@dataclass(frozen=True)
class Config:
    """One instantiation: dimensions and whether the decoder is ``sigmoid(a_theta(z))``."""

    m: int
    d: int
    n_eps: int
    n_phi: int
    n_theta: int
    logit: bool = False

    @cached_property
    def phis(self):
        return sp.symbols(f"phi_1:{self.n_phi + 1}", real=True)

    @cached_property
    def thetas(self):
        return sp.symbols(f"theta_1:{self.n_theta + 1}", real=True)

    @cached_property
    def xi(self):
        return sp.symbols(f"xi_1:{self.m + 1}", real=True)

    @cached_property
    def xs(self):
        return sp.symbols(f"x_1:{self.d + 1}", real=True)

    @cached_property
    def mu(self):
        return sp.Matrix([sp.Function(f"mu_{a}")(*self.phis) for a in range(1, self.m + 1)])

    @cached_property
    def ell(self):
        return sp.Matrix([sp.Function(f"ell_{a}")(*self.phis) for a in range(1, self.m + 1)])

    def eps(self, ii):
        return sp.Matrix([sp.Symbol(f"eps_{a}_{ii}", real=True) for a in range(1, self.m + 1)])

    def z(self, ii):
        return self.mu + self.ell.applyfunc(sp.exp).multiply_elementwise(self.eps(ii))

    @cached_property
    def logits(self):
        return sp.Matrix([sp.Function(f"a_{b}")(*self.xi, *self.thetas) for b in range(1, self.d + 1)])

    @cached_property
    def pi_xi(self):
        """pi(xi): undefined functions, or sigmoid of undefined logits."""
        if self.logit:
            return self.logits.applyfunc(Sigmoid)
        return sp.Matrix([sp.Function(f"pi_{b}")(*self.xi, *self.thetas) for b in range(1, self.d + 1)])

    def at(self, expr, ii):
        """``expr`` (a function of xi) evaluated at z_ii; partial derivatives of the
        network functions become the canonical calls of :func:`_canon` first."""
        return _canon(expr).xreplace(dict(zip(self.xi, self.z(ii))))

    def loglik_xi(self):
        return sum(x * sp.log(p) + (1 - x) * sp.log(1 - p) for x, p in zip(self.xs, self.pi_xi))

    def matrix(self, M, ii):
        """Explicit value of the matrix symbol ``M`` (concrete shape) at sample ii."""
        return _matrix(self, M.name, ii)

    def _matrix(self, name, ii):
        pi, at = self.pi_xi, lambda e: self.at(e, ii)
        loglik = lambda: self.loglik_xi()
        rules = {
            MU.name: lambda: self.mu, S.name: lambda: self.ell.applyfunc(sp.exp),
            ONES.name: lambda: sp.ones(self.m, 1), X.name: lambda: sp.Matrix(self.xs),
            G_MU.name: lambda: self.mu.jacobian(self.phis),
            G_S.name: lambda: self.ell.jacobian(self.phis),
            EPS.name: lambda: self.eps(ii), Z.name: lambda: self.z(ii), PI.name: lambda: at(pi),
            G_PIZ.name: lambda: at(pi.jacobian(self.xi)),
            G_PITH.name: lambda: at(pi).jacobian(self.thetas),
            G_AZ.name: lambda: at(self.logits.jacobian(self.xi)),
            G_ATH.name: lambda: at(self.logits).jacobian(self.thetas),
            DZ.name: lambda: self.z(ii).jacobian(self.phis),
            GZ_LOGP.name: lambda: at(sp.Matrix([loglik()]).jacobian(self.xi).T),
            GTH_LOGP.name: lambda: sp.Matrix([at(loglik())]).jacobian(self.thetas).T}
        return rules[name]()

    @cached_property
    def dims(self):
        return {m: self.m, d: self.d, n_eps: self.n_eps, n_phi: self.n_phi, n_theta: self.n_theta}


@lru_cache(maxsize=1024)
def _matrix(cfg: Config, name: str, ii):
    return cfg._matrix(name, ii)


def instantiate(expr, cfg: Config, ii=None):
    """``expr`` made explicit at ``cfg``: sums over i (samples), j (latent), k (data)
    written out, matrix symbols replaced, gradients taken by SymPy."""
    if isinstance(expr, sp.Sum):
        (var, lo, hi) = expr.limits[0]
        rest = sp.Sum(expr.function, *expr.limits[1:]) if len(expr.limits) > 1 else expr.function
        hi = int(hi.subs(cfg.dims))
        terms = [instantiate(rest.subs(var, v), cfg, v if var == i else ii)
                 for v in range(int(lo), hi + 1)]
        return reduce(operator.add, terms)
    if isinstance(expr, SampleMean):
        return instantiate(expr.as_sum(), cfg, ii)
    if isinstance(expr, Grad):
        f, w = expr.args
        f = instantiate(f, cfg, ii)
        return sp.Matrix([sp.diff(f, p) for p in (cfg.phis if w == phi else cfg.thetas)])
    if isinstance(expr, PiAt):
        kk, jj = expr.args
        return cfg.at(cfg.pi_xi[int(kk) - 1], int(jj))
    if isinstance(expr, sp.Indexed):
        base, idx = expr.base, int(expr.indices[0])
        return {xk: cfg.xs, muj: list(cfg.mu), ellj: list(cfg.ell)}[base][idx - 1]
    if isinstance(expr, sp.MatrixSymbol):
        return cfg.matrix(expr, ii)
    if expr.is_Atom or not expr.args:
        return expr.subs(cfg.dims)
    args = [instantiate(a, cfg, ii) for a in expr.args]
    if isinstance(expr, sp.MatrixExpr) or any(isinstance(a, sp.MatrixBase) for a in args):
        return _explicit_matrix(expr.func, args)
    return expr.func(*args)


def _explicit_matrix(func, args):
    """Rebuild a matrix expression from explicit arguments and evaluate it."""
    if func in (sp.MatAdd, sp.Add):
        return sum(args[1:], start=args[0])
    if func in (sp.MatMul, sp.Mul):
        out = args[0]
        for a in args[1:]:
            out = out * a
        return out
    if func is sp.Transpose:
        return args[0].T
    if func is sp.HadamardProduct:
        out = args[0]
        for a in args[1:]:
            out = out.multiply_elementwise(a)
        return out
    if func is sp.HadamardPower:
        return args[0].applyfunc(lambda e: e ** args[1])
    if func is sp.OneMatrix:
        return sp.ones(*args)
    if func is Diag:
        return sp.diag(*list(args[0]))
    out = func(*args).doit()
    return out if isinstance(out, sp.MatrixBase) else out.as_explicit()


# --- comparison: SymPy's chain rule vs the formula -------------------------------------

def _slots(f, variables):
    return "".join(str(n) for n, a in enumerate(f.args) for v in variables if a == v)


def _canon(e):
    """Derivative and Subs(Derivative) of undefined functions as one canonical call
    ``D<slots>_<name>(args at the point)``, so equal partial derivatives compare equal."""
    def subs_rule(s):
        der, vs, pts = s.args
        f = der.expr
        return sp.Function(f"D{_slots(f, der.variables)}_{f.func.__name__}")(
            *[a.xreplace(dict(zip(vs, pts))) for a in f.args])

    def der_rule(D):
        f = D.expr
        return sp.Function(f"D{_slots(f, D.variables)}_{f.func.__name__}")(*f.args)
    e = e.replace(lambda a: isinstance(a, sp.Subs) and isinstance(a.args[0], sp.Derivative), subs_rule)
    return e.replace(lambda a: isinstance(a, sp.Derivative) and isinstance(a.expr, AppliedUndef), der_rule)


def _zero(diff) -> bool:
    """Every network value and partial derivative becomes an independent symbol; the
    difference, a polynomial in the partial derivatives, must have zero coefficients."""
    diff = diff.applyfunc(_canon)
    calls = set().union(*[e.atoms(AppliedUndef, Sigmoid) for e in diff])
    rep = {c: sp.Dummy(c.func.__name__) for c in calls}
    dvars = [rep[c] for c in calls if c.func.__name__.startswith("D")]
    for e in diff:
        e = sp.expand(e.xreplace(rep))
        if e == 0:
            continue
        coeffs = sp.Poly(e, *dvars).coeffs() if dvars else [e]
        if any(sp.cancel(sp.together(c)) != 0 for c in coeffs):
            return False
    return True


def jacobian_check(configs):
    """``check=`` for Chain.step: both sides instantiated at each config, equal as
    explicit matrices (symbolic; see :func:`_zero`)."""
    def check(lhs, rhs):
        for cfg in configs:
            a, b = instantiate(lhs, cfg), instantiate(rhs, cfg)
            a, b = (x if isinstance(x, sp.MatrixBase) else sp.Matrix([x]) for x in (a, b))
            if a.shape != b.shape or not _zero(a - b):
                raise VerificationError(f"differs at {cfg}")
        return SYMBOLIC
    return check
