"""The command ``plan``: compute-optimal N and D for a FLOP budget by the published laws, with
inference, repeated data and hyperparameters."""

from __future__ import annotations

import argparse
from typing import Any

from chinchilla_lib import registry
from chinchilla_lib.cli._common import SHAPE, Command, _blamed, _integer, _number, _shown

FLAG_NAMES = {"flops": "--flops", "served_tokens": "--inference-tokens",
              "unique_tokens": "--unique-tokens", "context": "--context"}
"""The library's argument names, as this command's flags, for the library's messages."""


def _hyperparameter_law(text: str) -> str:
    """An argparse type: a hyperparameter law's short name, or ``all``, in any case."""
    from chinchilla_lib.laws.hyperparameters import HYPERPARAMETER_LAWS

    value = text.strip().lower()
    if value not in (*HYPERPARAMETER_LAWS, "all"):
        raise argparse.ArgumentTypeError(f"must be one of {', '.join(HYPERPARAMETER_LAWS)} or "
                                         f"all (any case); got {_shown(text)}")
    return value

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


def _blame(args: argparse.Namespace, place: str) -> str:
    """The flag a non-finite result of ``plan`` comes from."""
    if "with_inference" in place:
        return f"--inference-tokens {args.inference_tokens:g}"
    if "with_unique_tokens" in place:
        return f"--unique-tokens {args.unique_tokens:g}"
    return f"--flops {args.flops:g}"


def add(command: Command) -> list[argparse.ArgumentParser]:
    """Add this module's subcommands; return their parsers."""
    positive = _number(0.0)
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
    plan.set_defaults(run=_plan, blame=_blame, flag_names=FLAG_NAMES)

    return [plan]
