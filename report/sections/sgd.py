"""Problem 1 from ``DIR/sgd/results.json`` (schema ``hw6.sgd.results/4``): the tables and every
sentence of 1.a and 1.b, each finding under its predicate (:mod:`report.sections.sgd_claims`).

numeric/ writes facts only; :mod:`report.sections.sgd_results` reads them into typed values, and
this module words them: :func:`sgd_section` returns a :class:`Section` whose fields the templates
(``sgd_a.tex``, ``sgd_b.tex``, ``summary.tex``, ``appendix.tex``) print as they are.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from report.sections import sgd_claims as claims
from report.sections.base import figure_list, unavailable
from report.sections.sgd_results import Cell, Level, Results, Row, read
from report.tex import Tex, escape, fixed, num

__all__ = ["sgd_section", "Section", "SAMPLING", "Table1Row", "TolRow", "HbRow", "CAPTIONS", "epochs", "cell", "at_list",
           "words", "F_STAR_DIGITS"]

F_STAR_DIGITS = 6  # F* as printed (results.json keeps it at full double precision)
SAMPLING = {"shuffle-each-epoch": "without replacement, a fresh shuffle every epoch"}   # settings.sampling

CAPTIONS = {
    "sgd_vs_batch": Tex(r"Epochs (left) and gradient steps $T$ (right) to convergence at the tuning tolerance "
                        r"(Table~\ref{tab:sgd}) against the batch size $n'$: median and range over the seeds; each "
                        r"method's markers are shifted slightly along $n'$ so that the ranges stand apart; squares: GD."),
    "sgd_curves": Tex(r"Learning curves: the relative gap $\Delta_t$ against epochs, one panel per batch size, all on "
                      r"one range. Lines: the median over all seeds (a seed whose run had stopped counts with its last "
                      r"gap); bands: the smallest to the largest seed. Dotted: the three tolerances of "
                      r"Table~\ref{tab:sgd-tol}. Heavy ball at SGD's effective step $\alpha_{\mathrm{SGD}}(1-\beta)$ is "
                      r"dotted so that it shows where it lies on SGD's curve."),
    "sgd_lessard": Tex(r"Heavy ball at Polyak's parameters $\alpha=1/9$, $\beta=4/9$ (for $\mu=1$, $L=25$) on the function "
                       r"of Lessard, Recht and Packard: the iterates from two starts (left), and $f$ with the points of "
                       r"the cycle (right; dotted: the kinks of $\nabla f$ at 1 and 2)."),
}


def epochs(x, decimals: int | None = None) -> Tex:
    """Epochs as printed everywhere in Problem 1: one decimal (a check every fifth of an epoch
    resolves it), or an integer when ``x`` is one and ``decimals`` is not 1 (GD: one iteration
    per epoch).

    >>> epochs(30.0), epochs(29.4), epochs(30.0, 1)
    ('$30$', '$29.4$', '$30.0$')
    """
    if x is None:
        return Tex("--")
    return fixed(x, (0 if float(x).is_integer() else 1) if decimals is None else decimals)


def mnum(x, *args, **kw) -> Tex:
    """:func:`report.tex.num` as math-mode content (no dollars), for a number inside ``$...$``."""
    return Tex(str(num(x, *args, **kw)).strip("$"))


def _dec(row: Row) -> int | None:
    """Decimals of epochs in a row: an integer count for GD, one decimal for a minibatch."""
    return None if row.is_gd else 1


def cell(lv: Level | None, decimals: int | None = 1) -> Tex:
    """``median [min, max]`` (range left out where all seeds agree), ``(k/seeds)`` where not all
    converged, ``--`` where none did."""
    if lv is None:
        return Tex("--")
    if lv.median is None:
        return Tex(f"none (0/{lv.seeds})")
    out = str(epochs(lv.median, decimals))
    if lv.lo is not None and lv.hi is not None and lv.lo != lv.hi:
        out += f" {{\\scriptsize[{epochs(lv.lo, decimals)}, {epochs(lv.hi, decimals)}]}}"
    if lv.converged < lv.seeds:
        out += f" ({lv.converged}/{lv.seeds})"
    return Tex(out)


def words(items: list) -> Tex:
    """``a``, ``a and b``, ``a, b, and c``."""
    items = [str(i) for i in items]
    if len(items) <= 2:
        return Tex(" and ".join(items))
    return Tex(", ".join(items[:-1]) + ", and " + items[-1])


def _nprime(row: Row) -> str:
    return "n" if row.is_gd else str(num(row.batch))


def at_list(rows) -> Tex:
    """``$n'=1$``, ``$n'=1$ and $10$``, ``$n'=1$, $10$, and $n$``."""
    rows = list(rows)
    if not rows:
        return Tex("")
    items = [f"${_nprime(r)}$" for r in rows]
    items[0] = "$n'=" + items[0][1:]
    return words(items)


