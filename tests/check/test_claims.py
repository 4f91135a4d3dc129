"""The first rule: a correct step is never called wrong (issue 23). Readings, conditions,
consequences, names given to values, assumptions of a line."""
import sympy as sp

from check import chains
from check.readings import Reading
from checkhelp import check, verdicts


def _detail(r, line):
    return next(s.detail for s in r.steps if s.line == line)


def test_a_condition_then_its_consequences_and_a_slip_that_cancels():
    r = check("Let $f(y) = a \\ln y + b \\ln(1 - y)$, with $a, b > 0$.\n\n"
              "$$ f'(y) = 0 \\Rightarrow a(1-y) - by = 0 \\Rightarrow y(a+b) = -a \\Rightarrow y = \\frac{a}{a+b} $$",
              notation=None)
    got = [s.verdict for s in r.steps if s.line == 3]
    assert got[1] in ("proved", "numeric")           # a(1-y) - by = 0 follows from f'(y) = 0
    assert got[2:] == ["wrong", "wrong"]              # y(a+b) = -a does not follow; nor y = a/(a+b) from it
    assert got[0] in ("proved", "numeric")           # the condition: the line after it follows from it
    assert "a condition, not an identity" in [s.detail for s in r.steps if s.line == 3][0]


def test_a_condition_nothing_solves_is_inconclusive_never_wrong():
    r = check("Setting the derivative to zero:\n\n$$ \\frac{a}{y} = \\frac{b}{1 - y} $$\n")
    (s,) = r.steps
    assert s.verdict == "inconclusive" and s.detail.startswith("a condition, not an identity")


def test_a_starred_name_solves_the_condition_before_it():
    text = ("Setting the derivative in $y$ to zero:\n\n$$ \\frac{a}{D(x)} = \\frac{b}{1 - D(x)} $$\n\n"
            "so the optimum is\n\n$$ D^*(x) = \\frac{a}{a + b} $$\n")
    r = check(text)
    assert verdicts(r) == {3: "proved", 7: "proved"}
    assert _detail(r, 7).startswith("solves line 3")
    planted = check(text.replace("\\frac{a}{a + b} $$", "\\frac{b}{a + b} $$"))
    assert verdicts(planted)[7] == "wrong" and verdicts(planted)[3] == "inconclusive"


def test_a_system_of_two_conditions_and_what_follows_from_it():
    text = ("The discriminant vanishes at both ends:\n\\begin{align}\n1 + m - k u &= 2\\sqrt{m}, \\\\\n"
            "1 + m - k L &= -2\\sqrt{m}.\n\\end{align}\nSubtracting and adding them,\n"
            "\\begin{align}\nk (L - u) &= 4\\sqrt{m}, \\\\\n2(1 + m) &= k (L + u).\n\\end{align}\n")
    notation = {"symbols": {"m": "positive", "k": "positive", "L": "positive", "u": "positive"}}
    r = check(text, notation=_toml(notation))
    v = verdicts(r)
    assert v[8] in ("proved", "numeric") and v[9] in ("proved", "numeric")   # they follow from lines 3, 4
    assert v[3] in ("proved", "numeric") and v[4] in ("proved", "numeric")    # the conditions: solved after
    wrong = check(text.replace("&= 4\\sqrt{m}", "&= 2\\sqrt{m}"), notation=_toml(notation))
    assert verdicts(wrong)[8] == "wrong"


def test_a_trailing_name_names_the_value_and_a_chain_of_named_values_differentiates():
    r = check("$$ g(t) = e^{-t} = u $$\n\n$$ h(u) = \\ln(1 + u) = z $$\n\n"
              "$$ \\frac{\\partial z}{\\partial u} \\frac{\\partial u}{\\partial t} = -\\frac{e^{-t}}{1 + e^{-t}} $$\n")
    assert verdicts(r) == {1: "definition", 3: "definition", 5: "proved"}
    assert [s.read_as for s in r.items if s.verdict is None] == ["g{\\left(t \\right)} := e^{- t}", "u := e^{- t}",
                                                               "h{\\left(u \\right)} := \\ln{\\left(1 + u \\right)}",
                                                               "z := \\ln{\\left(1 + u \\right)}"]


