"""The toy model's trainer (issue 17): its FLOP count against the operations of a training
step, determinism for a seed, the learning-rate schedule, loss falling with width and tokens,
and refusals."""

from __future__ import annotations

import math
from collections import Counter
from typing import ClassVar

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chinchilla_lib.experiment import (
    BATCH_SIZE,
    FINAL_LR_FRACTION,
    LR_COEFFICIENT,
    MAX_TOKENS,
    MAX_WIDTH,
    WARMUP_FRACTION,
    NextTokenModel,
    ToyLanguage,
    learning_rate,
    peak_learning_rate,
    train,
)
from chinchilla_lib.experiment import trainer as trainer_module
from chinchilla_lib.quantities import next_token_model_parameters, training_flops

TINY = ToyLanguage(vocab_size=64, seed=3)


class Counted(np.ndarray):
    """An array that tallies the arithmetic done on it: every NumPy ufunc call (elementwise,
    reductions, ``np.add.at``) by its output size, and every matrix product by its
    multiply-adds (``m k n`` for an ``m x k`` times ``k x n`` product, 2 FLOPs each)."""

    tally: ClassVar[Counter] = Counter()

    def __array_ufunc__(self, ufunc, method, *inputs, out=None, **kwargs):
        plain = [np.asarray(a).view(np.ndarray) if isinstance(a, Counted) else a
                 for a in inputs]
        if out is not None:
            kwargs["out"] = tuple(o.view(np.ndarray) if isinstance(o, Counted) else o
                                  for o in out)
        result = getattr(ufunc, method)(*plain, **kwargs)
        if ufunc is np.matmul:
            a, b = np.shape(plain[0]), np.shape(plain[1])
            Counted.tally["matmul FLOPs"] += 2 * a[0] * a[1] * b[1]
        elif method == "at":
            Counted.tally["elementwise"] += np.size(plain[2] if len(plain) > 2 else plain[0])
        elif method == "reduce":
            Counted.tally["elementwise"] += np.size(plain[0])
        else:
            Counted.tally["elementwise"] += np.size(result if out is None else out[0])
        if out is not None:
            return out[0] if len(out) == 1 else out
        return result.view(Counted) if isinstance(result, np.ndarray) else result


@pytest.mark.parametrize("width", [4, 64, 508])
def test_six_n_d_is_the_multiply_adds_of_a_training_step_plus_the_bias(width, monkeypatch):
    """One step of ``train``, with the model's arrays made to count their arithmetic.

    The step's three matrix products (logits ``B x d @ d x V``, the dense gradient
    ``d x B @ B x V`` and the hidden gradient ``B x V @ V x d``) cost exactly 6 B d V FLOPs.
    6ND with N = dV + V (the dense matrix and the bias) counts 6 B d V + 6 B V: the 6 B V for
    the bias overstates its real cost (an add and a column sum, 2 B V). 6ND leaves out
    the softmax and the loss gradient (a few operations per logit, about 8 B V), the lookup's
    scatter-add (B d) and Adam (about a dozen operations per parameter per step, over the
    lookup table too, 2 V d + V parameters). All of these together are bounded here by
    10 B V + 15 (2 d V + V). Counted here: 28 % of 6ND at width 4 (where per-token work
    dominates the wall time too), 3.8 % at width 64 and 2.0 % at width 508 (batch 256).
    """
    Counted.tally = Counter()
    initial = NextTokenModel.initial.__func__

    def counted(cls, vocab_size, width, seed):
        model = initial(cls, vocab_size, width, seed)
        return cls(lookup=model.lookup.view(Counted), dense=model.dense.view(Counted),
                   bias=model.bias.view(Counted))

    monkeypatch.setattr(NextTokenModel, "initial", classmethod(counted))
    # the final evaluation (a V x d x V product in float64) is not part of a training step
    monkeypatch.setattr(NextTokenModel, "log_probs",
                        lambda self: np.zeros((TINY_V, TINY_V)))
    language = ToyLanguage(vocab_size=TINY_V, seed=1)
    batch = BATCH_SIZE
    run = train(language, width, batch)                     # one step
    n = next_token_model_parameters(TINY_V, width).dense
    assert run.n_tokens == batch and run.n_params == n
    six_nd = float(training_flops(n, batch))
    assert run.flops == six_nd
    assert Counted.tally["matmul FLOPs"] == 6 * batch * width * TINY_V
    assert six_nd - Counted.tally["matmul FLOPs"] == 6 * batch * TINY_V   # the bias's term
    other = Counted.tally["elementwise"]
    bound = 10 * batch * TINY_V + 15 * (2 * width * TINY_V + TINY_V)
    assert 0 < other <= bound
    if width >= 64:
        assert other / six_nd < 0.04


