"""The command line: ``python -m chinchilla_lib`` (or ``chinchilla``).

Subcommands
-----------
cost
    Training compute, PF-days and accelerator-hours for N parameters and D tokens, with the
    accelerators' energy at a stated power and, given a price per accelerator-hour, dollars.
count
    Parameters (with and without embeddings, active and total) and FLOPs per token of a
    transformer shape.
models
    The models of the registry (Hoffmann et al. 2022, Table 1) with 6ND and D/N.
plan
    Compute-optimal N, D, tokens per parameter and loss for a FLOP budget, by each published
    Chinchilla-form law (or the one named); with ``--hyperparameters``, also the peak learning
    rate and batch size that DeepSeek LLM, Step Law, Porian et al. or Kaplan et al. recommend.
fit
    Hoffmann et al.'s Approach 3 fitted to your runs (a CSV file), with bootstrap intervals.
bnsl-fit
    A broken power law (Caballero et al. 2022) fitted to columns x, y of a CSV file, holding
    out the points of largest x to judge extrapolation.
experiment
    Train an IsoFLOP sweep of the toy next-token model (:mod:`chinchilla_lib.experiment`) and
    write its runs as a CSV that ``fit`` reads.

Every subcommand takes ``--json`` to print one JSON object instead of text. The contract for
errors and the limits on input are in :data:`CONTRACT` (printed by ``--help``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import re
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NoReturn

from chinchilla_lib import quantities, registry
from chinchilla_lib.fitting._result import MAX_BOOTSTRAP
from chinchilla_lib.fitting._table import MAX_BYTES, MAX_ROWS

__all__ = ["BLAS_THREAD_VARIABLES", "CONTRACT", "MAX_BOOTSTRAP", "ShapeAssumptionWarning", "main"]

EXIT_OK, EXIT_OUTPUT, EXIT_USAGE = 0, 1, 2
"""Exit statuses: success; the output could not be written; bad input or flags."""

CONTRACT = f"""\
input files:
  CSV with a header row, comma-separated, in UTF-8 with or without a byte-order mark (other
  encodings are refused, naming the encoding). Spaces around names and values are ignored;
  names are case-sensitive. Each column read must appear once (fit: N, loss and one of D
  or C; bnsl-fit: x and y), every row must have as many fields as the header, and every
  value read must be a finite number > 0. Limits: {MAX_ROWS:,} data rows and
  {MAX_BYTES // 2**20} MiB per file; fit --bootstrap at most {MAX_BOOTSTRAP:,}.

errors and exit status:
  0  success; warnings about the data, if any, print as "warning: ..." lines on stderr
     (and, with --json, under "warnings").
  2  bad input or flags: exactly one line "error: ..." on stderr and, with --json, also
     {{"error": "..."}} on stdout. Output never holds NaN or infinity: a result beyond the
     range of a float is an error naming the flag.
  1  the output cannot be written: a full disk (one line on stderr), or a closed pipe
     (as with "| head"; silently).
"""
"""The command line's contract for input and errors, as ``--help`` prints it."""


BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
"""The environment variables that set the threads of the BLAS libraries (OpenBLAS, OpenMP
builds, MKL). Run as a program, the command line sets each to 1 unless the user has set any
of them: its fits take SciPy's least squares, which factors a small matrix at every step,
and a BLAS that spreads each small factorisation over the cores spends more time waiting
than computing on a busy machine (``bnsl-fit --breaks auto`` on 2,000 points: about 8 times
slower on two cores with one of them busy)."""


def _one_blas_thread() -> None:
    """Ask the BLAS libraries not yet loaded for one thread each, unless the user has set the
    number (in any of :data:`BLAS_THREAD_VARIABLES`). OpenBLAS reads the number when it
    loads: SciPy's copy loads with the first fit, after this; NumPy's own copy has loaded
    with ``import chinchilla_lib`` and keeps its threads (it does not carry the solver's
    factorisations)."""
    if not any(name in os.environ for name in BLAS_THREAD_VARIABLES):
        for name in BLAS_THREAD_VARIABLES:
            os.environ[name] = "1"


class _UsageError(Exception):
    """A mistake in the command line itself (argparse's errors), reported in one line."""


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors raised as one line instead of the usage block and exit."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{message} (see {self.prog} --help)")

    def print_help(self, file: Any = None) -> None:
        # argparse's own printing swallows a failed write (a full disk) and exits with 0
        (file or sys.stdout).write(self.format_help())

    def print_usage(self, file: Any = None) -> None:
        (file or sys.stdout).write(self.format_usage())


def _shown(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "...")


def _number(low: float, high: float = math.inf, *, low_open: bool = True,
            high_open: bool = False) -> Callable[[str], float]:
    """An argparse type: a finite float in the stated range, or a one-line refusal."""
    left, right = "(" if low_open else "[", ")" if high_open else "]"
    rule = (f"> {low:g}" if low_open else f">= {low:g}") if math.isinf(high) else \
        f"in {left}{low:g}, {high:g}{right}"

    def number(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a number {rule}; got "
                                             f"{_shown(text)}") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"must be a finite number {rule}; got "
                                             f"{_shown(text)}")
        if value < low or (low_open and value == low) or value > high or \
                (high_open and value == high):
            raise argparse.ArgumentTypeError(f"must be {rule}; got {_shown(text)}")
        return value

    return number


