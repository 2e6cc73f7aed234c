"""Approach 3 on data that cannot determine it (issue 16, the robustness review's rows on
``fit``): degenerate designs are refused by name, a loss that rises with N is named as such,
parameters the runs do not pin down are warned about and listed, and bootstrap resamples are
refitted afresh and to convergence, so that their intervals are honest."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chinchilla_lib import registry
from chinchilla_lib.fitting import DegenerateDataWarning
from chinchilla_lib.fitting import approach3 as a3
from chinchilla_lib.fitting.approach3 import fit_approach3
from chinchilla_lib.fitting.runs import Runs
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.simulate.runs import simulate_isoflop_runs

TRUTH = ChinchillaLaw.from_registry("besiroglu2024/refit")
BUDGETS = registry.HOFFMANN_ISOFLOP_BUDGETS
N = np.geomspace(1e8, 1e10, 8)
D = np.geomspace(1e9, 1e11, 8)[::-1] * np.linspace(1.0, 1.3, 8)


def _quiet_fit(runs, **options):
    """fit_approach3, with the DegenerateDataWarnings it raises, as (fit, messages)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DegenerateDataWarning)
        fit = fit_approach3(runs, **options)
    return fit, [str(w.message) for w in caught if w.category is DegenerateDataWarning]


# Review row: `fit` on identical runs, or on runs that all share one N, exits 0 with
# arbitrary constants. Each degenerate design is an error saying why.

@pytest.mark.parametrize("runs, match", [
    (Runs([1e8] * 8, [2e9] * 8, [3.0] * 8), r"all 8 runs are the same run"),
    (Runs(N, D, np.full(8, 2.5)), r"every run has the same loss \(2\.5\)"),
    (Runs(np.full(8, 1e8), D, TRUTH.loss(1e8, D)),
     r"all 8 runs share one model size \(N = 1e\+08\): alpha and A cannot be separated from E"),
    (Runs(N, np.full(8, 1e10), TRUTH.loss(N, 1e10)),
     r"all 8 runs share one token count \(D = 1e\+10\): beta and B cannot be separated from E"),
    (Runs(np.repeat([1e8, 1e9], 4), D, TRUTH.loss(np.repeat([1e8, 1e9], 4), D)),
     r"only 2 distinct N \(1e\+08, 1e\+09\): E, alpha and A are three unknowns"),
    (Runs(N, np.repeat([1e9, 1e10], 4), TRUTH.loss(N, np.repeat([1e9, 1e10], 4))),
     r"only 2 distinct D"),
    (Runs(np.tile([1e8, 1e9, 1e10, 1e8], 2), np.tile([1e9, 1e10, 1e11, 1e9], 2),
          TRUTH.loss(np.tile([1e8, 1e9, 1e10, 1e8], 2), np.tile([1e9, 1e10, 1e11, 1e9], 2))),
     r"only 3 distinct \(N, D\) points, fewer than the 5 parameters"),
], ids=["identical runs", "zero variance in loss", "one N", "one D", "two N", "two D",
        "fewer points than parameters"])
def test_review_fit_on_a_degenerate_design_is_an_error_saying_why(runs, match):
    with pytest.raises(ValueError, match=match):
        runs.check_design()
    for fit in (fit_approach3, a3.fit_approach3_likelihood, a3.fit_approach3_loop):
        with pytest.raises(ValueError, match=match):
            fit(runs)


def test_review_token_counts_equal_but_for_rounding_count_as_one():
    """D = C / 6N rounds differently for each run: still one token count."""
    runs = Runs(N, 1e10 * (1.0 + 1e-13 * np.arange(8)), TRUTH.loss(N, 1e10))
    assert np.unique(runs.n_tokens).size == 8
    with pytest.raises(ValueError, match="share one token count"):
        fit_approach3(runs)


def test_review_a_well_posed_design_passes_the_design_check():
    simulate_isoflop_runs(TRUTH, BUDGETS, noise=0.01, seed=0).runs.check_design()


# Review row: `fit` where loss rises with N exits with an internal "alpha must be > 0".

@pytest.mark.parametrize("loss", [
    lambda n, d: 2.0 + 0.3 * np.log10(n / 1e7),
    lambda n, d: TRUTH.loss(n, d) * (n / 1e8) ** 0.2,
    lambda n, d: 6.0 - TRUTH.loss(n, d),
], ids=["rises with N only", "rises with N, falls with D", "reversed loss"])
def test_review_loss_rising_with_n_is_named_as_such(loss):
    runs = simulate_isoflop_runs(TRUTH, BUDGETS, noise=0.01, seed=2).runs
    rising = Runs(runs.n_params, runs.n_tokens, loss(runs.n_params, runs.n_tokens))
    with pytest.raises(ValueError, match=r"the loss does not fall with model size N") as error:
        fit_approach3(rising)
    assert "alpha must be > 0" not in str(error.value)


