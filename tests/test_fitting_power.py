"""Power-law fits recover planted parameters, and their intervals cover at the stated rate."""

from __future__ import annotations

import math

import numpy as np
import pytest

from chinchilla_lib.fitting.power import fit_power_law, fit_saturating_power_law, log_ols
from chinchilla_lib.laws.power import PowerLaw, SaturatingPowerLaw
from chinchilla_lib.simulate.runs import noisy_samples

X = np.geomspace(1e6, 1e10, 50)


def test_noiseless_fits_are_exact():
    truth = PowerLaw(1000.0, -0.3)
    for method in ("log", "linear"):
        fit = fit_power_law(X, truth(X), method=method)
        assert fit.law.exponent == pytest.approx(-0.3, abs=1e-8)
        assert fit.law.coefficient == pytest.approx(1000.0, rel=1e-6)
        assert fit.rmsle < 1e-8
    sat = SaturatingPowerLaw(1.7, 400.0, -0.3)
    fit = fit_saturating_power_law(X, sat(X))
    assert fit.law.floor == pytest.approx(1.7, rel=1e-5)
    assert fit.law.exponent == pytest.approx(-0.3, rel=1e-5)


def test_plain_fit_of_floored_data_is_biased_towards_zero():
    sat = SaturatingPowerLaw(1.7, 400.0, -0.3)
    plain = fit_power_law(X, sat(X))
    assert -0.3 < plain.law.exponent < -0.05


def test_log_bootstrap_interval_coverage():
    """Over 200 simulated data sets, the 95% interval covers the truth 90-99% of the time."""
    truth = PowerLaw(1000.0, -0.3)
    ys = noisy_samples(truth, X, noise=0.05, seed=7, repeats=200)
    covered = [fit_power_law(X, y, bootstrap=1000, seed=i).interval("exponent", 0.95)
               .contains(-0.3) for i, y in enumerate(ys)]
    assert 0.90 <= np.mean(covered) <= 0.99


def test_saturating_recovers_planted_parameters_with_noise():
    truth = SaturatingPowerLaw(1.7, 400.0, -0.3)
    y = noisy_samples(truth, X, noise=0.01, seed=3)
    fit = fit_saturating_power_law(X, y, bootstrap=200, seed=3)
    for name, value in (("exponent", -0.3), ("floor", 1.7)):
        assert fit.interval(name, 0.99).contains(value), name


def test_bootstrap_of_50_points_is_reproducible():
    y = noisy_samples(PowerLaw(10.0, -0.1), X, 0.02, seed=1)
    a = fit_power_law(X, y, bootstrap=1000, seed=5).interval("exponent")
    b = fit_power_law(X, y, bootstrap=1000, seed=5).interval("exponent")
    assert a == b


@pytest.mark.parametrize(
    ("x", "y", "match"),
    [
        ([1.0, 2.0], [1.0, 2.0], "at least 3"),
        ([1.0, 2.0, 3.0], [1.0, 2.0], "same length"),
        ([1.0, 2.0, -3.0], [1.0, 2.0, 3.0], "x must be finite and > 0"),
        ([1.0, 2.0, 3.0], [1.0, math.nan, 3.0], "y must be finite"),
        ([2.0, 2.0, 2.0], [1.0, 2.0, 3.0], "distinct"),
        ([[1.0, 2.0, 3.0]], [[1.0, 2.0, 3.0]], "1-D"),
    ],
)
def test_bad_data(x, y, match):
    with pytest.raises(ValueError, match=match):
        fit_power_law(x, y)


def test_bad_options():
    with pytest.raises(ValueError, match="method"):
        fit_power_law(X, X, method="magic")
    with pytest.raises(ValueError, match="bootstrap"):
        fit_power_law(X, X, bootstrap=-1)
    with pytest.raises(ValueError, match="bootstrap > 0"):
        fit_power_law(X, X).interval("exponent")
    with pytest.raises(ValueError, match="at least 4"):
        fit_saturating_power_law([1.0, 2.0, 3.0], [3.0, 2.0, 1.0])
    with pytest.raises(ValueError, match="decrease"):
        fit_saturating_power_law(X, X)


def test_log_ols_recovers_a_line_in_log_space():
    slope, intercept = log_ols(np.log(X), np.log(1000.0 * X**-0.3))
    assert slope == pytest.approx(-0.3, abs=1e-12)
    assert np.exp(intercept) == pytest.approx(1000.0, rel=1e-10)


def test_log_ols_fits_each_row_as_a_plain_regression():
    rng = np.random.default_rng(3)
    lx = rng.normal(size=(5, 8))
    ly = 0.7 * lx - 2.0 + rng.normal(scale=0.1, size=lx.shape)
    slopes, intercepts = log_ols(lx, ly)
    assert slopes.shape == intercepts.shape == (5,)
    for row in range(5):
        expected = np.polyfit(lx[row], ly[row], 1)
        assert (slopes[row], intercepts[row]) == pytest.approx(tuple(expected), rel=1e-10)


def test_log_ols_has_no_slope_for_a_single_x():
    slopes, _ = log_ols(np.array([[0.0, 1.0, 2.0], [1.0, 1.0, 1.0]]), np.ones((2, 3)))
    assert slopes[0] == 0.0
    assert np.isnan(slopes[1])


@pytest.mark.parametrize(("log_x", "log_y", "match"), [
    ([0.0, np.nan, 2.0], [1.0, 2.0, 3.0], "log_x must be finite"),
    ([0.0, 1.0, 2.0], [1.0, np.inf, 3.0], "log_y must be finite"),
    ([0.0, 1.0, 2.0], [1.0, 2.0], "one shape"),
    ([1.0], [2.0], "at least 2 values"),
    (1.0, 2.0, "at least 2 values"),
])
def test_log_ols_rejects_bad_input(log_x, log_y, match):
    with pytest.raises(ValueError, match=match):
        log_ols(log_x, log_y)
