"""Latency of each explorer update: recompute and redraw to PNG (bar: 50 ms median).

Each update moves one control by one step, as dragging a slider does, cycling through the
explorer's controls.
"""

from __future__ import annotations

import itertools
import sys
from typing import Any

from _common import median_seconds, report

from chinchilla_lib.widgets import (
    AllocationExplorer,
    BrokenPowerLawExplorer,
    ChinchillaBudgetExplorer,
    DataCapExplorer,
    DensingExplorer,
    DisagreementExplorer,
    Explorer,
    HyperparameterExplorer,
    InferenceDemandExplorer,
    KaplanPlaneExplorer,
    LossToAccuracyExplorer,
    PowerLawFitExplorer,
    PrecisionExplorer,
    TheoryExplorer,
    ThreeApproachesExplorer,
    TrainTestTradeoffExplorer,
    TransformerCostExplorer,
)

# For each explorer: the parameters to drag, with the values a drag passes through.
DRAGS: dict[type[Explorer], dict[str, list[Any]]] = {
    TransformerCostExplorer: {
        "n_layer": list(range(80, 100)),
        "n_tokens": [10 ** (11 + 0.05 * i) for i in range(20)],
        "utilisation": [0.3 + 0.01 * i for i in range(20)],
    },
    PowerLawFitExplorer: {
        "alpha": [0.25 + 0.01 * i for i in range(20)],
        "floor": [0.5 + 0.05 * i for i in range(20)],
        "noise": [0.01 + 0.002 * i for i in range(20)],
        "log10_x_max": [7.0 + 0.1 * i for i in range(20)],
    },
    KaplanPlaneExplorer: {
        "log10_n": [8.0 + 0.05 * i for i in range(20)],
        "log10_d": [10.0 + 0.05 * i for i in range(20)],
        "domain": ["Language", "Image 8x8", "Video VQ 16x16x16", "Math (extrapolate)"] * 5,
    },
    ChinchillaBudgetExplorer: {
        "log10_flops": [20.0 + 0.1 * i for i in range(40)],
        "law": ["hoffmann2022/approach3", "besiroglu2024/refit"],
    },
    DisagreementExplorer: {
        "non_embedding": [True, False],
        "window": ["Hoffmann et al. (Chinchilla scale)", "Kaplan et al. (small models)"],
        "floor": [True, False],
        "fixed_schedule": [True, False],
    },
    InferenceDemandExplorer: {
        "log10_flops": [21.0 + 0.1 * i for i in range(20)],
        "log10_inference_tokens": [10.0 + 0.2 * i for i in range(20)],
    },
    DataCapExplorer: {
        "log10_flops": [21.0 + 0.1 * i for i in range(20)],
        "log10_unique_tokens": [9.0 + 0.1 * i for i in range(20)],
    },
    PrecisionExplorer: {
        "bits": [2.0 + 0.5 * i for i in range(20)],
        "post_bits": [2.0 + 0.25 * i for i in range(20)],
    },
    BrokenPowerLawExplorer: {
        "c1": [0.2 + 0.1 * i for i in range(20)],
        "log10_d2": [4.0 + 0.1 * i for i in range(20)],
        "f3": [0.05 + 0.02 * i for i in range(20)],
        "breaks": [1, 2, 3],
    },
    DensingExplorer: {
        "log10_tokens": [11.5 + 0.075 * i for i in range(20)],
        "frontier_only": [True, False],
        "law": ["Besiroglu et al. (2024), refit", "Hoffmann et al. (2022), Approach 3"],
        "members": ["Llama 1 only", "Llama 1 and Llama 2"],
        "benchmark": ["BBH", "MMLU"],
    },
    TrainTestTradeoffExplorer: {
        "elo": [-1500.0 + 75.0 * i for i in range(20)],
        "log10_train": [12.0 + 0.25 * i for i in range(20)],
        "log10_floor": [4.0, 6.0, 8.0],
    },
    LossToAccuracyExplorer: {
        "midpoint": [1.8 + 0.04 * i for i in range(20)],
        "slope": [2.0 + 1.0 * i for i in range(20)],
        "ceiling": [0.6, 0.8, 1.0],
    },
    AllocationExplorer: {
        "budgets": [1 + i % 5 for i in range(20)],
        "sizes": [2 + i % 8 for i in range(20)],
        "shift": [-4 + i % 9 for i in range(20)],
        "log10_largest": [10.0 + 0.5 * (i % 5) for i in range(20)],
    },
    HyperparameterExplorer: {
        "log10_flops": [19.0 + 0.25 * i for i in range(20)],
        "law": ["deepseek", "steplaw", "porian", "kaplan"],
        "context": [1024, 2048, 4096],
        "cycle": [1.0 + 0.2 * i for i in range(20)],
        "decay_fraction": [0.05 + 0.025 * i for i in range(19)],
    },
    TheoryExplorer: {
        "alpha": [0.5 + 0.25 * (i % 11) for i in range(20)],
        "dim": [1 + i % 4 for i in range(20)],
    },
    ThreeApproachesExplorer: {
        "noise": [0.004 + 0.002 * i for i in range(20)],
        "sizes_per_budget": [5 + i % 10 for i in range(20)],
        "budgets": [3 + i % 9 for i in range(20)],
        "log10_delta": [-3.5 + 0.25 * (i % 10) for i in range(20)],
    },
}


def _latency(cls: type[Explorer], drags: dict[str, list[Any]]) -> float:
    explorer = cls()
    explorer.png()
    moves = itertools.cycle([(name, value) for name, values in drags.items()
                             for value in values])

    def step() -> None:
        name, value = next(moves)
        explorer.update(**{name: value})
        explorer.png()

    return median_seconds(step, repeat=80)


def main() -> int:
    import chinchilla_lib.widgets as widgets
    from chinchilla_lib import plotting

    plotting.use_house_style()  # as every chapter does before its explorer

    exported = {getattr(widgets, name) for name in widgets.__all__}
    missing = sorted(cls.__name__ for cls in exported if isinstance(cls, type)
                     and issubclass(cls, Explorer) and cls is not Explorer and cls not in DRAGS)
    if missing:
        print(f"explorers without drags to time: {missing}; add them to DRAGS")
        return 1
    figures = {f"{cls.__name__} update": _latency(cls, drags) for cls, drags in DRAGS.items()}
    return report("explorers", figures, {label: 0.050 for label in figures})


if __name__ == "__main__":
    sys.exit(main())
