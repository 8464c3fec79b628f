"""Functional ops under torch.nn.functional's names."""

import math
import operator

import numpy as np

from .. import linalg, ops
from .._warn import warn as _warn
from ..autograd import INTEGER_HISTORY, REPEATED_WRITE, _guard, _repeats, is_grad_enabled, no_grad
from ..random import default_generator
from ..tensor import (
    Tensor,
    _autograd_first,
    _broadcast_shape,
    _checked,
    _common_dtype,
    _floating,
    _int_operand,
    _named,
    _promote,
    _read_history,
    _tensor_argument,
    _tensor_first,
    _wrap_dim,
    result_type,
    xlogy,
)

# The functions here that are Python in torch too (the others, gelu, linear, ..., are C++
# there): the traceback of an error caught by a program keeps their frames, and the tensors
# they were given, in both engines (autograd._clear_finished_frames clears the others'; see
# test_torch_parity, which checks this list against torch)
_PYTHON_IN_TORCH = frozenset({
    "batch_norm", "binary_cross_entropy", "binary_cross_entropy_with_logits", "celu",
    "cross_entropy", "dropout", "elu", "embedding", "hardsigmoid", "hardswish", "hardtanh",
    "huber_loss", "kl_div", "l1_loss", "layer_norm", "leaky_relu", "log_softmax", "mish",
    "mse_loss", "nll_loss", "normalize", "relu", "relu6", "selu", "sigmoid", "silu",
    "smooth_l1_loss", "softmax", "softmin", "softsign", "tanh", "tanhshrink"})

_REDUCTIONS = ("mean", "sum", "none")


def _reduction(reduction, who, size_average=None, reduce=None):
    """``reduction``, or the one torch's deprecated pair ``size_average``, ``reduce`` names
    when either is given (with torch's warning)."""
    if size_average is not None or reduce is not None:
        average = size_average is None or size_average
        reduction = "none" if reduce is not None and not reduce else "mean" if average else "sum"
        _warn(f"size_average and reduce args will be deprecated, please use "
              f"reduction='{reduction}' instead.")
    if reduction == "elementwise_mean":
        _warn("reduction='elementwise_mean' is deprecated. Please use reduction='mean' "
              "instead.")
        return "mean"
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _target(target):
    return target._data if isinstance(target, Tensor) else np.asarray(target)


def _torch_type_name(t):
    """torch's name of a tensor's scalar type in its messages: Float, Double, Long..."""
    name = t._data.dtype.name
    return ops.TORCH_TYPE_NAMES.get(name, name)


def _float_input(input, kernel, target=None, inplace=False):
    """torch's kernels for softmax and the losses exist for floats only (a loss's, with a
    ``target``: in the dtype the two promote to). Checked after the memory an op writes in
    place (``inplace``): one whose elements repeat (expanded) is refused first."""
    if inplace and _repeats(input._data):
        raise RuntimeError(REPEATED_WRITE)
    dtype = input._data.dtype if target is None else _common_dtype(input, target)
    if dtype.kind != "f":
        raise NotImplementedError(
            f'"{kernel}" not implemented for \'{ops.TORCH_TYPE_NAMES[dtype.name]}\': convert '
            f"the input with .float() first")
    return input


def _dim(input, dim, who):
    if dim is None:  # torch's implicit choice, kept for old code, with its warning
        _warn(f"Implicit dimension choice for {who} has been deprecated. Change the "
              f"call to include dim=X as an argument.", UserWarning)
        dim = 0 if input.ndim in (0, 1, 3) else 1
    return _wrap_dim(dim, input.ndim)


@_tensor_first
def relu(input, inplace=False):
    return input.relu_() if inplace else input.relu()


def sigmoid(input):
    return ops.Sigmoid.apply(_floating(input))


def tanh(input):
    return ops.Tanh.apply(_floating(input))


@_tensor_first
def leaky_relu(input, negative_slope=0.01, inplace=False):
    """x where x > 0, negative_slope * x elsewhere (the slope at 0, as torch)."""
    _float_input(input, "leaky_relu_cpu", inplace=inplace)
    _opmath_numbers(input, negative_slope)
    if inplace:
        return input._inplace(lambda t: ops.LeakyReLUInPlace.apply(t, negative_slope),
                              what="leaky_relu_()")
    return ops.LeakyReLU.apply(input, negative_slope)


@_tensor_first
def elu(input, alpha=1.0, inplace=False):
    """x where x > 0, alpha (exp(x) - 1) elsewhere (one op, as torch's)."""
    _float_input(input, "elu_cpu", inplace=inplace)
    _opmath_numbers(input, alpha)
    if inplace:
        return input._inplace(lambda t: ops.ELUInPlace.apply(t, alpha), what="elu_()")
    return ops.ELU.apply(input, alpha)


@_tensor_first
def selu(input, inplace=False):
    """scale (x where x > 0, alpha (exp(x) - 1) elsewhere), with torch's constants: elu's op."""
    _float_input(input, "elu_cpu", inplace=inplace)
    return _elu_like(input, inplace, "selu_()", _SELU_ALPHA, _SELU_SCALE, 1.0)


_SELU_ALPHA, _SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


