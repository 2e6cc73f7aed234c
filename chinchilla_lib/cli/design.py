"""The command ``design``: the next runs to train, an IsoFLOP experiment within a compute budget
that makes the interval on N_opt at a target budget as narrow as it can, judged by simulated
fits (:func:`chinchilla_lib.experiment.design.design_experiment`)."""

from __future__ import annotations

import argparse
from typing import Any

from chinchilla_lib.cli._common import Command, _integer, _number

COMMANDS = ("design",)
"""The subcommands this module adds."""

FLAG_NAMES = {"budget": "--budget", "target": "--target", "noise": "--noise",
              "simulations": "--simulations", "seed": "--seed"}
"""The library's argument names, as this command's flags, for the library's messages."""

MAX_CLI_SIMULATIONS = 2_000
"""Most simulated sweeps per finalist the command takes (about 10 s a design more)."""


def _runs_of(design: Any, flops: Any, n: Any, d: Any) -> list[dict[str, float]]:
    return [{"budget": float(c), "N": float(p), "D": float(t)} for c, p, t in zip(flops, n, d,
                                                                                    strict=True)]


def _interval(forecast: Any) -> dict[str, float]:
    return {"low": forecast.low, "high": forecast.high, "factor": forecast.factor,
            "failed_fits": forecast.failed}


def _design(args: argparse.Namespace) -> dict[str, Any]:
    from chinchilla_lib.experiment.design import (
        SCREEN_SIMULATIONS,
        SIMULATIONS,
        design_experiment,
    )
    from chinchilla_lib.fitting._result import DEFAULT_LEVEL

    runs = None
    if args.runs is not None:
        from chinchilla_lib.fitting.runs import read_runs_csv

        runs = read_runs_csv(args.runs)
    try:
        result = design_experiment(args.budget, args.target, runs=runs, noise=args.noise,
                                   seed=args.seed,
                                   simulations=args.simulations or SIMULATIONS,
                                   screen_simulations=min(args.simulations or SIMULATIONS,
                                                          SCREEN_SIMULATIONS))
    except ValueError as error:  # "runs: ..." is the library's argument: name the file
        message = str(error)
        if not message.startswith("runs: ") or args.runs is None:
            raise
        raise ValueError(f"{args.runs}: {message.removeprefix('runs: ')}") from None
    chosen, naive = result.design, result.naive_design
    return {
        "budget_flops": args.budget,
        "target_flops": args.target,
        "law": result.law_source,
        "n_opt_at_target": result.forecast.n_opt,
        "noise": result.noise,
        "existing_runs": result.existing_runs,
        "interval_level": DEFAULT_LEVEL,
        "simulations": result.forecast.simulations,
        "seed": args.seed,
        "proposal": {
            "design": chosen.describe(),
            "budgets": chosen.budgets, "span_decades": chosen.span_decades,
            "sizes_per_budget": chosen.sizes_per_budget,
            "width_decades": chosen.width_decades,
            "total_flops": result.total_flops,
            "n_opt_interval": _interval(result.forecast),
            "runs": _runs_of(chosen, result.flops, result.n_params, result.n_tokens),
        },
        "naive": {
            "design": naive.describe(),
            "budgets": naive.budgets, "span_decades": naive.span_decades,
            "sizes_per_budget": naive.sizes_per_budget, "width_decades": naive.width_decades,
            "total_flops": result.naive_total_flops,
            "n_opt_interval": _interval(result.naive_forecast),
            "runs": _runs_of(naive, result.naive_flops, result.naive_n_params,
                             result.naive_n_tokens),
        },
        "screened_best": [{"design": c.describe(), "factor": _factor(width)}
                          for c, width in result.screened[:SHOWN_SCREENED]],
        "assumptions": list(result.assumptions),
    }


SHOWN_SCREENED = 5
"""How many of the best screened designs ``--json`` lists, with their screening factors."""


