"""Hyperparameter scaling laws: the peak learning rate and the batch size for a training run
nobody has tried yet, as each published law recommends them.

Four laws, each in the variables its paper fitted it in:

- DeepSeek LLM (Bi et al. 2024, Eq. 1): eta_opt = 0.3118 C^-0.1250 and
  B_opt = 0.2920 C^0.3271 (tokens), with C = M D counted in non-embedding FLOPs per token M
  (:func:`deepseek_model_scale`);
- Step Law (Li et al. 2025): eta(N, D) = 1.79 N^-0.713 D^0.307 and B(D) = 0.58 D^0.571
  (tokens), N non-embedding parameters;
- Porian et al. (2024, Fig. 3): LR = 3.7 N^-0.36 and BS = 0.00037 N^0.703 sequences of 2048
  tokens, N the linear-layer parameters (head included);
- Kaplan et al. (2020, Table 6): the batch size B = 2e6 C_min^0.24 tokens (C_min in PF-days)
  of a compute-efficient run, with no learning-rate law in compute (their critical batch
  B_crit(L) as a function of the loss is
  :meth:`chinchilla_lib.laws.KaplanLearningCurves.critical_batch`).

:func:`hyperparameter_table` sets them side by side at one compute budget. The laws take
different inputs, so the table needs a rule from C to N and D: it uses the compute-optimal
allocation of a Chinchilla-form fit (by default Hoffmann et al.'s Approach 3, the course's
default plan), and feeds that N to the laws that want N. The caveats of that rule (N there
counts every parameter; DeepSeek's C counts attention and not the embeddings) are stated on
the function.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from chinchilla_lib import registry
from chinchilla_lib._validation import (
    FloatOrArray,
    as_finite_array,
    as_positive_array,
    check_broadcast,
    check_instance,
    check_positive_int,
    checks_overflow,
    checks_overflow_methods,
    scalar_or_array,
    single,
)

__all__ = [
    "DEFAULT_ALLOCATION",
    "DEFAULT_CONTEXT",
    "HYPERPARAMETER_LAWS",
    "DeepSeekHyperparameters",
    "HyperparameterRecommendation",
    "HyperparameterTable",
    "PorianHyperparameters",
    "StepLaw",
    "batch_in_sequences",
    "deepseek_model_scale",
    "hyperparameter_table",
    "kaplan_batch_size",
]

DEFAULT_CONTEXT = 2048
"""Context length (tokens per sequence) in which :func:`hyperparameter_table` and the command
line count a batch in sequences unless told otherwise: Step Law's fits and Porian et al.'s
runs used 2048-token sequences."""

DEFAULT_ALLOCATION = "hoffmann2022/approach3"
"""The Chinchilla-form fit whose compute-optimal N and D :func:`hyperparameter_table` feeds to
the laws written in N and D."""


def _positive(name: str, value: float) -> float:
    return single(name, as_positive_array(name, value))


def _finite(name: str, value: float) -> float:
    return single(name, as_finite_array(name, value))


def _power_law(name: str) -> tuple[float, float]:
    entry = registry.fit(name, family=registry.LawFamily.POWER_LAW)
    return entry["k"], entry["p"]


@checks_overflow_methods
@dataclass(frozen=True)
class DeepSeekHyperparameters:
    """DeepSeek LLM's optimal peak learning rate and batch size as power laws in compute.

    eta_opt = lr_coefficient C^lr_exponent and B_opt = batch_coefficient C^batch_exponent
    (tokens), with C in FLOPs (Bi et al. 2024, Section 3.1, Eq. 1; read second-hand, see the
    registry entries ``bi2024/lr(C)`` and ``bi2024/B(C)``).

    Parameters
    ----------
    lr_coefficient, batch_coefficient
        The coefficients (> 0).
    lr_exponent, batch_exponent
        The exponents (finite).

    Examples
    --------
    >>> law = DeepSeekHyperparameters.from_registry()
    >>> print(f"{law.learning_rate(1e21):.3g}, {law.batch_size(1e21):.3g} tokens")
    0.000739, 2.16e+06 tokens
    """

    lr_coefficient: float
    lr_exponent: float
    batch_coefficient: float
    batch_exponent: float

    def __post_init__(self) -> None:
        for name in ("lr_coefficient", "batch_coefficient"):
            object.__setattr__(self, name, _positive(name, getattr(self, name)))
        for name in ("lr_exponent", "batch_exponent"):
            object.__setattr__(self, name, _finite(name, getattr(self, name)))

    @classmethod
    def from_registry(cls, learning_rate: str = "bi2024/lr(C)",
                      batch_size: str = "bi2024/B(C)") -> DeepSeekHyperparameters:
        """Two published power laws in compute (family ``POWER_LAW``): by default DeepSeek
        LLM's ``"bi2024/lr(C)"`` and ``"bi2024/B(C)"``.

        Raises
        ------
        ValueError
            If a name is not a fit of that family; the message lists those there are.
        """
        lr_k, lr_p = _power_law(learning_rate)
        b_k, b_p = _power_law(batch_size)
        return cls(lr_coefficient=lr_k, lr_exponent=lr_p, batch_coefficient=b_k,
                   batch_exponent=b_p)

    def learning_rate(self, flops: ArrayLike) -> FloatOrArray:
        """eta_opt(C), the peak learning rate, for C training FLOPs (> 0)."""
        c = as_positive_array("flops", flops)
        return scalar_or_array(self.lr_coefficient * c**self.lr_exponent, flops)

    def batch_size(self, flops: ArrayLike) -> FloatOrArray:
        """B_opt(C), the batch size in tokens, for C training FLOPs (> 0)."""
        c = as_positive_array("flops", flops)
        return scalar_or_array(self.batch_coefficient * c**self.batch_exponent, flops)


@checks_overflow
def deepseek_model_scale(n_layer: ArrayLike, d_model: ArrayLike,
                         seq_len: ArrayLike) -> FloatOrArray:
    """M, DeepSeek's model scale: non-embedding training FLOPs per token.

    M = 72 n_layer d_model^2 + 12 n_layer d_model l_seq (Bi et al. 2024, Eq. 2; registry
    ``deepseek_m_weight_coefficient`` and ``deepseek_m_attention_coefficient``): 6 N_1 for the
    weights of a transformer with N_1 = 12 n_layer d_model^2 non-embedding parameters, plus
    the attention's cost at the full sequence length, and nothing for the vocabulary. Their
    compute is C = M D.

    Parameters
    ----------
    n_layer
        Layers (> 0).
    d_model
        Width (> 0).
    seq_len
        l_seq, tokens per training sequence (> 0).

    Returns
    -------
    float or ndarray
        FLOPs per token (forward and backward).

    Examples
    --------
    DeepSeek LLM 7B (30 layers, width 4096, sequences of 4096 tokens):

    >>> print(f"{deepseek_model_scale(30, 4096, 4096):.3g}")
    4.23e+10
    """
    layers = as_positive_array("n_layer", n_layer)
    width = as_positive_array("d_model", d_model)
    length = as_positive_array("seq_len", seq_len)
    check_broadcast(n_layer=layers, d_model=width, seq_len=length)
    weights = registry.constant("deepseek_m_weight_coefficient").value
    attention = registry.constant("deepseek_m_attention_coefficient").value
    m = layers * width * (weights * width + attention * length)
    return scalar_or_array(m, n_layer, d_model, seq_len)


@checks_overflow_methods
@dataclass(frozen=True)
class StepLaw:
    """Step Law (Li et al. 2025): the peak learning rate as a power law in N and D, the batch
    size as a power law in D alone.

    eta(N, D) = lr_coefficient N^lr_params_exponent D^lr_tokens_exponent and
    B(D) = batch_coefficient D^batch_exponent tokens, with N the non-embedding parameters and
    D the training tokens (registry ``li2025/lr(N,D)`` and ``li2025/B(D)``, read second-hand).

    Parameters
    ----------
    lr_coefficient, batch_coefficient
        The coefficients (> 0).
    lr_params_exponent, lr_tokens_exponent, batch_exponent
        The exponents (finite).

    Examples
    --------
    >>> law = StepLaw.from_registry()
    >>> print(f"{law.learning_rate(1e9, 1e11):.3g}, {law.batch_size(1e11):.3g} tokens")
    0.00163, 1.11e+06 tokens
    """

    lr_coefficient: float
    lr_params_exponent: float
    lr_tokens_exponent: float
    batch_coefficient: float
    batch_exponent: float

    def __post_init__(self) -> None:
        for name in ("lr_coefficient", "batch_coefficient"):
            object.__setattr__(self, name, _positive(name, getattr(self, name)))
        for name in ("lr_params_exponent", "lr_tokens_exponent", "batch_exponent"):
            object.__setattr__(self, name, _finite(name, getattr(self, name)))

    @classmethod
    def from_registry(cls, learning_rate: str = "li2025/lr(N,D)",
                      batch_size: str = "li2025/B(D)") -> StepLaw:
        """A published learning rate in N and D (family ``POWER_LAW_ND``) and a batch size in
        D (family ``POWER_LAW``): by default Step Law's ``"li2025/lr(N,D)"`` and
        ``"li2025/B(D)"``.

        Raises
        ------
        ValueError
            If a name is not a fit of its family; the message lists those there are.
        """
        lr = registry.fit(learning_rate, family=registry.LawFamily.POWER_LAW_ND)
        b_k, b_p = _power_law(batch_size)
        return cls(lr_coefficient=lr["k"], lr_params_exponent=lr["a"],
                   lr_tokens_exponent=lr["b"], batch_coefficient=b_k, batch_exponent=b_p)

    def learning_rate(self, n_params: ArrayLike, n_tokens: ArrayLike) -> FloatOrArray:
        """eta(N, D), the peak learning rate (N non-embedding parameters and D tokens, > 0;
        vectorised, N and D broadcast)."""
        n = as_positive_array("n_params", n_params)
        d = as_positive_array("n_tokens", n_tokens)
        check_broadcast(n_params=n, n_tokens=d)
        value = self.lr_coefficient * n**self.lr_params_exponent * d**self.lr_tokens_exponent
        return scalar_or_array(value, n_params, n_tokens)

    def batch_size(self, n_tokens: ArrayLike) -> FloatOrArray:
        """B(D), the batch size in tokens, for D training tokens (> 0)."""
        d = as_positive_array("n_tokens", n_tokens)
        return scalar_or_array(self.batch_coefficient * d**self.batch_exponent, n_tokens)


@checks_overflow_methods
@dataclass(frozen=True)
class PorianHyperparameters:
    """Porian et al.'s (2024) tuned learning rate and batch size as power laws in N.

    LR = lr_coefficient N^lr_exponent and BS = batch_coefficient N^batch_exponent sequences
    of ``sequence_length`` tokens, N the parameters of the linear layers (output head
    included, embeddings not), fitted for runs of 20 tokens per parameter at a constant
    learning rate (registry ``porian2024/lr(N)``, ``porian2024/B(N)``, read second-hand).

    Parameters
    ----------
    lr_coefficient, batch_coefficient
        The coefficients (> 0).
    lr_exponent, batch_exponent
        The exponents (finite).
    sequence_length
        Tokens per sequence in which the batch law counts (> 0).

    Examples
    --------
    >>> law = PorianHyperparameters.from_registry()
    >>> print(f"{law.learning_rate(9.01e8):.2g}, {law.batch_sequences(9.01e8):.0f} sequences")
    0.0022, 730 sequences
    """

    lr_coefficient: float
    lr_exponent: float
    batch_coefficient: float
    batch_exponent: float
    sequence_length: float

    def __post_init__(self) -> None:
        for name in ("lr_coefficient", "batch_coefficient", "sequence_length"):
            object.__setattr__(self, name, _positive(name, getattr(self, name)))
        for name in ("lr_exponent", "batch_exponent"):
            object.__setattr__(self, name, _finite(name, getattr(self, name)))

    @classmethod
    def from_registry(cls, learning_rate: str = "porian2024/lr(N)",
                      batch_size: str = "porian2024/B(N)") -> PorianHyperparameters:
        """Two published power laws in N (family ``POWER_LAW``), the batch one in sequences of
        ``porian_sequence_length`` tokens: by default Porian et al.'s."""
        lr_k, lr_p = _power_law(learning_rate)
        b_k, b_p = _power_law(batch_size)
        length = registry.constant("porian_sequence_length").value
        return cls(lr_coefficient=lr_k, lr_exponent=lr_p, batch_coefficient=b_k,
                   batch_exponent=b_p, sequence_length=length)

    def learning_rate(self, n_params: ArrayLike) -> FloatOrArray:
        """The tuned learning rate for N parameters (> 0)."""
        n = as_positive_array("n_params", n_params)
        return scalar_or_array(self.lr_coefficient * n**self.lr_exponent, n_params)

    def batch_sequences(self, n_params: ArrayLike) -> FloatOrArray:
        """The tuned batch size in sequences of ``sequence_length`` tokens, for N (> 0)."""
        n = as_positive_array("n_params", n_params)
        return scalar_or_array(self.batch_coefficient * n**self.batch_exponent, n_params)

    def batch_size(self, n_params: ArrayLike) -> FloatOrArray:
        """The tuned batch size in tokens (sequences times ``sequence_length``), for N (> 0)."""
        sequences = np.asarray(self.batch_sequences(n_params))
        return scalar_or_array(sequences * self.sequence_length, n_params)


