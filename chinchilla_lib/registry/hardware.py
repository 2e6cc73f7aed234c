"""Accelerator datasheets: peak dense BF16 throughput and maximum power of NVIDIA's A100 and
H100."""

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
    Constant(
        "a100_sxm_max_power_watts", 400.0, "W",
        Source("nvidia2020a100", "Datasheet, 'Max Thermal Design Power (TDP)', A100 80GB SXM",
               "400 W 'for standard configuration' (the datasheet's footnote; a custom "
               "thermal solution allows up to 500 W; the PCIe card is rated 300 W). The "
               "board's rated maximum, not a measured draw; servers, network and cooling come "
               "on top. Read in a verbatim copy of the datasheet's specification table and "
               "its footnotes, not in NVIDIA's PDF.",
               status="secondary"),
    ),
    Constant(
        "h100_sxm_max_power_watts", 700.0, "W",
        Source("nvidia2022h100", "Datasheet, 'Max Thermal Design Power (TDP)', H100 SXM",
               "'Up to 700W (configurable)'. The board's rated maximum, not a measured draw; "
               "servers, network and cooling come on top. Read in verbatim copies of the "
               "specification table, not in NVIDIA's PDF.",
               status="secondary"),
    ),
)
