"""Learning-rate schedules as pure functions of the step: cosine with warm-up (its cycle may be
longer than the run), warmup-stable-decay (WSD) and constant.

Every schedule warms up linearly over the first ``warmup_fraction`` of the steps (at least one
step), to ``peak`` at the end of the warm-up; what follows is the schedule's own:

- ``cosine``: a cosine from ``peak`` to ``final_fraction * peak`` over a cycle that ends at step
  ``cycle * (steps - 1)``. With ``cycle = 1`` the cycle ends at the run's last step (the course's
  trainer, and what Hoffmann et al. 2022, App. D.1, found necessary); with ``cycle > 1`` the run
  stops part-way down the cosine, at a higher rate (their cycles of 1.1 to 5 times the run; see
  ``hoffmann_cosine_overshoot_limit`` in the registry).
- ``wsd``: warm-up, then ``peak`` held (the stable phase), then a decay over the last
  ``decay_fraction`` of the steps to ``final_fraction * peak`` at the last step, in one of the
  shapes ``"linear"``, ``"1-sqrt"`` (the rate falls as ``1 - sqrt(p)`` of the way down, p the
  share of the decay done) or ``"cosine"``. Hu et al. 2024 (MiniCPM) and Hägele et al. 2024
  name the schedule and its cool-down; the defaults here are the course's choices, not values
  read in those papers.
- ``constant``: warm-up, then ``peak`` to the end.

Rates are dimensionless (Adam's step size); steps count optimiser steps from 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from chinchilla_lib._validation import _describe, check_positive_int

__all__ = [
    "DECAY_SHAPES",
    "DEFAULT_WARMUP_FRACTION",
    "MAX_SCHEDULE_STEPS",
    "SCHEDULE_KINDS",
    "Schedule",
    "constant_rate",
    "cosine_rate",
    "wsd_decay_start",
    "wsd_rate",
]

SCHEDULE_KINDS = ("cosine", "wsd", "constant")
"""The schedules :class:`Schedule` knows."""
DECAY_SHAPES = ("linear", "1-sqrt", "cosine")
"""The shapes of a WSD schedule's decay."""
MAX_SCHEDULE_STEPS = 10**9
"""Longest run, in optimiser steps, a schedule's rates are listed for."""
DEFAULT_WARMUP_FRACTION = 0.02
"""Share of a run spent warming up, by default (the course's trainer's choice)."""
MAX_CYCLE = 100.0
"""Longest cosine cycle, as a multiple of the run."""


