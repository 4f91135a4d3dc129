"""Problem 1 from ``DIR/sgd/results.json`` (schema ``hw6.sgd.results/6``): the tables and every
sentence of 1.a and 1.b, each finding under its predicate (:mod:`report.sections.sgd_claims`).

numeric/ writes facts only; :mod:`report.sections.sgd_results` reads them into typed values, and
this module words them: :func:`sgd_section` returns a :class:`Section` whose fields the templates
(``sgd_a.tex``, ``sgd_b.tex``, ``summary.tex``, ``appendix.tex``) print as they are. Every
comparison of two configurations follows the one rule of the writeup's conventions
(:func:`report.sections.sgd_claims.compare`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from common import numfmt
from report.sections import sgd_claims as claims
from report.sections.base import figure_list, unavailable
from report.sections.sgd_results import Cell, Level, Results, Row, read
from report.tex import Tex, escape, integer, num

__all__ = ["sgd_section", "Section", "SAMPLING", "Table1Row", "TolRow", "HbRow", "CAPTIONS", "epochs", "cell", "at_list",
           "where",
           "words", "alpha", "F_STAR_DIGITS", "EDGE_NAMES"]

F_STAR_DIGITS = 6  # F* as printed (results.json keeps it at full double precision)
SAMPLING = {"shuffle-each-epoch": "without replacement, a fresh shuffle every epoch"}   # settings.sampling
METHOD_NAMES = {"sgd": "SGD", "hb": "heavy ball", "dec": "the decreasing step"}
EVERY_MB = "every $n'<n$"
EDGE_NAMES = {"step": "step size", "momentum": r"momentum $\beta$", "decay": r"decay time $\tau_0$"}

CAPTIONS = {
    "sgd_curves": Tex(r"Learning curves, one panel per batch size, all on the same logarithmic axes: the relative "
                      r"gap $\Delta_t$ against epochs $\tau=tn'/n$ for constant-step SGD (solid), the tuned heavy ball "
                      r"(dashed) and the decreasing step (dash-dotted). Lines: the median over the seeds (a seed whose "
                      r"run had stopped counts with its last gap); bands: from the smallest to the largest seed; thin black "
                      r"lines: the tolerances $\delta$ of Table~\ref{tab:sgd-tol}. Where the tails of the curves "
                      r"tangle, Table~\ref{tab:sgd-noise} gives each tail's level over the seeds. A curve ends where the last of its seeds "
                      r"stopped: a run stops once its gap has stayed at or below {low} for the confirmation window, or "
                      r"after {budget} epochs (GD runs longer, for the fit of its rate). Where heavy ball's curve lies on "
                      r"SGD's, SGD's wider line shows at its edges."),
}


def epochs(x, gd: bool = False) -> Tex:
    """Epochs as printed everywhere in Problem 1: one decimal (the runs check $F$ five times an
    epoch); GD's iterations (``gd``) are whole numbers and print without decimals.

    >>> epochs(30.0), epochs(29.44), epochs(None), epochs(56.0, gd=True)
    ('30.0', '29.4', '--', '56')
    """
    return Tex("--") if x is None else Tex(f"{x:.0f}" if gd else f"{x:.1f}")


def alpha(x, beta: float | None = None) -> Tex:
    """A step size in the one number format (:mod:`common.numfmt`: plain decimals from 0.01 to
    1000, scientific notation outside), with 3 significant digits, trailing zeros kept; with a
    momentum ``beta``, as many more digits as make alpha/(1 - beta) of the printed alpha print as
    the effective step itself (:func:`effective`), so that a reader's division reproduces the table.

    >>> str(alpha(0.0155048)), str(alpha(15.877)), str(alpha(1.4)), str(alpha(0.00194))
    ('0.0155', '15.9', '1.40', '$1.94\\\\times 10^{-3}$')
    >>> str(alpha(22.4696, 0.5)), str(effective(22.4696, 0.5))  # 22.5 / 0.5 would print 45.0
    ('22.47', '44.9')
    """
    if x is None:
        return Tex("--")
    digits = 3
    if beta is not None and beta < 1:
        target = numfmt.latex(x / (1 - beta), 3, zeros=True)
        while digits < 8 and numfmt.latex(float(f"{x:.{digits - 1}e}") / (1 - beta), 3, zeros=True) != target:
            digits += 1
    return Tex(numfmt.latex(x, digits, zeros=True))


def effective(x, beta: float) -> Tex:
    """Heavy ball's effective step alpha/(1 - beta), as :func:`alpha` prints a step."""
    return Tex("--") if x is None or beta is None else alpha(x / (1 - beta))


def mnum(x, *args, **kw) -> Tex:
    """:func:`report.tex.num` as math-mode content (no dollars), for a number inside ``$...$``."""
    return Tex(str(num(x, *args, **kw)).strip("$"))


def cell(lv: Level | None, gd: bool = False) -> Tex:
    """``median [min, max]`` (range left out where all seeds agree), ``(k/seeds)`` where not all
    converged, ``none (0/seeds)`` where none did; GD's iterations as whole numbers (``gd``)."""
    if lv is None:
        return Tex("--")
    if lv.median is None:
        return Tex(f"none (0/{lv.seeds})")
    out = str(epochs(lv.median, gd))
    if lv.lo is not None and lv.hi is not None and lv.lo != lv.hi:
        out += f" {{\\scriptsize[{epochs(lv.lo, gd)}, {epochs(lv.hi, gd)}]}}"
    if lv.converged < lv.seeds:
        out += f" ({lv.converged}/{lv.seeds})"
    return Tex(out)


def words(items: list) -> Tex:
    """``a``, ``a and b``, ``a, b and c``."""
    items = [str(i) for i in items]
    if len(items) <= 2:
        return Tex(" and ".join(items))
    return Tex(", ".join(items[:-1]) + " and " + items[-1])


def _nprime(row: Row) -> str:
    return "n" if row.is_gd else str(num(row.batch))


def at_list(rows) -> Tex:
    """``$n'=1$``, ``$n'=1$ and $10$``, ``$n'=1$, $10$ and $n$`` (GD last, as n' = n)."""
    rows = list(rows)
    if not rows:
        return Tex("")
    items = [f"${_nprime(r)}$" for r in rows]
    items[0] = "$n'=" + items[0][1:]
    return words(items)


def where(rows, cap: bool = False) -> Tex:
    """Where something holds, as a phrase: ``at $n'=1$ and $10$``, ``for GD``, ``at $n'=1000$ and
    for GD`` (``cap``: at the start of a sentence).

    >>> class R:
    ...     def __init__(self, b, gd=False): self.batch, self.is_gd = b, gd
    >>> str(where([R(1), R(10)])), str(where([R(10000, True)], cap=True)), str(where([R(1000), R(10000, True)]))
    ("at $n'=1$ and $10$", 'For GD', "at $n'=1000$ and for GD")
    """
    rows = list(rows)
    mb = [r for r in rows if not r.is_gd]
    out = f"at {at_list(mb)}" if mb else ""
    if len(mb) < len(rows):
        out += " and for GD" if mb else "for GD"
    return Tex(out[:1].upper() + out[1:] if cap else out)


