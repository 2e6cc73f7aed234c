"""``chinchilla design``: whole process, without runs (the published prior) and with a sweep of
45 runs, against the issue's bar of 30 s on 2 cores; and the simulated refits it makes,
side by side with the plain procedure (one ``fit_approach3`` per simulated sweep).

    python benchmarks/bench_design.py [--save-baseline]

The refits of the search are Approach 3 fitted to many sweeps at once, as rows of arrays,
stopped after ``REFIT_MAX_ITER`` iterations or a relative decrease of ``REFIT_TOLERANCE``; the
comparison fits the same sweeps one at a time with :func:`fit_approach3` (profile starts, then
SciPy's robust least squares to full precision) and reports the largest difference in
log N_opt at the target between the two, which must stay far below the intervals' widths
(bar: 0.01, a 1% difference in N_opt).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _common import report

from chinchilla_lib.experiment.design import (
    NAIVE_DESIGN,
    PRIOR_FIT,
    PRIOR_NOISE,
    _refit_n_opt,
    _theta,
    design_runs,
)
from chinchilla_lib.fitting.approach3 import fit_approach3
from chinchilla_lib.fitting.runs import Runs
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.quantities import FLOPS_PER_PARAM_TOKEN
from chinchilla_lib.simulate.runs import simulate_isoflop_runs

ROOT = Path(__file__).resolve().parent.parent
BAR = 30.0
"""The issue's bar for the whole ``design`` process, seconds."""
AGREEMENT_BAR = 0.01
"""Largest allowed difference in log N_opt between the batched and the plain refits."""
PLAIN_SWEEPS = 20
"""Simulated sweeps fitted one at a time for the comparison."""
BUDGET, TARGET = 1e22, 1e25


def _whole_process(*arguments: str) -> float:
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "chinchilla_lib", "design", "--budget",
                           f"{BUDGET:g}", "--target", f"{TARGET:g}", "--json", *arguments],
                          capture_output=True, text=True, env=environment, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"design failed: {done.stderr}")
    return seconds


def _agreement() -> tuple[float, float, float]:
    """Seconds per refit batched and plain, and the largest difference in log N_opt."""
    law = ChinchillaLaw.from_registry(PRIOR_FIT)
    _, n, d = design_runs(NAIVE_DESIGN, BUDGET, law, min_params=7e7, min_tokens=5e9)
    start = time.perf_counter()
    batched = _refit_n_opt(_theta(law), np.log(n), np.log(d), TARGET, PRIOR_NOISE,
                           PLAIN_SWEEPS, 0)
    batched_seconds = (time.perf_counter() - start) / PLAIN_SWEEPS
    rng = np.random.default_rng([0, n.size])
    clean = np.log(law.loss(n, d))
    noise = PRIOR_NOISE * rng.standard_normal((PLAIN_SWEEPS, n.size))
    start = time.perf_counter()
    plain = []
    for row in noise:
        fit = fit_approach3(Runs(n, d, np.exp(clean + row))).law
        plain.append(np.log(fit.compute_optimal(TARGET).n_params))
    plain_seconds = (time.perf_counter() - start) / PLAIN_SWEEPS
    return batched_seconds, plain_seconds, float(np.nanmax(np.abs(batched - np.array(plain))))


def main() -> int:
    prior = _whole_process()
    truth = ChinchillaLaw.from_registry(PRIOR_FIT)
    sweep = simulate_isoflop_runs(truth, [1e18, 3e18, 1e19, 3e19, 1e20], sizes_per_budget=9,
                                  noise=0.01, seed=0).runs
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "runs.csv"
        path.write_text("N,D,loss\n" + "".join(
            f"{n:.17g},{t:.17g},{x:.17g}\n" for n, t, x in zip(sweep.n_params, sweep.n_tokens,
                                                               sweep.loss, strict=True)))
        with_runs = _whole_process("--runs", str(path))
    batched, plain, difference = _agreement()
    print(f"design: refits of one design's sweeps ({NAIVE_DESIGN.describe()}, "
          f"{FLOPS_PER_PARAM_TOKEN:g}ND = {BUDGET:g} FLOPs): batched {batched * 1e3:.1f} ms "
          f"each, plain fit_approach3 {plain * 1e3:.1f} ms each ({plain / batched:.0f} times "
          f"slower); largest difference in log N_opt {difference:.2g} (bar {AGREEMENT_BAR})")
    status = report("design", {"whole process, prior": prior,
                               "whole process, 45 runs given": with_runs,
                               "one simulated refit, batched": batched,
                               "one simulated refit, plain fit_approach3": plain},
                    {"whole process, prior": BAR, "whole process, 45 runs given": BAR})
    return status or int(not difference <= AGREEMENT_BAR)


if __name__ == "__main__":
    sys.exit(main())
