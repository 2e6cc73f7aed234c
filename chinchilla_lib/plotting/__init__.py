"""Figures in the house style: the style itself and the static figures the chapters show.

The style's names (:mod:`~chinchilla_lib.plotting.style`) are importable from the package,
``from chinchilla_lib import plotting; plotting.new_figure()``. The chapters' static figures,
:mod:`~chinchilla_lib.plotting.figures`, load on first use (they need the laws and fits).
"""

from __future__ import annotations

import importlib
from typing import Any

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


def __getattr__(name: str) -> Any:
    if name == "figures":
        return importlib.import_module("chinchilla_lib.plotting.figures")
    raise AttributeError(f"module 'chinchilla_lib.plotting' has no attribute {name!r}")
