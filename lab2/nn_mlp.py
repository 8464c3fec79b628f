"""Part 3 the way torch users usually write it: ``nn.Linear``, ``nn.CrossEntropyLoss`` and
``optim.SGD``, on either engine, checked against the lab's hand-written version
(:mod:`lab2.mlp`, which stays the default).

The network is the lab's: ``logits = relu(x @ W1 + b1) @ W2 + b2``. ``nn.Linear`` stores its
weight as (out, in), so ``hidden.weight`` holds ``W1.T`` and ``out.weight`` holds ``W2.T``.
With per-unit biases (lab2's default) they are the Linear layers' own biases. With the
template's scalar biases (``bias="scalar"``: one number per layer, shared by its units) the
layers are ``nn.Linear(..., bias=False)`` and each bias is a scalar ``nn.Parameter``, so the
function is the very same. Started from the same weights, one epoch of
``optimizer.zero_grad(); loss.backward(); optimizer.step()`` is then the lab's
``p -= lr * p.grad`` on the same four tensors.
"""

import importlib
import math
import time

import numpy as np

from .checks import check_learning_rate, check_positive_int
from .engines import Trace, agreement, load
from .mlp import HIDDEN, MLPResult, initial_weights, train_mlp


def _nn_and_optim(eng):
    """The engine's ``nn`` and ``optim`` packages (tinyad and torch lay them out alike)."""
    name = eng.module.__name__
    return importlib.import_module(f"{name}.nn"), importlib.import_module(f"{name}.optim")


def build_model(engine, init):
    """The lab's MLP as an ``nn.Module`` on ``engine``, holding copies of ``init``'s
    ``(W1, b1, W2, b2)`` (numpy arrays; W1 is (features, hidden), W2 (hidden, classes); the
    biases per unit, shapes (hidden,) and (classes,), or scalars, shape ())."""
    eng = load(engine)
    nn, _ = _nn_and_optim(eng)
    tensor = eng.module.tensor
    W1, b1, W2, b2 = (np.array(a, copy=True) for a in init)
    scalar_bias = b1.ndim == 0

    class LabMLP(nn.Module):
        def __init__(self, n_features, hidden, n_classes):
            super().__init__()
            self.hidden = nn.Linear(n_features, hidden, bias=not scalar_bias)
            self.relu = nn.ReLU()
            self.out = nn.Linear(hidden, n_classes, bias=not scalar_bias)
            if scalar_bias:  # one bias per layer, shared by its units
                self.b1 = nn.Parameter(eng.module.zeros(()))
                self.b2 = nn.Parameter(eng.module.zeros(()))

        def forward(self, x):
            if scalar_bias:
                return self.out(self.relu(self.hidden(x) + self.b1)) + self.b2
            return self.out(self.relu(self.hidden(x)))

    model = LabMLP(W1.shape[0], W1.shape[1], W2.shape[1])
    names = ("b1", "b2") if scalar_bias else ("hidden.bias", "out.bias")
    model.load_state_dict({
        "hidden.weight": tensor(np.ascontiguousarray(W1.T)), names[0]: tensor(b1),
        "out.weight": tensor(np.ascontiguousarray(W2.T)), names[1]: tensor(b2),
    })
    return model


def lab_weights(model):
    """``(W1, b1, W2, b2)`` of a :func:`build_model` model, as numpy arrays in the lab's layout."""
    def array(t):
        return np.array(t.detach().numpy(), copy=True)
    if model.hidden.bias is None:
        b1, b2 = model.b1, model.b2
    else:
        b1, b2 = model.hidden.bias, model.out.bias
    return (array(model.hidden.weight).T, array(b1), array(model.out.weight).T, array(b2))


