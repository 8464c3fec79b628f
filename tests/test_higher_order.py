"""Second derivatives: create_graph=True for every op, gradgradcheck, and tinyad.func."""

import numpy as np
import pytest
from _pair import outcome, same
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
    grads = autograd.grad(out, leaves, grad_outputs=tinyad.ones(out.shape), allow_unused=True)
    scale = max(1.0, sum(float(np.abs(g._data).sum()) for g in grads if g is not None))
    assert gradgradcheck(call, leaves, atol=op.fd_atol * 10 * scale) is True


def test_backward_with_create_graph_gives_differentiable_grads():
    x = tinyad.tensor(np.array([0.3, -1.2, 2.0]), requires_grad=True)
    (x ** 3).sum().backward(create_graph=True)
    assert x.grad.requires_grad and x.grad.grad_fn is not None
    g = x.grad
    x.grad = None
    (g * tinyad.tensor([1.0, 2.0, 3.0], dtype=tinyad.float64)).sum().backward()
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
    value, hv = func.hvp(lambda a: quartic(a, tinyad.tensor(y)), x, v)
    ref_value, ref_hv = torch.autograd.functional.hvp(lambda a: quartic(a, ty), tx,
                                                      torch.tensor(v))
    assert_allclose(value, ref_value.numpy(), rtol=1e-12)
    assert_allclose(hv, ref_hv.numpy(), rtol=1e-10, atol=1e-14)
    assert_allclose(hv.reshape(6), hess.reshape(6, 6) @ v.reshape(6), rtol=1e-10, atol=1e-14)


