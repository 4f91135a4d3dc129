"""Untrusted input: never evaluated, never passed to TeX as written, capped with one-line
errors; a pathological step is inconclusive and the rest of the file is still checked."""
import pytest

from check.checker import MAX_BYTES, Unreadable, check_file, load_notation
from check.output import pdf_source
from checkhelp import check, verdicts

OK = r"(a+1)^2 = a^2 + 2a + 1"


@pytest.mark.parametrize("macro", ["input", "write", "def", "catcode", "immediate", "openout", "csname",
                                   "expandafter", "usepackage", "newcommand"])
def test_tex_primitives_are_unknown_macros(macro):
    r = check(f"\\begin{{align*}}\n x &= \\{macro}{{/etc/passwd}} \\\\\n {OK}\n\\end{{align*}}")
    assert r.errors == [f"line 2, column 7: unknown macro \\{macro}"]
    assert verdicts(r)[3] == "proved"  # the rest of the file is still checked
    body = pdf_source([r]).split("\\begin{document}")[1]
    assert f"\\{macro}" not in body.replace("\\textbackslash{}", "")


def test_catcode_trick_and_remarks_never_reach_tex_as_written():
    r = check("$$ x ^^5cinput = 1 $$\n$$ " + OK + r" \quad\text{\input{/etc/passwd} \write18{rm -rf /}} $$")
    assert r.errors and "line 1" in r.errors[0]
    tex = pdf_source([r])
    assert "\\input" not in tex and "\\write18" not in tex
    assert "textbackslash{}input" in tex  # the remark is escaped text


def test_file_size_cap(tmp_path):
    f = tmp_path / "big.tex"
    f.write_text("% " + "x" * (MAX_BYTES + 10))
    nota, part = load_notation(None, None)
    with pytest.raises(Unreadable, match="exceeds the limit of 200 kB"):
        check_file(str(f), nota, part)


def test_line_cap(tmp_path):
    f = tmp_path / "long.tex"
    f.write_text("\n" * 6000)
    nota, part = load_notation(None, None)
    with pytest.raises(Unreadable, match="lines exceed the limit"):
        check_file(str(f), nota, part)


@pytest.mark.parametrize("bad,message", [
    ("+".join(["x"] * 2000), "tokens exceeds the limit"),
    ("{" * 60 + "x" + "}" * 60, "nested deeper"),
    (r"x^{10^{10}}", "exponent 10^{10} exceeds the limit"),
    ("9" * 40, "more than 30 digits"),
])
def test_expression_caps_are_line_errors(bad, message):
    r = check(f"\\begin{{align*}}\n y &= {bad} \\\\\n {OK}\n\\end{{align*}}")
    assert len(r.errors) == 1 and message in r.errors[0] and r.errors[0].startswith("line 2, column")
    assert verdicts(r) == {2: "inconclusive", 3: "proved"}


def test_pathological_step_is_inconclusive_and_the_rest_is_checked():
    text = ("\\begin{align*}\n"
            "\\frac{d^{300}}{dx^{300}} e^{x^2} &= 0 \\\\\n"   # 300 derivatives: far beyond 1 s
            + OK + "\n\\end{align*}")
    r = check(text, seconds=1)  # the property does not depend on the limit: the least one, the least CPU
    v = verdicts(r)
    assert v[2] == "inconclusive" and "time limit" in r.steps[0].detail
    assert v[3] == "proved"


def test_macro_bomb_is_capped(tmp_path):
    toml = tmp_path / "n.toml"
    toml.write_text('[macros]\n"\\\\a" = "\\\\a\\\\a"\n')
    r = check(f"$$ \\a = 1 $$\n$$ {OK} $$", notation=str(toml))
    assert any("macro expansions" in e for e in r.errors)
    assert list(verdicts(r).values())[-1] == "proved"


def test_unknown_macro_names_line_column_and_macro():
    r = check("\\begin{align*}\n a &= 1 \\\\\n b &= \\frac{1}{\\bogus x}\n\\end{align*}")
    assert r.errors == [r"line 3, column 16: unknown macro \bogus"]


def test_a_file_of_huge_expansions_is_bounded_up_front():
    """Issue 21, item 8: (a+b+c+d)^{40} = (a-b+c-d)^{40} + i (12,341 terms expanded) took
    about 70 s a line; the expansion is bounded before it is tried, so each line goes to the
    points at once, and says so."""
    text = "\\begin{align*}\n" + " \\\\\n".join([r"(a+b+c+d)^{40} &= (a-b+c-d)^{40} + i"] * 5) + "\n\\end{align*}"
    r = check(text)
    assert [s.verdict for s in r.steps] == ["wrong"] * 5
    assert all("not expanded symbolically: more than 3000 terms" in s.detail for s in r.steps)
