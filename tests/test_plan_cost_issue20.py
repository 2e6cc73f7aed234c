"""Issue 20, the engineer's part of the usability review: ``plan --fit``, the extrapolation
warnings, the recommended fit and the loss caveat, the inference mode's training budget,
``cost`` with FLOPs or a shape and a peak throughput, ``count``'s shape, ``bnsl-fit --breaks
auto``'s documented split, and commands that load only what they use."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import warnings

import pytest

from chinchilla_lib import cli, quantities, registry
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.laws.extrapolation import (
    EXTRAPOLATION_FACTOR,
    ExtrapolationWarning,
    check_epochs,
    check_flops_range,
    epochs_checked,
    published_flops_range,
)
from chinchilla_lib.laws.inference import (
    inference_optimal_within_budget,
    saving_over_compute_optimal,
)


def _json(args: list[str], capsys) -> tuple[dict, str]:
    status = cli.main([*args, "--json"])
    out, err = capsys.readouterr()
    assert status == 0, err
    return json.loads(out), err


def _error(args: list[str], capsys) -> str:
    """Run and hold the error contract: status 2, one line on stderr."""
    status = cli.main(args)
    _, err = capsys.readouterr()
    assert status == 2 and err.startswith("error: ") and err.count("\n") == 1, err
    return err


# --- the extrapolation warnings -----------------------------------------------------------

def test_published_fits_to_hoffmanns_runs_carry_the_isoflop_range():
    span = tuple(registry.HOFFMANN_ISOFLOP_RANGE.values)
    for fit in registry.fits(family=registry.LawFamily.CHINCHILLA,
                             fitted_to="hoffmann2022training"):
        assert published_flops_range(fit.name) == span
    assert published_flops_range("muennighoff2023/base") is None


def test_check_flops_range_warns_only_beyond_the_factor_either_way():
    fitted = (1e18, 1e20)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check_flops_range(1e20 * EXTRAPOLATION_FACTOR, fitted) is None
        assert check_flops_range(1e18 / EXTRAPOLATION_FACTOR, fitted) is None
    with pytest.warns(ExtrapolationWarning, match="300 times above the largest"):
        check_flops_range(3e22, fitted, what="your fit")
    with pytest.warns(ExtrapolationWarning, match="below the smallest"):
        check_flops_range(1e15, fitted)
    with pytest.raises(ValueError, match="fitted"):
        check_flops_range(1e20, (1e20, 1e18))
    with pytest.raises(ValueError, match="factor"):
        check_flops_range(1e20, fitted, factor=0.5)


@pytest.mark.parametrize("bad", [None, "abc", True, -1.0, math.nan, math.inf, [1.0, 2.0],
                                 1j])
def test_the_checks_refuse_hostile_values_by_name(bad):
    with pytest.raises((ValueError, TypeError), match="epochs"):
        check_epochs(bad)
    with pytest.raises((ValueError, TypeError), match="flops"):
        check_flops_range(bad, (1e18, 1e20))
    with pytest.raises((ValueError, TypeError), match="fitted"):
        check_flops_range(1e20, (bad, 1e20))
    if not isinstance(bad, list):  # a list of two numbers is a range
        with pytest.raises((ValueError, TypeError), match="fitted"):
            check_flops_range(1e20, bad)
    with pytest.raises(ValueError, match="name"):
        published_flops_range(bad)


def test_epochs_bound_is_one_plus_muennighoffs_r_star_data():
    bound = epochs_checked()
    assert bound == 1.0 + registry.constant("muennighoff_r_star_data").value
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check_epochs(bound) is None
    with pytest.warns(ExtrapolationWarning, match="epochs over the unique tokens"):
        check_epochs(bound * 1.01)


def test_plan_warns_beyond_ten_times_hoffmanns_largest_budget(capsys):
    result, err = _json(["plan", "--flops", "1e24", "--law", "besiroglu"], capsys)
    plan = result["plans"]["besiroglu2024/refit"]
    assert plan["fitted_flops"] == list(registry.HOFFMANN_ISOFLOP_RANGE.values)
    assert plan["extrapolation_factor"] == pytest.approx(1e24 / 3e21)
    assert any("times above the largest compute" in w for w in result["warnings"])
    assert err.startswith("warning: ")
    result, err = _json(["plan", "--flops", "3e21", "--law", "besiroglu"], capsys)
    assert "warnings" not in result and err == ""
    assert "extrapolation_factor" not in result["plans"]["besiroglu2024/refit"]


def test_plan_warns_on_epochs_beyond_the_checked_range(capsys):
    result, _ = _json(["plan", "--flops", "3e22", "--law", "besiroglu", "--unique-tokens",
                       "1e8"], capsys)
    assert result["plans"]["besiroglu2024/refit"]["with_unique_tokens"]["epochs"] > 1e4
    assert any("epochs over the unique tokens" in w for w in result["warnings"])
    result, _ = _json(["plan", "--flops", "3e21", "--law", "besiroglu", "--unique-tokens",
                       "1e13"], capsys)
    assert "warnings" not in result


# --- the recommended fit and the loss caveat ----------------------------------------------

def test_plan_names_the_recommended_fit_first_and_notes_the_loss_units(capsys):
    result, _ = _json(["plan", "--flops", "5.76e23"], capsys)
    assert result["recommended"] == "besiroglu2024/refit"
    assert next(iter(result["plans"])) == "besiroglu2024/refit"
    assert "Approaches 1 and 2" in result["recommended_because"]
    assert any("MassiveText" in n and "nats per token" in n for n in result["notes"])
    assert any("N_opt grows as C^a" in n for n in result["notes"])
    assert cli.main(["plan", "--flops", "5.76e23"]) == 0
    out = capsys.readouterr().out
    assert "recommended                  besiroglu2024/refit" in out
    assert "\nnote: published losses are nats per token" in out


# --- plan --fit -----------------------------------------------------------------------------

def _fit_file(tmp_path, **keys) -> str:
    path = tmp_path / "fit.json"
    path.write_text(json.dumps(keys))
    return str(path)


TRUTH = {"E": 1.85, "A": 450.0, "B": 1800.0, "alpha": 0.34, "beta": 0.36}
"""The usability review's planted law."""


