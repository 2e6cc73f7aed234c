"""Training for inference: limits, the stationarity condition, and input checks."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chinchilla_lib import symbolic
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.laws.inference import inference_optimal, tokens_for_loss

LAWS = [ChinchillaLaw.from_registry(name) for name in
        ("hoffmann2022/approach3", "hoffmann2022/approach3 unrounded", "besiroglu2024/refit")]
DERIVATION = symbolic.inference_optimum_condition()
S = DERIVATION.symbols


@pytest.mark.parametrize("law", LAWS, ids=lambda law: law.name)
@pytest.mark.parametrize("flops", [1e20, 5.76e23, 1e26])
def test_zero_demand_gives_the_compute_optimal_model(law, flops):
    optimum = law.compute_optimal(flops)
    result = inference_optimal(law, optimum.loss, 0.0)
    assert result.n_params == pytest.approx(optimum.n_params, rel=1e-5)
    assert result.training_flops == pytest.approx(flops, rel=1e-8)


@settings(max_examples=40)
@given(st.sampled_from(LAWS), st.floats(1e20, 1e25), st.floats(1e9, 1e14))
def test_demand_shrinks_the_model_and_the_condition_holds(law, flops, served):
    loss = law.compute_optimal(flops).loss
    base = inference_optimal(law, loss, 0.0)
    result = inference_optimal(law, loss, served)
    assert result.n_params <= base.n_params * (1 + 1e-6)
    assert result.tokens_per_parameter >= base.tokens_per_parameter * (1 - 1e-6)
    assert result.total_flops <= base.training_flops + 2 * base.n_params * served + 1e-6
    assert law.loss(result.n_params, result.n_tokens) == pytest.approx(loss, rel=1e-9)
    values = {S["N"]: result.n_params, S["ell"]: loss, S["I"]: served, S["E"]: law.e,
              S["A"]: law.a, S["B"]: law.b, S["alpha"]: law.alpha, S["beta"]: law.beta}
    slope = float(DERIVATION.condition.subs(values))
    # d cost / d N is zero at the optimum (relative to the cost per parameter).
    assert abs(slope) <= 1e-4 * result.total_flops / result.n_params


def test_tokens_for_loss():
    law = LAWS[0]
    assert law.loss(1e9, tokens_for_loss(law, 1e9, 2.5)) == pytest.approx(2.5)
    assert math.isinf(tokens_for_loss(law, 1e3, 1.7))


def test_bad_input():
    law = LAWS[0]
    with pytest.raises(ValueError, match="irreducible"):
        inference_optimal(law, 1.5, 1e12)
    with pytest.raises(ValueError, match="inference_tokens"):
        inference_optimal(law, 2.5, -1.0)
    with pytest.raises(ValueError, match="loss"):
        inference_optimal(law, math.nan, 1.0)


def test_saving_over_compute_optimal_matches_the_parts():
    from chinchilla_lib.laws.inference import saving_over_compute_optimal

    law = ChinchillaLaw.from_registry("sardana2024/constants")
    both = saving_over_compute_optimal(law, 4.5e22, 2e12)
    assert both.baseline.loss == pytest.approx(law.compute_optimal(4.5e22).loss)
    assert both.cheaper.loss == pytest.approx(both.baseline.loss)
    total = both.baseline.flops + 2 * both.baseline.n_params * 2e12
    assert both.saving_flops == pytest.approx(total - both.cheaper.total_flops)
    assert 0 < both.saving_fraction < 1
    assert saving_over_compute_optimal(law, 4.5e22, 0.0).saving_fraction == pytest.approx(
        0.0, abs=1e-6)
    with pytest.raises(ValueError, match="flops"):
        saving_over_compute_optimal(law, -1.0, 2e12)
    with pytest.raises(ValueError, match="inference_tokens"):
        saving_over_compute_optimal(law, 4.5e22, -1.0)
