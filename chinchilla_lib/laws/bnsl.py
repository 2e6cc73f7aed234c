"""Broken neural scaling laws (Caballero et al. 2022): smoothly broken power laws.

y = a + b x^-c0 prod_i (1 + (x / d_i)^(1/f_i))^(-c_i f_i)

Far below every break the curve is the power law b x^-c0 above the floor a; past break i its
log-log slope (of y - a) has fallen by c_i more; f_i sets how sharply. A negative c_i turns the
curve up (double descent), a large c_i with a small f_i gives a sudden drop that looks like
emergence. With no breaks the law is a saturating power law.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from chinchilla_lib._validation import (
    FloatOrArray,
    as_finite_array,
    as_positive_array,
    check_instance,
    check_nonnegative,
    checks_overflow_methods,
    scalar_or_array,
    single,
)

__all__ = ["Break", "BrokenPowerLaw"]


@checks_overflow_methods
@dataclass(frozen=True)
class Break:
    """One break: the slope of y - a changes by ``-c`` around ``x = d``, with sharpness ``f``
    (smaller is sharper)."""

    c: float
    d: float
    f: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "c", single("c", as_finite_array("c", self.c)))
        object.__setattr__(self, "d", single("d", as_positive_array("d", self.d)))
        object.__setattr__(self, "f", single("f", as_positive_array("f", self.f)))

    def transition_decades(self) -> float:
        """Decades of x over which the slope moves from 10% to 90% of its change.

        The change completed at x is t / (1 + t), t = (x/d)^(1/f): a logistic function of
        ln x with scale f, so 10% to 90% spans 2 ln 9 f in ln x, 2 ln 9 f / ln 10 decades.
        """
        return float(2.0 * np.log(9.0) * self.f / np.log(10.0))


@checks_overflow_methods
@dataclass(frozen=True)
class BrokenPowerLaw:
    """y = a + b x^-c0 prod_i (1 + (x/d_i)^(1/f_i))^(-c_i f_i).

    Parameters
    ----------
    a
        Floor (>= 0).
    b
        Scale of the power law (> 0).
    c0
        Slope of the first segment (of y - a, negated).
    breaks
        The breaks, in any order.
    """

    a: float
    b: float
    c0: float
    breaks: tuple[Break, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        object.__setattr__(self, "a", single("a", check_nonnegative("a", self.a)))
        object.__setattr__(self, "b", single("b", as_positive_array("b", self.b)))
        object.__setattr__(self, "c0", single("c0", as_finite_array("c0", self.c0)))
        if isinstance(self.breaks, Break):
            raise TypeError("breaks must be a sequence of Break; got a single Break (wrap it "
                            "in a tuple)")
        try:
            breaks = tuple(self.breaks)
        except TypeError:
            raise TypeError(f"breaks must be a sequence of Break; got {self.breaks!r}") from None
        for i, br in enumerate(breaks):
            check_instance(f"breaks[{i}]", br, Break)
        object.__setattr__(self, "breaks", breaks)

    @classmethod
    def from_registry(cls, name: str) -> BrokenPowerLaw:
        """A published one-break law from the registry (the family ``BROKEN_POWER_LAW``),
        such as the ground truth of Caballero et al.'s noiseless simulation,
        ``"caballero2022/4-digit addition simulation"``.

        Raises
        ------
        ValueError
            If ``name`` is not a fit of that family; the message lists those there are.

        Examples
        --------
        >>> law = BrokenPowerLaw.from_registry("caballero2022/4-digit addition simulation")
        >>> print(law.a, law.b, law.c0, law.breaks[0].d)
        0.41388 2.2773 0.055077 612.58
        """
        from chinchilla_lib import registry

        entry = registry.fit(name, family=registry.LawFamily.BROKEN_POWER_LAW)
        return cls(entry["a"], entry["b"], entry["c0"],
                   (Break(entry["c1"], entry["d1"], entry["f1"]),))

    def _log_terms(self, xs: NDArray[np.float64]) -> list[NDArray[np.float64]]:
        """log t_i = log(x / d_i) / f_i, kept in logs so sharp breaks cannot overflow."""
        return [(np.log(xs) - np.log(br.d)) / br.f for br in self.breaks]

    def __call__(self, x: ArrayLike) -> FloatOrArray:
        """y at x (x > 0, vectorised)."""
        xs = as_positive_array("x", x)
        log_reducible = np.log(self.b) - self.c0 * np.log(xs)
        for br, log_term in zip(self.breaks, self._log_terms(xs), strict=True):
            log_reducible -= br.c * br.f * np.logaddexp(0.0, log_term)
        return scalar_or_array(self.a + np.exp(log_reducible), x)

    def local_slope(self, x: ArrayLike) -> FloatOrArray:
        """d log(y - a) / d log x = -c0 - sum_i c_i t_i / (1 + t_i), t_i = (x/d_i)^(1/f_i)."""
        xs = as_positive_array("x", x)
        slope = np.full_like(xs, -self.c0)
        for br, log_term in zip(self.breaks, self._log_terms(xs), strict=True):
            slope -= br.c * np.exp(-np.logaddexp(0.0, -log_term))  # the logistic of it
        return scalar_or_array(slope, x)
