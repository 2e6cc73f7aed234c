"""Silver et al. (2017), *Mastering the game of Go without human knowledge*: AlphaGo Zero's
strength with its tree search and without it."""

from __future__ import annotations

from chinchilla_lib.registry._types import Constant, Source

_AGZ_FIG6B = Source(
    "silver2017mastering", "Figure 6b and its description in the text ('Final performance')",
    "Elo ratings from internal tournaments: the raw neural network choosing moves without any "
    "lookahead, and the full AlphaGo Zero (the same network inside its tree search). Read in "
    "a verbatim quotation of the paper's text (a comment by G. Branwen on LessWrong), not in "
    "the journal copy, hence secondary.",
    "secondary")

CONSTANTS: tuple[Constant, ...] = (
    Constant("alphago_zero_elo", 5185.0, "Elo", _AGZ_FIG6B),
    Constant("alphago_zero_raw_network_elo", 3055.0, "Elo", _AGZ_FIG6B),
)
"""AlphaGo Zero with and without search (Silver et al. 2017, Figure 6b)."""
