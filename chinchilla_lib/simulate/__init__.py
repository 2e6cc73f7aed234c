"""Data generated from a known truth, so that a reader can see whether an analysis recovers it.

Simulated training runs and noisy observations of a law (:mod:`~chinchilla_lib.simulate.runs`),
the frontier an analysis counting parameters Kaplan et al.'s way would find
(:mod:`~chinchilla_lib.simulate.frontier`), a finite benchmark scored by simulated models
(:mod:`~chinchilla_lib.simulate.emergence`), Approach 2's bias on sweeps with planned grid
offsets (:mod:`~chinchilla_lib.simulate.isoflop_bias`), how weakly a sweep determines E
(:mod:`~chinchilla_lib.simulate.pitfalls`), data pruning in a teacher-student perceptron
(:mod:`~chinchilla_lib.simulate.pruning`), and the chapter on where power laws come from: the
data-manifold argument with the scaling regimes it explains
(:mod:`~chinchilla_lib.simulate.manifold`), the quantization model and Hutter's learning curve
(:mod:`~chinchilla_lib.simulate.quanta`), the block entropies of the Markov toy language
(:mod:`~chinchilla_lib.simulate.block_entropy`) and linear regression on random features of
data with a power-law spectrum (:mod:`~chinchilla_lib.simulate.random_features`). Their public
names are importable from here, loaded on first use.
"""

from __future__ import annotations

from chinchilla_lib._lazy import attach

_EXPORTS = {
    "block_entropy": ("BlockEntropyEstimate", "hilberg_block_entropy", "markov_block_entropy",
                      "markov_block_mutual_information", "monte_carlo_block_entropy"),
    "emergence": ("BenchmarkScores", "simulate_benchmark"),
    "isoflop_bias": ("FRONTIER_FLOPS", "MAX_BIAS_REPEATS", "MAX_OFFSET", "Approach2Bias",
                     "approach2_bias", "centred_vertex_error", "offset_isoflop_runs"),
    "frontier": ("COUNTINGS", "MAX_BUDGETS", "SCALE_WINDOWS", "FrontierResult",
                 "kaplan_style_frontier"),
    "manifold": ("MANIFOLD_METHODS", "MANIFOLD_REGIMES", "MAX_MANIFOLD_DIM", "MAX_MANIFOLD_WORK",
                 "ScalingCurve", "manifold_scaling", "predicted_manifold_exponent",
                 "variance_limited_data", "variance_limited_width"),
    "noisy_quadratic": ("MAX_NQM_DIM", "MAX_NQM_WORK", "BatchSizeStudy", "NoisyQuadratic",
                        "batch_size_study"),
    "quanta": ("MAX_QUANTA", "QuantaScaling", "hutter_expected_error", "quanta_tail",
               "simulate_hutter_learning_curve", "simulate_quanta_capacity",
               "simulate_quanta_data", "zipf_frequencies"),
    "pitfalls": ("MAX_FLOOR_REPEATS", "FloorStudy", "floor_study"),
    "pruning": ("MAX_PRUNING_CELLS", "MAX_PRUNING_WORK", "PruningResult", "PruningSweep",
                "pruning_sweep", "simulate_pruning"),
    "random_features": ("MAX_ALPHA", "MAX_LATENT_DIM", "MAX_RF_WORK", "MAX_RIDGE",
                        "InterpolationBreak", "RandomFeatureCurves", "RandomFeatureExponents",
                        "interpolation_break", "power_law_spectrum", "random_feature_exponents",
                        "simulate_random_features"),
    "runs": (
        "CURVE_CHECKPOINTS", "CURVE_HORIZONS", "GRID_CENTRE_ERROR", "ISOFLOP_SIZES",
        "ISOFLOP_SPAN", "MAX_REFITS", "MAX_VALUES", "Approach2Calibration",
        "approach2_calibration", "noisy_samples",
        "noisy_samples_array", "simulate_isoflop_runs", "simulate_training_curves",
    ),
}

__getattr__, __dir__, __all__ = attach(__name__, _EXPORTS)
