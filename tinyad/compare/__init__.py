"""Run one torch program on torch and on tinyad, and show where the two runs agree and part.

    python -m tinyad.compare SCRIPT.py [script args]        # or NOTEBOOK.ipynb
    tinyad.compare.run("script.py", grads=True)             # the same, as data

The program runs twice, each time in a fresh process: once on torch, once with ``torch``
resolved to tinyad by an import hook (:mod:`tinyad.compare.hook`); its text is not changed.
By default both runs draw their random numbers from one seeded numpy stream
(:mod:`tinyad.compare.shared_random`), so a program that starts from ``torch.rand`` starts from
the same values on both engines. Each run records what it prints (tensors at full precision,
numbers parsed out of text) and, with ``grads=True``, every leaf's ``.grad`` after every
``backward()`` call (:mod:`tinyad.compare.recorder`). :mod:`tinyad.compare.diff` compares the
records; a :class:`Comparison` holds the result and renders it as text, Markdown or JSON.

Notebooks run cell by cell on a fresh Jupyter kernel per engine (nbclient), and are compared
cell by cell; a cell's error does not stop the notebook.
"""

import json
import math
import os
import pickle
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import diff, recorder
from .diff import DEFAULT_TOLERANCES, tolerances
from .recorder import NEUTRALISED

ENGINES = ("torch", "tinyad")
EXIT = {"agree": 0, "differ": 1, "cannot-run": 2}
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


@dataclass
class Comparison:
    """The result of comparing one program's two runs."""

    program: str
    kind: str  # "script" or "notebook"
    engines: dict  # {"torch": "torch 2.13.0", "tinyad": "tinyad 0.1.0"}
    status: str  # "agree", "differ" or "cannot-run"
    rows: list  # diff.Row, in the order compared
    parting: object  # diff.Parting where the runs part, or None
    error: dict  # the error only one engine raised (engine, type, message, line, missing...)
    tolerances: dict
    shared_random: dict  # engine -> names drawn from the shared stream ([] when off)
    grads: bool
    neutralised: tuple = NEUTRALISED
    notes: list = field(default_factory=list)
    cells: dict = None  # notebook: cell index -> "agree" / "differ" / "cannot-run"

    @property
    def exit_code(self):
        return EXIT[self.status]

    @property
    def largest(self):
        """The compared row with the largest finite relative difference (None if none)."""
        finite = [r for r in self.rows if r.rel is not None and math.isfinite(r.rel)]
        return max(finite, key=lambda r: r.rel) if finite else None

    def to_dict(self):
        d = {k: v for k, v in asdict(self).items() if k not in ("rows", "parting")}
        d["rows"] = [asdict(r) for r in self.rows]
        d["parting"] = diff.as_dict(self.parting)
        d["largest"] = diff.as_dict(self.largest)
        d["exit_code"] = self.exit_code
        d["neutralised"] = list(self.neutralised)
        if self.error:
            d["error"] = {k: v for k, v in self.error.items() if k != "traceback"}
        return d

    def to_json(self):
        """Strict JSON: infinite or NaN numbers (a shape, dtype or text difference) as null."""
        return json.dumps(_finite(self.to_dict()), indent=2, default=str, allow_nan=False)

    def text(self, max_rows=None):
        from .report import text

        return text(self, max_rows)

    def markdown(self, max_rows=None):
        from .report import markdown

        return markdown(self, max_rows)

    def __str__(self):
        return self.text()


