"""A solvable model of scaling laws: linear regression on random features of power-law data.

The model of Maloney, Roberts & Sully (2022, "A Solvable Model of Neural Scaling Laws",
arXiv:2210.16859: "a joint generative data model and random feature model", in their
abstract's words), here in its linear form (as we set it up; the paper's nonlinear feature maps
are left out):

* a latent vector x of dimension M, Gaussian with independent coordinates whose variances
  follow a power law, lambda_i = i^-(1 + alpha) for i = 1 ... M;
* a linear teacher, y = w . x, with w drawn once, w_i standard normal (no label noise);
* N random features, phi = U x, with U an N by M Gaussian matrix (entries of variance 1/M);
* D training samples, and a student f(x) = beta . phi fitted by least squares (the
  minimum-norm solution when it interpolates) or with a ridge penalty.

The student's effective latent weights are v = U^T beta, so its test loss is exact, with no
test set: L = sum_i lambda_i (w_i - v_i)^2 (mean squared error, in units of y squared).

What the theory predicts. Maloney et al.'s abstract (which we read) states the phenomenology:
the loss is a power law in either parameters or dataset size "until bottlenecked by the other
resource", power laws in the data's spectrum are translated into power laws of the test loss,
and the finite extent of the spectral power law makes the loss plateau. Bahri et al. (2021;
PNAS 2024, "Explaining neural scaling laws", abstract read) give the same picture for random
feature models: in the resolution-limited regime the exponents follow from a kernel's spectrum,
and the exponents in width and in dataset size are related by a duality. (Bordelon, Atanasov &
Pehlevan 2024, "A Dynamical Model of Neural Scaling Laws", abstract read, train a random
feature model by gradient descent instead, where the exponents in training time and in model
size differ; this module solves the regression exactly and has no time.) The exponent itself
follows from a short argument, not from a quoted equation: with k = min(N, D) directions of the
spectrum resolved, the loss is about the unresolved tail, sum_{i > k} lambda_i, which for
lambda_i = i^-(1 + alpha) is close to k^-alpha / alpha. So L is proportional to N^-alpha when D
is much larger than N, to D^-alpha when N is much larger than D, while both stay well below M.
This module checks that prediction by simulation. Without a ridge, the minimum-norm fit's loss
peaks where N passes D, the interpolation threshold (double descent; Belkin, Hsu & Xu 2019,
"Two models of double descent for weak features", abstract read: the risk peaks when the
number of features is close to the sample size); a ridge removes the peak, leaving a bend from
the slope -alpha towards the D-limited loss. A bend in a log-log curve is what Chapter 7 fits
with a broken power law (Caballero et al. 2022).

What we could not read: the body of arXiv:2210.16859, so neither its equation numbers for the
two exponents and for the behaviour at N = D, nor its notation, are quoted here; the search
tool returns only the opening of the stored copy. Nothing is registered from it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from chinchilla_lib._validation import (
    as_finite_array,
    check_nonnegative,
    check_positive_int,
    single,
)
from chinchilla_lib.fitting.power import PowerLawFit, fit_power_law
from chinchilla_lib.simulate._limits import MAX_VALUES, check_count, check_seed

__all__ = [
    "MAX_ALPHA", "MAX_LATENT_DIM", "MAX_RF_WORK", "MAX_RIDGE", "InterpolationBreak",
    "RandomFeatureCurves", "RandomFeatureExponents", "interpolation_break", "power_law_spectrum",
    "random_feature_exponents", "simulate_random_features",
]

MAX_ALPHA = 10.0
"""Largest spectral exponent accepted (lambda_M = M^-11 is still far above float64's floor)."""
MAX_LATENT_DIM = 10_000
"""Largest latent dimension M."""
MAX_RIDGE = 1e6
"""Largest ridge strength per sample (far beyond any useful one: the fit is then zero)."""
MAX_RF_WORK = 2_000_000_000
"""Most work one :func:`simulate_random_features` call may take, counted as
``repeats * (max(D) * M * max(N) + sum over the grid's cells of D N min(D, N))`` multiply-adds
(the feature matrix, then the least-squares solves): a few seconds on one core at most. Each
default sweep of :func:`random_feature_exponents` counts about 1.3 billion and takes about
half a second."""


def _check_alpha(alpha: float) -> float:
    value = single("alpha", as_finite_array("alpha", alpha))
    if not 0.0 < value <= MAX_ALPHA:
        raise ValueError(f"alpha must be in (0, {MAX_ALPHA}]; got {value!r}")
    return value


def _check_sizes(name: str, values: ArrayLike) -> NDArray[np.int64]:
    array = as_finite_array(name, values)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of counts; got shape "
                         f"{array.shape}")
    if np.any(array < 1) or np.any(array != np.round(array)):
        raise ValueError(f"{name} must hold whole numbers >= 1; got {values!r}")
    if array.max() > MAX_VALUES:
        raise ValueError(f"{name} must be at most {MAX_VALUES:,}; got {array.max():.3g}")
    return array.astype(np.int64)


