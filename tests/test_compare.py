"""python -m tinyad.compare: one program, two engines, where they agree and where they part.

Each test writes a small torch program of its own and runs the real thing: two fresh
processes, torch in one and tinyad behind the import hook in the other.
"""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("torch")

from tinyad import compare  # noqa: E402
from tinyad.compare import hook  # noqa: E402

IRIS = Path(__file__).resolve().parents[1] / "lab2" / "data" / "iris.csv"


def write(tmp_path, name, source):
    path = tmp_path / name
    path.write_text(textwrap.dedent(source).lstrip())
    return path


def line_of(path, fragment):
    """1-based number of the line of ``path`` that contains ``fragment``."""
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} not in {path}")


AGREES = """
    import torch

    torch.manual_seed(3)
    x = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64)
    w = torch.rand(3, dtype=torch.float64, requires_grad=True)
    print("start", w.tolist())
    for step in range(3):
        loss = ((x * w).tanh() ** 2).sum()
        loss.backward()
        print("step", step, "loss", loss.item())
        with torch.no_grad():
            w -= 0.5 * w.grad
            w.grad.zero_()
    print("final", w.detach().numpy())
"""


def test_agreeing_program_exit_0_every_value_listed(tmp_path):
    path = write(tmp_path, "agrees.py", AGREES)
    result = compare.run(path, grads=True)
    assert result.status == "agree", result.text()
    assert result.exit_code == 0
    assert result.parting is None and result.error is None
    # every value is listed: 3 start values, 3 x (step, loss), 3 backward calls, final array
    printed = [r for r in result.rows if "print" in r.where]
    grads = [r for r in result.rows if "backward() call" in r.where]
    assert len([r for r in printed if r.line == line_of(path, 'print("start"')]) == 3
    assert len([r for r in printed if r.line == line_of(path, 'print("step"')]) == 6
    assert {r.where for r in grads} == {f"line {line_of(path, 'loss.backward()')} backward() "
                                        f"call {k}" for k in (1, 2, 3)}
    assert {r.what.split("[")[0] for r in grads} == {"w.grad"}
    assert all(r.ok for r in result.rows)
    assert result.largest.rel <= 1e-12
    text = result.text()
    assert "Result: the runs agree (exit 0)" in text
    assert "same random numbers on both engines" in text and "neutralised" in text


def test_shared_random_numbers_start_both_engines_equal(tmp_path):
    path = write(tmp_path, "rand.py", """
        import torch
        print(torch.rand(2, 3).tolist())
        torch.manual_seed(7)
        print(torch.randn(4, dtype=torch.float64).tolist())
    """)
    shared = compare.run(path)
    assert shared.status == "agree", shared.text()
    own = compare.run(path, own_random=True)
    assert own.status == "differ"
    assert own.parting.line == 2


PERTURB_TANH = """
import numpy as np
import tinyad

# find the op behind Tensor.tanh and make its gradient wrong by 1e-3, relative
node = tinyad.tensor(np.array([0.5]), requires_grad=True).tanh().grad_fn
op = getattr(node, "fn", type(node))
right = op.backward
op.backward = staticmethod(lambda ctx, g: right(ctx, g) * (1 + 1e-3))
"""


def test_gradient_made_wrong_in_the_tinyad_run_is_found_at_its_backward_call(tmp_path):
    path = write(tmp_path, "wrong.py", """
        import torch

        x = torch.tensor([0.3, -0.8, 1.5, 0.1], dtype=torch.float64)
        w = torch.rand(4, dtype=torch.float64, requires_grad=True)
        for step in range(2):
            loss = ((w * x).sum() - 1.0) ** 2
            loss.backward()
            with torch.no_grad():
                w -= 0.1 * w.grad
                w.grad.zero_()
        h = (w * x).tanh().sum()
        h.backward()
        print("h", h.item(), "grad", w.grad.tolist())
    """)
    clean = compare.run(path, grads=True)
    assert clean.status == "agree", clean.text()
    result = compare.run(path, grads=True, setup={"tinyad": PERTURB_TANH})
    assert result.status == "differ", result.text()
    assert result.exit_code == 1
    parting = result.parting
    assert parting.line == line_of(path, "h.backward()")
    assert parting.where == f"line {parting.line} backward() call 3"
    assert parting.what.startswith("w.grad[")
    assert 5e-4 < parting.rel < 2e-3
    assert "h.backward()" in result.text()
    # the torch run was not touched: only the tinyad process got the setup code
    assert float(parting.torch) != float(parting.tinyad)


