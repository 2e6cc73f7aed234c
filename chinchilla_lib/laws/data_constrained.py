"""Data-constrained training (Muennighoff et al. 2023): repeated tokens are worth less.

With U unique tokens seen D >= U times in all, the R = D/U - 1 repetitions add data whose
value decays: the effective data is D' = U + U R* (1 - exp(-R / R*)). Parameters beyond what
the unique data can use decay the same way, with their own R*. The loss is Hoffmann et al.'s
form evaluated at the effective parameters and data (their Eqs. 5, 6 and 17).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from chinchilla_lib import registry
from chinchilla_lib._validation import (
    FloatOrArray,
    as_positive_array,
    check_broadcast,
    check_instance,
    checks_overflow,
    checks_overflow_methods,
    scalar_or_array,
    single,
)
from chinchilla_lib.laws._results import ComputeOptimum
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.quantities import FLOPS_PER_PARAM_TOKEN

__all__ = ["DataConstrainedLaw", "effective_data", "effective_params",
           "epochs_for_effective_multiple"]


def _decayed(unique: NDArray[np.float64], total: NDArray[np.float64],
             r_star: float) -> NDArray[np.float64]:
    repeats = np.maximum(total / unique - 1.0, 0.0)
    return unique + unique * r_star * (1.0 - np.exp(-repeats / r_star))


@checks_overflow
def effective_data(n_tokens: ArrayLike, unique_tokens: ArrayLike,
                   r_star: float | None = None) -> FloatOrArray:
    """D' = U + U R*_D (1 - exp(-R_D / R*_D)), R_D = D/U - 1 (D' = D when D <= U).

    Parameters
    ----------
    n_tokens
        D, training tokens, repeats included (> 0).
    unique_tokens
        U, unique tokens available (> 0).
    r_star
        R*_D; default Muennighoff et al.'s fitted value (registry).
    """
    d = as_positive_array("n_tokens", n_tokens)
    u = as_positive_array("unique_tokens", unique_tokens)
    check_broadcast(n_tokens=d, unique_tokens=u)
    r = registry.constant("muennighoff_r_star_data").value if r_star is None else float(
        as_positive_array("r_star", r_star))
    used = np.minimum(d, u)
    return scalar_or_array(np.where(d <= u, d, _decayed(used, d, r)), n_tokens, unique_tokens)


@checks_overflow
def epochs_for_effective_multiple(multiple: ArrayLike,
                                  r_star: float | None = None) -> FloatOrArray:
    """Epochs D/U over the unique data at which the effective data is ``multiple`` times U:
    the inverse of :func:`effective_data` in D/U.

    For ``multiple`` <= 1 no token repeats, and the epochs equal the multiple. Above 1,
    solving D'/U = 1 + R* (1 - exp(-R / R*)) for the repetitions R gives
    D/U = 1 + R = 1 - R* ln(1 - (multiple - 1) / R*), which diverges as the multiple
    approaches its ceiling 1 + R*: no number of epochs makes repeated data worth more.

    Parameters
    ----------
    multiple
        D'/U, effective data in units of the unique data (> 0, below 1 + R*_D).
    r_star
        R*_D; default Muennighoff et al.'s fitted value (registry).

    Returns
    -------
    float or ndarray
        Epochs D/U.

    Raises
    ------
    ValueError
        If ``multiple`` is not positive or not below 1 + R*_D.

    Examples
    --------
    >>> round(epochs_for_effective_multiple(4.0, r_star=15.0), 3)
    4.347
    """
    m = as_positive_array("multiple", multiple)
    r = registry.constant("muennighoff_r_star_data").value if r_star is None else float(
        as_positive_array("r_star", r_star))
    if (m >= 1.0 + r).any():
        raise ValueError(f"multiple must lie below 1 + R*_D = {1.0 + r:.4g}; got "
                         f"{m[m >= 1.0 + r].flat[0]!r}")
    repeats = -r * np.log1p(-np.maximum(m - 1.0, 0.0) / r)
    return scalar_or_array(np.where(m <= 1.0, m, 1.0 + repeats), multiple)


@checks_overflow
def effective_params(n_params: ArrayLike, unique_tokens: ArrayLike,
                     r_star: float | None = None) -> FloatOrArray:
    """N' = U_N + U_N R*_N (1 - exp(-R_N / R*_N)), with U_N = min(N, k U) the parameters the
    unique data can use (k from the registry) and R_N = N / U_N - 1.

    Parameters
    ----------
    n_params
        N, parameters (> 0).
    unique_tokens
        U, unique tokens available (> 0).
    r_star
        R*_N; default Muennighoff et al.'s fitted value (registry).
    """
    n = as_positive_array("n_params", n_params)
    u = as_positive_array("unique_tokens", unique_tokens)
    check_broadcast(n_params=n, unique_tokens=u)
    r = registry.constant("muennighoff_r_star_params").value if r_star is None else float(
        as_positive_array("r_star", r_star))
    usable = np.minimum(n, registry.constant("muennighoff_params_per_unique_token").value * u)
    return scalar_or_array(_decayed(usable, n, r), n_params, unique_tokens)


@checks_overflow_methods
@dataclass(frozen=True)
class DataConstrainedLaw:
    """Muennighoff et al.'s law: a Chinchilla-form law at effective parameters and data.

    Parameters
    ----------
    base
        The law for unique data (default: their C4 fit, from the registry).
    """

    base: ChinchillaLaw

    def __post_init__(self) -> None:
        check_instance("base", self.base, ChinchillaLaw)

    @classmethod
    def from_registry(cls, name: str) -> DataConstrainedLaw:
        """The law with a published Chinchilla-form fit from the registry as its base:
        Muennighoff et al.'s own is ``"muennighoff2023/base"`` (their Appendix B).

        Raises
        ------
        ValueError
            If ``name`` is not a Chinchilla-form fit; the message lists those there are.
        """
        return cls(ChinchillaLaw.from_registry(name))

    def loss(self, n_params: ArrayLike, n_tokens: ArrayLike,
             unique_tokens: ArrayLike) -> FloatOrArray:
        """L(N', D') in nats per token for N parameters trained on D tokens drawn from U."""
        value = self.base.loss(effective_params(n_params, unique_tokens),
                               effective_data(n_tokens, unique_tokens))
        return value

    def compute_optimal(self, flops: float, unique_tokens: float) -> ComputeOptimum:
        """The N (and D = C / 6N) minimising the loss at a budget when only U tokens exist.

        With U at least the unconstrained optimum's D, this is the base law's optimum.
        """
        from scipy.optimize import minimize_scalar

        c = single("flops", as_positive_array("flops", flops))
        u = single("unique_tokens", as_positive_array("unique_tokens", unique_tokens))
        start = float(self.base.compute_optimal(c).n_params)

        def loss(log_n: float) -> float:
            n = np.exp(log_n)
            return float(self.loss(n, c / (FLOPS_PER_PARAM_TOKEN * n), u))

        centre = np.log(start)
        result = minimize_scalar(loss, bounds=(centre - 8.0, centre + 8.0), method="bounded",
                                 options={"xatol": 1e-10})
        n = float(np.exp(result.x))
        return ComputeOptimum(c, n, c / (FLOPS_PER_PARAM_TOKEN * n), float(result.fun))
