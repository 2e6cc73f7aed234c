"""The next runs to train (issue 20): ``experiment.design`` and the command ``design``.

The proposal stays within its budget, is never wider than the naive grid on its own
criterion, is the same for the same seed, narrows when the noise falls, and takes the runs one
has; the command prints text and JSON, and refuses bad input in one line with status 2. The
simulations are kept small (the answer's quality at the default sizes is in
``benchmarks/bench_design.py``)."""

from __future__ import annotations

import contextlib
import io
import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chinchilla_lib import cli
from chinchilla_lib.experiment.design import (
    NAIVE_DESIGN,
    ExperimentDesign,
    IsoFlopDesign,
    design_experiment,
    design_runs,
    forecast_n_opt,
)
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.quantities import FLOPS_PER_PARAM_TOKEN
from chinchilla_lib.simulate.runs import simulate_isoflop_runs

PRIOR = ChinchillaLaw.from_registry("besiroglu2024/refit")
QUICK = {"simulations": 40, "screen_simulations": 10}


def width(forecast) -> float:
    return math.log(forecast.high / forecast.low)


@pytest.fixture(scope="module")
def proposal() -> ExperimentDesign:
    return design_experiment(1e21, 1e24, seed=3, **QUICK)


def test_the_proposal_stays_within_the_budget(proposal):
    spent = FLOPS_PER_PARAM_TOKEN * proposal.n_params * proposal.n_tokens
    assert proposal.total_flops == pytest.approx(spent.sum())
    assert proposal.total_flops <= 1e21
    assert proposal.naive_total_flops <= 1e21
    assert proposal.total_flops > 0.99e21  # the budget is spent, not left over
    np.testing.assert_allclose(spent, proposal.flops, rtol=1e-12)  # each run at its budget
    assert proposal.n_params.size == proposal.design.budgets * proposal.design.sizes_per_budget


def test_the_proposal_is_never_wider_than_the_naive_grid(proposal):
    assert width(proposal.forecast) <= width(proposal.naive_forecast)
    assert proposal.forecast.low < proposal.forecast.n_opt < proposal.forecast.high
    assert proposal.forecast.factor == pytest.approx(
        math.sqrt(proposal.forecast.high / proposal.forecast.low))
    assert proposal.forecast.n_opt == pytest.approx(PRIOR.compute_optimal(1e24).n_params)


def test_the_proposal_keeps_to_the_sizes_the_prior_was_fitted_on(proposal):
    assert proposal.n_params.min() >= 70e6 * (1 - 1e-12)
    assert proposal.n_tokens.min() >= 5e9 * (1 - 1e-9)
    assert len(proposal.screened) > 50  # the family was searched
    assert [w for _, w in proposal.screened] == sorted(w for _, w in proposal.screened)


def test_the_same_seed_gives_the_same_proposal(proposal):
    again = design_experiment(1e21, 1e24, seed=3, **QUICK)
    assert again.design == proposal.design
    np.testing.assert_array_equal(again.n_params, proposal.n_params)
    assert again.forecast == proposal.forecast
    assert again.naive_forecast == proposal.naive_forecast


def test_less_noise_gives_a_narrower_interval_and_none_gives_the_truth():
    _, n, d = design_runs(NAIVE_DESIGN, 1e22, PRIOR, min_params=70e6, min_tokens=5e9)
    forecasts = [forecast_n_opt(PRIOR, n, d, 1e24, noise=noise, simulations=40, seed=1)
                 for noise in (0.02, 0.005, 0.0)]
    assert width(forecasts[0]) > width(forecasts[1]) > width(forecasts[2])
    exact = forecasts[2]
    assert exact.low == pytest.approx(exact.n_opt, rel=1e-3)
    assert exact.high == pytest.approx(exact.n_opt, rel=1e-3)
    assert exact.failed == 0


def test_design_runs_lay_out_the_family_member():
    design = IsoFlopDesign(4, 2.0, 5, 0.5)
    c, n, d = design_runs(design, 1e22, PRIOR, min_params=1.0, min_tokens=1.0)
    budgets = np.unique(c)
    assert budgets.size == 4
    assert budgets.max() / budgets.min() == pytest.approx(100.0)
    assert (FLOPS_PER_PARAM_TOKEN * n * d).sum() <= 1e22
    for budget in budgets:  # centred on N_opt, +/- half a decade
        sizes = n[c == budget]
        centre = PRIOR.compute_optimal(budget).n_params
        assert sizes.min() == pytest.approx(centre / 10**0.5)
        assert sizes.max() == pytest.approx(centre * 10**0.5)


