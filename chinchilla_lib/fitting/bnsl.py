"""Fitting broken power laws with any number of breaks, fast and robust to initialisation.

The fit minimises the squared error of log y (so it fits relative errors, as the root-mean-
square log error, RMSLE, measures them). Candidate starts, a grid over the floor, the first
slope and each break's position, size and sharpness, are screened all at once as arrays; the
best few are refined with bounded least squares. Extrapolation is judged on held-out points
beyond the fitted range.
"""

from __future__ import annotations

import ast
import itertools
from dataclasses import dataclass
from os import PathLike

import numpy as np
from numpy.typing import ArrayLike, NDArray

from chinchilla_lib._validation import check_positive_int
from chinchilla_lib.fitting._data import check_xy
from chinchilla_lib.fitting._result import FitResult, check_bootstrap
from chinchilla_lib.fitting._table import read_text
from chinchilla_lib.laws.bnsl import Break, BrokenPowerLaw
from chinchilla_lib.metrics import rmsle

__all__ = ["BnslFit", "fit_bnsl", "fit_bnsl_auto", "parameter_names", "read_authors_points"]

Array = NDArray[np.float64]
REFINE = 8
"""How many screened starts are refined by least squares."""
TOLERANCE = 1e-12
"""Relative tolerance of the least-squares refinement (on the step, the cost and the gradient)."""
EVALUATIONS = 50
"""Most residual evaluations per parameter in one refinement."""
CONTINUATIONS = 1
"""How many more refinements the best fit gets when one stops at its budget of evaluations."""
SUBSAMPLE = 500
"""Most points the grid of starts is screened and refined on; a fit to more points is then
refined once more on all of them."""
SCREEN = 500
"""Most points the grid of starts is screened on (spread evenly over the sorted x)."""
CHUNK = 1 << 21
"""Most model values computed at once while screening (16 MiB of float64 per array)."""
MAX_POINTS = 1_000_000
"""Most points :func:`fit_bnsl` accepts (time and memory grow linearly with the points)."""
Y_DECADES = 200
"""Most decades y may span: y / y0 then lies within 1e100 of 1 either way, so that the
solver's squared derivatives (up to (y0 / y)^2) stay far inside float64."""


MAX_NAMED_BREAKS = 10_000
"""Most breaks :func:`parameter_names` names (a law with more is not fitted here)."""


def parameter_names(n_breaks: int) -> tuple[str, ...]:
    """The names of a broken power law's parameters: a, b, c0, then c_i, d_i, f_i per break.

    Examples
    --------
    >>> parameter_names(1)
    ('a', 'b', 'c0', 'c1', 'd1', 'f1')
    """
    count = check_positive_int("n_breaks", n_breaks, minimum=0)
    if count > MAX_NAMED_BREAKS:
        raise ValueError(f"n_breaks must be a whole number in [0, {MAX_NAMED_BREAKS:,}]; "
                         f"got {count:,}")
    return ("a", "b", "c0", *(f"{p}{i}" for i in range(1, count + 1) for p in "cdf"))


@dataclass(frozen=True)
class BnslFit(FitResult):
    """A fitted broken power law.

    Attributes
    ----------
    law
        The fitted law.
    n_breaks
        Number of breaks.
    train_rmsle
        RMSLE on the fitted points.
    bic
        Bayesian information criterion of the fit (lower is better), used to choose the
        number of breaks.
    samples, converged, n_iter, message
        As in :class:`~chinchilla_lib.fitting._result.FitResult`: residual-bootstrap
        replicates of each parameter by name (:func:`parameter_names`: ``a``, ``b``, ``c0``,
        then ``c1``, ``d1``, ``f1``, ...), empty without a bootstrap; the status of the
        bounded least-squares refinement that gave the fit.
    """

    law: BrokenPowerLaw
    n_breaks: int
    train_rmsle: float
    bic: float

    @property
    def estimates(self) -> dict[str, float]:
        """Each parameter of the fitted law by name (see :func:`parameter_names`)."""
        values = [self.law.a, self.law.b, self.law.c0]
        for brk in self.law.breaks:
            values += [brk.c, brk.d, brk.f]
        return dict(zip(parameter_names(self.n_breaks), map(float, values), strict=True))


