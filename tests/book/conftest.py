"""Fixtures for the book tests: one strict build per test session, one headless browser."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.book.browser import launch_chromium

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
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        try:
            browser = launch_chromium(playwright)
        except RuntimeError as missing:
            pytest.skip(f"BROWSER CHECK DID NOT RUN: {missing}")
        yield browser
        browser.close()
