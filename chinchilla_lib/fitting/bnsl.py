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
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray

from chinchilla_lib._validation import check_positive_int
from chinchilla_lib.fitting._data import check_xy
from chinchilla_lib.fitting._result import FitResult
from chinchilla_lib.laws.bnsl import Break, BrokenPowerLaw
from chinchilla_lib.metrics import rmsle

__all__ = ["BnslFit", "fit_bnsl", "fit_bnsl_auto", "parameter_names", "read_authors_points"]

Array = NDArray[np.float64]
REFINE = 6
"""How many screened starts are refined by least squares."""
TOLERANCE = 1e-12
"""Relative tolerance of the least-squares refinement (on the step, the cost and the gradient)."""
EVALUATIONS = 50
"""Most residual evaluations per parameter in one refinement."""


def parameter_names(n_breaks: int) -> tuple[str, ...]:
    """The names of a broken power law's parameters: a, b, c0, then c_i, d_i, f_i per break.

    Examples
    --------
    >>> parameter_names(1)
    ('a', 'b', 'c0', 'c1', 'd1', 'f1')
    """
    count = check_positive_int("n_breaks", n_breaks, minimum=0)
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


def _unpack(theta: Array) -> BrokenPowerLaw:
    a, log_b, c0, *rest = theta
    breaks = tuple(Break(c, np.exp(log_d), np.exp(log_f))
                   for c, log_d, log_f in zip(rest[0::3], rest[1::3], rest[2::3], strict=True))
    return BrokenPowerLaw(max(a, 0.0), np.exp(log_b), c0, breaks)


def _log_model(theta: Array, log_x: Array) -> Array:
    """log y for many parameter rows at once: theta (S, 3 + 3n), log_x (m,) -> (S, m)."""
    a, log_b, c0 = theta[:, 0:1], theta[:, 1:2], theta[:, 2:3]
    log_reducible = log_b - c0 * log_x
    for i in range(3, theta.shape[1], 3):
        c, log_d, log_f = theta[:, i:i + 1], theta[:, i + 1:i + 2], theta[:, i + 2:i + 3]
        f = np.exp(log_f)
        log_reducible = log_reducible - c * f * np.logaddexp(0.0, (log_x - log_d) / f)
    with np.errstate(over="ignore"):
        return np.log(np.maximum(a, 0.0) + np.exp(log_reducible))


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
    reducible = np.exp(log_reducible)
    share = reducible / (max(a, 0.0) + reducible)
    jac = np.empty((log_x.size, theta.size))
    jac[:, 0] = 1.0 / (max(a, 0.0) + reducible)
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
    # Choose b so that the curve passes through the first point.
    reducible = np.exp(log_y[0]) - theta[:, 0]
    shape = _log_model(np.column_stack([np.zeros(len(theta)), theta[:, 1:]]), log_x[:1])[:, 0]
    theta[:, 1] = np.log(np.maximum(reducible, 1e-12)) - shape
    return theta


def _bounds(log_x: Array, log_y: Array, n_breaks: int) -> tuple[list[float], list[float]]:
    span = log_x.max() - log_x.min()
    lower = [0.0, -50.0, -5.0] + [-20.0, log_x.min() - span, np.log(1e-3)] * n_breaks
    upper = [0.999 * float(np.exp(log_y.min())), 50.0, 10.0] + [
        20.0, log_x.max() + span, np.log(10.0)] * n_breaks
    return lower, upper


def _refine(theta: Array, log_x: Array, target: Array, bounds,
            log1p: bool = False):
    """Least squares from one start: (parameters, sum of squared residuals, SciPy's result).
    The residuals are log y_hat - target, with target log y (or log(1 + y_hat) - log(1 + y)
    if ``log1p``)."""
    from scipy.optimize import least_squares

    lower, upper = bounds
    start = np.clip(theta, np.array(lower) + 1e-9, np.array(upper) - 1e-9)

    def residuals(p: Array) -> Array:
        log_y_hat = _log_model(p[None, :], log_x)[0]
        return (np.log1p(np.exp(log_y_hat)) if log1p else log_y_hat) - target

    def jacobian(p: Array) -> Array:
        jac = _jacobian(p, log_x)
        if log1p:
            y_hat = np.exp(_log_model(p[None, :], log_x)[0])
            jac = jac * (y_hat / (1.0 + y_hat))[:, None]
        return jac

    result = least_squares(residuals, start, jac=jacobian, bounds=(lower, upper), xtol=TOLERANCE,
                           ftol=TOLERANCE, gtol=TOLERANCE, max_nfev=EVALUATIONS * start.size,
                           x_scale="jac")
    return result.x, float(np.sum(result.fun**2)), result


def _fit(log_x: Array, log_y: Array, n_breaks: int, log1p: bool):
    starts = _starts(log_x, log_y, n_breaks)
    target = np.log1p(np.exp(log_y)) if log1p else log_y
    with np.errstate(all="ignore"):
        predicted = _log_model(starts, log_x)
        if log1p:
            predicted = np.log1p(np.exp(predicted))
        sse = np.sum((predicted - target) ** 2, axis=1)
    sse = np.where(np.isfinite(sse), sse, np.inf)
    bounds = _bounds(log_x, log_y, n_breaks)
    best = (starts[int(np.argmin(sse))], np.inf, None)
    for row in np.argsort(sse)[:REFINE]:
        refined = _refine(starts[row], log_x, target, bounds, log1p)
        if refined[1] < best[1]:
            best = refined
    return best


