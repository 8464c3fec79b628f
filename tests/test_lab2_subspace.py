"""lab2.subspace: principal angles and the angles between columns."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose

from lab2.subspace import column_angles, principal_angles


def plane_pair(theta, dim=5):
    """span(e1, e2) and span(e1, cos(theta) e2 + sin(theta) e3): angles 0 and theta."""
    eye = np.eye(dim)
    return eye[:, :2], np.column_stack(
        [eye[:, 0], math.cos(theta) * eye[:, 1] + math.sin(theta) * eye[:, 2]]
    )


@given(st.floats(0, math.pi / 2))
def test_known_angles(theta):
    X, Y = plane_pair(theta)
    assert_allclose(principal_angles(X, Y), sorted([0.0, theta]), atol=1e-12)


@pytest.mark.parametrize("theta", [1e-12, 1e-9, 1e-6])
def test_tiny_angles_are_accurate(theta):
    X, Y = plane_pair(theta)
    assert principal_angles(X, Y)[1] == pytest.approx(theta, rel=1e-6)


@settings(deadline=None)
@given(
    arrays(np.float64, (6, 3), elements=st.floats(-1, 1)),
    arrays(np.float64, (3, 3), elements=st.floats(-1, 1)),
)
def test_a_change_of_basis_leaves_the_subspace(B, R):
    if np.linalg.cond(B) > 1e6 or np.linalg.cond(R) > 1e6:
        return
    angles = principal_angles(B, B @ R)
    assert_allclose(angles, 0, atol=1e-6)


def test_orthogonal_subspaces_and_different_sizes():
    eye = np.eye(4)
    assert_allclose(principal_angles(eye[:, :2], eye[:, 2:]), [math.pi / 2] * 2)
    assert_allclose(principal_angles(eye[:, :3], eye[:, [0]]), [0.0])


def test_rank_deficient_input_is_refused():
    with pytest.raises(ValueError, match="full column rank"):
        principal_angles(np.ones((4, 2)), np.eye(4)[:, :2])


def test_column_angles():
    assert column_angles(np.eye(3)) == [90.0, 90.0, 90.0]
    assert column_angles(np.array([[1.0, 1.0], [0.0, 1.0]])) == pytest.approx([45.0])
