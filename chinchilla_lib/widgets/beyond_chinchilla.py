"""Chapter 6's explorers: inference demand, scarce unique data, and training precision."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from matplotlib.figure import Figure

from chinchilla_lib import plotting
from chinchilla_lib.course import report
from chinchilla_lib.laws.beyond import PtqDegradationLaw, effective_params_at_precision
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.laws.data_constrained import DataConstrainedLaw, effective_data
from chinchilla_lib.laws.inference import (
    DemandSaving,
    lifetime_flops,
    saving_over_compute_optimal,
)
from chinchilla_lib.laws.kaplan import ComputeOptimum
from chinchilla_lib.quantities import FLOPS_PER_PARAM_TOKEN
from chinchilla_lib.widgets.base import Explorer

__all__ = ["DataCapExplorer", "InferenceDemandExplorer", "PrecisionExplorer"]

N_GRID = np.geomspace(1e8, 1e12, 160)


class InferenceDemandExplorer(Explorer):
    """Training budget and inference demand in; the cheapest model for the same loss out.

    Parameters
    ----------
    log10_flops
        Budget of the compute-optimal model that sets the target loss (log10 FLOPs).
    log10_inference_tokens
        Tokens served over the model's life (log10).
    """

    defaults: ClassVar[dict[str, Any]] = {"log10_flops": 22.65, "log10_inference_tokens": 12.3}
    book_grid: ClassVar[dict[str, tuple[float, ...]]] = {
        # Both sliders' full ranges at half a decade, with the defaults (Sardana et al.'s
        # example), jointly: what the demand saves depends on the tokens served relative to
        # the tokens trained, so on both.
        "log10_flops": tuple(sorted({*np.arange(19.0, 25.01, 0.5).round(2).tolist(),
                                     defaults["log10_flops"]})),
        "log10_inference_tokens": tuple(sorted({*np.arange(9.0, 15.01, 0.5).round(2).tolist(),
                                                defaults["log10_inference_tokens"]})),
    }
    """The book's frames: the joint grid of training budget and demand."""

    def setup(self) -> None:
        self.law = ChinchillaLaw.from_registry("sardana2024/constants")

    def _compute(self, **p: Any) -> DemandSaving:
        """Baseline and inference-aware optimum (pure)."""
        return saving_over_compute_optimal(self.law, 10.0 ** p["log10_flops"],
                                           10.0 ** p["log10_inference_tokens"])

    def make_figure(self) -> Figure:
        fig, (ax, ax_cost) = plotting.new_figure(2, width=9.5, height=3.7)
        for axis in (ax, ax_cost):
            axis.set_xscale("log")
            axis.set_xlim(N_GRID[0], N_GRID[-1])
        ax.set_yscale("log")
        ax.set_ylim(1e9, 1e15)
        ax.set_xlabel("N, parameters")
        ax.set_ylabel("D, training tokens")
        ax.set_title("Models that reach the same loss")
        ax_cost.set_yscale("log")
        ax_cost.set_ylim(1e19, 1e27)
        ax_cost.set_xlabel("N, parameters")
        ax_cost.set_ylabel("lifetime FLOPs (training + inference)")
        ax_cost.set_title("Their cost once the demand is served")
        colour = plotting.PAPER_COLOURS["hoffmann2022training"]
        (iso,) = ax.plot([], [], color="0.3", label="iso-loss curve")
        (base,) = ax.plot([], [], "o", color=colour, mec="black", label="compute-optimal")
        (best,) = ax.plot([], [], "*", ms=13, color="black", label="cheapest with demand")
        ax.legend(fontsize=8, loc="upper right")
        (cost,) = ax_cost.plot([], [], color="0.3")
        (base_cost,) = ax_cost.plot([], [], "o", color=colour, mec="black")
        (best_cost,) = ax_cost.plot([], [], "*", ms=13, color="black")
        text = ax_cost.text(0.03, 0.97, "", transform=ax_cost.transAxes, va="top", fontsize=8)
        self._artists = [self.animate(a) for a in (iso, base, best, cost, base_cost, best_cost,
                                                   text)]
        return fig

    def redraw(self, r: DemandSaving) -> None:
        iso, base, best, cost, base_cost, best_cost, text = self._artists
        loss = r.baseline.loss
        sizes = N_GRID[np.asarray(self.law.loss_infinite_data(N_GRID)) < loss]
        tokens = self.law.tokens_for_loss(loss, sizes)
        iso.set_data(sizes, tokens)
        base.set_data([r.baseline.n_params], [r.baseline.n_tokens])
        best.set_data([r.cheaper.n_params], [r.cheaper.n_tokens])
        cost.set_data(sizes, lifetime_flops(sizes, tokens, r.cheaper.inference_tokens))
        base_cost.set_data([r.baseline.n_params], [r.baseline_total])
        best_cost.set_data([r.cheaper.n_params], [r.cheaper.total_flops])
        text.set_text(f"C = {report.format_sci(r.baseline.flops)} FLOPs, serving "
                      f"{report.format_count(r.cheaper.inference_tokens)} tokens\n"
                      f"loss {loss:.3f}: {report.format_count(r.baseline.n_params)} → "
                      f"{report.format_count(r.cheaper.n_params)} parameters\n"
                      f"saves {r.saving_fraction:.1%} of lifetime FLOPs")

    def controls(self) -> dict[str, Any]:
        import ipywidgets as w

        style = {"description_width": "10em"}
        return {
            "log10_flops": w.FloatSlider(self.params["log10_flops"], min=19.0, max=25.0,
                                         step=0.05, description="log₁₀ training C", style=style),
            "log10_inference_tokens": w.FloatSlider(
                self.params["log10_inference_tokens"], min=9.0, max=15.0, step=0.05,
                description="log₁₀ tokens served", style=style),
        }


