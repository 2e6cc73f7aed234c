"""Chapter 11's explorer: a compute budget and a hyperparameter law in; the recommended peak
learning rate and batch size of every published law out, set side by side; and a schedule's
predicted loss curve on the course's own model, with the cost of a cosine cycle longer than the
run."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

import numpy as np
from matplotlib.figure import Figure

from chinchilla_lib import plotting
from chinchilla_lib._validation import as_finite_array, check_positive_int, single
from chinchilla_lib.course import report
from chinchilla_lib.experiment.tuning import check_schedule_law, reference_schedule_curves
from chinchilla_lib.laws.annealing import AnnealingLaw
from chinchilla_lib.laws.hyperparameters import (
    DEFAULT_CONTEXT,
    HYPERPARAMETER_LAWS,
    HyperparameterTable,
    hyperparameter_table,
)
from chinchilla_lib.laws.schedules import Schedule
from chinchilla_lib.widgets.base import Explorer

__all__ = ["CONTEXTS", "CYCLE_RANGE", "DECAY_RANGE", "EXERCISE_CYCLES", "FLOP_RANGE",
           "LAW_LABELS", "HyperparameterChoice", "HyperparameterExplorer"]

LAW_LABELS = {"deepseek": "DeepSeek LLM (Bi et al. 2024)",
              "steplaw": "Step Law (Li et al. 2025)",
              "porian": "Porian et al. (2024)",
              "kaplan": "Kaplan et al. (2020), batch only"}
"""The laws of :func:`~chinchilla_lib.laws.hyperparameters.hyperparameter_table`, by short
name, with the label the figure shows."""

FLOP_RANGE = (1e18, 1e26)
"""Range of the compute axis, FLOPs (the budget slider's range)."""

CYCLE_RANGE = (1.0, 5.0)
"""Range of the cosine cycle, as a multiple of the run (Hoffmann et al.'s Figure A1 spans one to
five)."""

DECAY_RANGE = (0.05, 0.5)
"""Range of the WSD schedule's cool-down, as a share of the run."""

_DECADES = tuple(np.arange(np.log10(FLOP_RANGE[0]), np.log10(FLOP_RANGE[1]) + 0.5).tolist())
CONTEXTS = (1024, 2048, 4096, 8192)
"""The sequence lengths the explorer's context menu offers, tokens."""
EXERCISE_CYCLES = (1.25, 1.5, 2.0, 3.0)
"""Chapter 11's Exercise ch11-ex-cycle: cosine cycle lengths, in multiples of the run (the
book's frames include them)."""
"""The budget slider's whole range in whole decades (log10 C), for the book's frames."""


@lru_cache(maxsize=64)
def _rates(kind: str, value: float, steps: int, peak: float) -> np.ndarray:
    """A schedule's learning rates (cached: listing them step by step is the slow part)."""
    schedule = (Schedule("cosine", cycle=value) if kind == "cosine"
                else Schedule("wsd", decay_fraction=value))
    rates = schedule.rates(steps, peak)
    rates.setflags(write=False)
    return rates


_COLOURS = {"deepseek": "#bcbd22", "steplaw": "#393b79",
            "porian": plotting.PAPER_COLOURS["porian2024resolving"],
            "kaplan": plotting.PAPER_COLOURS["kaplan2020scaling"]}
_STYLES = {"deepseek": "-", "steplaw": "--", "porian": "-.", "kaplan": ":"}


@dataclass(frozen=True)
class HyperparameterChoice:
    """What the published laws recommend at one budget.

    Attributes
    ----------
    flops
        The budget C, FLOPs.
    law
        The law singled out (a key of :data:`LAW_LABELS`).
    table
        Every law's recommendation at C
        (:class:`~chinchilla_lib.laws.hyperparameters.HyperparameterTable`).
    lr_spread, batch_spread
        Largest over smallest recommendation among the laws that give one: how far the laws
        disagree at C (1 when they agree).
    cycle, decay_fraction
        The cosine cycle (a multiple of the run) and the WSD cool-down (a share of the run)
        shown.
    long_cycle_curve, wsd_curve
        The loss after each step of the course's schedule study's run under that cosine and
        that WSD schedule, as Tissue et al.'s law fitted to the study predicts it (nats per
        token).
    cycle_cost, wsd_cost
        Their final losses minus the law's final loss for a cosine matched to the run, nats
        per token.
    """

    flops: float
    law: str
    table: HyperparameterTable
    lr_spread: float
    batch_spread: float
    cycle: float
    decay_fraction: float
    long_cycle_curve: np.ndarray
    wsd_curve: np.ndarray
    cycle_cost: float
    wsd_cost: float

    @property
    def chosen(self) -> Any:
        """The singled-out law's row of :attr:`table`."""
        return self.table.row(self.law)


class HyperparameterExplorer(Explorer):
    """Slide a compute budget and pick a law; see every law's peak learning rate and batch
    size against compute, and the chosen law's recommendation at the budget.

    The schedule panel is the course's own model, not the budget's: the run of the committed
    schedule study (:func:`~chinchilla_lib.experiment.tuning.reference_schedule_curves`), its
    loss predicted by Tissue et al.'s law fitted to all of the study's curves.

    Parameters
    ----------
    log10_flops
        log10 of the budget C in FLOPs, in the range of :data:`FLOP_RANGE`.
    law
        One of :data:`LAW_LABELS`' keys.
    context
        Tokens per sequence, for the batch in sequences (a whole number >= 1).
    cycle
        The cosine cycle as a multiple of the run, in :data:`CYCLE_RANGE`.
    decay_fraction
        The WSD schedule's cool-down as a share of the run, in :data:`DECAY_RANGE`.
    """

    defaults: ClassVar[dict[str, Any]] = {"log10_flops": 21.0, "law": "deepseek",
                                          "context": DEFAULT_CONTEXT, "cycle": 2.0,
                                          "decay_fraction": 0.2}
    book_grid: ClassVar[tuple[dict[str, tuple[Any, ...]], ...]] = (
        # Slices, one for each thing the chapter varies. "Choose a budget and a law": the
        # slider's whole range in decades (through the budgets the chapter compares the laws
        # at), by each law.
        {"log10_flops": _DECADES, "law": tuple(LAW_LABELS)},
        # The same budgets by every context the menu offers: the batch in sequences, for
        # every law in the summary's table, as Exercise ch11-ex-plan asks for its plan (a
        # budget on a decade, sequences of 4,096 tokens).
        {"log10_flops": _DECADES, "context": CONTEXTS},
        # The schedule panel, which does not depend on the budget, the law or the context:
        # the cosine cycles of Exercise ch11-ex-cycle among the slider's whole range, and the
        # WSD cool-down over its slider's range, each alone
        # (each draws its own curve and its own cost, so their joint grid would show nothing
        # the two do not, at a page's worth of frames).
        {"cycle": tuple(sorted({1.0, *EXERCISE_CYCLES, 4.0, 5.0}))},
        {"decay_fraction": (0.05, 0.1, 0.2, 0.3, 0.5)},
    )
    """The book's frames: budget by law, budget by context, the cosine cycle, the cool-down."""

    def setup(self) -> None:
        self._grid = np.geomspace(*FLOP_RANGE, 49)
        tables = [hyperparameter_table(c) for c in self._grid]
        self._curves = {
            law: (np.array([t.row(law).learning_rate or np.nan for t in tables]),
                  np.array([t.row(law).batch_tokens for t in tables]))
            for law in HYPERPARAMETER_LAWS}
        curves = reference_schedule_curves()
        self._law: AnnealingLaw = check_schedule_law(
            curves, fitted=tuple(c.name for c in curves)).fit.law
        self._steps = int(curves[0].rates.size)
        self._peak = float(curves[0].rates.max())
        self._matched = self._law.curve(_rates("cosine", 1.0, self._steps, self._peak))
        self._constant = self._law.curve(Schedule("constant").rates(self._steps, self._peak))

    @staticmethod
    def _in(name: str, value: Any, bounds: tuple[float, float]) -> float:
        number = single(name, as_finite_array(name, value))
        if not bounds[0] <= number <= bounds[1]:
            raise ValueError(f"{name} must lie in [{bounds[0]:g}, {bounds[1]:g}]; got {value!r}")
        return number

    def _compute(self, **p: Any) -> HyperparameterChoice:
        """Every law's recommendation at the budget (pure)."""
        log_c = self._in("log10_flops", p["log10_flops"], tuple(np.log10(FLOP_RANGE)))
        cycle = self._in("cycle", p["cycle"], CYCLE_RANGE)
        decay = self._in("decay_fraction", p["decay_fraction"], DECAY_RANGE)
        if p["law"] not in LAW_LABELS:
            raise ValueError(f"law must be one of {list(LAW_LABELS)}; got {p['law']!r}")
        context = check_positive_int("context", p["context"])
        table = hyperparameter_table(10.0**log_c, context=context)
        rates = [r.learning_rate for r in table.rows if r.learning_rate is not None]
        batches = [r.batch_tokens for r in table.rows]
        long_cycle = self._law.curve(_rates("cosine", cycle, self._steps, self._peak))
        wsd = self._law.curve(_rates("wsd", decay, self._steps, self._peak))
        return HyperparameterChoice(flops=table.flops, law=p["law"], table=table,
                                    lr_spread=max(rates) / min(rates),
                                    batch_spread=max(batches) / min(batches), cycle=cycle,
                                    decay_fraction=decay, long_cycle_curve=long_cycle,
                                    wsd_curve=wsd,
                                    cycle_cost=float(long_cycle[-1] - self._matched[-1]),
                                    wsd_cost=float(wsd[-1] - self._matched[-1]))

    def make_figure(self) -> Figure:
        fig, (ax_lr, ax_b, ax_s) = plotting.new_figure(3, width=13.5, height=4.3)
        self._axes = {"lr": ax_lr, "batch": ax_b}
        self._markers: dict[tuple[str, str], Any] = {}
        self._highlight: dict[str, Any] = {}
        self._budget: dict[str, Any] = {}
        for key, ax, column in (("lr", ax_lr, 0), ("batch", ax_b, 1)):
            for law in HYPERPARAMETER_LAWS:
                values = self._curves[law][column]
                if np.all(np.isnan(values)):
                    continue
                ax.plot(self._grid, values, color=_COLOURS[law], ls=_STYLES[law], lw=1.4,
                        label=LAW_LABELS[law])
                (marker,) = ax.plot([], [], "o", ms=7, color=_COLOURS[law], mec="black",
                                    zorder=4)
                self._markers[(key, law)] = self.animate(marker)
            (highlight,) = ax.plot([], [], color="black", lw=4.0, alpha=0.2, zorder=1)
            self._highlight[key] = self.animate(highlight)
            self._budget[key] = self.animate(ax.axvline(1e21, color="0.3", lw=0.9))
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_xlim(*FLOP_RANGE)
            ax.set_xlabel("C, training FLOPs")
        ax_lr.set_ylabel("peak learning rate")
        ax_lr.set_title("Peak learning rate (Kaplan et al. give none)", fontsize=9)
        ax_b.set_ylabel("batch size, tokens")
        ax_b.set_title("Batch size", fontsize=9)
        ax_b.legend(fontsize=7, loc="upper left")
        steps = np.arange(1, self._steps + 1)
        ax_s.plot(steps, self._matched, color="black", lw=1.4, label="cosine, matched to the run")
        ax_s.plot(steps, self._constant, color="0.6", lw=1.0, ls=":", label="constant")
        (long_cycle,) = ax_s.plot([], [], color=plotting.PAPER_COLOURS["hoffmann2022training"],
                                  lw=1.4, ls="--", label="cosine, longer cycle")
        (wsd,) = ax_s.plot([], [], color=plotting.PAPER_COLOURS["kaplan2020scaling"], lw=1.4,
                           label="WSD")
        self._long_cycle, self._wsd = self.animate(long_cycle), self.animate(wsd)
        low, high = float(self._matched[-1]), float(self._constant[self._steps // 10])
        ax_s.set_ylim(low - 0.05 * (high - low), high)
        ax_s.set_xlim(0, self._steps)
        ax_s.set_xlabel("step (the course's own model)")
        ax_s.set_ylabel("loss, nats per token (law)")
        ax_s.legend(fontsize=7, loc="upper right")
        self._schedule_title = self.animate(ax_s.set_title(" ", fontsize=9))
        self._title = self.animate(fig.suptitle(" ", fontsize=10))
        return fig

    def redraw(self, r: HyperparameterChoice) -> None:
        for key, column in (("lr", 0), ("batch", 1)):
            self._budget[key].set_xdata([r.flops, r.flops])
            for law in HYPERPARAMETER_LAWS:
                if (key, law) not in self._markers:
                    continue
                row = r.table.row(law)
                value = row.learning_rate if key == "lr" else row.batch_tokens
                self._markers[(key, law)].set_data([r.flops], [value])
            values = self._curves[r.law][column]
            self._highlight[key].set_data(self._grid if np.isfinite(values).any() else [],
                                          values if np.isfinite(values).any() else [])
        steps = np.arange(1, self._steps + 1)
        self._long_cycle.set_data(steps, r.long_cycle_curve)
        self._wsd.set_data(steps, r.wsd_curve)
        self._schedule_title.set_text(
            f"Cycle {r.cycle:g}x the run: {r.cycle_cost:+.3f} nats; WSD, last "
            f"{r.decay_fraction:.0%}: {r.wsd_cost:+.3f}")
        row = r.chosen
        lr = "no learning rate" if row.learning_rate is None else f"peak LR {row.learning_rate:.2g}"
        self._title.set_text(
            f"C = {report.format_sci(r.flops, 2)} FLOPs, {LAW_LABELS[r.law]}: {lr}, batch "
            f"{report.format_count(row.batch_tokens, 2)} tokens = {row.batch_sequences:,.0f} "
            f"sequences of {r.table.context}")

    def controls(self) -> dict[str, Any]:
        import ipywidgets as w

        style = {"description_width": "9em"}
        low, high = np.log10(FLOP_RANGE)
        return {
            "log10_flops": w.FloatSlider(self.params["log10_flops"], min=low, max=high,
                                         step=0.1, description="log₁₀ C (FLOPs)", style=style),
            "law": w.Dropdown(options=[(label, law) for law, label in LAW_LABELS.items()],
                              value=self.params["law"], description="law", style=style),
            "context": w.Dropdown(options=list(CONTEXTS), value=self.params["context"],
                                  description="context (tokens)", style=style),
            "cycle": w.FloatSlider(self.params["cycle"], min=CYCLE_RANGE[0], max=CYCLE_RANGE[1],
                                   step=0.05, description="cosine cycle (× run)", style=style),
            "decay_fraction": w.FloatSlider(self.params["decay_fraction"], min=DECAY_RANGE[0],
                                            max=DECAY_RANGE[1], step=0.05,
                                            description="WSD cool-down (share)", style=style),
        }

    def summary_html(self, r: HyperparameterChoice) -> str:
        head = "<tr><th>law</th><th>peak LR</th><th>batch, tokens</th><th>sequences</th></tr>"
        rows = "".join(
            f"<tr><td>{LAW_LABELS[row.law]}</td>"
            f"<td>{'-' if row.learning_rate is None else f'{row.learning_rate:.2g}'}</td>"
            f"<td>{report.format_count(row.batch_tokens, 2)}</td>"
            f"<td>{row.batch_sequences:,.0f}</td></tr>" for row in r.table.rows)
        return (f"<p>C = {report.format_sci(r.flops, 2)} FLOPs; the laws' learning rates span a "
                f"factor {r.lr_spread:.1f}, their batch sizes {r.batch_spread:.1f}. On the "
                f"course's model, by the loss-curve law: a cosine cycle {r.cycle:g} times the "
                f"run ends {r.cycle_cost:+.3f} nats from a matched one, WSD with a "
                f"{r.decay_fraction:.0%} cool-down {r.wsd_cost:+.3f}</p>"
                f"<table>{head}{rows}</table>")
