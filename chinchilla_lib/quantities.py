"""Accounting for N, D and C: parameters, tokens, FLOPs, PF-days and GPU-hours, and what the
hours cost in energy and dollars.

Conventions used throughout the course:

* ``n_params`` (N) is a count of parameters; ``n_tokens`` (D) a count of training tokens.
* Compute (C) is in floating-point operations (FLOPs), counting a multiply and an add as two.
* Functions accept scalars or NumPy arrays (broadcast together) and return a ``float`` when
  every input is a scalar.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from chinchilla_lib import registry
from chinchilla_lib._validation import (
    FloatOrArray,
    as_positive_array,
    check_broadcast,
    check_fraction,
    check_instance,
    check_positive_int,
    checks_overflow,
    scalar_or_array,
    single,
)

__all__ = [
    "ACCELERATORS",
    "ACCELERATOR_POWER",
    "EMBEDDING_COEFFICIENT",
    "FLOPS_PER_PARAM_TOKEN",
    "FORWARD_FLOPS_PER_PARAM_TOKEN",
    "NUMBER_FORMATS",
    "FlopsPerToken",
    "NextTokenModelCounts",
    "NumberFormat",
    "ParameterCounts",
    "TrainingBudget",
    "TransformerShape",
    "accelerator_peak",
    "accelerator_power",
    "decoder_parameter_share",
    "dollar_cost",
    "embedding_parameters",
    "energy_kwh",
    "epochs",
    "flops_from_pf_days",
    "flops_in_units_of",
    "gpu_hours",
    "inference_flops",
    "kaplan_nonembedding_params",
    "next_token_model_parameters",
    "nonembedding_parameters",
    "number_format",
    "pf_days",
    "tokens_per_parameter",
    "total_parameters",
    "training_budget",
    "training_flops",
    "weight_memory_bytes",
]


#: The 6 of C = 6ND: training FLOPs per parameter per token (Kaplan et al. 2020, Section 2.1),
#: read once from the registry. Every 6ND in the library uses this constant.
FLOPS_PER_PARAM_TOKEN: float = registry.constant("training_flops_per_param_per_token").value
#: The 2 of 2N: forward-pass (inference) FLOPs per parameter per token. The backward pass costs
#: twice the forward, so the forward pass is a third of the training cost per token.
FORWARD_FLOPS_PER_PARAM_TOKEN: float = FLOPS_PER_PARAM_TOKEN / 3.0
#: Pearce and Song's omega, parameters^(2/3): a model of Chinchilla's shapes with
#: N_E non-embedding parameters holds omega N_E^(1/3) embedding parameters (read from the
#: registry; see :func:`embedding_parameters`).
EMBEDDING_COEFFICIENT: float = registry.constant("pearce_embedding_coefficient").value


def _pair(name_a: str, a: ArrayLike, name_b: str, b: ArrayLike):
    x = as_positive_array(name_a, a)
    y = as_positive_array(name_b, b)
    check_broadcast(**{name_a: x, name_b: y})
    return x, y


@checks_overflow
def training_flops(n_params: ArrayLike, n_tokens: ArrayLike) -> FloatOrArray:
    """Training compute C = 6ND of a dense transformer.

    Each token costs about 2N FLOPs forward (a multiply and an add per parameter) and twice
    that backward, so 6N per token (Kaplan et al. 2020, Section 2.1). The attention term
    ``2 n_layer n_ctx d_attn`` per token is neglected; see
    :meth:`TransformerShape.flops_per_token` for it.

    Parameters
    ----------
    n_params
        N, parameters (count, > 0).
    n_tokens
        D, training tokens (count, > 0).

    Returns
    -------
    float or ndarray
        C in FLOPs.

    Raises
    ------
    ValueError
        If an argument is not finite and positive, or the shapes do not broadcast.

    Examples
    --------
    >>> training_flops(70e9, 1.4e12)
    5.88e+23
    """
    n, d = _pair("n_params", n_params, "n_tokens", n_tokens)
    return scalar_or_array(FLOPS_PER_PARAM_TOKEN * n * d, n_params, n_tokens)


@checks_overflow
def inference_flops(n_params: ArrayLike, n_tokens: ArrayLike) -> FloatOrArray:
    """Inference compute of about 2N FLOPs per generated or processed token.

    Parameters
    ----------
    n_params
        N, parameters used per token (count, > 0); for a mixture of experts pass the
        *active* parameters.
    n_tokens
        Tokens processed at inference (count, > 0).

    Returns
    -------
    float or ndarray
        FLOPs.

    Examples
    --------
    >>> inference_flops(7e9, 1000)
    14000000000000.0
    """
    n, d = _pair("n_params", n_params, "n_tokens", n_tokens)
    return scalar_or_array(FORWARD_FLOPS_PER_PARAM_TOKEN * n * d, n_params, n_tokens)


@checks_overflow
def tokens_per_parameter(n_params: ArrayLike, n_tokens: ArrayLike) -> FloatOrArray:
    """The ratio D/N of training tokens to parameters (about 20 for Chinchilla).

    Parameters
    ----------
    n_params
        N, parameters (count, > 0).
    n_tokens
        D, training tokens (count, > 0).

    Returns
    -------
    float or ndarray
        Tokens per parameter (dimensionless).
    """
    n, d = _pair("n_params", n_params, "n_tokens", n_tokens)
    return scalar_or_array(d / n, n_params, n_tokens)


@checks_overflow
def epochs(n_tokens: ArrayLike, unique_tokens: ArrayLike) -> FloatOrArray:
    """How many passes over the data a run makes: D / U.

    Parameters
    ----------
    n_tokens
        D, tokens seen in training (count, > 0).
    unique_tokens
        U, distinct tokens in the data set (count, > 0).

    Returns
    -------
    float or ndarray
        Epochs (dimensionless); below 1 when the run sees only part of the data.
    """
    d, u = _pair("n_tokens", n_tokens, "unique_tokens", unique_tokens)
    return scalar_or_array(d / u, n_tokens, unique_tokens)


@checks_overflow
def pf_days(flops: ArrayLike) -> FloatOrArray:
    """Convert FLOPs to petaflop/s-days (1 PF-day = 1e15 FLOP/s for 86,400 s = 8.64e19 FLOPs).

    Parameters
    ----------
    flops
        Compute in FLOPs (> 0).

    Returns
    -------
    float or ndarray
        Compute in PF-days.
    """
    c = as_positive_array("flops", flops)
    return scalar_or_array(c / registry.constant("pf_day").value, flops)


@checks_overflow
def flops_from_pf_days(pf_days_value: ArrayLike) -> FloatOrArray:
    """Convert PF-days to FLOPs; the inverse of :func:`pf_days`.

    Parameters
    ----------
    pf_days_value
        Compute in PF-days (> 0).

    Returns
    -------
    float or ndarray
        Compute in FLOPs.
    """
    p = as_positive_array("pf_days_value", pf_days_value)
    return scalar_or_array(p * registry.constant("pf_day").value, pf_days_value)


@checks_overflow
def flops_in_units_of(flops: ArrayLike, reference_flops: ArrayLike) -> FloatOrArray:
    """Express a compute budget in units of a reference budget: C / C_ref.

    Hoffmann et al.'s Table 3 states each budget "in Gopher unit", C over Gopher's training
    compute; this is that column for any reference.

    Parameters
    ----------
    flops
        C, compute in FLOPs (> 0).
    reference_flops
        C_ref, the reference budget in FLOPs (> 0).

    Returns
    -------
    float or ndarray
        C / C_ref (dimensionless; below 1 for budgets smaller than the reference).

    Raises
    ------
    ValueError
        If an argument is not finite and positive, or the shapes do not broadcast.

    Examples
    --------
    >>> round(flops_in_units_of(3.85e24, 5.76e23), 3)
    6.684
    """
    c, ref = _pair("flops", flops, "reference_flops", reference_flops)
    return scalar_or_array(c / ref, flops, reference_flops)


@checks_overflow
def gpu_hours(flops: ArrayLike, peak_flops_per_second: ArrayLike,
              utilisation: ArrayLike = 0.4) -> FloatOrArray:
    """Accelerator-hours needed to perform ``flops`` at a given utilisation.

    Parameters
    ----------
    flops
        Compute in FLOPs (> 0).
    peak_flops_per_second
        The accelerator's peak throughput in FLOP/s (> 0), for example
        ``registry.constant("a100_bf16_peak_flops_per_second").value``.
    utilisation
        Model FLOPs utilisation, the fraction of peak actually achieved, in (0, 1].
        Large training runs typically report 0.3 to 0.6.

    Returns
    -------
    float or ndarray
        GPU-hours (hours of one accelerator).
    """
    c = as_positive_array("flops", flops)
    peak = as_positive_array("peak_flops_per_second", peak_flops_per_second)
    mfu = check_fraction("utilisation", utilisation)
    check_broadcast(flops=c, peak_flops_per_second=peak, utilisation=mfu)
    hours = c / (peak * mfu) / 3600.0
    return scalar_or_array(hours, flops, peak_flops_per_second, utilisation)


@checks_overflow
def kaplan_nonembedding_params(n_layer: ArrayLike, d_model: ArrayLike) -> FloatOrArray:
    """Kaplan et al. (2020) Eq. 2.1: N = 12 n_layer d_model^2 non-embedding parameters.

    Assumes the standard shape d_attn = d_model and d_ff = 4 d_model, and ignores biases
    and layer norms.

    Parameters
    ----------
    n_layer
        Number of transformer blocks (> 0).
    d_model
        Width of the residual stream (> 0).

    Returns
    -------
    float or ndarray
        Non-embedding parameters (count).
    """
    layers, width = _pair("n_layer", n_layer, "d_model", d_model)
    coefficient = registry.constant("kaplan_nonembedding_params_coefficient").value
    return scalar_or_array(coefficient * layers * width**2, n_layer, d_model)


@checks_overflow
def decoder_parameter_share(encoder_layers: ArrayLike, decoder_layers: ArrayLike,
                            d_model: ArrayLike, d_ff: ArrayLike) -> FloatOrArray:
    """Share of an encoder-decoder Transformer's layer parameters that sit in the decoder.

    An encoder layer holds one attention block (query, key, value and output projections,
    ``4 d_model^2``) and a feed-forward block (``2 d_model d_ff``); a decoder layer holds the
    same plus a cross-attention block over the encoder's output (another ``4 d_model^2``).
    The share is ``N_d / (N_e + N_d)`` over the layers only: embeddings, biases and layer
    norms are left out. With equal depths the decoder holds more than half, because of its
    cross-attention.

    Parameters
    ----------
    encoder_layers, decoder_layers
        Number of encoder and of decoder layers (> 0).
    d_model
        Width of the residual stream (> 0).
    d_ff
        Width of the feed-forward block (> 0).

    Returns
    -------
    float or ndarray
        Decoder share of the layer parameters, a fraction in (0, 1).

    Examples
    --------
    >>> round(decoder_parameter_share(6, 6, 512, 2048), 4)  # d_ff = 4 d_model: 16 / 28
    0.5714
    """
    n_enc = as_positive_array("encoder_layers", encoder_layers)
    n_dec = as_positive_array("decoder_layers", decoder_layers)
    width = as_positive_array("d_model", d_model)
    ff = as_positive_array("d_ff", d_ff)
    check_broadcast(encoder_layers=n_enc, decoder_layers=n_dec, d_model=width, d_ff=ff)
    attention = 4.0 * width**2
    feed_forward = 2.0 * width * ff
    encoder = n_enc * (attention + feed_forward)
    decoder = n_dec * (2.0 * attention + feed_forward)
    return scalar_or_array(decoder / (encoder + decoder), encoder_layers, decoder_layers,
                           d_model, d_ff)


@dataclass(frozen=True)
class ParameterCounts:
    """Parameters of a decoder-only transformer, by component (all counts).

    Attributes
    ----------
    embedding
        Token embedding matrix, ``vocab_size x d_model``.
    position
        Learned position embeddings, ``n_ctx x d_model`` (0 for rotary or sinusoidal).
    attention
        All attention projections (query, key, value, output) over all layers.
    mlp
        All feed-forward weights over all layers, every expert included.
    mlp_active
        Feed-forward weights a single token passes through (equal to ``mlp`` if dense).
    router
        Mixture-of-experts router weights (0 if dense).
    unembedding
        Output projection, ``d_model x vocab_size`` (0 if tied to the embedding).
    """

    embedding: int
    position: int
    attention: int
    mlp: int
    mlp_active: int
    router: int
    unembedding: int

    @property
    def embeddings(self) -> int:
        """Token embedding, position table and unembedding together."""
        return self.embedding + self.position + self.unembedding

    @property
    def non_embedding(self) -> int:
        """Kaplan et al.'s N: every parameter outside the (un)embeddings."""
        return self.attention + self.mlp + self.router

    @property
    def total(self) -> int:
        """Every parameter, as Hoffmann et al. (2022) count N."""
        return self.non_embedding + self.embeddings

    @property
    def active_non_embedding(self) -> int:
        """Non-embedding parameters a token uses (smaller than ``non_embedding`` for MoE)."""
        return self.attention + self.mlp_active + self.router

    @property
    def active(self) -> int:
        """Parameters a token uses, embeddings included."""
        return self.active_non_embedding + self.embeddings

    @property
    def embedding_share(self) -> float:
        """Fraction of all parameters that sit in the embeddings and unembedding."""
        return self.embeddings / self.total