@_tensor_first
def celu(input, alpha=1.0, inplace=False):
    """x where x > 0, alpha (exp(x / alpha) - 1) elsewhere: elu's op, named CeluBackward0."""
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    _float_input(input, "elu_cpu", inplace=inplace)
    _opmath_numbers(input, alpha, 1.0 / alpha)
    out = _elu_like(input, inplace, "celu_()", alpha, 1.0, 1.0 / alpha, _celu_grad_scale(alpha))
    return out if inplace else _named(out, "CeluBackward0")


def _celu_grad_scale(alpha):
    """1 / alpha.toFloat(), celu's input scale in torch's backward: inf for an alpha that is 0
    in float32, and for one too large for it torch's overflow error, which backward raises."""
    try:
        alpha32 = float(np.float32(_checked(alpha, np.dtype(np.float32))))
    except RuntimeError as error:
        return error
    return 1.0 / alpha32 if alpha32 else math.copysign(math.inf, alpha32)


def _opmath_numbers(input, *numbers):
    """torch reads an activation's numbers in the type it computes in (float for float16 and
    float32 inputs, double for float64): one too large for it is refused (elu(x, 1e300))."""
    dtype = np.dtype(np.float64 if input._data.dtype == np.float64 else np.float32)
    for number in numbers:
        _checked(number, dtype)


def _elu_like(input, inplace, what, *coefficients):
    if inplace:  # (the node saves the result, as torch's)
        return input._inplace(lambda t: _named(ops.ELUInPlace.apply(t, *coefficients),
                                               "CeluBackward1" if what == "celu_()" else
                                               "EluBackward1"), what=what)
    return ops.ELU.apply(input, *coefficients)


def hardsigmoid(input, inplace=False):
    """min(max(x + 3, 0), 6) / 6."""
    return _activation(input, inplace, ops.Hardsigmoid, "hardsigmoid")


def hardswish(input, inplace=False):
    """x min(max(x + 3, 0), 6) / 6."""
    return _activation(input, inplace, ops.Hardswish, "hardswish")


def mish(input, inplace=False):
    """x tanh(softplus(x))."""
    return _activation(input, inplace, ops.Mish, "mish")


def _activation(input, inplace, op, name):
    _tensor_argument(name, "input", input, 1)
    _float_input(input, f"{name}_cpu")
    if inplace:
        return input._inplace(op.apply, what=f"{name}_()")
    return op.apply(input)