@dataclass(frozen=True)
class _Frame:
    """The unit-free coordinates every fit runs in: u = x / x0 and v = y / y0, where x0 is
    the geometric mean of the data's x and y0 the geometric midpoint of their y (so that
    v and 1 / v stay below 1e100 for any y that :data:`Y_DECADES` allows).

    A parameter row theta is (a, log b, c0, then c_i, log d_i, log f_i per break). In the
    frame, a broken power law keeps its form with a' = a / y0, b' = b x0^-c0 / y0 and
    d_i' = d_i / x0 (c0, c_i and f_i are unit-free), so a fit in the frame maps back to the
    data's units exactly, and the same data in other units (FLOPs or PF-days, nats or bits)
    give the same fit in the frame.
    """

    log_x0: float
    log_y0: float

    def scaled(self, theta: Array) -> Array:
        """A row in the data's units -> the same law in the frame."""
        out = np.array(theta, dtype=float)
        out[0] = theta[0] * np.exp(-self.log_y0)
        out[1] = theta[1] - self.log_y0 - theta[2] * self.log_x0
        out[4::3] = theta[4::3] - self.log_x0
        return out

    def original(self, theta: Array) -> Array:
        """A row in the frame -> the same law in the data's units (rows along the last axis)."""
        out = np.array(theta, dtype=float)
        out[..., 0] = np.maximum(theta[..., 0], 0.0) * np.exp(self.log_y0)
        out[..., 1] = theta[..., 1] + self.log_y0 + theta[..., 2] * self.log_x0
        out[..., 4::3] = theta[..., 4::3] + self.log_x0
        return out


_LOG_RANGE = (float(np.log(np.finfo(float).tiny)), float(np.log(np.finfo(float).max)))
"""The logarithms of the smallest normal and the largest finite float64."""


def _unpack(theta: Array) -> BrokenPowerLaw:
    """The law of a row in the data's units; ValueError if b or a d_i is not a float64."""
    logs = {"b": [theta[1]], "d": list(theta[4::3])}
    for name, values in logs.items():
        for value in values:
            if not _LOG_RANGE[0] < value < _LOG_RANGE[1]:
                raise ValueError(
                    f"the fitted {name} = e^{value:.4g} lies outside the range of float64 in "
                    "the units of x and y given; express x (and y) in units nearer their "
                    "values (divide by a power of ten) and fit again")
    a, log_b, c0, *rest = theta
    breaks = tuple(Break(c, np.exp(log_d), np.exp(log_f))
                   for c, log_d, log_f in zip(rest[0::3], rest[1::3], rest[2::3], strict=True))
    return BrokenPowerLaw(max(a, 0.0), np.exp(log_b), c0, breaks)


def _log_model(theta: Array, log_x: Array) -> Array:
    """log y for many parameter rows at once: theta (S, 3 + 3n), log_x (m,) -> (S, m).

    Computed as logaddexp(log a, log(y - a)), which neither overflows nor underflows."""
    a, log_b, c0 = theta[:, 0:1], theta[:, 1:2], theta[:, 2:3]
    log_reducible = log_b - c0 * log_x
    for i in range(3, theta.shape[1], 3):
        c, log_d, log_f = theta[:, i:i + 1], theta[:, i + 1:i + 2], theta[:, i + 2:i + 3]
        f = np.exp(log_f)
        log_reducible = log_reducible - c * f * np.logaddexp(0.0, (log_x - log_d) / f)
    with np.errstate(divide="ignore"):
        log_a = np.log(np.maximum(a, 0.0))
    return np.logaddexp(log_a, log_reducible)


def _jacobian(theta: Array, log_x: Array) -> Array:
    """d log y / d theta for one parameter row, shape (m, 3 + 3n)."""
    a, log_b, c0 = theta[0], theta[1], theta[2]
    log_reducible = log_b - c0 * log_x
    columns = [np.ones_like(log_x), -log_x]
    for i in range(3, theta.size, 3):
        c, log_d, log_f = theta[i], theta[i + 1], theta[i + 2]
        f = np.exp(log_f)
        u = (log_x - log_d) / f
        soft = np.logaddexp(0.0, u)
        sigma = 0.5 * (1.0 + np.tanh(0.5 * u))
        log_reducible = log_reducible - c * f * soft
        columns += [-f * soft, c * sigma, -c * f * (soft - sigma * u)]
    with np.errstate(divide="ignore"):
        log_a = np.log(max(a, 0.0))
    log_y = np.logaddexp(log_a, log_reducible)
    share = np.exp(log_reducible - log_y)
    jac = np.empty((log_x.size, theta.size))
    with np.errstate(over="ignore"):
        jac[:, 0] = np.exp(-log_y)
    jac[:, 1:] = np.column_stack(columns) * share[:, None]
    return jac


