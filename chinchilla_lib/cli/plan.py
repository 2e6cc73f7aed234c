"""The command ``plan``: compute-optimal N and D for a FLOP budget by the published laws or by
a fit of one's own (``--fit``), with inference, repeated data and hyperparameters, and
warnings when the plan reaches beyond the runs its law was fitted to."""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

from chinchilla_lib.cli._common import (
    SHAPE,
    Command,
    _blamed,
    _integer,
    _lines,
    _number,
    _shown,
)

COMMANDS = ("plan",)
"""The subcommands this module adds."""

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


RECOMMENDED = "besiroglu2024/refit"
"""The published fit the course recommends for planning: Besiroglu et al.'s refit of Hoffmann
et al.'s Approach 3 to the paper's own runs."""

RECOMMENDED_WHY = (
    "Besiroglu et al. refitted Hoffmann et al.'s Approach 3 to the paper's own runs (read off "
    "its Figure 4): the printed fit's E and beta are rejected by that data, its intervals are "
    "implausibly narrow and its optimiser stopped early, while the refit's exponent a agrees "
    "with Approaches 1 and 2 and with Chinchilla's own tokens per parameter (Chapters 3 and 4)")
"""Why :data:`RECOMMENDED` is the course's choice, in one sentence (Chapter 3, 'What later work
corrected'; Chapter 4, the replication)."""

LOSS_NOTE = (
    "published losses are nats per token on the paper's own data and tokenizer (MassiveText "
    "for the fits to Hoffmann et al.'s runs): compare them with each other, not with a loss "
    "measured on your data")
"""The caveat every plan by a published law carries."""

FIT_KEYS = ("E", "A", "B", "alpha", "beta")
"""The keys ``--fit`` reads from a saved fit (``fit --json``), as the law's constants."""


