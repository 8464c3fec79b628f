"""Part 3: a 4-12-3 multi-layer perceptron trained by hand-written gradient descent.

``logits = relu(x @ W1 + b1) @ W2 + b2`` with cross-entropy loss. W1 and W2 start standard
normal and the biases start at zero. By default there is one bias per unit (b1 has 12 entries,
b2 one per class), as the student's report initialises them
(``b1 = torch.zeros(12, requires_grad=True)``); ``bias="scalar"`` gives one bias per layer,
shared by its units, as another version of the lab's template has it. The input and output
widths follow the data (4 features, 3 species for Iris).
"""

from typing import NamedTuple

import numpy as np

from .checks import check_learning_rate, check_positive_int
from .engines import gradient_descent, leaf, load

HIDDEN = 12
BIASES = ("per-unit", "scalar")


class MLPResult(NamedTuple):
    losses: np.ndarray  # training cross-entropy per completed epoch, before that epoch's update
    train_accuracy: object  # fraction correct after training; None if training diverged
    val_accuracy: object
    trace: object  # the engines.Trace (divergence, wall time)


def check_bias(bias):
    """Return ``bias`` if it is one of :data:`BIASES`, else raise ValueError."""
    if bias not in BIASES:
        raise ValueError(f"bias must be one of {', '.join(map(repr, BIASES))}, got {bias!r}")
    return bias


def initial_weights(n_features, n_classes, seed=0, hidden=HIDDEN, bias="per-unit"):
    """(W1, b1, W2, b2) as float32 arrays: W standard normal from ``default_rng(seed)``, b zero,
    with shapes (hidden,) and (n_classes,) for per-unit biases, () for scalar ones.

    The weights are the same for both kinds of bias, so the two can be compared seed by seed.
    """
    check_bias(bias)
    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((n_features, hidden)).astype(np.float32)
    W2 = rng.standard_normal((hidden, n_classes)).astype(np.float32)
    b1, b2 = ((hidden,), (n_classes,)) if bias == "per-unit" else ((), ())
    return W1, np.zeros(b1, dtype=np.float32), W2, np.zeros(b2, dtype=np.float32)


def train_mlp(
    split, lr=0.01, num_epochs=100, *, engine=None, init=None, seed=0, bias="per-unit"
):
    """Train on ``split`` (a :class:`lab2.data.Split`) and measure accuracy on both halves.

    ``engine`` is a module with torch's API or its name (default tinyad); ``init`` is
    ``(W1, b1, W2, b2)``, by default :func:`initial_weights` of ``seed`` and ``bias``.
    """
    lr = check_learning_rate(lr)
    num_epochs = check_positive_int("num_epochs", num_epochs)
    eng = load(engine)
    if init is None:
        init = initial_weights(split.x_train.shape[1], len(split.classes), seed, bias=bias)
    W1, b1, W2, b2 = params = [leaf(eng, w) for w in init]
    tensor = eng.module.tensor

    def forward(x):
        return eng.F.relu(x @ W1 + b1) @ W2 + b2

    x_train, y_train = tensor(split.x_train), tensor(split.y_train)
    trace = gradient_descent(
        eng, params, lambda: eng.F.cross_entropy(forward(x_train), y_train), lr, num_epochs
    )
    if trace.diverged_at is not None:
        return MLPResult(trace.losses, None, None, trace)

    def accuracy(x, y):
        with eng.module.no_grad():
            return (forward(tensor(x)).argmax(dim=1) == tensor(y)).float().mean().item()

    return MLPResult(
        trace.losses,
        accuracy(split.x_train, split.y_train),
        accuracy(split.x_val, split.y_val),
        trace,
    )


def summarise(values):
    """Mean, standard deviation (n - 1 divisor; 0 for one value), min and max of ``values``."""
    v = np.asarray(values, dtype=np.float64)
    if v.size == 0:
        return {"mean": None, "std": None, "min": None, "max": None, "n": 0}
    return {
        "mean": float(v.mean()),
        "std": float(v.std(ddof=1)) if v.size > 1 else 0.0,
        "min": float(v.min()),
        "max": float(v.max()),
        "n": int(v.size),
    }