def _tol(x: float) -> Tex:
    """A tolerance: ``$10^{-3}$`` for a power of ten, else :func:`num`."""
    import math
    k = math.log10(x)
    return Tex(f"$10^{{{int(round(k))}}}$") if abs(k - round(k)) < 1e-9 else Tex(f"${num(x)}$".replace("$$", "$"))


def _ep_list(rows, pick) -> Tex:
    return words([epochs(pick(r).median, _dec(r)) for r in rows])


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
    sgd: tuple[Tex, ...]
    hb: tuple[Tex, ...]


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
    tolerances: tuple[Tex, ...] = ()
    tol_rows: tuple[TolRow, ...] = ()
    hb_rows: tuple[HbRow, ...] = ()
    epochs_text: Tex = Tex("")
    tol_text: Tex = Tex("")
    noise_text: Tex = Tex("")
    dec_text: Tex = Tex("")
    full_batch_text: Tex = Tex("")
    curves_text: Tex = Tex("")
    momentum_text: Tex = Tex("")
    answer_a: Tex = Tex("")
    answer_b: Tex = Tex("")
    lessard_text: Tex = Tex("")
    tol: Tex = Tex("")                   # the tuning tolerance, math-mode content
    figs_a: list = field(default_factory=list)
    figs_b: list = field(default_factory=list)
    fig_lessard: list = field(default_factory=list)

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
    return Tex(out + f" $F$ is $L$-smooth and $\\mu$-strongly convex with $L={mnum(pr.L)}$, $\\mu={mnum(pr.mu)}$, "
                     f"$\\kappa=L/\\mu={mnum(pr.kappa)}$ (Appendix~\\ref{{app:sgd-derivations}}); at the minimiser "
                     f"$w^\\star$ the Hessian's extreme eigenvalues are $L_{{\\mathrm{{loc}}}}={mnum(pr.L_local)}$ and "
                     f"$\\mu_{{\\mathrm{{loc}}}}={mnum(pr.mu_local)}$ ($\\kappa_{{\\mathrm{{loc}}}}={mnum(pr.kappa_local)}$), "
                     f"and $F^\\star={mnum(pr.f_star, F_STAR_DIGITS)}$ (Newton's method). "
                     f"Every configuration ran on {num(st.seeds)} seeds, tuned on {num(st.tune_seeds)} other seeds "
                     f"(Appendix~\\ref{{app:protocol}}); $\\alpha_{{\\mathrm{{SGD}}}}$ is the constant step tuned for SGD "
                     f"(GD) at each $n'$ (Table~\\ref{{tab:sgd}}).")


