"""lab2's second-order demonstration: Hessian-vector products of the factorisation loss and
Newton's method against gradient descent on the Iris matrix."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from lab2 import newton
from lab2.data import centred, load_csv
from lab2.factorise import gd_factorise_ad, initial_factors, truncated_svd
from tinyad import func


@pytest.fixture(scope="module")
def A():
    return centred(load_csv())


def test_hvp_matches_torch_double_backward(A):
    pytest.importorskip("torch")
    assert newton.hvp_agreement(A, 2) < 1e-12


def test_hvp_matches_finite_differences_of_the_gradient(A):
    f = newton.loss_function(A)
    U, V = initial_factors(A.shape, 2)
    rng = np.random.default_rng(3)
    dU, dV = rng.standard_normal(U.shape), rng.standard_normal(V.shape)
    grad = func.grad(f, argnums=(0, 1))
    eps = 1e-5
    plus, minus = grad(U + eps * dU, V + eps * dV), grad(U - eps * dU, V - eps * dV)
    _, (hU, hV) = func.hvp(f, (U, V), (dU, dV))
    # f is a polynomial of degree 4: central differences of its gradient are exact up to
    # eps**2 times its (bounded) third derivatives, and rounding
    assert_allclose(hU, (plus[0] - minus[0]) / (2 * eps), rtol=1e-6, atol=1e-6)
    assert_allclose(hV, (plus[1] - minus[1]) / (2 * eps), rtol=1e-6, atol=1e-6)


def test_newton_reaches_the_svd_loss_in_far_fewer_iterations_than_gradient_descent(A):
    best = truncated_svd(A, 2).loss
    run = newton.newton(A, 2)
    assert run.losses[-1] == pytest.approx(best, rel=1e-9)
    assert np.all(np.diff(run.losses) <= 1e-9 * run.losses[:-1]), "every step decreases f"
    n_newton = newton.iterations_to_reach(run.losses, best, 1e-3)
    n_gd = newton.iterations_to_reach(gd_factorise_ad(A, 2, 1000).losses, best, 1e-3)
    assert n_newton is not None and n_gd is not None
    assert 10 * n_newton < n_gd


def test_iterations_to_reach():
    assert newton.iterations_to_reach([5.0, 2.0, 1.0005, 1.0], 1.0, 1e-3) == 2
    assert newton.iterations_to_reach([5.0, 2.0], 1.0, 1e-3) is None


def test_the_report_has_the_second_order_part():
    from lab2 import report
    from lab2.run import Options, run

    results = run(Options(engines=("tinyad",), seeds=1, mlp_lrs=(0.1,)))
    so = results["second_order"]
    assert so["gd_from"] == "tinyad" and so["newton_hvps"] > 0
    first, second = so["reach"]
    assert (first["rtol"], second["rtol"]) == (1e-3, 1e-6)
    assert first["newton_iterations"] < first["gd_epochs"] // 10
    assert second["gd_epochs"] is None  # gradient descent needs more than 1000 epochs for 1e-6
    text = report.text(results)
    assert "1b. Second order" in text and "not within 1000 epochs" in text
