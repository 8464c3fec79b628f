"""Render the results of :func:`lab2.run.run` as plain text or as Markdown.

Both formats come from one description of the report (:func:`sections`): a list of sections,
each a title and blocks, where a block is a paragraph (str), a table or a figure.
"""

import statistics
from pathlib import Path
from typing import NamedTuple


class Table(NamedTuple):
    header: tuple
    rows: list


class Figure(NamedTuple):
    caption: str
    path: str


def _loss(x):
    if x is None:
        return "-"
    return f"{x:.6f}" if 1e-3 <= abs(x) < 1e6 else f"{x:.4e}"


def _gap(percent):
    if percent is None:
        return "-"
    return f"{percent:.4f} %" if abs(percent) < 1e4 else f"{percent:.3e} %"


def _pct(x):
    return "-" if x is None else f"{100 * x:.1f} %"


def _time(seconds):
    return f"{seconds * 1e6:.0f} us" if seconds < 1e-3 else f"{seconds * 1e3:.2f} ms"


def _stats(s):
    if not s["n"]:
        return "-"
    return f"{_pct(s['mean'])} ± {100 * s['std']:.1f} [{100 * s['min']:.0f}, {100 * s['max']:.0f}]"


def _agreement(agree, what):
    if agree is None:
        return f"Only one engine ran, so there is no agreement between engines to report ({what})."
    a, b = agree["engines"]
    if not agree["epochs_compared"]:
        return f"{a} and {b}: no epoch completed on both, nothing to compare ({what})."
    if agree["max_relative_difference"] == 0:
        return (f"{a} vs {b} ({what}): the per-epoch losses are identical "
                f"({agree['epochs_compared']} epochs compared).")
    return (
        f"{a} vs {b} ({what}): largest relative difference in the per-epoch loss "
        f"{agree['max_relative_difference']:.2e} (epoch {agree['epoch']}; "
        f"{agree['epochs_compared']} epochs compared)."
    )


def _first(r):
    return r["losses"][0] if r["losses"] else None


def _epochs(r, planned):
    if r["diverged_at"] is None:
        return str(r["epochs_run"])
    return f"{r['epochs_run']} of {planned} (diverged at {r['diverged_at']})"


SAME_SUBSPACE_DEG = 1.0  # principal angles below this count as "the same subspace"
ORTHOGONAL_DEG = 1.0  # column angles within this of 90 count as orthogonal
SAME_SHARE = 0.01  # variance shares within this of PCA's count as PCA's ordered axes


def _pca_verdict(pca):
    """What the numbers say, in words: the subspace, and the axes within it."""
    worst = max(pca["principal_angles_deg"])
    if worst < SAME_SUBSPACE_DEG:
        found = "Gradient descent found PCA's subspace"
    else:
        found = (
            f"Gradient descent has not found PCA's subspace (largest principal angle "
            f"{worst:.3g}°; more epochs may help)"
        )
    if not pca["u_hat_column_angles_deg"]:
        return found + "; with one axis there is no question of orthogonality or order."
    orthogonal = all(abs(a - 90) < ORTHOGONAL_DEG for a in pca["u_hat_column_angles_deg"])
    ordered = all(abs(g - p) < SAME_SHARE for g, p in zip(pca["share_gd"], pca["share_pca"]))
    return (
        f"{found}; its axes are {'' if orthogonal else 'not '}orthogonal and "
        f"{'carry' if ordered else 'do not carry'} PCA's ordered variances."
    )


def _pca_blocks(pca, fact):
    if pca is None:
        return ["Skipped: gradient descent diverged, so there is no U_hat to compare."]
    angles = ", ".join(f"{a:.3g}°" for a in pca["principal_angles_deg"])
    blocks = [
        f"Principal angles between span(U_hat) (from {fact['u_hat_from']}) and the top-"
        f"{fact['rank']} left singular subspace: {angles} (0 means the same subspace)."
    ]
    if pca["u_hat_column_angles_deg"]:
        cols = ", ".join(f"{a:.1f}°" for a in pca["u_hat_column_angles_deg"])
        blocks.append(f"Angles between U_hat's columns: {cols} (PCA's axes are at 90°).")
    rows = zip(pca["variance_pca"], pca["share_pca"], pca["variance_gd"], pca["share_gd"])
    blocks += [
        Table(
            ("axis", "PCA variance", "PCA share", "U_hat variance", "U_hat share"),
            [
                (str(i), f"{vp:.4f}", _pct(sp), f"{vg:.4f}", _pct(sg))
                for i, (vp, sp, vg, sg) in enumerate(rows, start=1)
            ],
        ),
        _pca_verdict(pca),
    ]
    return blocks