def _factor(log_width: float) -> float | None:
    """A screening width in log N_opt as a factor either way (None when unbounded)."""
    import math

    return math.exp(log_width / 2.0) if math.isfinite(log_width) else None


def _text(result: dict[str, Any]) -> str:
    """The proposal as a table of runs, then its interval beside the naive grid's."""
    proposal, naive = result["proposal"], result["naive"]
    level = f"{result['interval_level']:.0%}"
    lines = [f"design for N_opt at {result['target_flops']:.3g} FLOPs, within "
             f"{result['budget_flops']:.3g} FLOPs of new runs",
             f"law simulated: {result['law']} (N_opt there {result['n_opt_at_target']:.3g}); "
             f"noise {result['noise']:.3g} in log loss; {result['simulations']} simulated fits, "
             f"seed {result['seed']}",
             "", f"proposal: {proposal['design']}",
             f"  {'budget (FLOPs)':>14}  {'N (parameters)':>14}  {'D (tokens)':>12}"]
    for run in proposal["runs"]:
        lines.append(f"  {run['budget']:>14.3g}  {run['N']:>14.3g}  {run['D']:>12.3g}")
    lines.append(f"  {len(proposal['runs'])} runs, total {proposal['total_flops']:.3g} FLOPs")
    lines += ["", f"expected {level} interval on N_opt at the target:"]
    for name, part in (("proposal", proposal), ("naive grid", naive)):
        interval = part["n_opt_interval"]
        lines.append(f"  {name:<11} factor {interval['factor']:.3g} either way  "
                     f"({interval['low']:.3g} to "
                     f"{interval['high']:.3g} parameters)"
                     + (f"  [{part['design']}, {len(part['runs'])} runs, "
                        f"{part['total_flops']:.3g} FLOPs]" if name != "proposal" else ""))
    lines += ["", "assumptions:"] + [f"  - {a}" for a in result["assumptions"]]
    return "\n".join(lines)


def _blame(args: argparse.Namespace, place: str) -> str:
    """The flags a non-finite result of ``design`` comes from."""
    return f"--budget {args.budget:g} and --target {args.target:g}"


def add(command: Command) -> list[argparse.ArgumentParser]:
    """Add this module's subcommands; return their parsers."""
    design = command("design", "the next runs to train: an IsoFLOP experiment within a "
                               "budget that narrows the interval on N_opt at a target budget")
    design.add_argument("--budget", type=_number(0.0), required=True,
                        help="compute for the new runs, FLOPs: the sum of 6ND of the proposal "
                             "stays within it")
    design.add_argument("--target", type=_number(0.0), required=True,
                        help="the budget of the run being planned, FLOPs, where N_opt is wanted")
    design.add_argument("--runs", default=None,
                        help="CSV of runs already trained (columns N, D or C, loss, as fit "
                             "reads): the law simulated is fitted to them, and the proposal "
                             "adds to them (default: the published prior besiroglu2024/refit)")
    design.add_argument("--noise", type=_number(0.0, low_open=False), default=None,
                        help="standard deviation of log loss between runs to simulate "
                             "(default: the runs' residual scale, or for the prior the assumed "
                             "experiment.design.PRIOR_NOISE)")
    design.add_argument("--simulations", type=_integer(10, MAX_CLI_SIMULATIONS),
                        default=None,
                        help=f"simulated fits per finalist design, 10 to "
                             f"{MAX_CLI_SIMULATIONS:,} (default: the library's, "
                             f"experiment.design.SIMULATIONS); each design of the family is "
                             f"screened with the fewer of these and SCREEN_SIMULATIONS")
    design.add_argument("--seed", type=_integer(0, 2**32 - 1), default=0,
                        help="seed of the simulations, 0 to 2^32 - 1 (default 0)")
    design.set_defaults(run=_design, blame=_blame, flag_names=FLAG_NAMES, text=_text)
    return [design]