def _tol(x: float) -> Tex:
    """A tolerance as math content: ``10^{-3}`` for a power of ten, else :func:`num`."""
    k = math.log10(x)
    return Tex(f"10^{{{int(round(k))}}}") if abs(k - round(k)) < 1e-9 else mnum(x)


def _tols(ts) -> Tex:
    return words([f"${_tol(t)}$" for t in ts])


@dataclass(frozen=True)
class Table1Row:
    label: Tex
    sgd_alpha: Tex
    sgd: Tex
    hb_alpha: Tex
    hb_beta: Tex
    hb: Tex
    dec_alpha: Tex
    dec_t0: Tex
    dec: Tex


@dataclass(frozen=True)
class TolRow:
    label: Tex
    cells: tuple[Tex, ...]      # (sgd, hb, dec) at each tolerance other than the tuning one


@dataclass(frozen=True)
class HbRow:
    label: Tex
    sgd: Tex
    hbeff: Tex
    hbeff_beta: Tex
    sgdhb: Tex
    sgdhb_alpha: Tex
    hb: Tex
    speedup: Tex


@dataclass(frozen=True)
class Section:
    """What the templates print for Problem 1 (every field LaTeX or a list of it)."""

    ok: bool
    why: Tex = Tex("")
    quick: bool = False
    setting: Tex = Tex("")
    protocol: tuple = ()                 # (name, value) rows of the protocol table (appendix)
    table1: tuple[Table1Row, ...] = ()
    other_tols: tuple[Tex, ...] = ()     # the tolerances of Table 2 (math content)
    tol_rows: tuple[TolRow, ...] = ()
    tol_heads: tuple[Tex, ...] = ()      # the method columns of Table 2 at each tolerance
    hb_rows: tuple[HbRow, ...] = ()
    floor_text: Tex = Tex("")
    epochs_text: Tex = Tex("")
    tuning_text: Tex = Tex("")
    noise_text: Tex = Tex("")
    noise_cols: tuple = ()               # (n', B_eff, B_simple/B_eff) per minibatch size
    noise_ends: tuple = ()               # B_simple at w0 and near the tuning tolerance
    full_batch_text: Tex = Tex("")
    curves_text: Tex = Tex("")
    momentum_text: Tex = Tex("")
    hbdec_text: Tex = Tex("")            # heavy ball with the decreasing step (its own paragraph)
    answer_a: Tex = Tex("")
    answer_b: Tex = Tex("")
    lessard_text: Tex = Tex("")
    tol: Tex = Tex("")                   # the tuning tolerance, math-mode content
    window: Tex = Tex("")                # the confirmation window of "converged", in words
    figs: list = field(default_factory=list)

    def get(self, key: str, default=None):
        """Dict-style access for the pipeline's generic checks (``bug`` is never set here)."""
        return getattr(self, key, default)

    def __getitem__(self, key: str):
        return getattr(self, key)


# --- the setting and the protocol --------------------------------------------------------------

def _setting(res: Results) -> Tex:
    st, pr = res.settings, res.problem
    if st.data != "synthetic":
        data = f"the {num(st.n)} rows and {num(st.d)} features of \\texttt{{{escape(st.data)}}}"
    else:
        labels = "labels drawn from a logistic model" if st.objective == "logistic" else \
            "responses of a linear model with Gaussian noise"
        data = (f"{num(st.n)} synthetic samples with {num(st.d)} Gaussian features whose covariance has condition "
                f"number {num(st.cond)}, and {labels}")
    out = f"The data are {data}; $\\lambda={mnum(st.l2)}$."
    if res.degenerate == "w0-optimal":
        return Tex(out + r" Here $F(w_0)=F^\star$ to rounding: the starting point $w_0=0$ is already optimal, so "
                         r"there is nothing to optimise and no run was made.")
    if res.degenerate:
        return Tex(out + " Here the objective or its constants are not finite in double precision, so no run was made.")
    return Tex(out + f" $F$ is $L$-smooth and $c$-strongly convex (the letters of Bottou, Curtis and "
                     f"Nocedal~\\cite{{bottou2018}}) with $L={mnum(pr.L)}$, $c={mnum(pr.mu)}$, "
                     f"$\\kappa=L/c={mnum(pr.kappa)}$ (Appendix~\\ref{{app:sgd-derivations}}); at the minimiser "
                     f"$w^\\star$ the Hessian's extreme eigenvalues are $L_{{\\mathrm{{loc}}}}={mnum(pr.L_local)}$ and "
                     f"$c_{{\\mathrm{{loc}}}}={mnum(pr.mu_local)}$ ($\\kappa_{{\\mathrm{{loc}}}}={mnum(pr.kappa_local)}$), "
                     f"and $F^\\star={mnum(pr.f_star, F_STAR_DIGITS)}$ (Newton's method). Each configuration ran on "
                     f"{num(st.seeds)} seeds after its step size (and momentum) had been tuned for "
                     f"$\\delta={_tol(st.tol)}$ on {num(st.tune_seeds)} other seeds (Appendix~\\ref{{app:protocol}}); "
                     f"$\\alpha_{{\\mathrm{{SGD}}}}$ is the tuned constant step of SGD (GD) at each $n'$."
                     + (" GD is deterministic ($w_0=0$ and the full gradient): its seeds are one run, so for GD we "
                        "report that run, and a difference of GD's counts only where it is at least the tuning's "
                        "observed miss (Section~\\ref{sec:1a})." if claims.gd_one_run(res) else ""))


def _grid_words(values, fmt=lambda v: str(num(v))) -> str:
    return ", ".join(fmt(v) for v in values)


def _protocol(res: Results) -> tuple:
    st = res.settings
    grid = sorted(st.alpha_grid)
    half = lambda k: f"2^{{{k / 2:g}}}"
    rows = [
        ("sampling", f"{SAMPLING[st.sampling]}; $w_0=0$"),
        ("checks of $F$", f"every $\\max(1,\\lfloor n/({st.checks_per_epoch}n')\\rfloor)$ steps "
                          f"({st.checks_per_epoch} per epoch; every step where an epoch has fewer)"),
        ("convergence at $\\delta$", f"the first check from which $\\Delta_t\\le\\delta$ holds for "
                                     f"$\\max({num(st.window_epochs)}$ epochs, {num(100 * st.window_fraction)}\\,\\% "
                                     f"of the steps so far$)$"),
        ("budget", f"{num(st.max_epochs)} epochs per run"),
        ("seeds", f"{num(st.seeds)} for evaluation (base seed {num(st.seed)}), {num(st.tune_seeds)} other ones for tuning"),
        ("tuning criterion", f"fewest epochs to $\\delta={_tol(st.tol)}$ on the worst tuning seed, ties to the smaller "
                             "step; each sweep from large to small steps, stopped two grid points after its best"),
        ("SGD, GD step", f"$\\alpha L\\in\\{{{half(math.log2(grid[-1]) * 2)},\\dots,{half(math.log2(grid[0]) * 2)}\\}}$, "
                         f"{len(grid)} values a half octave ($\\times\\sqrt2$) apart"),
        ("heavy ball", f"$\\beta\\in\\{{{_grid_words(st.beta_grid)}\\}}$ (and Polyak's $\\beta^\\star$ for GD); "
                       f"$\\alpha/(1-\\beta)=\\alpha_{{\\mathrm{{SGD}}}}\\cdot{half(st.hb_offsets[1])},\\dots,"
                       f"\\alpha_{{\\mathrm{{SGD}}}}\\cdot{half(st.hb_offsets[0])}$, a half octave apart"),
        ("decreasing step", f"$\\alpha_t=\\alpha_0/(1+\\tau/\\tau_0)$, $\\tau_0\\in\\{{{_grid_words(st.t0_epochs)}\\}}$ epochs, "
                            f"$\\alpha_0=\\alpha_{{\\mathrm{{SGD}}}}\\cdot{half(st.dec_offsets[1])},\\dots,"
                            f"\\alpha_{{\\mathrm{{SGD}}}}\\cdot{half(st.dec_offsets[0])}$, a half octave apart"),
        ("tuning runs", f"stopped once they cannot beat the best so far, or when their lowest gap improved by less "
                        f"than {num(100 * st.plateau_improvement)}\\,\\% in {num(st.plateau_epochs)} epochs"),
    ]
    return tuple((Tex(a), Tex(b)) for a, b in rows)