def _protocol(res: Results) -> tuple:
    st = res.settings
    grid = sorted(st.alpha_grid)
    ratio = grid[1] / grid[0] if len(grid) > 1 else None
    t0 = ", ".join(str(num(t)) for t in st.t0_epochs)
    rows = [
        ("sampling", f"{SAMPLING[st.sampling]}; $w_0=0$"),
        ("checks of $F$", f"every $\\max(1,\\lfloor n/({st.checks_per_epoch}n')\\rfloor)$ steps "
                          f"({st.checks_per_epoch} per epoch; every step where an epoch has fewer)"),
        ("convergence at $\\varepsilon$", f"the first check from which $\\Delta_t\\le\\varepsilon$ holds for "
                                          f"$\\max({num(st.window_epochs)}$ epochs, {num(100 * st.window_fraction)}\\,\\% "
                                          f"of the steps so far$)$"),
        ("budget", f"{num(st.max_epochs)} epochs per run"),
        ("seeds", f"{num(st.seeds)} for evaluation (base seed {num(st.seed)}), {num(st.tune_seeds)} other ones for tuning"),
        ("tuning criterion", f"fewest epochs to $\\varepsilon={_tol(st.tol)[1:-1]}$ on the worst tuning seed; "
                             "sweep from large to small steps, stopped two steps after the best"),
        ("SGD, GD step", f"$\\alpha=a/L$, $a$ on {len(grid)} values from {num(grid[0])} to {num(grid[-1])}"
                         + (f", a factor {num(ratio)} apart" if ratio else "")),
        ("heavy ball", f"$\\beta\\in\\{{{', '.join(str(num(b)) for b in st.beta_grid)}\\}}$ (and Polyak's $\\beta^\\star$ "
                       f"for GD), $\\alpha=\\alpha_{{\\mathrm{{SGD}}}}(1-\\beta)\\,2^{{k/2}}$, "
                       f"$k={st.hb_offsets[0]},\\dots,{st.hb_offsets[1]}$"),
        ("decreasing step", f"$\\alpha_t=\\alpha_0/(1+t/t_0)$, $t_0\\in\\{{{t0}\\}}$ epochs, "
                            f"$\\alpha_0=\\alpha_{{\\mathrm{{SGD}}}}\\,2^{{k/2}}$, $k={st.dec_offsets[0]},\\dots,{st.dec_offsets[1]}$"),
        ("tuning runs", f"stopped once they cannot beat the best so far, or when their lowest gap improved by less "
                        f"than {num(100 * st.plateau_improvement)}\\,\\% in {num(st.plateau_epochs)} epochs"),
    ]
    return tuple((Tex(a), Tex(b)) for a, b in rows)


# --- tables ----------------------------------------------------------------------------------

def _table1(res: Results) -> tuple:
    return tuple(Table1Row(Tex("GD") if r.is_gd else num(r.batch), num(r.sgd.alpha), cell(r.sgd.main, _dec(r)),
                           num(r.hb.alpha), num(r.hb.beta), cell(r.hb.main, _dec(r)), num(r.dec.alpha),
                           num(r.dec.t0_epochs), cell(r.dec.main, _dec(r))) for r in res.rows)


def _tol_rows(res: Results) -> tuple:
    return tuple(TolRow(Tex("GD") if r.is_gd else num(r.batch),
                        tuple(cell(r.sgd.at(t), _dec(r)) for t in res.settings.tolerances),
                        tuple(cell(r.hb.at(t), _dec(r)) for t in res.settings.tolerances)) for r in res.rows)


def _speedup(r: Row) -> Tex:
    """SGD's median epochs over the tuned heavy ball's, or ``--`` where the two are the same
    method (:func:`~report.sections.sgd_claims.hb_is_hbeff` at beta = 0 cannot happen) or their
    seeds' ranges overlap (no difference shown)."""
    s, h = r.sgd.main, r.hb.main
    if not (s.all_converged and h.all_converged) or not (s.disjoint_below(h) or h.disjoint_below(s)):
        return Tex("--")
    return num(s.median / h.median, 3, zeros=True)


def _hb_rows(res: Results) -> tuple:
    out = []
    for r in res.rows:
        e = r.best_hbeff
        out.append(HbRow(Tex("GD") if r.is_gd else num(r.batch), cell(r.sgd.main, _dec(r)),
                         cell(e.main, _dec(r)) if e else Tex("--"), num(e.beta) if e else Tex("--"),
                         cell(r.sgdhb.main, _dec(r)) if r.sgdhb else Tex("--"),
                         num(r.sgdhb.alpha) if r.sgdhb else Tex("--"), cell(r.hb.main, _dec(r)), _speedup(r)))
    return tuple(out)


# --- 1.a -------------------------------------------------------------------------------------

