"""The autograd core: grad mode, Function (an op with forward and backward), the graph node,
and the backward pass.

How it fits together:

* ``Function.apply`` runs an op's ``forward`` on the inputs' numpy arrays. When an input requires
  a gradient (and grad mode is on) it also records a ``Node``: the ``ctx`` the op saved arrays
  on, plus one edge per input that needs a gradient. An edge points at the input's own Node
  (an intermediate result) or at the input Tensor itself (a leaf, where gradients accumulate).
* ``run_backward`` walks that graph from the output. It first counts, for every Node, how many
  edges point at it; a Node runs once all of them have delivered their gradient (so a tensor
  used twice receives the sum of both gradients), which visits Nodes in reverse topological
  order without recursion. Each Node's gradients are reduced back to its inputs' shapes here,
  once, so that no op has to undo broadcasting itself.
"""

import functools
import threading

import numpy as np

# ----------------------------------------------------------------------------- grad mode


class _GradMode(threading.local):
    enabled = True


_grad_mode = _GradMode()


def is_grad_enabled():
    """True unless inside ``no_grad()`` on this thread."""
    return _grad_mode.enabled


class no_grad:
    """Inside ``with no_grad():`` ops record no graph (e.g. hand-written parameter updates).

    The switch is per thread. Also usable as a decorator: ``@no_grad()``.
    """

    mode = False

    def __enter__(self):
        self.prev = _grad_mode.enabled
        _grad_mode.enabled = self.mode
        return self

    def __exit__(self, *exc):
        _grad_mode.enabled = self.prev

    def __call__(self, fn):
        mode = self.mode

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            prev, _grad_mode.enabled = _grad_mode.enabled, mode
            try:
                return fn(*args, **kwargs)
            finally:
                _grad_mode.enabled = prev

        return wrapper


class enable_grad(no_grad):
    """Turn graph recording back on, e.g. inside a ``no_grad()`` block."""

    mode = True


class set_grad_enabled(no_grad):
    """``set_grad_enabled(False)`` switches recording off now; as a context manager, until exit."""

    def __init__(self, mode):
        self.mode = bool(mode)
        self.prev = _grad_mode.enabled
        _grad_mode.enabled = self.mode

    def __enter__(self):
        return self

    def __call__(self, fn):
        _grad_mode.enabled = self.prev  # used as a decorator: switch only while fn runs
        return super().__call__(fn)


# ----------------------------------------------------------------------------- graph nodes


class Version:
    """A counter shared by a tensor and its views, bumped by every in-place change."""

    __slots__ = ("value",)

    def __init__(self):
        self.value = 0


class Node:
    """One recorded op: the ``ctx`` its forward saved to, and edges to its inputs.

    ``edges`` holds ``(index, target, shape, dtype)`` for each input that needs a gradient:
    ``target`` is that input's Node, or the input Tensor itself when it is a leaf.
    """

    __slots__ = ("fn", "edges", "needs_input_grad", "saved", "versions", "__dict__",
                 "__weakref__")

    def __init__(self, fn):
        self.fn = fn
        self.saved = ()
        self.versions = ()

    def save_for_backward(self, *arrays):
        """Keep arrays for backward; they are released after backward unless retain_graph."""
        self.saved = arrays

    @property
    def saved_tensors(self):
        if self.saved is None:
            raise RuntimeError(
                f"Trying to backward through the graph a second time: the arrays that "
                f"{self.name()} saved were freed after the first backward. Call .backward("
                f"retain_graph=True) (or autograd.grad(..., retain_graph=True)) the first time "
                f"if you need to backward through the same graph again.")
        return self.saved

    def name(self):
        return self.fn.__name__ + "Backward"

    @property
    def next_functions(self):
        """torch-style view of the edges: ``(node_or_leaf, index)`` per input that needs grad."""
        return tuple((target, i) for i, target, _, _ in self.edges)

    def __repr__(self):
        return f"<{self.name()}>"


