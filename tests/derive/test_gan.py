"""Problem 4 derivations: every step verified, the closed forms against independent oracles."""
import json

import numpy as np
import pytest
import sympy as sp
from scipy import integrate

from derive import VerificationError, get, load, to_json
from derive.gan.gaussian import coefficients
from derive.symbols import c0, c1, c2, mu_G, mu_q, sigma_G, sigma_q, x

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
    q, p = sp.Function("q")(x), sp.Function("p_G")(x)
    assert sp.simplify(get("gan.optimal_discriminator").result - q / (q + p)) == 0


def test_at_p_g_equal_q_the_optimal_discriminator_is_one_half():
    assert get("gan.optimal_discriminator_at_equilibrium").steps[0].rhs == sp.Rational(1, 2)
    # Gaussian form: every coefficient vanishes at mu_G = mu_q, sigma_G = sigma_q, so D* = sigma(0) = 1/2
    for value in coefficients().values():
        assert sp.simplify(value.subs({mu_G: mu_q, sigma_G: sigma_q})) == 0
    d = get("gan.gaussian_optimal_discriminator")
    dstar = d.result.subs({c0: 0, c1: 0, c2: 0}).replace(sp.Function("sigma"), sp.Lambda(x, 1 / (1 + sp.exp(-x))))
    assert sp.simplify(dstar) == sp.Rational(1, 2)


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
                start=sp.Add(g._int(g.q(x) * sp.log(g.D(x))), g._int(g.phi(g.z) * sp.log(1 - g.D(g.G(g.z))), g.z),
                             evaluate=False),
                where={g.p_G: sp.Lambda(x, g.normal_pdf(x, g.b, 2 * g.a)),          # wrong: sd 2a
                       g.phi: sp.Lambda(g.z, g.normal_pdf(g.z, 0, 1)), g.G: sp.Lambda(g.z, g.a * g.z + g.b)})
    with pytest.raises(VerificationError):
        c.step(g._int(g.q(x) * sp.log(g.D(x)) + g.p_G(x) * sp.log(1 - g.D(x))), "x",
               check=g._change_of_variables)
