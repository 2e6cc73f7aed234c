"""TrainingCurves from a long table of checkpoints (the sweep's loss curves, Chapter 10)."""

from __future__ import annotations

import numpy as np
import pytest

from chinchilla_lib.fitting.runs import TrainingCurves


def test_training_curves_from_checkpoints_keep_each_runs_last_common_count():
    run = np.array([2, 1, 1, 2, 1, 2, 2])
    n = np.array([20, 10, 10, 20, 10, 20, 20])
    tokens = np.array([4e3, 1e3, 1e5, 1e3, 1e4, 1e5, 1e4])
    loss = np.array([3.5, 4.0, 2.0, 4.1, 3.0, 2.1, 3.1])
    curves = TrainingCurves.from_checkpoints(run, n, tokens, loss)
    assert curves.n_params.tolist() == [20.0, 10.0]              # order of first appearance
    assert curves.tokens.tolist() == [[4e3, 1e4, 1e5], [1e3, 1e4, 1e5]]
    assert curves.loss.tolist() == [[3.5, 3.1, 2.1], [4.0, 3.0, 2.0]]
    with pytest.raises(ValueError, match="one value per run"):
        TrainingCurves.from_checkpoints([1, 1], [10, 20], [1e3, 1e4], [3.0, 2.0])
    with pytest.raises(ValueError, match="at least 2 checkpoints"):
        TrainingCurves.from_checkpoints([1, 2, 2], [10, 20, 20], [1e3, 1e3, 1e4], [3, 3, 2])
    with pytest.raises(ValueError, match="one length"):
        TrainingCurves.from_checkpoints([1, 1], [10, 10], [1e3], [3.0, 2.0])
