"""Problem 1: minibatch SGD and heavy ball on a compiled objective (``python -m numeric sgd``).

data (synthetic or CSV), problem (the objective compiled from ``derive.sgd``), kernels (the
compiled training loop), tuning (step-size and momentum grids), noise (the gradient-noise
scale), summary (results.json), figures, experiment (the command).
"""

__all__ = ["data", "problem", "kernels", "tuning", "noise", "summary", "figures", "experiment"]
