"""``python -m benchmarks --check``: has tinyad got slower than the committed results say?

Absolute times are not compared: this machine's speed has been seen to swing 1.8x from one run
to the next. What is compared, configuration by configuration, is tinyad's time over the
hand-written numpy's, both measured in the same run, round-robin: in each round tinyad and numpy
run one after the other, so a change of the machine's speed between rounds cancels out of that
round's ratio.

How the noise is estimated, and what counts as slower:

* timing noise on a shared machine is one-sided: another process can only add time to a sample.
  So the main measure is the **ratio of the minima** (tinyad's fastest sample over numpy's
  fastest), and its noise is estimated from **interleaved repeats**: the rounds are dealt into
  3 blocks (rounds 0, 3, 6..., then 1, 4, 7..., then 2, 5, 8...), each block gives its own ratio
  of minima, and the spread is (largest - smallest) / 2 over their median;
* the **median** of the per-round ratios must move past the same threshold: a single lucky
  sample cannot make a verdict, and where the garbage collector runs in some epochs and not in
  others (the large graphs) the minimum is the lucky epoch and the median tells what is usual;
* the threshold is ``max(floor, SPREAD_FACTOR * (spread now + spread committed))``, where the
  floor is ``FLOOR``, or ``LOADED_FLOOR`` when the load average exceeded the number of cores
  during the run: on a loaded machine the interpreter-bound tinyad and the kernel-bound numpy
  slow down by different factors (their ratio of minima was seen to move by up to 30 % with
  a load of 5 on 2 cores, with no change to the code). Results committed before the blocks
  were recorded have no spread of their own: this run's stands in for it;
* a configuration is **slower** when its ratio of minima and its median ratio both grew by
  more than the threshold (**faster** when both shrank by that factor). Every slower one is
  then measured again, longer (``CONFIRM``), and it is a **regression** only if it is slower
  again;
* the exit status is 1 when there is a regression and the load stayed at or below the number
  of cores throughout; 0 otherwise (2 when there is nothing to compare). Above that load, the
  same code measured against its own committed results was called slower by up to 2x in the
  BLAS-bound configurations (n=1024) and the largest graphs, so no verdict of a loaded run is
  clear: its slowdowns are listed, and the run should be repeated when the machine is quieter.

Configurations that the committed results do not have are listed as new, without a verdict.
"""

import importlib
import importlib.util
import json
import os
import time

from . import measure, report
from .machine import describe

FLOOR = 0.10  # a change below 10 % is never called a slowdown
LOADED_FLOOR = 0.30  # ... nor below 30 % when the load exceeded the cores
SPREAD_FACTOR = 2.0
CONFIRM = {"budget": 2.0, "min_rounds": 15}  # the re-measurement of a configuration that is slower
CHECKED = ("tinyad", "numpy")


def committed_ratios(payload):
    """{(workload, label): {"median", "of_minima", "minima_spread"}} from a results.json's
    contents; "minima_spread" is None in results written before it was recorded."""
    out = {}
    for r in payload.get("results", []):
        t = r.get("timings", {})
        if "tinyad" not in t or "numpy" not in t:
            continue
        rounds = r.get("tinyad_over_numpy_rounds")
        if rounds:
            entry = {"median": rounds["median"], "of_minima": rounds["of_minima"],
                     "minima_spread": rounds.get("minima_spread")}
        else:
            a, b = t["tinyad"], t["numpy"]
            entry = {"median": a["median_s"] / b["median_s"],
                     "of_minima": a["min_s"] / b["min_s"], "minima_spread": None}
        out[(r["workload"], r["label"])] = entry
    return out


def current_ratios(timings):
    s = measure.ratio_summary(timings)
    return {"median": s["median"], "of_minima": s["of_minima"],
            "minima_spread": s["minima_spread"]}


def verdict(now, committed, floor=FLOOR):
    """Compare one configuration: {"change", "change_of_minima", "threshold", "verdict"} where
    the verdict is "slower", "faster" or "within noise"."""
    spread_now = now["minima_spread"] or 0.0
    spread_before = committed["minima_spread"]
    spread_before = spread_now if spread_before is None else spread_before
    threshold = max(floor, SPREAD_FACTOR * (spread_now + spread_before))
    change = now["median"] / committed["median"] - 1
    change_min = now["of_minima"] / committed["of_minima"] - 1
    if min(change_min, change) > threshold:
        word = "slower"
    elif max(change_min, change) < 1 / (1 + threshold) - 1:
        word = "faster"  # both by the same factor: 1 + threshold times less time
    else:
        word = "within noise"
    return {"change": change, "change_of_minima": change_min, "threshold": threshold,
            "verdict": word}


