"""gradcheck and gradgradcheck: compare an op's analytic first and second derivatives with
central finite differences."""

import numpy as np

from .autograd import grad
from .tensor import Tensor


class GradcheckError(AssertionError):
    """An analytic gradient disagrees with the finite-difference one."""


def numerical_vjp(fn, arrays, flags, k, upstream, eps):
    """d <upstream, fn(arrays)> / d arrays[k] by central differences, one element at a time."""
    x = arrays[k]
    result = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        orig = x[i]
        x[i] = orig + eps
        plus = np.sum(upstream * _value(fn, arrays, flags))
        x[i] = orig - eps
        minus = np.sum(upstream * _value(fn, arrays, flags))
        x[i] = orig
        result[i] = (plus - minus) / (2 * eps)
    return result


def _value(fn, arrays, flags):
    out = fn(*[Tensor._of(a, requires_grad=f) if isinstance(a, np.ndarray) else a
               for a, f in zip(arrays, flags)])
    return out._data if isinstance(out, Tensor) else np.asarray(out)


def gradcheck(fn, inputs, *, eps=1e-6, atol=1e-8, rtol=1e-6, raise_exception=True, seed=0):
    """Check the gradients of ``fn(*inputs)`` against central finite differences in float64.

    The output is contracted with a random upstream gradient (so every output element counts),
    and for each input that requires grad the analytic vector-Jacobian product is compared with
    the numerical one elementwise: ``|analytic - numerical| <= atol + rtol * |numerical|``.
    The defaults catch a gradient wrong by 1e-4 relative (torch's rtol of 1e-3 would not).
    The tensors that require grad are checked, and must be float64; other inputs (tensors,
    numbers, None) are passed as they are.
    """
    inputs = tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)
    for k, x in enumerate(inputs):
        if isinstance(x, Tensor) and x.requires_grad and x.dtype != np.float64:
            raise TypeError(
                f"gradcheck input {k} must be a float64 tensor (finite differences in float32 "
                f"are too coarse); got {x.dtype}")
    checked = [k for k, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    if not checked:
        raise ValueError("gradcheck: no input has requires_grad=True, so nothing is checked")
    out = fn(*inputs)
    upstream = np.random.default_rng(seed).standard_normal(out.shape)
    analytic = (grad(out, [inputs[k] for k in checked], grad_outputs=Tensor._wrap(upstream),
                     allow_unused=True)
                if out.requires_grad else [None] * len(checked))  # None: a constant output
    arrays = [x._data.copy() if isinstance(x, Tensor) else x for x in inputs]
    flags = [k in checked for k in range(len(inputs))]
    for k, a in zip(checked, analytic):
        a = np.zeros(inputs[k].shape) if a is None else a._data
        numerical = numerical_vjp(fn, arrays, flags, k, upstream, eps)
        bad = ~(np.abs(a - numerical) <= atol + rtol * np.abs(numerical))
        if bad.any():
            i = tuple(int(j) for j in np.argwhere(bad)[0])
            msg = (f"gradcheck: the gradient of input {k} disagrees with finite differences at "
                   f"{bad.sum()} of {bad.size} elements; at index {i}: analytic {a[i]!r}, "
                   f"numerical {numerical[i]!r} (atol={atol}, rtol={rtol}, eps={eps})")
            if raise_exception:
                raise GradcheckError(msg)
            return False
    return True


def gradgradcheck(fn, inputs, *, eps=1e-6, atol=1e-8, rtol=1e-6, raise_exception=True, seed=0):
    """Check the second derivatives of ``fn(*inputs)``: gradcheck applied to its backward.

    The backward pass is turned into a function of the inputs, ``x -> <vjp(x, u), w>`` for a
    random upstream gradient ``u`` and random weights ``w`` (computed with create_graph=True),
    and that function's gradients are compared with central finite differences.
    """
    inputs = tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)
    checked = [k for k, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    out = fn(*inputs)
    rng = np.random.default_rng(seed + 1)
    upstream = rng.standard_normal(out.shape)
    weights = [Tensor._wrap(rng.standard_normal(inputs[k].shape)) for k in checked]

    def first_order(*xs):
        grads = grad(fn(*xs), [xs[k] for k in checked], grad_outputs=Tensor._wrap(upstream),
                     create_graph=True, allow_unused=True)
        total = Tensor._wrap(np.zeros(()))
        for g, w in zip(grads, weights):
            if g is not None:
                total = total + (g * w).sum()
        return total

    return gradcheck(first_order, inputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, seed=seed)
