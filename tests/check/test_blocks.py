"""Blocks, lines and comments: what is read as math and what is kept as a remark."""
import pytest

from check.latex_blocks import blocks_of, lines_of
from check.lexer import ReadError, Source
from checkhelp import check, verdicts


def test_every_block_kind_is_read():
    text = "\n".join([r"\begin{align} a &= a \end{align}", r"\begin{align*} b &= b \end{align*}",
                      r"\begin{equation} c = c \end{equation}", r"\begin{equation*} d = d \end{equation*}",
                      r"\begin{gather} e = e \end{gather}", r"\begin{gather*} f = f \end{gather*}",
                      r"$$ g = g $$", r"\[ h = h \]", r"prose $i = j$ is not a block"])
    envs = [b.env for b in blocks_of(Source(text))]
    assert envs == ["align", "align*", "equation", "equation*", "gather", "gather*", "$$", "\\["]


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
    r = check("Only prose, and inline math $x = 1$.")
    assert r.items == [] and r.errors == ["no align, equation, gather, $$ or \\[ block with math in the file"]
