"""The record types of the registry: a published number, and where it is printed.

Every entry of the registry is one of these frozen records, and carries a :class:`Source`. The
source modules of :mod:`chinchilla_lib.registry` (one per paper or family of papers) hold the
entries; this module holds only their types.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from types import MappingProxyType

__all__ = [
    "BenchmarkResult",
    "Constant",
    "LawFamily",
    "LearningCurveExponent",
    "Projection",
    "PublishedCurve",
    "PublishedFit",
    "PublishedInterval",
    "PublishedShape",
    "PublishedValues",
    "SearchScalingRun",
    "Source",
    "TrainedModel",
]


@dataclass(frozen=True)
class Source:
    """Where a published number comes from.

    Attributes
    ----------
    citation
        Key of the entry in ``book/references.bib``.
    location
        Table, equation, figure or section of that source where the value is printed.
    note
        Anything a reader should know when using the value (rounding, a discrepancy).
    status
        ``"primary"`` if the value was read in the source itself; ``"secondary"`` if it was
        read in a faithful restatement (the note names it) and still awaits a check against
        the source.
    """

    citation: str
    location: str
    note: str = ""
    status: str = "primary"

    def __post_init__(self) -> None:
        if self.status not in ("primary", "secondary"):
            raise ValueError(f"status must be 'primary' or 'secondary'; got {self.status!r}")


@dataclass(frozen=True)
class Constant:
    """A published scalar with its unit and source."""

    name: str
    value: float
    unit: str
    source: Source


@dataclass(frozen=True)
class TrainedModel:
    """A trained model as a scaling-law paper reports it.

    Attributes
    ----------
    name
        The model's usual name.
    n_params
        Parameters, as a count (embeddings included, as in the source table).
    n_tokens
        Training tokens, as a count.
    source
        Where ``n_params`` and ``n_tokens`` are printed.
    model_citation
        Key of the paper that introduced the model.
    """

    name: str
    n_params: float
    n_tokens: float
    source: Source
    model_citation: str


@dataclass(frozen=True)
class PublishedShape:
    """A published transformer architecture, as keyword arguments of
    :class:`chinchilla_lib.quantities.TransformerShape`.

    Attributes
    ----------
    name
        The model's usual name.
    shape
        Layer count, widths, heads, vocabulary, context and the like, as the source prints them.
    source
        Where the shape is printed.
    """

    name: str
    shape: Mapping[str, int | bool]
    source: Source


class LawFamily(Enum):
    """The functional form of a published fit, with the names of its parameters (its roles).

    A fit's ``params`` keep the symbols its paper prints (``alpha_N``, ``N_c``); its family says
    which of them plays which role, so that a law class can be built from any fit of its family
    without reading parameter names by prefix.

    Examples
    --------
    >>> LawFamily.CHINCHILLA.form
    'L = E + A / N^alpha + B / D^beta'
    >>> LawFamily.CHINCHILLA.roles
    ('E', 'A', 'B', 'alpha', 'beta')
    """

    CHINCHILLA = ("L = E + A / N^alpha + B / D^beta", ("E", "A", "B", "alpha", "beta"))
    KAPLAN = ("L = ((N_c / N)^(alpha_N / alpha_D) + D_c / D)^alpha_D",
              ("alpha_N", "alpha_D", "N_c", "D_c"))
    KAPLAN_STEPS = ("L = (N_c / N)^alpha_N + (S_c / S_min)^alpha_S",
                    ("alpha_N", "alpha_S", "N_c", "S_c"))
    CRITICAL_BATCH = ("B_crit = B_star / L^(1 / alpha_B)", ("B_star", "alpha_B"))
    POWER_LAW = ("y = k x^p", ("k", "p"))
    POWER_LAW_ND = ("y = k N^a D^b", ("k", "a", "b"))
    POWER_LAW_SCALE = ("y = (x_c / x)^alpha", ("x_c", "alpha"))
    POWER_LAW_RATIO = ("y = (x / x_0)^beta", ("x_0", "beta"))
    POWER_LAW_DECAY = ("y = k x^(-alpha)", ("k", "alpha"))
    SATURATING_POWER_LAW = ("y = y_inf + (x_0 / x)^alpha", ("y_inf", "x_0", "alpha"))
    DOUBLE_SATURATING = ("y = c + a (x + d)^(-b)", ("c", "a", "d", "b"))
    BROKEN_POWER_LAW = ("y = a + b x^(-c0) (1 + (x / d1)^(1 / f1))^(-c1 f1)",
                        ("a", "b", "c0", "c1", "d1", "f1"))
    TRANSFER = ("D_T = k D_F^alpha N^beta", ("k", "alpha", "beta"))
    ISO_STRENGTH = ("log10(test) = m log10(train) + k Elo + c", ("m", "k", "c"))
    BLEU_FROM_LOSS = ("BLEU = C exp(-k L)", ("C", "k"))
    PTQ_DEGRADATION = ("delta_PTQ = C_T (D^gamma_D / N^gamma_N) exp(-P_post / gamma_post)",
                       ("C_T", "gamma_D", "gamma_N", "gamma_post"))

    def __init__(self, form: str, roles: tuple[str, ...]) -> None:
        self.form = form
        self.roles = roles


@dataclass(frozen=True)
class PublishedFit:
    """A fitted law as its paper prints it.

    Attributes
    ----------
    name
        Registry name, for example ``"kaplan2020/L(N)"``.
    form
        The functional form as the paper writes it, with the parameter names of ``params``.
    params
        The fitted constants, as printed, under the paper's symbols.
    x_unit, y_unit
        What the law's inputs and output measure, with units.
    source
        Where the fit is printed.
    family
        The functional form as a :class:`LawFamily`: the law classes select fits by it.
    symbols
        For each role of ``family`` whose printed symbol differs from the role's name, that
        symbol (``{"x_c": "N_c", "alpha": "alpha_N"}``). Every role must name a parameter.
    fitted_to
        Bibliography key of the work whose training runs were fitted (Besiroglu et al.'s refit
        is a fit to Hoffmann et al.'s runs); empty when the source restates constants without
        saying what they were fitted to.
    param_sources
        For each parameter whose provenance differs from ``source`` (read in another place,
        or second-hand where the rest was read first-hand), its own :class:`Source`; the
        other parameters have ``source``. :meth:`source_of` answers for any parameter.

    Examples
    --------
    >>> from chinchilla_lib import registry
    >>> fit = registry.fit("kaplan2020/L(N)")
    >>> fit.family, fit["x_c"], fit.params["N_c"]
    (<LawFamily.POWER_LAW_SCALE: ...>, 88000000000000.0, 88000000000000.0)

    One value of Kumar et al.'s quantisation fit was read second-hand:

    >>> ptq = registry.fit("kumar2024/ptq")
    >>> ptq.source_of("gamma_post").status, ptq.source_of("C_T").status
    ('secondary', 'primary')
    """

    name: str
    form: str
    params: Mapping[str, float]
    x_unit: str
    y_unit: str
    source: Source
    family: LawFamily
    symbols: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    fitted_to: str = ""
    param_sources: Mapping[str, Source] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        for name in ("params", "symbols", "param_sources"):
            if not isinstance(getattr(self, name), MappingProxyType):
                object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))
        if not set(self.param_sources) <= set(self.params):
            raise ValueError(f"param_sources of {self.name!r} must name parameters of "
                             f"{sorted(self.params)}; got {sorted(self.param_sources)}")
        unknown = set(self.symbols) - set(self.family.roles)
        named = {self.symbols.get(role, role) for role in self.family.roles}
        if unknown or named != set(self.params):
            raise ValueError(f"params of {self.name!r} must name the roles "
                             f"{self.family.roles} of {self.family.name} (through symbols); "
                             f"got params {sorted(self.params)} and symbols "
                             f"{dict(self.symbols)}")

    def __getitem__(self, role: str) -> float:
        """The value of one role of the fit's family (``fit["alpha"]``)."""
        if role not in self.family.roles:
            raise KeyError(f"role must be one of {self.family.roles}; got {role!r}")
        return self.params[self.symbols.get(role, role)]

    def source_of(self, param: str) -> Source:
        """Where one parameter (a key of ``params``) was read: its own entry of
        ``param_sources``, or the fit's ``source``.

        Raises
        ------
        ValueError
            If ``param`` is not a parameter of the fit.
        """
        if param not in self.params:
            raise ValueError(f"param must be one of {sorted(self.params)}; got {param!r}")
        return self.param_sources.get(param, self.source)

    @property
    def sources(self) -> tuple[Source, ...]:
        """The fit's ``source`` and every distinct parameter source, in that order."""
        found = [self.source]
        for source in self.param_sources.values():
            if source not in found:
                found.append(source)
        return tuple(found)


@dataclass(frozen=True)
class LearningCurveExponent:
    """An exponent of Hestness et al. (2017): error ~ m^beta_g, model size ~ m^beta_p.

    Attributes
    ----------
    domain
        The task and model family.
    metric
        What was fitted (an error rate or a cross-entropy, with units).
    kind
        ``"beta_g"`` (generalisation error against training-set size m) or ``"beta_p"``
        (parameters of the best model against m).
    value
        The exponent as printed.
    source
        Where it is printed.
    """

    domain: str
    metric: str
    kind: str
    value: float
    source: Source


@dataclass(frozen=True)
class PublishedInterval:
    """An estimate with the interval its paper prints.

    Attributes
    ----------
    method
        Which estimate (an approach, a fit).
    parameter
        The parameter's name.
    estimate, low, high
        The estimate and its interval as printed (``low`` and ``high`` are NaN if the paper
        gives no interval).
    level
        The interval's coverage, for example 0.8 for 10th to 90th percentiles.
    source
        Where it is printed.
    """

    method: str
    parameter: str
    estimate: float
    low: float
    high: float
    level: float
    source: Source


@dataclass(frozen=True)
class SearchScalingRun:
    """One AlphaGo configuration of Silver et al. (2016), Extended Data Table 8 (2 s per move).

    Attributes
    ----------
    search
        ``"asynchronous"`` (one machine) or ``"distributed"``.
    threads, cpus, gpus
        Search threads, CPUs and GPUs.
    elo
        Strength on the paper's BayesElo scale.
    """

    search: str
    threads: int
    cpus: int
    gpus: int
    elo: float
    source: Source


@dataclass(frozen=True)
class Projection:
    """A row of Hoffmann et al.'s projection tables: a model size, its compute and tokens.

    Attributes
    ----------
    approach
        ``"1"``, ``"2"`` or ``"3"`` (Tables 3 and A3), or ``"text"`` (Section 3.4's prose).
    n_params, flops, n_tokens
        As printed (parameters, FLOPs, tokens).
    source
        Where the row is printed.
    """

    approach: str
    n_params: float
    flops: float
    n_tokens: float
    source: Source


@dataclass(frozen=True)
class BenchmarkResult:
    """A pre-trained base model's published benchmark score, with its size and release date.

    Attributes
    ----------
    model
        The model's usual name.
    released
        Release date (first public release of the weights or announcement).
    release_note
        Where the date comes from, and how sure it is.
    n_params
        Parameters, as a count (all parameters, embeddings included).
    benchmark
        ``"MMLU"`` or ``"BBH"`` (BIG-Bench Hard).
    setting
        Shots and prompting as the source states them, e.g. ``"5-shot"``.
    score
        Accuracy, as a fraction in [0, 1].
    source
        Where ``score`` is printed.
    n_tokens
        Training tokens, where the registry has them (:data:`MODELS`); else ``None``.
    params_note
        Where ``n_params`` comes from.
    """

    model: str
    released: date
    release_note: str
    n_params: float
    benchmark: str
    setting: str
    score: float
    source: Source
    n_tokens: float | None = None
    params_note: str = ""


@dataclass(frozen=True)
class PublishedCurve:
    """A real measured curve, shipped because its licence allows it.

    Attributes
    ----------
    name, x_label, y_label
        What the curve is and what its axes measure (with units).
    x, y
        The points, as the source prints them.
    source
        Where they are printed.
    licence
        The licence under which the source publishes them.
    """

    name: str
    x_label: str
    y_label: str
    x: tuple[float, ...]
    y: tuple[float, ...]
    source: Source
    licence: str


@dataclass(frozen=True)
class PublishedValues:
    """Several published numbers of one kind that share a unit and a source (a list printed
    in a figure's legend, for instance).

    Attributes
    ----------
    name
        Registry name.
    values
        The numbers, in the order the source gives them.
    unit
        Their unit.
    source
        Where they are printed.
    """

    name: str
    values: tuple[float, ...]
    unit: str
    source: Source
