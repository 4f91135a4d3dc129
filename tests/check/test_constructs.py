r"""What real authors write (issue 23): each construct, and each fork, as a table of LaTeX
input and the readings it gives (:func:`check.readings.side_readings`), the preferred first."""
from dataclasses import replace
from types import MappingProxyType

import pytest
import sympy as sp

from check.judge import evaluated
from check.lexer import ReadError, tokenize
from check.notation import DEFAULT
from derive.ops import Argmax, Expect, Norm
from check.parser import Scope
from check.readings import MAX_READINGS, compatible, pairs, side_readings
from derive.ops import KL

x, y, z, w, mu, sigma, theta, omega = (sp.Symbol(n, real=True) for n in
                                       ("x", "y", "z", "w", "mu", "sigma", "theta", "omega"))
P, Q, q, p = (sp.Symbol(n, real=True) for n in ("P", "Q", "q", "p"))
PB = sp.IndexedBase("p", real=True)
f, l, Pf, Qf = sp.Function("f"), sp.Function("l"), sp.Function("P"), sp.Function("Q")
i, j = (sp.Symbol(n, integer=True, positive=True) for n in ("i", "j"))
LN10 = sp.log(10)
S2 = sp.IndexedBase("sigma", real=True)[2]


def readings(tex, scope=None):
    return side_readings(tokenize(tex), scope or Scope(DEFAULT))


def values(tex, scope=None):
    return [evaluated(r.expr).replace(lambda e: isinstance(e, sp.Subs), lambda e: e.doit()) for r in readings(tex, scope)]


def matrix_scope(**shapes):
    return Scope(replace(DEFAULT, matrices=MappingProxyType(shapes)))


KL_FORMS = [
    (r"\mathrm{KL}[P\,||\,Q]", KL(P, Q)),
    (r"KL(P, Q)", KL(P, Q)),
    (r"D_{KL}(P\|Q)", KL(P, Q)),
    (r"D_{KL}(P||Q)", KL(P, Q)),
    (r"D_{\mathrm{KL}}(P \| Q)", KL(P, Q)),
    (r"D_{\text{KL}}\left(P \parallel Q\right)", KL(P, Q)),
    (r"\mathcal{D}_{KL}[q \| p]", KL(q, p)),
    (r"\mathfrak{D}_\text{KL}[p_1\mid\mid p_2]", KL(PB[1], PB[2])),   # p_1: the entry 1 of p
    (r"\operatorname{KL}(q \Vert p)", KL(q, p)),
    (r"\text{KL}(q \| p)", KL(q, p)),
    (r"\mathrm{KL}\left(q \,\middle\|\, p\right)", KL(q, p)),
    (r"\mathrm{KL}\left[q \mid p\right]", KL(q, p)),
]


@pytest.mark.parametrize("tex,value", KL_FORMS)
def test_every_kl_form_reads_as_the_kl(tex, value):
    assert values(tex) == [value]


