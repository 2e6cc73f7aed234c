"""Explorers: the pure computation, the redraw, the static figure and the live panel."""

from __future__ import annotations

import io
import pickle
from typing import ClassVar

import numpy as np
import pytest
from PIL import Image

from chinchilla_lib import quantities
from chinchilla_lib.widgets import TransformerCostExplorer


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=float)


def test_defaults_are_gpt3():
    result = TransformerCostExplorer().result
    assert result.counts.total == pytest.approx(175e9, rel=0.005)
    assert result.n_tokens == 300e9


def test_compute_is_pure_and_matches_the_library():
    explorer = TransformerCostExplorer()
    a = explorer.compute(**{**explorer.defaults, "n_layer": 12, "d_model": 768})
    b = explorer.compute(**{**explorer.defaults, "n_layer": 12, "d_model": 768})
    assert a == b
    assert a.flops_6nd == pytest.approx(quantities.training_flops(a.counts.total, a.n_tokens))


def test_update_changes_the_picture_and_the_numbers():
    explorer = TransformerCostExplorer()
    before = _pixels(explorer.png())
    result = explorer.update(n_layer=12, d_model=768, n_tokens=1e10)
    after = _pixels(explorer.png())
    assert result.counts.non_embedding == 12 * 12 * 768**2
    assert before.shape == after.shape
    assert np.abs(before - after).sum() > 0
    assert after.std() > 5


def test_static_figure_is_a_png_with_the_moving_parts():
    explorer = TransformerCostExplorer()
    image = explorer.static_figure()
    assert image.format == "png"
    assert _pixels(image.data).std() > 5


def test_unknown_parameters_are_rejected():
    with pytest.raises(ValueError, match="unknown parameter"):
        TransformerCostExplorer(n_layers=3)
    with pytest.raises(ValueError, match="unknown parameter"):
        TransformerCostExplorer().update(width=3)


def test_bad_values_raise_value_error():
    with pytest.raises(ValueError, match="utilisation"):
        TransformerCostExplorer(utilisation=0)


def test_live_panel_redraws_when_a_control_moves():
    explorer = TransformerCostExplorer()
    panel = explorer.show()
    controls_box, summary, image = panel.children
    first_png, first_summary = image.value, summary.value
    layers = next(c for c in controls_box.children if c.description == "layers")
    layers.value = 12
    assert explorer.params["n_layer"] == 12
    assert image.value != first_png
    assert summary.value != first_summary


# --- every explorer -----------------------------------------------------------------------

from chinchilla_lib.widgets import (  # noqa: E402
    AllocationExplorer,
    BrokenPowerLawExplorer,
    ChinchillaBudgetExplorer,
    DataCapExplorer,
    DensingExplorer,
    DisagreementExplorer,
    HyperparameterExplorer,
    InferenceDemandExplorer,
    KaplanPlaneExplorer,
    LossToAccuracyExplorer,
    PowerLawFitExplorer,
    PrecisionExplorer,
    TheoryExplorer,
    ThreeApproachesExplorer,
    TrainTestTradeoffExplorer,
)

ALL_EXPLORERS = {
    AllocationExplorer: {"shift": 3, "sizes": 5},
    TransformerCostExplorer: {"n_layer": 12},
    PowerLawFitExplorer: {"floor": 0.0},
    KaplanPlaneExplorer: {"log10_n": 7.0, "domain": "Image 8x8"},
    ChinchillaBudgetExplorer: {"log10_flops": 21.0, "law": "besiroglu2024/refit"},
    ThreeApproachesExplorer: {"noise": 0.03},
    DisagreementExplorer: {"non_embedding": False},
    InferenceDemandExplorer: {"log10_inference_tokens": 14.0},
    DataCapExplorer: {"log10_unique_tokens": 9.5},
    PrecisionExplorer: {"bits": 3.0, "post_bits": 3.0},
    BrokenPowerLawExplorer: {"breaks": 3, "c3": 2.0},
    LossToAccuracyExplorer: {"midpoint": 2.4, "slope": 4.0},
    TrainTestTradeoffExplorer: {"elo": -1000.0, "log10_train": 16.0},
    DensingExplorer: {"benchmark": "BBH", "law": "Besiroglu et al. (2024), refit",
                      "log10_tokens": 12.7},
    HyperparameterExplorer: {"log10_flops": 24.0, "law": "steplaw", "cycle": 3.0},
    TheoryExplorer: {"alpha": 2.0, "dim": 2},
}


