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
    Hoffmann et al.'s Approaches 1, 2 and 3 fitted to your runs or training curves (a CSV
    file), with bootstrap intervals; with ``--at-flops``, N_opt, D_opt, tokens per parameter
    and the loss at a budget, with intervals and an interval for a new run's loss; with
    ``--holdout-largest``, the error on the runs of largest compute, fitted without them.
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
import json
import sys
import warnings
from collections.abc import Sequence

from chinchilla_lib.cli import bnsl, cost, experiment, fit, plan
from chinchilla_lib.cli._common import (
    BLAS_THREAD_VARIABLES,
    CONTRACT,
    EXIT_OK,
    EXIT_OUTPUT,
    EXIT_USAGE,
    _about_the_data,
    _discard_stdout,
    _fail,
    _lines,
    _not_finite,
    _one_blas_thread,
    _one_line,
    _Parser,
    _plain,
    _UsageError,
    _wants_json,
)
from chinchilla_lib.cli.cost import ShapeAssumptionWarning
from chinchilla_lib.cli.experiment import _ProgressBar as _ProgressBar  # tested here
from chinchilla_lib.fitting._result import MAX_BOOTSTRAP

__all__ = ["BLAS_THREAD_VARIABLES", "CONTRACT", "EXIT_OK", "EXIT_OUTPUT", "EXIT_USAGE",
           "MAX_BOOTSTRAP", "ShapeAssumptionWarning", "main"]

COMMAND_MODULES = (cost, plan, fit, bnsl, experiment)
"""The modules that add the subcommands, in the order ``--help`` lists them; each has
``add(command)``, which returns its parsers."""



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

    for module in COMMAND_MODULES:
        for p in module.add(command):
            p.add_argument("--json", action="store_true",
                           help='print one JSON object (an error as {"error": "..."})')
    return parser


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
            raise ValueError(f"{args.blame(args, place)}: no finite result ({place} would be "
                             f"{value}; the largest float is about 1.8e308)")
    except (ValueError, ArithmeticError, OSError) as error:
        return _fail(_one_line(error, getattr(args, "flag_names", None)), as_json)
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
