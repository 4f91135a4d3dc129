"""``DIR/sgd/results.json`` (schema ``hw6.sgd.results/6``) as typed, named facts.

The one place of Problem 1 that reads the result file's keys: :func:`read` turns the (schema-valid)
dict into frozen dataclasses, and the claims (:mod:`report.sections.sgd_claims`) and the section
(:mod:`report.sections.sgd`) work on these. Numbers stay numbers; nothing here is worded.
"""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Level", "Cell", "Row", "Problem", "Settings", "NoisePoint", "Lessard", "Tried", "Results", "read", "METHODS"]

METHODS = ("sgd", "hb", "dec")  # the tuned methods of Table 1


@dataclass(frozen=True)
class Level:
    """Epochs to a confirmed convergence at one tolerance: median and range over the seeds that
    converged, and how many did."""

    tol: float
    median: float | None
    lo: float | None
    hi: float | None
    converged: int
    seeds: int

    @property
    def all_converged(self) -> bool:
        return self.median is not None and self.converged == self.seeds

    def disjoint_below(self, other: "Level") -> bool:
        """Every seed of this one needed fewer epochs than every seed of ``other`` (both
        converged on every seed): the seeds' ranges do not overlap."""
        return self.all_converged and other.all_converged and self.hi < other.lo


@dataclass(frozen=True)
class Cell:
    """One method at one batch size: its setting and its epochs at each tolerance (``at``, the
    tuning tolerance first among equals: :attr:`main`)."""

    alpha: float
    beta: float
    t0_epochs: float
    main: Level
    by_tol: tuple[Level, ...]
    dipped: int
    status: str
    floor: float | None = None    # median over seeds of the median gap in the last 20% of a run
    floor_range: tuple | None = None   # [min, max] of it over the seeds

    def at(self, tol: float) -> Level | None:
        return next((lv for lv in self.by_tol if abs(lv.tol / tol - 1) < 1e-9), None)

    @property
    def effective_step(self) -> float | None:
        """alpha / (1 - beta): the step of SGD that heavy ball behaves like at small steps."""
        return self.alpha / (1 - self.beta) if self.beta < 1 else None


@dataclass(frozen=True)
class Row:
    """One batch size n' of Table 1 (GD: n' = n)."""

    batch: int
    is_gd: bool
    batch_eff: float | None
    sgd: Cell
    hb: Cell
    dec: Cell
    hbeff: Cell | None   # heavy ball at SGD's effective step, the beta chosen on the tuning seeds (None: none converged)
    sgdhb: Cell | None
    polyak: Cell | None
    hbdec: Cell | None = None         # heavy ball with the decreasing step (velocity form)


@dataclass(frozen=True)
class Problem:
    f_star: float
    L: float
    mu: float
    kappa: float
    L_local: float
    mu_local: float
    kappa_local: float
    polyak_alpha: float
    polyak_beta: float


@dataclass(frozen=True)
class Settings:
    n: int
    d: int
    cond: float | None
    l2: float
    tol: float
    tolerances: tuple[float, ...]
    seeds: int
    seed: int
    tune_seeds: int
    max_epochs: int
    checks_per_epoch: int
    quick: bool
    data: str
    objective: str
    sampling: str
    alpha_grid: tuple[float, ...]
    beta_grid: tuple[float, ...]
    t0_epochs: tuple[float, ...]
    hb_offsets: tuple[int, int]
    dec_offsets: tuple[int, int]
    window_epochs: float
    window_fraction: float
    plateau_improvement: float
    plateau_epochs: int


@dataclass(frozen=True)
class NoisePoint:
    """B_simple = tr Sigma_1/|grad F|^2 where heavy-ball GD reached ``gap``."""

    gap: float
    b_simple: float


@dataclass(frozen=True)
class Lessard:
    alpha: float
    beta: float
    mu: float
    L: float
    period: int | None
    cycle: tuple[float, ...]
    starts: tuple[tuple[float, float], ...]   # (x0, final distance to x*)
    quadratic_rate: float
    rate_bound: float
    velocity_form_agrees: bool
    steps: int


@dataclass(frozen=True)
class Tried:
    """One setting a tuning sweep tried: its worst epochs over the tuning seeds (None: some
    seed did not converge)."""

    alpha: float
    beta: float
    t0: float
    epochs: float | None


