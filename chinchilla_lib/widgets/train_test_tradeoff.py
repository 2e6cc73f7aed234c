"""Chapter 8's trade-off explorer: how much search at play time a model needs for a given
strength, against how much compute trained it (Jones 2021's frontier on 9x9 Hex)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar, NamedTuple

import numpy as np
from matplotlib.figure import Figure

from chinchilla_lib import plotting
from chinchilla_lib.laws.train_test_tradeoff import IsoStrengthFrontier
from chinchilla_lib.widgets.base import Explorer

__all__ = ["TradeoffResult", "TrainTestTradeoffExplorer"]

TRAIN = np.geomspace(1e12, 1e17, 200)
"""Training compute shown, FLOPs."""

ELO_LEVELS = np.linspace(-1500.0, 0.0, 7)
"""Strengths drawn as reference frontiers (Elo against perfect play), as in the paper."""

DEFAULT_LOG10_FLOOR = 6.0
"""Default floor, log10 FLOPs per move: one evaluation of a network of about half a million
parameters at 2 FLOPs per parameter. Illustrative: Jones's networks differ in size, and the
paper's frontiers stop at a single-node search of whichever network was trained."""


class TradeoffResult(NamedTuple):
    """The frontier at the chosen strength and the test-time compute at the chosen training."""

    frontier: IsoStrengthFrontier
    elo: float
    train_compute: float
    test_compute: float
    saving_per_decade: float
    floor: float
    at_floor: bool


