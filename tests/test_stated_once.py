"""The 6 of C = 6ND is stated once: the library multiplies or divides by no literal 6.

Every 6ND reads :data:`chinchilla_lib.quantities.FLOPS_PER_PARAM_TOKEN`, which reads the
registry entry ``training_flops_per_param_per_token``. The scan looks at the tokens of each
module (comments and docstrings are not code) for a literal 6 or 6.0 next to ``*``, ``/`` or
``**``.
"""

from __future__ import annotations

import io
import tokenize
from pathlib import Path

import pytest

import chinchilla_lib
from chinchilla_lib import quantities, registry

LIBRARY = Path(chinchilla_lib.__file__).parent

ALLOWED = {"registry"}
"""Where the literal may stand: the registry package, where the constant is defined."""

_OPERATORS = {"*", "/", "**", "//"}


def _literal_sixes(source: str) -> list[tuple[int, str]]:
    """(line, text) of every literal 6 used as a factor or divisor in ``source``."""
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
              if t.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE)]
    found = []
    for i, token in enumerate(tokens):
        if token.type != tokenize.NUMBER or float(token.string.replace("_", "")) != 6.0:
            continue
        before = tokens[i - 1].string if i else ""
        after = tokens[i + 1].string if i + 1 < len(tokens) else ""
        if before in _OPERATORS or after in _OPERATORS:
            found.append((token.start[0], token.line.strip()))
    return found


def test_the_scan_finds_a_literal_six():
    assert _literal_sixes("c = 6.0 * n * d\nd = c / (6 * n)\ne = x**6\n") == [
        (1, "c = 6.0 * n * d"), (2, "d = c / (6 * n)"), (3, "e = x**6")]
    assert _literal_sixes('x = 16 * n  # 6 * n\n"""6 * N"""\ny = 1e-6 * n\n') == []


@pytest.mark.parametrize("path", sorted(LIBRARY.rglob("*.py")),
                         ids=lambda p: str(p.relative_to(LIBRARY)))
def test_no_literal_six_in_the_library(path: Path):
    if ALLOWED & set(path.relative_to(LIBRARY).parts):
        return
    hits = _literal_sixes(path.read_text(encoding="utf-8"))
    assert not hits, (f"{path.relative_to(LIBRARY)}: use quantities.FLOPS_PER_PARAM_TOKEN "
                      f"(or training_flops) instead of a literal 6: {hits}")


def test_the_constants_come_from_the_registry():
    six = registry.constant("training_flops_per_param_per_token").value
    assert quantities.FLOPS_PER_PARAM_TOKEN == six
    assert quantities.FORWARD_FLOPS_PER_PARAM_TOKEN == six / 3.0


# --- No published number typed outside the registry -------------------------------------
#
# Every numeric value the registry holds (constants, fits, models, tables) is collected; a
# numeric literal in library code outside the registry that equals one of them fails, unless
# it is trivial (see _trivial), styles a figure or bounds a slider (the keyword arguments in
# _STYLE_KEYWORDS), or is allowed below with its reason. Signs are ignored (-0.128 is the
# literal 0.128 after a minus).

_STYLE_KEYWORDS = {
    "lw", "linewidth", "linewidths", "ms", "markersize", "mew", "fontsize", "framealpha",
    "zorder", "s", "dpi", "levels", "rect", "pad", "min", "max", "step", "maxsize", "width",
    "height", "size", "bins",
}
"""Keyword arguments whose values draw a figure or bound a control, not state data."""

_LAYOUT_CALLS = {"text", "annotate", "set_xlim", "set_ylim", "fit_limits", "subplots_adjust"}
"""Calls whose arguments place text or bound axes (positions, limits), not state data."""

LITERALS_ALLOWED: dict[tuple[str, float], str] = {
    ("widgets/power_law_fit.py", 0.06): "a step of the book's grid of floors, a course choice",
    ("widgets/three_approaches.py", 0.02): "a step of the book's grid of noise levels, a "
                                           "course choice",
    ("experiment/challenge.py", 3e11): "the challenge's experiment budget, a course choice",
    ("experiment/sweep.py", 3e9): "a budget of the course's small sweep, FLOPs",
    ("experiment/sweep.py", 3e11): "a budget of the course's full sweep, FLOPs",
    ("experiment/trainer.py", 0.02): "the trainer's warm-up share of steps, a course choice",
    ("laws/schedules.py", 0.02): "the schedules' default warm-up share, the trainer's choice",
    ("fitting/annealing.py", 0.99): "a decay factor of the annealing fit's grid, not published",
    ("experiment/challenge.py", 11000.0): "the stand-in law's A, fitted to a trial sweep",
    ("experiment/challenge.py", 0.71): "the stand-in law's beta, fitted to a trial sweep",
    ("course/ledger.py", 0.03): "a reproduction's tolerance, not a published value",
    ("course/ledger.py", 0.02): "a reproduction's tolerance, not a published value",
    ("course/ledger.py", 0.06): "a reproduction's tolerance, not a published value",
    ("plotting/style.py", 3.4): "a figure's default height in inches",
    ("widgets/power_law_fit.py", 0.02): "the default noise of the simulated data",
    ("widgets/train_test_tradeoff.py", 1500.0): "the lowest Elo of the reference frontiers",
}
"""(module, value) pairs where a literal equal to a registry value is a coincidence."""


