"""The one reader of tabular input: a CSV file with a header row, read into named columns of
numbers.

:func:`~chinchilla_lib.fitting.runs.read_runs_csv` and every command of the command line that
takes a file (``fit``, ``bnsl-fit``) read through :func:`read_table`, so that one file is read
the same way everywhere, and refused the same way:

- **Encoding**: UTF-8, with or without a byte-order mark (spreadsheets write one). A file in
  another encoding (latin-1 or Windows-1252, UTF-16, UTF-32) or a binary file is refused with
  an error naming the file and the encoding it appears to be in; nothing is guessed.
- **Header**: the first non-blank row. Spaces around names are ignored (``x, y`` reads as
  ``x`` and ``y``); names are case-sensitive. A column that is read must appear exactly once:
  a duplicated name, two names that differ only in case, or two alternatives given together
  (tokens ``D`` and compute ``C``) are refused by name.
- **Rows**: every row has as many fields as the header (a short row, or a long one such as
  ``2,5`` for a decimal comma, is refused with its line number); blank lines are skipped.
- **Values**: every value read is a plain decimal number (``12``, ``-0.5``, ``1.2e+19``),
  finite, and, where the caller asks, > 0; an error names the line, the column and the text.
- **Size**: at most :data:`MAX_ROWS` data rows and :data:`MAX_BYTES` bytes; a larger file is
  refused at once, before anything is fitted.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import os
import re
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

__all__ = ["MAX_BYTES", "MAX_ROWS", "read_table", "read_text"]

MAX_ROWS = 10_000
"""Most data rows a file may hold. Approach 3 on 10,000 runs takes a few seconds and about
0.4 GB (its memory grows with starts times runs); scaling-law sweeps have hundreds of runs."""

MAX_BYTES = 64 * 2**20
"""Most bytes a file may hold (64 MiB), checked before the file is read."""

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_NON_FINITE = {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity",
               "-infinity"}
_BOMS = (  # longest first: the UTF-32 little-endian mark begins with the UTF-16 one
    (codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"),
)


def _shown(text: str, limit: int = 40) -> str:
    """``text`` quoted for a message, cut to ``limit`` characters."""
    return repr(text if len(text) <= limit else text[:limit] + "...")


def _check_path(path: object, name: str) -> str:
    if isinstance(path, bool) or not isinstance(path, str | os.PathLike):
        raise TypeError(f"{name} must be a str or os.PathLike file path; "
                        f"got {type(path).__name__}")
    shown = os.fspath(path)
    return shown if isinstance(shown, str) else os.fsdecode(shown)


def read_text(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES,
              name: str = "path") -> str:
    """The text of a UTF-8 file (a leading byte-order mark removed), or a clear refusal.

    Parameters
    ----------
    path
        The file.
    max_bytes
        Most bytes the file may hold (default :data:`MAX_BYTES`).
    name
        The argument's name, for the error message.

    Raises
    ------
    TypeError
        If ``path`` is not a str or path-like object.
    ValueError
        Naming the file: it cannot be read (missing, a directory, no permission), it is larger
        than ``max_bytes``, or it is not UTF-8 text (saying which encoding it appears to be
        in: UTF-16 or UTF-32, latin-1 or Windows-1252, or binary).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     file = pathlib.Path(folder) / "bom.csv"
    ...     _ = file.write_bytes(b"\\xef\\xbb\\xbfx,y\\n")
    ...     read_text(file)
    'x,y\\n'
    """
    shown = _check_path(path, name)
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        raise ValueError(f"cannot read {shown!r}: {error.strerror or error}") from None
    if len(data) > max_bytes:
        raise ValueError(f"{shown}: larger than the limit of {max_bytes:,} bytes; split the "
                         f"file or keep only the rows to fit")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            raise ValueError(f"{shown}: the file is {encoding} text (it starts with a "
                             f"{encoding} byte-order mark); save it as UTF-8")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    if b"\x00" in data:
        line = data[:data.index(b"\x00")].count(b"\n") + 1
        odd, even = data[1::2].count(0), data[0::2].count(0)
        if max(odd, even) > 0.8 * (len(data) // 2) and min(odd, even) == 0:
            raise ValueError(f"{shown}: the file looks like UTF-16 text without a byte-order "
                             f"mark (every other byte is zero); save it as UTF-8")
        raise ValueError(f"{shown}: not a text file (a zero byte on line {line}); expected "
                         f"UTF-8 CSV text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        byte = data[error.start]
        controls = sum(1 for b in data if b < 32 and b not in b"\t\n\r\x0c")
        if controls == 0:
            raise ValueError(f"{shown}: not UTF-8 (byte 0x{byte:02x} on line {line}); the file "
                             f"looks like latin-1 (ISO-8859-1) or Windows-1252 text: save it "
                             f"as UTF-8") from None
        raise ValueError(f"{shown}: not a text file (byte 0x{byte:02x} on line {line} is not "
                         f"UTF-8); expected UTF-8 CSV text") from None


def _column_names(columns: object, allowed: Sequence[str]) -> dict[str, str]:
    """``columns`` ({our name: the file's name}) checked, as {the file's name: our name}."""
    if columns is None:
        return {}
    if not isinstance(columns, Mapping):
        raise TypeError(f"columns must be a dict from {', '.join(allowed)} to the file's column "
                        f"names, as {{'N': 'Model Size'}}; got {type(columns).__name__}")
    theirs_of: dict[str, str] = {}
    for ours, theirs in columns.items():
        if not isinstance(ours, str) or not isinstance(theirs, str):
            raise TypeError(f"columns must map names (str) to names (str); got "
                            f"{ours!r}: {theirs!r}")
        if ours not in allowed:
            raise ValueError(f"columns may rename only {', '.join(allowed)}; got {ours!r}")
        if not theirs.strip():
            raise ValueError(f"columns must give a non-empty name for {ours}; got {theirs!r}")
        theirs_of[ours] = theirs.strip()
    renamed: dict[str, str] = {}
    for ours, theirs in theirs_of.items():
        if theirs in renamed:
            raise ValueError(f"columns maps both {renamed[theirs]} and {ours} to the column "
                             f"{theirs!r}")
        renamed[theirs] = ours
    return renamed


def _parse(text: str, where: str, positive: bool) -> float:
    value = text.strip()
    if not value:
        raise ValueError(f"{where} is empty")
    if _NUMBER.fullmatch(value):
        number = float(value)
        if math.isfinite(number) and (number > 0 or not positive):
            return number
        rule = "finite and > 0" if positive else "finite"
        if not math.isfinite(number):
            raise ValueError(f"{where} must be {rule}; got {_shown(value)} (beyond the largest "
                             f"float, about 1.8e308)")
        if number == 0 and any(c in "123456789" for c in re.split("[eE]", value)[0]):
            raise ValueError(f"{where} must be {rule}; got {_shown(value)} (below the smallest "
                             f"float, about 5e-324)")
        raise ValueError(f"{where} must be {rule}; got {value}")
    if value.lower() in _NON_FINITE:
        raise ValueError(f"{where} must be {'finite and > 0' if positive else 'finite'}; "
                         f"got {value}")
    raise ValueError(f"{where} is not a number: {_shown(value)}")


def read_table(path: str | os.PathLike[str], required: Sequence[str], *,
               one_of: Sequence[str] = (), columns: Mapping[str, str] | None = None,
               positive: bool = True, max_rows: int = MAX_ROWS,
               optional: Sequence[str] = (), labels: Sequence[str] = (),
               ) -> dict[str, NDArray[np.float64]]:
    """Read columns of numbers from a CSV file with a header row (the rules in this module's
    docstring).

    Parameters
    ----------
    path
        The CSV file.
    required
        Names of the columns that must be present.
    one_of
        Names of alternative columns, exactly one of which must be present (``("D", "C")``).
    columns
        Other names for the columns, ``{our name: the file's name}``.
    positive
        Whether every value read must be > 0 (otherwise only finite).
    max_rows
        Most data rows the file may hold (default :data:`MAX_ROWS`).
    optional
        Names of columns of numbers read when present (a ``budget`` column, say).
    labels
        Names of columns read as text when present (a ``run`` column naming each row's run);
        each value is stripped of surrounding spaces and must not be empty.

    Returns
    -------
    dict
        Each column read (``required``, the alternative found, and the ``optional`` and
        ``labels`` present), by our name: numbers as a float array, labels as an array of
        str, in the file's order.

    Raises
    ------
    TypeError
        If ``path`` is not a path, or ``columns`` is not a mapping of str to str.
    ValueError
        With a one-line message naming the file (and the line and column where there is one):
        see :func:`read_text`, and the module's docstring.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     file = pathlib.Path(folder) / "curve.csv"
    ...     _ = file.write_text("x, y\\n1, 2.5\\n10, 1.5\\n")
    ...     table = read_table(file, ("x", "y"))
    >>> table["x"].tolist(), table["y"].tolist()
    ([1.0, 10.0], [2.5, 1.5])
    """
    wanted = (*required, *one_of, *optional, *labels)
    renamed = _column_names(columns, wanted)
    if isinstance(max_rows, bool) or not isinstance(max_rows, int | np.integer):
        raise TypeError(f"max_rows must be an int; got {type(max_rows).__name__}")
    if max_rows < 1:
        raise ValueError(f"max_rows must be >= 1; got {max_rows}")
    shown = _check_path(path, "path")
    text = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    index: dict[str, int] = {}
    values: dict[str, list[float]] = {}
    rows = 0
    try:
        for row in reader:
            if not any(field.strip() for field in row):
                continue
            if header is None:
                header = [field.strip() for field in row]
                index = _locate(header, wanted, (*optional, *labels), one_of, renamed,
                                shown)
                values = {ours: [] for ours in index}
                continue
            line = reader.line_num
            if len(row) < len(header):
                raise ValueError(f"{shown}, line {line}: a short row, {len(row)} "
                                 f"field{'s' * (len(row) != 1)} where the header has "
                                 f"{len(header)}")
            if len(row) > len(header) and any(field.strip() for field in row[len(header):]):
                raise ValueError(f"{shown}, line {line}: {len(row)} fields where the header has "
                                 f"{len(header)} (a comma inside a value, such as a decimal "
                                 f"comma, must be quoted or removed)")
            rows += 1
            if rows > max_rows:
                raise ValueError(f"{shown}: more than {max_rows:,} data rows (the limit); "
                                 f"keep only the rows to fit")
            for ours, column in index.items():
                where = f"{shown}, line {line}: column {header[column]}"
                if ours in labels:
                    label = row[column].strip()
                    if not label:
                        raise ValueError(f"{where} is empty")
                    values[ours].append(label)
                else:
                    values[ours].append(_parse(row[column], where, positive))
    except csv.Error as error:
        raise ValueError(f"{shown}, line {reader.line_num}: not valid CSV ({error})") from None
    if header is None:
        raise ValueError(f"{shown}: the file is empty (expected a header row naming the "
                         f"columns {_needed(required, one_of)})")
    return {ours: np.array(numbers, dtype=str if ours in labels else np.float64)
            for ours, numbers in values.items()}


def _needed(required: Sequence[str], one_of: Sequence[str]) -> str:
    """The columns a table needs, in words: ``N, loss and one of D, C``."""
    return ", ".join(required) + (f" and one of {', '.join(one_of)}" if one_of else "")


def _locate(header: list[str], wanted: Sequence[str], optional: Sequence[str],
            one_of: Sequence[str], renamed: Mapping[str, str], shown: str) -> dict[str, int]:
    """The position in the header of each column to read, by our name; refusals by name."""
    found: dict[str, int] = {}
    for position, name in enumerate(header):
        # a renamed column is read under our name; a column named as ours but renamed away
        # (``columns={"N": "Model Size"}`` and a column "N") is ignored
        ours = renamed.get(name, "" if name in renamed.values() else name)
        if ours not in wanted:
            continue
        if ours in found:
            first = header[found[ours]]
            same = "twice" if first == header[position] else \
                f"as {first!r} and {header[position]!r}"
            raise ValueError(f"{shown}: column {ours} appears {same} in the header; "
                             f"keep one")
        found[ours] = position
    for ours, position in found.items():
        twins = [name for name in header if name != header[position]
                 and name.casefold() == header[position].casefold()]
        if twins:
            raise ValueError(f"{shown}: columns {header[position]!r} and {twins[0]!r} differ "
                             f"only in case, so which one is {ours} is ambiguous; rename one")
    missing = [ours for ours in wanted
               if ours not in one_of and ours not in optional and ours not in found]
    alternatives = [ours for ours in one_of if ours in found]
    if one_of and len(alternatives) > 1:
        raise ValueError(f"{shown}: columns {' and '.join(alternatives)} are both present; "
                         f"give only one of {', '.join(one_of)}, so that no value is silently "
                         f"ignored")
    if missing or (one_of and not alternatives):
        need = _needed([name for name in wanted if name not in one_of
                        and name not in optional], one_of)
        theirs = {ours: theirs for theirs, ours in renamed.items()}
        lost = [*missing, *(one_of if one_of and not alternatives else ())]
        hints = [f"{ours} is read from {theirs[ours]!r}" for ours in lost if ours in theirs]
        hints += [f"did you mean {name!r} for {ours}?" for ours in lost for name in header
                  if name.casefold() == theirs.get(ours, ours).casefold()]
        if len(header) == 1 and any(sep in header[0] for sep in ";\t|"):
            hints.append("the header has no commas: save the file comma-separated")
        raise ValueError(f"{shown}: needs columns {need}; found {header}"
                         + (f" ({'; '.join(hints)})" if hints else ""))
    return found

