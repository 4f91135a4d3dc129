"""The short answers to 4.1.a-c, written from the numbers of the run (never typed in).

Each ``answer_*`` takes the per-case summaries and returns
``(verdict, answer, why, numbers, number_notes)``; the verdict follows from the numbers by the
rule in its docstring, and every number the text cites is in ``numbers``.
"""
from __future__ import annotations

import math

__all__ = ["answer_a", "answer_b", "answer_c", "median_steps", "fmt"]

WHY = {
    "a": ("At equilibrium Disc_1 is close to D* = q/(q+p_1) = 1/2 on the support of q, so it carries no "
          "information there (at p_G = q the optimal logit is flat and every generator gradient is 0; "
          "derivation gan.gen_grad_vanishing), and away from the support it was never trained, so its "
          "values there are arbitrary. A new Gen_2 starts away from q, exactly where Disc_1 is arbitrary; "
          "it first follows those arbitrary preferences (against a frozen D it would collapse onto argmax D) "
          "until the discriminator has been retrained on Gen_2's samples, which is what a fresh "
          "discriminator has to do anyway (Goodfellow et al. 2014, Prop. 1; Arjovsky and Bottou 2017)."),
    "b": ("The GAN objective with Gen_1's samples as data is minimised at p_2 = p_1: "
          "max_D V = -ln 4 + 2 JSD(p_1 || p_2) (Goodfellow et al. 2014, Thm. 1). Nothing in the training signal "
          "refers to q, so Gen_1's error is inherited: by the triangle inequality for sqrt(JSD), "
          "sqrt JSD(q, p_2) >= sqrt JSD(q, p_1) - sqrt JSD(p_1, p_2), and whatever p_1 lost (modes, tails) "
          "cannot come back (model collapse when repeated; Shumailov et al. 2024)."),
    "c": ("The GAN loss depends on the noise only through the marginals of Gen_1(z) and Gen_2(z), so sharing "
          "z leaves the expected objective, and its minimiser p_2 = p_1, unchanged; it only correlates the "
          "real and fake halves of each minibatch (different gradient noise). What sharing z does allow is "
          "to use the pairing: regressing Gen_2(z) on Gen_1(z) is a stable supervised problem whose "
          "minimiser is Gen_1 itself (distillation) - but that too reproduces p_1, not q."),
}


