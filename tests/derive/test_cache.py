"""Issue 13.7: the derivation cache cannot run code, and trusts only a folder and files of
the user's own that nobody else may write."""
import json
import os
import pickle
import stat
import subprocess
import sys

import pytest

from derive.engine import cache
from derive.engine.cache import FORMAT, CacheFormatError, dumps, loads, source_key
from support import HANG, ROOT


def _derive(cache_dir, *args):
    env = dict(os.environ, HW6_CACHE_DIR=str(cache_dir), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "derive", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=HANG, env=env)


class Evil:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.mark.parametrize("payload", [
    {"format": FORMAT, "nodes": [{"cls": "sympy.integrals.integrals.Integral", "a": ["__import__('os').system('touch MARK')"]}], "value": {"n": 0}},
    {"format": FORMAT, "nodes": [{"cls": "os.system", "a": []}], "value": {"n": 0}},
    {"format": FORMAT, "nodes": [{"cls": "sympy.core.sympify.sympify", "a": []}], "value": {"n": 0}},
    {"format": FORMAT, "nodes": [], "value": {"dc": "subprocess.Popen", "f": {"args": "touch MARK"}}},
    {"format": FORMAT, "nodes": [{"sym": "x", "assume": {"real": "__import__('os')"}}], "value": {"n": 0}},
    {"format": FORMAT, "nodes": [{"S": "__class__"}], "value": {"n": 0}},
])
def test_a_crafted_file_is_refused_without_running_anything(tmp_path, payload):
    marker = tmp_path / "MARK"
    text = json.dumps(payload).replace("MARK", str(marker))
    with pytest.raises(CacheFormatError):
        loads(text.encode())
    assert not marker.exists()


def test_a_crafted_cache_entry_does_not_run_and_derive_still_works(tmp_path):
    folder, marker = tmp_path / "cache", tmp_path / "pwned"
    folder.mkdir(mode=0o700)
    (folder / f"out-latex-0-sgd-{source_key()}.pickle").write_bytes(pickle.dumps(Evil(marker)))
    crafted = {"format": FORMAT, "nodes": [{"cls": "sympy.integrals.integrals.Integral",
                                            "a": [f"__import__('os').system('touch {marker}')"]}], "value": {"n": 0}}
    (folder / f"out-latex-0-sgd-{source_key()}.json").write_text(json.dumps(crafted))
    r = _derive(folder, "sgd")
    assert r.returncode == 0 and r.stdout.startswith("% sgd."), r.stderr
    assert not marker.exists()


