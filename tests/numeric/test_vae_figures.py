"""The VAE figures draw what their captions say (grade2 N10, N11): the legend prints the slope
with the prose's call, the 1/n_eps reference lies apart from the data, the axis uses LaTeX's
lunate epsilon, and the learning curve's lower panel is the minibatch mean minus the
training-set ELBO."""
import numpy as np
import pytest

from numeric.vae import figures


@pytest.fixture
def drawn(monkeypatch):
    """The figures a call draws, kept open instead of saved."""
    figs = []
    monkeypatch.setattr(figures, "save_figure", lambda fig, out, stem: figs.append(fig))
    yield figs
    import matplotlib.pyplot as plt
    for f in figs:
        plt.close(f)


def _state(scale, slope, se):
    n = [1, 2, 4, 8, 16]
    return {"n_eps": n, "total": [scale * k ** slope for k in n],
            "fit": {"total": {"slope": slope, "slope_se": se, "intercept": float(np.log(scale))}}}


def test_legend_reference_and_axis_of_the_variance_figure(drawn, tmp_path):
    variance = {"at": {"trained": _state(90.0, -1.00116, 0.00789092), "init": _state(9.0, -0.999211, 0.00336342)}}
    figures.gradient_variance(variance, tmp_path)
    [ax] = drawn[0].axes
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["after training: $\\gamma=-1.001\\pm 0.008$", "at initialisation: $\\gamma=-0.999\\pm 0.003$",
                      "reference: slope $-1$"]
    [ref] = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    for v in variance["at"].values():   # below every state's data at every n_eps, by a factor over 2
        assert np.all(ref.get_ydata() < 0.5 * np.asarray(v["total"]))
    xlabel = ax.get_xlabel()
    assert "\u03f5" in xlabel and "\\epsilon" not in xlabel and "\u03b5" not in xlabel


def test_the_learning_curve_shows_the_elbo_at_initialisation(drawn, tmp_path):
    """Fig. 3 of the first read clipped epoch 0 (-27.45): the axis now holds every value."""
    curve = {"epoch": [0, 1, 2, 3], "train_elbo": [-30.0, -25.0, -22.0, -21.0], "test_elbo": [-30.5, -25.5, -23.0, -22.0],
             "minibatch_elbo": [None, -26.0, -22.5, -21.1]}
    figures.learning_curve(curve, tmp_path)
    [ax] = drawn[0].axes
    assert len(ax.get_lines()) == 2   # the minibatch estimates are not drawn
    lo, hi = ax.get_ylim()
    assert lo < -30.5 and hi > -21.0
