"""Chapter 4's explorer: the three approaches on simulated runs, against the truth."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, ClassVar

import numpy as np
from matplotlib.figure import Figure

from chinchilla_lib import plotting, registry
from chinchilla_lib.fitting.approach3 import HUBER_DELTA, Approach3Fit, fit_approach3
from chinchilla_lib.fitting.approaches12 import FrontierFit, fit_approach1, fit_approach2
from chinchilla_lib.fitting.runs import IsoFlopRuns, TrainingCurves
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.quantities import FLOPS_PER_PARAM_TOKEN
from chinchilla_lib.simulate.runs import (
    GRID_CENTRE_ERROR,
    simulate_isoflop_runs,
    simulate_training_curves,
)
from chinchilla_lib.widgets.base import Explorer

__all__ = ["ApproachesResult", "ThreeApproachesExplorer", "settings_caption"]

TRUTH_NAME = "besiroglu2024/refit"
CURVE_SIZES = np.geomspace(registry.constant("hoffmann_runs_params_min").value,
                          registry.constant("hoffmann_runs_params_max").value, 12)
BOOTSTRAP = {"1": 20, "2": 100, "3": 40}
"""Bootstrap resamples (with replacement) per approach: few, to stay interactive; the chapter
uses more."""
APPROACHES = ("1", "2", "3")
LEVEL = 0.8
REFIT_ITERATIONS = 30
"""Iterations allowed to each of the explorer's bootstrap refits of Approach 3."""
"""Intervals are 10th to 90th percentiles, as in Hoffmann et al.'s Table 2."""


@dataclass(frozen=True)
class ApproachesResult:
    """Each approach's estimate of a (N_opt ~ C^a) with an 80% interval, and the data.

    Attributes
    ----------
    truth
        The law the runs were simulated from.
    isoflop
        The IsoFLOP runs (Approaches 2 and 3).
    estimates
        By approach ("1", "2", "3"): (a, low, high); NaN for Approach 2 when fewer than two
        budgets have a parabola vertex inside the sizes run.
    approach2
        Approach 2's fit (for drawing the profiles), vertices outside the sizes run dropped;
        None when fewer than two budgets have one inside.
    settings
        The parameters the result was computed with (for the figure's caption).
    """

    truth: ChinchillaLaw
    isoflop: IsoFlopRuns
    estimates: dict[str, tuple[float, float, float]]
    approach2: FrontierFit | None
    settings: dict[str, Any] = field(default_factory=dict)


def settings_caption(p: dict[str, Any]) -> str:
    """Two lines stating the simulation's settings, for the figure: what every setting shares,
    then what the controls set.

    Examples
    --------
    >>> settings_caption({"noise": 0.01, "sizes_per_budget": 9, "budgets": 9,
    ...                   "centre_error": 0.15, "log10_delta": -3.0, "seed": 0})[:42]
    "Runs simulated from Besiroglu et al.'s fit"
    """
    return f"{_fixed_caption()}\n{_controls_caption(p)}"


def _fixed_caption() -> str:
    low, high = min(registry.HOFFMANN_ISOFLOP_BUDGETS), max(registry.HOFFMANN_ISOFLOP_BUDGETS)
    return (f"Runs simulated from Besiroglu et al.'s fit. Approach 1: {CURVE_SIZES.size} sizes "
            f"of training curves. Approaches 2, 3: budgets {low:.0e} to {high:.0e} FLOPs. "
            f"Bootstrap resamples: {BOOTSTRAP['1']}, {BOOTSTRAP['2']}, {BOOTSTRAP['3']}.")


def _controls_caption(p: dict[str, Any]) -> str:
    return (f"Noise σ = {p['noise']:.3f} on log L, seed {int(p['seed'])}; "
            f"{int(p['budgets'])} budgets, {int(p['sizes_per_budget'])} sizes each, grid "
            f"centres scattered by {p['centre_error']:.2f} decades; Huber δ = "
            f"10^{p['log10_delta']:.2f}.")


