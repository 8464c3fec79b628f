"""Functional ops under torch.nn.functional's names."""

import warnings

import numpy as np

from .. import ops
from ..autograd import _guard
from ..tensor import Tensor, _floating, _promote, _wrap_dim

_REDUCTIONS = ("mean", "sum", "none")


def _reduction(reduction, who):
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _target(target):
    return target._data if isinstance(target, Tensor) else np.asarray(target)


def _torch_type_name(t):
    """torch's name of a tensor's scalar type in its messages: Float, Double, Long..."""
    name = t._data.dtype.name
    return ops.TORCH_TYPE_NAMES.get(name, name)


def _float_input(input, kernel):
    """torch's kernels for softmax and the losses exist for floats only."""
    if input._data.dtype.kind != "f":
        raise NotImplementedError(
            f'"{kernel}" not implemented for \'{_torch_type_name(input)}\': convert '
            f"the input with .float() first")
    return input


def _dim(input, dim):
    if dim is None:  # torch's implicit choice, kept for old code
        dim = 0 if input.ndim in (0, 1, 3) else 1
    return _wrap_dim(dim, input.ndim)


def relu(input, inplace=False):
    return input.relu_() if inplace else input.relu()


def sigmoid(input):
    return ops.Sigmoid.apply(_floating(input))


def tanh(input):
    return ops.Tanh.apply(_floating(input))


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """x where x > 0, negative_slope * x elsewhere (the slope at 0, as torch)."""
    _float_input(input, "leaky_relu_cpu")
    if inplace:
        return input._inplace(lambda t: ops.LeakyReLUInPlace.apply(t, negative_slope),
                              what="leaky_relu_()")
    return ops.LeakyReLU.apply(input, negative_slope)


def elu(input, alpha=1.0, inplace=False):
    """x where x > 0, alpha (exp(x) - 1) elsewhere (one op, as torch's)."""
    _float_input(input, "elu_cpu")
    if inplace:
        return input._inplace(lambda t: ops.ELUInPlace.apply(t, alpha), what="elu_()")
    return ops.ELU.apply(input, alpha)


