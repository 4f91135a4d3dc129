"""Topic ``kl`` (Problem 2): the derivations in the order the writeup prints them.

2.a (and SymPy's direct integration as a cross-check), the proofs of Facts 1 and 2 (the
extra exercise, needed by 2.b), 2.b, and the general multivariate Gaussian KL.
"""
from . import diagonal_kl, gaussian_kl, kl_facts, mvn_kl

__all__ = ["derivations"]


def derivations():
    """[kl.univariate, kl.univariate_direct, kl.fact1, kl.fact2, kl.diagonal, kl.gaussians]"""
    return [gaussian_kl.univariate(), gaussian_kl.univariate_direct(), kl_facts.fact1(),
            kl_facts.fact2(), diagonal_kl.diagonal(), mvn_kl.gaussians()]
