"""IsoFLOP sweeps of the toy model (issue 17): the plan, determinism for a seed whatever the
number of workers, refusals, and the committed reference sweep against fresh runs of it."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import chinchilla_lib
from chinchilla_lib.experiment import (
    BATCH_SIZE,
    DEFAULT_LANGUAGE,
    SWEEP_BUDGETS,
    SWEEP_COLUMNS,
    WIDTHS_PER_BUDGET,
    PlannedRun,
    ReferenceSweep,
    ToyLanguage,
    guess_optimal_width,
    plan_sweep,
    reference_curves,
    reference_sweep,
    run_sweep,
    sweep_csv,
    train,
)
from chinchilla_lib.experiment import reference as reference_module
from chinchilla_lib.fitting import IsoFlopRuns, Runs
from chinchilla_lib.quantities import next_token_model_parameters

TINY = ToyLanguage(vocab_size=32, seed=1)


@pytest.mark.parametrize("budget", ["small", "full"])
def test_the_plan_spends_each_budget_on_widths_around_the_guess(budget):
    planned = plan_sweep(SWEEP_BUDGETS[budget])
    assert [p.budget for p in planned] == sorted(p.budget for p in planned)
    for c in SWEEP_BUDGETS[budget]:
        line = [p for p in planned if p.budget == c]
        widths = [p.width for p in line]
        assert widths == sorted(set(widths)) and len(widths) <= WIDTHS_PER_BUDGET
        centre = guess_optimal_width(c)
        assert widths[0] <= centre <= widths[-1]
        assert widths[-1] / max(centre, 2) == pytest.approx(4, rel=0.15) or widths[0] == 2
        for p in line:
            n = next_token_model_parameters(DEFAULT_LANGUAGE.vocab_size, p.width).dense
            assert p.tokens % BATCH_SIZE == 0 and p.tokens >= BATCH_SIZE
            # whole batches: 6ND is C to within half a batch of tokens
            assert abs(6 * n * p.tokens - c) <= 6 * n * BATCH_SIZE / 2
    assert len(plan_sweep(SWEEP_BUDGETS["full"])) == 45
    assert len(plan_sweep(SWEEP_BUDGETS["small"])) == 26


def test_the_guess_grows_as_the_budget_to_the_0_45():
    assert guess_optimal_width(1e10) == pytest.approx(16)
    assert guess_optimal_width(1e12) / guess_optimal_width(1e10) == pytest.approx(100**0.45)


def test_a_sweep_is_the_same_for_a_seed_with_one_worker_or_two():
    """Two workers are two spawned processes with one BLAS thread each; the results come back
    in the plan's order, equal to the in-process ones up to the matrix library's rounding."""
    planned = plan_sweep((3e6, 6e6), vocab_size=TINY.vocab_size, widths_per_budget=3)
    seen = []
    alone = run_sweep(planned, language=TINY, seed=5, workers=1,
                      progress=lambda done, total, run: seen.append((done, total)))
    paired = run_sweep(planned, language=TINY, seed=5, workers=2)
    assert seen == [(k, len(planned)) for k in range(1, len(planned) + 1)]
    assert [r.width for r in alone] == [p.width for p in planned] == [r.width for r in paired]
    assert [r.n_tokens for r in alone] == [p.tokens for p in planned]
    np.testing.assert_allclose([r.loss for r in paired], [r.loss for r in alone], rtol=1e-6)
    # each run is the run train() makes with the sweep's seed for weights and data
    first = train(TINY, planned[0].width, planned[0].tokens, seed=5, data_seed=5)
    assert first.loss == alone[0].loss
    other = run_sweep(planned[:1], language=TINY, seed=6, workers=1)
    assert other[0].loss != alone[0].loss


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda: plan_sweep([0.0]), ValueError, "budgets must be finite and > 0"),
    (lambda: plan_sweep([math.nan]), ValueError, "budgets"),
    (lambda: plan_sweep(["1e10"]), TypeError, "budgets must be a real number"),
    (lambda: plan_sweep("1e10"), TypeError, "budgets must be a sequence"),
    (lambda: plan_sweep(1e10), TypeError, "budgets must be a sequence"),
    (lambda: plan_sweep([1e10], vocab_size=1), ValueError, "vocab_size"),
    (lambda: plan_sweep([1e10], widths_per_budget=0), ValueError, "widths_per_budget"),
    (lambda: guess_optimal_width(-1.0), ValueError, "flops must be finite and > 0"),
    (lambda: guess_optimal_width("big"), TypeError, "flops"),
    (lambda: run_sweep([], language="text"), TypeError, "language must be a ToyLanguage"),
    (lambda: run_sweep([(1e9, 4, 256)]), TypeError, "planned must be a PlannedRun"),
    (lambda: run_sweep([], seed=-1), ValueError, "seed"),
    (lambda: run_sweep([PlannedRun(1e9, 4, 256)], workers=0), ValueError, "workers"),
    (lambda: run_sweep([], progress="yes"), TypeError, "progress must be callable"),
    (lambda: run_sweep([PlannedRun(1e9, 0, 256)], workers=1), ValueError, "width"),
])
def test_the_sweep_functions_refuse_bad_arguments_by_name(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_an_empty_plan_trains_nothing():
    assert plan_sweep([]) == [] and run_sweep([]) == []


# --- the committed reference sweep -----------------------------------------------------------

def test_the_reference_sweep_ships_with_the_library_and_says_how_it_was_made():
    sweep = reference_sweep()
    meta = sweep.metadata
    assert len(sweep) == meta["n_runs"] == len(plan_sweep(SWEEP_BUDGETS["full"]))
    assert meta["command"].startswith("python -m chinchilla_lib experiment --budget full "
                                      "--seed 0")
    assert meta["library_version"] == chinchilla_lib.__version__
    assert meta["seed"] == 0 and meta["budget"] == "full" and meta["wall_seconds"] > 0
    assert sweep.language == DEFAULT_LANGUAGE
    assert sweep.entropy_rate == pytest.approx(DEFAULT_LANGUAGE.entropy_rate, rel=1e-12)
    planned = plan_sweep(SWEEP_BUDGETS["full"])
    assert sweep.budget.tolist() == [p.budget for p in planned]
    assert sweep.width.tolist() == [p.width for p in planned]
    assert sweep.n_tokens.tolist() == [p.tokens for p in planned]
    assert sweep.flops.tolist() == (6 * sweep.n_params * sweep.n_tokens).tolist()
    assert sweep.budgets.tolist() == list(SWEEP_BUDGETS["full"])
    assert np.all(sweep.loss > sweep.entropy_rate)
    assert np.all(sweep.loss < math.log(DEFAULT_LANGUAGE.vocab_size))
    runs = sweep.runs
    assert isinstance(runs, Runs) and len(runs) == len(sweep)
    assert isinstance(sweep.isoflop_runs, IsoFlopRuns)
    np.testing.assert_array_equal(sweep.isoflop_runs.budget, sweep.budget)


def test_the_reference_sweep_shows_the_isoflop_valleys():
    """At each budget the loss is lowest inside the grid, not at an end (the grids bracket
    the optimum), and the best loss falls as the budget grows."""
    sweep = reference_sweep()
    best = []
    for c in sweep.budgets:
        line = sweep.loss[sweep.budget == c]
        assert 0 < int(np.argmin(line)) < line.size - 1, c
        best.append(line.min())
    assert np.all(np.diff(best) < 0)


def test_the_cheapest_reference_runs_train_again_to_the_committed_loss():
    """Re-train the three runs with the fewest tokens (about a second in all) with the
    committed seed; the loss matches the file up to the matrix library's rounding."""
    sweep = reference_sweep()
    seed = sweep.metadata["seed"]
    for i in np.argsort(sweep.n_tokens, kind="stable")[:3]:
        run = train(sweep.language, int(sweep.width[i]), int(sweep.n_tokens[i]), seed=seed,
                    data_seed=seed)
        assert run.n_tokens == sweep.n_tokens[i] and run.n_params == sweep.n_params[i]
        assert run.loss == pytest.approx(sweep.loss[i], rel=1e-5)


