"""An explorer's frames for the built book: its figure at every point of a grid, drawn by the
explorer itself, so that a page with no kernel can move between them.

An explorer declares ``book_grid``: either one mapping (parameter name -> the values the book
offers; the book offers their joint grid, every other parameter stays at its default, and each
list holds its parameter's default), or a sequence of such mappings, *slices*, for an explorer
whose many parameters the text varies one or two at a time: the book then offers the union of
the slices' joint grids (in each slice the parameters it does not name stay at their
defaults; the default setting must be a point of some slice). Each parameter's control offers
the union of the values it takes in any slice (:func:`axes`), so some settings of the
controls have no frame; when a move lands on one, the page shows the frame
:func:`nearest_key` chooses: the moved control keeps its new value, and the other controls move
to the nearest setting that has a frame (fewest other controls changed, then the smallest sum
of index distances, then the fewest controls away from their defaults, then the first key in
the manifest's sorted order). :func:`render_frames`
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
from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from chinchilla_lib.widgets.base import Explorer

__all__ = ["FORMAT", "axes", "book_grid", "cache_key", "describe", "format_value", "frame_key",
           "grid_points", "nearest_key", "render_frame", "render_frames", "source_files",
           "with_default"]

FORMAT = "webp"
"""The frames' format: lossless WebP, about half the size of the explorers' PNG."""
_VERSION = "2"
"""Changes when the frames' layout or the manifest's fields change (part of the cache key)."""
DEFAULT_STEPS = 5
"""Values per parameter in the grid derived from an explorer's controls (no ``book_grid``)."""


def _check_explorer(explorer_class: Any) -> None:
    if not (isinstance(explorer_class, type) and issubclass(explorer_class, Explorer)):
        raise ValueError(f"explorer_class must be a subclass of Explorer; got {explorer_class!r}")


Grid = Mapping[str, Sequence[Any]] | Sequence[Mapping[str, Sequence[Any]]]
"""One joint grid (name -> values), or a sequence of them (slices)."""


def _is_slices(grid: Any) -> bool:
    return (isinstance(grid, Sequence) and not isinstance(grid, str | bytes)
            and not isinstance(grid, Mapping))


def book_grid(explorer_class: type[Explorer]) -> dict[str, list[Any]] | list[dict[str, list[Any]]]:
    """The grid the book offers for an explorer: name -> values (each list holds the default),
    or a list of slices.

    The class attribute ``book_grid`` if the explorer declares one; otherwise every
    control's range at :data:`DEFAULT_STEPS` values (a dropdown's options, a checkbox's two
    states). Slices come back completed: each names every parameter that any slice names,
    those it did not name holding only their default, so that :func:`grid_points` and
    :func:`frame_key` need nothing else.

    Raises
    ------
    ValueError
        If ``explorer_class`` is not an :class:`Explorer`, a name is not a parameter, a list is
        empty, or it lacks the parameter's default (for slices: no slice holds the default
        setting, or there are no slices).
    """
    _check_explorer(explorer_class)
    declared = getattr(explorer_class, "book_grid", None)
    if declared is None:
        declared = _grid_from_controls(explorer_class)
    return _normalise(explorer_class, declared)


def _normalise(explorer_class: type[Explorer],
               grid: Any) -> dict[str, list[Any]] | list[dict[str, list[Any]]]:
    """A declared grid as lists, checked; slices completed with the defaults."""
    if _is_slices(grid):
        slices = [dict(s) if isinstance(s, Mapping) else s for s in grid]
        if not slices or not all(isinstance(s, dict) for s in slices):
            raise ValueError(f"book_grid of {explorer_class.__name__}: slices must be a "
                             f"non-empty sequence of mappings; got {grid!r}")
        names = list(dict.fromkeys(name for s in slices for name in s))
        defaults = explorer_class.defaults
        for s in slices:
            _check_grid(explorer_class, s, need_default=False)
        completed = [{name: _as_list(s[name]) if name in s else [defaults[name]]
                      for name in names} for s in slices]
        home = {name: defaults[name] for name in names}
        if not any(all(home[n] in s[n] for n in names) for s in completed):
            raise ValueError(f"book_grid of {explorer_class.__name__}: no slice holds the "
                             f"default setting {home!r}")
        return completed
    if not isinstance(grid, Mapping):
        raise ValueError(f"book_grid of {explorer_class.__name__}: expected a mapping of "
                         f"name -> values or a sequence of them; got {grid!r}")
    grid = {name: _as_list(values) for name, values in grid.items()}
    _check_grid(explorer_class, grid)
    return grid


def _as_list(values: Sequence[Any]) -> list[Any]:
    """A parameter's values as a list; a switch's two states always as ``[False, True]``, so
    that the page shows it as a checkbox whichever order it was declared in."""
    values = list(values) if not isinstance(values, str | bytes) else values
    if (isinstance(values, list) and len(values) == 2
            and all(isinstance(v, bool) for v in values) and values[0] != values[1]):
        return [False, True]
    return values


