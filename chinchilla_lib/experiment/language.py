"""A synthetic language whose entropy rate is known exactly.

The language is a first-order Markov chain over ``vocab_size`` tokens: the next token is drawn
from ``softmax(L[x])``, where ``x`` is the current token and ``L`` a fixed random "teacher"
matrix of logits. ``L`` is the sum of two parts, chosen so that a family of models of growing
width keeps finding more to learn:

* a Zipf term ``-zipf_exponent * log(j)`` on the next token ``j``, so a few tokens are common
  and most are rare, as in text;
* a random low-rank structure ``U diag(s) W^T`` whose singular values fall as a power law,
  ``s_r = logit_scale * r ** -spectrum_exponent``. A model of width ``d`` can represent the
  first ``d`` of these directions, so each doubling of width buys a shrinking share of the rest.

Because the chain is finite, its stationary distribution ``pi`` solves a linear system and the
entropy rate ``sum_i pi_i H(P[i])`` (nats per token) is exact to rounding, not estimated: it is
the loss that no model can beat, the ``E`` of a scaling law, known in advance.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from chinchilla_lib._validation import check_nonnegative, check_positive_int

__all__ = ["DEFAULT_LANGUAGE", "ToyLanguage", "entropy_rate", "stationary_distribution"]

MAX_VOCAB = 4096
"""Largest vocabulary a ToyLanguage takes: its transition matrix is ``vocab_size**2`` floats
(128 MiB at this size)."""


def _check_real(name: str, value: object, low: float, high: float) -> float:
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | float | np.integer
                                                               | np.floating):
        raise TypeError(f"{name} must be a real number; got {value!r}")
    number = float(value)
    if not (low <= number <= high):
        raise ValueError(f"{name} must lie in [{low:g}, {high:g}]; got {value!r}")
    return number


ROW_SUM_TOLERANCE = 1e-9
"""How far a transition matrix's row may sum from 1 (rounding of a softmax, say)."""


def _check_transition(transition: NDArray[np.floating] | list) -> NDArray[np.float64]:
    p = check_nonnegative("transition", transition)
    if p.ndim != 2 or p.shape[0] != p.shape[1] or p.shape[0] < 2:
        raise ValueError(f"transition must be a square matrix of at least 2 x 2; "
                         f"got shape {p.shape}")
    worst = float(np.abs(p.sum(axis=1) - 1.0).max())
    if worst > ROW_SUM_TOLERANCE:
        raise ValueError(f"transition's rows must each sum to 1 (probabilities of the next "
                         f"token); one is off by {worst:.3g}")
    return p


def stationary_distribution(transition: NDArray[np.floating] | list) -> NDArray[np.float64]:
    """The stationary distribution ``pi`` of a Markov chain (``pi P = pi``, ``sum(pi) = 1``).

    Solved as a linear system (one balance equation replaced by the normalisation), not by
    iterating the chain: exact up to rounding for a chain with one stationary distribution.

    Parameters
    ----------
    transition
        ``P[i, j]``, the probability that state ``j`` follows state ``i``: square, entries
        >= 0, rows summing to 1.

    Returns
    -------
    ndarray
        ``pi``, one probability per state.

    Raises
    ------
    ValueError
        If ``transition`` is not such a matrix, or the chain has no unique stationary
        distribution (the system is singular).

    Examples
    --------
    >>> stationary_distribution([[0.9, 0.1], [0.5, 0.5]]).round(4).tolist()
    [0.8333, 0.1667]
    """
    p = _check_transition(transition)
    v = p.shape[0]
    system = p.T - np.eye(v)
    system[-1, :] = 1.0                      # replace one equation by sum(pi) = 1
    rhs = np.zeros(v)
    rhs[-1] = 1.0
    try:
        pi = np.linalg.solve(system, rhs)
    except np.linalg.LinAlgError:
        raise ValueError("transition has no unique stationary distribution (the chain is "
                         "reducible: its balance equations are singular)") from None
    pi = np.clip(pi, 0.0, None)
    return pi / pi.sum()


