"""The critical batch size: the sympy derivation, the trade-off law, its fit, and the noisy
quadratic model that shows it (McCandlish et al. 2018; Kaplan et al. 2020, Section 5.1)."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from chinchilla_lib import symbolic
from chinchilla_lib.fitting import fit_batch_tradeoff
from chinchilla_lib.laws import (
    BatchSizeTradeoff,
    KaplanLearningCurves,
    examples_excess,
    min_examples_from_run,
    min_steps_from_run,
)
from chinchilla_lib.simulate import NoisyQuadratic, batch_size_study

POSITIVE = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False)


# --- the derivation ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def derivation():
    return symbolic.critical_batch_derivation()


def test_the_derivation_gives_the_hyperbola_and_b_crit(derivation):
    s = derivation.symbols
    assert derivation.tradeoff == 1
    assert sp.simplify(derivation.critical_batch - s["B_noise"]) == 0
    assert sp.simplify(derivation.steps_at_critical - 2 * s["S_min"]) == 0
    assert sp.simplify(derivation.examples_at_critical - 2 * s["E_min"]) == 0
    assert derivation.compute_ratio == 2
    assert sp.simplify(derivation.noise_scale - s["trHS"] / s["GHG"]) == 0


def test_the_optimal_step_maximises_the_expected_improvement(derivation):
    """The closed-form epsilon_opt against a numerical maximiser of the improvement."""
    from scipy.optimize import minimize_scalar

    s = derivation.symbols
    values = {s["G2"]: 2.0, s["GHG"]: 3.0, s["trHS"]: 30.0, s["B"]: 7.0}
    gain = sp.lambdify(s["epsilon"], derivation.improvement.subs(values))
    best = minimize_scalar(lambda e: -gain(e), bounds=(0.0, 10.0), method="bounded",
                           options={"xatol": 1e-12})
    assert best.x == pytest.approx(float(derivation.optimal_lr.subs(values)), rel=1e-6)
    assert -best.fun == pytest.approx(float(derivation.optimal_improvement.subs(values)),
                                      rel=1e-9)
    # epsilon_opt = epsilon_max / (1 + B_noise / B), epsilon_max = G2 / GHG
    assert float(derivation.optimal_lr.subs(values)) == pytest.approx((2 / 3) / (1 + 10 / 7))


@settings(max_examples=40, deadline=None)
@given(s_min=POSITIVE, e_min=POSITIVE, batch=POSITIVE)
def test_the_law_matches_the_derivation(derivation, s_min, e_min, batch):
    s = derivation.symbols
    law = BatchSizeTradeoff(min_steps=s_min, min_examples=e_min)
    subs = {s["S_min"]: s_min, s["E_min"]: e_min, s["B_noise"]: e_min / s_min, s["B"]: batch}
    steps, examples = float(law.steps(batch)), float(law.examples(batch))
    assert steps == pytest.approx(float(derivation.steps.subs(subs)), rel=1e-12)
    assert examples == pytest.approx(float(derivation.examples.subs(subs)), rel=1e-12)
    assert examples == pytest.approx(batch * steps, rel=1e-12)
    if min(steps / s_min, examples / e_min) > 1.0 + 1e-6:  # else 1 - 1 loses the digits
        assert float(law.hyperbola(steps, examples)) == pytest.approx(1.0, rel=1e-6)
        assert float(examples_excess(steps / s_min)) == pytest.approx(examples / e_min,
                                                                      rel=1e-6)
    back = float(derivation.batch_of_steps.subs({**subs, s["S"]: steps}))
    assert back == pytest.approx(batch, rel=1e-8)


def test_twice_the_minimum_at_the_critical_batch():
    law = BatchSizeTradeoff(min_steps=300.0, min_examples=3e4)
    assert law.critical_batch == 100.0
    assert float(law.steps(100.0)) == 600.0 and float(law.examples(100.0)) == 6e4


@settings(max_examples=40, deadline=None)
@given(s_min=POSITIVE, e_min=POSITIVE, batch=POSITIVE)
def test_a_run_gives_back_s_min_and_e_min(s_min, e_min, batch):
    """Kaplan et al.'s Eq. 5.4 (S_min) and Eq. 5.5 (C_min) invert S(B) and E(B)."""
    law = BatchSizeTradeoff(min_steps=s_min, min_examples=e_min)
    b_crit = law.critical_batch
    assert float(min_steps_from_run(law.steps(batch), batch, b_crit)) == pytest.approx(s_min)
    assert float(min_examples_from_run(law.examples(batch), batch, b_crit)) == pytest.approx(
        e_min)
    again = BatchSizeTradeoff.from_run(float(law.steps(batch)), batch, b_crit)
    assert again.min_steps == pytest.approx(s_min)
    assert again.min_examples == pytest.approx(e_min)