class Function:
    """Base class of every op, and of users' own ops (as torch.autograd.Function).

    Subclasses define two staticmethods on numpy arrays::

        forward(ctx, *inputs) -> array          # inputs: arrays for Tensors, others as given
        backward(ctx, grad_output) -> grads     # one per input (None where not needed)

    ``ctx.save_for_backward(*arrays)`` keeps what backward needs; ``ctx.saved_tensors`` gives it
    back; ``ctx.needs_input_grad[i]`` says whether input i needs a gradient. Gradients may have
    the broadcast shape of the output: the engine sums them back to each input's shape.
    Call an op with ``MyFunction.apply(*inputs)``.
    """

    is_view = False  # True for ops whose output shares memory with input 0 (reshape, transpose)

    @staticmethod
    def forward(ctx, *inputs):
        raise NotImplementedError("a Function subclass must define forward(ctx, *inputs)")

    @staticmethod
    def backward(ctx, grad_output):
        raise NotImplementedError("a Function subclass must define backward(ctx, grad_output)")

    @classmethod
    def apply(cls, *inputs):
        ctx = Node(cls)
        args, flags = [], []
        for x in inputs:
            if type(x) is Tensor:
                args.append(x.data)
                flags.append(x._requires_grad)
            else:
                args.append(x)
                flags.append(False)
        needs = _grad_mode.enabled and True in flags
        ctx.needs_input_grad = flags if needs else [False] * len(flags)
        try:
            out = cls.forward(ctx, *args)
        except ValueError as e:
            if "could not be broadcast" not in str(e):
                raise
            shapes = " and ".join(str(np.shape(a)) for a in args if hasattr(a, "shape"))
            raise RuntimeError(
                f"{cls.__name__}: shapes {shapes} cannot be broadcast together (aligned from the "
                f"right, each pair of dimensions must be equal or one of them 1)") from None
        if type(out) is not np.ndarray:
            out = np.asarray(out)
        result = Tensor.__new__(Tensor)
        result.data, result.grad, result.name = out, None, None
        result._version = inputs[0]._version if cls.is_view else Version()
        if not needs:
            result._requires_grad, result.grad_fn = False, None
            return result
        edges = []
        for i, x in enumerate(inputs):
            if flags[i]:
                edges.append((i, x.grad_fn or x, x.data.shape, x.data.dtype))
        ctx.edges = edges
        if ctx.saved:
            ctx.versions = _saved_versions(ctx.saved, inputs, out, result)
        result._requires_grad, result.grad_fn = True, ctx
        return result


def _saved_versions(saved, inputs, out, result):
    """(counter, value now, which) for each saved array that is an input's or the output's, so
    that backward can tell when one was modified in place after it was saved."""
    versions = []
    for a in saved:
        if a is out:
            versions.append((result._version, result._version.value, -1))
            continue
        for i, x in enumerate(inputs):
            if type(x) is Tensor and x.data is a:
                versions.append((x._version, x._version.value, i))
    return versions


# ----------------------------------------------------------------------------- backward pass


def sum_to(grad, shape, node=None):
    """Undo broadcasting: sum ``grad`` over the axes along which ``shape`` was broadcast."""
    lead = grad.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and grad.shape[lead + i] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    if lead > 0 or grad.shape != shape:
        try:
            np.broadcast_shapes(grad.shape[lead:], shape)
            grad = grad.reshape(grad.shape[lead:] if lead > 0 else grad.shape)
            if grad.shape != shape:
                raise ValueError
        except ValueError:
            who = node.name() if node is not None else "backward"
            raise RuntimeError(
                f"{who} returned a gradient of shape {tuple(grad.shape)} for an input of shape "
                f"{tuple(shape)}; a gradient must have the input's shape or broadcast to it"
            ) from None
    return grad


def _accumulate_leaf(leaf, grad):
    """Add ``grad`` into ``leaf.grad`` (a fresh copy the first time, so no two grads alias)."""
    if leaf.grad is None:
        leaf.grad = Tensor._wrap(np.array(grad, dtype=leaf.data.dtype, copy=True))
    else:
        np.add(leaf.grad.data, grad, out=leaf.grad.data, casting="unsafe")
        leaf.grad._version.value += 1


def _check_versions(node):
    for version, expected, which in node.versions:
        if version.value != expected:
            which = "the output" if which < 0 else f"input {which}"
            raise RuntimeError(
                f"an array that {node.name()} saved for backward ({which} of the op) was "
                f"modified by an in-place operation after it was saved (it is at version "
                f"{version.value}; {node.name()} expected version {expected}). Compute the "
                f"gradient before changing it, or make the change out of place "
                f"(x = x * 2 instead of x *= 2).")


def run_backward(roots, root_grads, retain_graph=False, capture=None):
    """Propagate ``root_grads`` from ``roots`` (Tensors) back through the graph.

    Without ``capture`` gradients accumulate into the ``.grad`` of leaves that require grad.
    With ``capture`` (a dict from Node or leaf Tensor to a list index) nothing accumulates;
    the gradient that reaches each captured target is returned in a list instead.
    """
    grads = {}  # Node -> gradient (summed over every edge that reached it)
    captured = [None] * len(capture) if capture is not None else None
    starts = []
    for root, g in zip(roots, root_grads):
        node = root.grad_fn
        if node is None:  # a leaf: its gradient is the root gradient itself
            if capture is not None:
                if root in capture:
                    captured[capture[root]] = g
            else:
                _accumulate_leaf(root, g)
            continue
        if node in grads:
            grads[node] = grads[node] + g
        else:
            grads[node] = g
            starts.append(node)

    # Count, for every Node reachable from the roots, the edges that point at it.
    pending = {}
    stack = list(starts)
    seen = set(starts)
    while stack:
        node = stack.pop()
        for _, target, _, _ in node.edges:
            if type(target) is Node:
                pending[target] = pending.get(target, 0) + 1
                if target not in seen:
                    seen.add(target)
                    stack.append(target)

    ready = [node for node in starts if node not in pending]
    while ready:
        node = ready.pop()
        grad = grads.pop(node)
        if capture is not None and node in capture:
            captured[capture[node]] = grad
        if node.versions:
            _check_versions(node)
        input_grads = node.fn.backward(node, grad)
        if type(input_grads) is not tuple:
            input_grads = (input_grads,)
        if len(input_grads) != len(node.needs_input_grad):
            raise RuntimeError(
                f"{node.name()} returned {len(input_grads)} gradients but its forward took "
                f"{len(node.needs_input_grad)} inputs: return one per input (None where an "
                f"input needs no gradient)")
        if not retain_graph:
            node.saved = None
        for i, target, shape, dtype in node.edges:
            g = input_grads[i]
            if g is None:
                if type(target) is Node:  # still counts as delivered, so the walk goes on
                    pending[target] -= 1
                    if pending[target] == 0:
                        if target in grads:
                            ready.append(target)
                        else:
                            _skip(target, pending, grads, ready)
                continue
            if type(g) is not np.ndarray:
                g = np.asarray(g)
            if g.shape != shape:
                g = sum_to(g, shape, node)
            if g.dtype != dtype:
                g = g.astype(dtype)
            if type(target) is Node:
                prev = grads.get(target)
                grads[target] = g if prev is None else prev + g
                pending[target] -= 1
                if pending[target] == 0:
                    ready.append(target)
            elif capture is not None:
                if target in capture:
                    k = capture[target]
                    captured[k] = g if captured[k] is None else captured[k] + g
            else:
                _accumulate_leaf(target, g)
    return captured


