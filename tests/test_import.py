"""``import chinchilla_lib`` is light: heavy dependencies load only when used."""

from __future__ import annotations

import subprocess
import sys

import pytest

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


def test_degenerate_data_warning_is_exported_at_the_top_level_lazily():
    """Issue 16 (degenerate-data rows of the review): the category of the warnings that say
    the data do not pin down a fit is ``chinchilla_lib.DegenerateDataWarning``, listed in
    ``__all__`` and ``dir``, the same class as ``chinchilla_lib.fitting``'s, and reaching for it
    loads no heavy dependency."""
    import warnings

    import chinchilla_lib
    from chinchilla_lib.fitting import DegenerateDataWarning

    assert chinchilla_lib.DegenerateDataWarning is DegenerateDataWarning
    assert issubclass(DegenerateDataWarning, UserWarning)
    assert "DegenerateDataWarning" in chinchilla_lib.__all__
    assert "DegenerateDataWarning" in dir(chinchilla_lib)
    assert chinchilla_lib.__all__ == sorted(chinchilla_lib.__all__)
    with warnings.catch_warnings():
        warnings.simplefilter("error", chinchilla_lib.DegenerateDataWarning)
        with pytest.raises(DegenerateDataWarning):
            warnings.warn("E is not determined", DegenerateDataWarning, stacklevel=1)
    loaded = _modules_after("from chinchilla_lib import DegenerateDataWarning")
    assert not {m for m in HEAVY if m in loaded}
    assert "chinchilla_lib.fitting.approach3" not in loaded
