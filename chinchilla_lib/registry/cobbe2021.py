"""Cobbe et al. (2021), *Training verifiers to solve math word problems*: what a verifier
that picks among sampled solutions is worth on GSM8K, in model size."""

from __future__ import annotations

from chinchilla_lib.registry._types import Constant, Source

_NOTE = ("Read as verbatim quotations of arXiv:2110.14168v2 in two text extractions of the "
         "paper (not on the arXiv page itself), hence secondary.")
_CONCLUSION = Source(
    "cobbe2021training", "Conclusion; also the list of contributions in Section 1",
    "'On the full dataset, 6B verification slightly outperforms a finetuned 175B model, "
    "thereby offering a boost approximately equivalent to a 30x model size increase.' "
    + _NOTE, "secondary")

CONSTANTS: tuple[Constant, ...] = (
    Constant("cobbe_verifier_size_equivalent", 30.0, "factor of model size", _CONCLUSION),
    Constant("cobbe_verifier_model_params", 6e9, "parameters", _CONCLUSION),
    Constant("cobbe_finetuned_model_params", 175e9, "parameters", _CONCLUSION),
    Constant("cobbe_verifier_default_completions", 100.0, "completions per problem",
             Source("cobbe2021training", "Section 4, 'Verification' (the procedure of Figure 4)",
                    "'At test time, we sample 100 completions to each test problem, rank them "
                    "with the verifier, and then return the one with the highest verifier "
                    "score.' " + _NOTE, "secondary")),
    Constant("cobbe_verifier_best_completions", 400.0, "completions per problem",
             Source("cobbe2021training", "Section 5.1, 'Test time compute' (Figure 7a)",
                    "The 6B verifier's test performance 'improves as we increase the number "
                    "of completions up to 400', then starts to decrease. " + _NOTE,
                    "secondary")),
)
"""GSM8K verifiers (Cobbe et al. 2021): the 30x equivalence and the sample count past which
search against the verifier hurts."""