def power_law_spectrum(alpha: float, latent_dim: int) -> NDArray[np.float64]:
    """The latent variances lambda_i = i^-(1 + alpha), i = 1 ... M: a power-law spectrum.

    Parameters
    ----------
    alpha
        Spectral exponent, in (0, :data:`MAX_ALPHA`]; the loss exponent the model predicts.
    latent_dim
        M, the number of latent dimensions (2 to :data:`MAX_LATENT_DIM`).

    Returns
    -------
    ndarray
        The M variances, decreasing from 1 (unit-free).

    Examples
    --------
    >>> print(power_law_spectrum(1.0, 4).round(4))
    [1.     0.25   0.1111 0.0625]
    """
    a = _check_alpha(alpha)
    m = check_positive_int("latent_dim", latent_dim, minimum=2)
    if m > MAX_LATENT_DIM:
        raise ValueError(f"latent_dim must be at most {MAX_LATENT_DIM:,}; got {m:,}")
    return np.arange(1, m + 1, dtype=np.float64) ** -(1.0 + a)


@dataclass(frozen=True)
class RandomFeatureCurves:
    """Test losses of the random-feature model on a grid of N (features) by D (samples).

    Attributes
    ----------
    alpha, latent_dim, ridge, repeats, seed
        The model's settings.
    features
        N, the numbers of random features (1-D, ints).
    samples
        D, the numbers of training samples (1-D, ints).
    loss
        Mean test loss over the repeats, shape (len(features), len(samples)); mean squared
        error in units of y squared (the loss of the zero predictor is about sum lambda_i).
    """

    alpha: float
    latent_dim: int
    ridge: float
    repeats: int
    seed: int
    features: NDArray[np.int64]
    samples: NDArray[np.int64]
    loss: NDArray[np.float64]


def _fit_student(f: NDArray[np.float64], y: NDArray[np.float64], ridge: float):
    """Least squares (minimum norm) or ridge coefficients of y on the columns of f."""
    d, n = f.shape
    if ridge == 0.0:
        return np.linalg.lstsq(f, y, rcond=None)[0]
    if n <= d:
        gram = f.T @ f
        gram[np.diag_indices(n)] += ridge * d
        return np.linalg.solve(gram, f.T @ y)
    kernel = f @ f.T
    kernel[np.diag_indices(d)] += ridge * d
    return f.T @ np.linalg.solve(kernel, y)


