"""Gadre et al. (2024), *Language models scale reliably with over-training and on
downstream tasks*: the runs of their abstract."""

from __future__ import annotations

from chinchilla_lib.registry._types import Constant, Source

CONSTANTS: tuple[Constant, ...] = (
    Constant("gadre_max_multiplier", 640.0, "tokens per parameter",
             Source("gadre2024language", "Authors' code and README",
                    "Token multipliers M from 5 to 640: up to 32 times Chinchilla's 20.")),
    Constant("gadre_overtrained_params", 1.4e9, "parameters",
             Source("gadre2024language", "Abstract",
                    "'a 1.4B parameter, 900B token run (i.e., 32x over-trained)'.")),
    Constant("gadre_overtrained_tokens", 900e9, "tokens", Source("gadre2024language", "Abstract")),
    Constant("gadre_large_params", 6.9e9, "parameters",
             Source("gadre2024language", "Abstract", "'a 6.9B parameter, 138B token run'.")),
    Constant("gadre_large_tokens", 138e9, "tokens", Source("gadre2024language", "Abstract")),
    Constant("gadre_loss_compute_saving", 300.0, "times less compute",
             Source("gadre2024language", "Abstract",
                    "Both losses predicted 'from experiments that take 300x less compute'.")),
    Constant("gadre_error_compute_saving", 20.0, "times less compute",
             Source("gadre2024language", "Abstract",
                    "Top-1 error averaged over downstream tasks predicted for the same two runs "
                    "'using experiments that take 20x less compute'.")),
)
