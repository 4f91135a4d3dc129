"""Random subsets (``B \\sim \\mathrm{Subset}(n, b)``), sums over a subset and Var: read as
written, judged by enumerating the subsets at sizes, planted errors found wrong, caps kept."""
import pytest

from checkhelp import check, verdicts
from check import subsets

# B uniform over the b-subsets of {1..n}; g_B the mean over B; \bar g the mean over all n
MINIBATCH = """[symbols]
n = "positive integer"
b = "positive integer"
[definitions]
lines = ["B \\\\sim \\\\mathrm{Subset}(n, b)", "g_B := \\\\frac{1}{b}\\\\sum_{i\\\\in B} g_i",
         "\\\\bar g := \\\\frac{1}{n}\\\\sum_{i=1}^{n} g_i"]
default_expectation = "B"
"""


@pytest.fixture
def minibatch(tmp_path):
    def write(extra: str = "") -> str:
        toml = tmp_path / "n.toml"
        toml.write_text(MINIBATCH.replace("[definitions]\n", "[definitions]\n" + extra))
        return str(toml)
    return write


def one(tex, notation=None):
    (s,) = check(f"$$ {tex} $$", notation=notation).steps
    return s


MEAN = r"\frac{1}{n}\sum_{i=1}^{n} g_i"
SPREAD = r"\frac{1}{n}\sum_{i=1}^{n} (g_i - \bar g)^2"


@pytest.mark.parametrize("tex,verdict", [
    (rf"\mathbb{{E}}_B\left[\frac{{1}}{{b}}\sum_{{i\in B}} g_i\right] = {MEAN}", "numeric"),
    (rf"\mathbb{{E}}\, g_B = \frac{{\binom{{n-1}}{{b-1}}}}{{b\binom{{n}}{{b}}}}\sum_{{i=1}}^{{n}} g_i", "numeric"),
    (r"\mathbb{E}_B\left[\sum_{i\in B} 1\right] = b", "numeric"),
    (rf"\mathbb{{E}}\, g_B^2 = \frac{{\binom{{n-1}}{{b-1}}}}{{b^2 \binom{{n}}{{b}}}}\sum_{{i=1}}^{{n}} g_i^2 + "
     rf"\frac{{\binom{{n-2}}{{b-2}}}}{{b^2 \binom{{n}}{{b}}}}\left(\left(\sum_{{i=1}}^{{n}} g_i\right)^2 - "
     rf"\sum_{{i=1}}^{{n}} g_i^2\right)", "numeric"),          # each pair i != j in binom(n-2, b-2) subsets
    (r"\operatorname{Var} g_B = \mathbb{E}_B\left[(g_B - \bar g)^2\right]", "numeric"),
    (r"b\, g_B = \sum_{i\in B} g_i", "numeric"),                      # for every subset B of each size
    (r"\sum_{i\in B} (g_i - \bar g) = b (g_B - \bar g)", "numeric"),
    # planted errors
    (rf"\mathbb{{E}}\, g_B = \frac{{\binom{{n-1}}{{b}}}}{{b\binom{{n}}{{b}}}}\sum_{{i=1}}^{{n}} g_i", "wrong"),  # i in binom(n-1, b)
    (rf"\mathbb{{E}}_B\left[\sum_{{i\in B}} g_i\right] = {MEAN}", "wrong"),                 # the 1/b missing
    (rf"\operatorname{{Var}} g_B = \frac{{1}}{{b}} {SPREAD}", "wrong"),                      # no finite-population factor
    (r"\mathbb{E}\, g_B^2 = \bar g^2", "wrong"),
    (r"\operatorname{Var} g_B = \mathbb{E}_B\left[g_B^2\right]", "wrong"),
    (r"\sum_{i\in B} (g_i - \bar g) = b g_B - \bar g", "wrong"),     # for every B: fails at B = {1, 2}
])
def test_expectations_over_a_random_subset(minibatch, tex, verdict):
    s = one(tex, minibatch())
    assert s.verdict == verdict, s.detail
    if verdict == "numeric":
        assert s.detail.startswith("holds at (n, b) = (1, 1), (2, 1), (2, 2)") and "not proved for every size" in s.detail
    else:
        assert s.counterexample["point"]["n"] >= 1 and s.counterexample["lhs"] != s.counterexample["rhs"]


def test_the_finite_population_factor_needs_n_at_least_2(minibatch):
    """(n - b)/(b(n - 1)) is 0/0 at n = 1, where Var g_B = 0: declared n >= 2 it holds."""
    fpc = rf"\operatorname{{Var}} g_B = \frac{{n-b}}{{b(n-1)}} {SPREAD}"
    s = one(fpc, minibatch())
    assert s.verdict == "domain" and "n = 1" in s.detail
    s = one(fpc, minibatch('assume = ["n \\\\ge 2"]\n'))
    assert s.verdict == "numeric" and s.detail.startswith("holds at (n, b) = (2, 1), (2, 2), (3, 1)"), s.detail


