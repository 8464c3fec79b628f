"""The benchmarked work, written once per kind of implementation.

Three implementations do the same work:

* ``tinyad`` and ``torch``: one function per workload takes the engine module as a parameter
  (tinyad mirrors torch's API), so both engines run the very same Python code;
* ``numpy``: the same array kernels with the gradients derived by hand and no graph at all, the
  floor for any engine over numpy.

Two peers, other eager engines over numpy that users might pick instead, do the lab's two
epochs and the tanh chains (``Case.peers``), written the way each library is used, when they
are installed (``pip install -e '.[peers]'``):

* ``mygrad``: tensors and ``backward()`` as in torch, its own ``softmax_crossentropy``;
  the update writes ``p.data`` (numpy arrays) in place;
* ``autograd`` (HIPS): functions of numpy arrays through ``autograd.numpy``; the forward is
  ``make_vjp(loss)(params)``, which records the graph and returns the loss, the backward calls
  the vector-Jacobian product it returned.

A workload is built into a :class:`Run`: ``forward()`` returns what ``backward`` needs, and
``backward(saved)`` computes the gradients (and, for the training workloads, applies the update),
so ``step()`` is one epoch. Every implementation starts from the same numpy arrays.
"""

import csv
import functools
import importlib
import importlib.util
from pathlib import Path
from typing import Callable, NamedTuple

import numpy as np

IMPLEMENTATIONS = ("tinyad", "torch", "numpy")
ENGINES = ("tinyad", "torch")
PEERS = ("mygrad", "autograd")  # optional: the `peers` extra

SIZES = (64, 256, 1024, 2048)  # workload 2: square matrices
SCALE_RANK = 32
GRAPH_SIZES = (100, 300, 1000, 3000, 10000)  # workload 6: ops in the graph
TANH_STEPS, TANH_WIDTH = 1000, 64  # workload 7: 1,000 x (mul, add, tanh) on 64 elements
DEEP_SIZES = (100, 1000, 10000)  # workload 8: ops in the tanh chain
LAB_LR = 0.01  # the lab's learning rate, for its factorisation and its MLP
IRIS_CSV = Path(__file__).resolve().parents[1] / "lab2" / "data" / "iris.csv"


class Run(NamedTuple):
    """One implementation of one workload, ready to run epochs."""

    forward: Callable[[], object]
    backward: Callable[[object], None]
    state: Callable[[], list]  # numpy copies: parameters (training) or gradients (ops, graphs)
    value: Callable[[object], np.ndarray] = None  # the forward's result -> its loss or output

    def step(self):
        """One epoch: forward, backward (and update); returns the forward's result."""
        saved = self.forward()
        self.backward(saved)
        return saved


class Case(NamedTuple):
    """One benchmarked configuration of a workload; ``build(impl)`` makes its :class:`Run`."""

    workload: int  # 1..6, as numbered in the issue
    title: str  # the workload, e.g. "factorisation at scale"
    label: str  # this configuration, e.g. "n=1024 float32"
    build: Callable[[str], Run]
    size: int = 0  # matrix size (workload 2) or ops in the graph (workloads 6 to 8)
    dtype: str = ""
    peers: bool = False  # written for MyGrad and HIPS autograd too

    def implementations(self, available):
        """Those of ``available`` that this configuration is written for."""
        return [i for i in available if i not in PEERS or self.peers]

    @property
    def group(self):
        return f"w{self.workload} {self.title}: {self.label}"


def peer_available(name):
    """Is the optional peer ``name`` (mygrad or autograd) installed?"""
    if name not in PEERS:
        raise ValueError(f"unknown peer {name!r}; expected one of {PEERS}")
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # e.g. blocked, or a broken installation
        return False


def engine(name):
    """The engine module and its ``nn.functional`` (tinyad and torch have the same layout)."""
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r}; expected one of {ENGINES}")
    return importlib.import_module(name), importlib.import_module(f"{name}.nn.functional")


def _sgd_zero_grad(torchlike, params, lr):
    """The lab's update: ``p -= lr * p.grad`` then ``p.grad.zero_()``, without recording."""
    with torchlike.no_grad():
        for p in params:
            p -= lr * p.grad
            p.grad.zero_()


def _copies(arrays):
    return [np.array(a, copy=True) for a in arrays]


