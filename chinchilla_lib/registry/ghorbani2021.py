"""Ghorbani et al. (2021), *Scaling laws for neural machine translation*: the range of model
sizes studied, and (second-hand) the decoder share of their equally deep models and the widths
of their layers. The fitted exponents of their encoder-decoder law are not here: they are
printed in the body of the paper, which the course could not read in a copy it could check."""

from __future__ import annotations

from chinchilla_lib.registry._types import Constant, Source

_GHORBANI_INTRO = Source(
    "ghorbani2021scaling", "Section 1, footnote comparing with Gordon et al.",
    "'our studies focus on different parameter regimes (393K-56M vs 100M-3.5B)'. Read in the "
    "ar5iv rendering of arXiv:2109.07740 (checked for issue 15).")

_GHORBANI_SUMMARY = (
    "Read in a summary of the paper, not in the paper: A. Anwar's notes 'Scaling Transformer' "
    "(GitHub Anwarvic/anwarvic.github.io, my_collections/_machine-translation/"
    "scaling_transformer.md), checked for issue 15. The "
    "stored copies of the paper (ar5iv, ICLR text, SPIQA paragraphs) could be searched only "
    "near their openings, which do not print it. ")
_GHORBANI_SYMMETRIC = Source(
    "ghorbani2021scaling", "Section on optimal allocation of encoder/decoder capacity (not read)",
    _GHORBANI_SUMMARY + "The notes say the paper found that scaling encoder and decoder "
    "layers symmetrically, 'which yields N_d/N ~ 0.55', is barely distinguishable from the "
    "optimal scaling; the paper's own sentence and its fitted exponents were not read.",
    "secondary")
_GHORBANI_SHAPE = Source(
    "ghorbani2021scaling", "Experimental set-up (not read)",
    _GHORBANI_SUMMARY + "The notes give the models' widths: model dimension 1024, "
    "feed-forward dimension 8192, 16 attention heads, layers varied in encoder and decoder.",
    "secondary")

CONSTANTS: tuple[Constant, ...] = (
    Constant("ghorbani_params_smallest", 1e8, "parameters", _GHORBANI_INTRO),
    Constant("ghorbani_params_largest", 3.5e9, "parameters", _GHORBANI_INTRO),
    Constant("ghorbani_symmetric_decoder_share", 0.55, "fraction of parameters",
             _GHORBANI_SYMMETRIC),
    Constant("ghorbani_d_model", 1024, "width of the residual stream", _GHORBANI_SHAPE),
    Constant("ghorbani_d_ff", 8192, "width of the feed-forward block", _GHORBANI_SHAPE),
)
"""The span of model sizes of Ghorbani et al.'s English-German study; second-hand, the decoder
share of their equally deep models and their layer widths."""
