"""Hoffmann et al.'s projection tables (Table 3 for Approach 1, Table A3 for Approaches 2 and
3) as data: the rows whose printed budget agrees with 6ND, and N = k C^a fitted to them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from chinchilla_lib import registry
from chinchilla_lib._validation import as_positive_array, check_instance, single
from chinchilla_lib.fitting.power import fit_power_law
from chinchilla_lib.laws.power import PowerLaw
from chinchilla_lib.quantities import FLOPS_PER_PARAM_TOKEN, flops_in_units_of

__all__ = ["GopherUnitRow", "consistent_projection_rows", "fit_projection_rows",
           "gopher_unit_column"]


def fit_projection_rows(approach: str, *, max_flops_mismatch: float = 1.5) -> PowerLaw:
    """N = k C^a fitted (least squares in logs) to one approach's rows of Hoffmann et al.'s
    projection tables (Table 3 for Approach 1, Table A3 for Approaches 2 and 3).

    Rows whose printed budget C disagrees with 6ND by more than ``max_flops_mismatch`` either
    way are left out: this drops Table A3's 175B row of Approach 3, printed a factor of ten
    low (see the registry's note).

    Parameters
    ----------
    approach
        ``"1"``, ``"2"`` or ``"3"``.
    max_flops_mismatch
        Largest accepted ratio between 6ND and the printed C, either way (> 1).

    Returns
    -------
    PowerLaw
        ``coefficient`` k (parameters per FLOP^a) and ``exponent`` a, with C in FLOPs.

    Examples
    --------
    >>> round(fit_projection_rows("3").exponent, 3)
    0.459
    """
    rows = consistent_projection_rows(approach, max_flops_mismatch=max_flops_mismatch)
    return fit_power_law([p.flops for p in rows], [p.n_params for p in rows]).law


def consistent_projection_rows(approach: str, *, max_flops_mismatch: float = 1.5
                               ) -> list[registry.Projection]:
    """One approach's rows of Hoffmann et al.'s projection tables whose printed budget C
    agrees with 6ND within a factor ``max_flops_mismatch`` either way (> 1).

    The default drops Table A3's 175B row of Approach 3, printed a factor of ten low.

    Examples
    --------
    >>> len(consistent_projection_rows("3"))
    8
    >>> len(consistent_projection_rows("3", max_flops_mismatch=20.0))
    9
    """
    if check_instance("approach", approach, str) not in ("1", "2", "3"):
        raise ValueError(f"approach must be '1', '2' or '3'; got {approach!r}")
    mismatch = single("max_flops_mismatch",
                      as_positive_array("max_flops_mismatch", max_flops_mismatch))
    if not mismatch > 1.0:
        raise ValueError(f"max_flops_mismatch must be finite and > 1; got {max_flops_mismatch!r}")
    return [p for p in registry.HOFFMANN_PROJECTIONS if p.approach == approach
            and abs(np.log(FLOPS_PER_PARAM_TOKEN * p.n_params * p.n_tokens / p.flops))
            <= np.log(mismatch)]


def _rounding_interval(value: float, significant: int) -> tuple[float, float]:
    """The interval of numbers that round to ``value`` at ``significant`` figures."""
    half = 0.5 * 10.0 ** (math.floor(math.log10(abs(value))) - significant + 1)
    return value - half, value + half


def _printed_ratio_interval(ratio: float) -> tuple[float, float]:
    """The interval a value of Table 3's Gopher-unit column stands for, as the paper prints it:
    below one as 1/k with a whole k, otherwise to one decimal."""
    if ratio < 1:
        k = round(1 / ratio)
        return 1 / (k + 0.5), 1 / (k - 0.5)
    return ratio - 0.05, ratio + 0.05


@dataclass(frozen=True)
class GopherUnitRow:
    """One row of Hoffmann et al.'s Table 3 with its budget in units of Gopher's.

    Attributes
    ----------
    n_params
        N, parameters (count).
    flops
        The row's budget C as printed, in FLOPs.
    printed
        C / C_Gopher as the paper's column prints it (stored as a number).
    computed
        C / C_Gopher from the printed C and Gopher's budget.
    low, high
        The range of C / C_Gopher allowed by the rounding of the printed C (three figures).
    """

    n_params: float
    flops: float
    printed: float
    computed: float
    low: float
    high: float

    @property
    def consistent(self) -> bool:
        """Whether the printed column value, with its own rounding, can come from the printed
        budget with its rounding (the two intervals overlap)."""
        low, high = _printed_ratio_interval(self.printed)
        return low <= self.high and self.low <= high


def gopher_unit_column(*, flops_digits: int = 3) -> list[GopherUnitRow]:
    """Table 3's column "FLOPs (in Gopher unit)" recomputed from the table's budgets.

    Each Approach 1 row's printed budget is divided by Gopher's training compute (the
    registry's ``gopher_training_flops``, 5.76e23, the value Hoffmann et al. use throughout)
    and set beside the printed column (``registry.HOFFMANN_TABLE3_GOPHER_UNITS``).

    Parameters
    ----------
    flops_digits
        Significant figures of the printed budgets (3 in Table 3), which set the range
        ``low`` to ``high`` a printed budget allows (an integer >= 1).

    Returns
    -------
    list of GopherUnitRow
        One per row of Table 3, in the paper's order.

    Examples
    --------
    >>> rows = gopher_unit_column()
    >>> [f"{r.computed:.1f}" for r in rows[4:]]
    ['6.7', '17.2', '59.5', '220.5', '22569.4']
    >>> [round(1 / r.computed) for r in rows[:3]]
    [30000, 4760, 47]
    """
    if isinstance(flops_digits, bool) or not isinstance(flops_digits, int) or flops_digits < 1:
        raise ValueError(f"flops_digits must be an integer >= 1; got {flops_digits!r}")
    gopher = registry.constant("gopher_training_flops").value
    table3 = [p for p in registry.HOFFMANN_PROJECTIONS if p.approach == "1"]
    printed = registry.HOFFMANN_TABLE3_GOPHER_UNITS.values
    if len(printed) != len(table3):
        raise ValueError("the registry's Table 3 and its Gopher-unit column differ in length")
    rows = []
    for p, value in zip(table3, printed, strict=True):
        low, high = _rounding_interval(p.flops, flops_digits)
        rows.append(GopherUnitRow(p.n_params, p.flops, value,
                                  float(flops_in_units_of(p.flops, gopher)),
                                  low / gopher, high / gopher))
    return rows
