"""Hoffmann et al. (2022), *Training compute-optimal large language models* (Chinchilla):
Table 1's models, the Approach 3 fit, Tables 2, 3 and A3, the IsoFLOP budgets and the
constants the chapters quote."""

from __future__ import annotations

import math
from types import MappingProxyType

from chinchilla_lib.registry._types import (
    Constant,
    LawFamily,
    Projection,
    PublishedFit,
    PublishedInterval,
    PublishedShape,
    PublishedValues,
    Source,
    TrainedModel,
)

_HOFFMANN_T1 = Source("hoffmann2022training", "Table 1")

HOFFMANN_TABLE1: tuple[TrainedModel, ...] = (
    TrainedModel("LaMDA", 137e9, 168e9, _HOFFMANN_T1, "thoppilan2022lamda"),
    TrainedModel("GPT-3", 175e9, 300e9, _HOFFMANN_T1, "brown2020language"),
    TrainedModel("Jurassic-1", 178e9, 300e9, _HOFFMANN_T1, "lieber2021jurassic"),
    TrainedModel("Gopher", 280e9, 300e9, _HOFFMANN_T1, "rae2021scaling"),
    TrainedModel("MT-NLG 530B", 530e9, 270e9, _HOFFMANN_T1, "smith2022using"),
    TrainedModel("Chinchilla", 70e9, 1.4e12, _HOFFMANN_T1, "hoffmann2022training"),
)
"""The rows of Hoffmann et al. (2022), Table 1, in the paper's order."""

# Where the ranges of the runs and their training set-up are printed (Chapter 3).
_ABSTRACT = Source("hoffmann2022training", "Abstract",
                   "'By training over 400 language models ranging from 70 million to over 16 "
                   "billion parameters on 5 to 500 billion tokens'. Section 1 words it "
                   "differently: 'ranging from under 70M to over 16B parameters, and trained on "
                   "5B to over 400B tokens'.")
_FOOTNOTE5 = Source("hoffmann2022training", "Section 3.2, footnote 5; Section 3.1; Figure 2",
                    "'In approach 2, model size varies up to 16B as opposed to approach 1 where "
                    "we only used models up to 10B' (footnote 5); Figure 2: 'a range of model "
                    "sizes going from 70M to 10B, each for four different cosine cycle "
                    "lengths'.")
_TABLE_A9 = Source("hoffmann2022training", "Appendix J, Table A9",
                   "'All models': the smallest listed has 44 million parameters, the largest "
                   "16,183 million (the table prints millions). The smallest is below the 70M "
                   "of the abstract; the paper does not say which runs used it.")
_TABLE_A1 = Source("hoffmann2022training", "Appendix A, Table A1",
                   "Column 'Epochs in 1.4T tokens': Chinchilla's own run repeats MassiveWeb "
                   "and Wikipedia ('both used for more than one epoch'); the other subsets stay "
                   "below one epoch.")

