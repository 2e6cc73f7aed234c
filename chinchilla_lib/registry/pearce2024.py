"""Pearce and Song (2024), *Reconciling Kaplan and Chinchilla scaling laws*: the
constants of the authors' code, and the compute window over which it fits Kaplan et al.'s
frontier."""

from __future__ import annotations

from chinchilla_lib.registry._types import Constant, PublishedValues, Source

_PEARCE_CODE = Source("pearce2024reconciling",
                      "Authors' code (script_analysis_kaplan_chinchilla.py)",
                      "Read in the authors' released code; the paper's text was not read here.")

CONSTANTS: tuple[Constant, ...] = (
    Constant("pearce_embedding_coefficient", 47491.0, "parameters^(2/3)",
             Source(_PEARCE_CODE.citation, _PEARCE_CODE.location,
                    "omega in N_T = N_E + omega N_E^(1/3), fitted to Chinchilla's model "
                    "shapes (vocabulary 32,000, width/depth about 39.2).")),
    Constant("pearce_width_to_depth", 39.2, "d_model / n_layer", _PEARCE_CODE),
    Constant("pearce_vocab_size", 32000.0, "tokens", _PEARCE_CODE),
    Constant("pearce_exponent_epoch_coefficients", 0.78, "exponent",
             Source(_PEARCE_CODE.citation, "Authors' splash figure and code",
                    "Local fit of N*_E against C_E over Kaplan's range with Besiroglu et al.'s "
                    "coefficients (their code prints 0.7805).")),
    Constant("pearce_exponent_chinchilla_coefficients", 0.74, "exponent",
             Source(_PEARCE_CODE.citation, _PEARCE_CODE.location,
                    "The same fit with Hoffmann et al.'s unrounded coefficients (0.7388).")),
)

PEARCE_KAPLAN_COMPUTE_WINDOW = PublishedValues(
    "pearce_kaplan_compute_window", (12.95, 20.7), "log10 FLOPs (non-embedding compute)",
    Source(_PEARCE_CODE.citation, _PEARCE_CODE.location,
           "c_range_bounds = [12.95, 20.7]: the smallest and largest non-embedding compute "
           "C_E (as log10 FLOPs) at which the code finds the compute-optimal N*_E of models "
           "spanning Kaplan et al.'s 768 to 1.5e9 non-embedding parameters, and fits its "
           "local exponent. (The same fit in total compute uses [13.4, 20.7].)"))
"""The compute window of Kaplan et al.'s small models, as log10 FLOPs (smallest, largest)."""
