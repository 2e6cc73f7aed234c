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
