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
    Chinchilla-form law (or the one named).
fit
    Hoffmann et al.'s Approach 3 fitted to your runs (a CSV file), with bootstrap intervals.
bnsl-fit
    A broken power law (Caballero et al. 2022) fitted to columns x, y of a CSV file, holding
    out the points of largest x to judge extrapolation.

Every subcommand takes ``--json`` to print one JSON object instead of text. Bad input prints a
one-line error naming the problem and exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from chinchilla_lib import quantities, registry

__all__ = ["main"]


def _cost(args: argparse.Namespace) -> dict[str, Any]:
    for option in ("watts", "usd_per_hour"):
        value = getattr(args, option)
        if value is not None and not 0 < value < float("inf"):
            raise ValueError(f"--{option.replace('_', '-')} must be finite and > 0; "
                             f"got {value}")
    flops = quantities.training_flops(args.params, args.tokens)
    peak = quantities.accelerator_peak(args.accelerator)
    hours = quantities.gpu_hours(flops, peak, args.utilisation)
    watts = (quantities.accelerator_power(args.accelerator) if args.watts is None
             else args.watts)
    result = {
        "n_params": args.params,
        "n_tokens": args.tokens,
        "tokens_per_parameter": quantities.tokens_per_parameter(args.params, args.tokens),
        "training_flops": flops,
        "pf_days": quantities.pf_days(flops),
        "accelerator": args.accelerator,
        "utilisation": args.utilisation,
        "gpu_hours": hours,
        "watts_per_accelerator": watts,
        "energy_kwh": quantities.energy_kwh(hours, watts),
    }
    if args.usd_per_hour is not None:
        result["usd_per_accelerator_hour"] = args.usd_per_hour
        result["dollars"] = quantities.dollar_cost(hours, args.usd_per_hour)
    return result