@_tensor_first
def gelu(input, approximate="none"):
    """x P(x), P the standard normal distribution function (or, with approximate='tanh',
    torch's tanh approximation of it)."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    _float_input(input, "GeluKernelImpl")
    return ops.GELU.apply(input, approximate)


@_tensor_first
def silu(input, inplace=False):
    """x * sigmoid(x), the swish."""
    _float_input(input, "silu")
    if inplace:  # (torch's node keeps the input as it was)
        return input._inplace(ops.SiLU.apply, what="silu_()")
    return ops.SiLU.apply(input)


@_tensor_first
def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """x clamped to [min_val, max_val]; its gradient is 0 at the bounds (one op, as torch's)."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    if input._data.dtype.kind == "b":
        raise RuntimeError("Bool inputs not supported for hardtanh")
    if input._data.dtype.kind == "u" and (int(min_val) < 0 or int(max_val) < 0):  # (as
        # torch: a limit read as the integer it truncates to, so -0.5 is 0)
        raise RuntimeError("cannot do hardtanh on an unsigned type with negative limits")
    dtype = input._data.dtype
    for v in (min_val, max_val):  # (torch reads both, then converts each to the input's
        if type(v) is int:  # dtype; a float bound of an integer input to int64)
            _int_operand(v)
    min_val, max_val = (_checked(v, dtype if dtype.kind == "f" or type(v) is int else
                                 np.dtype(np.int64)) for v in (min_val, max_val))
    if input._data.dtype.kind != "f":  # (integers: clamped to the bounds as integers)
        bounds = int(min_val), int(max_val)
        return input.clamp_(*bounds) if inplace else input.clamp(*bounds)
    if inplace:
        return input._inplace(lambda t: ops.Hardtanh.apply(t, min_val, max_val),
                              what="hardtanh_()")
    return ops.Hardtanh.apply(input, min_val, max_val)


def relu6(input, inplace=False):
    """min(max(x, 0), 6): hardtanh(x, 0, 6), as torch's."""
    return hardtanh(input, 0.0, 6.0, inplace)


def logsigmoid(input):
    """log(sigmoid(x)), without overflow."""
    _tensor_argument("log_sigmoid", "input", input, 1)
    _float_input(input, "log_sigmoid_cpu")
    return ops.LogSigmoid.apply(input)


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    """softmax(-x): as torch computes it."""
    return softmax(-input, _dim(input, dim, "softmin"), dtype=dtype)


def softsign(input):
    """x / (1 + |x|), as torch composes it."""
    return input / (input.abs() + 1)


def tanhshrink(input):
    """x - tanh(x), as torch composes it."""
    return input - input.tanh()


@_tensor_first
def dropout(input, p=0.5, training=True, inplace=False):
    """While training, each element zeroed with probability p (drawn from tinyad's generator)
    and the others scaled by 1 / (1 - p): the input times that mask, as torch computes it; the
    input itself otherwise, for p = 0, or when empty."""
    _dropout_probability(p)
    if not training or p == 0 or not input._data.size:
        return input
    dtype = input._data.dtype
    if p == 1:  # (torch multiplies by zeros of the input's dtype, of any dtype)
        mask = Tensor._wrap(np.zeros(input._data.shape, dtype))
    elif dtype.kind != "f":
        raise RuntimeError(f"result type Float can't be cast to the desired output type "
                           f"{_torch_type_name(input)}")
    else:
        kept = default_generator._numpy.random(input._data.shape) >= p
        mask = Tensor._wrap(kept.astype(dtype) / dtype.type(1 - p))
    return input.mul_(mask) if inplace else input * mask


def _dropout_probability(p):
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


@_tensor_first
def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + exp(beta x)) / beta, and x itself where beta x > threshold (as torch)."""
    _float_input(input, "softplus_cpu")
    _opmath_numbers(input, beta, threshold)
    return ops.Softplus.apply(input, beta, threshold)


def _loss_tensors(*operands):
    """torch's Python losses read each operand's size(): a number or a list has none
    (AttributeError), a numpy array or number has an int there, which it calls (TypeError)."""
    for x in operands:
        if not isinstance(x, Tensor):
            if hasattr(x, "size"):
                raise TypeError(f"a loss takes tensors, not {type(x).__name__}: 'int' object "
                                f"(its size) is not callable")
            raise AttributeError(f"'{type(x).__name__}' object has no attribute 'size' (a loss "
                                 f"takes tensors)")


def _broadcast_loss_operands(input, target):
    """torch's regression losses warn when the target's size is not the input's, and then
    compute with both broadcast (expanded, so backward sees the expanded tensors); a number
    is refused as torch's reading its size is."""
    _loss_tensors(input, target)
    if target._data.shape == input._data.shape:
        return input, target
    _warn(f"Using a target size ({target.shape}) that is different to the input size "
          f"({input.shape}). This will likely lead to incorrect results due to "
          f"broadcasting. Please ensure they have the same size.")
    try:
        shape = np.broadcast_shapes(input.shape, target.shape)
    except ValueError:
        _broadcast_shape(input.shape, target.shape)  # (torch's error, naming the dim)
        raise
    return tuple(t if t.shape == shape else t.expand(shape) for t in (input, target))


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Squared error between input and target, averaged, summed or kept per element; with
    ``weight`` (of the input's shape), each weighted, and the mean divides by its sum."""
    reduction = _reduction(reduction, "mse_loss", size_average, reduce)
    if weight is not None:
        return _weighted_loss(input, target, weight, reduction, lambda d: d.pow(2))
    input, target = _broadcast_loss_operands(input, target)
    if isinstance(target, Tensor) and input._data.dtype is not target._data.dtype and not \
            input._data.dtype.kind == target._data.dtype.kind == "f":
        input, target = _promote(input, target)
    # (two float dtypes: the op gets the inputs as they are, to save them as torch does, and
    # numpy's a - b computes in the wider one, 0-d or not, as torch's mse_loss does)
    if input._data.dtype.kind != "f":
        _float_input(input, "mse_cpu", target if isinstance(target, Tensor) else None)
    return ops.MSELoss.apply(input, target, reduction)


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """The Kullback-Leibler divergence of the distribution ``target`` (probabilities, or their
    logs with ``log_target``) from the log-probabilities ``input``, composed as torch's:
    xlogy(t, t) - t x (exp(t) (t - x) of log targets), then reduced; 'batchmean' (the
    divergence's own definition) is the sum over the batch size, 'mean' (torch's default,
    with its warning) divides by every element."""
    if size_average is not None or reduce is not None:
        reduction = _reduction(reduction, "kl_div", size_average, reduce)
    elif reduction == "mean":
        _warn("reduction: 'mean' divides the total loss by both the batch size and the "
              "support size.'batchmean' divides only by the batch size, and aligns "
              "with the KL div math definition.'mean' will be changed to behave the "
              "same as 'batchmean' in the next major release.")
    elif reduction != "batchmean":
        _reduction(reduction, "kl_div")
    _tensor_argument("kl_div", "input", input, 1)
    _tensor_argument("kl_div", "target", target, 2)
    if input._data.dtype.kind in "biu" or target._data.dtype.kind in "biu":
        raise RuntimeError("kl_div: Integral inputs not supported.")
    if log_target:  # (the right operand first, as torch's compiled code: the order of the
        difference = target - input  # nodes, so of the gradients' sums)
        output = target.exp() * difference
    else:
        product = target * input
        output = xlogy(target, target) - product
    if reduction == "mean":
        return output.mean()
    if reduction in ("sum", "batchmean"):
        output = output.sum()
        return output / input.shape[0] if reduction == "batchmean" and input.dim() else output
    return output


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Absolute error between input and target, averaged, summed or kept per element; with
    ``weight`` (of the input's shape), each weighted, and the mean divides by its sum."""
    reduction = _reduction(reduction, "l1_loss", size_average, reduce)
    if weight is not None:
        return _weighted_loss(input, target, weight, reduction, Tensor.abs)
    # (as torch, broadcast first: a 0-d target is then not weak in type promotion)
    input, target = _broadcast_loss_operands(input, target)
    d = (input - target).abs()
    return d if reduction == "none" else getattr(d, reduction)()


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """z² / (2 beta) where z = |input - target| < beta, else z - beta / 2; averaged, summed or
    kept per element (l1_loss for beta = 0, as torch's)."""
    reduction = _reduction(reduction, "smooth_l1_loss", size_average, reduce)
    input, target = _broadcast_loss_operands(input, target)
    if beta == 0:
        return l1_loss(input, target, reduction=reduction)
    if not beta >= 0:  # (NaN too, as torch)
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if input._data.dtype is not target._data.dtype and not \
            input._data.dtype.kind == target._data.dtype.kind == "f":
        input, target = _promote(input, target)
    _float_input(input, "smooth_l1_cpu", target)
    return ops.SmoothL1Loss.apply(input, target, reduction, beta)


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """z² / 2 where z = |input - target| < delta, else delta (z - delta / 2); averaged, summed
    or kept per element (in the input's dtype, as torch's); with ``weight`` (of the input's
    shape), each weighted before the reduction."""
    reduction = _reduction(reduction, "huber_loss")
    expanded_input, expanded_target = _broadcast_loss_operands(input, target)
    if not delta > 0:  # (NaN too, as torch)
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    common = _common_dtype(expanded_input, expanded_target)  # (its result: the input's dtype)
    if expanded_input._data.dtype.kind != "f" and common != expanded_input._data.dtype:
        raise RuntimeError(f"result type {ops.TORCH_TYPE_NAMES[common.name]} can't be cast to "
                           f"the desired output type {_torch_type_name(expanded_input)}")
    _float_input(expanded_input, "huber_cpu")
    if weight is None:
        return ops.HuberLoss.apply(expanded_input, expanded_target, reduction, delta)
    if weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    loss = ops.HuberLoss.apply(expanded_input, expanded_target, "none", delta) * weight
    return loss if reduction == "none" else getattr(loss, reduction)()


def _weighted_loss(input, target, weight, reduction, error):
    """torch's composition for a regression loss with element weights: error(input - target)
    times weight, summed, and for the mean divided by the weights' sum."""
    expanded_input, expanded_target = _broadcast_loss_operands(input, target)
    if weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    loss = error(expanded_input - expanded_target) * weight
    if reduction == "none":
        return loss
    return loss.sum() if reduction == "sum" else loss.sum() / weight.sum()


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    input = input if dtype is None else input.to(dtype)
    dim = _softmax_dim(input, dim, "log_softmax")
    _softmax_kernel(input, dim, "log_softmax")
    return ops.LogSoftmax.apply(input, dim)


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    input = input if dtype is None else input.to(dtype)
    dim = _softmax_dim(input, dim, "softmax")
    _softmax_kernel(input, dim, "softmax")
    return ops.Softmax.apply(input, dim)


# (their errors are the kernels': after autograd's refusal of a view that cannot have a
# history, see _autograd_first)
_softmax_dim = _autograd_first(_dim)


@_autograd_first
def _layer_norm_checks(input, shape, weight, bias):
    ops.layer_norm_checks(input._data, shape, *(None if t is None else t._data
                                                for t in (weight, bias)))


def _softmax_kernel(input, dim, who):
    """torch's softmax kernels, for floats only, after the dim is checked (none runs on an
    empty tensor, whatever its dtype)."""
    if input._data.size:
        last = "lastdim_" if dim == max(input._data.ndim - 1, 0) else ""
        _float_input(input, f"{who}_{last}kernel_impl")


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    """Negative log-likelihood of class indices ``target`` (N,) under log-probabilities (N, C),
    of one class index (0-d) under one row (C,), or of (N, d1, ...) under (N, C, d1, ...);
    each sample weighs ``weight[class]`` (1 without weights, 0 if its class is
    ``ignore_index``), and the mean divides by the sum of those weights."""
    _tensor_argument("nll_loss_nd", "input", input, 1)
    reduction = _reduction(reduction, "nll_loss", size_average, reduce)
    ignore_index = _class_arguments("nll_loss_nd", target, weight, ignore_index)
    weight = _class_weights(weight)
    return _guard(_nll_loss(input, target._data, weight, ignore_index, reduction), (target,))


def _class_arguments(who, target, weight, ignore_index):
    """torch's TypeErrors for a target or class weights that are not tensors, and an
    ignore_index that is not an int (an integer tensor will do, a bool will not); the int."""
    if type(ignore_index) is int and isinstance(target, Tensor) and (
            weight is None or isinstance(weight, Tensor)):
        return ignore_index  # (the usual call, checked at once)
    for name, position, value in (("target", 2, target), ("weight", 3, weight)):
        if value is not None and not isinstance(value, Tensor):
            raise TypeError(f"{who}(): argument '{name}' (position {position}) must be Tensor, "
                            f"not {type(value).__name__}")
    if type(ignore_index) is int:
        return ignore_index
    if type(ignore_index) is not bool:
        try:
            return operator.index(ignore_index)
        except TypeError:
            pass
    raise TypeError(f"nll_loss_nd(): argument 'ignore_index' (position 5) must be int, not "
                    f"{type(ignore_index).__name__}")


def _class_weights(weight):
    """``weight`` (the op checks its shape and dtype), which must not require grad: torch
    computes no gradient for the class weights of class indices."""
    _not_differentiable(weight, "nll_loss_forward")
    return weight


def _nll_loss(logp, target, weight, ignore_index, reduction):
    shape = logp._data.shape
    if not shape:
        raise ValueError("Expected 1 or more dimensions (got 0): nll_loss takes the "
                         "log-probabilities of the classes, (C,) or (N, C)")
    batch = target.shape[0] if target.ndim else 0  # (torch reads a 0-d target's size as 0)
    if len(shape) >= 2 and batch != shape[0]:  # (torch's check before autograd's:
        raise ValueError(f"Expected input batch_size ({shape[0]}) to match target batch_size "
                         f"({batch}).")  # _autograd_first)
    if len(shape) <= 2:  # (a batch, or one sample: see NLLLoss)
        return ops.NLLLoss.apply(logp, target, weight, ignore_index, reduction)
    # (N, C, d1, ...): each position of each sample is a sample, its classes along dim 1
    if not target.ndim and len(shape) != 4:  # (an empty batch and a 0-d target)
        raise RuntimeError("ArrayRef: invalid slice, N = 1; size = 0 (the target of (N, C, d1, "
                           "...) inputs has the shape (N, d1, ...))")
    if len(shape) == 4:
        return _nll_loss2d(logp, target, weight, ignore_index, reduction)
    if target.shape[1:] != shape[2:]:
        raise RuntimeError(f"Expected target size {[shape[0], *shape[2:]]}, got "
                           f"{list(target.shape)}")
    # other dims as torch: the positions in one dim of a (N, C, 1, -1) view, then in the
    # output's shape (N, d1, ...)
    n, c = shape[:2]
    flat = logp.contiguous().view((n, c, 1, -1) if logp.numel() else (n, c, 0, 0))
    loss = _nll_loss2d(flat, target.reshape((n, 1, -1) if target.size else (n, 0, 0)), weight,
                       ignore_index, reduction)
    return loss.view((n, *shape[2:])) if reduction == "none" else loss


def _nll_loss2d(logp, target, weight, ignore_index, reduction):
    """nll_loss of (N, C, H, W) log-probabilities under (N, H, W) targets, with torch's checks
    of them in its order."""
    if target.ndim != 3:
        raise RuntimeError(f"only batches of spatial targets supported (3D tensors) but got "
                           f"targets of dimension: {target.ndim}")
    n, c, h, w = logp.shape
    if weight is not None and weight.numel() != c:
        raise RuntimeError("weight tensor should be defined either for all or no classes")
    if target.shape != (n, h, w):
        raise RuntimeError(f"size mismatch (got input: {list(logp.shape)} , target: "
                           f"{list(target.shape)}")
    if target.dtype == np.uint8:  # (torch's kernel for these takes Long only)
        raise RuntimeError("expected scalar type Long but found Byte")
    return ops.NLLLoss2d.apply(logp, target, weight, ignore_index, reduction)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction="mean", label_smoothing=0.0):
    """nll_loss(log_softmax(input, 1), target), as torch composes it (so the same tensors are
    saved for backward); log_softmax is exact for large logits. A target of the input's shape
    holds class probabilities (as torch assumes when the shapes match): the loss is then
    -sum(weight * target * log_softmax(input, 1)) over the classes, averaged over the samples.
    With ``label_smoothing`` e, the target is (1 - e) times itself plus e spread evenly over
    the classes."""
    _tensor_argument("cross_entropy_loss", "input", input, 1)
    reduction = _reduction(reduction, "cross_entropy", size_average, reduce)
    ignore_index = _class_arguments("cross_entropy_loss", target, weight, ignore_index)
    label_smoothing = float(label_smoothing)
    # torch's order: a target of the input's shape holds probabilities (floats); then the
    # classes' dim, 1 for a 0-d input (out of range); then the input's dtype
    probabilities = target._data.shape == input._data.shape
    if probabilities and target._data.dtype.kind != "f":
        raise RuntimeError(f"Expected floating point type for target with class "
                           f"probabilities, got {_torch_type_name(target)}")
    if input._data.ndim == 0:
        if probabilities:
            raise IndexError("Dimension specified as 1 but tensor has no dimensions")
        _read_history(input)  # (log_softmax's dim is its kernel's error, after autograd's)
        raise IndexError("Dimension out of range (expected to be in range of [-1, 0], but got 1)")
    if label_smoothing > 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: "
                           f"{label_smoothing:g}")
    if input._data.size:  # (torch's log_softmax checks no dtype of an empty input)
        _float_input(input, "log_softmax_lastdim_kernel_impl")  # (log_softmax and nll_loss)
    classes = 0 if input._data.ndim == 1 else 1
    # (log_softmax's result unnamed: a caught error keeps this frame's names, as torch's
    # Python frame keeps its arguments only)
    if probabilities or label_smoothing > 0.0:
        return _cross_entropy_composed(ops.LogSoftmax.apply(input, classes), classes, target,
                                       weight, ignore_index, reduction, label_smoothing,
                                       probabilities)
    return _guard(_nll_loss(ops.LogSoftmax.apply(input, classes), target._data,
                            _class_weights(weight), ignore_index, reduction), (target,))


