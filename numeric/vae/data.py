"""Binary 8x8 images for the VAE: scikit-learn's bundled digits, or a generated set.

- ``digits``: ``sklearn.datasets.load_digits`` (1797 images of 8x8 pixels with values 0..16,
  bundled with scikit-learn, no download), binarised as ``pixel >= 8``. scikit-learn is an
  optional dependency (the ``test`` extra).
- ``shapes``: 1800 generated 8x8 binary glyphs (bars, boxes, crosses, diagonals, corners
  and letters L, T, at random offsets, 2% of pixels flipped), for machines without
  scikit-learn.
- ``auto``: ``digits`` if scikit-learn is installed, else ``shapes``.

The train/held-out split (80/20) is fixed (seed 0), the same for every ``--seed``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Data", "load", "CHOICES"]

CHOICES = ("auto", "digits", "shapes")
SPLIT_SEED = 0


@dataclass(frozen=True)
class Data:
    """A data set: its name, what it is as facts (``facts``: for ``digits`` the number of
    images, the pixel range 0..``pixel_max`` and the threshold ``binarise_at``; for ``shapes``
    the number of images, of glyphs and the fraction of pixels flipped), and the split."""

    name: str
    facts: dict
    train: np.ndarray  # (n_train, 64) float in {0, 1}
    test: np.ndarray   # (n_test, 64)
    side: int = 8


def _have_sklearn() -> bool:
    try:
        import sklearn.datasets  # noqa: F401
    except ImportError:
        return False
    return True


BINARISE_AT, PIXEL_MAX = 8, 16   # digits: pixel values 0..16, binarised as pixel >= 8
FLIP_FRACTION = 0.02             # shapes: fraction of pixels flipped


def _digits() -> tuple[np.ndarray, dict]:
    from sklearn.datasets import load_digits
    x = (load_digits().data >= BINARISE_AT).astype(float)
    return x, {"images": len(x), "side": 8, "pixel_max": PIXEL_MAX, "binarise_at": BINARISE_AT}


def _glyphs() -> list[np.ndarray]:
    g = []
    for L in (3, 4, 5):
        a = np.zeros((L, L)); a[0, :] = a[-1, :] = a[:, 0] = a[:, -1] = 1; g.append(a)   # box
        a = np.zeros((L, L)); a[L // 2, :] = a[:, L // 2] = 1; g.append(a)                # cross
        g.append(np.eye(L)); g.append(np.fliplr(np.eye(L)))                                # diagonals
        a = np.zeros((L, L)); a[:, 0] = a[-1, :] = 1; g.append(a)                          # L
        a = np.zeros((L, L)); a[0, :] = a[:, L // 2] = 1; g.append(a)                      # T
    g += [np.ones((1, 6)), np.ones((6, 1)), np.ones((2, 5)), np.ones((5, 2))]              # bars
    return g


def _shapes(n: int = 1800) -> tuple[np.ndarray, dict]:
    rng = np.random.default_rng(12345)
    glyphs = _glyphs()
    out = np.zeros((n, 8, 8))
    for t in range(n):
        gl = glyphs[t % len(glyphs)]
        r, c = rng.integers(0, 9 - gl.shape[0]), rng.integers(0, 9 - gl.shape[1])
        out[t, r:r + gl.shape[0], c:c + gl.shape[1]] = gl
    flip = rng.random(out.shape) < FLIP_FRACTION
    out = np.where(flip, 1 - out, out)
    return out.reshape(n, 64), {"images": n, "side": 8, "glyphs": len(glyphs), "flip_fraction": FLIP_FRACTION}


def load(name: str = "auto") -> Data:
    """The data set ``name`` (see the module doc), split 80/20 with a fixed seed."""
    from common.cli import UserError
    if name not in CHOICES:
        raise UserError(f"unknown data set {name!r}; choose from {', '.join(CHOICES)}")
    if name == "auto":
        name = "digits" if _have_sklearn() else "shapes"
    if name == "digits" and not _have_sklearn():
        raise UserError("--data digits needs scikit-learn (pip install scikit-learn, or "
                        "pip install -e '.[test]'); or use --data shapes")
    x, facts = _digits() if name == "digits" else _shapes()
    perm = np.random.default_rng(SPLIT_SEED).permutation(len(x))
    n_test = len(x) // 5
    return Data(name, facts, x[perm[n_test:]], x[perm[:n_test]])
