"""Problem 4's sentences: the answers and the measured paragraphs of 4.1.a-c, each finding under
its named condition (``numeric.gan.verdicts``, carried in results.json), every number as the
tables print it (:mod:`report.sections.gan`, which passes its formatted scenarios in).

Each answer states what the theory says first; what our runs showed follows, in sentences of its
own, by the rule of the writeup's conventions (a difference only where the seeds' ranges
separate; "reached" only when the distance stayed below the threshold for the confirmation
window). A scenario here is the dict :func:`report.sections.gan._scenario` makes: ``cases`` with,
per case, ``c`` (conditions), ``run`` (printed facts of each run), ``n`` (printed numbers) and,
for 4.1.b-c, ``gen1`` (the same per Gen_1 variant).
"""
from __future__ import annotations

from report.tex import Tex

__all__ = ["answer_a", "answer_b", "answer_c", "measured_a", "measured_b", "measured_c", "words", "TOWARDS_WORDS"]

TOWARDS_WORDS = {"towards": "towards $q$", "away": "away from $q$", "neither": "neither towards $q$ nor away from it"}


def words(items: list) -> str:
    items = [str(i) for i in items]
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _where(cases, key: str) -> list:
    return [c for c in cases if c["c"].get(key)]


def _below(r: dict) -> str:
    """``; at the end 3 of 5 were below it`` where more seeds ended below the threshold than
    reached it (a dip below it that did not last the confirmation window does not count as reaching it)."""
    b = r.get("below")
    return f"; at the end {b} of {r['seeds']} were below it" if b is not None and b > r["reached"] else ""


def _reach(r: dict) -> str:
    """How many seeds of a run reached the threshold, and when the seeds did."""
    if r["reached"] == 0:
        return "no seed reached it" + _below(r)
    lo, hi = r["steps_range"] if r.get("steps_range") else (None, None)
    span = f", all between steps {lo} and {hi}" if lo is not None and str(lo) != str(hi) else ""
    if r["never"]:
        return f"{r['reached']} of {r['seeds']} seeds reached it{span}" + _below(r)
    return f"{r['reached']} of {r['seeds']} seeds reached it (the median seed after {r['steps']} steps{span})" + _below(r)


def _direction(c: dict) -> str:
    key = "towards" if c["c"].get("warm_towards_q") else "away" if c["c"].get("warm_away_from_q") else "neither"
    return TOWARDS_WORDS[key]


def _titles(cases) -> str:
    return words([c["title"] for c in cases])


# --- 4.1.a -------------------------------------------------------------------------------

def answer_a(s: dict | None) -> Tex:
    head = f"{s['words']}." if s else "No (from the theory; no measurements in this build)."
    out = (f"{head} At an exact equilibrium, the optimal discriminator $q/(q+p_1)$ (Goodfellow et "
           "al.~\\cite[Prop.~1]{goodfellow2014}) is $\\tfrac12$ wherever "
           "$p_1=q$: a constant, which gives $\\Gen_2$ no direction towards $q$; away from the data $\\Disc_1$ was never "
           "trained, and what it tells a new generator there is an arbitrary extrapolation that has to be re-learned "
           "against $p_2$ anyway.")
    if s:
        near = _where(s["cases"], "disc1_near_half")
        far = [c for c in s["cases"] if c not in near]
        bits = []
        if near:
            bits.append(f"stays within {words([c['eq_max_dev'] for c in near])} of $\\tfrac12$ on the data in the "
                        f"{_titles(near)} case")
        if far:
            bits.append(f"deviates from $\\tfrac12$ by up to {words([c['eq_max_dev'] for c in far])} in the "
                        f"{_titles(far)} case")
        out += " In our runs the trained $\\Disc_1$ " + words(bits) + "."
        slow, fast = _where(s["cases"], "warm_slower"), _where(s["cases"], "warm_faster")
        same = [c for c in s["cases"] if c not in slow and c not in fast]
        if slow:
            out += (f" Warm-started from $\\Disc_1$, $\\Gen_2$ reached its threshold later than with a fresh "
                    f"discriminator on every seed in the {_titles(slow)} case.")
        if fast:
            out += (f" Warm-started from $\\Disc_1$, $\\Gen_2$ reached its threshold sooner than with a fresh "
                    f"discriminator on every seed in the {_titles(fast)} case.")
        if same:
            counts = words([f"{c['run']['warm']['reached']} and {c['run']['fresh']['reached']} of "
                            f"{c['run']['warm']['seeds']} in the {c['title']} case" for c in same])
            out += (" The seeds resolve no difference between a warm-started and a fresh discriminator in when "
                    f"$\\Gen_2$ reached its threshold (seeds that reached it, warm-started and fresh: {counts}).")
        held = [c for c in s["cases"] if c.get("plateau")]
        if held:
            out += (" Warm-started, $\\Gen_2$'s median distance to $q$ stayed near the level at which a frozen "
                    "$\\Disc_1$ holds it until step " + words([f"{c['plateau']['until']} in the {c['title']} case"
                                                                for c in held])
                    + ", while with a fresh discriminator it left that level by step "
                    + words([str(c['plateau']['fresh_at']) for c in held]) + ".")
    return Tex(out)


