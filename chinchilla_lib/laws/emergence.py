"""Apparent emergence from a thresholded metric: exact match as a function of a smooth loss.

Suppose the per-token cross-entropy of a model on the answer tokens of a task falls as a
smooth power law in parameters N, loss(N) = (N / N_c)^(-alpha) nats per token. The chance of
producing one answer token correctly is p = exp(-loss), and of producing a whole answer of k
tokens exactly right is p^k = exp(-k loss). Exact match is a thresholded metric: all tokens
or nothing. On log N axes it has exactly the shape of p (both are Gumbel curves, rising from
10% to 90% over log10(ln 10 / ln(10/9)) / alpha decades), only shifted to larger N by
log10(k) / alpha decades. What looks abrupt is the metric against the model's per-token
quality: while exact match climbs from 10% to 90%, per-token accuracy moves only from
0.1^(1/k) to 0.9^(1/k), for k = 10 from about 0.79 to 0.99. Sampled at a handful of sizes and
scored on a few hundred questions, that stretch can look like an ability appearing from
nowhere (the argument of Schaeffer et al. 2023); :mod:`chinchilla_lib.simulate.emergence`
scores simulated models on such a benchmark.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from chinchilla_lib._validation import (
    FloatOrArray,
    as_positive_array,
    check_positive_int,
    checks_overflow,
    scalar_or_array,
    single,
)

__all__ = [
    "exact_match",
    "exact_match_shift_decades",
    "rise_width_decades",
    "token_accuracy_at_exact_match",
]


@checks_overflow
def exact_match(token_loss: ArrayLike, answer_tokens: int) -> FloatOrArray:
    """Chance of producing all ``answer_tokens`` answer tokens right, exp(-k * loss).

    Parameters
    ----------
    token_loss
        Cross-entropy on the answer tokens, nats per token (finite, > 0).
    answer_tokens
        Length k of the answer in tokens (whole number >= 1).

    Examples
    --------
    >>> round(exact_match(0.1, 1), 4), round(exact_match(0.1, 10), 4)
    (0.9048, 0.3679)
    """
    losses = as_positive_array("token_loss", token_loss)
    k = check_positive_int("answer_tokens", answer_tokens)
    return scalar_or_array(np.exp(-k * losses), token_loss)


@checks_overflow
def exact_match_shift_decades(answer_tokens: int, exponent: float) -> float:
    """Decades of N by which exact match on k tokens lags per-token accuracy: log10(k)/alpha.

    With a per-token loss (N / N_c)^(-alpha), exp(-k loss(N)) equals exp(-loss(N')) at
    N' = N k^(-1/alpha): the curve is the per-token curve moved log10(k)/alpha decades right.

    Parameters
    ----------
    answer_tokens
        Length k of the answer in tokens (>= 1).
    exponent
        alpha, the power-law exponent of the per-token loss in N (> 0).
    """
    k = check_positive_int("answer_tokens", answer_tokens)
    alpha = single("exponent", as_positive_array("exponent", exponent))
    return math.log10(k) / alpha


@checks_overflow
def rise_width_decades(exponent: float, low: float = 0.1, high: float = 0.9) -> float:
    """Decades of N over which exp(-k (N / N_c)^(-alpha)) rises from ``low`` to ``high``.

    The score reaches a level q where k (N / N_c)^(-alpha) = -ln q, so the width is
    log10(ln(1/low) / ln(1/high)) / alpha, the same for every answer length k: per-token
    accuracy (k = 1) and exact match on k tokens rise equally gradually on log N axes
    (:func:`chinchilla_lib.symbolic.gumbel_rise_width` derives it).

    Parameters
    ----------
    exponent
        alpha, the power-law exponent of the per-token loss in N (> 0).
    low, high
        Score levels, 0 < low < high < 1.

    Returns
    -------
    float
        Width of the rise, in decades of N.

    Examples
    --------
    >>> round(rise_width_decades(1.0), 4)
    1.3395
    """
    alpha = single("exponent", as_positive_array("exponent", exponent))
    lo, hi = float(low), float(high)
    if not 0.0 < lo < 1.0:
        raise ValueError(f"low must be in (0, 1); got {low}")
    if not lo < hi < 1.0:
        raise ValueError(f"high must be in (low={lo}, 1); got {high}")
    return float(np.log10(np.log(lo) / np.log(hi)) / alpha)


@checks_overflow
def token_accuracy_at_exact_match(level: ArrayLike, answer_tokens: int) -> FloatOrArray:
    """Per-token accuracy p at which exact match on k tokens, p^k, equals ``level``.

    Parameters
    ----------
    level
        Exact-match score, in (0, 1] (scalar or array).
    answer_tokens
        Length k of the answer in tokens (whole number >= 1).

    Returns
    -------
    float or numpy.ndarray
        level^(1/k), shaped like ``level``.

    Examples
    --------
    >>> [round(token_accuracy_at_exact_match(q, 10), 4) for q in (0.1, 0.9)]
    [0.7943, 0.9895]
    """
    q = as_positive_array("level", level)
    if np.any(q > 1.0):
        raise ValueError(f"level must be in (0, 1]; got {level}")
    k = check_positive_int("answer_tokens", answer_tokens)
    return scalar_or_array(q ** (1.0 / k), level)