def sections(results):
    """The report as [(title, [blocks])]."""
    d, fact, pca, mlp = results["data"], results["factorisation"], results["pca"], results["mlp"]
    figs = results.get("figures", {})
    intro = [
        f"Engines: {', '.join(results['engines'])}.",
        f"Data: {d['source']} ({d['path']}): {d['rows']} rows, {d['features']} features, "
        f"{len(d['classes'])} classes; {d['train_rows']} train / {d['val_rows']} validation "
        "rows after the lab's shuffle; MLP features are (x - mean) / variance, as the lab "
        "normalises them (the unbiased variance, not the standard deviation).",
    ]
    intro += [f"Note: {note}" for note in results["notes"]]
    intro += [f"DIVERGED: {message}" for message in results["diverged"]]

    m, n = fact["shape"]
    part1 = [
        f"{m}x{n} centred matrix in {fact['dtype']}, rank {fact['rank']}, {fact['epochs']} "
        f"epochs, lr {fact['lr']:g}; U and V uniform in [0, 1) from seed {fact['seed']}, the "
        "same for every engine.",
        f"Truncated SVD loss (best possible at rank {fact['rank']}): {_loss(fact['svd_loss'])}",
        Table(
            ("engine", "epoch-1 loss", "final loss", "above SVD", "epochs", "time/epoch"),
            [
                (
                    name,
                    _loss(_first(r)),
                    _loss(r["final_loss"]),
                    _gap(r["gap_to_svd_percent"]),
                    _epochs(r, fact["epochs"]),
                    _time(r["seconds_per_epoch"]),
                )
                for name, r in fact["engines"].items()
            ],
        ),
        _agreement(fact["agreement"], fact["dtype"]) + _dtype_remark(fact),
        *_factorisation_sweep_blocks(fact),
    ]

    part1b = _second_order_blocks(results["second_order"], fact)
    part2 = _pca_blocks(pca, fact)
    part2 += [
        Figure(caption, figs[key])
        for key, caption in (
            ("pca", "Figure 1: PCA (truncated SVD)"),
            ("gd", "Figure 2: gradient descent U_hat"),
        )
        if key in figs
    ]

    sweep = mlp["sweep"]
    seeds = sweep["seeds"]
    part3 = [
        f"{mlp['architecture']} MLP, cross-entropy, full-batch gradient descent, "
        f"{mlp['epochs']} epochs, float32, weights from seed {mlp['seed']} (the same for every "
        f"engine). {BIAS_TEXT[mlp['bias']]}",
        Table(
            (
                "lr",
                "engine",
                "epoch-1 loss",
                "final loss",
                "train acc",
                "val acc",
                "epochs",
                "time/epoch",
            ),
            [
                (
                    f"{run['lr']:g}",
                    name,
                    _loss(_first(r)),
                    _loss(r["final_loss"]),
                    _pct(r["train_accuracy"]),
                    _pct(r["val_accuracy"]),
                    _epochs(r, mlp["epochs"]),
                    _time(r["seconds_per_epoch"]),
                )
                for run in mlp["runs"]
                for name, r in run["engines"].items()
            ],
        ),
    ]
    for run in mlp["runs"]:
        text = _agreement(run["agreement"], f"lr {run['lr']:g}, float32")
        if run["agreement"] is not None:
            text += (
                " Same accuracies."
                if run["agreement"]["same_accuracies"]
                else " The accuracies DIFFER."
            )
        part3.append(text)
    part3 += [
        f"Over {len(seeds)} seeds ({seeds[0]}-{seeds[-1]}): accuracy mean ± sd [min, max], in %.",
        Table(
            ("lr", "engine", "train acc", "val acc", "diverged", "time/epoch"),
            [
                (
                    f"{s['lr']:g}",
                    name,
                    _stats(e["train"]),
                    _stats(e["val"]),
                    str(e["diverged"]),
                    _time(e["seconds_per_epoch"]),
                )
                for s in sweep["by_lr"]
                for name, e in s["engines"].items()
            ],
        ),
    ]
    for s in sweep["by_lr"]:
        if s["seeds_with_different_accuracies"] is not None:
            part3.append(
                f"lr {s['lr']:g}: the engines' accuracies differ for "
                f"{s['seeds_with_different_accuracies']} of {len(seeds)} seeds."
            )
    if "losses" in figs:
        part3.append(Figure("Figure 3: loss per epoch", figs["losses"]))

    report = [("lab2: the PyTorch Autograd lab on tinyad and torch", intro)]
    if results.get("student"):
        report.append(("The student's report vs this run", _student_blocks(results["student"])))
    report += [
        ("1. Factorisation by gradient descent vs truncated SVD", part1),
        ("1b. Second order: Newton's method with Hessian-vector products", part1b),
        ("2. Compared with PCA", part2),
        ("3. MLP", part3),
    ]
    if results.get("mlp_nn"):
        report.append(("3b. The MLP with nn.Linear, nn.CrossEntropyLoss and optim.SGD",
                       _nn_blocks(results["mlp_nn"])))
    if results.get("explain"):
        report.append(("4. Inside the backward pass (--explain)", _explain_blocks(results)))
    return report


