"""Lightman et al. (2023), *Let's verify step by step*: the share of MATH solved by
re-ranking with a process reward model."""

from __future__ import annotations

from chinchilla_lib.registry._types import Constant, Source

CONSTANTS: tuple[Constant, ...] = (
    Constant("lightman_prm_math_solved", 0.78, "fraction of problems",
             Source("lightman2023lets", "Abstract (arXiv:2305.20050)",
                    "A generator's samples re-ranked by a process-supervised reward model, on "
                    "'a representative subset of the MATH test set'.")),
    Constant("lightman_prm800k_step_labels", 800_000.0, "step-level labels",
             Source("lightman2023lets", "Abstract (arXiv:2305.20050)",
                    "PRM800K, 'the complete dataset of 800,000 step-level human feedback "
                    "labels used to train our best reward model'.")),
)
