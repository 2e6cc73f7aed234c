"""The commands ``cost``, ``count`` and ``models``: training compute and its cost, a
transformer's parameters and FLOPs, and the registry's models."""

from __future__ import annotations

import argparse
import math
import warnings
from typing import Any

from chinchilla_lib.cli._common import SHAPE, Command, _blamed, _integer, _number, _shown

COMMANDS = ("cost", "count", "models")
"""The subcommands this module adds."""

COST_FLAGS = {"n_params": "--params", "n_tokens": "--tokens", "utilisation": "--utilisation"}
"""The library's argument names, as ``cost``'s flags, for the library's messages."""
COUNT_FLAGS = {"n_layer": "--layers", "d_model": "--d-model", "vocab_size": "--vocab",
               "n_ctx": "--ctx", "d_ff": "--d-ff", "n_heads": "--heads",
               "n_kv_heads": "--kv-heads", "n_experts": "--experts",
               "experts_per_token": "--experts-per-token"}
"""The library's argument names, as ``count``'s flags."""


def _accelerator(text: str) -> str:
    """An argparse type: an accelerator's name in any case (``h100`` is ``H100``)."""
    from chinchilla_lib import quantities

    names = {name.casefold(): name for name in quantities.ACCELERATORS}
    name = names.get(text.strip().casefold())
    if name is None:
        raise argparse.ArgumentTypeError(f"must be one of {', '.join(sorted(names.values()))} "
                                         f"(any case); got {_shown(text)}")
    return name


