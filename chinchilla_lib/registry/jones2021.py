"""Jones (2021), *Scaling scaling laws with board games*: the train-test trade-off on Hex."""

from __future__ import annotations

from types import MappingProxyType

from chinchilla_lib.registry._types import Constant, LawFamily, PublishedFit, Source

_JONES_FIG9 = Source(
    "jones2021scaling", "Figure 9 (9x9 Hex), the fitted frontier printed on the plot",
    "log10(test FLOPs) = -1.2 log10(train FLOPs) + 0.004 Elo + 29, Elo against perfect play "
    "(0 is perfect). Read in a restatement of the figure; the authors' plotting code "
    "(boardlaw, analysis/paper.py) prints the OLS fit with exactly these roundings. Kept "
    "secondary (checked again for issue 13): the equation is printed only inside the figure's "
    "image, and the text copies of the paper we could read carry the caption but not it.",
    "secondary")

FITS: tuple[PublishedFit, ...] = (
    PublishedFit("jones2021/hex", "log10(test FLOPs) = m log10(train FLOPs) + k Elo + c",
                 MappingProxyType({"m": -1.2, "k": 0.004, "c": 29.0}),
                 "train-time compute, FLOPs; Elo against perfect play (0 is perfect)",
                 "test-time compute, FLOPs", _JONES_FIG9,
                 family=LawFamily.ISO_STRENGTH, fitted_to="jones2021scaling"),
)
"""The iso-strength frontier of 9x9 Hex: m decades of test compute per decade of train
compute, k decades of test compute per Elo, intercept c in log10 FLOPs."""

CONSTANTS: tuple[Constant, ...] = (
    Constant("jones_hex_test_saving_per_train_decade", 15.0, "factor",
             Source("jones2021scaling", "Section IV-C, 'Train-test trade-off'",
                    "'About 15x' of test-time compute saved per 10x of train-time compute, "
                    "down to a floor of a single-node tree search. Read in a copy of the "
                    "text.", "secondary")),
    Constant("jones_hex_elo_per_compute_decade", 500.0, "Elo per tenfold compute",
             Source("jones2021scaling", "Section IV, the frontier's parameters, 'Slope'",
                    "Slope of the rising part of the sigmoid frontier: Elo against perfect "
                    "play per tenfold increase of (training) compute, the same at every board "
                    "size. Read in a quotation of the paper (G. Branwen's annotation of "
                    "arXiv:2104.03113), hence secondary.", "secondary")),
    Constant("jones_hex_double_compute_win_rate", 2.0 / 3.0, "fraction of games",
             Source("jones2021scaling", "Section IV, just after the 'Slope'",
                    "The paper's 'more memorable interpretation' of the slope: with about 2x "
                    "the compute of an opponent, an agent beats it 2/3 of the time. Read in "
                    "the same quotation, hence secondary.", "secondary")),
)
