"""Problem 3: the derived gradient formulas against an independent oracle.

A small random VAE (tanh MLP encoder giving mu and ln s, tanh MLP decoder with sigmoid
outputs, fixed eps samples): the NumPy formulas of ``numeric.elbo``, fed with
network Jacobians computed by complex-step differentiation, agree with central finite
differences of the ELBO estimate to a relative error below 1e-6. Also: the symbolic
derivations exist and were verified, and the symbolic check rejects a wrong formula.
"""
import numpy as np
import pytest
import sympy as sp

from derive.elbo import gradients as E
from derive.engine.chain import VerificationError
from derive.ops import Grad
from derive.engine.render import srepr
from derive.elbo.instances import Config, jacobian_check, r_definition
from derive.symbols import G_MU, G_PIZ, G_S, MU, ONES, R, S, phi
from numeric import elbo as eg
from oracles import central_fd, complex_step_jacobian, rel_err

H = 4  # hidden units of both MLPs


# --- a small VAE -------------------------------------------------------------------------

def _sizes_enc(m, d):
    return [(H, d), (H,), (m, H), (m,), (m, H), (m,)]


def _sizes_dec(m, d):
    return [(H, m), (H,), (d, H), (d,)]


def _unpack(v, sizes):
    out, at = [], 0
    for shp in sizes:
        n = int(np.prod(shp))
        out.append(v[at:at + n].reshape(shp))
        at += n
    return out


def encoder(phi, x, m):
    """(mu, ell) = MLP_phi(x): h = tanh(W1 x + b1), mu = W2 h + b2, ell = W3 h + b3."""
    W1, b1, W2, b2, W3, b3 = _unpack(phi, _sizes_enc(m, x.shape[0]))
    h = np.tanh(W1 @ x + b1)
    return W2 @ h + b2, W3 @ h + b3


def logits(theta, z, d):
    """a = V2 tanh(V1 z + c1) + c2; the decoder outputs pi = sigmoid(a)."""
    V1, c1, V2, c2 = _unpack(theta, _sizes_dec(z.shape[0], d))
    return V2 @ np.tanh(V1 @ z + c1) + c2


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def elbo(phi, theta, x, eps, m):
    """R - KL with z_i = mu + e^ell * eps_i (eps fixed): the function we differentiate."""
    mu, ell = encoder(phi, x, m)
    d = x.shape[0]
    pi = np.array([sigmoid(logits(theta, mu + np.exp(ell) * e, d)) for e in eps])
    return eg.rec_term(x, pi) - eg.kl_term(mu, ell)








class VAE:
    """One random instance with all the arrays the formulas take."""

    def __init__(self, m, d, n_eps, seed):
        rng = np.random.default_rng(seed)
        self.m, self.d = m, d
        self.phi = rng.normal(scale=0.7, size=sum(int(np.prod(s)) for s in _sizes_enc(m, d)))
        self.theta = rng.normal(scale=0.7, size=sum(int(np.prod(s)) for s in _sizes_dec(m, d)))
        self.x = rng.integers(0, 2, size=d).astype(float)
        self.eps = rng.normal(size=(n_eps, m))
        self.mu, self.ell = encoder(self.phi, self.x, m)
        self.s = np.exp(self.ell)
        self.z = self.mu + self.s * self.eps
        self.g_mu_phi = complex_step_jacobian(lambda p: encoder(p, self.x, m)[0], self.phi)
        self.g_s_phi = complex_step_jacobian(lambda p: encoder(p, self.x, m)[1], self.phi)
        self.a = np.array([logits(self.theta, zi, d) for zi in self.z])
        self.pi = sigmoid(self.a)
        pi_of_z = lambda zz: sigmoid(logits(self.theta, zz, d))
        self.g_pi_z = np.array([complex_step_jacobian(pi_of_z, zi) for zi in self.z])
        self.g_pi_theta = np.array([complex_step_jacobian(lambda t: sigmoid(logits(t, zi, d)), self.theta)
                                    for zi in self.z])
        self.g_a_z = np.array([complex_step_jacobian(lambda zz: logits(self.theta, zz, d), zi) for zi in self.z])
        self.g_a_theta = np.array([complex_step_jacobian(lambda t: logits(t, zi, d), self.theta)
                                   for zi in self.z])

    def fd_phi(self):
        return central_fd(lambda p: elbo(p, self.theta, self.x, self.eps, self.m), self.phi)

    def fd_theta(self):
        return central_fd(lambda t: elbo(self.phi, t, self.x, self.eps, self.m), self.theta)

    def fd_kl_phi(self):
        return central_fd(lambda p: eg.kl_term(*encoder(p, self.x, self.m)), self.phi)


DIMS = [(1, 1, 1), (2, 5, 3), (4, 3, 10), (3, 6, 2)]


