"""Engine semantics (accumulation, graph freeing, grad mode, dtypes) and every misuse error."""

import gc
import threading
import weakref

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal

import tinyad
import tinyad.nn.functional as F
from tinyad._layout import is_dense
from tinyad.autograd import Function, reduce_along


def leaf(*shape, dtype=tinyad.float64, seed=0):
    data = np.random.default_rng(seed).standard_normal(shape).astype(dtype)
    return tinyad.tensor(data, requires_grad=True)


# ----------------------------------------------------------------------------- semantics


def test_gradients_accumulate_until_zeroed():
    x = leaf(3)
    (x * 2).sum().backward()
    (x * 3).sum().backward()
    assert_array_equal(x.grad._data, np.full(3, 5.0))
    grad = x.grad
    x.grad.zero_()
    (x * 4).sum().backward()
    assert x.grad is grad, "accumulation reuses the .grad tensor, as torch does"
    assert_array_equal(x.grad._data, np.full(3, 4.0))


def test_retain_graph_allows_a_second_backward():
    x = leaf(4)
    y = (x.exp() * x).sum()
    y.backward(retain_graph=True)
    first = x.grad._data.copy()
    y.backward()
    assert_allclose(x.grad._data, 2 * first, rtol=1e-15)


def test_reused_node_receives_the_sum_of_its_gradients():
    a = leaf(5)
    b = a + a
    c = b * b  # c = 4 a^2, dc/da = 8 a
    c.sum().backward()
    assert_allclose(a.grad._data, 8 * a._data, rtol=1e-15)


def test_fan_in_diamond():
    x = leaf(3)
    y = x.exp()
    z = y * y.tanh() + y.sigmoid() - y
    z.sum().backward()
    e = np.exp(x._data)
    t, s = np.tanh(e), 1 / (1 + np.exp(-e))
    expected = e * (t + e * (1 - t * t) + s * (1 - s) - 1)
    assert_allclose(x.grad._data, expected, rtol=1e-13)


def test_chain_of_100000_ops():
    x = tinyad.tensor(1.0, dtype=tinyad.float64, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0001
    y.backward()
    assert_allclose(x.grad.item(), 1.0001 ** 100_000, rtol=1e-9)
    del y  # freeing the chain must not overflow the stack either


def test_graph_and_saved_arrays_are_freed_without_the_cyclic_collector():
    gc.disable()
    try:
        x = leaf(3)
        h = x.exp()
        saved = weakref.ref(h._data)  # Exp saves its output; Mul below saves h's array too
        loss = (h * h).sum()
        node = weakref.ref(h.grad_fn)
        del h
        loss.backward()
        assert saved() is None, "backward must release the arrays saved for it"
        assert node() is not None, "the graph lives while its output does"
        del loss
        assert node() is None, "the graph must die with its output (no reference cycles)"
    finally:
        gc.enable()


def test_no_graph_when_no_input_requires_grad_or_under_no_grad():
    a, b = tinyad.ones(3), leaf(3)
    assert (a * 2).grad_fn is None and not (a * 2).requires_grad
    with tinyad.no_grad():
        c = b * 2
    assert c.grad_fn is None and not c.requires_grad
    assert (b * 2).grad_fn is not None


_UFUNC_OPS = [op for op in vars(tinyad.ops).values()
               if isinstance(op, type) and issubclass(op, Function) and op.ufunc is not None]
assert len(_UFUNC_OPS) >= 5, _UFUNC_OPS
_OPERAND = st.one_of(
    hnp.arrays(st.sampled_from([np.float64, np.float32, np.int64, np.bool_]),
               hnp.array_shapes(min_dims=0, max_dims=2, max_side=3)),
    st.floats(allow_nan=True), st.integers(-3, 3), st.booleans())


def _outcome(fn):
    try:
        with np.errstate(all="ignore"):
            out = fn()
        return out._data, out._data.dtype, type(out._data), out.requires_grad, out.grad_fn
    except Exception as e:  # noqa: BLE001 (the error is the outcome compared)
        return type(e), str(e)


@given(op=st.sampled_from(_UFUNC_OPS), operands=st.lists(_OPERAND, min_size=3, max_size=3))
def test_an_op_without_a_graph_computes_what_its_forward_computes(op, operands):
    """With nothing to record, an op that is one ufunc skips its Node and its forward; it must
    give the same value, dtype, array type (0-d results too) and error as without that path."""
    _same_with_and_without_the_ufunc(op, operands)


def _same_with_and_without_the_ufunc(op, operands):
    forward = op.forward  # (its arguments after ctx, but those with a default)
    operands = operands[:forward.__code__.co_argcount - 1 - len(forward.__defaults__ or ())]
    wrapped = [tinyad.tensor(x) if isinstance(x, np.ndarray) else x for x in operands]
    if not any(isinstance(x, tinyad.Tensor) for x in wrapped):
        wrapped[0] = tinyad.tensor(np.asarray(operands[0]))
    fast = _outcome(lambda: op.apply(*wrapped))
    op.ufunc, ufunc = None, op.ufunc
    try:
        slow = _outcome(lambda: op.apply(*wrapped))
    finally:
        op.ufunc = ufunc
    assert fast[1:] == slow[1:]
    if isinstance(fast[0], np.ndarray):
        assert_array_equal(fast[0], slow[0], strict=True)


@given(array=hnp.arrays(st.sampled_from([np.float64, np.float32, np.int8]),
                        hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=4)),
       data=st.data())
