"""What every command of the command line shares: the contract for input and errors, the
argument types, and the printing of results (text or JSON)."""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NoReturn

from chinchilla_lib.fitting._result import MAX_BOOTSTRAP
from chinchilla_lib.fitting._table import MAX_BYTES, MAX_ROWS

Command = Callable[[str, str], argparse.ArgumentParser]
"""How a command module adds its subcommand: ``command(name, help_text)`` returns the new
subcommand's parser, with the shared description and contract."""

EXIT_OK, EXIT_OUTPUT, EXIT_USAGE = 0, 1, 2
"""Exit statuses: success; the output could not be written; bad input or flags."""

CONTRACT = f"""\
input files:
  CSV with a header row, comma-separated, in UTF-8 with or without a byte-order mark (other
  encodings are refused, naming the encoding). Spaces around names and values are ignored;
  names are case-sensitive. Each column read must appear once (fit: N, loss and one of D,
  tokens or C, with budget and run if present, and design --runs the same; bnsl-fit: x and
  y), every row must have as many fields as the header, and every value read (a run's name
  aside) must be a finite number > 0. Limits: {MAX_ROWS:,} data rows and
  {MAX_BYTES // 2**20} MiB per file; fit --bootstrap at most {MAX_BOOTSTRAP:,}.

errors and exit status:
  0  success; warnings about the data, if any, print as "warning: ..." lines on stderr
     (and, with --json, under "warnings").
  2  bad input or flags: exactly one line "error: ..." on stderr and, with --json, also
     {{"error": "..."}} on stdout. Output never holds NaN or infinity: a result beyond the
     range of a float is an error naming the flag.
  1  the output cannot be written: a full disk (one line on stderr), or a closed pipe
     (as with "| head"; silently).
"""
"""The command line's contract for input and errors, as ``--help`` prints it."""

BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
"""The environment variables that set the threads of the BLAS libraries (OpenBLAS, OpenMP
builds, MKL). Run as a program, the command line sets each to 1 unless the user has set any
of them: its fits take SciPy's least squares, which factors a small matrix at every step,
and a BLAS that spreads each small factorisation over the cores spends more time waiting
than computing on a busy machine (``bnsl-fit --breaks auto`` on 2,000 points: about 8 times
slower on two cores with one of them busy)."""


def _one_blas_thread() -> None:
    """Ask the BLAS libraries not yet loaded for one thread each, unless the user has set the
    number (in any of :data:`BLAS_THREAD_VARIABLES`). OpenBLAS reads the number when it
    loads: SciPy's copy loads with the first fit, after this; NumPy's own copy has loaded
    with ``import chinchilla_lib`` and keeps its threads (it does not carry the solver's
    factorisations)."""
    if not any(name in os.environ for name in BLAS_THREAD_VARIABLES):
        for name in BLAS_THREAD_VARIABLES:
            os.environ[name] = "1"


class _UsageError(Exception):
    """A mistake in the command line itself (argparse's errors), reported in one line."""


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors raised as one line instead of the usage block and exit.

    A negative number in scientific notation (``--params -1e9``) is read as a value, as
    ``-5`` and ``-0.5`` already are, so that the flag's own check can refuse it by name
    instead of argparse reporting a missing argument. (argparse keeps the pattern it uses in
    a private attribute; elsewhere than CPython 3.11-3.13 setting it does nothing.)
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = re.compile(r"^-(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{message} (see {self.prog} --help)")

    def print_help(self, file: Any = None) -> None:
        # argparse's own printing swallows a failed write (a full disk) and exits with 0
        (file or sys.stdout).write(self.format_help())

    def print_usage(self, file: Any = None) -> None:
        (file or sys.stdout).write(self.format_usage())


def _shown(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "...")


def _number(low: float, high: float = math.inf, *, low_open: bool = True,
            high_open: bool = False) -> Callable[[str], float]:
    """An argparse type: a finite float in the stated range, or a one-line refusal."""
    left, right = "(" if low_open else "[", ")" if high_open else "]"
    rule = (f"> {low:g}" if low_open else f">= {low:g}") if math.isinf(high) else \
        f"in {left}{low:g}, {high:g}{right}"

    def number(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a number {rule}; got "
                                             f"{_shown(text)}") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"must be a finite number {rule}; got "
                                             f"{_shown(text)}")
        if value < low or (low_open and value == low) or value > high or \
                (high_open and value == high):
            raise argparse.ArgumentTypeError(f"must be {rule}; got {_shown(text)}")
        return value

    return number