def _count(args: argparse.Namespace) -> dict[str, Any]:
    shape = quantities.TransformerShape(
        n_layer=args.layers, d_model=args.d_model, vocab_size=args.vocab, n_ctx=args.ctx,
        d_ff=args.d_ff, n_heads=args.heads, n_kv_heads=args.kv_heads, gated_mlp=args.gated,
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

    for option in ("inference_tokens", "unique_tokens"):
        value = getattr(args, option)
        if value is not None and not (value >= 0 if option == "inference_tokens" else value > 0):
            raise ValueError(f"--{option.replace('_', '-')} must be "
                             f"{'>= 0' if option == 'inference_tokens' else '> 0'}; got {value}")

    chinchilla = registry.LawFamily.CHINCHILLA
    names = [f.name for f in registry.fits(family=chinchilla, fitted_to="hoffmann2022training")]
    if args.law is not None:
        name = LAW_ALIASES.get(args.law, args.law)
        known = [f.name for f in registry.fits(family=chinchilla)]
        if name not in known:
            raise ValueError(f"--law must be one of {sorted(LAW_ALIASES)} or {known}; "
                             f"got {args.law!r}")
        names = [name]
    plans = {}
    for name in names:
        law = ChinchillaLaw.from_registry(name)
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
            plan["with_inference"] = _with_inference(law, args.flops, args.inference_tokens)
        if args.unique_tokens is not None:
            plan["with_unique_tokens"] = _with_unique_tokens(law, args.flops, args.unique_tokens)
        plans[name] = plan
    return {"flops": args.flops, "plans": plans}


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
    from chinchilla_lib.fitting.runs import read_runs_csv

    runs = read_runs_csv(args.runs)
    if args.drop_highest:
        runs = runs.without_highest_losses(args.drop_highest)
    fit = fit_approach3(runs, bootstrap=args.bootstrap, seed=args.seed)
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
    return result


def _read_xy(path: str) -> tuple[Any, Any]:
    import csv

    import numpy as np

    try:
        with open(path, newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as error:
        raise ValueError(f"cannot read {path!r}: {error.strerror}") from None
    if not rows or not {"x", "y"} <= set(rows[0]):
        raise ValueError(f"{path}: needs columns x and y")
    try:
        x = np.array([float(r["x"]) for r in rows])
        y = np.array([float(r["y"]) for r in rows])
    except ValueError:
        raise ValueError(f"{path}: columns x and y must be numbers") from None
    return x, y


def _bnsl_fit(args: argparse.Namespace) -> dict[str, Any]:
    import numpy as np

    from chinchilla_lib.fitting.bnsl import fit_bnsl, fit_bnsl_auto, read_authors_points
    from chinchilla_lib.metrics import rmsle

    if str(args.data).endswith(".py"):
        x, y = read_authors_points(args.data)
    else:
        x, y = _read_xy(args.data)
    order = np.argsort(x)
    x, y = x[order], y[order]
    if not 0 <= args.holdout < x.size:
        raise ValueError(f"--holdout must lie in [0, {x.size - 1}]; got {args.holdout}")
    keep = x.size - args.holdout
    if args.breaks == "auto":
        fit = fit_bnsl_auto(x[:keep], y[:keep], target=args.target)
    else:
        try:
            breaks = int(args.breaks)
        except ValueError:
            raise ValueError(f"--breaks must be 0 to 3 or 'auto'; got {args.breaks!r}") from None
        fit = fit_bnsl(x[:keep], y[:keep], breaks=breaks, target=args.target)
    law = fit.law
    result: dict[str, Any] = {
        "form": "y = a + b x^-c0 prod_i (1 + (x/d_i)^(1/f_i))^(-c_i f_i)",
        "breaks": fit.n_breaks, "a": law.a, "b": law.b, "c0": law.c0,
        "break_parameters": [{"c": br.c, "d": br.d, "f": br.f} for br in law.breaks],
        "train_rmsle": fit.train_rmsle,
        "converged": fit.converged, "n_iter": fit.n_iter, "solver_message": fit.message,
    }
    if args.breaks == "auto":
        inner = max(1, keep // 5)
        result["breaks_chosen_by"] = (f"held-out RMSLE on the last {inner} of the {keep} fitted "
                                      "points (a split inside the fitted points, separate from "
                                      "--holdout)")
    if args.holdout:
        result["holdout_rmsle"] = rmsle(law, x[keep:], y[keep:])
    return result


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


def _print(result: dict[str, Any], as_json: bool, indent: int = 0) -> None:
    if as_json:
        print(json.dumps(result))
        return
    width = 28 - indent
    for key, value in result.items():
        if isinstance(value, dict):
            print(f"{' ' * indent}{key}:")
            _print(value, False, indent + 2)
        else:
            print(f"{' ' * indent}{key:<{width}} {_text(value)}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m chinchilla_lib",
        description="Scaling-law arithmetic from 'Scaling Laws, Worked Out'.")
    sub = parser.add_subparsers(dest="command", required=True)

    cost = sub.add_parser("cost", help="training FLOPs, PF-days, GPU-hours, energy (and "
                          "dollars at a stated price) for N and D")
    cost.add_argument("--params", type=float, required=True, help="N, parameters")
    cost.add_argument("--tokens", type=float, required=True, help="D, training tokens")
    cost.add_argument("--accelerator", default="A100", choices=sorted(quantities.ACCELERATORS))
    cost.add_argument("--utilisation", type=float, default=0.4,
                      help="fraction of peak FLOP/s achieved, in (0, 1] (default 0.4)")
    ratings = ", ".join(f"{name} SXM {quantities.accelerator_power(name):.0f} W"
                        for name in sorted(quantities.ACCELERATOR_POWER))
    cost.add_argument("--watts", type=float, default=None,
                      help="average power of one accelerator in W, for energy_kwh (default: "
                           f"the accelerator's datasheet rating, {ratings}; the accelerators "
                           "alone, without server or cooling)")
    cost.add_argument("--usd-per-hour", type=float, default=None,
                      help="price of one accelerator-hour in US dollars: also report the "
                           "cost in dollars (no default: the library assumes no market price)")
    cost.set_defaults(run=_cost)

    count = sub.add_parser("count", help="parameters and FLOPs per token of a transformer")
    count.add_argument("--layers", type=int, required=True)
    count.add_argument("--d-model", type=int, required=True)
    count.add_argument("--vocab", type=int, required=True)
    count.add_argument("--ctx", type=int, required=True, help="context length, tokens")
    count.add_argument("--d-ff", type=int, default=None, help="default 4 d_model")
    count.add_argument("--heads", type=int, default=1)
    count.add_argument("--kv-heads", type=int, default=None)
    count.add_argument("--gated", action="store_true", help="gated MLP (SwiGLU)")
    count.add_argument("--experts", type=int, default=1)
    count.add_argument("--experts-per-token", type=int, default=1)
    count.add_argument("--learned-positions", action="store_true")
    count.add_argument("--untied", action="store_true", help="separate unembedding matrix")
    count.set_defaults(run=_count)

    models = sub.add_parser("models", help="the registry's models with 6ND and D/N")
    models.set_defaults(run=_models)

    plan = sub.add_parser("plan", help="compute-optimal N and D for a FLOP budget")
    plan.add_argument("--flops", type=float, required=True, help="training compute C, FLOPs")
    plan.add_argument("--law", default=None,
                      help=f"one law: {', '.join(sorted(LAW_ALIASES))} or the registry name "
                           "of any Chinchilla-form fit (default: the fits to Hoffmann et al.'s "
                           "runs)")
    plan.add_argument("--inference-tokens", type=float, default=None,
                      help="tokens the model will serve: also report the cheapest model "
                           "reaching the same loss (Sardana et al. 2024)")
    plan.add_argument("--unique-tokens", type=float, default=None,
                      help="unique training tokens available: also report the optimum with "
                           "repeated data (Muennighoff et al. 2023)")
    plan.set_defaults(run=_plan)

    fit = sub.add_parser("fit", help="Approach 3 fit of L = E + A/N^alpha + B/D^beta to runs")
    fit.add_argument("runs", help="CSV with columns N, D (or C) and loss")
    fit.add_argument("--bootstrap", type=int, default=0, help="resamples for intervals")
    fit.add_argument("--drop-highest", type=int, default=0,
                     help="drop this many runs with the highest loss first")
    fit.add_argument("--seed", type=int, default=0)
    fit.set_defaults(run=_fit)

    bnsl = sub.add_parser("bnsl-fit", help="fit a broken power law to columns x, y of a CSV")
    bnsl.add_argument("data", help="CSV with columns x and y, or your own copy of Caballero et "
                      "al.'s fitting script (.py; its arrays x and y are read, not run)")
    bnsl.add_argument("--breaks", default="1",
                      help="0 to 3, or 'auto' (default 1): auto fits each number of breaks to "
                      "all but the last fifth of the fitted points and keeps the one with the "
                      "lowest error on that fifth")
    bnsl.add_argument("--holdout", type=int, default=0,
                      help="hold out this many points of largest x to judge extrapolation")
    bnsl.add_argument("--target", default="log", choices=("log", "log1p"),
                      help="fit log y (default) or log(1 + y) as Caballero et al. do")
    bnsl.set_defaults(run=_bnsl_fit)

    for p in (cost, count, models, plan, fit, bnsl):
        p.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 success, 2 bad input)."""
    args = _parser().parse_args(argv)
    try:
        result = args.run(args)
    except (ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    _print(result, args.json)
    return 0
