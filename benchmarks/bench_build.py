"""A clean book build as `make book` runs it (bar: 90 s on 2 cores, environment present).

`make book` fills the build's execution cache from the notebooks' saved outputs (see
scripts/prefill_execution_cache.py); ``--execute`` measures the build that executes every
notebook instead (``make book EXECUTE=1``), for which there is no bar.

Removes _build, builds with warnings as errors, then reads each notebook's execution time
from the build's jupyter-cache, the time spent drawing each in-book explorer's frames (from
the frames' cache, ``_build/.explorer_frames``), and the sizes: each page with frames, its
frames included (bar 8 MB), and the whole built book (bar 150 MB).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from _common import report

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
PAGE_BAR_MB = 8.0
BOOK_BAR_MB = 150.0


def _megabytes(paths: list[Path]) -> float:
    return sum(p.stat().st_size for p in paths if p.is_file()) / 1e6


def frame_sizes() -> dict[str, float]:
    """MB per page that shows frames (the page and its frames), and of the whole book."""
    sizes = {}
    for page in sorted(HTML.rglob("*.html")):
        bases = re.findall(r'class="explorer-frames" data-base="([^"]+)"',
                           page.read_text(encoding="utf-8"))
        if bases:
            folders = [(page.parent / base).resolve() for base in bases]
            files = [page, *(f for folder in folders for f in folder.iterdir())]
            sizes[f"page {page.relative_to(HTML)}"] = _megabytes(files)
    sizes["whole book"] = _megabytes(list(HTML.rglob("*")))
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--execute", action="store_true",
                        help="as `make book EXECUTE=1`: execute every notebook (no bar)")
    args, _ = parser.parse_known_args(argv)  # --save-baseline is read by report()
    shutil.rmtree(ROOT / "_build", ignore_errors=True)
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    start = time.perf_counter()
    # What `make book` runs: fill the execution cache (from the saved outputs, or by
    # executing the notebooks in parallel), then the build.
    prefill = [sys.executable, str(ROOT / "scripts" / "prefill_execution_cache.py")]
    subprocess.run(prefill + (["--execute"] if args.execute else []),
                   cwd=ROOT, capture_output=True, text=True, check=True)
    filled = time.perf_counter() - start
    done = subprocess.run([str(jupyter_book), "build", str(ROOT), "-W", "--keep-going"],
                          cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode:
        print(done.stdout[-3000:], done.stderr[-3000:])
        return 1
    label = "clean book build" + (", every notebook executed" if args.execute else "")
    figures = {label: seconds, "filling the execution cache": filled}
    from jupyter_cache import get_cache

    cache = get_cache(ROOT / "_build" / ".jupyter_cache")
    for record in cache.list_cache_records():
        execution = record.data.get("execution_seconds")
        if execution is not None:
            figures[f"execute {Path(record.uri).name}"] = execution
    for manifest in sorted((ROOT / "_build" / ".explorer_frames").glob("*/manifest.json")):
        drawn = json.loads(manifest.read_text())
        name = drawn["explorer"].rpartition(":")[2]
        figures[f"frames {name} ({len(drawn['frames'])})"] = drawn.get("seconds", 0.0)
    # The bar is for `make book` as a reader runs it; the executing build has none.
    failed = report("build", figures, {} if args.execute else {"clean book build": 90.0})
    for label, megabytes in frame_sizes().items():
        bar = BOOK_BAR_MB if label == "whole book" else PAGE_BAR_MB
        over = megabytes > bar
        failed |= over
        print(f"build: {label:<44} {megabytes:>8.2f}MB {bar:>8.0f}MB "
              f"{'OVER BAR' if over else 'ok'}")
    return failed


if __name__ == "__main__":
    sys.exit(main())
