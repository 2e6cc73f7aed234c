"""WSD cool-downs branched off one stable run (issue 18): each branch is, to the bit, the
from-scratch WSD run of its length; the step and FLOP accounting; the committed study and its
loader; a training state that stops, goes on and forks; bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest

from chinchilla_lib.experiment import (
    BATCH_SIZE,
    DEFAULT_LANGUAGE,
    WSD_STUDY,
    ToyLanguage,
    WSDBranches,
    advance,
    reference_schedule_curves,
    reference_wsd_study,
    start_training,
    train,
    wsd_branches,
)
from chinchilla_lib.experiment import tuning as tuning_module
from chinchilla_lib.laws.schedules import Schedule, wsd_decay_start
from chinchilla_lib.quantities import next_token_model_parameters

TINY = ToyLanguage(vocab_size=32, seed=1)


@pytest.mark.parametrize("shape", ["1-sqrt", "linear"])
def test_every_branch_equals_the_from_scratch_wsd_run_to_the_bit(shape):
    tokens = [1_280, 2_560, 3_200, 5_120]          # 20, 40, 50 and 80 steps of 64 tokens
    branches = wsd_branches(TINY, 4, tokens, decay_fraction=0.25, shape=shape, seed=2,
                            batch_size=64, checkpoints=8)
    assert branches.lengths == (20, 40, 50, 80)
    for n, schedule, run in zip(branches.lengths, branches.schedules, branches.runs,
                                strict=True):
        scratch = train(TINY, 4, n * 64, seed=2, data_seed=2, batch_size=64, schedule=schedule)
        assert run.loss == scratch.loss and run.n_tokens == scratch.n_tokens
        assert run.flops == scratch.flops and run.curve_tokens[-1] == n * 64
        # the schedule is the WSD run of that length: same warm-up, decay from its own start
        assert schedule.kind == "wsd" and schedule.shape == shape
        assert round(schedule.warmup_fraction * n) == round(0.02 * 80) or n == 80


def test_the_branch_curve_is_the_stable_run_then_its_cool_down():
    branches = wsd_branches(TINY, 4, [1_280, 2_560], decay_fraction=0.25, seed=0,
                            batch_size=64, checkpoints=8)
    stable = dict(zip(branches.stable.curve_tokens, branches.stable.curve_loss, strict=True))
    for s, run in zip(branches.branch_steps, branches.runs, strict=True):
        curve = dict(zip(run.curve_tokens, run.curve_loss, strict=True))
        assert s * 64 in curve and curve[s * 64] == stable[s * 64]
        assert all(curve[t] == v for t, v in stable.items() if t <= s * 64)
    assert branches.stable.n_tokens == branches.branch_steps[-1] * 64


def test_the_accounting_counts_the_stable_run_once_and_every_cool_down():
    branches = wsd_branches(TINY, 4, [2_560, 640, 1_280], decay_fraction=0.25, batch_size=64)
    lengths = (10, 20, 40)
    assert branches.lengths == lengths
    starts = tuple(wsd_decay_start(n, 0.25) for n in lengths)
    assert branches.branch_steps == starts == (8, 15, 30)
    assert branches.steps_spent == 30 + (10 - 8) + (20 - 15) + (40 - 30)
    assert branches.steps_from_scratch == sum(lengths)
    n = next_token_model_parameters(TINY.vocab_size, 4).dense
    assert branches.flops_spent == 6 * n * branches.steps_spent * 64
    assert branches.flops_from_scratch == 6 * n * sum(lengths) * 64


def test_a_state_split_into_pieces_is_the_run_of_train():
    schedule = Schedule("wsd", decay_fraction=0.3)
    steps, peak = 30, 0.08
    scratch = train(TINY, 3, steps * 32, batch_size=32, seed=1, data_seed=4, peak_lr=peak,
                    schedule=schedule)
    state = start_training(TINY, 3, seed=1, data_seed=4, batch_size=32)
    rates = schedule.rates(steps, peak)
    advance(state, rates[:7])
    copy = state.fork()
    advance(state, rates[7:])
    advance(copy, list(rates[7:19]))
    advance(copy, rates[19:])
    assert state.loss() == copy.loss() == scratch.loss
    assert state.steps_done == copy.steps_done == steps and state.tokens_done == steps * 32


def test_the_committed_study_is_the_spec_and_reproduces_the_schedule_study():
    study = reference_wsd_study()
    lengths = tuple(t // BATCH_SIZE for t in WSD_STUDY["tokens"])
    assert study.lengths == lengths == (250, 500, 750, 1000)
    assert study.branches.steps_spent == 800 + 50 + 100 + 150 + 200
    assert study.branches.steps_from_scratch == 2500
    assert np.all(np.diff(study.wsd_loss) < 0) and np.all(np.diff(study.cosine_loss) < 0)
    assert all(math.isnan(r.seconds) for r in study.cosine)
    # the 1,000-step branch and cosine are the schedule study's runs of the same seed
    curves = {c.name: c for c in reference_schedule_curves()}
    assert study.wsd_loss[-1] == curves["wsd, 1-sqrt decay"].loss[-1]
    assert study.cosine_loss[-1] == curves["cosine"].loss[-1]
    for run, s in zip(study.branches.runs, study.branches.branch_steps, strict=True):
        assert s * BATCH_SIZE in run.curve_tokens


def test_the_committed_shortest_branch_matches_a_fresh_run():
    study = reference_wsd_study()
    n, schedule = study.lengths[0], study.branches.schedules[0]
    fresh = train(DEFAULT_LANGUAGE, WSD_STUDY["width"], n * BATCH_SIZE, schedule=schedule)
    assert fresh.loss == study.wsd_loss[0]


def test_the_loader_refuses_a_file_without_a_run():
    text = "run,length,step,tokens,loss\nstable,800,800,204800,3.5\n"
    with pytest.raises(ValueError, match="no wsd run of 250 steps"):
        tuning_module._read_wsd(text)


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"tokens": []}, ValueError, "at least one"),
    ({"tokens": "1000"}, TypeError, "tokens must be a sequence"),
    ({"tokens": 1000}, TypeError, "tokens must be a sequence"),
    ({"tokens": [640, 600]}, ValueError, "distinct"),
    ({"tokens": [0, 640]}, ValueError, "tokens"),
    ({"tokens": [640, 1.5]}, (TypeError, ValueError), "tokens"),
    ({"tokens": [10**10]}, ValueError, "at most"),
    ({"tokens": [640], "warmup_steps": 8}, ValueError, "warmup_steps must end before"),
    ({"tokens": [640], "decay_fraction": 0.0}, ValueError, "decay_fraction"),
    ({"tokens": [640], "shape": "step"}, ValueError, "shape"),
    ({"tokens": [640], "seed": -1}, ValueError, "seed"),
    ({"tokens": [640], "checkpoints": -1}, ValueError, "checkpoints"),
    ({"tokens": [640], "width": 0}, ValueError, "width"),
    ({"tokens": [640], "peak_lr": 0.0}, ValueError, "peak_lr"),
    ({"tokens": [640], "peak_lr": "high"}, TypeError, "peak_lr"),
    ({"tokens": [640], "language": "english"}, TypeError, "language"),
])
def test_bad_input_is_refused(kwargs, error, match):
    arguments = {"language": TINY, "width": 4, "batch_size": 64} | kwargs
    with pytest.raises(error, match=match):
        wsd_branches(**arguments)


def test_advance_refuses_bad_rates_and_states():
    state = start_training(TINY, 2, batch_size=16)
    with pytest.raises(ValueError, match="rates"):
        advance(state, [0.1, -0.1])
    with pytest.raises(ValueError, match="rates"):
        advance(state, [float("nan")])
    with pytest.raises(TypeError, match="rates"):
        advance(state, 0.1)
    with pytest.raises(TypeError, match="state"):
        advance("state", [0.1])
    assert state.steps_done == 0
    with pytest.raises(ValueError, match="width"):
        start_training(TINY, 0)


def test_wsd_branches_returns_its_dataclass():
    assert isinstance(wsd_branches(TINY, 2, [640], batch_size=64), WSDBranches)
