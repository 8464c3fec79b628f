"""Tensor: a numpy array with a gradient, a link to the op that made it, and torch's methods.

A tensor is a view onto an array (its storage). Views (basic indexing, reshape/view where numpy
can, t/transpose/permute, detach) share their base's storage and its version counter. An
in-place op writes into the storage, moves the counter, and, when a gradient is recorded,
becomes the tensor's ``grad_fn``; on a view it also rewrites the base's history (``CopySlices``).
``x.data`` is a tensor over the same storage that autograd does not see.
"""

import copy
import dis
import functools
import math
import numbers
import operator
import re
import sys
import weakref
from collections import namedtuple

import numpy as np

from . import _layout, _math, _stl, autograd, ops
from ._format import dtype_name, tensor_repr
from ._quiet import quiet_numpy
from ._warn import warn as _warn
from .autograd import (
    REPEATED_WRITE,
    ZERO_IMMUTABLE,
    InferenceVersion,
    Version,
    ZeroVersion,
    _counters,
    _guard,
    _multi_output_view_error,
    _Output,
    _rebuilt,
    _repeats,
    _root_grad,
    _same_owner,
    _state,
    _sync_view,
    _writable,
    backward,
    no_grad,
    run_backward,
    set_history,
)
from .ops import _broadcast_shape, _opmath, _places, _wrap_dim


class dtype:
    """A tensor's element type under torch's name (it prints as torch.float32). It stands for a
    numpy dtype: ``np.dtype(tinyad.float32)`` is numpy's float32, and the two compare equal."""

    __slots__ = ("dtype", "name")

    def __init__(self, name):
        self.dtype, self.name = np.dtype(name), name

    def __repr__(self):
        return "torch." + self.name

    def __eq__(self, other):
        try:
            return self.dtype == np.dtype(other)
        except TypeError:
            return False

    def __hash__(self):
        return hash(self.dtype)

    def __getattr__(self, name):  # kind, itemsize, char, ...: numpy's
        return getattr(self.dtype, name)

    @property
    def __numpy_dtype__(self):  # (what np.dtype(tinyad.float32) asks first, from numpy 2.4;
        return self.dtype  # through __getattr__ it raised an AttributeError, a microsecond)

    @property
    def is_floating_point(self):
        return self.dtype.kind == "f"

    @property
    def is_complex(self):
        return self.dtype.kind == "c"

    @property
    def is_signed(self):
        return self.dtype.kind in "if"


_DTYPES = {d.dtype: d for d in map(dtype, (
    "float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool"))}


def _dtype_of(array):
    """The tinyad dtype of a numpy array."""
    d = array.dtype
    found = _DTYPES.get(d)
    if found is None:
        found = _DTYPES[d] = dtype(d.name)
    return found


float16, float32, float64, int8, int16, int32, int64, uint8, bool_ = _DTYPES.values()

def return_type(name, fields):
    """A named tuple that prints as torch's: torch.return_types.NAME(field=..., ...)."""
    def __repr__(self):
        shown = ",\n".join(f"{field}={value!r}" for field, value in zip(fields, self))
        return f"torch.return_types.{name}(\n{shown})"

    return type(name, (namedtuple(name, fields),), {"__slots__": (), "__repr__": __repr__})


RESULTS = {name: return_type(name, ["values", "indices"]) for name in ("max", "min", "sort",
                                                                       "topk", "median")}
SVDResult = return_type("svd", ["U", "S", "V"])


class Size(tuple):
    """A shape, printed as torch prints it: torch.Size([2, 3])."""

    def __repr__(self):
        return f"torch.Size({list(self)})"

    def numel(self):
        return math.prod(self)

    # (a slice, a sum or a repeat of a Size is a Size, as torch's)
    def __getitem__(self, index):
        got = super().__getitem__(index)
        return Size(got) if type(index) is slice else got

    def __add__(self, other):
        if not isinstance(other, tuple):
            raise TypeError(f"can only concatenate tuple (not {type(other).__name__}) to "
                            f"torch.Size")
        return Size(tuple(self) + other)

    def __radd__(self, other):
        return Size(other + tuple(self))

    def __mul__(self, n):
        return Size(tuple(self) * n)

    __rmul__ = __mul__


class device:
    """Where a tensor lives: always the CPU for tinyad. ``device("cuda")`` can be named (code
    often builds one before checking for a GPU), but no tensor can be moved there."""

    def __init__(self, type="cpu", index=None):
        if isinstance(type, device):
            type, index = type.type, type.index
        name, _, number = str(type).partition(":")
        if name not in ("cpu", "cuda", "mps", "meta"):
            raise RuntimeError(f"Expected one of cpu, cuda, mps, meta device type at start of "
                               f"device string: {type}")
        self.type = name
        self.index = int(number) if number else index

    def __repr__(self):
        index = "" if self.index is None else f", index={self.index}"
        return f"device(type='{self.type}'{index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):
        other = device(other) if isinstance(other, str) else other
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    __hash__ = object.__hash__


CPU = device("cpu")


def _check_device(where):
    """Accept the CPU under any of torch's spellings; refuse a GPU with the reason."""
    if where is None:
        return
    name = where.type if isinstance(where, device) else (
        "cuda" if isinstance(where, int) else str(where).partition(":")[0])
    if name != "cpu":  # torch built without CUDA raises an AssertionError too
        raise AssertionError(
            f"tinyad runs on the CPU only and has no {name} device (as a torch not compiled "
            f"with CUDA enabled); leave the tensor on the CPU, e.g. device = 'cuda' if "
            f"torch.cuda.is_available() else 'cpu' picks 'cpu'")


_default = [np.dtype("float32")]  # the default float dtype (torch.get_default_dtype())


def get_default_dtype():
    """The dtype of tensors made from Python floats, and of float factories (float32)."""
    return _DTYPES[_default[0]]


def set_default_dtype(dtype):
    """Make Python floats and float factories use ``dtype`` (float32 or float64)."""
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError("only floating-point types are supported as the default type")
    _default[0] = dtype


def _check_float(dtype):
    if dtype.kind != "f":
        raise RuntimeError(
            f"only Tensors of floating point dtype can require gradients, but this one is "
            f"{dtype_name(dtype)}; convert it first, e.g. x.float().requires_grad_()")


def _unwrap(x):
    return x._data if isinstance(x, Tensor) else x


def _floating(t):
    """``t`` itself if it holds floats; integers and bools become the default float dtype, as
    torch computes exp, sin, sigmoid, ... of them."""
    return t if t._data.dtype.kind == "f" else _promoted(t, _default[0])


def _promote(t, other, scalar_kernel=False):
    """Where numpy's type promotion differs from torch's, follow torch: Python and numpy scalars
    and 0-d tensors are weak (they do not widen a tensor of their kind), an integer or bool
    tensor meets a Python float in the default dtype, and a float tensor beats an integer one.
    ``scalar_kernel`` (products and divisions): a float16 t's ``other`` of one element stays in
    its dtype, as torch's kernel reads its original value (ops.by_number)."""
    if isinstance(other, Tensor):
        a, b = t._data, other._data
        if scalar_kernel and a.dtype is _F16 and b.size == 1 and b.dtype.kind in "biuf" and (
                b.dtype.kind != "f" or a.ndim and not b.ndim):  # (where the result is float16)
            return t, other
        if a.dtype is not b.dtype:
            ka, kb = _KIND[a.dtype.kind], _KIND[b.dtype.kind]
            if ka == kb and (a.ndim == 0) != (b.ndim == 0):  # the 0-d one is weak
                if a.ndim == 0:
                    t = _promoted(t, b.dtype)
                else:
                    other = _promoted(other, a.dtype)
            elif ka == 2 and kb < 2:
                other = _promoted(other, a.dtype)
            elif kb == 2 and ka < 2:
                t = _promoted(t, b.dtype)
        return t, other
    if not isinstance(other, _OPERANDS):
        raise _operand_error(other)
    if isinstance(other, np.generic):
        other = _number(other)
    if type(other) is float and t._data.dtype.kind in "biu":
        t = _promoted(t, _default[0])
    elif type(other) is int:
        other = _int_beside(other, t)
    return t, other


_OPERANDS = (np.ndarray, np.generic, int, float)  # (and tensors)


def _operand_error(x, who="an operator"):
    """The TypeError for an operand of arithmetic or a comparison that is not one."""
    if isinstance(x, complex):
        return TypeError(f"{who} was given the complex number {x}: tinyad has no complex "
                         f"tensors")
    return TypeError(f"{who}: a tensor's operand must be a tensor or a real number, not "
                     f"{_type_name(x)}")


def _number(scalar):
    """A numpy scalar as the Python number torch reads it as: its value, and a bool a float
    (tensor([1, 2]) + np.bool_(True) is float32 in torch)."""
    return float(scalar) if isinstance(scalar, np.bool_) else scalar.item()


def _wrapped(number, dtype):
    """An int as an integer tensor's operand: torch casts it to the tensor's dtype, wrapping
    around where it does not fit (uint8: -1 is 255), where numpy refuses it."""
    info = np.iinfo(dtype)
    if info.min <= number <= info.max:
        return number
    return np.array(_int_operand(number) % 2**64, dtype=np.uint64).astype(dtype)[()]


def _int_beside(number, t):
    """An int operand beside the tensor t: wrapped into t's dtype if that is an integer one,
    else checked as the 64-bit integer torch reads."""
    dtype = t._data.dtype
    return _wrapped(number, dtype) if dtype.kind in "iu" else _int_operand(number, dtype.kind)


def _int_operand(number, kind="f", hint=" (an integer operand must lie in [-2**63, 2**64))"):
    """An int operand of arithmetic or a comparison with a tensor of dtype kind ``kind``:
    torch reads it as a 64-bit integer, signed or not, and refuses one that is neither, as
    Python's conversions do (and with a bool tensor, an unsigned one)."""
    if kind == "b" and 2**63 <= number < 2**64:
        raise RuntimeError("Promotion for uint16, uint32, uint64 types is not supported, "
                           "attempted to promote Bool and UInt64")
    if number < -2**63:
        raise OverflowError("can't convert negative int to unsigned" + hint)
    if number >= 2**64:
        raise OverflowError("int too big to convert" + hint)
    return number


def _common_dtype(*tensors):
    """The dtype torch's type promotion gives an op of several tensors: those with dims decide
    it, and 0-d ones only where they are of a higher kind (float over integer)."""
    def promoted(dtypes):
        return functools.reduce(lambda a, b: np.dtype(promote_types(a, b)), dtypes) \
            if dtypes else None
    dim = promoted([t._data.dtype for t in tensors if t._data.ndim])
    zero = promoted([t._data.dtype for t in tensors if not t._data.ndim])
    if dim is None or zero is None or _KIND[zero.kind] <= _KIND[dim.kind]:
        return zero if dim is None else dim
    return promoted([dim, zero])


def _promoted(t, dtype):
    """t converted to ``dtype`` for an op, and only for an op (Function.apply). torch's op
    takes t itself and converts in its kernel: here the copy records nothing of its own but
    knows t (``_cast_of``), so that the op's edge and history are t's (the engine converts the
    gradient to t's dtype) and backward converts t's values again after a change autograd
    does not see (through ``.data``); it shares t's version counter, so that an op that saves
    it sees t changed in place."""
    converted = Tensor._wrap(_layout.astype(t._data, dtype))
    converted._counter, converted._cast_of = t._counter, t
    return converted


def _converted(t, dtype):
    """t for an op that converts it to ``dtype`` in its kernel, as sum(dtype=...) does: torch
    records no ToCopyBackward0 between the op and t."""
    dtype = np.dtype(dtype)
    return t if t._data.dtype == dtype else _promoted(t, dtype)


_KIND = {"b": 0, "u": 1, "i": 1, "f": 2, "c": 3}
_BOOL = np.dtype(bool)
_F16 = np.dtype(np.float16)


def _missing_argument(who, what):
    """torch's TypeError for a call without an argument it needs (x.view(), zeros())."""
    return TypeError(f'{who}() missing 1 required positional arguments: "{what}"')


def _keyword_sizes(name, keyword, args, kwargs):
    """The sizes (or dims) of a method that takes them as varargs, given by keyword instead:
    torch takes one sequence so (x.view(size=(2, 3)), x.permute(dims=[1, 0]))."""
    if args or set(kwargs) != {keyword}:
        raise TypeError(f"{name}() received an invalid combination of arguments - got "
                        f"{len(args)} positional and {sorted(kwargs)} keyword arguments, but "
                        f"expected one of ({keyword}) or (*{keyword})")
    value = kwargs[keyword]
    if not isinstance(value, (tuple, list)):
        raise TypeError(f"{name}(): argument '{keyword}' must be tuple of ints, not "
                        f"{type(value).__name__}")
    return (value,)


def _dims(dim):
    """A reduction's dim as numpy wants it: None for all, an int, or a tuple (torch reduces
    every dim for an empty list)."""
    if isinstance(dim, (list, tuple)):  # (torch's parser takes True as 1 after the first)
        return tuple(int(d) if k and isinstance(d, bool) or isinstance(d, np.integer) else d
                     for k, d in enumerate(dim)) if len(dim) else None
    if isinstance(dim, (bool, np.bool_)):
        raise TypeError("argument 'dim' must be int, not bool")
    return int(dim) if isinstance(dim, np.integer) else dim


class _EveryDim:
    """sum's and mean's default dim, told apart from a dim given as None: torch names the
    node of the overload with a dim (SumBackward1), whatever the dim, even None."""

    def __repr__(self):
        return "None"


EVERY_DIM = _EveryDim()


class _Unset:
    """A default told apart from the same value given: torch's overloads take some arguments
    only together (keepdim with a dim), so ``x.mean(keepdim=False)`` is refused."""

    def __init__(self, value):
        self.value = value

    def __repr__(self):
        return repr(self.value)


KEEPDIM, UNBIASED = _Unset(False), _Unset(True)


def _given(value):
    """An argument's value, its default's where it was not given (an _Unset)."""
    return value.value if type(value) is _Unset else value


def _stable_keyword(function, name=None):
    """sort and argsort bound as torch binds them: with ``stable=`` given, dim and descending
    are keywords too, and stable is a bool (sort's may be None); three positionals are refused
    (torch's two signatures: (dim=-1, descending=False) and (*, stable, dim=-1,
    descending=False))."""
    name = name or function.__name__

    @functools.wraps(function)
    def bound(input, *args, **kwargs):
        stable = kwargs.get("stable", False)
        if len(args) > 2 or "stable" in kwargs and (args or not (
                type(stable) is bool or stable is None and name == "sort")):
            raise TypeError(f"{name}() received an invalid combination of arguments: it takes "
                            f"{name}(dim=-1, descending=False) or {name}(*, stable, dim=-1, "
                            f"descending=False), stable a bool (with stable=, give dim= and "
                            f"descending= as keywords)")
        return function(input, *args, **{**kwargs, "stable": bool(stable)})
    bound.__name__ = bound.__qualname__ = name
    return bound


