"""Memory layout of new tensors made "like" another (torch's ``memory_format=preserve_format``).

Layout is observable: ``view`` refuses a tensor whose strides do not allow it, and
``is_contiguous`` reports it. torch's ``clone``, ``empty_like``, ``zeros_like``, ``ones_like``,
``full_like``, ``rand_like`` and ``randn_like`` keep the order of the source's dims in memory
(a transposed tensor gives a transposed copy), where numpy's ``copy`` is C-ordered and its
``*_like`` handle broadcast (stride 0) dims another way.
"""

from __future__ import annotations

import math

import numpy as np

from ._quiet import quiet_numpy


def dim_order(shape, *strides):
    """The dims of an array from the fastest-moving in memory to the slowest, as torch orders
    them for preserve_format: by stride, a tie going to the smaller size, and a dim of stride 0
    (broadcast) compared with nothing, so that it keeps its place in C order. Given the
    strides of several operands (of an elementwise op), the first that orders two dims does,
    as torch's TensorIterator."""
    def compare(a, b):  # > 0: dim a moves slower than dim b
        for s in strides:
            if s[a] == 0 or s[b] == 0:
                continue
            if s[a] != s[b]:
                return 1 if abs(s[a]) > abs(s[b]) else -1
            if shape[a] > shape[b]:
                return 1
        return 0

    return sorted_dims(len(shape), compare)


def sorted_dims(ndim, compare):
    """The dims from the fastest-moving to the slowest as torch's TensorIterator sorts them:
    from C order (the last dim fastest), an insertion sort by ``compare(a, b)`` (> 0: dim a
    moves slower than dim b) that stops at a dim it puts before and steps over dims it cannot
    compare with (0)."""
    order = list(range(ndim))[::-1]
    for i in range(1, ndim):
        j = i
        for k in range(i - 1, -1, -1):
            c = compare(order[k], order[j])
            if c > 0:
                order[k], order[j] = order[j], order[k]
                j = k
            elif c < 0:
                break
    return order


def empty_like(array, dtype=None):
    """An uninitialised array of ``array``'s shape laid out as torch's empty_like (its
    preserve_format) lays it out: C order for a C-ordered array, the same strides for a
    dense one (size-1 dims' included), and otherwise dense with its dims in the order of
    ``array``'s (dim_order)."""
    dtype = np.dtype(array.dtype if dtype is None else dtype)
    if array.ndim < 2 or c_ordered(array):
        return np.empty(array.shape, dtype=dtype)
    if _copyable_strides(array):
        return _empty_strided(array.shape, array.strides, array.itemsize, dtype)
    return _empty_in(dim_order(array.shape, array.strides), array.shape, dtype)


def _copyable_strides(array):
    """Whether a new array can take ``array``'s strides (torch's empty_strided of a dense
    tensor's): dense, and none negative (numpy's flip has negative ones, torch none)."""
    return is_dense(array) and min(array.strides) >= 0


