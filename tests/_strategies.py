"""Shared pieces of the correctness suite: the op table, hypothesis strategies and the
comparison helper that checks an engine against torch.

Each entry of ``OPS`` is one differentiable operation.  Its ``case`` strategy draws a
``Case``: positional ``args`` (float arrays become leaves that require grad, integer
arrays become constant tensors) and ``kwargs`` passed through untouched.  ``fn(m, F,
*tensors, **kwargs)`` calls the op on module ``m`` (``tinyad`` or ``torch``) whose
``nn.functional`` is ``F``; both libraries spell everything the same way, so one
lambda serves both.

The engine under test is ``tinyad`` unless ``TINYAD_TEST_ENGINE=torch`` is set; that
plugs torch in instead, which checks the harness itself (every test must then pass).
"""

from __future__ import annotations

import importlib
import math
import os
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

MAX_SIDE = 4


def engine_name() -> str:
    return os.environ.get("TINYAD_TEST_ENGINE", "tinyad")


def raw(t) -> np.ndarray:
    """The numpy array behind a tinyad or torch tensor (shares memory, no copy)."""
    data = getattr(t, "_data", None)
    return data if isinstance(data, np.ndarray) else t.detach().numpy()


# --------------------------------------------------------------------------- values

def floats(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False, allow_subnormal=False)


def away_from_zero(lo: float, hi: float) -> st.SearchStrategy[float]:
    """|x| in [lo, hi], either sign."""
    return floats(lo, hi) | floats(-hi, -lo)


def arrays(shape, elements=None, unique=False) -> st.SearchStrategy[np.ndarray]:
    elements = floats(-2, 2) if elements is None else elements
    return hnp.arrays(np.float64, shape, elements=elements, unique=unique)


def distinct_arrays(shape) -> st.SearchStrategy[np.ndarray]:
    """All elements different by at least 1/16: no ties for max, nonzero variance."""
    return arrays(shape, st.integers(-400, 400).map(lambda i: i / 16), unique=True)


def shapes(min_dims=0, max_dims=3) -> st.SearchStrategy[tuple]:
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=MAX_SIDE)


def broadcast_shapes(num_shapes=2, max_dims=3):
    return hnp.mutually_broadcastable_shapes(
        num_shapes=num_shapes, min_dims=0, max_dims=max_dims, min_side=1, max_side=MAX_SIDE
    ).map(lambda b: b.input_shapes)


def dims_of(ndim: int) -> st.SearchStrategy[int]:
    return st.integers(-ndim, ndim - 1)


def dim_args(ndim: int) -> st.SearchStrategy:
    """A reduction's ``dim``: None, one (possibly negative) dim, or a tuple of distinct dims."""
    if ndim == 0:
        return st.none()
    tuples = st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True).flatmap(
        lambda ds: st.tuples(*[st.sampled_from([d, d - ndim]) for d in ds])
    )
    return st.none() | dims_of(ndim) | tuples


def reduced_count(shape: tuple, dim) -> int:
    if dim is None:
        return math.prod(shape)
    dims = dim if isinstance(dim, tuple) else (dim,)
    return math.prod(shape[d] for d in dims)


# --------------------------------------------------------------------------- the op table

@dataclass(frozen=True)
class Case:
    args: tuple
    kwargs: dict = field(default_factory=dict)

    def astype(self, dtype) -> Case:
        """Float arrays (args and kwargs) cast to ``dtype``; integer arrays untouched."""
        def cast(v):
            is_float = isinstance(v, np.ndarray) and v.dtype.kind == "f"
            return v.astype(dtype) if is_float else v
        return Case(tuple(map(cast, self.args)), {k: cast(v) for k, v in self.kwargs.items()})


@dataclass(frozen=True)
class Op:
    name: str
    case: st.SearchStrategy  # -> Case
    fn: Callable[..., Any]  # fn(m, F, *tensors, **kwargs) -> tensor
    vs_torch: bool = True  # False: torch has no equivalent, checked by finite differences only
    fd_atol: float = 1e-8  # gradcheck atol per unit of sum(abs(output)): rounding noise ~ ulp/eps


def case_of(*arg_strategies, **kwarg_strategies) -> st.SearchStrategy[Case]:
    return st.builds(
        lambda args, kwargs: Case(tuple(args), kwargs),
        st.tuples(*arg_strategies), st.fixed_dictionaries(kwarg_strategies),
    )


