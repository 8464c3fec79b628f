"""torch.autograd.functional: jacobian, hessian, vjp and hvp of a function of tensors.

(``tinyad.func`` has the same transforms in a composable, JAX-like form.)
"""

from .autograd import enable_grad, grad
from .tensor import Tensor, stack, zeros


def _prepare(inputs, create_graph):
    """Fresh leaves that require grad, or (inside another transform) the inputs' own graph."""
    xs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    return tuple(x.view_as(x) if create_graph and x.requires_grad
                 else x.detach().requires_grad_() for x in xs)


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False,
             strategy="reverse-mode"):
    """d func(inputs) / d inputs, of shape output.shape + input.shape (tuples for tuples)."""
    if strict and vectorize:
        raise RuntimeError("torch.autograd.functional.jacobian: `strict=True` and "
                           "`vectorized=True` are not supported together. Please either set "
                           "`strict=False` or `vectorize=False`.")
    xs = _prepare(inputs, create_graph)
    with enable_grad():
        out = func(*xs)
    outs = (out,) if isinstance(out, Tensor) else tuple(out)
    for i, o in enumerate(outs):
        if strict and not o.requires_grad:
            raise RuntimeError(f"Output {i} of the user-provided function does not require "
                               f"gradients. The outputs must be computed in a differentiable "
                               f"manner from the input when running in strict mode.")
    result = []
    for i, o in enumerate(outs):
        rows = [[] for _ in xs]
        flat = o.reshape(-1)
        for k in range(flat.numel()):
            if not flat.requires_grad:
                gs = (None,) * len(xs)
            else:
                gs = grad(flat[k], xs, retain_graph=True, create_graph=create_graph,
                          allow_unused=True)
            for j, (row, g, x) in enumerate(zip(rows, gs, xs)):
                if strict and g is None:
                    raise RuntimeError(f"Output {i} of the user-provided function is "
                                       f"independent of input {j}. This is not allowed in "
                                       f"strict mode.")
                if strict and create_graph and not g.requires_grad:
                    raise RuntimeError(f"The jacobian of the user-provided function is "
                                       f"independent of input {j}. This is not allowed in "
                                       f"strict mode when create_graph=True.")
                row.append(zeros(tuple(x.shape), dtype=x.dtype) if g is None else g)
        per_input = tuple(
            stack(row).reshape(tuple(o.shape) + tuple(x.shape)) if row else
            zeros(tuple(o.shape) + tuple(x.shape), dtype=x.dtype) for row, x in zip(rows, xs))
        if not create_graph:
            per_input = tuple(j.detach() for j in per_input)
        result.append(per_input[0] if isinstance(inputs, Tensor) else per_input)
    return result[0] if isinstance(out, Tensor) else tuple(result)


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    """The second derivatives of a scalar func: shape input.shape + input.shape."""
    def scalar(*xs):
        out = func(*xs)
        if not isinstance(out, Tensor) or out.numel() != 1:
            raise RuntimeError("The Tensor returned by the function given to hessian should "
                               "contain a single element")
        return out.reshape(())  # (a one-element output of any shape: as a scalar)

    def gradient(*xs):
        return jacobian(scalar, xs[0] if isinstance(inputs, Tensor) else xs, create_graph=True,
                        strict=strict)
    return jacobian(gradient, inputs, create_graph=create_graph, strict=strict)


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), v^T d func / d inputs)."""
    xs = _prepare(inputs, create_graph)
    with enable_grad():
        out = func(*xs)
    gs = grad(out, xs, grad_outputs=v, create_graph=create_graph, allow_unused=True)
    gs = tuple(zeros(tuple(x.shape), dtype=x.dtype) if g is None else g
               for g, x in zip(gs, xs))
    if not create_graph:
        out, gs = out.detach(), tuple(g.detach() for g in gs)
    return out, gs[0] if isinstance(inputs, Tensor) else gs


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), H v) for a scalar func, by double backward."""
    xs = _prepare(inputs, True)
    vs = (v,) if isinstance(v, Tensor) else tuple(v)
    with enable_grad():
        out = func(*xs)
        gs = grad(out, xs, create_graph=True)
        dot = sum((g * w).sum() for g, w in zip(gs, vs))
        hv = grad(dot, xs, create_graph=create_graph, allow_unused=True)
    hv = tuple(zeros(tuple(x.shape), dtype=x.dtype) if h is None else h for h, x in zip(hv, xs))
    if not create_graph:
        out, hv = out.detach(), tuple(h.detach() for h in hv)
    return out, hv[0] if isinstance(inputs, Tensor) else hv
