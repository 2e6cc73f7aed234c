"""Zhou et al. (2023), *LIMA: Less Is More for Alignment*: how few fine-tuning examples sufficed
to align a pre-trained model."""

from __future__ import annotations

from chinchilla_lib.registry._types import Constant, Source

CONSTANTS: tuple[Constant, ...] = (
    Constant("lima_training_examples", 1000, "prompt-response pairs",
             Source("zhou2023lima", "Abstract",
                    "LIMA, 'a 65B parameter LLaMa language model fine-tuned with the standard "
                    "supervised loss on only 1,000 carefully curated prompts and responses'. "
                    "Read in the abstract on the NeurIPS 2023 proceedings page.")),
)
