"""Wang et al. (2024), *Math-Shepherd*: a process reward model trained on step labels made
by Monte Carlo rollouts instead of people."""

from __future__ import annotations

from chinchilla_lib.registry._types import Constant, Source

_ABSTRACT = Source(
    "wang2024math", "Abstract (arXiv:2312.08935)",
    "Mistral-7B (fine-tuned on MetaMath) on GSM8K and MATH: before, after step-by-step PPO "
    "against Math-Shepherd, and after that plus re-ranking its samples with Math-Shepherd "
    "('the verification of Math-Shepherd').")

CONSTANTS: tuple[Constant, ...] = (
    Constant("math_shepherd_gsm8k_base", 0.779, "fraction of problems", _ABSTRACT),
    Constant("math_shepherd_gsm8k_ppo", 0.841, "fraction of problems", _ABSTRACT),
    Constant("math_shepherd_gsm8k_ppo_verified", 0.891, "fraction of problems", _ABSTRACT),
    Constant("math_shepherd_math_base", 0.286, "fraction of problems", _ABSTRACT),
    Constant("math_shepherd_math_ppo", 0.330, "fraction of problems", _ABSTRACT),
    Constant("math_shepherd_math_ppo_verified", 0.435, "fraction of problems", _ABSTRACT),
)
"""Math-Shepherd's headline results (Wang et al. 2024, abstract)."""
