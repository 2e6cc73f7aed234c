"""Radford et al. (2019), *Language models are unsupervised multitask learners*: GPT-2
small's shape."""

from __future__ import annotations

from types import MappingProxyType

from chinchilla_lib.registry._types import PublishedShape, Source

ARCHITECTURES: tuple[PublishedShape, ...] = (
    PublishedShape(
        "GPT-2 small",
        MappingProxyType({"n_layer": 12, "d_model": 768, "n_heads": 12, "vocab_size": 50257,
                          "n_ctx": 1024, "learned_positions": True, "tied_embeddings": True}),
        Source("radford2019language", "Table 2 (shape) and the authors' released code",
               "The paper lists this model as 117M parameters; the authors' README later "
               "corrected it to 124M (biases and layer norms included).")),
)
