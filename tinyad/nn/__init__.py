"""torch.nn's functional half: ``import tinyad.nn.functional as F``."""

from . import functional

__all__ = ["functional"]