def _finite(x):
    if isinstance(x, float):
        return x if math.isfinite(x) else None
    if isinstance(x, dict):
        return {k: _finite(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_finite(v) for v in x]
    return x


# ----------------------------------------------------------------------------- running


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = _PACKAGE_ROOT + (os.pathsep + env["PYTHONPATH"]
                                         if env.get("PYTHONPATH") else "")
    env["MPLBACKEND"] = "Agg"
    env["PYTHONHASHSEED"] = "0"
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    return env


def _crash(engine, what, detail):
    return {"engine": engine, "results": None,
            "crash": {"engine": engine, "type": "RunFailed", "message": what, "line": None,
                      "cell": None, "source": "", "missing": None, "traceback": detail}}


def _start_workers(programs, args, grads, shared_random, setup, workdir, cwd):
    procs = {}
    for engine in ENGINES:
        config = {"engine": engine, "programs": [str(p) for p in programs], "args": list(args),
                  "grads": grads, "shared_random": shared_random,
                  "setup": (setup or {}).get(engine), "out": os.path.join(workdir, engine + ".pkl")}
        config_path = os.path.join(workdir, engine + ".json")
        with open(config_path, "w") as f:
            json.dump(config, f)
        log = open(os.path.join(workdir, engine + ".log"), "wb")
        procs[engine] = (subprocess.Popen(
            [sys.executable, "-m", "tinyad.compare.worker", config_path], stdout=log,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=_env(), cwd=cwd), log, config)
    return procs


def _finish_workers(procs, workdir, timeout):
    runs = {}
    deadline = time.monotonic() + timeout  # the two runs go on at the same time
    for engine, (proc, log, config) in procs.items():
        timed_out = False
        try:
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            timed_out = True
        log.close()
        with open(os.path.join(workdir, engine + ".log"), "rb") as f:
            output = f.read().decode(errors="replace")
        if os.path.exists(config["out"]):
            with open(config["out"], "rb") as f:
                runs[engine] = pickle.load(f)
        elif timed_out:
            runs[engine] = _crash(engine, f"the {engine} run did not finish in {timeout} s",
                                  output[-4000:])
        else:
            runs[engine] = _crash(engine, f"the {engine} run stopped (exit status "
                                  f"{proc.returncode}) before writing its records",
                                  output[-4000:])
    return runs


def _compare(program, kind, runs, index, tol, grads, by_cell):
    engines = {e: runs[e].get("engine", e) for e in ENGINES}
    crashed = [e for e in ENGINES if runs[e].get("results") is None]
    if crashed:
        error = runs[crashed[0]]["crash"]
        return Comparison(str(program), kind, engines, "cannot-run", [], None, error, tol,
                          {}, grads, notes=[f"{error['message']}: {error['traceback']}"])
    t, a = runs["torch"]["results"][index], runs["tinyad"]["results"][index]
    outcome = diff.compare(t["events"], a["events"], tol, by_cell)
    t_errors = [e for e in t["events"] if e["kind"] == "error"]
    a_errors = [e for e in a["events"] if e["kind"] == "error"]
    error = outcome.one_sided_error
    notes = []
    if error is None and bool(t_errors) != bool(a_errors):
        engine, event = ("torch", t_errors[0]) if t_errors else ("tinyad", a_errors[0])
        w = event["where"]
        error = dict(engine=engine, type=event["type"], message=event["message"],
                     line=w.get("line"), cell=w.get("cell"), source=w.get("source", ""),
                     missing=event.get("missing"), traceback=event.get("traceback"))
        notes.append(f"after the runs parted, only the {engine} run raised an error")
    stopped = t.get("grads_stopped_at") or a.get("grads_stopped_at")
    if stopped:
        notes.append(f"Gradients were recorded up to backward() call {stopped - 1} only (the "
                     f"recording holds at most {recorder.GRAD_BUDGET // 2**20} MiB per run).")
    if not by_cell and t_errors and a_errors and t_errors[-1]["type"] == a_errors[-1]["type"]:
        notes.append(f"Both runs stopped with {t_errors[-1]['type']} (torch at line "
                     f"{t_errors[-1]['where'].get('line')}, tinyad at line "
                     f"{a_errors[-1]['where'].get('line')}): the program fails the same way on "
                     f"both engines.")
    status = "cannot-run" if error else "differ" if outcome.parting or \
        outcome.differing_errors else "agree"
    cells = None
    if by_cell:
        cells = {}
        for row in outcome.rows:
            bad = not row.ok
            cells[row.cell] = "differ" if bad or cells.get(row.cell) == "differ" else "agree"
        for c in {e["where"].get("cell") for e in t_errors + a_errors}:
            t_types = [e["type"] for e in t_errors if e["where"].get("cell") == c]
            a_types = [e["type"] for e in a_errors if e["where"].get("cell") == c]
            if bool(t_types) != bool(a_types):
                cells[c] = "cannot-run"
            elif t_types != a_types:
                cells[c] = "differ"
    return Comparison(str(program), kind, engines, status, outcome.rows, outcome.parting, error,
                      tol, {e: runs[e]["results"][index].get("random", []) for e in ENGINES},
                      grads, tuple(runs["torch"].get("neutralised", NEUTRALISED)), notes, cells)


def run(path, args=(), *, grads=False, own_random=False, rtol=None, atol=None, setup=None,
        timeout=600, cwd=None):
    """Run ``path`` (a ``.py`` script or ``.ipynb`` notebook) on torch and on tinyad; compare.

    ``args`` are the script's command-line arguments. ``grads=True`` records every leaf's
    ``.grad`` after every ``backward()``. ``own_random=True`` lets each engine draw its own
    random numbers. ``rtol``/``atol`` replace the per-dtype tolerances. ``setup`` maps an
    engine name to Python code run in that engine's process before the program (after
    ``torch`` is imported, or resolved to tinyad). Returns a :class:`Comparison`.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such program: {path}")
    tol = tolerances(rtol, atol)
    if path.suffix == ".ipynb":
        from .notebook import run_notebook

        runs = {engine: run_notebook(path, engine, grads, not own_random,
                                     (setup or {}).get(engine), timeout)
                for engine in ENGINES}
        return _compare(path, "notebook", runs, 0, tol, grads, by_cell=True)
    return run_all([path], args, grads=grads, own_random=own_random, rtol=rtol, atol=atol,
                   setup=setup, timeout=timeout, cwd=cwd)[0]


def run_all(paths, args=(), *, grads=False, own_random=False, rtol=None, atol=None, setup=None,
            timeout=600, cwd=None):
    """Compare many scripts with one process per engine (the two run at the same time).

    The scripts run one after another in each process, with the random stream, grad mode and
    default dtype reset between them; modules they import stay imported. Returns one
    :class:`Comparison` per script, in order.
    """
    shown = [Path(p) for p in paths]
    paths = [p.resolve() for p in shown]
    tol = tolerances(rtol, atol)
    with tempfile.TemporaryDirectory(prefix="tinyad-compare-") as workdir:
        procs = _start_workers(paths, args, grads, not own_random, setup, workdir, cwd)
        runs = _finish_workers(procs, workdir, timeout)
    return [_compare(p, "script", runs, i, tol, grads, by_cell=False)
            for i, p in enumerate(shown)]


__all__ = ["run", "run_all", "Comparison", "DEFAULT_TOLERANCES", "tolerances", "EXIT"]
