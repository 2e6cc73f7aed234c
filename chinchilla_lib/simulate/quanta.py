"""Quanta with Zipf frequencies: the quantization model's loss in N and D, and Hutter's
learning curve.

The model (Michaud et al. 2023, "The Quantization Model of Neural Scaling"; their abstract:
"when quanta are learned in order of decreasing use frequency, then a power law in use
frequencies explains observed power law scaling of loss"): a prediction task splits into
discrete skills, *quanta*, the k-th used with frequency ``p_k = k^-(alpha+1) / zeta(alpha+1)``.
A model that has learned a quantum predicts the samples that need it at a loss ``L_inf``; on
the others it pays a loss ``b`` more (here ``b = 1`` nat). So the excess loss is the frequency
mass of the quanta not learned.

* **Parameters** (:func:`simulate_quanta_capacity`): a model with room for ``n`` quanta learns
  the ``n`` most frequent; its excess loss is the tail ``sum_{k>n} p_k`` (exactly, a Hurwitz
  zeta function), which falls as ``n^-alpha / (alpha zeta(alpha+1))``. With a fixed number of
  parameters per quantum, ``L(N) - L_inf`` is proportional to ``N^-alpha``.
* **Data** (:func:`simulate_quanta_data`): a quantum is learned once seen ``tau`` times in the
  ``D`` samples drawn from the Zipf distribution. Quantum k is seen about ``D p_k`` times, so
  the learned ones are those with ``k`` below about ``(D / (tau zeta(alpha+1)))^(1/(alpha+1))``,
  and the excess loss falls as ``D^-(alpha/(alpha+1))``.
* **Hutter's toy model** (:func:`hutter_expected_error`, :func:`simulate_hutter_learning_curve`;
  Hutter 2021, "Learning Curve Theory", Secs. 3 "Setup" and 4 "Expected Learning Curves"):
  features with Zipf probabilities ``theta_i`` (here proportional to ``i^-(alpha+1)``); a
  feature's label is memorised once the feature has been seen; the error after ``n`` samples
  is the probability that the next feature was never seen, whose expectation
  ``sum_i theta_i (1 - theta_i)^n`` decays as ``n^-beta``. His abstract prints
  ``beta = alpha/(1+alpha)`` "for alpha-Zipf-distributed data"; that matches this
  parameterisation (``1 - 1/s`` with ``s = alpha + 1`` the exponent of the probabilities). It
  is the data model above with ``tau = 1``: the same argument (a feature is missed while
  ``n theta_i`` is below about 1), hence the same exponent; ``tau`` only shifts the
  threshold by a constant factor, so it changes the prefactor, not the exponent.

Only the two papers' abstracts and Hutter's table of contents could be read (the bodies were
not in the reference corpus), so the exponents ``alpha`` and ``alpha/(alpha+1)`` are derived
here, in :func:`chinchilla_lib.symbolic.quanta_derivation`, not cited to the papers' equation
numbers; Hutter's ``beta = alpha/(1+alpha)`` is printed in his abstract. The exponents here
are fitted with :func:`chinchilla_lib.fitting.power.fit_power_law`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import zeta

from chinchilla_lib._validation import (
    as_finite_array,
    as_positive_array,
    check_positive_int,
    single,
)
from chinchilla_lib.fitting.power import fit_power_law
from chinchilla_lib.simulate._limits import check_count, check_seed

__all__ = [
    "MAX_QUANTA",
    "QuantaScaling",
    "hutter_expected_error",
    "quanta_tail",
    "simulate_hutter_learning_curve",
    "simulate_quanta_capacity",
    "simulate_quanta_data",
    "zipf_frequencies",
]

MAX_QUANTA = 4_000_000
"""Most quanta a simulation tracks one by one (the rest of the infinite Zipf tail is summed
exactly and counted as unlearned)."""

_ALPHA_RANGE = (0.1, 5.0)


def _check_alpha(alpha: object) -> float:
    if isinstance(alpha, bool) or not isinstance(alpha, int | float | np.integer | np.floating):
        raise TypeError(f"alpha must be a real number; got {type(alpha).__name__}")
    value = single("alpha", as_finite_array("alpha", alpha))
    low, high = _ALPHA_RANGE
    if not low <= value <= high:
        raise ValueError(f"alpha must lie in [{low}, {high}]; got {alpha!r}")
    return value


def _whole_numbers(name: str, value: ArrayLike, high: float) -> NDArray[np.float64]:
    if isinstance(value, str | bytes):
        raise TypeError(f"{name} must be a whole number or an array of them")
    array = as_finite_array(name, value)
    if np.any(array < 0) or np.any(array != np.round(array)) or np.any(array > high):
        raise ValueError(f"{name} must hold whole numbers from 0 to {high:g}")
    return array


def _check_sizes(name: str, sizes: ArrayLike, minimum: float = 1.0) -> NDArray[np.float64]:
    array = np.atleast_1d(as_positive_array(name, sizes))
    if array.ndim != 1 or array.size < 3:
        raise ValueError(f"{name} must be a 1-D sequence of at least 3 values; got shape "
                         f"{array.shape}")
    if np.any(array < minimum) or np.any(array != np.round(array)):
        raise ValueError(f"{name} must hold whole numbers >= {minimum:g}")
    if np.any(np.diff(array) <= 0):
        raise ValueError(f"{name} must be strictly increasing")
    return array


def zipf_frequencies(n_quanta: int, alpha: float) -> NDArray[np.float64]:
    """The use frequencies of the first quanta, ``p_k = k^-(alpha+1) / zeta(alpha+1)``.

    Normalised over infinitely many quanta (the quantization model, Michaud et al. 2023), so
    the returned values sum to a little less than 1: the rest is :func:`quanta_tail` of
    ``n_quanta``.

    Parameters
    ----------
    n_quanta
        How many to return (1 to ``MAX_QUANTA``).
    alpha
        The exponent alpha of the quantization model (0.1 to 5).

    Returns
    -------
    ndarray
        ``p_1 >= p_2 >= ...``, probabilities per sample.

    Examples
    --------
    >>> p = zipf_frequencies(3, 1.0)
    >>> bool(np.isclose(p[0], 6 / np.pi**2))
    True
    """
    count = check_positive_int("n_quanta", n_quanta)
    check_count("n_quanta", count, MAX_QUANTA)
    a = _check_alpha(alpha)
    return np.arange(1, count + 1, dtype=np.float64) ** -(a + 1.0) / zeta(a + 1.0)


def quanta_tail(n_learned: ArrayLike, alpha: float) -> float | NDArray[np.float64]:
    """The frequency mass of the quanta beyond the first ``n``: ``sum_{k>n} p_k``, exactly.

    ``zeta(alpha+1, n+1) / zeta(alpha+1)`` (Hurwitz zeta). It is the excess loss, in units of
    the loss ``b`` of an unlearned quantum, of a model that has learned the ``n`` most frequent
    quanta (the quantization model, Michaud et al. 2023); for large ``n`` it approaches
    ``n^-alpha / (alpha zeta(alpha+1))``.

    Parameters
    ----------
    n_learned
        Quanta learned, whole numbers from 0 to 1e15 (scalar or array).
    alpha
        The exponent alpha (0.1 to 5).

    Returns
    -------
    float or ndarray
        The tail mass, in (0, 1].

    Examples
    --------
    >>> round(float(quanta_tail(0, 1.0)), 12)
    1.0
    """
    a = _check_alpha(alpha)
    n = _whole_numbers("n_learned", n_learned, 1e15)
    result = zeta(a + 1.0, n + 1.0) / zeta(a + 1.0)
    return float(result) if np.ndim(n_learned) == 0 else result


@dataclass(frozen=True)
class QuantaScaling:
    """A simulated scaling curve of the quantization model, its fit and its prediction.

    Attributes
    ----------
    sizes
        The abscissa: quanta of capacity (proportional to parameters) or samples (tokens).
    excess_loss
        ``L - L_inf`` at each size, nats per sample (``b = 1`` nat per unlearned quantum).
    n_learned
        Quanta learned at each size (a mean over repeats for the data models).
    fitted_exponent
        Minus the slope of the log-log least-squares fit
        (:func:`~chinchilla_lib.fitting.power.fit_power_law`).
    predicted_exponent
        The theory's exponent: ``alpha`` in N, ``alpha / (alpha + 1)`` in D.
    alpha
        The model's exponent alpha.
    """

    sizes: NDArray[np.float64]
    excess_loss: NDArray[np.float64]
    n_learned: NDArray[np.float64]
    fitted_exponent: float
    predicted_exponent: float
    alpha: float


def simulate_quanta_capacity(alpha: float, capacities: ArrayLike | None = None
                             ) -> QuantaScaling:
    """The quantization model in parameters: capacity for ``n`` quanta learns the top ``n``.

    The quantization model (Michaud et al. 2023): with quanta learned in order of frequency
    and a fixed number of parameters per quantum, ``L(N) - L_inf`` is proportional to
    ``N^-alpha``. The loss here is the exact tail (:func:`quanta_tail`), so nothing is
    random; the fitted exponent differs from ``alpha`` only by the pre-asymptotic curvature
    of the Hurwitz zeta function at small ``n`` (below 0.002 for ``n`` from 100 up, alpha
    from 0.25 to 3).

    Parameters
    ----------
    alpha
        The exponent alpha (0.1 to 5).
    capacities
        Quanta the models have room for, whole numbers >= 1, increasing, at least 3 (default
        15 values from 100 to 10^6).

    Returns
    -------
    QuantaScaling

    Examples
    --------
    >>> result = simulate_quanta_capacity(0.5)
    >>> round(result.fitted_exponent, 2), result.predicted_exponent
    (0.5, 0.5)
    """
    a = _check_alpha(alpha)
    n = (np.round(np.geomspace(100, 1e6, 15)) if capacities is None
         else _check_sizes("capacities", capacities))
    loss = np.asarray(quanta_tail(n, a), dtype=np.float64)
    fit = fit_power_law(n, loss)
    return QuantaScaling(n, loss, n.copy(), -float(fit.law.exponent), a, a)


def _learned_curve(p: NDArray[np.float64], tail: float, sizes: NDArray[np.float64], tau: int,
                   repeats: int, rng: np.random.Generator
                   ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Mean unlearned mass and quanta learned at each cumulative sample count.

    Counts grow by multinomial increments, so the nested data sets of one repeat share their
    samples, as the tokens of one training run do."""
    pvals = np.append(p, tail)
    losses = np.zeros((repeats, sizes.size))
    learned = np.zeros((repeats, sizes.size))
    steps = np.diff(np.concatenate(([0.0], sizes))).astype(np.int64)
    for r in range(repeats):
        counts = np.zeros(p.size, dtype=np.int64)
        for j, step in enumerate(steps):
            counts += rng.multinomial(step, pvals)[:-1]
            known = counts >= tau
            losses[r, j] = tail + p[~known].sum()
            learned[r, j] = known.sum()
    return losses.mean(axis=0), learned.mean(axis=0)


