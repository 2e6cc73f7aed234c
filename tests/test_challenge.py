"""The compute-allocation challenge: budget accounting, replay, prediction, grading and its
diagnoses, and the explorer's pure function."""

from __future__ import annotations

import math

import numpy as np
import pytest

from chinchilla_lib.experiment.challenge import (
    DIAGNOSES,
    SIMULATED_LAW,
    TARGET_FACTOR,
    BudgetExceededError,
    ChallengeSession,
    Prediction,
    RealTrainer,
    ReferenceSweep,
    ReplayTrainer,
    diagnose,
    grade,
    isoflop_grid,
    isoflop_optima,
    play_design,
    predict_optimum,
    select_design,
    simulated_reference,
)
from chinchilla_lib.experiment.language import ToyLanguage
from chinchilla_lib.experiment.sweep import tokens_for_budget
from chinchilla_lib.experiment.trainer import TrainingRun
from chinchilla_lib.fitting.runs import IsoFlopRuns, Runs
from chinchilla_lib.simulate.runs import simulate_isoflop_runs
from chinchilla_lib.widgets.allocation import AllocationExplorer, allocation_outcome


@pytest.fixture(scope="module")
def reference() -> ReferenceSweep:
    return simulated_reference(seed=0)


def _design(budgets, sizes=9, span=16.0) -> IsoFlopRuns:
    """Noise-free IsoFLOP runs of the stand-in law, each grid centred on the optimum."""
    return simulate_isoflop_runs(SIMULATED_LAW, budgets, sizes_per_budget=sizes, span=span,
                                 noise=0.0, centre_error=0.0)


def _join(*designs: IsoFlopRuns) -> IsoFlopRuns:
    runs = Runs(np.concatenate([d.runs.n_params for d in designs]),
                np.concatenate([d.runs.n_tokens for d in designs]),
                np.concatenate([d.runs.loss for d in designs]))
    return IsoFlopRuns(runs, np.concatenate([d.budget for d in designs]))


GOOD = (1e9, 1e10, 1e11)


# --- the reference --------------------------------------------------------------------------

def test_reference_optimum_interpolates_the_minima(reference):
    budgets, n_opt, losses = isoflop_optima(reference.isoflop)
    at = reference.optimum(float(budgets[1]))
    assert not at.extrapolated
    assert at.n_params == pytest.approx(n_opt[1], rel=1e-12)
    assert at.loss == pytest.approx(losses[1], rel=1e-12)
    middle = math.sqrt(budgets[0] * budgets[1])
    between = reference.optimum(middle)
    assert between.n_params == pytest.approx(math.sqrt(n_opt[0] * n_opt[1]), rel=1e-9)
    assert between.loss == pytest.approx((losses[0] + losses[1]) / 2, rel=1e-9)


def test_reference_beyond_its_budgets_is_an_extrapolation(reference):
    beyond = reference.optimum(1e14)
    assert beyond.extrapolated and "extrapolated" in beyond.method
    assert beyond.loss > reference.entropy_rate


def test_reference_from_csv_round_trip(tmp_path, reference):
    path = tmp_path / "runs.csv"
    runs = reference.isoflop.runs
    rows = ["budget,width,N,D,C,loss,seconds"] + [
        f"{float(b)!r},{w},{float(n)!r},{float(d)!r},{float(c)!r},{float(loss)!r},0.5"
        for b, w, n, d, c, loss in zip(reference.isoflop.budget, reference.width, runs.n_params,
                                       runs.n_tokens, runs.flops, runs.loss, strict=True)]
    path.write_text("\n".join(rows) + "\n")
    again = ReferenceSweep.from_csv(path)
    np.testing.assert_array_equal(again.width, reference.width)
    np.testing.assert_array_equal(again.isoflop.runs.loss, runs.loss)
    assert again.optimum(3e10) == reference.optimum(3e10)


def test_a_target_a_hair_beyond_the_range_is_read_at_its_end(reference):
    # Ten times a run whose tokens were rounded up to whole batches: not an extrapolation.
    top = float(reference.optima[0].max())
    edge = reference.optimum(top * 1.004)
    assert not edge.extrapolated
    assert edge.n_params == reference.optimum(top).n_params
    assert reference.optimum(top * 1.05).extrapolated


