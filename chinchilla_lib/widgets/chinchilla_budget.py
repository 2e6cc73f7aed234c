"""Chapter 3's explorer: a compute budget over the iso-loss contours of a published fit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from chinchilla_lib import plotting, registry
from chinchilla_lib.course import report
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.laws.kaplan import ComputeOptimum
from chinchilla_lib.quantities import FLOPS_PER_PARAM_TOKEN
from chinchilla_lib.widgets.base import Explorer

__all__ = ["CHINCHILLA_FITS", "BudgetChoice", "ChinchillaBudgetExplorer"]

CHINCHILLA_FITS = tuple(f.name for f in registry.fits(family=registry.LawFamily.CHINCHILLA,
                                                      fitted_to="hoffmann2022training"))
"""The published fits of the form E + A/N^alpha + B/D^beta to Hoffmann et al.'s runs (the
other Chinchilla-form fits of the registry measure the loss on other data)."""

_COLOURS = {"hoffmann2022/approach3": plotting.PAPER_COLOURS["hoffmann2022training"],
            "hoffmann2022/approach3 unrounded": plotting.PAPER_COLOURS["hoffmann2022training"],
            "besiroglu2024/refit": plotting.PAPER_COLOURS["besiroglu2024chinchilla"]}
# The two Hoffmann fits share the paper's colour and differ in line and marker, so that they
# stay apart in greyscale and where their optima nearly coincide: rounded, solid line and
# filled circle; unrounded, dashed line and a larger hollow square drawn on top.
_LINESTYLES = {"hoffmann2022/approach3": "-", "hoffmann2022/approach3 unrounded": "--",
               "besiroglu2024/refit": "-"}
_MARKERS = {"hoffmann2022/approach3": {"marker": "o", "ms": 7, "mec": "black"},
            "hoffmann2022/approach3 unrounded": {"marker": "s", "ms": 11, "mfc": "none",
                                                 "mew": 1.8},
            "besiroglu2024/refit": {"marker": "^", "ms": 8, "mec": "black"}}
N_RANGE = (1e7, 1e13)
D_RANGE = (1e8, 1e15)


@dataclass(frozen=True)
class BudgetChoice:
    """What each published fit recommends for one compute budget.

    Attributes
    ----------
    flops
        The budget, FLOPs.
    law
        The name of the fit whose contours are shown.
    optima
        Each fit's compute-optimal (N, D, L), by name.
    """

    flops: float
    law: str
    optima: dict[str, ComputeOptimum]


class ChinchillaBudgetExplorer(Explorer):
    """Slide a compute budget; see the optimum of each published Chinchilla-form fit.

    Parameters
    ----------
    log10_flops
        log10 of the budget in FLOPs.
    law
        One of :data:`CHINCHILLA_FITS`, whose iso-loss contours are drawn.
    """

    defaults: ClassVar[dict[str, Any]] = {
        "log10_flops": float(np.log10(registry.constant("gopher_training_flops").value)),
        "law": "hoffmann2022/approach3"}
    book_grid: ClassVar[dict[str, tuple[Any, ...]]] = {
        # The slider's full range at half a decade, with Gopher's budget (the default), by
        # each fit's contours.
        "log10_flops": tuple(sorted({*np.arange(18.0, 27.01, 0.5).round(2).tolist(),
                                     defaults["log10_flops"]})),
        "law": CHINCHILLA_FITS,
    }
    """The book's frames: every budget by every fit's contours."""

    def setup(self) -> None:
        self.laws = {name: ChinchillaLaw.from_registry(name) for name in CHINCHILLA_FITS}
        self._contour_law: str | None = None

    def _compute(self, **p: Any) -> BudgetChoice:
        """Each fit's optimum at this budget (pure)."""
        if p["law"] not in self.laws:
            raise ValueError(f"law must be one of {list(self.laws)}; got {p['law']!r}")
        flops = 10.0 ** p["log10_flops"]
        return BudgetChoice(flops, p["law"],
                            {name: law.compute_optimal(flops) for name, law in self.laws.items()})

    def make_figure(self) -> Figure:
        fig, (ax, ax_line) = plotting.new_figure(2, width=9.5, height=4.3)
        self._ax = ax
        self._contours: Any = None
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(*N_RANGE)
        ax.set_ylim(*D_RANGE)
        ax.set_xlabel("N, parameters")
        ax.set_ylabel("D, tokens")
        (budget,) = ax.plot([], [], color="black", lw=1.0)
        self._budget = self.animate(budget)
        self._markers = {}
        for name in CHINCHILLA_FITS:
            (marker,) = ax.plot([], [], ls="none", color=_COLOURS[name], zorder=4,
                                **_MARKERS[name])
            self._markers[name] = self.animate(marker)

        ax_line.set_xscale("log")
        ax_line.set_xlim(*N_RANGE)
        ax_line.set_ylim(1.7, 4.0)
        ax_line.set_xlabel("N, parameters (D = C / 6N)")
        ax_line.set_ylabel("loss, nats per token")
        ax_line.set_title("Loss along the budget")
        self._curves, self._minima = {}, {}
        for name in CHINCHILLA_FITS:
            (curve,) = ax_line.plot([], [], color=_COLOURS[name], ls=_LINESTYLES[name])
            (minimum,) = ax_line.plot([], [], ls="none", color=_COLOURS[name], zorder=4,
                                      **_MARKERS[name])
            self._curves[name] = self.animate(curve)
            self._minima[name] = self.animate(minimum)
        # One legend below both panels, where no line or optimum can hide under it: each fit
        # with its line style and its optimum's marker.
        handles = [Line2D([], [], color="black", lw=1.0)] + [
            Line2D([], [], color=_COLOURS[name], ls=_LINESTYLES[name], **_MARKERS[name])
            for name in CHINCHILLA_FITS]
        fig.legend(handles, ["budget 6ND = C", *CHINCHILLA_FITS], loc="outside lower center",
                   ncol=4, fontsize=8)
        # The budget shown, so that a saved image says which C it is.
        self._title = self.animate(fig.suptitle(" ", fontsize=10))
        return fig

    def _draw_contours(self, name: str) -> None:
        if self._contours is not None:
            self._contours.remove()
        n, d = np.meshgrid(np.geomspace(*N_RANGE, 120), np.geomspace(*D_RANGE, 120))
        self._contours = self._ax.contour(n, d, self.laws[name].loss(n, d),
                                          levels=[1.9, 2.0, 2.1, 2.2, 2.4, 2.7, 3.0, 3.5],
                                          colors="0.7", linewidths=0.7)
        self._ax.set_title(f"Iso-loss contours of {name}", fontsize=9)
        # Labels are placed (and the lines broken under them) for the axes' current position:
        # settle the layout first, so that they sit where they do after any later change of
        # fit (and the book's frames equal a fresh explorer's figure).
        engine = self.fig.get_layout_engine()
        if engine is not None:
            engine.execute(self.fig)
        self._ax.clabel(self._contours, fontsize=7, fmt="%.1f")
        self._contour_law = name
        self.invalidate_background()

    def redraw(self, r: BudgetChoice) -> None:
        # The title first: the layout that places the contour labels depends on it.
        self._title.set_text(f"Compute budget C = {report.format_sci(r.flops)} FLOPs "
                             "(the line 6ND = C)")
        if r.law != self._contour_law:
            self._draw_contours(r.law)
        n = np.geomspace(*N_RANGE, 200)
        d = r.flops / (FLOPS_PER_PARAM_TOKEN * n)
        self._budget.set_data(n, d)
        for name, optimum in r.optima.items():
            self._markers[name].set_data([optimum.n_params], [optimum.n_tokens])
            self._curves[name].set_data(n, self.laws[name].loss(n, d))
            self._minima[name].set_data([optimum.n_params], [optimum.loss])

    def controls(self) -> dict[str, Any]:
        import ipywidgets as w

        style = {"description_width": "8em"}
        return {
            "log10_flops": w.FloatSlider(self.params["log10_flops"], min=18.0, max=27.0,
                                         step=0.05, description="log₁₀ C (FLOPs)", style=style),
            "law": w.Dropdown(options=list(CHINCHILLA_FITS), value=self.params["law"],
                              description="contours of", style=style),
        }

    def summary_html(self, r: BudgetChoice) -> str:
        head = ("<tr><th>fit</th><th>N_opt</th><th>D_opt</th><th>D/N</th><th>loss</th></tr>")
        rows = "".join(
            f"<tr><td>{name}</td><td>{report.format_count(o.n_params)}</td>"
            f"<td>{report.format_count(o.n_tokens)}</td>"
            f"<td>{o.n_tokens / o.n_params:.1f}</td><td>{o.loss:.3f}</td></tr>"
            for name, o in r.optima.items())
        return f"<p>C = {report.format_sci(r.flops)} FLOPs</p><table>{head}{rows}</table>"
