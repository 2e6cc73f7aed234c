"""An explorer's frames for the built book: its figure at every point of a grid, drawn by the
explorer itself, so that a page with no kernel can move between them.

An explorer declares ``book_grid`` (parameter name -> the values the book offers; the book
offers their joint grid, every other parameter stays at its default). :func:`render_frames`
draws each point with the explorer's own ``update`` and ``png`` and writes it as lossless WebP
(about 40% of the PNG's size, read by every current browser); the page's script only chooses
which frame to show. Each frame is a function of its point alone: before each point, the axes
limits go back to those of a fresh explorer, so a frame's pixels equal those of
``cls().update(**point)`` (the book's tests check a sampled frame against such a fresh
render).
"""

from __future__ import annotations

import ast
import hashlib
import html
import io
import itertools
import json
import multiprocessing
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from chinchilla_lib.widgets.base import Explorer

__all__ = ["FORMAT", "book_grid", "cache_key", "describe", "format_value", "frame_key",
           "grid_points", "render_frame",
           "render_frames", "source_files"]

FORMAT = "webp"
"""The frames' format: lossless WebP, about half the size of the explorers' PNG."""
_VERSION = "1"
"""Changes when the frames' layout or the manifest's fields change (part of the cache key)."""
DEFAULT_STEPS = 5
"""Values per parameter in the grid derived from an explorer's controls (no ``book_grid``)."""


def _check_explorer(explorer_class: Any) -> None:
    if not (isinstance(explorer_class, type) and issubclass(explorer_class, Explorer)):
        raise ValueError(f"explorer_class must be a subclass of Explorer; got {explorer_class!r}")


def book_grid(explorer_class: type[Explorer]) -> dict[str, list[Any]]:
    """The grid the book offers for an explorer: name -> values (each list holds the default).

    The class attribute ``book_grid`` if the explorer declares one; otherwise every
    control's range at :data:`DEFAULT_STEPS` values (a dropdown's options, a checkbox's two
    states).

    Raises
    ------
    ValueError
        If ``explorer_class`` is not an :class:`Explorer`, a name is not a parameter, a list is
        empty, or it lacks the parameter's default.
    """
    _check_explorer(explorer_class)
    declared = getattr(explorer_class, "book_grid", None)
    if declared is None:
        grid = _grid_from_controls(explorer_class)
    else:
        grid = {name: list(values) for name, values in declared.items()}
    _check_grid(explorer_class, grid)
    return grid


def _check_grid(explorer_class: type[Explorer], grid: Mapping[str, Sequence[Any]]) -> None:
    defaults = explorer_class.defaults
    for name, values in grid.items():
        if name not in defaults:
            raise ValueError(f"book_grid of {explorer_class.__name__}: {name!r} is not a "
                             f"parameter; allowed: {sorted(defaults)}")
        if not values:
            raise ValueError(f"book_grid of {explorer_class.__name__}: {name!r} has no values")
        if defaults[name] not in values:
            raise ValueError(f"book_grid of {explorer_class.__name__}: {name!r} must include "
                             f"its default {defaults[name]!r}")


def _grid_from_controls(explorer_class: type[Explorer]) -> dict[str, list[Any]]:
    grid: dict[str, list[Any]] = {}
    for name, control in explorer_class().controls().items():
        default = explorer_class.defaults[name]
        options = getattr(control, "options", None)
        if options is not None:
            grid[name] = [o[1] if isinstance(o, tuple) else o for o in options]
        elif isinstance(default, bool):
            grid[name] = [False, True]
        else:
            low, high = float(control.min), float(control.max)
            values = np.linspace(low, high, DEFAULT_STEPS)
            if getattr(control, "base", None):  # a log slider: min and max are exponents
                values = control.base ** values
            if isinstance(default, int):
                values = np.unique(np.round(values).astype(int))
            grid[name] = sorted({*values.tolist(), default})
    return grid