@lru_cache(maxsize=64)
def _curves(noise: float, seed: int) -> TrainingCurves:
    truth = ChinchillaLaw.from_registry(TRUTH_NAME)
    return simulate_training_curves(truth, CURVE_SIZES, noise=noise, seed=seed)


@lru_cache(maxsize=64)
def _approach1(noise: float, seed: int) -> FrontierFit:
    return fit_approach1(_curves(noise, seed), points=200, bootstrap=BOOTSTRAP["1"], seed=seed)


@lru_cache(maxsize=64)
def _isoflop(noise: float, sizes: int, budgets: int, centre: float, seed: int) -> IsoFlopRuns:
    truth = ChinchillaLaw.from_registry(TRUTH_NAME)
    grid = np.geomspace(min(registry.HOFFMANN_ISOFLOP_BUDGETS),
                        max(registry.HOFFMANN_ISOFLOP_BUDGETS), budgets)
    return simulate_isoflop_runs(truth, grid, sizes_per_budget=sizes, noise=noise, seed=seed,
                                 centre_error=centre)


@lru_cache(maxsize=64)
def _approach2(noise: float, sizes: int, budgets: int, centre: float,
               seed: int) -> FrontierFit | None:
    # Vertices outside the sizes run are extrapolations of the parabola: fit_approach2 drops
    # them (its default), from the estimate and from every refit, so that the explorer never
    # shows an estimate its own interval excludes. With fewer than two budgets left there is
    # no estimate.
    try:
        return fit_approach2(_isoflop(noise, sizes, budgets, centre, seed),
                             bootstrap=BOOTSTRAP["2"], seed=seed, out_of_range="drop")
    except ValueError:
        return None


def _estimate(fit: FrontierFit | Approach3Fit | None) -> tuple[float, float, float]:
    """(a, low, high) at ``LEVEL``; NaN where there is no fit or no finite refit."""
    if fit is None:
        return (np.nan, np.nan, np.nan)
    try:
        i = fit.interval("optimal_params_exponent", LEVEL)
    except ValueError:  # every refit lost its budgets: the estimate without an interval
        return (fit.optimal_params_exponent, np.nan, np.nan)
    return (i.estimate, i.low, i.high)


@lru_cache(maxsize=64)
def _approach3(noise: float, sizes: int, budgets: int, centre: float, delta: float,
               seed: int) -> Approach3Fit:
    # The explorer caps each bootstrap refit at REFIT_ITERATIONS to stay interactive; capped
    # refits move the interval's ends by about 1e-4 in a, below what the figure shows, so the
    # library's warning about unconverged refits is not repeated on every drag.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"fit_approach3: \d+ of \d+ bootstrap refits")
        return fit_approach3(_isoflop(noise, sizes, budgets, centre, seed).runs,
                             delta=delta, bootstrap=BOOTSTRAP["3"], seed=seed,
                             max_iter=REFIT_ITERATIONS)


def _interval_text(estimate: float, low: float, high: float) -> str:
    if np.isnan(estimate):
        return "no estimate"
    if np.isnan(low):
        return f"{estimate:.3f} (no interval)"
    return f"{estimate:.3f} [{low:.3f}, {high:.3f}]"


