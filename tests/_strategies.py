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
    # why the engine cannot differentiate this op twice ("" if it can): no second-order test
    once_differentiable: str = ""


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


def scalar_case() -> st.SearchStrategy[Case]:
    return unary(away_from_zero(0.25, 3), form=st.sampled_from(sorted(SCALAR_FORMS)),
                 c=away_from_zero(0.25, 3))


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
def amax_case(draw, values=distinct_arrays) -> Case:
    case = reduction_case(draw, shapes(), values)
    return Case(case.args, {**case.kwargs, "name": draw(st.sampled_from(["amax", "amin"])),
                            "form": draw(st.sampled_from(["x.f", "torch.f"]))})


def amax(m, F, x, dim, keepdim, name, form):
    dim = () if dim is None else dim  # (every dim: torch's default)
    return getattr(x, name)(dim, keepdim) if form == "x.f" else getattr(m, name)(x, dim, keepdim)


SUM_ORDS, SVD_ORDS = ["fro", 1, -1, math.inf, -math.inf], ["nuc", 2, -2]


def _smooth_matrix_norm(a, ord):
    """No tie among the sums (or singular values) the norm picks from, none near 0."""
    if ord in (1, -1, math.inf, -math.inf):
        sums = np.abs(a).sum(axis=0 if abs(ord) == 1 else 1)
        return np.all(np.diff(np.sort(sums)) > 1e-3) and np.all(np.abs(a) > 1e-3)
    s = np.linalg.svd(a, compute_uv=False)
    return np.all(np.diff(s) < -1e-3) and s[-1] > 1e-3


@st.composite
def matrix_norm_case(draw, ords) -> Case:
    ord = draw(st.sampled_from(ords))
    a = draw(shapes(2, 2).flatmap(distinct_arrays).filter(lambda a: _smooth_matrix_norm(a, ord)))
    return Case((a,), {"ord": ord, "form": draw(st.sampled_from(["norm", "matrix_norm"]))})


def matrix_norm(m, F, a, ord, form):
    return m.linalg.norm(a, ord) if form == "norm" else m.linalg.matrix_norm(a, ord)


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


@st.composite
def class_options_case(draw, elements, smoothing=False) -> Case:
    """classification_case with torch's options: class weights, an ``ignore_index`` that some
    targets may hold (not the first: a mean over no sample is NaN, which finite differences
    cannot check), and (``smoothing``, for cross_entropy) label smoothing."""
    n, c = draw(st.integers(1, 5)), draw(st.integers(2, 5))
    ignore_index = draw(st.sampled_from([-100, -1, 0, c - 1, c]))
    target = draw(hnp.arrays(np.int64, n, elements=st.integers(0, c - 1) | st.just(ignore_index)))
    target[0] = draw(st.integers(0, c - 1).filter(lambda k: k != ignore_index))
    kwargs = {"weight": draw(st.none() | arrays((c,), floats(0.25, 3))),
              "ignore_index": ignore_index, "reduction": draw(REDUCTIONS)}
    if smoothing:
        kwargs["label_smoothing"] = draw(st.sampled_from([0.0, 0.1, 0.5, 1.0]))
    return Case((draw(arrays((n, c), elements)), target), kwargs)


def class_options(name):
    """F.nll_loss or F.cross_entropy called with the options of class_options_case."""
    def fn(m, F, x, t, weight, **kwargs):
        return getattr(F, name)(x, t, None if weight is None else m.tensor(weight), **kwargs)
    return fn


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

# ----------------------------------------------------------------- values for kinked ops
#
# Ops with kinks (abs, clamp, maximum, norm, ...) are checked by finite differences only where
# they are smooth: there the inputs lie on a grid of step 1/16 and the points they are compared
# with (clamp's bounds, maximum's other operand) off it by 1/32 or 1/64, so no value is within
# 1/64 of a kink, far more than gradcheck's step of 1e-6.

GRID = st.integers(-32, 32).map(lambda i: i / 16)  # [-2, 2] in steps of 1/16
OFF_GRID = GRID.map(lambda v: v + 1 / 32)
OFF_OFF_GRID = GRID.map(lambda v: v + 1 / 64)
TIES = st.integers(-1, 1).map(float)  # few values: many ties, zeros
# divisors of OFF_GRID's values whose quotients stay at least 1/100 from every integer
DIVISORS = st.sampled_from([0.7, -0.7, 1.3, -1.3])


def broadcastable_to(shape: tuple) -> st.SearchStrategy[tuple]:
    """Shapes that broadcast to ``shape`` without changing it (an in-place operand's)."""
    return st.integers(0, len(shape)).flatmap(
        lambda k: st.tuples(*[st.sampled_from([n, 1]) for n in shape[k:]]))


def kinked_pair(a_elements, b_elements, **kwargs) -> st.SearchStrategy[Case]:
    return broadcast_shapes().flatmap(lambda ss: case_of(
        arrays(ss[0], a_elements), arrays(ss[1], b_elements), **kwargs))


def clamp(m, F, x, lo, hi, form):
    if form == "x.clamp(lo, hi)":
        return x.clamp(lo, hi)
    if form == "torch.clamp":
        return m.clamp(x, min=lo, max=hi)
    if form == "x.clip":
        return x.clip(lo, hi)
    return x.clamp_min(lo) if hi is None else x.clamp_max(hi)  # "clamp_min/clamp_max"


@st.composite
def clamp_case(draw, values=GRID, bounds=OFF_GRID) -> Case:
    lo, hi = draw(st.one_of(
        st.tuples(bounds, bounds), st.tuples(bounds, st.none()), st.tuples(st.none(), bounds)))
    forms_ = ["x.clamp(lo, hi)", "torch.clamp", "x.clip"]
    if lo is None or hi is None:
        forms_.append("clamp_min/clamp_max")
    return Case((draw(arrays(draw(shapes()), values)),),
                {"lo": lo, "hi": hi, "form": draw(st.sampled_from(forms_))})


@st.composite
def clamp_tensor_case(draw, values=GRID, lo=OFF_GRID, hi=OFF_OFF_GRID) -> Case:
    # tensor bounds get gradients too; lo > hi is allowed (the result is hi). The bounds
    # broadcast to x's shape: torch's backward fails when they would enlarge it.
    shape = draw(shapes())
    bounds = [draw(arrays(draw(broadcastable_to(shape)), e)) for e in (lo, hi)]
    return Case((draw(arrays(shape, values)), *bounds),
                {"form": draw(st.sampled_from(["x.clamp(lo, hi)", "torch.clamp"]))})


def clamp_tensor(m, F, x, lo, hi, form):
    return x.clamp(lo, hi) if form == "x.clamp(lo, hi)" else m.clamp(x, min=lo, max=hi)


EXTREMUM_FORMS = {
    "torch.maximum": lambda m, a, b: m.maximum(a, b),
    "a.maximum(b)": lambda m, a, b: a.maximum(b),
    "a.max(b)": lambda m, a, b: a.max(b),
    "torch.minimum": lambda m, a, b: m.minimum(a, b),
    "a.minimum(b)": lambda m, a, b: a.minimum(b),
    "a.min(b)": lambda m, a, b: a.min(b),
}


def extremum_case(which: str, a_elements=GRID, b_elements=OFF_GRID):
    names = sorted(k for k in EXTREMUM_FORMS if which in k)
    return kinked_pair(a_elements, b_elements, form=st.sampled_from(names))