def simulate_quanta_data(alpha: float, data_sizes: ArrayLike | None = None, *, tau: int = 1,
                         n_quanta: int = 1_000_000, repeats: int = 4, seed: int = 0
                         ) -> QuantaScaling:
    """The quantization model in data: a quantum is learned once seen ``tau`` times.

    ``D`` samples are drawn from the Zipf frequencies (:func:`zipf_frequencies`); a quantum
    seen at least ``tau`` times is learned (the data side of the quantization model, Michaud
    et al. 2023: a quantum needs a number of samples inversely proportional to its
    frequency). The excess loss, the mass of unlearned quanta, falls as
    ``D^-(alpha/(alpha+1))``. Quanta beyond the first ``n_quanta`` (K) are counted as
    unlearned: that is exact to a fraction about ``D p_K`` of them, so the default sizes keep
    ``D p_K`` below 10^-3 for alpha >= 0.5.

    The fitted exponent lands within 0.04 of the prediction for alpha from 0.5 to 2 with the
    defaults: the count threshold is a step in ``D p_k`` only asymptotically, and at the small
    end the few learned quanta make the curve pre-asymptotic; sampling noise (a mean over
    ``repeats`` runs) adds about 0.01.

    Parameters
    ----------
    alpha
        The exponent alpha (0.1 to 5).
    data_sizes
        Samples (tokens), whole numbers, increasing, at least 3 (default 13 values from
        10^3 to 10^6).
    tau
        Times a quantum must be seen to be learned (1 to 1000; 1 is Hutter's model).
    n_quanta
        Quanta tracked one by one (10 to ``MAX_QUANTA``).
    repeats
        Independent runs averaged (1 to 100).
    seed
        Seed of the samples (a whole number >= 0).

    Returns
    -------
    QuantaScaling

    Examples
    --------
    >>> result = simulate_quanta_data(1.0, seed=0)
    >>> abs(result.fitted_exponent - result.predicted_exponent) < 0.04
    True
    """
    a = _check_alpha(alpha)
    d = (np.round(np.geomspace(1e3, 1e6, 13)) if data_sizes is None
         else _check_sizes("data_sizes", data_sizes))
    t = check_positive_int("tau", tau)
    if t > 1000:
        raise ValueError(f"tau must be at most 1000; got {t}")
    k = check_positive_int("n_quanta", n_quanta, minimum=10)
    reps = check_positive_int("repeats", repeats)
    if reps > 100:
        raise ValueError(f"repeats must be at most 100; got {reps}")
    check_count("n_quanta * repeats * len(data_sizes)", k * reps * d.size, 2 * 10**8)
    check_count("the largest of data_sizes", float(d[-1]), 10**12)
    rng = np.random.default_rng(check_seed(seed))
    p = zipf_frequencies(k, a)
    tail = float(quanta_tail(k, a))
    loss, learned = _learned_curve(p, tail, d, t, reps, rng)
    fit = fit_power_law(d, loss)
    return QuantaScaling(d, loss, learned, -float(fit.law.exponent), a / (a + 1.0), a)