def _starts(log_x: Array, log_y: Array, n_breaks: int) -> Array:
    y_min = float(np.exp(log_y.min()))
    positions = np.linspace(log_x.min(), log_x.max(), n_breaks + 5)[1:-1]
    rows = []
    for a, c0 in itertools.product((0.0, 0.5 * y_min, 0.9 * y_min), (0.0, 0.3)):
        for where in itertools.combinations(positions, n_breaks):
            sizes = (-1.0, 1.0, 3.0, 6.0) if n_breaks == 1 else (-1.0, 2.0, 6.0)
            sharpness = (0.05, 0.2, 1.0) if n_breaks == 1 else (0.05, 0.5)
            shapes = list(itertools.product(sizes, sharpness))
            for combo in itertools.product(shapes, repeat=n_breaks):
                row = [a, 0.0, c0]
                for log_d, (c, f) in zip(where, combo, strict=True):
                    row += [c, log_d, np.log(f)]
                rows.append(row)
    theta = np.array(rows)
    # Choose b so that the curve passes through the first point (a is at most 0.9 y_min).
    reducible = np.exp(log_y[0]) - theta[:, 0]
    shape = _log_model(np.column_stack([np.zeros(len(theta)), theta[:, 1:]]), log_x[:1])[:, 0]
    theta[:, 1] = np.log(reducible) - shape
    return theta


def _bounds(log_x: Array, log_y: Array, n_breaks: int) -> tuple[Array, Array]:
    """Bounds in the frame: a below the least y, log b free, slopes, positions and
    sharpness within ranges that do not depend on the units of x or y."""
    span = log_x.max() - log_x.min()
    lower = [0.0, -np.inf, -5.0] + [-20.0, log_x.min() - span, np.log(1e-3)] * n_breaks
    upper = [0.999 * float(np.exp(log_y.min())), np.inf, 10.0] + [
        20.0, log_x.max() + span, np.log(10.0)] * n_breaks
    return np.array(lower), np.array(upper)


def _predict(log_y_hat: Array, offset: float | None) -> Array:
    """The fitted quantity: log y in the frame, or log(1 + y) in the data's units when
    ``offset`` (log y0) is given."""
    return log_y_hat if offset is None else np.log1p(np.exp(log_y_hat + offset))


@dataclass(frozen=True)
class _Solution:
    """What one least-squares refinement ended with (the fields of SciPy's result that the
    fit reads): the parameters, the residuals there, why it stopped (``status`` 0: the budget
    of evaluations ran out; 1, 2, 3: the gradient, the cost or the step fell below the
    tolerance) and how many residual and Jacobian evaluations it took."""

    x: Array
    fun: Array
    status: int
    nfev: int
    njev: int
    message: str


_STOPS = {0: "the budget of evaluations ran out",
          1: "the residuals fell orthogonal to the free columns of the Jacobian, to the "
             "tolerance",
          2: "the relative reduction of the cost fell below the tolerance",
          3: "the relative step fell below the tolerance"}


