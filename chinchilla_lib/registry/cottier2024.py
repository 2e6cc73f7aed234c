"""Cottier et al. (2024), *The rising costs of training frontier AI models*: how fast the dollar
cost of the largest training runs has grown, and what share of it is energy."""

from __future__ import annotations

from chinchilla_lib.registry._types import Constant, Source

_ABSTRACT = Source(
    "cottier2024rising", "Abstract (arXiv v2)",
    "'The amortized cost to train the most compute-intensive models has grown precipitously at "
    "a rate of 2.4x per year since 2016 (90% CI: 2.0x to 2.9x)'. The cost is the hardware "
    "(accelerators, servers, interconnect) depreciated over the final training run, plus the "
    "energy it drew. Read in the arXiv HTML of version 2; version 1 printed a 95% interval of "
    "2.0x to 3.1x around the same 2.4x.")
_SHARES = Source(
    "cottier2024rising", "Abstract (arXiv v2)",
    "'Energy consumption (2-6%)' of the development cost of key frontier models such as GPT-4 "
    "and Gemini (hardware and staff included), beside server components (15-22%) and "
    "cluster-level interconnect (9-13%). Read in the arXiv HTML of version 2.")

CONSTANTS: tuple[Constant, ...] = (
    Constant("cottier_cost_growth_per_year", 2.4, "factor per year", _ABSTRACT),
    Constant("cottier_cost_growth_per_year_low", 2.0, "factor per year (5th percentile)",
             _ABSTRACT),
    Constant("cottier_cost_growth_per_year_high", 2.9, "factor per year (95th percentile)",
             _ABSTRACT),
    Constant("cottier_cost_growth_start_year", 2016, "calendar year", _ABSTRACT),
    Constant("cottier_energy_share_low", 0.02, "fraction of development cost", _SHARES),
    Constant("cottier_energy_share_high", 0.06, "fraction of development cost", _SHARES),
)