def hutter_expected_error(n_samples: ArrayLike, alpha: float, *, n_features: int = 1_000_000
                          ) -> float | NDArray[np.float64]:
    """Hutter's expected error after ``n`` samples, ``sum_i theta_i (1 - theta_i)^n``.

    The toy model of Hutter 2021 (Secs. 3 and 4; the expectation is derived here, not read):
    a feature's label is memorised once seen, so
    the error is the probability that the next sample's feature has never been seen. The first
    ``n_features`` terms are summed; the rest of the Zipf tail, ``theta_i < theta_K``, is
    counted as never seen (error at most ``n`` times the sum of their squares too low).

    Parameters
    ----------
    n_samples
        Samples seen, whole numbers >= 0 (scalar or array).
    alpha
        The exponent alpha, ``theta_i`` proportional to ``i^-(alpha+1)`` (0.1 to 5).
    n_features
        Features summed term by term (10 to ``MAX_QUANTA``).

    Returns
    -------
    float or ndarray
        The expected error (a probability).

    Examples
    --------
    >>> round(float(hutter_expected_error(0, 1.0)), 12)
    1.0
    """
    a = _check_alpha(alpha)
    k = check_positive_int("n_features", n_features, minimum=10)
    n = _whole_numbers("n_samples", n_samples, 1e15)
    check_count("n_features * n_samples.size", k * max(n.size, 1), 10**8)
    theta = zipf_frequencies(k, a)
    tail = float(quanta_tail(k, a))
    flat = n.reshape(-1)
    log_miss = np.log1p(-theta)
    values = np.array([float(theta @ np.exp(m * log_miss)) + tail for m in flat])
    return float(values[0]) if np.ndim(n_samples) == 0 else values.reshape(n.shape)


def simulate_hutter_learning_curve(alpha: float, sample_sizes: ArrayLike | None = None, *,
                                   n_features: int = 1_000_000, repeats: int = 4,
                                   seed: int = 0) -> QuantaScaling:
    """Hutter's toy model simulated: features memorised once seen (the data model, tau = 1).

    The fitted exponent of the mean error is set beside Hutter's ``beta = alpha/(1+alpha)``
    (Hutter 2021, abstract), the same number as Michaud et al.'s data exponent:
    within 0.04 for alpha from 0.5 to 2 with the defaults (see :func:`simulate_quanta_data`).

    Parameters
    ----------
    alpha, sample_sizes, n_features, repeats, seed
        As ``alpha``, ``data_sizes``, ``n_quanta``, ``repeats`` and ``seed`` of
        :func:`simulate_quanta_data`.

    Returns
    -------
    QuantaScaling
        ``excess_loss`` is the error (probability the next sample's feature is unseen).

    Examples
    --------
    >>> result = simulate_hutter_learning_curve(1.0)
    >>> result.predicted_exponent
    0.5
    """
    return simulate_quanta_data(alpha, sample_sizes, tau=1, n_quanta=n_features,
                                repeats=repeats, seed=seed)
