"""Muennighoff et al. (2023), *Scaling data-constrained language models*: the base fit,
the repetition constants and the worked example of the authors' README."""

from __future__ import annotations

import math
from types import MappingProxyType

from chinchilla_lib.registry._types import Constant, LawFamily, PublishedFit, Source

_MUENNIGHOFF = Source("muennighoff2023scaling", "Appendix A (after Eq. 16)",
                      "Unrounded; Eq. 17 rounds them to 15.4 and 5.3.")

_MUENNIGHOFF_README = Source(
    "muennighoff2023scaling", "Authors' README (huggingface/datablations), 'Parametric Fit'",
    "The grid-search example: a model of 8.67B parameters on 178B tokens with 25B unique tokens "
    "is better allocated as '227B tokens, 9.1 epochs, 6.8B parameters' (the README's printed "
    "output).")

CONSTANTS: tuple[Constant, ...] = (
    Constant("muennighoff_r_star_data", 15.387756, "repetitions", _MUENNIGHOFF),
    Constant("muennighoff_r_star_params", 5.309743, "repetitions", _MUENNIGHOFF),
    Constant("muennighoff_params_per_unique_token", 0.051, "parameters / token",
             Source("muennighoff2023scaling", "Appendix A, Eq. 17",
                    "U_N = U_D x 0.051: the parameters the unique data can use.")),
    Constant("muennighoff_example_params", 8.67e9, "parameters", _MUENNIGHOFF_README),
    Constant("muennighoff_example_tokens", 178e9, "tokens", _MUENNIGHOFF_README),
    Constant("muennighoff_example_unique_tokens", 25e9, "tokens", _MUENNIGHOFF_README),
    Constant("muennighoff_example_optimal_params", 6.8e9, "parameters", _MUENNIGHOFF_README),
    Constant("muennighoff_example_optimal_tokens", 227e9, "tokens", _MUENNIGHOFF_README),
    Constant("muennighoff_example_optimal_epochs", 9.1, "epochs", _MUENNIGHOFF_README),
)

_MUENNIGHOFF_LOGS = {"a": 6.255414, "b": 7.3049974, "e": 0.6254804}

FITS: tuple[PublishedFit, ...] = (
    PublishedFit("muennighoff2023/base", LawFamily.CHINCHILLA.form,
                 MappingProxyType({"E": math.exp(_MUENNIGHOFF_LOGS["e"]),
                                   "A": math.exp(_MUENNIGHOFF_LOGS["a"]),
                                   "B": math.exp(_MUENNIGHOFF_LOGS["b"]),
                                   "alpha": 0.3526596, "beta": 0.3526596}),
                 "N, parameters; D, tokens (unique)", "loss, nats per token (C4)",
                 Source("muennighoff2023scaling", "Appendix B, Eqs. 19-21",
                        "Printed as log values a = 6.255414, b = 7.3049974, e = 0.6254804 with "
                        "alpha = beta = 0.3526596 (rounded in Eq. 17 to 521, 1488, 1.87, 0.35)."),
                 family=LawFamily.CHINCHILLA, fitted_to="muennighoff2023scaling"),
)
