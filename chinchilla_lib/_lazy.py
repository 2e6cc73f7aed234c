"""Lazy re-exports for the packages of ``chinchilla_lib`` (PEP 562).

A package lists, per submodule, the public names it lifts; ``from chinchilla_lib.laws import
ChinchillaLaw`` then imports only ``laws/chinchilla.py`` (and what it needs), on first use, so
that importing a package stays as light as its lightest module. This is the pattern of
scientific Python's SPEC 1 (``lazy_loader.attach``), written out in a few lines.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any


def attach(package: str, exports: Mapping[str, Sequence[str]]
           ) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """The ``__getattr__``, ``__dir__`` and ``__all__`` of a package that lifts names lazily.

    Parameters
    ----------
    package
        The package's ``__name__``.
    exports
        For each submodule (its name inside the package), the public names it provides.

    Returns
    -------
    tuple
        ``(__getattr__, __dir__, __all__)``; the package assigns them at module level.
        Submodules themselves stay reachable as attributes, loaded on first use.

    Raises
    ------
    ValueError
        If two submodules export the same name.
    """
    owner: dict[str, str] = {}
    for module, names in exports.items():
        for name in names:
            if name in owner:
                raise ValueError(f"exports must name each attribute once; {name!r} is in "
                                 f"both {owner[name]!r} and {module!r}")
            owner[name] = module
    submodules = set(exports)

    def __getattr__(name: str) -> Any:
        if name in owner:
            value = getattr(importlib.import_module(f"{package}.{owner[name]}"), name)
        elif name in submodules:
            value = importlib.import_module(f"{package}.{name}")
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        setattr(sys.modules[package], name, value)  # later look-ups skip this function
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(owner) | submodules)

    return __getattr__, __dir__, sorted(owner)
