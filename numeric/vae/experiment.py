"""``python -m numeric vae``: a small VAE trained with the Problem 3 gradients (issue 6).

A one-hidden-layer tanh MLP encoder gives mu and ln s, a one-hidden-layer tanh MLP decoder
gives logits with pi = sigmoid(a) (Kingma and Welling 2014, App. C). The training gradient is
3.b - 3.a (phi) and 3.c (theta), computed by the unchanged functions of
:mod:`numeric.elbo` with the network products g^T v supplied by backpropagation
through the per-layer rules of ``derive.elbo.layers`` (see :mod:`numeric.vae.model`). Data:
binarised 8x8 digits from scikit-learn, or a generated set of glyphs without it
(:mod:`numeric.vae.data`).

It reports: the gradient against central finite differences on a small model, the ELBO
learning curve (training and held-out), the total variance of the gradient estimate as
n_eps grows with the fitted log-log slope (theory: -1).

Output: ``DIR/vae/results.json`` (byte-identical for the same arguments; no timings inside)
and figures under ``DIR/vae/`` (``.pdf``, vector, and ``.png``).

results.json schema (``"schema": "hw6.vae.results/3"``)
-------------------------------------------------------
The JSON Schema is ``numeric/vae/schema.json``. Facts only: numbers, enumerated values and
named conditions; no sentence (the writeup, ``report/sections/vae.py``, words them, the
figure captions included). Floats are rounded to 6 significant digits; a number that is not
finite is ``null``. Figure names are file stems relative to ``DIR/vae/``; append ``.pdf`` or
``.png``. Changes: ``/2`` added ``diverged``. ``/3`` removed every sentence of ``/2``
(``summary``, the captions in ``figures``, which is now a list of stems, the ``label`` of a
variance state) and describes by facts what ``/2`` described in words: ``settings.optimizer``,
``settings.data`` (``description``) and ``gradient_check.model``. Every number is as in ``/2``.

::

    {
      "schema": "hw6.vae.results/3",
      "settings": {
        "seed": int, "epochs": int, "batch": int, "n_eps": int,   # n_eps: draws of eps per image
        "hidden": int, "latent": int, "lr": float,                # in training
        "eval_n_eps": int,            # draws per image for the reported ELBO (fixed draws)
        "var_n_eps": [int, ...],      # the n of the variance measurement
        "var_repeats": int,           # gradient draws per n
        "var_batch": int,             # images in the fixed minibatch of the variance
        "quick": bool,
        "optimizer": {"name": "adam", "beta1": float, "beta2": float, "eps": float},  # ascent on the ELBO
        "n_params": int, "n_phi": int, "n_theta": int,
        "data": {"name": "digits", "images": int, "side": int, "pixel_max": int, "binarise_at": int,
                 "n_train": int, "n_test": int, "d": int}        # pixel values 0..pixel_max, x = pixel >= binarise_at
              | {"name": "shapes", "images": int, "side": int, "glyphs": int, "flip_fraction": float,
                 "n_train": int, "n_test": int, "d": int}        # glyphs at random offsets, pixels flipped
      },
      "gradient_check": {                       # the training gradient vs central differences
        "model": {"d": int, "hidden": int, "latent": int, "images": int, "n_eps": int},  # a small VAE
        "n_params": int, "h": float, "rel_err": float | null, "max_abs_err": float | null
      },
      "curve": {"epoch": [int], "train_elbo": [float], "test_elbo": [float],   # nats per image
                "test_rec": [float], "test_kl": [float],            # held-out R and KL
                "minibatch_elbo": [float | null]},                  # epoch mean of the estimates (null at 0)
      "final": {"train_elbo", "test_elbo", "test_rec", "test_kl", "best_test_elbo": float, "best_epoch": int},
      "diverged": null | {"epoch": int, "step": int},   # training stopped: a value was not finite;
                                                        # the curve ends at the last finite epoch
      "variance": {"at": {"trained" | "init": {          # after training; at initialisation (not --quick)
                     "n_eps": [int], "total": [float], "phi": [float], "theta": [float], "grad_norm": [float],
                     "fit": {"total" | "phi" | "theta": {"slope", "slope_se", "intercept": float}}}}},
                                                        # least squares, ln v = intercept + slope ln n
      "figures": [stem, ...]    # every figure written: "vae_learning_curve", "vae_gradient_variance"
    }
"""
from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np

