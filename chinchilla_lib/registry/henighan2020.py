"""Henighan et al. (2020), *Scaling laws for autoregressive generative modeling*: Table 1's
fits of loss against model size and compute, and of the optimal size, for each domain."""

from __future__ import annotations

from types import MappingProxyType

from chinchilla_lib.registry._types import Constant, LawFamily, PublishedFit, Source

_LOSS = "test loss, nats per token"

_H = Source("henighan2020scaling", "Table 1",
             "Loss in nats per token; N non-embedding parameters; C in PF-days.")
_HENIGHAN_L_N = {
    # domain: (L_inf, N_0, alpha) in L = L_inf + (N_0 / N)^alpha
    "Language": (0.0, 1.47e14, 0.070),
    "Image 8x8": (3.12, 8.0e1, 0.24),
    "Image 16x16": (2.64, 2.8e2, 0.22),
    "Image 32x32": (2.20, 6.3e1, 0.13),
    "Image VQ 16x16": (3.99, 2.7e4, 0.13),
    "Image VQ 32x32": (3.07, 1.9e4, 0.14),
    "Text-to-Image (image loss)": (2.0, 5.1e3, 0.16),
    "Image-to-Text (image loss)": (2.0, 5.5e3, 0.15),
    "Video VQ 16x16x16": (1.01, 3.7e4, 0.24),
    "Math (extrapolate)": (0.28, 1.1e4, 0.16),
}
_HENIGHAN_L_N_TEXT = {
    # Table 1's text-loss rows of the multimodal models: L = (N_0 / N)^alpha, no floor; the
    # table gives no L(C) (it prints "combined text/image loss") and no N_opt(C) for them.
    "Text-to-Image (text loss)": (0.0, 5.6e8, 0.037),
    "Image-to-Text (text loss)": (0.0, 7.0e8, 0.039),
}
_HENIGHAN_L_C = {
    # domain: (L_inf, C_0, alpha) in L = L_inf + (C_0 / C)^alpha, C in PF-days
    "Language": (0.0, 3.47e8, 0.048),
    "Image 8x8": (3.13, 1.8e-8, 0.19),
    "Image 16x16": (2.64, 1.6e-8, 0.16),
    "Image 32x32": (2.21, 3.6e-9, 0.1),
    "Image VQ 16x16": (4.09, 6.1e-7, 0.11),
    "Image VQ 32x32": (3.17, 2.6e-6, 0.12),
    "Text-to-Image (image loss)": (1.93, 1.5e-6, 0.15),
    "Image-to-Text (image loss)": (1.97, 1.5e-6, 0.16),
    "Video VQ 16x16x16": (0.95, 2.2e-5, 0.14),
    "Math (extrapolate)": (0.14, 1.4e-5, 0.17),
}
_HENIGHAN_N_OPT = {
    # domain: (C_0, beta) in N_opt = (C / C_0)^beta, C in PF-days
    "Language": (3.3e-13, 0.73),
    "Image 8x8": (5.3e-14, 0.64),
    "Image 16x16": (4.8e-12, 0.75),
    "Image 32x32": (1.6e-13, 0.65),
    "Image VQ 16x16": (6.2e-14, 0.64),
    "Image VQ 32x32": (9.4e-13, 0.7),
    "Video VQ 16x16x16": (1.13e-12, 0.71),
    "Math (extrapolate)": (2.3e-12, 0.69),
}