# --- tables ----------------------------------------------------------------------------------

def _label(r: Row) -> Tex:
    return Tex("GD") if r.is_gd else num(r.batch)


def _table1(res: Results) -> tuple:
    """One row per batch size; for GD also heavy ball at Polyak's (alpha*, beta*), in the heavy-ball
    columns (the number the full-batch paragraph quotes, with the same digits: no effective step is
    printed for it). A tuned heavy ball's alpha has the digits that reproduce its effective step."""
    rows = [Table1Row(_label(r), alpha(r.sgd.alpha), cell(r.sgd.main, r.is_gd), alpha(r.hb.alpha, r.hb.beta), num(r.hb.beta),
                      cell(r.hb.main, r.is_gd), alpha(r.dec.alpha), num(r.dec.t0_epochs), cell(r.dec.main, r.is_gd))
            for r in res.rows]
    g, dash = res.gd, Tex("--")
    if g and g.polyak:
        rows.append(Table1Row(Tex("Polyak"), dash, dash, alpha(g.polyak.alpha),
                              num(g.polyak.beta), cell(g.polyak.main, True), dash, dash, dash))
    return tuple(rows)


def _other_tols(res: Results) -> list[float]:
    return [t for t in res.settings.tolerances if abs(t / res.settings.tol - 1) > 1e-9]


TOL_HEADS = {"sgd": "SGD (GD)", "hb": "heavy ball", "dec": "decreasing", "hbdec": "h.b., decr."}


def _tol_methods(res: Results) -> tuple:
    """The columns of Table 2 at each tolerance: SGD, heavy ball, the decreasing step, and heavy
    ball with the decreasing step where the results have its runs (1.b quotes them)."""
    return claims_methods() + (("hbdec",) if any(r.hbdec for r in res.rows) else ())


def _tol_rows(res: Results) -> tuple:
    ms = _tol_methods(res)
    return tuple(TolRow(_label(r), tuple(cell(c.at(t), r.is_gd) if (c := getattr(r, m)) else Tex("--")
                                         for t in _other_tols(res) for m in ms))
                 for r in res.rows)


def claims_methods() -> tuple:
    return ("sgd", "hb", "dec")


def _speedup(r: Row) -> Tex:
    """SGD's median epochs over the tuned heavy ball's, or ``--`` where the seeds do not
    resolve a difference."""
    if claims.compare(r.sgd.main, r.hb.main) not in ("below", "above"):
        return Tex("--")
    return num(r.sgd.main.median / r.hb.main.median, 3, zeros=True)


def _hb_rows(res: Results) -> tuple:
    out = []
    for r in res.rows:
        e = r.hbeff
        gd = r.is_gd
        out.append(HbRow(_label(r), cell(r.sgd.main, gd), cell(e.main, gd) if e else Tex("--"),
                         num(e.beta) if e else Tex("--"), cell(r.sgdhb.main, gd) if r.sgdhb else Tex("--"),
                         alpha(r.sgdhb.alpha) if r.sgdhb else Tex("--"), cell(r.hb.main, gd), _speedup(r)))
    return tuple(out)


# --- 1.a -------------------------------------------------------------------------------------

def _span(res: Results) -> float:
    """max B_simple / min B_simple along the run (the ratio :func:`claims.bsimple_varies` tests)."""
    vals = [q.b_simple for q in res.noise]
    return max(vals) / min(vals)


def _floor_text(res: Results) -> Tex:
    mb, gd, low, tol = res.minibatches, res.gd, min(res.settings.tolerances), res.settings.tol
    stall = [r for r in mb if claims.stalls(res, r.sgd)]
    out = []
    if stall:
        out.append(f"With a constant step SGD does not converge to $F^\\star$: {where(stall)} every seed reached "
                   f"$\\delta={_tol(tol)}$ but none reached ${_tol(low)}$ within {num(res.settings.max_epochs)} epochs "
                   f"(Table~\\ref{{tab:sgd-tol}}, Figure~\\ref{{fig:sgd-sgd-curves}}).")
        above = [r for r in stall if claims.floor_above(res, r.sgd)]
        below = [r for r in stall if claims.floor_below(res, r.sgd)]
        across = [r for r in stall if r not in above and r not in below]
        if above:
            out.append(f"{where(above, True)} the median gap of every seed over the last fifth of the run lies above "
                       f"${_tol(low)}$ (Table~\\ref{{tab:sgd-noise}}): the gap levels off in the neighbourhood of "
                       f"$F^\\star$ that a constant step reaches (Bottou, Curtis and "
                       f"Nocedal~\\cite[Thm.~4.6]{{bottou2018}}).")
        if below:
            out.append(f"{where(below, True)} that median gap lies below ${_tol(low)}$ on every seed, yet no seed "
                       "stayed below it for the confirmation window: the gap fluctuates across the tolerance rather "
                       "than levelling off above it.")
        if across:
            out.append(f"{where(across, True)} the seeds' median gaps over the last fifth lie on both sides of "
                       f"${_tol(low)}$.")
    rest = [r for r in mb if r not in stall]
    if rest:
        out.append(f"{where(rest, True)} constant-step SGD " + ("reached" if all(claims.reaches_lowest(res, r.sgd)
                                                                             for r in rest) else "did not reach")
                   + f" ${_tol(low)}$ on every seed.")
    if gd and claims.reaches_lowest(res, gd.sgd):
        out.append(f"GD reached ${_tol(low)}${_every([gd]) or ''} after {epochs(gd.sgd.at(low).median, True)} iterations.")
    dec = [r for r in mb if claims.reaches_lowest(res, r.dec)]
    if dec:
        meds = [r.dec.at(low).median for r in dec]
        out.append(f"SGD with the decreasing step $\\alpha_t=\\alpha_0/(1+\\tau/\\tau_0)$ reached ${_tol(low)}$ on every seed at "
                   f"{EVERY_MB if len(dec) == len(mb) else at_list(dec)} (medians from "
                   f"{epochs(min(meds))} to {epochs(max(meds))} epochs): the floor belongs to the constant step.")
    return Tex(" ".join(out))


