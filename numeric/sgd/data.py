"""Data for Problem 1: the seeded synthetic set, or the user's CSV (validated).

Synthetic (logistic): x ~ N(0, Q diag(s^2) Q^T) with s_j^2 geometric from 1 down to 1/cond (Q a
random rotation), y = +1 with probability sigma(x^T w_true), else -1, where w_true is scaled so
that x^T w_true has standard deviation 3 (classes overlap: the minimiser is finite even for
small lambda). Least squares: y = x^T w_true + N(0, 0.5^2).

CSV: a header row, numeric feature columns, the label in the last column ({0, 1} or {-1, +1}
for logistic, mapped to {-1, +1}, both classes present; any real for least squares). Bad files
raise :class:`common.cli.UserError` with a one-line message naming the physical line (blank
lines count): not a regular file (a FIFO, a device), a quoted cell that spans lines, a cell
that is not a finite number, a ragged row, a single class.

>>> X, y = synthetic(100, 3, 10.0, "logistic", seed=0)
>>> X.shape, sorted(set(y.tolist()))
((100, 3), [-1.0, 1.0])
"""
from __future__ import annotations

import csv
import hashlib
import io
import math

import numpy as np

__all__ = ["synthetic", "load_csv", "csv_size"]


def synthetic(n: int, d: int, cond: float, objective: str, seed: int):
    """(X, y) with n rows and d features, feature covariance of condition number ``cond``."""
    rng = np.random.default_rng([seed, 480680])
    scales = cond ** (-np.linspace(0.0, 0.5, d)) if d > 1 else np.ones(1)
    q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    X = (rng.standard_normal((n, d)) * scales) @ q.T
    w_true = rng.standard_normal(d)
    w_true *= 3.0 / math.sqrt(float(w_true @ (q * scales ** 2) @ q.T @ w_true))
    m = X @ w_true
    if objective == "logistic":
        y = np.where(rng.random(n) < 1.0 / (1.0 + np.exp(-m)), 1.0, -1.0)
    else:
        y = m + 0.5 * rng.standard_normal(n)
    return np.ascontiguousarray(X), y


def csv_size(path: str) -> int:
    """The size in bytes of the CSV file (UserError if it is missing or not a regular file:
    a FIFO, a device such as /dev/zero or a folder)."""
    from common.userfile import regular_file_size
    return regular_file_size(path, "data file")


def _rows(text: str, path: str):
    """(line number, cells) of every non-blank record; a quoted cell with a line break is an error."""
    from common.cli import UserError
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    for row in reader:
        if any("\n" in c or "\r" in c for c in row):
            raise UserError(f"{path}: line {start}: a quoted cell spans more than one line")
        if row and any(c.strip() for c in row):
            yield start, row
        start = reader.line_num + 1


def load_csv(path: str, objective: str, limit: int):
    """(X, y, sha256) from a CSV file of at most ``limit`` bytes; raises UserError for every
    kind of bad file."""
    from common.cli import UserError
    from common.userfile import read_user_file
    raw = read_user_file(path, "data file", limit)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"cannot read data file {path!r}: {exc}") from None
    try:
        rows = list(_rows(text, path))
    except csv.Error as exc:
        raise UserError(f"{path}: not a valid CSV file ({exc})") from None
    if len(rows) < 3:
        raise UserError(f"data file {path!r} needs a header row and at least 2 data rows, found {max(len(rows) - 1, 0)}")
    width = len(rows[0][1])
    if width < 2:
        raise UserError(f"data file {path!r} needs at least one feature column and a label column")
    values = np.empty((len(rows) - 1, width))
    lines = [line for line, _ in rows[1:]]
    for r, (line, row) in enumerate(rows[1:]):
        if len(row) != width:
            raise UserError(f"{path}: line {line} has {len(row)} columns, the header has {width}")
        for c, cell in enumerate(row):
            try:
                values[r, c] = float(cell)
            except ValueError:
                raise UserError(f"{path}: line {line}, column {c + 1}: {cell.strip()!r} is not a number") from None
    bad = ~np.isfinite(values)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise UserError(f"{path}: line {lines[r]}, column {c + 1} is {values[r, c]} (NaN or inf not allowed)")
    X, y = np.ascontiguousarray(values[:, :-1]), values[:, -1].copy()
    if objective == "logistic":
        labels = set(np.unique(y).tolist())
        if not (labels <= {0.0, 1.0} or labels <= {-1.0, 1.0}):
            shown = ", ".join(f"{v:g}" for v in sorted(labels)[:5])
            raise UserError(f"{path}: labels (last column) must be 0/1 or -1/+1 for logistic regression, found {shown}")
        if len(labels) < 2:
            raise UserError(f"{path}: every label is {next(iter(labels)):g}; logistic regression needs both classes")
        y = np.where(y > 0, 1.0, -1.0)
    return X, y, hashlib.sha256(raw).hexdigest()
