"""Every op of the table against torch: values, input gradients, dtypes, no mutation,
no aliasing (see ``_strategies.assert_matches_torch``); the ops' conventions at their kinks."""

import warnings

import numpy as np
import pytest
from _strategies import (
    KINK_OPS,
    TORCH_OPS,
    arrays,
    assert_matches_torch,
    floats,
    op_params,
    upstream_for,
)
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

pytest.importorskip("torch")

seeds = st.integers(0, 2**32 - 1)


@pytest.mark.parametrize("op", op_params(TORCH_OPS + KINK_OPS))
@given(data=st.data())
def test_float64_matches_torch(engine, op, data):
    case = data.draw(op.case, label="case")
    assert_matches_torch(op.fn, case, data.draw(seeds, label="seed"), engine)


@pytest.mark.parametrize("op", op_params(TORCH_OPS + KINK_OPS))
@given(data=st.data())
def test_float32_stays_float32_and_matches_torch(engine, op, data):
    case = data.draw(op.case, label="case").astype(np.float32)
    assert_matches_torch(op.fn, case, data.draw(seeds, label="seed"), engine)


# ----------------------------------------------------------------------------- NaN

NAN_OPS = {
    "x.max()": lambda m, x, y: x.max(),
    "x.min()": lambda m, x, y: m.min(x),
    "x.max(0).values": lambda m, x, y: x.max(0).values,
    "x.min(-1, keepdim=True)[0]": lambda m, x, y: x.min(-1, keepdim=True)[0],
    "maximum(x, y)": lambda m, x, y: m.maximum(x, y),
    "minimum(x, y)": lambda m, x, y: m.minimum(x, y),
    "x.clamp(-1, 1)": lambda m, x, y: x.clamp(-1, 1),
    "x.abs()": lambda m, x, y: x.abs(),
    "x.norm(inf, 1)": lambda m, x, y: x.norm(float("inf"), 1),
    "x.norm(dim=0)": lambda m, x, y: x.norm(dim=0),
}


NAN_ELEMENTS = floats(-2, 2) | st.just(np.nan)


def with_nan(shape):
    return st.tuples(arrays(shape, NAN_ELEMENTS), st.integers(0, 2),
                     st.integers(0, 3)).map(lambda t: _put_nan(*t))


def _put_nan(a, i, j):
    a = a.copy()
    a[i % a.shape[0], j % a.shape[1]] = np.nan  # at least one NaN
    return a


@pytest.mark.parametrize("name", sorted(NAN_OPS))
@given(x=with_nan((3, 4)), y=arrays((3, 4), NAN_ELEMENTS), seed=seeds)
def test_nan_propagates_to_values_and_gradients_as_in_torch(engine, name, x, y, seed):
    """max, min, maximum, clamp, abs and norm on inputs with NaN: the same NaN values and the
    same gradients (e.g. max() shares its gradient among the NaNs), and no numpy warning."""
    import torch

    results = []
    for m in (torch, engine):
        xs = [m.tensor(v, requires_grad=True) for v in (x, y)]
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            out = NAN_OPS[name](m, *xs)
            out.backward(m.tensor(upstream_for(tuple(out.shape), seed, np.float64)))
        grads = [None if t.grad is None else t.grad.numpy() for t in xs]
        results.append((out.detach().numpy(), grads))
    (ref, ref_grads), (ours, our_grads) = results
    assert_allclose(ours, ref, rtol=1e-12, err_msg="value")
    for k, (g, h) in enumerate(zip(our_grads, ref_grads)):
        assert (g is None) == (h is None), f"input {k}: gradient {g} where torch has {h}"
        if h is not None:
            assert_allclose(g, h, rtol=1e-12, err_msg=f"gradient of input {k}")
