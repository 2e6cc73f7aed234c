"""Scaling laws, one module per family (power laws, Kaplan, Chinchilla, broken power laws,
beyond-Chinchilla laws, densing, ...). Each law is an immutable object with a vectorised
``loss(...)`` and, where defined, ``compute_optimal(C)``; pure maths, no data.

Every public name of the submodules is importable from here, loaded on first use
(``from chinchilla_lib.laws import ChinchillaLaw`` imports only what that law needs, so SciPy
waits until a law that uses it is asked for).
"""

from __future__ import annotations

from chinchilla_lib._lazy import attach

_EXPORTS = {
    "_results": ("ComputeOptimum",),
    "annealing": ("DEFAULT_ANNEALING_DECAY", "AnnealingLaw", "annealing_area", "forward_area"),
    "batch_size": ("BatchSizeTradeoff", "examples_excess", "min_examples_from_run",
                   "min_steps_from_run"),
    "beyond": (
        "OvertrainingLaw", "PtqDegradationLaw", "allocation_compute_ratio",
        "effective_params_at_precision", "fixed_multiplier_exponent", "ptq_degradation",
        "transferred_data",
    ),
    "bnsl": ("Break", "BrokenPowerLaw"),
    "chinchilla": ("ChinchillaLaw",),
    "data_constrained": ("DataConstrainedLaw", "effective_data", "effective_params",
                         "epochs_for_effective_multiple"),
    "densing": (
        "DAYS_PER_MONTH", "REFERENCE_TOKENS", "DensingLaw", "ReferenceFamily",
        "combined_doubling_time", "days_since", "doubling_time", "months_between",
    ),
    "double_saturating": ("DoubleSaturatingPowerLaw",),
    "emergence": (
        "exact_match", "exact_match_shift_decades", "rise_width_decades",
        "token_accuracy_at_exact_match",
    ),
    "extrapolation": ("EXTRAPOLATION_FACTOR", "ExtrapolationWarning", "check_epochs",
                      "check_flops_range", "epochs_checked", "published_flops_range"),
    "henighan": ("henighan_exponents", "henighan_law", "henighan_optimal_size"),
    "hyperparameters": (
        "DEFAULT_ALLOCATION", "DEFAULT_CONTEXT", "HYPERPARAMETER_LAWS", "DeepSeekHyperparameters",
        "HyperparameterRecommendation", "HyperparameterTable", "PorianHyperparameters",
        "StepLaw", "batch_in_sequences", "deepseek_model_scale", "hyperparameter_table",
        "kaplan_batch_size",
    ),
    "inference": (
        "DemandSaving", "InferenceOptimum", "inference_optimal",
        "inference_optimal_within_budget", "lifetime_flops", "saving_over_compute_optimal",
    ),
    "kaplan": (
        "KaplanLaw", "KaplanLearningCurves", "kaplan_min_compute", "kaplan_optimal_params",
    ),
    "nonembedding": (
        "nonembedding_budget", "nonembedding_exponent_limits", "nonembedding_exponent_peak",
        "nonembedding_local_exponent",
    ),
    "power": ("PowerLaw", "PowerLawFrontier", "SaturatingPowerLaw", "local_exponent"),
    "sampling": ("CoverageLaw", "solve_rate_with_samples"),
    "schedules": ("DECAY_SHAPES", "DEFAULT_WARMUP_FRACTION", "MAX_SCHEDULE_STEPS",
                  "SCHEDULE_KINDS", "Schedule", "constant_rate", "cosine_rate", "wsd_decay_start",
                  "wsd_rate"),
    "sigmoid": ("SigmoidInLogX", "SigmoidInLoss", "logistic"),
    "train_test_tradeoff": (
        "IsoStrengthFrontier", "best_of_n_inference_ratio", "compute_multiplier_for_elo",
        "elo_per_doubling",
        "flops_matched_inference_multiplier",
    ),
    "translation": ("BleuFromLoss", "EncoderDecoderLaw", "decoder_exponent_ratio",
                    "gordon_translation_law"),
}

__getattr__, __dir__, __all__ = attach(__name__, _EXPORTS)
