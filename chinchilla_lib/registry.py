"""The registry of published numbers: every constant the course uses, stated once.

Each entry carries the bibliography key of its source (a key of ``book/references.bib``) and
the place in that source (table, equation or section) where the value is printed, so that a
reader can check it and a test can hold it against the paper. Nothing else in the library or
the notebooks may type a published number: they look it up here.

Units are stated in each entry's ``unit`` field; model sizes are in parameters and data sizes
in tokens, both as plain counts (175e9, not "175B").
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import TypeVar

__all__ = [
    "ALPHAGO_SEARCH_SCALING",
    "ARCHITECTURES",
    "BASE_MODEL_SCORES",
    "BESIROGLU_INTERVALS",
    "CONSTANTS",
    "FITS",
    "HENIGHAN_DOMAINS",
    "HENIGHAN_TEXT_LOSS_DOMAINS",
    "HESTNESS_EXPONENTS",
    "HOFFMANN_ISOFLOP_BUDGETS",
    "HOFFMANN_PROJECTIONS",
    "HOFFMANN_TABLE1",
    "HOFFMANN_TABLE2",
    "LLAMA1_RELEASE",
    "MODELS",
    "PORIAN_STEPS",
    "PYTHIA_LAMBADA",
    "XIAO_PRICE_MONTHS",
    "BenchmarkResult",
    "Constant",
    "LearningCurveExponent",
    "Projection",
    "PublishedCurve",
    "PublishedFit",
    "PublishedInterval",
    "PublishedShape",
    "SearchScalingRun",
    "Source",
    "TrainedModel",
    "all_sources",
    "architecture",
    "base_model_scores",
    "constant",
    "entries",
    "fit",
    "model",
]


_Entry = TypeVar("_Entry")


@dataclass(frozen=True)
class Source:
    """Where a published number comes from.

    Attributes
    ----------
    citation
        Key of the entry in ``book/references.bib``.
    location
        Table, equation, figure or section of that source where the value is printed.
    note
        Anything a reader should know when using the value (rounding, a discrepancy).
    status
        ``"primary"`` if the value was read in the source itself; ``"secondary"`` if it was
        read in a faithful restatement (the note names it) and still awaits a check against
        the source.
    """

    citation: str
    location: str
    note: str = ""
    status: str = "primary"

    def __post_init__(self) -> None:
        if self.status not in ("primary", "secondary"):
            raise ValueError(f"status must be 'primary' or 'secondary'; got {self.status!r}")


@dataclass(frozen=True)
class Constant:
    """A published scalar with its unit and source."""

    name: str
    value: float
    unit: str
    source: Source


@dataclass(frozen=True)
class TrainedModel:
    """A trained model as a scaling-law paper reports it.

    Attributes
    ----------
    name
        The model's usual name.
    n_params
        Parameters, as a count (embeddings included, as in the source table).
    n_tokens
        Training tokens, as a count.
    source
        Where ``n_params`` and ``n_tokens`` are printed.
    model_citation
        Key of the paper that introduced the model.
    """

    name: str
    n_params: float
    n_tokens: float
    source: Source
    model_citation: str


@dataclass(frozen=True)
class PublishedShape:
    """A published transformer architecture, as keyword arguments of
    :class:`chinchilla_lib.quantities.TransformerShape`.

    Attributes
    ----------
    name
        The model's usual name.
    shape
        Layer count, widths, heads, vocabulary, context and the like, as the source prints them.
    source
        Where the shape is printed.
    """

    name: str
    shape: Mapping[str, int | bool]
    source: Source


@dataclass(frozen=True)
class PublishedFit:
    """A fitted law as its paper prints it.

    Attributes
    ----------
    name
        Registry name, for example ``"kaplan2020/L(N)"``.
    form
        The functional form, written out, with the parameter names of ``params``.
    params
        The fitted constants, as printed.
    x_unit, y_unit
        What the law's inputs and output measure, with units.
    source
        Where the fit is printed.
    """

    name: str
    form: str
    params: Mapping[str, float]
    x_unit: str
    y_unit: str
    source: Source


_HOFFMANN_T1 = Source("hoffmann2022training", "Table 1")

_MODELS = (
    TrainedModel("LaMDA", 137e9, 168e9, _HOFFMANN_T1, "thoppilan2022lamda"),
    TrainedModel("GPT-3", 175e9, 300e9, _HOFFMANN_T1, "brown2020language"),
    TrainedModel("Jurassic-1", 178e9, 300e9, _HOFFMANN_T1, "lieber2021jurassic"),
    TrainedModel("Gopher", 280e9, 300e9, _HOFFMANN_T1, "rae2021scaling"),
    TrainedModel("MT-NLG 530B", 530e9, 270e9, _HOFFMANN_T1, "smith2022using"),
    TrainedModel("Chinchilla", 70e9, 1.4e12, _HOFFMANN_T1, "hoffmann2022training"),
)

_LLAMA = Source("touvron2023llama", "Table 2",
                "Parameters as printed in Table 2 (the text rounds 32.5B to 33B).")
_LLAMA2 = Source("touvron2023llama2", "Table 1",
                 "Nominal sizes as printed; the Llama 3 paper later gives 1.8T tokens for "
                 "Llama 2, the Llama 2 paper 2.0T.")
_LLAMA3_CARD = Source("meta2024llama3", "Model card, 'Token count'",
                      "The card says '15T+' (over 15 trillion): 15e12 is a lower bound.")
_PALM = Source("chowdhery2022palm", "Table 1 (parameters); Section 3 (780B tokens, one epoch)")

_OTHER_MODELS = (
    TrainedModel("LLaMA 7B", 6.7e9, 1.0e12, _LLAMA, "touvron2023llama"),
    TrainedModel("LLaMA 13B", 13.0e9, 1.0e12, _LLAMA, "touvron2023llama"),
    TrainedModel("LLaMA 33B", 32.5e9, 1.4e12, _LLAMA, "touvron2023llama"),
    TrainedModel("LLaMA 65B", 65.2e9, 1.4e12, _LLAMA, "touvron2023llama"),
    TrainedModel("Llama 2 7B", 7e9, 2.0e12, _LLAMA2, "touvron2023llama2"),
    TrainedModel("Llama 2 13B", 13e9, 2.0e12, _LLAMA2, "touvron2023llama2"),
    TrainedModel("Llama 2 34B", 34e9, 2.0e12, _LLAMA2, "touvron2023llama2"),
    TrainedModel("Llama 2 70B", 70e9, 2.0e12, _LLAMA2, "touvron2023llama2"),
    TrainedModel("Llama 3 8B", 8e9, 15e12, _LLAMA3_CARD, "meta2024llama3"),
    TrainedModel("Llama 3 70B", 70e9, 15e12, _LLAMA3_CARD, "meta2024llama3"),
    TrainedModel("Llama 3 405B", 405e9, 15.6e12,
                 Source("dubey2024llama", "Section 1 ('Scale')"), "dubey2024llama"),
    TrainedModel("PaLM 8B", 8.63e9, 780e9, _PALM, "chowdhery2022palm"),
    TrainedModel("PaLM 62B", 62.50e9, 780e9, _PALM, "chowdhery2022palm"),
    TrainedModel("PaLM 540B", 540.35e9, 780e9, _PALM, "chowdhery2022palm"),
)

MODELS: Mapping[str, TrainedModel] = MappingProxyType(
    {m.name: m for m in _MODELS + _OTHER_MODELS})
"""Trained models by name: Hoffmann et al.'s Table 1, then later open families."""

HOFFMANN_TABLE1: tuple[TrainedModel, ...] = _MODELS
"""The rows of Hoffmann et al. (2022), Table 1, in the paper's order."""

_HESTNESS_S1 = Source("hestness2017deep", "Section 1, p. 2",
                      "beta_g 'usually settles between -0.07 and -0.35'.")

_PEARCE_CODE = Source("pearce2024reconciling",
                      "Authors' code (script_analysis_kaplan_chinchilla.py)",
                      "Read in the authors' released code; the paper's text was not read here.")

_JONES_FIG9 = Source(
    "jones2021scaling", "Figure 9 (9x9 Hex), the fitted frontier printed on the plot",
    "log10(test FLOPs) = -1.2 log10(train FLOPs) + 0.004 Elo + 29, Elo against perfect play "
    "(0 is perfect). Read in a restatement of the figure; the authors' plotting code "
    "(boardlaw, analysis/paper.py) prints the OLS fit with exactly these roundings. Kept "
    "secondary (checked again for issue 13): the equation is printed only inside the figure's "
    "image, and the text copies of the paper we could read carry the caption but not it.",
    "secondary")
_SNELL_S7 = Source(
    "snell2024scaling", "Section 7, 'Defining an exchange rate between FLOPs'",
    "The three ratios R = D_inference / D_pretrain compared (R << 1, R ~ 1, R >> 1), with "
    "pretraining 6 N D and inference 2 N D FLOPs, and the multiplier M + 3 (D_pretrain / "
    "D_inference)(M - 1). Read in the paper's text: a copy of the authors' arXiv LaTeX source "
    "(Section 7: 'We conduct comparisons for 3 different values of "
    "R: 0.16 (R << 1), 0.79 (R ~ 1), and 22 (R >> 1)'); promoted from secondary for issue 13.")
_ZHAI_FIG2 = Source(
    "zhai2022scaling", "Figure 2 (left and centre), fitted frontiers of ImageNet error",
    "E = c + a (C + d)^-b with C in TPUv3 core-days (the unit is stated in Section 2). The "
    "constants were read in a third-party note on the paper, not in the figure itself. Kept "
    "secondary (checked again for issue 13): they are printed inside the figure's panels, "
    "which the text copies of the paper we could read do not reproduce.",
    "secondary")
_XIAO_HIGHLIGHTS = Source(
    "xiao2024densing", "Highlights box and Figure 1 (arXiv v2)",
    "'A ≈ 0.007 with R2 ≈ 0.93', density doubling about every 3.3 months. Section 3.3 gives "
    "0.0073, R^2 = 0.912 and 95 days for what it describes as the same fit; the journal "
    "version (2025) reports 3.5 months on a larger set of models (not read here).")
_XIAO_S33 = Source("xiao2024densing", "Section 3.3 and Section 1 (arXiv v2)",
                   "Fit of ln(rho_max) = A t + B, t in days since Llama-1's release; B is not "
                   "printed.")
