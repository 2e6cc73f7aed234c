"""Sphinx extension: write the reproducibility ledger page from the registry at build time.

The page ``book/ledger.md`` is generated (and ignored by git) before Sphinx reads any source:

- a table of every published number the course *recomputes* (``chinchilla_lib.course.ledger``), with
  the recomputed value, the relative difference and its tolerance; a difference beyond its
  tolerance stops the build;
- every published entry of the registry, grouped by source and place in that source, each
  place with a label (``report.ledger_label``) that second-hand values in the chapters link
  to, its status (read in the source, or second-hand) and its note.
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

PAGE = "book/ledger.md"


def _number(value: float, digits: int = 6) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if not math.isfinite(value):
        return "n/a"
    if value != 0 and (abs(value) >= 1e5 or abs(value) < 1e-3):
        return f"{value:.{min(digits, 4)}g}".replace("e+", "e")
    return f"{value:.{digits}g}"


def _describe(entry: Any) -> str:
    """One line of what an entry holds: its name and values, without its source."""
    from chinchilla_lib import registry

    if isinstance(entry, registry.Constant):
        return f"`{entry.name}` = {_number(entry.value)} {entry.unit}".rstrip()
    if isinstance(entry, registry.PublishedFit):
        params = ", ".join(
            f"{k} = {_number(v)}"
            + (" (second-hand)" if entry.source_of(k).status == "secondary"
               and entry.source.status != "secondary" else "")
            for k, v in entry.params.items())
        return f"`{entry.name}`: {params}"
    if isinstance(entry, registry.PublishedValues):
        values = ", ".join(_number(v) for v in entry.values)
        return f"`{entry.name}` = {values} {entry.unit}".rstrip()
    if isinstance(entry, registry.PublishedShape):
        return f"`{entry.name}`: " + ", ".join(f"{k} = {v}" for k, v in entry.shape.items())
    fields = [f for f in dataclasses.fields(entry) if f.name not in ("source",)]
    parts = [f"{f.name} = {_number(getattr(entry, f.name))}" for f in fields
             if getattr(entry, f.name) not in (None, "")]
    return "; ".join(parts)


def _chapter(label: str) -> str:
    """The chapter number in a chapter label such as ``ch6-beyond``."""
    return label.split("-")[0].removeprefix("ch")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render() -> tuple[str, list[str]]:
    """The page's MyST text, and the reproductions whose difference exceeds the tolerance."""
    from chinchilla_lib import registry
    from chinchilla_lib.course import ledger, report

    checks = ledger.check_all()
    failures = [f"{c.reproduction.what}: published {c.reproduction.published:.6g}, recomputed "
                f"{c.recomputed:.6g} ({c.difference:+.1%}, tolerance "
                f"{c.reproduction.tolerance:.0%})" for c in checks if not c.within_tolerance]
    lines = [
        "(ledger-page)=",
        "# Reproducibility ledger",
        "",
        "Every published number the course uses lives once, in the library's registry "
        "(`chinchilla_lib.registry`). This page is written from the registry each time the "
        "book is built. Its first table lists the numbers the course also *recomputes* with "
        "the library from other published numbers, and how far the two are apart; the build "
        "fails when a difference exceeds its stated tolerance. The rest of the page lists "
        "every registry entry by source and by the place in that source where it is printed.",
        "",
        "A value marked **second-hand** was read in a restatement (a later paper, a "
        "transcription, a note), not in its source; the note says where. In the chapters such "
        "values carry a *(second-hand)* marker that links here.",
        "",
        "## Numbers the course recomputes",
        "",
        "| published number, its source, the tolerance and where it is shown | published "
        "| recomputed | difference |",
        "| :-- | --: | --: | --: |",
    ]
    for check in checks:
        r = check.reproduction
        status = " (second-hand)" if r.source.status == "secondary" else ""
        lines.append(
            f"| **{_cell(r.what)}**: {{cite:t}}`{r.source.citation}`, "
            f"{_cell(r.source.location)}{status}. Tolerance {r.tolerance:.1%}: {_cell(r.why)}. "
            f"Shown in {{ref}}`Chapter {_chapter(r.chapter)} <{r.chapter}>`. "
            f"| {_number(r.published)} | {_number(check.recomputed, 4)} | "
            f"{check.difference:+.1%} |")
    lines += ["", "## Every published number, by source", ""]
    # Each place lists the entries read there, with the sources read there: a fit whose
    # parameters were read in different places, or with a different status
    # (PublishedFit.param_sources), is listed under each of its places.
    places: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for _table, entry in registry.entries():
        sources = entry.sources if isinstance(entry, registry.PublishedFit) else (entry.source,)
        for source in sources:
            group = places[source.citation][source.location]
            if not any(e is entry for e, _ in group):
                group.append((entry, []))
            next(found for e, found in group if e is entry).append(source)
    for citation in sorted(places):
        lines += [f"### `{citation}`", "", f"{{cite:t}}`{citation}`", ""]
        for location in sorted(places[citation]):
            group = [e for e, _ in places[citation][location]]
            read_here = [s for _, found in places[citation][location] for s in found]
            secondary = any(s.status == "secondary" for s in read_here)
            notes = sorted({s.note for s in read_here if s.note})
            lines += [f"({report.ledger_label(citation, location)})=",
                      f"**{_cell(location)}**, " + ("second-hand" if secondary
                                                    else "read in the source") + ".", ""]
            lines += [f"- {_describe(e)}" for e in group]
            lines += [""] + [f"*Note:* {n}" for n in notes] + ([""] if notes else [])
    return "\n".join(lines) + "\n", failures


def _write_page(app: Any, config: Any) -> None:
    from sphinx.errors import ExtensionError

    text, failures = render()
    path = Path(app.confdir) / PAGE
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
    if failures:
        raise ExtensionError("reproducibility ledger: a recomputed published number differs "
                             "from the paper by more than its tolerance:\n" + "\n".join(failures))


def setup(app: Any) -> dict[str, Any]:
    # Before sphinx-external-toc reads _toc.yml (priority 500), so the page exists.
    app.connect("config-inited", _write_page, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
