"""Fuzz suite for the library's public functions and laws (issue 16, the review's library rows).

Every public callable of ``quantities``, ``metrics`` and ``laws`` (found through the packages'
``__all__``, so a new one is fuzzed without being listed here) is called with arguments drawn
from hostile values: 0, negative numbers, NaN, infinities, None, bools, complex numbers, integers
beyond float range, subnormal and huge floats, empty and ragged arrays, text. Each call must
either raise ValueError/TypeError with a message of the library's own (not NumPy's or Python's
internals), or return a finite result without a warning. A law that constructs is then called
through each of its public methods and properties with the same values, so a constructor that
lets a bad field through fails here too. The public callables of ``simulate`` and ``fitting``
(below) take structured arguments, so each argument is drawn valid or hostile.

Review rows covered: "integers beyond float range", "library: complex arrays, lists of bools",
"library: finite but extreme inputs", "library: ChinchillaLaw(b=5e-324) and similar",
"library: BrokenPowerLaw(breaks=[None])", "library: None where a number is expected",
"library: about 44 messages that leak NumPy/SciPy text", and for simulate and fitting also
"fit --bootstrap 1e9 ... MemoryError traceback" (every size argument is bounded).
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
    "laws.HyperparameterRecommendation": "a record hyperparameter_table builds",
    "laws.HyperparameterTable": "a record hyperparameter_table builds",
    "metrics.rmsle": "takes a law (a callable)",
    "laws.logistic": "the model function curve_fit calls in the inner loop of the sigmoid fits, "
                     "on arrays the fitting module has checked; unchecked for speed",
    "laws.check_epochs": "warns (ExtrapolationWarning) by design on large values, which this "
                         "fuzz turns into errors; its hostile inputs are tested in "
                         "tests/test_plan_cost_issue20.py",
    "laws.check_flops_range": "warns (ExtrapolationWarning) by design beyond the range, which "
                              "this fuzz turns into errors; its hostile inputs are tested in "
                              "tests/test_plan_cost_issue20.py",
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


# --- simulate and fitting ---------------------------------------------------------------------
#
# Their arguments are mostly structured (a law, runs, a sweep's arrays), so each argument is drawn
# either from valid values of its kind (by parameter name, below) or from the hostile values; an
# optional argument keeps its default unless the draw overrides it with a hostile value. A call
# with every argument valid must then give a finite result; one with a hostile argument must
# raise ValueError/TypeError in the library's words, or give a finite result. Review rows
# covered: as above, and "fit --bootstrap 1e9 ... MemoryError" (size arguments are bounded).

from chinchilla_lib import fitting, simulate  # noqa: E402
from chinchilla_lib.fitting import DegenerateDataWarning  # noqa: E402


def _valid_pool() -> dict[str, list[object]]:
    law = laws.ChinchillaLaw.from_registry("hoffmann2022/approach3")
    iso = simulate.simulate_isoflop_runs(law, [1e19, 1e20, 1e21], noise=0.01, seed=1)
    curves = simulate.simulate_training_curves(law, np.geomspace(7e7, 1.6e10, 4),
                                               checkpoints=8, seed=1)
    x = np.geomspace(1.0, 1e4, 8)
    return {
        "law": [law, laws.PowerLaw(3.0, -0.3), laws.SaturatingPowerLaw(1.7, 400.0, -0.3)],
        "token_loss": [laws.PowerLaw(1e9**0.1, -0.1)],
        "loss_law": [law],
        "runs": [iso, iso.runs], "isoflop": [iso], "curves": [curves],
        "x": [x], "y": [3.0 * x**-0.3 * np.exp(0.02 * np.sin(x))],
        "k": [x], "coverage": [np.linspace(0.1, 0.8, 8)], "accuracy": [np.linspace(0.1, 0.9, 8)],
        "days": [np.arange(8.0) * 100.0], "densities": [np.geomspace(1.0, 10.0, 8)],
        "values": [np.array([1.0, 2.0, 3.0])], "noise": [0.01], "seed": [0],
        "budgets": [[1e19, 1e20, 1e21]], "flops_range": [(1e18, 1e20)],
        "parameters": [[1e8, 1e9]], "model_sizes": [[1e8, 1e9]],
        "alpha_total": [2.0], "alpha_kept": [[1.0, 2.0]], "keep": [[1.0, 0.5]],
        "start": [np.array([0.5, 6.0, 7.0, 0.3, 0.3])], "approach": ["2", "3", 2, 3],
        "sweep": [fitting.Sweep(iso.runs, iso.budget)], "held_out": [3, 12],
        "fit": [fitting.fit_sweep(fitting.Sweep(iso.runs, iso.budget), 2, bootstrap=5)],
        "flops": [1e22, np.array([1e18, 1e19])],
        "n_breaks": [1], "estimate": [0.5], "level": [0.9],
        "log_x": [np.log(x)], "log_y": [np.log(3.0 * x**-0.3)],
        "batch": [x], "steps": [50.0 * (1.0 + 30.0 / x)],
        "curvatures": [1.0 / np.arange(1.0, 11.0)], "initial_sq": [1.0, np.ones(10)],
    }


VALID = _valid_pool()
#: Keyword arguments that make a valid call quick (the fuzz otherwise keeps the defaults).
QUICK = {
    "fitting.fit_approach3_loop": {"starts": np.array([[0.5, 6.0, 7.0, 0.3, 0.3]])},
    "fitting.fit_approach3": {"starts": np.array([[0.5, 6.0, 7.0, 0.3, 0.3]])},
    "simulate.approach2_calibration": {"repeats": 2, "noise": 0.01, "bootstrap": 3},
    "simulate.pruning_sweep": {"dims": 10, "repeats": 1},
    "simulate.simulate_pruning": {"dims": 10, "repeats": 1},
    "simulate.simulate_benchmark": {"answer_tokens": 3, "questions": 50},
    "simulate.manifold_scaling": {"test_points": 500},
    "simulate.variance_limited_data": {"repeats": 5},
    "simulate.variance_limited_width": {"repeats": 5},
    "simulate.simulate_random_features": {"latent_dim": 50, "repeats": 1},
    "simulate.interpolation_break": {"latent_dim": 50, "repeats": 1},
    "simulate.random_feature_exponents": {"latent_dim": 50, "repeats": 1, "large": 200},
    "simulate.floor_study": {"repeats": 2},
    "fitting.starts_study": {"starts": np.array([[0.5, 6.0, 7.0, 0.3, 0.3]])},
}
#: Public callables of simulate and fitting left out, each with its reason.
SKIP_STRUCTURED = {
    "fitting.FitResult": "the base of the fit records, built by the fitters",
    "fitting.BatchTradeoffFit": "a record fit_batch_tradeoff builds",
    "simulate.BatchSizeStudy": "a record batch_size_study builds",
    "simulate.ScalingCurve": "a record manifold_scaling and variance_limited_data build",
    "simulate.BlockEntropyEstimate": "a record monte_carlo_block_entropy builds",
    "simulate.QuantaScaling": "a record the quanta simulators build",
    "simulate.RandomFeatureCurves": "a record simulate_random_features builds",
    "simulate.RandomFeatureExponents": "a record random_feature_exponents builds",
    "simulate.InterpolationBreak": "a record interpolation_break builds",
    "fitting.AnnealingFit": "a record fit_annealing_law builds",
    "fitting.CurveErrors": "a record curve_errors builds",
    "fitting.Approach3Fit": "a record fit_approach3 builds",
    "fitting.LikelihoodFit": "a record fit_approach3_likelihood builds",
    "fitting.ScipyFit": "a record fit_approach3_scipy builds",
    "fitting.BnslFit": "a record fit_bnsl builds",
    "fitting.CoverageFit": "a record fit_coverage_law builds",
    "fitting.DensingFit": "a record fit_densing_law builds",
    "fitting.FrontierFit": "a record fit_approach1/2 build",
    "fitting.IsoFlopLawFit": "a record fit_isoflop_law builds",
    "fitting.StartsStudy": "a record starts_study builds",
    "simulate.Approach2Bias": "a record approach2_bias builds",
    "simulate.FloorStudy": "a record floor_study builds",
    "fitting.PowerLawFit": "a record fit_power_law builds",
    "fitting.SigmoidFit": "a record fit_sigmoid builds",
    "fitting.GopherUnitRow": "a record gopher_unit_column builds from the registry",
    "fitting.ModelDensities": "a record model_densities builds",
    "fitting.DegenerateDataWarning": "a warning category",
    "fitting.model_densities": "takes registry records (BenchmarkResult) and a date",
    "fitting.reference_family_from_models": "takes registry records (BenchmarkResult)",
    "fitting.read_runs_csv": "reads a file: fuzzed with random files in test_fuzz_cli.py",
    "fitting.read_sweep_csv": "reads a file: fuzzed with random files in test_fuzz_cli.py",
    "fitting.ApproachFit": "a record fit_sweep builds",
    "fitting.Decision": "a record decide builds",
    "fitting.Holdout": "a record holdout builds",
    "fitting.HoldoutRun": "a record holdout builds",
    "fitting.read_authors_points": "reads a file: fuzzed with random files in test_fuzz_cli.py",
    "fitting.huber_objective": "the objective fit_approach3 minimises, on arrays it has checked; "
                               "unchecked for speed",
}


def _structured_callables() -> list[tuple[str, object]]:
    found = []
    for package in (simulate, fitting):
        short = package.__name__.rsplit(".", 1)[-1]
        for name in package.__all__:
            obj = getattr(package, name)
            if callable(obj) and not (inspect.isclass(obj) and issubclass(obj, Warning | dict)):
                found.append((f"{short}.{name}", obj))
    return found


STRUCTURED = _structured_callables()
HOSTILE_VALUES = st.sampled_from(HOSTILE)


def test_every_simulate_and_fitting_callable_is_fuzzed_or_skipped_with_a_reason():
    """The skip-list names only callables that exist, so it cannot hide a new one by accident."""
    names = {label for label, _ in STRUCTURED}
    assert set(SKIP_STRUCTURED) <= names | {"fitting.DegenerateDataWarning"}
    assert set(QUICK) <= names
    assert len(names - set(SKIP_STRUCTURED)) > 35


def _parameters(func) -> list[inspect.Parameter]:
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):
        return []
    return [p for p in signature.parameters.values() if p.name not in ("self", "cls")
            and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


@pytest.mark.parametrize("label,func", [t for t in STRUCTURED if t[0] not in SKIP_STRUCTURED],
                         ids=[t[0] for t in STRUCTURED if t[0] not in SKIP_STRUCTURED])
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_simulate_and_fitting_hostile_arguments_raise_a_named_error_or_give_a_finite_result(
        label, func, data):
    """Library fuzz of simulate and fitting: required arguments valid or hostile, and at most
    one optional argument overridden with a hostile value."""
    quick = QUICK.get(label, {})
    params = _parameters(func)
    optional = [p.name for p in params if p.default is not p.empty]
    hostile_option = data.draw(st.sampled_from([None, *optional]) if optional else st.none(),
                               label="hostile option")
    args, kwargs = [], {}
    for p in params:
        if p.name == hostile_option:
            value = data.draw(HOSTILE_VALUES, label=p.name)
        elif p.default is not p.empty:
            if p.name not in quick:
                continue
            value = quick[p.name]
        elif p.name in VALID:
            value = data.draw(st.one_of(st.sampled_from(VALID[p.name]), VALUES), label=p.name)
        elif p.name in quick:
            value = quick[p.name]
        else:
            value = data.draw(VALUES, label=p.name)
        if p.kind == p.POSITIONAL_ONLY or (p.kind == p.POSITIONAL_OR_KEYWORD
                                           and p.default is p.empty):
            args.append(value)
        else:
            kwargs[p.name] = value
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        _check(label, lambda: func(*args, **kwargs))