_XIAO_S34 = Source("xiao2024densing", "Section 3.4 (arXiv v2)",
                   "Corollaries: MMLU-only density slopes before and after ChatGPT's release; "
                   "API prices of the cheapest model beating GPT-3.5.")
_XIAO_REFERENCE_MODELS = Source(
    "xiao2024densing",
    "Reference models' table (Hugging Face card openbmb/DensingLaw-ScalingModels, Table 1)",
    "The authors' card for the reference family: six models, 0.005B (5,247,232 parameters) "
    "to 0.8B (828,225,024 parameters), trained on one corpus.")
_CABALLERO_SIMULATION = Source(
    "caballero2022broken",
    "Authors' repository, fit_bnsl_and_extrapolate__4_digit_addition__dataset_size_x-axis__"
    "noiseless_simulation.py, ground truth (Figure 4 right)",
    "The one-break law the authors use to simulate the 4-digit-addition curve without noise "
    "(a_gt ... f1_gt in the script); printed there to 17 digits, rounded here to 5.")
_CABALLERO_SIMULATION_SPLIT = Source(
    "caballero2022broken",
    "Authors' repository, fit_bnsl_and_extrapolate__4_digit_addition__dataset_size_x-axis__"
    "noiseless_simulation.py, split_point",
    "The simulated x are the integers 1 to 4095; the script fits x[:split_point], i.e. x up to "
    "405 by default, and a commented line sets split_point = 390 'to see what failure looks "
    "like'.")
_PYTHIA_1P4B_CONFIG = Source(
    "biderman2023pythia",
    "Repository EleutherAI/pythia, models/1.4B/pythia-1.4b.yml (training configuration)",
    "Optimizer lr 0.0002, min_lr 0.00002, lr-decay-style cosine, lr-decay-iters and "
    "train-iters 143000, warmup 0.01 (a fraction of the training steps).")
_CABALLERO_ADDITION = Source(
    "caballero2022broken",
    "Authors' repository, fit_bnsl_and_extrapolate__4_digit_addition__dataset_size_x-axis.py",
    "The 4-digit-addition points: 17 values of x and y typed into the script, split_point = "
    "14 (the first 14 fitted, the rest held out). The repository has no licence, so the "
    "points themselves are not copied here.")
_GORDON_DEEN = Source(
    "gordon2021data", "German-English fits, regenerated from the authors' released code",
    "Regenerated by running the fitting code of the authors' repository (mitchellgordon95/"
    "mt-scaling, plots/main.py: Kaplan's L(N, D) with D in bytes, runs above 5 MiB; BLEU = "
    "C exp(-k L) with BPE-level dev BLEU) on their released results summary "
    "data_scaling.0126.summary (54 runs). The paper's printed constants were not read here "
    "and may come from other runs.", "secondary")
_O1_EVALS = Source(
    "openai2024learning", "Section 'Evals', AIME 2024",
    "GPT-4o 12% (1.8/15); o1 74% with one sample, 83% by consensus of 64, 93% re-ranking 1000.")
_MUENNIGHOFF = Source("muennighoff2023scaling", "Appendix A (after Eq. 16)",
                      "Unrounded; Eq. 17 rounds them to 15.4 and 5.3.")

_MUENNIGHOFF_README = Source(
    "muennighoff2023scaling", "Authors' README (huggingface/datablations), 'Parametric Fit'",
    "The grid-search example: a model of 8.67B parameters on 178B tokens with 25B unique tokens "
    "is better allocated as '227B tokens, 9.1 epochs, 6.8B parameters' (the README's printed "
    "output).")
_KUMAR = Source("kumar2024scaling", "Appendix K, Table 2",
                "Fitted together with offset terms; see the note in Chapter 6.")

