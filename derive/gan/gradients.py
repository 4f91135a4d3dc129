"""Gradients for GAN training: discriminator loss, generator minimax and non-saturating
losses, per-layer rules for small MLPs, and the generator gradient near D*.

Discriminator D(x) = sigma(h(x)) with logit h. Per-sample losses, as functions of the logit:

    discriminator:      -ln sigma(h(x_r)) - ln(1 - sigma(h(x_f)))
    generator minimax:   ln(1 - sigma(h(G(z))))          (minimised by G)
    generator non-sat.: -ln sigma(h(G(z)))               (Goodfellow et al. 2014, Sec. 3)

with dl/dh = -(1 - sigma(h)), sigma(h), -sigma(h), -(1 - sigma(h)) respectively. Everything else is
the chain rule through a quadratic logit h = w0 + w1 x + w2 x^2, an affine generator a z + b (or
e^tau z + b), or a tanh unit v tanh(u x + c) + d. Columns of partial derivatives are displayed
with :class:`derive.gan.display.Partial` (inline partial_v(f), no stacked fractions).

The ratio of minimax to non-saturating generator gradient per sample is D/(1 - D) = e^h: where
D is confident the sample is fake (D -> 0) the minimax gradient vanishes (Arjovsky and Bottou
2017, Thm. 2.4); at the Gaussian equilibrium p_G = p_data the logit is flat (h' = 0) and both vanish.
"""
from __future__ import annotations

import sympy as sp

from derive.engine.chain import Chain, Derivation
from derive.engine.verify import verify
from derive.gan.display import Partial
from derive.gan.gaussian import coefficients
from derive.symbols import D, G, LOGISTIC as SIGMA, a, b, c, c0, c1, c2, d_off as d, g_out, h, h_fn as hq, \
    logistic as sigma, mu_G, mu_q, s, sigma_G, sigma_q, u, v, w_quad as w, x, x_f, x_r, y_target as y_t, z

__all__ = ["logit_loss_grads", "quadratic_logit_grads", "disc_loss_grad", "gen_minimax_grad",
           "gen_nonsat_grad", "gen_grad_vanishing", "tanh_unit_grads", "generator_jacobians",
           "regression_grad", "REFS_LOSSES", "REFS_ALG", "REFS_GD", "REFS_AB"]

# the losses are Goodfellow et al.'s: eq. (1) and Algorithm 1 (discriminator, minimax), Sec. 3 (non-saturating)
REFS_LOSSES = ("Goodfellow et al. (2014), Generative Adversarial Nets, eq. (1) and Sec. 3 (the three losses)",)
REFS_ALG = ("Goodfellow et al. (2014), Generative Adversarial Nets, Algorithm 1",)
REFS_GD = ("Goodfellow et al. (2014), Generative Adversarial Nets, Sec. 3",)
REFS_AB = ("Arjovsky and Bottou (2017), Towards Principled Methods for Training GANs, Thm. 2.4",)
H = sp.Lambda(x, w[0] + w[1] * x + w[2] * x ** 2)
WHERE = {hq: H, G: sp.Lambda(z, a * z + b), sigma: SIGMA}
LOGIT_LOSSES = "the loss gradients with respect to the logit"   # the title of logit_loss_grads


def _col(*items):
    return sp.ImmutableMatrix([[e] for e in items])


def _dcol(f, wrt):
    return _col(*(Partial(f, p) for p in wrt))


def _dcol_of(fs, wrt):
    return _col(*(Partial(f, wrt) for f in fs))


def _mul(*f):
    return sp.Mul(*f, evaluate=False)


def _expanded_again(chain):
    """A ``check=`` that replaces the chain's placeholders once more before :func:`verify`:
    for a placeholder defined in terms of earlier ones (``D(x) := sigma(h(x))`` after ``h`` and
    ``sigma``), whose definition the one pass of ``chain.expand`` leaves unexpanded."""
    return lambda lhs, rhs: verify(chain.expand(lhs), rhs)


def logit_loss_grads() -> Derivation:
    """d/dh of -ln sigma(h), -ln(1 - sigma(h)), ln(1 - sigma(h))."""
    losses = (-sp.log(sigma(h)), -sp.log(1 - sigma(h)), sp.log(1 - sigma(h)))
    c_ = Chain("gan.logit_loss_grads", problem="4", title="Loss gradients with respect to the logit",
               lhs=sp.Symbol(
                   r"\partial_h\begin{pmatrix}-\ln\sigma(h)\\-\ln(1-\sigma(h))\\\ln(1-\sigma(h))\end{pmatrix}"),
               start=_dcol_of(losses, h), where={sigma: SIGMA}, references=REFS_LOSSES,
               notes=(r"Rows: a real sample's discriminator loss (also the generator's non-saturating loss), "
                      r"a fake sample's discriminator loss, the generator's minimax loss."))
    c_.step(_col(-(1 - sigma(h)), sigma(h), -sigma(h)), r"$\sigma'=\sigma(1-\sigma)$")
    return c_.done()


