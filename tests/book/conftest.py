"""Fixtures for the book tests: one strict build per test session, one headless browser."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"

# Lines in the build log that mean a notebook failed even if the build exited 0.
FAILURE_MARKERS = ("Execution Failed", "Traceback (most recent call last)", "CellExecutionError")


@pytest.fixture(scope="session")
def book_build() -> dict:
    """Build the book with warnings as errors; return its exit code, log and duration."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    prefill = [sys.executable, str(ROOT / "scripts" / "prefill_execution_cache.py"),
               "--execute"]
    command = [str(jupyter_book), "build", str(ROOT), "-W", "--keep-going"]
    env = {**os.environ, "MPLBACKEND": "Agg"}
    start = time.perf_counter()
    # Execute (in parallel, into the build's cache) every notebook nbval did not already run
    # in this session: unlike `make book`, never from the saved outputs, which the
    # re-execution tests compare with an execution.
    filled = subprocess.run(prefill, cwd=ROOT, capture_output=True, text=True, env=env)
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env)
    return {"returncode": done.returncode or filled.returncode,
            "log": filled.stdout + filled.stderr + done.stdout + done.stderr,
            "seconds": time.perf_counter() - start, "html": HTML}


@pytest.fixture(scope="session")
def browser(book_build):
    """A headless Chromium (Debian's), or a skip that says why the check did not run."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.skip("BROWSER CHECK DID NOT RUN: chromium is not installed "
                    "(scripts/ensure_chromium.sh could not install it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"])
        yield browser
        browser.close()


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
