"""Chapter 8's loss-to-accuracy explorer: a benchmark sigmoid in loss, and what it does to a
smooth loss curve when both are plotted against compute."""

from __future__ import annotations

from typing import Any, ClassVar, NamedTuple

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import NDArray

from chinchilla_lib import plotting
from chinchilla_lib.laws.power import SaturatingPowerLaw
from chinchilla_lib.laws.sigmoid import SigmoidInLoss
from chinchilla_lib.widgets.base import Explorer

__all__ = ["LossToAccuracyExplorer", "LossToAccuracyResult"]

COMPUTE = np.geomspace(1e18, 1e26, 300)
"""Training compute shown, FLOPs."""

ILLUSTRATIVE_LOSS = SaturatingPowerLaw(1.7, 1e16**0.1, -0.1)
"""An illustrative loss curve, L(C) = 1.7 + (C / 1e16 FLOPs)^-0.1 nats per token (not a
published fit: any smooth saturating curve shows the same effect)."""


class LossToAccuracyResult(NamedTuple):
    """The sigmoid, the losses along the compute axis, and the accuracies they imply."""

    sigmoid: SigmoidInLoss
    loss: NDArray[np.float64]
    accuracy: NDArray[np.float64]
    compute_at_midpoint: float


class LossToAccuracyExplorer(Explorer):
    """Floor, ceiling, midpoint and slope of accuracy against loss in; the sigmoid against
    loss, and accuracy against compute through an illustrative loss curve, out.

    Parameters
    ----------
    floor
        Chance accuracy (fraction).
    ceiling
        Accuracy approached as the loss falls (fraction).
    midpoint
        Loss at which accuracy is halfway up, nats per token.
    slope
        Steepness per nat of loss.
    """

    defaults: ClassVar[dict[str, Any]] = {
        "floor": 0.25, "ceiling": 0.9, "midpoint": 2.0, "slope": 12.0,
    }
    book_grid: ClassVar[dict[str, tuple[float, ...]]] = {
        # The section (ch8-explorer-sigmoid) turns on the sigmoid's steepness in loss against
        # its gentler rise in compute, and on where it sits on the loss curve: the midpoint
        # over the slider's range in tenths of a nat (below the curve's floor it is never
        # reached), jointly with the slope from one per nat to the slider's end in half
        # decades (and the default); chance and ceiling stay at their defaults.
        "midpoint": tuple(np.arange(1.6, 2.81, 0.1).round(2).tolist()),
        "slope": tuple(sorted({*(10.0 ** np.arange(0.0, 1.71, 0.5)).tolist(), 10.0 ** 1.7,
                               defaults["slope"]})),
    }
    """The book's frames: the sigmoid's midpoint against its slope."""

    def _compute(self, **p: Any) -> LossToAccuracyResult:
        """The accuracies for these parameters (pure)."""
        sigmoid = SigmoidInLoss(p["floor"], p["ceiling"], p["midpoint"], p["slope"])
        loss = np.asarray(ILLUSTRATIVE_LOSS(COMPUTE), dtype=float)
        at_midpoint = (float(ILLUSTRATIVE_LOSS.inverse(sigmoid.midpoint))
                       if sigmoid.midpoint > ILLUSTRATIVE_LOSS.floor else float("inf"))
        return LossToAccuracyResult(sigmoid, loss, np.asarray(sigmoid(loss)), at_midpoint)

    def make_figure(self) -> Figure:
        fig, (ax_loss, ax_compute) = plotting.new_figure(2, width=9.5, height=3.6)
        colour = plotting.PAPER_COLOURS["this_course"]
        losses = np.linspace(1.5, 3.0, 200)
        self._losses = losses
        ax_loss.set_xlim(losses[-1], losses[0])
        ax_loss.set_ylim(0.0, 1.0)
        ax_loss.set_xlabel("pre-training loss (nats per token), falling →")
        ax_loss.set_ylabel("benchmark accuracy")
        ax_loss.set_title("Accuracy as a sigmoid of loss")
        (sigmoid,) = ax_loss.plot([], [], color=colour, lw=2)
        (band,) = ax_loss.plot([], [], "--", color="0.5", lw=0.8)
        ax_compute.set_xscale("log")
        ax_compute.set_xlim(COMPUTE[0], COMPUTE[-1])
        ax_compute.set_ylim(0.0, 1.0)
        ax_compute.set_xlabel("training compute C (FLOPs)")
        ax_compute.set_title("The same accuracy against compute")
        twin = ax_compute.twinx()
        twin.plot(COMPUTE, ILLUSTRATIVE_LOSS(COMPUTE), ":", color="0.5")
        twin.set_ylabel("loss (dotted), nats per token", color="0.4")
        twin.grid(False)
        (accuracy,) = ax_compute.plot([], [], color=colour, lw=2)
        (mark,) = ax_compute.plot([], [], "|", ms=16, color="black")
        settings = ax_loss.text(0.03, 0.8, "", transform=ax_loss.transAxes, va="top",
                                fontsize=8, color="0.2")
        ax_compute.text(0.97, 0.03, "loss curve illustrative, not a published fit",
                        transform=ax_compute.transAxes, ha="right", fontsize=7, color="0.4")
        self._sigmoid, self._band, self._accuracy, self._mark, self._settings = (
            self.animate(a) for a in (sigmoid, band, accuracy, mark, settings))
        return fig

    def redraw(self, result: LossToAccuracyResult) -> None:
        law = result.sigmoid
        self._sigmoid.set_data(self._losses, law(self._losses))
        self._band.set_data([self._losses[-1], self._losses[0], np.nan,
                             self._losses[-1], self._losses[0]],
                            [law.floor, law.floor, np.nan, law.ceiling, law.ceiling])
        self._accuracy.set_data(COMPUTE, result.accuracy)
        self._settings.set_text(f"chance {law.floor:.2f}, ceiling {law.ceiling:.2f}\n"
                                f"midpoint {law.midpoint:.2f} nats, slope {law.slope:.1f} per nat")
        at = result.compute_at_midpoint
        halfway = 0.5 * (law.floor + law.ceiling)
        if np.isfinite(at):
            self._mark.set_data([at], [halfway])
        else:
            self._mark.set_data([], [])

    def summary_html(self, result: LossToAccuracyResult) -> str:
        from chinchilla_lib.course.report import format_sci

        at = result.compute_at_midpoint
        where = (f"halfway up at C ≈ {format_sci(at, 2)} FLOPs" if np.isfinite(at)
                 else "never halfway up: the loss curve's floor is above the midpoint")
        return f"<b>Accuracy against compute:</b> {where}."

    def controls(self) -> dict[str, Any]:
        import ipywidgets as w

        p = self.params
        style = {"description_width": "7em"}
        return {
            "floor": w.FloatSlider(p["floor"], min=0.0, max=0.5, step=0.05,
                                   description="chance", style=style),
            "ceiling": w.FloatSlider(p["ceiling"], min=0.55, max=1.0, step=0.05,
                                     description="ceiling", style=style),
            "midpoint": w.FloatSlider(p["midpoint"], min=1.6, max=2.8, step=0.02,
                                      description="midpoint loss", style=style),
            "slope": w.FloatLogSlider(p["slope"], base=10, min=0, max=1.7, step=0.05,
                                      description="slope /nat", style=style),
        }