@pytest.mark.parametrize("cls", list(ALL_EXPLORERS), ids=lambda c: c.__name__)
def test_explorer_contract(cls):
    explorer = cls()
    first = _pixels(explorer.png())
    assert first.std() > 5
    again = explorer.compute(**explorer.params)
    assert type(again) is type(explorer.result)
    explorer.update(**ALL_EXPLORERS[cls])
    assert np.abs(_pixels(explorer.png()) - first).sum() > 0
    panel = explorer.show()
    assert len(panel.children) == 3


def test_power_law_explorer_shows_the_floor_bias():
    explorer = PowerLawFitExplorer()
    biased = explorer.result
    assert not biased.exponent_interval.contains(-explorer.params["alpha"])
    assert abs(biased.saturating_error) < abs(biased.plain_error)
    clean = explorer.update(floor=0.0)
    assert clean.exponent_interval.contains(-explorer.params["alpha"])
    with pytest.raises(ValueError, match="log10_x_max"):
        explorer.update(log10_x_min=8.0, log10_x_max=7.0)


def test_kaplan_explorer_matches_the_law():
    explorer = KaplanPlaneExplorer()
    r = explorer.result
    assert r.loss == pytest.approx(explorer.law.loss(r.n_params, r.n_tokens))
    assert r.optimum.loss <= r.loss
    with pytest.raises(ValueError, match="domain"):
        explorer.update(domain="Smell")


def test_budget_explorer_reports_each_fit():
    explorer = ChinchillaBudgetExplorer()
    optima = explorer.result.optima
    assert set(optima) == {"hoffmann2022/approach3", "hoffmann2022/approach3 unrounded",
                           "besiroglu2024/refit"}
    assert optima["besiroglu2024/refit"].n_params > optima["hoffmann2022/approach3"].n_params
    # The figure names its budget, so that a saved image says which C it shows.
    assert "5.76 × 10²³ FLOPs" in explorer._title.get_text()
    explorer.update(log10_flops=21.0)
    assert "1.00 × 10²¹ FLOPs" in explorer._title.get_text()
    with pytest.raises(ValueError, match="law"):
        explorer.update(law="kaplan")


def test_three_approaches_explorer_is_deterministic_and_near_the_truth():
    explorer = ThreeApproachesExplorer()
    again = explorer.compute(**explorer.params)
    assert again.estimates == explorer.result.estimates
    truth = explorer.result.truth.optimal_params_exponent
    for estimate, _, _ in explorer.result.estimates.values():
        assert abs(estimate - truth) < 0.08
    # Approaches 2 and 3 fit the law the runs came from: their intervals cover the truth, and
    # widen and narrow with the noise.
    quieter = explorer.compute(noise=0.005).estimates
    noisier = explorer.compute(noise=0.02).estimates
    for name in ("2", "3"):
        _, low, high = explorer.result.estimates[name]
        assert low <= truth <= high, name
        widths = [r[name][2] - r[name][1] for r in (quieter, explorer.result.estimates, noisier)]
        assert widths[0] < widths[1] < widths[2], name
    explorer.static_figure()
    assert "of vertices outside the sizes run" in explorer._labels["2"].get_text()


def test_chapter6_explorers_limits():
    demand = InferenceDemandExplorer(log10_inference_tokens=9.0).result
    assert demand.saving_fraction == pytest.approx(0.0, abs=0.01)
    cap = DataCapExplorer(log10_unique_tokens=13.0).result
    assert cap.capped.loss == pytest.approx(cap.free.loss, rel=1e-6)
    precision = PrecisionExplorer().result
    assert precision.loss_quantised.min() >= precision.loss_trained.min()


def test_loss_to_accuracy_midpoint_compute_matches_the_curve():
    from chinchilla_lib.widgets.loss_to_accuracy import ILLUSTRATIVE_LOSS

    result = LossToAccuracyExplorer().update(midpoint=2.1)
    assert ILLUSTRATIVE_LOSS(result.compute_at_midpoint) == pytest.approx(2.1)
    assert result.sigmoid(2.1) == pytest.approx(0.5 * (0.25 + 0.9))
    unreachable = LossToAccuracyExplorer().update(midpoint=1.65)
    assert unreachable.compute_at_midpoint == float("inf")


def test_tradeoff_explorer_moves_along_the_frontier():
    explorer = TrainTestTradeoffExplorer()
    before = explorer.result.test_compute
    after = explorer.update(log10_train=explorer.params["log10_train"] + 1.0).test_compute
    assert before / after == pytest.approx(explorer.result.saving_per_decade)
    with pytest.raises(ValueError, match="elo"):
        explorer.update(elo=100.0)


def test_tradeoff_explorer_stops_at_the_floor():
    explorer = TrainTestTradeoffExplorer()
    at_floor = explorer.update(elo=-1500.0, log10_train=17.0, log10_floor=7.0)
    assert at_floor.at_floor and at_floor.test_compute == pytest.approx(1e7)
    assert "floor" in explorer.summary_html(at_floor)
    above = explorer.update(elo=0.0, log10_train=12.0)
    assert not above.at_floor and above.test_compute > above.floor


