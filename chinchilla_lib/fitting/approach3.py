"""Approach 3 of Hoffmann et al. (2022): fit L(N, D) = E + A/N^alpha + B/D^beta directly.

The paper's procedure (Section 3.3, Appendix D.2): parameters in log space, written here
(a, b, e) = (log A, log B, log E) (not the allocation exponents a, b of N_opt ~ C^a), so that
log L = LSE(a - alpha log N, b - beta log D, e), with LSE(x1, x2, x3) = log(e^x1 + e^x2 + e^x3)
the log-sum-exp;
minimise the Huber loss (delta = 1e-3) of the residuals log L - LSE with L-BFGS, from every
point of a grid of 4,500 initialisations, and keep the best.

Done as a Python loop of ``scipy.optimize.minimize`` calls this takes about half a minute.
Here every start is optimised at once, as rows of arrays, by a vectorised L-BFGS (two-loop
recursion with Armijo backtracking) that retires each start as it converges; the best are
then run to full convergence by iteratively reweighted least squares (Levenberg-Marquardt
damped), which, unlike a quasi-Newton line search, does not stall at the kinks of a Huber
loss whose threshold is far below most residuals. :func:`fit_approach3_loop` keeps the plain
loop, for comparison (``benchmarks/bench_approach3.py``).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from chinchilla_lib._validation import as_positive_array, check_positive_int
from chinchilla_lib.fitting.runs import MIN_RUNS, IsoFlopRuns, Runs, as_runs
from chinchilla_lib.laws.chinchilla import ChinchillaLaw

__all__ = [
    "HUBER_DELTA",
    "SCIPY_LBFGSB_FTOL",
    "SCIPY_LBFGSB_GTOL",
    "Approach3Fit",
    "LikelihoodFit",
    "ScipyFit",
    "fit_approach3",
    "fit_approach3_likelihood",
    "fit_approach3_loop",
    "fit_approach3_scipy",
    "hoffmann_initial_grid",
    "huber_objective",
    "t_test_p_values",
]

HUBER_DELTA = 1e-3
"""The paper's Huber threshold on log-loss residuals."""

SCIPY_LBFGSB_FTOL = 2.220446049250313e-09
"""SciPy's default L-BFGS-B stopping tolerance on the relative decrease of the objective,
``(f_k - f_k+1) / max(|f_k|, |f_k+1|, 1)``."""
SCIPY_LBFGSB_GTOL = 1e-5
"""SciPy's default L-BFGS-B stopping tolerance on the largest projected gradient component."""

Array = NDArray[np.float64]


def hoffmann_initial_grid() -> Array:
    """The paper's 4,500 initialisations as rows (a, b, e, alpha, beta).

    alpha, beta in {0, 0.5, ..., 2}; e in {-1, -0.5, ..., 1}; a, b in {0, 5, ..., 25}.
    """
    alphas = np.arange(0.0, 2.5, 0.5)
    es = np.arange(-1.0, 1.5, 0.5)
    abs_ = np.arange(0.0, 30.0, 5.0)
    rows = [(a, b, e, al, be) for al, be, e, a, b in itertools.product(alphas, alphas, es, abs_,
                                                                         abs_)]
    return np.array(rows, dtype=float)


def _prepare(runs: Runs) -> tuple[Array, Array, Array]:
    if len(runs) < MIN_RUNS:
        raise ValueError(f"runs must hold at least {MIN_RUNS} runs to fit; got {len(runs)}")
    return np.log(runs.n_params), np.log(runs.n_tokens), np.log(runs.loss)


