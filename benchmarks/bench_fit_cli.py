"""Whole-process time of ``chinchilla fit``: the command as an engineer runs it, from a CSV file.

* Approach 3 with 4,000 bootstrap refits on the 240 simulated runs of the Approach 3 benchmark
  (``bench_approach3.besiroglu_240_simulated``), interpreter start and imports included
  (issue 20: "under a few seconds on 2 cores");
* the same with ``--at-flops`` (the decision at a budget, from the same refits);
* ``--approach all`` with 1,000 refits and ``--at-flops`` on the course's own training curves
  (``experiment/data/full_sweep_curves.csv``, 45 runs);
* ``--holdout-largest`` on the 240 runs (three fits, no refits).

Each is the median of three runs of ``python -m chinchilla_lib fit ... --json`` in a fresh
process. Bars: 5 s for the 4,000-refit fits, 10 s for ``--approach all``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import report
from bench_approach3 import besiroglu_240_simulated

ROOT = Path(__file__).resolve().parent.parent
CURVES = ROOT / "chinchilla_lib" / "experiment" / "data" / "full_sweep_curves.csv"


def whole_process(arguments: list[str], repeat: int = 3) -> float:
    """Median wall time of ``python -m chinchilla_lib fit ARGUMENTS --json``, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "chinchilla_lib", "fit", *arguments,
                               "--json"], capture_output=True, text=True, cwd=ROOT,
                              check=False)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"fit {' '.join(arguments)} failed: {done.stderr}")
    return statistics.median(times)


def main() -> int:
    runs = besiroglu_240_simulated()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "runs240.csv"
        path.write_text("N,D,loss\n" + "".join(
            f"{n!r},{d!r},{y!r}\n" for n, d, y in zip(runs.n_params.tolist(),
                                                     runs.n_tokens.tolist(),
                                                     runs.loss.tolist(), strict=True)))
        figures = {
            "fit 240 runs, 4000 refits (process)": whole_process(
                [str(path), "--bootstrap", "4000"]),
            "fit 240 runs, 4000 refits, --at-flops (process)": whole_process(
                [str(path), "--bootstrap", "4000", "--at-flops", "1e24"]),
            "fit 240 runs, --holdout-largest 27, all (process)": whole_process(
                [str(path), "--approach", "all", "--holdout-largest", "27"]),
            "fit curves, all, 1000 refits, --at-flops (process)": whole_process(
                [str(CURVES), "--approach", "all", "--bootstrap", "1000", "--at-flops",
                 "1e13"]),
        }
    return report("fit_cli", figures, {
        "fit 240 runs, 4000 refits (process)": 5.0,
        "fit 240 runs, 4000 refits, --at-flops (process)": 5.0,
        "fit curves, all, 1000 refits, --at-flops (process)": 10.0,
    })


if __name__ == "__main__":
    sys.exit(main())