def test_densing_explorer_reports_the_doubling_time_and_checks_labels():
    explorer = DensingExplorer()
    fit = explorer.result.fit
    assert 1.0 < fit.law.doubling_months < 12.0
    assert "doubles every" in explorer.summary_html(explorer.result)
    every = explorer.update(frontier_only=False)
    assert every.fit.used.sum() > fit.used.sum()
    with pytest.raises(ValueError, match="law must be one of"):
        explorer.update(law="Kaplan")
    with pytest.raises(ValueError, match="benchmark must be one of"):
        explorer.update(law="Besiroglu et al. (2024), refit", benchmark="GSM8K")
    bbh = explorer.update(benchmark="BBH", frontier_only=True)
    assert bbh.table.names[0] == "Llama 1 7B" and "Mistral 7B" not in bbh.table.names


def test_theory_explorer_shows_the_predicted_exponents_and_checks_its_settings():
    explorer = TheoryExplorer()
    for alpha, dim in ((0.5, 1), (1.0, 3), (2.5, 4)):
        result = explorer.update(alpha=alpha, dim=dim)
        assert result.capacity.predicted_exponent == pytest.approx(alpha)
        assert result.data.predicted_exponent == pytest.approx(alpha / (alpha + 1))
        assert abs(result.capacity.fitted_exponent - alpha) < 0.05
        assert abs(result.data.fitted_exponent - alpha / (alpha + 1)) < 0.1
        assert result.manifold.predicted == pytest.approx(4 / dim)
        assert abs(result.manifold.exponent - 4 / dim) < 0.15 * 4 / dim
    again = explorer.compute(alpha=2.5, dim=4)
    assert again.manifold is explorer.result.manifold      # looked up, not recomputed
    assert "predicted" in explorer.summary_html(explorer.result)
    with pytest.raises(ValueError, match="alpha must be one of"):
        explorer.update(alpha=0.3)
    with pytest.raises(ValueError, match="dim must be a whole number"):
        explorer.update(dim=5)
    with pytest.raises(ValueError, match="dim must be a whole number"):
        explorer.update(dim=2.0)


def test_every_exported_explorer_is_tested():
    """A new explorer must join ALL_EXPLORERS (and benchmarks/bench_explorers.py's DRAGS)."""
    import chinchilla_lib.widgets as widgets
    from chinchilla_lib.widgets import Explorer

    exported = {getattr(widgets, name) for name in widgets.__all__}
    explorers = {cls for cls in exported if isinstance(cls, type) and cls is not Explorer
                 and issubclass(cls, Explorer)}
    assert explorers == set(ALL_EXPLORERS)


# --- explorers without traps (issue 14) ---------------------------------------------------

EXPLORERS = list(ALL_EXPLORERS)


def _figure_text(explorer) -> str:
    from matplotlib.text import Text

    return "\n".join(t.get_text() for t in explorer.fig.findobj(Text))


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_compute_accepts_any_subset_of_the_parameters(cls):
    explorer = cls()
    params = dict(explorer.params)
    assert pickle.dumps(explorer.compute()) == pickle.dumps(explorer.compute(**cls.defaults))
    for name, value in ALL_EXPLORERS[cls].items():
        subset = explorer.compute(**{name: value})
        full = explorer.compute(**{**cls.defaults, name: value})
        assert pickle.dumps(subset) == pickle.dumps(full), name
    assert explorer.params == params  # compute is pure: the explorer is left alone


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_unknown_names_are_named_with_the_allowed_ones(cls):
    explorer = cls()
    for call in (explorer.compute, explorer.update, cls):
        with pytest.raises(ValueError, match=r"unknown parameter\(s\) \['nonsense'\]") as error:
            call(nonsense=1)
        assert all(repr(name) in str(error.value) for name in cls.defaults)


def test_three_approaches_compute_takes_one_parameter():
    # Was a bare KeyError: 'seed'.
    result = ThreeApproachesExplorer().compute(noise=0.005)
    assert result.settings["seed"] == ThreeApproachesExplorer.defaults["seed"]


