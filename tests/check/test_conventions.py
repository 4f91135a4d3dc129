"""The author's conventions: log base 10, a part's letters renamed, --assume (issue 23, item 6)."""
import pytest

from checkhelp import check, verdicts
from check.checker import load_notation
from check.notation import NotationError


def _notation(tmp_path, text: str) -> str:
    path = tmp_path / "n.toml"
    path.write_text(text)
    return str(path)


def test_log_base_10_where_the_author_means_it(tmp_path):
    text = r"$$ \frac{d}{dx} \log x = \frac{1}{x \ln 10} $$" "\n\n" r"$$ \frac{d}{dx} \ln x = \frac{1}{x} $$"
    (first, _) = check(text).steps   # a file that writes ln 10: \log may be base 10 (a reading)
    assert first.verdict == "proved" and "log base 10" in first.detail
    assert verdicts(check(r"$$ \frac{d}{dx} \log x = \frac{1}{10 x} $$")) == {1: "wrong"}  # no ln 10: natural
    assert verdicts(check(text, notation=_notation(tmp_path, "[conventions]\nlog = 10\n"))) == {1: "proved", 3: "proved"}
    words = r"$$ \frac{d}{dx} log(x) = \frac{1}{x \ln 10} $$"
    assert verdicts(check(words, notation=_notation(tmp_path, "[conventions]\nlog = 10\n"))) == {1: "proved"}


def test_a_part_s_letters_as_the_author_writes_them(tmp_path):
    text = r"$$ \mathrm{KL}(P \| Q) = \frac{1}{2}(\mu^2 + \sigma^2 - 1) - \ln \sigma $$"
    nota = _notation(tmp_path, '[rename]\nq = "P"\np = "Q"\n')
    r = check(text, part="2.a", notation=nota)
    assert verdicts(r) == {1: "proved"} and r.final["verdict"] == "matches"


@pytest.mark.parametrize("bad", ["[conventions]\nlog = 1\n", "[conventions]\nbase = 10\n", "[rename]\nq = 1\n"])
def test_bad_conventions_are_one_line_errors(tmp_path, bad):
    with pytest.raises(NotationError):
        load_notation(None, _notation(tmp_path, bad))


def test_assume_on_the_command_line():
    nota, part = load_notation("2.a", None, ["mu_2 = 0", "sigma_2 = 1", r"\mu_1 := \mu", "sigma_1 = sigma"])
    assert nota.definitions[-4:] == (r"\mu_2 := 0", r"\sigma_2 := 1", r"\mu_1 := \mu", r"\sigma_1 := \sigma")
    text = (r"$$ K = \log\frac{\sigma_2}{\sigma_1} + \frac{\sigma_1^2 + (\mu_1 - \mu_2)^2}{2\sigma_2^2} - \frac12 $$" "\n\n"
            r"$$ K = \frac{\sigma^2 + \mu^2 - 1}{2} - \log \sigma $$")
    from check.checker import check_text
    r = check_text(text, nota, part, sandbox=False)
    assert verdicts(r) == {1: "definition", 3: "proved"} and r.final["verdict"] == "matches"
    with pytest.raises(NotationError, match="--assume"):
        load_notation(None, None, ["x <"])


def test_a_rename_can_swap_two_letters(tmp_path):
    """The author's p is the part's q and the author's q its p: a simultaneous substitution."""
    nota = _notation(tmp_path, '[rename]\nq = "p"\np = "q"\n')
    text = r"$$ \langle x^2 \rangle_{p} = \mu^2 + \sigma^2 $$" "\n\n" \
           r"$$ \mathrm{KL}(p \| q) = \frac{1}{2}(\mu^2 + \sigma^2 - 1) - \ln \sigma $$"
    r = check(text, part="2.a", notation=nota)
    assert verdicts(r) == {1: "proved", 3: "proved"} and r.final["verdict"] == "matches"
    fact2 = r"$$ \mathrm{KL}(p \| q) = \mathrm{KL}(p_1 \| q_1) + \mathrm{KL}(p_2 \| q_2) $$"
    r = check(fact2, part="fact2", notation=nota)   # the reference is renamed too
    assert r.final["verdict"] == "matches"
    wrong = r"$$ \mathrm{KL}(p \| q) = \mathrm{KL}(p_1 \| q_1) - \mathrm{KL}(p_2 \| q_2) $$"
    assert check(wrong, part="fact2", notation=nota).final["verdict"] == "differs"


def test_let_restating_a_part_s_density_is_a_claim_not_a_new_definition():
    """"Let $q(z) = N(\\mu, \\sigma)$" (N undeclared) keeps the part's q: the restatement is
    judged (inconclusive here), and the expectation under q is still the part's."""
    text = "Let $q(z) = N(\\mu, \\sigma)$ be the posterior.\n\n" r"$$ \langle z^2 \rangle = \mu^2 + \sigma^2 $$"
    r = check(text, part="2.a")
    assert verdicts(r) == {1: "inconclusive", 3: "proved"}


def test_the_one_latin_letter_of_an_expectation_is_its_variable():
    """<x^2> under the part's q(z) = N(z; mu, sigma^2): x is the random variable (no reading of
    x as a constant, which would call a correct line wrong)."""
    r = check(r"$$ \langle x \rangle = \mu \quad\text{and}\quad \langle x^2 \rangle = \mu^2 + \sigma^2 $$", part="2.a")
    assert [s.verdict for s in r.steps] == ["proved", "proved"]
    assert verdicts(check(r"$$ \langle x^2 \rangle = \mu^2 $$", part="2.a")) == {1: "wrong"}


def test_a_capital_law_is_read_through_its_lowercase_density(tmp_path):
    nota = _notation(tmp_path, '[functions]\ndensities = ["p", "q"]\n')
    text = r"$$ \mathrm{KL}[P\,||\,Q] = \int p(x) \ln \frac{p(x)}{q(x)} \, \mathrm{d}x $$"
    assert verdicts(check(text, notation=nota))[1] in ("proved", "numeric")   # generic densities: at points