def _epochs_text(res: Results) -> Tex:
    mb, gd, tol = res.minibatches, res.gd, res.settings.tol
    done = [r for r in mb if r.sgd.main.all_converged]
    out = []
    if done:
        out.append(f"At $\\varepsilon={_tol(tol)[1:-1]}$, constant-step SGD needed {_ep_list(done, lambda r: r.sgd.main)} "
                   f"epochs at {at_list(done)} (median over the seeds), GD {epochs(gd.sgd.main.median)}.")
    missing = [r for r in mb if not r.sgd.main.all_converged]
    if missing:
        out.append(f"At {at_list(missing)} not every seed converged (Table~\\ref{{tab:sgd}}).")
    if claims.sgd_like_gd(res, tol):
        a = mb[0].sgd.main.median / gd.sgd.main.median
        out.append(f"SGD at $n'={mnum(mb[0].batch)}$ needed about as many epochs as GD ({num(a, 3, zeros=True)} times "
                   "as many), although it makes $n$ cheap steps per epoch where GD makes one exact step.")
    if claims.largest_rises(res):
        out.append(f"Every seed at $n'={mnum(mb[-1].batch)}$ needed more epochs than every seed at every smaller "
                   "$n'$: the only difference of the epochs over $n'$ that the seeds resolve.")
    elif len(done) > 1:
        out.append("The seeds' ranges at the different $n'$ overlap, so the data show no trend of the epochs with $n'$.")
    return Tex(" ".join(out))


def _tol_text(res: Results) -> Tex:
    mb, gd = res.minibatches, res.gd
    if not (mb and gd):
        return Tex("")
    first = mb[0]
    parts = []
    for t in res.settings.tolerances:
        a, g = first.sgd.at(t), gd.sgd.at(t)
        if a is None or g is None:
            continue
        head = f"at $\\varepsilon={_tol(t)[1:-1]}$"
        gd_part = (f"GD after {epochs(g.median)}" if g.all_converged
                   else f"GD did not converge within {num(res.settings.max_epochs)} epochs")
        if not a.all_converged:
            parts.append(f"{head} SGD converged on {a.converged} of {a.seeds} seeds within {num(res.settings.max_epochs)} "
                         f"epochs and {gd_part}")
        elif not g.all_converged:
            parts.append(f"{head} SGD needed {epochs(a.median, 1)} epochs and {gd_part}")
        elif claims.sgd_like_gd(res, t):
            parts.append(f"{head} SGD needed {epochs(a.median, 1)} epochs and GD {epochs(g.median)}, about as many")
        else:
            parts.append(f"{head} SGD needed {epochs(a.median, 1)} epochs and GD {epochs(g.median)}")
    out = (f"How SGD at $n'={mnum(first.batch)}$ compares with GD depends on the tolerance "
           f"(Table~\\ref{{tab:sgd-tol}}): {words(parts)}.")
    floor = [r for r in mb if claims.floor_below_tol(res, r)]
    if floor:
        low = _tol(min(res.settings.tolerances))
        out += (f" At {at_list(floor)} the constant step tuned for $\\varepsilon={_tol(res.settings.tol)[1:-1]}$ does not "
                f"reach {low} on every seed: its gap levels off between {low} and {_tol(res.settings.tol)}.")
    return Tex(out)


def _noise_text(res: Results) -> Tex:
    if not res.noise:
        return Tex("")
    first, last = res.noise[0], res.noise[-1]
    out = (r"The noise scale "
           r"$B_{\mathrm{simple}}=\operatorname{tr}\Sigma_1/\|\nabla F\|^2$ of McCandlish et al.~\cite{mccandlish2018} "
           r"($\Sigma_1$ the covariance of one sample's gradient), measured along a heavy-ball GD run, grew from "
           f"{num(first.b_simple)} at $w_0$ to {num(last.b_simple)} at $\\Delta={_tol(last.gap)[1:-1]}$")
    if claims.bsimple_varies(res):
        out += (f", by a factor {num(last.b_simple / first.b_simple, 2)}: no single critical batch size describes a run, "
                r"so we fit none.")
    else:
        out += "."
    rows = [r for r in res.minibatches if r.batch_eff]
    if rows:
        out += (r" A minibatch of $n'$ drawn without replacement has the noise of $B_{\mathrm{eff}}=n'(n-1)/(n-n')$ "
                r"samples drawn with replacement (Appendix~\ref{app:sgd-derivations}): $B_{\mathrm{eff}}="
                + ", ".join(str(num(r.batch_eff)).strip("$") for r in rows) + f"$ at {at_list(rows)}.")
        dom = [r for r in rows if claims.noise_dominates(res, r)]
        bs = claims.b_simple_at(res, res.settings.tol)
        if dom and bs:
            ratio = [num(bs / r.batch_eff, 3) for r in dom]
            out += (f" Near the tolerance the minibatch gradient's noise exceeded its squared mean, "
                    f"$B_{{\\mathrm{{simple}}}}/B_{{\\mathrm{{eff}}}}={', '.join(str(x).strip('$') for x in ratio)}>1$, at "
                    f"{at_list(dom)}" + (": no minibatch size we ran is close to noise-free there." if len(dom) == len(rows)
                                         else "."))
    return Tex(out)


