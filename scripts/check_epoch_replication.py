"""Check Approach 3 against Besiroglu et al.'s replication, on their own data.

Their 245 points digitised from Hoffmann et al.'s Figure 4 are published in the repository
epoch-research/analyzing-chinchilla as data/svg_extracted_data.csv. This project does not
redistribute them: download that file, then run

    python scripts/check_epoch_replication.py path/to/svg_extracted_data.csv

It drops the five highest losses, as they do, fits with the paper's full grid, and compares
the optimum with the one their notebook prints for the same procedure (the "replicate
exactly" grid fit with L-BFGS-B: objective 1.0182740346e-3; E = 1.817235, A = 477.84,
B = 2143.86, alpha = 0.347313, beta = 0.367183). It then fits their headline estimator (a Huber
likelihood with a fitted scale) and compares it with the estimates they print (E = 1.81686,
A = 482.006, B = 2085.434, alpha = 0.34781, beta = 0.36585, in the registry). Exit status 0
if the grid fit's objective is no worse and every parameter agrees to the digits printed.
"""

from __future__ import annotations

import sys

from chinchilla_lib import registry
from chinchilla_lib.fitting.approach3 import fit_approach3, fit_approach3_likelihood
from chinchilla_lib.fitting.runs import read_runs_csv

THEIR_OBJECTIVE = 1.0182740346154362e-3
THEIR_FIT = {"E": 1.817235504463726, "A": 477.84171252965143, "B": 2143.8637880335505,
             "alpha": 0.34731265761033453, "beta": 0.3671826173946711}
# The objective is flat along A and B: agreement is judged to these relative tolerances.
TOLERANCE = {"E": 1e-4, "A": 2e-3, "B": 2e-3, "alpha": 1e-4, "beta": 1e-4}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    runs = read_runs_csv(argv[0], columns={"N": "Model Size", "C": "Training FLOP"})
    runs = runs.without_highest_losses(5)
    fit = fit_approach3(runs, bootstrap=4000, seed=42)
    law = fit.law
    ours = {"E": law.e, "A": law.a, "B": law.b, "alpha": law.alpha, "beta": law.beta}
    print(f"runs: {len(runs)}; objective: ours {fit.objective:.13e}, "
          f"theirs {THEIR_OBJECTIVE:.13e}")
    ok = fit.objective <= THEIR_OBJECTIVE
    for name, theirs in THEIR_FIT.items():
        interval = fit.interval(name, 0.95)
        agree = abs(ours[name] / theirs - 1) <= TOLERANCE[name]
        ok &= agree
        print(f"{name:>6}: ours {ours[name]:.6g}  theirs {theirs:.6g}  "
              f"95% interval [{interval.low:.4g}, {interval.high:.4g}]  "
              f"{'agree' if agree else 'DIFFER'}")
    interval = fit.interval("optimal_params_exponent", 0.95)
    print(f"     a: {law.optimal_params_exponent:.4f}  95% interval [{interval.low:.4f}, "
          f"{interval.high:.4f}]")
    likelihood = fit_approach3_likelihood(runs, start=fit)
    printed = registry.fit("besiroglu2024/refit").params
    ml = likelihood.law
    print(f"Huber likelihood (scale {likelihood.scale:.3g}):")
    for name, value in (("E", ml.e), ("A", ml.a), ("B", ml.b), ("alpha", ml.alpha),
                        ("beta", ml.beta)):
        digits = repr(printed[name]).split(".")[1] if "." in repr(printed[name]) else ""
        agree = abs(value - printed[name]) <= 0.5 * 10.0 ** -len(digits)
        ok &= agree
        print(f"{name:>6}: ours {value:.8g}  printed {printed[name]:.8g}  "
              f"{'agree' if agree else 'DIFFER'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
