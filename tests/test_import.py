"""``import chinchilla_lib`` is light: heavy dependencies load only when used."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("sympy", "scipy", "matplotlib", "ipywidgets", "IPython")


def _modules_after(statement: str) -> set[str]:
    code = f"{statement}\nimport sys\nprint(' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    return set(out.split())


def test_import_loads_no_heavy_dependency():
    loaded = _modules_after("import chinchilla_lib")
    assert not {m for m in HEAVY if m in loaded}


def test_lazy_submodules_load_on_access():
    loaded = _modules_after("import chinchilla_lib; chinchilla_lib.symbolic")
    assert "chinchilla_lib.symbolic" in loaded
    assert "sympy" not in loaded  # sympy waits until a derivation is asked for


def test_unknown_attribute_raises():
    import chinchilla_lib

    try:
        chinchilla_lib.no_such_thing  # noqa: B018
    except AttributeError as error:
        assert "no_such_thing" in str(error)
    else:
        raise AssertionError("expected AttributeError")


def test_every_package_and_public_module_is_reachable_lazily():
    import pkgutil

    import chinchilla_lib

    public = {m.name for m in pkgutil.iter_modules(chinchilla_lib.__path__)
              if not m.name.startswith("_")}
    assert public <= set(dir(chinchilla_lib))
    for name in sorted(public):
        assert getattr(chinchilla_lib, name).__name__ == f"chinchilla_lib.{name}"