@dataclass(frozen=True)
class Results:
    degenerate: str | None
    settings: Settings
    problem: Problem | None
    rows: tuple[Row, ...] = ()
    rates: dict = field(default_factory=dict)        # "sgd" | "hb" | "polyak" -> (predicted, fitted)
    noise: tuple[NoisePoint, ...] = ()
    lessard: Lessard | None = None
    figures: tuple[str, ...] = ()
    curves: dict = field(default_factory=dict)       # (method, n') -> (epochs, median gaps), None as NaN
    tuning: dict = field(default_factory=dict)       # (method, n') -> tuple of Tried, in sweep order

    @property
    def minibatches(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if not r.is_gd)

    @property
    def gd(self) -> Row | None:
        return next((r for r in self.rows if r.is_gd), None)

    def row(self, b: int) -> Row:
        return next(r for r in self.rows if r.batch == b)

    @property
    def gd_limit(self) -> float | None:
        """2 / L_local: the largest constant step with which GD converges near w*."""
        return 2 / self.problem.L_local if self.problem and self.problem.L_local else None


def _level(d: dict, seeds: int) -> Level:
    return Level(d["tol"], d["epochs_median"], d["epochs_min"], d["epochs_max"], d["converged"], seeds)


def _cell(c: dict | None, tol: float) -> Cell | None:
    if not c:
        return None
    by_tol = tuple(_level(t, c["seeds"]) for t in c.get("by_tol") or ())
    main = next((lv for lv in by_tol if abs(lv.tol / tol - 1) < 1e-9), None) or \
        Level(tol, c["epochs_median"], c["epochs_min"], c["epochs_max"], c["converged"], c["seeds"])
    fr = c.get("floor_range")
    return Cell(c["alpha"], c["beta"], c["t0_epochs"], main, by_tol, c["dipped"], c["status"], c.get("floor"),
                tuple(fr) if fr else None)


def _row(r: dict, tol: float) -> Row:
    return Row(r["batch"], r["is_gd"], r["batch_eff"], _cell(r["sgd"], tol), _cell(r["hb"], tol),
               _cell(r["dec"], tol), _cell(r["hbeff"], tol), _cell(r["sgdhb"], tol),
               _cell(r["polyak"], tol), _cell(r.get("hbdec"), tol))


def _settings(st: dict) -> Settings:
    tu = st["tuning"]
    return Settings(st["n"], st["d"], st["cond"], st["l2"], st["tol"], tuple(st["tolerances"]), st["seeds"], st["seed"],
                    len(st["tune_seeds"]), st["max_epochs"], st["checks_per_epoch"], st["quick"], st["data"],
                    st["objective"], st["sampling"], tuple(st["alpha_grid"]), tuple(st["beta_grid"]), tuple(tu["t0_epochs"]),
                    tuple(sorted(tu["hb_offsets_half_octaves"])), tuple(sorted(tu["dec_offsets_half_octaves"])),
                    tu["window_epochs"], tu["window_fraction"], tu["plateau_improvement"], tu["plateau_epochs"])


def _lessard(d: dict | None) -> Lessard | None:
    if not d:
        return None
    return Lessard(d["alpha"], d["beta"], d["mu"], d["L"], d["period"], tuple(d["cycle"]),
                   tuple((s["x0"], s["final_distance"]) for s in d["starts"]), d["quadratic_rate"], d["rate_bound"],
                   d["velocity_form_agrees"], d["steps"])


def read(res: dict) -> Results:
    """The typed facts of a schema-valid results dict."""
    st = _settings(res["settings"])
    pr = res["problem"]
    problem = None if res.get("degenerate") else Problem(
        pr["f_star"], pr["L"], pr["mu"], pr["kappa"], pr["L_local"], pr["mu_local"], pr["kappa_local"],
        pr["polyak_alpha"], pr["polyak_beta"])
    rates = {r["method"]: (r["rate"]["predicted"], r["rate"]["fitted"]) for r in res["runs"]
             if r.get("rate") and r["method"] in ("sgd", "hb", "polyak")}
    noise = tuple(NoisePoint(q["gap"], q["b_simple"]) for q in res["noise"]["b_simple"] if q["b_simple"] is not None)
    nan = float("nan")
    curves = {(r["method"], r["batch"]): (tuple(r["curve"]["epoch"]),
                                          tuple(nan if v is None else v for v in r["curve"]["median"]))
              for r in res["runs"]}
    tuning = {(r["method"], r["batch"]): tuple(Tried(t["alpha"], t["beta"], t["t0"], t["epochs"])
                                               for t in r.get("tuning") or ())
              for r in res["runs"] if r["method"] in METHODS}
    return Results(res.get("degenerate"), st, problem, tuple(_row(r, st.tol) for r in res["table"]), rates, noise,
                   _lessard(res.get("lessard")), tuple(res.get("figures") or ()), curves, tuning)