@checks_overflow
def kaplan_batch_size(flops: ArrayLike, ratio: float | None = None) -> FloatOrArray:
    """Kaplan et al.'s batch size of a compute-efficient run: B = B_e C_min^p_B tokens (Eq.
    6.1, Table 6: 2e6 C_min^0.24, C_min in PF-days).

    Parameters
    ----------
    flops
        C, FLOPs actually spent (> 0).
    ratio
        C / C_min (>= 1); by default 2, training at the critical batch size, as in
        :func:`chinchilla_lib.laws.kaplan_min_compute`.

    Returns
    -------
    float or ndarray
        Tokens per batch.

    Examples
    --------
    >>> print(f"{kaplan_batch_size(1e21):.3g} tokens")
    3.05e+06 tokens
    """
    from chinchilla_lib.laws.kaplan import kaplan_min_compute
    from chinchilla_lib.laws.power import PowerLaw

    c_min = kaplan_min_compute(flops, ratio) / registry.constant("pf_day").value
    return PowerLaw.from_registry("kaplan2020/B(C_min)")(c_min)


@checks_overflow
def batch_in_sequences(batch_tokens: ArrayLike, context: int = DEFAULT_CONTEXT) -> FloatOrArray:
    """A batch in tokens as a count of sequences of ``context`` tokens (not rounded).

    Parameters
    ----------
    batch_tokens
        Tokens per batch (> 0).
    context
        Tokens per sequence, a whole number >= 1.

    Examples
    --------
    >>> batch_in_sequences(4 * 2**20, 4096)
    1024.0
    """
    tokens = as_positive_array("batch_tokens", batch_tokens)
    length = check_positive_int("context", context)
    return scalar_or_array(tokens / length, batch_tokens)


