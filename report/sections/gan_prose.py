"""Problem 4's sentences: the answers and the measured paragraphs of 4.1.a-c, each finding under
its named condition (``numeric.gan.verdicts``, carried in results.json), every number as the
tables print it (:mod:`report.sections.gan`, which passes its formatted scenarios in).

A scenario here is the dict :func:`report.sections.gan._scenario` makes: ``cases`` with, per case,
``c`` (conditions), ``run`` (printed facts of each run), ``n`` (printed numbers) and, for 4.1.b-c,
``gen1`` (the same per Gen_1 variant).
"""
from __future__ import annotations

from report.tex import Tex

__all__ = ["answer_a", "answer_b", "answer_c", "measured_a", "measured_b", "measured_c", "words", "TOWARDS_WORDS"]

TOWARDS_WORDS = {"towards": "towards $q$", "away": "away from $q$", "neither": "neither towards $q$ nor away from it"}


def words(items: list) -> str:
    items = [str(i) for i in items]
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]


def _where(cases, key: str) -> list:
    return [c for c in cases if c["c"].get(key)]


def _reach(c: dict, run: str) -> str:
    r = c["run"][run]
    if r["never"]:
        return f"the median seed never reached it ({r['reached']} of {r['seeds']} seeds did)"
    return f"after {r['steps']} steps ({r['reached']} of {r['seeds']} seeds reached it)"


def _direction(c: dict) -> str:
    key = "towards" if c["c"].get("warm_towards_q") else "away" if c["c"].get("warm_away_from_q") else "neither"
    return TOWARDS_WORDS[key]


# --- 4.1.a -------------------------------------------------------------------------------

def answer_a(s: dict | None) -> Tex:
    head = f"{s['words']}." if s else "No (from the theory; no measurements in this build)."
    out = (f"{head} An equilibrium $\\Disc_1$ is the constant $\\tfrac12$ on the data, so its output gives $\\Gen_2$ "
           "no direction towards $q$, and away from the data it is an arbitrary extrapolation that must be "
           "re-learned against $p_2$ anyway.")
    if s:
        slow = _where(s["cases"], "warm_slower")
        if slow:
            out += " In our runs the warm start was slower in the " + words([c["title"] for c in slow]) + " case"
            same = [c for c in s["cases"] if c not in slow and not c["c"]["warm_faster"]]
            out += (" and no faster in the " + words([c["title"] for c in same]) + " case") if same else ""
            out += "."
        elif not _where(s["cases"], "warm_faster"):
            out += " In our runs it was no faster in any case."
    return Tex(out)


def measured_a(s: dict, cases: list) -> Tex:
    """The per-case findings of 4.1.a that the tables do not show by themselves."""
    out = []
    for c in s["cases"]:
        e = next(x for x in cases if x["name"] == c["name"])["eq"]
        w, f = c["run"]["warm"], c["run"]["fresh"]
        part = f"\\emph{{{c['title'].capitalize()} case.}} To ${c['d']['p2q']}\\le{{}}${c['threshold']}, the warm start: {_reach(c, 'warm')}; a fresh $D$: {_reach(c, 'fresh')}."
        if c["c"].get("warm_held"):
            step = c["n"].get("warm_leaves_frozen_step")
            part += (f" Until step {step} the warm-started median distance stays at the level where $\\Disc_1$ kept frozen "
                     "holds $\\Gen_2$ (above half of it), longer than the fresh $D$ needed to reach the threshold.")
        half = r"$\tfrac12$"
        near = (f"stays within {e['max_dev']} of {half} on the support of $q$" if c["c"]["disc1_near_half"]
                else f"deviates from {half} by up to {e['max_dev']} on the support of $q$")
        rating = (f" (above {half}: it rates the empty regions real)" if c["c"]["disc1_far_real"] else
                  f" (below {half}: it rates them fake)" if c["c"]["disc1_far_fake"] else "")
        part += (f" $\\Disc_1$ {near}, and on $x\\in[{e['window'][0]},{e['window'][1]}]$ away from the data it ranges "
                 f"over [{e['far'][0]}, {e['far'][1]}]{rating}.")
        g = c["n"]["grad0"]
        part += (f" $\\Gen_2$'s first gradient against $\\Disc_1$ has norm {g['warm']['nonsat']} against {g['fresh']['nonsat']} "
                 f"for a fresh $D$, and it moves the samples {_direction(c)}: the cosine of their first-order move with "
                 f"the transport direction towards $q$ is {c['n']['towards_q']['warm']} (fresh $D$: "
                 f"{c['n']['towards_q']['fresh']}).")
        if c["c"]["warm_grad_smaller"] and c.get("losses_agree"):
            part += (" The smaller gradient is not saturation: the minimax loss gives about the same norm "
                     f"({g['warm']['minimax']}); $\\Disc_1$ is nearly flat there.")
        out.append(part)
    frozen = _where(s["cases"], "frozen_misses")
    if frozen:
        out.append("Against $\\Disc_1$ kept frozen, $\\Gen_2$ never came near $q$ (" + words(
            [f"{c['title']}: ${c['d']['p2q']}={{}}${c['run']['frozen']['to_q']}" for c in frozen])
            + "): it chases the maximum of a fixed $D$.")
    return Tex("\n\n".join(out))


# --- 4.1.b and 4.1.c ------------------------------------------------------------------------

