"""Guards on the chapters' prose: no typed numbers, and second-hand values look second-hand."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from chinchilla_lib import registry
from tests import prose_numbers

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_no_typed_numbers_in_prose(path):
    left = prose_numbers.unexplained(path)
    assert not left, "glue these, cite them with a quotation, or justify them in " \
        "tests/prose_numbers_allowed.txt:\n" + "\n".join(map(str, left))


def test_every_allowed_entry_is_still_needed():
    found = [f for p in NOTEBOOKS for f in prose_numbers.typed_numbers(p)]
    for entry in prose_numbers.read_allowed():
        assert any(entry.covers(f) for f in found), f"stale allow-list entry: {entry}"


@pytest.mark.parametrize("text, typed", [
    ("Chinchilla has 70 billion parameters.", ["70"]),
    ("a budget of $5.76 \\times 10^{23}$ FLOPs", ["5.76 \\times 10^{23}"]),
    ("with $\\delta = 10^{-3}$", ["10^{-3}"]),
    ("about sixty tokens per parameter", ["sixty"]),
    ("See Table 3 and Approaches 1 and 2 in Section 3.3 (2022).", []),
    ("a 95% bootstrap interval from two runs", []),
    ("the {glue:text}`n_opt` parameters of {cite:t}`hoffmann2022training`", []),
    ('they write "over 400 models" {cite:p}`hoffmann2022training`', []),
    ('they write "over 400 models"', ["400"]),
    ("the code `fit(n=1500)` and $6ND$", []),
])
def test_scanner_rules(text, typed):
    assert prose_numbers._typed_in_line(text) == typed


def _secondary_names() -> set[str]:
    tables = (registry.CONSTANTS, registry.FITS, registry.MODELS, registry.ARCHITECTURES)
    return {name for table in tables for name, entry in table.items()
            if any(source.status == "secondary"
                   for source in getattr(entry, "sources", (entry.source,)))}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_second_hand_values_are_glued_with_their_marker(path):
    # A cell that glues a value looked up by name from a secondary registry entry must glue
    # it through report.published, which adds the visible second-hand marker.
    secondary = _secondary_names()
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type != "code" or "glue(" not in cell.source:
            continue
        for name in re.findall(r"(?:constant|fit|model|architecture|published|from_registry)"
                               r"\(\s*['\"]([^'\"]+)",
                               cell.source):
            if name in secondary:
                assert re.search(r"(?:report\.|(?<![\w.]))published\(", cell.source), \
                    f"{path.stem}: {name!r} is second-hand; glue it with report.published"