def unary(elements=None, **kwargs) -> st.SearchStrategy[Case]:
    return shapes().flatmap(lambda s: case_of(arrays(s, elements), **kwargs))


def binary(a_elements=None, b_elements=None) -> st.SearchStrategy[Case]:
    return broadcast_shapes().flatmap(
        lambda ss: case_of(arrays(ss[0], a_elements), arrays(ss[1], b_elements))
    )


def forms(**table):
    """An op spelled several ways: ``kwargs['form']`` picks one of ``table``."""
    def call(m, F, *xs, form, **kw):
        return table[form](m, F, *xs, **kw)

    return st.sampled_from(sorted(table)), call


SCALAR_FORMS = {
    "x+c": lambda x, c: x + c, "c+x": lambda x, c: c + x,
    "x-c": lambda x, c: x - c, "c-x": lambda x, c: c - x,
    "x*c": lambda x, c: x * c, "c*x": lambda x, c: c * x,
    "x/c": lambda x, c: x / c, "c/x": lambda x, c: c / x,
    "c**x": lambda x, c: abs(c) ** x,
}
# torch rejects numpy operands, so these run under finite differences only
ARRAY_FORMS = {k: v for k, v in SCALAR_FORMS.items() if k != "c**x"}


def scalar_case() -> st.SearchStrategy[Case]:
    return unary(away_from_zero(0.25, 3), form=st.sampled_from(sorted(SCALAR_FORMS)),
                 c=away_from_zero(0.25, 3))


def array_case() -> st.SearchStrategy[Case]:
    return broadcast_shapes().flatmap(lambda ss: case_of(
        arrays(ss[0], away_from_zero(0.25, 3)),
        form=st.sampled_from(sorted(ARRAY_FORMS)), c=arrays(ss[1], away_from_zero(0.25, 3)),
    ))


POW_EXPONENTS = [2, 3, -1, -2, 0.5, 1.5, -2.5, 1]


@st.composite
def pow_scalar_case(draw) -> Case:
    p = draw(st.sampled_from(POW_EXPONENTS))
    base = away_from_zero(0.25, 3) if float(p).is_integer() else floats(0.25, 3)
    form = draw(st.sampled_from(["x**p", "x.pow(p)"]))
    return Case((draw(arrays(draw(shapes()), base)),), {"p": p, "form": form})


def pow_scalar(m, F, x, p, form):
    return x ** p if form == "x**p" else x.pow(p)


def matmul_case() -> st.SearchStrategy[Case]:
    # np.matmul's signature "(n?,k),(k,m?)->(n?,m?)": batched with broadcast batch dims,
    # and the optional dims give the 1-D @ 2-D, 2-D @ 1-D and 1-D @ 1-D cases.
    sig = hnp.mutually_broadcastable_shapes(
        signature=np.matmul.signature, max_dims=2, min_side=1, max_side=MAX_SIDE
    )
    return sig.flatmap(lambda b: case_of(
        *[arrays(s) for s in b.input_shapes], form=st.sampled_from(["a @ b", "matmul"])
    ))


def reduction_case(draw, shape_strategy, values, min_count=1) -> Case:
    shape = draw(shape_strategy)
    dim = draw(dim_args(len(shape)).filter(lambda d: reduced_count(shape, d) >= min_count))
    return Case((draw(values(shape)),), {"dim": dim, "keepdim": draw(st.booleans())})


@st.composite
def sum_mean_case(draw) -> Case:
    return reduction_case(draw, shapes(), arrays)


@st.composite
def var_std_case(draw) -> Case:
    case = reduction_case(draw, shapes(1).filter(lambda s: math.prod(s) >= 2), distinct_arrays,
                          min_count=2)
    return Case(case.args, {**case.kwargs, "unbiased": draw(st.booleans())})


@st.composite
def max_dim_case(draw) -> Case:
    shape = draw(shapes(1))
    return Case((draw(distinct_arrays(shape)),), {"dim": draw(dims_of(len(shape)))})


