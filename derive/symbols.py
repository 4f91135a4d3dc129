"""Symbols shared by the derivations, declared once with their assumptions.

Code names are ASCII; SymPy prints ``sigma_j`` as ``\\sigma_{j}`` and
:mod:`derive.engine.notation` maps the few names it would not print well.
"""
import sympy as sp

z = sp.Symbol("z", real=True)
mu = sp.Symbol("mu", real=True)
sigma = sp.Symbol("sigma", positive=True)
m = sp.Symbol("m", integer=True, positive=True)
j = sp.Symbol("j", integer=True, positive=True)
