"""How long ``import chinchilla_lib`` takes in a fresh interpreter (bar: 0.15 s median), and
which heavy modules it loads (must be none); and how long a whole ``bnsl-fit`` process takes
on 17 points, side by side with Caballero et al.'s own fitting script run the same way.

Each command loads only what it uses (the package's modules load on first use, the command
line builds only the parser of the command run, and a broken-power-law fit that converges
never loads SciPy's optimisers), so a ``bnsl-fit`` process is mostly the interpreter and
NumPy starting. Their script is in their repository (ethancaballero/broken_neural_scaling_
laws, fit_bnsl_and_extrapolate__4_digit_addition__dataset_size_x-axis.py); this project
redistributes neither it nor its points. Pass its path to time both whole processes on its
17 points (bar: this one at least 20 times faster):

    python benchmarks/bench_import.py --authors-script PATH

Without it the command is timed on 17 points of a simulated one-break law (bar: 0.5 s).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import report

CODE = ("import time; t = time.perf_counter(); import chinchilla_lib; "
        "d = time.perf_counter() - t; import sys; "
        "heavy = [m for m in ('sympy', 'scipy', 'matplotlib') if m in sys.modules]; "
        "print(d, ','.join(heavy))")


def _whole(command: list[str], repeat: int, **kwargs: object) -> float:
    """Median wall time of a whole process, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, **kwargs)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _bnsl_processes(authors_script: str | None) -> tuple[dict[str, float], dict[str, float]]:
    """Whole-process times of ``bnsl-fit`` on 17 points (and of the authors' script)."""
    import numpy as np

    from chinchilla_lib.fitting.bnsl import read_authors_points
    from chinchilla_lib.laws.bnsl import Break, BrokenPowerLaw

    if authors_script:
        x, y = read_authors_points(authors_script)
    else:
        truth = BrokenPowerLaw(0.4, 2.3, 0.055, (Break(5.7, 612.8, 0.06),))
        x = np.geomspace(160, 928, 17)
        y = np.asarray(truth(x))
    ours = "bnsl-fit, whole process (median of 5)"
    with tempfile.TemporaryDirectory() as folder:
        points = Path(folder) / "points.csv"
        points.write_text("x,y\n" + "".join(f"{float(a)!r},{float(b)!r}\n"
                                             for a, b in zip(x, y, strict=True)))
        command = [sys.executable, "-m", "chinchilla_lib", "bnsl-fit", str(points),
                   "--holdout", "3", "--target", "log1p"]
        figures = {ours: _whole(command, 5)}
        if not authors_script:
            return figures, {ours: 0.5}
        script = Path(folder) / "theirs.py"
        script.write_text(Path(authors_script).read_text().replace(
            "plt.style.use('seaborn-whitegrid')", "pass"))  # a style renamed since
        theirs = "authors' script, whole process (median of 3)"
        figures[theirs] = _whole([sys.executable, str(script)], 3, cwd=folder,
                                 env={**os.environ, "MPLBACKEND": "Agg"})
    ratio = figures[theirs] / figures[ours]
    print(f"bnsl-fit: {ratio:.0f}x faster than the authors' script, whole process against "
          "whole process (bar: 20x)")
    # the bar on our process: a twentieth of theirs
    return figures, {ours: figures[theirs] / 20.0}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--authors-script")
    parser.add_argument("--save-baseline", action="store_true")
    args = parser.parse_args()
    times, heavy = [], set()
    for _ in range(15):
        out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                             check=True).stdout.split()
        times.append(float(out[0]))
        if len(out) > 1:
            heavy.update(out[1].split(","))
    print(f"heavy modules loaded by import: {sorted(heavy) or 'none'}")
    figures = {"import chinchilla_lib (median of 15)": statistics.median(times)}
    bars = {"import chinchilla_lib (median of 15)": 0.15}
    more, more_bars = _bnsl_processes(args.authors_script)
    figures.update(more)
    bars.update(more_bars)
    status = report("import", figures, bars)
    return status or (1 if heavy else 0)


if __name__ == "__main__":
    sys.exit(main())
