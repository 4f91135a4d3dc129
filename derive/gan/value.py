"""The GAN value function and the optimal discriminator (Problem 4).

    V(D, G) = E_{x~p_data}[ln D(x)] + E_{z~N(0,1)}[ln(1 - D(G(z)))]
            = int p_data(x) ln D(x) + p_G(x) ln(1 - D(x)) dx,
    D*(x) = p_data(x) / (p_data(x) + p_G(x)),   and D* = 1/2, V(D*, G) = -ln 4 where p_G = p_data.

The change of variables is proved for every density p_data, every D with values in (0, 1) and
every a > 0, b: ``Integral.transform`` substitutes z = (x - b)/a, limits included.
The pointwise argument: for fixed x, v(y) = p_data ln y + p_G ln(1 - y) is concave on (0, 1) with its
only stationary point at y = p_data / (p_data + p_G).
Reference: Goodfellow et al. (2014), Generative Adversarial Nets, eq. (1), Prop. 1 (and its proof), Thm. 1.
"""
from __future__ import annotations

import sympy as sp

from derive.engine.chain import Chain, Derivation
from derive.engine.checks import proved
from derive.engine.integrals import integrals_equal
from derive.engine.verify import VerificationError, symbolic_zero
from derive.gan.display import Partial
from derive.ops import normal_pdf
from derive.symbols import D, G, a_scale as a, b, p_G, phi_density as phi, p_data, x, y_D as y, z

__all__ = ["substitution", "value_function", "optimal_discriminator", "optimal_discriminator_at_equilibrium",
           "normalised", "REF_V", "REF_DSTAR", "REF_EQ"]

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


def normalised(lhs, rhs):
    """A ``check=`` for integrals of the data law: equal normal forms under linearity and
    ``int p_data = 1`` (p_data a density; :func:`~derive.engine.integrals.integrals_equal`)."""
    if not integrals_equal(lhs, rhs, densities=(p_data,)):
        raise VerificationError(f"normal forms differ (linearity, int p_data = 1): {lhs} vs {rhs}")
    return proved("normal form of integrals (linearity, normalisation of the density p_data)")


def value_function() -> Derivation:
    """V(D, G) as one integral over x (change of variables x = G(z) = a z + b)."""
    c = Chain("gan.value_function", problem="4", title="The GAN value function $V(D,G)$",
              lhs=sp.Symbol("V(D, G)"),
              start=sp.Add(_int(p_data(x) * sp.log(D(x))), _int(phi(z) * sp.log(1 - D(G(z))), z),
                           evaluate=False),
              references=REF_V,
              start_why=r"definition; $p_{\mathrm{data}}$ any density, $D$ any function into $(0,1)$, $a>0$",
              notes=(r"The affine generator $G(z)=az+b$ with $a>0$ pushes $z\sim\mathcal{N}(0,1)$ forward to "
                     r"$p_G=\mathcal{N}(b,a^2)$. The step is proved with $p_{\mathrm{data}}$ and $D$ left arbitrary: the "
                     r"substitution $z=(x-b)/a$ maps the range $(-\infty,\infty)$ onto itself because $a>0$ "
                     r"(this loses nothing: $-a$ gives the same $p_G$), and $\phi((x-b)/a)/a$ is $p_G(x)$ "
                     r"exactly. That both integrals exist is assumed."),
              where={p_G: sp.Lambda(x, normal_pdf(x, b, a)),
                     phi: sp.Lambda(z, normal_pdf(z, 0, 1)), G: sp.Lambda(z, a * z + b)})
    c.step(_int(sp.Add(p_data(x) * sp.log(D(x)), p_G(x) * sp.log(1 - D(x)), evaluate=False)),
           r"$x=G(z)=az+b$, $dz=dx/a$: $\phi((x-b)/a)/a=p_G(x)$", check=substitution(a, b))
    return c.done()