def test_plan_fit_plans_with_the_saved_law_and_warns_beyond_its_runs(tmp_path, capsys):
    path = _fit_file(tmp_path, **TRUTH, fitted_flops=[1e18, 1e20], a=0.5)
    result, _ = _json(["plan", "--flops", "3e22", "--fit", path], capsys)
    plan = result["plans"]["your fit"]
    best = ChinchillaLaw(*TRUTH.values()).compute_optimal(3e22)
    assert (plan["n_params"], plan["loss"]) == (best.n_params, best.loss)
    assert plan["fitted_flops"] == [1e18, 1e20]
    assert any("300 times above the largest compute (1e+20 FLOPs) of the runs your fit" in w
               for w in result["warnings"])
    assert "recommended" not in result
    assert any("your data" in n for n in result["notes"])
    no_range = _fit_file(tmp_path, **TRUTH, warnings=["N spans under a decade: add sizes"])
    result, _ = _json(["plan", "--flops", "3e22", "--fit", no_range], capsys)
    assert "warnings" not in result
    assert any("has no 'fitted_flops'" in n for n in result["notes"])
    assert any("saved with 1 warning(s)" in n and "under a decade" in n
               for n in result["notes"])


def test_plan_fit_round_trips_the_json_that_fit_prints(tmp_path):
    import numpy as np

    from chinchilla_lib.simulate.runs import simulate_isoflop_runs

    law = ChinchillaLaw(*TRUTH.values())
    iso = simulate_isoflop_runs(law, (1e18, 1e19, 1e20), noise=0.0)
    runs = tmp_path / "runs.csv"
    runs.write_text("\n".join(["N,D,loss"] + [
        f"{float(n)!r},{float(d)!r},{float(y)!r}"
        for n, d, y in zip(iso.runs.n_params, iso.runs.n_tokens, iso.runs.loss, strict=True)]))
    fitted = subprocess.run([sys.executable, "-m", "chinchilla_lib", "fit", str(runs),
                             "--json"], capture_output=True, text=True)
    assert fitted.returncode == 0, fitted.stderr
    saved = tmp_path / "fit.json"
    saved.write_text(fitted.stdout)
    planned = subprocess.run([sys.executable, "-m", "chinchilla_lib", "plan", "--flops",
                              "1e21", "--fit", str(saved), "--json"],
                             capture_output=True, text=True)
    assert planned.returncode == 0, planned.stderr
    plan = json.loads(planned.stdout)["plans"]["your fit"]
    assert plan["n_params"] == pytest.approx(law.compute_optimal(1e21).n_params, rel=0.02)
    assert np.isfinite(plan["loss"])