def entropy_rate(transition: NDArray[np.floating] | list) -> float:
    """The entropy rate of a stationary Markov chain, ``sum_i pi_i H(P[i])``, nats per step.

    ``H(P[i]) = -sum_j P[i, j] log P[i, j]`` is the entropy of the next state given the
    current one, and ``pi`` the stationary distribution (:func:`stationary_distribution`):
    the average surprise of the next token for a predictor that knows the chain exactly, the
    lowest cross-entropy any model of it can reach. Exact up to rounding, not sampled.

    Parameters
    ----------
    transition
        ``P[i, j]``: square, entries >= 0, rows summing to 1.

    Returns
    -------
    float
        Nats per step.

    Examples
    --------
    >>> round(entropy_rate([[0.5, 0.5], [0.5, 0.5]]) / float(np.log(2)), 12)
    1.0
    """
    p = _check_transition(transition)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, -p * np.log(p), 0.0)
    return float(stationary_distribution(p) @ terms.sum(axis=1))


@dataclass(frozen=True)
class ToyLanguage:
    """A Markov-chain language with a random low-rank teacher and an exact entropy rate.

    Parameters
    ----------
    vocab_size
        Tokens in the vocabulary (an integer from 4 to 4096).
    spectrum_exponent
        gamma in ``s_r = logit_scale * r**-gamma``, the teacher's singular values (0.25 to 3).
    logit_scale
        Size of the teacher's largest singular value, in nats of logit (0 to 10).
    zipf_exponent
        Strength of the Zipf term on the next token's logits (0 to 3).
    seed
        Seed of the random teacher (a whole number >= 0).

    Examples
    --------
    >>> language = ToyLanguage(vocab_size=16, seed=1)
    >>> round(language.entropy_rate, 6) < float(np.log(16))
    True
    >>> bool(np.allclose(language.stationary @ language.transition, language.stationary))
    True
    """

    vocab_size: int = 512
    spectrum_exponent: float = 0.75
    logit_scale: float = 1.5
    zipf_exponent: float = 1.0
    seed: int = 0
    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        vocab = check_positive_int("vocab_size", self.vocab_size, minimum=4)
        if vocab > MAX_VOCAB:
            raise ValueError(f"vocab_size must be at most {MAX_VOCAB}; got {vocab}")
        object.__setattr__(self, "vocab_size", vocab)
        object.__setattr__(self, "spectrum_exponent",
                           _check_real("spectrum_exponent", self.spectrum_exponent, 0.25, 3.0))
        object.__setattr__(self, "logit_scale",
                           _check_real("logit_scale", self.logit_scale, 0.0, 10.0))
        object.__setattr__(self, "zipf_exponent",
                           _check_real("zipf_exponent", self.zipf_exponent, 0.0, 3.0))
        object.__setattr__(self, "seed", check_positive_int("seed", self.seed, minimum=0))

    @property
    def teacher_logits(self) -> NDArray[np.float64]:
        """The teacher's logits ``L``, ``vocab_size x vocab_size`` (row: current token)."""
        if "logits" not in self._cache:
            v = self.vocab_size
            rng = np.random.default_rng(self.seed)
            left = rng.standard_normal((v, v))
            right = rng.standard_normal((v, v))
            singular = self.logit_scale * np.arange(1, v + 1) ** -self.spectrum_exponent
            zipf = -self.zipf_exponent * np.log(np.arange(1, v + 1))
            self._cache["low_rank"] = (left * singular) @ right.T
            self._cache["logits"] = self._cache["low_rank"] + zipf[None, :]
        return self._cache["logits"]

    @property
    def realised_singular_values(self) -> NDArray[np.float64]:
        """Singular values of the teacher's random low-rank part ``U diag(s) W^T`` (the logits
        without the Zipf term), largest first, nats of logit.

        The factors are standard normal, not orthonormal, so these follow ``vocab_size`` times
        the planted :attr:`singular_values` over most ranks and fall below them in the tail:
        they are what a model of width ``d`` (a rank-``d`` map) leaves out.
        """
        if "realised" not in self._cache:
            self.teacher_logits  # noqa: B018 (fills the cache)
            self._cache["realised"] = np.linalg.svd(self._cache["low_rank"], compute_uv=False)
        return self._cache["realised"]

    @property
    def singular_values(self) -> NDArray[np.float64]:
        """The planted power-law spectrum ``s_r`` (before the random factors), nats."""
        return self.logit_scale * np.arange(1, self.vocab_size + 1) ** -self.spectrum_exponent

    @property
    def transition(self) -> NDArray[np.float64]:
        """``P[i, j]``, the probability that token ``j`` follows token ``i`` (rows sum to 1)."""
        if "transition" not in self._cache:
            logits = self.teacher_logits
            shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
            self._cache["transition"] = shifted / shifted.sum(axis=1, keepdims=True)
        return self._cache["transition"]

    @property
    def stationary(self) -> NDArray[np.float64]:
        """The stationary distribution ``pi`` (``pi P = pi``), solved as a linear system."""
        if "stationary" not in self._cache:
            self._cache["stationary"] = stationary_distribution(self.transition)
        return self._cache["stationary"]

    @property
    def entropy_rate(self) -> float:
        """The chain's entropy rate, nats per token: the lowest loss any model can reach.

        Exact up to floating-point rounding (about 1e-12 nats), since ``pi`` and ``P`` are
        computed, not sampled.
        """
        if "entropy" not in self._cache:
            self._cache["entropy"] = entropy_rate(self.transition)
        return self._cache["entropy"]

    @property
    def unigram_entropy(self) -> float:
        """Entropy of the stationary distribution, nats: the loss of a model that ignores
        the current token and predicts token frequencies."""
        pi = self.stationary
        return float(-(pi[pi > 0] * np.log(pi[pi > 0])).sum())

    def cross_entropy(self, log_probs: NDArray[np.floating]) -> float:
        """The expected loss of a model on this language, nats per token, exactly.

        Parameters
        ----------
        log_probs
            The model's log-probabilities of the next token, ``vocab_size x vocab_size``
            (row: current token).

        Returns
        -------
        float
            ``sum_i pi_i sum_j P[i, j] (-log_probs[i, j])``, the population cross-entropy: the
            loss on an infinite test set, with no sampling error.

        Raises
        ------
        TypeError
            If ``log_probs`` is not an array of real numbers.
        ValueError
            If it has the wrong shape or a value that is not finite.
        """
        try:
            q = np.asarray(log_probs, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"log_probs must be an array of real numbers; got "
                            f"{type(log_probs).__name__}") from None
        v = self.vocab_size
        if q.shape != (v, v):
            raise ValueError(f"log_probs must have shape ({v}, {v}); got {q.shape}")
        if not np.all(np.isfinite(q)):
            raise ValueError("log_probs must be finite")
        return float(-(self.stationary[:, None] * self.transition * q).sum())

    def stream(self, batch_size: int, seed: int) -> Iterator[tuple[NDArray[np.intp],
                                                                   NDArray[np.intp]]]:
        """An endless stream of fresh training pairs, ``batch_size`` chains advanced together.

        Each chain starts from the stationary distribution, so every batch is a sample of the
        language at stationarity. Batch ``t`` holds the current tokens ``x`` and the tokens
        ``y`` that follow them; the next batch continues from ``y``.

        Parameters
        ----------
        batch_size
            Chains run side by side (tokens per batch, >= 1).
        seed
            Seed of the data (a whole number >= 0); the same seed gives the same stream.

        Returns
        -------
        Iterator of tuple of ndarray
            ``(x, y)``, each ``batch_size`` token indices.

        Raises
        ------
        ValueError
            If ``batch_size`` or ``seed`` is not a whole number in its range (at once, not at
            the first batch).
        """
        batch = check_positive_int("batch_size", batch_size)
        rng = np.random.default_rng(check_positive_int("seed", seed, minimum=0))
        # checked here, when called, not at the first next() of a generator
        return self._chains(batch, rng)

    def _chains(self, batch: int, rng: np.random.Generator
                ) -> Iterator[tuple[NDArray[np.intp], NDArray[np.intp]]]:
        v = self.vocab_size
        # Row i's cumulative probabilities shifted by i form one sorted array, so one
        # searchsorted call draws the next token of every chain (inverse-CDF sampling).
        cumulative = np.cumsum(self.transition, axis=1)
        cumulative[:, -1] = 1.0
        flat = (cumulative + np.arange(v)[:, None]).ravel()
        start = np.cumsum(self.stationary)
        start[-1] = 1.0
        x = np.searchsorted(start, rng.random(batch), side="right")
        while True:
            u = rng.random(batch)
            y = np.searchsorted(flat, x + u, side="right") - x * v
            y = np.minimum(y, v - 1)
            yield x, y
            x = y


DEFAULT_LANGUAGE = ToyLanguage()
"""The course's toy language: 512 tokens, spectrum exponent 0.75, logit scale 1.5, Zipf
exponent 1, seed 0."""