from common.cli import nonneg_int

from numeric.outputs import rounded

__all__ = ["add_arguments", "check", "main", "memory_needed", "run_experiment", "settings_from_args",
           "gradient_check", "print_summary", "SCHEMA"]

SCHEMA = "hw6.vae.results/3"
DEFAULTS = {"epochs": 300, "var_repeats": 200, "var_at": ("init", "trained"), "eval_n_eps": 8}
PIXELS, MAX_IMAGES = 64, 1800  # 8x8 images; the larger data set (shapes: 1800, digits: 1797)
QUICK = {"epochs": 12, "var_repeats": 30, "var_at": ("trained",), "eval_n_eps": 4}


def add_arguments(parser) -> None:
    from common.cli import positive_float, positive_int

    from numeric.vae.data import CHOICES
    parser.add_argument("--seed", type=nonneg_int, default=0, help="random seed, >= 0 (default 0)")
    parser.add_argument("--out", default="build", help="output folder; results go to OUT/vae/ (default build)")
    parser.add_argument("--quick", action="store_true", help="a small run (< 10 s) for tests and drafts")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--epochs", type=positive_int, default=None,
                        help=f"training epochs (default {DEFAULTS['epochs']}; --quick {QUICK['epochs']})")
    parser.add_argument("--n-eps", type=positive_int, default=1, dest="n_eps",
                        help="samples of eps per data point in the training gradient (default 1)")
    parser.add_argument("--batch", type=positive_int, default=64, help="minibatch size (default 64)")
    parser.add_argument("--latent", type=positive_int, default=4, help="latent dimension m (default 4)")
    parser.add_argument("--hidden", type=positive_int, default=64, help="hidden units per network (default 64)")
    parser.add_argument("--lr", type=positive_float, default=2e-3, help="Adam step size (default 0.002)")
    parser.add_argument("--var-repeats", type=positive_int, default=None, dest="var_repeats",
                        help=f"gradient draws per n_eps for the variance (default {DEFAULTS['var_repeats']}; "
                             f"--quick {QUICK['var_repeats']})")
    parser.add_argument("--data", default="auto", choices=CHOICES,
                        help="digits (scikit-learn), shapes (generated), or auto: digits if "
                             "scikit-learn is installed (default auto)")


def memory_needed(st, images: int) -> int:
    """An upper estimate of the bytes held at once, with P = H (2 d + 3 m + 2) + 2 m + d
    parameters (d = 64 pixels, H hidden, m latent): the parameters, Adam's moments and the
    gradients (6 P), the ``var_repeats`` gradients of the variance and their spread (2 P
    each), the activations of the widest batch (4 H + m + d per image and draw of eps: a
    training step's ``n_eps x batch``, the variance's 64 x ``var_batch`` or the evaluation's
    ``eval_n_eps x images``), all in doubles; plus 256 MiB for the rest."""
    d, H, m = PIXELS, st.hidden, st.latent
    params = H * (2 * d + 3 * m + 2) + 2 * m + d
    rows = max(st.n_eps * st.batch, max(st.var_n_eps) * st.var_batch, st.eval_n_eps * images)
    return 8 * ((6 + 2 * st.var_repeats) * params + rows * (4 * H + m + d)) + 2 ** 28


def check(args) -> None:
    """Refuse bad options (UserError) as :func:`main` would, before it runs."""
    _checked(args)


