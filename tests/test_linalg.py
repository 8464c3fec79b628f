"""The SVD beyond the op table (tests/_strategies.py, SVD_FORMS): its factors, repeated and zero
singular values, second order and errors, each against torch.

The op table compares gauge-invariant functions of U, S, Vh on matrices with distinct singular
values. Here: the factors themselves (shapes, orthogonality, reconstruction), and what torch
does where the SVD's gradient is not defined (repeated singular values): through S alone it is
finite, through U or V it is NaN.
"""

import warnings

import numpy as np
import pytest
from _strategies import arrays, engine_name, svd_matrices
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

torch = pytest.importorskip("torch")

ON_TINYAD = engine_name() == "tinyad"
shapes_2d = st.tuples(st.integers(1, 4), st.integers(1, 4))
batches = st.sampled_from([(), (3,), (2, 1)])


def numpy_of(t):
    return t.detach().numpy()


@given(batch=batches, mn=shapes_2d, full=st.booleans(), data=st.data())
def test_linalg_svd_factors_have_torchs_shapes_and_reconstruct(engine, batch, mn, full, data):
    a = data.draw(arrays(batch + mn), label="a")
    m, n = mn
    k = min(m, n)
    u, s, vh = engine.linalg.svd(engine.tensor(a), full_matrices=full)
    ref = torch.linalg.svd(torch.tensor(a), full_matrices=full)
    for ours, theirs in zip((u, s, vh), ref):
        assert tuple(ours.shape) == tuple(theirs.shape)
        assert ours.dtype == engine.float64
    assert_allclose(numpy_of(s), ref.S.numpy(), rtol=1e-10, atol=1e-12)
    assert np.all(np.diff(numpy_of(s), axis=-1) <= 0), "singular values in descending order"
    u_, vh_ = numpy_of(u), numpy_of(vh)
    eye_m, eye_n = np.eye(u_.shape[-1]), np.eye(vh_.shape[-2])
    assert_allclose(np.swapaxes(u_, -1, -2) @ u_, np.broadcast_to(eye_m, batch + eye_m.shape),
                    atol=1e-12)
    assert_allclose(vh_ @ np.swapaxes(vh_, -1, -2), np.broadcast_to(eye_n, batch + eye_n.shape),
                    atol=1e-12)
    assert_allclose((u_[..., :k] * numpy_of(s)[..., None, :]) @ vh_[..., :k, :], a, atol=1e-12)


@given(some=st.booleans(), a=svd_matrices())
def test_torch_svd_returns_v_not_vh(engine, some, a):
    u, s, v = engine.svd(engine.tensor(a), some=some)
    ref = torch.svd(torch.tensor(a), some=some)
    assert [tuple(x.shape) for x in (u, s, v)] == [tuple(x.shape) for x in ref]
    k = s.shape[-1]
    rebuilt = (numpy_of(u)[..., :k] * numpy_of(s)[..., None, :]) @ np.swapaxes(
        numpy_of(v)[..., :k], -1, -2)
    assert_allclose(rebuilt, a, atol=1e-12)
    assert_allclose(numpy_of(engine.linalg.svdvals(engine.tensor(a))), ref.S.numpy(),
                    rtol=1e-12)


def test_gradient_to_the_extra_columns_of_a_full_u_or_vh_is_ignored_as_in_torch(engine):
    """With full_matrices=True, U[..., k:] and Vh[..., k:, :] (k = min(m, n)) are an arbitrary
    basis of the complement: torch documents that their gradient is ignored (zero)."""
    for a in (np.array([[3.0, 1.0], [1.0, 2.0], [0.5, 0.0]]), np.array([[3.0, 1.0, 0.5]])):
        k = min(a.shape)

        def f(u, s, vh, k=k):
            return (u[..., k:] * 2).sum() + (vh[..., k:, :] * 3).sum()

        ours, theirs = gradient(engine, a, f, True), gradient(torch, a, f, True)
        assert_array_equal(theirs, np.zeros_like(a))
        assert_array_equal(ours, theirs)


# ----------------------------------------------------------------------------- repeated values

REPEATED = {
    "diag(2, 2, 1)": np.diag([2.0, 2.0, 1.0]),
    "tall, two equal": np.diag([2.0, 2.0, 1.0])[:, :2],
    "wide rows of the identity": np.eye(3)[:2],
    "2 I": 2 * np.eye(2),
}


def gradient(m, a, f, full_matrices=False):
    x = m.tensor(a, requires_grad=True)
    f(*m.linalg.svd(x, full_matrices=full_matrices)).backward()
    return numpy_of(x.grad)


@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("name", sorted(REPEATED))
def test_gradient_through_s_alone_is_finite_at_repeated_singular_values(engine, name, full):
    a = REPEATED[name]

    def f(u, s, vh):
        return (s * s.new_tensor(np.arange(1.0, s.shape[-1] + 1))).sum()

    ours, theirs = gradient(engine, a, f, full), gradient(torch, a, f, full)
    assert np.all(np.isfinite(theirs))
    assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)


