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
    "which the text copies of the paper we could read do not reproduce. Checked again for "
    "issue 15 in the ar5iv text: Section 2.2 gives the form E = a (C + d)^-b + c but not "
    "the constants.",
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

_ZHAI_TEXT = ("Read in the ar5iv rendering of arXiv:2106.04560 (a verbatim copy of its text is "
              "stored in a public repository; checked for issue 15).")

CONSTANTS: tuple[Constant, ...] = (
    Constant("zhai_vitg_finetune_accuracy", 0.9045, "accuracy (fraction)",
             Source("zhai2022scaling", "Abstract", "ViT-G/14: 90.45% top-1 on ImageNet.")),
    # The ranges studied. Section 1 states them in words ("models ranging from five million to
    # two billion parameters, datasets ranging from one million to three billion training
    # images and compute budgets ranging from below one TPUv3 core-day to beyond 10 000
    # core-days"); Table 2 gives the parameter counts of the model shapes.
    Constant("zhai_params_smallest", 5.0e6, "parameters",
             Source("zhai2022scaling", "Table 2 (ViT-s/16: 5.0 Mio. parameters)",
                    "The smallest shape; ViT-s/28 has 5.4 Mio. Section 1 rounds to 'five "
                    "million'. " + _ZHAI_TEXT)),
    Constant("zhai_params_largest", 1.843e9, "parameters",
             Source("zhai2022scaling", "Table 2 (ViT-G/14: 1843 Mio. parameters)",
                    "Section 1 rounds to 'two billion'. " + _ZHAI_TEXT)),
    Constant("zhai_images_smallest", 1e6, "training images (dataset size)",
             Source("zhai2022scaling", "Section 1; Section 2.4",
                    "'one million': subsets of the public ImageNet-21k, from one million to "
                    "13 million images (Section 2.4). " + _ZHAI_TEXT)),
    Constant("zhai_images_largest", 3e9, "training images (dataset size)",
             Source("zhai2022scaling", "Section 1; Section 3.3",
                    "'three billion': the proprietary JFT-3B ('nearly 3 billion images'). "
                    + _ZHAI_TEXT)),
    Constant("zhai_jft_smallest_subset_images", 3e7, "training images (dataset size)",
             Source("zhai2022scaling", "Section 2.1",
                    "The smallest JFT subset of Figure 2 ('the 30M dataset', '30-300M images'). "
                    + _ZHAI_TEXT)),
    Constant("zhai_compute_low_core_days", 1.0, "TPUv3 core-days",
             Source("zhai2022scaling", "Section 1",
                    "An upper bound on the smallest budget: 'below one TPUv3 core-day'. "
                    + _ZHAI_TEXT)),
    Constant("zhai_compute_high_core_days", 1e4, "TPUv3 core-days",
             Source("zhai2022scaling", "Section 1",
                    "A lower bound on the largest budget: 'beyond 10 000 core-days'. "
                    + _ZHAI_TEXT)),
)
