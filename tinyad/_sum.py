"""Sums of floats added in torch's order, so that they round as torch's do.

A float sum's last bits depend on the order of its additions, and cancellation can make
those bits the whole answer (the second derivative of a variance is a difference of two
such sums; `tan` near a pole magnifies them). numpy adds in pairs; torch's CPU kernel
(``cascade_sum`` in ATen's SumKernel.cpp) walks the tensor in the order its TensorIterator
lays it out (dims sorted by stride, reduced ones first, neighbours merged where memory
allows; a 2-d chunk at a time) and adds:

- along a row, in four interleaved accumulators (``_row_sum``), each of which adds its
  terms in blocks of 16 and the block sums again in blocks of 16 (``_cascade``), so that
  mostly terms of a similar size meet;
- along a contiguous row of 8 float32 (4 float64, 16 float16) or more, in vectors of that
  many lanes (a float16 vector's two halves added into 8 float32 lanes), each lane summed
  as a row; then the elements left over and the lanes, one by one;
- across contiguous columns, each column a cascade of its own, four vectors of columns at
  a time (the columns left over as rows);
- into the output, which starts at +0 (so a sum of -0.0 is 0.0) and takes each partial sum
  in turn, rounded to its dtype each time (float16 terms are added in float32, and where
  the two first dims are both reduced, torch sums a float32 copy instead).

Not followed: a sum into one number of 32,768 terms or more, which torch splits between
threads (each adds its share, then the shares are added).
"""

from __future__ import annotations

import functools
import math

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from ._layout import empty_like, sorted_dims

# torch's sum kernel is its AVX2 build, on AVX-512 machines too: a vector holds 256 bits
_VECTOR = {"f": 8, "d": 4, "e": 16}  # float32, float64, float16 elements in a vector
_LANES = {"f": 8, "d": 4, "e": 8}  # and its accumulator's lanes (float16 adds in float32)


def torch_sum(a, axes, keepdims=False):
    """The sum of the float array ``a`` over ``axes`` (a tuple of distinct dims >= 0, not
    empty), in a's dtype, its terms added in torch's order."""
    if a.size == 0:
        return np.zeros(_result_shape(a.shape, axes, keepdims), a.dtype)
    if len(axes) == a.ndim and a.dtype.char in "fd" and _VECTOR[a.dtype.char] * 4 * 16 * 16 > \
            a.size >= _VECTOR[a.dtype.char] and (a.flags.c_contiguous or a.flags.f_contiguous):
        # (a whole small array, a loss's sum: the same additions in fewer numpy calls)
        total = np.array(_whole_sum(a.ravel("K"), _VECTOR[a.dtype.char]) + 0.0)
        return total.reshape((1,) * a.ndim) if keepdims else total
    if axes == (0,) and a.ndim == 2 and a.dtype.char in "fd" and 4 <= len(a) < 1024 and \
            2 <= a.shape[1] < (4 * _LANES[a.dtype.char] if a.shape[1] >= _VECTOR[
                a.dtype.char] else 4) and a.flags.c_contiguous:
        # (a batch's column sums, a bias's gradient: the loop adds each column as a row, one
        # numpy call for all columns per step)
        total = _rows_sum(a) + 0.0
        return total[None] if keepdims else total
    if min(a.strides, default=0) < 0:  # (a numpy view torch never has)
        a = a.copy()
    half = a.dtype.char == "e"
    plan = _plan(a.shape, a.strides, a.dtype.char, axes, keepdims)
    if plan is None:  # (float16 with two reduced dims first: torch sums a float32 copy, so
        # as not to add the first's sums into a float16 output)
        return torch_sum(to_float32(a), axes, keepdims).astype(a.dtype)
    order, sizes, swap, kernel, values_order, out_shape, back, result_shape = plan
    y = a.transpose(order).reshape(sizes).T  # one axis a group of merged dims, fastest first
    if half:
        y = y.astype(np.float32)
    if swap:
        y = y.swapaxes(0, 1)
    values = _chunk_sums(y, kernel, a.dtype.char) if kernel else y
    values = values.transpose(values_order).reshape(out_shape)
    # every value lands in the output (+0 at first) in the order the loops visit it
    if half:  # (each addition rounded to float16)
        out = np.zeros(out_shape[1:], a.dtype)
        for v in values:
            out = (out + v).astype(a.dtype)
    else:
        out = in_order(values) + 0.0  # (0 + the sum: never -0.0)
    out = out.T.reshape(back[0]).transpose(back[1]).reshape(result_shape)
    return out if out.base is None else out.copy()  # (memory of its own, as torch's)


def _result_shape(shape, axes, keepdims):
    return tuple(1 if d in axes else n for d, n in enumerate(shape)) if keepdims else \
        tuple(n for d, n in enumerate(shape) if d not in axes)


