"""Trained models reported after Hoffmann et al.'s Table 1: the Llama families and PaLM,
each with its parameters and training tokens as its own paper or model card prints them.

Each model has one name across the registry: the first LLaMA family is named "Llama 1", as
Meta later named it beside Llama 2 and 3 (its paper says "LLaMA")."""

from __future__ import annotations

from chinchilla_lib.registry._types import Source, TrainedModel

_LLAMA = Source("touvron2023llama", "Table 2",
                "Parameters as printed in Table 2 (the text rounds 32.5B to 33B).")
_LLAMA2 = Source("touvron2023llama2", "Table 1",
                 "Nominal sizes as printed; the Llama 3 paper later gives 1.8T tokens for "
                 "Llama 2, the Llama 2 paper 2.0T.")
_LLAMA3_CARD = Source("meta2024llama3", "Model card, 'Token count'",
                      "The card says '15T+' (over 15 trillion): 15e12 is a lower bound.")
_PALM = Source("chowdhery2022palm", "Table 1 (parameters); Section 3 (780B tokens, one epoch)")

MODELS: tuple[TrainedModel, ...] = (
    TrainedModel("Llama 1 7B", 6.7e9, 1.0e12, _LLAMA, "touvron2023llama"),
    TrainedModel("Llama 1 13B", 13.0e9, 1.0e12, _LLAMA, "touvron2023llama"),
    TrainedModel("Llama 1 33B", 32.5e9, 1.4e12, _LLAMA, "touvron2023llama"),
    TrainedModel("Llama 1 65B", 65.2e9, 1.4e12, _LLAMA, "touvron2023llama"),
    TrainedModel("Llama 2 7B", 7e9, 2.0e12, _LLAMA2, "touvron2023llama2"),
    TrainedModel("Llama 2 13B", 13e9, 2.0e12, _LLAMA2, "touvron2023llama2"),
    TrainedModel("Llama 2 34B", 34e9, 2.0e12, _LLAMA2, "touvron2023llama2"),
    TrainedModel("Llama 2 70B", 70e9, 2.0e12, _LLAMA2, "touvron2023llama2"),
    TrainedModel("Llama 3 8B", 8e9, 15e12, _LLAMA3_CARD, "meta2024llama3"),
    TrainedModel("Llama 3 70B", 70e9, 15e12, _LLAMA3_CARD, "meta2024llama3"),
    TrainedModel("Llama 3 405B", 405e9, 15.6e12,
                 Source("dubey2024llama", "Section 1 ('Scale')"), "dubey2024llama"),
    TrainedModel("PaLM 8B", 8.63e9, 780e9, _PALM, "chowdhery2022palm"),
    TrainedModel("PaLM 62B", 62.50e9, 780e9, _PALM, "chowdhery2022palm"),
    TrainedModel("PaLM 540B", 540.35e9, 780e9, _PALM, "chowdhery2022palm"),
)
"""Later models, in the order of their families (Llama 1, 2 and 3, then PaLM)."""