def test_api_tinyad_lacks_exit_2_and_named(tmp_path):
    submodule = write(tmp_path, "fft.py", """
        import torch
        x = torch.tensor([1.0, 2.0])
        print(x.sum().item())
        import torch.fft
        print(torch.fft.fft(x))
    """)
    result = compare.run(submodule)
    assert result.status == "cannot-run" and result.exit_code == 2, result.text()
    assert result.error["engine"] == "tinyad"
    assert result.error["missing"] == "torch.fft"
    assert result.error["line"] == 4
    assert "tinyad does not have torch.fft" in result.error["message"]
    assert "tinyad lacks torch.fft" in result.text()

    attribute = write(tmp_path, "conv.py", """
        import torch
        import torch.nn.functional as F
        image = torch.ones(1, 1, 4, 4)
        kernel = torch.ones(1, 1, 2, 2)
        print(F.conv2d(image, kernel).sum().item())
    """)
    result = compare.run(attribute)
    assert result.exit_code == 2, result.text()
    assert result.error["missing"] == "torch.nn.functional.conv2d"
    assert result.error["line"] == 5


def test_program_torch_cannot_run_is_exit_2_too(tmp_path):
    path = write(tmp_path, "broken.py", """
        import torch
        print(undefined_name)
    """)
    result = compare.run(path)
    # both engines raise the same NameError: they agree that the program is broken
    assert result.status == "agree" and result.rows[-1].what == "error"