def _empty_strided(shape, strides, itemsize, dtype):
    """An uninitialised array of ``shape`` and ``dtype`` with the strides of a dense array
    of elements of ``itemsize`` bytes (torch's empty_strided)."""
    strides = tuple(s // itemsize * dtype.itemsize for s in strides)
    return np.ndarray(shape, dtype, np.empty(math.prod(shape), dtype), strides=strides)


def c_ordered(array):
    """Whether ``array`` lies in memory in C order, its size-1 dims' strides included (numpy's
    C-contiguous flag ignores them; torch's views keep strides of their own there, which
    decide the layout of what is made from them)."""
    if not array.flags.c_contiguous:
        return False
    if 1 not in array.shape:
        return True
    step = array.itemsize
    for n, stride in zip(array.shape[::-1], array.strides[::-1]):
        if stride != step:
            return False
        step *= n
    return True


def c_ordered_all(args):
    """Whether every array among ``args`` of 2 dims or more lies in C order (c_ordered): where
    so, an elementwise result's layout is numpy's (like_operands' common case, checked fast)."""
    for a in args:
        if type(a) is np.ndarray and a.ndim > 1 and not (
                a.flags.c_contiguous and (1 not in a.shape or c_ordered(a))):
            return False
    return True


def _empty_in(order, shape, dtype):
    """An uninitialised array of ``shape`` whose dims lie in memory in ``order`` (fastest
    first, as dim_order gives them)."""
    slowest_first = order[::-1]
    if slowest_first == sorted(slowest_first):  # (C order: a reversed array's, say)
        return np.empty(shape, dtype=dtype)
    out = np.empty(tuple(shape[d] for d in slowest_first), dtype=dtype)
    return out.transpose(np.argsort(slowest_first))


def like_operands(out, operands):
    """``out``, the result of an elementwise op of ``operands`` (numpy's: in C order where
    their layouts disagree), laid out as torch's TensorIterator lays it. Where every operand
    is an array of out's shape (a number is not), its fast setup: C order if every one is
    contiguous; channels-last order if 4-d and every one is so; the operands' own strides if
    they all have the same and are dense (size-1 dims' strides included). Otherwise the
    order the first operand that orders two dims gives them (dim_order; a broadcast dim
    orders nothing). Where every operand lies in C order (the common case, checked first),
    numpy's layout is torch's."""
    if c_ordered_all(operands):
        return out
    arrays = [a for a in operands if type(a) is np.ndarray]
    shape, order = out.shape, None
    if len(arrays) == len(operands) and all(a.shape == shape for a in arrays):
        if all(a.flags.c_contiguous for a in arrays):
            order = list(range(out.ndim))[::-1]
        elif out.ndim == 4 and all(_channels_last(a) for a in arrays):
            order = [1, 3, 2, 0]
        elif len({tuple(s // a.itemsize for s in a.strides) for a in arrays}) == 1 and \
                _copyable_strides(arrays[0]):  # (the same strides, in elements)
            a = arrays[0]
            if out.strides == tuple(s // a.itemsize * out.itemsize for s in a.strides):
                return out
            laid_out = _empty_strided(shape, a.strides, a.itemsize, out.dtype)
            laid_out[...] = out
            return laid_out
    if order is None:
        strides = [(0,) * (out.ndim - a.ndim) + tuple(
            0 if n == 1 and m != 1 else s for n, m, s in zip(a.shape, shape[out.ndim - a.ndim:],
                                                             a.strides))
            for a in arrays if a.ndim]
        order = dim_order(shape, *strides)
    step, wanted = out.itemsize, [0] * out.ndim
    for d in order:
        wanted[d], step = step, step * shape[d]
    if list(out.strides) == wanted:
        return out
    laid_out = _empty_in(order, shape, out.dtype)
    laid_out[...] = out
    return laid_out


def like(out, array):
    """``out``, computed elementwise from ``array``, laid out as empty_like(array) (torch's
    ops that make their output so, then fill it: hardtanh, nan_to_num)."""
    if out.ndim < 2 or c_ordered(array):
        return out
    laid_out = empty_like(array, out.dtype)
    if laid_out.strides == out.strides:
        return out
    laid_out[...] = out
    return laid_out


def _channels_last(a):
    """Whether the 4-d array ``a`` is contiguous in channels-last order (dims 1, 3, 2, 0 from
    the fastest), size-1 dims' strides aside, as torch's is_contiguous(channels_last)."""
    step = a.itemsize
    for d in (1, 3, 2, 0):
        if a.shape[d] != 1:
            if a.strides[d] != step:
                return False
            step *= a.shape[d]
    return True


def copy(array):
    """A copy of ``array`` with its layout (torch's clone)."""
    out = empty_like(array)
    out[...] = array
    return out


def c_order(array):
    """``array`` laid out in C order (np.ascontiguousarray would make a 0-d array 1-d)."""
    return array if array.flags.c_contiguous else array.copy(order="C")


def astype(array, dtype):
    """``array`` converted to ``dtype`` as torch's .to() lays the copy out: as empty_like
    (numpy's "K" order would follow strides of 0 too, and a C-ordered copy of a transposed
    slice is not torch's)."""
    with quiet_numpy():  # (inf into an integer, 1e308 into float32: as torch, no warning)
        if array.dtype == np.float64 and np.dtype(dtype) == np.uint8:  # (torch's goes through
            array = array.astype(np.int64)  # int64, which wraps around: 1e10 + 1 is 1)
        if array.ndim < 2 or c_ordered(array):
            return array.astype(dtype)
        out = empty_like(array, dtype)
        out[...] = array
        return out


def is_dense(array):
    """Whether the elements of ``array`` fill a block of memory, each once, in some order of
    its dims (torch's is_non_overlapping_and_dense; size-1 dims do not count)."""
    flags = array.flags
    if (flags.c_contiguous or flags.f_contiguous) and array.size:  # (the common case, without
        return True  # the loop; numpy calls an empty array contiguous whatever its strides)
    expected = array.itemsize
    for stride, n in sorted((abs(s), n) for n, s in zip(array.shape, array.strides) if n > 1):
        if stride != expected:
            return False
        expected *= n
    return True


def expanded_strides(a, shape):
    """The strides torch's expand gives ``a`` expanded to ``shape``: 0 where a dim is
    repeated, and a new size-1 dim's stride is the next dim's size times its stride (every
    stride 0 when a is 0-d)."""
    strides, lead, own = [0] * len(shape), len(shape) - a.ndim, a.strides
    if a.ndim == 0:
        return strides
    for i in range(len(shape) - 1, -1, -1):
        if i >= lead:
            strides[i] = own[i - lead] if a.shape[i - lead] == shape[i] else 0
        elif shape[i] == 1:
            strides[i] = shape[i + 1] * strides[i + 1]
    return strides


def element_strides(a):
    """a's strides in elements, as torch has them for an empty array too: numpy gives 0 where
    a later dim is empty, torch counts that dim as 1."""
    strides = tuple(s // a.itemsize for s in a.strides)
    if not a.size and 0 in strides:
        strides = tuple(s or math.prod(max(n, 1) for n in a.shape[d + 1:])
                        for d, s in enumerate(strides))
    return strides


def torch_strides(a):
    """a's strides as torch would have them: a size-1 dim that numpy added (``x[None]``, a
    broadcast) has stride 0 in numpy, where torch's unsqueeze and expand give it the next
    dim's size times its stride."""
    strides = list(a.strides)
    for i in range(a.ndim - 1, -1, -1):
        if a.shape[i] == 1 and strides[i] == 0:
            strides[i] = a.shape[i + 1] * strides[i + 1] if i + 1 < a.ndim else a.itemsize
    return strides