@dataclass(frozen=True)
class HyperparameterRecommendation:
    """One law's recommendation at a budget.

    Attributes
    ----------
    law
        Short name: ``"deepseek"``, ``"steplaw"``, ``"porian"`` or ``"kaplan"``.
    learning_rate
        Peak learning rate, or ``None`` where the law gives none (Kaplan et al.).
    batch_tokens
        Batch size, tokens.
    batch_sequences
        Batch size, sequences of the table's context length.
    inputs
        What the law was evaluated at, in words (``"C = 1e+21 FLOPs"``).
    source
        Registry names of the fits used, with their citations and locations.
    """

    law: str
    learning_rate: float | None
    batch_tokens: float
    batch_sequences: float
    inputs: str
    source: str


@dataclass(frozen=True)
class HyperparameterTable:
    """Every law's recommendation at one compute budget (:func:`hyperparameter_table`).

    Attributes
    ----------
    flops
        C, FLOPs.
    allocation
        Registry name of the Chinchilla-form fit whose compute-optimal N and D fed the laws
        written in N and D.
    n_params, n_tokens
        That optimum: parameters (all of them, as Hoffmann et al. count) and tokens.
    context
        Tokens per sequence for ``batch_sequences``.
    rows
        One :class:`HyperparameterRecommendation` per law, in the order deepseek, steplaw,
        porian, kaplan.
    """

    flops: float
    allocation: str
    n_params: float
    n_tokens: float
    context: int
    rows: tuple[HyperparameterRecommendation, ...]

    def row(self, law: str) -> HyperparameterRecommendation:
        """The row of one law (``"deepseek"``, ``"steplaw"``, ``"porian"``, ``"kaplan"``).

        Raises
        ------
        ValueError
            If no row has that name.
        """
        for found in self.rows:
            if found.law == law:
                return found
        raise ValueError(f"law must be one of {[r.law for r in self.rows]}; got {law!r}")


