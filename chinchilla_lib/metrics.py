"""The measures of quality used in the course: loss, perplexity, error rates, precision, recall
and F1, mean squared and absolute errors, pass@k, Elo (from games or from human preferences),
and how far a fitted curve lies from data (RMSLE).

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
    checks_overflow,
    scalar_or_array,
)

__all__ = [
    "ELO_SCALE",
    "MAX_PASS_AT_K_FACTORS",
    "bits_per_token",
    "bradley_terry_elo",
    "elo_difference",
    "elo_expected_score",
    "error_rate",
    "f1_score",
    "loss_from_perplexity",
    "mean_absolute_error",
    "mean_squared_error",
    "pass_at_k",
    "perplexity",
    "precision",
    "recall",
    "rmsle",
]

ELO_SCALE = 400.0
"""Elo points that multiply the odds of winning by ten: the rating system's convention
(a difference d gives an expected score 1 / (1 + 10^(-d / ELO_SCALE)))."""


@checks_overflow
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


@checks_overflow
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


@checks_overflow
def bits_per_token(loss_nats: ArrayLike) -> FloatOrArray:
    """Convert a loss from nats to bits per token (divide by ln 2).

    Parameters
    ----------
    loss_nats
        Cross-entropy in nats per token (finite, >= 0).
    """
    loss = check_nonnegative("loss_nats", loss_nats)
    return scalar_or_array(loss / math.log(2.0), loss_nats)


@checks_overflow
def error_rate(accuracy: ArrayLike) -> FloatOrArray:
    """Error rate 1 - accuracy, the quantity power laws in vision are usually fitted to.

    Parameters
    ----------
    accuracy
        Fraction of correct answers, in [0, 1].
    """
    acc = check_fraction("accuracy", accuracy, allow_zero=True)
    return scalar_or_array(1.0 - acc, accuracy)


def _labels(name: str, labels: ArrayLike) -> np.ndarray:
    try:
        values = np.asarray(labels)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a non-empty 1-D array of labels; got "
                         f"{labels!r:.60}") from None
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of labels; got shape "
                         f"{values.shape}")
    if values.dtype != bool:
        numbers = _as_float_array(name, values)
        if not np.isin(numbers, (0.0, 1.0)).all():
            raise ValueError(f"{name} must hold binary labels (0 or 1, or booleans); got "
                             f"{numbers[~np.isin(numbers, (0.0, 1.0))].flat[0]!r}")
        values = numbers == 1.0
    return values


def _counts(y_true: ArrayLike, y_pred: ArrayLike) -> tuple[int, int, int]:
    """True positives, false positives and false negatives of binary labels."""
    truth = _labels("y_true", y_true)
    guess = _labels("y_pred", y_pred)
    if truth.shape != guess.shape:
        raise ValueError(f"y_true and y_pred must have one length; got {truth.size} and "
                         f"{guess.size}")
    return (int(np.sum(truth & guess)), int(np.sum(~truth & guess)),
            int(np.sum(truth & ~guess)))


@checks_overflow
def precision(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Precision TP / (TP + FP): the share of the items flagged positive that are positive.

    Parameters
    ----------
    y_true, y_pred
        Binary labels (1 or ``True`` for the positive class), 1-D, of one length.

    Returns
    -------
    float
        Precision in [0, 1].

    Raises
    ------
    ValueError
        If the labels are not binary, differ in length, or ``y_pred`` flags nothing (the
        ratio is then undefined).

    Examples
    --------
    >>> precision([1, 1, 0, 0], [1, 0, 1, 0])
    0.5
    """
    tp, fp, _ = _counts(y_true, y_pred)
    if tp + fp == 0:
        raise ValueError("y_pred must flag at least one item positive for precision to be "
                         "defined")
    return tp / (tp + fp)


