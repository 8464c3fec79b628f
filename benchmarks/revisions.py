"""``python -m benchmarks.revisions REV [REV ...]``: the lab's epochs (or any benchmarked
configuration) on tinyad as it was at each git revision, timed in turns.

Each revision's ``tinyad/`` is extracted (``git archive``) into a temporary folder and run, in a
process of its own, on this checkout's workload definitions, so only the engine differs. The
processes take turns (round-robin, ``--rounds`` times), each reporting the best of 7 blocks of
``--epochs`` epochs; the table gives, per revision, the minimum and the median over the rounds
and the ratio of its minimum to the first revision's. ``--workloads`` names the lab's epochs
(``lab_factorisation``, ``lab_mlp``) or pieces of configurations' names as ``python -m
benchmarks`` prints them (``"n=2048 rank 32 float32"``, ``"wide MLP"``, ``"per-op overhead"``):
each configuration that matches is timed, in blocks of about 0.1 s. For figures you report,
pin the processes and unset the variables that slow numpy here::

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 \\
        taskset -c 1 python -m benchmarks.revisions 0753c21 HEAD
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

from .report import fmt_time

ROOT = Path(__file__).resolve().parents[1]
WORKLOADS = ("lab_factorisation", "lab_mlp")

_TIMER = """
import json, sys, time
import benchmarks.workloads as W, tinyad
assert tinyad.__file__.startswith(sys.argv[1]), tinyad.__file__
runs = {}  # name -> (Run, epochs per block)
for name in sys.argv[3].split(","):
    if name in sys.argv[4].split(","):  # (the lab's epochs, by their functions' names)
        runs[name] = getattr(W, name)("tinyad"), int(sys.argv[2])
    else:  # (configurations by a piece of their names: blocks of about 0.1 s)
        for case in W.cases():
            if name in case.group:
                run = case.build("tinyad")
                start = time.perf_counter()
                run.step()
                runs[case.group] = run, max(1, round(0.1 / (time.perf_counter() - start)))
times = {}
for name, (run, epochs) in runs.items():
    for _ in range(min(100, 3 * epochs)):
        run.step()
    blocks = []
    for _ in range(7):
        start = time.perf_counter()
        for _ in range(epochs):
            run.step()
        blocks.append((time.perf_counter() - start) / epochs)
    times[name] = min(blocks)
print(json.dumps(times))
"""


def extract(rev, folder):
    """tinyad/ as it was at ``rev``, into ``folder``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "tinyad"],
                             capture_output=True, check=False)
    if archive.returncode:
        sys.exit(f"benchmarks.revisions: cannot read tinyad/ at {rev!r}: "
                 f"{archive.stderr.decode().strip()}")
    folder.mkdir()
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(folder, filter="data")


def time_once(folder, epochs, workloads):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)])}
    out = subprocess.run([sys.executable, "-c", _TIMER, str(folder), str(epochs),
                          ",".join(workloads), ",".join(WORKLOADS)], env=env, cwd=folder,
                         capture_output=True, text=True, check=False)
    if out.returncode:
        sys.exit(f"benchmarks.revisions: the run on {folder.name} failed:\n{out.stderr}")
    return json.loads(out.stdout)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.revisions",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("revisions", nargs="+", help="git revisions (the first is the base)")
    parser.add_argument("--rounds", type=int, default=5, help="turns per revision (5)")
    parser.add_argument("--epochs", type=int, default=1000, help="epochs per block (1000)")
    parser.add_argument("--workloads", default=",".join(WORKLOADS),
                        help=f"comma-separated: {', '.join(WORKLOADS)} (the default), or pieces "
                             f"of configurations' names as `python -m benchmarks` prints them")
    args = parser.parse_args(argv)
    workloads = args.workloads.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        folders = []
        for i, rev in enumerate(args.revisions):
            folders.append(Path(tmp) / f"{i}-{rev.replace('/', '_')}")
            extract(rev, folders[-1])
        times = {rev: {} for rev in args.revisions}
        for _ in range(args.rounds):
            for rev, folder in zip(args.revisions, folders):
                for w, t in time_once(folder, args.epochs, workloads).items():
                    times[rev].setdefault(w, []).append(t)
    names = list(times[args.revisions[0]])
    if not names:
        sys.exit(f"benchmarks.revisions: no workload or configuration matches {args.workloads!r}")
    print(f"load average during the run: {os.getloadavg()[0]:.2f}; {args.rounds} rounds, "
          f"best of 7 blocks of {args.epochs} epochs each (of configurations: about 0.1 s)")
    print("| workload | revision | min | median | min / first's |")
    print("|---|---|---|---|---|")
    for w in names:
        base = min(times[args.revisions[0]][w])
        for rev in args.revisions:
            ts = times[rev][w]
            print(f"| {w} | {rev} | {fmt_time(min(ts))} | {fmt_time(statistics.median(ts))} | "
                  f"{min(ts) / base:.3f} |")


if __name__ == "__main__":
    main()
