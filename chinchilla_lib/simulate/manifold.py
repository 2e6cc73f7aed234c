"""Where the exponents come from: a smooth function on a data manifold, and the four regimes.

**The data-manifold argument** (Sharma & Kaplan 2022 [sharma2022scaling]; their abstract
predicts alpha of about 4/d for cross-entropy and mean-squared-error losses, d the intrinsic
dimension of the data manifold). The argument, in
our words (the paper's section and equation numbers were not readable here): a model with N
parameters that in effect interpolates a smooth target on the manifold cuts it into about N
cells of side s ~ N^(-1/d). A piecewise-linear interpolant errs by O(s^2) inside a cell (the
first term of the target's Taylor expansion it leaves out is the second-order one), so the mean
squared error falls as s^4 ~ N^(-4/d): alpha = 4/d. A piecewise-constant model (nearest
neighbour) errs by O(s), so its mean squared error falls as N^(-2/d).

**The four regimes** (Bahri et al. 2024 [bahri2024explaining]; their abstract names
variance-limited and resolution-limited scaling, each in data set size and in model size; the
first follows from a well-behaved limit of infinite data or infinite width, the second from a
model resolving a smooth data manifold). In a *variance-limited* regime one resource (data D, or
width W) grows while the other is held fixed; the loss tends to a limit, and an expansion
around that limit in powers of 1/D (or 1/W) begins with the first power, so
L(D) - L(infinity) ~ 1/D: exponent 1 whatever the data. In a *resolution-limited* regime the
other resource is effectively unlimited and the model resolves the data manifold ever more
finely as the one grows; the exponent then depends on the manifold's intrinsic dimension (4/d
for a piecewise-linear model and a mean squared error, as above).

The simulations here:

* :func:`manifold_scaling` with ``regime="parameters"``: resolution-limited in model size.
  The model stores its values at N knots of a regular grid on the manifold's d-dimensional
  chart [0, 1]^d (one stored number per knot, so N parameters) and is multilinear between
  them (``method="linear"``, piecewise linear along each coordinate) or takes the nearest
  knot's value (``method="nearest"``, piecewise constant). The knot values are the target's
  exact values (unlimited data).
* :func:`manifold_scaling` with ``regime="data"``: resolution-limited in data. The model grows
  with the D training points drawn uniformly on the manifold: linear interpolation on their
  Delaunay triangulation in the chart (``"linear"``), or 1-nearest-neighbour regression in the
  ambient space R^ambient (``"nearest"``, which sees only the embedded points, not the chart).
* :func:`variance_limited_width`: variance-limited in model size. Ridge regression on W random
  Fourier features, trained on a fixed set of points; as W grows the model tends to kernel
  ridge regression with the Gaussian kernel, and its loss to that model's, as 1/W.
* :func:`variance_limited_data`: variance-limited in data. A fixed model (least squares on P
  fixed features) learns a noisy target it cannot represent exactly; its loss approaches its
  infinite-data value as 1/D.

The manifold is the image of [0, 1]^d under a random smooth map into R^ambient (random
cosines of linear forms of the chart coordinates); the target is a random smooth function of
the ambient coordinates (a sum of sines of random linear forms), so smooth on the manifold.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from chinchilla_lib._validation import (
    as_positive_array,
    check_nonnegative,
    check_positive_int,
    single,
)
from chinchilla_lib.fitting.power import PowerLawFit, fit_power_law
from chinchilla_lib.simulate._limits import MAX_VALUES, check_count, check_mode, check_seed

__all__ = ["MANIFOLD_METHODS", "MANIFOLD_REGIMES", "MAX_MANIFOLD_DIM", "MAX_MANIFOLD_WORK",
           "ScalingCurve", "manifold_scaling", "predicted_manifold_exponent",
           "variance_limited_data", "variance_limited_width"]

MANIFOLD_METHODS = ("linear", "nearest")
"""The models :func:`manifold_scaling` simulates: piecewise linear, or piecewise constant."""
MANIFOLD_REGIMES = ("parameters", "data")
"""What grows in :func:`manifold_scaling`: the knots (model size) or the training points."""
MAX_MANIFOLD_DIM = 4
"""Largest intrinsic dimension simulated: at d = 5 the sizes a few seconds allow (N up to
about 10^5, so 10 knots a side) stay pre-asymptotic and a Delaunay triangulation grows as
D^(d/2) cells."""
MAX_MANIFOLD_WORK = 32_000_000
"""Most work one call may take, counted in stored or evaluated numbers: for the manifold
``(sum of sizes + len(sizes) * test_points) * ambient + len(sizes) * test_points * 2**dim``,
for the variance-limited model ``repeats * sum of sizes * features**2``. About a second on one
core."""

_TARGET_TERMS = 6
_EMBED_FREQUENCY = 0.5
_TARGET_FREQUENCY = 1.0
_REFERENCE_POINTS = 16_000


def predicted_manifold_exponent(dim: int, method: str = "linear") -> float:
    """The exponent alpha of MSE ~ N^(-alpha) for a model resolving a d-dimensional manifold.

    alpha = 4/d for a piecewise-linear model (Sharma & Kaplan 2022's prediction, in their
    abstract; the argument as in this module's docstring: cells of side s ~ N^(-1/d), an error
    O(s^2) inside a cell, squared by the mean squared error), and
    alpha = 2/d for a piecewise-constant (nearest-neighbour) model, whose error inside a cell is
    O(s). The same exponents hold with the training set size D in place of N when the model
    grows with the data (Bahri et al. 2024's resolution-limited regime in data).

    Parameters
    ----------
    dim
        Intrinsic dimension d of the manifold (whole number >= 1).
    method
        ``"linear"`` or ``"nearest"``.

    Examples
    --------
    >>> predicted_manifold_exponent(2), predicted_manifold_exponent(2, "nearest")
    (2.0, 1.0)
    """
    d = check_positive_int("dim", dim)
    check_mode("method", method, MANIFOLD_METHODS)
    return (4.0 if method == "linear" else 2.0) / d


@dataclass(frozen=True)
class ScalingCurve:
    """A simulated loss against a growing resource, and the exponent theory predicts.

    Attributes
    ----------
    sizes
        The resource: parameters N (knots), training points D, in increasing order.
    loss
        Mean squared error at each size (squared units of the target); for
        :func:`variance_limited_data` the excess over the infinite-data loss, L(D) - L(inf).
    predicted
        The predicted exponent alpha > 0 of loss ~ sizes^(-alpha).
    floor
        The loss's limit as the resource grows (0 for an interpolating model of a noiseless
        target; the best fixed model's loss for :func:`variance_limited_data`).
    label
        What was simulated, in words.
    """

    sizes: NDArray[np.float64]
    loss: NDArray[np.float64]
    predicted: float
    floor: float
    label: str

    def __post_init__(self) -> None:
        sizes = as_positive_array("sizes", self.sizes)
        loss = as_positive_array("loss", self.loss)
        if sizes.ndim != 1 or loss.shape != sizes.shape or sizes.size < 3:
            raise ValueError(f"sizes and loss must be 1-D, of the same length, at least 3; got "
                             f"shapes {sizes.shape} and {loss.shape}")
        object.__setattr__(self, "sizes", sizes)
        object.__setattr__(self, "loss", loss)
        object.__setattr__(self, "predicted",
                           single("predicted", as_positive_array("predicted", self.predicted)))
        object.__setattr__(self, "floor",
                           single("floor", check_nonnegative("floor", self.floor)))

    @property
    def fit(self) -> PowerLawFit:
        """The log-log least-squares fit of loss against sizes (:func:`fit_power_law`)."""
        return fit_power_law(self.sizes, self.loss)

    @property
    def exponent(self) -> float:
        """The fitted alpha (minus the fitted log-log slope), to set beside :attr:`predicted`."""
        return -float(self.fit.law.exponent)


def _problem(dim: int, ambient: int, rng: np.random.Generator):
    """A random smooth embedding of [0, 1]^dim into R^ambient and a smooth target on it."""
    freq = rng.normal(0.0, _EMBED_FREQUENCY, (dim, ambient)) * 2 * np.pi
    phase = rng.uniform(0, 2 * np.pi, ambient)
    direction = rng.normal(0.0, _TARGET_FREQUENCY, (ambient, _TARGET_TERMS))
    shift = rng.uniform(0, 2 * np.pi, _TARGET_TERMS)
    weight = rng.normal(0.0, 1.0, _TARGET_TERMS) / np.sqrt(_TARGET_TERMS)

    def embed(u: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.cos(u @ freq + phase) * np.sqrt(2.0 / ambient)

    def target(x: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.sin(x @ direction + shift) @ weight

    return embed, target


def _grid_model(u: NDArray[np.float64], values: NDArray[np.float64], side: int,
                method: str) -> NDArray[np.float64]:
    """Evaluate at u the model holding ``values`` (C order) at the side**dim grid knots."""
    dim = u.shape[1]
    scaled = u * (side - 1)
    strides = side ** np.arange(dim - 1, -1, -1)
    if method == "nearest":
        return values[np.rint(scaled).astype(np.int64) @ strides]
    cell = np.minimum(np.floor(scaled).astype(np.int64), side - 2)
    frac = scaled - cell
    out = np.zeros(u.shape[0])
    for corner in itertools.product((0, 1), repeat=dim):
        c = np.array(corner)
        weight = np.prod(np.where(c == 1, frac, 1.0 - frac), axis=1)
        out += weight * values[(cell + c) @ strides]
    return out


def _default_sizes(dim: int, regime: str) -> NDArray[np.float64]:
    if regime == "parameters":
        top = {1: 512, 2: 64, 3: 20, 4: 10}[dim]
        bottom = {1: 16, 2: 8, 3: 5, 4: 4}[dim]
        sides = np.unique(np.rint(np.geomspace(bottom, top, 8)).astype(int))
        return sides.astype(float) ** dim
    top = {1: 16_000, 2: 8_000, 3: 6_000, 4: 3_000}[dim]
    return np.rint(np.geomspace(top / 64, top, 7))


def manifold_scaling(dim: int, sizes: ArrayLike | None = None, *, method: str = "linear",
                     regime: str = "parameters", ambient: int = 16, test_points: int = 16_000,
                     seed: int = 0) -> ScalingCurve:
    """Mean squared error of a model resolving a smooth target on a d-dimensional manifold.

    Sharma & Kaplan 2022's argument (:func:`predicted_manifold_exponent`): with N
    parameters a piecewise-linear model reaches MSE ~ N^(-4/d), a piecewise-constant one
    N^(-2/d). See the module's docstring for the models.

    Parameters
    ----------
    dim
        Intrinsic dimension d (1 to :data:`MAX_MANIFOLD_DIM`).
    sizes
        The growing resource, at least three distinct values: parameters N for
        ``regime="parameters"`` (each rounded to a grid side**dim with side >= 2; the rounded
        counts are returned), training points D for ``regime="data"`` (whole numbers, at
        least 2**dim + 2; in the linear model the 2**dim corners of the chart are among them,
        so the triangulation covers it). Default: a range that is past the pre-asymptotic
        start and runs in well under a second.
    method
        ``"linear"`` (prediction 4/d) or ``"nearest"`` (prediction 2/d).
    regime
        ``"parameters"`` (resolution-limited in model size) or ``"data"`` (in data).
    ambient
        Dimension of the space the manifold is embedded in (whole number >= dim).
    test_points
        Points, uniform on the manifold, the MSE is averaged over (whole number >= 100).
    seed
        Seed of the manifold, the target, the training and test points (whole number >= 0).

    Returns
    -------
    ScalingCurve
        Its :attr:`~ScalingCurve.exponent` lands within 0.1 of the prediction at the default
        sizes for every d and method (tests/test_manifold.py; finite-size effects: boundary
        cells, the curvature of the target across a cell at the smallest sizes), except two
        cases of the data regime's linear model: d = 1 within 0.2 (the error is a mean of
        random gaps to the fifth power, heavy-tailed, so it moves with the seed), and d = 4,
        still pre-asymptotic at sizes a few seconds allow (0.87 measured against 1).

    Examples
    --------
    >>> curve = manifold_scaling(2)
    >>> print(f"fitted {curve.exponent:.2f}, predicted 4/d = {curve.predicted:.2f}")
    fitted 2.09, predicted 4/d = 2.00
    """
    d = check_positive_int("dim", dim)
    if d > MAX_MANIFOLD_DIM:
        raise ValueError(f"dim must be a whole number from 1 to {MAX_MANIFOLD_DIM}; got {d}")
    check_mode("method", method, MANIFOLD_METHODS)
    check_mode("regime", regime, MANIFOLD_REGIMES)
    amb = check_positive_int("ambient", ambient, minimum=d)
    tests = check_positive_int("test_points", test_points, minimum=100)
    rng = np.random.default_rng(check_seed(seed))
    raw = _default_sizes(d, regime) if sizes is None else as_positive_array("sizes", sizes)
    if raw.ndim != 1:
        raise ValueError(f"sizes must be 1-D; got shape {raw.shape}")
    check_count("sizes (the largest)", float(raw.max(initial=0.0)), MAX_MANIFOLD_WORK)
    if regime == "parameters":
        sides = np.unique(np.maximum(2, np.rint(raw ** (1.0 / d))).astype(np.int64))
        counts = sides.astype(float) ** d
    else:
        minimum = 2**d + 2
        if not np.all(raw == np.rint(raw)) or raw.min(initial=np.inf) < minimum:
            raise ValueError(f"sizes must be whole numbers >= {minimum} (2**dim + 2) in the data "
                             f"regime; got {raw.tolist()}")
        counts = np.unique(raw)
    if counts.size < 3:
        raise ValueError(f"sizes must give at least 3 distinct sizes; got {counts.tolist()}")
    corners = 2**d if method == "linear" else 1
    check_count("(sum of sizes + len(sizes) * test_points) * ambient + len(sizes) * "
                "test_points * 2**dim (the work)",
                (float(counts.sum()) + counts.size * tests) * amb + counts.size * tests * corners,
                MAX_MANIFOLD_WORK)
    embed, target = _problem(d, amb, rng)
    # The linear data model is scored inside [0.1, 0.9]^d: along the chart's faces a random
    # triangulation has long thin cells (no training point lies on a face), a boundary layer
    # whose error would otherwise dominate the mean.
    inner = 0.1 if (regime, method) == ("data", "linear") else 0.0
    u_test = rng.uniform(inner, 1.0 - inner, (tests, d))
    f_test = target(embed(u_test))
    mse = []
    for count in counts.astype(np.int64):
        if regime == "parameters":
            side = round(count ** (1.0 / d))
            axes = np.linspace(0.0, 1.0, side)
            knots = np.stack(np.meshgrid(*([axes] * d), indexing="ij"), axis=-1).reshape(-1, d)
            pred = _grid_model(u_test, target(embed(knots)), side, method)
        elif method == "nearest":
            from scipy.spatial import cKDTree

            u_train = rng.uniform(0.0, 1.0, (count, d))
            x_train = embed(u_train)
            _, nearest = cKDTree(x_train).query(embed(u_test))
            pred = target(x_train)[nearest]
        else:
            cube = np.array(list(itertools.product((0.0, 1.0), repeat=d)))
            u_train = np.vstack([cube, rng.uniform(0.0, 1.0, (count - cube.shape[0], d))])
            values = target(embed(u_train))
            if d == 1:
                order = np.argsort(u_train[:, 0])
                pred = np.interp(u_test[:, 0], u_train[order, 0], values[order])
            else:
                from scipy.interpolate import LinearNDInterpolator

                pred = LinearNDInterpolator(u_train, values)(u_test)
        mse.append(float(np.mean((pred - f_test) ** 2)))
    where = "knots on a grid" if regime == "parameters" else "random training points"
    label = (f"{'piecewise-linear' if method == 'linear' else 'nearest-neighbour'} model on a "
             f"{d}-dimensional manifold in R^{amb}, {where}")
    return ScalingCurve(counts, np.array(mse), predicted_manifold_exponent(d, method), 0.0,
                        label)


def variance_limited_data(sizes: ArrayLike | None = None, *, features: int = 8,
                          noise: float = 0.5, repeats: int = 100,
                          seed: int = 0) -> ScalingCurve:
    """Excess loss L(D) - L(inf) of a fixed model trained on D points: the variance-limited
    regime in data (Bahri et al. 2024), exponent 1.

    The model is least squares on P fixed features (random cosines of a point on a
    2-dimensional manifold), learning a target it cannot represent exactly (a smooth function
    as in :func:`manifold_scaling`) plus Gaussian label noise. The population is a fixed set of
    16,000 points on the manifold, so the best fixed model w* and the infinite-data loss are
    exact: L(w) - L(w*) = (w - w*)^T Sigma (w - w*) with Sigma the features' second moment.
    Training sets of D points are drawn from it, each label with fresh noise; the excess is
    averaged over ``repeats`` training sets. Its expansion in 1/D begins
    tr(Sigma^-1 G) / D, with G the covariance of one point's gradient (the noise and the
    misfit): the textbook asymptotics of least squares, our derivation, which is the
    variance-limited argument of Bahri et al. 2024 made exact for this model. The predicted
    exponent is 1 whatever the features and target.

    Parameters
    ----------
    sizes
        Training set sizes D, whole numbers >= features + 2, at least three distinct. Default:
        from 8 P to 256 P (the next term, of order P / D relative, bends the curve below
        that).
    features
        Number of fixed features P (whole number >= 1).
    noise
        Standard deviation of the label noise (>= 0, the target's units).
    repeats
        Training sets averaged at each size (whole number >= 1).
    seed
        Seed of the features, target, population, training sets and noise (whole number >= 0).

    Returns
    -------
    ScalingCurve
        ``loss`` is the excess L(D) - L(inf), ``floor`` is L(inf) (noise variance plus the best
        fixed model's misfit). The fitted exponent lies within 0.1 of 1 at the defaults
        (tests/test_manifold.py; the tolerance covers the averaging noise over 100 training
        sets and the O(P/D) pre-asymptotic term).

    Examples
    --------
    >>> curve = variance_limited_data()
    >>> print(f"fitted {curve.exponent:.2f}, predicted {curve.predicted:.0f}")
    fitted 1.05, predicted 1
    """
    p = check_positive_int("features", features)
    sigma = single("noise", check_nonnegative("noise", noise))
    reps = check_positive_int("repeats", repeats)
    rng = np.random.default_rng(check_seed(seed))
    check_count("features", p, 1_000)
    raw = (p * np.geomspace(8, 256, 6) if sizes is None
           else as_positive_array("sizes", sizes))
    if raw.ndim != 1:
        raise ValueError(f"sizes must be 1-D; got shape {raw.shape}")
    check_count("sizes (the largest)", float(raw.max(initial=0.0)), MAX_MANIFOLD_WORK)
    raw = np.rint(raw) if sizes is None else raw
    if not np.all(raw == np.rint(raw)) or raw.min(initial=np.inf) < p + 2:
        raise ValueError(f"sizes must be whole numbers >= features + 2 = {p + 2}; got "
                         f"{raw.tolist()}")
    counts = np.unique(raw)
    if counts.size < 3:
        raise ValueError(f"sizes must give at least 3 distinct sizes; got {counts.tolist()}")
    check_count("repeats * sum of sizes * features**2 (the work)",
                reps * float(counts.sum()) * p * p, MAX_MANIFOLD_WORK)
    embed, target = _problem(2, 16, rng)
    feat_freq = rng.normal(0.0, 1.0, (2, p)) * 2 * np.pi
    feat_phase = rng.uniform(0, 2 * np.pi, p)
    u = rng.uniform(0.0, 1.0, (_REFERENCE_POINTS, 2))
    psi = np.cos(u @ feat_freq + feat_phase)
    f = target(embed(u))
    sigma_matrix = psi.T @ psi / psi.shape[0]
    best = np.linalg.solve(sigma_matrix, psi.T @ f / psi.shape[0])
    floor = sigma**2 + float(np.mean((f - psi @ best) ** 2))
    excess = []
    for count in counts.astype(np.int64):
        rows = rng.integers(0, psi.shape[0], (reps, count))
        x = psi[rows]
        y = f[rows] + sigma * rng.standard_normal((reps, count))
        gram = np.einsum("rni,rnj->rij", x, x)
        w = np.linalg.solve(gram, np.einsum("rni,rn->ri", x, y)[..., None])[..., 0]
        delta = w - best
        excess.append(float(np.mean(np.einsum("ri,ij,rj->r", delta, sigma_matrix, delta))))
    return ScalingCurve(counts, np.array(excess), 1.0, floor,
                        f"least squares on {p} fixed features, noise {sigma:g}")


_KERNEL_SCALE = 4.0


def variance_limited_width(widths: ArrayLike | None = None, *, samples: int = 10,
                           ridge: float = 0.1, repeats: int = 100,
                           seed: int = 0) -> ScalingCurve:
    """Excess loss L(W) - L(inf) of a random-features model of width W on a fixed training set:
    the variance-limited regime in model size (Bahri et al. 2024), exponent 1.

    The model is ridge regression on W random Fourier features sqrt(2/W) cos(omega u + b) of a
    point u of a 1-dimensional manifold (omega normal with standard deviation 4, b uniform),
    fitted to ``samples`` fixed points of the noiseless target of :func:`manifold_scaling`. As W
    grows it tends to kernel ridge regression with the Gaussian kernel exp(-16 (u - u')^2 / 2),
    whose test loss is L(inf), computed exactly. L(W) is averaged over ``repeats`` draws of the
    features; the expansion of its mean in 1/W begins with the first power (the kernel's
    fluctuation is of order W^(-1/2), and it enters the mean loss squared, or through the mean
    prediction's bias of order 1/W).

    Parameters
    ----------
    widths
        Widths W (whole numbers >= 1), at least three distinct. Default: the powers of 2 from
        32 to 1024 (below about 32 the excess still bends towards 1/W).
    samples
        Training points D, held fixed (whole number >= 2).
    ridge
        Ridge penalty lambda > 0 added to the kernel matrix (K + lambda I).
    repeats
        Feature draws averaged at each width (whole number >= 1).
    seed
        Seed of the target, training and test points and features (whole number >= 0).

    Returns
    -------
    ScalingCurve
        ``loss`` is the size of L(W) - L(inf) (the 1/W coefficient can have either sign: a
        finite width can beat the kernel limit; the label says which), ``floor`` is L(inf).
        The fitted exponent lies within 0.15 of 1 at the defaults (tests/test_manifold.py;
        measured 0.90 to 1.07 over seeds 0 to 7: the next term, of order 1/W^2, and the
        averaging noise left by the control variate).
        The test loss is averaged over 50 test points.

    Examples
    --------
    >>> curve = variance_limited_width()
    >>> curve.predicted
    1.0
    """
    d = check_positive_int("samples", samples, minimum=2)
    lam = single("ridge", as_positive_array("ridge", ridge))
    reps = check_positive_int("repeats", repeats)
    rng = np.random.default_rng(check_seed(seed))
    check_count("samples", d, 1_000)
    raw = (2.0 ** np.arange(5, 11) if widths is None
           else as_positive_array("widths", widths))
    if raw.ndim != 1:
        raise ValueError(f"widths must be 1-D; got shape {raw.shape}")
    check_count("widths (the largest)", float(raw.max(initial=0.0)), MAX_MANIFOLD_WORK)
    if not np.all(raw == np.rint(raw)):
        raise ValueError(f"widths must be whole numbers >= 1; got {raw.tolist()}")
    counts = np.unique(raw)
    if counts.size < 3:
        raise ValueError(f"widths must give at least 3 distinct widths; got {counts.tolist()}")
    tests = 50
    check_count("repeats * (samples + 50) * the largest width (the numbers drawn)",
                reps * float(counts.max()) * (d + tests), MAX_VALUES)
    check_count("repeats * sum of widths * (samples + 50) * samples (the work)",
                reps * float(counts.sum()) * (d + tests) * d, MAX_MANIFOLD_WORK * 10)
    embed, target = _problem(1, 16, rng)
    u = rng.uniform(0.0, 1.0, d)
    u_test = rng.uniform(0.0, 1.0, tests)
    y = target(embed(u[:, None]))
    f_test = target(embed(u_test[:, None]))
    scale = _KERNEL_SCALE

    def gaussian(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.exp(-0.5 * scale**2 * (a[:, None] - b[None, :]) ** 2)

    kernel, kernel_test = gaussian(u, u) + lam * np.eye(d), gaussian(u_test, u)
    alpha = np.linalg.solve(kernel, y)
    limit = kernel_test @ alpha
    floor = float(np.mean((limit - f_test) ** 2))
    # The response of the limit model to a kernel perturbation, solved once: the prediction's
    # first-order change is (dk_test - kernel_test kernel^-1 dK) alpha.
    back = np.linalg.solve(kernel, kernel_test.T).T
    excess = []
    for width in counts.astype(np.int64):
        omega = rng.normal(0.0, scale, (reps, 1, width))
        phase = rng.uniform(0.0, 2 * np.pi, (reps, 1, width))
        train = np.sqrt(2.0 / width) * np.cos(u[None, :, None] * omega + phase)
        test = np.sqrt(2.0 / width) * np.cos(u_test[None, :, None] * omega + phase)
        k_train = train @ train.transpose(0, 2, 1)
        k_test = test @ train.transpose(0, 2, 1)
        coef = np.linalg.solve(k_train + lam * np.eye(d),
                               np.broadcast_to(y, (reps, d))[..., None])
        pred = (k_test @ coef)[..., 0]
        # Control variate: the first-order change of the prediction has mean exactly zero
        # (the random-features kernel is unbiased), so subtracting its cross term with the
        # limit's error leaves the mean unchanged and removes most of the averaging noise.
        first = (k_test - kernel_test) @ alpha - ((k_train - kernel + lam * np.eye(d))
                                                   @ alpha) @ back.T
        loss = np.mean((pred - f_test) ** 2, axis=1)
        cross = 2.0 * np.mean((limit - f_test) * first, axis=1)
        excess.append(float(np.mean(loss - cross)) - floor)
    values = np.array(excess)
    if not (np.all(values > 0) or np.all(values < 0)):
        raise ValueError(f"the excess loss L(W) - L(inf) changes sign across the widths "
                         f"({values.tolist()}): the 1/W term is not yet dominant there, or the "
                         f"averaging noise exceeds it; use larger widths or more repeats")
    sign = "above" if values[0] > 0 else "below"
    return ScalingCurve(counts, np.abs(values), 1.0, floor,
                        f"ridge regression on random Fourier features, {d} fixed points "
                        f"(the finite-width loss lies {sign} the limit's)")