CONSTANTS: tuple[Constant, ...] = (
    Constant("kaplan_schedule_tokens", 130e9, "tokens",
             Source("hoffmann2022training", "Section 2",
                    "Kaplan et al. used a 'fixed learning rate cosine schedule to 130B tokens', "
                    "so intermediate losses of shorter runs are overestimates.")),
    Constant("hoffmann_cosine_overshoot_limit", 0.25, "fraction of the run",
             Source("hoffmann2022training", "Appendix D.1; Appendix B, Figure A1",
                    "'When the cosine cycle overshoots the number of training steps by more "
                    "than 25%, performance is noticeably degraded' (D.1); Figure A1 compares "
                    "cycles 1, 1.1, 1.25, 1.5, 2 and 5 times the run.")),
    Constant("hoffmann_envelope_final_fraction", 0.15, "fraction of the run",
             Source("hoffmann2022training", "Section 3.1, footnote 4",
                    "Approach 1's envelope: 'all selected points are within the last 15% of "
                    "training'.")),
    Constant("hoffmann_gopher_optimum_low", 40e9, "parameters",
             Source("hoffmann2022training", "Section 4",
                    "'The optimal model size for the Gopher compute budget is somewhere "
                    "between 40 and 70 billion parameters.'")),
    Constant("hoffmann_gopher_optimum_high", 70e9, "parameters",
             Source("hoffmann2022training", "Section 4",
                    "Chinchilla was trained 'on the larger end of this range', 'due to both "
                    "dataset and computational efficiency considerations'.")),
    Constant("hoffmann_approach3_gopher_params", 40e9, "parameters",
             Source("hoffmann2022training", "Figure 4 caption",
                    "'We project the optimal model size given the Gopher FLOP budget to be "
                    "40B parameters' (Approach 3).")),
    Constant("hoffmann_table2_resamples", 100, "resamples",
             Source("hoffmann2022training", "Section 3.4, Table 2 caption",
                    "'The 10th and 90th percentiles are estimated via bootstrapping data (80% "
                    "of the dataset is sampled 100 times)'. The caption does not say whether "
                    "the 80% is drawn with or without replacement.")),
    Constant("hoffmann_table2_subsample_fraction", 0.8, "fraction of the runs",
             Source("hoffmann2022training", "Section 3.4, Table 2 caption",
                    "'80% of the dataset is sampled 100 times' (hoffmann_table2_resamples).")),
    Constant("hoffmann_huber_delta", 1e-3, "log-loss residual",
             Source("hoffmann2022training", "Section 3.3, after Eq. 3; Appendix D.2",
                    "'The Huber loss (delta = 10^-3) is robust to outliers', on the residuals "
                    "of log loss; D.2: 'We use delta = 10^-3 for the Huber loss'.")),
    Constant("hoffmann_approach1_flop_points", 1500, "FLOP values",
             Source("hoffmann2022training", "Section 3.1",
                    "Approach 1 reads the envelope 'At 1500 logarithmically spaced FLOP "
                    "values'.")),
    Constant("hoffmann_kaplan_params_at_1e21", 4.68e9, "parameters",
             Source("hoffmann2022training", "Appendix D.4",
                    "Hoffmann et al.'s reading of Kaplan et al. at 1e21 FLOPs: 'the optimal "
                    "model size should be 4.68 billion parameters'.")),
    Constant("hoffmann_head_to_head_flops", 1e21, "FLOPs",
             Source("hoffmann2022training", "Appendix D.4",
                    "The budget of the head-to-head comparison with Kaplan et al.")),
    Constant(
        "gopher_training_flops", 5.76e23, "FLOPs",
        Source("hoffmann2022training", "Section 3 (the Gopher compute budget); Table 3",
               "The budget the paper uses for Gopher and Chinchilla, not from 6ND. Appendix F: "
               "'Compared to the results presented in Rae et al. (2021), we use a slightly "
               "more accurate calculation giving a slightly different value (6.3x10^23 "
               "compared to 5.76x10^23)': 5.76x10^23 is Hoffmann et al.'s own, more accurate "
               "count (the value used everywhere in the paper); 6.3x10^23 is Rae et al.'s, see "
               "gopher_training_flops_rae."),
    ),
    Constant(
        "gopher_training_flops_rae", 6.3e23, "FLOPs",
        Source("hoffmann2022training", "Appendix F",
               "Gopher's training compute as Rae et al. (2021) report it, quoted by Hoffmann et "
               "al., App. F: 'Compared to the results presented in Rae et al. (2021), we use a "
               "slightly more accurate calculation giving a slightly different value (6.3x10^23 "
               "compared to 5.76x10^23)'; the quotation is read here first-hand. Rae et al.'s "
               "own compute appendix gives 6.31E+08 train PFLOPs, counting rematerialisation "
               "(+33%), padding and repeated computation; that figure was read only in a "
               "restatement of Rae et al.'s appendix (ai-papers.xuzou.cn reading card), not in "
               "the paper. Renamed from gopher_training_flops_appendix_f (issue 13)."),
    ),
    Constant(
        "hoffmann_table_a4_exact_over_6nd_min", 0.99, "ratio",
        Source("hoffmann2022training", "Table A4",
               "Smallest ratio of the paper's exact FLOP count to 6ND over the model shapes "
               "of Table A4 (checked against the table by the course's review).")),
    Constant(
        "hoffmann_table_a4_exact_over_6nd_max", 1.10, "ratio",
        Source("hoffmann2022training", "Table A4",
               "Largest ratio of the exact count to 6ND in Table A4, for the smallest models; "
               "the ratio falls towards one as models grow.")),
    # What the fits rest on: the ranges of the runs and their set-up (Chapter 3, issue 15).
    Constant("hoffmann_runs_count", 400, "training runs (over)", _ABSTRACT),
    Constant("hoffmann_runs_params_min", 70e6, "parameters", _ABSTRACT),
    Constant("hoffmann_runs_params_max", 16e9, "parameters (over)", _ABSTRACT),
    Constant("hoffmann_runs_tokens_min", 5e9, "tokens", _ABSTRACT),
    Constant("hoffmann_runs_tokens_max", 500e9, "tokens", _ABSTRACT),
    Constant("hoffmann_runs_tokens_max_intro", 400e9, "tokens (over)",
             Source("hoffmann2022training", "Section 1",
                    "'trained on 5B to over 400B tokens', against the abstract's '5 to 500 "
                    "billion tokens'.")),
    Constant("hoffmann_approach1_params_max", 10e9, "parameters", _FOOTNOTE5),
    Constant("hoffmann_approach1_horizon_span", 16, "ratio of longest to shortest run",
             Source("hoffmann2022training", "Section 3.1",
                    "For each model size, four runs whose cosine horizon 'ranges by a factor "
                    "of 16x'.")),
    Constant("hoffmann_table_a9_params_min", 44e6, "parameters", _TABLE_A9),
    Constant("hoffmann_table_a9_params_max", 16183e6, "parameters", _TABLE_A9),
    Constant("hoffmann_cosine_decay_factor", 10, "ratio of peak to final learning rate",
             Source("hoffmann2022training", "Appendix B; Appendix D.1",
                    "'we use a 10x learning rate decay in line with Rae et al. (2021)' (B); "
                    "'the learning rate drops by a factor of 10x during training, using a "
                    "cosine schedule' (D.1). Footnote 9: decaying by 10x or to zero differ "
                    "little; decaying by 5x 'is clearly worse'.")),
    Constant("hoffmann_chinchilla_epochs_massiveweb", 1.24, "epochs", _TABLE_A1),
    Constant("hoffmann_chinchilla_epochs_wikipedia", 3.40, "epochs", _TABLE_A1),
)