def extremum(m, F, a, b, form):
    return EXTREMUM_FORMS[form](m, a, b)


@st.composite
def where_case(draw) -> Case:
    cond_shape, a_shape, b_shape = draw(broadcast_shapes(3))
    cond = draw(hnp.arrays(np.bool_, cond_shape))
    form = draw(st.sampled_from(["where(c, a, b)", "where(c, a, 0.5)", "where(c, -1.5, b)"]))
    return Case((cond, draw(arrays(a_shape)), draw(arrays(b_shape))), {"form": form})


def where(m, F, cond, a, b, form):
    if form == "where(c, a, 0.5)":
        return m.where(cond, a, 0.5)  # b unused: no gradient (None) on either engine
    if form == "where(c, -1.5, b)":
        return m.where(cond, -1.5, b)
    return m.where(cond, a, b)


@st.composite
def masked_fill_case(draw) -> Case:
    shape = draw(shapes())
    mask = draw(hnp.arrays(np.bool_, draw(broadcastable_to(shape))))
    return Case((draw(arrays(shape)), mask), {"value": draw(floats(-3, 3))})


@st.composite
def gather_case(draw) -> Case:
    """An input and an index of places along a dim, no larger than the input in the other
    dims; places may repeat (their gradients add up)."""
    shape = draw(shapes(1))
    dim = draw(dims_of(len(shape)))
    index_shape = tuple(draw(st.integers(1, MAX_SIDE if d == dim % len(shape) else n))
                        for d, n in enumerate(shape))
    index = draw(hnp.arrays(np.int64, index_shape,
                            elements=st.integers(0, shape[dim] - 1)))
    return Case((draw(arrays(shape)),), {"dim": dim, "index": index})


@st.composite
def scatter_case(draw, add) -> Case:
    """An input, a src of its shape and an index of places along a dim; for scatter (not
    add) each place along the dim once (one of two src elements written to one place would
    be lost, its derivative 0 by finite differences, torch's formula still gives it g)."""
    shape = draw(shapes(1))
    dim = draw(dims_of(len(shape)))
    size = shape[dim]
    if add:
        index = draw(hnp.arrays(np.int64, shape, elements=st.integers(0, size - 1)))
    else:
        order = np.array(draw(st.permutations(range(size))))
        along = [-1 if k == dim % len(shape) else 1 for k in range(len(shape))]
        index = np.broadcast_to(order.reshape(along), shape).copy()
    return Case((draw(arrays(shape)), draw(arrays(shape))), {"dim": dim, "index": index})


@st.composite
def std_correction_case(draw) -> Case:
    shape = draw(shapes(1).filter(lambda s: math.prod(s) >= 3))
    correction = draw(st.sampled_from([0, 1, 2]))
    # at least two values, and more than the correction: distinct values, nonzero spread
    dim = draw(dim_args(len(shape)).filter(
        lambda d: reduced_count(shape, d) >= max(2, correction + 1)))
    return Case((draw(distinct_arrays(shape)),),
                {"dim": dim, "correction": correction, "keepdim": draw(st.booleans())})


# distinct magnitudes, nonzero, random signs: |x| has a unique largest and smallest element
@st.composite
def distinct_magnitudes(draw, shape) -> np.ndarray:
    n = math.prod(shape)
    mags = draw(st.lists(st.integers(1, 80), min_size=n, max_size=n, unique=True))
    signs = draw(st.lists(st.sampled_from([-1, 1]), min_size=n, max_size=n))
    return (np.array(mags, dtype=np.float64) * signs / 16).reshape(shape)


# p = 'fro' means a vector 2-norm over dim (None, one dim or two dims), as in torch.norm
NORM_ORDS = [2, "fro", 1, math.inf, 3, 1.5, 0.5, -1]


@st.composite
def norm_case(draw, ords=NORM_ORDS, values=distinct_magnitudes) -> Case:
    shape = draw(shapes())
    p = draw(st.sampled_from(ords))
    forms_ = ["x.norm", "torch.norm"]
    if p != "fro":
        forms_ += ["linalg.vector_norm"] + (["linalg.norm(dim=int)"] if shape else [])
    form = draw(st.sampled_from(forms_))
    if form == "linalg.norm(dim=int)":
        dim = draw(dims_of(len(shape)))
    elif p == "fro":  # torch.norm's 'fro' is a matrix norm: at most two dims
        dim = draw(dim_args(len(shape)).filter(lambda d: not isinstance(d, tuple) or len(d) <= 2))
    else:
        dim = draw(dim_args(len(shape)))
    return Case((draw(values(shape)),), {"p": p, "dim": dim, "keepdim": draw(st.booleans()),
                                         "form": form})


def norm(m, F, x, p, dim, keepdim, form):
    if form == "x.norm":
        return x.norm(p, dim, keepdim)
    if form == "torch.norm":
        return m.norm(x, p, dim, keepdim)
    if form == "linalg.vector_norm":
        return m.linalg.vector_norm(x, p, dim, keepdim)
    return m.linalg.norm(x, p, dim, keepdim)


def norm_kink_values(shape) -> st.SearchStrategy[np.ndarray]:
    """Mostly zeros (zero norms along some or all of dim), with ties in |x|."""
    return arrays(shape, st.sampled_from([0.0, 0.0, 0.0, 1.0, -1.0, 2.0]))


@st.composite
def select_dim_case(draw, values=distinct_arrays) -> Case:
    shape = draw(shapes(1))
    return Case((draw(values(shape)),), {"dim": draw(dims_of(len(shape))),
                                         "keepdim": draw(st.booleans()),
                                         "form": draw(st.sampled_from(["x.f(dim)[0]", ".values",
                                                                       "torch.f"]))})


def select_dim(name):
    def fn(m, F, x, dim, keepdim, form):
        if form == "torch.f":
            return getattr(m, name)(x, dim, keepdim).values
        result = getattr(x, name)(dim, keepdim=keepdim)
        return result[0] if form == "x.f(dim)[0]" else result.values

    return fn


def reduce_all_case(values=distinct_arrays) -> st.SearchStrategy[Case]:
    return shapes().flatmap(lambda s: case_of(values(s), form=st.sampled_from(["x.f()",
                                                                               "torch.f"])))


def reduce_all(name):
    return lambda m, F, x, form: getattr(x, name)() if form == "x.f()" else getattr(m, name)(x)


@st.composite
def cat_case(draw) -> Case:
    shape = draw(shapes(1))
    dim = draw(dims_of(len(shape)))
    d = dim % len(shape)
    parts = [draw(arrays(shape[:d] + (draw(st.integers(1, MAX_SIDE)),) + shape[d + 1:]))
             for _ in range(draw(st.integers(1, 3)))]
    return Case(tuple(parts), {"dim": dim, "form": draw(st.sampled_from(
        ["cat(list)", "cat(tuple)", "concat", "cat(dim=)"]))})


def cat(m, F, *xs, dim, form):
    if form == "cat(list)":
        return m.cat(list(xs), dim)
    if form == "concat":
        return m.concat(xs, dim)
    return m.cat(xs, dim=dim)


@st.composite
def stack_case(draw) -> Case:
    shape = draw(shapes())
    parts = [draw(arrays(shape)) for _ in range(draw(st.integers(1, 3)))]
    return Case(tuple(parts), {"dim": draw(st.integers(-len(shape) - 1, len(shape)))})


