"""One-break BNSL fit on Caballero et al.'s 4-digit-addition example, side by side with their
own grid-then-curve_fit procedure (bars: held-out RMSLE no worse than theirs, at least 20
times faster).

Their points and procedure live in their repository (ethancaballero/broken_neural_scaling_
laws), in fit_bnsl_and_extrapolate__4_digit_addition__dataset_size_x-axis.py; this project
redistributes neither. Pass the path of that script:

    python benchmarks/bench_bnsl.py --authors-script PATH

The benchmark reads the points from the script (chinchilla_lib.fitting.bnsl.
read_authors_points), runs the script itself (in a temporary copy whose only change is a
matplotlib style renamed since it was written), and times this library's fit on the same 14
points. Without the script it times a noiseless simulation (no bar: fitting exact data to
full precision takes more iterations).

With ``--sizes N [N ...]`` it times instead a one-break fit to N noisy points of the same law
for each N (x uniform in [100, 1000], 1% noise): fit_bnsl screens and refines its starts on
at most ``SUBSAMPLE`` points and refines the best once more on all of them, so the time grows
slowly with N (bars: 2 s at 2,000 points, 4 s at 20,000, 15 s at 200,000):

    python benchmarks/bench_bnsl.py --sizes 2000 20000 200000
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _common import report

from chinchilla_lib.fitting.bnsl import fit_bnsl, read_authors_points
from chinchilla_lib.laws.bnsl import Break, BrokenPowerLaw
from chinchilla_lib.metrics import rmsle

SPLIT = 14
SIZE_BARS = {2_000: 2.0, 20_000: 4.0, 200_000: 15.0}
"""Most seconds a one-break fit to that many points may take."""


def _run_theirs(text: str) -> tuple[float, float]:
    patched = text.replace("plt.style.use('seaborn-whitegrid')", "pass")
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "theirs.py"
        script.write_text(patched)
        done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                              cwd=folder, env={**os.environ, "MPLBACKEND": "Agg"})
    seconds = re.search(r"^time:\s+([\d.eE+-]+)", done.stdout, flags=re.M)
    held_out = re.search(r"^rmsle extrapolate:\s+([\d.eE+-]+)", done.stdout, flags=re.M)
    if seconds is None or held_out is None:
        raise SystemExit(f"the authors' script did not report its time:\n{done.stderr[-2000:]}")
    return float(seconds.group(1)), float(held_out.group(1))


def _sweep(sizes: list[int]) -> int:
    """Time a one-break fit to each number of points; report against SIZE_BARS."""
    truth = BrokenPowerLaw(0.4, 2.3, 0.055, (Break(5.7, 612.8, 0.06),))
    fit_bnsl(np.geomspace(100, 1000, 20), truth(np.geomspace(100, 1000, 20)))  # warm up SciPy
    figures, bars = {}, {}
    for size in sizes:
        rng = np.random.default_rng(0)
        x = np.sort(rng.uniform(100, 1000, size))
        y = truth(x) * np.exp(rng.normal(0, 0.01, size))
        start = time.perf_counter()
        fit = fit_bnsl(x, y, breaks=1)
        label = f"one-break fit, {size:,} points"
        figures[label] = time.perf_counter() - start
        if size in SIZE_BARS:
            bars[label] = SIZE_BARS[size]
        print(f"bnsl: {size:,} points: RMSLE {fit.train_rmsle:.5f}, d1 {fit.law.breaks[0].d:.1f}"
              f", converged {fit.converged}")
    return report("bnsl_sizes", figures, bars)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--authors-script")
    parser.add_argument("--sizes", type=int, nargs="+")
    parser.add_argument("--save-baseline", action="store_true")
    args = parser.parse_args()
    if args.sizes:
        return _sweep(args.sizes)
    if args.authors_script:
        text = Path(args.authors_script).read_text()
        x, y = read_authors_points(args.authors_script)
    else:
        truth = BrokenPowerLaw(0.4, 2.3, 0.055, (Break(5.7, 612.8, 0.06),))
        x = np.geomspace(160, 928, 17)
        y = np.asarray(truth(x))
    fit_bnsl(x[:SPLIT], y[:SPLIT], target="log1p")  # warm up SciPy
    start = time.perf_counter()
    fit = fit_bnsl(x[:SPLIT], y[:SPLIT], breaks=1, target="log1p")
    ours = time.perf_counter() - start
    ours_rmsle = rmsle(fit.law, x[SPLIT:], y[SPLIT:])
    figures = {"one-break fit, this library": ours}
    status = 0
    print(f"bnsl: held-out RMSLE, this library: {ours_rmsle:.7f}")
    if args.authors_script:
        theirs, theirs_rmsle = _run_theirs(text)
        figures["one-break fit, authors' procedure"] = theirs
        print(f"bnsl: held-out RMSLE, authors' procedure: {theirs_rmsle:.7f}")
        print(f"bnsl: speed-up {theirs / ours:.0f}x (bar: 20x)")
        status = 0 if (theirs / ours >= 20 and ours_rmsle <= theirs_rmsle * (1 + 1e-6)) else 1
    bars = {"one-break fit, this library": 0.2} if args.authors_script else {}
    return report("bnsl", figures, bars) or status


if __name__ == "__main__":
    sys.exit(main())
