"""Fitting speed: a 1,000-resample bootstrap of a 50-point power-law fit (bar: 2 s)."""

from __future__ import annotations

import sys

import numpy as np
from _common import median_seconds, report

from chinchilla_lib.fitting.power import fit_power_law, fit_saturating_power_law
from chinchilla_lib.laws.power import PowerLaw, SaturatingPowerLaw
from chinchilla_lib.simulate.runs import noisy_samples


def main() -> int:
    x = np.geomspace(1e6, 1e10, 50)
    y = noisy_samples(PowerLaw(1000.0, -0.3), x, 0.05, seed=0)
    y_floor = noisy_samples(SaturatingPowerLaw(1.7, 400.0, -0.3), x, 0.01, seed=0)
    fit_saturating_power_law(x, y_floor)  # import SciPy before timing
    figures = {
        "power law, 50 points, 1000 bootstraps": median_seconds(
            lambda: fit_power_law(x, y, bootstrap=1000, seed=1), repeat=10),
        "power law in linear space, 50 points": median_seconds(
            lambda: fit_power_law(x, y, method="linear"), repeat=10),
        "with a floor, 50 points, 200 bootstraps": median_seconds(
            lambda: fit_saturating_power_law(x, y_floor, bootstrap=200, seed=1), repeat=3),
    }
    return report("fitting", figures, {"power law, 50 points, 1000 bootstraps": 2.0})


if __name__ == "__main__":
    sys.exit(main())