@pytest.mark.parametrize(("text", "match"), [
    ('{"E": 1.8}', "key 'A' is missing"),
    ('{"E": 1.8, "A": "x", "B": 1, "alpha": 0.3, "beta": 0.3}', "key 'A' must be a finite"),
    ('{"E": -1, "A": 1, "B": 1, "alpha": 0.3, "beta": 0.3}', "key 'E' must be a finite "
                                                              "number >= 0"),
    ('{"E": 1, "A": 1, "B": 1, "alpha": 0, "beta": 0.3}', "key 'alpha' must be a finite "
                                                           "number > 0"),
    ('{"E": 1, "A": 1, "B": 1, "alpha": true, "beta": 0.3}', "key 'alpha'"),
    ('{"E": 1, "A": 1, "B": 1, "alpha": 0.3, "beta": 0.3, "fitted_flops": [1e20]}',
     "key 'fitted_flops' must be"),
    ('{"E": 1, "A": 1, "B": 1, "alpha": 0.3, "beta": 0.3, "fitted_flops": [1e20, 1e18]}',
     "key 'fitted_flops' must be"),
    ("[1, 2]", "must hold a JSON object"),
    ("{not json", "not JSON (line 1"),
    ("", "not JSON"),
])
def test_plan_fit_bad_files_are_one_line_naming_the_file_and_key(tmp_path, capsys, text,
                                                                 match):
    path = tmp_path / "fit.json"
    path.write_text(text)
    for extra in ([], ["--json"]):
        err = _error(["plan", "--flops", "1e21", "--fit", str(path), *extra], capsys)
        assert "--fit" in err and "fit.json" in err and match in err, err


def test_plan_fit_missing_file_directory_and_law_together(tmp_path, capsys):
    assert "no such file" in _error(["plan", "--flops", "1e21", "--fit",
                                     str(tmp_path / "none.json")], capsys)
    assert "is a directory" in _error(["plan", "--flops", "1e21", "--fit", str(tmp_path)],
                                      capsys)
    path = _fit_file(tmp_path, **TRUTH)
    assert "alternatives" in _error(["plan", "--flops", "1e21", "--fit", path, "--law",
                                     "besiroglu"], capsys)


# --- the inference-aware mode -----------------------------------------------------------------

def test_zero_inference_tokens_save_exactly_nothing(capsys):
    law = ChinchillaLaw.from_registry("hoffmann2022/approach3")
    assert saving_over_compute_optimal(law, 3e22, 0.0).saving_fraction == 0.0
    assert saving_over_compute_optimal(law, 3e22, 0).saving_flops == 0.0
    result, _ = _json(["plan", "--flops", "3e22", "--inference-tokens", "0"], capsys)
    for plan in result["plans"].values():
        served = plan["with_inference"]
        assert served["saving_fraction"] == 0.0
        assert served["within_budget"]["saving_fraction"] == 0.0
        assert served["training_flops"] == 3e22 and served["n_params"] == plan["n_params"]


def test_inference_mode_prints_training_flops_loss_and_the_model_within_budget(capsys):
    result, _ = _json(["plan", "--flops", "3e22", "--law", "hoffmann", "--inference-tokens",
                       "1e12"], capsys)
    plan = result["plans"]["hoffmann2022/approach3"]
    served = plan["with_inference"]
    # the review's case: the cheapest model at the same loss trains beyond the budget
    assert served["training_flops_over_budget"] > 1
    assert served["training_flops"] == pytest.approx(6 * served["n_params"]
                                                     * served["n_tokens"])
    assert served["loss"] == pytest.approx(plan["loss"])
    within = served["within_budget"]
    assert within["training_flops"] == pytest.approx(3e22, rel=1e-9)
    assert within["n_params"] < served["n_params"] < plan["n_params"]
    assert within["loss"] > plan["loss"]
    assert 0 < served["saving_fraction"] < within["saving_fraction"] < 1
    assert any("2N per token served" in n for n in result["notes"])


def test_within_budget_is_the_inference_optimum_at_its_own_loss():
    from chinchilla_lib.laws.inference import inference_optimal

    law = ChinchillaLaw.from_registry("besiroglu2024/refit")
    within = inference_optimal_within_budget(law, 1e23, 5e12)
    again = inference_optimal(law, within.loss, 5e12)
    assert again.n_params == pytest.approx(within.n_params, rel=1e-6)
    assert within.training_flops == pytest.approx(1e23, rel=1e-9)
    with pytest.raises(ValueError, match="flops"):
        inference_optimal_within_budget(law, -1.0, 1e12)
    with pytest.raises(ValueError, match="inference_tokens"):
        inference_optimal_within_budget(law, 1e23, -1.0)


# --- cost -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(quantities.ACCELERATORS))
def test_cost_accelerators_use_their_registry_peak(name, capsys):
    result, _ = _json(["cost", "--flops", "1e22", "--accelerator", name.lower()], capsys)
    peak = registry.constant(quantities.ACCELERATORS[name]).value
    assert result["accelerator"] == name and result["peak_flops_per_second"] == peak
    assert result["gpu_hours"] == pytest.approx(1e22 / (peak * 0.4) / 3600)
    assert ("energy_kwh" in result) == (name in quantities.ACCELERATOR_POWER)
    assert "dense" in result["peak_kind"]