HYPERPARAMETER_LAWS = ("deepseek", "steplaw", "porian", "kaplan")
"""The laws :func:`hyperparameter_table` sets side by side, in its order."""


def _where(*names: str) -> str:
    parts = []
    for name in names:
        source = registry.fit(name).source
        marker = "" if source.status == "primary" else ", second-hand"
        parts.append(f"{name} ({source.citation}, {source.location}{marker})")
    return "; ".join(parts)


@checks_overflow
def hyperparameter_table(flops: float, allocation: str = DEFAULT_ALLOCATION,
                         context: int = DEFAULT_CONTEXT) -> HyperparameterTable:
    """The peak learning rate and batch size each law recommends at one compute budget.

    The laws take different inputs, so the table converts C by one stated rule: N and D are
    the compute-optimal allocation of ``allocation`` (C = 6ND; by default Hoffmann et al.'s
    Approach 3, so that the table and the command line's default plan share one N and D; that
    fit puts about 50 tokens per parameter at 1e21 FLOPs and about 98 at 1e24, more than the
    20 of the rule of thumb, which would give a larger N and a smaller D). Then

    - DeepSeek takes C itself. Their C is M D with M non-embedding FLOPs per token including
      attention (:func:`deepseek_model_scale`), while here C = 6ND with N all parameters; at
      a fixed budget the two counts differ by a factor M / 6N, near 1 for large models;
    - Step Law takes N and D, and Porian et al. take N: their N leaves out the embeddings,
      which Hoffmann et al.'s N includes (a few per cent of a model at these budgets);
    - Kaplan et al. take C, with C_min = C / 2 (training at the critical batch size), and give
      no learning rate.

    Parameters
    ----------
    flops
        C, training FLOPs (a single number > 0).
    allocation
        Registry name of a Chinchilla-form fit.
    context
        Tokens per sequence, for the batch in sequences (a whole number >= 1; default 2048).

    Returns
    -------
    HyperparameterTable

    Examples
    --------
    >>> table = hyperparameter_table(1e21)
    >>> for row in table.rows:
    ...     lr = "-" if row.learning_rate is None else f"{row.learning_rate:.2g}"
    ...     print(f"{row.law:9s}{lr:>9s}{row.batch_tokens:10.3g}")
    deepseek   0.00074  2.16e+06
    steplaw      0.001  1.05e+06
    porian      0.0017  2.46e+06
    kaplan           -  3.05e+06
    """
    from chinchilla_lib.laws.chinchilla import ChinchillaLaw

    c = single("flops", as_positive_array("flops", flops))
    check_instance("allocation", allocation, str)
    length = check_positive_int("context", context)
    optimum = ChinchillaLaw.from_registry(allocation).compute_optimal(c)
    n, d = float(optimum.n_params), float(optimum.n_tokens)
    deepseek = DeepSeekHyperparameters.from_registry()
    step = StepLaw.from_registry()
    porian = PorianHyperparameters.from_registry()
    at_c = f"C = {c:.3g} FLOPs"
    at_nd = f"N = {n:.3g} parameters, D = {d:.3g} tokens ({allocation})"
    rows = []
    for law, lr, tokens, inputs, names in (
            ("deepseek", deepseek.learning_rate(c), deepseek.batch_size(c), at_c,
             ("bi2024/lr(C)", "bi2024/B(C)")),
            ("steplaw", step.learning_rate(n, d), step.batch_size(d), at_nd,
             ("li2025/lr(N,D)", "li2025/B(D)")),
            ("porian", porian.learning_rate(n), porian.batch_size(n),
             f"N = {n:.3g} parameters ({allocation})",
             ("porian2024/lr(N)", "porian2024/B(N)")),
            ("kaplan", None, kaplan_batch_size(c), f"{at_c}, C_min = C / 2",
             ("kaplan2020/B(C_min)",))):
        rows.append(HyperparameterRecommendation(
            law=law, learning_rate=None if lr is None else float(lr),
            batch_tokens=float(tokens), batch_sequences=float(tokens) / length,
            inputs=inputs, source=_where(*names)))
    return HyperparameterTable(flops=c, allocation=allocation, n_params=n, n_tokens=d,
                               context=length, rows=tuple(rows))
