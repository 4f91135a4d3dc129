r"""Gradients in a tuple of scalars, written matrices of columns (block matrices), names for
tuples and the evaluation bar ``f\big|_{p=q}`` at a function: what each reads as, and a
correct and a planted-wrong line of each."""
import pytest
import sympy as sp

from checkhelp import check, verdicts
from check.evaluations import FunctionSubs
from check.judge import evaluated
from check.lexer import ReadError, tokenize
from check.notation import DEFAULT
from check.parser import Parser, Scope, parse_tokens

a, b, x, z, tau = (sp.Symbol(n, real=True) for n in ("a", "b", "x", "z", "tau"))
W = sp.IndexedBase("w", real=True)


def read(tex, scope=None):
    return evaluated(parse_tokens(tokenize(tex), scope or Scope(DEFAULT)))


def col(*xs):
    return sp.ImmutableMatrix([[e] for e in xs])


# -- read as ---------------------------------------------------------------------------------

def test_gradient_in_a_tuple_reads_as_the_column_of_partials():
    f = a ** 2 * b
    got = read(r"\nabla_{(a,b)} a^2 b")
    assert got == col(sp.Derivative(f, a), sp.Derivative(f, b))
    assert sp.latex(got) == (r"\left[\begin{matrix}\frac{\partial}{\partial a} a^{2} b\\"
                             r"\frac{\partial}{\partial b} a^{2} b\end{matrix}\right]")
    assert read(r"\nabla_{(w_0,w_1,x)}\,(w_0 x)") == col(*(sp.Derivative(W[0] * x, v) for v in (W[0], W[1], x)))


def test_partial_with_negative_space_and_bracketed_matrix():
    assert read(r"\partial_{a}\!\left(a b\right)") == sp.Derivative(a * b, a)
    assert read(r"\left[\begin{matrix}1\\x\end{matrix}\right]") == col(1, x)
    assert read(r"\begin{bmatrix}1 & x\end{bmatrix}") == sp.ImmutableMatrix([[1, x]])


def test_a_matrix_of_columns_is_the_block_matrix():
    got = read(r"\begin{pmatrix}\nabla_{(a,b)}(az+b) & \nabla_{(\tau,b)}(e^{\tau}z+b)\end{pmatrix}")
    f, g = a * z + b, z * sp.exp(tau) + b
    assert got == sp.ImmutableMatrix([[sp.Derivative(f, a), sp.Derivative(g, tau)],
                                      [sp.Derivative(f, b), sp.Derivative(g, b)]])
    assert read(r"\begin{pmatrix}\begin{pmatrix}a\\b\end{pmatrix} & \begin{pmatrix}x\\z\end{pmatrix}\end{pmatrix}") \
        == sp.ImmutableMatrix([[a, x], [b, z]])


def test_a_side_written_as_a_tuple_is_a_column():
    p = Parser(tokenize(r"(w_0, w_1, w_2)"), Scope(DEFAULT))
    assert p.side() == col(W[0], W[1], W[2])
    assert Parser(tokenize(r"(a + b)"), Scope(DEFAULT)).side() == a + b   # parentheses, not a tuple
    with pytest.raises(ReadError):  # not one tuple: two groups side by side
        q = Parser(tokenize(r"(a, b) (x, z)"), Scope(DEFAULT))
        q.side()
        q.finish()


def test_evaluation_bar_at_a_function_reads_as_the_substitution():
    scope = Scope(DEFAULT)
    scope.functions |= {"D", "p_G", "q"}
    got = read(r"D(x)\big|_{p_G=q}", scope)
    assert isinstance(got, FunctionSubs) and got.args[0] == sp.Function("D")(x)
    assert [(o.name, n.name) for o, n in got.pairs] == [("p_G", "q")]
    assert sp.latex(got) == r"\left. D{\left(x \right)} \right|_{p_{G}=q}"
    for size in ("Big", "bigg", "Bigg", "bigr"):
        assert read(rf"D(x)\{size}|_{{p_G=q}}", scope) == got
    assert read(r"x^2\big|_{x=3}").doit() == 9   # at a value: SymPy's Subs
    assert read(r"2 + x\big|_{x=3}").doit() == 5   # the bar takes the product to its left


@pytest.mark.parametrize("tex,message", [
    (r"\nabla_{(a,b)} \begin{pmatrix}a\\b\end{pmatrix}", "gradient in a tuple of a matrix"),
    (r"\begin{pmatrix}\begin{pmatrix}a\\b\end{pmatrix} & x\end{pmatrix}", "blocks of a matrix do not fit"),
    (r"\nabla_{(a,a)} a b", "distinct variables"),
    (r"\nabla_{(a+b,x)} a b", "distinct variables"),
    (r"\begin{pmatrix}D(x)\\1\end{pmatrix}\big|_{p_G=q}", "a matrix evaluated"),
    (r"D(x)\big|_{p_G=1}", "needs a function name"),
    (r"D(x)\big|_{\substack{p_G=q\\x=1}}", "not both at once"),
])
def test_errors_of_the_new_constructs(tex, message):
    scope = Scope(DEFAULT)
    scope.functions |= {"D", "p_G", "q"}
    with pytest.raises(ReadError, match=message):
        read(tex, scope)