def huber_objective(theta: Array, log_n: Array, log_d: Array, log_loss: Array,
                    delta: float = HUBER_DELTA) -> tuple[Array, Array]:
    """The Approach 3 objective and its gradient, for many parameter vectors at once.

    Parameters
    ----------
    theta
        Rows (a, b, e, alpha, beta), shape (S, 5) (or (5,)).
    log_n, log_d, log_loss
        log N, log D and log L of the runs, shape (n,), or (S, n) to give each row its own
        runs (bootstrap resamples).
    delta
        Huber threshold.

    Returns
    -------
    (ndarray, ndarray)
        The summed Huber loss of each row, shape (S,), and its gradient, shape (S, 5).
    """
    theta = np.atleast_2d(theta)
    a, b, e, alpha, beta = (theta[:, i : i + 1] for i in range(5))
    t1 = a - alpha * log_n
    t2 = b - beta * log_d
    if max(t1.max(initial=0.0), t2.max(initial=0.0), e.max(initial=0.0)) > 600.0:
        # Shift by the largest term so that no exponential overflows.
        top = np.maximum(np.maximum(t1, t2), e)
        e1 = np.exp(t1 - top, out=t1)
        e2 = np.exp(t2 - top, out=t2)
        e3 = np.exp(e - top)
    else:
        top = np.zeros((1, 1))
        e1 = np.exp(t1, out=t1)
        e2 = np.exp(t2, out=t2)
        e3 = np.exp(e)  # one value per row: E does not depend on the run
    total = e1 + e2
    total += e3
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return _huber_and_gradient(e1, e2, e3, total, top, log_n, log_d, log_loss, delta)


def _huber_and_gradient(e1, e2, e3, total, top, log_n, log_d, log_loss, delta):
    """Given the three exponentials of the LSE (shifted by ``top``) and their sum, return the
    summed Huber loss of the log residuals and its gradient in (a, b, e, alpha, beta).
    Rows whose prediction under- or overflowed get an infinite objective."""
    residual = np.log(total)
    residual += top
    np.subtract(log_loss, residual, out=residual)
    size = np.abs(residual)
    value = np.where(size <= delta, 0.5 * residual**2, delta * (size - 0.5 * delta)).sum(axis=1)
    psi = np.clip(residual, -delta, delta, out=residual)
    psi /= total
    e1 *= psi
    e2 *= psi
    e3 = (e3 * psi).sum(axis=1) if e3.shape[1] > 1 else e3[:, 0] * psi.sum(axis=1)
    if log_n.ndim == 1:
        d_alpha, d_beta = e1 @ log_n, e2 @ log_d
    else:
        d_alpha, d_beta = (e1 * log_n).sum(axis=1), (e2 * log_d).sum(axis=1)
    grad = np.stack([-e1.sum(axis=1), -e2.sum(axis=1), -e3, d_alpha, d_beta], axis=1)
    value = np.where(np.isfinite(value), value, np.inf)
    return value, grad


def _take(data, rows):
    """The runs of the given rows: all of them for shared data, row-wise for resamples."""
    return tuple(d if d.ndim == 1 else d[rows] for d in data)