def test_is_dense_says_whether_the_elements_fill_a_block_of_memory_each_once(array, data):
    """_layout.is_dense (torch's is_non_overlapping_and_dense), which answers a C- or
    F-contiguous array without its loop over the strides: true exactly where the elements'
    byte offsets are each of the block's once, for views that permute, step, reverse, expand
    and add dims."""
    view = array.transpose(data.draw(st.permutations(range(array.ndim))))
    view = view[tuple(slice(None, None, data.draw(st.sampled_from([1, 2, -1])))
                      for _ in range(view.ndim))]
    if data.draw(st.booleans()):
        view = np.broadcast_to(view[None], (data.draw(st.integers(1, 3)), *view.shape))
    if data.draw(st.booleans()):
        view = view[..., None]
    offsets = sum(np.indices(view.shape) * np.reshape(view.strides, (-1,) + (1,) * view.ndim))
    start = offsets.min()
    block = np.arange(view.size) * view.itemsize
    assert is_dense(view) == np.array_equal(np.sort(offsets, axis=None) - start, block)


def test_a_subclass_of_an_op_runs_its_own_forward_without_a_graph():
    class Triple(tinyad.ops.Mul):
        @staticmethod
        def forward(ctx, a, b):
            return 3 * a * b

    assert Triple.apply(tinyad.ones(2), 2.0).tolist() == [6.0, 6.0]


def test_the_fast_path_check_sees_a_wrong_ufunc():
    tinyad.ops.Mul.ufunc, ufunc = np.add, tinyad.ops.Mul.ufunc
    try:
        with pytest.raises(AssertionError):
            _same_with_and_without_the_ufunc(tinyad.ops.Mul, [np.ones(2), 3.0])
    finally:
        tinyad.ops.Mul.ufunc = ufunc


@given(x=hnp.arrays(st.sampled_from([np.float64, np.float32, np.float16]),
                   hnp.array_shapes(min_dims=0, max_dims=2, max_side=3),
                   elements=st.floats(width=16, allow_nan=True)),
       scalar=st.floats(allow_nan=True), reflected=st.booleans(), requires_grad=st.booleans())