_CONSTANTS = (
    Constant("kumar_gamma_weights", 2.6745, "bits", _KUMAR),
    Constant("kumar_gamma_activations", 2.2102, "bits", _KUMAR),
    Constant("kumar_gamma_kv", 0.9578, "bits", _KUMAR),
    Constant("kumar_ptq_c_t", 0.0598, "nats per token", _KUMAR),
    Constant("kumar_ptq_gamma_d", 0.5068, "exponent", _KUMAR),
    Constant("kumar_ptq_gamma_n", 0.3439, "exponent", _KUMAR),
    Constant("kumar_ptq_gamma_post", 0.5907, "bits",
             Source("kumar2024scaling", "Appendix K, Table 2",
                    "The row label is garbled in the copy read; the value's role is inferred. "
                    "Looked for again (issue 13): the stored copies of the paper (arXiv HTML "
                    "v2, the ICLR text) could be read only from their opening, so the table "
                    "was not re-read; kept second-hand.",
                    "secondary")),
    Constant("kumar_optimal_bits_low", 7.0, "bits",
             Source("kumar2024scaling", "Section 4.3, Finding 3",
                    "'7-8 bits are compute-optimal' for training.")),
    Constant("kumar_optimal_bits_high", 8.0, "bits",
             Source("kumar2024scaling", "Section 4.3, Finding 3")),
    Constant("gadre_max_multiplier", 640.0, "tokens per parameter",
             Source("gadre2024language", "Authors' code and README",
                    "Token multipliers M from 5 to 640: up to 32 times Chinchilla's 20.")),
    Constant("phi1_params", 1.3e9, "parameters",
             Source("gunasekar2023textbooks", "Abstract")),
    Constant("phi1_unique_tokens", 7e9, "tokens",
             Source("gunasekar2023textbooks", "Section 2",
                    "About 6B filtered web tokens and 1B synthetic textbook tokens.")),
    Constant("phi1_tokens_seen", 51e9, "tokens",
             Source("gunasekar2023textbooks", "Figure 2.1 caption",
                    "About 8 passes; the model card says 54B.")),
    Constant("phi1_humaneval", 0.506, "pass@1",
             Source("gunasekar2023textbooks", "Abstract; Table 1",
                    "phi-1, i.e. after fine-tuning phi-1-base on CodeExercises.")),
    Constant("muennighoff_r_star_data", 15.387756, "repetitions", _MUENNIGHOFF),
    Constant("muennighoff_r_star_params", 5.309743, "repetitions", _MUENNIGHOFF),
    Constant("muennighoff_params_per_unique_token", 0.051, "parameters / token",
             Source("muennighoff2023scaling", "Appendix A, Eq. 17",
                    "U_N = U_D x 0.051: the parameters the unique data can use.")),
    Constant("muennighoff_example_params", 8.67e9, "parameters", _MUENNIGHOFF_README),
    Constant("muennighoff_example_tokens", 178e9, "tokens", _MUENNIGHOFF_README),
    Constant("muennighoff_example_unique_tokens", 25e9, "tokens", _MUENNIGHOFF_README),
    Constant("muennighoff_example_optimal_params", 6.8e9, "parameters", _MUENNIGHOFF_README),
    Constant("muennighoff_example_optimal_tokens", 227e9, "tokens", _MUENNIGHOFF_README),
    Constant("muennighoff_example_optimal_epochs", 9.1, "epochs", _MUENNIGHOFF_README),
    Constant("sardana_example_params", 13e9, "parameters",
             Source("sardana2024beyond", "Figure 1 caption",
                    "Read in faithful quotations of the caption, not in the paper itself: the "
                    "stored copies of the paper (arXiv HTML v1 and v2, the PMLR PDF) could be read "
                    "only from their opening, which stops before the caption (checked for "
                    "issue 13).",
                    "secondary")),
    Constant("sardana_example_inference_tokens", 2e12, "tokens",
             Source("sardana2024beyond", "Figure 1 caption",
                    "Read in a faithful quotation of the caption.", "secondary")),
    Constant("sardana_example_saving_flops", 1.7e22, "FLOPs",
             Source("sardana2024beyond", "Figure 1 caption",
                    "'reduce their total compute by 1.7 x 10^22 FLOPs (17%) by instead training "
                    "a 7B model'; read in a faithful quotation of the caption.", "secondary")),
    Constant("sardana_example_saving_fraction", 0.17, "fraction",
             Source("sardana2024beyond", "Figure 1 caption",
                    "Read in a faithful quotation of the caption.", "secondary")),
    Constant("sardana_example_smaller_params", 7e9, "parameters",
             Source("sardana2024beyond", "Figure 1 caption",
                    "'by instead training a 7B model on more data'; read in faithful "
                    "quotations of the caption.", "secondary")),
    Constant("sardana_max_tokens_per_param", 10_000.0, "tokens per parameter",
             Source("sardana2024beyond", "Abstract (v2)",
                    "'tokens per parameter to extreme ranges (up to 10,000)'.")),
    Constant("gadre_overtrained_params", 1.4e9, "parameters",
             Source("gadre2024language", "Abstract",
                    "'a 1.4B parameter, 900B token run (i.e., 32x over-trained)'.")),
    Constant("gadre_overtrained_tokens", 900e9, "tokens", Source("gadre2024language", "Abstract")),
    Constant("gadre_large_params", 6.9e9, "parameters",
             Source("gadre2024language", "Abstract", "'a 6.9B parameter, 138B token run'.")),
    Constant("gadre_large_tokens", 138e9, "tokens", Source("gadre2024language", "Abstract")),
    Constant("gadre_loss_compute_saving", 300.0, "times less compute",
             Source("gadre2024language", "Abstract",
                    "Both losses predicted 'from experiments that take 300x less compute'.")),
    Constant("gadre_error_compute_saving", 20.0, "times less compute",
             Source("gadre2024language", "Abstract",
                    "Top-1 error averaged over downstream tasks predicted for the same two runs "
                    "'using experiments that take 20x less compute'.")),
    Constant("phi1_base_humaneval", 0.29, "pass@1",
             Source("gunasekar2023textbooks", "Figure 2.1; Section 3",
                    "phi-1-base, before fine-tuning on CodeExercises. Read in Papers with Code's "
                    "results table for the paper and in restatements quoting it; the stored "
                    "copies of the paper could be read only up to its introduction.",
                    "secondary")),
    Constant("phi1_finetune_tokens", 180e6, "tokens",
             Source("gunasekar2023textbooks", "Section 2",
                    "'a small synthetic exercises dataset consisting of ~180M tokens' "
                    "(CodeExercises), read in notes quoting Section 2.", "secondary")),
    Constant("pearce_embedding_coefficient", 47491.0, "parameters^(2/3)",
             Source(_PEARCE_CODE.citation, _PEARCE_CODE.location,
                    "omega in N_T = N_E + omega N_E^(1/3), fitted to Chinchilla's model "
                    "shapes (vocabulary 32,000, width/depth about 39.2).")),
    Constant("pearce_width_to_depth", 39.2, "d_model / n_layer", _PEARCE_CODE),
    Constant("pearce_vocab_size", 32000.0, "tokens", _PEARCE_CODE),
    Constant("pearce_exponent_epoch_coefficients", 0.78, "exponent",
             Source(_PEARCE_CODE.citation, "Authors' splash figure and code",
                    "Local fit of N*_E against C_E over Kaplan's range with Besiroglu et al.'s "
                    "coefficients (their code prints 0.7805).")),
    Constant("pearce_exponent_chinchilla_coefficients", 0.74, "exponent",
             Source(_PEARCE_CODE.citation, _PEARCE_CODE.location,
                    "The same fit with Hoffmann et al.'s unrounded coefficients (0.7388).")),
    Constant("kaplan_min_nonembedding_params", 768.0, "parameters",
             Source("kaplan2020scaling", "Section 1 and Section 3",
                    "'768 to 1.5 billion non-embedding parameters'.")),
    Constant("kaplan_max_nonembedding_params", 1.5e9, "parameters",
             Source("kaplan2020scaling", "Section 1 and Section 3")),
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
    Constant("kaplan_training_steps", 2.5e5, "optimiser steps",
             Source("kaplan2020scaling", "Section 2.2",
                    "'for a fixed 2.5 x 10^5 steps with a batch size of 512 sequences of 1024 "
                    "tokens', unless otherwise noted.")),
    Constant("kaplan_batch_tokens", 512 * 1024, "tokens",
             Source("kaplan2020scaling", "Section 2.2; Section 5.1",
                    "512 sequences of 1024 tokens; Section 5.1 writes it 'B = 2^19 tokens'.")),
    Constant("kaplan_warmup_steps", 3000.0, "optimiser steps",
             Source("kaplan2020scaling", "Section 2.2",
                    "'a learning rate schedule with a 3000 step linear warmup followed by a "
                    "cosine decay to zero', for all runs unless otherwise noted.")),
    Constant("kaplan_critical_batch_compute_ratio", 2.0, "C / C_min",
             Source("kaplan2020scaling", "Section 6.3, before Eq. 6.7; Section 5.1",
                    "'If we train at the critical batch size (i.e. C = 2C_min)'; training at "
                    "B_crit takes 2 S_min steps and 2 E_min examples (after Eq. 5.2).")),
    Constant("kaplan_bcrit_doubling_loss_drop", 0.13, "fraction of the loss",
             Source("kaplan2020scaling", "Figure 10 caption",
                    "'the critical batch size approximately doubles for every 13% decrease in "
                    "loss'.")),
    Constant("kaplan_alpha_c_min_predicted", 0.054, "exponent",
             Source("kaplan2020scaling", "Eq. 6.4",
                    "alpha_C^min = 1/(1/alpha_S + 1/alpha_B + 1/alpha_N), printed '~ 0.054'; "
                    "Appendix B, Eq. B.7, prints the same expression as '~ 0.052'.")),
    Constant("kaplan_alpha_c_min_appendix", 0.052, "exponent",
             Source("kaplan2020scaling", "Appendix B.2, Eq. B.7")),
    Constant("kaplan_n_opt_exponent_predicted", 0.71, "exponent",
             Source("kaplan2020scaling", "Eq. 6.5",
                    "N(C_min) proportional to C_min^(alpha_C^min / alpha_N), printed '~ 0.71'.")),
    Constant("kaplan_converged_excess", 0.10, "fraction of the converged loss",
             Source("kaplan2020scaling", "Appendix B.2, Eq. B.5",
                    "Compute-efficient training stops 'a fixed percentage alpha_N/alpha_S ~ 10% "
                    "above the converged loss'.")),
    Constant("hoffmann_kaplan_params_at_1e21", 4.68e9, "parameters",
             Source("hoffmann2022training", "Appendix D.4",
                    "Hoffmann et al.'s reading of Kaplan et al. at 1e21 FLOPs: 'the optimal "
                    "model size should be 4.68 billion parameters'.")),
    Constant("hoffmann_head_to_head_flops", 1e21, "FLOPs",
             Source("hoffmann2022training", "Appendix D.4",
                    "The budget of the head-to-head comparison with Kaplan et al.")),
    Constant("porian_kaplan_reference_exponent", 0.88, "exponent",
             Source("porian2024resolving",
                    "Authors' code: make_paper.ipynb (results table, reference row 'Kaplan "
                    "Law, WebText2') and plotting.py ('Kaplan law')",
                    "The exponent Porian et al. compare their reproduction with: Kaplan et "
                    "al.'s fit of N against the compute spent at a fixed batch size, "
                    "N = 1.6e9 C^0.88 with C in PF-days, drawn in Kaplan et al.'s Figure 14 "
                    "(left) beside the batch-adjusted N = 1.3e9 C_min^0.73. Read in the "
                    "authors' released code; their plotting code uses 0.73 ('Adjusted Kaplan "
                    "law') only for runs with tuned hyperparameters.")),
    Constant("hestness_beta_g_shallowest", -0.07, "exponent", _HESTNESS_S1),
    Constant("hestness_beta_g_steepest", -0.35, "exponent", _HESTNESS_S1),
    Constant("hestness_theory_beta_g", -0.5, "exponent",
             Source("hestness2017deep", "Section 1, p. 2",
                    "Earlier theory: 'beta_g = -0.5 or -1'.")),
    Constant(
        "pf_day", 1e15 * 86_400, "FLOPs",
        Source("kaplan2020scaling", "Section 1.3 (notation)",
               "One petaflop/s sustained for a day: 1e15 FLOP/s x 86,400 s."),
    ),
    Constant(
        "kaplan_nonembedding_params_coefficient", 12.0, "parameters / (n_layer d_model^2)",
        Source("kaplan2020scaling", "Eq. 2.1",
               "N = 2 d_model n_layer (2 d_attn + d_ff) = 12 n_layer d_model^2 when "
               "d_attn = d_ff / 4 = d_model."),
    ),
    Constant(
        "training_flops_per_param_per_token", 6.0, "FLOPs / (parameter token)",
        Source("kaplan2020scaling", "Section 2.1",
               "Forward pass about 2N FLOPs per token; backward about twice that."),
    ),
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
        "gpt3_training_flops", 3.14e23, "FLOPs",
        Source("brown2020language", "Appendix D, Table D.1",
               "Reported as 3.64e3 PF-days for GPT-3 175B."),
    ),
    Constant(
        "gpt3_training_pf_days", 3.64e3, "PF-days",
        Source("brown2020language", "Appendix D, Table D.1",
               "Printed as 3.64E+03 PF-days beside 3.14E+23 FLOPs; converting the rounded "
               "FLOP count gives 3,634 PF-days, so the two columns are rounded separately."),
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
    Constant(
        "palm_540b_model_flops_utilisation", 0.462, "fraction of peak",
        Source("chowdhery2022palm", "Section 4.1 (training efficiency), Table 3",
               "Model FLOPs utilisation of PaLM 540B on TPU v4, the highest the paper reports "
               "for models of its time. Read in restatements of the paper (not in its text "
               "here).", "secondary"),
    ),
    Constant(
        "a100_bf16_peak_flops_per_second", 312e12, "FLOP/s",
        Source("nvidia2020a100", "Datasheet, BF16 Tensor Core (dense)",
               "Dense peak; the datasheet's 624 TFLOP/s assumes structured sparsity."),
    ),
    Constant(
        "h100_sxm_bf16_peak_flops_per_second", 989e12, "FLOP/s",
        Source("nvidia2022h100", "Datasheet, H100 SXM BF16 Tensor Core (dense)",
               "Dense peak; the datasheet's 1,979 TFLOP/s assumes structured sparsity."),
    ),
    # Chapter 4: Besiroglu et al.'s tests of Hoffmann et al.'s Approach 3 estimates, as their
    # notebook prints them (epoch-research/analyzing-chinchilla, data_analysis.ipynb; cells
    # counted from 0). The t-tests compare their estimates with Hoffmann et al.'s unrounded
    # values, using the bootstrap standard errors, with 240 - 5 degrees of freedom.
    *(Constant(f"besiroglu_se_{name}", value, unit,
               Source("besiroglu2024chinchilla", "data_analysis.ipynb (cell 25 output)",
                      "Standard deviation over 4,000 bootstrap refits, printed in brackets "
                      "beside the estimate."))
      for name, value, unit in (("A", 124.52232, "nats per token"),
                                ("B", 1293.28410, "nats per token"),
                                ("E", 0.02566, "nats per token"), ("alpha", 0.01540, "exponent"),
                                ("beta", 0.02060, "exponent"))),
    *(Constant(f"besiroglu_t_test_p_{name}", value, "p-value (two-sided)",
               Source("besiroglu2024chinchilla", "data_analysis.ipynb (cell 28 output)",
                      "t-test of Hoffmann et al.'s unrounded value against Besiroglu et al.'s "
                      "estimate and bootstrap standard error, 235 degrees of freedom; printed "
                      "to two significant figures."))
      for name, value in (("A", 0.54), ("B", 0.20), ("E", 2.7e-6), ("alpha", 0.58),
                          ("beta", 1.1e-4))),
    Constant("besiroglu_bootstrap_resamples", 4000.0, "resamples",
             Source("besiroglu2024chinchilla", "data_analysis.ipynb (cell 15)",
                    "bootstraps = 4000: resamples of the 240 points, drawn with replacement.")),
    Constant("besiroglu_points_fitted", 240.0, "runs",
             Source("besiroglu2024chinchilla", "data_analysis.ipynb (cell 59 output)",
                    "'Our sample size is 240': 245 extracted points less the five with the "
                    "highest loss.")),
    Constant("besiroglu_chi2_statistic", 238.40, "chi-squared, 5 degrees of freedom",
             Source("besiroglu2024chinchilla", "data_analysis.ipynb (cells 34 and 55 output)",
                    "Joint test of all five of Hoffmann et al.'s unrounded values (in the log "
                    "parameterisation) against the bootstrap covariance.")),
    Constant("besiroglu_chi2_p", 1.69e-49, "p-value",
             Source("besiroglu2024chinchilla", "data_analysis.ipynb (cells 34 and 55 output)",
                    "Printed as 1.69e-49.")),
    Constant("besiroglu_lr_statistic", 84.00, "chi-squared, 5 degrees of freedom",
             Source("besiroglu2024chinchilla", "data_analysis.ipynb (cell 49 output)",
                    "Likelihood-ratio test, Huber likelihood with fitted scale: Hoffmann et "
                    "al.'s unrounded fit (scale fitted) against Besiroglu et al.'s fit, on the "
                    "240 points.")),
    Constant("besiroglu_lr_p", 1.22e-16, "p-value",
             Source("besiroglu2024chinchilla", "data_analysis.ipynb (cell 49 output)",
                    "Printed as 1.22e-16 (Wilks, chi-squared with 5 degrees of freedom).")),
    Constant("besiroglu_a_se", 0.020, "exponent",
             Source("besiroglu2024chinchilla", "data_analysis.ipynb (cell 59 output)",
                    "Standard deviation of a = beta / (alpha + beta) over the bootstrap.")),
    Constant("besiroglu_a_width80", 0.051, "exponent",
             Source("besiroglu2024chinchilla", "data_analysis.ipynb (cell 59 output)",
                    "Width of the 10th-to-90th percentile interval of a over the bootstrap.")),
    Constant("besiroglu_runs_for_published_width", 634_773.0, "runs",
             Source("besiroglu2024chinchilla", "data_analysis.ipynb (cell 59 output); abstract",
                    "240 x (width / 0.001)^2 with the unrounded bootstrap width; the abstract "
                    "says 'over 600,000 experiments'.")),
    Constant("jones_hex_train_exponent", -1.2, "decades of test compute per decade of train",
             _JONES_FIG9),
    Constant("jones_hex_elo_coefficient", 0.004, "decades of test compute per Elo", _JONES_FIG9),
    Constant("jones_hex_intercept", 29.0, "log10 FLOPs", _JONES_FIG9),
    Constant("jones_hex_test_saving_per_train_decade", 15.0, "factor",
             Source("jones2021scaling", "Section IV-C, 'Train-test trade-off'",
                    "'About 15x' of test-time compute saved per 10x of train-time compute, "
                    "down to a floor of a single-node tree search. Read in a copy of the "
                    "text.", "secondary")),
    Constant("snell_inference_ratio_low", 0.16, "inference / pretraining tokens", _SNELL_S7),
    Constant("snell_inference_ratio_mid", 0.79, "inference / pretraining tokens", _SNELL_S7),
    Constant("snell_inference_ratio_high", 22.0, "inference / pretraining tokens", _SNELL_S7),
    Constant("snell_larger_model_factor", 14.0, "parameters ratio",
             Source("snell2024scaling", "Abstract; Section 7 and Figure 1 (right)",
                    "'Outperform a 14x larger model' in a FLOPs-matched evaluation, on "
                    "problems where the smaller model has non-trivial success rates "
                    "(abstract); Section 7 compares against 'scaling up model parameters by a "
                    "factor of ~14'. Read in the paper's text (the arXiv abstract and a copy "
                    "of the authors' LaTeX source); promoted from secondary for issue 13.")),
    Constant("snell_efficiency_over_best_of_n", 4.0, "factor",
             Source("snell2024scaling", "Abstract; Sections 5.3 and 6.2; Figure 1 caption",
                    "'More than 4x' more efficient than best-of-N (abstract); 'up to 4x less "
                    "test-time compute' for search (16 against 64 generations, Section 5.3) "
                    "and for revisions (64 against 256 samples, Section 6.2); Section 8 says "
                    "2-4x. Read in the paper's text (the arXiv abstract and a copy of the "
                    "authors' LaTeX source); promoted from secondary for issue 13.")),
    Constant("zhai_finetune_floor", 0.09, "error (fraction)", _ZHAI_FIG2),
    Constant("zhai_finetune_coefficient", 0.26, "error (fraction)", _ZHAI_FIG2),
    Constant("zhai_finetune_shift", 0.01, "TPUv3 core-days", _ZHAI_FIG2),
    Constant("zhai_finetune_exponent", 0.35, "exponent", _ZHAI_FIG2),
    Constant("zhai_10shot_floor", 0.12, "error (fraction)", _ZHAI_FIG2),
    Constant("zhai_10shot_coefficient", 0.63, "error (fraction)", _ZHAI_FIG2),
    Constant("zhai_10shot_shift", 0.52, "TPUv3 core-days", _ZHAI_FIG2),
    Constant("zhai_10shot_exponent", 0.32, "exponent", _ZHAI_FIG2),
    Constant("zhai_vitg_finetune_accuracy", 0.9045, "accuracy (fraction)",
             Source("zhai2022scaling", "Abstract", "ViT-G/14: 90.45% top-1 on ImageNet.")),
    Constant("o1_aime_pass1", 0.74, "accuracy (fraction)", _O1_EVALS),
    Constant("o1_aime_consensus64", 0.83, "accuracy (fraction)", _O1_EVALS),
    Constant("o1_aime_rerank1000", 0.93, "accuracy (fraction)", _O1_EVALS),
    Constant("gpt4o_aime_pass1", 0.12, "accuracy (fraction)", _O1_EVALS),
    Constant("xiao_densing_slope", 0.007, "per day", _XIAO_HIGHLIGHTS),
    Constant("xiao_densing_r2", 0.93, "R^2", _XIAO_HIGHLIGHTS),
    Constant("xiao_doubling_months", 3.3, "months", _XIAO_HIGHLIGHTS),
    Constant("xiao_densing_slope_s33", 0.0073, "per day", _XIAO_S33),
    Constant("xiao_densing_r2_s33", 0.912, "R^2", _XIAO_S33),
    Constant("xiao_doubling_days_s33", 95.0, "days", _XIAO_S33),
    Constant("xiao_models_evaluated", 29.0, "models", _XIAO_S33),
    Constant("xiao_reference_tokens", 1e12, "tokens", Source(
        "xiao2024densing", "Section 2.4",
        "D0 = 1T tokens, the training data at which effective sizes are read off (arXiv v2; "
        "a note on the journal version says 5T, unchecked).")),
    Constant("xiao_slope_before_chatgpt", 0.0048, "per day", _XIAO_S34),
    Constant("xiao_slope_after_chatgpt", 0.0073, "per day", _XIAO_S34),
    Constant("xiao_price_gpt35_dec2022", 20.0, "US dollars per million tokens", _XIAO_S34),
    Constant("xiao_price_gemini15flash_aug2024", 0.075, "US dollars per million tokens",
             _XIAO_S34),
    Constant("xiao_price_reduction", 266.7, "factor", _XIAO_S34),
    Constant("xiao_price_halving_months", 2.6, "months", _XIAO_S34),
    Constant("xiao_chip_doubling_years", 2.1, "years", Source(
        "xiao2024densing", "Section 3.4 (arXiv v2)",
        "Price-performance of chips doubling about every 2.1 years, which the paper takes "
        "from Hobbhahn et al. (2023).")),
    Constant("xiao_effective_size_doubling_days", 88.0, "days", _XIAO_S34),
    Constant("xiao_journal_doubling_months", 3.5, "months", Source(
        "xiao2025densing", "Abstract",
        "Read only in verbatim copies of the journal abstract (a bibliographic record and a "
        "forum post quoting it); nature.com itself is not stored, and the journal's body, "
        "model list and fitted constants were not read here.", "secondary")),
    Constant("xiao_reference_models", 6.0, "models", _XIAO_REFERENCE_MODELS),
    Constant("xiao_reference_smallest_params", 5_247_232.0, "parameters", _XIAO_REFERENCE_MODELS),
    Constant("xiao_reference_largest_params", 828_225_024.0, "parameters",
             _XIAO_REFERENCE_MODELS),
    Constant("caballero_addition_points", 17.0, "points", _CABALLERO_ADDITION),
    Constant("caballero_addition_fitted", 14.0, "points", _CABALLERO_ADDITION),
    Constant("caballero_sim_a", 0.41388, "floor (test cross-entropy)", _CABALLERO_SIMULATION),
    Constant("caballero_sim_b", 2.2773, "scale", _CABALLERO_SIMULATION),
    Constant("caballero_sim_c0", 0.055077, "exponent", _CABALLERO_SIMULATION),
    Constant("caballero_sim_c1", 5.6629, "exponent", _CABALLERO_SIMULATION),
    Constant("caballero_sim_d1", 612.58, "training-set size", _CABALLERO_SIMULATION),
    Constant("caballero_sim_f1", 0.059193, "sharpness", _CABALLERO_SIMULATION),
    Constant("caballero_sim_split_default", 405.0, "last fitted x", _CABALLERO_SIMULATION_SPLIT),
    Constant("caballero_sim_split_failure", 390.0, "last fitted x", _CABALLERO_SIMULATION_SPLIT),
    Constant("pythia_1p4b_peak_lr", 2e-4, "learning rate", _PYTHIA_1P4B_CONFIG),
    Constant("pythia_1p4b_min_lr", 2e-5, "learning rate", _PYTHIA_1P4B_CONFIG),
    Constant("pythia_1p4b_warmup_fraction", 0.01, "fraction of training steps",
             _PYTHIA_1P4B_CONFIG),
    Constant("pythia_1p4b_train_iters", 143_000.0, "steps", _PYTHIA_1P4B_CONFIG),
    Constant("gordon_deen_alpha_n", 0.1222, "exponent", _GORDON_DEEN),
    Constant("gordon_deen_n_c", 2.590e8, "non-embedding parameters", _GORDON_DEEN),
    Constant("gordon_deen_alpha_d", 0.4204, "exponent", _GORDON_DEEN),
    Constant("gordon_deen_d_c", 1.779e8, "bytes of training text", _GORDON_DEEN),
    Constant("gordon_deen_bleu_scale", 76.16, "BLEU", _GORDON_DEEN),
    Constant("gordon_deen_bleu_decay", 0.4697, "per nat per token", _GORDON_DEEN),
    Constant("lightman_prm_math_solved", 0.78, "fraction of problems",
             Source("lightman2023lets", "Abstract (arXiv:2305.20050)",
                    "A generator's samples re-ranked by a process-supervised reward model, on "
                    "'a representative subset of the MATH test set'.")),
    Constant("alphacode_percentile_rank", 0.543, "fraction of participants (top)",
             Source("li2022competition", "Abstract (arXiv:2203.07814)",
                    "'Top 54.3%' in competitions with more than 5,000 participants.")),
    Constant(
        "mixtral_total_params", 47e9, "parameters",
        Source("jiang2024mixtral", "Abstract", "Rounded to the billion in the source."),
    ),
    Constant(
        "mixtral_active_params", 13e9, "parameters",
        Source("jiang2024mixtral", "Abstract",
               "Parameters used per token (two of eight experts); rounded in the source."),
    ),
)

