"""Every symbol of the derivations, declared once: its assumptions, its meaning and (in
:data:`LATEX_NAMES`) its LaTeX name where SymPy's own would not do.

Code names are ASCII. SymPy prints ``sigma_q`` as ``\\sigma_{q}`` and ``mu`` as ``\\mu`` by
itself; :data:`LATEX_NAMES` maps the few code names it would not print as the writeup does
(``n_eps -> n_{\\epsilon}``), and :data:`NOTATION` is the notation every renderer of the
homework uses. One letter with two meanings has two declarations with distinct Python names
(``mu``, the mean of a Gaussian, and ``mu_sc``, the strong-convexity constant, are both printed
``\\mu``); SymPy tells them apart by their assumptions.

>>> from derive.symbols import mu, mu_sc
>>> mu.is_real, mu_sc.is_positive, mu == mu_sc
(True, True, False)
"""
from types import MappingProxyType

import sympy as sp

from derive.engine.notation import Notation

__all__ = [
    "LATEX_NAMES", "NOTATION", "DOCUMENT", "DOCUMENT_NAMES", "DOCUMENT_MACROS",
    # shared
    "i", "j", "k", "t", "z", "m", "d", "q", "p", "logistic", "LOGISTIC",
    # Problem 2
    "mu", "sigma", "z_i", "mu_i", "sigma_i", "Z", "MU", "SIGMA", "MU0", "MU1", "SIGMA0", "SIGMA1",
    "z_1", "z_2", "q_1", "q_2", "p_1", "p_2",
    # Problem 1
    "w_vec", "x_vec", "y", "margin", "lam", "n", "b_size", "g", "g_bar",
    "alpha", "beta", "L", "mu_sc", "kappa", "w_next", "w_t", "w_prev", "v_next", "v_t", "g_t",
    "alpha_star", "beta_star",
    # Problem 3
    "n_eps", "n_phi", "n_theta", "phi", "theta", "x_i", "ell_i", "S", "ONES", "G_MU", "G_S", "EPS",
    "Z_I", "PI", "G_PIZ", "G_PITH", "G_AZ", "G_ATH", "R", "DZ", "GZ_LOGP", "GTH_LOGP", "R_HAT",
    "n_out", "n_in", "n_h", "n_w", "V_P", "Y_W", "W_VEC", "G_YW", "G_YH", "G_HW", "W_D", "H_Q", "B_P",
    "U_P", "H_P", "X_Q", "W1", "B1", "W2", "B2", "H_H", "DELTA",
    # Problem 4
    "x", "y_D", "a_scale", "a", "b", "s", "mu_q", "sigma_q", "mu_G", "sigma_G", "c0", "c1", "c2",
    "w_quad", "h", "x_r", "x_f", "v", "u", "c", "d_off", "y_target", "g_out",
    "p_G", "p_data", "D", "G", "phi_density", "h_fn",
]

# --- shared -------------------------------------------------------------------------------
i = sp.Symbol("i", integer=True, positive=True)   # sample index (Problems 1 and 3)
j = sp.Symbol("j", integer=True, positive=True)   # coordinate index of a latent/Gaussian vector
k = sp.Symbol("k", integer=True, positive=True)   # coordinate index of a data vector (Problem 3)
t = sp.Symbol("t", real=True)                     # argument of the logistic function
z = sp.Symbol("z", real=True)                     # a scalar variable of integration / noise draw
m = sp.Symbol("m", integer=True, positive=True)   # dimension of a Gaussian / the latent space
d = sp.Symbol("d", integer=True, positive=True)   # dimension of a data point x (features, pixels)
q, p = sp.Function("q"), sp.Function("p")         # two densities (KL(q || p); q the data in 4)
logistic = sp.Function("sigma")                   # sigma(t), the logistic function, as a name
LOGISTIC = sp.Lambda(t, 1 / (1 + sp.exp(-t)))     # its definition, sigma(t) = 1/(1 + e^{-t})

# --- Problem 2: Gaussians and their KL ----------------------------------------------------
mu = sp.Symbol("mu", real=True)                   # mean of a univariate Gaussian
sigma = sp.Symbol("sigma", positive=True)         # its standard deviation
z_i = sp.IndexedBase("z", real=True)              # coordinates z_j of z in R^m
mu_i = sp.IndexedBase("mu", real=True)            # means mu_j (also the encoder means of 3)
sigma_i = sp.IndexedBase("sigma", positive=True)  # standard deviations sigma_j
Z = sp.MatrixSymbol("z", m, 1)                    # z in R^m
MU = sp.MatrixSymbol("mu", m, 1)                  # its mean (the encoder mean mu_phi(x) in 3)
SIGMA = sp.MatrixSymbol("Sigma", m, m)            # its covariance
MU0, MU1 = sp.MatrixSymbol("mu_0", m, 1), sp.MatrixSymbol("mu_1", m, 1)          # means of q, p
SIGMA0, SIGMA1 = sp.MatrixSymbol("Sigma_0", m, m), sp.MatrixSymbol("Sigma_1", m, m)  # covariances
z_1, z_2 = sp.symbols("z_1 z_2", real=True)       # the two coordinates of Fact 2
q_1, q_2, p_1, p_2 = (sp.Function(f) for f in ("q_1", "q_2", "p_1", "p_2"))  # Fact 2's densities

