"""The six workloads as pytest-benchmark suites: one group per configuration, parametrised over
the three implementations, so pytest-benchmark's table shows each against the fastest."""

import pytest

from .workloads import IMPLEMENTATIONS, cases


def by_workload(workload):
    """Parametrise a test over ``workload``'s configurations and the implementations."""
    return pytest.mark.parametrize(
        "case, impl",
        [(c, impl) for c in cases(workloads=(workload,)) for impl in IMPLEMENTATIONS],
        ids=lambda v: v.label.replace(" ", "-") if hasattr(v, "label") else v)


@by_workload(1)
def test_lab_factorisation(bench, case, impl):
    bench(case, impl)


@by_workload(2)
def test_factorisation_at_scale(bench, case, impl):
    bench(case, impl)


@by_workload(3)
def test_lab_mlp(bench, case, impl):
    bench(case, impl)


@by_workload(4)
def test_wide_mlp(bench, case, impl):
    bench(case, impl)


@by_workload(5)
def test_op_overhead(bench, case, impl):
    bench(case, impl)


@by_workload(6)
def test_graph_size(bench, case, impl):
    bench(case, impl)
