"""tinyad: a small reverse-mode autodiff engine over numpy with torch's API.

``import tinyad as torch`` runs the subset of torch that a first deep-learning lab uses.
"""

from importlib import metadata

import numpy as np

from . import autograd, func, nn, ops, testing, viz
from .autograd import Function, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .nn.functional import relu, sigmoid, tanh
from .tensor import (
    Tensor,
    arange,
    float32,
    float64,
    from_numpy,
    int64,
    manual_seed,
    ones,
    ones_like,
    rand,
    randn,
    tensor,
    zeros,
    zeros_like,
)

try:
    __version__ = metadata.version("tinyad")
except metadata.PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "unknown"

# dtypes, under torch's names (they are numpy dtypes: tinyad.float32 == numpy.float32)
float, double, long = float32, float64, int64
bool = np.dtype("bool")


def matmul(input, other):
    return ops.MatMul.apply(input, other)


def exp(input):
    return ops.Exp.apply(input)


def log(input):
    return ops.Log.apply(input)


def sqrt(input):
    return ops.Sqrt.apply(input)


def sum(input, dim=None, keepdim=False):
    return input.sum(dim, keepdim)


def mean(input, dim=None, keepdim=False):
    return input.mean(dim, keepdim)


def argmax(input, dim=None, keepdim=False):
    return input.argmax(dim, keepdim)


__all__ = [
    "Tensor", "Function", "autograd", "func", "nn", "ops", "testing", "viz", "tensor",
    "from_numpy", "zeros",
    "ones", "zeros_like", "ones_like", "arange", "rand", "randn", "manual_seed", "matmul",
    "relu", "sigmoid", "tanh", "exp", "log", "sqrt", "sum", "mean", "argmax", "no_grad",
    "enable_grad", "set_grad_enabled", "is_grad_enabled", "float32", "float", "float64",
    "double", "int64", "long", "bool",
]
