"""Verdicts: proved, numeric, wrong (with a counterexample that is one), domain, inconclusive;
expectations and integrals under a declared Gaussian."""
import math

import pytest

from checkhelp import check, verdicts


def one(tex, part=None, **kw):
    (s,) = check(f"$$ {tex} $$", part, **kw).steps
    return s


@pytest.mark.parametrize("tex,verdict", [
    (r"(a+b)^2 = a^2 + 2ab + b^2", "proved"),
    (r"\frac{x^2-1}{x-1} = x + 1", "proved"),
    (r"\sum_{j=1}^{m} j = \frac{m(m+1)}{2}", "numeric"),     # shown at sizes only: never "proved"
    (r"(a+b)^2 = a^2 + b^2", "wrong"),
    (r"\ln(x^2) = 2\ln x", "domain"),                         # the example
    (r"\sqrt{x^2} = x", "domain"),
    (r"\sqrt{-1 - x^2} = 1", "inconclusive"),                 # undefined everywhere
    (r"x \approx x + 10^{-9}", "inconclusive"),
    (r"x^2 + 1 \ge 2x", "numeric"),
    (r"x^2 \le x", "wrong"),
])
def test_verdicts(tex, verdict):
    assert one(tex).verdict == verdict


def test_a_counterexample_is_one():
    s = one(r"(a+b)^2 = a^2 + b^2")
    c = s.counterexample
    a, b = c["point"]["a"], c["point"]["b"]
    assert math.isclose(c["lhs"], (a + b) ** 2) and math.isclose(c["rhs"], a * a + b * b)
    assert not math.isclose(c["lhs"], c["rhs"])


def test_domain_names_where_it_fails():
    s = one(r"\ln(x^2) = 2\ln x")
    assert s.counterexample["point"]["x"] < 0 and s.counterexample["rhs"] == "undefined"
    assert "undefined" in s.detail
    s = one(r"\sqrt{x^2} = x")
    assert "holds where x > 0" in s.detail and s.counterexample["point"]["x"] < 0


def test_declared_domains_change_the_verdict(tmp_path):
    toml = tmp_path / "n.toml"
    toml.write_text('[symbols]\nx = "positive"\n')
    assert one(r"\ln(x^2) = 2\ln x", notation=str(toml)).verdict == "proved"


@pytest.mark.parametrize("tex,verdict", [
    (r"\mathbb{E}_q[(z-\mu)^2] = \sigma^2", "proved"),        # Gaussian moments under the part's q
    (r"\mathbb{E}_q[z^2] = \mu^2 + \sigma^2", "proved"),
    (r"\mathbb{E}_q[z^2] = \mu^2", "wrong"),                  # the example
    (r"\int z\, q(z)\,dz = \mu", "proved"),
    (r"\int_{-\infty}^{\infty} \frac{e^{-\frac{(z-\mu)^2}{2\sigma^2}}}{\sqrt{2\pi}\sigma}\, z^2\,dz = \mu^2+\sigma^2", "proved"),
    (r"\mathbb{E}_q[\cos z] = e^{-\sigma^2/2}\cos\mu", "numeric"),   # no moment rule: quadrature
    (r"\mathbb{E}_q[\cos z] = \cos\mu", "wrong"),
])
def test_expectations_under_the_declared_gaussian(tex, verdict):
    assert one(tex, "2.a").verdict == verdict


def test_a_wrong_step_does_not_hide_the_next():
    r = check("\\begin{align*}\n a &= 2a \\\\\n &= a + a \\\\\n &= 3a\n\\end{align*}")
    assert verdicts(r) == {2: "wrong", 3: "proved", 4: "wrong"}


def test_inconclusive_never_counts_as_right():
    r = check("$$ \\mathbb{E}_q[z] = \\mu $$")  # no distribution q declared without a part
    (s,) = r.steps
    assert s.verdict == "inconclusive"


def test_assumptions_restrict_the_points(tmp_path):
    toml = tmp_path / "n.toml"
    toml.write_text('[definitions]\nassume = ["a \\\\ge b"]\n')
    assert one(r"\sqrt{(a-b)^2} = a - b").verdict in ("wrong", "domain")
    s = one(r"\sqrt{(a-b)^2} = a - b", notation=str(toml))
    assert s.verdict == "numeric" and "assumptions" in s.detail


MATRICES = '[matrices]\nA = ["q", "p"]\nv = ["p", 1]\nw = ["p", 1]\n'


