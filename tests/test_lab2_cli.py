"""``python -m lab2`` end to end, in a subprocess."""

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

PNG = b"\x89PNG\r\n\x1a\n"
FIGURES = ("fig1_pca.png", "fig2_gd.png", "fig3_losses.png")


def lab2(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "lab2", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )


def strict_json(text):
    def refuse(constant):
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


def hide(tmp_path, module):
    """An environment where ``import <module>`` fails, as if it were not installed."""
    shadow = tmp_path / f"no_{module}"
    shadow.mkdir()
    (shadow / f"{module}.py").write_text(f"raise ImportError(\"No module named '{module}'\")\n")
    path = os.pathsep.join(filter(None, [str(shadow), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path}


def hide_torch(tmp_path):
    return hide(tmp_path, "torch")


@pytest.fixture(scope="module")
def default_run(tmp_path_factory):
    """Everything at its defaults (both engines, 20 seeds), as JSON."""
    pytest.importorskip("torch")
    out = tmp_path_factory.mktemp("out")
    result = lab2("--format", "json", "--out", out)
    assert result.returncode == 0, result.stderr
    return out, strict_json(result.stdout), result


def test_json_report_holds_the_reproduced_numbers(default_run):
    out, report, _ = default_run
    assert report["engines"] == ["tinyad", "torch"]
    assert report["data"]["rows"] == 150 and report["data"]["train_rows"] == 100
    fact = report["factorisation"]
    assert fact["dtype"] == "float32"  # torch's default, as the lab ran
    assert round(fact["svd_loss"], 4) == 15.2288
    for run in fact["engines"].values():
        assert len(run["losses"]) == run["epochs_run"] == 1000
        assert 0 <= run["gap_to_svd_percent"] < 0.1
        assert run["seconds_per_epoch"] > 0 and run["diverged_at"] is None
    # float32: the same numbers (sums in torch's order), where their matrix products agree
    from _pair import torch_mm_is_numpys

    assert fact["agreement"]["max_relative_difference"] == 0 if torch_mm_is_numpys() else \
        fact["agreement"]["max_relative_difference"] < 1e-5
    assert fact["agreement"]["epochs_compared"] == 1000
    sweep = fact["sweep"]
    assert sweep["seeds"] == list(range(20)) and [s["rank"] for s in sweep["by_rank"]] == [2, 4]
    for by_rank in sweep["by_rank"]:
        assert by_rank["max_relative_difference_between_engines"] < 1e-4
        for e in by_rank["engines"].values():
            assert len(e["final_losses"]) == 20 and e["diverged"] == 0
    rank2 = sweep["by_rank"][0]["engines"]["tinyad"]["final_losses"]
    assert rank2[0] == fact["engines"]["tinyad"]["final_loss"]  # seed 0 is the main run
    assert max(report["pca"]["principal_angles_deg"]) < 0.5
    mlp = report["mlp"]
    assert mlp["architecture"] == "4-12-3" and [r["lr"] for r in mlp["runs"]] == [0.01, 0.1]
    assert mlp["bias"] == "per-unit"
    for run in mlp["runs"]:
        assert run["agreement"]["same_accuracies"]
        assert run["agreement"]["max_relative_difference"] < 1e-5
        assert all(0 <= r["val_accuracy"] <= 1 for r in run["engines"].values())
    assert len(mlp["sweep"]["seeds"]) == 20
    for sweep in mlp["sweep"]["by_lr"]:
        assert sweep["seeds_with_different_accuracies"] == 0
        for stats in sweep["engines"].values():
            assert stats["train"]["n"] == stats["val"]["n"] == 20
            assert stats["val"]["min"] <= stats["val"]["mean"] <= stats["val"]["max"]
            assert len(stats["train_values"]) == len(stats["val_values"]) == 20
            assert min(stats["val_values"]) == stats["val"]["min"]
    assert strict_json((out / "results.json").read_text()) == report


def test_part_3b_the_nn_version_matches_the_hand_written_one(default_run):
    out, report, _ = default_run
    nn = report["mlp_nn"]
    assert (nn["architecture"], nn["bias"]) == ("4-12-3", "per-unit")
    assert (nn["epochs"], nn["seed"]) == (100, 0)
    assert [run["lr"] for run in nn["runs"]] == [0.01, 0.1]  # the lab's, as part 3
    for run, part3 in zip(nn["runs"], report["mlp"]["runs"]):
        assert list(run["engines"]) == ["tinyad", "torch"]
        for name, e in run["engines"].items():
            # the hand-written run it is compared with is part 3's, from the same weights
            by_hand = part3["engines"][name]
            assert e["hand_written"]["final_loss"] == by_hand["final_loss"]
            assert e["hand_written"]["val_accuracy"] == by_hand["val_accuracy"]
            assert e["same_accuracy"] and e["nn"]["epochs_run"] == 100
            assert e["loss_agreement"]["epochs_compared"] == 100
            assert e["loss_agreement"]["max_relative_difference"] < 1e-5
        assert run["nn_across_engines"]["max_relative_difference"] < 1e-5
    markdown = (out / "report.md").read_text()
    assert markdown.index("## 3. MLP") < markdown.index(
        "## 3b. The MLP with nn.Linear, nn.CrossEntropyLoss and optim.SGD"
    )
    assert "| val acc | epochs | time/epoch | loss vs hand-written | accuracies |" in markdown
    assert "The nn version matches the hand-written one on every engine and lr" in markdown


def test_the_students_figures_are_placed(default_run):
    out, report, _ = default_run
    st = report["student"]
    assert st["engine"] == "tinyad" and st["seeds"] == list(range(20)) and st["notes"] == []
    rows = {row["key"]: row for row in st["rows"]}
    assert list(rows) == [
        "svd_rank2", "gd_rank2", "svd_rank4", "gd_rank4",
        "mlp_lr0.01_train", "mlp_lr0.01_val", "mlp_lr0.1_train", "mlp_lr0.1_val",
    ]
    # the one figure without randomness: the student's float32 value, to float32 precision
    svd = rows["svd_rank2"]
    assert svd["student"] == 15.228833198547363 and svd["float32_ulps"] <= 1
    assert np.float32(svd["this_run"]) == np.float32(report["factorisation"]["svd_loss"])
    assert abs(rows["svd_rank4"]["this_run"]) < 1e-9  # rounding noise, as the student's
    sweeps = {s["rank"]: s["engines"]["tinyad"]["final_losses"] for s in
              report["factorisation"]["sweep"]["by_rank"]}
    by_lr = {s["lr"]: s["engines"]["tinyad"] for s in report["mlp"]["sweep"]["by_lr"]}
    expected = {
        "gd_rank2": sweeps[2], "gd_rank4": sweeps[4],
        "mlp_lr0.01_train": by_lr[0.01]["train_values"],
        "mlp_lr0.01_val": by_lr[0.01]["val_values"],
        "mlp_lr0.1_train": by_lr[0.1]["train_values"],
        "mlp_lr0.1_val": by_lr[0.1]["val_values"],
    }
    for key, values in expected.items():
        row = rows[key]
        assert row["n"] == 20 and row["this_run"] == values[0] and row["seed"] == 0
        assert row["median"] == np.median(values)
        assert (row["min"], row["max"]) == (min(values), max(values))
        assert 0 <= row["percentile"] <= 100
        if row["student"] < row["min"] - 1e-6:
            assert row["percentile"] == 0
    assert rows["gd_rank4"]["this_run"] > 0.5  # seed 0's rank 4 is a slow start (0.70)
    text = (out / "report.md").read_text()
    assert text.index("## The student's report vs this run") < text.index("## 1. Factorisation")
    assert "| rank-2 truncated SVD loss | 15.2288332 | 15.2288332 | no randomness |" in text


def test_float64_and_scalar_biases_on_request(tmp_path):
    pytest.importorskip("torch")
    result = lab2(
        "--dtype", "float64", "--bias", "scalar", "--seeds", 2, "--mlp-lr", 0.1,
        "--format", "json", "--quiet", "--out", tmp_path,
    )
    assert result.returncode == 0, result.stderr
    report = strict_json(result.stdout)
    fact = report["factorisation"]
    assert fact["dtype"] == "float64"
    assert fact["agreement"]["max_relative_difference"] < 1e-12  # the engines agree to rounding
    assert report["mlp"]["bias"] == "scalar" and report["mlp_nn"]["bias"] == "scalar"
    (nn_run,) = report["mlp_nn"]["runs"]
    assert nn_run["lr"] == 0.1
    assert all(e["same_accuracy"] for e in nn_run["engines"].values())
    rows = {row["key"]: row for row in report["student"]["rows"]}
    assert rows["svd_rank2"]["float32_ulps"] <= 1  # float64's value rounds to the student's
    assert rows["mlp_lr0.01_train"]["n"] == 0 and rows["mlp_lr0.01_train"]["this_run"] is None
    assert report["student"]["notes"] == [
        "the factorisation ran in float64; the student's figures are float32",
        "the MLP has scalar biases; the student's has one bias per unit",
    ]
    text = (tmp_path / "report.md").read_text()
    assert "nn.Linear(..., bias=False) layers" in text
    assert "The nn version matches the hand-written one" in text
    remark = "in float64 the engines agree" if fact["agreement"]["max_relative_difference"] else \
        "the engines compute the same float64 numbers"
    assert "One scalar bias per layer" in text and remark in text.lower()
    assert "Not like for like: the factorisation ran in float64" in text


def test_the_students_table_is_left_out_for_your_own_data(tmp_path):
    rows = ["a,b,c,d,kind"] + [f"{i % 5},{i % 7},{i % 3},{i / 4},{'xy'[i % 2]}" for i in range(20)]
    (tmp_path / "mine.csv").write_text("\n".join(rows) + "\n")
    result = lab2(
        "--data", tmp_path / "mine.csv", "--engine", "tinyad", "--epochs", 30, "--seeds", 2,
        "--rank", 3, "--format", "json", "--quiet", "--out", tmp_path / "out",
    )
    assert result.returncode == 0, result.stderr
    report = strict_json(result.stdout)
    assert report["student"] is None
    assert [s["rank"] for s in report["factorisation"]["sweep"]["by_rank"]] == [3]
    assert "student's report vs this run" not in (tmp_path / "out" / "report.md").read_text()


def test_figures_are_png_files_embedded_in_the_markdown_report(default_run):
    out, report, _ = default_run
    assert sorted(os.path.basename(p) for p in report["figures"].values()) == sorted(FIGURES)
    for name in FIGURES:
        data = (out / name).read_bytes()
        assert data.startswith(PNG) and len(data) > 10_000
    markdown = (out / "report.md").read_text()
    for name in FIGURES:
        assert f"]({name})" in markdown
    assert (
        "| engine | epoch-1 loss | final loss | above SVD |" in markdown and "15.228833" in markdown
    )


def test_text_report_and_progress(tmp_path):
    pytest.importorskip("torch")
    from _pair import torch_mm_is_numpys

    result = lab2("--epochs", 300, "--seeds", 3, "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    for expected in (
        "1. Factorisation by gradient descent vs truncated SVD",
        "Truncated SVD loss (best possible at rank 2): 15.228833",
        "The student's report vs this run",
        "tinyad vs torch (float32): the per-epoch losses are identical (300 epochs"
        if torch_mm_is_numpys() else "tinyad vs torch (float32): largest relative difference",
        "Final loss after 300 epochs from 3 seeds (0-2):",
        "2. Compared with PCA",
        "Principal angles",
        "3. MLP",
        "Over 3 seeds (0-2)",
        "3b. The MLP with nn.Linear, nn.CrossEntropyLoss and optim.SGD",
        "The nn version matches the hand-written one on every engine and lr",
        "tinyad vs torch (nn version, lr 0.1, float32): largest relative difference",
        "time/epoch",
        f"Report: {tmp_path / 'report.md'}",
    ):
        assert expected in text
    assert "part 1: 300 epochs of gradient descent" in result.stderr
    assert "part 3b: MLP with nn and optim, 100 epochs at lr 0.1" in result.stderr
    assert "Traceback" not in result.stderr


def test_quiet_single_engine_run(tmp_path):
    result = lab2(
        "--quiet",
        "--engine",
        "tinyad",
        "--epochs",
        20,
        "--mlp-epochs",
        5,
        "--seeds",
        1,
        "--out",
        tmp_path,
    )
    assert result.returncode == 0 and result.stderr == ""
    assert "Engines: tinyad." in result.stdout and "Only one engine ran" in result.stdout
    # part 3b on the one engine: against the hand-written version, nothing across engines
    # (identical losses, or their last bits apart: each adds its sums in its own steps)
    assert (
        "The nn version matches the hand-written one on every engine and lr: the per-epoch "
        "losses are identical" in result.stdout
        or "losses agree to within" in result.stdout
    )
    assert "(nn version, lr" not in result.stdout


def test_part_3b_can_be_skipped(tmp_path):
    result = lab2(
        "--no-nn", "--engine", "tinyad", "--epochs", 20, "--mlp-epochs", 5, "--seeds", 1,
        "--format", "json", "--out", tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert strict_json(result.stdout)["mlp_nn"] is None and "part 3b" not in result.stderr
    markdown = (tmp_path / "report.md").read_text()
    assert "## 3. MLP" in markdown and "3b." not in markdown


def test_divergence_stops_and_still_reports(tmp_path):
    result = lab2(
        "--lr", 10, "--seeds", 2, "--engine", "tinyad", "--format", "json", "--out", tmp_path
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "RuntimeWarning" not in result.stderr
    assert (
        "gradient-descent factorisation with tinyad diverged at epoch 3: the loss became inf;"
        " try a smaller learning rate than 10"
    ) in result.stderr  # float32 overflows at epoch 3 (float64 at epoch 5)
    assert (
        "gradient-descent factorisation at rank 4 with tinyad diverged for 2 of 2 seeds"
    ) in result.stderr
    report = strict_json(result.stdout)
    run = report["factorisation"]["engines"]["tinyad"]
    assert run["diverged_at"] == 3 and len(run["losses"]) == 2
    assert report["pca"] is None and report["mlp"]["runs"][0]["engines"]["tinyad"]["val_accuracy"]
    markdown = (tmp_path / "report.md").read_text()
    assert (
        "2 of 1000 (diverged at 3)" in markdown and "Skipped: gradient descent diverged" in markdown
    )
    assert (tmp_path / "fig1_pca.png").read_bytes().startswith(PNG)
    assert not (tmp_path / "fig2_gd.png").exists()


def test_own_csv(tmp_path):
    rows = ["x,y,z,kind"] + [f"{i % 5},{(i * 7) % 11},{i / 3:.3f},{'ab'[i % 2]}" for i in range(12)]
    (tmp_path / "mine.csv").write_text("\n".join(rows) + "\n")
    result = lab2(
        "--data",
        tmp_path / "mine.csv",
        "--rank",
        3,
        "--engine",
        "tinyad",
        "--epochs",
        50,
        "--seeds",
        2,
        "--format",
        "json",
        "--out",
        tmp_path / "out",
    )
    assert result.returncode == 0, result.stderr
    report = strict_json(result.stdout)
    first = "ab"[int(np.random.RandomState(0).permutation(12)[0]) % 2]  # after the lab's shuffle
    assert report["data"]["source"] == "your CSV" and report["data"]["classes"][0] == first
    assert report["factorisation"]["shape"] == [12, 3] and report["mlp"]["architecture"] == "3-12-2"


def test_without_torch_both_falls_back_and_torch_is_refused(tmp_path):
    env = hide_torch(tmp_path)
    result = lab2("--epochs", 20, "--seeds", 1, "--out", tmp_path / "out", env=env)
    assert result.returncode == 0, result.stderr
    assert "torch is not installed, so only tinyad ran" in result.stderr
    assert "Engines: tinyad." in result.stdout and "torch is not installed" in result.stdout
    refused = lab2("--engine", "torch", "--out", tmp_path / "out", env=env)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert refused.stderr.startswith("lab2: error: cannot import engine 'torch'")
    assert "(pip install torch; in a checkout, pip install -e '.[torch]')" in refused.stderr


def test_without_matplotlib_the_report_says_how_to_get_the_figures(tmp_path):
    result = lab2(
        "--engine", "tinyad", "--epochs", 20, "--mlp-epochs", 5, "--seeds", 1,
        "--out", tmp_path / "out", env=hide(tmp_path, "matplotlib"),
    )
    assert result.returncode == 0, result.stderr
    # a command that works for an installed package and for a checkout alike
    hint = "matplotlib is not installed, so no figures were drawn (pip install matplotlib;"
    assert hint in result.stderr and hint in result.stdout
    assert not list((tmp_path / "out").glob("*.png"))
    assert "![" not in (tmp_path / "out" / "report.md").read_text()


def test_help_explains_every_option():
    result = lab2("--help")
    assert result.returncode == 0
    for option in (
        "--engine",
        "--rank",
        "--epochs",
        "--lr",
        "--seed ",
        "--seeds",
        "--data",
        "--out",
        "--format",
        "--quiet",
        "--mlp-epochs",
        "--mlp-lr",
        "--explain",
        "--dtype",
        "--bias",
        "--no-nn",
    ):
        assert option in result.stdout


EXPLAIN_RUN = ("--explain", "--engine", "tinyad", "--epochs", 3, "--mlp-epochs", 2, "--seeds", 1)
# the backward steps are named as torch names the grad_fn of the same op
TRACE = [
    ("MseLossBackward0", [[150, 4], None, None], [], [[150, 4], None, None]),
    ("MmBackward0", [[150, 2], [2, 4]], [150, 4], [[150, 2], [2, 4]]),
    ("TBackward0", [[4, 2]], [2, 4], [[4, 2]]),
]


def test_the_trace_names_the_steps_as_torch_names_its_grad_fns():
    torch = pytest.importorskip("torch")
    U = torch.rand(150, 2, dtype=torch.float64, requires_grad=True)
    V = torch.rand(4, 2, dtype=torch.float64, requires_grad=True)
    loss = torch.nn.functional.mse_loss(U @ V.t(), torch.zeros(150, 4), reduction="sum")
    mm = loss.grad_fn.next_functions[0][0]
    names = [loss.grad_fn.name(), mm.name(), mm.next_functions[1][0].name()]
    assert names == [op for op, *_ in TRACE]


def test_explain_adds_the_graph_and_a_backward_trace(tmp_path):
    result = lab2(*EXPLAIN_RUN, "--format", "json", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    report = strict_json(result.stdout)
    explain = report["explain"]
    steps = [(s["op"], s["input_shapes"], s["grad_in"], s["grad_out"]) for s in explain["trace"]]
    assert steps == TRACE and all(s["seconds"] >= 0 for s in explain["trace"])
    assert explain["loss"] == report["factorisation"]["engines"]["tinyad"]["losses"][0]
    dot = (tmp_path / "factorisation_graph.dot").read_text()
    assert dot.startswith("digraph") and 'label="MatMul"' in dot and 'label="U\\n(150, 2)' in dot
    markdown = (tmp_path / "report.md").read_text()
    assert "## 4. Inside the backward pass (--explain)" in markdown
    assert "| 2 | MmBackward0 | (150, 2), (2, 4) | (150, 4) | (150, 2), (2, 4) |" in markdown
    if shutil.which("dot"):
        assert (tmp_path / "factorisation_graph.svg").read_text().rstrip().endswith("</svg>")
        assert "](factorisation_graph.svg)" in markdown and explain["note"] is None


def test_explain_without_graphviz_writes_the_dot_text_and_says_how_to_install(tmp_path):
    env = {**os.environ, "PATH": str(tmp_path)}  # no dot on this PATH (python is called by path)
    result = lab2(*EXPLAIN_RUN, "--out", tmp_path / "out", env=env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "apt-get install graphviz" in result.stderr
    assert (tmp_path / "out" / "factorisation_graph.dot").exists()
    assert not (tmp_path / "out" / "factorisation_graph.svg").exists()
    assert "MmBackward0" in result.stdout and "apt-get install graphviz" in result.stdout
    markdown = (tmp_path / "out" / "report.md").read_text()
    assert "factorisation_graph.dot" in markdown and "](factorisation_graph.svg)" not in markdown


def test_installed_command():
    command = shutil.which("lab2")
    if command is None:
        pytest.skip("the lab2 script is not installed (pip install -e .)")
    assert (
        "usage: lab2"
        in subprocess.run([command, "--help"], capture_output=True, text=True, timeout=120).stdout
    )


BAD = [
    (["--rank", "0"], "rank must be a positive integer, got '0'"),
    (["--rank", "5"], "rank must be between 1 and min(m, n) = 4 for a 150x4 matrix, got 5"),
    (["--rank", "two"], "rank must be a positive integer, got 'two'"),
    (["--epochs", "0"], "epochs must be a positive integer, got '0'"),
    (["--epochs", "-5"], "epochs must be a positive integer"),
    (["--mlp-epochs", "0"], "mlp-epochs must be a positive integer"),
    (["--seeds", "0"], "seeds must be a positive integer"),
    (["--seed", "-1"], "seed must be a non-negative integer"),
    (["--lr", "0"], "argument --lr: learning rate must be a positive finite number, got '0'"),
    (["--lr", "-0.1"], "argument --lr: learning rate must be a positive finite number"),
    (["--lr", "nan"], "argument --lr: learning rate must be a positive finite number, got 'nan'"),
    (["--lr", "inf"], "argument --lr: learning rate must be a positive finite number, got 'inf'"),
    (["--lr", "fast"], "argument --lr: learning rate must be a positive finite number, got 'fast'"),
    (["--mlp-lr", "0.1", "0"], "argument --mlp-lr: learning rate must be a positive finite number"),
    (["--engine", "jax"], "invalid choice: 'jax'"),
    (["--format", "xml"], "invalid choice: 'xml'"),
    (["--dtype", "float16"], "argument --dtype: invalid choice: 'float16'"),
    (["--bias", "none"], "argument --bias: invalid choice: 'none'"),
    (["--bogus"], "unrecognized arguments: --bogus"),
    (["--data", "{tmp}/missing.csv"], "data file not found"),
    (["--data", "{tmp}/bad.csv"], "row 2 (line 3), column 2 ('b'): expected a finite number"),
    (["--data", "{tmp}/bad.csv", "--rank", "3"], "row 2 (line 3)"),
    (["--data", "{tmp}/two.csv", "--rank", "3"], "min(m, n) = 2 for a 3x2 matrix, got 3"),
    (["--out", "{tmp}/bad.csv/sub"], "cannot write to output folder"),
]


@pytest.mark.parametrize("args, message", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_gets_one_line_and_status_2(tmp_path, args, message):
    (tmp_path / "bad.csv").write_text("a,b,label\n1,2,x\n3,oops,y\n4,4,x\n")
    (tmp_path / "two.csv").write_text("a,b,label\n1,2,x\n3,1,y\n4,4,x\n")
    args = [a.format(tmp=tmp_path) for a in args]
    if "--out" not in args:
        args += ["--out", tmp_path / "out"]
    result = lab2(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("lab2: error: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "angles, columns, shares, expected",
    [
        (
            [0.01, 0.07],
            [72.5],
            [0.53, 0.47],
            "found PCA's subspace; its axes are not orthogonal and do not carry",
        ),
        (
            [0.01, 0.07],
            [90.0],
            [0.946, 0.054],
            "found PCA's subspace; its axes are orthogonal and carry",
        ),
        (
            [0.0, 26.3],
            [70.0],
            [0.6, 0.4],
            "has not found PCA's subspace (largest principal angle 26.3°",
        ),
        ([0.0], [], [1.0], "found PCA's subspace; with one axis"),
    ],
)
def test_the_pca_verdict_follows_the_numbers(angles, columns, shares, expected):
    from lab2.report import _pca_verdict

    pca = {
        "principal_angles_deg": angles,
        "u_hat_column_angles_deg": columns,
        "share_gd": shares,
        "share_pca": [0.946, 0.054][: len(shares)],
    }
    assert expected in _pca_verdict(pca)
