"""Run every experiment on every engine; collect JSON-ready results and write the figures."""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import figures, newton, student
from .checks import check_rank
from .data import centred, lab_split, load_csv
from .engines import agreement, divergence_message, load
from .explain import explain_factorisation
from .factorise import gd_factorise_ad, initial_factors, truncated_svd
from .mlp import HIDDEN, check_bias, initial_weights, summarise, train_mlp
from .nn_mlp import compare_with_hand_written
from .subspace import compare_with_pca

BUNDLED_SOURCE = "bundled Iris, the UCI copy (rows 35 and 38 differ from Fisher's paper)"
FIGURES = {"pca": "fig1_pca.png", "gd": "fig2_gd.png", "losses": "fig3_losses.png"}
DTYPES = ("float32", "float64")
STUDENT_RANKS = (2, 4)  # the ranks of the student's report


@dataclass
class Options:
    engines: tuple = ("tinyad", "torch")
    rank: int = 2
    epochs: int = 1000
    lr: float = 0.01
    mlp_epochs: int = 100
    mlp_lrs: tuple = (0.01, 0.1)
    seed: int = 0
    seeds: int = 20
    dtype: str = "float32"  # of the factorisation (the MLP is float32, as in the lab)
    bias: str = "per-unit"  # the MLP's biases: "per-unit" or "scalar"
    nn: bool = True  # part 3b: the MLP again with nn and optim, against the hand-written one
    data: object = None  # a lab2.data.Dataset, or None for the bundled Iris data
    out: object = None  # folder for the figures, or None for no figures
    explain: object = None  # folder for --explain's graph and trace, or None for no --explain
    notes: list = field(default_factory=list)


def _run_summary(trace):
    return {
        "epochs_run": len(trace.losses),
        "diverged_at": trace.diverged_at,
        "seconds_per_epoch": trace.seconds_per_epoch,
        "losses": [float(v) for v in trace.losses],
    }


def _compare(runs, engines, key=lambda run: run.losses):
    """Agreement of the first two engines' loss curves, or None with a single engine."""
    if len(engines) < 2:
        return None
    first, second = (runs[e.name] for e in engines[:2])
    return {"engines": [e.name for e in engines[:2]], **agreement(key(first), key(second))}


def run(opts, progress=lambda message, transient=False: None):
    """Everything ``python -m lab2`` reports, as a dict (see README for the fields)."""
    data = opts.data if opts.data is not None else load_csv()
    if opts.dtype not in DTYPES:
        raise ValueError(f"dtype must be one of {', '.join(DTYPES)}, got {opts.dtype!r}")
    check_bias(opts.bias)
    # centred in float64, then rounded to the factorisation's dtype
    A64 = centred(data)
    A = A64.astype(opts.dtype)
    rank = check_rank(opts.rank, A.shape)
    engines = [load(name) for name in opts.engines]
    split = lab_split(data)
    results = {
        "data": {
            "source": BUNDLED_SOURCE if opts.data is None else "your CSV",
            "path": data.source,
            "rows": len(data.labels),
            "features": len(data.feature_names),
            "feature_names": list(data.feature_names),
            "classes": list(split.classes),
            "train_rows": len(split.y_train),
            "val_rows": len(split.y_val),
        },
        "engines": [e.name for e in engines],
        "notes": list(opts.notes),
        "diverged": [],
    }
    bundled = opts.data is None
    fact, U_hat = _factorisation(A, rank, opts, engines, results["diverged"], progress)
    ranks = sorted({rank, *STUDENT_RANKS}) if bundled else [rank]
    fact["sweep"] = _factorisation_sweep(A, ranks, opts, engines, results["diverged"], progress)
    results["factorisation"] = fact
    results["second_order"] = _second_order(A64, rank, opts, fact, progress)
    # PCA is the float64 SVD of the centred data, whatever dtype the factorisation ran in
    results["pca"] = None if U_hat is None else compare_with_pca(U_hat, truncated_svd(A64, rank))
    results["mlp"] = _mlp(split, opts, engines, results["diverged"], progress)
    results["mlp_nn"] = _mlp_nn(split, opts, engines, results["mlp"], progress) if opts.nn else None
    results["student"] = None
    if bundled:
        svd_losses = {r: truncated_svd(A, r).loss for r in STUDENT_RANKS}
        results["student"] = student.compare(fact, results["mlp"], svd_losses)
    if opts.explain is not None:
        progress("explain: the factorisation's graph and a trace of its backward pass")
        results["explain"] = explain_factorisation(A, rank, opts.seed, Path(opts.explain))
        if results["explain"]["note"]:
            progress(f"note: {results['explain']['note']}")
    results["figures"] = {}
    if opts.out is not None:
        results["figures"] = _figures(Path(opts.out), A64, data.labels, U_hat, results, progress)
    return results