def _batched_lbfgs(theta0: Array, data: tuple[Array, Array, Array], delta: float, *,
                   memory: int = 10, max_iter: int = 1000, ftol: float = SCIPY_LBFGSB_FTOL,
                   gtol: float = SCIPY_LBFGSB_GTOL) -> tuple[Array, Array, NDArray[np.int64]]:
    """Minimise the objective from every row of theta0 at once; return (theta, f, iterations).

    Each row stops when its relative decrease falls below ``ftol`` or its largest gradient
    component below ``gtol`` (SciPy's L-BFGS-B defaults), or when a line search fails.
    """
    x = theta0.astype(float).copy()
    count = x.shape[0]
    f, g = huber_objective(x, *data, delta)
    iterations = np.zeros(count, dtype=np.int64)
    active = np.arange(count)
    s_hist = np.zeros((count, memory, 5))
    y_hist = np.zeros((count, memory, 5))
    rho = np.zeros((count, memory))
    for step in range(max_iter):
        if active.size == 0:
            break
        xa, fa, ga = x[active], f[active], g[active]
        used = min(step, memory)
        slots = [(step - 1 - j) % memory for j in range(used)]          # newest first
        q = ga.copy()
        coefficients = []
        for slot in slots:
            c = rho[active, slot] * np.einsum("ij,ij->i", s_hist[active, slot], q)
            q -= c[:, None] * y_hist[active, slot]
            coefficients.append(c)
        if used:
            newest = slots[0]
            sy = np.einsum("ij,ij->i", s_hist[active, newest], y_hist[active, newest])
            yy = np.einsum("ij,ij->i", y_hist[active, newest], y_hist[active, newest])
            gamma = np.where((sy > 0) & (yy > 0), sy / np.where(yy > 0, yy, 1.0), 1.0)
        else:
            gamma = 1.0 / np.maximum(1.0, np.abs(ga).max(axis=1))
        r = q * np.atleast_1d(gamma)[:, None]
        for slot, c in zip(reversed(slots), reversed(coefficients), strict=True):
            b = rho[active, slot] * np.einsum("ij,ij->i", y_hist[active, slot], r)
            r += s_hist[active, slot] * (c - b)[:, None]
        direction = -r
        slope = np.einsum("ij,ij->i", ga, direction)
        uphill = slope >= 0
        direction[uphill] = -ga[uphill]
        slope[uphill] = -np.einsum("ij,ij->i", ga[uphill], ga[uphill])

        t = np.ones(active.size)
        x_new, f_new, g_new = xa.copy(), fa.copy(), ga.copy()
        pending = np.arange(active.size)
        for _ in range(40):
            trial = xa[pending] + t[pending, None] * direction[pending]
            f_trial, g_trial = huber_objective(trial, *_take(data, active[pending]), delta)
            armijo = fa[pending] + 1e-4 * t[pending] * slope[pending]
            ok = np.isfinite(f_trial) & (f_trial <= armijo)
            done = pending[ok]
            x_new[done], f_new[done], g_new[done] = trial[ok], f_trial[ok], g_trial[ok]
            pending = pending[~ok]
            if pending.size == 0:
                break
            t[pending] *= 0.5
        failed = np.zeros(active.size, dtype=bool)
        failed[pending] = True

        s = x_new - xa
        y = g_new - ga
        sy = np.einsum("ij,ij->i", s, y)
        slot = step % memory
        s_hist[active, slot] = s
        y_hist[active, slot] = y
        rho[active, slot] = np.where(sy > 1e-300, 1.0 / np.where(sy > 1e-300, sy, 1.0), 0.0)
        x[active], f[active], g[active] = x_new, f_new, g_new
        iterations[active] += 1

        decrease = (fa - f_new) / np.maximum(np.maximum(np.abs(fa), np.abs(f_new)), 1.0)
        converged = failed | (decrease <= ftol) | (np.abs(g_new).max(axis=1) <= gtol)
        active = active[~converged]
    return x, f, iterations


def _lse_and_jacobian(theta: Array, log_n: Array, log_d: Array) -> tuple[Array, Array]:
    """LSE(a - alpha log N, b - beta log D, e) per run and its Jacobian in (a, b, e, alpha,
    beta), shapes (S, n) and (S, n, 5)."""
    a, b, e, alpha, beta = (theta[:, i : i + 1] for i in range(5))
    t1 = a - alpha * log_n
    t2 = b - beta * log_d
    t3 = np.broadcast_to(e, t1.shape)
    top = np.maximum(np.maximum(t1, t2), t3)
    e1, e2, e3 = np.exp(t1 - top), np.exp(t2 - top), np.exp(t3 - top)
    total = e1 + e2 + e3
    p1, p2, p3 = e1 / total, e2 / total, e3 / total
    jacobian = np.stack([p1, p2, p3, -log_n * p1, -log_d * p2], axis=2)
    return top + np.log(total), jacobian


def _batched_irls(theta0: Array, data, delta: float, *, max_iter: int = 300,
                  tol: float = 1e-13) -> tuple[Array, Array]:
    """Minimise the Huber objective by iteratively reweighted least squares with
    Levenberg-Marquardt damping, every row at once.

    Each step solves the weighted least-squares problem whose weights ``min(1, delta/|r|)`` make
    it touch the Huber loss at the current point (a majorise-minimise step), so the objective
    never increases and the near-L1 kinks that stall quasi-Newton line searches do no harm.
    """
    theta = theta0.astype(float).copy()
    value, _ = huber_objective(theta, *data, delta)
    damping = np.full(theta.shape[0], 1e-3)
    active = np.arange(theta.shape[0])
    eye = np.eye(5)
    for _ in range(max_iter):
        if active.size == 0:
            break
        log_n, log_d, log_loss = _take(data, active)
        lse, jacobian = _lse_and_jacobian(theta[active], log_n, log_d)
        residual = log_loss - lse
        weights = np.minimum(1.0, delta / np.maximum(np.abs(residual), 1e-300))
        weighted = jacobian * weights[:, :, None]
        normal = np.matmul(weighted.transpose(0, 2, 1), jacobian)
        rhs = np.matmul(weighted.transpose(0, 2, 1), residual[:, :, None])
        scale = np.maximum(np.einsum("sii->si", normal), 1e-12)
        system = normal + damping[active, None, None] * scale[:, :, None] * eye
        with np.errstate(all="ignore"):
            step = np.linalg.solve(system, rhs)[:, :, 0]
        trial = theta[active] + step
        trial_value, _ = huber_objective(trial, log_n, log_d, log_loss, delta)
        better = trial_value < value[active]
        accepted = active[better]
        relative = (value[accepted] - trial_value[better]) / np.maximum(value[accepted], 1e-300)
        theta[accepted], value[accepted] = trial[better], trial_value[better]
        damping[accepted] = np.maximum(damping[accepted] / 3.0, 1e-9)
        damping[active[~better]] *= 4.0
        finished = np.zeros(active.size, dtype=bool)
        finished[better] = relative < tol
        finished[~better] = damping[active[~better]] > 1e8
        active = active[~finished]
    return theta, value


