"""torch.nn's small core: Parameter, Module, a few layers and losses, ``init`` and
``functional`` (``import tinyad.nn.functional as F``).

tinyad has no convolutions, recurrent layers or normalisation layers; asking for one
raises :class:`NotInTinyad` (an AttributeError) that says so.
"""

from . import functional, init, utils
from .modules import (
    CELU,
    ELU,
    GELU,
    SELU,
    BatchNorm1d,
    BatchNorm2d,
    BCELoss,
    BCEWithLogitsLoss,
    CosineSimilarity,
    CrossEntropyLoss,
    Dropout,
    Embedding,
    Flatten,
    Hardsigmoid,
    Hardswish,
    Hardtanh,
    HuberLoss,
    Identity,
    KLDivLoss,
    L1Loss,
    LayerNorm,
    LeakyReLU,
    Linear,
    LogSigmoid,
    LogSoftmax,
    Mish,
    Module,
    ModuleDict,
    ModuleList,
    MSELoss,
    NLLLoss,
    ReLU,
    ReLU6,
    Sequential,
    Sigmoid,
    SiLU,
    SmoothL1Loss,
    Softmax,
    Softmin,
    Softplus,
    Softsign,
    Tanh,
    Tanhshrink,
    Unflatten,
)
from .parameter import Parameter

__all__ = [
    "functional", "init", "Parameter", "Module", "Linear", "Sequential", "ModuleList",
    "ModuleDict", "Identity", "ReLU", "Tanh", "Sigmoid", "SiLU", "GELU", "Softmax", "LogSoftmax",
    "LeakyReLU", "ELU", "Softplus", "Hardtanh", "ReLU6", "LogSigmoid", "Softmin", "Softsign",
    "Tanhshrink", "SELU", "CELU", "Hardsigmoid", "Hardswish", "Mish", "CosineSimilarity",
    "Flatten", "Unflatten", "Dropout", "Embedding", "LayerNorm", "BatchNorm1d",
    "BatchNorm2d", "MSELoss", "L1Loss",
    "SmoothL1Loss", "HuberLoss", "KLDivLoss", "CrossEntropyLoss", "NLLLoss", "BCELoss",
    "BCEWithLogitsLoss", "utils",
]


class NotInTinyad(AttributeError):
    """A torch name that tinyad deliberately does not have."""


def missing(package, name, available):
    """The error for ``package.name``: a torch name outside tinyad's scope (or a typo)."""
    torch_name = package.replace("tinyad", "torch", 1) + "." + name
    return NotInTinyad(
        f"tinyad does not have {torch_name}: {package} has only {', '.join(available)} "
        f"(tinyad covers a small part of torch; if you expected {name} here, check the "
        f"spelling)")


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    raise missing(__name__, name, __all__)
