"""KL(p || q) of densities defined by formulas (``p(x) := ...``), and the conditional bar
``q_phi(z|x)`` as a KL argument."""
import pytest

from checkhelp import check

SCALARS = ('[symbols]\nx = "real"\n"\\\\mu_p" = "real"\n"\\\\mu_q" = "real"\n'
           '"\\\\sigma_p" = "positive"\n"\\\\sigma_q" = "positive"\n')
DEFS = ("\\text{Let}\\quad q(x) &:= \\frac{1}{\\sqrt{2\\pi}\\sigma_q} \\exp\\left(-\\frac{(x-\\mu_q)^2}{2\\sigma_q^2}\\right) \\\\\n"
        "p(x) &:= \\frac{1}{\\sqrt{2\\pi}\\sigma_p} \\exp\\left(-\\frac{(x-\\mu_p)^2}{2\\sigma_p^2}\\right) \\\\\n")


@pytest.mark.parametrize("rhs,verdict", [
    (r"\int_{-\infty}^{\infty} \ln\left(\frac{p(x)}{q(x)}\right) p(x)\, dx", "proved"),   # the definition
    (r"\int_{-\infty}^{\infty} \ln\left(\frac{q(x)}{p(x)}\right) p(x)\, dx", "wrong"),    # the ratio inverted
    (r"\int_{-\infty}^{\infty} \ln\left(\frac{p(x)}{q(x)}\right) q(x)\, dx", "wrong"),    # the other weight
    (r"\ln\frac{\sigma_q}{\sigma_p} + \frac{\sigma_p^2 + (\mu_p-\mu_q)^2}{2\sigma_q^2} - \frac{1}{2}", "proved"),
    (r"\ln\frac{\sigma_p}{\sigma_q} + \frac{\sigma_p^2 + (\mu_p-\mu_q)^2}{2\sigma_q^2} - \frac{1}{2}", "wrong"),
])
def test_kl_of_densities_defined_by_formulas(tmp_path, rhs, verdict):
    """KL(p || q) with p(x) := ..., q(x) := ... written out: the integral over their variable x."""
    toml = tmp_path / "n.toml"
    toml.write_text(SCALARS)
    text = "\\begin{align*}\n" + DEFS + f"\\mathrm{{KL}}(p\\,\\|\\,q) &= {rhs}\n\\end{{align*}}"
    (s,) = check(text, notation=str(toml)).steps
    assert s.verdict == verdict, s.detail


# -- the conditional bar: q(z|x) -------------------------------------------------------------

def _read(tex):
    from check.judge import evaluated
    from check.lexer import tokenize
    from check.notation import DEFAULT
    from check.parser import Scope, parse_tokens
    return evaluated(parse_tokens(tokenize(tex), Scope(DEFAULT)))


@pytest.mark.parametrize("tex,read_as", [
    (r"q(z|x)", r"q{\left(z,x \right)}"),                       # one bare | in a call: the conditional bar
    (r"q(z \mid x)", r"q{\left(z,x \right)}"),
    (r"q\left(z | x\right)", r"q{\left(z,x \right)}"),
    (r"q(z|x, y)", r"q{\left(z,x,y \right)}"),
    (r"q(|x|)", r"q{\left(\left|{x}\right| \right)}"),          # two bars: an absolute value
    (r"q(|x| y)", r"q{\left(y \left|{x}\right| \right)}"),
    (r"q(\left|x\right|)", r"q{\left(\left|{x}\right| \right)}"),
    (r"q(z, |x|)", r"q{\left(z,\left|{x}\right| \right)}"),
    (r"|x| + q(z|x)", r"\left|{x}\right| + q{\left(z,x \right)}"),
    (r"\mathrm{KL}\left(q(z|x) \,\middle\|\, p(z)\right)",
     r"\mathrm{KL}\left(q{\left(z,x \right)} \,\middle\|\, p{\left(z \right)}\right)"),
])
def test_the_conditional_bar_reads_as_mid(tex, read_as):
    from check.checker import read_as as shown
    e = _read(tex)
    assert shown(e, e) == f"{read_as} = {read_as}"


def test_absolute_values_still_read():
    import sympy as sp
    x, y = sp.Symbol("x", real=True), sp.Symbol("y", real=True)
    assert _read(r"|x| + |y|") == sp.Abs(x) + sp.Abs(y)
    assert _read(r"q(|x|)") == sp.Function("q")(sp.Abs(x))
    with pytest.raises(Exception, match="never closed"):
        _read(r"q(|x|y|)")                                         # three bars: neither reading


