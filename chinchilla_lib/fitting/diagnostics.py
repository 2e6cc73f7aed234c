"""Checks on a sweep: what the runs cannot tell, and which runs to train next.

:func:`diagnose_sweep` looks at a set of training runs (and, if given, a fit to them) and
returns one :class:`Diagnosis` per problem found: a stable ``code``, a ``message`` stating the
numbers, and ``advice`` saying what to train or change. The checks, in the order they are
reported:

``narrow-span-n``, ``narrow-span-d``, ``narrow-span-c``
    Model sizes N, token counts D or compute C span less than ``MIN_SPAN_DECADES``.
``too-few-sizes``
    An IsoFLOP budget holds fewer than ``MIN_SIZES_PER_BUDGET`` distinct model sizes.
``isoflop-no-minimum``
    An IsoFLOP curve does not dip and rise again (its parabola in log N opens downwards or
    is flat).
``isoflop-edge-minimum``
    An IsoFLOP curve's lowest loss is at its smallest or largest size, or its parabola's
    vertex lies outside the sizes run.
``off-centre-grid``
    The fitted N_opt at a budget lies far from the middle of that budget's sizes, in log N
    (``OFF_CENTRE_FRACTION``).
``flat-profile-alpha``, ``flat-profile-beta``
    The objective of Approach 3, profiled over alpha (or beta), is nearly flat: its profile
    interval at ``DEFAULT_LEVEL`` is wider than the estimate (``WIDE_INTERVAL_RATIO``).
``wide-interval-<name>``
    A bootstrap interval of an exponent (``alpha``, ``beta``, ``optimal_params_exponent``,
    ``optimal_tokens_exponent``) is wider than its estimate.
``e-above-lowest-loss``
    The fitted E exceeds the lowest loss observed.
``fit-at-bound``
    The fit ended on a bound: an exponent at or beyond the edge of the profile grid
    (``approach3.PROFILE_EXPONENTS``, where the search for starts stops), or E at its bound 0.
``fit-not-converged``
    The solver stopped before its convergence test was met.
``no-fit``
    No law could be fitted to the runs, so the checks that need one were skipped.

Runs grouped by budget (:class:`~chinchilla_lib.fitting.runs.IsoFlopRuns`) are checked as
IsoFLOP curves. Plain :class:`~chinchilla_lib.fitting.runs.Runs` are grouped by their compute
C = 6ND (values within ``SAME_BUDGET_RTOL`` are one budget) and checked as IsoFLOP curves when
every run shares its budget with another, as in a file of IsoFLOP runs (N, C, loss); other
designs (a grid of N and D, say) get no IsoFLOP checks.

The profile interval of an exponent is read from the least-squares objective of the log
residuals: for each (alpha, beta) on Approach 3's grid (``approach3.PROFILE_EXPONENTS``) the
constants (E, A, B) are solved for (variable projection), alpha's profile is the smallest
residual sum of squares RSS over beta (and beta's over alpha), and the interval holds the grid
values with n log(RSS / RSS_min) at most the chi-square quantile (one degree of freedom) at
``DEFAULT_LEVEL``, 3.84 at 95%: the likelihood-ratio interval for Gaussian noise on log loss,
to the grid's resolution (about 0.08).

:func:`warn_all` issues each diagnosis as a :class:`DiagnosisWarning` (the command line prints
them as ``warning: ...`` lines), and :func:`as_dicts` turns them into plain dictionaries for
``--json``.

Examples
--------
Three model sizes at each of two budgets a factor of three apart:

>>> import warnings
>>> from chinchilla_lib.laws import ChinchillaLaw
>>> from chinchilla_lib.simulate import simulate_isoflop_runs
>>> truth = ChinchillaLaw(1.8, 400.0, 1800.0, 0.34, 0.36)
>>> narrow = simulate_isoflop_runs(truth, [1e19, 3e19], sizes_per_budget=3, span=3.0,
...                                noise=0.005, seed=0, centre_error=0.0)
>>> found = diagnose_sweep(narrow)
>>> [d.code for d in found]
['narrow-span-n', 'narrow-span-d', 'narrow-span-c', 'too-few-sizes']
>>> print(found[0])  # doctest: +NORMALIZE_WHITESPACE
Model sizes N span 0.72 decades (1.46e+08 to 7.7e+08), under the 1 decade needed to tell
alpha and A from E. Add runs at N <= 7.7e+07 or N >= 1.46e+09, so that N spans at least
1 decade.

A well-designed sweep (four budgets over three decades, nine sizes each over a factor of
sixteen, centred on the optimum) raises none:

>>> good = simulate_isoflop_runs(truth, [1e18, 1e19, 1e20, 1e21], noise=0.005, seed=0,
...                              centre_error=0.0)
>>> diagnose_sweep(good)
[]

Issue them as warnings (the command line prints each as a ``warning: ...`` line), or turn
them into dictionaries for ``--json``:

>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     warn_all(found)
>>> len(caught), caught[0].category.__name__
(4, 'DiagnosisWarning')
>>> as_dicts(found)[3]["code"], as_dicts(found)[3]["budgets"]
('too-few-sizes', [1e+19, 3e+19])
"""

