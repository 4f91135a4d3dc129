"""Stage 5 of the writeup: what each section prints, from derivations and result files.

base (derivation slots, the build record, figures), sgd and sgd_claims (Problem 1), vae and
vae_claims (the VAE of Problem 3), gan (Problem 4).
"""

__all__ = ["base", "sgd", "sgd_claims", "vae", "vae_claims", "gan"]
