"""Placing the student's figures among lab2's seeds, and the loss figure's difference panel."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from lab2 import figures, student

values = st.lists(st.integers(0, 10).map(lambda k: k / 10), min_size=1, max_size=25)


def mid_rank(sorted_values, x):
    """Independent route: positions where x would be inserted before and after its ties."""
    left = np.searchsorted(sorted_values, x, side="left")
    right = np.searchsorted(sorted_values, x, side="right")
    return 100 * (left + right) / (2 * len(sorted_values))


@given(values, st.integers(-1, 11).map(lambda k: k / 10))
def test_percentile_rank_is_the_mid_rank(vs, x):
    assert student.percentile_rank(vs, x) == pytest.approx(mid_rank(np.sort(vs), x))


def test_percentile_rank_by_hand():
    assert student.percentile_rank([1, 2, 3, 4], 0.5) == 0  # below every run
    assert student.percentile_rank([1, 2, 3, 4], 5) == 100  # above every run
    assert student.percentile_rank([1, 2, 3, 4], 2) == 37.5  # one below, one tie
    assert student.percentile_rank([2, 2, 2], 2) == 50
    assert student.percentile_rank([], 2) is None
    # accuracies are float32 fractions: 0.84 of 50 rows is 0.8399999737739563
    assert student.percentile_rank([float(np.float32(0.84))], 0.84, tie=1e-6) == 50
    assert student.percentile_rank([float(np.float32(0.84))], 0.84) == 100


def test_place_leaves_out_runs_that_diverged():
    placed = student.place([0.5, None, 0.7, 0.9], 0.7)
    assert placed == {"n": 3, "median": 0.7, "min": 0.5, "max": 0.9, "percentile": 50.0}
    assert student.place([None], 1.0)["n"] == 0


def test_float32_ulps():
    x = 15.228833198547363
    assert student.float32_ulps(x, x) == 0
    assert student.float32_ulps(float(np.nextafter(np.float32(x), np.float32(16))), x) == 1
    assert student.float32_ulps(15.228833347803327, x) == pytest.approx(0.1565, abs=1e-3)


def fake_results(epochs=1000, lr=0.01, dtype="float32", mlp_epochs=100, bias="per-unit"):
    fact = {
        "epochs": epochs, "lr": lr, "dtype": dtype,
        "sweep": {
            "seeds": [0, 1, 2], "engines": ["tinyad"],
            "by_rank": [
                {"rank": 2, "engines": {"tinyad": {"final_losses": [15.2289, 15.2290, 15.3]}}},
                {"rank": 4, "engines": {"tinyad": {"final_losses": [0.7, None, 0.01]}}},
            ],
        },
    }
    mlp = {
        "epochs": mlp_epochs, "bias": bias,
        "sweep": {
            "seeds": [0, 1, 2],
            "by_lr": [{"lr": 0.1, "engines": {"tinyad": {
                "train_values": [0.96, 0.97, 0.97], "val_values": [0.92, 0.9, 0.88],
                "diverged": 0}}}],
        },
    }
    return fact, mlp


def test_compare_places_every_figure():
    fact, mlp = fake_results()
    out = student.compare(fact, mlp, {2: 15.228833198547363, 4: 3e-12})
    rows = {row["key"]: row for row in out["rows"]}
    assert out["notes"] == [] and out["engine"] == "tinyad"
    assert rows["svd_rank2"]["float32_ulps"] == 0 and rows["svd_rank2"]["kind"] == "exact"
    assert rows["svd_rank4"]["this_run"] == 3e-12 and "percentile" not in rows["svd_rank4"]
    assert rows["gd_rank2"]["percentile"] == pytest.approx(100 / 3)  # 15.228955: one run below
    assert rows["gd_rank4"]["n"] == 2 and rows["gd_rank4"]["percentile"] == 50
    assert rows["mlp_lr0.1_train"]["percentile"] == pytest.approx(100 * 2 / 3)  # 0.97: 1 + 2 / 2
    assert rows["mlp_lr0.1_val"]["percentile"] == 0 and rows["mlp_lr0.1_val"]["this_run"] == 0.92
    assert rows["mlp_lr0.01_train"]["n"] == 0 and rows["mlp_lr0.01_train"]["seed"] is None


def test_compare_says_when_the_settings_are_not_the_labs():
    fact, mlp = fake_results(epochs=300, lr=0.02, dtype="float64", mlp_epochs=50, bias="scalar")
    notes = student.compare(fact, mlp, {2: 15.2, 4: 0.0})["notes"]
    assert notes == [
        "the factorisation ran 300 epochs at lr 0.02; the student's figures come from 1000 "
        "epochs at lr 0.01",
        "the factorisation ran in float64; the student's figures are float32",
        "the MLP trained 50 epochs; the student's figures come from 100",
        "the MLP has scalar biases; the student's has one bias per unit",
    ]


def test_relative_difference():
    assert_allclose(figures.relative_difference([1.0, 2.0, 4.0], [1.0, 1.0]), [0.0, 1.0])
    assert figures.relative_difference([1e-300], [0.0])[0] > 0  # no division by zero


PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("engines", [("tinyad",), ("tinyad", "torch")])
def test_loss_figure_with_one_or_two_engines(tmp_path, engines):
    pytest.importorskip("matplotlib")
    curve = 10 * np.exp(-np.arange(50) / 10) + 1
    fact = {name: curve * (1 + 1e-7 * i) for i, name in enumerate(engines)}
    mlp = {"lr 0.1": {name: curve / 10 for name in engines}}
    path = figures.loss_figure(tmp_path / "losses.png", fact, 1.0, mlp, "float32")
    assert path.read_bytes().startswith(PNG)