def through_u(u, s, vh):
    return u.sum()


def through_uv(u, s, vh):
    k = s.shape[-1]
    return (u[..., :k] @ vh[..., :k, :]).sum()


@pytest.mark.parametrize("f", [through_u, through_uv], ids=lambda f: f.__name__)
@pytest.mark.parametrize("name", sorted(REPEATED))
def test_gradient_through_u_or_v_is_nan_at_repeated_singular_values_as_torch(engine, name, f):
    a = REPEATED[name]
    theirs = gradient(torch, a, f)
    assert np.all(np.isnan(theirs)), "torch's gradient here is NaN"
    ours = gradient(engine, a, f)
    assert_array_equal(np.isnan(ours), np.isnan(theirs))


def test_nan_gradient_at_repeated_singular_values_warns_no_more_than_torch(engine):
    """torch's NaN there comes silently; so does tinyad's (numpy's 'invalid value' warning from
    SVD.backward's 1 / (s_j**2 - s_i**2) is off: _quiet.py)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        gradient(engine, REPEATED["diag(2, 2, 1)"], through_u)


def test_gradient_through_s_of_a_rank_deficient_matrix_matches_torch(engine):
    a = np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]])  # rank 1: a singular value is 0

    def f(u, s, vh):  # s_1 only: at s_2 = 0 the SVD's |.|-like kink leaves its sign arbitrary
        return (s * s.new_tensor([1.0, 0.0])).sum()

    for full in (False, True):
        assert_allclose(gradient(engine, a, f, full), gradient(torch, a, f, full), rtol=1e-10,
                        atol=1e-14)


# ----------------------------------------------------------------------------- second order

@pytest.mark.skipif(not ON_TINYAD, reason="tinyad's own limitation; torch differentiates twice")
def test_svd_says_it_cannot_be_differentiated_twice():
    """torch's linalg_svd can be differentiated twice; tinyad's SVD is once_differentiable,
    and says so rather than returning a wrong second derivative (the op table skips SVD in
    the second-order tests for this reason)."""
    tinyad = pytest.importorskip("tinyad")
    x = tinyad.tensor(np.diag([3.0, 2.0, 1.0]), requires_grad=True)
    (g,) = tinyad.autograd.grad(tinyad.linalg.svdvals(x).sum(), x)  # first order is fine
    assert_allclose(g.numpy(), np.eye(3), atol=1e-15)
    with pytest.raises(RuntimeError, match="LinalgSvdBackward0 cannot be differentiated "
                                           "twice.*once_differentiable"):
        tinyad.autograd.grad(tinyad.linalg.svdvals(x).sum(), x, create_graph=True)


# ----------------------------------------------------------------------------- errors


def test_svd_of_a_vector_raises_torchs_error(engine):
    for m in (engine, torch):
        with pytest.raises(RuntimeError, match="linalg.svd: The input tensor A must have at "
                                               "least 2 dimensions"):
            m.linalg.svd(m.tensor([1.0, 2.0]))


def test_svd_of_an_integer_tensor_raises_torchs_error(engine):
    with pytest.raises(RuntimeError, match="Expected a floating point or complex tensor"):
        engine.linalg.svdvals(engine.tensor([[1, 2], [3, 4]]))


@pytest.mark.xfail(ON_TINYAD, strict=True, reason=(
    "torch.svd(a, compute_uv=False) for a 3x2 a: torch returns U = zeros(3, 3) and "
    "V = zeros(2, 2) besides S; tinyad ignores compute_uv and returns the reduced U (3x2) "
    "and V"))
def test_svd_without_uv_returns_zero_factors_as_torch(engine):
    a = np.array([[3.0, 1.0], [1.0, 2.0], [0.5, 0.0]])
    ours = engine.svd(engine.tensor(a), compute_uv=False)
    theirs = torch.svd(torch.tensor(a), compute_uv=False)
    for x, y in zip(ours, theirs):
        assert tuple(x.shape) == tuple(y.shape)
        assert_array_equal(numpy_of(x), y.numpy())


def test_a_singular_matrix_that_elimination_in_float64_does_not_find_is_still_refused():
    """numpy's LAPACK meets a zero pivot that tinyad's float64 elimination (which names the
    pivot, as torch's message does) does not meet: the error stays tinyad's LinAlgError, with
    no pivot named (it was a bare StopIteration)."""
    import tinyad

    m = [[1, 3, 7], [1, 7, 8], [1.375, 4.625, 9.75]]
    for dtype in (tinyad.float32, tinyad.float64):
        a = tinyad.tensor(m, dtype=dtype)
        try:
            tinyad.linalg.inv(a)
        except tinyad.linalg.LinAlgError as e:
            assert "singular" in str(e)
