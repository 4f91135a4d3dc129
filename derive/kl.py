"""Topic ``kl`` (Problem 2): the derivations in the order the writeup prints them."""
from . import gaussian_kl


def derivations():
    return [gaussian_kl.univariate()]