def measured_a(s: dict, cases: list) -> Tex:
    """The per-case findings of 4.1.a that the tables do not show by themselves."""
    out = []
    for c in s["cases"]:
        e = next(x for x in cases if x["name"] == c["name"])["eq"]
        w, f = c["run"]["warm"], c["run"]["fresh"]
        part = (f"\\emph{{{c['title'].capitalize()} case.}} Threshold ${c['d']['p2q']}\\le{{}}${c['threshold']}: "
                f"warm-started from $\\Disc_1$, {_reach(w)}; with a fresh discriminator, {_reach(f)}.")
        pl = c.get("plateau")
        if pl:
            part += (" Warm-started, the median distance stays near the level at which the frozen $\\Disc_1$ holds "
                     f"$\\Gen_2$ (at least half of it) until step {pl['until']}, while with a fresh discriminator it "
                     f"fell below that level by step {pl['fresh_at']} (Table~\\ref{{tab:gan-disc1}}, "
                     "Figure~\\ref{fig:gan-gan-distance-a}): warm-started, $\\Gen_2$ first has to undo where $\\Disc_1$ "
                     "pushes it.")
        half = r"$\tfrac12$"
        near = (f"stays within {e['max_dev']} of {half} on the data region of $q$" if c["c"]["disc1_near_half"]
                else f"deviates from {half} by up to {e['max_dev']} on the data region of $q$")
        rating = (f" (above {half}: it rates the empty regions real)" if c["c"]["disc1_far_real"] else
                  f" (below {half}: it rates them fake)" if c["c"]["disc1_far_fake"] else "")
        part += (f" $\\Disc_1$ {near}, and away from the data, on {e['interval']}, it ranges "
                 f"over [{e['far'][0]}, {e['far'][1]}]{rating}.")
        g = c["n"]["grad0"]
        part += (f" $\\Gen_2$'s first gradient against $\\Disc_1$ has norm {g['warm']['nonsat']} against "
                 f"{g['fresh']['nonsat']} for a fresh discriminator, and it moves the samples {_direction(c)}: the cosine "
                 f"of their first-order move with the transport direction towards $q$ is {c['n']['towards_q']['warm']} "
                 f"(fresh: {c['n']['towards_q']['fresh']}).")
        if c["c"]["warm_grad_smaller"] and c.get("losses_agree"):
            part += (" The smaller gradient is not saturation: the minimax loss gives about the same norm "
                     f"({g['warm']['minimax']}); $\\Disc_1$ is nearly flat there.")
        out.append(part)
    frozen = _where(s["cases"], "frozen_misses")
    if frozen:
        out.append("Against $\\Disc_1$ kept frozen, no seed of $\\Gen_2$ reached the threshold (final " + words(
            [f"{c['title']}: ${c['d']['p2q']}={{}}${c['run']['frozen']['to_q']}" for c in frozen])
            + "): the generator chases the maximum of a fixed discriminator.")
    return Tex("\n\n".join(out))


# --- 4.1.b and 4.1.c ------------------------------------------------------------------------

def _main(c: dict) -> dict:
    return c["gen1"]["trained"]


def _reached_p1(s: dict, run: str) -> str:
    """How many seeds of ``run`` reached dist(p_2, p_1) <= dist(p_1, q), per case (Gen_1 as
    trained), and how many more ended below it without staying there (:func:`_below`)."""
    bits = []
    for c in s["cases"]:
        r = _main(c)["run"][run]
        bits.append((f"every seed in the {c['title']} case" if r["reached"] == r["n_seeds"] else
                     f"{r['reached']} of {r['seeds']} seeds in the {c['title']} case") + _below(r).replace("; ", " (") +
                    (")" if _below(r) else ""))
    return words(bits)


def answer_b(s: dict | None) -> Tex:
    head = f"{s['words']}." if s else "Yes, to the extent that $p_1\\approx q$ (from the theory)."
    out = (f"{head} $\\Gen_2$ is trained on samples of $\\Gen_1$, so its target is $p_1$, not $q$, and it cannot "
           "recover what $\\Gen_1$ missed; for a metric, $W_1(q,p_2)\\le W_1(q,p_1)+W_1(p_1,p_2)$.")
    if s:
        out += (" In our runs (with $\\Gen_1$ as trained) $\\Gen_2$ reached $\\mathrm{dist}(p_2,p_1)\\le\\mathrm{dist}(p_1,q)$ on "
                + _reached_p1(s, "gan_on_gen1") + ".")
        out += (f" Every seed ended closer to $q$ than $\\Gen_1$ only in {s['gains']}, which the theory does not "
                "predict." if s["gains"] else " In no setting did every seed end closer to $q$ than $\\Gen_1$.")
    return Tex(out)


