"""The static figures of Chapter 10 (your own scaling law) draw what they say they draw."""

from __future__ import annotations

import numpy as np
import pytest

from chinchilla_lib.experiment.language import ToyLanguage
from chinchilla_lib.fitting.approaches12 import fit_approach2, isoflop_minima
from chinchilla_lib.fitting.runs import IsoFlopRuns, Runs
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.plotting import figures

TRUTH = ChinchillaLaw(e=3.0, a=400.0, b=2000.0, alpha=0.6, beta=0.5)
BUDGETS = np.repeat([1e10, 1e11, 1e12], 5)


@pytest.fixture(scope="module")
def isoflop():
    optimum = TRUTH.compute_optimal(BUDGETS).n_params
    n = optimum * np.tile(np.geomspace(0.25, 4.0, 5), 3)
    d = BUDGETS / (6 * n)
    return IsoFlopRuns(Runs(n, d, TRUTH.loss(n, d)), BUDGETS)


def test_toy_language_portrait_draws_the_planted_spectrum():
    language = ToyLanguage(vocab_size=16, seed=2)
    fig = figures.toy_language_portrait(language)
    spectrum, frequency = fig.axes[0].lines[0], fig.axes[1].lines[0]
    assert np.allclose(spectrum.get_ydata(), language.singular_values)
    assert np.allclose(frequency.get_ydata(), np.sort(language.stationary)[::-1])


def test_loss_curve_draws_each_floor():
    fig = figures.loss_curve(np.array([1e3, 1e4]), np.array([4.0, 3.5]),
                             {"entropy rate": 3.2, "unigram": 3.9})
    ax = fig.axes[0]
    assert len(ax.lines) == 3
    assert ax.lines[1].get_ydata()[0] == pytest.approx(3.2)


def test_isoflop_profiles_mark_each_minimum_at_its_vertex(isoflop):
    flops, n_opt = isoflop_minima(isoflop)
    fig = figures.isoflop_profiles(isoflop, (flops, n_opt), floor=3.0)
    stars = [line for line in fig.axes[0].lines if line.get_marker() == "*"]
    assert len(stars) == 3
    assert np.allclose([s.get_xdata()[0] for s in stars], n_opt)


def test_compute_optimal_frontier_draws_each_fit(isoflop):
    fit = fit_approach2(isoflop)
    fig = figures.compute_optimal_frontier(isoflop.runs, {"Approach 2": fit.law,
                                                          "truth": TRUTH}, reference_ratio=20)
    ax_n, ax_r = fig.axes
    assert len(ax_n.lines) == 3 and len(ax_r.lines) == 3
    grid = ax_n.lines[2].get_xdata()
    assert np.allclose(ax_n.lines[2].get_ydata(), TRUTH.compute_optimal(grid).n_params)
    assert np.allclose(ax_r.lines[1].get_ydata(), TRUTH.tokens_per_parameter(grid))


def test_partial_residuals_lie_on_the_law_for_exact_runs(isoflop):
    fig = figures.partial_residuals(isoflop.runs, TRUTH)
    for ax, x, term in ((fig.axes[0], isoflop.runs.n_params, TRUTH.a * isoflop.runs.n_params
                         ** -TRUTH.alpha),
                        (fig.axes[1], isoflop.runs.n_tokens, TRUTH.b * isoflop.runs.n_tokens
                         ** -TRUTH.beta)):
        points = ax.lines[0]
        assert np.allclose(points.get_xdata(), x)
        assert np.allclose(points.get_ydata(), term, rtol=1e-9)
        assert "not positive" not in ax.get_title()


def test_realised_spectrum_follows_the_planted_one_before_the_tail():
    language = ToyLanguage(vocab_size=256, seed=0)
    realised = language.realised_singular_values / language.vocab_size
    head = slice(0, 64)
    ratio = realised[head] / language.singular_values[head]
    assert np.all((ratio > 0.7) & (ratio < 1.4))
    assert np.all(np.diff(realised) <= 0)