@st.composite
def permute_case(draw) -> Case:
    shape = draw(shapes(1))
    n = len(shape)
    order = draw(st.permutations(range(n)))
    dims = tuple(draw(st.sampled_from([d, d - n])) for d in order)
    form = draw(st.sampled_from(["x.permute(*dims)", "x.permute(dims)", "torch.permute"]))
    return Case((draw(arrays(shape)),), {"dims": dims, "form": form})


def permute(m, F, x, dims, form):
    if form == "x.permute(*dims)":
        return x.permute(*dims)
    return x.permute(dims) if form == "x.permute(dims)" else m.permute(x, dims)


def unsqueeze_case() -> st.SearchStrategy[Case]:
    return shapes().flatmap(lambda s: case_of(
        arrays(s), dim=st.integers(-len(s) - 1, len(s)),
        form=st.sampled_from(["x.unsqueeze", "torch.unsqueeze"])))


@st.composite
def squeeze_case(draw) -> Case:
    shape = draw(shapes())
    n = max(len(shape), 1)
    dim = draw(st.none() | st.integers(-n, n - 1) | st.lists(
        st.integers(0, n - 1), min_size=1, max_size=n, unique=True).map(tuple))
    return Case((draw(arrays(shape)),), {"dim": dim})


def squeeze(m, F, x, dim):
    return x.squeeze() if dim is None else x.squeeze(dim)


@st.composite
def flatten_case(draw) -> Case:
    shape = draw(shapes())
    if not shape:
        return Case((draw(arrays(shape)),), {"start": 0, "end": -1})
    n = len(shape)
    start, end = sorted([draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))])
    return Case((draw(arrays(shape)),), {"start": draw(st.sampled_from([start, start - n])),
                                         "end": draw(st.sampled_from([end, end - n]))})


@st.composite
def expand_case(draw) -> Case:
    shape = draw(shapes())
    lead = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    sizes = lead + tuple(draw(st.sampled_from([1, 2, 3, -1] if n == 1 else [n, -1]))
                         for n in shape)
    # torch's x.expand() with no size is a TypeError: no sizes go as a tuple
    form = draw(st.sampled_from(["x.expand(*sizes)"] * bool(sizes) + ["x.expand(sizes)",
                                                                      "x.expand_as"]))
    return Case((draw(arrays(shape)),), {"sizes": sizes, "form": form})


def expand(m, F, x, sizes, form):
    if form == "x.expand(*sizes)":
        return x.expand(*sizes)
    if form == "x.expand(sizes)":
        return x.expand(sizes)
    shape = sizes[:len(sizes) - x.ndim] + tuple(
        n if s == -1 else s for s, n in zip(sizes[len(sizes) - x.ndim:], x.shape))
    return x.expand_as(m.zeros(shape, dtype=x.dtype))


@st.composite
def diag_case(draw) -> Case:
    shape = draw(shapes(1, 2))
    k = draw(st.integers(-3, 3) if len(shape) == 1 else st.integers(-shape[0] - 1, shape[1] + 1))
    return Case((draw(arrays(shape)),), {"k": k, "form": draw(st.sampled_from(
        ["torch.diag", "x.diag"]))})


def diag(m, F, x, k, form):
    return m.diag(x, k) if form == "torch.diag" else x.diag(k)


def product_case(shape_pairs) -> st.SearchStrategy[Case]:
    side = st.integers(1, MAX_SIDE)
    return st.tuples(side, side, side).flatmap(lambda nkm: case_of(
        *[arrays(s) for s in shape_pairs(*nkm)], form=st.sampled_from(["torch.f", "a.f(b)"])))


def product(name):
    return lambda m, F, a, b, form: getattr(m, name)(a, b) if form == "torch.f" else \
        getattr(a, name)(b)


EINSUMS = {  # equation: operand shapes from three sides n, k, m
    "ij,jk->ik": lambda n, k, m: [(n, k), (k, m)], "ij,ij->": lambda n, k, m: [(n, k)] * 2,
    "ii->i": lambda n, k, m: [(n, n)], "ij->ji": lambda n, k, m: [(n, k)],
    "bij,bjk->bik": lambda n, k, m: [(n, k, m), (n, m, k)], "i,j": lambda n, k, m: [(n,), (k,)],
    "...i,i->...": lambda n, k, m: [(n, m, k), (k,)], "iij->j": lambda n, k, m: [(n, n, k)],
    "ij,jk,kl->il": lambda n, k, m: [(n, k), (k, m), (m, n)],
    "ij,j->": lambda n, k, m: [(n, 1), (k,)],
}


def einsum_case() -> st.SearchStrategy[Case]:
    side = st.integers(1, MAX_SIDE)
    return st.tuples(st.sampled_from(sorted(EINSUMS)), side, side, side).flatmap(
        lambda e: case_of(*[arrays(s) for s in EINSUMS[e[0]](*e[1:])], equation=st.just(e[0])))


# ----------------------------------------------------------------------------- SVD
#
# U and V are unique only up to the sign of each singular pair (and, for equal singular values,
# a rotation among their vectors), so only functions of U, S, Vh that those choices leave alone
# are compared: S, the rank-1 part s_1 u_1 v_1^T, projections U_k diag(w) U_k^T, ... and on
# matrices whose singular values are at least 1/2 and 1/4 apart, where those are smooth.

@st.composite
def svd_matrices(draw) -> np.ndarray:
    batch = draw(st.sampled_from([(), (), (2,)]))
    m, n = draw(st.integers(1, MAX_SIDE)), draw(st.integers(1, MAX_SIDE))
    k = min(m, n)
    u = np.linalg.qr(draw(arrays(batch + (m, m))))[0][..., :k]  # Householder: always orthogonal
    v = np.linalg.qr(draw(arrays(batch + (n, n))))[0][..., :k]
    s = np.array([sorted(draw(st.lists(st.integers(2, 16), min_size=k, max_size=k, unique=True)),
                         reverse=True) for _ in range(math.prod(batch))]).reshape(batch + (k,))
    return (u * (s / 4)[..., None, :]) @ np.swapaxes(v, -1, -2)


SVD_FORMS = {
    # S alone, by every spelling
    "linalg.svdvals": lambda m, a: m.linalg.svdvals(a),
    "linalg.svd(full).S": lambda m, a: m.linalg.svd(a).S,
    "linalg.svd(reduced)[1]": lambda m, a: m.linalg.svd(a, full_matrices=False)[1],
    "svd(a)[1]": lambda m, a: m.svd(a)[1],
    # the leading singular triple: s_1 u_1 v_1^T (u_1 v_1^T is sign-invariant)
    "rank-1 of linalg.svd(full)": lambda m, a: rank_one(*m.linalg.svd(a)),
    "rank-1 of linalg.svd(reduced)": lambda m, a: rank_one(
        *m.linalg.svd(a, full_matrices=False)),
    "rank-1 of svd (V, not Vh)": lambda m, a: (lambda u, s, v: rank_one(u, s, v.mT))(*m.svd(a)),
    "rank-1 of svd(some=False)": lambda m, a: (lambda u, s, v: rank_one(u, s, v.mT))(
        *m.svd(a, some=False)),
    # U alone, V alone, and all three: U_k diag(w) U_k^T, V_k diag(w) V_k^T, U_k diag(S^2) Vh_k
    "U_k diag(w) U_k^T": lambda m, a: projection(m.linalg.svd(a)[0], min(a.shape[-2:]), -1),
    "V_k diag(w) V_k^T": lambda m, a: projection(m.linalg.svd(a)[2], min(a.shape[-2:]), -2),
    "U_k diag(S^2) Vh_k": lambda m, a: (lambda u, s, vh: (u[..., :s.shape[-1]] * s[..., None, :]
                                                          ** 2) @ vh[..., :s.shape[-1], :])(
        *m.linalg.svd(a)),
}