def test_gradient_of_a_jacobian():
    """jacobian inside another transform keeps its graph: d/dx sum(W * diag(3 x**2)) = 6 x W_ii."""
    x, W = np.array([0.5, -1.0, 2.0]), np.arange(9.0).reshape(3, 3)
    weights = tinyad.tensor(W)  # (an array is no operand for a tensor that requires grad)
    result = func.grad(lambda t: (func.jacobian(lambda u: u ** 3)(t) * weights).sum())(x)
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

    class UsesCbrt(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 4 / 4

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * np.cbrt(x ** 9)  # tinyad has no cbrt op

    x = tinyad.tensor(np.array([0.5, 1.5]), requires_grad=True)
    for fn, pattern in ((Once, "OnceBackward cannot be differentiated twice.*once_differentiable"),
                        (SavesIntermediate, "SavesIntermediateBackward cannot be differentiated "
                                            "twice.*neither an input nor the output"),
                        (UsesCbrt, "UsesCbrtBackward cannot be differentiated twice.*cbrt")):
        fn.apply(x).sum().backward()  # first order is fine
        with pytest.raises(RuntimeError, match=pattern):
            autograd.grad(fn.apply(x).sum(), x, create_graph=True)


# ---- in-place changes between a create_graph backward and differentiating its result -------
#
# torch's second derivatives run through the graph its backward formulas built. Some formulas
# are one op (mse_loss_backward, _log_softmax_backward_data, threshold_backward...) that saves
# its inputs; others are composite, and which tensor each of their ops saved decides whether a
# later in-place change is refused. tinyad's formulas are written in torch's order so that the
# same changes are refused: the grads are computed, then one tensor is changed in place under
# no_grad, then the grads are differentiated (torch raises its version error, or computes).

def _probs(T, x):
    return x.sigmoid()


DOUBLE_BACKWARD = {  # name: (f(T, F, a, b), whether b is an input that may require grad)
    "mse_loss": (lambda T, F, a, b: F.mse_loss(a, b, reduction="none"), True),
    "mse_loss_sum": (lambda T, F, a, b: F.mse_loss(a, b, reduction="sum"), True),
    "mse_loss_broadcast": (lambda T, F, a, b: F.mse_loss(a, b[0], reduction="sum"), True),
    "log_softmax": (lambda T, F, a, b: F.log_softmax(a, 1), False),
    "softmax": (lambda T, F, a, b: F.softmax(a, 0), False),
    "tanh": (lambda T, F, a, b: a.tanh(), False),
    "sigmoid": (lambda T, F, a, b: a.sigmoid(), False),
    "exp": (lambda T, F, a, b: a.exp(), False),
    "log": (lambda T, F, a, b: a.log(), False),
    "sqrt": (lambda T, F, a, b: a.sqrt(), False),
    "relu": (lambda T, F, a, b: F.relu(a - 1), False),
    "sin": (lambda T, F, a, b: a.sin(), False),
    "cos": (lambda T, F, a, b: a.cos(), False),
    "abs": (lambda T, F, a, b: a.abs(), False),
    "abs_of_difference": (lambda T, F, a, b: (a - 1).abs(), False),
    "reciprocal": (lambda T, F, a, b: a.reciprocal(), False),
    "square": (lambda T, F, a, b: a ** 2, False),
    "pow_tensor": (lambda T, F, a, b: a ** b, True),
    "number_pow": (lambda T, F, a, b: 2.0 ** a, False),
    "mul": (lambda T, F, a, b: a * b, True),
    "div": (lambda T, F, a, b: a / b, True),
    "div_broadcast": (lambda T, F, a, b: a / b[:, :1], True),
    "sub": (lambda T, F, a, b: a - 2 * b, True),
    "matmul": (lambda T, F, a, b: a @ b.t(), True),
    "maximum": (lambda T, F, a, b: T.maximum(a, b), True),
    "where": (lambda T, F, a, b: T.where(a > 1, a, b), True),
    "clamp": (lambda T, F, a, b: a.clamp(0.7, 1.2), False),
    "sum": (lambda T, F, a, b: a.sum(1), False),
    "mean": (lambda T, F, a, b: a.mean(1), False),
    "mean_all": (lambda T, F, a, b: a.mean(), False),
    "var": (lambda T, F, a, b: a.var(1), False),
    "std": (lambda T, F, a, b: a.std(1), False),
    "prod": (lambda T, F, a, b: a.prod(1), False),
    "prod_all": (lambda T, F, a, b: a.prod(), False),
    "max_dim": (lambda T, F, a, b: a.max(1)[0], False),
    "max": (lambda T, F, a, b: a.max(), False),
    "norm": (lambda T, F, a, b: a.norm(), False),
    "getitem": (lambda T, F, a, b: a[1:, [0, 2]], False),
    "cat": (lambda T, F, a, b: T.cat([a, b]), True),
    "bce": (lambda T, F, a, b: F.binary_cross_entropy(_probs(T, a), _probs(T, b), reduction="none"),
            True),
    "bce_of_probabilities": (lambda T, F, a, b: F.binary_cross_entropy(  # (a, b in (0.1, 0.9))
        a, b, reduction="none"), True),
    "bce_with_logits": (lambda T, F, a, b: F.binary_cross_entropy_with_logits(
        a, _probs(T, b), reduction="sum"), True),
    "cross_entropy": (lambda T, F, a, b: F.cross_entropy(a, T.tensor([0, 3, 1])), False),
    "cross_entropy_probabilities": (lambda T, F, a, b: F.cross_entropy(a, b.softmax(1)), True),
    "nll_loss": (lambda T, F, a, b: F.nll_loss(a, T.tensor([0, 3, 1]), reduction="sum"), False),
}


@pytest.mark.parametrize("changed", ["input", "other", "output", "grad_output", "gradient"])
@pytest.mark.parametrize("name, other_requires_grad", [
    pytest.param(name, rg, id=name + ("-b_rg" if rg else ""))
    for name, (_, binary) in DOUBLE_BACKWARD.items() for rg in (False, True)[:1 + binary]])
def test_an_in_place_change_before_double_backward_is_refused_as_in_torch(
        name, other_requires_grad, changed):
    f, _ = DOUBLE_BACKWARD[name]

    def program(T):
        import_F = __import__(T.__name__ + ".nn.functional", fromlist=["F"])
        rng = np.random.default_rng(0)
        low, high = (0.1, 0.9) if name == "bce_of_probabilities" else (0.6, 1.4)
        a = T.tensor(rng.uniform(low, high, (3, 4)), requires_grad=True)
        b = T.tensor(rng.uniform(low, high, (3, 4)), requires_grad=other_requires_grad)
        out = f(T, import_F, a, b)
        w = T.full(tuple(out.shape), 0.7, dtype=T.float64)
        inputs = [a, b] if other_requires_grad else [a]
        grads = T.autograd.grad(out, inputs, w, create_graph=True)
        tensor = {"input": a, "other": b, "output": out, "grad_output": w,
                  "gradient": grads[0]}[changed]
        with T.no_grad():
            changing = outcome(lambda: tensor.add_(0.25).shape)
        total = sum(g.sum() for g in grads if g.requires_grad)
        result = outcome(total.backward) if isinstance(total, T.Tensor) else None
        # torch's second derivative of abs is a ZeroTensor, which cannot be read: zeros
        zero = getattr(a.grad, "_is_zerotensor", lambda: False)()
        return changing, result, T.zeros_like(a) if zero else a.grad, b.grad, grads

    same(program)
