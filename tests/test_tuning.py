"""muP and the two committed studies of issue 18: per-matrix rates scaling with width, the
default parameterisation unchanged, the committed schedule curves and learning-rate sweep, and
the analyses the chapter reads off them."""

from __future__ import annotations

import numpy as np
import pytest

from chinchilla_lib.experiment import (
    LR_SWEEP_RATES,
    LR_SWEEP_WIDTHS,
    MUP_BASE_WIDTH,
    SCHEDULE_STUDY,
    ToyLanguage,
    check_schedule_law,
    layer_learning_rates,
    optimal_learning_rates,
    peak_learning_rate,
    reference_lr_sweep,
    reference_schedule_curves,
    train,
)

TINY = ToyLanguage(vocab_size=32, seed=1)


@pytest.mark.parametrize("width", [1, 16, 64, 256, 4096])
def test_mup_scales_only_the_output_matrix_as_one_over_width(width):
    lookup, dense, bias = layer_learning_rates(width, "mup", base_width=16)
    assert (lookup, bias) == (1.0, 1.0)
    assert dense == pytest.approx(16 / width)
    assert dense * width == pytest.approx(16)  # 1 / fan_in, fan_in = width
    assert layer_learning_rates(width) == (1.0, 1.0, 1.0)


def test_the_standard_parameterisation_is_the_default_and_unchanged():
    plain = train(TINY, 8, 5_000)
    standard = train(TINY, 8, 5_000, parameterisation="standard")
    assert plain.loss == standard.loss
    # at its base width, muP with the same peak rate is the standard run
    same = train(TINY, 8, 5_000, parameterisation="mup", base_width=8,
                 peak_lr=peak_learning_rate(8))
    assert same.loss == plain.loss
    # muP's default peak rate is the base width's, whatever the width
    wide = train(TINY, 32, 5_000, parameterisation="mup", base_width=8)
    by_hand = train(TINY, 32, 5_000, parameterisation="mup", base_width=8,
                    peak_lr=peak_learning_rate(8))
    assert wide.loss == by_hand.loss != train(TINY, 32, 5_000).loss


def test_bad_parameterisations_are_refused():
    with pytest.raises(ValueError, match="parameterisation must be one of"):
        layer_learning_rates(16, "ntk")
    with pytest.raises(ValueError, match="parameterisation must be one of"):
        train(TINY, 4, 1_000, parameterisation="ntk")
    with pytest.raises(ValueError, match="base_width"):
        train(TINY, 4, 1_000, parameterisation="mup", base_width=0)
    with pytest.raises(ValueError, match="checkpoint_spacing"):
        train(TINY, 4, 1_000, checkpoints=3, checkpoint_spacing="cubic")


def test_linear_checkpoints_are_evenly_spaced():
    run = train(TINY, 4, 256 * 100, checkpoints=11, checkpoint_spacing="linear")
    steps = np.array(run.curve_tokens) // 256
    assert steps[0] == 1 and steps[-1] == 100
    assert np.ptp(np.diff(steps[1:])) <= 1


def test_the_committed_schedule_curves_are_the_study_and_decays_help():
    curves = reference_schedule_curves()
    assert [c.name for c in curves] == list(SCHEDULE_STUDY["schedules"])
    final = {c.name: float(c.loss[-1]) for c in curves}
    for curve in curves:
        assert curve.steps[-1] == 1000 and curve.rates.size == 1000
        assert curve.steps.size >= SCHEDULE_STUDY["checkpoints"] - 1
    # every decaying schedule ends below the constant one; the matched cosine below the cycle
    # twice as long (Hoffmann et al.'s App. D.1 in miniature)
    assert all(final[name] < final["constant"] for name in final if name != "constant")
    assert final["cosine"] < final["cosine, cycle 2x the run"]


def test_the_first_committed_curve_is_the_trainer_s_run():
    """The committed constant-schedule curve is what train() makes now (one run, 2 s)."""
    curve = reference_schedule_curves()[0]
    schedule = SCHEDULE_STUDY["schedules"][curve.name]
    from chinchilla_lib.experiment import DEFAULT_LANGUAGE
    run = train(DEFAULT_LANGUAGE, SCHEDULE_STUDY["width"], SCHEDULE_STUDY["tokens"],
                schedule=schedule, checkpoints=SCHEDULE_STUDY["checkpoints"],
                checkpoint_spacing="linear")
    np.testing.assert_allclose(run.curve_loss, curve.loss, rtol=1e-9)


def test_the_law_fitted_on_constant_and_cosine_predicts_wsd_within_a_tenth_of_a_nat():
    check = check_schedule_law(reference_schedule_curves())
    assert check.fit.rmse < 0.02
    for name in ("wsd, linear decay", "wsd, 1-sqrt decay"):
        assert check.errors[name].rmse < 0.05
        assert abs(check.errors[name].final) < 0.1
    with pytest.raises(ValueError, match="fitted must name"):
        check_schedule_law(reference_schedule_curves(), fitted=("step",))


def test_the_committed_sweep_covers_the_grid_and_optima_are_read_off_it():
    sweep = reference_lr_sweep()
    assert len(sweep["loss"]) == 2 * len(LR_SWEEP_WIDTHS) * len(LR_SWEEP_RATES)
    best = optimal_learning_rates(sweep)
    for name in ("standard", "mup"):
        assert sorted(best[name]) == list(LR_SWEEP_WIDTHS)
        for rate in best[name].values():
            assert min(LR_SWEEP_RATES) <= rate <= max(LR_SWEEP_RATES)
    # at the base width the two parameterisations are one model
    base = sweep["width"] == MUP_BASE_WIDTH
    np.testing.assert_array_equal(sweep["loss"][base & (sweep["parameterisation"] == 0)],
                                  sweep["loss"][base & (sweep["parameterisation"] == 1)])


def test_optimal_rate_is_the_parabola_s_minimum():
    rates = np.array([0.4, 0.2, 0.1, 0.05, 0.025])
    loss = 3.0 + (np.log(rates) - np.log(0.09)) ** 2
    sweep = {"parameterisation": np.zeros(5), "width": np.full(5, 16.0), "peak_lr": rates,
             "loss": loss}
    assert optimal_learning_rates(sweep)["standard"][16] == pytest.approx(0.09)
    with pytest.raises(TypeError, match="sweep"):
        optimal_learning_rates({"loss": loss})
