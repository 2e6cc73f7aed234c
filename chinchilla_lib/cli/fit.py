"""The command ``fit``: Hoffmann et al.'s Approach 3 fitted to the user's runs, with bootstrap
intervals."""

from __future__ import annotations

import argparse
from typing import Any

from chinchilla_lib.cli._common import Command, _integer, _with_undetermined
from chinchilla_lib.fitting._result import DEFAULT_LEVEL, MAX_BOOTSTRAP
from chinchilla_lib.fitting._table import MAX_ROWS


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
        result["interval_level"] = DEFAULT_LEVEL
        names = {"E": "E", "A": "A", "B": "B", "alpha": "alpha", "beta": "beta",
                 "a": "optimal_params_exponent", "b": "optimal_tokens_exponent"}
        for key, name in names.items():
            interval = fit.interval(name, DEFAULT_LEVEL)
            result[f"{key}_interval"] = [interval.low, interval.high]
    return _with_undetermined(result, fit)


def _blame(args: argparse.Namespace, place: str) -> str:
    """The file a non-finite result of ``fit`` comes from."""
    return f"the runs in {args.runs}"


def add(command: Command) -> list[argparse.ArgumentParser]:
    """Add this module's subcommands; return their parsers."""
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
    fit.set_defaults(run=_fit, blame=_blame)

    return [fit]