def _two_threads(solver, starts: Array, data, delta: float, **options) -> tuple[Array, Array]:
    """Run ``solver`` on two halves of the rows in two threads (NumPy releases the
    interpreter lock inside its array loops, so the halves run on both cores)."""
    if starts.shape[0] < 64:
        result = solver(starts, data, delta, **options)
        return result[0], result[1]
    from concurrent.futures import ThreadPoolExecutor

    half = starts.shape[0] // 2
    parts = [slice(0, half), slice(half, None)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(
            lambda rows: solver(starts[rows], _take(data, rows), delta, **options), parts))
    return (np.vstack([r[0] for r in results]), np.concatenate([r[1] for r in results]))


@dataclass(frozen=True)
class Approach3Fit:
    """The result of an Approach 3 fit.

    Attributes
    ----------
    law
        The fitted :class:`~chinchilla_lib.laws.chinchilla.ChinchillaLaw`.
    theta
        The optimum as (log A, log B, log E, alpha, beta).
    objective
        The summed Huber loss at the optimum.
    n_runs
        Number of runs fitted.
    n_starts
        Number of initialisations tried.
    samples
        Bootstrap replicates of (E, A, B, alpha, beta) as columns of an (R, 5) array, or an
        empty array if no bootstrap was run.
    """

    law: ChinchillaLaw
    theta: Array
    objective: float
    n_runs: int
    n_starts: int
    samples: Array = field(default_factory=lambda: np.empty((0, 5)), repr=False)

    def interval(self, parameter: str, level: float = 0.95) -> tuple[float, float]:
        """Percentile bootstrap interval of ``E``, ``A``, ``B``, ``alpha``, ``beta``, ``a``
        (= beta / (alpha + beta)) or ``b``."""
        if self.samples.size == 0:
            raise ValueError("interval needs a fit made with bootstrap > 0")
        columns = {"E": 0, "A": 1, "B": 2, "alpha": 3, "beta": 4}
        if parameter in columns:
            values = self.samples[:, columns[parameter]]
        elif parameter in ("a", "b"):
            alpha, beta = self.samples[:, 3], self.samples[:, 4]
            values = beta / (alpha + beta) if parameter == "a" else alpha / (alpha + beta)
        else:
            raise ValueError(f"parameter must be one of {[*columns, 'a', 'b']}; "
                             f"got {parameter!r}")
        if not 0 < level < 1:
            raise ValueError(f"level must lie in (0, 1); got {level}")
        tail = (1 - level) / 2
        low, high = np.quantile(values, [tail, 1 - tail])
        return float(low), float(high)


def _law(theta: Array, name: str = "approach 3 fit") -> ChinchillaLaw:
    a, b, e, alpha, beta = theta
    return ChinchillaLaw(np.exp(e), np.exp(a), np.exp(b), alpha, beta, name=name)


SCREEN_FTOL = 1e-5
"""Relative decrease per iteration below which a start is retired in the screening pass."""
FINALISTS = 32
"""How many of the best screened starts are then run to full convergence."""


def _fit(data, starts: Array, delta: float, max_iter: int = 3000) -> tuple[Array, float]:
    """Screen every start with L-BFGS, then run the best to full convergence."""
    theta, values = _two_threads(_lbfgs_values, starts, data, delta, ftol=SCREEN_FTOL)
    finalists = np.argsort(values, kind="stable")[:FINALISTS]
    # No relative-decrease test here: in the flat valleys of this objective the steps are tiny
    # but still improving, so each finalist runs until no damped step improves it.
    theta, values = _batched_irls(theta[finalists], data, delta, tol=0.0, max_iter=max_iter)
    best = int(np.argmin(values))
    return theta[best], float(values[best])