CONSTANTS: Mapping[str, Constant] = MappingProxyType({c.name: c for c in _CONSTANTS})
"""Published scalar constants by name."""


_ARCHITECTURES = (
    PublishedShape(
        "GPT-3 175B",
        MappingProxyType({"n_layer": 96, "d_model": 12288, "n_heads": 96, "vocab_size": 50257,
                          "n_ctx": 2048, "learned_positions": True, "tied_embeddings": True}),
        Source("brown2020language", "Table 2.1 (shape); Section 2.1 (tokenizer and context)",
               "Vocabulary of GPT-2's byte-level BPE (Radford et al. 2019); d_ff = 4 d_model."),
    ),
    PublishedShape(
        "GPT-2 small",
        MappingProxyType({"n_layer": 12, "d_model": 768, "n_heads": 12, "vocab_size": 50257,
                          "n_ctx": 1024, "learned_positions": True, "tied_embeddings": True}),
        Source("radford2019language", "Table 2 (shape) and the authors' released code",
               "The paper lists this model as 117M parameters; the authors' README later "
               "corrected it to 124M (biases and layer norms included).")),
    PublishedShape(
        "Chinchilla 70B",
        MappingProxyType({"n_layer": 80, "d_model": 8192, "n_heads": 64, "head_dim": 128,
                          "vocab_size": 32000, "n_ctx": 2048, "tied_embeddings": True}),
        Source("hoffmann2022training", "Table 4 (shape); Table A8 (vocabulary)",
               "Relative positional encodings (as in Gopher), so no position table; "
               "d_ff = 4 d_model. A plain count gives 64.7B against the stated 70B: the "
               "extra parameters are not itemised in the paper.")),
    PublishedShape(
        "Mixtral 8x7B",
        MappingProxyType({"n_layer": 32, "d_model": 4096, "n_heads": 32, "n_kv_heads": 8,
                          "head_dim": 128, "d_ff": 14336, "vocab_size": 32000,
                          "n_ctx": 32768, "gated_mlp": True, "n_experts": 8,
                          "experts_per_token": 2, "tied_embeddings": False}),
        Source("jiang2024mixtral", "Table 1",
               "SwiGLU experts as in Mistral 7B; rotary positions, so no position table."),
    ),
)