def _real(name: str, value: object) -> float:
    """``value`` as a finite float (a TypeError for a non-number, a ValueError if not finite)."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | float | np.integer
                                                               | np.floating):
        raise TypeError(f"{name} must be a real number; got {_describe(value)}")
    if isinstance(value, int) and abs(value) > 1e308:
        raise ValueError(f"{name} must be a finite real number; got an integer beyond float "
                         f"range")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite; got {number!r}")
    return number


def _in_range(name: str, value: object, low: float, high: float, *, open_low: bool = False,
              open_high: bool = False) -> float:
    number = _real(name, value)
    below = number <= low if open_low else number < low
    above = number >= high if open_high else number > high
    if below or above:
        left = "(" if open_low else "["
        right = ")" if open_high else "]"
        raise ValueError(f"{name} must lie in {left}{low:g}, {high:g}{right}; got {number!r}")
    return number


def _step_and_steps(step: object, steps: object) -> tuple[int, int]:
    steps = check_positive_int("steps", steps)
    if steps > MAX_SCHEDULE_STEPS:
        raise ValueError(f"steps must be at most {MAX_SCHEDULE_STEPS:.0e}; got {steps}")
    step = check_positive_int("step", step, minimum=0)
    if step >= steps:
        raise ValueError(f"step must lie in [0, steps - 1] = [0, {steps - 1}]; got {step}")
    return step, steps


def _peak(value: object) -> float:
    return _in_range("peak", value, 0.0, 1e300, open_low=True)


def _warmup_steps(steps: int, warmup_fraction: float) -> int:
    return max(1, round(warmup_fraction * steps))


def cosine_rate(step: int, steps: int, peak: float, *,
                warmup_fraction: float = DEFAULT_WARMUP_FRACTION, final_fraction: float = 0.1,
                cycle: float = 1.0) -> float:
    """The learning rate at ``step`` of a warm-up and cosine schedule.

    Linear warm-up over ``max(1, round(warmup_fraction * steps))`` steps (the rate at step k of
    the warm-up is ``peak (k + 1) / (warmup + 1)``), then a cosine from ``peak`` down to
    ``final_fraction * peak`` at step ``cycle * (steps - 1)``. The trainer's default schedule
    is this one with its defaults (:func:`chinchilla_lib.experiment.trainer.learning_rate`).

    Parameters
    ----------
    step
        The step, from 0 to ``steps - 1`` (whole number).
    steps
        The run's length in optimiser steps (whole number, 1 to :data:`MAX_SCHEDULE_STEPS`).
    peak
        The peak rate (finite, > 0; dimensionless).
    warmup_fraction
        Share of the run spent warming up, in [0, 1].
    final_fraction
        The rate at the cycle's end as a share of the peak, in [0, 1].
    cycle
        The cosine cycle's length as a multiple of the run, in [1, 100]: 1 ends the cycle at
        the last step; 1.25 makes the cycle a quarter longer than the run.

    Returns
    -------
    float
        Adam's step size at ``step`` (dimensionless).

    Examples
    --------
    >>> [round(cosine_rate(s, 100, 1.0), 3) for s in (0, 1, 2, 50, 99)]
    [0.333, 0.667, 1.0, 0.557, 0.1]
    >>> round(cosine_rate(99, 100, 1.0, cycle=2.0), 3)
    0.557
    """
    step, steps = _step_and_steps(step, steps)
    peak = _peak(peak)
    warmup_fraction = _in_range("warmup_fraction", warmup_fraction, 0.0, 1.0)
    final_fraction = _in_range("final_fraction", final_fraction, 0.0, 1.0)
    cycle = _in_range("cycle", cycle, 1.0, MAX_CYCLE)
    warmup = _warmup_steps(steps, warmup_fraction)
    if step < warmup:
        return peak * (step + 1) / (warmup + 1)
    if cycle == 1.0:
        progress = (step - warmup) / max(1, steps - 1 - warmup)
    else:
        progress = (step - warmup) / max(1.0, cycle * (steps - 1) - warmup)
    cosine = 0.5 * (1.0 + math.cos(math.pi * min(progress, 1.0)))
    return peak * (final_fraction + (1.0 - final_fraction) * cosine)


def wsd_decay_start(steps: int, decay_fraction: float = 0.2) -> int:
    """The first step (from 0) of a WSD run's decay: ``steps - max(1, round(decay_fraction *
    steps))``, so the decay takes the last ``decay_fraction`` of the run (at least one step).

    Parameters
    ----------
    steps
        The run's length in optimiser steps (whole number, 1 to :data:`MAX_SCHEDULE_STEPS`).
    decay_fraction
        Share of the run spent decaying, in (0, 1].

    Returns
    -------
    int
        The decay's first step; the steps before it are the warm-up and the stable phase.

    Examples
    --------
    >>> wsd_decay_start(1000, 0.2), wsd_decay_start(10, 0.01)
    (800, 9)
    """
    steps = check_positive_int("steps", steps)
    if steps > MAX_SCHEDULE_STEPS:
        raise ValueError(f"steps must be at most {MAX_SCHEDULE_STEPS:.0e}; got {steps}")
    decay_fraction = _in_range("decay_fraction", decay_fraction, 0.0, 1.0, open_low=True)
    return steps - max(1, round(decay_fraction * steps))


def wsd_rate(step: int, steps: int, peak: float, *,
             warmup_fraction: float = DEFAULT_WARMUP_FRACTION, decay_fraction: float = 0.2,
             final_fraction: float = 0.1,
             shape: str = "linear") -> float:
    """The learning rate at ``step`` of a warmup-stable-decay (WSD) schedule.

    The warm-up of :func:`cosine_rate`, then ``peak`` held until the decay's first step,
    ``steps - max(1, round(decay_fraction * steps))``; over the decay the rate falls to
    ``final_fraction * peak`` at the last step, by ``shape`` of the share p of the decay done
    (p = 1 at the last step): ``"linear"`` as ``1 - p``, ``"1-sqrt"`` as ``1 - sqrt(p)``,
    ``"cosine"`` as ``(1 + cos(pi p)) / 2``, rescaled to run from ``peak`` to the final rate.

    Parameters
    ----------
    step, steps, peak, warmup_fraction, final_fraction
        As in :func:`cosine_rate`.
    decay_fraction
        Share of the run spent decaying, in (0, 1].
    shape
        The decay's shape: one of :data:`DECAY_SHAPES`.

    Returns
    -------
    float
        Adam's step size at ``step`` (dimensionless).

    Examples
    --------
    >>> [round(wsd_rate(s, 100, 1.0), 3) for s in (0, 50, 79, 80, 90, 99)]
    [0.333, 1.0, 1.0, 0.955, 0.505, 0.1]
    >>> round(wsd_rate(90, 100, 1.0, shape="1-sqrt"), 3)
    0.333
    """
    step, steps = _step_and_steps(step, steps)
    peak = _peak(peak)
    warmup_fraction = _in_range("warmup_fraction", warmup_fraction, 0.0, 1.0)
    decay_fraction = _in_range("decay_fraction", decay_fraction, 0.0, 1.0, open_low=True)
    final_fraction = _in_range("final_fraction", final_fraction, 0.0, 1.0)
    if not isinstance(shape, str) or shape not in DECAY_SHAPES:
        raise ValueError(f"shape must be one of {', '.join(DECAY_SHAPES)}; got {shape!r}")
    warmup = _warmup_steps(steps, warmup_fraction)
    start = wsd_decay_start(steps, decay_fraction)
    decay = steps - start
    if step >= start:
        done = (step - start + 1) / decay
        if shape == "linear":
            left = 1.0 - done
        elif shape == "1-sqrt":
            left = 1.0 - math.sqrt(done)
        else:
            left = 0.5 * (1.0 + math.cos(math.pi * done))
        return peak * (final_fraction + (1.0 - final_fraction) * left)
    if step < warmup:
        return peak * (step + 1) / (warmup + 1)
    return peak


def constant_rate(step: int, steps: int, peak: float, *,
                  warmup_fraction: float = DEFAULT_WARMUP_FRACTION) -> float:
    """The learning rate at ``step`` of a constant schedule after the warm-up of
    :func:`cosine_rate`.

    Parameters
    ----------
    step, steps, peak, warmup_fraction
        As in :func:`cosine_rate`.

    Returns
    -------
    float
        Adam's step size at ``step`` (dimensionless).

    Examples
    --------
    >>> [round(constant_rate(s, 100, 1.0), 3) for s in (0, 1, 2, 99)]
    [0.333, 0.667, 1.0, 1.0]
    """
    step, steps = _step_and_steps(step, steps)
    peak = _peak(peak)
    warmup_fraction = _in_range("warmup_fraction", warmup_fraction, 0.0, 1.0)
    warmup = _warmup_steps(steps, warmup_fraction)
    if step < warmup:
        return peak * (step + 1) / (warmup + 1)
    return peak


@dataclass(frozen=True)
class Schedule:
    """A learning-rate schedule, as a multiple of the peak rate at each step of a run.

    Attributes
    ----------
    kind
        One of :data:`SCHEDULE_KINDS`: ``"cosine"``, ``"wsd"`` or ``"constant"``.
    warmup_fraction
        Share of the run spent warming up, in [0, 1].
    final_fraction
        The rate at the end of the decay as a share of the peak, in [0, 1] (cosine and WSD).
    cycle
        The cosine cycle's length as a multiple of the run, in [1, 100] (cosine only).
    decay_fraction
        Share of the run spent decaying, in (0, 1] (WSD only).
    shape
        The decay's shape, one of :data:`DECAY_SHAPES` (WSD only).

    Examples
    --------
    >>> Schedule("wsd", decay_fraction=0.1).rates(10, 2.0).round(3).tolist()
    [1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 0.2]
    >>> Schedule().rate(50, 100, 1.0) == cosine_rate(50, 100, 1.0)
    True
    """

    kind: str = "cosine"
    warmup_fraction: float = DEFAULT_WARMUP_FRACTION
    final_fraction: float = 0.1
    cycle: float = 1.0
    decay_fraction: float = 0.2
    shape: str = "linear"

    def __post_init__(self) -> None:
        if not isinstance(self.kind, str) or self.kind not in SCHEDULE_KINDS:
            raise ValueError(f"kind must be one of {', '.join(SCHEDULE_KINDS)}; "
                             f"got {self.kind!r}")
        _in_range("warmup_fraction", self.warmup_fraction, 0.0, 1.0)
        _in_range("final_fraction", self.final_fraction, 0.0, 1.0)
        _in_range("cycle", self.cycle, 1.0, MAX_CYCLE)
        _in_range("decay_fraction", self.decay_fraction, 0.0, 1.0, open_low=True)
        if not isinstance(self.shape, str) or self.shape not in DECAY_SHAPES:
            raise ValueError(f"shape must be one of {', '.join(DECAY_SHAPES)}; "
                             f"got {self.shape!r}")

    def rate(self, step: int, steps: int, peak: float) -> float:
        """The learning rate at ``step`` (from 0) of a run of ``steps`` steps peaking at
        ``peak`` (dimensionless)."""
        if self.kind == "cosine":
            return cosine_rate(step, steps, peak, warmup_fraction=self.warmup_fraction,
                               final_fraction=self.final_fraction, cycle=self.cycle)
        if self.kind == "wsd":
            return wsd_rate(step, steps, peak, warmup_fraction=self.warmup_fraction,
                            decay_fraction=self.decay_fraction,
                            final_fraction=self.final_fraction, shape=self.shape)
        return constant_rate(step, steps, peak, warmup_fraction=self.warmup_fraction)

    def rates(self, steps: int, peak: float = 1.0) -> NDArray[np.float64]:
        """The rate at every step of a run of ``steps`` steps (at most 10^7 here), as an
        array of length ``steps``."""
        steps = check_positive_int("steps", steps)
        if steps > 10**7:
            raise ValueError(f"steps must be at most 1e+07 to list every rate; got {steps}")
        peak = _peak(peak)
        return np.array([self.rate(s, steps, peak) for s in range(steps)])
