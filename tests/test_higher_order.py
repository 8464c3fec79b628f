"""Second derivatives: create_graph=True for every op, gradgradcheck, and tinyad.func."""

import numpy as np
import pytest
from _strategies import OPS, TORCH_OPS, assert_close, bind, op_params, upstream_for
from hypothesis import assume, given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import tinyad
from tinyad import autograd, func
from tinyad.autograd import Function
from tinyad.testing import GradcheckError, gradcheck, gradgradcheck

seeds = st.integers(0, 2**32 - 1)


def hessian_vector_product(m, op, case, seed):
    """For <op(x), u> with random u: its gradient and the product of its Hessian with a
    random direction v, by differentiating the gradient (create_graph) once more."""
    leaves, call = bind(m, op.fn, case)
    out = call(*leaves)
    u = m.tensor(upstream_for(tuple(out.shape), seed, np.float64))
    grads = m.autograd.grad(out, leaves, grad_outputs=u, create_graph=True, allow_unused=True)
    directions = [upstream_for(tuple(x.shape), seed + 1 + k, np.float64)
                  for k, x in enumerate(leaves)]
    inner = sum((g * m.tensor(v)).sum() for g, v in zip(grads, directions)
                if g is not None and g.requires_grad)
    if not isinstance(inner, (tinyad.Tensor, type(out))) or not inner.requires_grad:
        return [np.zeros(tuple(x.shape)) for x in leaves]  # the op is linear in its inputs
    hv = m.autograd.grad(inner, leaves, allow_unused=True)
    # force: torch's second derivative of abs, sign, ... is a ZeroTensor
    return [np.zeros(tuple(x.shape)) if h is None else h.detach().numpy(force=True)
            for h, x in zip(hv, leaves)]


@pytest.mark.parametrize("op", op_params(TORCH_OPS, second_order=True))
@given(data=st.data())
def test_hessian_vector_products_match_torch_double_backward(op, data):
    torch = pytest.importorskip("torch")
    case = data.draw(op.case, label="case")
    seed = data.draw(seeds, label="seed")
    ours = hessian_vector_product(tinyad, op, case, seed)
    theirs = hessian_vector_product(torch, op, case, seed)
    for k, (a, b) in enumerate(zip(ours, theirs)):
        assert_close(a, b, f"Hessian-vector product for input {k}", 1e-7, 1e-12)


@pytest.mark.parametrize("op", op_params(OPS, second_order=True))
@given(data=st.data())
def test_second_derivatives_match_finite_differences_of_the_gradient(op, data):
    case = data.draw(op.case, label="case")
    # pow's backward masks the base's gradient to 0 where the exponent is exactly 0, as torch's
    # does, so its derivative along the exponent is lost there (d/db of b a**(b-1) is 1 at a=1,
    # b=0): tinyad follows torch, and finite differences see the true value.
    assume(op.name != "pow_tensor" or np.all(case.args[1] != 0))
    leaves, call = bind(tinyad, op.fn, case)
    # the numerical second derivative's rounding error grows with the gradient's magnitude
    out = call(*leaves)
    grads = autograd.grad(out, leaves, grad_outputs=np.ones(out.shape), allow_unused=True)
    scale = max(1.0, sum(float(np.abs(g._data).sum()) for g in grads if g is not None))
    assert gradgradcheck(call, leaves, atol=op.fd_atol * 10 * scale) is True


def test_backward_with_create_graph_gives_differentiable_grads():
    x = tinyad.tensor(np.array([0.3, -1.2, 2.0]), requires_grad=True)
    (x ** 3).sum().backward(create_graph=True)
    assert x.grad.requires_grad and x.grad.grad_fn is not None
    g = x.grad
    x.grad = None
    (g * np.array([1.0, 2.0, 3.0])).sum().backward()
    assert_allclose(x.grad._data, 6 * x._data * [1.0, 2.0, 3.0], rtol=1e-14)


def test_first_order_backward_builds_no_graph():
    x = tinyad.tensor(np.array([0.3, -1.2]), requires_grad=True)
    (x.exp() * x).sum().backward()
    assert not x.grad.requires_grad and x.grad.grad_fn is None


# ----------------------------------------------------------------------------- func


@pytest.mark.parametrize("f, d2", [
    (lambda x: x.tanh(), lambda x: -2 * np.tanh(x) * (1 - np.tanh(x) ** 2)),
    (lambda x: x.exp() * x, lambda x: np.exp(x) * (x + 2)),
    (lambda x: x.sigmoid(), lambda x: (s := 1 / (1 + np.exp(-x))) * (1 - s) * (1 - 2 * s)),
    (lambda x: (x * x + 1).log(), lambda x: (2 - 2 * x * x) / (x * x + 1) ** 2),
    (lambda x: (x * x + 1).sqrt(), lambda x: (x * x + 1) ** -1.5),
    (lambda x: x ** 5, lambda x: 20 * x ** 3),
    (lambda x: 1 / (2 + x), lambda x: 2 / (2 + x) ** 3),
])
@given(x=st.floats(-1.5, 1.5))
def test_grad_of_grad_equals_the_analytic_second_derivative(f, d2, x):
    result = func.grad(func.grad(f))(x)
    assert isinstance(result, np.ndarray)
    assert_allclose(result, d2(x), rtol=1e-12, atol=1e-14)


def test_third_derivative_by_composition():
    assert_allclose(func.grad(func.grad(func.grad(lambda x: x.exp() * x)))(0.5),
                    np.exp(0.5) * 3.5, rtol=1e-13)


