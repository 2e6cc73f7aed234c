"""Why Kaplan et al. and Hoffmann et al. disagree: the analysis pipeline, one assumption at a
time.

The truth is a Chinchilla-form law in *total* parameters. Kaplan et al. (i) counted
non-embedding parameters and compute, (ii) studied small models, (iii) fitted laws without an
irreducible loss and (iv) read intermediate losses of runs that shared one long learning-rate
schedule. Each switch below reproduces one of these choices, so that its effect on the fitted
exponent a of N_opt ~ C^a can be measured alone or in combination.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from chinchilla_lib import registry
from chinchilla_lib._validation import (
    FloatOrArray,
    as_positive_array,
    check_nonnegative,
    scalar_or_array,
)
from chinchilla_lib.fitting.power import log_ols
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.quantities import FLOPS_PER_PARAM_TOKEN

__all__ = [
    "COUNTINGS",
    "SCALE_WINDOWS",
    "FrontierResult",
    "embedding_parameters",
    "kaplan_style_frontier",
    "local_exponent",
    "nonembedding_budget",
    "nonembedding_exponent_limits",
    "nonembedding_exponent_peak",
    "nonembedding_local_exponent",
    "nonembedding_parameters",
    "total_parameters",
]

Array = NDArray[np.float64]
COUNTINGS = ("total", "non-embedding")
SCALE_WINDOWS = {
    # Kaplan et al.'s models spanned 768 to 1.5e9 non-embedding parameters; Pearce and Song's
    # code fits their frontier over this compute range (FLOPs).
    "Kaplan et al. (small models)": (10**12.95, 10**20.7),
    # Hoffmann et al.'s IsoFLOP budgets.
    "Hoffmann et al. (Chinchilla scale)": (6e18, 3e21),
}
"""Ranges of compute (FLOPs) over which a frontier exponent is fitted."""


def _omega() -> float:
    return registry.constant("pearce_embedding_coefficient").value


def embedding_parameters(n_nonembedding: ArrayLike) -> FloatOrArray:
    """Embedding parameters of a model with ``n_nonembedding`` parameters outside them.

    Pearce and Song's model of Chinchilla-style shapes: width grows as N_E^(1/3) at a fixed
    width-to-depth ratio, and the embedding is vocabulary x width, so the embeddings hold
    omega N_E^(1/3) parameters (omega from the registry).
    """
    n = as_positive_array("n_nonembedding", n_nonembedding)
    return scalar_or_array(_omega() * np.cbrt(n), n_nonembedding)


def total_parameters(n_nonembedding: ArrayLike) -> FloatOrArray:
    """N_T = N_E + omega N_E^(1/3)."""
    n = as_positive_array("n_nonembedding", n_nonembedding)
    return scalar_or_array(n + _omega() * np.cbrt(n), n_nonembedding)


def nonembedding_parameters(n_total: ArrayLike) -> FloatOrArray:
    """Invert :func:`total_parameters`: the real root u of u^3 + omega u - N_T = 0, cubed.

    The cubic has one real root (Cardano's formula, derived in
    :func:`chinchilla_lib.symbolic.pearce_inverse`).
    """
    n = as_positive_array("n_total", n_total)
    omega = _omega()
    root = np.sqrt(n**2 / 4.0 + omega**3 / 27.0)
    # root - n/2 written as (omega^3/27) / (root + n/2), which does not cancel for large N.
    u = np.cbrt(n / 2.0 + root) - np.cbrt(omega**3 / 27.0 / (root + n / 2.0))
    return scalar_or_array(u**3, n_total)


def local_exponent(x: ArrayLike, y: ArrayLike) -> Array:
    """d log y / d log x at each point of a curve (central differences in log space)."""
    xs = as_positive_array("x", x)
    ys = as_positive_array("y", y)
    if xs.shape != ys.shape or xs.ndim != 1 or xs.size < 3:
        raise ValueError("x and y must be 1-D of one length, with at least 3 points")
    return np.gradient(np.log(ys), np.log(xs))


def _embedding_ratio(n_nonembedding: Array) -> Array:
    """r = N^(2/3) / omega: non-embedding over embedding parameters in Pearce and Song's model."""
    return np.cbrt(n_nonembedding) ** 2 / _omega()


