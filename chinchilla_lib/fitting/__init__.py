"""Estimators: fits of the laws to data, with their intervals, and the runs they take.

Every public name of the submodules is importable from here, loaded on first use
(``from chinchilla_lib.fitting import fit_power_law``), so that importing the package loads
neither SciPy nor the other fitters.
"""

from __future__ import annotations

from chinchilla_lib._lazy import attach

_EXPORTS = {
    "_result": ("CLOSED_FORM", "DEFAULT_LEVEL", "MAX_BOOTSTRAP", "DegenerateDataWarning",
                "FitResult", "Interval",
                "percentile_interval"),
    "annealing": ("DECAY_GRID", "AnnealingFit", "CurveErrors", "curve_errors",
                  "fit_annealing_law"),
    "approach3": (
        "HUBER_DELTA", "POLISHED", "PROFILE_EXPONENTS", "SCIPY_LBFGSB_FTOL", "SCIPY_LBFGSB_GTOL",
        "Approach3Fit", "LikelihoodFit",
        "ScipyFit", "fit_approach3", "fit_approach3_likelihood", "fit_approach3_loop",
        "fit_approach3_scipy", "hoffmann_initial_grid", "huber_objective", "t_test_p_values",
    ),
    "approaches12": (
        "APPROACH1_POINTS", "OUT_OF_RANGE", "RESAMPLING", "SUBSAMPLE", "FrontierFit",
        "fit_approach1", "fit_approach2", "isoflop_minima", "subsample_spread_ratio",
    ),
    "batch_size": ("BatchTradeoffFit", "fit_batch_tradeoff"),
    "isoflop": ("EXPONENT_GRID", "IsoFlopLawFit", "fit_isoflop_law"),
    "bnsl": ("BnslFit", "fit_bnsl", "fit_bnsl_auto", "parameter_names", "read_authors_points"),
    "decision": ("APPROACHES", "MIN_PER_BUDGET", "ApproachFit", "Decision", "Holdout",
                 "HoldoutRun", "decide", "fit_sweep", "holdout", "holdout_split"),
    "diagnostics": ("MIN_SIZES_PER_BUDGET", "MIN_SPAN_DECADES", "OFF_CENTRE_FRACTION",
                    "SAME_BUDGET_RTOL", "WIDE_INTERVAL_RATIO", "Diagnosis", "DiagnosisWarning",
                    "as_dicts", "diagnose_sweep", "warn_all"),
    "densing": (
        "CHANCE_ACCURACY", "DensingFit", "ModelDensities", "density_frontier", "fit_densing_law",
        "fit_model_densities", "fit_reference_family", "model_densities",
        "reference_family_from_models",
    ),
    "pitfalls": ("MAX_STARTS", "REACHED_TOLERANCE", "STARTS_SCALE", "StartsStudy",
                 "starts_study"),
    "power": ("PowerLawFit", "fit_power_law", "fit_saturating_power_law", "log_ols"),
    "projections": ("GopherUnitRow", "consistent_projection_rows", "fit_projection_rows",
                    "gopher_unit_column"),
    "runs": ("BUDGET_TOLERANCE", "IsoFlopRuns", "Runs", "Sweep", "TrainingCurves", "as_runs",
             "group_budgets", "read_runs_csv", "read_sweep_csv"),
    "sampling": ("CoverageFit", "fit_coverage_law"),
    "sigmoid": ("SigmoidFit", "fit_sigmoid"),
}

__getattr__, __dir__, __all__ = attach(__name__, _EXPORTS)
