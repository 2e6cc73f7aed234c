"""Silver et al. (2016), *Mastering the game of Go*: AlphaGo's strength against its
search resources."""

from __future__ import annotations

from chinchilla_lib.registry._types import SearchScalingRun, Source

_ALPHAGO_T8 = Source("silver2016mastering", "Extended Data Table 8",
                     "Scalability of AlphaGo's search with threads and GPUs, 2 s per move.")
ALPHAGO_SEARCH_SCALING: tuple[SearchScalingRun, ...] = tuple(
    SearchScalingRun(search, threads, cpus, gpus, float(elo), _ALPHAGO_T8)
    for search, threads, cpus, gpus, elo in (
        ("asynchronous", 1, 48, 8, 2203), ("asynchronous", 2, 48, 8, 2393),
        ("asynchronous", 4, 48, 8, 2564), ("asynchronous", 8, 48, 8, 2665),
        ("asynchronous", 16, 48, 8, 2778), ("asynchronous", 32, 48, 8, 2867),
        ("asynchronous", 40, 48, 8, 2890), ("asynchronous", 40, 48, 1, 2181),
        ("asynchronous", 40, 48, 2, 2738), ("asynchronous", 40, 48, 4, 2850),
        ("distributed", 12, 428, 64, 2937), ("distributed", 24, 764, 112, 3079),
        ("distributed", 40, 1202, 176, 3140), ("distributed", 64, 1920, 280, 3168),
    )
)
"""AlphaGo's Elo against search resources (Silver et al. 2016, Extended Data Table 8)."""
