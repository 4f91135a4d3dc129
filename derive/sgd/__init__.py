"""Topic ``sgd`` (Problem 1): the derivations in the order the writeup prints them.

The per-sample logistic loss gradient (``sgd.loss_grad``) and its least-squares counterpart,
the curvature bounds that give L and mu, the unbiased minibatch mean, the heavy-ball update in
its two forms, and Polyak's optimal (alpha, beta). ``numeric.sgd.problem`` compiles these.
"""
from . import heavy_ball, loss

__all__ = ["derivations", "BUILDERS"]

# [sgd.loss_grad, sgd.heavy_ball, sgd.lsq_grad, sgd.smoothness, sgd.lsq_curvature,
#  sgd.minibatch_mean, sgd.minibatch_variance, sgd.polyak_beta, sgd.polyak_alpha]
BUILDERS = (loss.logistic_grad, heavy_ball.heavy_ball, loss.least_squares_grad, loss.logistic_curvature,
            loss.least_squares_curvature, loss.minibatch_mean, loss.minibatch_variance, heavy_ball.polyak_beta,
            heavy_ball.polyak_alpha)


def derivations():
    """The derivations of the topic, built in this process."""
    return [b() for b in BUILDERS]
