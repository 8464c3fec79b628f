"""The report script: its targets arithmetic, and a tiny end-to-end run."""

import json

import pytest

from . import report
from .__main__ import main
from .conftest import needs
from .measure import Timing
from .workloads import PEERS, cases, peer_available


def timings(**medians):
    return {impl: Timing([m], [m / 2], 1) for impl, m in medians.items()}


def test_targets_compare_tinyad_with_the_other_two():
    lab, *_ = cases(workloads=(1,))
    big = next(c for c in cases(sizes=(1024,), dtypes=("float64",), workloads=(2,)))
    rows = report.targets([(lab, timings(tinyad=1.0, torch=4.0, numpy=0.5)),
                           (big, timings(tinyad=1.2, torch=2.0, numpy=1.0))])
    got = {r["target"]: (round(r["measured"], 6), r["result"]) for r in rows}
    assert got == {
        "w1 lab factorisation: tinyad / torch <= 0.5": (0.25, "PASS"),
        "w1 lab factorisation: tinyad / numpy <= 2.0": (2.0, "PASS"),
        "w2 factorisation n=1024 rank 32 float64: tinyad / numpy <= 1.1": (1.2, "MISS"),
    }


def test_graph_flatness_needs_both_ends_of_the_range():
    chains = [c for c in cases(graph_sizes=(100, 1000, 10000), workloads=(6,))
              if c.label.startswith("chain")]
    # 2 µs per op at 100 and 1000 ops, 4 µs at 10000: backward per op doubles.
    results = [(c, timings(tinyad=c.size * 2e-6)) for c in chains[:2]]
    results.append((chains[2], timings(tinyad=chains[2].size * 4e-6)))
    rows = report.targets(results)
    assert [(r["measured"], r["result"]) for r in rows] == [(2.0, "MISS"), (2.0, "MISS")]
    rows = report.targets(results[:2])
    assert [r["result"] for r in rows] == ["not measured", "not measured"]


def split_timings(**per_impl):
    """{impl: (forward, backward)} seconds -> Timings of one sample with that split."""
    return {impl: Timing([f + b], [b], 1) for impl, (f, b) in per_impl.items()}


def test_deep_chain_targets_are_against_torch_and_flat_forward_and_backward():
    deep = cases(workloads=(8,))
    assert [c.size for c in deep] == [100, 1000, 10000]
    # tinyad: 1 µs forward and 1 µs backward per op at 100 and 1000 ops; at 10000 the forward
    # costs 2 µs per op (a full collection, say) and the backward stays flat. torch: 3 µs per op.
    per_op = {100: (1e-6, 1e-6), 1000: (1e-6, 1e-6), 10000: (2e-6, 1e-6)}
    results = [(c, split_timings(tinyad=tuple(x * c.size for x in per_op[c.size]),
                                 torch=(2e-6 * c.size, 1e-6 * c.size))) for c in deep]
    got = {r["target"]: (round(r["measured"], 6), r["result"]) for r in report.targets(results)}
    assert got == {
        "w8 tanh chain 100 ops: tinyad / torch <= 0.8": (round(2 / 3, 6), "PASS"),
        "w8 tanh chain 1000 ops: tinyad / torch <= 0.8": (round(2 / 3, 6), "PASS"),
        "w8 tanh chain 10000 ops: tinyad / torch <= 0.8": (1.0, "MISS"),
        "w8 deep chain: tinyad forward time per op, max/min over 100-10000 ops <= 1.3":
            (2.0, "MISS"),
        "w8 deep chain: tinyad backward time per op, max/min over 100-10000 ops <= 1.3":
            (1.0, "PASS"),
    }
    table = report.deep_chain_table(results, ["tinyad", "torch"],
                                    {10000: {"tinyad": {0: 94.0, 1: 8.5, 2: 0.5}}})
    assert "| 10000 | 2 µs / 1 µs | 2 µs / 1 µs | 1.00 | 94/8.5/0.5 |" in table
    assert "| 100 | 1 µs / 1 µs | 2 µs / 1 µs | 0.67 | - |" in table


def test_the_peers_table_divides_every_implementation_by_numpy():
    lab, = cases(workloads=(1,))
    table = report.peers_table([(lab, timings(tinyad=2.0, numpy=1.0, mygrad=5.0))],
                               ["tinyad", "torch", "numpy", "mygrad"])
    assert table.splitlines()[-1] == (
        "| 1 lab factorisation | Iris 150x4 rank 2 float64 | 2.00 | - | 1.00 | 5.00 |")


def test_a_tiny_report_run_writes_its_files(tmp_path, capsys):
    needs("torch")
    code = main(["--workloads", "1,2,6,7,8", "--sizes", "32,64", "--graph-sizes", "10,20",
                 "--deep-sizes", "10,30", "--budget", "0.02", "--min-rounds", "2",
                 "--no-memory", "--out", str(tmp_path)])
    assert code == 0
    data = json.loads((tmp_path / "results.json").read_text())
    assert [r["label"] for r in data["results"]][:3] == [
        "Iris 150x4 rank 2 float64", "n=32 rank 32 float32", "n=64 rank 32 float32"]
    peers = {p for p in PEERS if peer_available(p)}
    for r in data["results"]:
        with_peers = r["workload"] in (1, 7, 8)
        assert set(r["timings"]) == {"tinyad", "torch", "numpy"} | (peers if with_peers else set())
        assert all(t["median_s"] > 0 and t["rounds"] >= 2 for t in r["timings"].values())
        rounds = r["tinyad_over_numpy_rounds"]
        assert rounds["q1"] <= rounds["median"] <= rounds["q3"]
    assert [r["label"] for r in data["results"] if r["workload"] == 8] == [
        "tanh chain 10 ops", "tanh chain 30 ops"]
    assert data["machine"]["notebook_imports"]["imports"]["matplotlib.pyplot"]
    assert set(data["machine"]["deep_chain_gc_collections"]) == {"10", "30"}
    assert len(data["machine"]["load_average_during"]) == len(data["results"])
    assert {t["result"] for t in data["targets"]} <= {"PASS", "MISS", "not measured"}
    for name in ("factorisation_scaling.png", "graph_scaling.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    markdown = (tmp_path / "results.md").read_text()
    assert "tinyad / torch" in markdown
    assert "## Deep chain: time per op" in markdown and "load average (1 min)" in markdown
    assert "## Targets" in capsys.readouterr().out


def test_odd_graph_sizes_are_refused(capsys):
    with pytest.raises(SystemExit):
        main(["--workloads", "6", "--graph-sizes", "101"])
    assert "--graph-sizes must be even" in capsys.readouterr().err
