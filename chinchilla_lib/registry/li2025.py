"""Li et al. (2025), *Predictable scale: part I -- optimal hyperparameter scaling law in large
language model pretraining* (Step Law): the optimal peak learning rate as a power law in N and
D, and the optimal batch size as a power law in D alone."""

from __future__ import annotations

from types import MappingProxyType

from chinchilla_lib.registry._types import LawFamily, PublishedFit, Source

_K = "li2025predictable"
_READ = ("Read second-hand: the stored copies of the paper show only its abstract and "
         "introduction, which state the form (the learning rate a power law in N and D, the "
         "batch size mainly in D and 'largely invariant' to N) but not the constants. These "
         "were read in four restatements that agree (the Emergent Mind summary of "
         "arXiv:2503.04715, which defines N as non-embedding parameters and D as tokens; a "
         "reading note by Y. Liao; a public literature note; StepFun's own slide table of "
         "published laws). The batch size is in tokens: the authors' released fitting code "
         "(step-law/steplaw, code/fit_tool.py, query_optimal_lr_bs_data) multiplies the batch "
         "in sequences by the sequence length (2048 unless the data say otherwise) before "
         "fitting, and their slide converts Porian et al.'s batch law to tokens to compare it. "
         "The same code keeps, for each (N, D), the runs within 0.25% of the best smoothed "
         "loss and fits log lr and log bs by linear regression on log N and log D; the "
         "constants themselves are not in the stored code. Fitted with a fixed final learning "
         "rate of 1e-5 (second-hand).")

FITS: tuple[PublishedFit, ...] = (
    PublishedFit("li2025/lr(N,D)", "eta(N, D) = 1.79 N^-0.713 D^0.307",
                 MappingProxyType({"k": 1.79, "a": -0.713, "b": 0.307}),
                 "N, non-embedding parameters; D, training tokens",
                 "peak learning rate (AdamW)",
                 Source(_K, "Section 3 (Step Law), the fitted eta(N, D)", _READ, "secondary"),
                 family=LawFamily.POWER_LAW_ND, fitted_to=_K),
    PublishedFit("li2025/B(D)", "B(D) = 0.58 D^0.571",
                 MappingProxyType({"k": 0.58, "p": 0.571}),
                 "D, training tokens", "batch size, tokens",
                 Source(_K, "Section 3 (Step Law), the fitted B(D)", _READ, "secondary"),
                 family=LawFamily.POWER_LAW, fitted_to=_K),
)
