"""Timing (interleaved rounds, medians) and memory measurements of :class:`workloads.Run`."""

import gc
import statistics
import time
import tracemalloc
from typing import NamedTuple

import numpy as np

FLAT_SLACK_BYTES = 64 * 1024  # "flat": less growth than this over the whole run


class Timing(NamedTuple):
    """Seconds per epoch, one sample per round (each sample averages ``inner`` epochs)."""

    epoch: list  # forward + backward (+ update)
    backward: list  # the backward part alone (with freeing the graph); empty unless split
    inner: int

    @property
    def median(self):
        return statistics.median(self.epoch)

    @property
    def backward_median(self):
        return statistics.median(self.backward) if self.backward else None

    @property
    def forward(self):
        """The forward part of each sample (epoch minus backward); empty unless split."""
        return [e - b for e, b in zip(self.epoch, self.backward)]

    @property
    def forward_median(self):
        return statistics.median(self.forward) if self.backward else None

    def summary(self):
        q = quartiles(self.epoch)
        return {"median_s": self.median, "q1_s": q[0], "q3_s": q[2], "min_s": min(self.epoch),
                "rounds": len(self.epoch), "epochs_per_round": self.inner,
                "backward_median_s": self.backward_median,
                "forward_median_s": self.forward_median}


def quartiles(values):
    """(q1, median, q3) of ``values``."""
    if len(values) < 2:
        return (values[0],) * 3
    return tuple(statistics.quantiles(values, n=4))


def round_ratios(timings, impl, over):
    """``impl``'s sample over ``over``'s in each round: the two ran one after the other, so a
    change of the machine's speed between rounds cancels out of these."""
    return [a / b for a, b in zip(timings[impl].epoch, timings[over].epoch)]


def ratio_summary(timings, impl="tinyad", over="numpy", blocks=3):
    """The per-round ratios' quartiles, the ratio of the two minima, and that ratio's spread
    over ``blocks`` interleaved repeats (rounds 0, 3, 6... then 1, 4, 7... for 3 blocks):
    {q1, median, q3, of_minima, minima_spread}, the spread being (largest - smallest) / 2 over
    the median of the blocks' ratios of minima (None with fewer than 2 rounds per block).
    None when either implementation is missing."""
    if impl not in timings or over not in timings:
        return None
    a, b = timings[impl].epoch, timings[over].epoch
    q1, median, q3 = quartiles(round_ratios(timings, impl, over))
    spread = None
    if len(a) >= 2 * blocks:
        per_block = [min(a[k::blocks]) / min(b[k::blocks]) for k in range(blocks)]
        spread = (max(per_block) - min(per_block)) / (2 * statistics.median(per_block))
    return {"q1": q1, "median": median, "q3": q3, "of_minima": min(a) / min(b),
            "minima_spread": spread}


def _sample(run, inner, split):
    """Time ``inner`` epochs; returns (seconds per epoch, backward seconds per epoch or None)."""
    perf = time.perf_counter
    if not split:
        start = perf()
        for _ in range(inner):
            run.step()
        return (perf() - start) / inner, None
    total = back = 0.0
    for _ in range(inner):
        t0 = perf()
        saved = run.forward()
        t1 = perf()
        run.backward(saved)
        saved = None  # free the graph inside the backward's time
        t2 = perf()
        total += t2 - t0
        back += t2 - t1
    return total / inner, back / inner


def compare(runs, *, budget, min_rounds=5, max_rounds=1000, sample_time=0.005, split=False):
    """Time every Run of ``runs`` ({name: Run}) round-robin, rotating who goes first.

    Each Run is first warmed up (at least 3 epochs and 20 ms), which also sizes ``inner``, the
    epochs per sample, so a sample lasts about ``sample_time``. Rounds go on until ``budget``
    seconds have passed and at least ``min_rounds`` were done (or ``max_rounds``).
    """
    names = list(runs)
    inner = {name: _calibrate(runs[name], sample_time) for name in names}
    samples = {name: ([], []) for name in names}
    gc.collect()
    start = time.perf_counter()
    for r in range(max_rounds):
        k = r % len(names)
        for name in names[k:] + names[:k]:
            epoch, back = _sample(runs[name], inner[name], split)
            samples[name][0].append(epoch)
            if back is not None:
                samples[name][1].append(back)
        if r + 1 >= min_rounds and time.perf_counter() - start >= budget:
            break
    return {name: Timing(*samples[name], inner[name]) for name in names}


