"""Jiang et al. (2024), *Mixtral of experts*: Mixtral 8x7B's shape and parameter counts."""

from __future__ import annotations

from types import MappingProxyType

from chinchilla_lib.registry._types import Constant, PublishedShape, Source

CONSTANTS: tuple[Constant, ...] = (
    Constant(
        "mixtral_total_params", 47e9, "parameters",
        Source("jiang2024mixtral", "Abstract", "Rounded to the billion in the source."),
    ),
    Constant(
        "mixtral_active_params", 13e9, "parameters",
        Source("jiang2024mixtral", "Abstract",
               "Parameters used per token (two of eight experts); rounded in the source."),
    ),
)

ARCHITECTURES: tuple[PublishedShape, ...] = (
    PublishedShape(
        "Mixtral 8x7B",
        MappingProxyType({"n_layer": 32, "d_model": 4096, "n_heads": 32, "n_kv_heads": 8,
                          "head_dim": 128, "d_ff": 14336, "vocab_size": 32000,
                          "n_ctx": 32768, "gated_mlp": True, "n_experts": 8,
                          "experts_per_token": 2, "tied_embeddings": False}),
        Source("jiang2024mixtral", "Table 1",
               "SwiGLU experts as in Mistral 7B; rotary positions, so no position table."),
    ),
)