def test_kaplan_learning_curves_use_the_same_trade_off():
    curves = KaplanLearningCurves.from_registry("kaplan2020/L(N,S_min)")
    b_crit = float(curves.critical_batch(3.0))
    assert float(curves.min_compute(1e20, 2 * b_crit, 3.0)) == pytest.approx(1e20 / 3)
    assert float(curves.min_compute(1e20, b_crit, 3.0)) == pytest.approx(0.5e20)
    assert float(curves.examples_excess(2.0)) == float(examples_excess(2.0)) == 2.0


@pytest.mark.parametrize("call", [
    lambda: BatchSizeTradeoff(min_steps=0.0, min_examples=1.0),
    lambda: BatchSizeTradeoff(min_steps=1.0, min_examples=-1.0),
    lambda: BatchSizeTradeoff(1.0, 1.0).steps(0.0),
    lambda: BatchSizeTradeoff(1.0, 1.0).hyperbola([1.0, 2.0], [1.0, 2.0, 3.0]),
    lambda: examples_excess(1.0),
    lambda: min_steps_from_run(10.0, None, 1.0),
    lambda: min_examples_from_run(10.0, 1.0, np.nan),
])
def test_bad_input_is_refused(call):
    with pytest.raises((ValueError, TypeError)):
        call()


# --- the fit -----------------------------------------------------------------------------

@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_fit_recovers_planted_s_min_and_e_min(seed):
    truth = BatchSizeTradeoff(min_steps=1500.0, min_examples=4.5e5)
    b = np.geomspace(8, 2**15, 13)
    rng = np.random.default_rng(seed)
    steps = np.asarray(truth.steps(b)) * np.exp(rng.normal(0.0, 0.02, b.size))
    fit = fit_batch_tradeoff(b, steps, bootstrap=200, seed=seed)
    assert fit.converged
    assert fit.law.min_steps == pytest.approx(1500.0, rel=0.05)
    assert fit.law.min_examples == pytest.approx(4.5e5, rel=0.05)
    assert fit.law.critical_batch == pytest.approx(300.0, rel=0.08)
    assert fit.rms_log_error < 0.03
    interval = fit.interval("critical_batch", level=0.95)
    assert interval.low < 300.0 < interval.high


def test_the_fit_is_exact_on_the_hyperbola():
    truth = BatchSizeTradeoff(min_steps=20.0, min_examples=700.0)
    b = np.geomspace(1, 4096, 9)
    fit = fit_batch_tradeoff(b, truth.steps(b))
    assert fit.law.min_steps == pytest.approx(20.0, rel=1e-8)
    assert fit.law.min_examples == pytest.approx(700.0, rel=1e-8)


@pytest.mark.parametrize("kwargs", [
    {"batch": [1.0, 2.0], "steps": [3.0, 2.0]},
    {"batch": [1.0, 1.0, 1.0], "steps": [3.0, 2.0, 1.0]},
    {"batch": [1.0, 2.0, 4.0], "steps": [3.0, -2.0, 1.0]},
    {"batch": [1.0, 2.0, 4.0], "steps": [3.0, 2.0, 1.5], "bootstrap": 10**9},
])
def test_the_fit_refuses_bad_data(kwargs):
    with pytest.raises(ValueError):
        fit_batch_tradeoff(**kwargs)


# --- the noisy quadratic model -----------------------------------------------------------

def test_the_expected_loss_matches_simulated_runs():
    nqm = NoisyQuadratic.power_spectrum(dim=50)
    runs = nqm.simulate(batch=4.0, lr=0.8, steps=60, runs=400, seed=3)
    expected = nqm.expected_loss(4.0, 0.8, np.arange(61))
    mean = runs.mean(axis=0)
    spread = runs.std(axis=0) / np.sqrt(runs.shape[0])
    assert np.all(np.abs(mean - expected) < 5 * spread + 1e-12)