_HENIGHAN_N_OPT_MULTIMODAL = {
    # Table 1's N_opt(C) on the image-loss lines of the two multimodal models, as printed in the
    # copy of the paper read for the course (a PDF-to-Markdown conversion of arXiv:2010.14701v2
    # held in a public repository). That copy prints the text-to-image row identical to the
    # Image VQ 32x32 row, and the image-to-text row inside square brackets, which the paper does
    # not explain. The review of issue 15 searched the public-repository index and stored web
    # pages for a second copy of the table and found none, so neither row could be checked.
    # Shared image tokens do not explain the match: the multimodal models see raw RGB pixels of
    # 32x32 images (Section 2.1.5, 3200 tokens per image/caption pair), the tokenisation of the
    # Image 32x32 row, not the VQ codes of 64x64 images, and they use the language models' layer
    # sizes (Section 2.1) and their own sizes (Table 4, not Table 5). An identical fit to two
    # figures in both constants from different data, tokens and models would be a coincidence;
    # a copying slip, in the paper or in the transcription, is the likelier reading.
    "Text-to-Image (image loss)": (9.4e-13, 0.7),
    "Image-to-Text (image loss)": (3.3e-12, 0.72),
}
_COMBINED = (" Table 1 prints the multimodal compute fits on the image-loss line and '(combined "
             "text/image loss)' on the text-loss line of the same model; the models were trained "
             "on the weighted loss 9 L_image + L_text (Section 2.1.5), and N_opt is read from the "
             "compute frontier (Section 2.3). Whether these fits concern the image loss alone or "
             "a combined loss, the copy read does not settle.")
_H_MULTIMODAL = Source(
    "henighan2020scaling", "Table 1",
    "N_opt(C) of the multimodal models. The copy read prints the text-to-image row identical "
    "to Image VQ 32x32's, (C/9.4e-13)^0.7, and the image-to-text row in square brackets, "
    "[(C/3.3e-12)^0.72], without saying why; no second copy was found to check them. The "
    "multimodal models' image tokens are raw 32x32 pixels (Section 2.1.5), not VQ codes, so "
    "the match with Image VQ 32x32 is not explained by shared tokens: treat both rows as less "
    "certain than the others." + _COMBINED)
_H_MULTIMODAL_C = Source("henighan2020scaling", "Table 1",
                         "Loss in nats per token; C in PF-days." + _COMBINED)
_MULTIMODAL_IMAGE_ROWS = ("Text-to-Image (image loss)", "Image-to-Text (image loss)")

HENIGHAN_DOMAINS: tuple[str, ...] = tuple(_HENIGHAN_L_N)
"""The domains of Henighan et al. (2020), Table 1, in the paper's order."""

HENIGHAN_TEXT_LOSS_DOMAINS: tuple[str, ...] = tuple(_HENIGHAN_L_N_TEXT)
"""Table 1's two text-loss rows of the multimodal models (an L(N) fit only)."""


FITS: tuple[PublishedFit, ...] = tuple(
    PublishedFit(f"henighan2020/L(N) {domain}", "L = L_inf + (N_0 / N)^alpha",
                 MappingProxyType({"L_inf": l_inf, "N_0": n_0, "alpha": alpha}),
                 "N, non-embedding parameters", _LOSS, _H,
                 family=LawFamily.SATURATING_POWER_LAW,
                 symbols={"y_inf": "L_inf", "x_0": "N_0"}, fitted_to="henighan2020scaling")
    for domain, (l_inf, n_0, alpha) in (_HENIGHAN_L_N | _HENIGHAN_L_N_TEXT).items()
) + tuple(
    PublishedFit(f"henighan2020/L(C) {domain}", "L = L_inf + (C_0 / C)^alpha",
                 MappingProxyType({"L_inf": l_inf, "C_0": c_0, "alpha": alpha}),
                 "C, PF-days", _LOSS,
                 _H_MULTIMODAL_C if domain in _MULTIMODAL_IMAGE_ROWS else _H,
                 family=LawFamily.SATURATING_POWER_LAW,
                 symbols={"y_inf": "L_inf", "x_0": "C_0"}, fitted_to="henighan2020scaling")
    for domain, (l_inf, c_0, alpha) in _HENIGHAN_L_C.items()
) + tuple(
    PublishedFit(f"henighan2020/N_opt(C) {domain}", "N_opt = (C / C_0)^beta",
                 MappingProxyType({"C_0": c_0, "beta": beta}),
                 "C, PF-days", "N, non-embedding parameters", _H,
                 family=LawFamily.POWER_LAW_RATIO, symbols={"x_0": "C_0"},
                 fitted_to="henighan2020scaling")
    for domain, (c_0, beta) in _HENIGHAN_N_OPT.items()
) + tuple(
    PublishedFit(f"henighan2020/N_opt(C) {domain}", "N_opt = (C / C_0)^beta",
                 MappingProxyType({"C_0": c_0, "beta": beta}),
                 "C, PF-days", "N, non-embedding parameters", _H_MULTIMODAL,
                 family=LawFamily.POWER_LAW_RATIO, symbols={"x_0": "C_0"},
                 fitted_to="henighan2020scaling")
    for domain, (c_0, beta) in _HENIGHAN_N_OPT_MULTIMODAL.items()
)