def _cross_entropy_composed(logp, classes, target, weight, ignore_index, reduction,
                            label_smoothing, probabilities):
    """cross_entropy against class probabilities, or with label smoothing, composed of ops as
    torch composes it."""
    num_classes = logp._data.shape[classes]
    # (label smoothing's share of each class; torch's C++ division gives inf for no class)
    share = label_smoothing / num_classes if num_classes else math.inf

    def weighted(t):  # t times the weights, along the classes' dim
        return t if weight is None else t * weight.reshape(
            [num_classes if d == classes else 1 for d in range(logp._data.ndim)])

    if probabilities:  # (class weights may require grad here: torch composes differentiable ops)
        if ignore_index >= 0:  # (torch's check: a negative one is ignored, -100 or not)
            raise RuntimeError("ignore_index is not supported for floating point target")
        if label_smoothing > 0.0:
            target = target * (1 - label_smoothing) + share
        # torch's composition: -(log_softmax * target).sum(), / the number of samples for mean
        loss = weighted(logp * target)
        if reduction == "none":
            return -loss.sum(classes)
        if reduction == "sum":
            return -loss.sum()
        if not logp._data.size:  # (the mean of nothing: NaN, as torch composes it)
            return -loss.sum().fill_(math.nan)
        return ops.DivScalar.apply(-loss.sum(), logp._data.size // num_classes)
    labels = target._data
    nll = _guard(_nll_loss(logp, labels, _class_weights(weight), ignore_index, reduction),
                 (target,))
    # torch's composition: each sample's loss against the uniform target, with the same
    # weights, ignored samples and mean as nll_loss's
    smooth = -weighted(logp).sum(classes)
    ignored = labels == ignore_index
    smooth.masked_fill_(Tensor._wrap(ignored), 0.0)  # (in place, as torch: shapes must agree)
    if reduction == "sum":
        smooth = smooth.sum()
    elif reduction == "mean":
        counted = labels[~ignored]
        total = counted.size if weight is None else weight._data[counted].sum()
        with np.errstate(invalid="ignore", divide="ignore"):
            smooth = smooth.sum() / total
    return (1 - label_smoothing) * nll + smooth * share


def _weights(weight, input, who="binary_cross_entropy", name="weight"):
    """A weight of a binary cross-entropy, an array of the input's dtype (with logits, a float
    weight keeps its own, as torch's steps multiply by it); one that requires grad is refused,
    as torch computes no gradient for it."""
    if weight is None:
        return None
    _not_differentiable(weight, who, name)
    w = _target(weight)
    if who != "binary_cross_entropy_with_logits" or w.dtype.kind != "f":
        w = w.astype(input._data.dtype, copy=False)
    shape = input._data.shape
    try:
        broadcast = np.broadcast_shapes(w.shape, shape)
    except ValueError:  # (the op's broadcast error)
        return w
    if broadcast != shape:  # (torch multiplies the loss by the weight in place)
        raise RuntimeError(f"output with shape {list(shape)} doesn't match the broadcast shape "
                           f"{list(broadcast)} ({name} must broadcast to the input's shape)")
    return w


def _not_differentiable(weight, who, name="weight"):
    if isinstance(weight, Tensor) and weight.requires_grad and is_grad_enabled():
        raise RuntimeError(f"The function '{who}' is not differentiable with respect to argument "
                           f"'{name}'. This input cannot have requires_grad True.")


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction="mean"):
    """-(t log x + (1 - t) log(1 - x)) for probabilities x, averaged, summed or per element."""
    reduction = _reduction(reduction, "binary_cross_entropy", size_average, reduce)
    _loss_tensors(input, target)
    if target.shape != input.shape:  # (torch checks the sizes first, then the dtypes)
        raise ValueError(f"Using a target size ({target.shape}) that is different to the "
                         f"input size ({input.shape}) is deprecated. Please ensure they "
                         f"have the same size.")
    _not_differentiable(weight, "binary_cross_entropy")  # (before the dtypes, as torch)
    if target._data.dtype != input._data.dtype:
        raise RuntimeError(f"Found dtype {_torch_type_name(target)} but expected "
                           f"{_torch_type_name(input)}")
    _float_input(input, "binary_cross_entropy")
    for name, t in (("input", input), ("target", target)):  # (NaN is refused too, as in torch)
        if not ((t._data >= 0) & (t._data <= 1)).all():
            raise RuntimeError(f"all elements of {name} should be between 0 and 1")
    return ops.BinaryCrossEntropy.apply(input, target, _weights(weight, input), reduction)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None,
                                     reduce=None, reduction="mean", pos_weight=None):
    """binary_cross_entropy(sigmoid(x), t), computed stably from the logits x."""
    reduction = _reduction(reduction, "binary_cross_entropy_with_logits", size_average, reduce)
    _loss_tensors(input, target)
    if target.shape != input.shape:  # (torch checks the sizes first, then the dtypes)
        raise ValueError(f"Target size ({target.shape}) must be the same as input size "
                         f"({input.shape})")
    who = "binary_cross_entropy_with_logits"
    _not_differentiable(weight, who)  # (before the dtypes, as torch)
    _not_differentiable(pos_weight, who, "pos_weight")
    _float_input(input, "binary_cross_entropy_with_logits")
    dtype = target._data.dtype
    if dtype.kind != "f":
        raise RuntimeError(f"result type {_torch_type_name(input)} can't be cast to the desired "
                           f"output type {_torch_type_name(target)}")
    if isinstance(pos_weight, Tensor) and pos_weight._data.dtype == bool:  # (pos_weight - 1)
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. "
                           "If you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")
    return ops.BCEWithLogits.apply(input, target, _weights(weight, input, who),
                                   _weights(pos_weight, input, who, "pos_weight"), reduction)