# -- the gradient of the KL of a diagonal Gaussian encoder -------------------------------------

ENCODER = ('[matrices]\nz = ["m", 1]\n[definitions]\n'
           'lines = ["q_{\\\\phi}(z \\\\mid x) := \\\\mathcal{N}(z; \\\\mu, \\\\operatorname{diag}(e^{2 \\\\ell}))"]\n')
KL_Q = r"\mathrm{KL}\left(q_\phi(z|x) \,\middle\|\, \mathcal{N}(0,I_m)\right)"


@pytest.mark.parametrize("tex,verdict", [
    (rf"\nabla_{{\phi}}{KL_Q} = \nabla_{{\phi}} \sum_{{j=1}}^{{m}} \frac{{\mu_j^2 + e^{{2\ell_j}} - 1 - 2\ell_j}}{{2}}", "numeric"),
    (rf"\nabla_{{\phi}}{KL_Q} = \nabla_{{\phi}} \sum_{{j=1}}^{{m}} \frac{{\mu_j^2 + e^{{\ell_j}} - 1 - 2\ell_j}}{{2}}", "wrong"),
    (rf"\nabla_{{\phi}}{KL_Q} = \nabla_{{\phi}} \sum_{{j=1}}^{{m}} \frac{{\mu_j^2 + e^{{2\ell_j}} - 1 - \ell_j}}{{2}}", "wrong"),
    (rf"{KL_Q} = \sum_{{j=1}}^{{m}} \frac{{\mu_j^2 + e^{{2\ell_j}} - 1 - 2\ell_j}}{{2}}", "numeric"),
    (rf"{KL_Q} = \sum_{{j=1}}^{{m}} \frac{{\mu_j^2 + e^{{2\ell_j}} - 2\ell_j}}{{2}}", "wrong"),       # the -1 dropped
])
def test_gradient_of_the_kl_of_an_encoder(tmp_path, tex, verdict):
    """Part 3.a's networks mu, ell of phi; q_phi(z|x) := N(z; mu, diag(e^{2 ell})): the KL is a
    Gaussian integral over z at each size, then differentiated in phi (the -1 is lost by the
    gradient, so it is planted where no gradient is taken)."""
    toml = tmp_path / "n.toml"
    toml.write_text(ENCODER)
    (s,) = check(f"$$ {tex} $$", "3.a", notation=str(toml)).steps
    assert s.verdict == verdict, s.detail


LOGVAR = ('[matrices]\nz = ["m", 1]\n"\\\\mu" = ["m", 1]\nv = ["m", 1]\n"\\\\phi" = ["n_{\\\\phi}", 1]\n'
          '[depends]\n"\\\\mu" = ["\\\\phi"]\nv = ["\\\\phi"]\n[definitions]\n'
          'lines = ["q_{\\\\phi}(z \\\\mid x) := \\\\mathcal{N}(z; \\\\mu, \\\\operatorname{diag}(e^{v}))"]\n')


@pytest.mark.parametrize("tex,verdict", [
    (rf"\nabla_{{\phi}}{KL_Q} = \nabla_{{\phi}} \sum_{{j=1}}^{{m}} \frac{{\mu_j^2 + e^{{v_j}} - 1 - v_j}}{{2}}", "numeric"),
    (rf"\nabla_{{\phi}}{KL_Q} = \nabla_{{\phi}} \sum_{{j=1}}^{{m}} \frac{{\mu_j^2 + e^{{2 v_j}} - 1 - v_j}}{{2}}", "wrong"),
])
def test_gradient_of_the_kl_with_declared_dependencies(tmp_path, tex, verdict):
    """The same with mu, v declared as columns that depend on phi ([depends]), no part."""
    toml = tmp_path / "n.toml"
    toml.write_text(LOGVAR)
    (s,) = check(f"$$ {tex} $$", notation=str(toml)).steps
    assert s.verdict == verdict, s.detail


def test_a_derivative_goes_inside_an_integral_over_a_column():
    """Leibniz's rule for ColumnIntegral; 0 in a bound entry."""
    import sympy as sp
    from check.mvn import ColumnIntegral
    a = sp.Symbol("a", real=True)
    Z = sp.IndexedBase("z", real=True)
    z = sp.ImmutableMatrix([Z[1], Z[2]])
    f = sp.exp(-a * (Z[1] ** 2 + Z[2] ** 2))
    assert sp.diff(ColumnIntegral(f, z), a) == ColumnIntegral(sp.diff(f, a), z)
    assert sp.diff(ColumnIntegral(f, z), Z[1]) == 0