def nonembedding_local_exponent(law: ChinchillaLaw, n_nonembedding: ArrayLike) -> FloatOrArray:
    """The local exponent d log N_opt / d log C of the frontier counted Kaplan et al.'s way.

    Closed form of :func:`chinchilla_lib.symbolic.pearce_local_exponent`: with
    r = N^(2/3) / omega (non-embedding over embedding parameters),

        1 / a(r) = 1 - (1/beta) (r + 1/9) / (r + 1/3) + ((alpha + 1)/beta) (r + 1/3) / (r + 1),

    the reciprocal of Pearce and Song's ``fn_g``.

    Parameters
    ----------
    law
        The true law, in total parameters (its alpha and beta are used).
    n_nonembedding
        Optimal non-embedding parameters (a count > 0) at which to evaluate the exponent.

    Returns
    -------
    float or ndarray
        The dimensionless exponent, between beta/(alpha + beta) and its peak.
    """
    n = as_positive_array("n_nonembedding", n_nonembedding)
    r = _embedding_ratio(n)
    inverse = (1.0 - (r + 1.0 / 9.0) / (r + 1.0 / 3.0) / law.beta
               + (law.alpha + 1.0) / law.beta * (r + 1.0 / 3.0) / (r + 1.0))
    return scalar_or_array(1.0 / inverse, n_nonembedding)


def nonembedding_budget(law: ChinchillaLaw, n_nonembedding: ArrayLike) -> FloatOrArray:
    """The budget C = 6 N D (non-embedding FLOPs) at which ``n_nonembedding`` is optimal.

    The first-order condition of :func:`chinchilla_lib.symbolic.pearce_local_exponent`
    solved for C:
    C = 6 N (beta B / (alpha A))^(1/beta) (N N_T')^(-1/beta) N_T^((alpha + 1)/beta),
    with N_T = N + omega N^(1/3) and N N_T' = N + (omega/3) N^(1/3).

    Parameters
    ----------
    law
        The true law, in total parameters.
    n_nonembedding
        Non-embedding parameters, a count > 0.

    Returns
    -------
    float or ndarray
        FLOPs, counted as 6 N D with the non-embedding N.
    """
    n = as_positive_array("n_nonembedding", n_nonembedding)
    cube = np.cbrt(n)
    n_total = n + _omega() * cube
    scaled = n + _omega() / 3.0 * cube
    log_c = (np.log(FLOPS_PER_PARAM_TOKEN * n)
             + np.log(law.beta * law.b / (law.alpha * law.a)) / law.beta
             - np.log(scaled) / law.beta + (law.alpha + 1.0) / law.beta * np.log(n_total))
    return scalar_or_array(np.exp(log_c), n_nonembedding)


def nonembedding_exponent_limits(law: ChinchillaLaw) -> tuple[float, float]:
    """The local exponent's limits: (small models, large models).

    Where embeddings dominate, N_T ~ omega N^(1/3), so the model term falls as N^(-alpha/3)
    and the exponent tends to beta / (beta + alpha/3); where they vanish it tends to the
    law's own beta / (alpha + beta).
    """
    return (law.beta / (law.beta + law.alpha / 3.0), law.beta / (law.alpha + law.beta))


def nonembedding_exponent_peak(law: ChinchillaLaw) -> tuple[float, float]:
    """Where the local exponent peaks: (non-embedding parameters, exponent there).

    The peak sits at r* = (2 sqrt(3 (alpha + 1)) / 3 - alpha) / (3 alpha + 2), i.e.
    N = (omega r*)^(3/2), whatever beta (derived in
    :func:`chinchilla_lib.symbolic.pearce_local_exponent`); r* = 1/3 exactly when
    alpha = 1/3, where the embeddings are three times the rest of the model.
    """
    alpha = law.alpha
    ratio = (2.0 * np.sqrt(3.0 * (alpha + 1.0)) / 3.0 - alpha) / (3.0 * alpha + 2.0)
    n_peak = float((_omega() * ratio) ** 1.5)
    return n_peak, float(nonembedding_local_exponent(law, n_peak))


