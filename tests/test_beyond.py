"""Chapter 6's smaller laws: over-training, precision, transfer, pruning."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from chinchilla_lib import registry
from chinchilla_lib.laws.beyond import (
    OvertrainingLaw,
    PtqDegradationLaw,
    effective_params_at_precision,
    ptq_degradation,
    transferred_data,
)
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.simulate.pruning import simulate_pruning

BASE = ChinchillaLaw.from_registry("muennighoff2023/base")
OVERTRAINING = OvertrainingLaw.from_equal_exponents(BASE)


@given(st.floats(1e17, 1e26), st.floats(1.0, 1e4))
def test_overtraining_form_is_the_chinchilla_law_in_c_and_m(flops, multiplier):
    n = math.sqrt(flops / (6 * multiplier))
    d = math.sqrt(flops * multiplier / 6)
    assert OVERTRAINING.loss(flops, multiplier) == pytest.approx(BASE.loss(n, d), rel=1e-12)


def test_overtraining_optimum_is_the_compute_optimal_ratio():
    flops = 1e22
    optimum = BASE.compute_optimal(flops)
    assert OVERTRAINING.best_multiplier == pytest.approx(optimum.n_tokens / optimum.n_params,
                                                         rel=1e-9)
    with pytest.raises(ValueError, match="alpha = beta"):
        OvertrainingLaw.from_equal_exponents(ChinchillaLaw.from_registry("hoffmann2022/approach3"))


def test_precision_and_quantisation():
    bits = np.array([2.0, 4.0, 8.0, 16.0])
    n_eff = effective_params_at_precision(1e9, bits)
    assert np.all(np.diff(n_eff) > 0) and n_eff[-1] < 1e9
    # Post-training quantisation hurts more the more tokens a model has seen.
    delta = ptq_degradation(1e9, np.array([2e10, 2e11, 2e12]), 4)
    assert np.all(np.diff(delta) > 0)
    assert ptq_degradation(1e9, 2e11, 8) < ptq_degradation(1e9, 2e11, 4)


def test_ptq_law_is_built_from_the_registry_fit():
    law = PtqDegradationLaw.from_registry("kumar2024/ptq")
    p = registry.fit("kumar2024/ptq").params
    assert (law.c_t, law.gamma_d, law.gamma_n, law.gamma_post) == (
        p["C_T"], p["gamma_D"], p["gamma_N"], p["gamma_post"])
    n, d, bits = 1e9, np.array([2e10, 2e11]), np.array([[4.0], [8.0]])
    expected = p["C_T"] * d ** p["gamma_D"] / n ** p["gamma_N"] * np.exp(-bits / p["gamma_post"])
    np.testing.assert_allclose(law(n, d, bits), expected, rtol=1e-14)
    assert ptq_degradation(n, 2e11, 4) == law(n, 2e11, 4)
    with pytest.raises(ValueError, match=r"name must be one of .*kumar2024/ptq"):
        PtqDegradationLaw.from_registry("kumar2024/base")
    with pytest.raises(ValueError, match="gamma_post must be finite and > 0"):
        PtqDegradationLaw(0.06, 0.5, 0.3, 0.0)
    with pytest.raises(ValueError, match="post_bits"):
        law(n, 2e11, -1.0)
    with pytest.raises(ValueError, match="do not broadcast"):
        law(n, np.ones(2), np.ones(3))


def test_transfer_sets_and_checks():
    text = transferred_data(1e8, 1e9, "text")
    code = transferred_data(1e8, 1e9, "text+code")
    assert code > text  # pre-training on code transfers more to Python
    with pytest.raises(ValueError, match="pretraining"):
        transferred_data(1e8, 1e9, "images")


def test_registry_constants_as_printed():
    expected = {"kumar_gamma_weights": 2.6745, "kumar_gamma_activations": 2.2102,
                "kumar_gamma_kv": 0.9578, "kumar_optimal_bits_low": 7, "kumar_optimal_bits_high": 8,
                "gadre_max_multiplier": 640, "phi1_params": 1.3e9, "phi1_unique_tokens": 7e9,
                "phi1_tokens_seen": 51e9, "phi1_humaneval": 0.506}
    for name, value in expected.items():
        assert registry.constant(name).value == value, name
    assert dict(registry.fit("kumar2024/base").params) == {
        "E": 2.7648, "A": 4.299e3, "B": 1.806e4, "alpha": 0.4965, "beta": 0.4965}
    ptq = registry.fit("kumar2024/ptq")
    assert dict(ptq.params) == {"C_T": 0.0598, "gamma_D": 0.5068, "gamma_N": 0.3439,
                                "gamma_post": 0.5907}
    # Every value keeps its provenance: gamma_post alone was read second-hand.
    assert {p: ptq.source_of(p).status for p in ptq.params} == {
        "C_T": "primary", "gamma_D": "primary", "gamma_N": "primary", "gamma_post": "secondary"}
    assert {ptq.source_of(p).location for p in ptq.params} == {"Appendix K, Table 2"}
    assert ptq.source_of("gamma_post").note and ptq.sources[0] is ptq.source
    assert dict(registry.fit("hernandez2021/text").params) == {"k": 1.9e4, "alpha": 0.18,
                                                                "beta": 0.38}
    assert dict(registry.fit("hernandez2021/text+code").params) == {"k": 2.1e5, "alpha": 0.096,
                                                                     "beta": 0.38}


def test_pruning_keeps_easy_when_scarce_and_hard_when_abundant():
    scarce = {mode: simulate_pruning(2.0, 0.25, mode, repeats=8, seed=1).error
              for mode in ("hard", "easy")}
    abundant = {mode: simulate_pruning(32.0, 0.25, mode, repeats=8, seed=1).error
                for mode in ("hard", "easy")}
    assert scarce["easy"] < scarce["hard"]
    assert abundant["hard"] < abundant["easy"]
    # Pruned to a quarter with a perfect metric, 32d examples do as well as 32d unpruned ones
    # and better than 8d random ones.
    random8 = simulate_pruning(8.0, 1.0, "random", repeats=8, seed=1).error
    assert abundant["hard"] < random8


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"alpha_total": 0.0}, "alpha_total"), ({"keep": 1.5}, "keep"),
    ({"mode": "middle"}, "mode"), ({"metric_angle": 2.0}, "metric_angle"),
])
def test_pruning_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        simulate_pruning(**{"alpha_total": 4.0, **kwargs})


def test_pruning_is_deterministic():
    assert simulate_pruning(4.0, 0.5, seed=3) == simulate_pruning(4.0, 0.5, seed=3)


def test_inference_first_order_ratio_vanishes_at_the_numerical_optimum():
    import sympy as sp

    from chinchilla_lib import symbolic
    from chinchilla_lib.laws.inference import inference_optimal

    law = ChinchillaLaw.from_registry("sardana2024/constants")
    symbols, residual = symbolic.inference_first_order_ratio()
    f = sp.lambdify([symbols[k] for k in ("N", "D", "I", "E", "A", "B", "alpha", "beta")],
                    residual)
    loss = law.compute_optimal(1e23).loss
    for served in (0.0, 1e12, 1e14):
        best = inference_optimal(law, loss, served)
        value = f(best.n_params, best.n_tokens, served, law.e, law.a, law.b, law.alpha,
                  law.beta)
        assert abs(value) < 1e-5 * (1 + served / (3 * best.n_tokens))


def test_symbolic_overtraining_form_matches_the_library():
    import sympy as sp

    from chinchilla_lib import symbolic

    symbols, general, equal = symbolic.overtraining_form()
    eta = BASE.alpha / 2
    values = {symbols["E"]: BASE.e, symbols["A"]: BASE.a, symbols["B"]: BASE.b,
              symbols["eta"]: eta, symbols["alpha"]: BASE.alpha, symbols["beta"]: BASE.beta}
    for flops, multiplier in ((1e20, 5.0), (1e22, 20.0), (1e24, 640.0)):
        point = {**values, symbols["C"]: flops, symbols["M"]: multiplier}
        expected = OVERTRAINING.loss(flops, multiplier)
        assert float(equal.subs(point)) == pytest.approx(expected, rel=1e-10)
        assert float(general.subs(point)) == pytest.approx(expected, rel=1e-10)
    assert sp.simplify(equal.coeff(symbols["M"] ** symbols["eta"])
                       - 6 ** symbols["eta"] * symbols["A"] * symbols["C"] ** -symbols["eta"]) == 0


def test_pruning_sweep_grid_and_frontier():
    from chinchilla_lib.simulate.pruning import pruning_sweep

    sweep = pruning_sweep([2.0, 8.0], [1.0, 0.25], repeats=2, seed=1)
    assert sweep.errors.shape == (2, 2)
    assert np.all(sweep.frontier <= sweep.errors)
    assert sweep.errors[0, 0] == pytest.approx(
        simulate_pruning(2.0, 1.0, "random", repeats=2, seed=1).error)
    assert sweep.errors[1, 1] == pytest.approx(
        simulate_pruning(32.0, 0.25, "hard", repeats=2, seed=1).error)
    # With plenty of data, keeping the hardest quarter beats keeping everything.
    assert sweep.best_keep[1] == 0.25


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"alpha_kept": [0.0], "keep": [1.0]}, "alpha_kept"),
    ({"alpha_kept": [], "keep": [1.0]}, "alpha_kept"),
    ({"alpha_kept": [1.0], "keep": [1.5]}, "keep"),
    ({"alpha_kept": [1.0], "keep": [0.0]}, "keep"),
])
def test_pruning_sweep_rejects_bad_input(kwargs, match):
    from chinchilla_lib.simulate.pruning import pruning_sweep

    with pytest.raises(ValueError, match=match):
        pruning_sweep(**kwargs)


def test_pruning_sweep_slope_and_figure():
    from chinchilla_lib.plotting import figures
    from chinchilla_lib.simulate.pruning import PruningSweep

    kept = np.array([1.0, 2.0, 4.0])
    sweep = PruningSweep(kept, np.array([1.0, 0.5]),
                         np.array([1.0 / kept, 0.5 / kept**2]))
    assert sweep.power_law_slope(sweep.errors[0]) == pytest.approx(-1.0)
    assert sweep.power_law_slope(sweep.frontier, from_kept=2.0) == pytest.approx(-2.0)
    with pytest.raises(ValueError, match="from_kept"):
        sweep.power_law_slope(sweep.frontier, from_kept=4.0)
    with pytest.raises(ValueError, match="errors"):
        sweep.power_law_slope(np.ones(2))
    fig = figures.pruning_sweep(sweep, title="t")
    assert len(fig.axes[0].lines) == 3


@given(st.floats(1e18, 1e26), st.floats(1.0, 1e4))
def test_fixed_multiplier_exponent_is_the_numerical_slope(flops, multiplier):
    from chinchilla_lib.laws.beyond import fixed_multiplier_exponent

    law = ChinchillaLaw.from_registry("hoffmann2022/approach3")

    def reducible(c):
        n, d = math.sqrt(c / (6 * multiplier)), math.sqrt(c * multiplier / 6)
        return law.loss(n, d) - law.e

    step = 1e-4
    numeric = -(math.log(reducible(flops * math.exp(step)))
                - math.log(reducible(flops * math.exp(-step)))) / (2 * step)
    assert fixed_multiplier_exponent(law, flops, multiplier) == pytest.approx(numeric, rel=1e-5)


def test_fixed_multiplier_exponent_is_constant_when_exponents_are_equal():
    from chinchilla_lib.laws.beyond import fixed_multiplier_exponent

    values = fixed_multiplier_exponent(BASE, 1e22, np.array([5.0, 20.0, 640.0]))
    assert np.allclose(values, OVERTRAINING.eta)
    with pytest.raises(ValueError, match="multiplier"):
        fixed_multiplier_exponent(BASE, 1e22, 0.0)


# Chapter 6, source-coverage rows (issue 15): data stock, UL2R, number formats.

@given(st.floats(min_value=0.05, max_value=16.0))
def test_epochs_for_effective_multiple_inverts_effective_data(multiple):
    from chinchilla_lib.laws.data_constrained import effective_data, epochs_for_effective_multiple

    epochs = epochs_for_effective_multiple(multiple)
    assert effective_data(epochs, 1.0) == pytest.approx(multiple, rel=1e-9)


def test_epochs_for_effective_multiple_matches_a_root_finder_and_rejects_the_ceiling():
    from scipy.optimize import brentq

    from chinchilla_lib.laws.data_constrained import effective_data, epochs_for_effective_multiple

    r_star = registry.constant("muennighoff_r_star_data").value
    numeric = brentq(lambda e: effective_data(e, 1.0) - 5.0, 1.0, 1e3, xtol=1e-12)
    assert epochs_for_effective_multiple(5.0) == pytest.approx(numeric, rel=1e-9)
    np.testing.assert_allclose(epochs_for_effective_multiple(np.array([0.5, 1.0])), [0.5, 1.0])
    for bad in (1.0 + r_star, 0.0, -1.0):
        with pytest.raises(ValueError, match="multiple"):
            epochs_for_effective_multiple(bad)


def test_number_formats_follow_their_definitions():
    from chinchilla_lib import quantities

    f = {fmt.name: fmt for fmt in quantities.NUMBER_FORMATS}
    # IEEE binary formats against numpy, which implements them.
    for name, dtype in (("FP32", np.float32), ("FP16", np.float16)):
        info = np.finfo(dtype)
        assert f[name].max_finite == float(info.max)
        assert f[name].smallest_normal == float(info.smallest_normal)
        assert f[name].relative_step == float(info.eps)
        assert f[name].bits == info.bits
    # BF16 keeps FP32's exponent: the same smallest normal, a max within one ulp of FP32's.
    assert f["BF16"].smallest_normal == f["FP32"].smallest_normal
    assert f["BF16"].max_finite == (2 - 2 ** -7) * 2.0 ** 127
    # FP8: E5M2 is IEEE-like, E4M3 gives the top exponent to numbers (Micikevicius et al.'s
    # Table 1 prints these maxima: 57344 and 448).
    assert f["FP8 E5M2"].max_finite == 1.75 * 2.0 ** 15 == 57344.0
    assert f["FP8 E4M3"].max_finite == 1.75 * 2.0 ** 8 == 448.0
    assert f["FP8 E4M3"].smallest_normal == 2.0 ** -6
    assert (f["INT8"].max_finite, f["INT4"].max_finite) == (127.0, 7.0)
    assert [fmt.bytes for fmt in quantities.NUMBER_FORMATS] == [4, 2, 2, 1, 1, 1, 0.5]
    assert quantities.number_format("BF16") is f["BF16"]
    assert f["INT8"].is_integer and not f["BF16"].is_integer
    assert f["INT8"].decades == pytest.approx(math.log10(127))


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"name": "x", "bits": 16, "exponent_bits": 5, "mantissa_bits": 9}, "bits must be"),
    ({"name": "x", "bits": 8, "exponent_bits": 0, "mantissa_bits": 3}, "mantissa_bits must"),
    ({"name": "x", "bits": 1}, "bits must"),
    ({"name": "x", "bits": 3, "exponent_bits": 1, "mantissa_bits": 1}, "exponent_bits must"),
    ({"name": "x", "bits": 8, "exponent_bits": 7, "mantissa_bits": 0, "ieee_specials": False},
     "exponent_bits must"),
])
def test_number_format_rejects_bad_input(kwargs, match):
    from chinchilla_lib.quantities import NumberFormat

    with pytest.raises(ValueError, match=match):
        NumberFormat(**kwargs)


def test_number_format_lookup_and_memory():
    from chinchilla_lib import quantities

    with pytest.raises(ValueError, match="name must be one of"):
        quantities.number_format("FP64")
    assert quantities.weight_memory_bytes(70e9, 4) == 35e9
    np.testing.assert_allclose(quantities.weight_memory_bytes(1e9, np.array([16, 8])), [2e9, 1e9])
    with pytest.raises(ValueError, match="bits"):
        quantities.weight_memory_bytes(1e9, 0)


def test_villalobos_and_tay_numbers_follow_from_their_inputs():
    from chinchilla_lib import quantities

    c = {name: registry.constant(name).value for name in registry.CONSTANTS
         if name.startswith(("villalobos_", "tay_"))}
    # The stock at full use, trained compute-optimally at 20 tokens per parameter: C = 6 D^2 / 20.
    d = c["villalobos_stock_at_full_use_tokens"]
    flops = quantities.training_flops(d / c["villalobos_tokens_per_parameter"], d)
    assert flops == pytest.approx(c["villalobos_compute_at_full_use"], rel=0.05)
    llama = registry.model("Llama 3 70B")
    assert llama.n_tokens / llama.n_params == pytest.approx(
        c["villalobos_llama3_70b_tokens_per_parameter"], abs=0.5)
    # U-PaLM's extra tokens are steps x batch x sequence length.
    tokens = c["tay_upalm_steps"] * c["tay_upalm_batch_size"] * c["tay_upalm_sequence_length"]
    assert tokens == pytest.approx(c["tay_upalm_extra_tokens"], rel=0.01)
    # Figure 2's ratio is PaLM 540B's 6ND over U-PaLM's 1075 zFLOPs (not 2500 / 1075).
    palm = registry.model("PaLM 540B")
    ratio = quantities.training_flops(palm.n_params, palm.n_tokens) / (
        c["tay_upalm_upalm_zflops"] * 1e21)
    assert ratio == pytest.approx(c["tay_upalm_figure2_ratio"], abs=0.005)
    assert c["tay_upalm_palm_zflops"] / c["tay_upalm_upalm_zflops"] < 2.33


def test_allocation_compute_ratio_is_one_on_the_frontier_and_matches_a_root_finder():
    from scipy.optimize import brentq

    from chinchilla_lib import quantities
    from chinchilla_lib.laws.beyond import allocation_compute_ratio

    law = ChinchillaLaw.from_registry("hoffmann2022/approach3")
    best = law.compute_optimal(3e23)
    assert allocation_compute_ratio(law, best.n_params, best.n_tokens) == pytest.approx(1.0)
    n, d = 540e9, 780e9
    target = law.loss(n, d)
    log_c = brentq(lambda lc: law.compute_optimal(10 ** lc).loss - target, 18, 28, xtol=1e-12)
    expected = quantities.training_flops(n, d) / 10 ** log_c
    assert allocation_compute_ratio(law, n, d) == pytest.approx(expected, rel=1e-8)
    assert allocation_compute_ratio(law, 1e9, 1e13) > 1  # over-training costs too
    np.testing.assert_allclose(allocation_compute_ratio(law, np.array([n, n]), d),
                               [expected, expected])
    with pytest.raises(ValueError, match="n_tokens"):
        allocation_compute_ratio(law, n, -1.0)
