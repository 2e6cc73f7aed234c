"""The compute-allocation challenge: spend a FLOP budget on training runs of your choice, fit,
predict the compute-optimal model size and loss at ten times your largest run, and be graded
against the course's reference sweep.

* :class:`ReferenceSweep`: the reference IsoFLOP runs (budget, width, N, D, loss) and the
  language's entropy rate; :meth:`ReferenceSweep.optimum` gives the reference compute-optimal N
  and loss at a budget, interpolated between its IsoFLOP minima (or extrapolated by its fitted
  frontier, and then said to be).
* :class:`ChallengeSession`: the experiment budget (:data:`DEFAULT_BUDGET` FLOPs), a trainer
  (the real :func:`~chinchilla_lib.experiment.trainer.train` by default, or a
  :class:`ReplayTrainer` that returns reference runs instantly), the runs trained so far, and
  the learner's prediction.
* :func:`predict_optimum`: a prediction from runs by Approach 2 or 3 (Chapter 4's fitters).
* :func:`grade`: how far a prediction is from the reference, and why, in words a learner can
  act on (:data:`DIAGNOSES`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from os import PathLike

import numpy as np
from numpy.typing import NDArray

from chinchilla_lib._validation import check_instance, check_positive_int, check_positive_real
from chinchilla_lib.experiment.language import DEFAULT_LANGUAGE, ToyLanguage
from chinchilla_lib.experiment.sweep import SWEEP_BUDGETS, plan_sweep, tokens_for_budget
from chinchilla_lib.experiment.trainer import BATCH_SIZE, TrainingRun, train
from chinchilla_lib.fitting._table import read_table
from chinchilla_lib.fitting.approach3 import fit_approach3
from chinchilla_lib.fitting.approaches12 import fit_approach2, isoflop_minima
from chinchilla_lib.fitting.power import log_ols
from chinchilla_lib.fitting.runs import IsoFlopRuns, Runs
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.laws.power import PowerLaw
from chinchilla_lib.quantities import next_token_model_parameters, training_flops
from chinchilla_lib.simulate.runs import noisy_samples_array

__all__ = [
    "APPROACHES",
    "BUDGET_TOLERANCE",
    "DEFAULT_BUDGET",
    "DIAGNOSES",
    "MIN_BUDGETS",
    "MIN_BUDGET_RANGE",
    "MIN_SIZE_SPAN",
    "ONE_RUN_SHARE",
    "SIMULATED_LAW",
    "TARGET_FACTOR",
    "BudgetExceededError",
    "ChallengeSession",
    "Diagnosis",
    "Grade",
    "Optimum",
    "Prediction",
    "RealTrainer",
    "ReferenceSweep",
    "ReplayTrainer",
    "Trainer",
    "diagnose",
    "grade",
    "isoflop_grid",
    "isoflop_optima",
    "play_design",
    "predict_optimum",
        "select_design",
    "simulated_reference",
]

DEFAULT_BUDGET = 3e11
"""The learner's experiment budget, FLOPs. Measured on one core of the course's (shared)
machine: 31 runs spending 2.75e11 FLOPs on IsoFLOP lines at 1e9 to 3e10 trained in 19 s;
narrow models cost more time per FLOP (per-token work dominates), so the same budget spent on
them takes longer, up to about a minute. It keeps ten times a learner's largest run (at most
3e12 FLOPs, usually 3e11) near the reference sweep's budgets (1e10 to 1e12)."""
TARGET_FACTOR = 10.0
"""The prediction is asked at this many times the learner's largest run, FLOPs."""
APPROACHES = ("2", "3")
"""Approaches :func:`predict_optimum` offers: IsoFLOP parabolas, or the fitted law."""
MIN_BUDGETS = 3
"""Fewer IsoFLOP budgets with a usable parabola than this cannot check a power law's
straightness (two points always lie on a line)."""
MIN_SIZE_SPAN = 3.0
"""Smallest ratio of largest to smallest model (N) at a budget that shows a valley clearly:
three neighbouring widths of the sweep's sqrt(2) grid span a factor of about 2 and fall
short; five span about 4. The reference sweep spans about 13."""
MIN_BUDGET_RANGE = 10.0
"""Smallest ratio of largest to smallest usable budget (a decade) over which a frontier's
exponent is pinned down."""
BUDGET_TOLERANCE = 0.01
"""A budget within this relative distance of the reference's range counts as inside it: a
run's 6ND differs from its nominal budget by the rounding of its tokens to whole batches
(under 0.5% in the sweeps), so ten times a 1e11 run may be 1.0007e12."""
ONE_RUN_SHARE = 0.4
"""A run using more than this share of the FLOPs spent is 'too much on one run' when its
budget has no usable parabola."""
DIAGNOSES = {
    "too_few_budgets": "fewer than 3 IsoFLOP budgets with a minimum",
    "narrow_span": "too narrow a span of model sizes at a budget",
    "off_centre": "an IsoFLOP grid whose lowest loss is at its edge",
    "narrow_range": "budgets spanning less than a decade",
    "one_big_run": "much of the budget spent on a run that no parabola uses",
    "long_extrapolation": "the target lies far beyond the largest usable budget",
    "too_few_sizes": "budgets with fewer than 3 model sizes (no parabola)",
}
"""The diagnoses :func:`grade` can give, by code."""

