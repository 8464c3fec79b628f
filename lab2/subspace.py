"""Part 2 in numbers: how the gradient-descent factor U_hat compares with PCA.

The plots suggest that U_hat spans the same subspace as the top principal components but with
different axes. :func:`compare_with_pca` measures that: the principal angles between the two
subspaces, the angles between U_hat's columns, and the variance along each plotted axis.
"""

import numpy as np


def principal_angles(X, Y):
    """Principal angles (radians, ascending) between the column spaces of X and Y.

    Both must have the same number of rows and full column rank. Small angles come from sines
    and large ones from cosines (Bjorck and Golub; Knyazev and Argentati), so an angle near
    zero is accurate to about machine precision rather than to its square root.
    """
    Qx, Qy = _orthonormal(X), _orthonormal(Y)
    if Qx.shape[1] < Qy.shape[1]:
        Qx, Qy = Qy, Qx
    cosines = np.clip(np.linalg.svd(Qx.T @ Qy, compute_uv=False), 0.0, 1.0)  # descending
    residual = Qy - Qx @ (Qx.T @ Qy)
    sines = np.clip(np.linalg.svd(residual, compute_uv=False)[::-1], 0.0, 1.0)  # ascending
    return np.where(sines < np.sqrt(0.5), np.arcsin(sines), np.arccos(cosines))


def _orthonormal(X):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or np.linalg.matrix_rank(X) < X.shape[1]:
        raise ValueError(f"expected a matrix of full column rank, got shape {X.shape}")
    return np.linalg.qr(X)[0]


def column_angles(U):
    """Angle in degrees between every pair of U's columns (90 means orthogonal)."""
    unit = U / np.linalg.norm(U, axis=0)
    k = U.shape[1]
    return [
        float(np.degrees(np.arccos(np.clip(unit[:, i] @ unit[:, j], -1.0, 1.0))))
        for i in range(k)
        for j in range(i + 1, k)
    ]


def compare_with_pca(U_hat, svd):
    """Numbers for part 2: ``U_hat`` (m x k) from gradient descent against ``svd`` (an SVD of the
    centred data from :func:`lab2.factorise.truncated_svd` at the same rank).

    Returns a dict:

    * ``principal_angles_deg``: between span(U_hat) and span of the top-k left singular vectors
      (near zero when gradient descent found the same subspace);
    * ``u_hat_column_angles_deg``: between U_hat's columns, each pair (PCA's are all 90);
    * ``variance_gd`` and ``variance_pca``: the variance (n - 1 divisor) along each plotted
      axis, i.e. of each column of U_hat and of the PCA scores U_k * S_k, with
      ``share_gd``/``share_pca`` the fraction of their sum each axis carries. PCA's are ordered,
      largest first; gradient descent's need not be.
    """
    U_hat = np.asarray(U_hat, dtype=np.float64)
    scores = svd.U * svd.S
    var_gd = U_hat.var(axis=0, ddof=1)
    var_pca = scores.var(axis=0, ddof=1)
    return {
        "principal_angles_deg": np.degrees(principal_angles(U_hat, svd.U)).tolist(),
        "u_hat_column_angles_deg": column_angles(U_hat),
        "variance_gd": var_gd.tolist(),
        "variance_pca": var_pca.tolist(),
        "share_gd": (var_gd / var_gd.sum()).tolist(),
        "share_pca": (var_pca / var_pca.sum()).tolist(),
    }