def _engine_training(name, arrays, loss_fn, lr, constants=()):
    """A training Run for an engine: ``loss_fn(F, *params, *constants)`` then the lab's update."""
    torchlike, F = engine(name)
    params = [torchlike.tensor(np.array(a, copy=True), requires_grad=True) for a in arrays]
    consts = [torchlike.tensor(c) for c in constants]

    def backward(loss):
        loss.backward()
        _sgd_zero_grad(torchlike, params, lr)

    return Run(lambda: loss_fn(F, *params, *consts), backward,
               lambda: _copies(p.detach().numpy() for p in params), _engine_value)


def _engine_value(out):
    return np.array(out.detach().numpy(), copy=True)


# ---- the peers: MyGrad and HIPS autograd ------------------------------------------------------

def _mygrad():
    import mygrad
    import mygrad.nnet

    return mygrad, mygrad.nnet


def _mygrad_training(arrays, loss_fn, lr, constants=()):
    """A training Run for MyGrad: ``loss_fn(mygrad, nnet, *params, *constants)``, then
    ``loss.backward()`` and ``p.data -= lr * p.grad`` (MyGrad's grads are numpy arrays, set
    afresh by each backward, so nothing needs zeroing)."""
    mg, nnet = _mygrad()
    params = [mg.tensor(np.array(a, copy=True)) for a in arrays]

    def backward(loss):
        loss.backward()
        for p in params:
            p.data -= lr * p.grad

    return Run(lambda: loss_fn(mg, nnet, *params, *constants), backward,
               lambda: _copies(p.data for p in params), lambda out: np.array(out.data, copy=True))


def _autograd_training(arrays, loss_fn, lr, constants=()):
    """A training Run for HIPS autograd: the forward is ``make_vjp`` of
    ``loss_fn(anp, *params, *constants)`` at the parameters (the loss and its recorded graph),
    the backward calls the vector-Jacobian product with 1 and updates the parameters."""
    import autograd.numpy as anp
    from autograd import make_vjp

    params = _copies(arrays)
    vjp_of_loss = make_vjp(lambda ps: loss_fn(anp, *ps, *constants))

    def backward(saved):
        vjp, loss = saved
        for p, g in zip(params, vjp(np.ones_like(loss))):
            p -= lr * g

    return Run(lambda: vjp_of_loss(params), backward, lambda: _copies(params),
               lambda saved: np.array(saved[1], copy=True))


def _peer_gradients(name, arrays, n_grad, fn):
    """A Run for a peer computing the gradients of ``fn(module, *inputs)`` (a scalar) with
    respect to the first ``n_grad`` inputs; ``module`` is ``mygrad`` or ``autograd.numpy``."""
    if name == "mygrad":
        mg, _ = _mygrad()
        inputs = [mg.tensor(np.array(a, copy=True)) if i < n_grad else a
                  for i, a in enumerate(arrays)]
        return Run(lambda: fn(mg, *inputs), lambda out: out.backward(),
                   lambda: _copies(t.grad for t in inputs[:n_grad]),
                   lambda out: np.array(out.data, copy=True))
    if name != "autograd":
        raise ValueError(f"unknown peer {name!r}; expected one of {PEERS}")
    import autograd.numpy as anp
    from autograd import make_vjp

    leaves, constants = _copies(arrays[:n_grad]), arrays[n_grad:]
    vjp_of_fn = make_vjp(lambda ls: fn(anp, *ls, *constants))
    last = []

    def backward(saved):
        vjp, out = saved
        last[:] = vjp(np.ones_like(out))

    return Run(lambda: vjp_of_fn(leaves), backward, lambda: _copies(last),
               lambda saved: np.array(saved[1], copy=True))


def _anp_cross_entropy(anp, logits, target):
    """``cross_entropy`` (mean over rows) in ``autograd.numpy``, which has no such loss."""
    shifted = logits - anp.max(logits, axis=1, keepdims=True)
    log_total = anp.log(anp.sum(anp.exp(shifted), axis=1))
    return anp.mean(log_total - shifted[np.arange(len(target)), target])


# ---- hand-written numpy kernels and their gradients ------------------------------------------

def np_mse(a, target, reduction="mean"):
    """``mse_loss`` and what its gradient needs."""
    diff = a - target
    squares = (diff * diff).sum()
    return (squares if reduction == "sum" else squares / diff.size), diff


def np_mse_grad(diff, g=1.0, reduction="mean"):
    return diff * ((2.0 * g) if reduction == "sum" else (2.0 * g / diff.size))


