"""The command ``fit``: Hoffmann et al.'s three approaches fitted to the user's runs, with
bootstrap intervals, the decision at a budget (``--at-flops``) and the error on held-out
runs of largest compute (``--holdout-largest``)."""

from __future__ import annotations

import argparse
from typing import Any

from chinchilla_lib.cli._common import (
    Command,
    _integer,
    _number,
    _with_undetermined,
)
from chinchilla_lib.fitting._result import DEFAULT_LEVEL, MAX_BOOTSTRAP
from chinchilla_lib.fitting._table import MAX_ROWS

COMMANDS = ("fit",)
"""The subcommands this module adds."""

APPROACH_CHOICES = ("1", "2", "3", "all")
"""What ``--approach`` takes."""

_LAW_KEYS = ("E", "A", "B", "alpha", "beta")


def _file_error(error: ValueError, path: str) -> ValueError:
    """A library refusal of the argument ``runs`` or ``sweep`` as a refusal of the file."""
    message = str(error)
    for name in ("runs: ", "sweep: "):
        if message.startswith(name):
            return ValueError(f"{path}: {message.removeprefix(name)}")
    return error


def _interval(values: Any, level: float, estimate: float, name: str) -> list[float]:
    from chinchilla_lib.fitting._result import percentile_interval

    interval = percentile_interval(values, level, estimate, name)
    return [interval.low, interval.high]


def _approach3(model: Any, args: argparse.Namespace) -> dict[str, Any]:
    """Today's output of ``fit`` (Approach 3), with intervals from the sweep's refits."""
    fit = model.fit
    law = fit.law
    result: dict[str, Any] = {
        "E": law.e, "A": law.a, "B": law.b, "alpha": law.alpha, "beta": law.beta,
        "a": law.optimal_params_exponent, "b": law.optimal_tokens_exponent,
        "objective": fit.objective, "n_runs": fit.n_runs, "n_starts": fit.n_starts,
        "converged": fit.converged, "n_iter": fit.n_iter, "solver_message": fit.message,
        "residual_scale": model.residual_scale,
    }
    if len(model.replicates):
        e, a, b, alpha, beta = model.replicates.T
        samples = {"E": e, "A": a, "B": b, "alpha": alpha, "beta": beta,
                   "a": beta / (alpha + beta), "b": alpha / (alpha + beta)}
        result["interval_level"] = args.level
        if model.unconverged:
            result["refits_unconverged"] = model.unconverged
        for key, values in samples.items():
            result[f"{key}_interval"] = _interval(values, args.level, result[key], key)
    return _with_undetermined(result, fit)


def _approach12(model: Any, args: argparse.Namespace) -> dict[str, Any]:
    fit = model.fit
    result: dict[str, Any] = {
        "a": fit.law.n_opt.exponent, "b": fit.law.d_opt.exponent,
        "k_N": fit.law.n_opt.coefficient, "k_D": fit.law.d_opt.coefficient,
        "n_optima": int(fit.flops.size),
    }
    if model.approach == 2:
        result["out_of_range"] = fit.out_of_range
    if len(model.replicates):
        a = model.replicates[:, 1]
        result["interval_level"] = args.level
        result["a_interval"] = _interval(a, args.level, result["a"], "a")
        result["b_interval"] = _interval(1.0 - a, args.level, result["b"], "b")
        result["refits_without_frontier"] = int((~(a == a)).sum())
    return result


def _decision(model: Any, args: argparse.Namespace) -> dict[str, Any]:
    from chinchilla_lib.fitting.decision import decide

    choice = decide(model, args.at_flops, level=args.level)
    out: dict[str, Any] = {"flops": choice.flops, "level": args.level}
    for key, value in (("N_opt", choice.n_params), ("D_opt", choice.n_tokens),
                       ("tokens_per_param", choice.tokens_per_param), ("loss", choice.loss)):
        if value is not None:
            out[key] = value.estimate
            if choice.replicates[1]:
                out[f"{key}_interval"] = [value.low, value.high]
    if choice.prediction is not None:
        out["new_run_loss_interval"] = [choice.prediction.low, choice.prediction.high]
    if choice.replicates[1]:
        out["refits_used"] = choice.replicates[0]
        out["refits"] = choice.replicates[1]
    if choice.note:
        out["note"] = choice.note.replace("fit with bootstrap > 0",
                                          "pass --bootstrap (1,000 or more)")
    return out