TINY_V = 512


def test_training_is_bit_for_bit_the_same_for_a_seed_and_differs_between_seeds():
    first = train(TINY, 8, 20_000, seed=1, data_seed=2)
    again = train(TINY, 8, 20_000, seed=1, data_seed=2)
    assert first.loss == again.loss
    assert train(TINY, 8, 20_000, seed=1, data_seed=3).loss != first.loss
    assert train(TINY, 8, 20_000, seed=4, data_seed=2).loss != first.loss


def test_the_run_reports_its_accounting():
    run = train(TINY, 4, 20_000, checkpoints=5)
    steps = math.ceil(20_000 / BATCH_SIZE)
    assert run.n_tokens == steps * BATCH_SIZE
    assert run.n_params == next_token_model_parameters(64, 4).dense == 4 * 64 + 64
    assert run.flops == 6 * run.n_params * run.n_tokens
    assert run.entropy_rate == TINY.entropy_rate
    assert run.excess_loss == run.loss - TINY.entropy_rate > 0
    assert run.curve_tokens[-1] == run.n_tokens and run.curve_loss[-1] == run.loss
    assert list(run.curve_tokens) == sorted(set(run.curve_tokens))
    assert run.curve_loss[0] < math.log(64)       # it learns from the first step on


def test_the_untrained_model_predicts_uniformly():
    model = NextTokenModel.initial(64, 8, seed=0)
    assert TINY.cross_entropy(model.log_probs()) == pytest.approx(math.log(64), rel=1e-12)


def test_the_learning_rate_warms_up_peaks_and_ends_on_the_cosine_floor():
    steps, peak = 1001, 0.05
    rates = np.array([learning_rate(s, steps, peak) for s in range(steps)])
    warmup = round(WARMUP_FRACTION * steps)
    # linear warm-up to the peak, reached at the first step after it
    np.testing.assert_allclose(rates[:warmup], peak * np.arange(1, warmup + 1) / (warmup + 1),
                               rtol=1e-12)
    assert rates.max() == rates[warmup] == peak
    assert np.all(np.diff(rates[:warmup + 1]) > 0) and np.all(np.diff(rates[warmup:]) <= 0)
    # the cosine: halfway down at the middle of the decay, the floor at the last step
    middle = warmup + (steps - 1 - warmup) // 2       # 20 + 490
    assert learning_rate(middle, steps, peak) == pytest.approx(
        peak * (1 + FINAL_LR_FRACTION) / 2, rel=1e-12)
    assert rates[-1] == pytest.approx(FINAL_LR_FRACTION * peak, rel=1e-12)
    # the shortest runs: one step is a warm-up step; the schedule always stays in (0, peak]
    assert 0 < learning_rate(0, 1, peak) <= peak
    assert all(0 < learning_rate(s, 3, peak) <= peak for s in range(3))


def test_the_peak_learning_rate_falls_as_one_over_root_width():
    assert peak_learning_rate(1) == LR_COEFFICIENT
    assert peak_learning_rate(64) == pytest.approx(LR_COEFFICIENT / 8, rel=1e-15)


def test_the_loss_falls_with_width_and_with_tokens():
    """On a 64-token language, at a fixed 30,000 tokens the loss falls as the width grows,
    and at a fixed width it falls as the tokens grow; every loss stays above the entropy
    rate."""
    by_width = [train(TINY, w, 30_000, seed=0, data_seed=0).loss for w in (1, 4, 16)]
    by_tokens = [train(TINY, 8, t, seed=0, data_seed=0).loss for t in (3_000, 12_000, 48_000)]
    assert by_width[0] > by_width[1] > by_width[2] > TINY.entropy_rate
    assert by_tokens[0] > by_tokens[1] > by_tokens[2] > TINY.entropy_rate


