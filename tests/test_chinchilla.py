"""Hoffmann et al.'s law: the closed-form optimum against sympy and a numerical minimiser, and
the paper's numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar

from chinchilla_lib import registry, symbolic
from chinchilla_lib.fitting.power import fit_power_law
from chinchilla_lib.fitting.projections import fit_projection_rows
from chinchilla_lib.laws.chinchilla import ChinchillaLaw

DERIVATION = symbolic.chinchilla_derivation()
S = DERIVATION.symbols

laws = st.builds(ChinchillaLaw, e=st.floats(0.0, 3.0), a=st.floats(1.0, 5e3),
                 b=st.floats(1.0, 5e3), alpha=st.floats(0.05, 1.0), beta=st.floats(0.05, 1.0))
budgets = st.floats(1e15, 1e28)


@settings(max_examples=200)
@given(laws, budgets)
def test_closed_form_matches_numerical_minimiser(law, flops):
    # E is a constant: minimise the log of the reducible loss, which keeps its precision.
    def log_reducible(log_n):
        n = math.exp(log_n)
        return math.log(law.a * n**-law.alpha + law.b * (flops / (6 * n)) ** -law.beta)

    optimum = law.compute_optimal(flops)
    centre = math.log(optimum.n_params)
    numeric = minimize_scalar(log_reducible, bounds=(centre - 20, centre + 20),
                              method="bounded", options={"xatol": 1e-10})
    assert log_reducible(centre) <= numeric.fun + 1e-9
    assert centre == pytest.approx(numeric.x, abs=1e-4)


@settings(max_examples=50)
@given(laws, budgets)
def test_closed_form_matches_sympy(law, flops):
    values = {S["E"]: law.e, S["A"]: law.a, S["B"]: law.b, S["alpha"]: law.alpha,
              S["beta"]: law.beta, S["C"]: flops}
    optimum = law.compute_optimal(flops)
    assert float(DERIVATION.n_opt.subs(values)) == pytest.approx(optimum.n_params, rel=1e-9)
    assert float(DERIVATION.d_opt.subs(values)) == pytest.approx(optimum.n_tokens, rel=1e-9)
    assert float(DERIVATION.loss_opt.subs(values)) == pytest.approx(optimum.loss, rel=1e-9)


@settings(max_examples=30)
@given(laws, budgets)
def test_symbolic_forms_are_the_papers_eq_4(law, flops):
    g, a, b = DERIVATION.g, DERIVATION.a, DERIVATION.b
    values = {S["A"]: law.a, S["B"]: law.b, S["alpha"]: law.alpha, S["beta"]: law.beta,
              S["C"]: flops}
    n_paper = float((g * (S["C"] / 6) ** a).subs(values))
    d_paper = float(((S["C"] / 6) ** b / g).subs(values))
    assert float(DERIVATION.n_opt.subs(values)) == pytest.approx(n_paper, rel=1e-9)
    assert float(DERIVATION.d_opt.subs(values)) == pytest.approx(d_paper, rel=1e-9)
    assert sp.simplify(a + b - 1) == 0


def test_stationarity_is_derived_from_the_lagrangian():
    # The balance condition alpha A N^-alpha = beta B D^-beta, not a tautology.
    n, d, lam = S["N"], S["D"], S["lambda"]
    condition = DERIVATION.stationarity
    expected = S["alpha"] * S["A"] * n ** -S["alpha"] - S["beta"] * S["B"] * d ** -S["beta"]
    assert sp.simplify(condition.lhs - condition.rhs - expected) == 0
    assert sp.simplify(condition.lhs - condition.rhs) != 0
    d_n, d_d = (eq.lhs for eq in DERIVATION.partials)
    assert sp.simplify(d_n - sp.diff(DERIVATION.lagrangian, n)) == 0
    # Both first-order conditions hold at lambda = alpha A N^-alpha / (6 N D) iff it does.
    lam_star = S["alpha"] * S["A"] * n ** -S["alpha"] / (6 * n * d)
    assert sp.simplify(d_n.subs(lam, lam_star)) == 0
    assert sp.simplify((d_d.subs(lam, lam_star) * d) - expected) == 0


@settings(max_examples=30)
@given(laws, budgets)
def test_stationarity_holds_at_the_optimum(law, flops):
    optimum = law.compute_optimal(flops)
    model_side = law.alpha * law.a * optimum.n_params ** -law.alpha
    data_side = law.beta * law.b * optimum.n_tokens ** -law.beta
    assert model_side == pytest.approx(data_side, rel=1e-9)


def test_relation_displays_both_sides_and_refuses_expressions():
    shown = symbolic.relation(DERIVATION.stationarity)
    assert "=" in shown.data and r"\alpha" in shown.data
    with pytest.raises(ValueError, match="eq must be a sympy Eq"):
        symbolic.relation(DERIVATION.loss)


def test_paper_numbers_from_the_rounded_fit():
    law = ChinchillaLaw.from_registry("hoffmann2022/approach3")
    assert law.optimal_params_exponent == pytest.approx(0.452, abs=5e-4)  # not Table 2's 0.46
    assert law.loss_exponent == pytest.approx(0.154, abs=5e-4)
    assert law.optimal_loss_coefficient() == pytest.approx(1070, rel=0.01)
    # N_opt = G (C/6)^a = k C^a with k about 0.6; D_opt with k about 0.3
    assert law.compute_optimal(1.0).n_params == pytest.approx(0.6, rel=0.01)
    assert law.compute_optimal(1.0).n_tokens == pytest.approx(0.28, rel=0.03)


def test_unrounded_fit_gives_table2_and_40b_for_gopher():
    law = ChinchillaLaw.from_registry("hoffmann2022/approach3 unrounded")
    table2 = {(i.method, i.parameter): i for i in registry.HOFFMANN_TABLE2}
    assert round(law.optimal_params_exponent, 2) == table2[("Approach 3", "a")].estimate
    gopher = registry.constant("gopher_training_flops").value
    figure4 = registry.constant("hoffmann_approach3_gopher_params").value  # "40B"
    assert law.compute_optimal(gopher).n_params == pytest.approx(figure4, rel=0.02)


def test_direct_fit_to_table3_gives_about_0_1_and_1_7():
    rows = [p for p in registry.HOFFMANN_PROJECTIONS if p.approach == "1"]
    c = np.array([p.flops for p in rows])
    n_fit = fit_power_law(c, [p.n_params for p in rows]).law
    d_fit = fit_power_law(c, [p.n_tokens for p in rows]).law
    assert n_fit.exponent == pytest.approx(0.5, abs=0.01)
    assert d_fit.exponent == pytest.approx(0.5, abs=0.01)
    assert n_fit.coefficient == pytest.approx(0.1, rel=0.2)
    assert d_fit.coefficient == pytest.approx(1.7, rel=0.2)


def test_projection_rows_fit():
    # Approach 1 is the direct fit above; Approach 3's rows (typo dropped) imply a = 0.459,
    # steeper than the unrounded fit's 0.4565 (Section 3.4's Table 2 prints 0.46).
    assert fit_projection_rows("1").exponent == pytest.approx(0.498, abs=5e-4)
    assert fit_projection_rows("3").exponent == pytest.approx(0.4586, abs=5e-4)
    kept_all = fit_projection_rows("3", max_flops_mismatch=20.0)  # with the 175B typo
    assert kept_all.coefficient != pytest.approx(fit_projection_rows("3").coefficient,
                                                 rel=1e-3)
    with pytest.raises(ValueError, match="approach"):
        fit_projection_rows("4")
    with pytest.raises(ValueError, match="max_flops_mismatch"):
        fit_projection_rows("1", max_flops_mismatch=1.0)


def test_besiroglu_implies_about_20_tokens_per_parameter():
    law = ChinchillaLaw.from_registry("besiroglu2024/refit")
    ratio = law.tokens_per_parameter(np.geomspace(1e21, 1e25, 5))
    assert np.all((ratio > 15) & (ratio < 25))


def test_bad_input():
    with pytest.raises(ValueError, match="alpha"):
        ChinchillaLaw(1.0, 1.0, 1.0, 0.0, 0.3)
    with pytest.raises(ValueError, match="e must be finite and >= 0"):
        ChinchillaLaw(-1.0, 1.0, 1.0, 0.3, 0.3)
    law = ChinchillaLaw.from_registry("hoffmann2022/approach3")
    with pytest.raises(ValueError, match="flops"):
        law.compute_optimal(-5.0)
    with pytest.raises(ValueError, match="n_tokens"):
        law.loss(1e9, math.nan)
    with pytest.raises(ValueError, match=r"name must be one of .*besiroglu2024/refit"):
        ChinchillaLaw.from_registry("kaplan2020/L(N)")


@given(laws, st.floats(1e6, 1e14))
def test_flops_for_optimal_params_inverts_the_optimum(law, n):
    # With a small a = beta / (alpha + beta) the budget grows as N^(1/a) and can overflow.
    assume(math.log10(6.0) + math.log10(n / law.g) / law.optimal_params_exponent < 300)
    flops = law.flops_for_optimal_params(n)
    assert law.compute_optimal(flops).n_params == pytest.approx(n, rel=1e-9)


def test_flops_for_optimal_params_refuses_overflow():
    law = ChinchillaLaw(0.0, 1.0, 2832.0, 1.0, 0.05)
    with pytest.raises(ValueError, match="n_params is too large"):
        law.flops_for_optimal_params(1e14)
