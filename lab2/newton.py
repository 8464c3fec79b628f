"""Second order on the factorisation: Hessian-vector products and Newton's method.

The summed squared error f(U, V) = sum((U V^T - A)^2) has a Hessian with (m + n) * rank rows,
never formed here: ``tinyad.func.hvp`` gives its product with any direction by differentiating
the gradient once more (double backward). That product is checked against torch's own double
backward, then drives a damped Newton method (the Newton step solved by conjugate gradients),
which is compared with the lab's gradient descent by how many iterations each needs to come
within a tolerance of the truncated SVD's loss (the best possible).
"""

from dataclasses import dataclass

import numpy as np

import tinyad
import tinyad.nn.functional as F
from tinyad import func

from .checks import check_positive_int, check_rank
from .factorise import initial_factors


def loss_function(A):
    """f(U, V) = mse_loss(U @ V.T, A, reduction="sum"), as a function of tensors."""
    target = tinyad.tensor(np.asarray(A, dtype=np.float64))

    def f(U, V):
        return F.mse_loss(U @ V.t(), target, reduction="sum")

    return f


def hvp_agreement(A, rank, seed=0):
    """Largest relative difference between tinyad's and torch's Hessian-vector products of the
    factorisation loss, at the initial factors along a random direction; None without torch."""
    try:
        import torch
    except ImportError:
        return None
    U, V = initial_factors(A.shape, rank, seed)
    rng = np.random.default_rng(seed + 1)
    dU, dV = rng.standard_normal(U.shape), rng.standard_normal(V.shape)
    _, ours = func.hvp(loss_function(A), (U, V), (dU, dV))
    target = torch.tensor(A)
    _, theirs = torch.autograd.functional.hvp(
        lambda u, v: torch.nn.functional.mse_loss(u @ v.t(), target, reduction="sum"),
        (torch.tensor(U), torch.tensor(V)), (torch.tensor(dU), torch.tensor(dV)))
    return max(float(np.max(np.abs(a - b.numpy())) / np.max(np.abs(b.numpy())))
               for a, b in zip(ours, theirs))


@dataclass(frozen=True)
class NewtonRun:
    losses: np.ndarray  # the loss before each iteration, then the final loss
    hvps: int  # Hessian-vector products used in all


def _dot(xs, ys):
    return sum(float(np.sum(x * y)) for x, y in zip(xs, ys))


def _axpy(a, xs, ys):
    return tuple(a * x + y for x, y in zip(xs, ys))


def newton(A, rank, iterations=50, seed=0, tol=1e-10, cg_iterations=50):
    """Damped Newton on f(U, V) from the lab's initial factors.

    Each iteration solves (H + damping I) d = -g by conjugate gradients (stopping early at
    negative curvature), backtracks along d until f decreases enough, and relaxes the damping
    after a full step or raises it after a short one. Stops once the gradient is below ``tol``.
    """
    A = np.asarray(A, dtype=np.float64)
    rank = check_rank(rank, A.shape)
    iterations = check_positive_int("iterations", iterations)
    f = loss_function(A)
    value_and_grad = func.value_and_grad(f, argnums=(0, 1))
    x = initial_factors(A.shape, rank, seed)
    damping, hvps, losses = 1.0, 0, []
    for _ in range(iterations):
        value, g = value_and_grad(*x)
        losses.append(float(value))
        if np.sqrt(_dot(g, g)) < tol:
            break
        # conjugate gradients on (H + damping I) d = -g
        d = tuple(np.zeros_like(gi) for gi in g)
        r = tuple(-gi for gi in g)
        p, rr = r, _dot(r, r)
        for _ in range(cg_iterations):
            Hp = _axpy(damping, p, func.hvp(f, x, p)[1])
            hvps += 1
            curvature = _dot(p, Hp)
            if curvature <= 0:
                break
            alpha = rr / curvature
            d, r = _axpy(alpha, p, d), _axpy(-alpha, Hp, r)
            rr, rr_old = _dot(r, r), rr
            if np.sqrt(rr) < 1e-3 * np.sqrt(_dot(g, g)):
                break
            p = _axpy(rr / rr_old, p, r)
        if _dot(d, d) == 0:
            d = r  # negative curvature at once: fall back to steepest descent
        step, slope = 1.0, _dot(g, d)
        while _value(f, _axpy(step, d, x)) > value + 1e-4 * step * slope and step > 1e-12:
            step /= 2
        x = _axpy(step, d, x)
        damping = damping / 3 if step == 1.0 else damping * 4
    else:
        losses.append(_value(f, x))
    return NewtonRun(np.array(losses), hvps)


def _value(f, x):
    return float(f(*(tinyad.tensor(v) for v in x)))


def iterations_to_reach(losses, target, rtol):
    """The first iteration (0-based, counting updates made) whose loss is within ``rtol`` of
    ``target``, or None if none is."""
    hits = np.nonzero(np.asarray(losses) <= target * (1 + rtol))[0]
    return int(hits[0]) if hits.size else None