class Tensor:
    """An n-dimensional array that can record the ops applied to it and backpropagate.

    ``grad`` is the accumulated gradient (a Tensor, or None); ``grad_fn`` the Node of the op
    that produced it (None for leaves); ``data`` the same values outside autograd's sight.
    The numpy array itself is ``_data``.
    """

    __slots__ = ("_data", "_grad", "_requires_grad", "_grad_fn", "_counter", "name", "_base",
                 "_cast_of", "_view_src", "_view_nograd", "_view_at", "_view_multi",
                 "_retains_grad", "_accumulator", "__dict__", "__weakref__")
    # (__dict__: as torch's, a tensor takes attributes of the user's own, t.note = ...)

    def __init__(self, *args, dtype=None, requires_grad=False, name=None):
        """torch.Tensor's legacy constructor: ``Tensor(data)`` holds a copy of data in the
        default dtype, ``Tensor(2, 3)`` is 2x3 (zeros here). Use ``tinyad.tensor(data)`` to
        keep the data's own kind."""
        if all(type(a) is int for a in args):
            array = np.zeros(args or (0,), dtype=dtype or _default[0])
        elif len(args) == 1:
            array = _as_array(args[0], dtype or _default[0])
        else:
            raise TypeError("Tensor() takes data (a list, an array, a tensor) or sizes (ints)")
        self._data = array
        self._grad = self._grad_fn = self._base = self._cast_of = None
        self._counter = InferenceVersion() if autograd._inferring and _state.inference \
            else Version()
        self.name = name
        self._requires_grad = False
        if requires_grad:
            self.requires_grad = True

    @classmethod
    def _of(cls, data, dtype=None, requires_grad=False):
        """A new leaf holding a copy of ``data`` (Python floats become the default dtype)."""
        t = cls._wrap(_as_array(data, dtype))
        if requires_grad:
            t.requires_grad = True
        return t

    @classmethod
    def _wrap(cls, array):
        """A leaf around an existing array, without checks or copies."""
        t = cls.__new__(cls)
        t._data, t._grad, t._grad_fn, t._requires_grad, t.name, t._base, t._cast_of = (
            array, None, None, False, None, None, None)
        t._counter = InferenceVersion() if autograd._inferring and _state.inference \
            else Version()
        return t

    # ------------------------------------------------------------------ attributes

    @property
    def data(self):
        """The same storage as a tensor that does not require grad and whose in-place changes
        autograd does not see (no version change). ``x.data = t`` makes x use t's storage."""
        out = Tensor._wrap(self._data)
        if type(self._counter) in (InferenceVersion, ZeroVersion):  # (an inference tensor's,
            out._counter = type(self._counter)()  # or a ZeroTensor's, one too)
        return out

    @data.setter
    def data(self, value):
        if not isinstance(value, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(value).__name__}")
        if value._data.dtype.kind != "f" and self.requires_grad:  # (a view: through its base)
            raise RuntimeError("data set to a tensor that requires gradients must be floating "
                               "point or complex dtype")
        if value._data.dtype != self._data.dtype:  # torch's set_data: a new gradient
            self._accumulator = None  # accumulator for the next graph (autograd._Accumulator)
        node = self._grad_fn
        if node is not None and node.output_made is None and (
                value._data.shape != self._data.shape or value._data.dtype != self._data.dtype):
            node.output_made = self._data.shape, self._data.dtype  # what the node made: a
            # gradient from here is checked against it, and cast to it, as torch's
        self._data = value._data
        if type(self._counter) is ZeroVersion:  # (torch's set_data: no ZeroTensor any more)
            self._counter = Version()

    @property
    def grad(self):
        grad = self._grad
        if grad is None and self._grad_fn is not None and not self._retains_grad_():
            _warn_nonleaf_grad()
        return grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of "
                                f"type {_type_name(value)}")
            if value is self:
                raise RuntimeError("can't assign Variable as its own grad")
            if value._data.shape != self._data.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value._data.shape)}' to a "
                    f"tensor of size '{list(self._data.shape)}'. Please ensure that the gradient "
                    f"and the tensor are the same size")
            if value._data.dtype != self._data.dtype:
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype {dtype_name(value.dtype)} to a "
                    f"tensor with dtype {dtype_name(self.dtype)}. The gradient must match the "
                    f"tensor's dtype")
        self._grad = value

    @grad.deleter
    def grad(self):  # (del x.grad: as x.grad = None, as torch's)
        self._grad = None

    def _retains_grad_(self):
        return getattr(self, "_retains_grad", False)

    @property
    def requires_grad(self):
        """A view also requires grad while its base does (as in torch, even a view taken under
        no_grad, or before the base started to: a leaf whose gradient goes nowhere)."""
        base = self._base
        if base is None:
            return self._requires_grad
        if not self._view_nograd and self._view_multi is None:  # (torch: no error from here)
            _sync_view(self)
        return self._requires_grad or base._requires_grad

    @requires_grad.setter
    def requires_grad(self, value):
        # (as torch: even True, which requires_grad_ lets pass; and as torch's is_leaf check
        # here, a view's history is not brought up to date first)
        if self._grad_fn is not None:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables." + (
                    "" if value else " If you want to use a computed variable in a subgraph "
                    "that doesn't require differentiation use var_no_grad = var.detach()."))
        if value:
            _check_float(self._data.dtype)
            if type(self._counter) is InferenceVersion and not _state.inference:
                raise RuntimeError("Setting requires_grad=True on inference tensor outside "
                                   "InferenceMode is not allowed.")
        self._requires_grad = bool(value)

    def requires_grad_(self, requires_grad=True):
        if not (requires_grad and self._grad_fn is not None):  # (a non-leaf requires grad)
            self.requires_grad = requires_grad
        return self

    @property
    def _version(self):
        """torch's count of the in-place changes to the tensor's storage (through it, its base
        or a view of it), an int; the counter itself is ``_counter``, shared with the views."""
        if type(self._counter) is InferenceVersion:
            raise RuntimeError("Inference tensors do not track version counter.")
        return self._counter.value

    def is_inference(self):
        """Whether the tensor was made in inference mode (or is a view of one that was)."""
        return type(self._counter) is InferenceVersion

    def _is_zerotensor(self):
        """Whether the tensor is a gradient torch keeps as an immutable ZeroTensor (sgn's of a
        real input, and what passes it on: autograd.ZeroGrad), or a view of one."""
        return type(self._counter) is ZeroVersion

    @property
    def grad_fn(self):
        if self._base is not None:
            _sync_view(self)
        node = self._grad_fn
        if node is not None and node.fn is _Output:  # (one output of several: its Function's
            return node.function  # node, as torch's)
        return node

    @property
    def is_leaf(self):
        return self.grad_fn is None

    def retain_grad(self):
        """Keep this non-leaf tensor's gradient in ``.grad`` during backward (as leaves do)."""
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self._base is not None and self._view_nograd:  # (a view made under no_grad has
            return  # no node of its own: torch's is_leaf, true, reads no history)
        if self.grad_fn is not None:  # (a view's history read first, as torch's is_leaf does)
            self._retains_grad = True
            self._grad_fn.retained = weakref.ref(self)

    @property
    def retains_grad(self):
        return self._retains_grad_()  # (kept by detach_, as torch)

    @property
    def shape(self):
        return Size(self._data.shape)

    @property
    def dtype(self):
        return _dtype_of(self._data)

    @property
    def ndim(self):
        return self._data.ndim

    @property
    def device(self):
        return CPU

    is_cuda = False
    is_cpu = True

    def get_device(self):
        """-1: the tensor is on the CPU (torch's index of a CUDA device otherwise)."""
        return -1

    def size(self, dim=None):
        if dim is None:
            return Size(self._data.shape)
        if isinstance(dim, Tensor) and not dim._data.ndim and dim._data.dtype.kind in "iu":
            dim = int(dim)  # (a 0-d integer tensor is an index)
        if not isinstance(dim, (int, np.integer)) or isinstance(dim, bool):
            raise TypeError(f"size(): argument 'dim' (position 1) must be int, not "
                            f"{_type_name(dim)}")
        return self._data.shape[_wrap_dim(int(dim), self._data.ndim)]

    def dim(self):
        return self._data.ndim

    ndimension = dim

    def stride(self, dim=None):
        """The step in elements from one element to the next along each dim (or ``dim``)."""
        strides = _layout.element_strides(self._data)
        return strides if dim is None else strides[_wrap_dim(dim, self._data.ndim)]

    def data_ptr(self):
        """The address of the first element in memory (0 for a tensor of no elements): views
        of one tensor differ by their offsets in bytes, as torch's."""
        return self._data.ctypes.data if self._data.size else 0

    def numel(self):
        return self._data.size

    nelement = numel

    def element_size(self):
        return self._data.itemsize

    @property
    def itemsize(self):
        return self._data.itemsize

    @property
    def nbytes(self):
        """numel() times itemsize (of a view too, as torch's)."""
        return self._data.size * self._data.itemsize

    def is_signed(self):
        return self._data.dtype.kind in "if"

    def is_complex(self):
        return False  # (tinyad has no complex dtypes)

    def is_same_size(self, other):
        return self._data.shape == other._data.shape

    def is_nonzero(self):
        """Whether the one element is nonzero (NaN is), as ``bool(x)``."""
        if self._data.size != 1:
            raise RuntimeError(f"Boolean value of Tensor with "
                               f"{'no values' if not self._data.size else 'more than one value'}"
                               f" is ambiguous")
        return bool(self._data.reshape(()) != 0)

    def is_contiguous(self):
        return self._data.flags.c_contiguous

    def contiguous(self):
        return self if self._data.flags.c_contiguous else ops.Contiguous.apply(self)

    def is_floating_point(self):
        return self._data.dtype.kind == "f"

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self._data)

    def __repr__(self):
        return tensor_repr(self, _default[0])

    def __format__(self, spec):  # (a 0-d tensor as its number; any other as object's)
        return format(self.item(), spec) if self._data.ndim == 0 else object.__format__(
            self, spec)

    __hash__ = object.__hash__

    # ------------------------------------------------------------------ conversion

    def item(self):
        if self._data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar; "
                f"item() needs exactly one")
        return self._data.item()

    def __float__(self):
        if self._requires_grad:
            _warn_converting_grad()
        return float(self._scalar())

    def __int__(self):
        return int(self._scalar())

    def _scalar(self):
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self._data.item()

    def __index__(self):  # (a bool is an integer here, as in Python: [10, 20][tensor(True)])
        if self._data.dtype.kind not in "biu" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an "
                            "index")
        return int(self.item())

    def __bool__(self):
        if self._data.size != 1:
            raise RuntimeError(
                f"Boolean value of Tensor with more than one value is ambiguous "
                f"({self._data.size} elements); use .any() or .all()")
        return bool(self._data)

    def tolist(self):
        return self._data.tolist()

    def numpy(self, force=False):
        """The tensor's array (shared memory); refused for a tensor that requires grad in grad
        mode (under no_grad it is given, as torch's). A ZeroTensor's zeros are given too,
        where torch refuses them without ``force`` (README)."""
        if not force and _state.enabled and self.requires_grad:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                "instead.")
        return self._data

    def __array__(self, dtype=None, copy=None):
        """The tensor's array for numpy: shared (np.asarray), or copied where numpy asks for a
        copy (np.array(t), whose snapshot then does not follow the tensor, as torch's)."""
        array = self.numpy() if dtype is None else self.numpy().astype(dtype)
        return array.copy() if copy and array is self._data else array

    def __deepcopy__(self, memo):
        """A copy with storage of its own, as torch's: of a leaf only. Tensors copied together
        (a list's, a module's) share storage where the originals did."""
        if self._grad_fn is not None:
            raise RuntimeError(
                "Only Tensors created explicitly by the user (graph leaves) support the deepcopy "
                "protocol at the moment.  If you were attempting to deepcopy a module, this may "
                "be because of a torch.nn.utils.weight_norm usage, see "
                "https://github.com/pytorch/pytorch/pull/103001")
        data, root = self._data, self._data
        while isinstance(root.base, np.ndarray):
            root = root.base
        if root.flags.c_contiguous:  # the storage copied once per deepcopy, then viewed
            if id(root) not in memo:
                memo[id(root)] = root.copy()
                memo.setdefault(id(memo), []).append(root)  # (copy's keep-alive list)
            start = data.__array_interface__["data"][0] - root.__array_interface__["data"][0]
            data = np.ndarray(data.shape, data.dtype, buffer=memo[id(root)], offset=start,
                              strides=data.strides)
        else:
            data = data.copy(order="K")
        copied = Tensor._wrap(data)
        copied.__class__ = type(self)  # (a Parameter stays one)
        copied._requires_grad, copied.name = self._requires_grad, self.name
        copied._grad = copy.deepcopy(self._grad, memo)
        copied.__dict__.update(copy.deepcopy(self.__dict__, memo))
        return copied

    def t_(self):
        if self._data.ndim > 2:
            raise RuntimeError(f"t_() expects a tensor with <= 2 dimensions, but self is "
                               f"{self._data.ndim}D; use transpose_(dim0, dim1)")
        return self._view_(Tensor.t, "t_()", "TBackward1")

    def transpose_(self, dim0, dim1):
        return self._view_(lambda t: t.transpose(dim0, dim1), "transpose_()",
                           "TransposeBackward1")

    swapaxes_ = swapdims_ = transpose_

    def unsqueeze_(self, dim):
        return self._view_(lambda t: t.unsqueeze(dim), "unsqueeze_()", "UnsqueezeBackward1")

    def squeeze_(self, dim=EVERY_DIM):
        if dim is not EVERY_DIM:  # (torch's squeeze_() of every dim, unsqueeze_ and t_ pass)
            _refuse_zero(self)
        return self._view_(lambda t: t.squeeze(dim), "squeeze_()", "SqueezeBackward3"
                           if dim is EVERY_DIM else "SqueezeBackward5"
                           if isinstance(dim, (tuple, list)) else "SqueezeBackward4")

    def _view_(self, view, what, name):
        """t_, transpose_, unsqueeze_, squeeze_: the tensor takes the shape and strides of
        ``view(self)`` over its own memory, and its version moves; where recorded, its grad_fn
        becomes the view's node (named ``name``, as torch's in-place overloads; a gradient it
        retains stays with the node before, as torch's)."""
        recording = _state.enabled and self._recorded_inplace((), what)
        if self._base is not None:
            try:
                _sync_view(self)  # (its history as it is now: the view's node follows it)
            except RuntimeError:  # (a view that cannot have one: under no_grad torch changes
                if recording:  # its shape all the same, and refuses it when it is read)
                    raise
        new = view(self if recording else self.detach())
        node = self._grad_fn
        if not recording and node is not None and node.output_made is None and \
                new._data.shape != self._data.shape:  # (unrecorded: the node's gradient keeps
            node.output_made = self._data.shape, self._data.dtype  # its shape, as after .data)
        self._data = new._data
        if type(self._counter) is not ZeroVersion:  # (a ZeroTensor's shape may change)
            self._counter.value += 1
        if recording:
            new._grad_fn.label = name
            self._grad_fn = new._grad_fn
            if self._base is not None:  # (its history is this node: nothing to rebuild)
                self._view_src, self._view_at = self._base._grad_fn, self._counter.value
        return self

    def detach(self):
        """The same storage and version counter, outside the graph."""
        t = Tensor._wrap(self._data)
        t._counter = self._counter
        return t

    def detach_(self):
        if self._base is not None:
            raise RuntimeError("Can't detach views in-place. Use detach() instead.")
        if self._grad_fn is not None:  # a node that saved it must refuse it now, as torch's:
            self._data = self._data.view()  # (a new array on the same memory: backward's look
            # at saved tensors sees that, see autograd._check_versions)
        self._grad_fn, self._requires_grad = None, False
        return self

    def clone(self):
        return ops.Clone.apply(self)

    def to(self, *args, **kwargs):
        """``to(dtype)``, ``to(device)``, ``to(device, dtype)`` or ``to(other_tensor)``."""
        dtype = kwargs.pop("dtype", None)
        where = kwargs.pop("device", None)
        kwargs.pop("non_blocking", None)
        copy = kwargs.pop("copy", False)
        if kwargs:
            raise TypeError(f"to() got unexpected arguments {sorted(kwargs)}")
        for a in args:
            if isinstance(a, Tensor):
                dtype = a.dtype
            elif isinstance(a, (device, str, int)) and not _is_dtype(a):
                where = a
            else:
                dtype = a
        _check_device(where)
        if dtype is None or np.dtype(dtype) == self._data.dtype:
            return self.clone() if copy else self
        return _cast(self, np.dtype(dtype))

    def type(self, dtype=None):
        if dtype is None:
            return _TYPE_NAMES.get(self._data.dtype, "torch." + self._data.dtype.name)
        return self.to(_TYPES.get(dtype, dtype) if isinstance(dtype, str) else
                       getattr(dtype, "dtype", dtype))

    def cpu(self):
        return self

    def cuda(self, *args, **kwargs):
        _check_device("cuda")

    def float(self):
        return self.to(float32)

    def double(self):
        return self.to(float64)

    def half(self):
        return self.to(float16)

    def long(self):
        return self.to(int64)

    def int(self):
        return self.to(int32)

    def short(self):
        return self.to(int16)

    def char(self):
        return self.to(int8)

    def byte(self):
        return self.to(uint8)

    def bool(self):
        return self.to(bool_)

    def new_tensor(self, data, dtype=None, requires_grad=False):
        return Tensor._of(data, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_zeros(self, *size, dtype=None, requires_grad=False):
        return zeros(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_ones(self, *size, dtype=None, requires_grad=False):
        return ones(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_full(self, size, fill_value, dtype=None, requires_grad=False):
        return full(size, fill_value, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_empty(self, *size, dtype=None, requires_grad=False):
        return empty(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def type_as(self, other):
        return self.to(_tensor_argument("type_as", "other", other, 1).dtype)

    # ------------------------------------------------------------------ autograd

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad`` (only into the ``.grad`` of
        ``inputs``, when given)."""
        if create_graph or inputs is not None or not (gradient is None or isinstance(
                gradient, Tensor)):  # (a list of one tensor, say, or a number, which torch's
            return backward(self, gradient, retain_graph, create_graph, inputs)  # refuses)
        root = _root_grad(self, gradient)
        run_backward((self,), (root,), retain_graph,
                     counters=() if gradient is None else _counters((root,), (gradient,)))

    def register_hook(self, hook):
        """Call ``hook(grad)`` with this tensor's gradient in each backward pass; a hook that
        returns a tensor replaces the gradient. Returns a handle with ``remove()``."""
        from .autograd import register_hook
        return register_hook(self, hook)

    # ------------------------------------------------------------------ in place

    def _inplace(self, compute, operands=(), direct=None, what="an in-place operation",
                 any_dtype=False, overlap_checked=False, repeats_allowed=False, integers=False,
                 pending=None):
        """Make ``self`` equal to ``compute(self)``, in place.

        The values are written into the storage (so every view sees them) and the version
        counter moves. When the change is recorded (grad mode, and self or an operand requires
        grad) it enters the graph: self's grad_fn becomes the op, and for a view the base's
        history is rewritten with CopySlices. Otherwise ``direct(array)``, where given, writes
        the values without building anything (a parameter update under no_grad). ``any_dtype``
        allows a result of another kind (copies cast; arithmetic may not); ``repeats_allowed``
        writes into an expanded tensor, whose elements share memory (torch's fills do);
        ``integers``: torch records the op into an integer or bool tensor too, its node then
        named so (True: the op's own node serves; see _recorded_inplace). ``overlap_checked``:
        the caller checked the operands' memory, and ``pending`` is what its _check_overlap
        left to check once self is written.
        """
        _refuse_zero(self)
        recording = _state.enabled and self._recorded_inplace(operands, what, integers)
        if direct is None and not repeats_allowed and _repeats(self._data):  # (torch's
            raise RuntimeError(REPEATED_WRITE)  # check of the memory: before the kernel's)
        if not overlap_checked:
            pending = _check_overlap(self, operands)
        if not recording:
            try:
                if direct is not None:
                    with quiet_numpy():
                        direct(self._data)
                else:
                    with no_grad():
                        new = compute(self.detach())
                    _write(self, new, what, any_dtype, repeats_allowed)
            except (ValueError, TypeError, OverflowError) as e:
                _reraise_inplace(self, e, what, operands)
            _check_order(pending)
            self._counter.value += 1
            return self
        outer, _state.in_place = _state.in_place, True  # (torch gives an integer tensor
        try:  # changed in place a history)
            return self._record_inplace(compute, operands, direct, what, any_dtype,
                                        repeats_allowed, integers, pending)
        finally:
            _state.in_place = outer

    def _record_inplace(self, compute, operands, direct, what, any_dtype, repeats_allowed,
                        integers, pending):
        """_inplace where the change is recorded."""
        original = self._grad_fn
        if self._base is not None and (self._grad_fn is not None or self._requires_grad and
                                       not _same_owner(self._data, self._base._data)):
            # (torch's CopySlices places the op's gradient where the view's geometry says in
            # the base, as this node does: past the view's own nodes, whose hooks do not run
            # for it, and where .data was replaced since the view was made)
            self._grad_fn = _rebuilt(self._base, self)
        try:
            new = compute(self)
            if new._grad_fn is None and integers:  # (the value's history, dropped as it was
                # converted to self's dtype: torch's node keeps it)
                new = ops._IntegerWrite.apply(new.detach(), *(
                    o for o in operands if isinstance(o, Tensor) and o.requires_grad))
                new._grad_fn.label = integers
            node = new._grad_fn
            if node is not None and node.saved:
                _keep_original(node, self)
            try:
                if repeats_allowed and direct is not None and 0 in self._data.strides:
                    direct(self._data)  # (into shared elements, what torch's kernel writes:
                else:  # tril_'s zeros only, and its backward's copy into them is refused)
                    _write(self, new, what, any_dtype, repeats_allowed)
            except (ValueError, TypeError) as e:
                _reraise_inplace(self, e, what)
            _check_order(pending)
        except Exception:
            self._grad_fn = original  # (refused: a view keeps its history, as torch's)
            raise
        self._counter.value += 1
        if node is not None:
            node.versions = tuple((self._counter, self._counter.value, -1, None)
                                  if p == -1 and v is new._counter else (v, n, p, t)
                                  for v, n, p, t in node.versions)
            out, data = new._data, self._data
            if any(a is out for a in node.saved) and out.shape == data.shape and \
                    out.dtype == data.dtype:  # a saved output is self's memory, as torch's (a
                node.saved = tuple(data if a is out else a for a in node.saved)  # change
                # through .data shows at backward)
        if self._base is None:
            set_history(self, node)  # (a retained gradient is the new version's, as torch's)
        else:
            base = self._base
            if new._data.dtype != self._data.dtype:  # (the op's output is self, in its dtype:
                new._data = self._data  # the gradient reaches the op in it, as torch's)
            set_history(base, ops.CopySlices.apply(base, new, (
                ops.geometry(base._data), ops.geometry(self._data)))._grad_fn)
            _sync_view(self)
        return self

    def _recorded_inplace(self, operands, what, integers=False):
        """In grad mode: refuse what torch refuses, and say whether the change is recorded."""
        requires = self.requires_grad
        # a change of a tensor of integers or bools by a value that requires grad is recorded
        # only by the ops that torch records so (``integers``: its fills, masked_fill_,
        # index_put_, index_fill_ and comparisons, not copy_): the tensor then has a history,
        # and torch refuses an integer result of it (and any gradient into it)
        recorded = requires or (integers or self._data.dtype.kind == "f") and any(
            isinstance(o, Tensor) and o.requires_grad for o in operands)
        base = self._base
        if recorded and base is not None and self._view_multi is not None:
            raise RuntimeError(_multi_output_view_error(self, "is being modified inplace"))
        if recorded and base is not None and self._view_nograd:
            raise RuntimeError(
                "A view was created in no_grad mode and is being modified inplace with grad "
                "mode enabled. Given that this use case is ambiguous and error-prone, it is "
                "forbidden. Move both the view and the in-place change inside the no_grad "
                "block, or both outside it.")
        if requires and base is not None and base._grad_fn is None:
            raise RuntimeError(
                f"a view of a leaf Variable that requires grad is being used in an in-place "
                f"operation ({what}). Change the leaf under `with torch.no_grad():`, or clone() "
                f"it first.")
        if requires and self._grad_fn is None:
            raise RuntimeError(
                f"a leaf Variable that requires grad is being used in an in-place operation "
                f"({what}). Do the update inside `with torch.no_grad():` (as a hand-written "
                f"parameter update does), or use an out-of-place op.")
        return recorded

    def _arith_(self, ufunc, op, other, what):
        """``self op= other`` (+=, add_, mul_, ...)."""
        _refuse_zero(self)
        _number_argument(other, what, "other")
        a = self._data
        if type(other) is int:
            _int_operand(other)
        if ufunc is np.subtract and (a.dtype is _BOOL or type(other) is bool or isinstance(
                other, Tensor) and other._data.dtype is _BOOL):
            _check_bool_sub(self, other)
        if not _state.enabled:  # a plain update: straight into the storage
            pending = None
            if isinstance(other, Tensor):
                b = other._data
                if a.base is not None or b.base is not None:
                    pending = _check_overlap(self, (other,))
            else:
                b = other
            try:
                if type(b) is np.ndarray and b.dtype is a.dtype:
                    ufunc(a, b, out=a)  # one dtype (a parameter update): nothing to convert
                else:
                    with quiet_numpy():
                        _ufunc_into(ufunc, a, b)  # torch's rules for scalars and other dtypes
            except (ValueError, TypeError) as e:
                _reraise_inplace(self, e, what, (other,))
            except RuntimeWarning:  # numpy's warning raised as an error (-W error), after it
                pass  # wrote the result: _quiet.py
            _check_order(pending)
            self._counter.value += 1
            return self
        return self._inplace(lambda t: op(t, other), (other,),
                             lambda a: _ufunc_into(ufunc, a, _unwrap(other)), what)

    def zero_(self):
        if not _state.enabled:  # a plain reset (of a gradient, say)
            _refuse_zero(self)  # (recorded: _fill's)
            data = self._data
            if not data.flags.writeable:  # (expanded: torch fills the element its copies share)
                data = _writable(data, repeats_allowed=True)
            try:
                data.fill(0)
            except ValueError as e:
                _reraise_inplace(self, e, "zero_()")
            self._counter.value += 1
            return self
        return self._fill(0, "ZeroBackward0")  # (torch's zero_ is an op of its own)

    def fill_(self, value):
        return self._fill(value, "FillBackward3" if isinstance(value, Tensor) else
                          "FillBackward2")  # (torch's fill_ of a tensor, of a number)

    def _fill(self, value, name):
        """fill_ (and zero_), its node where recorded named ``name``, as torch's."""
        _refuse_zero(self)
        _number_argument(value, "fill_()")
        if isinstance(value, Tensor) and value._data.ndim:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor "
                               f"with {value._data.ndim} dimensions.")
        if type(value) in (int, float):
            value = _checked(value, self._data.dtype)
        # (torch fills an expanded tensor when it does not record the fill, unless the value
        # is a tensor: every copy of an element gets the same value)
        if not _state.enabled and not isinstance(value, Tensor):
            try:
                _writable(self._data, repeats_allowed=True)[...] = value  # a plain reset
            except (ValueError, TypeError, OverflowError) as e:
                _reraise_inplace(self, e, "fill_()")
            self._counter.value += 1
            return self

        def direct(a):
            _writable(a, repeats_allowed=not isinstance(value, Tensor))[...] = _unwrap(value)
        # (recorded too: torch's error for an expanded tensor comes at backward, CopySlices)
        before = self._grad_fn
        self._inplace(lambda t: ops.Overwrite.apply(t, _value_like(value, t)), (value,),
                      direct, "fill_()", any_dtype=True, overlap_checked=True,  # (a value is
                      repeats_allowed=not isinstance(value, Tensor),  # read once: it may
                      integers="FillBackward3")  # overlap)
        node = self._grad_fn
        if self._base is None and node is not None and node is not before and \
                node.fn is ops.Overwrite:  # (recorded)
            node.label = name
        return self

    def copy_(self, src, non_blocking=False):
        _refuse_zero(self, ZERO_COPY)
        if isinstance(src, (bool, int, float, np.generic)):
            with np.errstate(invalid="ignore"):  # (NaN into integers: whatever the cast gives)
                src = Tensor._wrap(np.array(src).astype(self._data.dtype))
        _tensor_argument("copy_", "src", src)
        if _repeats(self._data) and not _same_elements(self._data, src._data):
            raise RuntimeError(REPEATED_WRITE)  # (torch's checks of the memory first)
        pending = _check_overlap(self, (src,))  # (before the shapes, as torch)
        if src._data.shape != self._data.shape:  # (numpy would drop src's leading 1s)
            _fits_in_place(self, (src,), "copy_()")
        return _copy_into(self, src, "copy_()", True, pending)

    def add_(self, other, *deprecated, alpha=1):
        if deprecated:  # (add_(alpha, other), old torch's)
            other, alpha = _alpha_first("add_", other, deprecated, alpha)
        if type(alpha) is int and alpha == 1:
            return self._arith_(np.add, Tensor.__add__, other, "add_()")
        _number_argument(other, "add_()", "other")  # (before the overlap check, as torch)
        return self._inplace(lambda t: t.add(other, alpha=alpha), (other,),
                             _scaled_into(self, other, alpha), what="add_()")

    def sub_(self, other, *deprecated, alpha=1):
        if deprecated:  # (sub_(alpha, other), old torch's)
            other, alpha = _alpha_first("sub_", other, deprecated, alpha)
        if type(other) is int:  # (read before the bool check, as torch)
            _int_operand(other)
        if type(alpha) is int and alpha == 1:
            return self._arith_(np.subtract, Tensor.__sub__, other, "sub_()")
        _number_argument(other, "sub_()", "other")  # (before the overlap check, as torch)
        _check_bool_sub(self, other)  # (before alpha is read)
        return self._inplace(lambda t: t.sub(other, alpha=alpha), (other,), what="sub_()")

    def mul_(self, other):
        return self._arith_(np.multiply, Tensor.__mul__, other, "mul_()")

    def div_(self, other, *, rounding_mode=None):
        if rounding_mode is not None:
            _divided_in_place(self, np.floor_divide if rounding_mode == "floor" else
                              lambda a, b: np.sign(a) * np.sign(b) * (abs(a) // abs(b)), other)
            return self._inplace(lambda t: t.div(other, rounding_mode=rounding_mode), (other,),
                                 what="div_()")
        return self._arith_(np.true_divide, Tensor.__truediv__, other, "div_()")

    def pow_(self, exponent):
        _number_argument(exponent, "pow_()", "exponent")
        if _repeats(self._data):  # (the memory before the shapes, as torch)
            raise RuntimeError(REPEATED_WRITE)
        _fits_in_place(self, (exponent,), "pow_()")
        if self._data.dtype.kind in "biu":  # (numpy's power of bools is int8, and it refuses
            # negative integer powers): torch's pow decides, then the result must fit
            pending = _check_overlap(self, (exponent,))
            self._copy_result(self ** exponent, "pow_()")
            _check_order(pending)
            return self
        return self._inplace(lambda t: t ** exponent, (exponent,), what="pow_()")  # (in every
        # mode through the op: torch's kernel, x x x for a power of 3, not C's pow)

    def _copy_result(self, out, what):
        """Write ``out``, an op's result computed out of place, into the tensor, where torch
        can cast it: no float into an integer tensor, nothing but a bool into a bool one."""
        kind, result = self._data.dtype.kind, out._data.dtype
        if result.kind == "f" and kind in "biu" or kind == "b" != result.kind:
            raise _cast_error(result, self, what)
        return self.copy_(out)

    def __iadd__(self, other):
        return self._arith_(np.add, Tensor.__add__, other, "+=")

    def __isub__(self, other):
        return self._arith_(np.subtract, Tensor.__sub__, other, "-=")

    def __imul__(self, other):
        return self._arith_(np.multiply, Tensor.__mul__, other, "*=")

    def __ipow__(self, other):
        return self.pow_(other)

    def __iand__(self, other):
        return self._bitwise_(Tensor.__and__, other, "&=")

    def __ior__(self, other):
        return self._bitwise_(Tensor.__or__, other, "|=")

    def __ixor__(self, other):
        return self._bitwise_(Tensor.__xor__, other, "^=")

    def __ilshift__(self, other):
        return self._bitwise_(Tensor.__lshift__, other, "<<=")

    def __irshift__(self, other):
        return self._bitwise_(Tensor.__rshift__, other, ">>=")

    def bitwise_and_(self, other):
        return self._bitwise_(Tensor.__and__, other, "bitwise_and_()")

    def bitwise_or_(self, other):
        return self._bitwise_(Tensor.__or__, other, "bitwise_or_()")

    def bitwise_xor_(self, other):
        return self._bitwise_(Tensor.__xor__, other, "bitwise_xor_()")

    def bitwise_left_shift_(self, other):
        return self._bitwise_(Tensor.__lshift__, other, "bitwise_left_shift_()")

    def bitwise_right_shift_(self, other):
        return self._bitwise_(Tensor.__rshift__, other, "bitwise_right_shift_()")

    def bitwise_not_(self):
        return self._copy_result(self.bitwise_not(), "bitwise_not_()")

    def _bitwise_(self, op, other, what):
        """&=, |=, ^=, <<=, >>= (and bitwise_and_ ...) write into the tensor (integers and
        bools: no gradient to record). As torch, the shapes must fit, then a float operand's
        result type; then the op refuses floats."""
        _fits_in_place(self, (other,), what)
        floating = _float_operand(self, other)
        if floating is not None and self._data.dtype.kind != "f":  # (checked before the op)
            raise _cast_error(floating, self, what)
        pending = _check_overlap(self, (other,)) if isinstance(other, Tensor) else None
        self._copy_result(op(self, other), what)
        _check_order(pending)
        return self

    def __itruediv__(self, other):
        return self._arith_(np.true_divide, Tensor.__truediv__, other, "/=")

    def __ifloordiv__(self, other):
        _divided_in_place(self, np.floor_divide, other)
        return self._arith_(np.floor_divide, Tensor.__floordiv__, other, "floor_divide_()")

    def __imod__(self, other):
        _divided_in_place(self, ops.remainder, other)
        return self._arith_(ops.remainder, Tensor.__mod__, other, "remainder_()")

    floor_divide_, remainder_ = __ifloordiv__, __imod__

    def fmod_(self, other):
        _divided_in_place(self, ops.fmod, other)
        return self._arith_(ops.fmod, Tensor.fmod, other, "fmod_()")

    def addcmul_(self, tensor1, tensor2, *deprecated, value=1):
        if deprecated:  # (addcmul_(value, tensor1, tensor2), old torch's)
            (tensor2,), (tensor1, value) = deprecated, _alpha_first("addcmul_", tensor1, (tensor2,),
                                                                     value, "value")
        _tensor_arguments("addcmul_", tensor1, tensor2, ("tensor1", "tensor2"))
        return self._inplace(lambda t: t.addcmul(tensor1, tensor2, value=value),
                             (tensor1, tensor2), what="addcmul_()")

    def addcdiv_(self, tensor1, tensor2, *deprecated, value=1):
        if deprecated:  # (addcdiv_(value, tensor1, tensor2), old torch's)
            (tensor2,), (tensor1, value) = deprecated, _alpha_first("addcdiv_", tensor1, (tensor2,),
                                                                     value, "value")
        _tensor_arguments("addcdiv_", tensor1, tensor2, ("tensor1", "tensor2"))
        return self._inplace(lambda t: t.addcdiv(tensor1, tensor2, value=value),
                             (tensor1, tensor2), what="addcdiv_()")

    def addcmul(self, tensor1, tensor2, *deprecated, value=1):
        if deprecated:  # (addcmul(value, tensor1, tensor2), old torch's)
            (tensor2,), (tensor1, value) = deprecated, _alpha_first("addcmul", tensor1, (tensor2,),
                                                                     value, "value")
        """self + value * tensor1 * tensor2 (torch.addcmul)."""
        return _addc(ops.Addcmul, "addcmul", self, tensor1, tensor2, value)

    def addcdiv(self, tensor1, tensor2, *deprecated, value=1):
        if deprecated:  # (addcdiv(value, tensor1, tensor2), old torch's)
            (tensor2,), (tensor1, value) = deprecated, _alpha_first("addcdiv", tensor1, (tensor2,),
                                                                     value, "value")
        """self + value * tensor1 / tensor2 (torch.addcdiv; not for integers, as torch)."""
        return _addc(ops.Addcdiv, "addcdiv", self, tensor1, tensor2, value)

    def lerp_(self, end, weight):
        _tensor_argument("lerp_", "end", end, 1)
        _fits_in_place(self, (end, weight), "lerp_()")
        return self._inplace(lambda t: lerp(t, end, weight), (end, weight), what="lerp_()")

    def clamp_(self, min=None, max=None):
        if self._data.dtype.kind in "biu" and float in (type(min), type(max)):  # (before the
            raise _cast_error(np.dtype(_default[0]), self, "clamp_()")  # bounds are read)
        return self._inplace(lambda t: t.clamp(min, max), (min, max), what="clamp_()")

    clip_ = clamp_

    def clamp_min_(self, min):
        _bound_argument("clamp_min_", min)
        return self._inplace(lambda t: t.clamp_min(min), (min,), what="clamp_min_()")

    def clamp_max_(self, max):
        _bound_argument("clamp_max_", max)
        return self._inplace(lambda t: t.clamp_max(max), (max,), what="clamp_max_()")

    def masked_fill_(self, mask, value):
        _tensor_argument("masked_fill_", "mask", mask, 1)
        _number_argument(value, "masked_fill_()")
        repeats = _repeats(self._data)
        if repeats and isinstance(mask, Tensor):  # an expanded tensor: torch fills it (for
            # now), each shared element wherever one of its copies is masked
            _warn_expanded("masked_fill_", "tensor[mask] = scalar")
        pending = None
        if isinstance(mask, Tensor) and mask._data.dtype is _BOOL:  # torch checks the mask's
            pending = _check_overlap(self, (mask,))  # memory, not the value's (read as a
            if repeats:  # number first)
                mask = _any_copy(mask, self._data)
        return self._inplace(lambda t: t.masked_fill(mask, value), (value,),
                             what="masked_fill_()", any_dtype=True, repeats_allowed=repeats,
                             overlap_checked=True, integers="MaskedFillBackward1",
                             pending=pending)

    def __setitem__(self, index, value):
        _refuse_zero(self, ZERO_COPY)
        if index is True:  # (torch writes through x.unsqueeze(0), as for None)
            index = None
        elif isinstance(index, Tensor) and index._data.dtype == bool and not index._data.ndim:
            if isinstance(value, Tensor) and value._data.dtype != self._data.dtype:
                raise _index_put_dtype_error(self, value)
            if self._data.size:  # (torch's check is of the view below: empty, it passes)
                _check_no_overlap(self, (value,))
            self[None][index.reshape(1)] = value  # (so a 0-d mask, True or False: torch's
            return  # index_put_ into the view, CopySlices)
        if type(index) is list:
            index = _list_index(index)
        written = value  # (as given: the view below takes it so)
        if type(value) is int and not -2**63 <= value < 2**63:  # (torch reads an int64)
            raise ValueError("Overflow when unpacking long long (an integer written into a "
                             "tensor must lie in [-2**63, 2**63))")
        if isinstance(value, complex):  # (a numpy complex too) its real part, as torch's
            if value.imag and self._data.dtype != bool:  # (a bool takes any non-zero)
                raise _overflow(self._data.dtype)
            value = bool(value) if self._data.dtype == bool else value.real
        elif not isinstance(value, (Tensor, int, float, np.integer)) or isinstance(
                value, np.generic) and not isinstance(value, (float, np.integer)):
            raise TypeError(f"can't assign a {_type_name(value)} to a torch."
                            f"{ops.TORCH_TYPE_NAMES[self._data.dtype.name]}Tensor")
        if not isinstance(value, Tensor):  # torch converts a number first (NaN into int fails)
            try:  # (a float into float16 unchecked, as in torch: one too large is inf)
                if type(value) is float and self._data.dtype == np.float16:
                    with quiet_numpy():
                        value = np.asarray(value, np.float16)
                else:
                    value = _value_like(value, self)
            except (ValueError, TypeError, OverflowError) as e:
                _reraise_inplace(self, e, "item assignment")
            value = Tensor._wrap(value)  # (a tensor, as torch's: a float one is an operand
            # of the node that needs no gradient, (None, 0) in its next_functions)
        if index is False:  # (torch's item assignment then writes nothing: no other check, no
            return  # version)
        if _state.enabled and any(isinstance(i, Tensor) and i._data.dtype.kind == "f" for i in (
                index if type(index) is tuple else (index,))):  # (torch's index_put_ refuses a
            self._recorded_inplace((value,), "item assignment")  # leaf before a float index)
        given_index, index = index, _read_index(self, index, check_masks=False)
        given = value
        if isinstance(value, Tensor) and value._data.ndim and value._data.shape[0] == 1:
            # torch drops a value's leading size-1 dims (x[0] = tensor([5.]) fills one element),
            # once it has read the index
            value = value.reshape(_without_leading_ones(value._data.shape))
        items = index if type(index) is tuple else (index,)
        if any(type(i) is slice for i in items):  # (torch writes into the slice: a view, which
            _read_history(self)  # reads the history first)
        if not ops._is_basic_index(index) and _state.enabled:  # (torch's index_put_ refuses
            self._recorded_inplace((value,), "item assignment")  # a leaf before all else)
        if not ops._is_basic_index(index) and isinstance(value, Tensor) and \
                value._data.size != 1 and (value is self or np.shares_memory(
                    self._data, value._data)):  # (then the value's memory, before the masks'
            raise RuntimeError(OVERLAPPING_WRITE)  # shapes and the indices' bounds; one element
            # is masked_fill_'s number)
        if not any(type(i) is int for i in items):
            _check_masks(items, self._data.shape)
        given_arrays = [getattr(i, "_data", i) for i in (  # (a list is one too: [], as torch)
            given_index if type(given_index) is tuple else (given_index,))
            if type(i) is list or isinstance(i, (Tensor, np.ndarray)) and np.ndim(getattr(
                i, "_data", i))]
        if len(given_arrays) == 1 and np.asarray(given_arrays[0]).dtype == np.uint8 and np.size(
                given._data if isinstance(given, Tensor) else given) == 1:
            raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with "
                               "dtype unsigned char (torch fills one value under a mask: "
                               "write the mask as a bool tensor, mask.bool())")
        if ops._is_basic_index(index) and not _takes_part(items, self._data.shape):
            # the whole tensor, as torch's copy_to: a value of its shape, or of more dims
            # (expanded), is copied in (CopyBackwards); one 0-d value fills it (FillBackward3)
            value = value if isinstance(value, Tensor) else Tensor._wrap(value)
            if isinstance(written, Tensor) and written._data.shape == self._data.shape:
                self.copy_(written)  # (torch's copy_to: the value as it is, its leading 1s
                return  # too: x[:] = x copies x into itself, nothing)
            if isinstance(written, Tensor) and written._data.ndim or not self._data.ndim:
                expanded = value.expand(self._data.shape)
                _check_copy_to(self._data, given)
                self.copy_(expanded)
            else:
                self.fill_(value)
            return
        steps = _basic_first(items, self._data.shape)
        if steps is not None:  # as torch: the ints, slices and None take a view, the arrays
            view = self[steps[0]]  # index_put_ into it
            view[steps[1]] = written
            if self._grad_fn is not None:
                _guard(self, _index_arrays(given_index))
            return
        outside = None  # (an index out of bounds: torch's error, and whether it writes first)
        try:
            region = self._data[index]  # (an index that does not fit raises IndexError first)
        except IndexError:
            # unless it selects no element, which torch writes without reading the indices
            # (the same write: the same nothing, with indices in bounds)
            empty = ops.zeroed_index(self._data.shape, index)
            if empty is None:
                outside = _out_of_bounds(self._data.shape, items)
                empty = ops.zeroed_index(self._data.shape, index, empty_only=False)
                if outside is not None and not outside[1]:  # (refused before anything)
                    raise IndexError(outside[0]) from None
                if outside is None or empty is None:  # (None: an empty dim's index)
                    raise
            else:
                index = empty
            region = self._data[empty]  # (the shape of what torch writes)
        # one value under a mask (the index's one array, beside ints, slices, None, ...):
        # torch's masked_fill_, which casts it and reads it once
        arrays = [i for i in (index if type(index) is tuple else (index,))
                  if not ops._is_basic_index(i)]
        masked_fill = len(arrays) == 1 and type(arrays[0]) is np.ndarray and \
            arrays[0].dtype is _BOOL and arrays[0].ndim > 0 and isinstance(value, Tensor) \
            and value._data.size == 1
        if masked_fill:
            _check_fill_value(value, self, "item assignment")
        elif isinstance(value, Tensor) and value._data.shape != region.shape:
            try:
                fits = np.broadcast_shapes(region.shape, value._data.shape) == region.shape
            except ValueError:
                fits = False
            if not fits and ops._is_basic_index(index):  # (torch copies into the view)
                value.expand(region.shape)  # (which raises torch's error)
            if not fits:  # (numpy would take some of these: an empty one, a 2-d one under a mask)
                raise RuntimeError(
                    f"shape mismatch: value tensor of shape {list(value._data.shape)} cannot be "
                    f"broadcast to indexing result of shape {list(region.shape)}")
        if isinstance(value, Tensor) and value._data.dtype != self._data.dtype and \
                not ops._is_basic_index(index) and not masked_fill:
            raise _index_put_dtype_error(self, value)
        basic = ops._is_basic_index(index)
        if basic and _state.enabled and self._requires_grad and self._grad_fn is None and \
                _takes_part(items, self._data.shape):
            self[_view_index(index)]._recorded_inplace((value,), "item assignment")  # (torch
            # writes into the view its index takes: "a view of a leaf Variable ...")
        if basic:  # (x[0] -= 1 ends with x[0] = (x[0] after the -=): the same elements, allowed)
            view_items = _view_index(index)  # (the region with torch's strides)
            part = self._data[view_items]
            pending = _check_copy_to(ops._unsqueezed_strides(part, view_items, self._data)
                                     if None in view_items else part, given)
        elif isinstance(value, Tensor) and (np.may_share_memory(self._data, value._data)
                                            or value is self):  # (empty: shares nothing)
            if masked_fill:  # a fill from one element of itself
                value = value.clone() if value.requires_grad else Tensor._wrap(value._data.copy())
            elif value is self or np.shares_memory(self._data, value._data):  # (not just
                raise RuntimeError(OVERLAPPING_WRITE)  # near: x[:, 0] and x[:, 2] lie within
                # each other's bounds)
        if not basic and _index_overlaps(self._data, index):
            raise RuntimeError(
                "unsupported operation: some elements of the input tensor and the written-to "
                "tensor refer to a single memory location. Please clone() the index tensor "
                "before performing the operation.")
        if masked_fill and outside is None and _repeats(self._data):  # an expanded tensor:
            # torch's index_put_ is then its masked_fill_, which writes (and fails at backward)
            _warn_expanded("index_put_", "tensor[indices] = tensor")
            mask = np.zeros(self._data.shape, bool)
            mask[index] = True
            self.masked_fill_(Tensor._wrap(mask), value.reshape(()))
            return
        if basic and _repeats(self._data):  # an expanded tensor: torch copies into the view,
            region = self[_view_index(index)]  # or fills it with one value (_check_copy_to)
            if not isinstance(given, Tensor) or not given._data.ndim:
                region.fill_(value if isinstance(value, Tensor) else Tensor._wrap(value))
            else:  # (checked as torch checks it: a copy of one element expanded is allowed)
                _copy_into(region, given if given.shape == region.shape else
                           value.expand(region._data.shape), "item assignment", True, pending)
            return

        if outside is not None:  # torch writes the elements before it, neither counting the
            _put_before(self._data, items, _unwrap(value))  # change in ._version nor
            raise IndexError(outside[0])  # recording it

        def direct(a):
            if not basic and _repeats(a):  # unrecorded, torch writes and warns
                _warn_expanded("index_put_", "tensor[indices] = tensor")
                a = _writable(a, repeats_allowed=True)
            a[index] = _unwrap(value)
        self._inplace(lambda t: ops.IndexPut.apply(t, _value_like(value, t), index), (value,),
                      direct, "item assignment", any_dtype=True, overlap_checked=True,
                      pending=pending if basic else None,
                      repeats_allowed=not region.size,  # (nothing written: torch's index_put_)
                      integers="IndexPutBackward0" if not basic else "CopySlices" if isinstance(
                          given, Tensor) and not given._data.ndim and region.shape != () else
                      False)  # (torch's index_put_, or a fill of the region; not a copy_)
        if self._grad_fn is not None and self._grad_fn.fn is ops.IndexPut:
            _guard(self, _index_arrays(given_index))

    # ------------------------------------------------------------------ operators

    def __add__(self, other):
        return ops.Add.apply(*_promote(self, other))

    def __radd__(self, other):  # (the tensor first, as torch's: its grad_fn's next_functions)
        return ops.Add.apply(*_promote(self, other))

    def __sub__(self, other):
        _check_bool_sub(self, other)
        return ops.Sub.apply(*_promote(self, other))

    def __rsub__(self, other):
        if type(other) is int:  # (read before the bool check, as torch)
            _int_operand(other)
        _check_bool_sub(self, other)
        t, other = _promote(self, other)
        return ops.Sub.apply(other, t)

    def __mul__(self, other):
        if type(other) is float and not _state.enabled and self._data.dtype.kind == "f":
            return _scaled_nograd(self._data, other)
        return ops.Mul.apply(*_promote(self, other, scalar_kernel=True))

    def __rmul__(self, other):
        if type(other) is float and not _state.enabled and self._data.dtype.kind == "f":
            return _scaled_nograd(self._data, other)  # (a hand-written update's lr * p.grad)
        return ops.Mul.apply(*_promote(self, other))  # (the tensor first, as torch's)

    def __truediv__(self, other):
        if isinstance(other, np.generic):
            other = _number(other)  # (a numpy int as the int it holds: it does not wrap)
        if type(other) is int:
            _int_operand(other, self._data.dtype.kind)
        if self._data.dtype.kind != "f" and (type(other) is int or isinstance(other, Tensor)
                                            and other._data.dtype.kind != "f"):
            # integers over integers: both become floats first (so that no int wraps around
            # into the other's dtype, as in _promote)
            return ops.Div.apply(_floating(self), _floating(other) if isinstance(
                other, Tensor) else other)
        t, other = _promote(self, other, scalar_kernel=True)  # (then true division: integers
        t = _floating(t)  # become floats)
        if isinstance(other, Tensor) and other._data.dtype.kind != "f" and not (
                t._data.dtype is _F16 and other._data.size == 1):  # (read as a number)
            other = other.to(t._data.dtype)
        return ops.Div.apply(t, other)

    def __floordiv__(self, other):
        return ops.FloorDivide.apply(*_promote(self, other, scalar_kernel=True))

    def __rfloordiv__(self, other):
        t, other = _promote(self, other)
        return ops.FloorDivide.apply(other, t)

    def __mod__(self, other):
        return ops.Remainder.apply(*_promote(self, other))

    def __rmod__(self, other):
        t, other = _promote(self, other)
        return ops.Remainder.apply(other, t)

    floor_divide, remainder = __floordiv__, __mod__

    def fmod(self, other):
        return ops.Fmod.apply(*_promote(self, other))

    def __rtruediv__(self, other):
        # as torch: a number over a tensor is the tensor's reciprocal times the number (an
        # integer tensor's in floats first: an int number then does not wrap, see _promote)
        t, other = _promote(_floating(self) if type(other) is int else self, other)
        return _floating(t).reciprocal() * other

    def __pow__(self, other):
        t = self
        if isinstance(other, np.generic):
            other = _number(other)
        if type(other) is int:
            _int_operand(other)
        if type(other) is int and t._data.dtype.kind in "iu" and other > np.iinfo(
                t._data.dtype).max:  # (checked, not wrapped)
            raise RuntimeError(f"value cannot be converted to type {t._data.dtype.name}_t "
                               f"without overflow")
        if isinstance(other, (int, np.integer)) and not isinstance(other, (bool, np.bool_)) \
                and other < 0 and t._data.dtype.kind in "biu":  # (checked before any element)
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        if t._data.dtype.kind == "b":
            if type(other) is bool:  # torch: a bool tensor to a bool number stays bool
                return self.clone() if other else ones_like(self)
            if isinstance(other, Tensor) and other._data.dtype.kind == "b":
                _broadcastable(t, other)
                raise NotImplementedError('"pow" not implemented for \'Bool\'')
            t = t.long() if isinstance(other, (int, np.integer)) else t  # (a float: _promote)
        elif isinstance(other, Tensor) and (other._data.dtype.kind == "b" or
                                            other._data.dtype.kind in "iu" and
                                            t._data.dtype.kind == "f"):
            return ops.Pow.apply(t, other)  # bool and integer exponents keep their dtype, as
        if isinstance(other, Tensor) and t._data.ndim and not other._data.ndim and \
                t._data.dtype.kind == other._data.dtype.kind == "f":  # (so does a 0-d float
            return ops.Pow.apply(t, other)  # one of another float dtype: the kernel casts it)
        return ops.Pow.apply(*_promote(t, other))  # torch's backward reads them (Pow)

    def __rpow__(self, other):
        if isinstance(other, np.bool_):
            other = _number(other)
        if type(other) is bool and self._data.dtype.kind == "b":
            raise NotImplementedError('"pow" not implemented for \'Bool\'')
        t, other = _promote(self, other)
        return ops.Pow.apply(other, t)

    def __rmatmul__(self, other):
        return _matmul(_matmul_operand(other), self) if isinstance(other, np.ndarray) else \
            NotImplemented

    def __neg__(self):
        if self._data.dtype.kind == "b":
            raise RuntimeError(ops.BOOL_NEG_ERROR)
        return ops.Neg.apply(self)

    def __abs__(self):
        return self.abs()

    def __pos__(self):
        """+x: x itself, as torch's (refused for bools)."""
        if self._data.dtype.kind == "b":
            raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
        return self

    def __contains__(self, element):
        """``element in x``: whether any element of x equals it, as torch's."""
        if not isinstance(element, (Tensor, int, float, bool)):
            raise RuntimeError(f"Tensor.__contains__ only supports Tensor or scalar, but you "
                               f"passed in a {type(element)}.")
        return bool((self == element).any())

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

    eq, ne, lt, le, gt, ge = __eq__, __ne__, __lt__, __le__, __gt__, __ge__
    not_equal, less, less_equal, greater, greater_equal = ne, lt, le, gt, ge

    def _compared_(self, compare, other, name):
        """eq_, lt_, ...: self takes the comparison's result as 1 and 0 in its own dtype; the
        change is recorded with gradient 0, as torch's."""
        def compute(t):
            result = compare(t, other)._data
            if result.shape != t._data.shape:
                raise RuntimeError(f"output with shape {list(t._data.shape)} doesn't match the "
                                   f"broadcast shape {list(result.shape)}")
            label = f"{name.capitalize()}Backward{int(isinstance(other, Tensor))}"
            return ops.Compared.apply(t, other, result, label)
        return self._inplace(compute, (other,) if isinstance(other, Tensor) else (),
                             what=f"{name}_()", any_dtype=True, integers=True)  # (its node)

    def eq_(self, other):
        return self._compared_(Tensor.eq, other, "eq")

    def ne_(self, other):
        return self._compared_(Tensor.ne, other, "ne")

    def lt_(self, other):
        return self._compared_(Tensor.lt, other, "lt")

    def le_(self, other):
        return self._compared_(Tensor.le, other, "le")

    def gt_(self, other):
        return self._compared_(Tensor.gt, other, "gt")

    def ge_(self, other):
        return self._compared_(Tensor.ge, other, "ge")

    not_equal_, less_, less_equal_, greater_, greater_equal_ = ne_, lt_, le_, gt_, ge_

    def __and__(self, other):
        return _bitwise(np.bitwise_and, self, other)

    def __or__(self, other):
        return _bitwise(np.bitwise_or, self, other)

    def __xor__(self, other):
        return _bitwise(np.bitwise_xor, self, other)

    def __lshift__(self, other):
        return _shifted(np.left_shift, self, other)

    def __rshift__(self, other):
        return _shifted(np.right_shift, self, other)

    def __rlshift__(self, other):
        return _shifted(np.left_shift, self, other, reflected=True)

    def __rrshift__(self, other):
        return _shifted(np.right_shift, self, other, reflected=True)

    def __invert__(self):
        if self._data.dtype.kind == "f":
            raise TypeError("~ (operator.invert) is only implemented on integer and "
                            "Boolean-type tensors")
        return self.bitwise_not()

    def bitwise_not(self):
        if self._data.dtype.kind == "f":
            raise NotImplementedError(f'"bitwise_not_cpu" not implemented for '
                                      f"'{ops.TORCH_TYPE_NAMES[self._data.dtype.name]}'")
        return Tensor._wrap(np.asarray(np.invert(self._data)))  # (numpy gives 0-d a scalar)

    __rand__, __ror__, __rxor__ = __and__, __or__, __xor__
    bitwise_and, bitwise_or, bitwise_xor = __and__, __or__, __xor__
    bitwise_left_shift, bitwise_right_shift = __lshift__, __rshift__

    def logical_not(self):
        return _elementwise(np.logical_not, self)

    def logical_and(self, other):
        return _logical(np.logical_and, "logical_and", self, other)

    def logical_or(self, other):
        return _logical(np.logical_or, "logical_or", self, other)

    def logical_xor(self, other):
        return _logical(np.logical_xor, "logical_xor", self, other)

    def argwhere(self):
        """The indices of the nonzero elements, one row each (torch.argwhere: nonzero)."""
        return self.nonzero()

    def nonzero(self, *, as_tuple=False):
        """The indices of the nonzero elements: one row each (n, dims), or one index tensor
        per dim (``as_tuple``, where a 0-d tensor counts as 1-d)."""
        if as_tuple:
            return tuple(Tensor._wrap(i.astype(np.int64))
                         for i in np.nonzero(np.atleast_1d(self._data)))
        return Tensor._wrap(np.argwhere(self._data).astype(np.int64))

    def unique(self, sorted=True, return_inverse=False, return_counts=False, dim=None):
        return unique(self, sorted, return_inverse, return_counts, dim)

    def bincount(self, weights=None, minlength=0):
        return bincount(self, weights, minlength)

    def broadcast_to(self, *sizes, size=None):
        """expand (the method takes the sizes one by one too; torch.broadcast_to one shape)."""
        return self.expand(*sizes) if size is None else self.expand(size)

    def ravel(self):
        """The elements in one dim, in C order: a view where the tensor is contiguous (torch's
        contiguous().view(-1))."""
        return self.contiguous().view(-1)

    def true_divide(self, other):
        return self / other

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        """numpy's ufuncs on tensors, as on torch's: numpy's own, on the tensors' arrays, and
        a tensor back (``np.exp(t)``: _through_numpy); an operator with numpy's operand on the
        left, which numpy hands over too, as torch's tensor takes it (_numpy_on_the_left).
        Inside a backward formula under create_graph, tinyad's ops, so that the formulas
        written with numpy record a graph."""
        if not _state.formulas:
            if method == "__call__" and not isinstance(inputs[0], Tensor) and \
                    _running_operator(sys._getframe(1)):
                return _numpy_on_the_left(ufunc, inputs, kwargs)
            return _through_numpy(getattr(ufunc, method), inputs, kwargs)
        if method == "__call__" and not kwargs and ufunc in _UFUNCS:
            return _ufunc_op(ufunc, inputs)
        if method == "reduce" and ufunc in _REDUCTIONS and isinstance(inputs[0], Tensor):
            return _REDUCTIONS[ufunc].apply(inputs[0], kwargs.get("axis", 0),
                                            kwargs.get("keepdims", False))
        name = ufunc.__name__ if method == "__call__" else f"{ufunc.__name__}.{method}"
        return _plain_numpy(getattr(ufunc, method), inputs, kwargs, name)

    def __array_function__(self, func, types, args, kwargs):
        """numpy's functions on tensors: as on torch's, which have no such hook, numpy's own
        code, which calls the tensor's methods (``np.argmax(t)``: ``t.argmax(axis=None,
        out=None)``) or reads its array (__array__, __array_wrap__). Inside a backward formula
        under create_graph, tinyad's ops (``np.sum(t, axis=1)``), so that it records."""
        if not _state.formulas:
            return func._implementation(*args, **kwargs)
        if func in _FUNCTIONS:
            return _FUNCTIONS[func](*args, **kwargs)
        return _plain_numpy(func, args, kwargs, func.__name__)

    def __array_wrap__(self, array, context=None, return_scalar=False):
        """A result numpy computed from the tensor's array, a tensor again, as torch's."""
        return _from_numpy_result(array)

    # ------------------------------------------------------------------ indexing and shape

    def __getitem__(self, index):
        if type(index) is list:
            index = _list_index(index)
        items = _read_index(self, index)
        steps = _basic_first(items)
        if steps is not None:  # (an int with an array: torch's order of the result's dims)
            return _guard(self[steps[0]][steps[1]], _index_arrays(index))
        chain = _index_chain(items, self._data.shape) if self.requires_grad and \
            _state.enabled else None
        if chain is not None:  # (torch's nodes, one a step)
            try:
                out = self
                for step in chain:
                    out = ops.GetItem.apply(out, step)
                return out
            except IndexError:  # (torch names the dim of the whole index: below)
                pass
        try:
            out = ops.GetItem.apply(self, items)
        except IndexError:  # (numpy's message names another dim)
            found = _out_of_bounds(self._data.shape, items if type(items) is tuple else (items,))
            if found is None:
                raise
            raise IndexError(found[0]) from None
        return _guard(out, _index_arrays(index))

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self)))

    def reshape(self, *shape, **kwargs):
        if kwargs:
            shape = _keyword_sizes("reshape", "shape", shape, kwargs)
        if not shape:
            raise _missing_argument("reshape", "shape")
        out = ops.Reshape.apply(self, _new_shape(shape))
        if out._grad_fn is None or self._data.flags.c_contiguous:
            return out
        if out._base is not None:  # (torch's graph: a view of a tensor that is not contiguous
            out._grad_fn.label = "ReshapeAliasBackward0"  # is its _reshape_alias, and a copy
            return out  # is a contiguous clone reshaped)
        return ops.UnsafeView.apply(ops.Contiguous.apply(self), out.shape)

    def view(self, *shape, **kwargs):
        if kwargs:
            shape = (kwargs.pop("dtype"),) if not shape and set(kwargs) == {"dtype"} else \
                _keyword_sizes("view", "size", shape, kwargs)
        if len(shape) == 1 and _is_dtype(shape[0]):
            return self._view_dtype(np.dtype(shape[0]))
        if not shape:
            raise TypeError("view() received an invalid combination of arguments - got (), but "
                            "expected a shape")
        out = ops.Reshape.apply(self, _new_shape(shape))
        if out._base is None and out._data.size > 0:
            raise RuntimeError(
                "view size is not compatible with input tensor's size and stride (at least one "
                "dimension spans across two contiguous subspaces). Use .reshape(...) instead.")
        return out

    def _view_dtype(self, dtype):
        """The same memory read as ``dtype`` (a different element size changes the last dim):
        torch's view(dtype), which is not differentiable and not a view for autograd, but
        shares the version counter."""
        a = self._data
        if dtype.itemsize != a.itemsize:
            names = ops.TORCH_TYPE_NAMES
            what = f"to view {names[a.dtype.name]} as {names[dtype.name]} (different element sizes)"
            if not a.ndim:
                raise RuntimeError(f"self.dim() cannot be 0 {what}")
            strides = self.stride()
            if strides[-1] != 1:
                raise RuntimeError(f"self.stride(-1) must be 1 {what}, but got {strides[-1]}")
            ratio = dtype.itemsize // a.itemsize
            if ratio > 1:
                offset = ops.geometry(a)[2]
                for name, n in (("size(-1)", a.shape[-1]), ("storage_offset()", offset),
                                *((f"stride({d})", s) for d, s in enumerate(strides[:-1]))):
                    if n % ratio:
                        raise RuntimeError(f"self.{name} must be divisible by {ratio} {what}, "
                                           f"but got {n}")
        out = Tensor._wrap(a.view(dtype))
        out._counter = self._counter
        return out

    def view_as(self, other):
        return self.view(_tensor_argument("view_as", "other", other, 1).shape)

    def reshape_as(self, other):
        return self.reshape(_tensor_argument("reshape_as", "other", other, 1).shape)

    def flatten(self, start_dim=0, end_dim=-1):
        s, e = _wrap_dim(start_dim, self._data.ndim), _wrap_dim(end_dim, self._data.ndim)
        if self._data.ndim == 0:
            return self.reshape(1)
        if s > e:
            raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
        if s == e:  # nothing to merge: torch returns the tensor itself
            return self
        shape = self._data.shape
        return self.reshape(shape[:s] + (math.prod(shape[s:e + 1]),) + shape[e + 1:])

    def unsqueeze(self, dim):
        dim = _wrap_dim(dim, self._data.ndim + 1)
        return ops.Unsqueeze.apply(self, dim)

    def squeeze(self, dim=EVERY_DIM):
        shape = self._data.shape
        several = isinstance(dim, (tuple, list))
        if dim is None:
            raise TypeError("squeeze(): argument 'dim' must be int, not NoneType (leave dim "
                            "out to squeeze every dim of size 1)")
        if dim is EVERY_DIM:
            dims = range(len(shape))
        else:
            dims = [_wrap_dim(d, len(shape)) for d in (tuple(dim) if several else (dim,))]
            repeated = next((d for i, d in enumerate(dims) if d in dims[:i]), None)
            if repeated is not None:
                raise RuntimeError(f"dim {repeated} appears multiple times in the list of dims")
        out = ops.Squeeze.apply(self, tuple(d for d in dims if d < len(shape) and shape[d] == 1))
        if dim is not EVERY_DIM and out._grad_fn is not None:  # (overloads: a dim, dims)
            out._grad_fn.label = "SqueezeBackward2" if several else "SqueezeBackward1"
        return out

    def expand(self, *sizes, **kwargs):
        if kwargs:
            sizes = _keyword_sizes("expand", "size", sizes, kwargs)
        if not sizes:
            raise _missing_argument("expand", "size")
        sizes = _shape(sizes)
        shape = self._data.shape
        lead = len(sizes) - len(shape)
        if lead < 0:
            raise RuntimeError(
                f"expand(torch.{ops.TORCH_TYPE_NAMES[self._data.dtype.name]}Tensor"
                f"{{{list(shape)}}}, size={list(sizes)}): the number of sizes provided "
                f"({len(sizes)}) must be greater or equal to the number of dimensions in the "
                f"tensor ({len(shape)})")
        for i, n in reversed(list(enumerate(sizes))):  # (torch checks from the last dim)
            if n < 0 and (n != -1 or i < lead):
                raise RuntimeError(
                    f"The expanded size of the tensor ({n}) isn't allowed in a leading, "
                    f"non-existing dimension {i}" if n == -1 else
                    f"expand: size {n} is negative; give a size, or -1 to keep a dimension's")
            if i >= lead and n not in (-1, shape[i - lead]) and shape[i - lead] != 1:
                raise RuntimeError(
                    f"The expanded size of the tensor ({n}) must match the existing size "
                    f"({shape[i - lead]}) at non-singleton dimension {i}.  Target sizes: "
                    f"{list(sizes)}.  Tensor sizes: {list(shape)}")
        target = tuple(shape[i - lead] if n == -1 else n for i, n in enumerate(sizes))
        return ops.BroadcastTo.apply(self, target)

    def tile(self, *dims, **kwargs):
        """The tensor repeated ``dims`` times along its last dims (numpy's tile: fewer dims
        than the tensor's are padded with 1s in front, as torch's)."""
        if "dims" in kwargs and not dims:
            dims = (kwargs.pop("dims"),)
        if kwargs or not dims:
            raise TypeError('tile() missing 1 required positional arguments: "dims"' if not
                            kwargs else f"tile() got unexpected arguments {sorted(kwargs)}")
        dims = _shape(dims)
        return self.repeat((1,) * (self._data.ndim - len(dims)) + dims)

    def repeat(self, *sizes, **kwargs):
        """The tensor tiled ``sizes`` times along each dim (as torch.repeat, numpy's tile)."""
        if kwargs:
            sizes = _keyword_sizes("repeat", "repeats", sizes, kwargs)
        if not sizes:
            raise _missing_argument("repeat", "repeats")
        if len(sizes) == 1 and isinstance(sizes[0], Tensor):
            raise TypeError("repeat(): argument 'repeats' (position 1) must be tuple of ints, "
                            "not Tensor")
        sizes = _shape(sizes)
        if len(sizes) < self._data.ndim:
            raise RuntimeError("Number of dimensions of repeat dims can not be smaller than "
                               "number of dimensions of tensor")
        shape = (1,) * (len(sizes) - self._data.ndim) + self._data.shape
        result = [r * n for r, n in zip(sizes, shape)]
        if any(n < 0 for n in result):
            raise RuntimeError(f"Trying to create tensor with negative dimension "
                               f"{next(n for n in result if n < 0)}: {result}")
        return ops.Repeat.apply(self, sizes)

    def expand_as(self, other):
        return self.expand(_tensor_argument("expand_as", "other", other, 1).shape)

    def transpose(self, dim0, dim1):
        _dims(dim0), _dims(dim1)  # (a bool refused)
        if self._data.ndim == 0:  # torch accepts dims 0 and -1 here
            _reduction_dims(self, (dim0,))
            _reduction_dims(self, (dim1,))
        return ops.Transpose.apply(self, dim0, dim1)

    swapaxes = swapdims = transpose

    def permute(self, *dims, **kwargs):
        if kwargs:
            dims = _keyword_sizes("permute", "dims", dims, kwargs)
        if not dims:
            raise _missing_argument("permute", "dims")
        dims = _shape(dims, "permute")
        if len(dims) != self._data.ndim:
            raise RuntimeError(
                f"permute(sparse_coo): number of dimensions in the tensor input does not match "
                f"the length of the desired ordering of dimensions i.e. input.dim() = "
                f"{self._data.ndim} is not equal to len(dims) = {len(dims)}")
        dims = tuple(_wrap_dim(d, self._data.ndim) for d in dims)
        if len(set(dims)) < len(dims):
            raise RuntimeError("permute(): duplicate dims are not allowed.")
        return ops.Permute.apply(self, dims)

    def movedim(self, source, destination):
        """The dims ``source`` (an int or a sequence) moved to ``destination``, the others
        keeping their order: a permute."""
        if isinstance(source, (tuple, list)) != isinstance(destination, (tuple, list)):
            raise TypeError(f"movedim() received an invalid combination of arguments - got "
                            f"({_type_name(source)}, {_type_name(destination)}): source and "
                            f"destination are two ints or two sequences of ints")
        source, destination = (tuple(d) if isinstance(d, (tuple, list)) else (_dims(d),)
                               for d in (source, destination))
        if len(source) != len(destination):
            raise RuntimeError(
                f"movedim: Invalid source or destination dims: source ({list(source)} dims) "
                f"should contain the same number of dims as destination ({list(destination)} "
                f"dims)")
        n = self._data.ndim
        moves = {}
        for name, dims in (("source", source), ("destination", destination)):
            wrapped = [_wrap_dim(operator.index(d), n) for d in dims]
            if len(set(wrapped)) < len(wrapped):
                raise RuntimeError(f"movedim: repeated dim in `{name}` ({list(dims)})")
            moves[name] = wrapped
        order = dict(zip(moves["destination"], moves["source"]))
        if not n:  # (torch's 0-d movedim is an alias)
            return self[...]
        rest = iter(d for d in range(n) if d not in moves["source"])
        return ops.Permute.apply(self, tuple(order[d] if d in order else next(rest)
                                             for d in range(n)))

    moveaxis = movedim

    def t(self):
        if self._data.ndim > 2:
            raise RuntimeError(
                f"t() expects a tensor with <= 2 dimensions, but self is {self._data.ndim}D; "
                f"use transpose(dim0, dim1)")
        return ops.T.apply(self)

    @property
    def T(self):
        if self._data.ndim == 0:
            _warn("Tensor.T is deprecated on 0-D tensors. This function is the identity "
                  "in these cases.", UserWarning)
        elif self._data.ndim != 2:  # torch still reverses the dims, with a deprecation warning
            _warn(
                "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
                "deprecated and it will throw an error in a future release. Consider "
                "`x.mT` to transpose batches of matrices or `x.permute(*torch.arange(x.ndim - 1, "
                "-1, -1))` to reverse the dimensions of a tensor.", UserWarning)
        return ops.Permute.apply(self, tuple(reversed(range(self._data.ndim))))

    @property
    def H(self):
        """The conjugate transpose of a matrix: its transpose (tinyad's tensors are real)."""
        ndim = self._data.ndim
        if ndim != 2:
            return self._conjugate_transpose_of_no_matrix("H", (
                f"tensor.H is only supported on matrices (2-D tensors). Got {ndim}-D tensor."
                + (" For batches of matrices, consider using tensor.mH" if ndim > 2 else "")))
        return ops.Transpose.apply(self, 0, 1)

    @property
    def mH(self):
        """The last two dimensions swapped (tinyad's tensors are real: no conjugate)."""
        if self._data.ndim < 2:
            return self._conjugate_transpose_of_no_matrix("mH", (
                "tensor.mH is only supported on matrices or batches of matrices. Got 1-D "
                "tensor."))
        return ops.Transpose.apply(self, -2, -1)

    def _conjugate_transpose_of_no_matrix(self, name, error):
        """torch's H or mH of a 0-d tensor (itself, with a deprecation warning), or its error."""
        if self._data.ndim:
            raise RuntimeError(error)
        _warn(f"Tensor.{name} is deprecated on 0-D tensors. Consider using x.conj().",
              UserWarning)
        return self

    @property
    def mT(self):
        """The last two dimensions swapped (a batch of matrices transposed)."""
        if self._data.ndim == 1:
            raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. "
                               "Got 1-D tensor.")
        if self._data.ndim == 0:  # (the tensor itself, as torch's)
            _warn("Tensor.mT is deprecated on 0-D tensors. This function is the "
                  "identity in these cases.", UserWarning)
            return self
        return ops.Transpose.apply(self, -2, -1)

    def unflatten(self, dim, sizes):
        """A view with dim split into ``sizes`` (one of them may be -1: the rest of the dim)."""
        if not self._data.ndim:
            _wrap_dim(dim, 0)  # (a dim out of range first)
            raise RuntimeError("unflatten got an unexpected error:\nDimension specified as 0 "
                               "but tensor has no dimensions")
        d = _wrap_dim(dim, self._data.ndim)
        shape = list(self._data.shape)
        if not list(sizes):
            raise RuntimeError("unflatten: sizes must be non-empty")
        sizes, n = list(_shape((sizes,), "unflatten")), shape[d]
        if sizes.count(-1) > 1:
            raise RuntimeError("only one dimension can be inferred")
        known = math.prod(k for k in sizes if k != -1)
        if -1 in sizes and not known and not n:
            raise RuntimeError(f"cannot reshape tensor of 0 elements into shape {sizes} because "
                               f"the unspecified dimension size -1 can be any value and is "
                               f"ambiguous")
        if (not known or n % known) if -1 in sizes else known != n:
            raise RuntimeError(f"unflatten: Provided sizes {sizes} don't multiply up to the "
                               f"size of dim {dim} ({n}) in the input tensor")
        if -1 in sizes:
            sizes[sizes.index(-1)] = n // known
        return self.view(shape[:d] + sizes + shape[d + 1:])

    def repeat_interleave(self, repeats, dim=None, *, output_size=None):
        """Each element repeated ``repeats`` times along dim (of the flattened tensor without
        one), composed as torch's: an int by unsqueeze, expand, a C-ordered copy and a view;
        a tensor of counts by index_select."""
        counts = isinstance(repeats, Tensor)
        if isinstance(repeats, np.integer):  # (torch's parser reads it as an int)
            repeats = int(repeats)
        if not counts and (type(repeats) is not int):
            raise TypeError(f"repeat_interleave(): argument 'repeats' must be Tensor or int, "
                            f"not {_type_name(repeats)}")
        x = self.flatten() if dim is None else self
        d = 0 if dim is None else _wrap_dim(dim, x._data.ndim)
        n = x._data.shape[d] if x._data.ndim else 1
        if not counts:
            if repeats < 0:
                raise RuntimeError("Repeats must be non-negative")
            total = n * repeats
        else:
            r = repeats._data
            if r.ndim > 1:
                raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
            if r.dtype.kind not in "iu":
                raise NotImplementedError(f'"repeat_interleave_cpu" not implemented for '
                                          f"'{ops.TORCH_TYPE_NAMES[r.dtype.name]}'")
            if r.size == 1:
                r = np.broadcast_to(r.reshape(()), (n,))
            if r.shape[0] != n:
                raise RuntimeError(f"repeats must have the same size as input along dim, but "
                                   f"got repeats.size(0) = {r.shape[0]} and input.size({d}) = "
                                   f"{n}")
            if (r < 0).any():
                raise RuntimeError("repeats can not be negative")
            total = int(r.sum())
        if output_size is not None and output_size != total:
            raise RuntimeError(f"repeat_interleave: Invalid output_size, expected {total} but "
                               f"got {output_size}")
        if counts:
            index = np.repeat(np.arange(n), r)
            return x.index_select(d, Tensor._wrap(index))
        column = x.unsqueeze(d + 1)  # (of a 0-d tensor with dim 0: torch's IndexError)
        shape = list(x._data.shape)
        wide = shape[:d + 1] + [repeats] + shape[d + 1:]
        shape[d] = total
        # torch's clone(memory_format=contiguous_format): a copy even where the expand is one
        return ops.Contiguous.apply(column.expand(wide)).view(shape)

    def split(self, split_size, dim=0):
        if self._data.ndim == 0:
            raise RuntimeError("split expects at least a 1-dimensional tensor")
        dim = _wrap_dim(dim, self._data.ndim)
        n = self._data.shape[dim]
        if isinstance(split_size, (list, tuple)):
            sizes = split_size
            for i, size in enumerate(sizes):
                if isinstance(size, bool) or not isinstance(size, (int, np.integer)):
                    raise TypeError(f"split_with_sizes(): argument 'split_sizes' (position 2) "
                                    f"must be tuple of ints, but found element of type "
                                    f"{type(size).__name__} at pos {i}")
            if min(sizes, default=0) < 0:
                raise RuntimeError(f"split_with_sizes expects split_sizes have only "
                                   f"non-negative entries, but got split_sizes={list(sizes)}")
            if sum(sizes) != n:
                raise RuntimeError(
                    f"split_with_sizes expects split_sizes to sum exactly to {n} (input "
                    f"tensor's size at dimension {dim}), but got split_sizes={list(sizes)}")
        elif (isinstance(split_size, bool) or not isinstance(split_size, (int, np.integer))
              and not (isinstance(split_size, Tensor) and split_size.numel() == 1)):
            raise TypeError(f"split_with_sizes(): argument 'split_sizes' (position 2) must be "
                            f"tuple of ints, not {type(split_size).__name__}")
        elif (split_size := int(split_size)) < 0:  # (a tensor through int(), as torch)
            raise RuntimeError(f"split expects split_size be non-negative, but got "
                               f"split_size={split_size}")
        elif n == 0:  # one empty piece, as torch
            sizes = [0]
        elif split_size == 0:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got "
                               f"dimension size of {n}")
        else:
            sizes = [split_size] * (n // split_size) + ([n % split_size] if n % split_size else [])
        lead, start, parts = (slice(None),) * dim, 0, []
        for size in sizes:
            parts.append(self[lead + (slice(start, start + size),)])
            start += size
        return _multi_output(parts, "SplitWithSizes" if isinstance(split_size, (list, tuple))
                             else "Split")

    def chunk(self, chunks, dim=0):
        if self._data.ndim == 0:
            raise RuntimeError("chunk expects at least a 1-dimensional tensor")
        if chunks <= 0:
            raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
        n = self._data.shape[_wrap_dim(dim, self._data.ndim)]
        if n == 0:  # as many empty pieces as asked for, as torch
            return self.split([0] * chunks, dim)
        return self.split(-(-n // chunks), dim)

    def narrow(self, dim, start, length):
        """A view of ``length`` elements along ``dim`` from ``start`` (torch.narrow)."""
        if self._data.ndim == 0:
            raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
        dim = _wrap_dim(dim, self._data.ndim)
        n = self._data.shape[dim]
        start = operator.index(start)
        if not -n <= start <= n:
            raise IndexError(f"start out of range (expected to be in range of [{-n}, {n}], but "
                             f"got {start})")
        if length < 0:
            raise RuntimeError("narrow(): length must be non-negative.")
        start = start + n if start < 0 else start
        if start + length > n:
            raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size "
                               f"({n}).")
        return _named(self[(slice(None),) * dim + (slice(start, start + length),)],
                      "SliceBackward0")  # (torch's node, over the whole dim too)

    def select(self, dim, index):
        """A view of the slice at ``index`` along ``dim``, which goes (torch.select)."""
        if self._data.ndim == 0:
            raise IndexError("select() cannot be applied to a 0-dim tensor.")
        d = _wrap_dim(dim, self._data.ndim)
        n = self._data.shape[d]
        if not -n <= index < n:
            raise IndexError(f"select(): index {index} out of range for tensor of size "
                             f"{list(self._data.shape)} at dimension {dim}")
        return self[(slice(None),) * d + (index,)]

    def flip(self, *dims, **kwargs):
        """A copy with the order of elements reversed along ``dims`` (torch.flip)."""
        if kwargs:
            dims = _keyword_sizes("flip", "dims", dims, kwargs)
        if not dims:
            raise _missing_argument("flip", "dims")
        # (torch's checks of a dim list, as a reduction's; a 0-d tensor flips along no dim)
        dims = _reduction_dims(self, _shape(dims, "flip"))
        return ops.Flip.apply(self, () if dims is None else dims)

    def logsumexp(self, dim, keepdim=False):
        """log(sum(exp(x), dim)), computed without overflow (torch.logsumexp)."""
        if dim is None:
            raise TypeError("logsumexp(): argument 'dim' must be tuple of ints, not NoneType")
        t = self if self._data.dtype.kind == "f" else self.to(_default[0])  # (ints: as torch)
        if isinstance(dim, (tuple, list)) and not dim and not keepdim and t._data.ndim and \
                t._data.size:  # (torch's kernel adds the maxima kept of all dims to a 0-d sum)
            raise RuntimeError(f"output with shape [] doesn't match the broadcast shape "
                               f"{[1] * t._data.ndim}")
        return ops.LogSumExp.apply(t, _reduction_dims(t, dim), keepdim)

    def unbind(self, dim=0):
        if self._data.ndim == 0:
            raise IndexError("Dimension specified as 0 but tensor has no dimensions")
        dim = _wrap_dim(dim, self._data.ndim)
        _read_history(self)  # (as torch's op, also where it returns nothing)
        lead = (slice(None),) * dim
        return _multi_output([self[lead + (i,)] for i in range(self._data.shape[dim])], "Unbind")

    def diag(self, diagonal=0):
        return diag(self, diagonal)

    def gather(self, dim, index, *, sparse_grad=False):
        return gather(self, dim, index, sparse_grad=sparse_grad)

    def scatter(self, dim, index, src=None, *, value=None, reduce=None):
        return scatter(self, dim, index, src, value=value, reduce=reduce)

    def scatter_add(self, dim, index, src):
        return scatter_add(self, dim, index, src)

    def scatter_(self, dim, index, src=None, *, value=None, reduce=None):
        _tensor_argument("scatter_", "index", index, 2)
        looped = isinstance(src, Tensor) and reduce is None
        _memory_after_arguments(self, (index, src), src if looped else None, lambda: scatter(
            self.detach(), dim, index, src, value=value, reduce=reduce))
        return self._inplace(lambda t: _as_looped(
            scatter(t, dim, index, src, value=value, reduce=reduce), t, src if looped else None,
            lambda: _scatter_steps(dim, index), None), (src,),
            what="scatter_()", any_dtype=True, overlap_checked=True)

    def scatter_add_(self, dim, index, src):
        _tensor_arguments("scatter_add_", index, src, ("index", "src"), 2)
        _memory_after_arguments(self, (index, src), src,
                                lambda: scatter_add(self.detach(), dim, index, src))
        return self._inplace(lambda t: _as_looped(scatter_add(t, dim, index, src), t, src,
                                                  lambda: _scatter_steps(dim, index), 1),
                             (src,), what="scatter_add_()", overlap_checked=True)

    def index_add(self, dim, index, source, *, alpha=1):
        """self with ``alpha * source`` added into its slices at ``index`` along dim."""
        return _index_add(self, dim, index, source, alpha, "index_add")

    def index_add_(self, dim, index, source, *, alpha=1):
        _index_add(self, dim, index, source, alpha, "index_add_", check_only=True)
        _check_no_overlap(self, (source,), source)  # (not even the tensor itself, as torch)
        return self._inplace(lambda t: _as_looped(
            _index_add(t, dim, index, source, alpha, "index_add_"), t, source,
            lambda: _index_steps(dim, index, t.ndim), alpha, lines=False), (source,),
            what="index_add_()", overlap_checked=True)

    def index_copy(self, dim, index, source):
        """self with its slices at ``index`` along dim replaced by source's."""
        return _index_add(self, dim, index, source, None, "index_copy")

    def index_copy_(self, dim, index, source):
        if _repeats(self._data):  # (the memory first: its elements, then the source's, not
            raise RuntimeError(REPEATED_WRITE)  # even the tensor itself; then the rest)
        _check_no_overlap(self, (source,), source)
        _index_add(self, dim, index, source, None, "index_copy_", check_only=True)
        return self._inplace(lambda t: _as_looped(
            _index_add(t, dim, index, source, None, "index_copy_"), t, source,
            lambda: _index_steps(dim, index, t.ndim), None, lines=False), (source,),
            what="index_copy_()", overlap_checked=True)

    @_stable_keyword
    def sort(self, dim=-1, descending=False, stable=False):
        return _sort(self, dim, descending, stable)

    @_stable_keyword
    def argsort(self, dim=-1, descending=False, stable=False):
        """The indices that sort the values along ``dim`` (sort's second result)."""
        return _sort(self, dim, descending, stable)[1]

    def cumsum(self, dim, *, dtype=None):
        """Cumulative sums along ``dim`` (integers and bools in int64, as sum)."""
        return self._cumulative(ops.Cumsum, "cumsum", _wrap_dim(dim, self._data.ndim), dtype)

    def cumprod(self, dim, *, dtype=None):
        """Cumulative products along ``dim`` (integers and bools in int64, as prod)."""
        _wrap_dim(dim, self._data.ndim)  # (the node keeps dim as given: torch's backward wraps it)
        return self._cumulative(ops.Cumprod, "cumprod", dim, dtype)

    def _cumulative(self, op, name, dim, dtype):
        """cumsum or cumprod in ``dtype``: a bool one refused, as torch's kernels, and an
        integer one for a tensor that requires grad, which it could not have."""
        if dtype is None:
            dtype = np.int64 if self._data.dtype.kind in "biu" else self._data.dtype
        elif np.dtype(dtype) == _BOOL:
            raise NotImplementedError(f"\"{name}_out_cpu\" not implemented for 'Bool'")
        elif np.dtype(dtype).kind in "biu" and _state.enabled and self.requires_grad:
            raise RuntimeError(f"Autograd not support dtype: "
                               f"{ops.TORCH_TYPE_NAMES[np.dtype(dtype).name]}")
        return op.apply(self, dim, np.dtype(dtype))

    def tril(self, diagonal=0):
        """The lower triangle of each matrix, from ``diagonal`` up (the rest 0)."""
        return _triangle(self, diagonal, False, "tril")

    def triu(self, diagonal=0):
        """The upper triangle of each matrix, from ``diagonal`` down (the rest 0)."""
        return _triangle(self, diagonal, True, "triu")

    def bmm(self, mat2):
        return bmm(*_tensor_arguments("bmm", self, mat2, ("self", "mat2"), 0))

    def addmm(self, mat1, mat2, *, beta=1, alpha=1):
        return addmm(self, mat1, mat2, beta=beta, alpha=alpha)

    def cov(self, *, correction=1, fweights=None, aweights=None):
        return cov(self, correction=correction, fweights=fweights, aweights=aweights)

    def corrcoef(self):
        return corrcoef(self)

    def diagonal(self, offset=0, dim1=0, dim2=1):
        """A view of the diagonal ``offset`` above the main one in the plane of ``dim1`` and
        ``dim2``, as the last dim."""
        n = self._data.ndim
        dim1, dim2 = _wrap_dim(dim1, n), _wrap_dim(dim2, n)  # (torch checks these first)
        if n < 2:
            raise RuntimeError(f"diagonal dimensions requires ndim larger than 1, but got {n}")
        if dim1 == dim2:
            raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
        return ops.Diagonal.apply(self, operator.index(offset), dim1, dim2)

    def roll(self, shifts, dims=None):
        """The elements shifted cyclically by ``shifts`` along ``dims`` (the flattened tensor's
        without dims, as torch)."""
        if type(shifts) is bool:
            raise TypeError("roll(): argument 'shifts' (position 2) must be tuple of ints, not "
                            "bool")
        shifts = tuple(map(operator.index, shifts if isinstance(shifts, (tuple, list))
                           else (shifts,)))
        if not shifts:
            raise RuntimeError("`shifts` required")
        if dims is not None:
            dims = (tuple(dims) if isinstance(dims, (tuple, list)) else (dims,)) or None
        if len(shifts) != (1 if dims is None else len(dims)):
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, "
                               f"dims:{0 if dims is None else len(dims)}")
        if not self._data.size:  # (torch checks no dim of an empty tensor: it copies it)
            return ops.Roll.apply(self, (0,), None)
        if dims is not None:
            dims = tuple(_wrap_dim(d, self._data.ndim) for d in dims)
        return ops.Roll.apply(self, shifts, dims)

    def diff(self, n=1, dim=-1, prepend=None, append=None):
        """Differences of neighbours along ``dim``, taken ``n`` times (after joining
        ``prepend`` and ``append``), as torch composes them: a[1:] - a[:-1]."""
        if self._data.ndim == 0:
            raise RuntimeError("diff expects input to be at least one-dimensional")
        if n < 0:
            raise RuntimeError(f"order must be non-negative but got {n}")
        if n == 0:  # (a copy, whatever prepend and append hold, made as torch makes it)
            return empty_like(self).copy_(self)
        _wrap_dim(dim, self._data.ndim)  # (out of range: torch's IndexError)
        parts = [t for t in (prepend, self, append) if t is not None]
        t = cat(parts, dim) if len(parts) > 1 else self
        for _ in range(n):
            size = t.shape[dim]
            if size == 0:
                break
            after, before = t.narrow(dim, 1, size - 1), t.narrow(dim, 0, size - 1)
            t = after ^ before if t._data.dtype.kind == "b" else after - before  # (bools: xor)
        return t

    def index_select(self, dim, index):
        """The slices at ``index`` (a vector of integers) along ``dim``, copied."""
        return index_select(self, dim, index)

    def topk(self, k, dim=-1, largest=True, sorted=True):
        return topk(self, k, dim, largest, sorted)

    def inverse(self):
        return inverse(self)

    def det(self):
        return det(self)

    def trace(self):
        return trace(self)

    def isclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        return isclose(self, other, rtol, atol, equal_nan)

    def index_fill(self, dim, index, value):
        """The slices at ``index`` (an int64 tensor of at most one dim) along ``dim`` set to
        ``value`` (a number or a 0-d tensor)."""
        _number_argument(value, "index_fill()")
        dim = _wrap_dim(dim, self._data.ndim)
        if not isinstance(index, Tensor):
            raise TypeError(f"index_fill(): argument 'index' must be Tensor, not "
                            f"{type(index).__name__}")
        if index._data.dtype != np.int64:
            raise IndexError("index_fill_(): Expected dtype int64 for index.")
        if index._data.ndim > 1:
            raise RuntimeError("Index has to be a vector/scalar")
        fill = _fill_value(value, self, "index_fill")  # (torch reads it before the indices)
        shape = self._data.shape or (1,)
        size, given, index = shape[dim], index, index._data.reshape(-1)
        if not math.prod(shape[:dim] + shape[dim + 1:]):  # (torch reads no index where the
            index = index[:0]  # slices it fills have no element: none is filled)
        for i in index.tolist():
            if not -size <= i < size:
                if not size:  # (torch first views the tensor with the dim of the indices'
                    _check_restrided_storage(self._data, dim, len(index))  # length)
                raise IndexError(f"index {i} is out of bounds for dimension {dim} with size "
                                 f"{size}")
        return _guard(_differentiable(ops.IndexFill.apply(self, fill, dim, index), value),
                      (given,))

    def index_fill_(self, dim, index, value):
        _tensor_argument("index_fill_", "index", index, 2)
        _number_argument(value, "index_fill_()")
        _check_no_overlap(self, (index,))  # (a tensor value is read as a number first)
        try:
            if not _repeats(self._data):
                return self._inplace(lambda t: t.index_fill(dim, index, value), (value,),
                                     what="index_fill_()", any_dtype=True,
                                     overlap_checked=True, integers="IndexFillBackward1")
            # an expanded tensor: torch fills it, as masked_fill_ (and its backward fails)
            selected = zeros(self._data.shape, dtype=bool_).index_fill(dim, index, True)
        except IndexError as e:
            if "out of bounds" in str(e) and self._data.ndim:  # as torch, the slices before
                # the bad index are filled first (unrecorded, uncounted in ._version)
                _put_before(self._data, (slice(None),) * _wrap_dim(dim, self._data.ndim) +
                            (index._data.reshape(-1),), _unwrap(value))
            raise
        _warn_expanded("index_fill_", "tensor[indices] = tensor")
        mask = _any_copy(selected, self._data)
        return self._inplace(lambda t: t.masked_fill(mask, value), (value,),
                             what="index_fill_()", any_dtype=True, overlap_checked=True,
                             repeats_allowed=True)

    def where(self, condition, y):
        return where(condition, self, y)

    def masked_select(self, mask):
        """The elements where ``mask`` (bool, broadcast with the tensor) holds, in a 1-d
        tensor."""
        if not isinstance(mask, Tensor):
            raise TypeError(f"masked_select(): argument 'mask' (position 1) must be Tensor, not "
                            f"{type(mask).__name__}")
        if mask._data.dtype != np.bool_:
            raise RuntimeError("masked_select: expected BoolTensor for mask")
        _broadcast_shape(mask._data.shape, self._data.shape)
        return ops.MaskedSelect.apply(self, mask)  # (the mask saved: read at backward)

    def masked_fill(self, mask, value):
        _number_argument(value, "masked_fill()")
        if _tensor_argument("masked_fill", "mask", mask, 1)._data.dtype != np.bool_:
            raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with "
                               f"dtype {_C_NAMES[mask._data.dtype.name]}")
        _broadcast_shape(mask._data.shape, self._data.shape)  # (torch's error, naming the dim)
        out = ops.MaskedFill.apply(self, _fill_value(value, self, "masked_fill"), _unwrap(mask))
        return _guard(_differentiable(out, value), (mask,))

    # ------------------------------------------------------------------ reductions

    def sum(self, dim=EVERY_DIM, keepdim=KEEPDIM, dtype=None):
        dim, given, keepdim = _dim_given("sum", dim, keepdim)
        return _with_dim(self._reduced(ops.Sum, dim, keepdim, dtype), given)

    def mean(self, dim=EVERY_DIM, keepdim=KEEPDIM, dtype=None):
        dim, given, keepdim = _dim_given("mean", dim, keepdim)
        t = self if dtype is None else _converted(self, dtype)
        if t._data.dtype.kind != "f":
            raise RuntimeError(
                f"mean(): could not infer output dtype. Input dtype must be either a floating "
                f"point or complex dtype. Got: {dtype_name(t.dtype)[6:].capitalize()}")
        return _with_dim(ops.Mean.apply(t, _reduction_dims(t, dim), keepdim), given)

    def var(self, dim=EVERY_DIM, unbiased=UNBIASED, keepdim=KEEPDIM, *, correction=None):
        """Variance; unbiased (divides by n - 1) by default, as torch."""
        return self._spread(ops.Var, dim, unbiased, keepdim, correction)

    def std(self, dim=EVERY_DIM, unbiased=UNBIASED, keepdim=KEEPDIM, *, correction=None):
        """Standard deviation; unbiased by default, as torch."""
        return self._spread(ops.Std, dim, unbiased, keepdim, correction)

    def _spread(self, op, dim, unbiased, keepdim, correction):
        """var and std, their arguments as torch's three overloads take them: (unbiased),
        (dim, unbiased, keepdim) and (dim=None, *, correction, keepdim)."""
        name = op.__name__.lower()
        if isinstance(dim, bool):  # var(False): the first overload's positional unbiased
            dim, unbiased = EVERY_DIM, dim if type(unbiased) is _Unset else None
        if type(unbiased) is not _Unset and (
                type(unbiased) is not bool or correction is not None or
                dim is EVERY_DIM and type(keepdim) is not _Unset):
            raise TypeError(f"{name}() received an invalid combination of arguments: it takes "
                            f"{name}(unbiased=True), {name}(dim, unbiased=True, keepdim=False) "
                            f"or {name}(dim=None, *, correction=None, keepdim=False), unbiased "
                            f"a bool")
        dim, unbiased, keepdim = _given(dim), _given(unbiased), _given(keepdim)
        if dim is EVERY_DIM:
            dim = None
        if self._data.dtype.kind != "f":
            raise RuntimeError("std and var only support floating point and complex dtypes")
        if correction is None:
            correction = 1 if unbiased else 0
        every = isinstance(dim, (list, tuple)) and not len(dim)  # (dim=(): see _var_backward)
        dim = _reduction_dims(self, dim)
        if ops._count(self._data.shape, dim) - correction <= 0:
            _warn(f"{op.__name__.lower()}(): degrees of freedom is <= 0. Correction "
                  f"should be strictly less than the reduction factor (input numel "
                  f"divided by output numel).")
        return op.apply(self, () if every else dim, correction, keepdim)

    def max(self, dim=EVERY_DIM, keepdim=KEEPDIM, **other):
        """The largest element; with ``dim``, (values, indices) along it; with a tensor, the
        elementwise maximum."""
        if other:  # (max(other=y): the elementwise maximum, the only overload with it)
            dim = _other_keyword("max", dim, keepdim, other)
        if isinstance(dim, Tensor) and type(keepdim) is _Unset:
            return maximum(self, dim)
        dim = _check_one_dim("max", dim, keepdim)
        keepdim = _given(keepdim)
        if dim is EVERY_DIM:
            _check_nonempty(self, "max")
            return ops.Max.apply(self, None, False)
        return self._selected(ops.Max, np.argmax, "max", dim, keepdim)

    def min(self, dim=EVERY_DIM, keepdim=KEEPDIM, **other):
        """The smallest element; with ``dim``, (values, indices) along it."""
        if other:  # (min(other=y): the elementwise minimum, the only overload with it)
            dim = _other_keyword("min", dim, keepdim, other)
        if isinstance(dim, Tensor) and type(keepdim) is _Unset:
            return minimum(self, dim)
        dim = _check_one_dim("min", dim, keepdim)
        keepdim = _given(keepdim)
        if dim is EVERY_DIM:
            _check_nonempty(self, "min")
            return ops.Min.apply(self, None, False)
        return self._selected(ops.Min, np.argmin, "min", dim, keepdim)

    def amax(self, dim=(), keepdim=False):
        """The largest element over ``dim`` (every dim by default); ties share the gradient."""
        return self._extremum(ops.Amax, "amax", dim, keepdim)

    def amin(self, dim=(), keepdim=False):
        """The smallest element over ``dim`` (every dim by default); ties share the gradient."""
        return self._extremum(ops.Amin, "amin", dim, keepdim)

    def _extremum(self, op, name, dim, keepdim):
        several = isinstance(dim, (tuple, list))
        if several and self._data.ndim:  # (each dim in range and not empty, before a repeated
            for d in _dims(dim) or ():  # one is refused)
                _wrap_dim(d, self._data.ndim)
                _check_nonempty_dim(self, name, d)
        dims = _reduction_dims(self, dim)  # (None: every dim)
        if dims is None:
            if self._data.ndim:
                _check_nonempty(self, name)
        elif not several:
            _wrap_dim(dims, self._data.ndim)  # (out of range: torch's IndexError)
            _check_nonempty_dim(self, name, dims)
        return op.apply(self, dims, keepdim)

    def _selected(self, op, arg, name, dim, keepdim):
        """(values, indices) of max or min along ``dim``. As torch's, the node saves the
        indices it returns, so changing them in place before backward is refused."""
        if self._data.ndim:
            dim = _reduction_dims(self, dim)
            _check_nonempty_dim(self, name, dim)
        else:
            _reduction_dims(self, dim)  # (checks dim: 0 or -1 for a 0-d tensor)
            dim = 0
        values = op.apply(self, dim, keepdim)
        node = values._grad_fn
        if node is None:  # nothing recorded: indices of their own
            return RESULTS[name](values, self._arg(arg, name, dim if self._data.ndim else None,
                                               keepdim, bools=True))
        (index,) = node.saved
        indices = Tensor._wrap(index if keepdim or not self._data.ndim else np.squeeze(index, dim))
        node.versions += ((indices._counter, 0, 0, None),)
        node.read = ((indices, indices._data),)  # (.data replaced: autograd._check_read)
        return RESULTS[name](values, indices)

    def median(self, dim=EVERY_DIM, keepdim=KEEPDIM):
        """The median (of two middle values, the lower); with ``dim``, (values, indices) along
        it. NaN if there is one."""
        dim = _check_one_dim("median", dim, keepdim)
        keepdim = _given(keepdim)
        every = dim is EVERY_DIM
        if not every and self._data.ndim:  # (the dim checked first, as torch)
            _check_nonempty_dim(self, "median", _reduction_dims(self, dim))
        if self._data.dtype == np.bool_ and (self._data.size or not every):
            raise NotImplementedError(f'"median_{"cpu" if every else "out"}" not '
                                      f"implemented for 'Bool'")
        if every:
            return ops.Median.apply(self, None, False)
        return self._selected(ops.Median, ops.argmedian, "median", dim, keepdim)

    def argmax(self, dim=None, keepdim=False):
        return self._arg(np.argmax, "argmax", dim, keepdim)

    def argmin(self, dim=None, keepdim=False):
        return self._arg(np.argmin, "argmin", dim, keepdim)

    def _arg(self, fn, name, dim, keepdim, bools=False):
        _check_one_dim(name, EVERY_DIM if dim is None else dim)  # (None: every element)
        if self._data.dtype.kind == "b" and not bools:  # (max(dim) of bools is fine)
            raise RuntimeError(f"{name}(): does not support bool input")
        if dim is None and self._data.size == 0:
            raise IndexError(f"{name}(): Expected reduction dim to be specified for "
                             f"input.numel() == 0.")
        if dim is not None:
            dim = _reduction_dims(self, dim)
            _check_nonempty_dim(self, name, dim)
        index = fn(self._data, axis=dim, keepdims=keepdim)  # (no dim: every dim kept, size 1)
        return Tensor._wrap(np.asarray(index, dtype=int64))

    def prod(self, dim=EVERY_DIM, keepdim=KEEPDIM, dtype=None):
        if dim is not EVERY_DIM and not isinstance(dim, (int, np.integer)):  # (torch: one dim)
            raise TypeError(f"prod() received an invalid combination of arguments - got "
                            f"({type(dim).__name__}), but expected one int dim")
        if dim is EVERY_DIM and type(keepdim) is not _Unset:  # (keepdim goes with a dim only)
            raise TypeError("prod() received an invalid combination of arguments - got "
                            "(keepdim=bool, ): keepdim goes with a dim")
        keepdim = _given(keepdim)
        return _with_dim(self._reduced(ops.Prod, None if dim is EVERY_DIM else dim, keepdim,
                                       dtype), dim is not EVERY_DIM)

    def _reduced(self, op, dim, keepdim, dtype):
        """sum or prod, of the tensor converted to ``dtype`` when one is given: the result
        keeps it (numpy adds small integers in int64), and an integer or bool one, which has
        no gradient, is refused for a tensor that requires grad, as torch refuses it."""
        if dtype is None:
            return op.apply(self, _reduction_dims(self, dim), keepdim)
        t = _converted(self, dtype)
        if t._data.dtype.kind in "biu" and _state.enabled and self.requires_grad:
            raise RuntimeError(f"Autograd not support dtype: "
                               f"{ops.TORCH_TYPE_NAMES[t._data.dtype.name]} (sum or multiply "
                               f"x.detach() to have no gradient, or use a float dtype)")
        out = op.apply(t, _reduction_dims(t, dim), keepdim)
        return out if out._data.dtype == t._data.dtype else out.to(dtype)

    def norm(self, p="fro", dim=None, keepdim=False, dtype=None):
        return norm(self, p, dim, keepdim, dtype)

    def all(self, dim=None, keepdim=False):
        return self._logical(np.all, dim, keepdim)

    def any(self, dim=None, keepdim=False):
        return self._logical(np.any, dim, keepdim)

    def _logical(self, reduce, dim, keepdim):
        """all and any over ``dim`` (every dim by default; an empty list of dims reduces none,
        unlike sum's): bool, or uint8 for uint8, as torch's."""
        if isinstance(dim, (list, tuple)) and not dim:
            dim = ()
        elif dim is not None:
            dim = _reduction_dims(self, dim)  # (torch's errors for dims out of range or twice)
            if isinstance(dim, int):
                dim = _wrap_dim(dim, self._data.ndim)
        out = _layout.c_order(np.asarray(reduce(self._data, axis=dim, keepdims=keepdim)))
        return Tensor._wrap(out.astype(np.uint8) if self._data.dtype == np.uint8 else out)

    def equal(self, other):
        _tensor_argument("equal", "other", other, 1)
        return self.shape == other.shape and bool(np.array_equal(self._data, other._data))

    def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        return bool(_close("allclose", self, other, rtol, atol, equal_nan).all())

    def isnan(self):
        return _elementwise(np.isnan, self)

    def isinf(self):
        return _elementwise(np.isinf, self)

    def isfinite(self):
        _read_history(self)
        return _elementwise(np.isfinite, self)

    def isposinf(self):
        return _elementwise(np.isposinf, self)

    def isneginf(self):
        return _elementwise(np.isneginf, self)

    def signbit(self):
        return _elementwise(np.signbit, self)

    def nan_to_num(self, nan=0.0, posinf=None, neginf=None):
        """NaN, inf and -inf replaced by ``nan`` and by ``posinf`` and ``neginf`` (the largest
        and the lowest number of the dtype by default); integers and bools copied as they are."""
        nan = 0.0 if nan is None else nan  # (torch takes None for its default too)
        if self._data.dtype.kind != "f" and not (_state.enabled and self.requires_grad):
            return Tensor._wrap(self._data.copy())  # (one with a history: refused, as torch)
        return ops.NanToNum.apply(self, nan, posinf, neginf)

    def count_nonzero(self, dim=None):
        dim = _reduction_dims(self, dim)  # (torch's errors; () is every dim)
        if isinstance(dim, int):
            dim = _wrap_dim(dim, self._data.ndim)
        return Tensor._wrap(_layout.c_order(np.asarray(np.count_nonzero(self._data, axis=dim),
                                                       dtype=int64)))

    # ------------------------------------------------------------------ elementwise

    def exp(self):
        return ops.Exp.apply(_floating(self))

    def frac(self):
        if self._data.dtype.kind != "f":
            raise NotImplementedError(f'"frac_cpu" not implemented for '
                                      f"'{ops.TORCH_TYPE_NAMES[self._data.dtype.name]}'")
        return ops.Frac.apply(self)

    def frac_(self):
        return self._inplace(Tensor.frac, what="frac_()")

    def log(self):
        return ops.Log.apply(_floating(self))

    def sqrt(self):
        return ops.Sqrt.apply(_floating(self))

    def tanh(self):
        return ops.Tanh.apply(_floating(self))

    def sigmoid(self):
        return ops.Sigmoid.apply(_floating(self))

    def sin(self):
        return ops.Sin.apply(_floating(self))

    def cos(self):
        return ops.Cos.apply(_floating(self))

    def log1p(self):
        return ops.Log1p.apply(_floating(self))

    def erf(self):
        return ops.Erf.apply(_floating(self))

    def expm1(self):
        return ops.Expm1.apply(_floating(self))

    def rsqrt(self):
        return ops.Rsqrt.apply(_floating(self))

    def tan(self):
        return ops.Tan.apply(_floating(self))

    def asin(self):
        return ops.Asin.apply(_floating(self))

    def acos(self):
        return ops.Acos.apply(_floating(self))

    def atan(self):
        return ops.Atan.apply(_floating(self))

    arcsin, arccos, arctan = asin, acos, atan

    def sinh(self):
        return ops.Sinh.apply(_floating(self))

    def cosh(self):
        return ops.Cosh.apply(_floating(self))

    def asinh(self):
        return ops.Asinh.apply(_floating(self))

    def acosh(self):
        return ops.Acosh.apply(_floating(self))

    def atanh(self):
        return ops.Atanh.apply(_floating(self))

    arcsinh, arccosh, arctanh = asinh, acosh, atanh

    def exp2(self):
        return ops.Exp2.apply(_floating(self))

    def log2(self):
        return ops.Log2.apply(_floating(self))

    def log10(self):
        return ops.Log10.apply(_floating(self))

    def floor(self):
        return self._rounded(ops.Floor, "floor")

    def ceil(self):
        return self._rounded(ops.Ceil, "ceil")

    def trunc(self):
        return self._rounded(ops.Trunc, "trunc")

    def round(self, *, decimals=None):
        if decimals is not None and self._data.dtype.kind != "f":  # (torch's other overload)
            raise NotImplementedError(f'"round{"_vml" if decimals == 0 else ""}_cpu" not '
                                      f"implemented for "
                                      f"'{ops.TORCH_TYPE_NAMES[self._data.dtype.name]}'")
        return self._rounded(ops.Round, "round", decimals)

    def _rounded(self, op, name, *args):
        """floor, ceil, trunc, round: an integer tensor is its own value (a copy), as torch's."""
        kind = self._data.dtype.kind
        if kind == "b":
            raise NotImplementedError(f'"{name}_vml_cpu" not implemented for \'Bool\'')
        return ops.Clone.apply(self) if kind in "iu" else op.apply(self, *args)

    def relu(self):
        if self._data.dtype.kind == "b":
            raise RuntimeError("Boolean inputs not supported for relu; convert the tensor with "
                               ".float()")
        return ops.ReLU.apply(self)

    def abs(self):
        if self._data.dtype.kind == "b":
            raise NotImplementedError('"abs_cpu" not implemented for \'Bool\'')
        return ops.Abs.apply(self)

    absolute = abs

    def sign(self):
        if self._data.dtype.kind == "b":  # (the sign of a bool is itself, a bool)
            return self.clone()
        return ops.Sign.apply(self)

    def sgn(self):
        if self._data.dtype.kind == "b":
            return self.clone()
        return ops.Sgn.apply(self)

    def positive(self):
        """``+x``: x itself."""
        if self._data.dtype.kind == "b":
            raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
        return self

    def deg2rad(self):
        return self._scaled(math.pi / 180, "Deg2RadBackward0")

    def rad2deg(self):
        return self._scaled(180 / math.pi, "Rad2DegBackward0")

    def _scaled(self, factor, name):
        """deg2rad, rad2deg: x times a constant, as torch's (integers in the default dtype)."""
        return ops.Scale.apply(_floating(self), factor, name)

    def fliplr(self):
        if self._data.ndim < 2:
            raise RuntimeError("Input must be >= 2-d.")
        return self.flip(1)

    def flipud(self):
        if self._data.ndim < 1:
            raise RuntimeError("Input must be >= 1-d.")
        return self.flip(0)

    def square(self):
        return self ** 2  # (torch's pow: a bool tensor squares to int64)

    def neg(self):
        return -self

    negative = neg

    def reciprocal(self):
        return ops.Reciprocal.apply(_floating(self))

    def clamp(self, min=None, max=None):
        if min is None and max is None:
            raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        min, max = (_number(b) if isinstance(b, np.generic) else b for b in (min, max))
        for name, bound in (("min", min), ("max", max)):
            if bound is not None:
                _number_argument(bound, "clamp()", name)
        tensors = isinstance(min, Tensor) + isinstance(max, Tensor)
        if tensors == 1 and min is not None and max is not None:  # torch's parser takes a 0-d
            # tensor that needs no gradient for a number, so the two are numbers
            bound = min if isinstance(min, Tensor) else max
            if not bound._data.ndim and not bound.requires_grad:
                return self.clamp(*(b.item() if b is bound else b for b in (min, max)))
            raise TypeError(f"clamp() received an invalid combination of arguments - got "
                            f"(max={type(max).__name__}, min={type(min).__name__}), but "
                            f"expected (Tensor min = None, Tensor max = None) or (Number min = "
                            f"None, Number max = None): both bounds tensors or both numbers")
        t = self
        if t._data.dtype.kind == "b" and not tensors:  # number bounds promote a bool tensor;
            numbers = {type(b) for b in (min, max)} - {type(None)}  # bools leave it bool,
            if numbers == {bool}:  # which torch's kernels refuse
                which = "clamp" if min is not None and max is not None else \
                    "clamp_min" if min is not None else "clamp_max"
                raise NotImplementedError(f'"{which}_scalar_cpu" not implemented for \'Bool\'')
            if int in numbers:
                t = t.long()
        if tensors == 2 and all(b._data.dtype.kind == "b" for b in (t, min, max)):
            raise NotImplementedError('"clamp_cpu" not implemented for \'Bool\'')
        if t._data.dtype.kind in "biu" and (type(min) is float or type(max) is float):
            t = t.to(_default[0])  # an integer tensor clamped to float bounds becomes float
        if tensors == 2:  # (the three promote together: a 0-d bound does not widen)
            dtype = _common_dtype(t, min, max)
            t, min, max = (x if x._data.dtype == dtype else _promoted(x, dtype)
                           for x in (t, min, max))
        # (two number bounds, one NaN: torch fills the result with NaN, reading neither)
        filled = not tensors and None not in (min, max) and (min != min or max != max)
        if isinstance(min, Tensor):
            t, min = _promote(t, min)
        elif type(min) in (int, float) and not filled:
            min = _checked(min, t._data.dtype)
        if isinstance(max, Tensor):
            t, max = _promote(t, max)
        elif type(max) in (int, float) and not filled:
            max = _checked(max, t._data.dtype)
        out = ops.Clamp.apply(t, min, max)
        node = out._grad_fn
        if tensors and node is not None:  # torch's overload with tensor bounds: an entry in
            node.label = "ClampBackward0"  # next_functions for each bound, even an absent one
            node.constants = getattr(node, "constants", 0) | 0b110
        return out

    clip = clamp

    def clamp_min(self, min):
        _bound_argument("clamp_min", min)
        return _bound(self.clamp(min=min), "ClampMin", min)

    def clamp_max(self, max):
        _bound_argument("clamp_max", max)
        return _bound(self.clamp(max=max), "ClampMax", max)

    def maximum(self, other):
        return maximum(self, other)

    def atan2(self, other):
        return atan2(self, _tensor_argument("atan2", "other", other, 1))

    arctan2 = atan2

    def hypot(self, other):
        return hypot(self, _tensor_argument("hypot", "other", other, 1))

    def copysign(self, other):
        return copysign(self, other)

    def xlogy(self, other):
        return xlogy(self, other)

    def logaddexp(self, other):
        return logaddexp(self, _tensor_argument("logaddexp", "other", other, 1))

    def lerp(self, end, weight):
        return lerp(self, end, weight)

    def outer(self, vec2):
        return outer(*_tensor_arguments("outer", self, vec2, ("self", "vec2"), 0))

    ger = outer

    def minimum(self, other):
        return minimum(self, other)

    def pow(self, exponent):
        return self ** exponent

    def add(self, other, *deprecated, alpha=1):
        if deprecated:  # (add(alpha, other), old torch's)
            other, alpha = _alpha_first("add", other, deprecated, alpha)
        return _plus_scaled(self, other, alpha)

    def sub(self, other, *deprecated, alpha=1):
        if deprecated:  # (sub(alpha, other), old torch's)
            other, alpha = _alpha_first("sub", other, deprecated, alpha)
        _check_bool_sub(self, other)  # (before alpha is read)
        return _plus_scaled(self, other, alpha, subtract=True)

    def mul(self, other):
        return self * other

    def div(self, other, *, rounding_mode=None):
        if rounding_mode is None:
            return self / other
        if rounding_mode not in ("floor", "trunc"):
            raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or "
                               f"'floor' but found '{rounding_mode}'")
        return ops.DivRounded.apply(*_promote(self, other, scalar_kernel=True), rounding_mode)

    multiply, divide, subtract = mul, div, sub

    def matmul(self, other):
        return _product(self, other, 1)

    def __matmul__(self, other):
        if isinstance(other, (Tensor, np.ndarray)):
            return _product(self, other)
        return NotImplemented  # (a number or a list: Python's TypeError, as torch's)

    def mm(self, other):
        return mm(*_tensor_arguments("mm", self, other, ("self", "mat2"), 0))

    def mv(self, other):
        return mv(*_tensor_arguments("mv", self, other, ("self", "vec"), 0))

    def dot(self, other):
        return dot(*_tensor_arguments("dot", self, other, ("self", "tensor"), 0))

    def softmax(self, dim, dtype=None):
        from .nn.functional import softmax
        if dim is None:  # (F.softmax takes one, with a warning; the method does not)
            raise TypeError("softmax(): argument 'dim' must be int, not NoneType")
        return softmax(self, dim, dtype=dtype)

    def log_softmax(self, dim, dtype=None):
        from .nn.functional import log_softmax
        if dim is None:
            raise TypeError("log_softmax(): argument 'dim' must be int, not NoneType")
        return log_softmax(self, dim, dtype=dtype)

    def exp_(self):
        return self._inplace(Tensor.exp, what="exp_()")

    def log_(self):
        return self._inplace(Tensor.log, what="log_()")

    def sqrt_(self):
        return self._inplace(Tensor.sqrt, what="sqrt_()")

    def tanh_(self):
        return self._inplace(Tensor.tanh, what="tanh_()")

    def sigmoid_(self):
        return self._inplace(Tensor.sigmoid, what="sigmoid_()")

    def relu_(self):
        return self._inplace(Tensor.relu, what="relu_()")

    def abs_(self):
        return self._inplace(Tensor.abs, what="abs_()")

    def neg_(self):
        return self._inplace(Tensor.neg, what="neg_()")

    def sin_(self):
        return self._inplace(Tensor.sin, what="sin_()")

    def cos_(self):
        return self._inplace(Tensor.cos, what="cos_()")

    def erf_(self):
        return self._inplace(Tensor.erf, what="erf_()")

    def tan_(self):
        return self._inplace(Tensor.tan, what="tan_()")

    def asin_(self):
        return self._inplace(Tensor.asin, what="asin_()")

    def acos_(self):
        return self._inplace(Tensor.acos, what="acos_()")

    def atan_(self):
        return self._inplace(Tensor.atan, what="atan_()")

    def sinh_(self):
        return self._inplace(Tensor.sinh, what="sinh_()")

    def cosh_(self):
        return self._inplace(Tensor.cosh, what="cosh_()")

    def asinh_(self):
        return self._inplace(_no_inplace_derivative(Tensor.asinh), what="asinh_()")

    def acosh_(self):
        return self._inplace(_no_inplace_derivative(Tensor.acosh), what="acosh_()")

    def atanh_(self):
        return self._inplace(_no_inplace_derivative(Tensor.atanh), what="atanh_()")

    def exp2_(self):
        return self._inplace(Tensor.exp2, what="exp2_()")

    def expm1_(self):
        return self._inplace(Tensor.expm1, what="expm1_()")

    def log1p_(self):
        return self._inplace(Tensor.log1p, what="log1p_()")

    def log2_(self):
        return self._inplace(Tensor.log2, what="log2_()")

    def log10_(self):
        return self._inplace(Tensor.log10, what="log10_()")

    def rsqrt_(self):
        return self._inplace(Tensor.rsqrt, what="rsqrt_()")

    def reciprocal_(self):
        return self._inplace(Tensor.reciprocal, what="reciprocal_()")

    def square_(self):
        return self._inplace(Tensor.square, what="square_()")

    def sign_(self):
        return self._inplace(Tensor.sign, what="sign_()")

    def sgn_(self):
        return self._inplace(Tensor.sgn, what="sgn_()")

    def cumsum_(self, dim, *, dtype=None):
        _same_dtype_inplace(self, dtype)
        if _bool_cumulative(self, "cumsum"):
            return self
        return self._inplace(lambda t: t.cumsum(dim), what="cumsum_()")

    def cumprod_(self, dim, *, dtype=None):
        _same_dtype_inplace(self, dtype)
        if _bool_cumulative(self, "cumprod"):
            return self
        return self._inplace(lambda t: t.cumprod(dim), what="cumprod_()")

    # The logical ops in place are outside torch's autograd (kernels writing into self): the
    # values change and the version moves, but the history stays, even a leaf's that requires
    # grad, and backward goes on as if nothing had changed (torch's)
    def logical_not_(self):
        with no_grad():
            return self._inplace(Tensor.logical_not, what="logical_not_()", any_dtype=True)

    def logical_and_(self, other):
        return self._logical_(other, Tensor.logical_and, "logical_and_")

    def logical_or_(self, other):
        return self._logical_(other, Tensor.logical_or, "logical_or_")

    def logical_xor_(self, other):
        return self._logical_(other, Tensor.logical_xor, "logical_xor_")

    def _logical_(self, other, op, name):
        _tensor_argument(name, "other", other, 1)
        with no_grad():
            return self._inplace(lambda t: op(t, other), (other,), what=f"{name}()",
                                 any_dtype=True)

    def floor_(self):
        return self._inplace(Tensor.floor, what="floor_()")

    def ceil_(self):
        return self._inplace(Tensor.ceil, what="ceil_()")

    def trunc_(self):
        return self._inplace(Tensor.trunc, what="trunc_()")

    fix, fix_ = trunc, trunc_

    def deg2rad_(self):
        return self._inplace(Tensor.deg2rad, what="deg2rad_()")

    def rad2deg_(self):
        return self._inplace(Tensor.rad2deg, what="rad2deg_()")

    def round_(self, *, decimals=None):
        return self._inplace(lambda t: t.round(decimals=decimals), what="round_()")

    def nan_to_num_(self, nan=0.0, posinf=None, neginf=None):
        return self._inplace(lambda t: t.nan_to_num(nan, posinf, neginf), what="nan_to_num_()",
                             repeats_allowed=self._data.dtype.kind in "biu")  # (torch's copy_
        # of integers onto themselves, which checks no overlap)

    def atan2_(self, other):
        _tensor_argument("atan2_", "other", other, 1)
        return self._inplace(lambda t: t.atan2(other), (other,), what="atan2_()")

    def copysign_(self, other):
        return self._inplace(lambda t: t.copysign(other), (other,), what="copysign_()")

    def xlogy_(self, other):
        return self._inplace(lambda t: t.xlogy(other), (other,), what="xlogy_()")

    def hypot_(self, other):
        _tensor_argument("hypot_", "other", other, 1)
        _fits_in_place(self, (other,), "hypot_()")  # (the shapes, then the dtypes, as torch)
        result = np.dtype(result_type(self, other))
        if not can_cast(result, self.dtype):  # (before the op refuses integers, as torch)
            raise _cast_error(result, self, "hypot_()")
        return self._inplace(lambda t: t.hypot(other), (other,), what="hypot_()")

    absolute_, negative_, arcsin_, arccos_, arctan_, arctan2_ = \
        abs_, neg_, asin_, acos_, atan_, atan2_
    arcsinh_, arccosh_, arctanh_ = asinh_, acosh_, atanh_
    multiply_, divide_, subtract_ = mul_, div_, sub_

    def true_divide_(self, other):
        return self.div_(other)

    def tril_(self, diagonal=0):
        return self._triangle_(diagonal, False, "tril")

    def triu_(self, diagonal=0):
        return self._triangle_(diagonal, True, "triu")

    def _triangle_(self, diagonal, upper, who):
        """tril_ and triu_: torch's kernel writes zeros past the triangle and nothing else, so
        into an expanded tensor too (where a repeated element keeps its value if one of its
        copies lies in the triangle)."""
        if type(diagonal) is not int and not isinstance(diagonal, np.integer):
            raise TypeError(f"{who}_(): argument 'diagonal' (position 1) must be int, not "
                            f"{type(diagonal).__name__}")
        if self._data.ndim < 2:
            raise RuntimeError(f"{who}: input tensor must have at least 2 dimensions")

        def direct(a):
            outside = ~(np.triu if upper else np.tril)(np.ones(a.shape[-2:], bool), diagonal)
            _writable(a, repeats_allowed=True)[..., outside] = 0
        return self._inplace(lambda t: _triangle(t, diagonal, upper, who), what=f"{who}_()",
                             direct=direct, repeats_allowed=True)


def _elementwise(ufunc, t):
    """A tensor of ufunc(t), laid out as torch's TensorIterator lays out a function of t."""
    return Tensor._wrap(_layout.like_operands(np.asarray(ufunc(t._data)), (t._data,)))


def _no_inplace_derivative(method):
    """``method`` for an in-place form that torch records without a derivative (asinh_,
    acosh_, atanh_): a node whose backward raises torch's error."""
    def compute(t):
        out = method(t)
        if out._grad_fn is None:
            return out
        error = (NotImplementedError,
                 f"the derivative for 'inplace version of {method.__name__}' is not implemented.")
        return ops.NoDerivative.apply(t, out._data, method.__name__.title() + "Backward1", error)

    return compute


def _numpy_keywords(function):
    """``function`` taking numpy's ``axis=`` for ``dim=`` and ``keepdims=`` for ``keepdim=``,
    as torch's argument parser lets every function and method it binds (not the ones torch
    writes in Python: norm, split, unique, and torch.nn.functional's)."""
    @functools.wraps(function)
    def taking_numpy_names(*args, **kwargs):
        if "axis" in kwargs or "keepdims" in kwargs:
            for numpy_name, name in (("axis", "dim"), ("keepdims", "keepdim")):
                if numpy_name in kwargs:
                    if name in kwargs:
                        raise TypeError(f"{function.__name__}() got both {name}= and its "
                                        f"numpy name {numpy_name}=: give one")
                    kwargs[name] = kwargs.pop(numpy_name)
        return function(*args, **kwargs)
    return taking_numpy_names


for _name in ("unsqueeze", "squeeze", "chunk", "narrow", "select", "logsumexp", "unbind",
              "gather", "sort", "argsort", "cumsum", "cumprod", "diff", "index_select", "topk",
              "index_fill", "index_fill_", "sum", "mean", "var", "std", "max", "min", "amax",
              "amin", "median", "argmax", "argmin", "prod", "all", "any", "count_nonzero",
              "softmax", "log_softmax", "size", "stride", "scatter", "scatter_", "scatter_add",
              "scatter_add_"):
    setattr(Tensor, _name, _numpy_keywords(getattr(Tensor, _name)))


_TENSOR_OPERANDS = (Tensor, *_OPERANDS)


def _operator(method, operands=_TENSOR_OPERANDS, arrays=False, history=True, inplace=False):
    """A binary operator: for an operand that is neither a tensor, a number nor a numpy array
    (a list, a string, None, a Fraction), NotImplemented, as torch's operators, so that Python
    does with it what it does without tensors: ``[1, 2] * x`` repeats the list (x an integer
    of one element), ``x == "a"`` is False, ``x + [1]`` a TypeError. (The methods, x.add and
    x.eq, refuse it with a TypeError, as torch's; a complex number is refused: tinyad has no
    complex tensors.) Unless ``arrays``, a numpy array too, as torch's, so that the array's
    reflected operator runs numpy's ufunc (``t * arr``: numpy's dtype, refused for a tensor
    that requires grad; see __array_ufunc__); not in a backward formula under create_graph,
    whose arrays (masks, constants) are operands. With ``history``, autograd comes first, as
    _autograd_first has it (``inplace``: for an in-place operator)."""
    @functools.wraps(method)
    def operator(self, other):
        if isinstance(other, operands):
            if not arrays and isinstance(other, np.ndarray) and not _state.formulas:
                return NotImplemented
            if not history:
                return method(self, other)
            try:
                return method(self, other)
            except (RuntimeError, IndexError, ValueError) as e:  # (as _autograd_first's, in
                error = e  # this one call)
            _refusal_first(method, inplace, (self, other), {}, error)
        if isinstance(other, complex):  # (a number torch computes with: refused, not ignored)
            raise _operand_error(other, method.__name__)
        return NotImplemented
    operator.autograd_first = history  # (not wrapped again below)
    return operator


for _name in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or",
              "xor", "lshift", "rshift"):
    for _form in ("__{}__", "__r{}__"):
        if hasattr(Tensor, _form.format(_name)):
            setattr(Tensor, _form.format(_name), _operator(getattr(Tensor, _form.format(_name))))
    if hasattr(Tensor, f"__i{_name}__"):  # (x += array: x + array, a new tensor, as torch's)
        setattr(Tensor, f"__i{_name}__", _operator(getattr(Tensor, f"__i{_name}__"), (
            Tensor, np.generic, int, float), inplace=True))
