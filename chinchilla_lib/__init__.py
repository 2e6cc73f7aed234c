"""chinchilla_lib: the tested library behind the course *Scaling Laws, Worked Out*.

Every module loads on first use, so that ``import chinchilla_lib`` stays fast and each command
of the command line loads only what it computes with: the light modules ``registry``,
``quantities`` and ``metrics`` (NumPy only) and the names lifted from ``quantities`` below,
the packages ``laws``, ``fitting`` (SciPy, when a fit or law needs it), ``simulate``,
``plotting`` and ``widgets`` (matplotlib) and ``course``, and the modules ``symbolic`` (sympy)
and ``cli``.
CONTRIBUTING.md ("The house") says what each holds.

One class from a lazy package is lifted to the top level, also on first use:
``DegenerateDataWarning`` (from ``fitting``), the category of the warnings that say the data
do not pin down a fit, so that ``warnings.simplefilter("error",
chinchilla_lib.DegenerateDataWarning)`` turns them into errors.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # loaded on first use (see __getattr__)
    from chinchilla_lib import metrics, quantities, registry
    from chinchilla_lib.fitting._result import DegenerateDataWarning
    from chinchilla_lib.quantities import (
        TransformerShape,
        gpu_hours,
        inference_flops,
        pf_days,
        tokens_per_parameter,
        training_budget,
        training_flops,
    )

__version__ = "0.1.0"

__all__ = [
    "DegenerateDataWarning",
    "TransformerShape",
    "__version__",
    "gpu_hours",
    "inference_flops",
    "metrics",
    "pf_days",
    "quantities",
    "registry",
    "tokens_per_parameter",
    "training_budget",
    "training_flops",
]

_LAZY_SUBMODULES = {"cli", "course", "experiment", "fitting", "laws", "metrics", "plotting",
                    "quantities", "registry", "simulate", "symbolic", "widgets"}

_LAZY_NAMES = {"DegenerateDataWarning": "chinchilla_lib.fitting._result",
               **dict.fromkeys(("TransformerShape", "gpu_hours", "inference_flops", "pf_days",
                                "tokens_per_parameter", "training_budget", "training_flops"),
                               "chinchilla_lib.quantities")}
"""Names lifted to the top level from the lazy packages: each name, the module that holds it."""


def __getattr__(name: str) -> Any:
    if name in _LAZY_SUBMODULES:
        return importlib.import_module(f"chinchilla_lib.{name}")
    if name in _LAZY_NAMES:
        value = getattr(importlib.import_module(_LAZY_NAMES[name]), name)
        globals()[name] = value  # later look-ups skip this function
        return value
    raise AttributeError(f"module 'chinchilla_lib' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _LAZY_SUBMODULES | set(_LAZY_NAMES))
