"""Villalobos and Atkinson (2023), *Trading off compute in training and inference* (Epoch
AI): how many orders of magnitude of training compute extra inference compute can replace."""

from __future__ import annotations

from chinchilla_lib.registry._types import PublishedValues, Source

_TAKEAWAYS = Source(
    "villalobos2023trading", "Key takeaways (epochai.org, 28 July 2023)",
    "Relative to current models, keeping performance: increase compute per inference by 1-2 "
    "orders of magnitude (OOM) to save ~1 OOM of training compute (most language tasks); by "
    "2-3 OOM to save ~2 OOM (tasks with sequential reasoning or decomposable into subtasks); "
    "by 5-6 OOM to save 3-4 OOM (only where solutions are cheap to verify and many attempts "
    "can be made, seen in code and formal proofs); and, the other way, cut inference compute "
    "by at least ~1 OOM for 1-2 OOM more training compute. Each row: low and high inference "
    "OOM, low and high training OOM (one value written twice where the text gives one).")

EPOCH_TRADEOFF_SPANS: tuple[PublishedValues, ...] = (
    PublishedValues("villalobos2023/most language tasks", (1.0, 2.0, 1.0, 1.0),
                    "orders of magnitude (inference low, high; training low, high)", _TAKEAWAYS),
    PublishedValues("villalobos2023/sequential reasoning", (2.0, 3.0, 2.0, 2.0),
                    "orders of magnitude (inference low, high; training low, high)", _TAKEAWAYS),
    PublishedValues("villalobos2023/cheaply verifiable", (5.0, 6.0, 3.0, 4.0),
                    "orders of magnitude (inference low, high; training low, high)", _TAKEAWAYS),
)
"""Epoch AI's headline trade-off spans between inference and training compute."""
