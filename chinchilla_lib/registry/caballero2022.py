"""Caballero et al. (2022), *Broken neural scaling laws*: the one-break law of the authors'
noiseless simulation, and the 4-digit-addition data of their repository (its size only)."""

from __future__ import annotations

from types import MappingProxyType

from chinchilla_lib.registry._types import Constant, LawFamily, PublishedFit, Source

_CABALLERO_SIMULATION = Source(
    "caballero2022broken",
    "Authors' repository, fit_bnsl_and_extrapolate__4_digit_addition__dataset_size_x-axis__"
    "noiseless_simulation.py, ground truth (Figure 4 right)",
    "The one-break law the authors use to simulate the 4-digit-addition curve without noise "
    "(a_gt ... f1_gt in the script); printed there to 17 digits, rounded here to 5.")
_CABALLERO_SIMULATION_SPLIT = Source(
    "caballero2022broken",
    "Authors' repository, fit_bnsl_and_extrapolate__4_digit_addition__dataset_size_x-axis__"
    "noiseless_simulation.py, split_point",
    "The simulated x are the integers 1 to 4095; the script fits x[:split_point], i.e. x up to "
    "405 by default, and a commented line sets split_point = 390 'to see what failure looks "
    "like'.")
_CABALLERO_ADDITION = Source(
    "caballero2022broken",
    "Authors' repository, fit_bnsl_and_extrapolate__4_digit_addition__dataset_size_x-axis.py",
    "The 4-digit-addition points: 17 values of x and y typed into the script, split_point = "
    "14 (the first 14 fitted, the rest held out). The repository has no licence, so the "
    "points themselves are not copied here.")

FITS: tuple[PublishedFit, ...] = (
    PublishedFit("caballero2022/4-digit addition simulation",
                 "y = a + b x^-c0 (1 + (x / d1)^(1 / f1))^(-c1 f1)",
                 MappingProxyType({"a": 0.41388, "b": 2.2773, "c0": 0.055077, "c1": 5.6629,
                                   "d1": 612.58, "f1": 0.059193}),
                 "x, training-set size", "test cross-entropy", _CABALLERO_SIMULATION,
                 family=LawFamily.BROKEN_POWER_LAW),
)
"""The ground truth of the noiseless simulation (Figure 4, right): a the floor, b the scale,
c0 the first exponent, then the break's change of slope c1, position d1 and sharpness f1."""

CONSTANTS: tuple[Constant, ...] = (
    Constant("caballero_addition_points", 17.0, "points", _CABALLERO_ADDITION),
    Constant("caballero_addition_fitted", 14.0, "points", _CABALLERO_ADDITION),
    Constant("caballero_sim_split_default", 405.0, "last fitted x", _CABALLERO_SIMULATION_SPLIT),
    Constant("caballero_sim_split_failure", 390.0, "last fitted x", _CABALLERO_SIMULATION_SPLIT),
)
