"""Biderman et al. (2023), *Pythia*: Pythia 1.4B's training configuration and its
LAMBADA perplexity over training."""

from __future__ import annotations

from chinchilla_lib.registry._types import Constant, PublishedCurve, Source

_PYTHIA_1P4B_CONFIG = Source(
    "biderman2023pythia",
    "Repository EleutherAI/pythia, models/1.4B/pythia-1.4b.yml (training configuration)",
    "Optimizer lr 0.0002, min_lr 0.00002, lr-decay-style cosine, lr-decay-iters and "
    "train-iters 143000, warmup 0.01 (a fraction of the training steps).")

CONSTANTS: tuple[Constant, ...] = (
    Constant("pythia_1p4b_peak_lr", 2e-4, "learning rate", _PYTHIA_1P4B_CONFIG),
    Constant("pythia_1p4b_min_lr", 2e-5, "learning rate", _PYTHIA_1P4B_CONFIG),
    Constant("pythia_1p4b_warmup_fraction", 0.01, "fraction of training steps",
             _PYTHIA_1P4B_CONFIG),
    Constant("pythia_1p4b_train_iters", 143_000.0, "steps", _PYTHIA_1P4B_CONFIG),
)


PYTHIA_LAMBADA = PublishedCurve(
    "Pythia 1.4B, LAMBADA (OpenAI version) perplexity over training",
    "training step (2,097,152 tokens each)", "LAMBADA perplexity (zero-shot)",
    (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000, 3000, 13000, 23000, 33000, 43000, 53000,
     63000, 73000, 83000, 93000, 103000, 113000, 123000, 133000, 143000),
    (3594272.663948744, 3593351.8498172723, 3548272.288782661, 3536146.0085115638,
     3728900.112075434, 3480597.4886629432, 2787681.536885712, 1549494.4726279809,
     781339.1258612323, 107340.72526192012, 1683.4353973763111, 44.178121189565175,
     13.483979056785298, 10.297987930772317, 8.993938237147697, 8.191834064467065,
     8.042928511590056, 7.33104690089673, 6.843482861905318, 6.857945348070225,
     6.707238509583033, 6.482217246525621, 6.289625381049988, 6.242541699241175,
     6.139738067270162, 6.0857145325729105),
    Source("biderman2023pythia",
           "Repository EleutherAI/pythia, evals/pythia-v1/pythia-1.4b/zero-shot/"
           "1.4b_step*.json, results.lambada_openai.ppl",
           "One file per checkpoint (lm-evaluation-harness, zero-shot). Step 0 is left out "
           "(x must be positive; it equals step 1). Read at commit a19eecb of the repository."),
    "Apache-2.0 (the repository's LICENSE); redistributed with attribution")
"""A real broken scaling curve the book can ship: Pythia 1.4B's LAMBADA perplexity at its
checkpoints, from EleutherAI's evaluation files (Chapter 7)."""
