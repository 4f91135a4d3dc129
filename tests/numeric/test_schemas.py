"""The JSON Schemas of the result files (``numeric/NAME/schema.json``, issue 9.7 and 13.5).

Real outputs validate (the ``--quick`` run of each experiment and small runs of the unusual
outcomes: a degenerate problem, nothing converging, a CSV, one scenario, a diverged seed, a
diverged VAE, the generated data set); mutated copies do not (a required key removed deep
inside, a wrong type, an unknown enumerated value, an unknown key, an old schema id); the
section code of the writeup never raises on a valid file; the enumerated values are the ones
the code writes and the writeup words; the docstring of each experiment lists the keys and
values of its JSON Schema.
"""
import copy
import importlib
import json
import re

import jsonschema
import pytest

from support import once

from common.cli import run
from numeric.experiment import EXPERIMENTS
from report.experiments import Outcome, schema_problem
from report.pipeline import Figure, environment
from report.sections.gan import gan_section
from report.sections.sgd import sgd_section
from report.sections.vae import vae_section
from report.tex import Tex

NAMES = list(EXPERIMENTS)
SECTIONS = {"sgd": sgd_section, "gan": gan_section, "vae": vae_section}


def _schema(name: str) -> dict:
    return EXPERIMENTS[name].schema()


def _load(folder, name: str) -> dict:
    return json.loads((folder / name / "results.json").read_text())


# --- real outputs ---------------------------------------------------------------------------

def _sgd(tmp, *argv):
    from numeric.__main__ import main
    assert run(main, ["sgd", "--quick", "--quiet", "--jobs", "1", "--seeds", "2", "--max-epochs", "5",
                      *argv, "--out", str(tmp)]) == 0
    return _load(tmp, "sgd")


def _csv(tmp, text: str) -> str:
    path = tmp / "data.csv"
    path.write_text(text)
    return str(path)


def _gan(tmp, scenarios, **kw):
    from numeric.gan import experiment as ge
    from numeric.gan.scenarios import Settings
    st = Settings(seeds=2, steps=40, pre_steps=40, polish_steps=5, record_every=10, **kw)
    return ge.run_experiment(st, scenarios, tmp)


def _vae(tmp, data="auto", var_at=("init", "trained"), lr=2e-3):
    from numeric.vae import data as vae_data
    from numeric.vae.experiment import run_experiment
    from numeric.vae.train import Settings
    st = Settings(epochs=2, var_repeats=3, var_n_eps=(1, 2, 4), lr=lr, quick=True)
    return run_experiment(st, vae_data.load(data), tmp, var_at=var_at)


VARIANTS = {  # name -> (experiment, how to make it from a fresh folder)
    "sgd w0-optimal": ("sgd", lambda t: _sgd(t, "--n", "200", "--d", "3", "--l2", "1e308")),
    "sgd overflow": ("sgd", lambda t: _sgd(t, "--data", _csv(t, "a,y\n1e300,1\n-2e300,0\n3e300,1\n1,0\n"))),
    "sgd nothing converges": ("sgd", lambda t: _sgd(t, "--n", "300", "--d", "3", "--max-epochs", "1", "--tol", "1e-9")),
    "sgd csv, fixed momentum": ("sgd", lambda t: _sgd(t, "--data", _csv(t, "a,b,y\n1,2,1\n2,1,0\n3,3,1\n0,1,0\n"),
                                                  "--momentum", "0.5", "--objective", "least-squares")),
    "gan scenario a, a seed diverged": ("gan", lambda t: _gan(t, ("a",), fault=("gaussian", "warm", 20, 1))),
    "gan scenario c": ("gan", lambda t: _gan(t, ("c",))),
    "vae diverged": ("vae", lambda t: _vae(t, lr=100.0, var_at=("trained",))),
    "vae shapes, both states": ("vae", lambda t: _vae(t, data="shapes")),
}


class Outputs:
    """``outputs[label]``: ``(name, results)`` of the quick run of an experiment or of a variant,
    each made once per test run when a test first asks for it (so pytest-xdist's workers make
    different variants at the same time instead of waiting for one worker to make them all)."""

    def __init__(self, quick_runs, factory):
        self.quick_runs, self.factory, self.made = quick_runs, factory, {}

    def __getitem__(self, label: str):
        if label not in self.made:
            self.made[label] = self._make(label)
        return self.made[label]

    def _make(self, label: str):
        if label.endswith(" --quick"):
            name = label.removesuffix(" --quick")
            proc, folder = self.quick_runs[name]
            assert proc.returncode == 0, proc.stderr
            return name, _load(folder, name)
        name, make = VARIANTS[label]
        folder = once(self.factory, "schema-" + re.sub(r"\W+", "-", label),
                      lambda f: (f / "made.json").write_text(json.dumps(make(f))))
        return name, json.loads((folder / "made.json").read_text())


