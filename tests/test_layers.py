"""No upward arrow in the import graph of ``chinchilla_lib`` (CONTRIBUTING.md, "Data flows one
way").

The rule, as this test holds it: the laws (``chinchilla_lib/laws``) and the fits
(``chinchilla_lib/fitting``), with the run containers they take (``Runs``, ``IsoFlopRuns``,
``TrainingCurves`` in ``fitting/runs.py``), form one layer. They may import each other and the
bottom layer (``registry``, ``quantities``, ``metrics`` and the private ``_validation``), but no
module in them imports, at module level or inside a function, any of the modules built on top
of them: ``simulate`` (which generates data from a law and fills the run containers),
``plotting`` and ``figures``, ``report``, ``widgets`` (the explorers), and ``cli`` with its
``__main__``. Imports are read with :mod:`ast`, so the test covers lazy imports too, and
examples inside docstrings (which are text) do not count.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "chinchilla_lib"
LOWER = ("laws", "fitting")
UPPER = ("simulate", "plotting", "figures", "report", "widgets", "cli", "__main__")


def imported_modules(source: str, package: str) -> set[str]:
    """The absolute names of the modules a source file imports, and of the names it imports
    from a package (``from chinchilla_lib import simulation`` gives
    ``chinchilla_lib.simulate.runs``); ``package`` resolves relative imports."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def upward(names: set[str]) -> set[str]:
    """The names among ``names`` that are, or lie inside, a module of the upper layers."""
    upper = tuple(f"chinchilla_lib.{module}" for module in UPPER)
    return {name for name in names
            if any(name == top or name.startswith(f"{top}.") for top in upper)}


def _lower_modules() -> list[Path]:
    files = sorted(path for folder in LOWER for path in (PACKAGE / folder).rglob("*.py"))
    assert files, f"no modules found under {PACKAGE}"
    return files


@pytest.mark.parametrize("path", _lower_modules(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_laws_and_fitting_import_nothing_above_them(path):
    package = "chinchilla_lib." + path.parent.name
    found = upward(imported_modules(path.read_text(encoding="utf-8"), package))
    assert not found, f"{path.relative_to(PACKAGE.parent)} imports {sorted(found)}"


@pytest.mark.parametrize("statement", [
    "from chinchilla_lib.simulate.runs import IsoFlopRuns",
    "import chinchilla_lib.widgets.base",
    "from chinchilla_lib import plotting",
    "def f():\n    from chinchilla_lib.cli import main",
    "from .. import figures",
    "from ..report import published",
])
def test_an_upward_import_is_caught(statement):
    assert upward(imported_modules(statement, "chinchilla_lib.fitting"))


@pytest.mark.parametrize("statement", [
    "from chinchilla_lib.fitting.runs import IsoFlopRuns",
    "from chinchilla_lib import registry",
    "from .power import log_ols",
    "import chinchilla_lib.simulationist",
    '"""\n>>> from chinchilla_lib.simulate.runs import simulate_isoflop_runs\n"""',
])
def test_a_sideways_or_downward_import_passes(statement):
    assert not upward(imported_modules(statement, "chinchilla_lib.fitting"))


def test_run_containers_still_import_from_simulate_runs():
    from chinchilla_lib.fitting import runs
    from chinchilla_lib.simulate import runs as simulation

    assert simulation.IsoFlopRuns is runs.IsoFlopRuns
    assert simulation.TrainingCurves is runs.TrainingCurves


def test_compute_optimum_has_a_neutral_home_and_its_old_names():
    from chinchilla_lib.laws import _results, chinchilla, data_constrained, inference, kaplan

    for module in (kaplan, chinchilla, data_constrained, inference):
        assert module.ComputeOptimum is _results.ComputeOptimum
    assert "ComputeOptimum" in kaplan.__all__  # documented where it always was


def test_no_law_imports_kaplan_for_a_result_type():
    path = PACKAGE / "laws" / "chinchilla.py"
    names = imported_modules(path.read_text(encoding="utf-8"), "chinchilla_lib.laws")
    assert "chinchilla_lib.laws.kaplan" not in names