def linear(input, weight, bias=None):
    """input @ weight^T + bias, composed as torch's: with a bias, one addmm for a matrix input
    (AddmmBackward0), and for a contiguous input of other dims with a bias of one dim of more
    than one element, between views that make it a matrix and back; otherwise the product,
    then the bias added in place."""
    _tensor_argument("linear", "input", input, 1)
    _tensor_argument("linear", "weight", weight, 2)
    if input._data.ndim == 0 or weight._data.ndim == 0:
        raise RuntimeError(f"both arguments to linear need to be at least 1D, but they are "
                           f"{input._data.ndim}D and {weight._data.ndim}D")
    if bias is None:
        return input.matmul(weight.t())
    if input._data.ndim == 2:
        return ops.Addmm.apply(bias, input, weight.t())
    one_dim = bias._data.ndim == 1 or sum(n != 1 for n in bias._data.shape) == 1
    if one_dim and bias.is_contiguous() and input.is_contiguous():
        *batch, features = input.shape
        out = ops.Addmm.apply(bias, input.reshape(math.prod(batch), features), weight.t())
        return out.view(*batch, out.shape[1])
    return input.matmul(weight.t()).add_(bias)


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False, sparse=False):
    """weight's rows at the indices ``input`` (a tensor of any shape: the result has a row for
    each); padding_idx's row gets no gradient; with ``max_norm``, the rows read whose
    ``norm_type``-norm exceeds it are first scaled down to it in weight, in place, as torch's."""
    _tensor_argument("embedding", "input", input, 1)
    _tensor_argument("embedding", "weight", weight, 2)
    if padding_idx is not None:
        n = weight._data.shape[0]
        if not -n <= padding_idx < n and padding_idx:  # (0 goes unchecked, as in torch)
            raise AssertionError("Padding_idx must be within num_embeddings")
        padding_idx = padding_idx + n if padding_idx < 0 else padding_idx
    _read_history(weight)  # (autograd's, before the op's own checks, as in torch)
    index = input._data
    if index.dtype not in (np.int64, np.int32):
        raise RuntimeError(f"Expected tensor for argument #1 'indices' to have one of the "
                           f"following scalar types: Long, Int; but got "
                           f"torch.{ops.TORCH_TYPE_NAMES[index.dtype.name]}Tensor instead "
                           f"(while checking arguments for embedding)")
    if weight._data.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    if index.size and not weight._data.shape[0]:
        raise RuntimeError("index_select(): self indexing axis dim should be positive (the "
                           "weight has no rows)")
    if index.size and (index.min() < 0 or index.max() >= weight._data.shape[0]):
        raise IndexError("index out of range in self")
    if sparse and weight.requires_grad:
        raise NotImplementedError("tinyad has no sparse tensors: embedding(sparse=True) would "
                                  "give a sparse gradient; use sparse=False")
    if max_norm is not None:
        rows = np.unique(index)
        with no_grad():
            norms = weight[Tensor._wrap(rows)].norm(norm_type, dim=1)._data
            over = norms > max_norm
            scale = max_norm / (norms[over] + 1e-7)
            weight._data[rows[over]] *= scale[:, None].astype(weight._data.dtype)
        weight._counter.value += 1
    return _guard(ops.Embedding.apply(weight, index.astype(np.int64), padding_idx,
                                      scale_grad_by_freq), (input,))


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05):
    """input normalised over its last dims (``normalized_shape``) to mean 0 and variance 1
    (biased, plus eps), then times weight and plus bias: one node, NativeLayerNormBackward0."""
    _tensor_argument("layer_norm", "input", input, 1)
    if not isinstance(normalized_shape, (tuple, list)):
        raise TypeError(f"layer_norm(): argument 'normalized_shape' (position 2) must be tuple "
                        f"of ints, not {type(normalized_shape).__name__}")
    shape = list(normalized_shape)
    if not shape:
        raise RuntimeError("Expected normalized_shape to be at least 1-dimensional, i.e., "
                           "containing at least one element, but got normalized_shape = []")
    _layer_norm_checks(input, shape, weight, bias)
    out = ops.NativeLayerNorm.apply(input, weight, bias, len(shape), eps)
    if out.grad_fn is not None:  # (torch's node has an entry for an absent weight or bias)
        out.grad_fn.constants = getattr(out.grad_fn, "constants", 0) | (
            (weight is None) << 1 | (bias is None) << 2)
    return out


