"""Approach 2's hidden bias, measured on sweeps simulated from a planted law.

A parabola in log N fitted to an IsoFLOP curve of E + A/N^alpha + B/D^beta puts its vertex
beside the true optimum: the curve is not a parabola, and is lopsided unless alpha = beta, so
the vertex moves with where the sizes were placed. Czech et al. (2026) show the effect on
noise-free surfaces, for grids of different widths, off-centre grids and unequal exponents.
:func:`offset_isoflop_runs` places every budget's grid a fixed number of decades off the true
optimum (``offset``), optionally drifting with the budget (``drift``, decades per decade of
compute); :func:`approach2_bias` fits such sweeps by Approach 2 and by the exact IsoFLOP law
(:func:`~chinchilla_lib.fitting.isoflop.fit_isoflop_law`) and reports the error of each in
N_opt at a budget beyond the sweep and in the allocation exponent a.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import factorial

import numpy as np
from numpy.typing import ArrayLike, NDArray

from chinchilla_lib._validation import (
    as_finite_array,
    as_positive_array,
    check_instance,
    check_nonnegative,
    check_positive_int,
    single,
)
from chinchilla_lib.fitting.runs import IsoFlopRuns, Runs
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.quantities import FLOPS_PER_PARAM_TOKEN
from chinchilla_lib.simulate._limits import check_count, check_mode, check_seed
from chinchilla_lib.simulate.runs import ISOFLOP_SIZES, ISOFLOP_SPAN, noisy_samples_array

__all__ = ["FRONTIER_FLOPS", "MAX_BIAS_REPEATS", "MAX_OFFSET", "Approach2Bias",
           "approach2_bias", "centred_vertex_error", "offset_isoflop_runs"]

Array = NDArray[np.float64]

FRONTIER_FLOPS = 1e24
"""The budget, FLOPs, at which :func:`approach2_bias` reads N_opt: a frontier run, beyond the
sweeps it fits."""
MAX_OFFSET = 3.0
"""Largest grid offset, in decades (a factor of 1,000 from the optimum), and largest drift."""
MAX_BIAS_REPEATS = 1000
"""Most simulated sweeps one :func:`approach2_bias` call fits."""


def _check_offset(name: str, value: float) -> float:
    x = single(name, as_finite_array(name, value))
    if abs(x) > MAX_OFFSET:
        raise ValueError(f"{name} must lie in [-{MAX_OFFSET:g}, {MAX_OFFSET:g}] decades; "
                         f"got {value!r}")
    return float(x)


def offset_isoflop_runs(law: ChinchillaLaw, budgets: ArrayLike, *, offset: float = 0.0,
                        drift: float = 0.0, sizes_per_budget: int = ISOFLOP_SIZES,
                        span: float = ISOFLOP_SPAN, noise: float = 0.0,
                        seed: int = 0) -> IsoFlopRuns:
    """IsoFLOP runs whose grids sit a planned distance off the law's optimum.

    At budget C the sizes are spread log-evenly over a factor ``span``, centred (in logs) on
    N_opt(C) x 10^(offset + drift x log10(C / C_min)), C_min the smallest budget: a fixed
    offset, or one that grows with the budget, as when each grid is centred on a guess
    extrapolated from the smaller budgets.

    Parameters
    ----------
    law
        The planted law (a :class:`~chinchilla_lib.laws.chinchilla.ChinchillaLaw`).
    budgets
        Compute budgets, FLOPs (> 0).
    offset
        Decades between each grid's centre and the true optimum at the smallest budget, in
        [-3, 3] (positive: larger models than optimal).
    drift
        Decades added to the offset per decade of compute above the smallest budget, in
        [-3, 3].
    sizes_per_budget
        Model sizes per budget (>= 3).
    span
        Ratio of the largest to the smallest size at a budget (> 1).
    noise
        Standard deviation of log loss (>= 0); 0 for the noise-free surface.
    seed
        Seed of the noise (whole number >= 0).
    """
    check_instance("law", law, ChinchillaLaw)
    c = as_positive_array("budgets", budgets).reshape(-1)
    count = check_positive_int("sizes_per_budget", sizes_per_budget, minimum=3)
    check_count("len(budgets) * sizes_per_budget", c.size * count)
    ratio = single("span", as_positive_array("span", span))
    if not ratio > 1:
        raise ValueError(f"span must be finite and > 1; got {span!r}")
    shift = _check_offset("offset", offset)
    slope = _check_offset("drift", drift)
    sigma = single("noise", check_nonnegative("noise", noise))
    seed = check_seed(seed)
    centre = np.asarray(law.compute_optimal(c).n_params).reshape(-1)
    centre = centre * 10.0 ** (shift + slope * np.log10(c / c.min()))
    n = (centre[:, None] * np.geomspace(ratio**-0.5, ratio**0.5, count)[None, :]).ravel()
    budget = np.repeat(c, count)
    d = budget / (FLOPS_PER_PARAM_TOKEN * n)
    if not (np.all(np.isfinite(n)) and np.all(np.isfinite(d)) and np.all(n > 0)
            and np.all(d > 0)):
        raise ValueError("budgets, offset and span give model sizes or token counts beyond "
                         "float range")
    loss = law.loss(n, d)
    if sigma > 0:
        loss = noisy_samples_array(loss, sigma, seed)
    return IsoFlopRuns(Runs(n, d, np.asarray(loss, dtype=float)), budget)


def centred_vertex_error(law: ChinchillaLaw, *, sizes_per_budget: int = ISOFLOP_SIZES,
                         span: float = ISOFLOP_SPAN) -> float:
    """Approach 2's relative error in N_opt on a noise-free grid centred on the optimum, to
    leading order in the grid's width: exp(-(beta - alpha) m4 / (6 m2)) - 1.

    In x = log N about the optimum the IsoFLOP loss is A' e^(-alpha x) + B' e^(beta x) plus
    a constant; at its minimum the second and third derivatives are K (alpha + beta) and
    K (alpha + beta)(beta - alpha), K > 0. A least-squares parabola through a grid placed
    symmetrically about the minimum takes the cubic term's projection onto x as a slope, which
    moves the vertex by -(beta - alpha) m4 / (6 m2) in log N, with m2 and m4 the grid's second
    and fourth moments of x. The shift is the same at every budget, so N_opt is off by the
    same factor at any budget the frontier is read at, and a is unchanged. It vanishes when
    alpha = beta and grows with the square of the grid's width.
    :func:`~chinchilla_lib.symbolic.approach2_vertex_shift` derives the leading term in sympy.

    Parameters
    ----------
    law
        The planted law (a :class:`~chinchilla_lib.laws.chinchilla.ChinchillaLaw`).
    sizes_per_budget
        Model sizes per budget, spread log-evenly (>= 3).
    span
        Ratio of the largest to the smallest size (> 1).

    Examples
    --------
    >>> from chinchilla_lib.laws import ChinchillaLaw
    >>> law = ChinchillaLaw.from_registry("besiroglu2024/refit")
    >>> print(f"{centred_vertex_error(law):+.2%}")
    -0.43%
    """
    check_instance("law", law, ChinchillaLaw)
    count = check_positive_int("sizes_per_budget", sizes_per_budget, minimum=3)
    check_count("sizes_per_budget", count)
    ratio = single("span", as_positive_array("span", span))
    if not ratio > 1:
        raise ValueError(f"span must be finite and > 1; got {span!r}")
    x = np.linspace(-0.5, 0.5, count) * np.log(ratio)
    # The cubic term of the Taylor series, f'''(0) x^3 / 3!, projected on the slope.
    shift = -(law.beta - law.alpha) * np.sum(x**4) / (factorial(3) * np.sum(x**2))
    return float(np.expm1(shift))


@dataclass(frozen=True)
class Approach2Bias:
    """Approach 2 and the exact IsoFLOP law, fitted to the same simulated sweeps.

    Attributes
    ----------
    offset, drift, noise
        The sweeps' grid offset and drift (decades) and noise (standard deviation of log L).
    at_flops
        The budget, FLOPs, at which N_opt is read.
    true_n_opt, true_a
        The planted law's N_opt there (parameters) and its allocation exponent a.
    parabola_n_opt, law_n_opt
        N_opt at ``at_flops`` from each sweep's Approach 2 fit and exact-law fit.
    parabola_a, law_a
        The exponent a of each fit, per sweep.
    """

    offset: float
    drift: float
    noise: float
    at_flops: float
    true_n_opt: float
    true_a: float
    parabola_n_opt: Array
    law_n_opt: Array
    parabola_a: Array
    law_a: Array

    @staticmethod
    def _ratio_error(values: Array, truth: float) -> float:
        return float(np.exp(np.mean(np.log(values / truth))) - 1.0)

    @property
    def parabola_n_error(self) -> float:
        """Approach 2's relative error in N_opt: geometric mean of N / N_true, less 1."""
        return self._ratio_error(self.parabola_n_opt, self.true_n_opt)

    @property
    def law_n_error(self) -> float:
        """The exact-law fit's relative error in N_opt (geometric mean, less 1)."""
        return self._ratio_error(self.law_n_opt, self.true_n_opt)

    @property
    def parabola_a_error(self) -> float:
        """Approach 2's mean error in a (estimate less truth)."""
        return float(np.mean(self.parabola_a) - self.true_a)

    @property
    def law_a_error(self) -> float:
        """The exact-law fit's mean error in a (estimate less truth)."""
        return float(np.mean(self.law_a) - self.true_a)

    def log_n_standard_error(self, method: str) -> float:
        """Standard error of the mean of log(N / N_true) over the sweeps, for ``method``
        ``"parabola"`` or ``"law"``: how far the mean error could lie from the bias by chance
        (0 for noise-free sweeps; NaN for a single sweep)."""
        if method not in ("parabola", "law"):
            raise ValueError(f"method must be 'parabola' or 'law'; got {method!r}")
        values = np.log((self.parabola_n_opt if method == "parabola" else self.law_n_opt)
                        / self.true_n_opt)
        if values.size < 2:
            return float("nan")
        return float(np.std(values, ddof=1) / np.sqrt(values.size))