def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + exp(beta x)) / beta, and x itself where beta x > threshold (as torch)."""
    _float_input(input, "softplus_cpu")
    return ops.Softplus.apply(input, beta, threshold)


def _broadcast_loss_operands(input, target):
    """torch's regression losses warn when the target's size is not the input's, and then
    compute with both broadcast (expanded, so backward sees the expanded tensors)."""
    if not isinstance(target, Tensor) or target._data.shape == input._data.shape:
        return input, target
    warnings.warn(f"Using a target size ({target.shape}) that is different to the input size "
                  f"({input.shape}). This will likely lead to incorrect results due to "
                  f"broadcasting. Please ensure they have the same size.", stacklevel=3)
    try:
        shape = np.broadcast_shapes(input.shape, target.shape)
    except ValueError:
        raise RuntimeError(f"The size of the input {tuple(input.shape)} and of the target "
                           f"{tuple(target.shape)} cannot be broadcast together (aligned from "
                           f"the right, each pair of dims must be equal or one of them 1)"
                           ) from None
    return tuple(t if t.shape == shape else t.expand(shape) for t in (input, target))


def mse_loss(input, target, reduction="mean"):
    """Squared error between input and target, averaged, summed or kept per element."""
    input, target = _broadcast_loss_operands(input, target)
    if isinstance(target, Tensor) and input._data.dtype is not target._data.dtype and not \
            input._data.dtype.kind == target._data.dtype.kind == "f":
        input, target = _promote(input, target)
    # (two float dtypes: the op gets the inputs as they are, to save them as torch does, and
    # numpy's a - b computes in the wider one, 0-d or not, as torch's mse_loss does)
    if input._data.dtype.kind != "f":
        _float_input(input, "mse_cpu")
    return ops.MSELoss.apply(input, target, _reduction(reduction, "mse_loss"))


def l1_loss(input, target, reduction="mean"):
    """Absolute error between input and target, averaged, summed or kept per element."""
    # (as torch, broadcast first: a 0-d target is then not weak in type promotion)
    input, target = _broadcast_loss_operands(input, target)
    d = (input - target).abs()
    return d if _reduction(reduction, "l1_loss") == "none" else getattr(d, reduction)()


def log_softmax(input, dim=None, dtype=None):
    input = input if dtype is None else input.to(dtype)
    if input._data.size:  # (torch calls no kernel on an empty tensor, whatever its dtype)
        _float_input(input, "log_softmax_lastdim_kernel_impl")
    return ops.LogSoftmax.apply(input, _dim(input, dim))


def softmax(input, dim=None, dtype=None):
    input = input if dtype is None else input.to(dtype)
    if input._data.size:  # (as log_softmax)
        _float_input(input, "softmax_lastdim_kernel_impl")
    return ops.Softmax.apply(input, _dim(input, dim))


def nll_loss(input, target, reduction="mean"):
    """Negative log-likelihood of class indices ``target`` (N,) under log-probabilities (N, C),
    of one class index (0-d) under one row (C,), or of (N, d1, ...) under (N, C, d1, ...)."""
    _float_input(input, "nll_loss_out_frame")
    return _guard(_nll_loss(input, _target(target), _reduction(reduction, "nll_loss")),
                  (target,))


def _nll_loss(logp, target, reduction):
    shape = logp._data.shape
    if len(shape) == 1 and target.shape == (1,):  # (as torch, no gradient: see NLLLoss)
        return ops.NLLLoss.apply(logp, target, reduction)
    if len(shape) == 1 and target.ndim == 0:  # one sample, unbatched: as a batch of one
        loss = ops.NLLLoss.apply(logp.unsqueeze(0), target.reshape(1), reduction)
        return loss.squeeze(0) if reduction == "none" else loss
    if len(shape) <= 2:
        return ops.NLLLoss.apply(logp, target, reduction)
    # (N, C, d1, ...): each position of each sample is a sample, its classes along dim 1
    if target.ndim == 0 or target.shape[0] != shape[0]:
        raise ValueError(f"Expected input batch_size ({shape[0]}) to match target batch_size "
                         f"({target.shape[0] if target.ndim else 0}).")
    if target.shape[1:] != shape[2:]:
        raise RuntimeError(f"Expected target size {[shape[0], *shape[2:]]}, got "
                           f"{list(target.shape)}")
    if target.dtype == np.uint8:  # (torch's kernel for these takes Long only)
        raise RuntimeError("expected scalar type Long but found Byte")
    rows = logp.permute(0, *range(2, len(shape)), 1).reshape(-1, shape[1])
    loss = ops.NLLLoss.apply(rows, target.reshape(-1), reduction)
    return loss.reshape(target.shape) if reduction == "none" else loss


def cross_entropy(input, target, reduction="mean"):
    """nll_loss(log_softmax(input, 1), target), as torch composes it (so the same tensors are
    saved for backward); log_softmax is exact for large logits. A target of the input's shape
    holds class probabilities (as torch assumes when the shapes match): the loss is then
    -sum(target * log_softmax(input, 1)) over the classes, averaged over the samples."""
    reduction = _reduction(reduction, "cross_entropy")
    # torch's order: a target of the input's shape holds probabilities (floats); then the
    # classes' dim, 1 for a 0-d input (out of range); then the input's dtype
    probabilities = isinstance(target, Tensor) and target._data.shape == input._data.shape
    if probabilities and target._data.dtype.kind != "f":
        raise RuntimeError(f"Expected floating point type for target with class "
                           f"probabilities, got {_torch_type_name(target)}")
    if input._data.ndim == 0:
        raise IndexError("Dimension specified as 1 but tensor has no dimensions" if probabilities
                         else "Dimension out of range (expected to be in range of [-1, 0], but "
                              "got 1)")
    _float_input(input, "log_softmax_lastdim_kernel_impl")  # (log_softmax and nll_loss, inline)
    classes = 0 if input._data.ndim == 1 else 1
    if probabilities:
        # torch's composition: -(log_softmax * target).sum(), / the number of samples for mean
        loss = ops.LogSoftmax.apply(input, classes) * target
        if reduction == "none":
            return -loss.sum(classes)
        total = -loss.sum()
        if reduction == "sum":
            return total
        n, c = input._data.size, input._data.shape[classes]
        with np.errstate(invalid="ignore"):  # (no samples: NaN, as torch)
            return ops.DivScalar.apply(total, n // c if c else 0)
    return _guard(_nll_loss(ops.LogSoftmax.apply(input, classes), _target(target), reduction),
                  (target,))


def _weights(weight, input):
    return None if weight is None else _target(weight).astype(input._data.dtype, copy=False)


def binary_cross_entropy(input, target, weight=None, reduction="mean"):
    """-(t log x + (1 - t) log(1 - x)) for probabilities x, averaged, summed or per element."""
    if not isinstance(target, Tensor):
        target = Tensor._wrap(np.asarray(target, dtype=input._data.dtype))
    if target.shape != input.shape:  # (torch checks the sizes first, then the dtypes)
        raise ValueError(f"Using a target size ({tuple(target.shape)}) that is different to the "
                         f"input size ({tuple(input.shape)}) is deprecated. Please ensure they "
                         f"have the same size.")
    if target._data.dtype != input._data.dtype:
        raise RuntimeError(f"Found dtype {_torch_type_name(target)} but expected "
                           f"{_torch_type_name(input)}")
    _float_input(input, "binary_cross_entropy")
    for name, t in (("input", input), ("target", target)):  # (NaN is refused too, as in torch)
        if not ((t._data >= 0) & (t._data <= 1)).all():
            raise RuntimeError(f"all elements of {name} should be between 0 and 1")
    return ops.BinaryCrossEntropy.apply(input, target, _weights(weight, input),
                                        _reduction(reduction, "binary_cross_entropy"))


def binary_cross_entropy_with_logits(input, target, weight=None, reduction="mean",
                                     pos_weight=None):
    """binary_cross_entropy(sigmoid(x), t), computed stably from the logits x."""
    if not isinstance(target, Tensor):
        target = Tensor._wrap(np.asarray(target, dtype=input._data.dtype))
    if target.shape != input.shape:  # (torch checks the sizes first, then the dtypes)
        raise ValueError(f"Target size ({tuple(target.shape)}) must be the same as input size "
                         f"({tuple(input.shape)})")
    _float_input(input, "binary_cross_entropy_with_logits")
    dtype = target._data.dtype
    if dtype.kind != "f":
        raise RuntimeError(f"result type {_torch_type_name(input)} can't be cast to the desired "
                           f"output type {_torch_type_name(target)}")
    loss = ops.BCEWithLogits.apply(input, target.to(input.dtype), _weights(weight, input),
                                   _weights(pos_weight, input),
                                   _reduction(reduction, "binary_cross_entropy_with_logits"))
    return loss if dtype == loss._data.dtype else loss.to(dtype)  # (torch: the target's dtype)


def linear(input, weight, bias=None):
    """input @ weight^T + bias."""
    out = input @ weight.t()
    return out if bias is None else out + bias


def one_hot(tensor, num_classes=-1):
    labels = _target(tensor)
    if labels.dtype.kind not in "iu":
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if labels.size and labels.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    n = int(labels.max()) + 1 if num_classes == -1 else num_classes
    if labels.size and labels.max() >= n:
        raise RuntimeError(f"Class values must be smaller than num_classes ({n}).")
    return Tensor._wrap((labels[..., None] == np.arange(n)).astype(np.int64))


def normalize(input, p=2.0, dim=1, eps=1e-12):
    return input / input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)


def __getattr__(name):
    raise AttributeError(
        f"tinyad.nn.functional has no {name}: tinyad has the activations and losses a first "
        f"lab uses (relu, sigmoid, tanh, softmax, the losses), not convolutions or pooling")