ONE_READING = [
    # function application where the file gives the evidence
    (r"\int P(x) \ln Q(x)\, dx", sp.Integral(Pf(x) * sp.log(Qf(x)), (x, -sp.oo, sp.oo))),
    (r"\frac{d}{dx} P(x)", sp.Derivative(Pf(x), x)),
    (r"\nabla_\theta l(\theta)", sp.Derivative(l(theta), theta)),
    (r"p_\theta(x|z)", sp.Function(r"p_{\theta}")(x, z)),
    (r"\nabla f(\theta_t)", sp.Derivative(f(sp.Symbol("theta_t", real=True)), sp.Symbol("theta_t", real=True))),
    (r"\nabla f(2x)", sp.Subs(sp.Derivative(f(y), y), y, 2 * x).doit()),
    # integrals over a named domain, differentials
    (r"\int_{\mathcal X} f(x)\, dx", sp.Integral(f(x), (x, -sp.oo, sp.oo))),
    (r"\int_{x \in \chi} f(x)\, dx", sp.Integral(f(x), (x, -sp.oo, sp.oo))),
    (r"\int_x f(x) \ln f(x)", sp.Integral(f(x) * sp.log(f(x)), (x, -sp.oo, sp.oo))),
    (r"\int_{-\infty}^{\infty} f(z)\,\mathrm{d}z", sp.Integral(f(z), (z, -sp.oo, sp.oo))),
    # optima
    (r"\max_y \left(1 - y^2\right)", 1 - Argmax(1 - y ** 2, y, sp.S.Reals, 1) ** 2),  # at the maximiser
    # expectations
    (r"\langle x^2 \rangle_{q}", Expect(x ** 2, q, x)),   # its one Latin letter is the variable
    (r"\left\langle \ln f(x) \right\rangle_{f(x)}", Expect(sp.log(f(x)), sp.Symbol("f"), x)),
    (r"\mathbb{E}_{x\sim p}[x^2]", Expect(x ** 2, p, x)),
    (r"\mathbb{E}_{X\sim P(x)}[X]", Expect(sp.Symbol("X", real=True), sp.Symbol("P"), sp.Symbol("X", real=True))),
    (r"{\mathbb{E}_{q}}[x]", Expect(x, q, x)),
    # wrappers, labels and styles
    (r"\underbrace{x + y}_{=\,z}", x + y),
    (r"\boxed{x + 1}", x + 1),
    (r"\small x", x),
    (r"\cal L", sp.Symbol(r"\mathcal{L}", real=True)),
    # derivatives, fractions, products
    (r"f''(x)", sp.Derivative(f(x), (x, 2))),
    (r"f^{\prime\prime}(x)", sp.Derivative(f(x), (x, 2))),
    (r"\tfrac{1}{2} + \dfrac{x}{2}", (1 + x) / 2),
    (r"x \times y \cdot z", x * y * z),
    # index and exponent conventions
    (r"\sigma_j^{(i)2}", sp.IndexedBase(r"\sigma^{(\cdot)}", real=True)[j, i] ** 2),
    (r"\mu^2_i", sp.IndexedBase("mu", real=True)[i] ** 2),
    (r"{\sigma_1}^2", sp.IndexedBase("sigma", real=True)[1] ** 2),
    (r"\theta^{(t)}", sp.Symbol(r"\theta^{(t)}", real=True)),
    (r"\vec w + \boldsymbol w + \mathbf{w}", 3 * w),
    (r"<x, \omega>", x * omega),
    (r"D^{opt}_{G}(x)", sp.Function("D^{opt}_G")(x)),                      # a word over a name labels it
    (r"x_i'", sp.IndexedBase("x'", real=True)[i]),
    (r"{\mathbb{E}_{X\sim P(x)}}\left[X^{2}\right]", Expect(sp.Symbol("X", real=True) ** 2, sp.Symbol("P"),
                                                             sp.Symbol("X", real=True))),
    (r"\frac{\partial}{\partial \ln\sigma} \sigma^2",                         # by the chain rule
     sp.Derivative(sigma ** 2, sigma) / sp.Derivative(sp.log(sigma), sigma)),
    (r"\int_{\boldsymbol{x}} f(x)\,\mathrm{d}x", sp.Integral(f(x), (x, -sp.oo, sp.oo))),
    (r"KL + KL_i", sp.Symbol("KL", real=True) + sp.IndexedBase("KL", real=True)[i]),  # KL alone is a name
]


@pytest.mark.parametrize("tex,value", ONE_READING)
def test_constructs_read_as(tex, value):
    got = values(tex)
    assert got == [value], f"{tex} read as {got}"


@pytest.mark.parametrize("tex,shapes,value", [
    (r"\|w\|_2^2", {"w": ("m", 1)}, Norm(sp.MatrixSymbol("w", sp.Symbol("m", integer=True, positive=True), 1)) ** 2),
    (r"\det\Sigma + |\Sigma|", {"Sigma": ("m", "m")},
     2 * sp.Determinant(sp.MatrixSymbol("Sigma", sp.Symbol("m", integer=True, positive=True), sp.Symbol("m", integer=True, positive=True)))),
])
def test_matrix_constructs(tex, shapes, value):
    assert values(tex, matrix_scope(**shapes)) == [value]


def test_iterates_of_a_declared_vector():
    """z_t, z_{t-1}, x^{k} of a declared column are columns of its shape; x_k is an entry or an
    iterate (both readings); I declared square is the identity."""
    m = sp.Symbol("m", integer=True, positive=True)
    scope = matrix_scope(z=("m", 1), x=("m", 1), I=("m", "m"))
    zt, zt1 = sp.MatrixSymbol("z_t", m, 1), sp.MatrixSymbol("z_{t-1}", m, 1)
    same = lambda got, want: len(got) == 1 and (got[0] - want).doit() == sp.ZeroMatrix(m, 1)
    assert same(values(r"z_t - z_{t-1}", scope), zt - zt1)
    assert same(values(r"x^{k+1} - x^{k}", scope), sp.MatrixSymbol("x^{k+1}", m, 1) - sp.MatrixSymbol("x^{k}", m, 1))
    assert values(r"x_k", scope) == [sp.IndexedBase("x", real=True)[sp.Symbol("k", integer=True, positive=True)],
                                     sp.MatrixSymbol("x_k", m, 1)]
    assert values(r"x_k + z_t", scope) == [sp.MatrixSymbol("x_k", m, 1) + zt]  # an entry plus a column: no reading
    assert same(values(r"I z_t", scope), zt)


@pytest.mark.parametrize("tex", [r"\operatorname{tr}(A)", r"\mathrm{Tr}(A)", r"{\rm tr}(A)", r"\text{tr}\, A", r"tr(A)"])
def test_every_trace_form(tex):
    m = sp.Symbol("m", integer=True, positive=True)
    assert values(tex, matrix_scope(A=("m", "m"))) == [sp.Trace(sp.MatrixSymbol("A", m, m))]


