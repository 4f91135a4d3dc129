r"""The numeric check of a step at fixed sizes: both sides evaluated at sampled points.

Points (:func:`points`): the special values 0, 1, -1 of every atom at once (as its domain
allows: ``1, 2, 1/2`` where it is positive, ``1, 2, 3`` for a positive integer), then each atom
at each of its special values with the others random (at most :data:`MAX_SINGLE` of these, drawn
with the seed :data:`SEED` when there are more), then :data:`N_RANDOM` random points; an
undefined function and its derivatives are independent unknowns at a point.

At each point (:func:`number`: :data:`DPS` digits, the mpmath interpreter of
:mod:`derive.check.evaluate`, SymPy's ``evalf`` where it has no rule) a side is a real number
or undefined (complex, infinite, nan); ``a = b`` holds there when
``|a - b| <= RTOL * max(1, |a|, |b|)`` (:func:`holds`; an inequality with the same slack).

The verdict (:func:`numeric`): ``wrong`` at the first point where both sides are defined and
differ, unless every real symbol positive makes it hold (``domain``); ``domain`` when the right
side is undefined where the left side is defined; ``inconclusive`` with fewer than
:data:`MIN_VALID` points where both sides are defined; else ``numeric``. With an integral left
(quadrature): :data:`DPS_QUAD` digits, :data:`RTOL_QUAD`, the three joint special points and
:data:`N_RANDOM_QUAD` random ones, at least 4 valid points.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

import mpmath
import sympy as sp
from sympy.core.function import AppliedUndef

from derive.check.evaluate import NoValue, value
from derive.check.meaning import basic
from derive.check.verdicts import DOMAIN, INCONCLUSIVE, NUMERIC, WRONG, Verdict
from derive.ops import NormalPDF, normal_pdf
from derive.printing import latex

__all__ = ["numeric", "points", "number", "holds", "DPS", "RTOL", "MIN_VALID", "N_RANDOM", "MAX_SINGLE",
           "DPS_QUAD", "RTOL_QUAD", "N_RANDOM_QUAD", "SEED"]

DPS = 30                        # digits of the numeric check
RTOL = 1e-12                    # relative tolerance of the numeric check
MIN_VALID = 6                   # points where both sides are defined, at least
N_RANDOM = 16                   # random points besides the special ones
MAX_SINGLE = 48                 # single-atom special points at most (an atom drawn at random when more)
DPS_QUAD, RTOL_QUAD, N_RANDOM_QUAD = 15, 1e-9, 5   # the same where an integral is left (quadrature)
SEED = 0