def _names(rows) -> Tex:
    """``$n'=10$ and $1000$``, ``GD``, ``$n'=1$, $10$ and GD``."""
    rows = list(rows)
    mb = [r for r in rows if not r.is_gd]
    items = [f"${_nprime(r)}$" for r in mb]
    if items:
        items[0] = "$n'=" + items[0][1:]
    return words(items + ["GD"] * (len(mb) < len(rows)))


def _resolved_sentences(res: Results, rows) -> list[str]:
    """The differences of the epochs at the tuning tolerance that the seeds resolve among ``rows``:
    ``$n'=10$ and $1000$ needed more epochs than GD`` (rows with the same set below them, and the
    same answer of :func:`claims.all_within_resolution`, together); the qualifier "by less than
    the observed miss of the tuning" only where it holds for every pair of the sentence."""
    groups: dict = {}
    for r in rows:
        below = tuple(x for x in claims.resolved_below(res, r) if x in rows)
        if below:
            groups.setdefault((below, claims.all_within_resolution(res, [r], below)), []).append(r)
    miss = claims.tuning_miss(res)
    return [f"{_names(above)} needed more epochs than {_names(below)}"
            + (f" (by less than the {epochs(miss[0])} epochs by which another step of the grid beat the tuned step "
               f"{where([miss[1]])} on the evaluation seeds, so the tuning grid alone may account for it)"
               if within and miss else "")
            for (below, within), above in groups.items()]


def _vs_gd_words(res: Results) -> str:
    """SGD at the smallest n' against GD at each tolerance, by the rule."""
    first, gd = res.minibatches[0], res.gd
    parts = []
    for t in res.settings.tolerances:
        a, g = first.sgd.at(t), gd.sgd.at(t)
        if a is None or g is None:
            continue
        head = f"at ${_tol(t)}$"
        c = claims.compare(a, g)
        if c == "below":
            parts.append(f"{head} fewer epochs on every seed ({epochs(a.median)} against {epochs(g.median, True)})")
        elif c == "above":
            parts.append(f"{head} more epochs on every seed ({epochs(a.median)} against {epochs(g.median, True)})")
        elif c == "unresolved":
            parts.append(f"{head} no difference the seeds resolve ({epochs(a.median)} against {epochs(g.median, True)})")
        elif a.converged == 0 and g.all_converged:
            parts.append(f"{head} it never converged while GD did ({epochs(g.median, True)})")
        else:
            parts.append(f"{head} {a.converged} of {a.seeds} seeds converged, and {g.converged} of GD's")
    return str(words(parts))


def _epochs_text(res: Results) -> Tex:
    mb, gd, tol = res.minibatches, res.gd, res.settings.tol
    done = [r for r in mb if r.sgd.main.all_converged]
    out = []
    missing = [r for r in mb if not r.sgd.main.all_converged]
    if missing:
        out.append(f"{where(missing, True)} not every seed converged (Table~\\ref{{tab:sgd}}).")
    rows = list(res.rows)
    resolved = _resolved_sentences(res, rows)
    if resolved:
        out.append(f"Of the epochs to $\\delta={_tol(tol)}$ in Table~\\ref{{tab:sgd}} the seeds resolve these differences "
                   "(every seed of one above every seed of the other): " + "; ".join(resolved) + "; no other.")
    elif len(done) > 1:
        out.append("The seeds resolve no difference of the epochs between batch sizes.")
    if mb and gd:
        out.append(f"SGD at $n'={mnum(mb[0].batch)}$, which makes $n$ cheap steps per epoch where GD makes one exact "
                   f"step, against GD: {_vs_gd_words(res)}.")
    return Tex(" ".join(out))


def _edge_words(res: Results) -> list[str]:
    bits = []
    for m in claims_methods():
        found = {}
        for r in res.rows:
            for name in claims.edges(res, r, m):
                found.setdefault(name, []).append(r)
        for name, rows in found.items():
            bits.append(f"the {EDGE_NAMES[name]} of {METHOD_NAMES[m]} {where(rows)}")
    return bits


def _tuning_text(res: Results) -> Tex:
    st = res.settings
    out = [f"The steps were tuned on {num(st.tune_seeds)} other seeds for the fewest epochs on the worst of them, over "
           f"grids a half octave apart (Appendix~\\ref{{app:protocol}})."]
    lower = [r for r in res.rows if claims.other_step_lower(r)]
    if lower:
        out.append("On the evaluation seeds another step of the grid can do better: " + str(words(
            [f"at $n'={mnum(r.batch)}$ SGD at $\\alpha={alpha(r.sgdhb.alpha).strip('$')}$ (Table~\\ref{{tab:sgd-hb}}) had "
             f"a median of {epochs(r.sgdhb.main.median)} epochs against the tuned step's {epochs(r.sgd.main.median)}"
             for r in lower if not r.is_gd] + [f"GD at $\\alpha={alpha(r.sgdhb.alpha).strip('$')}$ needed "
                                               f"{epochs(r.sgdhb.main.median, True)} iterations against "
                                               f"{epochs(r.sgd.main.median, True)}" for r in lower if r.is_gd]))
                   + f". Tuned on other seeds, a step missed the grid's best on the evaluation seeds by as much as "
                     f"{epochs(claims.tuning_gap(res))} epochs of the median: an observed miss (on the evaluation seeds "
                     "only one other step was run per row), not a bound on the tuning's resolution.")
    edges = _edge_words(res)
    if edges:
        out.append("On the edge of its grid, with no value inside the grid as good on the tuning seeds, lies "
                   + str(words(edges)) + ": there a wider grid might find a better setting.")
    else:
        out.append("Every tuned value lies inside its grid, or ties with a value inside it.")
    return Tex(" ".join(out))


def tail(c) -> Tex:
    """A run's tail gap as Table 3 prints it: the median over the seeds of each seed's median gap in
    the last fifth of its run, and their [min, max] in small print."""
    if c is None or c.floor is None:
        return Tex("--")
    out = f"${mnum(c.floor)}$"
    if c.floor_range:
        out += f" {{\\scriptsize[${mnum(c.floor_range[0])}$, ${mnum(c.floor_range[1])}$]}}"
    return Tex(out)


def _noise_cols(res: Results) -> tuple:
    """The gradient-noise table (one row per minibatch size): $n'$, $B_{\\mathrm{eff}}$, near the
    tuning tolerance $B_{\\mathrm{simple}}/B_{\\mathrm{eff}}$, and the tail gaps of SGD and heavy ball."""
    rows = [r for r in res.minibatches if r.batch_eff]
    bs = claims.b_simple_at(res, res.settings.tol)
    return tuple((num(r.batch), integer(r.batch_eff), num(bs / r.batch_eff, 3, zeros=True) if bs else Tex("--"), tail(r.sgd),
                  tail(r.hb)) for r in rows)


