"""Put a set of files into a folder that may also hold files of others.

:func:`install` copies or moves the files into place, each through a temporary name and an
atomic rename, and removes only the files that an earlier :func:`install` into the same
folder put there (they are listed in a manifest) and this one does not: a file the user
keeps in the folder is never touched.

``commit`` names the file whose presence says "this set is complete" (an experiment's
``results.json``): it is removed before anything else moves and put in place last, so a
process killed half way leaves no ``results.json`` beside a mix of old and new files.

>>> import tempfile, pathlib
>>> src, dest = (pathlib.Path(tempfile.mkdtemp()) for _ in range(2))
>>> _ = (src / "a.pdf").write_text("new"); _ = (dest / "mine.txt").write_text("the user's")
>>> install({"a.pdf": src / "a.pdf"}, dest, dest / ".manifest.json")
>>> sorted(p.name for p in dest.iterdir())
['.manifest.json', 'a.pdf', 'mine.txt']
>>> install({}, dest, dest / ".manifest.json")  # a.pdf was ours: removed; mine.txt stays
>>> sorted(p.name for p in dest.iterdir())
['.manifest.json', 'mine.txt']
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from common.cli import atomic_write, replace_file

__all__ = ["install", "installed", "atomic_copy"]


def _plain_name(name) -> bool:
    return isinstance(name, str) and name not in ("", ".", "..") and "/" not in name and "\\" not in name


def installed(manifest: Path) -> list[str]:
    """The file names the last :func:`install` recorded in ``manifest`` (plain names only:
    an entry with a folder in it is ignored, so a tampered manifest cannot reach outside)."""
    try:
        names = json.loads(manifest.read_text())
    except (OSError, ValueError):
        return []
    return [n for n in names if _plain_name(n)] if isinstance(names, list) else []


def _same(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def _put(src: Path, dst: Path, move: bool) -> None:
    if move:
        replace_file(src, dst)
        return
    if _same(src, dst):  # unchanged: keep its time stamp (latexmk then has nothing to do)
        return
    atomic_copy(src, dst)


def atomic_copy(src: Path, dst: Path) -> None:
    """Copy ``src`` to ``dst`` through a temporary file beside it and a rename, so ``dst`` is
    always either the old file or the whole new one."""
    tmp = dst.with_name(f".{dst.name}.tmp")
    try:
        shutil.copyfile(src, tmp)
        replace_file(tmp, dst)
    finally:
        tmp.unlink(missing_ok=True)


def install(files: dict[str, Path], dest: Path, manifest: Path, *, move: bool = False,
            commit: str | None = None) -> None:
    """Put ``files[name]`` at ``dest/name`` for every name (moved when ``move``, else copied
    unless identical); remove the files the previous install listed in ``manifest`` that this
    one does not put; record this set in ``manifest``. ``commit`` goes last (see above)."""
    bad = [n for n in files if not _plain_name(n)]
    if bad:
        raise ValueError(f"not a plain file name: {bad[0]!r}")
    dest.mkdir(parents=True, exist_ok=True)
    earlier = installed(manifest)
    if commit in files:
        (dest / commit).unlink(missing_ok=True)
    atomic_write(manifest, json.dumps(sorted(set(earlier) | set(files)), indent=0) + "\n")
    for name in sorted(files, key=lambda n: n == commit):
        _put(Path(files[name]), dest / name, move)
    for name in earlier:
        if name not in files and (dest / name).is_file():
            (dest / name).unlink()
    atomic_write(manifest, json.dumps(sorted(files), indent=0) + "\n")
