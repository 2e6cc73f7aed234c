"""Brown et al. (2020), *Language models are few-shot learners*: GPT-3's shape, training
compute and the compute curve printed in their Figure 3.1."""

from __future__ import annotations

from types import MappingProxyType

from chinchilla_lib.registry._types import (
    Constant,
    LawFamily,
    PublishedFit,
    PublishedShape,
    Source,
)

CONSTANTS: tuple[Constant, ...] = (
    Constant(
        "gpt3_training_flops", 3.14e23, "FLOPs",
        Source("brown2020language", "Appendix D, Table D.1",
               "Reported as 3.64e3 PF-days for GPT-3 175B."),
    ),
    Constant(
        "gpt3_training_pf_days", 3.64e3, "PF-days",
        Source("brown2020language", "Appendix D, Table D.1",
               "Printed as 3.64E+03 PF-days beside 3.14E+23 FLOPs; converting the rounded "
               "FLOP count gives 3,634 PF-days, so the two columns are rounded separately."),
    ),
)

FITS: tuple[PublishedFit, ...] = (
    PublishedFit("brown2020/L(C)", "L = L_c * C^(-alpha)",
                 MappingProxyType({"L_c": 2.57, "alpha": 0.048}),
                 "C, PF-days", "validation loss, nats per token",
                 Source("brown2020language", "Figure 3.1",
                        "Printed inside the figure, with no additive constant; the same curve "
                        "as Henighan et al.'s Table 1 language L(C), since "
                        "(3.47e8)^0.048 = 2.57."),
                 family=LawFamily.POWER_LAW_DECAY, symbols={"k": "L_c"},
                 fitted_to="brown2020language"),
)

ARCHITECTURES: tuple[PublishedShape, ...] = (
    PublishedShape(
        "GPT-3 175B",
        MappingProxyType({"n_layer": 96, "d_model": 12288, "n_heads": 96, "vocab_size": 50257,
                          "n_ctx": 2048, "learned_positions": True, "tied_embeddings": True}),
        Source("brown2020language", "Table 2.1 (shape); Section 2.1 (tokenizer and context)",
               "Vocabulary of GPT-2's byte-level BPE (Radford et al. 2019); d_ff = 4 d_model."),
    ),
)
