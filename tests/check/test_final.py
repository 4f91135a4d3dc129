"""The final answer against the part's reference: "not simplest" when terms cancel or an
integral is left; the text and PDF say which side is the answer."""
from checkhelp import check
from check.output import pdf_source, text_report

KL = r"\mathrm{KL}(q \| p) &= "


def final(body, part="2.a"):
    return check("\\begin{align*}\n" + body + "\n\\end{align*}", part).final


def test_terms_that_cancel_are_not_simplest():
    assert final(KL + r"\frac{1}{2}(\mu^2+\sigma^2-1) - \log\sigma")["verdict"] == "matches"
    f = final(KL + r"\frac{1}{2}(\mu^2+\sigma^2-1) - \log\sigma + \mu - \mu")
    assert f["verdict"] == "matches, not simplest" and "cancel" in f["detail"]


def test_an_integral_left_is_not_closed_form():
    f = final(KL + r"\frac{1}{2}(\mu^2+\sigma^2-1) - \log\sigma \\ &= \int q(z) \log\frac{q(z)}{p(z)} \, dz")
    assert f["verdict"] == "matches, not simplest" and "not in closed form" in f["detail"]


def test_the_final_counterexample_names_the_answer_and_the_reference():
    r = check("\\begin{align*}\n" + KL + r"\frac{1}{2}(\mu^2+\sigma^2-1) - \frac{1}{2}\log\sigma" + "\n\\end{align*}", "2.a")
    assert r.final["verdict"] == "differs"
    assert "your answer = " in text_report([r]) and "the reference = " in text_report([r])
    assert "your answer $" in pdf_source([r])


def test_one_step_and_remarks_not_checked():
    r = check(r"$$ (a+b)^2 = a^2 + 2ab + b^2 \quad\text{since it expands} $$")
    out = text_report([r])
    assert "1 step:" in out and "remark (not checked)" in out