def _holdout(sweep: Any, approach: int, k: int, args: argparse.Namespace) -> dict[str, Any]:
    from chinchilla_lib.fitting.decision import holdout

    score = holdout(sweep, approach, k, bootstrap=args.bootstrap, seed=args.seed,
                    level=args.level)
    out: dict[str, Any] = {"held_out": score.held_out,
                           "fitted_flops": list(score.fitted_flops),
                           "held_out_flops": list(score.held_out_flops)}
    if score.log_rmse is not None:
        out["log_loss_rmse"] = score.log_rmse
        out["runs"] = [{"N": r.n_params, "D": r.n_tokens, "loss": r.loss,
                        "predicted": r.predicted, "log_error": r.log_error}
                       | ({"interval": list(r.interval)} if r.interval else {})
                       for r in score.runs]
    if score.covered is not None:
        out["within_interval"] = f"{score.covered[0]} of {score.covered[1]}"
        out["interval_level"] = score.level
    out["optima"] = [{"budget": c, "N_opt_measured": seen, "N_opt_predicted": said,
                      "log_error": error} for c, seen, said, error in score.optima]
    if score.note:
        out["note"] = score.note
    return out


def _one(sweep: Any, approach: int, args: argparse.Namespace) -> tuple[dict[str, Any], Any]:
    """One approach's part of the output, and its fit."""
    from chinchilla_lib.fitting.decision import fit_sweep

    model = fit_sweep(sweep, approach, bootstrap=args.bootstrap, seed=args.seed)
    result = _approach3(model, args) if approach == 3 else _approach12(model, args)
    result["fitted_flops"] = list(model.fitted_flops)
    if args.bootstrap:
        result["resampling"] = ("runs within each budget" if model.stratified else "all runs") \
            + (" (whole curves)" if approach == 1 else "")
    if args.at_flops is not None:
        result["at_flops"] = _decision(model, args)
    if args.holdout_largest:
        result["holdout"] = _holdout(sweep, approach, args.holdout_largest, args)
    return result, model


def _sweep_checks(sweep: Any, models: dict[int, Any]) -> list[dict[str, Any]]:
    """The checks on the sweep (:func:`~chinchilla_lib.fitting.diagnostics.diagnose_sweep`),
    judged with the fit of the highest approach fitted (3, else 2, else 1). Each check that
    fails warns (``DiagnosisWarning``), which prints as ``warning: ...`` (with what to do)
    and lands under ``"warnings"`` in ``--json``; the same checks are returned for the JSON
    list ``"diagnostics"`` (code, message, advice, budgets).

    The runs are checked as IsoFLOP curves when every budget holds at least two runs (an
    IsoFLOP sweep, or curves grouped by budget); otherwise as plain runs."""
    import numpy as np

    from chinchilla_lib.fitting.diagnostics import as_dicts, diagnose_sweep, warn_all

    chosen = next((models[k] for k in (3, 2, 1) if k in models), None)
    fit = getattr(chosen, "fit", None)
    _, counts = np.unique(sweep.budget, return_counts=True)
    runs = sweep.isoflop if counts.min() >= 2 else sweep.runs
    found = diagnose_sweep(runs, fit, refit=fit is None)
    warn_all(found)
    return as_dicts(found)


def _fit(args: argparse.Namespace) -> dict[str, Any]:
    import numpy as np

    from chinchilla_lib.fitting.runs import MIN_RUNS, read_sweep_csv

    sweep = read_sweep_csv(args.runs)
    if args.drop_highest:
        if len(sweep) - args.drop_highest < MIN_RUNS:
            raise ValueError(f"--drop-highest {args.drop_highest} is too many for the "
                             f"{len(sweep)} runs in {args.runs}: a fit needs {MIN_RUNS} runs, "
                             f"so at most {len(sweep) - MIN_RUNS} may be dropped")
        keep = np.argsort(sweep.runs.loss, kind="stable")[: len(sweep) - args.drop_highest]
        sweep = sweep.subset(np.sort(keep))
    if args.holdout_largest and len(sweep) - args.holdout_largest < MIN_RUNS:
        raise ValueError(f"--holdout-largest {args.holdout_largest} is too many for the "
                         f"{len(sweep)} runs in {args.runs}: the fit needs {MIN_RUNS} runs, "
                         f"so at most {len(sweep) - MIN_RUNS} may be held out")
    approaches = (1, 2, 3) if args.approach == "all" else (int(args.approach),)
    parts: dict[int, dict[str, Any]] = {}
    models: dict[int, Any] = {}
    skipped: dict[int, str] = {}
    for approach in approaches:
        try:
            parts[approach], models[approach] = _one(sweep, approach, args)
        except ValueError as error:
            if len(approaches) == 1:
                raise _file_error(error, args.runs) from None
            skipped[approach] = str(_file_error(error, args.runs))
    if not parts:
        raise ValueError(f"{args.runs}: no approach could be fitted ("
                         + "; ".join(f"Approach {k}: {why}" for k, why in skipped.items())
                         + ")")
    diagnostics = _sweep_checks(sweep, models)
    common = {"runs_file": args.runs, "n_budgets": int(np.unique(sweep.budget).size),
              "budgets_from": sweep.budget_source, "curves": sweep.curves is not None,
              "diagnostics": diagnostics}
    if len(approaches) == 1:
        (approach, result), = parts.items()
        return {"approach": approach, **common, **result}
    result = {"approach": "all", "n_runs": len(sweep), **common,
              "fitted_flops": [min(p["fitted_flops"][0] for p in parts.values()),
                               max(p["fitted_flops"][1] for p in parts.values())]}
    if 3 in parts:  # the fitted law, where ``plan --fit`` reads it
        result.update({key: parts[3][key] for key in _LAW_KEYS})
        result["law_from"] = "approach 3"
    result["approaches"] = {str(k): parts[k] if k in parts else {"skipped": skipped[k]}
                            for k in approaches}
    return result