ARCHITECTURES: tuple[PublishedShape, ...] = (
    PublishedShape(
        "Chinchilla 70B",
        MappingProxyType({"n_layer": 80, "d_model": 8192, "n_heads": 64, "head_dim": 128,
                          "vocab_size": 32000, "n_ctx": 2048, "tied_embeddings": True}),
        Source("hoffmann2022training", "Table 4 (shape); Table A8 (vocabulary)",
               "Relative positional encodings (as in Gopher), so no position table; "
               "d_ff = 4 d_model. A plain count gives 64.7B against the stated 70B: the "
               "extra parameters are not itemised in the paper.")),
)

_CHINCHILLA_UNITS = ("N, parameters (embeddings included); D, tokens",
                     "loss, nats per token (MassiveText)")
# Besiroglu et al.'s notebook restates the paper's unrounded values, from its TeX source, as
# logarithms (a, b, e) = (6.0073404, 6.0179186, 0.5267228).
_HOFFMANN_UNROUNDED_LOGS = {"a": 6.0073404, "b": 6.0179186, "e": 0.5267228}

FITS: tuple[PublishedFit, ...] = (
    PublishedFit("hoffmann2022/approach3", LawFamily.CHINCHILLA.form,
                 MappingProxyType({"E": 1.69, "A": 406.4, "B": 410.7, "alpha": 0.34,
                                   "beta": 0.28}),
                 *_CHINCHILLA_UNITS,
                 Source("hoffmann2022training", "Appendix D.2, Eq. 10",
                        "Rounded as printed; the exponents give a = 0.452, not the 0.46 of "
                        "Table 2, which comes from the unrounded values."),
                 family=LawFamily.CHINCHILLA, fitted_to="hoffmann2022training"),
    PublishedFit("hoffmann2022/approach3 unrounded", LawFamily.CHINCHILLA.form,
                 MappingProxyType({"E": math.exp(_HOFFMANN_UNROUNDED_LOGS["e"]),
                                   "A": math.exp(_HOFFMANN_UNROUNDED_LOGS["a"]),
                                   "B": math.exp(_HOFFMANN_UNROUNDED_LOGS["b"]),
                                   "alpha": 0.33917084, "beta": 0.2849083}),
                 *_CHINCHILLA_UNITS,
                 Source("besiroglu2024chinchilla", "data_analysis.ipynb (cell 16)",
                        "Hoffmann et al.'s unrounded fit, which Besiroglu et al. report "
                        "recovering from the paper's TeX source, as log values a = 6.0073404, "
                        "b = 6.0179186, e = 0.5267228. Still second-hand: the values sit in a "
                        "comment of the arXiv TeX source, and the rendered copies of the paper "
                        "(PDF and arXiv HTML) print only Eq. 10's rounded values. They do "
                        "reproduce the paper's Figure 4 projection of 40B at Gopher's budget.",
                        "secondary"),
                 family=LawFamily.CHINCHILLA, fitted_to="hoffmann2022training"),
)

