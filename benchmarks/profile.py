"""``python -m benchmarks.profile CASE``: where an implementation's time goes, with cProfile.

CASE picks configurations by a piece of their name, as the report prints them (for example
``"lab factorisation"``, ``"n=1024 rank 32 float64"``, ``"chain 10000"``). For each it prints
the wall time per epoch of forward, backward and update measured without the profiler, then
cProfile's functions by own time with microseconds per epoch.
"""

import argparse
import cProfile
import pstats
import sys
import time

from .workloads import IMPLEMENTATIONS, cases


def phases(run, epochs):
    """Mean seconds per epoch of the forward and of the backward (with the update)."""
    forward = backward = 0.0
    for _ in range(epochs):
        t0 = time.perf_counter()
        saved = run.forward()
        t1 = time.perf_counter()
        run.backward(saved)
        saved = None
        t2 = time.perf_counter()
        forward += t1 - t0
        backward += t2 - t1
    return forward / epochs, backward / epochs


def profile(run, epochs, top):
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(epochs):
        run.step()
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    rows = sorted(stats.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    print(f"{'own µs/epoch':>13} {'total µs/epoch':>15} {'calls/epoch':>12}  function")
    for (path, line, name), (_, calls, own, total, _) in rows:
        where = f"{'/'.join(path.rsplit('/', 2)[-2:])}:{line}"
        print(f"{own / epochs * 1e6:13.2f} {total / epochs * 1e6:15.2f} {calls / epochs:12.1f}  "
              f"{name} ({where})")


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("case", help="a piece of the configurations' names, e.g. 'lab MLP'")
    p.add_argument("--impl", choices=IMPLEMENTATIONS, default="tinyad")
    p.add_argument("--epochs", type=int, default=1000)
    p.add_argument("--top", type=int, default=15, help="functions to show (default 15)")
    args = p.parse_args(argv)
    chosen = [c for c in cases() if args.case in c.group]
    if not chosen:
        p.error(f"no configuration matches {args.case!r}; names look like "
                f"{cases()[0].group!r}")
    for case in chosen:
        run = case.build(args.impl)
        for _ in range(3):
            run.step()
        fwd, bwd = phases(run, args.epochs)
        print(f"\n{case.group} [{args.impl}]: forward {fwd * 1e6:.1f} µs, backward (+ update) "
              f"{bwd * 1e6:.1f} µs per epoch without the profiler; under cProfile:")
        profile(run, args.epochs, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
