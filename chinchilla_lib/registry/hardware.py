"""Accelerator datasheets: peak dense BF16 throughput of NVIDIA's A100, H100 and H200 and of
Google's TPU v4, v5e and v5p, and the maximum power of the A100 and H100.

"Dense" is the peak without structured sparsity: NVIDIA's datasheets print BF16 peaks that
assume 2:4 sparsity, twice the dense ones; training a dense model runs at the dense peak.
Google's TPU pages print one BF16 peak per chip (TPUs have no sparse mode)."""

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
        "h200_sxm_bf16_peak_flops_per_second", 989e12, "FLOP/s",
        Source("nvidia2023h200", "Datasheet, H200 SXM BF16 Tensor Core",
               "Dense peak. The datasheet prints 1,979 TFLOP/s 'with sparsity'; the dense "
               "value, half of it and the same as the H100 SXM's (the same GH100 die, with "
               "more memory), was read in restatements of the specification table, not in "
               "NVIDIA's PDF.",
               status="secondary"),
    ),
    Constant(
        "tpu_v4_bf16_peak_flops_per_second", 275e12, "FLOP/s",
        Source("google2023tpuv4", "Cloud TPU documentation, 'TPU v4', System architecture",
               "'Peak compute per chip: 275 teraflops (bf16 or int8)'. Dense: TPUs have no "
               "sparse mode."),
    ),
    Constant(
        "tpu_v5e_bf16_peak_flops_per_second", 197e12, "FLOP/s",
        Source("google2023tpuv5e", "Cloud TPU documentation, 'TPU v5e', System architecture",
               "'Peak compute per chip (bf16): 197 TFLOPs'. Dense: TPUs have no sparse mode."),
    ),
    Constant(
        "tpu_v5p_bf16_peak_flops_per_second", 459e12, "FLOP/s",
        Source("google2023tpuv5p", "Cloud TPU documentation, 'TPU v5p', System architecture",
               "'Peak compute per chip (bf16): 459 TFLOPs'. Dense: TPUs have no sparse mode."),
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