def answer_c(s: dict | None) -> Tex:
    head = f"{s['words']}." if s else "Yes, to the extent that $p_1\\approx q$ (from the theory)."
    out = (f"{head} The GAN loss sees only the two marginals, so the shared noise leaves the target $p_1$ of "
           "4.1.b unchanged; it changes only the noise of the gradients.")
    e = s and s["effect"]
    if e:
        parts = [f"closer to $p_1$ than independent noise on every seed in {e['n_closer']} of {e['settings']} settings"]
        if e["n_farther"] != "0":
            parts.append(f"farther on every seed in {e['n_farther']}")
        rest = e["n_unresolved"]
        if rest != "0":
            parts.append(f"with no difference the seeds resolve in {rest}")
        out += " In our runs it brought $p_2$ " + ", ".join(parts) + "."
        if e["n_faster"] != "0" or e["n_slower"] != "0":
            out += (f" It reached the threshold sooner on every seed in {e['n_faster']} of {e['settings']} settings "
                    f"and later in {e['n_slower']}.")
        else:
            out += " In no setting did the seeds resolve a difference in when the threshold was reached."
    return Tex(out)


def measured_b(s: dict) -> Tex:
    out = []
    for c in s["cases"]:
        m, sh = c["gen1"]["trained"], c["gen1"]["shifted"]
        r, rs = m["run"]["gan_on_gen1"], sh["run"]["gan_on_gen1"]
        t = (f"\\emph{{{c['title'].capitalize()} case.}} With $\\Gen_1$ as trained (${c['d']['p1q']}={{}}${m['dist_p1_q']}), "
             f"$\\Gen_2$ ended at ${c['d']['p2p1']}={{}}${r['to_p1']} and ${c['d']['p2q']}={{}}${r['to_q']} (medians); "
             f"{_reach(r).replace('reached it', 'reached the threshold')}, and "
             f"{m['n']['seeds_closer_to_q']['gan_on_gen1']} of {r['seeds']} seeds ended closer to $q$ than $\\Gen_1$.")
        if sh["c"]["closer_to_p1"]:
            t += (f" With $\\Gen_1$ shifted (${c['d']['p1q']}={{}}${sh['dist_p1_q']}), $\\Gen_2$ followed $p_1$, not $q$: "
                  f"${c['d']['p2p1']}={{}}${rs['to_p1']}, ${c['d']['p2q']}={{}}${rs['to_q']}.")
        out.append(t)
    return Tex(" ".join(out))


def measured_c(s: dict) -> Tex:
    out = []
    for c in s["cases"]:
        bits = []
        for v, m in c["gen1"].items():
            name = "as trained" if v == "trained" else "shifted"
            r, i = m["run"]["shared_noise_gan"], m["run"]["gan_on_gen1"]
            if m["c"]["shared_closer_to_p1"]:
                how = "closer on every seed"
            elif m["c"].get("shared_farther_from_p1"):
                how = "farther on every seed"
            else:
                how = "no difference the seeds resolve"
            bits.append(f"with $\\Gen_1$ {name}, ${c['d']['p2p1']}={{}}${r['to_p1']} against {i['to_p1']} with "
                        f"independent noise ({how})")
        out.append(f"\\emph{{{c['title'].capitalize()} case.}} Shared noise: " + "; ".join(bits) + ".")
        if all(m["c"]["shared_less_grad_var"] for m in c["gen1"].values()):
            out.append("At the end of training the variance of the discriminator's minibatch gradient was smaller with "
                       "shared noise (by factors " + " and ".join(str(m["var"]["by"]) for m in c["gen1"].values()) + ").")
        reg = list(c["gen1"].values())
        if all(m["c"].get("regression_exact") for m in reg):
            out.append("The regression of $\\Gen_2(z)$ on $\\Gen_1(z)$ reproduced $\\Gen_1$: on every seed "
                       f"${c['d']['p2p1']}$ is at most {reg[0]['n']['kl_rounding_bound']}, the rounding bound of the "
                       "closed-form KL at its parameters: zero to rounding error.")
        elif all(m["c"]["regression_closer_to_p1"] for m in reg):
            out.append("The regression of $\\Gen_2(z)$ on $\\Gen_1(z)$ ended closer to $p_1$ than the shared-noise GAN on "
                       "every seed (" + " and ".join(f"${c['d']['p2p1']}={{}}${m['run']['regression']['to_p1']}"
                                                    for m in reg) + ").")
    return Tex(" ".join(out))
