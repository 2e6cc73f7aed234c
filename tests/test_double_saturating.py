"""Zhai et al.'s double-saturating power law."""

from __future__ import annotations

import numpy as np
import pytest

from chinchilla_lib import registry
from chinchilla_lib.laws.double_saturating import DoubleSaturatingPowerLaw
from chinchilla_lib.laws.power import SaturatingPowerLaw


def test_form_and_both_saturations():
    law = DoubleSaturatingPowerLaw(SaturatingPowerLaw(0.1, 0.3, -0.4), 0.05)
    assert law(1.0) == pytest.approx(0.1 + 0.3 * 1.05**-0.4)
    assert law(1e12) == pytest.approx(0.1, abs=1e-4)
    assert law.at_zero_compute() == pytest.approx(0.1 + 0.3 * 0.05**-0.4)
    assert np.all(np.diff(law(np.geomspace(1e-3, 1e3, 20))) < 0)


def test_zhai_frontiers_lie_above_their_floors_and_below_chance():
    for evaluation in ("finetune", "10shot"):
        law = DoubleSaturatingPowerLaw.from_registry(f"zhai2022/{evaluation}")
        errors = law(np.geomspace(1.0, 1e4, 50))          # core-days
        assert np.all(errors > law.law.floor) and np.all(errors < 1.0)
    # The best published fine-tuned model sits just above the fitted floor.
    best_error = 1.0 - registry.constant("zhai_vitg_finetune_accuracy").value
    assert DoubleSaturatingPowerLaw.from_registry("zhai2022/finetune").law.floor < best_error < 0.12


def test_bad_input():
    with pytest.raises(ValueError, match=r"name must be one of .*zhai2022/10shot"):
        DoubleSaturatingPowerLaw.from_registry("zhai2022/linear")
    with pytest.raises(ValueError, match="shift"):
        DoubleSaturatingPowerLaw(SaturatingPowerLaw(0.1, 0.3, -0.4), -1.0)
    with pytest.raises(ValueError, match="compute"):
        DoubleSaturatingPowerLaw.from_registry("zhai2022/finetune")(0.0)


def test_compute_for_error_inverts_the_law():
    law = DoubleSaturatingPowerLaw.from_registry("zhai2022/finetune")
    errors = np.array([0.2, 0.35, 1.0])
    np.testing.assert_allclose(law(law.compute_for_error(errors)), errors, rtol=1e-12)
    # The fine-tuning law passes an error of 1 only far below one core-day.
    assert 0.01 < law.compute_for_error(1.0) < 0.03
    with pytest.raises(ValueError, match="error must"):
        law.compute_for_error(law.law.floor)
    with pytest.raises(ValueError, match="error must"):
        law.compute_for_error(law.at_zero_compute() + 0.1)
