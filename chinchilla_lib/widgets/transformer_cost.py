"""Chapter 0's explorer: a transformer's shape and token budget in, N, FLOPs and GPU-hours out."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from matplotlib.figure import Figure

from chinchilla_lib import plotting, quantities, registry
from chinchilla_lib.course import report
from chinchilla_lib.quantities import FLOPS_PER_PARAM_TOKEN
from chinchilla_lib.widgets.base import Explorer
from chinchilla_lib.widgets.frames import with_default

__all__ = ["TransformerCostExplorer"]

_COMPONENTS = ("embedding", "position", "unembedding", "attention", "mlp_active")
_LABELS = {"embedding": "token embedding", "position": "position table",
           "unembedding": "unembedding", "attention": "attention", "mlp_active": "MLP"}
_COLOURS = {"embedding": "#9ecae1", "position": "#c6dbef", "unembedding": "#6baed6",
            "attention": "#fd8d3c", "mlp_active": "#e6550d"}

# Where each model's name sits beside its point (points, points, alignment): the Table 1
# models crowd around 300B tokens.
_LABEL_OFFSETS = {"GPT-3": (-4, 4, "right"), "Jurassic-1": (-4, -10, "right"),
                  "Gopher": (4, 5, "left"), "MT-NLG 530B": (4, -9, "left"),
                  "LaMDA": (-4, -10, "right")}

_GPT3 = registry.ARCHITECTURES["GPT-3 175B"]
"""The default shape: GPT-3 175B (Brown et al. 2020, Table 2.1), and its tokens."""


class TransformerCostExplorer(Explorer):
    """Drag a decoder-only transformer's shape and token budget; see its size and cost.

    Every parameter is optional; the defaults are GPT-3 175B's shape and token count.

    Parameters
    ----------
    n_layer, d_model, vocab_size, n_ctx
        The shape (see :class:`~chinchilla_lib.quantities.TransformerShape`).
    n_tokens
        Training tokens.
    accelerator
        ``"A100"`` or ``"H100"`` (dense BF16 peak from the registry).
    utilisation
        Fraction of peak achieved, in (0, 1].
    """

    defaults: ClassVar[dict[str, Any]] = {
        **{k: _GPT3.shape[k] for k in ("n_layer", "d_model", "vocab_size", "n_ctx")},
        "n_tokens": registry.MODELS["GPT-3"].n_tokens, "accelerator": "A100", "utilisation": 0.4,
    }
    book_grid: ClassVar[tuple[dict[str, tuple[Any, ...]], ...]] = (
        # Slices, not one joint grid (which would hold millions of settings). The shape
        # jointly: the embedding share, which the text shows is large for small models and
        # the reason Kaplan et al.'s N differs from Hoffmann et al.'s, depends on both depth
        # and width (d_model on the slider's step).
        {"d_model": (256, 512, 2048, 4096, 8192, defaults["d_model"], 16384),
         "n_layer": (2, 6, 12, 24, 64, defaults["n_layer"], 128)},
        # The context's every value against three widths: the attention term that 6ND leaves
        # out is n_ctx / (12 d_model) of the 2N term (the summary), large for long contexts
        # in narrow models. The widths include Exercise ch0-ex-attention's 4,096.
        {"n_ctx": tuple(2 ** k for k in range(8, 18)),
         "d_model": (512, 2048, 4096, defaults["d_model"])},
        # Tokens over the slider's whole range in half decades, through GPT-3's count (in
        # place of the half decade beside it, which would draw nearly the same frame):
        # tokens per parameter and compute move along the (N, D) plane's lines.
        {"n_tokens": with_default(10.0 ** np.linspace(8.0, 14.0, 13), defaults["n_tokens"])},
        # GPU-hours need a stated utilisation, on a stated accelerator: both together, the
        # utilisation in tenths.
        {"utilisation": tuple(np.linspace(0.1, 1.0, 10).round(2).tolist()),
         "accelerator": tuple(sorted(quantities.ACCELERATORS))},
    )
    """The book's frames: four slices (shape; context by width; tokens; hardware)."""

    def _compute(self, **p: Any) -> quantities.TrainingBudget:
        """The :class:`~chinchilla_lib.quantities.TrainingBudget` for these parameters."""
        heads = max(1, p["d_model"] // 128) if p["d_model"] % 128 == 0 else 1
        shape = quantities.TransformerShape(
            n_layer=p["n_layer"], d_model=p["d_model"], vocab_size=p["vocab_size"],
            n_ctx=p["n_ctx"], n_heads=heads, learned_positions=True, tied_embeddings=True)
        return quantities.training_budget(
            shape, p["n_tokens"],
            peak_flops_per_second=quantities.accelerator_peak(p["accelerator"]),
            utilisation=p["utilisation"])

    def make_figure(self) -> Figure:
        fig, (ax_bar, ax_plane) = plotting.new_figure(2, width=9.0, height=3.6)
        self._bars = {}
        self._bar_labels = {}
        for i, name in enumerate(_COMPONENTS):
            self._bars[name] = self.animate(ax_bar.barh([i], [0.0], color=_COLOURS[name])[0])
            self._bar_labels[name] = self.animate(ax_bar.text(0.0, i, "", va="center",
                                                              fontsize=8))
        ax_bar.set_yticks(range(len(_COMPONENTS)), [_LABELS[c] for c in _COMPONENTS])
        ax_bar.invert_yaxis()
        # A linear axis: bar lengths are shares, so the eye reads the proportions right (a log
        # axis would make a 0.4% embedding table look half as long as the MLP).
        ax_bar.set_xlim(0.0, 100.0)
        ax_bar.set_xlabel("share of all parameters N (%), linear scale")
        ax_bar.set_title("Where the parameters are")
        self._share_text = self.animate(ax_bar.text(0.98, 0.97, "", transform=ax_bar.transAxes,
                                                    ha="right", va="top", fontsize=8))
        # The settings as a suptitle (placeholder text so the layout reserves its line).
        self._settings_text = self.animate(fig.suptitle("settings", fontsize=8.5))

        models = registry.HOFFMANN_TABLE1
        n = np.array([m.n_params for m in models])
        d = np.array([m.n_tokens for m in models])
        plotting.iso_compute_lines(ax_plane, [1e21, 1e23, 1e25], (1e8, 3e12))
        ax_plane.scatter(n, d, s=18, color=plotting.PAPER_COLOURS["hoffmann2022training"],
                         label="Hoffmann et al. (2022), Table 1", zorder=3)
        for m in models:
            dx, dy, ha = _LABEL_OFFSETS.get(m.name, (4, 3, "left"))
            ax_plane.annotate(m.name, (m.n_params, m.n_tokens), fontsize=7, ha=ha,
                              xytext=(dx, dy), textcoords="offset points")
        (point,) = ax_plane.plot([], [], "*", ms=13, color="black", label="your model", zorder=4)
        (iso,) = ax_plane.plot([], [], color="black", lw=1.0, zorder=2,
                               label="equal compute through it")
        self._point, self._iso = self.animate(point), self.animate(iso)
        ax_plane.set_xscale("log")
        ax_plane.set_yscale("log")
        ax_plane.set_xlim(1e8, 3e12)
        ax_plane.set_ylim(1e9, 1e14)
        ax_plane.set_xlabel("N, parameters")
        ax_plane.set_ylabel("D, training tokens")
        ax_plane.set_title("The (N, D) plane, with lines of equal 6ND")
        ax_plane.legend(loc="upper left")
        return fig

    def redraw(self, result: quantities.TrainingBudget) -> None:
        counts = result.counts
        for name, bar in self._bars.items():
            share = 100.0 * getattr(counts, name) / counts.total
            bar.set_width(share)
            self._bar_labels[name].set_x(share + 1.0)
            self._bar_labels[name].set_text(f"{share:.1f}%")
        self._share_text.set_text(f"embeddings: {counts.embedding_share:.1%} of N")
        shape = result.shape
        self._settings_text.set_text(
            f"n_layer {shape.n_layer}, d_model {shape.d_model:,}, vocabulary "
            f"{shape.vocab_size:,}, n_ctx {shape.n_ctx:,}, D = {result.n_tokens:.3g} tokens; "
            f"6ND = {result.flops_6nd:.3g} FLOPs; {self.params['accelerator']} at "
            f"{self.params['utilisation']:.0%} utilisation")
        self._point.set_data([counts.total], [result.n_tokens])
        n = np.geomspace(1e8, 3e12, 20)
        self._iso.set_data(n, result.flops_6nd / (FLOPS_PER_PARAM_TOKEN * n))

    def controls(self) -> dict[str, Any]:
        import ipywidgets as w

        p = self.params
        style = {"description_width": "8em"}
        return {
            "n_layer": w.IntSlider(p["n_layer"], min=1, max=128, description="layers",
                                   style=style),
            "d_model": w.IntSlider(p["d_model"], min=128, max=16384, step=128,
                                   description="d_model", style=style),
            "vocab_size": w.BoundedIntText(p["vocab_size"], min=256, max=1_000_000,
                                           description="vocabulary", style=style),
            "n_ctx": w.SelectionSlider(options=[2**k for k in range(8, 18)], value=p["n_ctx"],
                                       description="context", style=style),
            "n_tokens": w.FloatLogSlider(p["n_tokens"], base=10, min=8, max=14, step=0.05,
                                         description="tokens D", style=style),
            "accelerator": w.Dropdown(options=sorted(quantities.ACCELERATORS),
                                      value=p["accelerator"], description="accelerator",
                                      style=style),
            "utilisation": w.FloatSlider(p["utilisation"], min=0.05, max=1.0, step=0.05,
                                         description="utilisation", style=style),
        }

    def summary_html(self, result: quantities.TrainingBudget) -> str:
        c = result.counts
        f = result.flops_per_token
        rows = [
            ("N, all parameters", report.format_count(c.total)),
            ("N without embeddings (Kaplan)", report.format_count(c.non_embedding)),
            ("training FLOPs per token, 6N", report.format_sci(FLOPS_PER_PARAM_TOKEN * c.total)),
            ("… full count (3 × forward, with attention and unembedding)",
             report.format_sci(f.training)),
            ("training compute, 6ND", f"{report.format_sci(result.flops_6nd)} FLOPs"),
            ("training compute, full count", f"{report.format_sci(result.flops_detailed)} FLOPs"),
            ("tokens per parameter", f"{result.tokens_per_parameter:.1f}"),
            (f"{self.params['accelerator']}-hours at {self.params['utilisation']:.0%} "
             "(from the full count)", report.format_count(result.gpu_hours)),
        ]
        return report.html_key_values(rows)
