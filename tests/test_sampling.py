"""Repeated sampling: the pass@k estimator and the expected solve rate."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chinchilla_lib.fitting.sampling import fit_coverage_law
from chinchilla_lib.laws.sampling import CoverageLaw, solve_rate_with_samples
from chinchilla_lib.metrics import pass_at_k


@given(st.integers(1, 9), st.data())
@settings(max_examples=60, deadline=None)
def test_pass_at_k_is_the_subset_probability(n, data):
    """The estimator equals the share of k-subsets of the n samples holding a correct one."""
    c = data.draw(st.integers(0, n))
    k = data.draw(st.integers(1, n))
    outcomes = [True] * c + [False] * (n - c)
    subsets = list(itertools.combinations(outcomes, k))
    expected = sum(any(s) for s in subsets) / len(subsets)
    assert pass_at_k(n, c, k) == pytest.approx(expected, abs=1e-12)


def test_pass_at_k_large_counts_stay_finite():
    """n = 1000 would overflow binomial coefficients computed naively in floats."""
    value = pass_at_k(1000, 3, 100)
    assert value == pytest.approx(1 - math.comb(997, 100) / math.comb(1000, 100), rel=1e-12)


@pytest.mark.parametrize("args, name", [((0, 0, 1), "samples"), ((5, -1, 1), "correct"),
                                        ((5, 6, 1), "correct"), ((5, 1, 6), "k"),
                                        ((5, 1, 0), "k"), ((5, 1.5, 1), "correct")])
def test_pass_at_k_rejects_bad_counts(args, name):
    with pytest.raises(ValueError, match=name):
        pass_at_k(*args)


def test_solve_rate_matches_direct_formula():
    p = np.array([1e-3, 0.05, 0.5, 1.0])
    k = np.array([1.0, 10.0, 1000.0])
    expected = [np.mean(1 - (1 - p) ** kk) for kk in k]
    np.testing.assert_allclose(solve_rate_with_samples(k, p), expected, rtol=1e-12)
    assert isinstance(solve_rate_with_samples(3, p), float)


def test_solve_rate_is_log_linear_for_log_uniform_difficulty():
    """Probabilities spread evenly in log p give equal gains per decade of k in between."""
    p = np.geomspace(1e-6, 1.0, 20001)
    k = np.geomspace(1e2, 1e4, 3)
    rates = solve_rate_with_samples(k, p)
    gains = np.diff(rates)
    assert gains[0] == pytest.approx(gains[1], rel=1e-2)
    assert gains[0] == pytest.approx(1 / 6, rel=1e-2)  # one decade of six, per decade of k


@pytest.mark.parametrize("k, p, name", [(0, [0.5], "k"), (np.nan, [0.5], "k"),
                                        (1, [0.0], "success_probabilities"),
                                        (1, [1.5], "success_probabilities"),
                                        (1, [], "success_probabilities")])
def test_solve_rate_rejects_bad_input(k, p, name):
    with pytest.raises(ValueError, match=name):
        solve_rate_with_samples(k, p)


def test_coverage_law_form_and_inverse():
    law = CoverageLaw(a=-2.0, b=-0.5)
    k = np.array([1.0, 10.0, 1e4])
    np.testing.assert_allclose(law(k), np.exp(-2.0 * k**-0.5), rtol=1e-14)
    # -ln(coverage) is a power law in k: a straight line of slope b on log-log axes.
    slope = np.diff(np.log(-np.log(law(k)))) / np.diff(np.log(k))
    np.testing.assert_allclose(slope, -0.5, rtol=1e-12)
    np.testing.assert_allclose(law.samples_for(law(k)), k, rtol=1e-10)
    assert np.all(np.diff(law(np.geomspace(1, 1e6, 20))) > 0)


@given(st.floats(-6.0, -0.05), st.floats(-1.5, -0.05))
@settings(max_examples=40, deadline=None)
def test_fit_coverage_law_recovers_a_planted_law(a, b):
    truth = CoverageLaw(a, b)
    k = np.geomspace(1, 1e4, 17)
    c = truth(k)
    if np.any(c >= 1.0 - 1e-12) or np.any(c <= 1e-300):
        return  # outside what floating point can hold
    fit = fit_coverage_law(k, c)
    assert fit.law.a == pytest.approx(a, rel=1e-6)
    assert fit.law.b == pytest.approx(b, rel=1e-6, abs=1e-9)
    assert fit.estimates == {"a": fit.law.a, "b": fit.law.b} and fit.n_points == k.size


def test_heavy_tailed_success_probabilities_give_the_exponentiated_power_law():
    """With p_j ~ Beta(s, 3), the density near 0 goes as p^(s-1) and 1 - coverage falls as
    k^(-s): the fitted b approaches -s, and the law fits the solve rate closely."""
    p = np.random.default_rng(0).beta(0.3, 3.0, 5000)
    k = np.geomspace(1, 1e4, 41)
    coverage = solve_rate_with_samples(k, p)
    fit = fit_coverage_law(k, coverage)
    assert -0.45 < fit.law.b < -0.25
    assert np.max(np.abs(fit.law(k) - coverage)) < 0.03


def test_coverage_bootstrap_interval_covers_a_planted_law_and_narrows_with_data():
    truth = CoverageLaw(a=-2.5, b=-0.35)
    rng = np.random.default_rng(3)
    widths = []
    for points in (9, 81):
        k = np.geomspace(1, 1e4, points)
        # Multiplicative noise on -ln(coverage), as the fit's log-log line assumes.
        noisy = truth(k) ** np.exp(rng.normal(0.0, 0.05, k.size))
        fit = fit_coverage_law(k, noisy, bootstrap=500, seed=1)
        assert set(fit.samples) == {"a", "b"} and len(fit.samples["b"]) == 500
        for name, true in (("a", truth.a), ("b", truth.b)):
            assert fit.interval(name).contains(true), (points, name)
        widths.append(fit.interval("b").width)
    assert widths[1] < 0.6 * widths[0]
    # The same seed gives the same replicates; none without a bootstrap.
    again = fit_coverage_law(k, noisy, bootstrap=500, seed=1)
    np.testing.assert_array_equal(again.samples["a"], fit.samples["a"])
    assert len(fit_coverage_law(k, noisy).samples) == 0


def test_coverage_bootstrap_drops_resamples_without_a_line():
    fit = fit_coverage_law([1.0, 100.0], [0.2, 0.6], bootstrap=200, seed=0)
    b = fit.samples["b"]
    assert np.isnan(b).any() and np.isfinite(b).any()
    assert np.all(np.isnan(fit.samples["a"]) == np.isnan(b))
    # Two points: every resample with both of them is the fitted line itself.
    interval = fit.interval("b")
    assert (interval.low, interval.high) == pytest.approx((fit.law.b, fit.law.b), rel=1e-12)


def test_coverage_law_input_checks():
    with pytest.raises(ValueError, match="a must"):
        CoverageLaw(a=0.5, b=-0.5)
    with pytest.raises(ValueError, match="b must"):
        CoverageLaw(a=-1.0, b=0.0)
    law = CoverageLaw(a=-1.0, b=-0.5)
    with pytest.raises(ValueError, match="k must"):
        law(0.0)
    with pytest.raises(ValueError, match="coverage must"):
        law.samples_for(1.0)  # full coverage needs infinitely many samples
    with pytest.raises(ValueError, match="coverage must"):
        fit_coverage_law([1, 10], [0.5, 1.0])
    with pytest.raises(ValueError, match="same length"):
        fit_coverage_law([1, 10, 100], [0.5, 0.6])
    with pytest.raises(ValueError, match="two distinct"):
        fit_coverage_law([10, 10], [0.5, 0.6])
    with pytest.raises(ValueError, match="does not rise"):
        fit_coverage_law([1, 10], [0.6, 0.5])
    with pytest.raises(ValueError, match="bootstrap"):
        fit_coverage_law([1, 10], [0.5, 0.6], bootstrap=-1)
