"""Stochastic gradient descent, with momentum, Nesterov momentum and weight decay."""

from .optimizer import Optimizer


class SGD(Optimizer):
    """Gradient descent: ``p <- p - lr * g``, with the options of torch.optim.SGD.

    For each parameter p with gradient grad, at step t::

        g = -grad if maximize else grad
        g = g + weight_decay * p                           (if weight_decay)
        b = g                                              (t = 1)
        b = momentum * b + (1 - dampening) * g             (t > 1)
        g = g + momentum * b if nesterov else b            (if momentum)
        p = p - lr * g

    ``b`` is kept in ``state["momentum_buffer"]``.
    """

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0,
                 nesterov=False, *, maximize=False, foreach=None, differentiable=False,
                 fused=None):
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening,
                    "weight_decay": weight_decay, "nesterov": nesterov, "maximize": maximize,
                    "foreach": foreach, "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)

    def update(self, p, state, group):
        # torch's steps, one by one (add with alpha is one rounding: see ops.AddScaled), and the
        # momentum buffer updated in place, so that the numbers are torch's to the last bit
        lr, momentum = group["lr"], group["momentum"]
        g = -p.grad if group["maximize"] else p.grad
        if group["weight_decay"] != 0:
            g = g.add(p, alpha=group["weight_decay"])
        if momentum != 0:
            b = state.get("momentum_buffer")
            if b is None:
                b = state["momentum_buffer"] = g.detach().clone()
            else:
                b.mul_(momentum).add_(g, alpha=1 - group["dampening"])
            g = g.add(b, alpha=momentum) if group["nesterov"] else b
        p.add_(g, alpha=-lr)
