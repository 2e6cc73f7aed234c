"""Chapter 9's densing-law explorer: each open model's capability density over time under a
chosen reference family, and the exponential trend of the densest models."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Any, ClassVar, NamedTuple

import numpy as np
from matplotlib.figure import Figure

from chinchilla_lib import plotting, registry
from chinchilla_lib.fitting.densing import (
    CHANCE_ACCURACY,
    DensingFit,
    ModelDensities,
    fit_model_densities,
    model_densities,
    reference_family_from_models,
)
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.laws.densing import ReferenceFamily
from chinchilla_lib.widgets.base import Explorer

__all__ = ["REFERENCE_LAWS", "REFERENCE_MEMBERS", "DensingExplorer", "DensingResult"]

_LAW_LABELS = {"hoffmann2022/approach3": "Hoffmann et al. (2022), Approach 3",
               "besiroglu2024/refit": "Besiroglu et al. (2024), refit"}

REFERENCE_LAWS: dict[str, str] = {
    _LAW_LABELS.get(f.name, f.name): f.name
    for f in registry.fits(family=registry.LawFamily.CHINCHILLA,
                           fitted_to="hoffmann2022training")}
"""Loss laws a reference family can use: the Chinchilla-form fits to Hoffmann et al.'s runs
(labels, shown in the figure, to registry names)."""

REFERENCE_MEMBERS: dict[str, tuple[str, ...]] = {
    "Llama 1 and Llama 2": ("Llama 1", "Llama 2"),
    "Llama 1 only": ("Llama 1",),
}
"""Models whose scores fit the family's sigmoid from loss to MMLU (by name prefix)."""

DAYS = np.array([-30.0, 620.0])
"""Range of the time axis, days since Llama 1's release."""


@lru_cache(maxsize=16)
def _family(benchmark: str, law_label: str, members_label: str) -> ReferenceFamily:
    """The reference family's sigmoid is fitted once per (benchmark, law, members); D0 varies
    freely."""
    members = [r for r in registry.base_model_scores(benchmark)
               if r.model.startswith(REFERENCE_MEMBERS[members_label])]
    law = ChinchillaLaw.from_registry(REFERENCE_LAWS[law_label])
    return reference_family_from_models(law, members, floor=CHANCE_ACCURACY[benchmark])


class DensingResult(NamedTuple):
    """Densities of the tabled models and the fitted densing law."""

    family: ReferenceFamily
    table: ModelDensities
    fit: DensingFit


