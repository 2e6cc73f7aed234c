"""The measures of quality used in the course: loss, perplexity, error rates, pass@k, Elo, and
how far a fitted curve lies from data (RMSLE).

Loss is the mean cross-entropy of the next token, in nats per token (natural logarithms),
as in Kaplan et al. (2020) and Hoffmann et al. (2022).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from chinchilla_lib._validation import (
    FloatOrArray,
    _as_float_array,
    as_positive_array,
    check_fraction,
    check_nonnegative,
    check_positive_int,
    scalar_or_array,
)

__all__ = [
    "bits_per_token",
    "elo_expected_score",
    "error_rate",
    "loss_from_perplexity",
    "pass_at_k",
    "perplexity",
    "rmsle",
]


def perplexity(loss_nats: ArrayLike) -> FloatOrArray:
    """Perplexity exp(L) of a loss in nats per token.

    A perplexity of k means the model is, on average, as unsure as a uniform choice among k
    tokens.

    Parameters
    ----------
    loss_nats
        Cross-entropy in nats per token (finite, >= 0).

    Returns
    -------
    float or ndarray
        Perplexity (dimensionless, >= 1).

    Examples
    --------
    >>> perplexity(0.0)
    1.0
    """
    loss = check_nonnegative("loss_nats", loss_nats)
    return scalar_or_array(np.exp(loss), loss_nats)


def loss_from_perplexity(ppl: ArrayLike) -> FloatOrArray:
    """Loss in nats per token from a perplexity; the inverse of :func:`perplexity`.

    Parameters
    ----------
    ppl
        Perplexity (finite, >= 1).
    """
    values = _as_float_array("ppl", ppl)
    if (~np.isfinite(values) | (values < 1)).any():
        raise ValueError(f"ppl must be finite and >= 1 (allowed range: 1 <= ppl < inf); "
                         f"got {values[~np.isfinite(values) | (values < 1)].flat[0]!r}")
    return scalar_or_array(np.log(values), ppl)


def bits_per_token(loss_nats: ArrayLike) -> FloatOrArray:
    """Convert a loss from nats to bits per token (divide by ln 2).

    Parameters
    ----------
    loss_nats
        Cross-entropy in nats per token (finite, >= 0).
    """
    loss = check_nonnegative("loss_nats", loss_nats)
    return scalar_or_array(loss / math.log(2.0), loss_nats)


def error_rate(accuracy: ArrayLike) -> FloatOrArray:
    """Error rate 1 - accuracy, the quantity power laws in vision are usually fitted to.

    Parameters
    ----------
    accuracy
        Fraction of correct answers, in [0, 1].
    """
    acc = check_fraction("accuracy", accuracy, allow_zero=True)
    return scalar_or_array(1.0 - acc, accuracy)


def pass_at_k(samples: int, correct: int, k: int) -> float:
    """Unbiased estimate of pass@k from ``samples`` draws of which ``correct`` passed.

    The chance that a random subset of k of the n drawn samples contains at least one
    correct one, 1 - C(n - c, k) / C(n, k), computed as a product to avoid huge binomials.

    Parameters
    ----------
    samples
        Number n of samples drawn for the problem (whole number >= 1).
    correct
        How many of them passed (0 <= correct <= samples).
    k
        Attempts allowed (1 <= k <= samples).

    Returns
    -------
    float
        Estimated probability, in [0, 1], that k samples contain a correct one.

    Examples
    --------
    >>> round(pass_at_k(10, 1, 1), 12), pass_at_k(10, 1, 10)
    (0.1, 1.0)
    """
    n = check_positive_int("samples", samples)
    k = check_positive_int("k", k)
    correct = check_positive_int("correct", correct, minimum=0)
    if correct > n:
        raise ValueError(f"correct must be in [0, samples={n}]; got {correct}")
    if k > n:
        raise ValueError(f"k must be in [1, samples={n}]; got {k}")
    if n - correct < k:
        return 1.0
    factors = 1.0 - k / np.arange(n - correct + 1, n + 1, dtype=np.float64)
    return float(1.0 - np.prod(factors))


def elo_expected_score(rating_difference: ArrayLike) -> FloatOrArray:
    """Expected score of a player rated ``rating_difference`` Elo points above its opponent.

    Uses the logistic Elo curve 1 / (1 + 10^(-diff / 400)): +400 points gives about 0.91.

    Parameters
    ----------
    rating_difference
        Elo difference (finite; may be negative).

    Returns
    -------
    float or ndarray
        Expected score in (0, 1): win probability when draws are impossible.
    """
    diff = _as_float_array("rating_difference", rating_difference)
    if not np.isfinite(diff).all():
        raise ValueError("rating_difference must be finite (allowed range: -inf < x < inf); "
                         f"got {diff[~np.isfinite(diff)].flat[0]!r}")
    return scalar_or_array(1.0 / (1.0 + 10.0 ** (-diff / 400.0)), rating_difference)


def rmsle(law: Callable[[np.ndarray], ArrayLike], x: ArrayLike, y: ArrayLike) -> float:
    """Root-mean-square error of log y against log law(x) (natural logarithms).

    ``law`` is any vectorised curve with positive values: a fitted power law, a saturating
    power law, a broken power law. The result is dimensionless: about the typical relative
    error of the curve (0.01 for 1%).

    Parameters
    ----------
    law
        A callable taking an array of x and returning positive values.
    x, y
        Data (1-D, positive and finite, of one length, at least one point), in the units the
        law expects and returns.

    Returns
    -------
    float
        sqrt(mean((log law(x) - log y)^2)), >= 0.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([1.0, 10.0, 100.0])
    >>> round(rmsle(lambda v: 2.0 * v ** -0.5, x, 2.0 * x ** -0.5 * np.exp(0.01)), 6)
    0.01
    """
    xs = as_positive_array("x", x)
    ys = as_positive_array("y", y)
    if xs.ndim != 1 or xs.shape != ys.shape or xs.size == 0:
        raise ValueError(f"x and y must be 1-D, of one length, with at least one point; got "
                         f"shapes {xs.shape} and {ys.shape}")
    predicted = as_positive_array("law(x)", law(xs))
    return float(np.sqrt(np.mean((np.log(predicted) - np.log(ys)) ** 2)))
