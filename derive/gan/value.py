"""The GAN value function and the optimal discriminator (Problem 4).

    V(D, G) = E_{x~q}[ln D(x)] + E_{z~N(0,1)}[ln(1 - D(G(z)))]
            = int q(x) ln D(x) + p_G(x) ln(1 - D(x)) dx,
    D*_G(x) = q(x) / (q(x) + p_G(x)),   and D* = 1/2, V(D*, G) = -ln 4 where p_G = q.

The pointwise argument: for fixed x, y -> q ln y + p_G ln(1 - y) is concave on (0, 1) with its
only stationary point at y = q / (q + p_G).
Reference: Goodfellow et al. (2014), Generative Adversarial Nets, eq. (1), Prop. 1, Thm. 1.
"""
from __future__ import annotations

import sympy as sp

from derive.engine.chain import Chain, Derivation
from derive.engine.checks import proved
from derive.engine.verify import VerificationError, symbolic_zero
from derive.ops import normal_pdf
from derive.symbols import D, G, LOGISTIC as SIGMA, a_scale as a, b, logistic as sigma, mu_q, p_G, \
    phi_density as phi, q, sigma_q, w_quad, x, y_D as y, z

__all__ = ["value_function", "optimal_discriminator", "optimal_discriminator_at_equilibrium", "REFS"]

REFS = ("Goodfellow et al. (2014), Generative Adversarial Nets, eq. (1), Prop. 1, Thm. 1",)

w0, w1, w2 = w_quad


def _int(f, v=x):
    return sp.Integral(f, (v, -sp.oo, sp.oo))


def _change_of_variables(lhs, rhs) -> str:
    """Substitute z = (x - b)/a (dz = dx/a) in the z-integral; compare integrands exactly."""
    x_part, z_part = sorted(lhs.args, key=lambda i: i.variables[0] != x)
    moved = z_part.function.subs(z, (x - b) / a) / a
    if symbolic_zero(x_part.function + moved - rhs.function) is None:
        raise VerificationError("change of variables does not give the x-integrand")
    return proved("change of variables x = a z + b, integrands equal")


def value_function() -> Derivation:
    """V(D, G) as one integral over x (change of variables x = G(z) = a z + b)."""
    c = Chain("gan.value_function", problem="4", title="The GAN value function $V(D,G)$",
              lhs=sp.Symbol("V(D, G)"),
              start=sp.Add(_int(q(x) * sp.log(D(x))), _int(phi(z) * sp.log(1 - D(G(z))), z),
                           evaluate=False),
              references=REFS,
              notes=("The change of variables is checked on an instance: "
                     r"$q=\mathcal{N}(\mu_q,\sigma_q^2)$, $G(z)=az+b$ so $p_G=\mathcal{N}(b,a^2)$, "
                     r"and $D(x)=\sigma(w_0+w_1x+w_2x^2)$ at random parameter values."),
              where={q: sp.Lambda(x, normal_pdf(x, mu_q, sigma_q)),
                     p_G: sp.Lambda(x, normal_pdf(x, b, a)),
                     phi: sp.Lambda(z, normal_pdf(z, 0, 1)), G: sp.Lambda(z, a * z + b),
                     D: sp.Lambda(x, sigma(w0 + w1 * x + w2 * x ** 2)), sigma: SIGMA})
    c.step(_int(sp.Add(q(x) * sp.log(D(x)), p_G(x) * sp.log(1 - D(x)), evaluate=False)),
           r"$x=G(z)=az+b$, $dz=dx/a$: $\phi((x-b)/a)/a=p_G(x)$", check=_change_of_variables)
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
    """D*_G(x) = q(x) / (q(x) + p_G(x)), from maximising the integrand pointwise."""
    qx, px = q(x), p_G(x)
    c = Chain("gan.optimal_discriminator", problem="4",
              title=r"The optimal discriminator $D^*_G = q/(q+p_G)$",
              lhs=sp.Derivative(sp.Function("v")(y), y),
              start=sp.Derivative(qx * sp.log(y) + px * sp.log(1 - y), y), references=REFS,
              start_why=r"$v(y)$: the integrand of $V$ at a fixed $x$, with $y=D(x)\in(0,1)$",
              notes=(r"$v''(y)=-q/y^2-p_G/(1-y)^2<0$, so $v$ is strictly concave on $(0,1)$ and its "
                     r"only stationary point is the maximiser; maximising the integrand at every $x$ "
                     r"maximises $V$ over all $D$."))
    c.step(qx / y - px / (1 - y), "differentiate")
    c.step((qx - (qx + px) * y) / (y * (1 - y)), "common denominator")
    c.step(qx / (qx + px), r"unique zero in $(0,1)$; $v''<0$ there (concave): the maximiser",
           lhs=sp.Symbol("D^{*}_{G}(x)"), check=_is_maximiser(qx, px))
    return c.done()


def optimal_discriminator_at_equilibrium() -> Derivation:
    """Where p_G = q: D* = 1/2 and V(D*, G) = -ln 4."""
    c = Chain("gan.optimal_discriminator_at_equilibrium", problem="4",
              title=r"At $p_G=q$: $D^*=\tfrac12$ and $V(D^*,G)=-\ln 4$",
              lhs=sp.Symbol(r"D^{*}_{G}(x)\big|_{p_G=q}"),
              start=sp.Mul(q(x), 1 / sp.Add(q(x), q(x), evaluate=False), evaluate=False),
              start_why=r"$D^*_G=q/(q+p_G)$ with $p_G=q$", references=REFS,
              where={q: sp.Lambda(x, normal_pdf(x, mu_q, sigma_q))})
    c.step(sp.Rational(1, 2), r"wherever $q(x)>0$")
    half = sp.Rational(1, 2)
    v_eq = _int(sp.Add(q(x) * sp.log(half), q(x) * sp.log(1 - half), evaluate=False))
    c.step(-sp.log(4), r"$V(D^*,G)$ at $p_G=q$: $\int q=1$, $2\ln\tfrac12=-\ln 4$ (the minimum of $\max_D V$)",
           lhs=v_eq)
    return c.done()
