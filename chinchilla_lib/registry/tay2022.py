"""Tay et al. (2022), *Transcending scaling laws with 0.1% extra compute* (UL2R, U-PaLM): PaLM
trained further on UL2's mixture of denoising objectives, and the compute saving they report.

Read in a text copy of the paper (the EMNLP 2023 version of arXiv:2210.11399); re-read in the
issue-15 review in a second full-text copy (Sections 2.3, 2.4 and 3.1, Figure 2's caption).
"""

from __future__ import annotations

from chinchilla_lib.registry._types import Constant, Source

_KEY = "tay2022transcending"
_TRAINING = Source(_KEY, "Section 2.4",
                   "'We train the 540B model for a total of 20k steps with a batch size of 32 "
                   "... approximately 1.3 billion [extra tokens] which constitutes 0.16% extra "
                   "computation, as the original PaLM model was pretrained on 780B tokens.'")
_FIGURE2 = Source(_KEY, "Figure 2 caption",
                  "'PaLM 540B trained for 2500 zFLOPs (right most point) took 2.35 times of the "
                  "computation cost of U-PaLM 540B trained for 1075 zFLOPs, while both models "
                  "are comparable in terms of performance on zero/few shot on NLP tasks.' "
                  "(1 zFLOP = 1e21 FLOPs.)")

CONSTANTS: tuple[Constant, ...] = (
    Constant("tay_upalm_compute_saving", 2.0, "times less training compute",
             Source(_KEY, "Abstract; Section 3.1 ('Savings Rate')",
                    "'an approximately 2x computational savings rate where U-PaLM achieves the "
                    "same performance as the final PaLM 540B model at around half its "
                    "computational budget': measured on the average of 26 zero- and few-shot "
                    "tasks, at the middle PaLM checkpoint, not on a loss.")),
    Constant("tay_upalm_tpu_hours_saved", 4.4e6, "TPUv4 chip-hours",
             Source(_KEY, "Abstract; Section 3.1",
                    "'saving ~4.4 million TPUv4 hours'.")),
    Constant("tay_upalm_steps", 20_000.0, "steps", _TRAINING),
    Constant("tay_upalm_batch_size", 32.0, "sequences per batch", _TRAINING),
    Constant("tay_upalm_sequence_length", 2048.0, "tokens per sequence",
             Source(_KEY, "Section 2.2",
                    "'a total combined sequence length of 2048 (e.g., PaLM's sequence "
                    "length)', split into 1024 inputs and 1024 targets.")),
    Constant("tay_upalm_extra_tokens", 1.3e9, "tokens", _TRAINING),
    Constant("tay_upalm_extra_compute_fraction", 0.0016, "fraction of PaLM's training compute",
             _TRAINING),
    Constant("tay_upalm_palm_zflops", 2500.0, "zFLOPs (1e21 FLOPs)", _FIGURE2),
    Constant("tay_upalm_upalm_zflops", 1075.0, "zFLOPs (1e21 FLOPs)", _FIGURE2),
    Constant("tay_upalm_figure2_ratio", 2.35, "times", _FIGURE2),
)
