"""Stage 5 of the writeup: what each section prints, from derivations and result files.

base (derivation slots, the build record, figures, the VAE section), sgd (Problem 1),
gan (Problem 4).
"""

__all__ = ["base", "sgd", "gan"]