BIAS_TEXT = {
    "per-unit": "One bias per unit (b1 of 12, b2 of one per class), as the student's report "
    "initialises them; --bias scalar gives one per layer, as another version of the lab's "
    "template has it.",
    "scalar": "One scalar bias per layer, shared by its units, as one version of the lab's "
    "template has it (--bias scalar); the student's report has one per unit, lab2's default.",
}


MATCH_RTOL = 1e-5  # loss curves this close are the same run up to float32 rounding


def _nn_matches(e):
    """Whether an engine's nn run is its hand-written run: as many epochs, losses within
    MATCH_RTOL, the same accuracies."""
    worst = e["loss_agreement"]["max_relative_difference"]
    return (
        e["nn"]["epochs_run"] == e["hand_written"]["epochs_run"]
        and (worst is None or worst <= MATCH_RTOL)
        and e["same_accuracy"]
    )


def _nn_blocks(nn):
    """Part 3b: the nn + optim version of each part-3 run against the hand-written one."""
    layers = (
        "nn.Linear layers (hidden.weight holds W1.T, out.weight W2.T; their biases are b1 and b2)"
        if nn["bias"] == "per-unit"
        else "nn.Linear(..., bias=False) layers (hidden.weight holds W1.T, out.weight W2.T) "
        "and the two scalar biases as nn.Parameter"
    )
    pairs = [(run["lr"], name, e) for run in nn["runs"] for name, e in run["engines"].items()]
    rows = []
    for lr, name, e in pairs:
        r, agree = e["nn"], e["loss_agreement"]
        worst = agree["max_relative_difference"]
        if worst is None:
            versus = "-"
        elif worst == 0:
            versus = "0 (identical)"
        else:
            versus = f"{worst:.2e} (epoch {agree['epoch']})"
        rows.append((
            f"{lr:g}", name, _loss(r["final_loss"]), _pct(r["train_accuracy"]),
            _pct(r["val_accuracy"]), _epochs(r, nn["epochs"]), _time(r["seconds_per_epoch"]),
            versus, "same" if e["same_accuracy"] else "DIFFER",
        ))
    blocks = [
        f"Part 3's {nn['architecture']} MLP as torch users usually write it: {layers}, "
        "nn.CrossEntropyLoss and optim.SGD (optimizer.zero_grad(), loss.backward(), "
        f"optimizer.step()), {nn['epochs']} epochs from the same weights as part 3 (seed "
        f"{nn['seed']}), on each engine; part 3's hand-written updates (p -= lr * p.grad) stay "
        "the lab's default. The last two columns compare it with the hand-written run on the "
        "same engine: the largest relative difference in the per-epoch loss, and the "
        "accuracies.",
        Table(
            ("lr", "engine", "final loss", "train acc", "val acc", "epochs", "time/epoch",
             "loss vs hand-written", "accuracies"),
            rows,
        ),
    ]
    differ = [f"lr {lr:g} on {name}" for lr, name, e in pairs if not _nn_matches(e)]
    if differ:
        blocks.append(
            f"The nn version does NOT match the hand-written one at {', '.join(differ)}: a "
            f"different number of epochs, losses more than {MATCH_RTOL:g} relative apart, or "
            "different accuracies."
        )
    else:
        worst = max((e["loss_agreement"]["max_relative_difference"] or 0.0) for *_, e in pairs)
        losses = "are identical" if worst == 0 else f"agree to within {worst:.2e} relative"
        blocks.append(
            "The nn version matches the hand-written one on every engine and lr: the per-epoch "
            f"losses {losses}, and the accuracies are the same."
        )
    blocks += [
        _agreement(run["nn_across_engines"], f"nn version, lr {run['lr']:g}, float32")
        for run in nn["runs"]
        if "nn_across_engines" in run
    ]
    return blocks


