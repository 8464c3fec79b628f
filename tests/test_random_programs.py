"""Random computation graphs, evaluated by the engine and by torch.

A program has 2-4 leaves of different, broadcast-compatible shapes and 5-30 steps; each step
applies an op to earlier results (leaves or steps), so values fan out to several consumers
and gradients fan back in. Ops keep values bounded (exp of tanh, division by 1 + b*b, ...).
The ops that enlarge a tensor (cat, stack, unsqueeze) apply only to small ones.
The output (the last step's value plus the sum of every unused step's value) is
backpropagated with a random upstream gradient, and the value and every leaf's gradient are
compared with torch (rtol 1e-7 in float64), as in test_vs_torch.
"""

import math
from dataclasses import dataclass

import numpy as np
import pytest
from _strategies import Case, arrays, assert_matches_torch, broadcast_shapes
from hypothesis import given
from hypothesis import strategies as st

pytest.importorskip("torch")

ELEMENTWISE = {
    "tanh": lambda m, F, x: x.tanh(),
    "sigmoid": lambda m, F, x: m.sigmoid(x),
    "exp(tanh)": lambda m, F, x: F.tanh(x).exp(),
    "neg": lambda m, F, x: -x,
    "0.5x-1": lambda m, F, x: 0.5 * x - 1.0,
    "log(1+x*x)": lambda m, F, x: m.log(1 + x * x),
    "tanh**2": lambda m, F, x: x.tanh() ** 2,
    "sin": lambda m, F, x: x.sin(),
    "cos": lambda m, F, x: m.cos(x),
    "clamp(-1, 1)": lambda m, F, x: x.clamp(-1.0, 1.0),
    "clamp(min=0.5)": lambda m, F, x: m.clamp(x, min=0.5),
    "abs": lambda m, F, x: x.abs(),
}
BINARY = {
    "add": lambda m, F, a, b: a + b,
    "sub": lambda m, F, a, b: a - b,
    "mul(tanh)": lambda m, F, a, b: a * b.tanh(),
    "mul(sigmoid)": lambda m, F, a, b: F.sigmoid(a) * b,
    "div(1+b*b)": lambda m, F, a, b: a / (1 + b * b),
    "maximum": lambda m, F, a, b: m.maximum(a, b),
    "minimum": lambda m, F, a, b: a.minimum(b),
    "where(a > b, a, sin b)": lambda m, F, a, b: m.where(a > b, a, b.sin()),
}

def keep(s, d):
    d %= len(s)
    return s[:d] + (1,) + s[d + 1:]


def drop(s, d):
    d %= len(s)
    return s[:d] + s[d + 1:]


def along_dim(fn, out_shape):
    """An op with a ``dim`` parameter, on tensors of at least one dimension."""
    return lambda s: len(s) > 0, fn, out_shape, lambda s: st.integers(-len(s), len(s) - 1)


def small(s):
    """Ops that add a dimension or grow one apply to small tensors only (bounded programs)."""
    return len(s) <= 3 and math.prod(s) <= 32


def growing(fn, out_shape, dims, min_dims=0):
    """An op with a ``dim`` parameter that makes its input larger."""
    return lambda s: small(s) and len(s) >= min_dims, fn, out_shape, dims


def whole(applies, fn, out_shape):
    """An op without parameter, on the tensors whose shape ``applies`` accepts."""
    return applies, lambda m, F, x, p: fn(m, F, x), lambda s, p: out_shape(s), lambda s: st.none()


# name -> (applies to a shape?, fn(m, F, x, param), output shape(shape, param), param strategy)
SHAPED = {
    "sum(dim, keepdim)": along_dim(lambda m, F, x, d: x.sum(d, keepdim=True), keep),
    "mean(dim)": along_dim(lambda m, F, x, d: x.mean(dim=d), drop),
    "var(dim, unbiased=False, keepdim)": along_dim(
        lambda m, F, x, d: x.var(d, unbiased=False, keepdim=True), keep),
    "softmax(dim)": along_dim(lambda m, F, x, d: F.softmax(x, d), lambda s, d: s),
    "log_softmax(dim)": along_dim(lambda m, F, x, d: F.log_softmax(x, d), lambda s, d: s),
    "norm(dim)": along_dim(lambda m, F, x, d: x.norm(dim=d), drop),
    "cat([x, sin x], dim)": growing(
        lambda m, F, x, d: m.cat([x, x.sin()], d),
        lambda s, d: s[:d % len(s)] + (2 * s[d],) + s[d % len(s) + 1:],
        lambda s: st.integers(-len(s), len(s) - 1), min_dims=1),
    "stack([x, cos x], dim)": growing(
        lambda m, F, x, d: m.stack([x, x.cos()], d),
        lambda s, d: s[:d % (len(s) + 1)] + (2,) + s[d % (len(s) + 1):],
        lambda s: st.integers(-len(s) - 1, len(s))),
    "unsqueeze(dim)": growing(
        lambda m, F, x, d: x.unsqueeze(d),
        lambda s, d: s[:d % (len(s) + 1)] + (1,) + s[d % (len(s) + 1):],
        lambda s: st.integers(-len(s) - 1, len(s))),
    "permute(reversed)": whole(lambda s: len(s) >= 1,
                               lambda m, F, x: x.permute(*reversed(range(x.ndim))),
                               lambda s: s[::-1]),
    "sum()": whole(lambda s: True, lambda m, F, x: x.sum(), lambda s: ()),
    "reshape(-1)": whole(lambda s: True, lambda m, F, x: x.reshape(-1),
                         lambda s: (math.prod(s),)),
    "reshape(reversed)": whole(lambda s: True, lambda m, F, x: x.reshape(x.shape[::-1]),
                               lambda s: s[::-1]),
    "transpose(-1, -2)": whole(lambda s: len(s) >= 2, lambda m, F, x: x.transpose(-1, -2),
                               lambda s: s[:-2] + (s[-1], s[-2])),
    "t()": whole(lambda s: len(s) == 2, lambda m, F, x: x.t(), lambda s: s[::-1]),
    "tanh(x) @ tanh(x).T": whole(
        lambda s: len(s) >= 2, lambda m, F, x: x.tanh() @ x.tanh().transpose(-1, -2),
        lambda s: s[:-1] + (s[-2],)),
}


