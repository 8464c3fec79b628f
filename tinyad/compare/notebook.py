"""A notebook's run on one engine: a fresh Jupyter kernel, cell by cell, with nbclient.

Before the first cell a hidden cell sets the kernel up (:func:`worker.setup_kernel`: the import
hook on the tinyad run, the shared random stream, the recorder, plots/network/sleep
neutralised); before each code cell a hidden cell tells the recorder which cell runs; after the
last, a hidden cell writes the records. Hidden cells do not count in the execution history. A
cell that raises is recorded and the notebook goes on, as a person running it cell by cell
would.
"""

import os
import subprocess
import tempfile

from . import _env
from .worker import HIDDEN


def run_notebook(path, engine, grads, shared_random, setup=None, timeout=600):
    """Execute the notebook at ``path`` on ``engine``; returns the worker's record dict."""
    import pickle

    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(str(path), as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(path.parent.resolve())}})

    def hidden(source, index=0):
        cell = nbformat.v4.new_code_cell(f"{HIDDEN}\n{source}")
        client.execute_cell(cell, index, store_history=False)
        errors = [o for o in cell.outputs if o.get("output_type") == "error"]
        if errors:
            raise RuntimeError(f"the comparison's own set-up failed in the {engine} kernel: "
                               f"{errors[0]['ename']}: {errors[0]['evalue']}")

    with tempfile.TemporaryDirectory(prefix="tinyad-compare-nb-") as workdir:
        out = os.path.join(workdir, "records.pkl")
        try:
            with client.setup_kernel(env=_env(), stderr=subprocess.DEVNULL):
                hidden("from tinyad.compare import worker as _tinyad_compare\n"
                       f"_tinyad_compare.setup_kernel({engine!r}, {grads!r}, {shared_random!r}, "
                       f"{setup!r})")
                for index, cell in enumerate(nb.cells):
                    if cell.cell_type != "code" or not cell.source.strip():
                        continue
                    hidden(f"_tinyad_compare.begin_cell({index})", index)
                    client.execute_cell(cell, index)
                hidden(f"_tinyad_compare.dump({out!r})", len(nb.cells) - 1)
        except Exception as e:  # noqa: BLE001 - the kernel died or timed out
            return {"engine": engine, "results": None,
                    "crash": {"engine": engine, "type": type(e).__name__,
                              "message": f"the {engine} kernel failed: {e}", "line": None,
                              "cell": None, "source": "", "missing": None, "traceback": ""}}
        with open(out, "rb") as f:
            return pickle.load(f)
