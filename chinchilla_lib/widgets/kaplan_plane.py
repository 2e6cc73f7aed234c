"""Chapter 2's explorer: Kaplan et al.'s L(N, D) plane and the optimal N against compute."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from matplotlib.figure import Figure

from chinchilla_lib import plotting, quantities, registry
from chinchilla_lib.course import report
from chinchilla_lib.laws.henighan import henighan_law, henighan_optimal_size
from chinchilla_lib.laws.kaplan import (
    ComputeOptimum,
    KaplanLaw,
    KaplanLearningCurves,
    kaplan_optimal_params,
)
from chinchilla_lib.laws.power import PowerLaw
from chinchilla_lib.quantities import FLOPS_PER_PARAM_TOKEN
from chinchilla_lib.widgets.base import Explorer

__all__ = ["KaplanPlaneExplorer", "KaplanPoint"]

N_RANGE = (1e6, 1e12)
D_RANGE = (1e7, 1e14)
C_RANGE = (1e15, 1e26)
OVERFIT_TOLERANCE: float = registry.constant("kaplan_seed_loss_variation").value
"""The over-fitting threshold on delta L = L(N, D) / L(N, inf) - 1: Kaplan et al.'s loss
variation between random seeds (Section 4.2)."""
N_OPT_DOMAINS: tuple[str, ...] = tuple(
    d for d in registry.HENIGHAN_DOMAINS if f"henighan2020/N_opt(C) {d}" in registry.FITS)
"""The Henighan et al. modalities with an N_opt(C) fit in Table 1 (as held in the registry)."""


@dataclass(frozen=True)
class KaplanPoint:
    """One (N, D) choice judged by Kaplan's law, beside the optimal sizes for its compute.

    Attributes
    ----------
    n_params, n_tokens
        The choice (non-embedding parameters, tokens).
    loss
        Kaplan's L(N, D), nats per token (the early-stopped loss on a dataset of D tokens).
    flops
        6ND, FLOPs (the course's one-epoch reading: every token seen once).
    overfit_min_tokens
        Tokens needed to keep the finite-data penalty of L(N, D) under 2%.
    optimum
        The best (N, D) for the same compute under the course's reading (L(N, D) on 6ND = C).
    kaplan_curves_n
        Kaplan's N_opt = 1.3e9 C_min^0.73 with the whole budget taken as C_min.
    domain
        The Henighan modality shown.
    domain_loss
        That modality's L(N) at ``n_params``.
    kaplan_curves_n_at_bcrit
        The same law with C = 2 C_min (training at the critical batch size, Eq. 6.7).
    learning_curve_n
        N_opt(C_min) predicted from L(N, S_min) and B_crit(L), with C = 2 C_min.
    domain_n_opt
        Henighan et al.'s N_opt(C) for the modality at this compute.
    """

    n_params: float
    n_tokens: float
    loss: float
    flops: float
    overfit_min_tokens: float
    optimum: ComputeOptimum
    kaplan_curves_n: float
    domain: str
    domain_loss: float
    kaplan_curves_n_at_bcrit: float
    learning_curve_n: float
    domain_n_opt: float


class KaplanPlaneExplorer(Explorer):
    """Drag N and D over Kaplan's L(N, D); compare the optimal N of each reading.

    Parameters
    ----------
    log10_n
        log10 of N, non-embedding parameters.
    log10_d
        log10 of D, tokens.
    domain
        One of :data:`N_OPT_DOMAINS` (Henighan et al.'s modalities with an N_opt(C) fit).
    """

    defaults: ClassVar[dict[str, Any]] = {"log10_n": 9.0, "log10_d": 10.5, "domain": "Language"}
    book_grid: ClassVar[tuple[dict[str, tuple[Any, ...]], ...]] = (
        # Both sliders' full ranges in whole decades (and the default D), jointly: the text
        # asks the reader to drag N and D over the plane, into and out of the shaded
        # over-fitting region and along the line of equal 6ND. Each frame of this detailed
        # figure is large, so finer steps would pass the page's size limit.
        {"log10_n": tuple(np.arange(6.0, 12.01, 1.0).tolist()),
         "log10_d": tuple(sorted({*np.arange(7.0, 14.01, 1.0).tolist(),
                                  defaults["log10_d"]}))},
        # Every modality of the menu at the default N and D: it moves only the highlighted
        # Henighan line and its optimal size (the others stay in grey), so one setting of the
        # plane shows what it does; crossed with the plane it would multiply the frames.
        {"domain": N_OPT_DOMAINS},
    )
    """The book's frames: the joint grid of N and D for language, and every modality."""

    def setup(self) -> None:
        self.law = KaplanLaw.from_registry("kaplan2020/L(N,D)")
        self.curves_n_opt = PowerLaw.from_registry("kaplan2020/N_opt(C_min)")
        self.learning_curves = KaplanLearningCurves.from_registry("kaplan2020/L(N,S_min)")
        self.ratio = registry.constant("kaplan_critical_batch_compute_ratio").value

    def _compute(self, **p: Any) -> KaplanPoint:
        """Judge the (N, D) choice (pure)."""
        if p["domain"] not in N_OPT_DOMAINS:
            raise ValueError(f"domain must be one of {list(N_OPT_DOMAINS)}; "
                             f"got {p['domain']!r}")
        n, d = 10.0 ** p["log10_n"], 10.0 ** p["log10_d"]
        flops = quantities.training_flops(n, d)
        return KaplanPoint(
            n_params=n, n_tokens=d, loss=self.law.loss(n, d), flops=flops,
            overfit_min_tokens=self.law.overfitting_min_tokens(n, OVERFIT_TOLERANCE),
            optimum=self.law.compute_optimal(flops),
            kaplan_curves_n=kaplan_optimal_params(flops, ratio=1.0),
            domain=p["domain"], domain_loss=henighan_law(p["domain"])(n),
            kaplan_curves_n_at_bcrit=kaplan_optimal_params(flops, ratio=self.ratio),
            learning_curve_n=self.learning_curves.optimal_params(flops / self.ratio),
            domain_n_opt=henighan_optimal_size(p["domain"])(quantities.pf_days(flops)),
        )

    def make_figure(self) -> Figure:
        fig, (ax, ax_c) = plotting.new_figure(2, width=10.0, height=4.3)
        colours = plotting.PAPER_COLOURS
        kaplan_colour = colours["kaplan2020scaling"]
        n = np.geomspace(*N_RANGE, 160)
        d = np.geomspace(*D_RANGE, 160)
        grid_n, grid_d = np.meshgrid(n, d)
        contours = ax.contour(grid_n, grid_d, self.law.loss(grid_n, grid_d),
                              levels=[2.2, 2.4, 2.6, 2.8, 3.0, 3.5, 4.0, 5.0], colors="0.65",
                              linewidths=0.7)
        ax.clabel(contours, fontsize=7, fmt="%.1f")
        ax.fill_between(n, D_RANGE[0], self.law.overfitting_min_tokens(n, OVERFIT_TOLERANCE),
                        color="#fdd0a2", alpha=0.5, lw=0,
                        label=f"L(N, D) > {1 + OVERFIT_TOLERANCE:.2f} L(N, ∞): dataset "
                              "too small (Eq. 4.4)")
        budgets = np.geomspace(*C_RANGE, 60)
        closed = self.law.compute_optimal(budgets)
        a = self.law.optimal_params_exponent
        ax.plot(closed.n_params, closed.n_tokens, color=kaplan_colour,
                label=f"course's reading, L(N, D) on C = 6ND: $N \\propto C^{{{a:.2f}}}$")
        curves_n = kaplan_optimal_params(budgets, ratio=self.ratio)
        ax.plot(curves_n, budgets / (FLOPS_PER_PARAM_TOKEN * curves_n), "--", color=kaplan_colour,
                label=f"Kaplan Table 6, C = {self.ratio:.0f} C_min: "
                      f"$N \\propto C^{{{self.curves_n_opt.exponent:.2f}}}$, D = C/6N")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(*N_RANGE)
        ax.set_ylim(*D_RANGE)
        ax.set_xlabel("N, non-embedding parameters")
        ax.set_ylabel("D, dataset size in tokens")
        ax.set_title("Kaplan et al.'s L(N, D), nats per token", fontsize=10)
        (iso,) = ax.plot([], [], color="black", lw=0.8)
        (point,) = ax.plot([], [], "*", ms=13, color="black",
                           label="your (N, D); line: same 6ND, read as one epoch (tokens seen = D)")
        (best,) = ax.plot([], [], "o", ms=7, mfc="none", mec="black",
                          label="best N, D on that line (course's reading)")
        ax.legend(loc="upper left", fontsize=6.5, frameon=True, framealpha=0.9)
        setting = ax.text(0.98, 0.03, "", transform=ax.transAxes, ha="right", va="bottom",
                          fontsize=7.5, bbox={"facecolor": "white", "alpha": 0.85, "lw": 0})
        self._iso, self._point, self._best, self._setting = (
            self.animate(x) for x in (iso, point, best, setting))

        pf = quantities.pf_days(budgets)
        for domain in N_OPT_DOMAINS:
            ax_c.plot(budgets, henighan_optimal_size(domain)(pf), color="0.85", lw=0.8)
        ax_c.plot(budgets, closed.n_params, color=kaplan_colour,
                  label=f"course's reading of L(N, D): $C^{{{a:.2f}}}$")
        ax_c.plot(budgets, curves_n, "--", color=kaplan_colour,
                  label=f"Kaplan Table 6, C = {self.ratio:.0f} C_min")
        ax_c.plot(budgets, kaplan_optimal_params(budgets, ratio=1.0), ":", color="black", lw=1.2,
                  zorder=5, label="Kaplan Table 6, whole budget as C_min")
        lc = self.learning_curves
        ax_c.plot(budgets, lc.optimal_params(budgets / self.ratio), "-.", color="0.3",
                  label=f"from L(N, S_min) and B_crit, C = {self.ratio:.0f} C_min: "
                        f"$C^{{{lc.optimal_params_exponent:.2f}}}$")
        (domain_line,) = ax_c.plot([], [], color=colours["henighan2020scaling"], lw=2.6, alpha=0.6,
                                   label="Henighan N_opt(C), chosen modality (grey: others)")
        (you,) = ax_c.plot([], [], "*", ms=13, color="black", label="your N at your 6ND")
        modality = ax_c.text(0.98, 0.03, "", transform=ax_c.transAxes, ha="right", va="bottom",
                             fontsize=7.5)
        self._domain_line, self._you, self._modality = (
            self.animate(x) for x in (domain_line, you, modality))
        ax_c.set_xscale("log")
        ax_c.set_yscale("log")
        ax_c.set_xlim(*C_RANGE)
        ax_c.set_ylim(1e5, 1e13)
        ax_c.set_xlabel("C, training FLOPs")
        ax_c.set_ylabel("optimal N, non-embedding parameters")
        ax_c.set_title("Optimal N against compute, by reading", fontsize=10)
        ax_c.legend(loc="upper left", fontsize=6.5, frameon=True, framealpha=0.9)
        return fig

    def redraw(self, r: KaplanPoint) -> None:
        n = np.geomspace(*N_RANGE, 50)
        self._iso.set_data(n, r.flops / (FLOPS_PER_PARAM_TOKEN * n))
        self._point.set_data([r.n_params], [r.n_tokens])
        self._best.set_data([r.optimum.n_params], [r.optimum.n_tokens])
        self._setting.set_text(
            f"N = {report.format_count(r.n_params)}, D = {report.format_count(r.n_tokens)}, "
            f"6ND = {report.format_sci(r.flops)} FLOPs\nL(N, D) = {r.loss:.3f} nats/token")
        budgets = np.geomspace(*C_RANGE, 60)
        law = henighan_optimal_size(r.domain)
        self._domain_line.set_data(budgets, law(quantities.pf_days(budgets)))
        self._domain_line.set_label(f"Henighan N_opt(C), {r.domain} (grey: others)")
        self._you.set_data([r.flops], [r.n_params])
        self._modality.set_text(f"modality: {r.domain}")

    def controls(self) -> dict[str, Any]:
        import ipywidgets as w

        p = self.params
        style = {"description_width": "7em"}
        return {
            "log10_n": w.FloatSlider(p["log10_n"], min=6.0, max=12.0, step=0.05,
                                     description="log₁₀ N", style=style),
            "log10_d": w.FloatSlider(p["log10_d"], min=7.0, max=14.0, step=0.05,
                                     description="log₁₀ D", style=style),
            "domain": w.Dropdown(options=list(N_OPT_DOMAINS), value=p["domain"],
                                 description="modality", style=style),
        }

    def summary_html(self, r: KaplanPoint) -> str:
        verdict = ("dataset too small: the finite-data penalty exceeds 2%"
                   if r.n_tokens < r.overfit_min_tokens else "finite-data penalty under 2%")
        rows = [
            ("L(N, D), Kaplan", f"{r.loss:.3f} nats/token"),
            ("compute 6ND", f"{report.format_sci(r.flops)} FLOPs"),
            ("tokens to stay within 2% of L(N, ∞)", report.format_count(r.overfit_min_tokens)),
            ("verdict", verdict),
            ("best N for this C (course's reading of L(N, D))",
             report.format_count(r.optimum.n_params)),
            ("best N, Kaplan Table 6 with C = 2 C_min", report.format_count(
                r.kaplan_curves_n_at_bcrit)),
            ("best N, Kaplan Table 6 with C_min = C", report.format_count(r.kaplan_curves_n)),
            ("best N from L(N, S_min) and B_crit, C = 2 C_min",
             report.format_count(r.learning_curve_n)),
            (f"best N, Henighan {r.domain}", report.format_count(r.domain_n_opt)),
        ]
        return report.html_key_values(rows)
