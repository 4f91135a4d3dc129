"""Problem 4: the three GAN thought experiments, run (``python -m numeric gan``).

grads (the compiled ``derive.gan`` gradients), models (generators, discriminators), cases (the
Gaussian and mixture set-ups), train (training loops), scenarios (4.1.a-c), verdicts (the named
conditions and the verdicts of each scenario), figures, experiment (the command).
"""

__all__ = ["grads", "models", "cases", "train", "scenarios", "verdicts", "figures", "experiment"]
