"""``python -m check FILES --jobs N`` (check/grade.py): a class graded through joblib, the same
output whatever N; a file that cannot be read keeps its row in the CSV; a bad ``--jobs`` is one line."""
import csv
import json

import pytest

from support import run_main
from corpus import CORPUS

HANDFUL = [str(CORPUS / n) for n in ("a01_ln_expectation.tex", "a04_dropped_half.tex", "a10_not_simplest.tex",
                                     "a09_domain.tex", "b01_sums.tex")]


def _check(*argv):
    """``python -m check ARGV`` in this process (:func:`support.run_main`): ``--jobs 2`` still
    grades in joblib's worker processes, warm from one test to the next."""
    from check.cli import main
    return run_main(main, *argv)


def _grade(tmp_path, files, jobs, fmt):
    out = tmp_path / f"grades-{jobs}-{fmt}.csv"
    r = _check(*files, "--part", "2.a", "--csv", str(out), "--jobs", str(jobs), "--format", fmt)
    return r, out.read_bytes()


@pytest.fixture
def unreadable(tmp_path):
    bad = tmp_path / "latin1.tex"
    bad.write_bytes(b"\xff\xfe$$ x = 1 $$")
    return str(bad)


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_the_output_is_byte_identical_for_one_and_two_jobs(tmp_path, unreadable, fmt):
    files = HANDFUL[:2] + [unreadable] + HANDFUL[2:]
    (r1, csv1), (r2, csv2) = _grade(tmp_path, files, 1, fmt), _grade(tmp_path, files, 2, fmt)
    assert r1.returncode == r2.returncode == 2, (r1.stderr, r2.stderr)
    assert r1.stdout == r2.stdout and r1.stderr == r2.stderr and csv1 == csv2
    rows = list(csv.reader(csv1.decode().splitlines()))
    assert [row[0] for row in rows[1:]] == files  # input order
    assert rows[1][5] == "matches" and rows[2][5] == "differs" and rows[4][5] == "matches, not simplest"


def test_a_file_that_cannot_be_read_keeps_its_row(tmp_path, unreadable):
    files = [HANDFUL[0], unreadable, str(tmp_path / "missing.tex")]
    r, data = _grade(tmp_path, files, 2, "json")
    assert r.returncode == 2
    errors = r.stderr.strip().splitlines()
    assert len(errors) == 2 and "not UTF-8" in errors[0] and "No such file" in errors[1], r.stderr
    rows = list(csv.reader(data.decode().splitlines()))
    assert rows[2] == [unreadable, "2.a", "0", "0", "0", "unreadable"]
    assert rows[3] == [files[2], "2.a", "0", "0", "0", "unreadable"]
    (obj,) = json.loads(r.stdout)  # the JSON holds the files that were read; the errors are on stderr
    assert obj["file"] == files[0] and obj["final"]["verdict"] == "matches"


@pytest.mark.parametrize("value,message", [("0", "must be a positive integer"), ("-2", "must be a positive integer"),
                                           ("two", "is not an integer"), ("", "is not an integer"),
                                           ("1.5", "is not an integer")])
def test_a_bad_jobs_value_is_one_line_and_exit_2(tmp_path, value, message):
    out = tmp_path / "grades.csv"
    r = _check(HANDFUL[0], "--part", "2.a", "--csv", str(out), "--jobs", value)
    assert r.returncode == 2 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: argument --jobs") and message in lines[0], r.stderr
    assert not out.exists()


def test_jobs_are_capped_at_the_files_and_the_cores(monkeypatch):
    """Grading goes through the project's one dispatcher (common.jobs.run_tasks): never more jobs
    than files, nor than cores on this machine."""
    import joblib
    from check.grade import grade
    asked = []
    real = joblib.Parallel

    def recording(n_jobs, **kw):
        asked.append(n_jobs)
        return real(n_jobs=1, **kw)

    monkeypatch.setattr(joblib, "Parallel", recording)
    monkeypatch.setattr(joblib, "cpu_count", lambda *a, **k: 2)
    results = grade(HANDFUL[:3] + ["/no/such.tex"], "2.a", None, jobs=64, quiet=True)
    grade(HANDFUL[:1], "2.a", None, jobs=64, quiet=True)
    assert asked == [2, 1]
    assert [r.file for r in results] == HANDFUL[:3] + ["/no/such.tex"]
    assert results[-1].errors and not results[-1].steps


def test_the_class_generator_is_reproducible_and_varied(tmp_path):
    from bench.classroom import sources, write_class
    a = write_class(tmp_path / "a", 30, seed=1)
    b = write_class(tmp_path / "b", 30, seed=1)
    assert [p.name for p in a] == [p.name for p in b] and len({p.name for p in a}) == 30
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    texts = [p.read_text() for p in a]
    assert len(set(texts)) == 30 and all("% expect" not in t for t in texts)
    originals = {s.read_text() for s in sources()}
    assert not originals & set(texts)


def test_another_joblib_backend_gives_the_same_output(tmp_path, capsys):
    """The fast sibling of tests/common/test_jobs.py (a real Dask cluster): grading through
    joblib's threading backend writes what one process writes."""
    from joblib import parallel_config
    from check.cli import main
    from common.cli import run

    def grade(jobs):
        out = tmp_path / f"grades-{jobs}.csv"
        rc = run(main, [*HANDFUL[:3], "--part", "2.a", "--csv", str(out), "--jobs", str(jobs), "--format", "json"])
        return rc, capsys.readouterr().out, out.read_bytes()

    one = grade(1)
    with parallel_config(backend="threading"):
        threads = grade(2)
    assert one == threads and one[0] == 0
    assert [o["final"]["verdict"] for o in json.loads(one[1])] == ["matches", "differs", "matches, not simplest"]


def test_a_daemonic_worker_says_how_to_start_it(tmp_path):
    """Dask's nanny starts daemonic workers, which may not start the checker's sandbox: the
    error says which setting to change, instead of multiprocessing's assertion."""
    import multiprocessing
    from check.grade import grade_file
    from common.cli import UserError
    with multiprocessing.get_context("fork").Pool(1) as pool:  # a pool's workers are daemonic
        with pytest.raises(UserError, match="DASK_DISTRIBUTED__WORKER__DAEMON=False"):
            pool.apply(grade_file, (HANDFUL[0], "2.a", None))
