"""IsoFLOP sweeps of the toy model: which runs to train for a set of compute budgets, and
training them on every core, deterministically for a seed.

For each budget C the sweep trains :data:`WIDTHS_PER_BUDGET` widths spaced by factors of
sqrt(2) around a rough guess of the compute-optimal width (:func:`guess_optimal_width`), each
on D = C / 6N tokens: Hoffmann et al.'s Approach 2 design, on a laptop.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from chinchilla_lib._validation import check_instance, check_positive_int, check_positive_real
from chinchilla_lib.experiment.language import DEFAULT_LANGUAGE, ToyLanguage
from chinchilla_lib.experiment.trainer import BATCH_SIZE, TrainingRun, train
from chinchilla_lib.quantities import FLOPS_PER_PARAM_TOKEN, next_token_model_parameters

__all__ = ["SWEEP_BUDGETS", "WIDTHS_PER_BUDGET", "PlannedRun", "guess_optimal_width",
           "plan_sweep", "run_sweep", "tokens_for_budget"]

SWEEP_BUDGETS = {
    "small": (1e9, 3e9, 1e10),
    "full": (1e10, 3e10, 1e11, 3e11, 1e12),
}
"""Compute budgets of each sweep, FLOPs."""
WIDTHS_PER_BUDGET = 9
"""Widths trained per budget: the guessed optimum and four sqrt(2) steps either side
(a factor of 4 each way)."""
GUESS_WIDTH, GUESS_FLOPS, GUESS_EXPONENT = 16.0, 1e10, 0.45
"""The rough guess that centres each IsoFLOP grid: width 16 at 1e10 FLOPs, growing as
C**0.45 (read off two trial IsoFLOP lines, not fitted; the grids only need to bracket the
optimum)."""




def guess_optimal_width(flops: float) -> float:
    """The rough compute-optimal width that centres the IsoFLOP grid at ``flops`` FLOPs.

    Raises
    ------
    TypeError
        If ``flops`` is not a real number.
    ValueError
        If it is not finite and > 0.
    """
    flops = check_positive_real("flops", flops, "FLOPs")
    return GUESS_WIDTH * (flops / GUESS_FLOPS) ** GUESS_EXPONENT


def tokens_for_budget(width: int, flops: float,
                      vocab_size: int = DEFAULT_LANGUAGE.vocab_size) -> int:
    """The training tokens D that spend ``flops`` (FLOPs) on a model of ``width``: ``C / 6N``
    rounded to whole batches of :data:`~chinchilla_lib.experiment.trainer.BATCH_SIZE` (at
    least one batch), N the model's dense parameters.

    Examples
    --------
    >>> tokens_for_budget(16, 1e10)
    191488
    """
    n = next_token_model_parameters(vocab_size, width).dense
    c = check_positive_real("flops", flops, "FLOPs")
    batches = max(1, round(c / (FLOPS_PER_PARAM_TOKEN * n) / BATCH_SIZE))
    return batches * BATCH_SIZE


@dataclass(frozen=True)
class PlannedRun:
    """One run of a sweep: its budget (FLOPs), width and tokens (C / 6N, whole batches)."""

    budget: float
    width: int
    tokens: int


def plan_sweep(budgets: Sequence[float], vocab_size: int = DEFAULT_LANGUAGE.vocab_size,
               widths_per_budget: int = WIDTHS_PER_BUDGET) -> list[PlannedRun]:
    """The runs of an IsoFLOP sweep over ``budgets`` (FLOPs), in order of budget and width.

    Widths below 2 are dropped; each run's tokens are ``C / 6N`` rounded to whole batches of
    :data:`~chinchilla_lib.experiment.trainer.BATCH_SIZE` (at least one batch).

    Raises
    ------
    TypeError
        If ``budgets`` is not a sequence of real numbers.
    ValueError
        If a budget is not finite and > 0, or ``vocab_size`` or ``widths_per_budget`` is not
        a whole number in range.
    """
    count = check_positive_int("widths_per_budget", widths_per_budget)
    if isinstance(budgets, str | bytes) or not isinstance(budgets, Sequence | np.ndarray):
        raise TypeError(f"budgets must be a sequence of FLOP budgets; got "
                        f"{type(budgets).__name__}")
    runs: list[PlannedRun] = []
    for budget in budgets:
        c = check_positive_real("budgets", budget, "FLOPs")
        centre = guess_optimal_width(c)
        steps = np.arange(count) - (count - 1) / 2
        widths = sorted({max(2, round(centre * 2 ** (k / 2))) for k in steps})
        for width in widths:
            runs.append(PlannedRun(budget=c, width=width,
                                   tokens=tokens_for_budget(width, c, vocab_size)))
    return runs


def _train_one(args: tuple[ToyLanguage, PlannedRun, int, int]) -> TrainingRun:
    language, planned, seed, checkpoints = args
    return train(language, planned.width, planned.tokens, seed=seed, data_seed=seed,
                 checkpoints=checkpoints)


def run_sweep(planned: Sequence[PlannedRun], *, language: ToyLanguage = DEFAULT_LANGUAGE,
              seed: int = 0, workers: int | None = None, checkpoints: int = 0,
              progress: Callable[[int, int, TrainingRun], None] | None = None
              ) -> list[TrainingRun]:
    """Train every planned run; the results come back in the order of ``planned``.

    Every run uses ``seed`` for its initial weights and its data stream, so a sweep is the
    same for a seed whatever the number of workers (up to floating-point rounding in the
    matrix library). Workers are separate processes, each with one BLAS thread.

    Parameters
    ----------
    planned
        The runs, from :func:`plan_sweep`.
    language
        The data source.
    seed
        Seed of weights and data (whole number >= 0).
    checkpoints
        Record each run's population loss at about this many log-spaced steps (0 for none;
        the final loss is the same either way), for Approach 1's envelope.
    workers
        Processes to train in (default: the machine's cores, at most the number of runs);
        1 trains in this process.
    progress
        Called as ``progress(done, total, run)`` after each run finishes.

    Raises
    ------
    TypeError
        If ``language`` is not a :class:`ToyLanguage`, an element of ``planned`` not a
        :class:`PlannedRun` or ``progress`` not callable.
    ValueError
        If ``seed`` or ``workers`` is not a whole number in range.
    """
    check_instance("language", language, ToyLanguage)
    seed = check_positive_int("seed", seed, minimum=0)
    runs = list(planned)
    for run in runs:
        check_instance("planned", run, PlannedRun)
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be callable or None; got {type(progress).__name__}")
    count = len(runs)
    if workers is None:
        workers = min(os.cpu_count() or 1, max(count, 1))
    workers = check_positive_int("workers", workers)
    # Longest runs first, so no worker is left with a long run at the end.
    order = sorted(range(count), key=lambda i: -runs[i].budget)
    checkpoints = check_positive_int("checkpoints", checkpoints, minimum=0)
    jobs = [(language, runs[i], seed, checkpoints) for i in order]
    results: list[TrainingRun | None] = [None] * count
    if workers == 1 or count <= 1:
        for done, (i, job) in enumerate(zip(order, jobs, strict=True), start=1):
            results[i] = _train_one(job)
            if progress is not None:
                progress(done, count, results[i])
        return [r for r in results if r is not None]
    saved = {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
                                           "MKL_NUM_THREADS")}
    os.environ.update({k: "1" for k in saved})
    try:
        context = multiprocessing.get_context("spawn")
        with context.Pool(workers) as pool:
            for done, (i, result) in enumerate(
                    zip(order, pool.imap(_train_one, jobs), strict=True), start=1):
                results[i] = result
                if progress is not None:
                    progress(done, count, result)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return [r for r in results if r is not None]
