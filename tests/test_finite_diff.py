"""Every op of the table checked by central finite differences (tinyad.testing.gradcheck,
float64), and gradcheck itself on user-defined tinyad.autograd.Function classes."""

import numpy as np
import pytest
from _strategies import (
    OPS,
    arrays,
    away_from_zero,
    bind,
    broadcast_shapes,
    floats,
    op_params,
    shapes,
)
from hypothesis import given
from hypothesis import strategies as st

tinyad = pytest.importorskip("tinyad")
from tinyad.autograd import Function  # noqa: E402
from tinyad.testing import gradcheck  # noqa: E402


@pytest.mark.parametrize("op", op_params(OPS))
@given(data=st.data())
def test_op_gradients_match_finite_differences(op, data):
    case = data.draw(op.case, label="case")
    leaves, call = bind(tinyad, op.fn, case)
    # the numerical gradient's rounding error grows with the output's magnitude
    scale = max(1.0, float(np.abs(call(*leaves)._data).sum()))
    assert gradcheck(call, leaves, atol=op.fd_atol * scale) is True


class Cube(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return 3 * x**2 * grad_output


class MulAdd(Function):
    """x * y + z; backward returns output-shaped gradients, the engine undoes broadcasting."""

    @staticmethod
    def forward(ctx, x, y, z):
        ctx.save_for_backward(x, y)
        return x * y + z

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        gx = grad_output * y if ctx.needs_input_grad[0] else None
        gy = grad_output * x if ctx.needs_input_grad[1] else None
        return gx, gy, grad_output


class Scale(Function):
    """alpha * x with a plain-float argument, which gets no gradient."""

    @staticmethod
    def forward(ctx, x, alpha):
        ctx.alpha = alpha
        return alpha * x

    @staticmethod
    def backward(ctx, grad_output):
        return ctx.alpha * grad_output, None


def leaves_of(*arrays_):
    return [tinyad.tensor(a, requires_grad=True) for a in arrays_]


@given(arrays(shapes()))
def test_gradcheck_passes_a_correct_function(x):
    assert gradcheck(Cube.apply, leaves_of(x)) is True


@given(broadcast_shapes(3).flatmap(lambda ss: st.tuples(*map(arrays, ss))))
def test_gradcheck_passes_a_broadcasting_function(xyz):
    assert gradcheck(MulAdd.apply, leaves_of(*xyz)) is True


@given(arrays(shapes()), st.data())
def test_gradcheck_checks_only_inputs_that_require_grad(x, data):
    y = tinyad.tensor(data.draw(arrays(x.shape)))  # requires_grad=False: MulAdd returns None
    z = tinyad.tensor(data.draw(arrays(x.shape)), requires_grad=True)
    assert gradcheck(MulAdd.apply, [leaves_of(x)[0], y, z]) is True


@given(arrays(shapes()), away_from_zero(0.1, 3))
def test_gradcheck_passes_a_function_with_a_float_argument(x, alpha):
    assert gradcheck(lambda t: Scale.apply(t, alpha), leaves_of(x)) is True


@given(arrays(shapes(), floats(-3, 3)))
def test_gradcheck_passes_a_composition_of_functions_with_fan_out(x):
    def fn(t):
        c = Cube.apply(t)
        return MulAdd.apply(c, t.tanh(), Scale.apply(c, 0.5))

    leaves = leaves_of(x)
    # the numerical gradient's rounding error grows with the output (x**3 up to 27)
    scale = max(1.0, float(np.abs(fn(*leaves).detach().numpy()).sum()))
    assert gradcheck(fn, leaves, atol=1e-8 * scale) is True


def test_gradcheck_leaves_its_inputs_untouched():
    x = np.array([[0.5, -1.25], [2.0, 0.75]])
    (leaf,) = leaves_of(x)
    gradcheck(Cube.apply, [leaf])
    np.testing.assert_array_equal(leaf._data, x)
    assert leaf.grad is None or not np.any(leaf.grad._data)  # gradcheck must not accumulate
