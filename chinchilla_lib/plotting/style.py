"""The house style of every figure in the course.

Figures are built with :class:`matplotlib.figure.Figure` directly (not pyplot), so that
library code never depends on a notebook's backend; :func:`as_image` turns a figure into a
PNG that notebooks display and the built book keeps.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from chinchilla_lib import quantities

__all__ = [
    "HOUSE_STYLE",
    "PAPER_COLOURS",
    "BlitRenderer",
    "as_image",
    "iso_compute_lines",
    "new_figure",
    "sequential_colours",
    "to_png",
    "use_house_style",
]

HOUSE_STYLE: dict[str, Any] = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "legend.fontsize": 9,
    "lines.linewidth": 1.8,
    "svg.hashsalt": "scaling-laws-worked-out",
    # FreeType's auto-hinter (Matplotlib's default, "force_autohint") costs more than half of
    # an explorer's redraw in glyph rendering; unhinted text renders in half the time.
    "text.hinting": "no_hinting",
}
"""rcParams applied by :func:`use_house_style`."""

PAPER_COLOURS: dict[str, str] = {
    "hestness2017deep": "#7f7f7f",
    "kaplan2020scaling": "#1f77b4",
    "henighan2020scaling": "#17becf",
    "hoffmann2022training": "#d62728",
    "besiroglu2024chinchilla": "#9467bd",
    "pearce2024reconciling": "#8c564b",
    "porian2024resolving": "#e377c2",
    "caballero2022broken": "#2ca02c",
    "xiao2024densing": "#ff7f0e",
    "this_course": "#111111",
}
"""One colour per paper (by citation key), used in every chapter."""


def use_house_style() -> None:
    """Apply :data:`HOUSE_STYLE` to matplotlib's global rcParams."""
    mpl.rcParams.update(HOUSE_STYLE)


def new_figure(ncols: int = 1, nrows: int = 1, *, width: float = 8.0,
               height: float = 3.4) -> tuple[Figure, np.ndarray]:
    """Create a figure in the house style, with a constrained layout.

    Parameters
    ----------
    ncols, nrows
        Grid of axes.
    width, height
        Size in inches.

    Returns
    -------
    (Figure, ndarray of Axes)
        The axes array always has shape ``(nrows, ncols)`` flattened to 1-D.
    """
    with mpl.rc_context(HOUSE_STYLE):
        fig = Figure(figsize=(width, height), layout="constrained")
        FigureCanvasAgg(fig)
        axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False).ravel())
    return fig, axes


def iso_compute_lines(ax: Axes, flops_levels: Sequence[float], n_params_range: tuple[float, float],
                      *, colour: str = "0.6", label_format: str = "{:.0e} FLOPs") -> list[Any]:
    """Draw lines of equal training compute C = 6ND on (N, D) log-log axes.

    Parameters
    ----------
    ax
        Axes with N on x and D on y.
    flops_levels
        The compute budgets to draw, in FLOPs.
    n_params_range
        (smallest, largest) N to span, in parameters.

    Returns
    -------
    list
        The line artists.
    """
    n = np.geomspace(*n_params_range, 50)
    lines = []
    per_param_token = quantities.training_flops(1.0, 1.0)
    for c in flops_levels:
        (line,) = ax.plot(n, c / (per_param_token * n), color=colour, lw=0.8, ls="--", zorder=0)
        ax.annotate(label_format.format(c), (n[-1], c / (per_param_token * n[-1])),
                    fontsize=7, color=colour, ha="right", va="bottom")
        lines.append(line)
    return lines


def sequential_colours(count: int) -> list[Any]:
    """``count`` colours from light to dark (viridis), for an ordered quantity like size."""
    return list(mpl.colormaps["viridis"](np.linspace(0.05, 0.9, count)))


def to_png(fig: Figure, dpi: int = 100) -> bytes:
    """Render a figure to PNG bytes (deterministic for a given figure and matplotlib)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def as_image(fig: Figure, dpi: int = 100) -> Any:
    """Return the figure as an ``IPython.display.Image``, for notebooks and the built book."""
    from IPython.display import Image

    return Image(data=to_png(fig, dpi=dpi), format="png")


class BlitRenderer:
    """Render a figure to PNG quickly when only a few artists change between frames.

    The first call draws the whole figure (the constrained layout is solved then and frozen),
    keeps the pixels of everything that is not animated, and draws the animated artists on
    top. Later calls restore those pixels and redraw only the animated artists, then encode
    the PNG with light compression.

    Parameters
    ----------
    fig
        A figure with an Agg canvas (as made by :func:`new_figure`).
    animated
        The artists that change between frames; the list may be filled after construction.
        They are marked animated only while the background is drawn, so ``fig.savefig``
        still draws them.
    """

    def __init__(self, fig: Figure, animated: list[Any]) -> None:
        if not isinstance(fig.canvas, FigureCanvasAgg):
            FigureCanvasAgg(fig)
        self.fig = fig
        self.animated = animated
        self._background: Any = None

    def invalidate(self) -> None:
        """Forget the cached background (call after changing a static artist)."""
        self._background = None

    def png(self) -> bytes:
        """The current figure, animated artists included, as PNG bytes."""
        buffer = io.BytesIO()
        self.image().save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def image(self) -> Any:
        """The current figure, animated artists included, as an RGB ``PIL.Image`` (what
        :meth:`png` encodes)."""
        from PIL import Image

        canvas = self.fig.canvas
        if self._background is None:
            # Leave the moving artists out of the cached background, and only while it is
            # drawn: outside this renderer they are ordinary artists, so fig.savefig draws them.
            were = [artist.get_animated() for artist in self.animated]
            for artist in self.animated:
                artist.set_animated(True)
            try:
                canvas.draw()
            finally:
                for artist, was in zip(self.animated, were, strict=True):
                    artist.set_animated(was)
            self.fig.set_layout_engine("none")
            self._background = canvas.copy_from_bbox(self.fig.bbox)
        else:
            canvas.restore_region(self._background)
        for artist in self.animated:
            self.fig.draw_artist(artist)
        width, height = canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        return image.convert("RGB")
