"""The critical batch size: the trade-off between optimiser steps and examples processed.

McCandlish et al. (2018) model the optimiser steps S and the training examples E = B S that a
run at batch size B needs to reach a given loss as

    S(B) = S_min (1 + B_crit / B),    E(B) = E_min (1 + B / B_crit),    B_crit = E_min / S_min,

so that every run to that loss lies on the hyperbola (S/S_min - 1)(E/E_min - 1) = 1. S_min is
the steps of a run at a batch far above B_crit, E_min the examples of a run at a batch far
below it. At B = B_crit a run takes 2 S_min steps and 2 E_min examples, hence Kaplan et al.'s
C = 2 C_min (2020, Section 5.1, Eqs. 5.1 and 5.2). Kaplan et al. read the same law backwards:
from a run's S steps and C FLOPs at batch B, S_min = S / (1 + B_crit / B) (Eq. 5.4) and
C_min = C / (1 + B / B_crit) (Eq. 5.5).

The algebra is derived in :func:`chinchilla_lib.symbolic.critical_batch_derivation`, and these
functions are tested against it. Batch sizes and B_crit share one unit (examples, sequences or
tokens per step); E and E_min are counted in that unit too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from chinchilla_lib._validation import (
    FloatOrArray,
    as_positive_array,
    check_broadcast,
    checks_overflow,
    checks_overflow_methods,
    scalar_or_array,
    single,
)

__all__ = ["BatchSizeTradeoff", "examples_excess", "min_examples_from_run",
           "min_steps_from_run"]


@checks_overflow_methods
@dataclass(frozen=True)
class BatchSizeTradeoff:
    """Steps and examples to reach one loss, against batch size (McCandlish et al. 2018).

    Parameters
    ----------
    min_steps
        S_min, optimiser steps (> 0): the steps at a batch size far above B_crit.
    min_examples
        E_min, examples (> 0, in the unit of the batch size): the examples processed at a
        batch size far below B_crit.

    Examples
    --------
    >>> law = BatchSizeTradeoff(min_steps=1000.0, min_examples=256_000.0)
    >>> law.critical_batch
    256.0
    >>> float(law.steps(256.0)), float(law.examples(256.0))
    (2000.0, 512000.0)
    >>> float(law.hyperbola(law.steps(64.0), law.examples(64.0)))
    1.0
    """

    min_steps: float
    min_examples: float

    def __post_init__(self) -> None:
        for name in ("min_steps", "min_examples"):
            object.__setattr__(self, name, single(name,
                                                  as_positive_array(name, getattr(self, name))))

    @classmethod
    def from_run(cls, steps: float, batch: float, critical_batch: float) -> BatchSizeTradeoff:
        """The trade-off through one run: S steps at batch B, with B_crit known.

        S_min = S / (1 + B_crit / B) (Kaplan et al., Eq. 5.4) and E_min = S_min B_crit.

        Parameters
        ----------
        steps
            S, optimiser steps the run took to reach the loss (> 0).
        batch
            B, examples per step (> 0).
        critical_batch
            B_crit at that loss, in the unit of ``batch`` (> 0).
        """
        s_min = single("steps", np.asarray(min_steps_from_run(steps, batch, critical_batch)))
        b_crit = single("critical_batch", as_positive_array("critical_batch", critical_batch))
        return cls(min_steps=s_min, min_examples=s_min * b_crit)

    @property
    def critical_batch(self) -> float:
        """B_crit = E_min / S_min, in the unit of the batch size."""
        return self.min_examples / self.min_steps

    def steps(self, batch: ArrayLike) -> FloatOrArray:
        """S(B) = S_min (1 + B_crit / B): optimiser steps at batch size B (> 0)."""
        b = as_positive_array("batch", batch)
        return scalar_or_array(self.min_steps * (1.0 + self.critical_batch / b), batch)

    def examples(self, batch: ArrayLike) -> FloatOrArray:
        """E(B) = E_min (1 + B / B_crit) = B S(B): examples processed at batch size B (> 0)."""
        b = as_positive_array("batch", batch)
        return scalar_or_array(self.min_examples * (1.0 + b / self.critical_batch), batch)

    def hyperbola(self, steps: ArrayLike, examples: ArrayLike) -> FloatOrArray:
        """(S/S_min - 1)(E/E_min - 1): 1 for every run on the trade-off.

        Parameters
        ----------
        steps
            S, optimiser steps (> 0).
        examples
            E, examples processed (> 0).
        """
        s = as_positive_array("steps", steps)
        e = as_positive_array("examples", examples)
        check_broadcast(steps=s, examples=e)
        value = (s / self.min_steps - 1.0) * (e / self.min_examples - 1.0)
        return scalar_or_array(value, steps, examples)


@checks_overflow
def examples_excess(steps_excess: ArrayLike) -> FloatOrArray:
    """E / E_min on the trade-off for a given S / S_min: 1 + 1 / (S/S_min - 1).

    McCandlish et al.'s hyperbola (Kaplan et al., Eq. 5.1) solved for E / E_min; at
    S = 2 S_min (the critical batch size) it is 2.

    Parameters
    ----------
    steps_excess
        S / S_min (> 1).

    Examples
    --------
    >>> float(examples_excess(2.0)), float(examples_excess(5.0))
    (2.0, 1.25)
    """
    r = as_positive_array("steps_excess", steps_excess)
    if np.any(r <= 1.0):
        raise ValueError("steps_excess must be > 1 (S cannot fall below S_min)")
    return scalar_or_array(1.0 + 1.0 / (r - 1.0), steps_excess)


@checks_overflow
def min_steps_from_run(steps: ArrayLike, batch: ArrayLike,
                       critical_batch: ArrayLike) -> FloatOrArray:
    """S_min = S / (1 + B_crit / B): the steps a run at batch B would need at a huge batch.

    Kaplan et al., Eq. 5.4.

    Parameters
    ----------
    steps
        S, optimiser steps taken at batch size B (> 0).
    batch
        B (> 0), in the unit of ``critical_batch``.
    critical_batch
        B_crit (> 0).
    """
    s = as_positive_array("steps", steps)
    b = as_positive_array("batch", batch)
    b_crit = as_positive_array("critical_batch", critical_batch)
    check_broadcast(steps=s, batch=b, critical_batch=b_crit)
    return scalar_or_array(s / (1.0 + b_crit / b), steps, batch, critical_batch)


@checks_overflow
def min_examples_from_run(examples: ArrayLike, batch: ArrayLike,
                          critical_batch: ArrayLike) -> FloatOrArray:
    """E_min = E / (1 + B / B_crit): the examples a run at batch B would need at a tiny batch.

    With compute proportional to examples (C = 6 N E tokens), this is Kaplan et al.'s
    C_min = C / (1 + B / B_crit) (Eq. 5.5): pass FLOPs as ``examples`` to get C_min in FLOPs.

    Parameters
    ----------
    examples
        E, examples (or FLOPs) spent at batch size B (> 0).
    batch
        B (> 0), in the unit of ``critical_batch``.
    critical_batch
        B_crit (> 0).
    """
    e = as_positive_array("examples", examples)
    b = as_positive_array("batch", batch)
    b_crit = as_positive_array("critical_batch", critical_batch)
    check_broadcast(examples=e, batch=b, critical_batch=b_crit)
    return scalar_or_array(e / (1.0 + b / b_crit), examples, batch, critical_batch)