@dataclass(frozen=True)
class FlopsPerToken:
    """Forward-pass FLOPs per token, by term (Kaplan et al. 2020, Table 1).

    Attributes
    ----------
    dense
        ``2 N_active`` for the non-embedding weight matrices.
    attention
        ``2 n_layer n_ctx d_attn`` (Kaplan et al.'s Table 1): the attention scores and their
        weighted sum over the context, averaged over a causal mask. A query that meets all
        ``n_ctx`` positions costs twice this, ``4 n_layer n_ctx d_attn`` (the count of
        Hoffmann et al. 2022, Appendix F).
    unembedding
        ``2 d_model vocab_size``: the output logits.
    """

    dense: float
    attention: float
    unembedding: float

    @property
    def forward(self) -> float:
        """All forward FLOPs per token."""
        return self.dense + self.attention + self.unembedding

    @property
    def training(self) -> float:
        """Forward plus backward (twice the forward) FLOPs per token."""
        return 3.0 * self.forward

    @property
    def attention_share(self) -> float:
        """Fraction of forward FLOPs in the context-dependent attention term."""
        return self.attention / self.forward


@dataclass(frozen=True)
class TransformerShape:
    """The shape of a decoder-only transformer.

    Parameters
    ----------
    n_layer
        Transformer blocks (>= 1).
    d_model
        Residual-stream width (>= 1).
    vocab_size
        Vocabulary size, tokens (>= 1).
    n_ctx
        Context length, tokens (>= 1).
    d_ff
        Feed-forward hidden width; defaults to ``4 * d_model``.
    n_heads
        Attention heads (>= 1, must divide ``d_model`` unless ``head_dim`` is given).
    n_kv_heads
        Key/value heads for grouped-query attention; defaults to ``n_heads``.
    head_dim
        Width of one head; defaults to ``d_model // n_heads``.
    gated_mlp
        True for a gated feed-forward layer (SwiGLU, GeGLU: three matrices instead of two).
    n_experts, experts_per_token
        Mixture of experts: feed-forward experts per layer and how many each token uses.
    learned_positions
        True if position embeddings are a learned ``n_ctx x d_model`` table.
    tied_embeddings
        True if the output projection shares the token embedding matrix.

    Notes
    -----
    Biases and layer-norm gains are ignored, as in Kaplan et al. (2020, Eq. 2.1); they add
    well under 0.1% for the models in this course.

    Examples
    --------
    GPT-2 small's shape: 124 million parameters without biases, 85 million of them outside
    the embeddings, and a forward pass of about 2N FLOPs per token plus attention:

    >>> shape = TransformerShape(n_layer=12, d_model=768, vocab_size=50257, n_ctx=1024,
    ...                          n_heads=12, learned_positions=True, tied_embeddings=True)
    >>> counts = shape.parameter_counts()
    >>> counts.total, counts.non_embedding
    (124318464, 84934656)
    >>> f"{shape.flops_per_token().forward:.3g} FLOPs per token"
    '2.66e+08 FLOPs per token'
    """

    n_layer: int
    d_model: int
    vocab_size: int
    n_ctx: int
    d_ff: int | None = None
    n_heads: int = 1
    n_kv_heads: int | None = None
    head_dim: int | None = None
    gated_mlp: bool = False
    n_experts: int = 1
    experts_per_token: int = 1
    learned_positions: bool = False
    tied_embeddings: bool = True

    def __post_init__(self) -> None:
        for name in ("n_layer", "d_model", "vocab_size", "n_ctx", "n_heads",
                     "n_experts", "experts_per_token"):
            object.__setattr__(self, name, check_positive_int(name, getattr(self, name)))
        for name in ("d_ff", "n_kv_heads", "head_dim"):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, check_positive_int(name, getattr(self, name)))
        if self.head_dim is None and self.d_model % self.n_heads:
            raise ValueError(f"n_heads must divide d_model ({self.d_model}) when head_dim is not "
                             f"given; got n_heads={self.n_heads}")
        if self.n_kv_heads is not None and self.n_kv_heads > self.n_heads:
            raise ValueError(f"n_kv_heads must lie in [1, n_heads={self.n_heads}]; "
                             f"got {self.n_kv_heads}")
        if self.experts_per_token > self.n_experts:
            raise ValueError(f"experts_per_token must lie in [1, n_experts={self.n_experts}]; "
                             f"got {self.experts_per_token}")
        try:
            counts = self.parameter_counts()
            per_token = self.flops_per_token()
            in_range = (counts.total <= sys.float_info.max
                        and math.isfinite(per_token.training))
        except OverflowError:
            in_range = False
        if not in_range:
            raise ValueError("n_layer, d_model, vocab_size, n_ctx and the widths must give a "
                             "parameter count and FLOPs per token within float range (below "
                             f"{sys.float_info.max:.4g}); got n_layer={self.n_layer}, "
                             f"d_model={self.d_model}, vocab_size={self.vocab_size}, "
                             f"n_ctx={self.n_ctx}")

    @property
    def ff_width(self) -> int:
        """Feed-forward hidden width actually used."""
        return self.d_ff if self.d_ff is not None else 4 * self.d_model

    @property
    def d_attn(self) -> int:
        """Total width of the queries, n_heads x head_dim (Kaplan's d_attn)."""
        head = self.head_dim if self.head_dim is not None else self.d_model // self.n_heads
        return self.n_heads * head

    @property
    def d_kv(self) -> int:
        """Total width of the keys (and of the values)."""
        kv_heads = self.n_kv_heads if self.n_kv_heads is not None else self.n_heads
        return kv_heads * (self.d_attn // self.n_heads)

    def parameter_counts(self) -> ParameterCounts:
        """Count the parameters by component; see :class:`ParameterCounts`."""
        d = self.d_model
        attention_per_layer = 2 * d * self.d_attn + 2 * d * self.d_kv
        matrices = 3 if self.gated_mlp else 2
        expert = matrices * d * self.ff_width
        router_per_layer = d * self.n_experts if self.n_experts > 1 else 0
        return ParameterCounts(
            embedding=self.vocab_size * d,
            position=self.n_ctx * d if self.learned_positions else 0,
            attention=self.n_layer * attention_per_layer,
            mlp=self.n_layer * self.n_experts * expert,
            mlp_active=self.n_layer * self.experts_per_token * expert,
            router=self.n_layer * router_per_layer,
            unembedding=0 if self.tied_embeddings else self.vocab_size * d,
        )

    def flops_per_token(self) -> FlopsPerToken:
        """Forward FLOPs per token with the context-dependent attention term kept.

        Returns
        -------
        FlopsPerToken
            ``dense = 2 N_active`` (non-embedding), ``attention = 2 n_layer n_ctx d_attn``
            (Kaplan et al.'s causal average; twice that without a mask) and
            ``unembedding = 2 d_model vocab_size``.
        """
        counts = self.parameter_counts()
        return FlopsPerToken(
            dense=2.0 * counts.active_non_embedding,
            attention=2.0 * self.n_layer * self.n_ctx * self.d_attn,
            unembedding=2.0 * self.d_model * self.vocab_size,
        )


ACCELERATORS: dict[str, str] = {
    "A100": "a100_bf16_peak_flops_per_second",
    "H100": "h100_sxm_bf16_peak_flops_per_second",
    "H200": "h200_sxm_bf16_peak_flops_per_second",
    "TPUv4": "tpu_v4_bf16_peak_flops_per_second",
    "TPUv5e": "tpu_v5e_bf16_peak_flops_per_second",
    "TPUv5p": "tpu_v5p_bf16_peak_flops_per_second",
}
"""Accelerator names accepted by :func:`accelerator_peak`, to their registry constants: every
peak is dense BF16 (without structured sparsity), per GPU or per TPU chip."""


def accelerator_peak(name: str) -> float:
    """Dense BF16 peak throughput of a named accelerator, in FLOP/s (from the registry).

    Parameters
    ----------
    name
        One of the keys of :data:`ACCELERATORS` (``"A100"``, ``"H100"``, ``"H200"``,
        ``"TPUv4"``, ``"TPUv5e"``, ``"TPUv5p"``).
    """
    if not isinstance(name, str) or name not in ACCELERATORS:
        raise ValueError(f"name must be one of {sorted(ACCELERATORS)}; got {name!r}")
    return registry.constant(ACCELERATORS[name]).value


ACCELERATOR_POWER: dict[str, str] = {
    "A100": "a100_sxm_max_power_watts",
    "H100": "h100_sxm_max_power_watts",
}
"""Accelerator names accepted by :func:`accelerator_power`, to their registry constants: those
of :data:`ACCELERATORS` whose datasheet rating the registry holds (the TPU pages print none
comparable, and the H200's was not read)."""


def accelerator_power(name: str) -> float:
    """Rated maximum power of a named accelerator's board, in watts (from the registry).

    This is the datasheet's thermal design power (TDP) of the SXM module: the most the board
    is built to draw, not a measurement. The host server, the network and the data centre's
    cooling draw power on top of it.

    Parameters
    ----------
    name
        One of the keys of :data:`ACCELERATOR_POWER` (``"A100"``, ``"H100"``).

    Returns
    -------
    float
        Power in W.
    """
    if not isinstance(name, str) or name not in ACCELERATOR_POWER:
        raise ValueError(f"name must be one of {sorted(ACCELERATOR_POWER)}; got {name!r}")
    return registry.constant(ACCELERATOR_POWER[name]).value


@checks_overflow
def energy_kwh(accelerator_hours: ArrayLike, watts_per_accelerator: ArrayLike) -> FloatOrArray:
    """Energy drawn by the accelerators over ``accelerator_hours``: hours x watts / 1000.

    Counts the accelerators alone, at the stated power for every hour; pass a power that
    includes the server and cooling overheads to count them too.

    Parameters
    ----------
    accelerator_hours
        Accelerator-hours (hours of one accelerator, > 0), for example from :func:`gpu_hours`.
    watts_per_accelerator
        Average power of one accelerator, in W (> 0), for example :func:`accelerator_power`.

    Returns
    -------
    float or ndarray
        Energy in kWh.

    Examples
    --------
    >>> energy_kwh(1000.0, 400.0)
    400.0
    """
    hours, watts = _pair("accelerator_hours", accelerator_hours,
                         "watts_per_accelerator", watts_per_accelerator)
    return scalar_or_array(hours * watts / 1000.0, accelerator_hours, watts_per_accelerator)


@checks_overflow
def dollar_cost(accelerator_hours: ArrayLike, dollars_per_hour: ArrayLike) -> FloatOrArray:
    """Cost of ``accelerator_hours`` at a price per accelerator-hour: hours x price.

    The library holds no market price: prices differ by provider, contract and year, so the
    caller states the one it assumes (a rental price covers hardware, energy and hosting).

    Parameters
    ----------
    accelerator_hours
        Accelerator-hours (> 0).
    dollars_per_hour
        Price of one accelerator-hour, in US dollars (> 0).

    Returns
    -------
    float or ndarray
        Cost in US dollars.

    Examples
    --------
    >>> dollar_cost(1000.0, 2.5)
    2500.0
    """
    hours, price = _pair("accelerator_hours", accelerator_hours,
                         "dollars_per_hour", dollars_per_hour)
    return scalar_or_array(hours * price, accelerator_hours, dollars_per_hour)


@dataclass(frozen=True)
class NumberFormat:
    """A binary number format for weights, activations or the KV cache.

    A floating-point format spends one bit on the sign, ``exponent_bits`` on a biased exponent
    and ``mantissa_bits`` on the fraction (an implicit leading 1 adds one bit of precision
    to normal numbers); an integer format (``exponent_bits == 0``) is ``bits`` bits in two's
    complement, a uniform grid that a per-tensor or per-channel scale maps onto the values.

    Attributes
    ----------
    name
        The format's usual name (``"BF16"``, ``"FP8 E4M3"``, ``"INT8"``).
    bits
        Storage width, in bits.
    exponent_bits, mantissa_bits
        The float's exponent and mantissa widths, in bits (both 0 for an integer format).
    ieee_specials
        True if the largest exponent field is kept for infinities and NaNs, as IEEE 754 does;
        False for formats such as FP8 E4M3 that use it for normal numbers and keep only the
        all-ones mantissa there for NaN.

    Examples
    --------
    >>> fp16 = NumberFormat("FP16", 16, 5, 10)
    >>> fp16.max_finite, fp16.smallest_normal, fp16.bytes
    (65504.0, 6.103515625e-05, 2.0)
    >>> NumberFormat("FP8 E4M3", 8, 4, 3, ieee_specials=False).max_finite
    448.0
    >>> NumberFormat("INT8", 8).max_finite
    127.0
    """

    name: str
    bits: int
    exponent_bits: int = 0
    mantissa_bits: int = 0
    ieee_specials: bool = True

    def __post_init__(self) -> None:
        check_instance("name", self.name, str)
        check_positive_int("bits", self.bits, minimum=2)
        check_positive_int("exponent_bits", self.exponent_bits, minimum=0)
        check_positive_int("mantissa_bits", self.mantissa_bits, minimum=0)
        # Its range and step are computed in float64, which holds formats up to its own size.
        if self.bits > 64 or self.exponent_bits > 11:
            raise ValueError(f"bits must be <= 64 and exponent_bits <= 11 (a format no wider "
                             f"than float64's); got bits={self.bits}, "
                             f"exponent_bits={self.exponent_bits}")
        if self.exponent_bits == 0 and self.mantissa_bits != 0:
            raise ValueError(f"mantissa_bits must be 0 for an integer format (exponent_bits "
                             f"0); got {self.mantissa_bits}")
        if self.exponent_bits and 1 + self.exponent_bits + self.mantissa_bits != self.bits:
            raise ValueError(f"bits must be 1 + exponent_bits + mantissa_bits = "
                             f"{1 + self.exponent_bits + self.mantissa_bits} for a float "
                             f"format; got {self.bits}")
        if self.exponent_bits == 1 or (not self.ieee_specials and self.mantissa_bits == 0):
            raise ValueError(f"exponent_bits must be at least 2 (and mantissa_bits at least 1 "
                             f"without IEEE specials); got {self.exponent_bits} and "
                             f"{self.mantissa_bits}")

    @property
    def is_integer(self) -> bool:
        """True for an integer (fixed-point) format."""
        return self.exponent_bits == 0

    @property
    def bytes(self) -> float:
        """Storage per value, in bytes (bits / 8)."""
        return self.bits / 8.0

    @property
    def bias(self) -> int:
        """The exponent bias, 2^(e-1) - 1 (0 for an integer format)."""
        return 2 ** (self.exponent_bits - 1) - 1 if self.exponent_bits else 0

    @property
    def max_finite(self) -> float:
        """The largest finite value: 2^(b-1) - 1 for an integer format; for a float,
        (2 - 2^-m) 2^(2^e - 2 - bias) with IEEE specials, else (2 - 2^(1-m)) 2^(2^e - 1 - bias)
        (the top exponent holds numbers, and its all-ones mantissa NaN)."""
        if self.is_integer:
            return float(2 ** (self.bits - 1) - 1)
        e, m = self.exponent_bits, self.mantissa_bits
        if self.ieee_specials:
            return (2.0 - 2.0 ** -m) * 2.0 ** (2 ** e - 2 - self.bias)
        return (2.0 - 2.0 ** (1 - m)) * 2.0 ** (2 ** e - 1 - self.bias)

    @property
    def smallest_normal(self) -> float:
        """The smallest positive normal value, 2^(1 - bias) (1 for an integer format)."""
        return 1.0 if self.is_integer else 2.0 ** (1 - self.bias)

    @property
    def relative_step(self) -> float:
        """The gap between neighbouring values relative to the value: 2^-m for a float (the
        gap above 1, the machine epsilon); for an integer format, the step relative to the
        largest magnitude, 1 / (2^(b-1) - 1), since its grid is uniform."""
        return 1.0 / self.max_finite if self.is_integer else 2.0 ** -self.mantissa_bits

    @property
    def decades(self) -> float:
        """Dynamic range, log10(max_finite / smallest_normal), in decades."""
        return float(np.log10(self.max_finite / self.smallest_normal))


def _float_format(name: str, key: str, *, ieee_specials: bool = True) -> NumberFormat:
    e = int(registry.constant(f"{key}_exponent_bits").value)
    m = int(registry.constant(f"{key}_mantissa_bits").value)
    return NumberFormat(name, 1 + e + m, e, m, ieee_specials)


#: The formats of the precision section, widest first: IEEE binary32 and binary16, bfloat16,
#: the two FP8 encodings (E4M3 without infinities), then 8- and 4-bit integers. Bit widths of
#: the floats are read from the registry.
NUMBER_FORMATS: tuple[NumberFormat, ...] = (
    _float_format("FP32", "fp32"), _float_format("FP16", "fp16"), _float_format("BF16", "bf16"),
    _float_format("FP8 E5M2", "fp8_e5m2"),
    _float_format("FP8 E4M3", "fp8_e4m3", ieee_specials=False),
    NumberFormat("INT8", 8), NumberFormat("INT4", 4),
)


def number_format(name: str) -> NumberFormat:
    """The format of :data:`NUMBER_FORMATS` named ``name`` (``"BF16"``, ``"INT4"``).

    Raises
    ------
    ValueError
        If ``name`` is not one of them; the message lists the names.
    """
    found = {f.name: f for f in NUMBER_FORMATS}
    if not isinstance(name, str) or name not in found:
        raise ValueError(f"name must be one of {sorted(found)}; got {name!r}")
    return found[name]


@checks_overflow
def weight_memory_bytes(n_params: ArrayLike, bits: ArrayLike) -> FloatOrArray:
    """Memory to store ``n_params`` values at ``bits`` bits each: N x bits / 8.

    The same count serves the weights (N parameters), the activations or the KV cache (their
    number of stored values); it leaves out the scales and other metadata of a quantised
    format (a few bits per block of values).

    Parameters
    ----------
    n_params
        N, values stored (> 0).
    bits
        Bits per value (> 0).

    Returns
    -------
    float or ndarray
        Bytes.

    Examples
    --------
    >>> weight_memory_bytes(70e9, 16) / 1e9
    140.0
    """
    n, b = _pair("n_params", n_params, "bits", bits)
    return scalar_or_array(n * b / 8.0, n_params, bits)


@dataclass(frozen=True)
class TrainingBudget:
    """What training a transformer shape on a token budget costs.

    Attributes
    ----------
    shape
        The transformer.
    n_tokens
        Training tokens.
    counts
        Its parameters by component.
    flops_per_token
        Forward FLOPs per token by term.
    flops_6nd
        ``6 N D`` with N the active parameters, embeddings included (Hoffmann et al.'s
        convention), in FLOPs.
    flops_detailed
        Three times the forward FLOPs per token (attention and unembedding included) times
        D, in FLOPs.
    gpu_hours
        Accelerator-hours for ``flops_detailed`` at the given peak and utilisation.
    """

    shape: TransformerShape
    n_tokens: float
    counts: ParameterCounts
    flops_per_token: FlopsPerToken
    flops_6nd: float
    flops_detailed: float
    gpu_hours: float

    @property
    def tokens_per_parameter(self) -> float:
        """D / N with N all parameters (total, not active)."""
        return self.n_tokens / self.counts.total


@checks_overflow
def training_budget(shape: TransformerShape, n_tokens: float, *,
                    peak_flops_per_second: float, utilisation: float = 0.4) -> TrainingBudget:
    """Parameters, FLOPs and accelerator-hours of training ``shape`` on ``n_tokens`` tokens.

    Parameters
    ----------
    shape
        The transformer.
    n_tokens
        D, training tokens (> 0).
    peak_flops_per_second
        Accelerator peak in FLOP/s (> 0); see :func:`accelerator_peak`.
    utilisation
        Fraction of peak achieved, in (0, 1].

    Returns
    -------
    TrainingBudget
    """
    if not isinstance(shape, TransformerShape):
        raise ValueError(f"shape must be a TransformerShape; got {type(shape).__name__}")
    d = single("n_tokens", as_positive_array("n_tokens", n_tokens))
    counts = shape.parameter_counts()
    per_token = shape.flops_per_token()
    detailed = per_token.training * d
    return TrainingBudget(
        shape=shape,
        n_tokens=d,
        counts=counts,
        flops_per_token=per_token,
        flops_6nd=float(training_flops(counts.active, d)),
        flops_detailed=detailed,
        gpu_hours=float(gpu_hours(detailed, peak_flops_per_second, utilisation)),
    )


@checks_overflow
def embedding_parameters(n_nonembedding: ArrayLike) -> FloatOrArray:
    """Embedding parameters of a model with ``n_nonembedding`` parameters outside them.

    Pearce and Song's model of Chinchilla-style shapes: width grows as N_E^(1/3) at a fixed
    width-to-depth ratio, and the embedding is vocabulary x width, so the embeddings hold
    omega N_E^(1/3) parameters (:data:`EMBEDDING_COEFFICIENT`).

    Parameters
    ----------
    n_nonembedding
        N_E, non-embedding parameters (count, > 0).

    Returns
    -------
    float or ndarray
        Embedding parameters (count).
    """
    n = as_positive_array("n_nonembedding", n_nonembedding)
    return scalar_or_array(EMBEDDING_COEFFICIENT * np.cbrt(n), n_nonembedding)


@checks_overflow
def total_parameters(n_nonembedding: ArrayLike) -> FloatOrArray:
    """Total parameters N_T = N_E + omega N_E^(1/3) of a model with N_E non-embedding ones.

    Parameters
    ----------
    n_nonembedding
        N_E, non-embedding parameters (count, > 0).

    Returns
    -------
    float or ndarray
        N_T, parameters (count), under the shape model of :func:`embedding_parameters`.
    """
    n = as_positive_array("n_nonembedding", n_nonembedding)
    return scalar_or_array(n + EMBEDDING_COEFFICIENT * np.cbrt(n), n_nonembedding)


@checks_overflow
def nonembedding_parameters(n_total: ArrayLike) -> FloatOrArray:
    """Invert :func:`total_parameters`: the real root u of u^3 + omega u - N_T = 0, cubed.

    The cubic has one real root (Cardano's formula, derived in
    :func:`chinchilla_lib.symbolic.pearce_inverse`).
    """
    n = as_positive_array("n_total", n_total)
    omega = EMBEDDING_COEFFICIENT
    root = np.sqrt(n**2 / 4.0 + omega**3 / 27.0)
    # root - n/2 written as (omega^3/27) / (root + n/2), which does not cancel for large N.
    u = np.cbrt(n / 2.0 + root) - np.cbrt(omega**3 / 27.0 / (root + n / 2.0))
    return scalar_or_array(u**3, n_total)


@dataclass(frozen=True)
class NextTokenModelCounts:
    """Parameters of the course's toy next-token model (``chinchilla_lib.experiment``).

    The model maps the current token to a ``width``-vector through a lookup table, then to
    ``vocab_size`` logits through a dense matrix and a bias.

    Attributes
    ----------
    lookup
        The input table, ``vocab_size x width``: read, not multiplied, so it costs no FLOPs
        per token forward (like a transformer's token embedding).
    dense
        The output matrix and bias, ``width x vocab_size + vocab_size``: every token
        multiplies through all of it. This is the model's N, the count behind C = 6ND.
    """

    lookup: int
    dense: int

    def __post_init__(self) -> None:
        for name in ("lookup", "dense"):
            object.__setattr__(self, name, check_positive_int(name, getattr(self, name)))

    @property
    def total(self) -> int:
        """Every parameter, the lookup table included."""
        return self.lookup + self.dense

    @property
    def training_flops_per_token(self) -> float:
        """6N, the training FLOPs per token :func:`training_flops` charges (forward 2N,
        backward 4N)."""
        return FLOPS_PER_PARAM_TOKEN * self.dense


def next_token_model_parameters(vocab_size: int, width: int) -> NextTokenModelCounts:
    """Parameter counts of the toy next-token model of ``chinchilla_lib.experiment``.

    Parameters
    ----------
    vocab_size
        Tokens in the vocabulary (whole number >= 2).
    width
        The model's width d (whole number >= 1).

    Returns
    -------
    NextTokenModelCounts
        ``lookup = vocab_size * width`` and ``dense = width * vocab_size + vocab_size``.

    Examples
    --------
    >>> counts = next_token_model_parameters(512, 64)
    >>> counts.dense, counts.lookup, counts.total
    (33280, 32768, 66048)
    """
    vocab = check_positive_int("vocab_size", vocab_size, minimum=2)
    d = check_positive_int("width", width)
    return NextTokenModelCounts(lookup=vocab * d, dense=d * vocab + vocab)
