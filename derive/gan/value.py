"""The GAN value function and the optimal discriminator (Problem 4).

    V(D, G) = E_{x~q}[ln D(x)] + E_{z~N(0,1)}[ln(1 - D(G(z)))]
            = int q(x) ln D(x) + p_G(x) ln(1 - D(x)) dx,
    D*(x) = q(x) / (q(x) + p_G(x)),   and D* = 1/2, V(D*, G) = -ln 4 where p_G = q.

The change of variables is proved for every density q, every D with values in (0, 1) and
every a > 0, b: ``Integral.transform`` substitutes z = (x - b)/a, limits included.
The pointwise argument: for fixed x, v(y) = q ln y + p_G ln(1 - y) is concave on (0, 1) with its
only stationary point at y = q / (q + p_G).
Reference: Goodfellow et al. (2014), Generative Adversarial Nets, eq. (1), Prop. 1 (and its proof), Thm. 1.
"""
from __future__ import annotations

import sympy as sp

from derive.engine.chain import Chain, Derivation
from derive.engine.checks import proved
from derive.engine.verify import VerificationError, symbolic_zero
from derive.gan.display import Partial
from derive.ops import normal_pdf
from derive.symbols import D, G, a_scale as a, b, mu_q, p_G, phi_density as phi, q, sigma_q, x, y_D as y, z

__all__ = ["substitution", "value_function", "optimal_discriminator", "optimal_discriminator_at_equilibrium",
           "REF_V", "REF_DSTAR", "REF_EQ"]

# each derivation cites the place of the paper that holds its result
REF_V = ("Goodfellow et al. (2014), Generative Adversarial Nets, eq. (1) and the proof of Prop. 1",)
REF_DSTAR = ("Goodfellow et al. (2014), Generative Adversarial Nets, Prop. 1",)
REF_EQ = ("Goodfellow et al. (2014), Generative Adversarial Nets, Thm. 1 and its proof",)


def _int(f, v=x):
    return sp.Integral(f, (v, -sp.oo, sp.oo))


def substitution(scale, offset):
    """A ``check=`` for ``int f dx + int g(z) dz = int (...) dx``: substitute
    z = (x - offset)/scale in the z-integral (SymPy's ``Integral.transform``: integrand times
    dz/dx = 1/scale, limits mapped, so they stay (-oo, oo) only for a scale known to be
    positive), then compare the sum of the two x-integrands with the right-hand one exactly."""
    def check(lhs, rhs):
        x_part, z_part = sorted(lhs.args, key=lambda i: i.variables[0] != x)
        moved = z_part.transform(z, ((x - offset) / scale, x))
        if not moved.limits == x_part.limits == rhs.limits:
            raise VerificationError(f"the substitution maps the range to {moved.limits}, not {rhs.limits}")
        if symbolic_zero(x_part.function + moved.function - rhs.function) is None:
            raise VerificationError("change of variables does not give the x-integrand")
        return proved(f"substitution x = {scale} z + {offset}, limits mapped ({scale} > 0); integrands equal")
    return check


def value_function() -> Derivation:
    """V(D, G) as one integral over x (change of variables x = G(z) = a z + b)."""
    c = Chain("gan.value_function", problem="4", title="The GAN value function $V(D,G)$",
              lhs=sp.Symbol("V(D, G)"),
              start=sp.Add(_int(q(x) * sp.log(D(x))), _int(phi(z) * sp.log(1 - D(G(z))), z),
                           evaluate=False),
              references=REF_V,
              start_why=r"definition; $q$ any density, $D$ any function into $(0,1)$, $a>0$",
              notes=(r"The affine generator $G(z)=az+b$ with $a>0$ pushes $z\sim\mathcal{N}(0,1)$ forward to "
                     r"$p_G=\mathcal{N}(b,a^2)$. The step is proved with $q$ and $D$ left arbitrary: the "
                     r"substitution $z=(x-b)/a$ maps the range $(-\infty,\infty)$ onto itself because $a>0$ "
                     r"(this loses nothing: $-a$ gives the same $p_G$), and $\phi((x-b)/a)/a$ is $p_G(x)$ "
                     r"exactly. That both integrals exist is assumed."),
              where={p_G: sp.Lambda(x, normal_pdf(x, b, a)),
                     phi: sp.Lambda(z, normal_pdf(z, 0, 1)), G: sp.Lambda(z, a * z + b)})
    c.step(_int(sp.Add(q(x) * sp.log(D(x)), p_G(x) * sp.log(1 - D(x)), evaluate=False)),
           r"$x=G(z)=az+b$, $dz=dx/a$: $\phi((x-b)/a)/a=p_G(x)$", check=substitution(a, b))
    return c.done()


