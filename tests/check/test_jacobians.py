"""Declared dependencies and Jacobians ([depends], [jacobians]; check/jacobians.py):
the chain rule and Jacobian-transpose products at explicit sizes, and planted errors
(a transposed product, a missing factor) that must come out wrong."""
import pytest

from checkhelp import check
from check.checker import load_notation
from check.notation import NotationError

CHAIN = """
[matrices]
y = ["p", 1]
h = ["q", 1]
w = ["n", 1]
v = ["p", 1]
u = ["q", 1]
"g_{y,w}" = ["p", "n"]
"g_{y,h}" = ["p", "q"]
"g_{h,w}" = ["q", "n"]

[depends]
y = ["h"]
h = ["w"]

[jacobians]
"g_{y,w}" = ["y", "w"]
"g_{y,h}" = ["y", "h"]
"g_{h,w}" = ["h", "w"]
"""


@pytest.fixture
def chain(tmp_path):
    f = tmp_path / "chain.toml"
    f.write_text(CHAIN)
    return str(f)


def one(tex, notation):
    (s,) = check(f"$$ {tex} $$", notation=notation).steps
    return s


@pytest.mark.parametrize("tex,verdict", [
    (r"g_{y,w}^T v = \nabla_w (v^T y)", "numeric"),                  # a VJP is a gradient (v fixed)
    (r"g_{y,w} = g_{y,h} g_{h,w}", "numeric"),                      # the chain rule
    (r"g_{y,w}^T v = g_{h,w}^T (g_{y,h}^T v)", "numeric"),
    (r"g_{y,w}^T v = g_{h,w}^T g_{y,h}^T v", "numeric"),
    (r"g_{y,w}^T v = g_{h,w}^T g_{y,h} v", "wrong"),                # planted: a Jacobian transposed wrongly
    (r"g_{y,w}^T v = (g_{h,w} g_{y,h})^T v", "wrong"),              # planted: the product in the wrong order
    (r"g_{y,w}^T v = g_{y,h}^T v", "wrong"),                        # planted: a missing factor
    (r"g_{y,w}^T v = \nabla_w (v^T h)", "wrong"),                   # planted: the wrong output
    (r"g_{h,w}^T u = \nabla_w (u^T h)", "numeric"),
])
def test_chain_rule_at_sizes(chain, tex, verdict):
    s = one(tex, chain)
    assert s.verdict == verdict, s.detail
    if verdict == "numeric":
        assert s.detail.startswith("holds at n = 2, ") and "not proved for every size" in s.detail


def test_an_entry_of_a_dependent_column_is_its_function(chain):
    assert one(r"\sum_{k=1}^{p} v_k \nabla_w y_k = \nabla_w (v^T y)", chain).verdict == "numeric"
    assert one(r"\sum_{k=1}^{p} v_k \nabla_w y_k = \nabla_w (v^T y) + v_1", chain).verdict == "wrong"


def test_an_independent_column_has_zero_gradient(chain):
    assert one(r"\nabla_w (v^T y) = \nabla_w (v^T y + v^T v)", chain).verdict == "numeric"
    assert one(r"\nabla_w (w^T w) = 2 w", chain).verdict == "numeric"
    assert one(r"\nabla_w (w^T w) = w", chain).verdict == "wrong"