def test_a_failed_update_leaves_the_parameters_alone():
    explorer = ChinchillaBudgetExplorer()
    before = dict(explorer.params)
    with pytest.raises(ValueError, match="law"):
        explorer.update(law="kaplan", log10_flops=21.0)
    assert explorer.params == before


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_save_draws_those_settings_with_the_moving_artists(cls, tmp_path):
    explorer = cls()
    default = _pixels(explorer.png())
    changes = ALL_EXPLORERS[cls]
    explorer.save(tmp_path / "saved.png", **changes)
    assert all(explorer.params[name] == value for name, value in changes.items())
    saved = _pixels((tmp_path / "saved.png").read_bytes())
    shown = _pixels(explorer.png())
    assert saved.shape == shown.shape == default.shape
    # The file is the picture png() draws (moving artists included), not the default view.
    assert np.mean(np.abs(saved - shown) > 40) < 0.002
    assert np.mean(np.abs(saved - default) > 40) > 0.001
    # fig.savefig after update writes the same picture.
    explorer.update(**cls.defaults)
    explorer.fig.savefig(tmp_path / "again.png", dpi=explorer.fig.dpi)
    again = _pixels((tmp_path / "again.png").read_bytes())
    assert np.mean(np.abs(again - _pixels(explorer.png())) > 40) < 0.002


def test_save_writes_other_formats(tmp_path):
    explorer = PrecisionExplorer()
    explorer.save(tmp_path / "precision.svg", bits=3.0)
    svg = (tmp_path / "precision.svg").read_text()
    assert "<svg" in svg and "trained in 3 bits" in svg


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_figure_states_its_settings(cls):
    explorer = cls()
    for name, value in ALL_EXPLORERS[cls].items():
        before = _figure_text(explorer)
        explorer.update(**{name: value})
        assert _figure_text(explorer) != before, f"the figure does not show {name}"


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_explorers_need_no_init_of_their_own(cls):
    # State that make_figure needs is set in setup(), which the base class calls first.
    assert "__init__" not in vars(cls)


def test_setup_runs_before_the_figure_is_made():
    from matplotlib.figure import Figure

    from chinchilla_lib import plotting
    from chinchilla_lib.widgets import Explorer

    class Line(Explorer):
        defaults: ClassVar[dict[str, float]] = {"slope": 1.0}

        def setup(self):
            self.xs = np.linspace(0.0, 1.0, 5)

        def _compute(self, **p):
            return p["slope"] * self.xs

        def make_figure(self) -> Figure:
            fig, (ax,) = plotting.new_figure()
            ax.set_xlim(self.xs[0], self.xs[-1])
            ax.set_ylim(0.0, 5.0)
            (self._line,) = ax.plot([], [])
            self.animate(self._line)
            return fig

        def redraw(self, result):
            self._line.set_data(self.xs, result)

        def controls(self):
            return {}

    line = Line(slope=2.0)
    assert line.result[-1] == 2.0
    assert line.compute(slope=3.0)[-1] == 3.0 and line.params["slope"] == 2.0


def test_the_api_page_example_runs(tmp_path, monkeypatch, capsys):
    import re
    from pathlib import Path

    page = (Path(__file__).resolve().parents[1] / "book" / "api.md").read_text()
    section = page.split("### Using an explorer from Python", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)
    monkeypatch.chdir(tmp_path)
    exec(code, {})
    assert "Approach 3: a = " in capsys.readouterr().out
    assert (tmp_path / "three_approaches.png").read_bytes()[:4] == b"\x89PNG"


def test_hyperparameter_explorer_matches_the_table_and_refuses_bad_input():
    from chinchilla_lib.laws.hyperparameters import hyperparameter_table

    explorer = HyperparameterExplorer()
    result = explorer.compute(log10_flops=24.0, law="porian", context=4096)
    table = hyperparameter_table(1e24, context=4096)
    assert result.chosen == table.row("porian")
    rates = [r.learning_rate for r in table.rows if r.learning_rate is not None]
    assert result.lr_spread == pytest.approx(max(rates) / min(rates))
    assert result.batch_spread >= 1.0
    kaplan = explorer.update(law="kaplan")
    assert kaplan.chosen.learning_rate is None
    assert "no learning rate" in _figure_text(explorer)
    for bad in ({"law": "chinchilla"}, {"log10_flops": 30.0}, {"context": 0}, {"cycle": 0.5},
                {"decay_fraction": 0.9}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            explorer.compute(**bad)


def test_hyperparameter_explorer_prices_a_cycle_longer_than_the_run():
    explorer = HyperparameterExplorer()
    matched = explorer.compute(cycle=1.0)
    assert matched.cycle_cost == pytest.approx(0.0, abs=1e-12)
    costs = [explorer.compute(cycle=k).cycle_cost for k in (1.25, 2.0, 4.0)]
    assert 0 < costs[0] < costs[1] < costs[2]
    result = explorer.update(decay_fraction=0.3)
    assert result.wsd_curve.shape == result.long_cycle_curve.shape
    assert result.wsd_cost == pytest.approx(float(result.wsd_curve[-1]
                                                  - matched.long_cycle_curve[-1]))
