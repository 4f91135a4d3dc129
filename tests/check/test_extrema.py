"""arg max / arg min: read, typeset back, and judged (the one stationary point in the
interval, with the second derivative's sign there), with planted wrong maximisers."""
import pytest
import sympy as sp

from checkhelp import check
from check.lexer import ReadError, tokenize
from check.notation import DEFAULT
from derive.ops import Argmax
from check.parser import Scope, parse_tokens
from derive.printing import latex

DENSITIES = '[functions]\ndensities = ["q", "p"]\n[symbols]\ny = "real"\n'


def lines(tmp_path, *rows, toml=DENSITIES):
    f = tmp_path / "n.toml"
    f.write_text(toml)
    body = " \\\\\n".join(rows)
    return {s.line: s for s in check(f"\\begin{{align*}}\n{body}\n\\end{{align*}}", notation=str(f)).steps}


def test_read_and_typeset_back():
    e = parse_tokens(tokenize(r"\operatorname*{arg\,max}_{y \in (0, 1)} \left(a\ln y + \ln(1-y)\right)"), Scope(DEFAULT))
    assert isinstance(e, Argmax) and e.args[2] == sp.Interval.open(0, 1) and e.args[3] == 1
    assert latex(e) == r"\operatorname*{arg\,max}_{y \in \left(0, 1\right)} \left(a \ln{\left(y \right)} + \ln{\left(1 - y \right)}\right)"
    e = parse_tokens(tokenize(r"\arg\min_{w} (w-3)^2"), Scope(DEFAULT))
    assert e.args[2] == sp.S.Reals and e.args[3] == -1
    e = parse_tokens(tokenize(r"\operatorname{argmax}_{t\in[0,\infty)} t e^{-t}"), Scope(DEFAULT))
    assert e.args[2] == sp.Interval(0, sp.oo, right_open=True)


@pytest.mark.parametrize("tex", [r"\arg x", r"\arg\max (w-3)^2", r"\arg\max_{y \in (0, 1, 2)} y",
                                 r"\arg\max_{y \in 0..1} y"])
def test_unreadable(tex):
    with pytest.raises(ReadError):
        parse_tokens(tokenize(tex), Scope(DEFAULT))


def test_optimal_discriminator(tmp_path):
    """Goodfellow et al. (2014), Prop. 1: the maximiser of q ln y + p ln(1-y) on (0, 1)."""
    got = lines(tmp_path, r"\text{Let}\quad v(y) &:= q(x)\ln y + p(x)\ln(1 - y)",
                r"\operatorname*{arg\,max}_{y \in (0,1)} v(y) &= \frac{q(x)}{q(x) + p(x)}",
                r"\operatorname*{arg\,max}_{y \in (0,1)} v(y) &= \frac{p(x)}{q(x) + p(x)}",   # planted: swapped
                r"\operatorname*{arg\,min}_{y \in (0,1)} v(y) &= \frac{q(x)}{q(x) + p(x)}")   # a maximum, not a minimum
    assert got[3].verdict == "proved" and "stationary point" in got[3].detail
    assert got[4].verdict == "wrong"
    assert got[5].verdict == "inconclusive" and "second derivative" in got[5].detail


def test_through_a_named_maximiser(tmp_path):
    """A notation definition may name the file's own function (known before it is read)."""
    toml = DENSITIES + '[definitions]\nlines = ["D^{\\\\star}(x) := \\\\operatorname*{arg\\\\,max}_{y \\\\in (0, 1)} v(y)"]\n'
    got = lines(tmp_path, r"\text{Let}\quad v(y) &:= q(x)\ln y + p(x)\ln(1 - y)",
                r"D^{\star}(x) &= \frac{q(x)}{p(x) + q(x)}", r"D^{\star}(x) &= \frac{1}{2}", toml=toml)
    assert got[3].verdict == "proved" and got[4].verdict == "wrong"


@pytest.mark.parametrize("tex,verdict", [
    (r"\arg\min_{w} (w - 3)^2 = 3", "proved"),
    (r"\arg\min_{w} (w - 3)^2 = -3", "wrong"),
    (r"\operatorname{argmax}_{t \in (0, \infty)} t e^{-t} = 1", "proved"),
    (r"\arg\max_{w} (w^3 - 3w) = -1", "inconclusive"),             # a local maximum only: w^3 grows
    (r"\arg\max_{w \in (0, 1)} w = 1", "inconclusive"),            # no stationary point inside
])
def test_extrema(tmp_path, tex, verdict):
    (s,) = check(f"$$ {tex} $$").steps
    assert s.verdict == verdict, s.detail
