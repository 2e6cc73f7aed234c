"""Smaller laws of Chapter 6: over-training (Gadre et al. 2024), precision (Kumar et al.
2024) and transfer (Hernandez et al. 2021). Constants come from the registry."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from chinchilla_lib import registry
from chinchilla_lib._validation import (
    FloatOrArray,
    as_positive_array,
    check_broadcast,
    check_instance,
    check_nonnegative,
    checks_overflow,
    checks_overflow_methods,
    scalar_or_array,
    single,
)
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.quantities import FLOPS_PER_PARAM_TOKEN

__all__ = ["OvertrainingLaw", "PtqDegradationLaw", "allocation_compute_ratio",
           "effective_params_at_precision", "fixed_multiplier_exponent", "ptq_degradation",
           "transferred_data"]


@checks_overflow_methods
@dataclass(frozen=True)
class OvertrainingLaw:
    """Gadre et al.'s form: L(C, M) = E + (a M^eta + b M^-eta) C^-eta, with M = D/N.

    A Chinchilla-form law with equal exponents alpha = beta, rewritten in compute C = 6ND and
    the token multiplier M, takes exactly this form with eta = alpha / 2: for a fixed M the
    reducible loss is a power law in C with the same exponent whatever M is, which is why
    over-trained runs extrapolate as reliably as compute-optimal ones.
    """

    e: float
    a: float
    b: float
    eta: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "e", single("e", check_nonnegative("e", self.e)))
        for name in ("a", "b", "eta"):
            object.__setattr__(self, name,
                               single(name, as_positive_array(name, getattr(self, name))))

    @classmethod
    def from_equal_exponents(cls, law: ChinchillaLaw) -> OvertrainingLaw:
        """Rewrite E + A/N^alpha + B/D^alpha in (C, M): a = A 6^eta, b = B 6^eta,
        eta = alpha / 2."""
        if not np.isclose(law.alpha, law.beta):
            raise ValueError(f"law must have alpha = beta; got {law.alpha} and {law.beta}")
        eta = law.alpha / 2.0
        return cls(law.e, law.a * FLOPS_PER_PARAM_TOKEN**eta, law.b * FLOPS_PER_PARAM_TOKEN**eta,
                   eta)

    def loss(self, flops: ArrayLike, multiplier: ArrayLike) -> FloatOrArray:
        """Loss in nats per token at compute C (FLOPs) and token multiplier M = D/N."""
        c = as_positive_array("flops", flops)
        m = as_positive_array("multiplier", multiplier)
        check_broadcast(flops=c, multiplier=m)
        value = self.e + (self.a * m**self.eta + self.b * m**-self.eta) * c**-self.eta
        return scalar_or_array(value, flops, multiplier)

    @property
    def best_multiplier(self) -> float:
        """The M minimising the loss at any fixed compute: (b / a)^(1 / (2 eta))."""
        return (self.b / self.a) ** (1.0 / (2.0 * self.eta))


@checks_overflow
def fixed_multiplier_exponent(law: ChinchillaLaw, flops: ArrayLike,
                              multiplier: ArrayLike) -> FloatOrArray:
    """Local exponent -d log(L - E) / d log C of a Chinchilla-form law at a fixed token
    multiplier M = D/N, with C = 6ND.

    At fixed M the model term falls as C^(-alpha/2) and the data term as C^(-beta/2), so the
    exponent is their share-weighted mean, w alpha/2 + (1 - w) beta/2, with w the model term's
    share of the reducible loss. It is the same at every M (Gadre et al.'s form) only when
    alpha = beta.

    Parameters
    ----------
    law
        A Chinchilla-form law.
    flops
        C, FLOPs (> 0).
    multiplier
        M = D/N, tokens per parameter (> 0).
    """
    check_instance("law", law, ChinchillaLaw)
    c = as_positive_array("flops", flops)
    m = as_positive_array("multiplier", multiplier)
    check_broadcast(flops=c, multiplier=m)
    n, d = np.sqrt(c / (FLOPS_PER_PARAM_TOKEN * m)), np.sqrt(c * m / FLOPS_PER_PARAM_TOKEN)
    model_term, data_term = law.a * n**-law.alpha, law.b * d**-law.beta
    share = model_term / (model_term + data_term)
    value = share * law.alpha / 2.0 + (1.0 - share) * law.beta / 2.0
    return scalar_or_array(value, flops, multiplier)


@checks_overflow
def effective_params_at_precision(n_params: ArrayLike, bits: ArrayLike,
                                  gamma: float | None = None) -> FloatOrArray:
    """Kumar et al.'s N_eff = N (1 - exp(-P / gamma)) for weights trained in P bits.

    Only the weights' factor of the paper's N_eff (Section 4.2, Finding 2), which multiplies
    one such factor each for weights, activations and KV cache; the paper's 7-8-bit optimum
    also quantises all three and charges a compute cost in proportion to P (Section 4.3), so
    this curve shows the shape of the effect, not the paper's optimum (see Chapter 6).
    """
    n = as_positive_array("n_params", n_params)
    p = check_nonnegative("bits", bits)
    check_broadcast(n_params=n, bits=p)
    g = registry.constant("kumar_gamma_weights").value if gamma is None else single(
        "gamma", as_positive_array("gamma", gamma))
    return scalar_or_array(n * (1.0 - np.exp(-p / g)), n_params, bits)


@checks_overflow_methods
@dataclass(frozen=True)
class PtqDegradationLaw:
    """Kumar et al.'s loss increase from quantising a trained model to P_post bits:
    delta = C_T (D^gamma_D / N^gamma_N) exp(-P_post / gamma_post), in nats per token.

    It grows with the tokens seen: over-trained models lose more when quantised.

    Attributes
    ----------
    c_t
        C_T, nats per token (> 0).
    gamma_d, gamma_n
        Exponents of D (tokens) and N (parameters) (> 0).
    gamma_post
        Bits over which the increase falls by a factor e (> 0).

    Examples
    --------
    >>> law = PtqDegradationLaw.from_registry("kumar2024/ptq")
    >>> print(f"{law(220e6, 20 * 220e6, 4):.4f} nats per token")
    0.0071 nats per token
    """

    c_t: float
    gamma_d: float
    gamma_n: float
    gamma_post: float

    def __post_init__(self) -> None:
        for name in ("c_t", "gamma_d", "gamma_n", "gamma_post"):
            object.__setattr__(self, name,
                               single(name, as_positive_array(name, getattr(self, name))))

    @classmethod
    def from_registry(cls, name: str) -> PtqDegradationLaw:
        """A published fit of this form (the family ``PTQ_DEGRADATION`` of
        :class:`~chinchilla_lib.registry.LawFamily`) from the registry: Kumar et al.'s
        ``"kumar2024/ptq"`` (Appendix K, Table 2; its gamma_post is second-hand, see
        ``registry.fit(name).source_of("gamma_post")``).

        Raises
        ------
        ValueError
            If ``name`` is not a fit of this form; the message lists those there are.
        """
        entry = registry.fit(name, family=registry.LawFamily.PTQ_DEGRADATION)
        return cls(entry["C_T"], entry["gamma_D"], entry["gamma_N"], entry["gamma_post"])

    def __call__(self, n_params: ArrayLike, n_tokens: ArrayLike,
                 post_bits: ArrayLike) -> FloatOrArray:
        """Loss increase in nats per token for N parameters (> 0) trained on D tokens (> 0)
        and quantised to P_post bits (>= 0); N, D and P_post broadcast."""
        n = as_positive_array("n_params", n_params)
        d = as_positive_array("n_tokens", n_tokens)
        p = check_nonnegative("post_bits", post_bits)
        check_broadcast(n_params=n, n_tokens=d, post_bits=p)
        value = (self.c_t * d**self.gamma_d / n**self.gamma_n
                 * np.exp(-p / self.gamma_post))
        return scalar_or_array(value, n_params, n_tokens, post_bits)


@checks_overflow
def ptq_degradation(n_params: ArrayLike, n_tokens: ArrayLike,
                    post_bits: ArrayLike) -> FloatOrArray:
    """Kumar et al.'s loss increase from quantising after training to P_post bits, in nats
    per token, with their published constants:
    ``PtqDegradationLaw.from_registry("kumar2024/ptq")(n_params, n_tokens, post_bits)``."""
    return PtqDegradationLaw.from_registry("kumar2024/ptq")(n_params, n_tokens, post_bits)


@checks_overflow
def transferred_data(fine_tune_chars: ArrayLike, n_params: ArrayLike,
                     pretraining: str = "text") -> FloatOrArray:
    """Hernandez et al.: effective data transferred from pre-training, D_T = k D_F^a N^b,
    in characters, for Python fine-tuning after ``"text"`` or ``"text+code"`` pre-training
    (low-data regime)."""
    if pretraining not in ("text", "text+code"):
        raise ValueError(f"pretraining must be 'text' or 'text+code'; got {pretraining!r}")
    d = as_positive_array("fine_tune_chars", fine_tune_chars)
    n = as_positive_array("n_params", n_params)
    p = registry.fit(f"hernandez2021/{pretraining}").params
    return scalar_or_array(p["k"] * d ** p["alpha"] * n ** p["beta"], fine_tune_chars, n_params)


@checks_overflow
def allocation_compute_ratio(law: ChinchillaLaw, n_params: ArrayLike,
                             n_tokens: ArrayLike) -> FloatOrArray:
    """How many times more compute a model of ``n_params`` on ``n_tokens`` spends than the
    compute-optimal model of ``law`` that reaches the same loss: 6ND / C*(L(N, D)).

    On the compute-optimal frontier L*(C) = E + K C^-gamma, the budget that reaches a loss
    l is C*(l) = (K / (l - E))^(1/gamma); the ratio is 1 on the frontier and grows with the
    distance from the optimal allocation (under- or over-training).

    Parameters
    ----------
    law
        The Chinchilla-form law.
    n_params, n_tokens
        N, parameters, and D, training tokens (> 0).

    Returns
    -------
    float or ndarray
        6ND / C*, at least 1.

    Examples
    --------
    >>> law = ChinchillaLaw.from_registry("hoffmann2022/approach3")
    >>> best = law.compute_optimal(1e23)
    >>> round(allocation_compute_ratio(law, best.n_params, best.n_tokens), 6)
    1.0
    """
    check_instance("law", law, ChinchillaLaw)
    n = as_positive_array("n_params", n_params)
    d = as_positive_array("n_tokens", n_tokens)
    check_broadcast(n_params=n, n_tokens=d)
    reducible = np.asarray(law.loss(n, d), dtype=float) - law.e
    needed = (law.optimal_loss_coefficient() / reducible) ** (1.0 / law.loss_exponent)
    return scalar_or_array(FLOPS_PER_PARAM_TOKEN * n * d / needed, n_params, n_tokens)