def _dec_text(res: Results) -> Tex:
    rows = list(res.rows)
    if not rows:
        return Tex("")
    prods = [num(r.bcn_product, 2) for r in rows]
    locs = [num(r.bcn_product_local, 2) for r in rows]
    holds = [r for r in rows if claims.bcn_holds(r)]
    out = (r"With a constant step, SGD converges linearly only to a neighbourhood of $F^\star$ whose size grows with "
           r"$\alpha$ (Bottou, Curtis and Nocedal~\cite[Thm.~4.6]{bottou2018}). For a step "
           r"$\alpha_t=\beta_0/(\gamma+t)$ their Theorem~4.7 proves $\E[F(w_t)-F^\star]=O(1/t)$ provided, among its "
           r"conditions, $\beta_0\mu>1$ (with an unbiased gradient; $\beta_0$, $\gamma$ are their constants). Our "
           r"$\alpha_t=\alpha_0/(1+t/t_0)$ is that step with $\beta_0=\alpha_0t_0$ ($t_0$ in steps), and the tuned values "
           f"give $\\alpha_0t_0\\mu={', '.join(str(p).strip('$') for p in prods)}$ at {at_list(rows)}. The theorem "
           f"needs the strong-convexity constant that holds everywhere, $\\mu$; with the local "
           f"$\\mu_{{\\mathrm{{loc}}}}$, which governs only the end of a run, the products would be "
           f"{', '.join(str(p).strip('$') for p in locs)}.")
    if not holds:
        out += (" The condition fails for every tuned run, so the theorem gives no rate for these runs; what the "
                "decreasing step did is measured only.")
    elif len(holds) < len(rows):
        out += f" The condition holds only at {at_list(holds)}; elsewhere the theorem gives no rate."
    else:
        out += " The condition holds for every tuned run, so the theorem's $O(1/t)$ rate applies."
    both = [r for r in rows if r.sgd.main.all_converged and r.dec.main.all_converged]
    if both:
        out += (f" Measured at $\\varepsilon={_tol(res.settings.tol)[1:-1]}$, the decreasing step needed "
                + str(words([num(r.dec.main.median / r.sgd.main.median, 2, zeros=True) for r in both]))
                + f" times the epochs of the constant step at {at_list(both)}")
        faster = [r for r in both if claims.dec_faster(r)]
        if faster:
            out += (", fewer on every seed at " + str(at_list(faster)) if len(faster) < len(both)
                    else ", fewer on every seed everywhere")
        out += "."
    return Tex(out)


# --- 1.b -------------------------------------------------------------------------------------