def rank_one(u, s, vh):
    return s[..., :1, None] * (u[..., :, :1] @ vh[..., :1, :])


def projection(q, k, along):
    """q_k diag(1, 2, ..., k) q_k^T for the first k = min(m, n) singular vectors (a full U's
    other columns are an arbitrary basis, whose gradient torch documents it ignores)."""
    if along == -1:
        qk = q[..., :k]
        return (qk * q.new_tensor(np.arange(1.0, k + 1))) @ qk.mT
    qk = q[..., :k, :]
    return (qk.mT * q.new_tensor(np.arange(1.0, k + 1))) @ qk


def svd_case() -> st.SearchStrategy[Case]:
    return case_of(svd_matrices(), form=st.sampled_from(sorted(SVD_FORMS)))


def svd(m, F, a, form):
    return SVD_FORMS[form](m, a)


SVD_ONCE = ("tinyad's SVD backward is once_differentiable (a numpy formula; torch's "
            "linalg_svd can be differentiated twice): see test_linalg.py for its error")


@st.composite
def qr_matrices(draw) -> np.ndarray:
    """m >= n, full column rank: singular values in [1/2, 4] (R is invertible)."""
    n = draw(st.integers(1, MAX_SIDE))
    m = draw(st.integers(n, MAX_SIDE))
    u = np.linalg.qr(draw(arrays((m, m))))[0][:, :n]
    v = np.linalg.qr(draw(arrays((n, n))))[0]
    s = np.array(draw(st.lists(st.integers(2, 16), min_size=n, max_size=n))) / 4
    return (u * s) @ v.T


# Q and R are unique up to the signs of R's diagonal (Q -> Q D, R -> D R): functions they leave
# alone
QR_FORMS = {
    "Q diag(w) Q^T": lambda m, a: (lambda q, r: (q * q.new_tensor(
        np.arange(1.0, q.shape[-1] + 1))) @ q.mT)(*m.linalg.qr(a)),
    "R^T diag(w) R": lambda m, a: (lambda q, r: r.mT @ (r * r.new_tensor(
        np.arange(1.0, r.shape[-1] + 1))[:, None]))(*m.linalg.qr(a)),
    "Q diag(R)": lambda m, a: (lambda q, r: q * m.diag(r))(
        *m.linalg.qr(a)),
}


def qr_case() -> st.SearchStrategy[Case]:
    return case_of(qr_matrices(), form=st.sampled_from(sorted(QR_FORMS)))


@st.composite
def prod_case(draw) -> Case:
    shape = draw(shapes())
    dim = draw(st.none() | (dims_of(len(shape)) if shape else st.none()))
    return Case((draw(arrays(shape, st.sampled_from([0.0, 0.5, -1.5, 2.0]) | GRID)),),
                {"dim": dim, "keepdim": draw(st.booleans()),
                 "form": draw(st.sampled_from(["x.prod", "torch.prod"]))})


def prod(m, F, x, dim, keepdim, form):
    f = x.prod if form == "x.prod" else lambda *a, **k: m.prod(x, *a, **k)
    return f() if dim is None else f(dim, keepdim=keepdim)


# ----------------------------------------------------------------------------- losses and F

PROBABILITIES = st.integers(1, 31).map(lambda i: i / 32)  # in (0, 1), away from the ends


@st.composite
def bce_case(draw) -> Case:
    shape = draw(shapes())
    x = draw(arrays(shape, PROBABILITIES))
    weight = draw(st.none() | broadcastable_to(shape).flatmap(lambda s: arrays(s, floats(0, 3))))
    return Case((x,), {"target": draw(arrays(shape, floats(0, 1))), "weight": weight,
                       "reduction": draw(REDUCTIONS)})


def bce(m, F, x, target, weight, reduction):
    weight = None if weight is None else m.tensor(weight)
    return F.binary_cross_entropy(x, m.tensor(target), weight=weight, reduction=reduction)


@st.composite
def bce_logits_case(draw, wide=False) -> Case:
    """Logits in [-10, 10], no pos_weight; ``wide``: logits up to +-800 and a pos_weight."""
    shape = draw(shapes())
    x = draw(arrays(shape, floats(-10, 10) | st.sampled_from([50.0, -50.0, 800.0, -800.0])
                    if wide else floats(-10, 10)))

    def weights():
        return broadcastable_to(shape).flatmap(lambda s: arrays(s, floats(0.25, 3)))

    return Case((x, draw(arrays(shape, floats(0, 1)))),
                {"weight": draw(st.none() | weights()),
                 "pos_weight": draw(weights()) if wide else None, "reduction": draw(REDUCTIONS)})


def bce_logits(m, F, x, t, weight, pos_weight, reduction):
    def const(w):
        return None if w is None else m.tensor(w)

    return F.binary_cross_entropy_with_logits(x, t, weight=const(weight),
                                              pos_weight=const(pos_weight), reduction=reduction)


@st.composite
def linear_case(draw) -> Case:
    batch = draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=MAX_SIDE))
    n_in, n_out = draw(st.integers(1, MAX_SIDE)), draw(st.integers(1, MAX_SIDE))
    bias = draw(st.none() | arrays((n_out,)))
    return Case((draw(arrays(batch + (n_in,))), draw(arrays((n_out, n_in))), bias))


@st.composite
def normalize_case(draw) -> Case:
    shape = draw(shapes(1))
    return Case((draw(arrays(shape, away_from_zero(0.25, 3))),),
                {"p": draw(st.sampled_from([2.0, 1.0, 3.0])), "dim": draw(dims_of(len(shape)))})


def leaky_relu_case(values=None) -> st.SearchStrategy[Case]:
    values = away_from_zero(0.01, 5) if values is None else values
    return unary(values, slope=st.sampled_from([None, 0.01, 0.2, 1.5, -0.3]))


def leaky_relu(m, F, x, slope):
    return F.leaky_relu(x) if slope is None else F.leaky_relu(x, slope)


# ----------------------------------------------------------------------------- in place

def _set(index):
    def fn(y, a, b, c):
        y[index] = a
        return y
    return fn


def _iop(op):
    def fn(y, a, b, c):
        if op == "+=":
            y += a
        elif op == "-=":
            y -= a
        elif op == "*=":
            y *= a
        else:
            y /= a
        return y
    return fn


