"""Hoffmann et al.'s projection tables (Table 3 for Approach 1, Table A3 for Approaches 2 and
3) as data: the rows whose printed budget agrees with 6ND, and N = k C^a fitted to them.
"""

from __future__ import annotations

import numpy as np

from chinchilla_lib import registry
from chinchilla_lib.fitting.power import fit_power_law
from chinchilla_lib.laws.power import PowerLaw
from chinchilla_lib.quantities import FLOPS_PER_PARAM_TOKEN

__all__ = ["consistent_projection_rows", "fit_projection_rows"]


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
    if approach not in ("1", "2", "3"):
        raise ValueError(f"approach must be '1', '2' or '3'; got {approach!r}")
    if not (np.isfinite(max_flops_mismatch) and max_flops_mismatch > 1.0):
        raise ValueError(f"max_flops_mismatch must be finite and > 1; got {max_flops_mismatch!r}")
    return [p for p in registry.HOFFMANN_PROJECTIONS if p.approach == approach
            and abs(np.log(FLOPS_PER_PARAM_TOKEN * p.n_params * p.n_tokens / p.flops))
            <= np.log(max_flops_mismatch)]