def np_cross_entropy(logits, target):
    """``cross_entropy`` (mean over rows) and what its gradient needs."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    total = exp.sum(axis=1, keepdims=True)
    rows = np.arange(len(target))
    loss = (np.log(total[:, 0]) - shifted[rows, target]).mean()
    return loss, (exp, total, target, rows)


def np_cross_entropy_grad(saved, g=1.0):
    exp, total, target, rows = saved
    grad = exp / total
    grad[rows, target] -= 1
    return grad * (g / len(target))


def _np_bias_grad(g, bias):
    """The gradient of a bias added along the rows: a scalar bias sums everything."""
    return g.sum() if bias.ndim == 0 else g.sum(axis=0)


# ---- workloads 1 and 2: factorisation A ~ U @ V.T, summed squared error, as in the lab -------

@functools.cache
def lab_data():
    """The lab's data: (centred Iris 150x4 float64, x_train 100x4 float32, y_train, source).

    From lab2's own loader when lab2 is importable; otherwise read ``lab2/data/iris.csv`` the
    same way (centre the columns; shuffle with ``RandomState(0)``, number the labels in order of
    first appearance, normalise by the variance and keep the first 100 rows), or, when that file
    is missing too, random data of the same shapes.
    """
    try:
        from lab2.data import centred, lab_split, load_csv
    except ImportError:
        return _lab_data_fallback()
    data = load_csv()
    split = lab_split(data)
    return centred(data), split.x_train, split.y_train, data.source


def _lab_data_fallback():
    if IRIS_CSV.exists():
        with open(IRIS_CSV, newline="", encoding="utf-8") as f:
            rows = [r for r in csv.reader(f) if r][1:]
        features = np.array([[float(v) for v in r[:4]] for r in rows])
        labels, source = [r[4] for r in rows], f"{IRIS_CSV} (read directly)"
    else:
        rng = np.random.default_rng(0)
        features = rng.normal(5.0, 1.0, (150, 4))
        labels, source = list(rng.integers(0, 3, 150)), "random 150x4 (no Iris file found)"
    order = np.random.RandomState(0).permutation(len(labels))
    number = {k: i for i, k in enumerate(dict.fromkeys(labels[i] for i in order))}
    y = np.array([number[labels[i]] for i in order], dtype=np.int64)
    x = features[order]
    x = ((x - x.mean(axis=0)) / x.var(axis=0, ddof=1)).astype(np.float32)
    return features - features.mean(axis=0), x[:100], y[:100], source


def initial_factors(shape, rank, dtype, seed=0):
    """U (m, rank) and V (n, rank) uniform in [0, 1), as the lab draws them."""
    rng = np.random.default_rng(seed)
    m, n = shape
    return rng.random((m, rank)).astype(dtype), rng.random((n, rank)).astype(dtype)


def factorisation(impl, A, rank, lr, seed=0):
    """One epoch: ``mse_loss(U @ V.t(), A, reduction="sum")``, backward, gradient step."""
    U0, V0 = initial_factors(A.shape, rank, A.dtype, seed)
    if impl == "mygrad":
        return _mygrad_training(
            (U0, V0), lambda mg, nnet, U, V, target: mg.sum((U @ V.T - target) ** 2), lr, (A,))
    if impl == "autograd":
        return _autograd_training(
            (U0, V0), lambda anp, U, V, target: anp.sum((U @ V.T - target) ** 2), lr, (A,))
    if impl != "numpy":
        return _engine_training(
            impl, (U0, V0),
            lambda F, U, V, target: F.mse_loss(U @ V.t(), target, reduction="sum"), lr, (A,))
    U, V = params = [U0.copy(), V0.copy()]

    def forward():
        return np_mse(U @ V.T, A, "sum")

    def backward(saved):
        g = np_mse_grad(saved[1], reduction="sum")
        for p, grad in zip(params, (g @ V, g.T @ U)):
            p -= lr * grad

    return Run(forward, backward, lambda: _copies(params), _numpy_loss)


def _numpy_loss(saved):
    return np.array(saved[0], copy=True)


@functools.lru_cache(maxsize=2)
def scale_matrix(n, dtype):
    """Workload 2's target: an n x n matrix uniform in [0, 1)."""
    return np.random.default_rng(n).random((n, n)).astype(dtype)


def scale_factorisation(impl, n, dtype):
    # The step size keeps gradient descent stable: the loss's curvature grows like n * rank.
    return factorisation(impl, scale_matrix(n, dtype), SCALE_RANK, 0.5 / (n * SCALE_RANK))