def test_reference_csv_without_widths_is_refused(tmp_path):
    path = tmp_path / "runs.csv"
    path.write_text("budget,N,D,loss\n1e10,2560,651008,3.69\n")
    with pytest.raises(ValueError, match="width"):
        ReferenceSweep.from_csv(path)


def test_simulated_reference_is_deterministic():
    a, b = simulated_reference(seed=3), simulated_reference(seed=3)
    np.testing.assert_array_equal(a.isoflop.runs.loss, b.isoflop.runs.loss)
    assert not np.array_equal(a.isoflop.runs.loss, simulated_reference(seed=4).isoflop.runs.loss)


# --- grading --------------------------------------------------------------------------------

@pytest.mark.parametrize("flops", [1e10, 5e10, 1e11, 1e13])
def test_grade_is_zero_when_the_prediction_is_the_reference(reference, flops):
    truth = reference.optimum(flops)
    graded = grade(Prediction(flops, truth.n_params, truth.loss), reference)
    assert graded.n_error == pytest.approx(0.0, abs=1e-12)
    assert graded.loss_error == pytest.approx(0.0, abs=1e-12)
    assert graded.loss_error_share == pytest.approx(0.0, abs=1e-12)
    assert graded.reference.extrapolated == (flops > 3e11)
    assert "Target budget" in graded.report()


def test_grade_reports_errors_in_the_stated_units(reference):
    truth = reference.optimum(1e11)
    graded = grade(Prediction(1e11, 2 * truth.n_params, truth.loss + 0.01), reference)
    assert graded.n_error == pytest.approx(1.0)
    assert graded.loss_error == pytest.approx(0.01)
    assert graded.loss_error_share == pytest.approx(0.01 / (truth.loss
                                                            - reference.entropy_rate))


def test_a_good_design_gets_no_diagnosis():
    assert diagnose(_design(GOOD)) == []


def _codes(design: IsoFlopRuns, target: float | None = None) -> set[str]:
    found = {d.code for d in diagnose(design, target)}
    assert found <= set(DIAGNOSES)
    return found


def test_too_few_budgets():
    assert _codes(_design(GOOD[1:])) == {"too_few_budgets"}


def test_narrow_span():
    assert _codes(_design(GOOD, span=2.0)) == {"narrow_span"}


def test_off_centre():
    # Only the larger part of each grid: the lowest loss sits at the smallest model run.
    design = _design(GOOD, span=64.0)
    keep = np.concatenate([np.flatnonzero(design.budget == b)[5:] for b in GOOD])
    off = IsoFlopRuns(design.runs.subset(keep), design.budget[keep])
    found = diagnose(off)
    assert {d.code for d in found} == {"off_centre"}
    assert "add smaller models" in found[0].message


def test_narrow_range():
    assert _codes(_design((1e10, 2e10, 4e10))) == {"narrow_range"}


def test_one_big_run_and_long_extrapolation():
    big = Runs([5e4], [1e13 / (6 * 5e4)], [3.3])
    design = _join(_design(GOOD), IsoFlopRuns(big, np.array([1e13])))
    assert _codes(design) == {"one_big_run", "long_extrapolation", "too_few_sizes"}


def test_long_extrapolation_alone():
    assert _codes(_design(GOOD), target=1e14) == {"long_extrapolation"}


def test_too_few_sizes():
    two = _design((3e9,), sizes=3)
    assert _codes(_join(_design(GOOD), IsoFlopRuns(two.runs.subset([0, 1]), two.budget[:2]))
                  ) == {"too_few_sizes"}


# --- predictions ----------------------------------------------------------------------------

def test_approach3_recovers_the_law_from_clean_runs():
    design = _design(GOOD)
    predicted = predict_optimum(design, 1e12, approach="3")
    truth = SIMULATED_LAW.compute_optimal(1e12)
    assert predicted.n_params == pytest.approx(truth.n_params, rel=1e-3)
    assert predicted.loss == pytest.approx(truth.loss, rel=1e-5)