def test_an_assumption_of_one_line():
    r = check("$$ f(w) = \\ln(1 + e^{-y w}) $$\n\n$$ f(w) = \\ln(1 + e^{-w}) \\quad \\text{if } y = 1 $$\n\n"
              "$$ f(w) = \\ln(1 + e^{w}) \\quad \\text{if } y = -1 $$\n\n$$ f(w) = \\ln(1 + e^{w}) $$\n")
    assert {s.line: s.verdict for s in r.steps} == {3: "proved", 5: "proved", 7: "wrong"}  # the case ends with its line
    assert [s.read_as for s in r.items if s.verdict is None][1:] == ["y = 1", "y = -1"]


def test_with_in_the_prose_defines():
    r = check("$$ k = \\frac{1}{2}(m^2 + s^2) - c $$\n\nwith $c = 1$, so that\n\n$$ k = \\frac{1}{2}(m^2 + s^2) - 1 $$\n")
    assert verdicts(r)[5] == "proved"


def test_wrong_only_when_every_reading_is_wrong(monkeypatch):
    original = chains.side_readings

    def readings(tokens, scope):  # a second reading of any side with P in it: P as the number 2
        first = original(tokens, scope)[0]
        P = sp.Symbol("P", real=True)
        if P in getattr(first.expr, "free_symbols", ()):
            return [first, Reading(first.expr.xreplace({P: sp.Integer(2)}), first.names, "P as 2")]
        return [first]
    monkeypatch.setattr(chains, "side_readings", readings)
    (s,) = check("$$ (P + 1) x = 3 x $$").steps
    assert s.verdict == "proved" and s.detail.startswith("holds reading P as 2")
    (s,) = check("$$ (P + 1) x = 4 x $$").steps
    assert s.verdict == "wrong" and "every reading fails" in s.detail


def test_a_column_set_to_zero_and_a_1x1_product():
    notation = _toml({"matrices": {"v": ["d", 1], "w": ["d", 1]}})
    assert verdicts(check("$$ v - v = 0 $$", notation=notation)) == {1: "numeric"}  # (checked at sizes 1..7)
    assert verdicts(check("$$ v^T w = w^T v $$", notation=notation)) == {1: "proved"}


def _toml(tables: dict) -> str:
    """A notation file in a temporary folder (its path)."""
    import tempfile
    lines = []
    for table, entries in tables.items():
        lines.append(f"[{table}]")
        for k, v in entries.items():
            value = "[" + ", ".join(f'"{x}"' if isinstance(x, str) else str(x) for x in v) + "]" if isinstance(v, list) else f'"{v}"'
            lines.append(f'"{k}" = {value}')
    f = tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False)
    f.write("\n".join(lines) + "\n")
    f.close()
    return f.name


def test_a_function_the_file_states_may_be_restated_in_new_variables():
    """L(a, y) = ... then L(z, y) = ...: authors overload a name (the loss in z): never wrong as the
    definition applied; a later L(z, y) is compared with the first statement of L(z, y)."""
    r = check("$$ L(a, y) = -y \\ln a $$\n\n$$ L(z, y) = y \\ln(1 + e^{-z}) $$\n\n"
              "$$ L(z, y) = y \\ln\\left(\\frac{1 + e^{z}}{e^{z}}\\right) $$\n\n$$ L(z, y) = y \\ln(1 + e^{z}) $$",
              notation=None)
    got = {s.line: (s.verdict, s.detail) for s in r.steps}
    assert got[3][0] == "inconclusive" and "new variables" in got[3][1]
    assert got[5][0] in ("proved", "numeric") and "as on line 3" in got[5][1]
    assert got[7][0] == "inconclusive"   # differs from line 3, but L(z, y) may be a new quantity


def test_a_derivative_of_a_name_nothing_defines_is_not_a_constant():
    """d L_reg / d mu with L_reg never defined: its dependence on mu is unknown (never wrong);
    a name the notation declares is a variable of its own (d sigma / d mu = 0 holds)."""
    (s,) = check("$$ \\frac{\\partial L_{reg}}{\\partial \\mu} = \\mu $$", notation=None).steps
    assert s.verdict == "inconclusive" and "L_{reg}, which nothing defines" in s.detail
    (s,) = check("$$ \\frac{\\partial \\sigma}{\\partial \\mu} = 1 $$", part="2.a").steps
    assert s.verdict == "wrong"


