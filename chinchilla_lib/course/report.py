"""Numbers and tables formatted for the book's prose (used with myst-nb's ``glue``)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["PublishedText", "format_budget_ratio", "format_count", "format_sci",
           "html_key_values", "ledger_label", "markdown_table", "published"]

_SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))


def format_count(value: float, digits: int = 3) -> str:
    """Format a count with a T/B/M/k suffix and ``digits`` significant figures.

    Examples
    --------
    >>> format_count(175e9)
    '175B'
    >>> format_count(1.4e12)
    '1.4T'
    >>> format_count(1425.5e12)  # beyond the largest suffix: whole units, not '1.43e+03T'
    '1,426T'
    """
    if not math.isfinite(value):
        raise ValueError(f"value must be finite; got {value!r}")
    for scale, suffix in _SUFFIXES:
        if abs(value) >= scale:
            shown = f"{value / scale:.{digits}g}"
            if "e" in shown:  # too many units for the digits: write them out
                shown = f"{value / scale:,.0f}"
            return f"{shown}{suffix}"
    return f"{value:.{digits}g}"


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def format_sci(value: float, digits: int = 3) -> str:
    """Format a number as ``m × 10ᵉ`` with ``digits`` significant figures, for prose.

    Examples
    --------
    >>> format_sci(5.88e23)
    '5.88 × 10²³'
    >>> format_sci(0.00125, 2)
    '1.3 × 10⁻³'
    """
    if not math.isfinite(value):
        raise ValueError(f"value must be finite; got {value!r}")
    if value == 0:
        return "0"
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def format_budget_ratio(ratio: float) -> str:
    """Format a ratio of budgets as Hoffmann et al.'s Table 3 prints it "in Gopher unit":
    below one as ``1/k`` with a whole ``k``, otherwise to one decimal ("1" for one).

    Examples
    --------
    >>> format_budget_ratio(1.92e19 / 5.76e23)
    '1/30,000'
    >>> format_budget_ratio(1.0), format_budget_ratio(3.85e24 / 5.76e23)
    ('1', '6.7')
    """
    if not (math.isfinite(ratio) and ratio > 0):
        raise ValueError(f"ratio must be finite and positive; got {ratio!r}")
    if ratio < 1 and round(1 / ratio) > 1:
        return f"1/{round(1 / ratio):,}"
    shown = f"{ratio:,.1f}"
    return "1" if shown == "1.0" else shown


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]],
                   align: str | None = None) -> str:
    """Build a Markdown table from rows of already formatted cells.

    Parameters
    ----------
    headers
        Column titles.
    rows
        One sequence of cells per row, each as long as ``headers``.
    align
        One character per column, ``l``, ``r`` or ``c``; default: first column left, the rest
        right.
    """
    width = len(headers)
    if any(len(r) != width for r in rows):
        raise ValueError(f"rows must each have {width} cells, one per header")
    align = align or "l" + "r" * (width - 1)
    if len(align) != width or set(align) - set("lrc"):
        raise ValueError(f"align must be {width} characters from 'l', 'r', 'c'; got {align!r}")
    marks = {"l": ":--", "r": "--:", "c": ":-:"}
    lines = ["| " + " | ".join(headers) + " |",
             "| " + " | ".join(marks[a] for a in align) + " |"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def html_key_values(rows: Sequence[tuple[str, str]]) -> str:
    """An HTML table of (label, value) rows, values right-aligned (explorer summaries)."""
    cells = "".join(f"<tr><td>{label}</td><td style='text-align:right'>{value}</td></tr>"
                    for label, value in rows)
    return f"<table>{cells}</table>"


def ledger_label(citation: str, location: str) -> str:
    """The label of a source's row on the book's reproducibility ledger page.

    Examples
    --------
    >>> ledger_label("snell2024scaling", "Section 7")
    'ledger-snell2024scaling-section-7'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", f"{citation} {location}".lower()).strip("-")
    return f"ledger-{slug}"


@dataclass(frozen=True)
class PublishedText:
    """A published value formatted for the prose, carrying where it was read.

    Glue it with myst-nb and paste it with ``{glue:md}`key:myst` ``: a value read in the
    source itself reads as plain text; a value read only in a restatement (registry status
    ``"secondary"``) reads with a visible *second-hand* marker linking to its row on the
    reproducibility ledger, where the note says where it was read. Pasted with
    ``{glue:text}`` instead, the marker still shows, without the link.
    """

    text: str
    citation: str
    location: str
    status: str
    note: str = ""

    @property
    def secondary(self) -> bool:
        """Whether the value was read in a restatement rather than in its source."""
        return self.status == "secondary"

    def __str__(self) -> str:
        return f"{self.text} (second-hand)" if self.secondary else self.text

    def __repr__(self) -> str:
        # myst-nb's {glue:text} pastes the text/plain form, i.e. this repr.
        return str(self)

    def _repr_markdown_(self) -> str:
        if not self.secondary:
            return self.text
        label = ledger_label(self.citation, self.location)
        return f"{self.text} ({{ref}}`second-hand <{label}>`)"


def published(text: str, entry: object) -> PublishedText:
    """Wrap a formatted published value with the source of the registry entry it came from.

    Parameters
    ----------
    text
        The value as the prose should show it, already formatted (``f"{x:.2f}"``).
    entry
        A registry entry with a ``source`` attribute (a constant, fit, table row), or a
        :class:`~chinchilla_lib.registry.Source` itself.

    Examples
    --------
    >>> from chinchilla_lib import registry
    >>> str(published("70B", registry.model("Chinchilla")))
    '70B'
    >>> str(published("0.59", registry.fit("kumar2024/ptq").source_of("gamma_post")))
    '0.59 (second-hand)'
    """
    source = getattr(entry, "source", entry)
    try:
        citation, location, status = source.citation, source.location, source.status
    except AttributeError:
        raise ValueError("entry must be a registry entry with a source, or a Source; "
                         f"got {type(entry).__name__}") from None
    return PublishedText(str(text), citation, location, status, getattr(source, "note", ""))
