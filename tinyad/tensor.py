"""Tensor: a numpy array with a gradient, a link to the op that made it, and torch's methods."""

import functools
from collections import namedtuple

import numpy as np

from . import ops
from .autograd import Version, _root_grad, _state, backward, run_backward

float32, float64, int64 = np.dtype("float32"), np.dtype("float64"), np.dtype("int64")

MaxResult = namedtuple("max", ["values", "indices"])


def _check_float(dtype):
    if dtype.kind != "f":
        raise RuntimeError(
            f"only tensors of floating point dtype can require gradients, but this one is "
            f"{dtype}; convert it first, e.g. x.float().requires_grad_()")


def _unwrap(x):
    return x.data if type(x) is Tensor else x


def _promote(t, other):
    """Where numpy's type promotion differs from torch's, follow torch: a numpy scalar stays
    weak like a Python one, an integer or bool tensor meets a Python float as float32 (the
    default dtype), and between a float and an integer tensor the float's dtype wins."""
    if type(other) is Tensor:
        if t.data.dtype is not other.data.dtype:
            if t.data.dtype.kind == "f" and other.data.dtype.kind in "biu":
                other = other.to(t.data.dtype)
            elif other.data.dtype.kind == "f" and t.data.dtype.kind in "biu":
                t = t.to(other.data.dtype)
        return t, other
    if isinstance(other, np.generic):
        other = other.item()
    if type(other) is float and t.data.dtype.kind in "biu":
        t = t.float()
    return t, other