@dataclass(frozen=True)
class FrontierResult:
    """The compute-optimal frontier as an analysis would see it, and its fitted exponent.

    Attributes
    ----------
    flops
        Budgets as counted by the analysis (6 N D with its N), FLOPs.
    n_opt
        The best model size at each budget, as counted by the analysis.
    exponent
        Least-squares slope of log n_opt on log flops: the a of N_opt ~ C^a.
    counting
        ``"total"`` or ``"non-embedding"``.
    loss
        The lowest loss at each budget (nats per token), the loss-compute frontier.
    """

    flops: Array
    n_opt: Array
    exponent: float
    counting: str
    loss: Array


def _loss(law: ChinchillaLaw, n_total: Array, tokens: Array, schedule_tokens: float | None,
          schedule_penalty: float) -> Array:
    data_term = law.b * tokens**-law.beta
    if schedule_tokens is not None and schedule_penalty > 0:
        data_term = data_term * (1.0 + schedule_penalty
                                 * np.clip(np.log(schedule_tokens / tokens), 0.0, None))
    return law.e + law.a * n_total**-law.alpha + data_term


def kaplan_style_frontier(law: ChinchillaLaw, flops_range: tuple[float, float], *,
                          counting: str = "total", budgets: int = 40,
                          schedule_tokens: float | None = None,
                          schedule_penalty: float = 0.0) -> FrontierResult:
    """Find the loss-minimising model size for each budget, as an analysis counting parameters
    and compute its own way would, and fit N_opt ~ C^a.

    Parameters
    ----------
    law
        The true law, in total parameters.
    flops_range
        (smallest, largest) budget in FLOPs, as the analysis counts compute.
    counting
        ``"total"``: N and C = 6ND count every parameter (Hoffmann et al.);
        ``"non-embedding"``: they count only non-embedding parameters (Kaplan et al.).
    budgets
        Number of log-spaced budgets (>= 3).
    schedule_tokens
        If given, every run shares a learning-rate schedule planned for this many tokens, and
        a run read off at D tokens before its end has its data term inflated by
        ``1 + schedule_penalty ln(schedule_tokens / D)``: the further a checkpoint lies from
        the end of the schedule, the more its loss overestimates a run planned to stop there.
    schedule_penalty
        Size of that inflation (>= 0; illustrative, not a published constant).
    """
    if counting not in COUNTINGS:
        raise ValueError(f"counting must be one of {COUNTINGS}; got {counting!r}")
    low, high = (float(v) for v in as_positive_array("flops_range", flops_range))
    if not high > low:
        raise ValueError("flops_range must be (smallest, largest) with largest > smallest")
    if budgets < 3:
        raise ValueError(f"budgets must be >= 3; got {budgets}")
    penalty = float(check_nonnegative("schedule_penalty", schedule_penalty))
    flops = np.geomspace(low, high, budgets)
    log_x = np.linspace(np.log(1e2), np.log(1e14), 1400)
    x = np.exp(log_x)
    n_total = x if counting == "total" else total_parameters(x)
    tokens = flops[:, None] / (FLOPS_PER_PARAM_TOKEN * x[None, :])
    loss = _loss(law, n_total[None, :], tokens, schedule_tokens, penalty)
    best = np.clip(np.argmin(loss, axis=1), 1, log_x.size - 2)
    rows = np.arange(flops.size)
    y0, y1, y2 = loss[rows, best - 1], loss[rows, best], loss[rows, best + 1]
    step = log_x[1] - log_x[0]
    shift = 0.5 * (y0 - y2) / (y0 - 2.0 * y1 + y2)
    n_opt = np.exp(log_x[best] + step * np.clip(np.nan_to_num(shift), -1.0, 1.0))
    slope, _ = log_ols(np.log(flops), np.log(n_opt))
    return FrontierResult(flops, n_opt, float(slope), counting, loss[rows, best])
