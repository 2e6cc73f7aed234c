"""Block entropies of the course's Markov-chain language, against Hilberg's conjecture.

For a stationary process the block entropy ``H(n)`` is the entropy of ``n`` consecutive tokens.
For a first-order Markov chain the chain rule and the Markov property give, exactly,
``H(n) = H(X_1) + (n - 1) h`` with ``h`` the entropy rate: linear in ``n`` after the first
term, so the excess entropy ``H(n) - n h = H(X_1) - h`` is finite and the same for every
``n``. Hilberg's conjecture (Hilberg 1990, as restated by Dębowski 2011) is that for natural
language ``H(n)`` grows like a power ``n^beta`` (beta about 1/2) on top of any linear term, so
the excess entropy grows without bound: a conjecture about language, which no finite-state
source such as :class:`~chinchilla_lib.experiment.language.ToyLanguage` satisfies.

:func:`markov_block_entropy` computes ``H(n)`` exactly; :func:`monte_carlo_block_entropy`
estimates it by sampling blocks and averaging their negative log-probability, as a check.
:func:`markov_block_mutual_information` gives the information two adjacent blocks share,
``I(n) = 2 H(n) - H(2n)``, constant for the chain; Dębowski (2014, arXiv:1403.1757,
Sec. I) states Hilberg's conjecture in this form, ``I(n)`` growing like a power of ``n``.
:func:`hilberg_block_entropy` evaluates the conjectured form ``h n + A n^beta`` to draw
beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from chinchilla_lib._validation import (
    as_finite_array,
    as_positive_array,
    check_instance,
    check_nonnegative,
    check_positive_int,
    single,
)
from chinchilla_lib.experiment.language import ToyLanguage
from chinchilla_lib.simulate._limits import check_count, check_seed

__all__ = ["BlockEntropyEstimate", "hilberg_block_entropy", "markov_block_entropy",
           "markov_block_mutual_information", "monte_carlo_block_entropy"]


def _check_lengths(lengths: ArrayLike) -> NDArray[np.int64]:
    try:
        array = np.asarray(lengths, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError("lengths must be a whole number or an array of them") from None
    if array.size == 0 or np.any(~np.isfinite(array)) or np.any(array < 1) \
            or np.any(array != np.round(array)) or np.any(array > 1e12):
        raise ValueError("lengths must hold whole numbers from 1 to 1e12")
    return array.astype(np.int64)


def markov_block_entropy(language: ToyLanguage, lengths: ArrayLike
                         ) -> float | NDArray[np.float64]:
    """The exact block entropy ``H(n) = H(X_1) + (n - 1) h`` of a stationary Markov chain, nats.

    ``H(X_1)`` is the entropy of the stationary distribution
    (:attr:`~chinchilla_lib.experiment.language.ToyLanguage.unigram_entropy`) and ``h`` the
    entropy rate (:attr:`~chinchilla_lib.experiment.language.ToyLanguage.entropy_rate`): by the
    chain rule ``H(n) = H(X_1) + sum_{t=2..n} H(X_t | X_{t-1})`` and each conditional entropy
    is ``h`` at stationarity.

    Parameters
    ----------
    language
        The chain.
    lengths
        Block lengths ``n``, whole numbers >= 1 (scalar or array).

    Returns
    -------
    float or ndarray
        ``H(n)`` in nats per block.

    Examples
    --------
    >>> lang = ToyLanguage(vocab_size=16, seed=1)
    >>> h = markov_block_entropy(lang, [1, 2, 3])
    >>> bool(np.isclose(h[2] - h[1], lang.entropy_rate))
    True
    """
    check_instance("language", language, ToyLanguage)
    n = _check_lengths(lengths)
    values = language.unigram_entropy + (n - 1) * language.entropy_rate
    return float(values) if np.ndim(lengths) == 0 else values.astype(np.float64)


@dataclass(frozen=True)
class BlockEntropyEstimate:
    """A Monte Carlo estimate of a block entropy.

    Attributes
    ----------
    length
        Block length ``n``, tokens.
    estimate
        Mean of ``-log P(block)`` over the sampled blocks, nats.
    standard_error
        Its standard error, nats.
    n_blocks
        Blocks sampled.
    """

    length: int
    estimate: float
    standard_error: float
    n_blocks: int


def monte_carlo_block_entropy(language: ToyLanguage, length: int, *, n_blocks: int = 16_384,
                              seed: int = 0) -> BlockEntropyEstimate:
    """Estimate ``H(n)`` by sampling blocks from the stationary chain.

    ``H(n) = E[-log P(X_1..X_n)]``; each sampled block's log-probability is computed exactly
    from the chain (``log pi(x_1) + sum log P[x_{t-1}, x_t]``), so the estimate is unbiased and
    its error is the sampling error only.

    Parameters
    ----------
    language
        The chain.
    length
        Block length ``n`` (1 to 10,000 tokens).
    n_blocks
        Blocks sampled (10 to 10^6; ``n_blocks * length`` at most 10^7).
    seed
        Seed of the sampling (a whole number >= 0).

    Returns
    -------
    BlockEntropyEstimate

    Examples
    --------
    >>> lang = ToyLanguage(vocab_size=16, seed=1)
    >>> est = monte_carlo_block_entropy(lang, 5, seed=0)
    >>> abs(est.estimate - markov_block_entropy(lang, 5)) < 4 * est.standard_error
    True
    """
    check_instance("language", language, ToyLanguage)
    n = check_positive_int("length", length)
    if n > 10_000:
        raise ValueError(f"length must be at most 10,000; got {n}")
    blocks = check_positive_int("n_blocks", n_blocks, minimum=10)
    if blocks > 1_000_000:
        raise ValueError(f"n_blocks must be at most 1,000,000; got {blocks}")
    check_count("n_blocks * length", blocks * n, 10**7)
    pi = language.stationary
    log_p = np.log(language.transition)
    stream = language.stream(blocks, check_seed(seed))
    x, y = next(stream)
    log_prob = np.log(pi[x]) + (log_p[x, y] if n > 1 else 0.0)
    for _ in range(n - 2):
        x, y = next(stream)
        log_prob += log_p[x, y]
    values = -log_prob
    return BlockEntropyEstimate(n, float(values.mean()),
                                float(values.std(ddof=1) / np.sqrt(blocks)), blocks)


def markov_block_mutual_information(language: ToyLanguage, lengths: ArrayLike
                                    ) -> float | NDArray[np.float64]:
    """The information two adjacent blocks of ``n`` tokens share, ``2 H(n) - H(2n)``, nats.

    For the Markov chain it is ``H(X_1) - h`` for every ``n`` (:func:`markov_block_entropy`):
    bounded, where Hilberg's conjecture has it grow like ``n^beta`` for natural language.

    Parameters
    ----------
    language
        The chain.
    lengths
        Block lengths ``n``, whole numbers >= 1 (scalar or array).

    Returns
    -------
    float or ndarray
        ``I(n)`` in nats.

    Examples
    --------
    >>> lang = ToyLanguage(vocab_size=16, seed=1)
    >>> i = markov_block_mutual_information(lang, [1, 100])
    >>> bool(np.isclose(i[0], i[1]))
    True
    """
    check_instance("language", language, ToyLanguage)
    n = _check_lengths(lengths)
    values = 2 * markov_block_entropy(language, n) - markov_block_entropy(language, 2 * n)
    return float(values[0]) if np.ndim(lengths) == 0 else values


def hilberg_block_entropy(lengths: ArrayLike, *, entropy_rate: float = 0.0,
                          amplitude: float = 1.0, exponent: float | None = None
                          ) -> float | NDArray[np.float64]:
    """Hilberg's conjectured block entropy ``H(n) = h n + A n^beta``, nats.

    Hilberg (1990), as Dębowski (2011, Introduction) restates it: the entropy of a block of
    ``n`` characters of text is roughly proportional to ``sqrt(n)`` (``h = 0``,
    ``beta = 1/2``); later statements add the linear term ``h n``. A conjecture about natural
    language, not a law measured here: this function only draws its shape, beside
    :func:`markov_block_entropy`.

    Parameters
    ----------
    lengths
        Block lengths ``n`` (> 0, scalar or array).
    entropy_rate
        ``h``, nats per token (>= 0; Hilberg took 0).
    amplitude
        ``A``, nats (> 0).
    exponent
        ``beta`` in (0, 1); None for the registered ``hilberg_block_entropy_exponent`` (1/2).

    Returns
    -------
    float or ndarray
        ``H(n)`` in nats.

    Examples
    --------
    >>> hilberg_block_entropy(100.0)
    10.0
    """
    n = as_positive_array("lengths", lengths)
    h = single("entropy_rate", check_nonnegative("entropy_rate", entropy_rate))
    a = single("amplitude", as_positive_array("amplitude", amplitude))
    if exponent is None:
        from chinchilla_lib import registry

        beta = registry.constant("hilberg_block_entropy_exponent").value
    else:
        beta = single("exponent", as_finite_array("exponent", exponent))
        if not 0 < beta < 1:
            raise ValueError(f"exponent must lie in (0, 1); got {exponent!r}")
    values = h * n + a * n**beta
    if not np.all(np.isfinite(values)):
        raise ValueError("lengths too large: H(n) overflows")
    return float(values) if np.ndim(lengths) == 0 else values
