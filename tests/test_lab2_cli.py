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


def hide_torch(tmp_path):
    """An environment where ``import torch`` fails, as if torch were not installed."""
    shadow = tmp_path / "no_torch"
    shadow.mkdir()
    (shadow / "torch.py").write_text("raise ImportError(\"No module named 'torch'\")\n")
    path = os.pathsep.join(filter(None, [str(shadow), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path}


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
    assert round(fact["svd_loss"], 4) == 15.2288
    for run in fact["engines"].values():
        assert len(run["losses"]) == run["epochs_run"] == 1000
        assert 0 <= run["gap_to_svd_percent"] < 0.1
        assert run["seconds_per_epoch"] > 0 and run["diverged_at"] is None
    assert fact["agreement"]["max_relative_difference"] < 1e-10
    assert fact["agreement"]["epochs_compared"] == 1000
    assert max(report["pca"]["principal_angles_deg"]) < 0.5
    mlp = report["mlp"]
    assert mlp["architecture"] == "4-12-3" and [r["lr"] for r in mlp["runs"]] == [0.01, 0.1]
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
    assert strict_json((out / "results.json").read_text()) == report


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
    result = lab2("--epochs", 300, "--seeds", 3, "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    for expected in (
        "1. Factorisation by gradient descent vs truncated SVD",
        "Truncated SVD loss (best possible at rank 2): 15.228833",
        "tinyad vs torch (float64): largest relative difference",
        "2. Compared with PCA",
        "Principal angles",
        "3. MLP",
        "Over 3 seeds (0-2)",
        "time/epoch",
        f"Report: {tmp_path / 'report.md'}",
    ):
        assert expected in text
    assert "part 1: 300 epochs of gradient descent" in result.stderr
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


def test_divergence_stops_and_still_reports(tmp_path):
    result = lab2(
        "--lr", 10, "--seeds", 2, "--engine", "tinyad", "--format", "json", "--out", tmp_path
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "RuntimeWarning" not in result.stderr
    assert (
        "gradient-descent factorisation with tinyad diverged at epoch 5: the loss became inf;"
        " try a smaller learning rate than 10"
    ) in result.stderr
    report = strict_json(result.stdout)
    run = report["factorisation"]["engines"]["tinyad"]
    assert run["diverged_at"] == 5 and len(run["losses"]) == 4
    assert report["pca"] is None and report["mlp"]["runs"][0]["engines"]["tinyad"]["val_accuracy"]
    markdown = (tmp_path / "report.md").read_text()
    assert (
        "4 of 1000 (diverged at 5)" in markdown and "Skipped: gradient descent diverged" in markdown
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
    ):
        assert option in result.stdout


EXPLAIN_RUN = ("--explain", "--engine", "tinyad", "--epochs", 3, "--mlp-epochs", 2, "--seeds", 1)
TRACE = [
    ("MSELossBackward", [[150, 4], None, None], [], [[150, 4], None, None]),
    ("MatMulBackward", [[150, 2], [2, 4]], [150, 4], [[150, 2], [2, 4]]),
    ("TransposeBackward", [[4, 2], None, None], [2, 4], [[4, 2], None, None]),
]


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
    assert "| 2 | MatMulBackward | (150, 2), (2, 4) | (150, 4) | (150, 2), (2, 4) |" in markdown
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
    assert "MatMulBackward" in result.stdout and "apt-get install graphviz" in result.stdout
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
