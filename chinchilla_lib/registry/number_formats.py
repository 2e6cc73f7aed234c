"""Number formats used to store weights, activations and the KV cache: how each floating-point
format splits its bits between exponent and mantissa (the sign takes one bit), as the
standard or document that defines it states.

Integer formats need no entry: an INT-b format is b bits in two's complement by its name.
"""

from __future__ import annotations

from chinchilla_lib.registry._types import Constant, Source

_IEEE = Source("ieee2019754", "Section 3.6, binary interchange formats (binary16, binary32)",
               "Exponent field width w and trailing significand width t = p - 1. The "
               "standard's text was not read here: the values are held (tests/test_registry.py) "
               "against numpy.finfo (nexp, nmant), which implements these binary formats.",
               "secondary")
_BF16 = Source("google2024bfloat16", "Introduction",
               "'The dynamic range of bfloat16 and float32 are equivalent' (8 exponent bits); "
               "the split '1 bit of sign, 8 bits of exponent, and 7 bits of mantissa' is "
               "quoted from Google's TensorFlow Lite reference (TfLiteBFloat16), which cites "
               "this page.")
_FP8 = Source("micikevicius2022fp8", "Abstract; Section 3",
              "'E4M3 (4-bit exponent and 3-bit mantissa) and E5M2 (5-bit exponent and 2-bit "
              "mantissa). While E5M2 follows IEEE 754 conventions for representation of special "
              "values, E4M3's dynamic range is extended by not representing infinities and "
              "having only one mantissa bit-pattern for NaNs.'")

CONSTANTS: tuple[Constant, ...] = (
    Constant("fp32_exponent_bits", 8.0, "bits", _IEEE),
    Constant("fp32_mantissa_bits", 23.0, "bits", _IEEE),
    Constant("fp16_exponent_bits", 5.0, "bits", _IEEE),
    Constant("fp16_mantissa_bits", 10.0, "bits", _IEEE),
    Constant("bf16_exponent_bits", 8.0, "bits", _BF16),
    Constant("bf16_mantissa_bits", 7.0, "bits", _BF16),
    Constant("fp8_e4m3_exponent_bits", 4.0, "bits", _FP8),
    Constant("fp8_e4m3_mantissa_bits", 3.0, "bits", _FP8),
    Constant("fp8_e5m2_exponent_bits", 5.0, "bits", _FP8),
    Constant("fp8_e5m2_mantissa_bits", 2.0, "bits", _FP8),
    Constant("fp8_e4m3_max_normal", 448.0, "largest finite magnitude",
             Source("micikevicius2022fp8", "Table 1 (Max normal)",
                    "S.1111.110 = 1.75 * 2^8 = 448; Section 3.1: without reclaiming the top "
                    "exponent for numbers the maximum would be 240.")),
    Constant("fp8_e5m2_max_normal", 57_344.0, "largest finite magnitude",
             Source("micikevicius2022fp8", "Table 1 (Max normal)",
                    "S.11110.11 = 1.75 * 2^15 = 57,344 (IEEE specials kept).")),
)