def fmt(x, digits: int = 3) -> str:
    """A number for prose: 3 significant digits; 'n/a' for missing."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "n/a"
    if isinstance(x, int):
        return str(x)
    return f"{x:.{digits}g}"


def _median(values):
    vals = sorted(v for v in values if v is not None and math.isfinite(v))
    if not vals:
        return None
    n = len(vals)
    return float(vals[n // 2]) if n % 2 else 0.5 * (vals[n // 2 - 1] + vals[n // 2])


def median_steps(steps, total: int):
    """The (lower) median of the steps to threshold, 'never' counting as after the end: an
    observed step, or None if the median seed never reached the threshold."""
    vals = sorted(total + 1 if s is None else s for s in steps)
    m = vals[(len(vals) - 1) // 2]
    return None if m > total else m


def _reached(steps):
    return sum(s is not None for s in steps)


def answer_a(per_case: dict, total: int):
    """Verdict rule: "yes" if the warm start reaches the threshold at least 1.25x sooner (median
    steps) in every case, "partly" if in some, "no" otherwise."""
    nums, notes, parts, faster = {}, {}, [], []
    for name, c in per_case.items():
        w, f = c["runs"]["warm"], c["runs"]["fresh"]
        sw, sf = median_steps(w["steps_to_threshold"], total), median_steps(f["steps_to_threshold"], total)
        k = len(w["steps_to_threshold"])
        nums.update({
            f"{name}_threshold": c["threshold"],
            f"{name}_steps_warm_median": sw, f"{name}_steps_fresh_median": sf,
            f"{name}_reached_warm": _reached(w["steps_to_threshold"]),
            f"{name}_reached_fresh": _reached(f["steps_to_threshold"]),
            f"{name}_final_warm_median": _median(w["final_to_q"]),
            f"{name}_final_fresh_median": _median(f["final_to_q"]),
            f"{name}_mean_curve_warm": c["mean_curve"]["warm"], f"{name}_mean_curve_fresh": c["mean_curve"]["fresh"],
            f"{name}_grad0_warm_nonsat": c["grad0"]["warm"]["nonsat"], f"{name}_grad0_fresh_nonsat": c["grad0"]["fresh"]["nonsat"],
            f"{name}_grad0_warm_minimax": c["grad0"]["warm"]["minimax"], f"{name}_grad0_fresh_minimax": c["grad0"]["fresh"]["minimax"],
            f"{name}_final_frozen_median": _median(c["runs"]["frozen"]["final_to_q"]),
            f"{name}_disc1_support_max_dev": c["eq"]["disc1_support_max_dev"],
            f"{name}_disc1_support_mean_dev": c["eq"]["disc1_support_mean_dev"],
            f"{name}_disc1_far_min": c["eq"]["disc1_far_range"][0], f"{name}_disc1_far_max": c["eq"]["disc1_far_range"][1],
        })
        m = c["metric_symbol"]
        notes.update({
            f"{name}_threshold": f"{name}: {m}(p_2, q) counted as reached",
            f"{name}_steps_warm_median": f"{name}: (lower) median of generator steps until {m}(p_2,q) <= threshold, warm-started D (null: median seed never)",
            f"{name}_steps_fresh_median": f"{name}: the same with a fresh D",
            f"{name}_reached_warm": f"{name}: seeds (of {k}) that reached the threshold, warm D",
            f"{name}_reached_fresh": f"{name}: seeds (of {k}) that reached the threshold, fresh D",
            f"{name}_final_warm_median": f"{name}: median final {m}(p_2, q), warm D",
            f"{name}_final_fresh_median": f"{name}: median final {m}(p_2, q), fresh D",
            f"{name}_mean_curve_warm": f"{name}: {m}(p_2, q) averaged over training (median curve), warm D",
            f"{name}_mean_curve_fresh": f"{name}: the same, fresh D",
            f"{name}_grad0_warm_nonsat": f"{name}: median norm of Gen_2's non-saturating gradient at step 0 against Disc_1",
            f"{name}_grad0_fresh_nonsat": f"{name}: the same against a fresh D",
            f"{name}_grad0_warm_minimax": f"{name}: median norm of Gen_2's minimax gradient at step 0 against Disc_1",
            f"{name}_grad0_fresh_minimax": f"{name}: the same against a fresh D",
            f"{name}_final_frozen_median": f"{name}: median final {m}(p_2, q) against Disc_1 frozen",
            f"{name}_disc1_support_max_dev": f"{name}: max |Disc_1(x) - 1/2| on the support of q",
            f"{name}_disc1_support_mean_dev": f"{name}: mean of |Disc_1(x) - 1/2| under q",
            f"{name}_disc1_far_min": f"{name}: min of Disc_1 away from the support of q",
            f"{name}_disc1_far_max": f"{name}: max of Disc_1 away from the support of q",
        })
        speed = (sf if sf is not None else total + 1) / (sw if sw is not None else total + 1)
        faster.append(speed >= 1.25)
        parts.append(
            f"{name} case ({m}): with the warm-started discriminator Gen_2 reached {m}(p_2, q) <= "
            f"{fmt(c['threshold'])} {_when(sw)} ({nums[f'{name}_reached_warm']}/{k} seeds), with a fresh one "
            f"{_when(sf)} ({nums[f'{name}_reached_fresh']}/{k}); mean distance over "
            f"training {fmt(nums[f'{name}_mean_curve_warm'])} vs {fmt(nums[f'{name}_mean_curve_fresh'])}. "
            f"Disc_1 deviates from 1/2 by {fmt(nums[f'{name}_disc1_support_mean_dev'])} on average under q "
            f"(at most {fmt(nums[f'{name}_disc1_support_max_dev'])} on its support) but ranges over "
            f"[{fmt(nums[f'{name}_disc1_far_min'])}, {fmt(nums[f'{name}_disc1_far_max'])}] away from it; "
            f"Gen_2's first gradient against it has norm {fmt(nums[f'{name}_grad0_warm_nonsat'])} (fresh D: "
            f"{fmt(nums[f'{name}_grad0_fresh_nonsat'])}), and against Disc_1 kept frozen Gen_2 ends at "
            f"{m}(p_2, q) = {fmt(nums[f'{name}_final_frozen_median'])}.")
    verdict = "yes" if all(faster) else ("partly" if any(faster) else "no")
    lead = {"no": "No: the pre-trained Disc_1 does not accelerate Gen_2.",
            "partly": "Only in some cases, and not for the reason Gooz hopes.",
            "yes": "In this run it did reach the threshold sooner, but not because Disc_1 knows q."}[verdict]
    return verdict, " ".join([lead] + parts), WHY["a"], nums, notes


def _steps_text(s):
    return "never (for the median seed)" if s is None else f"{fmt(s)} steps"


def _when(s):
    return "within the run for fewer than half of the seeds" if s is None else f"after a median of {fmt(s)} steps"


def _bc_numbers(name, c, run, label, nums, notes):
    m = c["metric_symbol"]
    r = c["runs"][run]
    nums.update({f"{name}_{label}_final_to_p1": _median(r["final_to_p1"]),
                 f"{name}_{label}_final_to_q": _median(r["final_to_q"])})
    notes.update({f"{name}_{label}_final_to_p1": f"{name}: median final {m}(p_2, p_1), {run.replace('_', ' ')}",
                  f"{name}_{label}_final_to_q": f"{name}: median final {m}(p_2, q), {run.replace('_', ' ')}"})


def answer_b(per_case: dict, total: int):
    """Verdict rule: "no" (Gen_2 does not reconstruct q) if in every case the median final distance
    of p_2 to p_1 is below its distance to q; "partly" otherwise."""
    nums, notes, parts, to_p1 = {}, {}, [], []
    for name, c in per_case.items():
        m = c["metric_symbol"]
        nums[f"{name}_dist_p1_q"] = c["dist_p1_q"]
        notes[f"{name}_dist_p1_q"] = f"{name}: {m}(p_1, q), Gen_1 put off q on purpose"
        _bc_numbers(name, c, "gan_on_gen1", "gan", nums, notes)
        a, b = nums[f"{name}_gan_final_to_p1"], nums[f"{name}_gan_final_to_q"]
        to_p1.append(a is not None and b is not None and a < b)
        parts.append(f"{name} case: {m}(p_1, q) = {fmt(c['dist_p1_q'])}; after training, {m}(p_2, p_1) = "
                     f"{fmt(a)} but {m}(p_2, q) = {fmt(b)} (medians over seeds).")
    verdict = "no" if all(to_p1) else "partly"
    lead = {"no": "No: Gen_2 learns to reproduce p_1, Gen_1's distribution, not q, so Gen_1's error is "
                  "inherited (and any mode Gen_1 missed is lost for good).",
            "partly": "Not reliably: Gen_2 is trained towards p_1, not q."}[verdict]
    return verdict, " ".join([lead] + parts), WHY["b"], nums, notes


def _lt(x, y, total=None):
    """x < y, with None meaning 'never' (after ``total``) when total is given, else unknown."""
    if total is not None:
        x, y = (total + 1 if x is None else x), (total + 1 if y is None else y)
    return x is not None and y is not None and x < y


def answer_c(per_case: dict, total: int):
    """Verdict rule: "no" if with shared noise p_2 still ends closer to p_1 than to q in every case
    (the target is unchanged); "partly" otherwise."""
    nums, notes, parts, to_p1 = {}, {}, [], []
    for name, c in per_case.items():
        m = c["metric_symbol"]
        nums[f"{name}_dist_p1_q"] = c["dist_p1_q"]
        notes[f"{name}_dist_p1_q"] = f"{name}: {m}(p_1, q)"
        for run, label in (("shared_noise_gan", "shared"), ("gan_on_gen1", "indep"), ("regression", "regression")):
            _bc_numbers(name, c, run, label, nums, notes)
            nums[f"{name}_{label}_steps_median"] = median_steps(c["runs"][run]["steps_to_threshold"], total)
            notes[f"{name}_{label}_steps_median"] = (f"{name}: (lower) median of steps until {m}(p_2, p_1) <= "
                                                     f"{fmt(c['threshold'])}, {run.replace('_', ' ')}")
        for when in ("start", "end"):
            v = c["disc_grad_var"][when]
            ratio = v["shared"] / v["independent"] if v["independent"] else None
            nums[f"{name}_dgrad_var_ratio_{when}"] = ratio
            notes[f"{name}_dgrad_var_ratio_{when}"] = (f"{name}: variance of the discriminator's minibatch "
                                                       f"gradient, shared / independent noise, at the {when} of training")
        s, r = nums[f"{name}_shared_final_to_p1"], nums[f"{name}_shared_final_to_q"]
        to_p1.append(s is not None and r is not None and s < r)
        parts.append(
            f"{name} case: with shared noise {m}(p_2, p_1) = {fmt(s)} and {m}(p_2, q) = {fmt(r)} "
            f"(independent noise, 4.1.b: {fmt(nums[f'{name}_indep_final_to_p1'])} and "
            f"{fmt(nums[f'{name}_indep_final_to_q'])}); the discriminator's gradient variance is "
            f"{fmt(nums[f'{name}_dgrad_var_ratio_end'])} times that of 4.1.b at the end. Regressing Gen_2(z) on "
            f"Gen_1(z) reaches {m}(p_2, p_1) = {fmt(nums[f'{name}_regression_final_to_p1'])} "
            f"(threshold after {_steps_text(nums[f'{name}_regression_steps_median'])} vs "
            f"{_steps_text(nums[f'{name}_shared_steps_median'])} for the shared-noise GAN), yet "
            f"{m}(p_2, q) = {fmt(nums[f'{name}_regression_final_to_q'])}.")
    verdict = "no" if all(to_p1) else "partly"
    names = list(per_case)
    tighter = all(_lt(nums[f"{n}_regression_final_to_p1"], nums[f"{n}_shared_final_to_p1"]) for n in names)
    faster = all(_lt(nums[f"{n}_regression_steps_median"], nums[f"{n}_shared_steps_median"], total) for n in names)
    quieter = all(_lt(nums[f"{n}_dgrad_var_ratio_end"], 1.0) for n in names)
    how = ("converges faster and more tightly" if faster and tighter else
           "ends closer to p_1 (though it does not reach the threshold sooner in every case)" if tighter else
           "reaches the threshold sooner" if faster else "is a stable alternative with no adversary")
    lead = {"no": ("No, for the same reason as in 4.1.b: sharing the noise does not change the target, p_1; "
                   f"it changes only the gradient noise (here {'less' if quieter else 'not uniformly less'} "
                   "variance in the discriminator's gradient). It does make a better method possible, "
                   f"regressing Gen_2(z) on Gen_1(z), which {how}; its target, too, is p_1, not q."),
            "partly": "Not reliably: the target is still p_1."}[verdict]
    return verdict, " ".join([lead] + parts), WHY["c"], nums, notes
