"""The docs stay true: their code blocks (README's too) run, ops.md matches the ops'
docstrings, and the tutorial's pointers into the source and its pictures exist."""

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.S | re.M)


def gen_ops():
    spec = importlib.util.spec_from_file_location("gen_ops", DOCS / "gen_ops.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def without_times(table):
    """A trace table without its time column (times vary from run to run)."""
    return [re.sub(r"[\d.]+ us", "_ us", line).rsplit(None, 1)[0] for line in table.splitlines()]


@pytest.mark.parametrize("name", ["docs/tutorial.md", "docs/ops.md", "README.md"])
def test_code_blocks_run_in_order(name, tmp_path, monkeypatch, capsys):
    """Every python block runs, in order, in one namespace; a trace table shown after a block
    is the one it prints (but for the times); quoted engine source is the current source."""
    text = (ROOT / name).read_text(encoding="utf-8")
    blocks = list(FENCE.finditer(text))
    assert any(b[1] == "python" for b in blocks)
    monkeypatch.chdir(tmp_path)  # anything a block writes lands here
    namespace = {"__name__": f"docs_{Path(name).stem}"}
    source = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "tinyad").rglob("*.py"))
    for k, block in enumerate(blocks, 1):
        language, code, line = block[1], block[2], text[: block.start(2)].count("\n") + 1
        where = f"block {k} of {name} (line {line})"
        if language == "python":
            # padded so that tracebacks (and detect_anomaly's message) show the file's own lines
            try:
                exec(compile("\n" * (line - 1) + code, str(ROOT / name), "exec"), namespace)
            except Exception as e:
                raise AssertionError(f"{where} failed: {e!r}") from e
        elif code.startswith("#  op"):
            assert without_times(code) == without_times(str(namespace["t"])), where
        elif code.startswith(("class ", "def ")):
            assert code in source, f"{where} quotes code that is no longer in tinyad/"


def test_ops_md_is_generated_from_the_current_docstrings():
    current = (DOCS / "ops.md").read_text(encoding="utf-8")
    assert gen_ops().generate() == current, (
        "docs/ops.md is stale: regenerate it with `python docs/gen_ops.py`")


def test_every_op_has_a_formula_and_an_example():
    module = gen_ops()
    names = [f.__name__ for f in module.functions()]
    assert len(names) >= 25 and "Mul" in names and "NLLLoss" in names
    ops_md = (DOCS / "ops.md").read_text(encoding="utf-8")
    for name in names:
        assert f"\n| {name} | " in ops_md and f"check(ops.{name}, " in ops_md


def test_the_generator_refuses_an_undocumented_op(monkeypatch):
    module = gen_ops()
    from tinyad import ops
    from tinyad.autograd import Function

    class Odd(Function):
        """no formula here"""

    Odd.__module__ = ops.__name__
    monkeypatch.setattr(ops, "Odd", Odd, raising=False)
    with pytest.raises(ValueError, match=r"add an example for \['Odd'\]"):
        module.generate()
    monkeypatch.setitem(module.EXAMPLES, "Odd", ("a", [(1,)], {}))
    with pytest.raises(ValueError, match="ops.Odd's docstring must be one line"):
        module.generate()


def test_tutorial_points_at_code_and_pictures_that_exist():
    text = (DOCS / "tutorial.md").read_text(encoding="utf-8")
    pointers = re.findall(r"`(tinyad/[\w/]+\.py): ([\w.]+)`", text)
    assert len(pointers) >= 8
    for path, dotted in pointers:
        source = (ROOT / path).read_text(encoding="utf-8")
        for name in dotted.split("."):
            assert re.search(rf"^\s*(def|class) {name}\b", source, re.M), f"{path}: {dotted}"
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert pictures and all((DOCS / p).is_file() for p in pictures), pictures
