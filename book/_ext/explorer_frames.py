"""Sphinx extension: explorers that move in the built book, with no kernel and no network.

A markdown cell under an explorer's static figure holds

````md
```{explorer-frames} chinchilla_lib.widgets.power_law_fit:PowerLawFitExplorer
```
````

At build time the directive draws the explorer at every point of its book grid with the
library's own code (:func:`chinchilla_lib.widgets.frames.render_frames`), and the page gets
controls over the grid, the explorer's summary (``aria-live``) and the figure, with the
manifest inline (``fetch`` of a local file fails on ``file://``). ``explorer_frames.js`` only
chooses which frame to show and preloads the neighbouring ones. An explorer whose
``book_grid`` is a list of slices has controls over the union of their values; a move onto a
setting with no frame shows the nearest frame that keeps the moved control's value
(:func:`chinchilla_lib.widgets.frames.nearest_key` states the rule; the script follows it)
and moves the other controls there.

The frames are cached in ``_build/.explorer_frames/<Class>-<key>``, ``key`` a hash of the
explorer's grid and of the files it depends on (:func:`chinchilla_lib.widgets.frames.cache_key`:
its module, the library's packages it imports, the versions that draw the pixels), so an
unchanged explorer reuses its frames, and a page whose explorer changed is read again even if
its notebook did not change; the frames are copied to ``_static/frames/<Class>/`` when the
build ends.

Frames missing from the cache are drawn in background processes (``explorer_frames_processes``,
two by default), started before Sphinx reads the pages, the largest grids first; the
directive leaves a placeholder, filled in with the markup when its page is written, so the
drawing overlaps the reading and writing of every page instead of adding to it.
"""

from __future__ import annotations

import html
import importlib
import json
import os
import re
import shutil
import time
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

LOGGER = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "explorer_frames_static"
FRAMES_URL = "_static/frames"


def _explorer(target: str) -> type:
    module, _, name = target.partition(":")
    if not name:
        raise ValueError(f"explorer-frames: expected module:Class, got {target!r}")
    return getattr(importlib.import_module(module), name)


def cache_root(app: Any) -> Path:
    """Where frames are kept between builds: beside the HTML output, inside ``_build``."""
    return Path(app.outdir).parent / ".explorer_frames"


_KEYS: dict[type, str] = {}
"""Each explorer's cache key, computed once per build (it hashes the library's files)."""


def _key(explorer_class: type) -> str:
    """The explorer's cache key (:func:`chinchilla_lib.widgets.frames.cache_key`)."""
    from chinchilla_lib.widgets import frames

    if explorer_class not in _KEYS:
        _KEYS[explorer_class] = frames.cache_key(explorer_class,
                                                 frames.book_grid(explorer_class))
    return _KEYS[explorer_class]


def _folder(app: Any, explorer_class: type) -> Path:
    """The cache folder of the explorer's frames as they are now (grid and sources)."""
    return cache_root(app) / f"{explorer_class.__name__}-{_key(explorer_class)}"


