"""The compute-optimal frontier of a Chinchilla-form law, counted in non-embedding parameters.

The law holds in total parameters N_T = N + omega N^(1/3) (Pearce and Song's model of the
embeddings, :func:`chinchilla_lib.quantities.total_parameters`), but Kaplan et al. counted the
non-embedding N and the compute 6 N D. Counted their way, the optimal N no longer grows as one
power of C: its local exponent d log N_opt / d log C depends on the ratio of non-embedding to
embedding parameters. This module gives that exponent, its limits and its peak in closed form
(derived in :func:`chinchilla_lib.symbolic.pearce_local_exponent`);
:func:`chinchilla_lib.simulate.frontier.kaplan_style_frontier` finds the same frontier
numerically.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from chinchilla_lib._validation import (
    FloatOrArray,
    as_positive_array,
    check_instance,
    checks_overflow,
    scalar_or_array,
)
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.quantities import EMBEDDING_COEFFICIENT, FLOPS_PER_PARAM_TOKEN

__all__ = [
    "nonembedding_budget",
    "nonembedding_exponent_limits",
    "nonembedding_exponent_peak",
    "nonembedding_local_exponent",
]

Array = NDArray[np.float64]


def _embedding_ratio(n_nonembedding: Array) -> Array:
    """r = N^(2/3) / omega: non-embedding over embedding parameters in Pearce and Song's model."""
    return np.cbrt(n_nonembedding) ** 2 / EMBEDDING_COEFFICIENT


@checks_overflow
def nonembedding_local_exponent(law: ChinchillaLaw, n_nonembedding: ArrayLike) -> FloatOrArray:
    """The local exponent d log N_opt / d log C of the frontier counted Kaplan et al.'s way.

    Closed form of :func:`chinchilla_lib.symbolic.pearce_local_exponent`: with
    r = N^(2/3) / omega (non-embedding over embedding parameters),

        1 / a(r) = 1 - (1/beta) (r + 1/9) / (r + 1/3) + ((alpha + 1)/beta) (r + 1/3) / (r + 1),

    the reciprocal of Pearce and Song's ``fn_g``.

    Parameters
    ----------
    law
        The true law, in total parameters (its alpha and beta are used).
    n_nonembedding
        Optimal non-embedding parameters (a count > 0) at which to evaluate the exponent.

    Returns
    -------
    float or ndarray
        The dimensionless exponent, between beta/(alpha + beta) and its peak.
    """
    check_instance("law", law, ChinchillaLaw)
    n = as_positive_array("n_nonembedding", n_nonembedding)
    r = _embedding_ratio(n)
    inverse = (1.0 - (r + 1.0 / 9.0) / (r + 1.0 / 3.0) / law.beta
               + (law.alpha + 1.0) / law.beta * (r + 1.0 / 3.0) / (r + 1.0))
    return scalar_or_array(1.0 / inverse, n_nonembedding)


@checks_overflow
def nonembedding_budget(law: ChinchillaLaw, n_nonembedding: ArrayLike) -> FloatOrArray:
    """The budget C = 6 N D (non-embedding FLOPs) at which ``n_nonembedding`` is optimal.

    The first-order condition of :func:`chinchilla_lib.symbolic.pearce_local_exponent`
    solved for C:
    C = 6 N (beta B / (alpha A))^(1/beta) (N N_T')^(-1/beta) N_T^((alpha + 1)/beta),
    with N_T = N + omega N^(1/3) and N N_T' = N + (omega/3) N^(1/3).

    Parameters
    ----------
    law
        The true law, in total parameters.
    n_nonembedding
        Non-embedding parameters, a count > 0.

    Returns
    -------
    float or ndarray
        FLOPs, counted as 6 N D with the non-embedding N.
    """
    check_instance("law", law, ChinchillaLaw)
    n = as_positive_array("n_nonembedding", n_nonembedding)
    cube = np.cbrt(n)
    n_total = n + EMBEDDING_COEFFICIENT * cube
    scaled = n + EMBEDDING_COEFFICIENT / 3.0 * cube
    log_c = (np.log(FLOPS_PER_PARAM_TOKEN * n)
             + np.log(law.beta * law.b / (law.alpha * law.a)) / law.beta
             - np.log(scaled) / law.beta + (law.alpha + 1.0) / law.beta * np.log(n_total))
    return scalar_or_array(np.exp(log_c), n_nonembedding)


@checks_overflow
def nonembedding_exponent_limits(law: ChinchillaLaw) -> tuple[float, float]:
    """The local exponent's limits: (small models, large models).

    Where embeddings dominate, N_T ~ omega N^(1/3), so the model term falls as N^(-alpha/3)
    and the exponent tends to beta / (beta + alpha/3); where they vanish it tends to the
    law's own beta / (alpha + beta).
    """
    check_instance("law", law, ChinchillaLaw)
    return (law.beta / (law.beta + law.alpha / 3.0), law.beta / (law.alpha + law.beta))


@checks_overflow
def nonembedding_exponent_peak(law: ChinchillaLaw) -> tuple[float, float]:
    """Where the local exponent peaks: (non-embedding parameters, exponent there).

    The peak sits at r* = (2 sqrt(3 (alpha + 1)) / 3 - alpha) / (3 alpha + 2), i.e.
    N = (omega r*)^(3/2), whatever beta (derived in
    :func:`chinchilla_lib.symbolic.pearce_local_exponent`); r* = 1/3 exactly when
    alpha = 1/3, where the embeddings are three times the rest of the model.
    """
    check_instance("law", law, ChinchillaLaw)
    alpha = law.alpha
    ratio = (2.0 * np.sqrt(3.0 * (alpha + 1.0)) / 3.0 - alpha) / (3.0 * alpha + 2.0)
    n_peak = float((EMBEDDING_COEFFICIENT * ratio) ** 1.5)
    return n_peak, float(nonembedding_local_exponent(law, n_peak))
