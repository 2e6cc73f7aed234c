"""Schedules and learning rates on the reader's own model: loss curves of one model under
several learning-rate schedules (for Tissue et al.'s loss-curve law), and a learning-rate sweep
over widths under the standard parameterisation and muP (Yang et al. 2022).

Both studies are small (a minute or two on one core) and committed as data in
``experiment/data/`` (``schedule_curves.csv``, ``lr_sweep.csv``), made by::

    OPENBLAS_NUM_THREADS=1 python -m chinchilla_lib.experiment.tuning

and read back by :func:`reference_schedule_curves` and :func:`reference_lr_sweep`.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from chinchilla_lib._validation import check_instance, check_positive_int
from chinchilla_lib.experiment.language import DEFAULT_LANGUAGE, ToyLanguage
from chinchilla_lib.experiment.trainer import (
    BATCH_SIZE,
    MUP_BASE_WIDTH,
    PARAMETERISATIONS,
    peak_learning_rate,
    train,
)
from chinchilla_lib.fitting.annealing import (
    AnnealingFit,
    CurveErrors,
    curve_errors,
    fit_annealing_law,
)
from chinchilla_lib.laws.schedules import Schedule

__all__ = [
    "LR_SWEEP_RATES",
    "LR_SWEEP_TOKENS",
    "LR_SWEEP_WIDTHS",
    "SCHEDULE_STUDY",
    "ScheduleCurve",
    "ScheduleLawCheck",
    "check_schedule_law",
    "optimal_learning_rates",
    "reference_lr_sweep",
    "reference_schedule_curves",
    "run_lr_sweep",
    "run_schedule_curves",
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


def main() -> None:  # pragma: no cover - the command that made the committed data
    """Train both studies and write them into ``experiment/data/``."""
    folder = Path(__file__).parent / _DATA
    curves = run_schedule_curves(progress=lambda name: print("schedule:", name, flush=True))
    (folder / "schedule_curves.csv").write_text(_curves_csv(curves), encoding="utf-8")
    sweep = run_lr_sweep(progress=lambda p, w, r, loss: print(
        f"{p} width {w} lr {r:.4g}: {loss:.4f}", flush=True))
    (folder / "lr_sweep.csv").write_text(_sweep_csv(sweep), encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover
    main()