for _name in ("eq", "ne", "lt", "le", "gt", "ge"):  # (torch's == takes an array; the others
    setattr(Tensor, f"__{_name}__", _operator(getattr(Tensor, _name), arrays=_name == "eq",
                                              history=False))


def _no_array(method):
    """A method whose operand is a tensor or a number (x.add(other)): a numpy array refused
    with torch's TypeError (its operators take one: _operator), but not in a backward formula
    under create_graph, whose arrays are operands."""
    @functools.wraps(method)
    def checked(self, other, *args, **kwargs):
        if isinstance(other, np.ndarray) and not _state.formulas:
            raise TypeError(f"{method.__name__}(): argument 'other' (position 1) must be Tensor, "
                            f"not numpy.ndarray (make it a tensor: torch.from_numpy(array))")
        return method(self, other, *args, **kwargs)
    return checked


for _name in ("add", "sub", "mul", "div", "true_divide", "floor_divide", "remainder", "fmod",
              "pow", "matmul", "eq", "ne", "lt", "le", "gt", "ge"):
    setattr(Tensor, _name, _no_array(getattr(Tensor, _name)))
Tensor.not_equal, Tensor.less, Tensor.less_equal, Tensor.greater, Tensor.greater_equal = (
    Tensor.ne, Tensor.lt, Tensor.le, Tensor.gt, Tensor.ge)


