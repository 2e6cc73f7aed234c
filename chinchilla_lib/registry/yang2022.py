"""Yang et al. (2022), *Tensor Programs V: Tuning Large Neural Networks via Zero-Shot
Hyperparameter Transfer*: the maximal-update parameterisation (muP) for Adam, as powers of a
matrix's fan-in, for the two kinds of matrix the course's toy model has (an input matrix, whose
fan-in does not grow with width, and an output matrix, whose fan-in is the width)."""

from __future__ import annotations

from chinchilla_lib.registry._types import Constant, Source

_NOTE = ("Table 3 (muP for general neural networks): rows Init. Var. and Adam LR, columns "
         "'Input weights & all biases' (Init. Var. 1/fan_in, Adam LR 1) and 'Output weights' "
         "(Init. Var. 1/fan_in^2, Adam LR 1/fan_in); stored as the power of fan_in. Read in "
         "several third-party restatements of Table 3 that agree cell by cell (code comments "
         "and reading notes that quote the table), not in the paper itself, whose stored "
         "copies show only its abstract. The authors' repository (microsoft/mup) does not "
         "print the table in its README at any stored commit; its code implements an "
         "equivalent formulation with an output multiplier (MuReadout divides the output "
         "layer's result by the width ratio; MuAdam divides the learning rate of matrix-like "
         "weights by it), consistent with these powers. The table prints orders of growth "
         "with width (constants are tuned on a base model), not values.")

CONSTANTS: tuple[Constant, ...] = tuple(
    Constant(name, value, "power of fan_in", Source("yang2022tensor", "Table 3", _NOTE,
                                                     "secondary"))
    for name, value in (
        ("mup_adam_lr_exponent_input", 0),
        ("mup_adam_lr_exponent_output", -1),
        ("mup_init_variance_exponent_input", -1),
        ("mup_init_variance_exponent_output", -2),
    )
)