def _factorisation(A, rank, opts, engines, diverged, progress):
    svd = truncated_svd(A, rank)
    init = initial_factors(A.shape, rank, opts.seed, A.dtype)
    runs, out = {}, {}
    for eng in engines:
        progress(f"part 1: {opts.epochs} epochs of gradient descent at rank {rank} with {eng.name}")
        run = runs[eng.name] = gd_factorise_ad(A, rank, opts.epochs, opts.lr, engine=eng, init=init)
        final = float(run.losses[-1]) if len(run.losses) else None
        gap = (
            100 * (final - svd.loss) / svd.loss if final is not None and svd.loss > 1e-12 else None
        )
        out[eng.name] = {"final_loss": final, "gap_to_svd_percent": gap, **_run_summary(run.trace)}
        if run.trace.diverged_at is not None:
            diverged.append(
                divergence_message("gradient-descent factorisation", eng.name, run.trace, opts.lr)
            )
    first = runs[engines[0].name]
    U_hat = first.U if first.trace.diverged_at is None else None
    result = {
        "rank": rank,
        "dtype": opts.dtype,
        "epochs": opts.epochs,
        "lr": opts.lr,
        "seed": opts.seed,
        "shape": list(A.shape),
        "svd_loss": svd.loss,
        "svd_singular_values": np.linalg.svd(A.astype(np.float64), compute_uv=False).tolist(),
        "engines": out,
        "agreement": _compare(runs, engines),
        "u_hat_from": engines[0].name,
    }
    return result, U_hat


def _factorisation_sweep(A, ranks, opts, engines, diverged, progress):
    """The final loss of gradient descent from ``opts.seeds`` starting points, at each rank,
    per engine (None where a run diverged)."""
    seeds = list(range(opts.seed, opts.seed + opts.seeds))
    by_rank = []
    for rank in ranks:
        progress(f"part 1: gradient descent at rank {rank} from {opts.seeds} seeds")
        finals = {e.name: [] for e in engines}
        for i, seed in enumerate(seeds, start=1):
            progress(f"part 1: seed {i}/{opts.seeds} at rank {rank}", transient=True)
            init = initial_factors(A.shape, rank, seed, A.dtype)
            for eng in engines:
                run = gd_factorise_ad(A, rank, opts.epochs, opts.lr, engine=eng, init=init)
                ok = run.trace.diverged_at is None
                finals[eng.name].append(float(run.losses[-1]) if ok else None)
        for name, values in finals.items():
            failed = [s for s, v in zip(seeds, values) if v is None]
            if failed:
                diverged.append(
                    f"gradient-descent factorisation at rank {rank} with {name} diverged for "
                    f"{len(failed)} of {opts.seeds} seeds (seed {failed[0]} first); try a "
                    f"smaller learning rate than {opts.lr:g}"
                )
        by_rank.append(
            {
                "rank": rank,
                "engines": {
                    name: {"final_losses": values, "diverged": values.count(None)}
                    for name, values in finals.items()
                },
                "max_relative_difference_between_engines": _largest_gap(finals),
            }
        )
    return {"seeds": seeds, "engines": [e.name for e in engines], "by_rank": by_rank}


def _largest_gap(finals):
    """Largest relative difference between the first two engines' final losses, seed by seed,
    over the seeds where both converged; None with one engine or no such seed."""
    if len(finals) < 2:
        return None
    a, b = list(finals.values())[:2]
    pairs = [(x, y) for x, y in zip(a, b) if x is not None and y is not None]
    if not pairs:
        return None
    return max(abs(x - y) / max(abs(y), np.finfo(np.float64).tiny) for x, y in pairs)


def _second_order(A, rank, opts, fact, progress):
    """Newton's method on the factorisation (tinyad.func's Hessian-vector products) against the
    first engine's gradient descent: iterations each needs to come near the SVD's loss."""
    progress(f"part 1b: Newton's method with Hessian-vector products at rank {rank} (tinyad)")
    run = newton.newton(A, rank, seed=opts.seed)
    gd_losses = next(iter(fact["engines"].values()))["losses"]
    return {
        "hvp_vs_torch": newton.hvp_agreement(A, rank, opts.seed),
        "newton_losses": [float(v) for v in run.losses],
        "newton_hvps": run.hvps,
        "gd_from": next(iter(fact["engines"])),
        "reach": [
            {
                "rtol": rtol,
                "newton_iterations": newton.iterations_to_reach(run.losses, fact["svd_loss"], rtol),
                "gd_epochs": newton.iterations_to_reach(gd_losses, fact["svd_loss"], rtol),
            }
            for rtol in (1e-3, 1e-6)
        ],
    }


