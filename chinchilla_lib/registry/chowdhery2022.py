"""Chowdhery et al. (2022), *PaLM*: the model FLOPs utilisation of PaLM 540B."""

from __future__ import annotations

from chinchilla_lib.registry._types import Constant, Source

CONSTANTS: tuple[Constant, ...] = (
    Constant(
        "palm_540b_model_flops_utilisation", 0.462, "fraction of peak",
        Source("chowdhery2022palm", "Section 4.1 (training efficiency), Table 3",
               "Model FLOPs utilisation of PaLM 540B on TPU v4, the highest the paper reports "
               "for models of its time. Read in restatements of the paper (not in its text "
               "here).", "secondary"),
    ),
)