@dataclass(frozen=True)
class Step:
    op: str
    operands: tuple
    param: object = None

    def run(self, m, F, values):
        xs = [values[i] for i in self.operands]
        if self.op in ELEMENTWISE:
            return ELEMENTWISE[self.op](m, F, *xs)
        if self.op in BINARY:
            return BINARY[self.op](m, F, *xs)
        return SHAPED[self.op][1](m, F, *xs, self.param)


@dataclass(frozen=True)
class Program:
    n_leaves: int
    steps: tuple

    def sinks(self):
        """Steps (other than the last) whose value no later step uses."""
        used = {i for step in self.steps for i in step.operands}
        last = self.n_leaves + len(self.steps) - 1
        return [i for i in range(self.n_leaves, last) if i not in used]

    def __call__(self, m, F, *leaves):
        """The last step's value, plus the sum of every other unused step's value (so that
        no step is dead code)."""
        values = list(leaves)
        for step in self.steps:
            values.append(step.run(m, F, values))
        out = values[-1]
        for i in self.sinks():
            out = out + values[i].sum()
        return out

    def __repr__(self):
        lines = [f"v{self.n_leaves + i} = {s.op}({', '.join(f'v{j}' for j in s.operands)}"
                 + (f"; {s.param})" if s.param is not None else ")")
                 for i, s in enumerate(self.steps)]
        lines.append(" + ".join([f"out = v{self.n_leaves + len(self.steps) - 1}"]
                                + [f"v{i}.sum()" for i in self.sinks()]))
        return "Program(leaves v0..v%d:\n  %s)" % (self.n_leaves - 1, "\n  ".join(lines))


def broadcastable(a, b):
    try:
        np.broadcast_shapes(a, b)
        return True
    except ValueError:
        return False


@st.composite
def programs(draw):
    """A Case whose args are the leaves and whose kwargs hold the Program."""
    leaf_shapes = draw(st.integers(2, 4).flatmap(broadcast_shapes))
    shapes = list(leaf_shapes)
    steps = []
    for _ in range(draw(st.integers(5, 30))):
        a = len(shapes) - 1 - draw(st.integers(0, len(shapes) - 1))  # shrinks to the newest
        kind = draw(st.sampled_from(["elementwise", "binary", "shaped"]))
        if kind == "elementwise":
            step, shape = Step(draw(st.sampled_from(sorted(ELEMENTWISE))), (a,)), shapes[a]
        elif kind == "binary":
            partners = [i for i, s in enumerate(shapes) if broadcastable(s, shapes[a])]
            b = draw(st.sampled_from(partners))
            step = Step(draw(st.sampled_from(sorted(BINARY))), (a, b))
            shape = np.broadcast_shapes(shapes[a], shapes[b])
        else:
            name = draw(st.sampled_from([n for n, v in SHAPED.items() if v[0](shapes[a])]))
            _, _, out_shape, params = SHAPED[name]
            param = draw(params(shapes[a]))
            step, shape = Step(name, (a,), param), out_shape(shapes[a], param)
        steps.append(step)
        shapes.append(tuple(shape))
    leaves = tuple(draw(arrays(s)) for s in leaf_shapes)
    return Case(leaves, {"program": Program(len(leaves), tuple(steps))})


def run_program(m, F, *leaves, program):
    return program(m, F, *leaves)


@given(programs(), st.integers(0, 2**32 - 1))
def test_random_program_matches_torch(engine, case, seed):
    assert_matches_torch(run_program, case, seed, engine)


@given(programs(), st.integers(0, 2**32 - 1))
def test_random_program_matches_torch_in_float32(engine, case, seed):
    assert_matches_torch(run_program, case.astype(np.float32), seed, engine)