def _lbfgs_values(starts: Array, data, delta: float, **options) -> tuple[Array, Array]:
    theta, values, _ = _batched_lbfgs(starts, data, delta, **options)
    return theta, values


def fit_approach3(runs: Runs | IsoFlopRuns, *, starts: Array | None = None,
                  delta: float = HUBER_DELTA, bootstrap: int = 0, seed: int = 0,
                  max_iter: int = 3000) -> Approach3Fit:
    """Fit E + A/N^alpha + B/D^beta by the paper's Approach 3.

    Every start is optimised at once by a vectorised L-BFGS; a start is retired when its
    relative improvement per iteration falls below ``SCREEN_FTOL``; the ``FINALISTS`` best
    are then run to full convergence by iteratively reweighted least squares, which does not
    stall at the kinks of the near-L1 Huber loss.

    Parameters
    ----------
    runs
        The training runs (N all parameters, D tokens, final loss in nats per token), or an
        :class:`~chinchilla_lib.fitting.runs.IsoFlopRuns` design (its ``.runs``).
    starts
        Initialisations as rows (a, b, e, alpha, beta); default: the paper's 4,500-point grid
        (:func:`hoffmann_initial_grid`).
    delta
        Huber threshold on log-loss residuals (> 0); the paper uses 1e-3.
    bootstrap
        Number of bootstrap resamples of the runs (0 for none). Every resample is refitted
        from the full-data optimum, all resamples at once.
    seed
        Seed of the resampling.
    max_iter
        Iterations allowed to the final convergence of each finalist and each bootstrap
        refit (explorers lower it to stay interactive).

    Returns
    -------
    Approach3Fit

    Examples
    --------
    Recover a known law from 36 simulated IsoFLOP runs with 0.5% noise:

    >>> from chinchilla_lib.laws.chinchilla import ChinchillaLaw
    >>> from chinchilla_lib.simulate.runs import simulate_isoflop_runs
    >>> truth = ChinchillaLaw(1.8, 400.0, 1800.0, 0.34, 0.36)
    >>> iso = simulate_isoflop_runs(truth, [1e18, 1e19, 1e20, 1e21], noise=0.005, seed=0)
    >>> fit = fit_approach3(iso.runs, bootstrap=200, seed=0)
    >>> print(f"a = {fit.law.optimal_params_exponent:.3f} "
    ...       f"(truth {truth.optimal_params_exponent:.3f})")
    a = 0.505 (truth 0.514)
    >>> low, high = fit.interval("a")
    >>> print(f"95% interval ({low:.3f}, {high:.3f})")
    95% interval (0.493, 0.533)
    """
    runs = as_runs(runs)
    data = _prepare(runs)
    delta = float(as_positive_array("delta", delta))
    n_boot = check_positive_int("bootstrap", bootstrap, minimum=0)
    grid = hoffmann_initial_grid() if starts is None else np.atleast_2d(
        np.asarray(starts, dtype=float))
    if grid.ndim != 2 or grid.shape[1] != 5 or not np.isfinite(grid).all():
        raise ValueError(f"starts must be finite rows (a, b, e, alpha, beta); got shape "
                         f"{grid.shape}")
    iterations = check_positive_int("max_iter", max_iter)
    theta, value = _fit(data, grid, delta, iterations)
    samples = np.empty((0, 5))
    if n_boot:
        rng = np.random.default_rng(seed)
        index = rng.integers(0, len(runs), size=(n_boot, len(runs)))
        samples = _bootstrap(data, theta, index, delta, min(iterations, 300))
    return Approach3Fit(_law(theta), theta, value, len(runs), grid.shape[0], samples)


def _bootstrap(data, theta: Array, index: NDArray[np.int64], delta: float,
               max_iter: int = 300) -> Array:
    """Refit every resample from ``theta``, all at once: row r sees the runs ``index[r]``.

    Returns (E, A, B, alpha, beta) per resample."""
    resampled = tuple(d[index] for d in data)
    starts = np.repeat(theta[None, :], index.shape[0], axis=0)
    fitted, _ = _two_threads(_batched_irls, starts, resampled, delta, max_iter=max_iter)
    out = fitted.copy()
    out[:, :3] = np.exp(fitted[:, [2, 0, 1]])
    return out


