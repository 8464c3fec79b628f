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


def relative_difference(a, b):
    """|a - b| / |b| per epoch, over the epochs both curves have."""
    n = min(len(a), len(b))
    a, b = np.asarray(a[:n], dtype=np.float64), np.asarray(b[:n], dtype=np.float64)
    return np.abs(a - b) / np.maximum(np.abs(b), np.finfo(np.float64).tiny)


STYLES = ("-", "--", ":", "-.")  # one per engine, so that curves on top of each other show


def _differences(ax, curves, title, dtype):
    """Per-epoch relative difference between the first two engines of each group of curves
    (``{group label: {engine: losses}}``), as points on a log axis, with the dtype's machine
    epsilon for scale. Epochs where the engines computed the very same loss have no point on a
    log axis; the legend counts them."""
    drawn = False
    for label, by_engine in curves.items():
        if len(by_engine) < 2:
            continue
        (name_a, losses_a), (name_b, losses_b) = list(by_engine.items())[:2]
        rel = relative_difference(losses_a, losses_b)
        same = int(np.sum(rel == 0))
        shown = np.where(rel > 0, rel, np.nan)
        suffix = f" ({same} of {len(rel)} epochs equal)" if same else ""
        ax.plot(np.arange(1, len(rel) + 1), shown, ".", markersize=3, label=f"{label}{suffix}")
        drawn = True
        ax.set_title(f"{title}: |{name_a} - {name_b}| / |{name_b}|")
    if not drawn:
        ax.set_title(title)
        ax.text(0.5, 0.5, "one engine ran: nothing to compare", ha="center", va="center",
                transform=ax.transAxes)
        return
    eps = np.finfo(dtype).eps
    ax.axhline(eps, color="black", linestyle=":", linewidth=1, label=f"{dtype} epsilon {eps:.2g}")
    ax.set(yscale="log", xlabel="epoch", ylabel="relative difference")
    ax.legend()


def loss_figure(path, factorisation_curves, svd_loss, mlp_curves, dtype="float32"):
    """Loss per epoch (top) and the engines' per-epoch relative difference (bottom), for the
    gradient-descent factorisation (against the SVD loss) and for the MLP.

    ``factorisation_curves`` maps an engine to its losses; ``mlp_curves`` maps a learning rate's
    label to such a mapping.
    """
    plt = _pyplot()
    fig, ((left, right), (left_diff, right_diff)) = plt.subplots(
        2, 2, figsize=(11, 7.6), sharex="col", height_ratios=(3, 2)
    )
    for style, (engine, losses) in zip(STYLES, factorisation_curves.items()):
        left.plot(np.arange(1, len(losses) + 1), losses, style, label=engine)
    if svd_loss > 1e-9:  # a loss of ~0 (full rank) would squash a log axis
        left.axhline(svd_loss, color="black", linestyle="--", linewidth=1, label="truncated SVD")
    left.set(yscale="log", title=f"Factorisation ({dtype}): summed squared error", ylabel="loss")
    for lr_label, by_engine in mlp_curves.items():
        for style, (engine, losses) in zip(STYLES, by_engine.items()):
            right.plot(np.arange(1, len(losses) + 1), losses, style, label=f"{lr_label}, {engine}")
    right.set(yscale="log", title="MLP (float32): training cross-entropy", ylabel="loss")
    _differences(left_diff, {"factorisation": factorisation_curves}, "Engines", dtype)
    _differences(right_diff, mlp_curves, "Engines", "float32")
    for ax in (left, right, left_diff, right_diff):
        ax.grid(alpha=0.3)
    for ax in (left, right):
        ax.legend()
    for ax in (left_diff, right_diff):
        ax.set_xlabel("epoch")
    return _save(plt, fig, path)
