"""Fuzz of the command line's error contract (issue 16, "a fuzz suite"; ``cli.CONTRACT``).

Random CSV contents (headers, encodings, byte-order marks, short and long rows, duplicated
columns, non-numbers, huge and non-finite values) and random flags for every command, run
in-process through ``cli.main``. Whatever the input, the command either succeeds (status 0,
output on stdout with every number finite, nothing on stderr but ``warning:`` lines) or
refuses (status 2, exactly one ``error:`` line on stderr, and with ``--json`` the same message
as ``{"error": ...}`` on stdout). Never a traceback, a leaked warning, NaN or Infinity.
Derandomised (the suite's profile) and bounded: the file runs in well under 20 s on one core.
The closed pipe and the full disk need a real process: ``tests/test_cli.py``.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chinchilla_lib import cli
from chinchilla_lib.fitting.runs import read_runs_csv

FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with warnings.catch_warnings(record=True) as leaked:
        warnings.simplefilter("always")
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = cli.main(argv)
    assert not [w for w in leaked if issubclass(w.category, RuntimeWarning)], \
        (argv, [str(w.message) for w in leaked])
    return status, out.getvalue(), err.getvalue()


def _no_constant(name: str) -> float:
    raise AssertionError(f"the JSON output holds {name}")


def _finite(value: object) -> bool:
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, list):
        return all(_finite(v) for v in value)
    return not isinstance(value, float) or math.isfinite(value)


def holds_the_contract(argv: list[str]) -> int:
    """Run ``argv`` and check the contract; return the status."""
    status, out, err = run(argv)
    flags = argv[:argv.index("--")] if "--" in argv else argv
    as_json = any(f in ("--json", "--js") or f.startswith("--json=") for f in flags)
    assert status in (0, 2), (argv, status, err)
    if status == 0:
        assert out, argv
        assert all(line.startswith("warning: ") for line in err.splitlines()), (argv, err)
        if as_json:
            assert _finite(json.loads(out, parse_constant=_no_constant)), (argv, out)
        else:
            assert not re.search(r"(?<![\w.])-?(nan|inf)(?![\w])", out, re.IGNORECASE), \
                (argv, out)
    else:
        assert err.startswith("error: ") and err.count("\n") == 1 and err.endswith("\n"), \
            (argv, err)
        if as_json:
            assert json.loads(out) == {"error": err[len("error: "):-1]}, (argv, out, err)
        else:
            assert out == "", (argv, out)
    return status


# --- flags -----------------------------------------------------------------------------------

JUNK = st.one_of(
    st.sampled_from(["0", "1", "-1", "0.5", "1e300", "1e-300", "1e309", "-1e309", "1e-320",
                     "nan", "inf", "-inf", "NaN", "abc", "", " 3 ", "1_000", "0x10", "1e3",
                     "2.0", "9" * 400, "-0", "+5", "1,5", "h100", "B200", "auto", "10001",
                     "4294967296", "nope", "--json"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
"""Values for any flag: odd, extreme, malformed or of the wrong kind."""


def _between(low: float, high: float) -> st.SearchStrategy[str]:
    return st.floats(math.log10(low), math.log10(high)).map(lambda e: f"{10 ** e:.4g}")


VALID = {
    "--params": _between(1e6, 1e13), "--tokens": _between(1e8, 1e14),
    "--accelerator": st.sampled_from(["A100", "H100", "h100", "a100"]),
    "--utilisation": st.floats(0.01, 1.0).map(repr), "--watts": _between(100, 1000),
    "--usd-per-hour": _between(0.5, 10),
    "--layers": st.integers(1, 128).map(str),
    "--d-model": st.sampled_from(["64", "128", "768", "4096", "12288"]),
    "--vocab": st.integers(1, 100_000).map(str), "--ctx": st.integers(1, 8192).map(str),
    "--d-ff": st.integers(1, 50_000).map(str),
    "--heads": st.sampled_from(["1", "2", "4", "8", "12", "32", "96"]),
    "--kv-heads": st.sampled_from(["1", "2", "4", "8"]),
    "--experts": st.sampled_from(["1", "2", "8"]),
    "--experts-per-token": st.sampled_from(["1", "2"]),
    "--flops": _between(1e15, 1e27),
    "--law": st.sampled_from(["hoffmann", "besiroglu", "hoffmann-unrounded", "kumar2024/base"]),
    "--inference-tokens": _between(1e6, 1e14) | st.just("0"),
    "--unique-tokens": _between(1e9, 1e13),
    "--hyperparameters": st.sampled_from(["deepseek", "steplaw", "porian", "kaplan", "all",
                                          "ALL"]),
    "--context": st.sampled_from(["1024", "2048", "4096", "8192"]),
}
"""Plausible values of each flag, so that most command lines get as far as computing."""


@st.composite
def values(draw, flag: str) -> str:
    """Mostly a plausible value of ``flag``; one time in six, junk."""
    return draw(JUNK if draw(st.integers(0, 5)) == 5 else VALID[flag])


FLAGS = {
    "cost": ["--params", "--tokens", "--accelerator", "--utilisation", "--watts",
             "--usd-per-hour"],
    "count": ["--layers", "--d-model", "--vocab", "--ctx", "--d-ff", "--heads", "--kv-heads",
              "--experts", "--experts-per-token"],
    "plan": ["--flops", "--law", "--inference-tokens", "--unique-tokens", "--hyperparameters",
             "--context"],
    "models": [],
}
SWITCHES = {"count": ["--gated", "--learned-positions", "--untied"]}
REQUIRED = {"cost": ["--params", "--tokens"], "count": ["--layers", "--d-model", "--vocab",
                                                         "--ctx"], "plan": ["--flops"]}


@st.composite
def command_lines(draw, command: str) -> list[str]:
    """Mostly complete command lines (the required flags present) with random values, some
    with flags missing, repeated, unknown or stray."""
    argv = [command]
    flags = list(REQUIRED.get(command, []))
    if draw(st.integers(0, 9)) == 0 and flags:
        flags.remove(draw(st.sampled_from(flags)))
    flags += draw(st.lists(st.sampled_from(FLAGS[command] or ["--json"]), max_size=3))
    for flag in flags:
        argv += [flag] if flag == "--json" else [flag, draw(values(flag))]
    argv += draw(st.lists(st.sampled_from(SWITCHES.get(command, ["--json"])), max_size=2,
                          unique=True))
    if draw(st.booleans()):
        argv.append("--json")
    if draw(st.integers(0, 14)) == 0:
        argv.insert(draw(st.integers(0, len(argv))),
                    draw(st.sampled_from(["--bogus", "-x", "extra", "--", "--js", "--json=1"])))
    return argv


@pytest.mark.parametrize("command", ["cost", "count", "plan", "models"])
@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_fuzz_flags_of_every_command_hold_the_contract(command, data):
    holds_the_contract(data.draw(command_lines(command)))


@settings(max_examples=40, deadline=None)
@given(argv=st.lists(JUNK | st.sampled_from(["fit", "bnsl-fit", "cost", "--json", "-h"]),
                     max_size=4).filter(lambda a: "-h" not in a))
def test_fuzz_random_words_hold_the_contract(argv):
    holds_the_contract(argv)


# --- files -----------------------------------------------------------------------------------

CELLS = st.one_of(
    st.sampled_from(["", " ", "0", "-1", "nan", "NaN", "inf", "-inf", "1e999", "1e-999", "abc",
                     '"1,5"', "1_0", "0x10", "\u0661", "1e9 ", " 2.5", '"3"', "caf\u00e9",
                     "5e-324", "1.7976931348623157e308"]),
    st.floats(min_value=1e-3, max_value=1e12).map(lambda v: f"{v:.6g}"),
)
NAMES = ["N", "D", "C", "loss", "x", "y", " N", "loss ", "Loss", "n", "X", "", "comment",
         "N;D;loss", "x;y", "\u00e9t\u00e9"]


def runs_rows(draw, count: int) -> list[list[str]]:
    """Rows of plausible runs: a Chinchilla-form loss with noise, or loss rising with N."""
    rows = []
    for _ in range(count):
        n = 10 ** draw(st.floats(7, 10))
        d = 10 ** draw(st.floats(9, 12))
        loss = 1.7 + 406 / n ** 0.34 + 411 / d ** 0.28
        rows.append([f"{n:.6g}", f"{d:.6g}", f"{loss * draw(st.floats(0.97, 1.03)):.6g}"])
    return rows


def curve_rows(draw, count: int) -> list[list[str]]:
    """Rows of a plausible curve: a power law with a floor and noise, x from 1 to 1e6."""
    xs = sorted({round(10 ** draw(st.floats(0, 6)), 3) for _ in range(count)})
    scale, slope = draw(st.floats(0.1, 10)), draw(st.floats(0.05, 1.0))
    return [[f"{x:g}", f"{(0.1 + scale * x ** -slope) * draw(st.floats(0.98, 1.02)):.6g}"]
            for x in xs]


@st.composite
def csv_files(draw, header: list[str], rows_of) -> bytes:
    """A CSV file: plausible data, then maybe mutated (header, cells, row lengths, blank lines,
    line endings, encoding), or random bytes."""
    if draw(st.integers(0, 19)) == 0:
        return draw(st.binary(max_size=200))
    names = list(header)
    rows = rows_of(draw, draw(st.integers(0, 14) | st.integers(6, 14)))
    mutations = draw(st.sampled_from([0, 0, 0, 1, 1, 2, 3]))
    for _ in range(mutations):
        kind = draw(st.sampled_from(["name", "add", "cell", "short", "long", "blank", "drop"]))
        if kind == "name" and names:
            names[draw(st.integers(0, len(names) - 1))] = draw(st.sampled_from(NAMES))
        elif kind == "add":
            names.append(draw(st.sampled_from(NAMES)))
            rows = [[*r, draw(CELLS)] for r in rows]
        elif kind == "cell" and any(rows):
            row = draw(st.sampled_from([r for r in rows if r]))
            row[draw(st.integers(0, len(row) - 1))] = draw(CELLS)
        elif kind == "short" and any(rows):
            draw(st.sampled_from([r for r in rows if r])).pop()
        elif kind == "long" and rows:
            rows[draw(st.integers(0, len(rows) - 1))].append(draw(CELLS))
        elif kind == "blank":
            rows.insert(draw(st.integers(0, len(rows))), [])
        elif kind == "drop" and rows:
            rows.pop(draw(st.integers(0, len(rows) - 1)))
    end = draw(st.sampled_from(["\n", "\r\n"]))
    text = end.join(",".join(r) for r in [names, *rows]) + draw(st.sampled_from(["", end]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "latin-1",
                                     "utf-16", "utf-16-le", "utf-32"]))
    return text.encode(encoding, errors="replace")


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


FIT_FLAGS = st.lists(st.sampled_from([
    ["--bootstrap", "0"], ["--bootstrap", "3"], ["--bootstrap", "3"], ["--bootstrap", "-1"],
    ["--bootstrap", "1e9"], ["--bootstrap", "abc"], ["--seed", "7"], ["--seed", "7"],
    ["--seed", "-1"], ["--seed", "2.5"], ["--drop-highest", "1"], ["--drop-highest", "1"],
    ["--drop-highest", "-1"], ["--drop-highest", "20"], ["--json"], ["--json"],
    ["--approach", "2"], ["--approach", "all"], ["--approach", "1"], ["--approach", "5"],
    ["--at-flops", "1e22"], ["--at-flops", "0"], ["--at-flops", "1e308"],
    ["--holdout-largest", "2"], ["--holdout-largest", "99"], ["--level", "0.9"],
    ["--level", "1"],
]), max_size=3)


@FAST
@given(data=st.data())
def test_fuzz_fit_files_and_flags_hold_the_contract(folder, data):
    path = folder / "runs.csv"
    path.write_bytes(data.draw(csv_files(["N", data.draw(st.sampled_from(["D", "C"])),
                                          "loss"], runs_rows)))
    flags = [flag for pair in data.draw(FIT_FLAGS) for flag in pair]
    holds_the_contract(["fit", str(path), *flags])


BNSL_FLAGS = st.lists(st.sampled_from([
    ["--breaks", "0"], ["--breaks", "0"], ["--breaks", "1"], ["--breaks", "auto"],
    ["--breaks", "AUTO"], ["--breaks", "4"], ["--holdout", "0"], ["--holdout", "2"],
    ["--holdout", "2"], ["--holdout", "-1"], ["--holdout", "99"], ["--target", "log1p"],
    ["--target", "exp"], ["--json"], ["--json"],
]), max_size=3)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_fuzz_bnsl_fit_files_and_flags_hold_the_contract(folder, data):
    path = folder / "curve.csv"
    path.write_bytes(data.draw(csv_files(["x", "y"], curve_rows)))
    flags = [flag for pair in data.draw(BNSL_FLAGS) for flag in pair]
    if "--breaks" not in flags:
        flags += ["--breaks", "0"]  # the default (1 break) is fuzzed above; keep this fast
    holds_the_contract(["bnsl-fit", str(path), *flags])


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_fuzz_read_runs_csv_refuses_by_value_error_or_reads_finite_runs(folder, data):
    """The library's reader: a ValueError with a one-line message naming the file, or runs
    whose every value is finite and > 0."""
    path = folder / "library.csv"
    path.write_bytes(data.draw(csv_files(["N", "D", "loss"], runs_rows)))
    try:
        runs = read_runs_csv(path)
    except ValueError as error:
        assert "\n" not in str(error) and str(path) in str(error)
        return
    for values in (runs.n_params, runs.n_tokens, runs.loss):
        assert (values > 0).all() and all(math.isfinite(v) for v in values)
