"""Training for inference (Sardana et al. 2024): the cheapest model that reaches a target loss
once the tokens it will serve are paid for.

Total cost = 6 N D_train + 2 N D_inference FLOPs, minimised subject to L(N, D_train) = loss
for a Chinchilla-form law L = E + A/N^alpha + B/D^beta. The constraint gives D_train as a
function of N; the optimality condition is derived in
:func:`chinchilla_lib.symbolic.inference_optimum_condition` and solved numerically here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from chinchilla_lib._validation import (
    FloatOrArray,
    as_positive_array,
    check_broadcast,
    check_instance,
    check_nonnegative,
    checks_overflow,
    scalar_or_array,
    single,
)
from chinchilla_lib.laws._results import ComputeOptimum
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.quantities import FLOPS_PER_PARAM_TOKEN, FORWARD_FLOPS_PER_PARAM_TOKEN

__all__ = ["DemandSaving", "InferenceOptimum", "inference_optimal",
           "inference_optimal_within_budget", "lifetime_flops", "saving_over_compute_optimal"]


@dataclass(frozen=True)
class InferenceOptimum:
    """The cheapest way to reach a loss and then serve a number of tokens.

    Attributes
    ----------
    loss
        The target loss, nats per token.
    inference_tokens
        Tokens served over the model's life.
    n_params, n_tokens
        Parameters and training tokens of the cheapest model.
    training_flops, inference_flops
        6 N D_train and 2 N D_inference, FLOPs.
    """

    loss: float
    inference_tokens: float
    n_params: float
    n_tokens: float
    training_flops: float
    inference_flops: float

    @property
    def total_flops(self) -> float:
        """Training plus inference FLOPs."""
        return self.training_flops + self.inference_flops

    @property
    def tokens_per_parameter(self) -> float:
        """D_train / N."""
        return self.n_tokens / self.n_params


@checks_overflow
def lifetime_flops(n_params: ArrayLike, n_tokens: ArrayLike,
                   inference_tokens: ArrayLike) -> FloatOrArray:
    """Training plus inference compute of a model over its life: 6 N D_train + 2 N D_inference.

    Parameters
    ----------
    n_params
        N, parameters (count, > 0).
    n_tokens
        D_train, training tokens (count, > 0).
    inference_tokens
        D_inference, tokens served over the model's life (count, >= 0).

    Returns
    -------
    float or ndarray
        FLOPs; the three arguments broadcast.

    Examples
    --------
    >>> print(f"{lifetime_flops(7e9, 1.4e11, 1e12):.3g}")
    1.99e+22
    """
    n = as_positive_array("n_params", n_params)
    d = as_positive_array("n_tokens", n_tokens)
    served = check_nonnegative("inference_tokens", inference_tokens)
    check_broadcast(n_params=n, n_tokens=d, inference_tokens=served)
    total = FLOPS_PER_PARAM_TOKEN * n * d + FORWARD_FLOPS_PER_PARAM_TOKEN * n * served
    return scalar_or_array(total, n_params, n_tokens, inference_tokens)


def _smallest_model(law: ChinchillaLaw, loss: float) -> float:
    """The N at which A/N^alpha alone uses up all the room above E."""
    return (law.a / (loss - law.e)) ** (1.0 / law.alpha)


@checks_overflow
def inference_optimal(law: ChinchillaLaw, loss: float, inference_tokens: float) -> InferenceOptimum:
    """Minimise 6 N D_train + 2 N D_inference subject to L(N, D_train) = loss.

    Parameters
    ----------
    law
        A Chinchilla-form law.
    loss
        Target loss, nats per token; must exceed the law's E.
    inference_tokens
        Tokens to be served (>= 0); 0 gives the compute-optimal model at that loss.

    Returns
    -------
    InferenceOptimum
    """
    check_instance("law", law, ChinchillaLaw)
    from scipy.optimize import minimize_scalar

    target = single("loss", as_positive_array("loss", loss))
    if target <= law.e:
        raise ValueError(f"loss must exceed the law's irreducible loss E = {law.e}; "
                         f"got {target}")
    served = single("inference_tokens", check_nonnegative("inference_tokens", inference_tokens))
    lowest = np.log(_smallest_model(law, target))

    def log_cost(log_n: float) -> float:
        n = np.exp(log_n)
        return float(np.log(lifetime_flops(n, law.tokens_for_loss(target, n), served)))

    # The cost is infinite at the smallest model and grows like N beyond the optimum.
    result = minimize_scalar(log_cost, bounds=(lowest + 1e-9, lowest + 40.0), method="bounded",
                             options={"xatol": 1e-10})
    n = float(np.exp(result.x))
    tokens = float(law.tokens_for_loss(target, n))
    return InferenceOptimum(target, served, n, tokens, FLOPS_PER_PARAM_TOKEN * n * tokens,
                            FORWARD_FLOPS_PER_PARAM_TOKEN * n * served)


@dataclass(frozen=True)
class DemandSaving:
    """The compute-optimal model at a budget beside the cheapest model at its loss once a
    demand is served (Sardana et al.'s comparison).

    Attributes
    ----------
    baseline
        The compute-optimal model (its training FLOPs, N, D and loss).
    cheaper
        The cheapest model reaching the same loss and serving the same tokens.
    """

    baseline: ComputeOptimum
    cheaper: InferenceOptimum

    @property
    def baseline_total(self) -> float:
        """Training plus inference FLOPs of the compute-optimal model serving the demand."""
        return float(self.baseline.flops + FORWARD_FLOPS_PER_PARAM_TOKEN
                     * self.baseline.n_params * self.cheaper.inference_tokens)

    @property
    def saving_flops(self) -> float:
        """Lifetime FLOPs saved by the cheaper model."""
        return self.baseline_total - self.cheaper.total_flops

    @property
    def saving_fraction(self) -> float:
        """Fraction of the compute-optimal model's lifetime FLOPs saved."""
        return self.saving_flops / self.baseline_total


@checks_overflow
def saving_over_compute_optimal(law: ChinchillaLaw, flops: float,
                                inference_tokens: float) -> DemandSaving:
    """Compare the compute-optimal model at ``flops`` with the cheapest model that reaches
    its loss once ``inference_tokens`` are served.

    Parameters
    ----------
    law
        A Chinchilla-form law.
    flops
        Training budget of the compute-optimal model, FLOPs (> 0); it sets the target loss.
    inference_tokens
        Tokens to be served (>= 0).

    Returns
    -------
    DemandSaving
    """
    check_instance("law", law, ChinchillaLaw)
    budget = single("flops", as_positive_array("flops", flops))
    served = single("inference_tokens", check_nonnegative("inference_tokens", inference_tokens))
    baseline = law.compute_optimal(budget)
    if served == 0.0:  # the compute-optimal model itself: a saving of exactly 0
        n, d = float(baseline.n_params), float(baseline.n_tokens)
        same = InferenceOptimum(float(baseline.loss), 0.0, n, d, float(baseline.flops), 0.0)
        return DemandSaving(baseline, same)
    return DemandSaving(baseline, inference_optimal(law, float(baseline.loss), served))


@checks_overflow
def inference_optimal_within_budget(law: ChinchillaLaw, flops: float,
                                    inference_tokens: float) -> InferenceOptimum:
    """The best model to serve ``inference_tokens`` whose training costs exactly ``flops``.

    Among the models that minimise training plus inference FLOPs for some target loss
    (:func:`inference_optimal`), the one whose training FLOPs 6ND equal the budget: the
    lowest loss an inference-optimal model reaches when the training budget is fixed. It is
    smaller and trained on more tokens than the compute-optimal model at ``flops`` (the same
    model when nothing is served), so its loss is a little higher and each served token costs
    less.

    Parameters
    ----------
    law
        A Chinchilla-form law.
    flops
        Training budget, FLOPs (> 0).
    inference_tokens
        Tokens to be served (>= 0).

    Returns
    -------
    InferenceOptimum
        Its ``training_flops`` equal ``flops`` (to a relative 1e-9).

    Examples
    --------
    >>> law = ChinchillaLaw.from_registry("besiroglu2024/refit")
    >>> best = inference_optimal_within_budget(law, 3e22, 1e12)
    >>> print(f"{best.n_params:.3g} parameters, {best.training_flops:.3g} training FLOPs")
    8.49e+09 parameters, 3e+22 training FLOPs
    """
    from scipy.optimize import brentq

    check_instance("law", law, ChinchillaLaw)
    budget = single("flops", as_positive_array("flops", flops))
    served = single("inference_tokens", check_nonnegative("inference_tokens", inference_tokens))
    baseline = law.compute_optimal(budget)
    if served == 0.0:
        return saving_over_compute_optimal(law, budget, 0.0).cheaper

    def excess(log_room: float) -> float:
        """log training FLOPs over the budget, for the target loss E + e^log_room."""
        cheapest = inference_optimal(law, law.e + float(np.exp(log_room)), served)
        return float(np.log(cheapest.training_flops / budget))

    # At the compute-optimal loss the cheapest model trains longer than the budget; a higher
    # target needs less training: widen the room above E until the training fits.
    low = float(np.log(float(baseline.loss) - law.e))
    high = low
    for _ in range(200):
        high += 0.5
        if excess(high) < 0.0:
            break
    else:
        raise ValueError(f"flops {budget:g} with inference_tokens {served:g}: no model trains "
                         "within the budget")
    if excess(low) <= 0.0:  # round-off at a tiny demand: the compute-optimal model
        return saving_over_compute_optimal(law, budget, 0.0).cheaper
    room = brentq(excess, low, high, xtol=1e-13, rtol=1e-13)
    return inference_optimal(law, law.e + float(np.exp(room)), served)
