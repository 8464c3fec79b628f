"""The checkers can fail: a backward wrong by 1e-4 relative is caught by gradcheck and by the
torch comparison of test_vs_torch (in float64 and float32), and the correct version passes
both; the comparison also catches an op that mutates its input, changes the dtype or
overflows."""

import numpy as np
import pytest
from _strategies import Case, assert_matches_torch

tinyad = pytest.importorskip("tinyad")
from tinyad.autograd import Function  # noqa: E402
from tinyad.testing import GradcheckError, gradcheck  # noqa: E402

ERROR = 1e-4  # relative error of the wrong backwards


def from_forward(forward, derivative):
    """A Function y = forward(x) whose backward is grad_output * derivative(y)."""

    class FromForward(Function):
        @staticmethod
        def forward(ctx, x):
            y = forward(x)
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, grad_output):
            (y,) = ctx.saved_tensors
            return grad_output * derivative(y)

    return FromForward


def exp_function(factor):
    return from_forward(np.exp, lambda y: y * factor)


def mul_function(factor):
    """x * y whose gradient for y (only) is scaled by ``factor``."""

    class Mul(Function):
        @staticmethod
        def forward(ctx, x, y):
            ctx.save_for_backward(x, y)
            return x * y

        @staticmethod
        def backward(ctx, grad_output):
            x, y = ctx.saved_tensors
            return grad_output * y, grad_output * x * factor

    return Mul


X = np.array([[0.5, -1.25, 2.0], [0.125, -0.75, 1.5]])
Y = np.array([[1.5], [-2.0]])  # broadcast against X
CASES = {
    "exp": (exp_function, Case((X,)), lambda m, F, x: m.exp(x)),
    "mul": (mul_function, Case((X, Y)), lambda m, F, x, y: x * y),
}
VERSIONS = {"correct": 1.0, "wrong": 1.0 + ERROR}


def user_fn(make, factor):
    fn = make(factor)
    return lambda m, F, *xs: fn.apply(*xs)


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("version", VERSIONS)
def test_gradcheck(name, version):
    make, case, _ = CASES[name]
    fn = make(VERSIONS[version])
    inputs = [tinyad.tensor(a, requires_grad=True) for a in case.args]
    if version == "correct":
        assert gradcheck(fn.apply, inputs) is True
    else:
        with pytest.raises(GradcheckError):
            gradcheck(fn.apply, inputs)
        assert gradcheck(fn.apply, inputs, raise_exception=False) is False


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_torch_comparison(name, version, dtype):
    pytest.importorskip("torch")
    make, case, reference = CASES[name]
    check = lambda: assert_matches_torch(  # noqa: E731
        user_fn(make, VERSIONS[version]), case.astype(dtype), 0, tinyad, ref_fn=reference)
    if version == "correct":
        check()
    else:
        with pytest.raises(AssertionError, match="gradient of input"):
            check()


def exp_grad(y):
    return y


FLAWED = {
    # name: (forward, derivative from the output, reference, input, error raised, message)
    "mutates its input": (
        lambda x: x.exp_() * 1, exp_grad, lambda m, F, x: m.exp(x), X,
        AssertionError, "mutated"),
    "returns float64 for float32": (
        lambda x: np.exp(np.asarray(x, dtype=np.float64)), exp_grad, lambda m, F, x: m.exp(x),
        X.astype(np.float32), AssertionError, "dtype"),
    "overflows (naive sigmoid)": (
        lambda x: 1 / (1 + np.exp(-x)), lambda y: y * (1 - y), lambda m, F, x: m.sigmoid(x),
        np.array([-800.0, 1.0]), FloatingPointError, "overflow"),
}


@pytest.mark.parametrize("flaw", FLAWED)
def test_torch_comparison_catches_mutation_dtype_change_and_overflow(flaw):
    pytest.importorskip("torch")
    forward, derivative, reference, x, error, message = FLAWED[flaw]
    fn = from_forward(forward, derivative)
    with pytest.raises(error, match=message):
        assert_matches_torch(lambda m, F, x: fn.apply(x), Case((x,)), 0, tinyad,
                             ref_fn=reference)