@st.composite
def reshape_case(draw) -> Case:
    shape = draw(shapes())
    n = math.prod(shape)
    targets = [(n,), (-1,), tuple(reversed(shape)), (1, n, 1)]
    targets += [(d, n // d) for d in range(1, n + 1) if n % d == 0] + [(-1, 1)]
    target = draw(st.sampled_from(targets))
    # torch rejects x.reshape() with no argument, so the target () goes as a tuple
    spellings = ["reshape(tuple)", "view(tuple)"] + (["reshape", "view"] if target else [])
    form = draw(st.sampled_from(spellings))
    return Case((draw(arrays(shape)),), {"target": target, "form": form})


def reshape(m, F, x, target, form):
    method = getattr(x, form.removesuffix("(tuple)"))
    return method(target) if form.endswith("(tuple)") else method(*target)


@st.composite
def transpose_case(draw) -> Case:
    shape = draw(shapes(1))
    d0, d1 = draw(dims_of(len(shape))), draw(dims_of(len(shape)))
    return Case((draw(arrays(shape)),), {"d0": d0, "d1": d1})


@st.composite
def t_case(draw) -> Case:
    form = draw(st.sampled_from([".t()", ".T"]))
    shape = draw(shapes(2, 2) if form == ".T" else shapes(0, 2))
    return Case((draw(arrays(shape)),), {"form": form})


def index_part(draw, n: int):
    """An int, or a slice with positive step, for a dimension of size n."""
    if draw(st.booleans()):
        return draw(st.integers(-n, n - 1))
    start = draw(st.none() | st.integers(-n, n))
    stop = draw(st.none() | st.integers(-n, n))
    return slice(start, stop, draw(st.none() | st.integers(1, 3)))


def int_array_index(draw, n: int) -> np.ndarray:
    """Indices into a dimension of size n, negative ones included, with at least one repeat."""
    idx = draw(hnp.arrays(np.int64, st.integers(1, 5), elements=st.integers(-n, n - 1)))
    idx = np.append(idx, idx[0] - n if idx[0] >= 0 else idx[0])  # same element, other spelling
    return idx.reshape(2, -1) if draw(st.booleans()) and idx.size % 2 == 0 else idx


@st.composite
def getitem_case(draw) -> Case:
    shape = draw(shapes(1))
    kind = draw(st.sampled_from(["basic", "array", "array on dim 1"] if len(shape) > 1
                                else ["basic", "array"]))
    if kind == "basic":
        index = tuple(index_part(draw, n) for n in shape[: draw(st.integers(1, len(shape)))])
    elif kind == "array":
        index = int_array_index(draw, shape[0])
    else:
        index = (slice(None), int_array_index(draw, shape[1]))
    # integer arrays go in as numpy arrays or as int64 tensors
    as_tensor = kind != "basic" and draw(st.booleans())
    return Case((draw(arrays(shape)),), {"index": index, "as_tensor": as_tensor})


def getitem(m, F, x, index, as_tensor):
    def convert(i):
        return m.tensor(i) if as_tensor and isinstance(i, np.ndarray) else i

    return x[tuple(map(convert, index)) if isinstance(index, tuple) else convert(index)]


def same_shape_pair(elements=None, **kwargs) -> st.SearchStrategy[Case]:
    return shapes().flatmap(
        lambda s: case_of(arrays(s, elements), arrays(s, elements), **kwargs)
    )


WIDE = floats(-10, 10) | st.sampled_from([1e4, -1e4, 50.0, -50.0])
REDUCTIONS = st.sampled_from(["mean", "sum", "none"])


@st.composite
def classification_case(draw, elements) -> Case:
    n, c = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    target = draw(hnp.arrays(np.int64, n, elements=st.integers(0, c - 1)))
    return Case((draw(arrays((n, c), elements)), target), {"reduction": draw(REDUCTIONS)})


def along_dim_case(elements) -> st.SearchStrategy[Case]:
    return shapes(1).flatmap(lambda s: case_of(arrays(s, elements), dim=dims_of(len(s))))


def elementwise(method: str, elements, functional: bool):
    """A unary op called as x.method(), m.method(x) and (if functional) F.method(x)."""
    spellings = {
        "method": lambda m, F, x: getattr(x, method)(),
        "module": lambda m, F, x: getattr(m, method)(x),
    }
    if functional:
        spellings["F"] = lambda m, F, x: getattr(F, method)(x)
    form, fn = forms(**spellings)
    return Op(method, unary(elements, form=form), fn)


SIGMOID_VALUES = floats(-10, 10) | st.sampled_from([50.0, -50.0, 800.0, -800.0, 1e4, -1e4])

OPS = [
    Op("add", binary(), lambda m, F, a, b: a + b),
    Op("sub", binary(), lambda m, F, a, b: a - b),
    Op("mul", binary(), lambda m, F, a, b: a * b),
    Op("div", binary(b_elements=away_from_zero(0.5, 3)), lambda m, F, a, b: a / b),
    Op("neg", unary(), lambda m, F, x: -x),
    Op("scalar_operand", scalar_case(),
       lambda m, F, x, form, c: SCALAR_FORMS[form](x, c)),
    Op("numpy_operand", array_case(), lambda m, F, x, form, c: ARRAY_FORMS[form](x, c),
       vs_torch=False),
    Op("pow_scalar", pow_scalar_case(), pow_scalar),
    Op("pow_tensor", binary(floats(0.25, 3), floats(-2, 2)), lambda m, F, a, b: a ** b),
    Op("matmul", matmul_case(),
       lambda m, F, a, b, form: a @ b if form == "a @ b" else m.matmul(a, b)),
    Op("sum", sum_mean_case(), lambda m, F, x, **kw: x.sum(**kw)),
    Op("sum_function", sum_mean_case(), lambda m, F, x, **kw: m.sum(x, **kw)),
    Op("mean", sum_mean_case(), lambda m, F, x, **kw: x.mean(**kw)),
    Op("mean_function", sum_mean_case(), lambda m, F, x, **kw: m.mean(x, **kw)),
    Op("var", var_std_case(), lambda m, F, x, **kw: x.var(**kw)),
    Op("std", var_std_case(), lambda m, F, x, **kw: x.std(**kw)),
    Op("max_dim", max_dim_case(), lambda m, F, x, dim: x.max(dim)[0]),
    Op("max_all", shapes().flatmap(lambda s: case_of(distinct_arrays(s))),
       lambda m, F, x: x.max()),
    Op("reshape", reshape_case(), reshape),
    Op("transpose", transpose_case(), lambda m, F, x, d0, d1: x.transpose(d0, d1)),
    Op("t", t_case(), lambda m, F, x, form: x.t() if form == ".t()" else x.T),
    Op("getitem", getitem_case(), getitem),
    elementwise("exp", floats(-5, 5), functional=False),
    elementwise("log", floats(0.1, 10) | floats(1e-3, 1e3), functional=False),
    elementwise("tanh", floats(-5, 5) | st.sampled_from([30.0, -30.0, 800.0]), functional=True),
    elementwise("sigmoid", SIGMOID_VALUES, functional=True),
    elementwise("relu", away_from_zero(0.01, 5), functional=True),
    Op("mse_loss", same_shape_pair(reduction=REDUCTIONS),
       lambda m, F, a, b, reduction: F.mse_loss(a, b, reduction=reduction)),
    Op("log_softmax", along_dim_case(WIDE), lambda m, F, x, dim: F.log_softmax(x, dim),
       fd_atol=1e-5),
    Op("softmax", along_dim_case(WIDE), lambda m, F, x, dim: F.softmax(x, dim), fd_atol=1e-5),
    Op("nll_loss", classification_case(floats(-5, 5)),
       lambda m, F, x, t, reduction: F.nll_loss(x, t, reduction=reduction)),
    Op("cross_entropy", classification_case(WIDE),
       lambda m, F, x, t, reduction: F.cross_entropy(x, t, reduction=reduction), fd_atol=1e-5),
]
TORCH_OPS = [op for op in OPS if op.vs_torch]
# At inputs where an op is not differentiable the engine must follow torch's convention;
# finite differences do not apply there, so these are compared with torch only.
KINK_OPS = [
    # a full max splits the gradient evenly among tied maxima
    Op("max_all_with_ties", unary(st.integers(-1, 1).map(float)), lambda m, F, x: x.max()),
    # relu'(0) = 0
    Op("relu_at_zero", unary(st.sampled_from([0.0, 1.0, -1.0])), lambda m, F, x: F.relu(x)),
]


# --------------------------------------------------------------------------- evaluation

def bind(m, fn, case: Case):
    """Leaves (requiring grad) for the float arrays of ``case.args``, constant tensors for
    its integer arrays, and ``call(*leaves)`` that evaluates ``fn`` on them."""
    slots = [isinstance(a, np.ndarray) and a.dtype.kind == "f" for a in case.args]
    leaves = [m.tensor(a, requires_grad=True) for a, s in zip(case.args, slots) if s]
    consts = [m.tensor(a) if isinstance(a, np.ndarray) else a
              for a, s in zip(case.args, slots) if not s]
    F = importlib.import_module(m.__name__ + ".nn.functional")

    def call(*xs):
        it_x, it_c = iter(xs), iter(consts)
        args = [next(it_x) if s else next(it_c) for s in slots]
        return fn(m, F, *args, **case.kwargs)

    return leaves, call


def upstream_for(shape, seed: int, dtype) -> np.ndarray:
    """A random upstream gradient: standard normal, so no entry is zero."""
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def evaluate(m, fn, case: Case, seed: int):
    """Forward and backward; returns (out, leaves, upstream tensor)."""
    leaves, call = bind(m, fn, case)
    out = call(*leaves)
    upstream = m.tensor(upstream_for(tuple(out.shape), seed, raw(out).dtype))
    out.backward(upstream)
    return out, leaves, upstream


TOLERANCES = {np.dtype(np.float64): (1e-7, 1e-12), np.dtype(np.float32): (1e-5, 1e-5)}


def assert_close(actual, expected, what: str, rtol: float, atol_scale: float):
    """assert_allclose with atol scaled to the reference's magnitude (never below atol_scale)."""
    scale = max(1.0, float(np.max(np.abs(expected), initial=0.0)))
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol_scale * scale,
                               err_msg=what)


def assert_matches_torch(fn, case: Case, seed: int, engine, ref_fn=None, atol_scale=None):
    """Evaluate ``fn`` on ``engine`` and ``ref_fn`` (default ``fn``) on torch, from the same
    numpy data and upstream gradient, and check:

    * the value and every input gradient agree (rtol 1e-7 in float64, 1e-4 in float32);
    * output and gradients keep the input dtype and the gradients the input shapes;
    * no numpy floating-point error (overflow, invalid, divide) is raised by the engine;
    * the engine mutates neither the input arrays nor the upstream gradient;
    * no gradient shares memory with another gradient, an input, the output or the
      upstream gradient (torch, when under test, is excused the last: it steals it).
    """
    import torch

    dtype = next(a.dtype for a in case.args if isinstance(a, np.ndarray) and a.dtype.kind == "f")
    rtol, default_atol = TOLERANCES[dtype]
    atol_scale = default_atol if atol_scale is None else atol_scale
    pristine = [a.copy() for a in case.args if isinstance(a, np.ndarray)]

    ref_out, ref_leaves, _ = evaluate(torch, ref_fn or fn, case, seed)
    assert np.all(np.isfinite(raw(ref_out))), "test bug: torch's value is not finite here"
    with np.errstate(over="raise", invalid="raise", divide="raise"), warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        out, leaves, upstream = evaluate(engine, fn, case, seed)

    assert raw(out).dtype == dtype, f"output dtype {raw(out).dtype}, inputs are {dtype}"
    assert tuple(out.shape) == tuple(ref_out.shape), f"output shape {tuple(out.shape)}"
    assert_close(raw(out), raw(ref_out), "value", rtol, atol_scale)

    grads = []
    for i, (leaf, ref_leaf) in enumerate(zip(leaves, ref_leaves)):
        if ref_leaf.grad is None:
            assert leaf.grad is None, f"input {i} is unused, yet got a gradient"
            continue
        assert leaf.grad is not None, f"input {i}: .grad is None after backward"
        g = raw(leaf.grad)
        assert g.dtype == dtype, f"input {i}: gradient dtype {g.dtype}, input is {dtype}"
        assert g.shape == raw(leaf).shape, f"input {i}: gradient shape {g.shape}"
        assert_close(g, raw(ref_leaf.grad), f"gradient of input {i}", rtol, atol_scale)
        grads.append((i, g))

    for before, after in zip(pristine, [a for a in case.args if isinstance(a, np.ndarray)]):
        np.testing.assert_array_equal(after, before, err_msg="an input array was mutated")
    for before, leaf in zip((a for a in pristine if a.dtype.kind == "f"), leaves):
        np.testing.assert_array_equal(raw(leaf), before, err_msg="a leaf's data was mutated")
    np.testing.assert_array_equal(raw(upstream), upstream_for(raw(upstream).shape, seed, dtype),
                                  err_msg="the upstream gradient was mutated")

    others = [("output", raw(out))] + [(f"input {i}", raw(x)) for i, x in enumerate(leaves)]
    if engine.__name__ != "torch":
        others.append(("the upstream gradient", raw(upstream)))
    for i, g in grads:
        others_here = others + [(f"gradient of input {j}", h) for j, h in grads if j != i]
        for what, other in others_here:
            assert not np.shares_memory(g, other), f"gradient of input {i} aliases {what}"
