"""Every differentiable op: forward and backward side by side, on numpy arrays.

Each docstring gives the op's math, ``forward ; gradient``, where ``g`` is the gradient flowing
in from the output. Gradients may keep the output's broadcast shape: the engine sums them back
to each input's shape (``autograd.sum_to``), so the formulas here are the textbook ones.

Backward formulas use only what was saved (inputs, the output, bool masks) and numpy
functions, so that they read like a formula sheet, and so that they also run on Tensors (numpy
hands Tensors to tinyad's own ops): that is how ``create_graph=True`` differentiates them again.
"""

import numpy as np

from .autograd import Function

# ----------------------------------------------------------------------------- arithmetic


class Add(Function):
    """a + b ; da = g, db = g"""

    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, g):
        return g, g


class Sub(Function):
    """a - b ; da = g, db = -g"""

    @staticmethod
    def forward(ctx, a, b):
        return a - b

    @staticmethod
    def backward(ctx, g):
        return g, -g if ctx.needs_input_grad[1] else None


class Neg(Function):
    """-a ; da = -g"""

    @staticmethod
    def forward(ctx, a):
        return -a

    @staticmethod
    def backward(ctx, g):
        return -g


class Mul(Function):
    """a * b ; da = g * b, db = g * a"""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        da, db = ctx.needs_input_grad
        return g * b if da else None, g * a if db else None


class Div(Function):
    """a / b ; da = g / b, db = -g * a / b**2"""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a / b

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        da, db = ctx.needs_input_grad
        return g / b if da else None, -g * a / (b * b) if db else None


class Pow(Function):
    """a ** b ; da = g * b * a**(b-1), db = g * a**b * log(a)"""

    @staticmethod
    def forward(ctx, a, b):
        out = a ** b
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, b, out = ctx.saved_tensors
        da, db = ctx.needs_input_grad
        return (g * b * a ** (b - 1) if da else None,
                g * out * np.log(a) if db else None)


class MatMul(Function):
    """a @ b ; da = g @ b^T, db = a^T @ g  (1-D operands treated as a row / a column)"""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        try:
            return np.matmul(a, b)
        except ValueError:
            raise RuntimeError(
                f"matmul: shapes {np.shape(a)} and {np.shape(b)} cannot be multiplied (the last "
                f"dimension of the first must equal the "
                f"{'first' if np.ndim(b) == 1 else 'second-to-last'} dimension of the second, "
                f"and batch dimensions must broadcast)") from None

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        da, db = ctx.needs_input_grad
        if a.ndim == 1 and b.ndim == 1:  # a dot product: g is a scalar
            return g * b if da else None, g * a if db else None
        if a.ndim == 1:  # a acted as a (1, k) row: gradients from the row form, row dropped
            g = np.expand_dims(g, -2)
            return (np.squeeze(g @ b.mT, -2) if da else None,
                    np.expand_dims(a, -1) * g if db else None)
        if b.ndim == 1:  # b acted as a (k, 1) column
            g = np.expand_dims(g, -1)
            return g * b if da else None, np.squeeze(a.mT @ g, -1) if db else None
        return g @ b.mT if da else None, a.mT @ g if db else None


# ----------------------------------------------------------------------------- elementwise


