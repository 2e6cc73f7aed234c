"""The reproducibility ledger: published numbers the course recomputes, and by how much they differ.

Every published number lives in :mod:`chinchilla_lib.registry`. Some of them can also be
*recomputed* from other published numbers with the library (a saving from a fitted law, a
parameter count from a shape, a doubling time from a slope). Each such pair is a
:class:`Reproduction`; :func:`check_all` recomputes them all and reports the relative
difference against a stated tolerance. The book's ledger page (``book/_ext/ledger_page.py``)
prints this table, and the build fails when a difference exceeds its tolerance; the test suite
checks the same.

Tolerances are relative, ``|recomputed - published| / |published|``, and say why: most are the
rounding of the printed value (a value printed to two significant figures is known to about
half a unit in its last place).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from chinchilla_lib import registry

__all__ = ["Check", "Reproduction", "check_all", "reproductions"]


@dataclass(frozen=True)
class Reproduction:
    """A published number and the library computation that should give it back.

    Attributes
    ----------
    what
        What the number is, in a few words.
    entry
        The registry entry that holds the published number (its ``source`` says where it is
        printed).
    published
        The published value, in the unit of the entry.
    recompute
        A function of no arguments that recomputes it with the library.
    tolerance
        The largest relative difference accepted, with ``why`` saying where it comes from.
    why
        Why the tolerance is what it is (rounding of the printed value, a known discrepancy).
    chapter
        The label of the chapter that shows the comparison.
    """

    what: str
    entry: object
    published: float
    recompute: Callable[[], float]
    tolerance: float
    why: str
    chapter: str

    @property
    def source(self) -> registry.Source:
        """Where the published number is printed."""
        return self.entry.source


@dataclass(frozen=True)
class Check:
    """The outcome of one reproduction."""

    reproduction: Reproduction
    recomputed: float

    @property
    def difference(self) -> float:
        """Relative difference, (recomputed - published) / |published|."""
        published = self.reproduction.published
        return (self.recomputed - published) / abs(published)

    @property
    def within_tolerance(self) -> bool:
        """Whether the difference is finite and no larger than the stated tolerance."""
        return (math.isfinite(self.difference)
                and abs(self.difference) <= self.reproduction.tolerance)


def _constant(name: str) -> registry.Constant:
    return registry.constant(name)


def _sardana_example() -> tuple[float, float]:
    from chinchilla_lib.laws.chinchilla import ChinchillaLaw
    from chinchilla_lib.laws.inference import inference_optimal
    from chinchilla_lib.quantities import inference_flops

    law = ChinchillaLaw.published("sardana2024/constants")
    size = _constant("sardana_example_params").value
    served = _constant("sardana_example_inference_tokens").value
    baseline = law.compute_optimal(law.flops_for_optimal_params(size))
    cheaper = inference_optimal(law, baseline.loss, served)
    baseline_total = baseline.flops + inference_flops(size, served)
    saving = baseline_total - cheaper.total_flops
    return saving, saving / baseline_total


def _mixtral_counts():
    from chinchilla_lib.quantities import TransformerShape

    return TransformerShape(**registry.architecture("Mixtral 8x7B").shape).parameter_counts()


def _gpt3_count() -> float:
    from chinchilla_lib.quantities import TransformerShape

    return TransformerShape(**registry.architecture("GPT-3 175B").shape).parameter_counts().total


def _pearce_exponent(fit_name: str) -> float:
    from chinchilla_lib.discrepancy import SCALE_WINDOWS, kaplan_style_frontier
    from chinchilla_lib.laws.chinchilla import ChinchillaLaw

    law = ChinchillaLaw.published(fit_name)
    window = SCALE_WINDOWS["Kaplan et al. (small models)"]
    return kaplan_style_frontier(law, window, counting="non-embedding", budgets=100).exponent


def _densing_days(slope_name: str) -> float:
    from chinchilla_lib.laws.densing import DensingLaw

    return DensingLaw(_constant(slope_name).value, 0.0).doubling_days


def _xiao_combined_days() -> float:
    from chinchilla_lib.laws.densing import combined_doubling_time

    days_per_year = 365.25
    return combined_doubling_time(_densing_days("xiao_densing_slope"),
                                  _constant("xiao_chip_doubling_years").value * days_per_year)


def _xiao_price_halving() -> float:
    from chinchilla_lib.laws.densing import doubling_time

    start = registry.constant("xiao_price_gpt35_dec2022").value
    end = registry.constant("xiao_price_gemini15flash_aug2024").value
    months = 20.0  # December 2022 to August 2024, the two prices' dates (Xiao et al., Sec. 4)
    return doubling_time(start / end, months)


def _hex_saving() -> float:
    from chinchilla_lib.laws.train_test_tradeoff import IsoStrengthFrontier

    return IsoStrengthFrontier.jones_hex().test_saving_per_train_decade()


def _table_a3_rows() -> list[Reproduction]:
    from chinchilla_lib.laws.chinchilla import ChinchillaLaw

    rows = []
    for row in registry.HOFFMANN_PROJECTIONS:
        if row.approach != "3" or "typo" in row.source.note.lower():
            continue

        def n_opt(row=row) -> float:
            law = ChinchillaLaw.published("hoffmann2022/approach3 unrounded")
            return float(law.compute_optimal(row.flops).n_params)

        rows.append(Reproduction(
            f"Approach 3 optimal size at {row.flops:.3g} FLOPs", row, row.n_params, n_opt, 0.1,
            "the table's rows imply a slightly larger a than the printed fit (about 0.459); "
            "the gap drifts with N (Chapter 3)", "ch3-chinchilla"))
    return rows


@cache
def reproductions() -> tuple[Reproduction, ...]:
    """Every published number the course recomputes, with its tolerance."""
    two_figures = "printed to two significant figures"
    items = [
        Reproduction("Sardana et al.'s saving, 13B model served 2T tokens",
                     _constant("sardana_example_saving_flops"),
                     _constant("sardana_example_saving_flops").value,
                     lambda: _sardana_example()[0], 0.05, two_figures, "ch6-beyond"),
        Reproduction("Sardana et al.'s saving as a share of total compute",
                     _constant("sardana_example_saving_fraction"),
                     _constant("sardana_example_saving_fraction").value,
                     lambda: _sardana_example()[1], 0.05, two_figures, "ch6-beyond"),
        Reproduction("Mixtral 8x7B total parameters, from its shape",
                     _constant("mixtral_total_params"), _constant("mixtral_total_params").value,
                     lambda: _mixtral_counts().total, 0.02, two_figures, "ch0-ndcl"),
        Reproduction("Mixtral 8x7B active parameters per token, from its shape",
                     _constant("mixtral_active_params"), _constant("mixtral_active_params").value,
                     lambda: _mixtral_counts().active, 0.02, two_figures, "ch0-ndcl"),
        Reproduction("GPT-3 parameters, from its shape", registry.model("GPT-3"),
                     registry.model("GPT-3").n_params, _gpt3_count, 0.01,
                     "printed to three significant figures", "ch0-ndcl"),
        Reproduction("GPT-3 training compute, 6ND", _constant("gpt3_training_flops"),
                     _constant("gpt3_training_flops").value,
                     lambda: 6.0 * registry.model("GPT-3").n_params
                     * registry.model("GPT-3").n_tokens,
                     0.01, "printed to three significant figures", "ch0-ndcl"),
        Reproduction("Pearce & Song's Kaplan-style exponent, Besiroglu et al.'s constants",
                     _constant("pearce_exponent_epoch_coefficients"),
                     _constant("pearce_exponent_epoch_coefficients").value,
                     lambda: _pearce_exponent("besiroglu2024/refit"), 0.03, two_figures,
                     "ch5-disagreement"),
        Reproduction("Pearce & Song's Kaplan-style exponent, Hoffmann et al.'s constants",
                     _constant("pearce_exponent_chinchilla_coefficients"),
                     _constant("pearce_exponent_chinchilla_coefficients").value,
                     lambda: _pearce_exponent("hoffmann2022/approach3 unrounded"), 0.03,
                     two_figures, "ch5-disagreement"),
        Reproduction("Jones's test-compute saving per decade of training compute (Hex)",
                     _constant("jones_hex_test_saving_per_train_decade"),
                     _constant("jones_hex_test_saving_per_train_decade").value, _hex_saving,
                     0.1, "quoted as 'about 15x'; the frontier's slope of 1.2 gives 10^1.2",
                     "ch8-inference"),
        Reproduction("Densing law's doubling time from its slope (Sec. 3.3)",
                     _constant("xiao_doubling_days_s33"),
                     _constant("xiao_doubling_days_s33").value,
                     lambda: _densing_days("xiao_densing_slope_s33"), 0.02,
                     "printed to two significant figures", "ch9-densing"),
        Reproduction("Densing law's doubling time in months (abstract)",
                     _constant("xiao_doubling_months"), _constant("xiao_doubling_months").value,
                     lambda: _densing_days("xiao_densing_slope") * 12 / 365.25, 0.03,
                     two_figures, "ch9-densing"),
        Reproduction("Effective parameters per chip: combined doubling time",
                     _constant("xiao_effective_size_doubling_days"),
                     _constant("xiao_effective_size_doubling_days").value,
                     _xiao_combined_days, 0.03, two_figures, "ch9-densing"),
        Reproduction("Price halving time of equal-capability inference",
                     _constant("xiao_price_halving_months"),
                     _constant("xiao_price_halving_months").value, _xiao_price_halving, 0.06,
                     "the paper prints 2.6 without the dates it used; the chapter's dates "
                     "give 2.5", "ch9-densing"),
        Reproduction("Price reduction from GPT-3.5 to Gemini 1.5 Flash",
                     _constant("xiao_price_reduction"), _constant("xiao_price_reduction").value,
                     lambda: (_constant("xiao_price_gpt35_dec2022").value
                              / _constant("xiao_price_gemini15flash_aug2024").value),
                     0.001, "printed to four significant figures", "ch9-densing"),
    ]
    return tuple(items + _table_a3_rows())


def check_all() -> list[Check]:
    """Recompute every reproduction; the checks come back in the order of :func:`reproductions`."""
    return [Check(r, float(r.recompute())) for r in reproductions()]