def _full_batch_text(res: Results) -> Tex:
    g, pr = res.gd, res.problem
    if not g:
        return Tex("")
    out = (f"With $L=L_{{\\mathrm{{loc}}}}$ and $\\mu=\\mu_{{\\mathrm{{loc}}}}$, Polyak's parameters are "
           f"$\\alpha^\\star={mnum(pr.polyak_alpha)}$ and $\\beta^\\star={mnum(pr.polyak_beta)}$. GD "
           f"($\\alpha={mnum(g.sgd.alpha)}$) needed {epochs(g.sgd.main.median)} iterations, heavy ball at "
           f"$(\\alpha^\\star,\\beta^\\star)$ {epochs(g.polyak.main.median) if g.polyak else '--'}, and the tuned heavy "
           f"ball ($\\alpha={mnum(g.hb.alpha)}$, $\\beta={mnum(g.hb.beta)}$) {epochs(g.hb.main.median)}.")
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
        out += (r" Per step the gap contracted, asymptotically, by the predicted $\rho^2$ ($\rho$ the spectral radius of "
                r"the iteration on the quadratic model at $w^\star$) and the rate fitted to the tail of the run: "
                + str(words(parts)) + f" (agreement: logarithms within {num(100 * claims.RATE_TOLERANCE)}\\,\\%).")
    if claims.hb_step_above_gd_limit(res):
        out += (f" The tuned heavy ball's effective step $\\alpha/(1-\\beta)={mnum(g.hb.effective_step)}$ is above "
                f"$2/L_{{\\mathrm{{loc}}}}={mnum(res.gd_limit)}$, the largest step with which GD converges near $w^\\star$.")
    return Tex(out)


def _curve_groups(res: Results) -> tuple[list, list, list, list]:
    """The batch sizes where heavy ball's curve lies on SGD's, where heavy ball is faster, where
    the two overlap otherwise, and where not every seed of the two converged."""
    rows = list(res.rows)
    same = [r for r in rows if claims.curves_coincide(r)]
    fast = [r for r in rows if claims.hb_faster(r)]
    rest = [r for r in rows if r not in same and r not in fast]
    overlap = [r for r in rest if r.sgd.main.all_converged and r.hb.main.all_converged]
    return same, fast, overlap, [r for r in rest if r not in overlap]


def _curves_text(res: Results) -> Tex:
    rows = list(res.rows)
    same, fast, overlap, failed = _curve_groups(res)
    out = []
    if same:
        out.append(f"At {at_list(same)} the heavy-ball curve lies on SGD's: the two converged on every seed, their "
                   f"medians ({_ep_list(same, lambda r: r.hb.main)} against {_ep_list(same, lambda r: r.sgd.main)} epochs) "
                   f"differ by less than {num(round(100 * (1 - claims.MARGIN)))}\\,\\% and the seeds' ranges overlap.")
    if fast:
        out.append(f"At {at_list(fast)} heavy ball reached the tolerance sooner on every seed: "
                   f"{_ep_list(fast, lambda r: r.hb.main)} epochs against {_ep_list(fast, lambda r: r.sgd.main)}.")
    if overlap:
        out.append(f"At {at_list(overlap)} the medians differ ({_ep_list(overlap, lambda r: r.hb.main)} against "
                   f"{_ep_list(overlap, lambda r: r.sgd.main)} epochs) by less than the seeds' spread, so the data "
                   "show no change there.")
    if failed:
        out.append(f"At {at_list(failed)} not every seed of the two converged (Table~\\ref{{tab:sgd}}).")
    names = {"sgd": "SGD", "hb": "heavy ball", "dec": "the decreasing step", "polyak": "heavy ball at Polyak's parameters"}
    for m in ("sgd", "hb", "dec", "polyak"):
        where = [r for r in rows if claims.bump(res, m, r.batch)]
        if where:
            out.append(f"The median curve of {names[m]} at {at_list(where)} climbs, before it converges, to at least "
                       f"{num(claims.RISE)} times its lowest value so far: the large early steps overshoot.")
    return Tex(" ".join(out))