def test_a_no_grad_product_with_a_float_is_what_mul_computes(x, scalar, reflected,
                                                             requires_grad):
    """``lr * p.grad`` under no_grad skips Mul.apply (tensor._scaled_nograd): the same value,
    dtype, array type and flags as Mul's own forward run through apply."""
    t = tinyad.tensor(x, requires_grad=requires_grad)
    with tinyad.no_grad():
        fast = _outcome(lambda: scalar * t if reflected else t * scalar)
        tinyad.ops.Mul.ufunc, ufunc = None, tinyad.ops.Mul.ufunc
        try:
            slow = _outcome(lambda: tinyad.ops.Mul.apply(t, scalar))  # (the tensor first,
            # as torch's, also for scalar * t)
        finally:
            tinyad.ops.Mul.ufunc = ufunc
    assert fast[1:] == slow[1:]
    assert_array_equal(fast[0], slow[0], strict=True)


@given(ufunc=st.sampled_from([np.add, np.maximum]), axis=st.sampled_from([0, 1, -1, -2]),
       x=hnp.arrays(st.sampled_from([np.float64, np.float32, np.float16]),
                    hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=40),
                    elements=st.floats(-1e3, 1e3, width=16) | st.sampled_from(
                        [np.nan, np.inf, -np.inf])))
def test_reduce_along_gives_what_numpy_reduce_gives(ufunc, axis, x):
    """reduce_along's fast routes (a product with ones, a transposed copy) give numpy's shape,
    dtype and values: a maximum bit for bit (NaN where numpy has NaN), a sum up to rounding."""
    if x.ndim == 1 and axis in (1, -2):
        axis = 0
    with np.errstate(all="ignore"):
        try:
            expected = ufunc.reduce(x, axis=axis, keepdims=True)
        except ValueError:  # a maximum over an empty axis
            with pytest.raises(ValueError):
                reduce_along(ufunc, x, axis)
            return
        got = reduce_along(ufunc, x, axis)
    assert got.shape == expected.shape and got.dtype == expected.dtype
    if ufunc is np.maximum:
        assert_array_equal(got, expected, strict=True)
        return
    # rounding: each of the n terms may move the sum by one unit of the largest partial sum
    n = x.shape[axis]
    with np.errstate(all="ignore"):
        scale = np.add.reduce(np.abs(x), axis=axis, keepdims=True)
    tol = 2 * n * np.finfo(x.dtype).eps * np.nan_to_num(scale, posinf=0)
    assert_array_equal(np.isnan(got), np.isnan(expected))
    assert_array_equal(np.isinf(got), np.isinf(expected))
    finite = np.isfinite(expected)
    assert np.all(np.abs(got - expected)[finite] <= tol[finite])


def test_reduce_along_check_sees_a_sum_wrong_by_1e_4(monkeypatch):
    """The comparison above is tight enough to catch a sum off by 1e-4 relative."""
    def wrong(ufunc, x, axis):
        return ufunc.reduce(x, axis=axis, keepdims=True) * (1 + 1e-4)

    monkeypatch.setitem(globals(), "reduce_along", wrong)
    with pytest.raises(AssertionError):
        test_reduce_along_gives_what_numpy_reduce_gives.hypothesis.inner_test(
            ufunc=np.add, axis=1, x=np.arange(6.0).reshape(2, 3))


@given(reduction=st.sampled_from(["mean", "sum"]),
       pair=st.sampled_from([np.float64, np.float32]).flatmap(lambda dtype: st.tuples(*[
           hnp.arrays(dtype, (3, 4), elements=st.floats(-1e3, 1e3, width=32)
                      | st.sampled_from([np.nan, np.inf, -np.inf]))] * 2)))
