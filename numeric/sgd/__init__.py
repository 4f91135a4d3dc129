"""Problem 1: minibatch SGD and heavy ball on a compiled objective (``python -m numeric sgd``).

data (synthetic or CSV), problem (the objective compiled from ``derive.sgd``), kernels (the
compiled training loop and its stopping rule), tuning (the methods and their grids), sweep (the
independent runs, dispatched through joblib), rates (predicted and fitted rates of GD), noise
(the gradient-noise scale and the crossover b*), summary (results.json),
figures, experiment (the command).
"""

__all__ = ["data", "problem", "kernels", "tuning", "sweep", "rates", "noise", "summary", "figures", "experiment"]
