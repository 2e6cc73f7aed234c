"""Chapter 1's explorer: fit a power law to noisy data with a floor, and extrapolate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from matplotlib.figure import Figure

from chinchilla_lib import plotting
from chinchilla_lib.fitting.power import (
    Interval,
    PowerLawFit,
    fit_power_law,
    fit_saturating_power_law,
)
from chinchilla_lib.laws.power import SaturatingPowerLaw
from chinchilla_lib.simulate.runs import noisy_samples
from chinchilla_lib.widgets.base import Explorer

__all__ = ["FloorBiasResult", "PowerLawFitExplorer"]

X_LIMITS = (1.0, 1e13)
EXTRAPOLATE_DECADES = 2.0
N_POINTS = 30
BOOTSTRAP = 400


@dataclass(frozen=True)
class FloorBiasResult:
    """What fitting a plain power law to data with a floor does.

    Attributes
    ----------
    truth
        The law the data came from.
    x, y
        The noisy observations.
    plain
        A plain power law fitted in log space, with bootstrap samples.
    saturating
        A power law with a floor fitted to the same points.
    exponent_interval
        The plain fit's exponent with its bootstrap interval at the library's default level
        (``fitting.DEFAULT_LEVEL``, 95%).
    x_extrapolate
        Where the fits are compared, EXTRAPOLATE_DECADES decades beyond the data.
    plain_error, saturating_error
        Relative error of each fit's prediction at ``x_extrapolate``.
    """

    truth: SaturatingPowerLaw
    x: np.ndarray
    y: np.ndarray
    plain: PowerLawFit
    saturating: PowerLawFit
    exponent_interval: Interval
    x_extrapolate: float
    plain_error: float
    saturating_error: float


class PowerLawFitExplorer(Explorer):
    """Exponent, constant, floor, noise and the range of x in; fits and extrapolations out.

    Parameters
    ----------
    alpha
        The true law falls as x^-alpha (> 0).
    coefficient
        Its constant a in y = floor + a x^-alpha (> 0).
    floor
        The irreducible floor (>= 0).
    noise
        Standard deviation of log y (>= 0).
    log10_x_min, log10_x_max
        The range of x observed, as powers of ten.
    seed
        Seed of the simulated noise.
    """

    defaults: ClassVar[dict[str, Any]] = {
        "alpha": 0.3, "coefficient": 1000.0, "floor": 1.0, "noise": 0.02,
        "log10_x_min": 3.0, "log10_x_max": 8.0, "seed": 0,
    }
    book_grid: ClassVar[dict[str, tuple[float, ...]]] = {
        # Fine near zero, where the plain fit's interval stops covering the truth (Exercise
        # ch1-ex-floor), then up to the slider's end; jointly with the exponent, since how
        # much a floor bends the line depends on how fast the power law falls towards it.
        "floor": (0.0, 0.02, 0.04, 0.06, 0.08, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0,
                  3.0, 5.0),
        "alpha": (0.1, 0.2, 0.3, 0.5, 0.8),
    }
    """The book's frames: the floor against the exponent (other settings at their defaults)."""

    def _compute(self, **p: Any) -> FloorBiasResult:
        """Simulate, fit both ways and compare extrapolations (pure)."""
        if p["log10_x_max"] <= p["log10_x_min"]:
            raise ValueError("log10_x_max must exceed log10_x_min")
        truth = SaturatingPowerLaw(p["floor"], p["coefficient"], -p["alpha"])
        x = np.geomspace(10 ** p["log10_x_min"], 10 ** p["log10_x_max"], N_POINTS)
        y = noisy_samples(truth, x, p["noise"], seed=p["seed"])
        plain = fit_power_law(x, y, bootstrap=BOOTSTRAP, seed=p["seed"])
        saturating = fit_saturating_power_law(x, y, polish=False)
        x_far = 10 ** (p["log10_x_max"] + EXTRAPOLATE_DECADES)
        true_far = truth(x_far)
        return FloorBiasResult(
            truth=truth, x=x, y=y, plain=plain, saturating=saturating,
            exponent_interval=plain.interval("exponent"), x_extrapolate=x_far,
            plain_error=plain.law(x_far) / true_far - 1.0,
            saturating_error=saturating.law(x_far) / true_far - 1.0,
        )

    def make_figure(self) -> Figure:
        fig, (ax, ax_slope) = plotting.new_figure(2, width=9.0, height=3.6)
        self._ax = ax
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(*X_LIMITS)
        ax.set_xlabel("x (for example tokens D)")
        ax.set_ylabel("y (for example loss)")
        ax.set_title("Data, truth and two fits")
        colours = plotting.PAPER_COLOURS
        # The extrapolation band is registered first, so it is drawn first, under the curves
        # (animated artists are drawn in the order they were registered).
        self._span = self.animate(ax.axvspan(1, 1, color="0.92", lw=0))
        self._span_label = self.animate(ax.text(1, 1, "extrapolated", fontsize=7.5,
                                                color="0.4", ha="center", va="center",
                                                rotation=90))
        (self._data,) = ax.plot([], [], "o", ms=3.5, color="0.25", label="noisy data")
        (self._truth,) = ax.plot([], [], color=colours["this_course"], lw=1.2, label="truth")
        (self._plain,) = ax.plot([], [], "--", color=colours["hestness2017deep"],
                                 label="power law, floor ignored")
        (self._sat,) = ax.plot([], [], ":", color=colours["henighan2020scaling"], lw=2.2,
                               label="power law with a floor")
        self._text = ax.text(0.02, 0.03, "", transform=ax.transAxes, fontsize=8, va="bottom")
        for artist in (self._data, self._truth, self._plain, self._sat, self._text):
            self.animate(artist)
        # The legend is animated too, so that it is drawn last, above the band and the curves.
        self.animate(ax.legend(loc="upper right", fontsize=8, framealpha=0.95))
        self._settings_text = self.animate(fig.suptitle("settings", fontsize=8.5))

        ax_slope.set_xscale("log")
        ax_slope.set_xlim(*X_LIMITS)
        ax_slope.set_ylim(-1.25, 0.05)
        ax_slope.set_xlabel("x")
        ax_slope.set_ylabel("local slope d log y / d log x")
        ax_slope.set_title("The floor bends the line")
        (self._slope_truth,) = ax_slope.plot([], [], color=colours["this_course"], lw=1.2,
                                             label="truth")
        (self._slope_plain,) = ax_slope.plot([], [], "--", color=colours["hestness2017deep"],
                                             label="fitted exponent")
        (self._slope_low,) = ax_slope.plot([], [], color=colours["hestness2017deep"], lw=0.6)
        (self._slope_high,) = ax_slope.plot([], [], color=colours["hestness2017deep"], lw=0.6)
        ax_slope.legend(loc="lower right", fontsize=8)
        for artist in (self._slope_truth, self._slope_plain, self._slope_low, self._slope_high):
            self.animate(artist)
        return fig

    def redraw(self, r: FloorBiasResult) -> None:
        x_all = np.geomspace(r.x[0], r.x_extrapolate, 200)
        truth_all = r.truth(x_all)
        self.fit_limits(self._ax, float(min(r.y.min(), truth_all.min())) * 0.8,
                        float(max(r.y.max(), truth_all.max())) * 1.2, log=True)
        self._data.set_data(r.x, r.y)
        self._truth.set_data(x_all, truth_all)
        self._plain.set_data(x_all, r.plain.law(x_all))
        self._sat.set_data(x_all, r.saturating.law(x_all))
        self._span.set_x(r.x[-1])
        self._span.set_width(r.x_extrapolate - r.x[-1])
        low, high = self._ax.get_ylim()
        self._span_label.set_position((float(np.sqrt(r.x[-1] * r.x_extrapolate)),
                                       float(np.sqrt(low * high))))
        p = self.params
        self._settings_text.set_text(
            f"truth y = {r.truth.floor:g} + {r.truth.coefficient:g} x^{r.truth.exponent:g}; "
            f"{len(r.x)} points from 10^{p['log10_x_min']:g} to 10^{p['log10_x_max']:g}, "
            f"noise σ(log y) = {p['noise']:g}, seed {p['seed']}; {BOOTSTRAP} bootstrap "
            "resamples")
        e = r.exponent_interval
        self._text.set_text(
            f"fitted exponent {e.estimate:.3f} [{e.low:.3f}, {e.high:.3f}] (truth "
            f"{r.truth.exponent:.3f} without floor)\n"
            f"at {EXTRAPOLATE_DECADES:.0f} decades beyond the data: floor ignored "
            f"{r.plain_error:+.0%}, floor fitted {r.saturating_error:+.1%}")
        self._slope_truth.set_data(x_all, r.truth.local_slope(x_all))
        ends = [x_all[0], x_all[-1]]
        self._slope_plain.set_data(ends, [e.estimate] * 2)
        self._slope_low.set_data(ends, [e.low] * 2)
        self._slope_high.set_data(ends, [e.high] * 2)

    def summary_html(self, r: FloorBiasResult) -> str:
        e = r.exponent_interval
        covers = "covers" if e.contains(r.truth.exponent) else "misses"
        return (f"<p>Plain fit's exponent {e.estimate:.3f} [{e.low:.3f}, {e.high:.3f}] "
                f"({covers} the truth {r.truth.exponent:.3f}). Two decades beyond the data: "
                f"floor ignored {r.plain_error:+.0%}, floor fitted "
                f"{r.saturating_error:+.1%}.</p>")

    def controls(self) -> dict[str, Any]:
        import ipywidgets as w

        p = self.params
        style = {"description_width": "9em"}
        return {
            "alpha": w.FloatSlider(p["alpha"], min=0.05, max=1.0, step=0.01,
                                   description="exponent α", style=style),
            "coefficient": w.FloatLogSlider(p["coefficient"], base=10, min=0, max=4, step=0.05,
                                            description="constant a", style=style),
            "floor": w.FloatSlider(p["floor"], min=0.0, max=5.0, step=0.05,
                                   description="floor", style=style),
            "noise": w.FloatSlider(p["noise"], min=0.0, max=0.2, step=0.005,
                                   description="noise (σ of log y)", style=style),
            "log10_x_min": w.FloatSlider(p["log10_x_min"], min=0.0, max=9.0, step=0.25,
                                         description="log₁₀ x min", style=style),
            "log10_x_max": w.FloatSlider(p["log10_x_max"], min=1.0, max=10.0, step=0.25,
                                         description="log₁₀ x max", style=style),
        }
