"""Equations and exercises are numbered per chapter, so they never clash with a paper's own."""

from __future__ import annotations

import re

import pytest

from tests.book.conftest import HTML, ROOT

pytestmark = pytest.mark.book

CHAPTERS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_numbers_carry_the_chapter(book_build, path):
    page = (HTML / "notebooks" / f"{path.stem}.html").read_text()
    chapter = int(path.stem[:2])
    equations = re.findall(r'class="eqno">\(([\d.]+)\)', page)
    exercises = re.findall(r"Exercise ([\d.]+)", page)
    assert exercises, "every chapter has exercises"
    for number in equations + exercises:
        assert number.startswith(f"{chapter}."), number
    if equations:
        assert equations[0] == f"{chapter}.1"
    assert f"{chapter}.1" in exercises
