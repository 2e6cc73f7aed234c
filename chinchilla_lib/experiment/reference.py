"""The course's reference sweep: the full IsoFLOP sweep of the toy model, trained once by the
command line and shipped with the library, so that the book, the challenge's grading and a
reader without a few spare minutes all read the same runs.

The files sit beside this module in ``data/``: ``full_sweep.csv`` (the runs, columns
``budget, width, N, D, flops, loss``, as ``python -m chinchilla_lib experiment`` writes them),
``full_sweep_curves.csv`` (each run's loss at its checkpoints, written with ``--curves``) and
``full_sweep.json`` (that command's own summary: the exact command, the library version,
the seed, the language's parameters and entropy rate, the number of runs and the wall time);
the small sweep's ``small_sweep.csv`` and ``small_sweep.json`` likewise.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from chinchilla_lib._validation import check_instance
from chinchilla_lib.experiment.challenge import ReferenceSweep
from chinchilla_lib.experiment.sweep import PlannedRun
from chinchilla_lib.experiment.trainer import TrainingRun
from chinchilla_lib.fitting._table import read_table
from chinchilla_lib.fitting.runs import IsoFlopRuns, Runs

__all__ = ["CURVE_COLUMNS", "SWEEP_COLUMNS", "curves_csv", "reference_curves",
           "reference_sweep", "sweep_csv"]

SWEEP_COLUMNS = ("budget", "width", "N", "D", "flops", "loss")
"""Columns of a sweep's CSV file, in order: the planned budget C (FLOPs), the width d, N
(parameters), D (tokens), the run's own 6ND (FLOPs; named ``flops``, not ``C``, because
:func:`~chinchilla_lib.fitting.read_runs_csv` and ``chinchilla fit`` refuse a file with both D
and C) and the final loss (nats per token, the exact population cross-entropy)."""


def _paired(planned: Sequence[PlannedRun], results: Sequence[TrainingRun]
            ) -> list[tuple[PlannedRun, TrainingRun]]:
    """The planned runs with what training them gave, checked to be the same runs in order."""
    planned, results = list(planned), list(results)
    if len(planned) != len(results):
        raise ValueError(f"planned and results must have one length; got {len(planned)} "
                         f"and {len(results)}")
    for plan, run in zip(planned, results, strict=True):
        check_instance("planned", plan, PlannedRun)
        check_instance("results", run, TrainingRun)
        if (plan.width, plan.tokens) != (run.width, run.n_tokens):
            raise ValueError(f"results must be the planned runs in order; got width "
                             f"{run.width} and {run.n_tokens} tokens for the plan's width "
                             f"{plan.width} and {plan.tokens} tokens")
    return list(zip(planned, results, strict=True))


CURVE_COLUMNS = ("budget", "width", "N", "D", "loss")
"""Columns of a sweep's loss-curve CSV: the run's budget (FLOPs), width and parameters N, the
tokens seen at a checkpoint and the population loss there (nats per token). With N, the file
is what ``chinchilla fit --approach 1`` reads (a run is a budget and an N:
:func:`~chinchilla_lib.fitting.runs.read_sweep_csv`)."""


def curves_csv(planned: Sequence[PlannedRun], results: Sequence[TrainingRun]) -> str:
    """The runs' loss curves (their checkpoints) as CSV text with the header
    :data:`CURVE_COLUMNS`, one row per checkpoint, runs in the order of ``planned``.

    Examples
    --------
    >>> plan = PlannedRun(budget=1e9, width=4, tokens=512)
    >>> run = TrainingRun(width=4, n_params=2560, n_tokens=512, flops=7864320.0, loss=6.1,
    ...                   entropy_rate=3.25, seconds=0.1, curve_tokens=(256, 512),
    ...                   curve_loss=(6.2, 6.1))
    >>> print(curves_csv([plan], [run]), end="")
    budget,width,N,D,loss
    1e+09,4,2560,256,6.2
    1e+09,4,2560,512,6.1
    """
    lines = [",".join(CURVE_COLUMNS)]
    for plan, run in _paired(planned, results):
        lines.extend(f"{float(plan.budget):g},{run.width},{run.n_params},{tokens},"
                     f"{float(loss)!r}"
                     for tokens, loss in zip(run.curve_tokens, run.curve_loss, strict=True))
    return "\n".join(lines) + "\n"


def sweep_csv(planned: Sequence[PlannedRun], results: Sequence[TrainingRun]) -> str:
    """A sweep's runs as CSV text with the header :data:`SWEEP_COLUMNS`.

    The budget is written as the sweep states it (``1e+10``), whole numbers as integers and
    6ND and the loss to full precision (``repr``), so the text is the same, byte for byte,
    for the same runs. Wall times are left out for that reason.

    Parameters
    ----------
    planned
        The runs as planned (:func:`~chinchilla_lib.experiment.plan_sweep`).
    results
        What training them gave (:func:`~chinchilla_lib.experiment.run_sweep`), in order.

    Raises
    ------
    TypeError
        If an element is not a :class:`PlannedRun` or :class:`TrainingRun`.
    ValueError
        If the two differ in length or a result is not its plan's width and tokens.

    Examples
    --------
    >>> plan = PlannedRun(budget=1e9, width=4, tokens=256)
    >>> run = TrainingRun(width=4, n_params=2560, n_tokens=256, flops=3932160.0, loss=6.2,
    ...                   entropy_rate=3.25, seconds=0.1)
    >>> print(sweep_csv([plan], [run]), end="")
    budget,width,N,D,flops,loss
    1e+09,4,2560,256,3932160.0,6.2
    """
    lines = [",".join(SWEEP_COLUMNS)]
    for plan, run in _paired(planned, results):
        lines.append(f"{float(plan.budget):g},{run.width},{run.n_params},{run.n_tokens},"
                     f"{float(run.flops)!r},{float(run.loss)!r}")
    return "\n".join(lines) + "\n"
_DATA = "data"


def _read(csv: Path, summary: Path) -> ReferenceSweep:
    table = read_table(csv, SWEEP_COLUMNS)
    width = table["width"]
    if not np.array_equal(width, np.round(width)):
        raise ValueError(f"{csv}: widths must be whole numbers")
    metadata = json.loads(summary.read_text(encoding="utf-8"))
    if metadata.get("n_runs") != width.size:
        raise ValueError(f"{summary}: n_runs is {metadata.get('n_runs')}, but {csv} holds "
                         f"{width.size} runs")
    if not isinstance(metadata.get("entropy_rate"), int | float):
        raise ValueError(f"{summary}: the entropy_rate (nats per token) is missing")
    runs = Runs(table["N"], table["D"], table["loss"])
    return ReferenceSweep(IsoFlopRuns(runs, table["budget"]), width.astype(np.int64),
                          float(metadata["entropy_rate"]), metadata)


def reference_curves() -> dict[str, NDArray[np.float64]]:
    """The loss curves of the course's full sweep: each run's population loss at its
    checkpoints (``experiment --curves``), for Approach 1's envelope.

    Returns
    -------
    dict of ndarray
        Columns ``budget`` (FLOPs), ``width``, ``N`` (parameters), ``D`` (tokens seen) and
        ``loss`` (nats per token), one entry per checkpoint.

    Examples
    --------
    >>> curves = reference_curves()
    >>> sorted(curves), bool(curves["loss"].min() > 3.25)
    (['D', 'N', 'budget', 'loss', 'width'], True)
    """
    folder = resources.files(__package__).joinpath(_DATA)
    with resources.as_file(folder.joinpath("full_sweep_curves.csv")) as path:
        return read_table(Path(path), CURVE_COLUMNS)


def reference_sweep(budget: str = "full") -> ReferenceSweep:
    """A committed IsoFLOP sweep of the toy model: the course's full sweep (5 budgets, 1e10 to
    1e12 FLOPs), or its small one (3 budgets, 1e9 to 1e10 FLOPs).

    Parameters
    ----------
    budget
        ``"full"`` or ``"small"``, as ``experiment --budget`` names them.

    Returns
    -------
    ~chinchilla_lib.experiment.challenge.ReferenceSweep
        Its runs (budgets, widths, N, D, 6ND and losses) and the summary of the command that
        made them; ``.runs`` gives them as :class:`~chinchilla_lib.fitting.Runs`.

    Examples
    --------
    >>> sweep = reference_sweep()
    >>> len(sweep), sweep.budgets.tolist()
    (45, [10000000000.0, 30000000000.0, 100000000000.0, 300000000000.0, 1000000000000.0])
    >>> bool(sweep.loss.min() > sweep.entropy_rate)
    True
    """
    if budget not in ("full", "small"):
        raise ValueError(f"budget must be 'full' or 'small'; got {budget!r}")
    folder = resources.files(__package__).joinpath(_DATA)
    name = f"{budget}_sweep"
    with resources.as_file(folder.joinpath(f"{name}.csv")) as csv, \
            resources.as_file(folder.joinpath(f"{name}.json")) as summary:
        return _read(Path(csv), Path(summary))
