"""torch.nn.utils' gradient clipping."""

import math

from ..autograd import no_grad
from ..tensor import Tensor, norm, stack, tensor


def _grads(parameters):
    parameters = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    return [p.grad for p in parameters if p.grad is not None]


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False):
    """Scale the gradients so that their joint norm is at most ``max_norm``; returns the norm
    they had (as torch: the factor is max_norm / (norm + 1e-6), capped at 1)."""
    grads = _grads(parameters)
    norm_type = float(norm_type)  # (as torch's: '2' and 'inf' are norms, 'fro' a ValueError)
    if not grads:
        return tensor(0.0)
    with no_grad():
        total = norm(stack([norm(g, norm_type) for g in grads]), norm_type)
        if error_if_nonfinite and not math.isfinite(total.item()):
            raise RuntimeError(f"The total norm of order {float(norm_type)} for gradients from "
                               f"`parameters` is non-finite, so it cannot be clipped.")
        scale = (max_norm / (total + 1e-6)).clamp(max=1.0)
        for g in grads:
            g.mul_(scale.to(g.dtype))
    return total


def clip_grad_value_(parameters, clip_value):
    """Clamp every gradient element into [-clip_value, clip_value]."""
    with no_grad():
        for g in _grads(parameters):
            g.clamp_(-clip_value, clip_value)