def test_the_distribution_in_the_subscript_or_the_file():
    assert one(r"\mathbb{E}_{B \sim \mathrm{Subset}(n, b)}\left[\sum_{i\in B} 1\right] = b").verdict == "numeric"
    assert one(r"\mathbb{E}_{B \sim \mathrm{Subset}(n, b)}\left[\sum_{i\in B} 1\right] = n").verdict == "wrong"
    r = check("\\begin{align*}\nB &\\sim \\mathrm{Subset}(4, 2) \\\\\n"
              "\\mathbb{E}_B\\left[\\sum_{i\\in B} g_i\\right] &= \\frac{1}{2}\\sum_{i=1}^{4} g_i \\\\\n"
              " &= \\frac{1}{4}\\sum_{i=1}^{4} g_i\n\\end{align*}")
    assert verdicts(r) == {2: "definition", 3: "proved", 4: "wrong"}  # no size left: every subset, every g
    assert r.items[0].read_as == r"B \sim \mathrm{Subset}\left(4, 2\right)"


def test_caps_and_what_is_not_supported():
    s = one(r"\mathbb{E}_{B \sim \mathrm{Subset}(1000, 3)}\left[\sum_{i\in B} g_i\right] = 3")
    assert s.verdict == "inconclusive" and "exceed" in s.detail and "limit" in s.detail
    s = one(r"\mathbb{E}_{B \sim \mathrm{Subset}(n, n+1)}\left[\sum_{i\in B} 1\right] = n")  # never 1 <= b <= n
    assert s.verdict == "inconclusive"
    s = one(r"\sum_{i\in B} g_i = \sum_{i\in B} g_i + 0")  # B is no declared random subset
    assert s.verdict == "inconclusive" and "not a declared random subset" in s.detail
    assert one(r"\mathbb{E}_B\left[\sum_{i\in B} 1\right] = b").verdict == "inconclusive"  # no B \sim ...
    s = one(r"\mathbb{E}_{\mathrm{Subset}(n, b)}\left[x\right] = x")  # the subset not named
    assert s.verdict == "inconclusive" and s.detail.startswith("not supported: name the subset"), s.detail


def test_configs_respect_the_caps():
    import sympy as sp
    n, b = sp.symbols("n b", integer=True, positive=True)
    got = subsets.size_configs([n, b], [subsets.SubsetDist(n, b)])
    assert all(1 <= c[b] <= c[n] <= subsets.MAX_N for c in got) and len(got) <= subsets.MAX_CONFIGS
    m = sp.Symbol("m", integer=True, positive=True)
    got = subsets.size_configs([n, b, m], [subsets.SubsetDist(n, b)])
    assert len(got) == subsets.MAX_CONFIGS


@pytest.mark.parametrize("tex,read_as", [
    (r"x = \sum_{i\in B} g_i", r"x := \sum_{i \in B} {g}_{i}"),
    (r"x = \frac{1}{b}\sum_{i \in B} g_i^2", r"x := \frac{\sum_{i \in B} {g}_{i}^{2}}{b}"),
    (r"x = \operatorname{Var}_B[g_B]", r"x := \operatorname{Var}_{B}\left[g_{B}\right]"),
    (r"x = \mathrm{Var}_{B \sim \mathrm{Subset}(n, b)} g_B",
     r"x := \operatorname{Var}_{B \sim \mathrm{Subset}\left(n, b\right)}\left[g_{B}\right]"),
])
def test_read_as(tex, read_as):
    (s,) = check(f"$$ {tex} $$").items
    assert s.read_as == read_as


@pytest.mark.parametrize("tex,message", [
    (r"x = \sum_{i\in B}^{n} g_i", "no upper limit"),
    (r"x = \sum_{i\in B + C} g_i", "the set must be a name"),
    (r"x = \prod_{i\in B} g_i", "must be one letter"),
    (r"x = \operatorname{Var} g_B", "\\operatorname{Var} needs its distribution"),
    (r"x = \mathrm{Subset}(n)", "takes the population size and the subset size"),
])
def test_errors_name_the_construct(tex, message):
    (s,) = check(f"$$ {tex} $$").items
    assert s.verdict == "inconclusive" and message in s.detail, s.detail


@pytest.mark.parametrize("dist", [r"10^{20}, 10^{20}", r"1000000, 500000", r"100, 50"])
def test_huge_populations_are_refused_at_once(dist):
    s = one(rf"\mathbb{{E}}_{{B \sim \mathrm{{Subset}}({dist})}}\left[\sum_{{i\in B}} 1\right] = 1")
    assert s.verdict == "inconclusive" and "exceed" in s.detail, s.detail


def test_two_free_subsets_are_capped(tmp_path):
    """Sums over two random subsets outside an expectation: every pair of values, within the cap."""
    toml = tmp_path / "n.toml"
    toml.write_text('[definitions]\nlines = ["A \\\\sim \\\\mathrm{Subset}(3, 2)", "C \\\\sim \\\\mathrm{Subset}(3, 1)", '
                    '"D \\\\sim \\\\mathrm{Subset}(10, 5)"]\n')
    assert one(r"\sum_{i\in A} g_i + \sum_{j\in C} g_j = \sum_{j\in C} g_j + \sum_{i\in A} g_i", str(toml)).verdict == "proved"
    assert one(r"\sum_{i\in A} g_i = \sum_{j\in C} g_j", str(toml)).verdict == "wrong"
    s = one(r"\sum_{i\in A} g_i + \sum_{j\in D} g_j = \sum_{j\in D} g_j + \sum_{i\in A} g_i", str(toml))
    assert s.verdict == "inconclusive" and f"more than {subsets.MAX_REALISATIONS}" in s.detail
