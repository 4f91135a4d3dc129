"""The writeup's own derivations fed back to the checker (``python -m derive --format latex``,
one derivation at a time, with a notation file declaring the derivation's symbols)."""
from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

from derive.engine.notation import latex
from derive.engine.render import assumptions_of, to_latex

__all__ = ["notation_toml", "derivation_file"]

_DOMAIN = [("integer", "positive", "positive integer"), ("integer", "nonnegative", "nonnegative integer"),
           ("positive",), ("nonnegative",), ("negative",), ("integer",), ("real",)]


def _domain(facts: list[str]) -> str | None:
    for combo in _DOMAIN:
        if all(f in facts for f in combo):
            return " ".join(combo) if len(combo) > 1 else combo[0]
    return None


def _toml_key(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def notation_toml(d) -> str:
    """Domains of the derivation's symbols, its matrices' shapes, its undefined functions as
    generic densities: what the writeup's prose declares."""
    syms, mats, dens = [], [], set()
    defined = {name for name, _ in d.where if isinstance(name, sp.FunctionClass)}
    exprs = [d.start, d.result, *(s.rhs for s in d.steps), *(s.lhs for s in d.steps if s.lhs is not None)]
    atoms = set(d.symbols)
    for e in exprs:
        if isinstance(e, sp.Basic):
            atoms |= {a for a in e.free_symbols if isinstance(a, (sp.Symbol, sp.IndexedBase, sp.MatrixSymbol))}
            dens |= {f.func.__name__ for f in e.atoms(AppliedUndef) if f.func not in defined}
    seen = set()
    for s in sorted(atoms, key=str):
        if isinstance(s, sp.MatrixSymbol):
            rows, cols = (latex(x) for x in s.shape)
            if latex(s) not in seen:
                seen.add(latex(s))
                mats.append(f"{_toml_key(latex(s))} = [{_size(s.shape[0])}, {_size(s.shape[1])}]")
            continue
        dom = _domain(assumptions_of(s.label if isinstance(s, sp.IndexedBase) else s))
        name = latex(s.label if isinstance(s, sp.IndexedBase) else s)
        if dom and not name.startswith("\\mathrm") and name not in seen:
            seen.add(name)
            syms.append(f"{_toml_key(name)} = \"{dom}\"")
    out = ["[symbols]", *syms, "", "[matrices]", *mats, ""]
    if dens:
        out += ["[functions]", "densities = [" + ", ".join(_toml_key(n) for n in sorted(dens)) + "]", ""]
    return "\n".join(out)


def _size(x) -> str:
    return str(int(x)) if getattr(x, "is_Integer", False) else _toml_key(latex(x))


def derivation_file(d) -> str:
    """The derivation as the writeup prints it (an align* block)."""
    return to_latex(d) + "\n"
