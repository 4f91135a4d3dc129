"""Machine-verified SymPy derivations for CS 480/680 Homework 6.

>>> from derive import get
>>> get("kl.univariate").result   # doctest: +SKIP
mu**2/2 + sigma**2/2 - log(sigma) - 1/2
"""
from .derivation import Chain, Derivation, Step, VerificationError
from .notation import DEFAULT, Notation, latex
from .render import standalone, to_json, to_json_obj, to_latex
from .topics import TOPICS, get, load

__all__ = ["Chain", "Derivation", "Step", "VerificationError", "Notation", "DEFAULT", "latex",
           "to_latex", "to_json", "to_json_obj", "standalone", "TOPICS", "get", "load"]
