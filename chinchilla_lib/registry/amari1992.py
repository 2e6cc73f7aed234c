"""Amari, Fujita and Shinomoto (1992), *Four types of learning curves*: the asymptotic
exponents of the generalisation error against the number of training examples t."""

from __future__ import annotations

from chinchilla_lib.registry._types import Constant, Source

_ABSTRACT = "Abstract"
_NOTE = ("Read in a copy of the paper's first page (OCR). Asymptotic forms under the annealed "
         "approximation, with a the prefactor and c a floor: ")

CONSTANTS: tuple[Constant, ...] = (
    Constant("amari_unique_parameter_exponent", -1.0, "exponent",
             Source("amari1992four", _ABSTRACT,
                    _NOTE + "deterministic machine, noiseless teacher, unique correct "
                    "parameter: error ~ a t^-1.")),
    Constant("amari_finite_measure_exponent", -2.0, "exponent",
             Source("amari1992four", _ABSTRACT,
                    _NOTE + "deterministic machine, noiseless teacher, the set of correct "
                    "parameters of finite measure: error ~ a t^-2.")),
    Constant("amari_noisy_teacher_exponent", -0.5, "exponent",
             Source("amari1992four", _ABSTRACT,
                    _NOTE + "noisy teacher signals, deterministic machine: error ~ a t^-1/2.")),
    Constant("amari_stochastic_machine_exponent", -1.0, "exponent",
             Source("amari1992four", _ABSTRACT,
                    _NOTE + "noisy teacher signals, stochastic machine: error ~ c + a t^-1.")),
)