def _autograd_first(function, inplace=False):
    """An op as torch runs it in grad mode: autograd comes before the kernel's checks of
    shapes, dtypes, dims and indices. For an in-place op it refuses a leaf (or a view of one)
    that requires grad, and, where it or an operand requires grad, a view made under no_grad
    or one of several views; for every op it then reads the history
    of the tensors given, refusing a view that cannot have one (made under no_grad, or one of
    several views, and changed in place since: see _sync_view). So where the op fails, that
    refusal, if there is one, is the error raised (TypeError, from torch's argument parser,
    comes before autograd: it is left as it is)."""
    @functools.wraps(function)
    def op(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except (RuntimeError, IndexError, ValueError) as e:  # (NotImplementedError included)
            error = e
        _refusal_first(function, inplace, args, kwargs, error)
    return op


def _refusal_first(function, inplace, args, kwargs, error):
    """Raise autograd's refusal of the call ``function(*args, **kwargs)`` that failed with
    ``error`` (see _autograd_first), or, where autograd has none, ``error``."""
    if _state.enabled:
        if inplace:  # (an operand that requires grad: torch's check of the view too)
            operands = [t for t in (*args[1:], *kwargs.values()) if isinstance(t, Tensor)]
            if args[0].requires_grad or any(t.requires_grad for t in operands):
                args[0]._recorded_inplace(operands, f"{function.__name__}()", True)
        _read_history(*args, *kwargs.values(),
                      *(t for a in args if type(a) in (list, tuple) for t in a))
    raise error


# methods that do not read the history (torch's non-differentiable ops, and those whose checks
# come first: indexing, conversions to a number or a type, a tensor's facts)
_NO_HISTORY = {
    "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "eq", "ne", "lt", "le", "gt",
    "ge", "not_equal", "less", "less_equal", "greater", "greater_equal", "all", "any",
    "allclose", "equal", "argmax", "argmin", "argwhere", "nonzero", "count_nonzero", "isnan",
    "isinf", "isfinite", "isposinf", "isneginf", "signbit", "logical_and", "logical_or",
    "logical_xor", "logical_not", "bool", "byte", "char", "short", "int", "long", "to", "type",
    "cpu", "cuda", "detach", "contiguous", "positive", "item", "numpy", "tolist",
    "__getitem__", "__setitem__", "__bool__", "__float__", "__int__", "__index__", "__len__",
    "__iter__", "__contains__", "__repr__", "__format__", "__array__", "__array_ufunc__",
    "__array_function__", "__array_wrap__", "__reduce_ex__", "__deepcopy__", "__hash__",
    "size", "stride", "dim", "ndimension", "numel", "nelement", "element_size", "data_ptr",
    "get_device", "storage_offset", "is_contiguous", "is_floating_point", "is_complex",
    "is_signed", "is_inference", "is_same_size", "is_nonzero", "new_empty", "new_full",
    "new_ones", "new_zeros", "new_tensor", "type_as", "requires_grad_", "retain_grad",
    "register_hook", "backward",
    # (torch's composite ops, whose own checks come before the ops they are made of)
    "flatten", "unflatten", "chunk", "movedim", "moveaxis", "diff", "narrow", "outer", "diag",
    "svd", "repeat_interleave"}
_NOT_REFUSED_IN_PLACE = {"requires_grad_", "detach_", "share_memory_", "unsqueeze_",
                         "squeeze_", "t_", "transpose_", "swapaxes_", "swapdims_"}
for _name, _method in list(vars(Tensor).items()):
    if not callable(_method) or isinstance(_method, type) or _name in _NO_HISTORY or \
            getattr(_method, "autograd_first", False) or \
            _name.startswith("_") and not (_name.startswith("__") and _name.endswith("__")) or \
            _name in ("__init__", "__new__", "__init_subclass__", "__class_getitem__"):
        continue
    setattr(Tensor, _name, _autograd_first(_method, inplace=(
        _name.endswith("_") and not _name.startswith("_") and _name not in _NOT_REFUSED_IN_PLACE
        or _name.startswith("__i") and _name not in ("__invert__", "__int__", "__index__"))))


# ----------------------------------------------------------------------------- helpers


def _type_name(x):
    t = type(x)
    return t.__name__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__name__}"


def _warn_nonleaf_grad():
    _warn(
        "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
        "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
        "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf "
        "Tensor.", UserWarning)


def _is_dtype(x):
    if isinstance(x, (device, int, np.generic, Tensor)) or (  # (np.int64(6): a size)
            isinstance(x, str) and x.partition(":")[0] in ("cpu", "cuda", "mps", "meta")):
        return False
    try:
        np.dtype(x)
        return True
    except TypeError:
        return False


def _cast(t, dtype):
    """t converted to dtype: in the graph between float dtypes, outside it otherwise (torch
    does not differentiate through integer or bool results)."""
    if dtype.kind == "f" and (t._data.dtype.kind == "f" or t.requires_grad):
        return ops.Cast.apply(t, dtype)  # (an integer view requires grad through its base)
    return Tensor._wrap(_layout.astype(t._data, dtype))


def _where_number(number, t):
    """A Python number beside tensor ``t`` in where(): torch checks an int as a fill of an
    integer ``t`` and a float as one of the float dtype the result has, but a float16 one not
    (the number turns inf there)."""
    if type(number) is int and t._data.dtype.kind in "iu":
        return _checked(number, t._data.dtype)
    if type(number) is float and t._data.dtype != np.float16:
        return _checked(number, t._data.dtype if t._data.dtype.kind == "f" else _default[0])
    return number


def _where_numbers(input, other):
    """where() of two numbers: torch makes each a 0-d tensor of its dtype (an int from 2**63
    on an uint64 one, which promotes with a float only) and checks each as a fill of their
    common dtype (1e300 beside 0.5 is refused in float32). Returns input's tensor."""
    kinds = []
    for x in (input, other):
        if type(x) is int:
            _int_operand(x)
        kinds.append("UInt64" if type(x) is int and x >= 2**63 else "Bool" if isinstance(
            x, (bool, np.bool_)) else "Long" if isinstance(x, numbers.Integral) else "Float")
    if "UInt64" in kinds and "Float" not in kinds:
        if kinds[0] == kinds[1]:
            raise RuntimeError("where() of two ints from 2**63 on is an uint64 tensor in "
                               "torch, and tinyad has no uint64 dtype")
        raise RuntimeError(f"Promotion for uint16, uint32, uint64 types is not supported, "
                           f"attempted to promote {kinds[0]} and {kinds[1]}")
    if type(input) is float:
        _checked(input, _default[0])
    return tensor(float(input) if kinds[0] == "UInt64" else input)


def _value_like(value, t):
    """An in-place operand with t's dtype: a tensor stays in the graph, anything else becomes
    an array."""
    if isinstance(value, Tensor):
        return value if value._data.dtype == t._data.dtype else _cast(value, t._data.dtype)
    if type(value) in (int, float):
        value = _checked(value, t._data.dtype)
    return np.asarray(value, dtype=t._data.dtype)


def _checked(number, dtype):
    """A Python number written into a tensor of ``dtype`` (fill_, masked_fill, clamp, full,
    x[i] = n): torch takes what fits (inf and NaN into floats; into an unsigned dtype a
    negative int down to minus its largest, wrapping around: -1 is 255 in uint8); anything
    else is its overflow error (1e308 into float32, 300 into uint8, NaN into int32)."""
    if type(number) is int:
        _int_operand(number, hint="")  # (torch cannot even read one outside [-2**63, 2**64))
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        if info.min <= number <= info.max:  # (NaN compares false)
            return number
        if type(number) is int and info.min == 0 and -info.max <= number < 0:
            return np.array(number).astype(dtype)[()]
    elif dtype.kind != "f" or not math.isfinite(number) or \
            abs(number) <= float(np.finfo(dtype).max):  # (a float, so numpy converts nothing)
        return number
    raise _overflow(dtype)


def _overflow(dtype):
    """torch's error for a number a tensor of ``dtype`` cannot hold."""
    name = _C_TYPE_NAMES.get(dtype.name, dtype.name + "_t")
    return RuntimeError(f"value cannot be converted to type {name} without overflow")


_C_TYPE_NAMES = {"int32": "int", "float16": "c10::Half", "float32": "float", "float64": "double"}
_C_NAMES = {**_C_TYPE_NAMES, "int64": "long int", "int16": "short int",  # (masked_fill's, lerp's)
            "int8": "signed char", "uint8": "unsigned char"}


def _fill_value(value, t, who):
    """masked_fill's or index_fill's value, in t's dtype: a 0-d tensor (an array), or a
    number (a numpy scalar, which gives the node no input: torch's overload 0)."""
    if not isinstance(value, Tensor):
        return _value_like(value, t)[()]
    if value._data.ndim:
        raise RuntimeError(f"{who}_ only supports a 0-dimensional value tensor, but got tensor "
                           f"with {value._data.ndim} dimension(s).")
    _check_fill_value(value, t, f"{who}()")
    return _value_like(value, t)


def _check_fill_value(value, t, what):
    """torch reads a one-element tensor that fills (masked_fill, x[mask] = v) as a number:
    NaN, inf or a value out of range of an integer tensor, or too large for a float one, is
    refused as a number is."""
    if value._data.dtype.kind in "fiu" and t._data.dtype.kind in "fiu":
        try:
            _value_like(value._data.item(), t)
        except (ValueError, OverflowError) as e:
            _reraise_inplace(t, e, what)


