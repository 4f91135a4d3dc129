"""``python -m numeric gan``: the three GAN thought experiments of Problem 4, run.

Reading of the missing figures (design.md): (a) Disc_1, trained to equilibrium with Gen_1,
initialises the discriminator of a fresh Gen_2 of another architecture; (b) samples of Gen_1
replace the real data; (c) one noise draw z feeds Gen_1 (as "data") and Gen_2 (as "fake") in
every step. Two cases: ``gaussian`` (q = N(mu_q, sigma_q^2), affine generators, quadratic-logistic
discriminator, so D* = sigma(c0 + c1 x + c2 x^2) is representable and the theory is exact) and
``mixture`` (q a two-component Gaussian mixture, one-hidden-layer tanh MLPs). Every gradient
comes from a lambdified derivation of ``derive.gan`` (see ``numeric.gan.models``).

Output: ``DIR/gan/results.json`` (byte-identical for the same arguments; no timings inside)
and figures under ``DIR/gan/`` (each as ``.pdf``, vector, and ``.png``).

results.json schema (``"schema": "hw6.gan.results/1"``)
-------------------------------------------------------
All floats are rounded to 6 significant digits; a number that could not be computed (a
diverged run) is ``null``. Figure names are file stems relative to ``DIR/gan/``; append
``.pdf`` or ``.png``.

::

    {
      "schema": "hw6.gan.results/1",
      "settings": {                      # everything needed to re-run and to describe the run
        "seed": int, "seeds": int, "steps": int, "quick": bool, "scenarios": ["a", "b", "c"],
        "pretrain_steps": int, "polish_steps": int,   # (Gen_1, Disc_1) training; Disc_1 polishing
        "record_every": int,              # curves hold one point every record_every steps
        "optimizer": str, "generator_loss": str,
        "reading": str,                   # our reading of the three missing figures
        "cases": {
          "gaussian" | "mixture": {
            "q": str,                     # human-readable, e.g. "N(1, 0.5^2)"
            "gen1": str, "gen2": str, "disc": str,   # architectures, human-readable
            "metric": str,                # "KL(p || target), exact Gaussian formula (...)" or
                                          # "W1 (1-D Wasserstein) by quantile quadrature, 2000 levels"
            "metric_symbol": str,         # "KL" or "W1"
            "gen1_offset": str,           # how Gen_1 was put off q on purpose for (b), (c)
            "threshold": float,           # distance counted as "reached" (steps_to_threshold)
            "lr_g": float, "lr_d": float, "d_steps": int, "batch": int
          }
        }
      },
      "equilibrium": {                   # (Gen_1, Disc_1) trained on q: scenario (a)'s start
        "gaussian" | "mixture": {
          "dist_p1_q": float,             # metric(p_1, q) of the trained Gen_1 (before (b)'s offset)
          "disc1_support_max_dev": float, # max |Disc_1(x) - 1/2| where q >= 5% of its maximum
          "disc1_support_mean_dev": float,# mean of |Disc_1 - 1/2| under q
          "disc1_far_range": [lo, hi],    # min, max of Disc_1 away from q's support (far_region)
          "far_region": str,
          "disc1_coef": [w0, w1, w2]      # gaussian case only: Disc_1's logit coefficients
        }
      },
      "scenarios": {
        "a" | "b" | "c": {
          "title": str,                   # e.g. "4.1.a: a pre-trained Disc_1 for a new Gen_2"
          "verdict": "yes" | "no" | "partly",
          "answer": str,                  # a paragraph of plain text (UTF-8, no LaTeX markup:
                                          # escape _ ^ etc. for LaTeX), numbers taken from this run
          "why": str,                     # the theoretical reason, two or three sentences
          "numbers": {name: float|int|null},   # every number the answer cites (and a few more)
          "number_notes": {name: str},         # one line per number: what it is
          "figures": [stem, ...],         # figures that support this answer
          "cases": {
            "gaussian" | "mixture": {
              "metric": str, "threshold": float,
              "runs": {                   # one entry per compared variant:
                                          # a: "warm", "fresh", "frozen"; b: "gan_on_gen1";
                                          # c: "shared_noise_gan", "gan_on_gen1", "regression"
                name: {
                  "label": str,           # legend text
                  "step": [int, ...],     # the recorded steps (0 .. steps)
                  "to_q":  {"median": [...], "lo": [...], "hi": [...]},   # over seeds
                  "to_p1": {"median": [...], "lo": [...], "hi": [...]},   # b, c only
                  "final_to_q": [float|null per seed],
                  "final_to_p1": [float|null per seed],                   # b, c only
                  "steps_to_threshold": [int|null per seed],  # first recorded step where the
                                          # distance to the run's target (a: q; b, c: p_1)
                                          # <= threshold; null: never
                  "diverged": [{"seed": int, "step": int}]    # NaN caught; marked, not fatal
                }
              },
              "disc_grad_var": {          # c only: total variance of D's minibatch gradient
                "start" | "end": {"independent": float, "shared": float}
              }
            }
          }
        }
      },
      "figures": {stem: str}              # every figure written -> one-line caption
    }

Bands are the 10% and 90% quantiles over the seeds that did not diverge ("lo", "hi").
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

from common.cli import nonneg_int

from numeric.outputs import rounded

__all__ = ["add_arguments", "main", "run_experiment", "settings_from_args"]

SCENARIOS = ("a", "b", "c")
TITLES = {"a": "4.1.a: a pre-trained Disc_1 for a new Gen_2",
          "b": "4.1.b: training Gen_2 on samples of Gen_1",
          "c": "4.1.c: one noise draw for Gen_1 and Gen_2"}
DEFAULTS = {"seeds": 5, "steps": 1500, "pre_steps": 3000, "polish_steps": 500}
QUICK = {"seeds": 2, "steps": 200, "pre_steps": 400, "polish_steps": 50}


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
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def settings_from_args(args):
    from common.cli import UserError

    from numeric.gan.scenarios import Settings
    sc = str(args.scenario).lower()
    if sc not in (*SCENARIOS, "all"):
        raise UserError(f"unknown scenario {args.scenario!r}; choose from a, b, c, all")
    base = QUICK if args.quick else DEFAULTS
    steps = args.steps or base["steps"]
    st = Settings(seed=args.seed, seeds=args.seeds or base["seeds"], steps=steps,
                  pre_steps=base["pre_steps"], polish_steps=base["polish_steps"],
                  record_every=max(1, steps // 100), quick=bool(args.quick))
    return st, (SCENARIOS if sc == "all" else (sc,))


def main(args) -> int:
    from numeric.outputs import staged
    st, scenarios = settings_from_args(args)
    out = Path(args.out) / "gan"
    t0 = time.perf_counter()
    with staged(args, "gan") as stage:  # every output moves into DIR/gan together, on success only
        results = run_experiment(st, scenarios, stage, quiet=args.quiet)
    for sc, r in results["scenarios"].items():
        print(f"{TITLES[sc]}: {r['verdict'].upper()}. {r['answer']}")
        for case in r["cases"].values():
            for name, run in case["runs"].items():
                for d in run["diverged"]:
                    sys.stderr.write(f"warning: {sc}/{name}: seed {d['seed']} diverged at step {d['step']} "
                                     f"(marked in results.json; the other seeds went on)\n")
    print(f"wrote {out / 'results.json'} and {len(results['figures'])} figures (PDF + PNG) "
          f"in {time.perf_counter() - t0:.1f} s")
    return 0


def _equilibrium(case, p1, d1) -> dict:
    from numeric.gan.grads import sigmoid
    x = np.linspace(case.x_range[0] - 3, case.x_range[1] + 3, 4001)
    dx = sigmoid(case.disc.logit(d1, x[None, :])[0])
    sup, qx = case.support(x), case.q_pdf(x)
    far = qx < 1e-4 * qx.max()
    out = {"dist_p1_q": float(case.distance(case.gen1, p1, case.q_target())[0]),
           "disc1_support_max_dev": float(np.max(np.abs(dx[sup] - 0.5))),
           "disc1_support_mean_dev": float(np.sum(np.abs(dx - 0.5) * qx) / np.sum(qx)),
           "disc1_far_range": [float(dx[far].min()), float(dx[far].max())],
           "far_region": f"q(x) < 1e-4 max q, x in [{x[0]:g}, {x[-1]:g}]"}
    if case.gaussian:
        out["disc1_coef"] = [float(v) for v in d1["w"][0]]
    return out


def _case_settings(case) -> dict:
    return {"q": case.q_label, "gen1": _label(case.gen1), "gen2": _label(case.gen2),
            "disc": _label(case.disc), "metric": case.metric, "metric_symbol": case.metric_symbol,
            "gen1_offset": case.offset, "threshold": case.threshold, "lr_g": case.lr_g,
            "lr_d": case.lr_d, "d_steps": case.d_steps, "batch": case.batch}


def _label(model):
    return model.label() if hasattr(model, "label") else model.name


LABELS = {"warm": "D initialised from Disc_1", "fresh": "fresh D", "frozen": "Disc_1 frozen (not trained)",
          "gan_on_gen1": "GAN on Gen_1 samples, independent noise (4.1.b)",
          "shared_noise_gan": "GAN, one noise draw for Gen_1 and Gen_2",
          "regression": "regression of Gen_2(z) on Gen_1(z)"}


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


def run_experiment(st, scenarios, out: Path, quiet: bool = True) -> dict:
    """Run the scenarios for both cases, write figures and results.json; return the results."""
    from common.cli import atomic_write, progress

    from numeric.gan import answers as gan_answers, figures as gan_figures
    from numeric.gan.cases import CASES
    from numeric.gan.scenarios import pretrain, scenario_a, scenario_b, scenario_c, summarise

    runs_per_case = 3 * ("a" in scenarios) + ("b" in scenarios or "c" in scenarios) \
        + 2 * ("c" in scenarios)
    total = len(CASES) * (st.pre_steps + st.polish_steps + runs_per_case * st.steps)
    bar = iter(progress(range(total), quiet=quiet, desc="gan", unit="step", mininterval=0.5))
    tick = lambda: next(bar, None)

    bundle, eq = {}, {}
    for name, make in CASES.items():
        case = make()
        p1, d1 = pretrain(case, st, tick)
        p1_off = case.put_off(p1)
        b = {"case": case, "p1": p1, "d1": d1, "p1_off": p1_off, "scenarios": {},
             "dist_p1_q": float(case.distance(case.gen1, p1_off, case.q_target())[0])}
        eq[name] = _equilibrium(case, p1, d1)
        if "a" in scenarios:
            b["scenarios"]["a"] = scenario_a(case, st, p1, d1, tick)
        b_run = None
        if "b" in scenarios or "c" in scenarios:
            b_run = scenario_b(case, st, p1_off, tick)
            b["scenarios"]["b"] = {"runs": {"gan_on_gen1": b_run}, "extra": {}}
        if "c" in scenarios:
            b["scenarios"]["c"] = scenario_c(case, st, p1_off, b_run, tick)
        for res in b["scenarios"].values():
            res["summaries"] = {v: summarise(r, case.threshold) for v, r in res["runs"].items()}
        bundle[name] = b
    for _ in bar:
        pass

    stems = gan_figures.write_all(bundle, scenarios, out)
    results = {"schema": "hw6.gan.results/1",
               "settings": {"seed": st.seed, "seeds": st.seeds, "steps": st.steps, "quick": st.quick,
                            "scenarios": list(scenarios), "pretrain_steps": st.pre_steps,
                            "polish_steps": st.polish_steps, "record_every": st.record_every,
                            "optimizer": "Adam(beta1=0.5, beta2=0.999, eps=1e-8); learning rates per case",
                            "generator_loss": "non-saturating, -ln D(G(z))",
                            "reading": ("(a) Disc_1, trained to equilibrium with Gen_1, initialises the discriminator "
                                        "for a fresh Gen_2; (b) Gen_1's samples replace the real data; (c) one noise "
                                        "draw z feeds both Gen_1 (as data) and Gen_2 (as fake) in every step"),
                            "cases": {n: _case_settings(b["case"]) for n, b in bundle.items()}},
               "equilibrium": eq, "scenarios": {}, "figures": {}}
    answer = {"a": gan_answers.answer_a, "b": gan_answers.answer_b, "c": gan_answers.answer_c}
    for sc in scenarios:
        per_case, cases_json = {}, {}
        for name, b in bundle.items():
            res, case = b["scenarios"][sc], b["case"]
            sums = res["summaries"]
            runs_json = {v: {"label": LABELS[v], **rounded(_run_json(s))} for v, s in sums.items()}
            cases_json[name] = {"metric": case.metric, "threshold": case.threshold, "runs": runs_json}
            pc = {"threshold": case.threshold, "metric_symbol": case.metric_symbol, "runs": runs_json,
                  "dist_p1_q": rounded(b["dist_p1_q"]), "eq": rounded(eq[name])}
            if sc == "a":
                pc["mean_curve"] = {v: rounded(float(np.nanmean(sums[v]["to_q"]["median"]))) for v in sums}
                pc["grad0"] = {v: {k: rounded(float(np.median(g))) for k, g in res["extra"][f"grad_{v}"].items()}
                               for v in ("warm", "fresh")}
            if sc == "c":
                pc["disc_grad_var"] = rounded(res["extra"]["disc_grad_var"])
                cases_json[name]["disc_grad_var"] = pc["disc_grad_var"]
            per_case[name] = pc
        verdict, text, why, nums, notes = answer[sc](per_case, st.steps)
        figs = {"a": ["gan_distance_a", "gan_disc1_equilibrium", "gan_densities"],
                "b": ["gan_distance_b", "gan_densities"], "c": ["gan_distance_c", "gan_densities"]}[sc]
        results["scenarios"][sc] = {"title": TITLES[sc], "verdict": verdict, "answer": text, "why": why,
                                    "numbers": rounded(nums), "number_notes": notes, "figures": figs,
                                    "cases": cases_json}
    results["figures"] = {s: gan_figures.CAPTIONS[s] for s in stems}
    results["equilibrium"] = rounded(eq)
    atomic_write(out / "results.json", json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    return results
