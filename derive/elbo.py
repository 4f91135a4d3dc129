"""Topic ``elbo`` (Problem 3): the derivations in the order the writeup prints them."""
from . import elbo_grads, logit_head

__all__ = ["derivations"]


def derivations():
    """[elbo.kl_grad_phi, elbo.rec_grad_phi, elbo.rec_grad_theta, elbo.logit_head]"""
    return [elbo_grads.kl_grad_phi(), elbo_grads.rec_grad_phi(), elbo_grads.rec_grad_theta(),
            logit_head.logit_head()]