class TrainTestTradeoffExplorer(Explorer):
    """Target strength and training compute in; the test-time compute that reaches that
    strength, on the frontier, out.

    Parameters
    ----------
    elo
        Target strength, Elo against perfect play (<= 0).
    log10_train
        log10 of training compute (FLOPs).
    log10_floor
        log10 of the FLOPs of one network evaluation, the cheapest possible search (a
        single-node tree search): no frontier goes below it.
    """

    defaults: ClassVar[dict[str, Any]] = {"elo": -500.0, "log10_train": 14.5,
                                          "log10_floor": DEFAULT_LOG10_FLOOR}
    book_grid: ClassVar[dict[str, tuple[float, ...]]] = {
        # The section's example and Exercise ch8-ex-hex move the training compute by whole
        # decades at a fixed strength: the slider's range in half decades, jointly with every
        # other reference frontier's strength (perfect play included) and with a floor far
        # below the default, the default, and one high enough to stop most frontiers, where
        # more training saves no more search.
        "elo": tuple(ELO_LEVELS[::2].tolist()),
        "log10_train": tuple(np.arange(12.0, 17.01, 0.5).round(2).tolist()),
        "log10_floor": (3.0, DEFAULT_LOG10_FLOOR, 9.0),
    }
    """The book's frames: strength, training compute and floor, jointly."""

    def _compute(self, **p: Any) -> TradeoffResult:
        """The test-time compute for these settings (pure)."""
        elo = float(p["elo"])
        if elo > 0:
            raise ValueError(f"elo must be <= 0 (0 is perfect play); got {elo}")
        floor = 10.0 ** float(p["log10_floor"])
        frontier = replace(IsoStrengthFrontier.from_registry("jones2021/hex"), test_floor=floor)
        train = 10.0 ** float(p["log10_train"])
        test = float(frontier.test_compute(train, elo))
        return TradeoffResult(frontier, elo, train, test,
                              frontier.test_saving_per_train_decade(), floor, test <= floor)

    def make_figure(self) -> Figure:
        fig, (ax,) = plotting.new_figure(1, width=6.5, height=4.0)
        greys = plotting.sequential_colours(len(ELO_LEVELS))
        self._references, self._labels = [], []
        for level, colour in zip(ELO_LEVELS, greys, strict=True):
            (reference,) = ax.plot([], [], ":", color=colour, lw=1.0)
            label = ax.annotate(f"{level:.0f}", (TRAIN[-1], 1.0), fontsize=7, color="0.3",
                                xytext=(2, 0), textcoords="offset points")
            self._references.append(self.animate(reference))
            self._labels.append(self.animate(label))
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(TRAIN[0], TRAIN[-1] * 3)
        ax.set_ylim(1e2, 1e16)
        ax.set_xlabel("train-time compute (FLOPs)")
        ax.set_ylabel("test-time compute per move (FLOPs)")
        ax.set_title("Equal strength: train longer, search less (9x9 Hex, Jones's frontier)")
        colour = plotting.PAPER_COLOURS["this_course"]
        (floor,) = ax.plot([], [], "-", color="0.5", lw=1.0)
        floor_label = ax.text(TRAIN[0] * 1.3, 1.0, "", fontsize=7, color="0.3", va="top")
        (line,) = ax.plot([], [], color=colour, lw=2)
        (point,) = ax.plot([], [], "o", color=colour, ms=7)
        settings = ax.text(0.98, 0.97, "", transform=ax.transAxes, ha="right", va="top",
                           fontsize=8, color="0.2")
        self._line, self._point = self.animate(line), self.animate(point)
        self._floor, self._floor_label = self.animate(floor), self.animate(floor_label)
        self._settings = self.animate(settings)
        return fig

    def redraw(self, result: TradeoffResult) -> None:
        from chinchilla_lib.course.report import format_sci

        def above_floor(test: Any) -> Any:
            # The paper's lines stop at the floor; below it no search is cheaper.
            return np.where(test > result.floor, test, np.nan)

        for level, reference, label in zip(ELO_LEVELS, self._references, self._labels,
                                           strict=True):
            test = above_floor(result.frontier.test_compute(TRAIN, level))
            reference.set_data(TRAIN, test)
            shown = np.flatnonzero(np.isfinite(test))
            label.set_visible(shown.size > 0)
            if shown.size:
                label.xy = (TRAIN[shown[-1]], test[shown[-1]])
        self._line.set_data(TRAIN, above_floor(result.frontier.test_compute(TRAIN, result.elo)))
        self._point.set_data([result.train_compute], [result.test_compute])
        self._floor.set_data(TRAIN[[0, -1]], [result.floor, result.floor])
        self._floor_label.set_position((TRAIN[0] * 1.3, result.floor / 1.5))
        self._floor_label.set_text("floor: one network evaluation per move")
        self._settings.set_text(f"target {result.elo:.0f} Elo, "
                                f"{format_sci(result.train_compute, 2)} training FLOPs\n"
                                f"floor {format_sci(result.floor, 1)} FLOPs per move")

    def summary_html(self, result: TradeoffResult) -> str:
        from chinchilla_lib.course.report import format_sci

        if result.at_floor:
            return (f"<b>{result.elo:.0f} Elo</b> after {format_sci(result.train_compute, 2)} "
                    f"training FLOPs is reached at the floor, one network evaluation "
                    f"({format_sci(result.floor, 1)} FLOPs) per move: more training saves "
                    f"no more search.")
        return (f"<b>{result.elo:.0f} Elo</b> after {format_sci(result.train_compute, 2)} "
                f"training FLOPs needs {format_sci(result.test_compute, 2)} FLOPs of search "
                f"per move; each tenfold more training saves a factor of "
                f"{result.saving_per_decade:.1f}, down to the floor.")

    def controls(self) -> dict[str, Any]:
        import ipywidgets as w

        p = self.params
        style = {"description_width": "9em"}
        return {
            "elo": w.FloatSlider(p["elo"], min=-1500.0, max=0.0, step=50.0,
                                 description="Elo v. perfect play", style=style),
            "log10_train": w.FloatSlider(p["log10_train"], min=12.0, max=17.0, step=0.1,
                                         description="log₁₀ train FLOPs", style=style),
            "log10_floor": w.FloatSlider(p["log10_floor"], min=3.0, max=10.0, step=0.5,
                                         description="log₁₀ floor FLOPs", style=style),
        }