ARCHITECTURES: Mapping[str, PublishedShape] = MappingProxyType(
    {a.name: a for a in _ARCHITECTURES})
"""Published transformer shapes by name."""


@dataclass(frozen=True)
class LearningCurveExponent:
    """An exponent of Hestness et al. (2017): error ~ m^beta_g, model size ~ m^beta_p.

    Attributes
    ----------
    domain
        The task and model family.
    metric
        What was fitted (an error rate or a cross-entropy, with units).
    kind
        ``"beta_g"`` (generalisation error against training-set size m) or ``"beta_p"``
        (parameters of the best model against m).
    value
        The exponent as printed.
    source
        Where it is printed.
    """

    domain: str
    metric: str
    kind: str
    value: float
    source: Source


_HESTNESS_2019 = Source(
    "hestness2019beyond", "Table 1",
    "The authors' own restatement of the 2017 values ('as found in the prior work'); the "
    "2017 text could not be read here, so these await a check against it.", "secondary")
_HESTNESS_IMAGENET = Source("hestness2017deep", "Section 4, image classification",
                            "Quoted verbatim from the 2017 text.")

HESTNESS_EXPONENTS: tuple[LearningCurveExponent, ...] = (
    LearningCurveExponent("Machine translation (encoder-decoder, attention)",
                          "word-piece error rate", "beta_g", -0.128, _HESTNESS_2019),
    LearningCurveExponent("Word language model (LSTM)", "cross-entropy, nats per word",
                          "beta_g", -0.066, _HESTNESS_2019),
    LearningCurveExponent("Character language model (RHN)", "cross-entropy, bits per character",
                          "beta_g", -0.092, Source(
                              "hestness2019beyond", "Table 1",
                              _HESTNESS_2019.note + " Reading notes elsewhere give -0.094, "
                              "or -0.0936 (SGD) and -0.0954 (Adam).", "secondary")),
    LearningCurveExponent("Image classification (ResNet)", "top-1 error", "beta_g", -0.309,
                          _HESTNESS_IMAGENET),
    LearningCurveExponent("Image classification (ResNet)", "top-5 error", "beta_g", -0.488,
                          _HESTNESS_IMAGENET),
    LearningCurveExponent("Speech recognition (encoder-decoder, attention)",
                          "character error rate", "beta_g", -0.291, Source(
                              "hestness2019beyond", "Table 1",
                              _HESTNESS_2019.note + " Other secondary sources give -0.299 "
                              "(Deep Speech 2).", "secondary")),
    LearningCurveExponent("Machine translation (encoder-decoder, attention)", "parameters",
                          "beta_p", 0.68, _HESTNESS_2019),
    LearningCurveExponent("Word language model (LSTM)", "parameters", "beta_p", 0.68,
                          Source("hestness2019beyond", "Table 1",
                                 _HESTNESS_2019.note + " Other secondary sources give "
                                 "beta_p of about 0.72 for the word language model.",
                                 "secondary")),
    LearningCurveExponent("Character language model (RHN)", "parameters", "beta_p", 0.89,
                          _HESTNESS_2019),
    LearningCurveExponent("Image classification (ResNet)", "parameters", "beta_p", 0.57,
                          _HESTNESS_2019),
    LearningCurveExponent("Speech recognition (encoder-decoder, attention)", "parameters",
                          "beta_p", 0.54, _HESTNESS_2019),
)
"""Hestness et al.'s learning-curve (beta_g) and model-size (beta_p) exponents."""

_K = "kaplan2020scaling"
_LOSS = "test loss, nats per token"

_FITS = (
    PublishedFit("kaplan2020/L(N)", "L = (N_c / N)^alpha_N",
                 MappingProxyType({"alpha_N": 0.076, "N_c": 8.8e13}),
                 "N, non-embedding parameters", _LOSS,
                 Source(_K, "Eq. 1.1; Table 5", "Models trained to convergence on enough data.")),
    PublishedFit("kaplan2020/L(D)", "L = (D_c / D)^alpha_D",
                 MappingProxyType({"alpha_D": 0.095, "D_c": 5.4e13}),
                 "D, tokens", _LOSS,
                 Source(_K, "Eq. 1.2; Table 5", "Large models trained with early stopping.")),
    PublishedFit("kaplan2020/L(C_min)", "L = (C_c / C_min)^alpha_C",
                 MappingProxyType({"alpha_C": 0.050, "C_c": 3.1e8}),
                 "C_min, PF-days", _LOSS,
                 Source(_K, "Eq. 1.3; Table 5",
                        "Minimum compute: trained at batch sizes well below B_crit.")),
    PublishedFit("kaplan2020/L(C) fixed batch", "L = (C_c / C)^alpha_C",
                 MappingProxyType({"alpha_C": 0.057, "C_c": 1.6e7}),
                 "C, PF-days", _LOSS,
                 Source(_K, "Table 5", "Naive fit at a fixed batch size.")),
    PublishedFit("kaplan2020/L(N,D)", "L = ((N_c / N)^(alpha_N / alpha_D) + D_c / D)^alpha_D",
                 MappingProxyType({"alpha_N": 0.076, "alpha_D": 0.103, "N_c": 6.4e13,
                                   "D_c": 1.8e13}),
                 "N, non-embedding parameters; D, tokens", _LOSS,
                 Source(_K, "Eq. 1.5; Section 4.2, Table 2",
                        "Fitted jointly; its constants differ from the single-variable fits.")),
    PublishedFit("kaplan2020/L(N,S_min)", "L = (N_c / N)^alpha_N + (S_c / S_min)^alpha_S",
                 MappingProxyType({"alpha_N": 0.077, "alpha_S": 0.76, "N_c": 6.5e13,
                                   "S_c": 2.1e3}),
                 "N, non-embedding parameters; S_min, optimiser steps", _LOSS,
                 Source(_K, "Eq. 1.6; Table 3")),
    PublishedFit("kaplan2020/B_crit(L)", "B_crit = B_star / L^(1 / alpha_B)",
                 MappingProxyType({"B_star": 2.1e8, "alpha_B": 0.21}),
                 _LOSS, "critical batch size, tokens",
                 Source(_K, "Eq. 1.4; Table 5",
                        "Table 5 prints 2.1e8; the text of Eq. 1.4 rounds it to 2e8.")),
    PublishedFit("kaplan2020/N_opt(C_min)", "N_opt = N_e * C_min^p_N",
                 MappingProxyType({"N_e": 1.3e9, "p_N": 0.73}),
                 "C_min, PF-days", "N, non-embedding parameters",
                 Source(_K, "Eq. 6.1; Appendix A, Table 6",
                        "From training curves (the compute-efficient frontier).")),
    PublishedFit("kaplan2020/B(C_min)", "B = B_e * C_min^p_B",
                 MappingProxyType({"B_e": 2.0e6, "p_B": 0.24}),
                 "C_min, PF-days", "batch size, tokens",
                 Source(_K, "Eq. 6.1; Appendix A, Table 6")),
    PublishedFit("kaplan2020/S_min(C_min)", "S_min = S_e * C_min^p_S",
                 MappingProxyType({"S_e": 5.4e3, "p_S": 0.03}),
                 "C_min, PF-days", "optimiser steps",
                 Source(_K, "Eq. 6.1; Appendix A, Table 6")),
    PublishedFit("kaplan2020/D_opt(C_min)", "D_opt = D_e * C_min^p_D",
                 MappingProxyType({"D_e": 2e10, "p_D": 0.27}),
                 "C_min, PF-days", "D, tokens",
                 Source(_K, "Eq. 6.2; Appendix A, Table 6")),
    PublishedFit("kaplan2020/overfitting", "D >= D_e * N^p",
                 MappingProxyType({"D_e": 5e3, "p": 0.74}),
                 "N, non-embedding parameters", "D, tokens",
                 Source(_K, "Eq. 4.4",
                        "Data needed to keep the over-fitting penalty below the ~2% "
                        "run-to-run variation of the loss.")),
)

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

