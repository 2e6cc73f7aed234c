"""Henighan et al.'s laws as the library builds them from the registry."""

import pytest

from chinchilla_lib import registry
from chinchilla_lib.laws.henighan import henighan_exponents, henighan_law, henighan_optimal_size


@pytest.mark.parametrize("domain", registry.HENIGHAN_DOMAINS)
def test_laws_reproduce_table1(domain):
    p = registry.fit(f"henighan2020/L(N) {domain}").params
    law = henighan_law(domain)
    n = 1e8
    assert law(n) == pytest.approx(p["L_inf"] + (p["N_0"] / n) ** p["alpha"])
    assert law.floor == p["L_inf"]


def test_language_has_no_floor_and_matches_gpt3():
    assert henighan_law("Language").floor == 0.0
    gpt3 = registry.fit("brown2020/L(C)").params
    c = 3640.0
    assert henighan_law("Language", "C")(c) == pytest.approx(
        gpt3["L_c"] * c ** -gpt3["alpha"], rel=2e-3)


def test_optimal_size():
    assert henighan_optimal_size("Language")(1.0) == pytest.approx(1.29e9, rel=0.01)
    with pytest.raises(ValueError, match="domain must be one of"):
        henighan_optimal_size("Text-to-Image (text loss)")


def test_exponents_span_the_whole_table():
    # The spread the source article quotes: alpha_N from 0.037 to 0.24, alpha_C 0.048 to 0.19.
    alpha_n, alpha_c = henighan_exponents("L(N)"), henighan_exponents("L(C)")
    assert len(alpha_n) == 12 and len(alpha_c) == 10
    assert (min(alpha_n.values()), max(alpha_n.values())) == (0.037, 0.24)
    assert min(alpha_n, key=alpha_n.get) == "Text-to-Image (text loss)"
    assert (min(alpha_c.values()), max(alpha_c.values())) == (0.048, 0.19)
    beta = henighan_exponents("N_opt(C)")
    assert len(beta) == 10 and (min(beta.values()), max(beta.values())) == (0.64, 0.75)
    assert henighan_exponents()["Language"] == pytest.approx(-henighan_law("Language").exponent)


def test_exponents_bad_column():
    with pytest.raises(ValueError, match="fit must be one of"):
        henighan_exponents("L(D)")


def test_bad_names():
    with pytest.raises(ValueError, match="domain"):
        henighan_law("Smell")
    with pytest.raises(ValueError, match="variable"):
        henighan_law("Language", "D")


@pytest.mark.parametrize("domain", registry.HENIGHAN_TEXT_LOSS_DOMAINS)
def test_text_loss_rows_have_a_model_size_law_only(domain):
    p = registry.fit(f"henighan2020/L(N) {domain}").params
    law = henighan_law(domain)
    assert law.floor == 0.0
    assert law(p["N_0"]) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="domain must be one of"):
        henighan_law(domain, "C")
