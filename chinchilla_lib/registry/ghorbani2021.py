"""Ghorbani et al. (2021), *Scaling laws for neural machine translation*: the range of model
sizes studied. The fitted exponents of their encoder-decoder law are not here: they are
printed in the body of the paper, which the course could not read in a copy it could check."""

from __future__ import annotations

from chinchilla_lib.registry._types import Constant, Source

_GHORBANI_INTRO = Source(
    "ghorbani2021scaling", "Section 1, footnote comparing with Gordon et al.",
    "'our studies focus on different parameter regimes (393K-56M vs 100M-3.5B)'. Read in the "
    "ar5iv rendering of arXiv:2109.07740 (checked for issue 15).")

CONSTANTS: tuple[Constant, ...] = (
    Constant("ghorbani_params_smallest", 1e8, "parameters", _GHORBANI_INTRO),
    Constant("ghorbani_params_largest", 3.5e9, "parameters", _GHORBANI_INTRO),
)
"""The span of model sizes of Ghorbani et al.'s English-German study."""