def _plus_scaled(t, other, alpha, subtract=False):
    """t + alpha other (t - alpha other if ``subtract``), checked as torch checks alpha: a bool
    alpha for bool results only, a float one not for integer or bool results, for a bool result
    any alpha counts as a bool, and otherwise it must fit the result's dtype. torch computes it
    as one op (AddBackward0, SubBackward0): ops.AddScaled."""
    def kind(x):
        if isinstance(x, Tensor):
            return x._data.dtype.kind
        return "b" if isinstance(x, bool) else "i" if isinstance(
            x, (int, np.integer)) else "f"  # (a numpy bool a float, as _number reads it)
    kinds = t._data.dtype.kind + kind(other)
    if type(alpha) is bool and kinds != "bb":
        raise RuntimeError("Boolean alpha only supported for Boolean results.")
    if isinstance(alpha, (float, np.floating)) and "f" not in kinds and "c" not in kinds:  # (1.0
        # too, and numpy's floats)
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating "
                           "point number.")
    if kinds == "bb":
        return t + (other if alpha else other & False)
    if alpha == 1:
        return t - other if subtract else t + other
    t, other = _promote(t, other)
    result = np.result_type(t._data, other._data if isinstance(other, Tensor) else other)
    return ops.AddScaled.apply(t, other, _checked(-alpha if subtract else alpha, result),
                               subtract)  # (sub checks -alpha: int8 takes -127..128)


def _scaled_into(t, other, alpha):
    """For ``t.add_(other, alpha=...)`` under no_grad, with ``other`` of t's float dtype and
    shape and t laid out whole (an optimizer's ``p.add_(g, alpha=-lr)``): what writes
    add's values into t's array (_inplace's ``direct``), checking alpha as _plus_scaled does,
    without making the out-of-place tensor. None where add's own path is needed."""
    a = t._data
    if _state.enabled or type(other) is not Tensor or type(alpha) not in (int, float) or \
            a.dtype.char not in "fd" or other._data.dtype is not a.dtype or \
            other._data.shape != a.shape or not (a.flags.c_contiguous or a.flags.f_contiguous):
        return None
    b = other._data

    def write(a):
        n = _checked(alpha, a.dtype)
        np.copyto(a, a + b if n == 1 else ops._add_scaled(a, b, n))
    return write


def _matmul_operand(x, position=None):
    """A tensor, or a numpy array taken as a constant tensor (as tinyad's arithmetic takes one:
    torch refuses it beside a tensor that requires grad); a number or anything else is refused
    with torch's TypeError."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, np.ndarray):
        return Tensor._wrap(x)
    if position is None:  # (the operator)
        raise TypeError(f"unsupported operand type(s) for @: 'Tensor' and '{_type_name(x)}'")
    return _tensor_argument("matmul", "other", x, position)


def _product(a, b, position=None):
    """a @ b for a tensor a (b matmul's argument at ``position``, or @'s operand): mm, the
    common case, straight to its kernel; else composed."""
    if type(b) is Tensor and a._data.ndim == 2 == b._data.ndim:
        return ops.MatMul.apply(a, b)
    return _matmul(a, _matmul_operand(b, position))


def _numpy_matmul(a, b):
    """numpy's matmul reaching tinyad (``array @ tensor``, ``np.matmul(...)``): tensors and
    arrays as for @; a number, on either side, is refused as torch's @ refuses it."""
    if isinstance(a, Tensor):
        return _matmul(a, _matmul_operand(b))
    if isinstance(a, np.ndarray):
        return _matmul(Tensor._wrap(a), b)
    raise TypeError(f"unsupported operand type(s) for @: '{_type_name(a)}' and 'Tensor'")


def _matmul(a, b):
    """a @ b composed of dot, mv, mm and bmm as torch's matmul composes it, so that the graph,
    what each op saves (views of a and b, or copies where a reshape must copy) and the errors
    are torch's: a vector times a matrix as a one-row matrix; a batch against a vector or a
    matrix folded into one matrix (when the smaller requires grad, or the fold needs no copy);
    other batches broadcast against each other and flattened into one batch dim for bmm."""
    d1, d2 = a._data.ndim, b._data.ndim
    if d1 == 0 or d2 == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are "
                           f"{d1}D and {d2}D")
    if d1 <= 2 and d2 <= 2:
        if (d1, d2) != (1, 2):
            return ops.MatMul.apply(a, b)  # dot, mv or mm
        out = ops.MatMul.apply(a.unsqueeze(0), b)
        out = _unsafe_view(out, out.shape[1:], "SqueezeBackward4")  # (torch's squeeze_(0), in
        out._counter.value += 1  # place: its version counts it)
        return out
    if _folds(a, b):
        transposed = d2 > d1
        t1 = b.mT if transposed else a
        t2 = b if not transposed else a.t() if d1 == 2 else a
        *batch, k = t1.shape
        out = _unsafe_view(ops.MatMul.apply(t1.reshape(math.prod(batch), k), t2),
                           batch + list(t2.shape[1:]))
        return out.mT.contiguous() if transposed and d1 == 2 else out
    if d1 == d2 == 3 and a.shape[0] != b.shape[0]:  # (a batch of one that requires grad
        if a.shape[0] == 1 and a.requires_grad:  # is taken as its matrix)
            return _matmul(a.squeeze(0), b)
        if b.shape[0] == 1 and b.requires_grad:
            return _matmul(a, b.squeeze(0))
    n, m1 = a.shape[-2] if d1 > 1 else 1, a.shape[-1]
    m2, p = (b.shape[-2], b.shape[-1]) if d2 > 1 else (b.shape[0], 1)
    batch = list(ops._broadcast_shape(a.shape[:-2], b.shape[:-2]))
    size = math.prod(batch)
    a3 = a.expand(*batch, n, m1).reshape(size, n, m1)
    if d2 == 1:
        out = ops.MatMul.apply(a3, b.expand(*batch, m2).reshape(size, m2).unsqueeze(2))
        return _unsafe_view(out.squeeze(-1), batch + [n] * (d1 > 1))
    out = ops.MatMul.apply(a3, b.expand(*batch, m2, p).reshape(size, m2, p))
    return _unsafe_view(out, batch + [n] * (d1 > 1) + [p])


def _folds(a, b):
    """torch's test (should_fold) for a batch against a vector or a matrix: fold the batch into
    the rows of one matrix when the smaller operand requires grad (its gradient is then one
    product, not a batch of them summed), else when that needs no copy."""
    d1, d2 = a._data.ndim, b._data.ndim
    big = a._data if d1 >= d2 else b._data
    if not (big.ndim >= 3 and min(d1, d2) <= 2):
        return False
    if (b if d1 >= d2 else a).requires_grad:
        return True
    if d1 == 2:
        return False  # (the product would have to be transposed back: a copy)
    if not big.size:
        return True
    shape, strides = list(big.shape), list(_layout.element_strides(big))
    if big is not a._data:  # (its last two dims swapped: b.mT)
        shape[-2:], strides[-2:] = shape[:-3:-1], strides[:-3:-1]
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(big.ndim - 2))


def _unsafe_view(t, shape, label=None):
    out = ops.UnsafeView.apply(t, tuple(shape))
    if label is not None and out._grad_fn is not None:
        out._grad_fn.label = label
    return out


def _scaled_nograd(a, b):
    """A float tensor's data times a Python float, when nothing is recorded: what Mul.apply
    computes then, without its bookkeeping."""
    try:
        out = ops._times(a, b)
    except RuntimeWarning:  # numpy's warning raised as an error (-W error): _quiet.py
        with quiet_numpy():
            out = ops._times(a, b)
    return Tensor._wrap(out if type(out) is np.ndarray else np.asarray(out))


def _check_overlap(t, operands):
    """torch refuses an in-place op whose operand partly overlaps the tensor written to, where
    both are dense. Where one is strided its check gives up, and its loop reads the operand
    as the loop has changed it, in an order of the strides'; tinyad reads every operand
    first. The two agree where the write leaves as they were the elements that an operand
    reads at another place than where they are written (``x.clamp_(max=x[0])``), and tinyad
    refuses the rest (README). Returns what is left to check once t is written, for
    _check_order: None where nothing is."""
    pending = None
    for o in operands:
        if isinstance(o, Tensor) and _partial_overlap(t._data, o._data):
            left = _overlap_left(t._data, o._data)
            if left is not None:
                pending = left if pending is None else (left[0], left[1] | pending[1], left[2])
    return pending


def _overlap_left(a, b):
    """An operand b that meets the memory of the array a written to, not as a's elements in
    a's layout: refused where both are dense (torch's check); else the elements of a that b,
    broadcast to a's shape, reads at another place than where they are written (a mask), and
    a's values (_check_overlap)."""
    if _layout.is_dense(a) and _layout.is_dense(b) or a.itemsize != b.itemsize or \
            ops.storage_of(a) is not ops.storage_of(b):  # (memory shared in another way)
        raise RuntimeError(OVERLAPPING_WRITE)
    written = ops._positions(*ops.geometry(a))
    try:
        read = np.broadcast_to(ops._positions(*ops.geometry(b)), a.shape)
    except ValueError:  # (shapes that do not fit: the op's own error comes)
        return None
    elsewhere = np.isin(written, read[read != written])
    return (a, elsewhere, a.copy()) if elsewhere.any() else None


def _check_order(pending):
    """After an in-place write that _check_overlap let through: refuse it, and undo it, where
    it changed an element that an operand reads at another place (torch's result would
    depend on the order its loop takes)."""
    if pending is not None:
        a, read, old = pending
        if old[read].tobytes() != a[read].tobytes():
            _writable(a)[...] = old
            raise RuntimeError(OVERLAPPING_WRITE)


def _check_no_overlap(t, operands, source=None):
    """torch's check of scatter_'s and index_fill_'s index and source: neither may share an
    element with the tensor written to, not even as its very elements in its layout. Where
    ``source`` (another tensor than t) or t is strided, torch's check gives up and its loop
    runs, reading the source as the loop has changed it (_looped)."""
    a = t._data
    for o in operands:
        if not isinstance(o, Tensor):
            continue
        b = o._data
        if o is t or a.size and b.size and np.may_share_memory(a, b) and (
                _same_layout(a, b) or _meets(a, b)):
            if o is source and o is not t and not (_layout.is_dense(a) and _layout.is_dense(b)):
                continue  # (the tensor itself: torch's check knows it, whatever its layout)
            raise RuntimeError(OVERLAPPING_WRITE)


def _memory_after_arguments(t, operands, source, arguments):
    """scatter_'s checks in torch's order: its arguments' (``arguments()``, the op computed
    out of place, raising their errors), then the memory written, refused where its elements
    repeat (in _inplace) or where an operand shares it (_check_no_overlap). The op runs twice
    only where the memory is refused."""
    try:
        _check_no_overlap(t, operands, source)
    except RuntimeError:
        arguments()
        raise
    if _repeats(t._data):
        arguments()


def _looped(t, source, steps, add, lines):
    """The values torch's loop leaves in t where ``source`` shares t's memory (and its overlap
    check gave up: _check_no_overlap): each step, in torch's order, reads the source as the
    steps before it left it. ``steps``: (place in t, place in source, line) triples; ``add``:
    add the source in, times that (scatter_add_, index_add_), else (None) write it. torch runs
    each line in order, but the lines (and, without ``lines``, the steps) in an order of its
    strides': where an element reads what another line's (or step's) writes, the result is
    that order's, and tinyad refuses it (README). Run on a copy of the memory the two share;
    None where they share no element."""
    a, b = t._data, source._data
    if not (np.may_share_memory(a, b) and np.shares_memory(a, b)):
        return None
    owner = ops.storage_of(a)
    memory = owner.copy()
    start = owner.__array_interface__["data"][0]

    def on_copy(x):  # (at least 1-d: a 0-d index is read as 1-d)
        return np.ndarray(x.shape or (1,), x.dtype, memory,
                          x.__array_interface__["data"][0] - start, x.strides or (0,))
    x, src = on_copy(a), on_copy(b)
    steps = list(steps)
    at = ops._positions(*ops.geometry(x)), ops._positions(*ops.geometry(src))
    writers = {}
    for k, (written, _, line) in enumerate(steps):
        for j, w in enumerate(np.ravel(at[0][written]).tolist()):
            writers.setdefault(w, set()).add((line, k, j) if not lines else line)
    for k, (_, read, line) in enumerate(steps):
        for j, r in enumerate(np.ravel(at[1][read]).tolist()):
            if writers.get(r, set()) - {(line, k, j) if not lines else line}:
                raise RuntimeError(OVERLAPPING_WRITE)
    for written, read, _ in steps:
        x[written] = x[written] + add * src[read] if add is not None else src[read]
    return x.reshape(a.shape).copy()


def _as_looped(out, t, source, steps, add, lines=True):
    """``out``, the op's result on t (recorded as it is: its gradient does not depend on the
    values), with the values torch's loop gives where source lies in t's memory (_looped)."""
    if source is not None:
        values = _looped(t, source, steps(), add, lines)
        if values is not None:
            out._data[...] = values
    return out


def _scatter_steps(dim, index):
    """scatter_'s loop, as torch's kernel runs it: along dim in order, line by line of index's
    other dims."""
    idx = index._data.reshape(index._data.shape or (1,))
    d = _wrap_dim(dim, idx.ndim)
    for k in np.ndindex(*(n for j, n in enumerate(idx.shape) if j != d), idx.shape[d]):
        at = k[:d] + (k[-1],) + k[d:-1]  # (dim's position last in k)
        yield at[:d] + (int(idx[at]),) + at[d + 1:], at, k[:-1]


def _index_steps(dim, index, ndim):
    """index_add_'s and index_copy_'s loop: the i-th slice of the source into the slice at
    index[i] along dim (in an order of torch's, element by element)."""
    lead = (slice(None),) * _wrap_dim(dim, ndim)
    for i, j in enumerate(index._data.reshape(-1).tolist()):
        yield lead + (j,), lead + (i,), None


OVERLAPPING_WRITE = ("unsupported operation: some elements of the input tensor and the "
                     "written-to tensor refer to a single memory location. Please clone() the "
                     "tensor before performing the operation.")


def _partial_overlap(a, b):
    """Whether b shares memory with a without being a's elements in a's layout (torch refuses
    in-place ops whose operand partly overlaps the tensor written to). As torch: two dense
    arrays over the same memory overlap fully only with the same strides, size-1 dims'
    included; where one is strided torch gives up checking, and tinyad refuses (README)."""
    if a is b or a.base is None and b.base is None or not np.may_share_memory(a, b):
        return False  # (two arrays that own their memory never share it)
    return not _same_layout(a, b) and _meets(a, b)


def _same_layout(a, b):
    """Whether a and b are the same elements in the same layout (torch's full overlap)."""
    return a.__array_interface__["data"][0] == b.__array_interface__["data"][0] and \
        a.shape == b.shape and _layout.torch_strides(a) == _layout.torch_strides(b)


def _meets(a, b):
    """Whether a and b, which are not the same elements in the same layout, share memory as
    torch's check sees it: two dense arrays whose ranges meet; with a strided one, any element
    (torch gives up checking there, tinyad refuses: README)."""
    if _layout.is_dense(a) and _layout.is_dense(b):
        return np.may_share_memory(a, b)
    return np.shares_memory(a, b)


def _copy_into(t, src, what, overlap_checked=False, pending=None):
    """t.copy_(src) (``what``: the op, for errors; ``overlap_checked``: the caller checked the
    memory they share as torch does, ``pending`` what is left to check: _check_overlap)."""
    a, b = t._data, src._data  # the same elements in the same places: torch copies nothing
    if b.dtype == np.float64 and a.dtype == np.uint8:  # (converted as torch: through int64)
        src = Tensor._wrap(_layout.astype(b, np.uint8))
        a, b = t._data, src._data
    same = _same_elements(a, b)

    def direct(a):
        if not same:  # (so an expanded x.copy_(x) works)
            a[...] = b
    return t._inplace(lambda x: ops.Overwrite.apply(x, _value_like(src, x)), (src,), direct,
                      what, any_dtype=True, overlap_checked=overlap_checked, pending=pending,
                      repeats_allowed=same)


def _same_elements(a, b):
    """Whether b is a's very elements, in a's dtype and layout (a copy_ of it does nothing)."""
    return a.dtype == b.dtype and a.shape == b.shape and a.strides == b.strides and \
        a.__array_interface__["data"][0] == b.__array_interface__["data"][0]


def _bool_cumulative(t, who):
    """torch's cumsum_ and cumprod_ compute in the tensor's dtype: a kernel bools lack (an
    empty one is not computed, only counted as changed). True where that settled it."""
    if t._data.dtype != np.bool_:
        return False
    if t._data.size:
        raise NotImplementedError(f'"{who}_out_cpu" not implemented for \'Bool\' (convert the '
                                  f"tensor first, e.g. x.long().{who}_(0))")
    t._counter.value += 1
    return True


def _bound_argument(who, bound):
    """clamp_min's and clamp_max's bound is a number or a tensor (torch's argument parser:
    None is clamp's, not theirs)."""
    if bound is None:
        raise TypeError(f"{who}() received an invalid combination of arguments - got "
                        f"(NoneType): the bound must be a number or a tensor")


def _check_copy_to(region, value):
    """torch's checks for ``x[index] = value``, in its order. It copies value into the region
    x[index] as it is when the shapes agree; a 0-d value (a number too) fills the region;
    otherwise value without its leading size-1 dims is expanded to the region's shape. A copy
    from the region's own elements in the region's layout does nothing (torch's copy_ stops
    there); otherwise a region whose elements repeat is refused, then a copy from memory that
    the region overlaps in part (one element expanded to more is read once, like a fill), as
    _check_overlap refuses it: returns what is left to check once the region is written."""
    if isinstance(value, Tensor) and value._data.ndim:
        source = value._data
        if source.shape == region.shape:
            strides = list(source.strides)
        else:
            source = source.reshape(_without_leading_ones(source.shape))
            strides = _layout.expanded_strides(source, region.shape)
            source = np.broadcast_to(source, region.shape)  # (__setitem__ checked that it fits)
        if source.dtype == region.dtype and strides == list(region.strides) and \
                source.__array_interface__["data"][0] == region.__array_interface__["data"][0]:
            return
        if _repeats(region):
            raise RuntimeError(REPEATED_WRITE)
        if (value._data.size > 1 or region.size == 1) and _meets(region, source):
            return _overlap_left(region, source)  # (what is left to check once written)
    elif _repeats(region):
        raise RuntimeError(REPEATED_WRITE)


def _without_leading_ones(shape):
    lead = next((k for k, n in enumerate(shape) if n != 1), len(shape))
    return shape[lead:]


def _check_bool_sub(t, other):
    bools = (t._data.dtype.kind == "b") + (isinstance(other, bool) or isinstance(other, Tensor)
                                           and other._data.dtype.kind == "b")
    if bools == 2:
        raise RuntimeError(ops.BOOLS_SUB_ERROR)
    if bools == 1:  # (a Python bool with a number tensor too, as torch)
        raise RuntimeError(ops.BOOL_SUB_ERROR)


def _multi_output(views, name):
    """The views an op returns together (split, chunk, unbind), marked as torch marks them in
    grad mode: changing one in place is refused, and so is using one after its base changed in
    place (one history per output could not say how the others change)."""
    if _state.enabled:
        for i, v in enumerate(views):
            if v._base is not None:
                v._view_multi = (name, i, False)
            _named(v, name + "Backward0")  # (torch's one node for them all, named so)
        nodes = [v._grad_fn for v in views if v._grad_fn is not None]
        siblings = tuple(weakref.ref(n) for n in nodes)  # (autograd._siblings)
        for n in nodes:
            n.siblings = siblings
    return tuple(views)


def _named(out, name):
    """``out``, its node named as torch's op that does in one step what tinyad's took."""
    if out._grad_fn is not None:
        out._grad_fn.label = name
    return out


def _put(values):
    def direct(a):
        a[...] = values
    return direct


def _reraise_inplace(t, error, what, operands=()):
    """numpy's complaint about an in-place write, as torch words it (none for an expanded
    tensor with no element: nothing is written, as torch's)."""
    if not t._data.flags.writeable:
        if not t._data.size:
            return
        raise RuntimeError(REPEATED_WRITE) from None
    text = str(error)
    if isinstance(error, OverflowError):
        text = "cannot convert float"
    if "boolean subtract" in text:
        raise RuntimeError(ops.BOOL_SUB_ERROR) from None
    if "cannot convert float" in text:
        raise RuntimeError(f"value cannot be converted to type {t._data.dtype.name}_t without "
                           f"overflow ({what})") from None
    if "with a sequence" in text or "could not broadcast" in text:
        raise RuntimeError(f"{what}: the value's shape does not fit the elements it is "
                           f"assigned to (its shape must broadcast to theirs)") from None
    if "Cannot cast" in text:  # numpy: "... from dtype('float64') to dtype('int64') ..."
        source = re.search(r"from dtype\('(\w+)'\)", text)
        result = np.dtype(source[1]) if source else _default[0]
        if result.kind == "f" and not any(  # (integers divided: torch's default dtype)
                isinstance(o, (float, np.floating)) or isinstance(o, Tensor) and
                o._data.dtype.kind == "f" for o in operands):
            result = _default[0]
        # numpy widens (int32 with float32 gives float64) and computes a Python float in
        # float64; torch's result type is the operand's dtype, or the default for a Python float
        for o in operands:
            if isinstance(o, Tensor) and o._data.dtype.kind == result.kind:
                result = o._data.dtype
            elif isinstance(o, (float, np.floating)) and result.kind == "f":
                result = _default[0]
        raise _cast_error(result, t, what) from None
    if "broadcast" in text or "could not be" in text or "shape" in text:
        _fits_in_place(t, operands, what)  # (torch's message, where the shapes tell it)
        raise RuntimeError(f"output with shape {list(t._data.shape)} doesn't match the "
                           f"broadcast shape of the operands ({what}): {text}") from None
    raise error


_SCALAR_TYPE = {np.dtype(name): torch_name for name, torch_name in [  # torch's ScalarType names
    ("bool", "Bool"), ("uint8", "Byte"), ("int8", "Char"), ("int16", "Short"), ("int32", "Int"),
    ("int64", "Long"), ("float16", "Half"), ("float32", "Float"), ("float64", "Double"),
    ("complex64", "ComplexFloat"), ("complex128", "ComplexDouble")]}


def _ufunc_into(ufunc, a, b):
    """``a op= b`` into the array ``a`` (b: an array or a scalar) as torch does it: a scalar,
    and a 0-d array of a's kind, are weak; any integer result may be written into any integer
    dtype (it wraps)."""
    b = _in_place_operand(a, b)
    if type(b) is np.ndarray and a.dtype.kind in "iu" and b.dtype.kind in "iu" and \
            ufunc is not np.true_divide:
        return ufunc(a, b, out=a, casting="unsafe")
    if a.dtype == np.float16 and ufunc in _BY_NUMBER and type(b) in (int, float):
        a[...] = _BY_NUMBER[ufunc](a, b)  # (in float32, as torch's)
        return
    ufunc(a, b, out=a)  # (numpy's same_kind rule)


def _in_place_operand(a, b):
    """``b`` as torch's in-place kernel into the array ``a`` reads it: a 0-d array of a's kind
    as the number it holds (beside an a with dims), a numpy scalar as the Python number torch
    reads (a bool a float), and an int wrapped into an integer a's dtype (an int64 -3 into
    uint8 is 253)."""
    if type(b) is np.ndarray:  # (beside a 0-d a, a 0-d b is no weaker: their common dtype)
        if b.ndim == 0 and a.ndim and _KIND[b.dtype.kind] == _KIND[a.dtype.kind]:
            b = b.item()
    elif isinstance(b, np.generic):
        b = _number(b)
    if type(b) is int and a.dtype.kind in "iu":
        b = _wrapped(b, a.dtype)
    return b


_BY_NUMBER = {np.multiply: ops._times, np.true_divide: ops._over,
              np.floor_divide: ops._floor_divide}


def _fits_in_place(t, operands, what):
    """torch's first checks of an in-place op, before any of dtypes: the operands broadcast
    together, and to t's shape (never beyond it)."""
    shape = t._data.shape
    for x in operands:
        shape = _broadcast_shape(shape, np.shape(_unwrap(x)))
    if shape != t._data.shape:
        raise RuntimeError(f"output with shape {list(t._data.shape)} doesn't match the "
                           f"broadcast shape {list(shape)} ({what})")


ZERO_COPY = ("ZeroTensors are immutable. Please materialize the tensor using `.clone()`, if you "
             "want a mutable zero tensor.")


def _refuse_zero(t, message=ZERO_IMMUTABLE):
    """torch refuses any change in place of a ZeroTensor (a gradient, autograd.ZeroGrad)
    before its other checks."""
    if type(t._counter) is ZeroVersion:
        raise RuntimeError(message)


def _write(t, new, what, any_dtype, repeats_allowed=False):
    """Write the values of ``new`` into t's storage (checked as torch checks in-place ops; a
    result of another kind than t's is refused by numpy's same_kind rule, see
    _reraise_inplace, unless ``any_dtype``; an expanded t only if ``repeats_allowed``)."""
    if new._data.shape != t._data.shape:
        raise RuntimeError(
            f"output with shape {list(t._data.shape)} doesn't match the broadcast shape "
            f"{list(new._data.shape)} ({what})")
    integers = t._data.dtype.kind in "iu" and new._data.dtype.kind in "iu"  # (as _ufunc_into)
    np.copyto(_writable(t._data, repeats_allowed) if repeats_allowed else t._data, new._data,
              casting="unsafe" if any_dtype or integers else "same_kind")


def _keep_original(node, t):
    """The op saved t's array as its input 0 (self) for backward, and t is about to be
    overwritten: keep a copy of the original values instead, as torch does for in-place ops.
    Another input saved over the same memory (``t.mul_(t)``, ``t.mul_(t.detach())``) stays as it
    is, so its version check fails at backward, as torch's does."""
    copied = {i for i, a in enumerate(node.saved) if a is t._data and node.sources[i] == 0}
    if not copied:
        return
    node.saved = tuple(a.copy() if i in copied else a for i, a in enumerate(node.saved))
    node.versions = tuple(v for v in node.versions if v[2] not in copied)  # (v[2]: position)

def _warn_expanded(who, example):
    """torch's warning for a fill of an expanded tensor, which it still writes."""
    _warn(f"Use of {who} on expanded tensors is deprecated. Please clone() the tensor "
          f"before performing this operation. This also applies to advanced indexing "
          f"e.g. {example}", UserWarning)


def _any_copy(mask, array):
    """``mask`` (a bool tensor) over the expanded ``array``, true at every copy of an element
    where it is true at any: an element filled through one of its copies is filled."""
    copies = tuple(d for d, (n, step) in enumerate(zip(array.shape, array.strides)) if not step)
    shape = np.broadcast_shapes(mask._data.shape, array.shape)
    return Tensor._wrap(np.broadcast_to(np.broadcast_to(mask._data, shape).any(
        axis=copies, keepdims=True), shape))


def _index_overlaps(a, index):
    """Whether an index tensor (integers or a mask) shares memory with what ``a[index] = v``
    writes to (a after the index's ints and slices), which torch's index_put_ refuses, as far
    as it checks (both dense; x[0, x[1]] writes row 0 only)."""
    items = index if type(index) is tuple else (index,)
    arrays = [i for i in items if type(i) is np.ndarray and i.dtype.kind in "ib" and i.size]
    if not any(np.may_share_memory(a, i) for i in arrays):
        return False
    view = a[tuple(slice(None) if type(i) is np.ndarray else i for i in items)]
    return _layout.is_dense(view) and any(
        _layout.is_dense(i) and np.may_share_memory(view, i) and not (
            i.dtype is _BOOL and _same_layout(view, i))  # (a mask may be the tensor itself)
        for i in arrays)


def _out_of_bounds(shape, items):
    """torch's error for an index of a ``shape`` tensor with an item out of bounds, and whether
    its index_put_ writes elements before it finds it (not for an int, which its select
    refuses first, nor for arrays that do not broadcast), or None if none is. torch checks the
    ints first (naming the dim by the item's place in the index), then the arrays (named by
    their place among the index tensors, a mask counting one per dim) element by element."""
    dim, arrays, place = 0, [], 0
    for k, i in enumerate(items):
        size = shape[dim] if dim < len(shape) else None
        if type(i) is int and size is not None and not -size <= i < size:
            return f"index {i} is out of bounds for dimension {k} with size {size}", False
        if type(i) is bool or type(i) is np.ndarray and i.dtype is _BOOL and not i.ndim:
            arrays.append((place, np.zeros(int(i), np.intp), 1))  # (a 0-d mask: torch's index
            place += 1  # tensor into a new dim)
        elif type(i) is np.ndarray and i.dtype is _BOOL:  # (a mask: torch's index tensors of
            arrays += zip(range(place, place + i.ndim), np.nonzero(i), shape[dim:])  # its
            place += i.ndim  # elements)
        elif type(i) is np.ndarray and size is not None:
            arrays.append((place, i, size))
            place += 1
        dim += len(shape) - sum(map(ops.dims_taken, items)) if i is Ellipsis else \
            ops.dims_taken(i)
    try:
        arrays = [(k, b, n) for (k, _, n), b in zip(arrays, np.broadcast_arrays(
            *(a for _, a, _ in arrays)))]
    except ValueError:
        return "shape mismatch: indexing tensors could not be broadcast together with " \
            "shapes " + ", ".join(str(list(a.shape)) for _, a, _ in arrays), False
    outside = [(b < -n) | (b >= n) for _, b, n in arrays]
    if not any(o.any() for o in outside):
        return None
    before = int(np.argmax(np.logical_or.reduce(outside).reshape(-1)))
    k, b, n = next(a for a, o in zip(arrays, outside) if o.flat[before])
    return f"index {b.flat[before]} is out of bounds for dimension {k} with size {n}", True


def _divided_in_place(t, ufunc, other):
    """torch's refusal of an integer division of ``t`` by 0 in place: its loop writes the
    quotients (or remainders) it reaches before the first 0, in its order (_visit_rank), then
    raises; the change is not counted in ._version. (Where it computes in another dtype than
    t's, an int64 operand of a uint8 t, it writes into a buffer, copied into t only after the
    loop: nothing.)"""
    a, b = t._data, _unwrap(other)
    _check_overlap(t, (other,))  # (before the shapes and the kernel's dtypes, as torch)
    if isinstance(b, np.ndarray):  # (shapes first, as torch's: its errors before this one)
        _fits_in_place(t, (b,), "division in place")
    b = _in_place_operand(a, b)  # (256 is 0 in uint8)
    try:
        ops._check_integer_divisor(a, b)
    except RuntimeError:
        if a.dtype.kind in "iu" and a.size and np.broadcast_shapes(a.shape, np.shape(b)) == \
                a.shape and a.flags.writeable and (not isinstance(other, Tensor) or
                                                   _common_dtype(t, other) == a.dtype):
            divisor = np.broadcast_to(b, a.shape)
            rank = _visit_rank(a.shape, [a.strides, a.strides, divisor.strides])
            before = rank < rank[divisor == 0].min()
            with np.errstate(divide="ignore", invalid="ignore"):
                a[before] = ufunc(a[before], divisor[before]).astype(a.dtype)
        raise


def _visit_rank(shape, operands):
    """When torch's loop over ``shape`` (TensorIterator's) visits each element, as an array of
    ranks: it orders the dims by the operands' strides over them (``operands``, one list of
    byte strides each, the output's first), fastest first, as its should_swap does."""
    def swap(d0, d1):  # (d0, placed faster, is slower)
        for strides in operands:
            s0, s1 = strides[d0], strides[d1]
            if s0 and s1 and s0 != s1:
                return 1 if s0 > s1 else -1
            if s0 and s1 and shape[d0] > shape[d1]:
                return 1
        return 0

    perm = list(range(len(shape)))[::-1]  # (fastest first, sorted as TensorIterator sorts)
    for i in range(1, len(perm)):
        d1 = i
        for d0 in range(i - 1, -1, -1):
            order = swap(perm[d0], perm[d1])
            if order > 0:
                perm[d0], perm[d1], d1 = perm[d1], perm[d0], d0
            elif order < 0:
                break
    slow_first = perm[::-1]
    return np.arange(math.prod(shape)).reshape([shape[d] for d in slow_first]).transpose(
        np.argsort(slow_first))


def _put_before(a, items, value):
    """Write into ``a`` what ``a[items] = value`` writes before its first index out of bounds,
    as torch's index_put_ does: its loop visits the result's elements in the order of its
    operands' strides (TensorIterator's), and stops there. ``items``: arrays (masks among
    them), whole slices and ``...`` only."""
    dims, expanded = [], []  # (the masks as torch reads them: an index array per dim, and a
    for i in items:  # 0-d one, True, an index [0] into a new dim)
        if i is Ellipsis:
            dims += [slice(None)] * (a.ndim - sum(map(ops.dims_taken, items)))
            expanded += dims[len(expanded):]
        elif type(i) is bool or type(i) is np.ndarray and i.dtype is _BOOL and not i.ndim:
            dims.append(None)
            expanded.append(np.zeros(1, np.intp))
        elif type(i) is np.ndarray and i.dtype is _BOOL:
            dims += [slice(None)] * i.ndim
            expanded += list(np.nonzero(i))
        else:
            dims.append(slice(None))
            expanded.append(i)
    a = _writable(a[tuple(dims)], repeats_allowed=True)  # (a view; torch writes an expanded one)
    expanded += [slice(None)] * (a.ndim - len(expanded))
    where = [k for k, i in enumerate(expanded) if type(i) is np.ndarray]
    arrays = np.broadcast_arrays(*(expanded[k] for k in where))
    rest = [k for k in range(a.ndim) if k not in where]
    lead = where[0] if where == list(range(where[0], where[-1] + 1)) else 0  # (numpy's and
    # torch's place for the arrays' dims in the result: where they are, or first)
    of_slice = rest[:lead] + [None] * arrays[0].ndim + rest[lead:]  # (the dim of a each of
    shape = tuple(a.shape[k] for k in rest[:lead]) + arrays[0].shape + tuple(  # the result's
        a.shape[k] for k in rest[lead:])  # dims is, where it is a slice's)
    values = np.broadcast_to(value, shape)
    # each operand's strides over the result's dims: the tensor written (0 along the arrays'),
    # the value, the index arrays (0 along the slices')
    operands = [[a.strides[k] if k is not None else 0 for k in of_slice], values.strides]
    operands += [[0] * lead + list(b.strides) + [0] * (len(rest) - lead) for b in arrays]
    rank = _visit_rank(shape, operands)
    at = [np.expand_dims(b, tuple(range(lead)) + tuple(range(lead + b.ndim, len(shape))))
          for b in arrays]
    outside = np.broadcast_to(np.logical_or.reduce(
        [(b < -a.shape[k]) | (b >= a.shape[k]) for k, b in zip(where, at)]), shape)
    visited = rank < rank[outside].min()
    order = np.argsort(rank[visited])  # (a later write of one element wins, as in torch)
    coords = [np.broadcast_to(at[where.index(k)] if k in where else np.arange(n).reshape(
        [-1 if d == k else 1 for d in of_slice]), shape)[visited][order]
        for k, n in enumerate(a.shape)]
    a[tuple(coords)] = values[visited][order]


def _view_index(index):
    """A basic index that gives a view even where it picks one element (x[0, ...])."""
    items = index if type(index) is tuple else (index,)
    return items if any(i is Ellipsis for i in items) else items + (...,)


def _list_index(index):
    """A list index as torch reads it (numpy's old rule): several indices, as a tuple, when
    it is short (under 32 items) and holds a tensor, a sequence, a slice, ... or None
    (x[[rows, cols]] is x[rows, cols]); one index otherwise (x[[1, 0]])."""
    if len(index) < 32 and any(isinstance(i, (Tensor, list, tuple, range, np.ndarray, slice))
                               or i is None or i is Ellipsis for i in index):
        _warn("Using a non-tuple sequence for multidimensional indexing is deprecated "
              "and will be changed in pytorch 2.9; use x[tuple(seq)] instead of "
              "x[seq]. In pytorch 2.9 this will be interpreted as tensor index, "
              "x[torch.tensor(seq)], which will result either in an error or a "
              "different result", UserWarning)
        return tuple(index)
    return index


def _index(index, shape, check_masks=True):
    """An index as numpy takes it: tensors, lists and numpy arrays become arrays (as torch
    reads them: a uint8 one is a mask, see _sequence_index), and negative slice steps are
    refused, as torch refuses them."""
    items = index if type(index) is tuple else (index,)
    # (dim: the dim the next item takes, while known; torch's message names the item's place
    # in the index instead)
    if (shape or type(index) is tuple) and sum(
            type(i) in (int, slice) or isinstance(i, np.integer)
            for i in items) > len(shape):  # (a 0-d tensor's one item, not in a tuple, is read
        # on its own: its own errors)
        raise IndexError(f"too many indices for tensor of dimension {len(shape)}")  # (first)
    out, dim, applied = [], 0, False  # (applied: torch has taken a view for an item before)
    for k, i in enumerate(items):
        # torch reads the items in order: an int out of bounds, or a slice's step, refused
        # where it stands (ints and slices before anything else: see below for the rest)
        if isinstance(i, Tensor) and not i._data.ndim and i._data.dtype.kind == "i":
            i = i._data.item()  # (a 0-d integer tensor is read as a number, as torch)
        if type(i) is slice:
            if i.step is not None and i.step <= 0:
                raise ValueError("slice step cannot be zero" if i.step == 0 else
                                 "step must be greater than zero")
            if not shape:
                raise _after_autograd(IndexError("slice() cannot be applied to a 0-dim tensor."))
        elif type(i) is int or isinstance(i, np.integer):
            if not shape and i == 0:
                raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in "
                                 "Python or `tensor.item<T>()` in C++ to convert a 0-dim "
                                 "tensor to a number")
            if not shape:
                raise IndexError(f"index {i} is out of bounds for dimension 0 with size 0")
            if dim is not None and dim < len(shape) and not -shape[dim] <= i < shape[dim]:
                error = IndexError(f"index {i} is out of bounds for dimension {k} with size "
                                   f"{shape[dim]}")
                raise _after_autograd(error) if applied else error
        if isinstance(i, (list, tuple, range, np.ndarray)):
            i = _sequence_index(i)
        if isinstance(i, Tensor) and i._data.dtype == np.uint8:  # torch: a mask (deprecated)
            if i._data.ndim:
                _warn("indexing with dtype torch.uint8 is now deprecated, please use a "
                      "dtype torch.bool instead.", UserWarning)
            i = Tensor._wrap(i._data.astype(bool))
        elif isinstance(i, Tensor) and (i._data.dtype.kind == "f" or i._data.ndim and
                                        i._data.dtype in (np.int8, np.int16)):
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        if isinstance(i, Tensor):
            i = i._data if i._data.ndim else i._data.item() if i._data.dtype.kind in "iu" \
                else i._data.copy()  # (a 0-d index is read now, as torch: not kept)
        elif isinstance(i, np.integer):
            i = int(i)
        elif isinstance(i, str):  # (torch reads it as a sequence of values for a tensor)
            raise TypeError("new(): invalid data type 'str'")
        elif not (i is None or i is Ellipsis or isinstance(i, (int, slice))):
            if not hasattr(type(i), "__index__"):
                raise IndexError(f"only integers, slices (`:`), ellipsis (`...`), None and long "
                                 f"or byte Variables are valid indices (got {_type_name(i)})")
            i = operator.index(i)
        out.append(i)
        applied = applied or i is None or type(i) is int or type(i) is slice and not (
            dim is not None and dim < len(shape) and i.indices(shape[dim]) == (0, shape[dim], 1))
        if i is Ellipsis and dim is not None:  # (the items after it take the last dims)
            rest = items[k + 1:]
            dim = len(shape) - sum(j is not None for j in rest) if all(
                j is None or type(j) in (int, slice) or isinstance(j, np.integer)
                for j in rest) else None
        elif dim is not None:  # (an array takes its dims: torch indexes with it afterwards)
            dim += ops.dims_taken(i)
    taken = sum(map(ops.dims_taken, out))
    if sum(i is Ellipsis for i in out) > 1:
        out = _one_ellipsis(out, len(shape))
    elif taken > len(shape):  # (torch counts them first)
        raise IndexError(f"too many indices for tensor of dimension {len(shape)}")
    elif taken == len(shape) and sum(
            isinstance(i, (np.ndarray, bool)) for i in out) > 1:
        out = [i for i in out if i is not Ellipsis]  # (a ... of no dim: for numpy it parts
        # two arrays, whose dims then go first; torch reads the arrays as side by side)
    if check_masks and not any(type(i) is int for i in out):  # (else on the view the ints
        _check_masks(out, shape)  # take, as torch)
    return tuple(out) if type(index) is tuple else out[0]


