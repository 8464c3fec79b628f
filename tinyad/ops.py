"""Every differentiable op: forward and backward side by side, on numpy arrays.

Each docstring gives the op's math, ``forward ; gradient``, where ``g`` is the gradient flowing
in from the output. Gradients may keep the output's broadcast shape: the engine sums them back
to each input's shape (``autograd.sum_to``), so the formulas here are the textbook ones.

Backward formulas use only what was saved (inputs, the output, bool masks) and numpy
functions, so that they read like a formula sheet, and so that they also run on Tensors (numpy
hands Tensors to tinyad's own ops): that is how ``create_graph=True`` differentiates them again.
The ops a formula then records decide which later in-place changes are refused (by what each
saves) and what runs first when its result is differentiated (by the order they are made in),
so the formulas follow torch's: the same grouping (``g * (b * a**(b-1))``), the second input's
gradient first where torch computes it first (mul, div, pow), and one op of its own where
torch's formula is one op (``MseLossBackward``, ``LogSoftmaxBackward``, ``ThresholdBackward``
and the other activations', ``BinaryCrossEntropyBackward``).
"""

import math
import operator

import numpy as np

from . import _layout, _stl
from ._math import (
    arccos,
    arccosh,
    arcsin,
    arcsinh,
    arctan,
    arctan2,
    arctanh,
    cos,
    cosh,
    exp,
    exp2,
    expm1,
    fma,
    fms32,
    log,
    log1p,
    log2,
    log10,
    power,
    sin,
    sinh,
    tan,
    tanh,
    torch_nan,
)
from ._quiet import quiet_numpy
from ._sum import add_reduce, in_order, to_float32
from .autograd import Function, _on_memory_of, _repeats, _restrided, reduce_along, zero_grad

# ----------------------------------------------------------------------------- arithmetic


_F16 = np.dtype(np.float16)


def by_number(op, a, n):
    """op(a, n) for an array (or tensor) ``a`` and a number ``n``, op a product or a division:
    as torch's kernels compute a float16 tensor with a Python number, in float32 with n in
    float32, rounded once (numpy would round n to float16 first: 0.1 to 0.0999755859375).
    An array ``n`` of one element is such a number too, in its own dtype (a 0-d float32
    tensor beside a float16 one: torch's kernel reads its original value)."""
    if getattr(a, "dtype", None) is _F16:  # (an array's)
        if type(n) in (int, float):
            n = np.float32(n)
        elif type(n) is np.ndarray and n.size == 1 and (
                n.dtype.kind != "f" or n.dtype == _F16 or a.ndim and not n.ndim):  # (where the
            n = n.astype(np.float32)  # result is float16: not a wider float's, 0-d beside 0-d)
        else:
            return op(a, n)
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            return np.asarray(op(_widened(a), n)).astype(np.float16)
    return op(a, n)


def _times(a, b):
    """a * b (a float16 array times a number as torch's: by_number)."""
    return by_number(operator.mul, a, b)


def _over(a, b):
    """a / b (a float16 array over a number as torch's: by_number)."""
    return by_number(operator.truediv, a, b)


class Scale(Function):
    """a c for a constant c (deg2rad, rad2deg) ; da = g c   (nothing saved, as torch's: a second backward works)"""  # noqa: E501

    elementwise = True

    @staticmethod
    def forward(ctx, a, c, name):
        ctx.c, ctx.label = c, name
        return _times(a, c)

    @staticmethod
    def backward(ctx, g):
        return _times(g, ctx.c), None, None


class Add(Function):
    """a + b ; da = g, db = g"""

    elementwise = True
    numbers_as_tensors = (0, 1)  # (x + 2: next_functions has (None, 0) for the 2)

    ufunc = np.add

    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, g):
        return g, g


class Sub(Function):
    """a - b ; da = g, db = -g"""

    elementwise = True
    numbers_as_tensors = (1,)  # (x - 2: next_functions has (None, 0) for the 2)

    ufunc = np.subtract

    @staticmethod
    def forward(ctx, a, b):
        if not isinstance(a, np.ndarray):
            ctx.label = "RsubBackward1"  # torch's name for scalar - tensor
        return a - b

    @staticmethod
    def backward(ctx, g):
        return g, -g if ctx.needs_input_grad[1] else None


class _Unary(Function):
    """An elementwise op of one tensor (and options): its output laid out in memory as the
    tensor (torch's TensorIterator; numpy's differs in the strides of size-1 dims)."""

    elementwise = True
    number_operands = ()  # (its numbers are options, not operands: leaky_relu's slope)


class Neg(_Unary):
    """-a ; da = -g"""

    ufunc = np.negative

    @staticmethod
    def forward(ctx, a):
        return -a

    @staticmethod
    def backward(ctx, g):
        return -g


class Mul(Function):
    """a * b ; da = g * b, db = g * a"""

    elementwise = True
    numbers_as_tensors = (0, 1)  # (x * 2: next_functions has (None, 0) for the 2)

    ufunc = _times  # (what apply runs when it records nothing)

    @staticmethod
    def forward(ctx, a, b):
        da, db = ctx.needs_input_grad
        if da or db:  # only what is needed (none: a second backward is no error, as torch's)
            ctx.save_for_backward(a if db else None, b if da else None)
        return _times(a, b)

    @staticmethod
    def backward(ctx, g):
        da, db = ctx.needs_input_grad
        if not (da or db):  # (an output that requires grad only through a view's base)
            return None, None
        a, b = ctx.saved_tensors
        gb = g * a if db else None  # b's first, as torch (see the module docstring)
        return _times(g, b) if da else None, gb


class Div(Function):
    """a / b ; da = g / b, db = -g * (a / b) / b"""

    elementwise = True
    numbers_as_tensors = (1,)  # (x / 2: next_functions has (None, 0) for the 2)

    ufunc = _over

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a if ctx.needs_input_grad[1] else None, b)
        return _over(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        da, db = ctx.needs_input_grad
        gb = -g * _over(_over(a, b), b) if db else None  # (b's first, as torch)
        return _over(g, b) if da else None, gb


def _check_integer_divisor(a, b):
    """torch refuses an integer division by zero (numpy gives 0 with a warning), and has no
    such division of bools."""
    kind = np.result_type(a, b).kind
    if kind == "b":
        _broadcast_shape(np.shape(a), np.shape(b))  # (that error first, as torch's)
        raise NotImplementedError("\"div_floor_cpu\" not implemented for 'Bool'")
    if kind in "iu" and not np.all(b) and np.broadcast(a, b).size:
        raise RuntimeError("ZeroDivisionError")


def _divided(ufunc, a, b):
    """ufunc(a, b) for the division family: an integer divisor of 0 refused, as torch; a float
    one gives inf or NaN, without numpy's warning."""
    _check_integer_divisor(a, b)
    with np.errstate(divide="ignore", invalid="ignore"):
        return ufunc(a, b)


class DivRounded(Function):
    """a / b rounded down ('floor') or toward zero ('trunc') ; da = 0, db = 0"""

    elementwise = True

    backward_name = "DivBackward2"
    numbers_as_tensors = (1,)  # (x.div(2, rounding_mode=...): (None, 0) for the 2)

    @staticmethod
    def forward(ctx, a, b, rounding_mode):
        if ctx is not None:  # (as torch's, which saves what div's formulas read: b, and a for
            ctx.save_for_backward(a if ctx.needs_input_grad[1] else None, b)  # b's gradient)
        if rounding_mode == "floor":
            return _divided(_floor_divide, a, b)
        out = _divided(_trunc_divide, a, b)  # (float16 where by_number kept it so)
        return out.astype(out.dtype if out.dtype == _F16 else np.result_type(a, b), copy=False)

    @staticmethod
    def backward(ctx, g):
        _ = ctx.saved_tensors  # (freed by a backward, changed in place: refused, as torch's)
        zero = np.zeros(g.shape, g.dtype)  # (as torch: zeros, not g * 0, which can be -0)
        da, db, _ = ctx.needs_input_grad
        return zero if da else None, zero if db else None, None


def _rounded_quotient(a, b, rounding_mode):
    """a / b rounded as DivRounded rounds it (on tensors: that op, whose gradient is 0)."""
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        return DivRounded.forward(None, a, b, rounding_mode)
    return DivRounded.apply(a, b, rounding_mode)


def _remainder_forward(ctx, name, ufunc, a, b):
    """Remainder's and Fmod's forward: a and b kept for b's gradient; torch numbers the
    overloads, 0 for a number divisor, 1 for a tensor one."""
    if ctx.needs_input_grad[1]:  # (only b's gradient reads them)
        ctx.save_for_backward(a, b)
    if isinstance(b, np.ndarray):
        ctx.label = name + "Backward1"
    return _divided(ufunc, a, b)


def _remainder_backward(ctx, g, rounding_mode):
    """da = g, db = -g times the quotient a / b, rounded as the remainder rounds it."""
    da, db = ctx.needs_input_grad
    if not db:
        return g, None
    a, b = ctx.saved_tensors
    return g if da else None, -g * _rounded_quotient(a, b, rounding_mode)


def _floor_divide(a, b):
    """a // b (float16 by a number in float32, as torch's)."""
    return by_number(np.floor_divide, a, b)


def _trunc_divide(a, b):
    """a / b rounded toward zero (float16 by a number in float32, as torch's)."""
    return by_number(lambda a, b: np.trunc(np.true_divide(a, b)), a, b)


class FloorDivide(Function):
    """a // b, floor(a / b) ; torch has no derivative for it: its backward raises"""

    derivative = False
    integer_history = False

    elementwise = True

    backward_name = "NotImplemented"

    @staticmethod
    def forward(ctx, a, b):
        return _divided(_floor_divide, a, b)

    @staticmethod
    def backward(ctx, g):
        raise RuntimeError("derivative for aten::floor_divide is not implemented")


class NoDerivative(Function):
    """a result torch computes without a derivative (unique's values, bincount's weighted counts) ; its backward raises torch's error"""  # noqa: E501

    derivative = False

    @staticmethod
    def forward(ctx, a, out, name, error):
        ctx.label, ctx.error = name, error
        return out

    @staticmethod
    def backward(ctx, g):
        if not ctx.needs_input_grad[0] and ctx.label != "NotImplemented":
            return None  # (torch's node computes no gradient nobody needs: a view's without
            # history, whose base started to require grad after it was made)
        error, message = ctx.error
        raise error(message)


class Drawn(Function):
    """values drawn at random from a distribution whose parameters are the inputs (uniform_, normal, bernoulli, ...) ; d(each input) = 0, as torch's formulas"""  # noqa: E501

    @staticmethod
    def forward(ctx, values, label, *inputs):
        ctx.label = label
        return values

    @staticmethod
    def backward(ctx, g):
        return (None, None) + tuple(np.zeros_like(g) if needed else None
                                    for needed in ctx.needs_input_grad[2:])


def remainder(a, b, out=None, casting="same_kind"):
    """Python's % as torch computes it: fmod(a, b), plus b where the signs differ; so a zero
    keeps a's sign (-0.0 % 2 is -0.0), where numpy's remainder gives it b's. Called as numpy's
    ufunc is, with out= for an in-place update."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if np.result_type(a, b).kind != "f":  # (integers: numpy's is torch's)
            r = np.remainder(a, b)
        else:
            r = np.fmod(a, b)
            r = np.where((r != 0) & ((r < 0) != (np.asarray(b) < 0)), r + b, r)
    return _written(_overflowing_quotients(r, a, b, r if out is None else out), out, casting)


def fmod(a, b, out=None, casting="same_kind"):
    """C's fmod as torch computes it (see _overflowing_quotients), called as numpy's ufunc."""
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.fmod(a, b)
    return _written(_overflowing_quotients(r, a, b, r if out is None else out), out, casting)


def _written(r, out, casting):
    """``r``, or r written into ``out`` (a ufunc's out=)."""
    if out is None:
        return r
    np.copyto(out, r, casting=casting)
    return out


_DIVISION_BLOCKS = {"float64": 8, "float32": 16}  # (the blocks of fmod's vectorised loop)


def _overflowing_quotients(r, a, b, out):
    """fmod(a, b) or a % b as torch's CPU loop has it: where it computes in vectors (blocks of
    8 float64 or 16 float32, see _vectorised; into ``out``'s layout), an element whose quotient
    a / b overflows is NaN (a huge a over a denormal b), where the exact result is finite."""
    block = _DIVISION_BLOCKS.get(r.dtype.name)
    if block is None or not r.size:
        return r
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        x, y = np.asarray(a, r.dtype), np.asarray(b, r.dtype)
        overflowing = np.isinf(x / y) & np.isfinite(x) & (y != 0)
    if not overflowing.any():
        return r
    vectorised = _vectorised(out, a, b, block=block)
    return r if vectorised is None else np.where(vectorised & overflowing, np.nan, r)


class Remainder(Function):
    """a - floor(a / b) b, the sign of b's (Python's %) ; da = g, db = -g floor(a / b)"""

    elementwise = True

    @staticmethod
    def forward(ctx, a, b):
        ctx.number_first = not isinstance(a, np.ndarray)
        out = _remainder_forward(ctx, "Remainder", remainder, a, b)
        if ctx.number_first:  # (a number % a tensor: torch has no derivative for it)
            ctx.label = FloorDivide.backward_name
        return out

    @staticmethod
    def backward(ctx, g):
        if ctx.number_first:
            raise RuntimeError("derivative for aten::remainder is not implemented")
        return _remainder_backward(ctx, g, "floor")


class Fmod(Function):
    """a - trunc(a / b) b, the sign of a's (C's fmod) ; da = g, db = -g trunc(a / b)"""

    elementwise = True

    @staticmethod
    def forward(ctx, a, b):
        return _remainder_forward(ctx, "Fmod", fmod, a, b)

    @staticmethod
    def backward(ctx, g):
        return _remainder_backward(ctx, g, "trunc")


def _add_scaled(a, b, n, subtract=False):
    """a + n b as torch's add with alpha computes it (``subtract``: n is sub's -alpha)."""
    dtype = np.result_type(a, b)
    if dtype == np.float16:  # n and a number b in float16; in vectors (see _vectorised) the sum
        # is rounded once (n b is exact in float32), elsewhere n b is rounded first
        with np.errstate(over="ignore"):  # (a number beyond float16's range: inf)
            n16, b = dtype.type(n), np.asarray(b, dtype)
        out = a + n16 * b
        vectorised = _vectorised(out, a, b)
        return out if vectorised is None else np.where(
            vectorised, (_widened(a) + np.float32(n16) * _widened(b)).astype(dtype), out)
    if dtype.kind == "f":  # n and a number b in the result's dtype, the sum rounded once
        return fma(dtype.type(n), np.asarray(b, dtype), a)
    n = np.array(n).astype(dtype)  # (integers: -n and n b wrap around, as torch's)
    return a + np.asarray(b).astype(dtype, copy=False) * n


class AddScaled(Function):
    """a + n b for a number n (add's alpha, and sub's, negated: a - alpha b) ; da = g, db = n g"""

    elementwise = True
    numbers_as_tensors = (0, 1)  # (x.add(2, alpha=3): next_functions has (None, 0) for the 2)
    backward_name = "AddBackward0"

    ufunc = _add_scaled  # (what apply runs when it records nothing: an optimizer's p.add_)

    @staticmethod
    def forward(ctx, a, b, n, subtract=False):
        # torch's node saves no tensor: it runs again after its graph was freed
        ctx.n = n
        if subtract:  # (n is then -alpha)
            ctx.label = "SubBackward0"
        return _add_scaled(a, b, n)

    @staticmethod
    def backward(ctx, g):
        return g, _times(g, ctx.n) if ctx.needs_input_grad[1] else None, None, None


class DivScalar(Function):
    """a / n for a number n ; da = g / n"""

    # torch's internal division by a Scalar (in cross_entropy's mean, say): it saves no tensor,
    # so it runs again after its graph was freed, where a / tensor-or-number would not

    backward_name = "DivBackward1"

    @staticmethod
    def forward(ctx, a, n):
        ctx.n = n
        return _over(a, n)

    @staticmethod
    def backward(ctx, g):
        return _over(g, ctx.n), None


class Reciprocal(_Unary):
    """1 / a ; da = -g / a**2 = -g out**2   (number / tensor is reciprocal(tensor) * number)"""

    @staticmethod
    def forward(ctx, a):
        with np.errstate(divide="ignore"):
            out = 1 / a
        ctx.save_for_backward(out)  # the output, as torch (the input may then change in place)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return -g * (out * out)  # (torch's order: out**2 may overflow to inf, and -0 * inf is NaN)


BOOL_SUB_ERROR = ("Subtraction, the `-` operator, with a bool tensor is not supported. If you "
                  "are trying to invert a mask, use the `~` or `logical_not()` operator instead.")
BOOLS_SUB_ERROR = ("Subtraction, the `-` operator, with two bool tensors is not supported. Use "
                   "the `^` or `logical_xor()` operator instead.")
BOOL_NEG_ERROR = ("Negation, the `-` operator, on a bool tensor is not supported. If you are "
                  "trying to invert a mask, use the `~` or `logical_not()` operator instead.")


def _integer_power(a, b, dtype):
    """a ** b in the integer ``dtype`` as torch computes it: a wraps around into the dtype,
    the powers wrap around as its repeated squaring does, and to a negative power 1 is 1, -1 is
    1 or -1, anything else 0."""
    a = np.asarray(a).astype(dtype)
    out = np.power(a, np.maximum(b, 0).astype(dtype))
    negative_power = np.where(a == 1, 1, np.where(a == -1, 1 - 2 * (b % 2), 0))
    return np.where(b < 0, negative_power, out).astype(dtype)


class Pow(Function):
    """a ** b ; da = g (b a**(b-1)) (0 where b = 0), db = g a**b log(a) (0 where a = 0, b >= 0)"""

    elementwise = True

    @classmethod
    def _operands(cls, args):  # (number ** tensor is in C order; a number exponent is a
        # parameter of torch's kernel, not an operand)
        return [x for x in args if type(x) is np.ndarray] if type(args[0]) is np.ndarray else []

    @staticmethod
    def forward(ctx, a, b):
        # integers (or bools) to negative integer powers, which numpy refuses
        if isinstance(b, np.ndarray) and b.dtype.kind in "iu" and (
                isinstance(a, (int, np.integer, np.bool_)) or  # (a bool is an int)
                isinstance(a, np.ndarray) and a.dtype.kind in "biu") and (b < 0).any():
            out = _integer_power(a, b, np.result_type(a.dtype, b.dtype) if isinstance(
                a, np.ndarray) else b.dtype)
            ctx.save_for_backward(a, b, None)
            return out if isinstance(a, np.ndarray) else _layout.c_order(out)
        out = _pow(a, _exponent(b, a))
        if not isinstance(a, np.ndarray):  # number ** tensor: in C order whatever b's, as torch
            out = _layout.c_order(out)
        if isinstance(b, np.ndarray) or not isinstance(a, np.ndarray):  # tensor ** number: 0
            ctx.label = "PowBackward1" if isinstance(a, np.ndarray) else "PowBackward2"
        # the output, for b's gradient; with a tensor exponent torch's node keeps it anyway
        # (so changing the output in place is refused even when b needs no gradient)
        ctx.save_for_backward(a, b, out if ctx.needs_input_grad[1] or isinstance(b, np.ndarray)
                              else None)
        return out

    @staticmethod
    def backward(ctx, g):
        a, b, out = ctx.saved_tensors
        da, db = ctx.needs_input_grad
        if da and np.dtype(getattr(b, "dtype", float)).kind == "b":  # torch: b - 1, refused
            raise RuntimeError(BOOL_SUB_ERROR)
        if type(a) is bool:  # (torch cannot read a bool base back in its backward: a bug of
            # torch's, followed so that the two engines fail alike)
            raise RuntimeError(
                'false INTERNAL ASSERT FAILED at "c10/core/Scalar.cpp":42, please report a bug '
                "to PyTorch. unknown ivalue tag 4 (torch cannot differentiate a bool number to "
                "the power of a tensor; tinyad follows it: write 1.0 ** x or 0.0 ** x)")
        if type(b) in (int, float) and b == 0:  # torch: zeros, a constant (not for False: its
            return np.zeros(a.shape, dtype=a.dtype), None  # test of 0 is false for a bool)
        with np.errstate(divide="ignore", invalid="ignore"):
            # b's first, and g outside the where, as torch's: an inf or NaN g gives NaN at
            # a = 0, and so does differentiating it again
            if not db:
                gb = None
            elif isinstance(a, (int, float, np.number)) and a != 0:  # (torch's reads the
                gb = g * _times(out, float(log(a)))  # output only, not the
                # exponent; the logarithm as a number, multiplied in the tensor's dtype)
            else:  # (the log of an integer a in the result's dtype, as torch's)
                if hasattr(a, "dtype") and a.dtype != out.dtype:  # (or a tensor, under
                    # create_graph: the engine's log of uint8 would be float16; a float32
                    # base of a float64 exponent's: its log in float64, as torch's)
                    a = a.astype(out.dtype) if isinstance(a, np.ndarray) else a.to(out.dtype)
                gb = g * np.where((a == 0) & (b >= 0), 0, out * log(a))
            ga = None if not da else g * _times(_pow(a, b - 1), b) if type(b) is bool \
                else np.where(b == 0, 0, g * _times(_pow(a, _exponent(b - 1, a)),
                                                    _exponent(b, a)))
            return ga, gb


def _exponent(b, a):
    """A float tensor's integer tensor exponent (or b - 1, computed in b's dtype, wrapping
    around as torch's backward computes it: uint8 0 - 1 is 255), or its 0-d exponent of
    another float dtype, in the base's dtype, which torch's kernels compute in; anything else
    as it is."""
    if not hasattr(b, "dtype") or not hasattr(a, "dtype") or a.dtype.kind != "f" or \
            b.dtype.kind not in "iu" and not (b.dtype.kind == "f" and b.ndim == 0 < a.ndim):
        return b
    return b.astype(a.dtype) if isinstance(b, (np.ndarray, np.generic)) else b.to(a.dtype)


def _pow(a, b):
    """a ** b as torch's kernel computes it. A float tensor to a number exponent of 2, 3, -2 or
    -1 is a a, a a a, 1 / (a a) or 1 / a (float16 in float32, rounded once); in float32 and
    float64, of 0.5 sqrt and of -0.5 1 / sqrt; a float32 tensor's other exponents, and a number
    base of one, are rounded to float32 (but see _pow_float32); anything else is C's pow (a
    tensor exponent of 0.5 too: numpy's loop takes a 0.5 it broadcasts for sqrt, NaN at -inf
    where pow gives inf, so it is given one 0.5 per element)."""
    if isinstance(a, np.ndarray) and a.dtype.kind == "f" and type(b) in (int, float):
        if a.dtype == np.float16 and math.isfinite(b) and abs(b) > 65504:  # (torch's kernel
            raise RuntimeError(  # takes the exponent as a float16, checked)
                "value cannot be converted to type c10::Half without overflow")
        if b in _POW_KERNELS and (a.dtype != np.float16 or b in (2, 3, -2, -1)):
            return _POW_KERNELS[b](_widened(a)).astype(a.dtype, copy=False)
        if a.dtype == np.float32 and float(np.float32(b)) != b:
            return _pow_float32(a, b)
    elif type(a) in (int, float) and isinstance(b, np.ndarray) and b.dtype == np.float32:
        with np.errstate(over="ignore"):  # (1e300 is inf in float32, as in torch)
            return power(float(np.float32(a)), b)
    elif isinstance(b, (np.ndarray, np.generic)) and b.dtype.kind == "f" and (b == 0.5).any():
        # (a numpy scalar is a 0-d tensor's array after arithmetic: b - 1 in backward)
        full = np.array(np.broadcast_to(b, np.broadcast_shapes(np.shape(a), np.shape(b))))
        return power(a, full) if full.ndim else power(a, full.reshape(1)).reshape(())
    return power(a, b)


def _reciprocal_square(a):
    with np.errstate(over="ignore"):  # (a a overflows where the result is 0)
        return 1 / (a * a)


_POW_KERNELS = {2: lambda a: a * a, 3: lambda a: a * a * a, -2: _reciprocal_square,
                0.5: lambda a: torch_nan(np.sqrt(a), a), -0.5: lambda a: 1 / np.sqrt(a),
                -1: lambda a: 1 / a}  # (** 0.5: torch's sqrt, a positive NaN below 0)


def _pow_float32(a, b):
    """a ** b for a float32 array and a number exponent that float32 cannot hold (2.2, 0.1), as
    torch's loop: the exponent rounded to float32 where it computes in vectors, the double
    elsewhere (see _vectorised)."""
    out = power(a, b)
    vectorised = _vectorised(out, a)
    return out if vectorised is None else np.where(vectorised, power(a, np.float32(b)), out)


def _vectorised(out, *operands, block=32):
    """Where torch's CPU loop computes ``out`` from the array ``operands`` in vectors: a mask of
    out's shape, or None where it computes nothing so. The loop runs along rows (the innermost
    dims, in out's memory order, that coalesce in every array) ``block`` elements at a time
    (two AVX-512 vectors: 32 float32, 16 float64; one vector of float16, or two when it
    computes in float32) and leaves the rest of each row to a scalar loop; a row along which an
    operand is strided is not vectorised at all (a tensor of 32,768 elements or more is also
    split between threads, each with its own leftovers: not here)."""
    arrays = [np.broadcast_to(x, out.shape) for x in operands if isinstance(x, np.ndarray)]
    inner, n = [], 1  # the dims of a row, innermost first, and its length
    for d in sorted((d for d in range(out.ndim) if out.shape[d] > 1),
                    key=lambda d: out.strides[d]):
        if not inner:
            if out.strides[d] != out.itemsize or any(
                    x.strides[d] not in (0, x.itemsize) for x in arrays):
                return None
        elif any(x.strides[d] != x.strides[inner[-1]] * out.shape[inner[-1]]
                 for x in [out, *arrays]):
            break
        inner.append(d)
        n *= out.shape[d]
    if n < block:
        return None
    row = np.arange(n).reshape([out.shape[d] for d in reversed(inner)]) < n // block * block
    row = row.transpose(np.argsort(inner[::-1]))  # (its dims in out's order)
    return np.broadcast_to(row.reshape([out.shape[d] if d in inner else 1
                                        for d in range(out.ndim)]), out.shape)


_KERNELS = {(1, 1): ("DotBackward0", "dot"), (2, 1): ("MvBackward0", "addmv_impl_cpu"),
            (2, 2): ("MmBackward0", "addmm_impl_cpu_"), (3, 3): ("BmmBackward0", "bmm")}
_C_TYPE_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half",
                 "int64": "long int", "int32": "int", "int16": "short int",
                 "int8": "signed char", "uint8": "unsigned char", "bool": "bool"}


def _blas(a, b):
    """a @ b by numpy's BLAS; its elements that are inf or NaN as torch's kernel has them: its
    dot, mv and bmm of fewer than 400 multiply-adds round each product before adding it (an
    overflowing product is inf), its mm and larger bmm (MKL's gemm) add each product exactly
    (a fused multiply-add), but for a single column of several rows, which MKL computes as mv
    (its float64 kernels' choice, followed for float32 too, where MKL sometimes fuses).
    numpy's BLAS does one or the other by the shapes."""
    out = np.matmul(a, b)
    if out.dtype.kind == "f" and not math.isfinite(np.vdot(out, out)):  # (every element is
        bad = ~np.isfinite(out)  # finite where the sum of squares is: one BLAS pass, no mask)
        if bad.any():
            m, n = out.shape[-2:] if out.ndim > 1 else (1, 1)
            fused = (a.ndim == 2 == b.ndim or a.ndim == 3 and a[0].size * n >= 400) and \
                not (n == 1 and m > 1)
            redone = _added_in_order(a[None] if a.ndim == 1 else a,
                                     b[:, None] if b.ndim == 1 else b, fused).reshape(out.shape)
            out = np.where(bad, redone, out)  # (the finite ones stay BLAS's, as torch's)
    return out


def _product(g):
    """The product for a backward formula: _blas on arrays, the op on tensors (create_graph)."""
    return _blas if isinstance(g, np.ndarray) else operator.matmul


def _added_in_order(a, b, fused):
    """a @ b for matrices (or batches), the products added one after another: each rounded
    to the dtype (float16: float32, as torch's opmath), or, ``fused``, added exact (computed
    in a wider type) and the sum rounded."""
    dtype = np.dtype(np.float32) if a.dtype == np.float16 else a.dtype
    wide = {np.dtype(np.float32): np.float64, np.dtype(np.float64): np.longdouble}[dtype] \
        if fused else dtype
    acc = np.zeros(np.broadcast_shapes(a.shape[:-1] + (1,), b.shape[:-2] + (1, b.shape[-1])),
                   dtype)
    with np.errstate(all="ignore"):
        for k in range(a.shape[-1]):
            product = a[..., :, k, None].astype(wide) * b[..., None, k, :].astype(wide)
            acc = (acc.astype(wide) + product).astype(dtype)
    return acc.astype(a.dtype)


class MatMul(Function):
    """a @ b by torch's kernels: dot (vectors), mv (matrix, vector), mm (matrices), bmm (batches); Tensor.matmul composes other dims from them ; da = g @ b^T, db = a^T @ g (dot: da = g b, db = g a; mv: da = outer(g, b))"""  # noqa: E501

    backward_name = "MmBackward0"  # (dot, mv and bmm are named in forward)

    @staticmethod
    def forward(ctx, a, b):
        da, db = ctx.needs_input_grad
        ctx.save_for_backward(a if db else None, b if da else None)
        ctx.ndims = a.ndim, b.ndim
        if ctx.ndims == (2, 2):
            ctx.layouts = _column_major(a), _column_major(b)
        name, kernel = _KERNELS[ctx.ndims]
        if name != "MmBackward0":  # (the class's own name: no relabelling for mm)
            ctx.label = name
        if a.dtype is not b.dtype or a.ndim == 3 or a.shape[-1] != b.shape[-2 if b.ndim > 1 else 0]:
            _check_product(a, b)  # (torch's errors)
        out = _blas(a, b)
        if a.dtype is not b.dtype:  # (an empty product torch did not check: b's dtype)
            out = out.astype(b.dtype)
        if a.dtype.kind == "b" and (a.ndim == 1 or a.shape[-1] and out.size):  # (a product
            raise NotImplementedError(f'"{kernel}" not implemented for \'Bool\'')  # of no
        return out  # terms or with no element runs no kernel: numpy's zeros, as torch's)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        da, db = ctx.needs_input_grad
        if ctx.ndims == (1, 1):  # dot
            return g * b if da else None, g * a if db else None
        product = _product(g)
        if ctx.ndims == (2, 1):  # mv
            return np.expand_dims(g, -1) * b if da else None, product(a.mT, g) if db else None
        if ctx.ndims == (2, 2):
            return _mm_backward(product, g, a, b, da, db, ctx.layouts)
        return product(g, b.mT) if da else None, product(a.mT, g) if db else None


def _column_major(m):
    """Whether a matrix lies in memory column after column (a transposed contiguous one)."""
    return m.strides[0] == m.itemsize and m.strides[1] == m.shape[0] * m.itemsize


def _mm_backward(product, g, a, b, da, db, layouts):
    """The gradients of a @ b for matrices: g b^T and a^T g, each made in its matrix's layout
    as torch's are, (b g^T)^T and (g^T a)^T for one that lay column after column at forward
    (F.linear's weight.t(): the weight's gradient is then contiguous, as torch's)."""
    a_columns, b_columns = layouts
    ga = None if not da else product(b, g.mT).mT if a_columns else product(g, b.mT)
    gb = None if not db else product(g.mT, a).mT if b_columns else product(a.mT, g)
    return ga, gb


def _check_product(a, b):
    """torch's errors, in its order, for operands of one kernel whose shapes do not fit or whose
    dtypes differ."""
    names = TORCH_TYPE_NAMES
    fits = a.shape[-1] == b.shape[0 if b.ndim == 1 else -2]
    if a.ndim == 1:  # dot
        if a.dtype != b.dtype:
            raise RuntimeError(f"dot : expected both vectors to have same dtype, but found "
                               f"{names[a.dtype.name]} and {names[b.dtype.name]}")
        if not fits:
            raise RuntimeError(f"inconsistent tensor size, expected tensor [{a.size}] and src "
                               f"[{b.size}] to have the same number of elements, but got "
                               f"{a.size} and {b.size} elements respectively")
    elif b.ndim == 1:  # mv
        if not fits:
            raise RuntimeError(f"size mismatch, got input ({a.shape[0]}), mat ({a.shape[0]}x"
                               f"{a.shape[1]}), vec ({b.size})")
        if a.dtype != b.dtype:
            raise RuntimeError(f"addmv input tensors must have the same dtype, but got "
                               f"{names[b.dtype.name]}, {names[a.dtype.name]}, and "
                               f"{names[b.dtype.name]}")
    elif a.ndim == 2:  # mm
        if not fits:
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x"
                               f"{a.shape[1]} and {b.shape[0]}x{b.shape[1]})")
        if a.dtype != b.dtype:
            raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                               f"{_C_TYPE_NAMES[a.dtype.name]} != {_C_TYPE_NAMES[b.dtype.name]}")
    else:  # bmm
        if b.shape[:2] != (a.shape[0], a.shape[2]):
            raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                               f"[{a.shape[0]}, {a.shape[2]}] but got: [{b.shape[0]}, "
                               f"{b.shape[1]}].")
        if a.dtype.kind == "b" and a.shape[2] and a.shape[0] * a.shape[1] * b.shape[2]:
            raise NotImplementedError("\"bmm\" not implemented for 'Bool'")
        if a.dtype != b.dtype and a.shape[2] and a.shape[0] * a.shape[1] * b.shape[2]:
            raise RuntimeError(f"expected scalar type {names[a.dtype.name]} but found "
                               f"{names[b.dtype.name]}")  # (an empty product is not checked:
            # it is zeros of b's dtype)


