"""The reproducibility ledger: recomputed published numbers stay within their tolerances."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from chinchilla_lib import registry
from chinchilla_lib.course import ledger, report

ROOT = Path(__file__).resolve().parents[1]


def _page_module():
    spec = importlib.util.spec_from_file_location("ledger_page",
                                                  ROOT / "book" / "_ext" / "ledger_page.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("check", ledger.check_all(), ids=lambda c: c.reproduction.what)
def test_recomputed_value_within_its_tolerance(check):
    assert check.within_tolerance, (check.reproduction.published, check.recomputed)


def test_every_reproduction_names_a_registry_entry_and_a_chapter():
    sources = set(registry.all_sources())
    for reproduction in ledger.reproductions():
        assert reproduction.source in sources
        assert reproduction.chapter.startswith("ch")
        assert 0 < reproduction.tolerance < 0.5 and reproduction.why


def test_a_difference_beyond_tolerance_is_reported():
    entry = registry.constant("gpt3_training_flops")
    wrong = ledger.Reproduction("wrong", entry, entry.value, lambda: 2 * entry.value, 0.01,
                                "test", "ch0-ndcl")
    check = ledger.Check(wrong, wrong.recompute())
    assert not check.within_tolerance and check.difference == pytest.approx(1.0)
    assert not ledger.Check(wrong, float("nan")).within_tolerance


def test_page_labels_every_place_a_value_can_be_read():
    text, failures = _page_module().render()
    assert failures == []
    for _table, entry in registry.entries():
        label = report.ledger_label(entry.source.citation, entry.source.location)
        assert f"({label})=" in text


def test_registry_entries_cover_every_table():
    found = {id(entry) for _where, entry in registry.entries()}
    for name in registry.__all__:
        value = getattr(registry, name)
        if name.isupper() and isinstance(value, tuple) and value and hasattr(value[0], "source"):
            assert all(id(entry) in found for entry in value), name


def test_ledger_page_is_in_the_book_and_not_committed():
    assert "book/ledger" in (ROOT / "_toc.yml").read_text()
    assert "book/ledger.md" in (ROOT / ".gitignore").read_text()