def _momentum_text(res: Results) -> Tex:
    rows = list(res.rows)
    out = [r"Heavy ball with a small step $\alpha$ behaves like SGD with the larger effective step $\alpha/(1-\beta)$ "
           r"(Zhang et al.~\cite{zhang2019}), so a faster heavy ball may only be taking a larger step. "
           r"Table~\ref{tab:sgd-hb} separates the two on the same seeds: heavy ball at SGD's own effective step "
           r"($\alpha=\alpha_{\mathrm{SGD}}(1-\beta)$, the best $\beta$) against SGD, and SGD at the tuned heavy ball's "
           r"effective step against heavy ball."]
    own = [r for r in rows if claims.momentum_at_same_step(r)]
    if own:
        out.append(f"At SGD's own step, momentum alone was faster on every seed at {at_list(own)}.")
    else:
        out.append("At SGD's own step, momentum alone was faster on every seed at no batch size.")
    need = [r for r in rows if claims.needs_momentum(r)]
    if need:
        fails = [r for r in need if not r.sgdhb.main.all_converged]
        slower = [r for r in need if r.sgdhb.main.all_converged]
        bits = []
        if fails:
            bits.append(f"did not converge on every seed at {at_list(fails)}")
        if slower:
            bits.append(f"was slower than heavy ball on every seed at {at_list(slower)}")
        out.append("SGD with the tuned heavy ball's larger effective step " + str(words(bits))
                   + ": there the larger step works only with momentum.")
    same = [r for r in rows if claims.hb_is_hbeff(r)]
    if same:
        out.append(f"At {at_list(same)} the tuned heavy ball is heavy ball at SGD's effective step (the same $\\alpha$ "
                   "and $\\beta$), so those two columns agree by construction.")
    for r in rows:
        hurt = claims.hurting(r)
        if hurt:
            where = "for GD" if r.is_gd else f"at $n'={mnum(r.batch)}$"
            out.append(f"Momentum can also hurt: {where}, at SGD's effective step, "
                       + str(words([f"$\\beta={mnum(c.beta)}$ needed {epochs(c.main.median, _dec(r))} epochs"
                                    if c.main.all_converged else
                                    f"$\\beta={mnum(c.beta)}$ converged on {c.main.converged} of {c.main.seeds} seeds"
                                    for c in hurt]))
                       + f", against SGD's {epochs(r.sgd.main.median, _dec(r))} epochs.")
    out.append(r"We did not combine heavy ball with the decreasing step: the seed asks for heavy ball with the methods "
               r"of 1.a (SGD at each $n'$ and GD), and with a step that changes over time the velocity form and "
               r"Polyak's form of heavy ball are two different methods (Appendix~\ref{app:sgd-derivations}).")
    return Tex(" ".join(out))


def _lessard_text(res: Results) -> Tex:
    lr = res.lessard
    if not lr:
        return Tex("")
    out = (f"On a quadratic with curvature in $[\\mu,L]$, Polyak's parameters contract the error by $\\sqrt{{\\beta^\\star}}$ "
           f"per step; for $\\mu={mnum(lr.mu)}$, $L={mnum(lr.L)}$ they are $\\alpha={mnum(lr.alpha)}$ and "
           f"$\\beta={mnum(lr.beta)}$, and the iteration matrix on $f=\\tfrac{{L}}{{2}}x^2$ has spectral radius "
           f"{num(lr.quadratic_rate)} $=\\sqrt{{\\beta}}$. Lessard, Recht and Packard~\\cite[Sec.~4.6]{{lessard2016}} give "
           r"a function that is $\mu$-strongly convex and $L$-smooth but not quadratic, with $\nabla f(x)=25x$ for $x<1$, "
           r"$x+24$ for $1\le x<2$ and $25x-24$ for $x\ge2$. We ran the project's own heavy ball "
           r"(Polyak's form, from \texttt{numeric/optim.py}) on it, "
           f"{num(lr.steps)} steps from each start (Figure~\\ref{{fig:sgd-sgd-lessard}}).")
    if claims.lessard_cycles(res):
        cyc = ", ".join(str(num(c, 4)).strip("$") for c in lr.cycle)
        start = next(x for x, _ in lr.starts)
        out += (f" From $x_0={mnum(start)}$ it settles into a cycle of period {lr.period} through $x\\in\\{{{cyc}\\}}$ and "
                "never converges" + "".join(f"; from $x_0={mnum(x)}$ it converges ($|x_{{{lr.steps}}}|={mnum(d)}$)"
                                            for x, d in lr.starts[1:]) + ".")
        if lr.velocity_form_agrees:
            out += " The velocity form of the same module gives the same iterates."
        out += (r" So Polyak's parameters promise the accelerated rate only on quadratics, and for a smooth strongly "
                r"convex $F$ only near $w^\star$, where $F$ is close to its quadratic model: this is the sense of the "
                r"rates compared in 1.b. Goujaud, Taylor and Dieuleveut~\cite{goujaud2025} prove that this is not a "
                r"gap in the analysis: for every $\kappa$, heavy ball with any fixed parameters either is not accelerated "
                r"on quadratics or fails to converge on some function of the class.")
    else:
        out += " In this run it did not cycle, so the claim of the paper is not reproduced here."
    return Tex(out)


