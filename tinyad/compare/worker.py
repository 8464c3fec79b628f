"""One engine's run, in a fresh process: ``python -m tinyad.compare.worker CONFIG.json``.

The config names the engine (``torch`` or ``tinyad``), the programs (scripts, run one after
another in this process with the state reset between them), their arguments, whether to
record gradients and share random numbers, optional setup code for this engine only, and the
file to write the records to (a pickle: one result dict per program).

For notebooks, :func:`setup_kernel` does the same set-up inside a fresh Jupyter kernel.
"""

import json
import os
import pickle
import re
import runpy
import sys
import time
import traceback

from .recorder import NEUTRALISED, Recorder, neutralise
from .shared_random import DEFAULT_SEED, SharedRandom

_CELL_FILE = re.compile(r"(ipykernel_\d+[/\\]\d+\.py$)|(^<ipython-input-)")


def load_engine(name):
    """The module a program sees as ``torch``: torch itself, or tinyad behind the hook."""
    if name == "tinyad":
        from . import hook

        hook.install()
    import torch  # on the tinyad run the hook resolves this to tinyad

    if name == "torch":
        # the programs compared are small: extra threads only add overhead (and contention
        # on a shared machine); one thread also makes torch's reductions run in one order
        torch.set_num_threads(1)
    return torch


def engine_version(engine):
    return f"{engine.__name__} {getattr(engine, '__version__', '?')}"


def _reset(engine):
    """Undo what a previous program in this process may have changed globally."""
    try:
        engine.set_grad_enabled(True)
    except Exception:  # noqa: BLE001 - an engine without it keeps its default
        pass
    setter = getattr(engine, "set_default_dtype", None)
    if setter is not None:
        try:
            setter(engine.float32)
        except Exception:  # noqa: BLE001
            pass


def run_program(engine, engine_name, path, args, grads, shared_random, seed=DEFAULT_SEED):
    """Run one script and return ``{"program", "events", "random"}``."""
    path = os.path.abspath(path)
    recorder = Recorder(engine, lambda f: f == path, grads=grads)
    rand = SharedRandom(engine, seed) if shared_random else None
    _reset(engine)
    replaced = rand.install() if rand else []
    recorder.install()
    argv, syspath0 = sys.argv, sys.path[0]
    start = time.perf_counter()
    sys.argv = [path, *args]
    sys.path[0] = os.path.dirname(path)
    try:
        runpy.run_path(path, run_name="__main__")
    except SystemExit as e:
        if e.code not in (None, 0):
            recorder.record_error(e, engine_name == "tinyad")
    except BaseException as e:  # noqa: BLE001 - the program's error is the result
        recorder.record_error(e, engine_name == "tinyad")
        recorder.events[-1]["traceback"] = "".join(traceback.format_exception(e))[-4000:]
    finally:
        recorder.uninstall()
        if rand:
            rand.uninstall()
        sys.argv = argv
        sys.path[0] = syspath0
    return {"program": path, "events": recorder.events, "random": replaced,
            "seconds": time.perf_counter() - start, "grads_stopped_at": recorder.grads_stopped_at}


def main(config_path):
    with open(config_path) as f:
        config = json.load(f)
    engine_name = config["engine"]
    programs = [os.path.abspath(p) for p in config["programs"]]
    neutralise(lambda f: f in programs)
    engine = load_engine(engine_name)
    if config.get("setup"):
        exec(compile(config["setup"], f"<setup for {engine_name}>", "exec"), {})  # noqa: S102
    results = []
    for path in programs:
        results.append(run_program(engine, engine_name, path, config.get("args", []),
                                   config.get("grads", False), config.get("shared_random", True)))
    with open(config["out"], "wb") as f:
        pickle.dump({"engine": engine_version(engine), "neutralised": NEUTRALISED,
                     "results": results}, f)


# ----------------------------------------------------------------------------- notebooks

_state = {}
HIDDEN = "# tinyad.compare"  # first line of the cells the comparison adds around the notebook's


def setup_kernel(engine_name, grads, shared_random, setup=None):
    """Called in a fresh kernel before the notebook's first cell: hook, recorder, neutralising."""
    from IPython import get_ipython

    is_cell = lambda f: bool(_CELL_FILE.search(f))  # noqa: E731
    neutralise(is_cell)
    engine = load_engine(engine_name)
    if setup:
        exec(compile(setup, f"<setup for {engine_name}>", "exec"), {})  # noqa: S102
    recorder = Recorder(engine, is_cell, grads=grads)
    rand = SharedRandom(engine) if shared_random else None
    replaced = rand.install() if rand else []
    recorder.install()
    _state.update(recorder=recorder, random=replaced, engine=engine, name=engine_name)

    def post_run_cell(result):
        if recorder.cell is None or result.info.raw_cell.startswith(HIDDEN):
            return
        if result.error_in_exec is not None:
            recorder.record_error(result.error_in_exec, engine_name == "tinyad")
        elif result.result is not None:
            where = {"cell": recorder.cell, "line": None, "source": "(the cell's value)"}
            parts = recorder._parts([result.result])
            recorder.events.append({"kind": "display", "where": where, "parts": parts,
                                    "text": parts[0]["text"]})
        recorder.cell = None

    get_ipython().events.register("post_run_cell", post_run_cell)


def begin_cell(index):
    _state["recorder"].cell = index


def dump(path):
    with open(path, "wb") as f:
        pickle.dump({"engine": engine_version(_state["engine"]), "neutralised": NEUTRALISED,
                     "results": [{"program": None, "events": _state["recorder"].events,
                                  "random": _state["random"],
                                  "grads_stopped_at": _state["recorder"].grads_stopped_at}]}, f)


if __name__ == "__main__":
    main(sys.argv[1])