def test_the_reference_csv_is_the_commands_format_and_fit_reads_it():
    from chinchilla_lib.fitting.runs import read_runs_csv

    folder = reference_module.resources.files(reference_module.__package__) / "data"
    with reference_module.resources.as_file(folder / "full_sweep.csv") as path:
        assert path.read_text().splitlines()[0] == ",".join(SWEEP_COLUMNS)
        runs = read_runs_csv(path)
    np.testing.assert_array_equal(runs.loss, reference_sweep().loss)


def test_sweep_csv_refuses_results_that_are_not_the_plan():
    plan = PlannedRun(budget=1e9, width=4, tokens=256)
    run = train(TINY, 4, 256)
    assert sweep_csv([plan], [run]).splitlines()[1].startswith("1e+09,4,160,256,")
    with pytest.raises(ValueError, match="one length"):
        sweep_csv([plan, plan], [run])
    with pytest.raises(ValueError, match="results must be the planned runs in order"):
        sweep_csv([PlannedRun(budget=1e9, width=5, tokens=256)], [run])
    with pytest.raises(TypeError, match="planned must be a PlannedRun"):
        sweep_csv([(1e9, 4, 256)], [run])
    with pytest.raises(TypeError, match="results must be a TrainingRun"):
        sweep_csv([plan], [None])