_FITS = _FITS + tuple(
    PublishedFit(f"henighan2020/L(N) {domain}", "L = L_inf + (N_0 / N)^alpha",
                 MappingProxyType({"L_inf": l_inf, "N_0": n_0, "alpha": alpha}),
                 "N, non-embedding parameters", _LOSS, _H)
    for domain, (l_inf, n_0, alpha) in _HENIGHAN_L_N.items()
) + tuple(
    PublishedFit(f"henighan2020/L(C) {domain}", "L = L_inf + (C_0 / C)^alpha",
                 MappingProxyType({"L_inf": l_inf, "C_0": c_0, "alpha": alpha}),
                 "C, PF-days", _LOSS, _H)
    for domain, (l_inf, c_0, alpha) in _HENIGHAN_L_C.items()
) + tuple(
    PublishedFit(f"henighan2020/N_opt(C) {domain}", "N_opt = (C / C_0)^beta",
                 MappingProxyType({"C_0": c_0, "beta": beta}),
                 "C, PF-days", "N, non-embedding parameters", _H)
    for domain, (c_0, beta) in _HENIGHAN_N_OPT.items()
) + tuple(
    PublishedFit(f"henighan2020/L(N) {domain}", "L = L_inf + (N_0 / N)^alpha",
                 MappingProxyType({"L_inf": l_inf, "N_0": n_0, "alpha": alpha}),
                 "N, non-embedding parameters", _LOSS, _H)
    for domain, (l_inf, n_0, alpha) in _HENIGHAN_L_N_TEXT.items()
) + (
    PublishedFit("brown2020/L(C)", "L = L_c * C^(-alpha)",
                 MappingProxyType({"L_c": 2.57, "alpha": 0.048}),
                 "C, PF-days", "validation loss, nats per token",
                 Source("brown2020language", "Figure 3.1",
                        "Printed inside the figure, with no additive constant; the same curve "
                        "as Henighan et al.'s Table 1 language L(C), since "
                        "(3.47e8)^0.048 = 2.57.")),
)

_CHINCHILLA_FORM = "L = E + A / N^alpha + B / D^beta"
_CHINCHILLA_UNITS = ("N, parameters (embeddings included); D, tokens",
                     "loss, nats per token (MassiveText)")
# Besiroglu et al.'s notebook restates the paper's unrounded values, from its TeX source, as
# logarithms (a, b, e) = (6.0073404, 6.0179186, 0.5267228).
_HOFFMANN_UNROUNDED_LOGS = {"a": 6.0073404, "b": 6.0179186, "e": 0.5267228}

_FITS = _FITS + (
    PublishedFit("hoffmann2022/approach3", _CHINCHILLA_FORM,
                 MappingProxyType({"E": 1.69, "A": 406.4, "B": 410.7, "alpha": 0.34,
                                   "beta": 0.28}),
                 *_CHINCHILLA_UNITS,
                 Source("hoffmann2022training", "Appendix D.2, Eq. 10",
                        "Rounded as printed; the exponents give a = 0.452, not the 0.46 of "
                        "Table 2, which comes from the unrounded values.")),
    PublishedFit("hoffmann2022/approach3 unrounded", _CHINCHILLA_FORM,
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
                        "secondary")),
    PublishedFit("besiroglu2024/refit", _CHINCHILLA_FORM,
                 MappingProxyType({"E": 1.81686, "A": 482.00572, "B": 2085.43420,
                                   "alpha": 0.34781, "beta": 0.36585}),
                 *_CHINCHILLA_UNITS,
                 Source("besiroglu2024chinchilla",
                        "data_analysis.ipynb (cell 25 output); paper Table 1",
                        "Maximum-likelihood fit with a Huber likelihood to 240 points digitised "
                        "from Hoffmann et al.'s Figure 4. The paper prints E = 1.8172, the E of "
                        "the notebook's grid fit of the Huber loss.")),
)

_HERNANDEZ = Source("hernandez2021scaling", "Table 1 (Eq. 1.1)",
                    "Read in notes quoting the paper, not in its text. The 'text+code' fit is "
                    "for pre-training on 50% text and 50% non-Python code.", "secondary")

_FITS = _FITS + (
    PublishedFit("hernandez2021/text", "D_T = k D_F^alpha N^beta",
                 MappingProxyType({"k": 1.9e4, "alpha": 0.18, "beta": 0.38}),
                 "D_F, fine-tuning characters; N, non-embedding parameters",
                 "D_T, effective characters transferred", _HERNANDEZ),
    PublishedFit("hernandez2021/text+code", "D_T = k D_F^alpha N^beta",
                 MappingProxyType({"k": 2.1e5, "alpha": 0.096, "beta": 0.38}),
                 "D_F, fine-tuning characters; N, non-embedding parameters",
                 "D_T, effective characters transferred", _HERNANDEZ),
)

_FITS = _FITS + (
    PublishedFit("kumar2024/base", "L = E + A / N^alpha + B / D^beta",
                 MappingProxyType({"E": 2.7648, "A": 4.299e3, "B": 1.806e4, "alpha": 0.4965,
                                   "beta": 0.4965}),
                 "N, parameters; D, tokens", "loss, nats per token (Dolma)",
                 Source("kumar2024scaling", "Appendix K, Table 2",
                        "Fitted with alpha and beta tied; their models span 30M to 220M "
                        "parameters.")),
)

_MUENNIGHOFF_LOGS = {"a": 6.255414, "b": 7.3049974, "e": 0.6254804}

_FITS = _FITS + (
    PublishedFit("sardana2024/constants", _CHINCHILLA_FORM,
                 MappingProxyType({"E": 1.69, "A": 406.4, "B": 410.7, "alpha": 0.336,
                                   "beta": 0.283}),
                 *_CHINCHILLA_UNITS,
                 Source("sardana2024beyond", "Authors' code (utils.py, ChinchillaConstants)",
                        "The constants the paper's calculations use, described as Chinchilla's; "
                        "the exponents differ from the 0.34 and 0.28 printed by Hoffmann et al.")),
    PublishedFit("muennighoff2023/base", _CHINCHILLA_FORM,
                 MappingProxyType({"E": math.exp(_MUENNIGHOFF_LOGS["e"]),
                                   "A": math.exp(_MUENNIGHOFF_LOGS["a"]),
                                   "B": math.exp(_MUENNIGHOFF_LOGS["b"]),
                                   "alpha": 0.3526596, "beta": 0.3526596}),
                 "N, parameters; D, tokens (unique)", "loss, nats per token (C4)",
                 Source("muennighoff2023scaling", "Appendix B, Eqs. 19-21",
                        "Printed as log values a = 6.255414, b = 7.3049974, e = 0.6254804 with "
                        "alpha = beta = 0.3526596 (rounded in Eq. 17 to 521, 1488, 1.87, 0.35).")),
)

HENIGHAN_DOMAINS: tuple[str, ...] = tuple(_HENIGHAN_L_N)
"""The domains of Henighan et al. (2020), Table 1, in the paper's order."""

HENIGHAN_TEXT_LOSS_DOMAINS: tuple[str, ...] = tuple(_HENIGHAN_L_N_TEXT)
"""Table 1's two text-loss rows of the multimodal models (an L(N) fit only)."""

FITS: Mapping[str, PublishedFit] = MappingProxyType({f.name: f for f in _FITS})
"""Published fitted laws by name."""


@dataclass(frozen=True)
class PublishedInterval:
    """An estimate with the interval its paper prints.

    Attributes
    ----------
    method
        Which estimate (an approach, a fit).
    parameter
        The parameter's name.
    estimate, low, high
        The estimate and its interval as printed (``low`` and ``high`` are NaN if the paper
        gives no interval).
    level
        The interval's coverage, for example 0.8 for 10th to 90th percentiles.
    source
        Where it is printed.
    """

    method: str
    parameter: str
    estimate: float
    low: float
    high: float
    level: float
    source: Source


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

_BESIROGLU_CI = Source("besiroglu2024chinchilla", "data_analysis.ipynb (cell 26 output)",
                       "2.5th and 97.5th percentiles over 4,000 bootstrap refits.")

BESIROGLU_INTERVALS: tuple[PublishedInterval, ...] = (
    PublishedInterval("Besiroglu et al. (2024)", "E", 1.81686, 1.769, 1.871, 0.95, _BESIROGLU_CI),
    PublishedInterval("Besiroglu et al. (2024)", "A", 482.00572, 285.214, 743.626, 0.95,
                      _BESIROGLU_CI),
    PublishedInterval("Besiroglu et al. (2024)", "B", 2085.43420, 1042.357, 5810.344, 0.95,
                      _BESIROGLU_CI),
    PublishedInterval("Besiroglu et al. (2024)", "alpha", 0.34781, 0.317, 0.373, 0.95,
                      _BESIROGLU_CI),
    PublishedInterval("Besiroglu et al. (2024)", "beta", 0.36585, 0.331, 0.415, 0.95,
                      _BESIROGLU_CI),
)
"""Besiroglu et al. (2024): their fit with 95% bootstrap intervals."""


_PORIAN = Source("porian2024resolving", "Table 1 / Figure 1, regenerated from the authors' "
                 "released code and data",
                 "Values from re-running the authors' results table on their released "
                 "summaries; the paper's printed table was not read here (the stored copies "
                 "of the arXiv page show only its opening), so they stay secondary. Step "
                 "labels follow configs.py: the first four steps are cumulative; the last, "
                 "'Optimizer tuning (no decay)', tunes the hyperparameters per scale and "
                 "trains at a constant learning rate, replacing the cosine decay of the step "
                 "before it.", "secondary")

@dataclass(frozen=True)
class SearchScalingRun:
    """One AlphaGo configuration of Silver et al. (2016), Extended Data Table 8 (2 s per move).

    Attributes
    ----------
    search
        ``"asynchronous"`` (one machine) or ``"distributed"``.
    threads, cpus, gpus
        Search threads, CPUs and GPUs.
    elo
        Strength on the paper's BayesElo scale.
    """

    search: str
    threads: int
    cpus: int
    gpus: int
    elo: float
    source: Source