def train_nn_mlp(split, lr=0.01, num_epochs=100, *, engine=None, init=None, seed=0,
                 bias="per-unit"):
    """Train the lab's MLP written with nn and optim; returns an :class:`lab2.mlp.MLPResult`
    (the same fields as :func:`lab2.mlp.train_mlp`, so the two can be compared directly).

    ``init`` is ``(W1, b1, W2, b2)``, by default :func:`lab2.mlp.initial_weights` of ``seed``
    and ``bias`` ("per-unit" or "scalar").
    A loss that is inf or NaN stops training at that epoch, before its update.
    """
    lr = check_learning_rate(lr)
    num_epochs = check_positive_int("num_epochs", num_epochs)
    eng = load(engine)
    nn, optim = _nn_and_optim(eng)
    if init is None:
        init = initial_weights(split.x_train.shape[1], len(split.classes), seed, bias=bias)
    model = build_model(eng, init)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=lr)
    x_train, y_train = eng.module.tensor(split.x_train), eng.module.tensor(split.y_train)

    losses = []
    diverged_at = bad_loss = None
    start = time.perf_counter()
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(1, num_epochs + 1):
            optimizer.zero_grad()
            loss = loss_fn(model(x_train), y_train)
            value = loss.item()
            if not math.isfinite(value):
                diverged_at, bad_loss = epoch, value
                break
            losses.append(value)
            loss.backward()
            optimizer.step()
    trace = Trace(np.array(losses), diverged_at, time.perf_counter() - start, bad_loss)
    if diverged_at is not None:
        return MLPResult(trace.losses, None, None, trace)

    model.eval()

    def accuracy(x, y):
        with eng.module.no_grad():
            predicted = model(eng.module.tensor(x)).argmax(dim=1)
            return (predicted == eng.module.tensor(y)).float().mean().item()

    return MLPResult(trace.losses, accuracy(split.x_train, split.y_train),
                     accuracy(split.x_val, split.y_val), trace)


def compare_with_hand_written(split, lr=0.01, num_epochs=100, *, engines=("tinyad", "torch"),
                              seed=0, bias="per-unit", hidden=HIDDEN):
    """Train the nn + optim version and the hand-written version from the same weights on each
    engine, and say how closely they agree.

    ``engines`` are names, modules or :class:`lab2.engines.Engine` values.
    Returns a dict with ``lr``, ``epochs``, ``seed``, ``bias``, ``engines`` and, with two
    engines, ``nn_across_engines`` (the agreement of their nn versions' loss curves). Per
    engine: both runs' final loss, accuracies, epochs run and time per epoch,
    ``loss_agreement`` (the largest relative difference between the two per-epoch loss curves,
    from :func:`lab2.engines.agreement`) and ``same_accuracy``. :mod:`lab2.report` renders it
    as part 3b of the lab's report.
    """
    init = initial_weights(split.x_train.shape[1], len(split.classes), seed, hidden, bias)
    report = {"lr": lr, "epochs": num_epochs, "seed": seed, "bias": bias, "engines": {}}
    nn_losses = {}
    for eng in map(load, engines):
        by_hand = train_mlp(split, lr, num_epochs, engine=eng, init=init)
        with_nn = train_nn_mlp(split, lr, num_epochs, engine=eng, init=init)
        nn_losses[eng.name] = with_nn.losses
        report["engines"][eng.name] = {
            "hand_written": _summary(by_hand),
            "nn": _summary(with_nn),
            "loss_agreement": agreement(with_nn.losses, by_hand.losses),
            "same_accuracy": (with_nn.train_accuracy, with_nn.val_accuracy)
            == (by_hand.train_accuracy, by_hand.val_accuracy),
        }
    if len(nn_losses) == 2:
        a, b = nn_losses.values()
        report["nn_across_engines"] = {"engines": list(nn_losses), **agreement(a, b)}
    return report


def _summary(result):
    return {
        "final_loss": float(result.losses[-1]) if len(result.losses) else None,
        "epochs_run": len(result.losses),
        "train_accuracy": result.train_accuracy,
        "val_accuracy": result.val_accuracy,
        "diverged_at": result.trace.diverged_at,
        "seconds_per_epoch": result.trace.seconds_per_epoch,
    }