def _parameter_dtypes(input, parameters, kernel):
    """ops.parameter_dtypes for tensors."""
    ops.parameter_dtypes(input._data.dtype, [t._data.dtype for t in parameters if t is not None],
                         kernel)


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-05):
    """input normalised per channel (dim 1): by the batch's mean and biased variance when
    ``training`` (and then running_mean and running_var, where given, move towards the batch's
    mean and unbiased variance by ``momentum``, in place), else by the running ones; then times
    weight and plus bias. One node, NativeBatchNormBackward0."""
    _tensor_argument("batch_norm", "input", input, 1)
    size = input._data.shape
    if training and size[0] * math.prod(size[2:]) == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input "
                         f"size {input.shape}")
    if not input._data.size:  # (torch returns at once, unchecked, with this composition)
        out = input.clone()
        out = out if weight is None else out * weight[0]
        return out if bias is None else out + bias[0]
    if not training and (running_mean is None or running_var is None):
        raise RuntimeError(f"running_{'mean' if running_mean is None else 'var'} must be "
                           f"defined in evaluation mode")
    channels = size[1] if input._data.ndim > 1 else 0  # (torch's count for fewer dims)
    for name, t in (("running_mean", running_mean), ("running_var", running_var),
                    ("weight", weight), ("bias", bias)):
        if t is not None and t._data.size != channels:
            raise RuntimeError(f"{name} should contain {channels} elements not {t._data.size}")
    if input._data.ndim < 2:
        raise IndexError("Dimension out of range (expected to be in range of [-1, 0], but got "
                         "1)") if input._data.ndim else RuntimeError(
            "batch_norm of a 0-d tensor: it takes (N, C, ...) inputs (torch: SmallVector unable "
            "to grow)")
    if input._data.dtype.kind != "f":
        raise NotImplementedError(f'"batch_norm" not implemented for '
                                  f"'{ops.TORCH_TYPE_NAMES[input._data.dtype.name]}'")
    _parameter_dtypes(input, (weight, bias, running_mean, running_var), "batch_norm")
    for name, t in (("running_mean", running_mean), ("running_var", running_var)):
        if t is not None and t.requires_grad and is_grad_enabled():
            raise RuntimeError(f"The function 'native_batch_norm' is not differentiable with "
                               f"respect to argument '{name}'. This input cannot have "
                               f"requires_grad True.")
    if training and (running_mean is not None or running_var is not None):
        mean, var_sum = ops.batch_moments(ops._widened(input._data))
        n = input._data.size // channels
        for t, batch in ((running_mean, mean), (running_var, var_sum / max(n - 1, 1))):
            if t is not None:  # (written as torch's kernel writes them: no version counted)
                t._data[...] = (momentum * batch.reshape(-1) + (1 - momentum) * t._data
                                ).astype(t._data.dtype)
    return ops.NativeBatchNorm.apply(input, weight, bias, running_mean, running_var, training,
                                     eps)


