"""Real-style torch programs run on torch and on tinyad, and agree (issue 9's client suite).

Every program in ``tests/clients/`` runs twice through :mod:`tinyad.compare`: once on torch,
once with ``import torch`` resolved to tinyad, both drawing their random numbers from one
seeded stream. All clients share one process per engine (the two run at the same time), so
the suite costs two interpreter starts. A client agrees when everything it prints (tensors
at full precision, numbers in text within tolerance, the text around them exactly), every
leaf's gradient after every backward() call, and the types of the errors it meets are the
same on both engines. A failure shows the comparison's report: the first place the runs part,
or the API tinyad lacks.
"""

from pathlib import Path

import pytest

pytest.importorskip("torch")

from tinyad import compare  # noqa: E402
from tinyad.compare.report import summary_lines  # noqa: E402

CLIENTS = sorted(p for p in (Path(__file__).parent / "clients").glob("*.py")
                 if not p.name.startswith("_"))


@pytest.fixture(scope="module")
def comparisons():
    results = compare.run_all(CLIENTS, grads=True, timeout=300)
    return {Path(r.program).name: r for r in results}


def test_there_are_enough_clients():
    assert len(CLIENTS) >= 40


def explain(result):
    """The report's verdict and the rows that differ (the full table can be thousands long)."""
    differing = [f"  {r.where}: {r.what}: torch {r.torch[:200]}, tinyad {r.tinyad[:200]}"
                 + (f" ({r.note[:300]})" if r.note else "") for r in result.rows if not r.ok]
    return "\n".join([*summary_lines(result), "Differing values:", *differing[:20]])


@pytest.mark.parametrize("client", CLIENTS, ids=lambda p: p.stem)
def test_client_agrees(comparisons, client):
    result = comparisons[client.name]
    assert result.status == "agree", explain(result)
    assert result.rows, "the client printed nothing to compare"


def test_in_class_notebook_agrees():
    """The lab's in-class notebook style, cell by cell on a fresh kernel per engine."""
    pytest.importorskip("nbclient")
    notebook = Path(__file__).parent / "clients" / "nb_in_class.ipynb"
    result = compare.run(notebook, grads=True, timeout=300)
    assert result.status == "agree", explain(result)
    # the two error cells raise the same errors on both engines, and the notebook goes on
    errors = [(r.cell, r.torch, r.tinyad) for r in result.rows if r.what == "error"]
    assert errors == [(6, "RuntimeError", "RuntimeError"), (7, "RuntimeError", "RuntimeError")]
    assert result.cells[8] == "agree"
