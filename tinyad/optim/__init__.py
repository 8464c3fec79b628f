"""torch.optim's core: SGD, Adam, AdamW, RMSprop, Adagrad and five learning-rate schedules.

Every optimizer writes its update rule once, for one parameter, with the math in its
docstring; tinyad has no other optimizers (asking for one raises an error that says so).
"""

from .. import nn
from . import lr_scheduler
from .adam import Adam, AdamW
from .optimizer import Optimizer
from .rmsprop import Adagrad, RMSprop
from .sgd import SGD

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "lr_scheduler"]


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    raise nn.missing(__name__, name, __all__)