def lab_factorisation(impl):
    return factorisation(impl, lab_data()[0], 2, LAB_LR)


# ---- workloads 3 and 4: one-hidden-layer MLP, ReLU, cross-entropy --------------------------

def mlp(impl, x, y, params0, lr):
    """One epoch: ``cross_entropy(relu(x @ W1 + b1) @ W2 + b2, y)``, backward, gradient step."""
    if impl == "mygrad":
        return _mygrad_training(
            params0,
            lambda mg, nnet, W1, b1, W2, b2, xt, yt: nnet.losses.softmax_crossentropy(
                nnet.activations.relu(xt @ W1 + b1) @ W2 + b2, yt), lr, (x, y))
    if impl == "autograd":
        return _autograd_training(
            params0,
            lambda anp, W1, b1, W2, b2, xt, yt: _anp_cross_entropy(
                anp, anp.maximum(xt @ W1 + b1, 0) @ W2 + b2, yt), lr, (x, y))
    if impl != "numpy":
        return _engine_training(
            impl, params0,
            lambda F, W1, b1, W2, b2, xt, yt: F.cross_entropy(F.relu(xt @ W1 + b1) @ W2 + b2, yt),
            lr, (x, y))
    W1, b1, W2, b2 = params = _copies(params0)

    def forward():
        z1 = x @ W1 + b1
        h = np.maximum(z1, 0)
        loss, saved = np_cross_entropy(h @ W2 + b2, y)
        return loss, saved, z1, h

    def backward(saved):
        _, ce, z1, h = saved
        g2 = np_cross_entropy_grad(ce)
        g1 = (g2 @ W2.T) * (z1 > 0)
        grads = (x.T @ g1, _np_bias_grad(g1, b1), h.T @ g2, _np_bias_grad(g2, b2))
        for p, g in zip(params, grads):
            p -= lr * g

    return Run(forward, backward, lambda: _copies(params), _numpy_loss)


def _lab_mlp_params(n_features):
    """W standard normal from seed 0, scalar biases at 0 (the lab's template)."""
    rng = np.random.default_rng(0)
    zero = np.zeros((), np.float32)
    return (rng.standard_normal((n_features, 12)).astype(np.float32), zero,
            rng.standard_normal((12, 3)).astype(np.float32), zero)


def lab_mlp(impl):
    """The lab's 4-12-3 MLP on its 100 training rows: W standard normal, scalar biases at 0."""
    _, x, y, _ = lab_data()
    return mlp(impl, x, y, _lab_mlp_params(x.shape[1]), LAB_LR)


def _nn_and_optim(name):
    return importlib.import_module(f"{name}.nn"), importlib.import_module(f"{name}.optim")


def nn_mlp(impl, x, y, params0, lr):
    """The same epoch written the usual torch way: ``nn.Linear`` layers (weights stored
    transposed, (out, in)), ``nn.CrossEntropyLoss`` and ``optim.SGD``; an epoch is
    ``optimizer.zero_grad()``, forward, ``loss.backward()``, ``optimizer.step()``. Scalar
    biases (as in the lab's template) are scalar Parameters next to ``Linear(bias=False)``.
    The numpy implementation is the hand-written epoch of :func:`mlp`: the same arithmetic."""
    if impl == "numpy":
        return mlp(impl, x, y, params0, lr)
    torchlike, _ = engine(impl)
    nn, optim = _nn_and_optim(impl)
    W1, b1, W2, b2 = params0
    scalar_bias = np.ndim(b1) == 0

    class LabMLP(nn.Module):
        def __init__(self):
            super().__init__()
            self.hidden = nn.Linear(*W1.shape, bias=not scalar_bias)
            self.out = nn.Linear(*W2.shape, bias=not scalar_bias)
            if scalar_bias:
                self.b1 = nn.Parameter(torchlike.zeros(()))
                self.b2 = nn.Parameter(torchlike.zeros(()))

        def forward(self, inputs):
            if scalar_bias:
                return self.out(torchlike.relu(self.hidden(inputs) + self.b1)) + self.b2
            return self.out(torchlike.relu(self.hidden(inputs)))

    model = LabMLP()
    bias_names = ("b1", "b2") if scalar_bias else ("hidden.bias", "out.bias")
    model.load_state_dict({
        "hidden.weight": torchlike.tensor(np.ascontiguousarray(W1.T)),
        "out.weight": torchlike.tensor(np.ascontiguousarray(W2.T)),
        bias_names[0]: torchlike.tensor(np.array(b1)),
        bias_names[1]: torchlike.tensor(np.array(b2)),
    })
    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=lr)
    inputs, targets = torchlike.tensor(x), torchlike.tensor(y)

    def forward():
        optimizer.zero_grad()
        return loss_fn(model(inputs), targets)

    def backward(loss):
        loss.backward()
        optimizer.step()

    def state():  # in the hand-written layout: W1 (in, hidden), b1, W2 (hidden, out), b2
        p = {name: t.detach().numpy() for name, t in model.named_parameters()}
        return _copies([p["hidden.weight"].T, p[bias_names[0]], p["out.weight"].T,
                        p[bias_names[1]]])

    return Run(forward, backward, state, _engine_value)