class Exp(Function):
    """exp(a) ; da = g * exp(a)"""

    @staticmethod
    def forward(ctx, a):
        out = np.exp(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * out


class Log(Function):
    """log(a) ; da = g / a"""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.log(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g / a


class Sqrt(Function):
    """sqrt(a) ; da = g / (2 sqrt(a))"""

    @staticmethod
    def forward(ctx, a):
        out = np.sqrt(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g / (2 * out)


class Tanh(Function):
    """tanh(a) ; da = g * (1 - tanh(a)**2)"""

    @staticmethod
    def forward(ctx, a):
        out = np.tanh(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * (1 - out * out)


class Sigmoid(Function):
    """s = 1 / (1 + exp(-a)) ; da = g * s * (1 - s)   (as exp(-logaddexp(0, -a)): no overflow)"""

    @staticmethod
    def forward(ctx, a):
        out = np.exp(-np.logaddexp(0, -a)).astype(a.dtype, copy=False)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * out * (1 - out)


class ReLU(Function):
    """max(a, 0) ; da = g * (a > 0)"""

    @staticmethod
    def forward(ctx, a):
        out = np.maximum(a, 0)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * (out > 0)


class Cast(Function):
    """a converted to dtype ; da = g converted back (the engine casts to the input's dtype)"""

    @staticmethod
    def forward(ctx, a, dtype):
        return a.astype(dtype)

    @staticmethod
    def backward(ctx, g):
        return g, None


class Clone(Function):
    """a copied ; da = g"""

    @staticmethod
    def forward(ctx, a):
        return a.copy()

    @staticmethod
    def backward(ctx, g):
        return g


# ----------------------------------------------------------------------------- reductions


def _count(shape, dim):
    """How many elements a reduction over ``dim`` (None, an int or a tuple) combines."""
    if dim is None:
        return int(np.prod(shape))
    return int(np.prod([shape[d] for d in np.atleast_1d(dim)]))


def _expand(g, shape, dim, keepdim):
    """Broadcast a reduced gradient back over the reduced axes of ``shape``."""
    if dim is not None and not keepdim:
        g = np.expand_dims(g, dim)
    return np.broadcast_to(g, shape)


class Sum(Function):
    """sum(a, dim) ; da = g broadcast back over dim"""

    @staticmethod
    def forward(ctx, a, dim, keepdim):
        ctx.shape, ctx.dim, ctx.keepdim = a.shape, dim, keepdim
        return np.sum(a, axis=dim, keepdims=keepdim)

    @staticmethod
    def backward(ctx, g):
        return _expand(g, ctx.shape, ctx.dim, ctx.keepdim), None, None


class Mean(Function):
    """mean(a, dim) = sum(a, dim) / n ; da = g / n broadcast back over dim"""

    @staticmethod
    def forward(ctx, a, dim, keepdim):
        ctx.shape, ctx.dim, ctx.keepdim = a.shape, dim, keepdim
        ctx.n = _count(a.shape, dim)
        return np.mean(a, axis=dim, keepdims=keepdim)

    @staticmethod
    def backward(ctx, g):
        return _expand(g / ctx.n, ctx.shape, ctx.dim, ctx.keepdim), None, None


class Var(Function):
    """var(a, dim) = sum((a - mean)**2) / (n - c) ; da = g * 2 (a - mean) / (n - c)"""

    @staticmethod
    def forward(ctx, a, dim, correction, keepdim):
        ctx.dim, ctx.keepdim = dim, keepdim
        ctx.denom = max(_count(a.shape, dim) - correction, 0)
        ctx.save_for_backward(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.var(a, axis=dim, ddof=correction, keepdims=keepdim)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        centred = a - np.mean(a, axis=ctx.dim, keepdims=True)
        if ctx.dim is not None and not ctx.keepdim:
            g = np.expand_dims(g, ctx.dim)
        with np.errstate(divide="ignore", invalid="ignore"):
            return g * 2 * centred / ctx.denom, None, None, None


class Max(Function):
    """max(a, dim) ; da = g at the position of the maximum (split evenly among ties without dim)"""

    @staticmethod
    def forward(ctx, a, dim, keepdim):
        ctx.dim, ctx.keepdim = dim, keepdim
        if dim is None:
            out = np.max(a)
            mask = a == out
            ctx.ties = np.count_nonzero(mask)
        else:
            index = np.expand_dims(np.argmax(a, axis=dim), dim)
            out = np.take_along_axis(a, index, axis=dim)
            positions = np.arange(a.shape[dim]).reshape((-1,) + (1,) * (a.ndim - 1 - dim % a.ndim))
            mask = positions == index
            ctx.ties = 1
            if not keepdim:
                out = np.squeeze(out, dim)
        ctx.save_for_backward(mask)
        return out

    @staticmethod
    def backward(ctx, g):
        (mask,) = ctx.saved_tensors
        if ctx.dim is not None and not ctx.keepdim:
            g = np.expand_dims(g, ctx.dim)
        return g * mask / ctx.ties, None, None


# ----------------------------------------------------------------------------- shape and indexing


class Reshape(Function):
    """a reshaped ; da = g reshaped back"""

    is_view = True

    @staticmethod
    def forward(ctx, a, shape):
        ctx.shape = a.shape
        try:
            return np.reshape(a, shape)
        except ValueError:
            raise RuntimeError(
                f"shape {tuple(shape)} is invalid for a tensor of shape {a.shape} "
                f"({a.size} elements)") from None

    @staticmethod
    def backward(ctx, g):
        return np.reshape(g, ctx.shape), None


class Transpose(Function):
    """a with dims d0 and d1 swapped ; da = g with them swapped back"""

    is_view = True

    @staticmethod
    def forward(ctx, a, d0, d1):
        ctx.dims = d0, d1
        return a.swapaxes(d0, d1)

    @staticmethod
    def backward(ctx, g):
        return g.swapaxes(*ctx.dims), None, None


def _is_basic_index(index):
    """True for ints, slices, None and Ellipsis (numpy returns a view; no index repeats)."""
    items = index if type(index) is tuple else (index,)
    return all(i is None or i is Ellipsis or type(i) in (int, slice) for i in items)


class GetItem(Function):
    """a[index] ; da = zeros with g added at index (repeated indices add up)"""

    @staticmethod
    def forward(ctx, a, index):
        ctx.shape, ctx.index = a.shape, index
        return a[index]

    @staticmethod
    def backward(ctx, g):
        if type(g) is np.ndarray:
            return IndexAdd.forward(ctx, g, ctx.shape, ctx.index), None
        return IndexAdd.apply(g, ctx.shape, ctx.index), None  # a Tensor, under create_graph


class IndexAdd(Function):
    """zeros(shape) with g added at index ; dg = grad[index]   (GetItem's backward)"""

    @staticmethod
    def forward(ctx, g, shape, index):
        ctx.index = index
        out = np.zeros(shape, dtype=g.dtype)
        if _is_basic_index(index):
            out[index] = g
        else:
            np.add.at(out, index, g)
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad[ctx.index], None, None


class BroadcastTo(Function):
    """a broadcast to shape ; da = g summed back to a's shape (by the engine)"""

    is_view = True

    @staticmethod
    def forward(ctx, a, shape):
        return np.broadcast_to(a, shape)

    @staticmethod
    def backward(ctx, g):
        return g, None


# ----------------------------------------------------------------------------- losses


def _log_softmax(x, dim):
    """x - log(sum(exp(x), dim)), shifted by the maximum first so that nothing overflows or
    loses the small differences between large logits."""
    shifted = x - np.maximum.reduce(x, axis=dim, keepdims=True)
    return shifted - np.log(np.add.reduce(np.exp(shifted), axis=dim, keepdims=True))


def _softmax(x, dim):
    """exp(x) / sum(exp(x), dim), shifted by the maximum so that nothing overflows."""
    e = np.exp(x - np.maximum.reduce(x, axis=dim, keepdims=True))
    return e / np.add.reduce(e, axis=dim, keepdims=True)


def _reduce(loss, reduction):
    if reduction == "mean":
        return np.add.reduce(loss, axis=None) / loss.size
    if reduction == "sum":
        return np.add.reduce(loss, axis=None)
    return loss


def _reduced_grad(g, reduction, n):
    """The gradient of each element of an unreduced loss, from the reduced loss's gradient."""
    return g / n if reduction == "mean" else g


class MSELoss(Function):
    """reduce((a - b)**2) ; da = g * 2 (a - b), db = -da   (g / n for mean)"""

    @staticmethod
    def forward(ctx, a, b, reduction):
        ctx.save_for_backward(a, b)
        d = a - b
        ctx.reduction, ctx.n = reduction, d.size
        return _reduce(d * d, reduction)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        ga = _reduced_grad(g, ctx.reduction, ctx.n) * 2 * (a - b)
        return ga, -ga if ctx.needs_input_grad[1] else None, None


class LogSoftmax(Function):
    """y = a - log(sum(exp(a), dim)) ; da = g - exp(y) * sum(g, dim)"""

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        out = _log_softmax(a, dim)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g - np.exp(out) * np.add.reduce(g, axis=ctx.dim, keepdims=True), None


class Softmax(Function):
    """y = exp(a) / sum(exp(a), dim) ; da = y * (g - sum(g * y, dim))"""

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        out = _softmax(a, dim)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return out * (g - np.add.reduce(g * out, axis=ctx.dim, keepdims=True)), None


def _class_indices(x, target, who):
    """Check that ``target`` holds one valid class index per row of the (N, C) input ``x``."""
    if x.ndim != 2 or np.ndim(target) != 1 or np.shape(target)[0] != x.shape[0]:
        raise ValueError(
            f"{who} expects input of shape (N, C) and target of shape (N,), got input "
            f"{x.shape} and target {np.shape(target)}")
    if target.dtype.kind not in "iu":
        raise TypeError(f"{who}: target must hold integer class indices (int64), got "
                        f"{target.dtype}; use target.long()")
    num_classes = x.shape[1]
    if target.size and (np.minimum.reduce(target) < 0
                        or np.maximum.reduce(target) >= num_classes):
        bad = target[(target < 0) | (target >= num_classes)][0]
        raise IndexError(
            f"{who}: target {int(bad)} is out of range for {num_classes} classes "
            f"(class indices must be in [0, {num_classes - 1}])")


def _one_hot(target, num_classes):
    """A boolean (N, C) matrix, True at [i, target[i]]."""
    return target[:, None] == np.arange(num_classes)


class NLLLoss(Function):
    """reduce(-p[i, t_i]) ; dp = -g at [i, t_i], zero elsewhere   (g / N for mean)"""

    @staticmethod
    def forward(ctx, logp, target, reduction):
        _class_indices(logp, target, "nll_loss")
        ctx.reduction, ctx.num_classes = reduction, logp.shape[1]
        ctx.save_for_backward(target)
        return _reduce(-logp[np.arange(len(target)), target], reduction)

    @staticmethod
    def backward(ctx, g):
        (target,) = ctx.saved_tensors
        g = _reduced_grad(g, ctx.reduction, len(target))
        if ctx.reduction == "none":
            g = np.expand_dims(g, 1)
        return -g * _one_hot(target, ctx.num_classes), None, None


class CrossEntropy(Function):
    """reduce(-log_softmax(a)[i, t_i]) ; da = g * (softmax(a) - onehot(t))   (g / N for mean)"""

    @staticmethod
    def forward(ctx, a, target, reduction):
        _class_indices(a, target, "cross_entropy")
        ctx.reduction = reduction
        ctx.save_for_backward(a, target)
        return _reduce(-_log_softmax(a, 1)[np.arange(len(target)), target], reduction)

    @staticmethod
    def backward(ctx, g):
        a, target = ctx.saved_tensors
        g = _reduced_grad(g, ctx.reduction, len(target))
        if ctx.reduction == "none":
            g = np.expand_dims(g, 1)
        return g * (_softmax(a, 1) - _one_hot(target, a.shape[1])), None, None
