"""``common.jobs.run_tasks``, the one dispatcher of the checker's class grading and the SGD sweep:
on a real Dask cluster, through joblib's dask backend, both write the same bytes as on local
processes (the README's "past one machine", tested as written there). The fast siblings: the
same property under joblib's threading backend (tests/check/test_grade.py,
tests/numeric/test_sgd_cli.py)."""
import json

import pytest

from common.cli import run
from support import ROOT

CORPUS = ROOT / "tests" / "check" / "corpus"
CLASS = [str(CORPUS / n) for n in ("a01_ln_expectation.tex", "a04_dropped_half.tex", "a10_not_simplest.tex",
                                   "b01_sums.tex")]
SGD = ["--quick", "--quiet", "--n", "400", "--d", "4", "--seeds", "2", "--max-epochs", "15",
       "--batch-sizes", "1", "10", "100"]
SLOW_MACHINE = {  # a loaded 2-core machine: room for the workers to start and answer
    "distributed.comm.timeouts.connect": "180s",
    "distributed.comm.timeouts.tcp": "180s",
}
WORKER_ENV = {"DASK_DISTRIBUTED__WORKER__DAEMON": "False"}  # the README's setting for `dask worker`


def _grade(out, capsys, files) -> tuple:
    """(exit status, JSON, error lines, CSV) of ``python -m check FILES --part 2.a --jobs 2``."""
    from check.cli import main
    capsys.readouterr()
    rc = run(main, [*files, "--part", "2.a", "--csv", str(out / "grades.csv"), "--jobs", "2", "--format", "json"])
    stdout, stderr = capsys.readouterr()
    errors = [line for line in stderr.splitlines() if line.startswith("error: ")]
    return rc, stdout, errors, (out / "grades.csv").read_bytes()


def _sweep(out) -> bytes:
    """results.json of ``python -m numeric sgd --jobs 2`` at a small size."""
    from numeric.__main__ import main
    assert run(main, ["sgd", *SGD, "--jobs", "2", "--out", str(out)]) == 0
    return (out / "sgd" / "results.json").read_bytes()


@pytest.mark.slow
def test_the_grading_and_the_sweep_on_a_dask_cluster_write_what_they_write_locally(tmp_path, capsys):
    import dask
    from dask.distributed import Client, LocalCluster, get_task_stream
    from joblib import parallel_config

    bad = tmp_path / "latin1.tex"
    bad.write_bytes(b"\xff\xfe$$ x = 1 $$")
    files = CLASS[:2] + [str(bad)] + CLASS[2:]
    (tmp_path / "local").mkdir()
    (tmp_path / "dask").mkdir()
    local = _grade(tmp_path / "local", capsys, files), _sweep(tmp_path / "local")
    workers = dask.config.collect(paths=[], env=WORKER_ENV)["distributed"]["worker"]  # as `dask worker` reads it
    assert workers == {"daemon": False}  # the checker's sandbox is a child of the worker
    with dask.config.set({**SLOW_MACHINE, "distributed.worker.daemon": workers["daemon"]}), \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, memory_limit=0,
                         dashboard_address=None) as cluster, \
            Client(cluster, timeout="180s") as client, get_task_stream(client) as tasks, \
            parallel_config(backend="dask"):
        remote = _grade(tmp_path / "dask", capsys, files), _sweep(tmp_path / "dask")
    assert len(tasks.data) >= len(files)  # the work ran on the cluster's workers
    assert remote == local
    rc, stdout, errors, _ = local[0]
    assert rc == 2 and len(errors) == 1 and "not UTF-8" in errors[0]
    assert [o["final"]["verdict"] for o in json.loads(stdout)] == ["matches", "differs", "matches, not simplest",
                                                                   "differs"]