# name -> (number of tensor operands, fn(y, a, b, c) on y = x.clone()); the operands broadcast
# to x's shape, c is a scalar in +-[0.25, 3], x's elements are on GRID and nonzero
INPLACE = {
    "add_": (1, lambda y, a, b, c: y.add_(a)),
    "add_(alpha)": (1, lambda y, a, b, c: y.add_(a, alpha=c)),
    "add_(scalar)": (0, lambda y, a, b, c: y.add_(c)),
    "sub_(alpha)": (1, lambda y, a, b, c: y.sub_(a, alpha=c)),
    "mul_": (1, lambda y, a, b, c: y.mul_(a)),
    "mul_(scalar)": (0, lambda y, a, b, c: y.mul_(c)),
    "div_": (1, lambda y, a, b, c: y.div_(a)),
    "+=": (1, _iop("+=")), "-=": (1, _iop("-=")), "*=": (1, _iop("*=")), "/=": (1, _iop("/=")),
    "pow_(2)": (0, lambda y, a, b, c: y.pow_(2)),
    "addcmul_": (2, lambda y, a, b, c: y.addcmul_(a, b, value=c)),
    "addcdiv_": (2, lambda y, a, b, c: y.addcdiv_(a, b, value=c)),
    "lerp_": (1, lambda y, a, b, c: y.lerp_(a, c)),
    "clamp_": (0, lambda y, a, b, c: y.clamp_(-1 - 1 / 32, 1 + 1 / 32)),
    "clamp_(min=)": (0, lambda y, a, b, c: y.clamp_(min=1 / 32)),
    "masked_fill_": (0, lambda y, a, b, c: y.masked_fill_(y.detach() > 0, c)),
    "zero_": (0, lambda y, a, b, c: y.zero_()),
    "fill_": (0, lambda y, a, b, c: y.fill_(c)),
    "exp_": (0, lambda y, a, b, c: y.exp_()),
    "sin_().cos_()": (0, lambda y, a, b, c: y.sin_().cos_()),
    "tanh_": (0, lambda y, a, b, c: y.tanh_()),
    "sigmoid_": (0, lambda y, a, b, c: y.sigmoid_()),
    "neg_": (0, lambda y, a, b, c: y.neg_()),
    "relu_": (0, lambda y, a, b, c: y.relu_()),
    "abs_().sqrt_()": (0, lambda y, a, b, c: y.abs_().sqrt_()),
    "abs_().log_()": (0, lambda y, a, b, c: y.abs_().log_()),
    "copy_": (1, lambda y, a, b, c: y.copy_(a)),
    "[...] = a": (1, _set(...)),
}


@st.composite
def inplace_case(draw) -> Case:
    shape = draw(shapes())
    name = draw(st.sampled_from(sorted(INPLACE)))
    operands = [draw(arrays(draw(broadcastable_to(shape)), away_from_zero(0.25, 2)))
                for _ in range(INPLACE[name][0])]
    return Case((draw(arrays(shape, GRID.filter(lambda v: v != 0))), *operands),
                {"form": name, "c": draw(away_from_zero(0.25, 3))})


def inplace(m, F, x, *operands, form, c):
    """x.clone(), changed in place: the result's history is the in-place op's."""
    a, b = (list(operands) + [None, None])[:2]
    return INPLACE[form][1](x.clone(), a, b, c)


@st.composite
def basic_index(draw, shape):
    return tuple(index_part(draw, n) for n in shape[: draw(st.integers(1, len(shape)))])


@st.composite
def inplace_view_case(draw, empty=False) -> Case:
    """An empty view (a known disagreement) only with ``empty``."""
    shape = draw(shapes(1))
    index = (slice(0, 0),) if empty else draw(basic_index(shape).filter(
        lambda i: np.empty(shape)[i].size > 0))
    view_shape = np.empty(shape)[index].shape
    form = draw(st.sampled_from(["mul_", "add_", "copy_", "zero_", "clamp_"]))
    v = draw(arrays(draw(broadcastable_to(view_shape)), away_from_zero(0.25, 2)))
    return Case((draw(arrays(shape, GRID)), v), {"index": index, "form": form,
                                                 "read": draw(st.booleans())})


def inplace_view(m, F, x, v, index, form, read):
    """y = x * 2 changed in place through a view y[index] (CopySlices): y, or y and the view."""
    y = x * 2
    view = y[index]
    if form == "clamp_":
        view.clamp_(-1 - 1 / 32, 1 + 1 / 32)
    elif form == "zero_":
        view.zero_()
    else:
        getattr(view, form)(v)
    return y + view.sum() * 0.5 if read else y


@st.composite
def setitem_case(draw) -> Case:
    shape = draw(shapes(1))
    kind = draw(st.sampled_from(["basic", "int array", "bool mask"]))
    if kind == "basic":
        index = tuple(index_part(draw, n) for n in shape[: draw(st.integers(1, len(shape)))])
    elif kind == "int array":  # no repeats: which of two writes wins is unspecified in torch
        n = shape[0]
        index = np.array(draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=n,
                                       unique_by=lambda i: i % n)))
    else:
        index = draw(hnp.arrays(np.bool_, shape[: draw(st.integers(1, len(shape)))]))
    target = np.empty(shape)[index].shape
    value = draw(st.none() | floats(-3, 3))  # None: a tensor that requires grad
    vs = () if value is not None else (draw(arrays(draw(broadcastable_to(target)))),)
    return Case((draw(arrays(shape)), *vs), {"index": index, "value": value})


def setitem(m, F, x, *v, index, value):
    y = x.clone()
    y[m.tensor(index) if isinstance(index, np.ndarray) else index] = v[0] if v else value
    return y


KEPT_FROM_3 = floats(-2.9, 2.9) | floats(3.1, 6) | floats(-6, -3.1)


def robust_loss_case(name, a_elements, b_elements) -> st.SearchStrategy[Case]:
    """smooth_l1_loss's and huber_loss's inputs, with their beta or delta (on GRID and
    OFF_GRID, |a - b| stays 1/32 from every multiple of 1/16: from the kinks)."""
    return shapes().flatmap(lambda s: case_of(
        arrays(s, a_elements), arrays(s, b_elements), reduction=REDUCTIONS,
        **{name: st.sampled_from([0.5, 1.0, 2.0])}))


def l1_case(a_elements, b_elements) -> st.SearchStrategy[Case]:
    return shapes().flatmap(lambda s: case_of(arrays(s, a_elements), arrays(s, b_elements),
                                              reduction=REDUCTIONS))


