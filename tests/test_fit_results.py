"""The fit-result contract: every fit returns the same protocol (law, estimates, samples by
name, one ``interval`` signature, solver status), checked on every fit function."""

from __future__ import annotations

import dataclasses
import inspect

import numpy as np
import pytest

from chinchilla_lib import registry
from chinchilla_lib.fitting._result import FitResult, Interval, percentile_interval
from chinchilla_lib.fitting.approach3 import (
    fit_approach3,
    fit_approach3_likelihood,
    fit_approach3_scipy,
)
from chinchilla_lib.fitting.approaches12 import fit_approach1, fit_approach2
from chinchilla_lib.fitting.bnsl import fit_bnsl, fit_bnsl_auto
from chinchilla_lib.fitting.densing import fit_densing_law
from chinchilla_lib.fitting.power import fit_power_law, fit_saturating_power_law
from chinchilla_lib.fitting.sampling import fit_coverage_law
from chinchilla_lib.fitting.sigmoid import fit_sigmoid
from chinchilla_lib.laws.bnsl import Break, BrokenPowerLaw
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.laws.power import PowerLaw, SaturatingPowerLaw
from chinchilla_lib.laws.sampling import CoverageLaw
from chinchilla_lib.laws.sigmoid import SigmoidInLogX
from chinchilla_lib.simulate.runs import (
    noisy_samples,
    simulate_isoflop_runs,
    simulate_training_curves,
)

TRUTH = ChinchillaLaw.from_registry("besiroglu2024/refit")
X = np.geomspace(1e6, 1e10, 30)
ISO = simulate_isoflop_runs(TRUTH, registry.HOFFMANN_ISOFLOP_BUDGETS, noise=0.01, seed=1)
BNSL = BrokenPowerLaw(0.4, 2.3, 0.055, (Break(5.7, 612.8, 0.06),))
X_BNSL = np.geomspace(100, 1000, 20)
START = np.array([6.0, 7.5, 0.6, 0.35, 0.37])
K = np.geomspace(1, 1e4, 20)


def _bnsl_y():
    return BNSL(X_BNSL) * np.exp(np.random.default_rng(0).normal(0, 0.002, X_BNSL.size))