def test_review_a_negative_exponent_at_the_optimum_is_named_as_data_not_internals():
    with pytest.raises(ValueError, match=r"does not fall with training tokens D: .* beta = "
                                         r"-0\.1"):
        a3._check_trends(np.array([6.0, 7.0, 0.5, 0.3, -0.1]),
                         tuple(np.log(v) for v in (N, D, TRUTH.loss(N, D))))


def test_review_collinear_n_and_d_do_not_leak_a_linalg_error():
    """All runs at one tokens-per-parameter ratio: the profile's linear solves at alpha = beta
    are singular; the fit goes on (and says what it cannot pin down) instead of NumPy's
    'Singular matrix'."""
    n = np.geomspace(1e8, 1e10, 8)
    fit, _ = _quiet_fit(Runs(n, 20 * n, TRUTH.loss(n, 20 * n)))
    assert np.isfinite(fit.theta).all()
    assert a3._solve(np.zeros((2, 3, 3)), np.ones((2, 3, 1))).shape == (2, 3, 1)


# Review row: a narrow range of N; E collapsing to 0; an exponent no better than its error.

def test_review_narrow_range_of_n_warns_that_alpha_is_not_pinned_down():
    runs = simulate_isoflop_runs(TRUTH, BUDGETS, noise=0.01, seed=0).runs
    keep = (runs.n_params > 3e8) & (runs.n_params < 8e8)  # under half a decade of N
    assert np.log10(runs.n_params[keep].max() / runs.n_params[keep].min()) < 0.5
    fit, messages = _quiet_fit(runs.subset(keep))
    assert "spans only" in fit.undetermined["alpha"] and "A" in fit.undetermined
    assert any("do not pin down" in m and "alpha" in m for m in messages)


@pytest.mark.parametrize("seed", range(3))
def test_review_e_collapsing_to_zero_warns_and_its_interval_is_not_zero_width(seed):
    """E = 0 in truth: the fit says E is not pinned down, and no interval of E is zero-width
    (the review saw [0, 0])."""
    truth = ChinchillaLaw(1e-9, 400.0, 1800.0, 0.34, 0.36)
    runs = simulate_isoflop_runs(truth, BUDGETS, noise=0.01, seed=seed).runs
    fit, messages = _quiet_fit(runs, bootstrap=200, seed=seed)
    assert "E" in fit.undetermined
    assert any("E" in m for m in messages)
    interval = fit.interval("E")
    assert interval.width > 1e-3 and interval.low <= truth.e <= interval.high


@pytest.mark.parametrize("seed", range(3))
def test_review_badly_determined_parameters_are_covered_or_reported(seed):
    """5% noise, alpha = 0.05, beta = 1.5 (the review: beta = 7.7 with [7.62, 7.95]): each
    exponent's interval contains the truth, or the fit reports the exponent undetermined."""
    truth = ChinchillaLaw(1.8, 400.0, 1800.0, 0.05, 1.5)
    runs = simulate_isoflop_runs(truth, BUDGETS, noise=0.05, seed=seed).runs
    fit, messages = _quiet_fit(runs, bootstrap=300, seed=seed)
    assert messages and fit.undetermined
    for name in ("alpha", "beta", "E", "optimal_params_exponent"):
        value = getattr(truth, name.lower() if name == "E" else name)
        assert fit.interval(name).contains(value) or name in fit.undetermined, name
        assert fit.interval(name).width > 0


def test_review_well_posed_data_raise_no_warning_and_list_nothing():
    """The chapter's design (1% noise, nine budgets): nothing is reported undetermined."""
    runs = simulate_isoflop_runs(TRUTH, BUDGETS, noise=0.01, seed=2).runs
    with warnings.catch_warnings():
        warnings.simplefilter("error", DegenerateDataWarning)
        fit = fit_approach3(runs, bootstrap=200, seed=3)
    assert fit.undetermined == {}
    assert fit.bootstrap_unconverged <= a3.BOOTSTRAP_UNCONVERGED_WARNING * 200
    for name in ("E", "alpha", "beta"):
        assert 0 < fit.standard_errors[name] < 0.1 * fit.estimates[name]


# Review row: bootstrap intervals tied to the full-data optimum.

