"""Yang et al. (2022), *Tensor Programs V: Tuning Large Neural Networks via Zero-Shot
Hyperparameter Transfer*: the maximal-update parameterisation (muP) for Adam, as powers of a
matrix's fan-in, for the two kinds of matrix the course's toy model has (an input matrix, whose
fan-in does not grow with width, and an output matrix, whose fan-in is the width)."""

from __future__ import annotations

from chinchilla_lib.registry._types import Constant, Source

_NOTE = ("Table 3 ('muP for general neural networks'): rows Init. Var. and Adam LR, columns "
         "'Input weights & all biases' (Init. Var. 1/fan_in, Adam LR 1) and 'Output weights' "
         "(Init. Var. 1/fan_in^2, Adam LR 1/fan_in); stored as the power of fan_in. Read in the "
         "authors' restatement of the table (microsoft/mup repository, README) and in "
         "several other restatements that agree, not in the paper itself; the table prints "
         "orders of growth with width (constants are tuned on a base model), not values.")

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