def test_mse_loss_as_one_blas_call_gives_numpys_sum_of_squares(reduction, pair):
    """mse_loss adds its squares with one BLAS call (np.vdot) where blas_may_sum allows: the
    value, dtype and type are those of numpy's own sum of the squares, up to rounding."""
    a, b = pair
    with np.errstate(all="ignore"):
        got = tinyad.ops.MSELoss.forward(tinyad.ops.MSELoss._node(), a, b, reduction)
        expected = tinyad.ops._reduce((a - b) * (a - b), reduction)
    assert type(got) is type(expected) and got.dtype == expected.dtype
    assert_allclose(got, expected, rtol=8 * np.finfo(a.dtype).eps, equal_nan=True)


def test_no_grad_is_per_thread_and_works_as_decorator():
    seen = {}

    def worker():
        seen["worker"] = tinyad.is_grad_enabled()
        seen["worker_op"] = (leaf(2) * 2).requires_grad

    with tinyad.no_grad():
        assert not tinyad.is_grad_enabled()
        t = threading.Thread(target=worker)
        t.start()
        t.join()
        with tinyad.enable_grad():
            assert (leaf(2) * 2).requires_grad
    assert seen == {"worker": True, "worker_op": True}

    @tinyad.no_grad()
    def update(x):
        return x * 2

    assert not update(leaf(2)).requires_grad
    assert tinyad.is_grad_enabled()


def test_inputs_are_not_mutated_and_gradients_do_not_alias():
    a, b = leaf(3, seed=1), leaf(3, seed=2)
    a0, b0 = a._data.copy(), b._data.copy()
    upstream = tinyad.ones(3)
    (a + b).backward(upstream)
    assert_array_equal(a._data, a0)
    assert_array_equal(b._data, b0)
    assert_array_equal(upstream._data, np.ones(3))
    assert not np.shares_memory(a.grad._data, b.grad._data)
    assert not np.shares_memory(a.grad._data, upstream._data)
    a.grad.zero_()
    assert_array_equal(b.grad._data, np.ones(3))


def test_autograd_grad_returns_gradients_without_touching_grad():
    x, y = leaf(3, seed=1), leaf(3, seed=2)
    z = (x * y).sum()
    gx, gy = tinyad.autograd.grad(z, [x, y])
    assert_allclose(gx._data, y._data)
    assert_allclose(gy._data, x._data)
    assert x.grad is None and y.grad is None
    h = x.exp()
    (gh,) = tinyad.autograd.grad((h * h).sum(), [h])  # an intermediate tensor
    assert_allclose(gh._data, 2 * h._data)


def test_autograd_grad_unused_input():
    x, y = leaf(2), leaf(2)
    with pytest.raises(RuntimeError, match="allow_unused=True"):
        tinyad.autograd.grad((x * 2).sum(), [x, y])
    gx, gy = tinyad.autograd.grad((x * 2).sum(), [x, y], allow_unused=True)
    assert gy is None
    assert_array_equal(gx._data, [2.0, 2.0])


def test_a_branch_that_gets_no_gradient_does_not_stall_the_others():
    class FirstOnly(Function):
        @staticmethod
        def forward(ctx, a, b):
            return a + b

        @staticmethod
        def backward(ctx, g):
            return g, None

    x = leaf(2)
    y = x.exp()
    FirstOnly.apply(x * 3, y).sum().backward()
    assert_array_equal(x.grad._data, [3.0, 3.0])


def test_user_function_with_ctx():
    class Cube(Function):
        """x**3 ; dx = 3 x**2 g"""

        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            assert ctx.needs_input_grad[0]
            return 3 * x * x * g

    x = leaf(4)
    Cube.apply(x).sum().backward()
    assert_allclose(x.grad._data, 3 * x._data ** 2)
    assert tinyad.testing.gradcheck(Cube.apply, [leaf(3)])