def _pct(x):
    return f"{x * 100:+.0f} %"


def _again(v, key):
    """The re-measured value of ``key``, when the configuration was measured again."""
    return f" (again {_pct(v['again'][key])})" if "again" in v else ""


def main(args, info, run_timings, load_text):
    """The --check mode of ``python -m benchmarks``; returns the exit status."""
    try:
        payload = json.loads(args.baseline.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        print(f"error: cannot read the committed results {args.baseline}: {e}")
        return 2
    committed = committed_ratios(payload)
    if not committed:
        print(f"error: {args.baseline} holds no configuration timed for both tinyad and numpy")
        return 2
    print(describe(info))
    when = payload.get("machine", {}).get("load_average_at_start")
    print(f"comparing with {args.baseline}"
          + (f" (its load average at start: {when[0]:.2f})" if when else ""))
    print(f"\nquick run of {', '.join(CHECKED)}: {args.budget:g} s per configuration, at least "
          f"{args.min_rounds} rounds, interleaved", flush=True)
    if importlib.util.find_spec("torch"):
        # The committed run had torch imported (it timed torch too): the objects a process
        # holds change how often the cyclic collector runs, so this run imports it as well.
        importlib.import_module("torch")
        print("imported torch, as the committed run had")
    log = {}
    results = run_timings(args, list(CHECKED), log)

    loads = [x for x in log.get("loads", []) if x is not None]
    loaded = bool(loads) and max(loads) > os.cpu_count()
    floor = LOADED_FLOOR if loaded else FLOOR
    rows, slower = [], []
    for case, timings in results:
        now = current_ratios(timings)
        before = committed.get((case.workload, case.label))
        if before is None:
            rows.append([case.group, "-", f"{now['of_minima']:.2f}", "-", "-", "-", "new"])
            continue
        v = verdict(now, before, floor)
        if v["verdict"] == "slower":
            confirm = measure.compare({i: case.build(i) for i in CHECKED},
                                      sample_time=args.sample_time,
                                      split=case.workload in (6, 8), **CONFIRM)
            v["again"] = again = verdict(current_ratios(confirm), before, floor)
            if again["verdict"] == "slower":
                v["verdict"] = "slower (not called: machine loaded)" if loaded else "REGRESSION"
                slower.append(case.group)
            else:
                v["verdict"] = "not confirmed when re-measured"
        rows.append([case.group, f"{before['of_minima']:.2f}", f"{now['of_minima']:.2f}",
                     _pct(v["change_of_minima"]) + _again(v, "change_of_minima"),
                     f"±{v['threshold'] * 100:.0f} %" + (
                         f" (again ±{v['again']['threshold'] * 100:.0f} %)" if "again" in v
                         else ""),
                     _pct(v["change"]) + _again(v, "change"), v["verdict"]])

    end = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print("\n" + report.markdown_table(
        ["configuration", "tinyad / numpy, minima, committed", "now", "change",
         "noise threshold", "change of the median ratio", "verdict"], rows))
    print(f"\n{load_text(info['load_average_at_start'][0], log.get('loads', []), end)}")
    if loaded:
        print(f"warning: the load exceeded the number of cores during the run: other processes "
              f"competed for the CPU, so the threshold's floor is {floor:.0%}, not {FLOOR:.0%} "
              "(run again when the load is lower to see smaller changes)")
    print(f"noise threshold per configuration: max({floor:.0%}, {SPREAD_FACTOR:g} x (spread now "
          "+ spread committed)), the spread being that of the ratio of minima over 3 "
          "interleaved blocks of rounds; 'slower' needs the ratio of minima and the median "
          "ratio both past it; a regression is a slower configuration that is slower again "
          f"when re-measured for {CONFIRM['budget']:g} s, on a machine whose load stayed at "
          "or below its cores")
    if slower and loaded:
        print("\nslower, but measured on a loaded machine, so not called a regression: "
              + "; ".join(slower) + "\nrun `python -m benchmarks --check` again when the load "
              "average is below the number of cores")
        return 0
    if slower:
        print(f"\nREGRESSION in {len(slower)} configuration(s): " + "; ".join(slower))
        return 1
    print(f"\nno regression beyond the noise ({time.strftime('%H:%M:%S')})")
    return 0
