"""Fitting benchmark sigmoids: accuracy against log-compute or against loss.

The fit is least squares on accuracy itself (errors on a benchmark score are roughly additive).
The floor is usually known, chance accuracy, and is then held fixed; the ceiling, midpoint and
slope are fitted from a small grid of starts, each refined with bounded least squares.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from chinchilla_lib._validation import as_positive_array, check_fraction
from chinchilla_lib.fitting._result import FitResult
from chinchilla_lib.laws.sigmoid import SigmoidInLogX, SigmoidInLoss, logistic

__all__ = ["SigmoidFit", "fit_sigmoid"]

Array = NDArray[np.float64]


@dataclass(frozen=True)
class SigmoidFit(FitResult):
    """A fitted benchmark sigmoid.

    Attributes
    ----------
    law
        The fitted curve: :class:`SigmoidInLogX` or :class:`SigmoidInLoss`.
    rmse
        Root-mean-square error of the fitted accuracies (a fraction).
    samples, converged, n_iter, message
        As in :class:`~chinchilla_lib.fitting._result.FitResult`: no bootstrap (``samples``
        is empty); the status of the bounded least-squares solve that gave the best fit.
    """

    law: SigmoidInLogX | SigmoidInLoss
    rmse: float

    @property
    def estimates(self) -> dict[str, float]:
        """The fitted ``floor``, ``ceiling``, ``midpoint`` and ``slope``."""
        return {name: float(getattr(self.law, name))
                for name in ("floor", "ceiling", "midpoint", "slope")}


def _residual_fit(u: Array, accuracy: Array, floor: float | None, ceiling: float | None,
                  midpoint_max: float = np.inf):
    """Best (floor, ceiling, midpoint, slope) of the logistic in u, its RMSE and SciPy's
    result; floor and ceiling are held fixed when given."""
    from scipy.optimize import least_squares

    span = float(u.max() - u.min())
    fixed = {"floor": floor, "ceiling": ceiling}
    free = [name for name, value in fixed.items() if value is None]

    def unpack(p: Array) -> tuple[float, float, float, float]:
        values = dict(fixed)
        values.update(zip(free, p[:len(free)], strict=True))
        return values["floor"], values["ceiling"], p[-2], p[-1]

    def residuals(p: Array) -> Array:
        return logistic(u, *unpack(p)) - accuracy

    bounds = {"floor": (0.0, 1.0 - 1e-6),
              "ceiling": ((floor if floor is not None else 0.0) + 1e-6, 1.0)}
    lower = [bounds[name][0] for name in free] + [u.min() - span, 1e-3 / span]
    upper = [bounds[name][1] for name in free] + [min(u.max() + span, midpoint_max), 1e3 / span]
    starts = {"floor": (max(float(accuracy.min()) * 0.5, 0.0),),
              "ceiling": (0.5 * (bounds["ceiling"][0] + 1.0), 1.0)}
    midpoints = np.linspace(u.min(), min(u.max(), midpoint_max), 5)
    slopes = (1.0 / span, 5.0 / span, 25.0 / span)
    best, best_cost, solution = None, np.inf, None
    for start in itertools.product(*(starts[name] for name in free), midpoints, slopes):
        start = np.clip(start, np.array(lower) + 1e-9, np.array(upper) - 1e-9)
        result = least_squares(residuals, start, bounds=(lower, upper), x_scale="jac",
                               xtol=1e-12, ftol=1e-12, gtol=1e-12)
        if result.cost < best_cost:
            best, best_cost, solution = result.x, result.cost, result
    params = np.array(unpack(best))
    return params, float(np.sqrt(2.0 * best_cost / u.size)), solution


def fit_sigmoid(x: ArrayLike, accuracy: ArrayLike, *, against: str = "log_x",
                floor: float | None = None, ceiling: float | None = None) -> SigmoidFit:
    """Fit a benchmark sigmoid to accuracies.

    Parameters
    ----------
    x
        Scale of each model: compute in FLOPs or parameters (``against="log_x"``), or
        pre-training loss in nats per token (``against="loss"``); 1-D, finite, > 0.
    accuracy
        Benchmark accuracy of each model, fractions in [0, 1], same length as ``x``.
    against
        ``"log_x"``: accuracy rises with log10 x; ``"loss"``: accuracy rises as loss falls.
    floor
        Known chance accuracy in [0, 1) (e.g. 0.25 for four-way multiple choice), held fixed;
        ``None`` fits it too.
    ceiling
        Known best accuracy in (floor, 1] (e.g. 1.0), held fixed; ``None`` fits it too.

    Returns
    -------
    SigmoidFit

    Raises
    ------
    ValueError
        If the inputs are out of range, of different lengths, have fewer points than
        parameters plus one, or ``against`` is unknown.

    Examples
    --------
    >>> import numpy as np
    >>> from chinchilla_lib.laws.sigmoid import SigmoidInLogX
    >>> truth = SigmoidInLogX(0.25, 0.9, 1e22, 1.5)
    >>> flops = np.geomspace(1e19, 1e25, 12)
    >>> fit = fit_sigmoid(flops, truth(flops), floor=0.25)
    >>> f"{fit.law.midpoint:.3g}", round(fit.law.slope, 3)
    ('1e+22', 1.5)
    """
    if against not in ("log_x", "loss"):
        raise ValueError(f"against must be 'log_x' or 'loss'; got {against!r}")
    xs = as_positive_array("x", x)
    ys = check_fraction("accuracy", accuracy, allow_zero=True)
    if xs.ndim != 1 or ys.ndim != 1 or xs.shape != ys.shape:
        raise ValueError(f"x and accuracy must be 1-D of the same length; got shapes {xs.shape} "
                         f"and {ys.shape}")
    if floor is not None:
        floor = float(check_fraction("floor", floor, allow_zero=True, allow_one=False))
    if ceiling is not None:
        ceiling = float(check_fraction("ceiling", ceiling))
        if floor is not None and ceiling <= floor:
            raise ValueError(f"ceiling must exceed floor; got floor={floor}, ceiling={ceiling}")
    needed = 3 + (floor is None) + (ceiling is None)
    if xs.size < needed:
        raise ValueError(f"x must have at least {needed} points to fit; got {xs.size}")
    if np.unique(xs).size < 2:
        raise ValueError("x must contain at least two distinct values")
    u = np.log10(xs) if against == "log_x" else -xs
    # A loss midpoint must stay positive, so u = -loss stays negative.
    limit = np.inf if against == "log_x" else -1e-6 * float(xs.min())
    (low, high, midpoint, slope), rmse, solution = _residual_fit(u, ys, floor, ceiling, limit)
    if high <= low:
        raise ValueError("accuracy does not rise with scale here: the best sigmoid has its "
                         "ceiling at its floor")
    if against == "log_x":
        law: SigmoidInLogX | SigmoidInLoss = SigmoidInLogX(low, high, 10.0**midpoint, slope)
    else:
        law = SigmoidInLoss(low, high, -midpoint, slope)
    return SigmoidFit(law, rmse, converged=solution.status > 0,
                      n_iter=int(solution.njev or solution.nfev), message=str(solution.message))
