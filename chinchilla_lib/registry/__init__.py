"""The registry of published numbers: every constant the course uses, stated once.

Each entry carries the bibliography key of its source (a key of ``book/references.bib``) and
the place in that source (table, equation or section) where the value is printed, so that a
reader can check it and a test can hold it against the paper. Nothing else in the library or
the notebooks may type a published number: they look it up here.

Units are stated in each entry's ``unit`` field; model sizes are in parameters and data sizes
in tokens, both as plain counts (175e9, not "175B").

The package holds one module per paper, named after its bibliography key (``hoffmann2022``
for ``hoffmann2022training``), or per family of sources (``models``, ``base_models``,
``hardware``); the record types live in ``_types``. Nothing lists
the entries by hand: :func:`entries` walks the source modules and collects every record they
hold, and :data:`CONSTANTS`, :data:`FITS`, :data:`MODELS` and :data:`ARCHITECTURES` are built
from it. A new entry needs only to be written in its paper's module.

Examples
--------
>>> from chinchilla_lib import registry
>>> gpt3 = registry.model("GPT-3")
>>> print(f"{gpt3.n_params:.3g} parameters on {gpt3.n_tokens:.3g} tokens "
...       f"({gpt3.source.citation}, {gpt3.source.location})")
1.75e+11 parameters on 3e+11 tokens (hoffmann2022training, Table 1)

Fits are selected by their law family:

>>> [f.name for f in registry.fits(family=registry.LawFamily.CHINCHILLA,
...                                fitted_to="hoffmann2022training")]
['hoffmann2022/approach3', 'hoffmann2022/approach3 unrounded', 'besiroglu2024/refit']
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator, Mapping
from types import MappingProxyType, ModuleType
from typing import TypeVar

from chinchilla_lib.registry._types import (
    BenchmarkResult,
    Constant,
    LawFamily,
    LearningCurveExponent,
    Projection,
    PublishedCurve,
    PublishedFit,
    PublishedInterval,
    PublishedShape,
    PublishedValues,
    SearchScalingRun,
    Source,
    TrainedModel,
)
from chinchilla_lib.registry.base_models import BASE_MODEL_SCORES, base_model_scores
from chinchilla_lib.registry.besiroglu2024 import BESIROGLU_INTERVALS
from chinchilla_lib.registry.biderman2023 import PYTHIA_LAMBADA
from chinchilla_lib.registry.henighan2020 import HENIGHAN_DOMAINS, HENIGHAN_TEXT_LOSS_DOMAINS
from chinchilla_lib.registry.hestness2017 import HESTNESS_EXPONENTS
from chinchilla_lib.registry.hoffmann2022 import (
    HOFFMANN_INITIAL_GRID,
    HOFFMANN_ISOFLOP_BUDGET_VALUES,
    HOFFMANN_ISOFLOP_BUDGETS,
    HOFFMANN_ISOFLOP_RANGE,
    HOFFMANN_PROJECTIONS,
    HOFFMANN_TABLE1,
    HOFFMANN_TABLE2,
    HOFFMANN_TABLE3_GOPHER_UNITS,
    ISOFLOP_BUDGETS_SOURCE,
)
from chinchilla_lib.registry.pearce2024 import PEARCE_KAPLAN_COMPUTE_WINDOW
from chinchilla_lib.registry.porian2024 import PORIAN_STEPS
from chinchilla_lib.registry.silver2016 import ALPHAGO_SEARCH_SCALING
from chinchilla_lib.registry.villalobos2023 import EPOCH_TRADEOFF_SPANS
from chinchilla_lib.registry.xiao2024 import LLAMA1_RELEASE, XIAO_PRICE_MONTHS

__all__ = [
    "ALPHAGO_SEARCH_SCALING",
    "ARCHITECTURES",
    "BASE_MODEL_SCORES",
    "BESIROGLU_INTERVALS",
    "CONSTANTS",
    "EPOCH_TRADEOFF_SPANS",
    "FITS",
    "HENIGHAN_DOMAINS",
    "HENIGHAN_TEXT_LOSS_DOMAINS",
    "HESTNESS_EXPONENTS",
    "HOFFMANN_INITIAL_GRID",
    "HOFFMANN_ISOFLOP_BUDGETS",
    "HOFFMANN_ISOFLOP_BUDGET_VALUES",
    "HOFFMANN_ISOFLOP_RANGE",
    "HOFFMANN_PROJECTIONS",
    "HOFFMANN_TABLE1",
    "HOFFMANN_TABLE2",
    "HOFFMANN_TABLE3_GOPHER_UNITS",
    "ISOFLOP_BUDGETS_SOURCE",
    "LLAMA1_RELEASE",
    "MODELS",
    "PEARCE_KAPLAN_COMPUTE_WINDOW",
    "PORIAN_STEPS",
    "PYTHIA_LAMBADA",
    "RECORD_TYPES",
    "XIAO_PRICE_MONTHS",
    "BenchmarkResult",
    "Constant",
    "LawFamily",
    "LearningCurveExponent",
    "Projection",
    "PublishedCurve",
    "PublishedFit",
    "PublishedInterval",
    "PublishedShape",
    "PublishedValues",
    "SearchScalingRun",
    "Source",
    "TrainedModel",
    "all_sources",
    "architecture",
    "base_model_scores",
    "constant",
    "entries",
    "fit",
    "fits",
    "model",
    "source_modules",
]

_Entry = TypeVar("_Entry")

RECORD_TYPES: tuple[type, ...] = (
    Constant, TrainedModel, PublishedShape, PublishedFit, PublishedInterval, PublishedValues,
    LearningCurveExponent, SearchScalingRun, Projection, BenchmarkResult, PublishedCurve)
"""The kinds of registry entry: each is a frozen record with a ``source``."""


def _publication_order(module_name: str) -> tuple[int, str]:
    year = re.search(r"(\d{4})$", module_name)
    return (int(year.group(1)) if year else 10_000, module_name)


def source_modules() -> tuple[ModuleType, ...]:
    """Every source module of the registry (each module of the package but ``_types``), in
    order of publication (the year in the module's name), then by name; the family modules,
    which have no year, come last."""
    names = sorted((info.name for info in pkgutil.iter_modules(__path__)
                    if not info.name.startswith("_")), key=_publication_order)
    return tuple(importlib.import_module(f"{__name__}.{name}") for name in names)


def _records_in(value: object) -> tuple[object, ...]:
    """The registry records a module-level value holds: itself if it is one, or the items of
    a tuple, list or mapping that are records."""
    if isinstance(value, RECORD_TYPES):
        return (value,)
    items = value.values() if isinstance(value, Mapping) else value
    if isinstance(items, (tuple, list, type({}.values()))):
        return tuple(item for item in items if isinstance(item, RECORD_TYPES))
    return ()


def entries() -> Iterator[tuple[str, object]]:
    """Yield ``(where, entry)`` for every published entry in the registry.

    ``where`` is ``"module.NAME"``, the public name under which a source module holds the
    entry (alone, or in a table). The source modules are walked as :func:`source_modules`
    lists them, and each module's names in the order it defines them, so a new entry or table
    needs no list kept by hand. An entry held under two names comes once.
    """
    seen: set[int] = set()
    for module in source_modules():
        short = module.__name__.rsplit(".", 1)[1]
        for name, value in vars(module).items():
            if name.startswith("_"):
                continue
            for entry in _records_in(value):
                if id(entry) not in seen:
                    seen.add(id(entry))
                    yield f"{short}.{name}", entry


def _by_name(kind: type[_Entry], found: tuple[tuple[str, object], ...]) -> Mapping[str, _Entry]:
    table: dict[str, _Entry] = {}
    for where, entry in found:
        if isinstance(entry, kind):
            if entry.name in table:
                raise ValueError(f"registry name {entry.name!r} is used twice (again in {where})")
            table[entry.name] = entry
    return MappingProxyType(table)


_FOUND = tuple(entries())

CONSTANTS: Mapping[str, Constant] = _by_name(Constant, _FOUND)
"""Published scalar constants by name, from every source module."""

FITS: Mapping[str, PublishedFit] = _by_name(PublishedFit, _FOUND)
"""Published fitted laws by name, from every source module (in order of publication)."""

MODELS: Mapping[str, TrainedModel] = _by_name(TrainedModel, _FOUND)
"""Trained models by name: Hoffmann et al.'s Table 1, then later families."""

ARCHITECTURES: Mapping[str, PublishedShape] = _by_name(PublishedShape, _FOUND)
"""Published transformer shapes by name."""


def _lookup(table: Mapping[str, _Entry], name: str) -> _Entry:
    if name not in table:
        raise ValueError(f"name must be one of {sorted(table)}; got {name!r}")
    return table[name]


def fits(family: LawFamily | None = None, fitted_to: str | None = None) -> tuple[PublishedFit, ...]:
    """The published fits of one law family, or fitted to one work's runs, in registry order.

    Parameters
    ----------
    family
        Keep the fits of this :class:`LawFamily` (all families if ``None``).
    fitted_to
        Keep the fits to the runs of this bibliography key (any if ``None``).

    Examples
    --------
    >>> [f.name for f in fits(family=LawFamily.KAPLAN)]
    ['kaplan2020/L(N,D)', 'gordon2021/de-en L(N,D)']
    """
    if family is not None and not isinstance(family, LawFamily):
        raise ValueError(f"family must be a LawFamily; got {family!r}")
    return tuple(f for f in FITS.values()
                 if (family is None or f.family is family)
                 and (fitted_to is None or f.fitted_to == fitted_to))


def fit(name: str, family: LawFamily | tuple[LawFamily, ...] | None = None) -> PublishedFit:
    """Return the registry entry for a published fitted law.

    Parameters
    ----------
    name
        The fit's registry name, for example ``"besiroglu2024/refit"``.
    family
        If given, the fit must be of this family (or of one of these families): the law
        classes' ``from_registry`` use it to accept only the fits they can build.

    Raises
    ------
    ValueError
        If ``name`` is not in the registry (or not a fit of ``family``); the message lists
        the names it may take.
    """
    if family is None:
        return _lookup(FITS, name)
    families = family if isinstance(family, tuple) else (family,)
    return _lookup({f.name: f for f in FITS.values() if f.family in families}, name)


def architecture(name: str) -> PublishedShape:
    """Return the registry entry for a published transformer shape.

    Raises
    ------
    ValueError
        If ``name`` is not in the registry; the message lists the known names.
    """
    return _lookup(ARCHITECTURES, name)


def model(name: str) -> TrainedModel:
    """Return the registry entry for a trained model.

    Raises
    ------
    ValueError
        If ``name`` is not in the registry; the message lists the known names.
    """
    return _lookup(MODELS, name)


def constant(name: str) -> Constant:
    """Return the registry entry for a published constant.

    Raises
    ------
    ValueError
        If ``name`` is not in the registry; the message lists the known names.

    Examples
    --------
    >>> c = constant("gopher_training_flops")
    >>> print(f"{c.value:.3g} {c.unit} ({c.source.citation}, {c.source.status})")
    5.76e+23 FLOPs (hoffmann2022training, primary)
    """
    return _lookup(CONSTANTS, name)


def all_sources() -> Iterator[Source]:
    """Yield the source of every registry entry (and of each fit parameter that has its own,
    :attr:`PublishedFit.param_sources`), and the works entries cite besides it (the paper
    that introduced a model, the work whose runs a fit was fitted to), for the bibliography
    checks."""
    for _where, entry in entries():
        yield from entry.sources if isinstance(entry, PublishedFit) else (entry.source,)
        if isinstance(entry, TrainedModel):
            yield Source(entry.model_citation, "model")
        if isinstance(entry, PublishedFit) and entry.fitted_to:
            yield Source(entry.fitted_to, "runs fitted")
