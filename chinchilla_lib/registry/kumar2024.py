"""Kumar et al. (2024), *Scaling laws for precision*: the base fit, the post-training
quantisation fit and the precision constants of their Appendix K."""

from __future__ import annotations

from types import MappingProxyType

from chinchilla_lib.registry._types import Constant, LawFamily, PublishedFit, Source

_KUMAR = Source("kumar2024scaling", "Appendix K, Table 2",
                "Fitted together with offset terms; see the note in Chapter 6.")

CONSTANTS: tuple[Constant, ...] = (
    Constant("kumar_gamma_weights", 2.6745, "bits", _KUMAR),
    Constant("kumar_gamma_activations", 2.2102, "bits", _KUMAR),
    Constant("kumar_gamma_kv", 0.9578, "bits", _KUMAR),
    Constant("kumar_optimal_bits_low", 7.0, "bits",
             Source("kumar2024scaling", "Section 4.3, Finding 3",
                    "'7-8 bits are compute-optimal' for training.")),
    Constant("kumar_optimal_bits_high", 8.0, "bits",
             Source("kumar2024scaling", "Section 4.3, Finding 3")),
)

FITS: tuple[PublishedFit, ...] = (
    PublishedFit("kumar2024/base", "L = E + A / N^alpha + B / D^beta",
                 MappingProxyType({"E": 2.7648, "A": 4.299e3, "B": 1.806e4, "alpha": 0.4965,
                                   "beta": 0.4965}),
                 "N, parameters; D, tokens", "loss, nats per token (Dolma)",
                 Source("kumar2024scaling", "Appendix K, Table 2",
                        "Fitted with alpha and beta tied; their models span 30M to 220M "
                        "parameters."),
                 family=LawFamily.CHINCHILLA, fitted_to="kumar2024scaling"),
    PublishedFit("kumar2024/ptq", LawFamily.PTQ_DEGRADATION.form,
                 MappingProxyType({"C_T": 0.0598, "gamma_D": 0.5068, "gamma_N": 0.3439,
                                   "gamma_post": 0.5907}),
                 "N, parameters; D, tokens; P_post, bits after quantisation",
                 "loss increase, nats per token (Dolma)", _KUMAR,
                 family=LawFamily.PTQ_DEGRADATION, fitted_to="kumar2024scaling",
                 param_sources={"gamma_post": Source(
                     "kumar2024scaling", "Appendix K, Table 2",
                     "The row label is garbled in the copy read; the value's role is "
                     "inferred. Looked for again (issue 13): the stored copies of the paper "
                     "(arXiv HTML v2, the ICLR text) could be read only from their opening, so "
                     "the table was not re-read; kept second-hand.",
                     "secondary")}),
)
