"""The toy language's exact stationary distribution and entropy rate (Chapter 10), held
against sympy's closed form for a two-state chain and against direct definitions."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from chinchilla_lib import symbolic
from chinchilla_lib.experiment.language import (
    ToyLanguage,
    entropy_rate,
    stationary_distribution,
)

PROBABILITY = st.floats(min_value=0.01, max_value=0.99)


@given(p=PROBABILITY, q=PROBABILITY)
def test_two_state_chain_matches_the_closed_form(p, q):
    s, pi0, pi1, rate = symbolic.markov_two_state()
    values = {s["p"]: p, s["q"]: q}
    chain = np.array([[1 - p, p], [q, 1 - q]])
    pi = stationary_distribution(chain)
    assert pi[0] == pytest.approx(float(pi0.subs(values)), rel=1e-12)
    assert pi[1] == pytest.approx(float(pi1.subs(values)), rel=1e-12)
    assert entropy_rate(chain) == pytest.approx(float(rate.subs(values)), rel=1e-12)


def test_closed_form_is_balanced_and_normalised():
    s, pi0, pi1, _ = symbolic.markov_two_state()
    assert (pi0 + pi1).simplify() == 1
    assert (pi0 * s["p"] - pi1 * s["q"]).simplify() == 0


def test_language_uses_the_exact_solve():
    language = ToyLanguage(vocab_size=32, seed=4)
    pi = language.stationary
    assert np.allclose(pi @ language.transition, pi, atol=1e-14)
    assert language.entropy_rate == entropy_rate(language.transition)
    # Sampled check of the same number: the mean surprise of a long stream.
    x, y = next(language.stream(200_000, seed=1))
    sampled = -np.log(language.transition[x, y]).mean()
    assert sampled == pytest.approx(language.entropy_rate, abs=0.02)


def test_iid_chain_entropy_rate_is_the_row_entropy():
    row = np.array([0.5, 0.25, 0.25])
    assert entropy_rate(np.tile(row, (3, 1))) == pytest.approx(-(row * np.log(row)).sum())


@pytest.mark.parametrize("bad, message", [
    ([[0.5, 0.5]], "square"),
    ([[1.0]], "square"),
    ([[0.5, 0.6], [0.5, 0.5]], "sum to 1"),
    ([[1.5, -0.5], [0.5, 0.5]], ">= 0"),
    ([[np.nan, 1.0], [0.5, 0.5]], "finite"),
    ("abc", "transition"),
    (None, "transition"),
])
def test_bad_transition_is_refused(bad, message):
    with pytest.raises(ValueError, match=message):
        entropy_rate(bad)
    with pytest.raises(ValueError, match=message):
        stationary_distribution(bad)


def test_reducible_chain_is_refused():
    with pytest.raises(ValueError, match="no unique stationary"):
        stationary_distribution(np.eye(3))