from __future__ import annotations

import math
import statistics
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from chinchilla_lib._validation import as_positive_array, check_instance
from chinchilla_lib.fitting._result import DEFAULT_LEVEL, DegenerateDataWarning, FitResult
from chinchilla_lib.fitting.runs import IsoFlopRuns, Runs, as_runs
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.laws.power import PowerLawFrontier

__all__ = [
    "MIN_SIZES_PER_BUDGET",
    "MIN_SPAN_DECADES",
    "OFF_CENTRE_FRACTION",
    "SAME_BUDGET_RTOL",
    "WIDE_INTERVAL_RATIO",
    "Diagnosis",
    "DiagnosisWarning",
    "as_dicts",
    "diagnose_sweep",
    "warn_all",
]

Array = NDArray[np.float64]

MIN_SPAN_DECADES = 1.0
"""Fewest decades that N, D and C should each span, smallest run to largest: a floor, not a
guarantee. Over a span of s decades the term A/N^alpha changes by a factor 10^(alpha s):
about 2.2 for alpha = 0.34 over one decade, and only 1.5 over half a decade. A different
alpha with E and A refitted mimics it closely: for Besiroglu et al.'s E, A and alpha from
N = 1e8, an alpha larger by 0.1 matches the curve to about 0.1% of loss over half a decade
and to about 0.3% over one (the course's computation), both below the per cent or so that
one run scatters (likewise beta with D). So one decade does not by itself separate the
exponents; below it, only very many runs could, and the flat-profile check measures what
the runs at hand do. Over C, a fitted frontier N_opt ~ C^a read off less than a decade of
compute is a slope through points too close to be told apart from their noise."""

MIN_SIZES_PER_BUDGET = 4
"""Fewest distinct model sizes an IsoFLOP budget should hold. Approach 2 fits a parabola in
log N (three coefficients) to each budget: through three sizes it passes exactly, leaving no
residual to show the noise or a misfit, and one noisy run can move its vertex anywhere; a
fourth size is the least that leaves a residual."""

OFF_CENTRE_FRACTION = 0.5
"""How far the fitted N_opt at a budget may lie from the middle of that budget's sizes, in
log N, as a fraction of the grid's half-width (the middle to the largest size), before the
grid counts as off-centre. Beyond half-way one arm of the valley holds fewer than a quarter of
the sizes: the parabola of Approach 2 is then fitted to one steep arm and its vertex is biased
(the loss is not symmetric in log N), and the minimum is within a grid step or two of an
edge, where one noisy run decides it."""

SAME_BUDGET_RTOL = 0.01
"""Relative tolerance within which the compute C = 6ND of plain runs counts as one budget: a
CSV's token counts rounded to three significant figures keep C within 0.1% of its budget,
while IsoFLOP budgets are set apart by factors of two or more."""

WIDE_INTERVAL_RATIO = 1.0
"""An interval of an exponent (bootstrap, or the profile interval of the Approach 3
objective) wider than this times the estimate says the data cannot pin the exponent down: at
1.0 the interval reaches from about half the estimate to one and a half times it, so even
the exponent's size is unknown."""

_EXPONENT_NAMES = ("alpha", "beta", "optimal_params_exponent", "optimal_tokens_exponent")


class DiagnosisWarning(UserWarning):
    """A problem :func:`diagnose_sweep` found in a sweep, issued by :func:`warn_all`: its
    text is the diagnosis's message and advice on one line."""


