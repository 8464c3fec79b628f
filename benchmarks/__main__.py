"""``python -m benchmarks``: every workload in one process, implementations interleaved.

Prints the machine, the medians per epoch with tinyad's ratios to torch and to hand-written
numpy (and MyGrad's and HIPS autograd's, where installed), peak memory, the flat-memory check
and the issue's targets (PASS/MISS); writes ``results.json``, ``results.md`` and the two plots
to ``--out``.

``python -m benchmarks --check`` instead runs the quick benchmarks of tinyad and numpy,
compares tinyad's time over numpy's with the committed results (``--baseline``) and lists the
configurations that got slower by more than the noise; its exit status is 1 only when a
slowdown is seen again when re-measured (see ``benchmarks/check.py``).
"""

import argparse
import importlib.util
import json
import os
import shlex
import sys
import time
from pathlib import Path

import numpy as np

from . import check, measure, report
from .machine import describe, machine_info, set_threads
from .workloads import (
    DEEP_SIZES,
    ENGINES,
    GRAPH_SIZES,
    IMPLEMENTATIONS,
    PEERS,
    SIZES,
    WORKLOADS,
    cases,
    lab_data,
    lab_factorisation,
    notebook_imports,
    peer_available,
    scale_factorisation,
)

DEFAULT_OUT = Path(__file__).resolve().parent / "out"
DEFAULT_BASELINE = Path(__file__).resolve().parent / "results" / "results.json"
FULL = {"budget": 8.0, "min_rounds": 10, "sample_time": 0.01}
QUICK = {"budget": 0.25, "min_rounds": 3, "sample_time": 0.002, "sizes": (64, 256, 1024),
         "graph_sizes": (100, 1000, 10000), "flat_epochs": 2000}
CHECK = {**QUICK, "budget": 0.5, "min_rounds": 5}  # the quick sizes, more rounds for the spread


METHOD = (
    "One epoch is forward + backward (+ the update for workloads 1-4). For each configuration "
    "the implementations run round-robin in one process, the first one rotating each round, "
    "for at least {min_rounds} rounds and {budget:g} s; a sample averages enough epochs to "
    "last about {sample_time:g} s, and the table shows the median sample. A ratio below 1 "
    "means tinyad is faster. Ratios are of medians measured in this one run.")
PEERS_TEXT = (
    "Each implementation's median over hand-written numpy's, measured in the same rounds, for "
    "the configurations written for MyGrad and HIPS autograd too (`pip install -e '.[peers]'`; "
    "a peer that is not installed shows '-').")
DEEP = (
    "The tanh chain (`y * w`, `y + b`, `tanh(y)` in turn, then `.sum()`; 64 float64 elements) "
    "at each size, timed in a process that has imported what a notebook's has: {imports}; the "
    "cyclic garbage collector then tracked {objects} objects. Each cell: time per op of the "
    "forward / of the backward (including freeing the graph), medians. The last columns: "
    "collections of the cyclic garbage collector per epoch, generations 0/1/2, counted over "
    "3 epochs with `gc.callbacks` (a generation-2 collection walks every object).")

GRAPHS = (
    "Chain: `y = y * c` repeated, then `.sum()`. Fan-in: n/2 products `x * c_i` of one leaf "
    "summed by a balanced tree of additions, then `.sum()`. Each cell: time per op of the "
    "backward alone (including freeing the graph) / of forward + backward.")
MEMORY = (
    "Peak bytes live at once during one epoch (after a warm-up epoch), above what was live at "
    "its start. tinyad and numpy: tracemalloc (numpy reports its array buffers to it; Python "
    "objects count too). torch: the memory timeline of `torch.profiler` with "
    "`profile_memory=True`, as tracemalloc does not see torch's allocator.")


