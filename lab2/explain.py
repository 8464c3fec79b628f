"""``--explain``: the factorisation's computation graph and a trace of one epoch's backward pass.

Both come from tinyad's own tools (``tinyad.viz`` and ``tinyad.autograd.trace``), so this part
always runs on tinyad, whichever engines the rest of the report compares.
"""

from pathlib import Path

import tinyad
import tinyad.nn.functional as F
import tinyad.viz

from .factorise import initial_factors

GRAPH = "factorisation_graph"


def explain_factorisation(A, rank, seed, out):
    """Epoch 1 of the factorisation (from the same starting U, V as the report's runs):
    the graph of its loss after backward, written to ``out`` as DOT text and, where Graphviz
    is installed, as SVG; and the trace of its backward pass. Returns a JSON-ready dict."""
    out = Path(out)
    U0, V0 = initial_factors(A.shape, rank, seed, A.dtype)
    U = tinyad.tensor(U0, requires_grad=True)
    V = tinyad.tensor(V0, requires_grad=True)
    target = tinyad.tensor(A)
    U.name, V.name = "U", "V"
    loss = F.mse_loss(U @ V.t(), target, reduction="sum")
    loss.name = "loss"
    with tinyad.autograd.trace() as t:
        loss.backward()
    dot_path = out / f"{GRAPH}.dot"
    dot_path.write_text(tinyad.viz.to_dot(loss), encoding="utf-8")
    svg_path, note = out / f"{GRAPH}.svg", None
    try:
        tinyad.viz.render(loss, svg_path)
    except RuntimeError as e:  # Graphviz missing (the message says how to install it) or failing
        svg_path, note = None, f"no picture of the graph, only its DOT text ({dot_path.name}): {e}"
    return {
        "engine": "tinyad",
        "loss": loss.item(),
        "graph_dot": str(dot_path),
        "graph_svg": None if svg_path is None else str(svg_path),
        "note": note,
        "trace": [
            {
                "op": s.op,
                "input_shapes": [None if x is None else list(x) for x in s.input_shapes],
                "grad_in": list(s.grad_in),
                "grad_out": [None if g is None else list(g) for g in s.grad_out],
                "seconds": s.seconds,
            }
            for s in t.steps
        ],
    }