class Tensor:
    """An n-dimensional array that can record the ops applied to it and backpropagate.

    ``data`` is the numpy array; ``grad`` the accumulated gradient (a Tensor, or None);
    ``grad_fn`` the Node of the op that produced it (None for leaves).
    """

    __slots__ = ("data", "grad", "_requires_grad", "grad_fn", "_version", "name", "__weakref__")

    def __init__(self, data, dtype=None, requires_grad=False, name=None):
        self.data = _as_array(data, dtype)
        self.grad = None
        self.grad_fn = None
        self._version = Version()
        self.name = name
        self._requires_grad = False
        if requires_grad:
            self.requires_grad = True

    @classmethod
    def _wrap(cls, array):
        """A leaf around an existing array, without checks or copies."""
        t = cls.__new__(cls)
        t.data, t.grad, t.grad_fn, t._requires_grad, t.name = array, None, None, False, None
        t._version = Version()
        return t

    # ------------------------------------------------------------------ attributes

    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value):
        if self.grad_fn is not None and not value:
            raise RuntimeError(
                "you can only change requires_grad of leaf tensors; use detach() to get a "
                "tensor that does not require grad")
        if value:
            _check_float(self.data.dtype)
        self._requires_grad = bool(value)

    def requires_grad_(self, requires_grad=True):
        self.requires_grad = requires_grad
        return self

    @property
    def is_leaf(self):
        return self.grad_fn is None

    @property
    def shape(self):
        return self.data.shape

    @property
    def dtype(self):
        return self.data.dtype

    @property
    def ndim(self):
        return self.data.ndim

    def size(self, dim=None):
        return self.data.shape if dim is None else self.data.shape[dim]

    def dim(self):
        return self.data.ndim

    def numel(self):
        return self.data.size

    def __len__(self):
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __repr__(self):
        body = np.array2string(self.data, separator=", ", prefix="tensor(", precision=4)
        extras = ""
        if self.data.dtype not in (float32, int64, np.bool_):
            extras += f", dtype={self.data.dtype}"
        if self.grad_fn is not None:
            extras += f", grad_fn={self.grad_fn!r}"
        elif self._requires_grad:
            extras += ", requires_grad=True"
        return f"tensor({body}{extras})"

    def __format__(self, spec):
        return format(self.item(), spec) if self.data.ndim == 0 else repr(self)

    __hash__ = object.__hash__

    # ------------------------------------------------------------------ conversion

    def item(self):
        if self.data.size != 1:
            raise RuntimeError(
                f"a tensor with {self.data.size} elements cannot be converted to a Python "
                f"number; item() needs exactly one")
        return self.data.item()

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __bool__(self):
        if self.data.size != 1:
            raise RuntimeError(
                f"the truth value of a tensor with {self.data.size} elements is ambiguous; "
                f"use .any() or .all()")
        return bool(self.data)

    def tolist(self):
        return self.data.tolist()

    def numpy(self):
        if self._requires_grad:
            raise RuntimeError(
                "can't call numpy() on a tensor that requires grad; use tensor.detach().numpy()")
        return self.data

    def __array__(self, dtype=None, copy=None):
        return self.numpy() if dtype is None else self.numpy().astype(dtype)

    def detach(self):
        t = Tensor._wrap(self.data)
        t._version = self._version  # shares memory, so shares the version counter
        return t

    def clone(self):
        return ops.Clone.apply(self)

    def to(self, dtype):
        dtype = np.dtype(dtype)
        return self if dtype == self.data.dtype else ops.Cast.apply(self, dtype)

    def float(self):
        return self.to(float32)

    def double(self):
        return self.to(float64)

    def long(self):
        return self.to(int64)

    # ------------------------------------------------------------------ autograd

    def backward(self, gradient=None, retain_graph=None, create_graph=False):
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad``."""
        if create_graph:
            return backward(self, gradient, retain_graph, create_graph)
        run_backward((self,), (_root_grad(self, gradient),), retain_graph)

    def zero_(self):
        self._check_inplace("zero_()")
        self.data[...] = 0
        self._version.value += 1
        return self

    def _check_inplace(self, what):
        if self._requires_grad and self.grad_fn is None and _state.enabled:
            raise RuntimeError(
                f"a leaf tensor that requires grad is used in an in-place operation ({what}); "
                f"do the update inside `with tinyad.no_grad():` (as for a hand-written "
                f"parameter update), or use an out-of-place op")

    # ------------------------------------------------------------------ operators

    def __add__(self, other):
        return ops.Add.apply(*_promote(self, other))

    def __radd__(self, other):
        t, other = _promote(self, other)
        return ops.Add.apply(other, t)

    def __sub__(self, other):
        return ops.Sub.apply(*_promote(self, other))

    def __rsub__(self, other):
        t, other = _promote(self, other)
        return ops.Sub.apply(other, t)

    def __mul__(self, other):
        return ops.Mul.apply(*_promote(self, other))

    def __rmul__(self, other):
        t, other = _promote(self, other)
        return ops.Mul.apply(other, t)

    def __truediv__(self, other):
        t, other = _promote(self if self.data.dtype.kind == "f" else self.float(), other)
        return ops.Div.apply(t, other)

    def __rtruediv__(self, other):
        t, other = _promote(self if self.data.dtype.kind == "f" else self.float(), other)
        return ops.Div.apply(other, t)

    def __pow__(self, other):
        return ops.Pow.apply(*_promote(self, other))

    def __rpow__(self, other):
        t, other = _promote(self, other)
        return ops.Pow.apply(other, t)

    def __matmul__(self, other):
        return ops.MatMul.apply(self, other)

    def __rmatmul__(self, other):
        return ops.MatMul.apply(other, self)

    def __neg__(self):
        return ops.Neg.apply(self)

    def _inplace(self, fn, ufunc, other, what):
        """``self op= other``: in place on the array, or by rebinding when it is in a graph."""
        self._check_inplace(what)
        if _state.enabled and (self._requires_grad or (type(other) is Tensor
                                                           and other._requires_grad)):
            # Part of a graph: compute out of place and make self the result, so that the
            # arrays saved for backward are left intact (views taken earlier keep old values).
            result = fn(self, other)
            if result.shape != self.shape:
                raise RuntimeError(
                    f"in-place {what}: the result has shape {result.shape} but the tensor has "
                    f"shape {self.shape}")
            self.data, self.grad_fn, self._requires_grad = result.data, result.grad_fn, True
            self._version = result._version
            return self
        try:
            ufunc(self.data, _unwrap(other), out=self.data)
        except ValueError:
            raise RuntimeError(
                f"in-place {what}: an operand of shape {np.shape(_unwrap(other))} cannot "
                f"broadcast to the tensor's shape {self.shape}") from None
        self._version.value += 1
        return self

    def __iadd__(self, other):
        return self._inplace(Tensor.__add__, np.add, other, "+=")

    def __isub__(self, other):
        return self._inplace(Tensor.__sub__, np.subtract, other, "-=")

    def __imul__(self, other):
        return self._inplace(Tensor.__mul__, np.multiply, other, "*=")

    def __itruediv__(self, other):
        return self._inplace(Tensor.__truediv__, np.true_divide, other, "/=")

    def __eq__(self, other):
        return _compare(np.equal, self, other)

    def __ne__(self, other):
        return _compare(np.not_equal, self, other)

    def __lt__(self, other):
        return _compare(np.less, self, other)

    def __le__(self, other):
        return _compare(np.less_equal, self, other)

    def __gt__(self, other):
        return _compare(np.greater, self, other)

    def __ge__(self, other):
        return _compare(np.greater_equal, self, other)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        """numpy hands ``array + tensor``, ``np.exp(tensor)``, ... to tinyad's ops."""
        if method == "__call__" and not kwargs and ufunc in _UFUNCS:
            return _UFUNCS[ufunc](*[x.item() if isinstance(x, np.generic) else x for x in inputs])
        if method == "reduce" and ufunc in _REDUCTIONS and type(inputs[0]) is Tensor:
            return _REDUCTIONS[ufunc].apply(inputs[0], kwargs.get("axis", 0),
                                            kwargs.get("keepdims", False))
        name = ufunc.__name__ if method == "__call__" else f"{ufunc.__name__}.{method}"
        return _plain_numpy(getattr(ufunc, method), inputs, kwargs, name)

    def __array_function__(self, func, types, args, kwargs):
        """numpy functions on tensors: ``np.sum(t, axis=1)`` and the like become tinyad's ops,
        so that backward formulas written with numpy also run on tensors (create_graph)."""
        if func in _FUNCTIONS:
            return _FUNCTIONS[func](*args, **kwargs)
        return _plain_numpy(func, args, kwargs, func.__name__)

    # ------------------------------------------------------------------ indexing and shape

    def __getitem__(self, index):
        if type(index) is tuple:
            index = tuple(_unwrap(i) for i in index)
        else:
            index = _unwrap(index)
        if type(index) is list:
            index = np.asarray(index)
        return ops.GetItem.apply(self, index)

    def __setitem__(self, index, value):
        if self._requires_grad and _state.enabled:
            if self.grad_fn is None:
                self._check_inplace("item assignment")
            raise RuntimeError(
                "item assignment into a tensor that is part of a graph is not supported; "
                "build the new tensor out of place (e.g. with arithmetic on a mask)")
        self.data[_unwrap(index)] = _unwrap(value)
        self._version.value += 1

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def reshape(self, *shape):
        if len(shape) == 1 and not isinstance(shape[0], int):
            shape = tuple(shape[0])
        return ops.Reshape.apply(self, shape)

    view = reshape

    def transpose(self, dim0, dim1):
        return ops.Transpose.apply(self, dim0, dim1)

    swapaxes = transpose

    def t(self):
        if self.data.ndim > 2:
            raise RuntimeError(
                f"t() expects a tensor with at most 2 dimensions, but this one has "
                f"{self.data.ndim}; use transpose(dim0, dim1)")
        return self if self.data.ndim < 2 else ops.Transpose.apply(self, 0, 1)

    @property
    def T(self):
        return self.t()

    @property
    def mT(self):
        """The last two dimensions swapped (a batch of matrices transposed)."""
        return ops.Transpose.apply(self, -2, -1)

    # ------------------------------------------------------------------ reductions

    def sum(self, dim=None, keepdim=False):
        return ops.Sum.apply(self, _dim(dim), keepdim)

    def mean(self, dim=None, keepdim=False):
        if self.data.dtype.kind != "f":
            raise RuntimeError(
                f"mean() needs a floating point tensor, got {self.data.dtype}; use x.float()")
        return ops.Mean.apply(self, _dim(dim), keepdim)

    def var(self, dim=None, unbiased=True, keepdim=False, *, correction=None):
        """Variance; unbiased (divides by n - 1) by default, as torch."""
        if correction is None:
            correction = 1 if unbiased else 0
        return ops.Var.apply(self, _dim(dim), correction, keepdim)

    def std(self, dim=None, unbiased=True, keepdim=False, *, correction=None):
        return self.var(dim, unbiased, keepdim, correction=correction).sqrt()

    def max(self, dim=None, keepdim=False):
        """The largest element; with ``dim``, (values, indices) along it."""
        if dim is None:
            return ops.Max.apply(self, None, False)
        return MaxResult(ops.Max.apply(self, dim, keepdim), self.argmax(dim, keepdim))

    def argmax(self, dim=None, keepdim=False):
        index = np.argmax(self.data, axis=dim, keepdims=keepdim)
        return Tensor._wrap(np.asarray(index, dtype=int64))

    # ------------------------------------------------------------------ elementwise

    def exp(self):
        return ops.Exp.apply(self)

    def log(self):
        return ops.Log.apply(self)

    def sqrt(self):
        return ops.Sqrt.apply(self)

    def tanh(self):
        return ops.Tanh.apply(self)

    def sigmoid(self):
        return ops.Sigmoid.apply(self)

    def relu(self):
        return ops.ReLU.apply(self)

    def pow(self, exponent):
        return self ** exponent

    def matmul(self, other):
        return ops.MatMul.apply(self, other)