def quadratic_logit_grads() -> Derivation:
    """h(x) = w0 + w1 x + w2 x^2: gradient in (w0, w1, w2, x)."""
    c_ = Chain("gan.quadratic_logit_grads", problem="4",
               title=r"Quadratic logit $h(x)=w_0+w_1x+w_2x^2$: parameter and input gradients",
               lhs=sp.Symbol(r"\nabla_{(w_0,w_1,w_2,x)}h(x)"), start=_dcol(hq(x), (*w, x)),
               where={hq: H})
    c_.step(_col(1, x, x ** 2, w[1] + 2 * w[2] * x), "differentiate")
    return c_.done()


def disc_loss_grad() -> Derivation:
    """Gradient in w of -ln sigma(h(x_r)) - ln(1 - sigma(h(x_f)))."""
    loss = -sp.log(sigma(hq(x_r))) - sp.log(1 - sigma(hq(x_f)))
    c_ = Chain("gan.disc_loss_grad", problem="4",
               title=(r"Discriminator loss on a real sample $x_r$ and a fake sample $x_f$, "
                      r"$\ell_D=-\ln D(x_r)-\ln(1-D(x_f))$ with $D=\sigma(h)$: its gradient"),
               lhs=sp.Symbol(r"\nabla_{w}\,\ell_D(x_r,x_f)"), start=_dcol(loss, w),
               where={hq: H, sigma: SIGMA}, references=REFS_ALG, start_why=r"$D=\sigma(h)$, $w=(w_0,w_1,w_2)$")
    c_.step(sp.MatAdd(-(1 - sigma(hq(x_r))) * _col(1, x_r, x_r ** 2),
                      sigma(hq(x_f)) * _col(1, x_f, x_f ** 2), evaluate=False),
            rf"chain rule: $\partial_h\ell$ ({LOGIT_LOSSES}) times $\nabla_w h$")
    c_.step(_col(*(-(1 - sigma(hq(x_r))) * x_r ** k + sigma(hq(x_f)) * x_f ** k for k in range(3))),
            "componentwise")
    return c_.done()


def _gen_grad(id_, title, loss, dl_dh, why, refs):
    c_ = Chain(id_, problem="4", title=title, lhs=sp.Symbol(r"\nabla_{(a,b)}\," + why),
               start=_dcol(loss(G(z)), (a, b)), where=WHERE, references=refs,
               start_why=r"$G(z)=az+b$, $D=\sigma(h)$")
    c_.step(_mul(dl_dh(G(z)), w[1] + 2 * w[2] * G(z), _col(z, 1)),
            rf"chain rule: $\partial_h\ell\,h'(G(z))\,\nabla_{{(a,b)}}G(z)$ ({LOGIT_LOSSES})")
    return c_.done()


def gen_minimax_grad() -> Derivation:
    """Gradient in (a, b) of ln(1 - sigma(h(a z + b)))."""
    return _gen_grad("gan.gen_minimax_grad", r"Generator minimax loss gradient, $G(z)=az+b$",
                     lambda g: sp.log(1 - sigma(hq(g))), lambda g: -sigma(hq(g)),
                     r"\ln(1-D(G(z)))", REFS_ALG)


def gen_nonsat_grad() -> Derivation:
    """Gradient in (a, b) of -ln sigma(h(a z + b))."""
    return _gen_grad("gan.gen_nonsat_grad", r"Generator non-saturating loss gradient, $G(z)=az+b$",
                     lambda g: -sp.log(sigma(hq(g))), lambda g: -(1 - sigma(hq(g))),
                     r"\left(-\ln D(G(z))\right)", REFS_GD)