@functools.lru_cache(maxsize=512)
def _plan(shape, strides, char, axes, keepdims):
    """How torch_sum walks an array of this shape, strides and dtype: the array's dims merged
    as torch's TensorIterator merges them, the kernel its loop takes, and how the partial
    sums land in the output."""
    itemsize = np.dtype(char).itemsize
    groups = _iteration(shape, [s // itemsize for s in strides], axes)
    if char == "e" and len(groups) > 1 and groups[0][1] and groups[1][1]:
        return None
    slowest = [d for g in groups[::-1] for d in g[0][::-1]]
    order = [d for d in range(len(shape)) if d not in slowest] + slowest
    sizes = [_size(shape, g[0]) for g in groups[::-1]]
    if len(groups) == 1:  # (a second dim of one element, as torch's 2-d loop has)
        sizes, groups = [1] + sizes, groups + [([], False, 0, 0)]
    swap = groups[0][3] != 0 and groups[1][3] == 0  # (torch's kernel moves the reduction
    if swap:  # first)
        groups = [groups[1], groups[0], *groups[2:]]
    kernel = None
    if groups[0][1]:  # a 2-d chunk's sums, along its first dim: the loop torch's kernel takes
        s0, s1 = groups[0][2], groups[1][2]
        if s0 == 1 and _size(shape, groups[0][0]) >= _VECTOR[char]:
            kernel = "inner vectorised"
        elif s1 == 1 and _size(shape, groups[1][0]) >= _VECTOR[char]:
            kernel = "outer vectorised"
        else:
            kernel = "inner" if s0 < s1 else "outer"
        kept = groups[1:]
    else:  # (no reduction in the chunk: each element is added to the output's 0)
        kept = groups
    # the reduced axes, slowest first, are the order of the additions into an output
    reduced = [k for k, g in enumerate(kept) if g[1]][::-1]
    rest = [k for k, g in enumerate(kept) if not g[1]]
    out_shape = (math.prod(_size(shape, kept[k][0]) for k in reduced),
                 *(_size(shape, kept[k][0]) for k in rest))
    dims = [d for k in rest[::-1] for d in kept[k][0][::-1]]
    back = [shape[d] for d in dims], list(np.argsort(dims))
    return (order, sizes, swap, kernel, reduced + rest, out_shape, back,
            _result_shape(shape, axes, keepdims))


def _size(shape, dims):
    """The number of elements of ``dims`` together."""
    return math.prod(shape[d] for d in dims)


def _iteration(shape, strides, axes):
    """torch's TensorIterator for the reduction: the dims (of more than one element) in the
    order it sorts them (by the output's strides, where a reduced dim, stride 0, goes first,
    then by the input's), neighbours merged where both arrays' memory allows, fastest first.
    Each a tuple (dims, fastest first; reduced?; the input's stride; the output's), strides
    in elements."""
    ndim = len(shape)
    out_strides, step = [0] * ndim, 1  # the output: contiguous over the dims it keeps
    for d in range(ndim - 1, -1, -1):
        if d not in axes:
            out_strides[d], step = step, step * shape[d]

    def should_swap(d0, d1):  # > 0: d1 moves faster than d0 (ATen's reorder_dimensions)
        for k, s in enumerate((out_strides, strides)):
            if k == 0 and (s[d0] == 0) != (s[d1] == 0):
                return 1 if s[d1] == 0 else -1
            if s[d0] == 0 or s[d1] == 0:
                continue
            if s[d0] != s[d1]:
                return 1 if s[d0] > s[d1] else -1
            if shape[d0] > shape[d1]:
                return 1
        return 0

    groups = []
    for d in sorted_dims(ndim, should_swap):
        if shape[d] == 1:  # (a dim of one element merges with any)
            continue
        if groups:
            dims, _, s, o = groups[-1]
            n = _size(shape, dims)
            if s * n == strides[d] and o * n == out_strides[d]:
                groups[-1] = (dims + [d], d in axes, s, o)
                continue
        groups.append(([d], d in axes, strides[d], out_strides[d]))
    return groups or [([], True, 0, 0)]


def _chunk_sums(y, kernel, char):
    """The sums along axis 0 of y (axis 1 the chunk's second dim, the rest its outer dims)
    by the loop torch's kernel takes: along contiguous rows in vectors, across contiguous
    columns (four vectors of them at a time, each a cascade), or, its scalar loops, along
    rows or four columns at a time."""
    if kernel == "inner vectorised":
        return _inner_vectorised(y, char)
    if kernel == "inner":
        return _row_sum(y)
    width = 4 * _LANES[char] if kernel == "outer vectorised" else 4
    full = y.shape[1] // width * width
    if full == 0 or full == y.shape[1]:
        return _cascade(y) if full else _row_sum(y)
    return np.concatenate([_cascade(y[:, :full]), _row_sum(y[:, full:])])


def _inner_vectorised(y, char):
    """Sums along axis 0, a contiguous row: its vectors' lanes each a row sum, then the
    elements left over and the lanes added to 0 one by one."""
    n, size = y.shape[0], _VECTOR[char]
    whole = n // size * size
    vectors = y[:whole].reshape(n // size, size, *y.shape[1:])
    if char == "e":  # (its two halves added into float32 lanes)
        vectors = vectors[:, :8] + vectors[:, 8:]
    lanes = _row_sum(vectors)
    return in_order(np.concatenate([y[whole:], lanes]) if whole < n else lanes)


def _whole_sum(z, size):
    """_inner_vectorised of a contiguous vector z (float32 or float64, vectors of ``size``
    lanes) of fewer than 1024 vectors: the same additions in fewer numpy calls."""
    whole = len(z) // size * size
    vectors = z[:whole].reshape(-1, size)
    # (fewer than four vectors all go into the first accumulator, in order; the three others,
    # 0, change no lane's value, only a zero's sign, which the 0 the output starts at sets)
    lanes = _rows_sum(vectors) if len(vectors) >= 4 else in_order(vectors)
    return np.add.accumulate(np.concatenate([z[whole:], lanes]) if whole < len(z) else
                             lanes)[-1]


def _rows_sum(y):
    """_row_sum of a C-contiguous matrix y of fewer than 1024 rows: its four accumulators
    side by side, the columns of one matrix, so that each step of their cascades (fewer than
    16 blocks of 16) is one numpy call for all of them."""
    size = y.shape[1]
    width = 4 * size
    k = len(y) // 4  # the rows of each accumulator
    blocks = k // 16
    body = y[:4 * k].reshape(k, width)
    if blocks:  # each block's sum in order, then the rows left over, then the blocks' sums
        sums = np.add.reduce(body[:blocks * 16].reshape(blocks, 16, width), axis=1)
        total = in_order(body[blocks * 16:]) + in_order(sums)
    else:
        total = in_order(body)
    total = total.reshape(4, size)  # (accumulator, column): the first, the rows left over,
    return in_order(np.concatenate([total[:1], y[4 * k:], total[1:]]) if len(y) > 4 * k  # the
                    else total)  # others


def _row_sum(y):
    """Sums along axis 0 in four interleaved accumulators (term i in accumulator i % 4), each
    a cascade; the terms left over go into the first, and the four are added in order."""
    k = y.shape[0] // 4
    parts = _cascade(y[:4 * k].reshape(k, 4, *y.shape[1:]))
    return in_order(np.concatenate([parts[:1], y[4 * k:], parts[1:]]) if len(y) > 4 * k else
                    parts)


def _cascade(y):
    """Sums along axis 0 in blocks of 16 terms (more for over 2**19), each block added from
    0 in order; the block sums likewise in blocks, and those again; then the terms left
    over, the unfinished blocks and the rest, from the smallest up."""
    n = y.shape[0]
    power = max(4, ((n - 1).bit_length() if n > 2 else 1) // 4)
    step = 1 << power
    blocks = n // step
    if not blocks:
        return in_order(y)
    sums = _grouped(y[:blocks * step], step)
    total = in_order(y[blocks * step:]) + in_order(sums[blocks // step * step:])
    if blocks >= step:
        groups = _grouped(sums[:blocks // step * step], step)
        finished = len(groups) // step * step
        total = (total + in_order(groups[finished:])) + in_order(
            _grouped(groups[:finished], step))
    return total


def _grouped(y, step):
    """The sums in order of each ``step`` terms along axis 0. (numpy adds along a middle axis
    in order where what follows it is contiguous and of two elements or more: its loop runs
    along those, so no copy is needed; else, one term after another as in_order.)"""
    blocks = y.reshape(len(y) // step, step, *y.shape[1:])
    if y.size >= 2 * len(y) and blocks.flags.c_contiguous:
        return np.add.reduce(blocks, axis=1)
    return in_order(blocks.swapaxes(0, 1))


def in_order(y):
    """The sum along axis 0, one term at a time (from the first: the sign of a zero sum may
    not be torch's, which starts at +0, until the output's 0 is added). numpy adds the rows
    of a C-ordered array so, element by element; a single column it would add in pairs."""
    n = len(y)
    if n <= 1:
        return y[0] if n else np.zeros(y.shape[1:], y.dtype)
    if y.size == n:
        return np.add.accumulate(y.reshape(-1))[-1].reshape(y.shape[1:])
    return np.add.reduce(np.ascontiguousarray(y), axis=0)


def add_reduce(a, axis=None, keepdims=False):
    """np.add.reduce(a, axis, keepdims) as torch's sum: floats in torch's order (torch_sum),
    integers and bools in int64 (numpy would take uint64 for uint8)."""
    if a.dtype.kind != "f":
        return np.add.reduce(a, axis=axis, keepdims=keepdims,
                             dtype=np.int64 if a.dtype.kind in "bu" else None)
    if a.ndim == 0 and axis in (None, 0, -1, ()):  # (numpy's reduce takes these of a 0-d
        return a + np.zeros((), a.dtype)  # array: nothing to add but 0)
    axes = tuple(range(a.ndim)) if axis is None else tuple(sorted(normalize_axis_tuple(
        axis, a.ndim)))  # (numpy's error for a dim out of range, or twice)
    if not axes:
        return a + np.zeros((), a.dtype)
    return torch_sum(a, axes, keepdims)


def to_float32(a):
    """a float16 array converted as torch's .to(float32) lays the copy out (its order)."""
    copy = empty_like(a, np.float32)
    copy[...] = a
    return copy
