"""How far a plan reaches beyond the runs a law was fitted to: the compute range of the fitted
runs, the epochs a data-constrained law was fitted on, and the warnings a plan gives when it
goes beyond them.

A law fitted to runs up to some budget says nothing it was tested on beyond it. The checks
here do not refuse such a plan (every frontier run is an extrapolation: Chinchilla itself lay
far beyond Hoffmann et al.'s largest IsoFLOP budget); they say how far it reaches, so the
reader can weigh the answer.
"""

from __future__ import annotations

import math
import warnings

from chinchilla_lib import registry
from chinchilla_lib._validation import as_positive_array, check_positive_real, single

__all__ = ["EXTRAPOLATION_FACTOR", "ExtrapolationWarning", "check_epochs",
           "check_flops_range", "epochs_checked", "published_flops_range"]

EXTRAPOLATION_FACTOR = 10.0
"""How far beyond the largest fitted budget a plan may reach before it warns: one decade.

The allocation exponent a of a fit carries an error da, and the planned size N_opt ~ C^a
moves by a factor (C / C_max)^da at a budget C beyond the largest fitted one C_max. A sweep
of one to two decades typically leaves da of a few hundredths (Chapter 4's 95% intervals on
simulated sweeps), so one decade beyond the runs the size is still known to within about
10%, two decades to about 20%, and the error keeps growing with every decade. One decade is
where the plan stops being an interpolation in all but name."""


class ExtrapolationWarning(UserWarning):
    """A plan reaches beyond the runs its law was fitted to: the budget lies more than
    :data:`EXTRAPOLATION_FACTOR` times beyond the fitted compute, or the epochs beyond the
    range the data-constrained law was fitted on."""


def published_flops_range(name: str) -> tuple[float, float] | None:
    """The compute range of the runs a published Chinchilla-form fit was fitted to, FLOPs.

    Hoffmann et al. print no range of compute for their runs as a whole; the nine IsoFLOP
    budgets of Approach 2 are the only one (Section 3.2, ``hoffmann_isoflop_range``: 6e18
    to 3e21 FLOPs). Approach 3 (and Besiroglu et al.'s refit of it) fits more than those
    runs: the final losses of Approaches 1 and 2 together (Section 3.3), and Approach 1's
    runs, models of fixed size trained for several horizons, reach compute the paper does
    not state. Every fit to Hoffmann et al.'s runs gets the IsoFLOP range as the course's
    stand-in: it is the stated part of what was fitted, so a warning measured from it is,
    if anything, early. Other fits get ``None``: their papers state no compute range that
    the registry holds.

    Parameters
    ----------
    name
        The registry name of a fit (``registry.fits()``).

    Examples
    --------
    >>> published_flops_range("besiroglu2024/refit")
    (6e+18, 3e+21)
    """
    if not isinstance(name, str):
        raise ValueError(f"name must be the registry name of a fit (a string); got {name!r}")
    fit = registry.fit(name)
    if fit.fitted_to == "hoffmann2022training":
        low, high = registry.HOFFMANN_ISOFLOP_RANGE.values
        return float(low), float(high)
    return None


def check_flops_range(flops: float, fitted: tuple[float, float], *,
                      what: str = "the runs the law was fitted to",
                      factor: float = EXTRAPOLATION_FACTOR) -> str | None:
    """Warn (:class:`ExtrapolationWarning`) when ``flops`` lies more than ``factor`` times
    beyond the fitted compute range ``fitted``, above or below it; return the message.

    Parameters
    ----------
    flops
        The budget planned for, FLOPs (> 0).
    fitted
        The smallest and largest compute of the fitted runs, FLOPs (> 0).
    what
        The runs the range belongs to, for the message ("the runs your fit was fitted to").
    factor
        How far beyond the range is tolerated (> 1; default :data:`EXTRAPOLATION_FACTOR`).

    Returns
    -------
    str or None
        The warning's message, or None when the budget is within reach.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     message = check_flops_range(3e23, (1e18, 1e20), what="the runs of your fit")
    >>> print(message[:58])
    the budget 3e+23 FLOPs is 3,000 times above the largest co
    """
    budget = single("flops", as_positive_array("flops", flops))
    if not isinstance(fitted, tuple | list) or len(fitted) != 2:
        raise ValueError(f"fitted must be (smallest, largest) FLOPs; got {fitted!r}")
    low = check_positive_real("fitted", fitted[0], "FLOPs")
    high = check_positive_real("fitted", fitted[1], "FLOPs")
    if low > high:
        raise ValueError(f"fitted must be (smallest, largest); got ({low:g}, {high:g})")
    tolerated = check_positive_real("factor", factor)
    if tolerated < 1.0:
        raise ValueError(f"factor must be >= 1; got {tolerated:g}")
    if budget > high * tolerated:
        ratio, side, edge = budget / high, "largest", high
    elif budget < low / tolerated:
        ratio, side, edge = low / budget, "smallest", low
    else:
        return None
    relation = "above the largest" if side == "largest" else "below the smallest"
    times = f"{ratio:,.0f}" if ratio < 1e6 else f"{ratio:.3g}"
    message = (f"the budget {budget:g} FLOPs is {times} times {relation} compute "
               f"({edge:g} FLOPs) of {what}: {math.log10(ratio):.1f} decades of "
               "extrapolation, where the plan rests on the law's form, not on data")
    warnings.warn(message, ExtrapolationWarning, stacklevel=2)
    return message


def epochs_checked() -> float:
    """The epochs over the unique data beyond which a plan leans on the decay that Muennighoff
    et al.'s data-constrained law fits rather than on its near-unique regime: 1 + R*_D, about
    16 (the course's reading, not a range the paper states).

    Their fitted R*_D (``muennighoff_r_star_data``, Appendix A) is the number of repetitions
    over which the worth of one more repeated token decays by a factor e: at 1 + R*_D epochs
    a further epoch is worth about a third (1/e) of new data, and the repeated data as a whole
    has reached 1 - 1/e (about 63%) of the most it can ever be worth, so returns are falling
    fast (the paper's abstract: "the value of adding compute eventually decays to zero").
    The registry holds no maximum epoch count of their fitted runs, so this bound is read
    from the law's own constant, not from the runs.

    Examples
    --------
    >>> print(f"{epochs_checked():.1f}")
    16.4
    """
    return 1.0 + registry.constant("muennighoff_r_star_data").value


def check_epochs(epochs: float) -> str | None:
    """Warn (:class:`ExtrapolationWarning`) when a plan repeats its unique data more than
    :func:`epochs_checked` times; return the message (None when it does not).

    Parameters
    ----------
    epochs
        Training tokens over unique tokens (> 0).
    """
    count = single("epochs", as_positive_array("epochs", epochs))
    bound = epochs_checked()
    if count <= bound:
        return None
    message = (f"{count:.3g} epochs over the unique tokens: beyond 1 + R*_D = {bound:.3g}, "
               "where Muennighoff et al.'s data-constrained law says a further repeated "
               "token is worth less than 1/e of a new one and falling (up to 4 epochs they "
               "are worth nearly as much as new ones); the loss there rests on the law's "
               "fitted decay")
    warnings.warn(message, ExtrapolationWarning, stacklevel=2)
    return message
