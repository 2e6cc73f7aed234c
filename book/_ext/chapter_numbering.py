"""Sphinx extension: number equations, figures and exercises per chapter ("3.2"), not book-wide.

Without numbered section headings Sphinx counts every numbered object across the whole book,
so Chapter 3's first equation was (9) and its exercises 10 to 12, numbers that clash with the
papers' own equation numbers. After Sphinx assigns its numbers, this restarts the count in
every page and prefixes a chapter's number (taken from its file name, ``notebooks/03_...``):
Chapter 3's equations read (3.1), (3.2), ..., its exercises 3.1, 3.2, ...; pages that are not
chapters count from 1.
"""

from __future__ import annotations

import re
from typing import Any

_CHAPTER = re.compile(r"^notebooks/(\d+)_")


def chapter_number(docname: str) -> int | None:
    """The chapter number of a page, or None for pages that are not chapters."""
    match = _CHAPTER.match(docname)
    return int(match.group(1)) if match else None


def _renumber(app: Any, env: Any) -> list[str]:
    changed = []
    for docname, by_type in env.toc_fignumbers.items():
        prefix = chapter_number(docname)
        new_by_type = {}
        for figtype, numbers in by_type.items():
            ordered = sorted(numbers, key=lambda key: numbers[key])
            new_by_type[figtype] = {
                key: ((prefix, index) if prefix is not None else (index,))
                for index, key in enumerate(ordered, start=1)}
        if new_by_type != by_type:
            env.toc_fignumbers[docname] = new_by_type
            changed.append(docname)
    return changed


def setup(app: Any) -> dict[str, Any]:
    # After Sphinx's own TocTreeCollector (default priority) has assigned book-wide numbers.
    app.connect("env-get-updated", _renumber, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
