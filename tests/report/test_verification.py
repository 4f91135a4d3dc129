"""Appendix B and the abstract: counts per level and the steps of each level, computed."""
import sympy as sp

from derive.engine.chain import Chain
from derive.engine.checks import instances
from report.fragments import verification_rows, verification_total

m = sp.Symbol("m", integer=True, positive=True)
j = sp.Symbol("j", integer=True, positive=True)


def _derivation():
    at = instances(lambda e, k: e.subs(m, k).doit(), (1, 2, 3), tag="m <= 3", why="a test")
    c = Chain("t.v", problem="0", title="t", lhs=sp.Symbol("S"), start=sp.Sum(j, (j, 1, m)))
    c.step(m * (m + 1) / 2, "Gauss").step(m * (m + 1) / 2, "again", check=at)
    return c.step(m * (m + 1) / 2, "numbers", how="numeric", n_points=6).done()


def test_rows_count_each_level_and_name_its_sizes_or_points():
    row, = verification_rows([_derivation()], shown={"t.v"})
    assert (row["steps"], row["symbolic"], row["instances"], row["numeric"]) == (3, 1, 1, 1)
    assert row["instances_where"] == r"2 (m $\le$ 3)"
    assert row["numeric_where"].startswith("3 (") and row["numeric_where"].endswith(" pts)")


def test_the_derivations_not_displayed_are_one_row():
    shown, rest = verification_rows([_derivation(), _derivation()], shown={"t.v"})[0], verification_rows(
        [_derivation()], shown=set())
    assert shown["id"] == "t.v" and [r["id"] for r in rest] == [None]
    assert rest[0]["steps"] == 3 and "1 derivation not displayed" in rest[0]["title"]


def test_totals_count_every_level():
    total = verification_total([_derivation(), _derivation()])
    assert total == {"steps": 6, "symbolic": 2, "instances": 2, "numeric": 2, "symbolic_percent": 33}


def _named(id: str):
    c = Chain(id, problem="0", title=id, lhs=sp.Symbol("S"), start=sp.Sum(j, (j, 1, m)))
    return c.step(m * (m + 1) / 2, "Gauss").done()


def test_rows_follow_the_order_of_the_pages_not_of_the_derivations():
    rows = verification_rows([_named("b.x"), _named("a.y"), _named("c.z")], shown=("a.y", "b.x"))
    assert [r["id"] for r in rows] == ["a.y", "b.x", None]


def test_the_default_order_is_that_of_the_pages():
    from report.sections.base import PAGE_ORDER, SLOTS
    assert PAGE_ORDER[:len(SLOTS["kl"])] == SLOTS["kl"] and PAGE_ORDER[-len(SLOTS["sgd"]):] == SLOTS["sgd"]
    assert sorted(PAGE_ORDER) == sorted(i for ids in SLOTS.values() for i in ids)
