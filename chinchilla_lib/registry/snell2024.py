"""Snell et al. (2024), *Scaling LLM test-time compute optimally*: the exchange
rate between pretraining and inference, and their headline factors."""

from __future__ import annotations

from chinchilla_lib.registry._types import Constant, Source

_SNELL_S7 = Source(
    "snell2024scaling", "Section 7, 'Defining an exchange rate between FLOPs'",
    "The three ratios R = D_inference / D_pretrain compared (R << 1, R ~ 1, R >> 1), with "
    "pretraining 6 N D and inference 2 N D FLOPs, and the multiplier M + 3 (D_pretrain / "
    "D_inference)(M - 1). Read in the paper's text: a copy of the authors' arXiv LaTeX source "
    "(Section 7: 'We conduct comparisons for 3 different values of "
    "R: 0.16 (R << 1), 0.79 (R ~ 1), and 22 (R >> 1)'); promoted from secondary for issue 13.")

CONSTANTS: tuple[Constant, ...] = (
    Constant("snell_inference_ratio_low", 0.16, "inference / pretraining tokens", _SNELL_S7),
    Constant("snell_inference_ratio_mid", 0.79, "inference / pretraining tokens", _SNELL_S7),
    Constant("snell_inference_ratio_high", 22.0, "inference / pretraining tokens", _SNELL_S7),
    Constant("snell_larger_model_factor", 14.0, "parameters ratio",
             Source("snell2024scaling", "Abstract; Section 7 and Figure 1 (right)",
                    "'Outperform a 14x larger model' in a FLOPs-matched evaluation, on "
                    "problems where the smaller model has non-trivial success rates "
                    "(abstract); Section 7 compares against 'scaling up model parameters by a "
                    "factor of ~14'. Read in the paper's text (the arXiv abstract and a copy "
                    "of the authors' LaTeX source); promoted from secondary for issue 13.")),
    Constant("snell_efficiency_over_best_of_n", 4.0, "factor",
             Source("snell2024scaling", "Abstract; Sections 5.3 and 6.2; Figure 1 caption",
                    "'More than 4x' more efficient than best-of-N (abstract); 'up to 4x less "
                    "test-time compute' for search (16 against 64 generations, Section 5.3) "
                    "and for revisions (64 against 256 samples, Section 6.2); Section 8 says "
                    "2-4x. Read in the paper's text (the arXiv abstract and a copy of the "
                    "authors' LaTeX source); promoted from secondary for issue 13.")),
)
