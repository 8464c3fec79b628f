"""The notebooks run top to bottom on a fresh kernel (nbclient), on each engine.

They are stored without outputs; running them here is what keeps them from rotting. The
parameter cell (tagged ``parameters``) is edited before the run: the engine, and fewer seeds.
"""

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_array_equal

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

ROOT = Path(__file__).parent.parent
LAB2 = ROOT / "notebooks" / "lab2.ipynb"
SEEDS = 3
# appended to the run: what the notebook computed, for the checks below
REPORT_CELL = """
import json
print(json.dumps({
    "engine": torch.__name__, "losses": losses, "gd_loss": gd_loss, "svd_loss": svd_loss,
    "mlp": {str(lr): [l, t, v] for lr, (l, t, v) in mlp.items()},
    "placed": placed, "runs": runs,
}))
"""


def notebooks():
    return sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.name)
def test_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


def set_parameters(nb, **values):
    (cell,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    lines = cell.source.splitlines()
    for name, value in values.items():
        (i,) = [i for i, line in enumerate(lines) if line.startswith(f"{name} = ")]
        lines[i] = f"{name} = {value!r}"
    cell.source = "\n".join(lines)


@pytest.fixture(scope="module")
def kernel_of_this_python(tmp_path_factory):
    """A 'python3' kernel spec for this interpreter, ahead of any other on JUPYTER_PATH, so the
    kernel imports the same tinyad and lab2 as the tests."""
    from ipykernel.kernelspec import write_kernel_spec

    path = tmp_path_factory.mktemp("jupyter")
    write_kernel_spec(path / "kernels" / "python3")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JUPYTER_PATH", str(path))
        yield sys.executable


RUNS = {}


def run_lab2(engine):
    """Execute the lab notebook on ``engine`` (once per test session); its cells and results."""
    if engine not in RUNS:
        nb = nbformat.read(LAB2, as_version=4)
        set_parameters(nb, ENGINE=engine, SEEDS=SEEDS)
        nb.cells.append(nbformat.v4.new_code_cell(REPORT_CELL))
        client = nbclient.NotebookClient(
            nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
        )
        client.execute()
        # stdout only (a warning may go to stderr), in as many pieces as the kernel sent it
        out = "".join(o.text for o in nb.cells[-1].outputs
                      if o.output_type == "stream" and o.name == "stdout")
        RUNS[engine] = nb, json.loads(out)
    return RUNS[engine]


@pytest.mark.parametrize("engine", ["tinyad", "torch"])
def test_lab2_notebook_runs_and_computes_what_lab2_does(kernel_of_this_python, engine):
    pytest.importorskip(engine)
    nb, result = run_lab2(engine)
    assert result["engine"] == engine
    figures = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
               if "image/png" in o.get("data", {})]
    assert len(figures) == 4  # loss curve, figures 1 and 2, MLP losses, the student's placed

    # the notebook's code is the lab's: the same numbers as lab2's functions, bit for bit
    from lab2.data import centred, lab_split, load_csv
    from lab2.factorise import gd_factorise_ad, initial_factors, truncated_svd
    from lab2.mlp import train_mlp

    A = centred(load_csv()).astype(np.float32)
    if engine == "torch":
        import torch

        threads = torch.get_num_threads()
        torch.set_num_threads(1)  # as the notebook does
    try:
        ours = gd_factorise_ad(
            A, 2, 1000, 0.01, engine=engine, init=initial_factors(A.shape, 2, 0, np.float32)
        )
        mlp = {lr: train_mlp(lab_split(load_csv()), lr, 100, engine=engine) for lr in (0.01, 0.1)}
    finally:
        if engine == "torch":
            torch.set_num_threads(threads)
    assert_array_equal(result["losses"], ours.losses)
    assert result["svd_loss"]["2"] == truncated_svd(A, 2).loss == 15.228833198547363
    for lr, run in mlp.items():
        losses, train, val = result["mlp"][str(lr)]
        assert_array_equal(losses, run.losses)
        assert (train, val) == (run.train_accuracy, run.val_accuracy)
    placed = result["placed"]["MLP validation accuracy, lr 0.1"]
    values = result["runs"]["MLP validation accuracy, lr 0.1"]
    assert placed["n"] == len(values) == SEEDS and placed["median"] == np.median(values)


def test_lab2_notebook_gives_the_same_numbers_on_both_engines(kernel_of_this_python):
    pytest.importorskip("torch")
    (_, ours), (_, theirs) = run_lab2("tinyad"), run_lab2("torch")
    np.testing.assert_allclose(ours["losses"], theirs["losses"], rtol=1e-5)  # float32
    for lr in ("0.01", "0.1"):
        assert ours["mlp"][lr][1:] == theirs["mlp"][lr][1:]  # the same accuracies
    for figure, values in ours["runs"].items():
        np.testing.assert_allclose(values, theirs["runs"][figure], rtol=1e-4, err_msg=figure)
