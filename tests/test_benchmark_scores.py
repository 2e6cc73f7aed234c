"""Benchmark sigmoids (the law and its fitter) and apparent emergence from exact match."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from chinchilla_lib import symbolic
from chinchilla_lib.fitting.sigmoid import fit_sigmoid
from chinchilla_lib.laws.emergence import (
    exact_match,
    exact_match_shift_decades,
    rise_width_decades,
    token_accuracy_at_exact_match,
)
from chinchilla_lib.laws.power import PowerLaw
from chinchilla_lib.laws.sigmoid import SigmoidInLogX, SigmoidInLoss
from chinchilla_lib.simulate.emergence import simulate_benchmark


def test_sigmoid_in_log_x_halfway_at_midpoint_and_rise_width():
    law = SigmoidInLogX(0.25, 0.85, 1e22, 2.0)
    assert law(1e22) == pytest.approx(0.55)
    rise = law.rise_decades()
    low, high = law(1e22 * 10 ** (-rise / 2)), law(1e22 * 10 ** (rise / 2))
    assert (low - 0.25) / 0.6 == pytest.approx(0.1)
    assert (high - 0.25) / 0.6 == pytest.approx(0.9)


def test_sigmoid_in_loss_rises_as_loss_falls():
    law = SigmoidInLoss(0.25, 0.9, 2.0, 4.0)
    assert law(2.0) == pytest.approx(0.575)
    assert law(1.5) > law(2.0) > law(2.5)


@settings(max_examples=15, deadline=None)
@given(ceiling=st.floats(0.6, 1.0), log_mid=st.floats(20.5, 23.5), slope=st.floats(0.8, 4.0),
       seed=st.integers(0, 1000))
def test_fit_recovers_planted_sigmoid_from_noisy_scores(ceiling, log_mid, slope, seed):
    truth = SigmoidInLogX(0.25, ceiling, 10**log_mid, slope)
    flops = np.geomspace(1e19, 1e25, 30)
    rng = np.random.default_rng(seed)
    scores = np.clip(truth(flops) + rng.normal(0.0, 0.005, flops.size), 0.0, 1.0)
    fit = fit_sigmoid(flops, scores, floor=0.25)
    assert fit.law.ceiling == pytest.approx(ceiling, abs=0.03)
    assert math.log10(fit.law.midpoint) == pytest.approx(log_mid, abs=0.1)
    assert fit.law.slope == pytest.approx(slope, rel=0.2)
    assert fit.rmse < 0.01


def test_fit_against_loss_with_free_floor():
    truth = SigmoidInLoss(0.2, 0.8, 2.2, 6.0)
    losses = np.linspace(1.6, 3.0, 15)
    fit = fit_sigmoid(losses, truth(losses), against="loss")
    assert isinstance(fit.law, SigmoidInLoss)
    for name in ("floor", "ceiling", "midpoint", "slope"):
        assert getattr(fit.law, name) == pytest.approx(getattr(truth, name), rel=1e-4)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"x": [1, 2, 3], "accuracy": [0.1, 0.2, 0.3]}, "at least 4 points"),
    ({"x": [1, 2, 3, 4], "accuracy": [0.1, 0.2, 0.3, 1.2]}, "accuracy must lie in"),
    ({"x": [1, 2, 3, -4], "accuracy": [0.1, 0.2, 0.3, 0.4]}, "x must be finite and > 0"),
    ({"x": [1, 2, 3, 4], "accuracy": [0.1, 0.2, 0.3]}, "same length"),
    ({"x": [1, 2, 3, 4], "accuracy": [0.1, 0.2, 0.3, 0.4], "against": "n"}, "against"),
    ({"x": [1, 2, 3, 4], "accuracy": [0.1, 0.2, 0.3, 0.4], "floor": 1.0}, "floor"),
])
def test_fit_rejects_bad_input(kwargs, match):
    kwargs.setdefault("floor", 0.0)
    with pytest.raises(ValueError, match=match):
        fit_sigmoid(**kwargs)


def test_bad_sigmoids():
    with pytest.raises(ValueError, match="ceiling must exceed floor"):
        SigmoidInLogX(0.5, 0.4, 1.0, 1.0)
    with pytest.raises(ValueError, match="slope"):
        SigmoidInLoss(0.0, 1.0, 2.0, 0.0)
    with pytest.raises(ValueError, match="midpoint"):
        SigmoidInLogX(0.0, 1.0, float("nan"), 1.0)


def test_exact_match_shift_matches_sympy_and_the_curves():
    symbols, solution = symbolic.exact_match_shift()
    ratio = sp.simplify(symbols["N"] / solution)
    assert sp.simplify(ratio - symbols["k"] ** (1 / symbols["alpha"])) == 0
    alpha, k = 0.3, 8
    law = PowerLaw(1e9**alpha, -alpha)          # loss = (N / 1e9)^-alpha
    shift = exact_match_shift_decades(k, alpha)
    sizes = np.geomspace(1e8, 1e11, 7)
    per_token = exact_match(law(sizes), 1)
    lagged = exact_match(law(sizes * 10**shift), k)
    np.testing.assert_allclose(lagged, per_token, rtol=1e-12)


def test_simulated_exact_match_lags_token_accuracy():
    law = PowerLaw(1e9**0.3, -0.3)
    sizes = np.geomspace(1e7, 1e13, 7)
    scores = simulate_benchmark(sizes, law, answer_tokens=20, questions=400, seed=1)
    # The same curve shifted right: token accuracy is already well off the floor where exact
    # match is still near zero (the shapes are equal; see the rise-width test below).
    assert scores.token_accuracy[2] > 0.3 and scores.exact_match[2] < 0.02
    assert np.all(np.diff(scores.token_accuracy) > 0)
    np.testing.assert_allclose(scores.token_accuracy, np.exp(-law(sizes)), atol=0.02)
    np.testing.assert_allclose(scores.exact_match, exact_match(law(sizes), 20), atol=0.06)


def test_emergence_input_checks():
    with pytest.raises(ValueError, match="answer_tokens"):
        exact_match(0.1, 0)
    with pytest.raises(ValueError, match="token_loss"):
        exact_match(-0.1, 2)
    with pytest.raises(ValueError, match="exponent"):
        exact_match_shift_decades(2, 0.0)
    with pytest.raises(ValueError, match="questions"):
        simulate_benchmark([1e9], PowerLaw(1.0, -0.3), answer_tokens=2, questions=0)


def test_rise_width_is_the_same_for_every_answer_length_and_matches_sympy():
    symbols, width = symbolic.gumbel_rise_width()
    assert symbols["k"] not in width.free_symbols
    alpha = 0.3
    closed = float(width.subs({symbols["alpha"]: alpha, symbols["q_lo"]: 0.1,
                               symbols["q_hi"]: 0.9}))
    assert rise_width_decades(alpha) == pytest.approx(closed, rel=1e-12)
    law = PowerLaw(1e9**alpha, -alpha)
    u = np.linspace(0.0, 30.0, 300001)           # log10 N on a fine grid
    for k in (1, 10):
        score = exact_match(law(10.0**u), k)
        crossing = [np.interp(q, score, u) for q in (0.1, 0.9)]
        assert crossing[1] - crossing[0] == pytest.approx(closed, abs=1e-3)


def test_token_accuracy_over_the_exact_match_jump():
    low, high = token_accuracy_at_exact_match(np.array([0.1, 0.9]), 10)
    assert exact_match(-np.log(low), 10) == pytest.approx(0.1)
    assert exact_match(-np.log(high), 10) == pytest.approx(0.9)
    assert 0.79 < low < 0.8 and 0.98 < high < 0.99
    with pytest.raises(ValueError, match="level"):
        token_accuracy_at_exact_match(1.5, 10)
    with pytest.raises(ValueError, match="high"):
        rise_width_decades(0.3, low=0.5, high=0.4)
    with pytest.raises(ValueError, match="low"):
        rise_width_decades(0.3, low=0.0)