def _compare(ufunc, a, b):
    """A comparison: a bool tensor outside the graph."""
    return Tensor._wrap(np.asarray(ufunc(_unwrap(a), _unwrap(b))))


def _dim(dim):
    return tuple(dim) if isinstance(dim, list) else dim


def _plain_numpy(func, args, kwargs, name):
    """A numpy function tinyad has no op for: fine on plain values, an error where a gradient
    would be lost."""
    def plain(x):
        if type(x) is Tensor:
            if x._requires_grad:
                raise TypeError(
                    f"numpy's {name} has no tinyad op, so it cannot "
                    f"be applied to a tensor that requires grad without losing the gradient; "
                    f"use tinyad's ops, or x.detach() if no gradient is wanted")
            return x.data
        if isinstance(x, (list, tuple)):
            return type(x)(plain(y) for y in x)
        return x
    return func(*[plain(a) for a in args], **{k: plain(v) for k, v in kwargs.items()})


def _expand_dims(a, axis):
    shape = list(a.shape)
    for d in sorted(np.atleast_1d(axis) % (a.ndim + np.size(axis))):
        shape.insert(int(d), 1)
    return ops.Reshape.apply(a, tuple(shape))


def _squeeze(a, axis=None):
    axes = range(a.ndim) if axis is None else [int(d) % a.ndim for d in np.atleast_1d(axis)]
    drop = {d for d in axes if a.shape[d] == 1}
    return ops.Reshape.apply(a, tuple(n for d, n in enumerate(a.shape) if d not in drop))