@pytest.mark.parametrize("tex,verdict", [
    (r"w^T v = v^T w", "proved"),                      # 1 x 1 products: index form, every size
    (r"w^T A^T A w = (A w)^T (A w)", "proved"),
    (r"(A^T A w)^T = w^T A^T A", "proved"),             # a row of symbolic length
    (r"(A + A)^T A w = 2 A^T A w", "proved"),
    (r"w^T v = v^T v", "wrong"),                        # negative controls: never proved
    (r"(A w)^T = w^T A", "wrong"),
    (r"(A + A)^T A w = A^T A w", "wrong"),
])
def test_matrix_identities_for_every_size(tmp_path, tex, verdict):
    """Matrix steps of symbolic size are proved entry by entry in index form (the engine's sum
    algebra), and a false one is still shown wrong at a size."""
    toml = tmp_path / "n.toml"
    toml.write_text(MATRICES)
    s = one(tex, notation=str(toml))
    assert s.verdict == verdict, s.detail
    if verdict == "proved":
        assert "every size" in s.detail


def test_a_wrong_step_without_variables():
    """No point to name: the detail says so, and the PDF's note is no empty ``$$``."""
    from check.output import pdf_source
    r = check("$$ 2 + 2 = 5 $$")
    (s,) = r.steps
    assert s.verdict == "wrong" and s.detail == "the two sides are different numbers"
    assert s.counterexample["lhs"] == 4 and s.counterexample["rhs"] == 5
    assert "$$" not in pdf_source([r]).split(r"\begin{document}")[1]


MVN = ('[matrices]\nz = ["m", 1]\n"\\\\mu" = ["m", 1]\n"\\\\Sigma" = ["m", "m"]\nA = ["m", "m"]\n'
       '[definitions]\nlines = ["q(z) := \\\\mathcal{N}(z; \\\\mu, \\\\Sigma)", "p(z) := \\\\mathcal{N}(z; 0, I_m)"]\n')


@pytest.mark.parametrize("tex,verdict", [
    (r"\mathbb{E}_q[(z-\mu)^T A (z-\mu)] = \operatorname{tr}(A \Sigma)", "numeric"),
    (r"\mathbb{E}_q[(z-\mu)^T A (z-\mu)] = \operatorname{tr}(A)", "wrong"),      # holds at Sigma = I only
    (r"\mathbb{E}_q[z^T z] = \operatorname{tr}(\Sigma) + \mu^T \mu", "numeric"),
    (r"\mathbb{E}_q[z^T z] = \mu^T \mu", "wrong"),
    (r"\mathrm{KL}(q \| p) = \frac{\operatorname{tr}(\Sigma) + \mu^T\mu - m - \ln|\Sigma|}{2}", "numeric"),
    (r"\mathrm{KL}(q \| p) = \frac{\operatorname{tr}(\Sigma) + \mu^T\mu - m + \ln|\Sigma|}{2}", "wrong"),
    (r"\mathbb{E}_q[\ln q(z) - \ln p(z)] = \mathrm{KL}(q \| p)", "numeric"),
    (r"\mathbb{E}_q[z^T A z + 1] = \mathbb{E}_q[z^T A z] + 1", "proved"),          # linearity, every size
    (r"\mathbb{E}_q[2 z^T A z] = \mathbb{E}_q[z^T A z]", "wrong"),
])
def test_multivariate_normal_with_a_general_covariance(tmp_path, tex, verdict):
    """E_q and KL under N(mu, Sigma) of a column z: explicit sizes, Sigma at symmetric positive
    definite values (the identity, then random L L^T); a step true only at Sigma = I is wrong."""
    toml = tmp_path / "n.toml"
    toml.write_text(MVN)
    s = one(tex, notation=str(toml))
    assert s.verdict == verdict, s.detail
    if verdict == "numeric":
        assert "symmetric positive definite" in s.detail and "m = 1, 2, 3, 4" in s.detail
    if verdict == "proved":
        assert "every size" in s.detail


def test_a_generic_density_of_a_column_is_a_clear_unsupported(tmp_path):
    toml = tmp_path / "n.toml"
    toml.write_text('[matrices]\nz = ["m", 1]\n[functions]\ndensities = ["q", "p"]\n')
    s = one(r"\mathrm{KL}(q \| p) = \mathbb{E}_q[\ln q(z) - \ln p(z)]", notation=str(toml))
    assert s.verdict == "inconclusive" and "generic density of a column" in s.detail, s.detail


COLUMN = '[matrices]\nz = ["m", 1]\n"\\\\mu" = ["m", 1]\n'