def test_the_simulation_is_deterministic_given_a_seed():
    nqm = NoisyQuadratic.power_spectrum(dim=30)
    a = nqm.simulate(batch=2.0, lr=0.5, steps=20, runs=3, seed=7)
    b = nqm.simulate(batch=2.0, lr=0.5, steps=20, runs=3, seed=7)
    c = nqm.simulate(batch=2.0, lr=0.5, steps=20, runs=3, seed=8)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert a[:, 0] == pytest.approx(nqm.initial_loss)


def test_the_study_is_deterministic():
    first, second = batch_size_study(), batch_size_study()
    assert np.array_equal(first.steps, second.steps)
    assert first.critical_batch == second.critical_batch


def test_the_optimal_step_is_myopic():
    """McCandlish et al.'s optimal step maximises each step's gain; over a whole run at a small
    batch the best fixed learning rate does better (it trades early gain for a lower noise
    floor), while at large batches the two nearly agree. The fixed-rate search is consistent
    with steps_to_loss at the learning rates it reports."""
    nqm = NoisyQuadratic.power_spectrum(dim=50)
    b = np.array([1.0, 16.0, 4096.0])
    target = 0.2 * nqm.initial_loss
    greedy, _ = nqm.greedy_steps(b, target)
    fixed, lrs = nqm.best_steps(b, target)
    assert greedy[0] > fixed[0]
    assert greedy[-1] == pytest.approx(fixed[-1], rel=0.1)
    assert np.asarray(nqm.steps_to_loss(b, lrs, target)) == pytest.approx(fixed)
    for k in (0.9, 1.1):
        assert np.all(np.asarray(nqm.steps_to_loss(b, lrs * k, target)) >= fixed * 0.999)


def test_the_nqm_runs_lie_on_the_hyperbola_and_b_crit_is_near_the_noise_scale():
    study = batch_size_study()
    law = study.fit.law
    assert study.fit.rms_log_error < 0.03
    window = (study.batches >= law.critical_batch / 8) & (study.batches <= 8 * law.critical_batch)
    assert window.sum() >= 5
    assert np.all(np.abs(study.hyperbola[window] - 1.0) < 0.15)
    # The noise scale grows as the loss falls; B_crit, an average over the run, sits between
    # its values at the start and at the target, within a factor 4 of B_simple at the target.
    assert study.simple_noise_scale_start < law.critical_batch < study.simple_noise_scale_target
    assert study.simple_noise_scale_target / 4 < law.critical_batch
    assert study.noise_scale_target / 2 < law.critical_batch < study.noise_scale_target


def test_the_fixed_rate_study_shows_the_same_shape():
    study = batch_size_study(NoisyQuadratic.power_spectrum(dim=50), schedule="fixed")
    assert study.fit.rms_log_error < 0.05
    assert study.simple_noise_scale_start < study.critical_batch
    assert study.critical_batch < study.simple_noise_scale_target


def test_noise_scales_agree_for_an_isotropic_hessian():
    nqm = NoisyQuadratic(curvatures=np.full(20, 0.5), initial_sq=np.linspace(0.5, 2.0, 20))
    assert nqm.simple_noise_scale(nqm.initial_sq) == pytest.approx(
        nqm.noise_scale(nqm.initial_sq))


@pytest.mark.parametrize("call", [
    lambda: NoisyQuadratic(curvatures=[1.0, 0.0], initial_sq=1.0),
    lambda: NoisyQuadratic(curvatures=[1.0, 0.5], initial_sq=[1.0, 1.0, 1.0]),
    lambda: NoisyQuadratic.power_spectrum(dim=0),
    lambda: NoisyQuadratic.power_spectrum().expected_loss(1.0, 2.5, 3),
    lambda: NoisyQuadratic.power_spectrum().simulate(1.0, 0.1, 10**6, runs=10**3),
    lambda: NoisyQuadratic.power_spectrum().steps_to_loss(1.0, 0.1, 1e9),
    lambda: NoisyQuadratic.power_spectrum().simple_noise_scale(np.zeros(100)),
    lambda: batch_size_study(target_fraction=1.0),
    lambda: batch_size_study(schedule="cosine"),
    lambda: batch_size_study(batches=[1.0, 2.0]),
    lambda: batch_size_study(model="nqm"),
])
def test_the_nqm_refuses_bad_input(call):
    with pytest.raises((ValueError, TypeError)):
        call()