_ALPHAGO_T8 = Source("silver2016mastering", "Extended Data Table 8",
                     "Scalability of AlphaGo's search with threads and GPUs, 2 s per move.")
ALPHAGO_SEARCH_SCALING: tuple[SearchScalingRun, ...] = tuple(
    SearchScalingRun(search, threads, cpus, gpus, float(elo), _ALPHAGO_T8)
    for search, threads, cpus, gpus, elo in (
        ("asynchronous", 1, 48, 8, 2203), ("asynchronous", 2, 48, 8, 2393),
        ("asynchronous", 4, 48, 8, 2564), ("asynchronous", 8, 48, 8, 2665),
        ("asynchronous", 16, 48, 8, 2778), ("asynchronous", 32, 48, 8, 2867),
        ("asynchronous", 40, 48, 8, 2890), ("asynchronous", 40, 48, 1, 2181),
        ("asynchronous", 40, 48, 2, 2738), ("asynchronous", 40, 48, 4, 2850),
        ("distributed", 12, 428, 64, 2937), ("distributed", 24, 764, 112, 3079),
        ("distributed", 40, 1202, 176, 3140), ("distributed", 64, 1920, 280, 3168),
    )
)
"""AlphaGo's Elo against search resources (Silver et al. 2016, Extended Data Table 8)."""


PORIAN_STEPS: tuple[PublishedInterval, ...] = tuple(
    PublishedInterval(f"{step} ({dataset})", "a", estimate, low, high, 0.95, _PORIAN)
    for step, dataset, estimate, low, high in (
        ("Reproducing Kaplan et al.", "OpenWebText2", 0.864, 0.82, 0.90),
        ("Reproducing Kaplan et al.", "RefinedWeb", 0.835, 0.82, 0.85),
        ("Counting last-layer FLOPs", "OpenWebText2", 0.699, 0.66, 0.72),
        ("Counting last-layer FLOPs", "RefinedWeb", 0.706, 0.69, 0.72),
        ("Correcting warm-up", "OpenWebText2", 0.603, 0.57, 0.63),
        ("Correcting warm-up", "RefinedWeb", 0.602, 0.59, 0.62),
        ("Cosine decay matched to run length", "OpenWebText2", 0.574, 0.54, 0.61),
        ("Cosine decay matched to run length", "RefinedWeb", 0.571, 0.56, 0.59),
        ("Optimizer tuning (constant LR, no decay)", "OpenWebText2", 0.518, 0.49, 0.54),
        ("Optimizer tuning (constant LR, no decay)", "RefinedWeb", 0.497, 0.49, 0.50),
    )
)
"""Porian et al. (2024): the exponent a of N* ~ C^a at each step of their Figure 1 (the first
four cumulative corrections, then per-scale tuning at a constant learning rate)."""


@dataclass(frozen=True)
class Projection:
    """A row of Hoffmann et al.'s projection tables: a model size, its compute and tokens.

    Attributes
    ----------
    approach
        ``"1"``, ``"2"`` or ``"3"`` (Tables 3 and A3), or ``"text"`` (Section 3.4's prose).
    n_params, flops, n_tokens
        As printed (parameters, FLOPs, tokens).
    source
        Where the row is printed.
    """

    approach: str
    n_params: float
    flops: float
    n_tokens: float
    source: Source


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

HOFFMANN_ISOFLOP_BUDGETS: tuple[float, ...] = (6e18, 1e19, 3e19, 6e19, 1e20, 3e20, 6e20,
                                                1e21, 3e21)
"""The nine IsoFLOP budgets of Approach 2, in FLOPs: Section 3.2 states the range (6e18 to
3e21); the individual values are read from the legend of Figure 3 (secondary)."""

ISOFLOP_BUDGETS_SOURCE = Source(
    "hoffmann2022training", "Section 3.2 (range); Figure 3 legend (values)",
    "The nine values are read from the figure's legend by a third party.", "secondary")


@dataclass(frozen=True)
class BenchmarkResult:
    """A pre-trained base model's published benchmark score, with its size and release date.

    Attributes
    ----------
    model
        The model's usual name.
    released
        Release date (first public release of the weights or announcement).
    release_note
        Where the date comes from, and how sure it is.
    n_params
        Parameters, as a count (all parameters, embeddings included).
    benchmark
        ``"MMLU"`` or ``"BBH"`` (BIG-Bench Hard).
    setting
        Shots and prompting as the source states them, e.g. ``"5-shot"``.
    score
        Accuracy, as a fraction in [0, 1].
    source
        Where ``score`` is printed.
    n_tokens
        Training tokens, where the registry has them (:data:`MODELS`); else ``None``.
    params_note
        Where ``n_params`` comes from.
    """

    model: str
    released: date
    release_note: str
    n_params: float
    benchmark: str
    setting: str
    score: float
    source: Source
    n_tokens: float | None = None
    params_note: str = ""


LLAMA1_RELEASE = date(2023, 2, 24)
"""Day LLaMA (Llama-1) was announced: t = 0 of Xiao et al.'s densing law (they say only
'February 2023'; the day is the announcement's, not checked in a stored copy)."""

_LLAMA2_CARD = Source(
    "touvron2023llama2", "Llama 2 model card (MODEL_CARD.md), grouped academic benchmarks",
    "Meta's own evaluation of Llama 1 and Llama 2 base models; the card states no shots (the "
    "Llama 2 paper: MMLU 5-shot, BBH 3-shot).")
_LLAMA3_SCORES = Source("meta2024llama3", "Model card, 'Base pretrained models'",
                        "MMLU (5-shot); BIG-Bench Hard (3-shot, CoT).")
_MISTRAL = Source("jiang2023mistral", "Table 2, MMLU (5-shot)",
                  "Read in a faithful transcription of the paper. It prints no BBH number "
                  "(BBH appears only as bars in Figure 4). Looked for again in the truth pass: "
                  "only restatements are stored (Papers with Code lists 60.1, 5-shot), not the "
                  "paper's table.", "secondary")
_MINICPM = Source("hu2024minicpm", "OpenBMB/MiniCPM README, MiniCPM 1.0 evaluation table",
                  "As printed (MMLU 53.46, BBH 36.87); no shots stated, and the scores are of "
                  "the model after supervised fine-tuning, not a pure base model.")
_GEMMA = Source("gemmateam2024gemma", "Table 6 (MMLU 5-shot top-1; BBH, setting blank)",
                "Read in a faithful transcription of the report; looked for again in the "
                "truth pass, the report's table is not stored.", "secondary")
_QWEN2 = Source("yang2024qwen2", "Tables 4 and 5 (MMLU 5-shot, BBH 3-shot)",
                "MMLU read in a transcription of the report; BBH also in Qwen's Qwen2 blog "
                "appendix (same numbers).", "secondary")
_GEMMA2 = Source("gemmateam2024gemma2", "Table 13 (MMLU 5-shot; BBH 3-shot, CoT)",
                 "Read in a faithful transcription of the report.", "secondary")
_QWEN25 = Source("qwen2024qwen25", "Qwen2.5-LLM blog post, base-model performance tables",
                 "MMLU (5-shot), BBH (3-shot).")


@dataclass(frozen=True)
class _Release:
    released: date
    note: str
    n_params: float
    params_note: str


_RELEASES: dict[str, _Release] = {
    "Llama 1 7B": _Release(LLAMA1_RELEASE, "Meta's announcement", 6.7e9, "Table 2 of the paper"),
    "Llama 1 13B": _Release(LLAMA1_RELEASE, "Meta's announcement", 13.0e9, "Table 2"),
    "Llama 1 33B": _Release(LLAMA1_RELEASE, "Meta's announcement", 32.5e9, "Table 2"),
    "Llama 1 65B": _Release(LLAMA1_RELEASE, "Meta's announcement", 65.2e9, "Table 2"),
    "Llama 2 7B": _Release(date(2023, 7, 18), "release", 7e9, "as named"),
    "Llama 2 13B": _Release(date(2023, 7, 18), "release", 13e9, "as named"),
    "Llama 2 70B": _Release(date(2023, 7, 18), "release", 70e9, "as named"),
    "Mistral 7B": _Release(date(2023, 9, 27), "as Xiao et al. give it (Section 1.1)", 7.24e9,
                           "from the released configuration (the announcement says 7.3B)"),
    "MiniCPM-2.4B": _Release(date(2024, 2, 1), "README changelog; Xiao et al. Section 1.1",
                             2.7e9, "README: 2.4B without embeddings, 2.7B in all"),
    "Gemma 2B": _Release(date(2024, 2, 21), "report date", 2.51e9,
                         "report's Table 2, embeddings included"),
    "Gemma 7B": _Release(date(2024, 2, 21), "report date", 8.54e9,
                         "report's Table 2, embeddings included"),
    "Llama 3 8B": _Release(date(2024, 4, 18), "model card, 'Model Release Date'", 8e9,
                           "as named"),
    "Qwen2 1.5B": _Release(date(2024, 6, 6), "Qwen2 README: released 2024.06.06", 1.54e9,
                           "Qwen's blog"),
    "Qwen2 7B": _Release(date(2024, 6, 6), "Qwen2 README: released 2024.06.06", 7.6e9,
                         "model card (Qwen's blog table says 7.07B)"),
    "Gemma 2 9B": _Release(date(2024, 6, 27), "release", 9.24e9,
                           "report's Table 2, embeddings included"),
    "Gemma 2 27B": _Release(date(2024, 6, 27), "release", 27.2e9,
                            "report's Table 2, embeddings included"),
    "Gemma 2 2B": _Release(date(2024, 7, 31), "release", 2.61e9,
                           "report's Table 2, embeddings included"),
    "Qwen2.5 0.5B": _Release(date(2024, 9, 19), "Qwen2.5 announcement", 0.49e9, "Qwen's blog"),
    "Qwen2.5 1.5B": _Release(date(2024, 9, 19), "Qwen2.5 announcement", 1.54e9, "Qwen's blog"),
    "Qwen2.5 7B": _Release(date(2024, 9, 19), "Qwen2.5 announcement", 7.61e9, "Qwen's blog"),
}

_TRAINED_AS = {"Llama 1 7B": "LLaMA 7B", "Llama 1 13B": "LLaMA 13B", "Llama 1 33B": "LLaMA 33B",
               "Llama 1 65B": "LLaMA 65B", "Llama 2 7B": "Llama 2 7B",
               "Llama 2 13B": "Llama 2 13B", "Llama 2 70B": "Llama 2 70B",
               "Llama 3 8B": "Llama 3 8B"}


