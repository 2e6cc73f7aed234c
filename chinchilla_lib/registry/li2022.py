"""Li et al. (2022), *Competition-level code generation with AlphaCode*: its ranking."""

from __future__ import annotations

from chinchilla_lib.registry._types import Constant, Source

CONSTANTS: tuple[Constant, ...] = (
    Constant("alphacode_percentile_rank", 0.543, "fraction of participants (top)",
             Source("li2022competition", "Abstract (arXiv:2203.07814)",
                    "'Top 54.3%' in competitions with more than 5,000 participants.")),
)
