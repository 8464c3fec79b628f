"""The lab's figures, drawn with matplotlib's Agg backend into PNG files."""

import numpy as np


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _scatter(ax, coords, labels, title, xlabel, ylabel):
    """Points coloured by class, one legend entry per class. One column plots as a strip."""
    coords = np.asarray(coords)
    y = coords[:, 1] if coords.shape[1] > 1 else np.zeros(len(coords))
    for name in dict.fromkeys(labels):
        mask = np.array([label == name for label in labels])
        ax.scatter(coords[mask, 0], y[mask], s=16, alpha=0.8, label=name)
    ax.set(
        title=title, xlabel=xlabel, ylabel=ylabel if coords.shape[1] > 1 else "(rank 1: one axis)"
    )
    ax.legend()
    ax.grid(alpha=0.3)


def _save(plt, fig, path):
    fig.tight_layout()
    fig.savefig(path, format="png", dpi=110)
    plt.close(fig)
    return path


def scatter_figure(path, coords, labels, title, xlabel, ylabel):
    """Write one scatter plot (the lab's figure 1 or 2) to ``path``."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 4.5))
    _scatter(ax, coords, labels, title, xlabel, ylabel)
    return _save(plt, fig, path)


def loss_figure(path, factorisation_curves, svd_loss, mlp_curves):
    """Loss per epoch: gradient-descent factorisation (against the SVD loss) and the MLP.

    Each ``*_curves`` maps a legend label to a sequence of losses.
    """
    plt = _pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for label, losses in factorisation_curves.items():
        left.plot(np.arange(1, len(losses) + 1), losses, label=label)
    if svd_loss > 1e-9:  # a loss of ~0 (full rank) would squash a log axis
        left.axhline(svd_loss, color="black", linestyle="--", linewidth=1, label="truncated SVD")
    left.set(
        yscale="log", title="Factorisation: summed squared error", xlabel="epoch", ylabel="loss"
    )
    for label, losses in mlp_curves.items():
        right.plot(np.arange(1, len(losses) + 1), losses, label=label)
    right.set(yscale="log", title="MLP: training cross-entropy", xlabel="epoch", ylabel="loss")
    for ax in (left, right):
        ax.legend()
        ax.grid(alpha=0.3)
    return _save(plt, fig, path)