class Addcmul(Function):
    """a + v b c ; da = g, db = g (c v), dc = g (b v)"""

    elementwise = True

    @staticmethod
    def forward(ctx, a, b, c, value, scaled=None):
        ctx.value, ctx.dtype, ctx.scaled = value, a.dtype, scaled
        _, db, dc = ctx.needs_input_grad[:3]
        if db or dc:  # (in their places: b may be a's array)
            ctx.save_for_backward(None, b if dc else None, c if db else None)
        if a.dtype.kind == "f":  # (torch's kernel: (v b) c + a, fused, one rounding; float16
            opmath = _opmath(a.dtype)  # computed in float32)
            a, b, c = (x.astype(opmath, copy=False) for x in (a, b, c))
            return fma(value * b, c, a).astype(ctx.dtype, copy=False)
        return a + value * b * c

    @staticmethod
    def backward(ctx, g):
        _, db, dc = ctx.needs_input_grad[:3]
        if not (db or dc):
            return g, None, None, None, None
        _, b, c = ctx.saved_tensors
        return (g, g * _times(c, ctx.value.item()) if db else None,
                g * _value_times(ctx, b) if dc else None, None, None)


def _value_times(ctx, b):
    """b v, for the gradient of addcmul's and addcdiv's c, in torch's steps (float16 with v in
    float32, rounded once); where b was an integer or bool tensor, torch's b * v in b's own
    dtype (``ctx.scaled``, wrapping around; a float value made it float32, which then
    promotes with float16 as torch's)."""
    if ctx.scaled is None:
        return _times(b, ctx.value.item())
    return ctx.scaled.astype(ctx.dtype) if ctx.scaled.dtype.kind != "f" else ctx.scaled


class Addcdiv(Function):
    """a + v b / c ; da = g, db = g (v / c), dc = -g v b / c**2"""

    elementwise = True

    @staticmethod
    def forward(ctx, a, b, c, value, scaled=None):
        ctx.value, ctx.dtype, ctx.scaled = value, a.dtype, scaled
        ctx.save_for_backward(None, b if ctx.needs_input_grad[2] else None, c)  # (as Addcmul)
        return (a + value * b / c).astype(a.dtype, copy=False)  # (float16: computed in float32)

    @staticmethod
    def backward(ctx, g):
        _, b, c = ctx.saved_tensors
        _, db, dc = ctx.needs_input_grad[:3]
        return (g, g * by_number(lambda c, v: v / c, c, ctx.value.item()) if db else None,
                -g * (_value_times(ctx, b) / (c * c)) if dc else None, None, None)


def _expandable(a, target):
    """torch's error where ``a`` cannot be expanded to the shape ``target``."""
    shape = a.shape
    if len(shape) > len(target):
        raise RuntimeError(f"expand(torch.{TORCH_TYPE_NAMES[a.dtype.name]}Tensor{{{list(shape)}}}"
                           f", size={list(target)}): the number of sizes provided "
                           f"({len(target)}) must be greater or equal to the number of "
                           f"dimensions in the tensor ({len(shape)})")
    for d in range(1, len(shape) + 1):
        if shape[-d] not in (1, target[-d]):
            raise RuntimeError(
                f"The expanded size of the tensor ({target[-d]}) must match the existing size "
                f"({shape[-d]}) at non-singleton dimension {len(target) - d}.  Target sizes: "
                f"{list(target)}.  Tensor sizes: {list(shape)}")


class Addmm(Function):
    """beta c + alpha a @ b for matrices a, b (a linear layer on a batch: beta = alpha = 1) ; dc = beta g, da = alpha g @ b^T, db = alpha a^T @ g"""  # noqa: E501

    @staticmethod
    def forward(ctx, c, a, b, beta=1, alpha=1):
        _, da, db = ctx.needs_input_grad[:3]
        ctx.save_for_backward(None, a if db else None, b if da else None)
        ctx.beta, ctx.alpha = beta, alpha
        for name, m in (("mat1", a), ("mat2", b)):
            if m.ndim != 2:
                raise RuntimeError(f"{name} must be a matrix, got {m.ndim}-D tensor")
        ctx.layouts = _column_major(a), _column_major(b)
        if a.shape[1] != b.shape[0]:
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x"
                               f"{a.shape[1]} and {b.shape[0]}x{b.shape[1]})")
        for name, m in (("mat1", a), ("self", c)):  # (no type promotion: torch's BLAS call)
            if m.dtype != b.dtype:
                raise RuntimeError(f"{name} and mat2 must have the same dtype, but got "
                                   f"{TORCH_TYPE_NAMES[m.dtype.name]} and "
                                   f"{TORCH_TYPE_NAMES[b.dtype.name]}")
        _expandable(c, (a.shape[0], b.shape[1]))  # (then torch expands c)
        if b.dtype == bool:  # (torch's kernel has no bool: it is reached where the product has
            if not a.shape[0] * b.shape[1]:  # elements and a sum, and without a sum torch's
                return np.zeros((a.shape[0], b.shape[1]), bool)  # beta c must stay a bool)
            if a.shape[1]:
                raise NotImplementedError("\"addmm_impl_cpu_\" not implemented for 'Bool'")
            if type(beta) is not bool and beta != 0:
                raise RuntimeError(f"result type {'Long' if type(beta) is int else 'Float'} "
                                   f"can't be cast to the desired output type Bool")
        out = _blas(a, b)
        if alpha != 1:
            out *= alpha
        if beta == 1:
            out += c
        elif beta != 0:  # (beta 0: c is not read, NaN or not, as torch's)
            out += beta * c
        return out

    @staticmethod
    def backward(ctx, g):
        _, a, b = ctx.saved_tensors
        _, da, db = ctx.needs_input_grad[:3]
        beta, alpha = ctx.beta, ctx.alpha
        ga, gb = _mm_backward(_product(g), g, a, b, da, db, ctx.layouts)
        if alpha != 1:
            ga = None if ga is None else ga * alpha
            gb = None if gb is None else gb * alpha
        rest = (None,) * (len(ctx.needs_input_grad) - 3)
        return (g if beta == 1 else g * beta, ga, gb, *rest)


# ----------------------------------------------------------------------------- elementwise


