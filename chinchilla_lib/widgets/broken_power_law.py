"""Chapter 7's explorer: a broken power law with up to three breaks, and its local slope."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from matplotlib.figure import Figure

from chinchilla_lib import plotting
from chinchilla_lib.laws.bnsl import Break, BrokenPowerLaw
from chinchilla_lib.widgets.base import Explorer
from chinchilla_lib.widgets.frames import with_default

__all__ = ["SLOPE_EXERCISE_LAW", "BrokenPowerLawExplorer"]

X = np.geomspace(1.0, 1e8, 400)
_SHARPNESS = tuple((10.0 ** np.linspace(-2.0, 0.5, 6)).tolist())
"""Sharpness f in half decades over the slider's range (its exponents run from -2 to 0.5)."""
_CHANGES = tuple(np.arange(-2.0, 3.01, 0.5).round(2).tolist())
"""A break's change of slope c over the slider's range, in halves."""

SLOPE_EXERCISE_LAW = BrokenPowerLaw(0.0, 1.0, 0.1, (Break(0.4, 100.0, 0.3),))
"""The one-break law of Chapter 7's Exercise ch7-ex-slope (its first slope and change of
slope also set a slice of the book's frames)."""


def _first_sharpness(default: float) -> tuple[float, ...]:
    """The first break's sharpness in the book: the half decades (the default in place of
    the one beside it), and half the default (Exercise ch7-ex-sharp)."""
    return tuple(sorted({*with_default(_SHARPNESS, default), default / 2}))