# Each entry: a fit with a bootstrap (where the fit offers one) and one without.
FITS = {
    "power law, log": lambda boot: fit_power_law(
        X, noisy_samples(PowerLaw(10.0, -0.1), X, 0.02, seed=1), bootstrap=boot, seed=1),
    "power law, linear": lambda boot: fit_power_law(
        X, noisy_samples(PowerLaw(10.0, -0.1), X, 0.02, seed=1), method="linear",
        bootstrap=boot, seed=1),
    "saturating power law": lambda boot: fit_saturating_power_law(
        X, noisy_samples(SaturatingPowerLaw(1.7, 400.0, -0.3), X, 0.01, seed=1),
        bootstrap=boot, seed=1),
    "approach 1": lambda boot: fit_approach1(
        simulate_training_curves(TRUTH, np.geomspace(7e7, 1.6e10, 12), noise=0.01, seed=1),
        points=200, bootstrap=boot, seed=1),
    "approach 2": lambda boot: fit_approach2(ISO, bootstrap=boot, seed=1),
    "approach 3": lambda boot: fit_approach3(ISO.runs, bootstrap=boot, seed=1),
    "approach 3, scipy": lambda boot: fit_approach3_scipy(ISO.runs, START, objective_scale=1e3),
    "approach 3, likelihood": lambda boot: fit_approach3_likelihood(ISO.runs),
    "broken power law": lambda boot: fit_bnsl(X_BNSL, _bnsl_y(), bootstrap=boot // 4, seed=1),
    "broken power law, auto": lambda boot: fit_bnsl_auto(X_BNSL, _bnsl_y(), max_breaks=1),
    "sigmoid": lambda boot: fit_sigmoid(np.geomspace(1e19, 1e25, 12),
                                        SigmoidInLogX(0.25, 0.9, 1e22, 1.5)(
                                            np.geomspace(1e19, 1e25, 12)), floor=0.25),
    "densing": lambda boot: fit_densing_law(np.array([0.0, 100.0, 200.0, 300.0]),
                                            np.exp(0.007 * np.array([0.0, 100.0, 200.0, 300.0]))),
    "coverage": lambda boot: fit_coverage_law(
        K, CoverageLaw(-2.0, -0.4)(K) ** noisy_samples(PowerLaw(1.0, 0.0), K, 0.05, seed=1),
        bootstrap=boot, seed=1),
}
BOOTSTRAPPED = {"power law, log", "power law, linear", "saturating power law", "approach 1",
                "approach 2", "approach 3", "broken power law", "coverage"}


@pytest.fixture(scope="module")
def made():
    return {name: make(80 if name in BOOTSTRAPPED else 0) for name, make in FITS.items()}


@pytest.mark.parametrize("name", list(FITS))
def test_fit_result_contract(made, name):
    fit = made[name]
    assert isinstance(fit, FitResult)
    assert dataclasses.is_dataclass(fit)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fit.law = None
    # The fitted law is immutable and evaluates (a call, or loss(N, D) for a law in N and D).
    assert callable(fit.law) or callable(fit.law.loss)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(fit.law, dataclasses.fields(fit.law)[0].name, 1.0)
    # Solver status, as SciPy's OptimizeResult gives it.
    assert fit.converged is True
    assert isinstance(fit.n_iter, int) and fit.n_iter >= 0
    assert isinstance(fit.message, str) and fit.message
    # One interval signature, inherited, never overridden.
    assert type(fit).interval is FitResult.interval
    assert inspect.signature(FitResult.interval).parameters["level"].default == 0.95
    estimates = fit.estimates
    assert estimates and all(np.isfinite(v) for v in estimates.values())
    if name in BOOTSTRAPPED:
        assert set(fit.samples) == set(estimates)
        for key, values in fit.samples.items():
            interval = fit.interval(key)
            assert isinstance(interval, Interval)
            assert interval.level == 0.95 and interval.estimate == estimates[key]
            assert interval.low <= interval.high
            inner = fit.interval(key, 0.5)
            assert interval.low <= inner.low <= inner.high <= interval.high
            assert not values.flags.writeable
        with pytest.raises(TypeError):
            fit.samples["extra"] = np.zeros(3)
    else:
        assert len(fit.samples) == 0
        first = next(iter(estimates))
        with pytest.raises(ValueError, match=f"interval of '{first}' needs bootstrap samples"):
            fit.interval(first)
    with pytest.raises(ValueError, match=r"name must be one of \[.*\]; got 'nonsense'"):
        fit.interval("nonsense")


@pytest.mark.parametrize("name", sorted(BOOTSTRAPPED))
def test_interval_level_is_checked(made, name):
    fit = made[name]
    for bad in (0.0, 1.0, 1.5, -0.1):
        with pytest.raises(ValueError, match="level must lie in"):
            fit.interval(next(iter(fit.estimates)), bad)


def test_every_fit_function_is_in_the_contract(made):
    """A fit_* function returning a new result type must join FITS above."""
    import chinchilla_lib.fitting.approach3 as a3
    import chinchilla_lib.fitting.approaches12 as a12
    import chinchilla_lib.fitting.bnsl as bnsl
    import chinchilla_lib.fitting.densing as densing
    import chinchilla_lib.fitting.power as power
    import chinchilla_lib.fitting.sampling as sampling
    import chinchilla_lib.fitting.sigmoid as sigmoid

    returned = set()
    for module in (a3, a12, bnsl, densing, power, sampling, sigmoid):
        for public in module.__all__:
            function = getattr(module, public)
            if public.startswith("fit_") and callable(function):
                returned.add(inspect.signature(function).return_annotation)
    covered = {type(fit).__name__ for fit in made.values()}
    not_results = {"tuple[Array, float]", "ReferenceFamily"}  # the plain loop; a law
    assert returned - not_results <= covered


def test_percentile_interval_is_the_one_helper():
    values = np.array([np.nan, *np.arange(11.0), np.inf])
    interval = percentile_interval(values, 0.8, 5.0)
    assert (interval.low, interval.high) == pytest.approx((1.0, 9.0))
    assert interval.contains(5.0) and not interval.contains(9.5)
    assert interval.width == pytest.approx(8.0)
    with pytest.raises(ValueError, match="no finite replicate"):
        percentile_interval([np.nan], 0.9, 0.0, name="alpha")
    with pytest.raises(ValueError, match="level"):
        percentile_interval(values, 95, 0.0)


def test_densing_fit_from_a_table_keeps_the_status():
    from chinchilla_lib.fitting.densing import ModelDensities, fit_model_densities

    table = ModelDensities(("a", "b", "c"), np.array([0.0, 100.0, 200.0]),
                           np.array([1.0, np.nan, 4.0]), np.array([True, False, True]))
    fit = fit_model_densities(table)
    assert fit.used.tolist() == [True, False, True]
    assert fit.converged and fit.n_iter == 0 and "closed form" in fit.message
