"""Hestness et al. (2017), *Deep learning scaling is predictable, empirically*, with their
2019 restatement: learning-curve and model-size exponents."""

from __future__ import annotations

from chinchilla_lib.registry._types import Constant, LearningCurveExponent, Source

_HESTNESS_S1 = Source("hestness2017deep", "Section 1, p. 2",
                      "beta_g 'usually settles between -0.07 and -0.35'.")

CONSTANTS: tuple[Constant, ...] = (
    Constant("hestness_beta_g_shallowest", -0.07, "exponent", _HESTNESS_S1),
    Constant("hestness_beta_g_steepest", -0.35, "exponent", _HESTNESS_S1),
    Constant("hestness_theory_beta_g", -0.5, "exponent",
             Source("hestness2017deep", "Section 1, p. 2",
                    "Earlier theory: 'beta_g = -0.5 or -1'.")),
)


_HESTNESS_2019 = Source(
    "hestness2019beyond", "Table 1",
    "The authors' own restatement of the 2017 values ('as found in the prior work'); the "
    "2017 text could not be read here, so these await a check against it.", "secondary")
_HESTNESS_IMAGENET = Source("hestness2017deep", "Section 4, image classification",
                            "Quoted verbatim from the 2017 text.")

HESTNESS_EXPONENTS: tuple[LearningCurveExponent, ...] = (
    LearningCurveExponent("Machine translation (encoder-decoder, attention)",
                          "word-piece error rate", "beta_g", -0.128, _HESTNESS_2019),
    LearningCurveExponent("Word language model (LSTM)", "cross-entropy, nats per word",
                          "beta_g", -0.066, _HESTNESS_2019),
    LearningCurveExponent("Character language model (RHN)", "cross-entropy, bits per character",
                          "beta_g", -0.092, Source(
                              "hestness2019beyond", "Table 1",
                              _HESTNESS_2019.note + " Reading notes elsewhere give -0.094, "
                              "or -0.0936 (SGD) and -0.0954 (Adam).", "secondary")),
    LearningCurveExponent("Image classification (ResNet)", "top-1 error", "beta_g", -0.309,
                          _HESTNESS_IMAGENET),
    LearningCurveExponent("Image classification (ResNet)", "top-5 error", "beta_g", -0.488,
                          _HESTNESS_IMAGENET),
    LearningCurveExponent("Speech recognition (encoder-decoder, attention)",
                          "character error rate", "beta_g", -0.291, Source(
                              "hestness2019beyond", "Table 1",
                              _HESTNESS_2019.note + " Other secondary sources give -0.299 "
                              "(Deep Speech 2).", "secondary")),
    LearningCurveExponent("Machine translation (encoder-decoder, attention)", "parameters",
                          "beta_p", 0.68, _HESTNESS_2019),
    LearningCurveExponent("Word language model (LSTM)", "parameters", "beta_p", 0.68,
                          Source("hestness2019beyond", "Table 1",
                                 _HESTNESS_2019.note + " Other secondary sources give "
                                 "beta_p of about 0.72 for the word language model.",
                                 "secondary")),
    LearningCurveExponent("Character language model (RHN)", "parameters", "beta_p", 0.89,
                          _HESTNESS_2019),
    LearningCurveExponent("Image classification (ResNet)", "parameters", "beta_p", 0.57,
                          _HESTNESS_2019),
    LearningCurveExponent("Speech recognition (encoder-decoder, attention)", "parameters",
                          "beta_p", 0.54, _HESTNESS_2019),
)
"""Hestness et al.'s learning-curve (beta_g) and model-size (beta_p) exponents."""