@pytest.mark.parametrize("tex,verdict", [
    # (the right marginal: test_a_definition_that_continues_as_a_step, so that it is judged once)
    (r"\int_{\mathbb{R}^{m-1}} \mathcal{N}(z;\mu,\Sigma) \prod_{k\neq j} dz_k = \mathcal{N}(z_j; \mu_j, \sigma_j)", "wrong"),
    (r"\int_{\mathbb{R}^{m-1}} \mathcal{N}(z;\mu,\Sigma) \prod_{k\neq j} d{z}_{k} = \mathcal{N}(z_j; 0, 1)", "wrong"),
    (r"\int_{\mathbb{R}^m} \mathcal{N}(z;\mu,\Sigma)\, dz = 1", "proved"),         # normalisation, every size
    (r"\int_{\mathbb{R}^m} \mathcal{N}(z;\mu,\Sigma)\, dz = 2", "wrong"),
    (r"\int_{\mathbb{R}^m} z^T z\, \mathcal{N}(z;\mu,\Sigma)\, dz = \sum_{j=1}^{m} (\mu_j^2 + \sigma_j^2)", "numeric"),
    (r"\int_{\mathbb{R}^m} z^T z\, \mathcal{N}(z;\mu,\Sigma)\, dz = \sum_{j=1}^{m} \mu_j^2", "wrong"),
    (r"\int_{-\infty}^{\infty} \mathcal{N}({z}_{k}; {\mu}_{k}, {\sigma}_{k}^{2})\, d{z}_{k} = 1", "proved"),
    (r"\int_{-\infty}^{\infty} z_1 \mathcal{N}({z}_{1}; {\mu}_{1}, {\sigma}_{1}^{2})\, d{z}_{1} = \mu_1", "proved"),
    (r"\int_{-\infty}^{\infty} z_1 \mathcal{N}({z}_{1}; {\mu}_{1}, {\sigma}_{1}^{2})\, d{z}_{1} = 1", "wrong"),
])
def test_integrals_over_coordinates_of_a_column(tmp_path, tex, verdict):
    """Part 2.b's Sigma = diag(sigma_j^2): integrating out every coordinate but z_j (wrong
    marginals here; the right one, checked at every j at each size, in the next test), or all of
    them; d{z}_{k} as the writeup prints it."""
    toml = tmp_path / "n.toml"
    toml.write_text(COLUMN)
    s = one(tex, "2.b", notation=str(toml))
    assert s.verdict == verdict, s.detail


def test_a_definition_that_continues_as_a_step(tmp_path):
    """``p_j(z_j) := A &= B`` defines p_j as A and judges A = B; here A = B is part 2.b's
    marginal (Sigma = diag(sigma_j^2): every coordinate but z_j integrated out), checked at every
    j at each size (the right row of test_integrals_over_coordinates_of_a_column)."""
    toml = tmp_path / "n.toml"
    toml.write_text(COLUMN)
    text = ("\\begin{align*}\nr_j(z_j) := \\int_{\\mathbb{R}^{m-1}} \\mathcal{N}(z;\\mu,\\Sigma) \\prod_{k\\neq j} dz_k "
            "&= \\mathcal{N}(z_j; \\mu_j, \\sigma_j^2)\n\\end{align*}")
    r = check(text, "2.b", notation=str(toml))
    assert [it.verdict for it in r.items] == [None, "numeric"], [(it.verdict, it.detail) for it in r.items]
    assert "every j" in r.items[1].detail


@pytest.mark.parametrize("p_exponent,verdict", [(r"\frac{z^T z}{2}", "numeric"), (r"z^T z", "wrong")])
def test_kl_of_densities_written_in_matrix_form(tmp_path, p_exponent, verdict):
    """KL(q(z) || p(z)) of densities of a column written out (part 2.b's Sigma = diag(sigma_j^2))
    against KL(N(mu, Sigma) || N(0, I_m)); a p without its 1/2 is found wrong."""
    toml = tmp_path / "n.toml"
    toml.write_text(COLUMN)
    text = ("\\begin{align*}\n"
            "\\text{Let}\\quad q(z) &:= \\frac{(2\\pi)^{-m/2} \\exp(-\\frac{(z-\\mu)^T \\Sigma^{-1} (z-\\mu)}{2})}{\\sqrt{|\\Sigma|}} \\\\\n"
            f"p(z) &:= (2\\pi)^{{-m/2}} \\exp(-{p_exponent}) \\\\\n"
            "\\mathrm{KL}(\\mathcal{N}(\\mu,\\Sigma) \\| \\mathcal{N}(0,I_m)) &= \\mathrm{KL}(q(z) \\| p(z))\n"
            "\\end{align*}")
    (s,) = check(text, "2.b", notation=str(toml)).steps
    assert s.verdict == verdict, s.detail


@pytest.mark.parametrize("tex,verdict", [
    (r"\int_{\mathbb{R}^{m}} e^{-\sum_{l=1}^{m} z_l^2/2} \prod_{k=1}^{m} dz_k = (2\pi)^{m/2}", "numeric"),
    (r"\int_{\mathbb{R}^{m}} e^{-\sum_{l=1}^{m} z_l^2/2} \prod_{k=1}^{m} dz_k = (2\pi)^{m}", "wrong"),
    (r"\int_{\mathbb{R}^{m}} e^{-z_1^2} \prod_{k=1}^{m} dz_k = \sqrt{\pi}", "inconclusive"),  # diverges at m >= 2
])
def test_an_integral_over_m_coordinates_is_checked_at_sizes(tex, verdict):
    s = one(tex)
    assert s.verdict == verdict, s.detail