_APP_F = "Appendix F"
_NOT_PRINTED = "not printed in the paper (text, Table 1, Figure 2 caption)"
CONSTANTS: tuple[Constant, ...] = (
    # The ranges studied (Appendix F, Tables 4 and 5; non-embedding parameters, approximate).
    Constant("henighan_params_smallest", 1.23e4, "non-embedding parameters",
             Source("henighan2020scaling", "Appendix F, Table 5",
                    "Smallest math, image and video model.")),
    Constant("henighan_params_largest", 3.22e9, "non-embedding parameters",
             Source("henighan2020scaling", "Appendix F, Table 5",
                    "Largest size in the table; 'We did not train the largest model size in "
                    "some domains'.")),
    Constant("henighan_multimodal_params_smallest", 98304, "non-embedding parameters",
             Source("henighan2020scaling", "Appendix F, Table 4",
                    "Smallest multimodal model (both directions).")),
    Constant("henighan_multimodal_params_largest", 679477248, "non-embedding parameters",
             Source("henighan2020scaling", "Appendix F, Table 4",
                    "Largest text-to-image model; the two largest sizes were not trained for "
                    "image-to-text.")),
    Constant("henighan_image_to_text_params_largest", 157286400, "non-embedding parameters",
             Source("henighan2020scaling", "Appendix F, Table 4",
                    "Largest image-to-text model (the two largest rows were not trained).")),
    # How the models were trained (Appendix F), which matters when comparing with Chinchilla.
    Constant("henighan_warmup_steps", 3000, "steps",
             Source("henighan2020scaling", _APP_F, "'a 3000 step linear warm-up'.")),
    Constant("henighan_final_lr_fraction", 0.1, "fraction of the maximum learning rate",
             Source("henighan2020scaling", _APP_F,
                    "'followed by a linear decay to 1/10 of the maximum learning rate'.")),
    Constant("henighan_min_training_steps", 2.5e5, "steps",
             Source("henighan2020scaling", _APP_F,
                    "'All models were trained for at least 250k steps', many for longer.")),
    Constant("henighan_beta_typical", 0.7, "exponent",
             Source("henighan2020scaling", "Section 1.1 (Eq. 1.4) and Section 2.3",
                    "N_opt(C) ~ C^beta 'with a power beta ~ 0.7 for all modalities'.")),
    # The pooled optimal size that the encyclopedia article "Neural scaling law" attributes to
    # Henighan et al.: not found in their text, tables or figure captions.
    Constant("henighan_pooled_n_opt_c0", 5e-12, "PF-days",
             Source("henighan2020scaling", _NOT_PRINTED,
                    "The source article gives N_opt = (C / 5e-12 PF-day)^0.7 for all domains "
                    "together. Henighan et al.'s text, Table 1 and the caption of Figure 2 (the "
                    "pooled plot) print no such fit; the copy read does not transcribe Figure "
                    "2's plot, so a fitted line drawn on it cannot be ruled out. Unverified.",
                    "secondary")),
    Constant("henighan_pooled_n_opt_flops_coefficient", 9.0e-7, "parameters per FLOP^0.7",
             Source("henighan2020scaling", _NOT_PRINTED,
                    "The source article's restatement of the pooled line with C in FLOPs, "
                    "N_opt = 9.0e-7 C^0.7. Unverified, as henighan_pooled_n_opt_c0.",
                    "secondary")),
)
