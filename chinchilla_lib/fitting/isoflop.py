"""The IsoFLOP runs fitted without Approach 2's parabola: the law itself, by variable projection.

Approach 2 (:func:`~chinchilla_lib.fitting.approaches12.fit_approach2`) reads each budget's
optimum off the vertex of a parabola in log N. The loss along an IsoFLOP curve of the law
L(N, D) = E + A N^-alpha + B D^-beta, with D = C / 6N, is

    L(N; C) = E + A N^-alpha + B (C / 6N)^-beta,

which is not a parabola in log N: it rises more steeply on one side of its minimum than on the
other unless alpha = beta, so a parabola through samples that are not placed symmetrically
about the minimum, or that span a wide range while alpha != beta, puts its vertex beside the
optimum (Czech et al., 2026, study this bias on noise-free surfaces; with alpha = beta the
curve is symmetric in log N, and a centred grid finds the minimum at any width).
:func:`fit_isoflop_law` fits that exact curve to every budget at once instead. For fixed
exponents (alpha, beta) the loss is linear in (E, A, B): a least-squares solve gives them, and
the residual sum of squares is a function of the two exponents alone (variable projection). The
exponents are searched on a grid (``EXPONENT_GRID`` squared), the best point polished by
SciPy's least squares on the projected residuals, and N_opt(C) follows in closed form from the
fitted law (:meth:`~chinchilla_lib.laws.chinchilla.ChinchillaLaw.compute_optimal`).

The objective is least squares on the loss (nats per token), not on its logarithm: for the
small scatter of real runs (about 1%) the two agree closely, and only on the loss is the law
linear in its constants. Approach 3 (:func:`~chinchilla_lib.fitting.approach3.fit_approach3`)
fits the same law to the same runs with the paper's Huber loss on log L.

"Exact" means exact for this form: on noise-free runs from E + A/N^alpha + B/D^beta the fit
recovers the law to rounding, whatever the grid (:mod:`~chinchilla_lib.simulate.isoflop_bias`
measures it). On runs whose loss follows another form the fit has no parabola bias, but it
carries the misfit of the form, which simulations from the Chinchilla form cannot show.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from chinchilla_lib._validation import as_positive_array
from chinchilla_lib.fitting._result import (
    DEFAULT_LEVEL,
    FitResult,
    Interval,
    check_bootstrap,
    percentile_interval,
)
from chinchilla_lib.fitting.runs import IsoFlopRuns
from chinchilla_lib.laws.chinchilla import ChinchillaLaw

__all__ = ["EXPONENT_GRID", "IsoFlopLawFit", "fit_isoflop_law"]

Array = NDArray[np.float64]

EXPONENT_GRID = np.linspace(0.05, 1.5, 30)
"""Values of alpha, and of beta, searched before polishing (every pair: 900 linear solves)."""

_NAMES = ("E", "A", "B", "alpha", "beta")


def _design(alpha: Array, beta: Array, log_n: Array, log_d: Array) -> Array:
    """Columns (1, N^-alpha, D^-beta) for each exponent pair: shape (pairs, runs, 3)."""
    ones = np.ones((alpha.size, log_n.size))
    return np.stack([ones, np.exp(-alpha[:, None] * log_n[None, :]),
                     np.exp(-beta[:, None] * log_d[None, :])], axis=-1)


def _project(alpha: Array, beta: Array, log_n: Array, log_d: Array,
             loss: Array) -> tuple[Array, Array]:
    """For each exponent pair, the least-squares (E, A, B) and the residual sum of squares
    (inf where a constant comes out negative or the solve fails)."""
    x = _design(alpha, beta, log_n, log_d)
    scale = np.abs(x).max(axis=1, keepdims=True)             # columns to unit size
    xs = x / scale
    gram = np.einsum("pni,pnj->pij", xs, xs)
    rhs = np.einsum("pni,n->pi", xs, loss)
    with np.errstate(all="ignore"):
        try:
            coefficients = np.linalg.solve(gram, rhs[..., None])[..., 0]
        except np.linalg.LinAlgError:
            coefficients = np.stack([np.linalg.lstsq(g, r, rcond=None)[0]
                                     for g, r in zip(gram, rhs, strict=True)])
        coefficients = coefficients / scale[:, 0, :]
        residual = loss[None, :] - np.einsum("pni,pi->pn", x, coefficients)
        rss = (residual**2).sum(axis=1)
    bad = ~np.isfinite(rss) | (coefficients < 0).any(axis=1)
    return coefficients, np.where(bad, np.inf, rss)


def _fit_once(log_n: Array, log_d: Array, loss: Array) -> tuple[Array, float, bool, int]:
    """(E, A, B, alpha, beta), the residual sum of squares, convergence and evaluations."""
    from scipy.optimize import least_squares

    alpha, beta = (g.ravel() for g in np.meshgrid(EXPONENT_GRID, EXPONENT_GRID,
                                                   indexing="ij"))
    coefficients, rss = _project(alpha, beta, log_n, log_d, loss)
    if not np.isfinite(rss).any():
        return np.full(5, np.nan), np.inf, False, 0
    best = int(np.argmin(rss))

    def residuals(p: Array) -> Array:
        c, _ = _project(p[:1], p[1:], log_n, log_d, loss)
        c = np.clip(c, 0.0, None)
        x = _design(p[:1], p[1:], log_n, log_d)[0]
        return loss - x @ c[0]

    start = np.array([alpha[best], beta[best]])
    result = least_squares(residuals, start, bounds=([1e-3, 1e-3], [5.0, 5.0]),
                           x_scale=1.0, xtol=1e-12, ftol=1e-12, gtol=1e-12)
    polished, value = _project(result.x[:1], result.x[1:], log_n, log_d, loss)
    if np.isfinite(value[0]) and value[0] <= rss[best]:
        theta = np.array([*polished[0], *result.x])
        return theta, float(value[0]), bool(result.success), int(result.nfev)
    theta = np.array([*coefficients[best], alpha[best], beta[best]])
    return theta, float(rss[best]), False, int(result.nfev)


def _estimates(theta: Array) -> dict[str, float]:
    e, a, b, alpha, beta = (float(v) for v in theta)
    return {"E": e, "A": a, "B": b, "alpha": alpha, "beta": beta,
            "optimal_params_exponent": beta / (alpha + beta),
            "optimal_tokens_exponent": alpha / (alpha + beta)}


@dataclass(frozen=True)
class IsoFlopLawFit(FitResult):
    """E + A/N^alpha + B/D^beta fitted to IsoFLOP runs by variable projection.

    Attributes
    ----------
    law
        The fitted :class:`~chinchilla_lib.laws.chinchilla.ChinchillaLaw` (N parameters,
        D tokens, loss in nats per token); ``law.compute_optimal(C)`` gives N_opt and D_opt
        at C FLOPs.
    rss
        Residual sum of squares of the loss at the fit, (nats per token)^2.
    samples, converged, n_iter, message
        As in :class:`~chinchilla_lib.fitting._result.FitResult`: refits to resampled runs
        (each budget's runs drawn with replacement) of E, A, B, alpha, beta and the allocation
        exponents; ``n_iter`` counts the polishing solve's evaluations.
    """

    law: ChinchillaLaw
    rss: float

    @property
    def estimates(self) -> dict[str, float]:
        """E, A, B, alpha, beta and the allocation exponents a and b."""
        return _estimates(np.array([self.law.e, self.law.a, self.law.b, self.law.alpha,
                                    self.law.beta]))

    def n_opt(self, flops: ArrayLike) -> Array:
        """N_opt, parameters, at ``flops`` (FLOPs, > 0), from the fitted law in closed form."""
        return np.asarray(self.law.compute_optimal(as_positive_array("flops", flops)).n_params)

    def n_opt_interval(self, flops: float, level: float = DEFAULT_LEVEL) -> Interval:
        """Percentile interval of N_opt (parameters) at ``flops`` FLOPs over the refits."""
        c = float(as_positive_array("flops", flops).reshape(-1)[0])
        self.interval("alpha", level)                       # checks level and the samples
        values = []
        for row in zip(*(self.samples[name] for name in _NAMES), strict=True):
            if np.all(np.isfinite(row)) and min(row[3:]) > 0:
                law = ChinchillaLaw(*(float(v) for v in row), name="refit")
                values.append(float(law.compute_optimal(c).n_params))
        return percentile_interval(np.array(values), level, float(self.n_opt(c)), "n_opt")


def fit_isoflop_law(isoflop: IsoFlopRuns, *, bootstrap: int = 0,
                    seed: int = 0) -> IsoFlopLawFit:
    """Fit L(N; C) = E + A N^-alpha + B (C/6N)^-beta to every budget's runs at once.

    Approach 2's input, without its parabola: see the module docstring. The runs' tokens are
    taken as they are (D = C / 6N for IsoFLOP runs), so the fit is that of the law to the
    final losses, by least squares on the loss, with the exponents found by variable
    projection.

    Parameters
    ----------
    isoflop
        Runs at fixed budgets (at least 5 runs, with at least 3 distinct N and 3 distinct D).
    bootstrap
        Number of refits to resampled runs (0 for none; at most ``MAX_BOOTSTRAP``, 10,000);
        each budget's runs are drawn with replacement, as Approach 2's are.
    seed
        Seed of the resampling.

    Returns
    -------
    IsoFlopLawFit
        The fitted law; ``n_opt(C)`` is its compute-optimal size.

    Raises
    ------
    ValueError
        If the runs cannot determine the law (too few distinct sizes or token counts), or no
        pair of positive exponents gives non-negative constants.

    Examples
    --------
    >>> from chinchilla_lib.laws import ChinchillaLaw
    >>> from chinchilla_lib.simulate import simulate_isoflop_runs
    >>> truth = ChinchillaLaw.from_registry("besiroglu2024/refit")
    >>> iso = simulate_isoflop_runs(truth, [1e18, 1e19, 1e20, 1e21], noise=0.0, seed=0)
    >>> fit = fit_isoflop_law(iso)
    >>> print(f"a = {fit.estimates['optimal_params_exponent']:.3f} "
    ...       f"(truth {truth.optimal_params_exponent:.3f})")
    a = 0.513 (truth 0.513)
    """
    from chinchilla_lib.fitting.approaches12 import _check_design

    _check_design("isoflop", isoflop, IsoFlopRuns)
    n_boot = check_bootstrap(bootstrap)
    runs = isoflop.runs
    runs.check_design("isoflop")
    log_n, log_d, loss = np.log(runs.n_params), np.log(runs.n_tokens), runs.loss
    theta, rss, converged, evaluations = _fit_once(log_n, log_d, loss)
    if not np.isfinite(rss) or min(theta[3:]) <= 0:
        raise ValueError("isoflop: no pair of positive exponents gives non-negative E, A and B; "
                         "the losses do not fall with N and with D as the law needs")
    samples: dict[str, Array] = {}
    if n_boot:
        rng = np.random.default_rng(seed)
        groups = [np.flatnonzero(isoflop.budget == b) for b in np.unique(isoflop.budget)]
        rows = []
        for _ in range(n_boot):
            pick = np.concatenate([g[rng.integers(0, g.size, g.size)] for g in groups])
            if np.unique(log_n[pick]).size < 3 or np.unique(log_d[pick]).size < 3:
                rows.append(np.full(7, np.nan))
                continue
            refit, value, _, _ = _fit_once(log_n[pick], log_d[pick], loss[pick])
            rows.append(np.array(list(_estimates(refit).values())) if np.isfinite(value)
                        else np.full(7, np.nan))
        table = np.array(rows)
        names = (*_NAMES, "optimal_params_exponent", "optimal_tokens_exponent")
        samples = {name: table[:, i] for i, name in enumerate(names)}
    law = ChinchillaLaw(*(float(v) for v in theta), name="IsoFLOP law fit (variable projection)")
    message = ("variable projection: exponent grid, then least squares on the projected "
               "residuals" + ("" if converged else " (polishing did not meet its tolerance)"))
    return IsoFlopLawFit(law, rss, samples=samples, converged=converged, n_iter=evaluations,
                         message=message)
