"""The command ``experiment``: train an IsoFLOP sweep of the toy next-token model and write its
runs."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from chinchilla_lib.cli._common import Command, _check_output_path, _duration, _integer, _lines

COMMANDS = ("experiment",)
"""The subcommands this module adds."""

MAX_WORKERS = 256
"""Most worker processes ``experiment --workers`` takes."""

CURVE_CHECKPOINTS = 16
"""Checkpoints per run that ``experiment --curves`` records."""


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


def _blame(args: argparse.Namespace, place: str) -> str:
    """The flag a non-finite result of ``experiment`` comes from."""
    return f"--budget {args.budget}"


def add(command: Command) -> list[argparse.ArgumentParser]:
    """Add this module's subcommands; return their parsers."""
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
                                 "CSV (columns budget, width, N, D, loss) that fit --approach 1 "
                                 "reads; the "
                                 "final losses are the same with or without it")
    experiment.set_defaults(run=_experiment, text=_experiment_text, blame=_blame)

    return [experiment]
