r"""Arithmetic on the written form: the sums, products and quotients the reader
(:mod:`check.parser`) builds keep ``evaluate=False``, so that a line is checked as it is
written; :func:`derive.engine.explicit.evaluated` applies SymPy's evaluation afterwards, and :func:`basic` makes a
Python number (a size from a notation file) a SymPy one.

- a matrix and a matrix (or a number) combine as matrices (``MatAdd``, ``MatMul``); a row times a
  column (``x^T w``) is the number :class:`~derive.ops.Scalar`;
- a number added to a column is that number times the column of ones (``\mathbf{1}`` is the
  column of ones itself);
- ``a \circ b`` and ``a \odot b`` of two matrices are the Hadamard product, else a product;
- division by a matrix is an error, and so is any product or sum whose shapes do not fit (SymPy
  refuses to build it: a :class:`ReadError`, the text's fault).
"""
from __future__ import annotations

from functools import wraps

import sympy as sp

from check.lexer import ReadError
from derive.ops import Scalar

__all__ = ["is_matrix", "is_column", "add", "neg", "mul", "div", "hadamard", "basic"]


def _fits(build):
    """``build``, with SymPy's refusal to build (shapes that do not fit) a :class:`ReadError`."""
    @wraps(build)
    def checked(*args):
        try:
            return build(*args)
        except (sp.ShapeError, NotImplementedError) as exc:
            raise ReadError(f"the shapes do not fit: {exc}"[:200]) from None
    return checked


def is_matrix(e) -> bool:
    return isinstance(e, (sp.MatrixExpr, sp.MatrixBase))


def is_column(e) -> bool:
    return is_matrix(e) and e.shape[1] == 1


@_fits
def add(a, b):
    if is_matrix(a) or is_matrix(b):
        a, b = _broadcast(a, b), _broadcast(b, a)
        return sp.MatAdd(*_flat(sp.MatAdd, a), *_flat(sp.MatAdd, b), evaluate=False)
    return sp.Add(*_flat(sp.Add, a), b, evaluate=False)


def _flat(cls, e):
    return list(e.args) if type(e) is cls else [e]


def _broadcast(a, other):
    """A number added to a column reads as that number times the column of ones."""
    if is_matrix(a) or not is_matrix(other):
        return a
    if isinstance(a, sp.Symbol) and a.name == "\\mathbf{1}":
        return sp.OneMatrix(*other.shape)
    if not a.is_number:
        raise ReadError(f"cannot add the scalar {a} and a matrix")
    return a * sp.OneMatrix(*other.shape) if a != 1 else sp.OneMatrix(*other.shape)


def neg(a):
    if is_matrix(a):
        return sp.MatMul(-1, a, evaluate=False)
    if a.is_Number:
        return -a
    return sp.Mul(-1, a, evaluate=False)


@_fits
def mul(a, b):
    """``a b``; a row times a column (``x^T w``) is the number :class:`Scalar`."""
    if isinstance(a, Scalar) and is_matrix(b) and b.shape[0] == 1:
        a = a.args[0]
    if is_matrix(a) and is_matrix(b):
        M = sp.MatMul(*_flat(sp.MatMul, a), *_flat(sp.MatMul, b), evaluate=False)
        return Scalar(M) if M.shape == (1, 1) else M
    if is_matrix(a) or is_matrix(b):
        return sp.MatMul(*_flat(sp.MatMul, a), *_flat(sp.MatMul, b), evaluate=False)
    return sp.Mul(*_flat(sp.Mul, a), b, evaluate=False)


def div(a, b):
    if is_matrix(b):
        raise ReadError("division by a matrix")
    if a.is_Integer and b.is_Integer and b != 0:
        return sp.Rational(a, b)
    if a == 1:
        return sp.Pow(b, -1, evaluate=False)
    return mul(a, sp.Pow(b, -1, evaluate=False))


@_fits
def hadamard(a, b):
    if is_matrix(a) and is_matrix(b):
        return sp.HadamardProduct(a, b, evaluate=False)
    return mul(a, b)


def basic(x):
    """``x`` as a SymPy object: SymPy objects pass, Python numbers become SymPy numbers
    (never text: nothing in the checker parses a string with SymPy)."""
    if isinstance(x, sp.Basic):
        return x
    if isinstance(x, int):
        return sp.Integer(x)
    if isinstance(x, sp.MatrixBase):
        return sp.ImmutableMatrix(x)
    raise TypeError(f"not a SymPy object: {type(x).__name__}")