def lab_nn_mlp(impl):
    """The lab's MLP as :func:`lab_mlp`, written with nn and optim (:func:`nn_mlp`)."""
    _, x, y, _ = lab_data()
    return nn_mlp(impl, x, y, _lab_mlp_params(x.shape[1]), LAB_LR)


@functools.cache
def _wide_mlp_data():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((4096, 256)).astype(np.float32)
    y = rng.integers(0, 10, 4096)
    params = (rng.standard_normal((256, 512)).astype(np.float32) * np.float32((2 / 256) ** 0.5),
              np.zeros(512, np.float32),
              rng.standard_normal((512, 10)).astype(np.float32) * np.float32((2 / 512) ** 0.5),
              np.zeros(10, np.float32))
    return x, y, params


def wide_mlp(impl):
    """4096 x 256 -> 512 -> 10, float32, He-initialised weights and per-unit biases."""
    x, y, params = _wide_mlp_data()
    return mlp(impl, x, y, params, 0.1)


# ---- workload 5: forward + backward of one op on 8-element arrays ----------------------------

class Op(NamedTuple):
    inputs: Callable  # rng -> input arrays; the first ``n_grad`` of them need a gradient
    n_grad: int
    engine_fn: Callable  # (F, *tensors) -> output
    np_forward: Callable  # (*arrays) -> (output, saved)
    np_backward: Callable  # (saved, upstream gradient) -> gradients of the first n_grad inputs


def _vectors(count):
    return lambda rng: [rng.standard_normal(8).astype(np.float32) for _ in range(count)]


def _ce_inputs(rng):
    return [rng.standard_normal((2, 4)).astype(np.float32), np.array([1, 3])]


def _matmul_inputs(rng):
    return [rng.standard_normal((2, 4)).astype(np.float32),
            rng.standard_normal((4, 2)).astype(np.float32)]


OPS = {
    "add": Op(_vectors(2), 2, lambda F, a, b: a + b,
              lambda a, b: (a + b, None), lambda s, g: (g, g)),
    "mul": Op(_vectors(2), 2, lambda F, a, b: a * b,
              lambda a, b: (a * b, (a, b)), lambda s, g: (g * s[1], g * s[0])),
    "matmul": Op(_matmul_inputs, 2, lambda F, a, b: a @ b,
                 lambda a, b: (a @ b, (a, b)), lambda s, g: (g @ s[1].T, s[0].T @ g)),
    "sum": Op(_vectors(1), 1, lambda F, a: a.sum(),
              lambda a: (a.sum(), a), lambda s, g: (np.full_like(s, g),)),
    "relu": Op(_vectors(1), 1, lambda F, a: F.relu(a),
               lambda a: (np.maximum(a, 0), a > 0), lambda s, g: (g * s,)),
    "mse_loss": Op(_vectors(2), 1, lambda F, a, t: F.mse_loss(a, t),
                   np_mse, lambda s, g: (np_mse_grad(s, g),)),
    "cross_entropy": Op(_ce_inputs, 1, lambda F, z, t: F.cross_entropy(z, t),
                        np_cross_entropy, lambda s, g: (np_cross_entropy_grad(s, g),)),
}


def _engine_gradients(name, arrays, n_grad, fn):
    """A Run whose forward clears the leaves' gradients then calls ``fn(F, *tensors)``, and
    whose backward back-propagates from its output (with a gradient of ones if not a scalar)."""
    torchlike, F = engine(name)
    tensors = [torchlike.tensor(np.array(a, copy=True), requires_grad=i < n_grad)
               for i, a in enumerate(arrays)]
    leaves = tensors[:n_grad]

    def forward():
        for t in leaves:
            t.grad = None
        return fn(F, *tensors)

    def backward(out):
        if out.ndim:
            out.backward(torchlike.ones_like(out))
        else:
            out.backward()

    return Run(forward, backward, lambda: _copies(t.grad.numpy() for t in leaves), _engine_value)


