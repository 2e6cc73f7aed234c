"""The command ``bnsl-fit``: a broken power law (Caballero et al. 2022) fitted to columns x, y of
a CSV file."""

from __future__ import annotations

import argparse
from typing import Any

from chinchilla_lib.cli._common import Command, _integer, _shown, _with_undetermined
from chinchilla_lib.fitting._table import MAX_ROWS

COMMANDS = ("bnsl-fit",)
"""The subcommands this module adds."""


def _breaks(text: str) -> str:
    """An argparse type: 0 to 3 breaks, or ``auto``."""
    value = text.strip().lower()
    if value not in ("0", "1", "2", "3", "auto"):
        raise argparse.ArgumentTypeError(f"must be 0, 1, 2, 3 or 'auto'; got {_shown(text)}")
    return value


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
    try:
        if args.breaks == "auto":
            fit = fit_bnsl_auto(x[:keep], y[:keep], target=args.target)
        else:
            fit = fit_bnsl(x[:keep], y[:keep], breaks=int(args.breaks), target=args.target)
    except ValueError as error:  # the points cannot be fitted: say whose points they are
        held = f" (less the last {args.holdout} held out by --holdout)" if args.holdout else ""
        raise ValueError(f"{args.data}{held}: {error}") from None
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


def _blame(args: argparse.Namespace, place: str) -> str:
    """The file a non-finite result of ``bnsl-fit`` comes from."""
    return f"the points in {args.data}"


def add(command: Command) -> list[argparse.ArgumentParser]:
    """Add this module's subcommands; return their parsers."""
    bnsl = command("bnsl-fit", "fit a broken power law to columns x, y of a CSV")
    bnsl.add_argument("data", help="CSV with columns x and y, or your own copy of Caballero et "
                      "al.'s fitting script (.py; its arrays x and y are read, not run)")
    bnsl.add_argument("--breaks", default="1", type=_breaks,
                      help="0 to 3, or 'auto' (default 1). auto splits the fitted points "
                      "(those left after --holdout), sorted by x: it fits each number of "
                      "breaks to all but the last fifth of them (x.size // 5 points of "
                      "largest x, at least 1), keeps the number whose fit has the lowest "
                      "RMSLE on that fifth, and refits it on all fitted points. n breaks are "
                      "tried only if the points before the fifth hold 4 + 3n distinct x (one "
                      "break needs 8 fitted points); the split is the command's own, separate "
                      "from --holdout, so the points --holdout keeps back never steer the "
                      "choice. The output says which split was used (breaks_chosen_by)")
    bnsl.add_argument("--holdout", type=_integer(0, MAX_ROWS), default=0,
                      help="hold out this many points of largest x to judge extrapolation")
    bnsl.add_argument("--target", default="log", choices=("log", "log1p"),
                      help="fit log y (default) or log(1 + y) as Caballero et al. do")
    bnsl.set_defaults(run=_bnsl_fit, blame=_blame)

    return [bnsl]
