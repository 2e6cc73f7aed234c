"""Static figures the chapters show, in the house style. Each returns a matplotlib Figure;
notebooks display it with :func:`chinchilla_lib.plotting.style.as_image`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, NullFormatter

from chinchilla_lib.experiment.language import ToyLanguage
from chinchilla_lib.fitting.approaches12 import FrontierFit
from chinchilla_lib.fitting.runs import IsoFlopRuns, Runs, TrainingCurves
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.laws.power import PowerLaw, PowerLawFrontier, SaturatingPowerLaw
from chinchilla_lib.plotting.style import PAPER_COLOURS, new_figure, sequential_colours
from chinchilla_lib.quantities import FLOPS_PER_PARAM_TOKEN
from chinchilla_lib.registry import TrainedModel
from chinchilla_lib.simulate.noisy_quadratic import BatchSizeStudy
from chinchilla_lib.simulate.pruning import PruningSweep

__all__ = ["approach1_frontier", "approach2_vertex_bias", "batch_size_tradeoff",
           "compute_optimal_frontier", "curve_gallery", "fits_on_data", "isoflop_profiles",
           "learning_rate_sweep", "loss_curve", "partial_residuals", "pruning_sweep",
           "scaling_against_prediction", "schedule_study", "tokens_against_parameters",
           "toy_language_portrait", "wsd_branches"]

Law = PowerLaw | SaturatingPowerLaw
_STYLES = ("--", ":", "-.", (0, (5, 1)))


def fits_on_data(x: np.ndarray, y: np.ndarray, fits: Mapping[str, Law], *,
                 truth: Law | None = None, extrapolate_to: float | None = None,
                 xlabel: str = "x", ylabel: str = "y", title: str = "") -> Figure:
    """Data on log-log axes with several fitted laws (and the truth, if known).

    Parameters
    ----------
    x, y
        The observations.
    fits
        Fitted laws by label.
    truth
        The law the data came from, for simulated data.
    extrapolate_to
        Draw the laws out to this x, shading the region beyond the data.
    """
    fig, (ax,) = new_figure(1, width=6.5, height=3.8)
    x_end = extrapolate_to or float(np.max(x))
    grid = np.geomspace(float(np.min(x)), x_end, 200)
    ax.plot(x, y, "o", ms=3.5, color="0.3", label="data", zorder=3)
    if truth is not None:
        ax.plot(grid, truth(grid), color="black", lw=1.2, label="truth")
    for style, (label, law) in zip(_STYLES * 3, fits.items(), strict=False):
        ax.plot(grid, law(grid), ls=style, lw=2.0, label=label)
    if extrapolate_to:
        ax.axvspan(float(np.max(x)), extrapolate_to, color="0.92", zorder=0,
                   label="extrapolation")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize=8)
    return fig


def tokens_against_parameters(models: Sequence[TrainedModel], fit: PowerLaw | None = None,
                              ratios: Sequence[float] = (1.0, 20.0, 200.0), *,
                              title: str | None = None) -> Figure:
    """Published models' training tokens against parameters, with lines of equal D/N.

    Parameters
    ----------
    models
        Registry entries.
    fit
        A fitted D = k N^a to draw through them.
    ratios
        Tokens-per-parameter lines to draw.
    title
        The figure's title; a neutral default if omitted.
    """
    fig, (ax,) = new_figure(1, width=6.5, height=4.2)
    n = np.array([m.n_params for m in models])
    d = np.array([m.n_tokens for m in models])
    grid = np.geomspace(n.min() / 2, n.max() * 2, 50)
    for ratio in ratios:
        ax.plot(grid, ratio * grid, color="0.75", lw=0.8, ls="--", zorder=0)
        ax.annotate(f"D/N = {ratio:g}", (grid[-1], ratio * grid[-1]), fontsize=7, color="0.5",
                    ha="right", va="bottom")
    ax.scatter(n, d, s=22, color=PAPER_COLOURS["hoffmann2022training"], zorder=3)
    for m in models:
        ax.annotate(m.name, (m.n_params, m.n_tokens), fontsize=6.5, xytext=(3, 2),
                    textcoords="offset points")
    if fit is not None:
        ax.plot(grid, fit(grid), color="black", lw=1.2,
                label=f"fit: D = {fit.coefficient:.3g} N^{fit.exponent:.2f}")
        ax.legend(loc="upper left", fontsize=8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("N, parameters")
    ax.set_ylabel("D, training tokens")
    ax.set_title(title or "Published models: tokens against parameters")
    return fig


def pruning_sweep(sweep: PruningSweep, *, title: str = "") -> Figure:
    """Test error against examples kept per dimension (Chapter 6): the unpruned baseline,
    each fraction kept, and the best fraction at each size, on log-log axes."""
    fig, (ax,) = new_figure(width=6.5, height=4.0)
    pruned = [i for i, f in enumerate(sweep.keep) if f < 1.0]
    for i, colour in zip(pruned, sequential_colours(len(pruned)), strict=True):
        ax.plot(sweep.alpha_kept, sweep.errors[i], "-", lw=1, color=colour,
                label=f"hardest {sweep.keep[i]:.0%} kept")
    for i, f in enumerate(sweep.keep):
        if f == 1.0:
            ax.plot(sweep.alpha_kept, sweep.errors[i], "o--", color="0.4",
                    label="all kept (no pruning)")
    ax.plot(sweep.alpha_kept, sweep.frontier, "k*-", ms=9, label="best fraction at each size")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("examples kept per dimension, α_prune")
    ax.set_ylabel("test error (angle / π)")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)
    return fig


def approach1_frontier(curves: TrainingCurves, fit: FrontierFit,
                       truth: ChinchillaLaw | None = None) -> Figure:
    """Training curves against compute (left) and the envelope's N_opt(C) with its fit (right).

    Parameters
    ----------
    curves
        The training curves.
    fit
        Approach 1's fit to them.
    truth
        The law the curves were simulated from, to draw its optimum.
    """
    fig, (ax, ax_n) = new_figure(2, width=9.5, height=3.6)
    flops = FLOPS_PER_PARAM_TOKEN * curves.n_params[:, None] * curves.tokens
    sizes = np.unique(curves.n_params)
    colours = sequential_colours(sizes.size)
    for n, c, loss in zip(curves.n_params, flops, curves.loss, strict=True):
        ax.plot(c, loss, color=colours[int(np.searchsorted(sizes, n))], lw=0.7)
    ax.set_xscale("log")
    ax.set_ylim(float(curves.loss.min()) * 0.97, float(curves.loss.min()) * 2.5)
    ax.set_xlabel("C, FLOPs")
    ax.set_ylabel("loss, nats per token")
    ax.set_title("Training curves (colour: model size)")
    ax_n.plot(fit.flops, fit.n_points, ".", ms=2, color="0.5", label="envelope")
    grid = np.geomspace(fit.flops.min(), fit.flops.max(), 50)
    ax_n.plot(grid, fit.n_opt(grid), color=PAPER_COLOURS["hoffmann2022training"],
              label=f"fit: a = {fit.optimal_params_exponent:.3f}")
    if truth is not None:
        ax_n.plot(grid, truth.compute_optimal(grid).n_params, "--", color="black",
                  label=f"truth: a = {truth.optimal_params_exponent:.3f}")
    ax_n.set_xscale("log")
    ax_n.set_yscale("log")
    ax_n.set_xlabel("C, FLOPs")
    ax_n.set_ylabel("N at the lowest loss")
    ax_n.set_title("Approach 1: the frontier")
    ax_n.legend(fontsize=8)
    return fig


def curve_gallery(curves: Mapping[str, tuple[np.ndarray, np.ndarray, np.ndarray]],
                  *, xlabel: str = "x", ylabel: str = "y") -> Figure:
    """Small multiples on log-log axes: for each title, (x, observed y, true y).

    Parameters
    ----------
    curves
        Panels by title: x, noisy observations and the curve they came from.
    """
    count = len(curves)
    fig, axes = new_figure(count, width=3.0 * count, height=3.0)
    colour = PAPER_COLOURS["caballero2022broken"]
    for ax, (title, (x, observed, truth)) in zip(axes, curves.items(), strict=True):
        ax.plot(x, observed, "o", ms=2.5, color="0.4")
        ax.plot(x, truth, color=colour, lw=1.8)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.set_title(title, fontsize=9)
        ax.set_xlabel(xlabel)
    axes[0].set_ylabel(ylabel)
    return fig


def toy_language_portrait(language: ToyLanguage) -> Figure:
    """The toy language of Chapter 10: its planted singular values against rank (left) and its
    tokens' stationary frequencies against frequency rank, beside the Zipf term alone (right),
    on log-log axes."""
    fig, (ax_s, ax_f) = new_figure(2, width=9.5, height=3.5)
    rank = np.arange(1, language.vocab_size + 1)
    ax_s.plot(rank, language.singular_values, color="black", lw=1.5,
              label=f"planted s_r ∝ r^-{language.spectrum_exponent:g}")
    ax_s.plot(rank, language.realised_singular_values / language.vocab_size, ".", ms=2.5,
              color="0.5", label="realised (teacher's low-rank part) / V")
    ax_s.set(xscale="log", yscale="log", xlabel="rank r", ylabel="nats of logit",
             title="The teacher's spectrum")
    ax_s.legend(fontsize=8)
    frequency = np.sort(language.stationary)[::-1]
    zipf = rank ** -language.zipf_exponent
    ax_f.plot(rank, frequency, ".", ms=3, color="0.3", label="stationary frequency")
    ax_f.plot(rank, zipf / zipf.sum(), "--", color="black", lw=1.0,
              label=f"Zipf term alone, ∝ r^-{language.zipf_exponent:g}")
    ax_f.set(xscale="log", yscale="log", xlabel="frequency rank", ylabel="share of tokens",
             title="Token frequencies")
    ax_f.legend(fontsize=8)
    return fig


def loss_curve(tokens: np.ndarray, loss: np.ndarray, floors: Mapping[str, float], *,
               title: str = "") -> Figure:
    """One run's loss against tokens seen (log x axis), with horizontal reference losses
    (the entropy rate, say) labelled by ``floors``; losses in nats per token."""
    fig, (ax,) = new_figure(width=6.5, height=3.6)
    ax.plot(tokens, loss, "o-", ms=3, color="black", lw=1.2, label="population loss")
    for style, (label, value) in zip(_STYLES, floors.items(), strict=False):
        ax.axhline(value, ls=style, color="0.4", lw=1.0, label=f"{label} ({value:.3f})")
    ax.set(xscale="log", xlabel="tokens seen", ylabel="loss, nats per token", title=title)
    ax.legend(fontsize=8)
    return fig


def isoflop_profiles(isoflop: IsoFlopRuns, minima: tuple[np.ndarray, np.ndarray], *,
                     floor: float | None = None) -> Figure:
    """Final loss against N at each budget, with the least-squares parabola in log N through
    each budget's runs and its minimum (``minima``: budgets and N_opt, from
    :func:`~chinchilla_lib.fitting.approaches12.isoflop_minima`); ``floor`` draws a
    horizontal line (the entropy rate)."""
    fig, (ax,) = new_figure(width=6.8, height=4.0)
    budgets = np.unique(isoflop.budget)
    colours = sequential_colours(budgets.size)
    for budget, colour in zip(budgets, colours, strict=True):
        at = isoflop.budget == budget
        n, loss = isoflop.runs.n_params[at], isoflop.runs.loss[at]
        ax.plot(n, loss, "o", ms=4, color=colour, label=f"C = {budget:.0e} FLOPs")
        x = np.log(n)
        grid = np.linspace(x.min(), x.max(), 100)
        ax.plot(np.exp(grid), np.polyval(np.polyfit(x, loss, 2), grid), color=colour, lw=1.0)
    flops, n_opt = minima
    for budget, n_star in zip(flops, n_opt, strict=True):
        at = isoflop.budget == budget
        x = np.log(isoflop.runs.n_params[at])
        value = np.polyval(np.polyfit(x, isoflop.runs.loss[at], 2), np.log(n_star))
        ax.plot(n_star, value, "*", ms=11, color="black", zorder=4)
    if floor is not None:
        ax.axhline(floor, ls="--", color="0.4", lw=1.0, label=f"entropy rate ({floor:.3f})")
    ax.set(xscale="log", xlabel="N, parameters", ylabel="final loss, nats per token",
           title="IsoFLOP profiles (star: the parabola's minimum)")
    ax.legend(fontsize=7)
    return fig


def compute_optimal_frontier(runs: Runs, frontiers: Mapping[str, PowerLawFrontier
                                                             | ChinchillaLaw], *,
                             reference_ratio: float | None = None) -> Figure:
    """Fitted compute-optimal frontiers over the runs' range of compute: N_opt against C
    (left, every run in grey) and tokens per parameter D_opt / N_opt against C (right, with
    a dotted line at ``reference_ratio`` if given).

    Parameters
    ----------
    runs
        The runs the frontiers were fitted to.
    frontiers
        By label: a frontier of Approach 1 or 2 (``fit.law``) or Approach 3's fitted law.
    reference_ratio
        A tokens-per-parameter value to draw for comparison.
    """
    fig, (ax_n, ax_r) = new_figure(2, width=9.5, height=3.6)
    flops = runs.flops
    grid = np.geomspace(flops.min(), flops.max(), 50)
    ax_n.plot(flops, runs.n_params, ".", ms=4, color="0.7", label="runs", zorder=1)
    for style, (label, frontier) in zip(("-", *_STYLES), frontiers.items(), strict=False):
        if isinstance(frontier, ChinchillaLaw):
            optimum = frontier.compute_optimal(grid)
            n, d = optimum.n_params, optimum.n_tokens
        else:
            n, d = frontier(grid)
        ax_n.plot(grid, n, ls=style, lw=1.8, label=label)
        ax_r.plot(grid, np.asarray(d) / np.asarray(n), ls=style, lw=1.8, label=label)
    if reference_ratio is not None:
        ax_r.axhline(reference_ratio, ls=":", color="0.4", lw=1.0,
                     label=f"D/N = {reference_ratio:g}")
    ax_n.set(xscale="log", yscale="log", xlabel="C, FLOPs", ylabel="N_opt, parameters",
             title="Compute-optimal model size")
    ax_r.set(xscale="log", yscale="log", xlabel="C, FLOPs", ylabel="D_opt / N_opt",
             title="Tokens per parameter")
    plain = FuncFormatter(lambda value, _: f"{value:g}")
    ax_r.yaxis.set_major_formatter(plain)
    ax_r.yaxis.set_minor_formatter(plain)
    ax_n.legend(fontsize=8)
    ax_r.legend(fontsize=8)
    return fig


def partial_residuals(runs: Runs, law: ChinchillaLaw) -> Figure:
    """Each run's loss with the fitted law's other terms taken away, on log-log axes:
    ``L - E - B/D^beta`` against N (left) and ``L - E - A/N^alpha`` against D (right), beside
    the law's own terms ``A/N^alpha`` and ``B/D^beta``. Where the points follow the line, the
    loss falls as that power law; runs whose partial residual is not positive cannot be drawn
    on a log axis and are counted in the title."""
    fig, (ax_n, ax_d) = new_figure(2, width=9.5, height=3.6)
    n, d, loss = runs.n_params, runs.n_tokens, runs.loss
    panels = ((ax_n, n, loss - law.e - law.b * d ** -law.beta, law.a, law.alpha, "N, parameters",
               "L - E - B/D^β"),
              (ax_d, d, loss - law.e - law.a * n ** -law.alpha, law.b, law.beta, "D, tokens",
               "L - E - A/N^α"))
    for ax, x, residual, coefficient, exponent, xlabel, ylabel in panels:
        shown = residual > 0
        grid = np.geomspace(x.min(), x.max(), 50)
        ax.plot(x[shown], residual[shown], "o", ms=3.5, color="0.3", label="runs")
        ax.plot(grid, coefficient * grid ** -exponent, color="black", lw=1.2,
                label=f"fit: exponent {exponent:.2f}")
        hidden = int((~shown).sum())
        ax.set(xscale="log", yscale="log", xlabel=xlabel, ylabel=ylabel,
               title=f"{ylabel} against {xlabel.split(',')[0]}"
                     + (f" ({hidden} not positive, not drawn)" if hidden else ""))
        ax.legend(fontsize=8)
    return fig


def batch_size_tradeoff(studies: Mapping[str, BatchSizeStudy]) -> Figure:
    """McCandlish et al.'s trade-off measured on noisy quadratic models (Chapter 11).

    Left: the steps S and examples E = B S each run needed to reach the target loss, on
    log-log axes, with the fitted hyperbola (S/S_min - 1)(E/E_min - 1) = 1, its asymptotes
    S_min and E_min (dotted) and the point (2 S_min, 2 E_min) that a run at the fitted B_crit
    reaches (a diamond). Right: S against the batch size B with the fitted
    S_min (1 + B_crit / B), and B_crit marked on it (a diamond); the noise scales B_noise and
    B_simple where the runs reach the target are marked below the curve (a triangle and a
    square, one per study).

    Parameters
    ----------
    studies
        :class:`~chinchilla_lib.simulate.noisy_quadratic.BatchSizeStudy` results by label
        (one to four).
    """
    if not 1 <= len(studies) <= 4:
        raise ValueError(f"studies must hold one to four studies; got {len(studies)}")
    fig, (ax_se, ax_b) = new_figure(2, width=9.5, height=3.8)
    colours = ("black", PAPER_COLOURS["kaplan2020scaling"], PAPER_COLOURS["hoffmann2022training"],
               "0.5")
    for (label, study), colour in zip(studies.items(), colours, strict=False):
        law = study.fit.law
        b_grid = np.geomspace(study.batches.min() / 4, study.batches.max() * 4, 200)
        ax_se.plot(study.examples, study.steps, "o", ms=4, color=colour, label=f"{label}: runs")
        ax_se.plot(law.examples(b_grid), law.steps(b_grid), color=colour, lw=1.0,
                   label=f"{label}: fitted hyperbola")
        ax_se.axhline(law.min_steps, color=colour, ls=":", lw=0.8)
        ax_se.axvline(law.min_examples, color=colour, ls=":", lw=0.8)
        ax_se.plot([2 * law.min_examples], [2 * law.min_steps], "D", ms=7, color=colour,
                   mfc="white", zorder=4)
        ax_b.plot(study.batches, study.steps, "o", ms=4, color=colour, label=f"{label}: runs")
        ax_b.plot(b_grid, law.steps(b_grid), color=colour, lw=1.0,
                  label=f"{label}: B_crit = {law.critical_batch:.3g}")
        ax_b.plot([law.critical_batch], [law.steps(law.critical_batch)], "D", ms=7,
                  color=colour, mfc="white", zorder=4)
        floor = 0.6 * law.min_steps
        ax_b.plot([study.noise_scale_target], [floor], "^", ms=7, color=colour, zorder=4)
        ax_b.plot([study.simple_noise_scale_target], [floor], "s", ms=6, color=colour,
                  mfc="none", zorder=4)
    ax_se.set(xscale="log", yscale="log", xlabel="E = B S, examples processed",
              ylabel="S, optimiser steps", title="Steps against examples, one target loss")
    ax_b.set(xscale="log", yscale="log", xlabel="B, examples per step",
             ylabel="S, optimiser steps",
             title="S against B (▲ B_noise, □ B_simple at the target)")
    ax_se.legend(fontsize=7)
    ax_b.legend(fontsize=7)
    return fig


def schedule_study(rates: Mapping[str, np.ndarray],
                   measured: Mapping[str, tuple[np.ndarray, np.ndarray]],
                   predicted: Mapping[str, np.ndarray], fitted: Sequence[str] = ()) -> Figure:
    """Learning-rate schedules and the loss curves they give, measured and predicted
    (Chapter 11).

    Left: each schedule's learning rate against the step. Right: the loss measured at the
    checkpoints (dots) and a law's predicted curve (a line: solid for the schedules the law
    was fitted to, dashed for those it predicts), nats per token.

    Parameters
    ----------
    rates
        The learning rate at every step (steps 1, 2, ...), by schedule name.
    measured
        (steps done, loss) at the checkpoints, by schedule name (the keys of ``rates``).
    predicted
        The law's loss after every step, by schedule name (same length as the rates).
    fitted
        The names of the schedules the law was fitted to.
    """
    missing = (set(measured) | set(predicted)) - set(rates)
    if missing:
        raise ValueError(f"measured and predicted must name schedules in rates; unknown: "
                         f"{sorted(missing)}")
    fig, (ax_r, ax_l) = new_figure(2, width=9.5, height=3.8)
    colours = sequential_colours(len(rates)) if len(rates) > 5 else [
        "black", PAPER_COLOURS["kaplan2020scaling"], PAPER_COLOURS["hoffmann2022training"],
        PAPER_COLOURS["caballero2022broken"], PAPER_COLOURS["xiao2024densing"]][:len(rates)]
    low = np.inf
    for (name, rate), colour in zip(rates.items(), colours, strict=True):
        rate = np.asarray(rate, dtype=float)
        steps = np.arange(1, rate.size + 1)
        ax_r.plot(steps, rate, color=colour, lw=1.4, label=name)
        if name in measured:
            at, loss = (np.asarray(v, dtype=float) for v in measured[name])
            ax_l.plot(at, loss, "o", ms=2.5, color=colour)
            low = min(low, float(loss.min()))
        if name in predicted:
            curve = np.asarray(predicted[name], dtype=float)
            ax_l.plot(steps, curve, color=colour, lw=1.3,
                      ls="-" if name in fitted else "--",
                      label=f"{name} ({'fitted' if name in fitted else 'predicted'})")
    ax_r.set(xlabel="step", ylabel="learning rate", title="Schedules")
    ax_l.set(xlabel="step", ylabel="loss, nats per token",
             title="Loss: dots measured, lines the law")
    if np.isfinite(low):
        top = max(float(np.asarray(v[1]).max()) for v in measured.values())
        ax_l.set_ylim(low - 0.02 * (top - low), low + 0.35 * (top - low))
    ax_r.legend(fontsize=7)
    ax_l.legend(fontsize=7)
    return fig


def wsd_branches(stable: tuple[np.ndarray, np.ndarray],
                 branches: Mapping[int, tuple[np.ndarray, np.ndarray]],
                 cosine: Mapping[int, tuple[np.ndarray, np.ndarray]]) -> Figure:
    """One WSD stable run with cool-downs branched off it, against a cosine run from scratch
    per length (Chapter 11).

    Left: the loss curves against the step: the stable run (black), each cool-down from its
    branch point (solid) and each length's cosine run (dashed, same colour). Right: each
    length's final loss both ways, nats per token.

    Parameters
    ----------
    stable
        (steps done, loss) of the stable run at its checkpoints.
    branches
        (steps done, loss) of each cool-down from its branch point, by run length in steps.
    cosine
        (steps done, loss) of each cosine run, by run length in steps (the keys of
        ``branches``).
    """
    if not branches or set(branches) != set(cosine):
        raise ValueError(f"branches and cosine must name the same run lengths, at least one; "
                         f"got {sorted(branches)} and {sorted(cosine)}")
    fig, (ax_c, ax_f) = new_figure(2, width=9.5, height=3.8)
    lengths = sorted(branches)
    colours = sequential_colours(len(lengths))
    at, loss = (np.asarray(v, dtype=float) for v in stable)
    ax_c.plot(at, loss, color="black", lw=1.6, label="WSD stable run (once)")
    low, top = float(loss.min()), float(loss[at >= min(lengths) / 4].max(initial=loss[-1]))
    finals_wsd, finals_cos = [], []
    for n, colour in zip(lengths, colours, strict=True):
        b_at, b_loss = (np.asarray(v, dtype=float) for v in branches[n])
        c_at, c_loss = (np.asarray(v, dtype=float) for v in cosine[n])
        ax_c.plot(b_at, b_loss, color=colour, lw=1.6, label=f"cool-down to {n:,} steps")
        ax_c.plot(c_at, c_loss, color=colour, lw=1.1, ls="--")
        finals_wsd.append(float(b_loss[-1]))
        finals_cos.append(float(c_loss[-1]))
        low = min(low, float(b_loss.min()), float(c_loss.min()))
    ax_c.plot([], [], color="grey", lw=1.1, ls="--", label="cosine from scratch")
    ax_c.set(xlabel="step", ylabel="loss, nats per token",
             title="One stable run, branched cool-downs")
    ax_c.set_ylim(low - 0.05 * (top - low), top)
    ax_c.legend(fontsize=7)
    ax_f.plot(lengths, finals_cos, "s--", color=PAPER_COLOURS["hoffmann2022training"], ms=5,
              label="matched cosine, from scratch")
    ax_f.plot(lengths, finals_wsd, "o-", color="black", ms=5, label="WSD cool-down branch")
    ax_f.set(xlabel="run length, steps", ylabel="final loss, nats per token",
             title="Final loss by run length")
    ax_f.legend(fontsize=7)
    return fig


def learning_rate_sweep(sweep: Mapping[str, Mapping[int, tuple[np.ndarray, np.ndarray]]],
                        optima: Mapping[str, Mapping[int, float]]) -> Figure:
    """Final loss against peak learning rate for several widths, one panel per
    parameterisation (Chapter 11), with each width's best rate marked (a star on a vertical
    line).

    Parameters
    ----------
    sweep
        By parameterisation name, by width: (peak rates, final losses in nats per token).
    optima
        By parameterisation name, by width: the best peak rate.
    """
    if not 1 <= len(sweep) <= 3:
        raise ValueError(f"sweep must hold one to three parameterisations; got {len(sweep)}")
    fig, axes = new_figure(len(sweep), width=4.8 * len(sweep), height=3.8)
    top = min(float(np.min(loss)) for runs in sweep.values() for _, loss in runs.values())
    top_high = max(float(np.min(loss)) for runs in sweep.values() for _, loss in runs.values())
    for ax, (name, runs) in zip(axes, sweep.items(), strict=True):
        colours = sequential_colours(len(runs))
        for (width, (rate, loss)), colour in zip(sorted(runs.items()), colours, strict=True):
            order = np.argsort(rate)
            ax.plot(np.asarray(rate)[order], np.asarray(loss)[order], "o-", ms=3.5, lw=1.2,
                    color=colour, label=f"width {width}")
            best = optima.get(name, {}).get(width)
            if best is not None:
                ax.axvline(best, color=colour, ls=":", lw=1.0)
                ax.plot([best], [np.interp(np.log(best), np.log(np.asarray(rate)[order]),
                                           np.asarray(loss)[order])], "*", ms=11,
                        color=colour, mec="black", zorder=4)
        ax.set(xscale="log", xlabel="peak learning rate", ylabel="final loss, nats per token",
               title=name)
        ax.set_ylim(top - 0.02, top_high + 0.25)
        ax.legend(fontsize=7)
    return fig


def scaling_against_prediction(
        panels: Mapping[str, Sequence[tuple[str, np.ndarray, np.ndarray, float]]], *,
        xlabels: Sequence[str] | None = None, ylabel: str = "loss") -> Figure:
    """Simulated loss curves on log-log axes, each beside the slope theory predicts for it.

    Parameters
    ----------
    panels
        By panel title, curves ``(label, sizes, loss, predicted)``: the resource (parameters,
        samples or quanta), the loss (or excess loss) at each size, and the predicted exponent
        alpha of loss ~ size^-alpha. The prediction is drawn dashed, through the curve's
        geometric mean, so only its slope carries information.
    xlabels
        One x-axis label per panel (default "size").
    ylabel
        The y-axis label of the first panel.
    """
    if not panels:
        raise ValueError("panels must hold at least one panel")
    fig, axes = new_figure(len(panels), width=4.0 * len(panels) + 0.5, height=3.6)
    labels = list(xlabels) if xlabels is not None else ["size"] * len(panels)
    if len(labels) != len(panels):
        raise ValueError("xlabels must give one label per panel")
    for ax, xlabel, (title, curves) in zip(axes, labels, panels.items(), strict=True):
        colours = sequential_colours(max(len(curves), 1))
        for colour, (label, sizes, loss, predicted) in zip(colours, curves, strict=True):
            x = np.asarray(sizes, dtype=float)
            y = np.asarray(loss, dtype=float)
            ax.plot(x, y, "o-", ms=3.5, lw=1.0, color=colour, label=label)
            x0, y0 = np.exp(np.mean(np.log(x))), np.exp(np.mean(np.log(y)))
            ax.plot(x, y0 * (x / x0) ** (-predicted), ls="--", lw=1.2, color=colour)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(xlabel)
        ax.set_title(title, fontsize=10)
        ax.legend(fontsize=7, title="dashed: predicted slope", title_fontsize=7)
    axes[0].set_ylabel(ylabel)
    return fig


def approach2_vertex_bias(law: ChinchillaLaw, budget: float,
                          grids: Mapping[str, IsoFlopRuns]) -> Figure:
    """Approach 2's parabola against the true IsoFLOP curve, one panel per grid of sizes.

    Each panel draws the law's loss along the budget's IsoFLOP curve, L(N; C) =
    E + A N^-alpha + B (C/6N)^-beta (black), the runs of the grid at that budget (points),
    the parabola in log N through them (dashed), its vertex (star) and the true optimum
    (vertical line), against N / N_opt so that the vertex's error reads off the axis.

    Parameters
    ----------
    law
        The planted law.
    budget
        The budget shown, FLOPs; each grid must hold runs at it.
    grids
        IsoFLOP runs by panel title (for example a centred and an off-centre grid, made by
        :func:`~chinchilla_lib.simulate.isoflop_bias.offset_isoflop_runs`).
    """
    from chinchilla_lib.fitting.approaches12 import isoflop_minima

    n_true = float(law.compute_optimal(budget).n_params)
    fig, axes = new_figure(len(grids), width=4.2 * len(grids), height=3.6)
    colour = PAPER_COLOURS["hoffmann2022training"]
    for ax, (title, iso) in zip(np.atleast_1d(axes), grids.items(), strict=True):
        at = iso.budget == budget
        if not at.any():
            raise ValueError(f"grids[{title!r}] holds no runs at budget {budget:.3g}")
        n, loss = iso.runs.n_params[at], iso.runs.loss[at]
        ratio = n / n_true
        wide = np.geomspace(min(ratio.min(), 0.5) / 1.5, max(ratio.max(), 2.0) * 1.5, 200)
        curve = law.loss(wide * n_true, budget / (FLOPS_PER_PARAM_TOKEN * wide * n_true))
        ax.plot(wide, curve, color="black", lw=1.2, label="true IsoFLOP curve")
        coefficients = np.polyfit(np.log(ratio), loss, 2)
        ax.plot(wide, np.polyval(coefficients, np.log(wide)), "--", color=colour, lw=1.5,
                label="parabola in log N")
        ax.plot(ratio, loss, "o", ms=4, color="0.3", label="runs", zorder=3)
        _, vertex = isoflop_minima(IsoFlopRuns(Runs(n, iso.runs.n_tokens[at], loss),
                                               iso.budget[at]))
        if vertex.size:
            v = float(vertex[0]) / n_true
            ax.plot([v], [np.polyval(coefficients, np.log(v))], "*", ms=11, color=colour,
                    mec="black", label=f"vertex: N = {v:.3f} N_opt", zorder=4)
        ax.axvline(1.0, color="0.5", lw=0.8, ls=":", label="true optimum")
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.xaxis.set_minor_formatter(NullFormatter())
        low, high = float(curve.min()), float(np.max(loss))
        ax.set_ylim(low - 0.05 * (high - low), high + 0.35 * (high - low))
        ax.set_xlabel("N / N_opt")
        ax.set_title(title, fontsize=9)
        ax.legend(fontsize=7, loc="upper center")
    np.atleast_1d(axes)[0].set_ylabel("loss, nats per token")
    return fig