# --- Problem 1: losses, minibatches, heavy ball -------------------------------------------
w_vec = sp.MatrixSymbol("w", d, 1)                # the weights
x_vec = sp.MatrixSymbol("x", d, 1)                # one data point (also the VAE's input in 3)
y = sp.Symbol("y", real=True)                     # its label
margin = sp.Symbol("m", real=True)                # the margin x^T w
lam = sp.Symbol("lam", positive=True)             # L2 regularisation strength lambda
n = sp.Symbol("n", integer=True, positive=True)   # number of samples
b_size = sp.Symbol("b", integer=True, positive=True)  # minibatch size b = n'
g = sp.IndexedBase("g", real=True)                # per-sample gradients g_i (one coordinate)
g_bar = sp.Symbol(r"\bar{g}", real=True)          # their mean
alpha = sp.Symbol("alpha", positive=True)         # step size
beta = sp.Symbol("beta", nonnegative=True)        # momentum
L = sp.Symbol("L", positive=True)                 # smoothness constant
mu_sc = sp.Symbol("mu", positive=True)            # strong-convexity constant
kappa = sp.Symbol("kappa", positive=True)         # condition number L/mu
w_next, w_t, w_prev = sp.symbols("w_{t+1} w_t w_{t-1}", real=True)  # iterates (one coordinate)
v_next, v_t, g_t = sp.symbols("v_{t+1} v_t g_t", real=True)        # velocities, gradient
alpha_star = sp.Symbol(r"\alpha^{\star}", positive=True)           # Polyak's optimal step
beta_star = sp.Symbol(r"\beta^{\star}", positive=True)             # Polyak's optimal momentum

# --- Problem 3: the VAE in the seed's Jacobian notation -----------------------------------
n_eps = sp.Symbol("n_eps", integer=True, positive=True)     # Monte Carlo samples
n_phi = sp.Symbol("n_phi", integer=True, positive=True)     # encoder parameters
n_theta = sp.Symbol("n_theta", integer=True, positive=True)  # decoder parameters
phi, theta = sp.Symbol("phi"), sp.Symbol("theta")           # encoder, decoder parameters (names)
x_i = sp.IndexedBase("x", real=True)              # pixels x_k
ell_i = sp.IndexedBase("ell", real=True)          # encoder log-scales ell_j = ln s_j
S = sp.MatrixSymbol("s", m, 1)                    # encoder scales s = e^ell
ONES = sp.MatrixSymbol(r"\mathbf{1}", m, 1)       # the vector of ones
G_MU = sp.MatrixSymbol(r"g_{\mu,\phi}", m, n_phi)            # d mu / d phi
G_S = sp.MatrixSymbol(r"g_{s,\phi}", m, n_phi)               # d ell / d phi
EPS = sp.MatrixSymbol(r"\epsilon_{i}", m, 1)                 # noise draw eps_i
Z_I = sp.MatrixSymbol(r"z_{i}", m, 1)                        # z_i = mu + s o eps_i
PI = sp.MatrixSymbol(r"\pi(z_{i})", d, 1)                    # decoder output at z_i
G_PIZ = sp.MatrixSymbol(r"g_{\pi,z}(z_{i})", d, m)           # d pi / d z at z_i
G_PITH = sp.MatrixSymbol(r"g_{\pi,\theta}(z_{i})", d, n_theta)  # d pi / d theta at z_i
G_AZ = sp.MatrixSymbol(r"g_{a,z}(z_{i})", d, m)              # d logits / d z at z_i
G_ATH = sp.MatrixSymbol(r"g_{a,\theta}(z_{i})", d, n_theta)  # d logits / d theta at z_i
R = sp.MatrixSymbol(r"r(z_{i})", d, 1)                       # d ln p(x|z_i) / d pi
DZ = sp.MatrixSymbol(r"\left(\frac{\partial z_{i}}{\partial \phi}\right)", m, n_phi)
GZ_LOGP = sp.MatrixSymbol(r"\nabla_{z} \ln p(x \mid z_{i})", m, 1)
GTH_LOGP = sp.MatrixSymbol(r"\nabla_{\theta} \ln p(x \mid z_{i})", n_theta, 1)
R_HAT = sp.Symbol(r"\hat{R}")                     # the reconstruction term (15), as a name
# a network layer y = f(h(w)): sizes and the vectors and Jacobians of its backpropagation rules
n_out = sp.Symbol("p", integer=True, positive=True)  # output size p
n_in = sp.Symbol("q", integer=True, positive=True)   # input size q
n_h = sp.Symbol("n_h", integer=True, positive=True)  # hidden units
n_w = sp.Symbol("n_w", integer=True, positive=True)  # parameters
V_P = sp.MatrixSymbol("v", n_out, 1)              # the vector of a Jacobian-transpose product
Y_W = sp.MatrixSymbol("y", n_out, 1)              # the layer's output
W_VEC = sp.MatrixSymbol("w", n_w, 1)              # its parameters
G_YW = sp.MatrixSymbol(r"g_{y,w}", n_out, n_w)
G_YH = sp.MatrixSymbol(r"g_{y,h}", n_out, n_in)
G_HW = sp.MatrixSymbol(r"g_{h,w}", n_in, n_w)
W_D, H_Q, B_P = sp.MatrixSymbol("W", n_out, n_in), sp.MatrixSymbol("h", n_in, 1), sp.MatrixSymbol("b", n_out, 1)
U_P, H_P = sp.MatrixSymbol("u", n_out, 1), sp.MatrixSymbol("h", n_out, 1)   # tanh layer h = tanh(u)
X_Q = sp.MatrixSymbol("x", n_in, 1)               # the MLP's input
W1, B1 = sp.MatrixSymbol("W_1", n_h, n_in), sp.MatrixSymbol("b_1", n_h, 1)
W2, B2 = sp.MatrixSymbol("W_2", n_out, n_h), sp.MatrixSymbol("b_2", n_out, 1)
H_H = sp.MatrixSymbol("h", n_h, 1)                # the MLP's hidden layer
DELTA = sp.MatrixSymbol(r"\delta", n_h, 1)        # its backpropagated error