def test_approach2_is_close_on_clean_runs():
    # Even without noise a parabola in log N misplaces the minimum of this lopsided valley
    # (alpha = 1.33, beta = 0.71): a few per cent per budget, which the tenfold
    # extrapolation grows (measured +15% in N at 1e12 FLOPs with span 16, +4% with span 4).
    truth = SIMULATED_LAW.compute_optimal(1e12)
    for span, tolerance in ((16.0, 0.2), (4.0, 0.05)):
        predicted = predict_optimum(_design(GOOD, span=span), 1e12, entropy_rate=SIMULATED_LAW.e)
        assert predicted.n_params == pytest.approx(truth.n_params, rel=tolerance)
        assert predicted.loss == pytest.approx(truth.loss, abs=0.005)


# --- the session ----------------------------------------------------------------------------

def test_budget_accounting_refuses_overspending(reference):
    replay = ReplayTrainer(reference)
    session = ChallengeSession(budget=2.5e10, trainer=replay)
    first = session.train(16, flops=1e10)
    assert session.spent == first.flops == session.cost(16, flops=1e10)
    second = session.train(23, flops=1e10)
    assert session.remaining == pytest.approx(2.5e10 - first.flops - second.flops)
    with pytest.raises(BudgetExceededError, match=r"costs .* FLOPs .* left"):
        session.train(32, flops=1e10)
    assert len(session.history) == 2           # nothing trained or charged
    assert session.remaining > 0
    assert session.target_flops == TARGET_FACTOR * max(first.flops, second.flops)


def test_a_run_that_uses_the_last_flop_is_allowed(reference):
    replay = ReplayTrainer(reference)
    price = ChallengeSession(trainer=replay).cost(16, flops=1e10)
    session = ChallengeSession(budget=price, trainer=replay)
    session.train(16, flops=1e10)
    assert session.remaining == 0.0


def test_replay_trainer_returns_the_committed_run(reference):
    replay = ReplayTrainer(reference)
    i = 4
    width, tokens = int(reference.width[i]), int(reference.isoflop.runs.n_tokens[i])
    run = replay(width, tokens)
    assert run.loss == reference.isoflop.runs.loss[i]
    assert run.n_params == reference.isoflop.runs.n_params[i]
    assert replay(width, tokens) == run
    with pytest.raises(ValueError, match="no committed run of width 7"):
        replay(7, tokens)
    with pytest.raises(ValueError, match="IsoFLOP budgets"):
        replay(width, tokens + 256)


def test_session_on_replay_grades_a_full_design(reference):
    session = ChallengeSession(budget=2e12, trainer=ReplayTrainer(reference))
    for index in select_design(reference, 3, 9, 0, 1e11):
        session.train(int(reference.width[index]), flops=float(reference.isoflop.budget[index]))
    np.testing.assert_array_equal(np.sort(session.widths),
                                  np.sort(reference.width[select_design(reference, 3, 9, 0,
                                                                        1e11)]))
    predicted = predict_optimum(session.isoflop, session.target_flops)
    with pytest.raises(ValueError, match="no prediction yet"):
        session.grade(reference)
    session.predict(predicted.n_params, predicted.loss)
    graded = session.grade(reference)
    outcome = allocation_outcome(reference, 3, 9, 0, 1e11)
    assert graded.n_error == pytest.approx(outcome.grade.n_error, rel=1e-9)


def test_real_trainer_trains_and_charges():
    language = ToyLanguage(vocab_size=64, seed=3)
    session = ChallengeSession(budget=1e8, trainer=RealTrainer(language, seed=1))
    run = session.train(4, tokens=1000)
    assert run.n_tokens == 1024 and session.spent == run.flops
    assert run.loss > language.entropy_rate


# --- the explorer's pure function -----------------------------------------------------------

def test_select_design_picks_windows(reference):
    full = select_design(reference, 5, 9, 0, 1e12)
    assert full.size == len(reference.width)
    picked = select_design(reference, 2, 3, 2, 3e10)
    budgets = reference.isoflop.budget[picked]
    assert set(budgets) == {1e10, 3e10}
    for b in (1e10, 3e10):
        widths = np.sort(reference.width[picked][budgets == b])
        grid = np.sort(reference.width[reference.isoflop.budget == b])
        np.testing.assert_array_equal(widths, grid[5:8])
    # A shift past the edge keeps the window inside the grid.
    np.testing.assert_array_equal(select_design(reference, 1, 3, 99, 1e10),
                                  select_design(reference, 1, 3, 6, 1e10))