def _registry_values() -> dict[float, set[str]]:
    """Every finite number held by a registry entry (its source aside), by absolute value,
    with the names of the entries that hold it."""
    import dataclasses
    import math
    from collections.abc import Mapping

    found: dict[float, set[str]] = {}

    def walk(value: object, where: str) -> None:
        if isinstance(value, bool) or value is None or isinstance(value, str):
            return
        if isinstance(value, (int, float)):
            if math.isfinite(value):
                found.setdefault(abs(float(value)), set()).add(where)
        elif isinstance(value, Mapping):
            for item in value.values():
                walk(item, where)
        elif isinstance(value, (tuple, list)):
            for item in value:
                walk(item, where)
        elif dataclasses.is_dataclass(value) and not isinstance(value, registry.Source):
            for f in dataclasses.fields(value):
                if f.name not in ("source", "param_sources"):
                    walk(getattr(value, f.name), where)

    for where, entry in registry.entries():
        walk(entry, getattr(entry, "name", where))
    return found


def _trivial(value: float) -> bool:
    """0; halves up to 25 and powers of two (counts, sizes, bits, grid steps); powers of ten;
    multiples of 0.05 up to 1 (fractions, quantiles, levels); one-digit round numbers from 1
    to 10^4 (grid sizes, iteration counts)."""
    import math

    value = abs(value)
    if value == 0 or (value <= 25 and (2 * value).is_integer()) or (
            value.is_integer() and value <= 2**20 and math.log2(value).is_integer()):
        return True
    if math.log10(value).is_integer():
        return True
    if value <= 1 and math.isclose(value * 20, round(value * 20), abs_tol=1e-9):
        return True
    mantissa = value / 10 ** math.floor(math.log10(value))
    return 1 <= value <= 1e4 and math.isclose(mantissa, round(mantissa), abs_tol=1e-9)


def _published_literals(source: str, values: dict[float, set[str]]) -> list[tuple[int, float]]:
    """(line, value) of every non-trivial numeric literal of ``source`` that equals a registry
    value and is not a styling keyword's value."""
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
              if t.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE,
                                tokenize.INDENT, tokenize.DEDENT)]
    found, depth, keyword_depth, call_depth = [], 0, None, None
    for i, token in enumerate(tokens):
        text = token.string
        following = tokens[i + 1].string if i + 1 < len(tokens) else ""
        if token.type == tokenize.OP:
            if text in "([{":
                depth += 1
            elif text in ")]}":
                depth -= 1
                if keyword_depth is not None and depth < keyword_depth:
                    keyword_depth = None
                if call_depth is not None and depth < call_depth:
                    call_depth = None
            elif text == "," and depth == keyword_depth:
                keyword_depth = None
            continue
        if token.type == tokenize.NAME:
            if text in _STYLE_KEYWORDS and depth > 0 and following == "=":
                keyword_depth = depth if keyword_depth is None else keyword_depth
            elif text in _LAYOUT_CALLS and following == "(" and call_depth is None:
                call_depth = depth + 1
            continue
        if token.type != tokenize.NUMBER or keyword_depth is not None or call_depth is not None:
            continue
        try:
            value = abs(float(text.replace("_", "")))
        except ValueError:  # complex literals
            continue
        if value in values and not _trivial(value):
            found.append((token.start[0], value))
    return found


def test_the_literal_scan_finds_published_numbers_only():
    values = {0.34: {"alpha"}, 6e18: {"budget"}, 1e-3: {"delta"}, 0.25: {"limit"},
              2.6: {"months"}, 20.0: {"ratio"}}
    source = ("law = Law(alpha=0.34)\nwindow = (6e18, 1e21)\ndelta = 1e-3\nq = 0.25\n"
              "ax.plot(x, y, lw=2.6, color='0.34')\nax.text(0.34, 0.5, 's', fontsize=8)\n"
              "ax.contour(x, y, z, levels=[2.6, 0.34])\nn = -0.34 * x  # 0.34\nr = 20\n")
    assert _published_literals(source, values) == [(1, 0.34), (2, 6e18), (8, 0.34)]
    assert all(_trivial(v) for v in (0.0, 1.0, 2.0, 10.0, 0.5, 0.95, 12.0, 64.0, 1e12, 300.0,
                                     1.5, 25.0))
    assert not any(_trivial(v) for v in (0.34, 6e18, 3e21, 0.79, 2.6, 1.2, 220e6, 1500.0))


@pytest.mark.parametrize("path", sorted(LIBRARY.rglob("*.py")),
                         ids=lambda p: str(p.relative_to(LIBRARY)))
def test_no_published_number_typed_in_the_library(path: Path):
    relative = path.relative_to(LIBRARY)
    if ALLOWED & set(relative.parts):
        return
    values = _registry_values()
    hits = [(line, value) for line, value in _published_literals(
        path.read_text(encoding="utf-8"), values)
        if (relative.as_posix(), value) not in LITERALS_ALLOWED]
    assert not hits, (f"{relative}: literals equal to registry values (read them from the "
                      f"registry, or allow them in LITERALS_ALLOWED with a reason): "
                      + "; ".join(f"line {line}: {value!r} ({sorted(values[value])[:3]})"
                                  for line, value in hits))


def test_every_allowed_literal_is_still_there():
    values = _registry_values()
    for (module, value), reason in LITERALS_ALLOWED.items():
        assert reason
        found = {v for _line, v in _published_literals(
            (LIBRARY / module).read_text(encoding="utf-8"), values)}
        assert value in found, f"{module}: {value!r} is allowed but no longer typed there"
