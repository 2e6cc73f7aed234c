"""Accelerator datasheets: peak dense BF16 throughput of NVIDIA's A100 and H100."""

from __future__ import annotations

from chinchilla_lib.registry._types import Constant, Source

CONSTANTS: tuple[Constant, ...] = (
    Constant(
        "a100_bf16_peak_flops_per_second", 312e12, "FLOP/s",
        Source("nvidia2020a100", "Datasheet, BF16 Tensor Core (dense)",
               "Dense peak; the datasheet's 624 TFLOP/s assumes structured sparsity."),
    ),
    Constant(
        "h100_sxm_bf16_peak_flops_per_second", 989e12, "FLOP/s",
        Source("nvidia2022h100", "Datasheet, H100 SXM BF16 Tensor Core (dense)",
               "Dense peak; the datasheet's 1,979 TFLOP/s assumes structured sparsity."),
    ),
)
