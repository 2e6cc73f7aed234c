"""Fitting power laws and saturating power laws, with bootstrap confidence intervals.

Two ways to fit y = a x^k:

* **least squares in log space** (``method="log"``): regress log y on log x. Each point weighs
  by its *relative* error, which suits losses spanning decades; the estimate has a closed form.
* **least squares in linear space** (``method="linear"``): minimise the squared errors of y
  itself. The largest values of y dominate, so on data spanning decades it mostly fits the
  first few points.

A floor bends the log-log line: :func:`fit_saturating_power_law` fits y = floor + a x^k by
profiling the exponent (for a fixed k the law is linear in the floor and a) and polishing the
best profile point in log space.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from chinchilla_lib._validation import (
    FloatOrArray,
    as_finite_array,
)
from chinchilla_lib.fitting._data import check_xy
from chinchilla_lib.fitting._result import CLOSED_FORM, FitResult, Interval, check_bootstrap
from chinchilla_lib.laws.power import PowerLaw, SaturatingPowerLaw
from chinchilla_lib.metrics import rmsle

__all__ = [
    "Interval",  # defined in fitting._result; kept here, where it was first imported from
    "PowerLawFit",
    "fit_power_law",
    "fit_saturating_power_law",
    "log_ols",
]


@dataclass(frozen=True)
class PowerLawFit(FitResult):
    """The result of a fit.

    Attributes
    ----------
    law
        The fitted :class:`PowerLaw` or :class:`SaturatingPowerLaw`.
    method
        How it was fitted.
    n_points
        Number of data points.
    rmsle
        Root-mean-square of the residuals log y - log law(x) (natural logs;
        :func:`chinchilla_lib.metrics.rmsle`).
    samples, converged, n_iter, message
        As in :class:`~chinchilla_lib.fitting._result.FitResult`: bootstrap replicates of
        ``"coefficient"``, ``"exponent"`` and, for a saturating law, ``"floor"`` (empty
        without a bootstrap); the status of the least-squares solve (closed form for
        ``method="log"``).
    """

    law: PowerLaw | SaturatingPowerLaw
    method: str
    n_points: int
    rmsle: float

    @property
    def estimates(self) -> dict[str, float]:
        """The fitted law's ``coefficient``, ``exponent`` and (saturating laws) ``floor``."""
        names = ("floor", "coefficient", "exponent") if isinstance(
            self.law, SaturatingPowerLaw) else ("coefficient", "exponent")
        return {name: float(getattr(self.law, name)) for name in names}


def _status(solution) -> dict[str, object]:
    """The ``converged``, ``n_iter`` and ``message`` of a SciPy least-squares solution."""
    return {"converged": solution.status > 0, "n_iter": int(solution.njev or solution.nfev),
            "message": str(solution.message)}


def log_ols(log_x: ArrayLike, log_y: ArrayLike) -> tuple[FloatOrArray, FloatOrArray]:
    """Ordinary least squares of log y on log x: the exponent k and log a of y = a x^k.

    The closed-form fit behind ``fit_power_law(method="log")``, without its checks on x and y
    themselves: it takes logarithms, and regresses along the last axis, so that every row of a
    2-D array (bootstrap resamples, say) is fitted at once.

    Parameters
    ----------
    log_x, log_y
        Logarithms of x and y (natural logarithms, or one base for both), finite, of one shape,
        with at least 2 values along the last axis.

    Returns
    -------
    slope, intercept
        The exponent k and the logarithm of the coefficient a (in the base of the inputs), one
        per row: scalars for 1-D inputs, arrays of shape ``log_x.shape[:-1]`` otherwise. A row
        whose log x values are all equal has no slope: NaN, or a meaningless number when
        rounding leaves a tiny spread (check for two distinct x first, as the fits do).

    Raises
    ------
    ValueError
        If an input is not finite, the shapes differ, or the last axis has fewer than 2 values.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([1.0, 10.0, 100.0])
    >>> slope, intercept = log_ols(np.log(x), np.log(2.0 * x ** -0.5))
    >>> print(f"k = {slope:.3f}, a = {np.exp(intercept):.3f}")
    k = -0.500, a = 2.000
    """
    lx = as_finite_array("log_x", log_x)
    ly = as_finite_array("log_y", log_y)
    if lx.shape != ly.shape:
        raise ValueError(f"log_x and log_y must have one shape; got {lx.shape} and {ly.shape}")
    if lx.ndim == 0 or lx.shape[-1] < 2:
        raise ValueError(f"log_x and log_y need at least 2 values along the last axis; "
                         f"got shape {lx.shape}")
    mx = lx.mean(axis=-1, keepdims=True)
    my = ly.mean(axis=-1, keepdims=True)
    sxx = ((lx - mx) ** 2).sum(axis=-1)
    sxy = ((lx - mx) * (ly - my)).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        slope = sxy / sxx
    intercept = my[..., 0] - slope * mx[..., 0]
    return slope, intercept


