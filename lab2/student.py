"""The figures of the student's report that this lab reproduces, and where they fall among ours.

The report (a student's, for the same lab; names removed) gives one number per experiment,
each from one run. Only the truncated SVD's loss does not depend on the starting values, so
only it can be matched exactly; every other figure depends on the random start, which the
student drew with ``torch.rand``/``torch.randn`` and we draw with numpy (so that every engine
starts from the same values). Such a figure is placed instead: beside the distribution of the
same figure over many seeds, by its median, its range and the student's value's percentile.
"""

from typing import NamedTuple

import numpy as np

# The lab's settings, under which the student's figures were obtained.
LAB_EPOCHS, LAB_LR, LAB_MLP_EPOCHS, LAB_DTYPE = 1000, 0.01, 100, "float32"


class Figure(NamedTuple):
    key: str
    label: str  # what the figure is, for the report
    value: float  # as the report prints it (float32 values printed as Python floats)
    kind: str  # "exact" (no randomness), "noise" (rounding noise around 0) or "seeded"


FACTORISATION = (
    Figure("svd_rank2", "rank-2 truncated SVD loss", 15.228833198547363, "exact"),
    Figure("gd_rank2", "rank-2 gradient-descent loss", 15.228955268859863, "seeded"),
    Figure("svd_rank4", "rank-4 truncated SVD loss", 3.979467450010432e-11, "noise"),
    Figure("gd_rank4", "rank-4 gradient-descent loss", 0.04392794892191887, "seeded"),
)
# The report prints accuracies as percentages of float32 fractions (76.99 % is 77 of 100
# training rows, 68.00 % is 34 of 50 validation rows); these are the fractions.
MLP = {
    0.01: {"train": 0.77, "val": 0.68},
    0.1: {"train": 0.97, "val": 0.84},
}
ACCURACY_TIE = 1e-6  # accuracies within this are the same count of rows (float32 rounding)


def percentile_rank(values, x, tie=0.0):
    """Percentage of ``values`` below ``x``, counting those within ``tie`` of it as half below:
    the mid-rank percentile, 0 below everything, 100 above everything, 50 at the median of
    values that are all equal to ``x``."""
    v = np.asarray(values, dtype=np.float64)
    if v.size == 0:
        return None
    equal = np.abs(v - x) <= tie
    below = (v < x) & ~equal
    return float(100 * (below.sum() + 0.5 * equal.sum()) / v.size)


def place(values, x, tie=0.0):
    """``x`` beside the distribution of ``values``: median, range, count and percentile rank.
    ``None`` values (runs that diverged) are left out."""
    v = np.array([value for value in values if value is not None], dtype=np.float64)
    if v.size == 0:
        return {"n": 0, "median": None, "min": None, "max": None, "percentile": None}
    return {
        "n": int(v.size),
        "median": float(np.median(v)),
        "min": float(v.min()),
        "max": float(v.max()),
        "percentile": percentile_rank(v, x, tie),
    }


def float32_ulps(ours, theirs):
    """|ours - theirs| in units of float32's spacing at ``theirs`` (0 means the same float32)."""
    return float(abs(ours - theirs) / np.spacing(np.float32(abs(theirs))))


def settings_notes(fact, mlp):
    """Why a comparison with the student's figures is not like for like, if it is not."""
    notes = []
    if (fact["epochs"], fact["lr"]) != (LAB_EPOCHS, LAB_LR):
        notes.append(
            f"the factorisation ran {fact['epochs']} epochs at lr {fact['lr']:g}; the student's "
            f"figures come from {LAB_EPOCHS} epochs at lr {LAB_LR:g}"
        )
    if fact["dtype"] != LAB_DTYPE:
        notes.append(
            f"the factorisation ran in {fact['dtype']}; the student's figures are {LAB_DTYPE}"
        )
    if mlp["epochs"] != LAB_MLP_EPOCHS:
        notes.append(
            f"the MLP trained {mlp['epochs']} epochs; the student's figures come from "
            f"{LAB_MLP_EPOCHS}"
        )
    if mlp["bias"] != "per-unit":
        notes.append(
            f"the MLP has {mlp['bias']} biases; the student's has one bias per unit"
        )
    return notes


def compare(fact, mlp, svd_losses):
    """Every figure of the student's report beside this run's.

    ``fact`` and ``mlp`` are the ``factorisation`` and ``mlp`` parts of :func:`lab2.run.run`'s
    results (with their seed sweeps); ``svd_losses`` maps rank 2 and 4 to this run's truncated
    SVD loss. Placements use the first engine's runs. Returns a JSON-ready dict.
    """
    sweeps = {s["rank"]: s for s in fact["sweep"]["by_rank"]}
    seeds = fact["sweep"]["seeds"]
    rows = []
    for fig in FACTORISATION:
        rank = int(fig.key[-1])
        row = {"key": fig.key, "figure": fig.label, "kind": fig.kind, "student": fig.value}
        if fig.kind in ("exact", "noise"):
            row["this_run"] = svd_losses[rank]
            if fig.kind == "exact":
                row["float32_ulps"] = float32_ulps(svd_losses[rank], fig.value)
        else:
            first = next(iter(sweeps[rank]["engines"].values()))
            row["this_run"] = first["final_losses"][0]
            row["seed"] = seeds[0]
            row.update(place(first["final_losses"], fig.value))
        rows.append(row)
    by_lr = {s["lr"]: s for s in mlp["sweep"]["by_lr"]}
    for lr, figures in MLP.items():
        for half, value in figures.items():
            row = {
                "key": f"mlp_lr{lr:g}_{half}",
                "figure": f"MLP {'training' if half == 'train' else 'validation'} accuracy at "
                f"lr {lr:g}",
                "kind": "seeded",
                "student": value,
            }
            if lr not in by_lr:
                row.update(this_run=None, seed=None, **place([], value))
            else:
                first = next(iter(by_lr[lr]["engines"].values()))
                values = first[f"{half}_values"]
                row["this_run"] = values[0]
                row["seed"] = mlp["sweep"]["seeds"][0]
                row.update(place(values, value, ACCURACY_TIE))
            rows.append(row)
    return {
        "engine": fact["sweep"]["engines"][0],
        "seeds": seeds,
        "notes": settings_notes(fact, mlp),
        "rows": rows,
    }
