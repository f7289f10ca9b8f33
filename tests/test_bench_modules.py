"""The benchmarks are not run by the suite (`make bench` runs them), but they must still
import: a renamed helper in the code they measure would otherwise break `make bench`
unnoticed until someone runs it."""

import importlib
import pkgutil

import pytest

import tests.bench


@pytest.mark.parametrize("name", sorted(m.name for m in pkgutil.iter_modules(
    tests.bench.__path__) if m.name != "__main__"))
def test_benchmark_module_imports(name: str) -> None:
    module = importlib.import_module(f"tests.bench.{name}")
    assert callable(getattr(module, "run", None)) or callable(getattr(module, "main", None)), (
        f"tests.bench.{name} has no run() or main() for `make bench` to call")
