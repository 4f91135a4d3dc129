"""The experiments, driven by the lambdified derivations of :mod:`derive`.

- :mod:`numeric.lambdified`: the one lambdify boundary (and the floating-point safe rewrite);
- :mod:`numeric.optim`: the optimizers, in optax's ``init``/``update`` shape;
- :mod:`numeric.outputs`: reproducible figures and JSON;
- :mod:`numeric.experiment`: what an experiment provides, and the registry of them;
- :mod:`numeric.kl`, :mod:`numeric.elbo`: the Problem 2 and 3 formulas as NumPy functions;
- :mod:`numeric.sgd`, :mod:`numeric.gan`, :mod:`numeric.vae`: one package per experiment.
"""

__all__ = ["lambdified", "optim", "outputs", "experiment", "kl", "elbo", "sgd", "gan", "vae"]