@pytest.fixture(scope="module")
def outputs(quick_runs, tmp_path_factory):
    """{label: (name, results)}: the quick run of each experiment and every variant."""
    return Outputs(quick_runs, tmp_path_factory)


LABELS = [f"{n} --quick" for n in NAMES] + list(VARIANTS)


@pytest.mark.parametrize("name", NAMES)
def test_each_schema_is_a_valid_draft_2020_12_schema_with_an_exact_id(name):
    schema = _schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert re.fullmatch(rf"hw6\.{name}\.results/\d+", schema["properties"]["schema"]["const"])


@pytest.mark.parametrize("label", LABELS)
def test_real_outputs_validate(outputs, label):
    name, res = outputs[label]
    assert schema_problem(name, res) == ""
    assert res["schema"] == _schema(name)["properties"]["schema"]["const"]


# --- mutated copies fail --------------------------------------------------------------------

def _set(path, value):
    def mutate(res):
        *head, last = path
        for k in head:
            res = res[k]
        res[last] = value
    return mutate


def _drop(path):
    def mutate(res):
        *head, last = path
        for k in head:
            res = res[k]
        del res[last]
    return mutate


def _old_vae(res):
    """The /2 form of a /3 file: the text fields back, captions in ``figures``."""
    res["schema"] = "hw6.vae.results/2"
    res["summary"] = "Data: ..."
    res["figures"] = {s: "a caption" for s in res["figures"]}


MUTATIONS = {
    "sgd": {
        "old schema id": _set(["schema"], "hw6.sgd.results/2"),
        "no curve median in a run": _drop(["runs", 0, "curve", "median"]),
        "no status in a table cell": _drop(["table", 0, "hb", "status"]),
        "no noise scale at the tolerance": _drop(["noise", "b_simple_at_tol"]),
        "no confirmation window in the tuning rule": _drop(["settings", "tuning", "window_epochs"]),
        "no GD row (empty table)": _set(["table"], []),
        "epochs as text": _set(["runs", 0, "epochs_median"], "12"),
        "a seed's epochs as text": _set(["runs", 0, "epochs", 0], "never"),
        "polyak cell a number": _set(["table", -1, "polyak"], 3),
        "seeds not an integer": _set(["table", 0, "sgd", "seeds"], 2.5),
        "unknown outcome": _set(["runs", 0, "outcomes", 0], "maybe"),
        "unknown reason": _set(["runs", 0, "reason"], "tired"),
        "unknown status": _set(["table", 0, "sgd", "status"], "ok"),
        "a fit of E(B) (dropped in /5)": _set(["noise", "fit"], {}),
        "unknown method": _set(["runs", 0, "method"], "adam"),
        "unknown sampling": _set(["settings", "sampling"], "with-replacement"),
        "unknown figure": _set(["figures"], ["sgd_curves", "my_plot"]),
        "unknown key in a run": _set(["runs", 0, "label"], "SGD at n'=1"),
        "a sentence at the top": _set(["data_sentence"], "The data are ..."),
    },
    "gan": {
        "old schema id": _set(["schema"], "hw6.gan.results/2"),
        "no upper band of a 4.1.c curve": _drop(["scenarios", "c", "cases", "mixture", "gen1", "shifted", "runs",
                                                 "regression", "to_p1", "hi"]),
        "no condition in 4.1.a": _drop(["scenarios", "a", "cases", "gaussian", "conditions", "frozen_misses"]),
        "no Gen_1 variant": _drop(["scenarios", "b", "cases", "mixture", "gen1", "shifted"]),
        "no distance to p_1 in 4.1.b": _drop(["scenarios", "b", "cases", "gaussian", "gen1", "trained", "runs",
                                              "gan_on_gen1", "final_to_p1_median"]),
        "no equilibrium of a case": _drop(["equilibrium", "mixture"]),
        "a condition as text": _set(["scenarios", "c", "cases", "gaussian", "gen1", "trained", "conditions",
                                     "regression_faster"], "yes"),
        "steps not an integer": _set(["scenarios", "a", "cases", "gaussian", "runs", "warm", "steps_median"], 1.5),
        "a range of one number": _set(["equilibrium", "gaussian", "disc1_far_range"], [0.4]),
        "unknown verdict of 4.1.b": _set(["scenarios", "b", "verdict"], "yes"),
        "a verdict of 4.1.b in 4.1.a": _set(["scenarios", "a", "verdict"], "as_well_as_gen1"),
        "unknown architecture": _set(["settings", "cases", "gaussian", "gen2", "kind"], "relu_mlp"),
        "unknown distance": _set(["settings", "cases", "mixture", "distance", "kind"], "js"),
        "unknown case": _set(["scenarios", "a", "cases", "cauchy"], {}),
        "unknown figure of a scenario": _set(["scenarios", "b", "figures"], ["gan_distance_z"]),
        "a 4.1.c condition in 4.1.b": _set(["scenarios", "b", "cases", "gaussian", "gen1", "trained", "conditions",
                                            "regression_faster"], True),
        "an answer sentence": _set(["scenarios", "a", "answer"], "No: ..."),
    },
    "vae": {
        "old schema id": _set(["schema"], "hw6.vae.results/2"),
        "the /2 file": _old_vae,
        "no standard error of a slope": _drop(["variance", "at", "trained", "fit", "total", "slope_se"]),
        "no binarisation threshold": _drop(["settings", "data", "binarise_at"]),
        "no held-out curve": _drop(["curve", "test_elbo"]),
        "no state after training": _drop(["variance", "at", "trained"]),
        "hidden units as text": _set(["gradient_check", "model", "hidden"], "5"),
        "best epoch missing a value": _set(["final", "best_epoch"], None),
        "an ELBO of null in the curve": _set(["curve", "train_elbo", 0], None),
        "diverged without a step": _set(["diverged"], {"epoch": 1}),
        "unknown data set": _set(["settings", "data", "name"], "mnist"),
        "shapes facts under digits": _set(["settings", "data", "glyphs"], 22),
        "unknown state": _set(["variance", "at", "halfway"], {}),
        "unknown optimizer": _set(["settings", "optimizer", "name"], "sgd"),
        "the optimizer as text": _set(["settings", "optimizer"], "Adam(beta1=0.9, beta2=0.999, eps=1e-8)"),
        "a variance label": _set(["variance", "at", "trained", "label"], "after training"),
        "a summary": _set(["summary"], "Data: ..."),
    },
}


