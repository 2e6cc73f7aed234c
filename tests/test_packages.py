"""The packages ``laws``, ``fitting`` and ``simulate`` lift their public names lazily.

Every name a submodule lists in ``__all__`` is importable from its package and is the same
object; importing a package, or a light name from it, loads no heavy dependency.
"""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import pytest

from chinchilla_lib._lazy import attach

PACKAGES = ("laws", "fitting", "simulate")


def _public_submodules(package: str) -> list[str]:
    path = importlib.import_module(f"chinchilla_lib.{package}").__path__
    return [m.name for m in pkgutil.iter_modules(path) if not m.name.startswith("_")]


CASES = [(package, module) for package in PACKAGES for module in _public_submodules(package)]


@pytest.mark.parametrize(("package", "module"), CASES, ids=lambda v: v)
def test_every_public_name_of_a_submodule_is_lifted(package, module):
    pkg = importlib.import_module(f"chinchilla_lib.{package}")
    mod = importlib.import_module(f"chinchilla_lib.{package}.{module}")
    assert mod.__all__, f"{package}/{module}.py lists no public names"
    for name in mod.__all__:
        assert name in pkg.__all__, f"chinchilla_lib.{package} does not export {name!r}"
        assert getattr(pkg, name) is getattr(mod, name)
        assert name in dir(pkg)


@pytest.mark.parametrize("package", PACKAGES)
def test_the_package_exports_only_what_resolves(package):
    pkg = importlib.import_module(f"chinchilla_lib.{package}")
    assert pkg.__all__ == sorted(set(pkg.__all__))
    for name in pkg.__all__:
        assert getattr(pkg, name) is not None
    with pytest.raises(AttributeError, match="no_such_name"):
        pkg.no_such_name  # noqa: B018


def test_from_import_of_a_lifted_name():
    import numpy as np

    from chinchilla_lib.fitting import fit_power_law
    from chinchilla_lib.laws import PowerLaw
    from chinchilla_lib.simulate import noisy_samples

    x = np.geomspace(1e6, 1e9, 12)
    fit = fit_power_law(x, noisy_samples(PowerLaw(40.0, -0.2), x, noise=0.0))
    assert isinstance(fit.law, PowerLaw)
    assert fit.law.exponent == pytest.approx(-0.2, rel=1e-9)


def _heavy_after(statement: str) -> set[str]:
    code = (f"{statement}\nimport sys\n"
            "print(' '.join(m for m in ('scipy', 'sympy', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    return set(out.split())


@pytest.mark.parametrize("statement", [
    "import chinchilla_lib.laws, chinchilla_lib.fitting, chinchilla_lib.simulate",
    "from chinchilla_lib.laws import ChinchillaLaw, KaplanLaw, PowerLaw",
    "from chinchilla_lib.fitting import Runs",
])
def test_importing_a_package_or_a_light_name_loads_no_heavy_dependency(statement):
    assert not _heavy_after(statement)


def test_a_heavy_name_loads_its_dependency_on_use():
    assert "scipy" in _heavy_after("from chinchilla_lib.laws import SigmoidInLogX")


def test_attach_refuses_a_name_exported_twice():
    with pytest.raises(ValueError, match="'x'"):
        attach("chinchilla_lib.laws", {"power": ("x",), "kaplan": ("x",)})