@checks_overflow
def recall(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Recall TP / (TP + FN): the share of the positive items that are flagged.

    Parameters
    ----------
    y_true, y_pred
        Binary labels (1 or ``True`` for the positive class), 1-D, of one length.

    Returns
    -------
    float
        Recall in [0, 1].

    Raises
    ------
    ValueError
        If the labels are not binary, differ in length, or ``y_true`` holds no positive item.

    Examples
    --------
    >>> recall([1, 1, 1, 0], [1, 0, 0, 0])
    0.3333333333333333
    """
    tp, _, fn = _counts(y_true, y_pred)
    if tp + fn == 0:
        raise ValueError("y_true must hold at least one positive item for recall to be "
                         "defined")
    return tp / (tp + fn)


@checks_overflow
def f1_score(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """F1, the harmonic mean of precision and recall: 2 TP / (2 TP + FP + FN).

    Parameters
    ----------
    y_true, y_pred
        Binary labels (1 or ``True`` for the positive class), 1-D, of one length.

    Returns
    -------
    float
        F1 in [0, 1]; 0 when no positive item is flagged correctly.

    Raises
    ------
    ValueError
        If the labels are not binary, differ in length, or neither holds a positive item.

    Examples
    --------
    >>> round(f1_score([1, 1, 0, 0], [1, 0, 1, 0]), 12)
    0.5
    """
    tp, fp, fn = _counts(y_true, y_pred)
    if tp + fp + fn == 0:
        raise ValueError("y_true or y_pred must hold at least one positive item for F1 to be "
                         "defined")
    return 2 * tp / (2 * tp + fp + fn)


def _targets(y_true: ArrayLike, y_pred: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    truth = _as_float_array("y_true", y_true)
    guess = _as_float_array("y_pred", y_pred)
    for name, values in (("y_true", truth), ("y_pred", guess)):
        if values.ndim != 1 or values.size == 0 or not np.isfinite(values).all():
            raise ValueError(f"{name} must be a non-empty 1-D array of finite numbers")
    if truth.shape != guess.shape:
        raise ValueError(f"y_true and y_pred must have one length; got {truth.size} and "
                         f"{guess.size}")
    return truth, guess


@checks_overflow
def mean_squared_error(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Mean squared error mean((y_pred - y_true)^2), in the squared unit of y.

    Parameters
    ----------
    y_true, y_pred
        Targets and predictions (1-D, finite, of one length), in one unit.

    Returns
    -------
    float
        MSE, >= 0.

    Examples
    --------
    >>> mean_squared_error([0.0, 0.0], [1.0, 3.0])
    5.0
    """
    truth, guess = _targets(y_true, y_pred)
    return float(np.mean((guess - truth) ** 2))


@checks_overflow
def mean_absolute_error(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Mean absolute error ``mean(abs(y_pred - y_true))``, in the unit of y.

    Less sensitive to a few large errors than :func:`mean_squared_error`, which squares them.

    Parameters
    ----------
    y_true, y_pred
        Targets and predictions (1-D, finite, of one length), in one unit.

    Returns
    -------
    float
        MAE, >= 0.

    Examples
    --------
    >>> mean_absolute_error([0.0, 0.0], [1.0, 3.0])
    2.0
    """
    truth, guess = _targets(y_true, y_pred)
    return float(np.mean(np.abs(guess - truth)))


def _reaches_all(beats: np.ndarray) -> bool:
    """Whether every player can be reached from player 0 along edges i -> j where i beat j."""
    seen = np.zeros(beats.shape[0], dtype=bool)
    seen[0] = True
    frontier = [0]
    while frontier:
        step = beats[frontier].any(axis=0) & ~seen
        seen |= step
        frontier = list(np.flatnonzero(step))
    return bool(seen.all())


@checks_overflow
def bradley_terry_elo(wins: ArrayLike, *, mean_rating: float = 1000.0,
                      tolerance: float = 1e-10, max_iter: int = 100_000) -> np.ndarray:
    """Ratings on the Elo scale fitted to pairwise preferences by the Bradley-Terry model.

    The Bradley-Terry model gives player i a strength p_i and the chance p_i / (p_i + p_j) of
    being preferred to j. Its maximum-likelihood strengths are found with Zermelo's fixed-point
    iteration (the minorise-maximise algorithm of Hunter, 2004) and reported as ratings
    ``mean_rating + 400 log10(p_i)``, with the geometric mean of the strengths set to 1, so
    that :func:`elo_expected_score` of a rating difference is the model's preference
    probability. Chatbot Arena ranks language models this way from human votes (Chiang et
    al., 2024).

    Parameters
    ----------
    wins
        Square matrix (at least 2 x 2) of counts: ``wins[i, j]`` is how often i was preferred
        to j (finite, >= 0; a tie may be split as half a win each; the diagonal is ignored).
        Every player must be reachable from every other along a chain of wins (the condition
        for finite maximum-likelihood strengths).
    mean_rating
        The mean rating (finite), 1000 by default; only differences carry meaning.
    tolerance
        Stop when no rating moves by more than this (> 0), in Elo points.
    max_iter
        Iterations allowed (>= 1).

    Returns
    -------
    ndarray
        One rating per player, in Elo points.

    Raises
    ------
    ValueError
        If ``wins`` is not a square matrix of finite non-negative counts, if some player is
        not connected to the others by wins both ways, or if the iteration does not converge.

    Examples
    --------
    >>> wins = [[0, 10, 20], [10, 0, 15], [5, 10, 0]]
    >>> [round(float(r)) for r in bradley_terry_elo(wins)]
    [1078, 1021, 901]
    """
    w = _as_float_array("wins", wins)
    if w.ndim != 2 or w.shape[0] != w.shape[1] or w.shape[0] < 2:
        raise ValueError(f"wins must be a square matrix of at least 2 x 2; got shape {w.shape}")
    if not np.isfinite(w).all() or (w < 0).any():
        raise ValueError("wins must hold finite counts >= 0")
    if not math.isfinite(mean_rating):
        raise ValueError(f"mean_rating must be finite; got {mean_rating!r}")
    if not tolerance > 0:
        raise ValueError(f"tolerance must be > 0; got {tolerance!r}")
    max_iter = check_positive_int("max_iter", max_iter)
    w = w.copy()
    np.fill_diagonal(w, 0.0)
    if not (_reaches_all(w > 0) and _reaches_all((w > 0).T)):
        raise ValueError("wins must connect every player to every other by a chain of wins "
                         "(each player won and lost against the rest): otherwise a strength "
                         "runs to infinity")
    games = w + w.T
    won = w.sum(axis=1)
    log_strength = np.zeros(w.shape[0])
    scale = ELO_SCALE / math.log(10.0)
    for _ in range(max_iter):
        strength = np.exp(log_strength)
        denominator = (games / (strength[:, None] + strength[None, :])).sum(axis=1)
        updated = np.log(won / denominator)
        updated -= updated.mean()
        moved = scale * np.max(np.abs(updated - log_strength))
        log_strength = updated
        if moved < tolerance:
            return mean_rating + scale * log_strength
    raise ValueError(f"bradley_terry_elo did not converge in max_iter={max_iter} iterations")


MAX_PASS_AT_K_FACTORS = 1_000_000
"""Most factors :func:`pass_at_k` multiplies (8 MB): the shorter of ``correct`` and ``k``
above this is refused, unless the answer is 1 to float precision."""


@checks_overflow
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
        Attempts allowed (1 <= k <= samples). The memory used grows with the smaller of
        ``correct`` and ``k``; a call where both exceed :data:`MAX_PASS_AT_K_FACTORS` is
        refused with a ValueError unless its answer is 1 to float precision.

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
    # C(n - c, k) / C(n, k) is a product of c factors (1 - k / j) and equally of k factors
    # (1 - c / (n - i)): the shorter is built, so that memory does not grow with the counts (a
    # product over all c factors allocated 16 GB for c = 1e9). When both are long the product
    # is at most exp(-c k / n); below 1e-17 it leaves 1 - product = 1.0 in float arithmetic.
    if correct <= MAX_PASS_AT_K_FACTORS:
        factors = 1.0 - k / np.arange(n - correct + 1, n + 1, dtype=np.float64)
    elif k <= MAX_PASS_AT_K_FACTORS:
        factors = 1.0 - correct / np.arange(n - k + 1, n + 1, dtype=np.float64)
    elif correct * k / n > 40.0:
        return 1.0
    else:
        raise ValueError(f"pass_at_k multiplies min(correct, k) factors, at most "
                         f"{MAX_PASS_AT_K_FACTORS:,}; got correct={correct:,} and k={k:,} "
                         f"(of samples={n:,})")
    return float(1.0 - np.prod(factors))


@checks_overflow
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
    return scalar_or_array(1.0 / (1.0 + 10.0 ** (-diff / ELO_SCALE)), rating_difference)


@checks_overflow
def elo_difference(expected_score: ArrayLike) -> FloatOrArray:
    """Elo difference at which a player's expected score against its opponent is
    ``expected_score``: the inverse of :func:`elo_expected_score`, 400 log10(s / (1 - s)).

    Parameters
    ----------
    expected_score
        Expected score (win probability when draws are impossible), strictly in (0, 1).

    Returns
    -------
    float or ndarray
        Rating difference in Elo points (negative below 0.5).

    Examples
    --------
    >>> round(elo_difference(10 / 11), 6)
    400.0
    >>> round(elo_difference(2 / 3), 1)
    120.4
    """
    score = _as_float_array("expected_score", expected_score)
    bad = ~((score > 0) & (score < 1))
    if bad.any():
        raise ValueError("expected_score must be strictly between 0 and 1; "
                         f"got {score[bad].flat[0]!r}")
    return scalar_or_array(ELO_SCALE * np.log10(score / (1.0 - score)), expected_score)


@checks_overflow
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
        Data (1-D, positive and finite, of one length, at least one point; a scalar is one
        point), in the units the law expects and returns. On one point the result is
        ``abs(log law(x) - log y)``.

    Returns
    -------
    float
        sqrt(mean((log law(x) - log y)^2)), >= 0.

    Raises
    ------
    ValueError
        If x or y is not positive and finite, if they are not 1-D arrays (or scalars) of one
        length, or if ``law(x)`` is not a positive, finite value for each x.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([1.0, 10.0, 100.0])
    >>> round(rmsle(lambda v: 2.0 * v ** -0.5, x, 2.0 * x ** -0.5 * np.exp(0.01)), 6)
    0.01
    >>> round(rmsle(lambda v: 2.0 * v ** -0.5, 100.0, 0.2 * np.exp(-0.03)), 6)  # one point
    0.03
    """
    xs = as_positive_array("x", x)
    ys = as_positive_array("y", y)
    if xs.ndim == 0 and ys.ndim == 0:
        xs, ys = xs.reshape(1), ys.reshape(1)
    if xs.ndim != 1 or xs.shape != ys.shape:
        raise ValueError(f"x and y must be 1-D, of one length, with at least one point; got "
                         f"shapes {xs.shape} and {ys.shape}")
    predicted = as_positive_array("law(x)", law(xs))
    if predicted.shape != xs.shape:
        raise ValueError(f"law(x) must return one value per x, shape {xs.shape}; got shape "
                         f"{predicted.shape}")
    return float(np.sqrt(np.mean((np.log(predicted) - np.log(ys)) ** 2)))
