"""Topic ``gan`` (Problem 4): the derivations in the order the writeup prints them.

The value function and the optimal discriminator (Goodfellow et al. 2014), the Gaussian case
where D* is logistic in a quadratic, the gradients the experiments of ``numeric.gan_experiment``
run on, and the generator gradient near D* (Arjovsky and Bottou 2017).
"""
from . import gan_gaussian, gan_gradients, gan_optimal


def derivations():
    return [
        gan_optimal.value_function(),
        gan_optimal.optimal_discriminator(),
        gan_optimal.optimal_discriminator_at_equilibrium(),
        gan_gaussian.gaussian_log_ratio(),
        gan_gaussian.gaussian_optimal_discriminator(),
        gan_gaussian.gaussian_kl(),
        gan_gradients.logit_loss_grads(),
        gan_gradients.quadratic_logit_grads(),
        gan_gradients.disc_loss_grad(),
        gan_gradients.gen_minimax_grad(),
        gan_gradients.gen_nonsat_grad(),
        gan_gradients.gen_grad_vanishing(),
        gan_gradients.tanh_unit_grads(),
        gan_gradients.generator_jacobians(),
        gan_gradients.regression_grad(),
    ]
