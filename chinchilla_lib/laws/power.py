"""Power laws, y = a x^k, and saturating power laws, y = floor + a x^k.

These are the building blocks of every scaling law in the course. A power law is a straight
line of slope ``k`` on log-log axes; a floor (an irreducible loss) bends that line towards a
horizontal asymptote. Exponents are signed: a loss that falls with size has ``k < 0``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from chinchilla_lib import registry
from chinchilla_lib._validation import (
    FloatOrArray,
    as_finite_array,
    as_positive_array,
    check_nonnegative,
    checks_overflow,
    checks_overflow_methods,
    scalar_or_array,
    single,
)

__all__ = ["PowerLaw", "PowerLawFrontier", "SaturatingPowerLaw", "local_exponent"]


@checks_overflow_methods
@dataclass(frozen=True)
class PowerLaw:
    """y = coefficient * x ** exponent.

    Parameters
    ----------
    coefficient
        a > 0, the value of y at x = 1 (in the units of y).
    exponent
        k, the slope on log-log axes (negative for a falling loss).

    Examples
    --------
    Kaplan et al.'s L(N) = (N_c / N)^alpha_N is ``PowerLaw.from_scale(8.8e13, 0.076)``:

    >>> law = PowerLaw.from_scale(8.8e13, 0.076)
    >>> round(law(1e9), 3)
    2.376
    """

    coefficient: float
    exponent: float

    def __post_init__(self) -> None:
        a = single("coefficient", as_positive_array("coefficient", self.coefficient))
        object.__setattr__(self, "coefficient", a)
        object.__setattr__(self, "exponent", single("exponent",
                                                    as_finite_array("exponent", self.exponent)))

    @classmethod
    def from_scale(cls, scale: float, alpha: float) -> PowerLaw:
        """The law y = (scale / x)^alpha, as Kaplan et al. write theirs.

        Parameters
        ----------
        scale
            x_c > 0, where y would reach 1.
        alpha
            The (positive) rate at which y falls: the exponent is ``-alpha``.
        """
        x_c = single("scale", as_positive_array("scale", scale))
        alpha = single("alpha", as_finite_array("alpha", alpha))
        return cls(coefficient=x_c**alpha, exponent=-alpha)

    @classmethod
    def from_registry(cls, name: str) -> PowerLaw:
        """A published power law from the registry, whichever way its paper writes it:
        ``y = k x^p``, ``y = (x_c / x)^alpha``, ``y = (x / x_0)^beta`` or ``y = k x^-alpha``
        (the families ``POWER_LAW``, ``POWER_LAW_SCALE``, ``POWER_LAW_RATIO`` and
        ``POWER_LAW_DECAY`` of :class:`~chinchilla_lib.registry.LawFamily`).

        Raises
        ------
        ValueError
            If ``name`` is not a published power law; the message lists those there are.

        Examples
        --------
        Kaplan et al.'s compute-optimal model size, N_opt = 1.3e9 C_min^0.73 (C_min in
        PF-days):

        >>> n_opt = PowerLaw.from_registry("kaplan2020/N_opt(C_min)")
        >>> print(f"{n_opt(1.0):.3g} parameters at one PF-day, exponent {n_opt.exponent}")
        1.3e+09 parameters at one PF-day, exponent 0.73
        """
        family = registry.LawFamily
        entry = registry.fit(name, family=(family.POWER_LAW, family.POWER_LAW_SCALE,
                                           family.POWER_LAW_RATIO, family.POWER_LAW_DECAY))
        if entry.family is family.POWER_LAW_SCALE:
            return cls.from_scale(entry["x_c"], entry["alpha"])
        if entry.family is family.POWER_LAW_RATIO:
            return cls(entry["x_0"] ** -entry["beta"], entry["beta"])
        if entry.family is family.POWER_LAW_DECAY:
            return cls(entry["k"], -entry["alpha"])
        return cls(entry["k"], entry["p"])

    def __call__(self, x: ArrayLike) -> FloatOrArray:
        """Evaluate y at x (x > 0, vectorised)."""
        xs = as_positive_array("x", x)
        return scalar_or_array(self.coefficient * xs**self.exponent, x)

    loss = __call__

    def inverse(self, y: ArrayLike) -> FloatOrArray:
        """The x at which the law reaches y (y > 0); needs a non-zero exponent."""
        if self.exponent == 0:
            raise ValueError("exponent must be non-zero to invert the law")
        ys = as_positive_array("y", y)
        return scalar_or_array((ys / self.coefficient) ** (1.0 / self.exponent), y)

    def local_slope(self, x: ArrayLike) -> FloatOrArray:
        """d log y / d log x at x: the exponent, everywhere."""
        xs = as_positive_array("x", x)
        return scalar_or_array(np.full_like(xs, self.exponent), x)

    @property
    def scale(self) -> float:
        """x_c in y = (x_c / x)^alpha, alpha = -exponent (needs a non-zero exponent)."""
        if self.exponent == 0:
            raise ValueError("exponent must be non-zero to express the law as (x_c / x)^alpha")
        return self.coefficient ** (-1.0 / self.exponent)


@checks_overflow_methods
@dataclass(frozen=True)
class SaturatingPowerLaw:
    """y = floor + coefficient * x ** exponent: a power law above an irreducible floor.

    Henighan et al. (2020) read the floor of a loss as the entropy of the data and the power-law
    term as the reducible part (a KL divergence).

    Parameters
    ----------
    floor
        The asymptote as x grows (>= 0, in the units of y).
    coefficient
        a > 0.
    exponent
        k < 0 for a law that falls towards its floor.
    """

    floor: float
    coefficient: float
    exponent: float

    def __post_init__(self) -> None:
        floor = single("floor", check_nonnegative("floor", self.floor))
        object.__setattr__(self, "floor", floor)
        a = single("coefficient", as_positive_array("coefficient", self.coefficient))
        object.__setattr__(self, "coefficient", a)
        object.__setattr__(self, "exponent", single("exponent",
                                                    as_finite_array("exponent", self.exponent)))

    @classmethod
    def from_scale(cls, floor: float, scale: float, alpha: float) -> SaturatingPowerLaw:
        """The law y = floor + (scale / x)^alpha (Henighan et al.'s form)."""
        reducible = PowerLaw.from_scale(scale, alpha)
        return cls(floor=floor, coefficient=reducible.coefficient, exponent=reducible.exponent)

    @classmethod
    def from_registry(cls, name: str) -> SaturatingPowerLaw:
        """A published law y = y_inf + (x_0 / x)^alpha from the registry (the family
        ``SATURATING_POWER_LAW``, as Henighan et al.'s Table 1).

        Raises
        ------
        ValueError
            If ``name`` is not a fit of that family; the message lists those there are.
        """
        entry = registry.fit(name, family=registry.LawFamily.SATURATING_POWER_LAW)
        return cls.from_scale(entry["y_inf"], entry["x_0"], entry["alpha"])

    @property
    def reducible(self) -> PowerLaw:
        """The power-law term alone, y - floor."""
        return PowerLaw(self.coefficient, self.exponent)

    def __call__(self, x: ArrayLike) -> FloatOrArray:
        """Evaluate y at x (x > 0, vectorised)."""
        xs = as_positive_array("x", x)
        return scalar_or_array(self.floor + self.coefficient * xs**self.exponent, x)

    loss = __call__

    def inverse(self, y: ArrayLike) -> FloatOrArray:
        """The x at which the law reaches y; y must lie strictly above the floor."""
        ys = as_positive_array("y", y)
        if (ys <= self.floor).any():
            raise ValueError(f"y must lie above the floor {self.floor}; got "
                             f"{ys[ys <= self.floor].flat[0]!r}")
        return scalar_or_array(self.reducible.inverse(ys - self.floor), y)

    def local_slope(self, x: ArrayLike) -> FloatOrArray:
        """d log y / d log x = exponent * (y - floor) / y: flattens towards 0 near the floor."""
        xs = as_positive_array("x", x)
        term = self.coefficient * xs**self.exponent
        return scalar_or_array(self.exponent * term / (self.floor + term), x)


@checks_overflow
def local_exponent(x: ArrayLike, y: ArrayLike) -> NDArray[np.float64]:
    """The local exponent d log y / d log x at each point of a curve.

    Central differences in log space (one-sided at the ends): the slope of the curve on
    log-log axes, constant and equal to k for a power law y = a x^k, drifting for a curve
    that only looks like one over part of its range.

    Parameters
    ----------
    x, y
        The curve: 1-D arrays of one length, at least 3 points, finite and > 0.

    Returns
    -------
    numpy.ndarray
        The dimensionless exponent at each point.

    Examples
    --------
    >>> x = np.geomspace(1.0, 1e3, 4)
    >>> np.round(local_exponent(x, 3.0 * x**0.5), 12)
    array([0.5, 0.5, 0.5, 0.5])
    """
    xs = as_positive_array("x", x)
    ys = as_positive_array("y", y)
    if xs.shape != ys.shape or xs.ndim != 1 or xs.size < 3:
        raise ValueError("x and y must be 1-D of one length, with at least 3 points")
    return np.gradient(np.log(ys), np.log(xs))


@checks_overflow_methods
@dataclass(frozen=True)
class PowerLawFrontier:
    """A compute-optimal frontier as two power laws in compute: N_opt = k_N C^a and
    D_opt = k_D C^b (C in FLOPs), as Approaches 1 and 2 fit it.

    Parameters
    ----------
    n_opt
        N_opt(C), parameters.
    d_opt
        D_opt(C), tokens.

    Examples
    --------
    >>> frontier = PowerLawFrontier(PowerLaw(0.1, 0.5), PowerLaw(1.7, 0.5))
    >>> n, d = frontier(1e22)
    >>> print(f"N = {n:.2e}, D = {d:.2e}, a = {frontier.optimal_params_exponent}")
    N = 1.00e+10, D = 1.70e+11, a = 0.5
    """

    n_opt: PowerLaw
    d_opt: PowerLaw

    def __post_init__(self) -> None:
        for name in ("n_opt", "d_opt"):
            if not isinstance(getattr(self, name), PowerLaw):
                raise ValueError(f"{name} must be a PowerLaw; got {getattr(self, name)!r}")

    def __call__(self, flops: ArrayLike) -> tuple[FloatOrArray, FloatOrArray]:
        """(N_opt, D_opt) at ``flops`` FLOPs (> 0, vectorised)."""
        return self.n_opt(flops), self.d_opt(flops)

    @property
    def optimal_params_exponent(self) -> float:
        """a, the exponent of N_opt in C."""
        return self.n_opt.exponent

    @property
    def optimal_tokens_exponent(self) -> float:
        """b, the exponent of D_opt in C."""
        return self.d_opt.exponent
