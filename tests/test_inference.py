"""Training for inference: limits, the stationarity condition, and input checks."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chinchilla_lib import symbolic
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.laws.inference import (
    inference_optimal,
    lifetime_flops,
    saving_over_compute_optimal,
)
from chinchilla_lib.quantities import inference_flops, training_flops

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


def _tokens_for_loss_scalar(law, n_params, loss):
    """The scalar inversion the vectorised method replaced, root-found instead of solved:
    the D at which L(N, D) = loss, infinite when no D reaches it."""
    from scipy.optimize import brentq

    if law.e + law.a * n_params**-law.alpha >= loss:
        return math.inf
    log_d = brentq(lambda x: law.loss(n_params, math.exp(x)) - loss, 0.0, 200.0, xtol=1e-13)
    return math.exp(log_d)


@pytest.mark.parametrize("law", LAWS, ids=lambda law: law.name)
def test_tokens_for_loss_matches_the_scalar_inversion_point_by_point(law):
    loss = law.compute_optimal(5.76e23).loss
    sizes = np.geomspace(1e8, 1e12, 41)
    reachable = np.asarray(law.loss_infinite_data(sizes)) < loss
    assert 0 < reachable.sum() < sizes.size  # the grid crosses the smallest model
    scalar = np.array([_tokens_for_loss_scalar(law, n, loss) for n in sizes])
    np.testing.assert_array_equal(np.isfinite(scalar), reachable)
    vector = law.tokens_for_loss(loss, sizes[reachable])
    np.testing.assert_allclose(vector, scalar[reachable], rtol=1e-9)
    for n, d in zip(sizes[reachable], vector, strict=True):
        assert law.tokens_for_loss(loss, n) == pytest.approx(d, rel=1e-14)  # scalar in


@settings(max_examples=60)
@given(st.sampled_from(LAWS), st.floats(1e7, 1e13), st.floats(1e8, 1e14))
def test_tokens_for_loss_inverts_the_loss_and_pairs_with_params_for_loss(law, n, d):
    loss = law.loss(n, d)
    assert law.tokens_for_loss(loss, n) == pytest.approx(d, rel=1e-6)
    assert law.params_for_loss(loss, law.tokens_for_loss(loss, n)) == pytest.approx(n, rel=1e-6)


def test_tokens_for_loss_refuses_a_loss_the_model_never_reaches():
    law = LAWS[0]
    with pytest.raises(ValueError, match="loss must exceed E \\+ A / N\\^alpha"):
        law.tokens_for_loss(1.7, 1e3)
    with pytest.raises(ValueError, match="loss"):
        law.tokens_for_loss([2.5, 1.7], 1e3)
    with pytest.raises(ValueError, match="n_params"):
        law.tokens_for_loss(2.5, -1.0)
    with pytest.raises(ValueError, match="broadcast"):
        law.tokens_for_loss([2.5, 2.6], [1e9, 1e10, 1e11])


def test_lifetime_flops_is_training_plus_inference():
    n, d = np.array([1e9, 7e10]), np.array([2e10, 1.4e12])
    np.testing.assert_allclose(lifetime_flops(n, d, 1e12),
                               training_flops(n, d) + inference_flops(n, 1e12), rtol=1e-15)
    assert lifetime_flops(1e9, 2e10, 0.0) == training_flops(1e9, 2e10)
    with pytest.raises(ValueError, match="inference_tokens"):
        lifetime_flops(1e9, 2e10, -1.0)


@pytest.mark.parametrize("law", LAWS, ids=lambda law: law.name)
def test_the_saving_adds_up(law):
    both = saving_over_compute_optimal(law, 5.76e23, 1e13)
    assert both.baseline_total == pytest.approx(
        lifetime_flops(both.baseline.n_params, both.baseline.n_tokens, 1e13), rel=1e-9)
    assert both.cheaper.total_flops == pytest.approx(
        lifetime_flops(both.cheaper.n_params, both.cheaper.n_tokens, 1e13), rel=1e-12)
    assert 0 < both.saving_fraction < 1
    assert both.saving_fraction == pytest.approx(1 - both.cheaper.total_flops / both.baseline_total)


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