@dataclass(frozen=True)
class CapResult:
    """Optima with and without a cap on unique tokens."""

    free: ComputeOptimum
    capped: ComputeOptimum
    unique_tokens: float


class DataCapExplorer(Explorer):
    """Budget and unique tokens in; epochs, effective data and the loss out
    (Muennighoff et al.'s law)."""

    defaults: ClassVar[dict[str, Any]] = {"log10_flops": 22.0, "log10_unique_tokens": 10.6}
    book_grid: ClassVar[dict[str, tuple[float, ...]]] = {
        # The budget over its slider's range in whole decades, the unique tokens in half
        # decades (with the default), jointly: the epochs, and so what a repeated token is
        # worth (almost as much as a new one up to about four epochs, as the text says), follow
        # from both; half decades of unique data move the epochs by about three times.
        "log10_flops": tuple(np.arange(19.0, 25.01, 1.0).tolist()),
        "log10_unique_tokens": tuple(sorted({*np.arange(8.0, 13.01, 0.5).round(2).tolist(),
                                             defaults["log10_unique_tokens"]})),
    }
    """The book's frames: the joint grid of budget and unique tokens."""

    def setup(self) -> None:
        self.law = DataConstrainedLaw.from_registry("muennighoff2023/base")

    def _compute(self, **p: Any) -> CapResult:
        """Optima with and without the cap (pure)."""
        flops, unique = 10.0 ** p["log10_flops"], 10.0 ** p["log10_unique_tokens"]
        return CapResult(self.law.base.compute_optimal(flops),
                         self.law.compute_optimal(flops, unique), unique)

    def make_figure(self) -> Figure:
        fig, (ax, ax_loss) = plotting.new_figure(2, width=9.5, height=3.7)
        epochs = np.geomspace(1, 200, 100)
        ax.plot(epochs, effective_data(epochs, 1.0) / epochs, color="0.3")
        ax.axvline(4, ls=":", color="0.5")
        ax.set_xscale("log")
        ax.set_xlabel("epochs over the unique data")
        ax.set_ylabel("value of a token, D' / D")
        ax.set_title("Repeated tokens are worth less")
        (marker,) = ax.plot([], [], "*", ms=13, color="black")
        ax_loss.set_xscale("log")
        ax_loss.set_xlim(N_GRID[0], N_GRID[-1])
        ax_loss.set_xlabel("N, parameters (D = C / 6N)")
        ax_loss.set_ylabel("loss, nats per token")
        ax_loss.set_title("Loss along the budget")
        (free,) = ax_loss.plot([], [], "--", color="0.5", label="unlimited data")
        (capped,) = ax_loss.plot([], [], color=plotting.PAPER_COLOURS["hoffmann2022training"],
                                 label="capped unique data")
        (best,) = ax_loss.plot([], [], "*", ms=13, color="black")
        text = ax_loss.text(0.03, 0.97, "", transform=ax_loss.transAxes, va="top", fontsize=8)
        ax_loss.legend(fontsize=8, loc="lower right")
        self._artists = [self.animate(a) for a in (marker, free, capped, best, text)]
        return fig

    def redraw(self, r: CapResult) -> None:
        marker, free, capped, best, text = self._artists
        epochs = r.capped.n_tokens / r.unique_tokens
        marker.set_data([max(epochs, 1.0)], [effective_data(epochs, 1.0) / max(epochs, 1.0)])
        tokens = r.free.flops / (FLOPS_PER_PARAM_TOKEN * N_GRID)
        free_loss = self.law.base.loss(N_GRID, tokens)
        capped_loss = self.law.loss(N_GRID, tokens, r.unique_tokens)
        free.set_data(N_GRID, free_loss)
        capped.set_data(N_GRID, capped_loss)
        best.set_data([r.capped.n_params], [r.capped.loss])
        low = min(free_loss.min(), capped_loss.min())
        self.fit_limits(free.axes, float(low), float(low) + 0.8)
        text.set_text(f"C = {report.format_sci(r.free.flops)} FLOPs, "
                      f"U = {report.format_count(r.unique_tokens)} unique tokens\n"
                      f"{epochs:.1f} epochs; loss {r.capped.loss:.3f} "
                      f"(unlimited: {r.free.loss:.3f})")

    def controls(self) -> dict[str, Any]:
        import ipywidgets as w

        style = {"description_width": "10em"}
        return {
            "log10_flops": w.FloatSlider(self.params["log10_flops"], min=19.0, max=25.0,
                                         step=0.05, description="log₁₀ C", style=style),
            "log10_unique_tokens": w.FloatSlider(
                self.params["log10_unique_tokens"], min=8.0, max=13.0, step=0.05,
                description="log₁₀ unique tokens", style=style),
        }


