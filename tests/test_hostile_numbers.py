"""Numbers at the edges (issue 16): each test names the row of the robustness review it covers."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from chinchilla_lib import metrics, quantities
from chinchilla_lib.laws import (
    Break,
    BrokenPowerLaw,
    ChinchillaLaw,
    CoverageLaw,
    OvertrainingLaw,
    PowerLaw,
    inference_optimal,
)


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def test_row_integers_beyond_float_range_are_a_value_error_naming_the_argument():
    """Review row: integers beyond float range (library calls): OverflowError before."""
    with pytest.raises(ValueError, match="n_params must lie within float range"):
        quantities.training_flops(10**400, 1e9)
    with pytest.raises(ValueError, match="n_tokens must lie within float range"):
        quantities.training_flops(1e9, [1e9, 10**400])
    with pytest.raises(ValueError, match="n_layer must be a whole number within float range"):
        quantities.TransformerShape(n_layer=10**400, d_model=512, vocab_size=50000, n_ctx=2048)
    with pytest.raises(ValueError, match="a must lie within float range"):
        ChinchillaLaw(1.69, 10**400, 410.7, 0.34, 0.28)


@pytest.mark.parametrize("value", [1 + 2j, np.array([1e9 + 1j, 2e9]), [1e9, 2e9 + 0j]])
def test_row_complex_values_are_refused_not_cast(value):
    """Review row: library, complex arrays accepted with the imaginary part dropped."""
    with pytest.raises(ValueError, match="n_params must be real, not complex"):
        quantities.training_flops(value, 1e12)


@pytest.mark.parametrize("value", [True, [True, False], np.array([True, True])])
def test_row_booleans_are_refused_not_read_as_one(value):
    """Review row: library, lists of bools accepted, True read as 1.0."""
    with pytest.raises(ValueError, match=r"loss_nats must be .*not .*bool"):
        metrics.perplexity(value)


def test_row_none_is_reported_as_none_not_nan():
    """Review row: library, None where a number is expected reported as "got nan"."""
    with pytest.raises(ValueError, match=r"n_tokens must be a real number.*got None"):
        quantities.training_flops(1e9, None)
    with pytest.raises(ValueError, match="got None"):
        quantities.training_flops([1e9, None], 1e9)
    with pytest.raises(ValueError, match=r"n_layer .*got None"):
        quantities.TransformerShape(n_layer=None, d_model=512, vocab_size=50000, n_ctx=2048)


@pytest.mark.parametrize("call", [
    lambda: quantities.training_flops(1e200, 1e200),
    lambda: metrics.perplexity(1e9),
    lambda: quantities.flops_from_pf_days(1e300),
    lambda: PowerLaw(1.0, 2.0).loss(1e300),
    lambda: ChinchillaLaw(1.69, 406.4, 410.7, 3.0, 0.28).loss(1e-200, 1e12),
], ids=["training_flops", "perplexity", "flops_from_pf_days", "PowerLaw.loss",
        "ChinchillaLaw.loss"])
def test_row_overflow_is_a_value_error_naming_the_inputs_without_a_warning(call):
    """Review row: library, finite but extreme inputs gave inf with only a RuntimeWarning."""
    with pytest.raises(ValueError, match="overflows float range"):
        call()


def test_row_overflow_message_names_function_and_inputs():
    """Review row: finite but extreme inputs; the message says what overflowed, from what."""
    with pytest.raises(ValueError) as caught:
        quantities.training_flops(1e200, 1e200)
    assert "training_flops" in str(caught.value)
    assert "n_params=1e+200" in str(caught.value) and "n_tokens=1e+200" in str(caught.value)


@pytest.mark.parametrize("field,kwargs", [
    ("b", dict(b=5e-324)),
    ("a", dict(a=1e-310)),
    ("G", dict(a=1e300, b=1e-300)),
    ("G", dict(a=1e-300, b=1e300, alpha=1e-3, beta=1e-3)),
])
def test_row_chinchilla_law_edge_constants_refused_at_construction(field, kwargs):
    """Review row: ChinchillaLaw(b=5e-324) and similar gave ZeroDivisionError/OverflowError."""
    params = dict(e=1.69, a=406.4, b=410.7, alpha=0.34, beta=0.28) | kwargs
    with pytest.raises(ValueError, match=field):
        ChinchillaLaw(**params)


@pytest.mark.parametrize("breaks,match", [
    ([None], r"breaks\[0\] must be a Break; got None"),
    ([Break(1.0, 10.0, 0.5), "x"], r"breaks\[1\] must be a Break"),
    (5, "breaks must be a sequence of Break"),
    (Break(1.0, 10.0, 0.5), "a single Break"),
])
def test_row_broken_power_law_breaks_checked_at_construction(breaks, match):
    """Review row: BrokenPowerLaw(breaks=[None]) failed only when the law was called."""
    with pytest.raises(TypeError, match=match):
        BrokenPowerLaw(0.0, 1.0, 0.5, breaks=breaks)


@pytest.mark.parametrize("call,match", [
    (lambda: Break(c=None, d=1.0, f=1.0), "c must be a real number.*got None"),
    (lambda: BrokenPowerLaw(0.0, 1.0, c0="x"), "c0 must be"),
    (lambda: ChinchillaLaw(1.69, [406.4, 1.0], 410.7, 0.34, 0.28), "a must be a single number"),
    (lambda: OvertrainingLaw(1.0, 1.0, 1.0, float("nan")), "eta must be finite"),
    (lambda: CoverageLaw(None, -1.0), "a must be a real number.*got None"),
    (lambda: inference_optimal(None, 2.0, 1e12), "law must be a ChinchillaLaw; got None"),
    (lambda: quantities.accelerator_peak(["H100"]), "name must be one of"),
    (lambda: quantities.NumberFormat("huge", bits=10**9, exponent_bits=10**9 - 1,
                                     mantissa_bits=0), "bits must be <= 64"),
])
def test_row_wrong_typed_fields_refused_at_construction_by_name(call, match):
    """Review rows: wrong-typed fields and leaked NumPy/Python messages, now named."""
    with pytest.raises((TypeError, ValueError), match=match):
        call()


@pytest.mark.parametrize("call,match", [
    (lambda: quantities.training_flops([], 1e9), "n_params must not be empty"),
    (lambda: quantities.training_flops([[1.0], [2.0, 3.0]], 1e9), "n_params must be a real "
     "number or a rectangular array"),
    (lambda: quantities.training_flops([1.0, 2.0], [1.0, 2.0, 3.0]), "shapes do not broadcast"),
    (lambda: metrics.recall([[1], [0, 1]], [1, 0]), "y_true must be a non-empty 1-D array"),
    (lambda: metrics.perplexity("abc"), "loss_nats must be a real number .*not text"),
])
def test_row_numpy_messages_replaced_by_named_ones(call, match):
    """Review row: about 44 messages that leak NumPy/SciPy text."""
    with pytest.raises(ValueError, match=match):
        call()


def test_valid_input_keeps_its_value_and_type():
    """The checks change nothing for valid input: floats stay floats, arrays arrays."""
    assert quantities.training_flops(70e9, 1.4e12) == pytest.approx(5.88e23)
    assert isinstance(quantities.training_flops(70e9, 1.4e12), float)
    assert quantities.training_flops(np.array([1e9, 2e9]), 1e12).shape == (2,)
    assert quantities.training_flops(np.int64(10), 10) == 600.0
    law = ChinchillaLaw.from_registry("hoffmann2022/approach3")
    assert law.compute_optimal(5.76e23).n_params == pytest.approx(law.compute_optimal(
        5.76e23).n_params)


def test_row_transformer_shape_whose_counts_leave_float_range_is_refused():
    """Review row: integers beyond float range; each dimension fits, their products do not."""
    with pytest.raises(ValueError, match="within float range"):
        quantities.TransformerShape(n_layer=10**200, d_model=10**200, vocab_size=10, n_ctx=10)


def test_documented_infinities_stay():
    """A result documented as possibly infinite (a density that never doubles) is kept."""
    from chinchilla_lib.laws import DensingLaw

    assert DensingLaw(slope=-0.01, intercept=0.0).doubling_days == float("inf")
