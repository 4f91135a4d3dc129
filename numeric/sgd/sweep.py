"""The sweep of Problem 1 as independent runs, dispatched through joblib.

Three rounds, each a list of independent tasks (``joblib.Parallel``, :func:`run_tasks`; loky
processes by default, ``--jobs N`` of them, at most one per core, that die with the sweep; any
backend of ``joblib.parallel_config``, Dask or Ray included, runs the same tasks unchanged). Every task is deterministic and the results are gathered in task order, so
results.json does not depend on the number of jobs or the backend.

1. tune constant-step SGD (GD) at every batch size;
2. tune heavy ball, the decreasing step and the beta of heavy ball at SGD's effective step (all
   start from SGD's tuned alpha), and evaluate SGD,
   heavy ball at SGD's effective step for each beta of the grid and, for GD, Polyak's
   (alpha*, beta*) on every evaluation seed;
3. evaluate the tuned heavy ball and decreasing step on every evaluation seed, and constant-step
   SGD at the tuned heavy ball's effective step alpha/(1 - beta) on the same seeds.
"""
from __future__ import annotations

import ctypes
import os
import signal
import threading
import time
from contextlib import nullcontext

from numeric.sgd.tuning import BETA_GRID, at_hb_step, evaluate, tune

__all__ = ["run_sweep", "run_tasks", "die_with_parent", "METHODS", "LOCAL_BACKENDS"]

LOCAL_BACKENDS = ("loky", "multiprocessing", "threading", "sequential")  # on this machine: jobs <= cores
PR_SET_PDEATHSIG = 1  # prctl(2)

GD_TAIL = 4.0  # GD runs last at least 4x the epochs of tuned GD: a tail to fit the rate on
METHODS = ("sgd", "hb", "dec")  # tuned; plus "hbeff-BETA" and (GD) "polyak", evaluated only


def run_tasks(tasks: list, jobs: int, quiet: bool = True, desc: str = "") -> list:
    """``[f(*args) for f, *args in tasks]``, dispatched through joblib's active backend, in
    task order. On this machine (loky, the default; processes or threads) at most one job per
    core, and loky's workers die with this process (:func:`die_with_parent`), kill -9 included;
    a distributed backend (Dask, Ray: ``joblib.parallel_config``) gets ``jobs`` as asked."""
    from joblib import Parallel, cpu_count, delayed, parallel_config
    from joblib.parallel import BACKENDS, get_active_backend

    from common.cli import progress
    backend = type(get_active_backend()[0])
    local = backend in {BACKENDS.get(n) for n in LOCAL_BACKENDS}
    config = parallel_config(backend="loky", initializer=die_with_parent, initargs=(os.getpid(),)) \
        if backend is BACKENDS.get("loky") else nullcontext()
    with config:
        gen = Parallel(n_jobs=min(jobs, cpu_count()) if local else jobs, return_as="generator")(
            delayed(f)(*a) for f, *a in tasks)
        return list(progress(gen, quiet=quiet, total=len(tasks), desc=desc, unit="task"))


def die_with_parent(parent: int) -> None:
    """Run in each worker as it starts: the kernel kills it when ``parent`` ends (Linux's
    parent-death signal; elsewhere a thread that checks every second), so that a sweep killed
    with kill -9 leaves no worker, and so no resource tracker, behind."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        armed = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL) == 0
    except (OSError, AttributeError):  # not Linux
        armed = False
    if os.getppid() != parent:  # it ended before the signal was armed
        os._exit(1)
    if not armed:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _untuned(ctx, b: int, alpha_sgd: float) -> list[dict]:
    """Heavy ball at SGD's effective step for each beta; Polyak's parameters for GD."""
    cfgs = [{"method": f"hbeff-{beta:g}", "alpha": alpha_sgd * (1 - beta), "beta": beta, "t0": 0.0,
             "source": "effective-step"} for beta in BETA_GRID]
    if b >= ctx.problem.n:
        cfgs.append({"method": "polyak", "alpha": ctx.consts["polyak_alpha"], "beta": ctx.consts["polyak_beta"],
                     "t0": 0.0, "source": "polyak"})
    return cfgs


def run_sweep(ctx, jobs: int = 1, quiet: bool = True) -> dict:
    """{(method, b): (setting, outs)} for every method and batch size (GD included)."""
    st, n = ctx.st, ctx.problem.n
    batches = list(st.batch_sizes) + [n]
    seeds = st.eval_seeds
    sgd = dict(zip(batches, run_tasks([(tune, ctx, "sgd", b) for b in batches], jobs, quiet, "sgd: tune SGD")))
    alpha = {b: sgd[b]["alpha"] if sgd[b]["epochs"] is not None else None for b in batches}
    tail = {b: GD_TAIL * sgd[b]["epochs"] if b >= n and sgd[b]["epochs"] else 0.0 for b in batches}
    evals = [(b, cfg) for b in batches for cfg in [sgd[b]] + _untuned(ctx, b, sgd[b]["alpha"])]
    tuned_methods = ("hb", "dec", "hbeff")
    round2 = [(tune, ctx, m, b, sgd[b]["alpha"] if m == "hbeff" else alpha[b]) for b in batches for m in tuned_methods]
    round2 += [(evaluate, ctx, cfg, b, s, tail[b]) for b, cfg in evals for s in seeds]
    out2 = run_tasks(round2, jobs, quiet, "sgd: tune heavy ball and decreasing step")
    k_t = len(tuned_methods)
    tuned = {(m, b): out2[k_t * i + j] for i, b in enumerate(batches) for j, m in enumerate(tuned_methods)}
    outs = out2[k_t * len(batches):]
    runs = {}
    for k, (b, cfg) in enumerate(evals):
        runs[(cfg["method"], b)] = (cfg, outs[k * len(seeds):(k + 1) * len(seeds)])
    for b in batches:   # the beta of heavy ball at SGD's step that the tuning seeds chose
        t = tuned[("hbeff", b)]
        if t["epochs"] is not None and (t["method"], b) in runs:
            cfg, o = runs[(t["method"], b)]
            runs[(t["method"], b)] = ({**cfg, "source": "effective-step-tuned", "tuning": t["tuning"]}, o)
    evals3 = [(b, tuned[(m, b)]) for b in batches for m in ("hb", "dec")]
    evals3 += [(b, at_hb_step(tuned[("hb", b)])) for b in batches if tuned[("hb", b)]["beta"] < 1]
    out3 = run_tasks([(evaluate, ctx, cfg, b, s, tail[b]) for b, cfg in evals3 for s in seeds], jobs, quiet,
                     "sgd: evaluate")
    for k, (b, cfg) in enumerate(evals3):
        runs[(cfg["method"], b)] = (cfg, out3[k * len(seeds):(k + 1) * len(seeds)])
    return runs
