"""Interactive explorers: each is a pure computation (tested), a figure updater that moves
existing artists, and ipywidgets controls. ipywidgets loads only when ``show()`` is called,
so explorers also run headless (tests, benchmarks, the static figure in the book).
"""

from chinchilla_lib.widgets.allocation import AllocationExplorer
from chinchilla_lib.widgets.base import Explorer
from chinchilla_lib.widgets.beyond_chinchilla import (
    DataCapExplorer,
    InferenceDemandExplorer,
    PrecisionExplorer,
)
from chinchilla_lib.widgets.broken_power_law import BrokenPowerLawExplorer
from chinchilla_lib.widgets.chinchilla_budget import ChinchillaBudgetExplorer
from chinchilla_lib.widgets.densing import DensingExplorer
from chinchilla_lib.widgets.disagreement import DisagreementExplorer
from chinchilla_lib.widgets.hyperparameters import HyperparameterExplorer
from chinchilla_lib.widgets.kaplan_plane import KaplanPlaneExplorer
from chinchilla_lib.widgets.loss_to_accuracy import LossToAccuracyExplorer
from chinchilla_lib.widgets.power_law_fit import PowerLawFitExplorer
from chinchilla_lib.widgets.theory import TheoryExplorer
from chinchilla_lib.widgets.three_approaches import ThreeApproachesExplorer
from chinchilla_lib.widgets.train_test_tradeoff import TrainTestTradeoffExplorer
from chinchilla_lib.widgets.transformer_cost import TransformerCostExplorer

__all__ = [
    "AllocationExplorer",
    "BrokenPowerLawExplorer",
    "ChinchillaBudgetExplorer",
    "DataCapExplorer",
    "DensingExplorer",
    "DisagreementExplorer",
    "Explorer",
    "HyperparameterExplorer",
    "InferenceDemandExplorer",
    "KaplanPlaneExplorer",
    "LossToAccuracyExplorer",
    "PowerLawFitExplorer",
    "PrecisionExplorer",
    "TheoryExplorer",
    "ThreeApproachesExplorer",
    "TrainTestTradeoffExplorer",
    "TransformerCostExplorer",
]
