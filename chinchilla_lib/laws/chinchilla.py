"""Hoffmann et al. (2022): L(N, D) = E + A / N^alpha + B / D^beta, and its compute optimum.

The closed forms are derived in :func:`chinchilla_lib.symbolic.chinchilla_derivation` and
tested against it and against a numerical minimiser:

    N_opt = G (C/6)^a,  D_opt = G^-1 (C/6)^b,
    G = (alpha A / (beta B))^(1/(alpha+beta)),  a = beta/(alpha+beta),  b = alpha/(alpha+beta).
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from chinchilla_lib import registry
from chinchilla_lib._validation import (
    FloatOrArray,
    as_positive_array,
    check_broadcast,
    check_nonnegative,
    checks_overflow_methods,
    scalar_or_array,
    single,
)
from chinchilla_lib.laws._results import ComputeOptimum
from chinchilla_lib.quantities import FLOPS_PER_PARAM_TOKEN

__all__ = ["ChinchillaLaw"]


@checks_overflow_methods
@dataclass(frozen=True)
class ChinchillaLaw:
    """L(N, D) = E + A / N^alpha + B / D^beta, with N all parameters and D tokens.

    Parameters
    ----------
    e
        E, the irreducible loss (nats per token, >= 0).
    a, b
        A and B, scales of the model and data terms (> 0).
    alpha, beta
        Exponents of the model and data terms (> 0).
    name
        A label (the registry name when built by :meth:`from_registry`).

    Examples
    --------
    Plan a run at Gopher's budget (5.76e23 FLOPs) with Besiroglu et al.'s refit:

    >>> law = ChinchillaLaw.from_registry("besiroglu2024/refit")
    >>> best = law.compute_optimal(5.76e23)
    >>> print(f"{best.n_params:.3g} parameters on {best.n_tokens:.3g} tokens, "
    ...       f"loss {best.loss:.3f} nats per token")
    7.24e+10 parameters on 1.33e+12 tokens, loss 1.974 nats per token
    >>> print(f"N_opt grows as C^{law.optimal_params_exponent:.3f}")
    N_opt grows as C^0.513

    The loss of a given model (Chinchilla's 70B parameters on 1.4T tokens):

    >>> print(f"{float(law.loss(70e9, 1.4e12)):.3f}")
    1.973
    """

    e: float
    a: float
    b: float
    alpha: float
    beta: float
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "e", single("e", check_nonnegative("e", self.e)))
        for field in ("a", "b", "alpha", "beta"):
            value = single(field, as_positive_array(field, getattr(self, field)))
            if value < sys.float_info.min:
                raise ValueError(f"{field} must be a normal float (allowed range: "
                                 f"{sys.float_info.min:.4g} <= {field} < inf); got {value!r}")
            object.__setattr__(self, field, value)
        try:
            g = (self.alpha * self.a / (self.beta * self.b)) ** (1.0 / (self.alpha + self.beta))
        except (OverflowError, ZeroDivisionError):
            g = math.inf
        if not 0.0 < g < math.inf:
            raise ValueError("a, b, alpha and beta put the compute-optimal split "
                             "G = (alpha a / (beta b))^(1 / (alpha + beta)) outside float range "
                             "(allowed: 0 < G < inf); got "
                             f"a={self.a!r}, b={self.b!r}, alpha={self.alpha!r}, "
                             f"beta={self.beta!r}")

    @classmethod
    def from_registry(cls, name: str) -> ChinchillaLaw:
        """A published fit of the Chinchilla form (the family ``CHINCHILLA`` of
        :class:`~chinchilla_lib.registry.LawFamily`) from the registry, for example
        ``"hoffmann2022/approach3"`` (rounded, as printed in the paper),
        ``"hoffmann2022/approach3 unrounded"`` or ``"besiroglu2024/refit"``.

        Raises
        ------
        ValueError
            If ``name`` is not a Chinchilla-form fit; the message lists those there are.

        Examples
        --------
        >>> law = ChinchillaLaw.from_registry("hoffmann2022/approach3")
        >>> print(law.e, law.a, law.b, law.alpha, law.beta)
        1.69 406.4 410.7 0.34 0.28
        """
        entry = registry.fit(name, family=registry.LawFamily.CHINCHILLA)
        return cls(entry["E"], entry["A"], entry["B"], entry["alpha"], entry["beta"], name=name)

    def loss(self, n_params: ArrayLike, n_tokens: ArrayLike) -> FloatOrArray:
        """L(N, D) in nats per token (vectorised; N and D broadcast)."""
        n = as_positive_array("n_params", n_params)
        d = as_positive_array("n_tokens", n_tokens)
        check_broadcast(n_params=n, n_tokens=d)
        value = self.e + self.a * n**-self.alpha + self.b * d**-self.beta
        return scalar_or_array(value, n_params, n_tokens)

    def loss_infinite_model(self, n_tokens: ArrayLike) -> FloatOrArray:
        """L(N -> infinity, D) = E + B / D^beta: the best loss any size reaches on D tokens."""
        d = as_positive_array("n_tokens", n_tokens)
        return scalar_or_array(self.e + self.b * d**-self.beta, n_tokens)

    def loss_infinite_data(self, n_params: ArrayLike) -> FloatOrArray:
        """L(N, D -> infinity) = E + A / N^alpha: the best loss N parameters reach on any data."""
        n = as_positive_array("n_params", n_params)
        return scalar_or_array(self.e + self.a * n**-self.alpha, n_params)

    def params_for_loss(self, loss: ArrayLike, n_tokens: ArrayLike) -> FloatOrArray:
        """The parameter count N at which L(N, D) equals ``loss`` for D = ``n_tokens``.

        N = (A / (L - E - B / D^beta))^(1 / alpha), the inverse of :meth:`loss` in N
        (derived in :func:`chinchilla_lib.symbolic.densing_inverses`).

        Raises
        ------
        ValueError
            If ``loss`` is not above :meth:`loss_infinite_model` at ``n_tokens``, which no
            finite N reaches.
        """
        target, best = np.broadcast_arrays(as_positive_array("loss", loss),
                                           np.asarray(self.loss_infinite_model(n_tokens)))
        unreachable = target <= best
        if unreachable.any():
            raise ValueError(f"loss must exceed E + B / D^beta = {best[unreachable].flat[0]:.6g} "
                             "nats per token, the loss of an infinite model on n_tokens tokens; "
                             f"got {target[unreachable].flat[0]!r}")
        params = (self.a / (target - best)) ** (1.0 / self.alpha)
        return scalar_or_array(params, loss, n_tokens)

    def tokens_for_loss(self, loss: ArrayLike, n_params: ArrayLike) -> FloatOrArray:
        """The training tokens D at which L(N, D) equals ``loss`` for N = ``n_params``.

        D = (B / (L - E - A / N^alpha))^(1 / beta), the inverse of :meth:`loss` in D and the
        twin of :meth:`params_for_loss` (vectorised; ``loss`` and ``n_params`` broadcast).

        Parameters
        ----------
        loss
            Target loss, nats per token (finite, > 0).
        n_params
            N, parameters (count, > 0).

        Returns
        -------
        float or ndarray
            D, tokens (count).

        Raises
        ------
        ValueError
            If ``loss`` is not above :meth:`loss_infinite_data` at ``n_params``: a model that
            small never reaches it, however long it trains.

        Examples
        --------
        Tokens a 10B-parameter model needs to match Chinchilla's loss at Gopher's budget:

        >>> law = ChinchillaLaw.from_registry("hoffmann2022/approach3")
        >>> target = law.compute_optimal(5.76e23).loss
        >>> print(f"{law.tokens_for_loss(target, 10e9):.3g}")
        1.87e+13
        """
        target = as_positive_array("loss", loss)
        n = as_positive_array("n_params", n_params)
        check_broadcast(loss=target, n_params=n)
        room = target - self.e - self.a * n**-self.alpha
        unreachable = room <= 0
        if unreachable.any():
            best = np.broadcast_to(np.asarray(self.loss_infinite_data(n)), room.shape)
            raise ValueError(f"loss must exceed E + A / N^alpha = {best[unreachable].flat[0]:.6g} "
                             "nats per token, the loss of the model on unlimited data; got "
                             f"{np.broadcast_to(target, room.shape)[unreachable].flat[0]!r}")
        return scalar_or_array((self.b / room) ** (1.0 / self.beta), loss, n_params)

    @property
    def optimal_params_exponent(self) -> float:
        """a = beta / (alpha + beta): N_opt grows as C^a."""
        return self.beta / (self.alpha + self.beta)

    @property
    def optimal_tokens_exponent(self) -> float:
        """b = alpha / (alpha + beta): D_opt grows as C^b."""
        return self.alpha / (self.alpha + self.beta)

    @property
    def g(self) -> float:
        """G = (alpha A / (beta B))^(1 / (alpha + beta))."""
        return (self.alpha * self.a / (self.beta * self.b)) ** (1.0 / (self.alpha + self.beta))

    @property
    def loss_exponent(self) -> float:
        """gamma in L_opt(C) - E proportional to C^-gamma: alpha beta / (alpha + beta)."""
        return self.alpha * self.beta / (self.alpha + self.beta)

    def compute_optimal(self, flops: ArrayLike) -> ComputeOptimum:
        """The (N, D) minimising L subject to 6ND = C, and the loss there.

        Parameters
        ----------
        flops
            C, training compute in FLOPs (> 0).
        """
        c = as_positive_array("flops", flops)
        n_opt = self.g * (c / FLOPS_PER_PARAM_TOKEN) ** self.optimal_params_exponent
        d_opt = (c / FLOPS_PER_PARAM_TOKEN) ** self.optimal_tokens_exponent / self.g
        loss = self.e + self.a * n_opt**-self.alpha + self.b * d_opt**-self.beta
        return ComputeOptimum(
            flops=scalar_or_array(c, flops),
            n_params=scalar_or_array(n_opt, flops),
            n_tokens=scalar_or_array(d_opt, flops),
            loss=scalar_or_array(loss, flops),
        )

    def flops_for_optimal_params(self, n_params: ArrayLike) -> FloatOrArray:
        """The budget C (FLOPs) at which ``n_params`` is compute-optimal: C = 6 (N / G)^(1/a).

        This is how Hoffmann et al.'s projection tables (Table 3, Table A3) read: for a model
        size, the compute (and, with D = C / 6N, the tokens) it should be trained with.
        """
        n = as_positive_array("n_params", n_params)
        with np.errstate(over="ignore"):
            flops = FLOPS_PER_PARAM_TOKEN * (n / self.g) ** (1.0 / self.optimal_params_exponent)
        if not np.all(np.isfinite(flops)):
            raise ValueError("n_params is too large for this law: its compute-optimal budget "
                             "overflows a float (above about 1.8e308 FLOPs); got "
                             f"{n[~np.isfinite(flops)].flat[0]!r}")
        return scalar_or_array(flops, n_params)

    def optimal_loss_coefficient(self) -> float:
        """K in L_opt(C) = E + K C^-gamma (C in FLOPs), from the closed form."""
        return float(self.compute_optimal(1.0).loss - self.e)

    def tokens_per_parameter(self, flops: ArrayLike) -> FloatOrArray:
        """D_opt / N_opt at a compute budget (FLOPs)."""
        optimum = self.compute_optimal(flops)
        return optimum.n_tokens / optimum.n_params
