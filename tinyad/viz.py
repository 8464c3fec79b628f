"""Pictures of the computation graph: ``to_dot`` gives Graphviz DOT text, ``render`` an image.

The graph behind a tensor is what ``Function.apply`` recorded (see ``tinyad/autograd.py``): a
``Node`` per op, with edges to the Nodes of its inputs or, for leaves, to the leaf tensors
themselves. The picture shows exactly that, with data flowing downwards: leaf tensor -> op ->
the op's result -> next op -> ... -> the output. Inputs that need no gradient (constants,
targets, plain numbers) are not part of the graph, so they are not drawn. The graph keeps no
reference to intermediate results, so an intermediate tensor is labelled with its shape and
dtype only, unless you pass the tensor itself to ``to_dot`` too (then its name shows).
"""

import shutil
import subprocess
from pathlib import Path

import numpy as np

from .autograd import Node, _as_tuple, _Output
from .tensor import Tensor

FORMATS = ("svg", "png")

INSTALL_HINT = (
    "render() draws through Graphviz's `dot` program, which is not installed (or not on "
    "PATH). Install Graphviz: on Debian or Ubuntu `sudo apt-get install graphviz`, on Fedora "
    "`sudo dnf install graphviz`, on macOS `brew install graphviz`, on Windows `winget install "
    "graphviz` or `conda install graphviz`. Without it, to_dot() still gives the DOT text, which "
    "any Graphviz viewer (or an online one) can draw."
)

_TENSOR = 'shape=box, style="rounded"'
_LEAF = 'shape=box, style="rounded,filled", fillcolor="#cfe2f3"'  # a leaf that requires grad
_OP = 'shape=ellipse, style="filled", fillcolor="#eeeeee"'


class GraphvizNotFound(RuntimeError):
    """Graphviz's ``dot`` program is missing; the message says how to install it."""


def to_dot(tensors):
    """The computation graph behind ``tensors`` (a Tensor or a list of them) as DOT text.

    One box per tensor: its name (if it has one), shape and dtype, ``requires_grad`` for a leaf
    that requires grad (also filled blue), and once backward has run, its gradient's shape and
    norm. One ellipse per op, named after its Function (``Mul``; its backward step is the
    trace's ``MulBackward0``). Edges follow the data: input -> op -> result. When an op has
    several inputs in the graph, each edge into it is labelled with the input's position.
    """
    tensors = _as_tuple(tensors)
    for k, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"to_dot expects tensors, but item {k} is a {type(t).__name__}")
    given = {id(t.grad_fn or t): t for t in tensors}  # the tensors themselves, where we have them
    shapes = {id(t.grad_fn): (t.shape, t._data.dtype) for t in tensors if t.grad_fn is not None}
    order = _walk(tensors, shapes)
    number = {id(item): k for k, item in enumerate(order)}
    lines = ["digraph tinyad {", '  node [fontname="Helvetica", fontsize=11];',
             '  edge [fontname="Helvetica", fontsize=10];']
    for k, item in enumerate(order):
        if isinstance(item, Tensor):  # a leaf
            style = _LEAF if item.requires_grad else _TENSOR
            lines.append(f"  t{k} [{style}, label={_label(item, item.shape, item._data.dtype)}];")
            continue
        name = f"output {item.output_nr}" if item.fn is _Output else item.fn.__name__
        lines.append(f"  op{k} [{_OP}, label={_quote(name)}];")
        lines.append(f"  t{k} [{_TENSOR}, label={_label(given.get(id(item)), *shapes[id(item)])}];")
        for i, target, _, _ in item.edges:
            label = f" [label={_quote(str(i))}]" if len(item.edges) > 1 else ""
            lines.append(f"  t{number[id(target)]} -> op{k}{label};")
        lines.append(f"  op{k} -> t{k};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _walk(tensors, shapes):
    """Every Node and leaf reachable from ``tensors``, once each, depth first from the first
    tensor; notes in ``shapes`` the shape and dtype of each Node's result, from the edge that
    reaches it (the graph keeps no reference to intermediate tensors)."""
    order, seen = [], set()
    stack = [t.grad_fn or t for t in reversed(tensors)]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        order.append(item)
        if isinstance(item, Node):
            for _, target, shape, dtype in reversed(item.edges):
                if isinstance(target, Node):
                    shapes.setdefault(id(target), (shape, dtype))
                stack.append(target)
    return order


def _label(tensor, shape, dtype):
    """A tensor's box: name, shape and dtype, requires_grad, and its gradient if it has one."""
    lines = [f"{tuple(shape)} {dtype}" if shape is not None else "its outputs"]  # (several)
    if tensor is not None:
        if tensor.name is not None:
            lines.insert(0, str(tensor.name))
        if tensor.is_leaf and tensor.requires_grad:
            lines.append("requires_grad")
        if tensor._grad is not None:
            norm = np.linalg.norm(tensor._grad._data.ravel().astype(np.float64))
            lines.append(f"grad {tuple(tensor._grad._data.shape)}, norm {norm:.4g}")
    return _quote(*lines)


def _quote(*lines):
    """A DOT string: quotes and backslashes escaped, lines joined by DOT's centred newline."""
    escaped = (line.replace("\\", "\\\\").replace('"', '\\"') for line in lines)
    return '"' + "\\n".join(" ".join(line.splitlines()) for line in escaped) + '"'


def render(tensors, path):
    """Draw the graph behind ``tensors`` (see ``to_dot``) into ``path``, an .svg or .png file,
    with Graphviz's ``dot`` program. Returns the path. Raises GraphvizNotFound, saying how to
    install Graphviz, where ``dot`` is missing."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"render writes .svg or .png files, not {path.name!r}")
    dot = shutil.which("dot")
    if dot is None:
        raise GraphvizNotFound(INSTALL_HINT)
    result = subprocess.run([dot, f"-T{fmt}", "-o", str(path)], input=to_dot(tensors),
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"Graphviz's dot failed (exit status {result.returncode}) writing "
                           f"{path}: {result.stderr.strip()}")
    return path
