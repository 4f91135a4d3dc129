"""Topic ``gan`` (Problem 4): the derivations in the order the writeup prints them.

The value function and the optimal discriminator (Goodfellow et al. 2014), the Gaussian case
where D* is logistic in a quadratic, the gradients the experiments of ``numeric.gan.experiment``
run on, and the generator gradient near D* (Arjovsky and Bottou 2017).
"""
from . import gaussian, gradients, value

__all__ = ["derivations", "BUILDERS"]

BUILDERS = (
    value.value_function,
    value.optimal_discriminator,
    value.optimal_discriminator_at_equilibrium,
    gaussian.gaussian_log_ratio,
    gaussian.gaussian_optimal_discriminator,
    gaussian.gaussian_kl,
    gradients.logit_loss_grads,
    gradients.quadratic_logit_grads,
    gradients.disc_loss_grad,
    gradients.gen_minimax_grad,
    gradients.gen_nonsat_grad,
    gradients.gen_grad_vanishing,
    gradients.tanh_unit_grads,
    gradients.generator_jacobians,
    gradients.regression_grad,
)


def derivations():
    """The derivations of the topic, built in this process."""
    return [b() for b in BUILDERS]