# -- verdicts --------------------------------------------------------------------------------

def _verdicts(lines, notation=None):
    text = "\\begin{align*}\n" + " \\\\\n".join(lines) + "\n\\end{align*}\n"
    return verdicts(check(text, None, notation, sandbox=False))


def test_tuple_gradient_correct_and_wrong():
    v = _verdicts([r"h(x) := w_0 + w_1 x + w_2 x^2",
                   r"\nabla_{(w_0,w_1,w_2,x)} h(x) = \left[\begin{matrix}1\\x\\x^{2}\\w_{1} + 2 w_{2} x\end{matrix}\right]",
                   r"\nabla_{(w_0,w_1,w_2,x)} h(x) = \left[\begin{matrix}1\\x\\x^{2}\\w_{1} + w_{2} x\end{matrix}\right]",
                   r"\nabla_{(a,b)} \ln(a z + b) = \begin{pmatrix} \frac{z}{az+b} \\ \frac{1}{az+b}\end{pmatrix}",
                   r"\nabla_{(a,b)} \ln(a z + b) = \begin{pmatrix} \frac{1}{az+b} \\ \frac{z}{az+b}\end{pmatrix}"])
    assert [v[k] for k in (3, 4, 5, 6)] == ["proved", "wrong", "proved", "wrong"]


def test_gradient_in_a_name_for_a_tuple_correct_and_wrong():
    v = _verdicts([r"w := (w_0, w_1, w_2)",
                   r"\ell(x) := (w_0 + w_1 x + w_2 x^2)^2",
                   r"\nabla_{w}\, \ell(x) = 2 (w_0 + w_1 x + w_2 x^2) \begin{pmatrix}1\\x\\x^2\end{pmatrix}",
                   r"\nabla_{w}\, \ell(x) = 2 (w_0 + w_1 x + w_2 x^2) \begin{pmatrix}1\\x\\x\end{pmatrix}",
                   r"\nabla_{w}\, \ell(x) = \begin{pmatrix}1\\x\end{pmatrix}"])
    assert v[2] == "definition" and [v[k] for k in (4, 5, 6)] == ["proved", "wrong", "wrong"]


def test_block_matrix_of_gradients_correct_and_wrong():
    lhs = r"\begin{pmatrix}\nabla_{(a,b)}(az+b) & \nabla_{(\tau,b)}(e^{\tau}z+b)\end{pmatrix}"
    v = _verdicts([rf"{lhs} = \left[\begin{{matrix}}z & z e^{{\tau}}\\1 & 1\end{{matrix}}\right]",
                   rf"{lhs} = \left[\begin{{matrix}}z & e^{{\tau}}\\1 & 1\end{{matrix}}\right]",
                   rf"{lhs} = \left[\begin{{matrix}}z \\ 1\end{{matrix}}\right]"])
    assert [v[k] for k in (2, 3, 4)] == ["proved", "wrong", "wrong"]


def test_the_entries_of_a_matrix_on_an_align_line_stay_apart():
    """An ``&`` inside a matrix on an align line separates entries (it is not the alignment):
    a 1 x 2 row is not the 1 x 1 product of its entries."""
    v = _verdicts([r"\begin{pmatrix} a & b\end{pmatrix} = \begin{pmatrix} a & b\end{pmatrix}",
                   r"\begin{pmatrix} a & b\end{pmatrix} = \begin{pmatrix} a b\end{pmatrix}"])
    assert [v[k] for k in (2, 3)] == ["proved", "wrong"]


def test_evaluation_at_a_function_correct_and_wrong(tmp_path):
    toml = tmp_path / "n.toml"
    toml.write_text('[symbols]\n"\\\\sigma_{q}" = "positive"\n[functions]\ndensities = ["p_G"]\n')
    v = _verdicts([r"q(x) := \frac{1}{\sqrt{2 \pi} \sigma_{q}} \exp\left(- \frac{(x - \mu_{q})^{2}}{2 \sigma_{q}^{2}}\right)",
                   r"D^{\star}(x) := \frac{q(x)}{q(x) + p_G(x)}",
                   r"D^{\star}(x)\big|_{p_G=q} = \frac{q(x)}{q(x) + q(x)}",
                   r"D^{\star}(x)\Big|_{p_G=q} = \frac{1}{2}",
                   r"D^{\star}(x)\big|_{p_G=q} = \frac{1}{3}",
                   r"D^{\star}(x) = \frac{1}{2}"], str(toml))
    assert [v[k] for k in (4, 5, 6, 7)] == ["proved", "proved", "wrong", "wrong"]


def test_evaluation_at_a_defined_function_is_not_guessed(tmp_path):
    """p := ... defined and then replaced by p=q: which one is meant is not guessed."""
    v = _verdicts([r"p(x) := x^2", r"q(x) := x", r"f(x) := p(x) + 1", r"f(x)\big|_{p=q} = x + 1"])
    assert v[5] == "inconclusive"
