"""The VAE beyond the assignment (Problem 3) from ``DIR/vae/results.json`` (schema ``hw6.vae.results/3``).

numeric/ writes facts only (numbers, enumerated values, named conditions); every sentence of
the VAE subsection, the figure captions included, is written here, with every number through
:func:`report.tex.num`, and every finding is a predicate of :mod:`report.sections.vae_claims`:
a sentence that states it appears only when its predicate holds, else the sentence the data
support. The template is ``part3.tex``.
"""
from __future__ import annotations

from common.numfmt import estimate
from report.sections import vae_claims as claims
from report.sections.base import figure_list, unavailable
from report.tex import Tex, num, signed

__all__ = ["vae_section", "CAPTIONS", "STATES", "paragraph"]

STATES = {"trained": "after training", "init": "at initialisation"}
SLOPE = r"\gamma"        # the fitted log-log slope, as the figure's legend names it (k indexes pixels)
SHOWN = ("vae_learning_curve", "vae_gradient_variance")   # the figures the appendix prints
WORDS = {1: "one", 2: "two", 3: "three"}

CAPTIONS = {
    "vae_learning_curve": r"ELBO per image (nats) of the VAE trained with the Problem~3 gradients, on the "
                          r"training and held-out sets, at initialisation (epoch 0) and after each epoch, with fixed "
                          r"draws of $\epsilon$ ({eval_n_eps} per image).",
    "vae_gradient_variance": r"Total variance of the ELBO gradient estimate (3.b${}-{}$3.a, 3.c) on a fixed "
                             r"minibatch of {var_batch} images against the number $n_\epsilon$ of draws of $\epsilon$ "
                             r"per image, log-log, with the fitted lines $\propto n_\epsilon^{{slope}}$ (legend: the "
                             r"slope ${slope}$ and its standard error); dashed: a line of slope $-1$ (variance "
                             r"proportional to $1/n_\epsilon$), set below the data.",
}


def _math(x, digits: int = 3) -> str:
    """A number as math-mode content: ``-20.78``, ``4.6\\times 10^{-9}``."""
    return num(x, digits).strip("$")


def _slope(f: dict) -> Tex:
    """``$\\gamma=-0.978\\pm 0.015$``: :func:`common.numfmt.estimate`, as the figure's legend writes it."""
    return Tex(f"${SLOPE}={estimate(f['slope'], f['slope_se'])}$")


def _cite(refs: dict, stem: str, before: str = " (", after: str = ")") -> str:
    """``(Figure~\\ref{...})`` for a figure of this build, else nothing."""
    return f"{before}Figure~\\ref{{{refs[stem]}}}{after}" if stem in refs else ""


def _states(names) -> str:
    names = list(names)
    return "in both states" if len(names) == 2 else STATES[names[0]]


def _data(s: dict) -> Tex:
    d = s["data"]
    side = f"${d['side']}\\times {d['side']}$"
    if d["name"] == "digits":
        what = (f"scikit-learn's~\\cite{{pedregosa2011}} bundled {side} digits ({num(d['images'])} images), binarised as pixel value "
                f"$\\ge {d['binarise_at']}$ (of 0 to {d['pixel_max']})")
    else:
        what = (f"{num(d['images'])} generated {side} binary glyphs ({num(d['glyphs'])} shapes at random offsets, "
                f"{num(100 * d['flip_fraction'])}\\,\\% of the pixels flipped)")
    return Tex(f"The data are {what}: {num(d['n_train'])} training and {num(d['n_test'])} held-out images.")


def _model(res: dict) -> Tex:
    s = res["settings"]
    o = s["optimizer"]
    draws = "1 draw" if s["n_eps"] == 1 else f"{num(s['n_eps'])} draws"
    epochs = (f"set to run for {num(s['epochs'])} epochs" if claims.diverged(res)
              else f"for {num(s['epochs'])} epochs")
    return Tex(f"Encoder and decoder have one hidden $\\tanh$ layer of {num(s['hidden'])} units each and the latent "
               f"dimension is $m={s['latent']}$ ({num(s['n_params'])} parameters); training ran Adam (step size "
               f"{num(s['lr'])}, decay rates {num(o['beta1'])} and {num(o['beta2'])}), ascent on the ELBO, "
               f"on minibatches of {num(s['batch'])} images with {draws} of $\\epsilon$ per image, {epochs}.")


def _diverged(res: dict) -> Tex:
    d = res["diverged"]
    kept = "at initialisation" if d["epoch"] == 1 else f"after epoch {num(d['epoch'] - 1)}"
    return Tex(f"Training diverged in epoch {num(d['epoch'])} (step {num(d['step'])}: a value stopped being finite) "
               f"and was stopped there; every number here is from the parameters {kept}.")


def _elbo(res: dict, refs: dict) -> Tex:
    f, start = res["final"], res["curve"]["test_elbo"][0]
    facts = (f"The ELBO per image after training{_cite(refs, 'vae_learning_curve')} is "
             f"{signed(f['train_elbo'], 4)} nats on the training set and "
             f"{signed(f['test_elbo'], 4)} on the held-out set.")
    if claims.elbo_improved(res):
        return Tex(f"{facts} Training raised the held-out ELBO from {signed(start, 4)} nats at initialisation.")
    return Tex(f"{facts} Training did not raise the held-out ELBO above its value at initialisation, "
               f"{signed(start, 4)} nats.")