def _noise_text(res: Results) -> Tex:
    if not res.noise:
        return Tex("")
    first, last = res.noise[0], res.noise[-1]
    out = (r"Why every $n'$ has a floor (Table~\ref{tab:sgd-noise}): the noise scale "
           r"$B_{\mathrm{simple}}=\operatorname{tr}\Sigma_g/\|\nabla F\|^2$ of McCandlish et al.~\cite{mccandlish2018} "
           r"($\Sigma_g$ the covariance of one sample's gradient), measured along a heavy-ball GD run, grew from $w_0$ "
           f"to $\\Delta_t={_tol(last.gap)}$" + (f" by a factor {num(_span(res), zeros=True)}: it is no constant of the problem."
                                                 if claims.bsimple_varies(res) else "."))
    rows = [r for r in res.minibatches if r.batch_eff]
    if rows:
        out += (r" A minibatch of $n'$ drawn without replacement has the gradient noise of $B_{\mathrm{eff}}="
                r"n'(n-1)/(n-n')$ samples drawn with replacement (Appendix~\ref{app:sgd-derivations}).")
        dom = [r for r in rows if claims.noise_dominates(res, r)]
        if dom and claims.b_simple_at(res, res.settings.tol):
            out += (f" Near $\\delta={_tol(res.settings.tol)}$ the minibatch gradient's noise exceeded its squared mean, "
                    f"$B_{{\\mathrm{{simple}}}}/B_{{\\mathrm{{eff}}}}>1$, {where(dom)}"
                    + (": no minibatch size we ran is close to noise-free there." if len(dom) == len(rows) else "."))
    return Tex(out)


# --- 1.b -------------------------------------------------------------------------------------

def _full_batch_text(res: Results) -> Tex:
    g, pr = res.gd, res.problem
    if not g:
        return Tex("")
    out = (f"With $L=L_{{\\mathrm{{loc}}}}$ and $c=c_{{\\mathrm{{loc}}}}$, Polyak's parameters are "
           f"$\\alpha^\\star={str(alpha(pr.polyak_alpha)).strip('$')}$ and $\\beta^\\star={mnum(pr.polyak_beta)}$. GD "
           f"($\\alpha={str(alpha(g.sgd.alpha)).strip('$')}$) needed {epochs(g.sgd.main.median, True)} iterations to "
           f"$\\delta={_tol(res.settings.tol)}$, heavy ball at $(\\alpha^\\star,\\beta^\\star)$ "
           f"{epochs(g.polyak.main.median, True) if g.polyak else '--'}, and the tuned heavy ball "
           f"($\\alpha={str(alpha(g.hb.alpha, g.hb.beta)).strip('$')}$, $\\beta={mnum(g.hb.beta)}$) {epochs(g.hb.main.median, True)} "
           f"(Table~\\ref{{tab:sgd}}).")
    if claims.tuned_beats_polyak(res):
        out += (r" The tuned parameters beat Polyak's: $\alpha^\star,\beta^\star$ are optimal for the quadratic model at "
                r"$w^\star$, while the first iterations run far from $w^\star$, and at $(\alpha^\star,\beta^\star)$ the "
                r"extreme eigenvalues give double roots, so the error decays like $t\rho^t$ rather than $\rho^t$.")
    names = {"sgd": "GD", "hb": "the tuned heavy ball", "polyak": r"heavy ball at $(\alpha^\star,\beta^\star)$"}
    parts = []
    for m in ("sgd", "hb", "polyak"):
        if m in res.rates:
            p, f = res.rates[m]
            agree = "they agree" if claims.rate_matches(res, m) else "they do not agree"
            parts.append(f"{names[m]} {num(p)} and {num(f)} ({agree})")
    if parts:
        out += (r" Per iteration the gap contracted by the predicted $\rho^2$ ($\rho$ the contraction per step: the spectral radius of the "
                r"iteration on the quadratic model at $w^\star$) and by the rate fitted to the tail of the run: "
                + str(words(parts)) + f" (agreement: logarithms within {num(100 * claims.RATE_TOLERANCE)}\\,\\%).")
    if claims.hb_step_above_gd_limit(res):
        out += (f" The tuned heavy ball's effective step $\\alpha/(1-\\beta)={str(effective(g.hb.alpha, g.hb.beta)).strip('$')}$ "
                f"is above $2/L_{{\\mathrm{{loc}}}}={str(alpha(res.gd_limit)).strip('$')}$, the largest step with which GD converges near $w^\\star$.")
    return Tex(out)


def _pattern(res: Results, r: Row) -> tuple:
    """(tolerances where heavy ball was faster on every seed, where slower, where both converged
    on every seed and the seeds resolve no difference)."""
    out = {"below": [], "above": [], "unresolved": []}
    for t in res.settings.tolerances:
        c = claims.compare_in(res, r, r.hb.at(t), r.sgd.at(t))
        if c:
            out[c].append(t)
    return tuple(tuple(out[k]) for k in ("below", "above", "unresolved"))


def _groups(res: Results) -> dict:
    """Rows grouped by their :func:`_pattern`, in row order."""
    groups: dict = {}
    for r in res.rows:
        groups.setdefault(_pattern(res, r), []).append(r)
    return groups


def _floor_kept(res: Results) -> list[Row]:
    """Minibatch rows where neither SGD nor heavy ball reached the smallest tolerance on any seed."""
    low = min(res.settings.tolerances)
    return [r for r in res.minibatches if r.hb.at(low) and r.sgd.at(low) and r.hb.at(low).converged == 0
            and r.sgd.at(low).converged == 0]


def _every(rows) -> str:
    """`` on every seed`` where a minibatch row is among ``rows``; nothing for GD alone, which is
    one deterministic run (:func:`claims.gd_one_run`: its seeds do not differ)."""
    return " on every seed" if any(not r.is_gd for r in rows) else ""


def _curves_text(res: Results) -> Tex:
    out = []
    for (faster, slower, same), rows in _groups(res).items():
        if faster:
            s = f"{where(rows, True)} heavy ball reached {_tols(faster)} sooner than SGD{_every(rows)}"
            s += (f", and {_tols(slower)} later" if slower else "")
            s += ((f"; at {_tols(same)} the seeds resolve no difference" if _every(rows) else
                   f"; at {_tols(same)} the difference is below the tuning's observed miss") if same else "")
            out.append(s + ".")
        elif slower:
            out.append(f"{where(rows, True)} heavy ball reached {_tols(slower)} "
                       f"later than SGD{_every(rows)}.")
        elif same:
            out.append(f"{where(rows, True)} the seeds resolve no difference between the two at any tolerance both "
                       "reached: the curves lie on each other.")
    kept = _floor_kept(res)
    low = min(res.settings.tolerances)
    if kept and len(kept) == len(res.minibatches):
        out.append(f"At no $n'<n$ did either method reach ${_tol(low)}$ on any seed: heavy ball shortens the descent "
                   "where it is faster, but it does not lower the noise floor.")
    elif kept:
        out.append(f"{where(kept, True)} neither method reached ${_tol(low)}$ on any seed: there heavy ball does not "
                   "lower the noise floor.")
    high = [r for r in res.minibatches if claims.hb_floor_higher(r)]
    if high:
        out.append(f"{where(high, True)} heavy ball's tail even settles higher than SGD's, on every seed: every seed's "
                   f"median gap over the last fifth of its run lies above every seed's of SGD (Table~\\ref{{tab:sgd-noise}}).")
    names = {"sgd": "SGD", "hb": "heavy ball", "dec": "the decreasing step"}
    bumps = [(m, r, at) for m in ("sgd", "hb", "dec") for r in res.rows if (at := claims.bump_at(res, m, r.batch))]
    if bumps:
        one = len(bumps) == 1
        out.append(("Of the median curves in Figure~\\ref{fig:sgd-sgd-curves}, one climbs" if one else
                    "Of the median curves in Figure~\\ref{fig:sgd-sgd-curves}, these climb")
                   + f", before converging (while the gap is above ${_tol(10 * res.settings.tol)}$), to at least "
                   f"{num(claims.RISE)} times the lowest value so far (from the epoch of that low to the epoch of the "
                   "climb): " + str(words([f"{names[m]} {where([r])} ({epochs(at[0])} to {epochs(at[1])})"
                                           for m, r, at in bumps])) + ".")
    return Tex(" ".join(out))


