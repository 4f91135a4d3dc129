r"""Declared dependencies, Jacobians and families: what a notation file's ``[depends]``,
``[jacobians]`` and ``[families]`` tables mean at explicit sizes (the objects the reader builds
for them are in :mod:`check.jacobians`).

::

    [depends]
    y = ["h"]                  # the column y is a function of the column h
    h = ["w"]                  # ... and h of w: y = f(h(w))
    [jacobians]
    "g_{y,w}" = ["y", "w"]     # g_{y,w} is dy/dw: entry (k, a) is the partial derivative of y_k in w_a
    "g_{y,h}" = ["y", "h"]     # dy/dh at h = h(w)
    [families]
    "z_{i}" = ["m", 1]         # z_1, z_2, ...: one m x 1 column for each value of i (:class:`Member`)

Written with them (read by :mod:`check.parser`): ``y(a)`` (:class:`At`) is ``y`` with its
first dependencies taken at the columns ``a`` (``\pi(z_i)``; ``\pi_k(z_i)`` is its entry k;
``g_{\pi,z}(z_i)`` a Jacobian at ``z_i``: differentiated first, then taken at ``z_i``);
``\left(f_k\right)_{k=1}^{d}`` (:class:`ColumnOf`) is the column of the ``f_k``; a definition
``f(x, z_i) := ...`` with matrix parameters is applied by :class:`MatrixLambda`;
``\frac{\partial f}{\partial w}`` of a column ``f`` is :class:`Jacobian` (the matrix of
``d f_k / d w_a``) and ``\nabla_z f(z_i)`` is :class:`GradientAt` (the gradient in ``z``, then
taken at ``z_i``).

At explicit sizes (the judge's instances, :data:`check.instances.SIZES`):

- a column that depends on nothing is its entries ``w_1, ..., w_n`` (the same objects as a
  written ``w_a``);
- a dependent column ``y`` of ``p`` rows is ``y_1(...), ..., y_p(...)``, undefined functions of
  the entries of what it depends on, built the same way (so ``y_k(h_1(w), ..., h_q(w))``); a
  written entry ``y_k`` is that function;
- a declared Jacobian ``g = [y, w]`` is the matrix of partial derivatives
  ``d y_k / d w_a`` (SymPy's chain rule when ``y`` depends on ``w`` through other columns;
  the partial derivative in ``y``'s argument ``w_a`` when ``w`` is itself dependent);
- a dependent column with an entrywise definition in ``[definitions]`` (``\\pi_k := \\sigma(a_k)``,
  with ``\\sigma(t) := \\frac{1}{1 + e^{-t}}`` and ``a`` another declared column) is that
  definition instead, its entries ``a_k`` the explicit entries of ``a`` (so ``\\pi_k =
  \\sigma(a_k(z, \\theta))``): its declared Jacobians follow by SymPy's chain rule
  (:func:`entry_definitions`; the columns it is defined from must depend on nothing its
  ``[depends]`` list does not reach, and not on it);
- every partial derivative of an undefined function is then one canonical call
  (:func:`derive.engine.checks.canonical_calls`), an independent unknown of the numeric check.

Every step about such objects is therefore checked at explicit sizes only: at generic sizes
``numeric`` with the sizes named, never ``proved`` (only a step whose matrices are all declared
with numeric sizes can be ``proved``, for those sizes). An instance with more than
:data:`check.instances.MAX_OPS_AT_SIZE` operations goes straight to the numeric check. Each name must be a declared column (``[matrices]``
with one column); a Jacobian's declared shape must be (rows of y, rows of w); the
dependencies may not form a cycle (:mod:`check.tables` reads and checks the tables).
"""

from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

from check.arithmetic import basic
from derive.engine.checks import canonical_calls
from check.jacobians import GradientAt, Jacobian, Member, ColumnOf, At
from check.verdicts import Unsupported

__all__ = ["Relations", "entry_definitions", "MAX_ARGUMENTS"]


MAX_ARGUMENTS = 2000   # leaves of one dependent entry at explicit sizes (a long chain of wide columns)


def _partial_call(self, argindex=1):
    """The partial derivative of a dependent entry in its argument ``argindex`` as the call
    ``D<slot>_f(args)`` that :func:`derive.engine.checks.canonical_calls` makes of it (SymPy's chain rule then
    builds no ``Subs``, which is slow on large arguments)."""
    return sp.Function(f"D{argindex - 1}_{self.func.__name__}")(*self.args)


def _plain(name: str) -> str:
    """A name as the stem of a function name (``\\mu`` -> ``mu``, ``g_{\\mu,\\phi}`` kept readable)."""
    return name.replace("\\", "").replace("{", "").replace("}", "").replace(",", "")


