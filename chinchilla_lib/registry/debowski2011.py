"""Dębowski (2011), *Excess entropy in natural language: present state and perspectives*:
Hilberg's conjecture on the block entropy of text, as Dębowski restates it."""

from __future__ import annotations

from chinchilla_lib.registry._types import Constant, Source

CONSTANTS: tuple[Constant, ...] = (
    Constant("hilberg_block_entropy_exponent", 0.5, "exponent",
             Source("debowski2011excess", "Introduction, first paragraph",
                    "Hilberg (1990) replotted Shannon's (1951) conditional entropies of printed "
                    "English in log-log scale and conjectured that the entropy of a block of n "
                    "characters is roughly proportional to the square root of n for large n; "
                    "Dębowski adds that the conjecture was not sufficiently supported by "
                    "experiment or a rational model. A conjecture, not a measurement. Hilberg's "
                    "paper itself was not read: the value is Dębowski's restatement (ar5iv copy "
                    "of arXiv:1105.1306).", status="secondary")),
)
