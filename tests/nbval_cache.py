"""Execute each notebook once: nbval's run fills the book build's execution cache.

``make test`` runs nbval on every notebook and then builds the book, which would execute every
notebook a second time into its jupyter-cache (``_build/.jupyter_cache``). This plugin keeps the
outputs nbval received from the kernel for each cell; when every cell of a notebook has passed,
it writes the executed notebook (the committed cells with those outputs) into that cache, keyed
by the same hash of the code that the build looks up. The build then finds the notebook already
executed, and ``tests/book/test_reexecution.py`` compares these very outputs, figures included,
with the committed ones. A notebook with a failing cell is not cached, so the build executes it
again and reports the error in its own log.

The book tests are moved after the notebooks so that the build comes last. Loaded by the root
``conftest.py``; a run without notebooks (``pytest tests``) leaves the cache alone.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "_build" / ".jupyter_cache"


def _is_nbval_cell(item: pytest.Item) -> bool:
    return type(item).__name__ == "IPyNbCell"


def _is_book_test(item: pytest.Item) -> bool:
    return item.get_closest_marker("book") is not None


class NotebookRun:
    """The outputs and verdicts of one notebook's cells, in order."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.outputs: dict[int, list] = {}
        self.passed = True
        self.seconds = 0.0


class ExecutionRecorder:
    """Collect nbval's outputs per notebook; cache each notebook that passed."""

    def __init__(self) -> None:
        self.runs: dict[Path, NotebookRun] = {}
        self.cached: list[Path] = []

    def _run(self, item: pytest.Item) -> NotebookRun:
        path = Path(str(item.fspath)).resolve()
        return self.runs.setdefault(path, NotebookRun(path))

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        if any(_is_nbval_cell(item) for item in items):
            items.sort(key=_is_book_test)  # stable: only moves the book tests to the end

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call):
        outcome = yield
        if not _is_nbval_cell(item) or call.when != "call":
            return
        run = self._run(item)
        run.seconds += call.duration
        report = outcome.get_result()
        outputs = getattr(item, "test_outputs", None)
        if report.failed or outputs is None:
            run.passed = False
        else:
            run.outputs[item.cell_num] = [dict(output) for output in outputs]

    def pytest_runtest_teardown(self, item: pytest.Item, nextitem: pytest.Item | None) -> None:
        if not _is_nbval_cell(item):
            return
        if nextitem is not None and nextitem.parent is item.parent:
            return
        run = self.runs.pop(Path(str(item.fspath)).resolve(), None)
        if run is not None and run.passed and run.outputs:
            cache_executed_notebook(run)
            self.cached.append(run.path)


def _as_output(output: dict):
    import nbformat

    kind = output["output_type"]
    if kind == "stream":
        return nbformat.v4.new_output("stream", name=output["name"], text=output["text"])
    fields = {"data": output.get("data", {}), "metadata": output.get("metadata", {})}
    if kind == "execute_result":
        fields["execution_count"] = output.get("execution_count")
    return nbformat.v4.new_output(kind, **fields)


def executed_notebook(run: NotebookRun):
    """The committed notebook with its code cells' outputs replaced by the ones nbval saw.

    None unless every code cell ran.
    """
    import nbformat

    notebook = nbformat.read(run.path, as_version=4)
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    if set(run.outputs) != set(range(len(code_cells))):
        return None  # only some cells ran (e.g. ``-k``): not an execution of the notebook
    for count, cell in enumerate(code_cells, start=1):
        cell.execution_count = count
        cell.outputs = [_as_output(output) for output in run.outputs[count - 1]]
        for output in cell.outputs:
            if output.output_type == "execute_result":
                output.execution_count = count
    return notebook


def cache_executed_notebook(run: NotebookRun) -> None:
    """Write one executed notebook into the build's jupyter-cache, replacing any older run."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    notebook = executed_notebook(run)
    if notebook is None:
        return
    cache = get_cache(CACHE)
    cache.add_nb_to_project(str(run.path))
    bundle = CacheBundleIn(notebook, uri=str(run.path),
                           data={"execution_seconds": run.seconds,
                                 "executed_by": "nbval", "at": time.time()})
    cache.cache_notebook_bundle(bundle, check_validity=True, overwrite=True)
