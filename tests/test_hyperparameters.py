"""The hyperparameter scaling laws (chinchilla_lib.laws.hyperparameters): each law against its
printed constants and a hand computation, the side-by-side table at 1e21 and 1e24 FLOPs, and
bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chinchilla_lib import registry
from chinchilla_lib.laws import (
    ChinchillaLaw,
    DeepSeekHyperparameters,
    PorianHyperparameters,
    StepLaw,
    batch_in_sequences,
    deepseek_model_scale,
    hyperparameter_table,
    kaplan_batch_size,
)


def test_deepseek_law_by_hand():
    law = DeepSeekHyperparameters.from_registry()
    # (1e24)^-0.125 = 1e-3 exactly; (1e24)^0.3271 = 10^7.8504
    assert law.learning_rate(1e24) == pytest.approx(0.3118e-3, rel=1e-12)
    assert law.batch_size(1e24) == pytest.approx(0.2920 * 10**7.8504, rel=1e-12)
    assert law.learning_rate(1e21) == pytest.approx(0.3118 * 10**-2.625, rel=1e-12)
    assert law.batch_size(1e21) == pytest.approx(0.2920 * 10**(21 * 0.3271), rel=1e-12)


def test_deepseek_law_reproduces_their_7b_settings():
    # DeepSeek LLM 7B: 30 layers of width 4096, sequences of 4096 tokens, 2.0e12 tokens. Its
    # Table 2 is restated (second-hand, see the registry's note on bi2024/lr(C)) to use a peak
    # learning rate of 4.2e-4 and 2304 sequences of 4096 tokens; the restatement's M is 4.23e10.
    m = deepseek_model_scale(30, 4096, 4096)
    assert m == pytest.approx(30 * 4096 * (72 * 4096 + 12 * 4096), rel=1e-12)
    assert m == pytest.approx(4.23e10, rel=2e-3)
    law = DeepSeekHyperparameters.from_registry()
    flops = m * 2.0e12
    assert law.learning_rate(flops) == pytest.approx(4.2e-4, rel=0.02)
    assert law.batch_size(flops) == pytest.approx(2304 * 4096, rel=0.03)


def test_deepseek_model_scale_is_six_n_plus_attention():
    # 72 n d^2 is 6 N_1 with N_1 = 12 n d^2; the attention adds 12 n d l.
    n_layer, d_model, seq_len = 24, 2048, 4096
    six_n = 6 * 12 * n_layer * d_model**2
    assert deepseek_model_scale(n_layer, d_model, seq_len) == pytest.approx(
        six_n + 12 * n_layer * d_model * seq_len, rel=1e-12)
    widths = np.array([512.0, 8192.0])
    assert deepseek_model_scale(8, widths, 4096).shape == (2,)


def test_step_law_by_hand():
    law = StepLaw.from_registry()
    expected = 1.79 * 10 ** (-0.713 * 9 + 0.307 * 11)  # N = 1e9, D = 1e11
    assert law.learning_rate(1e9, 1e11) == pytest.approx(expected, rel=1e-12)
    assert law.batch_size(1e11) == pytest.approx(0.58 * 10 ** (0.571 * 11), rel=1e-12)
    # the learning rate rises with D at fixed N, and falls with N at fixed D
    assert law.learning_rate(1e9, 1e12) > law.learning_rate(1e9, 1e11)
    assert law.learning_rate(1e10, 1e11) < law.learning_rate(1e9, 1e11)


def test_porian_law_by_hand_and_near_their_901m_choice():
    law = PorianHyperparameters.from_registry()
    n = 9.01e8
    assert law.learning_rate(n) == pytest.approx(3.7 * n**-0.36, rel=1e-12)
    assert law.batch_sequences(n) == pytest.approx(0.00037 * n**0.703, rel=1e-12)
    assert law.batch_size(n) == pytest.approx(2048 * 0.00037 * n**0.703, rel=1e-12)
    # Their 901M prescription (LR 0.0024, batch 640, read second-hand) lies within 15% of the
    # laws they fitted on models up to 221M.
    assert law.learning_rate(n) == pytest.approx(0.0024, rel=0.15)
    assert law.batch_sequences(n) == pytest.approx(640, rel=0.15)


def test_kaplan_batch_size_by_hand():
    pf_day = 1e15 * 86_400
    assert kaplan_batch_size(1e21) == pytest.approx(2e6 * (0.5e21 / pf_day) ** 0.24, rel=1e-12)
    assert kaplan_batch_size(1e21, ratio=1) == pytest.approx(2e6 * (1e21 / pf_day) ** 0.24,
                                                             rel=1e-12)


@settings(max_examples=50, deadline=None)
@given(st.floats(1e15, 1e28), st.floats(1.5, 1e3))
def test_power_laws_scale_by_their_exponents(flops, factor):
    deepseek = DeepSeekHyperparameters.from_registry()
    assert deepseek.batch_size(flops * factor) / deepseek.batch_size(flops) == pytest.approx(
        factor**0.3271, rel=1e-9)
    assert deepseek.learning_rate(flops * factor) / deepseek.learning_rate(flops) == \
        pytest.approx(factor**-0.125, rel=1e-9)
    step = StepLaw.from_registry()
    assert step.batch_size(flops * factor) / step.batch_size(flops) == pytest.approx(
        factor**0.571, rel=1e-9)


# Hand values at the two budgets of the chapter. N and D are Hoffmann et al.'s Approach 3
# optimum (checked against the closed form below); every other number is computed here from
# the printed constants.
@pytest.mark.parametrize("flops", [1e21, 1e24])
def test_side_by_side_table_against_hand_values(flops):
    table = hyperparameter_table(flops, context=4096)
    optimum = ChinchillaLaw.from_registry("hoffmann2022/approach3").compute_optimal(flops)
    n, d = optimum.n_params, optimum.n_tokens
    assert (table.n_params, table.n_tokens) == pytest.approx((n, d), rel=1e-12)
    assert 6 * n * d == pytest.approx(flops, rel=1e-12)
    assert d / n == pytest.approx({1e21: 50.1, 1e24: 97.7}[flops], rel=1e-2)
    pf_day = 1e15 * 86_400
    hand = {
        "deepseek": (0.3118 * flops**-0.125, 0.2920 * flops**0.3271),
        "steplaw": (1.79 * n**-0.713 * d**0.307, 0.58 * d**0.571),
        "porian": (3.7 * n**-0.36, 2048 * 0.00037 * n**0.703),
        "kaplan": (None, 2e6 * (flops / 2 / pf_day) ** 0.24),
    }
    assert [row.law for row in table.rows] == list(hand)
    for law, (lr, batch) in hand.items():
        row = table.row(law)
        if lr is None:
            assert row.learning_rate is None
        else:
            assert row.learning_rate == pytest.approx(lr, rel=1e-12), law
        assert row.batch_tokens == pytest.approx(batch, rel=1e-12), law
        assert row.batch_sequences == pytest.approx(batch / 4096, rel=1e-12), law
        assert row.source


def test_where_the_laws_agree_and_disagree():
    """The numbers the chapter states: at both budgets the learning rates agree within a
    factor of about two, DeepSeek's and Step Law's within 30%; the batch sizes spread more,
    Step Law's smallest (it grows with D alone, as D^0.571) and DeepSeek's about twice it."""
    for flops in (1e21, 1e24):
        table = hyperparameter_table(flops)
        lrs = [row.learning_rate for row in table.rows if row.learning_rate is not None]
        assert max(lrs) / min(lrs) < 2.5
        deepseek, step = table.row("deepseek"), table.row("steplaw")
        assert 1.0 < step.learning_rate / deepseek.learning_rate < 1.45
        assert 2.0 < deepseek.batch_tokens / step.batch_tokens < 2.4
        assert step.batch_tokens == min(row.batch_tokens for row in table.rows)


def test_batch_in_sequences():
    assert batch_in_sequences(4 * 2**20, 4096) == 1024.0
    assert batch_in_sequences(1e6) == pytest.approx(1e6 / 2048)


@pytest.mark.parametrize(("call", "match"), [
    (lambda: hyperparameter_table(1e21, allocation="no such fit"), "name must be one of"),
    (lambda: hyperparameter_table(1e21, allocation="kaplan2020/L(N)"), "name must be one of"),
    (lambda: hyperparameter_table(1e21, context=0), "context"),
    (lambda: hyperparameter_table([1e21, 1e22]), "flops must be a single number"),
    (lambda: hyperparameter_table(-1.0), "flops"),
    (lambda: hyperparameter_table(1e21).row("chinchilla"), "law must be one of"),
    (lambda: DeepSeekHyperparameters.from_registry("li2025/lr(N,D)"), "name must be one of"),
    (lambda: StepLaw.from_registry("bi2024/lr(C)"), "name must be one of"),
    (lambda: StepLaw(1.0, math.nan, 0.3, 0.5, 0.5), "lr_params_exponent"),
    (lambda: DeepSeekHyperparameters(0.0, -0.1, 0.3, 0.3), "lr_coefficient"),
    (lambda: deepseek_model_scale(0, 4096, 4096), "n_layer"),
    (lambda: batch_in_sequences(1e6, 2.5), "context"),
    (lambda: kaplan_batch_size(1e21, ratio=0.5), "ratio"),
])
def test_bad_input_is_refused_by_name(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


def test_hyperparameter_fits_are_second_hand_and_say_where_they_were_read():
    for name in ("bi2024/lr(C)", "bi2024/B(C)", "li2025/lr(N,D)", "li2025/B(D)",
                 "porian2024/lr(N)", "porian2024/B(N)"):
        source = registry.fit(name).source
        assert source.status == "secondary" and "second-hand" in source.note, name