def fit_approach3_loop(runs: Runs | IsoFlopRuns, *, starts: Array | None = None,
                       delta: float = HUBER_DELTA) -> tuple[Array, float]:
    """The plain procedure: one ``scipy.optimize.minimize(method="L-BFGS-B")`` per start
    (with the analytic gradient), keeping the best. Slow; kept for comparison.

    Returns
    -------
    (ndarray, float)
        The best (a, b, e, alpha, beta) and its objective.
    """
    from scipy.optimize import minimize

    runs = as_runs(runs)
    data = _prepare(runs)
    grid = hoffmann_initial_grid() if starts is None else np.asarray(starts, dtype=float)
    best_theta, best_value = grid[0], np.inf
    for start in grid:
        result = minimize(lambda p: tuple(v[0] for v in huber_objective(p, *data, delta)),
                          start, jac=True, method="L-BFGS-B")
        if np.isfinite(result.fun) and result.fun < best_value:
            best_theta, best_value = np.asarray(result.x), float(result.fun)
    return best_theta, best_value


@dataclass(frozen=True)
class ScipyFit:
    """One run of a SciPy optimiser on the Approach 3 objective, scaled.

    Attributes
    ----------
    law
        The law where the optimiser stopped.
    theta
        (log A, log B, log E, alpha, beta) where it stopped.
    objective
        The *summed* Huber loss there (whatever scale the optimiser saw), so that runs at
        different scales compare.
    iterations
        Iterations the optimiser took.
    message
        Why it stopped, as SciPy reports it.
    """

    law: ChinchillaLaw
    theta: Array
    objective: float
    iterations: int
    message: str


def fit_approach3_scipy(runs: Runs | IsoFlopRuns, start: Array, *, objective_scale: float = 1.0,
                        method: str = "L-BFGS-B", delta: float = HUBER_DELTA) -> ScipyFit:
    """Minimise ``objective_scale`` times the summed Huber loss with ``scipy.optimize.minimize``
    from one start, with SciPy's default tolerances, and report where it stopped.

    SciPy's L-BFGS-B stops when the objective's decrease per iteration, relative to
    ``max(|f|, 1)``, falls below about 2.2e-9, or when every gradient component falls below 1e-5.
    Both tests are absolute when ``|f| < 1``, so multiplying the objective by a small number
    (``objective_scale = 1/n``, the mean over n runs instead of the sum) makes the optimiser
    stop sooner, further from the optimum. Besiroglu et al. (2024) name such a "poor choice of
    loss scale" as the reason Hoffmann et al.'s optimiser stopped before converging.

    Parameters
    ----------
    runs
        The training runs, or an IsoFLOP design (its ``.runs``).
    start
        The initial (log A, log B, log E, alpha, beta).
    objective_scale
        Factor applied to the summed Huber loss (> 0): 1 / len(runs) gives the mean.
    method
        A gradient method of ``scipy.optimize.minimize``: ``"L-BFGS-B"`` or ``"BFGS"``.
    delta
        Huber threshold on log-loss residuals (> 0).
    """
    from scipy.optimize import minimize

    runs = as_runs(runs)
    data = _prepare(runs)
    scale = float(as_positive_array("objective_scale", objective_scale))
    delta = float(as_positive_array("delta", delta))
    if method not in ("L-BFGS-B", "BFGS"):
        raise ValueError(f"method must be 'L-BFGS-B' or 'BFGS'; got {method!r}")
    theta0 = np.asarray(start, dtype=float)
    if theta0.shape != (5,) or not np.isfinite(theta0).all():
        raise ValueError(f"start must be 5 finite values (log A, log B, log E, alpha, beta); "
                         f"got {start!r}")

    def scaled(theta: Array) -> tuple[float, Array]:
        value, grad = huber_objective(theta, *data, delta)
        return float(value[0]) * scale, grad[0] * scale

    result = minimize(scaled, theta0, jac=True, method=method)
    theta = np.asarray(result.x, dtype=float)
    value = float(huber_objective(theta, *data, delta)[0][0])
    return ScipyFit(_law(theta, f"scipy {method}, objective x {scale:.3g}"), theta, value,
                    int(result.nit), str(result.message))