_UFUNCS = {
    np.add: ops.Add.apply, np.subtract: ops.Sub.apply, np.multiply: ops.Mul.apply,
    np.true_divide: ops.Div.apply, np.power: ops.Pow.apply, np.matmul: ops.MatMul.apply,
    np.negative: ops.Neg.apply, np.exp: ops.Exp.apply, np.log: ops.Log.apply,
    np.sqrt: ops.Sqrt.apply, np.tanh: ops.Tanh.apply,
    **{u: functools.partial(_compare, u) for u in (
        np.equal, np.not_equal, np.less, np.less_equal, np.greater, np.greater_equal)},
}

_REDUCTIONS = {np.add: ops.Sum, np.maximum: ops.Max}

_FUNCTIONS = {
    np.sum: lambda a, axis=None, keepdims=False: ops.Sum.apply(a, axis, keepdims),
    np.mean: lambda a, axis=None, keepdims=False: ops.Mean.apply(a, axis, keepdims),
    np.max: lambda a, axis=None, keepdims=False: ops.Max.apply(a, axis, keepdims),
    np.reshape: lambda a, shape: ops.Reshape.apply(a, shape),
    np.swapaxes: lambda a, axis1, axis2: ops.Transpose.apply(a, axis1, axis2),
    np.broadcast_to: lambda a, shape: ops.BroadcastTo.apply(a, tuple(shape)),
    np.expand_dims: _expand_dims,
    np.squeeze: _squeeze,
}


