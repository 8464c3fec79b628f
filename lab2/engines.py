"""The engine is a parameter: a module with torch's API (``tinyad`` or ``torch`` itself).

Every experiment is written once against ``engine`` (the module) and ``F`` (its
``nn.functional``), and :func:`gradient_descent` is the one training loop they all share.
"""

import importlib
import math
import time
from typing import NamedTuple

import numpy as np

NAMES = ("tinyad", "torch")


class EngineUnavailable(RuntimeError):
    """The requested engine cannot be imported."""


class Engine(NamedTuple):
    name: str
    module: object  # the engine's top-level module: tensor(), no_grad(), ...
    F: object  # the engine's nn.functional


def installed(name):
    """True if the engine ``name`` can be imported."""
    try:
        load(name)
    except EngineUnavailable:
        return False
    return True


def load(engine=None):
    """An :class:`Engine` from a name (``"tinyad"``, ``"torch"``), a module, or an Engine.

    ``None`` means tinyad.
    """
    if isinstance(engine, Engine):
        return engine
    if engine is None or isinstance(engine, str):
        name = engine or "tinyad"
        try:
            module = importlib.import_module(name)
            functional = importlib.import_module(f"{name}.nn.functional")
        except ImportError as e:
            hint = (
                " (pip install torch; in a checkout, pip install -e '.[torch]')"
                if name == "torch"
                else ""
            )
            raise EngineUnavailable(f"cannot import engine {name!r}: {e}{hint}") from None
    else:
        module = engine
        functional = importlib.import_module(f"{module.__name__}.nn.functional")
    return Engine(module.__name__, module, functional)


class Trace(NamedTuple):
    """What a run of gradient descent did."""

    losses: np.ndarray  # the finite loss of every completed epoch, before its update
    diverged_at: object  # 1-based epoch whose loss was inf or NaN (training stopped), or None
    seconds: float  # wall time of the whole loop
    bad_loss: object = None  # the inf or NaN loss that stopped training, or None

    @property
    def seconds_per_epoch(self):
        epochs = len(self.losses) + (self.diverged_at is not None)
        return self.seconds / max(epochs, 1)


def gradient_descent(engine, params, loss_fn, lr, num_epochs):
    """Full-batch gradient descent with hand-written updates, as the lab writes it.

    Each epoch computes ``loss_fn()``, back-propagates, then ``p -= lr * p.grad`` and zeroes
    the gradient of every parameter. A loss that is inf or NaN stops the loop at that epoch
    (before any update) and is recorded in ``Trace.diverged_at``.
    """
    losses = []
    diverged_at = bad_loss = None
    start = time.perf_counter()
    # overflow is detected below, as an inf or NaN loss; numpy-based engines need not warn
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(1, num_epochs + 1):
            loss = loss_fn()
            value = loss.item()
            if not math.isfinite(value):
                diverged_at, bad_loss = epoch, value
                break
            losses.append(value)
            loss.backward()
            with engine.module.no_grad():
                for p in params:
                    p -= lr * p.grad
                    p.grad.zero_()
    seconds = time.perf_counter() - start
    return Trace(np.array(losses, dtype=np.float64), diverged_at, seconds, bad_loss)


def leaf(engine, array):
    """A fresh parameter tensor holding a copy of ``array`` (dtype kept)."""
    return engine.module.tensor(np.array(array, copy=True), requires_grad=True)


def to_numpy(tensor):
    return np.array(tensor.detach().numpy(), copy=True)


def divergence_message(what, engine_name, trace, lr):
    """One line saying where ``trace`` diverged and what to do about it."""
    return (
        f"{what} with {engine_name} diverged at epoch {trace.diverged_at}: the loss became "
        f"{trace.bad_loss}; try a smaller learning rate than {lr:g}"
    )


def agreement(a, b):
    """Largest relative difference between two loss curves, over the epochs both completed.

    Returns a dict with ``max_relative_difference``, the 1-based ``epoch`` where it occurs and
    ``epochs_compared``.
    """
    n = min(len(a), len(b))
    if n == 0:
        return {"max_relative_difference": None, "epoch": None, "epochs_compared": 0}
    a, b = np.asarray(a[:n]), np.asarray(b[:n])
    rel = np.abs(a - b) / np.maximum(np.abs(b), np.finfo(np.float64).tiny)
    worst = int(np.argmax(rel))
    return {"max_relative_difference": float(rel[worst]), "epoch": worst + 1, "epochs_compared": n}