def test_runs_given_set_the_law_and_count_toward_the_fit():
    truth = ChinchillaLaw(1.8, 400.0, 1800.0, 0.34, 0.36)
    runs = simulate_isoflop_runs(truth, [1e18, 1e19, 1e20], sizes_per_budget=5, noise=0.01,
                                 seed=2)
    result = design_experiment(1e21, 1e24, runs=runs, seed=0, **QUICK)
    assert result.existing_runs == 15
    assert "15 runs" in result.law_source
    assert 0.003 < result.noise < 0.05  # the runs' residual scale
    assert result.n_params.min() >= runs.runs.n_params.min() * (1 - 1e-12)
    assert width(result.forecast) <= width(result.naive_forecast)
    assert result.total_flops <= 1e21


@pytest.mark.parametrize("kwargs,name", [
    ({"budget": 0.0}, "budget"), ({"budget": -1e21}, "budget"), ({"budget": math.nan}, "budget"),
    ({"target": 0.0}, "target"), ({"target": math.inf}, "target"),
    ({"budget": 1e19}, "budget"),  # too small to train the prior's smallest model enough
    ({"noise": -0.1}, "noise"), ({"seed": -1}, "seed"), ({"simulations": 5}, "simulations"),
    ({"simulations": 10**6}, "simulations"),
])
def test_bad_arguments_are_refused_by_name(kwargs, name):
    arguments = {"budget": 1e21, "target": 1e24, **QUICK, **kwargs}
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        design_experiment(arguments.pop("budget"), arguments.pop("target"), **arguments)


def test_a_budget_too_small_names_the_smallest_trainable_run():
    with pytest.raises(ValueError, match=r"budget 1e\+19 FLOPs is too small.*7e\+07 parameters"):
        design_experiment(1e19, 1e24, **QUICK)
    with pytest.raises(ValueError, match="budget 1e-06 FLOPs"):
        design_runs(NAIVE_DESIGN, 1e-6, PRIOR, min_params=70e6, min_tokens=5e9)


def test_the_family_member_checks_its_fields():
    for fields, name in (((1, 1.0, 3, 0.5), "budgets"), ((3, 0.0, 3, 0.5), "span_decades"),
                         ((3, 1.0, 2, 0.5), "sizes_per_budget"),
                         ((3, 1.0, 3, -1.0), "width_decades")):
        with pytest.raises(ValueError, match=name):
            IsoFlopDesign(*fields)


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(argv)
    return status, out.getvalue(), err.getvalue()


def test_command_json_and_text():
    status, out, err = run(["design", "--budget", "1e21", "--target", "1e24",
                            "--simulations", "10", "--json"])
    assert status == 0, err
    result = json.loads(out)
    proposal, naive = result["proposal"], result["naive"]
    assert proposal["total_flops"] <= 1e21 and naive["total_flops"] <= 1e21
    assert {"budget", "N", "D"} == set(proposal["runs"][0])
    assert len(proposal["runs"]) == proposal["budgets"] * proposal["sizes_per_budget"]
    assert proposal["n_opt_interval"]["factor"] <= naive["n_opt_interval"]["factor"]
    assert result["interval_level"] == 0.95 and result["simulations"] == 10
    assert any("Approach 3" in a for a in result["assumptions"])
    assert 1 <= len(result["screened_best"]) <= 5
    status, text, _ = run(["design", "--budget", "1e21", "--target", "1e24",
                           "--simulations", "10"])
    assert status == 0
    assert "proposal" in text and "naive grid" in text and "either way" in text
    assert text.count("\n") > len(proposal["runs"])


def test_command_reads_runs(tmp_path):
    truth = ChinchillaLaw(1.8, 400.0, 1800.0, 0.34, 0.36)
    runs = simulate_isoflop_runs(truth, [1e18, 1e19, 1e20], sizes_per_budget=5, noise=0.01,
                                 seed=4).runs
    path = tmp_path / "runs.csv"
    path.write_text("N,D,loss\n" + "".join(f"{n:.17g},{d:.17g},{x:.17g}\n" for n, d, x in
                                            zip(runs.n_params, runs.n_tokens, runs.loss,
                                                strict=True)))
    status, out, err = run(["design", "--budget", "1e21", "--target", "1e24", "--runs",
                            str(path), "--simulations", "10", "--json"])
    assert status == 0, err
    assert json.loads(out)["existing_runs"] == 15