def fit_bnsl(x: ArrayLike, y: ArrayLike, *, breaks: int = 1, bootstrap: int = 0,
             seed: int = 0, target: str = "log",
             start: BrokenPowerLaw | None = None) -> BnslFit:
    """Fit a broken power law with ``breaks`` breaks by least squares in log space.

    Parameters
    ----------
    x, y
        The data (1-D, positive, finite), at least 3 + 3 x breaks + 1 points.
    breaks
        Number of breaks (0 to 3).
    bootstrap
        Residual-bootstrap replicates (0 for none): the fit is repeated on the fitted curve
        times resampled multiplicative residuals, from the fitted parameters.
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
    """
    if target not in ("log", "log1p"):
        raise ValueError(f"target must be 'log' or 'log1p'; got {target!r}")
    log1p = target == "log1p"
    n_breaks = check_positive_int("breaks", breaks, minimum=0)
    if n_breaks > 3:
        raise ValueError(f"breaks must lie in [0, 3]; got {n_breaks}")
    xs, ys = check_xy(x, y, min_points=4 + 3 * n_breaks)
    n_boot = check_positive_int("bootstrap", bootstrap, minimum=0)
    order = np.argsort(xs)
    log_x, log_y = np.log(xs[order]), np.log(ys[order])
    if start is None:
        theta, sse, solution = _fit(log_x, log_y, n_breaks, log1p)
    else:
        if not isinstance(start, BrokenPowerLaw) or len(start.breaks) != n_breaks:
            raise ValueError(f"start must be a BrokenPowerLaw with {n_breaks} break(s); "
                             f"got {start!r}")
        first = [start.a, np.log(start.b), start.c0]
        for brk in start.breaks:
            first += [brk.c, np.log(brk.d), np.log(brk.f)]
        with np.errstate(all="ignore"):
            theta, sse, solution = _refine(np.array(first, dtype=float), log_x,
                                 np.log1p(np.exp(log_y)) if log1p else log_y,
                                 _bounds(log_x, log_y, n_breaks), log1p)
    law = _unpack(theta)
    sse = float(np.sum((np.log(law(np.exp(log_x))) - log_y) ** 2))
    count, k = log_x.size, theta.size
    bic = float(count * np.log(max(sse, 1e-300) / count) + k * np.log(count))
    samples: dict[str, Array] = {}
    if n_boot:
        rng = np.random.default_rng(seed)
        fitted = _log_model(theta[None, :], log_x)[0]
        residual = log_y - fitted
        bounds = _bounds(log_x, log_y, n_breaks)
        rows = []
        for _ in range(n_boot):
            resampled = fitted + rng.choice(residual, residual.size, replace=True)
            refit, _, _ = _refine(theta, log_x,
                               np.log1p(np.exp(resampled)) if log1p else resampled, bounds,
                               log1p)
            refit = refit.copy()
            refit[1] = np.exp(refit[1])
            refit[4::3] = np.exp(refit[4::3])
            refit[5::3] = np.exp(refit[5::3])
            rows.append(refit)
        samples = dict(zip(parameter_names(n_breaks), np.array(rows).T, strict=True))
    status = {"converged": False, "n_iter": 0, "message": "no start gave a finite fit"}
    if solution is not None:
        status = {"converged": solution.status > 0, "n_iter": int(solution.njev or solution.nfev),
                  "message": str(solution.message)}
    return BnslFit(law, n_breaks, float(np.sqrt(sse / count)), bic, samples=samples, **status)


def fit_bnsl_auto(x: ArrayLike, y: ArrayLike, *, max_breaks: int = 3,
                  criterion: str = "holdout", target: str = "log") -> BnslFit:
    """Choose the number of breaks, then fit.

    Parameters
    ----------
    criterion
        ``"holdout"``: fit each number of breaks to all but the last fifth of the points (by
        x) and keep the one that extrapolates best to them, then refit on all points;
        ``"bic"``: keep the lowest Bayesian information criterion on all points.
    """
    xs, ys = check_xy(x, y, min_points=4)
    if criterion not in ("holdout", "bic"):
        raise ValueError(f"criterion must be 'holdout' or 'bic'; got {criterion!r}")
    order = np.argsort(xs)
    xs, ys = xs[order], ys[order]
    held = max(1, xs.size // 5)
    usable = xs.size - held if criterion == "holdout" else xs.size
    limit = min(check_positive_int("max_breaks", max_breaks, minimum=0), 3, (usable - 4) // 3)
    if criterion == "bic":
        fits = [fit_bnsl(xs, ys, breaks=n, target=target) for n in range(limit + 1)]
        return min(fits, key=lambda fit: fit.bic)
    scores = [rmsle(fit_bnsl(xs[:-held], ys[:-held], breaks=n, target=target).law,
                    xs[-held:], ys[-held:]) for n in range(limit + 1)]
    return fit_bnsl(xs, ys, breaks=int(np.argmin(scores)), target=target)


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
    ValueError
        If ``path`` does not hold both arrays as module-level literals of numbers of the same
        length (at least two points, all positive and finite).

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
    text = Path(path).read_text()
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
