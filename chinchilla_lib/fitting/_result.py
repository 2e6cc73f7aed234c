"""What every fit returns: the law, bootstrap samples by name, intervals and solver status.

Every fit of a law to data in :mod:`chinchilla_lib.fitting` (power laws, Approaches 1 to 3,
broken power laws, sigmoids, the densing law) returns a frozen dataclass built on
:class:`FitResult`, so that all fits answer the same questions the same way (as SciPy's
``OptimizeResult`` reports a solver's status, and statsmodels' ``conf_int`` an interval):

* ``law``: the fitted law, an immutable callable;
* ``estimates``: each named parameter's point estimate;
* ``samples``: bootstrap (or resampling) replicates of the same names, empty without a
  bootstrap;
* ``interval(name, level=DEFAULT_LEVEL)`` (0.95): a percentile interval from those samples, an
  :class:`Interval`;
* ``converged``, ``n_iter``, ``message``: whether the solver met its stopping test, after how
  many iterations, and in its words. Closed-form fits are converged after 0 iterations and say
  so.

A few functions return a law or numbers instead: ``fit_projection_rows``,
``fit_reference_family`` and ``fit_approach3_loop`` (the plain loop kept for the benchmark).

Examples
--------
Approach 2 (closed form) and Approach 3 (an iterative solver) on one simulated IsoFLOP design
answer the same calls:

>>> from chinchilla_lib.fitting import fit_approach2, fit_approach3
>>> from chinchilla_lib.laws import ChinchillaLaw
>>> from chinchilla_lib.simulate import simulate_isoflop_runs
>>> truth = ChinchillaLaw.from_registry("besiroglu2024/refit")
>>> iso = simulate_isoflop_runs(truth, [1e18, 1e19, 1e20, 1e21], noise=0.01, seed=0)
>>> for fit in (fit_approach2(iso, bootstrap=200, seed=0),
...             fit_approach3(iso, bootstrap=200, seed=0)):
...     a = fit.interval("optimal_params_exponent", level=0.8)
...     replicates = fit.samples["optimal_params_exponent"].size
...     print(f"{type(fit).__name__}: a = {a.estimate:.3f}, 80% interval "
...           f"[{a.low:.3f}, {a.high:.3f}] from {replicates} replicates; "
...           f"converged: {fit.converged}")
FrontierFit: a = 0.503, 80% interval [0.486, 0.523] from 200 replicates; converged: True
Approach3Fit: a = 0.492, 80% interval [0.484, 0.533] from 200 replicates; converged: True
>>> print(f"truth: a = {truth.optimal_params_exponent:.3f}")
truth: a = 0.513

Each fit names its own parameters; without a bootstrap there are no replicates, and an
interval says so:

>>> fit = fit_approach3(iso)
>>> list(fit.estimates)
['E', 'A', 'B', 'alpha', 'beta', 'optimal_params_exponent', 'optimal_tokens_exponent']
>>> len(fit.samples), fit.converged, fit.n_iter > 0
(0, True, True)
>>> fit.interval("alpha")
Traceback (most recent call last):
...
ValueError: interval of 'alpha' needs bootstrap samples: fit with bootstrap > 0
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from chinchilla_lib._validation import (
    _as_float_array,
    as_finite_array,
    check_fraction,
    check_instance,
    check_positive_int,
    single,
)

__all__ = ["CLOSED_FORM", "DEFAULT_LEVEL", "MAX_BOOTSTRAP", "DegenerateDataWarning", "FitResult",
           "Interval",
           "percentile_interval"]

CLOSED_FORM = "closed form: ordinary least squares, no iterations"
"""The ``message`` of a fit solved in closed form."""

DEFAULT_LEVEL = 0.95
"""The one default coverage of an interval, everywhere in the library and the command line
(``FitResult.interval``, ``fit``, ``plan --fit``, ``design``): a 95% interval unless a level is
asked for. (Hoffmann et al.'s Table 2 prints 10th to 90th percentiles, an 80% interval; the
chapters that compare with it ask for 0.8 by name.)"""

MAX_BOOTSTRAP = 10_000
"""Most bootstrap resamples one fit takes (the library's fitters and ``fit --bootstrap``
alike): more would not sharpen a percentile interval that matters, and the resample indices
alone take resamples times runs integers."""


def check_bootstrap(bootstrap: object) -> int:
    """Return ``bootstrap`` as an int, checking it is a whole number in [0, MAX_BOOTSTRAP]."""
    count = check_positive_int("bootstrap", bootstrap, minimum=0)
    if count > MAX_BOOTSTRAP:
        raise ValueError(f"bootstrap must be a whole number in [0, {MAX_BOOTSTRAP:,}]; "
                         f"got {count:,}")
    return count


class DegenerateDataWarning(UserWarning):
    """The data do not pin down every parameter of a fit: the fit ran, but some estimates (and
    their intervals) say more than the data do.

    A fitter that warns with this category names the parameters and why, and lists them in its
    result's ``undetermined``. Turn it into an error with
    ``warnings.simplefilter("error", DegenerateDataWarning)``.
    """


@dataclass(frozen=True)
class Interval:
    """A point estimate with a two-sided interval.

    Attributes
    ----------
    estimate
        The fit's value of the parameter.
    low, high
        The interval's ends.
    level
        Its nominal coverage, in (0, 1): 0.95 for a 95% interval.

    Examples
    --------
    >>> interval = Interval(estimate=0.5, low=0.45, high=0.56, level=0.95)
    >>> interval.contains(0.55), round(interval.width, 2)
    (True, 0.11)
    """

    estimate: float
    low: float
    high: float
    level: float

    def __post_init__(self) -> None:
        for name in ("estimate", "low", "high"):
            object.__setattr__(self, name, single(name, as_finite_array(name, getattr(self, name))))
        if not self.low <= self.high:
            raise ValueError(f"low must be <= high; got low={self.low!r}, high={self.high!r}")
        object.__setattr__(self, "level",
                           single("level", check_fraction("level", self.level, allow_one=False)))

    def contains(self, value: float) -> bool:
        """True if ``value`` lies within [low, high]."""
        return self.low <= value <= self.high

    @property
    def width(self) -> float:
        """high - low."""
        return self.high - self.low


def percentile_interval(values: ArrayLike, level: float, estimate: float,
                        name: str = "values") -> Interval:
    """The central percentile interval of replicates: the (1 - level)/2 and (1 + level)/2
    quantiles of the finite values (non-finite replicates, failed refits, are left out).

    Parameters
    ----------
    values
        Replicates of one parameter.
    level
        Coverage, in (0, 1).
    estimate
        The point estimate to report with the interval.
    name
        The parameter's name, for error messages.

    Raises
    ------
    ValueError
        If ``level`` is outside (0, 1) or no replicate is finite.

    Examples
    --------
    >>> import numpy as np
    >>> interval = percentile_interval(np.arange(101.0), 0.9, 50.0)
    >>> print(f"{interval.low:.1f} to {interval.high:.1f}, {interval.level:.0%} interval")
    5.0 to 95.0, 90% interval
    """
    check_instance("name", name, str)
    level = single("level", check_fraction("level", level, allow_one=False))
    data = _as_float_array(name, values).ravel()
    data = data[np.isfinite(data)]
    if data.size == 0:
        raise ValueError(f"{name} has no finite replicate to take an interval from")
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(data, [tail, 1.0 - tail])
    return Interval(float(estimate), float(low), float(high), level)


class _Samples(Mapping[str, NDArray[np.float64]]):
    """A read-only mapping of names to read-only arrays (picklable, unlike a mappingproxy)."""

    def __init__(self, samples: Mapping[str, ArrayLike]) -> None:
        self._data: dict[str, NDArray[np.float64]] = {}
        for key, value in samples.items():
            array = np.array(value, dtype=float)
            array.flags.writeable = False
            self._data[str(key)] = array

    def __getitem__(self, key: str) -> NDArray[np.float64]:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return "{" + ", ".join(f"{k!r}: <{v.size} samples>" for k, v in self._data.items()) + "}"


@dataclass(frozen=True, kw_only=True)
class FitResult:
    """The fields and methods every fit result shares (subclasses add ``law`` and their own
    fields, and define :attr:`estimates`).

    Attributes
    ----------
    samples
        Replicates of each named parameter, from a bootstrap or other resampling; an empty
        mapping when there was none. Read-only.
    converged
        Whether the solver met its stopping test (True for closed-form fits).
    n_iter
        Iterations the solver took (0 for closed-form fits).
    message
        Why the solver stopped, in its words (or how the fit was solved).
    undetermined
        The parameters the data do not pin down, each with the reason (a parameter at the
        bound of its range, data over too narrow a range, a standard error as large as the
        estimate); empty when every parameter is determined. A fit that fills it also warns
        with :class:`DegenerateDataWarning`.

    Examples
    --------
    A power-law fit with a bootstrap; every other fit answers the same calls:

    >>> import numpy as np
    >>> from chinchilla_lib.fitting.power import fit_power_law
    >>> x = np.geomspace(1e6, 1e9, 12)
    >>> y = 3.0 * x ** -0.07 * np.exp(np.random.default_rng(0).normal(0, 0.01, x.size))
    >>> fit = fit_power_law(x, y, bootstrap=500, seed=0)
    >>> fit.converged, fit.n_iter, fit.message
    (True, 0, 'closed form: ordinary least squares, no iterations')
    >>> list(fit.samples), len(fit.samples["exponent"])
    (['exponent', 'coefficient'], 500)
    >>> interval = fit.interval("exponent")
    >>> print(f"{interval.estimate:.3f}, {interval.level:.0%} interval "
    ...       f"[{interval.low:.3f}, {interval.high:.3f}]")
    -0.071, 95% interval [-0.073, -0.069]
    >>> fit.interval("slope")
    Traceback (most recent call last):
    ...
    ValueError: name must be one of ['coefficient', 'exponent']; got 'slope'
    """

    samples: Mapping[str, NDArray[np.float64]] = field(default_factory=dict, repr=False)
    converged: bool = True
    n_iter: int = 0
    message: str = CLOSED_FORM
    undetermined: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "samples", _Samples(self.samples))
        object.__setattr__(self, "undetermined",
                           {str(k): str(v) for k, v in self.undetermined.items()})
        object.__setattr__(self, "converged", bool(self.converged))
        object.__setattr__(self, "n_iter", int(self.n_iter))
        object.__setattr__(self, "message", str(self.message))

    @property
    def estimates(self) -> dict[str, float]:
        """The point estimate of each named parameter (the names ``interval`` accepts)."""
        raise NotImplementedError

    def interval(self, name: str, level: float = DEFAULT_LEVEL) -> Interval:
        """Percentile interval of a parameter over the replicates in ``samples``.

        Parameters
        ----------
        name
            One of the names in :attr:`estimates`.
        level
            Coverage in (0, 1); :data:`DEFAULT_LEVEL` (0.95) by default, for every fit.

        Returns
        -------
        Interval

        Raises
        ------
        ValueError
            If ``name`` is not a parameter of this fit, or the fit was made without a
            bootstrap (``samples`` is empty).
        """
        estimates = self.estimates
        if name not in estimates:
            raise ValueError(f"name must be one of {list(estimates)}; got {name!r}")
        if name not in self.samples:
            raise ValueError(f"interval of {name!r} needs bootstrap samples: fit with "
                             "bootstrap > 0")
        return percentile_interval(self.samples[name], level, estimates[name], name)
