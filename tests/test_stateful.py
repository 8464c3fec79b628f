"""A stateful differential test: one random program of torch statements, run line by line on
torch and on tinyad, with everything observable compared after every line.

The machine keeps a pool of named tensors, each living twice (``torch_ns[name]`` and
``tinyad_ns[name]``). Every rule writes one line of ordinary torch code over the pool (a new
leaf or constant, an op, an in-place update through a view with or without ``no_grad``,
``.data``, detach, backward with or without ``retain_graph``, ``autograd.grad`` over part of
the graph, zeroing or dropping gradients, an SGD step) and ``exec``s it in both namespaces.
Then:

* a line that raises in one engine raises in the other, with the same builtin exception class;
* every pooled tensor agrees: values (NaN-aware), shape, dtype, ``requires_grad``, ``is_leaf``
  and, for leaves, ``.grad`` (``_pair.assert_same``).

The lines are kept (``note``), so a failure prints a program that runs as it is under
``import torch as T; import torch.nn.functional as F`` (and under tinyad with those imports
changed): the reproducer.

Leaves hold small dyadic numbers (exact in float32), sometimes NaN and +-inf. After each line
passes, torch's float values are copied into tinyad's storage (through ``detach().numpy()``,
which shares memory in both engines and bypasses version counters), so every op of the next
line starts from bit-identical inputs: last-bit differences between numpy's and torch's
``exp`` cannot compound into a false alarm, and nothing beyond the compared tolerance is hidden.

Examples per run: five times the hypothesis profile's ``max_examples`` (dev 100, ci 300,
thorough 5000), 30 lines each.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from _pair import ENGINE, Raised, assert_same, outcome, precision_floor, torch
from hypothesis import HealthCheck, given, note, reject, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

POOL_SIZE = 10
DYADIC = [-3.0, -2.0, -1.5, -1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0]
SPECIAL = [math.nan, math.inf, -math.inf]
SHAPES = [(), (3,), (2, 3), (3, 2), (1, 3), (2, 1), (2, 2)]


def has(path: str) -> bool:
    """Whether tinyad has ``T.<path>`` or ``Tensor.<path>`` (ops appear as the engine grows;
    the machine exercises every op tinyad has, under torch's spelling)."""
    obj = ENGINE
    for part in path.split("."):
        if part == "Tensor":
            obj = ENGINE.Tensor
            continue
        if not hasattr(obj, part):
            return False
        obj = getattr(obj, part)
    return True


def available(templates):
    """Keep the templates whose ``needs`` tinyad has."""
    return [src for src, needs in templates if all(has(n) for n in needs)]


def t(src, *needs):
    return (src, needs)


# Unary statements: {x} is a pool tensor; {d} a valid dim, {d2} another one.
UNARY = [
    t("-{x}"), t("{x}.exp()"), t("{x}.log()"), t("{x}.sqrt()"), t("{x}.tanh()"),
    t("{x}.sigmoid()"), t("{x}.relu()"), t("T.exp({x})"), t("T.log({x})"), t("T.sqrt({x})"),
    t("T.tanh({x})"), t("T.sigmoid({x})"), t("F.relu({x})"), t("F.sigmoid({x})"),
    t("F.tanh({x})"), t("{x}.abs()", "Tensor.abs"), t("{x}.sin()", "Tensor.sin"),
    t("{x}.cos()", "Tensor.cos"), t("T.sin({x})", "sin"), t("T.cos({x})", "cos"),
    t("T.abs({x})", "abs"),
    t("{x} ** 2"), t("{x} ** 0"), t("{x} ** 0.5"), t("{x} ** -1"), t("{x}.pow(3)"),
    t("{x} ** 1.5"), t("2.0 ** {x}"), t("0.0 ** {x}"), t("{x} * 2.5"), t("{x} + 1"),
    t("1 - {x}"), t("2 / {x}"), t("{x} / 4"), t("{x} * np.float64(0.5)"),
    t("np.float64(2.0) - {x}"), t("{x} - np.float32(0.25)"),
    t("{x} == 0.5"), t("{x} > 0"), t("{x} <= np.float64(0.25)"), t("{x} != {x}"),
    t("{x}.clamp(min=0.0)", "Tensor.clamp"), t("{x}.clamp(-1.0, 1.0)", "Tensor.clamp"),
    t("T.clamp({x}, max=0.5)", "clamp"),
    # reductions
    t("{x}.sum()"), t("{x}.sum({d})"), t("{x}.sum({d}, keepdim=True)"), t("{x}.sum(())"),
    t("T.sum({x})"), t("{x}.mean()"), t("{x}.mean({d})"), t("T.mean({x}, {d}, keepdim=True)"),
    t("{x}.var()"), t("{x}.var({d})"), t("{x}.var({d}, unbiased=False)"), t("{x}.std()"),
    t("{x}.std({d}, keepdim=True)"), t("{x}.max()"), t("{x}.max({d})"),
    t("{x}.max({d}, keepdim=True)"), t("{x}.argmax()"), t("{x}.argmax({d})"),
    t("T.argmax({x}, {d})"), t("{x}.sum(({d}, {d2}))"),
    t("{x}.norm()", "Tensor.norm"), t("T.norm({x})", "norm"),
    t("F.softmax({x}, {d})"), t("F.log_softmax({x}, {d})"), t("F.softmax({x}, dim={d})"),
    t("{x}.prod()"), t("{x}.prod({d})"), t("{x}.logsumexp({d})"), t("{x}.norm(float('inf'))"),
    t("{x}.norm(1.5)"), t("{x}.norm(0)"), t("{x}.square()"), t("{x}.sign()"),
    t("F.leaky_relu({x})"), t("F.elu({x})"), t("F.softplus({x})"),
    t("{x}.cumsum({d})"), t("{x}.cumprod({d})"), t("{x}.median()"), t("{x}.median({d})"),
    t("{x}.nan_to_num()"), t("{x}.isfinite()"), t("{x}.lerp({x} * 2, 0.7)"),
    t("{x}.topk(1, {d})[0]"), t("{x}.topk(1, {d}, largest=False)[1]"), t("{x}.amax({d})"),
    t("{x}.amin()"), t("{x}.min()"), t("{x}.sort({d})[1]"), t("F.gelu({x})"), t("F.silu({x})"),
    t("F.logsigmoid({x})"),
    # shapes and views
    t("{x}.t()"), t("{x}.transpose(0, -1)"), t("{x}.reshape(-1)"), t("{x}.view(-1)"),
    t("{x}.reshape(1, -1)"), t("{x}.T"), t("{x}.mT"), t("{x}.flip(0)"), t("{x}.narrow(0, 0, 1)"),
    t("{x}.select(0, -1)"), t("{x}.split(1)[0]"), t("{x}.unbind(0)[-1]"), t("{x}.chunk(2)[0]"),
    t("{x}.unsqueeze(-1)"), t("{x}.squeeze(0)"), t("{x}.flatten()"), t("{x}.repeat(2)"),
    # indexing
    t("{x}[0]"), t("{x}[-1]"), t("{x}[1:]"), t("{x}[::2]"), t("{x}[[0, 0]]"), t("{x}[[]]"),
    t("{x}[{x} > 0]"), t("{x}[None]"), t("{x}[..., 0]"), t("{x}[:, 1]"), t("{x}[0, 1:]"),
    t("{x}[[0, 1], [0, 0]]"), t("{x}[T.tensor([0, 0])]"), t("{x}[T.tensor([1, 0]), 0]"),
    # graph and dtype
    t("{x}.detach()"), t("{x}.data"), t("{x}.clone()"), t("{x}.float()"), t("{x}.double()"),
    t("{x}.long()"), t("{x}.to(T.bool)"), t("{x}.to(T.float64)"), t("{x} * 1"),
]

BINARY = [
    t("{x} + {y}"), t("{x} - {y}"), t("{x} * {y}"), t("{x} / {y}"), t("{x} ** {y}"),
    t("{x} == {y}"), t("{x} < {y}"), t("{x} >= {y}"), t("T.maximum({x}, {y})", "maximum"),
    t("T.where({x} > 0, {x}, {y})", "where"), t("F.mse_loss({x}, {y})"),
    t("F.mse_loss({x}, {y}, reduction='sum')"), t("F.mse_loss({x}, {y}, reduction='none')"),
    # (a 0-d target of a 2-D input: torch reads its size out of bounds, undefined)
    t("F.l1_loss({x}, {y})"), t("F.cross_entropy({x}, {y}) if {y}.ndim or {x}.ndim < 2 else 0"),
    t("T.minimum({x}, {y})"),
    t("T.cat([{x}, {y}])"), t("T.stack([{x}, {y}])"), t("F.binary_cross_entropy({x}, {y})"),
    t("F.binary_cross_entropy_with_logits({x}, {y})"),
    t("T.atan2({x}, {y})"), t("T.hypot({x}, {y})"), t("{x}.logaddexp({y})"),
    t("T.copysign({x}, {y})"),
    t("T.lerp({x}, {y}, 0.3)"),
]

MATMUL = [t("{x} @ {y}"), t("T.matmul({x}, {y})"), t("{x}.matmul({y})"),
          t("T.mm({x}, {y})", "mm"), t("T.dot({x}, {y})", "dot")]

LOSSES = [
    t("F.cross_entropy({x}, {target})"), t("F.cross_entropy({x}, {target}, reduction='sum')"),
    t("F.cross_entropy({x}, {target}, reduction='none')"),
    t("F.nll_loss(F.log_softmax({x}, 1), {target})"), t("F.nll_loss({x}, {target})"),
]

# Views an in-place op goes through ({x} itself included), and the in-place ops.
VIEWS = [
    t("{x}"), t("{x}[0]"), t("{x}[1:]"), t("{x}[:, 0]"), t("{x}[::2]"), t("{x}.reshape(-1)"),
    t("{x}.view(-1)"), t("{x}.t()"), t("{x}.transpose(0, -1)"), t("{x}.detach()"), t("{x}.data"),
    t("{x}[..., -1]"), t("{x}.split(1)[0]"), t("{x}.unbind(0)[0]"), t("{x}.narrow(0, 0, 1)"),
    t("{x}.expand_as({x})"),
]
INPLACE = [
    t("{v}.add_({o})"), t("{v}.sub_({o})"), t("{v}.mul_({o})"), t("{v}.div_({o})"),
    t("{v}.add_({o}, alpha=2)"), t("{v}.zero_()"), t("{v}.fill_(1.5)", "Tensor.fill_"),
    t("{v}.clamp_(min=0.0)", "Tensor.clamp_"), t("{v}.copy_({o})", "Tensor.copy_"),
    t("{v}.sqrt_()", "Tensor.sqrt_"), t("{v}.exp_()", "Tensor.exp_"),
    t("{v}.pow_(2)", "Tensor.pow_"),
]
AUGMENTED = ["+=", "-=", "*=", "/="]
SETITEM_INDEX = ["0", "1:", "..., 0", ":, 0", "[0, 0]", "{x} > 0", "-1", "::2"]

SCALARS = ["1.5", "-2.0", "0.0", "0.5", "np.float64(0.25)", "nan", "inf"]


def broadcastable(a, b) -> bool:
    try:
        np.broadcast_shapes(a, b)
        return True
    except ValueError:
        return False


def matmul_compatible(a, b) -> bool:
    if not a or not b:
        return False
    k_a = a[-1]
    k_b = b[0] if len(b) == 1 else b[-2]
    return k_a == k_b


def literal(values: np.ndarray) -> str:
    """Python source for a nested list (nan and inf spelled as names)."""
    def item(v):
        if isinstance(v, list):
            return "[" + ", ".join(item(e) for e in v) + "]"
        if isinstance(v, float) and math.isnan(v):
            return "nan"
        if isinstance(v, float) and math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    return item(values.tolist())


def undefined_overlap(written, operand, index_put=False) -> bool:
    """Whether the engines part by design (README) on an in-place write into ``written`` (or
    part of it) from an operand over the same memory: torch's overlap check gives up when
    either is strided or the operand is broadcast (its result then depends on its loop order;
    tinyad refuses such overlaps where the order matters), and it calls the same elements seen
    with other strides in size-1 dims a partial overlap (tinyad compares elements: numpy's
    views do not keep torch's strides there). An ``index_put`` (a list or mask index) checks
    the very same elements too, so its check gives up on those when strided."""
    a, b = written.detach().numpy(force=True), operand.detach().numpy(force=True)
    same_start = a.__array_interface__["data"] == b.__array_interface__["data"] \
        and a.shape == b.shape
    if not np.shares_memory(a, b) or same_start and a.strides == b.strides and not index_put:
        return False
    if same_start and a.strides != b.strides and all(
            sa == sb for n, sa, sb in zip(a.shape, a.strides, b.strides) if n > 1):
        return True  # the same elements, strides apart in size-1 dims only (README)
    return a.shape != b.shape or not all(x.flags.c_contiguous or x.flags.f_contiguous
                                         for x in (a, b))


def copy_values(src, dst):
    """Write torch's float values into tinyad's storage (see the module docstring)."""
    if src.dtype not in (torch.float32, torch.float64) or src._is_zerotensor():
        return  # (a ZeroTensor's zeros: torch's has no storage)
    target = dst.detach().numpy()
    if not (isinstance(target, np.ndarray) and target.flags.writeable):
        return
    np.copyto(target, src.detach().numpy(), casting="same_kind")


class Differential(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        base = {"np": np, "nan": math.nan, "inf": math.inf}
        self.torch_ns = dict(base, T=torch, F=torch.nn.functional)
        self.tinyad_ns = dict(base, T=ENGINE, F=ENGINE.nn.functional)
        self.pool: list[str] = []
        self.counter = 0
        self.lines: list[str] = []

    # ------------------------------------------------------------------ helpers

    def fresh(self, prefix="v") -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def tensor(self, name):
        return self.torch_ns[name]

    def pick(self, data, names, label):
        return data.draw(st.sampled_from(names), label=label)

    def execute(self, source: str, results=()):
        """Run one line in both engines, compare the outcome, pool the new tensors."""
        self.lines.append(source)
        if currently_in_test_context():
            note(source)
        code = compile(source, "<program>", "exec")
        outcomes = []
        for ns in (self.torch_ns, self.tinyad_ns):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                outcomes.append(outcome(lambda ns=ns: exec(code, ns)))
        expected, actual = outcomes
        if isinstance(expected, Raised) and "ZeroTensor" in str(expected.exc) and not (
                isinstance(actual, Raised) and "ZeroTensor" in str(actual.exc)):
            reject()  # (torch's ZeroTensor, README: tinyad's second derivatives are zeros)
        assert_same(expected, actual, f"`{source}`")
        if isinstance(expected, Raised):
            return False
        for name in results:
            value = self.torch_ns.get(name)
            if isinstance(value, torch.Tensor):
                self.compare(name)
                self.pool.append(name)
        while len(self.pool) > POOL_SIZE:
            gone = self.pool.pop(0)
            if gone not in self.pool:
                del self.torch_ns[gone], self.tinyad_ns[gone]
        return True

    def dims(self, data, ndim):
        if ndim == 0:
            return data.draw(st.sampled_from([0, -1]), label="dim"), 0
        d = data.draw(st.integers(-ndim, ndim - 1), label="dim")
        d2 = data.draw(st.integers(0, ndim - 1), label="dim2")
        return d, d2

    def float_pool(self):
        return [n for n in self.pool if self.tensor(n).dtype in (torch.float32, torch.float64)]

    # ------------------------------------------------------------------ new tensors

    @initialize(data=st.data())
    def first_leaf(self, data):
        self.new_leaf(data)

    @rule(data=st.data())
    def new_leaf(self, data):
        shape = data.draw(st.sampled_from(SHAPES), label="shape")
        dtype = data.draw(st.sampled_from(["float32", "float64"]), label="dtype")
        specials = data.draw(st.integers(0, 4), label="specials") == 0
        elements = st.sampled_from(DYADIC + SPECIAL if specials else DYADIC)
        values = data.draw(st.lists(elements, min_size=int(np.prod(shape)),
                                    max_size=int(np.prod(shape))), label="values")
        array = np.array(values, dtype=np.float64).reshape(shape)
        requires_grad = data.draw(st.integers(0, 3), label="requires_grad") > 0
        name = self.fresh()
        rg = ", requires_grad=True" if requires_grad else ""
        self.execute(f"{name} = T.tensor({literal(array)}, dtype=T.{dtype}{rg})", [name])

    @rule(data=st.data())
    def new_integer_constant(self, data):
        shape = data.draw(st.sampled_from([(2,), (3,), (2, 3)]), label="shape")
        values = data.draw(st.lists(st.integers(0, 2), min_size=int(np.prod(shape)),
                                    max_size=int(np.prod(shape))), label="values")
        kind = data.draw(st.sampled_from(["", ", dtype=T.bool"]), label="kind")
        array = np.array(values).reshape(shape)
        if kind:
            array = array > 0
        name = self.fresh()
        self.execute(f"{name} = T.tensor({literal(array)}{kind})", [name])

    # ------------------------------------------------------------------ ops

    @precondition(lambda self: self.pool)
    @rule(data=st.data())
    def unary(self, data):
        x = self.pick(data, self.pool, "x")
        template = self.pick(data, available(UNARY), "op")
        d, d2 = self.dims(data, self.tensor(x).ndim)
        name = self.fresh()
        result = template.format(x=x, d=d, d2=d2)
        if template in ("{x}.max({d})", "{x}.max({d}, keepdim=True)"):
            self.execute(f"{name}, {name}i = {result}", [name, name + "i"])
        else:
            self.execute(f"{name} = {result}", [name])

    @precondition(lambda self: self.pool)
    @rule(data=st.data())
    def binary(self, data):
        x = self.pick(data, self.pool, "x")
        shape = tuple(self.tensor(x).shape)
        template = self.pick(data, available(BINARY) + available(MATMUL), "op")
        fits = matmul_compatible if "@" in template or "m(" in template or "dot" in template \
            else broadcastable
        candidates = [n for n in self.pool if fits(shape, tuple(self.tensor(n).shape))]
        if not candidates or data.draw(st.integers(0, 19), label="mismatch") == 0:
            candidates = self.pool  # now and then, shapes that may not fit: same error?
        y = self.pick(data, candidates, "y")
        name = self.fresh()
        self.execute(f"{name} = {template.format(x=x, y=y)}", [name])

    def with_classes(self):
        """The pooled (N, C) tensors with at least one class (labels are drawn from 0..C-1)."""
        return [n for n in self.pool if self.tensor(n).ndim == 2 and self.tensor(n).shape[1]]

    @precondition(lambda self: self.with_classes())
    @rule(data=st.data())
    def loss(self, data):
        x = self.pick(data, self.with_classes(), "x")
        n, c = self.tensor(x).shape
        labels = data.draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n), label="y")
        template = self.pick(data, available(LOSSES), "loss")
        name = self.fresh()
        self.execute(f"{name} = {template.format(x=x, target=f'T.tensor({labels})')}", [name])

    # ------------------------------------------------------------------ in place

    def operand(self, data, written, requiring_grad=True, within=None, index_put=False):
        """A scalar or a pooled tensor that broadcasts to the shape of ``written`` (torch's
        tensor that the line writes to, None if it cannot be made): one that requires grad only
        if ``requiring_grad``, and none whose overlap with it (or with ``within``, the tensor it
        is part of) makes torch's result undefined."""
        shape = None if written is None else tuple(written.shape)
        within = written if within is None else within
        fitting = [n for n in self.pool if shape is not None
                   and broadcastable(tuple(self.tensor(n).shape), shape)
                   and np.broadcast_shapes(tuple(self.tensor(n).shape), shape) == shape
                   and (requiring_grad or not self.tensor(n).requires_grad)
                   and not undefined_overlap(within, self.tensor(n), index_put)
                   # (a basic index writes through a view: its own overlap counts too)
                   and (written is None or not undefined_overlap(written, self.tensor(n)))]
        if fitting and data.draw(st.booleans(), label="tensor operand"):
            return self.pick(data, fitting, "operand")
        return self.pick(data, SCALARS, "scalar")

    def evaluate(self, src):
        """What ``src`` gives under torch, or None if it raises (so will the line, in both)."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = outcome(lambda: eval(src, self.torch_ns))
        return None if isinstance(value, Raised) else value

    @precondition(lambda self: self.pool)
    @rule(data=st.data())
    def inplace(self, data):
        x = self.pick(data, self.pool, "x")
        view = self.pick(data, available(VIEWS), "view").format(x=x)
        kind = data.draw(st.sampled_from(["method", "augmented", "setitem"]), label="kind")
        no_grad = data.draw(st.booleans(), label="no_grad")
        name = self.fresh()
        if kind == "method":
            op = self.pick(data, available(INPLACE), "op")
            o = self.operand(data, self.evaluate(view))
            line = f"{name} = {op.format(v=f'({view})', o=o)}"
        elif kind == "augmented":
            o = self.operand(data, self.evaluate(view))
            op = data.draw(st.sampled_from(AUGMENTED), label="op")
            line = f"{name} = {view}; {name} {op} {o}"
        else:
            index = self.pick(data, SETITEM_INDEX, "index")
            # not a tensor that requires grad into integers or bools: there torch's fill_ and
            # index_put_ leave a grad_fn that its own ops then refuse (README, "Where tinyad
            # deliberately differs"); tinyad records nothing, as torch's copy_ does
            target = self.evaluate(view)
            floating = target is not None and target.is_floating_point()
            o = self.operand(data, self.evaluate(f"({view})[{index.format(x=view)}]"),
                             requiring_grad=floating, within=target,
                             index_put=index in ("[0, 0]", "{x} > 0"))
            line = f"{name} = {view}; {name}[{index.format(x=name)}] = {o}"
        self.execute(("with T.no_grad(): " if no_grad else "") + line, [name])

    @precondition(lambda self: self.pool)
    @rule(data=st.data())
    def set_requires_grad(self, data):
        x = self.pick(data, self.pool, "x")
        flag = data.draw(st.booleans(), label="flag")
        self.execute(f"{x}.requires_grad_({flag})")

    # ------------------------------------------------------------------ gradients

    @precondition(lambda self: self.pool)
    @rule(data=st.data())
    def backward(self, data):
        wanted = [n for n in self.pool if self.tensor(n).requires_grad]
        if not wanted or data.draw(st.integers(0, 9), label="any") == 0:
            wanted = self.pool  # now and then one that does not require grad: same error?
        x = self.pick(data, wanted, "x")
        args = []
        if self.tensor(x).ndim > 0 or data.draw(st.integers(0, 9), label="explicit") == 0:
            if data.draw(st.integers(0, 9), label="omit") > 0:
                args.append(f"T.ones_like({x})")
        if data.draw(st.booleans(), label="retain"):
            args.append("retain_graph=True")
        if data.draw(st.integers(0, 9), label="create") == 0:
            args.append("create_graph=True")
        if data.draw(st.integers(0, 9), label="inputs") == 0:  # only some tensors' .grad
            grads = [n for n in self.pool if self.tensor(n).requires_grad]
            if grads:
                args.append(f"inputs=[{self.pick(data, grads, 'input')}]")
        self.execute(f"{x}.backward({', '.join(args)})")

    @precondition(lambda self: any(self.tensor(n).requires_grad for n in self.pool))
    @rule(data=st.data())
    def autograd_grad(self, data):
        out = self.pick(data, self.pool, "output")
        wrt = [n for n in self.pool if self.tensor(n).requires_grad]
        inputs = data.draw(st.lists(st.sampled_from(wrt), min_size=1, max_size=3), label="inputs")
        kwargs = []
        if self.tensor(out).ndim > 0:
            kwargs.append(f"grad_outputs=T.ones_like({out})")
        for flag in ("retain_graph", "allow_unused", "create_graph"):
            if data.draw(st.integers(0, 2), label=flag) == 0:
                kwargs.append(f"{flag}=True")
        names = [self.fresh("g") for _ in inputs]
        call = f"T.autograd.grad({out}, [{', '.join(inputs)}]{''.join(', ' + k for k in kwargs)})"
        if self.execute(f"{', '.join(names)}, = {call}", names):
            # torch returns some gradients as views (its last backward step a view op), where
            # tinyad's are tensors of their own (README, "Where tinyad deliberately differs"):
            # in-place changes of those would differ by design, so they leave the pool
            views = {n for n in names if isinstance(self.torch_ns[n], torch.Tensor)
                     and self.torch_ns[n]._is_view()}
            self.pool = [n for n in self.pool if n not in views]

    def leaves_with_grad(self):
        return [n for n in self.pool if self.tensor(n).is_leaf and self.tensor(n).grad is not None]

    @precondition(lambda self: self.leaves_with_grad())
    @rule(data=st.data())
    def zero_or_drop_grad(self, data):
        x = self.pick(data, self.leaves_with_grad(), "x")
        line = data.draw(st.sampled_from(
            ["{x}.grad.zero_()", "{x}.grad = None", "{x}.grad.data.zero_()",
             "{x}.grad = T.zeros_like({x})", "{x}.grad += 1"]), label="how")
        self.execute(line.format(x=x))

    @precondition(lambda self: self.leaves_with_grad())
    @rule(data=st.data())
    def sgd_step(self, data):
        x = self.pick(data, self.leaves_with_grad(), "x")
        line = data.draw(st.sampled_from([
            "with T.no_grad(): {x} -= 0.5 * {x}.grad",
            "{x}.data -= 0.5 * {x}.grad",
            "{x}.data = {x} - 0.5 * {x}.grad",
            "{x}.data.add_({x}.grad, alpha=-0.5)",
            "{x} -= 0.5 * {x}.grad",
        ]), label="step")
        self.execute(line.format(x=x))

    # ------------------------------------------------------------------ the comparison

    def compare(self, name):
        """The two engines' tensor ``name`` agree; a float64 one up to float32's tolerance
        while float32 tensors are about (its gradient may have been computed through them)."""
        floats = {str(t.dtype).removeprefix("torch.") for t in self.torch_ns.values()
                  if isinstance(t, torch.Tensor) and t.is_floating_point()}
        precision_floor["dtype"] = next((d for d in ("float16", "float32") if d in floats), None)
        try:
            assert_same(self.torch_ns[name], self.tinyad_ns[name], name)
        finally:
            precision_floor["dtype"] = None

    @invariant()
    def every_tensor_agrees(self):
        if any(_zero_tensor(self.torch_ns[name]) and not _zero_tensor(self.tinyad_ns[name])
               for name in self.pool):
            reject()  # (torch's ZeroTensor under create_graph, tinyad's zeros: README)
        for name in dict.fromkeys(self.pool):
            self.compare(name)
        for name in dict.fromkeys(self.pool):  # equal up to tolerance: make them bit-equal
            copy_values(self.torch_ns[name], self.tinyad_ns[name])
        # a view made under no_grad whose base then changed in place with grad enabled:
        # torch refuses to say whether it is a leaf (and the engine agreed, above); retire it
        self.pool = [n for n in self.pool if not isinstance(
            outcome(lambda n=n: self.torch_ns[n].is_leaf), Raised)]


def _zero_tensor(t):
    """Whether ``t``, or its gradient, is a ZeroTensor (sgn's gradient: it cannot be read, or
    added to in place; torch's second derivatives of abs, sign, ... are, tinyad's are plain
    zeros)."""
    grad = outcome(lambda: t.grad if t.is_leaf else None)
    return t._is_zerotensor() or isinstance(grad, torch.Tensor) and grad._is_zerotensor()


TestDifferential = Differential.TestCase
# Issue 11's machine. Every case it found is fixed, with a test in test_torch_parity.py (from
# test_leaf_that_stopped_requiring_grad_gets_no_gradient on), or left out on purpose where
# torch's result is undefined or a torch bug, or tinyad differs by design (README, "Where tinyad
# deliberately differs"): a grad-requiring value assigned into an integer tensor; in-place
# operands over the memory written to where torch's overlap check gives up (strided, or the
# same elements with other strides in size-1 dims); gradients that torch's autograd.grad returns
# as views; a 0-d target of a 2-D input (torch reads its size out of bounds); torch's ZeroTensor
# (rejected). The CI profile's 300 programs are derandomized; under the thorough profile seeds
# 21, 31, 41 and 51 find nothing in 5,000 (41 and 51 first found the saved index of a 0-d
# sort, autograd.grad through a squeeze of nothing, a gradient summed to 0-d as a view; fixed).
# Reproduce a failure with `CI=true pytest tests/test_stateful.py -p no:randomly`, or
# `--hypothesis-seed=N` under the thorough profile.
TestDifferential.settings = settings(
    settings.default,
    max_examples=5 * settings.default.max_examples,
    stateful_step_count=30,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                           HealthCheck.data_too_large],
)


def test_the_comparison_sees_a_planted_difference():
    """The comparison is not vacuous: engines that differ in a flag, a value (NaN against a
    number), a gradient or an error fail it."""
    machine = Differential()
    machine.execute("v0 = T.tensor([1.0, nan], requires_grad=True)", ["v0"])
    machine.execute("v1 = v0 * 2", ["v1"])
    machine.every_tensor_agrees()
    machine.tinyad_ns["v0"] = machine.tinyad_ns["v0"] * 1  # tinyad's v0: no longer a leaf
    with pytest.raises(AssertionError, match="is_leaf"):
        machine.every_tensor_agrees()
    machine.tinyad_ns["v0"] = ENGINE.tensor([1.0, 0.0], requires_grad=True)
    with pytest.raises(AssertionError, match="values differ"):
        machine.every_tensor_agrees()
    machine.tinyad_ns["v0"] = ENGINE.tensor([1.0, math.nan], requires_grad=True)
    machine.tinyad_ns["v0"].grad = ENGINE.tensor([1.0, 1.0])
    with pytest.raises(AssertionError, match="v0.grad"):
        machine.every_tensor_agrees()
    machine.tinyad_ns["v0"].grad = None
    machine.tinyad_ns["v0"].requires_grad_(False)  # so backward raises in tinyad only
    with pytest.raises(AssertionError, match="torch returned"):
        machine.execute("v0.sum().backward()")


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_an_item_assignment_operand_is_checked_against_the_part_written(data):
    """`v1[::2] = v1` on a (1, 3) tensor writes into v1[::2], which is v1's elements with another
    stride in its size-1 dim: the case the README leaves out on purpose. Checked against the
    whole v1 only, the operand looked like an exact overlap and was drawn."""
    machine = Differential()
    machine.execute("v1 = T.tensor([[1.0, 2.0, 3.0]])", ["v1"])
    written = machine.evaluate("v1[::2]")
    assert machine.operand(data, written, within=machine.tensor("v1")) != "v1"
