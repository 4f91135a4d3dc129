"""Numeric experiments driven by the lambdified derivations of ``derive``."""
