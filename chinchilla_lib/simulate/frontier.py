"""Why Kaplan et al. and Hoffmann et al. disagree: the analysis pipeline, one assumption at a
time.

The truth is a Chinchilla-form law in *total* parameters. Kaplan et al. (i) counted
non-embedding parameters and compute, (ii) studied small models, (iii) fitted laws without an
irreducible loss and (iv) read intermediate losses of runs that shared one long learning-rate
schedule. Each switch below reproduces one of these choices, so that its effect on the fitted
exponent a of N_opt ~ C^a can be measured alone or in combination.

The parameter accounting it uses (embedding, total and non-embedding parameters) lives in
:mod:`chinchilla_lib.quantities`; the closed form of the exponent it measures, in
:mod:`chinchilla_lib.laws.nonembedding`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from chinchilla_lib import registry
from chinchilla_lib._validation import (
    as_finite_array,
    as_positive_array,
    check_instance,
    check_nonnegative,
    check_positive_int,
    checks_overflow,
    single,
)
from chinchilla_lib.fitting.power import log_ols
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.quantities import FLOPS_PER_PARAM_TOKEN, total_parameters
from chinchilla_lib.simulate._limits import check_count, check_mode

__all__ = ["COUNTINGS", "MAX_BUDGETS", "SCALE_WINDOWS", "FrontierResult", "kaplan_style_frontier"]

Array = NDArray[np.float64]
COUNTINGS = ("total", "non-embedding")
SCALE_WINDOWS = {
    # Kaplan et al.'s models spanned 768 to 1.5e9 non-embedding parameters; Pearce and Song's
    # code fits their frontier over this range of non-embedding compute.
    "Kaplan et al. (small models)": tuple(
        10.0**v for v in registry.PEARCE_KAPLAN_COMPUTE_WINDOW.values),
    # Hoffmann et al.'s IsoFLOP budgets, as their Section 3.2 states the range.
    "Hoffmann et al. (Chinchilla scale)": registry.HOFFMANN_ISOFLOP_RANGE.values,
}
"""Ranges of compute (FLOPs) over which a frontier exponent is fitted, read from the registry
(``pearce_kaplan_compute_window``, ``hoffmann_isoflop_range``)."""


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

    def __post_init__(self) -> None:
        arrays = {"flops": as_positive_array("flops", self.flops),
                  "n_opt": as_positive_array("n_opt", self.n_opt),
                  "loss": as_positive_array("loss", self.loss)}
        shapes = {name: a.shape for name, a in arrays.items()}
        if any(a.ndim != 1 for a in arrays.values()) or len(set(shapes.values())) != 1:
            raise ValueError(f"flops, n_opt and loss must be 1-D of one length; got shapes "
                             f"{shapes}")
        check_mode("counting", self.counting, COUNTINGS)
        exponent = single("exponent", as_finite_array("exponent", self.exponent))
        for name, a in arrays.items():
            object.__setattr__(self, name, a)
        object.__setattr__(self, "exponent", exponent)


def _loss(law: ChinchillaLaw, n_total: Array, tokens: Array, schedule_tokens: float | None,
          schedule_penalty: float) -> Array:
    data_term = law.b * tokens**-law.beta
    if schedule_tokens is not None and schedule_penalty > 0:
        data_term = data_term * (1.0 + schedule_penalty
                                 * np.clip(np.log(schedule_tokens / tokens), 0.0, None))
    return law.e + law.a * n_total**-law.alpha + data_term


#: Model sizes searched per budget, log-spaced over 1e2 to 1e14 parameters.
_GRID = 1400
MAX_BUDGETS = 5000
"""Most budgets one :func:`kaplan_style_frontier` call searches (each over a grid of 1,400
model sizes)."""


@checks_overflow
def kaplan_style_frontier(law: ChinchillaLaw, flops_range: tuple[float, float], *,
                          counting: str = "total", budgets: int = 40,
                          schedule_tokens: float | None = None,
                          schedule_penalty: float = 0.0) -> FrontierResult:
    """Find the loss-minimising model size for each budget, as an analysis counting parameters
    and compute its own way would, and fit N_opt ~ C^a.

    Parameters
    ----------
    law
        The true law, in total parameters (a
        :class:`~chinchilla_lib.laws.chinchilla.ChinchillaLaw`).
    flops_range
        (smallest, largest) budget in FLOPs, as the analysis counts compute.
    counting
        ``"total"``: N and C = 6ND count every parameter (Hoffmann et al.);
        ``"non-embedding"``: they count only non-embedding parameters (Kaplan et al.).
    budgets
        Number of log-spaced budgets (3 to :data:`MAX_BUDGETS`).
    schedule_tokens
        If given (tokens, finite, > 0), every run shares a learning-rate schedule planned for
        this many tokens, and a run read off at D tokens before its end has its data term
        inflated by
        ``1 + schedule_penalty ln(schedule_tokens / D)``: the further a checkpoint lies from
        the end of the schedule, the more its loss overestimates a run planned to stop there.
    schedule_penalty
        Size of that inflation (>= 0; illustrative, not a published constant).
    """
    check_instance("law", law, ChinchillaLaw)
    check_mode("counting", counting, COUNTINGS)
    bounds = as_positive_array("flops_range", flops_range)
    if bounds.shape != (2,):
        raise ValueError(f"flops_range must be (smallest, largest), two numbers; got shape "
                         f"{bounds.shape}")
    low, high = (float(v) for v in bounds)
    if not high > low:
        raise ValueError("flops_range must be (smallest, largest) with largest > smallest")
    budgets = check_positive_int("budgets", budgets, minimum=3)
    check_count("budgets", budgets, MAX_BUDGETS)
    if schedule_tokens is not None:
        schedule_tokens = single("schedule_tokens",
                                 as_positive_array("schedule_tokens", schedule_tokens))
    penalty = single("schedule_penalty", check_nonnegative("schedule_penalty", schedule_penalty))
    flops = np.geomspace(low, high, budgets)
    log_x = np.linspace(np.log(1e2), np.log(1e14), _GRID)
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
