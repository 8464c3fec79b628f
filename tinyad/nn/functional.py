"""Functional ops under torch.nn.functional's names."""

import numpy as np

from .. import ops
from ..tensor import Tensor

_REDUCTIONS = ("mean", "sum", "none")


def _reduction(reduction, who):
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{who}: reduction must be one of {_REDUCTIONS}, got {reduction!r}")
    return reduction


def _target(target):
    return target._data if isinstance(target, Tensor) else np.asarray(target)


def relu(input):
    return ops.ReLU.apply(input)


def sigmoid(input):
    return ops.Sigmoid.apply(input)


def tanh(input):
    return ops.Tanh.apply(input)


def mse_loss(input, target, reduction="mean"):
    """Squared error between input and target, averaged, summed or kept per element."""
    return ops.MSELoss.apply(input, target, _reduction(reduction, "mse_loss"))


def log_softmax(input, dim):
    return ops.LogSoftmax.apply(input, dim)


def softmax(input, dim):
    return ops.Softmax.apply(input, dim)


def nll_loss(input, target, reduction="mean"):
    """Negative log-likelihood of class indices ``target`` (N,) under log-probabilities (N, C)."""
    return ops.NLLLoss.apply(input, _target(target), _reduction(reduction, "nll_loss"))


def cross_entropy(input, target, reduction="mean"):
    """nll_loss(log_softmax(input, 1), target), fused and stable for large logits."""
    return ops.CrossEntropy.apply(input, _target(target), _reduction(reduction, "cross_entropy"))