def _integer(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: an integer in [low, high] (``1e3`` reads as 1000), or a refusal."""

    def integer(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            try:
                real = float(text)
            except ValueError:
                real = math.nan
            if not (math.isfinite(real) and real.is_integer()):
                raise argparse.ArgumentTypeError(f"must be an integer in [{low}, {high:,}]; "
                                                 f"got {_shown(text)}") from None
            value = int(real)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be an integer in [{low}, {high:,}]; got "
                                             f"{_shown(text)}")
        return value

    return integer

SHAPE = 10**9
"""Largest width, depth, vocabulary or context ``count`` takes (far beyond any model)."""


def _one_line(error: BaseException, flag_names: dict[str, str] | None = None) -> str:
    """An exception's message on one line, with the library's argument names (the keys of
    ``flag_names``) written as the command's flags."""
    text = re.sub(r"\s*[\r\n]+\s*", " ", str(error)).strip() or type(error).__name__
    for name, flag in (flag_names or {}).items():
        text = re.sub(rf"(?<![\w-]){name}\b", flag, text)
    return text


@contextlib.contextmanager


def _blamed(flag: str, what: str) -> Iterator[None]:
    """Name the flag in a refusal from the library: the flags are checked when parsed, so a
    ValueError (or an overflow) here comes from their magnitude."""
    try:
        yield
    except (ValueError, ArithmeticError, RuntimeWarning) as error:
        raise ValueError(f"{flag}: no finite {what} ({_one_line(error)})") from None


def _with_undetermined(result: dict[str, Any], fit: Any) -> dict[str, Any]:
    """``result`` with the parameters the data do not pin down, when the fit names any (the
    fit also warns, and the warning prints on stderr)."""
    undetermined = dict(getattr(fit, "undetermined", None) or {})
    if undetermined:
        result["undetermined"] = undetermined
    return result


def _check_output_path(path: str, flag: str = "--out") -> None:
    """Refuse, before hours of training, an output file that could not be written."""
    if os.path.isdir(path):
        raise ValueError(f"{flag} {_shown(path)} is a directory; give a file name")
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise ValueError(f"{flag} {_shown(path)}: the folder {_shown(parent)} does not exist")
    if not os.access(parent, os.W_OK) or (os.path.exists(path) and
                                          not os.access(path, os.W_OK)):
        raise ValueError(f"{flag} {_shown(path)}: not writable")


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e6:
            return f"{value:.0f}"
        return f"{value:.4g}"
    return str(value)


def _lines(result: dict[str, Any], indent: int = 0) -> list[str]:
    width = 28 - indent
    lines = []
    for key, value in result.items():
        if isinstance(value, dict):
            lines.append(f"{' ' * indent}{key}:")
            lines += _lines(value, indent + 2)
        else:
            lines.append(f"{' ' * indent}{key:<{width}} {_text(value)}")
    return lines


def _plain(value: Any) -> Any:
    """``value`` with NumPy scalars and arrays, and tuples, as Python numbers and lists."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist"):  # a NumPy scalar or array
        return _plain(value.tolist())
    return value


def _not_finite(value: Any, path: str = "") -> tuple[str, float] | None:
    """The first number in ``value`` that is NaN or infinite, with its place (``a.b``)."""
    if isinstance(value, dict):
        for key, item in value.items():
            found = _not_finite(item, f"{path}.{key}" if path else str(key))
            if found:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = _not_finite(item, f"{path}[{i}]")
            if found:
                return found
    elif isinstance(value, float) and not math.isfinite(value):
        return path, value
    return None


def _wants_json(argv: Sequence[str]) -> bool:
    """Whether ``--json`` (or an abbreviation argparse would take) is among the flags."""
    for token in argv:
        if token == "--":
            return False
        if token.startswith("--j") and ("--json".startswith(token) or
                                        token.startswith("--json=")):
            return True
    return False


def _about_the_data(caught: warnings.WarningMessage) -> bool:
    """Whether a warning raised while computing is for the user: the library's and SciPy's
    (``UserWarning`` and its kin, a ``RuntimeWarning`` subclass), not NumPy's floating-point
    notes (a plain ``RuntimeWarning``; a result they spoil is refused as not finite) nor
    deprecations meant for developers."""
    category = caught.category
    return issubclass(category, UserWarning) or (issubclass(category, RuntimeWarning)
                                                 and category is not RuntimeWarning)


def _fail(message: str, as_json: bool) -> int:
    """Report a mistake of the user's: one line on stderr (and a JSON object); status 2."""
    print(f"error: {message}", file=sys.stderr)
    if as_json:
        print(json.dumps({"error": message}))
    return EXIT_USAGE


def _discard_stdout() -> None:
    """Point the standard output at the null device, so that nothing is written at exit."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (AttributeError, OSError, ValueError):  # not a file (a test's capture)
        pass
