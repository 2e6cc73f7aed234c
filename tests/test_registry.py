"""Every registry value checked against its source.

The expected values below are transcribed from the sources, each with the table or equation
that prints it; the registry must agree with them exactly. A change to a published number in
the registry therefore needs a change here, against the paper.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path

import pytest

from chinchilla_lib import registry

BIB = Path(__file__).resolve().parents[1] / "book" / "references.bib"

# Hoffmann et al. (2022), Table 1, "Current LLMs": model, size (# parameters), training tokens.
HOFFMANN_TABLE1_AS_PRINTED = """
LaMDA | 137 Billion | 168 Billion
GPT-3 | 175 Billion | 300 Billion
Jurassic-1 | 178 Billion | 300 Billion
Gopher | 280 Billion | 300 Billion
MT-NLG 530B | 530 Billion | 270 Billion
Chinchilla | 70 Billion | 1.4 Trillion
"""

_SCALE = {"Billion": 1e9, "Trillion": 1e12}


def _parse(cell: str) -> float:
    number, word = cell.split()
    return float(number) * _SCALE[word]


def _printed_rows():
    for line in HOFFMANN_TABLE1_AS_PRINTED.strip().splitlines():
        name, size, tokens = (part.strip() for part in line.split("|"))
        yield name, _parse(size), _parse(tokens)


def test_hoffmann_table1_rows_match_the_paper():
    rows = list(_printed_rows())
    assert [m.name for m in registry.HOFFMANN_TABLE1] == [r[0] for r in rows]
    for model, (_name, n_params, n_tokens) in zip(registry.HOFFMANN_TABLE1, rows, strict=True):
        assert model.n_params == n_params
        assert model.n_tokens == n_tokens
        assert model.source == registry.Source("hoffmann2022training", "Table 1")


# (registry name, value as printed in the source, where)
CONSTANTS_AS_PRINTED = [
    ("besiroglu_se_A", 124.52232, "Besiroglu et al. notebook cell 25: A 482.00572 (124.52232)"),
    ("besiroglu_se_B", 1293.28410, "cell 25: B 2085.43420 (1293.28410)"),
    ("besiroglu_se_E", 0.02566, "cell 25: E 1.81686 (0.02566)"),
    ("besiroglu_se_alpha", 0.01540, "cell 25: alpha 0.34781 (0.01540)"),
    ("besiroglu_se_beta", 0.02060, "cell 25: beta 0.36585 (0.02060)"),
    ("besiroglu_t_test_p_A", 0.54, "cell 28: A: P-value = 5.4e-01"),
    ("besiroglu_t_test_p_B", 0.20, "cell 28: B: P-value = 2.0e-01"),
    ("besiroglu_t_test_p_E", 2.7e-6, "cell 28: E: P-value = 2.7e-06"),
    ("besiroglu_t_test_p_alpha", 0.58, "cell 28: alpha: P-value = 5.8e-01"),
    ("besiroglu_t_test_p_beta", 1.1e-4, "cell 28: beta: P-value = 1.1e-04"),
    ("besiroglu_bootstrap_resamples", 4000.0, "cell 15: bootstraps = 4000"),
    ("besiroglu_points_fitted", 240.0, "cell 59: Our sample size is 240"),
    ("besiroglu_chi2_statistic", 238.40, "cell 34: chi^2 (df=5) test statistic: 238.40"),
    ("besiroglu_chi2_p", 1.69e-49, "cell 34: chi^2 (df=5) p-value: 1.69e-49"),
    ("besiroglu_lr_statistic", 84.00, "cell 49: Likelihood ratio test statistic: 84.00"),
    ("besiroglu_lr_p", 1.22e-16, "cell 49: (chi^2 with df=5) p-value: 1.22e-16"),
    ("besiroglu_a_se", 0.020, "cell 59: a = beta/(alpha_beta): 0.513 (0.020)"),
    ("besiroglu_a_width80", 0.051, "cell 59: a 80% conf int width of 0.051"),
    ("besiroglu_runs_for_published_width", 634773.0, "cell 59: a sample size of 634773"),
    ("o1_aime_pass1", 0.74, "OpenAI 2024, Evals: 74% (11.1/15) with a single sample"),
    ("o1_aime_consensus64", 0.83, "OpenAI 2024, Evals: 83% (12.5/15), consensus of 64"),
    ("o1_aime_rerank1000", 0.93, "OpenAI 2024, Evals: 93% (13.9/15), re-ranking 1000"),
    ("gpt4o_aime_pass1", 0.12, "OpenAI 2024, Evals: 12% (1.8/15)"),
    ("alphacode_percentile_rank", 0.543, "Li et al. 2022, abstract: top 54.3%"),
    ("lightman_prm_math_solved", 0.78, "Lightman et al. 2023, abstract: solves 78%"),
    ("lightman_prm800k_step_labels", 800_000, "Lightman et al. 2023, abstract: 800,000"),
    ("math_shepherd_gsm8k_base", 0.779, "Wang et al. 2024, abstract: 77.9% -> 84.1%"),
    ("math_shepherd_gsm8k_ppo", 0.841, "Wang et al. 2024, abstract: 77.9% -> 84.1%"),
    ("math_shepherd_gsm8k_ppo_verified", 0.891, "Wang et al. 2024, abstract: 89.1%"),
    ("math_shepherd_math_base", 0.286, "Wang et al. 2024, abstract: 28.6% -> 33.0%"),
    ("math_shepherd_math_ppo", 0.330, "Wang et al. 2024, abstract: 28.6% -> 33.0%"),
    ("math_shepherd_math_ppo_verified", 0.435, "Wang et al. 2024, abstract: 43.5%"),
    ("cobbe_verifier_size_equivalent", 30, "Cobbe et al. 2021, Conclusion: a 30x model size"),
    ("cobbe_verifier_model_params", 6e9, "Cobbe et al. 2021, Conclusion: 6B verification"),
    ("cobbe_finetuned_model_params", 175e9, "Cobbe et al. 2021, Conclusion: a finetuned 175B"),
    ("cobbe_verifier_best_completions", 400, "Cobbe et al. 2021, Sec. 5.1: up to 400"),
    ("cobbe_verifier_default_completions", 100, "Cobbe et al. 2021, Sec. 4: 100 completions"),
    ("xiao_densing_slope", 0.007, "Xiao et al. 2024, Highlights: A ≈ 0.007"),
    ("xiao_densing_r2", 0.93, "Xiao et al. 2024, Highlights: R2 ≈ 0.93"),
    ("xiao_doubling_months", 3.3, "Xiao et al. 2024, Highlights: every 3.3 months"),
    ("xiao_densing_slope_s33", 0.0073, "Xiao et al. 2024, Section 3.3: A ≈ 0.0073"),
    ("xiao_densing_r2_s33", 0.912, "Xiao et al. 2024, Section 3.3: R2 is 0.912"),
    ("xiao_doubling_days_s33", 95.0, "Xiao et al. 2024, Section 3.3: ≈ 95 days"),
    ("xiao_models_evaluated", 29.0, "Xiao et al. 2024, Section 1: 29 open-source models"),
    ("xiao_reference_tokens", 1e12, "Xiao et al. 2024, Section 2.4: D = D0 = 1T tokens"),
    ("xiao_slope_before_chatgpt", 0.0048, "Xiao et al. 2024, Section 3.4: A ≈ 0.0048"),
    ("xiao_slope_after_chatgpt", 0.0073, "Xiao et al. 2024, Section 3.4: A ≈ 0.0073"),
    ("xiao_price_gpt35_dec2022", 20.0, "Xiao et al. 2024, Section 3.4: $20 per 1M tokens"),
    ("xiao_price_gemini15flash_aug2024", 0.075, "Xiao et al. 2024, Section 3.4: $0.075"),
    ("xiao_price_reduction", 266.7, "Xiao et al. 2024, Section 3.4: 266.7 times"),
    ("xiao_price_halving_months", 2.6, "Xiao et al. 2024, Section 3.4: every 2.6 months"),
    ("xiao_chip_doubling_years", 2.1, "Xiao et al. 2024, Section 3.4: every 2.1 years"),
    ("xiao_effective_size_doubling_days", 88.0, "Xiao et al. 2024, Section 3.4: every 88 days"),
    ("xiao_journal_doubling_months", 3.5, "Xiao et al. 2025 (journal), abstract: 3.5 months"),
    ("xiao_reference_models", 6.0, "DensingLaw-ScalingModels card: six models"),
    ("xiao_reference_smallest_params", 5_247_232.0, "same card, Table 1: 0.005B (s1)"),
    ("xiao_reference_largest_params", 828_225_024.0, "same card, Table 1: 0.8B (s6)"),
    ("caballero_addition_points", 17.0, "Caballero et al. repository: 17 values of x"),
    ("caballero_addition_fitted", 14.0, "same script: split_point = 14"),
    ("caballero_sim_split_default", 405.0, "same: split_point = 405"),
    ("caballero_sim_split_failure", 390.0, "same, commented: split_point = 390"),
    ("pythia_1p4b_peak_lr", 2e-4, "pythia-1.4b.yml: optimizer params lr 0.0002"),
    ("pythia_1p4b_min_lr", 2e-5, "pythia-1.4b.yml: min_lr 0.00002"),
    ("pythia_1p4b_warmup_fraction", 0.01, "pythia-1.4b.yml: warmup 0.01"),
    ("pythia_1p4b_train_iters", 143_000.0, "pythia-1.4b.yml: train-iters 143000"),
    ("zhai_vitg_finetune_accuracy", 0.9045, "Zhai et al. 2022, abstract: 90.45%"),
    ("zhai_params_smallest", 5.0e6, "Zhai et al. 2022, Table 2: s/16, 5.0 Mio."),
    ("zhai_params_largest", 1.843e9, "Zhai et al. 2022, Table 2: G/14, 1843 Mio."),
    ("zhai_images_smallest", 1e6, "Zhai et al. 2022, Sec. 1: one million ... images"),
    ("zhai_images_largest", 3e9, "Zhai et al. 2022, Sec. 1: three billion ... images"),
    ("zhai_jft_smallest_subset_images", 3e7, "Zhai et al. 2022, Sec. 2.1: the 30M dataset"),
    ("zhai_compute_low_core_days", 1.0, "Zhai et al. 2022, Sec. 1: below one core-day"),
    ("zhai_compute_high_core_days", 1e4, "Zhai et al. 2022, Sec. 1: beyond 10 000"),
    ("ghorbani_params_smallest", 1e8, "Ghorbani et al. 2021, Sec. 1 footnote: 100M-3.5B"),
    ("ghorbani_params_largest", 3.5e9, "Ghorbani et al. 2021, Sec. 1 footnote: 100M-3.5B"),
    ("ghorbani_symmetric_decoder_share", 0.55,
     "Ghorbani et al. 2021 via Anwar's notes: symmetric scaling yields N_d/N ~ 0.55"),
    ("ghorbani_d_model", 1024, "Ghorbani et al. 2021 via Anwar's notes: model dimension 1024"),
    ("ghorbani_d_ff", 8192, "Ghorbani et al. 2021 via Anwar's notes: feed-forward 8192"),
    ("gordon_params_smallest", 393_216, "mt-scaling data_scaling.0126: L=1, d=128, ff=512"),
    ("gordon_params_largest", 56_070_144, "same: L=6, d=624, ff=2496"),
    ("gordon_data_bytes_smallest", 430_080, "same: de-en, 0.025% of the text"),
    ("gordon_data_bytes_largest", 6_719_035_392, "same: ru-en, 100% of the text"),
    ("gordon_fit_min_data_bytes", 5_242_880, "mt-scaling plots/main.py: data_bytes > 5242880"),
    ("snell_inference_ratio_low", 0.16, "Snell et al. 2024, Sec. 7: 0.16 (R << 1)"),
    ("snell_inference_ratio_mid", 0.79, "Snell et al. 2024, Sec. 7: 0.79 (R ~ 1)"),
    ("snell_inference_ratio_high", 22, "Snell et al. 2024, Sec. 7: 22 (R >> 1)"),
    ("snell_larger_model_factor", 14, "Snell et al. 2024, abstract: a 14x larger model"),
    ("snell_efficiency_over_best_of_n", 4, "Snell et al. 2024, abstract: more than 4x"),
    ("jones_hex_test_saving_per_train_decade", 15, "Jones 2021, Sec. IV-C: about 15x"),
    ("jones_hex_elo_per_compute_decade", 500, "Jones 2021, Sec. IV: 500 Elo per 10x"),
    ("jones_hex_double_compute_win_rate", 2 / 3, "Jones 2021, Sec. IV: 2x wins 2/3"),
    ("alphago_zero_elo", 5185, "Silver et al. 2017, Fig. 6b: AlphaGo Zero 5,185"),
    ("alphago_zero_raw_network_elo", 3055, "Silver et al. 2017, Fig. 6b: raw network 3,055"),
    ("brown_search_model_scale_equivalent", 1e5, "Brown 2024 (talk): about 100,000x"),
    ("muennighoff_r_star_data", 15.387756, "Muennighoff et al. 2023, App. A"),
    ("muennighoff_r_star_params", 5.309743, "Muennighoff et al. 2023, App. A"),
    ("muennighoff_params_per_unique_token", 0.051, "Muennighoff et al. 2023, Eq. 17"),
    ("muennighoff_example_params", 8.67e9, "datablations README: scaling_law(8.67e9, ...)"),
    ("muennighoff_example_tokens", 178e9, "datablations README: 178e9 tokens"),
    ("muennighoff_example_unique_tokens", 25e9, "datablations README: 25e9 unique tokens"),
    ("muennighoff_example_optimal_params", 6.8e9, "datablations README: 6.8B parameters"),
    ("muennighoff_example_optimal_tokens", 227e9, "datablations README: 227B tokens"),
    ("muennighoff_example_optimal_epochs", 9.1, "datablations README: 9.1 epochs"),
    ("sardana_example_params", 13e9, "Sardana et al. 2024, Fig. 1 caption: 13B"),
    ("sardana_example_inference_tokens", 2e12, "Sardana et al. 2024, Fig. 1: 2T tokens"),
    ("sardana_example_saving_flops", 1.7e22, "Sardana et al. 2024, Fig. 1: 1.7 x 10^22"),
    ("sardana_example_saving_fraction", 0.17, "Sardana et al. 2024, Fig. 1: 17%"),
    ("sardana_example_smaller_params", 7e9, "Sardana et al. 2024, Fig. 1: a 7B model"),
    ("sardana_max_tokens_per_param", 10_000, "Sardana et al. 2024, abstract: up to 10,000"),
    ("gadre_overtrained_params", 1.4e9, "Gadre et al. 2024, abstract: a 1.4B parameter"),
    ("gadre_overtrained_tokens", 900e9, "Gadre et al. 2024, abstract: 900B token run"),
    ("gadre_large_params", 6.9e9, "Gadre et al. 2024, abstract: a 6.9B parameter"),
    ("gadre_large_tokens", 138e9, "Gadre et al. 2024, abstract: 138B token run"),
    ("gadre_loss_compute_saving", 300, "Gadre et al. 2024, abstract: 300x less compute"),
    ("gadre_error_compute_saving", 20, "Gadre et al. 2024, abstract: 20x less compute"),
    ("phi1_base_humaneval", 0.29, "Gunasekar et al. 2023, Fig. 2.1: phi-1-base 29%"),
    ("phi1_finetune_tokens", 180e6, "Gunasekar et al. 2023, Sec. 2: ~180M tokens"),
    ("villalobos_indexed_web_tokens", 510e12, "Villalobos et al. 2024, Table 1: 510T"),
    ("villalobos_indexed_web_tokens_low", 130e12, "Villalobos et al. 2024, Table 1: [130T,"),
    ("villalobos_indexed_web_tokens_high", 2100e12, "Villalobos et al. 2024, Table 1: 2100T]"),
    ("villalobos_effective_stock_tokens", 300e12, "Epoch summary page: 300 trillion tokens"),
    ("villalobos_effective_stock_tokens_low", 100e12, "Epoch summary page: 90% CI 100T"),
    ("villalobos_effective_stock_tokens_high", 1000e12, "Epoch summary page: to 1000T"),
    ("villalobos_stock_at_full_use_tokens", 4e14, "Villalobos et al. 2024, Fig. 1: around 4e14"),
    ("villalobos_compute_at_full_use", 5e28, "Villalobos et al. 2024, Fig. 1: ~5e28 FLOP"),
    ("villalobos_tokens_per_parameter", 20, "Villalobos et al. 2024, Sec. 2.4: 20 tokens"),
    ("villalobos_full_use_year_median", 2028, "Villalobos et al. 2024, Sec. 2.5: 2028"),
    ("villalobos_full_use_year_low", 2026, "Villalobos et al. 2024, abstract: 2026 and 2032"),
    ("villalobos_full_use_year_high", 2032, "Villalobos et al. 2024, abstract: 2026 and 2032"),
    ("villalobos_overtraining_factor", 5, "Villalobos et al. 2024, Sec. 2.5: overtraining by 5x"),
    ("villalobos_overtrained_years_earlier", 1, "Villalobos et al. 2024, Sec. 2.5: one year"),
    ("villalobos_epoch_multiplier", 5, "Villalobos et al. 2024, Sec. 2.3.2: reduce it to 5x"),
    ("villalobos_model_quality_share_low", 0.1, "Villalobos et al. 2024, Sec. 2.3.1: 10%"),
    ("villalobos_model_quality_share_high", 0.4, "Villalobos et al. 2024, Sec. 2.3.1: 40%"),
    ("villalobos_model_repetition_low", 2, "data-stock code: R = sq.to(2, 5"),
    ("villalobos_model_repetition_high", 5, "data-stock code: R = sq.to(2, 5"),
    ("villalobos_largest_dataset_tokens", 10e12, "Villalobos et al. 2024, Sec. 2.4: around 10T"),
    ("villalobos_llama3_70b_tokens_per_parameter", 214, "Villalobos et al. 2024, fn. 36: 214"),
    ("tay_upalm_compute_saving", 2, "Tay et al. 2022, abstract: approximately 2x"),
    ("tay_upalm_tpu_hours_saved", 4.4e6, "Tay et al. 2022, abstract: ~4.4 million TPUv4 hours"),
    ("tay_upalm_steps", 20_000, "Tay et al. 2022, Sec. 2.4: 20k steps"),
    ("tay_upalm_batch_size", 32, "Tay et al. 2022, Sec. 2.4: a batch size of 32"),
    ("tay_upalm_sequence_length", 2048, "Tay et al. 2022, Sec. 2.2: sequence length of 2048"),
    ("tay_upalm_extra_tokens", 1.3e9, "Tay et al. 2022, Sec. 2.4: approximately 1.3 billion"),
    ("tay_upalm_extra_compute_fraction", 0.0016, "Tay et al. 2022, Sec. 2.4: 0.16%"),
    ("tay_upalm_palm_zflops", 2500, "Tay et al. 2022, Fig. 2: 2500 zFLOPs"),
    ("tay_upalm_upalm_zflops", 1075, "Tay et al. 2022, Fig. 2: 1075 zFLOPs"),
    ("tay_upalm_figure2_ratio", 2.35, "Tay et al. 2022, Fig. 2: 2.35 times"),
    ("fp32_exponent_bits", 8, "IEEE 754 binary32: w = 8"),
    ("fp32_mantissa_bits", 23, "IEEE 754 binary32: t = 23"),
    ("fp16_exponent_bits", 5, "IEEE 754 binary16: w = 5"),
    ("fp16_mantissa_bits", 10, "IEEE 754 binary16: t = 10"),
    ("bf16_exponent_bits", 8, "Google, bfloat16: 8 bits of exponent"),
    ("bf16_mantissa_bits", 7, "Google, bfloat16: 7 bits of mantissa"),
    ("fp8_e4m3_exponent_bits", 4, "Micikevicius et al. 2022, abstract: 4-bit exponent"),
    ("fp8_e4m3_mantissa_bits", 3, "Micikevicius et al. 2022, abstract: 3-bit mantissa"),
    ("fp8_e5m2_exponent_bits", 5, "Micikevicius et al. 2022, abstract: 5-bit exponent"),
    ("fp8_e5m2_mantissa_bits", 2, "Micikevicius et al. 2022, abstract: 2-bit mantissa"),
    ("fp8_e4m3_max_normal", 448, "Micikevicius et al. 2022, Table 1: 1.75 * 2^8 = 448"),
    ("fp8_e5m2_max_normal", 57_344, "Micikevicius et al. 2022, Table 1: 57, 344"),
    ("pearce_embedding_coefficient", 47491, "Pearce & Song, code: N_T = N_E + 47491 N_E^(1/3)"),
    ("pearce_width_to_depth", 39.2, "Pearce & Song, code: aspect_ratio = 39.2"),
    ("pearce_vocab_size", 32000, "Pearce & Song, code (Chinchilla's vocabulary)"),
    ("pearce_exponent_epoch_coefficients", 0.78, "Pearce & Song, splash figure: C^0.78"),
    ("pearce_exponent_chinchilla_coefficients", 0.74, "Pearce & Song, code: 0.7388"),
    ("kaplan_min_nonembedding_params", 768, "Kaplan et al. 2020, Sec. 1: 768 to 1.5 billion"),
    ("kaplan_max_nonembedding_params", 1.5e9, "Kaplan et al. 2020, Sec. 1"),
    ("kaplan_schedule_tokens", 130e9, "Hoffmann et al. 2022, Sec. 2: cosine schedule to 130B"),
    ("hoffmann_cosine_overshoot_limit", 0.25, "Hoffmann et al. 2022, App. D.1: by more than 25%"),
    ("hoffmann_envelope_final_fraction", 0.15, "Hoffmann et al. 2022, footnote 4: last 15%"),
    ("hoffmann_gopher_optimum_low", 40e9, "Hoffmann et al. 2022, Sec. 4: between 40 and 70B"),
    ("hoffmann_gopher_optimum_high", 70e9, "Hoffmann et al. 2022, Sec. 4: between 40 and 70B"),
    ("hoffmann_approach3_gopher_params", 40e9, "Hoffmann et al. 2022, Fig. 4 caption: 40B"),
    ("hoffmann_table2_resamples", 100, "Hoffmann et al. 2022, Table 2: sampled 100 times"),
    ("kaplan_seed_loss_variation", 0.02, "Kaplan et al. Section 4.2: 'roughly 0.02'"),
    ("hoffmann_table2_subsample_fraction", 0.8, "Table 2 caption: '80% of the dataset'"),
    ("hoffmann_huber_delta", 1e-3, "Section 3.3: 'The Huber loss (delta = 10^-3)'"),
    ("hoffmann_approach1_flop_points", 1500, "Section 3.1: 'At 1500 logarithmically spaced'"),
    ("kaplan_training_steps", 2.5e5, "Kaplan et al. 2020, Sec. 2.2: a fixed 2.5 x 10^5 steps"),
    ("kaplan_batch_tokens", 2**19, "Kaplan et al. 2020, Sec. 2.2: 512 x 1024; Sec. 5.1: 2^19"),
    ("kaplan_warmup_steps", 3000, "Kaplan et al. 2020, Sec. 2.2: 3000 step linear warmup"),
    ("kaplan_critical_batch_compute_ratio", 2, "Kaplan et al. 2020, Sec. 6.3: C = 2C_min"),
    ("kaplan_bcrit_doubling_loss_drop", 0.13, "Kaplan et al. 2020, Fig. 10: every 13% decrease"),
    ("kaplan_alpha_c_min_predicted", 0.054, "Kaplan et al. 2020, Eq. 6.4: ~ 0.054"),
    ("kaplan_alpha_c_min_appendix", 0.052, "Kaplan et al. 2020, Eq. B.7: ~ 0.052"),
    ("kaplan_n_opt_exponent_predicted", 0.71, "Kaplan et al. 2020, Eq. 6.5: ~ C_min^0.71"),
    ("kaplan_converged_excess", 0.10, "Kaplan et al. 2020, Eq. B.5: alpha_N/alpha_S ~ 10%"),
    ("hoffmann_kaplan_params_at_1e21", 4.68e9, "Hoffmann et al. 2022, App. D.4: 4.68 billion"),
    ("hoffmann_head_to_head_flops", 1e21, "Hoffmann et al. 2022, App. D.4: 10^21 FLOPs"),
    ("porian_kaplan_reference_exponent", 0.88,
     "Porian et al. 2024, make_paper.ipynb: ['Kaplan Law', 'WebText2', '0.88', '', '']"),
    ("hestness_beta_g_shallowest", -0.07, "Hestness et al. 2017, Sec. 1: -0.07 and -0.35"),
    ("hestness_beta_g_steepest", -0.35, "Hestness et al. 2017, Sec. 1"),
    ("hestness_theory_beta_g", -0.5, "Hestness et al. 2017, Sec. 1: -0.5 or -1"),
    ("amari_unique_parameter_exponent", -1.0, "Amari et al. 1992, abstract: (1) a t^-1"),
    ("amari_finite_measure_exponent", -2.0, "Amari et al. 1992, abstract: (2) a t^-2"),
    ("amari_noisy_teacher_exponent", -0.5, "Amari et al. 1992, abstract: (3) a t^-1/2"),
    ("amari_stochastic_machine_exponent", -1.0, "Amari et al. 1992, abstract: (4) c + a t^-1"),
    ("amari_murata_entropic_loss_exponent", -1.0, "Amari & Murata 1993, abstract: H0 + m/(2t)"),
    ("sompolinsky_smooth_network_exponent", -1.0,
     "Sompolinsky et al. 1990, abstract: 'as the inverse number of examples'"),
    ("hilberg_block_entropy_exponent", 0.5,
     "Debowski 2011, Introduction: block entropy 'roughly proportional to sqrt(n)' (Hilberg)"),
    ("henighan_params_smallest", 1.23e4, "Henighan et al. 2020, Table 5: 1.23e+04"),
    ("henighan_params_largest", 3.22e9, "Henighan et al. 2020, Table 5: 3.22e+09"),
    ("henighan_multimodal_params_smallest", 98304, "Henighan et al. 2020, Table 4: 98304"),
    ("henighan_multimodal_params_largest", 679477248, "Henighan et al. 2020, Table 4: 679477248"),
    ("henighan_image_to_text_params_largest", 157286400,
     "Henighan et al. 2020, Table 4: 157286400, the last row ticked 'Image-to-Text?'"),
    ("henighan_warmup_steps", 3000, "Henighan et al. 2020, App. F: a 3000 step linear warm-up"),
    ("henighan_final_lr_fraction", 0.1, "Henighan et al. 2020, App. F: decay to 1/10"),
    ("henighan_min_training_steps", 2.5e5, "Henighan et al. 2020, App. F: at least 250k steps"),
    ("henighan_beta_typical", 0.7, "Henighan et al. 2020, Sec. 1.1: beta ~ 0.7"),
    ("henighan_pooled_n_opt_c0", 5e-12,
     "Source article: (C / 5e-12 PF-day)^0.7; not found in Henighan et al."),
    ("henighan_pooled_n_opt_flops_coefficient", 9.0e-7,
     "Source article: 9.0e-7 C^0.7 (C in FLOPs); not found in Henighan et al."),
    ("pf_day", 8.64e19, "Kaplan et al. 2020, Sec. 1.3: 1e15 x 24 x 3600 FLOPs"),
    ("kaplan_nonembedding_params_coefficient", 12, "Kaplan et al. 2020, Eq. 2.1"),
    ("training_flops_per_param_per_token", 6, "Kaplan et al. 2020, Sec. 2.1"),
    ("gopher_training_flops", 5.76e23, "Hoffmann et al. 2022, Gopher budget"),
    ("gpt3_training_flops", 3.14e23, "Brown et al. 2020, Table D.1"),
    ("gpt3_training_pf_days", 3.64e3, "Brown et al. 2020, Table D.1: 3.64E+03 PF-days"),
    ("gopher_training_flops_rae", 6.3e23,
     "Hoffmann et al. 2022, App. F, quoting Rae et al. 2021: 6.3x10^23"),
    ("hoffmann_table_a4_exact_over_6nd_min", 0.99, "Hoffmann et al. 2022, Table A4"),
    ("hoffmann_table_a4_exact_over_6nd_max", 1.10, "Hoffmann et al. 2022, Table A4"),
    ("hoffmann_runs_count", 400, "Hoffmann et al. 2022, abstract: over 400 language models"),
    ("hoffmann_runs_params_min", 70e6, "Hoffmann et al. 2022, abstract: from 70 million"),
    ("hoffmann_runs_params_max", 16e9, "Hoffmann et al. 2022, abstract: to over 16 billion"),
    ("hoffmann_runs_tokens_min", 5e9, "Hoffmann et al. 2022, abstract: on 5 to 500 billion"),
    ("hoffmann_runs_tokens_max", 500e9, "Hoffmann et al. 2022, abstract: on 5 to 500 billion"),
    ("hoffmann_runs_tokens_max_intro", 400e9, "Hoffmann et al. 2022, Sec. 1: over 400B tokens"),
    ("hoffmann_approach1_params_max", 10e9, "Hoffmann et al. 2022, footnote 5: up to 10B"),
    ("hoffmann_approach1_horizon_span", 16, "Hoffmann et al. 2022, Sec. 3.1: a factor of 16x"),
    ("hoffmann_table_a9_params_min", 44e6, "Hoffmann et al. 2022, Table A9: 44 (million)"),
    ("hoffmann_table_a9_params_max", 16183e6, "Hoffmann et al. 2022, Table A9: 16,183"),
    ("hoffmann_cosine_decay_factor", 10, "Hoffmann et al. 2022, App. B: a 10x decay"),
    ("hoffmann_chinchilla_epochs_massiveweb", 1.24, "Hoffmann et al. 2022, Table A1: 1.24"),
    ("hoffmann_chinchilla_epochs_wikipedia", 3.40, "Hoffmann et al. 2022, Table A1: 3.40"),
    ("palm_540b_model_flops_utilisation", 0.462, "Chowdhery et al. 2022, Table 3: 46.2% MFU"),
    ("a100_bf16_peak_flops_per_second", 312e12, "NVIDIA A100 datasheet, BF16 dense"),
    ("h100_sxm_bf16_peak_flops_per_second", 989e12, "NVIDIA H100 datasheet, SXM BF16 dense"),
    ("h200_sxm_bf16_peak_flops_per_second", 989e12, "NVIDIA H200, SXM BF16 dense (1,979/2)"),
    ("tpu_v4_bf16_peak_flops_per_second", 275e12, "Cloud TPU v4 docs: 275 teraflops (bf16)"),
    ("tpu_v5e_bf16_peak_flops_per_second", 197e12, "Cloud TPU v5e docs: 197 TFLOPs (bf16)"),
    ("tpu_v5p_bf16_peak_flops_per_second", 459e12, "Cloud TPU v5p docs: 459 TFLOPs (bf16)"),
    ("a100_sxm_max_power_watts", 400, "NVIDIA A100 datasheet, Max TDP, 80GB SXM: 400W***"),
    ("h100_sxm_max_power_watts", 700, "NVIDIA H100 datasheet, Max TDP, SXM: Up to 700W"),
    ("cottier_cost_growth_per_year", 2.4, "Cottier et al. 2024 v2, abstract: 2.4x per year"),
    ("cottier_cost_growth_per_year_low", 2.0, "Cottier et al. 2024 v2, abstract: 90% CI 2.0x"),
    ("cottier_cost_growth_per_year_high", 2.9, "Cottier et al. 2024 v2, abstract: to 2.9x"),
    ("cottier_cost_growth_start_year", 2016, "Cottier et al. 2024, abstract: since 2016"),
    ("cottier_energy_share_low", 0.02, "Cottier et al. 2024, abstract: energy (2-6%)"),
    ("cottier_energy_share_high", 0.06, "Cottier et al. 2024, abstract: energy (2-6%)"),
    ("lima_training_examples", 1000, "Zhou et al. 2023, abstract: only 1,000 ... prompts"),
    ("mixtral_total_params", 47e9, "Jiang et al. 2024, abstract: 47B"),
    ("mixtral_active_params", 13e9, "Jiang et al. 2024, abstract: 13B active"),
    # Second-hand (see the entries' notes): DeepSeek LLM Eq. 2, M = 72 n_layer d_model^2 +
    # 12 n_layer d_model l_seq; Porian et al.'s batch law counts sequences of 2048 tokens.
    ("deepseek_m_weight_coefficient", 72, "Bi et al. 2024, Eq. 2: 72 n_layer d_model^2"),
    ("deepseek_m_attention_coefficient", 12, "Bi et al. 2024, Eq. 2: 12 n_layer d_model l_seq"),
    ("porian_sequence_length", 2048, "Porian et al. 2024, Fig. 3: 2048-token sequences"),
    # Yang et al. 2022, Table 3 (read in the authors' restatement: secondary), as powers of
    # fan_in: Adam LR 1 and 1/fan_in, Init. Var. 1/fan_in and 1/fan_in^2.
    ("mup_adam_lr_exponent_input", 0, "Yang et al. 2022, Table 3: input weights, Adam LR 1"),
    ("mup_adam_lr_exponent_output", -1, "Yang et al. 2022, Table 3: output, Adam LR 1/fan_in"),
    ("mup_init_variance_exponent_input", -1, "Yang et al. 2022, Table 3: input, 1/fan_in"),
    ("mup_init_variance_exponent_output", -2, "Yang et al. 2022, Table 3: output, 1/fan_in^2"),
]


# Fits printed as one formula (or regenerated with the authors' code), stored as fits: each
# parameter as printed, with where.
FITS_AS_PRINTED = {
    # Hyperparameter laws, read second-hand (see the entries' notes):
    "bi2024/lr(C)": {"k": 0.3118, "p": -0.1250},  # DeepSeek LLM Eq. 1: 0.3118 C^-0.1250
    "bi2024/B(C)": {"k": 0.2920, "p": 0.3271},  # DeepSeek LLM Eq. 1: 0.2920 C^0.3271
    "li2025/lr(N,D)": {"k": 1.79, "a": -0.713, "b": 0.307},  # Step Law: 1.79 N^-0.713 D^0.307
    "li2025/B(D)": {"k": 0.58, "p": 0.571},  # Step Law: 0.58 D^0.571
    "porian2024/lr(N)": {"k": 3.7, "p": -0.36},  # Porian et al. Fig. 3: 3.7 N^-0.36
    "porian2024/B(N)": {"k": 0.00037, "p": 0.703},  # Porian et al. Fig. 3: 0.00037 N^0.703
    "zhai2022/finetune": {  # Zhai et al. 2022, Fig. 2: 0.09 + 0.26 (C + 0.01)^-0.35
        "c": 0.09, "a": 0.26, "d": 0.01, "b": 0.35},
    "zhai2022/10shot": {  # Zhai et al. 2022, Fig. 2: 0.12 + 0.63 (C + 0.52)^-0.32
        "c": 0.12, "a": 0.63, "d": 0.52, "b": 0.32},
    "jones2021/hex": {  # Jones 2021, Fig. 9: -1.2 log10(train) + 0.004 Elo + 29
        "m": -1.2, "k": 0.004, "c": 29},
    # Gordon et al. 2021 code rerun on their released results (see the Source note):
    # alpha_N=0.1222, N_C=2.590e+08, alpha_D=0.4204, D_C=1.779e+08 bytes; C=76.16, k=-0.4697.
    "gordon2021/de-en L(N,D)": {"alpha_N": 0.1222, "N_c": 2.590e8, "alpha_D": 0.4204,
                                "D_c": 1.779e8},
    "gordon2021/de-en BLEU(L)": {"C": 76.16, "k": 0.4697},
    # Caballero et al.'s noiseless-simulation script: a_gt = 0.41388453071629455,
    # b_gt = 2.2772722897737556, c0_gt = 0.055077348404973955, c1_gt = 5.662903816010331,
    # d1_gt = 612.5836172918001, f1_gt = 0.059193036393742314 (rounded to 5 digits).
    "caballero2022/4-digit addition simulation": {
        "a": 0.41388, "b": 2.2773, "c0": 0.055077, "c1": 5.6629, "d1": 612.58, "f1": 0.059193},
}


@pytest.mark.parametrize("name", sorted(FITS_AS_PRINTED))
def test_fits_stored_as_fits_match_their_sources(name):
    params = registry.fit(name).params
    assert params.keys() == FITS_AS_PRINTED[name].keys()
    for key, printed in FITS_AS_PRINTED[name].items():
        assert params[key] == pytest.approx(printed, rel=1e-12), (name, key)


@pytest.mark.parametrize(("name", "printed", "where"), CONSTANTS_AS_PRINTED,
                         ids=[c[0] for c in CONSTANTS_AS_PRINTED])
def test_constants_match_their_sources(name, printed, where):
    assert registry.constant(name).value == pytest.approx(printed, rel=1e-12), where


def test_ieee_format_widths_match_numpy():
    # numpy implements IEEE 754 binary16 and binary32: nexp is w, nmant is t (the registry
    # holds them second-hand, the standard's text not having been read).
    import numpy as np

    for key, dtype in (("fp16", np.float16), ("fp32", np.float32)):
        info = np.finfo(dtype)
        assert registry.constant(f"{key}_exponent_bits").value == info.nexp
        assert registry.constant(f"{key}_mantissa_bits").value == info.nmant


# Constants of Chapter 6 checked in tests/test_beyond.py.
CHECKED_ELSEWHERE = {"kumar_gamma_weights", "kumar_gamma_activations", "kumar_gamma_kv",
                     "kumar_optimal_bits_low", "kumar_optimal_bits_high",
                     "gadre_max_multiplier", "phi1_params", "phi1_unique_tokens",
                     "phi1_tokens_seen", "phi1_humaneval"}


# EleutherAI/pythia, evals/pythia-v1/pythia-1.4b/zero-shot/1.4b_step{N}.json,
# results.lambada_openai.ppl, spot checks at the first, middle and last checkpoints.
PYTHIA_LAMBADA_AS_PRINTED = {1: 3594272.663948744, 1000: 1683.4353973763111,
                             13000: 13.483979056785298, 143000: 6.0857145325729105}


def test_pythia_lambada_curve_matches_its_source():
    curve = registry.PYTHIA_LAMBADA
    assert len(curve.x) == len(curve.y) == 26
    assert list(curve.x) == sorted(curve.x) and curve.x[0] == 1
    points = dict(zip(curve.x, curve.y, strict=True))
    for step, ppl in PYTHIA_LAMBADA_AS_PRINTED.items():
        assert points[step] == ppl
    assert curve.licence.startswith("Apache-2.0")


def test_scale_windows_match_their_sources():
    # Pearce and Song's script_analysis_kaplan_chinchilla.py: c_range_bounds = [12.95, 20.7]
    # for the non-embedding frontier. Hoffmann et al., Section 3.2: "ranging from 6 x 10^18
    # to 3 x 10^21 FLOPs", the ends of the nine budgets read from Figure 3.
    kaplan = registry.PEARCE_KAPLAN_COMPUTE_WINDOW
    assert kaplan.values == (12.95, 20.7) and kaplan.source.citation == "pearce2024reconciling"
    chinchilla = registry.HOFFMANN_ISOFLOP_RANGE
    assert chinchilla.values == (6e18, 3e21) and chinchilla.source.location == "Section 3.2"
    assert chinchilla.source.status == "primary"
    budgets = registry.HOFFMANN_ISOFLOP_BUDGETS
    assert (min(budgets), max(budgets)) == chinchilla.values and len(budgets) == 9


def test_hoffmann_initial_grid_matches_appendix_d2():
    # "alpha in {0., 0.5, ..., 2.}, beta in {0., 0.5, ..., 2.}, e in {-1., -0.5, ..., 1.},
    # a in {0, 5, ..., 25}, and b in {0, 5, ..., 25}"
    grid = {v.name: v.values for v in registry.HOFFMANN_INITIAL_GRID}
    assert grid == {"hoffmann_init_exponents": (0.0, 0.5, 1.0, 1.5, 2.0),
                    "hoffmann_init_log_e": (-1.0, -0.5, 0.0, 0.5, 1.0),
                    "hoffmann_init_log_coefficients": (0.0, 5.0, 10.0, 15.0, 20.0, 25.0)}
    assert {v.source.location for v in registry.HOFFMANN_INITIAL_GRID} == {"Appendix D.2"}


def test_xiao_price_months():
    start, end = registry.XIAO_PRICE_MONTHS
    assert (start.year, start.month, end.year, end.month) == (2022, 12, 2024, 8)


def test_every_constant_is_checked_here():
    assert {c[0] for c in CONSTANTS_AS_PRINTED} | CHECKED_ELSEWHERE == set(registry.CONSTANTS)


# Brown et al. (2020) Table 2.1 (GPT-3 175B) and Jiang et al. (2024) Table 1 (Mixtral).
ARCHITECTURES_AS_PRINTED = {
    "GPT-3 175B": {"n_layer": 96, "d_model": 12288, "n_heads": 96, "n_ctx": 2048},
    "GPT-2 small": {"n_layer": 12, "d_model": 768, "n_heads": 12, "n_ctx": 1024,
                    "vocab_size": 50257},
    "Chinchilla 70B": {"n_layer": 80, "d_model": 8192, "n_heads": 64, "head_dim": 128,
                       "vocab_size": 32000},
    "Mixtral 8x7B": {"d_model": 4096, "n_layer": 32, "head_dim": 128, "d_ff": 14336,
                     "n_heads": 32, "n_kv_heads": 8, "n_ctx": 32768, "vocab_size": 32000,
                     "n_experts": 8, "experts_per_token": 2},
}


@pytest.mark.parametrize("name", sorted(ARCHITECTURES_AS_PRINTED))
def test_architectures_match_their_sources(name):
    shape = registry.architecture(name).shape
    for key, value in ARCHITECTURES_AS_PRINTED[name].items():
        assert shape[key] == value, (name, key)


def test_every_architecture_is_checked_here():
    assert set(ARCHITECTURES_AS_PRINTED) == set(registry.ARCHITECTURES)


def _bib_keys() -> set[str]:
    return set(re.findall(r"^@\w+\{([^,\s]+),", BIB.read_text(), flags=re.MULTILINE))


def test_every_source_is_in_the_bibliography():
    keys = _bib_keys()
    missing = {s.citation for s in registry.all_sources()} - keys
    assert not missing, f"citation keys missing from references.bib: {missing}"


def test_every_source_names_a_location():
    for source in registry.all_sources():
        assert source.location.strip(), source


def test_registry_is_read_only():
    with pytest.raises(TypeError):
        registry.CONSTANTS["pf_day"] = None  # type: ignore[index]
    with pytest.raises(AttributeError):
        registry.constant("pf_day").value = 1.0  # type: ignore[misc]


def test_unknown_names_raise_value_error():
    for lookup in (registry.model, registry.constant, registry.architecture):
        with pytest.raises(ValueError, match="name must be one of"):
            lookup("no such thing")


# Kaplan et al. (2020): values as printed, with where (Eqs. 1.1-1.6, 4.4, 6.1-6.2; Tables 2,
# 3, 5, 6).
KAPLAN_AS_PRINTED = {
    "kaplan2020/L(N)": {"alpha_N": 0.076, "N_c": 8.8e13},                  # Eq. 1.1
    "kaplan2020/L(D)": {"alpha_D": 0.095, "D_c": 5.4e13},                  # Eq. 1.2
    "kaplan2020/L(C_min)": {"alpha_C": 0.050, "C_c": 3.1e8},               # Eq. 1.3
    "kaplan2020/L(C) fixed batch": {"alpha_C": 0.057, "C_c": 1.6e7},       # Table 5
    "kaplan2020/L(N,D)": {"alpha_N": 0.076, "alpha_D": 0.103,              # Table 2
                          "N_c": 6.4e13, "D_c": 1.8e13},
    "kaplan2020/L(N,S_min)": {"alpha_N": 0.077, "alpha_S": 0.76,           # Table 3, Eq. 1.6
                              "N_c": 6.5e13, "S_c": 2.1e3},
    "kaplan2020/B_crit(L)": {"B_star": 2.1e8, "alpha_B": 0.21},            # Table 5
    "kaplan2020/N_opt(C_min)": {"N_e": 1.3e9, "p_N": 0.73},                # Table 6
    "kaplan2020/B(C_min)": {"B_e": 2.0e6, "p_B": 0.24},                    # Table 6
    "kaplan2020/S_min(C_min)": {"S_e": 5.4e3, "p_S": 0.03},                # Table 6
    "kaplan2020/D_opt(C_min)": {"D_e": 2e10, "p_D": 0.27},                 # Table 6
    "kaplan2020/overfitting": {"D_e": 5e3, "p": 0.74},                     # Eq. 4.4
}

# Henighan et al. (2020), Table 1, as printed: L(N), L(C), N_opt(C) (C in PF-days). The copy
# read prints the Image-to-Text N_opt(C) inside square brackets, [(C/3.3e-12)^0.72], and the
# Text-to-Image N_opt(C) identical to the Image VQ 32x32 row (see the registry's note).
HENIGHAN_TABLE1_AS_PRINTED = """
Language | (N/1.47e14)^-0.070 | (C/3.47e8)^-0.048 | (C/3.3e-13)^0.73
Image 8x8 | 3.12 + (N/8.0e1)^-0.24 | 3.13 + (C/1.8e-8)^-0.19 | (C/5.3e-14)^0.64
Image 16x16 | 2.64 + (N/2.8e2)^-0.22 | 2.64 + (C/1.6e-8)^-0.16 | (C/4.8e-12)^0.75
Image 32x32 | 2.20 + (N/6.3e1)^-0.13 | 2.21 + (C/3.6e-9)^-0.1 | (C/1.6e-13)^0.65
Image VQ 16x16 | 3.99 + (N/2.7e4)^-0.13 | 4.09 + (C/6.1e-7)^-0.11 | (C/6.2e-14)^0.64
Image VQ 32x32 | 3.07 + (N/1.9e4)^-0.14 | 3.17 + (C/2.6e-6)^-0.12 | (C/9.4e-13)^0.7
Text-to-Image (image loss) | 2.0 + (N/5.1e3)^-0.16 | 1.93 + (C/1.5e-6)^-0.15 | (C/9.4e-13)^0.7
Image-to-Text (image loss) | 2.0 + (N/5.5e3)^-0.15 | 1.97 + (C/1.5e-6)^-0.16 | (C/3.3e-12)^0.72
Video VQ 16x16x16 | 1.01 + (N/3.7e4)^-0.24 | 0.95 + (C/2.2e-5)^-0.14 | (C/1.13e-12)^0.71
Math (extrapolate) | 0.28 + (N/1.1e4)^-0.16 | 0.14 + (C/1.4e-5)^-0.17 | (C/2.3e-12)^0.69
"""

_LAW = re.compile(r"^(?:(?P<floor>[\d.]+) \+ )?\((?P<var>[NC])/(?P<scale>[\de.+-]+)\)\^"
                  r"(?P<exp>-?[\d.]+)$")


def _parse_law(cell: str) -> tuple[float, float, float]:
    match = _LAW.match(cell.strip())
    assert match, cell
    return (float(match["floor"] or 0.0), float(match["scale"]), float(match["exp"]))


def test_kaplan_fits_match_the_paper():
    for name, printed in KAPLAN_AS_PRINTED.items():
        assert dict(registry.fit(name).params) == printed, name
        assert registry.fit(name).source.citation == "kaplan2020scaling"


def test_henighan_table1_matches_the_paper():
    for line in HENIGHAN_TABLE1_AS_PRINTED.strip().splitlines():
        domain, l_n, l_c, n_opt = (cell.strip() for cell in line.split("|"))
        floor, scale, exponent = _parse_law(l_n)
        assert dict(registry.fit(f"henighan2020/L(N) {domain}").params) == {
            "L_inf": floor, "N_0": scale, "alpha": -exponent}
        floor, scale, exponent = _parse_law(l_c)
        assert dict(registry.fit(f"henighan2020/L(C) {domain}").params) == {
            "L_inf": floor, "C_0": scale, "alpha": -exponent}
        if n_opt != "-":
            _, scale, exponent = _parse_law(n_opt)
            assert dict(registry.fit(f"henighan2020/N_opt(C) {domain}").params) == {
                "C_0": scale, "beta": exponent}
    assert registry.HENIGHAN_DOMAINS == tuple(
        line.split("|")[0].strip() for line in HENIGHAN_TABLE1_AS_PRINTED.strip().splitlines())


# Henighan et al. (2020), Table 1: the text-loss rows of the multimodal models (L(N) only).
HENIGHAN_TEXT_ROWS_AS_PRINTED = {
    "Text-to-Image (text loss)": "(N/5.6e8)^-0.037",   # "Text-to-Im (Text)"
    "Image-to-Text (text loss)": "(N/7.0e8)^-0.039",   # "Im-to-Text (Text)"
}


def test_henighan_text_loss_rows_match_the_paper():
    assert registry.HENIGHAN_TEXT_LOSS_DOMAINS == tuple(HENIGHAN_TEXT_ROWS_AS_PRINTED)
    for domain, printed in HENIGHAN_TEXT_ROWS_AS_PRINTED.items():
        floor, scale, exponent = _parse_law(printed)
        assert dict(registry.fit(f"henighan2020/L(N) {domain}").params) == {
            "L_inf": floor, "N_0": scale, "alpha": -exponent}


def test_hoffmann_reads_kaplan_with_c_equal_to_two_c_min():
    # Hoffmann et al. App. D.4's 4.68B at 1e21 FLOPs is Kaplan's N_opt(C_min) with C = 2 C_min.
    n_opt = registry.fit("kaplan2020/N_opt(C_min)").params
    c_min = (registry.constant("hoffmann_head_to_head_flops").value
             / registry.constant("kaplan_critical_batch_compute_ratio").value
             / registry.constant("pf_day").value)
    assert n_opt["N_e"] * c_min ** n_opt["p_N"] == pytest.approx(
        registry.constant("hoffmann_kaplan_params_at_1e21").value, rel=0.005)


def test_gpt3_figure_3_1_is_henighan_language_l_of_c():
    # Brown et al. (2020), Fig. 3.1: L = 2.57 C^-0.048, C in PF-days.
    gpt3 = registry.fit("brown2020/L(C)").params
    assert dict(gpt3) == {"L_c": 2.57, "alpha": 0.048}
    henighan = registry.fit("henighan2020/L(C) Language").params
    assert henighan["C_0"] ** henighan["alpha"] == pytest.approx(gpt3["L_c"], abs=0.005)


def test_henighan_language_n_opt_is_kaplans():
    # Henighan's caption: N_opt(C) for language comes from Kaplan et al.
    henighan = registry.fit("henighan2020/N_opt(C) Language").params
    kaplan = registry.fit("kaplan2020/N_opt(C_min)").params
    assert henighan["C_0"] ** -henighan["beta"] == pytest.approx(kaplan["N_e"], rel=0.01)
    assert henighan["beta"] == kaplan["p_N"]


def test_every_fit_is_checked_here():
    checked = (set(KAPLAN_AS_PRINTED) | set(CHINCHILLA_FITS_AS_PRINTED) | set(FITS_AS_PRINTED)
               | {"brown2020/L(C)", "sardana2024/constants", "muennighoff2023/base",
                  "hernandez2021/text", "hernandez2021/text+code", "kumar2024/base",
                  "kumar2024/ptq"})  # the last four in tests/test_beyond.py
    for line in HENIGHAN_TABLE1_AS_PRINTED.strip().splitlines():
        domain = line.split("|")[0].strip()
        checked |= {f"henighan2020/L(N) {domain}", f"henighan2020/L(C) {domain}"}
        if line.split("|")[3].strip() != "-":
            checked.add(f"henighan2020/N_opt(C) {domain}")
    checked |= {f"henighan2020/L(N) {domain}" for domain in HENIGHAN_TEXT_ROWS_AS_PRINTED}
    assert checked == set(registry.FITS)


# Later models, as their own papers or model cards print them (parameters, tokens).
OTHER_MODELS_AS_PRINTED = {
    "Llama 1 7B": (6.7e9, 1.0e12), "Llama 1 13B": (13.0e9, 1.0e12),      # LLaMA Table 2
    "Llama 1 33B": (32.5e9, 1.4e12), "Llama 1 65B": (65.2e9, 1.4e12),
    "Llama 2 7B": (7e9, 2.0e12), "Llama 2 13B": (13e9, 2.0e12),          # Llama 2 Table 1
    "Llama 2 34B": (34e9, 2.0e12), "Llama 2 70B": (70e9, 2.0e12),
    "Llama 3 8B": (8e9, 15e12), "Llama 3 70B": (70e9, 15e12),            # model card: 15T+
    "Llama 3 405B": (405e9, 15.6e12),                                     # Llama 3 paper, Sec. 1
    "PaLM 8B": (8.63e9, 780e9), "PaLM 62B": (62.50e9, 780e9),            # PaLM Table 1, Sec. 3
    "PaLM 540B": (540.35e9, 780e9),
}


def test_other_models_match_their_sources():
    for name, (n_params, n_tokens) in OTHER_MODELS_AS_PRINTED.items():
        model = registry.model(name)
        assert (model.n_params, model.n_tokens) == (n_params, n_tokens), name
    table1 = {m.name for m in registry.HOFFMANN_TABLE1}
    assert set(registry.MODELS) == table1 | set(OTHER_MODELS_AS_PRINTED)


# Hestness et al.: ImageNet exponents quoted from the 2017 text; the rest from the authors'
# restatement (Hestness et al. 2019, Table 1), marked secondary until checked against 2017.
HESTNESS_AS_PRINTED = [
    ("Machine translation (encoder-decoder, attention)", "beta_g", -0.128, "secondary"),
    ("Word language model (LSTM)", "beta_g", -0.066, "secondary"),
    ("Character language model (RHN)", "beta_g", -0.092, "secondary"),
    ("Image classification (ResNet)", "beta_g", -0.309, "primary"),
    ("Image classification (ResNet)", "beta_g", -0.488, "primary"),
    ("Speech recognition (encoder-decoder, attention)", "beta_g", -0.291, "secondary"),
    ("Machine translation (encoder-decoder, attention)", "beta_p", 0.68, "secondary"),
    ("Word language model (LSTM)", "beta_p", 0.68, "secondary"),
    ("Character language model (RHN)", "beta_p", 0.89, "secondary"),
    ("Image classification (ResNet)", "beta_p", 0.57, "secondary"),
    ("Speech recognition (encoder-decoder, attention)", "beta_p", 0.54, "secondary"),
]


def test_hestness_exponents_match_their_sources():
    got = [(e.domain, e.kind, e.value, e.source.status) for e in registry.HESTNESS_EXPONENTS]
    assert got == HESTNESS_AS_PRINTED
    low = registry.constant("hestness_beta_g_steepest").value
    high = registry.constant("hestness_beta_g_shallowest").value
    # The paper says beta_g "usually settles" in that range, printed to two decimals: every
    # learning-curve exponent rounds into it except ImageNet's top-5 error.
    for e in registry.HESTNESS_EXPONENTS:
        if e.kind == "beta_g" and e.metric != "top-5 error":
            assert low <= round(e.value, 2) <= high, e


def test_secondary_values_say_where_they_were_read():
    for source in registry.all_sources():
        if source.status == "secondary":
            assert source.note, source


# Chinchilla-form fits: Hoffmann et al. (2022) App. D.2 Eq. 10 (rounded); the unrounded values
# as log(A), log(B), log(E) in Besiroglu et al.'s notebook; Besiroglu et al.'s refit
# (notebook cell 25 output).
CHINCHILLA_FITS_AS_PRINTED = {
    # Hyperparameter laws, read second-hand (see the entries' notes):
    "bi2024/lr(C)": {"k": 0.3118, "p": -0.1250},  # DeepSeek LLM Eq. 1: 0.3118 C^-0.1250
    "bi2024/B(C)": {"k": 0.2920, "p": 0.3271},  # DeepSeek LLM Eq. 1: 0.2920 C^0.3271
    "li2025/lr(N,D)": {"k": 1.79, "a": -0.713, "b": 0.307},  # Step Law: 1.79 N^-0.713 D^0.307
    "li2025/B(D)": {"k": 0.58, "p": 0.571},  # Step Law: 0.58 D^0.571
    "porian2024/lr(N)": {"k": 3.7, "p": -0.36},  # Porian et al. Fig. 3: 3.7 N^-0.36
    "porian2024/B(N)": {"k": 0.00037, "p": 0.703},  # Porian et al. Fig. 3: 0.00037 N^0.703
    "hoffmann2022/approach3": {"E": 1.69, "A": 406.4, "B": 410.7, "alpha": 0.34, "beta": 0.28},
    "hoffmann2022/approach3 unrounded": {"log E": 0.5267228, "log A": 6.0073404,
                                         "log B": 6.0179186, "alpha": 0.33917084,
                                         "beta": 0.2849083},
    "besiroglu2024/refit": {"E": 1.81686, "A": 482.00572, "B": 2085.43420, "alpha": 0.34781,
                            "beta": 0.36585},
}


def test_chinchilla_fits_match_their_sources():
    for name, printed in CHINCHILLA_FITS_AS_PRINTED.items():
        params = registry.fit(name).params
        for key, value in printed.items():
            got = math.log(params[key[4:]]) if key.startswith("log ") else params[key]
            assert got == pytest.approx(value, rel=1e-12), (name, key)


# Hoffmann et al. (2022), Table 2: approach, a (10th, 90th), b (10th, 90th).
TABLE2_AS_PRINTED = """
Approach 1 | 0.50 (0.488, 0.502) | 0.50 (0.501, 0.512)
Approach 2 | 0.49 (0.462, 0.534) | 0.51 (0.483, 0.529)
Approach 3 | 0.46 (0.454, 0.455) | 0.54 (0.542, 0.543)
Kaplan et al. (2020) | 0.73 | 0.27
"""


def test_hoffmann_table2_matches_the_paper():
    expected = []
    for line in TABLE2_AS_PRINTED.strip().splitlines():
        method, *cells = (c.strip() for c in line.split("|"))
        for parameter, cell in zip("ab", cells, strict=True):
            numbers = [float(v) for v in re.findall(r"[\d.]+", cell)]
            low, high = numbers[1:] if len(numbers) == 3 else (math.nan, math.nan)
            expected.append((method, parameter, numbers[0], low, high))
    got = [(i.method, i.parameter, i.estimate, i.low, i.high) for i in registry.HOFFMANN_TABLE2]
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        assert g[:3] == e[:3]
        assert (math.isnan(g[3]) and math.isnan(e[3])) or g[3:] == e[3:]


# Tables 3 and A3: parameters | A1 FLOPs, tokens | A2 FLOPs, tokens | A3 FLOPs, tokens.
PROJECTIONS_AS_PRINTED = """
400 Million | 1.92e+19 8.0 Billion | 1.84e+19 7.7 Billion | 2.21e+19 9.2 Billion
1 Billion | 1.21e+20 20.2 Billion | 1.20e+20 20.0 Billion | 1.62e+20 27.1 Billion
10 Billion | 1.23e+22 205.1 Billion | 1.32e+22 219.5 Billion | 2.46e+22 410.1 Billion
67 Billion | 5.76e+23 1.5 Trillion | 6.88e+23 1.7 Trillion | 1.71e+24 4.1 Trillion
175 Billion | 3.85e+24 3.7 Trillion | 4.54e+24 4.3 Trillion | 1.26e+24 12.0 Trillion
280 Billion | 9.90e+24 5.9 Trillion | 1.18e+25 7.1 Trillion | 3.52e+25 20.1 Trillion
520 Billion | 3.43e+25 11.0 Trillion | 4.19e+25 13.4 Trillion | 1.36e+26 43.5 Trillion
1 Trillion | 1.27e+26 21.2 Trillion | 1.59e+26 26.5 Trillion | 5.65e+26 94.1 Trillion
10 Trillion | 1.30e+28 216.2 Trillion | 1.75e+28 292.0 Trillion | 8.55e+28 1425.5 Trillion
"""


def test_projection_tables_match_the_paper():
    scale = {"Million": 1e6, "Billion": 1e9, "Trillion": 1e12}
    rows = {}
    for line in PROJECTIONS_AS_PRINTED.strip().splitlines():
        size, *approaches = (c.strip() for c in line.split("|"))
        number, word = size.split()
        n = float(number) * scale[word]
        for approach, cell in zip("123", approaches, strict=True):
            flops, tokens, unit = cell.split()
            rows[(approach, n)] = (float(flops), float(tokens) * scale[unit])
    table = {(p.approach, p.n_params): (p.flops, p.n_tokens)
             for p in registry.HOFFMANN_PROJECTIONS if p.approach != "text"}
    assert table.keys() == rows.keys()
    for key, (flops, tokens) in rows.items():
        assert table[key][0] == pytest.approx(flops, rel=1e-12), key
        assert table[key][1] == pytest.approx(tokens, rel=1e-12), key
    text = [(p.n_params, p.flops, p.n_tokens) for p in registry.HOFFMANN_PROJECTIONS
            if p.approach == "text"]
    assert text == [(175e9, 4.41e24, 4.2e12), (280e9, 1e25, 6.8e12)]


# Hoffmann et al. (2022), Table 3, column "FLOPs (in Gopher unit)", as printed, row by row.
GOPHER_UNITS_AS_PRINTED = ("1/29,968", "1/4,761", "1/46", "1", "6.7", "17.2", "59.5", "221.3",
                           "22515.9")


def _printed_number(text: str) -> float:
    if text.startswith("1/"):
        return 1 / float(text[2:].replace(",", ""))
    return float(text)


def test_gopher_unit_column_matches_the_paper():
    values = registry.HOFFMANN_TABLE3_GOPHER_UNITS.values
    assert len(values) == len(GOPHER_UNITS_AS_PRINTED)
    for value, text in zip(values, GOPHER_UNITS_AS_PRINTED, strict=True):
        assert value == pytest.approx(_printed_number(text), rel=1e-12), text


def test_gopher_unit_column_follows_from_table3_and_gophers_budget():
    # Computed: each Table 3 row's printed FLOPs over Gopher's budget. It must agree with the
    # printed column within the rounding of both (FLOPs to three figures; the column to whole
    # denominators or one decimal), except the 10B row, printed 1/46 where 1.23e22 FLOPs give
    # 1/46.6 to 1/47.0: the column is truncated there, not rounded.
    from chinchilla_lib.fitting.projections import gopher_unit_column

    rows = gopher_unit_column()
    table3 = [p for p in registry.HOFFMANN_PROJECTIONS if p.approach == "1"]
    assert [r.n_params for r in rows] == [p.n_params for p in table3]
    gopher = registry.constant("gopher_training_flops").value
    for row, p in zip(rows, table3, strict=True):
        assert row.computed == pytest.approx(p.flops / gopher, rel=1e-12)
    inconsistent = [r.n_params for r in rows if not r.consistent]
    assert inconsistent == [10e9]
    ten_b = next(r for r in rows if r.n_params == 10e9)
    assert 1 / ten_b.computed == pytest.approx(46.83, abs=0.01)
    assert round(1 / ten_b.printed) == 46


def test_besiroglu_intervals_match_the_notebook():
    printed = {"E": (1.769, 1.871), "A": (285.214, 743.626), "B": (1042.357, 5810.344),
               "alpha": (0.317, 0.373), "beta": (0.331, 0.415)}
    refit = registry.fit("besiroglu2024/refit").params
    for interval in registry.BESIROGLU_INTERVALS:
        assert (interval.low, interval.high) == printed[interval.parameter]
        assert interval.estimate == refit[interval.parameter]


def test_besiroglu_test_statistics_follow_from_their_inputs():
    # Their t-test p-values follow from their estimates, their standard errors and Hoffmann et
    # al.'s unrounded values; the chi-squared p-values from the statistics.
    from scipy.stats import chi2, t

    refit = registry.fit("besiroglu2024/refit").params
    hoffmann = registry.fit("hoffmann2022/approach3 unrounded").params
    dof = registry.constant("besiroglu_points_fitted").value - 5
    for name in ("A", "B", "E", "alpha", "beta"):
        se = registry.constant(f"besiroglu_se_{name}").value
        p = 2 * t.sf(abs(refit[name] - hoffmann[name]) / se, dof)
        printed = registry.constant(f"besiroglu_t_test_p_{name}").value
        assert float(f"{p:.1e}") == pytest.approx(printed, rel=1e-9), name
    for kind in ("chi2", "lr"):
        statistic = registry.constant(f"besiroglu_{kind}_statistic").value
        p = registry.constant(f"besiroglu_{kind}_p").value
        assert chi2.sf(statistic, 5) == pytest.approx(p, rel=5e-3), kind


ALPHAGO_TABLE8_AS_PRINTED = """
Asynchronous | 1 | 48 | 8 | 2203
Asynchronous | 2 | 48 | 8 | 2393
Asynchronous | 4 | 48 | 8 | 2564
Asynchronous | 8 | 48 | 8 | 2665
Asynchronous | 16 | 48 | 8 | 2778
Asynchronous | 32 | 48 | 8 | 2867
Asynchronous | 40 | 48 | 8 | 2890
Asynchronous | 40 | 48 | 1 | 2181
Asynchronous | 40 | 48 | 2 | 2738
Asynchronous | 40 | 48 | 4 | 2850
Distributed | 12 | 428 | 64 | 2937
Distributed | 24 | 764 | 112 | 3079
Distributed | 40 | 1202 | 176 | 3140
Distributed | 64 | 1920 | 280 | 3168
"""


def test_alphago_search_scaling_matches_extended_data_table_8():
    rows = [[cell.strip() for cell in line.split("|")]
            for line in ALPHAGO_TABLE8_AS_PRINTED.strip().splitlines()]
    assert len(registry.ALPHAGO_SEARCH_SCALING) == len(rows)
    for run, (search, threads, cpus, gpus, elo) in zip(registry.ALPHAGO_SEARCH_SCALING, rows,
                                                       strict=True):
        assert (run.search, run.threads, run.cpus, run.gpus, run.elo) == (
            search.lower(), int(threads), int(cpus), int(gpus), float(elo))
        assert run.source.citation == "silver2016mastering"


# Epoch AI's key takeaways (villalobos2023trading): orders of magnitude of inference compute
# added (low, high) and of training compute saved (low, high), as written on the page.
EPOCH_SPANS_AS_PRINTED = {
    "villalobos2023/most language tasks": (1, 2, 1, 1),  # 1-2 OOM for ~1 OOM
    "villalobos2023/sequential reasoning": (2, 3, 2, 2),  # 2-3 OOM for ~2 OOM
    "villalobos2023/cheaply verifiable": (5, 6, 3, 4),  # 5-6 OOM for 3-4 OOM
}


def test_epoch_tradeoff_spans_match_the_page():
    spans = registry.EPOCH_TRADEOFF_SPANS
    assert {row.name: row.values for row in spans} == {
        name: tuple(float(v) for v in values) for name, values in EPOCH_SPANS_AS_PRINTED.items()}
    assert all(row.source.citation == "villalobos2023trading" for row in spans)


# The registry collects itself: every record of every source module is an entry, found without
# a list kept by hand, and so reaches the bibliography and source checks above.
def _records_held(module):
    """Every registry record a source module holds, under any name (private ones too)."""
    for name, value in vars(module).items():
        if isinstance(value, registry.RECORD_TYPES):
            yield name, value
        elif isinstance(value, (tuple, list, Mapping)):
            items = value.values() if isinstance(value, Mapping) else value
            yield from ((name, item) for item in items if isinstance(item, registry.RECORD_TYPES))


def test_every_module_of_the_package_is_a_source_module():
    folder = Path(registry.__file__).parent
    modules = {path.stem for path in folder.glob("*.py") if not path.stem.startswith("_")}
    assert {m.__name__.rsplit(".", 1)[1] for m in registry.source_modules()} == modules


def test_every_record_of_every_source_module_is_an_entry():
    found = {id(entry) for _where, entry in registry.entries()}
    for module in registry.source_modules():
        for name, record in _records_held(module):
            assert id(record) in found, (
                f"{module.__name__}.{name} holds a record that entries() misses: hold it "
                "under a public name")


def test_a_new_entry_in_any_source_module_is_found(monkeypatch):
    for module in registry.source_modules():
        short = module.__name__.rsplit(".", 1)[1]
        planted = registry.Constant(f"planted_in_{short}", 1.0, "count",
                                    registry.Source("no-such-key-planted", "nowhere"))
        monkeypatch.setattr(module, "PLANTED", (planted,), raising=False)
        assert (f"{short}.PLANTED", planted) in list(registry.entries())
        assert planted.source in set(registry.all_sources())
        monkeypatch.delattr(module, "PLANTED")


def test_every_entry_cites_a_key_of_the_bibliography():
    keys = _bib_keys()
    for where, entry in registry.entries():
        assert entry.source.citation in keys, (where, entry.source.citation)
        for key in (getattr(entry, "model_citation", ""), getattr(entry, "fitted_to", "")):
            assert not key or key in keys, (where, key)


def test_every_public_table_of_a_source_module_is_a_name_of_the_registry():
    merged = {"CONSTANTS", "FITS", "MODELS", "ARCHITECTURES"}  # merged across modules
    for module in registry.source_modules():
        for name, value in vars(module).items():
            if name.isupper() and not name.startswith("_") and name not in merged:
                assert getattr(registry, name, None) is value, f"registry.{name} is missing"
                assert name in registry.__all__


def test_merged_tables_hold_every_entry_of_their_kind_once():
    for table, kind in ((registry.CONSTANTS, registry.Constant),
                        (registry.FITS, registry.PublishedFit),
                        (registry.MODELS, registry.TrainedModel),
                        (registry.ARCHITECTURES, registry.PublishedShape)):
        of_kind = [e for _where, e in registry.entries() if isinstance(e, kind)]
        assert list(table.values()) == of_kind


def test_fits_are_selected_by_family():
    chinchilla = registry.fits(family=registry.LawFamily.CHINCHILLA)
    assert {f.name for f in chinchilla} == {
        "hoffmann2022/approach3", "hoffmann2022/approach3 unrounded", "besiroglu2024/refit",
        "kumar2024/base", "sardana2024/constants", "muennighoff2023/base"}
    for f in registry.FITS.values():
        assert [f[role] for role in f.family.roles]  # every role names a parameter
    with pytest.raises(ValueError, match=r"name must be one of .*besiroglu2024/refit"):
        registry.fit("kaplan2020/L(N)", family=registry.LawFamily.CHINCHILLA)
    with pytest.raises(ValueError, match="family must be a LawFamily"):
        registry.fits(family="L = E + A / N^alpha + B / D^beta")


def test_a_parameter_source_must_name_a_parameter():
    source = registry.Source("kaplan2020scaling", "nowhere")
    with pytest.raises(ValueError, match="param_sources of 'bad' must name parameters"):
        registry.PublishedFit("bad", "y = k x^p", {"k": 1.0, "p": 2.0}, "x", "y", source,
                              family=registry.LawFamily.POWER_LAW,
                              param_sources={"q": source})
    fit = registry.PublishedFit("good", "y = k x^p", {"k": 1.0, "p": 2.0}, "x", "y", source,
                                family=registry.LawFamily.POWER_LAW,
                                param_sources={"p": registry.Source("kaplan2020scaling", "Eq. 1")})
    assert fit.source_of("k") is source and fit.source_of("p").location == "Eq. 1"
    assert len(fit.sources) == 2
    with pytest.raises(ValueError, match="param must be one of"):
        fit.source_of("q")
    kumar = registry.fit("kumar2024/ptq").source_of("gamma_post")
    assert kumar in set(registry.all_sources())  # parameter sources reach the checks


def test_a_fit_must_name_every_role_of_its_family():
    with pytest.raises(ValueError, match="must name the roles"):
        registry.PublishedFit("bad", "y = k x^p", {"k": 1.0, "q": 2.0}, "x", "y",
                              registry.Source("kaplan2020scaling", "nowhere"),
                              family=registry.LawFamily.POWER_LAW)


def test_the_registry_imports_only_the_standard_library_and_itself():
    import ast
    import sys

    folder = Path(registry.__file__).parent
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert (top in sys.stdlib_module_names
                        or name.startswith("chinchilla_lib.registry")), (path.name, name)
