"""Open base models' published benchmark scores (MMLU, BIG-Bench Hard) with their release
dates and sizes, for the densing chapter. A model the registry also holds as a trained model
(``chinchilla_lib.registry.models``) takes its size and tokens from there, under the same
name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chinchilla_lib.registry import models
from chinchilla_lib.registry._types import BenchmarkResult, Source
from chinchilla_lib.registry.xiao2024 import LLAMA1_RELEASE

_LLAMA2_CARD = Source(
    "touvron2023llama2", "Llama 2 model card (MODEL_CARD.md), grouped academic benchmarks",
    "Meta's own evaluation of Llama 1 and Llama 2 base models; the card states no shots (the "
    "Llama 2 paper: MMLU 5-shot, BBH 3-shot).")
_LLAMA3_SCORES = Source("meta2024llama3", "Model card, 'Base pretrained models'",
                        "MMLU (5-shot); BIG-Bench Hard (3-shot, CoT).")
_MISTRAL = Source("jiang2023mistral", "Table 2, MMLU (5-shot)",
                  "Read in a faithful transcription of the paper. It prints no BBH number "
                  "(BBH appears only as bars in Figure 4). Looked for again in the truth pass: "
                  "only restatements are stored (Papers with Code lists 60.1, 5-shot), not the "
                  "paper's table.", "secondary")
_MINICPM = Source("hu2024minicpm", "OpenBMB/MiniCPM README, MiniCPM 1.0 evaluation table",
                  "As printed (MMLU 53.46, BBH 36.87); no shots stated, and the scores are of "
                  "the model after supervised fine-tuning, not a pure base model.")
_GEMMA = Source("gemmateam2024gemma", "Table 6 (MMLU 5-shot top-1; BBH, setting blank)",
                "Read in a faithful transcription of the report; looked for again in the "
                "truth pass, the report's table is not stored.", "secondary")
_QWEN2 = Source("yang2024qwen2", "Tables 4 and 5 (MMLU 5-shot, BBH 3-shot)",
                "MMLU read in a transcription of the report; BBH also in Qwen's Qwen2 blog "
                "appendix (same numbers).", "secondary")
_GEMMA2 = Source("gemmateam2024gemma2", "Table 13 (MMLU 5-shot; BBH 3-shot, CoT)",
                 "Read in a faithful transcription of the report.", "secondary")
_QWEN25 = Source("qwen2024qwen25", "Qwen2.5-LLM blog post, base-model performance tables",
                 "MMLU (5-shot), BBH (3-shot).")


@dataclass(frozen=True)
class _Release:
    released: date
    note: str
    n_params: float | None  # None: the trained model's size in the registry (models.py)
    params_note: str


_RELEASES: dict[str, _Release] = {
    "Llama 1 7B": _Release(LLAMA1_RELEASE, "Meta's announcement", None, "Table 2 of the paper"),
    "Llama 1 13B": _Release(LLAMA1_RELEASE, "Meta's announcement", None, "Table 2"),
    "Llama 1 33B": _Release(LLAMA1_RELEASE, "Meta's announcement", None, "Table 2"),
    "Llama 1 65B": _Release(LLAMA1_RELEASE, "Meta's announcement", None, "Table 2"),
    "Llama 2 7B": _Release(date(2023, 7, 18), "release", None, "as named"),
    "Llama 2 13B": _Release(date(2023, 7, 18), "release", None, "as named"),
    "Llama 2 70B": _Release(date(2023, 7, 18), "release", None, "as named"),
    "Mistral 7B": _Release(date(2023, 9, 27), "as Xiao et al. give it (Section 1.1)", 7.24e9,
                           "from the released configuration (the announcement says 7.3B)"),
    "MiniCPM-2.4B": _Release(date(2024, 2, 1), "README changelog; Xiao et al. Section 1.1",
                             2.7e9, "README: 2.4B without embeddings, 2.7B in all"),
    "Gemma 2B": _Release(date(2024, 2, 21), "report date", 2.51e9,
                         "report's Table 2, embeddings included"),
    "Gemma 7B": _Release(date(2024, 2, 21), "report date", 8.54e9,
                         "report's Table 2, embeddings included"),
    "Llama 3 8B": _Release(date(2024, 4, 18), "model card, 'Model Release Date'", None,
                           "as named"),
    "Qwen2 1.5B": _Release(date(2024, 6, 6), "Qwen2 README: released 2024.06.06", 1.54e9,
                           "Qwen's blog"),
    "Qwen2 7B": _Release(date(2024, 6, 6), "Qwen2 README: released 2024.06.06", 7.6e9,
                         "model card (Qwen's blog table says 7.07B)"),
    "Gemma 2 9B": _Release(date(2024, 6, 27), "release", 9.24e9,
                           "report's Table 2, embeddings included"),
    "Gemma 2 27B": _Release(date(2024, 6, 27), "release", 27.2e9,
                            "report's Table 2, embeddings included"),
    "Gemma 2 2B": _Release(date(2024, 7, 31), "release", 2.61e9,
                           "report's Table 2, embeddings included"),
    "Qwen2.5 0.5B": _Release(date(2024, 9, 19), "Qwen2.5 announcement", 0.49e9, "Qwen's blog"),
    "Qwen2.5 1.5B": _Release(date(2024, 9, 19), "Qwen2.5 announcement", 1.54e9, "Qwen's blog"),
    "Qwen2.5 7B": _Release(date(2024, 9, 19), "Qwen2.5 announcement", 7.61e9, "Qwen's blog"),
}

_TRAINED = {m.name: m for m in models.MODELS}


def _result(name: str, benchmark: str, setting: str, score: float,
            source: Source) -> BenchmarkResult:
    release = _RELEASES[name]
    trained = _TRAINED.get(name)
    n_params = trained.n_params if release.n_params is None else release.n_params
    return BenchmarkResult(name, release.released, release.note, n_params, benchmark, setting,
                           score, source, trained.n_tokens if trained else None,
                           release.params_note)


BASE_MODEL_SCORES: tuple[BenchmarkResult, ...] = tuple(
    _result(name, "MMLU", setting, score, source) for name, setting, score, source in (
        ("Llama 1 7B", "5-shot", 0.351, _LLAMA2_CARD),
        ("Llama 1 13B", "5-shot", 0.469, _LLAMA2_CARD),
        ("Llama 1 33B", "5-shot", 0.578, _LLAMA2_CARD),
        ("Llama 1 65B", "5-shot", 0.634, _LLAMA2_CARD),
        ("Llama 2 7B", "5-shot", 0.453, _LLAMA2_CARD),
        ("Llama 2 13B", "5-shot", 0.548, _LLAMA2_CARD),
        ("Llama 2 70B", "5-shot", 0.689, _LLAMA2_CARD),
        ("Mistral 7B", "5-shot", 0.601, _MISTRAL),
        ("MiniCPM-2.4B", "not stated", 0.5346, _MINICPM),
        ("Gemma 2B", "5-shot", 0.423, _GEMMA),
        ("Gemma 7B", "5-shot", 0.643, _GEMMA),
        ("Llama 3 8B", "5-shot", 0.666, _LLAMA3_SCORES),
        ("Qwen2 1.5B", "5-shot", 0.565, _QWEN2),
        ("Qwen2 7B", "5-shot", 0.703, _QWEN2),
        ("Gemma 2 9B", "5-shot", 0.713, _GEMMA2),
        ("Gemma 2 27B", "5-shot", 0.752, _GEMMA2),
        ("Gemma 2 2B", "5-shot", 0.522, _GEMMA2),
        ("Qwen2.5 0.5B", "5-shot", 0.475, _QWEN25),
        ("Qwen2.5 1.5B", "5-shot", 0.609, _QWEN25),
        ("Qwen2.5 7B", "5-shot", 0.742, _QWEN25),
    )
) + tuple(
    _result(name, "BBH", setting, score, source) for name, setting, score, source in (
        ("Llama 1 7B", "3-shot", 0.303, _LLAMA2_CARD),
        ("Llama 1 13B", "3-shot", 0.370, _LLAMA2_CARD),
        ("Llama 1 33B", "3-shot", 0.398, _LLAMA2_CARD),
        ("Llama 1 65B", "3-shot", 0.435, _LLAMA2_CARD),
        ("Llama 2 7B", "3-shot", 0.326, _LLAMA2_CARD),
        ("Llama 2 13B", "3-shot", 0.394, _LLAMA2_CARD),
        ("Llama 2 70B", "3-shot", 0.512, _LLAMA2_CARD),
        ("MiniCPM-2.4B", "not stated", 0.3687, _MINICPM),
        ("Gemma 2B", "not stated", 0.352, _GEMMA),
        ("Gemma 7B", "not stated", 0.551, _GEMMA),
        ("Llama 3 8B", "3-shot, CoT", 0.611, _LLAMA3_SCORES),
        ("Qwen2 1.5B", "3-shot", 0.372, _QWEN2),
        ("Qwen2 7B", "3-shot", 0.626, _QWEN2),
        ("Gemma 2 9B", "3-shot, CoT", 0.682, _GEMMA2),
        ("Gemma 2 27B", "3-shot, CoT", 0.749, _GEMMA2),
        ("Gemma 2 2B", "3-shot, CoT", 0.419, _GEMMA2),
        ("Qwen2.5 0.5B", "3-shot", 0.203, _QWEN25),
        ("Qwen2.5 1.5B", "3-shot", 0.451, _QWEN25),
        ("Qwen2.5 7B", "3-shot", 0.704, _QWEN25),
    )
)
"""Open base models' MMLU and BIG-Bench Hard (BBH) scores as their developers published them,
for Chapter 9. Each row's source says where the score is printed and how sure it is."""


def base_model_scores(benchmark: str) -> tuple[BenchmarkResult, ...]:
    """The rows of :data:`BASE_MODEL_SCORES` for one benchmark (``"MMLU"`` or ``"BBH"``),
    in release order.

    Raises
    ------
    ValueError
        If ``benchmark`` is not one of the benchmarks in the table.
    """
    known = sorted({r.benchmark for r in BASE_MODEL_SCORES})
    if benchmark not in known:
        raise ValueError(f"benchmark must be one of {known}; got {benchmark!r}")
    rows = [r for r in BASE_MODEL_SCORES if r.benchmark == benchmark]
    return tuple(sorted(rows, key=lambda r: r.released))
