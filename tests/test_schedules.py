"""Learning-rate schedules (issue 18): shapes, areas, bad input, and the trainer's default
schedule unchanged to the bit."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chinchilla_lib.experiment import (
    DEFAULT_SCHEDULE,
    FINAL_LR_FRACTION,
    WARMUP_FRACTION,
    ToyLanguage,
    learning_rate,
    train,
)
from chinchilla_lib.laws import Schedule, constant_rate, cosine_rate, wsd_rate


def _course_rate_before_issue_18(step: int, steps: int, peak: float) -> float:
    """The trainer's schedule as it was written before the schedules module (commit 6da9476),
    kept here to hold the default to the bit."""
    warmup = max(1, round(WARMUP_FRACTION * steps))
    if step < warmup:
        return peak * (step + 1) / (warmup + 1)
    progress = (step - warmup) / max(1, steps - 1 - warmup)
    cosine = 0.5 * (1.0 + math.cos(math.pi * min(progress, 1.0)))
    return peak * (FINAL_LR_FRACTION + (1.0 - FINAL_LR_FRACTION) * cosine)


@settings(max_examples=200, deadline=None)
@given(steps=st.integers(1, 5000), where=st.floats(0, 1), peak=st.floats(1e-6, 10.0))
def test_the_default_schedule_is_the_old_one_to_the_bit(steps, where, peak):
    step = min(steps - 1, int(where * steps))
    old = _course_rate_before_issue_18(step, steps, peak)
    assert learning_rate(step, steps, peak) == old
    assert DEFAULT_SCHEDULE.rate(step, steps, peak) == old
    assert cosine_rate(step, steps, peak) == old


def test_train_with_the_default_schedule_passed_is_train_unchanged():
    language = ToyLanguage(vocab_size=32, seed=1)
    plain = train(language, 4, 5_000, checkpoints=5)
    passed = train(language, 4, 5_000, checkpoints=5, schedule=DEFAULT_SCHEDULE)
    assert (plain.loss, plain.curve_loss) == (passed.loss, passed.curve_loss)
    other = train(language, 4, 5_000, schedule=Schedule("constant"))
    assert other.loss != plain.loss


@pytest.mark.parametrize("kind", ["cosine", "wsd", "constant"])
def test_every_schedule_warms_up_to_the_peak_and_stays_within_it(kind):
    steps, peak = 1000, 0.5
    rates = Schedule(kind).rates(steps, peak)
    warmup = round(0.02 * steps)
    assert np.all(np.diff(rates[:warmup + 1]) > 0)
    assert rates[warmup] == peak
    assert np.all((rates > 0) & (rates <= peak))


def test_cosine_ends_on_the_floor_and_a_longer_cycle_stops_above_it():
    steps, peak = 1000, 1.0
    assert cosine_rate(steps - 1, steps, peak) == pytest.approx(0.1)
    for cycle in (1.25, 1.5, 2.0, 5.0):
        end = cosine_rate(steps - 1, steps, peak, cycle=cycle)
        # the cosine phase runs from step 20 to cycle * 999; the run stops part-way
        progress = (steps - 1 - 20) / (cycle * (steps - 1) - 20)
        assert end == pytest.approx(0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))
        assert end > 0.1
    # the longer the cycle, the more forward area (sum of rates) the run keeps
    areas = [Schedule("cosine", cycle=c).rates(steps, peak).sum() for c in (1.0, 1.5, 2.0)]
    assert areas == sorted(areas)


@pytest.mark.parametrize("shape", ["linear", "1-sqrt", "cosine"])
def test_wsd_holds_the_peak_then_decays_over_its_fraction(shape):
    steps, peak = 1000, 2.0
    rates = Schedule("wsd", decay_fraction=0.2, shape=shape).rates(steps, peak)
    assert np.all(rates[20:800] == peak)
    assert np.all(np.diff(rates[800:]) < 0)
    assert rates[-1] == pytest.approx(0.1 * peak)
    done = (np.arange(800, 1000) - 800 + 1) / 200
    left = {"linear": 1 - done, "1-sqrt": 1 - np.sqrt(done),
            "cosine": 0.5 * (1 + np.cos(np.pi * done))}[shape]
    np.testing.assert_allclose(rates[800:], peak * (0.1 + 0.9 * left), rtol=1e-12)


def test_areas_under_the_schedules_in_closed_form():
    """Forward area of a constant schedule after warm-up is peak times the steps; the WSD
    linear decay's area is the trapezium's."""
    steps, peak = 1000, 1.0
    warmup = 20
    ramp = sum((k + 1) / (warmup + 1) for k in range(warmup))
    assert Schedule("constant").rates(steps, peak).sum() == pytest.approx(
        ramp + (steps - warmup))
    wsd = Schedule("wsd", decay_fraction=0.2).rates(steps, peak)
    decay = sum(0.1 + 0.9 * (1 - (k + 1) / 200) for k in range(200))
    assert wsd.sum() == pytest.approx(ramp + (800 - warmup) + decay)
    # 1-sqrt falls faster, keeping less area in its decay; a cosine keeps what linear keeps
    # (it is symmetric about the decay's midpoint)
    by_shape = {s: Schedule("wsd", shape=s).rates(steps, peak)[800:].sum()
                for s in ("1-sqrt", "linear", "cosine")}
    assert by_shape["1-sqrt"] < by_shape["linear"] == pytest.approx(by_shape["cosine"])


def test_constant_rate_is_flat_after_warm_up():
    assert [constant_rate(s, 10, 0.3) for s in range(1, 10)] == [0.3] * 9
    assert wsd_rate(4, 10, 0.3, decay_fraction=0.5) == 0.3
    assert wsd_rate(5, 10, 0.3, decay_fraction=0.5) < 0.3


@pytest.mark.parametrize("call,match", [
    (lambda: cosine_rate(10, 10, 1.0), "step must lie"),
    (lambda: cosine_rate(0, 0, 1.0), "steps must be"),
    (lambda: cosine_rate(0, 10, 0.0), "peak must lie"),
    (lambda: cosine_rate(0, 10, 1.0, cycle=0.5), "cycle must lie"),
    (lambda: cosine_rate(0, 10, 1.0, final_fraction=1.5), "final_fraction"),
    (lambda: wsd_rate(0, 10, 1.0, decay_fraction=0.0), "decay_fraction"),
    (lambda: wsd_rate(0, 10, 1.0, shape="exp"), "shape must be one of"),
    (lambda: Schedule("step"), "kind must be one of"),
    (lambda: Schedule(warmup_fraction=math.nan), "warmup_fraction"),
    (lambda: Schedule().rates(10**8), "at most"),
])
def test_bad_schedules_are_refused_by_name(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_a_peak_of_the_wrong_type_is_a_type_error():
    with pytest.raises(TypeError, match="peak"):
        cosine_rate(0, 10, "1.0")
    with pytest.raises(TypeError, match="schedule"):
        train(ToyLanguage(vocab_size=32, seed=1), 4, 1_000, schedule="cosine")