# --- Problem 4: GANs ----------------------------------------------------------------------
x = sp.Symbol("x", real=True)                     # a sample (scalar data)
y_D = sp.Symbol("y", positive=True)               # a value D(x) in (0, 1)
a_scale = sp.Symbol("a", positive=True)           # generator scale in the change of variables
a = sp.Symbol("a", real=True)                     # affine generator a z + b: scale parameter
b = sp.Symbol("b", real=True)                     # its offset
s = sp.Symbol("tau", real=True)                   # log-scale of the generator e^tau z + b (shown as tau)
mu_q, mu_G = sp.symbols("mu_q mu_G", real=True)   # means of q and p_G
sigma_q, sigma_G = sp.symbols("sigma_q sigma_G", positive=True)  # their standard deviations
c0, c1, c2 = sp.symbols("c_0 c_1 c_2", real=True)  # coefficients of ln q/p_G
w_quad = sp.symbols("w_0 w_1 w_2", real=True)     # quadratic logit w0 + w1 x + w2 x^2
h = sp.Symbol("h", real=True)                     # a logit value
x_r, x_f = sp.symbols("x_r x_f", real=True)       # a real and a fake sample
v, u, c = sp.symbols("v u c", real=True)          # tanh unit v tanh(u x + c) + d: weights, bias
d_off = sp.Symbol("d", real=True)                 # ... and its output offset d
y_target = sp.Symbol("y", real=True)              # a regression target Gen_1(z)
g_out = sp.Symbol("g", real=True)                 # the regressed output Gen_2(z)
p_G, D, G = sp.Function("p_G"), sp.Function("D"), sp.Function("G")  # generator density, D, G
p_data = sp.Function("p_data")                   # the data law (the assignment's q; q is Problem 2's density)
phi_density = sp.Function("phi")                  # the standard normal density of the noise
h_fn = sp.Function("h")                           # the discriminator's logit as a function

LATEX_NAMES = MappingProxyType({
    "n_eps": r"n_{\epsilon}",
    "eps": r"\epsilon",
    "ell": r"\ell",
    "kappa": r"\kappa",
    "lam": r"\lambda",
    "p_G": r"p_{G}",
})
NOTATION = Notation(symbol_names=LATEX_NAMES)

# The writeup's notation (and ``python -m derive``'s): one meaning per printed symbol in the whole
# document. Symbols that share a code name with another of a different meaning print under a
# name of their own, keyed by the symbol itself (name and assumptions), so that nothing the
# checker reads or prints (:data:`NOTATION`, which ``check`` uses) changes.
DOCUMENT_NAMES = MappingProxyType({
    margin: "u",          # the margin x^T w (the latent size is m)
    mu_sc: "c",           # the strong-convexity constant (Bottou, Curtis and Nocedal's c; mu is a mean)
    b_size: r"n^{\prime}",  # the batch size: the assignment's n'
    t: r"\xi",            # the logistic function's argument (t counts steps)
    y_D: r"\eta",         # a value D(x) in (0, 1) (y is a label)
    mu_q: r"\mu_{\mathrm{data}}",        # the data law's mean (q is Problem 2's density; the data law is p_data)
    sigma_q: r"\sigma_{\mathrm{data}}",  # ... and its standard deviation
    n_out: r"n_{\mathrm{out}}",  # a layer's output size (p is a density)
    n_in: r"n_{\mathrm{in}}",    # its input size (q is a density)
})
DOCUMENT_MACROS = r"\providecommand{\sigmoid}{\operatorname{sigmoid}}" + "\n"
DOCUMENT = Notation(symbol_names=MappingProxyType({**LATEX_NAMES, **DOCUMENT_NAMES}),
                    function_names={"sigma": r"\sigmoid",    # the logistic function (sigma is a standard deviation)
                                    "p_data": r"p_{\mathrm{data}}"},  # Problem 4's data law (q is Problem 2's density)
                    transpose=r"\top", preamble=DOCUMENT_MACROS)
