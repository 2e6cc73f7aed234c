"""Figures in the house style: the style itself and the static figures the chapters show.

The style's names (:mod:`~chinchilla_lib.plotting.style`) are importable from the package,
``from chinchilla_lib import plotting; plotting.new_figure()``.
"""

from __future__ import annotations

from chinchilla_lib.plotting.style import (
    HOUSE_STYLE,
    PAPER_COLOURS,
    BlitRenderer,
    as_image,
    iso_compute_lines,
    new_figure,
    sequential_colours,
    to_png,
    use_house_style,
)

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