def test_cost_flops_and_shape_agree_and_peak_flops_replaces_the_accelerator(capsys):
    shape, _ = _json(["cost", "--params", "7e9", "--tokens", "2e12"], capsys)
    flops, _ = _json(["cost", "--flops", str(6 * 7e9 * 2e12)], capsys)
    assert flops["gpu_hours"] == pytest.approx(shape["gpu_hours"])
    assert "n_params" not in flops and shape["accelerator"] == "A100"
    peak = registry.constant("a100_bf16_peak_flops_per_second").value
    given, _ = _json(["cost", "--flops", "8.4e22", "--peak-flops", str(peak), "--watts",
                      "400", "--accelerators", "64"], capsys)
    assert given["gpu_hours"] == pytest.approx(flops["gpu_hours"])
    assert given["energy_kwh"] == pytest.approx(flops["energy_kwh"])
    assert given["wall_clock_days"] == pytest.approx(given["gpu_hours"] / 64 / 24)


@pytest.mark.parametrize(("args", "match"), [
    (["--flops", "1e22", "--params", "1e9", "--tokens", "1e9"], "alternatives"),
    (["--flops", "1e22", "--params", "1e9"], "alternatives"),
    (["--params", "1e9"], "--tokens is missing"),
    (["--tokens", "1e9"], "--params is missing"),
    ([], "give --flops, or both --params and --tokens"),
    (["--flops", "1e22", "--peak-flops", "1e15", "--accelerator", "H100"], "alternatives"),
    (["--flops", "1e22", "--peak-flops", "0"], "argument --peak-flops: must be > 0"),
    (["--flops", "1e22", "--accelerators", "0"], "argument --accelerators"),
])
def test_cost_exclusive_flags_are_one_line_errors(args, match, capsys):
    for extra in ([], ["--json"]):
        assert match in _error(["cost", *args, *extra], capsys)


# --- count and bnsl-fit ---------------------------------------------------------------------

def test_count_states_its_shape_and_the_norm_weights_it_leaves_out(capsys):
    shape = ["count", "--layers", "32", "--d-model", "4096", "--vocab", "32000", "--ctx",
             "4096", "--heads", "32", "--gated", "--untied"]
    result, _ = _json([*shape, "--d-ff", "11008"], capsys)
    assert result["d_ff"] == 11008 and result["d_ff_from"] == "--d-ff"
    assert result["mlp"].startswith("gated") and result["tied_embeddings"] is False
    assert result["norm_weights_not_counted"] == (2 * 32 + 1) * 4096
    result, _ = _json(shape, capsys)
    assert result["d_ff"] == 4 * 4096 and "8/3 d_model" in result["d_ff_from"]
    assert any("8/3 d_model" in w for w in result["warnings"])


def test_bnsl_fit_help_documents_the_auto_split(capsys):
    assert cli.main(["bnsl-fit", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    for phrase in ("last fifth", "lowest RMSLE", "separate from --holdout", "4 + 3n distinct"):
        assert phrase in text


# --- each command loads only what it uses ---------------------------------------------------

def test_bnsl_fit_process_loads_neither_scipy_nor_the_other_commands(tmp_path):
    x = [160.0 * 1.1**i for i in range(17)]
    y = [0.4 + 2.3 * v**-0.055 * (1 + (v / 600.0) ** (1 / 0.06)) ** (-5.7 * 0.06) for v in x]
    path = tmp_path / "points.csv"
    path.write_text("x,y\n" + "".join(f"{a!r},{b!r}\n" for a, b in zip(x, y, strict=True)))
    code = ("import sys; from chinchilla_lib.cli import main; "
            f"status = main(['bnsl-fit', {str(path)!r}, '--json']); "
            "print(sorted({m.split('.')[0] for m in sys.modules if m.startswith('scipy')} | "
            "{m for m in sys.modules if m in ('chinchilla_lib.registry', "
            "'chinchilla_lib.quantities', 'chinchilla_lib.laws.chinchilla')}), status)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    fit, loaded = done.stdout.strip().rsplit("\n", 1)
    assert json.loads(fit)["converged"] is True
    assert loaded == "[] 0"


def test_help_and_unknown_commands_still_list_every_command(capsys):
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in ("cost", "count", "models", "plan", "fit", "bnsl-fit", "experiment"):
        assert name in out
    err = _error(["plann"], capsys)
    assert "invalid choice: 'plann'" in err and "bnsl-fit" in err


def test_every_listed_command_module_adds_exactly_its_commands():
    for module in cli.COMMAND_MODULES:
        names = module.COMMANDS
        added = []

        def command(name, help_text, added=added):
            added.append(name)
            import argparse

            return argparse.ArgumentParser(prog=name)

        module.add(command)
        assert tuple(added) == names
    assert math.isfinite(EXTRAPOLATION_FACTOR) and EXTRAPOLATION_FACTOR > 1
