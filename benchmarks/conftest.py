"""Shared fixture: benchmark one implementation of one workload configuration.

In the normal test run (``--benchmark-disable`` in the project's addopts) each benchmark body
runs once, as a smoke test. ``pytest benchmarks/ --benchmark-only`` benchmarks: asking for
benchmarks only lifts that ``--benchmark-disable`` (pytest-benchmark refuses both at once).
"""

import numpy as np
import pytest


def pytest_configure(config):
    if config.getoption("benchmark_only", False):
        config.option.benchmark_enable = True


def needs(impl):
    """Skip when an optional implementation (torch, or a peer: MyGrad, HIPS autograd) is not
    installed; tinyad and numpy are required."""
    if impl == "torch":
        pytest.importorskip("torch", reason="torch is not installed (pip install -e '.[torch]')")
    elif impl in ("mygrad", "autograd"):
        pytest.importorskip(impl, reason=f"{impl} is not installed (pip install -e '.[peers]')")


@pytest.fixture
def bench(benchmark):
    """``bench(case, impl)``: time ``case``'s epoch for ``impl`` in the case's group, then
    check that the parameters or gradients it left are finite."""

    def run_case(case, impl):
        needs(impl)
        run = case.build(impl)
        benchmark.group = case.group
        benchmark.extra_info.update(workload=case.workload, size=case.size, dtype=case.dtype)
        if benchmark.enabled:
            run.step()  # warm-up: first calls allocate caches in every implementation
        benchmark(run.step)
        bad = [i for i, a in enumerate(run.state()) if not np.isfinite(a).all()]
        assert not bad, f"{impl} left non-finite values in state {bad} of {case.group}"

    return run_case