def test_trace_of_a_number_and_an_inner_product_of_columns():
    scope = matrix_scope(x=("m", 1), w=("m", 1))
    (e,) = values(r"\operatorname{tr}(x^T w) - <x, w>", scope)
    assert e == 0


@pytest.mark.parametrize("tex,expected", [
    # a call or a product: in doubt both, the product first
    (r"P(x)", [P * x, Pf(x)]),
    (r"l(f(g(h(w))))", [sp.Symbol("l", integer=True, positive=True) * f(sp.Function("g")(sp.Function("h")(w))), l(f(sp.Function("g")(sp.Function("h")(w))))]),
    (r"\sigma(t)", [sigma * sp.Symbol("t", real=True), sp.Function("sigma")(sp.Symbol("t", real=True))]),
    # how far \log reaches, and what its power applies to
    (r"\ln 2\pi\sigma^2", [sp.log(2 * sp.pi * sigma ** 2), sp.log(2) * sp.pi * sigma ** 2]),
    (r"\ln(1/\sigma^2)^{1/2}", [sp.sqrt(sp.log(sigma ** -2)), sp.log(sp.sqrt(sigma ** -2))]),
    (r"\ln 2\pi{\sigma_{2}}^{2}", [sp.log(2 * sp.pi * S2 ** 2), sp.log(2) * sp.pi * S2 ** 2]),
])
def test_forks_give_every_plausible_reading(tex, expected):
    assert values(tex) == expected
    notes = [r.note for r in readings(tex)]
    assert all(notes) and len(set(notes)) == len(notes)


def test_notes_say_which_reading():
    first, second = readings(r"P(x)")
    assert first.note == "reading P(x) as a product" and second.note == "reading P(x) as a function of x"
    assert readings(r"\ln x")[0].note == ""  # one reading, no note


def test_an_expectation_without_subscript_is_over_the_capital_letter():
    scope = Scope(replace(DEFAULT, default_expectation="q"))
    X = sp.Symbol("X", real=True)
    assert values(r"\left\langle (X-\mu)^2 \right\rangle", scope) == [Expect((X - mu) ** 2, sp.Symbol("q"), X)]


def test_a_name_is_not_both_a_function_and_a_symbol():
    """``x + x(y+1)``: x is a number here, so x(y+1) is a product only."""
    assert values(r"x + x(y + 1)") == [x + x * (y + 1)]


def test_a_file_that_applies_a_name_to_a_variable_calls_it_everywhere():
    scope = Scope(DEFAULT)
    readings(r"\int P(x)\, dx", scope)
    assert values(r"P(y)", scope) == [Pf(y)]
    readings(r"\mathrm{KL}(Q \| R)", scope)  # the arguments of a KL are densities
    assert values(r"Q(y)", scope) == [Qf(y)]


def test_declared_symbols_are_never_called():
    scope = Scope(replace(DEFAULT, domains=MappingProxyType({"a": "real"})))
    assert values(r"a(x + 1)", scope) == [sp.Symbol("a", real=True) * (x + 1)]


def test_readings_are_capped():
    tex = " + ".join(f"{c}(x)" for c in "ABCEHJK")
    got = readings(tex)
    assert len(got) == MAX_READINGS and got[0].note.count("as a product") == 7


def test_the_two_sides_of_a_step_read_a_name_alike():
    left, right = readings(r"P(x)"), readings(r"2 P(x) / 2")
    got = pairs(left, right)
    assert len(got) == 2 and all(compatible(a, b) for a, b, _ in got)
    assert [n for _, _, n in got] == ["reading P(x) as a product", "reading P(x) as a function of x"]


def test_log_is_base_10_only_in_a_file_that_writes_ln_10():
    """``\\log`` is the natural log; in a file that writes ``\\ln 10`` also the log base 10 (a fork)."""
    assert values(r"\log x") == [sp.log(x)] and values(r"\log_{10} x") == [sp.log(x) / LN10]
    scope = Scope(DEFAULT)
    scope.log_base_seen = True
    assert values(r"\log x", scope) == [sp.log(x), sp.log(x) / LN10]
    left, right = readings(r"\log x", scope), readings(r"\log(x^2)/2", scope)
    assert [n for _, _, n in pairs(left, right)] == ["reading \\log as the natural log", "reading \\log as the log base 10"]


def test_min_max_over_a_function_is_not_read():
    with pytest.raises(ReadError, match="not a variable of the term"):
        readings(r"\min_G \max_D V(D, G)")


def test_labels_over_relations_are_the_relation():
    assert [t.text for t in tokenize(r"a \overset{(a)}{=} b \stackrel{\text{def}}{=} c")] == ["a", "=", "b", "=", "c"]
    assert [t.text for t in tokenize(r"\boxed{a = b}")] == ["a", "=", "b"]
    assert [t.kind for t in tokenize(r"a = b \eqref{eq:1}")] == ["letter", "char", "letter", "tag"]