def _skip(node, pending, grads, ready):
    """A Node that received no gradient at all: release its dependants without running it."""
    stack = [node]
    while stack:
        n = stack.pop()
        for _, target, _, _ in n.edges:
            if type(target) is Node:
                pending[target] -= 1
                if pending[target] == 0:
                    if target in grads:
                        ready.append(target)
                    else:
                        stack.append(target)


def _root_grad(tensor, gradient, what="gradient"):
    """The gradient that starts backward at ``tensor``, checked against its shape."""
    if not tensor._requires_grad:
        raise RuntimeError(
            "backward through a tensor that does not require grad: none of the tensors it was "
            "computed from has requires_grad=True (or it was computed under no_grad()). Create "
            "the leaves with requires_grad=True, e.g. tinyad.randn(3, requires_grad=True).")
    if gradient is None:
        if tensor.data.size != 1:
            raise RuntimeError(
                f"grad can be implicitly created only for scalar outputs, but this tensor has "
                f"shape {tensor.shape}. Reduce it first (e.g. y.sum().backward()) or pass "
                f"{what}= a tensor of shape {tensor.shape}.")
        return np.ones(tensor.data.shape, dtype=tensor.data.dtype)
    g = gradient.data if type(gradient) is Tensor else np.asarray(gradient)
    if g.shape != tensor.data.shape:
        raise RuntimeError(
            f"{what} has shape {tuple(g.shape)} but the tensor it is the gradient of has shape "
            f"{tensor.shape}; they must match.")
    return g.astype(tensor.data.dtype, copy=False)


def _as_tuple(xs):
    return tuple(xs) if isinstance(xs, (tuple, list)) else (xs,)


def backward(tensors, grad_tensors=None, retain_graph=False):
    """Accumulate the gradient of ``tensors`` into leaves' ``.grad`` (torch.autograd.backward)."""
    tensors = _as_tuple(tensors)
    grad_tensors = _as_tuple(grad_tensors) if grad_tensors is not None else (None,) * len(tensors)
    if len(grad_tensors) != len(tensors):
        raise RuntimeError(f"got {len(tensors)} tensors but {len(grad_tensors)} gradients")
    roots = [_root_grad(t, g, "grad_tensors") for t, g in zip(tensors, grad_tensors)]
    run_backward(tensors, roots, retain_graph)


def grad(outputs, inputs, grad_outputs=None, retain_graph=False, allow_unused=False):
    """Return d(outputs)/d(inputs) without touching any ``.grad`` (as torch.autograd.grad)."""
    outputs = _as_tuple(outputs)
    inputs = _as_tuple(inputs)
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    grad_outputs = _as_tuple(grad_outputs)
    if len(grad_outputs) != len(outputs):
        raise RuntimeError(f"got {len(outputs)} outputs but {len(grad_outputs)} grad_outputs")
    capture = {}
    for k, x in enumerate(inputs):
        if type(x) is not Tensor or not x._requires_grad:
            raise RuntimeError(f"input {k} of grad() does not require grad")
        capture[x.grad_fn or x] = k
    roots = [_root_grad(t, g, "grad_outputs") for t, g in zip(outputs, grad_outputs)]
    result = run_backward(outputs, roots, retain_graph, capture)
    for k, g in enumerate(result):
        if g is None and not allow_unused:
            raise RuntimeError(
                f"input {k} of grad() was not used to compute the outputs; pass "
                f"allow_unused=True to get None for it")
    result = tuple(None if g is None else Tensor._wrap(np.array(g, copy=True)) for g in result)
    return result


# Tensor's module imports this one, so Tensor is imported last, once Function exists.
from .tensor import Tensor  # noqa: E402