def settings_from_args(args):
    from common.cli import UserError
    from numeric.memory import check_memory
    from numeric.vae.train import Settings
    base = QUICK if args.quick else DEFAULTS
    st = Settings(seed=args.seed, epochs=args.epochs or base["epochs"], batch=args.batch, n_eps=args.n_eps,
                  hidden=args.hidden, latent=args.latent, lr=args.lr, eval_n_eps=base["eval_n_eps"],
                  var_repeats=args.var_repeats or base["var_repeats"], quick=bool(args.quick))
    if st.var_repeats < 2:
        raise UserError("--var-repeats must be at least 2 (a variance needs two draws)")
    check_memory(memory_needed(st, MAX_IMAGES), f"--hidden {st.hidden}, --latent {st.latent}, --n-eps {st.n_eps}, "
                                                f"--batch {st.batch}, --var-repeats {st.var_repeats}")
    return st, base["var_at"]


def _checked(args):
    """(Settings, var_at, Data): the options checked against the data set too."""
    from common.cli import UserError
    from numeric.vae import data as vae_data
    st, var_at = settings_from_args(args)
    data = vae_data.load(args.data)
    if st.batch > len(data.train):
        raise UserError(f"--batch {st.batch} exceeds the {len(data.train)} training images")
    return st, var_at, data


def main(args) -> int:
    from numeric.outputs import staged
    st, var_at, data = _checked(args)
    out = Path(args.out) / "vae"
    t0 = time.perf_counter()
    with _one_blas_thread(), staged(args, "vae") as stage:  # outputs move into DIR/vae on success only
        results = run_experiment(st, data, stage, var_at=var_at, quiet=args.quiet)
    print_summary(results, sys.stdout)
    if results["diverged"]:
        d = results["diverged"]
        sys.stderr.write(f"warning: training diverged in epoch {d['epoch']} (step {d['step']}) with --lr {st.lr:g}; "
                         f"stopped there and kept the parameters after epoch {d['epoch'] - 1} (marked in results.json)\n")
    print(f"wrote {out / 'results.json'} and {len(results['figures'])} figures (PDF + PNG) "
          f"in {time.perf_counter() - t0:.1f} s")
    return 0


