"""Fill the build's jupyter-cache (``_build/.jupyter_cache``) so that the build executes nothing.

By default each notebook's saved outputs go into the cache as they are, when the notebook was
saved from a run of every cell in order with no error (the execution counts go 1, 2, 3, ...),
which is how ``scripts/execute_notebooks.py`` writes them. ``make test`` proves those saved
outputs are what the library computes now: strict nbval compares every text output with a
fresh run, and ``tests/book/test_reexecution.py`` compares the figures too. A notebook saved
any other way (a cell edited and not run, a cell run twice) is executed. A clean build thus
spends its time on the pages and the explorers' frames, not on re-running studies that the
tests already re-run.

``--execute`` executes every notebook that has no executed cache record instead (two at a
time, longest first), replacing records filled from saved outputs: the test run uses it, so
that the re-execution tests compare a real execution. Run from anywhere; ``make book`` and
the test run call it before building.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "_build" / ".jupyter_cache"
SAVED = "saved outputs"
"""The cache record's ``executed_by`` for a notebook filled from its saved outputs."""


def _expected_cost(path: Path) -> int:
    """Rough running cost of a notebook, to start the longest first: its code's length."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    return sum(len(cell.source) for cell in notebook.cells if cell.cell_type == "code")


def saved_run(path: Path):
    """The notebook if it was saved from one run of every cell in order with no error, else
    None."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    in_order = [cell.get("execution_count") for cell in code] == list(range(1, len(code) + 1))
    failed = any(output.get("output_type") == "error" for cell in code
                 for output in cell.get("outputs", []))
    return notebook if code and in_order and not failed else None


def _cached_from_saved(cache, path: Path):
    """The cache record of this notebook's code if it holds saved outputs, else None."""
    import nbformat

    try:
        record = cache.match_cache_notebook(nbformat.read(path, as_version=4))
    except KeyError:
        return None
    return record if record.data.get("executed_by") == SAVED else None


def main(argv: list[str] | None = None) -> int:
    import multiprocessing

    import yaml
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    from jupyter_cache.executors.basic import ExecutionWorkerLocalMProc, ProcessData

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--execute", action="store_true",
                        help="execute every notebook not executed in the cache; never use "
                             "saved outputs")
    args = parser.parse_args(argv)
    # The same per-notebook limit (seconds) as the build itself.
    timeout = yaml.safe_load((ROOT / "_config.yml").read_text())["execute"]["timeout"]

    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    cache = get_cache(CACHE)
    if args.execute:
        for path in notebooks:
            record = _cached_from_saved(cache, path)
            if record is not None:
                cache.remove_cache(record.pk)
    records = [cache.add_nb_to_project(str(path)) for path in notebooks]
    unexecuted = {s.pk for s in cache.list_unexecuted()}
    stale = [r for r in records if r.pk in unexecuted]
    saved = []
    if not args.execute:
        for record in list(stale):
            notebook = saved_run(Path(record.uri))
            if notebook is not None:
                bundle = CacheBundleIn(notebook, uri=record.uri,
                                       data={"executed_by": SAVED, "at": time.time()})
                cache.cache_notebook_bundle(bundle, check_validity=True, overwrite=True)
                stale.remove(record)
                saved.append(record)
    stale.sort(key=lambda r: -_expected_cost(Path(r.uri)))
    # One BLAS thread per kernel: two kernels on two cores beat one kernel with two threads.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    start = time.perf_counter()
    codes = []
    if stale:
        jobs = [ProcessData(r.pk, r.uri, cache, timeout, False) for r in stale]
        # Longest first, one notebook at a time per worker, so the two workers finish together.
        with multiprocessing.Pool(min(os.cpu_count() or 1, len(jobs))) as pool:
            codes = [code for code, _ in pool.imap_unordered(ExecutionWorkerLocalMProc(), jobs,
                                                             chunksize=1)]
    seconds = time.perf_counter() - start
    failed = sum(code != 0 for code in codes)
    print(f"prefill: saved outputs used for {len(saved)}, executed {len(codes) - failed}, "
          f"failed {failed}, already cached {len(notebooks) - len(codes) - len(saved)} "
          f"notebooks; executing took {seconds:.1f} s")
    # A failure is not fatal here: the build re-executes the notebook and reports the error.
    return 0


if __name__ == "__main__":
    sys.exit(main())
