"""Problem 4 derivations: every step verified, the closed forms against independent oracles."""
import json

import numpy as np
import pytest
import sympy as sp
from scipy import integrate

from derive import VerificationError, get, load, to_json
from derive.gan.gaussian import coefficients
from derive.gan.value import normalised
from derive.symbols import c0, c1, c2, mu_G, mu_q, p_data, sigma_G, sigma_q, x

IDS = ["gan.value_function", "gan.optimal_discriminator", "gan.optimal_discriminator_at_equilibrium",
       "gan.gaussian_log_ratio", "gan.gaussian_optimal_discriminator", "gan.gaussian_kl",
       "gan.logit_loss_grads", "gan.quadratic_logit_grads", "gan.disc_loss_grad", "gan.gen_minimax_grad",
       "gan.gen_nonsat_grad", "gan.gen_grad_vanishing", "gan.tanh_unit_grads", "gan.generator_jacobians",
       "gan.regression_grad"]


def test_topic_has_every_id_and_every_step_is_verified():
    ds = load(["gan"])
    assert [d.id for d in ds] == IDS
    for d in ds:
        assert d.steps and all(s.verified in ("symbolic", "instances", "numeric") for s in d.steps), d.id


def test_json_contract_round_trips():
    for obj in json.loads(to_json(load(["gan"]))):
        assert sp.parse_expr(obj["sympy"]) is not None
        assert {"id", "problem", "title", "latex", "sympy", "symbols", "steps"} <= obj.keys()


def test_optimal_discriminator_is_goodfellow_prop_1():
    q, p = sp.Function("p_data")(x), sp.Function("p_G")(x)
    assert sp.simplify(get("gan.optimal_discriminator").result - q / (q + p)) == 0


def test_at_p_g_equal_q_the_optimal_discriminator_is_one_half():
    assert get("gan.optimal_discriminator_at_equilibrium").steps[0].rhs == sp.Rational(1, 2)
    # Gaussian form: every coefficient vanishes at mu_G = mu_q, sigma_G = sigma_q, so D* = sigma(0) = 1/2
    for value in coefficients().values():
        assert sp.simplify(value.subs({mu_G: mu_q, sigma_G: sigma_q})) == 0
    d = get("gan.gaussian_optimal_discriminator")
    dstar = d.result.subs({c0: 0, c1: 0, c2: 0}).replace(sp.Function("sigma"), sp.Lambda(x, 1 / (1 + sp.exp(-x))))
    assert sp.simplify(dstar) == sp.Rational(1, 2)


def test_equilibrium_is_symbolic_for_every_density():
    """D* = 1/2 and V = -ln 4 hold for an arbitrary density p_data: no family is substituted,
    and the value step rests on linearity and int p_data = 1 only."""
    d = get("gan.optimal_discriminator_at_equilibrium")
    assert not d.where and [s.verified for s in d.steps] == ["symbolic", "symbolic"]
    assert "normalisation" in d.steps[1].detail["method"]


@pytest.mark.parametrize("lhs,rhs", [
    (sp.Integral(p_data(x) * sp.log(sp.Rational(1, 2)), (x, -sp.oo, sp.oo)), -sp.log(4)),  # one term only
    (sp.Integral(p_data(x) ** 2, (x, -sp.oo, sp.oo)), sp.Integer(1)),        # int p^2 is not normalised
    (sp.Integral(sp.Function("f")(x), (x, -sp.oo, sp.oo)), sp.Integer(1)),   # f is no density
])
def test_the_normalisation_check_rejects_what_linearity_and_int_p_1_do_not_give(lhs, rhs):
    with pytest.raises(VerificationError):
        normalised(lhs, rhs)


def test_gaussian_log_ratio_matches_densities_numerically():
    rng = np.random.default_rng(1)
    expr = get("gan.gaussian_log_ratio").result
    for _ in range(5):
        mq, mg = rng.uniform(-2, 2, 2)
        sq, sg = rng.uniform(0.3, 2, 2)
        xv = rng.uniform(-3, 3)
        val = float(expr.subs({mu_q: mq, mu_G: mg, sigma_q: sq, sigma_G: sg, x: xv}))
        logn = lambda v, m, s: -0.5 * ((v - m) / s) ** 2 - np.log(s)
        assert val == pytest.approx(logn(xv, mq, sq) - logn(xv, mg, sg), rel=1e-12, abs=1e-12)


def test_gaussian_kl_against_quadrature():
    from numeric.gan.grads import gaussian_kl
    for mg, sg, mq, sq in [(0.0, 1.0, 1.0, 0.5), (1.3, 0.65, 1.0, 0.5), (-2.0, 3.0, 0.5, 1.2)]:
        p = lambda v: np.exp(-0.5 * ((v - mg) / sg) ** 2) / (np.sqrt(2 * np.pi) * sg)
        lq = lambda v: -0.5 * ((v - mq) / sq) ** 2 - np.log(np.sqrt(2 * np.pi) * sq)
        lp = lambda v: -0.5 * ((v - mg) / sg) ** 2 - np.log(np.sqrt(2 * np.pi) * sg)
        ref = integrate.quad(lambda v: p(v) * (lp(v) - lq(v)), -np.inf, np.inf, epsabs=1e-13)[0]
        assert float(gaussian_kl(mg, sg, mq, sq)) == pytest.approx(ref, rel=1e-9, abs=1e-12)


