"""torch.autograd.function: ``Function``, and ``once_differentiable`` for a backward that
cannot itself be differentiated."""

import functools

from .autograd import Function, no_grad
from .tensor import Tensor


def once_differentiable(backward):
    """Decorate a Function's ``backward`` that works on tensors but not differentiably (numpy
    inside, say): it runs without recording, so its gradients have no graph, as torch's. Under
    ``create_graph``, where the incoming gradient has a graph, each gradient it returns gets a
    node that refuses a second differentiation with torch's error, rather than dropping it."""
    @functools.wraps(backward)
    def wrapper(ctx, *grad_outputs):
        with no_grad():
            grads = backward(ctx, *grad_outputs)
        if not any(isinstance(g, Tensor) and g.requires_grad for g in grad_outputs):
            return grads
        refused = tuple(_DelayedError.apply(g.detach().requires_grad_())
                        if isinstance(g, Tensor) else g
                        for g in (grads if isinstance(grads, tuple) else (grads,)))
        return refused if isinstance(grads, tuple) else refused[0]
    return wrapper


class _DelayedError(Function):
    """The identity, whose backward raises (torch's DelayedError node)."""

    backward_name = "Error"  # (torch's name for it)

    @staticmethod
    def forward(ctx, x):
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("trying to differentiate twice a function that was marked with "
                           "@once_differentiable")
