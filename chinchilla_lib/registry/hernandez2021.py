"""Hernandez et al. (2021), *Scaling laws for transfer*: effective data transferred."""

from __future__ import annotations

from types import MappingProxyType

from chinchilla_lib.registry._types import LawFamily, PublishedFit, Source

_HERNANDEZ = Source("hernandez2021scaling", "Table 1 (Eq. 1.1)",
                    "Read in notes quoting the paper, not in its text. The 'text+code' fit is "
                    "for pre-training on 50% text and 50% non-Python code. Looked for again "
                    "(issue 15): only the abstract and table of contents of arXiv v1 were found "
                    "in stored copies, so Table 1 was not re-read; kept second-hand. A second "
                    "restatement (a paper note made from the arXiv v1 PDF, found in the issue-15 "
                    "review) gives the same k, alpha and beta, the 50/50 text and non-Python "
                    "code mix (Section 1.1, footnote 3) and D_F in characters.",
                    "secondary")

FITS: tuple[PublishedFit, ...] = (
    PublishedFit("hernandez2021/text", "D_T = k D_F^alpha N^beta",
                 MappingProxyType({"k": 1.9e4, "alpha": 0.18, "beta": 0.38}),
                 "D_F, fine-tuning characters; N, non-embedding parameters",
                 "D_T, effective characters transferred", _HERNANDEZ,
                 family=LawFamily.TRANSFER, fitted_to="hernandez2021scaling"),
    PublishedFit("hernandez2021/text+code", "D_T = k D_F^alpha N^beta",
                 MappingProxyType({"k": 2.1e5, "alpha": 0.096, "beta": 0.38}),
                 "D_F, fine-tuning characters; N, non-embedding parameters",
                 "D_T, effective characters transferred", _HERNANDEZ,
                 family=LawFamily.TRANSFER, fitted_to="hernandez2021scaling"),
)