def simulate_random_features(alpha: float, features: ArrayLike, samples: ArrayLike, *,
                             latent_dim: int = 1000, ridge: float = 0.0, repeats: int = 4,
                             seed: int = 0) -> RandomFeatureCurves:
    """Exact test losses of the linear random-feature model for every N in ``features`` and
    D in ``samples``.

    Each repeat draws a teacher, max(D) latent samples and max(N) feature directions once;
    smaller N and D take the first rows (nested, so that the curves are smooth in N and D).
    The student is fitted to noise-free labels by minimum-norm least squares (``ridge=0``) or
    by ridge regression, minimising sum (y - beta . phi)^2 + ridge D beta . beta. The test loss
    is computed exactly from the spectrum, L = sum_i lambda_i (w_i - v_i)^2 with v = U^T beta.

    Parameters
    ----------
    alpha
        Spectral exponent: lambda_i = i^-(1 + alpha) (see :func:`power_law_spectrum`).
    features
        N, numbers of random features (whole numbers >= 1).
    samples
        D, numbers of training samples (whole numbers >= 1).
    latent_dim
        M, the latent dimension (2 to :data:`MAX_LATENT_DIM`). The power laws hold while
        N and D stay well below M.
    ridge
        Ridge strength per sample (0 to :data:`MAX_RIDGE`); 0 for the minimum-norm
        least-squares fit.
    repeats
        Independent draws of teacher, data and features averaged (1 to 100).
    seed
        Seed of the draws.

    Returns
    -------
    RandomFeatureCurves

    Examples
    --------
    >>> curves = simulate_random_features(1.0, [10, 40], [400], latent_dim=200, seed=0)
    >>> bool(curves.loss[1, 0] < curves.loss[0, 0])
    True
    """
    a = _check_alpha(alpha)
    n = _check_sizes("features", features)
    d = _check_sizes("samples", samples)
    lam = power_law_spectrum(a, latent_dim)
    m = lam.size
    ridge_value = single("ridge", check_nonnegative("ridge", ridge))
    if ridge_value > MAX_RIDGE:
        raise ValueError(f"ridge must be at most {MAX_RIDGE:g}; got {ridge_value!r}")
    reps = check_positive_int("repeats", repeats)
    if reps > 100:
        raise ValueError(f"repeats must be at most 100; got {reps}")
    rng_seed = check_seed(seed)
    n_max, d_max = int(n.max()), int(d.max())
    check_count("samples x latent_dim (the latent data)", d_max * m)
    check_count("features x latent_dim (the feature directions)", n_max * m)
    check_count("samples x features (the feature matrix)", d_max * n_max)
    nn, dd = np.meshgrid(n.astype(float), d.astype(float), indexing="ij")
    work = reps * (float(d_max) * m * n_max + float(np.sum(nn * dd * np.minimum(nn, dd))))
    check_count("repeats x samples x latent_dim x features (the work)", work, MAX_RF_WORK)
    rng = np.random.default_rng(rng_seed)
    loss = np.zeros((n.size, d.size))
    for _ in range(reps):
        w = rng.standard_normal(m)
        x = rng.standard_normal((d_max, m)) * np.sqrt(lam)
        u = rng.standard_normal((n_max, m)) / np.sqrt(m)
        phi = x @ u.T
        y = x @ w
        for i, ni in enumerate(n):
            for j, dj in enumerate(d):
                beta = _fit_student(phi[:dj, :ni], y[:dj], ridge_value)
                v = u[:ni].T @ beta
                loss[i, j] += float(np.sum(lam * (w - v) ** 2))
    return RandomFeatureCurves(alpha=a, latent_dim=m, ridge=ridge_value, repeats=reps,
                               seed=rng_seed, features=n, samples=d, loss=loss / reps)


@dataclass(frozen=True)
class RandomFeatureExponents:
    """Exponents of the loss in N (at large D) and in D (at large N), fitted and predicted.

    Attributes
    ----------
    alpha
        The spectral exponent, which is also the predicted loss exponent in N and in D.
    in_features, in_samples
        The sweeps: loss against N at D = ``fixed_samples``, and against D at
        N = ``fixed_features`` (each a :class:`RandomFeatureCurves` with one column or row).
    fit_features, fit_samples
        :func:`~chinchilla_lib.fitting.power.fit_power_law` fits (log space) of those sweeps.
    """

    alpha: float
    in_features: RandomFeatureCurves
    in_samples: RandomFeatureCurves
    fit_features: PowerLawFit
    fit_samples: PowerLawFit

    @property
    def exponent_features(self) -> float:
        """Measured exponent of L in N: minus the fitted slope, to compare with alpha."""
        return -float(self.fit_features.law.exponent)

    @property
    def exponent_samples(self) -> float:
        """Measured exponent of L in D: minus the fitted slope, to compare with alpha."""
        return -float(self.fit_samples.law.exponent)