def _momentum_text(res: Results) -> Tex:
    rows = list(res.rows)
    out = [r"On noisy quadratics with a small step $\alpha$, heavy ball behaves like SGD with the larger effective step "
           r"$\alpha/(1-\beta)$ (Zhang et al.~\cite{zhang2019}), so a faster heavy ball may only be taking a larger "
           r"step; the runs test this at the tuned steps. "
           r"Table~\ref{tab:sgd-hb} separates the two on the evaluation seeds: heavy ball at SGD's own effective step "
           r"($\alpha=\alpha_{\mathrm{SGD}}(1-\beta)$, $\beta$ chosen on the tuning seeds) against SGD, and SGD at the tuned heavy ball's "
           r"effective step against heavy ball."]
    own = [r for r in rows if claims.momentum_at_same_step(res, r)]
    out.append(f"At SGD's own step, momentum alone was faster on every seed {where(own)}." if own else
               "At SGD's own step, momentum alone was faster on every seed at no batch size.")
    need = [r for r in rows if claims.needs_momentum(r)]
    if need:
        fails = [r for r in need if not r.sgdhb.main.all_converged]
        slower = [r for r in need if r.sgdhb.main.all_converged]
        bits = []
        none = [r for r in fails if r.sgdhb.main.converged == 0]
        some = [r for r in fails if r.sgdhb.main.converged > 0]
        if none:
            bits.append(f"converged on no seed {where(none)}")
        if some:
            bits.append(f"did not converge on every seed {where(some)}")
        if slower:
            bits.append(f"was slower than heavy ball on every seed {where(slower)}")
        out.append("SGD with the tuned heavy ball's larger effective step " + str(words(bits))
                   + ": there the larger step works only with momentum, and the picture of Zhang et al. does not "
                     "hold at the tuned steps.")
    return Tex(" ".join(o for o in out if o))


def _hbdec_text(res: Results) -> str:
    """Heavy ball with the decreasing step against SGD with it, at the smallest tolerance: which
    reached it on every seed, and where the seeds resolve a difference (:func:`claims.compare`)."""
    rows = [r for r in res.rows if r.hbdec]
    if not rows:
        return ""
    low = min(res.settings.tolerances)
    out = (r"With a step that changes over time the velocity form and Polyak's form "
           r"of heavy ball are two different methods (Appendix~\ref{app:sgd-derivations}); we ran the velocity form, "
           r"$v\leftarrow\beta v+g_t$, $w\leftarrow w-\alpha_t v$, with $\alpha_t=(1-\beta)\alpha_0/(1+\tau/\tau_0)$: the "
           r"decreasing step's $\alpha_0$ and $\tau_0$ as its effective step, the tuned heavy ball's $\beta$, on the same seeds.")
    reach = [r for r in rows if claims.reaches_lowest(res, r.hbdec)]
    miss = [r for r in rows if r not in reach]
    if reach:
        none = [r for r in miss if r.hbdec.at(low) is None or not r.hbdec.at(low).converged]
        some = [r for r in miss if r not in none]
        out += f" It reached ${_tol(low)}$ on every seed {where(reach)}" + "".join(
            [f", on no seed {where(none)}" if none else "", f", not on every seed {where(some)}" if some else ""]) + "."
    else:
        out += f" It reached ${_tol(low)}$ on every seed at no $n'$."
    cmp = {k: [r for r in rows if claims.compare_in(res, r, r.hbdec.at(low), r.dec.at(low)) == k]
           for k in ("below", "above", "unresolved")}
    bits = ([f"sooner {where(cmp['below'])}"] if cmp["below"] else []) + \
           ([f"later {where(cmp['above'])}"] if cmp["above"] else [])
    if bits:
        out += (" Against SGD with the decreasing step it reached it " + str(words(bits)) + " on every seed"
                + (f"; the seeds resolve no difference {where(cmp['unresolved'])}." if cmp["unresolved"] else "."))
    elif cmp["unresolved"]:
        out += f" Against SGD with the decreasing step the seeds resolve no difference {where(cmp['unresolved'])}."
    return out


def _lessard_text(res: Results) -> Tex:
    lr = res.lessard
    if not lr:
        return Tex("")
    out = (f"Polyak's parameters promise acceleration only near $w^\\star$. On the one-dimensional function of "
           f"Lessard, Recht and Packard~\\cite[Sec.~4.6]{{lessard2016}}, $\\nabla f(x)=25x$ for $x<1$, $x+24$ for "
           f"$1\\le x<2$ and $25x-24$ for $x\\ge2$, which is $L$-smooth and $c$-strongly convex with $L={mnum(lr.L)}$, "
           f"$c={mnum(lr.mu)}$, we ran the project's heavy ball at Polyak's $\\alpha={str(alpha(lr.alpha)).strip('$')}$, "
           f"$\\beta={mnum(lr.beta)}$ for {num(lr.steps)} steps; on the quadratic $\\tfrac{{L}}{{2}}x^2$ these "
           f"contract the error by {num(lr.quadratic_rate)} per step.")
    if claims.lessard_cycles(res):
        cyc = ", ".join(str(num(c, 3, zeros=True)).strip("$") for c in lr.cycle)
        start = next(x for x, _ in lr.starts)
        out += (f" From $x_0={mnum(start)}$ it settles into a cycle of period {lr.period} through $x\\in\\{{{cyc}\\}}$ "
                "and never converges" + "".join(f" (from $x_0={mnum(x)}$ it converges)" for x, _ in lr.starts[1:]) + ". "
                r"Goujaud, Taylor and Dieuleveut~\cite{goujaud2025} prove that this is no gap in the analysis: for every "
                r"condition number $L/c$, heavy ball with fixed parameters is either not accelerated on quadratics or fails to converge "
                r"on some function of the class.")
    else:
        out += " In this run it did not cycle, so the counterexample is not reproduced here."
    return Tex(out)


# --- answers ---------------------------------------------------------------------------------