@dataclass(frozen=True)
class PrecisionResult:
    """Effective parameters at a training precision and losses after quantisation."""

    bits: float
    effective_fraction: float
    post_bits: float
    ratios: np.ndarray
    loss_trained: np.ndarray
    loss_quantised: np.ndarray


class PrecisionExplorer(Explorer):
    """Training bits and post-training bits in; effective parameters and quantised loss out
    (Kumar et al.'s forms and constants, for a 220M-parameter model)."""

    defaults: ClassVar[dict[str, Any]] = {"bits": 8.0, "post_bits": 4.0}
    book_grid: ClassVar[dict[str, tuple[float, ...]]] = {
        # Whole bits over both sliders' ranges (the text compares 4- and 8-bit training and
        # quotes a compute-optimal precision in whole bits), denser where each effect changes:
        # the effective parameters saturate past about ten training bits, the quantisation
        # penalty is negligible past six. Jointly, with every frame's loss axis redrawn, so
        # kept small.
        "bits": (1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 10.0, 12.0, 16.0),
        "post_bits": (2.0, 3.0, 4.0, 5.0, 6.0, 8.0),
    }
    """The book's frames: the joint grid of training and post-training bits."""
    n_params: ClassVar[float] = 220e6

    def setup(self) -> None:
        self.law = ChinchillaLaw.from_registry("kumar2024/base")
        self.ptq = PtqDegradationLaw.from_registry("kumar2024/ptq")

    def _compute(self, **p: Any) -> PrecisionResult:
        """Losses along D/N for this precision (pure)."""
        ratios = np.geomspace(2, 2000, 60)
        tokens = ratios * self.n_params
        effective = float(effective_params_at_precision(self.n_params, p["bits"]))
        trained = self.law.loss(effective, tokens)
        quantised = trained + self.ptq(self.n_params, tokens, p["post_bits"])
        return PrecisionResult(p["bits"], effective / self.n_params, p["post_bits"], ratios,
                               trained, quantised)

    def make_figure(self) -> Figure:
        fig, (ax, ax_loss) = plotting.new_figure(2, width=9.5, height=3.7)
        bits = np.linspace(1, 16, 100)
        ax.plot(bits, effective_params_at_precision(1.0, bits), color="0.3")
        ax.set_xlabel("training precision, bits")
        ax.set_ylabel("N_eff / N")
        ax.set_title("Fewer bits, fewer effective parameters")
        (marker,) = ax.plot([], [], "*", ms=13, color="black")
        ax_loss.set_xscale("log")
        ax_loss.set_xlim(2, 2000)
        ax_loss.set_xlabel("tokens per parameter, D / N")
        ax_loss.set_ylabel("loss, nats per token")
        ax_loss.set_title("Quantising after training")
        (trained,) = ax_loss.plot([], [], "--", color="0.5", label="as trained")
        (quantised,) = ax_loss.plot([], [], color=plotting.PAPER_COLOURS["hoffmann2022training"],
                                    label="after quantisation")
        ax_loss.legend(fontsize=8, loc="lower right")
        text = ax_loss.text(0.03, 0.97, "", transform=ax_loss.transAxes, va="top", fontsize=8)
        self._artists = [self.animate(a) for a in (marker, trained, quantised, text)]
        return fig

    def redraw(self, r: PrecisionResult) -> None:
        marker, trained, quantised, text = self._artists
        marker.set_data([r.bits], [r.effective_fraction])
        text.set_text(f"N = {report.format_count(self.n_params)}, trained in {r.bits:g} bits, "
                      f"quantised to {r.post_bits:g} bits")
        trained.set_data(r.ratios, r.loss_trained)
        quantised.set_data(r.ratios, r.loss_quantised)
        low, high = r.loss_trained.min(), max(r.loss_quantised.max(), r.loss_trained.max())
        self.fit_limits(trained.axes, float(low), float(high))

    def controls(self) -> dict[str, Any]:
        import ipywidgets as w

        style = {"description_width": "9em"}
        return {
            "bits": w.FloatSlider(self.params["bits"], min=1.0, max=16.0, step=0.5,
                                  description="training bits", style=style),
            "post_bits": w.FloatSlider(self.params["post_bits"], min=2.0, max=8.0, step=0.5,
                                       description="quantised to bits", style=style),
        }
