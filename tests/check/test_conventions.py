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
