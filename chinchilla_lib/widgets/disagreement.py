"""Chapter 5's explorer: switch Kaplan et al.'s assumptions on and off, watch a move."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from matplotlib.figure import Figure

from chinchilla_lib import plotting, registry
from chinchilla_lib.course import report
from chinchilla_lib.fitting.power import fit_power_law, fit_saturating_power_law
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.laws.power import local_exponent
from chinchilla_lib.simulate.frontier import SCALE_WINDOWS, FrontierResult, kaplan_style_frontier
from chinchilla_lib.widgets.base import Explorer

__all__ = ["SCHEDULE_PENALTY", "DisagreementExplorer", "DisagreementResult"]

TRUTH_NAME = "besiroglu2024/refit"
SCHEDULE_PENALTY = 0.1
"""Illustrative size of the fixed-schedule overestimate (see kaplan_style_frontier)."""


def _reference_exponents() -> tuple[float, float]:
    """Kaplan et al.'s a (Table 6) and Hoffmann et al.'s Approach 1 a (Table 2), from the
    registry."""
    kaplan = registry.fit("kaplan2020/N_opt(C_min)").params["p_N"]
    hoffmann = next(r.estimate for r in registry.HOFFMANN_TABLE2
                    if r.method == "Approach 1" and r.parameter == "a")
    return kaplan, hoffmann


def _schedule_label() -> str:
    tokens = registry.constant("kaplan_schedule_tokens").value
    return f"one {report.format_count(tokens)}-token schedule"


@dataclass(frozen=True)
class DisagreementResult:
    """The frontier an analysis with the chosen assumptions would see.

    Attributes
    ----------
    frontier
        Budgets, best sizes, the fitted exponent a and the lowest losses.
    loss_exponent
        gamma of the loss-compute frontier, fitted as L = (C0/C)^gamma if ``floor`` is
        False (no irreducible loss, as Kaplan et al.) or L = E + (C0/C)^gamma if True.
    """

    frontier: FrontierResult
    loss_exponent: float


class DisagreementExplorer(Explorer):
    """Counting, scale window, floor and schedule in; the frontier exponent out.

    Parameters
    ----------
    non_embedding
        Count non-embedding parameters and compute (Kaplan et al.) instead of total ones.
    window
        A key of :data:`chinchilla_lib.simulate.frontier.SCALE_WINDOWS`.
    floor
        Fit the loss-compute frontier with an irreducible loss (Hoffmann et al.) or without.
    fixed_schedule
        Read losses off runs sharing one learning-rate schedule planned for
        ``kaplan_schedule_tokens`` (Hoffmann et al.'s account of Kaplan et al.'s set-up): the
        short runs, which at a fixed budget are the large models, look worse than they are.
    """

    defaults: ClassVar[dict[str, Any]] = {
        "non_embedding": True, "window": "Kaplan et al. (small models)", "floor": False,
        "fixed_schedule": False,
    }
    book_grid: ClassVar[dict[str, tuple[Any, ...]]] = {
        # The text asks for one assumption at a time, switched on or off from Kaplan et al.'s
        # combination: every combination of the four switches (sixteen frames).
        "non_embedding": (True, False),
        "window": tuple(SCALE_WINDOWS),
        "floor": (False, True),
        "fixed_schedule": (False, True),
    }
    """The book's frames: every combination of the four assumptions."""

    def setup(self) -> None:
        self.truth = ChinchillaLaw.from_registry(TRUTH_NAME)

    def _compute(self, **p: Any) -> DisagreementResult:
        """The frontier and its exponents under these assumptions (pure)."""
        if p["window"] not in SCALE_WINDOWS:
            raise ValueError(f"window must be one of {list(SCALE_WINDOWS)}; got {p['window']!r}")
        frontier = kaplan_style_frontier(
            self.truth, SCALE_WINDOWS[p["window"]],
            counting="non-embedding" if p["non_embedding"] else "total",
            schedule_tokens=registry.constant("kaplan_schedule_tokens").value
            if p["fixed_schedule"] else None,
            schedule_penalty=SCHEDULE_PENALTY)
        if p["floor"]:
            gamma = -fit_saturating_power_law(frontier.flops, frontier.loss,
                                              polish=False).law.exponent
        else:
            gamma = -fit_power_law(frontier.flops, frontier.loss).law.exponent
        return DisagreementResult(frontier, gamma)

    def make_figure(self) -> Figure:
        fig, (ax, ax_slope) = plotting.new_figure(2, width=9.5, height=3.8)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(1e12, 1e22)
        ax.set_ylim(1e2, 1e11)
        ax.set_xlabel("C as counted, FLOPs")
        ax.set_ylabel("best N as counted")
        ax.set_title("The frontier the analysis sees")
        colour = plotting.PAPER_COLOURS["pearce2024reconciling"]
        (points,) = ax.plot([], [], "o", ms=3, color=colour, label="best size per budget")
        (fit,) = ax.plot([], [], color="black", lw=1.2, label="fitted N ∝ C^a")
        kaplan_a, hoffmann_a = _reference_exponents()
        (kaplan,) = ax.plot([], [], ":", color=plotting.PAPER_COLOURS["kaplan2020scaling"],
                            label=f"slope {kaplan_a:.2f} (Kaplan et al.)")
        (hoffmann,) = ax.plot([], [], "--", color=plotting.PAPER_COLOURS["hoffmann2022training"],
                              label=f"slope {hoffmann_a:.2f} (Hoffmann et al.)")
        text = ax.text(0.03, 0.97, "", transform=ax.transAxes, va="top", fontsize=8)
        ax.legend(loc="lower right", fontsize=7)
        self._points, self._fit, self._kaplan, self._hoffmann, self._text = (
            self.animate(a) for a in (points, fit, kaplan, hoffmann, text))

        ax_slope.set_xscale("log")
        ax_slope.set_xlim(1e12, 1e22)
        ax_slope.set_ylim(0.3, 1.05)
        ax_slope.axhline(kaplan_a, ls=":", color=plotting.PAPER_COLOURS["kaplan2020scaling"])
        ax_slope.axhline(hoffmann_a, ls="--", color=plotting.PAPER_COLOURS["hoffmann2022training"])
        ax_slope.set_xlabel("C as counted, FLOPs")
        ax_slope.set_ylabel("local exponent d log N / d log C")
        ax_slope.set_title("The exponent depends on where you look")
        (local,) = ax_slope.plot([], [], color=colour, lw=2)
        settings = ax_slope.text(0.97, 0.97, "", transform=ax_slope.transAxes, va="top",
                                 ha="right", fontsize=7)
        self._local, self._settings = self.animate(local), self.animate(settings)
        return fig

    def redraw(self, r: DisagreementResult) -> None:
        f = r.frontier
        self._points.set_data(f.flops, f.n_opt)
        middle = np.sqrt(f.flops[0] * f.flops[-1])
        anchor = float(np.exp(np.interp(np.log(middle), np.log(f.flops), np.log(f.n_opt))))
        ends = np.array([f.flops[0], f.flops[-1]])
        self._fit.set_data(ends, anchor * (ends / middle) ** f.exponent)
        kaplan_a, hoffmann_a = _reference_exponents()
        self._kaplan.set_data(ends, anchor * (ends / middle) ** kaplan_a)
        self._hoffmann.set_data(ends, anchor * (ends / middle) ** hoffmann_a)
        self._local.set_data(f.flops, local_exponent(f.flops, f.n_opt))
        p = self.params
        floor = "with a floor" if p["floor"] else "no floor"
        self._text.set_text(f"fitted a = {f.exponent:.3f}\n"
                            f"loss ∝ C^-{r.loss_exponent:.3f} ({floor})")
        counting = "non-embedding N and C" if p["non_embedding"] else "total N and C"
        schedule = (f"{_schedule_label()}:\nshort runs (large N) read mid-schedule"
                    if p["fixed_schedule"] else "schedule matched to each run")
        low, high = SCALE_WINDOWS[p["window"]]
        self._settings.set_text(f"{counting}\n{p['window']}:\n"
                                f"C from {low:.1e} to {high:.1e} FLOPs\n{schedule}\n"
                                f"truth: {TRUTH_NAME}")

    def controls(self) -> dict[str, Any]:
        import ipywidgets as w

        p = self.params
        return {
            "non_embedding": w.Checkbox(p["non_embedding"], description="non-embedding N and C"),
            "window": w.Dropdown(options=list(SCALE_WINDOWS), value=p["window"],
                                 description="scales"),
            "floor": w.Checkbox(p["floor"], description="fit a loss floor"),
            "fixed_schedule": w.Checkbox(p["fixed_schedule"], description=_schedule_label()),
        }
