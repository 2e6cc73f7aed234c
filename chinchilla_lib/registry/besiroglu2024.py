"""Besiroglu et al. (2024), *Chinchilla scaling: a replication attempt*: their refit of
Hoffmann et al.'s Approach 3 with bootstrap intervals, and the statistics of their
tests, as their notebook prints them."""

from __future__ import annotations

from types import MappingProxyType

from chinchilla_lib.registry._types import (
    Constant,
    LawFamily,
    PublishedFit,
    PublishedInterval,
    Source,
)

FITS: tuple[PublishedFit, ...] = (
    PublishedFit("besiroglu2024/refit", LawFamily.CHINCHILLA.form,
                 MappingProxyType({"E": 1.81686, "A": 482.00572, "B": 2085.43420,
                                   "alpha": 0.34781, "beta": 0.36585}),
                 "N, parameters (embeddings included); D, tokens",
                 "loss, nats per token (MassiveText)",
                 Source("besiroglu2024chinchilla",
                        "data_analysis.ipynb (cell 25 output); paper Table 1",
                        "Maximum-likelihood fit with a Huber likelihood to 240 points digitised "
                        "from Hoffmann et al.'s Figure 4. The paper prints E = 1.8172, the E of "
                        "the notebook's grid fit of the Huber loss."),
                 family=LawFamily.CHINCHILLA, fitted_to="hoffmann2022training"),
)

# Chapter 4: Besiroglu et al.'s tests of Hoffmann et al.'s Approach 3 estimates, as their
# notebook prints them (epoch-research/analyzing-chinchilla, data_analysis.ipynb; cells
# counted from 0). The t-tests compare their estimates with Hoffmann et al.'s unrounded
# values, using the bootstrap standard errors, with 240 - 5 degrees of freedom.
CONSTANTS: tuple[Constant, ...] = (
    *(Constant(f"besiroglu_se_{name}", value, unit,
               Source("besiroglu2024chinchilla", "data_analysis.ipynb (cell 25 output)",
                      "Standard deviation over 4,000 bootstrap refits, printed in brackets "
                      "beside the estimate."))
      for name, value, unit in (("A", 124.52232, "nats per token"),
                                ("B", 1293.28410, "nats per token"),
                                ("E", 0.02566, "nats per token"), ("alpha", 0.01540, "exponent"),
                                ("beta", 0.02060, "exponent"))),
    *(Constant(f"besiroglu_t_test_p_{name}", value, "p-value (two-sided)",
               Source("besiroglu2024chinchilla", "data_analysis.ipynb (cell 28 output)",
                      "t-test of Hoffmann et al.'s unrounded value against Besiroglu et al.'s "
                      "estimate and bootstrap standard error, 235 degrees of freedom; printed "
                      "to two significant figures."))
      for name, value in (("A", 0.54), ("B", 0.20), ("E", 2.7e-6), ("alpha", 0.58),
                          ("beta", 1.1e-4))),
    Constant("besiroglu_bootstrap_resamples", 4000.0, "resamples",
             Source("besiroglu2024chinchilla", "data_analysis.ipynb (cell 15)",
                    "bootstraps = 4000: resamples of the 240 points, drawn with replacement.")),
    Constant("besiroglu_points_fitted", 240.0, "runs",
             Source("besiroglu2024chinchilla", "data_analysis.ipynb (cell 59 output)",
                    "'Our sample size is 240': 245 extracted points less the five with the "
                    "highest loss.")),
    Constant("besiroglu_chi2_statistic", 238.40, "chi-squared, 5 degrees of freedom",
             Source("besiroglu2024chinchilla", "data_analysis.ipynb (cells 34 and 55 output)",
                    "Joint test of all five of Hoffmann et al.'s unrounded values (in the log "
                    "parameterisation) against the bootstrap covariance.")),
    Constant("besiroglu_chi2_p", 1.69e-49, "p-value",
             Source("besiroglu2024chinchilla", "data_analysis.ipynb (cells 34 and 55 output)",
                    "Printed as 1.69e-49.")),
    Constant("besiroglu_lr_statistic", 84.00, "chi-squared, 5 degrees of freedom",
             Source("besiroglu2024chinchilla", "data_analysis.ipynb (cell 49 output)",
                    "Likelihood-ratio test, Huber likelihood with fitted scale: Hoffmann et "
                    "al.'s unrounded fit (scale fitted) against Besiroglu et al.'s fit, on the "
                    "240 points.")),
    Constant("besiroglu_lr_p", 1.22e-16, "p-value",
             Source("besiroglu2024chinchilla", "data_analysis.ipynb (cell 49 output)",
                    "Printed as 1.22e-16 (Wilks, chi-squared with 5 degrees of freedom).")),
    Constant("besiroglu_a_se", 0.020, "exponent",
             Source("besiroglu2024chinchilla", "data_analysis.ipynb (cell 59 output)",
                    "Standard deviation of a = beta / (alpha + beta) over the bootstrap.")),
    Constant("besiroglu_a_width80", 0.051, "exponent",
             Source("besiroglu2024chinchilla", "data_analysis.ipynb (cell 59 output)",
                    "Width of the 10th-to-90th percentile interval of a over the bootstrap.")),
    Constant("besiroglu_runs_for_published_width", 634_773.0, "runs",
             Source("besiroglu2024chinchilla", "data_analysis.ipynb (cell 59 output); abstract",
                    "240 x (width / 0.001)^2 with the unrounded bootstrap width; the abstract "
                    "says 'over 600,000 experiments'.")),
)

_BESIROGLU_CI = Source("besiroglu2024chinchilla", "data_analysis.ipynb (cell 26 output)",
                       "2.5th and 97.5th percentiles over 4,000 bootstrap refits.")

BESIROGLU_INTERVALS: tuple[PublishedInterval, ...] = (
    PublishedInterval("Besiroglu et al. (2024)", "E", 1.81686, 1.769, 1.871, 0.95, _BESIROGLU_CI),
    PublishedInterval("Besiroglu et al. (2024)", "A", 482.00572, 285.214, 743.626, 0.95,
                      _BESIROGLU_CI),
    PublishedInterval("Besiroglu et al. (2024)", "B", 2085.43420, 1042.357, 5810.344, 0.95,
                      _BESIROGLU_CI),
    PublishedInterval("Besiroglu et al. (2024)", "alpha", 0.34781, 0.317, 0.373, 0.95,
                      _BESIROGLU_CI),
    PublishedInterval("Besiroglu et al. (2024)", "beta", 0.36585, 0.331, 0.415, 0.95,
                      _BESIROGLU_CI),
)
"""Besiroglu et al. (2024): their fit with 95% bootstrap intervals."""
