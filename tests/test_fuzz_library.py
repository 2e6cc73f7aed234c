"""Fuzz suite for the library's public functions and laws (issue 16, the review's library rows).

Every public callable of ``quantities``, ``metrics`` and ``laws`` (found through the packages'
``__all__``, so a new one is fuzzed without being listed here) is called with arguments drawn
from hostile values: 0, negative numbers, NaN, infinities, None, bools, complex numbers, integers
beyond float range, subnormal and huge floats, empty and ragged arrays, text. Each call must
either raise ValueError/TypeError with a message of the library's own (not NumPy's or Python's
internals), or return a finite result without a warning. A law that constructs is then called
through each of its public methods and properties with the same values, so a constructor that
lets a bad field through fails here too.

Review rows covered: "integers beyond float range", "library: complex arrays, lists of bools",
"library: finite but extreme inputs", "library: ChinchillaLaw(b=5e-324) and similar",
"library: BrokenPowerLaw(breaks=[None])", "library: None where a number is expected",
"library: about 44 messages that leak NumPy/SciPy text".
"""

from __future__ import annotations

import inspect
import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chinchilla_lib import laws, metrics, quantities
from chinchilla_lib._validation import _all_finite

HOSTILE = [0, 0.0, -1, -2.5, math.nan, math.inf, -math.inf, None, True, False, [True, False],
           1 + 2j, np.array([1 + 1j, 2.0]), 10**400, -(10**400), 5e-324, 1e-300, 1e300,
           1.7e308, np.array([]), [], "abc", "1.5", np.zeros((2, 3)), [[1.0], [2.0, 3.0]],
           [1.0, None], np.array([1.0, np.nan])]
PLAUSIBLE = [0.5, 1.0, 2.0, 3, 10, 0.1, 1e9, 1e21, np.array([1.0, 2.0]), [0.25, 0.75]]
VALUES = st.sampled_from(HOSTILE + PLAUSIBLE)

#: Callables whose arguments are structured objects (other laws, shapes, callables) or which
#: are records the library builds rather than functions of user input; each with its reason.
SKIP = {
    "quantities.ParameterCounts": "a record TransformerShape.parameter_counts builds",
    "quantities.FlopsPerToken": "a record TransformerShape.flops_per_token builds",
    "quantities.TrainingBudget": "a record training_budget builds",
    "quantities.NextTokenModelCounts": "a record next_token_model_parameters builds",
    "quantities.training_budget": "takes a TransformerShape (fuzzed through TransformerShape)",
    "laws.ComputeOptimum": "a record the laws' compute_optimal builds",
    "laws.InferenceOptimum": "a record inference_optimal builds",
    "laws.DemandSaving": "a record saving_over_compute_optimal builds",
    "metrics.rmsle": "takes a law (a callable)",
    "laws.logistic": "the model function curve_fit calls in the inner loop of the sigmoid fits, "
                     "on arrays the fitting module has checked; unchecked for speed",
}

#: Phrases of NumPy's and Python's own messages: a message holding one leaked through unnamed.
LEAKS = ("could not be broadcast", "setting an array element", "ufunc", "unsupported operand",
         "has no attribute", "can only concatenate", "unhashable", "int too large",
         "argmin", "argmax", "zero-size array", "only length-1", "only size-1",
         "not supported between instances", "NoneType", "is not iterable",
         "is not subscriptable", "could not convert", "takes from", "division by zero")


#: Laws built from other laws: the fuzz draws their fields from the hostile values (refused at
#: construction) and then calls the methods of a valid instance with them.
VALID_INSTANCES = {
    "laws.DataConstrainedLaw": lambda: laws.DataConstrainedLaw.from_registry(
        "muennighoff2023/base"),
    "laws.DoubleSaturatingPowerLaw": lambda: laws.DoubleSaturatingPowerLaw(
        laws.SaturatingPowerLaw(0.1, 1.0, 0.5), 1.0),
    "laws.PowerLawFrontier": lambda: laws.PowerLawFrontier(laws.PowerLaw(0.1, 0.5),
                                                           laws.PowerLaw(1.7, 0.5)),
    "laws.ReferenceFamily": lambda: laws.ReferenceFamily(
        laws.ChinchillaLaw.from_registry("hoffmann2022/approach3"),
        laws.SigmoidInLoss(0.25, 0.9, 2.5, 3.0)),
}


def _public_callables() -> list[tuple[str, object]]:
    found = []
    for package in (quantities, metrics, laws):
        short = package.__name__.rsplit(".", 1)[-1]
        for name in package.__all__:
            obj = getattr(package, name)
            if callable(obj) and not (inspect.isclass(obj) and issubclass(obj, dict)):
                found.append((f"{short}.{name}", obj))
    return found


TARGETS = _public_callables()


def _required(func) -> list[str]:
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):
        return []
    return [p.name for p in signature.parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            and p.default is p.empty and p.name not in ("self", "cls")]


def _check(label: str, call, may_be_infinite: bool = False) -> object:
    """Run ``call``: a ValueError/TypeError of the library's own, or a finite result (or an
    infinite one, where the method is documented as possibly infinite: ``may_be_infinite``)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            result = call()
        except (ValueError, TypeError) as error:
            message = str(error)
            leaked = [p for p in LEAKS if p in message]
            assert not leaked, f"{label}: message leaks internals: {message!r}"
            return None
    if may_be_infinite and isinstance(result, float) and math.isinf(result):
        return result
    assert _all_finite(result), f"{label} returned a non-finite result: {result!r}"
    return result


def _methods(instance) -> list[tuple[str, object]]:
    members = []
    for name in dir(type(instance)):
        if name.startswith("_") and name != "__call__":
            continue
        attr = inspect.getattr_static(instance, name)
        if isinstance(attr, property):
            members.append((name, "infinite property" if getattr(
                attr.fget, "_may_be_infinite", False) else property))
        elif inspect.isfunction(attr):
            members.append((name, getattr(instance, name)))
    return members


def test_every_public_callable_is_fuzzed_or_skipped_with_a_reason():
    """The skip-list names only callables that exist, so it cannot hide a new one by accident."""
    names = {label for label, _ in TARGETS}
    assert set(SKIP) <= names
    assert len(names - set(SKIP)) > 60


@pytest.mark.parametrize("label,func", [t for t in TARGETS if t[0] not in SKIP],
                         ids=[t[0] for t in TARGETS if t[0] not in SKIP])
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_hostile_arguments_raise_a_named_error_or_give_a_finite_result(label, func, data):
    """Library fuzz: every public function and law constructor, then every law method."""
    args = [data.draw(VALUES, label=name) for name in _required(func)]
    result = _check(label, lambda: func(*args))
    if label in VALID_INSTANCES:
        result = VALID_INSTANCES[label]()
    if inspect.isclass(func) and result is not None:
        for name, member in _methods(result):
            if member in (property, "infinite property"):
                _check(f"{label}.{name}", lambda name=name: getattr(result, name),
                       may_be_infinite=member == "infinite property")
                continue
            margs = [data.draw(VALUES, label=f"{name}.{p}") for p in _required(member)]
            _check(f"{label}.{name}", lambda member=member, margs=margs: member(*margs),
                   may_be_infinite=getattr(member, "_may_be_infinite", False))
