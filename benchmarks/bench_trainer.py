"""The trainer, the hot loop of the chapter "your own scaling law" (issue 17).

* On the largest model of the full sweep (width 508), the trainer's achieved FLOP/s (the
  counted 6ND over the wall time of a 200,000-token run) beside this machine's own throughput
  for the same three matrix products of a step (float32, the same shapes, timed in the same
  run, alternating with the trainer), and their ratio (median of three rounds). Bar: at
  least 0.5. 6ND also counts the bias (6BV a step, 0.2 % at this width), so the ratio is the
  share of the wall time spent in the products, up to that.
* The wall time of the small sweep (26 runs, on 2 workers). Bar: under a minute.
* The peak memory (maximum resident set) of this process and of the largest worker of the
  sweep. Bar: under 2 GB each (the full sweep's models are at most 1 MB of weights each, so
  its workers' memory is the small sweep's plus a few MB).

Run with one BLAS thread, as the sweep's workers do: ``OPENBLAS_NUM_THREADS=1 python
benchmarks/bench_trainer.py``. The JSON results hold the values in their units (FLOP/s,
seconds, MB, a ratio).
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time

for _key in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_key, "1")

import numpy as np  # noqa: E402
from _common import BASELINE, RESULTS  # noqa: E402

from chinchilla_lib.experiment import (  # noqa: E402
    BATCH_SIZE,
    DEFAULT_LANGUAGE,
    SWEEP_BUDGETS,
    plan_sweep,
    run_sweep,
    train,
)

WIDTH, TOKENS = 508, 200_000


def matmul_flops_per_second(width: int, vocab: int, batch: int, repeat: int = 100) -> float:
    """FLOP/s of the step's three products (logits, dense gradient, hidden gradient) alone,
    float32, over ``repeat`` steps' worth of them."""
    rng = np.random.default_rng(0)
    hidden = rng.standard_normal((batch, width)).astype(np.float32)
    dense = rng.standard_normal((width, vocab)).astype(np.float32)
    probs = np.empty((batch, vocab), dtype=np.float32)
    grad = np.empty((width, vocab), dtype=np.float32)
    back = np.empty((batch, width), dtype=np.float32)
    start = time.perf_counter()
    for _ in range(repeat):
        np.matmul(hidden, dense, out=probs)
        np.matmul(hidden.T, probs, out=grad)
        np.matmul(probs, dense.T, out=back)
    return 6.0 * batch * width * vocab * repeat / (time.perf_counter() - start)


def peak_memory_mb() -> tuple[float, float]:
    """Maximum resident set of this process and of its largest finished child, MB."""
    kib = 1024.0  # Linux reports ru_maxrss in KiB
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / kib,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / kib)


def main() -> int:
    train(DEFAULT_LANGUAGE, WIDTH, 20 * BATCH_SIZE)  # warm up: the language's tables, BLAS
    # Trainer and products alternate, three rounds, so both see the same load on a shared
    # machine; the medians are reported.
    achieved, machine, ratios = [], [], []
    for _ in range(3):
        run = train(DEFAULT_LANGUAGE, WIDTH, TOKENS)
        achieved.append(run.flops / run.seconds)
        machine.append(matmul_flops_per_second(WIDTH, DEFAULT_LANGUAGE.vocab_size, BATCH_SIZE))
        ratios.append(achieved[-1] / machine[-1])
    achieved, machine, ratio = (statistics.median(v) for v in (achieved, machine, ratios))
    start = time.perf_counter()
    run_sweep(plan_sweep(SWEEP_BUDGETS["small"]), workers=2)
    sweep_seconds = time.perf_counter() - start
    own, workers = peak_memory_mb()
    figures = {
        "trainer FLOP/s, width 508 (6ND / wall time)": achieved,
        "matmul FLOP/s, the step's three products": machine,
        "ratio (bar >= 0.5)": ratio,
        "small sweep, 2 workers, seconds (bar < 60)": sweep_seconds,
        "peak memory of this process, MB (bar < 2048)": own,
        "peak memory of a sweep worker, MB (bar < 2048)": workers,
    }
    failed = [ratio < 0.5, sweep_seconds >= 60, own >= 2048, workers >= 2048]
    path = BASELINE / "trainer.json"
    baseline = json.loads(path.read_text()) if path.exists() else {}
    print(f"trainer: {'figure':<48} {'now':>10} {'baseline':>10}")
    for label, value in figures.items():
        before = baseline.get(label)
        print(f"trainer: {label:<48} {value:>10.3g} {(f'{before:.3g}' if before else '-'):>10}")
    print(f"trainer: {'OVER A BAR' if any(failed) else 'every bar met'}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "trainer.json").write_text(json.dumps(figures, indent=1) + "\n")
    if "--save-baseline" in sys.argv:
        BASELINE.mkdir(exist_ok=True)
        path.write_text(json.dumps(figures, indent=1) + "\n")
    return 1 if any(failed) else 0


if __name__ == "__main__":
    sys.exit(main())
