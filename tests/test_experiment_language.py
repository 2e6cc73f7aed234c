"""The toy language (issue 17): its exact entropy rate and stationary distribution against
sampling, and its refusals."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from chinchilla_lib.experiment import DEFAULT_LANGUAGE, ToyLanguage


def _row_entropies(language: ToyLanguage) -> np.ndarray:
    p = language.transition
    return -(p * np.log(p)).sum(axis=1)


def test_the_default_language_has_the_entropy_rate_the_book_quotes():
    assert DEFAULT_LANGUAGE.entropy_rate == pytest.approx(3.25122, abs=5e-6)
    assert DEFAULT_LANGUAGE.unigram_entropy == pytest.approx(4.794, abs=5e-4)
    assert DEFAULT_LANGUAGE.entropy_rate < DEFAULT_LANGUAGE.unigram_entropy < math.log(512)


@pytest.mark.parametrize("language", [DEFAULT_LANGUAGE, ToyLanguage(vocab_size=32, seed=5,
                                                                     logit_scale=4.0)],
                         ids=["default", "small"])
def test_the_exact_entropy_rate_matches_a_monte_carlo_estimate(language):
    """Mean of the per-step conditional entropies H(P[x_t]) along sampled chains: 2,000
    chains of 250 steps, each chain started at stationarity, so the chains' own means are
    independent and their spread gives the standard error (about 2e-3 nats here)."""
    entropies = _row_entropies(language)
    stream = language.stream(2000, seed=11)
    per_chain = np.zeros(2000)
    for _ in range(250):
        x, _ = next(stream)
        per_chain += entropies[x]
    per_chain /= 250
    estimate = per_chain.mean()
    standard_error = per_chain.std(ddof=1) / math.sqrt(per_chain.size)
    assert 0 < standard_error < 5e-3
    assert abs(estimate - language.entropy_rate) < 4 * standard_error


def test_the_sampled_log_loss_of_the_teacher_is_the_entropy_rate():
    """The same check through the tokens themselves: -log P[x, y] averaged over sampled
    pairs (one pair per chain, so independent) estimates the entropy rate."""
    language = DEFAULT_LANGUAGE
    x, y = next(language.stream(400_000, seed=3))
    losses = -np.log(language.transition[x, y])
    standard_error = losses.std(ddof=1) / math.sqrt(losses.size)
    assert abs(losses.mean() - language.entropy_rate) < 4 * standard_error


@pytest.mark.parametrize("language", [DEFAULT_LANGUAGE, ToyLanguage(vocab_size=4),
                                      ToyLanguage(vocab_size=64, spectrum_exponent=3.0,
                                                  logit_scale=10.0, zipf_exponent=3.0,
                                                  seed=9)],
                         ids=["default", "four", "peaked"])
def test_the_stationary_distribution_solves_pi_p_equals_pi(language):
    pi, p = language.stationary, language.transition
    assert np.all(pi > 0) and pi.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(pi @ p, pi, rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)
    # and it is the limit of the chain: power iteration from uniform lands on it
    start = np.full(language.vocab_size, 1.0 / language.vocab_size)
    for _ in range(200):
        start = start @ p
    np.testing.assert_allclose(start, pi, rtol=1e-8, atol=1e-14)


def test_the_exact_entropy_rate_is_the_stationary_average_of_the_row_entropies():
    language = ToyLanguage(vocab_size=16, seed=2)
    assert language.entropy_rate == pytest.approx(float(language.stationary
                                                        @ _row_entropies(language)), rel=1e-12)
    # a uniform teacher has the entropy rate log V
    assert ToyLanguage(vocab_size=16, logit_scale=0.0, zipf_exponent=0.0).entropy_rate == \
        pytest.approx(math.log(16), rel=1e-12)


@pytest.mark.parametrize("batch", [0, 1])
def test_the_sampler_pair_frequencies_are_pi_i_p_ij(batch):
    """Chi-square of 200,000 sampled pairs (x, y) against pi_i P_ij, on an 8-token language:
    the first batch (chains started at stationarity) and the second (continued from y)."""
    language = ToyLanguage(vocab_size=8, seed=4, logit_scale=0.7, zipf_exponent=0.5)
    stream = language.stream(200_000, seed=7)
    for _ in range(batch + 1):
        x, y = next(stream)
    observed = np.zeros((8, 8))
    np.add.at(observed, (x, y), 1)
    expected = x.size * language.stationary[:, None] * language.transition
    assert expected.min() > 5       # chi-square's rule of thumb holds for every cell
    statistic = ((observed - expected) ** 2 / expected).sum()
    assert stats.chi2.sf(statistic, df=63) > 1e-3


def test_the_stream_is_the_same_for_a_seed_and_differs_between_seeds():
    def first(seed):
        stream = DEFAULT_LANGUAGE.stream(64, seed=seed)
        return np.concatenate([np.concatenate(next(stream)) for _ in range(3)])

    np.testing.assert_array_equal(first(1), first(1))
    assert not np.array_equal(first(1), first(2))


def test_cross_entropy_is_the_entropy_rate_for_the_teacher_and_more_for_any_other_model():
    language = ToyLanguage(vocab_size=16, seed=2)
    assert language.cross_entropy(np.log(language.transition)) == \
        pytest.approx(language.entropy_rate, rel=1e-12)
    uniform = np.full((16, 16), -math.log(16))
    assert language.cross_entropy(uniform) == pytest.approx(math.log(16), rel=1e-12)
    unigram = np.tile(np.log(language.stationary), (16, 1))
    assert language.cross_entropy(unigram) == pytest.approx(language.unigram_entropy,
                                                            rel=1e-12)


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"vocab_size": 3}, ValueError, "vocab_size"),
    ({"vocab_size": 5000}, ValueError, "vocab_size must be at most 4096"),
    ({"vocab_size": 16.5}, ValueError, "vocab_size"),
    ({"vocab_size": "16"}, ValueError, "vocab_size"),
    ({"vocab_size": True}, ValueError, "vocab_size"),
    ({"spectrum_exponent": 0.1}, ValueError, "spectrum_exponent must lie in"),
    ({"spectrum_exponent": math.nan}, ValueError, "spectrum_exponent"),
    ({"logit_scale": -1.0}, ValueError, "logit_scale"),
    ({"logit_scale": "big"}, TypeError, "logit_scale"),
    ({"zipf_exponent": math.inf}, ValueError, "zipf_exponent"),
    ({"zipf_exponent": None}, TypeError, "zipf_exponent"),
    ({"seed": -1}, ValueError, "seed"),
])
def test_a_language_refuses_bad_parameters_by_name(kwargs, error, match):
    with pytest.raises(error, match=match):
        ToyLanguage(**kwargs)


@pytest.mark.parametrize(("args", "error", "match"), [
    ((0, 0), ValueError, "batch_size"),
    ((2.5, 0), ValueError, "batch_size"),
    ((8, -1), ValueError, "seed"),
    ((8, "x"), ValueError, "seed"),
])
def test_stream_refuses_bad_arguments_when_called_not_at_the_first_batch(args, error, match):
    with pytest.raises(error, match=match):
        DEFAULT_LANGUAGE.stream(*args)


@pytest.mark.parametrize(("value", "error", "match"), [
    (np.zeros((4, 4)), ValueError, r"log_probs must have shape \(16, 16\)"),
    (np.full((16, 16), np.nan), ValueError, "log_probs must be finite"),
    (np.full((16, 16), -np.inf), ValueError, "log_probs must be finite"),
    ("abc", TypeError, "log_probs"),
    (None, ValueError, "log_probs must have shape"),
])
def test_cross_entropy_refuses_bad_log_probs_by_name(value, error, match):
    with pytest.raises(error, match=match):
        ToyLanguage(vocab_size=16).cross_entropy(value)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(vocab=st.one_of(st.integers(-5, 40), st.floats(allow_nan=True), st.booleans(),
                       st.none(), st.text(max_size=3)),
       gamma=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-3, 5),
                       st.none()),
       scale=st.one_of(st.floats(-1, 12), st.just(math.nan)))
def test_fuzz_a_language_is_valid_or_refused_by_name(vocab, gamma, scale):
    try:
        language = ToyLanguage(vocab_size=vocab, spectrum_exponent=gamma, logit_scale=scale)
    except (TypeError, ValueError) as error:
        assert any(name in str(error) for name in ("vocab_size", "spectrum_exponent",
                                                   "logit_scale")), error
        return
    assert 0 <= language.entropy_rate <= math.log(language.vocab_size) + 1e-12
    np.testing.assert_allclose(language.stationary @ language.transition,
                               language.stationary, rtol=1e-8, atol=1e-14)
