"""Part 1: low-rank factorisation A ~ U @ V.T by gradient descent, against truncated SVD."""

from dataclasses import dataclass

import numpy as np

from .checks import check_learning_rate, check_positive_int, check_rank
from .engines import gradient_descent, leaf, load, to_numpy


@dataclass(frozen=True)
class Factorisation:
    """Unpacks as ``U, V, losses``."""

    U: np.ndarray  # (m, rank)
    V: np.ndarray  # (n, rank)
    losses: np.ndarray  # summed squared error per completed epoch, before that epoch's update
    trace: object  # the engines.Trace (divergence, wall time)

    def __iter__(self):
        return iter((self.U, self.V, self.losses))


@dataclass(frozen=True)
class SVD:
    """Unpacks as ``reconstruction, loss``."""

    reconstruction: np.ndarray  # the best rank-k approximation of A
    loss: float  # its summed squared error
    U: np.ndarray  # (m, k) left singular vectors
    S: np.ndarray  # (k,) singular values, largest first
    Vt: np.ndarray  # (k, n) right singular vectors

    def __iter__(self):
        return iter((self.reconstruction, self.loss))


def initial_factors(shape, rank, seed=0, dtype=np.float64):
    """U and V uniform in [0, 1), as ``torch.rand`` draws them, from numpy's ``default_rng(seed)``.

    Drawing with numpy lets every engine start from the very same values.
    """
    rng = np.random.default_rng(seed)
    m, n = shape
    return rng.random((m, rank)).astype(dtype), rng.random((n, rank)).astype(dtype)


def gd_factorise_ad(A, rank, num_epochs=1000, lr=0.01, *, engine=None, init=None, seed=0):
    """Factorise ``A`` (m x n) as ``U @ V.T`` by full-batch gradient descent with autograd.

    The loss is ``mse_loss(U @ V.T, A, reduction="sum")``. ``engine`` is a module with torch's
    API or its name (default tinyad). ``init=(U0, V0)`` gives the starting values; otherwise
    they are :func:`initial_factors` of ``seed``. The dtype is A's: the lab ran in torch's
    default, float32; float64 shows the engines agreeing to rounding.
    If the loss becomes inf or NaN, training stops: see ``result.trace.diverged_at``.
    """
    A = np.asarray(A)
    rank = check_rank(rank, A.shape)
    num_epochs = check_positive_int("num_epochs", num_epochs)
    lr = check_learning_rate(lr)
    eng = load(engine)
    U0, V0 = init if init is not None else initial_factors(A.shape, rank, seed, A.dtype)
    U, V = leaf(eng, U0), leaf(eng, V0)
    target = eng.module.tensor(A)

    def loss():
        return eng.F.mse_loss(U @ V.t(), target, reduction="sum")

    trace = gradient_descent(eng, [U, V], loss, lr, num_epochs)
    return Factorisation(to_numpy(U), to_numpy(V), trace.losses, trace)


def truncated_svd(A, rank):
    """The best rank-``rank`` reconstruction of ``A`` (Eckart-Young), with its summed squared
    error and the truncated factors.

    The SVD runs in A's dtype when that is float32 or float64 (anything else is converted to
    float64), as ``torch.svd`` would on a tensor of that dtype. The squared residuals are
    summed in float64 and the sum rounded to A's dtype: in float32 that gives the lab's
    15.228833198547363 at rank 2, bit for bit.
    """
    A = np.asarray(A)
    if A.dtype not in (np.float32, np.float64):
        A = A.astype(np.float64)
    rank = check_rank(rank, A.shape)
    U, S, Vt = np.linalg.svd(A, full_matrices=False)
    U, S, Vt = U[:, :rank], S[:rank], Vt[:rank]
    reconstruction = (U * S) @ Vt
    residual = (A - reconstruction).astype(np.float64)
    return SVD(reconstruction, float(A.dtype.type(np.sum(residual**2))), U, S, Vt)