def grid_points(grid: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """Every point of the joint grid, in drawing order: the first name varies fastest, so the
    last one (declare there a parameter whose change redraws the figure's static background,
    such as a choice of law) changes least often."""
    names = list(grid)[::-1]
    return [dict(zip(names, values, strict=True))
            for values in itertools.product(*(grid[n] for n in names))]


def frame_key(grid: Mapping[str, Sequence[Any]], point: Mapping[str, Any]) -> str:
    """The frame's name: the index of each value in its list, joined by ``-`` (``"2-0-1"``)."""
    return "-".join(str(list(values).index(point[name])) for name, values in grid.items())


def _module_file(name: str) -> Path | None:
    from importlib.util import find_spec

    try:
        spec = find_spec(name)
    except (ImportError, ValueError):  # a name inside a module, not a module
        return None
    return Path(spec.origin) if spec is not None and spec.origin else None


def source_files(explorer_class: type[Explorer]) -> list[Path]:
    """The files an explorer's frames depend on: its module and, read from the ``import``
    statements (with :mod:`ast`, so imports inside functions count), every ``chinchilla_lib``
    module it reaches; a module inside a package other than ``widgets`` brings in the whole
    package folder (data files included), since packages such as ``registry`` find their
    modules at run time. Sibling explorers are not included, so that changing one chapter's
    explorer leaves the others' frames cached.
    """
    _check_explorer(explorer_class)
    package_root = Path(sys.modules["chinchilla_lib"].__file__).parent
    files: set[Path] = {Path(__file__)}
    seen: set[str] = set()
    todo = [explorer_class.__module__]
    while todo:
        name = todo.pop()
        if name in seen or not (name.startswith("chinchilla_lib")
                                or name == explorer_class.__module__):
            continue
        seen.add(name)
        path = _module_file(name)
        if path is None:  # an attribute imported from a module, not a module
            continue
        parts = name.split(".")
        if len(parts) > 2 and parts[1] != "widgets":
            folder = package_root / parts[1]
            files.update(p for p in folder.rglob("*")
                         if p.is_file() and "__pycache__" not in p.parts)
        files.add(path)
        if name == "chinchilla_lib.widgets":  # its __init__ imports every chapter's explorer
            continue
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                todo += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(up + ([node.module] if node.module else []))
                todo.append(base)
                todo += [f"{base}.{alias.name}" for alias in node.names]
        # A package's parents run first on import.
        todo += [".".join(parts[:i]) for i in range(1, len(parts))]
    return sorted(files)


def cache_key(explorer_class: type[Explorer], grid: Mapping[str, Sequence[Any]]) -> str:
    """A hash of what the frames depend on: the class, its grid, the frames' format, the
    bytes of :func:`source_files`, and the versions of Python, NumPy, matplotlib and Pillow
    (which draw and encode the pixels)."""
    import matplotlib
    import PIL

    digest = hashlib.sha256()
    digest.update(json.dumps([_VERSION, FORMAT, explorer_class.__module__,
                              explorer_class.__qualname__, _jsonable(grid), sys.version,
                              np.__version__, matplotlib.__version__, PIL.__version__],
                             sort_keys=True).encode())
    root = Path(sys.modules["chinchilla_lib"].__file__).parent.parent
    for path in source_files(explorer_class):
        digest.update(str(path.relative_to(root) if path.is_relative_to(root) else path.name)
                      .encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:20]


def _jsonable(grid: Mapping[str, Sequence[Any]]) -> dict[str, list[Any]]:
    return {name: [v.item() if isinstance(v, np.generic) else v for v in values]
            for name, values in grid.items()}


def _encode(image: Any) -> bytes:
    """Lossless WebP; ``quality`` is the encoder's effort when lossless: 0 takes a sixth of
    the time of 100 for files about a tenth larger."""
    buffer = io.BytesIO()
    image.save(buffer, format=FORMAT, lossless=True, quality=0, method=2, exact=True)
    return buffer.getvalue()


def _plain_text(markup: str) -> str:
    """HTML reduced to one line of text (for alt text)."""
    text = re.sub(r"</(td|th)>", " ", markup)
    text = re.sub(r"</(tr|p|li|table)>|<br\s*/?>", "; ", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    text = re.sub(r"\s*(;\s*)+", "; ", re.sub(r"\s+", " ", text))
    return text.replace(":;", ":").strip(" ;")


def describe(explorer_class: type[Explorer], point: Mapping[str, Any], summary: str) -> str:
    """Alt text for a frame: what the figure shows, at which setting, and its numbers."""
    what = (explorer_class.__doc__ or explorer_class.__name__).strip().split("\n\n")[0]
    what = " ".join(what.split())
    setting = ", ".join(f"{name} = {format_value(value)}" for name, value in point.items())
    numbers = _plain_text(summary)
    return f"{what} Setting: {setting}." + (f" {numbers}." if numbers else "")


def format_value(value: Any) -> str:
    """A grid value as the page and the alt text show it (floats to four significant
    digits).

    Examples
    --------
    >>> format_value(23.760422483423213), format_value(0.005), format_value("MMLU")
    ('23.76', '0.005', 'MMLU')
    """
    if isinstance(value, bool) or not isinstance(value, float | np.floating):
        return str(value)
    return f"{value:.4g}"


class _Renderer:
    """One explorer, drawn at one point after another, each as if fresh."""

    def __init__(self, explorer_class: type[Explorer]) -> None:
        self.explorer = explorer_class()
        self.explorer.image()  # the fresh explorer's background
        self.limits = [(ax, ax.get_xlim(), ax.get_ylim()) for ax in self.explorer.fig.axes]
        self.defaults = dict(explorer_class.defaults)

    def frame(self, point: Mapping[str, Any]) -> tuple[bytes, str]:
        changed = False
        for ax, xlim, ylim in self.limits:
            if ax.get_xlim() != xlim or ax.get_ylim() != ylim:
                ax.set_xlim(xlim)
                ax.set_ylim(ylim)
                changed = True
        if changed:
            self.explorer.invalidate_background()
        result = self.explorer.update(**{**self.defaults, **point})
        return _encode(self.explorer.image()), self.explorer.summary_html(result)


def render_frame(explorer_class: type[Explorer], point: Mapping[str, Any]) -> bytes:
    """One frame, from a fresh explorer: the bytes :func:`render_frames` writes for ``point``.

    Raises
    ------
    ValueError
        If ``explorer_class`` is not an :class:`Explorer`, or for a name or value the explorer
        refuses.
    """
    _check_explorer(explorer_class)
    return _Renderer(explorer_class).frame(point)[0]


def _render_chunk(job: tuple[type[Explorer], dict[str, list[Any]], list[dict[str, Any]],
                             str]) -> list[dict[str, Any]]:
    explorer_class, grid, points, out_dir = job
    renderer = _Renderer(explorer_class)
    records = []
    for point in points:
        data, summary = renderer.frame(point)
        key = frame_key(grid, point)
        (Path(out_dir) / f"{key}.{FORMAT}").write_bytes(data)
        records.append({"key": key, "file": f"{key}.{FORMAT}", "summary": summary,
                        "alt": describe(explorer_class, point, summary),
                        "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)})
    return records


def render_frames(explorer_class: type[Explorer], out_dir: str | Path, *,
                  grid: Mapping[str, Sequence[Any]] | None = None,
                  processes: int = 1) -> dict[str, Any]:
    """Draw an explorer at every point of its book grid into ``out_dir``; return the manifest.

    Parameters
    ----------
    explorer_class
        A subclass of :class:`Explorer`.
    out_dir
        Folder for the frames (created), one ``<key>.webp`` per point (see :func:`frame_key`).
    grid
        Name -> values; by default :func:`book_grid`.
    processes
        Worker processes (>= 1). The frames do not depend on it: each is drawn as if by a
        fresh explorer.

    Returns
    -------
    dict
        ``{"explorer", "grid", "defaults", "labels", "format", "frames"}``: the grid as JSON
        values, each parameter's control label, and per frame key its ``file``, ``summary``
        (HTML), ``alt`` text, ``sha256`` and ``bytes``.

    Raises
    ------
    ValueError
        For a class that is not an explorer, a bad grid, or ``processes`` < 1.

    Examples
    --------
    >>> import tempfile
    >>> from chinchilla_lib.widgets import PrecisionExplorer
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     manifest = render_frames(PrecisionExplorer, folder, grid={"bits": [4.0, 8.0]})
    >>> sorted(manifest["frames"])
    ['0', '1']
    """
    _check_explorer(explorer_class)
    if isinstance(processes, bool) or not isinstance(processes, int) or processes < 1:
        raise ValueError(f"processes must be an integer >= 1; got {processes!r}")
    if grid is None:
        grid = book_grid(explorer_class)
    else:
        grid = {name: list(values) for name, values in grid.items()}
        _check_grid(explorer_class, grid)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    points = grid_points(grid)
    workers = min(processes, len(points))
    # Contiguous runs of the drawing order, so that each worker redraws its background rarely.
    bounds = np.linspace(0, len(points), workers + 1).round().astype(int)
    chunks = [points[low:high] for low, high in itertools.pairwise(bounds)]
    jobs = [(explorer_class, grid, chunk, str(out)) for chunk in chunks]
    if workers == 1:
        records = _render_chunk(jobs[0])
    else:
        context = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
        with context.Pool(workers) as pool:
            records = [r for chunk in pool.map(_render_chunk, jobs) for r in chunk]
    labels = _labels(explorer_class, grid)
    frames = {r.pop("key"): r for r in sorted(records, key=lambda r: r["key"])}
    return {"explorer": f"{explorer_class.__module__}:{explorer_class.__qualname__}",
            "grid": _jsonable(grid), "labels": labels, "format": FORMAT,
            "defaults": {n: _jsonable({n: [explorer_class.defaults[n]]})[n][0] for n in grid},
            "frames": frames}


def _labels(explorer_class: type[Explorer], grid: Mapping[str, Sequence[Any]]) -> dict[str, str]:
    """Each parameter's label: its control's description where ipywidgets is installed."""
    try:
        controls = explorer_class().controls()
    except ImportError:
        controls = {}
    return {name: str(getattr(controls.get(name), "description", "") or name)
            for name in grid}