def test_progress_is_reported_up_to_the_last_step():
    seen = []
    train(TINY, 2, 30 * BATCH_SIZE, progress=lambda done, steps: seen.append((done, steps)))
    assert seen[-1] == (30, 30) and [d for d, _ in seen] == sorted(d for d, _ in seen)


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"language": "text"}, TypeError, "language must be a ToyLanguage"),
    ({"width": 0}, ValueError, "width"),
    ({"width": MAX_WIDTH + 1}, ValueError, "width must be at most"),
    ({"width": 2.5}, ValueError, "width"),
    ({"tokens": 0}, ValueError, "tokens"),
    ({"tokens": MAX_TOKENS + 1}, ValueError, "tokens must be at most"),
    ({"tokens": "1000"}, ValueError, "tokens"),
    ({"seed": -1}, ValueError, "seed"),
    ({"data_seed": -1}, ValueError, "seed"),
    ({"batch_size": 0}, ValueError, "batch_size"),
    ({"peak_lr": 0.0}, ValueError, "peak_lr must be finite and > 0"),
    ({"peak_lr": math.nan}, ValueError, "peak_lr"),
    ({"peak_lr": "fast"}, TypeError, "peak_lr must be a real number"),
    ({"peak_lr": True}, TypeError, "peak_lr"),
    ({"checkpoints": -1}, ValueError, "checkpoints"),
    ({"progress": 3}, TypeError, "progress must be callable"),
])
def test_train_refuses_bad_arguments_by_name(kwargs, error, match):
    arguments = {"language": TINY, "width": 4, "tokens": 1000, **kwargs}
    with pytest.raises(error, match=match):
        train(**arguments)


@pytest.mark.parametrize(("args", "error", "match"), [
    ((-1, 10, 0.1), ValueError, "step"),
    ((10, 10, 0.1), ValueError, r"step must lie in \[0, steps - 1\]"),
    ((0, 0, 0.1), ValueError, "steps"),
    ((0, 10, -0.1), ValueError, "peak must be finite and > 0"),
    ((0, 10, math.inf), ValueError, "peak"),
    ((0, 10, None), TypeError, "peak must be a real number"),
    ((0.5, 10, 0.1), ValueError, "step"),
])
def test_learning_rate_refuses_bad_arguments_by_name(args, error, match):
    with pytest.raises(error, match=match):
        learning_rate(*args)


@pytest.mark.parametrize(("args", "error", "match"), [
    ((0,), ValueError, "width"), ((-4,), ValueError, "width"), (("8",), ValueError, "width"),
])
def test_peak_learning_rate_refuses_bad_widths(args, error, match):
    with pytest.raises(error, match=match):
        peak_learning_rate(*args)


@pytest.mark.parametrize(("args", "match"), [
    ((1, 4, 0), "vocab_size"), ((64, 0, 0), "width"), ((64, 4, -1), "seed"),
])
def test_a_model_refuses_bad_sizes(args, match):
    with pytest.raises(ValueError, match=match):
        NextTokenModel.initial(*args)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(width=st.one_of(st.integers(-2, 6), st.floats(allow_nan=True), st.none()),
       tokens=st.one_of(st.integers(-5, 3000), st.floats(allow_nan=True, allow_infinity=True)),
       peak=st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True),
                      st.booleans()))
def test_fuzz_train_either_trains_or_refuses_by_name(width, tokens, peak):
    try:
        run = train(TINY, width, tokens, peak_lr=peak)
    except (TypeError, ValueError) as error:
        assert any(name in str(error) for name in ("width", "tokens", "peak_lr")), error
        return
    assert math.isfinite(run.loss) and run.loss > TINY.entropy_rate - 1e-9
    assert run.n_tokens >= tokens


@settings(max_examples=60, deadline=None, derandomize=True)
@given(steps=st.integers(1, 5000), data=st.data())
def test_fuzz_the_schedule_stays_between_the_floor_and_the_peak(steps, data):
    step = data.draw(st.integers(0, steps - 1))
    rate = learning_rate(step, steps, 1.0)
    assert 0 < rate <= 1.0
    warmup = max(1, round(WARMUP_FRACTION * steps))
    if step >= warmup:
        assert rate >= FINAL_LR_FRACTION - 1e-12


def test_the_trainer_module_lists_what_it_exports():
    assert set(trainer_module.__all__) >= {"train", "learning_rate", "NextTokenModel"}


@settings(max_examples=40, deadline=None, derandomize=True)
@given(index=st.lists(st.integers(0, 7), min_size=1, max_size=40), seed=st.integers(0, 99))
def test_the_scatter_add_is_np_add_at_to_the_bit(index, seed):
    """The lookup table's gradient: the trainer's faster scatter adds each row's values in
    the same order as ``np.add.at``, so training is unchanged to the bit."""
    x = np.array(index)
    values = np.random.default_rng(seed).standard_normal((x.size, 5)).astype(np.float32)
    expected = np.zeros((8, 5), dtype=np.float32)
    np.add.at(expected, x, values)
    got = np.full((8, 5), np.nan, dtype=np.float32)
    trainer_module._scatter_add(got, x, values, np.arange(x.size))
    np.testing.assert_array_equal(got, expected)