def _dtype_remark(fact):
    if fact["agreement"] is None:
        return ""
    if fact["agreement"]["max_relative_difference"] == 0:
        return (
            f" The engines compute the same {fact['dtype']} numbers in every epoch (tinyad adds "
            "its sums in torch's order)."
        )
    if fact["dtype"] == "float32":
        return (
            " In float32 the engines round differently (their matrix products sum in "
            "different orders), which is what a student sees; --dtype float64 shows them "
            "agreeing to rounding."
        )
    return " In float64 the engines agree to rounding."


def _factorisation_sweep_blocks(fact):
    sweep = fact["sweep"]
    seeds = sweep["seeds"]
    rows = []
    for s in sweep["by_rank"]:
        for name, e in s["engines"].items():
            finals = [v for v in e["final_losses"] if v is not None]
            if finals:
                cells = (
                    _loss(statistics.median(finals)),
                    f"[{_loss(min(finals))}, {_loss(max(finals))}]",
                )
            else:
                cells = ("-", "-")
            rows.append((str(s["rank"]), name, *cells, str(e["diverged"])))
    blocks = [
        f"Final loss after {fact['epochs']} epochs from {len(seeds)} seeds "
        f"({seeds[0]}-{seeds[-1]}):",
        Table(("rank", "engine", "median", "[min, max]", "diverged"), rows),
    ]
    gaps = [
        (s["rank"], s["max_relative_difference_between_engines"])
        for s in sweep["by_rank"]
        if s["max_relative_difference_between_engines"] is not None
    ]
    if gaps:
        a, b = sweep["engines"][:2]
        blocks.append(
            f"{a} vs {b}, seed by seed: final losses differ by at most "
            + ", ".join(f"{gap:.2e} relative at rank {rank}" for rank, gap in gaps)
            + "."
        )
    return blocks


def _student_value(row, x):
    if x is None:
        return "-"
    if row["key"].startswith("mlp"):
        return _pct(x)
    if row["kind"] == "exact":
        return f"{x:.9g}"
    return _loss(x)


def _student_blocks(st):
    seeds = st["seeds"]
    over = f"over {len(seeds)} seeds: median [min, max]"
    rows = []
    for row in st["rows"]:
        value = lambda x, row=row: _student_value(row, x)  # noqa: E731
        if row["kind"] == "exact":
            spread = "no randomness"
            where = f"{row['float32_ulps']:.2g} float32 ulps apart"
        elif row["kind"] == "noise":
            spread = "no randomness"
            where = "both rounding noise (exactly 0 in exact arithmetic)"
        elif not row["n"]:
            spread = "every run diverged" if row["seed"] is not None else "not run"
            where = "-"
        else:
            spread = f"{value(row['median'])} [{value(row['min'])}, {value(row['max'])}]"
            where = f"percentile {row['percentile']:.0f}"
        rows.append((row["figure"], value(row["student"]), value(row["this_run"]), spread, where))
    blocks = [
        "Each figure of the student's report beside this run's. The truncated SVD's loss has no "
        "randomness and must match; the other figures depend on the random start, which the "
        "student drew with torch and lab2 draws with numpy (so that the engines start alike), "
        f"so each is placed among lab2's runs from {len(seeds)} seeds ({seeds[0]}-{seeds[-1]}, "
        f"{st['engine']}): the student's value's percentile among them (ties count half; 50 "
        "is typical, 0 or 100 is outside the range).",
        Table(
            ("figure", "the student", f"this run (seed {seeds[0]})", over, "the student's value"),
            rows,
        ),
    ]
    blocks += [f"Not like for like: {note}." for note in st["notes"]]
    return blocks


