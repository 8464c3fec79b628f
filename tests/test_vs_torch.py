"""Every op of the table against torch: values, input gradients, dtypes, no mutation,
no aliasing (see ``_strategies.assert_matches_torch``); the ops' conventions at their kinks;
and tinyad's known disagreements with torch, as strict expected failures."""

import numpy as np
import pytest
from _strategies import (
    DISAGREEMENTS,
    KINK_OPS,
    TORCH_OPS,
    assert_matches_torch,
    engine_name,
    op_params,
)
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

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


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("op", op_params(DISAGREEMENTS, engine=engine_name()))
@settings(phases=[Phase.explicit, Phase.reuse, Phase.generate])  # a known failure: no shrinking
@given(data=st.data())
def test_known_disagreement_with_torch(engine, op, dtype, data):
    """Fails on tinyad until the engine is fixed (then the strict xfail turns into an error:
    move the op to OPS or KINK_OPS); torch, under test, passes it."""
    case = data.draw(op.case, label="case").astype(dtype)
    assert_matches_torch(op.fn, case, data.draw(seeds, label="seed"), engine)
