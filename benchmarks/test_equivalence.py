"""The implementations do the same work: after a few epochs tinyad, torch and the peers (MyGrad,
HIPS autograd, where written and installed) hold the same parameters (or gradients) as the
hand-written numpy, and their forwards computed the same losses (or outputs), which checks
the hand-derived gradients as well as the engines."""

import numpy as np
import pytest

from .conftest import needs
from .workloads import ENGINES, PEERS, cases, tanh_chain

SMALL = cases(sizes=(64,), graph_sizes=(100, 1000), deep_sizes=(100, 1000))


def _tolerance(case):
    if case.workload in (7, 8):  # the tanh chains: small gradients, compared relatively
        return {"rtol": 1e-10, "atol": 0}
    exact = case.dtype == "float64"
    return {"rtol": 1e-10, "atol": 1e-12} if exact else {"rtol": 1e-4, "atol": 1e-5}


@pytest.mark.parametrize(
    "case, impl", [(c, i) for c in SMALL for i in c.implementations(ENGINES + PEERS)],
    ids=lambda v: v.group.replace(" ", "-") if hasattr(v, "group") else v)
def test_engine_matches_hand_written_numpy(case, impl):
    needs(impl)
    engine, reference = case.build(impl), case.build("numpy")
    values = []
    for _ in range(3):
        values.append((engine.value(engine.step()), reference.value(reference.step())))
    got, want = engine.state(), reference.state()
    assert len(got) == len(want)
    tol = _tolerance(case)
    for epoch, (g, w) in enumerate(values):
        assert g.shape == w.shape, f"epoch {epoch}: {impl}'s forward gives shape {g.shape}"
        np.testing.assert_allclose(g, w, **tol,
                                   err_msg=f"forward of epoch {epoch} of {case.group}, {impl}")
    for i, (g, w) in enumerate(zip(got, want)):
        assert g.dtype == w.dtype, f"state {i}: {impl} gives {g.dtype}, numpy {w.dtype}"
        np.testing.assert_allclose(g, w, **tol, err_msg=f"state {i} of {case.group}, {impl}")


@pytest.mark.parametrize("n_ops", [3000, 10000])
def test_the_tanh_chains_gradient_does_not_vanish(n_ops):
    """The chain's data keep tanh out of saturation, so no element of the gradient compared
    above is (nearly) zero, where every implementation would agree whatever it computes."""
    run = tanh_chain("numpy", n_ops=n_ops)
    run.step()
    (grad,) = run.state()
    assert np.abs(grad).min() > 1e-7, np.abs(grad).min()


def test_the_tanh_chains_hand_written_gradient_matches_finite_differences():
    """The numpy reference itself, on a short chain, against central differences."""
    n_ops = 7  # ends after a mul: two full (mul, add, tanh) steps and one more mul
    run = tanh_chain("numpy", n_ops=n_ops)
    run.step()
    (grad,) = run.state()
    from .workloads import _tanh_arrays

    x, w, b = _tanh_arrays()

    def f(x):
        y = x
        for i in range(n_ops):
            y = (y * w, y + b, np.tanh(y))[i % 3]
        return y.sum()

    h = 1e-6
    numeric = np.array([(f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(len(x))])
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-9)


def test_fan_in_needs_an_even_op_count():
    from .workloads import fan_in

    with pytest.raises(ValueError, match="even number of ops"):
        fan_in("numpy", 7)
