"""The data-manifold simulations (Sharma & Kaplan 2022) and the scaling regimes (Bahri et al.
2024): fitted exponents against the predictions, determinism, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from chinchilla_lib.simulate import (
    MAX_MANIFOLD_DIM,
    ScalingCurve,
    manifold_scaling,
    predicted_manifold_exponent,
    variance_limited_data,
    variance_limited_width,
)

#: Tolerance on the fitted exponent (absolute, so relatively tighter for small d): finite-size
#: effects (boundary cells, the curvature of the target across the largest cells) at sizes a
#: second allows. Measured at seed 0: up to 0.095 (d = 2, piecewise linear in N, whose local
#: slope falls from about 2.17 at the smallest grids to about 2.0 at side 64 and beyond: a
#: pre-asymptotic start, not a bias), otherwise <= 0.07 (0.067, 13% of 2/d, at d = 4 nearest knot).
TOL = 0.1


def test_predictions_are_four_over_d_and_two_over_d():
    for d in range(1, 6):
        assert predicted_manifold_exponent(d) == pytest.approx(4 / d)
        assert predicted_manifold_exponent(d, "nearest") == pytest.approx(2 / d)


@pytest.mark.parametrize("method", ["linear", "nearest"])
@pytest.mark.parametrize("dim", [1, 2, 3, 4])
def test_model_size_exponent_matches_prediction(dim, method):
    curve = manifold_scaling(dim, method=method)
    assert curve.predicted == pytest.approx(predicted_manifold_exponent(dim, method))
    assert abs(curve.exponent - curve.predicted) < TOL
    assert np.all(np.diff(curve.loss) < 0)


@pytest.mark.parametrize("dim", [1, 2, 3, 4])
def test_data_exponent_nearest_neighbour_in_ambient_space(dim):
    curve = manifold_scaling(dim, method="nearest", regime="data")
    assert abs(curve.exponent - 2 / dim) < TOL


@pytest.mark.parametrize("dim,tol", [(1, 0.2), (2, TOL), (3, TOL)])
def test_data_exponent_piecewise_linear(dim, tol):
    """d = 1 is looser: the error is a mean of gap**5 over random gaps, heavy-tailed, so the
    exponent moves with the seed (3.78 to 4.07 measured); d = 4 is left out: the random
    triangulation is still pre-asymptotic at the sizes a few seconds allow (0.87 against 1)."""
    curve = manifold_scaling(dim, regime="data")
    assert abs(curve.exponent - 4 / dim) < tol


def test_variance_limited_exponent_is_one():
    for seed in (0, 1):
        curve = variance_limited_data(seed=seed)
        assert abs(curve.exponent - 1.0) < TOL
        assert curve.floor > 0.25  # at least the noise variance 0.5**2


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_variance_limited_in_width_exponent_is_one(seed):
    """Seed 1 is a case where the finite width beats the kernel limit (the 1/W term is
    negative): the size of the difference still falls as 1/W. Tolerance 0.15 (0.90 to 1.07
    measured over seeds 0 to 7)."""
    curve = variance_limited_width(seed=seed)
    assert abs(curve.exponent - 1.0) < 0.15
    assert ("below" in curve.label) == (seed == 1)


def test_deterministic_under_a_seed():
    a, b = manifold_scaling(2, seed=3), manifold_scaling(2, seed=3)
    np.testing.assert_array_equal(a.loss, b.loss)
    c = manifold_scaling(2, seed=4)
    assert not np.array_equal(a.loss, c.loss)
    v, w = variance_limited_data(repeats=10, seed=2), variance_limited_data(repeats=10, seed=2)
    np.testing.assert_array_equal(v.loss, w.loss)


def test_sizes_are_rounded_to_grids():
    curve = manifold_scaling(2, [16, 100, 400])
    np.testing.assert_array_equal(curve.sizes, [16, 100, 400])
    assert isinstance(curve, ScalingCurve)


@pytest.mark.parametrize("kwargs", [
    {"dim": 0}, {"dim": MAX_MANIFOLD_DIM + 1}, {"dim": 1.5}, {"dim": True},
    {"dim": 2, "method": "cubic"}, {"dim": 2, "regime": "width"},
    {"dim": 2, "sizes": [16, 16, 17]}, {"dim": 2, "sizes": [-1, 4, 9]},
    {"dim": 2, "sizes": [1e12, 1e13, 1e14]}, {"dim": 2, "ambient": 1},
    {"dim": 2, "test_points": 10}, {"dim": 2, "seed": -1},
    {"dim": 2, "regime": "data", "sizes": [3, 50, 100]},
    {"dim": 2, "regime": "data", "sizes": [50.5, 60, 100]},
])
def test_manifold_bad_input(kwargs):
    with pytest.raises(ValueError):
        manifold_scaling(**kwargs)


@pytest.mark.parametrize("kwargs", [
    {"features": 0}, {"noise": -1.0}, {"repeats": 0}, {"sizes": [5, 50, 100], "features": 8},
    {"sizes": [20, 20, 40]}, {"features": 10**6}, {"repeats": 10**9},
])
def test_variance_limited_bad_input(kwargs):
    with pytest.raises(ValueError):
        variance_limited_data(**kwargs)


@pytest.mark.parametrize("kwargs", [
    {"samples": 1}, {"ridge": 0.0}, {"ridge": -1.0}, {"repeats": 0}, {"widths": [8, 8, 16]},
    {"widths": [8.5, 16, 32]}, {"widths": [1e9, 2e9, 4e9]}, {"samples": 10**6},
    {"repeats": 10**8},
])
def test_variance_limited_width_bad_input(kwargs):
    with pytest.raises(ValueError):
        variance_limited_width(**kwargs)


def test_curve_rejects_inconsistent_arrays():
    with pytest.raises(ValueError):
        ScalingCurve(np.array([1.0, 2.0]), np.array([1.0]), 1.0, 0.0, "x")
    with pytest.raises(ValueError):
        ScalingCurve(np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.5, 0.2]), -1.0, 0.0, "x")
