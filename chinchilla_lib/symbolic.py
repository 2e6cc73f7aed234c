"""Derivations in closed form with sympy, returned as expressions for the book.

sympy is imported inside each function, so ``import chinchilla_lib`` stays fast. Every
symbol is declared positive, which lets sympy simplify powers and logarithms.

The numeric functions of the library are tested against these expressions
(``tests/test_symbolic.py``), so the book's algebra and the library's numbers cannot drift
apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "ChinchillaDerivation",
    "CriticalBatchDerivation",
    "InferenceDerivation",
    "KaplanDerivation",
    "KaplanLearningCurveDerivation",
    "PearceLocalExponent",
    "PowerLawDerivation",
    "QuantaDerivation",
    "TrainingFlopsDerivation",
    "approach2_vertex_shift",
    "bnsl_local_slope",
    "chinchilla_derivation",
    "critical_batch_derivation",
    "densing_inverses",
    "encoder_decoder_split",
    "equation",
    "exact_match_shift",
    "flops_matched_multiplier",
    "inference_optimum_condition",
    "kaplan_derivation",
    "kaplan_joint_optimum_penalty",
    "kaplan_learning_curve_derivation",
    "markov_two_state",
    "pearce_inverse",
    "pearce_local_exponent",
    "power_law_derivation",
    "quanta_derivation",
    "relation",
    "training_flops_derivation",
]


def _flops_per_param_token() -> tuple[Any, Any]:
    """The 6 of C = 6ND and the 2 of 2N FLOPs per token at inference, as exact sympy numbers
    read from :data:`chinchilla_lib.quantities.FLOPS_PER_PARAM_TOKEN` (6.0 becomes 6)."""
    import sympy as sp

    from chinchilla_lib.quantities import FLOPS_PER_PARAM_TOKEN, FORWARD_FLOPS_PER_PARAM_TOKEN

    return sp.nsimplify(FLOPS_PER_PARAM_TOKEN), sp.nsimplify(FORWARD_FLOPS_PER_PARAM_TOKEN)


@dataclass(frozen=True)
class TrainingFlopsDerivation:
    """The steps from a transformer's shape to C = 6ND, each a sympy expression.

    Attributes
    ----------
    symbols
        The sympy symbols by name: ``N``, ``D``, ``n_layer``, ``d_model``, ``d_attn``,
        ``d_ff``, ``n_ctx``.
    non_embedding_params
        Kaplan et al.'s Eq. 2.1 before the standard shape is imposed,
        ``2 d_model n_layer (2 d_attn + d_ff)``.
    non_embedding_params_standard
        The same with ``d_attn = d_model`` and ``d_ff = 4 d_model``: ``12 n_layer d_model^2``.
    forward_per_token
        ``2N + 2 n_layer n_ctx d_attn`` FLOPs.
    training_per_token
        Forward plus a backward pass that costs twice the forward.
    training_total
        Training FLOPs for D tokens with the attention term dropped: ``6 N D``.
    attention_to_dense_ratio
        The neglected attention term over the ``2N`` term, for the standard shape:
        ``n_ctx / (12 d_model)``.
    """

    symbols: dict[str, Any]
    non_embedding_params: Any
    non_embedding_params_standard: Any
    forward_per_token: Any
    training_per_token: Any
    training_total: Any
    attention_to_dense_ratio: Any


def training_flops_derivation() -> TrainingFlopsDerivation:
    """Derive C = 6ND and the size of the attention term it neglects.

    Returns
    -------
    TrainingFlopsDerivation
        The expressions of each step (sympy objects).
    """
    import sympy as sp

    n_params, n_tokens = sp.symbols("N D", positive=True)
    n_layer, d_model, d_attn, d_ff, n_ctx = sp.symbols(
        "n_layer d_model d_attn d_ff n_ctx", positive=True)

    # Per layer: Q, K, V and output projections (4 d_model d_attn) and two MLP matrices.
    params = n_layer * (4 * d_model * d_attn + 2 * d_model * d_ff)
    params_standard = sp.factor(params.subs({d_attn: d_model, d_ff: 4 * d_model}))

    forward = 2 * n_params + 2 * n_layer * n_ctx * d_attn
    training = sp.expand(3 * forward)  # backward = 2 x forward
    total_dense = sp.expand(training.subs(n_ctx, 0) * n_tokens)

    ratio = sp.simplify((2 * n_layer * n_ctx * d_attn).subs(d_attn, d_model)
                        / (2 * params_standard))

    return TrainingFlopsDerivation(
        symbols={"N": n_params, "D": n_tokens, "n_layer": n_layer, "d_model": d_model,
                 "d_attn": d_attn, "d_ff": d_ff, "n_ctx": n_ctx},
        non_embedding_params=sp.factor(params),
        non_embedding_params_standard=params_standard,
        forward_per_token=forward,
        training_per_token=training,
        training_total=total_dense,
        attention_to_dense_ratio=ratio,
    )


def equation(lhs: str, expr: Any) -> Any:
    """Display ``lhs = expr`` as typeset math in a notebook (and in the built book).

    Parameters
    ----------
    lhs
        LaTeX for the left-hand side, for example ``r"C_\\text{train}"``.
    expr
        A sympy expression.

    Returns
    -------
    IPython.display.Math
    """
    import sympy as sp
    from IPython.display import Math

    return Math(f"{lhs} = {sp.latex(expr)}")


def relation(eq: Any) -> Any:
    """Display a sympy equation (``sympy.Eq``) with both sides as sympy typesets them.

    Use it where the left-hand side is itself derived, so that no side is typed by hand.

    Parameters
    ----------
    eq
        A ``sympy.Eq``.

    Returns
    -------
    IPython.display.Math

    Raises
    ------
    ValueError
        If ``eq`` is not a sympy equation.
    """
    import sympy as sp
    from IPython.display import Math

    if not isinstance(eq, sp.Equality):
        raise ValueError(f"eq must be a sympy Eq; got {type(eq).__name__}")
    return Math(sp.latex(eq))


@dataclass(frozen=True)
class KaplanDerivation:
    """Kaplan et al.'s L(N, D) minimised under C = 6ND, and its over-fitting boundary.

    Attributes
    ----------
    symbols
        ``N``, ``D``, ``C``, ``alpha_N``, ``alpha_D``, ``N_c``, ``D_c``, ``delta``.
    loss
        L(N, D).
    loss_on_budget
        L(N, C / (6N)): the loss along a compute budget, a function of N alone.
    n_opt, d_opt
        The minimiser in closed form.
    n_opt_exponent
        d log N_opt / d log C = alpha_D / (alpha_N + alpha_D).
    d_min_overfit
        The D at which L(N, D) = (1 + delta) L(N, infinity).
    """

    symbols: dict[str, Any]
    loss: Any
    loss_on_budget: Any
    n_opt: Any
    d_opt: Any
    n_opt_exponent: Any
    d_min_overfit: Any


def kaplan_derivation() -> KaplanDerivation:
    """Minimise Kaplan et al.'s L(N, D) on a compute budget, and solve for over-fitting.

    Because L = (inner)^alpha_D with alpha_D > 0, minimising L is minimising the inner sum
    (N_c/N)^(alpha_N/alpha_D) + 6 D_c N / C, whose derivative in N has one root.
    """
    import sympy as sp
    six, _ = _flops_per_param_token()

    n, d, c = sp.symbols("N D C", positive=True)
    a_n, a_d, n_c, d_c, delta = sp.symbols("alpha_N alpha_D N_c D_c delta", positive=True)
    inner = (n_c / n) ** (a_n / a_d) + d_c / d
    loss = inner**a_d
    inner_on_budget = inner.subs(d, c / (six * n))
    (n_opt,) = sp.solve(sp.Eq(sp.diff(inner_on_budget, n), 0), n)
    n_opt = sp.simplify(n_opt)
    d_opt = sp.simplify(c / (six * n_opt))
    exponent = sp.simplify(sp.diff(sp.log(n_opt), c) * c)
    ratio = sp.simplify(loss / ((n_c / n) ** a_n))
    (d_min,) = sp.solve(sp.Eq(ratio, 1 + delta), d)
    return KaplanDerivation(
        symbols={"N": n, "D": d, "C": c, "alpha_N": a_n, "alpha_D": a_d, "N_c": n_c,
                 "D_c": d_c, "delta": delta},
        loss=loss,
        loss_on_budget=loss.subs(d, c / (six * n)),
        n_opt=n_opt,
        d_opt=d_opt,
        n_opt_exponent=exponent,
        d_min_overfit=sp.simplify(d_min),
    )


def kaplan_joint_optimum_penalty() -> tuple[dict[str, Any], Any]:
    """The loss penalty delta = L / L(N, infinity) - 1 at the optimum of L(N, D) on C = 6ND.

    At the optimum the stationarity condition fixes the finite-data term D_c / D at
    alpha_N / alpha_D times the model term, whatever the budget, so delta is a constant.

    Returns
    -------
    tuple
        (symbols, delta) with delta = (1 + alpha_N / alpha_D)^alpha_D - 1, simplified.
    """
    import sympy as sp
    six, _ = _flops_per_param_token()

    k = kaplan_derivation()
    n, d, c = k.symbols["N"], k.symbols["D"], k.symbols["C"]
    a_n, a_d = k.symbols["alpha_N"], k.symbols["alpha_D"]
    n_c, d_c = k.symbols["N_c"], k.symbols["D_c"]
    # L / L(N, infinity) = (1 + data term / model term)^alpha_D, since
    # L(N, infinity)^(1/alpha_D) is the model term (N_c/N)^(alpha_N/alpha_D).
    terms = ((d_c / d) / (n_c / n) ** (a_n / a_d)).subs(d, c / (six * n)).subs(n, k.n_opt)
    terms = sp.simplify(sp.powsimp(sp.expand_power_base(terms, force=True), force=True))
    delta = (1 + terms) ** a_d - 1
    return k.symbols, delta


@dataclass(frozen=True)
class KaplanLearningCurveDerivation:
    """Kaplan et al.'s own route to N proportional to C^0.73: L(N, S_min) with B_crit(L).

    Attributes
    ----------
    symbols
        ``N``, ``L``, ``alpha_N``, ``alpha_S``, ``alpha_B``, ``N_c``, ``S_c``, ``B_star``.
    steps
        S_min(N, L): the steps a model of N parameters needs to reach L (Eq. 1.6 solved).
    min_compute
        C_min(N, L) = 6 N B_crit(L) S_min(N, L).
    loss_at_optimum
        The L at which N is the compute-efficient size: (1 + alpha_N/alpha_S)(N_c/N)^alpha_N
        (Eq. B.5).
    alpha_c_min
        -d log L / d log C_min along the frontier: 1 / (1/alpha_S + 1/alpha_B + 1/alpha_N).
    n_opt_exponent
        d log N / d log C_min along the frontier: alpha_C^min / alpha_N.
    """

    symbols: dict[str, Any]
    steps: Any
    min_compute: Any
    loss_at_optimum: Any
    alpha_c_min: Any
    n_opt_exponent: Any


def kaplan_learning_curve_derivation() -> KaplanLearningCurveDerivation:
    """Minimise the compute to reach a loss L over N, with L(N, S_min) and B_crit(L).

    Fixing L and minimising C_min over N traces the same frontier as fixing C_min and
    minimising L (Kaplan et al., Appendix B). Solving L = (N_c/N)^alpha_N + (S_c/S)^alpha_S
    for S gives C_min(N, L) = 6 N (B_*/L^(1/alpha_B)) S; setting d log C_min / d log N = 0
    gives the frontier's loss, and the slopes of log N and log C_min against log L give the
    exponents.
    """
    import sympy as sp
    six, _ = _flops_per_param_token()

    n, loss = sp.symbols("N L", positive=True)
    a_n, a_s, a_b = sp.symbols("alpha_N alpha_S alpha_B", positive=True)
    n_c, s_c, b_star = sp.symbols("N_c S_c B_star", positive=True)
    converged = (n_c / n) ** a_n
    steps = s_c * (loss - converged) ** (-1 / a_s)
    c_min = six * n * (b_star / loss ** (1 / a_b)) * steps
    stationarity = sp.simplify(sp.diff(sp.log(c_min), n) * n)
    (loss_opt,) = sp.solve(sp.Eq(stationarity, 0), loss)
    loss_opt = sp.factor(sp.simplify(loss_opt))
    # Along the frontier N is a function of L: invert L = (1 + a_n/a_s)(N_c/N)^a_n.
    (n_of_l,) = sp.solve(sp.Eq(loss, loss_opt), n)
    c_on_frontier = c_min.subs(n, n_of_l)
    dlogc_dlogl = sp.simplify(sp.expand_log(
        sp.diff(sp.expand_log(sp.log(c_on_frontier), force=True), loss) * loss, force=True))
    dlogn_dlogl = sp.simplify(sp.diff(sp.expand_log(sp.log(n_of_l), force=True), loss) * loss)
    alpha_c = sp.simplify(-1 / dlogc_dlogl)
    return KaplanLearningCurveDerivation(
        symbols={"N": n, "L": loss, "alpha_N": a_n, "alpha_S": a_s, "alpha_B": a_b,
                 "N_c": n_c, "S_c": s_c, "B_star": b_star},
        steps=steps,
        min_compute=c_min,
        loss_at_optimum=loss_opt,
        alpha_c_min=alpha_c,
        n_opt_exponent=sp.simplify(dlogn_dlogl / dlogc_dlogl),
    )


@dataclass(frozen=True)
class PowerLawDerivation:
    """Why a power law is a line on log-log axes, and what a floor and a constant do.

    Attributes
    ----------
    symbols
        ``x``, ``y``, ``a``, ``a_1``, ``a_2``, ``k`` (negative), ``alpha`` (positive),
        ``floor``.
    log_form
        log(a x^k) expanded: log a + k log x, a line of slope k in log x.
    inverse
        The x at which a x^(-alpha) reaches y.
    data_multiplier
        How many times more x a law with constant a_2 needs than one with a_1 to reach the
        same y, at the same exponent: (a_2 / a_1)^(1/alpha).
    saturating_slope
        d log y / d log x of y = floor + a x^k: k a x^k / (floor + a x^k).
    """

    symbols: dict[str, Any]
    log_form: Any
    inverse: Any
    data_multiplier: Any
    saturating_slope: Any


def power_law_derivation() -> PowerLawDerivation:
    """Derive the log-log line, the inverse, the constant's data multiplier and the floor's
    effect on the local slope."""
    import sympy as sp

    x, y, a, a_1, a_2, alpha, floor = sp.symbols("x y a a_1 a_2 alpha floor", positive=True)
    k = sp.symbols("k", negative=True)
    log_form = sp.expand_log(sp.log(a * x**k), force=True)
    (inverse,) = sp.solve(sp.Eq(y, a * x**-alpha), x)
    x_1 = inverse.subs(a, a_1)
    x_2 = inverse.subs(a, a_2)
    multiplier = sp.simplify(sp.powsimp(x_2 / x_1, force=True))
    saturating = floor + a * x**k
    slope = sp.simplify(sp.diff(sp.log(saturating), x) * x)
    return PowerLawDerivation(
        symbols={"x": x, "y": y, "a": a, "a_1": a_1, "a_2": a_2, "k": k, "alpha": alpha,
                 "floor": floor},
        log_form=log_form,
        inverse=sp.simplify(inverse),
        data_multiplier=multiplier,
        saturating_slope=slope,
    )


@dataclass(frozen=True)
class ChinchillaDerivation:
    """Hoffmann et al.'s law minimised under C = 6ND with a Lagrange multiplier.

    Attributes
    ----------
    symbols
        ``N``, ``D``, ``C``, ``E``, ``A``, ``B``, ``alpha``, ``beta``, ``lambda``.
    loss
        E + A N^-alpha + B D^-beta.
    lagrangian
        loss + lambda (6 N D - C).
    partials
        The two first-order conditions, ``Eq(dL/dN, 0)`` and ``Eq(dL/dD, 0)`` of the
        Lagrangian.
    stationarity
        What is left of them once lambda is eliminated (solve the first for lambda, put it in
        the second, multiply by D): ``Eq(alpha A N^-alpha, beta B D^-beta)``.
    n_opt, d_opt
        The optimum in closed form.
    g, a, b
        G, a = beta/(alpha+beta), b = alpha/(alpha+beta) with N_opt = G (C/6)^a.
    loss_opt
        L at the optimum, as a function of C.
    """

    symbols: dict[str, Any]
    loss: Any
    lagrangian: Any
    partials: tuple[Any, Any]
    stationarity: Any
    n_opt: Any
    d_opt: Any
    g: Any
    a: Any
    b: Any
    loss_opt: Any


def chinchilla_derivation() -> ChinchillaDerivation:
    """Minimise E + A/N^alpha + B/D^beta subject to 6ND = C.

    The two first-order conditions of the Lagrangian, with lambda eliminated, give
    alpha A N^-alpha = beta B D^-beta (both equal 6 lambda N D); substituting D = C/(6N)
    leaves one equation in N, solved in closed form.
    """
    import sympy as sp
    six, _ = _flops_per_param_token()

    n, d, c = sp.symbols("N D C", positive=True)
    e, a_, b_, alpha, beta, lam = sp.symbols("E A B alpha beta lambda", positive=True)
    loss = e + a_ / n**alpha + b_ / d**beta
    lagrangian = loss + lam * (six * n * d - c)
    d_n, d_d = sp.diff(lagrangian, n), sp.diff(lagrangian, d)
    # Eliminate lambda: solve dL/dN = 0 for it, substitute into dL/dD = 0, multiply by D.
    (lam_n,) = sp.solve(d_n, lam)
    balance = sp.expand(sp.powsimp(sp.expand(d_d.subs(lam, lam_n) * d), force=True))
    gains = [t for t in sp.Add.make_args(balance) if not t.could_extract_minus_sign()]
    costs = [-t for t in sp.Add.make_args(balance) if t.could_extract_minus_sign()]
    condition = sp.Eq(sp.Add(*gains), sp.Add(*costs))
    # Along the budget D = C / (6N): solve in logarithms, where the equation is linear.
    log_n = sp.symbols("ell", real=True)
    on_budget = sp.expand_log(sp.log(condition.lhs) - sp.log(condition.rhs.subs(d, c / (six * n))),
                              force=True).subs(sp.log(n), log_n)
    (log_n_opt,) = sp.solve(on_budget, log_n)
    n_opt = sp.simplify(sp.exp(log_n_opt))
    d_opt = sp.simplify(c / (six * n_opt))
    g = (alpha * a_ / (beta * b_)) ** (1 / (alpha + beta))
    a_exp = beta / (alpha + beta)
    b_exp = alpha / (alpha + beta)
    return ChinchillaDerivation(
        symbols={"N": n, "D": d, "C": c, "E": e, "A": a_, "B": b_, "alpha": alpha, "beta": beta,
                 "lambda": lam},
        loss=loss,
        lagrangian=lagrangian,
        partials=(sp.Eq(d_n, 0), sp.Eq(d_d, 0)),
        stationarity=condition,
        n_opt=n_opt,
        d_opt=d_opt,
        g=g,
        a=a_exp,
        b=b_exp,
        loss_opt=sp.simplify(loss.subs({n: n_opt, d: d_opt})),
    )


def pearce_inverse() -> tuple[dict[str, Any], Any]:
    """Non-embedding parameters from total ones in Pearce and Song's model.

    N_T = N_E + omega N_E^(1/3); with u = N_E^(1/3) this is the depressed cubic
    u^3 + omega u - N_T = 0, which has exactly one real root (its discriminant is negative
    for omega > 0).

    Returns
    -------
    (dict, sympy expression)
        The symbols (``N_T``, ``omega``) and N_E as a function of them.
    """
    import sympy as sp

    n_total, omega = sp.symbols("N_T omega", positive=True)
    u = sp.symbols("u", real=True)
    real_roots = [r for r in sp.solve(sp.Eq(u**3 + omega * u - n_total, 0), u)
                  if r.is_real is not False]
    root = sp.simplify(real_roots[0])
    return {"N_T": n_total, "omega": omega}, root**3


@dataclass(frozen=True)
class PearceLocalExponent:
    """The local exponent of the compute-optimal frontier counted in non-embedding terms.

    The truth is Hoffmann et al.'s law in total parameters, N_T = N + omega N^(1/3) with N the
    non-embedding count, and compute is counted as C = 6 N D (Kaplan et al.'s way).

    Attributes
    ----------
    symbols
        ``N`` (non-embedding parameters), ``C`` (non-embedding FLOPs), ``omega``, ``A``,
        ``B``, ``alpha``, ``beta`` and ``r`` = N^(2/3) / omega, the ratio of non-embedding to
        embedding parameters.
    condition
        d L / d N = 0 at fixed C: the first-order condition of the optimum.
    budget
        C(N): the budget at which N is the optimal size (the condition solved for C).
    exponent
        d log N / d log C along the frontier, as a function of N.
    exponent_in_ratio
        The same as a function of r alone (omega, A and B drop out).
    small_limit, large_limit
        The exponent as N -> 0 (embeddings dominate) and N -> infinity (they vanish).
    peak_ratio
        The r at which the exponent is largest; the peak sits at N = (omega r)^(3/2).
    """

    symbols: dict[str, Any]
    condition: Any
    budget: Any
    exponent: Any
    exponent_in_ratio: Any
    small_limit: Any
    large_limit: Any
    peak_ratio: Any


def pearce_local_exponent() -> PearceLocalExponent:
    """Derive the local exponent of N_opt against C in non-embedding terms, its limits and peak.

    Pearce and Song (2024) give the same result numerically (their code's ``fn_g`` is the
    reciprocal of the exponent); here each step is a sympy expression.
    """
    import sympy as sp
    six, _ = _flops_per_param_token()

    n, c, omega, a, b, alpha, beta, r = sp.symbols("N C omega A B alpha beta r", positive=True)
    n_total = n + omega * n ** sp.Rational(1, 3)
    loss = a * n_total**-alpha + b * (c / (six * n)) ** -beta
    condition = sp.diff(loss, n)
    # The condition reads alpha A N_T^(-alpha-1) N_T' = beta B (6/C)^beta N^(beta-1): a single
    # power of C, so it has one positive root (checked in tests/test_symbolic.py).
    (budget,) = sp.solve(sp.Eq(alpha * a * n_total ** (-alpha - 1) * sp.diff(n_total, n),
                               beta * b * (six / c) ** beta * n ** (beta - 1)), c)
    log_slope = sp.simplify(sp.diff(sp.log(budget), n) * n)  # d log C / d log N
    exponent = sp.simplify(1 / log_slope)
    in_ratio = sp.simplify(exponent.subs(n, (omega * r) ** sp.Rational(3, 2)))
    small = sp.simplify(sp.limit(in_ratio, r, 0))
    large = sp.simplify(sp.limit(in_ratio, r, sp.oo))
    stationary = sp.solve(sp.Eq(sp.diff(1 / in_ratio, r), 0), r)
    peak = sp.simplify(next(s for s in stationary if s.subs({alpha: sp.Rational(1, 3)}) > 0))
    return PearceLocalExponent(
        symbols={"N": n, "C": c, "omega": omega, "A": a, "B": b, "alpha": alpha,
                 "beta": beta, "r": r},
        condition=condition, budget=budget, exponent=exponent, exponent_in_ratio=in_ratio,
        small_limit=small, large_limit=large, peak_ratio=peak)


@dataclass(frozen=True)
class InferenceDerivation:
    """The inference-aware optimum of Sardana et al. (2024), in closed form where it exists.

    Attributes
    ----------
    symbols
        ``N``, ``ell`` (target loss), ``I`` (inference tokens), ``E``, ``A``, ``B``,
        ``alpha``, ``beta``.
    tokens
        D_train(N): the training tokens that reach the target loss, from the law.
    cost
        6 N D_train(N) + 2 N I, FLOPs.
    condition
        d cost / d N, whose root is the optimum (solved numerically).
    """

    symbols: dict[str, Any]
    tokens: Any
    cost: Any
    condition: Any


def inference_optimum_condition() -> InferenceDerivation:
    """Derive the total cost along the iso-loss curve and its stationarity condition."""
    import sympy as sp
    six, two = _flops_per_param_token()

    n, ell, inference = sp.symbols("N ell I", positive=True)
    e, a_, b_, alpha, beta = sp.symbols("E A B alpha beta", positive=True)
    tokens = (b_ / (ell - e - a_ * n**-alpha)) ** (1 / beta)
    cost = six * n * tokens + two * n * inference
    return InferenceDerivation(
        symbols={"N": n, "ell": ell, "I": inference, "E": e, "A": a_, "B": b_,
                 "alpha": alpha, "beta": beta},
        tokens=tokens,
        cost=cost,
        condition=sp.simplify(sp.diff(cost, n)),
    )


def inference_first_order_ratio() -> tuple[dict[str, Any], Any]:
    """The inference-aware optimum as a ratio of marginal terms (Sardana et al.'s problem).

    Setting d/dN [6 N D(N) + 2 N I] = 0 along L(N, D(N)) = ell and using
    ell - E - A N^-alpha = B D^-beta gives

        alpha A N^-alpha / (beta B D^-beta) = 1 + I / (3 D),

    which is Chinchilla's condition (ratio 1) when I = 0. Returns the symbols and the
    left-hand side minus the right-hand side, expressed in N and D, which vanishes at the
    optimum.
    """
    import sympy as sp
    six, _ = _flops_per_param_token()

    n, d, inference = sp.symbols("N D I", positive=True)
    e, a_, b_, alpha, beta = sp.symbols("E A B alpha beta", positive=True)
    derivation = inference_optimum_condition()
    s = derivation.symbols
    # On the iso-loss curve ell = E + A N^-alpha + B D^-beta; substitute it into dcost/dN.
    ell = e + a_ * n**-alpha + b_ * d**-beta
    condition = derivation.condition.subs({s["N"]: n, s["I"]: inference, s["E"]: e,
                                           s["A"]: a_, s["B"]: b_, s["alpha"]: alpha,
                                           s["beta"]: beta}).subs(s["ell"], ell)
    # dcost/dN = 6 D (1 - ratio) + 2 I, so ratio - 1 - I/(3D) = -condition / (6 D).
    residual = sp.simplify(-condition / (six * d))
    return ({"N": n, "D": d, "I": inference, "E": e, "A": a_, "B": b_, "alpha": alpha,
             "beta": beta}, residual)


def overtraining_form() -> tuple[dict[str, Any], Any, Any]:
    """Rewrite E + A/N^alpha + B/D^beta in compute C = 6ND and token multiplier M = D/N.

    Returns
    -------
    (dict, sympy expression, sympy expression)
        The symbols (``C``, ``M``, ``E``, ``A``, ``B``, ``alpha``, ``beta``, ``eta``), the
        loss in (C, M) for any exponents, and the same with alpha = beta = 2 eta, which is
        Gadre et al.'s form E + (A 6^eta M^eta + B 6^eta M^-eta) C^-eta.
    """
    import sympy as sp
    six, _ = _flops_per_param_token()

    c, m = sp.symbols("C M", positive=True)
    e, a_, b_, alpha, beta, eta = sp.symbols("E A B alpha beta eta", positive=True)
    n = sp.sqrt(c / (six * m))
    d = sp.sqrt(c * m / six)
    general = e + a_ * n**-alpha + b_ * d**-beta
    equal = sp.expand(sp.powsimp(sp.expand_power_base(
        general.subs({alpha: 2 * eta, beta: 2 * eta}), force=True), force=True))
    return ({"C": c, "M": m, "E": e, "A": a_, "B": b_, "alpha": alpha, "beta": beta,
             "eta": eta}, general, equal)


def bnsl_local_slope(n_breaks: int = 1) -> tuple[dict[str, Any], Any]:
    """d log(y - a) / d log x of a broken power law with ``n_breaks`` breaks.

    Returns
    -------
    (dict, sympy expression)
        The symbols (``x``, ``b``, ``c0`` and ``c_i``, ``d_i``, ``f_i``) and the slope.
    """
    import sympy as sp

    x, b = sp.symbols("x b", positive=True)
    c0 = sp.symbols("c0", real=True)
    symbols: dict[str, Any] = {"x": x, "b": b, "c0": c0}
    reducible = b * x**-c0
    for i in range(1, n_breaks + 1):
        c = sp.symbols(f"c{i}", real=True)
        d, f = sp.symbols(f"d{i} f{i}", positive=True)
        symbols.update({f"c{i}": c, f"d{i}": d, f"f{i}": f})
        reducible *= (1 + (x / d) ** (1 / f)) ** (-c * f)
    slope = sp.simplify(sp.diff(sp.log(reducible), x) * x)
    return symbols, slope


def exact_match_shift() -> tuple[dict[str, Any], Any]:
    """The size N' at which per-token accuracy equals exact match on k tokens at size N.

    Solves exp(-(N'/N_c)^(-alpha)) = exp(-k (N/N_c)^(-alpha)) for N'.

    Returns
    -------
    (dict, sympy expression)
        The symbols (``N``, ``N_c``, ``alpha``, ``k``) and N' as a function of them; the
        shift is N / N' = k^(1/alpha), log10(k)/alpha decades.
    """
    import sympy as sp

    n, n_c, alpha, k, n_prime = sp.symbols("N N_c alpha k N'", positive=True)
    token_loss = (n / n_c) ** -alpha
    equal = sp.Eq((n_prime / n_c) ** -alpha, k * token_loss)
    (solution,) = sp.solve(equal, n_prime)
    return {"N": n, "N_c": n_c, "alpha": alpha, "k": k}, sp.simplify(solution)

def approach2_vertex_shift(points: int = 5) -> tuple[dict[str, Any], Any]:
    """Approach 2's vertex shift, in log N, on a noise-free IsoFLOP grid centred on the optimum,
    to leading order in the grid's step: the derivation behind
    :func:`~chinchilla_lib.simulate.isoflop_bias.centred_vertex_error`.

    In x = log N about the optimum the IsoFLOP loss is K (e^(-alpha x)/alpha + e^(beta x)/beta)
    plus a constant (the first derivative vanishes at x = 0). A least-squares parabola is fitted
    through its Taylor series (to fifth order) at ``points`` sizes x = h (j - (points - 1)/2),
    and its vertex -c_1 / (2 c_2) expanded in the step h; the leading term equals
    -(beta - alpha) m4 / (6 m2), m2 and m4 the sums of x^2 and x^4 over the grid.

    Parameters
    ----------
    points
        Sizes in the grid (3 to 15).

    Returns
    -------
    (dict, sympy expression)
        The symbols (``alpha``, ``beta``, ``h``) and the shift's leading term in them.
    """
    import sympy as sp

    if isinstance(points, bool) or not isinstance(points, int) or not 3 <= points <= 15:
        raise ValueError(f"points must be a whole number in [3, 15]; got {points!r}")
    x, alpha, beta, k, h = sp.symbols("x alpha beta K h", positive=True)
    curve = k * (sp.exp(-alpha * x) / alpha + sp.exp(beta * x) / beta)
    taylor = sp.series(curve, x, 0, 6).removeO()
    grid = [sp.Rational(2 * j - (points - 1), 2) * h for j in range(points)]
    design = sp.Matrix([[1, g, g**2] for g in grid])
    values = sp.Matrix([taylor.subs(x, g) for g in grid])
    c = (design.T * design).LUsolve(design.T * values)
    vertex = -c[1] / (2 * c[2])
    leading = sp.simplify(sp.series(vertex, h, 0, 3).removeO())
    return {"alpha": alpha, "beta": beta, "h": h}, leading


def gumbel_rise_width() -> tuple[dict[str, Any], Any]:
    """Decades of N over which exp(-k (N/N_c)^(-alpha)) rises from a level q_lo to q_hi.

    Solves exp(-k (N/N_c)^(-alpha)) = q for log10 N at both levels and subtracts. The answer
    does not contain k: exact match on k tokens rises exactly as gradually as per-token
    accuracy (k = 1), only later.

    Returns
    -------
    (dict, sympy expression)
        The symbols (``alpha``, ``k``, ``q_lo``, ``q_hi``) and the width in decades.
    """
    import sympy as sp

    alpha, k, n_c, u = sp.symbols("alpha k N_c u", positive=True)
    q_lo, q_hi = sp.symbols("q_lo q_hi", positive=True)

    def log10_size_at(level: Any) -> Any:
        # k (N/N_c)^(-alpha) = -ln q, with N = 10^u, solved for u.
        (solution,) = sp.solve(sp.Eq(k * (10**u / n_c) ** -alpha, -sp.log(level)), u)
        return solution

    derived = log10_size_at(q_hi) - log10_size_at(q_lo)
    width = sp.log(sp.log(q_lo) / sp.log(q_hi)) / (alpha * sp.log(10))
    if sp.simplify(sp.expand_log(derived - width, force=True)) != 0:  # pragma: no cover
        raise ArithmeticError("the rise width did not reduce to its closed form")
    return {"alpha": alpha, "k": k, "q_lo": q_lo, "q_hi": q_hi}, width


def flops_matched_multiplier() -> tuple[dict[str, Any], Any]:
    """Inference-compute multiplier k at which a small model's total FLOPs equal a model M
    times larger: 6 N D_p + k 2 N D_i = M (6 N D_p + 2 N D_i), solved for k.

    Returns
    -------
    (dict, sympy expression)
        The symbols (``N``, ``M``, ``D_p``, ``D_i``) and k.
    """
    import sympy as sp
    six, two = _flops_per_param_token()

    n, m, d_p, d_i, k = sp.symbols("N M D_p D_i k", positive=True)
    equal = sp.Eq(six * n * d_p + k * two * n * d_i, m * (six * n * d_p + two * n * d_i))
    (solution,) = sp.solve(equal, k)
    return {"N": n, "M": m, "D_p": d_p, "D_i": d_i}, sp.simplify(solution)


def encoder_decoder_split() -> tuple[dict[str, Any], Any]:
    """Decoder share f = N_d / N minimising Ghorbani et al.'s loss at a fixed total N.

    Sets the derivative of (N (1 - f))^(-p_e) (N f)^(-p_d) with respect to f to zero.

    Returns
    -------
    (dict, sympy expression)
        The symbols (``p_e``, ``p_d``) and the optimal f.
    """
    import sympy as sp

    n, f, p_e, p_d = sp.symbols("N f p_e p_d", positive=True)
    reducible = (n * (1 - f)) ** -p_e * (n * f) ** -p_d
    log_derivative = sp.diff(sp.log(reducible), f)
    (solution,) = sp.solve(sp.Eq(log_derivative, 0), f)
    return {"p_e": p_e, "p_d": p_d}, sp.simplify(solution)


def decoder_share_exponent_ratio() -> tuple[dict[str, Any], Any]:
    """The exponent ratio r = p_d / p_e that makes a given decoder share f optimal.

    Inverts :func:`encoder_decoder_split`: substitutes p_d = r p_e into its optimal share and
    solves f* = f for r.

    Returns
    -------
    (dict, sympy expression)
        The symbols (``f``, ``r``) and r as a function of f.
    """
    import sympy as sp

    symbols, share = encoder_decoder_split()
    f, r = sp.symbols("f r", positive=True)
    (solution,) = sp.solve(sp.Eq(share.subs(symbols["p_d"], r * symbols["p_e"]), f), r)
    return {"f": f, "r": r}, f / sp.expand(f / solution)  # written as f / (1 - f)


def densing_inverses() -> tuple[dict[str, Any], Any, Any]:
    """The two inverses behind an effective parameter count (Xiao et al. 2024).

    Solves the sigmoid S = s_0 + (s_1 - s_0) / (1 + exp(k (L - L_0))) for the loss L, and the
    loss law L = E + A N^(-alpha) + B D_0^(-beta) for the parameter count N.

    Returns
    -------
    (dict, sympy expression, sympy expression)
        The symbols (``S``, ``s_0`` floor, ``s_1`` ceiling, ``k`` slope, ``L_0`` midpoint,
        ``L``, ``E``, ``A``, ``B``, ``alpha``, ``beta``, ``D_0``), the loss at score S, and
        the parameter count at loss L.
    """
    import sympy as sp

    score, floor, ceiling, slope, midpoint = sp.symbols("S s_0 s_1 k L_0", positive=True)
    loss, e, a, b, alpha, beta, d0, n = sp.symbols("L E A B alpha beta D_0 N", positive=True)
    sigmoid = sp.Eq(score, floor + (ceiling - floor) / (1 + sp.exp(slope * (loss - midpoint))))
    (loss_at_score,) = sp.solve(sigmoid, loss)
    law = sp.Eq(loss, e + a * n**-alpha + b * d0**-beta)
    (params_at_loss,) = sp.solve(law, n)
    symbols = {"S": score, "s_0": floor, "s_1": ceiling, "k": slope, "L_0": midpoint,
               "L": loss, "E": e, "A": a, "B": b, "alpha": alpha, "beta": beta, "D_0": d0}
    return symbols, sp.simplify(loss_at_score), sp.simplify(params_at_loss)


def markov_two_state() -> tuple[dict[str, Any], Any, Any, Any]:
    """The stationary distribution and entropy rate of a two-state Markov chain.

    The chain leaves state 0 with probability ``p`` and state 1 with probability ``q``. Its
    balance equation ``pi_0 p = pi_1 q`` with ``pi_0 + pi_1 = 1`` gives ``pi``, and its entropy
    rate is ``pi_0 H(p) + pi_1 H(q)`` with ``H`` the binary entropy in nats: the formula
    :func:`chinchilla_lib.experiment.language.entropy_rate` evaluates for any chain.

    Returns
    -------
    (dict, sympy expression, sympy expression, sympy expression)
        The symbols (``p``, ``q``, ``pi_0``, ``pi_1``), ``pi_0``, ``pi_1`` and the entropy
        rate in nats per step.
    """
    import sympy as sp

    p, q = sp.symbols("p q", positive=True)
    pi0, pi1 = sp.symbols("pi_0 pi_1", positive=True)
    solution = sp.solve([sp.Eq(pi0 * p, pi1 * q), sp.Eq(pi0 + pi1, 1)], [pi0, pi1], dict=True)[0]

    def binary_entropy(x: Any) -> Any:
        return -x * sp.log(x) - (1 - x) * sp.log(1 - x)

    rate = solution[pi0] * binary_entropy(p) + solution[pi1] * binary_entropy(q)
    return ({"p": p, "q": q, "pi_0": pi0, "pi_1": pi1}, solution[pi0], solution[pi1], rate)


@dataclass(frozen=True)
class CriticalBatchDerivation:
    """McCandlish et al.'s critical batch size, from one noisy step to the step-example
    trade-off.

    Attributes
    ----------
    symbols
        ``epsilon`` (learning rate), ``B`` (batch size), ``G2`` (the squared norm of the true
        gradient), ``GHG`` (G^T H G), ``trHS`` (tr(H Sigma), Sigma the per-example gradient
        covariance), ``S``, ``E``, ``S_min``, ``E_min``, ``B_noise``.
    improvement
        The expected fall in a quadratic loss after one step of a B-example gradient estimate:
        epsilon G2 - epsilon^2 (GHG + trHS / B) / 2.
    optimal_lr
        The epsilon that maximises it: epsilon_max / (1 + B_noise / B) with
        epsilon_max = G2 / GHG and B_noise = trHS / GHG.
    optimal_improvement
        The improvement at that epsilon: Delta L_max / (1 + B_noise / B).
    noise_scale
        B_noise = trHS / GHG, read off ``optimal_lr``.
    steps, examples
        S(B) = S_min (1 + B_noise / B) and E(B) = E_min (1 + B / B_noise): if each step gains
        ``optimal_improvement``, the steps to a fixed loss scale as 1 / that gain, and E = B S
        with E_min = S_min B_noise.
    batch_of_steps
        B solved from S(B).
    tradeoff
        (S/S_min - 1)(E/E_min - 1) with E written through S (B eliminated): sympy
        simplifies it to 1, whatever S.
    critical_batch
        E_min / S_min, which equals B_noise.
    steps_at_critical, examples_at_critical
        S and E at B = B_crit: 2 S_min and 2 E_min.
    compute_ratio
        E(B_crit) / E_min = 2: with compute proportional to examples, C = 2 C_min.
    """

    symbols: dict[str, Any]
    improvement: Any
    optimal_lr: Any
    optimal_improvement: Any
    noise_scale: Any
    steps: Any
    examples: Any
    batch_of_steps: Any
    tradeoff: Any
    critical_batch: Any
    steps_at_critical: Any
    examples_at_critical: Any
    compute_ratio: Any


def critical_batch_derivation() -> CriticalBatchDerivation:
    """Derive the optimal step, the noise scale B_noise and the trade-off
    (S/S_min - 1)(E/E_min - 1) = 1 (McCandlish et al. 2018, Section 2; Kaplan et al. 2020,
    Section 5.1).

    A step of epsilon along a gradient estimate of mean G and covariance Sigma / B changes a
    quadratic loss by -epsilon G^T G + epsilon^2 (G^T H G + tr(H Sigma) / B) / 2 on average.
    Maximising the fall over epsilon gives the optimal step and its gain; a run made of such
    steps needs S proportional to 1 / gain, which fixes S(B) and E(B) = B S(B); eliminating
    B between them leaves the hyperbola.
    """
    import sympy as sp

    lr, batch, g2, ghg, trhs = sp.symbols("epsilon B G2 GHG trHS", positive=True)
    steps, examples, s_min, e_min, b_noise = sp.symbols("S E S_min E_min B_noise",
                                                        positive=True)
    improvement = lr * g2 - lr**2 * (ghg + trhs / batch) / 2
    (optimal_lr,) = sp.solve(sp.Eq(sp.diff(improvement, lr), 0), lr)
    optimal_lr = sp.simplify(optimal_lr)
    optimal_improvement = sp.simplify(improvement.subs(lr, optimal_lr))
    # epsilon_opt = (G2 / GHG) / (1 + B_noise / B): B_noise is the B at which it halves.
    (noise_scale,) = sp.solve(sp.Eq(optimal_lr, (g2 / ghg) / 2), batch)
    noise_scale = sp.simplify(noise_scale)

    steps_of_b = s_min * (1 + b_noise / batch)
    examples_of_b = sp.expand(batch * steps_of_b).subs(s_min, e_min / b_noise)
    examples_of_b = sp.factor(examples_of_b)
    (batch_of_steps,) = sp.solve(sp.Eq(steps, steps_of_b), batch)
    examples_along = examples_of_b.subs(batch, batch_of_steps)
    tradeoff = sp.simplify((steps / s_min - 1) * (examples_along / e_min - 1))
    critical = sp.simplify((e_min / s_min).subs(e_min, s_min * b_noise))
    return CriticalBatchDerivation(
        symbols={"epsilon": lr, "B": batch, "G2": g2, "GHG": ghg, "trHS": trhs, "S": steps,
                 "E": examples, "S_min": s_min, "E_min": e_min, "B_noise": b_noise},
        improvement=improvement,
        optimal_lr=optimal_lr,
        optimal_improvement=optimal_improvement,
        noise_scale=noise_scale,
        steps=steps_of_b,
        examples=examples_of_b,
        batch_of_steps=batch_of_steps,
        tradeoff=tradeoff,
        critical_batch=critical,
        steps_at_critical=sp.simplify(steps_of_b.subs(batch, critical)),
        examples_at_critical=sp.simplify(examples_of_b.subs(batch, critical)),
        compute_ratio=sp.simplify(examples_of_b.subs(batch, critical) / e_min),
    )


@dataclass(frozen=True)
class QuantaDerivation:
    """The quantization model's exponents (Michaud et al. 2023), and Hutter's (2021).

    Derived here: only the papers' abstracts could be read, so no equation numbers are cited.

    Attributes
    ----------
    symbols
        ``alpha``, ``k``, ``n`` (quanta learned), ``D`` (samples), ``tau`` (sightings needed
        to learn a quantum).
    frequency
        ``p_k = k^-(alpha+1) / zeta(alpha+1)``, normalised over infinitely many quanta.
    tail_sum
        ``sum_{k>n} p_k = zeta(alpha+1, n+1) / zeta(alpha+1)`` (Hurwitz zeta): the excess loss
        of a model that has learned the ``n`` most frequent quanta, per unit loss of a quantum.
    tail_asymptotic
        Its leading term for large ``n``, the integral of ``p_k`` from ``n`` to infinity:
        ``n^-alpha / (alpha zeta(alpha+1))``.
    parameter_exponent
        Minus the log-log slope of ``tail_asymptotic`` in ``n``: ``alpha`` (with parameters
        proportional to ``n``, the exponent of ``L(N) - L_inf``).
    learned_at
        ``n*(D)``, solved from ``D p_n = tau``: the last quantum seen ``tau`` times on average.
    data_loss
        ``tail_asymptotic`` at ``n = n*(D)``.
    data_exponent
        Minus the log-log slope of ``data_loss`` in ``D``: ``alpha / (alpha + 1)``.
    hutter_exponent
        Hutter 2021's ``beta`` for features with ``theta_i`` proportional to
        ``i^-(alpha+1)`` (his abstract), ``alpha / (1 + alpha)``; equal to
        ``data_exponent`` (``sp.simplify`` of the difference is 0).
    """

    symbols: dict[str, Any]
    frequency: Any
    tail_sum: Any
    tail_asymptotic: Any
    parameter_exponent: Any
    learned_at: Any
    data_loss: Any
    data_exponent: Any
    hutter_exponent: Any


def quanta_derivation() -> QuantaDerivation:
    """Derive the quantization model's parameter and data exponents.

    With quanta used with frequencies ``p_k`` proportional to ``k^-(alpha+1)`` and learned in
    order of frequency (Michaud et al. 2023, abstract), the tail of the frequencies beyond ``n``
    falls as ``n^-alpha``; a quantum needs about ``tau / p_k`` samples to be seen ``tau`` times,
    so ``D`` samples learn ``n*`` proportional to ``D^(1/(alpha+1))`` quanta and the loss falls
    as ``D^-(alpha/(alpha+1))``. :mod:`chinchilla_lib.simulate.quanta` simulates both.

    Returns
    -------
    QuantaDerivation

    Examples
    --------
    >>> d = quanta_derivation()
    >>> d.parameter_exponent, d.data_exponent
    (alpha, alpha/(alpha + 1))
    """
    import sympy as sp

    alpha, k, n, data, tau = sp.symbols("alpha k n D tau", positive=True)
    norm = sp.zeta(alpha + 1)
    frequency = k ** -(alpha + 1) / norm
    tail_sum = sp.zeta(alpha + 1, n + 1) / norm
    tail_asymptotic = sp.simplify(sp.integrate(frequency, (k, n, sp.oo), conds="none"))
    parameter_exponent = sp.simplify(-n * sp.diff(sp.log(tail_asymptotic), n))
    learned_at = sp.solve(sp.Eq(data * frequency.subs(k, n), tau), n)[0]
    data_loss = sp.simplify(tail_asymptotic.subs(n, learned_at))
    data_exponent = sp.simplify(-data * sp.diff(sp.log(data_loss), data))
    hutter_exponent = alpha / (1 + alpha)
    return QuantaDerivation({"alpha": alpha, "k": k, "n": n, "D": data, "tau": tau},
                            frequency, tail_sum, tail_asymptotic, parameter_exponent,
                            learned_at, data_loss, data_exponent, hutter_exponent)