Trainer = Callable[[int, int], TrainingRun]
"""A trainer: ``trainer(width, tokens)`` returns a finished
:class:`~chinchilla_lib.experiment.trainer.TrainingRun`."""

Array = NDArray[np.float64]


class BudgetExceededError(ValueError):
    """A run would cost more FLOPs than the session has left."""


def _flops(name: str, value: object) -> float:
    """``value`` as a number of FLOPs, checked finite and > 0."""
    return check_positive_real(name, value, "FLOPs")


# --------------------------------------------------------------------------------------------
# IsoFLOP minima: N and loss at each budget's parabola vertex.

def isoflop_optima(isoflop: IsoFlopRuns) -> tuple[Array, Array, Array]:
    """Each budget's IsoFLOP minimum: (budgets in FLOPs, N_opt, loss there in nats per token).

    N_opt is the vertex of Approach 2's parabola in log N
    (:func:`~chinchilla_lib.fitting.approaches12.isoflop_minima`, vertices outside the sizes
    run kept); the loss is that parabola's value at its vertex. Budgets without a minimum (fewer
    than three sizes, or losses that do not dip) are left out.
    """
    check_instance("isoflop", isoflop, IsoFlopRuns)
    budgets, n_opt = isoflop_minima(isoflop)
    losses = []
    for budget, n in zip(budgets, n_opt, strict=True):
        at = isoflop.budget == budget
        coefficients = np.polyfit(np.log(isoflop.runs.n_params[at]), isoflop.runs.loss[at], 2)
        losses.append(float(np.polyval(coefficients, np.log(n))))
    return budgets, n_opt, np.array(losses)


@dataclass(frozen=True)
class Optimum:
    """A compute-optimal model size and loss at a budget.

    Attributes
    ----------
    flops
        C, FLOPs.
    n_params
        N_opt, parameters.
    loss
        The loss there, nats per token (NaN when a power law had to be fitted through minima
        of which one lies at or below the entropy rate).
    extrapolated
        Whether C lies outside the budgets the numbers were read from (a fitted law was
        extended beyond its data).
    method
        How the numbers were obtained, in words.
    """

    flops: float
    n_params: float
    loss: float
    extrapolated: bool
    method: str


def _frontier_optimum(isoflop: IsoFlopRuns, entropy_rate: float, flops: float,
                      what: str) -> Optimum:
    """Approach 2's frontier N_opt ~ C^a
    (:func:`~chinchilla_lib.fitting.approaches12.fit_approach2`) and a power law through the
    minima's losses above the entropy rate, L_opt - E ~ C^-g (NaN if a minimum lies at or
    below E), read at ``flops``."""
    budgets, _, losses = isoflop_optima(isoflop)
    if budgets.size < 2:
        raise ValueError(f"{what} need IsoFLOP minima at 2 or more budgets to fit a frontier; "
                         f"got {budgets.size}")
    # Vertices kept, as isoflop_optima keeps them, so that the two describe the same minima.
    frontier = fit_approach2(isoflop, out_of_range="keep")
    n = float(frontier.n_opt(flops))
    reducible = losses - entropy_rate
    if np.all(reducible > 0):
        exponent, log_scale = log_ols(np.log(budgets), np.log(reducible))
        loss = entropy_rate + float(PowerLaw(float(np.exp(log_scale)), float(exponent))(flops))
    else:  # a minimum at or below the entropy rate: no power law to fit
        loss = float("nan")
    inside = budgets.min() <= flops <= budgets.max()
    return Optimum(flops, n, loss, not inside,
                   f"Approach 2: power laws through the IsoFLOP minima of {budgets.size} "
                   f"budgets (loss above the entropy rate {entropy_rate:.4f})")


# --------------------------------------------------------------------------------------------
# The reference sweep.