def _merged(result: Any) -> Any:
    """``result`` for reading: each value beside its interval (``N_opt 1.2e+05 [1.1e+05,
    1.4e+05]``), at every depth."""
    from chinchilla_lib.cli._common import _text

    if isinstance(result, list) and result and all(isinstance(v, dict) for v in result):
        return {f"{i + 1}": "  ".join(f"{k} {_text(v)}" for k, v in row.items())
                for i, row in enumerate(result)}
    if not isinstance(result, dict):
        return result
    merged: dict[str, Any] = {}
    for key, value in result.items():
        if key.endswith("_interval") and key.removesuffix("_interval") in merged:
            base = key.removesuffix("_interval")
            merged[base] = f"{_text(merged[base])} {_text(value)}"
        else:
            merged[key] = _merged(value)
    return merged


def _fit_text(result: dict[str, Any]) -> str:
    """The text output of ``fit``: every value beside its interval, held-out runs one per
    line."""
    from chinchilla_lib.cli._common import _lines

    return "\n".join(_lines(_merged(result)))


def _blame(args: argparse.Namespace, place: str) -> str:
    """The file (or flag) a non-finite result of ``fit`` comes from."""
    if "at_flops" in place:
        return f"--at-flops {args.at_flops:g} with the runs in {args.runs}"
    return f"the runs in {args.runs}"


def add(command: Command) -> list[argparse.ArgumentParser]:
    """Add this module's subcommands; return their parsers."""
    fit = command("fit", "Hoffmann et al.'s Approaches 1, 2 and 3 fitted to runs, with "
                         "intervals on N_opt, D_opt and the loss at a budget")
    fit.add_argument("runs", help="CSV with columns N (parameters), D or tokens (tokens seen) or "
                                  "C (training FLOPs, read as 6ND), and loss (nats per token); "
                                  "optionally budget (FLOPs; groups IsoFLOP runs, else runs "
                                  "within 10%% in C form a budget) and run (names a run). One "
                                  "row per run (final losses), or one row per checkpoint "
                                  "(training curves: a run column, budget and N repeating, or "
                                  "a tokens column), as experiment --curves writes")
    fit.add_argument("--approach", choices=APPROACH_CHOICES, default="3",
                     help="1: minimum over training curves (needs curves); 2: IsoFLOP "
                          "parabolas; 3: L = E + A/N^alpha + B/D^beta (default); all: side "
                          "by side. With curves, Approaches 2 and 3 take each run's last "
                          "checkpoint")
    fit.add_argument("--bootstrap", type=_integer(0, MAX_BOOTSTRAP), default=0,
                     help=f"resamples for intervals, 0 to {MAX_BOOTSTRAP:,} (default 0): runs "
                          f"drawn with replacement within each budget (whole curves for "
                          f"Approach 1), the same for every approach")
    fit.add_argument("--level", type=_number(0, 1, high_open=True), default=DEFAULT_LEVEL,
                     help=f"coverage of every interval, in (0, 1) (default {DEFAULT_LEVEL})")
    fit.add_argument("--at-flops", type=_number(0), default=None, metavar="C",
                     help="a training budget in FLOPs: report each approach's N_opt "
                          "(parameters), D_opt (tokens), tokens per parameter and, from "
                          "Approach 3, the loss (nats per token) there, with intervals, and an "
                          "interval for the loss of one new run trained there")
    fit.add_argument("--holdout-largest", type=_integer(0, MAX_ROWS), default=0, metavar="K",
                     help="also fit on all but the K runs of largest compute (by budget, then "
                          "6ND) and report the error on them: log-loss RMSE and each run's "
                          "signed log error (Approach 3), and N_opt at each held-out budget "
                          "whose runs show an optimum; with --bootstrap, how many fall within "
                          "their intervals (default 0: none)")
    fit.add_argument("--drop-highest", type=_integer(0, MAX_ROWS), default=0,
                     help="drop this many runs with the highest loss before fitting, to leave "
                          "out outliers (Besiroglu et al. drop five; default 0)")
    fit.add_argument("--seed", type=_integer(0, 2**32 - 1), default=0,
                     help="seed of the bootstrap, 0 to 2^32 - 1 (default 0)")
    fit.set_defaults(run=_fit, blame=_blame, text=_fit_text)

    return [fit]