def gen_grad_vanishing() -> Derivation:
    """Minimax / non-saturating gradient ratio = D/(1-D) = e^h; at the Gaussian equilibrium
    the optimal logit (w = c) is flat, so both gradients vanish."""
    mm, ns = sp.log(1 - D(G(z))), -sp.log(D(G(z)))
    where = dict(WHERE)
    # the c's of the Gaussian log ratio for the affine generator: p_G = N(b, a^2), mu_G = b, sigma_G = |a|
    where.update({k: v.subs({mu_G: b, sigma_G: sp.Abs(a)}) for k, v in coefficients().items()})
    where[D] = sp.Lambda(x, sigma(hq(x)))
    optimal = dict(zip(w, (c0, c1, c2)))
    c_ = Chain("gan.gen_grad_vanishing", problem="4",
               title=r"The generator gradient as $D\to D^\star$",
               lhs=sp.Symbol(r"\rho_G"), start=sp.Mul(Partial(mm, a), 1 / Partial(ns, a), evaluate=False),
               where=where, references=REFS_AB + REFS_GD,
               start_why=r"definition of the loss ratio $\rho_G$, where $h'(G(z))\,z\neq0$; $p_G=\mathcal{N}(b,a^2)$",
               notes=(r"Per sample, the minimax gradient is the non-saturating one times $D/(1-D)$. "
                      r"Where $D$ rejects the generator's samples confidently ($D\to0$, as a near-optimal "
                      r"$D$ does when $p_G$ and $p_{\mathrm{data}}$ barely overlap), the minimax gradient vanishes: with "
                      r"$|D|<\delta$, $|D'|<\delta$ on the samples and "
                      r"$\mathbb{E}\|\nabla_\theta G\|^2\le M^2$, "
                      r"$\|\nabla_\theta\mathbb{E}\ln(1-D(G))\|<M\delta/(1-\delta)$ (Arjovsky and "
                      r"Bottou~\cite[Thm.~2.4]{arjovsky2017}). At the Gaussian equilibrium $p_G=p_{\mathrm{data}}$ the optimal discriminator has $w=c$ "
                      r"and a flat logit, $h'=c_1+2c_2x=0$, so every generator loss has zero gradient there "
                      r"(and $\rho_G$ is undefined): $D^\star$ carries no signal."))
    c_.step(sigma(hq(G(z))) / (1 - sigma(hq(G(z)))),
            rf"both gradients have the factor $h'(G(z))\,z$ ({LOGIT_LOSSES}), which cancels",
            check=_expanded_again(c_))
    c_.step(sp.exp(hq(G(z))), r"$\sigma/(1-\sigma)=e^{h}$")
    c_.step(c1 + 2 * c2 * x, r"the optimal discriminator of the Gaussian case: $w=c$",
            lhs=sp.Subs(sp.Derivative(hq(x), x), tuple(optimal), tuple(optimal.values())), how="symbolic")
    c_.step(sp.Integer(0), r"$p_G=p_{\mathrm{data}}$: $b=\mu_{\mathrm{data}}$, $a=\sigma_{\mathrm{data}}$, and $c_1=c_2=0$",
            lhs=sp.Subs(c1 + 2 * c2 * x, (b, a), (mu_q, sigma_q)), how="symbolic")
    return c_.done()


def tanh_unit_grads() -> Derivation:
    """y = v tanh(u x + c) + d: gradient in (v, u, c, d, x), the per-layer rule of the MLPs."""
    t = sp.tanh(u * x + c)
    c_ = Chain("gan.tanh_unit_grads", problem="4",
               title=r"Per-layer rule of the MLPs: $v\tanh(ux+c)+d$",
               lhs=sp.Symbol(r"\nabla_{(v,u,c,d,x)}\,y"), start=_dcol(v * t + d, (v, u, c, d, x)),
               start_why=r"one hidden unit; a width-$K$ layer $\sum_k v_k\tanh(u_kx+c_k)+d$ is a sum of these",
               notes=(r"Backpropagation through the MLP $y(x)=\sum_k v_k\tanh(u_kx+c_k)+d$ applies this rule "
                      r"per unit $k$; the input gradient is the sum over $k$ of the last row."))
    c_.step(_col(t, v * (1 - t ** 2) * x, v * (1 - t ** 2), 1, v * (1 - t ** 2) * u),
            r"$\tanh'=1-\tanh^2$")
    return c_.done()


def generator_jacobians() -> Derivation:
    """dG/dtheta for the affine a z + b and the log-scale e^tau z + b generators (tau is the
    symbol ``s`` of :mod:`derive.symbols`, displayed as tau)."""
    c_ = Chain("gan.generator_jacobians", problem="4",
               title=r"Generator Jacobians: $az+b$ and $e^{\tau}z+b$",
               lhs=sp.Symbol(r"\begin{pmatrix}\nabla_{(a,b)}(az+b) & \nabla_{(\tau,b)}(e^{\tau}z+b)\end{pmatrix}"),
               start=sp.ImmutableMatrix([[Partial(a * z + b, a), Partial(sp.exp(s) * z + b, s)],
                                         [Partial(a * z + b, b), Partial(sp.exp(s) * z + b, b)]]),
               start_why="the two gradient columns side by side")
    c_.step(sp.ImmutableMatrix([[z, sp.exp(s) * z], [1, 1]]), "differentiate")
    return c_.done()


def regression_grad() -> Derivation:
    """d/dg (g - y)^2 = 2 (g - y): the loss of regressing Gen_2(z) on Gen_1(z) (scenario c)."""
    g = g_out
    ell = sp.Function(r"\ell")
    c_ = Chain("gan.regression_grad", problem="4",
               title=r"Regressing $\mathrm{Gen}_2(z)$ on $\mathrm{Gen}_1(z)$: the squared-error gradient",
               lhs=Partial(ell(g), g), start=Partial((g - y_t) ** 2, g),
               where={ell: sp.Lambda(g, (g - y_t) ** 2)},
               start_why=r"$g=\mathrm{Gen}_2(z)$, $y=\mathrm{Gen}_1(z)$, the same $z$",
               notes=(r"The gradient in the parameters of $\mathrm{Gen}_2$ is $2(g-y)$ times the gradient "
                      r"of $g$, by the per-layer rule of the MLPs."))
    c_.step(2 * (g - y_t), "differentiate")
    return c_.done()