@pytest.fixture(scope="module", params=DIMS, ids=lambda t: "m%d-d%d-n%d" % t)
def vae(request):
    m, d, n = request.param
    return VAE(m, d, n, seed=100 * m + 10 * d + n)


def test_kl_grad_phi_matches_finite_differences(vae):
    g = eg.kl_grad_phi(vae.g_mu_phi, vae.g_s_phi, vae.mu, vae.ell)
    assert rel_err(g, vae.fd_kl_phi()) < 1e-6


def test_elbo_grad_phi_matches_finite_differences(vae):
    g_phi, _ = eg.elbo_grads(vae.g_mu_phi, vae.g_s_phi, vae.mu, vae.ell, vae.eps, vae.x, vae.pi,
                             vae.g_pi_z, vae.g_pi_theta)
    assert rel_err(g_phi, vae.fd_phi()) < 1e-6


def test_elbo_grad_theta_matches_finite_differences(vae):
    _, g_theta = eg.elbo_grads(vae.g_mu_phi, vae.g_s_phi, vae.mu, vae.ell, vae.eps, vae.x, vae.pi,
                               vae.g_pi_z, vae.g_pi_theta)
    assert rel_err(g_theta, vae.fd_theta()) < 1e-6


def test_logit_forms_equal_the_general_forms(vae):
    r = eg.bernoulli_residual(vae.x, vae.pi)
    np.testing.assert_allclose(
        eg.rec_grad_phi_logits(vae.g_mu_phi, vae.g_s_phi, vae.s, vae.eps, vae.g_a_z, vae.x, vae.pi),
        eg.rec_grad_phi(vae.g_mu_phi, vae.g_s_phi, vae.s, vae.eps, vae.g_pi_z, r), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(eg.rec_grad_theta_logits(vae.g_a_theta, vae.x, vae.pi),
                               eg.rec_grad_theta(vae.g_pi_theta, r), rtol=1e-9, atol=1e-12)


def test_a_wrong_formula_fails_the_same_tolerance():
    """Negative control: dropping the diag(s o eps_i) g_{s,phi} term is caught."""
    v = VAE(2, 5, 3, seed=7)
    r = eg.bernoulli_residual(v.x, v.pi)
    wrong = eg.rec_grad_phi(v.g_mu_phi, 0 * v.g_s_phi, v.s, v.eps, v.g_pi_z, r) \
        - eg.kl_grad_phi(v.g_mu_phi, v.g_s_phi, v.mu, v.ell)
    assert rel_err(wrong, v.fd_phi()) > 1e-3


# --- the symbolic side ---------------------------------------------------------------------

def test_elbo_topic_ids_and_every_step_verified():
    from derive import load
    ds = load(["elbo"])
    assert [d.id for d in ds][:5] == ["elbo.kl_grad_phi", "elbo.kl_grad_logvar", "elbo.rec_grad_phi",
                                      "elbo.rec_grad_theta", "elbo.logit_head"]
    assert {"elbo.dense_vjp", "elbo.tanh_vjp", "elbo.mlp_vjp"} <= {d.id for d in ds}
    for d in ds:
        assert d.steps and all(s.verified in ("symbolic", "instances", "numeric") for s in d.steps)
        assert sp.parse_expr(srepr(d.result)) == d.result


def test_log_variance_formula_matches_finite_differences():
    """elbo.kl_grad_logvar: its result g_{mu,phi}^T mu + 1/2 g_{v,phi}^T (e^v - 1), evaluated with
    the Jacobians of a small random encoder (mu = A phi, v = tanh(B phi)), against central
    finite differences of KL(phi) = 1/2 sum_j (mu_j^2 + e^{v_j} - 1 - v_j); a wrong factor
    (no 1/2) is caught at the same tolerance."""
    from derive.elbo.index_form import EXP_V, G_V
    from derive.symbols import m, n_phi
    rng = np.random.default_rng(3)
    A, B, p0 = rng.normal(size=(2, 3)), rng.normal(size=(2, 3)), rng.normal(size=3)
    enc = lambda p: (A @ p, np.tanh(B @ p))
    kl = lambda p: 0.5 * float(np.sum(enc(p)[0] ** 2 + np.exp(enc(p)[1]) - 1 - enc(p)[1]))
    mu0, v0 = enc(p0)
    values = {G_MU: A, G_V: np.diag(1 - v0 ** 2) @ B, MU: mu0[:, None], EXP_V: np.exp(v0)[:, None],
              ONES: np.ones((2, 1))}
    d = E.kl_grad_logvar()
    formula = d.result.subs({m: 2, n_phi: 3}).xreplace(
        {k.subs({m: 2, n_phi: 3}): sp.Matrix(v) for k, v in values.items()}).doit()
    got = np.array(sp.Matrix(formula), dtype=float).ravel()
    fd = central_fd(kl, p0)
    assert rel_err(got, fd) < 1e-7
    wrong = A.T @ mu0 + values[G_V].T @ (np.exp(v0) - 1)
    assert rel_err(wrong, fd) > 1e-3


def test_jacobian_check_rejects_wrong_formulas():
    check = jacobian_check((Config(2, 3, 1, 1, 2),))
    grad = Grad(E.rec_term(), phi)
    assert check(grad, E.rec_grad_phi_formula().subs(R, r_definition())).level == "instances"
    no_scale = E.mean_over_samples(E.mat_mul(G_MU.T, G_PIZ.T, R)).subs(R, r_definition())
    with pytest.raises(VerificationError):
        check(grad, no_scale)
    kl = E.kl_grad_phi()
    wrong_kl = E.mat_mul(G_MU.T, MU) + E.mat_mul(G_S.T, sp.MatAdd(S, -ONES))  # s instead of s o s
    with pytest.raises(VerificationError):
        check(kl.start, wrong_kl)


@pytest.mark.parametrize("name", ["kl_grad_phi", "rec_grad_phi", "rec_grad_theta"])
def test_every_step_holds_at_explicit_instantiations(name):
    """The build proves each step in index form for every size; the Jacobian form agrees:
    every displayed equality holds at the two small configurations E.CONFIGS and a third,
    larger one (m=3, d=2, n_eps=3, n_phi=2, n_theta=2), against SymPy's own chain rule."""
    d = getattr(E, name)()
    check = jacobian_check(E.CONFIGS + (Config(3, 2, 3, 2, 2),))
    where = dict(d.where)
    sides = [d.start] + [s.rhs for s in d.steps]
    for a, b in zip(sides, sides[1:]):
        assert check(a.subs(where), b.subs(where)).level == "instances"


# --- proofs for every size (index calculus) and their negative controls -----------------------

def test_logit_head_holds_at_explicit_instantiations():
    from derive.elbo import logit_head as LH
    d = LH.logit_head()
    check = jacobian_check(LH.CONFIGS)
    where = dict(d.where)
    assert check(d.lhs.subs(where), d.start.subs(where)).level == "instances"
    assert check(d.start.subs(where), d.steps[0].rhs.subs(where)).level == "instances"
    assert check(d.steps[1].lhs.subs(where), d.steps[1].rhs.subs(where)).level == "instances"


def test_index_calculus_proves_every_step_for_every_size():
    from derive import load
    for d in load(["elbo"]):
        for s in d.steps:
            assert s.verified == "symbolic" and s.detail["method"].startswith("index calculus"), (d.id, s.why)
            assert s.detail["sizes"].startswith("every")


def test_index_calculus_rejects_wrong_formulas():
    from derive.elbo.index_form import index_check
    from derive.symbols import G_PITH, theta
    check = index_check(phi)
    grad = Grad(E.rec_term(), phi)
    assert check(grad, E.rec_grad_phi_formula().subs(R, r_definition())).level == "symbolic"
    no_scale = E.mean_over_samples(E.mat_mul(G_MU.T, G_PIZ.T, R)).subs(R, r_definition())
    twice = 2 * E.rec_grad_phi_formula().subs(R, r_definition())
    wrong_kl = E.mat_mul(G_MU.T, MU) + E.mat_mul(G_S.T, sp.MatAdd(S, -ONES))  # s instead of s o s
    kl = E.kl_grad_phi()  # the displayed Jacobian form is what is checked: a swapped Jacobian fails
    swapped = kl.steps[-1].rhs.xreplace({G_S: G_MU, G_MU: G_S})
    for lhs, rhs in [(grad, no_scale), (grad, twice), (kl.start, wrong_kl), (kl.steps[0].rhs, swapped)]:
        with pytest.raises(VerificationError):
            check(lhs, rhs)
    with pytest.raises(VerificationError):  # the mean over samples dropped
        index_check(theta)(Grad(E.rec_term(), theta), E.mat_mul(G_PITH.T, r_definition()))


def test_layer_rules_index_calculus_rejects_wrong_rules():
    from derive.elbo import layers as L
    from derive.ops import Tanh
    from derive.symbols import B_P, G_HW, G_YH, H_Q, U_P, V_P, W_D, W_VEC, Y_W
    check = L.index_check()
    vty = L.mat_mul(V_P.T, sp.MatAdd(L.mat_mul(W_D, H_Q), B_P))
    assert check(Grad(vty, W_D), V_P * H_Q.T).level == "symbolic"
    for lhs, rhs in [(Grad(vty, W_D), H_Q * V_P.T), (Grad(vty, H_Q), 2 * W_D.T * V_P),
                     (Grad(L.mat_mul(V_P.T, Tanh(U_P)), U_P), V_P)]:
        with pytest.raises(VerificationError):
            check(lhs, rhs)
    chain = L.index_check(chain_rule=True)
    grad = Grad(L.mat_mul(V_P.T, Y_W), W_VEC)
    assert chain(grad, L.mat_mul(G_HW.T, G_YH.T, V_P)).level == "symbolic"
    with pytest.raises(VerificationError):  # transposes in the wrong order
        chain(grad, L.mat_mul(G_HW.T, G_HW, G_HW.T, G_YH.T, V_P))


def test_layer_rules_agree_with_explicit_matrices_at_small_sizes():
    """The index-form proofs and the explicit instances agree: each displayed rule is also
    checked with explicit matrices (the Jacobian form) at three sizes."""
    from derive.elbo import layers as L
    for build, sizes in [(L.dense_vjp, L.SIZES["dense"]), (L.tanh_vjp, L.SIZES["tanh"]),
                         (L.mlp_vjp, L.SIZES["mlp"])]:
        d = build()
        check = L.layer_check(sizes)
        where = dict(d.where)
        sides = [d.start] + [s.rhs for s in d.steps]
        for n, s in enumerate(d.steps):
            left = s.lhs if s.lhs is not None else sides[n]
            assert check(left.subs(where).subs(where), s.rhs.subs(where).subs(where)).level == "instances"


# --- an independent oracle: JAX autodiff --------------------------------------------------------

def test_elbo_gradients_match_jax_autodiff():
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    jnp = jax.numpy
    v = VAE(3, 4, 5, seed=11)

    def unpack(w, sizes):
        out, at = [], 0
        for shp in sizes:
            size = int(np.prod(shp))
            out.append(w[at:at + size].reshape(shp))
            at += size
        return out

    def elbo_jax(p, t):
        W1, b1, W2, b2, W3, b3 = unpack(p, _sizes_enc(v.m, v.d))
        h = jnp.tanh(W1 @ v.x + b1)
        mu, ell = W2 @ h + b2, W3 @ h + b3
        z = mu + jnp.exp(ell) * v.eps
        V1, c1, V2, c2 = unpack(t, _sizes_dec(v.m, v.d))
        a = jnp.tanh(z @ V1.T + c1) @ V2.T + c2
        rec = jnp.mean(jnp.sum(v.x * jax.nn.log_sigmoid(a) + (1 - v.x) * jax.nn.log_sigmoid(-a), -1))
        kl = 0.5 * jnp.sum(mu ** 2 + jnp.exp(2 * ell) - 1 - 2 * ell)
        return rec - kl
    g_phi, g_theta = eg.elbo_grads(v.g_mu_phi, v.g_s_phi, v.mu, v.ell, v.eps, v.x, v.pi, v.g_pi_z, v.g_pi_theta)
    j_phi, j_theta = jax.grad(elbo_jax, argnums=(0, 1))(jnp.asarray(v.phi), jnp.asarray(v.theta))
    assert rel_err(g_phi, np.asarray(j_phi)) < 1e-8
    assert rel_err(g_theta, np.asarray(j_theta)) < 1e-8
    assert rel_err(g_phi[::-1], np.asarray(j_phi)) > 1e-3  # negative control: a permuted gradient fails


def test_the_index_form_entries_are_sympys_own_entries_at_small_sizes():
    """The translation of a displayed matrix expression into index form (derive.engine.sums.entry,
    used by the proofs for every size) agrees with SymPy's own explicit matrices at small sizes,
    entry by entry, for every matrix-valued side displayed in 3.a-3.c."""
    from derive.elbo.index_form import EXP_V, G_V
    from derive.engine.sums import entry
    from derive.ops import SampleMean
    from derive.symbols import d, m, n_phi, n_theta
    sizes = {m: 2, d: 3, n_phi: 2, n_theta: 2}
    sides = [E.kl_grad_phi().steps[-1].rhs, E.kl_grad_logvar().steps[-1].rhs,
             E.rec_grad_phi_formula().subs(R, r_definition()), E.rec_grad_theta_formula().subs(R, r_definition())]
    assert {G_V, EXP_V} <= sides[1].atoms(sp.MatrixSymbol)
    cell = lambda M, r, c: sp.IndexedBase(M.name)[r, c]  # one unknown per entry, at any size
    for side in sides:
        body = side.args[0] if isinstance(side, SampleMean) else side
        concrete = body.subs(sizes)
        full = {M: sp.Matrix(*M.shape, lambda r, c: cell(M, r, c)) for M in concrete.atoms(sp.MatrixSymbol)}
        explicit = concrete.xreplace(full).doit().as_explicit()
        for a in range(explicit.shape[0]):
            ours = entry(body, a, 0, cell).subs(sizes).doit()
            assert sp.simplify(ours - explicit[a, 0]) == 0, (body, a)
