"""torch.nn's small core: Parameter, Module, a few layers and losses, ``init`` and
``functional`` (``import tinyad.nn.functional as F``).

tinyad has no convolutions, recurrent layers, normalisation or dropout layers; asking for one
raises :class:`NotInTinyad` (an AttributeError) that says so.
"""

from . import functional, init
from .modules import (
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    Flatten,
    Identity,
    Linear,
    Module,
    MSELoss,
    NLLLoss,
    ReLU,
    Sequential,
    Sigmoid,
    Tanh,
)
from .parameter import Parameter

__all__ = [
    "functional", "init", "Parameter", "Module", "Linear", "Sequential", "Identity", "ReLU",
    "Tanh", "Sigmoid", "Flatten", "MSELoss", "CrossEntropyLoss", "NLLLoss", "BCEWithLogitsLoss",
]


class NotInTinyad(AttributeError):
    """A torch name that tinyad deliberately does not have."""


def missing(package, name, available):
    """The error for ``package.name`` that torch has and tinyad does not (or that is a typo)."""
    return NotInTinyad(
        f"tinyad does not have {package}.{name} (torch's {package.replace('tinyad', 'torch')}."
        f"{name} is outside tinyad's small scope, or the name is misspelt). "
        f"{package} has: {', '.join(available)}")


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    raise missing(__name__, name, __all__)
