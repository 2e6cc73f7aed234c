"""The double-saturating power law of Zhai et al. (2022) for vision transformers.

    E(C) = floor + coefficient * (C + shift)^exponent

Saturation at large compute is the floor (an infinitely large model still errs); saturation at
small compute is the shift of the x-axis (a model trained with no compute still scores above
zero). It is a :class:`~chinchilla_lib.laws.power.SaturatingPowerLaw` evaluated at C + shift.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from chinchilla_lib import registry
from chinchilla_lib._validation import (
    FloatOrArray,
    as_finite_array,
    as_positive_array,
    check_instance,
    check_nonnegative,
    checks_overflow_methods,
    may_be_infinite,
    scalar_or_array,
    single,
)
from chinchilla_lib.laws.power import SaturatingPowerLaw

__all__ = ["DoubleSaturatingPowerLaw"]


@checks_overflow_methods
@dataclass(frozen=True)
class DoubleSaturatingPowerLaw:
    """E = floor + coefficient * (C + shift)^exponent.

    Attributes
    ----------
    law
        The saturating power law in C + shift (its floor, coefficient and exponent < 0).
    shift
        Shift of the compute axis (>= 0, in the unit of C; Zhai et al. use TPUv3 core-days).
    """

    law: SaturatingPowerLaw
    shift: float

    def __post_init__(self) -> None:
        check_instance("law", self.law, SaturatingPowerLaw)
        object.__setattr__(self, "shift", single("shift", check_nonnegative("shift", self.shift)))

    @classmethod
    def from_registry(cls, name: str) -> DoubleSaturatingPowerLaw:
        """A published fit y = c + a (x + d)^-b from the registry (the family
        ``DOUBLE_SATURATING``): Zhai et al.'s frontiers of ImageNet error against compute in
        TPUv3 core-days, ``"zhai2022/finetune"`` (fine-tuning error) and ``"zhai2022/10shot"``
        (10-shot linear error).

        Raises
        ------
        ValueError
            If ``name`` is not a fit of that family; the message lists those there are.

        Examples
        --------
        >>> law = DoubleSaturatingPowerLaw.from_registry("zhai2022/finetune")
        >>> print(f"floor {law.law.floor}, error {law(100.0):.3f} at 100 core-days")
        floor 0.09, error 0.142 at 100 core-days
        """
        entry = registry.fit(name, family=registry.LawFamily.DOUBLE_SATURATING)
        return cls(SaturatingPowerLaw(entry["c"], entry["a"], -entry["b"]), entry["d"])

    def __call__(self, compute: ArrayLike) -> FloatOrArray:
        """Error (a fraction) at compute C (> 0, vectorised)."""
        c = as_positive_array("compute", compute)
        return scalar_or_array(np.asarray(self.law(c + self.shift)), compute)

    @may_be_infinite
    def at_zero_compute(self) -> float:
        """The error the law gives as C -> 0: finite because of the shift (if shift > 0)."""
        if self.shift == 0:
            return float("inf") if self.law.exponent < 0 else float(self.law.floor)
        return float(self.law(self.shift))

    def compute_for_error(self, error: ArrayLike) -> FloatOrArray:
        """Compute C (in the unit of C) at which the law gives ``error``: its inverse.

        Parameters
        ----------
        error
            Target error, above the floor and below :meth:`at_zero_compute` (scalar or array).

        Returns
        -------
        float or numpy.ndarray
            ((error - floor) / coefficient)^(1 / exponent) - shift, shaped like ``error``.

        Examples
        --------
        >>> law = DoubleSaturatingPowerLaw(SaturatingPowerLaw(0.1, 1.0, -0.5), 0.0)
        >>> round(law.compute_for_error(0.2), 6)
        100.0
        """
        e = as_finite_array("error", error)
        top = self.at_zero_compute()
        if not np.all(np.isfinite(e)) or np.any(e <= self.law.floor) or np.any(e >= top):
            raise ValueError(f"error must lie in (floor={self.law.floor:.4g}, "
                             f"error at zero compute={top:.4g}); got {error}")
        compute = ((e - self.law.floor) / self.law.coefficient) ** (1.0 / self.law.exponent)
        return scalar_or_array(compute - self.shift, error)
