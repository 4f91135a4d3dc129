"""common.fileset.install: only files an earlier install put there are removed; the commit
file goes last."""
import json

import pytest

from common import fileset


def test_the_commit_file_is_removed_first_and_put_last(tmp_path, monkeypatch):
    src, dest = tmp_path / "src", tmp_path / "dest"
    src.mkdir()
    dest.mkdir()
    for name in ("a.pdf", "results.json"):
        (src / name).write_text("new")
        (dest / name).write_text("old")
    order = []
    real = fileset._put

    def put(s, d, move):
        order.append((d.name, (dest / "results.json").exists()))
        if d.name == "a.pdf":
            raise OSError("disk full")  # a crash half way
        real(s, d, move)
    monkeypatch.setattr(fileset, "_put", put)
    with pytest.raises(OSError):
        fileset.install({"results.json": src / "results.json", "a.pdf": src / "a.pdf"}, dest,
                        dest / ".m.json", move=True, commit="results.json")
    assert order == [("a.pdf", False)]  # results.json was gone before the first move
    assert not (dest / "results.json").exists()  # so nobody trusts the half-moved set


def test_unchanged_copies_keep_their_time_stamp(tmp_path):
    src, dest = tmp_path / "src", tmp_path / "dest"
    src.mkdir()
    (src / "a.pdf").write_text("same")
    fileset.install({"a.pdf": src / "a.pdf"}, dest, dest / ".m.json")
    stamp = (dest / "a.pdf").stat().st_mtime_ns
    fileset.install({"a.pdf": src / "a.pdf"}, dest, dest / ".m.json")
    assert (dest / "a.pdf").stat().st_mtime_ns == stamp and (src / "a.pdf").exists()


def test_a_tampered_manifest_cannot_delete_outside(tmp_path):
    dest = tmp_path / "dest"
    dest.mkdir()
    (tmp_path / "victim").write_text("keep")
    (dest / ".m.json").write_text(json.dumps(["../victim", "/etc/hostname", "", "."]))
    fileset.install({}, dest, dest / ".m.json")
    assert (tmp_path / "victim").read_text() == "keep"


def test_names_with_folders_are_refused(tmp_path):
    with pytest.raises(ValueError):
        fileset.install({"../x": tmp_path / "x"}, tmp_path / "dest", tmp_path / "m.json")
