"""The explorer pattern shared by every chapter."""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
from matplotlib.figure import Figure

from chinchilla_lib.plotting import BlitRenderer

__all__ = ["Explorer"]


class Explorer(ABC):
    """Base class: parameters in, a result and a redrawn figure out.

    Subclasses define ``defaults``, ``_compute`` (a pure function of the complete
    parameters), :meth:`make_figure` (build artists once), :meth:`redraw` (move those artists to
    show a result) and :meth:`controls` (ipywidgets keyed by parameter name). State that
    :meth:`make_figure` needs (a law, a data set) is set in :meth:`setup`, which the base class
    calls first, so subclasses need no ``__init__``. Artists that :meth:`redraw` changes must be
    registered with :meth:`animate`: the rest of the figure (axes, ticks, reference data) is
    rendered once and reused, so a slider move redraws only what moved.

    From Python: :meth:`compute` returns the numbers for any subset of the parameters (the
    defaults fill in the rest) without drawing; :meth:`update` changes the explorer's parameters
    and redraws; :meth:`save` does that and writes the figure. After :meth:`update`,
    ``explorer.fig.savefig(path)`` writes the same picture.

    Parameters
    ----------
    **params
        Values overriding ``defaults``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from chinchilla_lib.widgets import PrecisionExplorer
    >>> explorer = PrecisionExplorer()
    >>> sorted(explorer.params)
    ['bits', 'post_bits']
    >>> result = explorer.compute(bits=4.0)        # post_bits from the defaults; nothing drawn
    >>> print(f"{result.effective_fraction:.2f}")
    0.78
    >>> explorer.compute(bit=4.0)
    Traceback (most recent call last):
    ...
    ValueError: unknown parameter(s) ['bit']; allowed: ['bits', 'post_bits']
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "precision.png"
    ...     shown = explorer.save(path, bits=4.0)   # draws these settings, then writes
    ...     path.read_bytes()[:4]
    b'\\x89PNG'
    >>> explorer.params["bits"]
    4.0
    """

    defaults: ClassVar[Mapping[str, Any]] = {}

    def __init__(self, **params: Any) -> None:
        self.params: dict[str, Any] = self._complete(params)
        self._animated: list[Any] = []
        self.setup()
        self.fig: Figure = self.make_figure()
        self._renderer = BlitRenderer(self.fig, self._animated)
        self.result: Any = None
        self.update()

    def setup(self) -> None:  # noqa: B027 (an optional hook: empty unless overridden)
        """Prepare what :meth:`make_figure` and ``_compute`` need (laws, data); called by
        the base class before the figure is made. ``self.params`` is already set."""

    def _check_names(self, params: Mapping[str, Any]) -> None:
        unknown = set(params) - set(self.defaults)
        if unknown:
            raise ValueError(f"unknown parameter(s) {sorted(unknown)}; "
                             f"allowed: {sorted(self.defaults)}")

    def _complete(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """``params`` with the defaults filling in the rest (unknown names rejected)."""
        self._check_names(params)
        return {**self.defaults, **params}

    def compute(self, **params: Any) -> Any:
        """Return the result for these parameters, the defaults filling in the rest.

        Pure: draws nothing and leaves ``self.params`` alone (use :meth:`update` for that).

        Raises
        ------
        ValueError
            For a name not in ``defaults`` (the message lists the allowed names), or a value
            out of range.
        """
        return self._compute(**self._complete(params))

    @abstractmethod
    def _compute(self, **p: Any) -> Any:
        """Return the result for the complete parameters ``p`` (no drawing)."""

    @abstractmethod
    def make_figure(self) -> Figure:
        """Create the figure and the artists that :meth:`redraw` will move."""

    @abstractmethod
    def redraw(self, result: Any) -> None:
        """Update the existing artists to show ``result``."""

    @abstractmethod
    def controls(self) -> dict[str, Any]:
        """Return ipywidgets controls keyed by parameter name, set to the current values."""

    def animate(self, artist: Any) -> Any:
        """Register an artist that :meth:`redraw` changes; returns the artist.

        The artist stays an ordinary artist (``fig.savefig`` draws it); only the fast
        renderer behind :meth:`png` leaves it out of the cached background.
        """
        self._animated.append(artist)
        return artist

    def invalidate_background(self) -> None:
        """Call from :meth:`redraw` after changing a static artist (axis limits, say)."""
        self._renderer.invalidate()

    def fit_limits(self, ax: Any, low: float, high: float, *, log: bool = False,
                   axis: str = "y") -> None:
        """Keep [low, high] visible on ``ax``, changing the limits (and redrawing the static
        background) only when the data leave them or become much smaller than them."""
        get = ax.get_ylim if axis == "y" else ax.get_xlim
        set_ = ax.set_ylim if axis == "y" else ax.set_xlim
        current_low, current_high = get()

        def span(a: float, b: float) -> float:
            return float(np.log10(b / a)) if log else b - a

        inside = current_low <= low and high <= current_high
        if inside and span(current_low, current_high) <= 3.0 * span(low, high) + 1e-12:
            return
        pad = (high / low) ** 0.25 if log else 0.25 * (high - low) + 1e-9
        set_((low / pad, high * pad) if log else (low - pad, high + pad))
        self.invalidate_background()

    def summary_html(self, result: Any) -> str:
        """HTML shown above the figure; override to report the numbers."""
        return ""

    def update(self, **changes: Any) -> Any:
        """Change some parameters, recompute and redraw; return the new result."""
        self._check_names(changes)
        result = self._compute(**{**self.params, **changes})
        self.params.update(changes)
        self.result = result
        self.redraw(self.result)
        return self.result

    def save(self, path: str | os.PathLike[str], **changes: Any) -> Any:
        """Draw the figure for these settings (as :meth:`update`) and write it to ``path``.

        The format follows the suffix (``.png``, ``.svg``, ``.pdf``, ...); the moving artists
        are included. Returns the result shown.
        """
        result = self.update(**changes)
        self.fig.savefig(path, dpi=self.fig.dpi)
        return result

    def png(self) -> bytes:
        """The figure as PNG bytes (static parts rendered once, moving parts redrawn)."""
        return self._renderer.png()

    def image(self) -> Any:
        """The figure as an RGB ``PIL.Image``: the pixels :meth:`png` encodes (the book's
        frames encode them as WebP)."""
        return self._renderer.image()

    def static_figure(self) -> Any:
        """The figure at the current parameters as an ``IPython.display.Image``.

        Notebooks display this below the live explorer, so the built book (which has no
        kernel) shows the explorer's default view.
        """
        from IPython.display import Image

        return Image(data=self.png(), format="png")

    def show(self) -> Any:
        """Build the interactive panel (controls, numbers, figure) for a live notebook."""
        import ipywidgets as widgets

        controls = self.controls()
        image = widgets.Image(value=self.png(), format="png")
        summary = widgets.HTML(self.summary_html(self.result))

        def on_change(_change: Any) -> None:
            self.update(**{name: control.value for name, control in controls.items()})
            image.value = self.png()
            summary.value = self.summary_html(self.result)

        for control in controls.values():
            control.observe(on_change, names="value")
        layout = widgets.Layout(display="flex", flex_flow="row wrap")
        return widgets.VBox([widgets.Box(list(controls.values()), layout=layout),
                             summary, image])
