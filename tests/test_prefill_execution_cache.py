"""Which notebooks `make book` may build from their saved outputs (scripts/prefill_...)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def prefill():
    spec = importlib.util.spec_from_file_location(
        "prefill_execution_cache", ROOT / "scripts" / "prefill_execution_cache.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _notebook(tmp_path: Path, counts: list, error: bool = False) -> Path:
    cells = [nbformat.v4.new_markdown_cell("# A chapter")]
    for count in counts:
        cell = nbformat.v4.new_code_cell("1 + 1", execution_count=count)
        if count is not None:
            cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "2"},
                                                   execution_count=count)]
        cells.append(cell)
    if error:
        cells[-1].outputs = [nbformat.v4.new_output("error", ename="ValueError", evalue="x",
                                                    traceback=[])]
    path = tmp_path / "chapter.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


def test_a_notebook_saved_from_one_run_in_order_is_used(prefill, tmp_path):
    assert prefill.saved_run(_notebook(tmp_path, [1, 2, 3])) is not None


@pytest.mark.parametrize("counts", [[1, None, 3], [1, 3, 4], [2, 3, 4], [1, 2, 2], []])
def test_a_notebook_not_saved_from_one_run_is_executed(prefill, tmp_path, counts):
    assert prefill.saved_run(_notebook(tmp_path, counts)) is None


def test_a_notebook_saved_with_an_error_is_executed(prefill, tmp_path):
    assert prefill.saved_run(_notebook(tmp_path, [1, 2], error=True)) is None


def test_every_committed_notebook_can_be_built_from_its_saved_outputs(prefill):
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert notebooks
    assert [p.name for p in notebooks if prefill.saved_run(p) is None] == []
