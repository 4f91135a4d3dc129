"""The sweep of Problem 1 as independent runs, dispatched through joblib.

Three rounds, each a list of independent tasks (``joblib.Parallel``, :func:`common.jobs.run_tasks`; loky
processes by default, ``--jobs N`` of them, at most one per core, that die with the sweep; any
backend of ``joblib.parallel_config``, Dask or Ray included, runs the same tasks unchanged). Every task is deterministic and the results are gathered in task order, so
results.json does not depend on the number of jobs or the backend.

1. tune constant-step SGD (GD) at every batch size;
2. tune heavy ball, the decreasing step and the beta of heavy ball at SGD's effective step (all
   start from SGD's tuned alpha), and evaluate SGD and, for GD, Polyak's (alpha*, beta*) on
   every evaluation seed;
3. evaluate the tuned heavy ball, decreasing step and heavy ball at SGD's effective step (the
   beta the tuning seeds chose, where one converged) on every evaluation seed, constant-step
   SGD at the tuned heavy ball's effective step alpha/(1 - beta) and heavy ball with the
   decreasing step (velocity form) on the same seeds.
"""
from __future__ import annotations

from common.jobs import LOCAL_BACKENDS, die_with_parent, run_tasks  # noqa: F401 (this module's API)
from numeric.sgd.tuning import at_hb_step, evaluate, tune, with_momentum

__all__ = ["run_sweep", "run_tasks", "die_with_parent", "METHODS", "LOCAL_BACKENDS"]

GD_TAIL = 4.0  # GD runs last at least 4x the epochs of tuned GD: a tail to fit the rate on
METHODS = ("sgd", "hb", "dec", "hbeff")  # tuned; plus (GD) "polyak", evaluated only


def _polyak(ctx, b: int) -> list[dict]:
    """Polyak's parameters, for GD only."""
    if b < ctx.problem.n:
        return []
    return [{"method": "polyak", "alpha": ctx.consts["polyak_alpha"], "beta": ctx.consts["polyak_beta"],
             "t0": 0.0, "source": "polyak"}]


def run_sweep(ctx, jobs: int = 1, quiet: bool = True) -> dict:
    """{(method, b): (setting, outs)} for every method and batch size (GD included)."""
    st, n = ctx.st, ctx.problem.n
    batches = list(st.batch_sizes) + [n]
    seeds = st.eval_seeds
    sgd = dict(zip(batches, run_tasks([(tune, ctx, "sgd", b) for b in batches], jobs, quiet, "sgd: tune SGD")))
    alpha = {b: sgd[b]["alpha"] if sgd[b]["epochs"] is not None else None for b in batches}
    tail = {b: GD_TAIL * sgd[b]["epochs"] if b >= n and sgd[b]["epochs"] else 0.0 for b in batches}
    evals = [(b, cfg) for b in batches for cfg in [sgd[b]] + _polyak(ctx, b)]
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
    evals3 = [(b, tuned[(m, b)]) for b in batches for m in ("hb", "dec")]
    # heavy ball at SGD's step: the beta the tuning seeds chose, where one converged on every tuning seed
    evals3 += [(b, tuned[("hbeff", b)]) for b in batches if tuned[("hbeff", b)]["epochs"] is not None]
    evals3 += [(b, at_hb_step(tuned[("hb", b)])) for b in batches if tuned[("hb", b)]["beta"] < 1]
    evals3 += [(b, with_momentum(tuned[("dec", b)], tuned[("hb", b)])) for b in batches if tuned[("hb", b)]["beta"] < 1]
    out3 = run_tasks([(evaluate, ctx, cfg, b, s, tail[b]) for b, cfg in evals3 for s in seeds], jobs, quiet,
                     "sgd: evaluate")
    for k, (b, cfg) in enumerate(evals3):
        runs[(cfg["method"], b)] = (cfg, out3[k * len(seeds):(k + 1) * len(seeds)])
    return runs
