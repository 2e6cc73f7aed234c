"""Training runs as the fitters take them: parameters, tokens and final loss per run
(:class:`Runs`), runs grouped by compute budget (:class:`IsoFlopRuns`, Approach 2's design) and
loss curves recorded at checkpoints (:class:`TrainingCurves`, Approach 1's design)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from os import PathLike

import numpy as np
from numpy.typing import ArrayLike, NDArray

from chinchilla_lib._validation import as_positive_array, check_fraction, check_instance, single
from chinchilla_lib.fitting._table import MAX_ROWS, read_table
from chinchilla_lib.quantities import FLOPS_PER_PARAM_TOKEN

__all__ = ["BUDGET_TOLERANCE", "IsoFlopRuns", "Runs", "Sweep", "TrainingCurves", "as_runs",
           "group_budgets", "read_runs_csv", "read_sweep_csv"]

MIN_RUNS = 6
MIN_DISTINCT = 3
"""Distinct values of N (and of D) a fit of E + A/N^alpha + B/D^beta needs: along N the law
has three unknowns (E, A, alpha), and runs at two sizes fix only two levels of loss."""
LAW_PARAMETERS = 5
"""Parameters of E + A/N^alpha + B/D^beta."""


def _values(values: NDArray[np.float64]) -> str:
    return ", ".join(f"{v:.4g}" for v in values)


def _distinct(values: NDArray[np.float64], rtol: float = 1e-9) -> NDArray[np.float64]:
    """The distinct values, counting values within a relative ``rtol`` of each other (a
    token count computed as C / 6N, say) as one."""
    ordered = np.sort(values)
    keep = np.ones(ordered.size, dtype=bool)
    keep[1:] = np.diff(ordered) > rtol * ordered[1:]
    return ordered[keep]


@dataclass(frozen=True)
class Runs:
    """A set of training runs.

    Parameters
    ----------
    n_params
        N of each run, parameters (1-D, > 0).
    n_tokens
        D of each run, tokens (1-D, > 0, same length).
    loss
        Final loss of each run, nats per token (1-D, > 0, same length).

    Examples
    --------
    >>> runs = Runs(n_params=[1e8, 4e8], n_tokens=[2e9, 8e9], loss=[3.1, 2.8])
    >>> len(runs), runs.flops.tolist()
    (2, [1.2e+18, 1.92e+19])
    >>> Runs([1e8], [2e9, 8e9], [3.1, 2.8])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: n_params, n_tokens and loss must be 1-D of one length; got shapes ...
    """

    n_params: NDArray[np.float64]
    n_tokens: NDArray[np.float64]
    loss: NDArray[np.float64]

    def __post_init__(self) -> None:
        arrays = {name: as_positive_array(name, getattr(self, name))
                  for name in ("n_params", "n_tokens", "loss")}
        shapes = {name: a.shape for name, a in arrays.items()}
        if any(a.ndim != 1 for a in arrays.values()) or len(set(shapes.values())) != 1:
            raise ValueError(f"n_params, n_tokens and loss must be 1-D of one length; "
                             f"got shapes {shapes}")
        for name, a in arrays.items():
            object.__setattr__(self, name, a)

    @classmethod
    def from_flops(cls, n_params: ArrayLike, flops: ArrayLike, loss: ArrayLike) -> Runs:
        """Runs given by compute C (FLOPs) instead of tokens, with D = C / (6N)."""
        n = as_positive_array("n_params", n_params)
        c = as_positive_array("flops", flops)
        if n.shape != c.shape:
            raise ValueError(f"n_params and flops must have one shape; got {n.shape}, {c.shape}")
        return cls(n, c / (FLOPS_PER_PARAM_TOKEN * n), loss)

    def __len__(self) -> int:
        return int(self.loss.size)

    @property
    def flops(self) -> NDArray[np.float64]:
        """C = 6ND of each run, FLOPs."""
        return FLOPS_PER_PARAM_TOKEN * self.n_params * self.n_tokens

    def subset(self, index: ArrayLike) -> Runs:
        """The runs at ``index`` (an integer or boolean index array)."""
        return Runs(self.n_params[index], self.n_tokens[index], self.loss[index])

    def check_design(self, name: str = "runs") -> None:
        """Raise a ValueError if the runs cannot determine E + A/N^alpha + B/D^beta.

        A design is degenerate, whatever the noise, when

        * every run is the same run, or every run has the same loss (no trend to fit);
        * the runs have fewer than ``MIN_DISTINCT`` (3) distinct model sizes N: with one,
          alpha and A cannot be separated from E; with two, the three unknowns E, A and
          alpha meet only two levels of loss, and a one-parameter family of laws fits
          equally well (likewise D with B and beta);
        * they hold fewer distinct (N, D) points than the law's five parameters.

        Parameters
        ----------
        name
            The argument's name, for the message.

        Raises
        ------
        ValueError
            Saying which of the above holds and what runs would fix it.

        Examples
        --------
        >>> runs = Runs([1e8] * 6, [1e9, 2e9, 4e9, 8e9, 16e9, 32e9],
        ...             [3.2, 3.1, 3.0, 2.95, 2.9, 2.88])
        >>> runs.check_design()  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: runs: all 6 runs share one model size (N = 1e+08): alpha and A cannot be ...
        """
        count = len(self)
        n, d = _distinct(self.n_params), _distinct(self.n_tokens)
        snapped = np.column_stack([np.searchsorted(n, self.n_params * (1 - 1e-9)),
                                   np.searchsorted(d, self.n_tokens * (1 - 1e-9))])
        points = np.unique(snapped, axis=0).shape[0]
        if n.size == 1 and d.size == 1 and np.ptp(self.loss) == 0:
            raise ValueError(f"{name}: all {count} runs are the same run (N = {n[0]:.4g}, "
                             f"D = {d[0]:.4g}, loss = {self.loss[0]:.4g}): the data cannot "
                             f"determine a law; fit runs of several model sizes N and token "
                             f"counts D")
        if np.ptp(self.loss) == 0:
            raise ValueError(f"{name}: every run has the same loss ({self.loss[0]:.4g}): with "
                             f"no change of loss across runs the data cannot determine alpha, "
                             f"beta, A or B")
        for label, values, unknowns, other in (("model size", n, "alpha and A", "N"),
                                               ("token count", d, "beta and B", "D")):
            if values.size == 1:
                raise ValueError(f"{name}: all {count} runs share one {label} ({other} = "
                                 f"{values[0]:.4g}): {unknowns} cannot be separated from E; "
                                 f"fit runs at {MIN_DISTINCT} or more distinct {other}")
            if values.size < MIN_DISTINCT:
                raise ValueError(f"{name}: the runs have only {values.size} distinct {other} "
                                 f"({_values(values)}): E, {unknowns} are three unknowns and "
                                 f"{values.size} values of {other} fix only {values.size} "
                                 f"levels of loss, so many laws fit equally well; fit runs at "
                                 f"{MIN_DISTINCT} or more distinct {other}")
        if points < LAW_PARAMETERS:
            raise ValueError(f"{name}: the runs hold only {points} distinct (N, D) points, "
                             f"fewer than the {LAW_PARAMETERS} parameters of E + A/N^alpha + "
                             f"B/D^beta: the data cannot determine the fit; add runs at other "
                             f"(N, D)")

    def without_highest_losses(self, count: int) -> Runs:
        """Drop the ``count`` runs with the highest loss (Besiroglu et al. drop five)."""
        if count < 0 or count >= len(self):
            raise ValueError(f"count must lie in [0, {len(self) - 1}]; got {count}")
        keep = np.argsort(self.loss, kind="stable")[: len(self) - count]
        return self.subset(np.sort(keep))


@dataclass(frozen=True)
class IsoFlopRuns:
    """Runs at fixed compute budgets, several model sizes per budget (Approach 2's design).

    Attributes
    ----------
    runs
        Every run (N, D = C / 6N, final loss).
    budget
        The budget (FLOPs) each run belongs to, one per run.
    """

    runs: Runs
    budget: NDArray[np.float64]

    def __post_init__(self) -> None:
        check_instance("runs", self.runs, Runs)
        budget = as_positive_array("budget", self.budget)
        if budget.shape != (len(self.runs),):
            raise ValueError(f"budget must hold one value per run ({len(self.runs)}); got "
                             f"shape {budget.shape}")
        object.__setattr__(self, "budget", budget)


@dataclass(frozen=True)
class TrainingCurves:
    """Loss curves of runs, each recorded at checkpoints (Approach 1's design).

    Attributes
    ----------
    n_params
        N of each run, shape (R,).
    tokens
        Tokens seen at each checkpoint, shape (R, K).
    loss
        Loss at each checkpoint, nats per token, shape (R, K).
    """

    n_params: NDArray[np.float64]
    tokens: NDArray[np.float64]
    loss: NDArray[np.float64]

    def __post_init__(self) -> None:
        n = as_positive_array("n_params", self.n_params)
        tokens = as_positive_array("tokens", self.tokens)
        loss = as_positive_array("loss", self.loss)
        if n.ndim != 1 or tokens.shape != (n.size, *tokens.shape[1:]) or tokens.ndim != 2 \
                or loss.shape != tokens.shape:
            raise ValueError(f"n_params must have shape (R,) and tokens and loss (R, K); got "
                             f"shapes {n.shape}, {tokens.shape} and {loss.shape}")
        object.__setattr__(self, "n_params", n)
        object.__setattr__(self, "tokens", tokens)
        object.__setattr__(self, "loss", loss)

    @classmethod
    def from_checkpoints(cls, run: ArrayLike, n_params: ArrayLike, tokens: ArrayLike,
                         loss: ArrayLike) -> TrainingCurves:
        """Curves from a long table, one row per checkpoint of a run.

        Runs may have recorded different numbers of checkpoints (log-spaced checkpoints of a
        short run coincide at its first steps); every run keeps its last K, K being the
        fewest any run has, so that the curves form the (R, K) arrays Approach 1 takes. What
        is dropped is the start of the longer runs, far above the envelope.

        Parameters
        ----------
        run
            Which run each row belongs to (any labels; a run's rows need not be adjacent).
        n_params
            N of the row's run, parameters (one value per run).
        tokens
            Tokens seen at the checkpoint (> 0).
        loss
            Loss at the checkpoint, nats per token (> 0).

        Returns
        -------
        TrainingCurves
            Runs in order of first appearance, each curve in order of tokens.

        Raises
        ------
        ValueError
            If the columns differ in length, a run has rows with different N, or a run has
            fewer than two checkpoints.

        Examples
        --------
        >>> curves = TrainingCurves.from_checkpoints(
        ...     ["a", "a", "a", "b", "b"], [10, 10, 10, 20, 20],
        ...     [1e3, 1e4, 1e5, 1e4, 1e5], [3.0, 2.5, 2.2, 2.6, 2.1])
        >>> curves.tokens.tolist(), curves.n_params.tolist()
        ([[10000.0, 100000.0], [10000.0, 100000.0]], [10.0, 20.0])
        """
        labels = np.asarray(run)
        n = as_positive_array("n_params", n_params)
        seen = as_positive_array("tokens", tokens)
        values = as_positive_array("loss", loss)
        if not (labels.ndim == n.ndim == seen.ndim == values.ndim == 1
                and labels.size == n.size == seen.size == values.size):
            raise ValueError("run, n_params, tokens and loss must be 1-D of one length")
        _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
        order = np.argsort(first, kind="stable")
        rows = [np.flatnonzero(inverse == k) for k in order]
        for r in rows:
            if np.ptp(n[r]) != 0:
                raise ValueError(f"n_params must be one value per run; run {labels[r[0]]!r} "
                                 f"has {_values(np.unique(n[r]))}")
        keep = min(r.size for r in rows)
        if keep < 2:
            raise ValueError("every run needs at least 2 checkpoints")
        rows = [r[np.argsort(seen[r], kind="stable")][-keep:] for r in rows]
        return cls(np.array([n[r[0]] for r in rows]), np.stack([seen[r] for r in rows]),
                   np.stack([values[r] for r in rows]))


def as_runs(runs: Runs | IsoFlopRuns, name: str = "runs") -> Runs:
    """The :class:`Runs` a fit of final losses takes, from :class:`Runs` or
    :class:`IsoFlopRuns`.

    Every run of an IsoFLOP design is a finished run, so its ``.runs`` is what such a fit takes
    (Hoffmann et al. fit Approach 3 to exactly these). :class:`TrainingCurves` are refused:
    a loss at a checkpoint is not a final loss (the learning rate has not yet decayed there),
    and which checkpoints to fit is the caller's choice.

    Parameters
    ----------
    runs
        The runs, or an IsoFLOP design holding them.
    name
        The argument's name, for the error message.

    Raises
    ------
    ValueError
        Naming the argument, if it is :class:`TrainingCurves` (saying how to take their final
        checkpoints) or any other object.

    Examples
    --------
    >>> import numpy as np
    >>> design = IsoFlopRuns(Runs([1e8, 2e8], [2e9, 1e9], [3.1, 3.0]), np.array([1.2e18] * 2))
    >>> as_runs(design) is design.runs
    True
    """
    if isinstance(runs, Runs):
        return runs
    if isinstance(runs, IsoFlopRuns):
        return runs.runs
    if isinstance(runs, TrainingCurves):
        raise ValueError(f"{name} must be Runs (one final loss per run) or IsoFlopRuns; got "
                         f"TrainingCurves (losses at checkpoints). Fit the curves with "
                         f"fit_approach1, or pass their final checkpoints: "
                         f"Runs(curves.n_params, curves.tokens[:, -1], curves.loss[:, -1])")
    raise ValueError(f"{name} must be Runs or IsoFlopRuns; got {type(runs).__name__}")


def read_runs_csv(path: str | PathLike[str], columns: Mapping[str, str] | None = None, *,
                  max_rows: int = MAX_ROWS) -> Runs:
    """Read runs from a CSV file with a header row.

    Columns: ``N`` (parameters); ``D`` (tokens) or ``C`` (training FLOPs, with D = C / 6N),
    not both; ``loss`` (nats per token). Other columns are ignored. The file is read by the
    library's one reader of tabular input (:mod:`chinchilla_lib.fitting._table`, the same as
    the command line's): UTF-8 with or without a byte-order mark, spaces around names ignored,
    every row as long as the header, at most ``max_rows`` data rows and 64 MiB.

    Parameters
    ----------
    path
        The CSV file.
    columns
        Other names for the columns, as ``{"N": "Model Size", "C": "Training FLOP"}``.
    max_rows
        Most data rows the file may hold (default 10,000: Approach 3's memory grows with the
        number of runs times its 4,500 starts).

    Raises
    ------
    TypeError
        If ``path`` is not a path or ``columns`` not a dict of names.
    ValueError
        With a one-line message naming the file: it cannot be read or is not UTF-8 text (naming
        the encoding it looks like); a missing, duplicated or ambiguous column (both D and C,
        or names that differ only in case); a short row (with its line); a value that is not a
        finite positive number (with its line and column); more than ``max_rows`` rows; or
        fewer than six rows.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> rows = "\\n".join(f"{n:g}, {20 * n:g}, {2 + 1 / n ** 0.1:.4f}"
    ...                    for n in (1e8, 2e8, 4e8, 8e8, 1.6e9, 3.2e9))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     file = pathlib.Path(folder) / "runs.csv"
    ...     _ = file.write_text("N, D, loss\\n" + rows)
    ...     runs = read_runs_csv(file)
    >>> len(runs), float(runs.n_tokens[0])
    (6, 2000000000.0)
    """
    table = read_table(path, ("N", "loss"), one_of=("D", "C"), columns=columns,
                       max_rows=max_rows)
    shown = os.fspath(path)
    if len(table["N"]) < MIN_RUNS:
        raise ValueError(f"{shown}: needs at least {MIN_RUNS} runs to fit; "
                         f"got {len(table['N'])}")
    if "D" in table:
        return Runs(table["N"], table["D"], table["loss"])
    return Runs.from_flops(table["N"], table["C"], table["loss"])


BUDGET_TOLERANCE = 0.1
"""Relative gap that separates two compute budgets when a sweep's file has no ``budget``
column: runs whose C (the ``C`` column, or 6ND) lie within 10% of the next one's belong to
one budget. An IsoFLOP design's budgets lie a factor of 1.5 or more apart, while its runs
reach their budget only to within rounding of the token count (the course's own sweep: well
under 1%)."""


def group_budgets(flops: ArrayLike, tolerance: float = BUDGET_TOLERANCE) -> NDArray[np.float64]:
    """The budget each run belongs to: runs sorted by compute C, a new budget wherever C
    rises by more than ``tolerance`` (relative) over the run before; each budget is the
    geometric mean of its runs' C.

    Parameters
    ----------
    flops
        C of each run, FLOPs (1-D, > 0).
    tolerance
        Relative gap that starts a new budget, in (0, 1].

    Examples
    --------
    >>> group_budgets([1.0e18, 0.99e18, 1.01e18, 3e18, 3.02e18]).round(-15).tolist()
    [1e+18, 1e+18, 1e+18, 3.01e+18, 3.01e+18]
    """
    c = as_positive_array("flops", flops)
    if c.ndim != 1:
        raise ValueError(f"flops must be 1-D; got shape {c.shape}")
    gap = single("tolerance", check_fraction("tolerance", tolerance))
    order = np.argsort(c, kind="stable")
    log_c = np.log(c[order])
    starts = np.concatenate([[True], np.diff(log_c) > np.log1p(gap)])
    label = np.cumsum(starts) - 1
    centres = np.exp(np.bincount(label, log_c) / np.bincount(label))
    budget = np.empty_like(c)
    budget[order] = centres[label]
    return budget


@dataclass(frozen=True)
class Sweep:
    """A sweep as a file gives it: each run's final checkpoint, the budget it belongs to and,
    when the file holds checkpoints, the training curves.

    Attributes
    ----------
    runs
        One row per run: N, D at the run's last checkpoint (its tokens), its final loss.
    budget
        The compute budget each run belongs to, FLOPs (for Approach 2's grouping and the
        held-out split).
    curves
        The runs' loss curves (Approach 1), or None when the file has one row per run.
    budget_source
        Where ``budget`` comes from, in words (a column, or C grouped within 10%).
    labels
        Each run's name: the ``run`` column's value, or one built from its budget and N.
    """

    runs: Runs
    budget: NDArray[np.float64]
    curves: TrainingCurves | None = None
    budget_source: str = ""
    labels: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_instance("runs", self.runs, Runs)
        budget = as_positive_array("budget", self.budget)
        if budget.shape != (len(self.runs),):
            raise ValueError(f"budget must hold one value per run ({len(self.runs)}); got "
                             f"shape {budget.shape}")
        object.__setattr__(self, "budget", budget)
        if self.curves is not None:
            check_instance("curves", self.curves, TrainingCurves)
            if self.curves.n_params.size != len(self.runs):
                raise ValueError(f"curves must hold one curve per run ({len(self.runs)}); "
                                 f"got {self.curves.n_params.size}")
        check_instance("budget_source", self.budget_source, str)
        if not isinstance(self.labels, tuple | list) or not all(
                isinstance(v, str) for v in self.labels):
            raise TypeError(f"labels must be a tuple of str, one per run; got "
                            f"{type(self.labels).__name__}")
        labels = tuple(self.labels) or tuple(
            f"{c:.3g}/{n:.4g}" for c, n in zip(budget, self.runs.n_params, strict=True))
        if len(labels) != len(self.runs):
            raise ValueError(f"labels must name each of the {len(self.runs)} runs; got "
                             f"{len(labels)}")
        object.__setattr__(self, "labels", labels)

    def __len__(self) -> int:
        return len(self.runs)

    @property
    def isoflop(self) -> IsoFlopRuns:
        """The runs grouped by budget (Approach 2's design)."""
        return IsoFlopRuns(self.runs, self.budget)

    def subset(self, index: ArrayLike) -> Sweep:
        """The runs (and their curves) at ``index``, an integer or boolean index array."""
        rows = np.arange(len(self))[np.asarray(index)]
        curves = None if self.curves is None else TrainingCurves(
            self.curves.n_params[rows], self.curves.tokens[rows], self.curves.loss[rows])
        return Sweep(self.runs.subset(rows), self.budget[rows], curves, self.budget_source,
                     tuple(self.labels[r] for r in rows))


def _run_keys(table: Mapping[str, NDArray], tokens_column: str) -> tuple[NDArray, str]:
    """Which run each row belongs to, and how that was decided (see :func:`read_sweep_csv`)."""
    if "run" in table:
        return table["run"], "the run column"
    n = table["N"]
    if "budget" in table:
        return np.array([f"{c:.6g}/{v:.6g}" for c, v in zip(table["budget"], n, strict=True)]), \
            "budget and N"
    if tokens_column == "tokens":
        return np.array([f"{v:.6g}" for v in n]), "N (one run per model size)"
    return np.arange(n.size).astype(str), ""


def read_sweep_csv(path: str | PathLike[str], *, max_rows: int = MAX_ROWS) -> Sweep:
    """Read a sweep from a CSV file: final losses (one row per run) or training curves (one
    row per checkpoint).

    Columns: ``N`` (parameters); one of ``D`` or ``tokens`` (tokens seen) or ``C`` (FLOPs,
    D = C / 6N); ``loss`` (nats per token); optionally ``budget`` (the run's compute budget,
    FLOPs, as ``chinchilla experiment`` writes it) and ``run`` (a name telling runs apart).
    Other columns are ignored. The rows are checkpoints of training curves when

    * a ``run`` column names some run on two or more rows; or, without one,
    * a ``budget`` column and N repeat together on two or more rows (a run is a budget and a
      model size, as in ``experiment --curves``); or
    * the tokens column is named ``tokens`` (tokens seen at a checkpoint): then a run is a
      model size.

    Otherwise each row is one finished run. A run's final checkpoint is its row with the most
    tokens. Each run's budget is its ``budget`` value, or else its final C (the ``C`` column
    or 6ND) grouped with :func:`group_budgets`.

    Raises
    ------
    ValueError
        Naming the file: anything :func:`~chinchilla_lib.fitting._table.read_table` refuses;
        a run whose rows disagree on N or budget, or repeat a token count; runs of curves
        with fewer than two checkpoints; fewer than ``MIN_RUNS`` runs.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> rows = [f"{n:g},{f * n:g},{2 + 50 / n ** 0.3 + 400 / (f * n) ** 0.3:.5f}"
    ...         for n in (1e6, 2e6, 4e6, 8e6, 16e6, 32e6) for f in (2, 8, 32)]
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     file = pathlib.Path(folder) / "curves.csv"
    ...     _ = file.write_text("N,tokens,loss\\n" + "\\n".join(rows))
    ...     sweep = read_sweep_csv(file)
    >>> len(sweep), sweep.curves.tokens.shape, sweep.runs.n_tokens[0]
    (6, (6, 3), np.float64(32000000.0))
    """
    shown = os.fspath(path)
    try:
        table = read_table(path, ("N", "loss"), one_of=("D", "tokens", "C"),
                           optional=("budget",), labels=("run",), max_rows=max_rows)
    except ValueError as error:
        if "needs columns" in str(error) and "'width'" in str(error) and "'N'" not in str(error):
            raise ValueError(f"{error} (curves that experiment --curves wrote before it wrote "
                             f"N lack that column: run it again, or add N, each width's "
                             f"parameter count, from the sweep's runs file)") from None
        raise
    tokens_column = next(name for name in ("D", "tokens", "C") if name in table)
    n = table["N"]
    tokens = table["C"] / (FLOPS_PER_PARAM_TOKEN * n) if tokens_column == "C" \
        else table[tokens_column]
    keys, how = _run_keys(table, tokens_column)
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rows = [np.flatnonzero(inverse == k) for k in order]
    is_curves = bool(how) and any(r.size > 1 for r in rows)
    for r in rows:
        label = str(keys[r[0]])
        for name in ("N", "budget"):
            if name in table and np.ptp(table[name][r]) != 0:
                raise ValueError(f"{shown}: run {label!r} has rows with different {name} "
                                 f"({_values(np.unique(table[name][r]))}); a run has one "
                                 f"{name} (tell runs apart with a run column)")
        if r.size > 1 and np.unique(tokens[r]).size < r.size:
            raise ValueError(f"{shown}: run {label!r} (runs told apart by {how}) has two rows "
                             f"at the same token count; name each run in a run column")
    if len(rows) < MIN_RUNS:
        kind = "runs (telling runs apart by " + how + ")" if is_curves else "runs"
        raise ValueError(f"{shown}: needs at least {MIN_RUNS} {kind} to fit; got {len(rows)}")
    last = np.array([r[np.argmax(tokens[r])] for r in rows])
    runs = Runs(n[last], tokens[last], table["loss"][last])
    if "budget" in table:
        budget, source = table["budget"][last], "the budget column"
    else:
        budget = group_budgets(runs.flops)
        source = (f"{'C' if tokens_column == 'C' else '6ND'} of each run's last row, grouped "
                  f"within {BUDGET_TOLERANCE:.0%}")
    curves = None
    if is_curves:
        try:
            curves = TrainingCurves.from_checkpoints(inverse, n, tokens, table["loss"])
        except ValueError as error:
            raise ValueError(f"{shown}: {error} (runs told apart by {how})") from None
    labels = tuple(str(keys[r[0]]) for r in rows) if how else ()
    return Sweep(runs, budget, curves, source, labels)
