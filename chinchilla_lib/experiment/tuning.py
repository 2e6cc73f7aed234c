"""Schedules and learning rates on the reader's own model: loss curves of one model under
several learning-rate schedules (for Tissue et al.'s loss-curve law), and a learning-rate sweep
over widths under the standard parameterisation and muP (Yang et al. 2022).

A third study branches WSD cool-downs off one stable run (:func:`wsd_branches`: the stable
phase trained once, each length's run to the bit) and compares them with the matched cosine
trained from scratch at each length.

The studies are small (a minute or two on one core) and committed as data in
``experiment/data/`` (``schedule_curves.csv``, ``lr_sweep.csv``, ``wsd_branches.csv``), made
by::

    OPENBLAS_NUM_THREADS=1 python -m chinchilla_lib.experiment.tuning

(``... tuning wsd`` for the branched-cool-down study alone), and read back by
:func:`reference_schedule_curves`, :func:`reference_lr_sweep` and
:func:`reference_wsd_study`.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from chinchilla_lib._validation import check_instance, check_positive_int, check_positive_real
from chinchilla_lib.experiment.language import DEFAULT_LANGUAGE, ToyLanguage
from chinchilla_lib.experiment.trainer import (
    BATCH_SIZE,
    MAX_TOKENS,
    MUP_BASE_WIDTH,
    PARAMETERISATIONS,
    WARMUP_FRACTION,
    TrainingRun,
    advance,
    peak_learning_rate,
    start_training,
    train,
)
from chinchilla_lib.fitting.annealing import (
    AnnealingFit,
    CurveErrors,
    curve_errors,
    fit_annealing_law,
)
from chinchilla_lib.laws.schedules import Schedule, wsd_decay_start
from chinchilla_lib.quantities import next_token_model_parameters, training_flops

__all__ = [
    "LR_SWEEP_RATES",
    "LR_SWEEP_TOKENS",
    "LR_SWEEP_WIDTHS",
    "SCHEDULE_STUDY",
    "WSD_STUDY",
    "ScheduleCurve",
    "ScheduleLawCheck",
    "WSDBranches",
    "WSDStudy",
    "check_schedule_law",
    "optimal_learning_rates",
    "reference_lr_sweep",
    "reference_schedule_curves",
    "reference_wsd_study",
    "run_lr_sweep",
    "run_schedule_curves",
    "run_wsd_study",
    "wsd_branches",
]

SCHEDULE_STUDY = {
    "width": 32,
    "tokens": 256_000,
    "checkpoints": 60,
    "schedules": {
        "constant": Schedule("constant"),
        "cosine": Schedule("cosine"),
        "cosine, cycle 2x the run": Schedule("cosine", cycle=2.0),
        "wsd, linear decay": Schedule("wsd", decay_fraction=0.2, shape="linear"),
        "wsd, 1-sqrt decay": Schedule("wsd", decay_fraction=0.2, shape="1-sqrt"),
    },
}
"""The schedule study: one model (width 32, the default language, 256,000 tokens = 1,000 steps
at the course's peak rate), five schedules, 60 evenly spaced checkpoints each."""

LR_SWEEP_WIDTHS = (16, 64, 256)
"""Widths of the learning-rate sweep."""
LR_SWEEP_RATES = tuple(0.6 / 2**k for k in range(8))
"""Peak learning rates of the sweep: 0.6 halved seven times (0.6 to about 0.0047)."""
LR_SWEEP_TOKENS = 256_000
"""Training tokens of every run of the sweep (1,000 steps)."""

_DATA = "data"
_CURVE_COLUMNS = ("schedule", "step", "tokens", "rate", "loss")
_SWEEP_COLUMNS = ("parameterisation", "width", "peak_lr", "loss")


@dataclass(frozen=True)
class ScheduleCurve:
    """One run's loss curve under a schedule.

    Attributes
    ----------
    name
        The schedule's name in :data:`SCHEDULE_STUDY`.
    rates
        The learning rate at every step of the run (dimensionless).
    steps
        Checkpoints, as counts of steps done.
    loss
        Population loss at the checkpoints, nats per token.
    """

    name: str
    rates: NDArray[np.float64]
    steps: NDArray[np.int64]
    loss: NDArray[np.float64]

    @property
    def tokens(self) -> NDArray[np.int64]:
        """Tokens seen at each checkpoint."""
        return self.steps * BATCH_SIZE

    def as_triple(self, min_step: int = 1) -> tuple[NDArray[np.float64], NDArray[np.int64],
                                                    NDArray[np.float64]]:
        """``(rates, steps, loss)`` from checkpoint ``min_step`` on, as the fitter takes it."""
        keep = self.steps >= check_positive_int("min_step", min_step)
        return self.rates, self.steps[keep], self.loss[keep]


def run_schedule_curves(language: ToyLanguage = DEFAULT_LANGUAGE, *, seed: int = 0,
                        progress: Callable[[str], None] | None = None) -> list[ScheduleCurve]:
    """Train the schedule study (:data:`SCHEDULE_STUDY`): one run per schedule, same model,
    data and peak rate (a few seconds each).

    Parameters
    ----------
    language
        The data source.
    seed
        Seed of the weights and the data (whole number >= 0).
    progress
        Called with each schedule's name after its run.

    Returns
    -------
    list of ScheduleCurve
        In the order of :data:`SCHEDULE_STUDY`.
    """
    check_instance("language", language, ToyLanguage)
    seed = check_positive_int("seed", seed, minimum=0)
    width, tokens = SCHEDULE_STUDY["width"], SCHEDULE_STUDY["tokens"]
    steps = -(-tokens // BATCH_SIZE)
    peak = peak_learning_rate(width)
    curves = []
    for name, schedule in SCHEDULE_STUDY["schedules"].items():
        run = train(language, width, tokens, seed=seed, data_seed=seed, schedule=schedule,
                    checkpoints=SCHEDULE_STUDY["checkpoints"], checkpoint_spacing="linear")
        curves.append(ScheduleCurve(name, schedule.rates(steps, peak),
                                    np.array(run.curve_tokens, dtype=np.int64) // BATCH_SIZE,
                                    np.array(run.curve_loss)))
        if progress is not None:
            progress(name)
    return curves


def _curves_csv(curves: Sequence[ScheduleCurve]) -> str:
    lines = [",".join(_CURVE_COLUMNS)]
    for curve in curves:
        for step, loss in zip(curve.steps, curve.loss, strict=True):
            lines.append(f'"{curve.name}",{step},{step * BATCH_SIZE},'
                         f"{float(curve.rates[step - 1])!r},{float(loss)!r}")
    return "\n".join(lines) + "\n"


def _read_curves(text: str) -> list[ScheduleCurve]:
    import csv

    rows = list(csv.DictReader(io.StringIO(text)))
    width, tokens = SCHEDULE_STUDY["width"], SCHEDULE_STUDY["tokens"]
    steps = -(-tokens // BATCH_SIZE)
    peak = peak_learning_rate(width)
    curves = []
    for name, schedule in SCHEDULE_STUDY["schedules"].items():
        mine = [r for r in rows if r["schedule"] == name]
        curves.append(ScheduleCurve(name, schedule.rates(steps, peak),
                                    np.array([int(r["step"]) for r in mine], dtype=np.int64),
                                    np.array([float(r["loss"]) for r in mine])))
    return curves


def reference_schedule_curves() -> list[ScheduleCurve]:
    """The committed schedule study (``experiment/data/schedule_curves.csv``).

    Examples
    --------
    >>> curves = reference_schedule_curves()
    >>> [c.name for c in curves][:2], int(curves[0].steps[-1])
    (['constant', 'cosine'], 1000)
    """
    folder = resources.files(__package__).joinpath(_DATA)
    return _read_curves(folder.joinpath("schedule_curves.csv").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class ScheduleLawCheck:
    """Tissue et al.'s law fitted on some schedules' curves and checked on the others.

    Attributes
    ----------
    fit
        The fit (:class:`~chinchilla_lib.fitting.AnnealingFit`) on the ``fitted`` curves.
    fitted
        Names of the schedules fitted.
    errors
        For every schedule of the study, the fitted law's errors against its curve
        (:class:`~chinchilla_lib.fitting.CurveErrors`, nats per token).
    """

    fit: AnnealingFit
    fitted: tuple[str, ...]
    errors: dict[str, CurveErrors]


def check_schedule_law(curves: Sequence[ScheduleCurve],
                       fitted: Sequence[str] = ("constant", "cosine"), *,
                       decay: float | None = None, min_step: int = 20) -> ScheduleLawCheck:
    """Fit Tissue et al.'s law on the ``fitted`` schedules' curves and measure its error on
    every curve (the others are predictions).

    Parameters
    ----------
    curves
        The study's curves (:func:`reference_schedule_curves` or :func:`run_schedule_curves`).
    fitted
        Names of the curves to fit.
    decay
        The annealing decay factor lambda, or None to choose it from
        :data:`~chinchilla_lib.fitting.annealing.DECAY_GRID`.
    min_step
        Checkpoints before this step (by default 20, the end of the warm-up of 2% of 1,000
        steps) are left out of the fit and of the errors.

    Examples
    --------
    >>> check = check_schedule_law(reference_schedule_curves())
    >>> check.fitted, sorted(check.errors)[:2]
    (('constant', 'cosine'), ['constant', 'cosine'])
    """
    by_name = {}
    for curve in curves:
        check_instance("curves", curve, ScheduleCurve)
        by_name[curve.name] = curve
    names = tuple(fitted)
    unknown = [n for n in names if n not in by_name]
    if unknown or not names:
        raise ValueError(f"fitted must name curves among {sorted(by_name)}; got {names!r}")
    fit = fit_annealing_law([by_name[n].as_triple(min_step) for n in names], decay=decay)
    errors = {name: curve_errors(fit.law, *curve.as_triple(min_step))
              for name, curve in by_name.items()}
    return ScheduleLawCheck(fit=fit, fitted=names, errors=errors)


def run_lr_sweep(language: ToyLanguage = DEFAULT_LANGUAGE, *,
                 widths: Sequence[int] = LR_SWEEP_WIDTHS,
                 rates: Sequence[float] = LR_SWEEP_RATES, tokens: int = LR_SWEEP_TOKENS,
                 parameterisations: Sequence[str] = PARAMETERISATIONS, seed: int = 0,
                 progress: Callable[[str, int, float, float], None] | None = None
                 ) -> dict[str, NDArray[np.float64]]:
    """Final loss for every (parameterisation, width, peak rate), all on ``tokens`` tokens
    with the default schedule; muP's base width is :data:`MUP_BASE_WIDTH`.

    Returns
    -------
    dict of ndarray
        Columns ``parameterisation`` (0 standard, 1 muP, by :data:`PARAMETERISATIONS`),
        ``width``, ``peak_lr`` and ``loss`` (nats per token), one entry per run.
    """
    check_instance("language", language, ToyLanguage)
    rows: list[tuple[int, int, float, float]] = []
    for p in parameterisations:
        if p not in PARAMETERISATIONS:
            raise ValueError(f"parameterisations must be among {PARAMETERISATIONS}; got {p!r}")
        for width in widths:
            for rate in rates:
                run = train(language, width, tokens, seed=seed, data_seed=seed, peak_lr=rate,
                            parameterisation=p, base_width=MUP_BASE_WIDTH)
                rows.append((PARAMETERISATIONS.index(p), run.width, float(rate), run.loss))
                if progress is not None:
                    progress(p, run.width, float(rate), run.loss)
    table = np.array(rows, dtype=np.float64).reshape(-1, 4)
    return dict(zip(_SWEEP_COLUMNS, table.T, strict=True))


def reference_lr_sweep() -> dict[str, NDArray[np.float64]]:
    """The committed learning-rate sweep (``experiment/data/lr_sweep.csv``), as
    :func:`run_lr_sweep` returns it.

    Examples
    --------
    >>> sweep = reference_lr_sweep()
    >>> sorted(set(sweep["width"].tolist())), len(sweep["loss"])
    ([16.0, 64.0, 256.0], 48)
    """
    import csv

    folder = resources.files(__package__).joinpath(_DATA)
    text = folder.joinpath("lr_sweep.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    return {"parameterisation": np.array([float(PARAMETERISATIONS.index(r["parameterisation"]))
                                          for r in rows]),
            "width": np.array([float(r["width"]) for r in rows]),
            "peak_lr": np.array([float(r["peak_lr"]) for r in rows]),
            "loss": np.array([float(r["loss"]) for r in rows])}


def optimal_learning_rates(sweep: dict[str, NDArray[np.float64]]
                           ) -> dict[str, dict[int, float]]:
    """The best peak rate per width under each parameterisation: the minimum of a parabola
    through the lowest loss and its two neighbours in log rate (the grid's best rate when it
    lies at an end of the grid).

    Parameters
    ----------
    sweep
        Columns as :func:`run_lr_sweep` returns them.

    Returns
    -------
    dict
        ``{"standard": {width: rate}, "mup": {width: rate}}``.

    Examples
    --------
    >>> best = optimal_learning_rates(reference_lr_sweep())
    >>> sorted(best), sorted(best["mup"])
    (['mup', 'standard'], [16, 64, 256])
    """
    if not isinstance(sweep, dict) or not set(_SWEEP_COLUMNS) <= set(sweep):
        raise TypeError(f"sweep must be a dict with columns {_SWEEP_COLUMNS}")
    best: dict[str, dict[int, float]] = {}
    for index, name in enumerate(PARAMETERISATIONS):
        chosen = sweep["parameterisation"] == index
        if not chosen.any():
            continue
        best[name] = {}
        for width in np.unique(sweep["width"][chosen]):
            mine = chosen & (sweep["width"] == width)
            order = np.argsort(sweep["peak_lr"][mine])
            x = np.log(sweep["peak_lr"][mine][order])
            y = sweep["loss"][mine][order]
            k = int(np.argmin(y))
            if 0 < k < x.size - 1:
                a, b, _ = np.polyfit(x[k - 1:k + 2], y[k - 1:k + 2], 2)
                log_best = -b / (2 * a) if a > 0 else x[k]
            else:
                log_best = x[k]
            best[name][int(width)] = float(np.exp(log_best))
    return best


def _sweep_csv(sweep: dict[str, NDArray[np.float64]]) -> str:
    lines = [",".join(_SWEEP_COLUMNS)]
    for p, w, r, loss in zip(*(sweep[c] for c in _SWEEP_COLUMNS), strict=True):
        lines.append(f"{PARAMETERISATIONS[int(p)]},{int(w)},{float(r)!r},{float(loss)!r}")
    return "\n".join(lines) + "\n"


WSD_STUDY = {
    "width": 32,
    "tokens": (64_000, 128_000, 192_000, 256_000),
    "decay_fraction": 0.2,
    "shape": "1-sqrt",
    "checkpoints": 40,
}
"""The branched-cool-down study: the schedule study's model (width 32, the default language,
seed 0), one WSD stable run with a 1-sqrt cool-down over the last 20% branched off it for
runs of 250, 500, 750 and 1,000 steps (:func:`wsd_branches`), and the trainer's matched cosine
trained from scratch at each length; losses at about 40 evenly spaced checkpoints of the
longest run."""

_WSD_COLUMNS = ("run", "length", "step", "tokens", "loss")


@dataclass(frozen=True)
class WSDBranches:
    """One WSD stable run and the cool-downs branched off it (:func:`wsd_branches`).

    Attributes
    ----------
    stable
        The warm-up and stable phase, up to the last branch point (its ``loss`` is the loss
        there, at the peak rate).
    runs
        One run per length, shortest first, as a from-scratch run of that length under
        ``schedules`` would give it: its final loss, and a curve made of the stable run's
        checkpoints up to its branch point and the cool-down's after it. ``seconds`` is the
        cool-down's wall time alone.
    schedules
        For each run, the WSD :class:`~chinchilla_lib.laws.schedules.Schedule` that
        :func:`~chinchilla_lib.experiment.trainer.train` would follow from scratch for the
        same rates (its warm-up fraction is the shared warm-up over the run's steps).
    branch_steps
        For each run, the step at which its cool-down leaves the stable run (the decay's
        first step, :func:`~chinchilla_lib.laws.schedules.wsd_decay_start`).
    batch_size
        Tokens per step.
    """

    stable: TrainingRun
    runs: tuple[TrainingRun, ...]
    schedules: tuple[Schedule, ...]
    branch_steps: tuple[int, ...]
    batch_size: int

    @property
    def lengths(self) -> tuple[int, ...]:
        """Each run's length, optimiser steps."""
        return tuple(run.n_tokens // self.batch_size for run in self.runs)

    @property
    def steps_spent(self) -> int:
        """Optimiser steps the branching took: the stable run once, plus every cool-down."""
        return self.branch_steps[-1] + sum(
            n - s for n, s in zip(self.lengths, self.branch_steps, strict=True))

    @property
    def steps_from_scratch(self) -> int:
        """Optimiser steps one run from scratch per length would take (their sum)."""
        return sum(self.lengths)

    @property
    def flops_spent(self) -> float:
        """C = 6ND of the steps the branching took, FLOPs."""
        return float(training_flops(self.stable.n_params, self.steps_spent * self.batch_size))

    @property
    def flops_from_scratch(self) -> float:
        """C = 6ND of one run from scratch per length, FLOPs."""
        return float(training_flops(self.stable.n_params,
                                    self.steps_from_scratch * self.batch_size))


def wsd_branches(language: ToyLanguage, width: int, tokens: Sequence[int], *,
                 decay_fraction: float = 0.2, shape: str = "1-sqrt",
                 warmup_steps: int | None = None, seed: int = 0,
                 batch_size: int = BATCH_SIZE, peak_lr: float | None = None,
                 checkpoints: int = 0) -> WSDBranches:
    """Train the warm-up and stable phase of a WSD schedule once, and branch a cool-down off
    it for each run length in ``tokens`` (Hu et al. 2024; Hagele et al. 2024).

    A WSD run of n steps holds the peak rate until its decay starts, at step
    ``s = wsd_decay_start(n, decay_fraction)``, then decays to the trainer's final rate in
    ``shape``. With a warm-up of the same number of steps for every length, runs of every
    length take the same steps (same rates, same data) up to their own ``s``: so one run at
    the peak rate, copied (:meth:`~chinchilla_lib.experiment.trainer.TrainingState.fork`) at
    each ``s`` and decayed over the remaining ``n - s`` steps, gives each length's run to the
    bit, for the stable steps once and a cool-down each. This is checked on the rates before
    training: a length whose from-scratch rates before its ``s`` differ from the stable run's
    is refused.

    Parameters
    ----------
    language
        The data source.
    width
        The model's width d (whole number, 1 to :data:`~chinchilla_lib.experiment.trainer.
        MAX_WIDTH`).
    tokens
        D of each run, tokens (whole numbers, each rounded up to whole batches, no two
        alike after rounding; at most :data:`~chinchilla_lib.experiment.trainer.MAX_TOKENS`
        each).
    decay_fraction
        Share of each run spent cooling down, in (0, 1].
    shape
        The cool-down's shape (:data:`~chinchilla_lib.laws.schedules.DECAY_SHAPES`).
    warmup_steps
        The warm-up, optimiser steps, shared by every length (whole number >= 1, ending
        before the shortest run's decay); by default the trainer's share
        (:data:`~chinchilla_lib.experiment.trainer.WARMUP_FRACTION`) of the longest run.
    seed
        Seed of the weights and the data (whole number >= 0).
    batch_size
        Tokens per step (whole number >= 1).
    peak_lr
        The peak rate; by default :func:`~chinchilla_lib.experiment.trainer.
        peak_learning_rate` of ``width``.
    checkpoints
        Record the loss about this many times, evenly spaced over the longest run, plus at
        every branch point and every run's end (0 for none).

    Returns
    -------
    WSDBranches
        The stable run, one run per length (shortest first) and the steps and FLOPs spent
        against one run from scratch per length.

    Raises
    ------
    TypeError
        If ``language`` is not a :class:`ToyLanguage` or ``tokens`` not a sequence of whole
        numbers.
    ValueError
        If a size is out of range, two lengths round to the same steps, or the warm-up
        does not end before the shortest run's decay.

    Examples
    --------
    >>> language = ToyLanguage(vocab_size=32, seed=1)
    >>> b = wsd_branches(language, 4, [2_560, 5_120], batch_size=64)
    >>> b.lengths, b.branch_steps, b.steps_spent, b.steps_from_scratch
    ((40, 80), (32, 64), 88, 120)
    """
    check_instance("language", language, ToyLanguage)
    d = check_positive_int("width", width)
    batch = check_positive_int("batch_size", batch_size)
    if isinstance(tokens, str | bytes) or not isinstance(tokens, Sequence | np.ndarray):
        raise TypeError(f"tokens must be a sequence of whole numbers; got "
                        f"{type(tokens).__name__}")
    if len(tokens) == 0:
        raise ValueError("tokens must name at least one run length")
    lengths = []
    for t in tokens:
        total = check_positive_int("tokens", t)
        if total > MAX_TOKENS:
            raise ValueError(f"tokens must be at most {MAX_TOKENS:.0e} each; got {total}")
        lengths.append(-(-total // batch))
    if len(set(lengths)) != len(lengths):
        raise ValueError(f"tokens must give distinct run lengths in steps of {batch} tokens; "
                         f"got {sorted(lengths)} steps")
    lengths.sort()
    schedule_check = Schedule("wsd", decay_fraction=decay_fraction, shape=shape)
    starts = [wsd_decay_start(n, schedule_check.decay_fraction) for n in lengths]
    if warmup_steps is None:
        warmup = max(1, round(WARMUP_FRACTION * lengths[-1]))
    else:
        warmup = check_positive_int("warmup_steps", warmup_steps)
    if warmup >= starts[0]:
        raise ValueError(f"warmup_steps must end before the shortest run's decay, at step "
                         f"{starts[0]}; got {warmup}")
    check_positive_int("seed", seed, minimum=0)
    check_positive_int("checkpoints", checkpoints, minimum=0)
    peak = peak_learning_rate(d) if peak_lr is None else check_positive_real("peak_lr", peak_lr)
    schedules = tuple(Schedule("wsd", warmup_fraction=warmup / n, decay_fraction=decay_fraction,
                               shape=shape) for n in lengths)
    rates = [s.rates(n, peak) for s, n in zip(schedules, lengths, strict=True)]
    stable_rates = rates[-1][:starts[-1]]
    for n, s, r in zip(lengths, starts, rates, strict=True):
        if not np.array_equal(r[:s], stable_rates[:s]):   # the claim the branching rests on
            raise ValueError(f"the run of {n} steps does not share the stable run's rates "
                             f"before its decay (step {s})")
    if checkpoints:
        every = max(1, round(lengths[-1] / checkpoints))
        grid = set(range(every, lengths[-1] + 1, every))
    else:
        grid = set()
    stable_marks = {m for m in grid if m <= starts[-1]} | set(starts) if checkpoints else set()
    state = start_training(language, d, seed=seed, data_seed=seed, batch_size=batch)
    curve: list[tuple[int, float]] = []
    stable_seconds = 0.0
    runs = []
    for n, s, r in zip(lengths, starts, rates, strict=True):
        clock = time.perf_counter()
        got = advance(state, stable_rates[state.steps_done:s], checkpoints=stable_marks)
        stable_seconds += time.perf_counter() - clock
        curve.extend(zip(*got, strict=True))
        branch = state.fork()
        marks = ({m for m in grid if s < m <= n} | {n}) if checkpoints else set()
        clock = time.perf_counter()
        steps, losses = advance(branch, r[s:], checkpoints=marks)
        seconds = time.perf_counter() - clock
        mine = [(k, v) for k, v in curve if k <= s] + list(zip(steps, losses, strict=True))
        loss = losses[-1] if checkpoints else branch.loss()
        runs.append(branch.run(loss, seconds, [k for k, _ in mine], [v for _, v in mine]))
    stable_loss = curve[-1][1] if checkpoints else state.loss()
    stable = state.run(stable_loss, stable_seconds, [k for k, _ in curve], [v for _, v in curve])
    return WSDBranches(stable=stable, runs=tuple(runs), schedules=schedules,
                       branch_steps=tuple(starts), batch_size=batch)


@dataclass(frozen=True)
class WSDStudy:
    """The branched-cool-down study (:data:`WSD_STUDY`): WSD cool-downs off one stable run
    against the trainer's matched cosine trained from scratch at each length.

    Attributes
    ----------
    branches
        The stable run and its cool-downs (:func:`wsd_branches`).
    cosine
        One run from scratch per length under the trainer's default schedule (a cosine
        matched to the run), shortest first.
    """

    branches: WSDBranches
    cosine: tuple[TrainingRun, ...]

    @property
    def lengths(self) -> tuple[int, ...]:
        """Each run's length, optimiser steps."""
        return self.branches.lengths

    @property
    def wsd_loss(self) -> NDArray[np.float64]:
        """Each WSD branch's final loss, nats per token."""
        return np.array([run.loss for run in self.branches.runs])

    @property
    def cosine_loss(self) -> NDArray[np.float64]:
        """Each matched-cosine run's final loss, nats per token."""
        return np.array([run.loss for run in self.cosine])


def run_wsd_study(language: ToyLanguage = DEFAULT_LANGUAGE, *, seed: int = 0,
                  progress: Callable[[str], None] | None = None) -> WSDStudy:
    """Train the branched-cool-down study (:data:`WSD_STUDY`; about half a minute).

    Parameters
    ----------
    language
        The data source.
    seed
        Seed of the weights and the data (whole number >= 0).
    progress
        Called with a short description after each part.

    Returns
    -------
    WSDStudy
        The branches and the matched-cosine runs.
    """
    check_instance("language", language, ToyLanguage)
    seed = check_positive_int("seed", seed, minimum=0)
    study = WSD_STUDY
    branches = wsd_branches(language, study["width"], study["tokens"],
                            decay_fraction=study["decay_fraction"], shape=study["shape"],
                            seed=seed, checkpoints=study["checkpoints"])
    if progress is not None:
        progress("wsd branches")
    longest = max(branches.lengths)
    cosine = []
    for n in branches.lengths:
        cosine.append(train(language, study["width"], n * BATCH_SIZE, seed=seed, data_seed=seed,
                            checkpoints=max(2, round(study["checkpoints"] * n / longest)),
                            checkpoint_spacing="linear"))
        if progress is not None:
            progress(f"cosine, {n} steps")
    return WSDStudy(branches=branches, cosine=tuple(cosine))


def _wsd_csv(study: WSDStudy) -> str:
    lines = [",".join(_WSD_COLUMNS)]
    groups = [("stable", study.branches.branch_steps[-1], study.branches.stable)]
    groups += [("wsd", n, r) for n, r in zip(study.lengths, study.branches.runs, strict=True)]
    groups += [("cosine", n, r) for n, r in zip(study.lengths, study.cosine, strict=True)]
    for name, n, run in groups:
        for tokens, loss in zip(run.curve_tokens, run.curve_loss, strict=True):
            lines.append(f"{name},{n},{tokens // BATCH_SIZE},{tokens},{float(loss)!r}")
    return "\n".join(lines) + "\n"


def _read_wsd(text: str, language: ToyLanguage = DEFAULT_LANGUAGE) -> WSDStudy:
    import csv

    rows = list(csv.DictReader(io.StringIO(text)))
    study = WSD_STUDY
    width = study["width"]
    lengths = sorted(-(-t // BATCH_SIZE) for t in study["tokens"])
    starts = tuple(wsd_decay_start(n, study["decay_fraction"]) for n in lengths)
    warmup = max(1, round(WARMUP_FRACTION * lengths[-1]))
    schedules = tuple(Schedule("wsd", warmup_fraction=warmup / n,
                               decay_fraction=study["decay_fraction"], shape=study["shape"])
                      for n in lengths)
    n_params = next_token_model_parameters(language.vocab_size, width).dense

    def run(name: str, n: int) -> TrainingRun:
        mine = [r for r in rows if r["run"] == name and int(r["length"]) == n]
        if not mine:
            raise ValueError(f"the WSD study's data has no {name} run of {n} steps")
        steps = tuple(int(r["step"]) for r in mine)
        loss = tuple(float(r["loss"]) for r in mine)
        return TrainingRun(width=width, n_params=n_params, n_tokens=steps[-1] * BATCH_SIZE,
                           flops=float(training_flops(n_params, steps[-1] * BATCH_SIZE)),
                           loss=loss[-1], entropy_rate=language.entropy_rate,
                           seconds=float("nan"),
                           curve_tokens=tuple(s * BATCH_SIZE for s in steps), curve_loss=loss)

    branches = WSDBranches(stable=run("stable", starts[-1]),
                           runs=tuple(run("wsd", n) for n in lengths), schedules=schedules,
                           branch_steps=starts, batch_size=BATCH_SIZE)
    return WSDStudy(branches=branches, cosine=tuple(run("cosine", n) for n in lengths))


def reference_wsd_study() -> WSDStudy:
    """The committed branched-cool-down study (``experiment/data/wsd_branches.csv``), as
    :func:`run_wsd_study` made it (wall times not stored: ``seconds`` is nan).

    Examples
    --------
    >>> study = reference_wsd_study()
    >>> study.lengths, study.branches.steps_spent, study.branches.steps_from_scratch
    ((250, 500, 750, 1000), 1300, 2500)
    """
    folder = resources.files(__package__).joinpath(_DATA)
    return _read_wsd(folder.joinpath("wsd_branches.csv").read_text(encoding="utf-8"))


def main(argv: Sequence[str] | None = None) -> None:  # pragma: no cover - made the data
    """Train the studies and write them into ``experiment/data/`` (with the argument ``wsd``,
    only the branched-cool-down study)."""
    import sys

    folder = Path(__file__).parent / _DATA
    wsd = run_wsd_study(progress=lambda part: print("wsd study:", part, flush=True))
    (folder / "wsd_branches.csv").write_text(_wsd_csv(wsd), encoding="utf-8")
    if list(sys.argv[1:] if argv is None else argv) == ["wsd"]:
        return
    curves = run_schedule_curves(progress=lambda name: print("schedule:", name, flush=True))
    (folder / "schedule_curves.csv").write_text(_curves_csv(curves), encoding="utf-8")
    sweep = run_lr_sweep(progress=lambda p, w, r, loss: print(
        f"{p} width {w} lr {r:.4g}: {loss:.4f}", flush=True))
    (folder / "lr_sweep.csv").write_text(_sweep_csv(sweep), encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover
    main()
