"""``python -m check`` (and its alias ``python -m derive check``): the command-line contract (design.md), exit statuses, formats.

The contract (exit status, one-line errors, the outputs) is checked in this process
(:func:`_check`, through :func:`common.cli.run` as ``__main__`` calls it); what only a process
shows is checked on a real one: its exit status, a FIFO or a device (a hang or a memory cap), a
full or closed standard output, a folder locked by another process."""
import csv
import json

import pytest

from support import have_tex, run_main, run_module
from corpus import CORPUS

A01, A04 = str(CORPUS / "a01_ln_expectation.tex"), str(CORPUS / "a04_dropped_half.tex")


def _check(*argv):
    """``python -m check ARGV`` in this process (:func:`support.run_main`)."""
    from check.cli import main
    return run_main(main, *argv)


def _derive(*argv):
    """``python -m derive ARGV`` in this process."""
    from derive.cli import main
    return run_main(main, *argv)


def test_json_contract_fields_exactly():
    r = _check(A01, A04, "--part", "2.a", "--format", "json")
    assert r.returncode == 0, r.stderr
    objs = json.loads(r.stdout)
    assert [o["file"] for o in objs] == [A01, A04]
    for o in objs:
        assert set(o) == {"file", "part", "steps", "final", "errors"}
        assert o["part"] == "2.a" and o["errors"] == []
        assert set(o["final"]) == {"verdict", "reference_id", "counterexample"}
        assert o["final"]["reference_id"] == "kl.univariate"
        for s in o["steps"]:
            assert set(s) == {"line", "latex", "read_as", "verdict", "detail", "counterexample"}
            assert s["verdict"] in ("proved", "numeric", "wrong", "domain", "inconclusive")
            c = s["counterexample"]
            assert c is None or set(c) == {"point", "lhs", "rhs"}
    assert objs[0]["final"]["verdict"] == "matches"
    assert objs[1]["final"]["verdict"] == "differs" and objs[1]["final"]["counterexample"]
    wrong = [s for s in objs[1]["steps"] if s["verdict"] == "wrong"]
    assert [s["line"] for s in wrong] == [8] and wrong[0]["counterexample"]["point"]


def test_without_part_the_final_verdict_is_null():
    r = _check(A01, "--format", "json")
    assert r.returncode == 0, r.stderr
    (o,) = json.loads(r.stdout)
    assert o["part"] is None and o["final"] == {"verdict": None, "reference_id": None, "counterexample": None}


def test_text_table_and_csv(tmp_path):
    out = tmp_path / "grades.csv"
    r = _check(A01, A04, "--part", "2.a", "--csv", str(out))
    assert r.returncode == 0, r.stderr
    assert "final: differs (kl.univariate)" in r.stdout and "counterexample:" in r.stdout
    assert "read as" in r.stdout and "\\mathrm{KL}" in r.stdout
    rows = list(csv.reader(out.open()))
    assert rows[0] == ["file", "part", "steps", "wrong", "inconclusive", "final"]
    assert rows[1:] == [[A01, "2.a", "5", "0", "0", "matches"], [A04, "2.a", "4", "1", "0", "differs"]]