# --- answers ---------------------------------------------------------------------------------

def _answer_a(res: Results) -> Tex:
    mb, gd = res.minibatches, res.gd
    asked = [r for r in mb if r.batch in (1, 10, 100, 1000) and r.sgd.main.all_converged]
    out = []
    if asked:
        out.append(f"To $\\varepsilon={_tol(res.settings.tol)[1:-1]}$, SGD with {at_list(asked)} needed "
                   f"{_ep_list(asked, lambda r: r.sgd.main)} epochs (median of {num(res.settings.seeds)} seeds); GD "
                   f"needed {epochs(gd.sgd.main.median)}.")
    like = [t for t in res.settings.tolerances if claims.sgd_like_gd(res, t)]
    if like:
        out.append(f"SGD at $n'={mnum(mb[0].batch)}$ needs about as many epochs as GD at $\\varepsilon=$ "
                   + str(words([_tol(t) for t in like]))
                   + (f", not at {words([_tol(t) for t in res.settings.tolerances if t not in like])}" if len(like) <
                      len(res.settings.tolerances) else "") + ".")
    if claims.largest_rises(res):
        out.append(f"Only $n'={mnum(mb[-1].batch)}$ needs more epochs ({epochs(mb[-1].sgd.main.median, 1)}) on every seed.")
    return Tex(" ".join(out))


def _answer_b(res: Results) -> Tex:
    rows = list(res.rows)
    same, fast, overlap, _ = _curve_groups(res)
    out = []
    if same:
        out.append(f"At {at_list(same)} heavy ball leaves the learning curves unchanged: they lie on SGD's.")
    if fast:
        out.append(f"At {at_list(fast)} its curve drops faster and reaches the tolerance sooner on every seed "
                   f"({_ep_list(fast, lambda r: r.hb.main)} epochs against {_ep_list(fast, lambda r: r.sgd.main)}).")
    if overlap:
        out.append(f"At {at_list(overlap)} the seeds' ranges overlap, so the data show no change.")
    need = [r for r in rows if claims.needs_momentum(r)]
    if need:
        out.append(f"At {at_list(need)} that gain needs momentum: SGD with heavy ball's larger effective step, on the "
                   "same seeds, does not match it.")
    return Tex(" ".join(out))


# --- the section -----------------------------------------------------------------------------

def _figures(stems: list, figures: list) -> list[dict]:
    have = [s for s in stems if s in {f.stem for f in figures}]
    entries = figure_list(have, figures, {})
    for s, e in zip(have, entries):
        e["caption"] = CAPTIONS[s]
    return entries


def sgd_section(o, figures: list) -> dict | Section:
    """Problem 1's context for the templates."""
    if o is None or not o.ok:
        u = unavailable(o, "SGD experiment")
        return Section(False, u["why"])
    res = read(o.data)
    base = dict(ok=True, quick=res.settings.quick, setting=_setting(res), protocol=_protocol(res),
                tol=Tex(_tol(res.settings.tol)[1:-1]))
    if res.degenerate:
        return Section(**base, figs_a=_figures(["sgd_vs_batch"], figures))
    return Section(**base, table1=_table1(res), tolerances=tuple(Tex(_tol(t)[1:-1]) for t in res.settings.tolerances),
                   tol_rows=_tol_rows(res), hb_rows=_hb_rows(res), epochs_text=_epochs_text(res),
                   tol_text=_tol_text(res), noise_text=_noise_text(res), dec_text=_dec_text(res),
                   full_batch_text=_full_batch_text(res), curves_text=_curves_text(res),
                   momentum_text=_momentum_text(res), answer_a=_answer_a(res), answer_b=_answer_b(res),
                   lessard_text=_lessard_text(res), figs_a=_figures(["sgd_vs_batch"], figures),
                   figs_b=_figures(["sgd_curves"], figures), fig_lessard=_figures(["sgd_lessard"], figures))