class Relations:
    """The explicit values of declared dependent columns and Jacobians at one size assignment.

    ``symbol(name)``: the parser's object for a name; ``base(name)``: its IndexedBase (the
    entries of an independent column)."""

    def __init__(self, depends, jacobians, symbol, base, defined=None):
        self.depends, self.jacobians = dict(depends), dict(jacobians)
        self.symbol, self.base = symbol, base
        self.defined = dict(defined or {})   # name -> (index, body, names of the columns in body)
        self.names = set(self.depends) | {w for ws in self.depends.values() for w in ws} | set(self.jacobians) | {
            n for pair in self.jacobians.values() for n in pair} | {
            n for _, _, used in self.defined.values() for n in used}
        self._memo: dict = {}

    def _rows(self, name, config) -> int:
        rows = basic(self.symbol(name).shape[0]).subs(config)
        if not rows.is_Integer:
            raise Unsupported(f"the size of {name} is not set")
        return int(rows)

    def sizes(self, names) -> set:
        """The size symbols of the columns that the objects ``names`` are built from."""
        seen, todo = set(), [n for n in names if n in self.names]
        while todo:
            n = todo.pop()
            if n in seen:
                continue
            seen.add(n)
            todo += list(self.depends.get(n, ())) + list(self.jacobians.get(n, ()))
            todo += list(self.defined[n][2]) if n in self.defined else []
        out = set()
        for n in seen:
            out |= set().union(*(basic(x).free_symbols for x in self.symbol(n).shape))
        return out

    def column(self, name: str, config: dict) -> list:
        """The entries of the column ``name`` at ``config`` (see the module docstring)."""
        key = (name, tuple(sorted(config.items(), key=lambda kv: str(kv[0]))))
        if key in self._memo:
            return self._memo[key]
        rows = self._rows(name, config)
        if name in self.defined:
            out = [self._defined_entry(name, a + 1, config) for a in range(rows)]
        elif name not in self.depends:
            out = [self.base(name)[a + 1] for a in range(rows)]
        else:
            args = [x for w in self.depends[name] for x in self.column(w, config)]
            if rows * sum(1 + _size(x) for x in args) > MAX_ARGUMENTS:
                raise Unsupported(f"the dependencies of {name} exceed {MAX_ARGUMENTS} arguments at these sizes")
            out = [sp.Function(f"{_plain(name)}_{a + 1}", real=True, fdiff=_partial_call)(*args) for a in range(rows)]
        self._memo[key] = out
        return out

    def _defined_entry(self, name: str, c: int, config: dict):
        """Entry ``c`` of a column defined entrywise: the body at ``k = c``, each entry
        ``a_j`` of a declared column replaced by its explicit entry."""
        k, body, used = self.defined[name]
        e = body.xreplace({k: sp.Integer(c)})

        def entry(x):
            j = x.indices[0]
            if not j.is_Integer:
                raise Unsupported(f"the definition of {name}_{c} takes an entry of {x.base.label.name} "
                                 "that is not a number")
            col = self.column(x.base.label.name, config)
            if not 1 <= int(j) <= len(col):
                raise Unsupported(f"the definition of {name}_{c} takes entry {j} of {x.base.label.name}, "
                                 f"which has {len(col)}")
            return col[int(j) - 1]
        return e.replace(lambda x: isinstance(x, sp.Indexed) and len(x.indices) == 1 and x.base.label.name in used,
                         entry)

    def jacobian(self, name: str, config: dict):
        y, w = self.jacobians[name]
        Y, W = self.column(y, config), self.column(w, config)
        return sp.ImmutableMatrix(len(Y), len(W), lambda k, a: canonical_calls(sp.diff(Y[k], W[a])))

    def member(self, x: Member, config: dict):
        """``z_c`` of a family: the matrix of the unknowns ``z[a, c]`` (``z[a, b, c]``)."""
        rows, cols = (int(basic(n).subs(config)) for n in x.shape)
        base, c = self.base(x.family), x.args[1]
        if cols == 1:
            return sp.ImmutableMatrix(rows, 1, lambda a, b: base[a + 1, c])
        return sp.ImmutableMatrix(rows, cols, lambda a, b: base[a + 1, b + 1, c])

    def at(self, M, args: list, config: dict):
        """``y(a_1, ...)``: the explicit ``y`` (or Jacobian) with the entries of its first
        dependencies replaced by those of the explicit arguments."""
        owner = self.jacobians[M.name][0] if M.name in self.jacobians else M.name
        value = self.jacobian(M.name, config) if M.name in self.jacobians else sp.ImmutableMatrix(
            self.column(M.name, config))
        deps = self.depends.get(owner, ())
        if len(args) > len(deps):
            raise Unsupported(f"{owner} depends on {len(deps)} columns, not {len(args)}")
        rep = {}
        for dep, arg in zip(deps, args):
            entries = self.column(dep, config)
            if not isinstance(arg, sp.MatrixBase) or arg.shape != (len(entries), 1):
                raise Unsupported(f"{owner}(...) takes a column of {len(entries)} rows for {dep}")
            rep.update(zip(entries, arg))
        return value.xreplace(rep)

    def objects(self, e, config: dict, inner):
        """Columns by entries, family members and applied columns made explicit (``inner``
        makes an argument explicit)."""
        numeric = lambda x: all(basic(n).subs(config).is_Integer for n in x.shape)
        e = e.replace(lambda x: isinstance(x, ColumnOf) and numeric(x), lambda x: x.explicit())
        e = e.replace(lambda x: isinstance(x, Member) and numeric(x), lambda x: self.member(x, config))
        e = e.replace(lambda x: isinstance(x, At) and numeric(x),
                      lambda x: self.at(x.args[0], [inner(a) for a in x.args[1:]], config))
        return _derivatives(e, numeric, inner)

    def explicit(self, obj, config: dict):
        """The explicit value of a matrix symbol (at numeric shape) or of an entry ``y_k``
        with a numeric index; None when the tables say nothing about it."""
        if isinstance(obj, sp.MatrixSymbol):
            if obj.name in self.jacobians:
                return self.jacobian(obj.name, config)
            if obj.name in self.depends:
                return sp.ImmutableMatrix(self.column(obj.name, config))
            return None
        if isinstance(obj, sp.Indexed) and len(obj.indices) == 1 and obj.base.label.name in self.depends:
            a = int(obj.indices[0])
            col = self.column(obj.base.label.name, config)
            return col[a - 1] if 1 <= a <= len(col) else None
        return None