@dataclass(frozen=True)
class Diagnosis:
    """One problem found in a sweep.

    Attributes
    ----------
    code
        A short stable identifier (``"narrow-span-n"``, ``"off-centre-grid"``, ...; see the
        module's table), for scripts and ``--json``.
    message
        What is wrong, with the numbers.
    advice
        What to train or change.
    budgets
        The compute budgets (FLOPs) the problem concerns, for the per-budget checks; empty
        otherwise.
    """

    code: str
    message: str
    advice: str
    budgets: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        for name in ("code", "message", "advice"):
            check_instance(name, getattr(self, name), str)
        check_instance("budgets", self.budgets, tuple)
        budgets = as_positive_array("budgets", self.budgets) if self.budgets else np.empty(0)
        if budgets.ndim != 1:
            raise ValueError(f"budgets must be a flat tuple of FLOPs > 0; got shape "
                             f"{budgets.shape}")
        object.__setattr__(self, "budgets", tuple(float(b) for b in budgets))

    def __str__(self) -> str:
        return f"{self.message} {self.advice}"


def _fmt(value: float) -> str:
    return f"{value:.3g}"


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _sentence(text: str) -> str:
    """``text`` with a capital first letter and a full stop at the end."""
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def _diagnosis(code: str, message: str, advice: str,
               budgets: tuple[float, ...] = ()) -> Diagnosis:
    """A diagnosis whose message and advice read as sentences, so that ``message + " " +
    advice`` reads as one line."""
    return Diagnosis(code, _sentence(message), _sentence(advice), budgets)


# --- grouping by budget ---------------------------------------------------------------------

def _group_budgets(flops: Array) -> Array:
    """A budget for each run: runs whose C lies within ``SAME_BUDGET_RTOL`` of the smallest C
    of their group share the group's median C."""
    order = np.argsort(flops, kind="stable")
    labels = np.empty_like(flops)
    start = 0
    while start < order.size:
        stop = start + 1
        first = flops[order[start]]
        while stop < order.size and flops[order[stop]] <= first * (1.0 + SAME_BUDGET_RTOL):
            stop += 1
        members = order[start:stop]
        labels[members] = float(np.median(flops[members]))
        start = stop
    return labels


def _isoflop_groups(runs: Runs | IsoFlopRuns) -> list[tuple[float, NDArray[np.int64]]]:
    """(budget, indices of its runs) for each budget checked as an IsoFLOP curve: every budget
    of an IsoFlopRuns; for plain runs, their budgets when every run shares its budget with
    another (an IsoFLOP design throughout), and none otherwise (a grid of N and D whose
    diagonals happen to share a compute is not a set of IsoFLOP curves)."""
    if isinstance(runs, IsoFlopRuns):
        budget = runs.budget
    else:
        budget = _group_budgets(runs.flops)
        _, counts = np.unique(budget, return_counts=True)
        if counts.min() < 2:
            return []
    return [(float(value), np.flatnonzero(budget == value)) for value in np.unique(budget)]


# --- the checks -----------------------------------------------------------------------------

def _span_checks(runs: Runs) -> list[Diagnosis]:
    found = []
    for code, label, symbol, values, why in (
            ("narrow-span-n", "model sizes", "N", runs.n_params, "to tell alpha and A from E"),
            ("narrow-span-d", "token counts", "D", runs.n_tokens, "to tell beta and B from E"),
            ("narrow-span-c", "compute budgets", "C", runs.flops,
             "to fit how N_opt and D_opt grow with C")):
        low, high = float(values.min()), float(values.max())
        decades = math.log10(high / low)
        if decades >= MIN_SPAN_DECADES:
            continue
        factor = 10.0**MIN_SPAN_DECADES
        unit = " FLOPs" if symbol == "C" else ""
        found.append(_diagnosis(
            code,
            f"{label} {symbol} span {decades:.2f} decades ({_fmt(low)} to {_fmt(high)}{unit}), "
            f"under the {MIN_SPAN_DECADES:g} decade needed {why}",
            f"add runs at {symbol} <= {_fmt(high / factor)} or {symbol} >= "
            f"{_fmt(low * factor)}{unit}, so that {symbol} spans at least "
            f"{MIN_SPAN_DECADES:g} decade"))
    return found


def _grid_step(sizes: Array) -> float:
    """The median ratio between neighbouring distinct sizes of a budget (2 if only one)."""
    ratios = sizes[1:] / sizes[:-1]
    return float(np.median(ratios)) if ratios.size else 2.0


