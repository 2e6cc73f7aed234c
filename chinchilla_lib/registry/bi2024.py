"""Bi et al. (2024), *DeepSeek LLM: scaling open-source language models with longtermism*:
the optimal peak learning rate and batch size as power laws in the compute budget, and the
model scale M (non-embedding FLOPs per token) in which that budget is counted."""

from __future__ import annotations

from types import MappingProxyType

from chinchilla_lib.registry._types import Constant, LawFamily, PublishedFit, Source

_K = "bi2024deepseek"
_C = ("C, training FLOPs (DeepSeek's C = M D: M non-embedding FLOPs per token, D tokens; "
      "the fits take C in FLOPs, not PF-days)")
_READ = ("Read second-hand: the stored copies of the paper show only its opening. The "
         "constants were read in two restatements that agree (a public literature note on "
         "the paper, which places them in Section 3.1, Eq. 1, fitted on budgets from 1e17 to "
         "2e19 FLOPs with settings within 0.25% of the best loss counted as near-optimal; and "
         "codestar12.github.io/llm-hparam-flop-calculator, which gives the batch size in "
         "tokens). A third restatement, in other authors' released code, agrees on all four "
         "numbers and on the unit: Porian et al.'s plotting.py compares their fits with "
         "0.3118 C^-0.1250 and 0.2920 C^0.3271, dividing the latter by 2048 to turn tokens "
         "into sequences. StepFun's slide table of published laws prints the coefficient as "
         "0.3188, a typo against all three. Check: at the 7B model's C = 4.23e10 x 2.0e12 "
         "FLOPs the fits give 4.25e-4 and 9.2M tokens, beside the 4.2e-4 and 2304 x 4096 "
         "tokens the paper's Table 2 is restated to use.")
_M = ("Read second-hand, in the same literature note and in a second note that lists the "
      "three scale measures of Section 3.2 (6 N_1 = 72 n_layer d_model^2, 6 N_2 adding "
      "6 n_vocab d_model, and M). The attention term counts the causal attention's two "
      "matrix products per layer at the full sequence length. Step Law's released code "
      "(step-law/steplaw, code/fit_tool.py) computes the same M for its own models, "
      "6 (4 h + 3 ffn_h + 2 l_seq) n_layer h, which is 72 n_layer h^2 + 12 n_layer h l_seq "
      "when ffn_h = 8h/3.")

CONSTANTS: tuple[Constant, ...] = (
    Constant("deepseek_m_weight_coefficient", 72.0, "FLOPs per token / (n_layer d_model^2)",
             Source(_K, "Section 3.2, Eq. 2: M = 72 n_layer d_model^2 + 12 n_layer d_model "
                    "l_seq", _M, "secondary")),
    Constant("deepseek_m_attention_coefficient", 12.0,
             "FLOPs per token / (n_layer d_model l_seq)",
             Source(_K, "Section 3.2, Eq. 2: M = 72 n_layer d_model^2 + 12 n_layer d_model "
                    "l_seq", _M, "secondary")),
)

FITS: tuple[PublishedFit, ...] = (
    PublishedFit("bi2024/lr(C)", "eta_opt = 0.3118 C^-0.1250",
                 MappingProxyType({"k": 0.3118, "p": -0.1250}),
                 _C, "peak learning rate (AdamW, multi-step schedule)",
                 Source(_K, "Section 3.1, Eq. 1", _READ, "secondary"),
                 family=LawFamily.POWER_LAW, fitted_to=_K),
    PublishedFit("bi2024/B(C)", "B_opt = 0.2920 C^0.3271",
                 MappingProxyType({"k": 0.2920, "p": 0.3271}),
                 _C, "batch size, tokens",
                 Source(_K, "Section 3.1, Eq. 1", _READ, "secondary"),
                 family=LawFamily.POWER_LAW, fitted_to=_K),
)