@pytest.mark.parametrize("make,args,message", [
    (None, ["/no/such/file.tex"], "No such file"),
    (lambda p: p.write_bytes(b"\xff\xfe$$ x = 1 $$"), [], "not UTF-8"),
    (lambda p: p.write_text("$$ x = 1"), [], "is never closed"),
    (lambda p: p.write_text("$$ x = x $$"), ["--part", "9.z"], "invalid choice"),
    (lambda p: p.write_text("$$ x = x $$"), ["--notation", "/no/such.toml"], "cannot read notation file"),
    (lambda p: p.write_text("$$ x = x $$"), ["--format", "yaml"], "invalid choice"),
])
def test_unreadable_input_exit_2_one_line(tmp_path, make, args, message):
    f = tmp_path / "in.tex"
    if make:
        make(f)
    files = [] if args and args[0].startswith("/") else [str(f)]
    r = _check(*files, *args)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("toml,message", [
    ("[symbol]\nx = 1\n", "unknown table [symbol]"),
    ("[symbols]\nx = \"imaginary\"\n", "unknown domain"),
    ("[symbols\n", "not valid TOML"),
    ("[macros]\nfoo = \"x\"\n", "must be a backslash and letters"),
])
def test_bad_notation_file(tmp_path, toml, message):
    (tmp_path / "n.toml").write_text(toml)
    (tmp_path / "a.tex").write_text("$$ x = x $$")
    r = _check(str(tmp_path / "a.tex"), "--notation", str(tmp_path / "n.toml"))
    assert r.returncode == 2 and message in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_a_notation_file_may_not_redeclare_a_parts_functions(tmp_path):
    """--part 2.a defines q and p; a file that declares them densities too is refused, named."""
    (tmp_path / "n.toml").write_text('[functions]\ndensities = ["q", "p"]\n')
    r = _check(A01, "--part", "2.a", "--notation", str(tmp_path / "n.toml"))
    assert r.returncode == 2 and "n.toml" in r.stderr and "p, q, which part 2.a defines" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_one_unreadable_file_does_not_stop_the_others(tmp_path):
    r = _check(A01, str(tmp_path / "missing.tex"), "--format", "json")
    assert r.returncode == 2 and "missing.tex" in r.stderr
    assert [o["file"] for o in json.loads(r.stdout)] == [A01]


def test_verdicts_never_change_the_exit_status():
    r = run_module("check", A04, "--part", "2.a")  # the process's own exit status
    assert r.returncode == 0


def test_notation_file_declares_symbols_functions_macros_definitions(tmp_path):
    (tmp_path / "n.toml").write_text(
        '[symbols]\n"\\\\tau" = "positive"\n[functions]\nnames = ["\\\\phi"]\n'
        '[macros]\n"\\\\half" = "\\\\frac{1}{2}"\n"\\\\sq" = { args = 1, body = "{#1}^2" }\n'
        '[definitions]\nlines = ["\\\\phi(t) := t^2 + 1"]\n')
    (tmp_path / "a.tex").write_text("\\begin{align*}\n\\ln\\tau^2 &= 2\\ln\\tau \\\\\n"
                                    "\\phi(2) &= 5 \\\\\n\\half\\sq{x} &= x^2/2\n\\end{align*}\n")
    r = _check(str(tmp_path / "a.tex"), "--notation", str(tmp_path / "n.toml"),
                   "--format", "json")
    assert r.returncode == 0, r.stderr
    (o,) = json.loads(r.stdout)
    assert [s["verdict"] for s in o["steps"]] == ["proved", "proved", "proved"]


def test_topics_still_work_beside_check():
    r = _derive("kl", "--format", "json")
    assert r.returncode == 0 and json.loads(r.stdout)[0]["id"] == "kl.univariate"
    r = run_module("derive", "check", "--help")  # the alias, as a command
    assert r.returncode == 0 and "--part" in r.stdout and "python -m check" in r.stdout
    alias, own = _derive("check", A01, "--format", "json"), _check(A01, "--format", "json")
    assert alias.returncode == own.returncode == 0 and alias.stdout == own.stdout


@pytest.mark.skipif(not have_tex(), reason="no TeX")
def test_pdf_is_built_from_the_parsed_forms(tmp_path):
    bad = tmp_path / "hostile.tex"
    bad.write_text("$$ x = \\input{/etc/passwd} $$\n$$ (a+1)^2 = a^2 + 2a + 1 \\quad\\text{\\write18{ls}} $$\n")
    r = _check(A04, str(bad), "--part", "2.a", "--format", "pdf", "--out", str(tmp_path / "o"))
    assert r.returncode == 0, r.stderr
    pdf = tmp_path / "o" / "check.pdf"
    assert pdf.exists() and pdf.read_bytes()[:4] == b"%PDF"
    tex = (tmp_path / "o" / "check.tex").read_text()
    body = tex.split("\\begin{document}")[1]
    assert "\\input" not in body and "\\write18" not in body
    assert "\\times~wrong" in body.replace("$\\times$", "\\times")


# --- issue 21.7: a FIFO or a device is refused, not read ------------------------------------

