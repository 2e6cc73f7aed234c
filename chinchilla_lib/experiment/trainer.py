"""The toy next-token model and its trainer, in NumPy: real gradient descent, one pass over
fresh data from a :class:`~chinchilla_lib.experiment.language.ToyLanguage`.

The model reads the current token's row of a lookup table (``width`` numbers) and multiplies
it through a dense ``width x vocab_size`` matrix plus a bias to get the next token's logits: a
factorised bigram model, whose width bounds the rank of what it can represent. It is trained
with Adam on the cross-entropy, in batches of fresh tokens, with a learning rate that warms up
over the first :data:`WARMUP_FRACTION` of the steps and then follows a cosine down to
:data:`FINAL_LR_FRACTION` of its peak at the run's last step (the schedule matched to the
run's length: Hoffmann et al. 2022 found that a cosine cycle much longer than the run leaves
its final loss higher, though Porian et al. 2024 found careful decay not essential to the
Chinchilla law). Its final loss is the exact population cross-entropy
(:meth:`ToyLanguage.cross_entropy`), so runs carry no evaluation noise: what scatter they
show comes from training.
"""

from __future__ import annotations

import copy
import itertools
import math
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from chinchilla_lib import registry
from chinchilla_lib._validation import check_instance, check_positive_int, check_positive_real
from chinchilla_lib.experiment.language import ToyLanguage
from chinchilla_lib.laws.schedules import Schedule
from chinchilla_lib.quantities import next_token_model_parameters, training_flops

__all__ = [
    "ADAM_BETAS",
    "BATCH_SIZE",
    "DEFAULT_SCHEDULE",
    "FINAL_LR_FRACTION",
    "LR_COEFFICIENT",
    "MAX_TOKENS",
    "MAX_WIDTH",
    "MUP_BASE_WIDTH",
    "PARAMETERISATIONS",
    "WARMUP_FRACTION",
    "NextTokenModel",
    "TrainingRun",
    "TrainingState",
    "advance",
    "layer_learning_rates",
    "learning_rate",
    "peak_learning_rate",
    "start_training",
    "train",
]

BATCH_SIZE = 256
"""Tokens per optimiser step (chains advanced side by side)."""
ADAM_BETAS = (0.9, 0.999)
"""Adam's decay rates for the first and second moments."""
ADAM_EPSILON = 1e-8
"""Adam's epsilon."""
LR_COEFFICIENT = 0.3
"""The peak learning rate is ``LR_COEFFICIENT / sqrt(width)``: tuned by the course on a grid
of four rates at widths 8 and 64 (300,000 tokens each), where the best rates were near 0.1 and
0.03; a model twice as wide needs a smaller step because each step moves more logits."""
WARMUP_FRACTION = 0.02
"""Share of a run's steps over which the learning rate rises linearly to its peak."""
FINAL_LR_FRACTION = 0.1
"""The learning rate at a run's last step, as a share of the peak (cosine decay)."""
MAX_WIDTH = 4096
"""Widest model :func:`train` accepts."""
MAX_TOKENS = 10**9
"""Most training tokens :func:`train` accepts (several hours for the sweep's widest model on
one core: measured at about 2.8 s per 100,000 tokens at width 508)."""
DEFAULT_SCHEDULE = Schedule("cosine", warmup_fraction=WARMUP_FRACTION,
                            final_fraction=FINAL_LR_FRACTION, cycle=1.0)
"""The trainer's default schedule: warm-up, then a cosine matched to the run's length."""
PARAMETERISATIONS = ("standard", "mup")
"""How :func:`train` sets the initial weights and each matrix's learning rate as the width
grows (:func:`layer_learning_rates`)."""
MUP_BASE_WIDTH = 16
"""The width at which muP's per-matrix rates equal the standard ones (its base model)."""




def peak_learning_rate(width: int) -> float:
    """The peak learning rate the course uses for a model of ``width``: ``0.3 / sqrt(width)``.

    Parameters
    ----------
    width
        The model's width d (whole number >= 1).

    Returns
    -------
    float
        Adam's peak step size (dimensionless).
    """
    return LR_COEFFICIENT / math.sqrt(check_positive_int("width", width))