def test_wrong_change_of_variables_is_rejected():
    from derive.gan import value as g
    c = g.Chain("t", problem="4", title="t", lhs=sp.Symbol("V"),
                start=sp.Add(g._int(g.p_data(x) * sp.log(g.D(x))), g._int(g.phi(g.z) * sp.log(1 - g.D(g.G(g.z))), g.z),
                             evaluate=False),
                where={g.p_G: sp.Lambda(x, g.normal_pdf(x, g.b, 2 * g.a)),          # wrong: sd 2a
                       g.phi: sp.Lambda(g.z, g.normal_pdf(g.z, 0, 1)), g.G: sp.Lambda(g.z, g.a * g.z + g.b)})
    with pytest.raises(VerificationError):
        c.step(g._int(g.p_data(x) * sp.log(g.D(x)) + g.p_G(x) * sp.log(1 - g.D(x))), "x",
               check=g.substitution(g.a, g.b))


def _value_chain(g, p_g, scale):
    """The value-function chain with ``p_G := p_g`` and the generator ``scale z + b``."""
    return g.Chain("t", problem="4", title="t", lhs=sp.Symbol("V"),
                   start=sp.Add(g._int(g.p_data(x) * sp.log(g.D(x))),
                                g._int(g.phi(g.z) * sp.log(1 - g.D(g.G(g.z))), g.z), evaluate=False),
                   where={g.p_G: sp.Lambda(x, p_g), g.phi: sp.Lambda(g.z, g.normal_pdf(g.z, 0, 1)),
                          g.G: sp.Lambda(g.z, scale * g.z + g.b)})


def test_change_of_variables_is_proved_for_any_q_and_d():
    d = get("gan.value_function")
    defined = {name for name, _ in d.where}
    assert sp.Function("p_data") not in defined and sp.Function("D") not in defined   # left arbitrary
    assert [s.verified for s in d.steps] == ["symbolic"]
    from derive.gan.value import a
    assert a.is_positive and "(a > 0)" in d.steps[0].detail["method"]


def test_change_of_variables_needs_a_positive_scale():
    from derive.gan import value as g
    a_any = sp.Symbol("a", real=True)   # no sign known: the substitution cannot map the limits
    c = _value_chain(g, g.normal_pdf(x, g.b, a_any), a_any)
    with pytest.raises(VerificationError, match="range"):
        c.step(g._int(g.p_data(x) * sp.log(g.D(x)) + g.p_G(x) * sp.log(1 - g.D(x))), "x",
               check=g.substitution(a_any, g.b))
    ok = _value_chain(g, g.normal_pdf(x, g.b, g.a), g.a)   # a > 0: proved
    ok.step(g._int(g.p_data(x) * sp.log(g.D(x)) + g.p_G(x) * sp.log(1 - g.D(x))), "x", check=g.substitution(g.a, g.b))
    assert ok.expand(g.p_G(x)) == g.normal_pdf(x, g.b, g.a)


def test_gradient_ratio_rows_are_all_verified_and_wrong_ones_fail():
    from derive.gan import gradients as g
    d = get("gan.gen_grad_vanishing")
    assert [s.verified for s in d.steps] == ["symbolic"] * 4
    assert d.start.atoms(g.D)                     # the ratio is defined in D; the first step unfolds D = sigma(h)
    names = {str(name) for name, _ in d.where}
    assert {"D", "c_0", "c_1", "c_2"} <= names   # defined in the Let block, the c's for p_G = N(b, a^2)
    for name, value in d.where:
        assert not ({"mu_G", "sigma_G"} & {str(v) for v in getattr(value, "free_symbols", ())}), name
    # the checks can fail: a wrong ratio, a wrong slope of the optimal logit
    c = g.Chain("t", problem="4", title="t", lhs=sp.Symbol("r"), start=d.start, where=dict(d.where))
    with pytest.raises(VerificationError):
        c.step(g.sigma(g.hq(g.G(g.z))) / (1 + g.sigma(g.hq(g.G(g.z)))), "x",
               check=g._expanded_again(c))
    with pytest.raises(VerificationError):
        c.step(c1 + 3 * c2 * x, "x", lhs=d.steps[2].lhs, how="symbolic")


def test_ratio_is_e_to_the_logit_numerically():
    """The minimax and non-saturating a-gradients of the compiled derivations: ratio e^h."""
    from numeric.gan.grads import gen_minimax_grad, gen_nonsat_grad
    rng = np.random.default_rng(3)
    av, bv, zv, w0, w1, w2 = rng.normal(size=6)
    mm, ns = gen_minimax_grad(av, bv, zv, w0, w1, w2), gen_nonsat_grad(av, bv, zv, w0, w1, w2)
    g_ = av * zv + bv
    assert float(mm[0] / ns[0]) == pytest.approx(np.exp(w0 + w1 * g_ + w2 * g_ ** 2), rel=1e-12)


def test_regression_gradient_unfolds_its_definition():
    d = get("gan.regression_grad")
    assert d.result == 2 * (sp.Symbol("g", real=True) - sp.Symbol("y", real=True))
    assert [str(name) for name, _ in d.where] == ["\\ell"] and d.steps[0].verified == "symbolic"


def test_no_row_repeats_its_left_side_and_no_raw_ids_in_the_text():
    from derive import latex
    for d in load(["gan"]):
        assert latex(d.lhs) != latex(d.start), d.id
        for s in d.steps:
            assert s.lhs is None or latex(s.lhs) != latex(s.rhs), d.id
        texts = [d.title, d.notes, d.start_why, *(s.why for s in d.steps)]
        assert not any("gan." in t or "\\_" in t for t in texts), d.id   # refer by title, not by id


def test_partial_survives_the_cache_and_means_the_derivative():
    from derive.engine.cache import dumps, loads
    from derive.gan.display import Partial
    d = get("gan.tanh_unit_grads")
    assert loads(dumps(d)) == d and d.start.atoms(Partial)
    f = sp.Function("f")
    assert Partial(f(x) ** 2, x).doit() == sp.Derivative(f(x) ** 2, x).doit()
