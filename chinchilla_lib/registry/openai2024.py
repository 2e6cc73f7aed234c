"""OpenAI (2024), *Learning to reason with LLMs*: o1's and GPT-4o's AIME 2024 scores."""

from __future__ import annotations

from chinchilla_lib.registry._types import Constant, Source

_O1_EVALS = Source(
    "openai2024learning", "Section 'Evals', AIME 2024",
    "GPT-4o 12% (1.8/15); o1 74% with one sample, 83% by consensus of 64, 93% re-ranking 1000.")

CONSTANTS: tuple[Constant, ...] = (
    Constant("o1_aime_pass1", 0.74, "accuracy (fraction)", _O1_EVALS),
    Constant("o1_aime_consensus64", 0.83, "accuracy (fraction)", _O1_EVALS),
    Constant("o1_aime_rerank1000", 0.93, "accuracy (fraction)", _O1_EVALS),
    Constant("gpt4o_aime_pass1", 0.12, "accuracy (fraction)", _O1_EVALS),
)