def random_feature_exponents(alpha: float, *, sizes: ArrayLike = (8, 11, 16, 22, 32, 45, 64,
                                                                   90, 128),
                             large: int = 2048, latent_dim: int = 1000, repeats: int = 4,
                             seed: int = 0) -> RandomFeatureExponents:
    """Fit the loss exponents in N and in D and set them beside the prediction, alpha.

    Two sweeps of :func:`simulate_random_features` (minimum-norm least squares): N over
    ``sizes`` with D = ``large``, and D over ``sizes`` with N = ``large``; each is fitted with
    :func:`~chinchilla_lib.fitting.power.fit_power_law`.

    The fitted exponents land within about 0.15 of alpha for alpha from 0.5 to 1.5 with the
    defaults (the tests hold them to that). The gap is finite-size, not noise: the sizes span
    only 1.2 decades; at the top of the range the resolved directions begin to feel the
    finite latent dimension M and the finite other resource (D/N = 16 at N = 128, and the
    minimum-norm fit's variance grows like N / (D - N)), while at the bottom the loss is still
    pre-asymptotic (the spectral tail sum_{i > k} i^-(1 + alpha) only approaches
    k^-alpha / alpha for k much larger than 1).

    Parameters
    ----------
    alpha
        Spectral exponent, in (0, :data:`MAX_ALPHA`].
    sizes
        The values of N (first sweep) and of D (second sweep), whole numbers >= 1, at least 3
        distinct, each below ``large``.
    large
        The other resource, held fixed and large (the default 2048 is 16 times the largest
        size).
    latent_dim, repeats, seed
        As in :func:`simulate_random_features`.

    Returns
    -------
    RandomFeatureExponents

    Examples
    --------
    >>> result = random_feature_exponents(1.0, sizes=[8, 16, 32], large=512, latent_dim=400,
    ...                                   repeats=2)
    >>> 0.6 < result.exponent_features < 1.4 and 0.6 < result.exponent_samples < 1.4
    True
    """
    grid = _check_sizes("sizes", sizes)
    if np.unique(grid).size < 3:
        raise ValueError(f"sizes must hold at least 3 distinct values; got {sizes!r}")
    big = check_positive_int("large", large)
    if big <= grid.max():
        raise ValueError(f"large must exceed the largest of sizes ({grid.max()}); got {big}")
    in_n = simulate_random_features(alpha, grid, [big], latent_dim=latent_dim, repeats=repeats,
                                    seed=seed)
    in_d = simulate_random_features(alpha, [big], grid, latent_dim=latent_dim, repeats=repeats,
                                    seed=seed)
    fit_n = fit_power_law(grid.astype(float), in_n.loss[:, 0])
    fit_d = fit_power_law(grid.astype(float), in_d.loss[0, :])
    return RandomFeatureExponents(alpha=in_n.alpha, in_features=in_n, in_samples=in_d,
                                  fit_features=fit_n, fit_samples=fit_d)


@dataclass(frozen=True)
class InterpolationBreak:
    """The loss against N at a fixed D, across N = D.

    Attributes
    ----------
    curves
        The sweep (a :class:`RandomFeatureCurves` with one column, D = ``samples``).
    samples
        D.
    peak_features
        The N of the largest loss on the sweep (near D for the minimum-norm fit: the
        interpolation peak).
    """

    curves: RandomFeatureCurves
    samples: int
    peak_features: int

    @property
    def features(self) -> NDArray[np.int64]:
        """N along the sweep."""
        return self.curves.features

    @property
    def loss(self) -> NDArray[np.float64]:
        """The test loss along the sweep (units of y squared)."""
        return self.curves.loss[:, 0]


def interpolation_break(alpha: float, samples: int = 128, *, features: ArrayLike | None = None,
                        ridge: float = 0.0, latent_dim: int = 1000, repeats: int = 4,
                        seed: int = 0) -> InterpolationBreak:
    """The loss against N at fixed D, from N well below D to well above it.

    Without a ridge the minimum-norm fit's loss rises to a peak at N = D (it interpolates
    the training data exactly there with a badly conditioned feature matrix: double descent)
    and falls again beyond it, towards the D-limited loss. With a ridge the peak flattens into
    a bend: slope -alpha while N is below D, then a slow approach to the loss set by D. The loss
    is limited by the smaller of N and D (Maloney et al. 2022, abstract; the tail argument in
    the module's docstring).

    Parameters
    ----------
    alpha
        Spectral exponent, in (0, :data:`MAX_ALPHA`].
    samples
        D, the training samples (>= 2).
    features
        N along the sweep; default 25 values spaced evenly in log from D/16 to 8 D (rounded,
        at least 1, and at most ``latent_dim``), with N = D itself among them.
    ridge, latent_dim, repeats, seed
        As in :func:`simulate_random_features`.

    Returns
    -------
    InterpolationBreak

    Examples
    --------
    >>> sweep = interpolation_break(1.0, 64, latent_dim=600, repeats=2)
    >>> int(sweep.peak_features)
    64
    """
    d = check_positive_int("samples", samples, minimum=2)
    if features is None:
        m = check_positive_int("latent_dim", latent_dim, minimum=2)
        grid = np.unique(np.concatenate([
            np.round(d * np.geomspace(1 / 16, 8, 25)), [d]]).clip(1, m)).astype(np.int64)
    else:
        grid = _check_sizes("features", features)
    curves = simulate_random_features(alpha, grid, [d], latent_dim=latent_dim, ridge=ridge,
                                      repeats=repeats, seed=seed)
    peak = int(curves.features[int(np.argmax(curves.loss[:, 0]))])
    return InterpolationBreak(curves=curves, samples=d, peak_features=peak)
