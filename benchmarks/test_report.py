"""The report script: its targets arithmetic, and a tiny end-to-end run."""

import json

import pytest

from . import report
from .__main__ import main
from .conftest import needs
from .measure import Timing
from .workloads import cases


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
        "w1 lab factorisation: tinyad / numpy <= 2.5": (2.0, "PASS"),
        "w2 factorisation n=1024 rank 32 float64: tinyad / numpy <= 1.15": (1.2, "MISS"),
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


def test_a_tiny_report_run_writes_its_files(tmp_path, capsys):
    needs("torch")
    code = main(["--workloads", "1,2,6", "--sizes", "32,64", "--graph-sizes", "10,20",
                 "--budget", "0.02", "--min-rounds", "2", "--no-memory", "--out", str(tmp_path)])
    assert code == 0
    data = json.loads((tmp_path / "results.json").read_text())
    assert [r["label"] for r in data["results"]][:3] == [
        "Iris 150x4 rank 2 float64", "n=32 rank 32 float32", "n=64 rank 32 float32"]
    for r in data["results"]:
        assert set(r["timings"]) == {"tinyad", "torch", "numpy"}
        assert all(t["median_s"] > 0 and t["rounds"] >= 2 for t in r["timings"].values())
    assert {t["result"] for t in data["targets"]} <= {"PASS", "MISS", "not measured"}
    for name in ("factorisation_scaling.png", "graph_scaling.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "tinyad / torch" in (tmp_path / "results.md").read_text()
    assert "## Targets" in capsys.readouterr().out


def test_odd_graph_sizes_are_refused(capsys):
    with pytest.raises(SystemExit):
        main(["--workloads", "6", "--graph-sizes", "101"])
    assert "--graph-sizes must be even" in capsys.readouterr().err