def _calibrate(run, sample_time):
    perf = time.perf_counter
    best, calls, start = float("inf"), 0, perf()
    while calls < 3 or perf() - start < 0.02:
        t0 = perf()
        run.step()
        best = min(best, perf() - t0)
        calls += 1
    return max(1, round(sample_time / best))


def gc_collections(run, epochs=3):
    """Collections of CPython's cyclic garbage collector per epoch, by generation (after a
    warm-up epoch): {0: ..., 1: ..., 2: ...}. Building a long graph allocates many tracked
    objects and so triggers collections; a generation-2 one walks every object of the process."""
    counts = {0: 0, 1: 0, 2: 0}

    def count(phase, info):
        if phase == "start":
            counts[info["generation"]] += 1

    run.step()
    gc.callbacks.append(count)
    try:
        for _ in range(epochs):
            run.step()
    finally:
        gc.callbacks.remove(count)
    return {g: n / epochs for g, n in counts.items()}


# ---- memory -----------------------------------------------------------------------------------

def peak_tracemalloc(run):
    """Peak bytes allocated during one epoch (after one warm-up epoch) and live at once, above
    what was live when it started, as tracemalloc sees them: numpy's array buffers (numpy reports
    them to tracemalloc) and every Python object, so the graph's nodes count too."""
    run.step()
    gc.collect()
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        run.step()
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        if not was_tracing:
            tracemalloc.stop()


def peak_torch_profiler(run):
    """The same quantity for torch, whose tensors tracemalloc does not see: from the memory
    timeline of ``torch.profiler`` (``profile_memory=True``), the running total of the tensor
    storage created during one epoch (after a warm-up epoch) minus what of it was freed; its
    maximum. Storage that existed before the epoch is not counted, as with tracemalloc.

    The timeline comes from ``profile._memory_profile()``, a private torch API; a RuntimeError
    says so if this torch version lacks it.
    """
    from torch.profiler import ProfilerActivity, profile
    try:
        from torch.profiler._memory_profiler import Action
    except ImportError as e:
        raise RuntimeError(f"this torch has no profiler memory timeline: {e}") from None
    run.step()
    with profile(activities=[ProfilerActivity.CPU], profile_memory=True, record_shapes=True,
                 with_stack=True) as prof:
        run.step()
    created, live, peak = set(), 0, 0
    for _, action, (key, _version), size in prof._memory_profile().timeline:
        if action == Action.CREATE:
            created.add(key)
            live += size
        elif action == Action.DESTROY and key in created:
            live -= size
        peak = max(peak, live)
    return peak


def memory_growth(run, epochs=10_000, first=100):
    """Does memory stay flat? Bytes traced by tracemalloc after ``first`` epochs and after
    ``epochs`` epochs, and the objects the cyclic garbage collector had to free meanwhile
    (0 when every graph is freed by reference counting alone)."""
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    try:
        for _ in range(first):
            run.step()
        gc.collect()
        after_first = tracemalloc.get_traced_memory()[0]
        collected = sum(s["collected"] for s in gc.get_stats())
        for _ in range(epochs - first):
            run.step()
        gc.collect()
        collected = sum(s["collected"] for s in gc.get_stats()) - collected
        after_all = tracemalloc.get_traced_memory()[0]
    finally:
        if not was_tracing:
            tracemalloc.stop()
    finite = all(np.isfinite(a).all() for a in run.state())
    return {"epochs": epochs, "bytes_after_first": after_first, "first": first,
            "bytes_after_all": after_all, "growth_bytes": after_all - after_first,
            "cyclic_gc_collected": collected, "finite": finite}
