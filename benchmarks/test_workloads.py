"""The workloads as pytest-benchmark suites: one group per configuration, parametrised over
the implementations (the peers, MyGrad and HIPS autograd, where a configuration is written for
them and they are installed), so pytest-benchmark's table shows each against the fastest."""

import pytest

from .workloads import IMPLEMENTATIONS, PEERS, cases, notebook_imports


def by_workload(workload):
    """Parametrise a test over ``workload``'s configurations and their implementations."""
    return pytest.mark.parametrize(
        "case, impl",
        [(c, impl) for c in cases(workloads=(workload,))
         for impl in c.implementations(IMPLEMENTATIONS + PEERS)],
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


@by_workload(7)
def test_tanh_chain(bench, case, impl):
    bench(case, impl)


@by_workload(8)
def test_deep_chain(bench, benchmark, case, impl):
    if benchmark.enabled:  # time it in a process such as a notebook's, as the report does
        notebook_imports()
    bench(case, impl)


def test_peers_are_written_for_the_lab_epochs_and_the_tanh_chains():
    assert [c.group for c in cases() if c.peers] == [
        "w1 lab factorisation: Iris 150x4 rank 2 float64",
        "w3 lab MLP: 100x4-12-3 float32",
        "w7 tanh chain: 1000 x (mul, add, tanh) on 64 float64",
        "w8 deep chain: tanh chain 100 ops",
        "w8 deep chain: tanh chain 1000 ops",
        "w8 deep chain: tanh chain 10000 ops",
    ]
    factorisation = cases(workloads=(2,))[0]
    assert factorisation.implementations(IMPLEMENTATIONS + PEERS) == list(IMPLEMENTATIONS)
