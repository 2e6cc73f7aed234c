"""Muennighoff et al.'s data-constrained law and Sardana et al.'s worked example."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from chinchilla_lib import registry
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.laws.data_constrained import (
    DataConstrainedLaw,
    effective_data,
    effective_params,
)
from chinchilla_lib.laws.inference import inference_optimal

LAW = DataConstrainedLaw.from_registry("muennighoff2023/base")


def test_the_authors_readme_checks():
    # datablations README: scaling_law(6.34e9, 242e9, 25e9) = 2.2256, (8.67e9, 178e9, 25e9) = 2.2270
    assert round(LAW.loss(6.34e9, 242e9, 25e9), 4) == 2.2256
    assert round(LAW.loss(8.67e9, 178e9, 25e9), 4) == 2.2270


def test_base_fit_at_gophers_budget():
    optimum = LAW.base.compute_optimal(registry.constant("gopher_training_flops").value)
    assert optimum.n_params == pytest.approx(70.0e9, rel=0.005)
    assert optimum.n_tokens == pytest.approx(1.37e12, rel=0.005)


@given(st.floats(1e8, 1e13), st.floats(1e8, 1e13))
def test_effective_data_limits(d, u):
    value = effective_data(d, u)
    if d <= u:
        assert value == pytest.approx(d)
    else:
        r_star = registry.constant("muennighoff_r_star_data").value
        assert u <= value <= d * (1 + 1e-12)
        assert value <= u * (1 + r_star) * (1 + 1e-12)


def test_four_epochs_are_almost_as_good_as_new_data():
    u = 100e9
    assert effective_data(4 * u, u) / (4 * u) > 0.9
    assert effective_data(40 * u, u) / (40 * u) < 0.5


def test_unlimited_unique_data_gives_the_unconstrained_optimum():
    flops = 1e22
    free = LAW.base.compute_optimal(flops)
    capped = LAW.compute_optimal(flops, unique_tokens=1e16)
    assert capped.n_params == pytest.approx(free.n_params, rel=1e-4)
    assert capped.loss == pytest.approx(free.loss, rel=1e-9)
    scarce = LAW.compute_optimal(flops, unique_tokens=25e9)
    assert scarce.loss > free.loss


def test_effective_params_need_unique_data():
    assert effective_params(1e9, 1e12) == pytest.approx(1e9)
    assert effective_params(1e10, 1e9) < 1e10


def test_sardana_worked_example_reproduced():
    law = ChinchillaLaw.from_registry("sardana2024/constants")
    size = registry.constant("sardana_example_params").value
    served = registry.constant("sardana_example_inference_tokens").value
    baseline = law.compute_optimal(law.flops_for_optimal_params(size))
    cheaper = inference_optimal(law, baseline.loss, served)
    saving = baseline.flops + 2 * size * served - cheaper.total_flops
    assert round(cheaper.n_params / 1e9) == 7
    assert saving == pytest.approx(registry.constant("sardana_example_saving_flops").value,
                                   abs=0.05e22)
    assert round(saving / (baseline.flops + 2 * size * served), 2) == pytest.approx(
        registry.constant("sardana_example_saving_fraction").value, abs=0.005)


def test_registry_values_as_printed():
    assert registry.constant("muennighoff_r_star_data").value == 15.387756
    assert registry.constant("muennighoff_r_star_params").value == 5.309743
    base = registry.fit("muennighoff2023/base").params
    assert math.log(base["A"]) == pytest.approx(6.255414)
    assert math.log(base["B"]) == pytest.approx(7.3049974)
    assert math.log(base["E"]) == pytest.approx(0.6254804)
    assert base["alpha"] == base["beta"] == 0.3526596
    assert dict(registry.fit("sardana2024/constants").params) == {
        "E": 1.69, "A": 406.4, "B": 410.7, "alpha": 0.336, "beta": 0.283}


@pytest.mark.parametrize("bad", [0.0, -1.0, math.nan])
def test_bad_input(bad):
    with pytest.raises(ValueError, match="unique_tokens"):
        effective_data(1e9, bad)
    with pytest.raises(ValueError, match="n_params"):
        effective_params(bad, 1e9)
    with pytest.raises(ValueError, match="flops"):
        LAW.compute_optimal(bad, 1e9)
    np.testing.assert_allclose(effective_data([1e9, 2e9], 1e9)[0], 1e9)