def t_test_p_values(estimates: Array, reference: Array, standard_errors: Array,
                    dof: float) -> Array:
    """Two-sided p-values of t = (estimate - reference) / standard error, t with ``dof``
    degrees of freedom: how surprising each reference value is under the estimate.

    Parameters
    ----------
    estimates, reference, standard_errors
        Arrays of one shape; standard errors > 0.
    dof
        Degrees of freedom (> 0), for n runs and five fitted constants n - 5.

    Examples
    --------
    >>> float(t_test_p_values([1.0], [1.0], [0.1], 10)[0])
    1.0
    """
    from scipy.stats import t

    est = np.asarray(estimates, dtype=float)
    ref = np.asarray(reference, dtype=float)
    se = as_positive_array("standard_errors", standard_errors)
    if not (np.isfinite(est).all() and np.isfinite(ref).all()) or est.shape != ref.shape:
        raise ValueError("estimates and reference must be finite arrays of one shape")
    freedom = float(as_positive_array("dof", dof))
    return 2.0 * t.sf(np.abs(est - ref) / se, freedom)


@dataclass(frozen=True)
class LikelihoodFit:
    """Approach 3 as a maximum-likelihood fit with a Huber error density of fitted scale.

    Attributes
    ----------
    law
        The fitted law.
    theta
        (a, b, e, alpha, beta).
    scale
        The fitted scale s of the residuals log L - log L_hat.
    negative_log_likelihood
        sum huber_delta(r / s) + n log s, without the constant n log Z(delta).
    """

    law: ChinchillaLaw
    theta: Array
    scale: float
    negative_log_likelihood: float


def _residuals(theta: Array, data) -> Array:
    lse, _ = _lse_and_jacobian(theta[None, :], data[0], data[1])
    return data[2] - lse[0]


def fit_approach3_likelihood(runs: Runs | IsoFlopRuns, *, delta: float = HUBER_DELTA,
                             start: Approach3Fit | None = None,
                             max_rounds: int = 100) -> LikelihoodFit:
    """Besiroglu et al.'s estimator: maximise a Huber likelihood with a free scale.

    The residuals r = log L - log L_hat are modelled as s times Huber-distributed errors, so
    the negative log-likelihood is sum huber_delta(r/s) + n log s (plus a constant). Because
    huber_delta(r/s) = huber_(delta s)(r) / s^2, for a fixed scale this is Approach 3 with
    threshold delta s; the fit alternates that (by reweighted least squares, to convergence)
    with the one-dimensional minimisation over s.

    Parameters
    ----------
    runs
        The training runs, or an IsoFLOP design (its ``.runs``).
    delta
        Huber threshold of the standardised error (> 0).
    start
        An Approach 3 fit to start from (default: :func:`fit_approach3` on the runs).
    max_rounds
        Alternations allowed (>= 1).
    """
    from scipy.optimize import minimize_scalar

    runs = as_runs(runs)
    data = _prepare(runs)
    delta = float(as_positive_array("delta", delta))
    rounds = check_positive_int("max_rounds", max_rounds)
    theta = (start or fit_approach3(runs, delta=delta)).theta.copy()
    count = len(runs)

    def scale_objective(log_scale: float, residual: Array) -> float:
        size = np.abs(residual) / np.exp(log_scale)
        loss = np.where(size <= delta, 0.5 * size**2, delta * (size - 0.5 * delta))
        return float(loss.sum() + count * log_scale)

    residual = _residuals(theta, data)
    log_scale = float(np.log(np.median(np.abs(residual)) + 1e-300))
    for _ in range(rounds):
        log_scale = minimize_scalar(scale_objective, args=(residual,),
                                    bounds=(log_scale - 10, log_scale + 10), method="bounded",
                                    options={"xatol": 1e-12}).x
        fitted, _ = _batched_irls(theta[None, :], data, delta * np.exp(log_scale), tol=0.0,
                                  max_iter=3000)
        moved = float(np.max(np.abs(fitted[0] - theta)))
        theta = fitted[0]
        residual = _residuals(theta, data)
        if moved < 1e-12:
            break
    return LikelihoodFit(_law(theta, "approach 3, Huber likelihood"), theta,
                         float(np.exp(log_scale)), scale_objective(log_scale, residual))
