"""``python -m numeric gan``: the three GAN thought experiments of Problem 4, run.

Reading of the missing figures (design.md): (a) Disc_1, trained to equilibrium with Gen_1,
initialises the discriminator of a fresh Gen_2 of another architecture; (b) samples of Gen_1
replace the real data; (c) one noise draw z feeds Gen_1 (as "data") and Gen_2 (as "fake") in
every step. Two cases: ``gaussian`` (q = N(mu_q, sigma_q^2), affine generators, quadratic-logistic
discriminator, so D* = sigma(c0 + c1 x + c2 x^2) is representable and the theory is exact) and
``mixture`` (q a two-component Gaussian mixture, one-hidden-layer tanh MLPs). Every gradient
comes from a lambdified derivation of ``derive.gan`` (see ``numeric.gan_models``).

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
        "batch": int, "d_steps": int,     # discriminator updates per generator update
        "optimizer": str,                 # e.g. "Adam(lr_g=..., lr_d=..., beta1=0.5, beta2=0.999)"
        "record_every": int,              # curves hold one point every record_every steps
        "cases": {
          "gaussian" | "mixture": {
            "q": str,                     # human-readable, e.g. "N(1, 0.5^2)"
            "gen1": str, "gen2": str, "disc": str,   # architectures, human-readable
            "metric": str,                # e.g. "KL(p || q), exact Gaussian formula" or
                                          # "W1 (1-D Wasserstein) by quantile quadrature"
            "metric_symbol": str,         # "KL" or "W1"
            "gen1_offset": str            # how Gen_1 was put off q on purpose for (b), (c)
          }
        }
      },
      "equilibrium": {                   # (Gen_1, Disc_1) trained on q: scenario (a)'s start
        "gaussian" | "mixture": {
          "dist_p1_q": float,             # metric(p_1, q) after pretraining
          "disc1_support_max_dev": float, # max |Disc_1(x) - 1/2| over the central 95% of q
          "disc1_support_mean_dev": float,# mean of |Disc_1 - 1/2| under q
          "disc1_far_range": [lo, hi],    # min, max of Disc_1 over x far from q's support
          "disc1_coef": [c0, c1, c2]      # gaussian case only: Disc_1's logit coefficients
        }
      },
      "scenarios": {
        "a" | "b" | "c": {
          "title": str,                   # e.g. "4.1.a: warm-started Disc_1 vs a fresh discriminator"
          "verdict": "yes" | "no" | "partly",
          "answer": str,                  # 2-5 sentences of plain text (UTF-8, no LaTeX markup;
                                          # escape it for LaTeX), numbers taken from this run
          "why": str,                     # the theoretical reason in one or two sentences
          "numbers": {name: float|int|null},   # every number the answer cites, by name
          "number_notes": {name: str},         # one line per number: what it is
          "figures": [stem, ...],         # figures that support this answer
          "cases": {
            "gaussian" | "mixture": {
              "metric": str,              # as in settings.cases
              "runs": {                   # one entry per compared variant, e.g.
                                          # a: "warm", "fresh"; b: "gan_on_gen1";
                                          # c: "shared_noise_gan", "regression", "gan_on_gen1"
                name: {
                  "label": str,           # legend text
                  "step": [int, ...],     # the recorded steps (0 .. steps)
                  "to_q":  {"median": [...], "lo": [...], "hi": [...]},   # over seeds
                  "to_p1": {"median": [...], "lo": [...], "hi": [...]},   # b, c only
                  "final_to_q": [float|null per seed],
                  "final_to_p1": [float|null per seed],                   # b, c only
                  "steps_to_threshold": [int|null per seed],  # first recorded step where
                                          # the distance to the run's target <= threshold
                  "diverged": [{"seed": int, "step": int}]    # NaN caught; marked, not fatal
                }
              },
              "threshold": float          # the threshold used by steps_to_threshold
            }
          }
        }
      },
      "figures": {stem: str}              # every figure written -> one-line caption
    }

Bands are the 10% and 90% quantiles over the seeds that did not diverge ("lo", "hi").
"""
from __future__ import annotations

__all__ = ["add_arguments", "main"]


def add_arguments(parser) -> None:
    from derive.cli import positive_int
    parser.add_argument("--scenario", default="all", help="a, b, c or all (default: all)")
    parser.add_argument("--seeds", type=positive_int, default=5, help="seeds per variant")
    parser.add_argument("--seed", type=int, default=0, help="base random seed")
    parser.add_argument("--steps", type=positive_int, default=None, help="generator steps")
    parser.add_argument("--out", default="build", help="output folder (default: build)")
    parser.add_argument("--quick", action="store_true", help="small run for tests and drafts")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def main(args) -> int:
    from derive.cli import UserError
    raise UserError("the GAN experiment is not implemented yet")
