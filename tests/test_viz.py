"""tinyad.viz: the DOT text of known graphs, and rendering through Graphviz where it exists."""

import re
import shutil
import subprocess

import numpy as np
import pytest

import tinyad
import tinyad.nn.functional as F
import tinyad.viz as viz

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is missing")

NODE = re.compile(r'^  (\w+) \[(.*)\];$')
EDGE = re.compile(r'^  (\w+) -> (\w+)(?: \[label="(\d+)"\])?;$')
LABEL = re.compile(r'label="((?:[^"\\]|\\.)*)"')


def parse(dot):
    """({node id: (label, attributes)}, [(source, target, edge label or None)]) of to_dot's text,
    failing on any line that is neither a node nor an edge."""
    lines = dot.splitlines()
    assert lines[0] == "digraph tinyad {" and lines[-1] == "}"
    nodes, edges = {}, []
    for line in lines[1:-1]:
        if line.startswith(("  node ", "  edge ")):
            continue
        if m := EDGE.match(line):
            edges.append(m.groups())
        else:
            m = NODE.match(line)
            assert m, f"not a node or an edge: {line!r}"
            label = LABEL.search(m[2])[1]
            nodes[m[1]] = (re.sub(r'\\(.)', lambda c: "\n" if c[1] == "n" else c[1], label), m[2])
    return nodes, edges


def ops(dot):
    """Each op as {op label: (inputs, result label)}; an input is (edge label, what it is):
    a leaf's label, or the name of the op that produced it."""
    nodes, edges = parse(dot)
    producer = {target: nodes[source][0] for source, target, _ in edges if source.startswith("op")}
    result = {}
    for op in (n for n in nodes if n.startswith("op")):
        inputs = [(k, producer.get(s, nodes[s][0])) for s, t, k in edges if t == op]
        (out,) = [t for s, t, _ in edges if s == op]
        result[nodes[op][0]] = (inputs, nodes[out][0])
    return result


def small_graph():
    a = tinyad.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]], requires_grad=True)
    b = tinyad.tensor([1.0, -2.0, 0.5], requires_grad=True)
    a.name, b.name = "a", "b"
    c = a * b
    loss = (c.mean(dim=1) + a[:, 0]).sum()
    loss.name = "loss"
    return a, b, c, loss


A = "a\n(2, 3) float32\nrequires_grad"
B = "b\n(3,) float32\nrequires_grad"


def test_a_known_graph_gives_one_node_per_tensor_and_op_and_edges_along_the_data():
    a, b, c, loss = small_graph()
    nodes, _ = parse(viz.to_dot(loss))
    assert len(nodes) == 2 + 5 + 5  # two leaves (a once, though used twice), 5 ops, 5 results
    assert ops(viz.to_dot(loss)) == {
        "Mul": ([("0", A), ("1", B)], "(2, 3) float32"),
        "Mean": ([(None, "Mul")], "(2,) float32"),
        "GetItem": ([(None, A)], "(2,) float32"),
        "Add": ([("0", "Mean"), ("1", "GetItem")], "(2,) float32"),
        "Sum": ([(None, "Add")], "loss\n() float32"),
    }


def test_leaves_that_require_grad_are_marked_and_gradients_shown_after_backward():
    a, b, c, loss = small_graph()
    nodes, _ = parse(viz.to_dot(loss))
    leaves = {label: attrs for label, attrs in nodes.values() if "requires_grad" in label}
    assert set(leaves) == {A, B} and all("fillcolor" in attrs for attrs in leaves.values())
    loss.backward()
    labels = [label for label, _ in parse(viz.to_dot(loss))[0].values()]
    for leaf, text in ((a, A), (b, B)):
        norm = np.linalg.norm(leaf.grad.numpy())
        assert f"{text}\ngrad {tuple(leaf.shape)}, norm {norm:.4g}" in labels
    assert "loss\n() float32" in labels  # not a leaf: no gradient is kept for it


def test_intermediate_tensors_passed_along_are_named():
    a, b, c, loss = small_graph()
    c.name = "c"
    assert ops(viz.to_dot([loss, c]))["Mul"][1] == "c\n(2, 3) float32"
    assert ops(viz.to_dot(loss))["Mul"][1] == "(2, 3) float32"  # the graph alone has no names


def test_inputs_that_need_no_gradient_are_not_drawn():
    x = tinyad.tensor([[1.0, 2.0]], requires_grad=True)
    target = tinyad.tensor([[0.0, 1.0]])
    target.name = "target"
    dot = viz.to_dot(F.mse_loss(x * 3.0, target))
    assert "target" not in dot
    assert ops(dot) == {
        "Mul": ([(None, "(1, 2) float32\nrequires_grad")], "(1, 2) float32"),
        "MSELoss": ([(None, "Mul")], "() float32"),
    }


def test_a_tensor_without_a_graph_is_a_single_node():
    x = tinyad.tensor([1.0, 2.0], dtype=tinyad.float64)
    nodes, edges = parse(viz.to_dot(x))
    assert list(nodes.values()) == [("(2,) float64", 'shape=box, style="rounded", '
                                                     'label="(2,) float64"')]
    assert edges == []


def test_names_are_escaped_and_non_tensors_refused():
    x = tinyad.tensor(1.0, requires_grad=True)
    x.name = 'say "hi"\\ twice\nplease'
    nodes, _ = parse(viz.to_dot(x * 2))
    assert 'say "hi"\\ twice please\n() float32\nrequires_grad' in [n for n, _ in nodes.values()]
    with pytest.raises(TypeError, match="item 1 is a ndarray"):
        viz.to_dot([x, np.ones(2)])


def test_a_deep_graph_needs_no_recursion():
    x = tinyad.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(5000):
        y = y * 1.0
    assert viz.to_dot(y).count("->") == 2 * 5000


@needs_dot
def test_dot_accepts_the_text():
    a, b, c, loss = small_graph()
    c.name = 'odd "name"'
    loss.backward()
    result = subprocess.run(["dot", "-Tsvg"], input=viz.to_dot([loss, c]), capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "GetItem" in result.stdout and "odd &quot;name&quot;" in result.stdout


@needs_dot
def test_render_writes_svg_and_png(tmp_path):
    a, b, c, loss = small_graph()
    assert viz.render(loss, tmp_path / "g.svg").read_text().rstrip().endswith("</svg>")
    assert viz.render(loss, str(tmp_path / "G.PNG")).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_render_without_graphviz_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH on which there is no dot
    x = tinyad.tensor(1.0, requires_grad=True)
    with pytest.raises(viz.GraphvizNotFound, match="apt-get install graphviz") as error:
        viz.render(x * 2, tmp_path / "g.svg")
    assert isinstance(error.value, RuntimeError) and "brew install graphviz" in str(error.value)
    assert not (tmp_path / "g.svg").exists()


def test_render_refuses_other_formats(tmp_path):
    with pytest.raises(ValueError, match=r"\.svg or \.png files, not 'g\.pdf'"):
        viz.render(tinyad.tensor(1.0), tmp_path / "g.pdf")
