"""Villalobos et al. (2024), *Will we run out of data?*: the stock of public human text and
the years in which training sets are projected to reach it.

Read in a text copy of the ICML 2024 paper (PMLR 235). The paper states its intervals as 95%
intervals for the stocks of its Table 1; the years are given as a range ("between 2026 and
2032") whose level the paper's text does not state (the authors' summary page calls it an 80%
interval). The effective stock of 2024 with its 90% interval is printed only on that summary
page (the paper's Figure 3, which draws it, is an image), hence second-hand here. The quality
adjustment's interval is read in Section 2.3.1; the repetition adjustment's lower end only in the
authors' model code (epoch2024datastock), which reproduces Table 1's raw stock and interval.
"""

from __future__ import annotations

from chinchilla_lib.registry._types import Constant, Source

_KEY = "villalobos2024will"
_TABLE1 = Source(_KEY, "Table 1 and Section 2.2.1",
                 "Raw stock of tokens on the indexed web in 2024, before the adjustments for "
                 "quality and repetition: median and 95% interval.")
_FULL_USE = Source(_KEY, "Abstract; Section 2.5; Section 5",
                   "'between 2026 and 2032' (abstract and conclusion); 'The median exhaustion "
                   "year is 2028, and by 2032 exhaustion becomes very likely' (Section 2.5). The "
                   "text does not state the range's level; the authors' summary page calls it "
                   "an 80% interval.")
_FIGURE1 = Source(_KEY, "Figure 1 and Figure 5 captions; Section 2.5",
                  "'around 4e14 tokens, corresponding to training compute of ~5e28 FLOP for "
                  "non-overtrained models': the effective stock (after the quality and "
                  "repetition adjustments) when it is fully used, in the median year.")
_SUMMARY = Source("epoch2024runout", "Results",
                  "'on the order of 300 trillion tokens, with a 90% confidence interval of 100T "
                  "to 1000T', the effective stock (quality- and repetition-adjusted). Read on "
                  "the authors' summary page (in a copy), not in the paper's text, whose "
                  "Figure 3 draws it as an image. A note reading that figure gives 320T [95%: "
                  "65T, 1700T]; a Monte Carlo run of the authors' model code (epoch2024datastock) "
                  "gives the same, and 84T to 1270T at 90%, which the page rounds.", "secondary")

_QUALITY = Source(_KEY, "Section 2.3.1",
                  "'we believe with 95% certainty that between 10% and 40% of deduplicated web "
                  "data can be used for training without significantly compromising "
                  "performance': the quality adjustment, a lognormal factor with this 95% "
                  "interval (the model code draws it as sq.to(0.1, 0.4)).")
_CODE = Source("epoch2024datastock", "src/stock_adjust.py (max_repetition_scaling)",
               "The authors' model code draws the gain from repetition as a lognormal factor "
               "sq.to(2, 5), a 95% interval ('Max amount of effective data increase from "
               "repetition', endpoints from Muennighoff et al.). The paper's text (Section "
               "2.3.2) reduces the upper extreme of Muennighoff et al.'s 3x-15x 'to 5x' and "
               "states no lower end. The same code gives Table 1's 510T [130T, 2100T] for the "
               "raw stock, and with these factors a median effective stock near the summary "
               "page's 300T, so 5x is the top of the repetition gain, not a fixed credit.")

CONSTANTS: tuple[Constant, ...] = (
    Constant("villalobos_indexed_web_tokens", 510e12, "tokens", _TABLE1),
    Constant("villalobos_indexed_web_tokens_low", 130e12, "tokens", _TABLE1),
    Constant("villalobos_indexed_web_tokens_high", 2100e12, "tokens", _TABLE1),
    Constant("villalobos_effective_stock_tokens", 300e12, "tokens", _SUMMARY),
    Constant("villalobos_effective_stock_tokens_low", 100e12, "tokens", _SUMMARY),
    Constant("villalobos_effective_stock_tokens_high", 1000e12, "tokens", _SUMMARY),
    Constant("villalobos_stock_at_full_use_tokens", 4e14, "tokens", _FIGURE1),
    Constant("villalobos_compute_at_full_use", 5e28, "FLOPs", _FIGURE1),
    Constant("villalobos_tokens_per_parameter", 20.0, "tokens per parameter",
             Source(_KEY, "Section 2.4 (Eq. 3)",
                    "'20 is the approximate number of training tokens per parameter according "
                    "to Hoffmann et al. (2022)': the compute-optimal ratio of their projection.")),
    Constant("villalobos_full_use_year_median", 2028.0, "year", _FULL_USE),
    Constant("villalobos_full_use_year_low", 2026.0, "year", _FULL_USE),
    Constant("villalobos_full_use_year_high", 2032.0, "year", _FULL_USE),
    Constant("villalobos_overtraining_factor", 5.0, "times the compute-optimal D/N",
             Source(_KEY, "Section 2.5 (footnote 23)",
                    "'overtraining by 5x to be a reasonable choice': D/N five times that of a "
                    "compute-optimal model.")),
    Constant("villalobos_overtrained_years_earlier", 1.0, "years",
             Source(_KEY, "Section 2.5",
                    "5x over-training 'would result in a data bottleneck one year earlier'; the "
                    "conclusion says 'one or two years earlier'.")),
    Constant("villalobos_epoch_multiplier", 5.0, "times the unique stock",
             Source(_KEY, "Section 2.3.2",
                    "Muennighoff et al.'s maximum gain from repeated epochs, 'between 3x and "
                    "15x'; the upper extreme is reduced 'to 5x' because it 'would require a very "
                    "inefficient training procedure'. The authors' model code draws the factor "
                    "between 2x and 5x (95% interval, median about 3.2x), so 5x is the top of "
                    "the adjustment, not the factor behind the median effective stock.")),
    Constant("villalobos_model_quality_share_low", 0.1, "share of the raw stock", _QUALITY),
    Constant("villalobos_model_quality_share_high", 0.4, "share of the raw stock", _QUALITY),
    Constant("villalobos_model_repetition_low", 2.0, "times the quality-adjusted stock", _CODE),
    Constant("villalobos_model_repetition_high", 5.0, "times the quality-adjusted stock", _CODE),
    Constant("villalobos_largest_dataset_tokens", 10e12, "tokens",
             Source(_KEY, "Section 2.4",
                    "'the largest datasets used today, which are typically around 10T "
                    "tokens'.")),
    Constant("villalobos_llama3_70b_tokens_per_parameter", 214.0, "tokens per parameter",
             Source(_KEY, "Appendix F (footnote 36)",
                    "'Llama 3 has 70B parameters and was trained on 15T tokens, so it has 214 "
                    "tokens per parameter'.")),
)
