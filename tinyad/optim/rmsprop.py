"""RMSprop and Adagrad: gradient steps divided by the root of a sum of squared gradients."""

import tinyad

from .optimizer import Optimizer


def _check(lr, eps, weight_decay):
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {lr}")
    if not 0.0 <= eps:
        raise ValueError(f"Invalid epsilon value: {eps}")
    if not 0.0 <= weight_decay:
        raise ValueError(f"Invalid weight_decay value: {weight_decay}")


class RMSprop(Optimizer):
    """RMSprop (Hinton's lecture notes, 2012), with the options of torch.optim.RMSprop.

    For each parameter p with gradient grad::

        g = -grad if maximize else grad
        g = g + weight_decay * p                      (if weight_decay)
        v = alpha * v + (1 - alpha) * g * g           (running mean of g², v0 = 0)
        m = m + (1 - alpha) * (g - m)                 (centered: running mean of g, m0 = 0)
        s = sqrt(v - m * m) if centered else sqrt(v)
        s = s + eps
        b = momentum * b + g / s ; p = p - lr * b     (if momentum, b0 = 0)
        p = p - lr * g / s                            (otherwise)

    ``state`` holds ``step``, ``square_avg`` (v), ``grad_avg`` (m, centered) and
    ``momentum_buffer`` (b, with momentum), changed in place as torch's.
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, *, capturable=False, foreach=None, maximize=False,
                 differentiable=False):
        _check(lr, eps, weight_decay)
        if not 0.0 <= momentum:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not 0.0 <= alpha:
            raise ValueError(f"Invalid alpha value: {alpha}")
        defaults = {"lr": lr, "alpha": alpha, "eps": eps, "weight_decay": weight_decay,
                    "momentum": momentum, "centered": centered, "capturable": capturable,
                    "foreach": foreach, "maximize": maximize, "differentiable": differentiable}
        super().__init__(params, defaults)

    def update(self, p, state, group):
        lr, alpha, momentum = group["lr"], group["alpha"], group["momentum"]
        if not state:
            state["step"] = tinyad.tensor(0.0)
            state["square_avg"] = tinyad.zeros_like(p)
            if momentum > 0:
                state["momentum_buffer"] = tinyad.zeros_like(p)
            if group["centered"]:
                state["grad_avg"] = tinyad.zeros_like(p)
        state["step"] += 1
        g = -p.grad if group["maximize"] else p.grad
        if group["weight_decay"] != 0:
            g = g.add(p, alpha=group["weight_decay"])
        v = state["square_avg"]
        v.mul_(alpha).addcmul_(g, g, value=1 - alpha)
        if group["centered"]:
            m = state["grad_avg"]
            m.lerp_(g, 1 - alpha)
            s = v.addcmul(m, m, value=-1).sqrt()  # (fused, as torch's: v - m m rounded once)
        else:
            s = v.sqrt()
        s.add_(group["eps"])
        if momentum > 0:
            b = state["momentum_buffer"]
            b.mul_(momentum).addcdiv_(g, s)
            p.add_(b, alpha=-lr)
        else:
            p.addcdiv_(g, s, value=-lr)


class Adagrad(Optimizer):
    """Adagrad (Duchi, Hazan & Singer, 2011), with the options of torch.optim.Adagrad.

    For each parameter p with gradient grad, at step t = 1, 2, ...::

        g = -grad if maximize else grad
        g = g + weight_decay * p                      (if weight_decay)
        rate = lr / (1 + (t - 1) * lr_decay)
        v = v + g * g                                 (v0 = initial_accumulator_value)
        p = p - rate * g / (sqrt(v) + eps)

    ``state`` holds ``step`` (t) and ``sum`` (v), changed in place as torch's.
    """

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, foreach=None, *, maximize=False, differentiable=False,
                 fused=None):
        _check(lr, eps, weight_decay)
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not 0.0 <= initial_accumulator_value:
            raise ValueError(f"Invalid initial_accumulator_value value: "
                             f"{initial_accumulator_value}")
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value,
                    "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
                    "fused": fused}
        super().__init__(params, defaults)
        for group in self.param_groups:  # (torch makes the state when the optimizer is made)
            for p in group["params"]:
                self.state[p] = {"step": tinyad.tensor(0.0), "sum": tinyad.full_like(
                    p, group["initial_accumulator_value"])}

    def update(self, p, state, group):
        state["step"] += 1
        g = -p.grad if group["maximize"] else p.grad
        if group["weight_decay"] != 0:
            g = g.add(p, alpha=group["weight_decay"])
        rate = group["lr"] / (1 + (state["step"].item() - 1) * group["lr_decay"])
        state["sum"].addcmul_(g, g, value=1)
        p.addcdiv_(g, state["sum"].sqrt().add_(group["eps"]), value=-rate)
