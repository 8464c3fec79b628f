"""Memory: tinyad keeps no graph alive across epochs, and the peak-memory measurements of the
report measure what they claim."""

import numpy as np
import pytest

from .conftest import needs
from .measure import FLAT_SLACK_BYTES, memory_growth, peak_torch_profiler, peak_tracemalloc
from .workloads import IMPLEMENTATIONS, Run, lab_factorisation, scale_factorisation


def test_tinyad_memory_stays_flat_over_10000_lab_epochs():
    flat = memory_growth(lab_factorisation("tinyad"), epochs=10_000)
    assert flat["finite"], "the lab factorisation diverged"
    assert flat["cyclic_gc_collected"] == 0, (
        f"the cyclic garbage collector freed {flat['cyclic_gc_collected']} objects: graph nodes "
        "form reference cycles, so each graph outlives its epoch until a collection")
    assert flat["growth_bytes"] <= FLAT_SLACK_BYTES, (
        f"traced memory grew by {flat['growth_bytes']} bytes from epoch {flat['first']} to "
        f"{flat['epochs']}: something keeps every epoch's graph (or gradients) alive")


def test_the_flat_memory_check_catches_a_kept_graph():
    run = lab_factorisation("tinyad")
    kept = []

    def forward_and_keep():
        kept.append(run.forward())
        return kept[-1]

    flat = memory_growth(Run(forward_and_keep, run.backward, run.state), epochs=2000)
    assert flat["growth_bytes"] > FLAT_SLACK_BYTES


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_peak_memory_of_one_epoch_is_a_few_residuals(impl):
    needs(impl)
    n = 256
    run = scale_factorisation(impl, n, np.dtype("float64"))
    peak = peak_torch_profiler(run) if impl == "torch" else peak_tracemalloc(run)
    residual = n * n * 8  # an epoch cannot do without the n x n residual U @ V.T - A
    assert residual <= peak <= 6 * residual, f"{impl}: peak {peak} bytes, residual {residual}"
