"""The real thing: scaling laws from training runs the reader makes on a CPU.

A synthetic language whose entropy rate is known exactly
(:mod:`~chinchilla_lib.experiment.language`) and a NumPy next-token model with its trainer
(:mod:`~chinchilla_lib.experiment.trainer`), and IsoFLOP sweeps of it
(:mod:`~chinchilla_lib.experiment.sweep`). Their public names are importable from here,
loaded on first use.
"""

from __future__ import annotations

from chinchilla_lib._lazy import attach

_EXPORTS = {
    "language": ("DEFAULT_LANGUAGE", "ToyLanguage", "entropy_rate", "stationary_distribution"),
    "sweep": ("SWEEP_BUDGETS", "WIDTHS_PER_BUDGET", "PlannedRun", "guess_optimal_width",
              "plan_sweep", "run_sweep"),
    "trainer": ("ADAM_BETAS", "BATCH_SIZE", "FINAL_LR_FRACTION", "LR_COEFFICIENT", "MAX_TOKENS",
                "MAX_WIDTH", "WARMUP_FRACTION", "NextTokenModel", "TrainingRun",
                "learning_rate", "peak_learning_rate", "train"),
}

__getattr__, __dir__, __all__ = attach(__name__, _EXPORTS)
