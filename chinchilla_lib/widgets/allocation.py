"""The challenge's explorer: how the error of a compute-optimal prediction depends on how the
experiment budget was spent, read off the reference sweep (nothing trains)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
from matplotlib.figure import Figure

from chinchilla_lib import plotting
from chinchilla_lib._validation import check_instance, check_positive_int
from chinchilla_lib.experiment.challenge import (
    TARGET_FACTOR,
    Grade,
    Prediction,
    ReferenceSweep,
    grade,
    isoflop_optima,
    predict_optimum,
    select_design,
)
from chinchilla_lib.experiment.reference import reference_sweep
from chinchilla_lib.experiment.sweep import SWEEP_BUDGETS
from chinchilla_lib.fitting.power import log_ols
from chinchilla_lib.fitting.runs import IsoFlopRuns
from chinchilla_lib.widgets.base import Explorer

__all__ = ["AllocationExplorer", "AllocationOutcome", "allocation_outcome"]

MAX_SHIFT = 4
"""Largest off-centre shift offered, grid steps (factors of about sqrt(2) in width)."""


@dataclass(frozen=True)
class AllocationOutcome:
    """What one way of spending the budget gives.

    Attributes
    ----------
    design
        Indices of the reference runs the design uses.
    isoflop
        Those runs, grouped by budget.
    flops_spent
        Their summed 6ND, FLOPs.
    minima
        The design's IsoFLOP minima: (budgets in FLOPs, N_opt, loss in nats per token).
    target
        Where the prediction is made: :data:`TARGET_FACTOR` times the largest run, FLOPs.
    grade
        The prediction (Approach 2) graded against the reference; None when the design has
        fewer than two minima to fit a frontier through (``problem`` says so).
    problem
        Why no prediction could be made ("" when one was).
    settings
        The parameters the outcome was computed with.
    """

    design: np.ndarray
    isoflop: IsoFlopRuns
    flops_spent: float
    minima: tuple[np.ndarray, np.ndarray, np.ndarray]
    target: float
    grade: Grade | None
    problem: str = ""
    settings: dict[str, Any] = field(default_factory=dict)


def allocation_outcome(reference: ReferenceSweep, budgets: int, sizes: int, shift: int,
                       largest: float) -> AllocationOutcome:
    """Pick runs from ``reference`` (:func:`~chinchilla_lib.experiment.challenge.select_design`),
    predict by Approach 2 at ten times the largest and grade the prediction.

    Parameters
    ----------
    reference
        The reference sweep.
    budgets, sizes, shift, largest
        Number of budgets (>= 1), widths per budget (>= 1), off-centre shift of each grid (grid
        steps), largest budget used (FLOPs); as in ``select_design``.
    """
    check_instance("reference", reference, ReferenceSweep)
    design = select_design(reference, budgets, sizes, shift, largest)
    runs = reference.isoflop.runs.subset(design)
    isoflop = IsoFlopRuns(runs, reference.isoflop.budget[design])
    target = TARGET_FACTOR * float(runs.flops.max())
    minima = isoflop_optima(isoflop)
    settings = {"budgets": budgets, "sizes": sizes, "shift": shift, "largest": largest}
    if minima[0].size < 2:
        problem = (f"only {minima[0].size} budget(s) with an IsoFLOP minimum: no frontier to "
                   f"extrapolate (use 3 or more sizes per budget and 2 or more budgets)")
        return AllocationOutcome(design, isoflop, float(runs.flops.sum()), minima, target,
                                 None, problem, settings)
    prediction: Prediction = predict_optimum(isoflop, target, approach="2",
                                             entropy_rate=reference.entropy_rate)
    graded = grade(prediction, reference, isoflop)
    return AllocationOutcome(design, isoflop, float(runs.flops.sum()), minima, target, graded,
                             "", settings)


class AllocationExplorer(Explorer):
    """Number of budgets, widths per budget, off-centre shift and largest budget in; the
    prediction's error against the reference sweep out, with the reasons.

    Every setting picks a subset of the reference runs, so nothing trains; the prediction is
    Approach 2's (parabola minima, power laws through them) at :data:`TARGET_FACTOR` times the
    largest run. Outcomes are cached by setting.

    Make one with :meth:`for_reference` to explore a trained sweep; ``AllocationExplorer()``
    reads :attr:`reference_source` (for now a sweep simulated from
    :data:`~chinchilla_lib.experiment.challenge.SIMULATED_LAW`).

    Parameters
    ----------
    budgets
        How many consecutive reference budgets, ending at the largest (>= 1).
    sizes
        Widths per budget (>= 1; the reference grids hold 9).
    shift
        Off-centre shift of each grid, in steps of about sqrt(2) in width.
    log10_largest
        log10 of the largest budget used, FLOPs (snapped to the nearest reference budget).
    """

    defaults: ClassVar[dict[str, Any]] = {"budgets": 3, "sizes": 7, "shift": 0,
                                          "log10_largest": 11.0}
    book_grid: ClassVar[tuple[dict[str, tuple[Any, ...]], ...]] = (
        # The chapter's three levers, jointly, since each diagnosis depends on the others
        # ("fewer budgets, narrower grids and grids pushed off their valleys"): every budget
        # count the default largest budget allows (one of them draws no frontier), widths from
        # too few for a parabola to the whole grid, and shifts to the edge of a three-wide
        # window (a larger shift picks the same runs), at the default largest budget, whose
        # prediction lies inside the reference.
        {"budgets": (1, 2, 3), "sizes": (2, 3, 5, 7, 9), "shift": tuple(range(-3, 4))},
        # Then each largest budget of the slider (the reference sweep's budgets, on the
        # control's values) with every budget count it allows: the reference budgets up to it
        # (a larger count picks the same runs), the widths and the shift at their defaults.
        *({"budgets": tuple(range(1, i + 2)), "log10_largest": (float(np.log10(budget)),)}
          for i, budget in enumerate(SWEEP_BUDGETS["full"])),
    )
    """The book's frames: budgets, widths and shift jointly, then each largest budget with the
    budget counts it allows."""

    reference_source: ClassVar[Callable[[], ReferenceSweep]] = staticmethod(reference_sweep)
    """Where an explorer made without a reference gets one: the course's committed sweep."""

    @classmethod
    def for_reference(cls, reference: ReferenceSweep, **params: Any) -> AllocationExplorer:
        """An explorer of ``reference``'s runs (a trained sweep), with these parameters."""
        explorer = cls.__new__(cls)
        explorer.reference = check_instance("reference", reference, ReferenceSweep)
        explorer.__init__(**params)
        return explorer

    def setup(self) -> None:
        if not isinstance(getattr(self, "reference", None), ReferenceSweep):
            self.reference = type(self).reference_source()
        self._cache: dict[tuple[int, int, int, float], AllocationOutcome] = {}

    def _compute(self, **p: Any) -> AllocationOutcome:
        budgets = check_positive_int("budgets", p["budgets"])
        sizes = check_positive_int("sizes", p["sizes"])
        shift = p["shift"]
        if isinstance(shift, bool) or not isinstance(shift, int | np.integer | float):
            raise ValueError(f"shift must be a whole number of grid steps; got {shift!r}")
        if not (np.isfinite(shift) and shift == int(shift)):
            raise ValueError(f"shift must be a whole number of grid steps; got {shift!r}")
        log10_largest = float(p["log10_largest"])
        if not np.isfinite(log10_largest) or not -300 < log10_largest < 300:
            raise ValueError(f"log10_largest must be finite (a budget in FLOPs); got "
                             f"{p['log10_largest']!r}")
        # Snap to a reference budget, so settings that pick the same runs share a cache entry.
        grid = self.reference.budgets
        largest = float(grid[np.argmin(np.abs(np.log10(grid) - log10_largest))])
        key = (budgets, sizes, int(shift), largest)
        if key not in self._cache:
            self._cache[key] = allocation_outcome(self.reference, budgets, sizes, int(shift),
                                                  largest)
        return self._cache[key]

    def make_figure(self) -> Figure:
        fig, (ax_iso, ax_front) = plotting.new_figure(2, width=9.5, height=3.9)
        ref = self.reference
        runs = ref.isoflop.runs
        colour = plotting.PAPER_COLOURS["this_course"]
        ax_iso.set_xscale("log")
        ax_iso.plot(runs.n_params, runs.loss, "o", ms=3, color="0.8", label="reference runs")
        ax_iso.set_xlabel("N, parameters")
        ax_iso.set_ylabel("final loss, nats per token")
        ax_iso.set_title("The runs your design trains")
        low, high = float(runs.loss.min()), float(np.quantile(runs.loss, 0.9))
        ax_iso.set_ylim(low - 0.1 * (high - low), high + 0.1 * (high - low))
        (chosen,) = ax_iso.plot([], [], "o", ms=4, color="#1f77b4", label="your runs")
        (fits,) = ax_iso.plot([], [], color="#1f77b4", lw=1.0)
        (minima,) = ax_iso.plot([], [], "*", ms=9, color=colour, label="your minima")
        self._chosen, self._fits, self._minima = (self.animate(a)
                                                  for a in (chosen, fits, minima))
        ax_iso.legend(loc="upper right", fontsize=7.5)

        budgets, n_opt, _ = ref.optima
        ax_front.set_xscale("log")
        ax_front.set_yscale("log")
        ax_front.plot(budgets, n_opt, "o", color="0.55", ms=5, label="reference minima")
        top = float(budgets.max()) if budgets.size else float(ref.budgets.max())
        ax_front.set_xlim(ref.budgets.min() / 2, max(top, ref.budgets.max()) * 30)
        if n_opt.size:
            ax_front.set_ylim(n_opt.min() / 3, n_opt.max() * 4)
        ax_front.set_xlabel("C, FLOPs")
        ax_front.set_ylabel("compute-optimal N, parameters")
        ax_front.set_title(f"Prediction at {TARGET_FACTOR:.0f}x your largest run")
        (front_min,) = ax_front.plot([], [], "*", ms=9, color=colour, label="your minima")
        (line,) = ax_front.plot([], [], "--", color="#1f77b4", lw=1.2, label="your frontier")
        (predicted,) = ax_front.plot([], [], "D", ms=7, color="#1f77b4", mec="black",
                                     label="your prediction")
        (truth,) = ax_front.plot([], [], "X", ms=9, color="#d62728", label="reference")
        self._front_min, self._line, self._predicted, self._truth = (
            self.animate(a) for a in (front_min, line, predicted, truth))
        ax_front.legend(loc="upper left", fontsize=7.5)
        self._text = self.animate(fig.text(0.01, 0.005, "", fontsize=7.5, color="0.15",
                                           ha="left", va="bottom"))
        fig.get_layout_engine().set(rect=(0, 0.06, 1, 0.94))
        return fig

    def redraw(self, r: AllocationOutcome) -> None:
        runs = r.isoflop.runs
        self._chosen.set_data(runs.n_params, runs.loss)
        xs: list[float] = []
        ys: list[float] = []
        for budget in r.minima[0]:
            at = r.isoflop.budget == budget
            x = np.log(runs.n_params[at])
            coefficients = np.polyfit(x, runs.loss[at], 2)
            grid = np.linspace(x.min(), x.max(), 30)
            xs += [*np.exp(grid), np.nan]
            ys += [*np.polyval(coefficients, grid), np.nan]
        self._fits.set_data(xs, ys)
        budgets, n_opt, losses = r.minima
        self._minima.set_data(n_opt, losses)
        self._front_min.set_data(budgets, n_opt)
        if r.grade is None:
            for artist in (self._line, self._predicted, self._truth):
                artist.set_data([], [])
            self._text.set_text(f"{len(runs)} runs, {r.flops_spent:.2g} FLOPs: no prediction "
                                f"(fewer than 2 IsoFLOP minima)")
            return
        g = r.grade
        c = np.geomspace(budgets.min(), r.target, 20)
        slope, _ = log_ols(np.log(budgets), np.log(n_opt))  # the frontier's exponent a
        self._line.set_data(c, g.prediction.n_params * (c / r.target) ** slope)
        self._predicted.set_data([r.target], [g.prediction.n_params])
        self._truth.set_data([r.target], [g.reference.n_params])
        where = ", reference extrapolated" if g.reference.extrapolated else ""
        flaws = ", ".join(dict.fromkeys(d.code.replace("_", " ") for d in g.diagnoses))
        # One short line: text is the slowest thing to draw on each update.
        self._text.set_text(
            f"{len(runs)} runs, {r.flops_spent:.2g} FLOPs; at {r.target:.2g}{where}: N "
            f"{g.n_error:+.0%}, loss {g.loss_error:+.4f} nats; flaws: {flaws or 'none'}")

    def summary_html(self, r: AllocationOutcome) -> str:
        if r.grade is None:
            return f"<p>{r.problem}</p>"
        items = "".join(f"<li>{d.message}</li>" for d in r.grade.diagnoses)
        report = r.grade.report().split("\n")[:4]
        return "<p>" + "<br>".join(report) + "</p>" + (f"<ul>{items}</ul>" if items else "")

    def controls(self) -> dict[str, Any]:
        import ipywidgets as w

        p = self.params
        style = {"description_width": "10em"}
        grid = [float(np.log10(b)) for b in self.reference.budgets]
        largest = min(grid, key=lambda v: abs(v - float(p["log10_largest"])))
        return {
            "budgets": w.IntSlider(p["budgets"], min=1, max=len(grid),
                                   description="budgets", style=style),
            "sizes": w.IntSlider(p["sizes"], min=2, max=9, description="widths per budget",
                                 style=style),
            "shift": w.IntSlider(p["shift"], min=-MAX_SHIFT, max=MAX_SHIFT,
                                 description="grid off-centre (steps)", style=style),
            "log10_largest": w.SelectionSlider(
                options=[(f"{10 ** v:.0e}", v) for v in grid], value=largest,
                description="largest budget (FLOPs)", style=style),
        }
