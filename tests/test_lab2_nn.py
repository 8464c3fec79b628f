"""lab2.nn_mlp: the lab's MLP written with nn.Linear, nn.CrossEntropyLoss and optim.SGD computes
what the hand-written version (lab2.mlp) computes, on both engines, from the same weights."""

import numpy as np
import pytest

from lab2 import nn_mlp
from lab2.data import lab_split, load_csv
from lab2.engines import load
from lab2.mlp import initial_weights, train_mlp

SPLIT = lab_split(load_csv())
ENGINES = ["tinyad", "torch"]


def needs(name):
    if name == "torch":
        pytest.importorskip("torch")


@pytest.fixture(autouse=True, scope="module")
def one_torch_thread():
    """The lab's tensors are tiny; torch's extra threads only add overhead. Restored after."""
    try:
        import torch
    except ImportError:
        yield
        return
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


BIASES = ["per-unit", "scalar"]
NAMES = {"scalar": ["b1", "b2", "hidden.weight", "out.weight"],
         "per-unit": ["hidden.weight", "hidden.bias", "out.weight", "out.bias"]}


@pytest.mark.parametrize("bias", BIASES)
@pytest.mark.parametrize("engine", ENGINES)
def test_model_holds_the_lab_weights_in_nn_layout(engine, bias):
    needs(engine)
    init = initial_weights(4, 3, seed=3, bias=bias)
    model = nn_mlp.build_model(engine, init)
    assert [n for n, _ in model.named_parameters()] == NAMES[bias]
    assert tuple(model.hidden.weight.shape) == (12, 4)
    assert (model.hidden.bias is None) == (bias == "scalar")
    for got, want in zip(nn_mlp.lab_weights(model), init):
        assert got.dtype == want.dtype == np.float32
        np.testing.assert_array_equal(got, want)
    # the same function as the hand-written forward pass
    eng = load(engine)
    x = SPLIT.x_train
    W1, b1, W2, b2 = init
    want = np.maximum(x @ W1 + b1, 0) @ W2 + b2
    with eng.module.no_grad():
        got = model(eng.module.tensor(x)).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("bias", BIASES)
@pytest.mark.parametrize("lr", [0.01, 0.1])
def test_nn_version_matches_the_hand_written_one(lr, bias):
    engines = ["tinyad"] + (["torch"] if load_or_none("torch") else [])
    report = nn_mlp.compare_with_hand_written(SPLIT, lr, 100, engines=engines, bias=bias)
    tinyad = report["engines"]["tinyad"]
    # tinyad runs the very same arithmetic both ways (p -= lr * p.grad), so the curves agree
    # to float32 rounding; torch's SGD computes p.add_(grad, alpha=-lr) and its Linear a
    # matmul on the transposed weight, which may differ in the last bits.
    assert tinyad["loss_agreement"]["epochs_compared"] == 100
    assert tinyad["loss_agreement"]["max_relative_difference"] <= 1e-6
    assert tinyad["same_accuracy"]
    if "torch" in report["engines"]:
        torch_ = report["engines"]["torch"]
        assert torch_["loss_agreement"]["max_relative_difference"] <= 1e-5
        assert torch_["same_accuracy"]
        assert report["nn_across_engines"]["max_relative_difference"] <= 1e-5
        assert report["nn_across_engines"]["engines"] == ["tinyad", "torch"]
    for e in report["engines"].values():
        assert e["nn"]["epochs_run"] == e["hand_written"]["epochs_run"] == 100
        assert e["nn"]["final_loss"] == pytest.approx(e["hand_written"]["final_loss"], rel=1e-5)


def load_or_none(name):
    try:
        return load(name)
    except Exception:
        return None


@pytest.mark.parametrize("bias", BIASES)
@pytest.mark.parametrize("engine", ENGINES)
def test_trained_weights_are_the_hand_written_ones(engine, bias):
    """Run the lab's update with gradients derived by hand, in float64 numpy, and compare the
    trained weights."""
    needs(engine)
    eng = load(engine)
    init = initial_weights(4, 3, seed=1, bias=bias)
    nn, optim = nn_mlp._nn_and_optim(eng)
    model = nn_mlp.build_model(eng, init)
    opt = optim.SGD(model.parameters(), lr=0.1)
    x, y = eng.module.tensor(SPLIT.x_train), eng.module.tensor(SPLIT.y_train)
    for _ in range(20):
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    W1, b1, W2, b2 = (np.array(a, dtype=np.float64) for a in init)
    xs, ys = SPLIT.x_train.astype(np.float64), SPLIT.y_train
    rows = np.arange(len(ys))
    for _ in range(20):  # the lab's update, derived by hand, in float64
        z = xs @ W1 + b1
        h = np.maximum(z, 0)
        logits = h @ W2 + b2
        p = np.exp(logits - logits.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        g2 = p.copy()
        g2[rows, ys] -= 1
        g2 /= len(ys)
        g1 = (g2 @ W2.T) * (z > 0)
        sum_rows = (lambda g: g.sum()) if bias == "scalar" else (lambda g: g.sum(axis=0))
        W1, b1, W2, b2 = (W1 - 0.1 * xs.T @ g1, b1 - 0.1 * sum_rows(g1),
                          W2 - 0.1 * h.T @ g2, b2 - 0.1 * sum_rows(g2))
    for got, want in zip(nn_mlp.lab_weights(model), (W1, b1, W2, b2)):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("bias", BIASES)
@pytest.mark.parametrize("engine", ENGINES)
def test_divergence_stops_where_the_hand_written_one_does(engine, bias):
    needs(engine)
    init = initial_weights(4, 3, seed=0, bias=bias)
    by_hand = train_mlp(SPLIT, 1e8, 50, engine=engine, init=init)
    with_nn = nn_mlp.train_nn_mlp(SPLIT, 1e8, 50, engine=engine, init=init)
    assert by_hand.trace.diverged_at is not None
    assert with_nn.trace.diverged_at == by_hand.trace.diverged_at
    assert with_nn.train_accuracy is None and with_nn.val_accuracy is None
    assert len(with_nn.losses) == with_nn.trace.diverged_at - 1


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="learning rate"):
        nn_mlp.train_nn_mlp(SPLIT, -1.0)
    with pytest.raises(ValueError, match="num_epochs"):
        nn_mlp.train_nn_mlp(SPLIT, 0.1, 0)
