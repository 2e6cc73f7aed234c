"""The command line: ``python -m chinchilla_lib`` (or ``chinchilla``).

Subcommands
-----------
cost
    Training compute, PF-days and accelerator-hours for N parameters and D tokens (or for a
    number of FLOPs), on a named accelerator's dense BF16 peak or a stated peak, with the
    wall-clock days on K accelerators, the energy at a stated power and, given a price per
    accelerator-hour, dollars.
count
    Parameters (with and without embeddings, active and total) and FLOPs per token of a
    transformer shape.
models
    The models of the registry (Hoffmann et al. 2022, Table 1) with 6ND and D/N.
plan
    Compute-optimal N, D, tokens per parameter and loss for a FLOP budget, by each published
    Chinchilla-form law (the recommended one first, or the one named) or by a saved fit of
    one's own (``--fit``), warning when the budget lies more than
    :data:`~chinchilla_lib.laws.extrapolation.EXTRAPOLATION_FACTOR` times beyond the fitted
    runs or the repeated data beyond 1 + R*_D epochs; with
    ``--hyperparameters``, also the peak learning rate and batch size that DeepSeek LLM,
    Step Law, Porian et al. or Kaplan et al. recommend.
fit
    Hoffmann et al.'s Approaches 1, 2 and 3 fitted to your runs or training curves (a CSV
    file), with bootstrap intervals; with ``--at-flops``, N_opt, D_opt, tokens per parameter
    and the loss at a budget, with intervals and an interval for a new run's loss; with
    ``--holdout-largest``, the error on the runs of largest compute, fitted without them.
bnsl-fit
    A broken power law (Caballero et al. 2022) fitted to columns x, y of a CSV file, holding
    out the points of largest x to judge extrapolation. ``--breaks auto`` chooses the number
    of breaks on a split of its own: sorted by x, the fitted points (those ``--holdout``
    leaves) lose their last fifth (at least one point); each number of breaks whose 3 + 3n
    parameters the rest can carry (4 + 3n distinct x) is fitted to the rest, the one with
    the lowest RMSLE on the fifth is kept and refitted on all fitted points.
design
    The next runs to train: IsoFLOP budgets and model sizes within a compute budget that make
    the interval on N_opt at a target budget as narrow as simulated fits can find, beside a
    naive grid's.
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

from chinchilla_lib.cli import bnsl, cost, design, experiment, fit, plan
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

COMMAND_MODULES = (cost, plan, fit, bnsl, design, experiment)
"""The modules that add the subcommands, in the order ``--help`` lists them; each has
``add(command)``, which returns its parsers."""

COMMANDS_OF = {module: module.COMMANDS for module in COMMAND_MODULES}
"""The subcommands each module adds (its ``COMMANDS``). A run builds only the parsers of the
module that adds its subcommand, so that a command loads only what it uses; with no
subcommand, or one no module adds (a typo, ``--help``), every parser is built, so that
argparse lists them all."""


def _modules_for(argv: Sequence[str] | None) -> tuple[object, ...]:
    """The command modules whose parsers a run with ``argv`` needs (see :data:`COMMANDS_OF`)."""
    chosen = next((token for token in argv or () if not token.startswith("-")), None)
    if not any(chosen in names for names in COMMANDS_OF.values()):
        return COMMAND_MODULES
    return tuple(m for m in COMMAND_MODULES if chosen in COMMANDS_OF[m])


def _parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
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

    for module in _modules_for(argv):
        for p in module.add(command):
            p.add_argument("--json", action="store_true",
                           help='print one JSON object (an error as {"error": "..."})')
    return parser


def _run(argv: list[str], as_json: bool) -> int:
    """Parse, compute and print; every mistake of the user's becomes one line and status 2."""
    try:
        args = _parser(argv).parse_args(argv)
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