def _main(c: dict) -> dict:
    return c["gen1"]["trained"]


def answer_b(s: dict | None) -> Tex:
    head = f"{s['words']}." if s else "Yes, approximately, to the extent that $p_1\\approx q$ (from the theory)."
    out = (f"{head} $\\Gen_2$ is trained on samples of $\\Gen_1$, so its target is $p_1$, not $q$; for a metric, "
           "$W_1(q,p_2)\\le W_1(q,p_1)+W_1(p_1,p_2)$.")
    if s:
        reached = [c for c in s["cases"] if _main(c)["c"]["reaches_p1"]]
        if reached:
            out += (" In our runs $\\Gen_2$ came as close to $p_1$ as $\\Gen_1$ is to $q$ in the "
                    + words([c["title"] for c in reached]) + " case" + ("s" if len(reached) > 1 else ""))
            out += ", without ending closer to $q$ than $\\Gen_1$ on every seed." if not s["gains"] else "."
    return Tex(out)


def answer_c(s: dict | None) -> Tex:
    head = f"{s['words']}." if s else "Yes, approximately, to the extent that $p_1\\approx q$ (from the theory)."
    out = (f"{head} The GAN loss sees only the two marginals, so the shared noise leaves the target $p_1$ "
           "unchanged; it changes only the noise of the gradients.")
    e = s and s["effect"]
    if e:
        out += (f" In our runs it brought $p_2$ closer to $p_1$ than independent noise in {e['n_closer']} of "
                f"{e['settings']} settings")
        out += ("; it reached the threshold sooner in " + f"{e['n_faster']}, later in {e['n_slower']}"
                + (f" and at the same step in {e['n_same']}" if e["n_same"] != "0" else "") + ".")
    return Tex(out)


def measured_b(s: dict) -> Tex:
    out = []
    for c in s["cases"]:
        m, sh = c["gen1"]["trained"], c["gen1"]["shifted"]
        r, rs = m["run"]["gan_on_gen1"], sh["run"]["gan_on_gen1"]
        t = (f"\\emph{{{c['title'].capitalize()} case.}} With $\\Gen_1$ as trained ($ {c['d']['p1q']}={{}}${m['dist_p1_q']}), "
             f"$\\Gen_2$ ended at ${c['d']['p2p1']}={{}}${r['to_p1']}, "
             + ("within" if m["c"]["reaches_p1"] else "not within") + f" the threshold {c['threshold']} $={c['d']['p1q']}$, "
             f"and at ${c['d']['p2q']}={{}}${r['to_q']}; {m['n']['seeds_closer_to_q']['gan_on_gen1']} of {r['seeds']} seeds "
             "ended closer to $q$ than $\\Gen_1$.")
        if sh["c"]["closer_to_p1"]:
            t += (f" With $\\Gen_1$ shifted ($ {c['d']['p1q']}={{}}${sh['dist_p1_q']}), $\\Gen_2$ followed $p_1$, not $q$: "
                  f"${c['d']['p2p1']}={{}}${rs['to_p1']}, ${c['d']['p2q']}={{}}${rs['to_q']}.")
        out.append(t)
    out.append(f"No setting had every seed end closer to $q$ than $\\Gen_1$." if not s["gains"] else
               f"Every seed ended closer to $q$ than $\\Gen_1$ only in {s['gains']}.")
    return Tex(" ".join(out))


def measured_c(s: dict) -> Tex:
    out = []
    for c in s["cases"]:
        bits = []
        for v, m in c["gen1"].items():
            name = "as trained" if v == "trained" else "shifted"
            r, i = m["run"]["shared_noise_gan"], m["run"]["gan_on_gen1"]
            if m["c"]["shared_closer_to_p1"]:
                how = "about as close as" if m["closer"]["one"] else f"closer by a factor {m['closer']['by']} than"
            else:
                how = "about as close as" if m["closer"]["one"] else f"farther by a factor {m['closer']['by']} than"
            bits.append(f"with $\\Gen_1$ {name}, ${c['d']['p2p1']}={{}}${r['to_p1']} against {i['to_p1']}, {how} "
                        "independent noise")
        out.append(f"\\emph{{{c['title'].capitalize()} case.}} Shared noise: " + "; ".join(bits) + ".")
        if all(m["c"]["shared_less_grad_var"] for m in c["gen1"].values()):
            out.append("At the end of training the variance of the discriminator's minibatch gradient was smaller with "
                       "shared noise (by factors " + " and ".join(str(m["var"]["by"]) for m in c["gen1"].values()) + ").")
        reg = [m for m in c["gen1"].values()]
        if all(m["c"].get("regression_exact") for m in reg):
            out.append("The regression of $\\Gen_2(z)$ on $\\Gen_1(z)$ reproduced $\\Gen_1$: on every seed "
                       f"${c['d']['p2p1']}$ is at most {reg[0]['n']['kl_rounding_bound']}, the rounding bound of the "
                       "closed-form KL at its parameters, i.e.\\ zero to rounding error.")
        elif all(m["c"]["regression_closer_to_p1"] for m in reg):
            out.append("The regression of $\\Gen_2(z)$ on $\\Gen_1(z)$ ended closer to $p_1$ than the shared-noise GAN ("
                       + " and ".join(f"${c['d']['p2p1']}={{}}${m['run']['regression']['to_p1']}" for m in reg) + ").")
    return Tex(" ".join(out))
