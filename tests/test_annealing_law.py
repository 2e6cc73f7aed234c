"""Tissue et al. (2024)'s loss-curve law and its fitter (issue 18): the areas and the law
against hand computations, planted constants recovered, and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest

from chinchilla_lib.fitting import (
    AnnealingFit,
    curve_errors,
    fit_annealing_law,
)
from chinchilla_lib.laws import AnnealingLaw, Schedule, annealing_area, forward_area


def test_the_areas_by_hand():
    rates = [0.5, 1.0, 1.0, 0.6, 0.2]
    assert forward_area(rates).tolist() == pytest.approx([0.5, 1.5, 2.5, 3.1, 3.3])
    lam = 0.9
    # m_1 = 0; the warm-up's rise (0.5 to 1.0) is no annealing; then falls 0, 0.4, 0.4
    m = [0.0, 0.0]
    for fall in (0.0, 0.4, 0.4):
        m.append(lam * m[-1] + fall)
    assert annealing_area(rates, lam).tolist() == pytest.approx(np.cumsum(m).tolist())
    assert m == pytest.approx([0.0, 0.0, 0.0, 0.4, 0.76])
    assert annealing_area(rates, lam)[-1] == pytest.approx(1.16)


def test_a_constant_schedule_has_no_annealing_area_and_no_memory_means_the_fall():
    assert np.all(annealing_area([0.3] * 50) == 0.0)
    rates = Schedule("cosine").rates(200, 1.0)
    np.testing.assert_allclose(annealing_area(rates, 0.0)[4:], 1.0 - rates[4:], atol=1e-12)
    assert np.all(annealing_area(rates, 0.0)[:4] == 0.0)
    # with memory, the momentum keeps summing past falls: S2 grows at least as fast
    assert np.all(annealing_area(rates, 0.99) >= annealing_area(rates, 0.0) - 1e-12)


def test_the_law_by_hand():
    law = AnnealingLaw(l0=3.0, a=0.5, alpha=0.4, c=2.0, decay=0.5)
    rates = [0.1, 0.1, 0.05]
    s1 = np.array([0.1, 0.2, 0.25])
    s2 = np.array([0.0, 0.0, 0.05])
    expected = 3.0 + 0.5 * s1**-0.4 - 2.0 * s2
    np.testing.assert_allclose(law.curve(rates), expected, rtol=1e-14)
    assert law.loss(0.25, 0.05) == pytest.approx(expected[-1])


@pytest.mark.parametrize("decay", [0.95, 0.999])
def test_the_fit_recovers_planted_constants_from_two_noisy_schedules(decay):
    truth = AnnealingLaw(l0=3.3, a=0.9, alpha=0.7, c=0.3, decay=decay)
    rng = np.random.default_rng(0)
    steps = np.arange(10, 2001, 20)
    curves = []
    for schedule in (Schedule("constant"), Schedule("cosine")):
        rates = schedule.rates(2000, 0.05)
        loss = truth.curve(rates)[steps - 1] + rng.normal(0, 1e-4, steps.size)
        curves.append((rates, steps, loss))
    fit = fit_annealing_law(curves, decay=decay)
    assert isinstance(fit, AnnealingFit) and fit.n_points == 2 * steps.size
    for name, value in (("L0", 3.3), ("A", 0.9), ("alpha", 0.7), ("C", 0.3)):
        assert fit.estimates[name] == pytest.approx(value, rel=0.03), name
    assert fit.rmse < 2e-4
    # and it predicts a third schedule it never saw
    wsd = Schedule("wsd").rates(2000, 0.05)
    errors = curve_errors(fit.law, wsd, steps, truth.curve(wsd)[steps - 1])
    assert errors.rmse < 1e-3 and abs(errors.final) < 1e-3


def test_the_fit_chooses_the_decay_from_its_grid():
    truth = AnnealingLaw(l0=3.0, a=1.0, alpha=0.5, c=0.5, decay=0.99)
    steps = np.arange(5, 1001, 5)
    curves = [(r, steps, truth.curve(r)[steps - 1])
              for r in (Schedule("cosine").rates(1000, 0.05),
                        Schedule("wsd").rates(1000, 0.05))]
    fit = fit_annealing_law(curves, decay=None)
    assert fit.law.decay == 0.99
    assert fit.rmse < 1e-6


def test_curve_errors_by_hand():
    law = AnnealingLaw(l0=2.0, a=1.0, alpha=1.0, c=0.0)
    e = curve_errors(law, [1.0, 1.0], [1, 2], [3.5, 2.5])
    # predicted 3.0 and 2.5: errors -0.5 and 0
    assert (e.rmse, e.max_abs, e.final) == pytest.approx((math.sqrt(0.125), 0.5, 0.0))
    assert e.mape == pytest.approx(0.5 / 3.5 / 2)


@pytest.mark.parametrize("call,error,match", [
    (lambda: annealing_area([1.0, -1.0]), ValueError, "rates"),
    (lambda: annealing_area([1.0], decay=1.0), ValueError, "decay"),
    (lambda: annealing_area([1.0], decay="0.9"), TypeError, "decay"),
    (lambda: forward_area([]), ValueError, "rates"),
    (lambda: AnnealingLaw(3.0, -1.0, 0.5, 0.1), ValueError, "a must"),
    (lambda: AnnealingLaw(3.0, 1.0, 0.5, math.nan), ValueError, "c must"),
    (lambda: fit_annealing_law("abc"), TypeError, "curves"),
    (lambda: fit_annealing_law([([1.0] * 3, [1, 2, 3], [1.0, 2.0])]), ValueError,
     "one length"),
    (lambda: fit_annealing_law([([1.0] * 3, [1, 2, 4], [3.0, 2.0, 1.0])]), ValueError,
     "whole numbers"),
    (lambda: fit_annealing_law([([1.0] * 3, [1, 2, 3], [3.0, 2.0, 1.0])]), ValueError,
     "at least 5"),
    (lambda: curve_errors("law", [1.0], [1], [1.0]), TypeError, "law"),
])
def test_bad_input_is_refused_by_name(call, error, match):
    with pytest.raises(error, match=match):
        call()
