"""Checks on a sweep (issue 20): each diagnosis of :mod:`chinchilla_lib.fitting.diagnostics`
is triggered by a simulated sweep built to have its fault, and a well-designed sweep triggers
none."""

from __future__ import annotations

import dataclasses
import json
import warnings

import numpy as np
import pytest

from chinchilla_lib.fitting import (
    MIN_SIZES_PER_BUDGET,
    MIN_SPAN_DECADES,
    OFF_CENTRE_FRACTION,
    DegenerateDataWarning,
    Diagnosis,
    DiagnosisWarning,
    IsoFlopRuns,
    Runs,
    as_dicts,
    diagnose_sweep,
    fit_approach2,
    fit_approach3,
    warn_all,
)
from chinchilla_lib.laws import ChinchillaLaw
from chinchilla_lib.quantities import FLOPS_PER_PARAM_TOKEN
from chinchilla_lib.simulate import simulate_isoflop_runs

TRUTH = ChinchillaLaw(1.8, 400.0, 1800.0, 0.34, 0.36)
BUDGETS = [1e18, 1e19, 1e20, 1e21]


def _codes(runs, **kwargs) -> list[str]:
    return [d.code for d in diagnose_sweep(runs, **kwargs)]


def _quiet_fit(runs, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        return fit_approach3(runs, **kwargs)


def _shifted_sweep(shift_decades, *, law=TRUTH, budgets=BUDGETS, span=16.0, sizes=9,
                   noise=0.005, seed=0) -> IsoFlopRuns:
    """An IsoFLOP sweep whose grid at each budget is centred ``shift_decades`` (one value, or
    one per budget) away from the law's optimum, in log10 N."""
    c = np.asarray(budgets, dtype=float)
    centre = law.compute_optimal(c).n_params * 10.0 ** np.asarray(shift_decades, dtype=float)
    n = (centre[:, None] * np.geomspace(span**-0.5, span**0.5, sizes)[None, :]).ravel()
    budget = np.repeat(c, sizes)
    d = budget / (FLOPS_PER_PARAM_TOKEN * n)
    loss = law.loss(n, d) * np.exp(np.random.default_rng(seed).normal(0.0, noise, n.size))
    return IsoFlopRuns(Runs(n, d, loss), budget)


@pytest.fixture(scope="module")
def good() -> IsoFlopRuns:
    return simulate_isoflop_runs(TRUTH, BUDGETS, noise=0.005, seed=0, centre_error=0.0)


# --- the clean case -------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(4))
def test_a_well_designed_sweep_raises_nothing(seed):
    """Four budgets over three decades, nine sizes each over a factor of 16, centred on the
    optimum, 0.5% noise: no check fires, with or without a fit given."""
    iso = simulate_isoflop_runs(TRUTH, BUDGETS, noise=0.005, seed=seed, centre_error=0.0)
    assert diagnose_sweep(iso) == []
    assert diagnose_sweep(iso.runs) == []


def test_a_well_designed_sweep_with_a_bootstrap_fit_raises_nothing(good):
    fit = _quiet_fit(good, bootstrap=60, seed=0)
    assert diagnose_sweep(good, fit) == []
    assert diagnose_sweep(good, fit_approach2(good, bootstrap=60, seed=0)) == []


# --- spans ----------------------------------------------------------------------------------

def _grid_runs(n_values, d_values, seed=0) -> Runs:
    n, d = (a.ravel() for a in np.meshgrid(n_values, d_values, indexing="ij"))
    loss = TRUTH.loss(n, d) * np.exp(np.random.default_rng(seed).normal(0.0, 0.005, n.size))
    return Runs(n, d, loss)


def test_narrow_span_in_n_only():
    runs = _grid_runs(np.geomspace(1e8, 5e8, 4), np.geomspace(1e9, 1e11, 5))
    found = diagnose_sweep(runs)
    assert [d.code for d in found] == ["narrow-span-n"]
    (span,) = found
    assert "0.70 decades" in span.message and "1e+08 to 5e+08" in span.message
    # Either end extended to a decade fixes it.
    assert f"N <= {5e8 / 10**MIN_SPAN_DECADES:.3g}" in span.advice
    assert f"N >= {1e8 * 10**MIN_SPAN_DECADES:.3g}" in span.advice


def test_narrow_span_in_d_only():
    runs = _grid_runs(np.geomspace(2e7, 2e9, 5), np.geomspace(4e9, 2e10, 4))
    assert _codes(runs) == ["narrow-span-d"]


def test_narrow_spans_in_n_d_and_c():
    narrow = simulate_isoflop_runs(TRUTH, [1e19, 3e19], sizes_per_budget=5, span=3.0,
                                   noise=0.005, seed=0, centre_error=0.0)
    codes = _codes(narrow)
    assert codes[:3] == ["narrow-span-n", "narrow-span-d", "narrow-span-c"]
    c_span = diagnose_sweep(narrow)[2]
    assert "0.48 decades" in c_span.message and "FLOPs" in c_span.message
    assert "narrow-span-c" not in _codes(simulate_isoflop_runs(TRUTH, [1e19, 1e20],
                                                               noise=0.005, centre_error=0.0))


# --- too few sizes per budget ---------------------------------------------------------------

def test_too_few_sizes_per_budget():
    few = simulate_isoflop_runs(TRUTH, BUDGETS, sizes_per_budget=MIN_SIZES_PER_BUDGET - 1,
                                noise=0.005, seed=0, centre_error=0.0)
    found = {d.code: d for d in diagnose_sweep(few)}
    assert list(found) == ["too-few-sizes"]
    assert found["too-few-sizes"].budgets == tuple(BUDGETS)
    assert f"at least {MIN_SIZES_PER_BUDGET} sizes per budget" in found["too-few-sizes"].advice
    enough = simulate_isoflop_runs(TRUTH, BUDGETS, sizes_per_budget=MIN_SIZES_PER_BUDGET,
                                   noise=0.005, seed=0, centre_error=0.0)
    assert "too-few-sizes" not in _codes(enough)


# --- IsoFLOP minima -------------------------------------------------------------------------

def test_isoflop_curve_without_a_minimum():
    """At one budget the losses rise in the middle (a curve that opens downwards)."""
    iso = _shifted_sweep(0.0)
    at = iso.budget == 1e20
    x = np.log(iso.runs.n_params[at])
    loss = iso.runs.loss.copy()
    loss[at] = 3.0 - 0.01 * (x - x.mean()) ** 2
    bent = IsoFlopRuns(Runs(iso.runs.n_params, iso.runs.n_tokens, loss), iso.budget)
    found = {d.code: d for d in diagnose_sweep(bent, refit=False)}
    assert "isoflop-no-minimum" in found
    assert found["isoflop-no-minimum"].budgets == (1e20,)
    assert "isoflop-no-minimum" not in _codes(iso, refit=False)


@pytest.mark.parametrize("shift,side,extend", [(0.8, "smallest", "<"), (-0.8, "largest", ">")])
def test_isoflop_minimum_at_an_edge(shift, side, extend):
    """A grid centred 0.8 decades from the optimum (its half-width is 0.6): the minimum lies
    beyond the sizes run, and the advice adds sizes on that side."""
    iso = _shifted_sweep([0.0, 0.0, shift, 0.0])
    found = {d.code: d for d in diagnose_sweep(iso, refit=False)}
    assert list(found) == ["isoflop-edge-minimum"]
    edge = found["isoflop-edge-minimum"]
    assert edge.budgets == (1e20,)
    assert f"at the {side} size" in edge.message
    sizes = np.sort(iso.runs.n_params[iso.budget == 1e20])
    proposed = float(edge.advice.split("add N = ")[1].split(" and ")[0])
    assert (proposed < sizes[0]) if extend == "<" else (proposed > sizes[-1])


# --- grids off-centre from the fitted optimum -----------------------------------------------

def test_off_centre_grid_with_an_approach3_fit():
    """0.4 decades off at one budget: 0.67 of the half-width (0.6), beyond 0.5; the minimum is
    still bracketed, so only the off-centre check fires; the advice names the fitted N_opt."""
    iso = _shifted_sweep([0.0, 0.0, 0.4, 0.0])
    fit = _quiet_fit(iso)
    found = {d.code: d for d in diagnose_sweep(iso, fit)}
    assert list(found) == ["off-centre-grid"]
    off = found["off-centre-grid"]
    assert off.budgets == (1e20,)
    n_opt = fit.law.compute_optimal(1e20).n_params
    assert f"centre on N = {n_opt:.3g}" in off.advice
    assert "below the grid's middle" in off.message
    assert 0.4 / 0.6 > OFF_CENTRE_FRACTION


def test_off_centre_grid_with_an_approach2_fit():
    iso = _shifted_sweep([0.0, 0.0, 0.4, 0.0])
    assert "off-centre-grid" in _codes(iso, fit=fit_approach2(iso))


def test_a_slightly_off_centre_grid_passes():
    """0.2 decades off (a third of the half-width) is within the threshold."""
    assert _codes(_shifted_sweep([0.2, -0.2, 0.2, -0.2])) == []


# --- exponents the data cannot separate -----------------------------------------------------

def test_flat_profile_in_alpha():
    """Two budgets two decades apart, each with six sizes over only a factor of three: N
    spans more than a decade, yet alpha is not pinned down (seeded)."""
    narrow = simulate_isoflop_runs(TRUTH, [1e18, 1e20], sizes_per_budget=6, span=3.0,
                                   noise=0.01, seed=2, centre_error=0.0)
    found = {d.code: d for d in diagnose_sweep(narrow)}
    assert list(found) == ["flat-profile-alpha"]
    assert "95% profile interval" in found["flat-profile-alpha"].message
    assert "N <=" in found["flat-profile-alpha"].advice


def test_flat_profile_in_beta():
    narrow = simulate_isoflop_runs(TRUTH, [1e19, 3e19], sizes_per_budget=5, span=3.0,
                                   noise=0.005, seed=0, centre_error=0.0)
    assert "flat-profile-beta" in _codes(narrow)


def test_bootstrap_intervals_wider_than_the_estimate():
    narrow = simulate_isoflop_runs(TRUTH, [1e19, 3e19], sizes_per_budget=5, span=3.0,
                                   noise=0.005, seed=0, centre_error=0.0)
    fit = _quiet_fit(narrow, bootstrap=40, seed=0)
    found = {d.code: d for d in diagnose_sweep(narrow, fit)}
    assert "wide-interval-alpha" in found
    interval = fit.interval("alpha")
    assert interval.width > interval.estimate
    assert f"({interval.low:.3g}, {interval.high:.3g})" in found["wide-interval-alpha"].message


# --- the fitted law -------------------------------------------------------------------------

def test_e_above_the_lowest_loss(good):
    fit = _quiet_fit(good)
    lowest = float(good.runs.loss.min())
    law = fit.law
    raised = dataclasses.replace(fit, law=ChinchillaLaw(lowest + 0.05, law.a, law.b,
                                                        law.alpha, law.beta))
    found = {d.code: d for d in diagnose_sweep(good, raised)}
    assert list(found) == ["e-above-lowest-loss"]
    assert f"{lowest:.4g}" in found["e-above-lowest-loss"].message
    assert f"E bounded below {lowest:.4g}" in found["e-above-lowest-loss"].advice


def test_an_exponent_beyond_the_profile_grid():
    """A planted alpha of 2.5, beyond the grid's 2.0: the fit recovers it, and says that the
    search did not bracket it."""
    steep = ChinchillaLaw(1.8, 400.0 * 10 ** (9 * (2.5 - 0.34)), 1800.0, 2.5, 0.36)
    iso = simulate_isoflop_runs(steep, BUDGETS, noise=0.005, seed=0, centre_error=0.0)
    found = {d.code: d for d in diagnose_sweep(iso)}
    assert list(found) == ["fit-at-bound"]
    assert "alpha = 2.5" in found["fit-at-bound"].message


def test_e_at_its_bound():
    """Runs that never show the loss levelling off: E is fitted as 0."""
    narrow = simulate_isoflop_runs(TRUTH, [1e19, 3e19], sizes_per_budget=5, span=3.0,
                                   noise=0.005, seed=0, centre_error=0.0)
    found = {d.code: d for d in diagnose_sweep(narrow)}
    assert "at its bound 0" in found["fit-at-bound"].message


def test_a_fit_that_did_not_converge(good):
    stopped = dataclasses.replace(_quiet_fit(good), converged=False,
                                  message="max iterations reached")
    found = {d.code: d for d in diagnose_sweep(good, stopped)}
    assert list(found) == ["fit-not-converged"]
    assert "max iterations reached" in found["fit-not-converged"].message


def test_runs_that_cannot_be_fitted_still_get_the_other_checks():
    runs = Runs([1e8, 1e8, 1e8, 2e8, 2e8, 2e8], [1e9, 2e9, 4e9, 1e9, 2e9, 4e9],
                [3.0, 2.9, 2.8, 2.9, 2.8, 2.7])
    codes = _codes(runs)
    assert codes[0] == "narrow-span-n" and codes[-1] == "no-fit"
    assert _codes(runs, refit=False)[-1] != "no-fit"


# --- plain runs, grouped by compute ---------------------------------------------------------

def test_plain_runs_are_grouped_by_compute():
    iso = _shifted_sweep([0.0, 0.0, 0.8, 0.0])
    assert _codes(iso.runs, refit=False) == _codes(iso, refit=False) == ["isoflop-edge-minimum"]
    # Tokens rounded to three significant figures: still one budget each.
    rounded = Runs(iso.runs.n_params, np.array([float(f"{d:.3g}") for d in iso.runs.n_tokens]),
                   iso.runs.loss)
    assert _codes(rounded, refit=False) == ["isoflop-edge-minimum"]


def test_a_grid_of_n_and_d_is_not_taken_for_isoflop_curves():
    """N and D on grids of one ratio: the runs on each anti-diagonal share a compute, but the
    corners stand alone, so the design is no IsoFLOP sweep and gets no IsoFLOP checks."""
    runs = _grid_runs(np.geomspace(1e7, 1e9, 5), np.geomspace(1e9, 1e11, 5))
    assert np.unique(np.round(np.log10(runs.flops), 6)).size < len(runs)
    assert diagnose_sweep(runs) == []


# --- warnings, JSON and the record ----------------------------------------------------------

def test_warn_all_and_as_dicts():
    few = simulate_isoflop_runs(TRUTH, [1e19, 3e19], sizes_per_budget=3, span=3.0,
                                noise=0.005, seed=0, centre_error=0.0)
    found = diagnose_sweep(few)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warn_all(found)
    assert [w.category for w in caught] == [DiagnosisWarning] * len(found)
    assert [str(w.message) for w in caught] == [d.message + " " + d.advice for d in found]
    assert all("\n" not in str(w.message) for w in caught)
    records = json.loads(json.dumps(as_dicts(found)))
    assert [r["code"] for r in records] == [d.code for d in found]
    assert set(records[0]) == {"code", "message", "advice", "budgets"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warn_all([])


@pytest.mark.parametrize("bad", [None, "narrow-span-n", 3, [1, 2], Diagnosis("a", "b", "c")])
def test_warn_all_and_as_dicts_refuse_other_things(bad):
    with pytest.raises(ValueError, match="diagnoses must"):
        warn_all(bad)
    with pytest.raises(ValueError, match="diagnoses must"):
        as_dicts(bad)


def test_bad_arguments_are_named(good):
    with pytest.raises(ValueError, match="runs must be Runs or IsoFlopRuns"):
        diagnose_sweep([1, 2, 3])
    with pytest.raises(ValueError, match="fit must be a fit result"):
        diagnose_sweep(good, fit=TRUTH)
    with pytest.raises(ValueError, match="refit must be True or False"):
        diagnose_sweep(good, refit=1)
    with pytest.raises(TypeError, match="code must be a str"):
        Diagnosis(1, "message", "advice")
    with pytest.raises(ValueError, match="budgets"):
        Diagnosis("code", "message", "advice", (-1.0,))


def test_a_diagnosis_is_frozen():
    item = Diagnosis("code", "Message.", "Advice.", (1e19,))
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.code = "other"  # type: ignore[misc]
    assert str(item) == "Message. Advice."


def test_fit_command_prints_the_checks_as_warnings_and_lists_them_in_json(tmp_path, capsys):
    """``fit`` runs the checks on the sweep it read: each failed check is a ``warning:`` line
    with its advice on stderr, and ``--json`` lists them under ``diagnostics`` (code, message,
    advice, budgets) as well as under ``warnings``; a clean sweep lists none."""
    import json

    from chinchilla_lib import cli
    from chinchilla_lib.laws import ChinchillaLaw
    from chinchilla_lib.simulate import simulate_isoflop_runs

    truth = ChinchillaLaw(1.8, 400.0, 1800.0, 0.34, 0.36)
    narrow = simulate_isoflop_runs(truth, [1e19, 3e19], sizes_per_budget=3, span=3.0, seed=0)
    path = tmp_path / "narrow.csv"
    rows = zip(narrow.runs.n_params, narrow.runs.n_tokens, narrow.runs.loss, strict=True)
    path.write_text("N,D,loss\n" + "".join(f"{n:.17g},{d:.17g},{loss:.17g}\n"
                                        for n, d, loss in rows))
    assert cli.main(["fit", str(path), "--json"]) == 0
    out, err = capsys.readouterr()
    result = json.loads(out)
    codes = {d["code"] for d in result["diagnostics"]}
    assert {"narrow-span-n", "narrow-span-c", "too-few-sizes"} <= codes
    assert all(d["message"] in w for d in result["diagnostics"] for w in result["warnings"]
               if w.startswith(d["message"]))
    assert "Add runs at N" in err
    assert cli.main(["fit", "chinchilla_lib/experiment/data/full_sweep.csv", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["diagnostics"] == []