class BrokenPowerLawExplorer(Explorer):
    """Floor, first slope and up to three breaks (size c, position d, sharpness f) in; the
    curve and its local slope out.

    Parameters
    ----------
    breaks
        How many of the three breaks are used (0 to 3).
    a, c0
        Floor and first slope.
    c1, log10_d1, f1, c2, log10_d2, f2, c3, log10_d3, f3
        Each break's change of slope, position (log10 x) and sharpness.
    """

    defaults: ClassVar[dict[str, Any]] = {
        "breaks": 2, "a": 0.0, "c0": 0.2,
        "c1": 0.6, "log10_d1": 3.0, "f1": 0.3,
        "c2": -0.4, "log10_d2": 5.5, "f2": 0.2,
        "c3": 1.0, "log10_d3": 7.0, "f3": 0.1,
    }
    book_grid: ClassVar[tuple[dict[str, tuple[Any, ...]], ...]] = (
        # Slices, not one joint grid (twelve sliders). The number of breaks, then the floor
        # and the first slope alone, each over its slider's range.
        {"breaks": (0, 1, 2, 3)},
        {"a": (0.0, 0.1, 0.2, 0.5, 1.0, 2.0)},
        {"c0": tuple(sorted({*np.arange(-1.0, 2.01, 0.5).round(2).tolist(), defaults["c0"]}))},
        # The first break's position (whole decades across the x axis) and its sharpness
        # (half decades of f, and half the default as Exercise ch7-ex-sharp asks), each alone:
        # on log x the position only shifts the bend and the sharpness sets its width in
        # decades wherever it is, so their joint grid would show nothing the two do not.
        {"log10_d1": tuple(np.arange(0.0, 8.01, 1.0).tolist())},
        {"f1": _first_sharpness(defaults["f1"])},
        # Each break's change of slope alone (the slope at d1 is -(c0 + c1/2) whatever f1,
        # Exercise ch7-ex-slope), and the second break's position and sharpness alone.
        {"c1": tuple(sorted({*_CHANGES, defaults["c1"]}))},
        {"c2": tuple(sorted({*_CHANGES, defaults["c2"]}))},
        {"log10_d2": tuple(sorted({*np.arange(0.0, 8.01, 1.0).tolist(),
                                   defaults["log10_d2"]}))},
        {"f2": tuple(sorted({*_SHARPNESS, defaults["f2"]}))},
        # The third break exists only with three breaks: its three knobs alone, there.
        {"breaks": (3,), "c3": tuple(sorted({*_CHANGES, defaults["c3"]}))},
        {"breaks": (3,), "log10_d3": tuple(np.arange(0.0, 8.01, 1.0).tolist())},
        {"breaks": (3,), "f3": tuple(sorted({*_SHARPNESS, defaults["f3"]}))},
        # Exercise ch7-ex-slope's own law (one break, c0 = 0.1, c1 = 0.4) at every sharpness
        # of the first break: the slope at the break stays -(c0 + c1/2) as f1 moves.
        {"breaks": (1,), "c0": (SLOPE_EXERCISE_LAW.c0,), "c1": (SLOPE_EXERCISE_LAW.breaks[0].c,),
         "f1": _first_sharpness(defaults["f1"])},
    )
    """The book's frames: each knob alone."""

    def _compute(self, **p: Any) -> BrokenPowerLaw:
        """The law for these parameters (pure)."""
        count = int(p["breaks"])
        if not 0 <= count <= 3:
            raise ValueError(f"breaks must lie in [0, 3]; got {count}")
        breaks = tuple(Break(p[f"c{i}"], 10.0 ** p[f"log10_d{i}"], p[f"f{i}"])
                       for i in range(1, count + 1))
        return BrokenPowerLaw(p["a"], 10.0, p["c0"], breaks)

    def make_figure(self) -> Figure:
        fig, (ax, ax_slope) = plotting.new_figure(2, width=9.5, height=3.6)
        colour = plotting.PAPER_COLOURS["caballero2022broken"]
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(X[0], X[-1])
        ax.set_xlabel("x (data, parameters or compute)")
        ax.set_ylabel("y (loss or error)")
        ax.set_title("A broken power law")
        (curve,) = ax.plot([], [], color=colour, lw=2)
        (floor,) = ax.plot([], [], ":", color="0.5")
        ax_slope.set_xscale("log")
        ax_slope.set_xlim(X[0], X[-1])
        ax_slope.set_ylim(-4.0, 1.0)
        ax_slope.set_xlabel("x")
        ax_slope.set_ylabel("d log(y - a) / d log x")
        ax_slope.set_title("Its local slope, segment by segment")
        (slope,) = ax_slope.plot([], [], color=colour, lw=2)
        (levels,) = ax_slope.plot([], [], "--", color="0.5", lw=0.8)
        (marks,) = ax_slope.plot([], [], "|", ms=14, color="black")
        settings = ax.text(0.03, 0.03, "", transform=ax.transAxes, ha="left", va="bottom",
                           fontsize=7, family="monospace")
        self._curve, self._floor, self._slope, self._levels, self._marks, self._settings = (
            self.animate(a) for a in (curve, floor, slope, levels, marks, settings))
        self._ax = ax
        return fig

    def redraw(self, law: BrokenPowerLaw) -> None:
        y = law(X)
        self._curve.set_data(X, y)
        self._floor.set_data(X[[0, -1]], [law.a, law.a] if law.a > 0 else [np.nan, np.nan])
        self.fit_limits(self._ax, float(y.min()), float(y.max()), log=True)
        self._slope.set_data(X, law.local_slope(X))
        xs, ys, level = [], [], -law.c0
        for br in [None, *law.breaks]:
            if br is not None:
                level -= br.c
            xs += [X[0], X[-1], np.nan]
            ys += [level, level, np.nan]
        self._levels.set_data(xs, ys)
        self._marks.set_data([br.d for br in law.breaks],
                             [float(law.local_slope(br.d)) for br in law.breaks])
        lines = [f"a = {law.a:.2f}, b = {law.b:.0f}, c0 = {law.c0:.2f}"]
        lines += [f"break {i}: c = {br.c:.2f}, d = {br.d:.3g}, f = {br.f:.2f}"
                  for i, br in enumerate(law.breaks, start=1)]
        self._settings.set_text("\n".join(lines))

    def controls(self) -> dict[str, Any]:
        import ipywidgets as w

        p = self.params
        style = {"description_width": "6em"}
        controls: dict[str, Any] = {
            "breaks": w.IntSlider(p["breaks"], min=0, max=3, description="breaks", style=style),
            "a": w.FloatSlider(p["a"], min=0.0, max=2.0, step=0.05, description="floor a",
                               style=style),
            "c0": w.FloatSlider(p["c0"], min=-1.0, max=2.0, step=0.05, description="c0",
                                style=style),
        }
        for i in (1, 2, 3):
            controls[f"c{i}"] = w.FloatSlider(p[f"c{i}"], min=-2.0, max=3.0, step=0.05,
                                              description=f"c{i}", style=style)
            controls[f"log10_d{i}"] = w.FloatSlider(p[f"log10_d{i}"], min=0.0, max=8.0,
                                                    step=0.1, description=f"log₁₀ d{i}",
                                                    style=style)
            controls[f"f{i}"] = w.FloatLogSlider(p[f"f{i}"], base=10, min=-2, max=0.5,
                                                 step=0.05, description=f"f{i}", style=style)
        return controls
