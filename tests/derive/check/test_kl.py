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
