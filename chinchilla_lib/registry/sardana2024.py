"""Sardana et al. (2024), *Beyond Chinchilla-optimal*: the constants of their calculations
and the example of their Figure 1."""

from __future__ import annotations

from types import MappingProxyType

from chinchilla_lib.registry._types import Constant, LawFamily, PublishedFit, Source

CONSTANTS: tuple[Constant, ...] = (
    Constant("sardana_example_params", 13e9, "parameters",
             Source("sardana2024beyond", "Figure 1 caption",
                    "Read in faithful quotations of the caption, not in the paper itself: the "
                    "stored copies of the paper (arXiv HTML v1 and v2, the PMLR PDF) could be read "
                    "only from their opening, which stops before the caption (checked for "
                    "issue 13).",
                    "secondary")),
    Constant("sardana_example_inference_tokens", 2e12, "tokens",
             Source("sardana2024beyond", "Figure 1 caption",
                    "Read in a faithful quotation of the caption.", "secondary")),
    Constant("sardana_example_saving_flops", 1.7e22, "FLOPs",
             Source("sardana2024beyond", "Figure 1 caption",
                    "'reduce their total compute by 1.7 x 10^22 FLOPs (17%) by instead training "
                    "a 7B model'; read in a faithful quotation of the caption.", "secondary")),
    Constant("sardana_example_saving_fraction", 0.17, "fraction",
             Source("sardana2024beyond", "Figure 1 caption",
                    "Read in a faithful quotation of the caption.", "secondary")),
    Constant("sardana_example_smaller_params", 7e9, "parameters",
             Source("sardana2024beyond", "Figure 1 caption",
                    "'by instead training a 7B model on more data'; read in faithful "
                    "quotations of the caption.", "secondary")),
    Constant("sardana_max_tokens_per_param", 10_000.0, "tokens per parameter",
             Source("sardana2024beyond", "Abstract (v2)",
                    "'tokens per parameter to extreme ranges (up to 10,000)'.")),
)

FITS: tuple[PublishedFit, ...] = (
    PublishedFit("sardana2024/constants", LawFamily.CHINCHILLA.form,
                 MappingProxyType({"E": 1.69, "A": 406.4, "B": 410.7, "alpha": 0.336,
                                   "beta": 0.283}),
                 "N, parameters (embeddings included); D, tokens",
                 "loss, nats per token (MassiveText)",
                 Source("sardana2024beyond", "Authors' code (utils.py, ChinchillaConstants)",
                        "The constants the paper's calculations use, described as Chinchilla's; "
                        "the exponents differ from the 0.34 and 0.28 printed by Hoffmann et al."),
                 family=LawFamily.CHINCHILLA),
)
