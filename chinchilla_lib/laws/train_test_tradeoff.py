"""Trading train-time compute for test-time compute at equal strength.

An iso-performance frontier in the form Jones (2021) fitted on Hex,

    log10(test compute) = train_exponent * log10(train compute) + elo_coefficient * Elo
                          + intercept,

says how much search at play time a model needs to reach a given strength, given how much
compute trained it. At fixed Elo, ten times more training compute buys a factor of
10^(-train_exponent) less test-time compute, until the test-time compute reaches its floor
(the cost of playing at all), below which no amount of training can take it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from chinchilla_lib import registry
from chinchilla_lib._validation import (
    FloatOrArray,
    as_finite_array,
    as_positive_array,
    check_broadcast,
    checks_overflow,
    checks_overflow_methods,
    scalar_or_array,
    single,
)

__all__ = ["IsoStrengthFrontier", "best_of_n_inference_ratio", "compute_multiplier_for_elo",
           "elo_per_doubling", "flops_matched_inference_multiplier"]


@checks_overflow_methods
@dataclass(frozen=True)
class IsoStrengthFrontier:
    """Test-time compute needed for a given strength, as a function of training compute.

    Attributes
    ----------
    train_exponent
        d log10(test compute) / d log10(train compute) at fixed strength (< 0: training
        substitutes for search).
    elo_coefficient
        Decades of test-time compute per Elo point at fixed training compute (> 0).
    intercept
        log10 of test-time compute at train compute 1 and Elo 0 (in the units of the fit).
    test_floor
        Least test-time compute that can be spent (> 0; same unit as test-time compute);
        ``None`` for no floor.
    """

    train_exponent: float
    elo_coefficient: float
    intercept: float
    test_floor: float | None = None

    def __post_init__(self) -> None:
        exponent = single("train_exponent", as_finite_array("train_exponent", self.train_exponent))
        if exponent >= 0:
            raise ValueError(f"train_exponent must be < 0; got {exponent!r}")
        object.__setattr__(self, "train_exponent", exponent)
        object.__setattr__(self, "elo_coefficient",
                           single("elo_coefficient",
                                  as_positive_array("elo_coefficient", self.elo_coefficient)))
        object.__setattr__(self, "intercept", single("intercept",
                                                     as_finite_array("intercept", self.intercept)))
        if self.test_floor is not None:
            object.__setattr__(self, "test_floor",
                               single("test_floor",
                                      as_positive_array("test_floor", self.test_floor)))

    @classmethod
    def from_registry(cls, name: str) -> IsoStrengthFrontier:
        """A published iso-strength frontier from the registry (the family
        ``ISO_STRENGTH``): Jones (2021)'s on the 9x9 Hex board is ``"jones2021/hex"`` (compute
        in FLOPs, Elo against perfect play, so <= 0). The paper's floor, a single-node tree
        search, depends on the network's size, so it is not set here.

        Raises
        ------
        ValueError
            If ``name`` is not a fit of that family; the message lists those there are.
        """
        entry = registry.fit(name, family=registry.LawFamily.ISO_STRENGTH)
        return cls(entry["m"], entry["k"], entry["c"])

    def test_compute(self, train_compute: ArrayLike, elo: ArrayLike) -> FloatOrArray:
        """Test-time compute for strength ``elo`` after ``train_compute`` (vectorised).

        Where the frontier falls below the floor, the floor is returned: the strength is then
        reached at the least test-time compute there is.
        """
        train = as_positive_array("train_compute", train_compute)
        strength = as_finite_array("elo", elo)
        log_test = (self.train_exponent * np.log10(train) + self.elo_coefficient * strength
                    + self.intercept)
        test = 10.0**log_test
        if self.test_floor is not None:
            test = np.maximum(test, self.test_floor)
        return scalar_or_array(test, train_compute, elo)

    def train_compute(self, test_compute: ArrayLike, elo: ArrayLike) -> FloatOrArray:
        """Training compute that reaches strength ``elo`` with ``test_compute`` (vectorised);
        the inverse of :meth:`test_compute` above the floor."""
        test = as_positive_array("test_compute", test_compute)
        strength = as_finite_array("elo", elo)
        if self.test_floor is not None and np.any(test < self.test_floor):
            raise ValueError(f"test_compute must be >= the floor {self.test_floor!r}")
        log_train = ((np.log10(test) - self.elo_coefficient * strength - self.intercept)
                     / self.train_exponent)
        return scalar_or_array(10.0**log_train, test_compute, elo)

    def test_saving_per_train_decade(self) -> float:
        """Factor by which test-time compute falls for each tenfold increase of training
        compute, at fixed strength, above the floor: 10^(-train_exponent)."""
        return float(10.0 ** -self.train_exponent)

    def elo_per_test_decade(self) -> float:
        """Elo gained per tenfold increase of test-time compute at fixed training compute."""
        return 1.0 / self.elo_coefficient


@checks_overflow
def flops_matched_inference_multiplier(size_ratio: ArrayLike,
                                       inference_to_pretraining_tokens: ArrayLike
                                       ) -> FloatOrArray:
    """How many times more inference compute a small model may spend to match the total FLOPs
    of a model ``size_ratio`` times larger (Snell et al. 2024, Section 7).

    With pretraining 6 N D_pretrain and inference 2 N D_inference FLOPs, a model M times larger
    costs M (6 N D_pretrain + 2 N D_inference) in total; the small model matches that budget
    when its inference compute is multiplied by M + 3 (M - 1) / R, R = D_inference /
    D_pretrain. Derived in :func:`chinchilla_lib.symbolic.flops_matched_multiplier`.

    Parameters
    ----------
    size_ratio
        M, parameters of the larger model over those of the smaller (>= 1).
    inference_to_pretraining_tokens
        R, tokens generated at inference over tokens seen in pretraining (> 0).

    Examples
    --------
    >>> round(flops_matched_inference_multiplier(14.0, 1.0), 1)
    53.0
    """
    ratio = as_positive_array("size_ratio", size_ratio)
    if np.any(ratio < 1):
        raise ValueError(f"size_ratio must be >= 1; got {ratio[ratio < 1].flat[0]!r}")
    r = as_positive_array("inference_to_pretraining_tokens", inference_to_pretraining_tokens)
    return scalar_or_array(ratio + 3.0 * (ratio - 1.0) / r, size_ratio,
                           inference_to_pretraining_tokens)


@checks_overflow
def elo_per_doubling(resources: ArrayLike, elo: ArrayLike) -> float:
    """Least-squares slope of Elo against log2 of a search resource: Elo gained per doubling.

    Parameters
    ----------
    resources
        Search resource of each configuration (threads, simulations, seconds per move, test
        FLOPs; finite, > 0), 1-D with at least two distinct values.
    elo
        Strength of each configuration (Elo, finite), same length.

    Examples
    --------
    >>> round(elo_per_doubling([1, 2, 4, 8], [1000, 1100, 1200, 1300]), 6)
    100.0
    """
    x = as_positive_array("resources", resources)
    y = as_finite_array("elo", elo)
    if x.ndim != 1 or x.shape != y.shape:
        raise ValueError(f"resources and elo must be 1-D of the same length; got shapes "
                         f"{x.shape} and {y.shape}")
    if np.unique(x).size < 2:
        raise ValueError("resources must contain at least two distinct values")
    doublings = np.log2(x)
    centred = doublings - doublings.mean()
    return float(np.sum(centred * (y - y.mean())) / np.sum(centred**2))


@checks_overflow
def compute_multiplier_for_elo(elo_gain: ArrayLike, elo_per_decade: ArrayLike) -> FloatOrArray:
    """Factor of compute that buys ``elo_gain`` Elo where strength rises by ``elo_per_decade``
    Elo per tenfold compute: 10^(elo_gain / elo_per_decade).

    Strength linear in log compute is the rising part of Jones (2021)'s sigmoid frontier;
    beyond it (near perfect play) the factor is a lower bound, since returns shrink. For a
    rate per doubling r, pass ``elo_per_decade = r / log10(2)``.

    Parameters
    ----------
    elo_gain
        Elo to gain (finite; negative for a loss).
    elo_per_decade
        Elo gained per tenfold compute (> 0).

    Returns
    -------
    float or ndarray
        Compute factor (> 0, dimensionless).

    Examples
    --------
    >>> round(compute_multiplier_for_elo(1000.0, 500.0), 6)
    100.0
    """
    gain = as_finite_array("elo_gain", elo_gain)
    rate = as_positive_array("elo_per_decade", elo_per_decade)
    check_broadcast(elo_gain=gain, elo_per_decade=rate)
    return scalar_or_array(10.0 ** (gain / rate), elo_gain, elo_per_decade)


@checks_overflow
def best_of_n_inference_ratio(generator_params: ArrayLike, samples: ArrayLike,
                              reference_params: ArrayLike,
                              verifier_params: ArrayLike | None = None) -> FloatOrArray:
    """Inference compute of best-of-n with a verifier, over one sample of a reference model.

    A generator of N_g parameters writes ``samples`` solutions and a verifier of N_v
    parameters reads each of them; a reference model of N_r parameters writes one. At about
    2N FLOPs per token and solutions of equal length, the ratio is n (N_g + N_v) / N_r (the
    2 cancels). The verifier defaults to the generator's size, as in Cobbe et al. (2021).

    Parameters
    ----------
    generator_params, reference_params
        Parameters of the generator and of the reference model (> 0).
    samples
        Solutions drawn per problem (>= 1).
    verifier_params
        Parameters of the verifier (> 0); ``None`` for the generator's size.

    Returns
    -------
    float or ndarray
        Inference FLOPs per problem, best-of-n over the single reference sample.

    Examples
    --------
    >>> round(best_of_n_inference_ratio(1e9, 10, 10e9), 6)
    2.0
    """
    generator = as_positive_array("generator_params", generator_params)
    n = as_positive_array("samples", samples)
    if np.any(n < 1):
        raise ValueError(f"samples must be >= 1; got {n[n < 1].flat[0]!r}")
    reference = as_positive_array("reference_params", reference_params)
    verifier = (generator if verifier_params is None
                else as_positive_array("verifier_params", verifier_params))
    return scalar_or_array(n * (generator + verifier) / reference, generator_params, samples,
                           reference_params)