# ----------------------------------------------------------------------------- factories


def _as_array(data, dtype=None):
    """An array from Python data as torch.tensor does: Python floats become float32."""
    if type(data) is Tensor:
        data = data.data
    if isinstance(data, (np.ndarray, np.generic)):
        array = np.array(data, dtype=dtype)
    else:
        array = np.array(data, dtype=dtype)
        if dtype is None and array.dtype == float64:
            array = array.astype(float32)
    if array.dtype.kind not in "fiub":
        raise TypeError(f"tinyad tensors hold numbers or booleans, not {array.dtype} data")
    return array


def tensor(data, dtype=None, requires_grad=False):
    """A new leaf tensor holding a copy of ``data`` (Python floats become float32)."""
    return Tensor(data, dtype=dtype, requires_grad=requires_grad)


def from_numpy(array):
    """A tensor sharing memory with a numpy array, keeping its dtype."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy expects a numpy.ndarray, got {type(array).__name__}")
    return Tensor._wrap(array)


def _size(size):
    return tuple(size[0]) if len(size) == 1 and not isinstance(size[0], int) else size


def _factory(array, requires_grad):
    t = Tensor._wrap(array)
    if requires_grad:
        t.requires_grad = True
    return t


def zeros(*size, dtype=None, requires_grad=False):
    return _factory(np.zeros(_size(size), dtype=dtype or float32), requires_grad)


def ones(*size, dtype=None, requires_grad=False):
    return _factory(np.ones(_size(size), dtype=dtype or float32), requires_grad)


def zeros_like(t, dtype=None, requires_grad=False):
    return _factory(np.zeros(t.shape, dtype=dtype or t.dtype), requires_grad)


def ones_like(t, dtype=None, requires_grad=False):
    return _factory(np.ones(t.shape, dtype=dtype or t.dtype), requires_grad)


def arange(start, end=None, step=1, dtype=None, requires_grad=False):
    array = np.arange(start, end, step) if end is not None else np.arange(start)
    if dtype is None and array.dtype == float64:
        dtype = float32
    return _factory(array.astype(dtype) if dtype is not None else array, requires_grad)


_rng = np.random.default_rng()


def manual_seed(seed):
    """Seed the generator behind rand and randn (numpy's, so streams differ from torch's)."""
    global _rng
    _rng = np.random.default_rng(seed)


def rand(*size, dtype=None, requires_grad=False):
    """Uniform on [0, 1)."""
    return _factory(_rng.random(_size(size), dtype=np.dtype(dtype or float32)), requires_grad)


def randn(*size, dtype=None, requires_grad=False):
    """Standard normal."""
    array = _rng.standard_normal(_size(size), dtype=np.dtype(dtype or float32))
    return _factory(array, requires_grad)

