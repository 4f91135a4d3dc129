"""Disk cache of built derivations, in a format that cannot run code.

Verification (integrals, ``simplify``) is what makes building derivations slow, so built
values are stored per topic. The key is the SHA-256 of every source file of the ``derive``
package plus the SymPy and Python versions: change a derivation (or upgrade SymPy) and it is
rebuilt, and so re-verified. Location: ``$HW6_CACHE_DIR``, else ``$XDG_CACHE_HOME/hw6-verified``,
else ``~/.cache/hw6-verified``; ``HW6_CACHE_DIR=off`` disables it.

Safety. A cache file is JSON (:func:`dumps`, :func:`loads`), never a pickle: loading one can
only build plain values (bytes included), the dataclasses and named tuples of ``derive`` and
SymPy expressions. A SymPy node is
stored as its class and its arguments, and rebuilt as ``cls(*args)`` where ``cls`` must be a
subclass of ``sympy.Basic`` defined in ``sympy`` or ``derive`` and every argument must itself
be a rebuilt SymPy object (never a string, which SymPy's ``sympify`` would ``eval``); symbols,
numbers and undefined functions are stored by name and value. A file that does not decode,
or decodes to a value of the wrong kind (``check``), is ignored and the value rebuilt.
The folder is created with mode 0700; a folder or file that is not owned by the user or is
writable by group or others is refused (one warning) and the cache is not used.

Unevaluated sums and products (``Add(..., evaluate=False)``, the written order of a step)
are rebuilt unevaluated: a warm run prints exactly what a cold run prints.

Bounded work. A cache file is at most :data:`MAX_BYTES` and a regular file (a FIFO is not
opened for reading: :func:`common.userfile.read_user_file`); a class rebuilt with evaluation gets
numbers of at most :data:`MAX_ARGUMENT` (``factorial(10**7)`` is refused, not computed) and a
Float at most :data:`MAX_PRECISION` bits. A file beyond these bounds is ignored and rebuilt.
"""
from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import json
import os
import stat
import sys
from functools import lru_cache
from importlib import import_module
from pathlib import Path
from typing import Callable

__all__ = ["cache_dir", "private_folder", "source_files", "source_key", "cached", "lookup", "store", "is_cached", "dumps", "loads",
           "CacheFormatError"]

FORMAT = "hw6-derive-cache/1"
SUFFIX = ".json"
TRUSTED = ("sympy", "derive")  # the only packages whose classes a cache file may name
MAX_BYTES = 64 * 2 ** 20  # size of one cache file
MAX_ARGUMENT = 1000  # numerator and denominator of a number given to a rebuilt class (Add and Mul aside)
MAX_PRECISION = 10_000  # bits of a rebuilt Float


class CacheFormatError(ValueError):
    """A cache file that is not in :data:`FORMAT` or names something it may not."""


def cache_dir() -> Path | None:
    env = os.environ.get("HW6_CACHE_DIR")
    if env == "off":
        return None
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "hw6-verified"


def source_files() -> list[Path]:
    """Every source file of the ``derive`` package (the engine and the content)."""
    return sorted(Path(__file__).resolve().parents[1].rglob("*.py"))