def _is_maximiser(qx, px):
    f = qx * sp.log(y) + px * sp.log(1 - y)
    ystar = qx / (qx + px)

    def check(lhs, rhs):
        if symbolic_zero(rhs - ystar) is None:
            raise VerificationError(f"{rhs} is not q/(q+p_G)")
        if symbolic_zero(sp.diff(f, y).subs(y, ystar)) is None:
            raise VerificationError("q/(q+p_G) is not a stationary point")
        if symbolic_zero(sp.diff(f, y, 2) - (-qx / y ** 2 - px / (1 - y) ** 2)) is None:
            raise VerificationError("second derivative")
        return proved("stationary point and second derivative")
    return check


def optimal_discriminator() -> Derivation:
    """D*(x) = q(x) / (q(x) + p_G(x)), from maximising the integrand pointwise."""
    qx, px = q(x), p_G(x)
    v = sp.Function("J")   # the integrand as a function of the value eta = D(x) (y_D, printed eta)
    c = Chain("gan.optimal_discriminator", problem="4",
              title=r"The optimal discriminator $D^\star = q/(q+p_G)$",
              lhs=Partial(v(y), y), start=Partial(qx * sp.log(y) + px * sp.log(1 - y), y), references=REF_DSTAR,
              where={v: sp.Lambda(y, qx * sp.log(y) + px * sp.log(1 - y))},
              start_why=r"$J$: the integrand of $V$ at a fixed $x$, as a function of $\eta=D(x)\in(0,1)$",
              notes=(r"$J''(\eta)=-q/\eta^2-p_G/(1-\eta)^2<0$, so $J$ is strictly concave on $(0,1)$ and its "
                     r"only stationary point is the maximiser; maximising the integrand at every $x$ "
                     r"maximises $V$ over all $D$."))
    c.step(qx / y - px / (1 - y), "differentiate")
    c.step((qx - (qx + px) * y) / (y * (1 - y)), "common denominator")
    c.step(qx / (qx + px), r"unique zero in $(0,1)$; $J''<0$ there (concave): the maximiser",
           lhs=sp.Symbol(r"D^{\star}(x)"), check=_is_maximiser(qx, px))
    return c.done()


def optimal_discriminator_at_equilibrium() -> Derivation:
    """Where p_G = q: D* = 1/2 and V(D*, G) = -ln 4."""
    c = Chain("gan.optimal_discriminator_at_equilibrium", problem="4",
              title=r"At $p_G=q$: $D^\star=\tfrac12$ and $V(D^\star,G)=-\ln 4$ (checked for a Gaussian $q$)",
              lhs=sp.Symbol(r"D^{\star}(x)\big|_{p_G=q}"),
              start=sp.Mul(q(x), 1 / sp.Add(q(x), q(x), evaluate=False), evaluate=False),
              start_why=r"$D^\star=q/(q+p_G)$ with $p_G=q$", references=REF_EQ,
              where={q: sp.Lambda(x, normal_pdf(x, mu_q, sigma_q))})
    c.step(sp.Rational(1, 2), r"wherever $q(x)>0$")
    half = sp.Rational(1, 2)
    v_eq = _int(sp.Add(q(x) * sp.log(half), q(x) * sp.log(1 - half), evaluate=False))
    c.step(-sp.log(4), r"$V(D^\star,G)$ at $p_G=q$: $\int q=1$ (this Gaussian $q$, any $\mu_q,\sigma_q$), "
                       r"$2\ln\tfrac12=-\ln 4$",
           lhs=v_eq)
    return c.done()