def _one_ellipsis(items, ndim):
    """An index with several ``...`` as torch reads it: each skips the dims the other items
    leave (so, after the first, often none), and an item past the last dim is refused, but a
    whole slice there (``:``, ``0:n``), which torch does not apply, and a None at the end."""
    skip = max(ndim - sum(ops.dims_taken(i) for i in items if i is not Ellipsis), 0)
    out, dim, result_ndim = [], 0, ndim  # (dim: the result's dim torch's next item takes)
    for i in items:
        if i is Ellipsis:
            out += [slice(None)] * max(min(skip, result_ndim - dim), 0)
            dim += skip
            continue
        taken = ops.dims_taken(i)  # (None, a 0-d mask: none, and they add one)
        fits = dim + taken <= result_ndim
        if not fits and not (type(i) is slice and i.start in (None, 0) and i.step in (None, 1)
                             and (i.stop is None or i.stop >= 0)):
            raise IndexError(f"an index with several '...' reaches past the last dim with "
                             f"{i!r}: torch lets each '...' skip the dims the other items "
                             f"leave; write the index with one '...'")
        if fits:
            out.append(i)
        if type(i) is int:
            result_ndim -= 1
        else:
            dim += 1
            result_ndim += 1 - taken
    return out


def _sequence_index(seq):
    """A list, tuple or numpy array in an index, as torch makes an index tensor of it: bools
    and uint8 values (a mask) keep their dtype, other numbers become int64 (floats truncated);
    a tensor in a list counts as its one number, which must be an integer."""
    if not isinstance(seq, np.ndarray):
        if any(isinstance(e, Tensor) and (e._data.size != 1 or e._data.dtype.kind == "f")
               for e in seq):
            raise TypeError("only integer tensors of a single element can be converted to an "
                            "index")
        seq = [e._data.reshape(())[()] if isinstance(e, Tensor) else e for e in seq]
    array = np.asarray(seq)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"an index holds {array.dtype.name} values: give integers or bools")
    if array.dtype.kind not in "b" and array.dtype != np.uint8:
        array = array.astype(int64)
    return Tensor._wrap(array)


def _basic_first(items, shape=None):
    """An index with an int and an array (or a bool) as torch reads it: its basic part (ints,
    slices, None, ...) first, then the arrays on that view, where numpy takes the int for an
    array too and, when a slice separates them, puts their dims first (x[0, :, [0, 1]] of a
    (2, 3, 2) tensor: torch's (3, 2), numpy's (2, 3)); a bool (_is_bool) as torch reads it, a
    new dim that an array then indexes, so its history is a view's, torch's, and the gradient
    autograd.grad returns through it too. None where numpy reads it as torch.
    With ``shape`` (item assignment): also where the basic part is any view but the whole
    tensor (torch's index_put_ then writes into that view: its grad_fn is CopySlices)."""
    if _is_bool(items):
        items = (items,)
    if type(items) is not tuple or not any(isinstance(i, (np.ndarray, bool)) for i in items):
        return None
    bools = shape is None and any(_is_bool(i) for i in items)
    if not bools and not (any(type(i) is int for i in items) if shape is None else
                          _takes_part(items, shape)):
        return None
    basic, advanced = [], []
    for i in items:
        if bools and _is_bool(i):  # (torch's: a new dim, indexed by [0] or by [])
            basic.append(None)
            advanced.append(np.arange(int(i), dtype=np.int64))
        elif isinstance(i, (np.ndarray, bool)):  # (an array: its dims kept whole for now)
            basic += [slice(None)] * ops.dims_taken(i)
            advanced.append(i)
        else:  # an int, a slice, None or ...: applied now (all but the int then kept)
            basic.append(i)
            if type(i) is not int:
                advanced.append(slice(None) if i is not Ellipsis else i)
    return tuple(basic), tuple(advanced)


def _index_chain(items, shape):
    """torch's steps for a basic index of several (ints, slices that do not take a whole dim,
    None): a select, slice or unsqueeze each, on the result of the one before, whose nodes
    torch chains (x[0, 1:]: SliceBackward0 over SelectBackward0), so that a gradient through
    an unsqueeze first is a view; each an index of the result before. None for fewer."""
    if type(items) is not tuple or not ops._is_basic_index(items) or \
            sum(i is Ellipsis for i in items) > 1:
        return None
    rest = len(shape) - sum(i is not None and i is not Ellipsis for i in items)
    if rest < 0:
        return None
    chain, taken, at = [], 0, 0  # (the input's dim an item takes; its dim in the result)
    for i in items:
        if i is Ellipsis:
            taken, at = taken + rest, at + rest
            continue
        if not ops.takes_whole(i, shape[taken] if type(i) is slice else 0):
            chain.append((slice(None),) * at + (i,))
        taken += i is not None
        at += type(i) is not int
    return chain if len(chain) > 1 else None


def _is_bool(item):
    """Whether an index item is a bool (or a 0-d bool tensor's array), which torch reads as a
    new dim (unsqueeze) that it then indexes by [0] (True) or by [] (False)."""
    return type(item) is bool or type(item) is np.ndarray and item.dtype == bool and not \
        item.ndim


def _index_put_dtype_error(t, value):
    return RuntimeError(
        f"Index put requires the source and destination dtypes match, got "
        f"{_SCALAR_TYPE[t._data.dtype]} for the destination and {_SCALAR_TYPE[value._data.dtype]} "
        f"for the source; convert the source with .to(x.dtype)")


def _check_restrided_storage(a, dim, n):
    """torch's index_fill_ views the tensor with ``n`` elements of stride 0 along ``dim``
    (as_strided), which fails where that needs memory beyond the array's storage (an empty
    tensor's: a RuntimeError, before the index's IndexError)."""
    itemsize, offset = a.itemsize, ops.geometry(a)[2]
    shape, strides = list(a.shape or (1,)), list(_layout.element_strides(a) or (1,))
    shape[dim], strides[dim] = n, 0
    needed = offset + 1 + sum((k - 1) * s for k, s in zip(shape, strides))
    size = ops.storage_of(a).nbytes
    if needed * itemsize > size:
        raise RuntimeError(f"setStorage: sizes {shape}, strides {strides}, storage offset "
                           f"{offset}, and itemsize {itemsize} requiring a storage size of "
                           f"{needed * itemsize} are out of bounds for storage of size {size}")


def _takes_part(items, shape):
    """Whether an index's ints, None or slices take a view other than the whole tensor (torch
    makes none for a slice of step 1 from 0, as written: -n is not, to n or beyond)."""
    dim = 0
    for i in items:
        if type(i) is int or i is None or type(i) is slice and dim < len(shape) and not (
                i.step in (None, 1) and i.start in (None, 0) and (
                    i.stop is None or i.stop >= shape[dim])):
            return True
        dim += len(shape) - sum(map(ops.dims_taken, items)) if i is Ellipsis else \
            ops.dims_taken(i)
    return False


def _index_arrays(index):
    """The tensors of an index that it uses as arrays (an int 0-d tensor is a number)."""
    items = index if type(index) is tuple else (index,)
    return [i for i in items if isinstance(i, Tensor) and i._data.ndim]


def _read_index(t, index, check_masks=True):
    """_index for indexing ``t``, with its errors in torch's order (see _after_autograd)."""
    try:
        return _index(index, t._data.shape, check_masks)
    except IndexError as e:
        error = e
    if getattr(error, "after_autograd", False):
        _read_history(t)
    raise error


def _after_autograd(error):
    """An indexing error torch's kernel raises, so after autograd has read the history of the
    tensor indexed (which may refuse it: see _autograd_first); the other index errors, from
    its reading of the index, come first."""
    error.after_autograd = True
    return error


def _check_masks(items, shape):
    """torch's check that a mask has the shape of the dims it indexes (numpy lets an empty
    mask index any dim)."""
    dim = 0
    for i in items:
        if i is Ellipsis:
            dim += len(shape) - sum(map(ops.dims_taken, items))
        elif isinstance(i, np.ndarray) and i.dtype is _BOOL:
            for k, n in enumerate(i.shape):
                if dim + k < len(shape) and n != shape[dim + k]:
                    raise _after_autograd(IndexError(
                        f"The shape of the mask {list(i.shape)} at index {k} does not match "
                        f"the shape of the indexed tensor {list(shape)} at index {dim + k}"))
        dim += ops.dims_taken(i)


def _shape(shape, who="size"):
    """A shape given as f(2, 3), f((2, 3)) or f([2, 3]), of ints (torch refuses 2.0; it takes
    an integer tensor of one element, as an index)."""
    if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)) and not (
            isinstance(shape[0], Tensor) and shape[0]._data.size == 1):
        if isinstance(shape[0], Tensor):
            raise TypeError(f"{who}: a tensor of {shape[0]._data.size} elements is not a shape "
                            f"(give a tuple of ints)")
        shape = shape[0]
    for i, n in enumerate(shape):
        if isinstance(n, Tensor) and n._data.size == 1 and n._data.dtype == np.bool_:
            raise RuntimeError(f"{who}: a size must be an integer, not a bool tensor")
        if not isinstance(n, (int, np.integer)) and not (
                isinstance(n, Tensor) and n._data.size == 1 and n._data.dtype.kind in "iu") or \
                i == 0 and isinstance(n, (bool, np.bool_)):  # (torch: True after the first)
            raise TypeError(f"{who}: the sizes must be a tuple of ints, but found element of "
                            f"type {type(n).__name__} at pos {i}")
    return tuple(int(n) for n in shape)


def _new_shape(shape):
    """A shape for reshape or view: sizes of at least 0, or one -1 (inferred)."""
    shape = _shape(shape, "view")
    for i, n in enumerate(shape):
        if n < -1:
            raise RuntimeError(f"invalid shape dimension {n} at index {i} of shape {list(shape)}")
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    return shape


def _created_shape(size, who):
    """A shape for a new tensor: no negative size."""
    shape = _shape(size, who)
    if any(n < 0 for n in shape):
        raise RuntimeError(f"Trying to create tensor with negative dimension "
                           f"{min(shape)}: {list(shape)}")
    return shape


def _addc(op, who, input, tensor1, tensor2, value):
    """addcmul's and addcdiv's operands in their promoted dtype (the three tensors together,
    value a number of it)."""
    for position, (name, t) in enumerate((("tensor1", tensor1), ("tensor2", tensor2)), 1):
        if not isinstance(t, Tensor):
            raise TypeError(f"{who}(): argument '{name}' (position {position}) must be Tensor, "
                            f"not {type(t).__name__}")
    dtype = _common_dtype(input, tensor1, tensor2)
    a, b, c = (t if t._data.dtype == dtype else _promoted(t, dtype)
               for t in (input, tensor1, tensor2))
    if who == "addcmul" and all(t._data.dtype == bool_ for t in (input, tensor1, tensor2)):
        _broadcastable(input, tensor1, tensor2)
        raise NotImplementedError("\"addcmul_cpu_out\" not implemented for 'Bool'")
    if who == "addcdiv" and tensor1._data.dtype.kind in "biu" and \
            tensor2._data.dtype.kind in "biu":
        raise RuntimeError(
            "Integer division with addcdiv is no longer supported, and in a future release "
            "addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv "
            "behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2))."
            "to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) for "
            "float inputs. The future addcdiv behavior is just the latter implementation: "
            "(input + value * tensor1 / tensor2), for all dtypes.")
    # torch's gradient of tensor2 multiplies tensor1 by the value in tensor1's own dtype first
    # (uint8 3 times -1 is 253: its bug, followed)
    scaled = None
    if tensor1._data.dtype.kind in "biu" and tensor2.requires_grad and _state.enabled:
        with no_grad():
            scaled = (tensor1 * value)._data
    # the value in the dtype the kernel computes in: the result's (truncated for integers),
    # float32 for float16, where it must fit
    if dtype.kind == "f":
        value = _opmath(dtype).type(_checked(value, _opmath(dtype)))
    else:
        value = np.asarray(value).astype(dtype)[()]
    return op.apply(a, b, c, value, scaled)


def _bound(out, name, bound):
    """clamp_min's or clamp_max's result, its node named as torch's (ClampMinBackward0, or 1
    for a tensor bound)."""
    node = out._grad_fn
    if node is not None:
        node.label = f"{name}Backward{int(isinstance(bound, Tensor))}"
        absent = 0b100 if name == "ClampMin" else 0b010  # (no entry for the other bound)
        node.constants = getattr(node, "constants", 0) & ~absent
    return out


def _dim_given(who, dim, keepdim):
    """sum's and mean's dim, whether one was given, and keepdim (which goes with one only, as
    torch's overloads)."""
    if dim is not EVERY_DIM:
        return dim, True, _given(keepdim)
    if type(keepdim) is not _Unset:
        raise TypeError(f"{who}() received an invalid combination of arguments - got "
                        f"(keepdim=bool, ), but expected one of: (*, torch.dtype dtype = None) "
                        f"or (tuple of ints dim, bool keepdim = False, *, torch.dtype dtype = "
                        f"None)")
    return None, False, False


def _with_dim(out, given):
    """sum's, mean's or prod's result, its node named for the overload with a dim if one was
    given (a 0-d tensor's too)."""
    node = out._grad_fn
    if given and node is not None and node.label in ("SumBackward0", "MeanBackward0",
                                                     "ProdBackward0"):
        node.label = node.label[:-1] + "1"
    return out


def _reduction_dims(t, dim):
    dim = _dims(dim)
    if isinstance(dim, tuple):
        seen = [_wrap_dim(d, t._data.ndim) for d in dim]  # (out of range: IndexError first)
        for d in seen:
            if seen.count(d) > 1:
                raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    elif dim is not None and t._data.ndim:
        _wrap_dim(dim, t._data.ndim)  # (out of range: IndexError, which no kernel then wraps)
    if dim is not None and t._data.ndim == 0:  # a 0-d tensor takes dim 0 or -1, as torch
        for d in (dim if isinstance(dim, tuple) else (dim,)):
            if d not in (0, -1):
                raise IndexError(f"Dimension out of range (expected to be in range of [-1, 0], "
                                 f"but got {d})")
        return None
    return dim


def _same_dtype_inplace(t, dtype):
    """cumsum_'s and cumprod_'s dtype: the tensor's own, or torch's refusal."""
    if dtype is not None and np.dtype(dtype) != t._data.dtype:
        raise RuntimeError(f"Bad in-place call: input tensor dtype {t.dtype} and output tensor "
                           f"dtype {dtype} should match")


def _other_keyword(name, dim, keepdim, kwargs):
    """max's and min's other given by keyword: a tensor, and nothing else given."""
    if dim is not EVERY_DIM or type(keepdim) is not _Unset or set(kwargs) != {"other"} or \
            not isinstance(kwargs["other"], Tensor):
        raise TypeError(f"{name}() received an invalid combination of arguments: other= takes "
                        f"a tensor, alone")
    return kwargs["other"]


def _check_one_dim(name, dim, keepdim=KEEPDIM):
    """max, min and median reduce over one dim, an int (amax and amin over several), or over
    every element without one (and without keepdim)."""
    if isinstance(dim, (tuple, list)) or dim is None:
        raise TypeError(f"{name}(): argument 'dim' must be int, not {type(dim).__name__} "
                        f"(amax and amin take several dims; leave dim out for every element)")
    if dim is EVERY_DIM and type(keepdim) is not _Unset:  # (keepdim=False too, as torch)
        raise TypeError(f"{name}() received an invalid combination of arguments - got "
                        f"(keepdim=bool, ): keepdim goes with a dim")
    if isinstance(dim, Tensor):  # (a 0-d integer tensor is an int dim, as torch reads it)
        if dim._data.ndim or dim._data.dtype.kind not in "iu":
            raise TypeError(f"{name}(): argument 'dim' (position 1) must be int, not Tensor")
        return int(dim._data)
    return dim


def _check_nonempty(t, name):
    if t._data.size == 0:
        raise RuntimeError(
            f"{name}(): Expected reduction dim to be specified for input.numel() == 0. Specify "
            f"the reduction dim with the 'dim' argument.")


def _check_nonempty_dim(t, name, dim):
    if dim is not None and t._data.shape[dim] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {dim} to have non-zero size.")


def _compare(ufunc, a, b):
    """A comparison: a bool tensor outside the graph (numpy scalars are weak, as Python's)."""
    for x in (a, b):
        if not isinstance(x, _TENSOR_OPERANDS):
            raise _operand_error(x, ufunc.__name__)
    if isinstance(b, np.generic):
        b = b.item()
    if isinstance(a, np.generic):
        a = a.item()
    if type(b) is int and isinstance(a, Tensor):
        b = _int_beside(b, a)
    elif type(a) is int and isinstance(b, Tensor):  # (np.int64(-2) < x: numpy's ufunc)
        a = _int_beside(a, b)
    elif isinstance(a, Tensor) and isinstance(b, Tensor) and a._data.dtype != b._data.dtype:
        a, b = _promote(a, b)  # (a 0-d tensor is weak: converted, wrapping around, as torch)
    x, y = _unwrap(a), _unwrap(b)
    for number, t in ((b, x), (a, y)):  # an integer tensor and a float: both in the default
        if type(number) is float and isinstance(t, np.ndarray) and t.dtype.kind in "biu":
            x, y = (np.asarray(v, _default[0]) for v in (x, y))  # float dtype (-1e-300 is -0)
            break
    try:
        out = np.asarray(ufunc(x, y))
    except ValueError:
        _broadcast_shape(np.shape(x), np.shape(y))  # (torch's error naming the dim)
        raise
    if out.ndim > 1:
        out = _layout.like_operands(out, (x, y))  # (laid out as torch's: x.t() > y)
    return Tensor._wrap(out)


def _bitwise(ufunc, t, other):
    """&, |, ^ of integers and bools, in torch's promoted dtype (a 0-d tensor is weak)."""
    floating = t._data.dtype if t._data.dtype.kind == "f" else _float_operand(t, other)
    if floating is not None:
        _broadcastable(t, other)
        raise NotImplementedError(f'"{ufunc.__name__}_cpu" not implemented for '
                                  f"'{ops.TORCH_TYPE_NAMES[floating.name]}'")
    return _compare(ufunc, *_promote(t, other))


def _shifted(ufunc, t, other, reflected=False):
    """t << other (np.left_shift) or t >> other of integers (``reflected``: other << t), as
    torch's bitwise_left_shift and bitwise_right_shift: in the promoted dtype, where a shift by
    a negative amount, or by the dtype's width or more, gives 0 (or, shifting a signed integer
    right, its sign: -1 or 0)."""
    name = "lshift" if ufunc is np.left_shift else "rshift"
    floating = t._data.dtype if t._data.dtype.kind == "f" else _float_operand(t, other)
    if floating is not None:
        _broadcastable(t, other)
        raise NotImplementedError(f'"{name}_cpu" not implemented for '
                                  f"'{ops.TORCH_TYPE_NAMES[floating.name]}'")
    a, b = _promote(t, other)
    x, y = (_unwrap(b), _unwrap(a)) if reflected else (_unwrap(a), _unwrap(b))
    dtype = np.result_type(x, y)
    if dtype.kind == "b":
        raise NotImplementedError(f'"{name}_cpu" not implemented for \'Bool\'')
    shape = ops._broadcast_shape(np.shape(x), np.shape(y))  # (or torch's error)
    x, y = np.asarray(x, dtype), np.asarray(y, dtype)
    bits = 8 * dtype.itemsize
    beyond = (y < 0) | (y >= bits)
    out = ufunc(x, np.where(beyond, 0, y))
    if beyond.any():
        sign = np.right_shift(x, bits - 1) if name == "rshift" and dtype.kind == "i" else 0
        out = np.where(beyond, sign, out)
    return Tensor._wrap(np.array(np.broadcast_to(out, shape), dtype))


def _bitwise_function(name, op):
    """torch.NAME(input, other) of the bitwise operator ``op``: input may be a number
    (torch.bitwise_and(3, x)), not both."""
    def function(input, other):
        _number_argument(input, f"{name}()", "input")
        _number_argument(other, f"{name}()", "other")
        if not isinstance(input, Tensor) and not isinstance(other, Tensor):
            raise TypeError(f"{name}(): give a tensor as input or other, not two numbers")
        return op(input, other)
    function.__name__ = function.__qualname__ = name
    return function


bitwise_and, bitwise_or, bitwise_xor, bitwise_left_shift, bitwise_right_shift = (
    _bitwise_function(name, op) for name, op in (
        ("bitwise_and", operator.and_), ("bitwise_or", operator.or_),
        ("bitwise_xor", operator.xor), ("bitwise_left_shift", operator.lshift),
        ("bitwise_right_shift", operator.rshift)))


def _broadcastable(*operands):
    """torch's error for tensors that do not broadcast, which its kernels raise before they
    refuse a dtype."""
    shape = ()
    for x in operands:
        if isinstance(x, Tensor):
            shape = ops._broadcast_shape(shape, x._data.shape)


def _cast_error(result, t, what):
    """torch's refusal to write a result of dtype ``result`` into ``t`` in place."""
    return RuntimeError(f"result type {_SCALAR_TYPE[result]} can't be cast to the desired "
                        f"output type {_SCALAR_TYPE[t._data.dtype]} ({what}); convert the "
                        f"tensor first, e.g. x = x.to({dtype_name(result)})")


def _float_operand(t, other):
    """The float dtype ``other`` brings to a bitwise op on ``t`` (None if it brings none)."""
    if isinstance(other, Tensor):
        return other._data.dtype if other._data.dtype.kind == "f" else None
    if isinstance(other, np.generic):
        other = _number(other)
    return np.dtype(_default[0]) if type(other) is float else None


def _ufunc_op(ufunc, inputs):
    """The tinyad op for a numpy ufunc (a number on the left, which numpy may hand over as a
    0-d array, as a number)."""
    return _UFUNCS[ufunc](*[
        _number(x[()] if type(x) is np.ndarray and not x.ndim else x)
        if isinstance(x, np.generic) or type(x) is np.ndarray and not x.ndim else x
        for x in inputs])


_OPERATOR_CODES = (dis.opmap["BINARY_OP"], dis.opmap["COMPARE_OP"])
_COMPARISONS = (np.equal, np.not_equal, np.less, np.less_equal, np.greater, np.greater_equal)


def _running_operator(frame):
    """Whether the frame that handed a ufunc to numpy ran an operator (``arr - t``) rather
    than called it (``np.subtract(arr, t)``). numpy hands both over alike; torch's tensor,
    which has no __array_ufunc__, sees them apart, so the instruction running tells."""
    return frame.f_code.co_code[frame.f_lasti] in _OPERATOR_CODES


def _numpy_on_the_left(ufunc, inputs, kwargs):
    """An operator with numpy's operand on the left and a tensor on the right, as torch runs
    it: a numpy number's is the tensor's reflected operator (np.float64(2) * t: t.__rmul__;
    a comparison's number numpy hands over as a 0-d array); an array's is refused (TypeError,
    Python's, as torch's tensor declines it) except ``arr == t`` (t.__eq__), ``arr / t``
    (torch's __rtruediv__: t.reciprocal() * arr, which numpy computes) and ``arr != t``, which
    both decline, so that Python's identity test answers True."""
    left, t = inputs
    if set(kwargs) == {"out"} and kwargs["out"] == (left,):  # (arr /= t: Python falls back to
        kwargs = {}  # arr / t, where torch's tensor declines the in-place one, and rebinds arr)
    if not kwargs:
        if isinstance(left, np.generic) or not left.ndim and ufunc in _COMPARISONS:
            if ufunc in _UFUNCS and ufunc is not np.matmul:
                return _ufunc_op(ufunc, inputs)
        elif ufunc is np.equal:
            return t == left
        elif ufunc is np.true_divide:
            return _through_numpy(np.multiply, (t.reciprocal(), left), {})
        elif ufunc is np.not_equal:
            return True
    raise TypeError(f"unsupported operand type(s) for {ufunc.__name__}: "
                    f"'{type(left).__name__}' and 'Tensor' (torch's tensors decline numpy's "
                    f"operand on the left: put the tensor first, or make the array a tensor)")


def _through_numpy(func, args, kwargs):
    """A numpy ufunc on tensors as numpy runs it on torch's, which it sees only as arrays:
    each tensor read through numpy() (so one that requires grad is refused in grad mode, as
    torch refuses it), the result a tensor again: torch's __array_wrap__, bools as uint8."""
    for out in kwargs.get("out", ()) if isinstance(kwargs.get("out"), tuple) else (
            kwargs.get("out"),):
        if isinstance(out, Tensor):
            raise TypeError("return arrays must be of ArrayType (numpy writes into arrays, not "
                            "tensors: use x.numpy() as out)")
    result = func(*[x.numpy() if isinstance(x, Tensor) else x for x in args], **{
        k: v.numpy() if isinstance(v, Tensor) else v for k, v in kwargs.items()})  # (where=)
    if "out" in kwargs:
        return result
    return tuple(map(_from_numpy_result, result)) if isinstance(result, tuple) else \
        _from_numpy_result(result)


def _from_numpy_result(array):
    """numpy's result as torch's __array_wrap__ gives it: a tensor on the array (bools become
    uint8, torch's old bytes for them)."""
    array = np.asarray(array)
    return Tensor._wrap(array.astype(np.uint8) if array.dtype == np.bool_ else array)


def _plain_numpy(func, args, kwargs, name):
    """A numpy function tinyad has no op for: fine on plain values and under no_grad, an error
    where a gradient would be lost."""
    def plain(x):
        if isinstance(x, Tensor):
            if _state.enabled and x.requires_grad:
                raise TypeError(
                    f"numpy's {name} has no tinyad op, so it cannot "
                    f"be applied to a tensor that requires grad without losing the gradient; "
                    f"use tinyad's ops, or x.detach() if no gradient is wanted")
            return x._data
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


def _constant(fn):
    """A numpy function whose result carries no gradient (a mask, zeros)."""
    return lambda *args, **kwargs: Tensor._wrap(np.asarray(fn(*[_unwrap(a) for a in args],
                                                                **kwargs)))


def _ufunc(forward, reflected):
    """A binary ufunc on a tensor and something else, as the tensor's operator (so torch's
    promotion applies whichever side the tensor is on)."""
    return lambda a, b: forward(a, b) if isinstance(a, Tensor) else reflected(b, a)


_UFUNCS = {
    np.add: _ufunc(Tensor.__add__, Tensor.__radd__),
    np.subtract: _ufunc(Tensor.__sub__, Tensor.__rsub__),
    np.multiply: _ufunc(Tensor.__mul__, Tensor.__rmul__),
    np.true_divide: _ufunc(Tensor.__truediv__, Tensor.__rtruediv__),
    np.floor_divide: _ufunc(Tensor.__floordiv__, Tensor.__rfloordiv__),
    np.remainder: _ufunc(Tensor.__mod__, Tensor.__rmod__), np.fmod: Tensor.fmod,
    np.power: _ufunc(Tensor.__pow__, Tensor.__rpow__),
    np.matmul: _numpy_matmul,
    np.negative: ops.Neg.apply, np.exp: ops.Exp.apply, np.log: ops.Log.apply,
    np.sqrt: ops.Sqrt.apply, np.tanh: ops.Tanh.apply, np.sin: ops.Sin.apply,
    np.cos: ops.Cos.apply, np.abs: ops.Abs.apply, np.sign: ops.Sign.apply,
    np.log1p: Tensor.log1p, np.expm1: Tensor.expm1, np.tan: Tensor.tan, np.arcsin: Tensor.asin,
    np.arccos: Tensor.acos, np.arctan: Tensor.atan, np.sinh: Tensor.sinh, np.cosh: Tensor.cosh,
    np.arcsinh: Tensor.asinh, np.arccosh: Tensor.acosh, np.arctanh: Tensor.atanh,
    np.exp2: Tensor.exp2,
    np.log2: Tensor.log2, np.log10: Tensor.log10, np.floor: Tensor.floor,
    np.ceil: Tensor.ceil, np.trunc: Tensor.trunc,
    np.maximum: ops.Maximum.apply, np.minimum: ops.Minimum.apply,
    **{u: functools.partial(_compare, u) for u in (
        np.equal, np.not_equal, np.less, np.less_equal, np.greater, np.greater_equal,
        np.logical_and, np.logical_or)},
    np.bitwise_and: _ufunc(Tensor.__and__, Tensor.__rand__),
    np.bitwise_or: _ufunc(Tensor.__or__, Tensor.__ror__),
    np.bitwise_xor: _ufunc(Tensor.__xor__, Tensor.__rxor__),
    np.left_shift: _ufunc(Tensor.__lshift__, Tensor.__rlshift__),
    np.right_shift: _ufunc(Tensor.__rshift__, Tensor.__rrshift__),
    **{u: _constant(u) for u in (np.isnan, np.isinf, np.isfinite, np.logical_not)},
}

_REDUCTIONS = {np.add: ops.Sum, np.maximum: ops.Max}

_FUNCTIONS = {
    np.sum: lambda a, axis=None, keepdims=False: ops.Sum.apply(a, axis, keepdims),
    np.mean: lambda a, axis=None, keepdims=False: ops.Mean.apply(a, axis, keepdims),
    np.prod: lambda a, axis=None, keepdims=False: ops.Prod.apply(a, axis, keepdims),
    np.max: lambda a, axis=None, keepdims=False: ops.Max.apply(a, axis, keepdims),
    np.reshape: lambda a, shape: ops.Reshape.apply(a, shape),
    np.swapaxes: lambda a, axis1, axis2: ops.Transpose.apply(a, axis1, axis2),
    np.transpose: lambda a, axes: ops.Permute.apply(a, tuple(axes)),
    np.broadcast_to: lambda a, shape: ops.BroadcastTo.apply(a, tuple(shape)),
    np.expand_dims: _expand_dims,
    np.squeeze: _squeeze,
    np.where: lambda cond, a, b: ops.Where.apply(_unwrap(cond), a, b),
    np.flip: lambda a, axis: ops.Flip.apply(a, (axis,)),
    np.cumsum: lambda a, axis: ops.Cumsum.apply(a, axis, None),
    np.cumprod: lambda a, axis: ops.Cumprod.apply(a, axis, None),
    np.zeros_like: _constant(np.zeros_like),
}


# ----------------------------------------------------------------------------- functions


def maximum(input, other):
    """Elementwise maximum (torch.maximum)."""
    return ops.Maximum.apply(*_promote(*_two_tensors("maximum", input, other)))


def minimum(input, other):
    """Elementwise minimum (torch.minimum)."""
    return ops.Minimum.apply(*_promote(*_two_tensors("minimum", input, other)))


def atan2(input, other):
    """The angle of the point (other, input), in (-pi, pi] (torch.atan2)."""
    a, b = _tensor_arguments("atan2", input, other)
    if a._data.dtype.kind == "f" or b._data.dtype.kind == "f":
        a, b = _promote(a, b)  # (integers: each to floats from its own values, unwrapped)
    return ops.Atan2.apply(_floating(a), _floating(b), input._data.dtype == _BOOL, tuple(
        t._data if t._data.dtype.kind in "iu" else None for t in (input, other)))


arctan2 = atan2


def hypot(input, other):
    """The length of the hypotenuse, sqrt(input**2 + other**2) (torch.hypot)."""
    return ops.Hypot.apply(*_float_arguments("hypot", input, other))


def copysign(input, other):
    """|input| with the sign of other, a tensor or a number (torch.copysign): floats, as
    torch computes it for integers too."""
    _tensor_argument("copysign", "input", input, 1)
    _number_argument(other, "copysign()", "other")
    a, b = _float_operands(input, other)
    return ops.Copysign.apply(_floating(a), _floating(b) if isinstance(b, Tensor) else b)


def _float_operands(a, b):
    """A function's operands for torch's kernels that compute integers in floats: promoted
    where one holds floats, else each as it is (made floats from its own values, not through
    the integer dtype they promote to: copysign(uint8, -2) is negative)."""
    a, b = (t.item() if isinstance(t, np.generic) else t for t in (a, b))  # (numbers, weak)
    kinds = [t._data.dtype.kind if isinstance(t, Tensor) else
             "f" if isinstance(t, float) else "i" for t in (a, b)]
    if "f" not in kinds:
        return a, b
    if isinstance(a, Tensor):
        return _promote(a, b)
    b, a = _promote(b, a)
    return a, b


def xlogy(input, other):
    """input log(other), 0 where input is 0 (torch.xlogy): floats, as torch computes it for
    integers too; either may be a number."""
    if not isinstance(input, Tensor):
        _number_argument(input, "xlogy()", "self")
        _tensor_argument("xlogy", "other", other, 2)
        number, t = _float_operands(input, other)
        return ops.Xlogy.apply(number, _floating(t))
    _number_argument(other, "xlogy()", "other")
    a, b = _float_operands(input, other)
    return ops.Xlogy.apply(_floating(a), _floating(b) if isinstance(b, Tensor) else b)


def logaddexp(input, other):
    """log(exp(input) + exp(other)), without overflow (torch.logaddexp)."""
    return ops.Logaddexp.apply(*_float_arguments("logaddexp", input, other),
                               _BOOL in (input._data.dtype, other._data.dtype))


def _float_arguments(who, input, other):
    """The promoted operands of a function torch computes for floats only."""
    a, b = _promote(*_tensor_arguments(who, input, other))
    _broadcast_shape(a._data.shape, b._data.shape)  # (torch's size error first)
    if a._data.dtype.kind != "f":
        raise NotImplementedError(f'"{who}_cpu" not implemented for '
                                  f"'{_SCALAR_TYPE[_common_dtype(a, b)]}'")
    return a, b


def _number_argument(value, who, name="value"):
    """A number argument, or a tensor; torch's TypeError for anything else (None, a string),
    which numpy would write as NaN or as text."""
    if not isinstance(value, (Tensor, numbers.Number, np.bool_)):
        raise TypeError(f"{who}: argument '{name}' must be a number or a tensor, not "
                        f"{type(value).__name__}")
    return value


def _tensor_first(function):
    """torch's function ``function(input, ...)``, refusing an input that is not a tensor with
    torch's TypeError (tinyad's code would fail on it with an AttributeError)."""
    @functools.wraps(function)
    def checked(input, *args, **kwargs):
        _tensor_argument(function.__name__, "input", input, 1)
        return function(input, *args, **kwargs)
    return checked


def _tensor_argument(who, name, x, position=None):
    """``x``, or torch's TypeError for an argument of ``who`` that is not a tensor."""
    if not isinstance(x, Tensor):
        where = "" if position is None else f" (position {position})"
        raise TypeError(f"{who}(): argument '{name}'{where} must be Tensor, not {_type_name(x)}")
    return x


def _tensor_arguments(who, input, other, names=("input", "other"), first=1):
    """input and other, or torch's TypeError for the first that is not a tensor (``first``: the
    position of the first, 0 for a method's self)."""
    for position, name, x in zip(range(first, first + 2), names, (input, other)):
        _tensor_argument(who, name, x, position)
    return input, other


def _index_add(t, dim, index, source, alpha, who, check_only=False):
    """index_add (alpha a number) or index_copy (alpha None), with torch's checks in its order."""
    _tensor_arguments(who, index, source, ("index", "source"), 2)
    copy, idx, src, self = alpha is None, index._data, source._data, t._data
    op = "index_copy_" if copy else "index_add_"
    d = _wrap_dim(dim, self.ndim)
    if idx.ndim > 1:
        raise IndexError(f"{op}(): Index should have dimension 1 or 0 (got {idx.ndim})" if copy
                         else f"{op}(): Index is supposed to be a vector, but got dim: "
                         f"{idx.ndim} with type: {_SCALAR_TYPE[idx.dtype]} and size: "
                         f"{list(idx.shape)}")
    if copy and not src.ndim and idx.size != 1:
        raise IndexError(f"{op}(): When source is scalar, index should have one element (got "
                         f"{idx.size})")
    if copy and src.ndim != self.ndim and src.ndim and self.ndim:
        raise IndexError(f"{op}(): When source and destination are not scalars, their "
                         f"dimensionality must match. Source dimensionality ({src.ndim}), "
                         f"destination dimensionality ({self.ndim})")
    if copy and idx.dtype != np.int64:
        raise RuntimeError(f"{op}(): Expected a long tensor for index, but got "
                           f"{_SCALAR_TYPE[idx.dtype]}")
    if not copy and idx.dtype not in _GATHER_INDEX:
        raise RuntimeError(f"{op}(): Expected dtype int32/int64 for index but got: "
                           f"{_SCALAR_TYPE[idx.dtype]}")
    if src.dtype != self.dtype:
        raise RuntimeError(
            f"{op}(): self and source expected to have the same dtype, but got (self) "
            f"{_SCALAR_TYPE[self.dtype]} and (source) {_SCALAR_TYPE[src.dtype]}" if copy
            else f"{op}(): self ({_SCALAR_TYPE[self.dtype]}) and source "
            f"({_SCALAR_TYPE[src.dtype]}) must have the same scalar type")
    if copy:  # (the slices' shapes: each shape without dim, a 0-d one as it is)
        ours, theirs = (list(a.shape[:d] + a.shape[d + 1:]) for a in (self, src))
        if ours != theirs:
            raise RuntimeError(
                f"{op}(): Source/destination tensor must have same slice shapes. Destination "
                f"slice shape: {' '.join(map(str, ours))} at dimension {d} and source slice "
                f"shape: {' '.join(map(str, theirs))} at dimension 0.")
        if src.ndim and idx.size != src.shape[d]:
            raise IndexError(f"{op}(): Number of indices ({idx.size}) should be equal to "
                             f"source.size(dim) ({src.shape[d]})")
    else:
        if d and d >= src.ndim:
            raise RuntimeError(f"{op}(): Indexing dim {d} is out of bounds of the source tensor "
                               f"with dim {src.ndim}")
        if idx.size != (src.shape[d] if src.ndim else 1):
            if not src.ndim:  # (torch's message asks a 0-d source for its size)
                raise IndexError("Dimension specified as 0 but tensor has no dimensions")
            raise RuntimeError(f"{op}(): Number of indices ({idx.size}) should be equal to "
                               f"source.size(dim): ({src.shape[d]}), for dim: {d}")
        ours, theirs = (a.shape[:d] + a.shape[d + 1:] if src.ndim and self.ndim else a.shape
                        for a in (self, src))
        if ours != theirs:
            raise RuntimeError(f"source tensor shape must match self tensor shape, excluding "
                               f"the specified dimension. Got self.shape = {list(self.shape)} "
                               f"source.shape = {list(src.shape)}")
    n = (self.shape or (1,))[d]
    if copy and not self.size and not n and idx.size:  # (torch restrides the tensor first:
        _check_restrided_storage(self, d, idx.size)  # beyond its storage, that fails)
    # (torch's kernels do not look at the indices when there is nothing to write: an empty
    # self of 2 dims or more; index_add's along its first or last dim is index_put_'s, with
    # its error, its others IndexError)
    idx = idx.reshape(-1).astype(np.int64)
    outside = idx[(idx < 0) | (idx >= n)] if self.size or self.ndim <= 1 else idx[:0]
    if outside.size:
        message = f"index {outside[0]} is out of bounds for dimension {d} with size {n}"
        if copy:
            raise IndexError(f"{op}(): {message}")
        if self.ndim <= 1 or d not in (0, self.ndim - 1) or index._data.dtype != np.int64:
            raise IndexError("index out of range in self")
        raise RuntimeError(message)
    if check_only:
        return None
    if not copy:
        alpha = _unwrap(alpha)
        alpha = alpha.item() if isinstance(alpha, np.ndarray | np.generic) else alpha
        if t._data.dtype.kind != "f":
            alpha = int(alpha)
    out = ops.IndexAddSlices.apply(t, source, d, idx, alpha, copy)
    return _guard(out, (index,)) if copy or source.requires_grad else out  # (index_add's
    # node reads the index for the source's gradient alone)


