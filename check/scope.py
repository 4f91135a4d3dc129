r"""What the reader knows besides the tokens: the notation, the names declared as functions
so far (definitions add to them), the names the file uses as functions, and the variables of
the enclosing sums, integrals and derivatives.

``I_m`` (``I`` subscripted by a size, unless declared) is the identity matrix of that size.
"""
from __future__ import annotations

import sympy as sp

from check.notation import Notation, assumptions

__all__ = ["Scope"]


class Scope:
    """The reader's knowledge of one file (shared by every side it reads).

    functions: names read as functions when applied (declared, or defined ``f(x) := ...``);
    called: names the file applies to a variable of an integral, a derivative or an expectation
    (evidence that ``P(x)`` is a call, :mod:`check.names`); bound: indices of enclosing sums;
    variables: variables of enclosing integrals, derivatives and expectations; distributions:
    ``B \\sim \\mathrm{Subset}(n, b)``; tuples: ``w := (w_0, w_1, w_2)``."""

    def __init__(self, notation: Notation):
        self.notation = notation
        self.functions = set(notation.functions | notation.densities)
        self.called: set[str] = set()
        self.bound: list[str] = []
        self.variables: list[str] = []
        self.distributions: dict = {}
        self.tuples: dict = {}
        self.log_base_seen = False   # the file writes ln 10: \log may be base 10 (a fork)

    def is_function(self, name: str) -> bool:
        """A declared function, or one decorated (``D^*``) or subscripted (``q_1``) from one."""
        base = name.split("_", 1)[0].split("^", 1)[0]
        return name in self.functions or (base in self.functions and name not in self.notation.objects
                                          and name not in self.notation.domains)

    def is_symbol(self, name: str) -> bool:
        """Declared as a symbol or a matrix (never a function)."""
        n = self.notation
        return name in n.domains or name in n.matrices or name in n.objects or name in self.tuples

    def size(self, v):
        return sp.Integer(v) if isinstance(v, int) else self.symbol(v)

    def symbol(self, name: str):
        """The object for ``name``: a part's object, a declared matrix, else a symbol with the
        declared (or default) domain."""
        obj = self.notation.objects.get(name)
        if obj is not None:
            return obj
        if name in self.tuples:
            return self.tuples[name]
        shape = self.matrix_shape(name)
        if shape is not None and name == "I" and shape[0] == shape[1]:
            return sp.Identity(shape[0])  # I declared square: the identity
        if shape is not None:
            return sp.MatrixSymbol(name, *shape)
        identity = self._identity_size(name)
        if identity is not None:
            return sp.Identity(self.size(identity))
        return sp.Symbol(name, **assumptions(self.notation.domain(name)))

    def matrix_shape(self, name: str):
        """The shape of a declared matrix, or of an iterate of one (``z_t``, ``z_{t-1}``, ``x^{k}`` of a
        declared ``z``, ``x``: the same shape); None for anything else."""
        n = self.notation
        base = name.split("_", 1)[0].split("^", 1)[0]
        decl = n.matrices.get(name) or (n.matrices.get(base) if name not in n.domains and name not in n.objects else None)
        return None if decl is None else tuple(self.size(v) for v in decl)

    def _identity_size(self, name: str):
        base, _, sub = name.partition("_")
        sub = sub[1:-1] if sub.startswith("{") and sub.endswith("}") else sub
        if base != "I" or name in self.notation.domains or sub not in self.notation.sizes:
            return None
        return sub

    def base(self, name: str):
        obj = self.notation.objects.get(name + "[]")
        return obj if obj is not None else sp.IndexedBase(name, **assumptions(self.notation.domain(name)))

    def declared_names(self) -> set[str]:
        n = self.notation
        return set(n.objects) | set(n.matrices) | set(n.domains)

    def is_index(self, name: str) -> bool:
        return name in self.notation.index_letters or name in self.bound