@pytest.mark.parametrize("args", [
    ["--budget", "0", "--target", "1e24"], ["--budget", "1e21", "--target", "-1"],
    ["--budget", "nan", "--target", "1e24"], ["--budget", "1e19", "--target", "1e24"],
    ["--target", "1e24"], ["--budget", "1e21"],
    ["--budget", "1e21", "--target", "1e24", "--simulations", "5"],
    ["--budget", "1e21", "--target", "1e24", "--noise", "-1"],
    ["--budget", "1e21", "--target", "1e24", "--runs", "/no/such/file.csv"],
    ["--budget", "1e300", "--target", "1e24", "--simulations", "10"],
])
def test_command_bad_input_is_one_line_and_exit_2(args):
    for extra in ([], ["--json"]):
        status, out, err = run(["design", *args, *extra])
        assert status == 2
        assert err.startswith("error: ") and err.count("\n") == 1
        if extra:
            assert json.loads(out) == {"error": err[len("error: "):-1]}
        else:
            assert out == ""


def test_command_names_the_flag_when_the_budget_is_too_small():
    _, _, err = run(["design", "--budget", "1e19", "--target", "1e24"])
    assert err.startswith("error: --budget 1e+19 FLOPs is too small")


def test_command_names_the_file_of_bad_runs(tmp_path):
    path = tmp_path / "flat.csv"
    path.write_text("N,D,loss\n" + "".join(f"{n},{1e9 * (i + 1)},3.0\n"
                                           for i, n in enumerate([1e8, 2e8, 4e8, 8e8, 1.6e9])))
    status, _, err = run(["design", "--budget", "1e21", "--target", "1e24", "--runs", str(path)])
    assert status == 2 and str(path) in err


JUNK = st.sampled_from(["-1", "nan", "inf", "-inf", "abc", "", "1e309", "-0.5", "1,5",
                        "0x10", "9" * 400, "--json"])
"""Values no flag of ``design`` takes."""


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(flag=st.sampled_from(["--budget", "--target", "--noise", "--simulations", "--seed"]),
       value=JUNK, as_json=st.booleans())
def test_fuzz_junk_flags_hold_the_contract(flag, value, as_json):
    argv = ["design", "--budget", "1e21", "--target", "1e24", flag, value]
    argv += ["--json"] if as_json else []
    status, out, err = run(argv)
    assert status == 2, (argv, out)
    assert err.startswith("error: ") and err.count("\n") == 1
    if as_json:
        assert json.loads(out) == {"error": err[len("error: "):-1]}


# --- hostile arguments ------------------------------------------------------------------------

from tests.test_fuzz_library import HOSTILE, LEAKS  # noqa: E402

VALID_ARGUMENTS = {
    "design": NAIVE_DESIGN, "budget": 1e22, "law": PRIOR, "min_params": 7e7, "min_tokens": 5e9,
    "target": 1e25, "noise": 0.01, "simulations": 10, "screen_simulations": 10, "seed": 0,
    "runs": None, "level": 0.9, "budgets": 3, "span_decades": 1.0, "sizes_per_budget": 3,
    "width_decades": 0.5,
}
VALID_ARGUMENTS["n_params"], VALID_ARGUMENTS["n_tokens"] = design_runs(
    NAIVE_DESIGN, 1e22, PRIOR, min_params=7e7, min_tokens=5e9)[1:]
CALLABLES = {"design_runs": design_runs, "forecast_n_opt": forecast_n_opt,
             "IsoFlopDesign": IsoFlopDesign, "design_experiment": design_experiment}


@pytest.mark.parametrize("name", sorted(CALLABLES))
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_hostile_arguments_raise_a_named_error_or_give_a_finite_result(name, data):
    """Each public callable with one argument hostile and the rest valid: a ValueError or
    TypeError in the library's words, or a finite result."""
    import inspect
    import warnings

    from chinchilla_lib._validation import _all_finite

    func = CALLABLES[name]
    parameters = list(inspect.signature(func).parameters.values())
    hostile = data.draw(st.sampled_from([p.name for p in parameters]), label="hostile")
    value = data.draw(st.sampled_from(HOSTILE), label=hostile)
    kwargs = {p.name: value if p.name == hostile else VALID_ARGUMENTS[p.name]
              for p in parameters}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            result = func(**kwargs)
        except (ValueError, TypeError) as error:
            assert not [p for p in LEAKS if p in str(error)], (name, hostile, str(error))
            return
    assert _all_finite(result), (name, hostile, value, result)