def one_hot(tensor, num_classes=-1):
    _tensor_argument("one_hot", "self", tensor, 1)
    labels = _target(tensor)
    if labels.dtype != np.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor. "
                           "(convert the labels with .long())")
    if is_grad_enabled() and tensor.requires_grad:  # (one an in-place op gave a history)
        raise RuntimeError(INTEGER_HISTORY.format("Long"))
    if num_classes <= 0 and not labels.size:
        raise RuntimeError("Can not infer total number of classes from empty tensor.")
    if labels.size and labels.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    n = int(labels.max()) + 1 if num_classes == -1 else num_classes
    if labels.size and labels.max() >= n:
        raise RuntimeError("Class values must be smaller than num_classes.")
    out = Tensor._wrap((labels[..., None] == np.arange(n)).astype(np.int64))
    out._counter.value = 2 if labels.size else 0  # (torch's zeros, filled, then scatter_)
    return out


def normalize(input, p=2.0, dim=1, eps=1e-12):
    return input / input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """The cosine of the angle between x1 and x2 (broadcast) along dim: sum(x1 / max(|x1|,
    eps) * x2 / max(|x2|, eps)), as torch composes it (each divided by its norm first, the
    norms clamped without a gradient)."""
    _tensor_argument("cosine_similarity", "x1", x1, 1)
    _tensor_argument("cosine_similarity", "x2", x2, 2)
    if eps < 0:
        raise RuntimeError(f"eps must be non-negative, got: {eps:g}")
    common = np.dtype(result_type(x1, x2))
    if common.kind != "f":
        raise RuntimeError(f"expected common dtype to be floating point, yet common dtype is "
                           f"{ops.TORCH_TYPE_NAMES[common.name]}")
    x1, x2 = (x if x._data.dtype.kind == "f" else x.to(common) for x in (x1, x2))  # (as torch:
    # integers and bools take the common dtype; floats stay, and meet once broadcast)
    shape = _broadcast_shape(x1.shape, x2.shape)
    x1, x2 = (x if x.shape == shape else x.expand(shape) for x in (x1, x2))
    dim = _wrap_dim(dim, len(shape))
    norms = [linalg.vector_norm(x, 2, dim, keepdim=True).clone() for x in (x1, x2)]
    with no_grad():
        for norm in norms:
            norm.clamp_min_(eps)
    return ((x1 / norms[0]) * (x2 / norms[1])).sum(dim)


def __getattr__(name):
    raise AttributeError(
        f"tinyad.nn.functional has no {name}: tinyad has the activations, dropout and losses "
        f"a first lab uses (relu, sigmoid, tanh, softmax, the losses), not convolutions or "
        f"pooling")