def _bounded(*args):
    """``python -m derive check ...`` with its address space capped at 3 GB, so that a reader
    that does not stop at its limit fails fast instead of taking the machine's memory."""
    import resource

    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
    return run_module("derive", "check", *args, timeout=300, preexec_fn=cap)


@pytest.mark.parametrize("where", ["input", "notation"])
@pytest.mark.parametrize("kind", ["FIFO", "/dev/zero"])
def test_a_fifo_or_a_device_is_a_one_line_error_not_a_hang(tmp_path, where, kind):
    import os
    if kind == "FIFO":
        special = tmp_path / "special"
        os.mkfifo(special)  # nobody writes to it: reading it would wait forever
    else:
        special = "/dev/zero"  # endless: reading it would take all the memory
    ok = tmp_path / "ok.tex"
    ok.write_text("$$ x = x $$\n")
    args = [str(special)] if where == "input" else [str(ok), "--notation", str(special)]
    r = _bounded(*args)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    assert f"'{special}': it is not a regular file" in lines[0]


# --- issue 21.3, 21.10: the output files and standard output ----------------------------------

def test_an_empty_csv_name_is_an_error(tmp_path):
    (tmp_path / "a.tex").write_text("$$ x = x $$\n")
    r = _derive("check", str(tmp_path / "a.tex"), "--csv", "")
    assert r.returncode == 2 and r.stderr.startswith("error: ") and "--csv" in r.stderr, r.stderr


@pytest.mark.parametrize("kind", ["FIFO", "device"])
def test_a_csv_path_that_is_not_a_regular_file_is_refused_and_kept(tmp_path, kind):
    """``--csv /dev/full`` (as root) replaced the device by a regular file; a FIFO likewise."""
    import os
    import stat
    special = tmp_path / "special"
    if kind == "FIFO":
        os.mkfifo(special)
    else:
        if os.geteuid() != 0:
            pytest.skip("making a device node needs root")
        os.mknod(special, 0o666 | stat.S_IFCHR, os.makedev(1, 7))  # the numbers of /dev/full, in tmp_path
    (tmp_path / "a.tex").write_text("$$ x = x $$\n")
    mode = special.lstat().st_mode
    r = _derive("check", str(tmp_path / "a.tex"), "--csv", str(special))
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "not a regular file" in r.stderr, r.stderr
    assert special.lstat().st_mode == mode and not list(tmp_path.glob(".special.*"))


def test_check_into_a_full_disk_is_one_line(tmp_path):
    import subprocess
    import sys
    from support import ROOT
    (tmp_path / "a.tex").write_text("$$ x = x $$\n")
    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, "-m", "derive", "check", str(tmp_path / "a.tex")], cwd=ROOT,
                           stdout=full, stderr=subprocess.PIPE, text=True, timeout=600)
    assert r.returncode == 2 and r.stderr == "error: cannot write to standard output: No space left on device\n"


def test_check_with_standard_output_closed_is_one_line(tmp_path):
    import shlex
    import subprocess
    import sys
    from support import ROOT
    (tmp_path / "a.tex").write_text("$$ x = x $$\n")
    r = subprocess.run(f"{shlex.quote(sys.executable)} -m derive check {tmp_path / 'a.tex'} >&-", shell=True,
                       cwd=ROOT, stderr=subprocess.PIPE, text=True, timeout=600)
    assert r.returncode == 2 and r.stderr == "error: standard output is closed; nothing was written\n"


def test_the_pdf_is_not_written_into_a_folder_in_use(tmp_path):
    """21.5: every command that writes into DIR takes its lock (the PDF shares DIR/.latex with
    ``python -m report``)."""
    import os
    from common.lock import hold_folder
    (tmp_path / "a.tex").write_text("$$ x = x $$\n")
    out = tmp_path / "o"
    out.mkdir()
    with hold_folder(out):
        r = run_module("derive", "check", str(tmp_path / "a.tex"), "--format", "pdf", "--out", str(out))
    assert r.returncode == 2 and r.stderr == f"error: {out} is in use by process {os.getpid()}; wait for it to finish\n"
    assert sorted(p.name for p in out.iterdir()) == [".lock"]
