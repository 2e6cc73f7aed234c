"""Root pytest configuration: execute each notebook once for nbval and the book build."""

from tests.nbval_cache import ExecutionRecorder


def pytest_configure(config) -> None:
    config.pluginmanager.register(ExecutionRecorder(), "nbval-execution-cache")