def _gradient(res: dict) -> Tex:
    g = res["gradient_check"]
    m = g["model"]
    model = (f"on a small model with {num(g['n_params'])} parameters: {num(m['d'])} pixels, hidden layers of "
             f"{num(m['hidden'])} units, $m={m['latent']}$, {num(m['images'])} images, {num(m['n_eps'])} draws of "
             f"$\\epsilon$ each, finite-difference step ${_math(g['h'], 1)}$")
    if claims.gradient_agrees(res):
        return Tex(f"The training gradient agrees with central finite differences to a relative error of "
                   f"{num(g['rel_err'], 2)} ({model}).")
    err = (f"the relative error is {num(g['rel_err'], 2)}, above the {num(claims.GRADIENT_TOL, 1)} taken as agreement"
           if g["rel_err"] is not None else "the relative error is not finite")
    return Tex(f"The training gradient does not agree with central finite differences: {err} ({model}).")


def _grid(ns: list) -> str:
    """The values of n_eps measured: all of them up to eight, else the first three, dots, the last."""
    shown = ", ".join(str(n) for n in ns) if len(ns) <= 8 else f"{ns[0]}, {ns[1]}, {ns[2]}, \\dots, {ns[-1]}"
    return f"$n_\\epsilon={shown}$"


def _variance(res: dict, refs: dict) -> Tex:
    s, at = res["settings"], claims.states(res)
    f = claims.fit(res, "trained")
    how = (f"{_cite(refs, 'vae_gradient_variance', '', '; ')}least-squares slope on log-log axes over "
           f"{_grid(s['var_n_eps'])}, with {num(s['var_repeats'])} estimates at each $n_\\epsilon$ on a fixed minibatch of {num(s['var_batch'])} images, after training")
    how += "".join(f"; {STATES[a]} {_slope(claims.fit(res, a))}" for a in at if a != "trained")
    if f["slope"] is None or f["slope_se"] is None:
        return Tex(f"The total variance of the gradient estimate against the number $n_\\epsilon$ of draws of $\\epsilon$ "
                   f"per image could not be fitted after training: a value is not finite ({how}).")
    if claims.variance_falls(res, "trained"):
        return Tex(f"The total variance of the gradient estimate falls in proportion to $n_\\epsilon^{{{SLOPE}}}$, {_slope(f)}, "
                   f"with $n_\\epsilon$ the number of draws of $\\epsilon$ per image ({how}).")
    return Tex(f"The total variance of the gradient estimate does not fall significantly with the number $n_\\epsilon$ of draws "
               f"of $\\epsilon$ per image: its slope is {_slope(f)} ({how}).")


def _theory(res: dict) -> Tex:
    at = claims.states(res)
    good = [a for a in at if claims.one_over_n(res, a)]
    bad = [a for a in at if a not in good]
    z = WORDS.get(claims.Z, str(num(claims.Z)))
    why = "the estimate is a mean of $n_\\epsilon$ independent terms and the KL part (3.a) is exact"
    if not bad:
        where = " in both states" if len(at) == 2 else ""
        return Tex(f"The slope ${SLOPE}$ is within {z} standard errors of $-1${where}: the data agree with the theory, by "
                   f"which the variance is exactly proportional to $1/n_\\epsilon$, since {why}.")
    also = f"; {_states(good)} it is within {z} standard errors" if good else ""
    return Tex(f"Theory predicts exactly $1/n_\\epsilon$, since {why}; the fitted slope {_states(bad)} is more than {z} "
               f"standard errors from $-1$, so this run does not show the $1/n_\\epsilon$ there{also}.")


def paragraph(res: dict, refs: dict | None = None) -> Tex:
    """The VAE's findings in prose, one sentence per fact or claim, each branch chosen by a
    predicate of :mod:`report.sections.vae_claims`; ``refs`` ({stem: label}) are the figures of
    this build, each cited where the prose discusses it."""
    refs = refs or {}
    parts = [_data(res["settings"]), _model(res)]
    if claims.diverged(res):
        parts.append(_diverged(res))
    parts += [_elbo(res, refs), _gradient(res), _variance(res, refs), _theory(res)]
    return Tex(" ".join(p for p in parts if p))


def _figures(res: dict, figures: list) -> list[dict]:
    """The figures of this build, with the captions written here."""
    s = res["settings"]
    entries = figure_list([f for f in res["figures"] if f in SHOWN], figures, {})
    for e in entries:
        e["caption"] = Tex(CAPTIONS[e["stem"]].replace("{eval_n_eps}", str(num(s["eval_n_eps"])))
                           .replace("{var_batch}", str(num(s["var_batch"]))).replace("{slope}", SLOPE))
    return entries


def vae_section(o, figures: list) -> dict:
    """The optional VAE experiment: its paragraph and figures, if it exists."""
    if o is None or o.status == "missing":
        return {"present": False, "ok": False, "why": ""}
    if not o.ok:
        return {"present": True, **unavailable(o, "VAE experiment")}
    res = o.data
    figs = _figures(res, figures)
    return {"present": True, "ok": True, "why": "", "figures": figs,
            "summary": paragraph(res, {f["stem"]: f["label"] for f in figs}),
            "c": claims.all_claims(res), "quick": res["settings"]["quick"]}
