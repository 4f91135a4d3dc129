"""Topic ``elbo`` (Problem 3): the derivations in the order the writeup prints them."""
from . import elbo_grads, logit_head, mlp_layers

__all__ = ["derivations"]


def derivations():
    """[elbo.kl_grad_phi, elbo.rec_grad_phi, elbo.rec_grad_theta, elbo.logit_head], then the
    backpropagation rules the VAE experiment computes the g^T r terms with (mlp_layers)."""
    return [elbo_grads.kl_grad_phi(), elbo_grads.rec_grad_phi(), elbo_grads.rec_grad_theta(),
            logit_head.logit_head(),
            *mlp_layers.derivations()]