def entry_definitions(definitions, depends, substitute, error=ValueError) -> dict:
    """The entrywise definitions ``y_k := body`` of declared dependent columns ``y``
    (``definitions``: the document's ``(lhs, rhs)`` pairs; ``substitute`` applies the other
    definitions to a body) as ``name -> (k, body, names of the columns whose entries body
    takes)``. Raises ``error`` when a body takes an entry of an undeclared column's
    dependent, of the column itself, or of a column that depends on more than the
    column's own ``[depends]`` list reaches."""
    out = {}
    for lhs, rhs in definitions:
        if not (isinstance(lhs, sp.Indexed) and len(lhs.indices) == 1 and isinstance(lhs.indices[0], sp.Symbol)
                and lhs.base.label.name in depends):
            continue
        name, k = lhs.base.label.name, lhs.indices[0]
        body = substitute(rhs)
        used = {x.base.label.name for x in body.atoms(sp.Indexed) if len(x.indices) == 1} & (
            set(depends) | {w for ws in depends.values() for w in ws})
        reach = _leaves([name], depends)
        for u in sorted(used):
            if u == name:
                raise error(f"notation file: the definition of {name}_{k} takes its own entries "
                            "(directly or through other definitions)")
            if name in _reached(u, depends, out):
                raise error(f"notation file: the definition of {name}_{k} takes {u}, which depends on {name}")
            if not _leaves([u], depends) <= reach:
                raise error(f"notation file: the definition of {name}_{k} takes {u}, which depends on more than "
                            f"[depends] {name} lists")
        out[name] = (k, body, frozenset(used))
    return out


def _reached(n, depends, defined) -> set:
    """Every column that ``n`` is built from (through [depends] and entrywise definitions)."""
    seen, todo = set(), [n]
    while todo:
        x = todo.pop()
        for w in list(depends.get(x, ())) + sorted(defined[x][2] if x in defined else ()):
            if w not in seen:
                seen.add(w)
                todo.append(w)
    return seen


def _leaves(names, depends) -> set:
    """The independent columns that ``names`` depend on (a name that depends on nothing is its own)."""
    out, seen, todo = set(), set(), list(names)
    while todo:
        x = todo.pop()
        if x in seen:
            continue
        seen.add(x)
        if depends.get(x):
            todo += list(depends[x])
        else:
            out.add(x)
    return out


def _derivatives(e, numeric, inner):
    """:class:`Jacobian` and :class:`GradientAt` made explicit (their arguments by ``inner``)."""
    explicit = lambda a: a if isinstance(a, sp.MatrixBase) else sp.ImmutableMatrix(a)
    e = e.replace(lambda x: isinstance(x, Jacobian) and numeric(x),
                  lambda x: x.explicit(explicit(inner(x.args[0])), explicit(inner(x.args[1]))))
    return e.replace(lambda x: isinstance(x, GradientAt) and numeric(x),
                     lambda x: x.explicit(inner(x.args[0]), explicit(inner(x.args[1])), explicit(inner(x.args[2]))))


def _size(x) -> int:
    """Leaves of an entry (its arguments, recursively)."""
    return 1 if not isinstance(x, AppliedUndef) else sum(_size(a) for a in x.args) + 1