def _numpy_gradients(forward, gradients, value=lambda saved: np.array(saved, copy=True)):
    """A Run for hand-written numpy: ``gradients(saved)`` returns the input gradients, and
    ``value(saved)`` the forward's output."""
    last = []

    def backward(saved):
        last[:] = gradients(saved)

    return Run(forward, backward, lambda: _copies(last), value)


def single_op(impl, name):
    op = OPS[name]
    arrays = op.inputs(np.random.default_rng(5))
    if impl != "numpy":
        return _engine_gradients(impl, arrays, op.n_grad, op.engine_fn)

    def gradients(saved):
        out, inner = saved
        return op.np_backward(inner, np.ones_like(out) if np.ndim(out) else 1.0)

    return _numpy_gradients(lambda: op.np_forward(*arrays), gradients, _numpy_loss)


# ---- workload 6: graph size -------------------------------------------------------------------

def _graph_arrays(n_arrays):
    rng = np.random.default_rng(6)
    return [rng.standard_normal(8)] + [rng.uniform(0.999, 1.001, 8) for _ in range(n_arrays)]


def _tree_sum(terms):
    """Pairwise sum: a balanced tree of ``len(terms) - 1`` additions, depth log2(len)."""
    while len(terms) > 1:
        pairs = [terms[i] + terms[i + 1] for i in range(0, len(terms) - 1, 2)]
        terms = pairs + terms[len(terms) & ~1:]  # an odd one out waits for the next level
    return terms[0]


def chain(impl, n_ops):
    """A deep chain: ``y = x``, then ``y = y * c`` (n_ops - 1 times), then ``y.sum()``."""
    x, c = _graph_arrays(1)

    def forward_fn(F, xt, ct):
        y = xt
        for _ in range(n_ops - 1):
            y = y * ct
        return y.sum()

    if impl != "numpy":
        return _engine_gradients(impl, [x, c], 1, forward_fn)

    def gradients(_):
        g = np.ones_like(x)
        for _ in range(n_ops - 1):
            g = g * c
        return [g]

    return _numpy_gradients(lambda: forward_fn(None, x, c), gradients)


