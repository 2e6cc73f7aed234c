"""The in-book frames of the explorers (chinchilla_lib.widgets.frames)."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from PIL import Image

from chinchilla_lib.widgets import (
    ChinchillaBudgetExplorer,
    PrecisionExplorer,
    ThreeApproachesExplorer,
    frames,
)


def _explorers() -> tuple[type, ...]:
    """Every chapter's explorer the widgets package exports: each has frames in the book."""
    import chinchilla_lib.widgets as package
    from chinchilla_lib.widgets.base import Explorer

    found = (getattr(package, name) for name in sorted(dir(package)))
    return tuple(c for c in found
                 if isinstance(c, type) and issubclass(c, Explorer) and c is not Explorer)


BOOK_EXPLORERS = _explorers()
SMALL = {"law": ["hoffmann2022/approach3", "besiroglu2024/refit"],
         "log10_flops": [20.0, ChinchillaBudgetExplorer.defaults["log10_flops"]]}


@pytest.mark.parametrize("explorer_class", BOOK_EXPLORERS)
def test_declared_grids_hold_the_defaults_and_fit_the_page(explorer_class):
    grid = frames.book_grid(explorer_class)
    points = frames.grid_points(grid)
    for name, values in frames.axes(grid).items():
        assert explorer_class.defaults[name] in values
        assert len(set(values)) == len(values), f"{name} repeats a value"
    home = {name: explorer_class.defaults[name] for name in frames.axes(grid)}
    assert home in points, "the page opens at the defaults: they must have a frame"
    # Each page stays under 8 MB: at most about 40 kB a frame, so at most 200 frames.
    assert len(points) <= 200


def test_grid_from_controls_spans_each_slider():
    grid = frames.book_grid(PrecisionExplorer)          # declares no book_grid
    controls = PrecisionExplorer().controls()
    assert set(grid) == set(controls)
    for name, values in grid.items():
        assert values[0] == pytest.approx(controls[name].min)
        assert values[-1] == pytest.approx(controls[name].max)
        assert PrecisionExplorer.defaults[name] in values


@pytest.mark.parametrize("grid, match", [
    ({"bitz": [4.0]}, "not a parameter"),
    ({"bits": []}, "no values"),
    ({"bits": [4.0, 16.0]}, "must include its default"),
])
def test_bad_grids_are_refused(tmp_path, grid, match):
    with pytest.raises(ValueError, match=match):
        frames.render_frames(PrecisionExplorer, tmp_path, grid=grid)


@pytest.mark.parametrize("bad", [None, 3, "PrecisionExplorer", int])
def test_a_class_that_is_not_an_explorer_is_refused(tmp_path, bad):
    with pytest.raises(ValueError, match="explorer_class"):
        frames.render_frames(bad, tmp_path)
    with pytest.raises(ValueError, match="explorer_class"):
        frames.book_grid(bad)


@pytest.mark.parametrize("processes", [0, -1, 1.5, True, "2"])
def test_processes_must_be_a_positive_integer(tmp_path, processes):
    with pytest.raises(ValueError, match="processes"):
        frames.render_frames(PrecisionExplorer, tmp_path, processes=processes)


SLICES = [{"bits": [4.0, 8.0, 12.0]}, {"bits": [12.0, 16.0], "post_bits": [2.0, 6.0]}]


def test_slices_offer_the_union_of_their_joint_grids():
    """Each slice a joint grid, the other parameters at their defaults; each control offers
    the sorted union of its values; a point shared by two slices is drawn once."""
    defaults = PrecisionExplorer.defaults
    grid = frames._normalise(PrecisionExplorer, SLICES)
    assert frames.axes(grid) == {"bits": [4.0, 8.0, 12.0, 16.0],
                                 "post_bits": sorted({2.0, 6.0, defaults["post_bits"]})}
    points = frames.grid_points(grid)
    keys = [frames.frame_key(grid, p) for p in points]
    assert len(keys) == len(set(keys)) == len(points)
    assert len(points) == 3 + 4
    assert {"bits": 4.0, "post_bits": defaults["post_bits"]} in points
    assert {"bits": 16.0, "post_bits": 2.0} in points
    assert {"bits": 4.0, "post_bits": 2.0} not in points
    # A joint grid keeps its declared order and keys, as before slices existed.
    joint = {"b": [3, 1, 2]}
    assert frames.axes(joint) == joint and frames.frame_key(joint, {"b": 1}) == "1"


