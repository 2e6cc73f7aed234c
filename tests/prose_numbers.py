"""Find numbers typed by hand in the chapters' prose.

Every number a chapter's markdown shows must be glued from a computation (myst-nb ``glue``),
quoted from its paper with the citation on the same line, or be one of the few kinds that are
not data: years, the numbers of chapters, tables, equations and the like, small counts (0 to
12), interval levels ("95% interval") and the entries of the reviewed allow-list
``tests/prose_numbers_allowed.txt``. Anything else is a typed number, and a typed number is how
a wrong or stale value gets into a course.

Run it on one notebook to see what is left to glue::

    python -m tests.prose_numbers notebooks/03_chinchilla.ipynb
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
ALLOWED_FILE = ROOT / "tests" / "prose_numbers_allowed.txt"

# A number: 1,500  0.454  -0.076  5.76e23  85%  and, in math, 6 \times 10^{18} or 10^{-3}.
_NUMBER = re.compile(
    r"(?<![\w.\\])10\^\{?[-−]?\d+\}?"
    r"|(?<![\w.\\_])[-−]?\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?"
    r"(?:\s*\\times\s*10\^\{?[-−]?\d+\}?)?(?:\s*\\?%)?(?![\w^])"
    r"|\b(?:[Tt]wenty|[Tt]hirty|[Ff]orty|[Ff]ifty|[Ss]ixty|[Ss]eventy|[Ee]ighty|[Nn]inety)\b")

# Things that are not prose: roles whose argument is a key, code, labels, link targets.
_STRIP = [
    None,  # (fenced blocks are handled line by line in _prose_lines)
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"\{(?:glue|cite|ref|eq|numref|doc|term|download|abbr|prf:ref)(?::\w+)?\}`[^`]*`"),
    re.compile(r"`[^`]*`"),
    re.compile(r"^\s*\([^)\s]+\)=\s*$", re.M),
    re.compile(r"^\s*:[\w-]+:.*$", re.M),
    re.compile(r"\]\([^)]*\)"),
    re.compile(r"\\(?:label|tag|text|mathrm|operatorname)\{[^}]*\}"),
]

_REFERENCE_WORDS = (
    r"Chapters?|Tables?|Sections?|§|Eqs?\.|Equations?|Figures?|Figs?\.|Appendix|Appendices|"
    r"App\.|Approach(?:es)?|Exercises?|Steps?|Parts?|Algorithms?|Lemmas?|Theorems?|rows?|"
    r"columns?|footnotes?|pages?|pp?\.|lines?|cells?|Listings?|version")
_REFERENCE = re.compile(
    rf"\b(?:{_REFERENCE_WORDS})\s*[A-Z]?\d+(?:\.\d+)*[a-z]?"
    r"(?:\s*(?:,|and|or|–|-|to)\s*[A-Z]?\d+(?:\.\d+)*[a-z]?)*")
_LEVEL = re.compile(r"\d+(?:\.\d+)?\s*\\?%\s+(?:bootstrap\s+|confidence\s+|credible\s+|"
                    r"prediction\s+|subsampling\s+|percentile\s+)*(?:intervals?|bands?|levels?)")
_QUOTED = re.compile(r"\"[^\"]+\"|“[^”]+”")
_CITE = re.compile(r"\{cite(?::\w+)?\}`")


@dataclass(frozen=True)
class TypedNumber:
    """A number typed by hand in a markdown cell."""

    notebook: str
    cell: int
    number: str
    line: str

    def __str__(self) -> str:
        return f"{self.notebook} cell {self.cell}: {self.number!r} in: {self.line.strip()}"


@dataclass(frozen=True)
class Allowed:
    """One reviewed exception: a number in a line of a notebook, with the reason."""

    notebook: str
    number: str
    context: str
    reason: str

    def covers(self, found: TypedNumber) -> bool:
        return (found.notebook == self.notebook and found.number == self.number
                and self.context in found.line)


def read_allowed(path: Path = ALLOWED_FILE) -> list[Allowed]:
    """Read the allow-list: ``notebook | number | context in the line | reason`` per line."""
    entries = []
    for raw in path.read_text().splitlines() if path.exists() else []:
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        parts = [p.strip() for p in raw.split(" | ")]
        if len(parts) != 4 or not all(parts):
            raise ValueError(f"{path.name}: each line needs 4 fields split by ' | ': {raw!r}")
        entries.append(Allowed(*parts))
    return entries


def _is_free(number: str) -> bool:
    """Years and small counts are not data."""
    plain = number.replace(",", "").lstrip("-−")
    if plain.isalpha():
        return False
    if re.fullmatch(r"(?:19|20)\d\d", plain):
        return True
    return bool(re.fullmatch(r"\d+", plain)) and int(plain) <= 12


_FENCE = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})\s*(\{[^}]*\})?")
# Directives whose body is prose (their numbers are read); any other fenced block is code.
_PROSE_DIRECTIVES = ("{exercise}", "{solution}", "{note}", "{admonition}", "{important}",
                     "{tip}", "{warning}", "{caution}", "{seealso}", "{dropdown}", "{glossary}",
                     "{margin}", "{sidebar}", "{topic}", "{epigraph}", "{hint}", "{attention}")


def _closes(line: str, fence: str) -> bool:
    """Whether ``line`` is a bare fence that closes a block opened with ``fence``."""
    match = _FENCE.match(line)
    return bool(match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence)
                and not line.strip()[len(match.group(1)):].strip())


def _prose_lines(source: str) -> list[str]:
    """The lines of a markdown cell that are prose: code blocks and comments dropped."""
    source = _STRIP[1].sub(" ", source)  # HTML comments
    lines: list[str] = []
    code: str | None = None  # the fence of the code block we are in
    open_prose: list[str] = []  # fences of the prose directives we are in
    for line in source.splitlines():
        if code is not None:
            if _closes(line, code):
                code = None
            continue
        if open_prose and _closes(line, open_prose[-1]):
            open_prose.pop()
            continue
        match = _FENCE.match(line)
        if match:
            fence, directive = match.group(1), match.group(2) or ""
            if fence[0] == ":" or directive in _PROSE_DIRECTIVES:
                open_prose.append(fence)
            else:
                code = fence  # a code block, or a directive whose body is code
            continue  # the fence line itself holds only the directive's name and options
        lines.append(line)
    return lines


def _typed_in_line(line: str) -> list[str]:
    if _CITE.search(line):  # a quotation cited on its own line may quote numbers
        line = _QUOTED.sub(" ", line)
    for pattern in _STRIP[2:]:
        line = pattern.sub(" ", line)
    line = _REFERENCE.sub(" ", line)
    line = _LEVEL.sub(" ", line)
    return [m.group(0).rstrip(",") for m in _NUMBER.finditer(line)
            if not _is_free(m.group(0).rstrip(","))]


def typed_numbers(path: Path) -> list[TypedNumber]:
    """Every typed number in a notebook's markdown cells, in reading order."""
    notebook = nbformat.read(path, as_version=4)
    found = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "markdown":
            continue
        for line in _prose_lines(cell.source):
            found += [TypedNumber(path.stem, index, n, line) for n in _typed_in_line(line)]
    return found


def unexplained(path: Path, allowed: list[Allowed] | None = None) -> list[TypedNumber]:
    """The typed numbers of a notebook that the allow-list does not cover."""
    allowed = read_allowed() if allowed is None else allowed
    return [f for f in typed_numbers(path) if not any(a.covers(f) for a in allowed)]


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    total = 0
    for path in paths:
        for found in unexplained(path):
            print(found)
            total += 1
    print(f"{total} typed numbers")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
