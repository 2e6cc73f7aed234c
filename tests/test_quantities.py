"""Tests of chinchilla_lib.quantities: the arithmetic of N, D and C."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import chinchilla_lib
from chinchilla_lib import quantities, registry
from chinchilla_lib.quantities import TransformerShape

sizes = st.floats(min_value=1.0, max_value=1e15, allow_nan=False, allow_infinity=False)


def test_training_flops_is_exported_and_is_6nd():
    assert chinchilla_lib.training_flops is quantities.training_flops
    assert chinchilla_lib.training_flops(70e9, 1.4e12) == pytest.approx(5.88e23, rel=1e-12)


@given(sizes, sizes)
def test_training_flops_equals_6nd(n, d):
    assert quantities.training_flops(n, d) == pytest.approx(6 * n * d, rel=1e-12)


@given(sizes, sizes)
def test_training_is_three_times_inference_per_token(n, d):
    assert quantities.training_flops(n, d) == pytest.approx(3 * quantities.inference_flops(n, d))


def test_vectorised_and_broadcast():
    n = np.array([1e9, 1e10, 1e11])
    out = quantities.training_flops(n, 2e10)
    assert isinstance(out, np.ndarray) and out.shape == (3,)
    np.testing.assert_allclose(out, 6 * n * 2e10)
    grid = quantities.training_flops(n[:, None], np.array([1e9, 1e10])[None, :])
    assert grid.shape == (3, 2)


def test_scalars_give_floats():
    assert isinstance(quantities.training_flops(1e9, 1e9), float)
    assert isinstance(quantities.pf_days(1e20), float)


def test_pf_day_round_trip_and_value():
    assert registry.constant("pf_day").value == 8.64e19
    assert quantities.pf_days(8.64e19) == pytest.approx(1.0)
    assert quantities.flops_from_pf_days(quantities.pf_days(3.14e23)) == pytest.approx(3.14e23)


def test_gpt3_reported_compute_is_3640_pf_days():
    # Brown et al. (2020), Table D.1: 3.64e3 PF-days, 3.14e23 FLOPs.
    assert quantities.pf_days(registry.constant("gpt3_training_flops").value) == pytest.approx(
        3.64e3, rel=2e-3)


def test_gpu_hours():
    # 3.6e18 FLOPs at 1e15 FLOP/s and 100% utilisation is one hour.
    assert quantities.gpu_hours(3.6e18, 1e15, 1.0) == pytest.approx(1.0)
    assert quantities.gpu_hours(3.6e18, 1e15, 0.5) == pytest.approx(2.0)


def test_tokens_per_parameter_and_epochs():
    assert quantities.tokens_per_parameter(70e9, 1.4e12) == pytest.approx(20.0)
    assert quantities.epochs(2e12, 5e11) == pytest.approx(4.0)


def test_flops_in_units_of_a_reference_budget():
    assert quantities.flops_in_units_of(5.76e23, 5.76e23) == pytest.approx(1.0)
    assert quantities.flops_in_units_of(1.92e19, 5.76e23) == pytest.approx(1 / 30000)
    got = quantities.flops_in_units_of(np.array([1e20, 1e22]), 1e21)
    assert got == pytest.approx([0.1, 10.0])


def test_accelerator_peak_reads_registry():
    assert quantities.accelerator_peak("A100") == 312e12
    with pytest.raises(ValueError, match="name must be one of"):
        quantities.accelerator_peak("TPU")


@pytest.mark.parametrize("name", ["A100", "H100", "H200", "TPUv4", "TPUv5e", "TPUv5p"])
def test_every_accelerator_peak_is_a_dense_bf16_registry_value(name):
    from chinchilla_lib import registry

    entry = registry.constant(quantities.ACCELERATORS[name])
    assert quantities.accelerator_peak(name) == entry.value and entry.unit == "FLOP/s"
    assert "bf16" in entry.name and "dense" in (entry.source.location + entry.source.note
                                                ).lower()


def test_accelerator_power_reads_registry_and_names_match_the_peaks():
    assert quantities.accelerator_power("A100") == 400.0
    assert quantities.accelerator_power("H100") == 700.0
    assert set(quantities.ACCELERATOR_POWER) <= set(quantities.ACCELERATORS)
    with pytest.raises(ValueError, match="name must be one of"):
        quantities.accelerator_power("TPU")


def test_energy_and_dollars_scale_with_hours():
    # 1,000 accelerator-hours at 400 W are 400 kWh; at $2.50 an hour they cost $2,500.
    assert quantities.energy_kwh(1000.0, 400.0) == pytest.approx(400.0)
    assert quantities.dollar_cost(1000.0, 2.5) == pytest.approx(2500.0)
    hours = quantities.gpu_hours(3.6e18 * np.array([1.0, 2.0]), 1e15, 1.0)
    assert quantities.energy_kwh(hours, 1000.0) == pytest.approx([1.0, 2.0])
    assert quantities.dollar_cost(hours, [1.0, 3.0]) == pytest.approx([1.0, 6.0])


BAD_SIZES = [0, -1.0, math.nan, math.inf, -math.inf, [1.0, 0.0], "many", True, []]


@pytest.mark.parametrize(
    ("function", "arguments", "argument_index", "name"),
    [
        (quantities.training_flops, (1e9, 1e9), 0, "n_params"),
        (quantities.training_flops, (1e9, 1e9), 1, "n_tokens"),
        (quantities.inference_flops, (1e9, 1e9), 0, "n_params"),
        (quantities.inference_flops, (1e9, 1e9), 1, "n_tokens"),
        (quantities.tokens_per_parameter, (1e9, 1e9), 0, "n_params"),
        (quantities.tokens_per_parameter, (1e9, 1e9), 1, "n_tokens"),
        (quantities.epochs, (1e9, 1e9), 0, "n_tokens"),
        (quantities.epochs, (1e9, 1e9), 1, "unique_tokens"),
        (quantities.pf_days, (1e20,), 0, "flops"),
        (quantities.flops_from_pf_days, (1.0,), 0, "pf_days_value"),
        (quantities.flops_in_units_of, (1e20, 1e21), 0, "flops"),
        (quantities.flops_in_units_of, (1e20, 1e21), 1, "reference_flops"),
        (quantities.gpu_hours, (1e20, 1e15, 0.4), 0, "flops"),
        (quantities.gpu_hours, (1e20, 1e15, 0.4), 1, "peak_flops_per_second"),
        (quantities.kaplan_nonembedding_params, (12, 768), 0, "n_layer"),
        (quantities.kaplan_nonembedding_params, (12, 768), 1, "d_model"),
        (quantities.decoder_parameter_share, (6, 6, 512, 2048), 0, "encoder_layers"),
        (quantities.decoder_parameter_share, (6, 6, 512, 2048), 1, "decoder_layers"),
        (quantities.decoder_parameter_share, (6, 6, 512, 2048), 2, "d_model"),
        (quantities.decoder_parameter_share, (6, 6, 512, 2048), 3, "d_ff"),
        (quantities.energy_kwh, (1e3, 400.0), 0, "accelerator_hours"),
        (quantities.energy_kwh, (1e3, 400.0), 1, "watts_per_accelerator"),
        (quantities.dollar_cost, (1e3, 2.0), 0, "accelerator_hours"),
        (quantities.dollar_cost, (1e3, 2.0), 1, "dollars_per_hour"),
    ],
)
@pytest.mark.parametrize("bad", BAD_SIZES, ids=repr)
def test_bad_sizes_raise_value_error_naming_the_argument(function, arguments, argument_index,
                                                         name, bad):
    args = list(arguments)
    args[argument_index] = bad
    with pytest.raises(ValueError, match=name):
        function(*args)


@pytest.mark.parametrize("bad", [0.0, -0.1, 1.5, math.nan])
def test_utilisation_must_be_a_fraction(bad):
    with pytest.raises(ValueError, match=r"utilisation must lie in \(0, 1\]"):
        quantities.gpu_hours(1e20, 1e15, bad)


def test_mismatched_shapes_name_the_arguments():
    with pytest.raises(ValueError, match=r"n_params.*n_tokens"):
        quantities.training_flops(np.ones(3), np.ones(2))


def test_training_budget_rejects_bad_input():
    shape = TransformerShape(n_layer=2, d_model=64, vocab_size=100, n_ctx=16)
    with pytest.raises(ValueError, match="shape"):
        quantities.training_budget("gpt", 1e9, peak_flops_per_second=1e15)
    with pytest.raises(ValueError, match="n_tokens"):
        quantities.training_budget(shape, -1, peak_flops_per_second=1e15)
    with pytest.raises(ValueError, match="utilisation"):
        quantities.training_budget(shape, 1e9, peak_flops_per_second=1e15, utilisation=2)


# --- transformer shapes -------------------------------------------------------------------

layers = st.integers(min_value=1, max_value=128)
widths = st.integers(min_value=1, max_value=256).map(lambda k: 64 * k)


@given(layers, widths)
def test_standard_shape_matches_kaplan_eq_2_1(n_layer, d_model):
    shape = TransformerShape(n_layer=n_layer, d_model=d_model, vocab_size=1000, n_ctx=128)
    assert shape.parameter_counts().non_embedding == 12 * n_layer * d_model**2
    assert quantities.kaplan_nonembedding_params(n_layer, d_model) == 12 * n_layer * d_model**2


@given(layers, layers, widths, st.integers(min_value=1, max_value=16))
def test_decoder_share_counts_the_cross_attention(n_enc, n_dec, d_model, ff_ratio):
    d_ff = ff_ratio * d_model
    encoder = n_enc * (4 * d_model**2 + 2 * d_model * d_ff)
    decoder = n_dec * (8 * d_model**2 + 2 * d_model * d_ff)
    share = quantities.decoder_parameter_share(n_enc, n_dec, d_model, d_ff)
    assert share == pytest.approx(decoder / (encoder + decoder), rel=1e-12)
    assert 0.0 < share < 1.0


def test_decoder_share_of_equal_depths_exceeds_one_half():
    # Equal depths: (8 + 2r) / (12 + 4r) with r = d_ff / d_model, above 1/2 for every r.
    assert quantities.decoder_parameter_share(6, 6, 512, 2048) == pytest.approx(16 / 28)
    assert quantities.decoder_parameter_share(6, 6, 1024, 8192) == pytest.approx(24 / 44)
    shares = quantities.decoder_parameter_share(6, 6, 512, np.array([512.0, 2048.0, 8192.0]))
    assert np.all(shares > 0.5) and np.all(np.diff(shares) < 0)
    assert quantities.decoder_parameter_share(28, 6, 512, 2048) < 0.5


def test_gpt3_shape_gives_175b():
    shape = TransformerShape(**registry.architecture("GPT-3 175B").shape)
    counts = shape.parameter_counts()
    assert counts.total == pytest.approx(175e9, rel=0.005)
    assert counts.active == counts.total
    assert counts.total - counts.non_embedding == 50257 * 12288 + 2048 * 12288


def test_mixtral_shape_gives_published_total_and_active():
    shape = TransformerShape(**registry.architecture("Mixtral 8x7B").shape)
    counts = shape.parameter_counts()
    total = registry.constant("mixtral_total_params").value
    active = registry.constant("mixtral_active_params").value
    # The paper rounds to the nearest billion.
    assert abs(counts.total - total) <= 0.5e9
    assert abs(counts.active - active) <= 0.5e9
    assert counts.active < counts.total


def test_grouped_query_attention_shrinks_keys_and_values():
    full = TransformerShape(n_layer=1, d_model=1024, vocab_size=10, n_ctx=8, n_heads=16)
    grouped = TransformerShape(n_layer=1, d_model=1024, vocab_size=10, n_ctx=8, n_heads=16,
                               n_kv_heads=4)
    assert full.parameter_counts().attention == 4 * 1024 * 1024
    assert grouped.parameter_counts().attention == 2 * 1024 * 1024 + 2 * 1024 * 256


def test_untied_and_learned_positions_count_separately():
    base = dict(n_layer=2, d_model=64, vocab_size=100, n_ctx=16)
    tied = TransformerShape(**base).parameter_counts()
    untied = TransformerShape(**base, tied_embeddings=False, learned_positions=True)
    counts = untied.parameter_counts()
    assert counts.total - tied.total == 100 * 64 + 16 * 64
    assert counts.non_embedding == tied.non_embedding


def test_flops_per_token_terms():
    shape = TransformerShape(n_layer=4, d_model=256, vocab_size=1000, n_ctx=512, n_heads=4)
    flops = shape.flops_per_token()
    assert flops.dense == 2 * 12 * 4 * 256**2
    assert flops.attention == 2 * 4 * 512 * 256
    assert flops.unembedding == 2 * 256 * 1000
    assert flops.training == pytest.approx(3 * flops.forward)
    # Kaplan's ratio n_ctx / (12 d_model) of the attention term to the dense term.
    assert flops.attention / flops.dense == pytest.approx(512 / (12 * 256))


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"n_layer": 0}, "n_layer"),
        ({"d_model": -8}, "d_model"),
        ({"vocab_size": 1.5}, "vocab_size"),
        ({"n_ctx": math.nan}, "n_ctx"),
        ({"n_heads": 3}, "n_heads"),
        ({"n_heads": 4, "n_kv_heads": 8}, "n_kv_heads"),
        ({"n_experts": 2, "experts_per_token": 3}, "experts_per_token"),
        ({"d_ff": 0}, "d_ff"),
        ({"n_layer": True}, "n_layer"),
    ],
)
def test_bad_shapes_raise_value_error_naming_the_argument(kwargs, name):
    base = {"n_layer": 2, "d_model": 64, "vocab_size": 100, "n_ctx": 16}
    with pytest.raises(ValueError, match=name):
        TransformerShape(**{**base, **kwargs})


def test_training_budget_combines_the_pieces():
    shape = TransformerShape(n_layer=2, d_model=64, vocab_size=100, n_ctx=16)
    budget = quantities.training_budget(shape, 1e9, peak_flops_per_second=1e15, utilisation=0.5)
    assert budget.flops_6nd == pytest.approx(6 * budget.counts.total * 1e9)
    assert budget.flops_detailed == pytest.approx(budget.flops_per_token.training * 1e9)
    assert budget.gpu_hours == pytest.approx(budget.flops_detailed / (0.5e15 * 3600))
    assert budget.tokens_per_parameter == pytest.approx(1e9 / budget.counts.total)