def approach2_bias(law: ChinchillaLaw, budgets: ArrayLike, *, offset: float = 0.0,
                   drift: float = 0.0, noise: float = 0.0, repeats: int = 1,
                   at_flops: float = FRONTIER_FLOPS, sizes_per_budget: int = ISOFLOP_SIZES,
                   span: float = ISOFLOP_SPAN, first_seed: int = 0,
                   out_of_range: str = "drop") -> Approach2Bias:
    """Fit sweeps from ``law`` by Approach 2 and by the exact IsoFLOP law; compare with the
    truth at ``at_flops``.

    Approach 2 is :func:`~chinchilla_lib.fitting.approaches12.fit_approach2` (a parabola in
    log N per budget, vertices outside the sizes run dropped); the exact law is
    :func:`~chinchilla_lib.fitting.isoflop.fit_isoflop_law`. Without noise one sweep shows the
    methods' bias; with noise, the errors are averaged over ``repeats`` sweeps (seeds
    ``first_seed`` onwards), so that what remains is bias, not scatter.

    Parameters
    ----------
    law
        The planted law (a :class:`~chinchilla_lib.laws.chinchilla.ChinchillaLaw`).
    budgets
        The sweep's budgets, FLOPs (> 0, at least 2).
    offset, drift, sizes_per_budget, span, noise
        As for :func:`offset_isoflop_runs`.
    repeats
        Sweeps to simulate and fit, in [1, 1000].
    at_flops
        Budget at which N_opt is compared, FLOPs (> 0); by default 1e24.
    first_seed
        Seed of the first sweep's noise (whole number >= 0).
    out_of_range
        Passed to :func:`~chinchilla_lib.fitting.approaches12.fit_approach2`: ``"drop"``
        (its default) leaves out vertices outside the sizes run, ``"keep"`` keeps them.

    Returns
    -------
    Approach2Bias
        Each method's N_opt and a per sweep, with their errors.
    """
    from chinchilla_lib.fitting.approaches12 import OUT_OF_RANGE, fit_approach2
    from chinchilla_lib.fitting.isoflop import fit_isoflop_law

    check_instance("law", law, ChinchillaLaw)
    check_mode("out_of_range", out_of_range, OUT_OF_RANGE)
    count = check_positive_int("repeats", repeats)
    if count > MAX_BIAS_REPEATS:
        raise ValueError(f"repeats must be a whole number in [1, {MAX_BIAS_REPEATS:,}]; "
                         f"got {count:,}")
    c = single("at_flops", as_positive_array("at_flops", at_flops))
    first_seed = check_seed(first_seed)
    sweeps = [offset_isoflop_runs(law, budgets, offset=offset, drift=drift,
                                  sizes_per_budget=sizes_per_budget, span=span, noise=noise,
                                  seed=first_seed + s) for s in range(count)]
    if np.unique(sweeps[0].budget).size < 2:
        raise ValueError("budgets must hold at least 2 distinct budgets")
    parabola = [fit_approach2(sweep, out_of_range=out_of_range) for sweep in sweeps]
    exact = [fit_isoflop_law(sweep) for sweep in sweeps]
    return Approach2Bias(
        float(offset), float(drift), float(noise), c,
        float(law.compute_optimal(c).n_params), law.optimal_params_exponent,
        np.array([float(f.n_opt(c)) for f in parabola]),
        np.array([float(f.n_opt(c)) for f in exact]),
        np.array([f.optimal_params_exponent for f in parabola]),
        np.array([f.estimates["optimal_params_exponent"] for f in exact]))
