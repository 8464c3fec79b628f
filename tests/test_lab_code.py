"""The lab's own code, written for torch, runs on tinyad with only its imports changed.

The code below is kept as source text and executed verbatim twice: once with ``torch`` and
``F`` bound to tinyad (``import tinyad as torch``) and once to real torch, whose ``rand`` and
``randn`` are made to return the values tinyad drew, so both runs start from the same numbers.
"""

import types

import numpy as np
import pytest
from numpy.testing import assert_allclose

import tinyad
import tinyad.nn.functional as tinyad_F

torch = pytest.importorskip("torch")

LAB_FACTORISATION = '''
def gd_factorise_ad(A, rank, num_epochs=1000, lr=0.01):
    m, n = A.shape
    U = torch.rand(m, rank, requires_grad=True)
    V = torch.rand(n, rank, requires_grad=True)
    losses = []
    for epoch in range(num_epochs):
        A_pred = torch.matmul(U, V.t())
        loss = F.mse_loss(A_pred, A, reduction='sum')
        loss.backward()
        with torch.no_grad():
            U -= lr * U.grad
            V -= lr * V.grad
            U.grad.zero_()
            V.grad.zero_()
        losses.append(loss.item())
    return U, V, losses
'''

LAB_MLP = '''
def train_mlp(data_tr, targets_tr, data_va, targets_va, lr, num_epochs=100):
    W1 = torch.randn(4, 12, requires_grad=True)
    W2 = torch.randn(12, 3, requires_grad=True)
    b1 = torch.zeros(12, requires_grad=True)
    b2 = torch.zeros(3, requires_grad=True)
    losses = []
    for epoch in range(num_epochs):
        logits = torch.relu(data_tr @ W1 + b1) @ W2 + b2
        loss = F.cross_entropy(logits, targets_tr)
        loss.backward()
        with torch.no_grad():
            W1 -= lr * W1.grad
            W2 -= lr * W2.grad
            b1 -= lr * b1.grad
            b2 -= lr * b2.grad
            W1.grad.zero_()
            W2.grad.zero_()
            b1.grad.zero_()
            b2.grad.zero_()
        losses.append(loss.item())
    logits = torch.relu(data_tr @ W1 + b1) @ W2 + b2
    train_acc = (logits.argmax(1) == targets_tr).float().mean()
    logits = torch.relu(data_va @ W1 + b1) @ W2 + b2
    val_acc = (logits.argmax(1) == targets_va).float().mean()
    return losses, train_acc.item(), val_acc.item()
'''


def run(source, name, engine, functional, *args, **kwargs):
    namespace = {"torch": engine, "F": functional}
    exec(source, namespace)
    return namespace[name](*args, **kwargs)


class Recorder(types.ModuleType):
    """tinyad, with a copy of every array that rand / randn / zeros hand out."""

    def __init__(self):
        super().__init__("tinyad")
        self.__dict__.update(vars(tinyad))
        self.drawn = []
        for name in ("rand", "randn", "zeros"):
            setattr(self, name, self._recording(getattr(tinyad, name)))

    def _recording(self, factory):
        def make(*args, **kwargs):
            t = factory(*args, **kwargs)
            self.drawn.append(t._data.copy())
            return t
        return make


class Replayer(types.ModuleType):
    """torch, whose rand / randn / zeros return the arrays a Recorder saw, in order."""

    def __init__(self, drawn):
        super().__init__("torch")
        self.__dict__.update(vars(torch))
        drawn = list(drawn)
        for name in ("rand", "randn", "zeros"):
            setattr(self, name, lambda *shape, requires_grad=False, **kw: torch.tensor(
                drawn.pop(0), requires_grad=requires_grad))


def centred_matrix(m=150, n=4, seed=0):
    A = np.random.default_rng(seed).standard_normal((m, n)) * [0.8, 0.4, 1.8, 0.8]
    return A - A.mean(axis=0)


def test_factorisation_loop_runs_unchanged_and_matches_torch():
    A = centred_matrix()
    tinyad.manual_seed(0)
    recorder = Recorder()
    U, V, ours = run(LAB_FACTORISATION, "gd_factorise_ad", recorder, tinyad_F,
                     tinyad.tensor(A), 2, num_epochs=300)
    tU, tV, theirs = run(LAB_FACTORISATION, "gd_factorise_ad", Replayer(recorder.drawn),
                         torch.nn.functional, torch.tensor(A, dtype=torch.float32), 2,
                         num_epochs=300)
    assert U.dtype == tinyad.float32 and isinstance(tU, torch.Tensor)
    assert_allclose(ours, theirs, rtol=1e-5)
    assert_allclose(U.detach().numpy(), tU.detach().numpy(), rtol=1e-4, atol=1e-5)
    assert ours[-1] < 0.5 * ours[0], "gradient descent made progress"


def test_factorisation_in_float64_agrees_to_1e10():
    A = centred_matrix(seed=1)
    tinyad.manual_seed(1)

    class Float64(Recorder):
        def _recording(self, factory):
            make = super()._recording(factory)
            return lambda *a, **k: make(*a, dtype=tinyad.float64, **k)

    recorder = Float64()
    _, _, ours = run(LAB_FACTORISATION, "gd_factorise_ad", recorder, tinyad_F,
                     tinyad.tensor(A), 2, num_epochs=200)
    _, _, theirs = run(LAB_FACTORISATION, "gd_factorise_ad", Replayer(recorder.drawn),
                       torch.nn.functional, torch.tensor(A), 2, num_epochs=200)
    assert_allclose(ours, theirs, rtol=1e-10)


@pytest.mark.parametrize("lr", [0.01, 0.1])
def test_mlp_loop_runs_unchanged_and_matches_torch(lr):
    rng = np.random.default_rng(2)
    X = rng.standard_normal((150, 4)).astype(np.float32)
    y = (X[:, 0] + X[:, 1] > 0).astype(np.int64) + (X[:, 2] > 1)
    tinyad.manual_seed(2)
    recorder = Recorder()
    ours = run(LAB_MLP, "train_mlp", recorder, tinyad_F, tinyad.tensor(X[:100]),
               tinyad.tensor(y[:100]), tinyad.tensor(X[100:]), tinyad.tensor(y[100:]), lr)
    theirs = run(LAB_MLP, "train_mlp", Replayer(recorder.drawn), torch.nn.functional,
                 torch.tensor(X[:100]), torch.tensor(y[:100]), torch.tensor(X[100:]),
                 torch.tensor(y[100:]), lr)
    assert_allclose(ours[0], theirs[0], rtol=1e-5)
    assert ours[1:] == pytest.approx(theirs[1:], abs=1e-6)