def test_import_hook_resolves_submodules_and_refuses_what_tinyad_lacks():
    code = textwrap.dedent("""
        import sys
        from tinyad.compare import hook
        hook.install()
        import torch, torch.nn.functional as F, torch.autograd
        import tinyad
        assert torch is tinyad and F is tinyad.nn.functional and torch.autograd is tinyad.autograd
        assert tinyad.__spec__.name == "tinyad"
        for name in ("torch.fft", "torchvision", "torch.autograd.nonexistent"):
            try:
                __import__(name)
            except ImportError as e:
                print(name, "->", e)
        assert "torch" not in [m for m in sys.modules if m.startswith("torch") and
                               not sys.modules[m].__name__.startswith("tinyad")]
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=compare._env(), check=True).stdout
    assert "torch.fft -> tinyad does not have torch.fft" in out
    assert "torchvision -> tinyad does not have torchvision" in out
    assert "torch.autograd.nonexistent -> tinyad does not have torch.autograd.nonexistent" in out


def test_missing_api_names():
    assert hook.missing_api(AttributeError("module 'tinyad' has no attribute 'svd'")) == \
        "torch.svd"
    assert hook.missing_api(AttributeError("module 'tinyad.linalg' has no attribute 'qr'")) == \
        "torch.linalg.qr"
    assert hook.missing_api(ImportError("cannot import name 'Variable' from 'tinyad.autograd' "
                                        "(/x.py)")) == "torch.autograd.Variable"
    assert hook.missing_api(TypeError("rand() got an unexpected keyword argument 'device'")) == \
        "the device= keyword of rand()"
    assert hook.missing_api(AttributeError("tinyad.nn.functional has no conv2d: not "
                                           "convolutions")) == "torch.nn.functional.conv2d"
    assert hook.missing_api(AttributeError("tinyad has no torch.fft: ...")) == "torch.fft"
    assert hook.missing_api(NotImplementedError("tinyad does not have tensor hooks "
                                                "(register_hook); use retain_grad()")) == \
        "tensor hooks (register_hook)"
    assert hook.missing_api(AttributeError("tinyad does not have torch.nn.utils: only ...")) == \
        "torch.nn.utils"
    # an error that is not about a missing API names none
    assert hook.missing_api(AttributeError("'NoneType' object has no attribute 'zero_'")) is None
    assert hook.missing_api(RuntimeError("element 0 of tensors does not require grad")) is None


def test_notebook_compared_cell_by_cell(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    pytest.importorskip("nbclient")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Reverse mode"),
        nbformat.v4.new_code_cell("import torch\n"
                                  "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
                                  "y = torch.tensor([3.0, -1.0], requires_grad=True)"),
        nbformat.v4.new_code_cell("z = (x * y + x.exp()).sum()\nz.backward()\n"
                                  "print(x.grad.tolist(), y.grad.tolist())\nz.item()"),
        nbformat.v4.new_code_cell("torch.tensor([1.0]).sum().backward()"),
        nbformat.v4.new_code_cell("print('after the error', float(x.grad.sum()))"),
    ]
    path = tmp_path / "lesson.ipynb"
    nbformat.write(nb, str(path))
    result = compare.run(path, grads=True)
    assert result.kind == "notebook"
    assert result.status == "agree", result.text()
    assert result.cells == {2: "agree", 3: "agree", 4: "agree"}
    errors = [r for r in result.rows if r.what == "error"]
    assert [(r.cell, r.torch, r.tinyad) for r in errors] == [(3, "RuntimeError", "RuntimeError")]
    assert any(r.cell == 2 and r.where == "cell 2 value" for r in result.rows)  # z.item()
    assert any(r.cell == 4 and r.ok for r in result.rows)  # the notebook went on


def test_cli_formats_report_and_exit_codes(tmp_path):
    path = write(tmp_path, "agrees.py", AGREES)
    report = tmp_path / "out.md"
    cli = [sys.executable, "-m", "tinyad.compare"]
    done = subprocess.run([*cli, "--format", "json", "--report", str(report), "--grads",
                           str(path)], capture_output=True, text=True, env=compare._env())
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads(done.stdout)
    assert data["status"] == "agree" and data["exit_code"] == 0
    assert data["rows"] and all(row["ok"] for row in data["rows"])
    assert data["neutralised"] and data["shared_random"]["torch"]
    md = report.read_text()
    assert md.startswith("# tinyad.compare") and "| where | what | torch | tinyad |" in md

    for bad in (["--rtol", "x", str(path)], [str(tmp_path / "missing.py")],
                [str(report)], ["--rtol", "-1", str(path)], []):
        done = subprocess.run([*cli, *bad], capture_output=True, text=True, env=compare._env())
        assert done.returncode == 3, (bad, done.stderr)
        assert "error:" in done.stderr


def test_script_arguments_plots_sleep_and_network_are_neutralised(tmp_path):
    pytest.importorskip("matplotlib")
    path = write(tmp_path, "side_effects.py", """
        import socket
        import sys
        import time
        import matplotlib.pyplot as plt
        import torch

        print("epochs", int(sys.argv[2]))
        start = time.perf_counter()
        time.sleep(30)
        print("slept under 5 s:", int(time.perf_counter() - start < 5))
        plt.plot([1, 2, 3])
        plt.show()
        print("backend agg:", int(plt.get_backend().lower() == "agg"))
        try:
            socket.create_connection(("example.org", 80), timeout=1)
            print("network disabled:", 0)
        except OSError as e:
            print("network disabled:", int("disabled by tinyad.compare" in str(e)))
        print(torch.ones(2).sum().item())
    """)
    result = compare.run(path, ["--epochs", "3"])
    assert result.status == "agree", result.text()
    value = {r.line: r.torch for r in result.rows}
    assert value[line_of(path, 'print("epochs"')] == "3"
    assert value[line_of(path, 'print("slept')] == "1"
    assert value[line_of(path, 'print("backend')] == "1"
    assert value[line_of(path, 'print("network disabled:", int(')] == "1"
    assert "network" in " ".join(result.neutralised)


LAB2_PART1 = f"""
    # lab2, part 1, as a student writes it in plain torch
    import numpy as np
    import torch
    import torch.nn.functional as F

    data = np.loadtxt({str(IRIS)!r}, delimiter=",", skiprows=1, usecols=range(4))
    A = torch.tensor(data - data.mean(axis=0), dtype=torch.float64)

    torch.manual_seed(0)
    U = torch.rand(150, 2, dtype=torch.float64, requires_grad=True)
    V = torch.rand(4, 2, dtype=torch.float64, requires_grad=True)
    lr = 0.01
    for epoch in range(1000):
        loss = F.mse_loss(U @ V.t(), A, reduction="sum")
        loss.backward()
        with torch.no_grad():
            U -= lr * U.grad
            V -= lr * V.grad
            U.grad.zero_()
            V.grad.zero_()
        if epoch % 100 == 0:
            print(epoch, loss.item())
    print("final loss", F.mse_loss(U @ V.t(), A, reduction="sum").item())

    u, s, v = torch.svd(A)
    A_2 = u[:, :2] @ torch.diag(s[:2]) @ v[:, :2].t()
    print("svd loss", F.mse_loss(A_2, A, reduction="sum").item())
    print("U_hat", U.detach().numpy()[:3])
"""


def test_lab2_part1_as_a_plain_torch_script_compares_clean(tmp_path):
    path = write(tmp_path, "lab2_part1.py", LAB2_PART1)
    result = compare.run(path)
    assert result.status == "agree", result.text()
    assert len([r for r in result.rows if "print" in r.where]) >= 12
    # lab2 reports the engines' per-epoch losses equal to ~3e-15 relative; same here
    assert result.largest.rel < 1e-12, result.text()
    final = [r for r in result.rows if r.line == line_of(path, 'print("final loss"')]
    assert final and abs(float(final[0].torch) - 15.22889) < 1e-4


def test_a_run_that_does_not_finish_is_reported_not_waited_for(tmp_path):
    path = write(tmp_path, "forever.py", """
        import torch
        while True:
            pass
    """)
    result = compare.run(path, timeout=5)
    assert result.status == "cannot-run" and result.exit_code == 2
    assert "did not finish in 5 s" in result.error["message"]


def test_gradient_recording_stops_at_its_budget_in_both_runs_alike(tmp_path):
    path = write(tmp_path, "many.py", """
        import torch
        w = torch.ones(100, dtype=torch.float64, requires_grad=True)
        for step in range(5):
            (w * w).sum().backward()
        print(w.grad.sum().item())
    """)
    small = "import tinyad.compare.recorder as r\nr.GRAD_BUDGET = 1000\n"
    result = compare.run(path, grads=True, setup={"torch": small, "tinyad": small})
    assert result.status == "agree", result.text()
    calls = {r.where for r in result.rows if "backward() call" in r.where}
    assert calls == {"line 4 backward() call 1", "line 4 backward() call 2"}
    assert any("up to backward() call 2 only" in note for note in result.notes)
