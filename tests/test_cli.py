"""The command line, run as an engineer would."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from chinchilla_lib import cli


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "chinchilla_lib", *args],
                          capture_output=True, text=True)


def test_cost_json():
    done = run("cost", "--params", "70e9", "--tokens", "1.4e12", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["training_flops"] == pytest.approx(5.88e23)
    assert result["tokens_per_parameter"] == pytest.approx(20)
    assert result["energy_kwh"] == pytest.approx(result["gpu_hours"] * 400 / 1000)
    assert "dollars" not in result  # no price is assumed


def test_cost_reports_energy_and_dollars_at_the_stated_power_and_price(capsys):
    assert cli.main(["cost", "--params", "7e9", "--tokens", "2e12", "--accelerator", "H100",
                     "--usd-per-hour", "2.5", "--watts", "1000", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["watts_per_accelerator"] == 1000
    assert result["energy_kwh"] == pytest.approx(result["gpu_hours"])
    assert result["dollars"] == pytest.approx(2.5 * result["gpu_hours"])
    assert cli.main(["cost", "--params", "7e9", "--tokens", "2e12", "--accelerator", "H100"]) == 0
    assert "watts_per_accelerator        700" in capsys.readouterr().out


def test_count_and_models(capsys):
    assert cli.main(["count", "--layers", "96", "--d-model", "12288", "--vocab", "50257",
                     "--ctx", "2048", "--heads", "96", "--learned-positions", "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert counts["total_params"] == pytest.approx(175e9, rel=0.005)
    assert cli.main(["models"]) == 0
    assert "Chinchilla" in capsys.readouterr().out


@pytest.mark.parametrize("args", [
    ["cost", "--params", "-1", "--tokens", "1e9"],
    ["cost", "--params", "nan", "--tokens", "1e9"],
    ["cost", "--params", "1e9", "--tokens", "1e9", "--utilisation", "1.5"],
    ["cost", "--params", "1e9", "--tokens", "1e9", "--usd-per-hour", "-2"],
    ["cost", "--params", "1e9", "--tokens", "1e9", "--watts", "0"],
    ["count", "--layers", "0", "--d-model", "64", "--vocab", "10", "--ctx", "8"],
])
def test_bad_input_is_one_line_and_exit_2(args, capsys):
    assert cli.main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err


def test_plan_json_all_laws():
    done = run("plan", "--flops", "5.76e23", "--json")
    assert done.returncode == 0, done.stderr
    plans = json.loads(done.stdout)["plans"]
    assert set(plans) == {"hoffmann2022/approach3", "hoffmann2022/approach3 unrounded",
                          "besiroglu2024/refit"}
    assert plans["besiroglu2024/refit"]["tokens_per_parameter"] == pytest.approx(18.3, abs=0.5)


def test_plan_takes_any_chinchilla_form_fit_by_its_registry_name():
    done = run("plan", "--flops", "1e21", "--law", "kumar2024/base", "--json")
    assert done.returncode == 0, done.stderr
    assert set(json.loads(done.stdout)["plans"]) == {"kumar2024/base"}


def test_plan_bad_law(capsys):
    assert cli.main(["plan", "--flops", "1e21", "--law", "nope"]) == 2
    assert "--law must be one of" in capsys.readouterr().err


def test_fit_json(tmp_path):
    import numpy as np

    from chinchilla_lib import registry
    from chinchilla_lib.laws.chinchilla import ChinchillaLaw
    from chinchilla_lib.simulate.runs import simulate_isoflop_runs

    iso = simulate_isoflop_runs(ChinchillaLaw.from_registry("besiroglu2024/refit"),
                                registry.HOFFMANN_ISOFLOP_BUDGETS, noise=0.0)
    path = tmp_path / "runs.csv"
    lines = ["N,D,loss"] + [f"{float(n)!r},{float(d)!r},{float(y)!r}" for n, d, y in
                            zip(iso.runs.n_params, iso.runs.n_tokens, iso.runs.loss, strict=True)]
    path.write_text("\n".join(lines))
    done = run("fit", str(path), "--bootstrap", "20", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    for key in ("E", "A", "B", "alpha", "beta", "objective"):
        assert key in result
    assert result["alpha"] == pytest.approx(0.34781, rel=1e-4)
    assert np.isfinite(result["a_interval"]).all()
    assert result["a_interval"][0] <= result["a"] <= result["a_interval"][1]
    assert result["converged"] is True and result["solver_message"]


@pytest.mark.parametrize("content", ["N,loss\n1,2\n", "N,D,loss\n1,2,3\n"])
def test_fit_bad_file_exit_2(tmp_path, content):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    done = run("fit", str(path))
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1


def test_plan_with_inference_and_unique_tokens():
    done = run("plan", "--flops", "5.76e23", "--law", "besiroglu", "--inference-tokens", "2e12",
               "--unique-tokens", "2e11", "--json")
    assert done.returncode == 0, done.stderr
    plan = json.loads(done.stdout)["plans"]["besiroglu2024/refit"]
    assert plan["with_inference"]["n_params"] < plan["n_params"]
    assert 0 < plan["with_inference"]["saving_fraction"] < 1
    assert plan["with_unique_tokens"]["loss"] > plan["loss"]
    assert plan["with_unique_tokens"]["epochs"] > 1


def test_plan_limits_match_the_plain_plan():
    done = run("plan", "--flops", "1e22", "--law", "hoffmann", "--inference-tokens", "0",
               "--unique-tokens", "1e16", "--json")
    plan = json.loads(done.stdout)["plans"]["hoffmann2022/approach3"]
    assert plan["with_inference"]["n_params"] == pytest.approx(plan["n_params"], rel=1e-4)
    assert plan["with_unique_tokens"]["n_params"] == pytest.approx(plan["n_params"], rel=1e-4)


@pytest.mark.parametrize("args", [["--inference-tokens", "-1"], ["--unique-tokens", "0"]])
def test_plan_bad_options(args, capsys):
    assert cli.main(["plan", "--flops", "1e21", *args]) == 2
    assert "must be" in capsys.readouterr().err


def test_bnsl_fit_json(tmp_path):
    import numpy as np

    from chinchilla_lib.laws.bnsl import Break, BrokenPowerLaw

    law = BrokenPowerLaw(0.4, 2.3, 0.055, (Break(5.7, 612.8, 0.06),))
    x = np.geomspace(100, 1200, 22)
    path = tmp_path / "curve.csv"
    path.write_text("x,y\n" + "\n".join(f"{float(a)!r},{float(law(a))!r}" for a in x))
    done = run("bnsl-fit", str(path), "--breaks", "1", "--holdout", "3", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["breaks"] == 1 and result["holdout_rmsle"] < 1e-4
    assert {"a", "b", "c0", "train_rmsle", "break_parameters", "converged"} <= set(result)


def test_bnsl_fit_reads_a_script_of_the_authors_layout(tmp_path):
    import numpy as np

    from chinchilla_lib.laws.bnsl import Break, BrokenPowerLaw

    law = BrokenPowerLaw(0.4, 2.3, 0.055, (Break(5.7, 612.8, 0.06),))
    x = np.arange(160, 960, 48)
    path = tmp_path / "fit_bnsl_synthetic.py"
    path.write_text("import numpy as np\nimport not_a_module\n\n"
                    f"x = np.array([{', '.join(str(int(v)) for v in x)}])\n\n"
                    f"y = np.array([{', '.join(f'{float(law(float(v))):.8f}' for v in x)}])\n")
    done = run("bnsl-fit", str(path), "--breaks", "auto", "--holdout", "3", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["form"].startswith("y = a + b x^-c0")
    assert "last 2 of the 14 fitted points" in result["breaks_chosen_by"]


def test_plan_hyperparameters_json_all_laws_with_their_sources():
    done = run("plan", "--flops", "1e24", "--hyperparameters", "all", "--context", "4096",
               "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    hyper = result["hyperparameters"]
    assert hyper["context"] == 4096 and hyper["allocation"] == "hoffmann2022/approach3"
    plan = result["plans"]["hoffmann2022/approach3"]
    assert (hyper["n_params"], hyper["n_tokens"]) == (plan["n_params"], plan["n_tokens"])
    assert set(hyper) >= {"deepseek", "steplaw", "porian", "kaplan"}
    deepseek = hyper["deepseek"]
    assert deepseek["learning_rate"] == pytest.approx(0.3118e-3)  # 0.3118 (1e24)^-0.125
    assert deepseek["batch_tokens"] == pytest.approx(0.2920 * 1e24**0.3271)
    assert deepseek["batch_sequences"] == pytest.approx(deepseek["batch_tokens"] / 4096)
    assert "bi2024/lr(C)" in deepseek["source"] and "second-hand" in deepseek["source"]
    step = hyper["steplaw"]
    assert step["batch_tokens"] == pytest.approx(0.58 * plan["n_tokens"]**0.571)
    assert step["learning_rate"] == pytest.approx(
        1.79 * plan["n_params"]**-0.713 * plan["n_tokens"]**0.307)
    assert "learning_rate" not in hyper["kaplan"] and hyper["kaplan"]["learning_rate_note"]


def test_plan_hyperparameters_one_law_follows_law_and_reads_any_case(capsys):
    assert cli.main(["plan", "--flops", "1e21", "--law", "besiroglu", "--hyperparameters",
                     "StepLaw", "--json"]) == 0
    hyper = json.loads(capsys.readouterr().out)["hyperparameters"]
    assert hyper["allocation"] == "besiroglu2024/refit" and hyper["context"] == 2048
    assert "steplaw" in hyper and "deepseek" not in hyper


def test_plan_hyperparameters_text(capsys):
    assert cli.main(["plan", "--flops", "1e21", "--hyperparameters", "deepseek"]) == 0
    out = capsys.readouterr().out
    assert "hyperparameters:" in out and "batch_sequences" in out and "bi2024/B(C)" in out


@pytest.mark.parametrize(("args", "match"), [
    (["--hyperparameters", "chinchilla"], "argument --hyperparameters: must be one of "
                                          "deepseek, steplaw, porian, kaplan or all"),
    (["--hyperparameters", "all", "--context", "0"], "argument --context: must be an integer"),
    (["--hyperparameters", "all", "--context", "2.5"], "argument --context: must be an integer"),
    (["--context", "4096"], "--context needs --hyperparameters"),
])
def test_plan_hyperparameters_bad_input_is_one_line_and_exit_2(args, match, capsys):
    for extra in ([], ["--json"]):
        status, _, err = contract(["plan", "--flops", "1e21", *args, *extra], capsys)
        assert status == 2 and match in err


def contract(args: list[str], capsys) -> tuple[int, str, str]:
    """Run in-process; on failure, hold the error contract (one stderr line, status 2, and a
    JSON error object with ``--json``)."""
    status = cli.main(args)
    out, err = capsys.readouterr()
    if status == 2:
        assert err.startswith("error: ") and err.count("\n") == 1, err
        if "--json" in args:
            assert json.loads(out) == {"error": err[len("error: "):].rstrip("\n")}
    return status, out, err


@pytest.mark.parametrize(("args", "match"), [
    (["cost", "--params", "abc", "--tokens", "1e9"], "argument --params: must be a number > 0"),
    (["cost", "--params", "1e9", "--tokens", "1e9", "--accelerator", "B200"],
     "argument --accelerator: must be one of A100, H100, H200, TPUv4, TPUv5e, TPUv5p (any "
     "case); got 'B200'"),
    (["plan", "--flops", "abc"], "argument --flops: must be a number > 0; got 'abc'"),
    (["plan"], "the following arguments are required: --flops"),
    (["nope"], "invalid choice: 'nope'"),
    ([], "the following arguments are required: COMMAND"),
    (["models", "--bogus"], "unrecognized arguments: --bogus"),
    (["fit", "runs.csv", "--seed", "-1"], "argument --seed: must be an integer in [0, "),
    (["fit", "runs.csv", "--drop-highest", "-1"], "argument --drop-highest: must be an integer"),
    (["fit", "runs.csv", "--bootstrap", "1e9"],
     "argument --bootstrap: must be an integer in [0, 10,000]; got '1e9'"),
    (["count", "--layers", "9" * 400, "--d-model", "64", "--vocab", "10", "--ctx", "8"],
     "argument --layers: must be an integer in [1, 1,000,000,000]"),
    (["count", "--layers", "2", "--d-model", "64", "--vocab", "10", "--ctx", "8", "--heads",
      "5"], "--heads must divide --d-model (64)"),
    (["bnsl-fit", "x.csv", "--breaks", "many"], "argument --breaks: must be 0, 1, 2, 3 or 'auto'"),
])
@pytest.mark.parametrize("as_json", [False, True])
def test_review_argparse_errors_and_flags_are_one_line_naming_the_flag(args, match, as_json,
                                                                        capsys):
    """Review rows: argparse errors printed the usage block (2-8 lines); negative ``--seed``
    and ``--drop-highest`` were not named; ``fit --bootstrap 1e9`` ran out of memory;
    integers beyond float range gave an OverflowError traceback."""
    status, _, err = contract([*args, *(["--json"] if as_json and args else [])], capsys)
    assert status == 2 and match in err


def test_review_lowercase_accelerator_is_accepted(capsys):
    """Review row: ``--accelerator h100`` was refused."""
    assert cli.main(["cost", "--params", "7e9", "--tokens", "2e12", "--accelerator", "h100",
                     "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["accelerator"] == "H100"


@pytest.mark.parametrize(("args", "match"), [
    (["plan", "--flops", "1e21", "--inference-tokens", "1e300"], "--inference-tokens 1e+300"),
    (["plan", "--flops", "1e21", "--unique-tokens", "1e-320"], "--unique-tokens"),
    (["cost", "--params", "1e200", "--tokens", "1e200"],
     "--params 1e+200 and --tokens 1e+200: no finite training compute 6ND"),
    (["cost", "--params", "1e12", "--tokens", "1e13", "--utilisation", "1e-300"],
     "at --utilisation 1e-300: no finite count of accelerator-hours"),
    (["cost", "--params", "1e-300", "--tokens", "1e200"],
     "--params 1e-300 and --tokens 1e+200: no finite"),
    (["cost", "--params", "1e12", "--tokens", "1e13", "--watts", "1e307", "--usd-per-hour", "1"],
     "--watts 1e+307: no finite"),
])
def test_review_results_beyond_float_range_are_errors_naming_the_flag(args, match, capsys):
    """Review rows: ``plan`` with absurd ``--inference-tokens``/``--unique-tokens`` printed
    inf/nan (``--json`` wrote Infinity/NaN); ``cost`` whose 6ND overflows leaked a
    RuntimeWarning (three stderr lines)."""
    for extra in ([], ["--json"]):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # nothing may leak as a warning either
            status, out, err = contract([*args, *extra], capsys)
        assert status == 2 and match in err
        assert "NaN" not in out and "Infinity" not in out


def test_review_argparse_help_still_prints(capsys):
    assert cli.main(["fit", "--help"]) == 0
    out = capsys.readouterr().out
    assert "errors and exit status" in out and "10,000 data rows" in out


def test_review_warnings_about_the_data_are_reported_not_hidden(capsys, monkeypatch):
    """A warning raised while computing prints as one ``warning:`` line on stderr and under
    ``warnings`` with ``--json`` (once, however often raised); NumPy's floating-point notes
    (a plain RuntimeWarning) do not, and the numbers stay on stdout."""
    class DataWarning(RuntimeWarning):
        pass

    def warn(args):
        for _ in range(2):
            warnings.warn("the data cannot determine E\nsecond line", UserWarning, stacklevel=1)
        warnings.warn("overflow encountered in exp", RuntimeWarning, stacklevel=1)
        warnings.warn("one model size only", DataWarning, stacklevel=1)
        return {"value": 1.0}

    monkeypatch.setattr(cli.cost, "_models", warn)  # the command module that runs `models`
    assert cli.main(["models", "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == ("warning: the data cannot determine E second line\n"
                   "warning: one model size only\n")
    assert json.loads(out) == {"value": 1.0, "warnings": [
        "the data cannot determine E second line", "one model size only"]}


def test_review_closed_pipe_ends_quietly():
    """Review row (error contract): ``... | head -1`` must not end in a traceback."""
    process = subprocess.Popen([sys.executable, "-m", "chinchilla_lib", "models"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # the reader leaves before anything is written
    err = process.stderr.read()
    process.stderr.close()
    assert process.wait() == 1
    assert err == b""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["models"], ["models", "--json"], ["fit", "--help"]])
def test_review_full_disk_is_one_line_not_a_traceback(args):
    """Review row: ``models > /dev/full`` gave an OSError traceback."""
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "chinchilla_lib", *args], stdout=full,
                              stderr=subprocess.PIPE, text=True)
    assert done.returncode == 1
    assert done.stderr == "error: cannot write the output: No space left on device\n"


@pytest.mark.parametrize(("content", "args"), [
    ("u,v\n1,2\n", []), ("x,y\n1,a\n", []), ("x,y\n" + "1,2\n" * 8, ["--holdout", "9"]),
    ("x,y\n" + "\n".join(f"{i},{1 / i}" for i in range(1, 12)), ["--breaks", "many"]),
])
def test_bnsl_fit_bad_input_exit_2(tmp_path, content, args):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    done = run("bnsl-fit", str(path), *args)
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1


@pytest.mark.parametrize("value", ["-1e9", "-1E+9", "-2.5e-3"])
def test_a_negative_number_in_scientific_notation_is_refused_by_its_flag(value):
    """Usability row: ``cost --params -1e9`` named a missing argument, not the bad value."""
    done = run("cost", "--params", value, "--tokens", "1e12")
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: argument --params: must be > 0; got '{value}'")


@pytest.mark.parametrize(("rows", "args", "held"), [
    (2, [], ""), (9, ["--holdout", "4"], " (less the last 4 held out by --holdout)")])
def test_bnsl_fit_too_few_points_names_the_file(tmp_path, rows, args, held):
    """Usability row: a fit refused for too few points names the file it read."""
    path = tmp_path / "few.csv"
    path.write_text("x,y\n" + "".join(f"{i},{1 / i}\n" for i in range(1, rows + 1)))
    done = run("bnsl-fit", str(path), *args)
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {path}{held}: x must have at least")


def test_review_undetermined_parameters_reach_the_output(tmp_path, capsys, monkeypatch):
    """Review rows (degenerate data): when a fit names parameters the data do not pin down,
    ``fit --json`` lists them under ``undetermined`` beside the warning on stderr."""

    from chinchilla_lib.fitting import approach3

    real = approach3.fit_approach3

    def marked(*args, **kwargs):
        warnings.warn("E is not determined by these runs", UserWarning, stacklevel=1)
        return dataclasses.replace(real(*args, **kwargs), undetermined={"E": "at the bound 0"})

    monkeypatch.setattr(approach3, "fit_approach3", marked)
    path = tmp_path / "runs.csv"
    path.write_text("N,D,loss\n" + "\n".join(
        f"{n:g},{d:g},{1.7 + 406 / n ** 0.34 + 411 / d ** 0.28:.6f}"
        for n in (1e8, 3e8, 1e9, 3e9) for d in (2e9, 6e9, 2e10)))
    assert cli.main(["fit", str(path), "--json"]) == 0
    out, err = capsys.readouterr()
    result = json.loads(out)
    assert result["undetermined"] == {"E": "at the bound 0"}
    assert result["warnings"] == ["E is not determined by these runs"]
    assert err == "warning: E is not determined by these runs\n"


_BLAS_PROBE = """
import ctypes, json, os, sys
from chinchilla_lib import cli
sys.argv = ["chinchilla", "models", "--json"]
status = cli.main()
import scipy.linalg  # SciPy's OpenBLAS loads now, as at a command's first fit
libraries = [line.split()[-1] for line in open("/proc/self/maps")
             if "scipy.libs" in line and "openblas" in line]