def _check_grid(explorer_class: type[Explorer], grid: Mapping[str, Sequence[Any]], *,
                need_default: bool = True) -> None:
    defaults = explorer_class.defaults
    for name, values in grid.items():
        if name not in defaults:
            raise ValueError(f"book_grid of {explorer_class.__name__}: {name!r} is not a "
                             f"parameter; allowed: {sorted(defaults)}")
        if isinstance(values, str | bytes) or not values:
            raise ValueError(f"book_grid of {explorer_class.__name__}: {name!r} has no values")
        if len(set(map(repr, values))) != len(values):
            raise ValueError(f"book_grid of {explorer_class.__name__}: {name!r} repeats a "
                             "value")
        if need_default and defaults[name] not in values:
            raise ValueError(f"book_grid of {explorer_class.__name__}: {name!r} must include "
                             f"its default {defaults[name]!r}")


def with_default(values: Sequence[float], default: float, *,
                 within: float = 0.25) -> tuple[float, ...]:
    """Values on a log scale for a book grid, the default in place of any within ``within``
    decades of it (which would draw nearly the default's frame beside it), sorted.

    Examples
    --------
    >>> with_default([1e10, 10 ** 10.5, 1e11, 10 ** 11.5, 1e12], 3e11)
    (10000000000.0, 31622776601.683792, 100000000000.0, 300000000000.0, 1000000000000.0)
    """
    if not (np.isfinite(default) and default > 0):
        raise ValueError(f"default must be positive and finite; got {default!r}")
    if not (np.isfinite(within) and within >= 0):
        raise ValueError(f"within must be a non-negative number of decades; got {within!r}")
    kept = [float(v) for v in values if not abs(np.log10(float(v) / default)) <= within]
    return tuple(sorted({*kept, float(default)}))


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


def axes(grid: Grid) -> dict[str, list[Any]]:
    """Each parameter's values as the page's control offers them: a joint grid's lists as
    declared; for slices (completed, as :func:`book_grid` returns them), the union of the
    values each parameter takes in any slice: sorted for numbers, and for a menu in the order
    of its longest list."""
    if not _is_slices(grid):
        return {name: list(values) for name, values in grid.items()}
    names = list(dict.fromkeys(name for s in grid for name in s))
    union: dict[str, list[Any]] = {}
    for name in names:
        # A menu keeps the order of its longest list (as declared), not the alphabet's.
        lists = sorted((s[name] for s in grid), key=len, reverse=True)
        values: list[Any] = []
        for listed in lists:
            values += [v for v in listed if v not in values]
        numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
        union[name] = sorted(values) if numeric else values
    return union


def grid_points(grid: Grid) -> list[dict[str, Any]]:
    """Every point of the joint grid, in drawing order: the first name varies fastest, so the
    last one (declare there a parameter whose change redraws the figure's static background,
    such as a choice of law) changes least often. For slices (completed, as :func:`book_grid`
    returns them), each slice's points in turn, each point once, naming every parameter of
    :func:`axes` in its order."""
    if _is_slices(grid):
        order = list(axes(grid))
        points: dict[str, dict[str, Any]] = {}
        for s in grid:
            for point in grid_points(s):
                ordered = {name: point[name] for name in order}
                points.setdefault(frame_key(grid, ordered), ordered)
        return list(points.values())
    names = list(grid)[::-1]
    return [dict(zip(names, values, strict=True))
            for values in itertools.product(*(grid[n] for n in names))]


def frame_key(grid: Grid, point: Mapping[str, Any]) -> str:
    """The frame's name: the index of each value in its list of :func:`axes`, joined by ``-``
    (``"2-0-1"``)."""
    return "-".join(str(values.index(point[name])) for name, values in axes(grid).items())


def nearest_key(keys: Sequence[str], current: Sequence[int], moved: int, index: int,
                home: Sequence[int]) -> str:
    """The frame the page shows when control ``moved`` goes to ``index`` from the setting
    ``current`` (indices into :func:`axes`), among the frame ``keys``: the setting itself if it
    has a frame; otherwise, among the frames with ``index`` at ``moved``, the one with the
    fewest other controls changed, then the smallest sum of index distances, then the fewest
    controls away from ``home`` (the defaults' indices), then the first in ``keys``' order.
    ``explorer_frames.js`` follows the same rule.

    Raises
    ------
    ValueError
        If no frame has ``index`` at ``moved``.

    Examples
    --------
    >>> nearest_key(["0-0", "1-0", "0-1"], [1, 0], 1, 1, [0, 0])
    '0-1'
    """
    target = [*current]
    target[moved] = index
    wanted = "-".join(map(str, target))
    if wanted in keys:
        return wanted
    best: tuple[int, int, int, int] | None = None
    choice = None
    for order, key in enumerate(keys):
        indices = [int(i) for i in key.split("-")]
        if indices[moved] != index:
            continue
        others = [(i, c) for j, (i, c) in enumerate(zip(indices, current, strict=True))
                  if j != moved]
        score = (sum(i != c for i, c in others), sum(abs(i - c) for i, c in others),
                 sum(i != h for i, h in zip(indices, home, strict=True)), order)
        if best is None or score < best:
            best, choice = score, key
    if choice is None:
        raise ValueError(f"no frame has index {index} for control {moved}")
    return choice


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


