"""The one number format of the project, for prose, tables and figure labels alike.

A number is shown as a reader expects it:

- an integer (or an integral float below 10^6) exactly, with thin-space thousand separators
  from 10 000 on: ``10\\,000``;
- a moderate value, 10^-2 <= |x| < 10^3, with ``digits`` significant digits in fixed notation,
  trailing zeros dropped: ``0.0123``, ``497``, ``9.7``;
- anything else in scientific notation with ``digits`` significant digits: ``1.73 x 10^-7``,
  ``4.97 x 10^3``, ``8.07 x 10^-3`` (so one small quantity never shows as ``0.00807`` beside ``9.79 x 10^-4``).

:func:`parts` makes that decision once; :func:`latex` (text-mode LaTeX, scientific notation in
``$...$``), :func:`mathtext` (matplotlib labels) and :func:`text` (plain Unicode) render it, so a
figure's legend and the sentence beside it print the same digits.

>>> latex(4974.3), latex(0.012345), latex(1.73e-7), latex(10000), latex(0.00807)
('$4.97\\\\times 10^{3}$', '0.0123', '$1.73\\\\times 10^{-7}$', '10\\\\,000', '$8.07\\\\times 10^{-3}$')
>>> mathtext(1.73e-7), text(1.73e-7), text(12000.0) == "12\\u202f000"
('$1.73\\\\times10^{-7}$', '1.73×10⁻⁷', True)
"""
from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Parts", "parts", "latex", "mathtext", "text", "estimate", "MISSING"]

MISSING = "--"
FIXED_LOW, FIXED_HIGH = 1e-2, 1e3   # plain decimals in [FIXED_LOW, FIXED_HIGH), scientific notation outside
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(frozen=True)
class Parts:
    """``mantissa`` (digits, a sign and a point; groups of an integer split into ``groups``)
    and ``exponent`` (None in fixed notation)."""

    mantissa: str
    exponent: int | None = None
    groups: tuple[str, ...] = ()


def _finite(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _grouped(n: int) -> Parts:
    s = f"{abs(n):,}".split(",")
    sign = "-" if n < 0 else ""
    if abs(n) < 10_000:
        return Parts(f"{sign}{abs(n)}")
    return Parts(f"{sign}{abs(n)}", None, (sign + s[0],) + tuple(s[1:]))


def parts(x, digits: int = 3, notation: str = "auto", zeros: bool = False) -> Parts | None:
    """The decision: fixed or scientific, and the digits; None for a missing number.
    ``notation="sci"`` asks for scientific notation whatever the size (table columns),
    ``notation="fixed"`` fixed notation down to 10^-3 (an estimate's standard error, ``0.008``);
    ``zeros=True`` keeps significant trailing zeros, for a measured value printed beside
    others of the same kind (``0.30`` in ``0.43, 0.39, 0.30``).

    >>> latex(0.302, 2), latex(0.302, 2, zeros=True), latex(1.0, 3, zeros=True), latex(0.0999, 2, zeros=True)
    ('0.3', '0.30', '1.00', '0.10')
    """
    if not _finite(x):
        return None
    if notation == "sci":
        return _scientific(x, digits)
    if isinstance(x, int) or (float(x).is_integer() and abs(x) < 1e6 and not zeros):
        return _grouped(int(round(x)))
    ax = abs(x)
    if (1e-3 if notation == "fixed" else FIXED_LOW) <= ax < FIXED_HIGH:
        decimals = max(0, digits - 1 - int(math.floor(math.log10(ax))))
        s = f"{x:.{decimals}f}"
        if zeros and abs(float(s)) >= 10 ** (math.floor(math.log10(ax)) + 1):  # rounded up a decade
            s = f"{x:.{max(0, decimals - 1)}f}"
        return Parts(s if zeros or "." not in s else s.rstrip("0").rstrip("."))
    return _scientific(x, digits)


def _scientific(x, digits: int) -> Parts:
    if x == 0:
        return Parts("0")
    mant, exp = f"{x:.{digits - 1}e}".split("e")
    e = int(exp)
    return Parts(mant) if e == 0 else Parts(mant, e)


def latex(x, digits: int = 3, notation: str = "auto", zeros: bool = False) -> str:
    """Text-mode LaTeX: ``10\\,000``, ``0.0123``, ``$1.73\\times 10^{-7}$``; ``--`` if missing."""
    p = parts(x, digits, notation, zeros)
    if p is None:
        return MISSING
    if p.exponent is not None:
        return f"${p.mantissa}\\times 10^{{{p.exponent}}}$"
    return "\\,".join(p.groups) if p.groups else p.mantissa


def mathtext(x, digits: int = 3, notation: str = "auto", zeros: bool = False) -> str:
    """For matplotlib: ``10\\,000``, ``0.0123``, ``$1.73\\times10^{-7}$``; ``--`` if missing."""
    p = parts(x, digits, notation, zeros)
    if p is None:
        return MISSING
    if p.exponent is not None:
        return f"${p.mantissa}\\times10^{{{p.exponent}}}$"
    return "$" + "\\,".join(p.groups) + "$" if p.groups else p.mantissa


def text(x, digits: int = 3, notation: str = "auto", zeros: bool = False) -> str:
    """Plain Unicode: ``12 000`` (narrow no-break spaces), ``1.73×10⁻⁷``; ``--`` if missing."""
    p = parts(x, digits, notation, zeros)
    if p is None:
        return MISSING
    if p.exponent is not None:
        return f"{p.mantissa}×10{str(p.exponent).translate(_SUPERSCRIPT)}"
    return "\u202f".join(p.groups) if p.groups else p.mantissa


def estimate(x, se) -> str:
    r"""``x \pm se`` as math content (LaTeX and matplotlib alike): ``se`` to one significant
    digit (two when that digit would be a 1) and ``x`` to the same decimal place, significant
    trailing zeros kept; ``x`` alone (3 significant digits) if ``se`` is missing, not finite
    or not in fixed notation.

    >>> estimate(-1.00116, 0.00789092), estimate(-0.999211, 0.00336342), estimate(-0.9996, 0.002)
    ('-1.001\\pm 0.008', '-0.999\\pm 0.003', '-1.000\\pm 0.002')
    >>> estimate(-0.978, 0.015), estimate(-0.97, None), estimate(-1.2, 0.25)
    ('-0.978\\pm 0.015', '-0.97', '-1.2\\pm 0.2')
    """
    if parts(x) is None:
        return MISSING
    e = parts(se, 1, "fixed")
    if e is not None and e.mantissa.lstrip("0.").startswith("1"):
        e = parts(se, 2, "fixed", zeros=True)
    if e is None or e.exponent is not None or e.groups:
        return mathtext(x).strip("$")
    d = len(e.mantissa.partition(".")[2])
    r = round(float(x), d)
    digits = d + 1 + (math.floor(math.log10(abs(r))) if r else 0)
    return f"{mathtext(r, max(1, digits), 'fixed', zeros=True).strip('$')}\\pm {e.mantissa}"