def test_dtypes_follow_torch():
    assert tinyad.tensor([1.0, 2.0]).dtype == tinyad.float32
    assert tinyad.tensor([1, 2]).dtype == tinyad.int64
    assert tinyad.tensor([True]).dtype == tinyad.bool
    assert tinyad.tensor(np.zeros(2)).dtype == tinyad.float64
    assert tinyad.tensor(np.zeros(2, np.float32)).dtype == tinyad.float32
    x = leaf(3, dtype=np.float32)
    assert (x * 2.5).dtype == tinyad.float32
    assert (2.5 * x + np.float64(1.0)).dtype == tinyad.float32
    assert (tinyad.tensor([1, 2]) * 2.5).dtype == tinyad.float32
    assert (tinyad.tensor([1, 2]) / tinyad.tensor([2, 2])).dtype == tinyad.float32
    assert (x > 0).dtype == tinyad.bool
    (x.exp() * tinyad.ones(3, dtype=tinyad.float64)).sum().backward()  # float64 promotes it...
    assert x.grad.dtype == tinyad.float32  # ...but the gradient keeps the leaf's dtype
    for factory in (tinyad.zeros, tinyad.ones, tinyad.rand, tinyad.randn):
        assert factory(2, 3).dtype == tinyad.float32
        assert factory((2, 3), dtype=tinyad.double).dtype == tinyad.float64


def test_a_tinyad_dtype_is_numpy_s_dtype_to_numpy():
    """np.dtype(tinyad.float32) is numpy's float32 (the `__numpy_dtype__` numpy asks first),
    and numpy takes tinyad's dtypes wherever it takes a dtype, each as numpy's own."""
    for name in ("float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8",
                 "bool"):
        d = getattr(tinyad, name)
        assert np.dtype(d) is np.dtype(name) and d.__numpy_dtype__ is np.dtype(name)
        assert np.zeros(2, dtype=d).dtype == np.dtype(name)
        assert np.array([1], d).dtype == np.dtype(name) and d == np.dtype(name)


def test_manual_seed_makes_rand_repeatable():
    tinyad.manual_seed(3)
    a = tinyad.rand(4)
    tinyad.manual_seed(3)
    assert_array_equal(a._data, tinyad.rand(4)._data)
    assert ((0 <= a._data) & (a._data < 1)).all()


def test_numpy_operands_as_torch_takes_them():
    """A tensor on the left of an operator takes a numpy array; a number on the left, numpy's
    too, is the tensor's reflected operator; an array on the left is declined (TypeError), as
    torch's tensors decline it; numpy's functions run on the tensor's array (which one that
    requires grad refuses in grad mode) and give a tensor back, bools as uint8."""
    x = leaf(3)
    arr = np.arange(3.0)
    for expr in (lambda: 2 - x, lambda: 2 / x, lambda: 2.0 ** x, lambda: np.float64(2) * x,
                 lambda: np.int64(2) - x):
        out = expr()
        assert type(out) is tinyad.Tensor and out.requires_grad
    for expr in (lambda: arr + x, lambda: arr * x, lambda: arr @ x, lambda: arr < x):
        with pytest.raises(TypeError, match="unsupported operand"):
            expr()
    for expr in (lambda: x + arr, lambda: x @ arr, lambda: np.exp(x)):
        with pytest.raises(RuntimeError, match="requires grad"):
            expr()
    t = x.detach().float()
    out = t * arr
    assert type(out) is tinyad.Tensor and out.dtype == tinyad.float64  # (numpy's promotion)
    out = np.equal(t, t)
    assert type(out) is tinyad.Tensor and out.dtype == tinyad.uint8


def test_inplace_arithmetic_under_no_grad_updates_data_and_version():
    x = leaf(3)
    before = x._data
    with tinyad.no_grad():
        x -= 1.0
        x *= 2
        x /= 4
        x += tinyad.ones(3, dtype=tinyad.float64)
    assert x._data is before and x.is_leaf and x.requires_grad
    assert_allclose(x._data, (leaf(3)._data - 1) / 2 + 1)


def test_inplace_on_a_non_leaf_records_the_op():
    x = leaf(3)
    y = x * 2
    y += x
    y *= y.clone()  # y = (3x)^2 (``y *= y`` saves y, which it changes: torch refuses it)
    y.sum().backward()
    assert_allclose(x.grad._data, 18 * x._data)


