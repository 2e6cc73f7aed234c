"""Zhai et al. (2022), *Scaling vision transformers*: the fitted frontiers of ImageNet error
against compute of their Figure 2, and ViT-G/14's accuracy."""

from __future__ import annotations

from types import MappingProxyType

from chinchilla_lib.registry._types import Constant, LawFamily, PublishedFit, Source

_ZHAI_FIG2 = Source(
    "zhai2022scaling", "Figure 2 (left and centre), fitted frontiers of ImageNet error",
    "E = c + a (C + d)^-b with C in TPUv3 core-days (the unit is stated in Section 2). The "
    "constants were read in a third-party note on the paper, not in the figure itself. Kept "
    "secondary (checked again for issue 13): they are printed inside the figure's panels, "
    "which the text copies of the paper we could read do not reproduce.",
    "secondary")

FITS: tuple[PublishedFit, ...] = (
    PublishedFit("zhai2022/finetune", "E = c + a (C + d)^-b",
                 MappingProxyType({"c": 0.09, "a": 0.26, "d": 0.01, "b": 0.35}),
                 "C, TPUv3 core-days", "ImageNet fine-tuning error (fraction)", _ZHAI_FIG2,
                 family=LawFamily.DOUBLE_SATURATING, fitted_to="zhai2022scaling"),
    PublishedFit("zhai2022/10shot", "E = c + a (C + d)^-b",
                 MappingProxyType({"c": 0.12, "a": 0.63, "d": 0.52, "b": 0.32}),
                 "C, TPUv3 core-days", "ImageNet 10-shot linear error (fraction)", _ZHAI_FIG2,
                 family=LawFamily.DOUBLE_SATURATING, fitted_to="zhai2022scaling"),
)
"""The frontiers of fine-tuning error and of 10-shot linear error (c is the floor, a the
coefficient, d the shift of the compute axis, b the exponent)."""

CONSTANTS: tuple[Constant, ...] = (
    Constant("zhai_vitg_finetune_accuracy", 0.9045, "accuracy (fraction)",
             Source("zhai2022scaling", "Abstract", "ViT-G/14: 90.45% top-1 on ImageNet.")),
)