@pytest.mark.parametrize("grid, match", [
    ([], "non-empty sequence"),
    (["bits"], "non-empty sequence"),
    ([{"bits": [4.0, 4.0]}], "repeats"),
    ([{"bitz": [4.0]}], "not a parameter"),
    ([{"bits": [4.0]}, {"bits": [12.0]}], "no slice holds the default"),
])
def test_bad_slices_are_refused(tmp_path, grid, match):
    with pytest.raises(ValueError, match=match):
        frames.render_frames(PrecisionExplorer, tmp_path, grid=grid)


def test_nearest_key_keeps_the_moved_value_and_changes_least():
    keys = ["0-0-0", "1-0-0", "2-0-0", "0-1-0", "0-2-0", "2-2-0", "0-0-1", "1-0-1"]
    home = [0, 0, 0]
    assert frames.nearest_key(keys, [0, 0, 0], 0, 1, home) == "1-0-0"      # has a frame
    assert frames.nearest_key(keys, [0, 2, 0], 0, 1, home) == "1-0-0"      # one other moves
    assert frames.nearest_key(keys, [2, 2, 0], 0, 1, home) == "1-0-0"
    assert frames.nearest_key(keys, [1, 0, 1], 1, 2, home) == "0-2-0"      # fewest changed,
    assert frames.nearest_key(keys, [2, 0, 0], 2, 1, home) == "1-0-1"      # then nearest
    with pytest.raises(ValueError, match="no frame"):
        frames.nearest_key(keys, [0, 0, 0], 1, 3, home)


def test_select_options_show_their_labels():
    """A dropdown whose options are (label, value) pairs shows the label, not the value."""
    from chinchilla_lib.widgets import HyperparameterExplorer

    laws = [o[1] for o in HyperparameterExplorer().controls()["law"].options]
    _, shown = frames._labels(HyperparameterExplorer, {"law": laws})
    assert "DeepSeek LLM (Bi et al. 2024)" in shown["law"]
    assert shown["law"][laws.index("deepseek")] == "DeepSeek LLM (Bi et al. 2024)"


def test_grid_points_vary_the_first_name_fastest():
    points = frames.grid_points({"a": [1, 2], "b": ["x", "y"]})
    assert points == [{"a": 1, "b": "x"}, {"a": 2, "b": "x"}, {"a": 1, "b": "y"},
                      {"a": 2, "b": "y"}]
    assert frames.frame_key({"a": [1, 2], "b": ["x", "y"]}, points[2]) == "0-1"


@pytest.fixture(scope="module")
def small_render(tmp_path_factory):
    one = tmp_path_factory.mktemp("one")
    two = tmp_path_factory.mktemp("two")
    return (frames.render_frames(ChinchillaBudgetExplorer, one, grid=SMALL), one,
            frames.render_frames(ChinchillaBudgetExplorer, two, grid=SMALL, processes=2), two)


