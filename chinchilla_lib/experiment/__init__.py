"""The real thing: scaling laws from training runs the reader makes on a CPU.

A synthetic language whose entropy rate is known exactly
(:mod:`~chinchilla_lib.experiment.language`) and a NumPy next-token model with its trainer
(:mod:`~chinchilla_lib.experiment.trainer`), IsoFLOP sweeps of it
(:mod:`~chinchilla_lib.experiment.sweep`), the course's reference sweep, shipped with the
library (:mod:`~chinchilla_lib.experiment.reference`), the compute-allocation challenge
(:mod:`~chinchilla_lib.experiment.challenge`), and the design of the next runs to train
(:mod:`~chinchilla_lib.experiment.design`). Their public names are importable from here,
loaded on first use.
"""

from __future__ import annotations

from chinchilla_lib._lazy import attach

_EXPORTS = {
    "challenge": ("DEFAULT_BUDGET", "TARGET_FACTOR", "BudgetExceededError", "ChallengeSession",
                  "Grade", "Prediction", "RealTrainer", "ReferenceSweep", "ReplayTrainer",
                  "diagnose", "grade", "isoflop_grid", "play_design", "predict_optimum",
                  "select_design",
                  "simulated_reference"),
    "design": ("DESIGN_BUDGET_COUNTS", "DESIGN_SIZES", "DESIGN_SPANS", "DESIGN_WIDTHS",
               "FINALISTS", "MAX_NOISE", "MAX_SIMULATIONS", "NAIVE_DESIGN", "PRIOR_FIT",
               "PRIOR_NOISE", "SCREEN_SIMULATIONS", "SIMULATIONS", "ExperimentDesign",
               "IsoFlopDesign", "NoptForecast", "design_experiment", "design_runs",
               "forecast_n_opt"),
    "language": ("DEFAULT_LANGUAGE", "ToyLanguage", "entropy_rate", "stationary_distribution"),
    "reference": ("CURVE_COLUMNS", "SWEEP_COLUMNS", "curves_csv", "reference_curves",
                  "reference_sweep", "sweep_csv"),
    "sweep": ("SWEEP_BUDGETS", "WIDTHS_PER_BUDGET", "PlannedRun", "guess_optimal_width",
              "plan_sweep", "run_sweep", "tokens_for_budget"),
    "tuning": ("LR_SWEEP_RATES", "LR_SWEEP_TOKENS", "LR_SWEEP_WIDTHS", "SCHEDULE_STUDY",
               "ScheduleCurve", "ScheduleLawCheck", "check_schedule_law",
               "optimal_learning_rates", "reference_lr_sweep", "reference_schedule_curves",
               "run_lr_sweep", "run_schedule_curves", "WSD_STUDY", "WSDBranches", "WSDStudy",
               "reference_wsd_study", "run_wsd_study", "wsd_branches"),
    "trainer": ("ADAM_BETAS", "BATCH_SIZE", "DEFAULT_SCHEDULE", "FINAL_LR_FRACTION",
                "LR_COEFFICIENT", "MAX_TOKENS", "MAX_WIDTH", "MUP_BASE_WIDTH",
                "PARAMETERISATIONS", "WARMUP_FRACTION", "NextTokenModel", "TrainingRun",
                "TrainingState", "advance", "layer_learning_rates", "learning_rate",
                "peak_learning_rate", "start_training", "train"),
}

__getattr__, __dir__, __all__ = attach(__name__, _EXPORTS)
