"""Blocks, lines and comments: what is read as math and what is kept as a remark."""
import pytest

from check.latex_blocks import blocks_of, lines_of
from check.lexer import ReadError, Source
from checkhelp import check, verdicts


def test_every_block_kind_is_read():
    text = "\n".join([r"\begin{align} a &= a \end{align}", r"\begin{align*} b &= b \end{align*}",
                      r"\begin{equation} c = c \end{equation}", r"\begin{equation*} d = d \end{equation*}",
                      r"\begin{gather} e = e \end{gather}", r"\begin{gather*} f = f \end{gather*}",
                      r"$$ g = g $$", r"\[ h = h \]", r"prose $i = j$ is inline math"])
    blocks = blocks_of(Source(text))
    assert [b.env for b in blocks] == ["align", "align*", "equation", "equation*", "gather", "gather*", "$$", "\\[", "$"]
    assert [b.inline for b in blocks] == [False] * 8 + [True]


def test_comments_are_kept_never_read():
    src = Source("\\begin{align}\n"
                 "a &= b \\quad\\text{by (1)} \\label{x} \\\\\n"
                 "\\text{so}\\quad c &= d \\tag{2} \\nonumber\n"
                 "\\end{align}")
    lines = lines_of(src)
    assert [[t.text for t in l.tokens] for l in lines] == [["a", "=", "b"], ["c", "=", "d"]]
    assert lines[0].comments == [r"\quad\text{by (1)}", r"\label{x}"]
    assert lines[1].comments == [r"\text{so}", r"\tag{2}", r"\nonumber"]


def test_percent_comments_and_trailing_punctuation():
    src = Source("$$ a = b, % a = c\n $$")
    (line,) = lines_of(src)
    assert [t.text for t in line.tokens] == ["a", "=", "b"]


def test_unclosed_block_is_an_error_with_its_line():
    with pytest.raises(ReadError, match="line 2"):
        blocks_of(Source("text\n\\begin{align*} a = b"))


def test_chain_and_continuation_lines():
    r = check("\\begin{align*}\n"
              "(x+1)^2 &= x^2 + 2x\n"
              "  + 1 \\\\\n"
              "&= (x+1)(x+1) = x^2 + 2x + 1\n"
              "\\end{align*}")
    assert verdicts(r) == {3: "proved", 4: "proved"}
    assert [s.line for s in r.steps] == [3, 4, 4]


def test_read_as_prints_the_parsed_form():
    r = check(r"$$ \frac12 x^2 = \tfrac{1}{2}x\cdot x $$")
    (s,) = r.steps
    assert s.read_as == r"\frac{x^{2}}{2} = \frac{x x}{2}"
    assert s.latex == r"\frac12 x^2 = \tfrac{1}{2}x\cdot x"


def test_definitions_are_substituted_and_not_judged():
    r = check("\\begin{align*}\n"
              "f(x) &:= x^2 + 1 \\\\\n"
              "g(t) &= 3t \\\\\n"
              "f(2) + g(1) &= 8\n"
              "\\end{align*}")
    assert verdicts(r) == {2: "definition", 3: "definition", 4: "proved"}


@pytest.mark.parametrize("value", [r"\frac{1}{0}", r"\frac{y - y}{y - y}", r"\frac{1}{y - y}"])
def test_an_undefined_definition_is_an_error_on_its_line(value):
    r = check("\\begin{align*}\n" f"x &:= {value} \\\\\n" "x + 1 &= x + 1\n" "\\end{align*}")
    assert r.errors == ["line 2, column 4: the value of this definition is undefined (a division by zero?)"]
    assert check(r"$$ x := \frac{y}{2} $$").errors == []  # a defined value is no error


def test_nothing_is_dropped():
    """Every relation of every line is a step, a definition or an error."""
    text = "\\begin{align*}\n a &= a = a \\\\\n b &:= 2 \\\\\n c &= \\foo \\\\\n &= c\n\\end{align*}"
    r = check(text)
    assert len(r.items) == 5
    assert r.errors == [r"line 4, column 7: unknown macro \foo"]
    assert r.items[-1].detail.endswith("(compared with line 3: line 4 could not be read)")


