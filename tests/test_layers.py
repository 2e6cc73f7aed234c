"""No upward arrow in the import graph of ``chinchilla_lib`` (CONTRIBUTING.md, "The house").

Every module and package of the library sits on a layer of :data:`LAYERS`, from the bottom
(private helpers, the registry) to the top (the command line). A module may import modules
of its own layer and of the layers below, never one above, at module level or inside a
function. Imports are read with :mod:`ast`, so lazy imports count too, and examples inside
docstrings (which are text) do not. A new module or package must be given a layer here (a
test fails until it is).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "chinchilla_lib"
LAYERS = (
    ("_validation", "_lazy"),          # private helpers
    ("registry",),                     # published numbers
    ("quantities", "metrics"),         # N, D, C accounting; measures of quality
    ("laws", "symbolic"),              # pure laws; sympy derivations
    ("fitting",),                      # estimators and the runs they take
    ("simulate", "experiment"),        # data generated from a known truth; real toy training
    ("plotting",),                     # the house style and the chapters' static figures
    ("course",),                       # what serves the book's pages: prose helpers, ledger
    ("widgets",),                      # the explorers
    ("cli", "__main__"),               # the command line
)
RANK = {unit: rank for rank, units in enumerate(LAYERS) for unit in units}


def imported_modules(source: str, package: str) -> set[str]:
    """The absolute names of the modules a source file imports, and of the names it imports
    from a package (``from chinchilla_lib import plotting`` gives
    ``chinchilla_lib.plotting``); ``package`` resolves relative imports."""
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


def unit_of(module: str) -> str | None:
    """The top-level module or package of ``chinchilla_lib`` that ``module`` lies in, if any."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "chinchilla_lib" else None


def upward(names: set[str], importer: str) -> set[str]:
    """The names among ``names`` that lie in a layer above the one of ``importer`` (a
    top-level module or package of ``chinchilla_lib``)."""
    return {name for name in names
            if (unit := unit_of(name)) in RANK and RANK[unit] > RANK[importer]}


def _modules() -> list[Path]:
    files = sorted(path for path in PACKAGE.rglob("*.py") if path != PACKAGE / "__init__.py")
    assert files, f"no modules found under {PACKAGE}"
    return files


def _package_and_unit(path: Path) -> tuple[str, str]:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1]), parts[1]


def test_every_module_has_a_layer():
    units = {_package_and_unit(path)[1] for path in _modules()}
    assert units <= set(RANK), f"give these a layer in LAYERS: {sorted(units - set(RANK))}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_a_layer_above_its_own(path):
    package, unit = _package_and_unit(path)
    found = upward(imported_modules(path.read_text(encoding="utf-8"), package), unit)
    assert not found, f"{path.relative_to(PACKAGE.parent)} imports {sorted(found)}"


@pytest.mark.parametrize("statement", [
    "from chinchilla_lib.simulate.runs import IsoFlopRuns",
    "import chinchilla_lib.widgets.base",
    "from chinchilla_lib import plotting",
    "def f():\n    from chinchilla_lib.cli import main",
    "from .. import course",
    "from ..course.report import published",
    "from chinchilla_lib.simulate import noisy_samples",
])
def test_an_upward_import_is_caught(statement):
    assert upward(imported_modules(statement, "chinchilla_lib.fitting"), "fitting")


@pytest.mark.parametrize("statement", [
    "from chinchilla_lib.fitting.runs import IsoFlopRuns",
    "from chinchilla_lib import registry",
    "from .power import log_ols",
    "import chinchilla_lib.simulationist",
    '"""\n>>> from chinchilla_lib.simulate.runs import simulate_isoflop_runs\n"""',
    "from chinchilla_lib.laws.chinchilla import ChinchillaLaw",
    "from .. import quantities",
])
def test_a_sideways_or_downward_import_passes(statement):
    assert not upward(imported_modules(statement, "chinchilla_lib.fitting"), "fitting")


@pytest.mark.parametrize(("statement", "importer", "package"), [
    ("from chinchilla_lib.widgets import Explorer", "course", "chinchilla_lib.course"),
    ("from chinchilla_lib.plotting import figures", "simulate", "chinchilla_lib.simulate"),
    ("from chinchilla_lib.simulate.pruning import PruningSweep", "laws", "chinchilla_lib.laws"),
    ("from chinchilla_lib import cli", "widgets", "chinchilla_lib.widgets"),
    ("from chinchilla_lib.laws import ChinchillaLaw", "quantities", "chinchilla_lib"),
])
def test_every_layer_is_held(statement, importer, package):
    assert upward(imported_modules(statement, package), importer)


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