def _isoflop_checks(runs: Runs | IsoFlopRuns, law_n_opt) -> list[Diagnosis]:
    """Too few sizes, no interior minimum, a minimum at an edge and off-centre grids, each
    reported once over all the budgets it concerns."""
    from chinchilla_lib.fitting.approaches12 import _parabola_vertices

    plain = as_runs(runs)
    few, flat, edge, off = [], [], [], []
    for budget, members in _isoflop_groups(runs):
        n = plain.n_params[members]
        sizes = np.unique(n)
        if sizes.size < MIN_SIZES_PER_BUDGET:
            few.append((budget, sizes.size))
        if sizes.size < 3:
            continue
        x, loss = np.log(n), plain.loss[members]
        low, high = float(sizes[0]), float(sizes[-1])
        step = _grid_step(sizes)
        vertex = float(_parabola_vertices(x, loss))
        best = float(n[np.argmin(loss)])
        if not math.isfinite(vertex):
            flat.append((budget, low, high, step))
        elif best in (low, high) or not math.log(low) <= vertex <= math.log(high):
            at_small = best == low if best in (low, high) else vertex < math.log(low)
            edge.append((budget, low, high, step, at_small))
        if law_n_opt is not None:
            with np.errstate(all="ignore"):
                n_opt = float(law_n_opt(budget))
            if math.isfinite(n_opt) and n_opt > 0:
                middle = 0.5 * (math.log10(low) + math.log10(high))
                half = 0.5 * math.log10(high / low)
                offset = math.log10(n_opt) - middle
                if abs(offset) > OFF_CENTRE_FRACTION * half:
                    off.append((budget, low, high, n_opt, offset, half))
    found = []
    if few:
        listed = "; ".join(f"{count} at C = {b:.3g}" for b, count in few)
        found.append(_diagnosis(
            "too-few-sizes",
            f"{_count(len(few), 'budget')} {'holds' if len(few) == 1 else 'hold'} fewer "
            f"than {MIN_SIZES_PER_BUDGET} distinct model sizes ({listed}): a parabola in "
            f"log N has three coefficients, so through three sizes it passes exactly, with no "
            f"residual to show the noise, and one noisy run moves its vertex anywhere",
            f"train at least {MIN_SIZES_PER_BUDGET} sizes per budget (more is better), spread "
            f"log-evenly around the expected optimum",
            tuple(b for b, _ in few)))
    if flat:
        listed = "; ".join(f"C = {b:.3g} (N {_fmt(lo)} to {_fmt(hi)})" for b, lo, hi, _ in flat)
        found.append(_diagnosis(
            "isoflop-no-minimum",
            f"at {_count(len(flat), 'budget')} the loss does not dip and rise again with N (the "
            f"parabola in log N opens downwards or is flat): {listed}",
            "re-run these budgets with sizes spread over a wider range around the expected "
            "optimum (at least a factor of ten from smallest to largest), and check that the "
            "runs at a budget were trained alike",
            tuple(b for b, *_ in flat)))
    if edge:
        parts, advice = [], []
        for budget, low, high, step, at_small in edge:
            side = "smallest" if at_small else "largest"
            parts.append(f"C = {budget:.3g}: at the {side} size (N {_fmt(low)} to "
                         f"{_fmt(high)})")
            extra = (f"N = {_fmt(low / step)} and {_fmt(low / step**2)}" if at_small else
                     f"N = {_fmt(high * step)} and {_fmt(high * step**2)}")
            advice.append(f"at C = {budget:.3g} add {extra}")
        found.append(_diagnosis(
            "isoflop-edge-minimum",
            f"at {_count(len(edge), 'budget')} the lowest loss (or the parabola's vertex) "
            f"lies at an edge of the sizes run, so the minimum is not bracketed: "
            + "; ".join(parts),
            "extend each grid past its minimum: " + "; ".join(advice),
            tuple(e[0] for e in edge)))
    if off:
        parts, advice = [], []
        for budget, low, high, n_opt, offset, half in off:
            parts.append(f"C = {budget:.3g}: N_opt = {_fmt(n_opt)} is {abs(offset):.2f} "
                         f"decades {'above' if offset > 0 else 'below'} the grid's middle "
                         f"(N {_fmt(low)} to {_fmt(high)}, half-width {half:.2f} decades)")
            ratio = math.sqrt(high / low)
            advice.append(f"at C = {budget:.3g} centre on N = {_fmt(n_opt)} (N "
                          f"{_fmt(n_opt / ratio)} to {_fmt(n_opt * ratio)})")
        found.append(_diagnosis(
            "off-centre-grid",
            f"at {_count(len(off), 'budget')} the fitted optimum lies more than "
            f"{OFF_CENTRE_FRACTION:g} of the way from the middle of the sizes run to an edge "
            f"(in log N), where the parabola of Approach 2 is biased and one arm of the valley "
            f"is barely sampled: " + "; ".join(parts),
            "centre the grids on the fitted optimum, keeping their span: " + "; ".join(advice),
            tuple(o[0] for o in off)))
    return found