ASKED = (1, 10, 100, 1000)   # the batch sizes the assignment names


NOISE_FLOOR_WHY = (r"with a constant step the minibatch gradient's noise never averages out, so the gap levels off "
                   r"near $F^\star$ (Bottou, Curtis and Nocedal~\cite[Thm.~4.6]{bottou2018})")


def _lv(lv: Level, gd: bool = False) -> str:
    """``10.8 [10.6, 10.8]``: a median with its seeds' range, for a sentence (range left out where
    the seeds agree)."""
    out = str(epochs(lv.median, gd))
    return out + (f" [{epochs(lv.lo, gd)}, {epochs(lv.hi, gd)}]" if lv.lo is not None and lv.lo != lv.hi else "")


def _each(rows, t: float) -> str:
    """``$n'=1$ (6.1 [5.8, 6.4]) and $100$ (7.0)``: each row with its SGD epochs at ``t``."""
    items = [f"${_nprime(r)}$ ({_lv(r.sgd.at(t))})" for r in rows]
    items[0] = "$n'=" + items[0][1:]
    return str(words(items))


def _vs_gd_at(res: Results, t: float) -> str:
    """Every n' against GD at ``t`` (:func:`claims.vs_gd`), each with its median and seed range."""
    v, g = claims.vs_gd(res, t), res.gd.sgd.at(t)
    bits = [f"fewer epochs on every seed at {_each(v['below'], t)}"] if v["below"] else []
    bits += [f"more on every seed at {_each(v['above'], t)}"] if v["above"] else []
    bits += [f"no resolved difference (the seeds' ranges overlap, or the gap is below the tuning's observed miss) "
             f"at {_each(v['unresolved'], t)}"] if v["unresolved"] else []
    out = f"to $\\delta={_tol(t)}$ SGD needed, against GD's {epochs(g.median, True)} iterations, " + str(words(bits)) \
        if bits else f"to $\\delta={_tol(t)}$ not every seed converged {where(v['none'] + ([res.gd] if not g.all_converged else []))}"
    return out + (f" (not every seed converged {where(v['none'])})" if v["none"] and bits else "")


def _answer_a(res: Results) -> Tex:
    """1.a as a verdict, then its evidence: every n' against GD at each tolerance (a predicate per
    n', :func:`claims.vs_gd`, with medians and seed ranges). "Small batches win" only where
    :func:`claims.small_wins` holds (the winners are exactly the smallest n' and every larger one
    lost); the noise floor where :func:`claims.floor_at_tight` holds; else :func:`_answer_a_detail`."""
    gd, mb, tols = res.gd, res.minibatches, res.settings.tolerances
    if not gd or not mb:
        return _answer_a_detail(res)
    top, low = max(tols), min(tols)
    win, floor, v = claims.small_wins(res, top), claims.floor_at_tight(res), claims.vs_gd(res, top)
    cheap = r"an epoch of SGD makes $n/n'$ cheap noisy steps where GD makes one exact step"
    stop = ("hits a noise floor" if floor and all(claims.floor_above(res, r.sgd) for r in mb) else "stalls")
    verdict = []
    if win:
        verdict.append(f"At a loose tolerance small batches win: SGD {where(win)} beat GD on every seed and every larger "
                       f"$n'$ lost ({cheap}).")
    elif v["below"]:
        order = sorted(r.batch for r in v["below"]) != sorted(r.batch for r in mb)[:len(v["below"])]
        verdict.append(f"At a loose tolerance, $\\delta={_tol(top)}$, {len(v['below'])} of the {len(mb)} batch sizes beat GD on every "
                       f"seed and {len(v['above'])} lost" + (", and the winners are not exactly the smallest $n'$: batch size "
                                                              "alone does not order them." if order else "."))
    if floor:
        verdict.append(f"At a tight tolerance constant-step SGD, unlike GD, {stop}: " + NOISE_FLOOR_WHY + ".")
    if not verdict:
        return _answer_a_detail(res)
    bits = [_vs_gd_at(res, t) for t in sorted(tols, reverse=True) if not (floor and t == low)]
    if floor:
        dec = all(claims.reaches_lowest(res, r.dec) for r in mb)
        bits.append(f"to ${_tol(low)}$ no constant-step SGD converged on any seed in {num(res.settings.max_epochs)} "
                    f"epochs, while GD did after {epochs(gd.sgd.at(low).median, True)} iterations"
                    + (" and SGD with a decreasing step did at every $n'$" if dec else ""))
    return Tex(" ".join(verdict) + " Counting epochs until the relative gap $\\Delta_t$ to the minimum $F^\\star$ stays "
               f"below a tolerance $\\delta$ (medians and [min, max] of {num(res.settings.seeds)} seeds; "
               "Tables~\\ref{tab:sgd}--\\ref{tab:sgd-tol}): " + "; ".join(bits) + ".")


def _answer_b(res: Results) -> Tex:
    """1.b as a verdict with its reason, then one sentence of evidence. "Heavy ball shortens the
    descent but does not lower the noise floor" only where heavy ball was faster than SGD on every
    seed at some tolerance and batch size and neither method reached the smallest tolerance at any
    n' < n (:func:`_floor_kept`); otherwise the comparisons of :func:`_answer_b_detail`."""
    pats = {r.batch: _pattern(res, r) for r in res.rows}
    faster = [r for r in res.rows if pats[r.batch][0]]
    kept = _floor_kept(res)
    if not (faster and kept and len(kept) == len(res.minibatches)):
        return _answer_b_detail(res)
    tol = res.settings.tol
    at_tol = [r for r in res.rows if tol in pats[r.batch][0]]
    same = [r for r in res.rows if not pats[r.batch][0] and not pats[r.batch][1] and pats[r.batch][2]]
    bits = [f"it reached $\\delta={_tol(tol)}$ sooner than SGD on every seed {where(at_tol)}" if at_tol else
            "it reached some tolerance sooner than SGD on every seed " + str(where(faster))]
    if same:
        bits.append(f"its learning curve lies on SGD's {where(same)}")
    bits.append(f"it reached ${_tol(min(res.settings.tolerances))}$ on no seed at any $n'<n$")
    return Tex(r"Heavy ball (momentum $\beta$: Section~\ref{sec:1b}) shortens the descent but does not lower the noise "
               r"floor. " + _effective_words(res) + r"Against constant-step SGD (Table~\ref{tab:sgd-tol}, Figure~\ref{fig:sgd-sgd-curves}), "
               + "; ".join(bits) + ".")


