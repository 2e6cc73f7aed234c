"""Kaplan et al. (2020): the joint law L(N, D) and what follows from it.

L(N, D) = [(N_c / N)^(alpha_N / alpha_D) + D_c / D]^alpha_D, with N the non-embedding
parameters and D the training tokens (Kaplan et al. 2020, Eq. 1.5). The closed forms below are
derived in :func:`chinchilla_lib.symbolic.kaplan_derivation` and tested against it and
against a numerical minimiser.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from chinchilla_lib import registry
from chinchilla_lib._validation import (
    FloatOrArray,
    as_positive_array,
    check_broadcast,
    check_fraction,
    checks_overflow,
    checks_overflow_methods,
    scalar_or_array,
    single,
)
from chinchilla_lib.laws._results import ComputeOptimum
from chinchilla_lib.laws.batch_size import examples_excess, min_examples_from_run
from chinchilla_lib.laws.power import PowerLaw
from chinchilla_lib.quantities import FLOPS_PER_PARAM_TOKEN

__all__ = ["ComputeOptimum", "KaplanLaw", "KaplanLearningCurves", "kaplan_min_compute",
           "kaplan_optimal_params"]


@checks_overflow_methods
@dataclass(frozen=True)
class KaplanLaw:
    """Kaplan et al.'s joint law L(N, D).

    Parameters
    ----------
    alpha_n, alpha_d
        The exponents (> 0).
    n_c
        N_c, non-embedding parameters (> 0).
    d_c
        D_c, tokens (> 0).

    Examples
    --------
    >>> law = KaplanLaw.from_registry("kaplan2020/L(N,D)")
    >>> print(f"{float(law.loss(1e9, 1e11)):.3f} nats per token")
    2.331 nats per token

    Kaplan et al.'s compute-optimal size at Gopher's budget, at the critical batch size
    (C = 2 C_min, the default) or treating the whole budget as C_min:

    >>> at_b_crit = kaplan_optimal_params(5.76e23)
    >>> whole_budget = kaplan_optimal_params(5.76e23, ratio=1)
    >>> print(f"{at_b_crit:.3g}, {whole_budget:.3g}")
    4.85e+11, 8.04e+11
    """

    alpha_n: float
    alpha_d: float
    n_c: float
    d_c: float

    def __post_init__(self) -> None:
        for name in ("alpha_n", "alpha_d", "n_c", "d_c"):
            object.__setattr__(self, name, single(name,
                                                  as_positive_array(name, getattr(self, name))))

    @classmethod
    def from_registry(cls, name: str) -> KaplanLaw:
        """A published fit of this form (the family ``KAPLAN`` of
        :class:`~chinchilla_lib.registry.LawFamily`) from the registry: Kaplan et al.'s
        ``"kaplan2020/L(N,D)"`` (Section 4.2), or Gordon et al.'s translation fit
        ``"gordon2021/de-en L(N,D)"``.

        Raises
        ------
        ValueError
            If ``name`` is not a fit of this form; the message lists those there are.
        """
        entry = registry.fit(name, family=registry.LawFamily.KAPLAN)
        return cls(alpha_n=entry["alpha_N"], alpha_d=entry["alpha_D"], n_c=entry["N_c"],
                   d_c=entry["D_c"])

    def loss(self, n_params: ArrayLike, n_tokens: ArrayLike) -> FloatOrArray:
        """L(N, D) in nats per token (vectorised; N and D broadcast)."""
        n = as_positive_array("n_params", n_params)
        d = as_positive_array("n_tokens", n_tokens)
        check_broadcast(n_params=n, n_tokens=d)
        inner = (self.n_c / n) ** (self.alpha_n / self.alpha_d) + self.d_c / d
        return scalar_or_array(inner**self.alpha_d, n_params, n_tokens)

    def loss_infinite_data(self, n_params: ArrayLike) -> FloatOrArray:
        """L(N, D -> infinity) = (N_c / N)^alpha_N."""
        return PowerLaw.from_scale(self.n_c, self.alpha_n)(n_params)

    def loss_infinite_model(self, n_tokens: ArrayLike) -> FloatOrArray:
        """L(N -> infinity, D) = (D_c / D)^alpha_D."""
        return PowerLaw.from_scale(self.d_c, self.alpha_d)(n_tokens)

    @property
    def optimal_params_exponent(self) -> float:
        """a in N_opt proportional to C^a under C = 6ND: alpha_D / (alpha_N + alpha_D)."""
        return self.alpha_d / (self.alpha_n + self.alpha_d)

    def compute_optimal(self, flops: ArrayLike) -> ComputeOptimum:
        """Minimise L(N, D) subject to 6ND = C, in closed form.

        N_opt = (r N_c^r C / (6 D_c))^(1 / (1 + r)) with r = alpha_N / alpha_D.

        Parameters
        ----------
        flops
            C, training compute in FLOPs (> 0).
        """
        c = as_positive_array("flops", flops)
        r = self.alpha_n / self.alpha_d
        # In logarithms, so that N_c^r cannot overflow for large r.
        log_n_opt = (np.log(r) + r * np.log(self.n_c) + np.log(c)
                     - np.log(FLOPS_PER_PARAM_TOKEN * self.d_c)) / (1.0 + r)
        n_opt = np.exp(log_n_opt)
        d_opt = c / (FLOPS_PER_PARAM_TOKEN * n_opt)
        return ComputeOptimum(
            flops=scalar_or_array(c, flops),
            n_params=scalar_or_array(n_opt, flops),
            n_tokens=scalar_or_array(d_opt, flops),
            loss=self.loss(scalar_or_array(n_opt, flops), scalar_or_array(d_opt, flops)),
        )

    @property
    def loss_penalty_at_optimum(self) -> float:
        """delta = L / L(N, infinity) - 1 at the optimum of L(N, D) on C = 6ND.

        (1 + alpha_N / alpha_D)^alpha_D - 1, the same at every budget (derived in
        :func:`chinchilla_lib.symbolic.kaplan_joint_optimum_penalty`): along this path the
        finite-data term is always the same fraction of the loss.
        """
        return (1.0 + self.alpha_n / self.alpha_d) ** self.alpha_d - 1.0

    def overfitting_min_tokens(self, n_params: ArrayLike,
                               tolerance: float | None = None) -> FloatOrArray:
        """Fewest tokens that keep L(N, D) within ``tolerance`` of L(N, infinity).

        Exactly D = D_c (N / N_c)^(alpha_N / alpha_D) / ((1 + tolerance)^(1 / alpha_D) - 1);
        with the published constants and a 2% tolerance this is about 5.5e3 N^0.74, which
        Kaplan et al. round to 5e3 N^0.74 (Eq. 4.4).

        Parameters
        ----------
        n_params
            N, non-embedding parameters (> 0).
        tolerance
            Allowed relative excess loss from finite data, in (0, 1]; by default Kaplan et
            al.'s loss variation between random seeds, 0.02 (registry
            ``kaplan_seed_loss_variation``).
        """
        n = as_positive_array("n_params", n_params)
        if tolerance is None:
            tolerance = registry.constant("kaplan_seed_loss_variation").value
        delta = single("tolerance", check_fraction("tolerance", tolerance))
        denominator = (1.0 + delta) ** (1.0 / self.alpha_d) - 1.0
        d_min = self.d_c * (n / self.n_c) ** (self.alpha_n / self.alpha_d) / denominator
        return scalar_or_array(d_min, n_params)


@checks_overflow_methods
@dataclass(frozen=True)
class KaplanLearningCurves:
    """Kaplan et al.'s learning-curve law L(N, S_min) with the critical batch size B_crit(L).

    L(N, S_min) = (N_c / N)^alpha_N + (S_c / S_min)^alpha_S (Eq. 1.6) and
    B_crit(L) = B_* / L^(1 / alpha_B) (Eq. 1.4). Kaplan et al.'s own route to the
    compute-efficient allocation (Section 6.2, Appendix B) minimises this law at fixed compute
    C_min = 6 N B_crit S_min; the closed forms are derived in
    :func:`chinchilla_lib.symbolic.kaplan_learning_curve_derivation`.

    Parameters
    ----------
    alpha_n, alpha_s, alpha_b
        The exponents (> 0).
    n_c
        N_c, non-embedding parameters (> 0).
    s_c
        S_c, optimiser steps (> 0).
    b_star
        B_*, tokens (> 0).
    """

    alpha_n: float
    alpha_s: float
    alpha_b: float
    n_c: float
    s_c: float
    b_star: float

    def __post_init__(self) -> None:
        for name in ("alpha_n", "alpha_s", "alpha_b", "n_c", "s_c", "b_star"):
            object.__setattr__(self, name, single(name,
                                                  as_positive_array(name, getattr(self, name))))

    @classmethod
    def from_registry(cls, name: str,
                      critical_batch: str = "kaplan2020/B_crit(L)") -> KaplanLearningCurves:
        """A published L(N, S_min) (family ``KAPLAN_STEPS``) with a published B_crit(L)
        (family ``CRITICAL_BATCH``) from the registry: Kaplan et al.'s are
        ``"kaplan2020/L(N,S_min)"`` (Table 3) and ``"kaplan2020/B_crit(L)"`` (Table 5).

        Raises
        ------
        ValueError
            If a name is not a fit of its family; the message lists those there are.
        """
        p = registry.fit(name, family=registry.LawFamily.KAPLAN_STEPS)
        b = registry.fit(critical_batch, family=registry.LawFamily.CRITICAL_BATCH)
        return cls(alpha_n=p["alpha_N"], alpha_s=p["alpha_S"], alpha_b=b["alpha_B"],
                   n_c=p["N_c"], s_c=p["S_c"], b_star=b["B_star"])

    def loss(self, n_params: ArrayLike, min_steps: ArrayLike) -> FloatOrArray:
        """L(N, S_min) in nats per token (N non-embedding parameters, S_min steps)."""
        n = as_positive_array("n_params", n_params)
        s = as_positive_array("min_steps", min_steps)
        check_broadcast(n_params=n, min_steps=s)
        value = (self.n_c / n) ** self.alpha_n + (self.s_c / s) ** self.alpha_s
        return scalar_or_array(value, n_params, min_steps)

    def critical_batch(self, loss: ArrayLike) -> FloatOrArray:
        """B_crit(L) = B_* / L^(1 / alpha_B), tokens (loss in nats per token, > 0)."""
        value = as_positive_array("loss", loss)
        return scalar_or_array(self.b_star / value ** (1.0 / self.alpha_b), loss)

    def min_compute(self, flops: ArrayLike, batch: ArrayLike, loss: ArrayLike) -> FloatOrArray:
        """C_min = C / (1 + B / B_crit(L)) (Eq. 5.5): the compute at B much below B_crit.

        Parameters
        ----------
        flops
            C, FLOPs spent at batch size ``batch`` (> 0).
        batch
            B, tokens per step (> 0).
        loss
            The loss reached, nats per token (> 0).
        """
        c = as_positive_array("flops", flops)
        b = as_positive_array("batch", batch)
        b_crit = self.critical_batch(loss)
        check_broadcast(flops=c, batch=b, loss=np.asarray(b_crit))
        c_min = np.asarray(min_examples_from_run(c, b, b_crit), dtype=float)
        return scalar_or_array(c_min, flops, batch, loss)

    @staticmethod
    def examples_excess(steps_excess: ArrayLike) -> FloatOrArray:
        """E / E_min for a given S / S_min on the trade-off (S/S_min - 1)(E/E_min - 1) = 1.

        Eq. 5.1. At S = 2 S_min (the critical batch size, Eq. 5.2) this is 2. The same as
        :func:`chinchilla_lib.laws.batch_size.examples_excess`.

        Parameters
        ----------
        steps_excess
            S / S_min (> 1).
        """
        return examples_excess(steps_excess)

    @property
    def alpha_c_min(self) -> float:
        """alpha_C^min = 1 / (1/alpha_S + 1/alpha_B + 1/alpha_N) (Eqs. 1.8, 6.4, B.7)."""
        return 1.0 / (1.0 / self.alpha_s + 1.0 / self.alpha_b + 1.0 / self.alpha_n)

    @property
    def optimal_params_exponent(self) -> float:
        """p in N_opt proportional to C_min^p: alpha_C^min / alpha_N (Eq. 6.5)."""
        return self.alpha_c_min / self.alpha_n

    @property
    def converged_excess(self) -> float:
        """alpha_N / alpha_S: how far above L(N, infinity) the compute-efficient run stops
        (Eq. B.5)."""
        return self.alpha_n / self.alpha_s

    @property
    def bcrit_doubling_loss_drop(self) -> float:
        """1 - 2^(-alpha_B): the fractional fall in loss over which B_crit(L) doubles."""
        return 1.0 - 2.0 ** -self.alpha_b

    def frontier(self, n_params: ArrayLike) -> tuple[FloatOrArray, FloatOrArray, FloatOrArray,
                                                      FloatOrArray]:
        """The compute-efficient point for which N is optimal, in closed form.

        Returns
        -------
        tuple
            (C_min in FLOPs, loss in nats per token, S_min in steps, B_crit in tokens), with
            L = (1 + alpha_N/alpha_S) (N_c/N)^alpha_N, (S_c/S_min)^alpha_S = (alpha_N/alpha_S)
            (N_c/N)^alpha_N and C_min = 6 N B_crit(L) S_min.
        """
        n = as_positive_array("n_params", n_params)
        converged = (self.n_c / n) ** self.alpha_n
        loss = (1.0 + self.converged_excess) * converged
        steps = self.s_c * (self.converged_excess * converged) ** (-1.0 / self.alpha_s)
        batch = self.b_star / loss ** (1.0 / self.alpha_b)
        c_min = FLOPS_PER_PARAM_TOKEN * n * batch * steps
        return tuple(scalar_or_array(v, n_params) for v in (c_min, loss, steps, batch))

    def optimal_params(self, min_flops: ArrayLike) -> FloatOrArray:
        """N_opt(C_min) from L(N, S_min): the inverse of :meth:`frontier`, exactly.

        C_min is proportional to N^(alpha_N / alpha_C^min) along the frontier.

        Parameters
        ----------
        min_flops
            C_min, FLOPs (> 0).
        """
        c = as_positive_array("min_flops", min_flops)
        c_ref = float(self.frontier(1.0)[0])
        return scalar_or_array((c / c_ref) ** self.optimal_params_exponent, min_flops)


@checks_overflow
def kaplan_min_compute(flops: ArrayLike, ratio: float | None = None) -> FloatOrArray:
    """C_min for a run at the critical batch size: C / ratio, with C = 2 C_min by default.

    Kaplan et al.'s N_opt = 1.3e9 C_min^0.73 is written in C_min, the compute a run would
    need at a batch size far below B_crit (Section 1.3, Eq. 5.5). At the recommended batch
    size B = B_crit a run spends C = 2 C_min (Section 6.3, Eq. 6.7), the convention Hoffmann
    et al. use when they read Kaplan's law (Appendix D.4).

    Parameters
    ----------
    flops
        C, FLOPs actually spent (> 0).
    ratio
        C / C_min (>= 1); ``None`` reads 2 from the registry
        (``kaplan_critical_batch_compute_ratio``). 1 treats the whole budget as C_min.
    """
    c = as_positive_array("flops", flops)
    if ratio is None:
        ratio = registry.constant("kaplan_critical_batch_compute_ratio").value
    if not np.isfinite(ratio) or ratio < 1.0:
        raise ValueError(f"ratio must be a finite number >= 1; got {ratio!r}")
    return scalar_or_array(c / ratio, flops)


@checks_overflow
def kaplan_optimal_params(flops: ArrayLike, ratio: float | None = None) -> FloatOrArray:
    """Kaplan et al.'s N_opt = N_e C_min^p_N (Table 6) for a budget of C FLOPs.

    Parameters
    ----------
    flops
        C, FLOPs actually spent (> 0).
    ratio
        C / C_min, as in :func:`kaplan_min_compute` (default 2: training at B_crit).

    Returns
    -------
    float or ndarray
        Non-embedding parameters.
    """
    c_min_pf_days = kaplan_min_compute(flops, ratio) / registry.constant("pf_day").value
    return PowerLaw.from_registry("kaplan2020/N_opt(C_min)")(c_min_pf_days)