class ThreeApproachesExplorer(Explorer):
    """Noise, runs per budget, number of budgets, grid centring and Huber delta in; each
    approach's a out, with a bootstrap interval.

    The runs are simulated from Besiroglu et al.'s fit (a = 0.513). Results are cached by the
    parameters each approach depends on, so moving one control recomputes only what changed.

    Parameters
    ----------
    noise
        Standard deviation of log loss (>= 0).
    sizes_per_budget
        Model sizes per IsoFLOP budget (>= 3).
    budgets
        Number of IsoFLOP budgets, log-spaced over the paper's range (>= 2).
    centre_error
        Scatter, in decades, of each budget's grid centre around the true optimum (>= 0).
    log10_delta
        log10 of Approach 3's Huber threshold.
    seed
        Seed of the simulation.
    """

    defaults: ClassVar[dict[str, Any]] = {"noise": 0.01, "sizes_per_budget": 9, "budgets": 9,
                                          "centre_error": GRID_CENTRE_ERROR,
                                          "log10_delta": float(np.log10(HUBER_DELTA)),
                                          "seed": 0}
    book_grid: ClassVar[dict[str, tuple[float, ...]]] = {
        # The noise from none to four times the chapter's, the design's two axes the chapter
        # discusses (sizes per budget, off-centre grids) and Hoffmann et al.'s Huber threshold
        # against one so large that the fit is least squares (Exercise ch4-ex-delta); the
        # number of budgets stays at nine.
        "noise": (0.0, 0.005, 0.01, 0.02, 0.04),
        "sizes_per_budget": (3, 5, 9, 15),
        "centre_error": (0.0, GRID_CENTRE_ERROR, 0.3),
        "log10_delta": (float(np.log10(HUBER_DELTA)), -1.0),
    }
    """The book's frames: the joint grid of noise, design and Huber threshold."""

    def _compute(self, **p: Any) -> ApproachesResult:
        """Simulate (cached) and fit each approach (cached); pure in the parameters."""
        noise, seed = float(p["noise"]), int(p["seed"])
        sizes, budgets = int(p["sizes_per_budget"]), int(p["budgets"])
        centre = float(p["centre_error"])
        a1 = _approach1(noise, seed)
        a2 = _approach2(noise, sizes, budgets, centre, seed)
        a3 = _approach3(noise, sizes, budgets, centre, float(10.0 ** p["log10_delta"]), seed)
        estimates = {name: _estimate(fit) for name, fit in (("1", a1), ("2", a2), ("3", a3))}
        return ApproachesResult(ChinchillaLaw.from_registry(TRUTH_NAME),
                                _isoflop(noise, sizes, budgets, centre, seed), estimates, a2,
                                dict(p))

    def make_figure(self) -> Figure:
        fig, (ax, ax_iso) = plotting.new_figure(2, width=9.5, height=3.8)
        truth = ChinchillaLaw.from_registry(TRUTH_NAME)
        ax.axvline(truth.optimal_params_exponent, color="black", lw=1.0, label=f"truth a = "
                   f"{truth.optimal_params_exponent:.3f}")
        for i in range(len(APPROACHES)):
            ax.axhline(i, color="0.92", lw=8, zorder=0)
        ax.set_yticks(range(3), [f"Approach {a}" for a in APPROACHES])
        ax.set_ylim(-0.7, 2.7)
        ax.set_xlim(0.25, 0.8)
        ax.set_xlabel("a, in N_opt ∝ C^a (bootstrap, 10th to 90th percentile)")
        ax.set_title("Each approach against the truth")
        colour = plotting.PAPER_COLOURS["hoffmann2022training"]
        self._points, self._bars, self._labels = {}, {}, {}
        for i, name in enumerate(APPROACHES):
            (bar,) = ax.plot([], [], color=colour, lw=2.5)
            (point,) = ax.plot([], [], "o", color=colour, mec="black", ms=7)
            label = ax.text(0.79, i + 0.25, "", ha="right", fontsize=8)
            self._bars[name], self._points[name] = self.animate(bar), self.animate(point)
            self._labels[name] = self.animate(label)
        ax.legend(loc="lower left", fontsize=8)

        ax_iso.set_xscale("log")
        ax_iso.set_xlim(5e6, 3e11)
        ax_iso.set_ylim(1.9, 3.6)
        ax_iso.set_xlabel("N, parameters")
        ax_iso.set_ylabel("final loss, nats per token")
        ax_iso.set_title("IsoFLOP profiles (Approach 2)")
        (runs,) = ax_iso.plot([], [], "o", ms=2.5, color="0.4")
        (fits,) = ax_iso.plot([], [], color=colour, lw=1.0)
        (minima,) = ax_iso.plot([], [], "*", ms=9, color="black")
        self._runs, self._fits, self._minima = (self.animate(a) for a in (runs, fits, minima))
        # The shared line is drawn once, in the background; only the controls' line moves.
        fig.text(0.01, 0.04, _fixed_caption(), fontsize=7.5, color="0.25", ha="left",
                 va="bottom")
        self._settings = self.animate(fig.text(0.01, 0.005, "", fontsize=7.5, color="0.25",
                                               ha="left", va="bottom"))
        fig.get_layout_engine().set(rect=(0, 0.09, 1, 0.91))
        return fig

    def redraw(self, r: ApproachesResult) -> None:
        self._settings.set_text(_controls_caption(r.settings))
        for i, name in enumerate(APPROACHES):
            estimate, low, high = r.estimates[name]
            self._bars[name].set_data([low, high], [i, i])
            self._points[name].set_data([estimate], [i])
            label = f"{estimate:.3f} [{low:.3f}, {high:.3f}]"
            if name == "2" and r.approach2 is None:
                label = "no estimate: fewer than 2 budgets\nwith a vertex inside the sizes run"
            elif name == "2" and r.approach2.vertices:
                # Vertices outside the sizes run are dropped (from the fit and every refit).
                label += (f"\n{r.approach2.out_of_range / r.approach2.vertices:.0%} of vertices "
                          "outside the sizes run, dropped")
            self._labels[name].set_text(label)
        runs = r.isoflop.runs
        self._runs.set_data(runs.n_params, runs.loss)
        xs, ys = [], []
        for budget in np.unique(r.isoflop.budget):
            at = r.isoflop.budget == budget
            x = np.log(runs.n_params[at])
            coefficients = np.polyfit(x, runs.loss[at], 2)
            grid = np.linspace(x.min(), x.max(), 30)
            xs += [*np.exp(grid), np.nan]
            ys += [*np.polyval(coefficients, grid), np.nan]
        self._fits.set_data(xs, ys)
        fit = r.approach2
        if fit is None:
            self._minima.set_data([], [])
            return
        at_minimum = [r.truth.loss(n, c / (FLOPS_PER_PARAM_TOKEN * n))
                      for n, c in zip(fit.n_points, fit.flops, strict=True)]
        self._minima.set_data(fit.n_points, at_minimum)

    def summary_html(self, r: ApproachesResult) -> str:
        rows = "".join(
            f"<tr><td>Approach {name}</td><td>{_interval_text(*r.estimates[name])}</td></tr>"
            for name in APPROACHES)
        return (f"<p>Truth a = {r.truth.optimal_params_exponent:.3f}; each approach's a with "
                f"its {LEVEL:.0%} bootstrap interval:</p><table>{rows}</table>")

    def controls(self) -> dict[str, Any]:
        import ipywidgets as w

        p = self.params
        style = {"description_width": "9em"}
        return {
            "noise": w.FloatSlider(p["noise"], min=0.0, max=0.06, step=0.002,
                                   description="noise (σ of log L)", style=style),
            "sizes_per_budget": w.IntSlider(p["sizes_per_budget"], min=3, max=15,
                                            description="sizes per budget", style=style),
            "budgets": w.IntSlider(p["budgets"], min=2, max=12, description="budgets",
                                   style=style),
            "centre_error": w.FloatSlider(p["centre_error"], min=0.0, max=0.4, step=0.05,
                                          description="grid off-centre (decades)", style=style),
            "log10_delta": w.FloatSlider(p["log10_delta"], min=-4.0, max=-0.5, step=0.25,
                                         description="log₁₀ Huber δ", style=style),
        }