def _integer(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: an integer in [low, high] (``1e3`` reads as 1000), or a refusal."""

    def integer(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            try:
                real = float(text)
            except ValueError:
                real = math.nan
            if not (math.isfinite(real) and real.is_integer()):
                raise argparse.ArgumentTypeError(f"must be an integer in [{low}, {high:,}]; "
                                                 f"got {_shown(text)}") from None
            value = int(real)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be an integer in [{low}, {high:,}]; got "
                                             f"{_shown(text)}")
        return value

    return integer


def _accelerator(text: str) -> str:
    """An argparse type: an accelerator's name in any case (``h100`` is ``H100``)."""
    names = {name.casefold(): name for name in quantities.ACCELERATORS}
    name = names.get(text.strip().casefold())
    if name is None:
        raise argparse.ArgumentTypeError(f"must be one of {', '.join(sorted(names.values()))} "
                                         f"(any case); got {_shown(text)}")
    return name


def _hyperparameter_law(text: str) -> str:
    """An argparse type: a hyperparameter law's short name, or ``all``, in any case."""
    from chinchilla_lib.laws.hyperparameters import HYPERPARAMETER_LAWS

    value = text.strip().lower()
    if value not in (*HYPERPARAMETER_LAWS, "all"):
        raise argparse.ArgumentTypeError(f"must be one of {', '.join(HYPERPARAMETER_LAWS)} or "
                                         f"all (any case); got {_shown(text)}")
    return value


def _breaks(text: str) -> str:
    """An argparse type: 0 to 3 breaks, or ``auto``."""
    value = text.strip().lower()
    if value not in ("0", "1", "2", "3", "auto"):
        raise argparse.ArgumentTypeError(f"must be 0, 1, 2, 3 or 'auto'; got {_shown(text)}")
    return value


SHAPE = 10**9
"""Largest width, depth, vocabulary or context ``count`` takes (far beyond any model)."""


@contextlib.contextmanager
def _blamed(flag: str, what: str) -> Iterator[None]:
    """Name the flag in a refusal from the library: the flags are checked when parsed, so a
    ValueError (or an overflow) here comes from their magnitude."""
    try:
        yield
    except (ValueError, ArithmeticError, RuntimeWarning) as error:
        raise ValueError(f"{flag}: no finite {what} ({_one_line(error)})") from None


def _cost(args: argparse.Namespace) -> dict[str, Any]:
    sizes = f"--params {args.params:g} and --tokens {args.tokens:g}"
    with _blamed(sizes, "training compute 6ND"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an overflow is refused by name
        flops = float(quantities.training_flops(args.params, args.tokens))
        if not math.isfinite(flops):
            raise ValueError("6ND is beyond the largest float, about 1.8e308")
    with _blamed(f"{sizes} at --utilisation {args.utilisation:g}",
                 "count of accelerator-hours"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        hours = float(quantities.gpu_hours(flops, quantities.accelerator_peak(args.accelerator),
                                           args.utilisation))
        if not math.isfinite(hours):
            raise ValueError("the hours are beyond the largest float, about 1.8e308")
    watts = (quantities.accelerator_power(args.accelerator) if args.watts is None
             else args.watts)
    with _blamed(sizes, "tokens per parameter"):
        ratio = quantities.tokens_per_parameter(args.params, args.tokens)
    with _blamed(f"--watts {watts:g}" if args.watts is not None else sizes, "energy"):
        energy = quantities.energy_kwh(hours, watts)
    result = {
        "n_params": args.params,
        "n_tokens": args.tokens,
        "tokens_per_parameter": ratio,
        "training_flops": flops,
        "pf_days": quantities.pf_days(flops),
        "accelerator": args.accelerator,
        "utilisation": args.utilisation,
        "gpu_hours": hours,
        "watts_per_accelerator": watts,
        "energy_kwh": energy,
    }
    if args.usd_per_hour is not None:
        result["usd_per_accelerator_hour"] = args.usd_per_hour
        with _blamed(f"--usd-per-hour {args.usd_per_hour:g}", "cost in dollars"):
            result["dollars"] = quantities.dollar_cost(hours, args.usd_per_hour)
    return result


class ShapeAssumptionWarning(UserWarning):
    """``count`` filled in a part of the shape that the flags left out and that such models
    usually set otherwise (a gated MLP's width)."""


def _count(args: argparse.Namespace) -> dict[str, Any]:
    heads = 1 if args.heads is None else args.heads
    if args.heads is None and args.kv_heads is not None and args.kv_heads > 1:
        raise ValueError(f"--kv-heads {args.kv_heads} needs --heads (the query heads, a "
                         "multiple of --kv-heads; without it there is 1)")
    if args.gated and args.d_ff is None:
        warnings.warn(f"--gated without --d-ff counts d_ff = 4 d_model = {4 * args.d_model:,}; "
                      "a gated MLP usually has about 8/3 d_model: give --d-ff",
                      ShapeAssumptionWarning, stacklevel=1)
    shape = quantities.TransformerShape(
        n_layer=args.layers, d_model=args.d_model, vocab_size=args.vocab, n_ctx=args.ctx,
        d_ff=args.d_ff, n_heads=heads, n_kv_heads=args.kv_heads, gated_mlp=args.gated,
        n_experts=args.experts, experts_per_token=args.experts_per_token,
        learned_positions=args.learned_positions, tied_embeddings=not args.untied)
    counts = shape.parameter_counts()
    flops = shape.flops_per_token()
    return {
        "total_params": counts.total,
        "non_embedding_params": counts.non_embedding,
        "active_params": counts.active,
        "embedding_share": counts.embedding_share,
        "forward_flops_per_token": flops.forward,
        "training_flops_per_token": flops.training,
        "attention_share_of_forward": flops.attention_share,
        "d_ff": shape.ff_width,
        "tied_embeddings": shape.tied_embeddings,
        "not_counted": "biases and normalisation weights (as Kaplan et al. 2020, Eq. 2.1)",
    }


def _models(args: argparse.Namespace) -> dict[str, Any]:
    return {
        m.name: {
            "n_params": m.n_params,
            "n_tokens": m.n_tokens,
            "tokens_per_parameter": quantities.tokens_per_parameter(m.n_params, m.n_tokens),
            "training_flops_6nd": quantities.training_flops(m.n_params, m.n_tokens),
            "source": f"{m.source.citation}, {m.source.location}",
        }
        for m in registry.HOFFMANN_TABLE1
    }


LAW_ALIASES = {
    "hoffmann": "hoffmann2022/approach3",
    "hoffmann-unrounded": "hoffmann2022/approach3 unrounded",
    "besiroglu": "besiroglu2024/refit",
}
"""Short names for the Chinchilla-form fits to Hoffmann et al.'s runs (planned by default)."""


def _plan(args: argparse.Namespace) -> dict[str, Any]:
    from chinchilla_lib.laws.chinchilla import ChinchillaLaw

    chinchilla = registry.LawFamily.CHINCHILLA
    names = [f.name for f in registry.fits(family=chinchilla, fitted_to="hoffmann2022training")]
    if args.law is not None:
        known = [f.name for f in registry.fits(family=chinchilla)]
        by_case = {n.lower(): n for n in [*known, *LAW_ALIASES]}
        name = by_case.get(args.law.strip().lower(), args.law)
        name = LAW_ALIASES.get(name, name)
        if name not in known:
            raise ValueError(f"--law must be one of {sorted(LAW_ALIASES)} or {known}; "
                             f"got {args.law!r}")
        names = [name]
    plans = {}
    for name in names:
        law = ChinchillaLaw.from_registry(name)
        with _blamed(f"--flops {args.flops:g}", f"plan by {name}"):
            optimum = law.compute_optimal(args.flops)
        plan = {
            "n_params": optimum.n_params,
            "n_tokens": optimum.n_tokens,
            "tokens_per_parameter": optimum.n_tokens / optimum.n_params,
            "loss": optimum.loss,
            "a": law.optimal_params_exponent,
            "source": f"{registry.fit(name).source.citation}, {registry.fit(name).source.location}",
        }
        if args.inference_tokens is not None:
            with _blamed(f"--inference-tokens {args.inference_tokens:g} (with --flops "
                         f"{args.flops:g})", f"plan by {name}"):
                plan["with_inference"] = _with_inference(law, args.flops, args.inference_tokens)
        if args.unique_tokens is not None:
            with _blamed(f"--unique-tokens {args.unique_tokens:g} (with --flops "
                         f"{args.flops:g})", f"plan by {name}"):
                plan["with_unique_tokens"] = _with_unique_tokens(law, args.flops,
                                                                 args.unique_tokens)
        plans[name] = plan
    result: dict[str, Any] = {"flops": args.flops, "plans": plans}
    if args.context is not None and args.hyperparameters is None:
        raise ValueError("--context needs --hyperparameters (it sets the sequence length in "
                         "which the recommended batch is counted)")
    if args.hyperparameters is not None:
        allocation = names[0] if args.law is not None else None
        result["hyperparameters"] = _hyperparameters(args, allocation)
    return result


def _hyperparameters(args: argparse.Namespace, allocation: str | None) -> dict[str, Any]:
    """The recommended peak learning rate and batch size of the laws ``--hyperparameters``
    names, at the budget ``--flops``, with the source of each."""
    from chinchilla_lib.laws import hyperparameters as hp

    allocation = allocation or hp.DEFAULT_ALLOCATION
    context = hp.DEFAULT_CONTEXT if args.context is None else args.context
    with _blamed(f"--flops {args.flops:g}", "hyperparameter recommendation"):
        table = hp.hyperparameter_table(args.flops, allocation=allocation, context=context)
    wanted = hp.HYPERPARAMETER_LAWS if args.hyperparameters == "all" else \
        (args.hyperparameters,)
    result: dict[str, Any] = {
        "context": context,
        "allocation": allocation,
        "n_params": table.n_params,
        "n_tokens": table.n_tokens,
        "rule": f"laws in N and D take the compute-optimal N and D of {allocation} "
                "(C = 6ND); laws in C take --flops as it is",
    }
    for law in wanted:
        row = table.row(law)
        entry: dict[str, Any] = {}
        if row.learning_rate is None:
            entry["learning_rate_note"] = "none: the law gives no learning rate"
        else:
            entry["learning_rate"] = row.learning_rate
        entry.update(batch_tokens=row.batch_tokens, batch_sequences=row.batch_sequences,
                     evaluated_at=row.inputs, source=row.source)
        result[law] = entry
    return result


def _with_inference(law: Any, flops: float, served: float) -> dict[str, Any]:
    """Sardana et al.: the cheapest model reaching the same loss once ``served`` tokens of
    inference are paid for, beside the compute-optimal one."""
    from chinchilla_lib.laws.inference import saving_over_compute_optimal

    both = saving_over_compute_optimal(law, flops, served)
    cheaper = both.cheaper
    return {
        "inference_tokens": served,
        "n_params": cheaper.n_params,
        "n_tokens": cheaper.n_tokens,
        "tokens_per_parameter": cheaper.tokens_per_parameter,
        "total_flops": cheaper.total_flops,
        "total_flops_compute_optimal_model": both.baseline_total,
        "saving_fraction": both.saving_fraction,
    }


def _with_unique_tokens(law: Any, flops: float, unique: float) -> dict[str, Any]:
    """Muennighoff et al.: the optimum when only ``unique`` tokens exist, repeats decaying."""
    from chinchilla_lib.laws.data_constrained import DataConstrainedLaw

    optimum = DataConstrainedLaw(law).compute_optimal(flops, unique)
    return {
        "unique_tokens": unique,
        "n_params": optimum.n_params,
        "n_tokens": optimum.n_tokens,
        "epochs": optimum.n_tokens / unique,
        "loss": optimum.loss,
    }


def _fit(args: argparse.Namespace) -> dict[str, Any]:
    from chinchilla_lib.fitting.approach3 import fit_approach3
    from chinchilla_lib.fitting.runs import MIN_RUNS, read_runs_csv

    runs = read_runs_csv(args.runs)
    if args.drop_highest:
        if len(runs) - args.drop_highest < MIN_RUNS:
            raise ValueError(f"--drop-highest {args.drop_highest} is too many for the "
                             f"{len(runs)} runs in {args.runs}: a fit needs {MIN_RUNS} runs, "
                             f"so at most {len(runs) - MIN_RUNS} may be dropped")
        runs = runs.without_highest_losses(args.drop_highest)
    try:
        fit = fit_approach3(runs, bootstrap=args.bootstrap, seed=args.seed)
    except ValueError as error:  # "runs: ..." is the library's argument: name the file
        message = str(error)
        if not message.startswith("runs: "):
            raise
        raise ValueError(f"{args.runs}: {message.removeprefix('runs: ')}") from None
    law = fit.law
    result: dict[str, Any] = {
        "E": law.e, "A": law.a, "B": law.b, "alpha": law.alpha, "beta": law.beta,
        "a": law.optimal_params_exponent, "b": law.optimal_tokens_exponent,
        "objective": fit.objective, "n_runs": fit.n_runs, "n_starts": fit.n_starts,
        "converged": fit.converged, "n_iter": fit.n_iter, "solver_message": fit.message,
    }
    if args.bootstrap:
        result["interval_level"] = 0.95
        names = {"E": "E", "A": "A", "B": "B", "alpha": "alpha", "beta": "beta",
                 "a": "optimal_params_exponent", "b": "optimal_tokens_exponent"}
        for key, name in names.items():
            interval = fit.interval(name, 0.95)
            result[f"{key}_interval"] = [interval.low, interval.high]
    return _with_undetermined(result, fit)


def _with_undetermined(result: dict[str, Any], fit: Any) -> dict[str, Any]:
    """``result`` with the parameters the data do not pin down, when the fit names any (the
    fit also warns, and the warning prints on stderr)."""
    undetermined = dict(getattr(fit, "undetermined", None) or {})
    if undetermined:
        result["undetermined"] = undetermined
    return result


def _read_xy(path: str) -> tuple[Any, Any]:
    """Columns x and y of a CSV file, by the library's one reader of tabular input."""
    from chinchilla_lib.fitting._table import read_table

    table = read_table(path, ("x", "y"))
    return table["x"], table["y"]


def _bnsl_fit(args: argparse.Namespace) -> dict[str, Any]:
    import numpy as np

    from chinchilla_lib.fitting.bnsl import fit_bnsl, fit_bnsl_auto, read_authors_points
    from chinchilla_lib.metrics import rmsle

    if str(args.data).lower().endswith(".py"):
        x, y = read_authors_points(args.data)
    else:
        x, y = _read_xy(args.data)
    order = np.argsort(x)
    x, y = x[order], y[order]
    if not 0 <= args.holdout < max(x.size, 1):
        raise ValueError(f"--holdout must lie in [0, {x.size - 1}]; got {args.holdout}")
    keep = x.size - args.holdout
    if args.breaks == "auto":
        fit = fit_bnsl_auto(x[:keep], y[:keep], target=args.target)
    else:
        fit = fit_bnsl(x[:keep], y[:keep], breaks=int(args.breaks), target=args.target)
    law = fit.law
    result: dict[str, Any] = {
        "form": "y = a + b x^-c0 prod_i (1 + (x/d_i)^(1/f_i))^(-c_i f_i)",
        "breaks": fit.n_breaks, "a": law.a, "b": law.b, "c0": law.c0,
        "break_parameters": [{"c": br.c, "d": br.d, "f": br.f} for br in law.breaks],
        "train_rmsle": fit.train_rmsle,
        "converged": fit.converged, "n_iter": fit.n_iter, "solver_message": fit.message,
    }
    if args.breaks == "auto":
        result["breaks_chosen_by"] = _chosen_by(x[:keep])
    if args.holdout:
        result["holdout_rmsle"] = rmsle(law, x[keep:], y[keep:])
    return _with_undetermined(result, fit)


def _chosen_by(x: Any) -> str:
    """How ``bnsl-fit --breaks auto`` chose the number of breaks for the sorted points ``x``,
    in words: by the held-out error, or, when no break could be considered, why not."""
    import numpy as np

    from chinchilla_lib.fitting.bnsl import _holdout_candidates

    held, limit = _holdout_candidates(x)
    if limit > 0:
        return (f"held-out RMSLE on the last {held} of the {x.size} fitted points (a split "
                "inside the fitted points, separate from --holdout)")
    if x.size < 8:  # 7 distinct x to fit a break (3 + 3 parameters) and 1 to judge it
        return (f"too few points for a break: {x.size} fitted points, at least 8 needed (7 to "
                "fit one break, 1 held out to judge it); fitted without a break")
    distinct = np.unique(x[:-held]).size
    return (f"too few distinct x for a break: {distinct} distinct values of x before the last "
            f"{held} of the {x.size} fitted points, at least 7 needed; fitted without a break")
MAX_WORKERS = 256
"""Most worker processes ``experiment --workers`` takes."""
CURVE_CHECKPOINTS = 16
"""Checkpoints per run that ``experiment --curves`` records."""


def _check_output_path(path: str, flag: str = "--out") -> None:
    """Refuse, before hours of training, an output file that could not be written."""
    if os.path.isdir(path):
        raise ValueError(f"{flag} {_shown(path)} is a directory; give a file name")
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise ValueError(f"{flag} {_shown(path)}: the folder {_shown(parent)} does not exist")
    if not os.access(parent, os.W_OK) or (os.path.exists(path) and
                                          not os.access(path, os.W_OK)):
        raise ValueError(f"{flag} {_shown(path)}: not writable")


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class _ProgressBar:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal: runs done,
    elapsed time and a rough time left (from the share of the sweep's FLOPs done, since the
    runs of a budget cost about the same)."""

    def __init__(self, total_flops: float, stream: Any = None) -> None:
        self.stream = sys.stderr if stream is None else stream
        self.shown = bool(getattr(self.stream, "isatty", lambda: False)())
        self.total_flops = total_flops
        self.done_flops = 0.0
        self.start = time.perf_counter()

    def __call__(self, done: int, total: int, run: Any) -> None:
        self.done_flops += run.flops
        if not self.shown:
            return
        elapsed = time.perf_counter() - self.start
        share = min(1.0, self.done_flops / self.total_flops) if self.total_flops else 1.0
        left = elapsed * (1.0 - share) / share if share > 0 else 0.0
        filled = round(24 * done / max(total, 1))
        tail = "\n" if done == total else ""
        self.stream.write(f"\r[{'#' * filled}{'.' * (24 - filled)}] {done}/{total} runs, "
                          f"{_duration(elapsed)} elapsed, ~{_duration(left)} left  {tail}")
        self.stream.flush()


def _experiment_command(args: argparse.Namespace) -> str:
    words = ["python -m chinchilla_lib experiment", f"--budget {args.budget}",
             f"--seed {args.seed}"]
    if args.workers is not None:
        words.append(f"--workers {args.workers}")
    if args.out is not None:
        words.append(f"--out {args.out}")
    if args.curves is not None:
        words.append(f"--curves {args.curves}")
    return " ".join(words)


def _experiment(args: argparse.Namespace) -> dict[str, Any]:
    import chinchilla_lib
    from chinchilla_lib.experiment import (
        DEFAULT_LANGUAGE,
        SWEEP_BUDGETS,
        curves_csv,
        plan_sweep,
        run_sweep,
        sweep_csv,
    )

    if args.out is not None:
        _check_output_path(args.out)
    if args.curves is not None:
        _check_output_path(args.curves, "--curves")
    planned = plan_sweep(SWEEP_BUDGETS[args.budget], vocab_size=DEFAULT_LANGUAGE.vocab_size)
    bar = _ProgressBar(sum(p.budget for p in planned))
    start = time.perf_counter()
    results = run_sweep(planned, language=DEFAULT_LANGUAGE, seed=args.seed,
                        workers=args.workers, progress=bar,
                        checkpoints=0 if args.curves is None else CURVE_CHECKPOINTS)
    seconds = time.perf_counter() - start
    rows = [{"budget": float(p.budget), "width": r.width, "N": r.n_params, "D": r.n_tokens,
             "flops": float(r.flops), "loss": float(r.loss)}
            for p, r in zip(planned, results, strict=True)]
    language = DEFAULT_LANGUAGE
    result: dict[str, Any] = {
        "command": _experiment_command(args),
        "library_version": chinchilla_lib.__version__,
        "budget": args.budget,
        "budgets_flops": list(SWEEP_BUDGETS[args.budget]),
        "seed": args.seed,
        "language": {"vocab_size": language.vocab_size,
                     "spectrum_exponent": language.spectrum_exponent,
                     "logit_scale": language.logit_scale,
                     "zipf_exponent": language.zipf_exponent, "seed": language.seed},
        "entropy_rate": language.entropy_rate,
        "n_runs": len(rows),
        "wall_seconds": round(seconds, 1),
        "training_seconds": round(sum(r.seconds for r in results), 1),
    }
    if args.curves is not None:
        with open(args.curves, "w", encoding="utf-8", newline="") as file:
            file.write(curves_csv(planned, results))
        result["curves"] = args.curves
    if args.out is not None:
        with open(args.out, "w", encoding="utf-8", newline="") as file:
            file.write(sweep_csv(planned, results))
        result["out"] = args.out
    else:
        result["runs"] = rows
        table = sweep_csv(planned, results)
        args.text = lambda summary: _experiment_text(summary, table)
    return result


def _experiment_text(result: dict[str, Any], table: str | None = None) -> str:
    """The text output of ``experiment``: the summary, then the runs' CSV when not written
    to a file."""
    lines = _lines({k: v for k, v in result.items() if k != "runs"})
    if table is not None:
        lines.append(table.rstrip("\n"))
    return "\n".join(lines)


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e6:
            return f"{value:.0f}"
        return f"{value:.4g}"
    return str(value)


def _lines(result: dict[str, Any], indent: int = 0) -> list[str]:
    width = 28 - indent
    lines = []
    for key, value in result.items():
        if isinstance(value, dict):
            lines.append(f"{' ' * indent}{key}:")
            lines += _lines(value, indent + 2)
        else:
            lines.append(f"{' ' * indent}{key:<{width}} {_text(value)}")
    return lines


def _plain(value: Any) -> Any:
    """``value`` with NumPy scalars and arrays, and tuples, as Python numbers and lists."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist"):  # a NumPy scalar or array
        return _plain(value.tolist())
    return value


def _not_finite(value: Any, path: str = "") -> tuple[str, float] | None:
    """The first number in ``value`` that is NaN or infinite, with its place (``a.b``)."""
    if isinstance(value, dict):
        for key, item in value.items():
            found = _not_finite(item, f"{path}.{key}" if path else str(key))
            if found:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = _not_finite(item, f"{path}[{i}]")
            if found:
                return found
    elif isinstance(value, float) and not math.isfinite(value):
        return path, value
    return None


def _blame(args: argparse.Namespace, place: str) -> str:
    """The flag (or file) a non-finite result comes from."""
    command = args.command
    if command == "plan":
        if "with_inference" in place:
            return f"--inference-tokens {args.inference_tokens:g}"
        if "with_unique_tokens" in place:
            return f"--unique-tokens {args.unique_tokens:g}"
        return f"--flops {args.flops:g}"
    if command == "cost":
        if place == "energy_kwh":
            return f"--watts {args.watts:g}" if args.watts is not None else \
                "--params and --tokens"
        if place == "dollars":
            return f"--usd-per-hour {args.usd_per_hour:g}"
        return f"--params {args.params:g} and --tokens {args.tokens:g}"
    if command == "fit":
        return f"the runs in {args.runs}"
    if command == "bnsl-fit":
        return f"the points in {args.data}"
    if command == "experiment":
        return f"--budget {args.budget}"
    return "the shape flags"


FLAG_NAMES = {
    "cost": {"n_params": "--params", "n_tokens": "--tokens", "utilisation": "--utilisation"},
    "count": {"n_layer": "--layers", "d_model": "--d-model", "vocab_size": "--vocab",
              "n_ctx": "--ctx", "d_ff": "--d-ff", "n_heads": "--heads",
              "n_kv_heads": "--kv-heads", "n_experts": "--experts",
              "experts_per_token": "--experts-per-token"},
    "plan": {"flops": "--flops", "served_tokens": "--inference-tokens",
             "unique_tokens": "--unique-tokens", "context": "--context"},
}
"""The library's argument names, as each command's flags, for the library's messages."""


def _one_line(error: BaseException, command: str | None = None) -> str:
    """An exception's message on one line, with the library's argument names as flags."""
    text = re.sub(r"\s*[\r\n]+\s*", " ", str(error)).strip() or type(error).__name__
    for name, flag in FLAG_NAMES.get(command or "", {}).items():
        text = re.sub(rf"(?<![\w-]){name}\b", flag, text)
    return text


def _wants_json(argv: Sequence[str]) -> bool:
    """Whether ``--json`` (or an abbreviation argparse would take) is among the flags."""
    for token in argv:
        if token == "--":
            return False
        if token.startswith("--j") and ("--json".startswith(token) or
                                        token.startswith("--json=")):
            return True
    return False


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m chinchilla_lib",
        description="Scaling-law arithmetic from 'Scaling Laws, Worked Out'.",
        epilog=CONTRACT, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                title="commands")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help_text, description=help_text[0].upper() +
                              help_text[1:] + ".", epilog=CONTRACT,
                              formatter_class=argparse.RawDescriptionHelpFormatter)

    positive = _number(0.0)
    cost = command("cost", "training FLOPs, PF-days, GPU-hours, energy (and dollars at a "
                   "stated price) for N and D")
    cost.add_argument("--params", type=positive, required=True, help="N, parameters (> 0)")
    cost.add_argument("--tokens", type=positive, required=True, help="D, training tokens (> 0)")
    names = ", ".join(sorted(quantities.ACCELERATORS))
    cost.add_argument("--accelerator", default="A100", type=_accelerator, metavar="NAME",
                      help=f"{names}, in any case (default A100)")
    cost.add_argument("--utilisation", type=_number(0.0, 1.0), default=0.4,
                      help="fraction of peak FLOP/s achieved, in (0, 1] (default 0.4)")
    ratings = ", ".join(f"{name} SXM {quantities.accelerator_power(name):.0f} W"
                        for name in sorted(quantities.ACCELERATOR_POWER))
    cost.add_argument("--watts", type=positive, default=None,
                      help="average power of one accelerator in W, for energy_kwh (default: "
                           f"the accelerator's datasheet rating, {ratings}; the accelerators "
                           "alone, without server or cooling)")
    cost.add_argument("--usd-per-hour", type=positive, default=None,
                      help="price of one accelerator-hour in US dollars: also report the "
                           "cost in dollars (no default: the library assumes no market price)")
    cost.set_defaults(run=_cost)

    count = command("count", "parameters and FLOPs per token of a transformer")
    size = _integer(1, SHAPE)
    count.add_argument("--layers", type=size, required=True)
    count.add_argument("--d-model", type=size, required=True)
    count.add_argument("--vocab", type=size, required=True)
    count.add_argument("--ctx", type=size, required=True, help="context length, tokens")
    count.add_argument("--d-ff", type=size, default=None,
                       help="feed-forward width (default 4 d_model; a gated MLP usually has "
                            "about 8/3 d_model)")
    count.add_argument("--heads", type=size, default=None, help="query heads (default 1)")
    count.add_argument("--kv-heads", type=size, default=None)
    count.add_argument("--gated", action="store_true", help="gated MLP (SwiGLU)")
    count.add_argument("--experts", type=size, default=1)
    count.add_argument("--experts-per-token", type=size, default=1)
    count.add_argument("--learned-positions", action="store_true")
    count.add_argument("--untied", action="store_true", help="separate unembedding matrix")
    count.set_defaults(run=_count)

    models = command("models", "the registry's models with 6ND and D/N")
    models.set_defaults(run=_models)

    plan = command("plan", "compute-optimal N and D for a FLOP budget")
    plan.add_argument("--flops", type=positive, required=True,
                      help="training compute C, FLOPs (> 0)")
    plan.add_argument("--law", default=None,
                      help=f"one law: {', '.join(sorted(LAW_ALIASES))} or the registry name "
                           "of any Chinchilla-form fit (default: the fits to Hoffmann et al.'s "
                           "runs)")
    plan.add_argument("--inference-tokens", type=_number(0.0, low_open=False), default=None,
                      help="tokens the model will serve (>= 0): also report the cheapest model "
                           "reaching the same loss (Sardana et al. 2024)")
    plan.add_argument("--unique-tokens", type=positive, default=None,
                      help="unique training tokens available (> 0): also report the optimum "
                           "with repeated data (Muennighoff et al. 2023)")
    plan.add_argument("--hyperparameters", type=_hyperparameter_law, default=None,
                      metavar="LAW",
                      help="also recommend a peak learning rate and batch size (tokens and "
                           "sequences): deepseek (Bi et al. 2024), steplaw (Li et al. 2025), "
                           "porian (Porian et al. 2024), kaplan (Kaplan et al. 2020, batch "
                           "only) or all, in any case; laws in N and D take the compute-"
                           "optimal N and D of --law (default hoffmann)")
    plan.add_argument("--context", type=_integer(1, SHAPE), default=None,
                      help="tokens per sequence for the batch in sequences, with "
                           "--hyperparameters (default 2048, the sequence length of Step "
                           "Law's and Porian et al.'s runs)")
    plan.set_defaults(run=_plan)

    fit = command("fit", "Approach 3 fit of L = E + A/N^alpha + B/D^beta to runs")
    fit.add_argument("runs", help="CSV with columns N (parameters), D (training tokens) or C "
                                  "(training FLOPs, read as 6ND), and loss (nats per token)")
    fit.add_argument("--bootstrap", type=_integer(0, MAX_BOOTSTRAP), default=0,
                     help=f"resamples for intervals, 0 to {MAX_BOOTSTRAP:,} (default 0)")
    fit.add_argument("--drop-highest", type=_integer(0, MAX_ROWS), default=0,
                     help="drop this many runs with the highest loss before fitting, to leave "
                          "out outliers (Besiroglu et al. drop five; default 0)")
    fit.add_argument("--seed", type=_integer(0, 2**32 - 1), default=0,
                     help="seed of the bootstrap, 0 to 2^32 - 1 (default 0)")
    fit.set_defaults(run=_fit)

    bnsl = command("bnsl-fit", "fit a broken power law to columns x, y of a CSV")
    bnsl.add_argument("data", help="CSV with columns x and y, or your own copy of Caballero et "
                      "al.'s fitting script (.py; its arrays x and y are read, not run)")
    bnsl.add_argument("--breaks", default="1", type=_breaks,
                      help="0 to 3, or 'auto' (default 1): auto fits each number of breaks to "
                      "all but the last fifth of the fitted points and keeps the one with the "
                      "lowest error on that fifth")
    bnsl.add_argument("--holdout", type=_integer(0, MAX_ROWS), default=0,
                      help="hold out this many points of largest x to judge extrapolation")
    bnsl.add_argument("--target", default="log", choices=("log", "log1p"),
                      help="fit log y (default) or log(1 + y) as Caballero et al. do")
    bnsl.set_defaults(run=_bnsl_fit)

    experiment = command("experiment", "train an IsoFLOP sweep of the toy next-token model on "
                         "this machine and write its runs (columns budget, width, N, D, flops, "
                         "loss) as a CSV that fit reads")
    experiment.add_argument("--budget", required=True, choices=("small", "full"),
                            help="small: 1e9 to 1e10 FLOPs, about a minute on 2 cores; full: "
                                 "1e10 to 1e12 FLOPs, about 10 minutes")
    experiment.add_argument("--out", default=None, metavar="RUNS.CSV",
                            help="write the runs to this CSV file (default: print them)")
    experiment.add_argument("--seed", type=_integer(0, 2**32 - 1), default=0,
                            help="seed of every run's initial weights and data, 0 to 2^32 - 1 "
                                 "(default 0)")
    experiment.add_argument("--workers", type=_integer(1, MAX_WORKERS), default=None,
                            help=f"processes to train in, 1 to {MAX_WORKERS} (default: the "
                                 "machine's cores); the runs do not depend on it beyond "
                                 "rounding")
    experiment.add_argument("--curves", default=None, metavar="CURVES.CSV",
                            help="also record each run's loss at about "
                                 f"{CURVE_CHECKPOINTS} log-spaced steps and write them to this "
                                 "CSV (columns budget, width, D, loss), for Approach 1; the "
                                 "final losses are the same with or without it")
    experiment.set_defaults(run=_experiment, text=_experiment_text)

    for p in (cost, count, models, plan, fit, bnsl, experiment):
        p.add_argument("--json", action="store_true",
                       help='print one JSON object (an error as {"error": "..."})')
    return parser


