"""torch.linalg: norms, svd, qr, inv, det and solve (tinyad's ops under torch.linalg's names)."""

import math

from . import ops
from .ops import (
    LinAlgError,  # noqa: F401 (torch.linalg.LinAlgError)
    _broadcast_shape,
)
from .tensor import (  # noqa: F401 (det: torch.linalg.det)
    _matrices,
    _norm_input,
    _numpy_keywords,
    _qr,
    _svd,
    _tensor_arguments,
    _wrap_dim,
    det,
    inverse,
    return_type,
    zeros,
)
from .tensor import norm as _norm

SVDResult = return_type("linalg_svd", ["U", "S", "Vh"])
QRResult = return_type("linalg_qr", ["Q", "R"])


def svd(A, full_matrices=True):
    """U, S, Vh with A = U diag(S) Vh (full U and Vh by default, as torch.linalg.svd)."""
    u, s, vh = _svd(A, full_matrices)
    return SVDResult(u, s, vh)


def qr(A, mode="reduced"):
    """Q, R with A = Q R, Q's columns orthonormal, R upper triangular: Q of min(m, n) columns
    ('reduced'), of m ('complete'), or none ('r': an empty Q)."""
    return QRResult(*_qr(A, mode))


def svdvals(A):
    return _svd(A, False)[1]


@_numpy_keywords
def norm(A, ord=None, dim=None, keepdim=False, dtype=None):
    """A vector norm over one dim (or all, without ``ord``), a matrix norm over two dims
    (computed in ``dtype``, when given)."""
    A = _norm_input(A, dtype, "linalg.vector_norm")
    if ord is not None and dim is None and A.ndim not in (1, 2):
        raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must "
                           f"be 1D or 2D. Got {A.ndim}D.")
    if isinstance(ord, str):  # ('fro', 'nuc': matrix norms only)
        return matrix_norm(A, ord, (-2, -1) if dim is None else dim, keepdim)
    if isinstance(dim, int):
        dim = (dim,)
    if dim is not None and len(dim) not in (1, 2):
        raise RuntimeError(f"linalg.norm: If dim is specified, it must be of length 1 or 2. "
                           f"Got {list(dim)}")
    if ord is not None and dim is None:
        dim = tuple(range(A.ndim))
    if dim is not None and len(dim) == 2:
        return matrix_norm(A, "fro" if ord is None else ord, dim, keepdim)
    return _norm(A, 2 if ord is None else ord, dim, keepdim)


@_numpy_keywords
def vector_norm(x, ord=2, dim=None, keepdim=False, dtype=None):
    if isinstance(ord, (str, type(None))):  # ('fro' and 'nuc' are matrix_norm's)
        raise TypeError(f"linalg_vector_norm(): argument 'ord' must be Number, not "
                        f"{type(ord).__name__}")
    return _norm(_norm_input(x, dtype, "linalg.vector_norm"), ord, dim, keepdim)


MATRIX_ORDS = ("fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf)


@_numpy_keywords
def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, dtype=None):
    """Frobenius ('fro'), nuclear ('nuc': sum of the singular values), 2 and -2 (the largest
    and smallest singular value), 1 and -1 (largest, smallest column sum of |A|), inf and -inf
    (row sums), as torch composes them: gradients share ties as amax and amin do; 'nuc' and
    ±2 through the SVD of each matrix."""
    if ord is None:
        raise TypeError("linalg_matrix_norm(): argument 'ord' must be a number or one of 'fro' "
                        "and 'nuc', not NoneType")
    if ord not in MATRIX_ORDS:
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    A = _norm_input(_matrices(A, "linalg.matrix_norm"), dtype, "linalg.matrix_norm")
    if not isinstance(dim, (tuple, list)) or len(dim) != 2:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got "
                           f"{' '.join(map(str, dim)) if isinstance(dim, (tuple, list)) else dim}")
    dim0, dim1 = (_wrap_dim(d, A.ndim) for d in dim)
    if dim0 == dim1:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({dim0}, {dim1})")
    if ord == "fro":
        return _norm(A, 2, (dim0, dim1), keepdim)
    if ord in (1, -1, math.inf, -math.inf):  # (as torch: 1-norms, then their extreme)
        if abs(ord) == math.inf:
            dim0, dim1 = dim1, dim0
        if not keepdim and dim0 < dim1:
            dim1 -= 1
        return _extreme(_norm(A, 1, dim0, keepdim), dim1, keepdim, ord > 0)
    # as torch: the two dims moved last, the singular values of each matrix, their sum,
    # largest or smallest, and with keepdim the dims put back where they were
    order = [d for d in range(A.ndim) if d not in (dim0, dim1)] + [dim0, dim1]
    s = svdvals(A.permute(order))
    out = s.sum(-1) if ord == "nuc" else _extreme(s, -1, False, ord > 0)
    if keepdim:
        out = out.unsqueeze(-1).unsqueeze(-1).permute([order.index(d) for d in range(A.ndim)])
    return out


def _extreme(x, dim, keepdim, largest):
    """The largest (or smallest) element along ``dim``; the largest of none is 0, out of the
    graph, as torch's matrix norms take it (the smallest of none is refused, as amin's)."""
    if largest and x.shape[dim] == 0:
        shape, dim = list(x.shape), dim % x.ndim
        shape[dim:dim + 1] = [1] if keepdim else []
        return zeros(shape, dtype=x.dtype)
    return x.amax(dim, keepdim) if largest else x.amin(dim, keepdim)


inv = inverse


def _torch_type(t):
    return ops.TORCH_TYPE_NAMES[t.dtype.name]


def solve(A, B, *, left=True):
    """X with A X = B (X A = B where ``left`` is False): B a matrix, or a vector where it is
    1-D or has A's shape but its last dim; batches broadcast."""
    A, B = _tensor_arguments("linalg_solve", A, B, ("A", "B"))
    A = _matrices(A, "linalg.solve", square=True)
    if A.dtype != B.dtype:
        raise RuntimeError(f"linalg.solve: Expected A and B to have the same dtype, but found A "
                           f"of type {_torch_type(A)} and B of type {_torch_type(B)} instead")
    vector = B.ndim == 1 or B.ndim == A.ndim - 1 and B.shape == A.shape[:-1]
    if not vector and B.ndim < 2:
        raise RuntimeError("linalg.solve: The input tensor B must have at least 2 dimensions.")
    rows, columns = (B.shape[-1], 1) if vector else B.shape[-2:]
    n = A.shape[-1]
    if (rows if left else columns) != n:
        raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation "
                           f"{'AX' if left else 'XA'} = B ({n}x{n} and {rows}x{columns})")
    _broadcast_shape(B.shape[:-1 if vector else -2], A.shape[:-2])
    return ops.Solve.apply(A, B, vector, left)
