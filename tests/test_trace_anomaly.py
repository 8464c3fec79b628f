"""autograd.trace (the steps of the reverse sweep) and autograd.detect_anomaly (NaN/inf)."""

import warnings

import numpy as np
import pytest
from _pair import outcome, same

import tinyad
from tinyad.autograd import Function, detect_anomaly, trace

# ----------------------------------------------------------------------------- trace


def branching_graph():
    """loss = sum(tanh(e) + sigmoid(e)) with e = exp(x): e feeds two ops."""
    x = tinyad.tensor([0.5, -1.0, 2.0], requires_grad=True)
    e = x.exp()
    return x, (e.tanh() + e.sigmoid()).sum()


def test_trace_records_the_reverse_sweep_in_order():
    x, loss = branching_graph()
    with trace() as t:
        loss.backward()
    # Exp runs once, and only after both of the ops that used its result
    assert [s.op for s in t.steps] == [
        "SumBackward0", "AddBackward0", "SigmoidBackward0", "TanhBackward0", "ExpBackward0"]
    sum_step, add_step = t.steps[:2]
    assert sum_step.input_shapes == [(3,), None, None]  # Sum's dim and keepdim need no grad
    assert sum_step.grad_in == () and sum_step.grad_out == [(3,), None, None]
    assert add_step.input_shapes == [(3,), (3,)] and add_step.grad_out == [(3,), (3,)]
    assert all(s.seconds >= 0 for s in t.steps)


def test_trace_shows_gradients_before_the_engine_undoes_broadcasting():
    x = tinyad.randn(4, 3, requires_grad=True)
    W = tinyad.randn(3, 2, requires_grad=True)
    b = tinyad.randn(2, requires_grad=True)
    with trace() as t:
        ((x @ W + b).relu()).mean().backward()
    assert [(s.op, s.input_shapes, s.grad_in, s.grad_out) for s in t.steps] == [
        ("MeanBackward0", [(4, 2), None, None], (), [(4, 2), None, None]),
        ("ReluBackward0", [(4, 2)], (4, 2), [(4, 2)]),
        ("AddBackward0", [(4, 2), (2,)], (4, 2), [(4, 2), (4, 2)]),  # b's (4, 2) is summed to (2,)
        ("MmBackward0", [(4, 3), (3, 2)], (4, 2), [(4, 3), (3, 2)]),
    ]
    assert b.grad.shape == (2,)


def test_trace_table_and_scope():
    x, loss = branching_graph()
    loss.backward(retain_graph=True)  # outside: not recorded
    with trace() as t:
        loss.backward(retain_graph=True)
        loss.backward()
    assert len(t.steps) == 10
    lines = str(t).splitlines()
    assert lines[0].split() == ["#", "op", "input", "shapes", "grad", "in", "grad", "out", "us"]
    rows = [line.split()[:2] for line in lines[2:-1]]
    assert rows == [[str(k), op] for k, op in enumerate(2 * [s.op for s in t.steps[:5]], 1)]
    assert rows[4] == ["5", "ExpBackward0"]
    assert lines[-1].startswith("10 steps, ")


def test_nested_traces_restore_the_outer_one():
    x, loss = branching_graph()
    with trace() as outer:
        with trace() as inner:
            pass
        loss.backward()
    assert inner.steps == [] and len(outer.steps) == 5


def test_trace_of_a_create_graph_backward():
    x = tinyad.tensor([1.0, 2.0], requires_grad=True)
    with trace() as t:
        (g,) = tinyad.autograd.grad((x * x).sum(), x, create_graph=True)
    assert [(s.op, s.grad_out) for s in t.steps] == [
        ("SumBackward0", [(2,), None, None]), ("MulBackward0", [(2,), (2,)])]


# ----------------------------------------------------------------------------- detect_anomaly