def test_a_value_of_the_wrong_type_is_rebuilt(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    for name in ("out-latex-0-sgd", "topic-sgd"):
        (folder / f"{name}-{source_key()}.json").write_bytes(dumps(42))
    r = _derive(folder, "sgd")
    assert r.returncode == 0 and r.stdout.startswith("% sgd."), r.stderr
    assert loads((folder / f"out-latex-0-sgd-{source_key()}.json").read_bytes()) == r.stdout[:-1]


def test_the_folder_is_made_with_mode_0700(tmp_path):
    r = _derive(tmp_path / "new" / "cache", "sgd")
    assert r.returncode == 0, r.stderr
    assert stat.S_IMODE((tmp_path / "new" / "cache").stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in (tmp_path / "new" / "cache").iterdir())


def test_a_folder_others_may_write_is_not_used(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o777)
    r = _derive(folder, "sgd")
    assert r.returncode == 0 and r.stdout.startswith("% sgd.")
    assert "warning: derivation cache" in r.stderr and "writable by group or others" in r.stderr
    assert list(folder.iterdir()) == []


def test_files_of_another_user_are_not_read(tmp_path, monkeypatch):
    monkeypatch.setenv("HW6_CACHE_DIR", str(tmp_path / "c"))
    assert cache.cached("probe", lambda: "built") == "built"
    monkeypatch.setattr(cache.os, "getuid", lambda: os.stat(tmp_path).st_uid + 1)
    monkeypatch.setattr(cache, "_warned", set())
    calls = []
    assert cache.cached("probe", lambda: calls.append(1) or "rebuilt") == "rebuilt" and calls == [1]


@pytest.mark.parametrize("topic", ["sgd", "kl", "elbo", "gan"])
def test_every_topic_round_trips_unchanged(topic):
    """A warm run prints exactly what a cold run prints."""
    from derive import load
    from derive.printing import to_json, to_latex
    ds = load([topic])
    back = loads(dumps(tuple(ds)))
    assert list(back) == ds
    assert [to_latex(d) for d in back] == [to_latex(d) for d in ds] and to_json(list(back)) == to_json(ds)


def test_the_key_covers_the_content_modules_not_only_the_engine():
    """Regression: after the layout change the key hashed derive/engine/*.py only, so an
    edited derivation (derive/kl/univariate.py) was served stale from the cache."""
    from derive.engine.cache import source_files
    from support import ROOT
    names = {p.relative_to(ROOT).as_posix() for p in source_files()}
    assert {"derive/kl/univariate.py", "derive/topics.py", "derive/engine/chain.py"} <= names


def test_a_topic_entry_whose_derivation_does_not_decode_is_rebuilt(tmp_path):
    from derive.topics import Built
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    junk = (Built(b"not a derivation", {}, "% junk", "junk"),)
    (folder / f"topic-sgd-{source_key()}.json").write_bytes(dumps(junk))
    env_out = _derive(folder, "sgd", "--format", "json")
    assert env_out.returncode == 0 and "junk" not in env_out.stdout, env_out.stderr
    from derive.engine.chain import Derivation
    records = loads((folder / f"topic-sgd-{source_key()}.json").read_bytes())
    assert all(isinstance(loads(r.blob), Derivation) for r in records)


def test_a_fifo_at_an_entry_is_not_read_and_does_not_block(tmp_path):
    """21.7: a FIFO placed at a cache entry's path blocked ``python -m derive`` forever."""
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    os.mkfifo(folder / f"probe-{source_key()}.json", 0o600)
    code = "from derive.engine.cache import lookup; print(lookup('probe', 'rebuilt'))"
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                       env=dict(os.environ, HW6_CACHE_DIR=str(folder), PYTHONPATH=str(ROOT)))
    assert r.returncode == 0 and r.stdout == "rebuilt\n", r.stderr
    assert "not a regular file" in r.stderr


@pytest.mark.parametrize("node", [
    {"cls": "sympy.functions.combinatorial.factorials.factorial", "a": [0]},   # factorial(10**7): > 90 s
    {"cls": "sympy.functions.combinatorial.numbers.fibonacci", "a": [0]},
    {"cls": "sympy.functions.combinatorial.factorials.binomial", "a": [0, 0]},
])
def test_an_entry_that_would_rebuild_a_huge_number_is_refused(node):
    """21.9: a cache entry of the user's that builds ``factorial(10^7)`` made ``python -m derive
    kl`` spin for more than 90 s. The reader caps the numbers a rebuilt function gets, as the
    checker caps exponents."""
    payload = {"format": FORMAT, "nodes": [{"int": 10 ** 7}, node], "value": {"n": 1}}
    with pytest.raises(CacheFormatError, match="exceeds"):
        loads(json.dumps(payload).encode())


def test_a_float_of_a_huge_precision_is_refused():
    payload = {"format": FORMAT, "nodes": [{"float": [0, "1", 0, 1], "prec": 10 ** 9}], "value": {"n": 0}}
    with pytest.raises(CacheFormatError, match="precision"):
        loads(json.dumps(payload).encode())


def test_numbers_within_the_caps_are_rebuilt():
    import sympy
    n = sympy.Symbol("n")
    value = (sympy.factorial(n) / 1000, sympy.binomial(n, 3), sympy.Float("0.1", 30), sympy.Rational(10 ** 9, 7) * n)
    assert loads(dumps(value)) == value