def _profile_interval_level_threshold(level: float) -> float:
    """The chi-square (one degree of freedom) quantile at ``level``: z^2, z the normal
    quantile at (1 + level) / 2 (3.84 at 0.95)."""
    return statistics.NormalDist().inv_cdf(0.5 + 0.5 * level) ** 2


def _profile_checks(runs: Runs, theta: Array | None) -> list[Diagnosis]:
    """Profile the least-squares objective of log residuals over alpha and over beta on the
    Approach 3 profile grid (the constants solved for each exponent pair); the likelihood-
    ratio interval is {exponent : n log(RSS(exponent) / RSS_min) <= chi2_1(DEFAULT_LEVEL)}."""
    from chinchilla_lib.fitting.approach3 import PROFILE_EXPONENTS, _lse_terms, _profile

    if len(runs) <= 5:
        return []
    data = (np.log(runs.n_params), np.log(runs.n_tokens), np.log(runs.loss))
    with np.errstate(all="ignore"):
        starts = _profile(data, PROFILE_EXPONENTS)
        rss = ((data[2] - _lse_terms(starts, data[0], data[1])[4]) ** 2).sum(axis=1)
        best_rss = float(np.nanmin(np.where(np.isfinite(rss), rss, np.inf)))
        if theta is not None:
            at_fit = ((data[2] - _lse_terms(theta[None, :].copy(), data[0], data[1])[4]) ** 2
                      ).sum()
            if np.isfinite(at_fit):
                best_rss = min(best_rss, float(at_fit))
    if not math.isfinite(best_rss):
        return []
    floor = max(best_rss, 1e-30)
    grid = rss.reshape(PROFILE_EXPONENTS.size, PROFILE_EXPONENTS.size)
    threshold = _profile_interval_level_threshold(DEFAULT_LEVEL)
    found = []
    for axis, name, symbol, values in ((1, "alpha", "N", runs.n_params),
                                       (0, "beta", "D", runs.n_tokens)):
        profile = np.where(np.isfinite(grid), grid, np.inf).min(axis=axis)
        with np.errstate(all="ignore"):
            statistic = len(runs) * np.log(np.maximum(profile, floor) / floor)
        inside = PROFILE_EXPONENTS[statistic <= threshold]
        if inside.size == 0:
            continue
        estimate = float(theta[3 if name == "alpha" else 4]) if theta is not None else \
            float(PROFILE_EXPONENTS[np.argmin(profile)])
        low, high = float(inside.min()), float(inside.max())
        if high - low <= WIDE_INTERVAL_RATIO * abs(estimate):
            continue
        found.append(_diagnosis(
            f"flat-profile-{name}",
            f"the Approach 3 objective is nearly flat in {name}: every {name} from "
            f"{low:.2f} to {high:.2f} fits within the {DEFAULT_LEVEL:.0%} profile interval "
            f"(estimate {estimate:.3g}), so the runs cannot separate {name} from the other "
            f"constants",
            f"add runs at {_widen(symbol, values)}, with losses still falling, and spread "
            f"each budget's sizes over a wider range"))
    return found


def _widen(symbol: str, values: Array) -> str:
    """Advice to extend a range by half a decade at each end, with the numbers."""
    low, high = float(values.min()), float(values.max())
    return (f"{symbol} <= {_fmt(low / 10.0**0.5)} and {symbol} >= {_fmt(high * 10.0**0.5)} "
            f"(now {_fmt(low)} to {_fmt(high)})")