def test_manifest_describes_every_frame(small_render):
    manifest, folder, _, _ = small_render
    assert manifest["explorer"].endswith(":ChinchillaBudgetExplorer")
    assert manifest["format"] == frames.FORMAT == "webp"
    assert sorted(manifest["frames"]) == ["0-0", "0-1", "1-0", "1-1"]
    assert manifest["labels"] == {"law": "contours of", "log10_flops": "log₁₀ C (FLOPs)"}
    json.dumps(manifest)                                    # inline in the page as JSON
    for key, frame in manifest["frames"].items():
        data = (folder / frame["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == frame["sha256"]
        assert Image.open(io.BytesIO(data)).format == "WEBP"
        assert "<table>" in frame["summary"]
        law = SMALL["law"][int(key.split("-")[0])]
        assert f"law = {law}" in frame["alt"] and "<" not in frame["alt"]


def test_frames_do_not_depend_on_processes_or_order(small_render):
    manifest_one, _, manifest_two, _ = small_render
    assert manifest_one == manifest_two


def test_a_frame_equals_a_fresh_explorers_figure(small_render):
    """Frames are drawn one after another by one explorer, yet each equals the figure of a
    fresh explorer at that setting, pixel for pixel."""
    manifest, folder, _, _ = small_render
    for key, frame in manifest["frames"].items():
        law, flops = (int(i) for i in key.split("-"))
        point = {"law": SMALL["law"][law], "log10_flops": SMALL["log10_flops"][flops]}
        fresh = ChinchillaBudgetExplorer(**point)
        stored = Image.open(folder / frame["file"]).convert("RGB")
        assert stored.tobytes() == fresh.image().tobytes()
        assert stored.tobytes() == Image.open(io.BytesIO(fresh.png())).tobytes()
        assert frames.render_frame(ChinchillaBudgetExplorer, point) == (
            folder / frame["file"]).read_bytes()


def test_frames_are_deterministic_bytes(tmp_path, small_render):
    manifest, folder, _, _ = small_render
    again = frames.render_frames(ChinchillaBudgetExplorer, tmp_path, grid=SMALL)
    for key, frame in manifest["frames"].items():
        assert (tmp_path / again["frames"][key]["file"]).read_bytes() == (
            folder / frame["file"]).read_bytes()


def test_source_files_reach_the_library_but_not_sibling_explorers():
    files = {p.as_posix() for p in frames.source_files(ThreeApproachesExplorer)}
    assert any(f.endswith("widgets/three_approaches.py") for f in files)
    assert any(f.endswith("widgets/base.py") for f in files)
    assert any(f.endswith("fitting/approach3.py") for f in files)
    assert any(f.endswith("registry/hoffmann2022.py") for f in files)
    assert not any(f.endswith("widgets/chinchilla_budget.py") for f in files)
    assert all(Path(f).is_file() for f in files)


def test_cache_key_follows_the_grid():
    grid = frames.book_grid(ChinchillaBudgetExplorer)
    key = frames.cache_key(ChinchillaBudgetExplorer, grid)
    assert key == frames.cache_key(ChinchillaBudgetExplorer, grid)
    assert key != frames.cache_key(ChinchillaBudgetExplorer, SMALL)
    assert key != frames.cache_key(ThreeApproachesExplorer, grid)


def test_alt_text_is_plain_text():
    explorer = ThreeApproachesExplorer()
    alt = frames.describe(ThreeApproachesExplorer, {"noise": 0.01},
                          explorer.summary_html(explorer.result))
    assert "<" not in alt and ":;" not in alt
    assert "Setting: noise = 0.01." in alt and "Approach 3" in alt


def test_alt_text_has_no_doubled_stops_and_names_the_setting_in_the_controls_order():
    alt = frames.describe(PrecisionExplorer, {"bits": 8.0, "post_bits": 4.0},
                          "<p>A sentence.</p><p>Another one.</p>")
    assert ".." not in alt and ".;" not in alt
    assert alt.endswith("A sentence; Another one.") or alt.endswith("A sentence. Another one.")
    assert "Setting: bits = 8, post_bits = 4." in alt


def test_manifest_alt_text_follows_the_controls_order(tmp_path):
    grid = {"bits": [4.0, 8.0], "post_bits": [4.0]}
    manifest = frames.render_frames(PrecisionExplorer, tmp_path, grid=grid)
    assert "Setting: bits = 4, post_bits = 4." in manifest["frames"]["0-0"]["alt"]


def test_a_switch_is_offered_as_false_then_true_whichever_order_it_is_declared_in():
    from chinchilla_lib.widgets import DisagreementExplorer

    class Switched(DisagreementExplorer):
        book_grid = {"non_embedding": (True, False)}  # noqa: RUF012 (as the explorers do)

    assert frames.book_grid(Switched) == {"non_embedding": [False, True]}


@pytest.mark.parametrize("default, within", [(0.0, 0.25), (-1.0, 0.25), (float("nan"), 0.25),
                                             (1.0, -0.1), (1.0, float("inf"))])
def test_with_default_refuses_bad_input(default, within):
    with pytest.raises(ValueError, match=r"default|within"):
        frames.with_default([1.0, 10.0], default, within=within)


def test_with_default_replaces_only_the_neighbour_of_the_default():
    assert frames.with_default([0.01, 0.1, 10 ** -0.5, 1.0], 0.3) == (0.01, 0.1, 0.3, 1.0)
    assert frames.with_default([1.0, 10.0], 3.0, within=0.0) == (1.0, 3.0, 10.0)