def test_a_slip_of_case_is_a_reading():
    """P(X) inside an integral over x, X met nowhere before: a reading takes X as x."""
    text = ("$$ F = \\int_{-\\infty}^{\\infty} x^2 e^{-x^2} dx $$\n\n"
            "$$ \\int_{-\\infty}^{\\infty} x^2 e^{-x^2} dx = \\int_{-\\infty}^{\\infty} X^2 e^{-x^2} dx $$")
    (s,) = check(text, notation=None).steps
    assert s.verdict in ("proved", "numeric") and "X as x (a slip of case)" in s.detail


# -- issue 23, round 2: readings of real-world lines (each verdict decided before running) -----

def test_pm_is_a_fork_of_two_signs():
    """``\\pm`` reads as + and as -, one sign per side; a step is wrong only when both fail."""
    assert verdicts(check(r"$$ \frac{2 \pm \sqrt{16}}{2} = 3 $$")) == {1: "proved"}
    (minus,) = check(r"$$ \frac{2 \pm \sqrt{16}}{2} = -1 $$").steps
    assert minus.verdict == "proved" and "reading \\pm as -" in minus.detail
    assert verdicts(check(r"$$ \frac{2 \pm \sqrt{16}}{2} = 5 $$")) == {1: "wrong"}
    assert verdicts(check(r"$$ (a \pm b)^2 = a^2 \pm 2ab + b^2 $$")) == {1: "proved"}
    assert verdicts(check(r"$$ (a \pm b)^2 = a^2 \mp 2ab + b^2 $$")) == {1: "wrong"}


def test_a_word_applied_to_an_argument_is_a_name():
    r"""``\text{Re}(\lambda) = ...`` names the real part (a definition here), it is not a remark
    that leaves ``(\lambda) = ...`` to be called wrong."""
    r = check(r"$$ \text{Re}(\lambda^M) = \frac{L + \mu}{2}; \quad \text{Im}(\lambda^M) = \frac{L}{3} $$")
    assert verdicts(r) == {1: "definition"} and not r.errors


def test_scalars_written_for_columns_at_d_1(tmp_path):
    """An author's scalar w, x under part 1.grad (columns): h'(w) = dt/dw is the gradient of the
    1 x 1 product w x, a 1 x 1 matrix of a 1 x 1 matrix at d = 1, read as its entry (it was "a 1x1
    matrix against a number"). (dt/dw = x stays wrong: w x does not fit at d = 2; open.)"""
    nota = tmp_path / "n.toml"
    nota.write_text('[functions]\nnames = ["h"]\n[definitions]\nlines = ["\\\\lambda := 0"]\n')
    r = check("$$ h(w) = wx = t $$\n\n$$ h^{\\prime}(w) = \\frac{\\partial t}{\\partial w} = x $$", part="1.grad",
              notation=str(nota))
    first = r.steps[0]
    assert first.verdict == "inconclusive" and "1x1 matrix" not in first.detail


def test_no_reading_fitting_the_shapes_is_not_wrong():
    r"""``\lambda(M)`` (the eigenvalues of a 2 x 2 matrix) read as a product or a call gives a
    matrix against a number under every reading: a reading the checker lacks, inconclusive."""
    text = (r"$$ \frac{a \pm \sqrt{a^2 - 4b}}{2} = \lambda \left( \begin{bmatrix} a & -b \\ 1 & 0 "
            r"\end{bmatrix}\right) $$")
    assert verdicts(check(text)) == {1: "inconclusive"}