@pytest.mark.parametrize("name,case", [(n, c) for n, cases in MUTATIONS.items() for c in cases])
def test_mutated_copies_fail_validation(outputs, name, case):
    res = copy.deepcopy(outputs[f"{name} --quick"][1])
    MUTATIONS[name][case](res)
    assert schema_problem(name, res) != "", case


def test_every_mutation_changes_the_file(outputs):
    """A negative control for the test above: each mutation really changes a valid file."""
    for name, cases in MUTATIONS.items():
        for case, mutate in cases.items():
            res = copy.deepcopy(outputs[f"{name} --quick"][1])
            mutate(res)
            assert res != outputs[f"{name} --quick"][1], (name, case)


def test_an_old_schema_id_is_named_where_the_report_says_why(outputs):
    res = copy.deepcopy(outputs["gan --quick"][1])
    res["schema"] = "hw6.gan.results/2"
    assert schema_problem("gan", res) == "schema: 'hw6.gan.results/5' was expected"


# --- the writeup's code never raises on a valid file ----------------------------------------

def _figures(name: str, res: dict) -> list:
    return [Figure(name, s, Tex(f"figures/{name}-{s}.pdf")) for s in res["figures"]]


def _context(**sections) -> dict:
    from report.sections.gan import gan_section
    ctx = {"sgd": {"ok": False, "why": Tex("")}, "gan": gan_section(None, []),
           "vae": {"present": False, "ok": False, "why": ""},
           "drv": lambda *a, **k: Tex(""), "others": lambda *a: Tex(""), "result": lambda *a, **k: Tex("x"),
           "level": lambda *a: Tex(""),
           "verification_total": {"steps": 1, "symbolic": 1, "instances": 0, "numeric": 0}}
    ctx.update(sections)
    return ctx


TEMPLATES = {"sgd": ("part1.tex", "summary.tex"), "gan": ("part4.tex", "summary.tex"), "vae": ("part3.tex",)}


# LABELS from the other end: pytest-xdist's workers make different variants at the same time
# instead of both waiting for the one test_real_outputs_validate is making
@pytest.mark.parametrize("label", LABELS[::-1])
def test_the_section_code_never_raises_on_a_valid_file(outputs, label):
    """The section, and the templates that print it, on every real output: no exception, and
    the part is there (``ok``), so no valid file is ever reported as a bug of the writeup."""
    name, res = outputs[label]
    sec = SECTIONS[name](Outcome(name, "ok", "cmd", None, data=res), _figures(name, res))
    assert sec["ok"], sec.get("why")
    env = environment()
    for template in TEMPLATES[name]:
        assert env.get_template(template).render(**_context(**{name: sec}))


# --- the enumerated values: written by the code, worded by the writeup ----------------------