def _cost(args: argparse.Namespace) -> dict[str, Any]:
    from chinchilla_lib import quantities

    shape_given = args.params is not None or args.tokens is not None
    if args.flops is not None and shape_given:
        raise ValueError("--flops and --params/--tokens are alternatives: give the training "
                         "FLOPs, or N and D (then C = 6ND)")
    if args.flops is None and (args.params is None or args.tokens is None):
        missing = "--tokens" if args.params is not None else "--params"
        raise ValueError(f"give --flops, or both --params and --tokens ({missing} is missing)")
    if args.peak_flops is not None and args.accelerator is not None:
        raise ValueError("--peak-flops and --accelerator are alternatives: give the peak "
                         "FLOP/s of your accelerator, or its name")
    result: dict[str, Any] = {}
    if args.flops is not None:
        sizes = f"--flops {args.flops:g}"
        flops = args.flops
    else:
        sizes = f"--params {args.params:g} and --tokens {args.tokens:g}"
        with _blamed(sizes, "training compute 6ND"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an overflow is refused by name
            flops = float(quantities.training_flops(args.params, args.tokens))
            if not math.isfinite(flops):
                raise ValueError("6ND is beyond the largest float, about 1.8e308")
        with _blamed(sizes, "tokens per parameter"):
            ratio = quantities.tokens_per_parameter(args.params, args.tokens)
        result.update(n_params=args.params, n_tokens=args.tokens, tokens_per_parameter=ratio)
    if args.peak_flops is not None:
        accelerator, peak = "given by --peak-flops", args.peak_flops
    else:
        accelerator = args.accelerator or DEFAULT_ACCELERATOR
        peak = quantities.accelerator_peak(accelerator)
    with _blamed(f"{sizes} at --utilisation {args.utilisation:g}",
                 "count of accelerator-hours"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        hours = float(quantities.gpu_hours(flops, peak, args.utilisation))
        if not math.isfinite(hours):
            raise ValueError("the hours are beyond the largest float, about 1.8e308")
    result.update({
        "training_flops": flops,
        "pf_days": quantities.pf_days(flops),
        "accelerator": accelerator,
        "peak_flops_per_second": peak,
        "peak_kind": "dense BF16 (no structured sparsity)" if args.peak_flops is None
        else "as given",
        "utilisation": args.utilisation,
        "gpu_hours": hours,
    })
    if args.accelerators is not None:
        result["accelerators"] = args.accelerators
        result["wall_clock_days"] = hours / args.accelerators / 24.0
    rated = args.peak_flops is None and accelerator in quantities.ACCELERATOR_POWER
    watts = args.watts if args.watts is not None else (
        quantities.accelerator_power(accelerator) if rated else None)
    if watts is not None:
        with _blamed(f"--watts {watts:g}" if args.watts is not None else sizes, "energy"):
            energy = quantities.energy_kwh(hours, watts)
        result.update(watts_per_accelerator=watts, energy_kwh=energy)
    else:
        result["energy_kwh_note"] = ("no power rating for this accelerator in the registry: "
                                     "give --watts for the energy")
    if args.usd_per_hour is not None:
        result["usd_per_accelerator_hour"] = args.usd_per_hour
        with _blamed(f"--usd-per-hour {args.usd_per_hour:g}", "cost in dollars"):
            result["dollars"] = quantities.dollar_cost(hours, args.usd_per_hour)
    return result


DEFAULT_ACCELERATOR = "A100"
"""The accelerator ``cost`` counts on when neither ``--accelerator`` nor ``--peak-flops`` is
given."""


class ShapeAssumptionWarning(UserWarning):
    """``count`` filled in a part of the shape that the flags left out and that such models
    usually set otherwise (a gated MLP's width)."""


def _count(args: argparse.Namespace) -> dict[str, Any]:
    from chinchilla_lib import quantities

    heads = 1 if args.heads is None else args.heads
    if args.heads is None and args.kv_heads is not None and args.kv_heads > 1:
        raise ValueError(f"--kv-heads {args.kv_heads} needs --heads (the query heads, a "
                         "multiple of --kv-heads; without it there is 1)")
    if args.gated and args.d_ff is None:
        warnings.warn(f"--gated without --d-ff counts d_ff = 4 d_model = {4 * args.d_model:,}; "
                      "a gated MLP usually has about 8/3 d_model: give --d-ff",
                      ShapeAssumptionWarning, stacklevel=1)
    shape = quantities.TransformerShape(
        n_layer=args.layers, d_model=args.d_model, vocab_size=args.vocab, n_ctx=args.ctx,
        d_ff=args.d_ff, n_heads=heads, n_kv_heads=args.kv_heads, gated_mlp=args.gated,
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
        "d_ff": shape.ff_width,
        "d_ff_from": ("--d-ff" if args.d_ff is not None else
                      "default 4 d_model" + ("; a gated MLP usually has about 8/3 d_model, "
                                             "give --d-ff" if args.gated else "")),
        "mlp": "gated (three matrices)" if args.gated else "two matrices",
        "tied_embeddings": shape.tied_embeddings,
        "not_counted": "biases and normalisation weights (as Kaplan et al. 2020, Eq. 2.1)",
        "norm_weights_not_counted": (2 * args.layers + 1) * args.d_model,
        "norm_weights_rule": "(2 layers + 1) d_model: one RMSNorm weight vector before "
                             "attention and one before the MLP in each layer, one at the end "
                             "(LayerNorm, with biases, has twice as many)",
    }


def _models(args: argparse.Namespace) -> dict[str, Any]:
    from chinchilla_lib import quantities, registry

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


def _blame(args: argparse.Namespace, place: str) -> str:
    """The flag a non-finite result of ``cost`` or ``count`` comes from."""
    if args.command == "cost":
        if place == "energy_kwh":
            return f"--watts {args.watts:g}" if args.watts is not None else \
                "--flops" if args.flops is not None else "--params and --tokens"
        if place == "dollars":
            return f"--usd-per-hour {args.usd_per_hour:g}"
        if place == "wall_clock_days":
            return f"--accelerators {args.accelerators}"
        if args.flops is not None:
            return f"--flops {args.flops:g}"
        return f"--params {args.params:g} and --tokens {args.tokens:g}"
    return "the shape flags"


def add(command: Command) -> list[argparse.ArgumentParser]:
    """Add this module's subcommands; return their parsers."""
    from chinchilla_lib import quantities

    positive = _number(0.0)
    cost = command("cost", "training FLOPs, PF-days, GPU-hours, energy (and dollars at a "
                   "stated price) for N and D, or for a number of FLOPs")
    cost.add_argument("--params", type=positive, default=None,
                      help="N, parameters (> 0), with --tokens (C = 6ND)")
    cost.add_argument("--tokens", type=positive, default=None,
                      help="D, training tokens (> 0), with --params")
    cost.add_argument("--flops", type=positive, default=None,
                      help="training compute C in FLOPs (> 0), instead of --params/--tokens")
    names = ", ".join(quantities.ACCELERATORS)
    cost.add_argument("--accelerator", default=None, type=_accelerator, metavar="NAME",
                      help=f"{names}, in any case (default {DEFAULT_ACCELERATOR}); its dense "
                           "BF16 peak (without structured sparsity) from the registry, per "
                           "GPU or TPU chip")
    cost.add_argument("--peak-flops", type=positive, default=None, metavar="FLOP/S",
                      help="peak throughput of one accelerator in FLOP/s (> 0), instead of "
                           "--accelerator (state the dense peak: a datasheet's sparse peak is "
                           "twice it)")
    cost.add_argument("--accelerators", type=_integer(1, SHAPE), default=None, metavar="K",
                      help="how many accelerators run together: also report the wall-clock "
                           "days")
    cost.add_argument("--utilisation", type=_number(0.0, 1.0), default=0.4,
                      help="fraction of peak FLOP/s achieved, in (0, 1] (default 0.4)")
    ratings = ", ".join(f"{name} SXM {quantities.accelerator_power(name):.0f} W"
                        for name in sorted(quantities.ACCELERATOR_POWER))
    cost.add_argument("--watts", type=positive, default=None,
                      help="average power of one accelerator in W, for energy_kwh (default: "
                           f"the accelerator's datasheet rating, {ratings}; the accelerators "
                           "alone, without server or cooling; the others need --watts)")
    cost.add_argument("--usd-per-hour", type=positive, default=None,
                      help="price of one accelerator-hour in US dollars: also report the "
                           "cost in dollars (no default: the library assumes no market price)")
    cost.set_defaults(run=_cost, blame=_blame, flag_names=COST_FLAGS)

    count = command("count", "parameters and FLOPs per token of a transformer")
    size = _integer(1, SHAPE)
    count.add_argument("--layers", type=size, required=True)
    count.add_argument("--d-model", type=size, required=True)
    count.add_argument("--vocab", type=size, required=True)
    count.add_argument("--ctx", type=size, required=True, help="context length, tokens")
    count.add_argument("--d-ff", type=size, default=None,
                       help="feed-forward width (default 4 d_model; a gated MLP usually has "
                            "about 8/3 d_model)")
    count.add_argument("--heads", type=size, default=None, help="query heads (default 1)")
    count.add_argument("--kv-heads", type=size, default=None)
    count.add_argument("--gated", action="store_true", help="gated MLP (SwiGLU)")
    count.add_argument("--experts", type=size, default=1)
    count.add_argument("--experts-per-token", type=size, default=1)
    count.add_argument("--learned-positions", action="store_true")
    count.add_argument("--untied", action="store_true", help="separate unembedding matrix")
    count.set_defaults(run=_count, blame=_blame, flag_names=COUNT_FLAGS)

    models = command("models", "the registry's models with 6ND and D/N")
    models.set_defaults(run=_models, blame=_blame)

    return [cost, count, models]
