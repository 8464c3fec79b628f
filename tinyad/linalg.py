"""torch.linalg: norms, svd, qr, inv, det and solve (tinyad's ops under torch.linalg's names)."""

from collections import namedtuple

from . import ops
from .tensor import _qr, _svd, det, inverse  # noqa: F401 (det: torch.linalg.det)
from .tensor import norm as _norm

SVDResult = namedtuple("svd", ["U", "S", "Vh"])
QRResult = namedtuple("qr", ["Q", "R"])


def svd(A, full_matrices=True):
    """U, S, Vh with A = U diag(S) Vh (full U and Vh by default, as torch.linalg.svd)."""
    u, s, vh = _svd(A, full_matrices)
    return SVDResult(u, s, vh)


def qr(A, mode="reduced"):
    """Q, R with A = Q R, Q's columns orthonormal, R upper triangular (reduced mode)."""
    if mode != "reduced":
        raise NotImplementedError(f"tinyad's linalg.qr has only mode='reduced', not {mode!r}")
    return QRResult(*_qr(A))


def svdvals(A):
    return _svd(A, False)[1]


def norm(A, ord=None, dim=None, keepdim=False):
    """The 2-norm of all elements (Frobenius for a matrix) by default, or a vector ord-norm."""
    if ord is not None and A.ndim == 2 and dim is None and ord not in ("fro", 2):
        raise NotImplementedError(f"tinyad's linalg.norm has no matrix norm ord={ord!r}")
    return _norm(A, 2 if ord is None else ord, dim, keepdim)


def vector_norm(x, ord=2, dim=None, keepdim=False):
    return _norm(x, ord, dim, keepdim)


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False):
    if ord != "fro":
        raise NotImplementedError(f"tinyad's matrix_norm has only ord='fro', not {ord!r}")
    return _norm(A, 2, dim, keepdim)


inv = inverse


def solve(A, B):
    """X with A X = B (B a vector or a matrix)."""
    return ops.Solve.apply(A, B)
