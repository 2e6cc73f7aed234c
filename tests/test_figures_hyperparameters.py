"""The static figures of Chapter 11 (batch size, learning rate and schedule) draw what they say
they draw."""

from __future__ import annotations

import numpy as np
import pytest

from chinchilla_lib.plotting import figures
from chinchilla_lib.simulate.noisy_quadratic import NoisyQuadratic, batch_size_study


@pytest.fixture(scope="module")
def study():
    return batch_size_study(NoisyQuadratic.power_spectrum(dim=10),
                            batches=2.0 ** np.arange(0, 10, 2))


def test_batch_size_tradeoff_draws_the_runs_and_the_fitted_hyperbola(study):
    fig = figures.batch_size_tradeoff({"optimal step": study})
    ax_se, ax_b = fig.axes[:2]
    runs = ax_se.lines[0]
    assert np.allclose(runs.get_xdata(), study.examples)
    assert np.allclose(runs.get_ydata(), study.steps)
    curve = ax_se.lines[1]
    law = study.fit.law
    s, e = np.asarray(curve.get_ydata()), np.asarray(curve.get_xdata())
    assert np.allclose((s / law.min_steps - 1) * (e / law.min_examples - 1), 1.0)
    diamond = next(line for line in ax_b.lines if line.get_marker() == "D")
    assert diamond.get_xdata()[0] == pytest.approx(law.critical_batch)
    assert diamond.get_ydata()[0] == pytest.approx(2 * law.min_steps)


def test_batch_size_tradeoff_refuses_too_many_studies(study):
    with pytest.raises(ValueError, match="one to four"):
        figures.batch_size_tradeoff({})
    with pytest.raises(ValueError, match="one to four"):
        figures.batch_size_tradeoff({str(i): study for i in range(5)})


def test_schedule_study_draws_rates_points_and_fitted_or_predicted_lines():
    rates = {"constant": np.full(10, 0.1), "decay": np.linspace(0.1, 0.01, 10)}
    measured = {name: (np.array([5, 10]), np.array([3.0, 2.9])) for name in rates}
    predicted = {name: np.linspace(3.2, 2.9, 10) for name in rates}
    fig = figures.schedule_study(rates, measured, predicted, fitted=("constant",))
    ax_r, ax_l = fig.axes[:2]
    assert np.allclose(ax_r.lines[1].get_ydata(), rates["decay"])
    styles = [line.get_linestyle() for line in ax_l.lines if line.get_marker() in ("None", "")]
    assert styles == ["-", "--"]
    with pytest.raises(ValueError, match="unknown"):
        figures.schedule_study(rates, {"other": measured["decay"]}, {})


def test_learning_rate_sweep_marks_each_widths_best_rate():
    rate = np.array([0.01, 0.03, 0.1, 0.3])
    sweep = {"standard": {16: (rate, np.array([3.5, 3.4, 3.45, 3.6])),
                          64: (rate, np.array([3.4, 3.35, 3.5, 3.9]))},
             "muP": {16: (rate, np.array([3.5, 3.4, 3.45, 3.6]))}}
    optima = {"standard": {16: 0.03, 64: 0.02}, "muP": {16: 0.03}}
    fig = figures.learning_rate_sweep(sweep, optima)
    stars = [line for line in fig.axes[0].lines if line.get_marker() == "*"]
    assert sorted(s.get_xdata()[0] for s in stars) == [0.02, 0.03]
    assert len(fig.axes) == 2
    with pytest.raises(ValueError, match="one to three"):
        figures.learning_rate_sweep({}, {})


def test_wsd_branches_draws_the_stable_run_each_cool_down_and_the_finals():
    stable = (np.array([10, 20, 40, 80]), np.array([4.0, 3.8, 3.7, 3.65]))
    branches = {50: (np.array([40, 45, 50]), np.array([3.7, 3.6, 3.55])),
                100: (np.array([80, 90, 100]), np.array([3.65, 3.5, 3.45]))}
    cosine = {50: (np.array([25, 50]), np.array([3.75, 3.5])),
              100: (np.array([50, 100]), np.array([3.6, 3.4]))}
    fig = figures.wsd_branches(stable, branches, cosine)
    ax_c, ax_f = fig.axes[:2]
    assert np.allclose(ax_c.lines[0].get_ydata(), stable[1])
    dashed = [line for line in ax_c.lines if line.get_linestyle() == "--" and
              len(line.get_xdata())]
    assert len(dashed) == 2
    finals = {line.get_label(): line.get_ydata().tolist() for line in ax_f.lines}
    assert finals["WSD cool-down branch"] == [3.55, 3.45]
    assert finals["matched cosine, from scratch"] == [3.5, 3.4]
    with pytest.raises(ValueError, match="same run lengths"):
        figures.wsd_branches(stable, branches, {50: cosine[50]})
    with pytest.raises(ValueError, match="same run lengths"):
        figures.wsd_branches(stable, {}, {})


def test_scaling_against_prediction_draws_each_curve_and_its_predicted_slope():
    x = np.array([10.0, 100.0, 1000.0])
    fig = figures.scaling_against_prediction(
        {"a": [("d = 2", x, 5 * x ** -1.0, 1.0)], "b": [("k", x, x ** -0.5, 0.5)]},
        xlabels=["N", "D"])
    ax_a, ax_b = fig.axes[:2]
    data, prediction = ax_a.lines[:2]
    assert np.allclose(data.get_ydata(), 5 * x ** -1.0)
    slope = np.diff(np.log(prediction.get_ydata())) / np.diff(np.log(x))
    assert np.allclose(slope, -1.0) and prediction.get_linestyle() == "--"
    assert np.allclose(np.diff(np.log(ax_b.lines[1].get_ydata())) / np.diff(np.log(x)), -0.5)
    with pytest.raises(ValueError, match="panels"):
        figures.scaling_against_prediction({})
    with pytest.raises(ValueError, match="xlabels"):
        figures.scaling_against_prediction({"a": [("k", x, x, 1.0)]}, xlabels=["N", "D"])
