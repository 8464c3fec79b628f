"""The lab's three experiments, on tinyad and on torch, from one implementation each."""

import copy
import math
import statistics

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose, assert_array_equal

from lab2.data import centred, lab_split, load_csv
from lab2.engines import agreement, load
from lab2.factorise import gd_factorise_ad, initial_factors, truncated_svd
from lab2.mlp import initial_weights, summarise, train_mlp
from lab2.nn_mlp import compare_with_hand_written
from lab2.report import Table, _nn_blocks
from lab2.student import float32_ulps
from lab2.subspace import compare_with_pca

A = centred(load_csv())
SPLIT = lab_split(load_csv())


def engine_named(name):
    if name == "torch":
        pytest.importorskip("torch")
    return load(name)


@pytest.fixture(autouse=True, scope="module")
def one_torch_thread():
    """As the command line does: the lab's tensors are tiny, and torch's threads only add
    overhead (a lot of it on a busy machine). Restored afterwards."""
    try:
        import torch
    except ImportError:
        yield
        return
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(params=["tinyad", "torch"], scope="module")
def engine(request):
    return engine_named(request.param)


@pytest.fixture(scope="module")
def both():
    return engine_named("tinyad"), engine_named("torch")


RANK2_INIT = initial_factors(A.shape, 2, seed=0)


@pytest.fixture(scope="module")
def rank2(engine):
    """The lab's run: rank 2, 1000 epochs, lr 0.01, from the shared seed-0 start."""
    return gd_factorise_ad(A, 2, engine=engine, init=RANK2_INIT)


# ---- part 1: factorisation -------------------------------------------------------------------


def test_truncated_svd_reproduces_the_lab():
    assert round(truncated_svd(A, 2).loss, 5) == 15.22883
    assert round(truncated_svd(A, 2).loss, 4) == 15.2288
    reconstruction, loss = truncated_svd(A, 4)
    assert loss < 1e-9 and np.abs(reconstruction - A).max() < 1e-12


def test_truncated_svd_in_float32_gives_the_students_figure():
    """The student's report: 15.228833198547363, a float32 printed as a Python float."""
    svd = truncated_svd(A.astype(np.float32), 2)
    assert svd.reconstruction.dtype == svd.U.dtype == np.float32
    assert float32_ulps(svd.loss, 15.228833198547363) <= 1  # 0 measured: the same float32
    assert float(np.float32(svd.loss)) == svd.loss  # a float32 value
    assert truncated_svd(A.astype(np.float32), 4).loss < 1e-9  # rounding noise, as the student's


@settings(max_examples=50, deadline=None)
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(2, 8), st.integers(2, 8)),
        elements=st.floats(-100, 100, allow_nan=False),
    ),
    st.data(),
)
def test_truncated_svd_is_the_projection_onto_top_eigenvectors(M, data):
    """Eckart-Young, checked against an independent route: eigenvectors of M.T @ M."""
    rank = data.draw(st.integers(1, min(M.shape)))
    svd = truncated_svd(M, rank)
    _, vectors = np.linalg.eigh(M.T @ M)
    top = vectors[:, ::-1][:, :rank]
    projection = M @ top @ top.T
    expected = np.sum((M - projection) ** 2)
    scale = np.sum(M**2)
    assert svd.loss == pytest.approx(expected, abs=1e-9 * scale + 1e-12)
    # the best reconstruction is unique only when the singular values at the cut differ
    s = np.linalg.svd(M, compute_uv=False)
    if rank == len(s) or s[rank - 1] - s[rank] > 1e-6 * s[0]:
        assert_allclose(svd.reconstruction, projection, atol=1e-6 * math.sqrt(scale) + 1e-12)


def test_gd_rank2_reaches_within_a_tenth_of_a_percent_of_svd(rank2):
    best = truncated_svd(A, 2).loss
    assert rank2.trace.diverged_at is None and len(rank2.losses) == 1000
    assert best * (1 - 1e-12) <= rank2.losses[-1] <= best * 1.001
    U, V, losses = rank2
    assert U.shape == (150, 2) and V.shape == (4, 2) and losses is rank2.losses
    assert_allclose(np.sum((rank2.U @ rank2.V.T - A) ** 2), rank2.losses[-1], rtol=1e-3)


def test_gd_rank4_loss_is_small(engine):
    run = gd_factorise_ad(A, 4, engine=engine, seed=0)
    assert run.losses[-1] < 2e-3 * np.sum(A**2)  # 0.70 of 680.8 at seed 0
    assert run.losses[-1] < run.losses[0] / 1000