def test_allocation_outcome(reference):
    good = allocation_outcome(reference, 3, 9, 0, 1e11)
    assert good.target == pytest.approx(TARGET_FACTOR * good.isoflop.runs.flops.max())
    assert good.grade is not None and not good.problem
    lone = allocation_outcome(reference, 1, 9, 0, 1e11)
    assert lone.grade is None and "no frontier" in lone.problem
    narrow = allocation_outcome(reference, 3, 3, 0, 1e11)
    assert "narrow_span" in {d.code for d in narrow.grade.diagnoses}


def test_explorer_compute_is_pure_and_cached(reference):
    explorer = AllocationExplorer.for_reference(reference)
    before = dict(explorer.params)
    result = explorer.compute(shift=2)
    assert explorer.params == before
    assert explorer.compute(shift=2) is result
    assert explorer.compute(log10_largest=11.1) is explorer.compute(log10_largest=11.0)


# --- hostile input --------------------------------------------------------------------------

@pytest.mark.parametrize("budget", [0.0, -1.0, float("nan"), float("inf")])
def test_session_refuses_bad_budgets(budget):
    with pytest.raises(ValueError, match="budget must be finite and > 0"):
        ChallengeSession(budget=budget)


@pytest.mark.parametrize("budget", [True, "3e11", None])
def test_session_refuses_budgets_of_the_wrong_type(budget):
    with pytest.raises(TypeError, match="budget must be a real number"):
        ChallengeSession(budget=budget)


def test_session_refuses_bad_runs(reference):
    session = ChallengeSession(trainer=ReplayTrainer(reference))
    for width in (0, -3, 2.5, True, "8"):
        with pytest.raises(ValueError, match="width must be a whole number"):
            session.train(width, flops=1e10)
    with pytest.raises(ValueError, match="exactly one of tokens"):
        session.train(16)
    with pytest.raises(ValueError, match="exactly one of tokens"):
        session.train(16, 1000, flops=1e10)
    with pytest.raises(ValueError, match="flops must be finite"):
        session.train(16, flops=float("nan"))
    with pytest.raises(ValueError, match="no runs yet"):
        session.target_flops  # noqa: B018
    with pytest.raises(TypeError, match="trainer must be callable"):
        ChallengeSession(trainer=3)


def test_session_refuses_a_trainer_that_returns_nonsense():
    session = ChallengeSession(trainer=lambda width, tokens: 3.5)
    with pytest.raises(TypeError, match="the trainer's result must be a TrainingRun"):
        session.train(4, tokens=256)
    assert session.spent == 0.0


def test_prediction_and_grading_refuse_bad_input(reference):
    session = ChallengeSession(trainer=ReplayTrainer(reference))
    session.train(16, flops=1e10)
    for bad in (float("nan"), -1.0, 0.0):
        with pytest.raises(ValueError, match="n_params must be finite"):
            session.predict(bad, 3.3)
    with pytest.raises(TypeError, match="prediction must be a Prediction"):
        grade((1e11, 2e4, 3.3), reference)
    with pytest.raises(TypeError, match="reference must be a ReferenceSweep"):
        grade(Prediction(1e11, 2e4, 3.3), "reference.csv")
    with pytest.raises(ValueError, match="approach must be one of"):
        predict_optimum(reference.isoflop, 1e11, approach="1")
    with pytest.raises(ValueError, match="2 or more budgets"):
        predict_optimum(_design((1e10,)), 1e11)


def test_reference_refuses_bad_input(reference):
    with pytest.raises(ValueError, match="one width per run"):
        ReferenceSweep(reference.isoflop, reference.width[:-1])
    with pytest.raises(ValueError, match="whole numbers >= 1"):
        ReferenceSweep(reference.isoflop, reference.width * 0.5)
    with pytest.raises(ValueError, match="entropy_rate must be finite"):
        ReferenceSweep(reference.isoflop, reference.width, float("nan"))
    with pytest.raises(ValueError, match="at least one ReferenceSweep"):
        ReplayTrainer()
    with pytest.raises(TypeError, match="references must be a ReferenceSweep"):
        ReplayTrainer("full.csv")
    with pytest.raises(ValueError, match="non-empty and of one length"):
        ReferenceSweep.from_training_runs([1e10], [])
    run = TrainingRun(4, 2560, 1024, 6 * 2560 * 1024.0, 3.9, 3.25, 0.1)
    with pytest.raises(ValueError, match="budgets must be finite"):
        ReferenceSweep.from_training_runs([float("inf")], [run])


