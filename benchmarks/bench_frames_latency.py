"""Latency of a move in the book's in-book explorers (bar: 50 ms, median and worst).

Opens each built page that shows explorer frames from disk (file://) in headless Chromium,
with every request off the disk refused, and moves each control of each explorer to a
neighbouring value as a drag does (value set, ``input`` dispatched): the time until the new
frame is decoded and the next animation frame comes, as in the browser test
(``tests/book/browser.TIME_MOVE``). Each control walks up its range and back, a pause
between moves leaving the page time to load the neighbours ahead, as a reader's pace does.

Needs a built book: ``--html PATH`` (default: this repository's ``_build/html``). Run it as a
module from the repository's root, ``python -m benchmarks.bench_frames_latency`` (as ``make
bench`` does), so that it drives the browser with the very helpers the browser tests use
(``tests/book/browser.py``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

from benchmarks._common import report
from tests.book.browser import TIME_MOVE, launch_chromium, offline_page

ROOT = Path(__file__).resolve().parents[1]

MOVES = 12          # moves timed per control (fewer for a control with fewer values)
PAUSE_MS = 250      # between moves: the page loads the neighbouring frames meanwhile
BAR = 0.050         # seconds, from the issue: a move shows its frame within 50 ms


def _walk(start: int, count: int, moves: int) -> list[int]:
    """Indices a drag passes through: up from ``start`` to the end, then down, and so on."""
    if count < 2:
        return []
    path, index, step = [], start, 1
    for _ in range(moves):
        if not 0 <= index + step < count:
            step = -step
        index += step
        path.append(index)
    return path


def _time_page(page, name: str) -> dict[str, list[float]]:
    """Milliseconds of each move, by 'Explorer control', for one page."""
    times: dict[str, list[float]] = {}
    for root in page.query_selector_all(".explorer-frames"):
        data = json.loads(root.query_selector("script.explorer-frames-manifest").text_content())
        explorer = data["explorer"].rpartition(":")[2]
        start = [int(i) for i in root.evaluate("r => r.dataset.frame").split("-")]
        for i, param in enumerate(data["grid"]):
            count = len(data["grid"][param])
            label = f"{explorer} {param}"
            for index in _walk(start[i], count, min(MOVES, 2 * (count - 1))):
                page.wait_for_timeout(PAUSE_MS)
                times.setdefault(label, []).append(page.evaluate(TIME_MOVE,
                                                                 [root, param, index]))
            # Back to the default, so that the next control moves from the default setting.
            root.evaluate("(r, [p, v]) => { const c = r.querySelector('[data-param=\"' + p + "
                          "'\"]'); if (c.type === 'checkbox') { c.checked = v === 1; } "
                          "else { c.value = String(v); } c.dispatchEvent(new Event('input', "
                          "{bubbles: true})); }", [param, start[i]])
    if not times:
        print(f"{name}: no explorer frames found")
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html",
                        help="the built book (default: _build/html)")
    parser.add_argument("--save-baseline", action="store_true",
                        help="make this run the committed baseline")
    args = parser.parse_args()
    pages = sorted(p for p in (args.html / "notebooks").glob("*.html")
                   if 'class="explorer-frames"' in p.read_text(encoding="utf-8"))
    if not pages:
        print(f"no page with explorer frames under {args.html}: build the book first")
        return 1
    from playwright.sync_api import sync_playwright

    figures: dict[str, float] = {}
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            for path in pages:
                with offline_page(browser, path) as (page, errors, blocked):
                    moves = _time_page(page, path.name)
                if blocked or errors:
                    print(f"{path.name}: network {blocked}, console errors {errors}")
                    return 1
                for label, milliseconds in moves.items():
                    figures[f"{label} median"] = statistics.median(milliseconds) / 1e3
                    figures[f"{label} worst"] = max(milliseconds) / 1e3
        finally:
            browser.close()
    return report("frames_latency", figures, {label: BAR for label in figures})


if __name__ == "__main__":
    sys.exit(main())