def test_an_inline_condition_whose_sentence_runs_into_the_display_holds_there(tmp_path):
    """"given that $p_r = p_g$, we arrive at:" then the display: p_r = p_g holds in it (the calls
    too), so D(x) = 1/2 is right; after a full stop it no longer holds."""
    defs = "$$ D(x) := \\frac{p_r(x)}{p_r(x) + p_g(x)} $$\n\n"
    runs_on = defs + "Given that $p_r = p_g$, we arrive at:\n$$ D(x) = \\frac{1}{2} $$\n"
    stops = defs + "Given that $p_r = p_g$. We arrive at:\n$$ D(x) = \\frac{1}{2} $$\n"
    nota = tmp_path / "n.toml"
    nota.write_text('[functions]\ndensities = ["p_r", "p_g"]\n')
    assert verdicts(check(runs_on, notation=str(nota)))[4] == "proved"
    assert verdicts(check(stops, notation=str(nota)))[4] == "wrong"


def test_mathrm_t_after_a_subscript_is_a_transpose(tmp_path):
    r"""``\mu_1^\mathrm{T}`` is the transpose of the column ``\mu_1`` (it was read as a new name
    ``\mu^{T}`` and an entry of it, calling a correct line of StatProofBook's KL wrong)."""
    nota = tmp_path / "n.toml"
    nota.write_text('[matrices]\n"\\\\mu_1" = ["n", 1]\n"\\\\Sigma_2" = ["n", "n"]\n')
    text = r"$$ \mu_1^\mathrm{T} \Sigma_2^{-1} \mu_1 = \mathrm{tr}\left[ \mu_1^T \Sigma_2^{-1} \mu_1 \right] $$"
    assert verdicts(check(text, notation=str(nota))) == {1: "proved"}


def test_roots_named_by_a_fresh_name_after_conditions_are_not_wrong():
    r"""``\sigma_{1,2} = \tfrac12(b \pm \sqrt{b^2 - 4c})`` after "its eigenvalues solve $\sigma^2 - b\sigma
    + c = 0$": a new name given the roots; the conditions do not apply to the name, so it is
    inconclusive (a value given), never wrong."""
    text = ("so its eigenvalues solve\n$$ \\sigma^{2} - b\\sigma + c = 0 $$\nand are\n"
            "$$ \\sigma_{1,2} = \\tfrac{1}{2}\\left(b \\pm \\sqrt{b^{2} - 4c}\\right) $$\n")
    assert verdicts(check(text)) == {2: "inconclusive", 4: "inconclusive"}


def test_a_notation_s_matrix_definitions_apply_after_its_sizes(tmp_path):
    r"""``n := m`` and ``\Sigma_2 := I_m``, ``\mu_2 := 0`` for n-sized declared matrices: the
    definitions apply (by name, after n became m; 0 a zero column). Before, \Sigma_2 took random
    non-symmetric values and a correct trace-trick line was called wrong, or the zero column crashed."""
    nota = tmp_path / "n.toml"
    nota.write_text('[matrices]\n"\\\\mu_1" = ["n", 1]\n"\\\\mu_2" = ["n", 1]\n"\\\\Sigma_2" = ["n", "n"]\n'
                    '[definitions]\nlines = ["n := m", "\\\\Sigma_2 := I_m", "\\\\mu_2 := 0"]\n')
    text = r"$$ \mu_2^T\Sigma_2^{-1}\mu_1 + \mu_1^T\Sigma_{2}^{-1}\mu_1 = \mu_1^T\mu_1 $$"
    assert verdicts(check(text, part="2.b", notation=str(nota))) == {1: "proved"}
    assert verdicts(check(r"$$ \mu_2^T \mu_1 = 1 $$", part="2.b", notation=str(nota))) == {1: "wrong"}


def test_an_iterate_nothing_defines_on_the_left_is_a_stated_value():
    r"""``x_t - x^\star = P_t(H)(x_0 - x^\star)``: x_t, the algorithm's iterate, is defined by no
    line; the line states its value (inconclusive), it is not wrong at a random x_t. A name on
    the right only (a planted slip beside a KL) stays checkable."""
    text = r"$$ x_t - x^\star = (1 - h)^t (x_0 - x^\star) $$"
    (s,) = check(text).steps
    assert s.verdict == "inconclusive" and "x_{t}" in s.detail
    assert verdicts(check(r"$$ \mathrm{KL}(q \| p) = \mu^2 + \sigma_1 $$", part="2.a")) == {1: "wrong"}