def cache_key(explorer_class: type[Explorer], grid: Grid) -> str:
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


def _jsonable(grid: Grid) -> Any:
    if _is_slices(grid):
        return [_jsonable(s) for s in grid]
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
    return re.sub(r"([.:!?]);", r"\1", text).strip(" ;")


def describe(explorer_class: type[Explorer], point: Mapping[str, Any], summary: str) -> str:
    """Alt text for a frame: what the figure shows, at which setting, and its numbers."""
    what = (explorer_class.__doc__ or explorer_class.__name__).strip().split("\n\n")[0]
    what = " ".join(what.split())
    setting = ", ".join(f"{name} = {format_value(value)}" for name, value in point.items())
    numbers = _plain_text(summary).rstrip(".")
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


def _render_chunk(job: tuple[type[Explorer], Any, list[dict[str, Any]],
                             str]) -> list[dict[str, Any]]:
    explorer_class, grid, points, out_dir = job
    renderer = _Renderer(explorer_class)
    order = list(axes(grid))  # the controls' order, for the alt text
    records = []
    for point in points:
        point = {name: point[name] for name in order}
        data, summary = renderer.frame(point)
        key = frame_key(grid, point)
        (Path(out_dir) / f"{key}.{FORMAT}").write_bytes(data)
        records.append({"key": key, "file": f"{key}.{FORMAT}", "summary": summary,
                        "alt": describe(explorer_class, point, summary),
                        "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)})
    return records


def render_frames(explorer_class: type[Explorer], out_dir: str | Path, *,
                  grid: Grid | None = None, processes: int = 1) -> dict[str, Any]:
    """Draw an explorer at every point of its book grid into ``out_dir``; return the manifest.

    Parameters
    ----------
    explorer_class
        A subclass of :class:`Explorer`.
    out_dir
        Folder for the frames (created), one ``<key>.webp`` per point (see :func:`frame_key`).
    grid
        Name -> values, or a sequence of them (slices; see the module's docstring); by
        default :func:`book_grid`.
    processes
        Worker processes (>= 1). The frames do not depend on it: each is drawn as if by a
        fresh explorer.

    Returns
    -------
    dict
        ``{"explorer", "grid", "slices", "defaults", "labels", "shown", "format", "frames"}``:
        the values each control offers (:func:`axes`) as JSON values, the slices (completed)
        or None for one joint grid, each parameter's control label and the text its control
        shows for each value (a dropdown's option label where it has one), and per frame key
        its ``file``, ``summary`` (HTML), ``alt`` text, ``sha256`` and ``bytes``.

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
    grid = book_grid(explorer_class) if grid is None else _normalise(explorer_class, grid)
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
    offered = axes(grid)
    labels, shown = _labels(explorer_class, offered)
    frames = {r.pop("key"): r for r in sorted(records, key=lambda r: r["key"])}
    return {"explorer": f"{explorer_class.__module__}:{explorer_class.__qualname__}",
            "grid": _jsonable(offered),
            "slices": _jsonable(grid) if _is_slices(grid) else None,
            "labels": labels, "shown": shown, "format": FORMAT,
            "defaults": {n: _jsonable({n: [explorer_class.defaults[n]]})[n][0]
                         for n in offered},
            "frames": frames}


def _labels(explorer_class: type[Explorer], offered: Mapping[str, Sequence[Any]]
            ) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Each parameter's label (its control's description where ipywidgets is installed), and
    the text shown for each of its values: a dropdown's label where its options are (label,
    value) pairs, else :func:`format_value`."""
    try:
        controls = explorer_class().controls()
    except ImportError:
        controls = {}
    labels, shown = {}, {}
    for name, values in offered.items():
        control = controls.get(name)
        labels[name] = str(getattr(control, "description", "") or name)
        options = getattr(control, "options", None) or ()
        named = {o[1]: str(o[0]) for o in options
                 if isinstance(o, tuple) and len(o) == 2 and isinstance(o[1], Hashable)}
        shown[name] = [named.get(v, format_value(v)) if isinstance(v, Hashable)
                       else format_value(v) for v in values]
    return labels, shown
