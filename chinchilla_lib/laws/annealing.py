"""A loss curve from its learning-rate schedule: Tissue et al. (2024)'s scaling law with
learning-rate annealing,

    L(s) = L0 + A S1(s)^(-alpha) - C S2(s),

where S1(s), the forward area, is the sum of the learning rates of the first s steps, and
S2(s), the annealing area, sums a momentum of the rate's falls: m_i = lambda m_(i-1) +
(eta_(i-1) - eta_i), S2(s) = m_1 + ... + m_s, with m_1 = 0. The warm-up (the steps up to the
rate's first maximum) counts in S1 but not in S2: its rises are not annealing, and with lambda
near 1 their negative momentum would outweigh every later fall (the course's choice; how the
paper treats warm-up was not read here). A constant schedule has S2 = 0 and the law is a power
law in S1; a decay trades forward area (slower progress) for annealing area (an immediate
drop).
Rates are dimensionless; steps are optimiser steps; losses are nats per token.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from chinchilla_lib._validation import (
    _describe,
    as_finite_array,
    as_positive_array,
    checks_overflow,
    checks_overflow_methods,
    single,
)

__all__ = ["DEFAULT_ANNEALING_DECAY", "AnnealingLaw", "annealing_area", "forward_area"]

DEFAULT_ANNEALING_DECAY = 0.999
"""The decay factor lambda of the annealing momentum used by default (the course's choice,
a memory of about a thousand steps; not read in the paper here)."""


def _rates(value: ArrayLike) -> NDArray[np.float64]:
    rates = as_positive_array("rates", value)
    if rates.ndim != 1 or rates.size == 0:
        raise ValueError(f"rates must be a non-empty 1-D sequence of learning rates (one per "
                         f"step); got shape {rates.shape}")
    return rates


def _decay(value: object) -> float:
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | float | np.integer
                                                               | np.floating):
        raise TypeError(f"decay must be a real number in [0, 1); got {_describe(value)}")
    decay = float(value) if not (isinstance(value, int) and abs(value) > 1e308) else math.inf
    if not (0.0 <= decay < 1.0):
        raise ValueError(f"decay must lie in [0, 1); got {value!r}")
    return decay


@checks_overflow
def forward_area(rates: ArrayLike) -> NDArray[np.float64]:
    """S1 after each step: the running sum of the learning rates (dimensionless x steps).

    Parameters
    ----------
    rates
        The learning rate at each step (finite, > 0), in order.

    Returns
    -------
    ndarray
        ``S1[s - 1]`` is the sum of the first s rates.

    Examples
    --------
    >>> forward_area([0.5, 1.0, 1.0]).tolist()
    [0.5, 1.5, 2.5]
    """
    return np.cumsum(_rates(rates))


@checks_overflow
def annealing_area(rates: ArrayLike, decay: float = DEFAULT_ANNEALING_DECAY
                   ) -> NDArray[np.float64]:
    """S2 after each step: the running sum of the annealing momentum
    ``m_i = decay m_(i-1) + (eta_(i-1) - eta_i)``, with ``m_1 = 0``.

    The steps up to the rate's first maximum (the warm-up) add nothing: a rate that never
    falls gives S2 = 0. With ``decay = 0``, S2 is the fall from the peak, ``peak - eta_s``.

    Parameters
    ----------
    rates
        The learning rate at each step (finite, > 0), in order.
    decay
        lambda, the momentum's decay factor per step, in [0, 1).

    Returns
    -------
    ndarray
        ``S2[s - 1]`` after s steps.

    Examples
    --------
    >>> annealing_area([1.0, 1.0, 0.5, 0.5], decay=0.5).tolist()
    [0.0, 0.0, 0.5, 0.75]
    >>> annealing_area([1.0, 0.8, 0.5], decay=0.0).tolist()
    [0.0, 0.19999999999999996, 0.5]
    """
    eta = _rates(rates)
    lam = _decay(decay)
    falls = np.concatenate(([0.0], eta[:-1] - eta[1:]))
    falls[:int(np.argmax(eta)) + 1] = 0.0
    momentum = np.empty_like(falls)
    m = 0.0
    for i, fall in enumerate(falls):
        m = lam * m + fall
        momentum[i] = m
    return np.cumsum(momentum)


@checks_overflow_methods
@dataclass(frozen=True)
class AnnealingLaw:
    """Tissue et al. (2024)'s loss curve, ``L(s) = L0 + A S1^(-alpha) - C S2``.

    Attributes
    ----------
    l0
        L0, the loss the forward term tends to, nats per token (finite).
    a
        A, the forward term's scale (finite, > 0).
    alpha
        alpha, the forward exponent (finite, > 0).
    c
        C, nats per token per unit of annealing area (finite).
    decay
        lambda, the annealing momentum's decay factor, in [0, 1).

    Examples
    --------
    >>> law = AnnealingLaw(l0=2.0, a=1.0, alpha=0.5, c=0.5, decay=0.0)
    >>> law.curve([1.0, 1.0, 0.5, 0.5]).round(4).tolist()
    [3.0, 2.7071, 2.3825, 2.3274]
    """

    l0: float
    a: float
    alpha: float
    c: float
    decay: float = DEFAULT_ANNEALING_DECAY

    def __post_init__(self) -> None:
        object.__setattr__(self, "l0", single("l0", as_finite_array("l0", self.l0)))
        object.__setattr__(self, "a", single("a", as_positive_array("a", self.a)))
        object.__setattr__(self, "alpha", single("alpha", as_positive_array("alpha",
                                                                             self.alpha)))
        object.__setattr__(self, "c", single("c", as_finite_array("c", self.c)))
        object.__setattr__(self, "decay", _decay(self.decay))

    def loss(self, s1: ArrayLike, s2: ArrayLike) -> NDArray[np.float64]:
        """The loss at forward area ``s1`` (> 0) and annealing area ``s2`` (finite), nats per
        token."""
        s1 = as_positive_array("s1", s1)
        s2 = as_finite_array("s2", s2)
        try:
            np.broadcast_shapes(s1.shape, s2.shape)
        except ValueError:
            raise ValueError(f"s1 and s2 must broadcast together; got shapes {s1.shape} and "
                             f"{s2.shape}") from None
        with np.errstate(over="ignore"):
            return self.l0 + self.a * s1 ** (-self.alpha) - self.c * s2

    def curve(self, rates: ArrayLike) -> NDArray[np.float64]:
        """The loss after each step of a run whose rate at each step is ``rates``, nats per
        token (one value per step)."""
        eta = _rates(rates)
        return self.loss(forward_area(eta), annealing_area(eta, self.decay))