threads = None
if libraries:
    get = getattr(ctypes.CDLL(libraries[0]), "scipy_openblas_get_num_threads", None)
    threads = None if get is None else get()
sys.stderr.write(json.dumps({"status": status, "threads": threads,
                             "env": {k: os.environ.get(k) for k in cli.BLAS_THREAD_VARIABLES}}))
"""


def _blas_probe(**env: str) -> dict:
    import os

    clean = {k: v for k, v in os.environ.items() if k not in cli.BLAS_THREAD_VARIABLES}
    done = subprocess.run([sys.executable, "-c", _BLAS_PROBE], capture_output=True, text=True,
                          env={**clean, **env})
    return json.loads(done.stderr)


def test_bnsl_auto_slow_on_busy_cores_command_line_runs_blas_on_one_thread():
    """Issue 16 (``bnsl-fit --breaks auto`` on 2,000 points took 33 s on two busy cores):
    run as a program, the command line asks the BLAS libraries for one thread before SciPy's
    loads, and SciPy's OpenBLAS (which takes the solver's SVDs) does run on one thread."""
    probe = _blas_probe()
    assert probe["status"] == 0
    assert probe["env"] == dict.fromkeys(cli.BLAS_THREAD_VARIABLES, "1")
    if probe["threads"] is not None:  # SciPy built on its own OpenBLAS, as from PyPI
        assert probe["threads"] == 1


def test_bnsl_auto_slow_on_busy_cores_the_users_thread_setting_wins(monkeypatch, capsys):
    """Issue 16: a number of threads the user has set (in any of the variables) is left
    alone, and ``main(argv)`` called from Python does not touch the environment."""
    probe = _blas_probe(OMP_NUM_THREADS="2")
    assert probe["env"] == {"OPENBLAS_NUM_THREADS": None, "OMP_NUM_THREADS": "2",
                            "MKL_NUM_THREADS": None}
    for name in cli.BLAS_THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    assert cli.main(["models"]) == 0
    capsys.readouterr()
    import os

    assert not any(name in os.environ for name in cli.BLAS_THREAD_VARIABLES)


def _points(path: Path, x: list[float]) -> str:
    path.write_text("x,y\n" + "\n".join(f"{v:g},{1 + 2 * v ** -0.5:.8f}" for v in x) + "\n")
    return str(path)


@pytest.mark.parametrize(("x", "said"), [
    ([10.0 * 1.5 ** i for i in range(6)],
     "too few points for a break: 6 fitted points, at least 8 needed (7 to fit one break, 1 "
     "held out to judge it); fitted without a break"),
    ([float(v) for v in (1, 1, 2, 2, 3, 3, 4, 4, 5, 5)],
     "too few distinct x for a break: 4 distinct values of x before the last 2 of the 10 "
     "fitted points, at least 7 needed; fitted without a break"),
    ([10.0 * 1.5 ** i for i in range(8)],
     "held-out RMSLE on the last 1 of the 8 fitted points (a split inside the fitted points, "
     "separate from --holdout)"),
])
def test_review_bnsl_auto_on_fewer_than_10_points_says_why_no_break(tmp_path, capsys, x, said):
    """Review row "``--breaks auto`` on fewer than 10 points" (and usability U1.9, the hidden
    split): with too few points, or too few distinct x, for a break, ``breaks_chosen_by`` says
    so in words, with the counts, instead of naming a held-out comparison that never ran."""
    path = _points(tmp_path / "few.csv", x)
    assert cli.main(["bnsl-fit", path, "--breaks", "auto", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["breaks_chosen_by"] == said
    if said.startswith("too few"):
        assert result["breaks"] == 0
    args = ["bnsl-fit", _points(tmp_path / "more.csv", x + [x[-1] * 2]), "--breaks", "auto",
            "--holdout", "1", "--json"]
    assert cli.main(args) == 0  # --holdout leaves the same fitted points: the same words
    assert json.loads(capsys.readouterr().out)["breaks_chosen_by"] == said


@pytest.mark.parametrize("law", ["Besiroglu", "HOFFMANN", " hoffmann2022/Approach3 "])
def test_usability_u1_10_law_is_not_case_sensitive(law, capsys):
    """Usability review U1.10: ``--law`` was case-sensitive."""
    assert cli.main(["plan", "--flops", "1e21", "--law", law, "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["plans"]) == 1


def test_usability_u1_10_kv_heads_without_heads_names_the_missing_flag(capsys):
    """Usability review U1.10: ``--kv-heads 8`` without ``--heads`` said "[1, n_heads=1]"."""
    shape = ["count", "--layers", "32", "--d-model", "4096", "--vocab", "32000", "--ctx", "2048"]
    status, _, err = contract([*shape, "--kv-heads", "8"], capsys)
    assert status == 2
    assert err == ("error: --kv-heads 8 needs --heads (the query heads, a multiple of "
                   "--kv-heads; without it there is 1)\n")
    assert cli.main([*shape, "--kv-heads", "8", "--heads", "32"]) == 0
    assert cli.main([*shape, "--kv-heads", "1"]) == 0
    capsys.readouterr()


def test_usability_u1_5_gated_without_d_ff_warns_and_the_shape_used_is_printed(capsys):
    """Usability review U1.5: ``count --gated`` without ``--d-ff`` silently took 4 d_model;
    the d_ff and tying used, and what is not counted, were not shown."""
    shape = ["count", "--layers", "32", "--d-model", "4096", "--vocab", "32000", "--ctx", "2048",
             "--heads", "32", "--gated", "--json"]
    assert cli.main(shape) == 0
    out, err = capsys.readouterr()
    result = json.loads(out)
    assert result["d_ff"] == 4 * 4096 and result["tied_embeddings"] is True
    assert "normalisation" in result["not_counted"]
    assert err.startswith("warning: --gated without --d-ff counts d_ff = 4 d_model = 16,384")
    assert cli.main([*shape, "--d-ff", "11008", "--untied"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert json.loads(out)["d_ff"] == 11008 and json.loads(out)["tied_embeddings"] is False


def test_usability_u1_7_fit_help_states_units_and_what_drop_highest_is_for(capsys):
    """Usability review U1.7: ``fit --help`` omitted the loss unit and what ``--drop-highest``
    is for (the defaults of ``--bootstrap`` and ``--seed`` are stated)."""
    assert cli.main(["fit", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "loss (nats per token)" in text and "training FLOPs, read as 6ND" in text
    assert "to leave out outliers" in text
    assert "(default 0)" in text and "2^32 - 1 (default 0)" in text


def _runs_rows(loss) -> str:
    return "".join(f"{n:g},{d:g},{loss(n, d):.6f}\n"
                   for n in (1e8, 3e8, 1e9, 3e9) for d in (2e9, 6e9, 2e10))


def _chinchilla(n: float, d: float) -> float:
    return 1.7 + 406 / n ** 0.34 + 411 / d ** 0.28


_CURVE = "".join(f"{x},{1 + 2 * x ** -0.5:.8f}\n" for x in range(1, 12))


@pytest.mark.parametrize(("row", "command", "data", "said"), [
    ("fit CSV with a duplicated column name", "fit",
     ("N,D,loss,loss\n" + _runs_rows(_chinchilla).replace("\n", ",99\n")).encode(),
     "column loss appears twice in the header"),
    ("fit on identical runs", "fit", ("N,D,loss\n" + "1e9,2e10,2.5\n" * 12).encode(),
     "all 12 runs are the same run"),
    ("fit on runs that all share one N", "fit",
     ("N,D,loss\n" + _runs_rows(lambda n, d: _chinchilla(1e9, d)).replace(
         "1e+08,", "1e+09,").replace("3e+08,", "1e+09,").replace("3e+09,", "1e+09,")).encode(),
     "all 12 runs share one model size"),
    ("fit where loss rises with N", "fit",
     ("N,D,loss\n" + _runs_rows(lambda n, d: 1.7 + 0.1 * n ** 0.05 + 411 / d ** 0.28)).encode(),
     "the loss does not fall with model size N"),
    ("bnsl-fit CSV with a short row", "bnsl-fit", b"x,y\n1,2\n2,1.5\n3\n4,1.1\n",
     "line 4: a short row, 1 field where the header has 2"),
    ("a UTF-8 byte-order mark; bnsl-fit header x, y", "bnsl-fit",
     b"\xef\xbb\xbf x , y \n" + _CURVE.encode(), None),
    ("latin-1 CSV", "bnsl-fit", ("x,y,note\n" + _CURVE.replace("\n", ",café\n")).encode("latin-1"),
     "not UTF-8 (byte 0xe9 on line 2); the file looks like latin-1"),
])
def test_review_input_file_rows_through_the_command_line(tmp_path, capsys, row, command, data,
                                                          said):
    """Review rows on input files, end to end through the command line (the reader and the
    fits are tested on their own in test_table.py and test_approach3_degenerate.py): each bad
    file is one line naming the file and what is wrong, status 2; a valid file with a
    byte-order mark and spaces around the header names is read."""
    path = tmp_path / "input.csv"
    path.write_bytes(data)
    status, out, err = contract([command, str(path), "--json"], capsys)
    if said is None:
        assert status == 0, err
        assert json.loads(out)["train_rmsle"] < 1e-3
    else:
        assert status == 2, row
        assert said in err and str(path) in err, err
# --- experiment (issue 17): a sweep of real training runs, on a tiny plan ---------------------

@pytest.fixture
def tiny_budgets(monkeypatch):
    """Shrink both sweeps to two budgets of a few milliseconds of training each."""
    from chinchilla_lib.experiment import sweep

    monkeypatch.setitem(sweep.SWEEP_BUDGETS, "small", (2e7, 4e7))
    monkeypatch.setitem(sweep.SWEEP_BUDGETS, "full", (3e7,))


def test_experiment_writes_runs_that_fit_reads_and_is_the_same_for_a_seed(tiny_budgets,
                                                                          tmp_path, capsys):
    from chinchilla_lib.experiment import DEFAULT_LANGUAGE, plan_sweep
    from chinchilla_lib.fitting._table import read_table
    from chinchilla_lib.fitting.runs import read_runs_csv

    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    assert cli.main(["experiment", "--budget", "small", "--out", str(first), "--workers", "1",
                     "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    planned = plan_sweep((2e7, 4e7))
    assert summary["n_runs"] == len(planned) and summary["out"] == str(first)
    assert summary["seed"] == 0 and summary["budget"] == "small"
    assert summary["entropy_rate"] == DEFAULT_LANGUAGE.entropy_rate
    assert "--budget small --seed 0 --workers 1 --out" in summary["command"]
    assert "runs" not in summary                       # they are in the file
    runs = read_runs_csv(first)                        # the library's run format
    assert len(runs) == len(planned)
    assert runs.n_tokens.tolist() == [p.tokens for p in planned]
    table = read_table(first, ("budget", "width", "N", "D", "flops", "loss"))
    assert table["width"].tolist() == [p.width for p in planned]
    assert table["flops"].tolist() == (6 * table["N"] * table["D"]).tolist()
    assert first.read_text().splitlines()[0] == "budget,width,N,D,flops,loss"
    assert cli.main(["experiment", "--budget", "small", "--out", str(second),
                     "--workers", "1"]) == 0
    out, err = capsys.readouterr()
    assert err == ""                                   # no progress bar off a terminal
    assert f"out                          {second}" in out
    assert second.read_bytes() == first.read_bytes()   # deterministic for a seed


def test_experiment_prints_the_table_and_a_seed_changes_the_runs(tiny_budgets, capsys):
    assert cli.main(["experiment", "--budget", "full", "--workers", "1"]) == 0
    zero = capsys.readouterr().out
    assert "budget,width,N,D,flops,loss" in zero and "entropy_rate" in zero
    assert cli.main(["experiment", "--budget", "full", "--workers", "1", "--seed", "1",
                     "--json"]) == 0
    one = json.loads(capsys.readouterr().out)
    assert [r["budget"] for r in one["runs"]] == [3e7] * one["n_runs"]
    table = zero.split("budget,width,N,D,flops,loss\n")[1].splitlines()
    assert [float(line.split(",")[-1]) for line in table] != [r["loss"] for r in one["runs"]]


def test_experiment_progress_bar_on_a_terminal_only():
    import io

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    class Run:
        flops = 1e9

    shown, hidden = Terminal(), io.StringIO()
    for stream in (shown, hidden):
        bar = cli._ProgressBar(2e9, stream)
        bar(1, 2, Run())
        bar(2, 2, Run())
    assert hidden.getvalue() == ""
    text = shown.getvalue()
    assert "1/2 runs" in text and "2/2 runs" in text and "elapsed" in text and "left" in text
    assert text.endswith("\n") and text.count("\n") == 1


@pytest.mark.parametrize(("args", "match"), [
    (["experiment"], "the following arguments are required: --budget"),
    (["experiment", "--budget", "huge"], "argument --budget: invalid choice: 'huge'"),
    (["experiment", "--budget", "small", "--seed", "-3"], "argument --seed: must be an integer"),
    (["experiment", "--budget", "small", "--seed", "x"], "argument --seed: must be an integer"),
    (["experiment", "--budget", "small", "--workers", "0"],
     "argument --workers: must be an integer in [1, 256]"),
    (["experiment", "--budget", "small", "--out", "/no/such/folder/runs.csv"],
     "--out '/no/such/folder/runs.csv': the folder '/no/such/folder' does not exist"),
    (["experiment", "--budget", "small", "--out", "."], "--out '.' is a directory"),
])
@pytest.mark.parametrize("as_json", [False, True])
def test_experiment_bad_input_is_one_line_and_exit_2_before_any_training(args, match, as_json,
                                                                         capsys, monkeypatch):
    from chinchilla_lib.experiment import sweep

    def refuse(*args, **kwargs):
        raise AssertionError("trained despite bad input")

    monkeypatch.setattr(sweep, "run_sweep", refuse)
    monkeypatch.setattr("chinchilla_lib.experiment.run_sweep", refuse, raising=False)
    status, _, err = contract([*args, *(["--json"] if as_json else [])], capsys)
    assert status == 2 and match in err