@dataclass(frozen=True)
class ReferenceSweep:
    """The course's reference IsoFLOP runs, against which predictions are graded.

    Attributes
    ----------
    isoflop
        The runs (N dense parameters, D tokens, final loss in nats per token) and the budget
        (FLOPs) each belongs to.
    width
        Each run's width d.
    entropy_rate
        The language's entropy rate, nats per token.
    metadata
        How the runs were made, for a committed sweep
        (:func:`~chinchilla_lib.experiment.reference.reference_sweep`): the command's summary
        with ``command``, ``library_version``, ``seed``, ``language`` (its parameters),
        ``entropy_rate``, ``n_runs``, ``wall_seconds``; empty otherwise.
    """

    isoflop: IsoFlopRuns
    width: NDArray[np.int64]
    entropy_rate: float = field(default_factory=lambda: DEFAULT_LANGUAGE.entropy_rate)
    metadata: dict = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        check_instance("isoflop", self.isoflop, IsoFlopRuns)
        width = np.asarray(self.width)
        if width.shape != self.isoflop.budget.shape or width.shape != (len(self.isoflop.runs),):
            raise ValueError(f"width must hold one width per run ({len(self.isoflop.runs)}); "
                             f"got shape {width.shape}")
        if width.size and (not np.all(np.isfinite(width)) or np.any(width < 1)
                           or np.any(width != np.round(width))):
            raise ValueError("width must hold whole numbers >= 1")
        object.__setattr__(self, "width", width.astype(np.int64))
        rate = float(self.entropy_rate)
        if not (math.isfinite(rate) and rate >= 0):
            raise ValueError(f"entropy_rate must be finite and >= 0 nats per token; "
                             f"got {self.entropy_rate!r}")

    @classmethod
    def from_csv(cls, path: str | PathLike[str], entropy_rate: float | None = None
                 ) -> ReferenceSweep:
        """Read a sweep's CSV (columns ``budget,width,N,D,loss``, others ignored), as written
        by the sweep command; ``entropy_rate`` defaults to the course's language's."""
        table = read_table(path, ("budget", "width", "N", "D", "loss"))
        runs = Runs(table["N"], table["D"], table["loss"])
        rate = DEFAULT_LANGUAGE.entropy_rate if entropy_rate is None else entropy_rate
        return cls(IsoFlopRuns(runs, table["budget"]), table["width"], rate)

    @classmethod
    def from_training_runs(cls, budgets: Sequence[float], runs: Sequence[TrainingRun]
                           ) -> ReferenceSweep:
        """From runs just trained (:func:`~chinchilla_lib.experiment.sweep.run_sweep`) and the
        budget (FLOPs) each was planned at."""
        if len(budgets) != len(runs) or not runs:
            raise ValueError(f"budgets and runs must be non-empty and of one length; got "
                             f"{len(budgets)} and {len(runs)}")
        for run in runs:
            check_instance("runs", run, TrainingRun)
        rates = {run.entropy_rate for run in runs}
        if len(rates) != 1:
            raise ValueError("runs must all come from one language (one entropy rate)")
        isoflop = IsoFlopRuns(Runs([r.n_params for r in runs], [r.n_tokens for r in runs],
                                   [r.loss for r in runs]),
                              np.array([_flops("budgets", b) for b in budgets]))
        return cls(isoflop, np.array([r.width for r in runs]), rates.pop())

    def __len__(self) -> int:
        return len(self.isoflop.runs)

    @property
    def budgets(self) -> Array:
        """The distinct budgets, FLOPs, ascending."""
        return np.unique(self.isoflop.budget)

    @property
    def budget(self) -> Array:
        """The budget each run belongs to, FLOPs (the planned C)."""
        return self.isoflop.budget

    @property
    def runs(self) -> Runs:
        """The runs (N, D, loss), for the fitters."""
        return self.isoflop.runs

    @property
    def isoflop_runs(self) -> IsoFlopRuns:
        """The runs grouped by budget (the same as :attr:`isoflop`)."""
        return self.isoflop

    @property
    def n_params(self) -> Array:
        """N of each run, dense parameters."""
        return self.isoflop.runs.n_params

    @property
    def n_tokens(self) -> Array:
        """D of each run, tokens."""
        return self.isoflop.runs.n_tokens

    @property
    def loss(self) -> Array:
        """Each run's final loss, nats per token."""
        return self.isoflop.runs.loss

    @property
    def flops(self) -> Array:
        """Each run's own 6ND, FLOPs (within a few per cent of its budget)."""
        return self.isoflop.runs.flops

    @property
    def language(self) -> ToyLanguage:
        """The language the runs were trained on: rebuilt from the recorded parameters, or
        the course's default language if none are recorded."""
        recorded = self.metadata.get("language")
        return DEFAULT_LANGUAGE if recorded is None else ToyLanguage(**recorded)

    @cached_property
    def optima(self) -> tuple[Array, Array, Array]:
        """The reference's IsoFLOP minima (:func:`isoflop_optima`), computed once."""
        return isoflop_optima(self.isoflop)

    def optimum(self, flops: float) -> Optimum:
        """The reference compute-optimal N and loss at ``flops`` FLOPs.

        Inside the reference budgets: log N_opt and the loss at the minimum interpolated
        linearly in log C between the two nearest budgets' IsoFLOP minima
        (:func:`isoflop_optima`), a budget within :data:`BUDGET_TOLERANCE` of the range read
        at its end. Outside: the power laws fitted through all the minima
        (N_opt ~ C^a, loss - E ~ C^-g), an extrapolation (``extrapolated`` is True).
        """
        c = _flops("flops", flops)
        budgets, n_opt, losses = self.optima
        slack = 1.0 + BUDGET_TOLERANCE
        if budgets.size and budgets.min() / slack <= c <= budgets.max() * slack:
            log_c = np.log(c)
            n = float(np.exp(np.interp(log_c, np.log(budgets), np.log(n_opt))))
            loss = float(np.interp(log_c, np.log(budgets), losses))
            return Optimum(c, n, loss, False, f"interpolated in log C between the reference "
                                              f"IsoFLOP minima ({budgets.size} budgets)")
        optimum = _frontier_optimum(self.isoflop, self.entropy_rate, c, "the reference runs")
        return Optimum(c, optimum.n_params, optimum.loss, True,
                       f"extrapolated: the reference's power laws through its IsoFLOP minima "
                       f"at {budgets.min():.3g} to {budgets.max():.3g} FLOPs")

    def run(self, width: int, tokens: int) -> int | None:
        """Index of the reference run of ``width`` on ``tokens`` tokens, or None."""
        hits = np.flatnonzero((self.width == width) & (self.isoflop.runs.n_tokens == tokens))
        return int(hits[0]) if hits.size else None


