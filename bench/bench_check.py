"""``python -m check`` on a 10-line 2.a derivation against ``python -c "import sympy"``.

Warm: the derivation cache (the reference ``kl.univariate``) is filled and the files are in
the OS cache; the command still parses, forks its worker and judges every step.
Target (issue 14): under 2 s.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.timing import compare

__all__ = ["comparisons", "DERIVATION"]

DERIVATION = r"""\begin{align*}
\mathrm{KL}(q\|p) &= \int q(z)\ln\frac{q(z)}{p(z)}\,dz \\
&= \mathbb{E}_q\left[\ln q(z) - \ln p(z)\right] \\
&= \mathbb{E}_q\left[-\frac12\ln(2\pi\sigma^2) - \frac{(z-\mu)^2}{2\sigma^2} + \frac12\ln(2\pi) + \frac{z^2}{2}\right] \\
&= \mathbb{E}_q\left[-\ln\sigma - \frac{(z-\mu)^2}{2\sigma^2} + \frac{z^2}{2}\right] \\
&= -\ln\sigma - \frac{1}{2\sigma^2}\mathbb{E}_q[(z-\mu)^2] + \frac12\mathbb{E}_q[z^2] \\
&= -\ln\sigma - \frac{\sigma^2}{2\sigma^2} + \frac{\mu^2+\sigma^2}{2} \\
&= -\ln\sigma - \frac12 + \frac{\mu^2}{2} + \frac{\sigma^2}{2} \\
&= \frac{\mu^2}{2} + \frac{\sigma^2}{2} - \frac12 - \frac12\ln\sigma^2 \\
&= \frac12\left(\mu^2 + \sigma^2 - 1 - \ln\sigma^2\right) \\
&= \frac{1}{2}(\mu^2+\sigma^2-1) - \ln\sigma
\end{align*}
"""


def _cmd(args, env):
    return lambda: subprocess.run([sys.executable, *args], env=env, check=True, stdout=subprocess.DEVNULL)


def comparisons():
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, HW6_CACHE_DIR=tmp)
        tex = Path(tmp) / "ten_lines.tex"
        tex.write_text(DERIVATION)
        check = _cmd(["-m", "check", str(tex), "--part", "2.a"], env)
        check()  # fill the cache with the reference
        warm = compare(check, _cmd(["-c", "import sympy"], env), repeats=5)
    return [("check 10-line 2.a (warm)", *warm)]
