"""``python -m numeric gan``: the three GAN thought experiments of Problem 4, run.

Reading of the missing figures (design.md): (a) Disc_1, trained to equilibrium with Gen_1,
initialises the discriminator of a fresh Gen_2 of another architecture; (b) samples of Gen_1
replace the real data; (c) one noise draw z feeds Gen_1 (as "data") and Gen_2 (as "fake") in
every step. Two cases: ``gaussian`` (q = N(mu_q, sigma_q^2), affine generators, quadratic-logistic
discriminator, so D* = sigma(c0 + c1 x + c2 x^2) is representable and the theory is exact) and
``mixture`` (q a two-component Gaussian mixture, one-hidden-layer tanh MLPs). Every gradient
comes from a lambdified derivation of ``derive.gan`` (see ``numeric.gan.models``).

Output: ``DIR/gan/results.json`` (byte-identical for the same arguments, whatever ``--jobs``; no timings inside)
and figures under ``DIR/gan/`` (each as ``.pdf``, vector, and ``.png``).

results.json schema (``"schema": "hw6.gan.results/5"``)
-------------------------------------------------------
Facts only: numbers, enumerated verdicts and named conditions; every sentence of the writeup
(titles, captions, legends of tables, answers) is written by ``report/`` from these. All
floats are rounded to 6 significant digits; a number that could not be computed (a diverged
run, no finite value) is ``null``. Figure names are file stems relative to ``DIR/gan/``;
append ``.pdf`` or ``.png``. Version 5 (from 4): a run "reached" its threshold at the first recorded
step from which it stays at or below it for a confirmation window (``steps_to_threshold``,
:func:`numeric.gan.verdicts.confirmed_step`), as Problem 1's "converged"; every comparison of two
ways of training is decided on the seeds' ranges (they must not overlap), which adds
``shared_farther_from_p1``; ``reaches_p1`` needs every seed; no ``gan_distance_b`` figure (4.1.b's
curve is in ``gan_distance_c``). Version 4 (from 3): 4.1.a has the direction of Gen_2's first step
(``towards_q``, ``warm_towards_q``, ``warm_away_from_q``) and how long the warm start stays at the
frozen Disc_1's level (``warm_leaves_frozen_step``, ``warm_held``); 4.1.b-c measure d(p_2, p_1)
against a threshold relative to Gen_1's own distance to q (``threshold_factor``); 4.1.c has the
rounding bound of the Gaussian KL (``kl_rounding_bound``, ``regression_exact``). Version 3 (from 2): the vacuous condition ``no_better_than_gen1``
(the reverse triangle inequality, true for every outcome of a metric) and ``errors_add`` are
replaced by per-seed comparisons with Gen_1 (``seeds_closer_to_q``, ``every_seed_closer_to_q``,
...); 4.1.a has conditions on Disc_1 and Gen_2's first gradient; bands are min-max over seeds.
Version 2 (from 1): no prose fields (``title``, ``answer``,
``why``, ``number_notes``, ``reading``, ``label``, captions); cases described by facts;
4.1.b and 4.1.c run for two Gen_1 variants, ``trained`` (the main case, p_1 ~ q) and
``shifted`` (the stress case); each run carries its summary facts; verdicts are enumerated
per scenario and decided from named conditions (``numeric.gan.verdicts``).

::

    {
      "schema": "hw6.gan.results/5",
      "settings": {
        "seed": int, "seeds": int, "steps": int, "quick": bool, "scenarios": ["a", "b", "c"],
        "pretrain_steps": int, "polish_steps": int,   # (Gen_1, Disc_1) training; Disc_1 polishing
        "record_every": int,              # curves hold one point every record_every steps
        "window": {"records": int, "fraction": float},   # "reached": the distance stays <= the threshold
                                          # for max(records recorded steps, fraction x the step)
        "optimizer": {"name": "adam", "beta1": 0.5, "beta2": 0.999, "eps": 1e-8},
        "generator_loss": "non_saturating",          # -ln D(G(z))
        "cases": {
          "gaussian" | "mixture": {
            "q": [[weight, mean, sd], ...],          # q as a Gaussian mixture
            "gen1" | "gen2" | "disc": {"kind": "affine" | "log_scale" | "quadratic_logistic"
                                               | "tanh_mlp", "width": int (tanh_mlp only)},
            "distance": {"kind": "kl"} | {"kind": "w1", "levels": int},
                                          # kl: exact KL(p || target) of two Gaussians;
                                          # w1: 1-D Wasserstein by quantile quadrature
            "shift": {"mean_shift": float, "scale_factor": float} | {"output_shift": float},
                                          # how the stress case moves Gen_1 off q
            "threshold": float,           # distance counted as "reached"
            "plot_floor": float,          # log axes of the figures stop here
            "lr_g": float, "lr_d": float, "d_steps": int, "batch": int
          }
        }
      },
      "equilibrium": {                   # (Gen_1, Disc_1) trained on q: scenario (a)'s start
        "gaussian" | "mixture": {
          "dist_p1_q": float,             # distance(p_1, q) of the trained Gen_1
          "disc1_support_max_dev": float, # max |Disc_1(x) - 1/2| where q >= support_level * max q
          "disc1_support_mean_dev": float,# mean of |Disc_1 - 1/2| under q
          "dstar_support_range": [lo, hi],# min, max of q/(q + p_1) on the support
          "disc1_far_range": [lo, hi],    # min, max of Disc_1 where q < far_level * max q ...
          "far_level": float, "support_level": float,
          "grid": [lo, hi],               # ... on this x range
          "disc1_coef": [w0, w1, w2]      # gaussian case only: Disc_1's logit coefficients
        }
      },
      "scenarios": {
        "a": {"verdict": "no" | "partly" | "yes",
              "figures": [stem, ...],     # figures that support this scenario
              "cases": {case: {"threshold": float, "runs": {"warm" | "fresh" | "frozen": RUN},
                               "conditions": {"warm_faster" | "warm_slower" | "frozen_misses"
                                              | "disc1_near_half" | "dstar_near_half" | "disc1_far_real"
                                              | "disc1_far_fake" | "disc1_peak_off_data" | "warm_grad_smaller"
                                              | "warm_grad_larger" | "gen2_starts_off_data" | "warm_towards_q"
                                              | "warm_away_from_q" | "warm_held": bool},
                               "numbers": {"mean_curve": {"warm" | "fresh": float},
                                           "grad0": {"warm" | "fresh": {"nonsat" | "minimax": float}},
                                           "gen2_init_off_support": float,
                                           # median share of the untrained Gen_2's mass off the support
                                           "towards_q": {"warm" | "fresh": float},
                                           "towards_q_range": {"warm" | "fresh": [min, max]},  # over the seeds
                                           # median cosine of the first step's sample move with the
                                           # direction towards q (1-D optimal transport)
                                           "warm_leaves_frozen_step": int | null}}}},
                                           # first step with the warm median <= NEAR_FROZEN frozen's
        "b" | "c": {"verdict": "as_well_as_gen1" | "better_than_gen1" | "not_reached",
              "figures": [stem, ...],
              "cases": {case: {"threshold": float,   # on d(p_2, p_1): threshold_factor d(p_1 as trained, q)
                               "threshold_factor": float, "gen1": {"trained" | "shifted": {
                  "dist_p1_q": float,       # distance of this Gen_1's p_1 to q
                  "runs": {"gan_on_gen1" | "shared_noise_gan" | "regression": RUN},
                                            # b: the first; c: all three
                  "conditions": {"reaches_p1" | "closer_to_p1" | "median_closer_to_q"
                                 | "every_seed_closer_to_q" | "no_seed_closer_to_q"
                                 | "shared_closer_to_p1" | "shared_farther_from_p1" | "shared_faster" | "shared_slower"
                                 | "shared_less_grad_var" | "shared_more_grad_var" | "regression_closer_to_p1" | "regression_faster"
                                 | "regression_median_closer_to_q" | "regression_every_seed_closer_to_q"
                                 | "regression_no_seed_closer_to_q" | "regression_exact": bool},
                                            # b: the first five; c: all seventeen
                  "numbers": {"seeds_closer_to_q": {run: int},  # seeds ending closer to q than Gen_1
                              "closer_ratio": float,   # c only: indep / shared median final distance to p_1
                              "kl_rounding_bound": float},  # c, Gaussian case only: the KL's rounding bound
                  "disc_grad_var": {"start" | "end": {"independent" | "shared": float,      # c only: mean over seeds
                                                      "independent_seeds" | "shared_seeds": [float]}}
              }}}},
              "overall": {"settings": int, "shared_closer_to_p1" | "shared_farther_from_p1" | "shared_faster"
                          | "shared_slower": int}}
                                            # c only: in how many (case, Gen_1) settings each held
      },
      "figures": [stem, ...]              # every figure written: "gan_disc1_equilibrium",
                                          # "gan_densities", "gan_distance_a",
                                          # "gan_distance_c" (those of the scenarios run)
    }

    RUN = {
      "step": [int, ...],                 # the recorded steps (0 .. steps)
      "to_q":  {"median": [...], "lo": [...], "hi": [...]},   # per-step median, min, max over seeds
      "to_p1": {"median": [...], "lo": [...], "hi": [...]},   # b, c only
      "final_to_q": [float|null per seed], "final_to_p1": [...],   # the latter b, c only
      "steps_to_threshold": [int|null per seed],  # first recorded step from which the distance to
                                          # the run's target (a: q; b, c: p_1) stays <= threshold
                                          # for the confirmation window (verdicts.confirmed_step)
      "diverged": [{"seed": int, "step": int}],   # NaN caught; marked, not fatal
      "final_to_q_median": float|null, "final_to_p1_median": float|null,   # summary facts:
      "steps_median": int|null,           # lower median of steps_to_threshold, "never" last
                                          # (null: the median seed never reached it)
      "reached": int                      # seeds that reached the threshold
    }

Conditions and verdict rules: ``numeric.gan.verdicts``.
Bands are the minimum and maximum over the seeds that did not diverge ("lo", "hi"), at each
recorded step; "median" is the per-step median (not the curve of one median seed).
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np

from common.cli import nonneg_int
from common.jobs import run_tasks

from numeric.gan.verdicts import (GEN1_VARIANTS, NEAR_FROZEN, P1_THRESHOLD, WINDOW_FRACTION, WINDOW_RECORDS,
                                  conditions_a, conditions_b, conditions_c,
                                  overall_c, p1_threshold, run_facts, seeds_closer, verdict_a, verdict_bc)
from numeric.outputs import rounded

__all__ = ["add_arguments", "check", "main", "memory_needed", "run_experiment", "settings_from_args"]

SCENARIOS = ("a", "b", "c")
DEFAULTS = {"seeds": 5, "steps": 1500, "pre_steps": 3000, "polish_steps": 500}
QUICK = {"seeds": 2, "steps": 200, "pre_steps": 400, "polish_steps": 50}
FIGURES = {"a": ("gan_distance_a", "gan_disc1_equilibrium", "gan_densities"),
           "b": ("gan_distance_c", "gan_densities"), "c": ("gan_distance_c", "gan_densities")}


def add_arguments(parser) -> None:
    from common.cli import positive_int
    parser.add_argument("--scenario", default="all", metavar="{a,b,c,all}",
                        help="which thought experiment to run (default: all)")
    parser.add_argument("--seeds", type=positive_int, default=None,
                        help=f"seeds per variant (default {DEFAULTS['seeds']}; --quick {QUICK['seeds']})")
    parser.add_argument("--seed", type=nonneg_int, default=0, help="base random seed, >= 0 (default 0)")
    parser.add_argument("--steps", type=positive_int, default=None,
                        help=f"generator steps per run (default {DEFAULTS['steps']}; --quick {QUICK['steps']})")
    parser.add_argument("--out", default="build", help="output folder; results go to OUT/gan/ (default build)")
    parser.add_argument("--quick", action="store_true", help="a small run (< 10 s) for tests and drafts")
    parser.add_argument("--jobs", type=positive_int, default=None, metavar="N",
                        help="parallel runs through joblib (default: all cores; 1: one process); results do not depend on it")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def memory_needed(seeds: int) -> int:
    """An upper estimate of the bytes held at once: every seed of a variant trains together;
    per seed, the W1 distance holds 4 arrays of N_QUANT x width doubles (the widest network),
    a training step 8 of batch x width, and the curves of every run (at most 40 runs of 101
    records of 2 distances); plus 256 MiB for the rest (figures, the libraries)."""
    from numeric.gan.cases import CASES, N_QUANT
    cases = [make() for make in CASES.values()]
    width = max(getattr(m, "width", 3) for c in cases for m in (c.gen1, c.gen2, c.disc))
    batch = max(c.batch for c in cases)
    return 8 * seeds * (4 * N_QUANT * width + 8 * batch * width + 40 * 101 * 2) + 2 ** 28


def check(args) -> None:
    """Refuse bad options (UserError) as :func:`main` would, before it runs."""
    settings_from_args(args)


def settings_from_args(args):
    from common.cli import UserError

    from numeric.gan.scenarios import Settings
    from numeric.memory import check_memory
    sc = str(args.scenario).lower()
    if sc not in (*SCENARIOS, "all"):
        raise UserError(f"unknown scenario {args.scenario!r}; choose from a, b, c, all")
    base = QUICK if args.quick else DEFAULTS
    steps = args.steps or base["steps"]
    st = Settings(seed=args.seed, seeds=args.seeds or base["seeds"], steps=steps,
                  pre_steps=base["pre_steps"], polish_steps=base["polish_steps"],
                  record_every=max(1, steps // 100), quick=bool(args.quick))
    check_memory(memory_needed(st.seeds), f"--seeds {st.seeds}")
    return st, (SCENARIOS if sc == "all" else (sc,))


def main(args) -> int:
    from numeric.outputs import staged
    st, scenarios = settings_from_args(args)
    out = Path(args.out) / "gan"
    t0 = time.perf_counter()
    with staged(args, "gan") as stage:  # every output moves into DIR/gan together, on success only
        results = run_experiment(st, scenarios, stage, quiet=args.quiet, jobs=args.jobs or os.cpu_count() or 1)
    for sc, r in results["scenarios"].items():
        print(f"4.1.{sc}: verdict {r['verdict']}")
        for d in _diverged(r):
            sys.stderr.write(f"warning: {sc}/{d}: diverged (marked in results.json; the other seeds went on)\n")
    print(f"wrote {out / 'results.json'} and {len(results['figures'])} figures (PDF + PNG) "
          f"in {time.perf_counter() - t0:.1f} s")
    return 0


def _diverged(r: dict):
    """``case/[gen1/]run: seed k at step t`` for every diverged seed of one scenario."""
    for case, c in r["cases"].items():
        groups = {"": c} if "runs" in c else {f"{v}/": g for v, g in c["gen1"].items()}
        for prefix, g in groups.items():
            for name, run in g["runs"].items():
                for d in run["diverged"]:
                    yield f"{case}/{prefix}{name}: seed {d['seed']} at step {d['step']}"


def _equilibrium(case, p1, d1) -> dict:
    from numeric.gan.grads import sigmoid
    x = np.linspace(*case.window, 4001)
    dx = sigmoid(case.disc.logit(d1, x[None, :])[0])
    sup, qx = case.support(x), case.q_pdf(x)
    far = qx < 1e-4 * qx.max()
    with np.errstate(all="ignore"):
        dstar = qx / (qx + case.density(case.gen1, p1, x))     # D* = q/(q + p_1), Proposition 1
    out = {"dist_p1_q": float(case.distance(case.gen1, p1, case.q_target())[0]),
           "disc1_support_max_dev": float(np.max(np.abs(dx[sup] - 0.5))),
           "dstar_support_range": [float(np.nanmin(dstar[sup])), float(np.nanmax(dstar[sup]))],
           "disc1_support_mean_dev": float(np.sum(np.abs(dx - 0.5) * qx) / np.sum(qx)),
           "disc1_far_range": [float(dx[far].min()), float(dx[far].max())],
           "far_level": 1e-4, "support_level": case.support_level, "grid": [float(x[0]), float(x[-1])]}
    if case.gaussian:
        out["disc1_coef"] = [float(v) for v in d1["w"][0]]
    return out


def _run_json(run_summary: dict) -> dict:
    s = run_summary
    out = {"step": s["step"], "to_q": s["to_q"]}
    if "to_p1" in s:
        out["to_p1"] = s["to_p1"]
    out["final_to_q"] = s["final_to_q"]
    if "final_to_p1" in s:
        out["final_to_p1"] = s["final_to_p1"]
    out["steps_to_threshold"] = s["steps_to_threshold"]
    out["diverged"] = s["diverged"]
    return out


def _summaries(res: dict, threshold: float) -> dict:
    from numeric.gan.scenarios import summarise
    return {v: summarise(r, threshold) for v, r in res["runs"].items()}


def _pretrained(name: str, st):
    """(Gen_1, Disc_1) of one case (a task of :func:`run_experiment`)."""
    from numeric.gan.cases import CASES
    from numeric.gan.scenarios import pretrain
    return pretrain(CASES[name](), st)


def _scenario(name: str, st, sc: str, p1, d1):
    """One scenario of one case (a task of :func:`run_experiment`); b and c for both Gen_1 variants."""
    from numeric.gan.cases import CASES
    from numeric.gan.scenarios import scenario_a, scenario_b, scenario_c
    case = CASES[name]()
    if sc == "a":
        return scenario_a(case, st, p1, d1)
    p1s = {"trained": p1, "shifted": case.put_off(p1)}
    return (scenario_b if sc == "b" else scenario_c)(case, st, {v: p1s[v] for v in GEN1_VARIANTS})


def run_experiment(st, scenarios, out: Path, quiet: bool = True, jobs: int = 1) -> dict:
    """Run the scenarios for both cases, write figures and results.json; return the results.
    The pretraining of each case, then every (case, scenario), are independent tasks run
    ``jobs`` at a time through joblib (:func:`common.jobs.run_tasks`); each is deterministic,
    so the results do not depend on ``jobs``."""
    from common.cli import atomic_write

    from numeric.gan import figures as gan_figures
    from numeric.gan.cases import CASES

    names = list(CASES)
    pre = dict(zip(names, run_tasks([(_pretrained, n, st) for n in names], jobs, quiet, "gan: pretrain", "run")))
    todo = [(n, sc) for n in names for sc in ("a", "b", "c") if sc in scenarios or (sc == "b" and "c" in scenarios)]
    done = dict(zip(todo, run_tasks([(_scenario, n, st, sc, *pre[n]) for n, sc in todo], jobs, quiet, "gan: train", "run")))

    bundle, eq = {}, {}
    for name in names:
        case, (p1, d1) = CASES[name](), pre[name]
        gen1 = {"trained": p1, "shifted": case.put_off(p1)}
        b = {"case": case, "p1": p1, "d1": d1, "gen1": gen1, "scenarios": {},
             "dist_p1_q": {v: float(case.distance(case.gen1, p, case.q_target())[0]) for v, p in gen1.items()}}
        eq[name] = b["eq"] = _equilibrium(case, p1, d1)
        if "a" in scenarios:
            b["scenarios"]["a"] = done[(name, "a")]
            b["scenarios"]["a"]["summaries"] = _summaries(b["scenarios"]["a"], case.threshold)
        for v in GEN1_VARIANTS if (name, "b") in done else ():
            res = {"b": {"runs": {"gan_on_gen1": done[(name, "b")][v]}, "extra": {}}}
            if "c" in scenarios:
                c = done[(name, "c")][v]
                res["c"] = {**c, "runs": {"shared_noise_gan": c["runs"]["shared_noise_gan"],
                                          "gan_on_gen1": done[(name, "b")][v], "regression": c["runs"]["regression"]}}
            for sc in ("b", "c"):
                if sc in scenarios:
                    res[sc]["summaries"] = _summaries(res[sc], p1_threshold(b["dist_p1_q"]["trained"]))
                    b["scenarios"].setdefault(sc, {})[v] = res[sc]
        bundle[name] = b

    stems = gan_figures.write_all(bundle, scenarios, out)
    results = {"schema": "hw6.gan.results/5",
               "settings": {"seed": st.seed, "seeds": st.seeds, "steps": st.steps, "quick": st.quick,
                            "scenarios": list(scenarios), "pretrain_steps": st.pre_steps,
                            "polish_steps": st.polish_steps, "record_every": st.record_every,
                            "window": {"records": WINDOW_RECORDS, "fraction": WINDOW_FRACTION},
                            "optimizer": {"name": "adam", "beta1": 0.5, "beta2": 0.999, "eps": 1e-8},
                            "generator_loss": "non_saturating",
                            "cases": {n: b["case"].facts() for n, b in bundle.items()}},
               "equilibrium": rounded(eq), "scenarios": {}, "figures": stems}
    for sc in scenarios:
        facts = _scenario_a_facts if sc == "a" else _scenario_bc_facts
        cases = {name: facts(b, sc, st.steps) for name, b in bundle.items()}
        conds = {n: c["conditions"] if sc == "a" else {v: g["conditions"] for v, g in c["gen1"].items()}
                 for n, c in cases.items()}
        results["scenarios"][sc] = {"verdict": verdict_a(conds) if sc == "a" else verdict_bc(conds),
                                    "figures": [f for f in FIGURES[sc] if f in stems], "cases": cases}
        if sc == "c":
            results["scenarios"][sc]["overall"] = overall_c(conds)
    atomic_write(out / "results.json", json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    return results


def _runs_json(sums: dict, total: int) -> dict:
    runs = {v: rounded(_run_json(s)) for v, s in sums.items()}
    return {v: {**r, **rounded(run_facts(r, total))} for v, r in runs.items()}


def _scenario_a_facts(b: dict, sc: str, total: int) -> dict:
    case, res = b["case"], b["scenarios"]["a"]
    sums = res["summaries"]
    out = {"threshold": case.threshold, "runs": _runs_json(sums, total)}
    out["numbers"] = {
        "mean_curve": {v: rounded(float(np.nanmean(sums[v]["to_q"]["median"]))) for v in ("warm", "fresh")},
        "grad0": {v: {k: rounded(float(np.median(g))) for k, g in res["extra"][f"grad_{v}"].items()}
                  for v in ("warm", "fresh")},
        "gen2_init_off_support": rounded(float(np.median(res["extra"]["init_off_support"]))),
        "towards_q": {v: rounded(float(np.median(res["extra"][f"towards_q_{v}"]))) for v in ("warm", "fresh")},
        "towards_q_range": {v: rounded([float(np.min(res["extra"][f"towards_q_{v}"])),
                                        float(np.max(res["extra"][f"towards_q_{v}"]))]) for v in ("warm", "fresh")},
        "warm_leaves_frozen_step": _leaves(sums["warm"], sums["frozen"])}
    out["conditions"] = conditions_a(out, total, rounded(b["eq"]))
    return out


def _leaves(warm: dict, frozen: dict):
    """The first recorded step at which the warm-started run's median distance to q is at most
    NEAR_FROZEN times that of the run against Disc_1 frozen (None: never): until then the warm
    start is still where the frozen Disc_1 holds Gen_2."""
    for t, w, f in zip(warm["step"], warm["to_q"]["median"], frozen["to_q"]["median"]):
        if t > 0 and np.isfinite(w) and np.isfinite(f) and w <= NEAR_FROZEN * f:
            return int(t)
    return None


def _scenario_bc_facts(b: dict, sc: str, total: int) -> dict:
    case = b["case"]
    threshold = rounded(p1_threshold(b["dist_p1_q"]["trained"]))
    gen1 = {}
    for v, res in b["scenarios"][sc].items():
        g = {"dist_p1_q": rounded(b["dist_p1_q"][v]), "runs": _runs_json(res["summaries"], total)}
        if sc == "c":
            g["disc_grad_var"] = rounded(res["extra"]["disc_grad_var"])
            sh, ind = (g["runs"][k]["final_to_p1_median"] for k in ("shared_noise_gan", "gan_on_gen1"))
            g["numbers"] = {"closer_ratio": rounded(ind / sh) if sh and ind is not None else None,
                            "seeds_closer_to_q": _seeds_closer(g)}
            if case.gaussian:
                reg = res["runs"]["regression"]["params"]
                bound = case.kl_rounding_bound(case.gen2, reg, case.target_of(case.gen1, b["gen1"][v]))
                g["numbers"]["kl_rounding_bound"] = rounded(float(np.max(bound)))
            g["conditions"] = conditions_c({**g, "threshold": threshold, "steps": total})
        else:
            g["numbers"] = {"seeds_closer_to_q": _seeds_closer(g)}
            g["conditions"] = conditions_b({**g, "threshold": threshold})
        gen1[v] = g
    return {"threshold": threshold, "threshold_factor": P1_THRESHOLD, "gen1": gen1}


def _seeds_closer(g: dict) -> dict:
    """Per run of one Gen_1 variant: how many seeds ended closer to q than Gen_1."""
    return {k: seeds_closer(r["final_to_q"], g["dist_p1_q"]) for k, r in g["runs"].items()}