SIMULATED_LAW = ChinchillaLaw(DEFAULT_LANGUAGE.entropy_rate, 1.1e4, 660.0, 1.33, 0.71,
                              name="toy language, trial fit")
"""A stand-in for the reference sweep's law: E the course language's entropy rate, A, B,
alpha and beta read off a least-squares fit (E held at the entropy rate) to a 26-run trial
sweep at 1e9 to 1e10 FLOPs (scatter 0.009 in log loss). Only for :func:`simulated_reference`,
which stands in where no trained sweep is at hand."""


def simulated_reference(law: ChinchillaLaw = SIMULATED_LAW,
                        budgets: Sequence[float] = SWEEP_BUDGETS["full"], *,
                        noise: float = 0.008, seed: int = 0) -> ReferenceSweep:
    """A reference sweep simulated from ``law``: the runs (widths, tokens) the sweep command
    plans for ``budgets`` (FLOPs), with losses from the law times log-normal noise of
    standard deviation ``noise`` (seeded). Nothing is trained; for tests and previews."""
    check_instance("law", law, ChinchillaLaw)
    planned = plan_sweep(budgets)
    n = np.array([next_token_model_parameters(DEFAULT_LANGUAGE.vocab_size, p.width).dense
                  for p in planned], dtype=float)
    d = np.array([p.tokens for p in planned], dtype=float)
    loss = noisy_samples_array(law.loss(n, d), noise, check_positive_int("seed", seed,
                                                                        minimum=0))
    return ReferenceSweep(IsoFlopRuns(Runs(n, d, loss), np.array([p.budget for p in planned])),
                          np.array([p.width for p in planned]), law.e)


def select_design(reference: ReferenceSweep, budgets: int, sizes: int, shift: int,
                  largest: float) -> NDArray[np.int64]:
    """Indices of the reference runs a design of ``budgets`` IsoFLOP lines would train.

    Parameters
    ----------
    reference
        The reference sweep.
    budgets
        How many budgets (whole number >= 1): the reference's ``budgets`` consecutive budgets
        ending at ``largest`` (fewer if the reference has fewer).
    sizes
        Widths per budget (whole number >= 1): a window of that many consecutive widths of
        each reference grid.
    shift
        Where the window sits, in grid steps (factors of about sqrt(2) in width) from the
        grid's centre: negative for smaller models; the window is kept inside the grid.
    largest
        The largest budget used, FLOPs: the reference budget nearest to it in log C.
    """
    check_instance("reference", reference, ReferenceSweep)
    count = check_positive_int("budgets", budgets)
    size = check_positive_int("sizes", sizes)
    if isinstance(shift, bool) or not isinstance(shift, int | np.integer):
        raise TypeError(f"shift must be a whole number of grid steps; got {shift!r}")
    top = _flops("largest", largest)
    grid = reference.budgets
    last = int(np.argmin(np.abs(np.log(grid) - np.log(top))))
    chosen = grid[max(0, last - count + 1): last + 1]
    picked: list[int] = []
    for budget in chosen:
        at = np.flatnonzero(reference.isoflop.budget == budget)
        at = at[np.argsort(reference.width[at], kind="stable")]
        window = min(size, at.size)
        start = (at.size - window) // 2 + int(shift)
        start = min(max(start, 0), at.size - window)
        picked += at[start: start + window].tolist()
    return np.array(picked, dtype=np.int64)


def isoflop_grid(reference: ReferenceSweep, budget: float,
                 keep: slice = slice(None)) -> list[tuple[float, int]]:
    """The runs of one of the reference's IsoFLOP grids, as ``(budget, width)`` pairs for
    :func:`play_design`: narrowest first, ``keep`` choosing among them (``slice(1, -1)``
    drops the two ends).

    Parameters
    ----------
    reference
        The reference sweep.
    budget
        One of its budgets, FLOPs (within :data:`BUDGET_TOLERANCE` of it, relative).
    keep
        Which of the grid's widths, narrowest first.

    Raises
    ------
    ValueError
        If ``budget`` is not one of the reference's budgets, or ``keep`` leaves no run.
    """
    check_instance("reference", reference, ReferenceSweep)
    check_instance("keep", keep, slice)
    c = _flops("budget", budget)
    match = np.abs(reference.budgets / c - 1.0) <= BUDGET_TOLERANCE
    if not match.any():
        raise ValueError(f"budget must be one of the reference's budgets "
                         f"{[float(b) for b in reference.budgets]}; got {budget!r}")
    exact = float(reference.budgets[match][0])
    widths = np.sort(reference.width[reference.budget == exact])[keep]
    if widths.size == 0:
        raise ValueError(f"keep={keep!r} leaves none of the {exact:.3g} FLOPs grid's widths")
    return [(exact, int(w)) for w in widths]


