"""Problem 4 from ``DIR/gan/results.json`` (schema ``hw6.gan.results/1``): the set-up of
the two cases, and per scenario the measured answer, a table per case and its figures."""
from __future__ import annotations

import re

from report.sections.base import figure_list, unavailable
from report.tex import Tex, num, plain, sci

__all__ = ["gan_section"]


def _median(values):
    vals = sorted(v for v in values if isinstance(v, (int, float)))
    if not vals:
        return None
    n = len(vals)
    return vals[n // 2] if n % 2 else (vals[n // 2 - 1] + vals[n // 2]) / 2


def _spread(values) -> Tex:
    """``median [min, max]`` over seeds (``--`` when no seed has a value), all three in one
    format (scientific as soon as one of them needs it)."""
    vals = [v for v in values or [] if isinstance(v, (int, float))]
    if not vals:
        return Tex("--")
    fmt = sci if any(v != 0 and not 1e-3 <= abs(v) < 1e5 for v in vals) else num
    if len(vals) == 1 or min(vals) == max(vals):
        return fmt(_median(vals))
    digits = 2 if fmt is sci else 3  # keep the bracket short where the numbers are long
    return Tex(f"{fmt(_median(vals))} {{\\scriptsize[{fmt(min(vals), digits)}, {fmt(max(vals), digits)}]}}")


def _reached(values) -> Tex:
    """Steps to the threshold: median over the seeds that reached it, and how many did."""
    vals = values or []
    hit = [v for v in vals if isinstance(v, (int, float))]
    if not hit:
        return Tex(f"not reached (0/{len(vals)})")
    return Tex(f"{num(_median(hit))} ({len(hit)}/{len(vals)})")


def _gan_scenario(sc: dict, figures: list, captions: dict, shown: set) -> dict:
    """One scenario's answer, tables and figures; a figure already shown by an earlier
    scenario is referred to (``seen``) instead of printed again (``shown`` is updated)."""
    cases = []
    for case, c in (sc.get("cases") or {}).items():
        rows = [{"label": plain(r.get("label", name)), "to_q": _spread(r.get("final_to_q")),
                 "to_p1": _spread(r.get("final_to_p1")) if r.get("final_to_p1") else Tex("--"),
                 "steps": _reached(r.get("steps_to_threshold")),
                 "diverged": len(r.get("diverged") or [])}
                for name, r in (c.get("runs") or {}).items()]
        cases.append({"name": case, "metric": c.get("metric", ""), "threshold": c.get("threshold"),
                      "rows": rows, "has_p1": any(r.get("final_to_p1") for r in (c.get("runs") or {}).values())})
    return {"title": sc.get("title", ""), "verdict": sc.get("verdict", ""), "answer": _by_case(sc.get("answer", "")),
            "cases": cases,
            **_split_seen(figure_list(sc.get("figures") or [], figures, captions), shown)}


def _by_case(text: str) -> Tex:
    """A scenario's answer with a paragraph per case (``... gaussian case ...  mixture case ...``)."""
    parts = [p for p in re.split(r"\s+(?=(?:gaussian|mixture) case\b)", text or "") if p.strip()]

    def lead(p: str) -> str:
        m = re.match(r"((?:gaussian|mixture) case[^:]{0,20}):\s*", p)
        return f"\\emph{{{plain(m[1][0].upper() + m[1][1:])}:}} {plain(p[m.end():])}" if m else str(plain(p))
    return Tex("\n\n".join(lead(p) for p in parts))


def _split_seen(figs: list, shown: set) -> dict:
    new = [f for f in figs if f["label"] not in shown]
    seen = [f for f in figs if f["label"] in shown]
    shown.update(f["label"] for f in new)
    return {"figures": new, "seen": seen}


def gan_section(o, figures: list) -> dict:
    """Problem 4 from ``DIR/gan/results.json`` (schema ``hw6.gan.results/1``)."""
    if o is None or not o.ok:
        return unavailable(o, "GAN experiment")
    data = o.data
    settings = data.get("settings", {})
    captions = data.get("figures", {})
    cases = [{"name": k, **{f: plain(v.get(f, "")) for f in ("q", "gen1", "gen2", "disc", "metric", "metric_symbol",
                                                               "gen1_offset")},
              **{f: v.get(f, settings.get(f)) for f in ("threshold", "batch", "d_steps", "lr_g", "lr_d")},
              **{f: (data.get("equilibrium", {}).get(k) or {}).get(f)
                 for f in ("dist_p1_q", "disc1_support_max_dev", "disc1_support_mean_dev", "disc1_far_range")}}
             for k, v in (settings.get("cases") or {}).items()]
    scen = data.get("scenarios", {})
    shown: set = set()
    setup = {k: settings.get(k) for k in ("seed", "seeds", "steps", "optimizer", "quick", "pretrain_steps",
                                          "generator_loss")}
    used = {st for sc in scen.values() for st in sc.get("figures") or []}
    extra = figure_list([f.stem for f in figures if f.stem not in used], figures, captions)
    return {"ok": True, "why": "", "settings": setup, "cases": cases, "extra_figures": extra,
            **{k: _gan_scenario(scen[k], figures, captions, shown) if k in scen else None for k in ("a", "b", "c")}}
