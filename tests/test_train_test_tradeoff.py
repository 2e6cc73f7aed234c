"""The iso-strength frontier between train-time and test-time compute."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from chinchilla_lib import symbolic
from chinchilla_lib.laws.train_test_tradeoff import (
    IsoStrengthFrontier,
    best_of_n_inference_ratio,
    compute_multiplier_for_elo,
    elo_per_doubling,
    flops_matched_inference_multiplier,
)

FRONTIER = IsoStrengthFrontier(train_exponent=-1.5, elo_coefficient=0.005, intercept=20.0)


@settings(max_examples=40, deadline=None)
@given(log_train=st.floats(8.0, 20.0), elo=st.floats(-2000.0, 0.0))
def test_train_compute_inverts_test_compute(log_train, elo):
    test = FRONTIER.test_compute(10.0**log_train, elo)
    assert FRONTIER.train_compute(test, elo) == pytest.approx(10.0**log_train, rel=1e-9)


def test_saving_per_decade_is_the_ratio_along_the_frontier():
    low, high = FRONTIER.test_compute(np.array([1e12, 1e13]), -500.0)
    assert low / high == pytest.approx(FRONTIER.test_saving_per_train_decade())
    assert FRONTIER.test_saving_per_train_decade() == pytest.approx(10**1.5)
    stronger = FRONTIER.test_compute(1e12, -500.0 + FRONTIER.elo_per_test_decade())
    assert stronger / low == pytest.approx(10.0)


def test_floor_stops_the_trade():
    floored = IsoStrengthFrontier(-1.5, 0.005, 20.0, test_floor=1e3)
    assert floored.test_compute(1e20, -500.0) == 1e3
    assert floored.test_compute(1e8, -500.0) == FRONTIER.test_compute(1e8, -500.0)
    with pytest.raises(ValueError, match="floor"):
        floored.train_compute(1e2, -500.0)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"train_exponent": 0.5, "elo_coefficient": 0.004, "intercept": 29.0}, "train_exponent"),
    ({"train_exponent": -1.2, "elo_coefficient": 0.0, "intercept": 29.0}, "elo_coefficient"),
    ({"train_exponent": -1.2, "elo_coefficient": 0.004, "intercept": np.inf}, "intercept"),
    ({"train_exponent": -1.2, "elo_coefficient": 0.004, "intercept": 29.0, "test_floor": -1.0},
     "test_floor"),
])
def test_bad_frontiers(kwargs, match):
    with pytest.raises(ValueError, match=match):
        IsoStrengthFrontier(**kwargs)


def test_bad_calls():
    with pytest.raises(ValueError, match="train_compute"):
        FRONTIER.test_compute(0.0, -100.0)
    with pytest.raises(ValueError, match="elo"):
        FRONTIER.test_compute(1e12, np.nan)


def test_jones_frontier_reproduces_the_quoted_fifteenfold_saving():
    from chinchilla_lib import registry

    quoted = registry.constant("jones_hex_test_saving_per_train_decade").value
    saving = IsoStrengthFrontier.from_registry("jones2021/hex").test_saving_per_train_decade()
    # "About 15x": 10^1.2 = 15.85, within the rounding of the printed exponent.
    assert saving == pytest.approx(quoted, rel=0.06)
    hex_frontier = IsoStrengthFrontier.from_registry("jones2021/hex")
    assert hex_frontier.elo_per_test_decade() == pytest.approx(250.0)


def test_flops_matched_multiplier_matches_sympy_and_a_direct_count():
    symbols, k = symbolic.flops_matched_multiplier()
    m, d_p, d_i = symbols["M"], symbols["D_p"], symbols["D_i"]
    assert sp.simplify(k - (m + 3 * (m - 1) * d_p / d_i)) == 0
    n, d_pre = 1e9, 1e12
    for size_ratio in (1.0, 4.0, 14.0):
        for r in (0.16, 0.79, 22.0):
            d_inf = r * d_pre
            larger = size_ratio * (6 * n * d_pre + 2 * n * d_inf)
            multiplier = flops_matched_inference_multiplier(size_ratio, r)
            assert 6 * n * d_pre + multiplier * 2 * n * d_inf == pytest.approx(larger)


def test_flops_matched_multiplier_checks_input():
    with pytest.raises(ValueError, match="size_ratio must be >= 1"):
        flops_matched_inference_multiplier(0.5, 1.0)
    with pytest.raises(ValueError, match="inference_to_pretraining_tokens"):
        flops_matched_inference_multiplier(2.0, 0.0)


@settings(max_examples=30, deadline=None)
@given(slope=st.floats(10.0, 300.0), base=st.floats(0.0, 3000.0))
def test_elo_per_doubling_recovers_a_planted_slope(slope, base):
    threads = np.array([1.0, 2.0, 4.0, 8.0, 16.0, 40.0])
    assert elo_per_doubling(threads, base + slope * np.log2(threads)) == pytest.approx(slope)


def test_alphago_gains_about_a_hundred_elo_per_doubling_of_threads():
    from chinchilla_lib import registry

    runs = [r for r in registry.ALPHAGO_SEARCH_SCALING
            if r.search == "asynchronous" and r.gpus == 8]
    gain = elo_per_doubling([r.threads for r in runs], [r.elo for r in runs])
    # 2203 Elo at 1 thread to 2890 at 40: about 5.3 doublings, flattening at the top.
    assert 100.0 < gain < 160.0


def test_elo_per_doubling_checks_input():
    with pytest.raises(ValueError, match="same length"):
        elo_per_doubling([1, 2, 4], [1.0, 2.0])
    with pytest.raises(ValueError, match="two distinct"):
        elo_per_doubling([2, 2], [1.0, 2.0])
    with pytest.raises(ValueError, match="resources"):
        elo_per_doubling([0, 2], [1.0, 2.0])


def test_compute_multiplier_for_elo_inverts_the_log_linear_rise():
    assert compute_multiplier_for_elo(500.0, 500.0) == pytest.approx(10.0)
    per_doubling = 120.0
    assert compute_multiplier_for_elo(per_doubling, per_doubling / np.log10(2.0)) == \
        pytest.approx(2.0)
    assert compute_multiplier_for_elo(-500.0, 500.0) == pytest.approx(0.1)
    gains = np.array([0.0, 250.0, 1000.0])
    assert compute_multiplier_for_elo(gains, 500.0) == pytest.approx(10.0 ** (gains / 500.0))


@pytest.mark.parametrize(("gain", "rate", "name"), [
    (np.nan, 500.0, "elo_gain"), (100.0, 0.0, "elo_per_decade"), (100.0, -5.0, "elo_per_decade")])
def test_compute_multiplier_for_elo_rejects_bad_input(gain, rate, name):
    with pytest.raises(ValueError, match=name):
        compute_multiplier_for_elo(gain, rate)


def test_best_of_n_ratio_counts_generator_and_verifier():
    assert best_of_n_inference_ratio(6e9, 100, 175e9) == pytest.approx(100 * 12e9 / 175e9)
    assert best_of_n_inference_ratio(6e9, 1, 6e9, verifier_params=0.5e9) == pytest.approx(
        1 + 0.5 / 6)
    ratios = best_of_n_inference_ratio(1e9, np.array([1.0, 10.0]), 1e9)
    assert ratios == pytest.approx([2.0, 20.0])


@pytest.mark.parametrize(("args", "name"), [
    ((0.0, 10, 1e9), "generator_params"), ((1e9, 0.5, 1e9), "samples"),
    ((1e9, 10, -1.0), "reference_params")])
def test_best_of_n_ratio_rejects_bad_input(args, name):
    with pytest.raises(ValueError, match=name):
        best_of_n_inference_ratio(*args)
    with pytest.raises(ValueError, match="verifier_params"):
        best_of_n_inference_ratio(1e9, 10, 1e9, verifier_params=0.0)