OPS = [
    Op("add", binary(), lambda m, F, a, b: a + b),
    Op("sub", binary(), lambda m, F, a, b: a - b),
    Op("mul", binary(), lambda m, F, a, b: a * b),
    Op("div", binary(b_elements=away_from_zero(0.5, 3)), lambda m, F, a, b: a / b),
    Op("neg", unary(), lambda m, F, x: -x),
    Op("scalar_operand", scalar_case(),
       lambda m, F, x, form, c: SCALAR_FORMS[form](x, c)),
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
    Op("silu", unary(SIGMOID_VALUES), lambda m, F, x: F.silu(x)),
    # (kept from the bounds -1, 1 and 0, 6, where hardtanh's gradient jumps)
    Op("hardtanh", unary(st.sampled_from([-2.5, -0.5, 0.5, 3.0, 7.0]) | floats(0.05, 0.9)),
       lambda m, F, x: F.hardtanh(x) + F.relu6(x * 3)),
    Op("logsigmoid", unary(SIGMOID_VALUES), lambda m, F, x: F.logsigmoid(x)),
    # (kept from 0, where softsign's second derivative jumps)
    Op("softmin_softsign_tanhshrink", along_dim_case(away_from_zero(0.1, 5)),
       lambda m, F, x, dim: F.softmin(x, dim) + F.softsign(x) + F.tanhshrink(x), fd_atol=1e-6),
    Op("gelu", unary(floats(-5, 5) | st.sampled_from([30.0, -30.0])).flatmap(lambda c: case_of(
        *map(st.just, c.args), approximate=st.sampled_from(["none", "tanh"]))),
       lambda m, F, x, approximate: F.gelu(x, approximate=approximate)),
    elementwise("erf", floats(-4, 4), functional=False),
    # (kept from -3 and 3, where their gradients jump; torch has no second derivative of
    # hardsigmoid)
    Op("hardsigmoid", unary(KEPT_FROM_3), lambda m, F, x: F.hardsigmoid(x),
       once_differentiable="torch's hardsigmoid has no second derivative"),
    Op("hardswish", unary(KEPT_FROM_3), lambda m, F, x: F.hardswish(x)),
    Op("mish", unary(floats(-10, 10) | st.sampled_from([30.0, -30.0])),
       lambda m, F, x: F.mish(x)),
    # (kept from 0, where their second derivatives jump)
    Op("selu_celu", unary(away_from_zero(0.05, 5)).flatmap(lambda c: case_of(
        *map(st.just, c.args), alpha=st.sampled_from([0.5, 1.0, 2.0]))),
       lambda m, F, x, alpha: F.selu(x) + F.celu(x, alpha)),
    Op("cumsum", along_dim_case(None), lambda m, F, x, dim: m.cumsum(x, dim)),
    # (no tiny elements: torch's double backward loses them to underflow, 1e-92 is 0 there)
    Op("cumprod", along_dim_case(away_from_zero(0.25, 2)), lambda m, F, x, dim: x.cumprod(dim)),
    # (zeros: the gradient is made of the products of the others, not out / x)
    Op("cumprod_with_zeros", along_dim_case(st.sampled_from([0.0, 1.5, -0.5])
                                            | away_from_zero(0.25, 2)),
       lambda m, F, x, dim: m.cumprod(x, dim)),
    # (a kept from 0: atan2 jumps from pi to -pi across b < 0; hypot has a kink at the origin)
    Op("atan2", binary(away_from_zero(0.25, 2), None).flatmap(lambda c: case_of(
        *map(st.just, c.args), form=st.booleans())),
       lambda m, F, a, b, form: a.atan2(b) if form else m.atan2(a, b)),
    Op("hypot", binary(away_from_zero(0.25, 2), None), lambda m, F, a, b: m.hypot(a, b)),
    Op("xlogy", binary(None, floats(0.25, 2)).flatmap(
        lambda c: case_of(*map(st.just, c.args), form=st.booleans())),
       lambda m, F, a, b, form: a.xlogy(b) if form else m.xlogy(a, b)),
    # (a and b kept from 0: the gradient jumps there, and the value with b's sign)
    Op("copysign", binary(away_from_zero(0.25, 2), away_from_zero(0.25, 2)).flatmap(
        lambda c: case_of(*map(st.just, c.args), form=st.booleans())),
       lambda m, F, a, b, form: a.copysign(b) if form else m.copysign(a, b)),
    Op("logaddexp", binary(floats(-5, 5), floats(-5, 5)), lambda m, F, a, b: a.logaddexp(b)),
    Op("lerp", binary().flatmap(lambda c: case_of(*map(st.just, c.args),
                                                  weight=floats(-1, 2))),
       lambda m, F, a, b, weight: m.lerp(a, b, weight)),
    Op("add_alpha", binary().flatmap(lambda c: case_of(*map(st.just, c.args),
                                                       alpha=st.sampled_from([2, 0.5, -1.5]))),
       lambda m, F, a, b, alpha: a.add(b, alpha=alpha)),
    Op("sub_alpha", binary().flatmap(lambda c: case_of(*map(st.just, c.args),
                                                       alpha=st.sampled_from([2, 0.5, -1.5]))),
       lambda m, F, a, b, alpha: m.sub(a, b, alpha=alpha)),
    Op("addcmul", broadcast_shapes(3).flatmap(lambda ss: case_of(
        *[arrays(s) for s in ss], value=st.sampled_from([1, 0.5, -2.0]))),
       lambda m, F, a, b, c, value: a.addcmul(b, c, value=value)),
    Op("addcdiv", broadcast_shapes(3).flatmap(lambda ss: case_of(
        arrays(ss[0]), arrays(ss[1]), arrays(ss[2], away_from_zero(0.5, 2)),
        value=st.sampled_from([1, 0.5, -2.0]))),
       lambda m, F, a, b, c, value: m.addcdiv(a, b, c, value=value)),
    Op("lerp_tensor_weight", broadcast_shapes(3).flatmap(lambda ss: case_of(
        *[arrays(s) for s in ss])), lambda m, F, a, b, w: a.lerp(b, w)),
    elementwise("nan_to_num", floats(-5, 5), functional=False),
    Op("tril", shapes(2).flatmap(lambda s: case_of(arrays(s), diagonal=st.integers(-2, 2),
                                                   upper=st.booleans())),
       lambda m, F, x, diagonal, upper: x.triu(diagonal) if upper else x.tril(diagonal)),
    Op("roll", shapes(1).flatmap(lambda s: case_of(arrays(s), dim=dims_of(len(s)),
                                                   shift=st.integers(-4, 4))),
       lambda m, F, x, dim, shift: x.roll(shift, dim)),
    Op("diagonal", shapes(2).flatmap(lambda s: case_of(arrays(s), offset=st.integers(-2, 2)))
       .filter(lambda c: c.args[0].ndim >= 2),
       lambda m, F, x, offset: x.diagonal(offset, -1, 0)),
    Op("diff", shapes(1).flatmap(lambda s: case_of(arrays(s), n=st.integers(1, 2),
                                                   dim=dims_of(len(s)))),
       lambda m, F, x, n, dim: x.diff(n, dim)),
    Op("index_select", shapes(1).flatmap(lambda s: dims_of(len(s)).flatmap(
        lambda d: case_of(arrays(s), dim=st.just(d), index=hnp.arrays(
            np.int64, st.integers(0, 4), elements=st.integers(0, s[d] - 1))))),
       lambda m, F, x, dim, index: x.index_select(dim, m.tensor(index))),
    Op("cov", shapes(1, 2).flatmap(lambda s: case_of(arrays(s), correction=st.sampled_from(
        [0, 1]))).filter(lambda c: c.args[0].shape[-1] > c.kwargs["correction"]),
       lambda m, F, x, correction: m.cov(x, correction=correction)),
    # (three observations or more: from two, every correlation is exactly +-1, its derivatives
    # are 0 and the engines' results only rounding noise, which grows with the values)
    Op("corrcoef", shapes(2, 2).flatmap(lambda s: case_of(distinct_arrays(s)))
       .filter(lambda c: c.args[0].shape[-1] > 2),
       lambda m, F, x: m.corrcoef(x), fd_atol=1e-6),
    Op("bmm", st.tuples(*[st.integers(1, 3)] * 4).flatmap(lambda s: case_of(
        arrays((s[0], s[1], s[2])), arrays((s[0], s[2], s[3])))),
       lambda m, F, a, b: m.bmm(a, b)),
    # the division family: the quotient a / b kept away from the integers where it jumps
    Op("remainder", binary(OFF_GRID, DIVISORS), lambda m, F, a, b: a % b),
    Op("fmod", binary(OFF_GRID, DIVISORS), lambda m, F, a, b: a.fmod(b)),
    Op("div_rounded", binary(OFF_GRID, DIVISORS).flatmap(lambda c: case_of(
        *map(st.just, c.args), rounding_mode=st.sampled_from(["floor", "trunc"]))),
       lambda m, F, a, b, rounding_mode: a.div(b, rounding_mode=rounding_mode)),
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
    Op("nll_loss_options", class_options_case(floats(-5, 5)), class_options("nll_loss")),
    Op("cross_entropy_options", class_options_case(WIDE, smoothing=True),
       class_options("cross_entropy"), fd_atol=1e-5),
    # elementwise, with kinks kept away from (see GRID)
    elementwise("sin", floats(-5, 5), functional=False),
    elementwise("cos", floats(-5, 5), functional=False),
    elementwise("abs", away_from_zero(0.01, 5), functional=False),
    elementwise("sign", away_from_zero(0.01, 5), functional=False),
    elementwise("log1p", floats(-0.9, 5), functional=False),
    elementwise("expm1", floats(-5, 5), functional=False),
    elementwise("rsqrt", floats(0.1, 10), functional=False),
    elementwise("tan", floats(-1.2, 1.2), functional=False),
    elementwise("asin", floats(-0.95, 0.95), functional=False),
    elementwise("acos", floats(-0.95, 0.95), functional=False),
    elementwise("atan", floats(-5, 5), functional=False),
    elementwise("sinh", floats(-5, 5), functional=False),
    elementwise("cosh", floats(-5, 5), functional=False),
    elementwise("asinh", floats(-5, 5), functional=False),
    elementwise("acosh", floats(1.05, 5), functional=False),
    elementwise("atanh", floats(-0.95, 0.95), functional=False),
    elementwise("exp2", floats(-5, 5), functional=False),
    elementwise("log2", floats(0.1, 10), functional=False),
    elementwise("log10", floats(0.1, 10), functional=False),
    # steps: off the grid, no value is an integer, a half or (x 10) a half
    elementwise("floor", OFF_GRID, functional=False),
    elementwise("ceil", OFF_GRID, functional=False),
    elementwise("trunc", OFF_GRID, functional=False),
    elementwise("round", OFF_GRID, functional=False),
    elementwise("frac", OFF_GRID, functional=False),
    Op("round_decimals", unary(OFF_GRID), lambda m, F, x: x.round(decimals=1)),
    Op("clamp", clamp_case(), clamp),
    Op("clamp_tensor_bounds", clamp_tensor_case(), clamp_tensor),
    Op("maximum", extremum_case("max"), extremum),
    Op("minimum", extremum_case("min"), extremum),
    Op("where", where_case(), where),
    Op("masked_fill", masked_fill_case(), lambda m, F, x, mask, value: x.masked_fill(mask, value)),
    Op("masked_select", masked_fill_case(), lambda m, F, x, mask, value: x.masked_select(mask)),
    Op("index_fill", shapes(1).flatmap(lambda s: dims_of(len(s)).flatmap(lambda d: case_of(
        arrays(s), arrays(()), dim=st.just(d), index=hnp.arrays(
            np.int64, st.integers(0, 3), elements=st.integers(0, s[d] - 1))))),  # (negative:
       # torch's backward to the value fails, test_torch_parity)
       lambda m, F, x, v, dim, index: x.index_fill(dim, m.tensor(index), v)),
    Op("gather", gather_case(), lambda m, F, x, dim, index: x.gather(dim, m.tensor(index))),
    Op("scatter", scatter_case(add=False),
       lambda m, F, x, src, dim, index: x.scatter(dim, m.tensor(index), src)),
    Op("scatter_value", scatter_case(add=False),
       lambda m, F, x, src, dim, index: m.scatter(x * src, dim, m.tensor(index), -1.5)),
    Op("scatter_add", scatter_case(add=True),
       lambda m, F, x, src, dim, index: m.scatter_add(x, dim, m.tensor(index), src)),
    Op("leaky_relu", leaky_relu_case(), leaky_relu),
    # reductions
    Op("std_correction", std_correction_case(),
       lambda m, F, x, dim, correction, keepdim: x.std(dim, correction=correction,
                                                       keepdim=keepdim)),
    Op("norm", norm_case(), norm),
    Op("min_all", reduce_all_case(), reduce_all("min")),
    Op("max_all_function", reduce_all_case(), reduce_all("max")),
    Op("max_dim_keepdim", select_dim_case(), select_dim("max")),
    Op("amax_amin", amax_case(), amax),
    Op("min_dim", select_dim_case(), select_dim("min")),
    Op("median_all", reduce_all_case(), reduce_all("median")),
    Op("median_dim", select_dim_case(), select_dim("median")),
    # shapes
    Op("cat", cat_case(), cat),
    Op("stack", stack_case(), lambda m, F, *xs, dim: m.stack(xs, dim)),
    Op("permute", permute_case(), permute),
    Op("unsqueeze", unsqueeze_case(),
       lambda m, F, x, dim, form: x.unsqueeze(dim) if form == "x.unsqueeze"
       else m.unsqueeze(x, dim)),
    Op("squeeze", squeeze_case(), squeeze),
    Op("flatten", flatten_case(), lambda m, F, x, start, end: x.flatten(start, end)),
    Op("expand", expand_case(), expand),
    Op("diag", diag_case(), diag),
    # products and linear algebra
    Op("dot", product_case(lambda n, k, m: [(k,), (k,)]), product("dot")),
    Op("mm", product_case(lambda n, k, m: [(n, k), (k, m)]), product("mm")),
    Op("mv", product_case(lambda n, k, m: [(n, k), (k,)]), product("mv")),
    Op("einsum", einsum_case(), lambda m, F, *operands, equation: m.einsum(equation, *operands)),
    Op("svd", svd_case(), svd, once_differentiable=SVD_ONCE),
    Op("qr", qr_case(), lambda m, F, a, form: QR_FORMS[form](m, a), once_differentiable=(
        "tinyad's QR backward is once_differentiable (torch's linalg_qr can be differentiated "
        "twice)")),
    # with zeros, repeated: the gradient is the product of the others, not prod / x
    Op("prod", prod_case(), prod),
    # nn.functional
    Op("l1_loss", l1_case(GRID, OFF_GRID),
       lambda m, F, a, b, reduction: F.l1_loss(a, b, reduction=reduction)),
    Op("smooth_l1_loss", robust_loss_case("beta", GRID, OFF_GRID),
       lambda m, F, a, b, reduction, beta: F.smooth_l1_loss(a, b, reduction=reduction,
                                                           beta=beta)),
    Op("huber_loss", robust_loss_case("delta", GRID, OFF_GRID),
       lambda m, F, a, b, reduction, delta: F.huber_loss(a, b, reduction=reduction,
                                                        delta=delta)),
    Op("binary_cross_entropy", bce_case(), bce),
    Op("binary_cross_entropy_with_logits", bce_logits_case(), bce_logits, fd_atol=1e-5),
    Op("binary_cross_entropy_with_logits_pos_weight", bce_logits_case(wide=True), bce_logits,
       fd_atol=1e-5),
    Op("linear", linear_case(), lambda m, F, x, w, b: F.linear(x, w, b)),
    Op("normalize", normalize_case(), lambda m, F, x, p, dim: F.normalize(x, p, dim)),
    Op("cosine_similarity", shapes(1).flatmap(lambda s: case_of(
        arrays(s, away_from_zero(0.25, 3)), arrays(s, away_from_zero(0.25, 3)),
        dim=dims_of(len(s)))),
       lambda m, F, a, b, dim: F.cosine_similarity(a, b, dim)),
    Op("linalg_matrix_norm", matrix_norm_case(SUM_ORDS), matrix_norm),
    Op("linalg_matrix_norm_of_singular_values", matrix_norm_case(SVD_ORDS), matrix_norm,
       once_differentiable=SVD_ONCE),
    # item assignment and in-place ops (on a clone, or on a view of a non-leaf)
    Op("setitem", setitem_case(), setitem),
    Op("inplace", inplace_case(), inplace),
    Op("inplace_on_view", inplace_view_case(), inplace_view),
    # fixed disagreements, kept as their own entries
    Op("norm_ord_-inf", norm_case([-math.inf]), norm),
    # (targets inside (0, 1): a finite difference must not step outside, which torch refuses)
    Op("binary_cross_entropy_target_grad", shapes().flatmap(lambda s: case_of(
        arrays(s, PROBABILITIES), arrays(s, PROBABILITIES), reduction=REDUCTIONS)),
       lambda m, F, x, t, reduction: F.binary_cross_entropy(x, t, reduction=reduction)),
    Op("inplace_on_an_empty_view", inplace_view_case(empty=True).filter(
        lambda c: c.kwargs["form"] in ("mul_", "add_", "copy_")), inplace_view),
]
TORCH_OPS = [op for op in OPS if op.vs_torch]
# At inputs where an op is not differentiable the engine must follow torch's convention;
# finite differences do not apply there, so these are compared with torch only.
KINK_OPS = [
    # a full max splits the gradient evenly among tied maxima
    Op("max_all_with_ties", unary(st.integers(-1, 1).map(float)), lambda m, F, x: x.max()),
    # relu'(0) = 0
    Op("relu_at_zero", unary(st.sampled_from([0.0, 1.0, -1.0])), lambda m, F, x: F.relu(x)),
    # |x|'(0) = 0, sign'(x) = 0
    Op("abs_at_zero", unary(TIES), lambda m, F, x: x.abs()),
    Op("sign_at_zero", unary(TIES), lambda m, F, x: x.sign()),
    # clamp passes the gradient at its bounds (lo <= x <= hi)
    Op("clamp_at_bounds", clamp_case(values=TIES, bounds=TIES), clamp),
    # maximum and minimum split the gradient evenly between tied operands
    Op("maximum_with_ties", extremum_case("max", TIES, TIES), extremum),
    Op("minimum_with_ties", extremum_case("min", TIES, TIES), extremum),
    # min() splits the gradient evenly among tied minima; max(dim) and min(dim) give it to the
    # index they return, which on torch's CPU kernel is the first extremum (as numpy's argmax)
    Op("min_all_with_ties", reduce_all_case(lambda s: arrays(s, TIES)), reduce_all("min")),
    # amax and amin split the gradient evenly among tied extrema along their dims
    Op("amax_amin_with_ties", amax_case(lambda s: arrays(s, TIES)), amax),
    Op("max_dim_with_ties", select_dim_case(lambda s: arrays(s, TIES)), select_dim("max")),
    Op("min_dim_with_ties", select_dim_case(lambda s: arrays(s, TIES)), select_dim("min")),
    # a norm's gradient is 0 where the norm is 0; p = inf shares it among tied largest |x|
    Op("norm_at_zero_and_ties", norm_case([2, "fro", 1, math.inf, 3], norm_kink_values), norm),
    # leaky_relu'(0) is the slope (x > 0 is false there)
    Op("leaky_relu_at_zero", leaky_relu_case(TIES), leaky_relu),
    # hardsigmoid's and hardswish's gradients at -3 and 3 (torch's sides), smooth_l1_loss's
    # and huber_loss's second derivative at |a - b| = beta (0, as torch's)
    Op("hardsigmoid_hardswish_at_kinks", unary(st.sampled_from([-3.0, 3.0, 0.0, -4.0])),
       lambda m, F, x: F.hardsigmoid(x) + F.hardswish(x),
       once_differentiable="torch's hardsigmoid has no second derivative"),
    Op("smooth_l1_huber_at_kinks", robust_loss_case("beta", GRID, GRID),
       lambda m, F, a, b, reduction, beta: F.smooth_l1_loss(a, b, reduction=reduction, beta=beta)
       + F.huber_loss(a, b, reduction=reduction, delta=beta)),
    # l1_loss'(0) = sign(0) = 0
    Op("l1_loss_at_ties", l1_case(TIES, TIES),
       lambda m, F, a, b, reduction: F.l1_loss(a, b, reduction=reduction)),
    # fixed disagreements: tensor bounds pass the gradient to x at ties, as scalar bounds;
    # a one-element norm is |x| (no underflow); sgn(0) = 0 for p in (0, 2); ord 0 counts
    Op("clamp_tensor_bounds_at_ties", clamp_tensor_case(TIES, TIES, TIES), clamp_tensor),
    Op("norm_p_in_(0,2)_with_a_zero_entry",
       norm_case([1.5, 0.5], lambda s: arrays(s, st.sampled_from([0.0, 1.0, -2.0])))
       .filter(lambda c: np.any(c.args[0] == 0)), norm),
    Op("norm_ord_0", norm_case([0], norm_kink_values), norm),
    Op("norm_of_one_tiny_element", shapes(0, 3).filter(lambda s: math.prod(s) == 1).flatmap(
        lambda s: case_of(arrays(s, st.sampled_from([1.0, -2.0])),
                          p=st.sampled_from([2, "fro"]))),
       lambda m, F, x, p: (lambda s: (x * s).norm(p) / s)(
           1e-200 if x.dtype == m.float64 else 1e-30)),  # |x| computed at a tiny scale
    # where picks, and setitem overwrites, whatever the values
    Op("where_with_ties", shapes().flatmap(lambda s: case_of(
        hnp.arrays(np.bool_, s), arrays(s, TIES), arrays(s, TIES), form=st.just("where(c, a, b)"))),
       where),
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


def op_params(ops, second_order: bool = False):
    """``ops`` as pytest params; with ``second_order``, an op that the engine can differentiate
    only once is skipped, saying why."""
    import pytest

    params = []
    for op in ops:
        marks = []
        if second_order and op.once_differentiable:
            marks.append(pytest.mark.skip(reason=op.once_differentiable))
        params.append(pytest.param(op, id=op.name, marks=marks))
    return params


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
    * no gradient shares memory with another gradient, an input or the output, nor the
      upstream gradient's where torch's does not (torch keeps a view of it, made by views'
      gradients, as a leaf's gradient; tests/test_torch_parity.py checks that tinyad does).
    """
    import torch

    dtype = next(a.dtype for a in case.args if isinstance(a, np.ndarray) and a.dtype.kind == "f")
    rtol, default_atol = TOLERANCES[dtype]
    atol_scale = default_atol if atol_scale is None else atol_scale
    pristine = [a.copy() for a in case.args if isinstance(a, np.ndarray)]

    ref_out, ref_leaves, ref_upstream = evaluate(torch, ref_fn or fn, case, seed)
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
    for i, g in grads:
        kept = ref_leaves[i].grad.untyped_storage().data_ptr() == \
            ref_upstream.untyped_storage().data_ptr()
        assert kept or not np.shares_memory(g, raw(upstream)), \
            f"gradient of input {i} aliases the upstream gradient, torch's does not"
        others_here = others + [(f"gradient of input {j}", h) for j, h in grads if j != i]
        for what, other in others_here:
            assert not np.shares_memory(g, other), f"gradient of input {i} aliases {what}"