def _one_blas_thread():
    """Small matrices: BLAS threads only add contention on a shared machine (same wall
    time, half the CPU here). threadpoolctl comes with scikit-learn; without it, no limit."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        from contextlib import nullcontext
        return nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def gradient_check(x, seed: int, hidden: int = 5, latent: int = 2, n_eps: int = 3, h: float = 1e-6) -> dict:
    """The training gradient (:func:`numeric.vae.model.elbo_grad`) of a small VAE on the
    images ``x`` against central differences of the ELBO estimate with the same eps draws."""
    from numeric.vae.model import VAE, Shapes, elbo_grad, elbo_value
    rng = np.random.default_rng([seed, 7])
    model = VAE(Shapes(x.shape[1], hidden, latent))
    w = model.init(rng, x.mean(0)) + rng.normal(scale=0.3, size=model.n_params)
    eps = rng.normal(size=(n_eps, len(x), latent))
    g = elbo_grad(model, w, x, eps)[1]
    fd = np.empty_like(w)
    for k in range(w.size):
        e = np.zeros_like(w)
        e[k] = h
        fd[k] = (elbo_value(model, w + e, x, eps)[0] - elbo_value(model, w - e, x, eps)[0]) / (2 * h)
    return {"model": {"d": int(x.shape[1]), "hidden": hidden, "latent": latent, "images": len(x), "n_eps": n_eps},
            "n_params": model.n_params, "h": h, "rel_err": float(np.linalg.norm(g - fd) / np.linalg.norm(fd)),
            "max_abs_err": float(np.max(np.abs(g - fd)))}


def _variance(model, w, x, st, rng, tick) -> dict:
    from numeric.vae.train import fit_loglog, gradient_variance
    v = gradient_variance(model, w, x, st.var_n_eps, st.var_repeats, rng, tick)
    v["fit"] = {k: fit_loglog(v["n_eps"], v[k]) for k in ("total", "phi", "theta")}
    return v


def print_summary(res: dict, fh) -> None:
    """The run's main numbers on the terminal (:func:`common.numfmt.text`; the slope as in the
    writeup and the figure, :func:`numeric.vae.figures.estimate`); the writeup's
    sentences are written in ``report/sections/vae.py``."""
    from common.numfmt import text as t
    from numeric.vae.figures import estimate
    f, gc = res["final"], res["gradient_check"]
    fh.write(f"ELBO per image (nats): training {t(f['train_elbo'], 4)}, held-out {t(f['test_elbo'], 4)} "
             f"(best held-out {t(f['best_test_elbo'], 4)} at epoch {f['best_epoch']})\n")
    fh.write(f"gradient vs central differences: relative error {t(gc['rel_err'], 2)} ({gc['n_params']} parameters)\n")
    for at, v in res["variance"]["at"].items():
        fit = v["fit"]["total"]
        slope = estimate(fit["slope"], fit["slope_se"]).replace("\\pm ", " ± ")
        fh.write(f"total gradient variance ({at}): slope {slope} "
                 f"on log-log axes over n_eps = {v['n_eps'][0]}..{v['n_eps'][-1]} (theory: -1)\n")


def run_experiment(st, data, out: Path, var_at=("init", "trained"), quiet: bool = True) -> dict:
    """Gradient check, training, variance, figures and results.json; returns the results."""
    from common.cli import atomic_write, progress

    from numeric.vae import figures as vae_figures
    from numeric.vae.model import VAE, Shapes
    from numeric.vae.train import ADAM, train

    total = st.epochs + len(var_at) * len(st.var_n_eps)
    bar = iter(progress(range(total), quiet=quiet, desc="vae", unit="step", mininterval=0.5))
    tick = lambda: next(bar, None)

    gc = gradient_check(data.train[:6], st.seed)
    rng = np.random.default_rng(st.seed)
    model = VAE(Shapes(data.train.shape[1], st.hidden, st.latent))
    w0 = model.init(rng, data.train.mean(0))
    var_x = data.train[np.random.default_rng([st.seed, 2]).choice(len(data.train), st.var_batch, replace=False)]
    variance = {}
    if "init" in var_at:
        variance["init"] = _variance(model, w0, var_x, st, np.random.default_rng([st.seed, 3]), tick)
    w, curve, diverged = train(model, w0, data.train, data.test, st, rng, tick)
    variance["trained"] = _variance(model, w, var_x, st, np.random.default_rng([st.seed, 4]), tick)
    variance = {k: variance[k] for k in ("trained", "init") if k in variance}
    for _ in bar:
        pass

    best = int(np.argmax(curve["test_elbo"]))
    stems = vae_figures.write_all(curve, {"at": rounded(variance)}, out)

    results = {
        "schema": SCHEMA,
        "settings": {**{k: v for k, v in asdict(st).items()}, "var_n_eps": list(st.var_n_eps),
                     "optimizer": dict(ADAM),
                     "n_params": model.n_params, "n_phi": model.n_phi, "n_theta": model.n_theta,
                     "data": {"name": data.name, **data.facts, "n_train": len(data.train),
                              "n_test": len(data.test), "d": int(data.train.shape[1])}},
        "gradient_check": gc,
        "curve": curve,
        "final": {"train_elbo": curve["train_elbo"][-1], "test_elbo": curve["test_elbo"][-1],
                  "test_rec": curve["test_rec"][-1], "test_kl": curve["test_kl"][-1], "best_test_elbo": curve["test_elbo"][best],
                  "best_epoch": curve["epoch"][best]},
        "variance": {"at": variance},
        "diverged": diverged,
        "figures": stems,
    }
    results = rounded(results)
    atomic_write(out / "results.json", json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    return results