def _interval_checks(runs: Runs, fit: FitResult) -> list[Diagnosis]:
    """Bootstrap intervals of the exponents wider than ``WIDE_INTERVAL_RATIO`` times the
    estimate, with the ranges to widen: N for alpha, D for beta, C for the allocation
    exponents (N_opt ~ C^a, D_opt ~ C^b)."""
    where = {"alpha": ("N", runs.n_params), "beta": ("D", runs.n_tokens),
             "optimal_params_exponent": ("C", runs.flops),
             "optimal_tokens_exponent": ("C", runs.flops)}
    found = []
    estimates = fit.estimates
    for name in _EXPONENT_NAMES:
        if name not in fit.samples or name not in estimates:
            continue
        replicates = np.asarray(fit.samples[name])
        if not np.isfinite(replicates).any():
            continue
        interval = fit.interval(name, DEFAULT_LEVEL)
        if interval.width <= WIDE_INTERVAL_RATIO * abs(interval.estimate):
            continue
        found.append(_diagnosis(
            f"wide-interval-{name}",
            f"the {DEFAULT_LEVEL:.0%} bootstrap interval of {name} is ({interval.low:.3g}, "
            f"{interval.high:.3g}), {interval.width:.3g} wide against an estimate of "
            f"{interval.estimate:.3g}: the data do not pin it down",
            f"add runs at {_widen(*where[name])}, with losses still falling, and more sizes "
            f"per budget, then refit"))
    return found


def _law_checks(runs: Runs, fit: FitResult) -> list[Diagnosis]:
    """E above the lowest loss, a fit on a bound, and a solver that did not converge."""
    from chinchilla_lib.fitting.approach3 import E_AT_BOUND, PROFILE_EXPONENTS

    found = []
    law = fit.law
    lowest = float(runs.loss.min())
    if isinstance(law, ChinchillaLaw):
        if law.e > lowest:
            where = int(np.argmin(runs.loss))
            found.append(_diagnosis(
                "e-above-lowest-loss",
                f"the fitted E = {law.e:.4g} nats per token is above the lowest loss observed, "
                f"{lowest:.4g} (N = {_fmt(runs.n_params[where])}, D = "
                f"{_fmt(runs.n_tokens[where])}): the law says no model could reach a loss a run "
                f"already reached",
                f"refit with E bounded below {lowest:.4g}, or add larger and longer runs that "
                f"show where the loss levels off"))
        edges = (float(PROFILE_EXPONENTS[0]), float(PROFILE_EXPONENTS[-1]))
        bounds, advice = [], []
        for name, value, symbol in (("alpha", law.alpha, "N"), ("beta", law.beta, "D")):
            if value <= edges[0] or value >= edges[1]:
                bounds.append(f"{name} = {value:.3g}, at or beyond the edge of the exponent "
                              f"grid [{edges[0]:g}, {edges[1]:g}] searched for starts, so "
                              f"the search did not bracket it")
                advice.append(f"add runs over a wider range of {symbol} (language-model "
                              f"exponents lie well inside the grid: one at its edge usually "
                              f"means the {symbol} term is not pinned down)")
        if law.e < E_AT_BOUND * lowest:
            bounds.append(f"E = {law.e:.3g}, at its bound 0 (below {E_AT_BOUND:g} of the "
                          f"lowest loss): the runs do not show the loss levelling off")
            advice.append("add larger and longer runs, where the loss flattens")
        if bounds:
            found.append(_diagnosis("fit-at-bound",
                                    "the fit ended on a bound: " + "; ".join(bounds),
                                    "; ".join(advice) + "; then refit"))
    if not fit.converged:
        found.append(_diagnosis(
            "fit-not-converged",
            f"the solver stopped before converging: {fit.message}",
            "refit with more iterations or from other starts, and check the design "
            "warnings above"))
    return found


def _n_opt(fit: FitResult | None):
    """A function C -> N_opt from the fitted law, or None."""
    if fit is None:
        return None
    law = fit.law
    if isinstance(law, ChinchillaLaw):
        return lambda c: law.compute_optimal(c).n_params
    if isinstance(law, PowerLawFrontier):
        return lambda c: law.n_opt(c)
    return None


