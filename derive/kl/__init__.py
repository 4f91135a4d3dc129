"""Topic ``kl`` (Problem 2): the derivations in the order the writeup prints them.

2.a (and SymPy's direct integration as a cross-check), the proofs of Facts 1 and 2 (the
extra exercise, needed by 2.b), 2.b, and the general multivariate Gaussian KL.
"""
from . import diagonal, facts, gaussians, univariate

__all__ = ["derivations", "BUILDERS"]

# [kl.univariate, kl.univariate_direct, kl.fact1, kl.fact2, kl.diagonal, kl.gaussians]
BUILDERS = (univariate.univariate, univariate.univariate_direct, facts.fact1, facts.fact2,
            diagonal.diagonal, gaussians.gaussians)


def derivations():
    """The derivations of the topic, built in this process."""
    return [b() for b in BUILDERS]
