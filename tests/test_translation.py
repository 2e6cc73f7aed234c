"""Machine-translation laws: Ghorbani et al.'s encoder-decoder form, Gordon et al.'s BLEU(L)."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar

from chinchilla_lib import symbolic
from chinchilla_lib.laws.kaplan import KaplanLaw
from chinchilla_lib.laws.translation import (
    BleuFromLoss,
    EncoderDecoderLaw,
    decoder_exponent_ratio,
    gordon_translation_law,
)

exponents = st.floats(0.05, 1.5)


def test_split_matches_sympy():
    symbols, fraction = symbolic.encoder_decoder_split()
    law = EncoderDecoderLaw(1.0, 0.3, 0.4, 1e8, 1e8, 0.5)
    value = float(fraction.subs({symbols["p_e"]: 0.3, symbols["p_d"]: 0.4}))
    assert law.optimal_decoder_fraction == pytest.approx(value, rel=1e-12)
    assert sp.simplify(fraction - symbols["p_d"] / (symbols["p_e"] + symbols["p_d"])) == 0


@given(exponents, exponents, st.floats(1e6, 1e11))
@settings(max_examples=60, deadline=None)
def test_best_split_is_the_numerical_optimum(p_e, p_d, total):
    law = EncoderDecoderLaw(2.0, p_e, p_d, 1e8, 1e8, 0.7)
    result = minimize_scalar(lambda f: np.log(law.loss(total * (1 - f), total * f) - law.floor),
                             bounds=(1e-6, 1 - 1e-6), method="bounded",
                             options={"xatol": 1e-10})
    encoder, decoder = law.best_split(total)
    assert decoder / total == pytest.approx(result.x, abs=1e-5)
    numerical = law.loss(total * (1 - result.x), total * result.x)
    assert law.loss(encoder, decoder) <= numerical * (1 + 1e-12)
    assert encoder + decoder == pytest.approx(total, rel=1e-12)


def test_loss_values_and_checks():
    law = EncoderDecoderLaw(0.5, 0.2, 0.3, 1e8, 2e8, 1.0)
    assert law.loss(1e8, 2e8) == pytest.approx(1.5)
    assert law.loss(np.array([1e8, 1e9]), 2e8).shape == (2,)
    with pytest.raises(ValueError, match="encoder_params"):
        law.loss(0.0, 1e8)
    with pytest.raises(ValueError, match="shapes"):
        law.loss(np.ones(2), np.ones(3))
    with pytest.raises(ValueError, match="floor"):
        EncoderDecoderLaw(0.5, 0.2, 0.3, 1e8, 2e8, -1.0)
    with pytest.raises(ValueError, match="decoder_exponent"):
        EncoderDecoderLaw(0.5, 0.2, np.nan, 1e8, 2e8)


@given(st.floats(0.0, 10.0))
@settings(max_examples=50, deadline=None)
def test_bleu_inverse_round_trip(loss):
    bleu = BleuFromLoss(76.0, 0.47)
    assert bleu.loss_for(bleu(loss)) == pytest.approx(loss, abs=1e-9)


def test_bleu_checks():
    bleu = BleuFromLoss(76.0, 0.47)
    with pytest.raises(ValueError, match="bleu"):
        bleu.loss_for(80.0)
    with pytest.raises(ValueError, match="loss"):
        bleu(-1.0)
    with pytest.raises(ValueError, match="decay"):
        BleuFromLoss(76.0, 0.0)


def test_gordon_de_en_from_registry():
    law, bleu = gordon_translation_law("de-en")
    assert isinstance(law, KaplanLaw)
    assert (law.alpha_n, law.alpha_d, law.n_c, law.d_c) == (0.1222, 0.4204, 2.590e8, 1.779e8)
    assert (bleu.scale, bleu.decay) == (76.16, 0.4697)
    with pytest.raises(ValueError, match="pair"):
        gordon_translation_law("fr-en")


def test_exponent_ratio_inverts_the_optimal_split():
    symbols, ratio = symbolic.decoder_share_exponent_ratio()
    assert sp.simplify(ratio - symbols["f"] / (1 - symbols["f"])) == 0
    for share in (0.3, 0.5, 0.55, 0.8):
        r = decoder_exponent_ratio(share)
        assert r == pytest.approx(float(ratio.subs(symbols["f"], share)), rel=1e-12)
        law = EncoderDecoderLaw(1.0, 0.2, 0.2 * r, 1e8, 1e8)
        assert law.optimal_decoder_fraction == pytest.approx(share, rel=1e-12)


@given(st.floats(0.01, 0.99), exponents)
@settings(max_examples=40, deadline=None)
def test_exponent_ratio_makes_the_share_the_numerical_optimum(share, p_e):
    law = EncoderDecoderLaw(1.0, p_e, p_e * decoder_exponent_ratio(share), 1e8, 1e8)
    total = 1e9
    result = minimize_scalar(lambda f: np.log(law.loss(total * (1 - f), total * f)),
                             bounds=(1e-6, 1 - 1e-6), method="bounded",
                             options={"xatol": 1e-10})
    assert result.x == pytest.approx(share, abs=1e-5)


def test_exponent_ratio_is_vectorised_and_checks_its_input():
    np.testing.assert_allclose(decoder_exponent_ratio([0.25, 0.5]), [1 / 3, 1.0])
    for bad in (0.0, 1.0, -0.1, 1.5, float("nan")):
        with pytest.raises(ValueError, match="decoder_share"):
            decoder_exponent_ratio(bad)