_T2 = Source("hoffmann2022training", "Section 3.4, Table 2",
             "10th and 90th percentiles from bootstrapping (80% of the data, 100 times). The "
             "rounded b = 0.50 of Approach 1 sits just below its printed interval.")
_NAN = float("nan")

HOFFMANN_TABLE2: tuple[PublishedInterval, ...] = (
    PublishedInterval("Approach 1", "a", 0.50, 0.488, 0.502, 0.8, _T2),
    PublishedInterval("Approach 1", "b", 0.50, 0.501, 0.512, 0.8, _T2),
    PublishedInterval("Approach 2", "a", 0.49, 0.462, 0.534, 0.8, _T2),
    PublishedInterval("Approach 2", "b", 0.51, 0.483, 0.529, 0.8, _T2),
    PublishedInterval("Approach 3", "a", 0.46, 0.454, 0.455, 0.8, _T2),
    PublishedInterval("Approach 3", "b", 0.54, 0.542, 0.543, 0.8, _T2),
    PublishedInterval("Kaplan et al. (2020)", "a", 0.73, _NAN, _NAN, 0.8, _T2),
    PublishedInterval("Kaplan et al. (2020)", "b", 0.27, _NAN, _NAN, 0.8, _T2),
)
"""Hoffmann et al. (2022), Table 2: N_opt ~ C^a and D_opt ~ C^b by approach."""

_T3 = Source("hoffmann2022training", "Section 3.4, Table 3")
_TA3 = Source("hoffmann2022training", "Appendix D.3, Table A3")
_TA3_TYPO = Source("hoffmann2022training", "Appendix D.3, Table A3",
                   "Printed as 1.26e24; 6ND gives 1.26e25, and the column must increase: "
                   "almost certainly a typo for 1.26e25.")
_TEXT = Source("hoffmann2022training", "Section 3.4 (text after Table 3)",
               "Does not match Table 3's 175B (3.85e24, 3.7T) and 280B (9.90e24, 5.9T) rows.")

HOFFMANN_PROJECTIONS: tuple[Projection, ...] = tuple(
    Projection("1", n, c, d, _T3) for n, c, d in (
        (400e6, 1.92e19, 8.0e9), (1e9, 1.21e20, 20.2e9), (10e9, 1.23e22, 205.1e9),
        (67e9, 5.76e23, 1.5e12), (175e9, 3.85e24, 3.7e12), (280e9, 9.90e24, 5.9e12),
        (520e9, 3.43e25, 11.0e12), (1e12, 1.27e26, 21.2e12), (10e12, 1.30e28, 216.2e12))
) + tuple(
    Projection("2", n, c, d, _TA3) for n, c, d in (
        (400e6, 1.84e19, 7.7e9), (1e9, 1.20e20, 20.0e9), (10e9, 1.32e22, 219.5e9),
        (67e9, 6.88e23, 1.7e12), (175e9, 4.54e24, 4.3e12), (280e9, 1.18e25, 7.1e12),
        (520e9, 4.19e25, 13.4e12), (1e12, 1.59e26, 26.5e12), (10e12, 1.75e28, 292.0e12))
) + tuple(
    Projection("3", n, c, d, _TA3_TYPO if n == 175e9 else _TA3) for n, c, d in (
        (400e6, 2.21e19, 9.2e9), (1e9, 1.62e20, 27.1e9), (10e9, 2.46e22, 410.1e9),
        (67e9, 1.71e24, 4.1e12), (175e9, 1.26e24, 12.0e12), (280e9, 3.52e25, 20.1e12),
        (520e9, 1.36e26, 43.5e12), (1e12, 5.65e26, 94.1e12), (10e12, 8.55e28, 1425.5e12))
) + (
    Projection("text", 175e9, 4.41e24, 4.2e12, _TEXT),
    Projection("text", 280e9, 1e25, 6.8e12, _TEXT),
)
"""Hoffmann et al. (2022): compute-optimal projections by approach (Tables 3 and A3)."""

