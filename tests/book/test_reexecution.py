"""Re-executing a notebook leaves its committed outputs unchanged: no stale output can pass.

Every notebook the book is built from was executed afresh into the build's jupyter-cache: by
nbval earlier in the same run (``tests/nbval_cache.py``), or else by ``scripts/
prefill_execution_cache.py --execute`` (never from the saved outputs, as ``make book`` may).
These tests compare that execution with the outputs committed
in ``notebooks/``: text outputs (plain text, Markdown, HTML, LaTeX, streams, glued values) byte
for byte, after the same sanitising nbval does, and figures pixel by pixel within a small
tolerance, because a figure re-rendered on another CPU can differ in a few anti-aliased pixels
while a stale figure differs in far more. Widget cells are skipped: their output is live.
"""

from __future__ import annotations

import base64
import configparser
import io
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from PIL import Image

from tests.book.conftest import ROOT

pytestmark = pytest.mark.book

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
TEXT_MIMES = ("text/plain", "text/markdown", "text/html", "text/latex")
# A pixel "differs" when a channel moves by more than this (of 255)...
PIXEL_THRESHOLD = 16
# ...and a figure passes when at most this share of its pixels differ.
PIXEL_SHARE = 0.005


def _sanitisers() -> list[tuple[re.Pattern, str]]:
    config = configparser.ConfigParser()
    config.read(ROOT / "tests" / "nbval_sanitize.cfg")
    return [(re.compile(config[s]["regex"]), config[s]["replace"]) for s in config.sections()]


SANITISERS = _sanitisers()


def _text(value) -> str:
    text = "".join(value) if isinstance(value, list) else str(value)
    for pattern, replacement in SANITISERS:
        text = pattern.sub(replacement, text)
    return text


def _pixels(data: str) -> np.ndarray:
    image = Image.open(io.BytesIO(base64.b64decode(data))).convert("RGBA")
    return np.asarray(image, dtype=np.int16)


def figure_difference(committed: str, executed: str) -> float:
    """Share of pixels that differ between two base64 PNGs (1.0 if their sizes differ)."""
    a, b = _pixels(committed), _pixels(executed)
    if a.shape != b.shape:
        return 1.0
    return float(np.mean(np.abs(a - b).max(axis=-1) > PIXEL_THRESHOLD))


def differences(committed: nbformat.NotebookNode, executed: nbformat.NotebookNode) -> list[str]:
    """Every way the executed notebook's outputs differ from the committed ones."""
    found = []
    pairs = zip(committed.cells, executed.cells, strict=True)
    for index, (old, new) in enumerate(pairs):
        if old.cell_type != "code" or "nbval-ignore-output" in old.metadata.get("tags", []):
            continue
        if len(old.outputs) != len(new.outputs):
            found.append(f"cell {index}: {len(old.outputs)} outputs committed, "
                         f"{len(new.outputs)} on re-execution")
            continue
        for number, (a, b) in enumerate(zip(old.outputs, new.outputs, strict=True)):
            where = f"cell {index}, output {number}"
            data_a, data_b = a.get("data", {}), b.get("data", {})
            if a.output_type != b.output_type:
                found.append(f"{where}: {a.output_type} became {b.output_type}")
            elif a.output_type == "stream" and _text(a.text) != _text(b.text):
                found.append(f"{where}: stream text changed")
            for mime in TEXT_MIMES:
                if _text(data_a.get(mime, "")) != _text(data_b.get(mime, "")):
                    found.append(f"{where}: {mime} changed")
            if "image/png" in data_a or "image/png" in data_b:
                both = "image/png" in data_a and "image/png" in data_b
                share = (figure_difference(data_a["image/png"], data_b["image/png"])
                         if both else 1.0)
                if share > PIXEL_SHARE:
                    found.append(f"{where}: figure differs in {share:.2%} of its pixels")
    return found


@pytest.fixture(scope="module")
def cache(book_build):
    from jupyter_cache import get_cache

    return get_cache(ROOT / "_build" / ".jupyter_cache")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_reexecution_leaves_outputs_unchanged(cache, path: Path):
    pk, executed = cache.merge_match_into_file(str(path))
    # `make book` may fill the cache from the saved outputs; comparing those with themselves
    # would prove nothing, so the test run's prefill executes such notebooks again.
    assert cache.get_cache_record(pk).data.get("executed_by") != "saved outputs", (
        f"{path.name}: the cache holds its saved outputs, not an execution")
    committed = nbformat.read(path, as_version=4)
    found = differences(committed, executed)
    assert not found, (f"{path.name} is stale; re-run `make notebooks` and commit:\n"
                       + "\n".join(found))


def test_a_stale_figure_is_caught():
    base = np.full((60, 80, 3), 255, dtype=np.uint8)
    moved = base.copy()
    moved[10:50, 20:60] = 0  # a block drawn where the committed figure had none

    def png(array):
        buffer = io.BytesIO()
        Image.fromarray(array).save(buffer, format="PNG")
        return base64.b64encode(buffer.getvalue()).decode()

    assert figure_difference(png(base), png(base)) == 0.0
    assert figure_difference(png(base), png(moved)) > PIXEL_SHARE