def _enum(schema: dict, *path) -> set:
    node = schema
    for k in path:
        node = node[k]
    return set(node["enum"]) if "enum" in node else {node["const"]}


def test_sgd_enums_are_the_values_the_code_writes_and_the_writeup_words():
    from numeric.sgd import summary
    from report.sections import sgd as section
    s = _schema("sgd")["$defs"]
    assert _enum(s, "outcome") == set(summary.OUTCOMES)
    assert _enum(s, "reason") == set(summary.REASONS) | {None}
    assert _enum(s, "method") == set(summary.ORDER)
    assert _enum(s["settings"]["properties"], "sampling") == set(section.SAMPLING)


def test_gan_enums_are_the_values_the_code_writes_and_the_writeup_words():
    from numeric.gan import cases as gan_cases
    from numeric.gan.verdicts import GEN1_VARIANTS, VERDICTS
    from report.sections import gan as section
    schema = _schema("gan")
    s = schema["$defs"]
    assert _enum(s["scenario_a"]["properties"], "verdict") == set(VERDICTS["a"]) == set(section.VERDICT_WORDS["a"])
    assert _enum(s, "verdict_bc") == set(VERDICTS["b"]) == set(VERDICTS["c"]) == set(section.VERDICT_WORDS["b"])
    assert set(s["scenario_b"]["properties"]["cases"]["additionalProperties"]["properties"]["gen1"]["required"]) \
        == set(GEN1_VARIANTS)
    assert set(s["by_case"]["propertyNames"]["enum"]) == set(gan_cases.CASES)
    assert _enum(s["stems"], "items") == set(section.CAPTIONS)
    kinds = _enum(s["model"]["oneOf"][0]["properties"], "kind") | _enum(s["model"]["oneOf"][1]["properties"], "kind")
    assert kinds == set(section.MODELS)
    assert {b["properties"]["kind"]["const"] for b in s["case"]["properties"]["distance"]["oneOf"]} == set(section.SYMBOL)
    runs_a = s["scenario_a"]["properties"]["cases"]["additionalProperties"]["properties"]["runs"]["required"]
    assert set(runs_a) | set(s["gen1_c"]["properties"]["runs"]["required"]) == set(section.RUN_NAMES)


def test_vae_enums_are_the_values_the_code_writes_and_the_writeup_words():
    from numeric.vae import data as vae_data
    from numeric.vae import figures as vae_figures
    from report.sections import vae as section
    s = _schema("vae")
    stems = s["properties"]["figures"]["items"]["enum"]
    assert stems == list(vae_figures.STEMS) and set(stems) == set(section.CAPTIONS)
    assert {b["properties"]["name"]["const"] for b in s["$defs"]["data"]["oneOf"]} \
        == set(vae_data.CHOICES) - {"auto"}
    assert set(s["properties"]["variance"]["properties"]["at"]["properties"]) == set(section.STATES) \
        == set(vae_figures.STATE_LABELS)


# --- the docstring schema and the JSON Schema agree -----------------------------------------

def _doc_block(name: str) -> str:
    doc = importlib.import_module(EXPERIMENTS[name].module).__doc__
    return doc.split("results.json schema", 1)[1].split("::", 1)[1]


def _quoted(text: str, comments: bool) -> set:
    """Every ``"word"`` of the docstring's schema block (outside ``#`` comments unless asked)."""
    lines = text.splitlines() if comments else [ln.split("#", 1)[0] for ln in text.splitlines()]
    return {w for ln in lines for w in re.findall(r'"([^"\s]+)"', ln)}


def _schema_words(schema) -> tuple[set, set]:
    """(every property name, every enumerated or constant string and example) of a JSON Schema."""
    keys, values = set(), set()

    def walk(x):
        if isinstance(x, dict):
            keys.update(x.get("properties", {}))
            for k in ("enum", "examples"):
                values.update(v for v in x.get(k, []) if isinstance(v, str))
            if isinstance(x.get("const"), str):
                values.add(x["const"])
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    walk(schema)
    return keys, values


@pytest.mark.parametrize("name", NAMES)
def test_the_docstring_lists_every_key_and_value_of_the_json_schema(name):
    keys, values = _schema_words(_schema(name))
    documented = _quoted(_doc_block(name), comments=False)
    assert keys - documented == set(), "keys of the JSON Schema that the docstring does not list"
    assert values - _quoted(_doc_block(name), comments=True) == set(), "values the docstring does not name"
    assert documented - keys - values == set(), "keys or values of the docstring that the JSON Schema lacks"


def test_the_docstring_check_sees_a_missing_key():
    keys, _ = _schema_words(_schema("vae"))
    block = _doc_block("vae").replace('"slope_se", ', "")
    assert "slope_se" in keys - _quoted(block, comments=False)