class Exp(_Unary):
    """exp(a) ; da = g * exp(a)"""

    @staticmethod
    def forward(ctx, a):
        out = exp(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * out


class Log(_Unary):
    """log(a) ; da = g / a"""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return torch_nan(log(a), a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g / a


class Sqrt(_Unary):
    """sqrt(a) ; da = g / (2 sqrt(a))"""

    @staticmethod
    def forward(ctx, a):
        out = torch_nan(np.sqrt(a), a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g / (2 * out)


class Tanh(_Unary):
    """tanh(a) ; da = g * (1 - tanh(a)**2)"""

    @staticmethod
    def forward(ctx, a):
        out = tanh(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return _tanh_backward(g, out)


def _tanh_backward(g, y):
    """g (1 - y²), 1 - y² fused (float16 in float32, rounded once, as torch's); on tensors
    (create_graph) torch's one op for it."""
    if not isinstance(g, (np.ndarray, np.generic)):
        return TanhBackward.apply(g, y)
    if g.dtype is _F16 or g.dtype != y.dtype:
        w = _widened(y, g)
        return (_widened(g, y) * fms32(1, w, w)).astype(g.dtype)
    return g * fms32(1, y, y)


class _ActivationGradient(Function):
    """The gradient of an activation as one op of g and y (its output, or its input), as
    torch's tanh_backward, sigmoid_backward, hardswish_backward and gelu_backward: its
    subclasses give it (``grad(g, y, *options)``) and its derivative in y
    (``dy(g, y, gg, *options)``); in g it is the gradient again."""

    @staticmethod
    def forward(ctx, g, y, *options):
        ctx.save_for_backward(g, y)
        ctx.options = options
        return ctx.fn.grad(g, y, *options)

    @staticmethod
    def backward(ctx, gg):
        g, y = ctx.saved_tensors
        dg, dy = ctx.needs_input_grad[:2]
        return (ctx.fn.grad(gg, y, *ctx.options) if dg else None,
                ctx.fn.dy(g, y, gg, *ctx.options) if dy else None) + (None,) * len(ctx.options)


class TanhBackward(_ActivationGradient):
    """g (1 - y²), tanh's gradient as one op (torch's tanh_backward) ; dg = gg (1 - y²), dy = gg (-2 y g)"""  # noqa: E501

    backward_name = "TanhBackwardBackward0"
    grad = staticmethod(_tanh_backward)
    dy = staticmethod(lambda g, y, gg: gg * (-2 * y * g))


class Sigmoid(_Unary):
    """s = 1 / (1 + exp(-a)) ; da = g (1 - s) s"""

    @staticmethod
    def forward(ctx, a):
        out = _sigmoid(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return _sigmoid_backward(g, out)


def _sigmoid_backward(g, s):
    """g (1 - s) s in torch's order (in float16 its steps); on tensors (create_graph) torch's
    one op for it."""
    if not isinstance(g, (np.ndarray, np.generic)):
        return SigmoidBackward.apply(g, s)
    if g.dtype != s.dtype:  # (s's .data changed: torch's kernel computes in the dtype they
        w = _widened(s, g)  # promote to)
        return (_widened(g, s) * (1 - w) * w).astype(g.dtype, copy=False)
    return g * (1 - s) * s


class SigmoidBackward(_ActivationGradient):
    """g (1 - s) s, sigmoid's gradient as one op (torch's sigmoid_backward) ; dg = gg (1 - s) s, ds = g gg (1 - 2 s)"""  # noqa: E501

    backward_name = "SigmoidBackwardBackward0"
    grad = staticmethod(_sigmoid_backward)
    dy = staticmethod(lambda g, s, gg: g * gg * (-2 * s + 1))


_ERF = np.frompyfunc(math.erf, 1, 1)  # (numpy has no erf: the C library's, element by element)


def _erf(a):
    """erf(a) of an array in its dtype; on tensors (a formula differentiated again) the op."""
    if not isinstance(a, (np.ndarray, np.generic)):
        return Erf.apply(a)
    return np.array(_ERF(a), dtype=a.dtype)


class Erf(_Unary):
    """erf(a) ; da = g 2 exp(-a²) / sqrt(pi)"""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return _erf(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g * (2 / math.sqrt(math.pi) * exp(-(a * a)))


class GELU(_Unary):
    """a P(a), P the normal distribution function (approximate='tanh': 0.5 (1 + tanh(k (a + c a³))), k = sqrt(2 / pi), c = 0.044715) ; da = g (P(a) + a P'(a))"""  # noqa: E501

    backward_name = "GeluBackward0"

    @staticmethod
    def forward(ctx, a, approximate):
        ctx.save_for_backward(a)
        ctx.approximate = approximate
        x = _widened(a)  # (float16 in float32, rounded once, as torch's)
        out = (x * _normal_cdf(x, approximate)).astype(a.dtype, copy=False)
        if approximate == "none" and a.dtype in _VECTORISED and a.size > 1 and \
                a.flags.c_contiguous:  # torch's vectorised loop, (a (1 + erf(a / sqrt 2))) / 2
            # in float32: its erf is NaN at +-inf, and a float32 beyond half the largest
            # overflows (a 0-d, strided or 1-element tensor takes its scalar loop, as here)
            if a.dtype == np.float32:
                out = np.where(a > np.finfo(np.float32).max / 2, np.inf, out).astype(a.dtype)
            out = np.where(np.isinf(a), np.nan, out).astype(a.dtype)
        return out

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return _gelu_backward(g, a, ctx.approximate), None


def _gelu_backward(g, a, approximate):
    """g (P(a) + a P'(a)), in float16 in float32 rounded once, and in the dtype g and a promote
    to (a's .data may have changed: oneDNN's errors); on tensors (create_graph) torch's one op
    for it."""
    if not isinstance(g, (np.ndarray, np.generic)):
        return GeluBackward.apply(g, a, approximate)
    if approximate == "none":
        _onednn_checks(g, a)
    dtype, a, g = g.dtype, _widened(a, g), _widened(g, a)
    if approximate == "tanh":
        inner = _GELU_K * (a + _GELU_C * a * a * a)
        t = tanh(inner)
        slope = 0.5 * (1 + t) + 0.5 * a * (1 - t * t) * _GELU_K * (1 + 3 * _GELU_C * a * a)
    else:
        slope = _normal_cdf(a, "none") + a * (exp(-0.5 * (a * a)) / math.sqrt(2 * math.pi))
    return (g * slope).astype(dtype, copy=False)


def _gelu_double_backward(g, a, gg, approximate):
    """gelu's gradient's derivative in a, gg g d²gelu/da², in torch's steps (an infinite a²
    gives NaN, as torch's)."""
    if approximate == "tanh":
        inner = _GELU_K * (a + _GELU_C * a ** 3)
        t, sech = tanh(inner), 1 / cosh(inner)
        half_a, sech2, h = 0.5 * a, 1 - t * t, _GELU_K * (1 + 3 * _GELU_C * a * a)
        return gg * g * (2 * (0.5 * sech2 * h) + half_a * h * ((2 * sech) * (-sech * t) * h)
                         + half_a * sech2 * (6 * _GELU_C * a * _GELU_K))
    square = a * a
    pdf = _GELU_PDF * exp(-0.5 * square)
    return gg * g * (2 * pdf - square * pdf)


class GeluBackward(_ActivationGradient):
    """g (P(a) + a P'(a)), gelu's gradient as one op (torch's gelu_backward) ; dg = its gradient with g = gg, da = gg g (2 P'(a) - a² P'(a)) (approximate='tanh': the tanh form's)"""  # noqa: E501

    backward_name = "GeluBackwardBackward0"
    grad = staticmethod(_gelu_backward)
    dy = staticmethod(_gelu_double_backward)


def _onednn_checks(g, a):
    """torch computes gelu's gradient at a contiguous float32 or float16 input of two elements
    or more with oneDNN, which refuses a gradient of another dtype or shape (possible only once
    the input's .data changed): torch's errors, followed."""
    if a.dtype in _VECTORISED and a.size > 1 and a.flags.c_contiguous:
        if g.dtype not in _VECTORISED:
            raise RuntimeError("itensor_view_from_dense expects float/bfloat16/half/int8/fp8 "
                               f"tensor input{TORCH_TYPE_NAMES[g.dtype.name]}")
        if g.shape != a.shape and _broadcastable(g.shape, a.shape):
            raise RuntimeError("could not create a primitive descriptor for the reorder "
                               "primitive. Run workload with environment variable "
                               "ONEDNN_VERBOSE=all to get additional diagnostic information.")


def _broadcastable(*shapes):
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        return False
    return True


_GELU_K, _GELU_C = math.sqrt(2 / math.pi), 0.044715
_GELU_PDF = 1 / math.sqrt(2 * math.pi)  # (P'(a) = _GELU_PDF exp(-a² / 2))
_VECTORISED = (np.dtype(np.float32), np.dtype(np.float16))


def _normal_cdf(a, approximate):
    """P(a) = (1 + erf(a / sqrt(2))) / 2, or GELU's tanh approximation of it."""
    if approximate == "tanh":
        return 0.5 * (1 + tanh(_GELU_K * (a + _GELU_C * a * a * a)))
    return 0.5 * (1 + _erf(a * (1 / math.sqrt(2))))


class SiLU(_Unary):
    """a s = a / (1 + exp(-a)) with s = sigmoid(a) ; da = g s (1 + a (1 - s))"""

    backward_name = "SiluBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        x = _widened(a)
        with np.errstate(over="ignore"):
            return (x / (1 + exp(-x))).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        x = _widened(a, g)  # (float16 in float32, rounded once, as torch's)
        s = _sigmoid(x)
        out = _widened(g, a) * s * fms32(1, x, s - 1)  # (1 + a (1 - s))
        return out.astype(g.dtype, copy=False) if isinstance(g, np.ndarray) else out


def _sigmoid(a):
    """1 / (1 + exp(-a)), torch's steps (exp(-a) overflows to inf far out, and gives 0); on
    tensors (a formula differentiated again) the op, whose derivative s (1 - s) is 0 far out,
    where that of 1 / (1 + exp(-a)) is NaN."""
    if not isinstance(a, np.ndarray):
        return Sigmoid.apply(a)
    x = _widened(a)
    with np.errstate(over="ignore"):
        return (1 / (1 + exp(-x))).astype(a.dtype, copy=False)


def _log_sigmoid(a):
    """min(a, 0) - log(1 + exp(-|a|)), torch's steps; on tensors the op."""
    if not isinstance(a, (np.ndarray, np.generic)):
        return LogSigmoid.apply(a)
    return _log_sigmoid_and_buffer(a)[0]


def _opmath(dtype):
    """The dtype torch's kernels compute a float dtype in: float32 for the narrower ones."""
    return np.result_type(dtype, np.float32)


def _widened(a, other=None):
    """``a``, in float32 if it is float16, as torch's kernels compute float16 (a result that
    rounds to 0 keeps its sign), laid out as a ufunc's result (astype would lay an expanded
    array out by its strides of 0), and an array when 0-d. With ``other`` (a gradient kernel's
    other operand), in the dtype the two promote to, as torch's kernel computes: they differ
    once a saved tensor's .data took another dtype."""
    if isinstance(a, (np.ndarray, np.generic)):  # (not a tensor)
        dtype = a.dtype if other is None else np.promote_types(a.dtype, other.dtype)
        if dtype == np.float16:
            dtype = np.dtype(np.float32)
        if dtype != a.dtype:
            return np.asarray(np.positive(a, dtype=dtype))
    return a


def _keeping(ufunc, a, b):
    """``ufunc(a, b)`` (np.maximum or np.minimum) keeping ``a`` where they tie, as torch does,
    which tells -0.0 from 0.0: numpy keeps the second operand, but in float16 the first."""
    return ufunc(a, b) if getattr(a, "dtype", None) == np.float16 else ufunc(b, a)


def _ties_as_vectorised(out, a, b):
    """``out``, max or min of the arrays a and b keeping a where they tie (_keeping), as torch's
    loop has it: in the blocks its vectorised loop computes (_vectorised) b where a zero ties
    with a zero of the other sign (its vector max and min give the second operand) and a NaN
    with the sign bit set; elsewhere a positive NaN, whatever the operands' NaN."""
    if not isinstance(b, np.ndarray) or out.dtype.kind != "f":
        return out
    ties = (a == 0) & (b == 0) & (np.signbit(a) != np.signbit(b))
    nan = np.isnan(out)
    if not ties.any() and not nan.any():
        return out
    vector = _vectorised(out, a, b, block=64 // out.itemsize)
    vector = np.zeros(out.shape, bool) if vector is None else vector
    out = np.where(ties & vector, b, out).astype(out.dtype)
    return np.where(nan, np.where(vector, -np.abs(out), np.abs(out)), out).astype(out.dtype)


class ReLU(_Unary):
    """max(a, 0) ; da = where(a <= 0, 0, g)"""

    backward_name = "ReluBackward0"

    @staticmethod
    def forward(ctx, a):
        out = _keeping(np.maximum, a, 0)  # (-0.0 stays -0.0, as torch's)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return _threshold_backward(g, out)


def _threshold_backward(g, out):
    """relu's gradient: 0 where out <= 0, else g (so NaN passes, and an inf g gives 0, not NaN,
    where out <= 0, as in torch)."""
    if isinstance(g, np.ndarray):
        return _zero_where(out <= 0, g)
    return ThresholdBackward.apply(g, out)  # (under create_graph: one op, as torch's)


_SAME_WIDTH_INT = {2: np.int16, 4: np.int32, 8: np.int64}


def _zero_where(cond, g, keep=False):
    """np.where(cond, 0, g), or with ``keep`` np.where(cond, g, 0): a gradient passed where a
    mask lets it through. From 4,096 elements of a float array g, both g and the mask in C
    order, g's bits and-ed with a mask of all ones where g passes: the same array (+0.0
    elsewhere, in C order as np.where's) without np.where's branch for each element, which
    mispredicts on a mask like relu's (2 million float32: 7.8 ms against 1.3)."""
    if type(g) is not np.ndarray or g.size < 4096 or g.dtype.kind != "f" or not (
            g.flags.c_contiguous and getattr(cond, "shape", None) == g.shape and
            cond.flags.c_contiguous):  # (tensors under create_graph; other layouts, whose
        return np.where(cond, g, 0) if keep else np.where(cond, 0, g)  # size-1 strides differ)
    bits = _SAME_WIDTH_INT[g.itemsize]  # (every bit set where g passes, else none)
    mask = np.negative(cond, dtype=bits) if keep else np.subtract(cond, 1, dtype=bits)
    out = np.empty(g.shape, g.dtype)  # (an array of its own: not a view of integers' memory)
    np.bitwise_and(mask, g.view(bits), out=out.view(bits))
    return out


class ThresholdBackward(Function):
    """where(out <= 0, 0, g), relu's gradient as one op ; dg = where(out <= 0, 0, gg), dout = 0"""

    @staticmethod
    def forward(ctx, g, out):
        ctx.save_for_backward(out)  # (as torch's, out only: g may change in place)
        return _zero_where(out <= 0, g)

    @staticmethod
    def backward(ctx, gg):
        (out,) = ctx.saved_tensors
        return _threshold_backward(gg, out), np.zeros_like(gg)


class LeakyReLU(_Unary):
    """a where a > 0, slope a elsewhere ; da = g where a > 0, slope g elsewhere"""

    backward_name = "LeakyReluBackward0"

    @staticmethod
    def forward(ctx, a, slope):
        ctx.slope = slope
        ctx.save_for_backward(a)
        return _leaky_relu(a, slope)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return _leaky_relu_backward(g, a, ctx.slope), None


def _leaky_relu(a, slope):
    return np.where(a > 0, a, _times(a, slope))


def _refuse_negative_slope(torch_name, function, slope):
    """torch's in-place leaky_relu and elu save their output, which no longer tells where the
    input was positive when the slope is negative: their backward refuses."""
    if slope < 0:
        raise RuntimeError(f"In-place {torch_name} backward calculation is triggered with a "
                           f"negative slope ({slope}) which is not supported: call the "
                           f"out-of-place {function} instead")


def _leaky_relu_backward(g, a, slope):
    if isinstance(g, np.ndarray):
        return np.where(a > 0, g, _times(g, slope))
    return LeakyReluBackward.apply(g, a, slope)  # (under create_graph: one op, as torch's)


class LeakyReLUInPlace(LeakyReLU):
    """leaky_relu_(a), saving its output ; da = g where out > 0, slope g elsewhere"""

    backward_name = "LeakyReluBackward1"

    @staticmethod
    def forward(ctx, a, slope):
        ctx.slope = slope
        out = _leaky_relu(a, slope)
        ctx.save_for_backward(out)  # (as torch's: a later change of the output is refused)
        return out

    @staticmethod
    def backward(ctx, g):
        _refuse_negative_slope("leakyReLu", "leaky_relu", ctx.slope)
        (out,) = ctx.saved_tensors
        return _leaky_relu_backward(g, out, ctx.slope), None


class LeakyReluBackward(Function):
    """where(a > 0, g, slope g), leaky_relu's gradient as one op ; dg = where(a > 0, gg, slope gg), da = 0"""  # noqa: E501

    @staticmethod
    def forward(ctx, g, a, slope):
        ctx.slope = slope
        ctx.save_for_backward(a)
        return np.where(a > 0, g, g * slope)

    @staticmethod
    def backward(ctx, gg):
        (a,) = ctx.saved_tensors
        return _leaky_relu_backward(gg, a, ctx.slope), np.zeros_like(gg), None


class ELU(_Unary):
    """s a where a > 0 (or NaN), s alpha (exp(i a) - 1) elsewhere (s = scale, i = input_scale: 1, 1 for elu, selu's constants, 1, 1 / alpha for celu) ; da = g i s alpha exp(i a) where a <= 0, else g s"""  # noqa: E501

    backward_name = "EluBackward0"

    @staticmethod
    def forward(ctx, a, alpha, scale=1.0, input_scale=1.0, grad_input_scale=None):
        # (celu's backward takes 1 / alpha with alpha rounded to float32, as torch's formula)
        ctx.alpha = alpha, scale, input_scale if grad_input_scale is None else grad_input_scale
        ctx.save_for_backward(a)
        return _elu(a, alpha, scale, input_scale)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return _elu_backward(g, a, _elu_coefficients(ctx)), None, None, None, None


def _elu_coefficients(ctx):
    """(alpha, scale, input_scale) for backward; celu's input scale there may be the error
    torch's backward raises (``_celu_grad_scale``)."""
    if isinstance(ctx.alpha[2], Exception):
        raise ctx.alpha[2]
    return ctx.alpha


def _elu(a, alpha, scale=1.0, input_scale=1.0):
    """a scale where a >= 0 (so ±0 keep their sign, as torch's vectorised loop), else
    alpha scale (exp(a input_scale) - 1)."""
    with np.errstate(over="ignore", invalid="ignore"):
        if scale == input_scale == 1 and a.dtype != np.float16:
            return np.where(a >= 0, a, alpha * expm1(a))
        x = _widened(a)  # (float16 in float32, as torch's)
        return np.where(x >= 0, x * scale,
                        expm1(x * input_scale) * (alpha * scale)).astype(a.dtype, copy=False)


def _elu_backward(g, a, coefficients):
    """elu's gradient, ``coefficients`` (alpha, scale, input_scale) or alpha alone."""
    alpha, scale, input_scale = coefficients if type(coefficients) is tuple else (
        coefficients, 1.0, 1.0)
    if not isinstance(g, (np.ndarray, np.generic)):  # (under create_graph: one op, as torch's)
        return EluBackward.apply(g, a, coefficients)
    x, w = _widened(a, g), _widened(g, a)  # (float16 in float32, rounded once, as torch's)
    negative = x <= 0
    if np.isnan(x).any():  # (torch's vectorised loop takes a NaN down the negative branch, its
        # scalar one the other; into a new result laid out as a: g may be expanded, sum's)
        vectorised = _vectorised(np.empty_like(a, g.dtype), g, a,
                                 block=_ELU_BLOCKS.get(g.dtype.name, 0))
        if vectorised is not None:
            negative |= np.isnan(x) & vectorised
    if scale == input_scale == 1:
        return np.where(negative, w * alpha * exp(np.minimum(x, 0)), w).astype(g.dtype,
                                                                              copy=False)
    return np.where(negative, w * input_scale * (alpha * scale)
                    * exp(np.minimum(x, 0) * input_scale), w * scale).astype(g.dtype, copy=False)


_ELU_BLOCKS = {"float64": 16, "float32": 32, "float16": 64}  # (its vectorised loop's blocks)


class ELUInPlace(ELU):
    """elu_(a) (selu_, celu_), saving its output ; da = g i (out + s alpha) where out <= 0, else g s"""  # noqa: E501

    backward_name = "EluBackward1"

    @staticmethod
    def forward(ctx, a, alpha, scale=1.0, input_scale=1.0, grad_input_scale=None):
        ctx.alpha = alpha, scale, input_scale if grad_input_scale is None else grad_input_scale
        out = _elu(a, alpha, scale, input_scale)
        ctx.save_for_backward(out)  # (as torch's: a later change of the output is refused)
        return out

    @staticmethod
    def backward(ctx, g):
        alpha, scale, input_scale = _elu_coefficients(ctx)
        _refuse_negative_slope("elu", "elu", alpha * scale)
        (out,) = ctx.saved_tensors
        if isinstance(g, np.ndarray):
            y, w = _widened(out, g), _widened(g, out)
            return np.where(y <= 0, w * input_scale * (y + alpha * scale), w * scale).astype(
                g.dtype, copy=False), None, None, None, None
        # (under create_graph: torch's second derivative is 0 where out is 0)
        negative = out * (out < 0)
        return np.where(out <= 0, g * input_scale * (negative + alpha * scale), g * scale), \
            None, None, None, None


class EluBackward(Function):
    """where(a <= 0, g i s alpha exp(i a), g s), elu's gradient as one op ; dg = where(a <= 0, gg i s alpha exp(i a), gg s), da = that of gg g i, times (a < 0)"""  # noqa: E501

    @staticmethod
    def forward(ctx, g, a, coefficients):
        ctx.alpha = coefficients
        ctx.save_for_backward(g, a)
        return _elu_backward(g, a, coefficients)

    @staticmethod
    def backward(ctx, gg):
        g, a = ctx.saved_tensors
        i = ctx.alpha[2] if type(ctx.alpha) is tuple else 1.0
        # (torch's formula: a product with the mask, so that a NaN in gg or g stays, and a is
        # 0 only where a >= 0, signed as the product)
        return (_elu_backward(gg, a, ctx.alpha),
                _elu_backward(gg * g * i, a, ctx.alpha) * (a < 0), None)


class Hardtanh(Function):
    """min(max(a, lo), hi) ; da = g where lo < a < hi (and where a is NaN, but in torch's vectorised blocks), else 0"""  # noqa: E501

    @staticmethod
    def forward(ctx, a, lo, hi):
        ctx.lo, ctx.hi = lo, hi
        ctx.save_for_backward(a)
        out = np.minimum(np.maximum(a, lo), hi)
        return _layout.like(np.where(out == a, a, out), a)  # (a itself where kept: -0.0 stays
        # -0.0, as torch's)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return _hardtanh_backward(g, a, ctx.lo, ctx.hi), None, None


def _hardtanh_backward(g, a, lo, hi):
    """hardtanh's gradient: 0 where a <= lo or a >= hi, else g."""
    if isinstance(g, np.ndarray):
        return _hardtanh_passed(g, a, lo, hi)
    return HardtanhBackward.apply(g, a, lo, hi)  # (under create_graph: one op, as torch's)


def _hardtanh_passed(g, a, lo, hi):
    """where(a <= lo or a >= hi, 0, g), as torch's scalar loop: a NaN passes g. Its vectorised
    loop (blocks of one 64-byte vector) tests lo < a < hi: 0 at a NaN."""
    return _at_nan_in_vectors(_zero_where((a <= lo) | (a >= hi), g), g, a, 64 // g.itemsize, 0)


class HardtanhBackward(Function):
    """where(a <= lo or a >= hi, 0, g), hardtanh's gradient as one op, which depends on a as torch's does ; dg = where(a <= lo or a >= hi, 0, gg), da = 0"""  # noqa: E501

    backward_name = "HardtanhBackwardBackward0"

    @staticmethod
    def forward(ctx, g, a, lo, hi):
        ctx.save_for_backward(a)
        ctx.lo, ctx.hi = lo, hi
        return _hardtanh_passed(g, a, lo, hi)

    @staticmethod
    def backward(ctx, gg):
        (a,) = ctx.saved_tensors
        return _hardtanh_backward(gg, a, ctx.lo, ctx.hi), np.zeros_like(gg), None, None


class Hardsigmoid(_Unary):
    """min(max(a + 3, 0), 6) / 6 ; da = g / 6 where -3 < a < 3, else 0 (torch's 1/6 is a float32; it has no second derivative)"""  # noqa: E501

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        x = _widened(a)
        return (np.minimum(np.maximum(x + 3, 0), 6) / 6).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        if isinstance(g, np.ndarray):
            return np.where((a > -3) & (a < 3), _widened(g, a) * _SIXTH, 0).astype(
                g.dtype, copy=False), None
        # (under create_graph: the same values from a node that leads to g and a, and raises
        # torch's error at backward)
        both = g + a * 0  # (first: shapes that do not broadcast get torch's error)
        values = np.where((a._data > -3) & (a._data < 3), _widened(g._data) * _SIXTH, 0)
        return NoDerivative.apply(both, values.astype(g._data.dtype, copy=False),
                                  "NotImplemented", (RuntimeError, "derivative for "
                                                     "aten::hardsigmoid_backward is not "
                                                     "implemented")), None


_SIXTH = float(np.float32(1 / 6))  # (torch's kernels take 1.0f / 6.0f, in every dtype)


class Hardswish(_Unary):
    """a min(max(a + 3, 0), 6) / 6 ; da = 0 where a <= -3, g (a / 3 + 1/2) where a < 3, else g"""  # noqa: E501

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        x = _widened(a)
        return (x * np.minimum(np.maximum(x + 3, 0), 6) / 6).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return _hardswish_backward(g, a), None


def _hardswish_backward(g, a):
    """0 where a <= -3, g (a / 3 + 1/2) where a < 3, else g (NaN too, as torch's kernel), in
    the dtype a and g promote to (a's .data may have changed); on tensors (create_graph)
    torch's one op for it."""
    if not isinstance(g, (np.ndarray, np.generic)):
        return HardswishBackward.apply(g, a)
    x, w = _widened(a, g), _widened(g, a)
    out = np.where(x <= -3, 0, np.where(x < 3, w * (x / 3 + 0.5), w)).astype(g.dtype,
                                                                             copy=False)
    return _at_nan_in_vectors(out, g, a, 128 // out.itemsize, np.nan)  # (its vectorised
    # loop's blends leave the formula's NaN, two vectors at a time)


def _at_nan_in_vectors(out, g, a, block, value):
    """``out``, a gradient that passes g at a NaN a as torch's scalar loop does, with ``value``
    there instead in the blocks of ``block`` elements its vectorised loop takes (see
    _vectorised; in torch's layout for the result, whose rows it runs along)."""
    nan = np.isnan(a)
    if not nan.any():
        return out
    out = _layout.like_operands(out, (g, a))
    vectorised = _vectorised(out, g, a, block=block)
    return out if vectorised is None else np.where(vectorised & nan, value, out)


class HardswishBackward(_ActivationGradient):
    """hardswish's gradient as one op (torch's hardswish_backward) ; dg = its gradient with g = gg, da = gg g / 3 where -3 < a < 3, else 0"""  # noqa: E501

    backward_name = "HardswishBackwardBackward0"
    grad = staticmethod(_hardswish_backward)
    dy = staticmethod(lambda g, a, gg: np.where((a > -3) & (a < 3), gg * g / 3, 0.0))


class Mish(_Unary):
    """a tanh(softplus(a)) ; da = g (t + a sigmoid(a) (1 - t²)), t = tanh(softplus(a))"""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        x = _widened(a)
        with np.errstate(over="ignore", invalid="ignore"):
            return (x * tanh(log1p(exp(x)))).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        if not isinstance(g, np.ndarray):  # (under create_graph: composed of ops, as torch's)
            t = a.exp().log1p().tanh()
            return g * (t + a * a.sigmoid() * (1 - t * t)), None
        x = _widened(a, g)
        with np.errstate(over="ignore", invalid="ignore"):
            t = tanh(log1p(exp(x)))
            s = _sigmoid(x)  # (torch's steps: t + (x s) (1 - t²), both fused)
            return (_widened(g, a) * fms32(t, -(x * s), fms32(1, t, t))).astype(
                a.dtype, copy=False), None  # (torch's kernel: in a's dtype)


class LogSigmoid(Function):
    """log(sigmoid(a)) = min(a, 0) - log(1 + z), z = exp(-|a|) ; da = g (1 - z / (1 + z)) for a < 0, g z / (1 + z) else (z kept from the forward, as torch's buffer)"""  # noqa: E501

    saves_buffers = True
    c_order = True

    @staticmethod
    def forward(ctx, a):
        out, z = _log_sigmoid_and_buffer(a)
        ctx.save_for_backward(a, z)
        return out

    @staticmethod
    def backward(ctx, g):
        a, z = ctx.saved_tensors
        if not isinstance(g, np.ndarray):  # (create_graph: one op, as torch's)
            return LogSigmoidBackward.apply(g, a, z)
        return _log_sigmoid_backward(g, a, z)


class LogSigmoidBackward(Function):
    """logsigmoid's gradient g (1 - z / (1 + z)) or g z / (1 + z) as one op ; dg = the same of gg, da = gg g (s - 1) s, s = sigmoid(a)"""  # noqa: E501

    saves_buffers = True

    @staticmethod
    def forward(ctx, g, a, z):
        ctx.save_for_backward(g, a, z)
        return _log_sigmoid_backward(g, a, z)

    @staticmethod
    def backward(ctx, gg):
        g, a, z = ctx.saved_tensors
        dg, da = ctx.needs_input_grad[:2]
        s = _sigmoid(a) if da else None
        return (LogSigmoidBackward.apply(gg, a, z) if not isinstance(gg, np.ndarray) else
                _log_sigmoid_backward(gg, a, z) if dg else None,
                gg * g * (s - 1) * s if da else None, None)


def _log_sigmoid_and_buffer(a):
    """min(a, 0) - log(1 + z) and z = exp(-|a|), torch's steps (float16 in float32, rounded
    once; z, torch's buffer, kept in a's dtype)."""
    x = _widened(a)
    e = exp(-np.abs(x))
    return (np.minimum(x, 0) - log1p(e)).astype(a.dtype, copy=False), e.astype(a.dtype)


def _same_dtype(a, *others):
    """torch's error of a kernel that takes operands of a's dtype only, for the first that is
    not (a saved input's .data may have taken another dtype since the forward)."""
    for other in others:
        if other.dtype != a.dtype:
            raise RuntimeError(f"Found dtype {TORCH_TYPE_NAMES[other.dtype.name]} but expected "
                               f"{TORCH_TYPE_NAMES[a.dtype.name]}")


def _log_sigmoid_backward(g, a, z):
    """torch's kernel: (1 - z / (1 + z)) g where a < 0, else z / (1 + z) g (which decides where
    NaN falls; float16 in float32, rounded once). It takes no operand of another dtype than a
    (a's .data may have taken one since the forward)."""
    _same_dtype(a, g, z)
    x, w, z = _widened(a), _widened(g), _widened(z)
    negative = x < 0
    return (w * (np.where(negative, 1, 0) - np.where(negative, 1, -1) * (z / (1 + z)))
            ).astype(g.dtype, copy=False)


class Softplus(_Unary):
    """log(1 + exp(b a)) / b, a where b a > threshold ; da = g s where s = sigmoid(b a), g above the threshold"""  # noqa: E501

    @staticmethod
    def forward(ctx, a, beta, threshold):
        ctx.beta, ctx.threshold = beta, threshold
        ctx.save_for_backward(a)
        x = _widened(a)  # (float16 in float32, rounded once, as torch's)
        with np.errstate(over="ignore"):
            return np.where(x * beta > threshold, x, log1p(exp(np.minimum(
                x * beta, threshold))) / beta).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return _softplus_backward(g, a, ctx.beta, ctx.threshold), None, None


def _softplus_backward(g, a, beta, threshold):
    if isinstance(g, np.ndarray):  # (float16 in float32, rounded once, as torch's)
        x, w = _widened(a, g), _widened(g, a)
        z = exp(np.minimum(x * beta, threshold))
        return np.where(x * beta > threshold, w, w * z / (z + 1)).astype(g.dtype, copy=False)
    return SoftplusBackward.apply(g, a, beta, threshold)  # (under create_graph: one op)


class SoftplusBackward(Function):
    """where(b a > threshold, g, g s), softplus's gradient as one op, s = sigmoid(b a) ; dg = where(b a > threshold, gg, gg s), da = gg g s (1 - s) (b a < threshold) b"""  # noqa: E501

    @staticmethod
    def forward(ctx, g, a, beta, threshold):
        ctx.beta, ctx.threshold = beta, threshold
        ctx.save_for_backward(g, a)
        return _softplus_backward(g, a, beta, threshold)

    @staticmethod
    def backward(ctx, gg):
        g, a = ctx.saved_tensors
        x = a * ctx.beta
        s = 1 / (1 + exp(-np.minimum(x, ctx.threshold)))
        return (_softplus_backward(gg, a, ctx.beta, ctx.threshold),
                gg * g * s * (1 - s) * (x < ctx.threshold) * ctx.beta, None, None)


class Overwrite(Function):
    """v broadcast to a's shape and dtype ; da = 0, dv = g   (copy_, fill_ overwrite a)"""

    backward_name = "CopyBackwards"

    @staticmethod
    def forward(ctx, a, v):
        return np.array(np.broadcast_to(v, a.shape), dtype=a.dtype)

    @staticmethod
    def backward(ctx, g):
        return np.zeros_like(g), g


class _IntegerWrite(Function):
    """a, an integer or bool tensor a fill wrote a value that requires grad into (torch's node
    for it: MaskedFillBackward1, FillBackward3, ...) ; no gradient: one into an integer tensor is
    refused before this node runs"""

    @staticmethod
    def forward(ctx, a, *values):
        return a

    @staticmethod
    def backward(ctx, g):
        raise AssertionError("unreachable: the engine refuses a gradient into an integer tensor")


class Cast(Function):
    """a converted to dtype ; da = g converted back (the engine casts to the input's dtype)"""

    backward_name = "ToCopyBackward0"

    @staticmethod
    def forward(ctx, a, dtype):
        return _layout.astype(a, dtype)

    @staticmethod
    def backward(ctx, g):
        return g, None


class Clone(Function):
    """a copied ; da = g"""

    @staticmethod
    def forward(ctx, a):
        return _layout.copy(a)  # in a's layout, as torch's clone (numpy's copy is C-ordered)

    @staticmethod
    def backward(ctx, g):
        return g


class SortedScalar(Function):
    """a copied (the sort or topk of a 0-d tensor, keeping the index, as torch's node) ; da = g (a new array, as torch's scatter into zeros)"""  # noqa: E501

    @staticmethod
    def forward(ctx, a, index):
        ctx.save_for_backward(index)
        return a.copy()

    @staticmethod
    def backward(ctx, g):
        ctx.saved_tensors  # noqa: B018 (freed by a backward: a second one raises, as torch's)
        return (g.copy() if isinstance(g, np.ndarray) else Clone.apply(g)), None


class Contiguous(Clone):
    """a copied in C order (Tensor.contiguous) ; da = g"""

    backward_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, a):
        return np.array(a, order="C", copy=True)


class Sin(_Unary):
    """sin(a) ; da = g * cos(a)"""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return sin(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g * cos(a)


class Cos(_Unary):
    """cos(a) ; da = -g * sin(a)"""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return cos(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g * -sin(a)


class Log1p(_Unary):
    """log(1 + a) ; da = g / (a + 1)"""

    backward_name = "Log1PBackward0"
    ufunc = log1p

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return log1p(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g / (a + 1)


class Expm1(_Unary):
    """exp(a) - 1 ; da = g exp(a)   (as out + 1)"""

    ufunc = expm1

    @staticmethod
    def forward(ctx, a):
        out = expm1(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * (out + 1)


class Rsqrt(_Unary):
    """1 / sqrt(a) ; da = -0.5 g rsqrt(a)**3"""

    @staticmethod
    def forward(ctx, a):
        with np.errstate(divide="ignore"):  # (rsqrt(0) is inf, as in torch; float16 in
            out = (1 / np.sqrt(_widened(a))).astype(a.dtype, copy=False)  # float32)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return -0.5 * g * _pow(out, 3)  # (out out out, as torch's)


class Tan(_Unary):
    """tan(a) ; da = g * (1 + tan(a)**2)"""

    ufunc = tan

    @staticmethod
    def forward(ctx, a):
        out = tan(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * (1 + out ** 2)


class Asin(_Unary):
    """arcsin(a) ; da = g / sqrt(1 - a**2)"""

    ufunc = arcsin

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return arcsin(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g * (1 / np.sqrt(-a * a + 1))  # (torch's rsqrt)


class Acos(_Unary):
    """arccos(a) ; da = -g / sqrt(1 - a**2)"""

    ufunc = arccos

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return arccos(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g * -(1 / np.sqrt(-a * a + 1))


class Atan(_Unary):
    """arctan(a) ; da = g / (a**2 + 1)"""

    ufunc = arctan

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return arctan(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g / (a * a + 1)


class Sinh(_Unary):
    """sinh(a) ; da = g * cosh(a)"""

    ufunc = sinh

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return sinh(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g * cosh(a)


class Asinh(_Unary):
    """asinh(a) ; da = g / sqrt(a² + 1)   (torch's rsqrt of a² + 1)"""

    ufunc = arcsinh

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return arcsinh(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g * (1 / np.sqrt(a * a + 1))


class Acosh(_Unary):
    """acosh(a) ; da = g / sqrt(a² - 1)   (torch's rsqrt of a² - 1: NaN below 1)"""

    ufunc = arccosh

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return arccosh(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g * (1 / np.sqrt(a * a - 1))


class Atanh(_Unary):
    """atanh(a) ; da = g / (1 - a²)"""

    ufunc = arctanh

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return arctanh(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g / (1 - a * a)


class Exp2(_Unary):
    """2 ** a ; da = g 2**a log(2)   (from the output, as torch's)"""

    ufunc = exp2

    @staticmethod
    def forward(ctx, a):
        out = exp2(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return _times(g * out, math.log(2))


class Cosh(_Unary):
    """cosh(a) ; da = g * sinh(a)"""

    ufunc = cosh

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return cosh(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g * sinh(a)


LN2, LN10 = math.log(2), 2.3025850929940456  # (torch's ln 10, an ulp below math.log(10))


class Log2(_Unary):
    """log2(a) ; da = g / (a ln 2)"""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return torch_nan(log2(a), a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g / (a * LN2)


class Log10(_Unary):
    """log10(a) ; da = g / (a ln 10)"""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return torch_nan(log10(a), a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g / (a * LN10)


class Floor(_Unary):
    """floor(a) ; da = 0"""

    ufunc = np.floor

    @staticmethod
    def forward(ctx, a):
        return np.floor(a)

    @staticmethod
    def backward(ctx, g):
        return np.zeros_like(g)


class Ceil(Floor):
    """ceil(a) ; da = 0"""

    ufunc = np.ceil

    @staticmethod
    def forward(ctx, a):
        return np.ceil(a)


class Trunc(Floor):
    """trunc(a) (towards 0) ; da = 0"""

    ufunc = np.trunc

    @staticmethod
    def forward(ctx, a):
        return np.trunc(a)


class Frac(_Unary):
    """a - trunc(a) (the fractional part, with a's sign) ; da = g"""

    @staticmethod
    def forward(ctx, a):
        return a - np.trunc(a)

    @staticmethod
    def backward(ctx, g):
        return g


class Round(Floor):
    """a rounded to decimals places (none: 0), halves to even ; da = 0"""

    @staticmethod
    def forward(ctx, a, decimals):
        if decimals is not None:  # (torch's overload with decimals)
            ctx.label = "RoundBackward1"
        if decimals and a.dtype == np.float16:  # (torch scales float16 in float32: no overflow)
            return np.round(a.astype(np.float32), decimals).astype(np.float16)
        return np.round(a, decimals or 0)

    @staticmethod
    def backward(ctx, g):
        return np.zeros_like(g), None


class Abs(_Unary):
    """|a| ; da = g * sign(a)   (0 at a = 0 and at NaN)"""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.abs(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g * _sgn(a)


def _sign(a):
    """-1, 0 or 1, and 0 at NaN (as torch)."""
    return np.where(np.isnan(a), 0, np.sign(a)).astype(a.dtype, copy=False)


def _sgn(a):
    """The sign in a gradient formula: under create_graph, recorded as torch's sgn."""
    return _sign(a) if isinstance(a, np.ndarray) else Sgn.apply(a)


class Sign(_Unary):
    """sign(a) (0 at NaN) ; da = 0"""

    @staticmethod
    def forward(ctx, a):
        return _sign(a)

    @staticmethod
    def backward(ctx, g):
        return np.zeros_like(g)


class Compared(Function):
    """a.lt_(b) and the like: the comparison's result as 1 and 0 in a's dtype ; da = 0, db = 0"""

    @staticmethod
    def forward(ctx, a, b, result, label):
        ctx.label = label
        ctx.b = (np.shape(b), b.dtype) if isinstance(b, np.ndarray) else None
        return result.astype(a.dtype)

    @staticmethod
    def backward(ctx, g):
        db = np.zeros(*ctx.b) if ctx.needs_input_grad[1] else None
        return np.zeros_like(g), db, None, None


class Sgn(Sign):
    """sign(a) as abs's gradient takes it (torch's sgn), saving a and the result ; da = 0"""

    @staticmethod
    def forward(ctx, a):
        out = _sign(a)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        ctx.saved_tensors  # noqa: B018 (raises if the graph was freed, as torch's SgnBackward0)
        if type(g) is not np.ndarray:  # (under create_graph: ordinary zeros)
            return Sign.backward(ctx, g)
        return zero_grad(g.shape, g.dtype)  # (torch's ZeroTensor: autograd.ZeroGrad)


class Clamp(Function):
    """min(max(a, lo), hi) ; da = g where lo <= a <= hi, dlo = g where a < lo, dhi = g where a > hi"""  # noqa: E501

    elementwise = True

    number_operands = ()

    backward_name = "ClampBackward1"

    @staticmethod
    def forward(ctx, a, lo, hi):
        ctx.save_for_backward(a, lo, hi)
        out = a if lo is None else _ties_as_vectorised(_keeping(np.maximum, a, lo), a, lo)
        return out if hi is None else _ties_as_vectorised(_keeping(np.minimum, out, hi), out, hi)

    @staticmethod
    def backward(ctx, g):
        a, lo, hi = ctx.saved_tensors
        inside = True
        if lo is not None:
            inside = inside & (a >= lo)
        if hi is not None:
            inside = inside & (a <= hi)
        need_a, need_lo, need_hi = ctx.needs_input_grad
        both = lo is not None and hi is not None  # where lo > hi the result is hi, as torch's
        if both:  # (torch's kernel combines each gradient's two masks in place, the second
            # into the first: it must fit there)
            for needed, first, second in ((need_lo, (a, lo), (lo, hi)),
                                          (need_hi, (a, hi), (hi, lo)), (need_a, (a, lo), (a, hi))):
                if not needed:
                    continue
                shape = np.broadcast_shapes(*(tuple(getattr(x, "shape", ())) for x in first))
                combined = np.broadcast_shapes(shape, *(tuple(getattr(x, "shape", ()))
                                                        for x in second))
                if combined != shape:
                    raise RuntimeError(f"output with shape {list(shape)} doesn't match the "
                                       f"broadcast shape {list(combined)}")
        dlo = _zero_where((a < lo) & (lo < hi) if both else a < lo, g, keep=True) if need_lo \
            else None
        dhi = _zero_where((a > hi) | (hi < lo) if both else a > hi, g, keep=True) if need_hi \
            else None
        return _zero_where(inside, g, keep=True), dlo, dhi


class Atan2(Function):
    """atan2(a, b), the angle of the point (b, a) ; da = g b r, db = g (-a) r with r = 1 / (a**2 + b**2), 0 where that is 1 / 0"""  # noqa: E501

    elementwise = True

    @staticmethod
    def forward(ctx, a, b, a_was_bool=False, integers=(None, None)):
        ctx.a_was_bool, ctx.integers = a_was_bool, integers
        ctx.save_for_backward(a, b)
        return arctan2(a, b)

    @staticmethod
    def backward(ctx, g):
        if ctx.a_was_bool and ctx.needs_input_grad[1]:  # (torch's formula negates a)
            raise RuntimeError(BOOL_NEG_ERROR)
        a, b = ctx.saved_tensors
        a_int, b_int = ctx.integers  # (an integer operand as it was: torch's formula squares
        square = lambda x, i: x * x if i is None else (i * i).astype(x.dtype)  # noqa: E731
        squares = square(a, a_int) + square(b, b_int)  # and negates it in its own dtype,
        with np.errstate(divide="ignore"):  # wrapping around: its bug, followed; then 1 /
            recip = 1 / squares  # squares, its infinities masked to 0, so the second
        recip = np.where(np.isinf(recip), 0, recip)  # derivative there is NaN, as torch's)
        negative_a = -a if a_int is None else (-a_int).astype(a.dtype)
        return g * b * recip, g * negative_a * recip, None, None


def _xlogy(x, y):
    """x log(y), 0 where x is 0, NaN where y is NaN (float16 in float32, rounded once)."""
    dtype = np.result_type(x, y)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(x == 0, 0, _widened(np.asarray(x, dtype)) * log(_widened(np.asarray(
            y, dtype))))
        return np.where(np.isnan(y), np.nan, out).astype(dtype, copy=False)


class Xlogy(Function):
    """xlogy(x, y) = x log(y), 0 where x = 0 (NaN where y is NaN) ; dx = xlogy(g, y), 0 where x = 0 and y <= 0, dy = g x / y"""  # noqa: E501

    elementwise = True

    @staticmethod
    def forward(ctx, x, y):
        if not isinstance(x, np.ndarray):  # (torch's overloads with a number)
            ctx.label = "XlogyBackward1"
        elif not isinstance(y, np.ndarray):
            ctx.label = "XlogyBackward2"
        ctx.save_for_backward(x, y)
        return _xlogy(x, y)

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        dx, dy = ctx.needs_input_grad
        with np.errstate(divide="ignore", invalid="ignore"):
            gx = gy = None
            if dx:  # (torch's formula: xlogy of g, masked)
                # (a number y torch compares as not y > 0: a NaN counts as at most 0)
                number = isinstance(y, (int, float, np.generic))
                zero = (x == 0) & ((not y > 0) if number else (y <= 0))
                gx = np.where(zero, 0, _xlogy(g, y)) if isinstance(g, np.ndarray) else \
                    Xlogy.apply(g, y).masked_fill(zero, 0)
            if dy:
                gy = g * x / y
        return gx, gy


class Copysign(Function):
    """copysign(a, b) = |a| with the sign of b ; da = g out / a (0 where a = 0), db = 0"""

    elementwise = True

    @staticmethod
    def forward(ctx, a, b):
        if not isinstance(b, np.ndarray):
            ctx.label = "CopysignBackward1"  # (a number's sign)
        out = np.copysign(a, b)
        # (torch's node keeps the result, and a for a's gradient alone)
        ctx.save_for_backward(a if ctx.needs_input_grad[0] else None, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        da = None
        if ctx.needs_input_grad[0]:
            with np.errstate(invalid="ignore"):  # (inf / inf, NaN / NaN: NaN, as torch's)
                da = g * np.where(a == 0, 0, out / a)
        return da, np.zeros(g.shape, g.dtype) if ctx.needs_input_grad[1] else None


class Hypot(Function):
    """sqrt(a**2 + b**2) ; da = g a / out, db = g b / out"""

    elementwise = True

    @staticmethod
    def forward(ctx, a, b):
        out = np.hypot(a, b)
        da, db = ctx.needs_input_grad
        ctx.save_for_backward(a if da else None, b if db else None, out)  # (as torch's)
        return out

    @staticmethod
    def backward(ctx, g):
        a, b, out = ctx.saved_tensors
        da, db = ctx.needs_input_grad
        return g * a / out if da else None, g * b / out if db else None


class Logaddexp(Function):
    """log(exp(a) + exp(b)) ; da = g / (1 + exp(b - a)), db = g / (1 + exp(a - b))"""

    elementwise = True

    @staticmethod
    def forward(ctx, a, b, one_was_bool=False):
        ctx.one_was_bool = one_was_bool
        ctx.save_for_backward(a, b)
        return np.logaddexp(a, b)

    @staticmethod
    def backward(ctx, g):
        if not any(ctx.needs_input_grad[:2]):  # (a view whose base started to require grad
            return None, None, None  # after it: no gradient computed, as torch's)
        if ctx.one_was_bool:  # (torch's formulas subtract the operands)
            raise RuntimeError(BOOL_SUB_ERROR)
        a, b = ctx.saved_tensors
        return g / (1 + exp(b - a)), g / (1 + exp(a - b)), None


class Lerp(Function):
    """a + w (b - a) ; da = g (1 - w), db = g w, dw = g (b - a)"""

    elementwise = True

    @staticmethod
    def forward(ctx, a, b, w, w_was_bool=False):
        ctx.w_was_bool = w_was_bool
        if isinstance(w, np.ndarray):
            ctx.label = "LerpBackward1"  # (torch's overload with a tensor weight)
            dw = ctx.needs_input_grad[2]  # (a and b where w's gradient reads them; w
            ctx.save_for_backward(a if dw else None, b if dw else None, w)  # always, as torch)
        else:
            ctx.w = w
        return _lerp(a, b, w)

    @staticmethod
    def backward(ctx, g):
        if ctx.w_was_bool and ctx.needs_input_grad[0]:  # (a 0-d bool weight: torch's
            raise RuntimeError(BOOLS_SUB_ERROR)  # formula for a's gradient takes 1 - w)
        if not hasattr(ctx, "w"):
            a, b, w = ctx.saved_tensors
            da, db, dw = ctx.needs_input_grad[:3]
            return (g * (1 - w) if da else None, g * w if db else None,
                    g * (b - a) if dw else None, None)
        return g * (1 - ctx.w), g * ctx.w, None, None


def _lerp(a, b, w):
    """torch's lerp: from the nearer end (a + w (b - a) for |w| < 0.5, else b - (b - a)(1 - w)),
    in float32 for float16, with a fused multiply-add."""
    dtype = np.result_type(a, b)
    opmath = _opmath(dtype)
    x, y, t = a.astype(opmath, copy=False), b.astype(opmath, copy=False), np.asarray(w, opmath)
    diff = y - x
    near = fma(t, diff, x)
    far = fma(-diff, 1 - t, y)
    zero = far == 0
    if zero.any():  # (torch's vectorised loop takes b + (w - 1)(b - a): another zero's sign)
        vectorised = _vectorised(np.empty_like(near, dtype), a, b, w,
                                 block=64 // dtype.itemsize)  # (one AVX-512 vector)
        if vectorised is not None:
            far = np.where(vectorised & zero, fma(t - 1, diff, y), far)
    return np.where(np.abs(t) < 0.5, near, far).astype(dtype, copy=False)


class Maximum(Function):
    """max(a, b) ; da = g where a > b (or NaN), db = g where b > a, g / 2 each where a == b"""

    elementwise = True

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return _ties_as_vectorised(_keeping(np.maximum, a, b), a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        share = np.where(a == b, g / 2, g)
        return np.where(a < b, 0, share), np.where(b < a, 0, share)


class Minimum(Function):
    """min(a, b) ; da = g where a < b (or NaN), db = g where b < a, g / 2 each where a == b"""

    elementwise = True

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return _ties_as_vectorised(_keeping(np.minimum, a, b), a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        share = np.where(a == b, g / 2, g)
        return np.where(a > b, 0, share), np.where(b > a, 0, share)


class NanToNum(Function):
    """a with NaN, inf and -inf replaced by numbers ; da = g where a is finite, else 0"""

    @staticmethod
    def forward(ctx, a, nan, posinf, neginf):
        ctx.save_for_backward(a)
        with quiet_numpy():  # (numpy's function warns from numpy's module of a number that
            # overflows the dtype: see _quiet.py; torch gives inf without a word)
            return _layout.like(np.nan_to_num(a, nan=nan, posinf=posinf, neginf=neginf), a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g * np.isfinite(a), None, None, None


class MaskedFill(Function):
    """a with v where mask ; da = g where not mask, dv = the sum of g where mask"""

    c_order = True

    @staticmethod
    def forward(ctx, a, v, mask):
        if isinstance(v, np.ndarray):
            ctx.label = "MaskedFillBackward1"  # (torch's overload with a tensor value)
        ctx.save_for_backward(None, None, mask)  # (freed by a backward, as torch's)
        return np.where(mask, v, a)

    @staticmethod
    def backward(ctx, g):
        mask = ctx.saved_tensors[2]
        return (np.where(mask, 0, g), np.sum(np.where(mask, g, 0))
                if ctx.needs_input_grad[1] else None, None)


class IndexFill(MaskedFill):
    """a with the slices at index along dim set to v ; da = g outside those slices, dv = the sum of g in them"""  # noqa: E501

    c_order = False  # (torch's keeps a's layout)

    @staticmethod
    def forward(ctx, a, v, dim, index):
        mask = np.zeros(a.shape[dim] if a.ndim else 1, bool)
        mask[index] = True
        mask = mask.reshape((-1,) + (1,) * (a.ndim - 1 - dim)) if a.ndim else mask[0]
        ctx.negative = index[index < 0][:1].tolist()  # (the first negative index, if any)
        ctx.size, ctx.ndim = mask.size, a.ndim
        out = MaskedFill.forward(ctx, a, v, mask)
        if isinstance(v, np.ndarray):
            ctx.label = "IndexFillBackward1"  # (torch's overload with a tensor value)
        return out

    @staticmethod
    def backward(ctx, g):
        if ctx.negative and ctx.needs_input_grad[1]:  # (a bug of torch's, followed: the value's
            # gradient gathers at the indices as given, so a negative one fails)
            if ctx.ndim > 1:
                raise RuntimeError(f"INDICES element is out of DATA bounds, "
                                   f"id={ctx.negative[0]} axis_dim={ctx.size}")
            raise IndexError("index out of range in self")
        return MaskedFill.backward(ctx, g) + (None,)


class Scatter(Function):
    """a with src written (or added) at the places grid (index along dim: out[index[i][j]][j] = src[i][j] for dim 0) ; da = g, 0 at the places written, dsrc = g at its places"""  # noqa: E501

    c_order = True

    @staticmethod
    def forward(ctx, a, src, grid, add):
        ctx.grid, ctx.scalars = grid, (a.ndim == 0, getattr(src, "ndim", None) == 0)
        if isinstance(src, np.ndarray):
            src = _covered(src, grid)
            ctx.label = "ScatterAddBackward0" if add else "ScatterBackward0"
        else:
            ctx.label = "ScatterBackward1"  # (torch's overload with a number)
        da, dsrc = ctx.needs_input_grad[:2]
        ctx.keeps_index = dsrc or da and not add  # (torch's node keeps the index where a
        if ctx.keeps_index:  # gradient needs it: a second backward then finds it freed)
            ctx.save_for_backward(*grid)
        out = _layout.copy(a.reshape(a.shape or (1,)))
        if add:
            np.add.at(out, grid, src)
        else:
            out[grid] = src
            ctx.written = np.zeros(out.shape, bool)
            ctx.written[grid] = True
        return out.reshape(()) if a.ndim == 0 else out

    @staticmethod
    def backward(ctx, g):
        da = dsrc = None
        a_scalar, src_scalar = ctx.scalars
        if a_scalar:
            g = g.reshape(1)
        grid = ctx.saved_tensors if ctx.keeps_index else ctx.grid
        if ctx.needs_input_grad[0]:
            da = g if ctx.label == "ScatterAddBackward0" else np.where(ctx.written, 0, g)
            da = da.reshape(()) if a_scalar else da
        if ctx.needs_input_grad[1]:
            dsrc = g[grid]
            dsrc = dsrc.reshape(()) if src_scalar else dsrc
        return da, dsrc, None, None


def _covered(src, grid):
    """The part of src that the places ``grid`` cover (a 0-d src as 1-d; none, of any shape,
    for an empty index)."""
    covered = np.broadcast(*grid).shape
    if not np.prod(covered):
        return np.empty(covered, src.dtype)
    return src.reshape(src.shape or (1,))[tuple(slice(0, n) for n in covered)]


class IndexAddSlices(Function):
    """a with src (times alpha) added into its slices at index along dim, repeated indices in turn (index_copy: written, the last one kept) ; da = g (index_copy: 0 in the slices written), dsrc = alpha g at index"""  # noqa: E501

    backward_name = "IndexAddBackward0"

    @staticmethod
    def forward(ctx, a, src, dim, index, alpha, copy):
        ctx.args, ctx.shapes = (dim, alpha), (a.shape, src.shape)
        if copy:
            ctx.label = "IndexCopyBackward0"
        ctx.index = index
        if ctx.needs_input_grad[1]:  # (torch's node keeps the index where a gradient needs
            ctx.save_for_backward(index, src)  # it, a second backward then finds it freed; and
        elif copy:  # src where its gradient is needed: changing it in place is then refused)
            ctx.save_for_backward(index)
        place = (slice(None),) * dim + (index,)
        out = np.array(a, order="C")  # (torch's clone, in C order)
        flat, src = out.reshape(a.shape or (1,)), src.reshape(src.shape or (1,))
        if not out.size:  # (nothing to write: torch does not look at the indices)
            return out
        if copy:
            flat[place] = src
        else:
            np.add.at(flat, place, src if alpha == 1 else src * np.asarray(alpha, a.dtype))
        return out

    @staticmethod
    def backward(ctx, g):
        (shape, src_shape), (dim, alpha) = ctx.shapes, ctx.args
        copy, index = ctx.label == "IndexCopyBackward0", ctx.index
        if copy or ctx.needs_input_grad[1]:
            ctx.saved_tensors  # noqa: B018 (raises if the graph was freed, as torch's)
        flat = g.reshape(shape or (1,))
        outside = index[(index < 0) | (index >= flat.shape[dim])]
        if outside.size:  # (an empty input took them: torch's index_select refuses them here)
            raise RuntimeError(f"index {outside[0]} is out of range for dim {dim} of size "
                               f"{flat.shape[dim]} in the backward of {ctx.label}")
        picked = flat[(slice(None),) * dim + (index,)]
        da = dsrc = None
        if ctx.needs_input_grad[0]:  # (index_copy's: g with the written slices zeroed)
            da = g
            if copy and isinstance(g, np.ndarray):
                da = np.array(flat)
                da[(slice(None),) * dim + (index,)] = 0
                da = da.reshape(shape)
            elif copy:  # (under create_graph)
                zeros = np.zeros(picked.shape, picked.dtype)
                da = IndexAddSlices.apply(g, zeros, dim, index, None, True)
        if ctx.needs_input_grad[1]:
            dsrc = (picked if copy or alpha == 1 else picked * alpha).reshape(src_shape)
        return da, dsrc, None, None, None, None


class Embedding(Function):
    """weight's rows at index (F.embedding) ; dweight = g's rows added at index in turn, none at padding_idx (each divided by its index's count with scale_grad_by_freq)"""  # noqa: E501

    @staticmethod
    def forward(ctx, weight, index, padding_idx, scale_grad_by_freq):
        ctx.save_for_backward(index.reshape(-1))  # (freed by a backward, as torch's)
        ctx.args = (weight.shape, padding_idx, scale_grad_by_freq)
        return np.ascontiguousarray(weight[index])

    @staticmethod
    def backward(ctx, g):
        (index,) = ctx.saved_tensors
        args = (getattr(index, "_data", index),) + ctx.args  # (a tensor under create_graph)
        if isinstance(g, np.ndarray):
            return _embedding_grad(g, *args), None, None, None
        return EmbeddingDenseBackward.apply(g, *args), None, None, None  # (create_graph)


def _embedding_grad(g, index, shape, padding_idx, scale):
    """Embedding's gradient of weight from g (an array)."""
    rows = g.reshape(index.size, shape[1])  # (-1 cannot be read from 0 columns)
    if padding_idx is not None:
        keep = index != padding_idx
        rows, index = rows[keep], index[keep]
    if scale:
        counts = np.bincount(index, minlength=shape[0])
        rows = rows / counts[index][:, None].astype(g.dtype)
    out = np.zeros(shape, g.dtype)
    np.add.at(out, index, rows)
    return out


class EmbeddingDenseBackward(Function):
    """Embedding's gradient under create_graph: g's rows added at index into zeros of weight's shape ; dg = gg's rows at index, 0 at padding_idx (not divided by the counts with scale_grad_by_freq: torch's formula)"""  # noqa: E501

    @staticmethod
    def forward(ctx, g, index, shape, padding_idx, scale):
        ctx.args = (g.shape, index, padding_idx)
        return _embedding_grad(g, index, shape, padding_idx, scale)

    @staticmethod
    def backward(ctx, gg):
        shape, index, padding_idx = ctx.args
        rows = gg[index]
        if padding_idx is not None:
            rows = rows * (index != padding_idx)[:, None].astype(rows.dtype)
        return rows.reshape(shape), None, None, None, None


def layer_norm_checks(a, shape, w, b):
    """torch's checks of layer_norm's arrays (``shape``: normalized_shape, a list), in its
    order; its backward checks them again as they are then (a .data replaced since)."""
    for name, t in (("weight", w), ("bias", b)):
        if t is not None and list(t.shape) != shape:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but "
                               f"got {name} of shape {list(t.shape)} and normalized_shape = "
                               f"{shape}")
    size = list(a.shape)
    if size[len(size) - len(shape):] != shape or len(shape) > len(size):
        raise RuntimeError(f"Given normalized_shape={shape}, expected input with shape "
                           f"[*, {', '.join(map(str, shape))}], but got input of size{size}")
    parameter_dtypes(a.dtype, [t.dtype for t in (w, b) if t is not None], "LayerNormKernelImpl")


def parameter_dtypes(kind, dtypes, kernel):
    """torch's checks of a normalisation's parameters' dtypes against the input's (``kind``):
    all the input's, or (mixed: the first one given is not) all float32 with a float16 input;
    the input's own dtype checked in between (``kernel`` names the kernel that refuses it)."""
    if dtypes and dtypes[0] != kind:
        if any(d != np.float32 for d in dtypes):
            raise RuntimeError("mixed dtype (CPU): expect parameter to have scalar type of Float")
        if kind != np.float16:
            raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")
        return
    if kind.kind != "f":
        raise NotImplementedError(f'"{kernel}" not implemented for '
                                  f"'{TORCH_TYPE_NAMES[kind.name]}'")
    for d in dtypes:
        if d != kind:
            raise RuntimeError(f"expected scalar type {TORCH_TYPE_NAMES[kind.name]} but "
                               f"found {TORCH_TYPE_NAMES[d.name]}")


class NativeLayerNorm(Function):
    """(a - mean) rstd w + b over a's last dims (N elements), rstd = 1 / sqrt(var + eps), var biased (F.layer_norm) ; da = rstd gw + p a + q with gw = g w, p = (mean sum(gw) - sum(gw a)) rstd³ / N, q = -p mean - rstd sum(gw) / N (torch's formula, mean and rstd kept from the forward); dw = the sum of g (a - mean) rstd, db = the sum of g over the other dims"""  # noqa: E501

    @staticmethod
    def forward(ctx, a, w, b, dims, eps):
        ctx.shape, ctx.eps = list(a.shape[a.ndim - dims:]), eps
        ctx.mixed = next((p.dtype != a.dtype for p in (w, b) if p is not None), False)
        ctx.save_for_backward(a, w, b)  # (b too, as torch's: checked again at backward)
        x = _widened(a)  # (float16 in float32, as torch's)
        mean, rstd = _moments(x, tuple(range(a.ndim - dims, a.ndim)), eps)
        ctx.stats = mean, rstd  # (torch's saved mean and rstd: backward reads a as it is then)
        if b is not None and a.dtype != np.float16:  # (torch's kernel fuses the last product
            out = fma(x - mean, rstd, b) if w is None else fma((x - mean) * rstd, w, b)  # and b)
        else:  # (torch's kernel adds b, 0 where not given: -0 becomes +0)
            out = (x - mean) * rstd
            out = (out if w is None else out * w) + (0.0 if b is None else b)
        return np.ascontiguousarray(out, a.dtype)  # (in C order, as torch's, whatever a's)

    @staticmethod
    def backward(ctx, g):
        a, w, b = ctx.saved_tensors  # (as torch's backward, checked as they are now)
        arrays = [getattr(t, "_data", t) for t in (a, w, b)]  # (tensors, under create_graph)
        layer_norm_checks(arrays[0], ctx.shape, *arrays[1:])
        lead = tuple(range(a.ndim - len(ctx.shape)))
        axes = tuple(range(len(lead), a.ndim))
        x, g = _widened(a), _widened(g)
        if a.dtype == np.float16 and not isinstance(a, np.ndarray):  # (under create_graph, in
            x, g = a.float(), g.float()  # float32 too, as torch's kernel)
        # (under create_graph, functions of the input: their own gradients count)
        mean, rstd = ctx.stats if isinstance(x, np.ndarray) else _moments(x, axes, ctx.eps)
        if a.dtype == np.float16 and not ctx.mixed:  # (torch saves them in a's dtype; with
            # float32 parameters, in float32)
            mean, rstd = (v.astype(np.float16).astype(np.float32) if isinstance(v, np.ndarray)
                          else v.half().float() for v in (mean, rstd))
        da = dw = db = None
        n = math.prod(a.shape[d] for d in axes)
        exact = isinstance(x, np.ndarray) and x.dtype == a.dtype and x.size  # (torch's steps)
        if ctx.needs_input_grad[0] and exact:
            da = _layer_norm_grad(g, x, w, mean, rstd, n)
        elif ctx.needs_input_grad[0]:
            gw = g if w is None else g * w
            sum_gw = np.sum(gw, axis=axes, keepdims=True)
            p = (sum_gw * mean - np.sum(gw * x, axis=axes, keepdims=True)) * rstd ** 3 / n
            da = rstd * gw + p * x + (-p * mean - sum_gw * rstd / n)
        if ctx.needs_input_grad[1] and exact:
            dw = np.sum(g * fma(rstd, x, -rstd * mean), axis=lead)  # (torch's: rstd x + b)
        elif ctx.needs_input_grad[1]:
            dw = np.sum(g * ((x - mean) * rstd), axis=lead)
        if ctx.needs_input_grad[2]:
            db = np.sum(g, axis=lead)
        return da, dw, db, None, None


def _layer_norm_grad(g, x, w, mean, rstd, n):
    """layer_norm's input gradient as torch's CPU kernel computes it, row by row (n elements):
    ds = the sum of g x w and db = the sum of g w (_reduce_all), b = (db mean - ds) rstd³ / n
    and c = -b mean - db rstd / n, then rstd g w + b x + c, fused as its compiler fuses them.
    Rows of nearly equal values magnify the rounding of b x + c: this gives torch's bits."""
    dtype = x.dtype.type
    rows, dy = x.reshape(-1, n), np.broadcast_to(g, x.shape).reshape(-1, n)
    gamma = 1 if w is None else w.reshape(n)  # (torch's: no product by it where not given)
    a, m = rstd.reshape(-1, 1), mean.reshape(-1, 1)
    ds = _reduce_all(dy * rows * gamma)
    db = _reduce_all(dy * gamma)
    scale = dtype(1) / dtype(n)
    b = fma(db, m, -ds) * a * a * a * scale
    c = fma(-b, m, -(db * a * scale))
    return (fma(b, rows, a * dy * gamma) + c).reshape(x.shape)


def _reduce_all(rows):
    """Each row's sum as torch's vec::reduce_all adds it (AVX2): into a vector of 32 bytes, the
    tail into its first lanes, then its lanes (float32: halves, quarters, pairs; float64 one by
    one), or, for a row shorter than a vector, element by element. Shape (rows, 1)."""
    width = 32 // rows.itemsize
    if rows.shape[1] < width:
        return in_order(rows.T)[:, None]
    acc = _lanes(rows, width)
    return _in_halves(acc) if rows.dtype == np.float32 else in_order(acc.T)[:, None]


def _moments(x, axes, eps):
    """x's mean over axes (its last dims) and 1 / sqrt(its biased variance + eps) (NaN for no
    element), as torch's kernel computes them (_welford: the same bits, where two passes
    differed in about half the rows, and by far more than rounding in rows of nearly equal
    values); a tensor (under create_graph) by two passes, which it differentiates."""
    n = math.prod(x.shape[d] for d in axes)
    with quiet_numpy():
        if isinstance(x, np.ndarray) and x.size:
            shape = x.shape[:x.ndim - len(axes)] + (1,) * len(axes)
            mean, var = (v.reshape(shape) for v in _welford(x.reshape(-1, n)))
        else:
            mean = _corrected_mean(x, axes, n)
            centred = x - mean
            var = np.sum(centred * centred, axis=axes, keepdims=True) / n
        return mean, 1 / np.sqrt(np.maximum(var, 0) + eps)


def _welford(rows):
    """Each row's mean and biased variance as torch's CPU kernel computes them (RowwiseMoments,
    its AVX2 build): Welford's updates in vectors of 32 bytes, in chunks of 16 vectors merged
    pairwise, then the elements left over one by one, and the vector's lanes merged into
    them; its compiler fuses products and sums in the vector loop and the merges. Where a
    square overflows, a merge gives inf, or NaN (inf x 0) where it merges a lane into an empty
    total (its vector merges skip that) or adds an empty lane."""
    dtype, (count, size) = rows.dtype.type, rows.shape
    width = 32 // rows.itemsize
    vectors = size // width
    chunks = -(-vectors // 16)
    depth = 1 if chunks <= 2 else (chunks - 1).bit_length()
    zero = np.zeros((count, width), rows.dtype)

    def merge(into, n, m1, m2, vector=True):
        n0, mean, m2_total = into
        if vector and (n0 == 0 or n == 0):
            return into if n == 0 else (n, m1, m2)
        c = dtype(n / (n0 + n)) if n0 + n else dtype(0)
        delta = m1 - mean
        if vector:  # (as its compiler fused the vectors' merge: measured, 99.8 % bit-equal)
            return n0 + n, mean + c * delta, fma(delta, delta * c * dtype(n0), m2_total + m2)
        return n0 + n, fma(c, delta, mean), m2_total + fma(delta * delta * c, dtype(n0), m2)

    stack = [(0, zero, zero)] * depth
    for i in range(chunks):
        m1 = m2 = zero
        for j in range(min(16, vectors - 16 * i)):
            x = rows[:, (16 * i + j) * width:(16 * i + j + 1) * width]
            delta = x - m1
            m1 = fma(delta, dtype(1) / dtype(j + 1), m1)
            m2 = fma(delta, x - m1, m2)
        stack[0] = merge(stack[0], min(16, vectors - 16 * i), m1, m2)
        level, done = 1, i + 1
        while level < depth and not done & 1:  # (pairwise: a full level into the next)
            stack[level], stack[level - 1] = merge(stack[level], *stack[level - 1]), \
                (0, zero, zero)
            level, done = level + 1, done >> 1
    for level in range(1, depth):
        stack[0] = merge(stack[0], *stack[level])
    total = 0, np.zeros(count, rows.dtype), np.zeros(count, rows.dtype)
    for k in range(vectors * width, size):
        n, mean, m2 = total
        delta = rows[:, k] - mean
        mean = mean + delta / dtype(n + 1)
        total = n + 1, mean, m2 + delta * (rows[:, k] - mean)
    for lane in range(width):
        total = merge(total, vectors, stack[0][1][:, lane], stack[0][2][:, lane], False)
    return total[1], total[2] / dtype(size)


def _corrected_mean(x, axes, n):
    """x's mean over axes, the rounding of sum / n corrected by a second pass (as torch's
    Welford sums, a row of equal values has exactly that value as its mean, and so normalises
    to exact zeros)."""
    mean = np.sum(x, axis=axes, keepdims=True) / n
    return mean + np.sum(x - mean, axis=axes, keepdims=True) / n


class NativeBatchNorm(Function):
    """(a - mean) invstd w + b per channel (dim 1), mean and invstd = 1 / sqrt(var + eps) over the other dims (the batch's, var biased, kept from the forward; or the running ones, read at backward) (F.batch_norm) ; da = (g - sum(g) / N - (a - mean) sum(g (a - mean)) invstd² / N) invstd w from the batch's (g invstd w from running ones), dw = the sum of g (a - mean) invstd, db = the sum of g per channel"""  # noqa: E501

    @staticmethod
    def forward(ctx, a, w, b, running_mean, running_var, training, eps):
        # (torch's node keeps the running statistics: changing them in place is refused)
        ctx.save_for_backward(a, w, running_mean, running_var)
        x = _widened(a)  # (float16 in float32, as torch's)
        ctx.eps = eps
        # (float16 with no float32 parameter: torch keeps the statistics in float16)
        half = a.dtype == np.float16 and all(v is None or v.dtype == np.float16 for v in (
            w, b, running_mean, running_var))
        kept = (lambda v: v.astype(np.float16).astype(np.float32)) if half else (lambda v: v)
        if training:
            mean, invstd = _batch_stats(x, eps)
            ctx.stats = mean, invstd = kept(mean), kept(invstd)  # (torch's save_mean, ...)
        else:
            ctx.stats = None
            mean, invstd = _running_moments(running_mean, running_var, eps, a.ndim)
            invstd = kept(invstd)
        w, b = (None if v is None else _per_channel(v, a.ndim) for v in (w, b))
        with quiet_numpy():
            if a.flags.c_contiguous:  # torch's kernel for a contiguous input: x alpha + beta
                alpha = invstd if w is None else invstd * w  # (fused multiply-adds)
                out = fma(x, alpha, fma(-mean, alpha, 0 if b is None else b))
            else:  # (its loop over any other layout)
                out = (x - mean) * invstd
                out = out if w is None else out * w
                out = out if b is None else out + b
        return out.astype(a.dtype)

    @staticmethod
    def backward(ctx, g):
        a, w, running_mean, running_var = ctx.saved_tensors
        x, g = _widened(a), _widened(g)
        if ctx.stats is None:
            mean, invstd = _running_moments(running_mean, running_var, ctx.eps, a.ndim)
        else:  # (under create_graph, functions of the input: their own gradients count)
            mean, invstd = ctx.stats if isinstance(x, np.ndarray) else _batch_stats(x, ctx.eps)
        axes = (0,) + tuple(range(2, a.ndim))
        scale = invstd if w is None else invstd * _per_channel(w, a.ndim)
        da = dw = db = None
        if ctx.needs_input_grad[0]:
            if ctx.stats is not None:
                n = math.prod(a.shape) // a.shape[1]
                centred = x - mean
                k = np.sum(g * centred, axis=axes, keepdims=True) * invstd * invstd / n
                da = (g - np.sum(g, axis=axes, keepdims=True) / n - centred * k) * scale
            else:
                da = g * scale
        if ctx.needs_input_grad[1]:
            dw = np.sum(g * ((x - mean) * invstd), axis=axes)
        if ctx.needs_input_grad[2]:
            db = np.sum(g, axis=axes)
        return da, dw, db, None, None, None, None


def _per_channel(v, ndim):
    """A per-channel vector shaped to broadcast along dim 1 of ``ndim`` dims."""
    return v.reshape((1, -1) + (1,) * (ndim - 2))


def _batch_stats(x, eps):
    """The batch's mean and invstd per channel of x."""
    mean, var_sum = batch_moments(x)
    with quiet_numpy():
        invstd = 1 / np.sqrt(var_sum / (math.prod(x.shape) // x.shape[1]) + eps)
        return mean, invstd.astype(x.dtype) if isinstance(x, np.ndarray) else invstd


def _running_moments(running_mean, running_var, eps, ndim):
    """The mean and invstd per channel from the running mean and variance."""
    with quiet_numpy():
        return (_per_channel(running_mean, ndim),
                1 / np.sqrt(_per_channel(running_var, ndim) + eps))


def batch_moments(x):
    """x's mean per channel (dim 1) over the other dims, and the sum of squared deviations,
    as torch's kernel computes them for float32: for a contiguous x, both summed in float64
    (the mean then rounded to x's dtype, the squared deviations taken in it); for another
    layout, the mean as torch's mean (add_reduce) and the deviations in float64."""
    axes, n = (0,) + tuple(range(2, x.ndim)), math.prod(x.shape) // x.shape[1]
    with quiet_numpy():
        if not isinstance(x, np.ndarray) or x.dtype != np.float32:  # (a tensor under
            mean = np.sum(x, axis=axes, keepdims=True) / n  # create_graph: recorded ops)
            centred = x - mean
        elif x.flags.c_contiguous:
            mean = (np.sum(x, axis=axes, keepdims=True, dtype=np.float64) / n).astype(x.dtype)
            centred = x - mean
            return mean, np.sum(centred * centred, axis=axes, keepdims=True, dtype=np.float64)
        else:
            mean = add_reduce(x, axes, keepdims=True) / np.float32(n)
            centred = x.astype(np.float64) - mean
        return mean, np.sum(centred * centred, axis=axes, keepdims=True)


class ScatterReduce(Function):
    """a with src (or a number) added ('add') or multiplied ('multiply') in at the places grid, torch's deprecated scatter(reduce=) ; torch has no derivative for it: its backward raises"""  # noqa: E501

    derivative = False

    c_order = True

    backward_name = "NotImplemented"

    @staticmethod
    def forward(ctx, a, src, grid, reduce):
        out = _layout.copy(a.reshape(a.shape or (1,)))
        ufunc = np.add if reduce == "add" else np.multiply
        ufunc.at(out, grid, _covered(src, grid) if isinstance(src, np.ndarray) else src)
        return out.reshape(()) if a.ndim == 0 else out

    @staticmethod
    def backward(ctx, g):
        raise RuntimeError("derivative for aten::scatter is not implemented")


class Where(Function):
    """cond ? a : b ; da = g where cond, db = g where not cond"""

    elementwise = True

    number_operands = (1, 2)
    numbers_as_tensors = (1, 2)  # (where(c, x, 2.0): torch's where.ScalarOther)

    @staticmethod
    def forward(ctx, cond, a, b):
        ctx.save_for_backward(cond)
        return np.where(cond, a, b)

    @staticmethod
    def backward(ctx, g):
        (cond,) = ctx.saved_tensors
        da, db = ctx.needs_input_grad[1:]
        return (None, _zero_where(cond, g, keep=True) if da else None,
                _zero_where(cond, g) if db else None)


# ----------------------------------------------------------------------------- reductions


def _wrap_dim(dim, ndim):
    """dim as a dim of ``ndim`` dims, from 0 (a 0-d tensor takes 0 and -1), or torch's error."""
    if isinstance(dim, (bool, np.bool_)):  # (an int in Python, refused by torch's parser)
        raise TypeError("argument 'dim' must be int, not bool")
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], "
                         f"but got {dim})")
    return dim % n


def _broadcast_shape(a, b):
    """The shape shapes a and b broadcast to, or torch's error naming the first dim (from the
    right) where they cannot."""
    for d in range(1, min(len(a), len(b)) + 1):
        if a[-d] != b[-d] and 1 not in (a[-d], b[-d]):
            raise RuntimeError(f"The size of tensor a ({a[-d]}) must match the size of tensor b "
                               f"({b[-d]}) at non-singleton dimension {max(len(a), len(b)) - d}")
    return np.broadcast_shapes(a, b)


def _count(shape, dim):
    """How many elements a reduction over ``dim`` (None, an int or a tuple) combines."""
    if dim is None:
        return int(np.prod(shape))
    return int(np.prod([shape[d] for d in np.atleast_1d(dim)]))


def _mean(a, axis, keepdims=False, dtype=None):
    """torch's mean: the sum in torch's order over the count (float16's in float32), without
    numpy's warnings (a mean of nothing, or of inf and -inf, is NaN, as torch's, silently)."""
    if dtype is not None:  # (a tensor, under create_graph, is never given one)
        return _mean(a.astype(dtype, copy=False), axis, keepdims)
    if not isinstance(a, np.ndarray):  # (a tensor, under create_graph: tinyad's mean)
        return np.mean(a, axis=axis, keepdims=keepdims)
    if a.dtype == np.float16:  # (torch's: the sum and the division in float32)
        return _mean(to_float32(a), axis, keepdims).astype(a.dtype)
    with quiet_numpy():  # (the mean of nothing is NaN, silently: 0 / 0)
        return add_reduce(a, axis, keepdims) / _count(a.shape, axis)


def _var(a, axis, ddof, keepdims, dtype):
    """np.var without numpy's warnings, as _mean; where ``ddof`` leaves no degrees of freedom,
    the sum of squares over 0 (inf, NaN where it is 0), as numpy's and torch's values are
    (torch's warning is Tensor._spread's). Where a float32 or float64 ``a`` reduces to one
    value, torch's two passes: the mean in a's dtype (a float32 sum can overflow to inf, and
    the variance with it), then the squares about it in float64."""
    with quiet_numpy():
        if a.dtype in (np.float32, np.float64) and a.size and a.size == _count(a.shape, axis):
            centred = a.astype(np.float64) - _mean(a, None, keepdims=False)
            return np.sum(centred * centred, axis, keepdims=keepdims) / max(0, a.size - ddof)
        if a.dtype.kind == "f" and a.size and axis is not None and \
                _count(a.shape, axis) <= _WELFORD_TERMS:
            return _welford_var(a, axis, ddof, keepdims)
        if _count(a.shape, axis) > ddof:
            return np.var(a, axis=axis, ddof=ddof, keepdims=keepdims, dtype=dtype)
        centred = a - _mean(a, axis, keepdims=True, dtype=dtype)
        return np.sum(centred * centred, axis=axis, keepdims=keepdims, dtype=dtype) / 0


_WELFORD_TERMS = 1024  # (beyond, two passes in float64: a Python loop over each term is slow)


def _welford_var(a, axis, ddof, keepdims):
    """a's variance over ``axis`` as torch's CPU kernel computes it where it reduces to several
    values: Welford's running mean and sum of squared deviations in float64, term by term in
    order, over max(n - ddof, 0)."""
    axes = [d % a.ndim for d in np.atleast_1d(axis)]
    rest = [d for d in range(a.ndim) if d not in axes]
    x = np.transpose(a, rest + axes).reshape(*(a.shape[d] for d in rest), -1)
    mean, m2 = np.zeros(x.shape[:-1]), np.zeros(x.shape[:-1])
    for k in range(x.shape[-1]):
        term = x[..., k].astype(np.float64)
        delta = term - mean
        mean = mean + delta / (k + 1)
        m2 = m2 + delta * (term - mean)
    out = m2 / max(0, x.shape[-1] - ddof)
    return np.expand_dims(out, tuple(sorted(axes))) if keepdims else out


def _expand(g, shape, dim, keepdim):
    """Broadcast a reduced gradient back over the reduced axes of ``shape`` (with torch's
    strides: a leaf's .grad keeps a gradient only where they fit its layout)."""
    if dim is not None and not keepdim:
        if isinstance(g, np.ndarray):
            for d in sorted(d % len(shape) for d in (dim if type(dim) is tuple else (dim,))):
                g = _unsqueezed(g, d)
        else:
            g = np.expand_dims(g, dim)
    if isinstance(g, np.ndarray) and not g.ndim and not shape:
        return g.view()  # (a 0-d sum's: torch's expand of nothing, a writable view of g)
    return _expanded(g, shape) if isinstance(g, np.ndarray) and g.ndim else \
        np.broadcast_to(g, shape)


def _expanded(a, shape):
    """np.broadcast_to(a, shape) with the strides of torch's expand (numpy gives every size-1
    dim stride 0)."""
    return _restrided(np.broadcast_to(a, shape), _layout.expanded_strides(a, shape))


def _unreduce(g, dim, keepdim):
    """A reduced gradient with the reduced axes put back (size 1), ready to broadcast."""
    return np.expand_dims(g, dim) if dim is not None and not keepdim else g


class Sum(Function):
    """sum(a, dim) ; da = g broadcast back over dim"""

    grad_is_view = True

    c_order = True

    @staticmethod
    def forward(ctx, a, dim, keepdim):
        ctx.shape, ctx.dim, ctx.keepdim = a.shape, dim, keepdim
        if dim is not None:
            ctx.label = "SumBackward1"
        return add_reduce(a, dim, keepdim)

    @staticmethod
    def backward(ctx, g):
        return _expand(g, ctx.shape, ctx.dim, ctx.keepdim), None, None


class Mean(Function):
    """mean(a, dim) = sum(a, dim) / n ; da = g broadcast back over dim, / n"""

    c_order = True

    @staticmethod
    def forward(ctx, a, dim, keepdim):
        ctx.shape, ctx.dim, ctx.keepdim = a.shape, dim, keepdim
        ctx.n = _count(a.shape, dim)
        if dim is not None:
            ctx.label = "MeanBackward1"
        return _mean(a, dim, keepdim)

    @staticmethod
    def backward(ctx, g):
        return _expand(g, ctx.shape, ctx.dim, ctx.keepdim) / ctx.n, None, None


def _accumulated(a):
    """The dtype torch's CPU reductions of float16 and float32 add up in (float64 here: the
    squares of float32 values above 1e19 overflow float32, torch's var does not)."""
    return np.float64 if a.dtype.kind == "f" and a.dtype.itemsize < 8 else None


class Var(Function):
    """var(a, dim) = sum((a - mean)**2) / (n - c) ; da = (2 / (n - c)) g (a - mean)"""

    c_order = True

    @staticmethod
    def forward(ctx, a, dim, correction, keepdim):
        ctx.dim, ctx.correction, ctx.keepdim = dim, correction, keepdim
        ctx.save_for_backward(a)
        return _var(a, None if dim == () else dim, correction, keepdim,
                    _accumulated(a)).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return _var_backward(g, a, ctx.dim, ctx.correction, ctx.keepdim), None, None, None


class Std(Function):
    """s = sqrt(var(a, dim)) ; da = (2 / (n - c)) (g / 2s) (a - mean)   (g / 2s is 0 where s = 0, as torch)"""  # noqa: E501

    c_order = True

    @staticmethod
    def forward(ctx, a, dim, correction, keepdim):
        ctx.dim, ctx.correction, ctx.keepdim = dim, correction, keepdim
        out = np.sqrt(_var(a, None if dim == () else dim, correction, keepdim,
                           _accumulated(a))).astype(a.dtype, copy=False)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):
            # torch's order: the NaN of g / 2s where s = 0 is filled before it meets a - mean
            # (so the second derivative there is 0, not NaN)
            grad_var = np.where(out == 0, 0, g / (out * 2))
        return _var_backward(grad_var, a, ctx.dim, ctx.correction, ctx.keepdim), None, None, None


def _var_backward(g, a, dim, correction, keepdim):
    """torch's var_backward, in its order: (2 / (n - c)) g (a - mean), n counted from a as it
    is now (a saved input whose .data took another shape since counts its new elements; the
    forward divides by at least 0, torch's backward by n - c itself, negative or 0 too); over
    all of a, n - c <= 0 gives NaN where a equals its mean and inf elsewhere. Over every dim
    given as ``dim=()``, torch's backward counts n = 1 (the size of no dims; its bug,
    followed)."""
    every = dim == ()
    axis = None if every else dim
    for d in () if dim is None else np.atleast_1d(dim):  # (torch's error where a has fewer
        _wrap_dim(int(d), a.ndim)  # dims now)
    mean = _mean(a, axis, keepdims=True)
    dof = (1 if every else _count(a.shape, dim)) - correction
    if dof <= 0 and (dim is None or a.ndim == 0):  # (where a equals its mean: an infinite
        return g * np.where(a == mean, np.nan, np.inf)  # a alone, or all of a, is NaN too)
    centred = a - mean
    with np.errstate(invalid="ignore", divide="ignore"):
        return _weak(_times(_unreduce(g, axis, keepdim), 2 / dof if dof else math.inf),
                     centred) * centred


def _inner_product(x):
    """The products along x's last dim as torch's vectorised reduction multiplies them: four
    AVX2 vectors of running products (8 float32 each), a vector at a time, multiplied
    together in pairs, then their lanes in turn, then the leftover elements one by one."""
    lanes = 32 // x.itemsize
    n, block = x.shape[-1], 4 * lanes
    full = n - n % block
    out = np.ones(x.shape[:-1], x.dtype)
    if full:
        vectors = x[..., :full].reshape(*x.shape[:-1], full // block, 4, lanes)
        acc = np.multiply.reduce(np.moveaxis(vectors, -3, 0).copy(), axis=0)  # (in order)
        acc = (acc[..., 0, :] * acc[..., 1, :]) * (acc[..., 2, :] * acc[..., 3, :])
        out = np.multiply.accumulate(acc, axis=-1)[..., -1]
    for k in range(full, n):
        out = out * x[..., k]
    return out


class Prod(Function):
    """prod(a, dim) ; da = g * (out / a) if no element of a is 0 (as torch: NaN at inf), else g * the product of the others (0 for a whole product with two zeros, but for create_graph)"""  # noqa: E501

    grad_is_view = True  # (its only view: g itself, where one element is multiplied)

    c_order = True

    @staticmethod
    def forward(ctx, a, dim, keepdim):
        ctx.dim, ctx.keepdim = dim, keepdim
        if dim is not None:
            ctx.label = "ProdBackward1"  # (torch's overload with a dim)
        if a.dtype.kind == "f" and a.size and (a.flags.c_contiguous if dim is None else (
                a.ndim and dim % a.ndim == a.ndim - 1 and a.strides[-1] == a.itemsize)):
            out = _inner_product(a.reshape(-1) if dim is None else a)
            out = out.reshape((1,) * a.ndim) if dim is None and keepdim else \
                np.expand_dims(out, -1) if keepdim else out
        else:
            out = np.multiply.reduce(a, axis=dim, keepdims=keepdim, dtype=np.int64 if
                                     a.dtype.kind in "bu" else None)  # (as Sum's)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        if a.ndim == 0:
            return g, None, None
        dim = ctx.dim
        if dim is not None:  # (as given, wrapped as torch's against a's dims now, which .data
            dim = _wrap_dim(dim, a.ndim)  # may have changed, and g's)
            if not ctx.keepdim:
                _wrap_dim(dim, g.ndim + 1)
        zeros = (a == 0).sum()
        if zeros > 1 and dim is None and isinstance(a, np.ndarray):  # (torch's: then each
            return np.zeros(a.shape, a.dtype), None, None  # product of the others is 0; not so
        # under create_graph, where torch's formula is the products of the others, NaN at inf)
        g = _unreduce(g, dim, ctx.keepdim)
        if zeros and (a.size if dim is None else a.shape[dim]) == 1:  # (torch's: g itself, or
            # a view of it: no other element multiplies)
            return g if g.shape == a.shape else np.reshape(g, a.shape), None, None
        if zeros:  # (over all of a: on a flat, viewed back as a, as torch's: ViewBackward0)
            grad = g * _others_product(a, dim)
            return grad.reshape(a.shape) if dim is None else grad, None, None
        with np.errstate(invalid="ignore"):
            return g * (_unreduce(out, dim, ctx.keepdim) / a), None, None


def _others_product(a, dim):
    """For each element of ``a``, the product of the others along ``dim`` (of all, for None:
    flat)."""
    x = a.reshape(-1) if dim is None else a
    axis = 0 if dim is None else dim % x.ndim
    if isinstance(x, np.ndarray):  # the products before it times those after it
        x = np.moveaxis(x, axis, -1)
        ones = np.ones(x.shape[:-1] + (1,), dtype=x.dtype)
        before = np.cumprod(np.concatenate([ones, x[..., :-1]], axis=-1), axis=-1)
        after = np.cumprod(np.concatenate([ones, x[..., :0:-1]], axis=-1), axis=-1)[..., ::-1]
        others = np.moveaxis(before * after, -1, axis)
    elif x.shape[axis] == 1:  # no other element: 1, a constant (as torch's cumulative products)
        return np.ones(a.shape, a.dtype)
    else:  # on tensors (create_graph), differentiable, in torch's steps (and so its NaNs)
        from .tensor import cat
        n = x.shape[axis]
        ones = x.new_ones(x.shape[:axis] + (1,) + x.shape[axis + 1:])
        before = cat([ones, x.narrow(axis, 0, n - 1)], axis).cumprod(axis)
        after = cat([ones, x.narrow(axis, 1, n - 1).flip(axis)], axis).cumprod(axis).flip(axis)
        others = before * after
    return others


def _norm_along_last(x):
    """The 2-norms along x's contiguous last dim as torch's vectorised kernel computes them:
    the squares added into one AVX2 vector of running sums (8 float32, 4 float64), its lanes
    added in turn, the leftover squares added fused (one rounding each), then the root."""
    lanes = 32 // x.itemsize
    n = x.shape[-1]
    full = n - n % lanes
    total = np.zeros(x.shape[:-1], x.dtype)
    with np.errstate(over="ignore", invalid="ignore"):
        if full:
            squares = np.square(x[..., :full].reshape(*x.shape[:-1], full // lanes, lanes))
            acc = np.add.reduce(np.moveaxis(squares, -2, 0).copy(), axis=0)  # (in order)
            total = np.add.accumulate(acc, axis=-1)[..., -1]
        for k in range(full, n):
            total = fma(x[..., k], x[..., k], total)
        return np.sqrt(total)


class Norm(Function):
    """n = (sum |a|**p)**(1/p) over dim ; da = sign(a) |a|**(p-1) g / n**(p-1)   (0 where n = 0)"""

    c_order = True

    backward_name = "LinalgVectorNormBackward0"

    @staticmethod
    def forward(ctx, a, p, dim, keepdim):
        ctx.p, ctx.dim, ctx.keepdim = p, dim, keepdim
        size = np.abs(_widened(a))  # (float16 in float32, rounded once, as torch's)
        if p == np.inf or p == -np.inf:
            out = (np.max if p > 0 else np.min)(size, axis=dim, keepdims=keepdim)
        elif p == 0 or p != p and not a.size:  # (a NaN p of no element: torch's empty sum)
            out = np.sum(a != 0, axis=dim, keepdims=keepdim).astype(a.dtype)
        elif _count(a.shape, dim) == 1 and (a.ndim or dim is None):  # one element: |a| (as
            # torch: nothing underflows; but for a 0-d a with a dim, which torch reduces)
            out = np.sum(size, axis=dim, keepdims=keepdim)
        elif p == 2 and a.dtype.char in "fd" and (a.flags.c_contiguous if dim is None else (
                np.ndim(dim) == 0 and dim % a.ndim == a.ndim - 1 and a.strides[-1] == a.itemsize)):
            out = _norm_along_last(a.reshape(-1) if dim is None else a)
            out = out.reshape((1,) * a.ndim) if keepdim and dim is None else \
                np.expand_dims(out, -1) if keepdim else out
        else:  # not scaled, as torch's: |a|**p under- or overflows as it does there
            with np.errstate(over="ignore", under="ignore", divide="ignore"):
                out = np.sum(size ** p, axis=dim, keepdims=keepdim) ** (1 / p)
        out = out.astype(a.dtype, copy=False)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        g, n = _unreduce(g, ctx.dim, ctx.keepdim), _unreduce(out, ctx.dim, ctx.keepdim)
        p = ctx.p
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if p == 0:  # (torch's gradient is undefined: no .grad at all)
                return None, None, None, None
            if p == 1:
                return _sgn(a) * _weak(g, a), None, None, None
            # torch's formulas, in its order (which decides what is NaN and what inf)
            if p == np.inf or p == -np.inf:  # shared by the elements at the extreme, or NaN
                size = np.abs(a)
                top = (size == n) | np.isnan(size)
                count = np.sum(top, axis=ctx.dim, keepdims=True)
                return _sgn(a) * ((g / count) * top), None, None, None
            if p == 2:
                q = a / _weak(n, a)
                return _weak(g, q) * np.where(n == 0, 0, q), None, None, None
            if p < 1:
                size = np.where(a == 0, 0, _sgn(a) * np.abs(a) ** (p - 1))
                return size * g * n ** (1 - p), None, None, None
            size = _sgn(a) * np.abs(a) ** (p - 1) if p < 2 else a * np.abs(a) ** (p - 2)
            return size * np.where(n == 0, 0, g / n ** (p - 1)), None, None, None


class LogSumExp(Function):
    """y = log(sum(exp(a), dim)) ; da = g exp(a - y)"""

    c_order = True

    backward_name = "LogsumexpBackward0"

    @staticmethod
    def forward(ctx, a, dim, keepdim):
        ctx.dim, ctx.keepdim = dim, keepdim
        top = np.max(a, axis=dim, keepdims=True, initial=-np.inf)
        top = np.where(np.isinf(top), 0, top)  # (all -inf: the sum is 0, the log -inf)
        with np.errstate(divide="ignore"):
            out = log(add_reduce(exp(a - top), dim, True)) + top  # (torch's sum)
        out = out if keepdim or dim is None and a.ndim == 0 else np.squeeze(out, axis=dim)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        return (_unreduce(g, ctx.dim, ctx.keepdim)
                * exp(a - _unreduce(out, ctx.dim, ctx.keepdim)), None, None)


class Max(Function):
    """max(a) or max(a, dim) ; da = g at the maximum (shared by ties or NaNs without dim)"""

    @staticmethod
    def forward(ctx, a, dim, keepdim):
        return _select_forward(ctx, a, dim, keepdim, np.max, np.argmax)

    @staticmethod
    def backward(ctx, g):
        return _select_backward(ctx, g), None, None


class Min(Function):
    """min(a) or min(a, dim) ; da = g at the minimum (shared by ties or NaNs without dim)"""

    @staticmethod
    def forward(ctx, a, dim, keepdim):
        return _select_forward(ctx, a, dim, keepdim, np.min, np.argmin)

    @staticmethod
    def backward(ctx, g):
        return _select_backward(ctx, g), None, None


class Median(Function):
    """the median (the lower of the two middle values) of a, or along dim ; da = g at the median (shared by ties or NaNs without dim)"""  # noqa: E501

    @staticmethod
    def forward(ctx, a, dim, keepdim):
        out = _select_forward(ctx, a, dim, keepdim, _median, argmedian)
        ctx.label = "MedianBackward0" if dim is None else "MedianBackward1"  # (torch's names)
        return out

    @staticmethod
    def backward(ctx, g):
        return _select_backward(ctx, g), None, None


def _median(a):
    """The lower median of all of a's elements: NaN if one is NaN (and if there is none)."""
    a = a.reshape(-1)
    if a.dtype.kind == "f" and (not a.size or np.isnan(a).any()):
        return np.array(np.nan, a.dtype)
    if not a.size:  # (torch's NaN converted to an integer as x86 converts it: the smallest
        # int32 or int64, and smaller types its low bits, 0; a bool True)
        if a.dtype == bool:
            return np.array(True)
        smallest = np.iinfo(np.int64 if a.dtype.itemsize == 8 else np.int32).min
        return np.array(smallest).astype(a.dtype)
    out = np.partition(a, (a.size - 1) // 2)[(a.size - 1) // 2]
    if out == 0 and a.dtype.kind == "f":  # (which of -0.0 and 0.0: the one torch's
        out = a.dtype.type(_stl.nth_element(a.tolist(), (a.size - 1) // 2))  # selection puts
    return out  # in the middle)


def argmedian(a, axis, keepdims=False):
    """Where the lower median lies along ``axis``, as torch finds it: its place in a stable
    sort (so of equal values, the one that comes first after those before it), or the first
    NaN."""
    if axis is None:  # (of all elements: a 0-d tensor's, along its dim 0)
        return argmedian(a.reshape(-1), 0).reshape((1,) * a.ndim if keepdims else ())
    order = np.argsort(a, axis=axis, kind="stable")
    index = np.take(order, (a.shape[axis] - 1) // 2, axis=axis)
    if a.dtype.kind == "f":
        nan = np.isnan(a)
        index = np.where(nan.any(axis), np.argmax(nan, axis), index)
    return np.expand_dims(index, axis) if keepdims else index


class Amax(Function):
    """amax(a, dims) ; da = g / n where a is the maximum (n of them: ties share), else 0"""

    c_order = True

    reduce = staticmethod(np.max)

    @classmethod
    def forward(cls, ctx, a, dim, keepdim):
        ctx.dim, ctx.keepdim = dim, keepdim
        out = _signed_zeros(np.asarray(cls.reduce(a, axis=dim, keepdims=keepdim)), a, dim)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        mask = a == _unreduce(out, ctx.dim, ctx.keepdim)  # (none at NaN: NaN over the slice)
        with np.errstate(divide="ignore", invalid="ignore"):
            count = np.sum(mask, axis=ctx.dim, keepdims=True)
            return _unreduce(g, ctx.dim, ctx.keepdim) / count * mask, None, None


class Amin(Amax):
    """amin(a, dims) ; da = g / n where a is the minimum (n of them: ties share), else 0"""

    reduce = staticmethod(np.min)


def _signed_zeros(out, a, dim, last=False):
    """``out``, the maximum or minimum of ``a`` along ``dim`` (an int, a tuple, or None for
    all), with each 0 signed as the first 0 of its slice (the last, with ``last``): so torch's
    amax (max without dim) keeps the first (last) of a tie of -0.0 and 0.0; numpy keeps the
    last, in float16 the first."""
    zero = out == 0
    if a.dtype.kind != "f" or not zero.any():
        return out
    dims = tuple(range(a.ndim)) if dim is None else (dim,) if type(dim) is int else dim
    dims = tuple(d % a.ndim for d in dims) if a.ndim else ()
    kept = [n for d, n in enumerate(a.shape) if d not in dims]
    slices = np.moveaxis(a, dims, range(a.ndim - len(dims), a.ndim)).reshape(*kept, -1)
    zeros = slices == 0
    at = slices.shape[-1] - 1 - np.argmax(zeros[..., ::-1], -1) if last else \
        np.argmax(zeros, -1)
    signed = np.take_along_axis(slices, at[..., None], -1).reshape(out.shape)
    return np.where(zero, signed, out)


def _select_forward(ctx, a, dim, keepdim, reduce, arg):
    ctx.dim, ctx.keepdim = dim, keepdim
    if dim is None:
        ctx.label = ctx.fn.__name__ + "Backward1"
        out = np.asarray(reduce(a))
        if reduce is not _median:
            out = _signed_zeros(out, a, None, last=True)
        ctx.save_for_backward(a, out)
        return out
    ctx.shape = a.shape
    if a.ndim == 0:  # along dim 0 or -1 of a 0-d tensor: itself, at index 0
        ctx.save_for_backward(np.zeros((), np.int64))
        return a.copy()
    index = np.expand_dims(arg(a, axis=dim), dim).astype(np.int64, copy=False)
    ctx.save_for_backward(index)
    out = np.take_along_axis(a, index, axis=dim)
    return out if keepdim else np.squeeze(out, dim)


def _select_backward(ctx, g):
    if ctx.dim is None:  # (torch's: zeros like a as it is now, filled with g / n where a is
        a, out = ctx.saved_tensors  # the extreme, which meets a as a weak scalar)
        mask = np.isnan(a) if np.isnan(out) else a == _weak(out, a)
        return _like(np.where(mask, g / np.count_nonzero(mask), 0), a)
    (index,) = ctx.saved_tensors
    if not ctx.shape:  # a 0-d tensor: a new tensor, as torch's scatter into zeros makes
        return np.array(g) if isinstance(g, (np.ndarray, np.generic)) else g.clone()
    dim = ctx.dim % len(ctx.shape)
    positions = np.arange(ctx.shape[dim]).reshape((-1,) + (1,) * (len(ctx.shape) - 1 - dim))
    return np.where(positions == index, _unreduce(g, ctx.dim, ctx.keepdim), 0)


# ----------------------------------------------------------------------------- shape and indexing


class Reshape(Function):
    """a reshaped ; da = g reshaped back   (a view when numpy can make one)"""

    grad_is_view = True

    is_view = "maybe"
    backward_name = "ViewBackward0"

    @staticmethod
    def forward(ctx, a, shape):
        ctx.shape = a.shape
        try:
            out = np.reshape(a, shape)
        except ValueError:
            raise RuntimeError(
                f"shape {tuple(shape)} is invalid for a tensor of shape {a.shape} "
                f"({a.size} elements)") from None
        return _viewed(a, out)

    @staticmethod
    def backward(ctx, g):
        return _viewed(g, np.reshape(g, ctx.shape)) if isinstance(g, np.ndarray) else \
            np.reshape(g, ctx.shape), None


class UnsafeView(Reshape):
    """a reshaped, not a view to autograd (torch's _unsafe_view: of matmul's product, of the copy a reshape makes) ; da = g reshaped back"""  # noqa: E501

    is_view = False
    backward_name = "UnsafeViewBackward0"


def _viewed(a, out):
    """``out``, a reshape of ``a``, with torch's strides where it is a view of a."""
    if out.base is not None and out is not a:
        strides = _view_strides(a.shape, a.strides, out.shape, a.itemsize)
        if strides is not None:
            return _restrided(out, strides)
    return out


def _view_strides(shape, strides, new_shape, itemsize):
    """The strides torch gives a view of an array (shape, strides) as new_shape, or None where
    it cannot be one. numpy's reshape agrees except in size-1 dims, whose strides tell torch
    whether two views of the same elements overlap fully (see tensor._partial_overlap)."""
    if not shape:
        return (itemsize,) * len(new_shape)
    new, view_d = [0] * len(new_shape), len(new_shape) - 1
    chunk, tensor_numel, view_numel = strides[-1], 1, 1
    for d in range(len(shape) - 1, -1, -1):  # chunks of dims that are contiguous together
        tensor_numel *= shape[d]
        if d == 0 or shape[d - 1] != 1 and strides[d - 1] != tensor_numel * chunk:
            while view_d >= 0 and (view_numel < tensor_numel or new_shape[view_d] == 1):
                new[view_d] = view_numel * chunk
                view_numel *= new_shape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if d > 0:
                chunk, tensor_numel, view_numel = strides[d - 1], 1, 1
    return tuple(new) if view_d == -1 else None


class Unsqueeze(Reshape):
    """a with a dimension of size 1 inserted ; da = g with it removed"""

    is_view = True

    @staticmethod
    def forward(ctx, a, dim):
        ctx.shape, ctx.dim = a.shape, dim
        return _unsqueezed(a, dim)

    @staticmethod
    def backward(ctx, g):  # (torch's squeeze: the other dims keep their strides)
        return np.squeeze(g, ctx.dim) if isinstance(g, np.ndarray) else g.squeeze(ctx.dim), None


def _unsqueezed(a, dim):
    """a with a size-1 dim inserted at dim, strided as torch's: the size times the stride of
    the dim it goes before (one element at the end)."""
    inserted = a.shape[dim] * a.strides[dim] if dim < a.ndim else a.itemsize
    return _restrided(np.expand_dims(a, dim), a.strides[:dim] + (inserted,) + a.strides[dim:])


class Squeeze(Reshape):
    """a without its dimensions of size 1 ; da = g with them put back"""

    is_view = True

    @staticmethod
    def forward(ctx, a, dims):
        ctx.shape, ctx.dims = a.shape, dims
        return _restrided(np.squeeze(a, dims),
                          tuple(s for d, s in enumerate(a.strides) if d not in dims))

    @staticmethod
    def backward(ctx, g):  # (torch's unsqueeze, dim by dim from the first: none, g itself)
        if not isinstance(g, np.ndarray) and ctx.dims:
            return np.reshape(g, ctx.shape), None
        for d in sorted(ctx.dims):
            g = _unsqueezed(g, d)
        return g, None


class Transpose(Function):
    """a with dims d0 and d1 swapped ; da = g with them swapped back"""

    grad_is_view = True

    is_view = True

    @staticmethod
    def forward(ctx, a, d0, d1):
        ctx.dims = d0, d1
        return a.swapaxes(d0, d1) if a.ndim else a.view()  # (a 0-d one: itself, as a view)

    @staticmethod
    def backward(ctx, g):
        if g.ndim:
            return g.swapaxes(*ctx.dims), None, None
        return (g.view() if isinstance(g, np.ndarray) else g), None, None  # (0-d: a view)


class T(Function):
    """a.t(): a matrix transposed, a vector as it is ; da = g.t()"""

    grad_is_view = True

    is_view = True

    @staticmethod
    def forward(ctx, a):
        return a.swapaxes(0, 1) if a.ndim == 2 else a.view()

    @staticmethod
    def backward(ctx, g):  # (a vector's: a view of g, as torch's, whose engine keeps it as a
        if g.ndim == 2:  # leaf's gradient: _first_grad)
            return g.swapaxes(0, 1) if isinstance(g, np.ndarray) else g.t()  # (TBackward0)
        return g.view() if isinstance(g, np.ndarray) else g


class Permute(Function):
    """a with its dims reordered ; da = g with the inverse order"""

    grad_is_view = True

    is_view = True

    @staticmethod
    def forward(ctx, a, dims):
        ctx.inverse = tuple(np.argsort(dims))
        return np.transpose(a, dims)

    @staticmethod
    def backward(ctx, g):
        return np.transpose(g, ctx.inverse), None


def _unsqueezed_strides(out, items, a):
    """``out = a[items]`` with the strides torch gives the dims that None inserted: torch
    applies the items from the left, so a None takes the size times the stride of the dim of
    ``a`` it goes before, as unsqueeze does (one element after the last; numpy's are 0)."""
    strides, dim, source = list(out.strides), 0, 0
    for item in items:
        if item is None:
            strides[dim] = a.shape[source] * a.strides[source] if source < a.ndim else a.itemsize
            dim += 1
        elif item is Ellipsis:
            spanned = a.ndim - sum(1 for i in items if i is not None and i is not Ellipsis)
            dim, source = dim + spanned, source + spanned
        else:
            dim, source = dim + isinstance(item, slice), source + 1
    return _restrided(out, strides)


def _is_basic_index(index):
    """True for ints, slices, None and Ellipsis (numpy returns a view; no index repeats)."""
    items = index if type(index) is tuple else (index,)
    return all(i is None or i is Ellipsis or type(i) in (int, slice) for i in items)


def _indexed_layout(out, a, items):
    """``out`` = a[items], an advanced index (no int in it), laid out as torch's index kernel
    lays its result out: a TensorIterator's over a restrided (the indexed dims replaced by the
    index arrays' dims, of stride 0; the indexed dims first where the arrays are not side by
    side) and the index arrays, broadcast and given those dims (_layout.like_operands). Where
    a and the index arrays lie in C order (and no None adds a dim), that is C order."""
    if _layout.c_ordered(a) and all(
            i is not None and type(i) is not bool and (type(i) is not np.ndarray or i.ndim and (
                i.dtype == bool or i.ndim < 2 or _layout.c_ordered(i))) for i in items):
        return out if _layout.c_ordered(out) else out.copy()
    items = list(items)
    for k, i in enumerate(items):
        if i is Ellipsis:
            items[k:k + 1] = [slice(None)] * (a.ndim - sum(map(dims_taken, items)))
            break
    whole, arrays, indexed = [], [], []
    for i in items:
        if type(i) is bool or isinstance(i, np.ndarray) and i.dtype == bool and not i.ndim:
            indexed.append(len(whole))  # (a 0-d mask: a new dim of 1, indexed by [0] or [])
            arrays.append(np.flatnonzero(i))
            whole.append(None)
        elif isinstance(i, np.ndarray):
            indexed += range(len(whole), len(whole) + dims_taken(i))
            arrays += np.nonzero(i) if i.dtype == bool else [i]
            whole += [slice(None)] * dims_taken(i)
        else:
            whole.append(i)
    src, arrays = a[tuple(whole)], np.broadcast_arrays(*arrays)
    if any(i is None for i in whole):  # (torch's unsqueeze's strides)
        src = _unsqueezed_strides(src, whole, a)
    if indexed != list(range(indexed[0], indexed[-1] + 1)):  # (not side by side)
        src = src.transpose(indexed + [d for d in range(src.ndim) if d not in indexed])
        indexed = list(range(len(indexed)))
    before, after, shape = indexed[0], indexed[-1] + 1, arrays[0].shape
    src = np.lib.stride_tricks.as_strided(
        src, src.shape[:before] + shape + src.shape[after:],
        src.strides[:before] + (0,) * len(shape) + src.strides[after:])
    ones = (1,) * before, (1,) * (src.ndim - before - len(shape))
    return _layout.like_operands(out, [src] + [x.reshape(ones[0] + shape + ones[1])
                                              for x in arrays])


def dims_taken(i):
    """How many dims of the indexed array an index item takes (a mask: its own)."""
    if i is None or i is Ellipsis or type(i) is bool:
        return 0
    return i.ndim if isinstance(i, np.ndarray) and i.dtype == bool else 1


def _empty_selection(shape, index):
    """The shape of a[index] (an advanced index) when it selects no element, else None: torch
    checks the bounds of index arrays only when the result has elements, numpy always does."""
    probe = zeroed_index(shape, index)
    return None if probe is None else np.broadcast_to(np.zeros((), bool), shape)[probe].shape


def zeroed_index(shape, index, empty_only=True):
    """``index`` with its index arrays' values set to 0 (in bounds), where a[index] selects no
    element whatever they are (or, not ``empty_only``, wherever the dims they index have
    elements); else None."""
    items = index if type(index) is tuple else (index,)
    shape, dim, probe = list(shape), 0, []
    for i in items:
        if i is Ellipsis:
            dim += len(shape) - sum(map(dims_taken, items))
        elif isinstance(i, np.ndarray) and i.dtype != bool and dim < len(shape):
            if shape[dim] == 0 and i.size:  # (torch: no index is in bounds of an empty dim)
                return None
            i = np.zeros_like(i)  # any index in bounds will do: 0
        dim += dims_taken(i)
        probe.append(i)
    try:
        out = np.broadcast_to(np.zeros((), bool), shape)[tuple(probe)]
    except (IndexError, ValueError):
        return None
    return tuple(probe) if out.size == 0 or not empty_only else None


class GetItem(Function):
    """a[index] ; da = zeros with g added at index (repeated indices add up)"""

    backward_name = "SliceBackward0"  # with an int: SelectBackward0, with arrays IndexBackward0
    is_view = "maybe"  # for ints and slices (numpy copies for integer and bool arrays)

    @staticmethod
    def forward(ctx, a, index):
        ctx.shape, ctx.index = a.shape, index
        items = index if type(index) is tuple else (index,)
        if _is_basic_index(index):
            # torch's node is the one of its last step, taking the items from the left
            steps = _steps(items, a.shape) if type(index) is tuple else [index]
            last = [i for i in steps if i is not Ellipsis][-1:]
            if last and type(last[0]) is int:
                ctx.label = "SelectBackward0"
            elif last == [None]:
                ctx.label = "UnsqueezeBackward0"  # (x[None], x[0, None]: torch's unsqueeze)
                ctx.grad_is_view = _unsqueezes(items)  # (x[None]: g squeezed, a view)
            elif not last:
                ctx.label = "AliasBackward0"  # (x[...], x[:, :], x[0:, ::1]; x[:] is a slice)
            if Ellipsis not in items:  # a[0] would copy the element out; a[0, ...] is a view
                items += (Ellipsis,)
            out = a[items]
            return _unsqueezed_strides(out, items, a) if None in items else out
        ctx.label = "IndexBackward0"
        ctx.save_for_backward(*[np.asarray(i) for i in items  # (a bool is a 0-d mask)
                                if isinstance(i, np.ndarray) or type(i) is bool])
        try:
            return _indexed_layout(a[index], a, items)
        except IndexError:
            shape = _empty_selection(a.shape, index)
            if shape is None:
                raise
            return np.empty(shape, a.dtype)

    @staticmethod
    def backward(ctx, g):
        ctx.saved_tensors  # noqa: B018 (raises if the graph was freed, as torch's IndexBackward)
        if ctx.name() == "AliasBackward0":
            return g, None  # (torch's: the gradient itself)
        if ctx.name() == "UnsqueezeBackward0" and ctx.grad_is_view:  # (x[None]: torch's
            dims = _inserted_dims(ctx.index, len(ctx.shape))  # squeeze, a view of g with its
            if isinstance(g, np.ndarray):  # other dims' strides)
                return np.squeeze(g, dims), None
            for d in sorted(dims, reverse=True):  # (under create_graph: one squeeze a dim, the
                g = g.squeeze(d)  # last inserted first, as torch's chain of unsqueezes has it)
            return g, None
        if isinstance(g, np.ndarray):
            return IndexAdd.forward(ctx, g, ctx.shape, ctx.index), None
        out = IndexAdd.apply(g, ctx.shape, ctx.index)  # a Tensor, under create_graph: its
        if out._grad_fn is not None:  # node named as torch's backward of this one
            out._grad_fn.label = _INDEX_BACKWARD_NAMES.get(ctx.name(), out._grad_fn.name())
        return out, None


_INDEX_BACKWARD_NAMES = {"SelectBackward0": "SelectBackwardBackward0",
                         "SliceBackward0": "SliceBackwardBackward0",
                         "IndexBackward0": "IndexPutImplBackward0",
                         "SplitBackward0": "CatBackward0",
                         "SplitWithSizesBackward0": "CatBackward0",
                         "UnbindBackward0": "StackBackward0"}


def _steps(items, shape):
    """The items of a tuple index that are steps for torch: it skips a slice that takes a
    whole dim in order (``:``, ``0:``, ``::1``, ``:n`` or beyond; not ``-n:``)."""
    rest = len(shape) - sum(i is not None and i is not Ellipsis for i in items)
    steps, dim = [], 0
    for i in items:
        if i is Ellipsis:
            dim += rest
        if not takes_whole(i, shape[dim] if type(i) is slice else 0):
            steps.append(i)
        dim += i is not None and i is not Ellipsis
    return steps


def takes_whole(item, size):
    """Whether an index item is a slice that takes a whole dim of ``size`` in order (``:``,
    ``0:``, ``::1``, ``:n`` or beyond; not ``-n:``), which torch applies as no step."""
    return type(item) is slice and item.start in (None, 0) and item.step in (None, 1) and (
        item.stop is None or item.stop >= size)


def _inserted_dims(index, ndim):
    """The dims that the Nones of a basic index insert into the result of indexing ndim dims."""
    items = index if type(index) is tuple else (index,)
    rest = ndim - sum(i is not None and i is not Ellipsis for i in items)
    dims, k = [], 0
    for i in items:
        if i is None:
            dims.append(k)
        k += rest if i is Ellipsis else 1
    return tuple(dims)


def _unsqueezes(items):
    """Whether an index only inserts dims (None) among whole ones: x[None], x[:, None]."""
    return any(i is None for i in items) and all(
        i is None or i is Ellipsis or type(i) is slice and i == slice(None) for i in items)


class IndexAdd(Function):
    """zeros(shape) with g added at index ; dg = grad[index]   (GetItem's backward; diag's forward, whose index repeats no element: g written, so -0.0 stays)"""  # noqa: E501

    @staticmethod
    def forward(ctx, g, shape, index, unique=False):
        ctx.index = index
        out = np.zeros(shape, dtype=g.dtype)
        if unique or _is_basic_index(index):
            out[index] = g
        elif g.size:  # (an empty selection may hold indices out of bounds: see GetItem)
            np.add.at(out, index, g)
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad[ctx.index], None, None, None


class Gather(Function):
    """out[i][j] = a[index[i][j]][j] for dim 0 (and so on) ; da = zeros of a's shape with g added at index (torch's scatter_add; gather's node keeps a, whose shape at backward decides; sort's and topk's keep none, and write g)"""  # noqa: E501

    backward_name = "GatherBackward0"
    index_inputs = (2,)

    @staticmethod
    def forward(ctx, a, dim, index, keep_input):
        ctx.dim, ctx.shape = dim, a.shape
        ctx.save_for_backward(a if keep_input else None, index)
        if not index.size:  # (an empty index, of any dims: nothing read)
            return np.zeros(index.shape, a.dtype)
        # (a 0-d input or index taken as 1-d; the result is a copy in C order, as torch's,
        # which numpy lays out as the index)
        return np.ascontiguousarray(a.reshape(a.shape or (1,))[_places(index, dim)]).reshape(
            index.shape)

    @staticmethod
    def backward(ctx, g):
        a, index = ctx.saved_tensors
        index = getattr(index, "_data", index)  # (a constant tensor, under create_graph)
        # torch's scatter_add of g at index into zeros of a's shape, both as they are now
        # (their .data may have changed since the forward)
        a_shape = ctx.shape if a is None else a.shape
        if not index.size:  # (nothing was read: zeros, new, as torch's scatter makes them)
            return np.zeros(a_shape, g.dtype), None, None, None
        dim, shape, places = _wrap_dim(ctx.dim, len(a_shape)), a_shape or (1,), index.shape or (1,)
        if index.dtype not in (np.int64, np.int32):
            raise RuntimeError("scatter(): Expected dtype int32/int64 for index")
        if len(shape) != len(places):
            raise RuntimeError("Index tensor must have the same number of dimensions as self "
                               "tensor")
        g_shape = tuple(g.shape) or (1,)
        if any(m > n for d, (n, m) in enumerate(zip(shape, places)) if d != dim) or any(
                m > n for n, m in zip(g_shape, places)):
            raise RuntimeError(f"Expected index {list(index.shape)} to be no larger than self "
                               f"{list(a_shape)} apart from dimension {dim} and to be no larger "
                               f"size than src {list(g.shape)}")
        outside = index[(index < 0) | (index >= shape[dim])]
        if outside.size:
            raise RuntimeError(f"index {outside.flat[0]} is out of bounds for dimension {dim} "
                               f"with size {shape[dim]}")
        g = g.reshape(g_shape)[tuple(slice(0, m) for m in places)]  # (the part index covers)
        written = a is None  # (sort's and topk's: torch's scatter, not scatter_add)
        if isinstance(g, np.ndarray):
            out = IndexAdd.forward(ctx, g, shape, _places(index, dim), written)
        else:
            out = IndexAdd.apply(g, shape, _places(index, dim), written)
        if out.shape != a_shape:  # (a 0-d a's, made 1-d: a new array, as torch's scatter
            out = out.reshape(a_shape)  # makes, not a view, which autograd.grad returns as
            out = out.copy() if isinstance(out, np.ndarray) else out  # one)
        return out, None, None, None


def _places(idx, dim):
    """The places gather reads and scatter writes: index's values along dim, each other dim's
    position in index elsewhere (advanced indices, a 0-d index taken as 1-d)."""
    shape = idx.shape or (1,)
    grid = list(np.ix_(*[np.arange(n) for n in shape]))
    grid[dim] = idx.reshape(shape).astype(np.int64, copy=False)
    return tuple(grid)


class MaskedSelect(Function):
    """a[mask], mask broadcast with a, in a 1-d array ; da = zeros of the shape a and mask broadcast to with g at the mask's places (torch's masked_scatter: its node keeps a, and a's shape at backward decides)"""  # noqa: E501

    index_inputs = (1,)

    @staticmethod
    def forward(ctx, a, mask):
        ctx.save_for_backward(a, mask)
        shape = np.broadcast_shapes(a.shape, mask.shape)
        return np.broadcast_to(a, shape)[np.broadcast_to(mask, shape)]

    @staticmethod
    def backward(ctx, g):
        a, mask = ctx.saved_tensors
        source = getattr(g, "_data", g).dtype  # (torch's masked_scatter_ of g into zeros like
        if source != a.dtype:  # a as it is now: its .data may have changed since the forward)
            raise RuntimeError(f"masked_scatter: expected self and source to have same dtypes "
                               f"but got{TORCH_TYPE_NAMES[a.dtype.name]} and "
                               f"{TORCH_TYPE_NAMES[source.name]}")
        mask = getattr(mask, "_data", mask)  # (a constant tensor, under create_graph; read as
        if mask.dtype != np.bool_:  # it is now, as a is)
            raise RuntimeError(f"masked_scatter_ only supports boolean masks, but got mask with "
                               f"dtype {TORCH_TYPE_NAMES[mask.dtype.name]}")
        index = np.broadcast_to(mask, _broadcast_shape(a.shape, mask.shape))
        n = int(np.count_nonzero(index))
        if n > g.shape[0]:
            raise RuntimeError("Number of elements of source < number of ones in mask")
        if isinstance(g, np.ndarray):
            return IndexAdd.forward(ctx, g[:n], index.shape, index), None
        return IndexAdd.apply(g[:n], index.shape, index), None


class AsStrided(Function):
    """the view's elements read from a memory that holds the base, each where its geometry (shape, strides, offset) says (torch's node for a view rebuilt after its base changed in place: the view is as it is) ; dbase = g added into such a memory, read where the base lies in it"""  # noqa: E501

    backward_name = "AsStridedBackward0"

    @staticmethod
    def forward(ctx, base, geometries, view=None):
        ctx.geometries = geometries
        if view is not None:
            return view
        at, read = (_positions(*geometry) for geometry in geometries)
        memory = np.zeros(_memory_size(at, read), base.dtype)
        memory[at] = base
        return memory[read]

    @staticmethod
    def backward(ctx, g):
        base, view = (_positions(*geometry) for geometry in ctx.geometries)
        size, at = _memory_size(base, view), view.reshape(-1)
        if not at.size:  # (torch's: zeros, for an empty view)
            memory = np.zeros(size, g.dtype)
        elif isinstance(g, np.ndarray):
            memory = np.zeros(size, g.dtype)
            np.add.at(memory, at, g.reshape(-1))
        else:  # (a Tensor, under create_graph)
            memory = IndexAdd.apply(g.reshape(-1), (size,), (at,))
        counts = np.bincount(base.reshape(-1), minlength=size)
        if counts.max(initial=0) > 1:  # (the base's elements overlap: each gets its share)
            memory = memory / np.maximum(counts, 1).astype(memory.dtype)
        return memory[base], None, None


def _memory_size(*positions):
    """The elements a memory needs to hold tensors at these positions (_positions)."""
    return max((p.max() + 1 if p.size else 0) for p in positions)


def storage_of(array):
    """The array that owns ``array``'s memory (torch's storage)."""
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array


def geometry(array):
    """An array's shape, strides and offset in its memory, in elements (torch's view of a
    tensor in its storage)."""
    owner = storage_of(array)
    start = array.__array_interface__["data"][0] - owner.__array_interface__["data"][0]
    return array.shape, tuple(s // array.itemsize for s in array.strides), \
        start // array.itemsize


def _positions(shape, strides, offset):
    """Where in its memory each element of a tensor of that geometry lies."""
    at = np.full(shape, offset, np.intp)
    for d, (n, s) in enumerate(zip(shape, strides)):
        at += (np.arange(n) * s).reshape((n,) + (1,) * (len(shape) - d - 1))
    return at


class IndexPut(Function):
    """a with a[index] = v ; da = g with g[index] = 0, dv = g[index]"""

    @staticmethod
    def forward(ctx, a, v, index):
        ctx.shape = a.shape
        ctx.save_for_backward(index)  # released after backward, so a second one fails (torch)
        ctx.label = "CopySlices" if _is_basic_index(index) else "IndexPutBackward0"
        out = a.copy()
        out[index] = v
        return out

    @staticmethod
    def backward(ctx, g):
        (index,) = ctx.saved_tensors
        keep = np.ones(ctx.shape, dtype=bool)
        keep[_numpy_index(index)] = False
        return (np.where(keep, g, 0) if ctx.needs_input_grad[0] else None,
                g[index] if ctx.needs_input_grad[1] else None, None)


def _numpy_index(index):
    """An index as numpy should read it: its tensors (saved, under create_graph) as their
    arrays (numpy reads a tensor of one element as an int, as it reads torch's: a mask of one
    element as position 0 or 1)."""
    if type(index) is tuple:
        return tuple(map(_numpy_index, index))
    return getattr(index, "_data", index)


class CopySlices(Function):
    """base with the view's elements replaced by v: the view lies where its geometry says in a memory laid out as the base (torch's as_strided) ; dbase = g outside the view, dv = g where the view lies"""  # noqa: E501

    backward_name = "CopySlices"

    @staticmethod
    def forward(ctx, base, v, geometries):
        from .autograd import _writable

        ctx.shape = base.shape
        ctx.save_for_backward(geometries)  # released after backward, so a second one fails
        try:
            laid, view = _in_base(geometries, base)
        except RuntimeError:  # (torch's finds out at backward)
            return base.copy()
        _writable(view, repeats_allowed=True)[...] = v  # (a fill may repeat)
        return laid

    @staticmethod
    def backward(ctx, g):
        from .autograd import REPEATED_WRITE

        (geometries,) = ctx.saved_tensors
        shape, strides, _ = geometries[1]
        if 0 not in shape and any(s == 0 and n > 1 for n, s in zip(shape, strides)):  # (an
            raise RuntimeError(REPEATED_WRITE)  # expanded view that was filled: torch's copy
            # into it fails; one with no element repeats none)
        if isinstance(g, np.ndarray):  # torch's steps: g laid out as the base, the view's
            laid, view = _in_base(geometries, g)  # part read, then zeroed
            dv = view.copy() if ctx.needs_input_grad[1] else None
            view[...] = 0
            return laid, dv, None
        # (a Tensor, under create_graph: the same, through the elements' indices)
        elements = np.arange(math.prod(ctx.shape)).reshape(ctx.shape)
        where = _in_base(geometries, elements, missing=-1)[1]
        keep = np.ones(elements.size, bool)
        keep[where[where >= 0]] = False
        flat = g.reshape(-1)
        return (np.where(keep.reshape(ctx.shape), g, 0) if ctx.needs_input_grad[0] else None,
                (flat[np.maximum(where, 0)] * (where >= 0) if (where < 0).any() else flat[where])
                if ctx.needs_input_grad[1] else None, None)


def _in_base(geometries, array, missing=0):
    """``array`` (of the base's shape) in a new memory laid out as the base, and the view's
    elements in that memory, where torch's CopySlices finds them: as_strided from the view's
    offset less the base's. Each geometry is (shape, strides, offset) in elements; a view that
    does not fit that memory raises torch's error; where the base has no element, ``missing``."""
    from .autograd import REPEATED_WRITE

    (shape, strides, offset), (view_shape, view_strides, view_offset) = geometries
    view_offset -= offset
    if view_offset < 0:
        raise RuntimeError(f"Tensor: invalid storage offset {view_offset}")
    size = 1 + sum((n - 1) * s for n, s in zip(shape, strides)) if 0 not in shape else 0
    needed = view_offset + 1 + sum((n - 1) * s for n, s in zip(view_shape, view_strides)) \
        if 0 not in view_shape else 0
    if needed > size:
        itemsize = array.itemsize
        raise RuntimeError(
            f"setStorage: sizes {list(view_shape)}, strides {list(view_strides)}, storage offset "
            f"{view_offset}, and itemsize {itemsize} requiring a storage size of "
            f"{needed * itemsize} are out of bounds for storage of size {size * itemsize}")
    memory = np.empty(size, array.dtype) if size == math.prod(shape) else \
        np.full(size, missing, array.dtype)  # (the base fills it, or leaves gaps)
    laid = _strided(memory, shape, strides, 0)
    if not laid.flags.writeable:  # (a base whose elements repeat: torch's copy into it fails)
        raise RuntimeError(REPEATED_WRITE)
    laid[...] = array
    return laid, _strided(memory, view_shape, view_strides, view_offset)


class StridedView(Function):
    """a's elements, in C order, seen with element strides from an offset (what autograd.grad returns that is a view of grad_outputs, as torch's is) ; da = g added into the elements it saw"""  # noqa: E501

    is_view = True

    @staticmethod
    def forward(ctx, a, shape, strides, offset):
        ctx.shape, ctx.view = a.shape, (shape, strides, offset)
        return _strided(a, shape, strides, offset)

    @staticmethod
    def backward(ctx, g):
        total = np.zeros(math.prod(ctx.shape), g.dtype)
        np.add.at(total, _positions(*ctx.view), g)  # (seen twice: twice)
        return total.reshape(ctx.shape), None, None, None


def _strided(a, shape, strides, offset):
    if not a.flags.c_contiguous:  # (a gradient in CopySlices' backward: read from a copy)
        a = np.ascontiguousarray(a)
    view = np.ndarray(shape, a.dtype, buffer=a, offset=offset * a.itemsize,
                      strides=[n * a.itemsize for n in strides])  # (numpy links it to a)
    if _repeats(view) or not a.flags.writeable:  # (an expanded one is refused writes, as
        view.flags.writeable = False  # torch's)
    return view


class BroadcastTo(Function):
    """a broadcast to shape ; da = g summed back to a's shape (by the engine)"""

    is_view = True
    backward_name = "ExpandBackward0"

    @staticmethod
    def forward(ctx, a, shape):
        out = _expanded(a, shape)  # (read-only: an element may appear many times)
        if out.size == a.size and a.flags.writeable:  # nothing repeats: writable, as torch's
            return _restrided(a.reshape(out.shape), out.strides)  # (only size-1 dims differ)
        return out  # (no elements too: in a's memory, as torch's view keeps a's storage)

    @staticmethod
    def backward(ctx, g):  # (torch's sum_to: a 0-d g copied, any other the same)
        if g.ndim:
            return g, None
        return (g.copy() if isinstance(g, np.ndarray) else Clone.apply(g)), None


class Repeat(Function):
    """a tiled sizes times along each dim ; da = g summed over the tiles"""

    backward_name = "RepeatBackward0"

    @staticmethod
    def forward(ctx, a, sizes):
        ctx.shape, ctx.sizes = a.shape, sizes
        return np.tile(a, sizes)  # (always new memory, in C order, as torch's)

    @staticmethod
    def backward(ctx, g):  # (torch's steps: new memory unless no dim is tiled)
        if 0 in ctx.sizes:
            return np.zeros(ctx.shape, g.dtype), None
        lead = len(ctx.sizes) - len(ctx.shape)
        for _ in range(lead):
            g = g.sum(0)
        split, tiles = [], []
        for r, n in zip(ctx.sizes[lead:], ctx.shape):
            if r != 1:
                tiles.append(len(split))
                split.append(r)
            split.append(n)
        return (g.reshape(tuple(split)).sum(tuple(tiles)) if tiles else g), None


class Flip(Function):
    """a with its elements reversed along dims ; da = g reversed along dims"""

    @staticmethod
    def forward(ctx, a, dims):
        ctx.dims = dims = dims if a.ndim else ()  # (a 0-d tensor takes dim 0: nothing to do)
        return _layout.copy(np.flip(a, dims))  # (torch's flip copies, in a's layout)

    @staticmethod
    def backward(ctx, g):
        return (_layout.copy(np.flip(g, ctx.dims)) if isinstance(g, np.ndarray)  # (as forward)
                else Flip.apply(g, ctx.dims), None)


_WIDER = {np.dtype(np.float32): np.dtype(np.float64), np.dtype(np.float16): np.dtype(np.float32)}
# (the type torch's cumulative sums and products accumulate in)


def _in_dtype(g, dtype):
    """g in ``dtype`` (an array, or a tensor under create_graph)."""
    return g.astype(dtype, copy=False) if isinstance(g, np.ndarray) else g.to(dtype)


class Cumsum(Function):
    """cumulative sums of a along dim ; da = cumulative sums of g along dim taken from the end"""

    c_order = True

    @staticmethod
    def forward(ctx, a, dim, dtype):
        ctx.dim, ctx.input_dtype = dim, a.dtype
        dtype = a.dtype if dtype is None else dtype
        if not a.ndim:
            return a.astype(dtype, copy=True)
        return _cumsum(a.astype(dtype, copy=False), dim)

    @staticmethod
    def backward(ctx, g):
        g = _in_dtype(g, ctx.input_dtype)  # (a dtype= given: g made a's first, as torch's)
        if g.ndim == 0 or g.shape[ctx.dim] == 1:  # g itself, as torch's (an expanded g too)
            return g, None, None
        return _reversed_cumsum(g, ctx.dim), None, None


class Trace(Function):
    """sum over i of a[i, i] ; da = g on the diagonal, 0 elsewhere (a view of a flat array, as torch's)"""  # noqa: E501

    @staticmethod
    def forward(ctx, a):
        ctx.shape = a.shape
        diagonal = np.diagonal(a)
        if a.dtype.kind != "f" or not diagonal.size:
            return np.add.reduce(diagonal, dtype=np.int64 if a.dtype.kind in "bu" else None)
        # torch's loop adds to 0 in order, in double (float for float16), rounded once
        wide = np.float32 if a.dtype == np.float16 else np.float64
        return (np.add.accumulate(diagonal.astype(wide))[-1] + 0.0).astype(a.dtype)

    @staticmethod
    def backward(ctx, g):
        n, m = ctx.shape
        diagonal = np.arange(0, n * m, m + 1)[:min(n, m)]  # (its places in the flat array)
        if isinstance(g, (np.ndarray, np.generic)):
            flat = np.zeros(n * m, g.dtype)
            flat[diagonal] = g
        else:  # (create_graph: torch's index_fill of g into zeros, then the view)
            flat = g.new_zeros(n * m).index_fill(0, type(g)._wrap(diagonal), g)
        return flat.reshape(n, m)


class Cumprod(Function):
    """cumulative products of a along dim ; da_i = sum over j >= i of g_j (out_j / a_i), that is of g_j times the product of a_k for k <= j but i"""  # noqa: E501

    c_order = True

    @staticmethod
    def forward(ctx, a, dim, dtype):
        ctx.dim = dim
        dtype = a.dtype if dtype is None else dtype
        out = a.astype(dtype, copy=False).cumprod(axis=dim, dtype=_WIDER.get(dtype, dtype)
                                                  ).astype(dtype, copy=False) if a.ndim else \
            a.astype(dtype, copy=True)  # (in a wider type, as torch's)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        g = _in_dtype(g, a.dtype)  # (a dtype= given: g made a's first, as torch's)
        if _numel(a) <= 1:
            return g, None, None
        dim = _wrap_dim(ctx.dim, a.ndim)  # (as given: a's .data may have other dims now)
        n = a.shape[dim]
        if n == 1:
            return g, None, None
        zero = a == 0
        if not zero.any():  # (with or without create_graph, as torch: the saved output, so
            return _reversed_cumsum(g * out, dim) / a, None, None  # not a changed a's products)
        if not isinstance(g, np.ndarray):  # (create_graph: torch's ops in grad mode, whose
            return _cumprod_grad_recorded(g, a, dim, n), None, None  # own gradients count)
        # torch's way around the zeros (its order of operations, which decides where NaN
        # and inf fall): up to a slice's first zero, the formula above with the products
        # from there on left out; at it, the products of the elements between it and the
        # second zero (those after have two zeros in them) times the product of those before
        # it; after it, 0 (every product there has the first zero in it)
        zeros_so_far = np.cumsum(zero, axis=dim)
        before, between = zeros_so_far == 0, (zeros_so_far == 1) & ~zero
        early = _reversed_cumsum(np.where(before, g * out, 0), dim) / np.where(before, a, 1)
        after = np.cumprod(np.where(between, a, 1), axis=dim) * np.where(zeros_so_far == 1, g, 0)
        at_zero = np.sum(after, axis=dim, keepdims=True) * np.prod(
            np.where(before, a, 1), axis=dim, keepdims=True)
        first = zero & (zeros_so_far == 1)
        return np.where(before, early, np.where(first, at_zero, 0)), None, None


def _cumprod_grad_recorded(g, a, dim, n):
    """cumprod's gradient where a (a tensor, under create_graph) has a zero, by torch's loop in
    grad mode: for each k, the sum over j >= k of g_j times the product of the a_i for i <= j
    but k (the product of those before k times the cumulative products of those after it),
    copied into slice k of zeros."""
    from .tensor import cat, ones, zeros

    grad_input = zeros(a.shape, dtype=g.dtype)
    edge = list(a.shape)
    edge[dim] = 1
    for k in range(n):
        after = a.narrow(dim, k + 1, n - k - 1).cumprod(dim) if k < n - 1 else None
        if k == 0:
            omitted = cat([ones(1, dtype=g.dtype).expand(edge), after], dim)
        else:
            until = a.narrow(dim, 0, k).prod(dim, keepdim=True)
            omitted = until if after is None else cat([until, until.expand_as(after) * after],
                                                      dim)
        grad_input.select(dim, k).copy_((g.narrow(dim, k, n - k) * omitted).sum(dim))
    return grad_input


def _cumsum(a, dim):
    """a's cumulative sums along dim as torch's kernel adds them: in a wider type (float32 in
    float64), from 0 (so -0.0 + -0.0 is 0.0). (The method, not np.cumsum, whose wrapper would
    warn of an overflow from numpy's module, which the filter of _quiet.py does not cover.)"""
    out = a.cumsum(axis=dim, dtype=_WIDER.get(a.dtype, a.dtype))
    return (out + 0.0 if a.dtype.kind == "f" else out).astype(a.dtype, copy=False)


def _reversed_cumsum(a, dim):
    """The sums of a's elements from each one to the end along dim, torch's flip, cumsum and
    flip (a new array, as torch's flip makes: numpy's reversed view would make the gradient
    autograd.grad returns a view)."""
    dim = _wrap_dim(dim, a.ndim)  # (torch's error, for an a of fewer dims than the input's)
    if not isinstance(a, np.ndarray):  # (a tensor, under create_graph)
        return a.flip(dim).cumsum(dim).flip(dim)
    return np.flip(_cumsum(np.flip(a, dim), dim), dim).copy()


class Tril(Function):
    """a's lower triangle from diagonal k (the rest 0) in each matrix ; da = the same triangle of g"""  # noqa: E501

    c_order = True

    @staticmethod
    def forward(ctx, a, k, upper):
        ctx.k, ctx.upper = k, upper
        if upper:
            ctx.label = "TriuBackward0"
        return np.triu(a, k) if upper else np.tril(a, k)

    @staticmethod
    def backward(ctx, g):
        if isinstance(g, np.ndarray):
            return (np.triu(g, ctx.k) if ctx.upper else np.tril(g, ctx.k)), None, None
        return Tril.apply(g, ctx.k, ctx.upper), None, None


class Diagonal(Function):
    """the diagonal of a (offset above the main one) in the plane of dims d1, d2, as the last dim ; da = zeros with g on that diagonal"""  # noqa: E501

    is_view = "maybe"  # (a view, or with copy=True, torch.diag's, a copy)

    @staticmethod
    def forward(ctx, a, offset, dim1, dim2, copy=False):
        ctx.shape, ctx.where = a.shape, (offset, dim1, dim2)
        n1, n2 = a.shape[dim1], a.shape[dim2]
        length = max(0, min(n1 + min(offset, 0), n2 - max(offset, 0)))
        if length and a.size:
            out = np.diagonal(a, offset, dim1, dim2)
        else:  # (an empty view with torch's strides: numpy refuses an offset past the end of
            # some strided or empty arrays)
            kept = [d for d in range(a.ndim) if d not in (dim1, dim2)]
            shape = [a.shape[d] for d in kept] + [length]
            out = _on_memory_of(a, shape, [a.strides[d] for d in kept]
                                + [a.strides[dim1] + a.strides[dim2]])
            if out is None:  # (numpy's strides, where a's memory is not one block)
                out = a[(slice(0, 0),) * a.ndim].reshape(shape)
        if copy:
            ctx.label = "DiagonalBackward0_copy"
            return out.copy()
        return out

    @staticmethod
    def backward(ctx, g):
        rest = (None,) * (len(ctx.needs_input_grad) - 1)
        if isinstance(g, np.ndarray):
            return DiagonalBackward.forward(None, g, ctx.shape, *ctx.where), *rest
        return DiagonalBackward.apply(g, ctx.shape, *ctx.where), *rest


class DiagonalBackward(Function):
    """zeros of a shape with g on a diagonal (Diagonal's backward, and torch.diag of a vector) ; dg = the diagonal of the gradient (a view of it)"""  # noqa: E501

    grad_is_view = True

    @staticmethod
    def forward(ctx, g, shape, offset, dim1, dim2):
        if ctx is not None:
            ctx.where = offset, dim1, dim2
        out = np.zeros(shape, g.dtype)
        plane = np.moveaxis(out, (dim1, dim2), (-2, -1))  # (a view of out)
        n = g.shape[-1]
        rows, cols = np.arange(n) + max(-offset, 0), np.arange(n) + max(offset, 0)
        plane[..., rows, cols] = g
        return out

    @staticmethod
    def backward(ctx, gg):
        return Diagonal.apply(gg, *ctx.where) if not isinstance(gg, np.ndarray) else \
            np.diagonal(gg, *ctx.where), None, None, None, None


class Roll(Function):
    """a with its elements shifted cyclically by shifts along dims (without dims: in a's order as if flat) ; da = g shifted back"""  # noqa: E501

    c_order = True

    @staticmethod
    def forward(ctx, a, shifts, dims):
        ctx.shifts, ctx.dims = shifts, dims
        return np.roll(a, shifts, dims)

    @staticmethod
    def backward(ctx, g):
        back = tuple(-s for s in ctx.shifts)
        if isinstance(g, np.ndarray):
            return np.roll(g, back, ctx.dims), None, None
        return Roll.apply(g, back, ctx.dims), None, None


class Cat(Function):
    """concatenate(a_1, ..., a_k) along dim ; da_i = the slice of g where a_i went"""

    grad_is_view = True

    c_order = True

    @staticmethod
    def forward(ctx, dim, *arrays):
        # torch skips 1-D empty inputs, whatever the others' dims (legacy: cat onto tensor([])),
        # and gives each a gradient of new zeros (not a part of g, even under create_graph)
        ctx.skipped = [np.shape(a) == (0,) for a in arrays]
        kept = [a for a, skip in zip(arrays, ctx.skipped) if not skip] or arrays
        ctx.dim = dim % max(np.ndim(kept[0]), 1)
        ctx.bounds = np.cumsum([0] + [np.shape(a)[ctx.dim] for a in kept]).tolist()
        return np.concatenate(kept, axis=ctx.dim)

    @staticmethod
    def backward(ctx, g):
        lead = (slice(None),) * ctx.dim
        pieces = iter(g[lead + (slice(lo, hi),)] for lo, hi in zip(ctx.bounds, ctx.bounds[1:]))
        return (None,) + tuple(np.zeros(0, g.dtype) if skip else next(pieces)
                               for skip in ctx.skipped)


class Stack(Function):
    """stack(a_1, ..., a_k) along a new dim ; da_i = g[..., i, ...]"""

    grad_is_view = True

    c_order = True

    @staticmethod
    def forward(ctx, dim, *arrays):
        ctx.dim, ctx.k = dim % (np.ndim(arrays[0]) + 1), len(arrays)
        return np.stack(arrays, axis=ctx.dim)

    @staticmethod
    def backward(ctx, g):
        lead = (slice(None),) * ctx.dim
        return (None,) + tuple(g[lead + (i, ...)] for i in range(ctx.k))  # (views of g, 0-d
        # ones too, as torch's unbind: _first_grad keeps them as they come)


# ----------------------------------------------------------------------------- linear algebra


def _numpy_svd(a, full_matrices):
    """numpy's SVD, with torch's answers where LAPACK's differ: a NaN refused (torch's gesdd
    does not converge), an inf giving NaN everywhere (numpy's loops forever on some)."""
    if np.isfinite(a).all():
        return np.linalg.svd(a, full_matrices=full_matrices)
    if np.isnan(a).any():
        raise _LinAlgError("linalg.svd: The algorithm failed to converge because the input "
                           "matrix contained non-finite values.")
    inf = ~np.isfinite(a).all(axis=(-2, -1))  # (the matrices of a batch that hold an inf)
    u, s, vh = np.linalg.svd(np.where(inf[..., None, None], 0, a), full_matrices=full_matrices)
    u[inf], s[inf], vh[inf] = np.nan, np.nan, np.nan
    return u, s, vh


class _LinAlgError(RuntimeError):
    """A matrix that a linear-algebra op cannot take (singular), as torch's (a RuntimeError,
    torch._C._LinAlgError, which torch.linalg calls LinAlgError)."""


LinAlgError = _LinAlgError


def _nonsingular(solve, a, *args, who):
    """``solve(a, *args)`` (numpy's inv or solve), refusing a singular matrix as torch does,
    naming the first singular matrix of a batch (and, for inv, LU's first zero pivot). A
    matrix with a NaN gives NaN everywhere, singular or not, as torch's LU spreads it."""
    nan = np.isnan(a).any(axis=(-2, -1))
    if nan.any():  # (the others solved, or refused where singular, as without it)
        out = _nonsingular(solve, np.where(nan[..., None, None], np.eye(
            a.shape[-1], dtype=a.dtype), a), *args, who=who)
        out[np.broadcast_to(nan.reshape(nan.shape + (1,) * (out.ndim - nan.ndim)),
                            out.shape)] = np.nan
        return out
    try:
        return solve(a, *args)
    except np.linalg.LinAlgError:
        pass
    batch = a.shape[:-2]  # (the first matrix whose LU meets a zero pivot; where none does
    first, pivot = next(((i, p) for i in np.ndindex(batch) if (p := _zero_pivot(a[i]))),
                        (None, 0))  # again in float64, no place is named)
    where = f"(Batch element {np.ravel_multi_index(first, batch)}): " if batch and pivot else ""
    what = f"The diagonal element {pivot} is zero, the inversion could not be completed " \
        "because the input matrix is singular." if solve is np.linalg.inv and pivot else \
        "The solver failed because the input matrix is singular."
    raise _LinAlgError(f"{who}: {where}{what}") from None


def _zero_pivot(a):
    """The (1-based) column where LU with partial pivoting of the matrix a meets a pivot of
    exactly 0, as LAPACK's getrf reports it, or 0 if none does."""
    a = np.array(a, dtype=np.float64)
    for k in range(a.shape[0]):
        p = k + np.argmax(np.abs(a[k:, k]))
        if a[p, k] == 0:
            return k + 1
        a[[k, p]] = a[[p, k]]
        a[k + 1:, k:] -= np.outer(a[k + 1:, k] / a[k, k], a[k, k:])
    return 0


class Inverse(Function):
    """A^-1 ; dA = -A^-T g A^-T"""

    backward_name = "LinalgInvExBackward0"

    @staticmethod
    def forward(ctx, a):
        out = _nonsingular(np.linalg.inv, a, who="linalg.inv")
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        out_t = np.swapaxes(out, -1, -2)
        return -(out_t @ g @ out_t)


class Det(Function):
    """det(A) ; dA = g det(A) A^-T   (0 where A is singular, as torch's)"""

    backward_name = "LinalgDetBackward0"

    @staticmethod
    def forward(ctx, a):
        with np.errstate(invalid="ignore", over="ignore"):  # (NaN, inf: torch's, silently)
            out = np.linalg.det(a)
        if not np.isfinite(a).all():  # (numpy says 0 for a matrix its LU finds singular; torch
            # multiplies U's diagonal, where that 0 meets an inf or a NaN: NaN)
            out = np.where((out == 0) & ~np.isfinite(a).all(axis=(-2, -1)), np.nan, out)[()]
        ctx.save_for_backward(a, out)
        ctx.lu = a.copy()  # (torch's LU of A, from the forward: backward solves with it even
        return out  # where A's .data was changed since)

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        if not isinstance(a, np.ndarray):  # (create_graph: torch's formula for that, on tensors)
            return _det_backward_on_tensors(g, out, a)
        a = ctx.lu
        singular = (out == 0)[..., None, None]
        if singular.any():  # (inverted as the identity: 0 below)
            a = np.where(singular, np.eye(a.shape[-1], dtype=a.dtype), a)
        return (g * out)[..., None, None] * np.swapaxes(np.linalg.inv(a), -1, -2)


def _det_backward_on_tensors(g, det, a):
    """det's gradient under create_graph, as torch computes it then: solve(A^T, g det I), and
    where |det| < 100 eps through the SVD A = U S Vh, det = det(U) det(Vh) prod(S), whose
    product rule needs no division (so a singular A gets its matrix of cofactors, not the 0
    of a plain backward); of 1 x 1 matrices g, of an empty A zeros, neither reading A."""
    from .tensor import _svd, cat, eye

    if not a._data.size:  # (torch's: no gradient, materialised as zeros)
        return a.new_zeros(a.shape)
    if a.shape[-1] == 1:  # (torch's: g itself, expanded, whatever A is)
        return g[..., None, None].expand(a.shape)

    def nonsingular(a, g, det):
        return Solve.apply(a.mT, (g * det)[..., None, None] * eye(a.shape[-1], dtype=a.dtype),
                           False, True)

    def singular(a, g, det):
        u, s, vh = _svd(a, True)
        grad = (g * (Det.apply(u) * Det.apply(vh)))[..., None]
        ones = s.new_ones(s.shape[:-1] + (1,))  # (the products of the others, without division)
        before = cat([ones, s[..., :-1]], -1).cumprod(-1)
        after = cat([ones, s[..., 1:].flip(-1)], -1).cumprod(-1).flip(-1)
        return (u * (grad * before * after)[..., None, :]) @ vh

    small = np.abs(det._data) < 100 * np.finfo(det.dtype).eps
    if small.all() or not small.any():
        return (singular if small.all() else nonsingular)(a, g, det)
    out = a.new_empty(a.shape)  # (a batch of both: each part by its formula, as torch's)
    out[small] = singular(a[small], g[small], det[small])
    out[~small] = nonsingular(a[~small], g[~small], det[~small])
    return out


class Solve(Function):
    """X = A^-1 B (left) or B A^-1 ; dB = A^-T g (g A^-T), dA = -dB X^T (-X^T dB)"""

    backward_name = "LinalgSolveExBackward0"

    @staticmethod
    def forward(ctx, a, b, vector, left):
        ctx.vector, ctx.left = vector, left
        out = _solved(a, b[..., None] if vector else b, left)
        out = out[..., 0] if vector else out
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, x = ctx.saved_tensors
        if ctx.vector:
            g, x = g[..., None], x[..., None]
        # (torch's: gB = solve(A^T, g, left), as the op itself under create_graph)
        gb = _solved(a.mT, g, ctx.left) if isinstance(a, np.ndarray) else \
            Solve.apply(a.mT, g, False, ctx.left)
        da, db, _, _ = ctx.needs_input_grad
        ga = (-(gb @ x.mT) if ctx.left else -(x.mT @ gb)) if da else None
        return ga, (np.squeeze(gb, -1) if ctx.vector else gb) if db else None, None, None


def _solved(a, b, left):
    """X with A X = B (X A = B where not ``left``), B a matrix (or a batch)."""
    if left:
        return _nonsingular(np.linalg.solve, a, b, who="torch.linalg.solve")
    return _nonsingular(np.linalg.solve, a.mT, b.mT, who="torch.linalg.solve").mT


# SVD's gradient, with V = Vh^T: J = U^T gU, K = V^T gV, F_ij = 1 / (s_j**2 - s_i**2) off the
# diagonal (0 on it); the projections are (I - U U^T) gU S^-1 Vh + U S^-1 gVh (I - V V^T).
# Where only S is used (gU = gVh = 0) it is U diag(gS) Vh, finite even when singular values
# repeat; otherwise repeated values give inf or NaN, as in torch.
class SVD(Function):
    """U, S, Vh = svd(a) ; da = U [F*(J-J^T) S + diag(gS) + S F*(K-K^T)] Vh + projections"""

    backward_name = "LinalgSvdBackward0"
    once_differentiable = True

    @staticmethod
    def forward(ctx, a, full_matrices):
        u, s, vh = _numpy_svd(a, full_matrices)
        ctx.save_for_backward(u, s, vh)
        return np.concatenate([u.ravel(), s.ravel(), vh.ravel()])

    @staticmethod
    def backward(ctx, g):
        u, s, vh = ctx.saved_tensors
        nu, ns = u.size, s.size
        gu, gs, gvh = (g[:nu].reshape(u.shape), g[nu:nu + ns].reshape(s.shape),
                       g[nu + ns:].reshape(vh.shape))
        k = s.shape[-1]
        u, gu, vh, gvh = u[..., :k], gu[..., :k], vh[..., :k, :], gvh[..., :k, :]
        ga = (u * gs[..., None, :]) @ vh
        if not gu.any() and not gvh.any():
            return ga, None
        mt = lambda x: np.swapaxes(x, -1, -2)  # noqa: E731
        s2 = s[..., None, :] ** 2
        with np.errstate(divide="ignore", invalid="ignore"):
            f = 1 / (s2 - mt(s2))
        eye = np.eye(k, dtype=bool)
        f = np.where(eye, 0, f)
        j, kk = mt(u) @ gu, vh @ mt(gvh)
        inner = (f * (j - mt(j))) * s[..., None, :] + s[..., :, None] * (f * (kk - mt(kk)))
        ga = ga + u @ inner @ vh
        m, n = u.shape[-2], vh.shape[-1]
        with np.errstate(divide="ignore", invalid="ignore"):
            if m > k:
                ga = ga + ((gu - u @ (mt(u) @ gu)) / s[..., None, :]) @ vh
            if n > k:
                ga = ga + (u / s[..., None, :]) @ (gvh - (gvh @ mt(vh)) @ vh)
        return ga, None


# QR's gradient: copyltu(M) is M's lower triangle mirrored above the diagonal; U and R are
# packed in one array, as SVD's outputs are.
class QR(Function):
    """Q, R = qr(a) ; da = (gQ + Q copyltu(R gR^T - gQ^T Q)) R^-T (m >= n); Q gR + [Q tril(M - M^T) U^-T, 0] with M = Q^T gQ - gR R^T, U = R's first m columns (m < n)"""  # noqa: E501

    backward_name = "LinalgQrBackward0"
    once_differentiable = True

    @staticmethod
    def forward(ctx, a, mode):
        ctx.mode = mode
        if mode == "r":  # (R only, as torch's: its backward refuses)
            return np.linalg.qr(a, mode="r").ravel()
        q, r = np.linalg.qr(a, mode=mode)
        ctx.save_for_backward(q, r)
        return np.concatenate([q.ravel(), r.ravel()])

    @staticmethod
    def backward(ctx, g):
        if ctx.mode == "r":
            raise RuntimeError("The derivative of linalg.qr depends on Q, which is not computed "
                               "when mode='r'. Please use linalg.qr(A, mode='reduced') if you "
                               "are going to differentiate through linalg.qr.")
        q, r = ctx.saved_tensors
        m, n = q.shape[-2], r.shape[-1]
        if ctx.mode == "complete" and m > n:
            raise RuntimeError("The QR decomposition is not differentiable when mode='complete' "
                               "and nrows > ncols.")
        gq, gr = g[:q.size].reshape(q.shape), g[q.size:].reshape(r.shape)
        if m >= n:
            return _qr_backward(q, r, gq, gr), None
        # (wide, as torch: Q gR, and in the first m columns Q tril(M - M^T) U^-T, where M =
        # Q^T gQ - gR R^T and U is R's square part)
        inner = np.swapaxes(q, -1, -2) @ gq - gr @ np.swapaxes(r, -1, -2)
        ga = q @ gr
        ga[..., :m] += _over_upper_transposed(q @ np.tril(inner - np.swapaxes(inner, -1, -2)),
                                              r[..., :m])
        return ga, None


def _qr_backward(q, r, gq, gr):
    """The gradient of A = Q R with R square: (gQ + Q copyltu(R gR^T - gQ^T Q)) R^-T."""
    m = r @ np.swapaxes(gr, -1, -2) - np.swapaxes(gq, -1, -2) @ q
    low = np.tril(m, -1)
    sym = low + np.swapaxes(low, -1, -2) + m * np.eye(m.shape[-1])
    return _over_upper_transposed(gq + q @ sym, r)


def _over_upper_transposed(b, r):
    """X with X R^T = B for R upper triangular, column by column from the last, as LAPACK's
    trsm substitutes (a 0 on R's diagonal gives inf or NaN, not an error)."""
    x = np.empty(b.shape, b.dtype)
    with np.errstate(divide="ignore", invalid="ignore"):
        for j in reversed(range(r.shape[-1])):
            done = np.einsum("...ik,...k->...i", x[..., j + 1:], r[..., j, j + 1:])
            x[..., j] = (b[..., j] - done) / r[..., j, j][..., None]
    return x


# ----------------------------------------------------------------------------- losses


def _log_softmax(x, dim):
    """x - log(sum(exp(x), dim)), shifted by the maximum first so that nothing overflows or
    loses the small differences between large logits. float16 in float32, as torch's kernels:
    along the last dim its sum and then its log are kept in float16, so rounded there too."""
    if x.dtype == np.float16:
        kept = _in_float16 if dim in (-1, x.ndim - 1) else lambda v: v
        x = x.astype(np.float32)
        shifted = x - reduce_along(np.maximum, x, dim)
        total = _sum_in_order(exp(shifted), dim, of_float16=True)
        return (shifted - kept(log(kept(total)))).astype(np.float16)
    shifted = x - reduce_along(np.maximum, x, dim)
    return shifted - log(_sum_in_order(exp(shifted), dim))


def _in_float16(x):
    """float32 values rounded to float16, kept in float32 (a kernel's float16 buffer)."""
    return x.astype(np.float16).astype(np.float32)


def _softmax(x, dim):
    """exp(x) / sum(exp(x), dim), shifted by the maximum so that nothing overflows (along the
    last dim torch multiplies by 1 / sum; float16 in float32, as torch's)."""
    if x.dtype == np.float16:
        return _softmax(x.astype(np.float32), dim).astype(np.float16)
    e = exp(x - reduce_along(np.maximum, x, dim))
    s = _sum_in_order(e, dim)
    return e * (1 / s) if dim in (-1, x.ndim - 1) else e / s


def _sum_in_order(x, dim, of_float16=False):
    """sum(x, dim), kept, adding the terms as torch's softmax kernels do: one after another
    along a dim that is not the last one (a vector lane for each position), and along the last
    when it is shorter than a vector (AVX-512's 16 float32 or 8 float64); a longer one in the
    vector's lanes (_lanes, _in_halves). numpy adds in order down the first axis of a
    C-ordered array. ``of_float16``: float32 values of a float16 tensor, which torch's kernel
    loads 32 at a time into two float32 vectors, added together before their lanes are (in
    halves from 32 terms, else in turn)."""
    n = x.shape[dim] if x.ndim else 1
    if type(x) is not np.ndarray or n <= 1 or x.dtype.char not in "fd":  # (a tensor:
        return reduce_along(np.add, x, dim)  # create_graph)
    last = dim in (-1, x.ndim - 1)
    if last and of_float16 and n > 16:
        x = _lanes(x, 32)
        x = x[..., :16] + x[..., 16:]
        if n >= 32:
            return _in_halves(x)
    elif last and not of_float16 and n >= 64 // x.itemsize:
        return _in_halves(_lanes(x, 64 // x.itemsize))
    dim %= x.ndim
    first = x.T if x.ndim == 2 and dim else x.transpose(dim, *range(dim), *range(dim + 1, x.ndim))
    kept = x.shape[:dim] + (1,) + x.shape[dim + 1:]
    return np.add.reduce(np.ascontiguousarray(first), axis=0).reshape(kept)


def _lanes(x, lanes):
    """x's last dim added up into ``lanes`` running sums, as torch's vectorised reduce_all
    adds it: a vector at a time, in order, the last partial one into the first lanes."""
    n = x.shape[-1]
    full = n - n % lanes
    acc = np.zeros((*x.shape[:-1], lanes), x.dtype)
    if full:
        vectors = x[..., :full].reshape(*x.shape[:-1], full // lanes, lanes)
        acc = np.add.reduce(np.moveaxis(vectors, -2, 0).copy(), axis=0)  # (in order)
    acc[..., :n - full] += x[..., full:]
    return acc


def _in_halves(acc):
    """The sum of the lanes of ``acc`` (last dim), kept, as AVX-512's (or AVX2's) shuffles add
    them: lane i and lane i + 8, then i + 4, and so on."""
    lanes = acc.shape[-1]
    half = lanes // 2
    while half:
        acc = acc + acc[..., np.arange(lanes) ^ half]
        half //= 2
    return acc[..., :1]


def _reduce(loss, reduction):
    """The loss's mean or sum (torch's mean and sum of the losses), or the losses ('none')."""
    if reduction == "none":
        return loss
    return _mean(loss, None) if reduction == "mean" else add_reduce(loss)


def _reduced_grad(g, reduction, n):
    """The gradient of each element of an unreduced loss, from the reduced loss's gradient."""
    return g / n if reduction == "mean" else g


class SmoothL1Loss(Function):
    """reduce(z² / (2 beta) where z = |a - b| < beta, else z - beta / 2) ; da = g clamp((a - b) / beta, -1, 1), db = -da   (g / n for mean)"""  # noqa: E501

    elementwise = True

    @staticmethod
    def forward(ctx, a, b, reduction, beta):
        ctx.save_for_backward(a, b)
        ctx.reduction, ctx.beta = reduction, beta
        z = np.abs(a - b)  # (in their dtype, float16 too, each step rounded: torch's kernel)
        loss = np.where(z < beta, 0.5 * z * z / beta, z - 0.5 * beta)
        return _reduce(loss.astype(np.result_type(a, b), copy=False), reduction)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        return _robust_loss_grads(ctx, SmoothL1LossBackward, g, a, b, ctx.beta)


def _smooth_l1_grad(g, a, b, reduction, beta):
    """torch's kernel: norm (+-1 at |d| >= beta, else d / beta) g (its second derivative is
    0 at |d| = beta, and NaN at a NaN d); float16 in float32. Its scalar loop (over what the
    vector loop leaves, _vector_loop_end) computes norm d g / beta, beta a double."""
    d = _widened(a, b) - _widened(b, a)  # (float16 in float32, as torch's)
    norm, g = _norm(1, a, reduction), _widened(g)
    out = norm * np.where(np.abs(d) >= beta, np.sign(d), d / beta) * g
    if a.dtype == np.float16:  # (torch's float loop: one rounding)
        return out
    return _scalar_loop(out, a, b, g, lambda d, g: np.where(
        d <= -beta, -norm * g, np.where(d >= beta, norm * g, _in_double(norm * d * g, "/", beta))),
        d)


def _vector_loop_end(a, b, g):
    """How many elements, in C order, torch's vectorised loop (two AVX2 vectors a step: 32
    float16, 16 float32, 8 float64) computes before its scalar loop takes the rest, where a
    and b are C-ordered of one shape and g a number or of that shape too (otherwise: all, as
    tinyad does not follow other layouts' loops)."""
    if a.dtype != b.dtype or a.dtype.char not in "efd" or a.shape != b.shape or not (
            a.flags.c_contiguous and b.flags.c_contiguous) or np.size(g) not in (1, a.size):
        return a.size
    return a.size - a.size % (64 // a.itemsize)


def _scalar_loop(out, a, b, g, scalar, d):
    """``out`` (the vector loop's values) with the elements from _vector_loop_end on replaced
    by ``scalar(d, g)``, torch's scalar loop's."""
    end = _vector_loop_end(a, b, g)
    if end == a.size:
        return out
    tail = np.broadcast_to(g, a.shape).reshape(-1)[end:]
    out = np.array(out, copy=True).reshape(-1)
    with np.errstate(all="ignore"):
        out[end:] = scalar(d.reshape(-1)[end:], tail)
    return out.reshape(a.shape)


def _in_double(x, op, number):
    """x op number computed in float64 (a C++ float times a double), rounded to x's dtype."""
    wide = x.astype(np.float64)
    return (wide / number if op == "/" else wide * number).astype(x.dtype)


class HuberLoss(Function):
    """reduce(z² / 2 where z = |a - b| < delta, else delta (z - delta / 2)) ; da = g clamp(a - b, -delta, delta), db = -da   (g / n for mean)"""  # noqa: E501

    elementwise = True

    @staticmethod
    def forward(ctx, a, b, reduction, delta):
        ctx.save_for_backward(a, b)
        ctx.reduction, ctx.delta = reduction, delta
        z = np.abs(_widened(a) - _widened(b))  # (float16 in float32, as torch's)
        loss = np.where(z < delta, 0.5 * z * z, delta * (z - 0.5 * delta))
        return _reduce(loss.astype(a.dtype, copy=False), reduction)  # (in a's dtype, as torch's)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        for needed, x, y in zip(ctx.needs_input_grad, (a, b), (b, a)):
            if needed:  # (torch's kernel refuses operands and g of another dtype than x's)
                _same_dtype(x, y, g)
        return _robust_loss_grads(ctx, HuberLossBackward, g, a, b, ctx.delta)


def _huber_grad(g, a, b, reduction, delta):
    """torch's kernel, in the operands' dtype (float16 too, each step rounded): its vector loop
    d (+-delta where |d| >= delta) norm g (a NaN d: NaN), its scalar loop (_scalar_loop) over
    the rest +-norm g delta (delta a double) or norm d g; 1 / n rounded to the dtype."""
    dtype = np.result_type(a, b)
    norm, width = dtype.type(_norm(1, a, reduction)), dtype.type(delta)
    d, g = a - b, np.asarray(g).astype(dtype, copy=False)
    out = np.where(np.abs(d) >= width, np.where(d > 0, width, -width), d) * norm * g
    return _scalar_loop(out, a, b, g, lambda d, g: np.where(
        d <= -delta, _in_double(-norm * g, "*", delta), np.where(
            d >= delta, _in_double(norm * g, "*", delta), norm * d * g)), d)


def _robust_loss_grads(ctx, op, g, a, b, width):
    """The gradients of smooth_l1_loss or huber_loss (``op``: the one op of each gradient,
    which under create_graph is torch's, differentiated by torch's formulas)."""
    if not isinstance(g, (np.ndarray, np.generic)):
        da, db = ctx.needs_input_grad[:2]
        return (op.apply(g, a, b, ctx.reduction, width) if da else None,
                op.apply(g, b, a, ctx.reduction, width) if db else None, None, None)
    return _loss_grads(ctx, lambda a, b: op.grad(g, a, b, ctx.reduction, width), a, b) + (
        None, None)


class _RobustLossBackward(Function):
    """The gradient of smooth_l1_loss or huber_loss in a as one op, as torch's: its subclasses
    give the gradient (``grad``) and whether its derivative is over the width (beta)."""

    @staticmethod
    def forward(ctx, g, a, b, reduction, width):
        ctx.reduction, ctx.width = reduction, width
        ctx.save_for_backward(g, a, b)
        return _like(ctx.fn.grad(g, a, b, reduction, width), a)

    @staticmethod
    def backward(ctx, gg):
        g, a, b = ctx.saved_tensors
        dg, da, db = ctx.needs_input_grad[:3]
        reduction, width, grad = ctx.reduction, ctx.width, ctx.fn.grad
        gg_g = None  # (torch's double_backward_grad_output)
        if dg:
            gg_g = grad(gg, a, b, reduction, width) if reduction == "none" else \
                np.sum(grad(np.ones(np.shape(g), g.dtype), a, b, reduction, width) * gg)
        ga = None
        if da or db:  # (torch's double_backward, in its order)
            ga = gg * g * (np.abs(a - b) < width)
            if ctx.fn.over_width:
                ga = ga / width
            if reduction == "mean":
                with np.errstate(divide="ignore", invalid="ignore"):
                    ga = ga / _numel(a)
        return gg_g, ga if da else None, -ga if db else None, None, None


class SmoothL1LossBackward(_RobustLossBackward):
    """smooth_l1_loss's gradient in a as one op (torch's smooth_l1_loss_backward) ; dg = the gradient with g = gg ('none'), else the sum of gg times it with g = 1, da = gg g (|a - b| < beta) / beta, db = -da   (/ n for mean)"""  # noqa: E501

    backward_name = "SmoothL1LossBackwardBackward0"
    grad = staticmethod(_smooth_l1_grad)
    over_width = True


class HuberLossBackward(_RobustLossBackward):
    """huber_loss's gradient in a as one op (torch's huber_loss_backward) ; dg = the gradient with g = gg ('none'), else the sum of gg times it with g = 1, da = gg g (|a - b| < delta), db = -da   (/ n for mean)"""  # noqa: E501

    backward_name = "HuberLossBackwardBackward0"
    grad = staticmethod(_huber_grad)
    over_width = False


class MSELoss(Function):
    """reduce((a - b)**2) ; da = g * 2 (a - b), db = -da   (g / n for mean)"""

    elementwise = True

    backward_name = "MseLossBackward0"

    @staticmethod
    def forward(ctx, a, b, reduction):
        ctx.save_for_backward(a, b)
        d = a - b
        ctx.reduction = reduction
        return _reduce(np.multiply(d, d, out=d) if type(d) is np.ndarray else d * d, reduction)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        da, db = ctx.needs_input_grad[:2]
        if not isinstance(g, np.ndarray):  # under create_graph: one op, as torch's
            return (MseLossBackward.apply(g, a, b, ctx.reduction) if da else None,
                    MseLossBackward.apply(g, b, a, ctx.reduction) if db else None, None)
        return _loss_grads(ctx, lambda a, b: _mse_grad(a, b, g, ctx.reduction), a, b) \
            + (None,)


def _mse_grad(a, b, g, reduction):
    """norm (a - b) g, as torch's mse_loss gradient kernel rounds it (three roundings). Of
    1,024 elements or more, each product is written over the difference, an array of its own,
    where that keeps its dtype and shape: one new array where there were three (a new array's
    memory, touched for the first time, costs about what the product does; below that size,
    numpy's keyword out= costs more than it saves)."""
    d = a - b
    if d.size >= 1024 and type(g) is np.ndarray and g.dtype == d.dtype and (
            g.shape == () or g.shape == d.shape and g.strides == d.strides):  # (numpy would
        # lay out a product of two layouts in C order, as torch's gradient is)
        np.multiply(d, _norm(2, a, reduction), out=d)
        return np.multiply(d, g, out=d)
    return _norm(2, a, reduction) * d * g


def _norm(k, a, reduction):
    """torch's factor in the gradient kernels of the losses: k, over the number of elements
    of the input ``a`` as it is at backward for a mean (a saved input whose .data took
    another shape since counts its new ones)."""
    if reduction != "mean":
        return k
    return k / _numel(a) if _numel(a) else math.inf


def _loss_grads(ctx, grad, a, b):
    """The gradients of a loss of a and b that torch's kernels give as grad(a, b) and
    grad(b, a) (the second, -grad(a, b) when a and b are still of one shape and dtype), each
    computed in the dtype its operands promote to and written in its first operand's, as
    torch's kernel writes into an array like it (the dtypes differ once a saved input's .data
    took another)."""
    da, db = ctx.needs_input_grad[:2]
    alike = a.shape == b.shape and a.dtype == b.dtype
    ga = _like(grad(a, b), a) if da or db and alike else None
    return ga if da else None, (-ga if alike else _like(grad(b, a), b)) if db else None


def _like(x, a):
    """x in a's dtype."""
    if x.dtype == a.dtype:
        return x
    return x.astype(a.dtype) if isinstance(x, (np.ndarray, np.generic)) else x.to(a.dtype)


def _weak(x, other):
    """x as torch's type promotion takes a 0-d tensor that meets a tensor with dims, of its
    kind: in that one's dtype, where numpy would widen the other (in a full reduction's
    gradient, 0-d g meets a saved input whose .data took a narrower dtype)."""
    if isinstance(x, (np.ndarray, np.generic)) and not x.ndim and np.ndim(other) and \
            x.dtype != other.dtype and x.dtype.kind == other.dtype.kind:
        return x.astype(other.dtype)
    return x


class MseLossBackward(Function):
    """k g 2 (a - b), mse_loss's gradient as one op (k = 1/n for mean, else 1) ; dg = k gg 2 (a - b), da = k 2 (gg g), db = -da"""  # noqa: E501

    @staticmethod
    def forward(ctx, g, a, b, reduction):
        ctx.reduction, ctx.n = reduction, a.size
        ctx.save_for_backward(g, a, b)  # (all three, as torch's: a change to any is refused)
        return _like(_mse_grad(a, b, g, reduction), a)

    @staticmethod
    def backward(ctx, gg):
        g, a, b = ctx.saved_tensors
        dg, da, db = ctx.needs_input_grad[:3]
        ga = _reduced_grad(2 * (gg * g), ctx.reduction, ctx.n) if da or db else None
        return (_reduced_grad(gg, ctx.reduction, ctx.n) * 2 * (a - b) if dg else None,
                ga, -ga if db else None, None, None)


class LogSoftmax(Function):
    """y = a - log(sum(exp(a), dim)) ; da = g - exp(y) * sum(g, dim)"""

    c_order = True

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        out = _log_softmax(a, dim) if a.size else a.copy()
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        if not isinstance(g, np.ndarray):  # under create_graph: one op, as torch's
            return LogSoftmaxBackward.apply(g, out, ctx.dim), None
        return _log_softmax_backward(g, out, ctx.dim), None


def _log_softmax_backward(g, out, dim):
    """g - exp(out) sum(g, dim), the product and difference fused (one rounding), as torch's
    (float16 in float32, rounded once; float64 fused too: where the gradient is 0 but for
    rounding, as that of a softmax's sum, its sign is torch's)."""
    if type(g) is np.ndarray and g.dtype == np.float16:
        return _log_softmax_backward(g.astype(np.float32), out.astype(np.float32),
                                     dim).astype(np.float16)
    if type(g) is np.ndarray and g.dtype == np.float64:
        return fma(-exp(out), _sum_in_order(g, dim), g)
    return fms32(g, exp(out), _sum_in_order(g, dim))


class LogSoftmaxBackward(Function):
    """g - exp(out) sum(g, dim), log_softmax's gradient as one op ; dg = gg - sum(gg exp(out), dim), dout = -sum(g, dim) exp(out) gg"""  # noqa: E501

    backward_name = "LogSoftmaxBackwardDataBackward0"

    @staticmethod
    def forward(ctx, g, out, dim):
        ctx.dim = dim
        ctx.save_for_backward(g, out)
        return _log_softmax_backward(g, out, dim)

    @staticmethod
    def backward(ctx, gg):
        g, out = ctx.saved_tensors
        dg, dout = ctx.needs_input_grad[:2]
        p = exp(out)
        return (gg - reduce_along(np.add, gg * p, ctx.dim) if dg else None,
                -reduce_along(np.add, g, ctx.dim) * p * gg if dout else None, None)


class Softmax(Function):
    """y = exp(a) / sum(exp(a), dim) ; da = y * (g - sum(g * y, dim))"""

    c_order = True

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        out = _softmax(a, dim) if a.size else a.copy()
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        if type(g) is np.ndarray and g.dtype == np.float16:  # (in float32, as torch's)
            y, g32 = out.astype(np.float32), g.astype(np.float32)
            return (y * (g32 - _dot_in_order(g32, y, ctx.dim))).astype(np.float16), None
        if g.dtype == np.float16:  # (the same under create_graph)
            y, g32 = out.float(), g.float()
            return (y * (g32 - _dot_in_order(g32, y, ctx.dim))).half(), None
        return out * (g - _dot_in_order(g, out, ctx.dim)), None


def _dot_in_order(g, out, dim):
    """sum(g out, dim), kept, in torch's order: along the last dim the products, then their
    sum; along another (float32), each product fused into the running sum, one rounding a term."""
    if type(g) is not np.ndarray or g.dtype != np.float32 or g.ndim == 0 or \
            dim in (-1, g.ndim - 1) or g.shape[dim] > 64:  # (a long dim: not in Python)
        return _sum_in_order(g * out, dim)
    total = np.zeros(np.delete(g.shape, dim), np.float32)
    for g_j, out_j in zip(np.moveaxis(g, dim, 0), np.moveaxis(out, dim, 0)):
        total = (g_j.astype(np.float64) * out_j + total).astype(np.float32)
    return np.expand_dims(total, dim)


_CLASS_INDEX = (np.dtype(np.int64), np.dtype(np.uint8))  # torch's Long and Byte
TORCH_TYPE_NAMES = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char",
                    "uint8": "Byte", "bool": "Bool", "float16": "Half", "float32": "Float",
                    "float64": "Double"}  # torch's names of scalar types in its messages


def _class_indices(x, target, weight, ignore_index, who):
    """Check that ``target`` holds one class index per row of the (N, C) input ``x``, each a
    valid class or ``ignore_index``, and that ``weight`` (if given) holds one weight of x's
    dtype per class; return None when no row is ignored, else the mask of the rows that count."""
    if x.ndim != 2 or target.ndim != 1 or target.shape[0] != x.shape[0]:
        # (in torch's order: the batch sizes, then the target's dims, then its dtype)
        batch = target.shape[0] if target.ndim else 0
        if x.ndim == 2 and not target.ndim and not x.shape[0]:  # (torch reads target.size(0))
            raise IndexError("Dimension specified as 0 but tensor has no dimensions")
        if x.ndim == 2 and batch != x.shape[0]:
            raise ValueError(f"Expected input batch_size ({x.shape[0]}) to match target "
                             f"batch_size ({batch}).")
        if target.ndim > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        _check_class_index_dtype(target, who)  # (torch checks it before other shapes)
        if x.ndim == 1 and target.ndim == 1:
            raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: "
                             f"{batch}")
        raise ValueError(
            f"{who} expects input of shape (N, C) and target of shape (N,), got input "
            f"{x.shape} and target {target.shape}")
    _check_class_index_dtype(target, who)
    num_classes = x.shape[1]
    if weight is not None and weight.shape != (num_classes,):
        raise RuntimeError(f"weight tensor should be defined either for all {num_classes} "
                           f"classes or no classes but got weight tensor of shape: "
                           f"{list(weight.shape)}")
    if x.dtype.kind != "f":  # (torch's kernel refuses it after the shapes)
        raise NotImplementedError(f'"nll_loss_out_frame" not implemented for '
                                  f"'{TORCH_TYPE_NAMES[x.dtype.name]}'")
    if weight is not None and weight.dtype != x.dtype:
        raise RuntimeError(f"expected scalar type {TORCH_TYPE_NAMES[x.dtype.name]} but found "
                           f"{TORCH_TYPE_NAMES.get(weight.dtype.name, weight.dtype)}")
    if not target.size:
        return None
    low, high = np.minimum.reduce(target), np.maximum.reduce(target)
    if 0 <= low and high < num_classes and not low <= ignore_index <= high:
        return None  # (the usual case, told from the extremes alone)
    kept = target != ignore_index
    bad = target[kept & ((target < 0) | (target >= num_classes))]
    if bad.size:
        raise IndexError(
            f"{who}: target {int(bad[0])} is out of range for {num_classes} classes "
            f"(class indices must be in [0, {num_classes - 1}], or ignore_index, "
            f"{ignore_index})")
    return kept


def _check_class_index_dtype(target, who):
    if target.dtype not in _CLASS_INDEX:
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got "
                           f"{TORCH_TYPE_NAMES.get(target.dtype.name, target.dtype.name)} "
                           f"({who}: the target holds class indices; use target.long())")


def _one_hot(target, num_classes):
    """A boolean (N, C) matrix, True at [i, target[i]] (an array, also for a tensor target; a
    0-d target as one of shape (1,))."""
    target = np.asarray(target)
    return (target[:, None] if target.ndim else target[None, None]) == np.arange(num_classes)


class NLLLoss(Function):
    """reduce(-w_i p[i, t_i]) with w_i = weight[t_i], 0 where t_i = ignore_index ; dp = -g w_i at [i, t_i], zero elsewhere   (mean: / sum of w_i)"""  # noqa: E501

    backward_name = "NllLossBackward0"

    @staticmethod
    def forward(ctx, logp, target, weight, ignore_index, reduction):
        ctx.save_for_backward(logp, target, weight)  # logp too, as torch (changing it: an error)
        # one unbatched sample (C,), with a 0-d target; with a target of shape (1,) torch
        # computes the loss but not its gradient (see backward)
        ctx.unbatched, ctx.classes = logp.ndim == 1 and target.ndim == 0, logp.shape[-1]
        rows, targets = logp, target
        if ctx.unbatched or logp.ndim == 1 and target.shape == (1,):
            rows, targets = logp[None], target.reshape(1)
        kept = _class_indices(rows, targets, weight, ignore_index, "nll_loss")
        ctx.reduction, ctx.kept = reduction, kept
        if not rows.shape[1]:  # no class at all (so every target is ignored): read class 0
            rows = np.zeros((len(targets), 1), rows.dtype)  # of zeros, as torch reads none
            weight = None if weight is None else np.zeros(1, weight.dtype)
        classes = targets if kept is None else np.where(kept, targets, 0)
        loss = -rows[np.arange(len(targets)), classes]
        ctx.weights = None if weight is None else weight[classes]
        if ctx.weights is not None:
            loss *= ctx.weights
        if kept is not None:
            loss[~kept] = 0  # (whatever the input holds there, NaN or inf, as torch)
            if ctx.weights is not None:
                ctx.weights[~kept] = 0
        if logp.ndim == 1 and reduction == "none":  # (added to 0, as torch's kernel
            return loss[0] + 0.0  # accumulates it: -0.0 is 0.0)
        if ctx.weights is None:  # (torch counts the samples it kept, in the input's dtype)
            ctx.total_weight = rows.dtype.type(len(targets) if kept is None else kept.sum())
        else:
            ctx.total_weight = _cascade_sum(ctx.weights, kept)
        if reduction == "none":
            return loss
        with np.errstate(invalid="ignore", divide="ignore"):  # (all ignored, mean: 0/0 = NaN)
            total = _cascade_sum(loss, kept)
            return np.asarray(total / ctx.total_weight if reduction == "mean" else total)

    @staticmethod
    def backward(ctx, g):
        logp, target, _ = ctx.saved_tensors
        # torch's backward checks the input (of a batch of (C,): C rows) against the target,
        # as they are now (a leaf's .data may have changed since)
        if not 0 < logp.ndim <= 2:
            raise RuntimeError("input tensor should be 1D or 2D")
        if logp.dtype != g.dtype:  # (the input's .data took another dtype since)
            found, expected = (TORCH_TYPE_NAMES[np.dtype(a.dtype).name] for a in (g, logp))
            raise RuntimeError(f"expected scalar type {expected} but found {found}")
        if not (logp.ndim == 1 and target.ndim == 0):
            if not target.ndim:
                raise IndexError("Dimension specified as 0 but tensor has no dimensions")
            if logp.shape[0] != target.shape[0]:
                raise RuntimeError(f"size mismatch (got input: {list(logp.shape)}, target: "
                                   f"{list(target.shape)})")
        picked = _nll_picked(ctx, g, logp.shape[-1], target)
        if logp.ndim == 1:  # (one sample)
            picked = picked.reshape(logp.shape)
        return _nll_gradient(picked, logp, target), None, None, None, None


def _nll_picked(ctx, g, classes, target):
    """-g w_i at [i, t_i] of (N, C) rows, with C = ``classes`` (the input's now), zero
    elsewhere (g over the total weight for a mean)."""
    if classes < ctx.classes:  # (fewer classes now: targets may be out of bounds)
        targets = getattr(target, "_data", target).reshape(-1)  # (a tensor: create_graph)
        targets = targets if ctx.kept is None else targets[ctx.kept]
        outside = targets[targets >= classes]
        if outside.size:
            raise IndexError(f"Target {outside[0]} is out of bounds.")
    if ctx.reduction == "mean" and ctx.total_weight:
        g = g / ctx.total_weight
    elif ctx.reduction == "mean":
        with np.errstate(divide="ignore", invalid="ignore"):
            g = g / ctx.total_weight  # (as torch: inf or NaN when every weight is 0)
    elif ctx.reduction == "none":
        g = g.reshape(-1, 1)
    g = -g if ctx.weights is None else -g * ctx.weights[:, None]
    chosen = _one_hot(target, classes)  # (the input's classes now, as torch's)
    if ctx.kept is not None:
        chosen &= ctx.kept[:, None]
    return np.where(chosen, g, 0)


def _nll_gradient(picked, logp, target, op=None):
    """The gradient ``picked``, and under create_graph torch's function of it and the input
    (``op``: NllLossBackward's kind for the loss)."""
    if type(logp) is np.ndarray:  # (no graph to build: the values are all there is)
        return picked
    return (op or NllLossBackward).apply(picked, logp, target)


def _cascade_sum(terms, kept=None):
    """The sum of ``terms`` as torch's nll_loss adds them up, in their dtype, one term at a
    time into a running sum that moves up into the next of 8 levels at every 16th index not
    ignored (``kept``), the next into the one above every 256th, and so on; the levels added
    last, from the lowest."""
    zero = terms.dtype.type(0)
    n = len(terms)
    if kept is None and 0 < n <= 256:  # (the same, at once: term 0 moves up to the top level,
        blocks = (n - 1) // 16  # each next 16 into level 1, the rest stays in level 0)
        rest = n - 1 - 16 * blocks
        # levels 0 and 1, running sums from 0, in one accumulate: each led by zeros to 16
        # terms (0 + 0 + t is 0 + t, for t = -0.0 too); level 1 adds the blocks' sums
        runs = np.zeros((2, 16), terms.dtype)
        runs[0, 16 - rest:] = terms[n - rest:]
        if blocks:
            runs[1, 16 - blocks:] = np.add.accumulate(
                terms[1:16 * blocks + 1].reshape(blocks, 16), axis=1)[:, -1]
        low, high = np.add.accumulate(runs, axis=1)[:, -1]
        # then the levels from 0: none of them is -0.0 (a running sum from +0 never is), so
        # 0 + low and the + 0 of levels 2 to 6 change nothing
        return low + high + (zero + terms[0])
    levels, start = [zero] * 8, 0
    for end in range(0, n, 16):
        if kept is not None and not kept[end]:  # (an ignored sample moves nothing)
            continue
        levels[0] = _running_sum(levels[0], terms[start:end + 1])
        start, level = end + 1, 0
        while level < 7 and end & (15 << 4 * level) == 0:
            levels[level + 1], levels[level] = levels[level + 1] + levels[level], zero
            level += 1
    levels[0] = _running_sum(levels[0], terms[start:])
    return _running_sum(zero, np.array(levels, terms.dtype))


def _running_sum(total, terms):
    """total + terms[0] + terms[1] + ..., in their dtype, rounded at each step."""
    if not len(terms):
        return total
    return np.add.accumulate(np.concatenate((np.array([total], terms.dtype), terms)))[-1]


class NLLLoss2d(NLLLoss):
    """NLLLoss at each position of (N, C, H, W) log-probabilities, classes along dim 1, under (N, H, W) targets ; dp = -g w at [n, t, h, w], zero elsewhere   (mean: / sum of w)"""  # noqa: E501

    backward_name = "NllLoss2DBackward0"

    @staticmethod
    def forward(ctx, logp, target, weight, ignore_index, reduction):
        n, c, h, w = logp.shape
        rows = np.moveaxis(logp, 1, 3).reshape(n * h * w, c)  # (each position a sample)
        loss = NLLLoss.forward(ctx, rows, target.reshape(n * h * w), weight, ignore_index,
                               reduction)
        ctx.save_for_backward(logp, target, weight)  # (the inputs as given, as torch's)
        return loss.reshape(n, h, w) if reduction == "none" else loss

    @staticmethod
    def backward(ctx, g):
        logp, target, _ = ctx.saved_tensors
        if logp.ndim != 4:  # (its .data took another shape since)
            raise RuntimeError(f"only batches of spatial inputs supported (4D tensors), but got "
                               f"input of dimension: {logp.ndim}")
        n, c, h, w = logp.shape
        picked = _nll_picked(ctx, g, c, target.reshape(-1))
        picked = np.transpose(np.reshape(picked, (n, h, w, c)), (0, 3, 1, 2))
        return _nll_gradient(picked, logp, target, NllLoss2DBackward), None, None, None, None


class NllLossBackward(Function):
    """torch's gradient of nll_loss under create_graph, a function of the incoming gradient (g at the targets: picked) and of the input, with derivative 0 there ; dpicked = g, dlogp = 0 (a constant, as torch's zeros_like: it does not require grad)"""  # noqa: E501

    backward_name = "NllLossBackwardBackward0"

    @staticmethod
    def forward(ctx, picked, logp, target):
        ctx.logp_shape, ctx.logp_dtype = logp.shape, logp.dtype
        ctx.save_for_backward(None, None, target)  # (as torch's: freed after a backward)
        return picked

    @staticmethod
    def backward(ctx, g):
        _ = ctx.saved_tensors  # (freed by a backward: a second one fails, as torch's)
        return g, np.zeros(ctx.logp_shape, ctx.logp_dtype), None


class NllLoss2DBackward(NllLossBackward):
    """torch's gradient of nll_loss2d under create_graph, as NllLossBackward's ; dpicked = g, dlogp = 0 (a constant)"""  # noqa: E501

    backward_name = "NllLoss2DBackwardBackward0"


BCE_EPSILON = float(np.float32(1e-12))  # (torch's kernel: the float 1e-12, 9.99999996e-13)


class BinaryCrossEntropy(Function):
    """-w (t log x + (1 - t) log(1 - x)) ; dx = g w (x - t) / max(x (1 - x), 1e-12), dt = -log(x / (1 - x)) g w"""  # noqa: E501

    elementwise = True

    # the logs are clamped at -100, as torch's, so that x = 0 or 1 gives a finite loss

    @staticmethod
    def forward(ctx, x, t, weight, reduction):
        ctx.reduction = reduction
        ctx.save_for_backward(x, t, weight)
        with np.errstate(divide="ignore"):
            loss = -(t * np.maximum(log(x), -100) + (1 - t) * np.maximum(log1p(-x), -100))
        return _reduce(loss if weight is None else loss * weight, reduction)

    @staticmethod
    def backward(ctx, g):
        x, t, weight = ctx.saved_tensors
        dx, dt = ctx.needs_input_grad[:2]
        gx = gt = None
        if dx and not isinstance(g, np.ndarray):  # under create_graph: one op, as torch's
            gx = BinaryCrossEntropyBackward.apply(g, x, t, weight, ctx.reduction, _numel(x))
        elif dx:  # (torch's steps: the kernel, then the weight and the mean in place)
            gx = g * (x - t) / np.maximum((1 - x) * x, BCE_EPSILON)
            gx = _weighted_mean(gx, weight, ctx.reduction, x)
        if dt:  # (-logit(x): inf at x = 0, as torch's, unclamped)
            with np.errstate(divide="ignore"):
                gt = _weighted_mean(_in_place(-log(x / (1 - x)), operator.mul, g), weight,
                                    ctx.reduction, t)
        return gx, gt, None, None


def _weighted_mean(grad, weight, reduction, a, in_place=True):
    """A loss's gradient times the weight, then over a's number of elements now for a mean
    (its .data may have changed since the forward): torch's last steps, in place."""
    if weight is not None:
        grad = _in_place(grad, operator.mul, weight, in_place)
    return _in_place(grad, operator.truediv, _numel(a), in_place) if reduction == "mean" \
        else grad


class BinaryCrossEntropyBackward(Function):
    """k g w (x - t) / max(x (1 - x), 1e-12), binary_cross_entropy's gradient in x as one op (k = 1/n for mean) ; dg = k gg w (x - t) / ((x + e)(1 - x + e)), dx = k gg g w (x² - 2xt + t) / ((x + e)²(1 - x + e)²), dt = -k gg g w / max(x (1 - x), e), e = 1e-12"""  # noqa: E501

    @staticmethod
    def forward(ctx, g, x, t, weight, reduction, n):
        ctx.reduction, ctx.n = reduction, n
        ctx.save_for_backward(g, x, t, weight)  # (as torch's: a change to any is refused)
        g = _reduced_grad(g, reduction, n)
        scale = g if weight is None else g * weight
        return scale * (x - t) / np.maximum(x * (1 - x), BCE_EPSILON)

    @staticmethod
    def backward(ctx, gg):
        g, x, t, weight = ctx.saved_tensors
        dg, dx, dt = ctx.needs_input_grad[:3]
        gg = _reduced_grad(gg, ctx.reduction, ctx.n)
        if weight is not None:
            gg = gg * weight
        e = 1e-12
        return (gg * (x - t) / ((x + e) * (1 - x + e)) if dg else None,
                (x * x - 2 * x * t + t) / ((x + e) ** 2 * (1 - x + e) ** 2) * (g * gg)
                if dx else None,
                -(g * gg) / np.maximum(x * (1 - x), e) if dt else None, None, None, None)


class BCEWithLogits(Function):
    """w ((1-t) x + c softplus(-x)), c = 1 + (p-1) t ; dx = g w (c sigmoid(x) - p t), dt = g w ((p-1) softplus(-x) - x)"""  # noqa: E501

    backward_name = "BinaryCrossEntropyWithLogitsBackward0"

    @staticmethod
    def forward(ctx, x, t, weight, pos_weight, reduction):
        ctx.reduction = reduction
        ctx.save_for_backward(x, t, weight, pos_weight)
        softplus = -_log_sigmoid(x)  # log(1 + exp(-x)), torch's log_sigmoid (in x's dtype)
        if pos_weight is not None:  # (torch's steps in place, each in its tensor's dtype: the
            softplus = (softplus * (1 + (pos_weight - 1) * t)).astype(x.dtype, copy=False)
        loss = ((1 - t) * x).astype(t.dtype, copy=False) + softplus  # logits', then the
        loss = loss.astype(t.dtype, copy=False)  # target's: the loss is of the target's dtype)
        return _reduce(loss if weight is None else (loss * weight).astype(t.dtype, copy=False),
                       reduction)

    @staticmethod
    def backward(ctx, g):
        x, t, weight, pos_weight = ctx.saved_tensors
        dx, dt = ctx.needs_input_grad[:2]
        graph = not isinstance(g, np.ndarray)  # (create_graph)
        gx = gt = None
        if dx:  # torch's steps: in place but under create_graph
            if pos_weight is None:
                gx = _in_place(_sigmoid(x), operator.sub, t, not graph)
            else:
                pt = pos_weight * t
                gx = _in_place(_in_place(pt + 1, operator.sub, t, not graph), operator.mul,
                               _sigmoid(x), not graph)
                gx = _in_place(gx, operator.sub, pt, not graph)
            gx = _weighted_mean(_in_place(gx, operator.mul, g, not graph), weight,
                                ctx.reduction, x, not graph)
        if dt:  # (in place also under create_graph, as torch's)
            if pos_weight is None:
                gt = -x * g
            else:
                gt = _in_place(_in_place(_log_sigmoid(-x), operator.sub, _in_place(
                    _log_sigmoid(x), operator.mul, pos_weight)), operator.mul, g)
            gt = _weighted_mean(gt, weight, ctx.reduction, t)
        return gx, gt, None, None, None


def _in_place(a, op, b, in_place=True):
    """``a op b`` (op: operator.sub, mul or truediv) as a step of torch's gradient formulas,
    written into ``a`` when ``in_place``: there b must fit a's shape, as torch's in-place op
    requires (an input whose .data took another shape since the forward may not)."""
    if not in_place:
        return op(a, b)
    if isinstance(a, (np.ndarray, np.generic)):
        a = np.asarray(a)
        new = {operator.sub: operator.sub, operator.mul: _times, operator.truediv: _over}[op](a, b)
        if new.shape != a.shape:
            raise RuntimeError(f"output with shape {list(a.shape)} doesn't match the broadcast "
                               f"shape {list(new.shape)}")
        a[...] = new
        return a
    return {operator.sub: a.sub_, operator.mul: a.mul_, operator.truediv: a.div_}[op](b)


def _numel(a):
    """The number of elements of an array, or of a tensor (under create_graph)."""
    return a.size if isinstance(a, np.ndarray) else a.numel()