def _least_squares(residuals, jacobian, start: Array, lower: Array, upper: Array, *,
                   tol: float, max_nfev: int) -> _Solution:
    """Levenberg-Marquardt within box bounds, in NumPy (so that a fit does not load SciPy's
    optimisers, a few tenths of a second of the command line's start).

    Each step solves (J'J + mu diag(J'J)) dx = -J'r (Marquardt's scaling by the Jacobian's
    column norms, SciPy's ``x_scale="jac"``) for the parameters not held at a bound by the
    gradient, is cut back to the bounds, and is kept when it lowers the cost; mu follows
    Nielsen's update. Stops as MINPACK's ``lmder`` does: on the cosine between the residuals
    and the free columns of the Jacobian (``gtol``), the relative fall of the cost (``ftol``)
    or the relative step (``xtol``), all ``tol``, or after ``max_nfev`` residual evaluations.
    ValueError when the residuals or the Jacobian at the start are not finite."""
    x = np.clip(start, lower, upper)
    r = residuals(x)
    jac = jacobian(x)
    if not (np.all(np.isfinite(r)) and np.all(np.isfinite(jac))):
        raise ValueError("the residuals or their derivatives are not finite at the start")
    nfev, njev, status = 1, 1, 0
    cost = 0.5 * float(r @ r)
    scale = np.zeros(x.size)
    mu, nu = 1e-3, 2.0
    while nfev < max_nfev:
        grad = jac.T @ r
        free = ~(((x <= lower) & (grad > 0)) | ((x >= upper) & (grad < 0)))
        normal = jac.T @ jac
        # MINPACK's test: the cosine between the residuals and each free column of the
        # Jacobian, which does not shrink with the residuals themselves (an exact fit's
        # gradient is tiny everywhere along a flat valley, far from its end)
        lengths = np.sqrt(np.diag(normal)[free]) * np.sqrt(2.0 * cost)
        if cost == 0.0 or np.max(np.abs(grad[free]) / np.where(lengths > 0, lengths, np.inf),
                                 initial=0.0) <= tol:
            status = 1
            break
        scale = np.maximum(scale, np.diag(normal))
        damped = normal + mu * np.diag(np.where(scale > 0, scale, 1.0))
        step = np.zeros(x.size)
        try:  # parameters held at a bound by the gradient stay there
            step[free] = np.linalg.solve(damped[np.ix_(free, free)], -grad[free])
        except np.linalg.LinAlgError:
            mu, nu = mu * nu, nu * 2.0
            continue
        trial = np.clip(x + step, lower, upper)
        step = trial - x
        small = float(np.linalg.norm(step)) <= tol * (tol + float(np.linalg.norm(x)))
        r_trial = residuals(trial)
        nfev += 1
        cost_trial = 0.5 * float(r_trial @ r_trial) if np.all(np.isfinite(r_trial)) else np.inf
        predicted = -(float(grad @ step) + 0.5 * float(step @ normal @ step))
        gain = (cost - cost_trial) / predicted if predicted > 0 else -1.0
        if gain > 1e-4:
            fall = cost - cost_trial
            jac_trial = jacobian(trial)
            njev += 1
            if not np.all(np.isfinite(jac_trial)):
                mu, nu = mu * nu, nu * 2.0
                continue
            x, r, cost, jac = trial, r_trial, cost_trial, jac_trial
            mu *= max(1.0 / 3.0, 1.0 - (2.0 * gain - 1.0) ** 3)
            nu = 2.0
            if fall <= tol * cost:
                status = 2
                break
            if small:
                status = 3
                break
        else:
            if small:
                status = 3
                break
            mu, nu = mu * nu, nu * 2.0
    return _Solution(x, r, status, nfev, njev, _STOPS[status])


def _refine(theta: Array, log_x: Array, target: Array, bounds: tuple[Array, Array],
            offset: float | None = None):
    """Least squares from one start: (parameters, sum of squared residuals, the solver's
    result). The residuals are _predict(log y_hat) - target (see :func:`_predict`).

    :func:`_least_squares` (NumPy) refines first; when it stops at its budget of evaluations
    (a slow valley, such as a break drifting beyond the data), SciPy's ``least_squares``
    (trust-region reflective) refines from the same start instead, as before the NumPy solver
    existed, so that such fits keep their results. A fit whose refinements converge, as most
    do, never loads SciPy's optimisers."""
    lower, upper = bounds

    def residuals(p: Array) -> Array:
        return _predict(_log_model(p[None, :], log_x)[0], offset) - target

    def jacobian(p: Array) -> Array:
        jac = _jacobian(p, log_x)
        if offset is not None:
            share = 0.5 * (1.0 + np.tanh(0.5 * (_log_model(p[None, :], log_x)[0] + offset)))
            jac = jac * share[:, None]
        return jac

    with np.errstate(all="ignore"):
        try:
            result = _least_squares(residuals, jacobian, theta, lower, upper, tol=TOLERANCE,
                                    max_nfev=EVALUATIONS * theta.size)
        except ValueError:  # a start whose residuals or derivatives are not finite
            return theta, np.inf, None
        if result.status == 0:  # a slow valley: SciPy's trust region, from the same start
            from scipy.optimize import least_squares

            start = np.clip(theta, lower, upper)  # SciPy then moves it strictly inside
            try:
                result = least_squares(residuals, start, jac=jacobian, bounds=(lower, upper),
                                       xtol=TOLERANCE, ftol=TOLERANCE, gtol=TOLERANCE,
                                       max_nfev=EVALUATIONS * start.size, x_scale="jac")
            except ValueError:
                pass
    return result.x, float(np.sum(result.fun**2)), result