def _mlp(split, opts, engines, diverged, progress):
    n_features, n_classes = split.x_train.shape[1], len(split.classes)
    runs_out, sweeps = [], []
    for lr in opts.mlp_lrs:
        init = initial_weights(n_features, n_classes, opts.seed, bias=opts.bias)
        runs = {}
        for eng in engines:
            progress(f"part 3: MLP, {opts.mlp_epochs} epochs at lr {lr:g} with {eng.name}")
            runs[eng.name] = train_mlp(split, lr, opts.mlp_epochs, engine=eng, init=init)
            if runs[eng.name].trace.diverged_at is not None:
                diverged.append(
                    divergence_message(
                        f"MLP training at lr {lr:g}", eng.name, runs[eng.name].trace, lr
                    )
                )
        agree = _compare(runs, engines)
        if agree is not None:
            a, b = (runs[name] for name in agree["engines"])
            agree["same_accuracies"] = (a.train_accuracy, a.val_accuracy) == (
                b.train_accuracy,
                b.val_accuracy,
            )
        runs_out.append(
            {
                "lr": lr,
                "agreement": agree,
                "engines": {
                    name: {
                        "train_accuracy": r.train_accuracy,
                        "val_accuracy": r.val_accuracy,
                        "final_loss": float(r.losses[-1]) if len(r.losses) else None,
                        **_run_summary(r.trace),
                    }
                    for name, r in runs.items()
                },
            }
        )
        sweeps.append(_sweep(split, lr, opts, engines, diverged, progress))
    return {
        "architecture": f"{n_features}-{HIDDEN}-{n_classes}",
        "bias": opts.bias,
        "epochs": opts.mlp_epochs,
        "seed": opts.seed,
        "runs": runs_out,
        "sweep": {"seeds": list(range(opts.seed, opts.seed + opts.seeds)), "by_lr": sweeps},
    }


def _mlp_nn(split, opts, engines, mlp, progress):
    """Part 3b: part 3's runs again, written with nn.Linear, nn.CrossEntropyLoss and optim.SGD,
    each against the hand-written version from the same weights on the same engine."""
    runs = []
    for lr in opts.mlp_lrs:
        progress(f"part 3b: MLP with nn and optim, {opts.mlp_epochs} epochs at lr {lr:g}")
        runs.append(
            compare_with_hand_written(
                split, lr, opts.mlp_epochs, engines=engines, seed=opts.seed, bias=opts.bias
            )
        )
    return {key: mlp[key] for key in ("architecture", "bias", "epochs", "seed")} | {"runs": runs}


def _sweep(split, lr, opts, engines, diverged, progress):
    """Train from ``opts.seeds`` different starting weights; accuracy statistics per engine."""
    n_features, n_classes = split.x_train.shape[1], len(split.classes)
    seeds = range(opts.seed, opts.seed + opts.seeds)
    progress(f"part 3: MLP from {opts.seeds} seeds at lr {lr:g}")
    acc = {e.name: {"train": [], "val": []} for e in engines}  # per seed, None if diverged
    seconds = {e.name: 0.0 for e in engines}
    failed = {e.name: [] for e in engines}
    differ = 0
    for i, seed in enumerate(seeds, start=1):
        progress(f"part 3: seed {i}/{opts.seeds} at lr {lr:g}", transient=True)
        init = initial_weights(n_features, n_classes, seed, bias=opts.bias)
        found = set()
        for eng in engines:
            r = train_mlp(split, lr, opts.mlp_epochs, engine=eng, init=init)
            seconds[eng.name] += r.trace.seconds
            found.add((r.train_accuracy, r.val_accuracy))
            if r.trace.diverged_at is not None:
                failed[eng.name].append((seed, r.trace.diverged_at))
            acc[eng.name]["train"].append(r.train_accuracy)
            acc[eng.name]["val"].append(r.val_accuracy)
        differ += len(found) > 1
    for name, bad in failed.items():
        if bad:
            diverged.append(
                f"MLP training at lr {lr:g} with {name} diverged for {len(bad)} of "
                f"{opts.seeds} seeds (seed {bad[0][0]} at epoch {bad[0][1]}); "
                f"try a smaller learning rate than {lr:g}"
            )
    return {
        "lr": lr,
        "seeds_with_different_accuracies": differ if len(engines) > 1 else None,
        "engines": {
            name: {
                "train": summarise([v for v in a["train"] if v is not None]),
                "val": summarise([v for v in a["val"] if v is not None]),
                "train_values": a["train"],
                "val_values": a["val"],
                "diverged": len(failed[name]),
                "seconds_per_epoch": seconds[name] / (opts.seeds * opts.mlp_epochs),
            }
            for name, a in acc.items()
        },
    }


def _figures(out, A, labels, U_hat, results, progress):
    """Write the PNG figures into ``out``; returns {name: path}."""
    progress(f"writing figures to {out}")
    pca = truncated_svd(A, 2)
    paths = {}
    paths["pca"] = figures.scatter_figure(
        out / FIGURES["pca"],
        pca.U * pca.S,
        labels,
        "Figure 1: PCA (truncated SVD) of the data",
        "principal component 1",
        "principal component 2",
    )
    if U_hat is not None:
        paths["gd"] = figures.scatter_figure(
            out / FIGURES["gd"],
            U_hat,
            labels,
            "Figure 2: gradient-descent factor U_hat",
            "U_hat column 1",
            "U_hat column 2",
        )
    fact, mlp = results["factorisation"], results["mlp"]
    paths["losses"] = figures.loss_figure(
        out / FIGURES["losses"],
        {name: r["losses"] for name, r in fact["engines"].items()},
        fact["svd_loss"],
        {
            f"lr {run['lr']:g}": {name: r["losses"] for name, r in run["engines"].items()}
            for run in mlp["runs"]
        },
        fact["dtype"],
    )
    return {name: str(path) for name, path in paths.items()}
