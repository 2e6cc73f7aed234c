"""Data pruning in the teacher-student perceptron of Sorscher et al. (2022).

A teacher vector T labels Gaussian inputs, y = sign(T x). From P = alpha_total d examples a
pruning metric keeps a fraction f: the hardest (the smallest margins, in absolute value, along
the metric's vector M) or the easiest. A student is trained on what is kept (logistic
regression with a weak ridge, solved by Newton's method, which approaches the maximum-margin
solution on separable data), and its test error is angle(student, teacher) / pi. The
metric's quality is the angle between M and T (0 for a perfect metric).

This is a direct simulation of the paper's setting, not its replica-theory solution.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from chinchilla_lib._validation import (
    as_finite_array,
    as_positive_array,
    check_fraction,
    check_nonnegative,
    check_positive_int,
    checks_overflow,
    single,
)
from chinchilla_lib.simulate._limits import MAX_VALUES, check_count, check_mode, check_seed

__all__ = ["MAX_PRUNING_CELLS", "MAX_PRUNING_WORK", "PruningResult", "PruningSweep",
           "pruning_sweep", "simulate_pruning"]

MODES = ("hard", "easy", "random")
_NEWTON_STEPS = 40

MAX_PRUNING_WORK = 50_000_000
"""Most work one :func:`simulate_pruning` call may take, counted as
``repeats * (kept examples + dims) * dims**2`` (each of the 40 Newton steps of a repeat costs
about that many multiply-adds): about a second on one core. The course's largest call takes 33
million."""
MAX_PRUNING_CELLS = 100
"""Most cells (fractions kept times pruned sizes) one :func:`pruning_sweep` call simulates."""


@dataclass(frozen=True)
class PruningResult:
    """Test errors of students trained on pruned data.

    Attributes
    ----------
    alpha_total
        Examples before pruning, per input dimension.
    alpha_kept
        Examples kept, per input dimension.
    error
        Mean test error (angle / pi) over the repeats.
    """

    alpha_total: float
    alpha_kept: float
    error: float

    def __post_init__(self) -> None:
        total = single("alpha_total", as_positive_array("alpha_total", self.alpha_total))
        kept = single("alpha_kept", as_positive_array("alpha_kept", self.alpha_kept))
        if kept > total:
            raise ValueError(f"alpha_kept must be <= alpha_total={total!r}; got {kept!r}")
        error = single("error", check_fraction("error", self.error, allow_zero=True))
        object.__setattr__(self, "alpha_total", total)
        object.__setattr__(self, "alpha_kept", kept)
        object.__setattr__(self, "error", error)


def _train(x: NDArray[np.float64], y: NDArray[np.float64], ridge: float = 1e-4,
           steps: int | None = None) -> NDArray[np.float64]:
    # The products are einsum's own loops, not BLAS: a multithreaded BLAS on busy cores spent
    # seconds spinning on these small matrices (simulate_pruning(10) took 2 to 7 s, not 0.1).
    count, dims = x.shape
    w = np.zeros(dims)
    for _ in range(_NEWTON_STEPS if steps is None else steps):
        z = np.clip(y * np.einsum("nd,d->n", x, w), -50.0, 50.0)
        p = 1.0 / (1.0 + np.exp(z))
        grad = -(x * (y * p)[:, None]).sum(axis=0) + ridge * count * w
        hess = (np.einsum("ni,nj->ij", x * (p * (1 - p))[:, None], x)
                + ridge * count * np.eye(dims))
        w -= np.linalg.solve(hess, grad)
    return w


@checks_overflow
def simulate_pruning(alpha_total: float, keep: float = 1.0, mode: str = "hard", *,
                     metric_angle: float = 0.0, dims: int = 50, repeats: int = 6,
                     seed: int = 0) -> PruningResult:
    """Train students on pruned data and return their mean test error.

    Parameters
    ----------
    alpha_total
        Examples before pruning per dimension (> 0); ``alpha_total * dims`` examples are
        drawn, at most :data:`~chinchilla_lib.simulate.runs.MAX_VALUES` numbers in all.
    keep
        Fraction f of examples kept, in (0, 1].
    mode
        ``"hard"`` keeps the smallest margins, ``"easy"`` the largest, ``"random"`` a random
        subset.
    metric_angle
        Angle in radians between the metric's vector and the teacher, in [0, pi/2).
    dims
        Input dimension d (>= 2).
    repeats
        Independent draws averaged (>= 1). The work, ``repeats * (kept examples + dims) *
        dims**2``, is at most :data:`MAX_PRUNING_WORK` (about a second).
    seed
        Seed of the draws (whole number >= 0).
    """
    alpha = single("alpha_total", as_positive_array("alpha_total", alpha_total))
    f = single("keep", check_fraction("keep", keep))
    check_mode("mode", mode, MODES)
    angle = single("metric_angle", check_nonnegative("metric_angle", metric_angle))
    if not angle < np.pi / 2:
        raise ValueError(f"metric_angle must lie in [0, pi/2); got {metric_angle!r}")
    d = check_positive_int("dims", dims, minimum=2)
    n_rep = check_positive_int("repeats", repeats)
    rng = np.random.default_rng(check_seed(seed))
    check_count("alpha_total * dims**2 (the numbers drawn)", alpha * d * d, MAX_VALUES)
    total = max(d, round(alpha * d))
    kept = max(2, round(f * total))
    check_count("repeats * (keep * alpha_total * dims + dims) * dims**2 (the work)",
                n_rep * (kept + d) * d * d, MAX_PRUNING_WORK)
    errors = []
    for _ in range(n_rep):
        teacher = rng.standard_normal(d)
        teacher /= np.linalg.norm(teacher)
        other = rng.standard_normal(d)
        other -= (other @ teacher) * teacher
        other /= np.linalg.norm(other)
        metric = np.cos(angle) * teacher + np.sin(angle) * other
        x = rng.standard_normal((total, d))
        y = np.sign(x @ teacher)
        margin = np.abs(x @ metric)
        if mode == "hard":
            rows = np.argsort(margin)[:kept]
        elif mode == "easy":
            rows = np.argsort(margin)[-kept:]
        else:
            rows = rng.permutation(total)[:kept]
        w = _train(x[rows], y[rows])
        cosine = w @ teacher / np.linalg.norm(w)
        errors.append(np.arccos(np.clip(cosine, -1.0, 1.0)) / np.pi)
    return PruningResult(total / d, kept / d, float(np.mean(errors)))


@dataclass(frozen=True)
class PruningSweep:
    """Test errors over a grid of pruned data set sizes and fractions kept.

    Attributes
    ----------
    alpha_kept
        Examples kept per input dimension (the pruned data set size, Sorscher et al.'s
        alpha_prune), one per column.
    keep
        Fractions kept, one per row; row ``i`` prunes from ``alpha_kept / keep[i]`` examples
        per dimension. A fraction of 1 is the unpruned baseline.
    errors
        Mean test errors, shape ``(len(keep), len(alpha_kept))``.
    """

    alpha_kept: NDArray[np.float64]
    keep: NDArray[np.float64]
    errors: NDArray[np.float64]

    def __post_init__(self) -> None:
        kept = as_positive_array("alpha_kept", self.alpha_kept)
        fractions = check_fraction("keep", self.keep)
        errors = check_fraction("errors", self.errors, allow_zero=True)
        if kept.ndim != 1 or fractions.ndim != 1 or errors.shape != (fractions.size, kept.size):
            raise ValueError(f"alpha_kept and keep must be 1-D and errors of shape "
                             f"(len(keep), len(alpha_kept)); got shapes {kept.shape}, "
                             f"{fractions.shape} and {errors.shape}")
        object.__setattr__(self, "alpha_kept", kept)
        object.__setattr__(self, "keep", fractions)
        object.__setattr__(self, "errors", errors)

    @property
    def frontier(self) -> NDArray[np.float64]:
        """The lowest error at each pruned size over the fractions kept."""
        return self.errors.min(axis=0)

    @checks_overflow
    def power_law_slope(self, errors: NDArray[np.float64], from_kept: float = 0.0) -> float:
        """Least-squares slope of log error against log alpha_kept, over alpha_kept >=
        ``from_kept``: the exponent a power law fitted there would have (-1 is error ~ 1 /
        alpha). ``errors`` is a row of :attr:`errors` or :attr:`frontier` (each finite and
        > 0); ``from_kept`` is finite and must leave at least two distinct sizes."""
        values = as_positive_array("errors", errors)
        if values.shape != self.alpha_kept.shape:
            raise ValueError(f"errors must have one value per alpha_kept "
                             f"({self.alpha_kept.size}); got shape {values.shape}")
        start = single("from_kept", as_finite_array("from_kept", from_kept))
        use = self.alpha_kept >= start
        if np.unique(self.alpha_kept[use]).size < 2:
            raise ValueError(f"from_kept must leave at least two distinct sizes; got "
                             f"{from_kept!r}")
        return float(np.polyfit(np.log(self.alpha_kept[use]), np.log(values[use]), 1)[0])

    @property
    def best_keep(self) -> NDArray[np.float64]:
        """The fraction kept that gives :attr:`frontier` at each pruned size."""
        return self.keep[self.errors.argmin(axis=0)]


@checks_overflow
def pruning_sweep(alpha_kept: NDArray[np.float64] | list[float],
                  keep: NDArray[np.float64] | list[float], mode: str = "hard", *,
                  metric_angle: float = 0.0, dims: int = 50, repeats: int = 6,
                  seed: int = 0) -> PruningSweep:
    """Simulate pruning over a grid of pruned sizes and fractions kept.

    For each fraction f in ``keep`` and each pruned size alpha_kept, a student is trained on
    the ``mode`` fraction f of alpha_kept / f examples per dimension (a fraction of 1 keeps
    everything, the power-law baseline). This is how Sorscher et al. compare pruning
    strategies at equal pruned data set size.

    Parameters
    ----------
    alpha_kept
        Examples kept per dimension (each > 0), 1-D or a single number.
    keep
        Fractions kept (each in (0, 1]), 1-D or a single number; at most
        :data:`MAX_PRUNING_CELLS` cells, ``len(keep) * len(alpha_kept)``.
    mode, metric_angle, dims, repeats, seed
        As for :func:`simulate_pruning`; every cell of the grid uses the same seed, and each
        is held to the limits stated there.

    Returns
    -------
    PruningSweep
    """
    kept = np.atleast_1d(as_positive_array("alpha_kept", alpha_kept))
    fractions = np.atleast_1d(check_fraction("keep", keep))
    for name, array in (("alpha_kept", kept), ("keep", fractions)):
        if array.ndim != 1:
            raise ValueError(f"{name} must be 1-D; got shape {array.shape}")
    check_count("len(keep) * len(alpha_kept)", fractions.size * kept.size, MAX_PRUNING_CELLS)
    check_mode("mode", mode, MODES)
    errors = np.array([[simulate_pruning(a / f, f, "random" if f == 1.0 else mode,
                                         metric_angle=metric_angle, dims=dims,
                                         repeats=repeats, seed=seed).error for a in kept]
                       for f in fractions])
    return PruningSweep(kept, fractions, errors)
