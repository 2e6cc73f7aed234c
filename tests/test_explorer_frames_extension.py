"""The Sphinx extension book/_ext/explorer_frames.py without a build: its cache and markup."""

from __future__ import annotations

import html
import importlib.util
import json
import re
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import ClassVar

import pytest

from chinchilla_lib.widgets import PrecisionExplorer


def _load_extension():
    """The local Sphinx extension book/_ext/explorer_frames.py (a file, not a package), loaded
    by path as Sphinx does through ``_config.yml``, without touching ``sys.path``."""
    path = Path(__file__).resolve().parents[1] / "book" / "_ext" / "explorer_frames.py"
    spec = importlib.util.spec_from_file_location("explorer_frames", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses and pickling look the module up by name
    spec.loader.exec_module(module)
    return module


explorer_frames = _load_extension()


class SmallPrecision(PrecisionExplorer):
    """Two settings of Chapter 6's precision explorer."""

    book_grid: ClassVar[dict[str, list[float]]] = {"bits": [4.0, 8.0]}


@pytest.fixture
def app(tmp_path):
    return SimpleNamespace(outdir=str(tmp_path / "html"),
                           config=SimpleNamespace(explorer_frames_processes=1))


def test_frames_are_rendered_once_then_reused(app):
    manifest, folder, reused = explorer_frames.frames_for(app, SmallPrecision)
    assert not reused and sorted(manifest["frames"]) == ["0", "1"]
    assert folder.parent == explorer_frames.cache_root(app)
    again, folder_again, reused = explorer_frames.frames_for(app, SmallPrecision)
    assert reused and folder_again == folder
    assert again["frames"] == manifest["frames"]


def test_a_changed_grid_renders_afresh_and_drops_the_stale_frames(app):
    _, old, _ = explorer_frames.frames_for(app, SmallPrecision)

    class Wider(SmallPrecision):
        book_grid: ClassVar[dict[str, list[float]]] = {"bits": [4.0, 8.0, 16.0]}

    Wider.__name__ = "SmallPrecision"       # the same explorer, its grid changed
    manifest, new, reused = explorer_frames.frames_for(app, Wider)
    assert not reused and new != old and not old.exists()
    assert len(manifest["frames"]) == 3


def test_markup_holds_controls_summary_image_and_inline_manifest(app):
    manifest, _, _ = explorer_frames.frames_for(app, SmallPrecision)
    page = explorer_frames.markup(manifest, "../_static/frames/SmallPrecision/")
    assert 'type="range"' in page and 'max="1"' in page and 'value="1"' in page
    assert 'aria-live="polite"' in page
    default = manifest["frames"]["1"]
    assert f'src="../_static/frames/SmallPrecision/{default["file"]}"' in page
    assert f'alt="{html.escape(default["alt"])}"' in page
    data = re.search(r'<script type="application/json" class="explorer-frames-manifest">'
                     r"(.*?)</script>", page, re.S).group(1)
    assert json.loads(data)["frames"]["0"]["file"] == manifest["frames"]["0"]["file"]
    assert "http" not in page


def test_a_page_whose_explorer_changed_is_read_again():
    from chinchilla_lib.widgets import frames

    target = "chinchilla_lib.widgets.beyond_chinchilla:PrecisionExplorer"
    key = frames.cache_key(PrecisionExplorer, frames.book_grid(PrecisionExplorer))
    current = {"folder": f"/cache/PrecisionExplorer-{key}", "target": target}
    old = {"folder": "/cache/PrecisionExplorer-0123456789abcdef0123", "target": target}
    env = SimpleNamespace(explorer_frames={"notebooks/a": {"PrecisionExplorer": current},
                                           "notebooks/b": {"PrecisionExplorer": old},
                                           "notebooks/c": {"PrecisionExplorer": "/cache/x"}})
    assert explorer_frames._outdated(None, env, set(), set(), set()) == ["notebooks/b",
                                                                         "notebooks/c"]


def test_a_select_shows_its_options_labels():
    """(label, value) options: the page's <select> shows the label, the manifest keeps the
    value."""
    manifest = {"explorer": "m:C", "grid": {"law": ["deepseek", "porian"]},
                "defaults": {"law": "deepseek"}, "labels": {"law": "law"},
                "shown": {"law": ["DeepSeek LLM (Bi et al. 2024)", "Porian et al."]},
                "slices": None,
                "frames": {k: {"file": f"{k}.webp", "alt": "a", "summary": "s"}
                           for k in ("0", "1")}}
    page = explorer_frames.markup(manifest, "x/")
    assert '<option value="0" selected>DeepSeek LLM (Bi et al. 2024)</option>' in page
    assert ">deepseek<" not in page


class SlicedPrecision(PrecisionExplorer):
    """Chapter 6's precision explorer, in two slices."""

    book_grid: ClassVar[list[dict[str, list[float]]]] = [
        {"bits": [4.0, 8.0]}, {"bits": [12.0], "post_bits": [2.0, 4.0]}]


def test_slices_give_the_union_of_values_and_the_defaults_indices(app):
    manifest, _, _ = explorer_frames.frames_for(app, SlicedPrecision)
    assert manifest["grid"] == {"bits": [4.0, 8.0, 12.0], "post_bits": [2.0, 4.0]}
    assert sorted(manifest["frames"]) == ["0-1", "1-1", "2-0", "2-1"]
    assert len(manifest["slices"]) == 2
    page = explorer_frames.markup(manifest, "x/")
    data = json.loads(re.search(r'class="explorer-frames-manifest">(.*?)</script>', page,
                                re.S).group(1))
    assert data["home"] == [1, 1] and 'data-frame="1-1"' in page
    assert "nearest drawn setting" in page


def test_frames_started_in_the_background_are_waited_for_when_the_page_is_written(app):
    target = f"{__name__}:SmallPrecision"
    explorer_frames.start_rendering(app, [target, target])  # asked twice: drawn once
    assert len(explorer_frames._PENDING) == 1
    manifest, folder, reused = explorer_frames.frames_for(app, SmallPrecision)
    assert not reused and sorted(manifest["frames"]) == ["0", "1"]
    assert (folder / "0.webp").exists() and not explorer_frames._PENDING
    explorer_frames.start_rendering(app, [target])  # cached now: nothing to start
    assert not explorer_frames._PENDING
    explorer_frames._finish_rendering(app, None)
    assert explorer_frames._POOL is None


def test_a_target_that_cannot_be_drawn_is_left_to_the_directive(app):
    explorer_frames.start_rendering(app, ["chinchilla_lib.widgets:NoSuchExplorer",
                                          "no_such_module:X"])
    assert not explorer_frames._PENDING and explorer_frames._POOL is None