def _about_the_data(caught: warnings.WarningMessage) -> bool:
    """Whether a warning raised while computing is for the user: the library's and SciPy's
    (``UserWarning`` and its kin, a ``RuntimeWarning`` subclass), not NumPy's floating-point
    notes (a plain ``RuntimeWarning``; a result they spoil is refused as not finite) nor
    deprecations meant for developers."""
    category = caught.category
    return issubclass(category, UserWarning) or (issubclass(category, RuntimeWarning)
                                                 and category is not RuntimeWarning)


def _fail(message: str, as_json: bool) -> int:
    """Report a mistake of the user's: one line on stderr (and a JSON object); status 2."""
    print(f"error: {message}", file=sys.stderr)
    if as_json:
        print(json.dumps({"error": message}))
    return EXIT_USAGE


def _run(argv: list[str], as_json: bool) -> int:
    """Parse, compute and print; every mistake of the user's becomes one line and status 2."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as done:  # --help, printed
        return done.code if isinstance(done.code, int) else EXIT_OK
    except _UsageError as error:
        return _fail(_one_line(error), as_json)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = _plain(args.run(args))
        found = _not_finite(result)
        if found:
            place, value = found
            raise ValueError(f"{_blame(args, place)}: no finite result ({place} would be "
                             f"{value}; the largest float is about 1.8e308)")
    except (ValueError, ArithmeticError, OSError) as error:
        return _fail(_one_line(error, args.command), as_json)
    notes = list(dict.fromkeys(_one_line(w.message) for w in caught if _about_the_data(w)))
    for note in notes:
        print(f"warning: {note}", file=sys.stderr)
    if as_json:
        if notes:
            result["warnings"] = notes
        print(json.dumps(result, allow_nan=False))
    else:
        text = getattr(args, "text", None)
        print(text(result) if text is not None else "\n".join(_lines(result)))
    return EXIT_OK


def _discard_stdout() -> None:
    """Point the standard output at the null device, so that nothing is written at exit."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (AttributeError, OSError, ValueError):  # not a file (a test's capture)
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    0 on success; 2 for bad input or flags (one line on stderr, and a JSON error object on
    stdout with ``--json``); 1 when the output cannot be written (a full disk, one line on
    stderr; a closed pipe, silently). See :data:`CONTRACT`.

    Run as a program (``argv`` None), it first asks the BLAS libraries for one thread each
    unless the user has chosen (:data:`BLAS_THREAD_VARIABLES`); called with ``argv``, as from
    Python, it leaves the environment alone.
    """
    if argv is None:
        _one_blas_thread()
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        status = _run(arguments, _wants_json(arguments))
        sys.stdout.flush()
    except BrokenPipeError:  # the reader left, as "| head" does: stop quietly
        _discard_stdout()
        return EXIT_OUTPUT
    except OSError as error:  # a full disk
        _discard_stdout()
        print(f"error: cannot write the output: {error.strerror or error}", file=sys.stderr)
        return EXIT_OUTPUT
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    return status
