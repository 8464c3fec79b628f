"""Every op of the table against torch: values, input gradients, dtypes, no mutation,
no aliasing (see ``_strategies.assert_matches_torch``)."""

import numpy as np
import pytest
from _strategies import KINK_OPS, TORCH_OPS, assert_matches_torch
from hypothesis import given
from hypothesis import strategies as st

pytest.importorskip("torch")

seeds = st.integers(0, 2**32 - 1)


@pytest.mark.parametrize("op", TORCH_OPS + KINK_OPS, ids=lambda op: op.name)
@given(data=st.data())
def test_float64_matches_torch(engine, op, data):
    case = data.draw(op.case, label="case")
    assert_matches_torch(op.fn, case, data.draw(seeds, label="seed"), engine)


@pytest.mark.parametrize("op", TORCH_OPS + KINK_OPS, ids=lambda op: op.name)
@given(data=st.data())
def test_float32_stays_float32_and_matches_torch(engine, op, data):
    case = data.draw(op.case, label="case").astype(np.float32)
    assert_matches_torch(op.fn, case, data.draw(seeds, label="seed"), engine)