def test_engines_follow_the_same_path_in_float32_bit_for_bit(both):
    """Sums added in torch's order: the 1,000 float32 epochs are torch's numbers exactly,
    where torch's matrix products are numpy's (torch_mm_is_numpys); elsewhere they part in
    their last bits and stay within 1e-5 of each other."""
    A32 = A.astype(np.float32)
    init = tuple(x.astype(np.float32) for x in RANK2_INIT)
    tinyad_run, torch_run = (gd_factorise_ad(A32, 2, engine=e, init=init) for e in both)
    assert tinyad_run.U.dtype == torch_run.U.dtype == np.float32
    agree = agreement(tinyad_run.losses, torch_run.losses)
    assert agree["epochs_compared"] == 1000
    from _pair import torch_mm_is_numpys  # (torch is there: `both` has it)

    if torch_mm_is_numpys():
        assert agree["max_relative_difference"] == 0
        assert_array_equal(tinyad_run.U, torch_run.U)
    else:
        assert agree["max_relative_difference"] < 1e-5
        assert_allclose(tinyad_run.U, torch_run.U, rtol=1e-4, atol=1e-6)


def test_engines_follow_the_same_path_in_float64(both):
    tinyad_run, torch_run = (gd_factorise_ad(A, 2, engine=e, init=RANK2_INIT) for e in both)
    agree = agreement(tinyad_run.losses, torch_run.losses)
    assert agree["epochs_compared"] == 1000
    assert agree["max_relative_difference"] < 1e-10
    assert_allclose(tinyad_run.U, torch_run.U, rtol=1e-8, atol=1e-10)


def test_starting_values_are_shared_not_consumed(engine):
    U0, V0 = initial_factors(A.shape, 2, seed=3)
    copies = U0.copy(), V0.copy()
    gd_factorise_ad(A, 2, num_epochs=5, engine=engine, init=(U0, V0))
    assert_array_equal(U0, copies[0])
    assert_array_equal(V0, copies[1])
    assert 0 <= U0.min() and U0.max() < 1


@pytest.mark.parametrize("dtype, epoch", [(np.float64, 5), (np.float32, 3)])
def test_divergence_stops_at_the_epoch_and_keeps_what_came_before(engine, dtype, epoch):
    init = tuple(x.astype(dtype) for x in RANK2_INIT)
    run = gd_factorise_ad(A.astype(dtype), 2, num_epochs=50, lr=10, engine=engine, init=init)
    assert run.trace.diverged_at == epoch  # float32 overflows sooner
    assert len(run.losses) == epoch - 1 and np.all(np.isfinite(run.losses))
    assert not math.isfinite(run.trace.bad_loss)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"rank": 0}, "rank must be between 1 and min"),
        ({"rank": 5}, "rank must be between"),
        ({"rank": 2.0}, "rank must be an integer"),
        ({"num_epochs": 0}, "num_epochs must be"),
        ({"lr": 0}, "learning rate"),
        ({"lr": -0.1}, "learning rate"),
        ({"lr": float("nan")}, "learning rate"),
        ({"lr": float("inf")}, "learning rate"),
        ({"lr": "fast"}, "learning rate"),
    ],
)
def test_bad_arguments_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        gd_factorise_ad(A, **{"rank": 2, **kwargs})
    if "rank" in kwargs:
        with pytest.raises(ValueError, match=message):
            truncated_svd(A, kwargs["rank"])


# ---- part 2: compared with PCA ---------------------------------------------------------------


def test_gd_finds_the_pca_subspace_but_not_its_axes(rank2):
    svd = truncated_svd(A, 2)
    result = compare_with_pca(rank2.U, svd)
    assert max(result["principal_angles_deg"]) < 0.5  # the same subspace
    (column_angle,) = result["u_hat_column_angles_deg"]
    assert abs(column_angle - 90) > 5  # but not orthogonal axes
    assert_allclose(result["variance_pca"], svd.S**2 / 149)
    assert result["share_pca"][0] > 0.9 > result["share_gd"][0]  # PCA orders the variance


# ---- part 3: MLP -----------------------------------------------------------------------------


def test_initial_weights_are_the_labs():
    """Per-unit biases by default, as the student's report: b1 = torch.zeros(12), b2 of 3."""
    W1, b1, W2, b2 = initial_weights(4, 3, seed=5)
    assert W1.shape == (4, 12) and W2.shape == (12, 3)
    assert all(w.dtype == np.float32 for w in (W1, b1, W2, b2))
    assert b1.shape == (12,) and b2.shape == (3,) and not b1.any() and not b2.any()
    assert_array_equal(W1, initial_weights(4, 3, seed=5)[0])
    assert abs(np.concatenate([W1.ravel(), W2.ravel()]).std() - 1) < 0.3
    W1s, b1s, W2s, b2s = initial_weights(4, 3, seed=5, bias="scalar")
    assert b1s.shape == b2s.shape == () and b1s == b2s == 0
    assert_array_equal(W1s, W1) and assert_array_equal(W2s, W2)  # same weights, seed by seed
    with pytest.raises(ValueError, match="bias must be one of 'per-unit', 'scalar', got 'none'"):
        initial_weights(4, 3, bias="none")