# --------------------------------------------------------------------------------------------
# Trainers.

class RealTrainer:
    """The real trainer: ``trainer(width, tokens)`` trains a model on ``language``
    (:func:`~chinchilla_lib.experiment.trainer.train`), weights and data from ``seed``, as the
    sweep command does, so a run of the reference sweep's width and tokens reproduces it.

    Parameters
    ----------
    language
        The data source.
    seed
        Seed of the weights and the data stream (whole number >= 0).
    """

    def __init__(self, language: ToyLanguage = DEFAULT_LANGUAGE, seed: int = 0) -> None:
        self.language = check_instance("language", language, ToyLanguage)
        self.seed = check_positive_int("seed", seed, minimum=0)
        self.vocab_size = language.vocab_size

    def __call__(self, width: int, tokens: int) -> TrainingRun:
        return train(self.language, width, tokens, seed=self.seed, data_seed=self.seed)


class ReplayTrainer:
    """A trainer that returns committed runs instantly: ``trainer(width, tokens)`` gives the
    reference run of that width and token count, and refuses any other.

    Parameters
    ----------
    *references
        Reference sweeps whose runs may be replayed (searched in order).
    """

    def __init__(self, *references: ReferenceSweep) -> None:
        if not references:
            raise ValueError("ReplayTrainer needs at least one ReferenceSweep")
        for reference in references:
            check_instance("references", reference, ReferenceSweep)
        self.references = references
        self.vocab_size = DEFAULT_LANGUAGE.vocab_size

    def options(self) -> list[tuple[int, int, float]]:
        """The runs that can be replayed, as (width, tokens, budget in FLOPs)."""
        rows = {(int(w), int(d), float(b)) for ref in self.references
                for w, d, b in zip(ref.width, ref.isoflop.runs.n_tokens, ref.isoflop.budget,
                                   strict=True)}
        return sorted(rows, key=lambda r: (r[2], r[0]))

    def __call__(self, width: int, tokens: int) -> TrainingRun:
        for reference in self.references:
            i = reference.run(width, tokens)
            if i is not None:
                runs = reference.isoflop.runs
                n, d = int(runs.n_params[i]), int(runs.n_tokens[i])
                return TrainingRun(width=int(width), n_params=n, n_tokens=d,
                                   flops=float(training_flops(n, d)), loss=float(runs.loss[i]),
                                   entropy_rate=reference.entropy_rate, seconds=0.0)
        widths = sorted({w for w, d, _ in self.options() if d == tokens})
        budgets = ", ".join(f"{b:.0e}" for b in sorted({b for _, _, b in self.options()}))
        hint = (f"widths committed at {tokens} tokens: {widths}" if widths else
                f"committed runs lie on the IsoFLOP budgets {budgets} FLOPs; "
                f"train(width, flops=...) with one of them")
        raise ValueError(f"no committed run of width {width} on {tokens} tokens to replay; "
                         f"{hint} (or use the real trainer)")


# --------------------------------------------------------------------------------------------
# The session.

@dataclass(frozen=True)
class Prediction:
    """A learner's prediction at ``flops`` (FLOPs): compute-optimal N (parameters) and the loss
    there (nats per token); ``method`` says how it was made."""

    flops: float
    n_params: float
    loss: float
    method: str = "the learner's"


