"""A noisy quadratic model: where the critical batch size comes from, in a model small enough
to solve.

The loss is L(theta) = (1/2) sum_i h_i theta_i^2 with a Hessian spectrum h_i (default
h_i = 1/i for i = 1..100, a dimension the course chose; Zhang et al. 2019's NQM has
h_i = 1/i, in 10^4 dimensions in public reimplementations, not read in the paper here). A
gradient from one example is H theta plus noise of covariance c H (the noise covariance
proportional to the Hessian, Zhang et al.'s assumption); a batch of B examples divides that
covariance by B. SGD with learning rate lr then moves each coordinate independently:

    theta_i <- (1 - lr h_i) theta_i - lr sqrt(c h_i / B) xi,    xi ~ N(0, 1),

and the expected squared coordinate m_i = E[theta_i^2] follows
m_i(t) = s_i + (m_i(0) - s_i) (1 - lr h_i)^(2t), with s_i = lr c / (B (2 - lr h_i)), so the
expected loss has a closed form at every step (:meth:`NoisyQuadratic.expected_loss`);
:meth:`NoisyQuadratic.simulate` draws the runs themselves (seeded) and is tested against it.

:func:`batch_size_study` measures, for a grid of batch sizes, the steps S(B) that SGD needs
to bring the expected loss to a target, and the examples E(B) = B S(B), with one of two
learning-rate rules: McCandlish et al.'s optimal step at every step
(:meth:`NoisyQuadratic.greedy_steps`, the default: it is the rule their model assumes) or the
best fixed learning rate for each batch size (:meth:`NoisyQuadratic.best_steps`, Zhang et
al.'s protocol). McCandlish et al. (2018) predict S = S_min (1 + B_crit / B) with B_crit close
to the noise scale of the optimal step, B_noise, and measure in practice their simple noise
scale B_simple = tr(Sigma) / (G^T G) (:meth:`NoisyQuadratic.simple_noise_scale`), which
equals B_noise when the Hessian is a multiple of the identity;
:func:`chinchilla_lib.fitting.fit_batch_tradeoff` fits S_min and E_min to the measured
points.

The fitted B_crit is not B_simple, for two reasons the model makes visible: B_simple equals
B_noise = tr(H Sigma) / (G^T H G)
(:meth:`NoisyQuadratic.noise_scale`), only when the Hessian is a multiple of the identity; and
both grow as the loss falls (the gradient shrinks, the noise does not), so the B_crit of a
whole run is an average over a noise scale that starts near B_simple(start) and ends at
B_simple(target). On the default model B_crit lies between the two, within a factor of two
of B_noise at the target and about a third of B_simple there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from chinchilla_lib._validation import (
    as_positive_array,
    check_fraction,
    check_positive_int,
    single,
)
from chinchilla_lib.fitting.batch_size import BatchTradeoffFit, fit_batch_tradeoff

__all__ = ["MAX_NQM_DIM", "MAX_NQM_WORK", "BatchSizeStudy", "NoisyQuadratic",
           "batch_size_study"]

Array = NDArray[np.float64]

MAX_NQM_DIM = 100_000
"""Largest number of coordinates a :class:`NoisyQuadratic` accepts."""

MAX_NQM_WORK = 50_000_000
"""Largest runs x steps x coordinates :meth:`NoisyQuadratic.simulate` draws (memory and time)."""

_BISECTIONS = 60
_LR_GRID = 50
_GOLDEN = 30
_LOG_T_RANGE = (-4.0, 30.0)


@dataclass(frozen=True, eq=False)
class NoisyQuadratic:
    """A quadratic loss with a Hessian spectrum and gradient noise proportional to the Hessian.

    Parameters
    ----------
    curvatures
        h_i, the Hessian's eigenvalues (> 0), one per coordinate (1-D).
    initial_sq
        theta_i(0)^2 (> 0): one value for every coordinate, or one per coordinate. Runs start
        at theta_i(0) = sqrt(initial_sq), the same point for every run.
    noise
        c (> 0): one example's gradient noise has covariance c H.

    Examples
    --------
    >>> nqm = NoisyQuadratic.power_spectrum()
    >>> print(f"{nqm.initial_loss:.3f}")
    2.594
    >>> print(f"{float(nqm.expected_loss(batch=64, lr=0.5, steps=100)):.3f}")
    0.120
    """

    curvatures: Array
    initial_sq: Array
    noise: float = 1.0

    def __post_init__(self) -> None:
        h = as_positive_array("curvatures", self.curvatures)
        if h.ndim != 1 or h.size > MAX_NQM_DIM:
            raise ValueError(f"curvatures must be 1-D with at most {MAX_NQM_DIM} values; got "
                             f"shape {h.shape}")
        m0 = as_positive_array("initial_sq", self.initial_sq)
        if m0.ndim > 1 or m0.size not in (1, h.size):
            raise ValueError(f"initial_sq must be one value or one per curvature ({h.size}); "
                             f"got shape {m0.shape}")
        h.setflags(write=False)
        m0 = np.broadcast_to(m0, h.shape).copy()
        m0.setflags(write=False)
        object.__setattr__(self, "curvatures", h)
        object.__setattr__(self, "initial_sq", m0)
        object.__setattr__(self, "noise", single("noise", as_positive_array("noise", self.noise)))

    @classmethod
    def power_spectrum(cls, dim: int = 100, power: float = 1.0, initial_sq: float = 1.0,
                       noise: float = 1.0) -> NoisyQuadratic:
        """h_i = i^(-power) for i = 1..dim (Zhang et al.'s NQM has power 1), theta_i(0)^2 equal.

        Parameters
        ----------
        dim
            Number of coordinates (1 to ``MAX_NQM_DIM``).
        power
            Decay of the spectrum (> 0).
        initial_sq
            theta_i(0)^2 for every coordinate (> 0).
        noise
            c, the per-example noise covariance over H (> 0).
        """
        n = check_positive_int("dim", dim)
        if n > MAX_NQM_DIM:
            raise ValueError(f"dim must be between 1 and {MAX_NQM_DIM}; got {n}")
        p = single("power", as_positive_array("power", power))
        h = np.arange(1, n + 1, dtype=float) ** -p
        return cls(curvatures=h, initial_sq=np.asarray(initial_sq, dtype=float), noise=noise)

    @property
    def max_lr(self) -> float:
        """2 / max(h): SGD diverges at or above this learning rate."""
        return 2.0 / float(self.curvatures.max())

    @property
    def initial_loss(self) -> float:
        """L(theta(0)) = (1/2) sum h_i theta_i(0)^2."""
        return float(self.loss(self.initial_sq))

    def loss(self, theta_sq: ArrayLike) -> float | Array:
        """(1/2) sum_i h_i theta_i^2 over the last axis of ``theta_sq`` (squared coordinates,
        >= 0, the last axis one per curvature)."""
        m = self._squares(theta_sq)
        return 0.5 * (m @ self.curvatures)

    def simple_noise_scale(self, theta_sq: ArrayLike) -> float | Array:
        """B_simple = tr(Sigma) / (G^T G) = c sum h_i / sum h_i^2 theta_i^2 at a point.

        McCandlish et al.'s simple noise scale, with Sigma = c H the per-example gradient
        covariance and G = H theta the true gradient; in examples.

        Parameters
        ----------
        theta_sq
            theta_i^2 (>= 0, not all 0), the last axis one per curvature.
        """
        m = self._squares(theta_sq)
        return self.noise * self.curvatures.sum() / (m @ self.curvatures**2)

    def noise_scale(self, theta_sq: ArrayLike) -> float | Array:
        """B_noise = tr(H Sigma) / (G^T H G) = c sum h_i^2 / sum h_i^3 theta_i^2 at a point.

        The noise scale of McCandlish et al.'s optimal step, in examples; it equals
        B_simple only when every h_i is the same.

        Parameters
        ----------
        theta_sq
            theta_i^2 (>= 0, not all 0), the last axis one per curvature.
        """
        m = self._squares(theta_sq)
        return self.noise * (self.curvatures**2).sum() / (m @ self.curvatures**3)

    def _squares(self, theta_sq: ArrayLike) -> Array:
        m = np.asarray(theta_sq, dtype=float)
        if m.ndim == 0 or m.shape[-1] != self.curvatures.size:
            raise ValueError(f"theta_sq must have a last axis of {self.curvatures.size} values; "
                             f"got shape {m.shape}")
        if not np.all(np.isfinite(m)) or np.any(m < 0) or np.any(m.sum(axis=-1) <= 0):
            raise ValueError("theta_sq must be finite, >= 0 and not all 0")
        return m

    def _check_lr(self, lr: ArrayLike) -> Array:
        a = as_positive_array("lr", lr)
        if np.any(a >= self.max_lr):
            raise ValueError(f"lr must be in (0, {self.max_lr:.6g}) (2 / the largest "
                             f"curvature); got {lr!r}")
        return a

    def _moments(self, batch: Array, lr: Array) -> tuple[Array, Array]:
        """(s, r) per coordinate on a trailing axis: the stationary E[theta^2] and the
        per-step factor (1 - lr h)^2, broadcast over batch and lr."""
        b = batch[..., None]
        a = lr[..., None]
        h = self.curvatures
        stationary = a * self.noise / (b * (2.0 - a * h))
        return stationary, (1.0 - a * h) ** 2

    def expected_squares(self, batch: ArrayLike, lr: ArrayLike, steps: ArrayLike) -> Array:
        """E[theta_i(t)^2] after ``steps`` SGD steps, exactly: s_i + (m_i(0) - s_i) r_i^t.

        Parameters
        ----------
        batch
            B, examples per step (> 0).
        lr
            Learning rate, in (0, 2 / max h).
        steps
            t, steps (>= 0; real values interpolate).

        Returns
        -------
        ndarray
            Shape broadcast(batch, lr, steps) + (number of coordinates,).
        """
        b = as_positive_array("batch", batch)
        a = self._check_lr(lr)
        t = np.asarray(steps, dtype=float)
        if not np.all(np.isfinite(t)) or np.any(t < 0):
            raise ValueError(f"steps must be finite and >= 0; got {steps!r}")
        b, a, t = np.broadcast_arrays(b, a, t)
        s, r = self._moments(b, a)
        return s + (self.initial_sq - s) * r ** t[..., None]

    def expected_loss(self, batch: ArrayLike, lr: ArrayLike,
                      steps: ArrayLike) -> float | Array:
        """E[L(theta(t))] after ``steps`` SGD steps at batch size B and learning rate lr.

        Arguments as in :meth:`expected_squares`; the result has their broadcast shape.
        """
        value = 0.5 * (self.expected_squares(batch, lr, steps) @ self.curvatures)
        return float(value) if np.ndim(value) == 0 else value

    def simulate(self, batch: float, lr: float, steps: int, runs: int = 8,
                 seed: int | None = 0) -> Array:
        """Draw SGD runs: the loss of each run at steps 0..``steps``.

        Parameters
        ----------
        batch
            B, examples per step (> 0).
        lr
            Learning rate, in (0, 2 / max h).
        steps
            Steps to take (>= 1).
        runs
            Independent runs (>= 1); runs x steps x coordinates at most ``MAX_NQM_WORK``.
        seed
            Seed of NumPy's default generator.

        Returns
        -------
        ndarray
            Shape (runs, steps + 1), nats (the loss's own unit).
        """
        b = single("batch", as_positive_array("batch", batch))
        a = single("lr", self._check_lr(lr))
        n_steps = check_positive_int("steps", steps)
        n_runs = check_positive_int("runs", runs)
        if n_runs * n_steps * self.curvatures.size > MAX_NQM_WORK:
            raise ValueError(f"runs x steps x coordinates must be at most {MAX_NQM_WORK}; got "
                             f"{n_runs} x {n_steps} x {self.curvatures.size}")
        rng = np.random.default_rng(seed)
        h = self.curvatures
        theta = np.broadcast_to(np.sqrt(self.initial_sq), (n_runs, h.size)).copy()
        shrink = 1.0 - a * h
        kick = a * np.sqrt(self.noise * h / b)
        losses = np.empty((n_runs, n_steps + 1))
        losses[:, 0] = 0.5 * (theta**2 @ h)
        for t in range(1, n_steps + 1):
            theta = shrink * theta - kick * rng.standard_normal(theta.shape)
            losses[:, t] = 0.5 * (theta**2 @ h)
        return losses

    def steps_to_loss(self, batch: ArrayLike, lr: ArrayLike, target: float) -> float | Array:
        """The steps t (real) at which the expected loss first reaches ``target``.

        ``inf`` where the run's stationary loss stays at or above the target. Found by
        bisection on log t; the expected loss falls monotonically in t whenever
        initial_sq >= the stationary E[theta_i^2], as it is for every target reachable from
        a start above the noise floor.

        Parameters
        ----------
        batch
            B (> 0).
        lr
            Learning rate, in (0, 2 / max h); broadcast against ``batch``.
        target
            The loss to reach, in (0, initial loss).
        """
        b = as_positive_array("batch", batch)
        a = self._check_lr(lr)
        goal = self._check_target(target)
        b, a = np.broadcast_arrays(b, a)
        result = self._steps(b, a, goal)
        return float(result) if result.ndim == 0 else result

    def _check_target(self, target: float) -> float:
        goal = single("target", as_positive_array("target", target))
        if goal >= self.initial_loss:
            raise ValueError(f"target must be in (0, {self.initial_loss:.6g}) (the initial "
                             f"loss); got {target!r}")
        return goal

    def _steps(self, b: Array, a: Array, goal: float) -> Array:
        s, r = self._moments(b, a)
        h = self.curvatures
        floor = 0.5 * (s @ h)
        excess = 0.5 * (self.initial_sq - s) * h
        log_r = np.log(r)
        lo = np.full(b.shape, _LOG_T_RANGE[0])
        hi = np.full(b.shape, _LOG_T_RANGE[1])

        def loss_at(log_t: Array) -> Array:
            return floor + (excess * np.exp(np.exp(log_t)[..., None] * log_r)).sum(axis=-1)

        for _ in range(_BISECTIONS):
            mid = 0.5 * (lo + hi)
            above = loss_at(mid) > goal
            lo = np.where(above, mid, lo)
            hi = np.where(above, hi, mid)
        t = np.exp(hi)
        reachable = (floor < goal) & (loss_at(hi) <= goal * (1 + 1e-9))
        return np.where(reachable, t, np.inf)

    def best_steps(self, batch: ArrayLike, target: float) -> tuple[Array, Array]:
        """The fewest steps to reach ``target`` at each batch size, over fixed learning rates.

        A log grid of learning rates up to 2 / max h, refined by golden-section search in
        log lr around the best grid point.

        Parameters
        ----------
        batch
            Batch sizes B (> 0), 1-D.
        target
            The expected loss to reach, in (0, initial loss).

        Returns
        -------
        (ndarray, ndarray)
            Steps (real) and the learning rate that achieves them, one per batch size.
        """
        b = np.atleast_1d(as_positive_array("batch", batch))
        if b.ndim != 1:
            raise ValueError(f"batch must be 1-D; got shape {b.shape}")
        goal = self._check_target(target)
        log_max = np.log(self.max_lr * (1 - 1e-9))
        grid = np.linspace(log_max - np.log(1e6), log_max, _LR_GRID)
        steps = self._steps(b[:, None], np.exp(grid)[None, :], goal)
        best = np.argmin(steps, axis=1)
        lo = grid[np.maximum(best - 1, 0)]
        hi = grid[np.minimum(best + 1, grid.size - 1)]
        ratio = (np.sqrt(5.0) - 1.0) / 2.0
        x1, x2 = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
        f1, f2 = self._steps(b, np.exp(x1), goal), self._steps(b, np.exp(x2), goal)
        for _ in range(_GOLDEN):
            left = f1 <= f2  # the minimum lies in [lo, x2]
            lo, hi = np.where(left, lo, x1), np.where(left, x2, hi)
            new = np.where(left, hi - ratio * (hi - lo), lo + ratio * (hi - lo))
            f_new = self._steps(b, np.exp(new), goal)
            x1, x2, f1, f2 = (np.where(left, new, x2), np.where(left, x1, new),
                              np.where(left, f_new, f2), np.where(left, f1, f_new))
        candidates = np.stack([steps[np.arange(b.size), best], f1, f2])
        lrs = np.stack([np.exp(grid[best]), np.exp(x1), np.exp(x2)])
        pick = np.argmin(candidates, axis=0)
        return candidates[pick, np.arange(b.size)], lrs[pick, np.arange(b.size)]

    def greedy_steps(self, batch: ArrayLike, target: float,
                     max_steps: int = 100_000) -> tuple[Array, Array]:
        """Steps to reach ``target`` with McCandlish et al.'s optimal step at every step.

        At each step the learning rate maximises the expected fall of the loss given the
        current E[theta_i^2] = m_i: lr = lr_max / (1 + B_noise / B), with
        lr_max = sum h^2 m / sum h^3 m and B_noise = c sum h^2 / sum h^3 m (the noise scale of
        :meth:`noise_scale` at the current point). The expected squares then follow
        m <- (1 - lr h)^2 m + lr^2 c h / B exactly. The crossing of the target between two
        steps is interpolated linearly, so the steps are real numbers.

        Parameters
        ----------
        batch
            Batch sizes B (> 0), 1-D.
        target
            The expected loss to reach, in (0, initial loss).
        max_steps
            Steps after which a run that has not reached the target is reported as ``inf``
            (1 to 10^6; batches x steps x coordinates at most ``MAX_NQM_WORK`` x 100).

        Returns
        -------
        (ndarray, ndarray)
            Steps (real) per batch size, and E[theta_i^2] where each run reached the target
            (shape (batches, coordinates); NaN for a run that did not).
        """
        b = np.atleast_1d(as_positive_array("batch", batch))
        if b.ndim != 1:
            raise ValueError(f"batch must be 1-D; got shape {b.shape}")
        goal = self._check_target(target)
        limit = check_positive_int("max_steps", max_steps)
        if limit > 1_000_000:
            raise ValueError(f"max_steps must be between 1 and 1000000; got {limit}")
        h = self.curvatures
        h2, h3 = h**2, h**3
        m = np.broadcast_to(self.initial_sq, (b.size, h.size)).copy()
        loss = np.full(b.size, self.initial_loss)
        steps = np.full(b.size, np.inf)
        reached = np.full((b.size, h.size), np.nan)
        active = np.ones(b.size, dtype=bool)
        noise_h = self.noise * h
        for t in range(1, limit + 1):
            mb, bb = m[active], b[active, None]
            curvature = mb @ h3
            lr = (mb @ h2) / (curvature + self.noise * h2.sum() / bb[:, 0])
            mb = (1.0 - lr[:, None] * h) ** 2 * mb + lr[:, None] ** 2 * noise_h / bb
            new_loss = 0.5 * (mb @ h)
            m[active] = mb
            done = new_loss <= goal
            if np.any(done):
                idx = np.flatnonzero(active)[done]
                before = loss[idx]
                steps[idx] = t - 1 + (before - goal) / (before - new_loss[done])
                reached[idx] = mb[done]
            loss[active] = new_loss
            active[active] = ~done
            if not active.any():
                break
        return steps, reached


@dataclass(frozen=True, eq=False)
class BatchSizeStudy:
    """Steps and examples to one loss across batch sizes on a noisy quadratic, and the fit.

    Attributes
    ----------
    model
        The :class:`NoisyQuadratic` studied.
    target
        The expected loss every run reaches.
    schedule
        ``"optimal"`` (McCandlish et al.'s optimal step at every step) or ``"fixed"`` (the
        best fixed learning rate for each batch size, Zhang et al.'s protocol).
    batches, steps, examples
        B, S(B) (real steps) and E(B) = B S(B), one per batch size.
    fit
        S_min and E_min fitted to (batches, steps): a
        :class:`~chinchilla_lib.fitting.batch_size.BatchTradeoffFit`.
    simple_noise_scale_start, simple_noise_scale_target
        B_simple = tr(Sigma) / (G^T G) at the start and where the largest-batch run reaches
        the target, examples.
    noise_scale_start, noise_scale_target
        B_noise = tr(H Sigma) / (G^T H G) at the same two points, examples.
    """

    model: NoisyQuadratic
    target: float
    schedule: str
    batches: Array
    steps: Array
    examples: Array
    fit: BatchTradeoffFit
    simple_noise_scale_start: float
    simple_noise_scale_target: float
    noise_scale_start: float
    noise_scale_target: float

    @property
    def critical_batch(self) -> float:
        """The fitted B_crit = E_min / S_min, examples."""
        return self.fit.law.critical_batch

    @property
    def hyperbola(self) -> Array:
        """(S/S_min - 1)(E/E_min - 1) of each measured run with the fitted S_min, E_min: 1
        on McCandlish et al.'s trade-off."""
        return np.asarray(self.fit.law.hyperbola(self.steps, self.examples))


def batch_size_study(model: NoisyQuadratic | None = None, batches: ArrayLike | None = None,
                     target_fraction: float = 0.1, schedule: str = "optimal") -> BatchSizeStudy:
    """Measure S(B) and E(B) to one loss on a noisy quadratic, fit S_min and E_min, and set
    the fitted B_crit beside the noise scales of the model.

    Everything is computed from the exact expected loss, so the study is deterministic; a
    default call takes well under a second.

    Parameters
    ----------
    model
        The noisy quadratic; default ``NoisyQuadratic.power_spectrum()`` (100 coordinates,
        h_i = 1/i, theta_i(0)^2 = 1, c = 1).
    batches
        Batch sizes, examples per step (> 0, 1-D, at least three); default powers of two
        from 1 to 16384.
    target_fraction
        The target loss as a fraction of the initial loss, in (0, 1).
    schedule
        ``"optimal"``: McCandlish et al.'s optimal step at every step
        (:meth:`NoisyQuadratic.greedy_steps`); ``"fixed"``: the best fixed learning rate per
        batch size (:meth:`NoisyQuadratic.best_steps`).

    Returns
    -------
    BatchSizeStudy

    Raises
    ------
    ValueError
        If an argument is out of range, or a run never reaches the target.

    Examples
    --------
    >>> study = batch_size_study()
    >>> fit = study.fit.law
    >>> print(f"S_min {fit.min_steps:.1f}, E_min {fit.min_examples:.0f}, "
    ...       f"B_crit {fit.critical_batch:.0f}; B_simple {study.simple_noise_scale_target:.0f}")
    S_min 13.8, E_min 925, B_crit 67; B_simple 214
    """
    nqm = NoisyQuadratic.power_spectrum() if model is None else model
    if not isinstance(nqm, NoisyQuadratic):
        raise TypeError(f"model must be a NoisyQuadratic; got {type(nqm).__name__}")
    b = (2.0 ** np.arange(15) if batches is None
         else np.atleast_1d(as_positive_array("batches", batches)))
    if b.ndim != 1 or b.size < 3 or np.unique(b).size < 2:
        raise ValueError(f"batches must be 1-D with at least three values, two distinct; got "
                         f"shape {b.shape}")
    fraction = check_fraction("target_fraction", target_fraction)
    if fraction >= 1.0:
        raise ValueError(f"target_fraction must be in (0, 1); got {target_fraction!r}")
    if schedule not in ("optimal", "fixed"):
        raise ValueError(f"schedule must be 'optimal' or 'fixed'; got {schedule!r}")
    target = fraction * nqm.initial_loss
    if schedule == "optimal":
        steps, reached = nqm.greedy_steps(b, target)
        at_target = reached[int(np.argmax(b))]
    else:
        steps, lrs = nqm.best_steps(b, target)
        top = int(np.argmax(b))
        at_target = nqm.expected_squares(b[top], lrs[top], steps[top])
    if not np.all(np.isfinite(steps)):
        raise ValueError("a run did not reach the target: raise target_fraction or max_steps")
    fit = fit_batch_tradeoff(b, steps)
    return BatchSizeStudy(
        model=nqm, target=float(target), schedule=schedule, batches=b, steps=steps,
        examples=b * steps, fit=fit,
        simple_noise_scale_start=float(nqm.simple_noise_scale(nqm.initial_sq)),
        simple_noise_scale_target=float(nqm.simple_noise_scale(at_target)),
        noise_scale_start=float(nqm.noise_scale(nqm.initial_sq)),
        noise_scale_target=float(nqm.noise_scale(at_target)),
    )
