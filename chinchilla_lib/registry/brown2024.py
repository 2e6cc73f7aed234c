"""Brown (2024), *Parables on the power of planning in AI* (a talk): the claim that search
in poker was worth a model about 100,000 times larger."""

from __future__ import annotations

from chinchilla_lib.registry._types import Constant, Source

CONSTANTS: tuple[Constant, ...] = (
    Constant("brown_search_model_scale_equivalent", 1e5, "factor of model size",
             Source("brown2024parables", "Talk, Paul G. Allen School distinguished lecture "
                    "(video, May 2024), the poker part",
                    "A spoken claim, not a paper: adding search to the poker agents helped as "
                    "much as scaling the pre-computed model about 100,000x. Read only in a "
                    "written summary of the talk (bagrounds.org); the course found no paper "
                    "by Brown and Sandholm that prints the number, hence secondary.",
                    "secondary")),
)