def quartic(x, y):
    return ((x @ y).tanh() ** 2).sum() + (x * x * x).sum()


@given(seed=seeds)
def test_jacobian_and_hessian_match_torch_functional(seed):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(seed)
    x, y = rng.standard_normal((2, 3)), rng.standard_normal(3)
    tx, ty = torch.tensor(x), torch.tensor(y)

    jac = func.jacobian(lambda a, b: (a @ b).sigmoid() * a[:, 0], argnums=(0, 1))(x, y)
    ref = torch.autograd.functional.jacobian(lambda a, b: (a @ b).sigmoid() * a[:, 0], (tx, ty))
    for ours, theirs in zip(jac, ref):
        assert ours.shape == tuple(theirs.shape)
        assert_allclose(ours, theirs.numpy(), rtol=1e-10, atol=1e-14)

    hess = func.hessian(quartic)(x, y)
    ref = torch.autograd.functional.hessian(lambda a: quartic(a, ty), tx)
    assert hess.shape == (2, 3, 2, 3)
    assert_allclose(hess, ref.numpy(), rtol=1e-10, atol=1e-14)

    v = rng.standard_normal((2, 3))
    value, hv = func.hvp(lambda a: quartic(a, y), x, v)
    ref_value, ref_hv = torch.autograd.functional.hvp(lambda a: quartic(a, ty), tx,
                                                      torch.tensor(v))
    assert_allclose(value, ref_value.numpy(), rtol=1e-12)
    assert_allclose(hv, ref_hv.numpy(), rtol=1e-10, atol=1e-14)
    assert_allclose(hv.reshape(6), hess.reshape(6, 6) @ v.reshape(6), rtol=1e-10, atol=1e-14)


def test_gradient_of_a_jacobian():
    """jacobian inside another transform keeps its graph: d/dx sum(W * diag(3 x**2)) = 6 x W_ii."""
    x, W = np.array([0.5, -1.0, 2.0]), np.arange(9.0).reshape(3, 3)
    result = func.grad(lambda t: (func.jacobian(lambda u: u ** 3)(t) * W).sum())(x)
    assert_allclose(result, 6 * x * np.diag(W), rtol=1e-14)


def test_value_and_grad_vjp_and_argnums():
    x, y = np.array([1.0, 2.0]), np.array([3.0, -1.0])
    (value, aux), (gx, gy) = func.value_and_grad(
        lambda a, b: ((a * b).sum(), "aux"), argnums=(0, 1), has_aux=True)(x, y)
    assert value == pytest.approx(1.0) and aux == "aux"
    assert_allclose(gx, y)
    assert_allclose(gy, x)
    out, vjp_fn = func.vjp(lambda a: a.exp(), x)
    (ct,) = vjp_fn(np.array([1.0, 0.5]))
    (again,) = vjp_fn(np.array([1.0, 0.5]))  # callable more than once
    assert_allclose(ct, np.exp(x) * [1.0, 0.5])
    assert_allclose(again, ct)
    t = tinyad.tensor(x)
    assert type(func.grad(lambda a: (a * a).sum())(t)) is tinyad.Tensor


def test_func_errors_are_clear():
    with pytest.raises(ValueError, match="must return a scalar"):
        func.grad(lambda a: a * 2)(np.ones(3))
    with pytest.raises(ValueError, match="argnums 2 is out of range for 1 arguments"):
        func.grad(lambda a: a.sum(), argnums=2)(np.ones(3))
    with pytest.raises(TypeError, match="must return a tinyad tensor"):
        func.grad(lambda a: 3.0)(np.ones(3))


# ----------------------------------------------------------------------------- checkers


class Square(Function):
    """x**2, whose own backward is wrong by 1e-4 relative (its forward is right)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * 2 * x * (1 + 1e-4)


class Cube(Function):
    """x**3 with a correct first derivative, 3 Square(x) g, whose derivative is wrong."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 3 * Square.apply(x) * g


def test_gradgradcheck_catches_a_wrong_double_backward_that_gradcheck_cannot_see():
    x = tinyad.tensor(np.array([0.5, -1.3, 2.0]), requires_grad=True)
    assert gradcheck(Cube.apply, [x])
    with pytest.raises(GradcheckError, match="disagrees with finite differences"):
        gradgradcheck(Cube.apply, [x])
    assert gradgradcheck(lambda a: a ** 3, [x])


def test_a_function_that_cannot_be_differentiated_twice_says_so():
    class Once(Function):
        once_differentiable = True

        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    class SavesIntermediate(Function):
        @staticmethod
        def forward(ctx, x):
            e = np.exp(x)
            ctx.save_for_backward(e * x)  # neither the input nor the output
            return e * x

        @staticmethod
        def backward(ctx, g):
            (ex,) = ctx.saved_tensors
            return g * ex

    class UsesCosh(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return np.sinh(x)

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * np.cosh(x)  # tinyad has no cosh op

    x = tinyad.tensor(np.array([0.5, 1.5]), requires_grad=True)
    for fn, pattern in ((Once, "OnceBackward cannot be differentiated twice.*once_differentiable"),
                        (SavesIntermediate, "SavesIntermediateBackward cannot be differentiated "
                                            "twice.*neither an input nor the output"),
                        (UsesCosh, "UsesCoshBackward cannot be differentiated twice.*cosh")):
        fn.apply(x).sum().backward()  # first order is fine
        with pytest.raises(RuntimeError, match=pattern):
            autograd.grad(fn.apply(x).sum(), x, create_graph=True)
