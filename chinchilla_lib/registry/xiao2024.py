"""Xiao et al. (2024), *Densing law of LLMs*: the densing law's slope and doubling
times, its corollaries, the reference models, and the dates it counts from."""

from __future__ import annotations

from datetime import date

from chinchilla_lib.registry._types import Constant, Source

_XIAO_HIGHLIGHTS = Source(
    "xiao2024densing", "Highlights box and Figure 1 (arXiv v2)",
    "'A ≈ 0.007 with R2 ≈ 0.93', density doubling about every 3.3 months. Section 3.3 gives "
    "0.0073, R^2 = 0.912 and 95 days for what it describes as the same fit; the journal "
    "version (2025) reports 3.5 months on a larger set of models (not read here).")
_XIAO_S33 = Source("xiao2024densing", "Section 3.3 and Section 1 (arXiv v2)",
                   "Fit of ln(rho_max) = A t + B, t in days since Llama-1's release; B is not "
                   "printed.")
_XIAO_S34 = Source("xiao2024densing", "Section 3.4 (arXiv v2)",
                   "Corollaries: MMLU-only density slopes before and after ChatGPT's release; "
                   "API prices of the cheapest model beating GPT-3.5.")
_XIAO_REFERENCE_MODELS = Source(
    "xiao2024densing",
    "Reference models' table (Hugging Face card openbmb/DensingLaw-ScalingModels, Table 1)",
    "The authors' card for the reference family: six models, 0.005B (5,247,232 parameters) "
    "to 0.8B (828,225,024 parameters), trained on one corpus.")

CONSTANTS: tuple[Constant, ...] = (
    Constant("xiao_densing_slope", 0.007, "per day", _XIAO_HIGHLIGHTS),
    Constant("xiao_densing_r2", 0.93, "R^2", _XIAO_HIGHLIGHTS),
    Constant("xiao_doubling_months", 3.3, "months", _XIAO_HIGHLIGHTS),
    Constant("xiao_densing_slope_s33", 0.0073, "per day", _XIAO_S33),
    Constant("xiao_densing_r2_s33", 0.912, "R^2", _XIAO_S33),
    Constant("xiao_doubling_days_s33", 95.0, "days", _XIAO_S33),
    Constant("xiao_models_evaluated", 29.0, "models", _XIAO_S33),
    Constant("xiao_reference_tokens", 1e12, "tokens", Source(
        "xiao2024densing", "Section 2.4",
        "D0 = 1T tokens, the training data at which effective sizes are read off (arXiv v2; "
        "a note on the journal version says 5T, unchecked).")),
    Constant("xiao_chip_doubling_years", 2.1, "years", Source(
        "xiao2024densing", "Section 3.4 (arXiv v2)",
        "Price-performance of chips doubling about every 2.1 years, which the paper takes "
        "from Hobbhahn et al. (2023).")),
    Constant("xiao_slope_before_chatgpt", 0.0048, "per day", _XIAO_S34),
    Constant("xiao_slope_after_chatgpt", 0.0073, "per day", _XIAO_S34),
    Constant("xiao_price_gpt35_dec2022", 20.0, "US dollars per million tokens", _XIAO_S34),
    Constant("xiao_price_gemini15flash_aug2024", 0.075, "US dollars per million tokens",
             _XIAO_S34),
    Constant("xiao_price_reduction", 266.7, "factor", _XIAO_S34),
    Constant("xiao_price_halving_months", 2.6, "months", _XIAO_S34),
    Constant("xiao_effective_size_doubling_days", 88.0, "days", _XIAO_S34),
    Constant("xiao_journal_doubling_months", 3.5, "months", Source(
        "xiao2025densing", "Abstract",
        "Read only in verbatim copies of the journal abstract (a bibliographic record and a "
        "forum post quoting it); nature.com itself is not stored, and the journal's body, "
        "model list and fitted constants were not read here.", "secondary")),
    Constant("xiao_reference_models", 6.0, "models", _XIAO_REFERENCE_MODELS),
    Constant("xiao_reference_smallest_params", 5_247_232.0, "parameters", _XIAO_REFERENCE_MODELS),
    Constant("xiao_reference_largest_params", 828_225_024.0, "parameters",
             _XIAO_REFERENCE_MODELS),
)


LLAMA1_RELEASE = date(2023, 2, 24)
"""Day LLaMA (Llama-1) was announced: t = 0 of Xiao et al.'s densing law (they say only
'February 2023'; the day is the announcement's, not checked in a stored copy)."""

XIAO_PRICE_MONTHS: tuple[date, date] = (date(2022, 12, 1), date(2024, 8, 1))
"""The months of Xiao et al.'s price comparison (Section 3.4, arXiv v2): GPT-3.5 in December
2022, Gemini 1.5 Flash in August 2024. The paper gives months, not days; the first of the
month stands in for the day."""