def diagnose_sweep(runs: Runs | IsoFlopRuns, fit: FitResult | None = None, *,
                   refit: bool = True) -> list[Diagnosis]:
    """Check a sweep of training runs, and a fit to it, for what they cannot tell.

    Parameters
    ----------
    runs
        The runs (N all parameters, D tokens, final loss in nats per token), or an IsoFLOP
        design holding them with their budgets. Plain runs are grouped by compute C = 6ND
        (within ``SAME_BUDGET_RTOL``), and checked as IsoFLOP curves when every run shares
        its budget with another.
    fit
        A fit to these runs: an Approach 3 fit (its law a
        :class:`~chinchilla_lib.laws.chinchilla.ChinchillaLaw`) or an Approach 1 or 2 fit (a
        :class:`~chinchilla_lib.laws.power.PowerLawFrontier`). Its law gives N_opt for the
        off-centre check, its E and exponents the bound checks, and its bootstrap samples (if
        any) the interval check.
    refit
        When ``fit`` is None, fit Approach 3 to the runs (no bootstrap, its own warnings
        silenced: the diagnoses say the same and what to do) for the checks that need a law;
        False skips those checks.

    Returns
    -------
    list of Diagnosis
        In the order of the module's table; empty when nothing is wrong.

    Raises
    ------
    ValueError
        If ``runs`` is not Runs or IsoFlopRuns (naming it), or ``fit`` not a fit result.
    """
    plain = as_runs(runs)
    if fit is not None and not isinstance(fit, FitResult):
        raise ValueError(f"fit must be a fit result (FitResult, e.g. from fit_approach3) or "
                         f"None; got {type(fit).__name__}")
    if not isinstance(refit, bool):
        raise ValueError(f"refit must be True or False; got {refit!r}")
    found = _span_checks(plain)
    no_fit = None
    if fit is None and refit:
        from chinchilla_lib.fitting.approach3 import fit_approach3

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DegenerateDataWarning)
                fit = fit_approach3(plain)
        except ValueError as error:
            no_fit = _diagnosis("no-fit", f"no law could be fitted to the runs: {error}",
                               "fix the design as the message says; the checks that need a "
                               "fitted law (off-centre grids, E, bounds) were skipped")
    found += _isoflop_checks(runs, _n_opt(fit))
    theta = getattr(fit, "theta", None) if isinstance(getattr(fit, "law", None),
                                                      ChinchillaLaw) else None
    if isinstance(theta, np.ndarray) and theta.shape != (5,):
        theta = None
    found += _profile_checks(plain, theta)
    if fit is not None:
        found += _interval_checks(plain, fit)
        found += _law_checks(plain, fit)
    if no_fit is not None:
        found.append(no_fit)
    return found


def _check_diagnoses(diagnoses: object) -> list[Diagnosis]:
    if isinstance(diagnoses, Diagnosis) or not isinstance(diagnoses, Iterable) or \
            isinstance(diagnoses, str | bytes | np.ndarray):
        raise ValueError(f"diagnoses must be a list of Diagnosis (from diagnose_sweep); got "
                         f"{type(diagnoses).__name__}")
    items = list(diagnoses)
    for item in items:
        if not isinstance(item, Diagnosis):
            raise ValueError(f"diagnoses must hold only Diagnosis objects; got "
                             f"{type(item).__name__}")
    return items


def warn_all(diagnoses: Iterable[Diagnosis], stacklevel: int = 2) -> None:
    """Issue each diagnosis as a :class:`DiagnosisWarning`, its message and advice on one
    line (``message + " " + advice``).

    Parameters
    ----------
    diagnoses
        Diagnoses, as :func:`diagnose_sweep` returns them.
    stacklevel
        Passed to :func:`warnings.warn` (>= 1): 2 points at the caller of ``warn_all``.
    """
    items = _check_diagnoses(diagnoses)
    if isinstance(stacklevel, bool) or not isinstance(stacklevel, int) or stacklevel < 1:
        raise ValueError(f"stacklevel must be a whole number >= 1; got {stacklevel!r}")
    for item in items:
        warnings.warn(str(item), DiagnosisWarning, stacklevel=stacklevel)


def as_dicts(diagnoses: Iterable[Diagnosis]) -> list[dict[str, object]]:
    """The diagnoses as plain dictionaries (``code``, ``message``, ``advice``, ``budgets``),
    ready for ``json.dumps``."""
    return [{"code": d.code, "message": d.message, "advice": d.advice,
             "budgets": list(d.budgets)} for d in _check_diagnoses(diagnoses)]