def fan_in(impl, n_ops):
    """A wide graph: n_ops/2 products ``x * c_i`` of one leaf, summed by a balanced tree of
    additions, then ``.sum()`` (n_ops ops in all); x's gradient gathers n_ops/2 contributions."""
    if n_ops < 2 or n_ops % 2:
        raise ValueError(f"fan_in needs an even number of ops >= 2, got {n_ops}")
    x, *cs = _graph_arrays(n_ops // 2)

    def forward_fn(F, xt, *cts):
        return _tree_sum([xt * c for c in cts]).sum()

    if impl != "numpy":
        return _engine_gradients(impl, [x, *cs], 1, forward_fn)

    def gradients(_):
        g = np.ones_like(x)  # sum's gradient, passed unchanged through every addition
        gx = np.zeros_like(x)
        for c in cs:
            gx += g * c
        return [gx]

    return _numpy_gradients(lambda: forward_fn(None, x, *cs), gradients)


# ---- workloads 7 and 8: the tanh chain, y = tanh(y * w + b) repeated ----------------------

@functools.cache
def _tanh_arrays():
    """x (the leaf), w and b: 64 float64 each. With w just below 1 and b tiny, y settles near 0,
    where tanh is nearly linear, so the gradient shrinks slowly (every element stays above
    1e-6 after workload 7's 3,000 ops, and 1e-7 after 10,000) and the implementations'
    gradients are compared on values far from underflow."""
    rng = np.random.default_rng(7)
    return (rng.standard_normal(TANH_WIDTH), rng.uniform(0.999, 1.0, TANH_WIDTH),
            rng.normal(0.0, 1e-5, TANH_WIDTH))


def tanh_chain(impl, n_ops=3 * TANH_STEPS):
    """``y = x``, then ``n_ops`` ops cycling through ``y * w``, ``y + b`` and ``tanh(y)``, then
    ``y.sum()``; the gradient is x's. ``n_ops = 3000`` is the issue's 1,000 x (mul, add, tanh);
    other counts end part-way through a (mul, add, tanh) step."""
    x, w, b = _tanh_arrays()

    def forward_fn(tanh, xt, wt, bt):
        y = xt
        for i in range(n_ops):
            kind = i % 3
            y = y * wt if kind == 0 else y + bt if kind == 1 else tanh(y)
        return y.sum()

    if impl in ENGINES:
        torchlike, _ = engine(impl)
        return _engine_gradients(impl, [x, w, b], 1,
                                 lambda F, *ts: forward_fn(torchlike.tanh, *ts))
    if impl == "mygrad":
        return _peer_gradients(impl, [x, w, b], 1, lambda mg, *ts: forward_fn(mg.tanh, *ts))
    if impl == "autograd":
        return _peer_gradients(impl, [x, w, b], 1,
                               lambda anp, *ts: anp.sum(forward_fn(anp.tanh, *ts)))
    if impl != "numpy":
        raise ValueError(f"unknown implementation {impl!r}")

    def forward():
        """The loss and the outputs of the tanhs (their derivative is 1 - tanh²)."""
        y, outputs = x, []
        for i in range(n_ops):
            kind = i % 3
            if kind == 0:
                y = y * w
            elif kind == 1:
                y = y + b
            else:
                y = np.tanh(y)
                outputs.append(y)
        return y.sum(), outputs

    def gradients(saved):
        g = np.ones_like(x)  # sum's gradient
        outputs = saved[1]
        for i in reversed(range(n_ops)):
            kind = i % 3
            if kind == 0:
                g = g * w
            elif kind == 2:
                t = outputs.pop()
                g = g * (1.0 - t * t)
        return [g]

    return _numpy_gradients(forward, gradients, _numpy_loss)


def notebook_imports():
    """Import what a notebook's process has imported, before the deep chain is timed: torch,
    matplotlib.pyplot and pandas, each when installed. A process holding many objects makes
    every full collection of CPython's cyclic garbage collector longer, and building a long
    graph triggers such collections. Returns {module: version, or None when not installed}
    and the number of objects the collector tracks afterwards."""
    import gc

    found = {}
    for name in ("torch", "matplotlib.pyplot", "pandas"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            found[name] = None
            continue
        top = importlib.import_module(name.split(".")[0])
        found[name] = getattr(module, "__version__", getattr(top, "__version__", "?"))
    return found, len(gc.get_objects())


# ---- the catalogue ---------------------------------------------------------------------------

WORKLOADS = (1, 2, 3, 4, 5, 6, 7, 8)


def cases(sizes=SIZES, dtypes=("float32", "float64"), graph_sizes=GRAPH_SIZES,
          workloads=WORKLOADS, deep_sizes=DEEP_SIZES):
    """Every benchmarked configuration, in the issue's order."""
    p = functools.partial
    table = {
        1: [Case(1, "lab factorisation", "Iris 150x4 rank 2 float64", lab_factorisation,
                 150, "float64", peers=True)],
        2: [Case(2, "factorisation at scale", f"n={n} rank {SCALE_RANK} {dt}",
                 lambda impl, n=n, dt=dt: scale_factorisation(impl, n, np.dtype(dt)), n, dt)
            for dt in dtypes for n in sizes],
        3: [Case(3, "lab MLP", "100x4-12-3 float32", lab_mlp, 100, "float32", peers=True),
            Case(3, "lab MLP", "100x4-12-3 float32, nn + optim", lab_nn_mlp, 100, "float32")],
        4: [Case(4, "wide MLP", "4096x256-512-10 float32", wide_mlp, 4096, "float32")],
        5: [Case(5, "per-op overhead", name, p(single_op, name=name), 8, "float32")
            for name in OPS],
        6: [Case(6, "graph size", f"{kind} {n} ops", p(fn, n_ops=n), n, "float64")
            for kind, fn in (("chain", chain), ("fan-in", fan_in)) for n in graph_sizes],
        7: [Case(7, "tanh chain", f"{TANH_STEPS} x (mul, add, tanh) on {TANH_WIDTH} float64",
                 tanh_chain, 3 * TANH_STEPS, "float64", peers=True)],
        8: [Case(8, "deep chain", f"tanh chain {n} ops", p(tanh_chain, n_ops=n), n, "float64",
                 peers=True) for n in deep_sizes],
    }
    return [case for w in workloads for case in table[w]]