def test_a_reference_file_that_disagrees_with_its_summary_is_refused(tmp_path):
    csv, summary = tmp_path / "s.csv", tmp_path / "s.json"
    csv.write_text("budget,width,N,D,flops,loss\n1e9,4,2560,65024,998768640,3.77\n")
    summary.write_text(json.dumps({"n_runs": 2, "entropy_rate": 3.25}))
    with pytest.raises(ValueError, match="n_runs is 2"):
        reference_module._read(csv, summary)
    csv.write_text("budget,width,N,D,flops,loss\n1e9,4.5,2560,65024,998768640,3.77\n")
    summary.write_text(json.dumps({"n_runs": 1}))
    with pytest.raises(ValueError, match="widths must be whole numbers"):
        reference_module._read(csv, summary)
    csv.write_text("budget,width,N,D,flops,loss\n1e9,4,2560,65024,998768640,3.77\n")
    with pytest.raises(ValueError, match="entropy_rate"):
        reference_module._read(csv, summary)
    summary.write_text(json.dumps({"n_runs": 1, "entropy_rate": 3.25}))
    assert isinstance(reference_module._read(csv, summary), ReferenceSweep)


def test_the_small_sweep_ships_too_and_its_last_budget_is_the_full_sweeps_first():
    """The two committed sweeps share the 1e10 budget's IsoFLOP line: same plan, same seed,
    so the same runs (the challenge replays both)."""
    small, full = reference_sweep("small"), reference_sweep()
    assert small.budgets.tolist() == [1e9, 3e9, 1e10]
    assert small.metadata["budget"] == "small"
    in_small, in_full = small.budget == 1e10, full.budget == 1e10
    np.testing.assert_array_equal(small.width[in_small], full.width[in_full])
    np.testing.assert_allclose(small.loss[in_small], full.loss[in_full], rtol=1e-6)
    with pytest.raises(ValueError, match="budget must be 'full' or 'small'"):
        reference_sweep("medium")


def test_the_committed_loss_curves_end_at_each_runs_final_loss():
    curves, sweep = reference_curves(), reference_sweep()
    for width, budget, loss, tokens in zip(sweep.width, sweep.budget, sweep.loss,
                                           sweep.n_tokens, strict=True):
        mine = (curves["width"] == width) & (curves["budget"] == budget)
        assert mine.sum() >= 8
        last = np.argmax(curves["D"][mine])
        assert curves["D"][mine][last] == tokens
        assert curves["loss"][mine][last] == pytest.approx(loss, rel=1e-12)
