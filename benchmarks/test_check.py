"""``python -m benchmarks --check``: how it reads the committed results, where it draws the
line between noise and a slowdown, and its exit status end to end."""

import json

import pytest

from . import check
from .__main__ import main
from .measure import Timing


def old_format_result(workload, label, tinyad, numpy):
    """A results.json entry as written before the per-round ratios were recorded: each
    implementation's (q1, median, q3, min) seconds."""
    def summary(q1, median, q3, low):
        return {"q1_s": q1, "median_s": median, "q3_s": q3, "min_s": low}

    return {"workload": workload, "label": label,
            "timings": {"tinyad": summary(*tinyad), "numpy": summary(*numpy)}}


def test_committed_ratios_from_old_and_new_results():
    payload = {"results": [
        old_format_result(1, "old", (0.9, 1.0, 1.1, 0.8), (0.24, 0.25, 0.26, 0.2)),
        {**old_format_result(7, "new", (1, 1, 1, 1), (1, 1, 1, 1)),
         "tinyad_over_numpy_rounds": {"q1": 4.5, "median": 5.0, "q3": 6.0, "of_minima": 4.0,
                                      "minima_spread": 0.05}},
        {"workload": 5, "label": "torch only", "timings": {"torch": {}}},
    ]}
    got = check.committed_ratios(payload)
    assert set(got) == {(1, "old"), (7, "new")}
    assert got[(1, "old")] == {"median": pytest.approx(4.0), "of_minima": pytest.approx(4.0),
                               "minima_spread": None}
    assert got[(7, "new")] == {"median": 5.0, "of_minima": 4.0, "minima_spread": 0.05}


def ratios(median, minima, spread=0.0):
    return {"median": median, "of_minima": minima, "minima_spread": spread}


@pytest.mark.parametrize("median, minima, expected", [
    (1.05, 1.05, "within noise"),  # below the 10 % floor
    (1.30, 1.30, "slower"),
    (1.30, 1.02, "within noise"),  # the minima did not move: a disturbed run, not tinyad
    (1.02, 1.30, "within noise"),  # one lucky numpy sample, the rounds did not move
    (0.70, 0.70, "faster"),
])
def test_verdict_needs_minima_and_median_past_the_threshold(median, minima, expected):
    v = check.verdict(ratios(median, minima), ratios(1.0, 1.0))
    assert v["threshold"] == check.FLOOR
    assert v["verdict"] == expected


def test_the_spread_of_interleaved_blocks_raises_the_threshold():
    v = check.verdict(ratios(1.35, 1.35, spread=0.1), ratios(1.0, 1.0, spread=0.05))
    assert v["threshold"] == pytest.approx(check.SPREAD_FACTOR * 0.15)
    assert v["verdict"] == "slower"
    # committed results without a spread of their own: this run's stands in for it
    v = check.verdict(ratios(1.3, 1.3, spread=0.1), ratios(1.0, 1.0, spread=None))
    assert v["threshold"] == pytest.approx(check.SPREAD_FACTOR * 0.2)
    assert v["verdict"] == "within noise"


def test_a_loaded_machine_raises_the_floor():
    v = check.verdict(ratios(1.2, 1.2), ratios(1.0, 1.0), floor=check.LOADED_FLOOR)
    assert v["verdict"] == "within noise"


def test_current_ratios_pair_samples_of_the_same_round():
    # tinyad is 2x numpy in every round although both slow down 3x in two rounds
    timings = {"tinyad": Timing([2.0, 6.0, 2.0, 2.0, 6.0, 2.4], [], 1),
               "numpy": Timing([1.0, 3.0, 1.0, 1.0, 3.0, 1.0], [], 1)}
    got = check.current_ratios(timings)
    assert got["median"] == 2.0 and got["of_minima"] == 2.0
    # the blocks (rounds 0 and 3, 1 and 4, 2 and 5) give ratios of minima 2, 2 and 2
    assert got["minima_spread"] == 0.0
    timings["tinyad"].epoch[0] = timings["tinyad"].epoch[3] = 2.2  # block 0: 2.2
    assert check.current_ratios(timings)["minima_spread"] == pytest.approx(0.2 / 2 / 2.0)


ARGS = ["--check", "--workloads", "1,7", "--budget", "0.02", "--min-rounds", "2"]


def write_baseline(path, lab_ratio):
    """A committed results.json holding only the lab factorisation, at ``lab_ratio``."""
    entry = old_format_result(1, "Iris 150x4 rank 2 float64", (lab_ratio,) * 4, (1.0,) * 4)
    path.write_text(json.dumps({"results": [entry]}))


def test_check_passes_against_a_slower_past_and_lists_new_configurations(tmp_path, capsys):
    write_baseline(tmp_path / "results.json", lab_ratio=1000.0)
    assert main(ARGS + ["--baseline", str(tmp_path / "results.json")]) == 0
    out = capsys.readouterr().out
    assert "| faster |" in out and "| new |" in out  # the tanh chain is not in the baseline
    assert "load average (1 min)" in out and "no regression" in out


@pytest.fixture
def load(monkeypatch):
    """Set the 1-minute load average that the run sees after each configuration."""
    from . import __main__ as cli

    def set_load(value):
        monkeypatch.setattr(cli, "load_1min", lambda: value)

    return set_load


@pytest.fixture
def slower_than_committed(tmp_path, monkeypatch):
    monkeypatch.setattr(check, "CONFIRM", {"budget": 0.02, "min_rounds": 2})
    write_baseline(tmp_path / "results.json", lab_ratio=0.01)  # tinyad 100x faster than numpy
    return ARGS + ["--baseline", str(tmp_path / "results.json")]


def test_check_fails_on_a_confirmed_regression(slower_than_committed, load, capsys):
    load(0.0)
    assert main(slower_than_committed) == 1
    out = capsys.readouterr().out
    assert "| REGRESSION |" in out
    assert "REGRESSION in 1 configuration(s): w1 lab factorisation" in out


def test_a_loaded_machine_lists_slowdowns_without_failing(slower_than_committed, load, capsys):
    load(100.0)
    assert main(slower_than_committed) == 0
    out = capsys.readouterr().out
    assert "| slower (not called: machine loaded) |" in out
    assert "100.00-100.00 during" in out  # the load stated
    assert "not called a regression: w1 lab factorisation" in out


def test_check_without_committed_results_says_so(tmp_path, capsys):
    assert main(ARGS + ["--baseline", str(tmp_path / "missing.json")]) == 2
    assert "cannot read the committed results" in capsys.readouterr().out