def test_indexing_scatters_and_sums_repeated_indices():
    x = leaf(4, 3)
    x[np.array([0, 0, 3])].sum().backward()
    expected = np.zeros((4, 3))
    expected[0], expected[3] = 2, 1
    assert_array_equal(x.grad._data, expected)
    x.grad = None
    x[1:3, ::2].sum().backward()
    assert x.grad._data.sum() == 4


def test_accuracy_expression_of_the_lab():
    logits = tinyad.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]])
    targets = tinyad.tensor([1, 0, 0])
    acc = (logits.argmax(1) == targets).float().mean()
    assert acc.dtype == tinyad.float32
    assert abs(acc.item() - 2 / 3) < 1e-7


# ----------------------------------------------------------------------------- errors


def test_backward_twice_through_a_freed_graph():
    x = leaf(3)
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match=r"second time.*retain_graph=True"):
        y.backward()


def test_backward_on_non_scalar_needs_gradient():
    y = leaf(3) * 2
    with pytest.raises(RuntimeError, match=r"only for scalar outputs.*shape \(3,\)"):
        y.backward()


def test_backward_with_gradient_of_wrong_shape():
    y = leaf(3) * 2
    with pytest.raises(RuntimeError, match=r"gradient has shape \(2,\).*shape \(3,\)"):
        y.backward(tinyad.ones(2))


def test_backward_on_tensor_that_does_not_require_grad():
    with pytest.raises(RuntimeError, match="does not require grad"):
        (tinyad.ones(3) * 2).sum().backward()


def test_inplace_change_of_a_saved_array_is_detected_and_names_the_op():
    x = leaf(3)
    a = tinyad.ones(3, dtype=tinyad.float64)
    y = (x * a).sum()
    a += 1  # Mul saved a for x's gradient
    with pytest.raises(RuntimeError, match=r"modified by an inplace operation: input 1 of "
                                           r"MulBackward0"):
        y.backward()
    w = leaf(3)
    loss = w.exp().sum()  # Exp saved its output
    with tinyad.no_grad():
        w -= 0.1  # fine: Exp saved its output, not w
    loss.backward()
    z = w.exp()
    loss = z.sum()  # Sum saves nothing, so Exp is the op that notices
    with tinyad.no_grad():
        z.zero_()
    with pytest.raises(RuntimeError, match=r"the output of ExpBackward0"):
        loss.backward()


def test_inplace_on_leaf_that_requires_grad():
    x = leaf(3)
    for op in (lambda: x.__isub__(1.0), lambda: x.zero_()):
        with pytest.raises(RuntimeError, match="leaf Variable that requires grad.*no_grad"):
            op()


def test_shape_mismatch_in_matmul_and_broadcasting_names_both_shapes():
    with pytest.raises(RuntimeError, match=r"shapes cannot be multiplied \(3x2 and 3x2\)"):
        leaf(3, 2) @ leaf(3, 2)  # (torch's message, mm's)
    with pytest.raises(RuntimeError, match=r"\(3,\) and \(4,\) cannot be broadcast"):
        leaf(3) + leaf(4)


def test_integer_and_bool_tensors_cannot_require_grad():
    with pytest.raises(RuntimeError, match="floating point.*int64"):
        tinyad.tensor([1, 2], requires_grad=True)
    with pytest.raises(RuntimeError, match="floating point.*bool"):
        tinyad.tensor([True]).requires_grad_()


def test_cross_entropy_class_index_out_of_range():
    logits = leaf(2, 3)
    with pytest.raises(IndexError, match=r"target 3 is out of range for 3 classes"):
        F.cross_entropy(logits, tinyad.tensor([0, 3]))
    with pytest.raises(IndexError, match=r"target -1 is out of range"):
        F.nll_loss(logits, tinyad.tensor([-1, 0]))
    with pytest.raises(RuntimeError, match="expected target dtype to be Long or Byte"):
        F.cross_entropy(logits, tinyad.tensor([0.0, 1.0]))


