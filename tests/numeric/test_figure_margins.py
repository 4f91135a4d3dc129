"""Every figure of the quick runs keeps its ink inside the page: the outermost pixels of each
PNG are background, so no label, tick or legend entry is cut at the figure's edge."""
import matplotlib.image as mpimg
import numpy as np
import pytest


def border(png) -> np.ndarray:
    """The one-pixel frame of an RGB(A) image, as rows of channel values."""
    img = mpimg.imread(png)[..., :3]
    return np.concatenate([img[0], img[-1], img[:, 0], img[:, -1]])


@pytest.mark.parametrize("name", ["sgd", "vae", "gan"])
def test_no_figure_is_cut_at_its_edge(quick_runs, name):
    proc, out = quick_runs[name]
    assert proc.returncode == 0, proc.stderr
    pngs = sorted((out / name).glob("*.png"))
    assert pngs
    cut = [p.name for p in pngs if not np.all(border(p) > 0.98)]
    assert not cut, cut


def test_the_border_check_sees_ink_at_the_edge(tmp_path):
    from numeric.outputs import pyplot, save_figure
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(2, 1))
    ax.set_ylabel("a label\npushed out", labelpad=40)  # planted: the label leaves the figure
    save_figure(fig, tmp_path, "cut")
    assert not np.all(border(tmp_path / "cut.png") > 0.98)