def learning_rate(step: int, steps: int, peak: float) -> float:
    """The learning rate at ``step`` (counting from 0) of a run of ``steps`` steps.

    Linear warm-up over the first :data:`WARMUP_FRACTION` of the steps (at least one), then a
    cosine from ``peak`` down to ``FINAL_LR_FRACTION * peak`` at the last step: the trainer's
    default schedule, :data:`DEFAULT_SCHEDULE`
    (:func:`~chinchilla_lib.laws.schedules.cosine_rate` with a cycle matched to the run).

    Parameters
    ----------
    step
        The step, from 0 to ``steps - 1`` (whole number).
    steps
        The run's length in optimiser steps (whole number >= 1).
    peak
        The peak rate (finite, > 0).

    Returns
    -------
    float
        Adam's step size at ``step`` (dimensionless).

    Raises
    ------
    ValueError
        If ``step`` or ``steps`` is not a whole number in range, or ``peak`` not finite > 0.
    TypeError
        If ``peak`` is not a real number.

    Examples
    --------
    >>> [round(learning_rate(step, 100, 1.0), 3) for step in (0, 1, 2, 50, 99)]
    [0.333, 0.667, 1.0, 0.557, 0.1]
    """
    steps = check_positive_int("steps", steps)
    step = check_positive_int("step", step, minimum=0)
    if step >= steps:
        raise ValueError(f"step must lie in [0, steps - 1] = [0, {steps - 1}]; got {step}")
    return DEFAULT_SCHEDULE.rate(step, steps, check_positive_real("peak", peak))


def layer_learning_rates(width: int, parameterisation: str = "standard",
                         base_width: int = MUP_BASE_WIDTH) -> tuple[float, float, float]:
    """Each matrix's learning rate as a multiple of the peak rate: (lookup table, dense
    matrix, bias).

    ``"standard"`` gives every matrix the peak rate. ``"mup"`` follows the maximal-update
    parameterisation for Adam (Yang et al. 2022, Tensor Programs V, Table 3; the registry's
    ``mup_adam_lr_exponent_*``): the lookup table is an input matrix (its fan-in, a one-hot
    token, does not grow with width) and keeps the peak rate, as does the bias; the dense
    matrix is the output matrix (fan-in = width), whose rate scales as 1 / width, here
    ``base_width / width`` so that the two parameterisations agree at ``base_width``. The
    initial weights are the same under both: the lookup table's variance (1, the course's
    choice; Table 3 asks only that it not change with width, as the fan-in of an input
    matrix does not) does not change with width, and the dense matrix starts at zero, the
    limit of muP's output variance 1 / width^2 (the zero output layer the authors' ``mup``
    package recommends, ``readout_zero_init``).

    Parameters
    ----------
    width
        The model's width d (whole number >= 1).
    parameterisation
        ``"standard"`` or ``"mup"`` (:data:`PARAMETERISATIONS`).
    base_width
        The width at which muP's rates equal the standard ones (whole number >= 1).

    Returns
    -------
    tuple of float
        Multipliers of the peak rate for the lookup table, the dense matrix and the bias.

    Examples
    --------
    >>> layer_learning_rates(64, "mup", base_width=16)
    (1.0, 0.25, 1.0)
    >>> layer_learning_rates(64)
    (1.0, 1.0, 1.0)
    """
    d = check_positive_int("width", width)
    base = check_positive_int("base_width", base_width)
    if not isinstance(parameterisation, str) or parameterisation not in PARAMETERISATIONS:
        raise ValueError(f"parameterisation must be one of {', '.join(PARAMETERISATIONS)}; "
                         f"got {parameterisation!r}")
    if parameterisation == "standard":
        return (1.0, 1.0, 1.0)
    # powers of fan_in: the lookup table's fan-in (a one-hot token) is fixed, so its rate and
    # the bias's stay put; the dense matrix's fan-in is the width
    output = registry.constant("mup_adam_lr_exponent_output").value
    return (1.0, (d / base) ** output, 1.0)


@dataclass
class NextTokenModel:
    """The toy model's weights (float32).

    Attributes
    ----------
    lookup
        ``vocab_size x width``: the current token's row is the model's hidden vector.
    dense
        ``width x vocab_size``: hidden vector to logits.
    bias
        ``vocab_size``: added to the logits.
    """

    lookup: NDArray[np.float32]
    dense: NDArray[np.float32]
    bias: NDArray[np.float32]

    @classmethod
    def initial(cls, vocab_size: int, width: int, seed: int) -> NextTokenModel:
        """A fresh model: a standard-normal lookup table, a zero dense matrix and bias (so the
        first prediction is uniform, loss ``log(vocab_size)``)."""
        vocab = check_positive_int("vocab_size", vocab_size, minimum=2)
        d = check_positive_int("width", width)
        rng = np.random.default_rng(check_positive_int("seed", seed, minimum=0))
        return cls(lookup=rng.standard_normal((vocab, d)).astype(np.float32),
                   dense=np.zeros((d, vocab), dtype=np.float32),
                   bias=np.zeros(vocab, dtype=np.float32))

    @property
    def width(self) -> int:
        """d, the model's width."""
        return int(self.dense.shape[0])

    def log_probs(self) -> NDArray[np.float64]:
        """Log-probabilities of the next token for every current token, ``V x V`` (float64)."""
        logits = self.lookup.astype(np.float64) @ self.dense.astype(np.float64) + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        return logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))


