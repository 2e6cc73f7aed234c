"""The headless browser shared by the book's browser tests and the frames' latency benchmark:
how Chromium is launched, how a built page is opened offline, and how a control's move is timed.

Kept out of ``conftest.py`` so that ``benchmarks/bench_frames_latency.py`` can import it
without pytest's fixtures.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def chromium_executable() -> str | None:
    """Debian's chromium (installed by ``scripts/ensure_chromium.sh``), or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def launch_chromium(playwright):
    """A headless Chromium from ``playwright``; ``RuntimeError`` if none is installed."""
    executable = chromium_executable()
    if executable is None:
        raise RuntimeError("chromium is not installed "
                           "(scripts/ensure_chromium.sh could not install it)")
    return playwright.chromium.launch(executable_path=executable, headless=True,
                                      args=CHROMIUM_ARGS)


@contextlib.contextmanager
def offline_page(browser, path: Path) -> Iterator[tuple[object, list[str], list[str]]]:
    """A page of the built book opened from disk (file://) with every other request refused:
    yields the page, the console errors it logs and the addresses it tried to reach."""
    errors: list[str] = []
    blocked: list[str] = []
    context = browser.new_context()
    try:
        page = context.new_page()

        def route(request_route):
            url = request_route.request.url
            if url.startswith(("file:", "data:", "blob:", "about:")):
                request_route.continue_()
            else:
                blocked.append(url)
                request_route.abort()

        page.route("**/*", route)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(Path(path).as_uri(), wait_until="load", timeout=30_000)
        yield page, errors, blocked
    finally:
        context.close()


# Milliseconds from a control's move (its value set, an `input` event dispatched, as a drag
# does) to the new frame decoded and on its way to the screen (the next animation frame).
# Called with [explorer root, parameter name, index of the value to move to].
TIME_MOVE = r"""
async ([root, name, index]) => {
  const control = root.querySelector('[data-param="' + name + '"]');
  const image = root.querySelector('img.explorer-frames-image');
  const start = performance.now();
  if (control.type === 'checkbox') { control.checked = index === 1; }
  else { control.value = String(index); }
  control.dispatchEvent(new Event('input', {bubbles: true}));
  await image.decode();
  await new Promise(resolve => requestAnimationFrame(resolve));
  return performance.now() - start;
}
"""
