"""Result types that several laws share, in a neutral home, so that no law imports another
only for its result type.

:class:`ComputeOptimum` is what ``compute_optimal`` returns on the Kaplan, Chinchilla and
data-constrained laws. It is re-exported, and documented, in :mod:`chinchilla_lib.laws.kaplan`,
where earlier code imported it; import it from there.
"""

from __future__ import annotations

from dataclasses import dataclass

from chinchilla_lib._validation import FloatOrArray

__all__ = ["ComputeOptimum"]



@dataclass(frozen=True)
class ComputeOptimum:
    """The best (N, D) for a compute budget C = 6ND, and the loss there.

    Attributes
    ----------
    flops
        C, FLOPs.
    n_params
        N_opt, parameters.
    n_tokens
        D_opt, tokens.
    loss
        L(N_opt, D_opt), nats per token.
    """

    flops: FloatOrArray
    n_params: FloatOrArray
    n_tokens: FloatOrArray
    loss: FloatOrArray
