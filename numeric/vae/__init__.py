"""Problem 3, run: a small VAE trained with the derived ELBO gradients (``python -m numeric vae``).

data (binarised digits or generated shapes), model (the networks and the Problem 3 gradients
by backpropagated products), train (Adam, the ELBO, the gradient's variance), figures,
experiment (the command).
"""

__all__ = ["data", "model", "train", "figures", "experiment"]