@pytest.mark.parametrize("extra,message", [
    ('[depends]\nw = ["y"]\n', "circular"),
    ('[jacobians]\n"g_{y,w}" = ["y"]\n', "[output, variable]"),
    ('[depends]\nt = ["w"]\n', "must be a column"),
])
def test_bad_tables_are_one_line_errors(tmp_path, extra, message):
    text = CHAIN.replace("[depends]\n", "[depends]\n" + extra.split("\n", 1)[1], 1) if extra.startswith("[depends]") \
        else CHAIN.replace("[jacobians]\n", extra, 1).replace('"g_{y,w}" = ["y", "w"]\n', "", 1)
    f = tmp_path / "bad.toml"
    f.write_text(text)
    with pytest.raises(NotationError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_notation(None, str(f))


def test_a_jacobian_of_the_wrong_shape_is_refused(tmp_path):
    f = tmp_path / "bad.toml"
    f.write_text(CHAIN.replace('"g_{y,h}" = ["p", "q"]', '"g_{y,h}" = ["q", "p"]'))
    with pytest.raises(NotationError, match="is declared"):
        load_notation(None, str(f))


ENCODER = """
[matrices]
mu = ["m", 1]
v = ["m", 1]
phi = ["n", 1]
"\\\\mathbf{1}" = ["m", 1]
"g_{\\\\mu,\\\\phi}" = ["m", "n"]
"g_{v,\\\\phi}" = ["m", "n"]

[depends]
mu = ["phi"]
v = ["phi"]

[jacobians]
"g_{\\\\mu,\\\\phi}" = ["mu", "phi"]
"g_{v,\\\\phi}" = ["v", "phi"]
"""


@pytest.mark.parametrize("tex,verdict", [
    (r"\nabla_\phi \sum_{j=1}^{m} e^{v_j} = g_{v,\phi}^T e^{v}", "numeric"),       # e^{v} entrywise
    (r"\nabla_\phi \sum_{j=1}^{m} e^{v_j} = g_{v,\phi}^T v", "wrong"),             # planted: the exponential lost
    (r"\sum_{j=1}^{m} \mu_j \nabla_\phi \mu_j = g_{\mu,\phi}^T \mu", "numeric"),
    (r"\sum_{j=1}^{m} \mu_j \nabla_\phi \mu_j = g_{v,\phi}^T \mu", "wrong"),       # planted: the other Jacobian
    (r"\nabla_\phi \frac{1}{2}\sum_{j=1}^{m} (e^{v_j} - v_j) = \frac{1}{2} g_{v,\phi}^T (e^{v} - \mathbf{1})", "numeric"),
    (r"\nabla_\phi \frac{1}{2}\sum_{j=1}^{m} (e^{v_j} - v_j) = g_{v,\phi}^T (e^{v} - \mathbf{1})", "wrong"),  # planted: 1/2 missing
])
def test_encoder_outputs_of_phi(tmp_path, tex, verdict):
    f = tmp_path / "enc.toml"
    f.write_text(ENCODER)
    s = one(tex, str(f))
    assert s.verdict == verdict, s.detail


DECODER = r"""
[symbols]
"n_{s}" = "size"

[matrices]
"\\pi" = [2, 1]
"\\theta" = [2, 1]
z = [2, 1]
x = [2, 1]
"g_{\\pi,\\theta}" = [2, 2]
"g_{\\pi,z}" = [2, 2]

[families]
"z_{i}" = [2, 1]

[depends]
"\\pi" = ["z", "\\theta"]

[jacobians]
"g_{\\pi,\\theta}" = ["\\pi", "\\theta"]
"g_{\\pi,z}" = ["\\pi", "z"]

[definitions]
lines = ["p(x \\mid z) := e^{\\sum_{k=1}^{2} \\left(x_k \\ln \\pi_k(z) + (1 - x_k) \\ln\\left(1 - \\pi_k(z)\\right)\\right)}"]
"""
R1 = r"\left(\frac{x_k - \pi_k(z_1)}{\pi_k(z_1)\,(1 - \pi_k(z_1))}\right)_{k=1}^{2}"


@pytest.fixture
def decoder(tmp_path):
    f = tmp_path / "dec.toml"
    f.write_text(DECODER)
    return str(f)


@pytest.mark.parametrize("tex,verdict", [
    (rf"\nabla_\theta \ln p(x \mid z_1) = g_{{\pi,\theta}}(z_1)^T {R1}", "right"),     # applied Jacobian, column by entries
    (rf"\nabla_\theta \ln p(x \mid z_1) = g_{{\pi,\theta}}(z_2)^T {R1}", "wrong"),     # planted: another sample
    (rf"\nabla_\theta \ln p(x \mid z_1) = g_{{\pi,\theta}}(z_1) {R1}", "wrong"),       # planted: Jacobian not transposed
    (r"\nabla_\theta \ln p(x \mid z_1) = g_{\pi,\theta}(z_1)^T (x - \pi(z_1))", "wrong"),  # planted: 1/(pi(1-pi)) missing
    (r"\pi(z_1) - \pi(z_1) = 0 \pi(z_2)", "right"),
    (r"g_{\pi,z}(z_1)^T \mathbf{1} = \nabla_z \sum_{k=1}^{2} \pi_k(z)", "wrong"),      # planted: at z, not at z_1
])
def test_decoder_at_samples(decoder, tex, verdict):
    s = one(tex.replace(r"\mathbf{1}", r"\begin{pmatrix} 1 \\ 1 \end{pmatrix}"), decoder)
    assert (s.verdict in ("proved", "numeric")) if verdict == "right" else s.verdict == verdict, s.detail


def test_a_sum_over_a_family_keeps_its_members_apart(decoder):
    assert one(r"\nabla_\theta \sum_{i=1}^{n_{s}} \ln p(x \mid z_i) = \sum_{i=1}^{n_{s}} \nabla_\theta \ln p(x \mid z_i)",
               decoder).verdict == "numeric"
    s = one(r"\nabla_\theta \sum_{i=1}^{n_{s}} \ln p(x \mid z_i) = n_{s} \nabla_\theta \ln p(x \mid z_1)", decoder)
    assert s.verdict == "wrong" and "n_{s} = 2" in s.detail   # planted: every sample replaced by the first


def test_read_as_of_applied_columns(decoder):
    (s,) = check(rf"$$ g_{{\pi,\theta}}(z_1)^T {R1} = g_{{\pi,\theta}}(z_1)^T {R1} $$", notation=decoder).steps
    assert r"g_{\pi,\theta}\left(z_{1}\right)" in s.read_as and r"\right)_{k=1}^{2}" in s.read_as
    (s,) = check(r"$$ \ln p(x \mid z_1) = \ln p(x \mid z_1) $$", notation=decoder).steps
    assert r"p{\left(x,z_{1} \right)}" in s.read_as


def test_a_long_chain_of_wide_columns_is_capped(tmp_path):
    """Each level multiplies the arguments of an entry: past MAX_ARGUMENTS the step is
    inconclusive (quickly), never a hang."""
    names = "abcdefg"
    f = tmp_path / "deep.toml"
    f.write_text("[matrices]\n" + "".join(f'{c} = [6, 1]\n' for c in names) + "[depends]\n"
                 + "".join(f'{c} = ["{n}"]\n' for c, n in zip(names, names[1:])))
    s = one(r"a^T a = a^T a + 0", str(f))
    assert s.verdict == "inconclusive" and "exceed" in s.detail


# a column defined entrywise through another dependent column: pi_k := sigma(a_k), a = a(z, theta)
LOGIT = r"""
[symbols]
"n_{s}" = "size"

[matrices]
"\\pi" = [2, 1]
a = [2, 1]
"\\theta" = [2, 1]
z = [2, 1]
x = [2, 1]
r = [2, 1]
"g_{\\pi,\\theta}" = [2, 2]
"g_{\\pi,z}" = [2, 2]
"g_{a,\\theta}" = [2, 2]
"g_{a,z}" = [2, 2]

[families]
"z_{i}" = [2, 1]

[depends]
"\\pi" = ["z", "\\theta"]
a = ["z", "\\theta"]
r = ["z"]

[jacobians]
"g_{\\pi,\\theta}" = ["\\pi", "\\theta"]
"g_{\\pi,z}" = ["\\pi", "z"]
"g_{a,\\theta}" = ["a", "\\theta"]
"g_{a,z}" = ["a", "z"]

[definitions]
lines = ["\\sigma(t) := \\frac{1}{1 + e^{-t}}", "\\pi_k := \\sigma(a_k)",
         "p(x \\mid z) := e^{\\sum_{k=1}^{2} \\left(x_k \\ln \\pi_k(z) + (1 - x_k) \\ln\\left(1 - \\pi_k(z)\\right)\\right)}",
         "\\hat{R} := \\frac{1}{n_{s}} \\sum_{i=1}^{n_{s}} \\ln p(x \\mid z_i)"]
"""
LET_R = r"\text{Let}\quad r(z_1) := " + R1 + r" \\ "
DSIG = r"\operatorname{diag}\left(\pi(z_1) \circ \left(1 - \pi(z_1)\right)\right)"


@pytest.fixture
def logit(tmp_path):
    f = tmp_path / "logit.toml"
    f.write_text(LOGIT)
    return str(f)


def last(tex, notation):
    """The verdict of the last step of an align* block (the first rows define r)."""
    return check(r"\begin{align*}" + tex + r"\end{align*}", notation=notation).steps[-1]


@pytest.mark.parametrize("tex,verdict", [
    (rf"g_{{\pi,z}}(z_1) = {DSIG} g_{{a,z}}(z_1)", "right"),                           # sigma' = sigma (1 - sigma)
    (r"g_{\pi,z}(z_1) = g_{a,z}(z_1)", "wrong"),                                       # planted: pi(1 - pi) missing
    (rf"g_{{\pi,\theta}}(z_1) = {DSIG} g_{{a,\theta}}(z_1)", "right"),
    (rf"g_{{\pi,\theta}}(z_1) = {DSIG} g_{{a,\theta}}(z_2)", "wrong"),                  # planted: another sample
    (rf"g_{{\pi,\theta}}(z_1) = \operatorname{{diag}}(\pi(z_1)) g_{{a,\theta}}(z_1)", "wrong"),  # planted: 1 - pi lost
    (rf"{LET_R} (g_{{\pi,z}}(z_1))^T r(z_1) = ({DSIG} g_{{a,z}}(z_1))^T r(z_1)", "right"),
    (rf"{LET_R} ({DSIG} g_{{a,z}}(z_1))^T r(z_1) = g_{{a,z}}(z_1)^T (x - \pi(z_1))", "right"),
    (rf"{LET_R} ({DSIG} g_{{a,z}}(z_1))^T r(z_1) = g_{{a,z}}(z_1)^T x", "wrong"),      # planted: x - pi -> x
    (rf"{LET_R} ({DSIG} g_{{a,z}}(z_1))^T r(z_1) = g_{{a,z}}(z_1) (x - \pi(z_1))", "wrong"),  # planted: not transposed
    (rf"{LET_R} g_{{\pi,\theta}}(z_1)^T r(z_1) = g_{{a,\theta}}(z_1)^T (x - \pi(z_1))", "right"),
    (rf"{LET_R} g_{{\pi,\theta}}(z_1)^T r(z_1) = g_{{a,\theta}}(z_1)^T r(z_1)", "wrong"),  # planted: pi(1 - pi) missing
    (rf"{LET_R} g_{{\pi,\theta}}(z_1)^T r(z_1) = g_{{a,\theta}}(z_1)^T x", "wrong"),   # planted: x - pi -> x
    (rf"{LET_R} g_{{\pi,\theta}}(z_1)^T r(z_1) = g_{{a,\theta}}(z_1) (x - \pi(z_1))", "wrong"),  # planted: not transposed
    (rf"{LET_R} g_{{\pi,\theta}}(z_1)^T r(z_1) = g_{{a,z}}(z_1)^T (x - \pi(z_1))", "wrong"),  # planted: the z Jacobian
])
def test_a_column_defined_through_another(logit, tex, verdict):
    s = last(tex, logit)
    assert (s.verdict in ("proved", "numeric")) if verdict == "right" else s.verdict == verdict, s.detail


def test_a_written_entry_of_a_defined_column_is_its_definition(logit):
    assert one(r"\pi_1 = \frac{1}{1 + e^{-a_1}}", logit).verdict in ("proved", "numeric")
    assert one(r"\pi_1 = \frac{1}{1 + e^{a_1}}", logit).verdict == "wrong"        # planted: the sign of a_1
    assert one(r"\pi_1(z_2) = \frac{1}{1 + e^{-a_1(z_1)}}", logit).verdict == "wrong"  # planted: another sample


@pytest.mark.parametrize("rhs,verdict", [
    (r"\frac{1}{n_{s}} \sum_{i=1}^{n_{s}} g_{a,\theta}(z_i)^T (x - \pi(z_i))", "numeric"),
    (r"\sum_{i=1}^{n_{s}} g_{a,\theta}(z_i)^T (x - \pi(z_i))", "wrong"),              # planted: 1/n_s missing
    (r"\frac{1}{n_{s}} \sum_{i=1}^{n_{s}} g_{a,\theta}(z_i)^T x", "wrong"),             # planted: x - pi -> x
    (r"\frac{1}{n_{s}} \sum_{i=1}^{n_{s}} g_{a,\theta}(z_1)^T (x - \pi(z_1))", "wrong"),  # planted: every sample the first
])
def test_the_gradient_of_an_estimator_over_samples(logit, rhs, verdict):
    s = one(rf"\nabla_\theta \hat{{R}} = {rhs}", logit)
    assert s.verdict == verdict, s.detail
    if verdict == "numeric":
        assert s.detail.startswith("holds at n_{s} = 1, 2") and "not proved" in s.detail


def test_read_as_of_a_defined_column(logit):
    (s,) = check(r"$$ \pi_1(z_1) = \pi_1(z_1) $$", notation=logit).steps
    assert r"\pi\left(z_{1}\right)" in s.read_as


@pytest.mark.parametrize("lines,message", [
    ([r"\pi_k := \pi_k + 1"], "its own entries"),                               # circular
    ([r"a_k := \sigma(\pi_k)", r"\pi_k := \sigma(a_k)"], "its own entries"),     # circular through a
    ([r"\pi_k := \sigma(c_k)"], r"takes c, which depends on \\?pi$"),         # c depends on pi ([depends])
    ([r"\pi_k := \sigma(b_k)"], "depends on more than"),                        # b reaches w, which pi does not
])
def test_bad_entrywise_definitions_are_one_line_errors(tmp_path, lines, message):
    text = LOGIT.replace('a = ["z", "\\\\theta"]\n', 'a = ["z", "\\\\theta"]\nb = ["w"]\nc = ["\\\\pi"]\n', 1).replace(
        "x = [2, 1]\n", "x = [2, 1]\nb = [2, 1]\nc = [2, 1]\nw = [2, 1]\n", 1)
    text = text.split("[definitions]")[0] + "[definitions]\nlines = [" + ", ".join(
        '"' + ln.replace("\\", "\\\\") + '"' for ln in [r"\sigma(t) := \frac{1}{1 + e^{-t}}", *lines]) + "]\n"
    f = tmp_path / "bad.toml"
    f.write_text(text)
    with pytest.raises(NotationError, match=message):
        check(r"$$ \pi_1 = \pi_1 $$", notation=str(f))


# the reparameterised sample z_i = mu + s o eps_i of an encoder (mu, ell networks of phi, s = e^{ell}
# entrywise, eps_i a family held fixed) and a decoder column y(z), at m = 2 (a larger m is slow): phi
# has m rows, so that a transposed Jacobian has the right shape and is found wrong by its values
REPARAM = """
[matrices]
"\\\\mu" = [2, 1]
"\\\\ell" = [2, 1]
s = [2, 1]
z = [2, 1]
y = [2, 1]
v = [2, 1]
"\\\\phi" = [2, 1]
"g_{\\\\mu,\\\\phi}" = [2, 2]
"g_{s,\\\\phi}" = [2, 2]
"g_{y,z}" = [2, 2]

[families]
"z_{i}" = [2, 1]
"\\\\epsilon_{i}" = [2, 1]

[depends]
"\\\\mu" = ["\\\\phi"]
"\\\\ell" = ["\\\\phi"]
y = ["z"]

[jacobians]
"g_{\\\\mu,\\\\phi}" = ["\\\\mu", "\\\\phi"]
"g_{s,\\\\phi}" = ["\\\\ell", "\\\\phi"]
"g_{y,z}" = ["y", "z"]

[definitions]
lines = ["s := e^{\\\\ell}", "z_{i} := \\\\mu + s \\\\circ \\\\epsilon_{i}"]
"""
DZ = r"\left(\frac{\partial z_{1}}{\partial \phi}\right)"


@pytest.fixture
def reparam(tmp_path):
    f = tmp_path / "reparam.toml"
    f.write_text(REPARAM)
    return str(f)


@pytest.mark.parametrize("tex,verdict", [
    (rf"{DZ} = g_{{\mu,\phi}} + \operatorname{{diag}}\left(s \circ \epsilon_{{1}}\right) g_{{s,\phi}}", "right"),
    (rf"{DZ} = g_{{\mu,\phi}} + g_{{s,\phi}}", "wrong"),                         # planted: the diag factor dropped
    (rf"{DZ} = g_{{\mu,\phi}} + \operatorname{{diag}}\left(\epsilon_{{1}}\right) g_{{s,\phi}}", "wrong"),  # planted: ds/dl = 1
    (rf"{DZ} = \left(g_{{\mu,\phi}} + \operatorname{{diag}}\left(s \circ \epsilon_{{1}}\right) g_{{s,\phi}}\right)^T",
     "wrong"),                                                                   # planted: the Jacobian transposed
    (rf"\nabla_{{\phi}} \left(v^T y(z_{{1}})\right) = {DZ}^T \nabla_{{z}} \left(v^T y(z_{{1}})\right)", "right"),
    (rf"\nabla_{{\phi}} \left(v^T y(z_{{1}})\right) = {DZ} \nabla_{{z}} \left(v^T y(z_{{1}})\right)", "wrong"),  # planted
    (r"\nabla_{z} \left(v^T y(z_{1})\right) = g_{y,z}(z_{1})^T v", "right"),  # the gradient in z taken at z_i
    (r"\nabla_{z} \left(v^T y(z_{1})\right) = g_{y,z}(z_{1}) v", "wrong"),      # planted: a transposed Jacobian
    (r"\nabla_{z} \left(v^T y(z_{1})\right) = g_{y,z}(z)^T v", "wrong"),       # planted: at z, not at z_i
])
def test_reparameterised_samples(reparam, tex, verdict):
    s = one(tex, reparam)
    assert (s.verdict in ("proved", "numeric")) if verdict == "right" else s.verdict == verdict, s.detail


def test_read_as_of_a_jacobian_and_a_gradient_at_a_sample(reparam):
    (s,) = check(rf"$$ {DZ} = {DZ} $$", notation=reparam).steps
    assert r"\frac{\partial z_{1}}{\partial \phi}" in s.read_as
    (s,) = check(r"$$ \nabla_{z} \left(v^T y(z_{1})\right) = \nabla_{z} \left(v^T y(z_{1})\right) $$",
                 notation=reparam).steps
    assert r"\left.\nabla_{z}" in s.read_as and r"\right|_{z = z_{1}}" in s.read_as
