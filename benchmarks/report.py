"""The report's tables, targets and plots, from the measured timings.

``results`` throughout is a list of ``(case, {impl: Timing})`` in the order they were run.
"""

import math

TARGETS_TEXT = {  # issue 13's targets
    1: [("torch", 0.5), ("numpy", 2.0)],
    3: [("torch", 0.75), ("numpy", 1.6)],
    7: [("torch", 0.8)],
}
SCALE_TARGET = (1024, 2048, 1.1)  # workload 2: tinyad/numpy at these sizes
OP_TARGET = 0.6  # workload 5: tinyad/torch per op
FLAT_TARGET = (100, 10_000, 1.5)  # workload 6: max/min backward time per node over these sizes
DEEP_TARGET = (0.8, 1.3)  # workload 8: tinyad/torch at every size; max/min time per op
DEEP_RANGE = (100, 10_000)  # workload 8: the flatness is measured between these sizes


def fmt_time(seconds):
    if seconds is None or math.isnan(seconds):
        return "-"
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def ratio(timings, over, impl="tinyad"):
    if impl not in timings or over not in timings:
        return None
    return timings[impl].median / timings[over].median


def fmt_ratio(r):
    return "-" if r is None else f"{r:.2f}"


def markdown_table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def timing_table(results, impls):
    """Medians per epoch of every configuration and tinyad's ratios to torch and numpy."""
    header = ["workload", "configuration", *impls, "tinyad / torch", "tinyad / numpy"]
    rows = [[f"{case.workload} {case.title}", case.label,
             *(fmt_time(t[i].median) if i in t else "-" for i in impls),
             fmt_ratio(ratio(t, "torch")), fmt_ratio(ratio(t, "numpy"))]
            for case, t in results]
    return markdown_table(header, rows)


def per_node(results, workload=6):
    """Workloads 6 and 8: {kind: {impl: [(ops, backward seconds per node, epoch seconds per
    node, forward seconds per node)]}}."""
    out = {}
    for case, timings in results:
        if case.workload != workload:
            continue
        kind = case.label.split()[0] if workload == 6 else case.title
        for impl, t in timings.items():
            out.setdefault(kind, {}).setdefault(impl, []).append(
                (case.size, t.backward_median / case.size, t.median / case.size,
                 t.forward_median / case.size))
    return out


def per_node_table(results, impls):
    rows = []
    for kind, by_impl in per_node(results).items():
        for k, (ops, *_) in enumerate(next(iter(by_impl.values()))):
            rows.append([kind, ops] + [
                f"{fmt_time(by_impl[i][k][1])} / {fmt_time(by_impl[i][k][2])}" if i in by_impl
                else "-" for i in impls])
    header = ["graph", "ops"] + [f"{i}: backward / whole, per op" for i in impls]
    return markdown_table(header, rows)


def deep_chain_table(results, impls, collections=None):
    """Workload 8: forward and backward time per op of each implementation, tinyad's ratio to
    torch (forward + backward) and, when given (``{ops: {impl: {generation: per epoch}}}``),
    the garbage collector's collections per epoch."""
    collections = collections or {}
    gc_impls = sorted({i for by_impl in collections.values() for i in by_impl},
                      key=list(impls).index)
    rows = []
    by_size = {case.size: timings for case, timings in results if case.workload == 8}
    for by_impl in per_node(results, workload=8).values():
        for k, (ops, *_) in enumerate(next(iter(by_impl.values()))):
            counts = collections.get(ops, {})
            rows.append([ops] + [
                f"{fmt_time(by_impl[i][k][3])} / {fmt_time(by_impl[i][k][1])}" if i in by_impl
                else "-" for i in impls] + [fmt_ratio(ratio(by_size[ops], "torch"))] + [
                "/".join(f"{counts[i][g]:.3g}" for g in sorted(counts[i])) if i in counts
                else "-" for i in gc_impls])
    header = (["ops"] + [f"{i}: forward / backward, per op" for i in impls] + ["tinyad / torch"]
              + [f"{i}: GCs per epoch" for i in gc_impls])
    return markdown_table(header, rows)


def peers_table(results, impls):
    """Every implementation's median over hand-written numpy's, for the configurations that
    the peers are written for (as the issue's table)."""
    rows = [[f"{case.workload} {case.title}", case.label,
             *(fmt_ratio(ratio(t, "numpy", impl=i)) if i in t else "-" for i in impls)]
            for case, t in results if case.peers]
    return markdown_table(["workload", "configuration", *(f"{i} / numpy" for i in impls)], rows)


def _target(name, measured, limit):
    passed = None if measured is None else measured <= limit
    return {"target": name, "limit": limit, "measured": measured,
            "result": {True: "PASS", False: "MISS", None: "not measured"}[passed]}


