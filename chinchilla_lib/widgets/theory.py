"""Chapter 12's explorer: the quantization model's loss in parameters and in data for a chosen
exponent alpha, and the data-manifold model's loss for a chosen intrinsic dimension d, each
beside the exponent theory predicts. The loss in parameters is the exact Zipf tail
(:func:`~chinchilla_lib.simulate.quanta.simulate_quanta_capacity`, no sampling); the loss in
data and the manifold model's loss are sampled simulations."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, ClassVar, NamedTuple

import numpy as np
from matplotlib.figure import Figure

from chinchilla_lib import plotting
from chinchilla_lib.simulate.manifold import (
    MAX_MANIFOLD_DIM,
    ScalingCurve,
    manifold_scaling,
)
from chinchilla_lib.simulate.quanta import (
    QuantaScaling,
    simulate_quanta_capacity,
    simulate_quanta_data,
)
from chinchilla_lib.widgets.base import Explorer

__all__ = ["THEORY_ALPHAS", "TheoryExplorer", "TheoryResult"]

THEORY_ALPHAS: tuple[float, ...] = tuple(round(0.25 * i, 2) for i in range(2, 13))
"""The quanta exponents the explorer offers (0.5 to 3.0): each simulation is run once, when
the explorer is built, so a slider move only looks it up."""

_QUANTA = 100_000
"""Quanta in the data simulation (fewer than the library's default, for speed; the fitted
exponent moves by under 0.1 from the default's over the offered range)."""


@lru_cache(maxsize=32)
def _quanta(alpha: float) -> tuple[QuantaScaling, QuantaScaling]:
    return (simulate_quanta_capacity(alpha),
            simulate_quanta_data(alpha, n_quanta=_QUANTA, repeats=2, seed=0))


@lru_cache(maxsize=MAX_MANIFOLD_DIM)
def _manifold(dim: int) -> ScalingCurve:
    return manifold_scaling(dim)


class TheoryResult(NamedTuple):
    """The two quanta simulations (in N and in D) and the manifold simulation."""

    alpha: float
    capacity: QuantaScaling
    data: QuantaScaling
    dim: int
    manifold: ScalingCurve


class TheoryExplorer(Explorer):
    """Quanta exponent and manifold dimension in; simulated losses and their exponents out.

    Parameters
    ----------
    alpha
        Exponent of the quantization model: quantum k is used with frequency proportional to
        k^-(alpha + 1). One of :data:`THEORY_ALPHAS`.
    dim
        Intrinsic dimension d of the data manifold (1 to 4); a piecewise-linear model with N
        parameters is predicted to reach loss ~ N^(-4/d).
    """

    defaults: ClassVar[dict[str, Any]] = {"alpha": 1.0, "dim": 3}
    book_grid: ClassVar[dict[str, tuple[Any, ...]]] = {
        # Both sliders in full, jointly: the chapter's explorer asks the reader to choose the
        # exponent and the dimension, each simulation is run once when the explorer is built,
        # and every exponent by every dimension is a small grid.
        "alpha": THEORY_ALPHAS,
        "dim": tuple(range(1, MAX_MANIFOLD_DIM + 1)),
    }
    """The book's frames: every quanta exponent by every manifold dimension."""

    def setup(self) -> None:
        for alpha in THEORY_ALPHAS:
            _quanta(alpha)
        for dim in range(1, MAX_MANIFOLD_DIM + 1):
            _manifold(dim)

    def _compute(self, **p: Any) -> TheoryResult:
        """The simulations for these settings (pure; looked up once computed)."""
        alpha = float(p["alpha"])
        if not any(np.isclose(alpha, a) for a in THEORY_ALPHAS):
            raise ValueError(f"alpha must be one of {list(THEORY_ALPHAS)}; got {p['alpha']!r}")
        alpha = min(THEORY_ALPHAS, key=lambda a: abs(a - alpha))
        dim = p["dim"]
        if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or not (
                1 <= int(dim) <= MAX_MANIFOLD_DIM):
            raise ValueError(f"dim must be a whole number from 1 to {MAX_MANIFOLD_DIM}; "
                             f"got {dim!r}")
        capacity, data = _quanta(alpha)
        return TheoryResult(alpha, capacity, data, int(dim), _manifold(int(dim)))

    def make_figure(self) -> Figure:
        fig, (ax_q, ax_m) = plotting.new_figure(2, width=9.5, height=3.8)
        for ax in (ax_q, ax_m):
            ax.set_xscale("log")
            ax.set_yscale("log")
        ax_q.set_xlim(50.0, 2e6)
        ax_q.set_ylim(1e-13, 1e3)
        ax_q.set_xlabel("quanta the model can hold (N) or samples seen (D)")
        ax_q.set_ylabel("excess loss / its value at the smallest size")
        ax_q.set_title("Quantization model")
        ax_m.set_xlim(10.0, 2e4)
        ax_m.set_ylim(1e-11, 0.1)
        ax_m.set_xlabel("parameters N (knots)")
        ax_m.set_ylabel("test mean squared error")
        ax_m.set_title("Data-manifold model")
        colours = plotting.sequential_colours(2)
        (cap,) = ax_q.plot([], [], "o", ms=3.5, color=colours[0], label="in N, exact tail")
        (cap_pred,) = ax_q.plot([], [], "--", lw=1.2, color=colours[0], label="slope -α")
        (dat,) = ax_q.plot([], [], "s", ms=3.5, color=colours[1], label="in D, simulated")
        (dat_pred,) = ax_q.plot([], [], ":", lw=1.5, color=colours[1],
                                label="slope -α/(α+1)")
        ax_q.legend(loc="lower left", fontsize=7)
        (man,) = ax_m.plot([], [], "o", ms=3.5, color="0.25", label="simulated")
        (man_pred,) = ax_m.plot([], [], "--", lw=1.2, color="0.25", label="slope -4/d")
        ax_m.legend(loc="lower left", fontsize=7)
        text_q = ax_q.text(0.98, 0.97, "", transform=ax_q.transAxes, ha="right", va="top",
                           fontsize=7)
        text_m = ax_m.text(0.98, 0.97, "", transform=ax_m.transAxes, ha="right", va="top",
                           fontsize=7)
        self._artists = tuple(self.animate(a) for a in (cap, cap_pred, dat, dat_pred, man,
                                                         man_pred, text_q, text_m))
        return fig

    @staticmethod
    def _slope_line(x: np.ndarray, y: np.ndarray, exponent: float) -> tuple[Any, Any]:
        x0, y0 = np.exp(np.mean(np.log(x))), np.exp(np.mean(np.log(y)))
        return x, y0 * (x / x0) ** (-exponent)

    def redraw(self, result: TheoryResult) -> None:
        cap, cap_pred, dat, dat_pred, man, man_pred, text_q, text_m = self._artists
        for data, pred, run in ((cap, cap_pred, result.capacity), (dat, dat_pred, result.data)):
            relative = run.excess_loss / run.excess_loss[0]
            data.set_data(run.sizes, relative)
            pred.set_data(*self._slope_line(run.sizes, relative, run.predicted_exponent))
        m = result.manifold
        man.set_data(m.sizes, m.loss)
        man_pred.set_data(*self._slope_line(m.sizes, m.loss, m.predicted))
        text_q.set_text(f"α = {result.alpha:g}\nin N: fitted {result.capacity.fitted_exponent:.2f},"
                        f" predicted {result.capacity.predicted_exponent:.2f}\n"
                        f"in D: fitted {result.data.fitted_exponent:.2f}, predicted "
                        f"{result.data.predicted_exponent:.2f}")
        text_m.set_text(f"d = {result.dim}\nfitted {m.exponent:.2f}, "
                        f"predicted 4/d = {m.predicted:.2f}")

    def summary_html(self, result: TheoryResult) -> str:
        m = result.manifold
        return (f"Quanta, α = {result.alpha:g}: exponent in N <b>"
                f"{result.capacity.fitted_exponent:.2f}</b> (predicted "
                f"{result.capacity.predicted_exponent:.2f}), in D <b>"
                f"{result.data.fitted_exponent:.2f}</b> (predicted "
                f"{result.data.predicted_exponent:.2f}). Manifold, d = {result.dim}: "
                f"<b>{m.exponent:.2f}</b> (predicted {m.predicted:.2f}).")

    def controls(self) -> dict[str, Any]:
        import ipywidgets as w

        p = self.params
        style = {"description_width": "9em"}
        return {
            "alpha": w.SelectionSlider(options=list(THEORY_ALPHAS), value=p["alpha"],
                                       description="quanta α", style=style),
            "dim": w.IntSlider(p["dim"], min=1, max=MAX_MANIFOLD_DIM,
                               description="manifold d", style=style),
        }