def _ints(text):
    try:
        values = tuple(int(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated integers, got {text!r}") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"expected positive integers, got {text!r}")
    return values


def parse_args(argv):
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true",
                   help="a fast run (well under a minute): fewer sizes, short budgets")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder ({DEFAULT_OUT})")
    p.add_argument("--workloads", type=_ints, default=WORKLOADS,
                   help="which workloads, e.g. 1,3 (default: all eight)")
    p.add_argument("--sizes", type=_ints, help=f"workload 2's matrix sizes (default {SIZES})")
    p.add_argument("--graph-sizes", type=_ints,
                   help=f"workload 6's graph sizes in ops, even numbers (default {GRAPH_SIZES})")
    p.add_argument("--deep-sizes", type=_ints, default=DEEP_SIZES,
                   help=f"workload 8's tanh chain sizes in ops (default {DEEP_SIZES})")
    p.add_argument("--budget", type=float,
                   help=f"seconds of timing per configuration (default {FULL['budget']})")
    p.add_argument("--min-rounds", type=int, help="at least this many rounds per configuration")
    p.add_argument("--memory-size", type=int, default=1024,
                   help="matrix size of the peak-memory measurement (default 1024)")
    p.add_argument("--flat-epochs", type=int,
                   help="epochs of the flat-memory check (default 10000)")
    p.add_argument("--threads", type=int,
                   help="threads for numpy's BLAS and for torch (default: the libraries' own)")
    p.add_argument("--no-memory", action="store_true", help="skip the memory measurements")
    p.add_argument("--check", action="store_true",
                   help="compare a quick run of tinyad and numpy with --baseline and list the "
                        "configurations that got slower than the noise allows; writes nothing")
    p.add_argument("--baseline", type=Path, default=DEFAULT_BASELINE,
                   help=f"the results.json that --check compares with ({DEFAULT_BASELINE})")
    args = p.parse_args(argv)
    preset = {**FULL, "sizes": SIZES, "graph_sizes": GRAPH_SIZES, "flat_epochs": 10_000,
              **(CHECK if args.check else QUICK if args.quick else {})}
    for name, value in preset.items():
        if getattr(args, name, None) is None:
            setattr(args, name, value)
    if any(n % 2 for n in args.graph_sizes) and 6 in args.workloads:
        p.error(f"--graph-sizes must be even (a fan-in graph of n ops has n/2 products), "
                f"got {args.graph_sizes}")
    return args


def implementations():
    """tinyad and numpy always; torch, MyGrad and HIPS autograd when installed."""
    try:
        import tinyad  # noqa: F401
    except ImportError as e:
        sys.exit(f"error: cannot import tinyad ({e}); install the project: pip install -e .")
    available = [i for i in IMPLEMENTATIONS if i != "torch" or importlib.util.find_spec("torch")]
    if len(available) < len(IMPLEMENTATIONS):
        print("torch is not installed: its columns are left empty (pip install -e '.[torch]')")
    missing = [p for p in PEERS if not peer_available(p)]
    if missing:
        print(f"not installed, so not measured: {', '.join(missing)} "
              "(pip install -e '.[peers]')")
    return available + [p for p in PEERS if p not in missing]


def load_1min():
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else None


def run_timings(args, impls, log=None):
    """Time every selected configuration; ``log`` (a dict) receives the 1-minute load average
    after each configuration ("loads") and, before the deep chain, what a notebook's process
    has imported ("notebook")."""
    log = {} if log is None else log
    results = []
    selected = cases(sizes=args.sizes, graph_sizes=args.graph_sizes, workloads=args.workloads,
                     deep_sizes=args.deep_sizes)
    for case in selected:
        if case.workload == 8 and "notebook" not in log:
            imports, objects = notebook_imports()
            log["notebook"] = {"imports": imports, "gc_tracked_objects": objects}
            print("  (before the deep chain, imported "
                  + ", ".join(f"{m} {v}" if v else f"{m}: not installed"
                              for m, v in imports.items())
                  + f"; {objects} objects tracked by the cyclic GC)", flush=True)
        runs = {impl: case.build(impl) for impl in case.implementations(impls)}
        timings = measure.compare(runs, budget=args.budget, min_rounds=args.min_rounds,
                                  sample_time=args.sample_time,
                                  split=case.workload in (6, 8))
        del runs
        if case.workload == 8:  # why the time per op grows: the cyclic collector at work
            log.setdefault("gc", {})[case.size] = {
                impl: measure.gc_collections(case.build(impl))
                for impl in ENGINES if impl in impls}
        results.append((case, timings))
        log.setdefault("loads", []).append(load_1min())
        cells = "  ".join(f"{impl} {report.fmt_time(t.median):>9}" for impl, t in timings.items())
        print(f"  {case.group:<52} {cells}  tinyad/torch "
              f"{report.fmt_ratio(report.ratio(timings, 'torch'))}  tinyad/numpy "
              f"{report.fmt_ratio(report.ratio(timings, 'numpy'))}", flush=True)
    return results


def load_text(start, loads, end):
    """The 1-minute load average at the start, during (min-max after each configuration) and
    at the end of the run."""
    during = [x for x in loads if x is not None]
    return (f"load average (1 min): {start:.2f} at start, "
            + (f"{min(during):.2f}-{max(during):.2f} during (after each configuration), "
               if during else "")
            + f"{end:.2f} at end, on {os.cpu_count()} cores")


def run_memory(args, impls):
    peak = []
    for dtype in ("float32", "float64"):
        for impl in impls:
            run = scale_factorisation(impl, args.memory_size, np.dtype(dtype))
            if impl == "torch":
                value, method = measure.peak_torch_profiler(run), "torch.profiler memory timeline"
            else:
                value, method = measure.peak_tracemalloc(run), "tracemalloc"
            peak.append({"label": f"factorisation n={args.memory_size} rank 32 {dtype}",
                         "impl": impl, "peak_bytes": value, "method": method})
    flat = measure.memory_growth(lab_factorisation("tinyad"), epochs=args.flat_epochs)
    return {"peak": peak, "flat": flat}


def flat_target(flat):
    limit = measure.FLAT_SLACK_BYTES
    ok = flat["growth_bytes"] <= limit and flat["cyclic_gc_collected"] == 0 and flat["finite"]
    return {"target": f"tinyad memory flat over {flat['epochs']} lab-factorisation epochs "
                      f"(growth <= {limit // 1024} KiB, no cyclic garbage)",
            "limit": limit, "measured": flat["growth_bytes"], "result": "PASS" if ok else "MISS",
            "shown": f"{flat['growth_bytes']:+d} bytes, {flat['cyclic_gc_collected']} cyclic"}


def main(argv=None):
    args = parse_args(argv)
    started = time.perf_counter()
    if args.threads is not None:
        set_threads(args.threads)
    info = machine_info()
    if args.check:
        return check.main(args, info, run_timings, load_text)
    impls = implementations()
    print(describe(info))
    if info["load_average_at_start"] and info["load_average_at_start"][0] > 0.5:
        print(f"warning: the load average is {info['load_average_at_start'][0]:.2f}: other "
              "processes are running, and they will distort these timings")
    print(f"data for workloads 1 and 3: {lab_data()[3]}")
    print(f"\ntiming ({'quick' if args.quick else 'full'} run: {args.budget:g} s per "
          f"configuration, at least {args.min_rounds} rounds, implementations interleaved)",
          flush=True)
    log = {}
    results = run_timings(args, impls, log)
    memory = None if args.no_memory else run_memory(args, impls)
    target_rows = report.targets(results) + ([flat_target(memory["flat"])] if memory else [])

    args.out.mkdir(parents=True, exist_ok=True)
    plots = [report.plot_scaling(results, args.out / "factorisation_scaling.png"),
             report.plot_per_node(results, args.out / "graph_scaling.png")]
    info["load_average_at_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    info["load_average_during"] = log.get("loads", [])
    info["notebook_imports"] = log.get("notebook")
    info["deep_chain_gc_collections"] = log.get("gc")
    command = shlex.join(["python", "-m", "benchmarks", *(sys.argv[1:] if argv is None else argv)])
    sections = [
        "## Machine\n\n" + "\n".join(f"- {line}" for line in describe(info).splitlines())
        + f"\n- load average at end: {', '.join(f'{x:.2f}' for x in info['load_average_at_end'])}"
        + "\n- " + load_text(info["load_average_at_start"][0], log.get("loads", []),
                             info["load_average_at_end"][0])
        + f"\n- command: `{command}`",
        "## Median time per epoch\n\n" + METHOD.format(**vars(args)) + "\n\n"
        + report.timing_table(results, impls),
    ]
    if any(case.peers for case, _ in results) and any(p in impls for p in PEERS):
        sections.append("## Against other eager engines\n\n" + PEERS_TEXT + "\n\n"
                        + report.peers_table(results, impls))
    if any(case.workload == 6 for case, _ in results):
        sections.append("## Graph size: time per op\n\n" + GRAPHS + "\n\n"
                        + report.per_node_table(results, impls))
    if any(case.workload == 8 for case, _ in results):
        notebook = log["notebook"]
        imports = ", ".join(f"{m} {v}" if v else f"{m} (not installed)"
                            for m, v in notebook["imports"].items())
        sections.append("## Deep chain: time per op\n\n"
                        + DEEP.format(imports=imports, objects=notebook["gc_tracked_objects"])
                        + "\n\n" + report.deep_chain_table(results, impls, log.get("gc")))
    if memory:
        sections.append("## Memory\n\n" + MEMORY + "\n\n" + report.memory_table(memory) + "\n\n"
                        + report.flat_memory_text(memory["flat"]))
    sections.append("## Targets\n\n" + report.targets_table(target_rows))
    markdown = "\n\n".join(sections) + "\n"
    print("\n" + markdown)

    (args.out / "results.md").write_text(markdown, encoding="utf-8")
    settings = {k: (list(v) if isinstance(v, tuple) else v) for k, v in vars(args).items()
                if k not in ("out", "baseline", "check")}
    payload = {
        "machine": info, "settings": settings, "implementations": impls,
        "lab_data": lab_data()[3],
        "results": [{"workload": c.workload, "title": c.title, "label": c.label, "size": c.size,
                     "dtype": c.dtype, "timings": {i: t.summary() for i, t in ts.items()},
                     "tinyad_over_torch": report.ratio(ts, "torch"),
                     "tinyad_over_numpy": report.ratio(ts, "numpy"),
                     "tinyad_over_numpy_rounds": measure.ratio_summary(ts)}
                    for c, ts in results],
        "memory": memory, "targets": target_rows, "plots": [p for p in plots if p],
        "seconds": time.perf_counter() - started,
    }
    (args.out / "results.json").write_text(json.dumps(payload, indent=1), encoding="utf-8")
    print(f"wrote {args.out / 'results.json'}, {args.out / 'results.md'}"
          + "".join(f", {p}" for p in plots if p)
          + f" in {payload['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
