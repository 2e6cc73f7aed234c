"""The built book: a strict build, no network assets, and every page checked in a browser.

A reader often opens the book from disk with no network, so each page is loaded from
``file://`` with every other request blocked, and must show typeset math, working images and
no console errors.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import numpy as np
import pytest
from PIL import Image

from tests.book.browser import offline_page
from tests.book.conftest import FAILURE_MARKERS, HTML, ROOT

pytestmark = pytest.mark.book


def _pages() -> list[str]:
    """Every HTML page the book builds, relative to _build/html (from the table of contents)."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part["chapters"]]
    return [f"{f}.html" for f in files] + ["genindex.html", "search.html"]


PAGES = _pages()


def test_book_builds_strictly(book_build):
    log = book_build["log"]
    assert book_build["returncode"] == 0, log[-4000:]
    for marker in FAILURE_MARKERS:
        assert marker not in log, f"{marker!r} in the build log:\n{log[-4000:]}"


class _AssetCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.remote: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        url = {"script": attributes.get("src"), "img": attributes.get("src"),
               "link": attributes.get("href") if tag == "link" else None,
               "iframe": attributes.get("src")}.get(tag)
        if url and re.match(r"^(https?:)?//", url):
            self.remote.append(f"<{tag}> {url}")


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_no_remote_assets(book_build, page):
    assert book_build["returncode"] == 0
    collector = _AssetCollector()
    collector.feed((HTML / page).read_text(encoding="utf-8"))
    assert collector.remote == [], f"{page} loads assets from the network"


def test_figures_are_not_empty(book_build):
    images = sorted((HTML / "_images").glob("*.png"))
    assert images, "the book has no figures"
    for path in images:
        pixels = np.asarray(Image.open(path).convert("L"), dtype=float)
        assert min(pixels.shape) >= 50, f"{path.name} is only {pixels.shape}"
        assert pixels.std() > 5, f"{path.name} is blank (uniform pixels)"


_CHECK_PAGE = r"""
async () => {
  const problems = [];
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
    if (MathJax.typesetPromise) { await MathJax.typesetPromise(); }
  }
  const maths = document.querySelectorAll('.math');
  maths.forEach((el, i) => {
    if (!el.querySelector('mjx-container')) {
      problems.push('math not typeset: ' + el.textContent.slice(0, 80));
    }
  });
  const latex = /\\\(|\\\)|\\\[|\\\]|\$\$|\\begin\{|\\frac|\\text\{|\\displaystyle|\\mathrm/;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      const parent = node.parentElement;
      const skip = 'script, style, pre, code, textarea, mjx-container, .highlight, .cell_input';
      if (!parent || parent.closest(skip)) {
        return NodeFilter.FILTER_REJECT;
      }
      return NodeFilter.FILTER_ACCEPT;
    }
  });
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent;
    if (latex.test(text)) { problems.push('raw LaTeX: ' + text.trim().slice(0, 80)); }
  }
  document.querySelectorAll('img').forEach(img => {
    if (!img.complete || img.naturalWidth === 0) {
      problems.push('broken image: ' + img.getAttribute('src'));
    } else if (img.closest('.cell_output') && (img.naturalWidth < 50 || img.naturalHeight < 50)) {
      problems.push('empty figure: ' + img.getAttribute('src'));
    }
  });
  return {problems: problems, maths: maths.length, images: document.images.length};
}
"""


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_offline(browser, book_build, page):
    assert book_build["returncode"] == 0
    path = HTML / page
    assert path.exists(), f"{page} was not built"
    with offline_page(browser, path) as (browser_page, errors, blocked):
        result = browser_page.evaluate(_CHECK_PAGE)
    assert blocked == [], f"{page} tried to reach the network: {blocked}"
    assert errors == [], f"{page} logged console errors: {errors}"
    assert result["problems"] == [], f"{page}: {result['problems']}"
