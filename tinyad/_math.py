"""numpy's transcendental ufuncs with a float32 result computed in float64 and rounded once,
and fused multiply-add.

torch's float32 kernels (SLEEF's, within one ulp) return the correctly rounded value for about
99 % of inputs; numpy's own float32 loops, within a few ulp, return another float32 than
torch's for 10 to 60 % of them (exp: 39 %, tanh: 32 %, log10: 48 %). Computed in float64 and
rounded once, the value is the correctly rounded one, and so torch's to the last bit for all but
about 1 % of inputs (measured on a million normal inputs: exp 1.1 %, log 0.03 %, tanh 0.6 %).
The ops call these in place of ``np.exp`` and the others; float64 goes straight to numpy, and
a tensor (a gradient formula differentiated again) to tinyad's op through numpy's dispatch.
The price is a float64 temporary: about 1 µs a call on small arrays, and 2 to 9 times numpy's
float32 time on large ones.
torch's kernels are compiled with fused multiply-add, so a b + c in them is rounded once:
``fms32`` (c - a b) does that for float32, ``fma`` for float64 as well.
"""

import numpy as np

from ._quiet import quiet_numpy

_F32, _F64 = np.dtype(np.float32), np.dtype(np.float64)
_ARRAYS = (np.ndarray, np.generic)
_OPERANDS = (*_ARRAYS, int, float)


def _unary(ufunc):
    def call(a):
        if isinstance(a, _ARRAYS) and a.dtype == _F32:
            return ufunc(a, dtype=_F64).astype(_F32)  # (laid out as ufunc(a) would be)
        return ufunc(a)

    call.__name__ = call.__qualname__ = ufunc.__name__
    call.__doc__ = f"np.{ufunc.__name__}, float32 computed in float64 and rounded once."
    return call


def _binary(ufunc):
    def call(a, b):
        if isinstance(a, _OPERANDS) and isinstance(b, _OPERANDS) and \
                np.result_type(a, b) == _F32:  # (not a tensor: create_graph)
            return ufunc(a, b, dtype=_F64).astype(_F32)
        return ufunc(a, b)

    call.__name__ = call.__qualname__ = ufunc.__name__
    call.__doc__ = f"np.{ufunc.__name__}, float32 computed in float64 and rounded once."
    return call


def torch_nan(out, *inputs):
    """``out`` with the sign torch's log, log2, log10 and sqrt give the NaNs they make (where no
    input is NaN; a NaN input keeps its sign in both): positive in float32 and float64, where
    numpy's are the processor's default NaN, whose sign bit is set; negative in float16, where
    numpy's log10 gives a positive one."""
    if not isinstance(out, _ARRAYS) or out.dtype.kind != "f":
        return out
    nan = np.isnan(out)
    if not nan.any():
        return out
    for x in inputs:
        if isinstance(x, _ARRAYS) and x.dtype.kind == "f":
            nan &= ~np.isnan(x)
    magnitude = np.abs(out)
    return np.where(nan, -magnitude if out.dtype == np.float16 else magnitude, out)


exp, expm1, log, log1p, log2, log10 = map(_unary, (np.exp, np.expm1, np.log, np.log1p, np.log2,
                                                    np.log10))
sin, cos, tan, arcsin, arccos, arctan = map(_unary, (np.sin, np.cos, np.tan, np.arcsin,
                                                      np.arccos, np.arctan))
sinh, cosh, tanh = map(_unary, (np.sinh, np.cosh, np.tanh))
arcsinh, arccosh, arctanh, exp2 = map(_unary, (np.arcsinh, np.arccosh, np.arctanh, np.exp2))
power, arctan2 = map(_binary, (np.power, np.arctan2))


def fms32(c, a, b):
    """c - a b, rounded once where it is float32, as torch's kernels (built with fused
    multiply-add) compute 1 - y² and the like; else as numpy computes it, rounded twice (in
    float64 the fused result can differ in the last bit, not worth ``fma``'s dozen passes)."""
    if isinstance(a, np.ndarray) and a.dtype == _F32:
        return (c - a.astype(_F64) * b).astype(_F32)
    return c - a * b


def fma(a, b, c):
    """a * b + c rounded once, as the fused multiply-add torch's kernels use (lerp, linspace):
    for float32, in float64 (exact, then one rounding); for float64, by error-free
    transformations (Dekker's product and Knuth's sum: the sum of three exact parts, which is
    the correctly rounded result except in rare double-rounding ties)."""
    dtype = np.result_type(a, b, c)
    if dtype != np.float64:
        return (np.asarray(a, np.float64) * b + c).astype(dtype)
    with quiet_numpy():
        p = np.multiply(a, b)
        a_hi, a_lo = _split(np.asarray(a, dtype))
        b_hi, b_lo = _split(np.asarray(b, dtype))
        product_error = ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
        s = p + c
        s_part = s - p
        sum_error = (p - (s - s_part)) + (c - s_part)
        error = sum_error + product_error
        fused = np.where(error == 0, s, s + error)  # (-0.0 + 0.0 would lose a zero's sign)
    return np.where(np.isfinite(fused), fused, s)  # (infinities, NaN, huge: not fused)


def _split(x):
    """x = hi + lo exactly, each with half of the mantissa (Dekker)."""
    t = 134217729.0 * x  # 2**27 + 1
    hi = t - (t - x)
    return hi, x - hi
