"""Composable function transforms over tinyad (in the style of JAX and torch.func).

Each transform takes a function of tensors and returns a new function. Arguments may be numpy
arrays, Python numbers or tensors; results come back as numpy arrays when the differentiated
arguments were not tensors, and as tensors otherwise. Transforms compose: ``grad(grad(f))``,
``jacobian(grad(f))``. Inside another transform, gradients are computed with
``create_graph=True`` so that the outer transform can differentiate them again.
"""

import numpy as np

from . import autograd
from .autograd import enable_grad
from .tensor import Tensor


def _argnums(argnums, nargs):
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    for i in nums:
        if not -nargs <= i < nargs:
            raise ValueError(f"argnums {argnums} is out of range for {nargs} arguments")
    return tuple(i % nargs for i in nums)


def _differentiable(x):
    """``x`` as a tensor that requires grad: itself when an outer transform is tracking it
    (so the two graphs connect), otherwise a fresh float64 (or float32) leaf."""
    if isinstance(x, Tensor):
        if x.requires_grad:
            return x
        x = x._data
    array = np.array(x, dtype=None if np.asarray(x).dtype.kind == "f" else np.float64)
    return Tensor._of(array, requires_grad=True)


def _outer(x):
    """Whether an enclosing transform differentiates through ``x``."""
    return isinstance(x, Tensor) and x.requires_grad


def _as_output(grad, like, primal):
    """A gradient in the caller's currency: an array unless the argument was a tensor."""
    if grad is None:
        grad = Tensor._wrap(np.zeros(primal.shape, dtype=primal.dtype))
    return grad if isinstance(like, Tensor) else grad._data


def _value(out, originals, create_graph):
    """f's value in the caller's currency: a tensor (in the graph when nested) or an array."""
    if create_graph:
        return out
    return out.detach() if any(isinstance(o, Tensor) for o in originals) else out._data


def _scalar(out, who):
    if not isinstance(out, Tensor):
        raise TypeError(f"{who}: the function must return a tinyad tensor, got "
                        f"{type(out).__name__}")
    if out._data.size != 1:
        raise ValueError(f"{who}: the function must return a scalar (one element), got shape "
                         f"{tuple(out._data.shape)}; use jacobian() for vector outputs")
    return out


def _vjp_call(f, args, argnums):
    """Evaluate ``f`` with the chosen arguments made differentiable (and the other numpy
    arrays tensors: a tensor that requires grad does not take an array as an operand)."""
    nums = _argnums(argnums, len(args))
    originals = [args[i] for i in nums]
    args = [Tensor._wrap(a) if type(a) is np.ndarray else a for a in args]
    create_graph = any(_outer(args[i]) for i in nums)
    for i in nums:
        args[i] = _differentiable(args[i])
    with enable_grad():
        out = f(*args)
    return out, [args[i] for i in nums], originals, create_graph


def value_and_grad(f, argnums=0, has_aux=False):
    """``f``'s value and its gradient with respect to the ``argnums`` argument(s).

    ``f`` must return a scalar tensor, or ``(scalar, aux)`` when ``has_aux``; the result is then
    ``((value, aux), grad)``. With a tuple ``argnums`` the gradient is a tuple.
    """
    def wrapper(*args):
        out, primals, originals, create_graph = _vjp_call(f, args, argnums)
        aux = None
        if has_aux:
            if not (isinstance(out, tuple) and len(out) == 2):
                raise TypeError("value_and_grad(has_aux=True): f must return (value, aux)")
            out, aux = out
        _scalar(out, "grad")
        grads = autograd.grad(out, primals, create_graph=create_graph, allow_unused=True)
        grads = tuple(_as_output(g, o, p) for g, o, p in zip(grads, originals, primals))
        value = _value(out, originals, create_graph)
        value = (value, aux) if has_aux else value
        return value, grads[0] if isinstance(argnums, int) else grads
    return wrapper


def grad(f, argnums=0, has_aux=False):
    """The gradient of a scalar-valued ``f`` with respect to the ``argnums`` argument(s)."""
    vg = value_and_grad(f, argnums, has_aux)

    def wrapper(*args):
        value, g = vg(*args)
        return (g, value[1]) if has_aux else g
    return wrapper


