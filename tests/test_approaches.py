"""The three approaches recover a planted law; Approach 3 matches a brute-force minimisation
and the paper's procedure; its intervals cover the truth; input checks; the CSV reader."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from chinchilla_lib import registry
from chinchilla_lib.fitting._result import DegenerateDataWarning
from chinchilla_lib.fitting.approach3 import (
    fit_approach3,
    fit_approach3_likelihood,
    fit_approach3_loop,
    fit_approach3_scipy,
    hoffmann_initial_grid,
    huber_objective,
)
from chinchilla_lib.fitting.approaches12 import fit_approach1, fit_approach2, isoflop_minima
from chinchilla_lib.fitting.runs import IsoFlopRuns, Runs, as_runs, read_runs_csv
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.simulate.runs import simulate_isoflop_runs, simulate_training_curves

TRUTH = ChinchillaLaw.from_registry("besiroglu2024/refit")
BUDGETS = registry.HOFFMANN_ISOFLOP_BUDGETS


def test_grid_is_the_papers():
    grid = hoffmann_initial_grid()
    assert grid.shape == (4500, 5)
    assert sorted(set(grid[:, 3])) == [0.0, 0.5, 1.0, 1.5, 2.0]
    assert sorted(set(grid[:, 2])) == [-1.0, -0.5, 0.0, 0.5, 1.0]
    assert sorted(set(grid[:, 0])) == [0.0, 5.0, 10.0, 15.0, 20.0, 25.0]


def test_gradient_matches_finite_differences():
    iso = simulate_isoflop_runs(TRUTH, BUDGETS, noise=0.02, seed=0)
    data = (np.log(iso.runs.n_params), np.log(iso.runs.n_tokens), np.log(iso.runs.loss))
    theta = np.array([6.0, 7.5, 0.5, 0.33, 0.35])
    _, grad = huber_objective(theta, *data)
    h = 1e-7
    numeric = [(huber_objective(theta + h * e, *data)[0][0]
                - huber_objective(theta - h * e, *data)[0][0]) / (2 * h) for e in np.eye(5)]
    np.testing.assert_allclose(grad[0], numeric, rtol=1e-5, atol=1e-9)


def test_approach3_recovers_a_noiseless_law_exactly():
    iso = simulate_isoflop_runs(TRUTH, BUDGETS, noise=0.0, seed=0)
    fit = fit_approach3(iso.runs)
    assert fit.converged
    assert fit.objective < 1e-20
    for name in ("e", "alpha", "beta"):
        assert getattr(fit.law, name) == pytest.approx(getattr(TRUTH, name), rel=1e-6)


PLANTED = [ChinchillaLaw(1.69, 406.4, 410.7, 0.34, 0.28),
           ChinchillaLaw(2.1, 250.0, 900.0, 0.3, 0.4),
           ChinchillaLaw(1.5, 800.0, 3000.0, 0.45, 0.38),
           ChinchillaLaw(1.2, 60.0, 5000.0, 0.2, 0.42)]


@pytest.mark.parametrize("truth", PLANTED, ids=lambda law: f"alpha={law.alpha},beta={law.beta}")
def test_approach3_recovers_planted_parameters(truth):
    """0.1% noise: the errors scale with the noise (about 0.003 in beta here)."""
    iso = simulate_isoflop_runs(truth, BUDGETS, sizes_per_budget=15, noise=0.001, seed=2)
    data = tuple(np.log(v) for v in (iso.runs.n_params, iso.runs.n_tokens, iso.runs.loss))
    fit = fit_approach3(iso.runs)
    assert fit.converged
    at_truth = np.array([np.log(truth.a), np.log(truth.b), np.log(truth.e), truth.alpha,
                         truth.beta])
    assert fit.objective <= huber_objective(at_truth, *data)[0][0]
    assert fit.law.e == pytest.approx(truth.e, rel=0.005)
    for name in ("alpha", "beta", "optimal_params_exponent"):
        assert getattr(fit.law, name) == pytest.approx(getattr(truth, name), abs=0.005), name


def test_approach3_matches_a_brute_force_minimisation_from_many_starts():
    """The paper's grid procedure, a plain loop of SciPy's L-BFGS-B from 50 of its starts,
    then the best polished by Nelder-Mead: the variable-projection fit is never worse, and
    lands on the same optimum."""
    from scipy.optimize import minimize

    iso = simulate_isoflop_runs(TRUTH, BUDGETS, noise=0.02, seed=3)
    data = tuple(np.log(v) for v in (iso.runs.n_params, iso.runs.n_tokens, iso.runs.loss))
    theta, loop_value = fit_approach3_loop(iso.runs, starts=hoffmann_initial_grid()[::90])
    polished = minimize(lambda t: huber_objective(t, *data)[0][0], theta, method="Nelder-Mead",
                        options={"xatol": 1e-12, "fatol": 1e-16, "maxiter": 20000})
    brute = min(loop_value, float(polished.fun))
    fit = fit_approach3(iso.runs)
    assert fit.objective <= brute * (1 + 1e-9)
    assert fit.objective >= brute * (1 - 1e-6)
    np.testing.assert_allclose(fit.theta[3:], polished.x[3:], atol=1e-4)


@pytest.mark.slow
def test_approach3_intervals_cover_the_truth_at_about_the_nominal_rate():
    """30 simulated data sets; 95% intervals of a, alpha and beta: 90 coverage checks."""
    hits = []
    for seed in range(30):
        iso = simulate_isoflop_runs(TRUTH, BUDGETS, noise=0.02, seed=100 + seed)
        fit = fit_approach3(iso.runs, bootstrap=300, seed=seed)
        for name in ("optimal_params_exponent", "alpha", "beta"):
            hits.append(fit.interval(name, 0.95).contains(getattr(TRUTH, name)))
    assert 0.85 <= np.mean(hits) <= 1.0


def test_approach3_interval_narrows_with_more_runs():
    """Three times the runs per budget: the 95% interval of a narrows by about sqrt(3)."""
    widths = {}
    for sizes in (9, 27):
        iso = simulate_isoflop_runs(TRUTH, BUDGETS, sizes_per_budget=sizes, noise=0.02, seed=6)
        fit = fit_approach3(iso.runs, bootstrap=200, seed=6)
        widths[sizes] = fit.interval("optimal_params_exponent").width
        assert fit.interval("optimal_params_exponent").contains(TRUTH.optimal_params_exponent)
    assert 0.35 < widths[27] / widths[9] < 0.85


def test_approach2_recovers_the_exponent_and_its_interval_narrows_with_more_runs():
    iso = simulate_isoflop_runs(TRUTH, BUDGETS, noise=0.005, seed=1)
    fit = fit_approach2(iso, bootstrap=50, seed=1)
    a = fit.optimal_params_exponent
    assert a == pytest.approx(TRUTH.optimal_params_exponent, abs=0.02)
    assert a + fit.optimal_tokens_exponent == pytest.approx(1.0)
    # Widths averaged over three data sets: with vertices outside the sizes run dropped (the
    # default), one data set's width varies by tens of percent with where its noise fell.
    widths = {}
    for sizes in (9, 27):
        found = []
        for seed in (2, 3, 4):
            iso = simulate_isoflop_runs(TRUTH, BUDGETS, sizes_per_budget=sizes, noise=0.01,
                                        seed=seed, centre_error=0.0)
            fit = fit_approach2(iso, bootstrap=400, seed=seed)
            found.append(fit.interval("optimal_params_exponent").width)
            if seed == 2:
                assert fit.interval("optimal_params_exponent").contains(
                    TRUTH.optimal_params_exponent)
        widths[sizes] = float(np.mean(found))
    assert widths[27] < 0.8 * widths[9]


def _valley_beyond_the_grid() -> IsoFlopRuns:
    """Two budgets with their valley inside the sizes run, one whose losses still fall at the
    largest size (so its parabola's vertex lies beyond the grid)."""
    n, budget, loss = [], [], []
    for c, centre in ((1e18, 0.0), (1e19, 0.0), (1e20, 1.5)):
        x = np.linspace(-1.0, 1.0, 5)
        n.extend(np.exp(np.log(1e8 * (c / 1e18) ** 0.5) + x))
        budget.extend([c] * x.size)
        loss.extend(3.0 + 0.1 * (x - centre) ** 2)
    n = np.array(n)
    return IsoFlopRuns(Runs.from_flops(n, np.array(budget), np.array(loss)), np.array(budget))


def test_out_of_range_vertices_are_counted_and_can_be_dropped():
    iso = _valley_beyond_the_grid()
    counts: dict[str, int] = {}
    budgets, _ = isoflop_minima(iso, counts=counts)
    assert budgets.size == 3 and counts == {"out_of_range": 1, "vertices": 3,
                                            "too_few_sizes": 0, "no_minimum": 0}
    kept, _ = isoflop_minima(iso, out_of_range="drop")
    assert kept.tolist() == [1e18, 1e19]
    fit = fit_approach2(iso)
    assert (fit.out_of_range, fit.vertices) == (1, 3)
    assert fit_approach2(iso, out_of_range="drop").flops.size == 2
    with pytest.raises(ValueError, match="out_of_range"):
        isoflop_minima(iso, out_of_range="clip")
    with pytest.raises(ValueError, match="out_of_range"):
        fit_approach2(iso, out_of_range="warn")


def test_resampled_vertices_out_of_range_are_counted_and_dropped():
    iso = simulate_isoflop_runs(TRUTH, BUDGETS, noise=0.01, seed=3)
    keep = fit_approach2(iso, bootstrap=300, seed=3)
    drop = fit_approach2(iso, bootstrap=300, seed=3, out_of_range="drop")
    assert 0 < keep.out_of_range < keep.vertices
    assert keep.out_of_range == drop.out_of_range
    assert keep.optimal_params_exponent == drop.optimal_params_exponent
    # Dropping only removes vertices: every refit's slope uses a subset of the budgets.
    name = "optimal_params_exponent"
    assert np.isfinite(drop.samples[name]).sum() <= np.isfinite(keep.samples[name]).sum()
    assert fit_approach1(simulate_training_curves(
        TRUTH, np.geomspace(7e7, 1.6e10, 12), noise=0.0)).out_of_range == 0


def test_approach1_recovers_the_exponent_without_schedule_effects():
    curves = simulate_training_curves(TRUTH, np.geomspace(7e7, 1.6e10, 12), noise=0.0,
                                      schedule_penalty=0.0)
    fit = fit_approach1(curves)
    assert fit.optimal_params_exponent == pytest.approx(TRUTH.optimal_params_exponent, abs=0.03)


def test_read_runs_csv(tmp_path):
    path = tmp_path / "runs.csv"
    rows = ["N,C,loss,comment"] + [f"{n},{6 * n * 20 * n},{2 + 1 / n ** 0.1},x"
                                   for n in (1e8, 2e8, 4e8, 8e8, 1.6e9, 3.2e9)]
    path.write_text("\n".join(rows) + "\n")
    runs = read_runs_csv(path)
    assert len(runs) == 6
    np.testing.assert_allclose(runs.n_tokens, 20 * runs.n_params)


@pytest.mark.parametrize(("text", "match"), [
    ("N,loss\n1,2\n", "needs columns"),
    ("N,D,loss\n" + "1e9,1e10,2\n" * 5, "at least 6 runs"),
    ("N,D,loss\n" + "1e9,1e10,2\n" * 5 + "1e9,-1,2\n", "line 7: column D must be finite"),
    ("N,D,loss\n" + "1e9,1e10,2\n" * 5 + "1e9,abc,2\n", "line 7: column D is not a number"),
    ("N,D,loss\n" + "1e9,1e10,2\n" * 5 + "1e9,1e10,inf\n", "column loss must be finite"),
])
def test_bad_csv_files(tmp_path, text, match):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(ValueError, match=match):
        read_runs_csv(path)


def test_bad_runs_and_options():
    with pytest.raises(ValueError, match="one length"):
        Runs([1.0, 2.0], [1.0], [1.0, 1.0])
    runs = Runs(np.geomspace(1e8, 1e9, 5), np.geomspace(1e9, 1e10, 5), np.full(5, 3.0))
    with pytest.raises(ValueError, match="at least 6"):
        fit_approach3(runs)
    iso = simulate_isoflop_runs(TRUTH, BUDGETS[:3], noise=0.01)
    with pytest.raises(ValueError, match="delta"):
        fit_approach3(iso.runs, delta=0.0)
    with pytest.raises(ValueError, match="starts"):
        fit_approach3(iso.runs, starts=np.ones((3, 4)))
    with pytest.warns(DegenerateDataWarning):  # ten poor starts: a poor optimum, and it says so
        fit = fit_approach3(iso.runs, starts=hoffmann_initial_grid()[:10])
    with pytest.raises(ValueError, match="bootstrap > 0"):
        fit.interval("alpha")
    with pytest.raises(ValueError, match=r"name must be one of \['E', 'A', 'B', 'alpha'"):
        fit.interval("a")
    with pytest.raises(ValueError, match="count"):
        iso.runs.without_highest_losses(len(iso.runs))


def test_approach3_fits_an_isoflop_design_as_its_runs():
    iso = simulate_isoflop_runs(TRUTH, BUDGETS[:3], noise=0.01)
    assert as_runs(iso) is iso.runs
    assert as_runs(iso.runs) is iso.runs
    from_design = fit_approach3(iso)
    from_runs = fit_approach3(iso.runs)
    np.testing.assert_array_equal(from_design.theta, from_runs.theta)
    assert from_design.n_runs == len(iso.runs)


def test_fits_refuse_the_wrong_run_container_by_name():
    curves = simulate_training_curves(TRUTH, np.geomspace(7e7, 1.6e10, 4), checkpoints=3)
    iso = simulate_isoflop_runs(TRUTH, BUDGETS[:3], noise=0.01)
    start = hoffmann_initial_grid()[0]
    for fit in (fit_approach3, fit_approach3_loop, fit_approach3_likelihood):
        with pytest.raises(ValueError, match=r"runs must be Runs .*got TrainingCurves.*"
                                             r"fit_approach1.*curves\.loss\[:, -1\]"):
            fit(curves)
    with pytest.raises(ValueError, match="runs must be Runs or IsoFlopRuns; got dict"):
        fit_approach3_scipy({"n_params": [1.0]}, start)
    with pytest.raises(ValueError, match=r"curves must be TrainingCurves .*got IsoFlopRuns; "
                                         r"final losses alone are fitted by fit_approach3"):
        fit_approach1(iso)
    for fit in (fit_approach2, isoflop_minima):
        with pytest.raises(ValueError, match=r"isoflop must be IsoFlopRuns .*got Runs; group "
                                             r"the runs by budget with IsoFlopRuns\(runs, "):
            fit(iso.runs)
        with pytest.raises(ValueError, match=r"isoflop must be IsoFlopRuns .*got TrainingCurves$"):
            fit(curves)


@pytest.mark.skipif(not os.environ.get("CHINCHILLA_EPOCH_CSV"),
                    reason="set CHINCHILLA_EPOCH_CSV to Besiroglu et al.'s "
                           "data/svg_extracted_data.csv to check the replication")
def test_replication_on_besiroglu_data():  # pragma: no cover - needs their data
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "check", Path(__file__).resolve().parents[1] / "scripts" / "check_epoch_replication.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main([os.environ["CHINCHILLA_EPOCH_CSV"]]) == 0


def test_columns_can_be_renamed(tmp_path):
    path = tmp_path / "theirs.csv"
    rows = ["x,Model Size,Training FLOP,loss"] + [f"0,{n},{6 * n * 20 * n},{2 + n ** -0.1}"
                                                  for n in (1e8, 2e8, 4e8, 8e8, 1.6e9, 3.2e9)]
    path.write_text("\n".join(rows))
    runs = read_runs_csv(path, columns={"N": "Model Size", "C": "Training FLOP"})
    np.testing.assert_allclose(runs.n_tokens, 20 * runs.n_params)
    with pytest.raises(ValueError, match="may rename only"):
        read_runs_csv(path, columns={"Q": "x"})


def test_likelihood_fit_recovers_the_law_and_improves_its_objective():
    from chinchilla_lib.fitting.approach3 import fit_approach3_likelihood

    iso = simulate_isoflop_runs(TRUTH, BUDGETS, noise=0.01, seed=5)
    grid_fit = fit_approach3(iso.runs)
    fit = fit_approach3_likelihood(iso.runs, start=grid_fit)
    assert fit.converged and 1 <= fit.n_iter <= 100
    assert fit.law.optimal_params_exponent == pytest.approx(TRUTH.optimal_params_exponent, abs=0.05)
    assert 0 < fit.scale < 0.1
    again = fit_approach3_likelihood(iso.runs, start=grid_fit)
    np.testing.assert_array_equal(fit.theta, again.theta)
    with pytest.raises(ValueError, match="max_rounds"):
        fit_approach3_likelihood(iso.runs, start=grid_fit, max_rounds=0)


def test_subsample_spread_ratio():
    from chinchilla_lib.fitting.approaches12 import subsample_spread_ratio

    assert subsample_spread_ratio(0.8) == pytest.approx(0.5)
    assert subsample_spread_ratio(0.5) == pytest.approx(1.0)
    for bad in (0.0, 1.0, -0.2):
        with pytest.raises(ValueError, match="fraction"):
            subsample_spread_ratio(bad)


def test_bootstrap_spreads_wider_than_the_papers_subsampling():
    iso = simulate_isoflop_runs(TRUTH, BUDGETS, noise=0.01, seed=4)
    boot = fit_approach2(iso, bootstrap=400, seed=4)
    sub = fit_approach2(iso, bootstrap=400, seed=4, resampling="subsample")
    assert (boot.resampling, sub.resampling) == ("bootstrap", "subsample")
    assert boot.optimal_params_exponent == sub.optimal_params_exponent
    name = "optimal_params_exponent"
    ratio = sub.interval(name, 0.8).width / boot.interval(name, 0.8).width
    assert 0.3 < ratio < 0.75  # about sqrt(0.2 / 0.8) = 0.5
    curves = simulate_training_curves(TRUTH, np.geomspace(7e7, 1.6e10, 12), noise=0.01, seed=4)
    one = fit_approach1(curves, points=200, bootstrap=40, seed=4)
    assert one.resampling == "bootstrap" and np.isfinite(one.samples[name]).any()
    with pytest.raises(ValueError, match="resampling"):
        fit_approach2(iso, bootstrap=10, resampling="jackknife")
    with pytest.raises(ValueError, match="resampling"):
        fit_approach1(curves, resampling="with replacement")
    assert fit_approach2(iso).resampling == ""


def test_isoflop_grid_centres():
    centred = simulate_isoflop_runs(TRUTH, BUDGETS, noise=0.01, seed=7, centre_error=0.0)
    optimum = TRUTH.compute_optimal(np.asarray(BUDGETS)).n_params
    middle = centred.runs.n_params.reshape(len(BUDGETS), -1)[:, 4]
    np.testing.assert_allclose(middle, optimum, rtol=1e-12)
    shifted = simulate_isoflop_runs(TRUTH, BUDGETS, noise=0.01, seed=7)
    offsets = np.log10(shifted.runs.n_params.reshape(len(BUDGETS), -1)[:, 4] / optimum)
    assert 0.02 < np.std(offsets) < 0.5
    # Same seed, same noise whatever the centring.
    np.testing.assert_allclose(shifted.runs.loss / TRUTH.loss(shifted.runs.n_params,
                                                                shifted.runs.n_tokens),
                               centred.runs.loss / TRUTH.loss(centred.runs.n_params,
                                                              centred.runs.n_tokens))
    with pytest.raises(ValueError, match="centre_error"):
        simulate_isoflop_runs(TRUTH, BUDGETS, centre_error=-0.1)


def test_a_small_objective_scale_stops_scipy_early():
    from chinchilla_lib.fitting.approach3 import fit_approach3_scipy

    iso = simulate_isoflop_runs(TRUTH, BUDGETS, noise=0.01, seed=2)
    hoffmann = ChinchillaLaw.from_registry("hoffmann2022/approach3 unrounded")
    start = np.array([np.log(hoffmann.a), np.log(hoffmann.b), np.log(hoffmann.e),
                      hoffmann.alpha, hoffmann.beta])
    best = fit_approach3(iso.runs)
    mean = fit_approach3_scipy(iso.runs, start, objective_scale=1 / len(iso.runs))
    large = fit_approach3_scipy(iso.runs, start, objective_scale=1e3)
    assert large.objective == pytest.approx(best.objective, rel=1e-3)
    assert mean.objective > 1.05 * best.objective
    assert mean.n_iter < large.n_iter
    assert large.converged and "CONVERGENCE" in large.message
    with pytest.raises(ValueError, match="objective_scale"):
        fit_approach3_scipy(iso.runs, start, objective_scale=0.0)
    with pytest.raises(ValueError, match="method"):
        fit_approach3_scipy(iso.runs, start, method="Nelder-Mead")
    with pytest.raises(ValueError, match="start"):
        fit_approach3_scipy(iso.runs, start[:4])


def test_t_test_p_values():
    from scipy.stats import norm

    from chinchilla_lib.fitting.approach3 import t_test_p_values

    p = t_test_p_values([1.0, 1.2], [1.0, 1.0], [0.1, 0.1], 1e6)
    assert p[0] == pytest.approx(1.0)
    assert p[1] == pytest.approx(2 * norm.sf(2.0), rel=1e-4)
    with pytest.raises(ValueError, match="standard_errors"):
        t_test_p_values([1.0], [1.0], [0.0], 10)
    with pytest.raises(ValueError, match="dof"):
        t_test_p_values([1.0], [1.0], [0.1], 0)


def test_scipy_tolerances_are_scipys_defaults():
    import inspect

    from scipy.optimize import _lbfgsb_py

    from chinchilla_lib.fitting.approach3 import SCIPY_LBFGSB_FTOL, SCIPY_LBFGSB_GTOL

    defaults = inspect.signature(_lbfgsb_py._minimize_lbfgsb).parameters
    assert defaults["ftol"].default == SCIPY_LBFGSB_FTOL
    assert defaults["gtol"].default == SCIPY_LBFGSB_GTOL


def test_approach2_calibration_collects_estimates_and_widths():
    from chinchilla_lib.simulate.runs import approach2_calibration

    cal = approach2_calibration(TRUTH, BUDGETS, repeats=4, noise=0.01, bootstrap=20)
    assert cal.estimates.shape == cal.widths.shape == (4,)
    assert np.all(cal.widths > 0) and 0 <= cal.out_of_range <= cal.vertices
    assert cal.width_over_spread == pytest.approx(np.median(cal.widths) / cal.spread)
    again = cal.width_over_spread_resampled(np.random.default_rng(0), resamples=50)
    assert again.shape == (50,)
    with pytest.raises(ValueError, match="repeats"):
        approach2_calibration(TRUTH, BUDGETS, repeats=1, noise=0.01)


def test_bootstrap_on_two_threads_gives_the_same_replicates(monkeypatch):
    from chinchilla_lib.fitting import approach3

    iso = simulate_isoflop_runs(ChinchillaLaw.from_registry("besiroglu2024/refit"),
                                [1e18, 1e19, 1e20], noise=0.01, seed=4)
    fits = {}
    for label, threshold in (("one thread", 10**9), ("two threads", 1)):
        monkeypatch.setattr(approach3, "PARALLEL_MIN_ROWS", threshold)
        fits[label] = fit_approach3(iso.runs, bootstrap=40, seed=3)
    for name, values in fits["one thread"].samples.items():
        np.testing.assert_array_equal(values, fits["two threads"].samples[name])


def test_profile_minima_gives_one_start_per_basin_lowest_first():
    from chinchilla_lib.fitting.approach3 import _profile_minima

    x, y = np.meshgrid(np.linspace(0, 1, 25), np.linspace(0, 1, 25), indexing="ij")
    bowl = lambda cx, cy, depth: (x - cx) ** 2 + (y - cy) ** 2 - depth  # noqa: E731
    values = np.minimum(bowl(0.2, 0.2, 0.5), bowl(0.8, 0.7, 1.0))
    minima = _profile_minima(values)
    assert [np.unravel_index(i, values.shape) for i in minima] == [(19, 17), (5, 5)]
    values[:] = np.nan  # every candidate failed: still one start, not none
    assert _profile_minima(values).size == 1
