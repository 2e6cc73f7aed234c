"""A finite benchmark scored by simulated models: apparent emergence on simulated data.

Each answer token is right independently with the probability a per-token loss gives
(:mod:`chinchilla_lib.laws.emergence` has the expected scores in closed form); a benchmark of a
few hundred questions then shows the binomial scatter a real one has.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from chinchilla_lib._validation import (
    as_positive_array,
    check_fraction,
    check_instance,
    check_positive_int,
    checks_overflow,
)
from chinchilla_lib.laws.power import PowerLaw
from chinchilla_lib.simulate._limits import check_count, check_seed

__all__ = ["BenchmarkScores", "simulate_benchmark"]


@dataclass(frozen=True)
class BenchmarkScores:
    """Simulated scores of a family of models on one task.

    Attributes
    ----------
    parameters
        Model sizes N (parameters).
    token_loss
        Per-token cross-entropy on the answer tokens (nats per token).
    token_accuracy
        Fraction of answer tokens right, measured on the questions (a smooth metric).
    exact_match
        Fraction of questions answered exactly right (a thresholded metric).
    """

    parameters: NDArray[np.float64]
    token_loss: NDArray[np.float64]
    token_accuracy: NDArray[np.float64]
    exact_match: NDArray[np.float64]

    def __post_init__(self) -> None:
        arrays = {"parameters": as_positive_array("parameters", self.parameters),
                  "token_loss": as_positive_array("token_loss", self.token_loss),
                  "token_accuracy": check_fraction("token_accuracy", self.token_accuracy,
                                                   allow_zero=True),
                  "exact_match": check_fraction("exact_match", self.exact_match,
                                                allow_zero=True)}
        shapes = {name: a.shape for name, a in arrays.items()}
        if any(a.ndim != 1 for a in arrays.values()) or len(set(shapes.values())) != 1:
            raise ValueError(f"parameters, token_loss, token_accuracy and exact_match must be "
                             f"1-D of one length; got shapes {shapes}")
        for name, a in arrays.items():
            object.__setattr__(self, name, a)


@checks_overflow
def simulate_benchmark(parameters: ArrayLike, token_loss: PowerLaw, *, answer_tokens: int,
                       questions: int = 500, seed: int = 0) -> BenchmarkScores:
    """Score simulated models on a task of ``questions`` answers, each ``answer_tokens`` long.

    Each answer token is right independently with probability exp(-token_loss(N)); the scores
    are therefore binomial draws around their expectations, as on a real finite benchmark.

    Parameters
    ----------
    parameters
        Model sizes N (parameters, finite, > 0), 1-D.
    token_loss
        Per-token loss as a :class:`~chinchilla_lib.laws.power.PowerLaw` in N (nats per token).
    answer_tokens
        Tokens per answer (>= 1).
    questions
        Number of questions on the benchmark (>= 1). At most :data:`MAX_VALUES` answer tokens
        are drawn in all, ``len(parameters) * questions * answer_tokens``.
    seed
        Seed of the random generator (whole number >= 0), for a reproducible draw.
    """
    sizes = as_positive_array("parameters", parameters)
    if sizes.ndim != 1:
        raise ValueError(f"parameters must be 1-D; got shape {sizes.shape}")
    check_instance("token_loss", token_loss, PowerLaw)
    k = check_positive_int("answer_tokens", answer_tokens)
    n = check_positive_int("questions", questions)
    check_count("len(parameters) * questions * answer_tokens", sizes.size * n * k)
    losses = np.asarray(token_loss(sizes), dtype=float)
    p = np.exp(-losses)
    rng = np.random.default_rng(check_seed(seed))
    correct = rng.random((sizes.size, n, k)) < p[:, None, None]
    return BenchmarkScores(sizes, losses, correct.mean(axis=(1, 2)),
                           correct.all(axis=2).mean(axis=1))