class DensingExplorer(Explorer):
    """Reference family in; densities of the open models over time and the densing law out.

    Parameters
    ----------
    benchmark
        ``"MMLU"`` or ``"BBH"``.
    law
        Label of the reference loss law (a key of :data:`REFERENCE_LAWS`).
    members
        Label of the models fitting the sigmoid (a key of :data:`REFERENCE_MEMBERS`).
    log10_tokens
        log10 of D0, the tokens the reference family is trained on.
    frontier_only
        Fit the densest models so far (as Xiao et al.) rather than all models.
    """

    defaults: ClassVar[dict[str, Any]] = {
        "benchmark": "MMLU", "law": "Hoffmann et al. (2022), Approach 3",
        "members": "Llama 1 and Llama 2", "log10_tokens": 12.0, "frontier_only": True}
    book_grid: ClassVar[dict[str, tuple[Any, ...]]] = {
        # What the section on the reference (and Exercise ch9-ex-reach, on densities swinging
        # with D0) varies: both benchmarks, the two published Chinchilla-form laws (not the
        # unrounded copy of Approach 3, which draws nearly the same picture), both sets of
        # sigmoid members, record-setters or every model, and D0 on the slider's steps from its
        # low end to its high end through the table's two values (1e12 and, at 12.7, about
        # 5e12 tokens, the same doubling times to the table's digits): a 1-2-5 sequence.
        # The fit's choice comes first (it varies fastest in the drawing order): it never moves
        # the axes, and frames whose density axis is refitted then come in pairs, which cuts
        # the single-process render by about a third.
        "frontier_only": (False, True),
        "benchmark": tuple(CHANCE_ACCURACY),
        "law": tuple(_LAW_LABELS.values()),
        "members": tuple(REFERENCE_MEMBERS),
        "log10_tokens": (11.5, 12.0, 12.3, 12.7, 13.0),
    }
    """The book's frames: benchmark, loss law, sigmoid members, D0 and fit, jointly."""

    def _compute(self, **p: Any) -> DensingResult:
        """Densities and the fitted law for these settings (pure)."""
        if p["benchmark"] not in CHANCE_ACCURACY:
            raise ValueError(f"benchmark must be one of {list(CHANCE_ACCURACY)}; "
                             f"got {p['benchmark']!r}")
        if p["law"] not in REFERENCE_LAWS:
            raise ValueError(f"law must be one of {list(REFERENCE_LAWS)}; got {p['law']!r}")
        if p["members"] not in REFERENCE_MEMBERS:
            raise ValueError(f"members must be one of {list(REFERENCE_MEMBERS)}; "
                             f"got {p['members']!r}")
        family = replace(_family(p["benchmark"], p["law"], p["members"]),
                         tokens=10.0 ** float(p["log10_tokens"]))
        table = model_densities(registry.base_model_scores(p["benchmark"]), family,
                                registry.LLAMA1_RELEASE)
        fit = fit_model_densities(table, frontier_only=bool(p["frontier_only"]))
        return DensingResult(family, table, fit)

    def make_figure(self) -> Figure:
        fig, (ax,) = plotting.new_figure(1, width=6.5, height=4.0)
        ax.set_yscale("log")
        ax.set_xlim(*DAYS)
        ax.set_ylim(0.05, 50.0)
        ax.set_xlabel("days since Llama 1's release (24 February 2023)")
        ax.set_ylabel("capability density (effective / actual parameters)")
        ax.set_title("Densing law: densest models so far, and the trend")
        colour = plotting.PAPER_COLOURS["this_course"]
        (others,) = ax.plot([], [], "o", color="0.6", ms=5, label="all models")
        (frontier,) = ax.plot([], [], "o", color=colour, ms=7, label="fitted models")
        (trend,) = ax.plot([], [], "-", color=colour, lw=2, label="ln ρ = A t + B")
        ax.legend(loc="upper left", fontsize=8)
        settings = ax.text(0.98, 0.03, "", transform=ax.transAxes, ha="right", va="bottom",
                           fontsize=7)
        self._others, self._frontier, self._trend, self._settings = (
            self.animate(a) for a in (others, frontier, trend, settings))
        self._ax = ax
        return fig

    def redraw(self, result: DensingResult) -> None:
        table, fit = result.table, result.fit
        days, rho = table.days[table.reachable], table.densities[table.reachable]
        self._others.set_data(days, rho)
        self._frontier.set_data(table.days[fit.used], table.densities[fit.used])
        self._trend.set_data(DAYS, fit.law(DAYS))
        self.fit_limits(self._ax, float(rho.min()), float(rho.max()), log=True)
        p = self.params
        self._settings.set_text(
            f"{p['benchmark']}; loss law: {p['law']}\nsigmoid fitted on {p['members']}; "
            f"D0 = {10.0 ** float(p['log10_tokens']):.1e} tokens\n"
            f"{'record-setters' if p['frontier_only'] else 'all models'} fitted: doubling "
            f"every {fit.law.doubling_months:.1f} months")

    def summary_html(self, result: DensingResult) -> str:
        fit, table = result.fit, result.table
        beyond = len(table.names) - int(table.reachable.sum())
        note = f"; {beyond} model(s) score beyond the family's reach" if beyond else ""
        law = fit.law
        return (f"{self.params['benchmark']}: A = <b>{law.slope:.4f}</b> per day: density "
                f"doubles every <b>{law.doubling_months:.1f} months</b> "
                f"({law.doubling_days:.0f} days), R² = {fit.r_squared:.2f} on "
                f"{int(fit.used.sum())} models{note}.")

    def controls(self) -> dict[str, Any]:
        import ipywidgets as w

        p = self.params
        style = {"description_width": "9em"}
        return {
            "benchmark": w.Dropdown(options=list(CHANCE_ACCURACY), value=p["benchmark"],
                                    description="benchmark", style=style),
            "law": w.Dropdown(options=list(REFERENCE_LAWS), value=p["law"],
                              description="loss law", style=style),
            "members": w.Dropdown(options=list(REFERENCE_MEMBERS), value=p["members"],
                                  description="sigmoid fitted on", style=style),
            "log10_tokens": w.FloatSlider(p["log10_tokens"], min=11.5, max=13.0, step=0.1,
                                          description="log₁₀ D₀ (tokens)", style=style),
            "frontier_only": w.Checkbox(p["frontier_only"], description="fit the frontier only"),
        }