@_tensor_first
def lerp(input, end, weight):
    """input + weight * (end - input) (torch.lerp): ``end`` of input's dtype, ``weight`` a
    number or a tensor of input's dtype (a 0-d one of any)."""
    if isinstance(weight, np.generic) and weight.dtype.kind in "biuf":  # (a numpy number)
        weight = weight.item()
    if not isinstance(end, Tensor) or not isinstance(weight, (Tensor, int, float)):
        raise TypeError(f"lerp() received an invalid combination of arguments - got (Tensor, "
                        f"{type(end).__name__}, {type(weight).__name__}), but expected (Tensor "
                        f"input, Tensor end, Tensor weight) or (Tensor input, Tensor end, "
                        f"Number weight)")
    dtype = input._data.dtype
    for name, x in (("end", end), ("weight", weight)):
        if isinstance(x, Tensor) and x._data.dtype != dtype and (name == "end" or x._data.ndim):
            raise RuntimeError(f"expected dtype {_C_NAMES.get(dtype.name, dtype.name)} for "
                               f"`{name}` but got dtype "
                               f"{_C_NAMES.get(x._data.dtype.name, x._data.dtype.name)}")
    if dtype.kind != "f":  # (after the dtypes, as torch's kernel comes after its checks)
        _broadcastable(input, end, weight)
        kernel = "tensor" if isinstance(weight, Tensor) else "scalar"
        raise NotImplementedError(f'"lerp_kernel_{kernel}" not implemented for '
                                  f"'{ops.TORCH_TYPE_NAMES[dtype.name]}'")
    was_bool = isinstance(weight, Tensor) and weight._data.dtype == _BOOL
    if isinstance(weight, Tensor) and weight._data.dtype != dtype:
        weight = _promoted(weight, dtype)  # (a 0-d weight of another dtype)
    if not isinstance(weight, Tensor):  # (a number in the dtype the kernel computes in)
        weight = float(_checked(weight, _opmath(dtype)))
    return ops.Lerp.apply(input, end, weight, was_bool)


@_tensor_first
def nan_to_num(input, nan=0.0, posinf=None, neginf=None):
    return input.nan_to_num(nan, posinf, neginf)


def _two_tensors(who, input, other):
    """The arguments of torch's ``who(input, other)`` that takes two tensors (maximum, isclose,
    logical_and, ...): anything else refused with a TypeError, as its signature does."""
    for position, (name, x) in enumerate((("input", input), ("other", other)), 1):
        if not isinstance(x, Tensor):
            hint = " (for a number, use clamp)" if who in ("maximum", "minimum") else ""
            raise TypeError(f"{who}(): argument '{name}' (position {position}) must be Tensor, "
                            f"not {_type_name(x)}{hint}")
    return input, other


def where(condition, input=None, other=None):
    """``input`` where ``condition`` holds, ``other`` elsewhere (torch.where)."""
    if input is None and other is None:  # (nonzero(as_tuple=True): a 0-d one as 1-d)
        return tuple(Tensor._wrap(i) for i in np.nonzero(np.atleast_1d(_unwrap(condition))))
    if not isinstance(condition, Tensor):
        raise TypeError(f"where(): argument 'condition' (position 1) must be Tensor, not "
                        f"{_type_name(condition)}")
    cond = condition._data
    if cond.dtype == np.uint8:  # (torch's older byte masks, still taken, with its warning)
        _warn("where received a uint8 condition tensor. This behavior is deprecated and "
              "will be removed in a future version of PyTorch. Use a boolean condition "
              "instead.", UserWarning)
        cond = cond != 0
    elif cond.dtype != np.bool_:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {dtype_name(cond.dtype)[6:].capitalize()}")
    input, other = (_number(x) if isinstance(x, np.generic) else x for x in (input, other))
    _number_argument(input, "where()", "input")
    _number_argument(other, "where()", "other")
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        input = _where_numbers(input, other)
    if isinstance(input, Tensor):
        other = _where_number(other, input)  # (checked, as a fill)
        input, other = _promote(input, other)
    elif isinstance(other, Tensor):
        input = _where_number(input, other)
        other, input = _promote(other, input)
    return _guard(ops.Where.apply(cond, input, other), (condition,))


def _norm_input(A, dtype, who):
    """A norm's input, of floats, converted to its ``dtype=`` (a float dtype A's converts to
    without narrowing, as torch's)."""
    if A._data.dtype.kind != "f":
        raise RuntimeError(f"{who}: Expected a floating point or complex tensor as input. Got "
                           f"{_SCALAR_TYPE[A._data.dtype]}; convert it with .float()")
    if dtype is None:
        return A
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise RuntimeError(f"{who}: dtype should be floating point or complex, but got "
                           f"{_SCALAR_TYPE[dtype]}")
    if np.promote_types(A._data.dtype, dtype) != dtype:
        raise RuntimeError(f"{who}: the dtype of the input ({_SCALAR_TYPE[A._data.dtype]}) "
                           f"should be convertible without narrowing to the specified dtype "
                           f"({_SCALAR_TYPE[dtype]})")
    return A.to(dtype)


def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    """The vector p-norm over ``dim`` (all elements by default): 2 ('fro'), 1, inf, or any p."""
    if p is None or p == "fro" and (dim is None or isinstance(dim, int) or len(dim) <= 2):
        p = 2  # (as torch's: 'fro' over more than two dims goes to matrix_norm, which refuses;
        # a dim that is neither an int nor a sequence, np.int64(1), has no len(): TypeError)
    if isinstance(p, str):  # ('nuc', or another: torch's matrix_norm takes or refuses it)
        from .linalg import matrix_norm
        return matrix_norm(input, p, tuple(range(input.ndim)) if dim is None else dim, keepdim,
                           dtype=dtype)
    t = _norm_input(input, dtype, "linalg.vector_norm")
    if (math.isinf(p) or p < 0) and t._data.size == 0:
        # a maximum of nothing (or a negative power's sum) has no identity: torch's words, in
        # its order (each dim as given, read before it is checked; no dim, or (), is all)
        what = f"linalg.vector_norm cannot compute the {p:g} norm on"
        if dim is None or isinstance(dim, (tuple, list)) and not dim:
            raise RuntimeError(f"{what} an empty tensor because the operation does not have an "
                               f"identity")
        for d in dim if isinstance(dim, (tuple, list)) else (dim,):
            if t._data.shape[_wrap_dim(d, t._data.ndim)] == 0:
                raise RuntimeError(f"{what} the dimension {d}because this dimension is empty "
                                   f"and the operation does not have an identity")
    dims = _reduction_dims(t, dim)
    if dims is None and dim is not None and not t._data.ndim:  # (a 0-d t with a dim: torch
        dims = ()  # reduces it, |t|**p and back, where one element of more dims is |t|)
    return ops.Norm.apply(t, float(p), dims, keepdim)


def dot(input, other):
    """The dot product of two 1-D tensors."""
    _tensor_arguments("dot", input, other, ("input", "tensor"))
    if input.ndim != 1 or other.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.ndim}D and {other.ndim}D "
                           f"tensors")
    return input.matmul(other)


def matmul(input, other):
    """input @ other (torch.matmul): see Tensor.matmul."""
    _tensor_argument("matmul", "input", input, 1)
    if isinstance(other, np.ndarray):  # (refused, as the method refuses it)
        return input.matmul(other)
    return _product(input, other, 2)


def mm(input, mat2):
    """The product of two matrices (2-D only)."""
    _tensor_arguments("mm", input, mat2, ("input", "mat2"))
    if input.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    return input.matmul(mat2)


def mv(input, vec):
    """A matrix times a vector."""
    _tensor_arguments("mv", input, vec, ("input", "vec"))
    if input.ndim == 0:  # (torch sizes the result by input.size(0) first)
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    if input.ndim != 2 or vec.ndim != 1:  # (torch's words: the dims of the result, the
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {input.ndim}, "
                           f"{vec.ndim}")  # matrix and the vector)
    return input.matmul(vec)


def outer(input, vec2):
    _tensor_arguments("outer", input, vec2, ("input", "vec2"))
    for name, v in (("self", input), ("vec2", vec2)):
        if v.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {v.ndim}-D")
    return input.reshape(-1, 1) * vec2  # (torch's composition: its graph, what it saves)


def broadcast_shapes(*shapes):
    """The shape the given shapes broadcast to (a Size), or torch's error."""
    out = ()
    for i, shape in enumerate(shapes):
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        for d in range(1, min(len(out), len(shape)) + 1):
            if 1 != out[-d] != shape[-d] != 1:
                raise RuntimeError(f"Attempting to broadcast a dimension of length {shape[-d]} "
                                   f"at {-d}! Mismatching argument at index {i} had "
                                   f"torch.Size({list(shape)}); but expected shape should be "
                                   f"broadcastable to {list(out)}")
        out = np.broadcast_shapes(out, shape)
    return Size(out)


def broadcast_tensors(*tensors):
    """The tensors expanded to their broadcast shape (views; a tensor of it, itself)."""
    for k, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {k} in argument 0, but got "
                            f"{type(t).__name__}")
    shape = functools.reduce(_broadcast_shape, (t._data.shape for t in tensors), ())
    return tuple(t if t._data.shape == shape else t.expand(shape) for t in tensors)


@_tensor_first
def is_floating_point(input):
    return input.is_floating_point()


def result_type(tensor1, tensor2):
    """The dtype of an arithmetic op of the two (tensors or numbers), as torch promotes."""
    if not isinstance(tensor1, Tensor):
        tensor1, tensor2 = tensor2, tensor1
    if not isinstance(tensor1, Tensor):  # (two numbers)
        tensor1 = tensor(tensor1)
    a, b = _promote(tensor1, tensor2)  # (torch's rules where numpy's differ, then numpy's)
    return _dtype_of(np.empty(0, np.result_type(a._data, b._data if isinstance(b, Tensor)
                                                else b)))


def promote_types(type1, type2):
    """The dtype two dtypes promote to, by torch's rules (int64 with float32 is float32)."""
    return result_type(zeros(1, dtype=type1), zeros(1, dtype=type2))


def can_cast(from_, to):
    """Whether torch's casting rules allow from_ into to: not to a lower kind (float to
    integer, integer to bool)."""
    kinds = "biuf"
    return kinds.index(np.dtype(from_).kind) <= kinds.index(np.dtype(to).kind) or \
        np.dtype(from_).kind in "iu" and np.dtype(to).kind in "iu"


class finfo:
    """The limits of a float dtype (the default one without an argument), as Python floats:
    bits, eps, max, min, tiny (smallest_normal), resolution, dtype (its name)."""

    def __init__(self, type=None):
        dtype = np.dtype(_default[0] if type is None else type)
        if dtype.kind != "f":
            raise TypeError(f"torch.finfo() requires a floating point input type. Use "
                            f"torch.iinfo to handle '{dtype.name}'")
        info = np.finfo(dtype)
        self.bits, self.dtype = info.bits, dtype.name
        self.eps, self.max, self.min, self.tiny = (
            float(v) for v in (info.eps, info.max, info.min, info.tiny))
        self.smallest_normal, self.resolution = self.tiny, 10.0 ** -info.precision

    def __eq__(self, other):
        return type(other) is type(self) and other.dtype == self.dtype

    __hash__ = object.__hash__

    def __repr__(self):
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, "
                f"eps={self.eps:g}, smallest_normal={self.tiny:g}, tiny={self.tiny:g}, "
                f"dtype={self.dtype})")


class iinfo:
    """The limits of an integer dtype, as Python ints: bits, max, min, dtype (its name)."""

    def __init__(self, type):
        dtype = np.dtype(type)
        if dtype.kind == "b":
            raise TypeError("torch.bool is not supported by torch.iinfo")
        if dtype.kind not in "iu":
            raise TypeError(f"torch.iinfo() requires an integer input type. Use torch.finfo "
                            f"to handle '{dtype.name}'")
        info = np.iinfo(dtype)
        self.bits, self.max, self.min, self.dtype = info.bits, int(info.max), int(info.min), \
            dtype.name

    __eq__, __hash__ = finfo.__eq__, finfo.__hash__

    def __repr__(self):
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"


@_numpy_keywords
def cat(tensors, dim=0):
    """Join tensors along an existing dim (torch.cat)."""
    tensors = _tensor_list(tensors, "cat")
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if t._data.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be "
                               f"concatenated")
    kept = [t._data.shape for t in tensors if t._data.shape != (0,)]  # (see ops.Cat)
    shape = kept[0] if kept else (0,)
    dim = _wrap_dim(dim, len(shape)) if kept else 0  # (all 1-D empty: torch takes any dim)
    for i, t in enumerate(tensors):
        other = t._data.shape
        if kept and other == (0,):
            continue
        if len(other) != len(shape):
            raise RuntimeError(f"Tensors must have same number of dimensions: got {len(shape)} "
                               f"and {len(other)}")
        for k, (n, m) in enumerate(zip(shape, other)):
            if k != dim and n != m:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {dim}. "
                                   f"Expected size {n} but got size {m} for tensor number {i} "
                                   f"in the list.")
    return ops.Cat.apply(dim, *_joined(tensors))


concatenate = concat = cat


@_numpy_keywords
def stack(tensors, dim=0):
    """Join tensors along a new dim (torch.stack)."""
    tensors = _tensor_list(tensors, "stack")
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    dim = _wrap_dim(dim, tensors[0]._data.ndim + 1)  # (torch's dim error first)
    shapes = {t.shape for t in tensors}
    if len(shapes) > 1:
        raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                           f"{[list(t.shape) for t in tensors]}")
    return ops.Stack.apply(dim, *_joined(tensors))


def _joined(tensors):
    """Tensors to join, in torch's common dtype: that of the highest kind among them (bool,
    integer, float), so float32 with int64 is float32 (numpy would widen it to float64)."""
    dtypes = {t._data.dtype for t in tensors}
    if len(dtypes) == 1:
        return tensors
    top = max(_KIND[d.kind] for d in dtypes)
    dtype = np.result_type(*(d for d in dtypes if _KIND[d.kind] == top))
    return [t if t._data.dtype == dtype else _promoted(t, dtype) for t in tensors]


@_tensor_first
def diag(input, diagonal=0):
    """A vector's diagonal matrix, or a matrix's diagonal (as a vector)."""
    k = diagonal
    if input.ndim == 1:  # zeros with the vector placed on the diagonal (its gradient: a view
        n = input.shape[0] + abs(k)  # of the matrix's diagonal, as torch's)
        out = ops.DiagonalBackward.apply(input, (n, n), operator.index(k), 0, 1)
        label = "DiagEmbedBackward0"
    elif input.ndim == 2:  # the matrix's diagonal, copied (DiagonalBackward0_copy)
        return ops.Diagonal.apply(input, operator.index(k), 0, 1, True)
    else:
        raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {input.ndim}D")
    if out._grad_fn is not None:
        out._grad_fn.label = label  # torch's name for the same gradient
    return out


def inverse(input):
    """The inverse of a square matrix (or of each in a batch)."""
    return ops.Inverse.apply(_matrices(input, "linalg.inv", square=True))


@_tensor_first
def det(input):
    """The determinant of a square matrix (or of each in a batch)."""
    return ops.Det.apply(_matrices(input, "linalg.det", square=True))


def _matrices(a, who, square=False):
    """A matrix (or a batch of them) that torch.linalg's ``who`` takes: floats, at least 2-D,
    square where it must be, as torch refuses the others."""
    if a._data.dtype.kind != "f":
        raise RuntimeError(f"{who}: Expected a floating point or complex tensor as input. Got "
                           f"{ops.TORCH_TYPE_NAMES[a._data.dtype.name]}")
    if a.ndim < 2:
        raise RuntimeError(f"{who}: The input tensor A must have at least 2 dimensions.")
    if square and a.shape[-1] != a.shape[-2]:
        raise RuntimeError(f"{who}: A must be batches of square matrices, but they are "
                           f"{a.shape[-2]} by {a.shape[-1]} matrices")
    return a


@_tensor_first
def trace(input):
    """The sum of a matrix's diagonal."""
    if input.dtype == bool_:  # (torch's dtype check comes first)
        raise NotImplementedError("\"trace\" not implemented for 'Bool'")
    if input.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.ndim}")
    return ops.Trace.apply(input)


_LABELS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"  # torch's label order
_ELLIPSIS = "..."


def einsum(*args):
    """Einstein summation, composed as torch's: an operand's repeated label is its diagonal, its
    dims are unsqueezed and permuted to the output's labels then the summed ones (in label
    order), and the operands are multiplied left to right, two at a time (by bmm, or mul when
    no label is summed there), each label summed as soon as no later operand has it.
    ``einsum(equation, *operands)``, ``einsum(equation, [operands])`` or the sublist form
    ``einsum(a, [0, 1], b, [1, 2], [0, 2])``."""
    if len(args) == 2 and isinstance(args[1], (list, tuple)) and not isinstance(args[0], Tensor):
        args = (args[0], *args[1])  # the operands in one list
    if len(args) < 2:
        raise ValueError("einsum(): must specify the equation string and at least one operand, "
                         "or at least one operand and its subscripts list")
    if isinstance(args[0], Tensor):  # the sublist form
        def letters(sublist):
            for n in sublist:
                if n is not Ellipsis and not 0 <= n < len(_LABELS):
                    raise ValueError("einsum(): subscript in subscript list is not within the "
                                     "valid range [0, 52)")
            return "".join(_ELLIPSIS if n is Ellipsis else _LABELS[n] for n in sublist)
        equation = ",".join(letters(sub) for sub in args[1::2])
        if len(args) % 2:
            equation += "->" + letters(args[-1])
        operands = args[:-1:2] if len(args) % 2 else args[::2]
    else:
        equation, operands = args[0], args[1:]
    for i, t in enumerate(operands):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 1, but got "
                            f"{_type_name(t)}")
    labels, output = _einsum_parse(equation, operands)
    order = list(output) + sorted({c for sub in labels for c in sub} - set(output),
                                  key=lambda c: -1 if c == _ELLIPSIS else _LABELS.index(c))
    n_out = len(output)
    ell = max([t.ndim - len(sub) + 1 for t, sub in zip(operands, labels) if _ELLIPSIS in sub],
              default=0)
    axes = [a for c in order for a in ([c] if c != _ELLIPSIS else range(ell))]
    if _ELLIPSIS in output:  # an ellipsis stands for ell dims, not 1
        n_out += ell - 1
    sizes, counts, aligned = {}, dict.fromkeys(axes, 0), []
    for i, (t, sub) in enumerate(zip(operands, labels)):
        t, dim_of = _einsum_align(t, sub, i, ell, sizes, counts)
        permutation = []
        for a in axes:
            if a not in dim_of:
                dim_of[a] = t.ndim
                t = t.unsqueeze(t.ndim)
            permutation.append(dim_of[a])
        aligned.append(t.permute(permutation))
    while len(aligned) > 1:  # contract the first two: dims that only they still have are summed
        a, b = aligned.pop(0), aligned.pop(0)
        summed, a_only, b_only = [], [], []
        for dim in range(n_out, len(axes)):
            axis = axes[dim]
            if a.shape[dim] != 1 and b.shape[dim] != 1:
                counts[axis] -= 1
                if counts[axis] == 1:
                    summed.append(dim)
                    counts[axis] = 0
            elif counts[axis] == 1 and (a.shape[dim] != 1 or b.shape[dim] != 1):
                (a_only if a.shape[dim] != 1 else b_only).append(dim)
                counts[axis] = 0
        if a_only:
            a = a.sum(a_only, True)
        if b_only:
            b = b.sum(b_only, True)
        aligned.insert(0, _sumproduct_pair(a, b, summed))
    result = aligned[0]
    if len(axes) > n_out:  # the summed dims: size 1 by now where there were several operands
        if len(operands) > 1:
            return result.view(result.shape[:n_out])
        return result.sum(list(range(n_out, len(axes))))
    return result


def _einsum_parse(equation, operands):
    """Each operand's labels (a list of letters and '...') and the output's, with torch's
    checks and errors."""
    lhs, arrow, rhs = equation.partition("->")
    labels, i = [[]], 0
    while i < len(lhs):
        c = lhs[i]
        if c == ".":
            k = len(labels) - 1
            if _ELLIPSIS in labels[-1]:
                raise RuntimeError(f"einsum(): found '.' for operand {k} for which an ellipsis "
                                   f"was already found")
            if lhs[i:i + 3] != _ELLIPSIS:
                raise RuntimeError(f"einsum(): found '.' for operand {k} that is not part of "
                                   f"any ellipsis")
            labels[-1].append(_ELLIPSIS)
            i += 2
        elif c == ",":
            labels.append([])
            if len(labels) > len(operands):
                raise RuntimeError("einsum(): fewer operands were provided than specified in "
                                   "the equation")
        elif c != " ":
            if c not in _LABELS:
                raise RuntimeError(f"einsum(): invalid subscript given at index {i} in the "
                                   f"equation string, subscripts must be in [a-zA-Z]")
            labels[-1].append(c)
        i += 1
    if len(labels) != len(operands):
        raise RuntimeError("einsum(): more operands were provided than specified in the "
                           "equation")
    for k, (t, sub) in enumerate(zip(operands, labels)):
        n = len(sub) - (_ELLIPSIS in sub)
        if _ELLIPSIS in sub and n > t.ndim:
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({n}) is "
                               f"more than the number of dimensions ({t.ndim}) for operand {k}")
        if _ELLIPSIS not in sub and n != t.ndim:
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({n}) does "
                               f"not match the number of dimensions ({t.ndim}) for operand {k} "
                               f"and no ellipsis was given")
    seen = [c for sub in labels for c in sub if c != _ELLIPSIS]
    if not arrow:  # implicit: the ellipsis, then the labels seen once, in label order
        return labels, [_ELLIPSIS] + sorted((c for c in set(seen) if seen.count(c) == 1),
                                            key=_LABELS.index)
    output, i = [], 0
    while i < len(rhs):
        c = rhs[i]
        if c == ".":
            if _ELLIPSIS in output:
                raise RuntimeError("einsum(): found '.' for output but an ellipsis (...) was "
                                   "already found")
            if rhs[i:i + 3] != _ELLIPSIS:
                raise RuntimeError("einsum(): found '.' for output that is not part of any "
                                   "ellipsis (...)")
            output.append(_ELLIPSIS)
            i += 2
        elif c != " ":
            if c not in _LABELS:
                raise RuntimeError(f"einsum(): invalid subscript given at index "
                                   f"{len(lhs) + 2 + i} in the equation string, subscripts "
                                   f"must be in [a-zA-Z]")
            if c not in seen or c in output:
                raise RuntimeError(f"einsum(): output subscript {c} " + (
                    "appears more than once in the output" if c in output else
                    "does not appear in the equation for any input operand"))
            output.append(c)
        i += 1
    return labels, output


def _einsum_align(t, sub, k, ell, sizes, counts):
    """Operand k with its repeated labels' diagonals taken, and the dim of each of its axes
    (labels, and 0..ell-1 for the ellipsis' dims, right-aligned); records each axis' size and
    counts the operands where it is not 1, as torch's broadcasting checks go."""
    dim_of, dim, n = {}, 0, t.ndim - (len(sub) - 1)  # (n: the ellipsis' dims)
    for c in sub:
        if c == _ELLIPSIS:
            for j in range(ell - n, ell):
                _einsum_size(j, t.shape[dim], k, sizes, counts, dim)
                dim_of[j] = dim
                dim += 1
        elif c not in dim_of:
            _einsum_size(c, t.shape[dim], k, sizes, counts, dim)
            dim_of[c] = dim
            dim += 1
        else:  # repeated: the diagonal, moved to where the label first was
            first = dim_of[c]
            if t.shape[dim] != t.shape[first]:
                raise RuntimeError(f"einsum(): subscript {c} is repeated for operand {k} but the "
                                   f"sizes don't match, {t.shape[dim]} != {t.shape[first]}")
            t = t.diagonal(0, first, dim).movedim(-1, first)
    return t, dim_of


def _einsum_size(axis, n, k, sizes, counts, dim):
    """Record that operand k has size n on axis (a label, or an ellipsis dim's number)."""
    if n == 1:
        return
    seen = sizes.get(axis, 1)
    if seen not in (1, n):
        if isinstance(axis, str):
            raise RuntimeError(f"einsum(): subscript {axis} has size {n} for operand {k} which "
                               f"does not broadcast with previously seen size {seen}")
        raise RuntimeError(f"einsum(): dimension {dim} covered by ellipsis in operand {k}has "
                           f"size {n} which does not broadcast with previously seen ellipsis "
                           f"with size {seen} for the respective dimension")
    sizes[axis] = n
    counts[axis] += 1


def _sumproduct_pair(left, right, summed):
    """sum(left * right) over the dims ``summed``, kept as size 1: as torch's einsum, a bmm
    between the operands permuted and reshaped to (both, left's only, summed) and (both,
    summed, right's only), viewed and permuted back (the operands swapped when all of right's
    own dims come before left's); a mul when nothing is summed."""
    if not summed:
        return left * right
    both, lo, ro, summed_size = [], [], [], 1
    for i in range(left.ndim):
        sl, sr = left.shape[i] != 1, right.shape[i] != 1
        if i in summed:
            if sl and sr:
                summed_size *= left.shape[i]
            elif sl:
                left = left.sum(i, True)
            elif sr:
                right = right.sum(i, True)
        elif sl and sr:
            both.append(i)
        elif sl:
            lo.append(i)
        else:
            ro.append(i)
    if lo and ro and ro[-1] < lo[0]:  # (so that bmm lays the result out in order)
        left, right, lo, ro = right, left, ro, lo
    n_both, n_lo, n_ro = (math.prod(t.shape[d] for d in dims)
                          for t, dims in ((left, both), (left, lo), (right, ro)))
    out_shape = [left.shape[d] for d in both + lo] + [1] * len(summed) + \
        [right.shape[d] for d in ro]
    order = both + lo + summed + ro
    left = left.permute(order).reshape(n_both, n_lo, summed_size)
    right = right.permute(both + summed + ro + lo).reshape(n_both, summed_size, n_ro)
    return bmm(left, right).view(out_shape).permute([order.index(d) for d in range(len(order))])


@_numpy_keywords
def gather(input, dim, index, *, sparse_grad=False):
    """out[i][j] = input[index[i][j]][j] for dim 0 (and so on): torch.gather. Its node keeps
    the input, as torch's, so changing it in place before backward is refused."""
    if sparse_grad:
        raise NotImplementedError("tinyad has no sparse tensors: gather(sparse_grad=True) is "
                                  "not there (sparse_grad=False gives the same values)")
    return _gathered(input, dim, index, keep_input=True)


def _gathered(input, dim, index, keep_input=False):
    """gather's result, its node keeping the index (and the input only if ``keep_input``: sort's
    keeps none)."""
    _tensor_argument("gather", "index", index, 3)
    idx = index._data
    dim = _wrap_dim(dim, input.ndim)
    if not idx.size:  # torch checks nothing else of an empty index
        return ops.Gather.apply(input, dim, Tensor._wrap(idx.astype(np.int64)), keep_input)
    if idx.dtype not in _GATHER_INDEX:
        raise RuntimeError("gather(): Expected dtype int32/int64 for index")
    if max(idx.ndim, 1) != max(input.ndim, 1):  # (a 0-d tensor counts as 1-d here)
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    shape, index_shape = input._data.shape or (1,), idx.shape or (1,)
    for d, (n, m) in enumerate(zip(shape, index_shape)):
        if d != dim and m > n:
            raise RuntimeError(
                f"Size does not match at dimension {d} expected index {list(idx.shape)} to be "
                f"no larger than self {list(input.shape)} apart from dimension {dim}")
    outside = idx[(idx < 0) | (idx >= shape[dim])]
    if outside.size:  # (torch takes no negative indices here)
        raise RuntimeError(f"index {outside.flat[0]} is out of bounds for dimension {dim} with "
                           f"size {shape[dim]}")
    return ops.Gather.apply(input, dim, index, keep_input)  # (index saved: read at backward)


_GATHER_INDEX = (np.dtype(np.int64), np.dtype(np.int32))


@_numpy_keywords
def scatter(input, dim, index, src=None, *, value=None, reduce=None):
    """input with src (a tensor, or a number) written at index along dim: out[index[i][j]][j]
    = src[i][j] for dim 0 (and so on): torch.scatter. Of repeated places, the last wins; with
    ``reduce`` ('add' or 'multiply', torch's deprecated form) each is added or multiplied in,
    and there is no derivative."""
    if (src is None) == (value is None) or isinstance(src, (list, tuple)) or isinstance(
            value, Tensor) and value.requires_grad:
        raise TypeError("scatter() received an invalid combination of arguments: it takes a "
                        "src tensor or a value (a number, which has no gradient)")
    return _scatter(input, dim, index, src if value is None else value, "scatter", reduce)


@_numpy_keywords
def scatter_add(input, dim, index, src):
    """input with src added at index along dim (repeated places add up): torch.scatter_add."""
    _tensor_argument("scatter_add", "src", src, 3)
    return _scatter(input, dim, index, src, "scatter_add")


def _scatter(input, dim, index, src, who, reduce=None):
    """scatter's and scatter_add's checks, in torch's order, and the op."""
    _tensor_argument(who, "index", index, 2)
    idx = index._data
    dim = _wrap_dim(dim, input.ndim)
    tensor = isinstance(src, Tensor)
    if idx.size and idx.dtype not in _GATHER_INDEX:  # (torch names scatter in both checks)
        raise RuntimeError("scatter(): Expected dtype int32/int64 for index")
    if tensor and src._data.dtype != input._data.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    if not idx.size:  # (torch checks nothing else of an empty index: the op writes nothing)
        value = src if tensor else _fill_value(src, input, who)
        return _guard(_scattered(input, value, (idx.astype(np.int64),) * max(input.ndim, 1),
                                 who, reduce), _read(index, src, who))
    ndim = max(idx.ndim, 1)  # (a 0-d tensor counts as 1-d here)
    if max(input._data.ndim, 1) != ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
    shape, index_shape = input._data.shape or (1,), idx.shape or (1,)
    wrong = any(d != dim and m > n for d, (n, m) in enumerate(zip(shape, index_shape)))
    if tensor and not wrong:  # (torch reads src's size at each of index's dims in turn, up to
        for d, m in enumerate(index_shape):  # the first too small, before it checks its dims)
            if m > _size_at(src._data.shape, d):
                wrong = True
                break
    if tensor and max(src._data.ndim, 1) != ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
    if wrong:
        raise RuntimeError(f"Expected index {list(idx.shape)} to be no larger than self "
                           f"{list(input.shape)} apart from dimension {dim}" + (
                               f" and to be no larger size than src {list(src.shape)}"
                               if tensor else ""))
    outside = idx[(idx < 0) | (idx >= shape[dim])]
    if outside.size:
        raise RuntimeError(f"index {outside.flat[0]} is out of bounds for dimension {dim} with "
                           f"size {shape[dim]}")
    value = src if tensor else _fill_value(src, input, who)
    return _guard(_scattered(input, value, _places(idx, dim), who, reduce), _read(index, src, who))


def _size_at(shape, d):
    """shape[d] (1 for a 0-d shape), or torch's IndexError for a dim the shape lacks."""
    return shape[_wrap_dim(d, len(shape))] if shape else 1


def _read(index, src, who):
    """What scatter's node reads at backward: the index, but scatter_add's only for the
    source's gradient, as torch's."""
    return (index,) if who != "scatter_add" or src.requires_grad else ()


def _scattered(input, value, places, who, reduce):
    """The op writing (adding: scatter_add) value at the places; with torch's deprecated
    ``reduce``, adding or multiplying it in, without a derivative."""
    if reduce is None:
        return ops.Scatter.apply(input, value, places, who == "scatter_add")
    if reduce not in ("add", "multiply"):
        raise RuntimeError("reduce argument must be either add or multiply.")
    if isinstance(value, Tensor) and not _warned_once.get("scatter"):  # (once, as torch's)
        _warned_once["scatter"] = True
        _warn("The reduce argument of torch.scatter with Tensor src is deprecated and "
              "will be removed in a future PyTorch release. Use torch.scatter_reduce "
              "instead for more reduction options.", UserWarning)
    return ops.ScatterReduce.apply(input, value, places, reduce)


_warned_once = {}  # (torch's warnings given once in a process)


def _triangle(t, diagonal, upper, who):
    if type(diagonal) is bool:  # (torch's parser takes no bool for an int)
        raise TypeError(f"{who}(): argument 'diagonal' (position 1) must be int, not bool")
    if t._data.ndim < 2:
        raise RuntimeError(f"{who}: input tensor must have at least 2 dimensions")
    return ops.Tril.apply(t, operator.index(diagonal), upper)


@_tensor_first
def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """beta input + alpha mat1 @ mat2, for matrices mat1 and mat2 (torch.addmm)."""
    if all(isinstance(t, Tensor) and t._data.dtype.kind in "iu" for t in (input, mat1, mat2)):
        beta, alpha = int(beta), int(alpha)  # (torch's integer kernel truncates them)
    return ops.Addmm.apply(input, mat1, mat2, beta, alpha)


@_numpy_keywords
def index_select(input, dim, index):
    """torch.index_select: input's slices at the indices ``index`` (1-d) along ``dim``."""
    _tensor_argument("index_select", "index", index, 2)
    idx = index._data
    dim = _wrap_dim(dim, input._data.ndim)
    if idx.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if input._data.ndim == 0 and idx.size != 1:
        raise RuntimeError(f"index_select(): Index to scalar can have only 1 value, got "
                           f"{idx.size} value(s)")
    if idx.dtype not in _GATHER_INDEX:
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    n = input._data.shape[dim] if input._data.ndim else 1
    if not n and idx.size and input._data.ndim == 1:  # (torch's 1-d kernel)
        raise IndexError("index out of range in self")
    if not n and idx.size:
        raise RuntimeError("index_select(): self indexing axis dim should be positive (the "
                           "dim is empty: no index can select from it)")
    outside = idx[(idx < 0) | (idx >= n)].reshape(-1)
    if outside.size and dim != 1 and input._data.size:  # (torch's kernel along dim 1, and
        raise IndexError("index out of range in self")  # its check of an empty one: others)
    if outside.size:
        raise RuntimeError(f"INDICES element is out of DATA bounds, id={outside[0]} "
                           f"axis_dim={n}")
    if input._data.ndim:
        out = ops.GetItem.apply(input, (slice(None),) * dim + (idx.reshape(-1).astype(np.int64),))
    else:  # (its one element, copied; the node keeps the index, as torch's)
        out = ops.Gather.apply(input, 0, Tensor._wrap(idx.reshape(()).astype(np.int64)), False)
    if not out._data.flags.c_contiguous:  # (torch's kernel writes C order, where indexing
        out._data = np.ascontiguousarray(out._data)  # lays a strided input's result out so)
    if out._grad_fn is not None:
        out._grad_fn.label = "IndexSelectBackward0"
    return _guard(out, (index,))


@_tensor_first
def cov(input, *, correction=1, fweights=None, aweights=None):
    """The covariance matrix of the variables in the rows of ``input`` (observations in its
    columns), as torch composes it: (x - mean) @ (x - mean)^T / (n - correction)."""
    if fweights is not None or aweights is not None:
        raise NotImplementedError("tinyad's cov has no fweights or aweights")
    if type(correction) is not int:
        raise TypeError(f"cov(): argument 'correction' must be int, not "
                        f"{_type_name(correction)}")
    if input._data.ndim > 2:
        raise RuntimeError(f"cov(): expected input to have two or fewer dimensions but got an "
                           f"input with {input._data.ndim} dimensions")
    x = input.view(1, -1) if input._data.ndim < 2 else input
    n = x.shape[1]
    norm = n - correction
    if norm <= 0:
        _warn("cov(): degrees of freedom is <= 0. Correction should be strictly less "
              "than the number of observations.", UserWarning)
        norm = 0
    with np.errstate(divide="ignore", invalid="ignore"):  # (no observation: NaN, as torch)
        centred = x - (x.sum(1) / n).unsqueeze(1)  # (integers summed exactly, then divided)
        return (centred @ centred.t() / norm).squeeze()


@_tensor_first
def corrcoef(input):
    """Pearson's correlation coefficients of the rows of ``input``: cov scaled by the
    standard deviations, clipped to [-1, 1], as torch composes it."""
    c = cov(input)
    with np.errstate(divide="ignore", invalid="ignore"):  # (a constant row: NaN, as torch)
        if c._data.ndim == 0:
            return c / c
        d = c.diagonal().sqrt()
        c = c / d.unsqueeze(1)
        c = c / d.unsqueeze(0)
    return c.clip_(-1, 1)


def bmm(input, mat2):
    """Matrix products of two batches of matrices, (b, n, m) @ (b, m, p)."""
    _tensor_arguments("bmm", input, mat2, ("input", "mat2"))
    for name, t in (("batch1", input), ("batch2", mat2)):
        if t._data.ndim != 3:
            raise RuntimeError(f"{name} must be a 3D tensor")
    return ops.MatMul.apply(input, mat2)