def _second_order_blocks(so, fact):
    hvp = so["hvp_vs_torch"]
    agree = ("torch is not installed, so they are not compared" if hvp is None else
             f"they agree with torch's double backward to {hvp:.2g} relative")
    newton_runs = len(so["newton_losses"]) - 1

    def reached(n, total, unit):
        return f"not within {total} {unit}" if n is None else str(n)

    return [
        "tinyad.func.hvp gives the product of the loss's Hessian with a direction by "
        f"differentiating the gradient once more (create_graph=True); {agree}. Damped Newton "
        "from the same U and V, each step solved by conjugate gradients on Hessian-vector "
        f"products ({so['newton_hvps']} in {newton_runs} iterations), against gradient descent "
        f"at lr {fact['lr']:g} ({so['gd_from']}):",
        Table(
            ("within the SVD loss by", "Newton iterations", "gradient descent epochs"),
            [
                (
                    f"{r['rtol']:g} relative",
                    reached(r["newton_iterations"], newton_runs, "iterations"),
                    reached(r["gd_epochs"], fact["epochs"], "epochs"),
                )
                for r in so["reach"]
            ],
        ),
    ]


def _shape(shape):
    return "-" if shape is None else str(tuple(shape))


def _explain_blocks(results):
    ex = results["explain"]
    blocks = [
        f"Epoch 1 of the factorisation on {ex['engine']} (loss {_loss(ex['loss'])}), from the "
        "same U and V as above. The graph of its loss: tensors are boxes (the parameters U and "
        "V, which require grad, with their gradients after backward), ops are ellipses, arrows "
        "follow the data. The centred data matrix needs no gradient, so it is not in the graph."
    ]
    if ex["graph_svg"]:
        blocks.append(Figure("Figure 4: the factorisation's computation graph", ex["graph_svg"]))
    else:
        blocks.append(f"Note: {ex['note']}")
    blocks.append(f"The graph as DOT text: {Path(ex['graph_dot']).name}, beside this report.")
    blocks.append(
        "The backward pass of that epoch, step by step, in the order the reverse sweep ran: "
        "each op with the shapes of its inputs, of the gradient flowing in and of the gradients "
        "flowing out, and the time its backward took."
    )
    blocks.append(
        Table(
            ("step", "op", "input shapes", "grad in", "grad out", "time"),
            [
                (
                    str(k),
                    step["op"],
                    ", ".join(_shape(x) for x in step["input_shapes"] if x is not None),
                    _shape(step["grad_in"]),
                    ", ".join(_shape(g) for g in step["grad_out"] if g is not None),
                    _time(step["seconds"]),
                )
                for k, step in enumerate(ex["trace"], 1)
            ],
        )
    )
    return blocks


def _text_table(table):
    cells = [table.header, *table.rows]
    widths = [max(len(str(row[i])) for row in cells) for i in range(len(table.header))]
    return "\n".join(
        "  " + "  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells
    )


def _render(results, heading, table, figure):
    """Walk :func:`sections`, turning each block into lines with the given functions."""
    out = []
    for level, (title, blocks) in enumerate(sections(results)):
        out += heading(level, title)
        for block in blocks:
            if isinstance(block, Table):
                out += table(block)
            elif isinstance(block, Figure):
                out += figure(block)
            else:
                out += heading(None, block)
        out.append("")
    return "\n".join(out)


def text(results):
    """The report as plain text for a terminal."""
    return _render(
        results,
        heading=lambda level, line: [line] if level is None else [line, "=" * len(line)],
        table=lambda t: [_text_table(t)],
        figure=lambda f: [f"{f.caption}: {f.path}"],
    )


def _markdown_table(t):
    rows = [t.header, ["---"] * len(t.header), *t.rows]
    return ["\n".join("| " + " | ".join(row) + " |" for row in rows), ""]


def markdown(results):
    """The report as Markdown; figures are embedded by file name (the report sits beside them)."""
    return _render(
        results,
        heading=lambda level, line: (
            [line, ""] if level is None else [("#" if level == 0 else "##") + " " + line, ""]
        ),
        table=_markdown_table,
        figure=lambda f: [f"![{f.caption}]({Path(f.path).name})", ""],
    )