HOFFMANN_TABLE3_GOPHER_UNITS = PublishedValues(
    "hoffmann_table3_gopher_units",
    (1 / 29968, 1 / 4761, 1 / 46, 1.0, 6.7, 17.2, 59.5, 221.3, 22515.9), "Gopher budgets",
    Source("hoffmann2022training", "Section 3.4, Table 3, column 'FLOPs (in Gopher unit)'",
           "Each Table 3 (Approach 1) row's budget over Gopher's, in the order of the rows "
           "(400M to 10T). The three smallest are printed as reciprocals, '1/29,968', "
           "'1/4,761' and '1/46', stored here as 1/k; the others as printed. Table A3 "
           "(Approaches 2 and 3) has no such column."))
"""Table 3's column 'FLOPs (in Gopher unit)', as printed: the budget over Gopher's."""


HOFFMANN_ISOFLOP_BUDGET_VALUES = PublishedValues(
    "hoffmann_isoflop_budgets", (6e18, 1e19, 3e19, 6e19, 1e20, 3e20, 6e20, 1e21, 3e21), "FLOPs",
    Source("hoffmann2022training", "Section 3.2 (range); Figure 3 legend (values)",
           "The nine values are read from the figure's legend by a third party.", "secondary"))
"""The nine IsoFLOP budgets of Approach 2, with their source."""

HOFFMANN_ISOFLOP_BUDGETS: tuple[float, ...] = HOFFMANN_ISOFLOP_BUDGET_VALUES.values
"""The nine IsoFLOP budgets of Approach 2, in FLOPs: Section 3.2 states the range (6e18 to
3e21); the individual values are read from the legend of Figure 3 (secondary)."""

ISOFLOP_BUDGETS_SOURCE = HOFFMANN_ISOFLOP_BUDGET_VALUES.source
"""Where the IsoFLOP budgets are read."""

_D2_GRID = Source("hoffmann2022training", "Appendix D.2",
                  "L-BFGS is 'started on a grid of initialisation given by: alpha in {0., 0.5, "
                  "..., 2.}, beta in {0., 0.5, ..., 2.}, e in {-1., -0.5, ..., 1.}, a in {0, 5, "
                  "..., 25}, and b in {0, 5, ..., 25}' (e, a, b are log E, log A, log B).")

HOFFMANN_INITIAL_GRID: tuple[PublishedValues, ...] = (
    PublishedValues("hoffmann_init_exponents", (0.0, 0.5, 1.0, 1.5, 2.0),
                    "alpha and beta", _D2_GRID),
    PublishedValues("hoffmann_init_log_e", (-1.0, -0.5, 0.0, 0.5, 1.0), "e = log E", _D2_GRID),
    PublishedValues("hoffmann_init_log_coefficients", (0.0, 5.0, 10.0, 15.0, 20.0, 25.0),
                    "a = log A and b = log B", _D2_GRID),
)
"""The starting values of Approach 3's grid of L-BFGS fits (Appendix D.2), one set per
parameter kind."""

HOFFMANN_ISOFLOP_RANGE = PublishedValues(
    "hoffmann_isoflop_range", (6e18, 3e21), "FLOPs",
    Source("hoffmann2022training", "Section 3.2",
           "Approach 2 uses '9 different training FLOP counts (ranging from 6 x 10^18 to "
           "3 x 10^21 FLOPs)'. The range is read in the text; the nine values between, read "
           "from Figure 3's legend, are hoffmann_isoflop_budgets (second-hand)."))
"""The smallest and largest IsoFLOP budget of Approach 2, in FLOPs, as Section 3.2 states
them."""
