"""The multivariate normal machinery of the checker (check.mvn): Gaussian integrals over
several variables by Isserlis' theorem, and the covariance instances."""
import sympy as sp

from check.mvn import N_SPD, gaussian_integral, spd_instances

x, y, t = sp.symbols("x y t", real=True)


def test_gaussian_integral_of_a_correlated_quadratic():
    """int int x y N((x, y); 0, S) = S_12, against SymPy's own double integral."""
    S = sp.Matrix([[2, 1], [1, 3]])
    v = sp.Matrix([x, y])
    dens = sp.exp(-(v.T * S.inv() * v)[0, 0] / 2) / (2 * sp.pi * sp.sqrt(S.det()))
    assert sp.simplify(gaussian_integral(x * y * dens, [x, y]) - 1) == 0
    assert sp.simplify(gaussian_integral(x ** 2 * y ** 2 * dens, [x, y]) - (2 * 3 + 2 * 1)) == 0  # Isserlis
    direct = sp.integrate(x ** 2 * sp.exp(-x ** 2 - y ** 2 + x * y), (x, -sp.oo, sp.oo), (y, -sp.oo, sp.oo))
    assert sp.simplify(gaussian_integral(x ** 2 * sp.exp(-x ** 2 - y ** 2 + x * y), [x, y]) - direct) == 0


def test_gaussian_integral_over_some_variables_keeps_the_others():
    """int exp(-(x - t)^2 / 2) dx = sqrt(2 pi) for every t; a divergent integrand is not taken."""
    assert sp.simplify(gaussian_integral(sp.exp(-(x - t) ** 2 / 2), [x]) - sp.sqrt(2 * sp.pi)) == 0
    assert gaussian_integral(sp.exp(x ** 2), [x]) is sp.nan                 # diverges: undefined
    assert gaussian_integral(sp.exp(-x ** 2), [x, y]) is sp.nan             # constant along y
    assert gaussian_integral(sp.cos(x) * sp.exp(-x ** 2), [x]) is None


def test_covariance_instances_are_symmetric_positive_definite():
    S = sp.MatrixSymbol("Sigma", sp.Symbol("m", integer=True, positive=True), sp.Symbol("m", integer=True, positive=True))
    m = S.shape[0]
    for k in (1, 2, 4):
        insts = spd_instances({S}, {m: k})
        assert len(insts) == N_SPD and insts[0][S] == sp.eye(k)
        for inst in insts:
            M = inst[S]
            assert M == M.T and M.is_positive_definite