def _effective_words(res: Results) -> str:
    """What the runs at heavy ball's effective step show, by :func:`claims.needs_momentum` and
    :func:`claims.effective_step_converges`: the picture of Zhang et al. (heavy ball as SGD at
    alpha/(1 - beta)) is named as consistent only where SGD at that step converged on every row
    that has the run, and as contradicted where it did not converge or was slower."""
    rows = [r for r in res.rows if r.sgdhb and r.hb.main.all_converged]
    need = [r for r in rows if claims.needs_momentum(r)]
    if need:
        return (f"Its gain is not that of a larger step alone: SGD at heavy ball's effective step $\\alpha/(1-\\beta)$, "
                f"on the same seeds, did not match it {where(need)} (Table~\\ref{{tab:sgd-hb}}), so the picture of heavy "
                f"ball as SGD at that step (Zhang et al.~\\cite{{zhang2019}}, for small steps) does not hold at the "
                f"tuned steps there. ")
    if rows and all(claims.effective_step_converges(r) for r in rows):
        return (f"SGD at heavy ball's effective step $\\alpha/(1-\\beta)$ converged on every seed too {where(rows)} "
                f"(Table~\\ref{{tab:sgd-hb}}), as the picture of heavy ball as SGD at that step (Zhang et "
                f"al.~\\cite{{zhang2019}}) predicts. ")
    return ""


def _answer_a_detail(res: Results) -> Tex:
    """1.a where no verdict predicate holds, in plain comparisons: the epochs to the tuning tolerance against GD's iterations (one
    iteration of GD is one epoch), what the seeds resolve, and who reaches the smallest tolerance."""
    mb, gd, tol = res.minibatches, res.gd, res.settings.tol
    low = min(res.settings.tolerances)
    out = []
    asked = [r for r in mb if r.batch in ASKED and r.sgd.main.all_converged]
    if asked and gd:
        meds = [r.sgd.main.median for r in asked]
        out.append(f"To ${_tol(tol)}$, constant-step SGD with {at_list(asked)} needed from {epochs(min(meds))} to "
                   f"{epochs(max(meds))} epochs (medians of {num(res.settings.seeds)} seeds), GD "
                   f"{epochs(gd.sgd.main.median, True)} iterations of one epoch each.")
        resolved = _resolved_sentences(res, asked + [gd])
        out.append(("On every seed, " + "; ".join(resolved) + "; the seeds resolve no other difference among these.")
                   if resolved else "The seeds resolve none of these differences.")
    stall = [r for r in mb if claims.stalls(res, r.sgd)]
    if stall and len(stall) == len(mb):
        head = (f"No constant-step SGD reached ${_tol(low)}$ on any seed in {num(res.settings.max_epochs)} epochs"
                + (" (a noise floor)" if all(claims.floor_above(res, r.sgd) for r in stall) else ""))
        if gd and claims.reaches_lowest(res, gd.sgd):
            head += f"; GD did, after {epochs(gd.sgd.at(low).median, True)} iterations"
        out.append(head + ".")
    elif stall:
        out.append(f"Constant-step SGD did not reach ${_tol(low)}$ on any seed {where(stall)}.")
    dec = [r for r in mb if claims.reaches_lowest(res, r.dec)]
    if dec and len(dec) == len(mb):
        out.append(f"With a decreasing step, SGD reached ${_tol(low)}$ on every seed at every $n'$.")
    return Tex(" ".join(out))


def _answer_b_detail(res: Results) -> Tex:
    """1.b where no verdict predicate holds: heavy ball against SGD, tolerance by tolerance."""
    out = []
    kept = _floor_kept(res)
    if kept and len(kept) == len(res.minibatches):
        out.append(f"Like SGD, heavy ball at a constant step reached ${_tol(min(res.settings.tolerances))}$ on no seed at "
                   "any $n'<n$.")
    high = [r for r in res.minibatches if claims.hb_floor_higher(r)]
    if high:
        ratios = [r.hb.floor / r.sgd.floor for r in high]
        span = (f"{num(min(ratios), 2)} to {num(max(ratios), 2)} times" if len(high) > 1
                else f"{num(ratios[0], 2)} times")
        out.append(f"Its tail gap lies above SGD's on every seed {where(high)}: the medians are {span} SGD's "
                   "(Table~\\ref{tab:sgd-noise}).")
    pats = {r.batch: _pattern(res, r) for r in res.rows}
    bits = []
    for t in sorted(res.settings.tolerances, reverse=True):
        rows = [r for r in res.rows if t in pats[r.batch][0]]
        if rows:
            bits.append(f"${_tol(t)}$ {where(rows)}")
    if bits:
        out.append("It shortens the descent, reaching sooner than SGD on every seed " + "; ".join(bits)
                   + " (Table~\\ref{tab:sgd-tol}, Figure~\\ref{fig:sgd-sgd-curves}).")
    slow = [(t, [r for r in res.rows if t in pats[r.batch][1]]) for t in sorted(res.settings.tolerances, reverse=True)]
    slow = [f"${_tol(t)}$ {where(rows)}" for t, rows in slow if rows]
    if slow:
        out.append("It reached " + str(words(slow)) + " later than SGD on every seed.")
    same = [r for r in res.rows if not pats[r.batch][0] and not pats[r.batch][1] and pats[r.batch][2]]
    if same:
        out.append(f"{where(same, True)} its learning curve lies on SGD's (no difference the seeds resolve at any "
                   "tolerance).")
    need = [r for r in res.rows if claims.needs_momentum(r)]
    if need:
        out.append(f"{where(need, True)} the gain needs momentum: SGD at heavy ball's larger effective step, on the same "
                   "seeds, does not match it.")
    return Tex(" ".join(out))


# --- the section -----------------------------------------------------------------------------

def _figures(stems: list, figures: list, low: float, budget: int) -> list[dict]:
    have = [s for s in stems if s in {f.stem for f in figures}]
    entries = figure_list(have, figures, {})
    for s, e in zip(have, entries):
        e["caption"] = Tex(CAPTIONS[s].replace("{low}", f"${_tol(low)}$").replace("{budget}", str(num(budget))))
    return entries


def sgd_section(o, figures: list) -> dict | Section:
    """Problem 1's context for the templates."""
    if o is None or not o.ok:
        u = unavailable(o, "SGD experiment")
        return Section(False, u["why"])
    res = read(o.data)
    st = res.settings
    base = dict(ok=True, quick=st.quick, setting=_setting(res), protocol=_protocol(res), tol=_tol(st.tol),
                window=Tex(f"$\\max({num(st.window_epochs)}$ epochs, {num(100 * st.window_fraction)}\\,\\% of the "
                           "steps so far$)$"), figs=_figures(["sgd_curves"], figures, min(st.tolerances), st.max_epochs))
    if res.degenerate:
        return Section(**base)
    return Section(**base, table1=_table1(res), other_tols=tuple(_tol(t) for t in _other_tols(res)),
                   tol_rows=_tol_rows(res),
                   tol_heads=tuple(Tex(TOL_HEADS[m]) for m in _tol_methods(res)), hb_rows=_hb_rows(res), floor_text=_floor_text(res),
                   epochs_text=_epochs_text(res), tuning_text=_tuning_text(res), noise_text=_noise_text(res), noise_cols=_noise_cols(res),
                   noise_ends=(num(res.noise[0].b_simple, zeros=True), num(res.noise[-1].b_simple, zeros=True)) if res.noise else (),
                   full_batch_text=_full_batch_text(res), curves_text=_curves_text(res),
                   momentum_text=_momentum_text(res), hbdec_text=Tex(_hbdec_text(res)), answer_a=_answer_a(res), answer_b=_answer_b(res),
                   lessard_text=_lessard_text(res))