@dataclass(frozen=True)
class TrainingRun:
    """One finished training run.

    Attributes
    ----------
    width
        The model's width d.
    n_params
        N, the model's dense parameters
        (:func:`~chinchilla_lib.quantities.next_token_model_parameters`).
    n_tokens
        D, the training tokens seen (whole batches), tokens.
    flops
        C = 6ND, FLOPs.
    loss
        The final population cross-entropy, nats per token (exact: no test-set noise).
    entropy_rate
        The language's entropy rate, nats per token: ``loss - entropy_rate`` is the
        reducible loss.
    seconds
        Wall time of training, seconds (varies from machine to machine).
    curve_tokens, curve_loss
        Tokens seen and the population loss at the checkpoints asked for (empty if none).
    """

    width: int
    n_params: int
    n_tokens: int
    flops: float
    loss: float
    entropy_rate: float
    seconds: float
    curve_tokens: tuple[int, ...] = ()
    curve_loss: tuple[float, ...] = ()

    @property
    def excess_loss(self) -> float:
        """``loss - entropy_rate``, nats per token: what more width or data could remove."""
        return self.loss - self.entropy_rate


class _Adam:
    """Adam on a list of float32 arrays, updated in place with preallocated buffers."""

    def __init__(self, params: list[NDArray[np.float32]]) -> None:
        self.params = params
        self.first = [np.zeros_like(p) for p in params]
        self.second = [np.zeros_like(p) for p in params]
        self.scratch = [np.empty_like(p) for p in params]
        self.count = 0

    def step(self, grads: list[NDArray[np.float32]], rate: float,
             multipliers: tuple[float, ...] | None = None) -> None:
        beta1, beta2 = ADAM_BETAS
        self.count += 1
        step_size = rate / (1.0 - beta1**self.count)
        root_correction = 1.0 / math.sqrt(1.0 - beta2**self.count)
        sizes = [step_size] * len(self.params) if multipliers is None else [
            step_size * k for k in multipliers]
        for p, g, m, v, s, step_size in zip(self.params, grads, self.first, self.second,
                                            self.scratch, sizes, strict=True):
            m *= beta1
            np.multiply(g, 1.0 - beta1, out=s)
            m += s
            v *= beta2
            np.multiply(g, g, out=s)
            s *= 1.0 - beta2
            v += s
            np.sqrt(v, out=s)
            s *= root_correction
            s += ADAM_EPSILON
            np.divide(m, s, out=s)
            s *= step_size
            p -= s