@_tensor_first
@_numpy_keywords
def _sort(input, dim=-1, descending=False, stable=False):
    """The values along ``dim`` in order, and where each came from."""
    return RESULTS["sort"](*_sorted(input, dim, descending, None,
                                    "SortBackward1" if stable else "SortBackward0",
                                    stable=stable))


sort = _stable_keyword(_sort, "sort")


@_numpy_keywords
def topk(input, k, dim=-1, largest=True, sorted=True):
    """The k largest (or smallest) values along ``dim`` and their indices."""
    if input._data.ndim and isinstance(dim, (int, np.integer)):  # (checked first)
        dim = _wrap_dim(dim, input._data.ndim)
    if not 0 <= k <= (input._data.shape[dim] if input._data.ndim else 1):
        raise RuntimeError(f"selected index k out of range (k = {k}: it must be at most the "
                           f"size of dim {dim})")
    if input._data.dtype.kind == "b":
        raise RuntimeError("topk does not support bool dtypes on CPU")
    return RESULTS["topk"](*_sorted(input, dim, largest, k, "TopkBackward0", sorted))


def _topk_order(a, dim, k, largest, ordered, order):
    """The positions torch's topk picks along ``dim`` of ``a``: the first ``k`` of ``order``
    (a stable sort) where the k + 1 first values of a slice are unequal and the result is
    ordered (the choice and its order are then the values'), else the ones libstdc++'s
    selection, which torch calls, leaves first (see _stl)."""
    first = order[(slice(None),) * dim + (slice(0, k),)]
    if not k or not a.size:  # (nothing to choose)
        return first
    rows, ranks, redo = _ties(a, dim, order, k + 1)
    redo = redo if ordered else range(len(rows))
    if not len(redo):
        return first
    picked = ranks[:, :k].copy()
    for r in redo:
        picked[r] = _stl.topk_order(rows[r].tolist(), k, largest, ordered)
    return np.moveaxis(picked.reshape(np.moveaxis(first, dim, -1).shape), -1, dim)


_STD_SORT_LIMIT = 16384  # (longer slices keep the stable order: _stl's steps are Python's)


def _unstable_order(a, dim, descending, order):
    """The positions torch's sort (not stable) orders ``a`` by along ``dim``: ``order`` (a
    stable sort) where a slice's values are unequal, else libstdc++'s ``std::sort``'s, which
    torch calls (see _stl), for slices of up to _STD_SORT_LIMIT elements."""
    if not a.size or a.shape[dim] > _STD_SORT_LIMIT:
        return order
    rows, ranks, redo = _ties(a, dim, order, a.shape[dim])
    if not len(redo):
        return order
    ranks = ranks.copy()
    for r in redo:
        ranks[r] = _stl.sort_order(rows[r].tolist(), descending)
    return np.moveaxis(ranks.reshape(np.moveaxis(order, dim, -1).shape), -1, dim)


def _ties(a, dim, order, n):
    """``a``'s slices along ``dim`` as rows, ``order``'s as rows of positions, and the rows
    whose first ``n`` values in that order have two equal ones (two NaNs are equal to torch's
    comparison too)."""
    rows = np.moveaxis(a, dim, -1).reshape(-1, a.shape[dim])
    ranks = np.moveaxis(order, dim, -1).reshape(rows.shape)
    top = np.take_along_axis(rows, ranks[:, :n], -1)
    tied = (top[:, 1:] == top[:, :-1]) | (top[:, 1:] != top[:, 1:]) & (top[:, :-1] !=
                                                                        top[:, :-1])
    return rows, ranks, np.flatnonzero(tied.any(axis=-1))


def _sorted(input, dim, descending, k, name, ordered=True, stable=True):
    """(values, indices) of sort (``stable`` or not), or of its first ``k`` along ``dim``
    (topk, in order when ``ordered``): the values gathered by the indices, one node named as
    torch's (it saves the indices, as torch's)."""
    a = input._data
    dim = _wrap_dim(dim, a.ndim)
    if not a.ndim:  # (a 0-d tensor is its own sort, at index 0; k = 0 keeps it too)
        order = np.zeros((), np.int64)
    elif descending:  # ascending on the reversed values, reversed: ties keep their order,
        # NaN comes first (torch takes it as the largest), no value is negated (uint8, bool)
        order = a.shape[dim] - 1 - np.flip(
            np.argsort(np.flip(a, dim), axis=dim, kind="stable"), dim)
    else:
        order = np.argsort(a, axis=dim, kind="stable")
    if k is not None and a.ndim:
        order = _topk_order(a, dim, k, descending, ordered, order)
    elif not stable and a.ndim:
        order = _unstable_order(a, dim, descending, order)
    indices = Tensor._wrap(np.array(order, np.int64, order="C"))  # (ties redone: C order)
    values = _gathered(input, dim, indices) if a.ndim else \
        _guard(ops.SortedScalar.apply(input, order), (indices,))  # (a gather: 1-d first)
    if values._grad_fn is not None:
        values._grad_fn.label = name
    if k is None and a.ndim > 1 and not a.flags.c_contiguous:  # (torch's sort lays its
        for t in (values, indices):  # results out as its input is, topk's in C order)
            laid = _layout.empty_like(a, t._data.dtype)
            laid[...] = t._data
            t._data = laid
    return values, indices


def _differentiable(out, value):
    """torch's refusal of an integer or bool result of an op whose value requires grad (a
    fill of an integer tensor with it): autograd cannot give such a tensor a history."""
    if _state.enabled and not _state.in_place and isinstance(value, Tensor) and \
            value.requires_grad and out._data.dtype.kind != "f":
        raise RuntimeError(f"Autograd not support dtype: {ops.TORCH_TYPE_NAMES[out.dtype.name]} "
                           f"(the result would be an integer or bool tensor that requires grad: "
                           f"fill a float tensor, or detach() the value)")
    return out


def _read_history(*tensors):
    """What torch's functions made of differentiable ops (isfinite, isclose, unique) do in grad
    mode: read the history of the views among their inputs, and so refuse a view made under
    no_grad whose base changed in place since (see _sync_view)."""
    if _state.enabled:
        for t in tensors:
            if isinstance(t, Tensor) and t._base is not None:
                _sync_view(t)


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    close = _close("isclose", input, other, rtol, atol, equal_nan)
    _read_history(input, other)  # (torch's isclose is made of differentiable ops; allclose not)
    out = Tensor._wrap(close)
    floats = np.result_type(_unwrap(input), _unwrap(other)).kind == "f"
    out._counter.value = 2 if equal_nan and floats else 1  # (its in-place ops, as torch's)
    return out


def _close(who, input, other, rtol, atol, equal_nan):
    """isclose's and allclose's elementwise test, of two tensors of one dtype, as torch's."""
    _two_tensors(who, input, other)
    a, b = input._data, other._data
    if a.dtype != b.dtype:
        raise RuntimeError(f"{ops.TORCH_TYPE_NAMES[a.dtype.name]} did not match "
                           f"{ops.TORCH_TYPE_NAMES[b.dtype.name]}")
    _broadcast_shape(a.shape, b.shape)
    return np.asarray(np.isclose(a, b, rtol, atol, equal_nan))


def svd(input, some=True, compute_uv=True):
    """U, S, V with input = U diag(S) V^T (torch.svd: V, not V^T; reduced unless some=False)."""
    u, s, vh = _svd(input, not some)
    return SVDResult(u, s, vh.mT)


def _svd(a, full_matrices):
    a = _matrices(a, "linalg.svd")
    packed = ops.SVD.apply(a, full_matrices)
    m, n = a.shape[-2:]
    k = min(m, n)
    batch = a.shape[:-2]
    return _unpack(packed, [batch + ((m, m) if full_matrices else (m, k)), batch + (k,),
                            batch + ((n, n) if full_matrices else (k, n))])


def _qr(a, mode="reduced"):
    a = _matrices(a, "linalg.qr")
    if mode not in ("reduced", "r", "complete"):
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of "
                           f"'reduced' (default), 'r', or 'complete'")
    batch, (m, n) = a.shape[:-2], a.shape[-2:]
    k = m if mode == "complete" else min(m, n)
    packed = ops.QR.apply(a, mode)
    if mode == "r":  # (no Q: an empty one, of the op, as torch's)
        return _unpack(packed, [(0,), batch + (k, n)])
    return _unpack(packed, [batch + (m, k), batch + (k, n)])


def _unpack(packed, shapes):
    """The outputs of a linear-algebra op that packs several into one array, as views."""
    parts, start = [], 0
    for shape in shapes:
        size = math.prod(shape)
        parts.append(packed[start:start + size].reshape(shape))
        start += size
    return tuple(parts)


# ----------------------------------------------------------------------------- factories


def _as_array(data, dtype=None):
    """An array from Python data as torch.tensor does: Python floats get the default dtype."""
    if isinstance(data, Tensor):
        data = data._data
    elif isinstance(data, np.ndarray):
        _numeric(data)  # (torch's checks of a numpy array)
    elif isinstance(data, (list, tuple)) and any(issubclass(t, Tensor) for t in _types_in(data)):
        data = _scalars_of(data)
    dtype = _TYPES.get(dtype, dtype) if isinstance(dtype, str) else dtype
    if data is None or isinstance(data, (list, tuple)) and type(None) in _types_in(data):
        raise RuntimeError("Could not infer dtype of NoneType")  # (numpy would make it NaN)
    if dtype is None and isinstance(data, (list, tuple)) and any(
            issubclass(t, np.generic) for t in _types_in(data)):
        dtype = _inferred_dtype(_types_in(data))
    if dtype is not None and np.dtype(dtype).kind in "biu" and not isinstance(
            data, np.ndarray):
        _check_integer_scalars(data, np.dtype(dtype))
    if dtype is not None and np.dtype(dtype).kind in "iu" and isinstance(
            data, (float, list, tuple)) and float in _types_in(data):  # (-0.5 into uint8:
        _each_number(data, lambda n: _checked(n, np.dtype(dtype)) if type(n) is float else n)
        # torch's overflow error, where numpy truncates it to 0 first)
    with quiet_numpy():  # (1e308 into float32 is inf, as in torch: no warning)
        try:
            array = np.array(data, dtype=dtype)
        except (OverflowError, ValueError):  # (a number its dtype cannot hold: torch wraps a
            if dtype is None or isinstance(data, (np.ndarray, np.generic)):  # negative int
                raise  # into an unsigned dtype, refuses the others, with its own errors)
            array = np.array(_each_number(data, lambda n: _checked(_int64(n), np.dtype(dtype))),
                             dtype=dtype)
        if not isinstance(data, (np.ndarray, np.generic)):
            if array.dtype.kind == "O" and float in _types_in(data):  # (a float, an int > 2**64)
                array = np.array(data, dtype=float64)
            if array.dtype == np.uint64 or array.dtype.kind == "O" and int in _types_in(data):
                raise ValueError(_INT64_OVERFLOW)
            types = _types_in(data)
            if array.dtype.kind == "f" and int in types and not any(
                    issubclass(t, (float, np.floating)) for t in types):  # ([1, 2**63]:
                _each_number(data, _int64)  # numpy's float64, torch's overflow)
            if dtype is None and array.dtype == float64 and np.float64 not in _types_in(data):
                array = array.astype(_default[0])  # (Python floats: the default dtype)
    if array.dtype.kind not in "fiub":
        raise TypeError(f"tinyad tensors hold numbers or booleans, not {array.dtype} data")
    return array


def _inferred_dtype(types):
    """torch.tensor's dtype for numbers of these types, numpy ones among them: each one's own
    (a Python float's the default), promoted in turn by torch's rules (float16 and int: float16;
    numpy's would be float64)."""
    def own(t):
        if issubclass(t, np.generic):
            return np.dtype(t)
        return np.dtype({bool: np.bool_, int: np.int64}.get(t, _default[0]))
    return functools.reduce(lambda a, b: np.dtype(promote_types(a, b)), map(own, types))


def _check_integer_scalars(data, dtype):
    """torch reads each number of data for an integer or bool dtype as an integer: a numpy
    float that is not a Python float (float32, float16), or into an integer dtype a numpy
    bool, is a TypeError (a Python float, a numpy float64 and an int are converted)."""
    for t in _types_in(data):
        if issubclass(t, np.generic) and not issubclass(t, (float, int)) and (
                issubclass(t, np.floating) or issubclass(t, np.bool_) and dtype.kind != "b"):
            raise TypeError(f"'numpy.{t.__name__}' object cannot be interpreted as an integer "
                            f"(convert it with float() or int() first)")


_INT64_OVERFLOW = ("Overflow when unpacking long long (torch's integers are int64: a number "
                   "from -2**63 to 2**63 - 1)")


def _int64(number):
    """A number as torch reads it into a tensor: an int must fit 64 signed bits."""
    if type(number) is int and not -2**63 <= number < 2**63:
        raise ValueError(_INT64_OVERFLOW)
    return number


def _each_number(data, f):
    """Nested lists of numbers with ``f`` applied to each number."""
    if isinstance(data, (list, tuple)):
        return [_each_number(x, f) for x in data]
    return f(data)


def _scalars_of(data):
    """Nested lists with each tensor in them as the number it holds, of its dtype: torch.tensor
    takes a one-element tensor inside a list for a scalar (and refuses a longer one)."""
    if isinstance(data, (list, tuple)):
        return [_scalars_of(x) for x in data]
    if not isinstance(data, Tensor):
        return data
    data._scalar()  # (a check: one element)
    if data._requires_grad:
        _warn_converting_grad()
    value = data._data.reshape(-1)[0]
    return bool(value) if value.dtype == _BOOL else value  # (a bool tensor's goes into an
    # integer dtype, as torch's; a numpy bool does not: _check_integer_scalars)


def _warn_converting_grad():
    _warn("Converting a tensor with requires_grad=True to a scalar may lead to "
          "unexpected behavior.\nConsider using tensor.detach() first.")


def _types_in(data):
    """The types of the numbers in nested Python lists (a numpy float64 among them makes
    torch.tensor infer float64)."""
    if not isinstance(data, (list, tuple)):
        return {type(data)}
    if data and isinstance(data[0], (list, tuple)):
        return set().union(*map(_types_in, data))
    return set(map(type, data))


def add(input, other, *deprecated, alpha=1):
    if deprecated:  # (torch.add(input, alpha, other), old torch's)
        other, alpha = _alpha_first("add", other, deprecated, alpha)
    """torch.add: input + alpha * other, where input may be a number (a 0-d tensor then)."""
    return _number_first("add", input, other).add(other, alpha=alpha)


def sub(input, other, *deprecated, alpha=1):
    if deprecated:  # (torch.sub(input, alpha, other), old torch's)
        other, alpha = _alpha_first("sub", other, deprecated, alpha)
    """torch.sub: input - alpha * other, where input may be a number (a 0-d tensor then)."""
    return _number_first("sub", input, other).sub(other, alpha=alpha)


def _alpha_first(who, alpha, rest, given, keyword="alpha"):
    """The deprecated overloads that old torch code still calls, the scale first: add_(alpha,
    other), addcmul_(value, tensor1, tensor2). Returns (the next argument, the scale)."""
    if len(rest) != 1 or not (type(given) is int and given == 1):
        raise TypeError(f"{who}() received an invalid combination of arguments: the scale goes "
                        f"first ({who}({keyword}, ...), deprecated) or by keyword, once")
    if isinstance(alpha, Tensor) and not alpha._data.ndim:  # (a 0-d tensor is a number)
        alpha = alpha.item()
    if isinstance(alpha, Tensor) or not isinstance(alpha, (numbers.Number, np.generic)):
        raise TypeError(f"{who}() received an invalid combination of arguments - got "
                        f"({type(alpha).__name__}, {type(rest[0]).__name__}): its first "
                        f"argument is a tensor, its second one too many")
    if who not in _DEPRECATION_WARNED:  # (once per overload, as torch's)
        _DEPRECATION_WARNED.add(who)
        _warn(f"This overload of {who} is deprecated: {who}(Number {keyword}, ...). "
              f"Use {who}(..., *, {keyword}=Number) instead, as torch says.",
              UserWarning)
    return rest[0], alpha


_DEPRECATION_WARNED = set()


def _number_first(who, input, other, integer=True):
    """The first operand of torch.add, sub or div: a number becomes a 0-d tensor, weak, as
    torch reads a Python number (a numpy one as _number reads it): in the other tensor's dtype
    where its kind is not above the tensor's (an int wraps around into an integer dtype; a
    float is not rounded to float32 beside a float64 tensor), else in torch's dtype for it;
    an int as an int64 for a division that is not ``integer``."""
    if isinstance(_number_argument(input, f"{who}()", "input"), Tensor):
        return input
    number = _number(input) if isinstance(input, np.generic) else input
    kind = {int: "i", float: "f"}.get(type(number))  # (a bool stays one: sub refuses it)
    if not isinstance(other, Tensor) or kind is None or \
            _KIND[kind] > _KIND[other._data.dtype.kind] or kind == "i" and not integer:
        return tensor(number)
    dtype = other._data.dtype  # (of its kind or a lower one: the tensor's, an int wrapping)
    return tensor(_wrapped(number, dtype) if kind == "i" and dtype.kind in "iu" else number,
                  dtype=dtype)


def _logical(ufunc, who, t, other):
    """A logical op of two tensors (any dtypes: nonzero is true): a bool tensor."""
    _two_tensors(who, t, other)
    _broadcast_shape(t._data.shape, other._data.shape)
    return Tensor._wrap(np.asarray(ufunc(t._data, other._data)))


@_tensor_first
def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The distinct values, sorted (torch sorts whatever ``sorted`` says, on the CPU), or the
    distinct slices along ``dim``; with the index of each element's value and each value's
    count on request."""
    _read_history(input)
    if dim is not None:
        dim = _wrap_dim(dim, input._data.ndim)
        shape = input._data.shape
        if not math.prod(shape):  # (torch's checks of an empty tensor's slices)
            if shape.count(0) > 1:
                raise RuntimeError("Number of zero sized dimensions is more than one, so unique "
                                   "cannot be applied ")
            if shape[dim]:
                raise RuntimeError("There are 0 sized dimensions, and they aren't selected, so "
                                   "unique cannot be applied")
    values, inverse, counts = _unique_elements(input._data) if dim is None else \
        _unique_slices(input._data, dim)
    name = "_unique2" if dim is None else "unique_dim"  # (torch has no derivative for it)
    results = [ops.NoDerivative.apply(input, values, "Unique2Backward0" if dim is None else
                                      "UniqueDimBackward0", (NotImplementedError,
                                      f"the derivative for '{name}' is not implemented."))]
    if return_inverse:
        results.append(Tensor._wrap(inverse.reshape(input._data.shape if dim is None
                                                    else -1).astype(np.int64)))
    if return_counts:
        results.append(Tensor._wrap(counts.astype(np.int64)))
    return results[0] if len(results) == 1 else tuple(results)


def _order_matters(a):
    """Whether the order a sort leaves a's equal values in shows in unique's results: a
    float a with NaNs, or with 0.0 and -0.0."""
    if a.dtype.kind != "f":
        return False
    zeros = np.signbit(a[a == 0])
    return bool(np.isnan(a).any() or zeros.any() and not zeros.all())


def _unique_elements(a):
    """np.unique of all of a's elements with return_inverse and return_counts, as torch's:
    each NaN its own, and where it matters (NaNs, or 0.0 beside -0.0) from torch's sort (not
    stable), whose first of equal values stands for them and puts the NaNs in its order."""
    flat = a.reshape(-1)
    if not _order_matters(flat):
        return np.unique(flat, return_inverse=True, return_counts=True, equal_nan=False)
    order = _unstable_order(flat, 0, False, np.argsort(flat, kind="stable"))
    ordered = flat[order]
    starts = np.ones(flat.size, bool)
    starts[1:] = ordered[1:] != ordered[:-1]  # (NaN != NaN: each its own)
    inverse = np.empty(flat.size, np.int64)
    inverse[order] = np.cumsum(starts) - 1
    return ordered[starts], inverse, np.diff(np.append(np.flatnonzero(starts), flat.size))


def _unique_slices(a, dim):
    """np.unique of a's slices along ``dim`` with return_inverse and return_counts, as
    torch's: where it matters (NaNs, or 0.0 beside -0.0), ordered by std::sort with torch's
    comparison of slices (the first unequal element, which a NaN never is), and each slice in
    that order joining the group before it if equal to its first (a slice with a NaN never is):
    equal slices the sort leaves apart stay apart, as in torch."""
    if not _order_matters(a):
        return np.unique(a, return_inverse=True, return_counts=True, axis=dim, equal_nan=False)
    slices = np.moveaxis(a, dim, 0)
    rows = slices.reshape(len(slices), -1).tolist()

    def comp(x, y):
        for left, right in zip(rows[x], rows[y]):
            if left != right and not (left != left or right != right):
                return left < right
        return False
    order = _stl.sorted_positions(len(rows), comp)
    firsts, inverse = [order[0]], np.zeros(len(rows), np.int64)
    for position in order[1:]:
        if any(left != right for left, right in zip(rows[position], rows[firsts[-1]])):
            firsts.append(position)
        inverse[position] = len(firsts) - 1
    counts = np.bincount(inverse, minlength=len(firsts))
    return np.moveaxis(slices[firsts], 0, dim), inverse, counts


@_tensor_first
def bincount(input, weights=None, minlength=0):
    """How often each value 0, 1, ... occurs in a 1-d tensor of non-negative integers (the sum
    of their ``weights``, if given)."""
    data = input._data
    if data.dtype.kind not in "iu":
        raise NotImplementedError(f'"bincount_cpu" not implemented for '
                                  f"'{ops.TORCH_TYPE_NAMES[data.dtype.name]}'")
    if data.ndim != 1 or data.size and data.min() < 0:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    if weights is None or not data.size:  # (no input: integer counts, weights or not)
        return Tensor._wrap(np.bincount(data, minlength=minlength).astype(np.int64))
    w = weights._data
    if w.shape != data.shape:
        raise RuntimeError("weights should be 1-d and have the same length as input")
    counts = np.bincount(data, weights=w, minlength=minlength)  # (in float64)
    return ops.NoDerivative.apply(weights, counts.astype(np.float32) if w.dtype == float32
                                  else counts, "NotImplemented",
                                  (RuntimeError, "derivative for aten::bincount is not "
                                                 "implemented"))


def meshgrid(*tensors, indexing=None):
    """Coordinate grids of 1-d tensors: grid i repeats tensor i along every other dim (views,
    as torch's expands); 'ij' indexing by default (with torch's warning), 'xy' swaps the first
    two dims."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    if any(t._data.ndim > 1 for t in tensors):
        raise RuntimeError("torch.meshgrid: Expected 0D or 1D tensor in the tensor list")
    if len({t._data.dtype for t in tensors}) > 1:
        raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    if indexing is None:
        _warn("torch.meshgrid: in an upcoming release, it will be required to pass the "
              "indexing argument.", UserWarning)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but "
                           f"received: {indexing}")
    order = list(range(len(tensors)))
    if indexing == "xy" and len(tensors) >= 2:
        order[0], order[1] = 1, 0
    sizes = [tensors[i].numel() for i in order]
    grids = []
    for i, t in enumerate(tensors):
        shape = [1] * len(tensors)
        shape[order.index(i)] = -1
        grids.append(t.reshape(shape).expand(sizes))
    return tuple(grids)


def _tensor_list(tensors, who):
    """The tensors of a sequence to join, or torch's TypeError for a tensor given instead or an
    element that is not one."""
    if isinstance(tensors, Tensor):
        raise TypeError(f"{who}(): argument 'tensors' (position 1) must be tuple of Tensors, "
                        f"not Tensor")
    tensors = list(tensors)
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{_type_name(t)}")
    return tensors


def _stacked_list(tensors, who):
    """hstack's or vstack's tensors, not none."""
    tensors = _tensor_list(tensors, who)
    if not tensors:
        raise RuntimeError(f"{who} expects a non-empty TensorList")
    return tensors


def hstack(tensors):
    """Tensors joined along their second dim (their first, for 1-d ones)."""
    tensors = [t if t.ndim else t.reshape(1) for t in _stacked_list(tensors, "hstack")]
    return cat(tensors, dim=0 if tensors and tensors[0].ndim == 1 else 1)


def vstack(tensors):
    """Tensors joined along their first dim, 0-d and 1-d ones taken as rows."""
    return cat([t.reshape(1, -1) if t.ndim < 2 else t for t in _stacked_list(tensors, "vstack")],
               dim=0)


def remainder(input, other):
    """torch.remainder: input % other, where input may be a number."""
    if isinstance(input, Tensor):
        return input.remainder(other)
    _number_argument(input, "remainder()", "input")
    return _tensor_argument("remainder", "other", other, 2).__rmod__(input)


def floor_divide(input, other):
    """torch.floor_divide: input // other, where input may be a number."""
    if isinstance(input, Tensor):
        return input.floor_divide(other)
    _number_argument(input, "floor_divide()", "input")
    return _tensor_argument("floor_divide", "other", other, 2).__rfloordiv__(input)


def div(input, other, *, rounding_mode=None):
    """torch.div: input / other (rounded with ``rounding_mode``), where input may be a number."""
    return _number_first("div", input, other, rounding_mode is not None).div(
        other, rounding_mode=rounding_mode)


def fmod(input, other):
    return _tensor_argument("fmod", "input", input, 1).fmod(other)


def flip(input, dims):
    """torch.flip: as ``input.flip(dims)``, with the dims as one sequence (the method also takes
    them one by one)."""
    if not isinstance(dims, (tuple, list)):
        raise TypeError(f"flip(): argument 'dims' (position 2) must be tuple of ints, not "
                        f"{_type_name(dims)}")
    return input.flip(dims)


def tensor(data, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new leaf tensor holding a copy of ``data`` (Python floats get the default dtype)."""
    _check_device(device)
    if isinstance(data, Tensor):
        _warn("To copy construct from a tensor, it is recommended to use "
              "sourceTensor.detach().clone() or sourceTensor.detach().clone()"
              ".requires_grad_(True), rather than torch.tensor(sourceTensor).",
              UserWarning)
    t = Tensor._of(data, dtype=dtype, requires_grad=requires_grad)
    _check_pin_memory(pin_memory)
    return t


def _check_pin_memory(pin_memory):
    """torch's refusal of pinned memory where there is no accelerator (here, always)."""
    if pin_memory:
        raise RuntimeError("pin_memory=True requires a CUDA or other accelerator backend; no "
                           "pinned memory allocator is available on this system.")


def as_tensor(data, dtype=None, device=None):
    _check_device(device)
    if isinstance(data, Tensor):  # (itself, or converted as .to does, with its history)
        return data if dtype is None else data.to(dtype)
    if isinstance(data, np.ndarray) and (dtype is None or np.dtype(dtype) == data.dtype):
        return Tensor._wrap(_numeric(data))
    return Tensor._of(data, dtype=dtype)


def from_numpy(array):
    """A tensor sharing memory with a numpy array, keeping its dtype."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {_type_name(array)})")
    return Tensor._wrap(_numeric(array))


def _numeric(array):
    """A numpy array of a dtype torch has (strings, dates, objects and long doubles it has
    not: its TypeError) and of no negative stride (torch's ValueError)."""
    if any(n < 0 for n in array.strides):
        raise ValueError("At least one stride in the given numpy array is negative, and tensors "
                         "with negative strides are not currently supported. (You can probably "
                         "work around this by making a copy of your array  with array.copy().)")
    if array.dtype.kind not in "biufc" or array.dtype.itemsize > 8 and array.dtype.kind == "f":
        raise TypeError(f"can't convert np.ndarray of type numpy.{array.dtype.type.__name__}. "
                        f"The only supported types are: float64, float32, float16, complex64, "
                        f"complex128, int64, int32, int16, int8, uint64, uint32, uint16, uint8, "
                        f"and bool.")
    return array


def _factory(array, requires_grad, where=None, pin_memory=False):
    _check_device(where)
    _check_pin_memory(pin_memory)
    t = Tensor._wrap(array)
    if requires_grad:
        t.requires_grad = True
    return t


def _float_dtype(dtype):
    return np.dtype(dtype) if dtype is not None else _default[0]


def _sized(size, kwargs, who):
    """A factory's shape, given as sizes or as size=; other keywords (out=) are refused."""
    unknown = next((k for k in kwargs if k != "size"), None)
    if unknown is not None:  # (as a signature refuses it: nothing is silently ignored)
        raise TypeError(f"{who}() got an unexpected keyword argument '{unknown}'")
    if "size" in kwargs:
        return _created_shape((kwargs.pop("size"),), who)
    if not size:  # (torch: a shape is required; zeros(()) is 0-d)
        raise _missing_argument(who, "size")
    return _created_shape(size, who)


def zeros(*size, dtype=None, device=None, requires_grad=False, pin_memory=False, **kwargs):
    array = np.zeros(_sized(size, kwargs, "zeros"), dtype=_float_dtype(dtype))
    return _factory(array, requires_grad, device, pin_memory)


def ones(*size, dtype=None, device=None, requires_grad=False, pin_memory=False, **kwargs):
    array = np.ones(_sized(size, kwargs, "ones"), dtype=_float_dtype(dtype))
    return _factory(array, requires_grad, device, pin_memory)


empty = zeros


def full(size, fill_value, dtype=None, device=None, requires_grad=False, pin_memory=False):
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"full(): argument 'size' (position 1) must be tuple of ints, not "
                        f"{_type_name(size)}")
    if isinstance(fill_value, Tensor):  # (read as the number it holds, as torch's Scalar)
        if fill_value._data.ndim:
            raise TypeError("full(): argument 'fill_value' (position 2) must be Number, not "
                            "Tensor (a 0-d tensor or a number)")
        fill_value = fill_value._data.item()
    elif isinstance(fill_value, np.generic):
        fill_value = _number(fill_value)
    _number_argument(fill_value, "full()", "fill_value")
    if dtype is None:
        dtype = (bool_ if isinstance(fill_value, bool) else int64
                 if isinstance(fill_value, int) else _default[0])
    if type(fill_value) in (int, float):
        fill_value = _checked(fill_value, np.dtype(dtype))
        if np.dtype(dtype) == bool_:
            fill_value = bool(fill_value)  # (any int: numpy would refuse one beyond 64 bits)
    return _factory(np.full(_created_shape((size,), "full"), fill_value, dtype=dtype),
                    requires_grad, device, pin_memory)


def _filled_like(t, value, dtype):
    """An array of t's shape holding ``value``, laid out in memory as t is (torch's *_like
    keep a transposed tensor's layout: ``view`` and ``is_contiguous`` can tell)."""
    out = _layout.empty_like(t._data, dtype)  # (None: t's)
    out[...] = value
    return out


def zeros_like(t, dtype=None, device=None, requires_grad=False, pin_memory=False):
    return _factory(_filled_like(t, 0, dtype), requires_grad, device, pin_memory)


def ones_like(t, dtype=None, device=None, requires_grad=False, pin_memory=False):
    return _factory(_filled_like(t, 1, dtype), requires_grad, device, pin_memory)


empty_like = zeros_like


def full_like(t, fill_value, dtype=None, device=None, requires_grad=False, pin_memory=False):
    if type(fill_value) in (int, float):  # (one the dtype cannot hold is refused, as full's)
        fill_value = _checked(fill_value, np.dtype(dtype or t.dtype))
    return _factory(_filled_like(t, fill_value, dtype), requires_grad, device, pin_memory)


def eye(n, m=None, dtype=None, device=None, requires_grad=False, pin_memory=False):
    for name, size in (("n", n), ("m", m)):
        if size is not None and size < 0:
            raise RuntimeError(f"{name} must be greater or equal to 0, got {size}")
    return _factory(np.eye(n, m, dtype=_float_dtype(dtype)), requires_grad, device, pin_memory)


def arange(start, end=None, step=1, *args, dtype=None, device=None,
           requires_grad=False, pin_memory=False):
    """Values from start (0) up to end, exclusive, spaced by step (as torch.arange)."""
    if args:
        raise TypeError("arange() takes at most 3 positional arguments (start, end, step)")
    if end is None:
        if step != 1:
            raise TypeError("arange() received an invalid combination of arguments: a step "
                            "needs both start and end, e.g. arange(0, 10, 3)")
        start, end = 0, start
    values = [_unwrap(v) for v in (start, end, step)]
    floating = any(isinstance(v, float) or np.asarray(v).dtype.kind == "f" for v in values)
    dtype = np.dtype(dtype or (_default[0] if floating else int64))
    if dtype.kind == "b":
        raise NotImplementedError("\"arange_cpu\" not implemented for 'Bool'")
    if values[2] == 0 or values[2] != values[2]:  # (a NaN step too, as torch)
        raise RuntimeError("step must be nonzero")
    if not all(math.isfinite(v) for v in values[:2]):
        raise RuntimeError(f"unsupported range: {values[0]} -> {values[1]}")
    if (values[1] - values[0]) * values[2] < 0:
        raise RuntimeError(f"upper bound and lower bound inconsistent with step sign (arange("
                           f"{start}, {end}, {step}) counts away from its end)")
    count = math.ceil((float(values[1]) - float(values[0])) / float(values[2]))
    if count > np.iinfo(np.int64).max:
        raise RuntimeError("invalid size, possible overflow?")
    if dtype.kind in "iu":  # torch computes in int64, each bound and the step truncated
        first, last, by = (int(v) for v in values)  # (arange(3, 10, 2.5, dtype=uint8): 3 5 7)
        if dtype == np.int64:  # (and counts in it too)
            if by == 0:
                raise ValueError("step must be nonzero (a step that truncates to 0 in int64)")
            count = (last - first + by - (1 if by > 0 else -1)) // by
        array = first + np.arange(max(0, count), dtype=np.int64) * by
    else:
        array = _arange_floats(values[0], values[2], max(0, count), dtype)
    return _factory(array.astype(dtype), requires_grad, device, pin_memory)


def _arange_floats(start, step, count, dtype):
    """torch's arange of a float dtype, to the last bit (torch 2.13's vectorised kernel, as
    measured on this machine): in the accumulation type (double; float for float16), blocks
    of 4 doubles, 8 floats or 16 halves, two at a time, each from base = start + step * (its
    first index) rounded to the dtype, then base + j * step; the elements after the last pair
    of blocks start + step * i; each product and sum one fused multiply-add."""
    acc = np.dtype(np.float32 if dtype == np.float16 else np.float64)
    width = {8: 4, 4: 8, 2: 16}[dtype.itemsize]
    start, step = acc.type(start), acc.type(step)
    i = np.arange(count)
    lane = i % width
    base = _math.fma((i - lane).astype(acc), step, start).astype(dtype).astype(acc)
    paired = count // (2 * width) * (2 * width)
    return np.where(i < paired, _math.fma(lane.astype(acc), step, base),
                    _math.fma(i.astype(acc), step, start))


def linspace(start, end, steps, dtype=None, device=None, requires_grad=False, pin_memory=False):
    if isinstance(steps, Tensor) and steps._data.ndim == 0 and steps._data.dtype.kind in "iu":
        steps = int(steps)  # (a 0-d integer tensor, as torch's int argument)
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)):
        raise TypeError(f"linspace(): argument 'steps' (position 3) must be int, not "
                        f"{_type_name(steps)}")
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    dtype = np.dtype(_float_dtype(dtype))
    # (torch refuses ends its dtype cannot hold, as fill_ does, those it uses: -1 is 255 in
    # uint8; the end only with two steps or more)
    start = _checked(start, dtype) if steps else start
    end = _checked(end, dtype) if steps > 1 else end
    if dtype.kind == "b" and steps > 1:
        raise NotImplementedError("\"linspace_cpu\" not implemented for 'Bool'")
    return _factory(_linspace(start, end, steps, dtype), requires_grad, device, pin_memory)


def _linspace(start, end, steps, dtype):
    """torch's linspace: the first half start + i step, the second end - (steps - 1 - i) step,
    each with a fused multiply-add (float16: each op rounded), step = (end - start) / (steps -
    1), all in the dtype (for integers: in float64, then truncated)."""
    if steps <= 1:
        return np.full(steps, start if steps else 0, dtype)
    start, end = dtype.type(start), dtype.type(end)
    opmath = dtype if dtype.kind == "f" else np.dtype(np.float64)
    start, end = opmath.type(start), opmath.type(end)
    step = (end - start) / opmath.type(steps - 1)
    i = np.arange(steps)
    up, down = i[:steps // 2].astype(opmath), (steps - 1 - i[steps // 2:]).astype(opmath)
    if dtype == np.float16:
        return np.concatenate([start + step * up, end - step * down])
    return np.concatenate([_math.fma(step, up, start), _math.fma(-step, down, end)]).astype(dtype)


# torch's legacy tensor types: FloatTensor([1, 2]) or FloatTensor(2, 3) (zeros)
_TYPES = {"torch.FloatTensor": float32, "torch.DoubleTensor": float64,
          "torch.LongTensor": int64, "torch.IntTensor": int32, "torch.BoolTensor": bool_,
          "torch.HalfTensor": float16, "torch.ByteTensor": uint8, "torch.CharTensor": int8,
          "torch.ShortTensor": int16,
          "float": float32, "double": float64, "long": int64}
_TYPE_NAMES = {v: k for k, v in _TYPES.items() if k.startswith("torch.")}


class _LegacyType(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj.dtype == cls.dtype

    def __call__(cls, *args):
        if len(args) == 1 and not isinstance(args[0], int):
            return Tensor._of(args[0], dtype=cls.dtype)
        return zeros(*args, dtype=cls.dtype)


def _legacy(name, dtype):
    return _LegacyType(name, (), {"dtype": dtype})


FloatTensor, DoubleTensor, LongTensor, IntTensor, BoolTensor = (
    _legacy(n.split(".")[1], _TYPES[n]) for n in (
        "torch.FloatTensor", "torch.DoubleTensor", "torch.LongTensor", "torch.IntTensor",
        "torch.BoolTensor"))


def set_default_tensor_type(t):
    """``set_default_tensor_type(torch.DoubleTensor)`` (or its name): the default dtype."""
    set_default_dtype(_TYPES[t] if isinstance(t, str) else t.dtype)


# torch's functions on tensors, as the methods (_autograd_first); not those that make tensors
# or read only their dtypes and shapes, nor the composite ones (diag, outer, svd)
for _name in ("add", "addmm", "atan2", "arctan2", "bmm", "broadcast_tensors", "cat", "concat",
              "concatenate", "copysign", "corrcoef", "cov", "det", "div", "dot", "einsum",
              "flip", "floor_divide", "fmod", "gather", "hstack", "hypot", "index_select",
              "inverse", "lerp", "logaddexp", "matmul", "maximum", "meshgrid", "minimum", "mm",
              "mv", "nan_to_num", "norm", "remainder", "scatter", "scatter_add", "sort", "stack",
              "sub", "topk", "trace", "unique", "vstack", "where", "xlogy"):
    globals()[_name] = _autograd_first(globals()[_name])