@lru_cache(maxsize=1)
def source_key() -> str:
    """Hash of the derive sources and the SymPy/Python versions (read without importing
    SymPy, so that a cached run need not import it)."""
    from importlib.metadata import version
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(f"{version('sympy')}|{sys.version_info[:3]}".encode())
    for f in source_files():
        h.update(str(f.relative_to(root)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:20]


# --- who may own the cache -------------------------------------------------------------

def _unsafe(st: os.stat_result) -> str:
    """Why a file or folder with this status may not be trusted ('' if it may)."""
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return "it is not owned by you"
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "it is writable by group or others"
    return ""


_warned: set = set()


def _warn(path: Path, why: str) -> None:
    if str(path) not in _warned:
        _warned.add(str(path))
        sys.stderr.write(f"warning: derivation cache {path} not used: {why} "
                         "(use a folder of your own with mode 700, or HW6_CACHE_DIR=off)\n")


def _private(folder: Path) -> Path | None:
    """``folder``, created with mode 0700; None when unusable or refused (not a folder, not
    yours, writable by others)."""
    try:
        if not folder.exists():
            folder.mkdir(mode=0o700, parents=True)
            os.chmod(folder, 0o700)
        st = os.stat(folder)
    except OSError:
        return None
    why = "it is not a folder" if not stat.S_ISDIR(st.st_mode) else _unsafe(st)
    if why:
        _warn(folder, why)
        return None
    return folder


def _folder() -> Path | None:
    """The cache folder, created with mode 0700; None when disabled, unusable or refused."""
    folder = cache_dir()
    return None if folder is None else _private(folder)


def private_folder(name: str) -> Path | None:
    """The subfolder ``name`` of the cache folder (mode 0700, checked like the folder), for
    other caches of the project (numba's: :mod:`numeric.jit`); None when the cache is disabled,
    unusable or refused."""
    top = _folder()
    return None if top is None else _private(top / name)


def _read(path: Path) -> bytes | None:
    """The bytes of ``path`` if it is a regular file we may trust, of at most
    :data:`MAX_BYTES` (:func:`common.userfile.read_user_file`: checked on the open descriptor,
    so the file cannot be swapped between the check and the read; a FIFO does not block)."""
    from common.userfile import Refused, read_user_file
    if not os.path.lexists(path):
        return None
    try:
        return read_user_file(path, "cache entry", MAX_BYTES, follow_symlinks=False, vet=_unsafe)
    except Refused as exc:
        _warn(path, exc.why)
        return None


def _write(path: Path, data: bytes) -> None:
    """Write through a private temporary file (mode 0600) and an atomic rename."""
    from common.cli import replace_file
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        replace_file(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


# --- the format -----------------------------------------------------------------------

def _sympy():
    import sympy
    return sympy


_UNEVALUATED = ("Add", "Mul", "Pow", "MatAdd", "MatMul", "HadamardProduct")


def _class_path(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _trusted_class(path: str, base):
    """The class named ``path`` if it is a subclass of ``base`` defined in a trusted package."""
    module, _, name = str(path).rpartition(".")
    if module.split(".")[0] not in TRUSTED or not name.isidentifier() or name.startswith("_"):
        raise CacheFormatError(f"untrusted class {path!r}")
    cls = getattr(import_module(module), name, None)
    if not (isinstance(cls, type) and issubclass(cls, base) and cls.__module__ == module):
        raise CacheFormatError(f"{path!r} is not an allowed class")
    return cls


class _Encoder:
    """A value as JSON data; each SymPy node once, in ``nodes``, referred to by index."""

    def __init__(self):
        self.nodes: list = []
        self.index: dict[int, int] = {}
        self.keep: list = []  # the encoded objects stay alive, so their ids stay unique

    def value(self, v):
        sp = _sympy()
        if v is None or isinstance(v, (bool, int, float, str)):
            return v
        if isinstance(v, sp.Basic):
            return {"n": self.node(v)}
        if isinstance(v, sp.core.function.FunctionClass):
            return {"fn": self.function_class(v)}
        if isinstance(v, bytes):
            return {"bytes": base64.b64encode(v).decode()}
        if isinstance(v, tuple) and hasattr(type(v), "_fields"):
            return {"nt": _class_path(type(v)), "f": [self.value(x) for x in v]}
        if isinstance(v, tuple):
            return {"tuple": [self.value(x) for x in v]}
        if isinstance(v, list):
            return {"list": [self.value(x) for x in v]}
        if isinstance(v, dict):
            return {"dict": [[self.value(k), self.value(x)] for k, x in v.items()]}
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            return {"dc": _class_path(type(v)),
                    "f": {f.name: self.value(getattr(v, f.name)) for f in dataclasses.fields(v) if f.init}}
        raise TypeError(f"the derivation cache cannot store a {type(v).__name__}")

    def function_class(self, f):
        sp = _sympy()
        if isinstance(f, sp.core.function.UndefinedFunction):
            nargs = getattr(f, "_nargs", None)
            return {"undef": f.__name__, "assume": dict(f._explicit_class_assumptions),
                    "nargs": list(nargs) if nargs else None}
        return {"cls": _class_path(f)}

    def node(self, e) -> int:
        if id(e) in self.index:
            return self.index[id(e)]
        sp = _sympy()
        if not isinstance(e, sp.Basic):
            raise TypeError(f"the derivation cache cannot store a {type(e).__name__} inside a SymPy object")
        cls = type(e)
        if isinstance(e, sp.Dummy):  # SymPy's own pickle protocol: (name, index), assumptions
            (name, index), assume = e.__getnewargs_ex__()
            out = {"dummy": name, "i": index, "assume": assume}
        elif isinstance(e, sp.Symbol):
            out = {"sym": e.name, "assume": e.__getnewargs_ex__()[1], "cls": _class_path(cls)}
        elif isinstance(e, sp.core.symbol.Str):
            out = {"str": e.name}
        elif isinstance(e, sp.Integer):
            out = {"int": int(e)}
        elif isinstance(e, sp.Rational):
            out = {"rat": [int(e.p), int(e.q)]}
        elif isinstance(e, sp.Float):
            from mpmath.libmp import to_pickable
            out = {"float": list(to_pickable(e._mpf_)), "prec": e._prec}
        elif isinstance(cls, sp.core.singleton.Singleton):
            out = {"S": cls.__name__}
        elif isinstance(cls, sp.core.function.UndefinedFunction):
            out = {"fn": self.function_class(cls), "a": [self.node(a) for a in e.args]}
        elif e.args or not e.is_Atom:
            out = {"cls": _class_path(cls), "a": [self.node(a) for a in e.args]}
        else:
            raise TypeError(f"the derivation cache cannot store the SymPy atom {cls.__name__}")
        self.keep.append(e)
        self.nodes.append(out)
        self.index[id(e)] = len(self.nodes) - 1
        return len(self.nodes) - 1


def dumps(value) -> bytes:
    """``value`` (plain values, dataclasses of ``derive``, SymPy objects) as cache bytes."""
    enc = _Encoder()
    top = enc.value(value)
    return json.dumps({"format": FORMAT, "nodes": enc.nodes, "value": top},
                      separators=(",", ":")).encode()


def _flags(assume) -> dict:
    if not (isinstance(assume, dict) and all(isinstance(k, str) and isinstance(v, bool) for k, v in assume.items())):
        raise CacheFormatError("assumptions must map names to true/false")
    return assume


def _bounded(cls, args: list) -> list:
    """``args`` if every number among them is within :data:`MAX_ARGUMENT` (numerator and
    denominator): a class rebuilt with evaluation, such as ``factorial(10**7)``, could
    otherwise run for minutes (the checker caps exponents the same way)."""
    sp = _sympy()
    for a in args:
        if isinstance(a, sp.Rational) and max(abs(a.p), a.q) > MAX_ARGUMENT:
            raise CacheFormatError(f"{cls.__name__} of the number {a} exceeds the cap of {MAX_ARGUMENT}")
    return args


class _Decoder:
    def __init__(self, nodes: list):
        self.nodes, self.built = nodes, {}

    def value(self, v):
        if v is None or isinstance(v, (bool, int, float, str)):
            return v
        if not isinstance(v, dict) or len(v) not in (1, 2):
            raise CacheFormatError("malformed value")
        if "n" in v:
            return self.node(v["n"])
        if "fn" in v:
            return self.function_class(v["fn"])
        if "bytes" in v:
            return base64.b64decode(str(v["bytes"]), validate=True)
        if "nt" in v:
            cls = _trusted_class(v["nt"], tuple)
            if not hasattr(cls, "_fields") or not isinstance(v.get("f"), list):
                raise CacheFormatError(f"{v['nt']!r} is not a named tuple")
            return cls(*(self.value(x) for x in v["f"]))
        if "tuple" in v:
            return tuple(self.value(x) for x in v["tuple"])
        if "list" in v:
            return [self.value(x) for x in v["list"]]
        if "dict" in v:
            return {self.value(k): self.value(x) for k, x in v["dict"]}
        if "dc" in v:
            cls = _trusted_class(v["dc"], object)
            if not dataclasses.is_dataclass(cls) or not isinstance(v.get("f"), dict):
                raise CacheFormatError(f"{v['dc']!r} is not a dataclass")
            return cls(**{str(k): self.value(x) for k, x in v["f"].items()})
        raise CacheFormatError("malformed value")

    def function_class(self, f):
        sp = _sympy()
        if not isinstance(f, dict):
            raise CacheFormatError("malformed function")
        if "undef" in f:
            kw = _flags(f.get("assume", {}))
            nargs = f.get("nargs")
            if nargs is not None:
                if not (isinstance(nargs, list) and all(isinstance(n, int) for n in nargs)):
                    raise CacheFormatError("malformed nargs")
                kw = {**kw, "nargs": tuple(nargs)}
            return sp.Function(str(f["undef"]), **kw)
        return _trusted_class(f.get("cls"), sp.Basic)

    def node(self, i):
        if not isinstance(i, int) or not 0 <= i < len(self.nodes):
            raise CacheFormatError("bad node reference")
        if i not in self.built:
            self.built[i] = self.build(self.nodes[i])
        return self.built[i]

    def args(self, n) -> list:
        sp = _sympy()
        args = [self.node(a) for a in n.get("a", [])]
        if not all(isinstance(a, sp.Basic) for a in args):  # never a string: sympify would eval it
            raise CacheFormatError("a SymPy argument that is not a SymPy object")
        return args

    def build(self, n):
        sp = _sympy()
        if not isinstance(n, dict):
            raise CacheFormatError("malformed node")
        if "dummy" in n:
            return sp.Dummy(str(n["dummy"]), dummy_index=int(n["i"]), **_flags(n.get("assume", {})))
        if "sym" in n:
            cls = _trusted_class(n.get("cls", "sympy.core.symbol.Symbol"), sp.Symbol)
            return cls(str(n["sym"]), **_flags(n.get("assume", {})))
        if "str" in n:
            return sp.core.symbol.Str(str(n["str"]))
        if "int" in n:
            return sp.Integer(int(n["int"]))
        if "rat" in n:
            p, q = (int(x) for x in n["rat"])
            return sp.Rational(p, q)
        if "float" in n:
            from mpmath.libmp import from_pickable
            sign, man, exp, bc = n["float"]
            if not 0 < int(n["prec"]) <= MAX_PRECISION:
                raise CacheFormatError(f"a Float of precision {n['prec']} (the cap is {MAX_PRECISION} bits)")
            return sp.Float._new(from_pickable((int(sign), str(man), int(exp), int(bc))), int(n["prec"]))
        if "S" in n:
            name = str(n["S"])
            value = getattr(sp.S, name, None) if name.isidentifier() and not name.startswith("_") else None
            if not isinstance(value, sp.Basic):
                raise CacheFormatError(f"unknown singleton {name!r}")
            return value
        if "fn" in n:
            return self.function_class(n["fn"])(*self.args(n))
        cls = _trusted_class(n.get("cls"), sp.Basic)
        if cls.__name__ in _UNEVALUATED:
            return cls(*self.args(n), evaluate=False)
        return cls(*_bounded(cls, self.args(n)))


def loads(data: bytes):
    """The value :func:`dumps` stored; :class:`CacheFormatError` for anything else."""
    try:
        doc = json.loads(data)
    except ValueError as exc:
        raise CacheFormatError(f"not JSON: {exc}") from None
    if not (isinstance(doc, dict) and doc.get("format") == FORMAT and isinstance(doc.get("nodes"), list)):
        raise CacheFormatError(f"not a {FORMAT} file")
    try:
        return _Decoder(doc["nodes"]).value(doc.get("value"))
    except (TypeError, KeyError, IndexError, binascii.Error, RecursionError) as exc:  # malformed fields
        raise CacheFormatError(f"malformed: {type(exc).__name__}: {exc}") from None


# --- the cache ------------------------------------------------------------------------

def _path(folder: Path, name: str) -> Path:
    return folder / f"{name}-{source_key()}{SUFFIX}"


def is_cached(name: str) -> bool:
    """Whether a cache entry for ``name`` and the current sources exists (it may still
    turn out not to decode)."""
    folder = _folder()
    return folder is not None and _path(folder, name).is_file()


_MISSING = object()


def lookup(name: str, default=None, check: Callable[[object], bool] | None = None):
    """The cached value of ``name`` for the current sources, else ``default``: also when the
    entry does not decode, or ``check(value)`` is false (a value of the wrong kind)."""
    folder = _folder()
    data = _read(_path(folder, name)) if folder else None
    if data is None:
        return default
    try:
        value = loads(data)
    except Exception:  # damaged, foreign or stale: rebuild (loading cannot run code)
        return default
    return value if check is None or check(value) else default


def store(name: str, value) -> None:
    """Cache ``value`` as ``name`` for the current sources (our entries of older sources go)."""
    folder = _folder()
    if folder is None:
        return
    path = _path(folder, name)
    try:
        _write(path, dumps(value))
        for old in list(folder.glob(f"{name}-*{SUFFIX}")) + list(folder.glob(f"{name}-*.pickle")):
            if old != path and not _unsafe(old.lstat()):  # entries of older sources
                old.unlink(missing_ok=True)
    except Exception:  # read-only home, a value the format cannot store: run without the cache
        pass


def cached(name: str, build: Callable[[], object], check: Callable[[object], bool] | None = None):
    """``build()``, or its value from an earlier run with the same sources (see :func:`lookup`)."""
    value = lookup(name, _MISSING, check)
    if value is _MISSING:
        value = build()
        store(name, value)
    return value
