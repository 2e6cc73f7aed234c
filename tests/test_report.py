"""Formatting helpers for the prose."""

import math

import pytest

from chinchilla_lib.course import report


def test_format_count_and_sci():
    assert report.format_count(70e9) == "70B"
    assert report.format_count(999) == "999"
    assert report.format_sci(3.14e23) == "3.14 × 10²³"


def test_format_budget_ratio_as_table3_prints_it():
    assert report.format_budget_ratio(1 / 4761) == "1/4,761"
    assert report.format_budget_ratio(0.98) == "1"
    assert report.format_budget_ratio(1.0) == "1"
    assert report.format_budget_ratio(22515.9) == "22,515.9"
    for bad in (0.0, -1.0, math.nan, math.inf):
        with pytest.raises(ValueError, match="ratio"):
            report.format_budget_ratio(bad)


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_non_finite_is_rejected(bad):
    with pytest.raises(ValueError, match="value"):
        report.format_count(bad)
    with pytest.raises(ValueError, match="value"):
        report.format_sci(bad)


def test_markdown_table():
    table = report.markdown_table(["a", "b"], [[1, 2]])
    assert table.splitlines() == ["| a | b |", "| :-- | --: |", "| 1 | 2 |"]
    with pytest.raises(ValueError, match="rows"):
        report.markdown_table(["a", "b"], [[1]])