def test_a_file_without_blocks_says_so():
    r = check("Only prose, and inline math $x$ that states nothing.")
    assert r.items == [] and r.errors == ["no align, equation, gather, $$ or \\[ block with math in the file"]


def _rows(text: str, name: str = "") -> list[str]:
    from check.latex_blocks import document_text
    src = Source(document_text(text, name), name)
    return ["".join(t.text for t in ln.tokens) for ln in lines_of(src)]


@pytest.mark.parametrize("text", [
    "$$\\begin{align} a &= b \\\\ &= c \\end{align}$$",           # MathJax: align inside $$
    "$$\\begin{aligned} a &= b \\\\ &= c \\end{aligned}$$",
    "\\[\\begin{split} a &= b \\\\ &= c \\end{split}\\]",
    "\\begin{eqnarray} a &=& b \\\\ &=& c \\end{eqnarray}",
    "$$\\eqalign{ a &= b \\cr &= c }$$",
    "\\[\\begin{aligned} a &= b \\newline &= c \\end{aligned}\\]",
    "$$ a &= b \\\\\\\\ &= c $$",                                    # Markdown-escaped \\\\
    "<dt-math block>\n\\begin{aligned} a&=b\\\\[0.4em] &=c \\end{aligned}\n</dt-math>",
    "$$ a &amp;= b \\\\ =&amp; c $$",                               # HTML-escaped &, =& at the start
    "Text.\n\n.. math::\n\n  a = b \\\\\n  = c\n\nMore text.\n",
])
def test_blocks_of_every_style_give_the_same_rows(text):
    assert _rows(text) == ["a=b", "=c"]


def test_multline_is_one_line_and_left_right_rows_join():
    assert _rows("\\begin{multline} a = b \\\\ + c \\end{multline}") == ["a=b+c"]
    assert _rows("$$ a = \\left( b \\\\ + c \\right) $$") == ["a=left(b+cright)"]


def test_inline_math_is_read_when_it_states_a_relation():
    text = "We have $x$ and $a = b$, then \\(c \\le d\\); a price of $5 is prose.\n\n$= e$\n"
    assert _rows(text) == ["a=b", "cled", "=e"]


def test_a_row_break_with_spacing_is_not_a_display():
    assert [b.env for b in blocks_of(Source("$$ a = b \\\\[0.4em] c = d $$"))] == ["$$"]


def test_a_notebook_is_read_as_its_markdown_cells_on_their_lines():
    import json
    nb = {"cells": [{"cell_type": "markdown", "source": ["Intro\n", "$$ a = b $$\n"]},
                    {"cell_type": "code", "source": ["$$ x = 1 $$"]},
                    {"cell_type": "markdown", "source": ["$$ c = d $$"]}], "nbformat": 4}
    text = json.dumps(nb, indent=1)
    from check.latex_blocks import document_text
    src = Source(document_text(text, "n.ipynb"), "n.ipynb")
    lines = lines_of(src)
    assert ["".join(t.text for t in ln.tokens) for ln in lines] == ["a=b", "c=d"]
    raw = text.split("\n")
    assert all("=" in raw[src.line_of(ln.start) - 1] for ln in lines)  # on the line of the JSON that holds it


def test_the_prose_before_a_block_is_kept():
    (b,) = blocks_of(Source("Setting the derivative to zero:\n$$ f'(y) = 0 $$"))
    assert b.prose == "Setting the derivative to zero:"


def test_clauses_after_quad_are_math_and_remarks_stay_remarks():
    assert _rows("$$ a = b \\quad\\Rightarrow\\quad c = d $$") == ["a=bquadRightarrowquadc=d"]
    src = Source("$$ a = b \\quad\\text{by (1)} $$")
    (ln,) = lines_of(src)
    assert ln.comments == ["\\quad\\text{by (1)}"]