def test_train_mlp_has_per_unit_biases_unless_asked(engine):
    default = train_mlp(SPLIT, 0.1, 20, engine=engine, seed=0)
    per_unit = train_mlp(SPLIT, 0.1, 20, engine=engine, init=initial_weights(4, 3, 0))
    scalar = train_mlp(SPLIT, 0.1, 20, engine=engine, seed=0, bias="scalar")
    assert_array_equal(default.losses, per_unit.losses)
    assert default.losses[0] == scalar.losses[0]  # zero biases: the same first epoch
    assert not np.array_equal(default.losses[1:], scalar.losses[1:])  # then they part ways


@pytest.mark.parametrize("bias", ["per-unit", "scalar"])
@pytest.mark.parametrize("lr", [0.01, 0.1])
def test_mlp_engines_agree_in_float32(both, lr, bias):
    init = initial_weights(4, 3, seed=0, bias=bias)
    tinyad_run, torch_run = (train_mlp(SPLIT, lr, engine=e, init=init) for e in both)
    assert agreement(tinyad_run.losses, torch_run.losses)["max_relative_difference"] < 1e-5
    assert tinyad_run.train_accuracy == torch_run.train_accuracy
    assert tinyad_run.val_accuracy == torch_run.val_accuracy


def test_mlp_divergence_is_reported(engine):
    run = train_mlp(SPLIT, lr=1e6, engine=engine, seed=0)
    assert run.trace.diverged_at is not None and run.trace.diverged_at <= 100
    assert len(run.losses) == run.trace.diverged_at - 1
    assert run.train_accuracy is None and run.val_accuracy is None


# ---- part 3b: the MLP with nn and optim --------------------------------------------------------


@pytest.fixture(scope="module")
def nn_part(both):
    """Part 3b as lab2.run builds it: the lab's two learning rates, both engines."""
    runs = [compare_with_hand_written(SPLIT, lr, 100, engines=both) for lr in (0.01, 0.1)]
    return {"architecture": "4-12-3", "bias": "per-unit", "epochs": 100, "seed": 0, "runs": runs}


def nn_report(nn):
    """Part 3b's paragraphs and its table's rows."""
    blocks = _nn_blocks(nn)
    (table,) = [b for b in blocks if isinstance(b, Table)]
    return [b for b in blocks if isinstance(b, str)], table.rows


def test_part_3b_reports_that_the_nn_version_matches(nn_part):
    for run in nn_part["runs"]:
        assert list(run["engines"]) == ["tinyad", "torch"]  # named, though given as Engines
        for e in run["engines"].values():
            assert e["same_accuracy"] and e["loss_agreement"]["epochs_compared"] == 100
            assert e["loss_agreement"]["max_relative_difference"] < 1e-5
    paragraphs, rows = nn_report(nn_part)
    assert [row[:2] for row in rows] == [
        ("0.01", "tinyad"), ("0.01", "torch"), ("0.1", "tinyad"), ("0.1", "torch")
    ]
    assert all(row[-1] == "same" for row in rows)
    worst = max(e["loss_agreement"]["max_relative_difference"]
                for run in nn_part["runs"] for e in run["engines"].values())
    assert (
        "The nn version matches the hand-written one on every engine and lr: the per-epoch "
        f"losses agree to within {worst:.2e} relative"
    ) in " ".join(paragraphs)
    assert sum("tinyad vs torch (nn version, lr" in p for p in paragraphs) == 2
    # with no difference at all, the report says the losses are identical
    exact = copy.deepcopy(nn_part)
    for run in exact["runs"]:
        for e in run["engines"].values():
            e["loss_agreement"]["max_relative_difference"] = 0.0
    paragraphs, rows = nn_report(exact)
    assert {row[-2] for row in rows} == {"0 (identical)"}
    assert "the per-epoch losses are identical, and the accuracies are the same." in paragraphs[1]


@pytest.mark.parametrize(
    "spoil, cell",
    [
        (lambda e: e.update(same_accuracy=False), "DIFFER"),
        (lambda e: e["loss_agreement"].update(max_relative_difference=1e-3, epoch=7),
         "1.00e-03 (epoch 7)"),
        (lambda e: e["nn"].update(epochs_run=42, diverged_at=43), "42 of 100 (diverged at 43)"),
    ],
)
def test_part_3b_says_so_when_the_nn_version_does_not_match(nn_part, spoil, cell):
    nn = copy.deepcopy(nn_part)
    spoil(nn["runs"][1]["engines"]["torch"])
    paragraphs, rows = nn_report(nn)
    assert cell in rows[3]
    assert "The nn version does NOT match the hand-written one at lr 0.1 on torch:" in " ".join(
        paragraphs
    )
    assert not any("matches" in p for p in paragraphs)


@given(st.lists(st.floats(0, 1), min_size=1, max_size=30))
def test_summarise_matches_statistics(values):
    s = summarise(values)
    assert s["n"] == len(values)
    assert s["mean"] == pytest.approx(statistics.fmean(values), abs=1e-12)
    assert s["std"] == pytest.approx(statistics.stdev(values) if len(values) > 1 else 0, abs=1e-9)
    assert (s["min"], s["max"]) == (min(values), max(values))
