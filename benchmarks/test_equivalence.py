"""The three implementations do the same work: after a few epochs tinyad and torch hold the
same parameters (or gradients) as the hand-written numpy, which checks the hand-derived
gradients as well as the engines."""

import numpy as np
import pytest

from .conftest import needs
from .workloads import ENGINES, cases

SMALL = cases(sizes=(64,), graph_sizes=(100, 1000))


@pytest.mark.parametrize("impl", ENGINES)
@pytest.mark.parametrize("case", SMALL, ids=lambda c: c.group.replace(" ", "-"))
def test_engine_matches_hand_written_numpy(case, impl):
    needs(impl)
    engine, reference = case.build(impl), case.build("numpy")
    for _ in range(3):
        engine.step()
        reference.step()
    got, want = engine.state(), reference.state()
    assert len(got) == len(want)
    exact = case.dtype == "float64"
    tol = {"rtol": 1e-10, "atol": 1e-12} if exact else {"rtol": 1e-4, "atol": 1e-5}
    for i, (g, w) in enumerate(zip(got, want)):
        assert g.dtype == w.dtype, f"state {i}: {impl} gives {g.dtype}, numpy {w.dtype}"
        np.testing.assert_allclose(g, w, **tol, err_msg=f"state {i} of {case.group}, {impl}")


def test_fan_in_needs_an_even_op_count():
    from .workloads import fan_in

    with pytest.raises(ValueError, match="even number of ops"):
        fan_in("numpy", 7)
