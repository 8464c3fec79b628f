"""Adam and AdamW: gradient steps scaled by running estimates of the gradient's moments."""

import tinyad

from .optimizer import Optimizer


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015), with the options of torch.optim.Adam.

    For each parameter p with gradient grad, at step t = 1, 2, ...::

        g = -grad if maximize else grad
        p = p * (1 - lr * weight_decay)        (AdamW: decoupled weight decay)
        g = g + weight_decay * p               (Adam: L2 penalty in the gradient)
        m = beta1 * m + (1 - beta1) * g        (first moment, m0 = 0)
        v = beta2 * v + (1 - beta2) * g * g    (second moment, v0 = 0)
        v_max = max(v_max, v)                  (amsgrad: use v_max in place of v)
        m_hat = m / (1 - beta1**t)             (bias corrections)
        v_hat = v / (1 - beta2**t)
        p = p - lr * m_hat / (sqrt(v_hat) + eps)

    ``state`` holds ``step`` (t, a float32 tensor as in torch), ``exp_avg`` (m),
    ``exp_avg_sq`` (v) and with amsgrad ``max_exp_avg_sq`` (v_max).
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=False):
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not (isinstance(betas[0], float) and isinstance(betas[1], float)):
            raise ValueError("betas must be floats (tinyad has no tensor betas)")
        defaults = {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay,
                    "amsgrad": amsgrad, "maximize": maximize, "foreach": foreach,
                    "capturable": capturable, "differentiable": differentiable, "fused": fused,
                    "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)

    def update(self, p, state, group):
        lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
        weight_decay, amsgrad = group["weight_decay"], group["amsgrad"]
        if not state:
            state["step"] = tinyad.tensor(0.0)
            state["exp_avg"] = tinyad.zeros_like(p)
            state["exp_avg_sq"] = tinyad.zeros_like(p)
            if amsgrad:
                state["max_exp_avg_sq"] = tinyad.zeros_like(p)
        state["step"] += 1
        t = state["step"].item()

        # torch's steps, one by one, the moments updated in place (numbers to the last bit)
        g = -p.grad if group["maximize"] else p.grad
        if weight_decay != 0:
            if group["decoupled_weight_decay"]:
                p.mul_(1 - lr * weight_decay)
            else:
                g = g.add(p, alpha=weight_decay)
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m.lerp_(g, 1 - beta1)
        v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
        if amsgrad:
            v = state["max_exp_avg_sq"].copy_(tinyad.maximum(state["max_exp_avg_sq"], v))
        step_size = lr / (1 - beta1**t)
        denominator = (v.sqrt() / (1 - beta2**t) ** 0.5).add_(eps)
        p.addcdiv_(m, denominator, value=-step_size)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter, 2019): ``p <- p (1 - lr wd)``
    before the Adam step, instead of adding ``wd p`` to the gradient. ``weight_decay`` defaults
    to 0.01. See :class:`Adam` for the update."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, maximize=False, foreach=None, capturable=False,
                 differentiable=False, fused=None):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach,
                         maximize=maximize, capturable=capturable,
                         differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)
