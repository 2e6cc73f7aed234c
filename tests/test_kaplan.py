"""Kaplan et al.'s joint law: the closed forms against sympy and a numerical minimiser."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq, minimize_scalar

from chinchilla_lib import registry, symbolic
from chinchilla_lib.laws.kaplan import (
    KaplanLaw,
    KaplanLearningCurves,
    kaplan_min_compute,
    kaplan_optimal_params,
)
from chinchilla_lib.laws.power import PowerLaw

DERIVATION = symbolic.kaplan_derivation()
S = DERIVATION.symbols

laws = st.builds(KaplanLaw, alpha_n=st.floats(0.03, 0.6), alpha_d=st.floats(0.03, 0.6),
                 n_c=st.floats(1e8, 1e15), d_c=st.floats(1e8, 1e15))
budgets = st.floats(1e15, 1e27)


def _numerical_optimum(law: KaplanLaw, flops: float) -> float:
    def loss_of_log_n(log_n: float) -> float:
        n = math.exp(log_n)
        return math.log(law.loss(n, flops / (6 * n)))

    centre = math.log(law.compute_optimal(flops).n_params)
    result = minimize_scalar(loss_of_log_n, bounds=(centre - 15, centre + 15), method="bounded",
                             options={"xatol": 1e-10})
    return math.exp(result.x)


@settings(max_examples=150)
@given(laws, budgets)
def test_closed_form_matches_numerical_minimiser(law, flops):
    optimum = law.compute_optimal(flops)
    assert optimum.n_params == pytest.approx(_numerical_optimum(law, flops), rel=1e-4)
    assert 6 * optimum.n_params * optimum.n_tokens == pytest.approx(flops)


@settings(max_examples=50)
@given(laws, budgets)
def test_closed_form_matches_sympy(law, flops):
    values = {S["alpha_N"]: law.alpha_n, S["alpha_D"]: law.alpha_d, S["N_c"]: law.n_c,
              S["D_c"]: law.d_c, S["C"]: flops}
    assert float(DERIVATION.n_opt.subs(values)) == pytest.approx(
        law.compute_optimal(flops).n_params, rel=1e-9)
    assert float(DERIVATION.n_opt_exponent.subs(values)) == pytest.approx(
        law.optimal_params_exponent)


@given(laws, st.floats(1e6, 1e13), st.floats(0.001, 0.5))
def test_overfitting_boundary_is_exact(law, n, tolerance):
    d = law.overfitting_min_tokens(n, tolerance)
    assert law.loss(n, d) / law.loss_infinite_data(n) == pytest.approx(1 + tolerance, rel=1e-9)
    values = {S["alpha_N"]: law.alpha_n, S["alpha_D"]: law.alpha_d, S["N_c"]: law.n_c,
              S["D_c"]: law.d_c, S["N"]: n, S["delta"]: tolerance}
    assert float(DERIVATION.d_min_overfit.subs(values)) == pytest.approx(d, rel=1e-8)


def test_published_law_numbers():
    law = KaplanLaw.from_registry("kaplan2020/L(N,D)")
    # alpha_D / (alpha_N + alpha_D) = 0.103 / 0.179
    assert law.optimal_params_exponent == pytest.approx(0.103 / 0.179)
    # Eq. 4.4 rounds the exact 2% boundary, about 5.5e3 N^0.738, to 5e3 N^0.74.
    n = np.geomspace(1e6, 1e11, 6)
    ratio = law.overfitting_min_tokens(n) / (5e3 * n**0.74)
    assert np.all((ratio > 0.9) & (ratio < 1.3))
    # Limits of the joint law.
    assert law.loss(1e9, 1e30) == pytest.approx(law.loss_infinite_data(1e9), rel=1e-6)
    assert law.loss(1e30, 1e9) == pytest.approx(law.loss_infinite_model(1e9), rel=1e-6)


def test_single_variable_laws():
    assert PowerLaw.from_registry("kaplan2020/L(N)")(8.8e13) == pytest.approx(1.0)
    n_opt = PowerLaw.from_registry("kaplan2020/N_opt(C_min)")
    assert n_opt(1.0) == pytest.approx(registry.fit("kaplan2020/N_opt(C_min)").params["N_e"])
    assert n_opt.exponent == pytest.approx(0.73)
    with pytest.raises(ValueError, match="name must be one of"):
        PowerLaw.from_registry("kaplan2020/L(Q)")


@pytest.mark.parametrize("bad", [0.0, -1.0, math.nan])
def test_bad_input(bad):
    with pytest.raises(ValueError, match="alpha_n"):
        KaplanLaw(bad, 0.1, 1e13, 1e13)
    law = KaplanLaw.from_registry("kaplan2020/L(N,D)")
    with pytest.raises(ValueError, match="flops"):
        law.compute_optimal(bad)
    with pytest.raises(ValueError, match="n_params"):
        law.loss(bad, 1e9)
    with pytest.raises(ValueError, match="tolerance"):
        law.overfitting_min_tokens(1e9, tolerance=bad)


# The loss penalty at the optimum of L(N, D) on C = 6ND, and Kaplan et al.'s own route to
# N ~ C^0.73 through L(N, S_min) and B_crit(L).

PENALTY_SYMBOLS, PENALTY = symbolic.kaplan_joint_optimum_penalty()
CURVES = symbolic.kaplan_learning_curve_derivation()


@settings(max_examples=60)
@given(laws, budgets)
def test_loss_penalty_at_optimum_is_constant_and_matches_sympy(law, flops):
    optimum = law.compute_optimal(flops)
    measured = optimum.loss / law.loss_infinite_data(optimum.n_params) - 1
    assert measured == pytest.approx(law.loss_penalty_at_optimum, rel=1e-8)
    values = {PENALTY_SYMBOLS["alpha_N"]: law.alpha_n, PENALTY_SYMBOLS["alpha_D"]: law.alpha_d}
    assert float(PENALTY.subs(values)) == pytest.approx(law.loss_penalty_at_optimum, rel=1e-12)


def test_published_penalty_is_about_six_per_cent():
    law = KaplanLaw.from_registry("kaplan2020/L(N,D)")
    assert law.loss_penalty_at_optimum == pytest.approx(0.0586, abs=5e-4)


curves_laws = st.builds(
    KaplanLearningCurves, alpha_n=st.floats(0.03, 0.3), alpha_s=st.floats(0.3, 1.5),
    alpha_b=st.floats(0.1, 0.5), n_c=st.floats(1e10, 1e15), s_c=st.floats(1e2, 1e4),
    b_star=st.floats(1e6, 1e9))


def _loss_at_budget(law: KaplanLearningCurves, n: float, c_min: float) -> float:
    """Solve L = L(N, S) with S = C_min / (6 N B_crit(L)) for L (monotone in L)."""
    def gap(log_l: float) -> float:
        loss = math.exp(log_l)
        steps = c_min / (6 * n * law.critical_batch(loss))
        return loss - law.loss(n, steps)

    floor = (law.n_c / n) ** law.alpha_n
    return math.exp(brentq(gap, math.log(floor) + 1e-12, math.log(floor) + 50, xtol=1e-14))


@settings(max_examples=40, deadline=None)
@given(curves_laws, st.floats(1e17, 1e25))
def test_learning_curve_optimum_matches_numerical_minimiser(law, c_min):
    n_opt = law.optimal_params(c_min)
    centre = math.log(n_opt)
    result = minimize_scalar(lambda log_n: math.log(_loss_at_budget(law, math.exp(log_n), c_min)),
                             bounds=(centre - 6, centre + 6), method="bounded",
                             options={"xatol": 1e-9})
    assert math.exp(result.x) == pytest.approx(n_opt, rel=1e-3)
    c, loss, _, _ = law.frontier(n_opt)
    assert c == pytest.approx(c_min, rel=1e-9)
    assert loss == pytest.approx(_loss_at_budget(law, n_opt, c_min), rel=1e-9)
    assert loss / (law.n_c / n_opt) ** law.alpha_n == pytest.approx(1 + law.converged_excess)


@settings(max_examples=30)
@given(curves_laws)
def test_learning_curve_exponents_match_sympy(law):
    s = CURVES.symbols
    values = {s["alpha_N"]: law.alpha_n, s["alpha_S"]: law.alpha_s, s["alpha_B"]: law.alpha_b}
    assert float(CURVES.alpha_c_min.subs(values)) == pytest.approx(law.alpha_c_min)
    assert float(CURVES.n_opt_exponent.subs(values)) == pytest.approx(
        law.optimal_params_exponent)
    n1, n2 = 1e8, 1e10
    c1, c2 = law.frontier(n1)[0], law.frontier(n2)[0]
    assert math.log(n2 / n1) / math.log(c2 / c1) == pytest.approx(law.optimal_params_exponent)


def test_published_learning_curves():
    law = KaplanLearningCurves.from_registry("kaplan2020/L(N,S_min)")
    assert law.alpha_c_min == pytest.approx(0.0525, abs=5e-4)        # Eq. B.7 prints 0.052
    assert law.optimal_params_exponent == pytest.approx(0.681, abs=1e-3)
    assert law.converged_excess == pytest.approx(0.101, abs=1e-3)     # Eq. B.5: ~ 10%
    assert law.bcrit_doubling_loss_drop == pytest.approx(0.135, abs=1e-3)
    assert law.critical_batch(2.0) == pytest.approx(2.1e8 / 2.0 ** (1 / 0.21))


def test_batch_trade_off_and_min_compute():
    law = KaplanLearningCurves.from_registry("kaplan2020/L(N,S_min)")
    assert KaplanLearningCurves.examples_excess(2.0) == pytest.approx(2.0)
    assert KaplanLearningCurves.examples_excess(np.array([1.5, 3.0])) == pytest.approx([3.0, 1.5])
    b_crit = law.critical_batch(3.0)
    assert law.min_compute(1e20, b_crit, 3.0) == pytest.approx(0.5e20)
    with pytest.raises(ValueError, match="steps_excess"):
        KaplanLearningCurves.examples_excess(1.0)
    with pytest.raises(ValueError, match="loss"):
        law.critical_batch(-1.0)
    with pytest.raises(ValueError, match="alpha_s"):
        KaplanLearningCurves(0.07, -0.7, 0.2, 1e13, 1e3, 1e8)


def test_min_compute_convention_reproduces_hoffmann_reading():
    # Hoffmann et al. App. D.4: 4.68B at 1e21 FLOPs, i.e. C = 2 C_min.
    assert kaplan_optimal_params(1e21) == pytest.approx(
        registry.constant("hoffmann_kaplan_params_at_1e21").value, rel=0.005)
    assert kaplan_min_compute(1e21) == pytest.approx(5e20)
    whole = kaplan_optimal_params(1e21, ratio=1.0)
    assert whole / kaplan_optimal_params(1e21) == pytest.approx(2 ** 0.73)
    with pytest.raises(ValueError, match="ratio"):
        kaplan_min_compute(1e21, ratio=0.5)
    with pytest.raises(ValueError, match="flops"):
        kaplan_min_compute(-1.0)
