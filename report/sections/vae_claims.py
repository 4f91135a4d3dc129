"""The claims the VAE prose can make, each a named predicate over results.json.

A sentence of :mod:`report.sections.vae` that states a finding is printed only when its
predicate holds; otherwise the sentence the data do support is printed. Every predicate takes
the results dict (schema ``hw6.vae.results/3``) and, where it is about one state of the
variance measurement, the state (``"trained"`` or ``"init"``). The thresholds are named here, once.

- :func:`gradient_agrees`: the training gradient agrees with central finite differences, a
  relative error of at most ``GRADIENT_TOL``.
- :func:`elbo_improved`: training raised the held-out ELBO above its value at initialisation.
- :func:`diverged`: training stopped because a value was not finite.
- :func:`variance_falls`: the fitted log-log slope of the variance against n is negative by more
  than ``Z`` standard errors.
- :func:`one_over_n`: the fitted slope is within ``Z`` standard errors of -1, the 1/n of the theory.

>>> GRADIENT_TOL, Z
(1e-06, 2)
"""
from __future__ import annotations

__all__ = ["GRADIENT_TOL", "Z", "gradient_agrees", "elbo_improved", "diverged", "fit", "variance_falls",
           "one_over_n", "states", "all_claims"]

GRADIENT_TOL = 1e-6  # central differences with h = 1e-6 are good to about 1e-9 relative here
Z = 2                # standard errors of the fitted slope


def gradient_agrees(res: dict) -> bool:
    err = res["gradient_check"]["rel_err"]
    return err is not None and err <= GRADIENT_TOL


def elbo_improved(res: dict) -> bool:
    return res["final"]["test_elbo"] > res["curve"]["test_elbo"][0]


def diverged(res: dict) -> bool:
    return res["diverged"] is not None


def states(res: dict) -> list[str]:
    """The states whose variance was measured, after training first."""
    return list(res["variance"]["at"])


def fit(res: dict, at: str) -> dict:
    """The log-log fit of the total variance against n in state ``at``."""
    return res["variance"]["at"][at]["fit"]["total"]


def _known(f: dict) -> bool:
    return f["slope"] is not None and f["slope_se"] is not None


def variance_falls(res: dict, at: str) -> bool:
    f = fit(res, at)
    return _known(f) and f["slope"] + Z * f["slope_se"] < 0


def one_over_n(res: dict, at: str) -> bool:
    f = fit(res, at)
    return _known(f) and abs(f["slope"] + 1) <= Z * f["slope_se"]


def all_claims(res: dict) -> dict:
    """Every predicate evaluated on ``res``: {name: bool}, and {name: {state: bool}} per state."""
    return {"gradient_agrees": gradient_agrees(res), "elbo_improved": elbo_improved(res), "diverged": diverged(res),
            "variance_falls": {at: variance_falls(res, at) for at in states(res)},
            "one_over_n": {at: one_over_n(res, at) for at in states(res)}}
