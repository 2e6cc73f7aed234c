"""The plugin that lets nbval's execution serve the book build (tests/nbval_cache.py)."""

from __future__ import annotations

import nbformat
import pytest

from tests import nbval_cache


def _notebook(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    notebook.cells = [nbformat.v4.new_markdown_cell("# Title"),
                      nbformat.v4.new_code_cell("print('hi')"),
                      nbformat.v4.new_markdown_cell("text"),
                      nbformat.v4.new_code_cell("1 + 1")]
    path = tmp_path / "example.ipynb"
    nbformat.write(notebook, path)
    return path


def _run(path, cells):
    run = nbval_cache.NotebookRun(path)
    outputs = {0: [{"output_type": "stream", "name": "stdout", "text": "hi\n"}],
               1: [{"output_type": "execute_result", "data": {"text/plain": "2"},
                    "metadata": {}, "execution_count": 7}]}
    run.outputs = {index: outputs[index] for index in cells}
    return run


def test_outputs_land_on_their_code_cells_in_order(tmp_path):
    notebook = nbval_cache.executed_notebook(_run(_notebook(tmp_path), [0, 1]))
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == [1, 2]
    assert code[0].outputs[0].text == "hi\n"
    assert code[1].outputs[0].data["text/plain"] == "2"
    assert code[1].outputs[0].execution_count == 2
    nbformat.validate(notebook)


def test_a_partial_run_is_not_an_execution(tmp_path):
    assert nbval_cache.executed_notebook(_run(_notebook(tmp_path), [0])) is None


def test_the_cached_notebook_is_the_one_the_build_finds(tmp_path, monkeypatch):
    jupyter_cache = pytest.importorskip("jupyter_cache")
    monkeypatch.setattr(nbval_cache, "CACHE", tmp_path / "cache")
    path = _notebook(tmp_path)
    nbval_cache.cache_executed_notebook(_run(path, [0, 1]))
    cache = jupyter_cache.get_cache(tmp_path / "cache")
    record = cache.match_cache_notebook(nbformat.read(path, as_version=4))
    assert record.data["executed_by"] == "nbval"
    assert cache.list_unexecuted() == []
