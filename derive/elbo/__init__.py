"""Topic ``elbo`` (Problem 3): the derivations in the order the writeup prints them."""
from . import gradients, layers, logit_head

__all__ = ["derivations", "BUILDERS"]

# [elbo.kl_grad_phi, elbo.kl_grad_logvar, elbo.rec_grad_phi, elbo.rec_grad_theta, elbo.logit_head],
# then the backpropagation rules the VAE experiment computes the g^T r terms with (layers)
BUILDERS = (gradients.kl_grad_phi, gradients.kl_grad_logvar, gradients.rec_grad_phi, gradients.rec_grad_theta,
            logit_head.logit_head, *layers.BUILDERS)


def derivations():
    """The derivations of the topic, built in this process."""
    return [b() for b in BUILDERS]