def test_review_bootstrap_refits_do_not_depend_on_the_full_data_optimum():
    """Each resample starts from its own exponent profile and runs to convergence: handing
    the bootstrap a poor 'optimum' to start from changes no replicate beyond the solver's
    tolerance (before, every refit began at that point and stopped after a few hundred
    iterations, tied to it)."""
    runs = simulate_isoflop_runs(TRUTH, BUDGETS[:5], noise=0.02, seed=5).runs
    data = tuple(np.log(v) for v in (runs.n_params, runs.n_tokens, runs.loss))
    fit = fit_approach3(runs)
    index = np.random.default_rng(0).integers(0, len(runs), size=(60, len(runs)))
    good, unconverged = a3._bootstrap(data, fit.theta, index, a3.HUBER_DELTA)
    poor, _ = a3._bootstrap(data, fit.theta + [3.0, -3.0, -1.0, 0.6, -0.2], index,
                            a3.HUBER_DELTA)
    assert unconverged == 0
    for name in ("alpha", "beta", "E"):
        np.testing.assert_allclose(poor[name], good[name], rtol=1e-4)


def test_review_fresh_starts_come_from_each_resamples_own_profile():
    runs = simulate_isoflop_runs(TRUTH, BUDGETS, noise=0.02, seed=5).runs
    data = tuple(np.log(v)[None, :] for v in (runs.n_params, runs.n_tokens, runs.loss))
    start = a3._profile_starts(data)[0]
    assert start[3] in a3.BOOTSTRAP_EXPONENTS and start[4] in a3.BOOTSTRAP_EXPONENTS
    # The batched solve picks the best pair of the grid, as the one-resample profile does.
    values, _ = a3.huber_objective(a3._profile(tuple(d[0] for d in data),
                                               a3.BOOTSTRAP_EXPONENTS),
                                   *(d[0] for d in data))
    assert np.all(np.isfinite(start))
    assert a3.huber_objective(start, *(d[0] for d in data))[0][0] <= 1.5 * values.min()


def test_review_bootstrap_refits_that_stop_unconverged_are_counted_and_warned():
    runs = simulate_isoflop_runs(TRUTH, BUDGETS[:4], noise=0.02, seed=1).runs
    with pytest.warns(DegenerateDataWarning, match=r"bootstrap refits did not converge"):
        fit = fit_approach3(runs, bootstrap=20, seed=0, max_iter=2)
    assert 0 < fit.bootstrap_unconverged <= 20
    assert f"{fit.bootstrap_unconverged} of 20 bootstrap refits" in fit.message


# Fuzz: random small designs end in a ValueError or a finite fit, never anything else.

@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([1e7, 1e8, 3e8, 1e9, 1e10]),
                          st.sampled_from([1e9, 1e10, 3e10, 1e11]),
                          st.floats(1.5, 5.0)), min_size=6, max_size=12))
def test_review_fuzz_fit_ends_in_a_value_error_or_a_finite_fit(rows):
    n, d, loss = (np.array(column) for column in zip(*rows, strict=True))
    try:
        fit, _ = _quiet_fit(Runs(n, d, loss))
    except ValueError as error:
        assert str(error).startswith("runs")
        return
    assert np.isfinite(fit.objective) and np.isfinite(fit.theta).all()
    assert fit.law.alpha > 0 and fit.law.beta > 0


# Approach 2 on the same kinds of data: a budget whose losses do not dip and rise again gives
# no minimum (a flat parabola fitted to equal losses used to give an arbitrary vertex, and a
# loss rising with N one that overflowed into NumPy's "log_y must be finite").

@pytest.mark.parametrize("loss, match", [
    (lambda runs: np.full(len(runs), 3.0), "9 have losses that do not dip and rise again"),
    (lambda runs: 2.0 + 0.3 * np.log10(runs.n_params), "9 have losses that do not dip"),
    (lambda runs: 6.0 - runs.loss, "9 have losses that do not dip"),
], ids=["equal losses", "loss rising with N", "loss upside down"])
def test_review_approach2_on_losses_without_a_minimum_says_why(loss, match):
    from chinchilla_lib.fitting.approaches12 import fit_approach2
    from chinchilla_lib.fitting.runs import IsoFlopRuns

    iso = simulate_isoflop_runs(TRUTH, BUDGETS, noise=0.01, seed=2)
    bad = IsoFlopRuns(Runs(iso.runs.n_params, iso.runs.n_tokens, loss(iso.runs)), iso.budget)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=match):
            fit_approach2(bad, bootstrap=20)


def test_review_approach2_on_one_size_per_budget_says_why():
    from chinchilla_lib.fitting.approaches12 import fit_approach2
    from chinchilla_lib.fitting.runs import IsoFlopRuns

    same = IsoFlopRuns(Runs([1e8] * 9, [1e9] * 9, [3.0] * 9), np.repeat([6e17, 6e18, 6e19], 3))
    with pytest.raises(ValueError, match="3 have fewer than 3 distinct model sizes"):
        fit_approach2(same)