def _subsample(size: int, most: int) -> NDArray[np.intp]:
    """Indices of at most ``most`` points spread evenly over ``size`` points sorted by x
    (the first and the last among them)."""
    if size <= most:
        return np.arange(size)
    return np.unique(np.linspace(0, size - 1, most).round().astype(np.intp))


def _screen(starts: Array, log_x: Array, target: Array, offset: float | None) -> Array:
    """The sum of squared residuals of each start, on at most SCREEN of the points, evaluated
    CHUNK values at a time (so that memory stays bounded: three breaks have 72,576 starts)."""
    pick = _subsample(log_x.size, SCREEN)
    log_x, target = log_x[pick], target[pick]
    rows = max(1, CHUNK // log_x.size)
    sse = np.empty(len(starts))
    with np.errstate(all="ignore"):
        for first in range(0, len(starts), rows):
            chunk = starts[first:first + rows]
            sse[first:first + rows] = np.sum(
                (_predict(_log_model(chunk, log_x), offset) - target) ** 2, axis=1)
    return np.where(np.isfinite(sse), sse, np.inf)


def _fit(log_x: Array, log_y: Array, n_breaks: int, target: Array, offset: float | None):
    """Screen the grid of starts (on at most SCREEN points), refine the best REFINE (on at
    most SUBSAMPLE points), then refine the best on all points if it was fitted to fewer."""
    bounds = _bounds(log_x, log_y, n_breaks)
    pick = _subsample(log_x.size, SUBSAMPLE)
    sub_x, sub_y, sub_target = log_x[pick], log_y[pick], target[pick]
    starts = _starts(sub_x, sub_y, n_breaks)
    sse = _screen(starts, sub_x, sub_target, offset)
    best = (starts[int(np.argmin(sse))], np.inf, None)
    if not np.isfinite(sse).any():
        raise ValueError("x and y give no finite starting point for a broken power law; check "
                         "that they are data of one curve, in units nearer their values")
    for row in [r for r in np.argsort(sse)[:REFINE] if np.isfinite(sse[r])]:
        refined = _refine(starts[row], sub_x, sub_target, bounds, offset)
        if refined[1] < best[1]:
            best = refined
    if pick.size < log_x.size:
        best = _refine(best[0], log_x, target, bounds, offset)
    if best[2] is None:
        raise ValueError("x and y give no finite least-squares fit of a broken power law; "
                         "check that they are data of one curve, in units nearer their values")
    return _continue(best, log_x, target, bounds, offset)


def _continue(best, log_x: Array, target: Array, bounds: tuple[Array, Array],
              offset: float | None):
    """Refine again, up to CONTINUATIONS times, while the refinement stops at its budget of
    evaluations rather than at a tolerance (a slow valley, such as a break drifting beyond
    the data)."""
    for _ in range(CONTINUATIONS):
        if best[2] is None or best[2].status != 0:
            break
        again = _refine(best[0], log_x, target, bounds, offset)
        if not again[1] <= best[1]:
            break
        best = again
    return best


def fit_bnsl(x: ArrayLike, y: ArrayLike, *, breaks: int = 1, bootstrap: int = 0,
             seed: int = 0, target: str = "log",
             start: BrokenPowerLaw | None = None) -> BnslFit:
    """Fit a broken power law with ``breaks`` breaks by least squares in log space.

    The fit runs in unit-free coordinates, x and y divided by their geometric means, and its
    parameters are mapped back exactly (a and b scale with the units of y and x, d_i with
    the units of x; the slopes and sharpness are unit-free). So the same data in other units
    (FLOPs or PF-days; nats or bits) give the same curve and the same RMSLE, with
    ``target="log"``; ``"log1p"`` depends on the units of y by its nature.

    Parameters
    ----------
    x, y
        The data (1-D, positive, finite; any units), at most :data:`MAX_POINTS` points, with
        at least 4 + 3 x breaks distinct values of x (a law with n breaks has 3 + 3n
        parameters) and y spanning at most :data:`Y_DECADES` decades.
    breaks
        Number of breaks (0 to 3).
    bootstrap
        Residual-bootstrap replicates (0 for none; at most ``MAX_BOOTSTRAP``, 10,000): the fit
        is repeated on the fitted curve times resampled multiplicative residuals, from the
        fitted parameters.
    seed
        Seed of the resampling.
    target
        ``"log"``: squared errors of log y; ``"log1p"``: of log(1 + y), as Caballero et al.
        fit (it weighs small values of y less).
    start
        A law with ``breaks`` breaks to refine from, instead of screening the default grid
        of starting points (whose break positions lie inside the data). Use it to test
        whether a break beyond the data can be recovered from a good first guess.

    Returns
    -------
    BnslFit

    Raises
    ------
    ValueError
        If the data are not 1-D, positive and finite, of one length, with enough distinct x
        and at most :data:`MAX_POINTS` points, y within :data:`Y_DECADES` decades; if an
        option is out of range; or if a fitted constant (b, or a break position d_i) does
        not fit in a float64 in the units given.

    Notes
    -----
    Cost grows linearly with the number of points. Up to :data:`SUBSAMPLE` points, the grid
    of starts is screened (on at most :data:`SCREEN` of them, spread evenly over the sorted
    x) and the best :data:`REFINE` are refined on all points; above it, they are refined on
    :data:`SUBSAMPLE` points spread evenly over the sorted x, and the best is then refined
    again on all points, so the result is still the least-squares fit to every point.
    Memory is bounded by :data:`CHUNK` values for the screening and a few arrays of the
    size of the data for the refinement. One break: about 0.1 s for 2,000 points, 0.5 s for
    20,000 and 1.5 s for 200,000 on two busy cores, 0.4 s for 200,000 with one BLAS thread
    (``benchmarks/bench_bnsl.py --sizes``; SciPy's solver takes an SVD of small matrices at
    every step, which a multithreaded BLAS slows on a loaded machine).

    Examples
    --------
    Twenty points around a sharp break at x = 612.8, with 0.2% noise:

    >>> import numpy as np
    >>> from chinchilla_lib.laws.bnsl import Break, BrokenPowerLaw
    >>> truth = BrokenPowerLaw(0.4, 2.3, 0.055, (Break(5.7, 612.8, 0.06),))
    >>> x = np.geomspace(100, 1000, 20)
    >>> y = truth(x) * np.exp(np.random.default_rng(0).normal(0, 0.002, x.size))
    >>> fit = fit_bnsl(x, y, breaks=1, bootstrap=50, seed=0)
    >>> fit.converged, round(fit.law.breaks[0].d)
    (True, 613)
    >>> interval = fit.interval("d1")
    >>> print(f"d1 in ({interval.low:.0f}, {interval.high:.0f}) with 95% confidence")
    d1 in (611, 615) with 95% confidence

    The same points with x in thousands give the same curve:

    >>> other = fit_bnsl(x / 1e3, y, breaks=1)
    >>> print(f"{other.law.breaks[0].d * 1e3:.1f} {fit.law.breaks[0].d:.1f}")
    613.2 613.2
    """
    if target not in ("log", "log1p"):
        raise ValueError(f"target must be 'log' or 'log1p'; got {target!r}")
    n_breaks = check_positive_int("breaks", breaks, minimum=0)
    if n_breaks > 3:
        raise ValueError(f"breaks must lie in [0, 3]; got {n_breaks}")
    xs, ys = check_xy(x, y, min_points=4 + 3 * n_breaks)
    if xs.size > MAX_POINTS:
        raise ValueError(f"x must have at most {MAX_POINTS:,} points (fit_bnsl's stated limit); "
                         f"got {xs.size:,}: average or subsample the data first")
    _check_distinct(xs, n_breaks)
    n_boot = check_bootstrap(bootstrap)
    if start is not None and (not isinstance(start, BrokenPowerLaw)
                              or len(start.breaks) != n_breaks):
        raise ValueError(f"start must be a BrokenPowerLaw with {n_breaks} break(s); "
                         f"got {start!r}")
    order = np.argsort(xs, kind="stable")
    log_x, log_y = np.log(xs[order]), np.log(ys[order])
    decades = float(np.ptp(log_y) / np.log(10.0))
    if decades > Y_DECADES:
        raise ValueError(f"y must span at most {Y_DECADES} decades (largest / smallest "
                         f"<= 1e{Y_DECADES}) to be fitted in float64; got {decades:.0f}")
    frame = _Frame(float(np.mean(log_x)), float(0.5 * (log_y.min() + log_y.max())))
    u, v = log_x - frame.log_x0, log_y - frame.log_y0
    offset = frame.log_y0 if target == "log1p" else None
    goal = np.log1p(ys[order]) if offset is not None else v
    bounds = _bounds(u, v, n_breaks)
    if start is None:
        theta, _, solution = _fit(u, v, n_breaks, goal, offset)
    else:
        first = [start.a, np.log(start.b), start.c0]
        for brk in start.breaks:
            first += [brk.c, np.log(brk.d), np.log(brk.f)]
        refined = _refine(frame.scaled(np.array(first, dtype=float)), u, goal, bounds, offset)
        if refined[2] is None:
            raise ValueError(f"start gives no finite least-squares fit to x and y; got {start!r}")
        theta, _, solution = _continue(refined, u, goal, bounds, offset)
    law = _unpack(frame.original(theta))
    sse = float(np.sum((_log_model(theta[None, :], u)[0] - v) ** 2))
    count, k = log_x.size, theta.size
    bic = float(count * np.log(max(sse, 1e-300) / count) + k * np.log(count))
    samples: dict[str, Array] = {}
    if n_boot:
        rng = np.random.default_rng(seed)
        fitted = _log_model(theta[None, :], u)[0]
        residual = v - fitted
        rows = []
        for _ in range(n_boot):
            resampled = fitted + rng.choice(residual, residual.size, replace=True)
            refit, _, _ = _refine(theta, u, _predict(resampled, offset) if offset is not None
                                  else resampled, bounds, offset)
            rows.append(frame.original(refit))
        replicates = np.array(rows)
        with np.errstate(over="ignore"):
            replicates[:, 1] = np.exp(replicates[:, 1])
            replicates[:, 4::3] = np.exp(replicates[:, 4::3])
            replicates[:, 5::3] = np.exp(replicates[:, 5::3])
        samples = dict(zip(parameter_names(n_breaks), replicates.T, strict=True))
    status = {"converged": solution.status > 0, "n_iter": int(solution.njev or solution.nfev),
              "message": str(solution.message)}
    return BnslFit(law, n_breaks, float(np.sqrt(sse / count)), bic, samples=samples, **status)


def _check_distinct(xs: Array, n_breaks: int) -> None:
    """ValueError unless x holds enough distinct values for a law with ``n_breaks`` breaks."""
    distinct = np.unique(xs).size
    needed = 4 + 3 * n_breaks
    if distinct < needed:
        raise ValueError(
            f"x must contain at least {needed} distinct values to fit a broken power law with "
            f"{n_breaks} break(s) ({needed - 1} parameters); got {distinct}")


def fit_bnsl_auto(x: ArrayLike, y: ArrayLike, *, max_breaks: int = 3,
                  criterion: str = "holdout", target: str = "log") -> BnslFit:
    """Choose the number of breaks, then fit.

    A law with n breaks has 3 + 3n parameters, so it is a candidate only if the points it is
    fitted to hold at least 4 + 3n distinct values of x. With distinct x, ``"holdout"``
    considers one break from 8 points, two from 12 and three from 16 (``"bic"``: 7, 10 and
    13); below 8 points (7 for ``"bic"``) the only candidate is the law without a break,
    which is then fitted to all points.

    Parameters
    ----------
    x, y
        The data (1-D, positive, finite; any units), at least 4 distinct values of x.
    max_breaks
        Most breaks to consider (0 to 3; larger values are read as 3).
    criterion
        ``"holdout"``: fit each number of breaks to all but the last fifth of the points (by
        x; at least one point) and keep the one that extrapolates best to them (lowest
        RMSLE), then refit on all points; ``"bic"``: keep the lowest Bayesian information
        criterion on all points.
    target
        As in :func:`fit_bnsl`.

    Returns
    -------
    BnslFit

    Raises
    ------
    ValueError
        As :func:`fit_bnsl`, or for a criterion other than those above.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.geomspace(1.0, 100.0, 6)
    >>> fit_bnsl_auto(x, 1.0 + 2.0 * x ** -0.5).n_breaks  # too few points for a break
    0
    """
    if criterion not in ("holdout", "bic"):
        raise ValueError(f"criterion must be 'holdout' or 'bic'; got {criterion!r}")
    most = min(check_positive_int("max_breaks", max_breaks, minimum=0), 3)
    xs, ys = check_xy(x, y, min_points=4)
    _check_distinct(xs, 0)
    order = np.argsort(xs, kind="stable")
    xs, ys = xs[order], ys[order]
    if criterion == "bic":
        limit = min(most, (np.unique(xs).size - 4) // 3)
        fits = [fit_bnsl(xs, ys, breaks=n, target=target) for n in range(limit + 1)]
        return min(fits, key=lambda fit: fit.bic)
    held, limit = _holdout_candidates(xs, most)
    if limit <= 0:
        return fit_bnsl(xs, ys, breaks=0, target=target)
    scores = [rmsle(fit_bnsl(xs[:-held], ys[:-held], breaks=n, target=target).law,
                    xs[-held:], ys[-held:]) for n in range(limit + 1)]
    return fit_bnsl(xs, ys, breaks=int(np.argmin(scores)), target=target)


def _holdout_candidates(xs: NDArray[np.float64], most: int = 3) -> tuple[int, int]:
    """For ``fit_bnsl_auto``'s ``"holdout"`` criterion on sorted ``xs``: how many of the last
    points are held out (a fifth, at least one), and the most breaks a candidate may have
    (the points before them must hold 4 + 3n distinct x; 0 means no break is considered)."""
    held = max(1, xs.size // 5)
    return held, min(most, (np.unique(xs[:-held]).size - 4) // 3)


def _array_literal(node: ast.expr) -> list[float] | None:
    """The numbers of ``np.array([...])`` (or ``numpy.array``), or None for anything else."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "array" and isinstance(node.func.value, ast.Name)
            and node.func.value.id in ("np", "numpy") and len(node.args) == 1
            and isinstance(node.args[0], ast.List | ast.Tuple)):
        return None
    values = ast.literal_eval(node.args[0])
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return None
    return [float(v) for v in values]


def read_authors_points(path: str | PathLike[str]) -> tuple[NDArray[np.float64],
                                                             NDArray[np.float64]]:
    """Read the data points from your own copy of one of Caballero et al.'s fitting scripts.

    The authors publish the 4-digit-addition points of their Figure 4 (left) only inside the
    script ``fit_bnsl_and_extrapolate__4_digit_addition__dataset_size_x-axis.py`` of their
    repository ``ethancaballero/broken_neural_scaling_laws``, which has no licence, so this
    project does not redistribute them. Download the script yourself and pass its path. The
    points are the module-level assignments ``x = np.array([...])`` (training-set size) and
    ``y = np.array([...])`` (test cross-entropy, nats per token); the file is parsed, never
    executed.

    Parameters
    ----------
    path
        Path of the script.

    Returns
    -------
    x, y
        The points in the script's order (x as a count of training examples, y in nats).

    Raises
    ------
    TypeError
        If ``path`` is not a str or path-like object.
    ValueError
        If the file cannot be read as UTF-8 text (with or without a byte-order mark) within
        the size limit of every input file (the refusals of the CSV readers), or does not
        hold both arrays as module-level literals of numbers of the same length (at least
        two points, all positive and finite).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> text = "import numpy as np\\nx = np.array([1, 2,\\n  3])\\ny = np.array([3.0, 2.0, 1.5])\\n"
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     script = pathlib.Path(folder) / "theirs.py"
    ...     _ = script.write_text(text)
    ...     x, y = read_authors_points(script)
    >>> x.tolist(), y.tolist()
    ([1.0, 2.0, 3.0], [3.0, 2.0, 1.5])
    """
    text = read_text(path, name="path")
    try:
        tree = ast.parse(text, filename=str(path))
    except SyntaxError as error:
        raise ValueError(f"path must be a Python script; {path} does not parse: {error}") from None
    found: dict[str, list[float]] = {}
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id in ("x", "y")):
            values = _array_literal(node.value)
            if values is not None:
                found[node.targets[0].id] = values
    missing = [name for name in ("x", "y") if name not in found]
    if missing:
        raise ValueError(f"path must assign {' and '.join(missing)} = np.array([...]) of numbers "
                         f"at module level; {path} does not")
    xs, ys = check_xy(found["x"], found["y"], min_points=2)
    return xs, ys
