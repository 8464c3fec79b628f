"""``python -m benchmarks --check``: has tinyad got slower than the committed results say?

Absolute times are not compared: this machine's speed has been seen to swing 1.8x from one run
to the next. What is compared, configuration by configuration, is tinyad's time over the
hand-written numpy's, both measured in the same run, round-robin: in each round tinyad and numpy
run one after the other, so a change of the machine's speed between rounds cancels out of that
round's ratio.

How the noise is estimated, and what counts as slower:

* this run: the per-round ratios tinyad / numpy; their median, and their spread as half the
  interquartile range over the median. The ratio of the two minima is computed as well (the
  minimum is the sample least disturbed by other processes);
* the committed run: the same numbers when its results.json has them
  (``tinyad_over_numpy_rounds``); from older files, the ratio of the two medians and of the two
  minima, and a spread combined from each implementation's own quartiles
  (``sqrt(s_tinyad² + s_numpy²)``);
* the threshold is ``max(FLOOR, SPREAD_FACTOR * (spread now + spread committed))``: a change
  smaller than that is within the noise;
* a configuration is **slower** when both its median ratio and its ratio of minima grew by more
  than the threshold (**faster** when both shrank by the factor ``1 + threshold``). Every
  slower one is then measured again, longer (``CONFIRM``), and it is a **regression** only if
  that second measurement is slower too. The exit status is 1 when there is a regression, 0
  otherwise (2 when there is nothing to compare).

Configurations that the committed results do not have are listed as new, without a verdict.
"""

import json
import math
import os
import time

from . import measure, report
from .machine import describe

FLOOR = 0.10  # a change below 10 % is never called a regression
SPREAD_FACTOR = 2.0
CONFIRM = {"budget": 2.0, "min_rounds": 15}  # the re-measurement of a configuration that is slower
CHECKED = ("tinyad", "numpy")


def _relative_half_iqr(q1, median, q3):
    return (q3 - q1) / (2 * median)


def committed_ratios(payload):
    """{(workload, label): {"median", "of_minima", "spread"}} from a results.json's contents."""
    out = {}
    for r in payload.get("results", []):
        t = r.get("timings", {})
        if "tinyad" not in t or "numpy" not in t:
            continue
        rounds = r.get("tinyad_over_numpy_rounds")
        if rounds:
            entry = {"median": rounds["median"], "of_minima": rounds["of_minima"],
                     "spread": _relative_half_iqr(rounds["q1"], rounds["median"], rounds["q3"])}
        else:
            a, b = t["tinyad"], t["numpy"]
            spread = math.hypot(_relative_half_iqr(a["q1_s"], a["median_s"], a["q3_s"]),
                                _relative_half_iqr(b["q1_s"], b["median_s"], b["q3_s"]))
            entry = {"median": a["median_s"] / b["median_s"],
                     "of_minima": a["min_s"] / b["min_s"], "spread": spread}
        out[(r["workload"], r["label"])] = entry
    return out


def current_ratios(timings):
    s = measure.ratio_summary(timings)
    return {"median": s["median"], "of_minima": s["of_minima"],
            "spread": _relative_half_iqr(s["q1"], s["median"], s["q3"])}


def verdict(now, committed):
    """Compare one configuration: {"change", "change_of_minima", "threshold", "verdict"} where
    the verdict is "slower", "faster" or "within noise"."""
    threshold = max(FLOOR, SPREAD_FACTOR * (now["spread"] + committed["spread"]))
    change = now["median"] / committed["median"] - 1
    change_min = now["of_minima"] / committed["of_minima"] - 1
    if change > threshold and change_min > threshold:
        word = "slower"
    elif max(change, change_min) < 1 / (1 + threshold) - 1:
        word = "faster"  # both shrank by the same factor: 1 + threshold times less time
    else:
        word = "within noise"
    return {"change": change, "change_of_minima": change_min, "threshold": threshold,
            "verdict": word}


def _pct(x):
    return f"{x * 100:+.0f} %"


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
    log = {}
    results = run_timings(args, list(CHECKED), log)

    rows, slower = [], []
    for case, timings in results:
        now = current_ratios(timings)
        before = committed.get((case.workload, case.label))
        if before is None:
            rows.append([case.group, "-", f"{now['median']:.2f}", "-", "-", "-", "new"])
            continue
        v = verdict(now, before)
        if v["verdict"] == "slower":
            confirm = measure.compare({i: case.build(i) for i in CHECKED},
                                      sample_time=args.sample_time,
                                      split=case.workload in (6, 8), **CONFIRM)
            again = verdict(current_ratios(confirm), before)
            v["verdict"] = ("REGRESSION" if again["verdict"] == "slower"
                            else "not confirmed when re-measured")
            v["again"] = again
            if again["verdict"] == "slower":
                slower.append(case.group)
        rows.append([case.group, f"{before['median']:.2f}", f"{now['median']:.2f}",
                     _pct(v["change"]) + (f" (again {_pct(v['again']['change'])})"
                                          if "again" in v else ""),
                     _pct(v["change_of_minima"]), f"±{v['threshold'] * 100:.0f} %",
                     v["verdict"]])

    end = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print("\n" + report.markdown_table(
        ["configuration", "tinyad / numpy committed", "now (median of rounds)",
         "change of median", "change of minima", "noise threshold", "verdict"], rows))
    print(f"\n{load_text(info['load_average_at_start'][0], log.get('loads', []), end)}")
    if max([x for x in log.get("loads", []) if x is not None] + [end]) > os.cpu_count():
        print("warning: the load exceeded the number of cores during the run: other processes "
              "competed for the CPU, and verdicts are less reliable (run again when it is lower)")
    print(f"noise threshold per configuration: max({FLOOR:.0%}, {SPREAD_FACTOR:g} x (spread now "
          "+ spread committed)), spread = half the interquartile range of the per-round ratios "
          "over their median; 'slower' needs both the median and the minima past it, and a "
          f"regression is a slower configuration that is slower again when re-measured for "
          f"{CONFIRM['budget']:g} s")
    if slower:
        print(f"\nREGRESSION in {len(slower)} configuration(s): " + "; ".join(slower))
        return 1
    print(f"\nno regression beyond the noise ({time.strftime('%H:%M:%S')})")
    return 0