class Normalise(Function):
    """a / sum(a): the backward divides by sum(a), which is zero for a vector of zeros."""

    @staticmethod
    def forward(ctx, a):
        s = a.sum()
        ctx.save_for_backward(a)
        with np.errstate(invalid="ignore", divide="ignore"):
            return a / s

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        s = a.sum()
        with np.errstate(invalid="ignore", divide="ignore"):
            return g / s - (g * a).sum() / (s * s)


@pytest.fixture(autouse=True)
def quiet_numpy():
    with np.errstate(divide="ignore", invalid="ignore"):
        yield


def test_the_gradient_of_sqrt_at_zero_names_the_op_and_the_line_that_made_it():
    x = tinyad.tensor([0.0, 4.0], requires_grad=True)
    with detect_anomaly():
        y = x.sqrt()  # the op that will fail
        with pytest.raises(RuntimeError) as error:
            (y * 0).sum().backward()  # (0 times sqrt's infinite slope at 0: NaN)
    message = str(error.value)
    assert message.startswith("SqrtBackward0 returned nan values in the gradient of its input 0. "
                              "The op was created in the forward pass at:")
    assert "test_trace_anomaly.py" in message and "y = x.sqrt()  # the op that will fail" in message
    assert "tinyad/tensor.py" not in message  # only the user's frames
    assert x.grad is None  # the error came before anything reached the leaf


def test_a_user_function_dividing_by_zero():
    a = tinyad.zeros(3, requires_grad=True)
    with detect_anomaly():
        out = Normalise.apply(a)
        with pytest.raises(RuntimeError, match=r"^NormaliseBackward returned nan values in the "
                                               r"gradient of its input 0\.") as error:
            (out * tinyad.tensor([1.0, 2.0, 3.0])).sum().backward()
    assert "out = Normalise.apply(a)" in str(error.value)


def test_silent_when_off_and_nothing_recorded():
    x = tinyad.tensor([0.0, 4.0], requires_grad=True)
    y = x.sqrt()
    assert not hasattr(y.grad_fn, "created_at")  # off: no stack is taken in the forward pass
    y.sum().backward()
    assert np.isinf(x.grad.numpy()[0]) and x.grad.numpy()[1] == 0.25
    a = tinyad.zeros(2, requires_grad=True)
    Normalise.apply(a).sum().backward()
    assert np.isnan(a.grad.numpy()).all()


def test_an_op_created_before_detection_was_on_still_raises_without_a_location():
    x = tinyad.tensor([0.0], requires_grad=True)
    y = x.sqrt()
    with detect_anomaly(), pytest.raises(RuntimeError, match="not recorded: it was created "
                                                             "outside detect_anomaly"):
        y.backward(tinyad.zeros(1))


def test_finite_gradients_pass_and_the_switch_is_restored():
    x = tinyad.tensor([1.0, 4.0], requires_grad=True)
    with detect_anomaly():
        x.sqrt().sum().backward()
        with pytest.raises(RuntimeError):
            with detect_anomaly():
                raise RuntimeError("inside")
        assert tinyad.autograd._state.anomaly
    assert not tinyad.autograd._state.anomaly
    np.testing.assert_allclose(x.grad.numpy(), [0.5, 0.25])


def test_anomaly_under_create_graph():
    x = tinyad.tensor(0.0, requires_grad=True)
    with detect_anomaly():
        y = x.sqrt()
        with pytest.raises(RuntimeError, match="SqrtBackward0 returned nan"):
            tinyad.autograd.grad(y, x, tinyad.zeros(()), create_graph=True)


@pytest.mark.parametrize("check_nan", [True, False])
def test_anomaly_mode_stops_at_nan_only_as_torch_s(check_nan):
    """torch's anomaly mode raises at a NaN gradient, not at an infinite one (sqrt's at 0),
    and checks nothing with check_nan=False; tinyad's raised at inf as well."""
    def program(T):
        x = T.tensor([0.0, 4.0], requires_grad=True)
        with T.autograd.detect_anomaly(check_nan=check_nan), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (torch warns that anomaly mode is on)
            x.sqrt().sum().backward()
            nan = outcome(lambda: (x.sqrt() * 0).sum().backward())
        return x.grad, nan

    same(program)