def _fit_linear_space(xs, ys, start: PowerLaw):
    """Least squares on y from ``start``: the law and SciPy's solution."""
    from scipy.optimize import least_squares

    def residuals(p):
        return np.exp(p[0]) * xs ** p[1] - ys

    solution = least_squares(residuals, [np.log(start.coefficient), start.exponent],
                             method="lm", xtol=1e-12, ftol=1e-12)
    return PowerLaw(float(np.exp(solution.x[0])), float(solution.x[1])), solution


def fit_power_law(x: ArrayLike, y: ArrayLike, *, method: str = "log", bootstrap: int = 0,
                  seed: int = 0) -> PowerLawFit:
    """Fit y = a x^k.

    Parameters
    ----------
    x, y
        Data, 1-D, positive and finite, at least 3 points (for example parameters and loss in
        nats per token).
    method
        ``"log"``: ordinary least squares on (log x, log y), in closed form. ``"linear"``:
        least squares on y itself (Levenberg-Marquardt, started from the log fit).
    bootstrap
        Number of bootstrap resamples (0 for none; at most ``MAX_BOOTSTRAP``, 10,000). For
        ``"log"`` the resamples are solved all at once, so thousands take milliseconds.
    seed
        Seed of the resampling.

    Returns
    -------
    PowerLawFit

    Examples
    --------
    Twelve losses from a law with exponent -0.07 and 1% noise:

    >>> import numpy as np
    >>> n = np.geomspace(1e6, 1e9, 12)
    >>> loss = 3.0 * n ** -0.07 * np.exp(np.random.default_rng(0).normal(0, 0.01, n.size))
    >>> fit = fit_power_law(n, loss, bootstrap=500, seed=0)
    >>> print(f"exponent {fit.law.exponent:.3f}")
    exponent -0.071
    """
    xs, ys = check_xy(x, y, min_points=3)
    if method not in ("log", "linear"):
        raise ValueError(f"method must be 'log' or 'linear'; got {method!r}")
    n_boot = check_bootstrap(bootstrap)
    lx, ly = np.log(xs), np.log(ys)
    slope, intercept = log_ols(lx, ly)
    law = PowerLaw(float(np.exp(intercept)), float(slope))
    status: dict[str, object] = {"converged": True, "n_iter": 0, "message": CLOSED_FORM}
    if method == "linear":
        law, solution = _fit_linear_space(xs, ys, law)
        status = _status(solution)
    samples: dict[str, NDArray[np.float64]] = {}
    if n_boot:
        rng = np.random.default_rng(seed)
        index = rng.integers(0, xs.size, size=(n_boot, xs.size))
        if method == "log":
            slopes, intercepts = log_ols(lx[index], ly[index])
            samples = {"exponent": slopes, "coefficient": np.exp(intercepts)}
        else:
            fits = []
            for rows in index:
                if np.unique(xs[rows]).size < 2:
                    continue
                fits.append(_fit_linear_space(xs[rows], ys[rows], law)[0])
            samples = {"exponent": np.array([f.exponent for f in fits]),
                       "coefficient": np.array([f.coefficient for f in fits])}
    return PowerLawFit(law, method, xs.size, rmsle(law, xs, ys), samples=samples, **status)