def test_wrong_number_of_gradients_from_a_user_function():
    class Bad(Function):
        @staticmethod
        def forward(ctx, a, b):
            return a * b

        @staticmethod
        def backward(ctx, g):
            return g

    with pytest.raises(RuntimeError, match="returned 1 gradients but its forward took 2"):
        Bad.apply(leaf(2), leaf(2)).sum().backward()


def test_gradient_of_an_impossible_shape_from_a_user_function():
    class Bad(Function):
        @staticmethod
        def forward(ctx, a):
            return a * 2

        @staticmethod
        def backward(ctx, g):
            return np.ones(5)

    with pytest.raises(RuntimeError,
                       match=r"BadBackward returned an invalid gradient at index 0 - got \[5\]"):
        Bad.apply(leaf(3)).sum().backward()


def test_numpy_on_tensor_that_requires_grad():
    with pytest.raises(RuntimeError, match=r"detach\(\)\.numpy\(\)"):
        leaf(2).numpy()


def test_unknown_reduction():
    with pytest.raises(ValueError, match="is not a valid value for reduction"):
        F.mse_loss(leaf(2), leaf(2), reduction="avg")


def test_gradcheck_rejects_float32_inputs():
    with pytest.raises(TypeError, match="float64"):
        tinyad.testing.gradcheck(lambda a: a * 2, [leaf(2, dtype=np.float32)])


@pytest.mark.parametrize("keep", [False, True])
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_zero_where_is_np_where_with_zero_bit_for_bit_and_in_its_layout(dtype, keep):
    """ops._zero_where(cond, g) (relu's gradient: np.where(cond, 0, g)) and, with ``keep``,
    np.where(cond, g, 0) (clamp's, where's), which from 4,096 elements and the gradient's bits
    with a mask, are np.where's: the same bits (inf, NaN, -0.0 where g passes, +0.0 where it
    does not), dtype, shape, strides and array type, for C and F order, transposed, stepped,
    reversed and broadcast operands, and a gradient that is an ndarray subclass."""
    from tinyad.autograd import ZeroGrad
    from tinyad.ops import _zero_where
    rng = np.random.default_rng(3)
    base = rng.standard_normal((6, 30, 40)).astype(dtype)
    base.ravel()[:6] = [np.inf, -np.inf, np.nan, -0.0, 0.0, -np.nan]
    other = rng.standard_normal((6, 30, 40)).astype(dtype)
    other.ravel()[:6] = [-1.0, -1.0, 1.0, 1.0, -1.0, 1.0]

    def layouts(a):
        return [a, a.transpose(2, 0, 1), a[::2], a[:, ::-1], np.asfortranarray(a),
                a.transpose(1, 0, 2)[:, :, 3:], a[:, :1], a[:2], a[:2].transpose(2, 1, 0)]
    compared = {True: 0, False: 0}  # (from 4,096 elements, and below)
    for out, g in [(o, g) for o in layouts(other) for g in layouts(base)] + [
            (other, base.view(ZeroGrad))]:
        cond = out <= 0
        try:
            expected = np.where(cond, g, 0) if keep else np.where(cond, 0, g)
        except ValueError:  # (shapes that do not broadcast)
            continue
        actual = _zero_where(cond, g, keep=keep)
        assert type(actual) is np.ndarray and actual.dtype == expected.dtype
        assert actual.shape == expected.shape and actual.strides == expected.strides
        bits = {2: np.int16, 4: np.int32, 8: np.int64}[actual.itemsize]
        assert_array_equal(actual.view(bits), expected.view(bits))
        compared[actual.size >= 4096] += 1
    assert compared[True] >= 3 and compared[False] >= 3, compared