TWO = ('[matrices]\n"\\\\mu_0" = ["m", 1]\n"\\\\mu_1" = ["m", 1]\n"\\\\Sigma_0" = ["m", "m"]\n'
       '"\\\\Sigma_1" = ["m", "m"]\nz = ["m", 1]\n')
KL_LHS = r"\mathrm{KL}(\mathcal{N}(\mu_0,\Sigma_0) \| \mathcal{N}(\mu_1,\Sigma_1)) = "


@pytest.mark.parametrize("tex,verdict", [
    (KL_LHS + r"\frac{\operatorname{tr}(\Sigma_1^{-1}\Sigma_0) + (\mu_1-\mu_0)^T\Sigma_1^{-1}(\mu_1-\mu_0) - m"
              r" + \ln\frac{|\Sigma_1|}{|\Sigma_0|}}{2}", "numeric"),
    (KL_LHS + r"\frac{\operatorname{tr}(\Sigma_0^{-1}\Sigma_1) + (\mu_1-\mu_0)^T\Sigma_1^{-1}(\mu_1-\mu_0) - m"
              r" + \ln\frac{|\Sigma_1|}{|\Sigma_0|}}{2}", "wrong"),                  # the trace the wrong way round
    (r"\mathbb{E}_{\mathcal{N}(\mu_0,\Sigma_0)}[z^T z] = \operatorname{tr}(\Sigma_0) + \mu_0^T\mu_0", "numeric"),
    (r"\mathbb{E}_{\mathcal{N}(\mu_0,\Sigma_0)}[z^T z] = \operatorname{tr}(\Sigma_0)", "wrong"),
])
def test_distributions_with_a_general_covariance(tmp_path, tex, verdict):
    """N(mu, Sigma) written without its variable is the density of the column z."""
    toml = tmp_path / "n.toml"
    toml.write_text(TWO)
    s = one(tex, notation=str(toml))
    assert s.verdict == verdict, s.detail


def test_single_atom_special_points_are_capped():
    """Every atom at its special values in turn while few; at most MAX_SINGLE of those points
    (drawn at random) when there are many atoms, as at a large explicit size."""
    import random

    import sympy as sp

    from check.numeric_check import MAX_SINGLE, N_RANDOM, points
    few = sp.symbols("a0:4", real=True)
    pts = points(list(few), random.Random(0))
    assert len(pts) == 3 + 3 * len(few) + N_RANDOM
    assert all(any(p[a] == 0 for p in pts[3:3 + 3 * len(few)]) for a in few)   # each atom at 0 once
    many = sp.symbols("b0:40", real=True)
    pts = points(list(many), random.Random(0))
    assert len(pts) == 3 + MAX_SINGLE + N_RANDOM < 3 + 3 * len(many) + N_RANDOM
    assert pts == points(list(many), random.Random(0))                            # reproducible


@pytest.mark.parametrize("tex,constant", [
    (r"x^2 + 10^{40} = x^2 + 10^{40} + 1", "-1"),                         # issue 21, item 6
    (r"e^{x^2} = e^{x^2} + 10^{-40}", r"- \frac{1}{10000000000000000000000000000000000000000}"),
    (r"(x+y+z+w)^{200} = (x+y+z+w)^{200} + 1", "-1"),
])
def test_a_constant_difference_is_wrong_whatever_the_tolerance(tex, constant):
    """lhs - rhs that SymPy decides is a nonzero number is wrong, with that constant named and a
    counterexample whose two values differ (in the digits that show it), never numeric or domain."""
    s = one(tex)
    assert s.verdict == "wrong" and f"the constant {constant} at every point" in s.detail, s.detail
    c = s.counterexample
    assert c["lhs"] != c["rhs"]
    if tex.startswith("e^"):
        assert c["rhs"] == "1.0000000000000000000000000000000000000001" and c["lhs"] == "1.0"


def test_an_answer_off_by_a_tiny_constant_differs():
    """Issue 21, item 6: the 2.a answer plus 10^{-15} differs from the reference (was "matches,
    not simplest"); the counterexample shows the 10^{-15}."""
    r = check("\\begin{align*}\n\\mathrm{KL}(q\\|p) &= \\frac{\\mu^2+\\sigma^2-1}{2} - \\ln\\sigma + 10^{-15}\n"
              "\\end{align*}", "2.a")
    assert r.final["verdict"] == "differs" and r.final["counterexample"]["lhs"] == "1.0e-15", r.final
    assert check("$$ \\mathrm{KL}(q\\|p) = \\frac{\\mu^2+\\sigma^2-1}{2} - \\ln\\sigma $$", "2.a").final["verdict"] == "matches"
