"""Tests of chinchilla_lib.metrics."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from chinchilla_lib import metrics


@given(st.floats(min_value=0, max_value=50))
def test_perplexity_round_trip(loss):
    assert metrics.loss_from_perplexity(metrics.perplexity(loss)) == pytest.approx(loss, abs=1e-9)


def test_known_values():
    assert metrics.perplexity(math.log(50257)) == pytest.approx(50257)
    assert metrics.bits_per_token(math.log(2)) == pytest.approx(1.0)
    assert metrics.error_rate(0.75) == pytest.approx(0.25)
    assert metrics.elo_expected_score(0) == pytest.approx(0.5)
    assert metrics.elo_expected_score(400) == pytest.approx(10 / 11)


@given(st.floats(min_value=-2000, max_value=2000))
def test_elo_difference_inverts_expected_score(diff):
    assert metrics.elo_difference(metrics.elo_expected_score(diff)) == pytest.approx(
        diff, abs=1e-6)


@pytest.mark.parametrize("bad", [0.0, 1.0, -0.1, 1.5, math.nan])
def test_elo_difference_rejects_scores_outside_zero_one(bad):
    with pytest.raises(ValueError, match="expected_score"):
        metrics.elo_difference(bad)


@given(st.floats(min_value=-2000, max_value=2000))
def test_elo_is_symmetric(diff):
    total = metrics.elo_expected_score(diff) + metrics.elo_expected_score(-diff)
    assert total == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("function", "bad", "name"),
    [
        (metrics.perplexity, -0.1, "loss_nats"),
        (metrics.perplexity, math.nan, "loss_nats"),
        (metrics.bits_per_token, math.inf, "loss_nats"),
        (metrics.loss_from_perplexity, 0.5, "ppl"),
        (metrics.error_rate, 1.5, "accuracy"),
        (metrics.elo_expected_score, math.nan, "rating_difference"),
    ],
)
def test_bad_input_names_the_argument(function, bad, name):
    with pytest.raises(ValueError, match=name):
        function(bad)


def test_precision_recall_f1_on_a_worked_example():
    # 3 true positives, 1 false positive, 2 false negatives, 4 true negatives.
    truth = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    guess = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert metrics.precision(truth, guess) == pytest.approx(3 / 4)
    assert metrics.recall(truth, guess) == pytest.approx(3 / 5)
    harmonic = 2 / (1 / (3 / 4) + 1 / (3 / 5))
    assert metrics.f1_score(truth, guess) == pytest.approx(harmonic)
    assert metrics.f1_score(np.array(truth, bool), np.array(guess, bool)) == pytest.approx(harmonic)


@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=40))
def test_f1_is_the_harmonic_mean_when_both_are_defined(pairs):
    truth = [t for t, _ in pairs]
    guess = [g for _, g in pairs]
    if any(t and g for t, g in pairs):
        p, r = metrics.precision(truth, guess), metrics.recall(truth, guess)
        assert metrics.f1_score(truth, guess) == pytest.approx(2 * p * r / (p + r))


@pytest.mark.parametrize(("function", "truth", "guess", "match"), [
    (metrics.precision, [1, 0], [0, 0], "y_pred must flag"),
    (metrics.recall, [0, 0], [1, 0], "y_true must hold"),
    (metrics.f1_score, [0, 0], [0, 0], "y_true or y_pred"),
    (metrics.precision, [1, 2], [1, 0], "y_true must hold binary"),
    (metrics.recall, [1, 0], [1, 0, 1], "one length"),
    (metrics.f1_score, [], [], "y_true must be a non-empty"),
])
def test_classification_scores_reject_bad_input(function, truth, guess, match):
    with pytest.raises(ValueError, match=match):
        function(truth, guess)


def test_mse_and_mae():
    truth, guess = [1.0, 2.0, 3.0, 4.0], [1.5, 2.0, 2.0, 8.0]
    assert metrics.mean_squared_error(truth, guess) == pytest.approx((0.25 + 0 + 1 + 16) / 4)
    assert metrics.mean_absolute_error(truth, guess) == pytest.approx((0.5 + 0 + 1 + 4) / 4)
    with pytest.raises(ValueError, match="y_pred"):
        metrics.mean_squared_error([1.0], [math.nan])
    with pytest.raises(ValueError, match="one length"):
        metrics.mean_absolute_error([1.0, 2.0], [1.0])


@given(st.lists(st.floats(min_value=-1e3, max_value=1e3), min_size=1, max_size=30))
def test_mae_never_exceeds_root_mse(errors):
    zeros = [0.0] * len(errors)
    mae = metrics.mean_absolute_error(zeros, errors)
    assert mae <= math.sqrt(metrics.mean_squared_error(zeros, errors)) + 1e-9


def test_bradley_terry_recovers_ratings_from_expected_wins():
    ratings = np.array([1250.0, 1100.0, 1000.0, 900.0, 700.0])
    expected = metrics.elo_expected_score(ratings[:, None] - ratings[None, :])
    wins = 500 * expected
    fitted = metrics.bradley_terry_elo(wins, mean_rating=float(ratings.mean()))
    assert fitted == pytest.approx(ratings, abs=1e-6)


def test_bradley_terry_matches_the_likelihood_optimum():
    # At the maximum-likelihood strengths, each player's expected wins equal its actual wins.
    wins = np.array([[0, 7, 3], [2, 0, 6], [4, 1, 0]], dtype=float)
    ratings = metrics.bradley_terry_elo(wins)
    p = metrics.elo_expected_score(ratings[:, None] - ratings[None, :])
    games = wins + wins.T
    assert (games * p).sum(axis=1) - np.diag(games * p) == pytest.approx(wins.sum(axis=1))
    assert ratings.mean() == pytest.approx(1000.0)


@pytest.mark.parametrize(("wins", "kwargs", "match"), [
    ([[0, 1, 2]], {}, "square matrix"),
    ([[0, -1], [1, 0]], {}, "counts >= 0"),
    ([[0, 3], [0, 0]], {}, "chain of wins"),
    ([[0, 2, 0, 0], [1, 0, 0, 0], [0, 0, 0, 2], [0, 0, 1, 0]], {}, "chain of wins"),
    ([[0, 1], [1, 0]], {"tolerance": 0.0}, "tolerance"),
    ([[0, 1], [1, 0]], {"mean_rating": math.inf}, "mean_rating"),
    ([[0, 1], [1, 0]], {"max_iter": 0}, "max_iter"),
])
def test_bradley_terry_rejects_bad_input(wins, kwargs, match):
    with pytest.raises(ValueError, match=match):
        metrics.bradley_terry_elo(wins, **kwargs)