def targets(results):
    """Every target of the issue with its measured ratio and PASS/MISS."""
    rows = []
    by_workload = {}
    for case, timings in results:
        by_workload.setdefault(case.workload, []).append((case, timings))
    for w, pairs in TARGETS_TEXT.items():
        for case, timings in by_workload.get(w, [])[:1]:
            for over, limit in pairs:
                rows.append(_target(f"w{w} {case.title}: tinyad / {over} <= {limit}",
                                    ratio(timings, over), limit))
    low, high, limit = SCALE_TARGET
    for case, timings in by_workload.get(2, []):
        if case.size in (low, high):
            rows.append(_target(f"w2 factorisation {case.label}: tinyad / numpy <= {limit}",
                                ratio(timings, "numpy"), limit))
    for case, timings in by_workload.get(5, []):
        rows.append(_target(f"w5 {case.label}: tinyad / torch <= {OP_TARGET}",
                            ratio(timings, "torch"), OP_TARGET))
    deep_limit, deep_flat = DEEP_TARGET
    for case, timings in by_workload.get(8, []):
        rows.append(_target(f"w8 {case.label}: tinyad / torch <= {deep_limit}",
                            ratio(timings, "torch"), deep_limit))
    for kind, by_impl in per_node(results, workload=8).items():
        tinyad = [p for p in by_impl.get("tinyad", []) if DEEP_RANGE[0] <= p[0] <= DEEP_RANGE[1]]
        measured = set(DEEP_RANGE) <= {p[0] for p in tinyad}
        for column, what in ((3, "forward"), (1, "backward")):
            spread = [p[column] for p in tinyad]
            rows.append(_target(f"w8 {kind}: tinyad {what} time per op, max/min over "
                                f"{DEEP_RANGE[0]}-{DEEP_RANGE[1]} ops <= {deep_flat}",
                                max(spread) / min(spread) if measured else None, deep_flat))
    low, high, limit = FLAT_TARGET
    for kind, by_impl in per_node(results).items():
        tinyad = [p for p in by_impl.get("tinyad", []) if low <= p[0] <= high]
        measured = {low, high} <= {p[0] for p in tinyad}
        for column, what in ((1, "backward"), (2, "forward + backward")):
            spread = [p[column] for p in tinyad]
            rows.append(_target(f"w6 {kind}: tinyad {what} time per op, max/min over "
                                f"{low}-{high} ops <= {limit}",
                                max(spread) / min(spread) if measured else None, limit))
    return rows


def targets_table(rows):
    return markdown_table(["target", "measured", "result"],
                          [[r["target"], r.get("shown") or fmt_ratio(r["measured"]), r["result"]]
                           for r in rows])


def memory_table(memory):
    rows = [[m["label"], m["impl"], f"{m['peak_bytes'] / 2**20:.1f} MiB", m["method"]]
            for m in memory.get("peak", [])]
    return markdown_table(["configuration", "implementation", "peak above start", "measured with"],
                          rows)


def flat_memory_text(flat):
    return (f"tinyad, lab factorisation: traced memory {flat['bytes_after_first'] / 1024:.1f} KiB "
            f"after {flat['first']} epochs, {flat['bytes_after_all'] / 1024:.1f} KiB after "
            f"{flat['epochs']} (growth {flat['growth_bytes']:+d} bytes); objects freed by the "
            f"cyclic garbage collector meanwhile: {flat['cyclic_gc_collected']}")


def plot_scaling(results, path):
    """Workload 2: time per epoch against matrix size, log-log, one line per implementation."""
    series = {}
    for case, timings in results:
        if case.workload == 2:
            for impl, t in timings.items():
                series.setdefault(case.dtype, {}).setdefault(impl, []).append(
                    (case.size, t.median * 1e3))
    return _plot(series, path, "matrix size n (n x n, rank 32)", "time per epoch (ms)",
                 "Factorisation: forward + backward + update per epoch")


def plot_per_node(results, path):
    """Workload 6: backward time per node against graph size, one line per implementation."""
    series = {kind: {impl: [(ops, node * 1e6) for ops, node, *_ in points]
                     for impl, points in by_impl.items()}
              for kind, by_impl in per_node(results).items()}
    return _plot(series, path, "ops in the graph", "backward time per op (µs)",
                 "Backward pass: time per node against graph size")


def _plot(series, path, xlabel, ylabel, title):
    if not series:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(series), figsize=(5.5 * len(series), 4.2), squeeze=False)
    for ax, (panel, by_impl) in zip(axes[0], series.items()):
        for impl, points in by_impl.items():
            xs, ys = zip(*points)
            ax.loglog(xs, ys, marker="o", label=impl)
        ax.set(title=panel, xlabel=xlabel, ylabel=ylabel)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return str(path)