def _profile_floor(xs, ys, exponents: NDArray[np.float64]):
    """For each exponent k, the least-squares (floor, a) of y = floor + a x^k, floor >= 0."""
    z = xs[None, :] ** exponents[:, None]                 # (K, n)
    n = xs.size
    sz, sy = z.sum(axis=1), ys.sum()
    szz, szy = (z * z).sum(axis=1), (z * ys).sum(axis=1)
    det = n * szz - sz**2
    with np.errstate(invalid="ignore", divide="ignore"):
        a = (n * szy - sz * sy) / det
        floor = (sy - a * sz) / n
    # Where the free floor is negative or above the data, pin it to the nearest bound.
    top = ys.min() * (1.0 - 1e-9)
    pinned = np.clip(floor, 0.0, top)
    refit = pinned != floor
    with np.errstate(invalid="ignore", divide="ignore"):
        a = np.where(refit, ((ys - pinned[:, None]) * z).sum(axis=1) / szz, a)
    return pinned, a


def _saturating_fit(xs, ys, grid: NDArray[np.float64], polish: bool):
    """The best law of the exponent profile, polished unless ``polish`` is False; with the
    solver's status."""
    floors, coefficients = _profile_floor(xs, ys, grid)
    ok = coefficients > 0
    if not ok.any():
        raise ValueError("y must decrease with x for a saturating power law with exponent < 0")
    with np.errstate(invalid="ignore", divide="ignore"):
        pred = floors[:, None] + coefficients[:, None] * xs[None, :] ** grid[:, None]
        sse = np.where(ok, ((np.log(ys) - np.log(pred)) ** 2).sum(axis=1), np.inf)
    sse = np.where(np.isfinite(sse), sse, np.inf)
    best = int(np.argmin(sse))
    start = np.array([floors[best], np.log(coefficients[best]), grid[best]])
    if not polish:
        return (SaturatingPowerLaw(float(start[0]), float(np.exp(start[1])), float(start[2])),
                {"converged": True, "n_iter": 0,
                 "message": "best point of the exponent profile (closed form per exponent), "
                            "not polished"})
    from scipy.optimize import least_squares

    top = ys.min() * (1.0 - 1e-9)
    log_y = np.log(ys)

    def residuals(p):
        return np.log(p[0] + np.exp(p[1]) * xs ** p[2]) - log_y

    lower, upper = [0.0, -np.inf, grid.min() * 2], [top, np.inf, 0.0]
    start[0] = min(max(start[0], 0.0), top)
    solution = least_squares(residuals, start, bounds=(lower, upper), xtol=1e-12, ftol=1e-12)
    floor, log_a, k = solution.x
    return SaturatingPowerLaw(float(floor), float(np.exp(log_a)), float(k)), _status(solution)


def fit_saturating_power_law(x: ArrayLike, y: ArrayLike, *, bootstrap: int = 0, seed: int = 0,
                             polish: bool = True) -> PowerLawFit:
    """Fit y = floor + a x^k (k < 0, 0 <= floor < min y) by least squares in log space.

    Parameters
    ----------
    x, y
        Data, 1-D, positive and finite, at least 4 points.
    bootstrap
        Number of bootstrap resamples (0 for none; at most ``MAX_BOOTSTRAP``, 10,000); each is a
        full fit.
    seed
        Seed of the resampling.
    polish
        If False, return the best point of the exponent profile without the final
        least-squares step (faster, slightly less precise; used by explorers).

    Returns
    -------
    PowerLawFit
    """
    xs, ys = check_xy(x, y, min_points=4)
    n_boot = check_bootstrap(bootstrap)
    if log_ols(np.log(xs), np.log(ys))[0] >= 0:
        raise ValueError("y must decrease with x for a saturating power law with exponent < 0")
    grid = -np.geomspace(1e-3, 3.0, 120)
    law, status = _saturating_fit(xs, ys, grid, polish)
    samples: dict[str, NDArray[np.float64]] = {}
    if n_boot:
        rng = np.random.default_rng(seed)
        fits = []
        for rows in rng.integers(0, xs.size, size=(n_boot, xs.size)):
            if np.unique(xs[rows]).size < 3:
                continue
            try:
                fits.append(_saturating_fit(xs[rows], ys[rows], grid, polish)[0])
            except ValueError:
                continue
        samples = {name: np.array([getattr(f, name) for f in fits])
                   for name in ("floor", "coefficient", "exponent")}
    return PowerLawFit(law, "saturating-log", xs.size, rmsle(law, xs, ys), samples=samples,
                       **status)