def _result(name: str, benchmark: str, setting: str, score: float,
            source: Source) -> BenchmarkResult:
    release = _RELEASES[name]
    tokens = MODELS[_TRAINED_AS[name]].n_tokens if name in _TRAINED_AS else None
    return BenchmarkResult(name, release.released, release.note, release.n_params,
                           benchmark, setting, score, source, tokens, release.params_note)


BASE_MODEL_SCORES: tuple[BenchmarkResult, ...] = tuple(
    _result(name, "MMLU", setting, score, source) for name, setting, score, source in (
        ("Llama 1 7B", "5-shot", 0.351, _LLAMA2_CARD),
        ("Llama 1 13B", "5-shot", 0.469, _LLAMA2_CARD),
        ("Llama 1 33B", "5-shot", 0.578, _LLAMA2_CARD),
        ("Llama 1 65B", "5-shot", 0.634, _LLAMA2_CARD),
        ("Llama 2 7B", "5-shot", 0.453, _LLAMA2_CARD),
        ("Llama 2 13B", "5-shot", 0.548, _LLAMA2_CARD),
        ("Llama 2 70B", "5-shot", 0.689, _LLAMA2_CARD),
        ("Mistral 7B", "5-shot", 0.601, _MISTRAL),
        ("MiniCPM-2.4B", "not stated", 0.5346, _MINICPM),
        ("Gemma 2B", "5-shot", 0.423, _GEMMA),
        ("Gemma 7B", "5-shot", 0.643, _GEMMA),
        ("Llama 3 8B", "5-shot", 0.666, _LLAMA3_SCORES),
        ("Qwen2 1.5B", "5-shot", 0.565, _QWEN2),
        ("Qwen2 7B", "5-shot", 0.703, _QWEN2),
        ("Gemma 2 9B", "5-shot", 0.713, _GEMMA2),
        ("Gemma 2 27B", "5-shot", 0.752, _GEMMA2),
        ("Gemma 2 2B", "5-shot", 0.522, _GEMMA2),
        ("Qwen2.5 0.5B", "5-shot", 0.475, _QWEN25),
        ("Qwen2.5 1.5B", "5-shot", 0.609, _QWEN25),
        ("Qwen2.5 7B", "5-shot", 0.742, _QWEN25),
    )
) + tuple(
    _result(name, "BBH", setting, score, source) for name, setting, score, source in (
        ("Llama 1 7B", "3-shot", 0.303, _LLAMA2_CARD),
        ("Llama 1 13B", "3-shot", 0.370, _LLAMA2_CARD),
        ("Llama 1 33B", "3-shot", 0.398, _LLAMA2_CARD),
        ("Llama 1 65B", "3-shot", 0.435, _LLAMA2_CARD),
        ("Llama 2 7B", "3-shot", 0.326, _LLAMA2_CARD),
        ("Llama 2 13B", "3-shot", 0.394, _LLAMA2_CARD),
        ("Llama 2 70B", "3-shot", 0.512, _LLAMA2_CARD),
        ("MiniCPM-2.4B", "not stated", 0.3687, _MINICPM),
        ("Gemma 2B", "not stated", 0.352, _GEMMA),
        ("Gemma 7B", "not stated", 0.551, _GEMMA),
        ("Llama 3 8B", "3-shot, CoT", 0.611, _LLAMA3_SCORES),
        ("Qwen2 1.5B", "3-shot", 0.372, _QWEN2),
        ("Qwen2 7B", "3-shot", 0.626, _QWEN2),
        ("Gemma 2 9B", "3-shot, CoT", 0.682, _GEMMA2),
        ("Gemma 2 27B", "3-shot, CoT", 0.749, _GEMMA2),
        ("Gemma 2 2B", "3-shot, CoT", 0.419, _GEMMA2),
        ("Qwen2.5 0.5B", "3-shot", 0.203, _QWEN25),
        ("Qwen2.5 1.5B", "3-shot", 0.451, _QWEN25),
        ("Qwen2.5 7B", "3-shot", 0.704, _QWEN25),
    )
)
"""Open base models' MMLU and BIG-Bench Hard (BBH) scores as their developers published them,
for Chapter 9. Each row's source says where the score is printed and how sure it is."""


def base_model_scores(benchmark: str) -> tuple[BenchmarkResult, ...]:
    """The rows of :data:`BASE_MODEL_SCORES` for one benchmark (``"MMLU"`` or ``"BBH"``),
    in release order.

    Raises
    ------
    ValueError
        If ``benchmark`` is not one of the benchmarks in the table.
    """
    known = sorted({r.benchmark for r in BASE_MODEL_SCORES})
    if benchmark not in known:
        raise ValueError(f"benchmark must be one of {known}; got {benchmark!r}")
    rows = [r for r in BASE_MODEL_SCORES if r.benchmark == benchmark]
    return tuple(sorted(rows, key=lambda r: r.released))


XIAO_PRICE_MONTHS: tuple[date, date] = (date(2022, 12, 1), date(2024, 8, 1))
"""The months of Xiao et al.'s price comparison (Section 3.4, arXiv v2): GPT-3.5 in December
2022, Gemini 1.5 Flash in August 2024. The paper gives months, not days; the first of the
month stands in for the day."""


@dataclass(frozen=True)
class PublishedCurve:
    """A real measured curve, shipped because its licence allows it.

    Attributes
    ----------
    name, x_label, y_label
        What the curve is and what its axes measure (with units).
    x, y
        The points, as the source prints them.
    source
        Where they are printed.
    licence
        The licence under which the source publishes them.
    """

    name: str
    x_label: str
    y_label: str
    x: tuple[float, ...]
    y: tuple[float, ...]
    source: Source
    licence: str


PYTHIA_LAMBADA = PublishedCurve(
    "Pythia 1.4B, LAMBADA (OpenAI version) perplexity over training",
    "training step (2,097,152 tokens each)", "LAMBADA perplexity (zero-shot)",
    (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000, 3000, 13000, 23000, 33000, 43000, 53000,
     63000, 73000, 83000, 93000, 103000, 113000, 123000, 133000, 143000),
    (3594272.663948744, 3593351.8498172723, 3548272.288782661, 3536146.0085115638,
     3728900.112075434, 3480597.4886629432, 2787681.536885712, 1549494.4726279809,
     781339.1258612323, 107340.72526192012, 1683.4353973763111, 44.178121189565175,
     13.483979056785298, 10.297987930772317, 8.993938237147697, 8.191834064467065,
     8.042928511590056, 7.33104690089673, 6.843482861905318, 6.857945348070225,
     6.707238509583033, 6.482217246525621, 6.289625381049988, 6.242541699241175,
     6.139738067270162, 6.0857145325729105),
    Source("biderman2023pythia",
           "Repository EleutherAI/pythia, evals/pythia-v1/pythia-1.4b/zero-shot/"
           "1.4b_step*.json, results.lambada_openai.ppl",
           "One file per checkpoint (lm-evaluation-harness, zero-shot). Step 0 is left out "
           "(x must be positive; it equals step 1). Read at commit a19eecb of the repository."),
    "Apache-2.0 (the repository's LICENSE); redistributed with attribution")
"""A real broken scaling curve the book can ship: Pythia 1.4B's LAMBADA perplexity at its
checkpoints, from EleutherAI's evaluation files (Chapter 7)."""


def fit(name: str) -> PublishedFit:
    """Return the registry entry for a published fitted law.

    Raises
    ------
    ValueError
        If ``name`` is not in the registry; the message lists the known names.
    """
    return _lookup(FITS, name)


def _lookup(table: Mapping[str, _Entry], name: str) -> _Entry:
    if name not in table:
        raise ValueError(f"name must be one of {sorted(table)}; got {name!r}")
    return table[name]


def architecture(name: str) -> PublishedShape:
    """Return the registry entry for a published transformer shape.

    Raises
    ------
    ValueError
        If ``name`` is not in the registry; the message lists the known names.
    """
    return _lookup(ARCHITECTURES, name)


def model(name: str) -> TrainedModel:
    """Return the registry entry for a trained model.

    Raises
    ------
    ValueError
        If ``name`` is not in the registry; the message lists the known names.
    """
    return _lookup(MODELS, name)


def constant(name: str) -> Constant:
    """Return the registry entry for a published constant.

    Raises
    ------
    ValueError
        If ``name`` is not in the registry; the message lists the known names.
    """
    return _lookup(CONSTANTS, name)


def all_sources() -> Iterator[Source]:
    """Yield the source of every registry entry (for bibliography checks)."""
    for m in MODELS.values():
        yield m.source
        yield Source(m.model_citation, "model")
    for c in CONSTANTS.values():
        yield c.source
    for a in ARCHITECTURES.values():
        yield a.source
    for f in FITS.values():
        yield f.source
    for e in HESTNESS_EXPONENTS:
        yield e.source
    for i in HOFFMANN_TABLE2 + BESIROGLU_INTERVALS + PORIAN_STEPS:
        yield i.source
    for p in HOFFMANN_PROJECTIONS:
        yield p.source
    for run in ALPHAGO_SEARCH_SCALING:
        yield run.source
    for result in BASE_MODEL_SCORES:
        yield result.source
    yield PYTHIA_LAMBADA.source
    yield ISOFLOP_BUDGETS_SOURCE


def entries() -> Iterator[tuple[str, object]]:
    """Yield ``(table, entry)`` for every published entry in the registry.

    Tables are found by walking the module's public upper-case names: each mapping or tuple
    whose items carry a ``source`` is a table, so a new table needs no list kept by hand. The
    IsoFLOP budgets, plain numbers sharing one source, come as ``Constant`` entries.
    """
    module = globals()
    seen: set[int] = set()
    for table in sorted(n for n in module if n.isupper() and not n.startswith("_")):
        value = module[table]
        items = value.values() if isinstance(value, Mapping) else value
        if not isinstance(items, (tuple, type({}.values()))):
            continue
        for item in items:
            if hasattr(item, "source") and id(item) not in seen:
                seen.add(id(item))
                yield table, item
    for index, budget in enumerate(HOFFMANN_ISOFLOP_BUDGETS):
        yield "HOFFMANN_ISOFLOP_BUDGETS", Constant(f"isoflop_budget_{index + 1}", budget,
                                                   "FLOPs", ISOFLOP_BUDGETS_SOURCE)
