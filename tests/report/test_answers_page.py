"""The formulas typed on the answers page (summary.tex) that are not a derivation's printed
result, each checked by SymPy against the derived result or the definition it restates."""
import sympy as sp

from derive import get
from report.pipeline import TEMPLATES

SUMMARY = (TEMPLATES / "summary.tex").read_text()


def test_2b_simplest_and_matrix_forms_equal_the_derived_result():
    assert r"\frac12\sum_{j=1}^{m}\bigl(\mu_j^2+\sigma_j^2-1-\ln\sigma_j^2\bigr)" in SUMMARY
    assert 'result("kl.diagonal", shown=True)' in SUMMARY  # the matrix form: the chain's last line
    derived = get("kl.diagonal").result
    m = next(s for s in derived.free_symbols if s.name == "m")
    k = 3
    at = sp.expand(derived.subs(m, k).doit())
    mu = [s for s in sp.preorder_traversal(at) if isinstance(s, sp.Indexed) and s.base.name == "mu"]
    sig = [s for s in sp.preorder_traversal(at) if isinstance(s, sp.Indexed) and s.base.name == "sigma"]
    mus = sorted(set(mu), key=str)
    sigs = sorted(set(sig), key=str)
    simplest = sum(u**2 + s**2 - 1 - sp.log(s**2) for u, s in zip(mus, sigs)) / 2
    Sigma = sp.diag(*[s**2 for s in sigs])
    matrix = (sum(u**2 for u in mus) + Sigma.trace() - k - sp.log(Sigma.det())) / 2
    assert sp.simplify(sp.expand_log(at - simplest, force=True)) == 0
    assert sp.simplify(sp.expand_log(at - matrix, force=True)) == 0
    wrong = sum(u**2 + s**2 - sp.log(s**2) for u, s in zip(mus, sigs)) / 2      # negative control: no -1
    assert sp.simplify(sp.expand_log(at - wrong, force=True)) != 0


def test_3a_log_variance_reading():
    """The derived elbo.kl_grad_logvar (both steps proved; listed in the verification record, not on
    the answers page, since the seed's s_phi outputs ln s_j): with v = ln sigma^2 the KL term is
    1/2 sum (mu^2 + e^v - 1 - v), whose v-derivative is (e^v - 1)/2."""
    assert 'result("elbo.kl_grad_phi", shown=True)' in SUMMARY
    d = get("elbo.kl_grad_logvar")
    assert [s.verified for s in d.steps] == ["symbolic", "symbolic"]
    mu, v = sp.symbols("mu v", real=True)
    kl = (mu**2 + sp.exp(v) - 1 - v) / 2
    s = sp.Symbol("sigma", positive=True)
    assert sp.simplify(kl.subs(v, sp.log(s**2)) - (mu**2 + s**2 - 1 - sp.log(s**2)) / 2) == 0
    assert sp.simplify(sp.diff(kl, v) - (sp.exp(v) - 1) / 2) == 0
    assert sp.diff(kl, mu) == mu


def test_3b_r_is_the_derivative_of_the_bernoulli_log_likelihood():
    assert r"r_k=\dfrac{x_k-\pi_k(z_i)}{\pi_k(z_i)(1-\pi_k(z_i))}" in SUMMARY
    x, p = sp.symbols("x pi", positive=True)
    loglik = x * sp.log(p) + (1 - x) * sp.log(1 - p)
    assert sp.simplify(sp.diff(loglik, p) - (x - p) / (p * (1 - p))) == 0