def _render_into(explorer_class: type | str, folder: Path | str, processes: int) -> float:
    """Draw the explorer's frames into ``folder`` (through a partial folder renamed at the
    end, so a folder with a manifest is always complete); return the seconds taken. Runs in
    a background worker when started by :func:`start_rendering`."""
    from chinchilla_lib.widgets import frames

    if isinstance(explorer_class, str):
        explorer_class = _explorer(explorer_class)
    folder = Path(folder)
    for old in folder.parent.glob(f"{explorer_class.__name__}-*"):  # stale versions
        shutil.rmtree(old, ignore_errors=True)
    partial = folder.parent / f".{folder.name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    start = time.perf_counter()
    manifest = frames.render_frames(explorer_class, partial, processes=processes)
    manifest["seconds"] = round(time.perf_counter() - start, 2)
    (partial / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    partial.rename(folder)
    return manifest["seconds"]


_POOL: Any = None
_PENDING: dict[str, Any] = {}
"""Frames being drawn in the background: cache folder -> the worker's result."""


def start_rendering(app: Any, targets: list[str]) -> None:
    """Start drawing, in background processes, the frames of each explorer (``module:Class``)
    that the cache lacks, the largest grids first, so that they are drawn while Sphinx reads
    and writes the other pages; :func:`frames_for` waits for an explorer's frames only when
    its page is written. Errors are left for the directive to report."""
    global _POOL
    from chinchilla_lib.widgets import frames

    jobs = []
    for target in dict.fromkeys(targets):
        try:
            explorer_class = _explorer(target)
            folder = _folder(app, explorer_class)
            size = len(frames.grid_points(frames.book_grid(explorer_class)))
        except (ImportError, AttributeError, ValueError):
            continue
        if not (folder / "manifest.json").exists() and str(folder) not in _PENDING:
            jobs.append((size, target, folder))
    if not jobs:
        return
    if _POOL is None:
        import multiprocessing

        context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        _POOL = context.Pool(app.config.explorer_frames_processes)
    cache_root(app).mkdir(parents=True, exist_ok=True)
    for _, target, folder in sorted(jobs, key=lambda job: -job[0]):
        _PENDING[str(folder)] = _POOL.apply_async(_render_into, (target, str(folder), 1))


def frames_for(app: Any, explorer_class: type) -> tuple[dict[str, Any], Path, bool]:
    """The explorer's manifest and the folder holding its frames: from the cache, from a
    background worker (waiting for it), or drawn now. Returns (manifest, folder, reused)."""
    folder = _folder(app, explorer_class)
    manifest_path = folder / "manifest.json"
    pending = _PENDING.pop(str(folder), None)
    reused = pending is None and manifest_path.exists()
    if pending is not None:
        pending.get()  # re-raises the worker's error
    elif not reused:
        _render_into(explorer_class, folder, app.config.explorer_frames_processes)
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if not reused:
        LOGGER.info(f"explorer-frames: {len(manifest['frames'])} frames of "
                    f"{explorer_class.__name__} in {manifest['seconds']:.1f} s")
    return manifest, folder, reused


def _finish_rendering(app: Any, exception: Exception | None) -> None:
    """Wait for frames no written page asked for, then stop the workers."""
    global _POOL
    if exception is None:
        for result in _PENDING.values():
            result.wait()
    _PENDING.clear()
    _KEYS.clear()
    if _POOL is not None:
        if exception is None:
            _POOL.close()
        else:
            _POOL.terminate()
        _POOL.join()
        _POOL = None


def _control(name: str, label: str, values: list[Any], shown: list[str], index: int) -> str:
    label = html.escape(label)
    if values == [False, True]:  # a toggle: checked is index 1
        checked = " checked" if index == 1 else ""
        return (f'<label class="explorer-frames-control"><input type="checkbox" '
                f'data-param="{name}" autocomplete="off"{checked}> {label}</label>')
    if any(isinstance(v, str | bool) for v in values):
        options = "".join(f'<option value="{i}"{" selected" if i == index else ""}>'
                          f"{html.escape(text)}</option>" for i, text in enumerate(shown))
        return (f'<label class="explorer-frames-control"><span>{label}</span> '
                f'<select data-param="{name}" autocomplete="off">{options}</select></label>')
    return (f'<label class="explorer-frames-control"><span>{label}</span> '
            f'<input type="range" data-param="{name}" autocomplete="off" min="0" '
            f'max="{len(values) - 1}" '
            f'step="1" value="{index}" aria-valuetext="{html.escape(shown[index])}"> '
            f'<output>{html.escape(shown[index])}</output></label>')


def markup(manifest: dict[str, Any], base: str) -> str:
    """The HTML of one in-book explorer: controls, summary, figure and inline manifest.

    Each control offers the values of the manifest's ``grid`` (for slices, the union of the
    values each parameter takes in any slice), labelled with its ``shown`` texts (a dropdown's
    option labels). ``home`` in the inline data holds the defaults' indices, which the script
    uses to break ties when a move lands on a setting with no frame."""
    from chinchilla_lib.widgets.frames import format_value

    grid, defaults = manifest["grid"], manifest["defaults"]
    indices = {name: values.index(defaults[name]) for name, values in grid.items()}
    shown = manifest.get("shown") or {name: [format_value(v) for v in values]
                                      for name, values in grid.items()}
    key = "-".join(str(indices[name]) for name in grid)
    frame = manifest["frames"][key]
    controls = "".join(_control(name, manifest["labels"][name], values, shown[name],
                                indices[name]) for name, values in grid.items())
    page_data = {"explorer": manifest["explorer"], "grid": grid, "shown": shown,
                 "home": [indices[name] for name in grid],
                 "frames": {k: {"file": f["file"], "alt": f["alt"], "summary": f["summary"]}
                            for k, f in manifest["frames"].items()}}
    data = json.dumps(page_data, separators=(",", ":")).replace("</", "<\\/")
    count = len(manifest["frames"])
    sliced = (" Some combinations are not drawn: a move to one also moves other controls, to "
              "the nearest drawn setting." if manifest.get("slices") else "")
    return (
        f'<div class="explorer-frames" data-base="{html.escape(base)}" data-frame="{key}">'
        f'<p class="explorer-frames-caption">In the book: {count} settings, each drawn by '
        f"the library when the book was built; move a control (mouse or arrow keys).{sliced}"
        "</p>"
        f'<div class="explorer-frames-controls" hidden>{controls}</div>'
        f'<div class="explorer-frames-summary" aria-live="polite">{frame["summary"]}</div>'
        f'<img class="explorer-frames-image" src="{html.escape(base + frame["file"])}" '
        f'alt="{html.escape(frame["alt"])}">'
        f'<script type="application/json" class="explorer-frames-manifest">{data}</script>'
        "</div>")


class explorer_frames_node(nodes.General, nodes.Element):
    """Where an explorer's frames go; replaced by their markup when the page is written, so
    that reading the pages does not wait for the frames (:func:`start_rendering`)."""


class ExplorerFrames(SphinxDirective):
    """``{explorer-frames} module:Class``: the explorer's frames with working controls."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        target = self.arguments[0]
        try:
            explorer_class = _explorer(target)
            folder = _folder(self.env.app, explorer_class)
        except (ImportError, AttributeError, ValueError) as error:
            raise self.error(f"explorer-frames {target}: {error}") from error
        start_rendering(self.env.app, [target])
        records = self.env.explorer_frames.setdefault(self.env.docname, {})
        records[explorer_class.__name__] = {"folder": str(folder), "target": target}
        depth = self.env.docname.count("/")
        base = "../" * depth + f"{FRAMES_URL}/{explorer_class.__name__}/"
        return [explorer_frames_node(target=target, base=base)]


def _fill_in(app: Any, doctree: Any, docname: str) -> None:
    """Put each explorer's controls, summary, figure and manifest in its page."""
    for node in list(doctree.findall(explorer_frames_node)):
        manifest, _, _ = frames_for(app, _explorer(node["target"]))
        node.replace_self(nodes.raw("", markup(manifest, node["base"]), format="html"))


def _skip(self: Any, node: Any) -> None:
    raise nodes.SkipNode


_DIRECTIVE = re.compile(r"\{explorer-frames\}\s+([\w.]+:\w+)")


def _start_for_pages(app: Any, env: Any, docnames: list[str]) -> None:
    """Before Sphinx reads the pages: start drawing the frames every page to be read asks
    for."""
    targets = []
    for docname in docnames:
        path = Path(env.doc2path(docname))
        if path.suffix in {".ipynb", ".md"} and path.exists():
            targets += _DIRECTIVE.findall(path.read_text(encoding="utf-8"))
    start_rendering(app, targets)


def _init_env(app: Any, env: Any, docnames: list[str]) -> None:
    if not hasattr(env, "explorer_frames"):
        env.explorer_frames = {}


def _purge(app: Any, env: Any, docname: str) -> None:
    getattr(env, "explorer_frames", {}).pop(docname, None)


def _merge(app: Any, env: Any, docnames: Any, other: Any) -> None:
    env.explorer_frames = getattr(env, "explorer_frames", {})
    for docname in docnames:
        if docname in getattr(other, "explorer_frames", {}):
            env.explorer_frames[docname] = other.explorer_frames[docname]


def _outdated(app: Any, env: Any, added: set[str], changed: set[str],
              removed: set[str]) -> list[str]:
    """Pages whose explorer changed (another cache key) although their source did not:
    Sphinx would not read them again, and would keep showing the old frames."""
    _KEYS.clear()  # a new build: the library's files may have changed since the last
    stale = []
    for docname, records in getattr(env, "explorer_frames", {}).items():
        for record in records.values():
            if not isinstance(record, dict):  # written by an older version of this extension
                stale.append(docname)
                break
            try:
                explorer_class = _explorer(record["target"])
                key = _key(explorer_class)
            except (ImportError, AttributeError, ValueError):
                stale.append(docname)  # read it again: the directive reports the error
                break
            if Path(record["folder"]).name != f"{explorer_class.__name__}-{key}":
                stale.append(docname)
                break
    return stale


def _copy_frames(app: Any, exception: Exception | None) -> None:
    """Copy each page's frames from the cache into the HTML output."""
    if exception is not None or app.builder.format != "html":
        return
    target_root = Path(app.outdir) / FRAMES_URL
    for records in getattr(app.env, "explorer_frames", {}).values():
        for name, record in records.items():
            target = target_root / name
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir(parents=True)
            for path in Path(record["folder"]).iterdir():
                if path.name != "manifest.json":
                    shutil.copyfile(path, target / path.name)


def _static_path(app: Any, config: Any) -> None:
    config.html_static_path = [*config.html_static_path, str(STATIC)]


def setup(app: Any) -> dict[str, Any]:
    app.add_config_value("explorer_frames_processes", min(2, os.cpu_count() or 1), "env")
    app.add_node(explorer_frames_node, html=(_skip, None), latex=(_skip, None),
                 text=(_skip, None), man=(_skip, None), texinfo=(_skip, None))
    app.add_directive("explorer-frames", ExplorerFrames)
    app.connect("config-inited", _static_path)
    app.connect("env-before-read-docs", _init_env)
    app.connect("env-before-read-docs", _start_for_pages)
    app.connect("doctree-resolved", _fill_in)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _outdated)
    app.connect("build-finished", _finish_rendering, priority=400)
    app.connect("build-finished", _copy_frames)
    app.add_js_file("explorer_frames.js", loading_method="defer")
    app.add_css_file("explorer_frames.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
