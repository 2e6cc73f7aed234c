"""Gunasekar et al. (2023), *Textbooks are all you need* (phi-1): size, data and
HumanEval scores."""

from __future__ import annotations

from chinchilla_lib.registry._types import Constant, Source

CONSTANTS: tuple[Constant, ...] = (
    Constant("phi1_params", 1.3e9, "parameters",
             Source("gunasekar2023textbooks", "Abstract")),
    Constant("phi1_unique_tokens", 7e9, "tokens",
             Source("gunasekar2023textbooks", "Section 2",
                    "About 6B filtered web tokens and 1B synthetic textbook tokens.")),
    Constant("phi1_tokens_seen", 51e9, "tokens",
             Source("gunasekar2023textbooks", "Figure 2.1 caption",
                    "About 8 passes; the model card says 54B.")),
    Constant("phi1_humaneval", 0.506, "pass@1",
             Source("gunasekar2023textbooks", "Abstract; Table 1",
                    "phi-1, i.e. after fine-tuning phi-1-base on CodeExercises.")),
    Constant("phi1_base_humaneval", 0.29, "pass@1",
             Source("gunasekar2023textbooks", "Figure 2.1; Section 3",
                    "phi-1-base, before fine-tuning on CodeExercises. Read in Papers with Code's "
                    "results table for the paper and in restatements quoting it; the stored "
                    "copies of the paper could be read only up to its introduction.",
                    "secondary")),
    Constant("phi1_finetune_tokens", 180e6, "tokens",
             Source("gunasekar2023textbooks", "Section 2",
                    "'a small synthetic exercises dataset consisting of ~180M tokens' "
                    "(CodeExercises), read in notes quoting Section 2.", "secondary")),
)