def _scatter_add(out: NDArray[np.float32], index: NDArray[np.intp],
                 values: NDArray[np.float32], rows: NDArray[np.intp]) -> None:
    """``out`` set to zero, then ``values[i]`` added to row ``index[i]`` for each i in order:
    ``np.add.at(out, index, values)`` to the bit, about twice as fast.

    ``np.add.at`` adds row by row; here the k-th occurrence of every token is added in one
    fancy-indexed pass (no index repeats within a pass), passes in order of k, so each row
    of ``out`` receives its values in the same order as ``np.add.at`` adds them.
    """
    out.fill(0.0)
    order = np.argsort(index, kind="stable")
    ordered = index[order]
    first = np.empty(ordered.size, dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    rank = np.empty_like(order)
    rank[order] = rows - np.repeat(starts, np.diff(np.append(starts, ordered.size)))
    for k in range(int(rank.max()) + 1):
        chosen = np.flatnonzero(rank == k)
        out[index[chosen]] += values[chosen]


def _checkpoint_steps(steps: int, checkpoints: int, spacing: str = "log") -> set[int]:
    """Steps (1-based counts of steps done) at which to record the loss: log-spaced (or evenly
    spaced), the last step always included."""
    if checkpoints <= 0:
        return set()
    if spacing == "linear":
        marks = np.unique(np.round(np.linspace(1, steps, checkpoints)).astype(int))
        return {int(m) for m in marks} | {steps}
    marks = np.unique(np.round(np.geomspace(1, steps, checkpoints)).astype(int))
    return {int(m) for m in marks} | {steps}


class TrainingState:
    """A run in progress: the model's weights, Adam's moments, the data stream's position and
    the count of steps done, so that training can stop and go on, or branch.

    Made by :func:`start_training` and moved on by :func:`advance`; :meth:`fork` copies it,
    the copy's data stream continuing with the same tokens as the original's, so that a copy
    moved on by some steps is, to the bit, the run a single :func:`advance` over all the steps
    would have made.

    Attributes
    ----------
    language
        The data source.
    model
        The weights (changed in place by :func:`advance`).
    steps_done
        Optimiser steps taken so far.
    batch_size
        Tokens per step.
    multipliers
        Each matrix's learning rate as a multiple of the step's rate
        (:func:`layer_learning_rates`), or None for the standard parameterisation.
    """

    def __init__(self, language: ToyLanguage, model: NextTokenModel, adam: _Adam,
                 stream: Iterator[tuple[NDArray[np.intp], NDArray[np.intp]]], batch_size: int,
                 multipliers: tuple[float, float, float] | None, steps_done: int = 0) -> None:
        self.language = language
        self.model = model
        self._adam = adam
        self._stream = stream
        self.batch_size = batch_size
        self.multipliers = multipliers
        self.steps_done = steps_done

    @property
    def tokens_done(self) -> int:
        """Tokens seen so far (``steps_done * batch_size``)."""
        return self.steps_done * self.batch_size

    def loss(self) -> float:
        """The model's population loss now, nats per token."""
        return self.language.cross_entropy(self.model.log_probs())

    def fork(self) -> TrainingState:
        """An independent copy: same weights, moments, step count and data to come."""
        self._stream, other = itertools.tee(self._stream)
        model = copy.deepcopy(self.model)
        adam = _Adam([model.lookup, model.dense, model.bias])
        for mine, theirs in ((adam.first, self._adam.first), (adam.second, self._adam.second)):
            for a, b in zip(mine, theirs, strict=True):
                a[...] = b
        adam.count = self._adam.count
        return TrainingState(self.language, model, adam, other, self.batch_size,
                             self.multipliers, self.steps_done)

    def run(self, loss: float, seconds: float, curve_steps: Sequence[int] = (),
            curve_loss: Sequence[float] = ()) -> TrainingRun:
        """The :class:`TrainingRun` of the steps done so far, with its final ``loss``."""
        counts = next_token_model_parameters(self.language.vocab_size, self.model.width)
        n_tokens = self.tokens_done
        return TrainingRun(width=self.model.width, n_params=counts.dense, n_tokens=n_tokens,
                           flops=float(training_flops(counts.dense, n_tokens)), loss=loss,
                           entropy_rate=self.language.entropy_rate, seconds=seconds,
                           curve_tokens=tuple(s * self.batch_size for s in curve_steps),
                           curve_loss=tuple(curve_loss))


def _start(language: ToyLanguage, width: int, seed: int, data_seed: int, batch: int,
           multipliers: tuple[float, float, float] | None) -> TrainingState:
    model = NextTokenModel.initial(language.vocab_size, width, seed)
    adam = _Adam([model.lookup, model.dense, model.bias])
    return TrainingState(language, model, adam, language.stream(batch, data_seed), batch,
                         multipliers)


def _run(state: TrainingState, steps: int, rate: Callable[[int], float],
         marks: Collection[int], progress: Callable[[int, int], None] | None = None,
         ) -> tuple[list[int], list[float]]:
    """Take ``steps`` steps, the k-th (from 0) at ``rate(k)``, recording the loss when the
    count of steps done (since the run's start) is in ``marks``."""
    model, adam = state.model, state._adam
    batch, multipliers = state.batch_size, state.multipliers
    grads = [np.zeros_like(model.lookup), np.zeros_like(model.dense), np.zeros_like(model.bias)]
    rows = np.arange(batch)
    every = max(1, steps // 100)
    curve_steps: list[int] = []
    curve_loss: list[float] = []
    for step in range(steps):
        x, y = next(state._stream)
        hidden = model.lookup[x]                            # B x d
        probs = hidden @ model.dense                        # B x V, logits for now
        probs += model.bias
        probs -= probs.max(axis=1, keepdims=True)
        np.exp(probs, out=probs)
        probs /= probs.sum(axis=1, keepdims=True)
        probs[rows, y] -= 1.0                               # d loss / d logits, times B
        probs *= 1.0 / batch
        np.matmul(hidden.T, probs, out=grads[1])            # d x V
        np.sum(probs, axis=0, out=grads[2])
        hidden_grad = probs @ model.dense.T                 # B x d
        _scatter_add(grads[0], x, hidden_grad, rows)
        adam.step(grads, rate(step), multipliers)
        state.steps_done += 1
        if state.steps_done in marks:
            curve_steps.append(state.steps_done)
            curve_loss.append(state.loss())
        if progress is not None and ((step + 1) % every == 0 or step + 1 == steps):
            progress(step + 1, steps)
    return curve_steps, curve_loss


def start_training(language: ToyLanguage, width: int, *, seed: int = 0, data_seed: int = 0,
                   batch_size: int = BATCH_SIZE, parameterisation: str = "standard",
                   base_width: int = MUP_BASE_WIDTH) -> TrainingState:
    """A fresh run, no step taken: the model :func:`train` starts from, with its data stream.

    Parameters
    ----------
    language, width, seed, data_seed, batch_size, parameterisation, base_width
        As in :func:`train`.

    Returns
    -------
    TrainingState
        To be moved on by :func:`advance` (and copied by :meth:`TrainingState.fork`).

    Examples
    --------
    >>> language = ToyLanguage(vocab_size=64, seed=3)
    >>> state = start_training(language, width=4)
    >>> state.steps_done, round(state.loss(), 4) == round(math.log(64), 4)
    (0, True)
    """
    check_instance("language", language, ToyLanguage)
    d = check_positive_int("width", width)
    if d > MAX_WIDTH:
        raise ValueError(f"width must be at most {MAX_WIDTH}; got {d}")
    batch = check_positive_int("batch_size", batch_size)
    check_positive_int("seed", seed, minimum=0)
    check_positive_int("data_seed", data_seed, minimum=0)
    multipliers = None if parameterisation == "standard" else layer_learning_rates(
        d, parameterisation, base_width)
    return _start(language, d, seed, data_seed, batch, multipliers)


def advance(state: TrainingState, rates: Sequence[float], *,
            checkpoints: Collection[int] = ()) -> tuple[tuple[int, ...], tuple[float, ...]]:
    """Move ``state`` on by one step per rate in ``rates`` (in place), the i-th step at
    ``rates[i]`` (Adam's step size, before the parameterisation's multipliers).

    A run of :func:`train` is :func:`start_training` then one :func:`advance` with its
    schedule's rates, to the bit; so is any split of those rates into consecutive
    :func:`advance` calls.

    Parameters
    ----------
    state
        The run to move on (from :func:`start_training`); its ``steps_done`` grows by
        ``len(rates)``.
    rates
        The learning rate of each step (finite, > 0; at most :data:`MAX_TOKENS` tokens'
        worth of steps).
    checkpoints
        Counts of steps done, since the run's start, after which to record the loss.

    Returns
    -------
    tuple
        ``(steps, losses)``: the checkpoints reached, as counts of steps done, and the
        population loss at each, nats per token.

    Raises
    ------
    TypeError
        If ``state`` is not a :class:`TrainingState` or a rate not a real number.
    ValueError
        If a rate is not finite and > 0, or there are too many.

    Examples
    --------
    >>> language = ToyLanguage(vocab_size=64, seed=3)
    >>> state = start_training(language, width=4)
    >>> steps, losses = advance(state, [0.05] * 10, checkpoints={5, 10})
    >>> steps, state.steps_done, losses[-1] < math.log(64)
    ((5, 10), 10, True)
    """
    check_instance("state", state, TrainingState)
    if isinstance(rates, str | bytes) or not isinstance(rates, Sequence | np.ndarray):
        raise TypeError(f"rates must be a sequence of real numbers; got {type(rates).__name__}")
    if len(rates) * state.batch_size > MAX_TOKENS:
        raise ValueError(f"rates must ask for at most {MAX_TOKENS:.0e} tokens; got "
                         f"{len(rates)} steps of {state.batch_size}")
    checked = [check_positive_real("rates", r) for r in rates]
    marks = {check_positive_int("checkpoints", c) for c in checkpoints}
    curve_steps, curve_loss = _run(state, len(checked), checked.__getitem__, marks)
    return tuple(curve_steps), tuple(curve_loss)


def train(language: ToyLanguage, width: int, tokens: int, *, seed: int = 0,
          data_seed: int = 0, batch_size: int = BATCH_SIZE, peak_lr: float | None = None,
          checkpoints: int = 0, progress: Callable[[int, int], None] | None = None,
          schedule: Schedule | None = None, parameterisation: str = "standard",
          base_width: int = MUP_BASE_WIDTH, checkpoint_spacing: str = "log"
          ) -> TrainingRun:
    """Train a toy next-token model of ``width`` on ``tokens`` fresh tokens of ``language``.

    Parameters
    ----------
    language
        The data source.
    width
        The model's width d (whole number, 1 to :data:`MAX_WIDTH`).
    tokens
        D, training tokens (whole number, at least one batch, at most :data:`MAX_TOKENS`);
        rounded up to whole batches.
    seed
        Seed of the model's initial weights (whole number >= 0).
    data_seed
        Seed of the data stream (whole number >= 0): runs with one data seed see the same
        tokens, in the same order, as far as each goes.
    batch_size
        Tokens per step (whole number >= 1).
    peak_lr
        Adam's peak step size; by default :func:`peak_learning_rate` of ``width`` (standard)
        or of ``base_width`` (muP, whose peak rate does not change with width).
    checkpoints
        Record the population loss at about this many steps (0 for none).
    progress
        Called as ``progress(steps_done, steps)`` about a hundred times during the run.
    schedule
        The learning-rate schedule (:class:`~chinchilla_lib.laws.schedules.Schedule`); by
        default :data:`DEFAULT_SCHEDULE`, through :func:`learning_rate`.
    parameterisation
        ``"standard"`` (the default: one rate for every matrix) or ``"mup"``: each matrix's
        rate scaled with width as :func:`layer_learning_rates` says.
    base_width
        muP's base width (whole number >= 1; unused by the standard parameterisation).
    checkpoint_spacing
        ``"log"`` (the default: log-spaced checkpoints) or ``"linear"`` (evenly spaced, for a
        whole loss curve).

    Returns
    -------
    TrainingRun
        The final loss and the run's size, tokens and FLOPs.

    Raises
    ------
    TypeError
        If ``language`` is not a :class:`ToyLanguage`, ``peak_lr`` not a real number or
        ``progress`` not callable.
    ValueError
        If a size or seed is not a whole number in its range, or ``peak_lr`` is not finite
        and > 0.

    Examples
    --------
    >>> language = ToyLanguage(vocab_size=64, seed=3)
    >>> run = train(language, width=4, tokens=20_000)
    >>> run.n_params, run.n_tokens, run.loss > language.entropy_rate
    (320, 20224, True)
    """
    check_instance("language", language, ToyLanguage)
    d = check_positive_int("width", width)
    if d > MAX_WIDTH:
        raise ValueError(f"width must be at most {MAX_WIDTH}; got {d}")
    batch = check_positive_int("batch_size", batch_size)
    total = check_positive_int("tokens", tokens)
    if total > MAX_TOKENS:
        raise ValueError(f"tokens must be at most {MAX_TOKENS:.0e}; got {total}")
    check_positive_int("checkpoints", checkpoints, minimum=0)
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be callable or None; got {type(progress).__name__}")
    if schedule is not None:
        check_instance("schedule", schedule, Schedule)
    multipliers = None if parameterisation == "standard" else layer_learning_rates(
        d, parameterisation, base_width)
    if multipliers is not None:
        check_positive_int("base_width", base_width)
    if checkpoint_spacing not in ("log", "linear"):
        raise ValueError(f"checkpoint_spacing must be 'log' or 'linear'; "
                         f"got {checkpoint_spacing!r}")
    if peak_lr is None:
        peak = peak_learning_rate(d if multipliers is None else base_width)
    else:
        peak = check_positive_real("peak_lr", peak_lr)
    steps = -(-total // batch)
    state = _start(language, d, seed, data_seed, batch, multipliers)
    marks = _checkpoint_steps(steps, checkpoints, checkpoint_spacing)
    if schedule is None:
        def rate(step: int) -> float:
            return learning_rate(step, steps, peak)
    else:
        def rate(step: int) -> float:
            return schedule.rate(step, steps, peak)
    start = time.perf_counter()
    curve_steps, curve_loss = _run(state, steps, rate, marks, progress)
    seconds = time.perf_counter() - start
    loss = curve_loss[-1] if marks else state.loss()
    return state.run(loss, seconds, curve_steps, curve_loss)
