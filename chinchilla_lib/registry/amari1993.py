"""Amari and Murata (1993), *Statistical theory of learning curves under entropic loss
criterion*: the excess entropic loss of a regular model falls as m / (2t)."""

from __future__ import annotations

from chinchilla_lib.registry._types import Constant, Source

CONSTANTS: tuple[Constant, ...] = (
    Constant("amari_murata_entropic_loss_exponent", -1.0, "exponent",
             Source("amari1993statistical", "Abstract",
                    "The generalisation error (entropic loss) converges to the entropy H0 of "
                    "the true machine as H0 + m*/(2t), the training error as H0 - m*/(2t), with "
                    "t examples and m* the model's complexity (its number of parameters m "
                    "when the model contains the truth), for any regular machine under "
                    "maximum likelihood. Read in the abstract as reproduced by a "
                    "bibliographic database.")),
)