class ChallengeSession:
    """A learner's experiment budget, the runs trained with it and the prediction.

    Parameters
    ----------
    budget
        FLOPs the learner may spend on runs (> 0); the default, :data:`DEFAULT_BUDGET`, takes
        under a minute of training on one core (its docstring gives the measurement).
    trainer
        ``trainer(width, tokens)`` returning a
        :class:`~chinchilla_lib.experiment.trainer.TrainingRun`: a :class:`RealTrainer` by
        default; a :class:`ReplayTrainer` replays committed runs.

    Examples
    --------
    >>> session = ChallengeSession(budget=1e9)
    >>> session.cost(16, flops=1e10) > session.remaining
    True
    >>> session.train(16, flops=1e10)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    chinchilla_lib.experiment.challenge.BudgetExceededError: this run (width 16, ...
    """

    def __init__(self, budget: float = DEFAULT_BUDGET, trainer: Trainer | None = None) -> None:
        self.budget = _flops("budget", budget)
        self.trainer: Trainer = RealTrainer() if trainer is None else trainer
        if not callable(self.trainer):
            raise TypeError(f"trainer must be callable as trainer(width, tokens); got "
                            f"{trainer!r}")
        self.vocab_size = int(getattr(self.trainer, "vocab_size", DEFAULT_LANGUAGE.vocab_size))
        self.history: list[TrainingRun] = []
        self.run_budgets: list[float] = []
        self.prediction: Prediction | None = None

    @property
    def spent(self) -> float:
        """FLOPs spent so far (6ND summed over the runs)."""
        return float(sum(run.flops for run in self.history))

    @property
    def remaining(self) -> float:
        """FLOPs left."""
        return self.budget - self.spent

    def _tokens(self, width: int, tokens: int | None, flops: float | None) -> int:
        if (tokens is None) == (flops is None):
            raise ValueError("give exactly one of tokens (D) and flops (the IsoFLOP budget C, "
                             "for D = C / 6N)")
        if flops is not None:
            return tokens_for_budget(width, _flops("flops", flops), self.vocab_size)
        d = check_positive_int("tokens", tokens)
        return -(-d // BATCH_SIZE) * BATCH_SIZE  # whole batches, as train() rounds

    def cost(self, width: int, tokens: int | None = None, *, flops: float | None = None
             ) -> float:
        """What a run would cost, 6ND FLOPs (D as :meth:`train` would round it)."""
        width = check_positive_int("width", width)
        n = next_token_model_parameters(self.vocab_size, width).dense
        return float(training_flops(n, self._tokens(width, tokens, flops)))

    def train(self, width: int, tokens: int | None = None, *, flops: float | None = None
              ) -> TrainingRun:
        """Train one run and charge its 6ND FLOPs to the budget.

        Parameters
        ----------
        width
            The model's width d.
        tokens
            D, training tokens; or give ``flops`` instead.
        flops
            The IsoFLOP budget C the run belongs to: D = C / 6N in whole batches. The run is
            recorded at this budget (for Approach 2); a run given by ``tokens`` is recorded at
            its own 6ND.

        Raises
        ------
        BudgetExceededError
            If the run would cost more than what is left (nothing is trained or charged).
        """
        width = check_positive_int("width", width)
        d = self._tokens(width, tokens, flops)
        price = self.cost(width, d)
        if price > self.remaining * (1 + 1e-12):
            raise BudgetExceededError(
                f"this run (width {width}, {d} tokens) costs {price:.3g} FLOPs (6ND) but only "
                f"{self.remaining:.3g} of your {self.budget:.3g} FLOPs are left; choose a "
                f"smaller model or fewer tokens, or predict with the runs you have")
        run = self.trainer(width, d)
        check_instance("the trainer's result", run, TrainingRun)
        self.history.append(run)
        self.run_budgets.append(run.flops if flops is None else float(flops))
        return run

    @property
    def runs(self) -> Runs:
        """The runs so far as :class:`~chinchilla_lib.fitting.runs.Runs` (N, D, loss)."""
        if not self.history:
            raise ValueError("no runs yet: train some with session.train(width, flops=...)")
        return Runs([r.n_params for r in self.history], [r.n_tokens for r in self.history],
                    [r.loss for r in self.history])

    @property
    def widths(self) -> NDArray[np.int64]:
        """Each run's width d."""
        return np.array([r.width for r in self.history], dtype=np.int64)

    @property
    def isoflop(self) -> IsoFlopRuns:
        """The runs grouped by the budget each was trained at (Approach 2's design)."""
        return IsoFlopRuns(self.runs, np.array(self.run_budgets))

    @property
    def entropy_rate(self) -> float:
        """The language's entropy rate, nats per token (from the runs)."""
        if not self.history:
            return DEFAULT_LANGUAGE.entropy_rate
        return self.history[0].entropy_rate

    @property
    def target_flops(self) -> float:
        """Where the prediction is asked: :data:`TARGET_FACTOR` times the largest run, FLOPs."""
        if not self.history:
            raise ValueError("no runs yet: the target is ten times your largest run")
        return TARGET_FACTOR * max(r.flops for r in self.history)

    def predict(self, n_params: float, loss: float, method: str = "the learner's"
                ) -> Prediction:
        """Record the learner's prediction at :attr:`target_flops`: the compute-optimal N
        (parameters, > 0) and its loss (nats per token, > 0)."""
        n = check_positive_real("n_params", n_params)
        value = check_positive_real("loss", loss)
        self.prediction = Prediction(self.target_flops, n, value, method)
        return self.prediction

    def grade(self, reference: ReferenceSweep) -> Grade:
        """Grade the recorded prediction against ``reference``, diagnosing these runs
        (:func:`grade`)."""
        if self.prediction is None:
            raise ValueError("no prediction yet: call session.predict(n_params, loss) first")
        return grade(self.prediction, reference, self.isoflop)


# --------------------------------------------------------------------------------------------
# Predictions and grading.

def predict_optimum(isoflop: IsoFlopRuns, flops: float, *, approach: str = "2",
                    entropy_rate: float | None = None) -> Prediction:
    """A prediction of the compute-optimal N and loss at ``flops`` FLOPs from IsoFLOP runs.

    Parameters
    ----------
    isoflop
        The runs and their budgets (``session.isoflop``).
    flops
        The target budget, FLOPs.
    approach
        ``"2"``: Approach 2's parabola minima, with power laws through them for N_opt and for
        the loss above the entropy rate (which this toy world knows exactly); ``"3"``:
        Approach 3's fitted law E + A/N^alpha + B/D^beta and its compute optimum.
    entropy_rate
        E for Approach 2's loss, nats per token (default: the course's language).
    """
    check_instance("isoflop", isoflop, IsoFlopRuns)
    c = _flops("flops", flops)
    if approach not in APPROACHES:
        raise ValueError(f"approach must be one of {APPROACHES}; got {approach!r}")
    if approach == "3":
        fit = fit_approach3(isoflop.runs)
        best = fit.law.compute_optimal(c)
        return Prediction(c, float(best.n_params), float(best.loss),
                          f"Approach 3 (fitted E = {fit.law.e:.3f})")
    rate = DEFAULT_LANGUAGE.entropy_rate if entropy_rate is None else float(entropy_rate)
    optimum = _frontier_optimum(isoflop, rate, c, "the runs")
    return Prediction(c, optimum.n_params, optimum.loss, optimum.method)


def play_design(design: Sequence[tuple[float, int]], *, trainer: Trainer | None = None,
                budget: float = DEFAULT_BUDGET, approach: str = "2") -> ChallengeSession:
    """The challenge played by a fixed design: a session trains each ``(FLOPs, width)`` run
    of ``design`` in turn, then predicts the optimum at its target with
    :func:`predict_optimum` and records the prediction (grade it with
    ``session.grade(reference)``).

    Parameters
    ----------
    design
        The runs, each an IsoFLOP budget in FLOPs and a width (:func:`isoflop_grid` builds
        them from a reference sweep).
    trainer
        As for :class:`ChallengeSession` (a :class:`ReplayTrainer` replays committed runs).
    budget
        The session's experiment budget, FLOPs.
    approach
        As for :func:`predict_optimum`.

    Raises
    ------
    ValueError
        If ``design`` is empty or not made of (FLOPs, width) pairs, or for a run the session
        refuses (:class:`BudgetExceededError` when the design costs more than ``budget``).
    """
    if isinstance(design, str | bytes) or not isinstance(design, Sequence) or not design:
        raise ValueError(f"design must be a non-empty sequence of (FLOPs, width) pairs; got "
                         f"{design!r}")
    if approach not in APPROACHES:
        raise ValueError(f"approach must be one of {APPROACHES}; got {approach!r}")
    for run in design:
        if not (isinstance(run, Sequence) and not isinstance(run, str | bytes)
                and len(run) == 2):
            raise ValueError(f"each run of design must be a (FLOPs, width) pair; got {run!r}")
    session = ChallengeSession(budget=budget, trainer=trainer)
    for flops, width in design:
        session.train(width, flops=flops)
    guess = predict_optimum(session.isoflop, session.target_flops, approach=approach)
    session.predict(guess.n_params, guess.loss, method=guess.method)
    return session


@dataclass(frozen=True)
class Diagnosis:
    """One reason a prediction may be off: ``code`` (a key of :data:`DIAGNOSES`) and what to
    do about it, in words."""

    code: str
    message: str


def diagnose(isoflop: IsoFlopRuns, target_flops: float | None = None) -> list[Diagnosis]:
    """What in a design of runs makes a prediction unreliable (empty for a sound design).

    Parameters
    ----------
    isoflop
        The runs and the budget each was trained at.
    target_flops
        Where the prediction is made (default: :data:`TARGET_FACTOR` times the largest run).
    """
    check_instance("isoflop", isoflop, IsoFlopRuns)
    runs = isoflop.runs
    flops = runs.flops
    target = TARGET_FACTOR * flops.max() if target_flops is None else _flops(
        "target_flops", target_flops)
    found: list[Diagnosis] = []
    usable, few = [], []
    for budget in np.unique(isoflop.budget):
        at = isoflop.budget == budget
        n, loss = runs.n_params[at], runs.loss[at]
        sizes = np.unique(n)
        if sizes.size < 3:
            few.append(budget)
            continue
        usable.append(budget)
        span = sizes.max() / sizes.min()
        if span < MIN_SIZE_SPAN:
            found.append(Diagnosis("narrow_span", (
                f"at {budget:.3g} FLOPs your models span only a factor {span:.2g} in N: the "
                f"valley's curvature is lost in the training scatter, so its minimum wanders; "
                f"span at least a factor {MIN_SIZE_SPAN:.0f} (the reference sweep spans "
                f"about 13)")))
        best = n[np.argmin(loss)]
        if best == sizes.min() or best == sizes.max():
            side, fix = (("smallest", "add smaller models") if best == sizes.min()
                         else ("largest", "add larger models"))
            found.append(Diagnosis("off_centre", (
                f"at {budget:.3g} FLOPs the lowest loss is at the {side} model you ran "
                f"(N = {best:.3g}): the optimum lies beyond your grid and the parabola's "
                f"vertex is a guess; {fix}, centring the grid on the lowest loss")))
    if few:
        found.append(Diagnosis("too_few_sizes", (
            f"{len(few)} budget(s) ({', '.join(f'{b:.3g}' for b in few)} FLOPs) have fewer "
            f"than 3 model sizes: no parabola can be fitted there, so Approach 2 learns "
            f"nothing from those FLOPs; run 3 or more sizes per budget (5 to 9 is better)")))
    if len(usable) < MIN_BUDGETS:
        found.append(Diagnosis("too_few_budgets", (
            f"only {len(usable)} budget(s) have an IsoFLOP minimum: a frontier through fewer "
            f"than {MIN_BUDGETS} points cannot show whether it is a straight line in log-log; "
            f"spread your FLOPs over {MIN_BUDGETS} or more budgets")))
    if len(usable) >= 2:
        spread = max(usable) / min(usable)
        if spread < MIN_BUDGET_RANGE:
            found.append(Diagnosis("narrow_range", (
                f"your budgets span only a factor {spread:.2g}: a small error in each minimum "
                f"becomes a large error in the slope, and the target lies farther from your "
                f"budgets than they span, so the slope's error grows on the way there; spread "
                f"them over at least a decade (cheap small budgets help)")))
    spent = float(flops.sum())
    biggest = int(np.argmax(flops))
    if (flops[biggest] > ONE_RUN_SHARE * spent and isoflop.budget[biggest] not in usable):
        found.append(Diagnosis("one_big_run", (
            f"one run used {flops[biggest] / spent:.0%} of the FLOPs you spent but belongs to "
            f"no IsoFLOP parabola; it sets the target ({TARGET_FACTOR:.0f} times its compute) "
            f"without informing the fit; spend those FLOPs on a full IsoFLOP line instead")))
    # Runs of one budget differ by up to a batch of tokens: compare with their own 6ND.
    reach = float(flops[np.isin(isoflop.budget, usable)].max()) if usable else 0.0
    if usable and target > TARGET_FACTOR * reach * (1 + 1e-9):
        found.append(Diagnosis("long_extrapolation", (
            f"your largest budget with a minimum is {max(usable):.3g} FLOPs, so the target "
            f"{target:.3g} lies {target / reach:.0f} times beyond it, more than the "
            f"{TARGET_FACTOR:.0f} a full IsoFLOP line at your largest run would leave: errors "
            f"in the slope grow with every decade; make your largest run part of an IsoFLOP "
            f"line")))
    return found


@dataclass(frozen=True)
class Grade:
    """How a prediction compares with the reference sweep.

    Attributes
    ----------
    prediction
        The learner's prediction.
    reference
        The reference optimum at the same budget (``reference.extrapolated`` says whether the
        reference itself had to extrapolate).
    n_error
        Relative error of N: predicted / reference - 1.
    loss_error
        Predicted minus reference loss, nats per token.
    loss_error_share
        ``loss_error`` as a share of the reference's reducible loss (loss - entropy rate).
    diagnoses
        What in the design of the runs made the prediction unreliable.
    """

    prediction: Prediction
    reference: Optimum
    n_error: float
    loss_error: float
    loss_error_share: float
    diagnoses: tuple[Diagnosis, ...]

    def report(self) -> str:
        """The grade in a few lines of text."""
        p, r = self.prediction, self.reference
        lines = [f"Target budget {p.flops:.3g} FLOPs.",
                 f"Model size: you predicted N = {p.n_params:.3g}, the reference says "
                 f"{r.n_params:.3g} ({self.n_error:+.0%}).",
                 f"Loss: you predicted {p.loss:.4f}, the reference says {r.loss:.4f} nats per "
                 f"token ({self.loss_error:+.4f} nats, {self.loss_error_share:+.0%} of the "
                 f"reducible loss).",
                 f"Reference: {r.method}."]
        if r.extrapolated:
            lines.append("The target lies beyond the reference budgets: the reference is "
                         "itself an extrapolation, so read the errors as disagreement.")
        if self.diagnoses:
            lines.append("Why it may be off:")
            lines += [f"- {d.message}" for d in self.diagnoses]
        else:
            lines.append("No flaw found in how the runs were spread: what error remains comes "
                         "from the runs' scatter and from how far the fitted form (power laws, "
                         "or E + A/N^alpha + B/D^beta) departs from this world's frontier.")
        return "\n".join(lines)


def grade(prediction: Prediction, reference: ReferenceSweep,
          isoflop: IsoFlopRuns | None = None) -> Grade:
    """Grade a prediction against the reference sweep, and say why it is off.

    Parameters
    ----------
    prediction
        The prediction (``session.prediction``, or :func:`predict_optimum`'s).
    reference
        The reference sweep.
    isoflop
        The runs the prediction was made from (``session.isoflop``), to diagnose; without
        them no diagnosis is given.

    Returns
    -------
    Grade
        The errors in N (relative) and loss (nats, and as a share of the reducible loss), and
        the diagnoses.
    """
    check_instance("prediction", prediction, Prediction)
    check_instance("reference", reference, ReferenceSweep)
    truth = reference.optimum(prediction.flops)
    reducible = truth.loss - reference.entropy_rate
    loss_error = prediction.loss - truth.loss
    found = () if isoflop is None else tuple(diagnose(isoflop, prediction.flops))
    return Grade(prediction, truth, prediction.n_params / truth.n_params - 1.0, loss_error,
                 loss_error / reducible if reducible > 0 else float("nan"), found)
