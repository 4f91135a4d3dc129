"""Problem 1 derivations: every step verified, ids present, results as expected."""
import json

import pytest
import sympy as sp

from derive.printing import to_json_obj
from derive.symbols import L, alpha, beta, kappa, mu_sc as mu
from derive.topics import load
from support import run_module

IDS = ["sgd.loss_grad", "sgd.heavy_ball", "sgd.lsq_grad", "sgd.smoothness", "sgd.lsq_curvature",
       "sgd.minibatch_mean", "sgd.minibatch_variance", "sgd.polyak_beta", "sgd.polyak_alpha"]


@pytest.fixture(scope="module")
def ders():
    return {d.id: d for d in load(["sgd"])}


def test_ids_and_every_step_verified(ders):
    assert list(ders) == IDS
    for d in ders.values():
        assert d.steps and all(s.verified in ("symbolic", "instances", "numeric") for s in d.steps)


def test_results_read_back(ders):
    for d in ders.values():
        assert sp.parse_expr(to_json_obj(d)["sympy"]) == d.result


def test_heavy_ball_result_is_polyak_form(ders):
    w_t, w_prev, g_t = sp.symbols("w_t w_{t-1} g_t", real=True)
    assert sp.expand(ders["sgd.heavy_ball"].result - (w_t - alpha * g_t + beta * (w_t - w_prev))) == 0


def test_polyak_parameters_at_kappa_100(ders):
    b = ders["sgd.polyak_beta"].result.subs(kappa, 100)
    assert sp.sqrt(b) == sp.Rational(9, 11)  # rho* = (sqrt(kappa)-1)/(sqrt(kappa)+1)
    a = ders["sgd.polyak_alpha"].result.subs({L: 100, mu: 1})
    assert a == sp.Rational(4, 121)


def test_curvature_bound_is_a_quarter(ders):
    from derive.symbols import LOGISTIC as SIGMA, logistic as sigma, margin as m, y
    h = ders["sgd.smoothness"].result.replace(sigma, SIGMA)
    assert sp.simplify(h.subs({m: 0, y: 1}) - sp.Rational(1, 4)) == 0


def test_cli_json_has_the_ids():
    r = run_module("derive", "sgd", "--format", "json", timeout=300)
    assert r.returncode == 0, r.stderr
    assert [o["id"] for o in json.loads(r.stdout)] == IDS
