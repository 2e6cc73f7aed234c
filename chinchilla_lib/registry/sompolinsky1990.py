"""Sompolinsky, Tishby and Seung (1990), *Learning from examples in large neural networks*:
the statistical-mechanics learning curve of smooth networks."""

from __future__ import annotations

from chinchilla_lib.registry._types import Constant, Source

CONSTANTS: tuple[Constant, ...] = (
    Constant("sompolinsky_smooth_network_exponent", -1.0, "exponent",
             Source("sompolinsky1990learning", "Abstract",
                    "'When the training error is a smooth function of continuously varying "
                    "weights, the generalization error falls off asymptotically as the inverse "
                    "number of examples.' With discrete weights it can instead jump to perfect "
                    "generalisation. Read in the abstract on Princeton University's research "
                    "portal.")),
)