def test_select_design_refuses_bad_input(reference):
    with pytest.raises(ValueError, match="budgets must be a whole number >= 1"):
        select_design(reference, 0, 3, 0, 1e10)
    with pytest.raises(ValueError, match="sizes must be a whole number >= 1"):
        select_design(reference, 2, 1.5, 0, 1e10)
    with pytest.raises(TypeError, match="shift must be a whole number"):
        select_design(reference, 2, 3, 0.5, 1e10)
    with pytest.raises(ValueError, match="largest must be finite"):
        select_design(reference, 2, 3, 0, -1.0)


@pytest.mark.parametrize("change", [{"budgets": 0}, {"sizes": -1}, {"shift": 0.5},
                                    {"shift": float("nan")}, {"log10_largest": float("inf")},
                                    {"budget": 3}])
def test_explorer_refuses_bad_settings(reference, change):
    explorer = AllocationExplorer.for_reference(reference)
    with pytest.raises(ValueError):
        explorer.compute(**change)


def test_tokens_for_budget_matches_the_session():
    session = ChallengeSession(budget=1e12, trainer=lambda w, d: None)
    assert session.cost(16, flops=1e10) == 6 * (16 * 512 + 512) * tokens_for_budget(16, 1e10)


@pytest.mark.parametrize("flops", [True, "1e10", None])
def test_tokens_for_budget_refuses_non_numbers(flops):
    with pytest.raises(TypeError, match="flops must be a real number"):
        tokens_for_budget(16, flops)


@pytest.mark.parametrize("flops", [0.0, -1e10, float("nan"), float("inf")])
def test_tokens_for_budget_refuses_bad_budgets(flops):
    with pytest.raises(ValueError, match="flops must be finite and > 0"):
        tokens_for_budget(16, flops)


def test_isoflop_grid_lists_one_grid_narrowest_first(reference):
    budget = float(reference.budgets[2])
    runs = isoflop_grid(reference, budget)
    widths = np.sort(reference.width[reference.budget == budget])
    assert runs == [(budget, int(w)) for w in widths]
    assert isoflop_grid(reference, budget * 1.001, slice(1, -1)) == runs[1:-1]


@pytest.mark.parametrize(("budget", "keep", "match"), [
    (1234.0, slice(None), "one of the reference's budgets"), (-1.0, slice(None), "budget"),
    (math.nan, slice(None), "budget"), (None, slice(2, 1), "keep=.* leaves none"),
    (None, [1, 2], "keep")])
def test_isoflop_grid_refuses_a_budget_or_keep_it_cannot_use(reference, budget, keep, match):
    budget = float(reference.budgets[0]) if budget is None else budget
    with pytest.raises((ValueError, TypeError), match=match):
        isoflop_grid(reference, budget, keep)


def test_play_design_is_the_session_a_learner_would_play_by_hand(reference):
    design = [run for b in reference.budgets[:3] for run in isoflop_grid(reference, b)]
    played = play_design(design, trainer=ReplayTrainer(reference), budget=2e12)
    by_hand = ChallengeSession(budget=2e12, trainer=ReplayTrainer(reference))
    for budget, width in design:
        by_hand.train(width, flops=budget)
    guess = predict_optimum(by_hand.isoflop, by_hand.target_flops)
    assert played.spent == by_hand.spent and len(played.history) == len(design)
    assert played.prediction.n_params == guess.n_params
    assert played.prediction.loss == guess.loss


@pytest.mark.parametrize(("design", "kwargs", "error"), [
    ([], {}, ValueError), ("abc", {}, ValueError), ([(1e10,)], {}, ValueError),
    ([(1e10, 16)], {"approach": "4"}, ValueError),
    ([(1e10, 16)], {"budget": 1e9}, BudgetExceededError)])
def test_play_design_refuses_what_it_cannot_play(reference, design, kwargs, error):
    with pytest.raises(error):
        play_design(design, trainer=ReplayTrainer(reference), **kwargs)