def _read_fit(path: str) -> tuple[Any, tuple[float, float] | None, list[str]]:
    """The law of a saved fit (the JSON that ``fit --json`` prints), the compute range of its
    runs (``fitted_flops``, when the file has it) and the warnings ``fit`` printed with it
    (``warnings``, when it has them); ValueError naming the file and the key."""
    from chinchilla_lib.laws.chinchilla import ChinchillaLaw

    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise ValueError(f"--fit {_shown(path, 200)}: no such file") from None
    except IsADirectoryError:
        raise ValueError(f"--fit {_shown(path, 200)} is a directory; give the JSON file that "
                         "'fit --json' prints") from None
    except UnicodeDecodeError:
        raise ValueError(f"--fit {_shown(path, 200)}: not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"--fit {_shown(path, 200)}: not JSON (line {error.lineno}, column "
                         f"{error.colno}: {error.msg})") from None
    except OSError as error:
        raise ValueError(f"--fit {_shown(path, 200)}: cannot read it "
                         f"({error.strerror or error})") from None
    if not isinstance(data, dict):
        raise ValueError(f"--fit {_shown(path, 200)}: must hold a JSON object with keys "
                         f"{', '.join(FIT_KEYS)} (as 'fit --json' prints); got "
                         f"{type(data).__name__}")
    values = {}
    for key in FIT_KEYS:
        if key not in data:
            raise ValueError(f"--fit {_shown(path, 200)}: key {key!r} is missing (a fit needs "
                             f"{', '.join(FIT_KEYS)}, as 'fit --json' prints them)")
        value = data[key]
        low = 0.0 if key == "E" else None
        if isinstance(value, bool) or not isinstance(value, int | float) or \
                not math.isfinite(float(value)) or (float(value) < 0.0 if low == 0.0
                                                     else float(value) <= 0.0):
            rule = ">= 0" if key == "E" else "> 0"
            raise ValueError(f"--fit {_shown(path, 200)}: key {key!r} must be a finite number "
                             f"{rule}; got {json.dumps(value)[:40]}")
        values[key] = float(value)
    fitted = None
    if "fitted_flops" in data:
        span = data["fitted_flops"]
        if not (isinstance(span, list) and len(span) == 2 and all(
                isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                and v > 0 for v in span) and span[0] <= span[1]):
            raise ValueError(f"--fit {_shown(path, 200)}: key 'fitted_flops' must be [smallest, "
                             "largest], the compute of the fitted runs in FLOPs (> 0); got "
                             f"{json.dumps(span)[:60]}")
        fitted = (float(span[0]), float(span[1]))
    with _blamed(f"--fit {_shown(path, 200)}", "law from its keys"):
        law = ChinchillaLaw(values["E"], values["A"], values["B"], values["alpha"],
                            values["beta"], name=path)
    carried = data.get("warnings")
    carried = [str(w) for w in carried] if isinstance(carried, list) else []
    return law, fitted, carried


def _laws(args: argparse.Namespace) -> tuple[
        list[tuple[str, Any, tuple[float, float] | None, str]], list[str]]:
    """The laws to plan with, (name, law, compute range of its runs or None, source), and the
    warnings a saved fit (``--fit``) carries."""
    from chinchilla_lib.laws.chinchilla import ChinchillaLaw
    from chinchilla_lib.laws.extrapolation import published_flops_range

    if args.fit is not None:
        if args.law is not None:
            raise ValueError("--fit and --law are alternatives: give one (--fit plans with "
                             "your own fit, --law with a published one)")
        law, fitted, carried = _read_fit(args.fit)
        return [("your fit", law, fitted, f"your fit, {args.fit}")], carried
    from chinchilla_lib import registry

    chinchilla = registry.LawFamily.CHINCHILLA
    names = [f.name for f in registry.fits(family=chinchilla, fitted_to="hoffmann2022training")]
    names.sort(key=lambda n: n != RECOMMENDED)  # the recommended fit first
    if args.law is not None:
        known = [f.name for f in registry.fits(family=chinchilla)]
        by_case = {n.lower(): n for n in [*known, *LAW_ALIASES]}
        name = by_case.get(args.law.strip().lower(), args.law)
        name = LAW_ALIASES.get(name, name)
        if name not in known:
            raise ValueError(f"--law must be one of {sorted(LAW_ALIASES)} or {known}; "
                             f"got {args.law!r}")
        names = [name]
    found = []
    for name in names:
        entry = registry.fit(name)
        found.append((name, ChinchillaLaw.from_registry(name), published_flops_range(name),
                      f"{entry.source.citation}, {entry.source.location}"))
    return found, []


def _plan(args: argparse.Namespace) -> dict[str, Any]:
    from chinchilla_lib.laws.extrapolation import (
        EXTRAPOLATION_FACTOR,
        check_epochs,
        check_flops_range,
    )

    laws, carried = _laws(args)
    notes: list[str] = []
    plans = {}
    for name, law, fitted, source in laws:
        with _blamed(f"--flops {args.flops:g}", f"plan by {name}"):
            optimum = law.compute_optimal(args.flops)
        plan: dict[str, Any] = {
            "n_params": optimum.n_params,
            "n_tokens": optimum.n_tokens,
            "tokens_per_parameter": optimum.n_tokens / optimum.n_params,
            "loss": optimum.loss,
            "a": law.optimal_params_exponent,
            "source": source,
        }
        if fitted is not None:
            plan["fitted_flops"] = list(fitted)
            what = ("the runs your fit was fitted to" if args.fit is not None else
                    f"Hoffmann et al.'s IsoFLOP runs, the runs {name} was fitted to whose "
                    "compute the paper states")
            if check_flops_range(args.flops, fitted, what=what) is not None:
                plan["extrapolation_factor"] = max(args.flops / fitted[1],
                                                   fitted[0] / args.flops)
        if args.inference_tokens is not None:
            with _blamed(f"--inference-tokens {args.inference_tokens:g} (with --flops "
                         f"{args.flops:g})", f"plan by {name}"):
                plan["with_inference"] = _with_inference(law, args.flops, args.inference_tokens)
        if args.unique_tokens is not None:
            with _blamed(f"--unique-tokens {args.unique_tokens:g} (with --flops "
                         f"{args.flops:g})", f"plan by {name}"):
                plan["with_unique_tokens"] = _with_unique_tokens(law, args.flops,
                                                                 args.unique_tokens)
                check_epochs(plan["with_unique_tokens"]["epochs"])
        plans[name] = plan
    result: dict[str, Any] = {"flops": args.flops, "plans": plans}
    if args.fit is None:
        result["recommended"] = RECOMMENDED
        result["recommended_because"] = RECOMMENDED_WHY
        notes.append(LOSS_NOTE)
        if any(fitted is None for _, _, fitted, _ in laws):
            notes.append("no compute range of the fitted runs is known for "
                         + ", ".join(n for n, _, f, _ in laws if f is None)
                         + ": how far the budget extrapolates is not checked")
    else:
        notes.append("your fit's loss is in the units of the losses you fitted (nats per "
                     "token on your data and tokenizer)")
        if laws[0][2] is None:
            notes.append(f"{args.fit} has no 'fitted_flops' (the compute range of the runs "
                         "fitted): how far the budget extrapolates is not checked")
        if carried:
            notes.append(f"{args.fit} was saved with {len(carried)} warning(s) from 'fit', "
                         "which hold for this plan too: " + " | ".join(carried))
    notes.append(f"a is the allocation exponent: N_opt grows as C^a (D_opt as C^(1 - a)); "
                 f"plans warn beyond {EXTRAPOLATION_FACTOR:g} times the fitted compute")
    if args.inference_tokens is not None:
        notes.append(INFERENCE_NOTE)
    result["notes"] = notes
    if args.context is not None and args.hyperparameters is None:
        raise ValueError("--context needs --hyperparameters (it sets the sequence length in "
                         "which the recommended batch is counted)")
    if args.hyperparameters is not None:
        allocation = laws[0][0] if args.law is not None else None
        result["hyperparameters"] = _hyperparameters(args, allocation)
    return result


INFERENCE_NOTE = (
    "with_inference counts 6ND FLOPs to train and 2N per token served (the forward pass, "
    "Sardana et al. 2024). Its model reaches the compute-optimal model's loss at the least "
    "training plus inference FLOPs, and may train beyond --flops (training_flops_over_budget "
    "> 1); its within_budget is the "
    "inference-optimal model whose training costs exactly --flops: smaller than the "
    "compute-optimal model, with a slightly higher loss")
"""What the inference-aware mode counts and what its two models are."""


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
    """Sardana et al.: once ``served`` tokens of inference are paid for, the cheapest model
    reaching the compute-optimal model's loss, and the best model whose training fits in
    ``flops``, beside the compute-optimal one."""
    from chinchilla_lib.laws.inference import (
        inference_optimal_within_budget,
        saving_over_compute_optimal,
    )

    both = saving_over_compute_optimal(law, flops, served)
    cheaper = both.cheaper
    within = inference_optimal_within_budget(law, flops, served)
    saving = 0.0 if served == 0 else both.saving_fraction
    return {
        "inference_tokens": served,
        "n_params": cheaper.n_params,
        "n_tokens": cheaper.n_tokens,
        "tokens_per_parameter": cheaper.tokens_per_parameter,
        "loss": cheaper.loss,
        "training_flops": cheaper.training_flops,
        "training_flops_over_budget": cheaper.training_flops / flops,
        "total_flops": cheaper.total_flops,
        "total_flops_compute_optimal_model": both.baseline_total,
        "saving_fraction": saving,
        "within_budget": {
            "n_params": within.n_params,
            "n_tokens": within.n_tokens,
            "tokens_per_parameter": within.tokens_per_parameter,
            "loss": within.loss,
            "training_flops": within.training_flops,
            "total_flops": within.total_flops,
            "saving_fraction": (0.0 if served == 0 else
                                1.0 - within.total_flops / both.baseline_total),
        },
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


def _text(result: dict[str, Any]) -> str:
    """The plan as text: the results, then each note on a line of its own."""
    shown = {k: v for k, v in result.items() if k != "notes"}
    return "\n".join([*_lines(shown), *(f"note: {n}" for n in result.get("notes", []))])


def _blame(args: argparse.Namespace, place: str) -> str:
    """The flag a non-finite result of ``plan`` comes from."""
    if "with_inference" in place:
        return f"--inference-tokens {args.inference_tokens:g}"
    if "with_unique_tokens" in place:
        return f"--unique-tokens {args.unique_tokens:g}"
    return f"--flops {args.flops:g}"


def add(command: Command) -> list[argparse.ArgumentParser]:
    """Add this module's subcommands; return their parsers."""
    from chinchilla_lib.laws.extrapolation import EXTRAPOLATION_FACTOR

    positive = _number(0.0)
    plan = command("plan", "compute-optimal N and D for a FLOP budget")
    plan.add_argument("--flops", type=positive, required=True,
                      help="training compute C, FLOPs (> 0)")
    plan.add_argument("--law", default=None,
                      help=f"one law: {', '.join(sorted(LAW_ALIASES))} or the registry name "
                           "of any Chinchilla-form fit (default: the fits to Hoffmann et al.'s "
                           "runs, the recommended one first: besiroglu, Besiroglu et al.'s "
                           "refit, for the reasons of Chapters 3 and 4)")
    plan.add_argument("--fit", default=None, metavar="FIT.json",
                      help="plan with a fit of your own instead: the JSON that 'fit --json' "
                           "prints (keys E, A, B, alpha, beta; with fitted_flops [smallest, "
                           "largest], the compute of its runs, the plan warns when --flops "
                           f"lies more than {EXTRAPOLATION_FACTOR:g} times beyond them)")
    plan.add_argument("--inference-tokens", type=_number(0.0, low_open=False), default=None,
                      help="tokens the model will serve (>= 0): also report the cheapest model "
                           "reaching the same loss and the best model whose training fits in "
                           "--flops, counting 2N FLOPs per token served (Sardana et al. 2024)")
    plan.add_argument("--unique-tokens", type=positive, default=None,
                      help="unique training tokens available (> 0): also report the optimum "
                           "with repeated data (Muennighoff et al. 2023); warns beyond 1 + "
                           "R*_D (about 16) epochs")
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
    plan.set_defaults(run=_plan, blame=_blame, flag_names=FLAG_NAMES, text=_text)

    return [plan]