def vjp(f, *primals):
    """``(f(*primals), vjp_fn)``: ``vjp_fn(cotangent)`` gives the cotangent pulled back to each
    primal, a tuple with one entry per primal (as torch.func.vjp). It may be called repeatedly."""
    out, tensors, originals, create_graph = _vjp_call(f, primals, range(len(primals)))
    if not isinstance(out, Tensor):
        raise TypeError(f"vjp: the function must return a tinyad tensor, got {type(out).__name__}")

    def vjp_fn(cotangent):
        ct = cotangent if isinstance(cotangent, Tensor) else Tensor._wrap(np.asarray(cotangent))
        grads = autograd.grad(out, tensors, grad_outputs=ct, retain_graph=True,
                              create_graph=create_graph or _outer(cotangent), allow_unused=True)
        return tuple(_as_output(g, o, p) for g, o, p in zip(grads, originals, tensors))
    return _value(out, originals, create_graph), vjp_fn


def jacobian(f, argnums=0):
    """The Jacobian of ``f``: for an output of shape S and an argument of shape A, an array of
    shape S + A (one reverse pass per output element). A tuple ``argnums`` gives a tuple."""
    def wrapper(*args):
        out, primals, originals, create_graph = _vjp_call(f, args, argnums)
        if not isinstance(out, Tensor):
            raise TypeError(f"jacobian: the function must return a tinyad tensor, got "
                            f"{type(out).__name__}")
        rows = [[] for _ in primals]
        for k in range(out._data.size):
            onehot = np.zeros(out._data.size, dtype=out.dtype)
            onehot[k] = 1
            onehot = Tensor._wrap(onehot.reshape(out.shape))
            grads = autograd.grad(out, primals, grad_outputs=onehot,
                                  retain_graph=True, create_graph=create_graph,
                                  allow_unused=True) if out.requires_grad else \
                (None,) * len(primals)  # (f constant in its arguments: a zero Jacobian)
            for row, g, p in zip(rows, grads, primals):
                row.append(Tensor._wrap(np.zeros(p.shape, dtype=p.dtype)) if g is None else g)
        jacs = tuple(_stack(row, out.shape, p.shape, o)
                     for row, p, o in zip(rows, primals, originals))
        return jacs[0] if isinstance(argnums, int) else jacs
    return wrapper


def _stack(rows, out_shape, in_shape, like):
    """Rows of a Jacobian (one gradient per output element) as one out_shape + in_shape result."""
    if not isinstance(like, Tensor) or not any(r.requires_grad for r in rows):
        jac = np.stack([r._data for r in rows]).reshape(out_shape + in_shape)
        return Tensor._wrap(jac) if isinstance(like, Tensor) else jac
    # Keep the graph for an enclosing transform: place each row with a differentiable sum.
    total = None
    for k, r in enumerate(rows):
        basis = np.zeros((len(rows),) + (1,) * len(in_shape), dtype=r._data.dtype)
        basis[k] = 1
        term = r * Tensor._wrap(basis)  # broadcasts to (n_out,) + in_shape
        total = term if total is None else total + term
    return total.reshape(out_shape + in_shape)


def hessian(f, argnums=0):
    """The Hessian of a scalar-valued ``f``: ``jacobian(grad(f))``, of shape A + A."""
    return jacobian(grad(f, argnums), argnums)


def hvp(f, primals, tangents):
    """``(f(*primals), H v)``: the Hessian of scalar ``f`` at ``primals`` times ``tangents``,
    by differentiating <grad f, v> once more (as torch.autograd.functional.hvp)."""
    single = not isinstance(primals, (tuple, list))
    primals = (primals,) if single else tuple(primals)
    tangents = (tangents,) if single else tuple(tangents)
    if len(tangents) != len(primals):
        raise ValueError(f"hvp: {len(primals)} primals but {len(tangents)} tangents")
    out, tensors, originals, create_graph = _vjp_call(f, primals, range(len(primals)))
    _scalar(out, "hvp")
    grads = autograd.grad(out, tensors, create_graph=True, allow_unused=True)
    inner = None
    for g, v, p in zip(grads, tangents, tensors):
        v = v if isinstance(v, Tensor) else Tensor._wrap(np.asarray(v, dtype=p.dtype))
        if np.shape(v) != p.shape:
            raise ValueError(f"hvp: a tangent of shape {np.shape(v)} for a primal of shape "
                             f"{tuple(p._data.shape)}")
        if g is not None and g.requires_grad:
            term = (g * v).sum()
            inner = term if inner is None else inner + term
    if inner is None:  # f is linear: its Hessian is zero
        hv = (None,) * len(tensors)
    else:
        hv = autograd.grad(inner, tensors, create_graph=create_graph, allow_unused=True)
    hv = tuple(_as_output(h, o, p) for h, o, p in zip(hv, originals, tensors))
    return _value(out, originals, create_graph), hv[0] if single else hv