def _is_maximiser(qx, px):
    f = qx * sp.log(y) + px * sp.log(1 - y)
    ystar = qx / (qx + px)

    def check(lhs, rhs):
        if symbolic_zero(rhs - ystar) is None:
            raise VerificationError(f"{rhs} is not p_data/(p_data+p_G)")
        if symbolic_zero(sp.diff(f, y).subs(y, ystar)) is None:
            raise VerificationError("p_data/(p_data+p_G) is not a stationary point")
        if symbolic_zero(sp.diff(f, y, 2) - (-qx / y ** 2 - px / (1 - y) ** 2)) is None:
            raise VerificationError("second derivative")
        return proved("stationary point and second derivative")
    return check


def optimal_discriminator() -> Derivation:
    """D*(x) = p_data(x) / (p_data(x) + p_G(x)), from maximising the integrand pointwise."""
    qx, px = p_data(x), p_G(x)
    v = sp.Function("J")   # the integrand as a function of the value eta = D(x) (y_D, printed eta)
    c = Chain("gan.optimal_discriminator", problem="4",
              title=r"The optimal discriminator $D^\star = p_{\mathrm{data}}/(p_{\mathrm{data}}+p_G)$",
              lhs=Partial(v(y), y), start=Partial(qx * sp.log(y) + px * sp.log(1 - y), y), references=REF_DSTAR,
              where={v: sp.Lambda(y, qx * sp.log(y) + px * sp.log(1 - y))},
              start_why=r"$J$: the integrand of $V$ at a fixed $x$, as a function of $\eta=D(x)\in(0,1)$",
              notes=(r"$J''(\eta)=-p_{\mathrm{data}}/\eta^2-p_G/(1-\eta)^2<0$, so $J$ is strictly concave on $(0,1)$ and its "
                     r"only stationary point is the maximiser; maximising the integrand at every $x$ "
                     r"maximises $V$ over all $D$."))
    c.step(qx / y - px / (1 - y), "differentiate")
    c.step((qx - (qx + px) * y) / (y * (1 - y)), "common denominator")
    c.step(qx / (qx + px), r"unique zero in $(0,1)$; $J''<0$ there (concave): the maximiser",
           lhs=sp.Symbol(r"D^{\star}(x)"), check=_is_maximiser(qx, px))
    return c.done()


def optimal_discriminator_at_equilibrium() -> Derivation:
    """Where p_G = p_data: D* = 1/2 and V(D*, G) = -ln 4, for every density p_data.

    The premise is the one the theorem needs: p_data a positive function with int p_data = 1.
    p_data/(p_data + p_data) = 1/2 is exact cancellation (p_data(x) > 0); the value is
    int p_data ln(1/2) + p_data ln(1/2) = 2 ln(1/2) int p_data = -ln 4 by linearity and
    normalisation (:func:`~derive.engine.integrals.integrals_equal`, p_data declared a density),
    so both steps are symbolic for every p_data, not for one family."""
    c = Chain("gan.optimal_discriminator_at_equilibrium", problem="4",
              title=r"At $p_G=p_{\mathrm{data}}$: $D^\star=\tfrac12$ and $V(D^\star,G)=-\ln 4$ for every density $p_{\mathrm{data}}$",
              lhs=sp.Symbol(r"D^{\star}(x)\big|_{p_G=p_{\mathrm{data}}}"),
              start=sp.Mul(p_data(x), 1 / sp.Add(p_data(x), p_data(x), evaluate=False), evaluate=False),
              start_why=r"$D^\star=p_{\mathrm{data}}/(p_{\mathrm{data}}+p_G)$ with $p_G=p_{\mathrm{data}}$; "
                        r"premise: $p_{\mathrm{data}}>0$, $\int p_{\mathrm{data}}=1$", references=REF_EQ)
    c.step(sp.Rational(1, 2), r"cancel $p_{\mathrm{data}}(x)>0$")
    half = sp.Rational(1, 2)
    v_eq = _int(sp.Add(p_data(x) * sp.log(half), p_data(x) * sp.log(1 - half), evaluate=False))
    c.step(-sp.log(4), r"$V(D^\star,G)$ at $p_G=p_{\mathrm{data}}$: linearity, $\int p_{\mathrm{data}}=1$, "
                       r"$2\ln\tfrac12=-\ln 4$",
           lhs=v_eq, check=normalised)
    return c.done()
