"""Write docs/ops.md, the op reference, from the docstrings in tinyad/ops.py.

Run ``python docs/gen_ops.py`` after changing an op; tests/test_docs.py fails while ops.md is
stale. Each op's docstring is ``forward ; gradient``. EXAMPLES says how each op is reached
from tinyad's API: ops.md shows it, and its code block runs it through gradcheck.
"""

from pathlib import Path

from tinyad import ops
from tinyad.autograd import Function

OUT = Path(__file__).with_name("ops.md")

POSITIVE = {"low": 0.5, "high": 2.0}
STEPS = {"low": 0.1, "high": 0.4}  # (no step of floor, ceil, trunc or round in between)
# op name -> (expression of its inputs a, b, ...; their shapes; options of the check)
EXAMPLES = {
    "Add": ("a + b", [(2, 3), (3,)], {}),
    "Sub": ("a - b", [(2, 3), (2, 3)], {}),
    "Neg": ("-a", [(3,)], {}),
    "Mul": ("a * b", [(2, 3), (2, 1)], {}),
    "Scale": ("a.deg2rad()", [(2, 3)], {}),
    "Div": ("a / b", [(2, 3), (2, 3)], POSITIVE),
    "AddScaled": ("a.add(b, alpha=3)", [(2, 3), (3,)], {}),
    "DivScalar": ("ops.DivScalar.apply(a, 3)", [(3,)], {}),
    "Reciprocal": ("a.reciprocal()", [(3,)], POSITIVE),
    "Pow": ("a ** b", [(3,), (3,)], POSITIVE),
    "MatMul": ("a @ b", [(2, 3), (3, 4)], {}),
    "Addmm": ("F.linear(a, b, c)", [(2, 3), (4, 3), (4,)], {}),
    "Addcmul": ("a.addcmul(b, c, value=0.5)", [(2, 3), (3,), (2, 1)], {}),
    "Addcdiv": ("a.addcdiv(b, c, value=0.5)", [(2, 3), (3,), (2, 1)], POSITIVE),
    "DivRounded": ("a.div(b, rounding_mode='floor')", [(3,), (3,)], POSITIVE),
    "FloorDivide": ("a // b", [(3,), (3,)], {"derivative": False, **POSITIVE}),
    "Remainder": ("a % b", [(3,), (3,)], POSITIVE),
    "Cumsum": ("a.cumsum(1)", [(2, 3)], {}),
    "Cumprod": ("a.cumprod(1)", [(2, 3)], {}),
    "Trace": ("a.trace()", [(2, 3)], {}),
    "Tril": ("a.tril(-1)", [(3, 3)], {}),
    "Diagonal": ("a.diagonal(1)", [(3, 4)], {}),
    "DiagonalBackward": ("ops.DiagonalBackward.apply(a, (3, 4), 1, 0, 1)", [(3,)], {}),
    "Roll": ("a.roll(1, 1)", [(2, 3)], {}),
    "Fmod": ("a.fmod(b)", [(3,), (3,)], POSITIVE),
    "Exp": ("a.exp()", [(3,)], {}),
    "Log": ("a.log()", [(3,)], POSITIVE),
    "Sqrt": ("a.sqrt()", [(3,)], POSITIVE),
    "Tanh": ("a.tanh()", [(3,)], {}),
    "Sigmoid": ("a.sigmoid()", [(3,)], {}),
    "Erf": ("a.erf()", [(3,)], {}),
    "GELU": ("F.gelu(a)", [(3,)], {}),
    "SiLU": ("F.silu(a)", [(3,)], {}),
    "ReLU": ("a.relu()", [(3,)], {}),
    "LeakyReLU": ("F.leaky_relu(a, 0.1)", [(3,)], {}),
    "ELU": ("F.elu(a)", [(3,)], {}),
    "EluBackward": ("ops.EluBackward.apply(a, b, 1.0)", [(3,), (3,)], {}),
    "ELUInPlace": ("F.elu(a * 1, 1.0, inplace=True)", [(3,)], {}),
    "LeakyReLUInPlace": ("F.leaky_relu(a * 1, 0.1, inplace=True)", [(3,)], {}),
    "Softplus": ("F.softplus(a, 2.0)", [(3,)], {}),
    "Hardsigmoid": ("F.hardsigmoid(a * 4)", [(3,)], {}),
    "Hardswish": ("F.hardswish(a * 4)", [(3,)], {}),
    "Mish": ("F.mish(a)", [(3,)], {}),
    "Hardtanh": ("F.hardtanh(a, -0.5, 0.5)", [(3,)], {}),
    "LogSigmoid": ("F.logsigmoid(a)", [(3,)], {}),
    "LogSigmoidBackward": ("ops.LogSigmoidBackward.apply(a, b, (-b.abs()).exp())",
                           [(3,), (3,)], {}),
    "SoftplusBackward": ("ops.SoftplusBackward.apply(a, b, 2.0, 20.0)", [(3,), (3,)], {}),
    "LeakyReluBackward": ("ops.LeakyReluBackward.apply(a, b, 0.1)", [(3,), (3,)], {}),
    "ThresholdBackward": ("ops.ThresholdBackward.apply(a, b)", [(3,), (3,)], {}),
    "HardtanhBackward": ("ops.HardtanhBackward.apply(a, b, -0.5, 0.5)", [(3,), (3,)], {}),
    "Cast": ("a.float()", [(3,)], {"eps": 1e-3, "rtol": 1e-3}),  # float32 output: coarser check
    "Clone": ("a.clone()", [(3,)], {}),
    "Contiguous": ("a.t().contiguous()", [(2, 3)], {}),
    "SortedScalar": ("a.sort(0)[0]", [()], {}),
    "Overwrite": ("ops.Overwrite.apply(a, b)", [(2, 3), (3,)], {}),
    "Sin": ("a.sin()", [(3,)], {}),
    "Cos": ("a.cos()", [(3,)], {}),
    "Log1p": ("a.log1p()", [(3,)], POSITIVE),
    "Expm1": ("a.expm1()", [(3,)], {}),
    "Rsqrt": ("a.rsqrt()", [(3,)], POSITIVE),
    "Tan": ("a.tan()", [(3,)], {"low": -1.0, "high": 1.0}),
    "Asin": ("a.asin()", [(3,)], {"low": -0.9, "high": 0.9}),
    "Acos": ("a.acos()", [(3,)], {"low": -0.9, "high": 0.9}),
    "Atan": ("a.atan()", [(3,)], {}),
    "Sinh": ("a.sinh()", [(3,)], {}),
    "Cosh": ("a.cosh()", [(3,)], {}),
    "Asinh": ("a.asinh()", [(3,)], {}),
    "Acosh": ("a.acosh()", [(3,)], {"low": 1.1, "high": 3.0}),
    "Atanh": ("a.atanh()", [(3,)], {"low": -0.9, "high": 0.9}),
    "Exp2": ("a.exp2()", [(3,)], {}),
    "Log2": ("a.log2()", [(3,)], POSITIVE),
    "Log10": ("a.log10()", [(3,)], POSITIVE),
    "Floor": ("a.floor()", [(3,)], STEPS),
    "Ceil": ("a.ceil()", [(3,)], STEPS),
    "Trunc": ("a.trunc()", [(3,)], STEPS),
    "Round": ("a.round()", [(3,)], STEPS),
    "Abs": ("a.abs()", [(3,)], POSITIVE),
    "Sign": ("a.sign()", [(3,)], POSITIVE),
    "Sgn": ("a.sgn()", [(3,)], POSITIVE),
    "Compared": ("(a * 1).gt_(b)", [(3,), (3,)], {}),
    "Clamp": ("a.clamp(-1, 1)", [(3,)], {}),
    "Maximum": ("tinyad.maximum(a, b)", [(2, 3), (3,)], {}),
    "Atan2": ("tinyad.atan2(a, b)", [(2, 3), (3,)], POSITIVE),
    "Hypot": ("tinyad.hypot(a, b)", [(2, 3), (3,)], POSITIVE),
    "Copysign": ("tinyad.copysign(a, b)", [(2, 3), (3,)], {}),
    "Xlogy": ("tinyad.xlogy(a, b)", [(2, 3), (3,)], POSITIVE),
    "Logaddexp": ("a.logaddexp(b)", [(2, 3), (3,)], {}),
    "Lerp": ("a.lerp(b, c)", [(2, 3), (3,), (2, 1)], {}),
    "NanToNum": ("a.nan_to_num()", [(3,)], {}),
    "Minimum": ("tinyad.minimum(a, b)", [(2, 3), (3,)], {}),
    "Where": ("tinyad.where(a > 0, a, b)", [(2, 3), (2, 3)], {}),
    "MaskedFill": ("a.masked_fill(a > 0, b)", [(2, 3), ()], {}),
    "IndexAddSlices": ("a.index_add(0, tinyad.tensor([1, 0, 1]), b, alpha=0.5)",
                       [(2, 3), (3, 3)], {}),
    "Embedding": ("tinyad.nn.functional.embedding(tinyad.tensor([[1, 0], [1, 2]]), a)", [(3, 2)],
                  {}),
    "EmbeddingDenseBackward": ("ops.EmbeddingDenseBackward.apply(a, np.array([1, 0, 1]), (2, 2), "
                               "None, False)", [(3, 2)], {}),
    "NativeLayerNorm": ("tinyad.nn.functional.layer_norm(a, (3,), b, c)", [(2, 3), (3,), (3,)],
                        {}),
    "NativeBatchNorm": ("tinyad.nn.functional.batch_norm(a, None, None, b, c, training=True)",
                        [(4, 3), (3,), (3,)], {}),
    "IndexFill": ("a.index_fill(1, tinyad.tensor([0, 2]), b)", [(2, 3), ()], {}),
    "Frac": ("a.frac()", [(2, 3)], {}),
    "Scatter": ("a.scatter(1, tinyad.tensor([[2, 0], [1, 2]]), b)", [(2, 3), (2, 2)], {}),
    "ScatterReduce": ("a.scatter(1, tinyad.tensor([[2, 0], [1, 2]]), 2.0, reduce='add')",
                      [(2, 3)], {"derivative": False}),
    "Sum": ("a.sum(dim=1)", [(2, 3)], {}),
    "Mean": ("a.mean(dim=0)", [(2, 3)], {}),
    "Var": ("a.var(dim=1)", [(2, 3)], {}),
    "Std": ("a.std(dim=1)", [(2, 3)], {}),
    "Prod": ("a.prod(dim=1)", [(2, 3)], {}),
    "Norm": ("a.norm()", [(2, 3)], {}),
    "Max": ("a.max(dim=1).values", [(2, 3)], {}),
    "Median": ("a.median(dim=1).values", [(2, 3)], {}),
    "Min": ("a.min()", [(2, 3)], {}),
    "Amax": ("a.amax(dim=1)", [(2, 3)], {}),
    "Amin": ("a.amin(dim=(0, 1))", [(2, 3)], {}),
    "Reshape": ("a.reshape(3, 2)", [(2, 3)], {}),
    "UnsafeView": ("a.t().reshape(6)", [(2, 3)], {}),
    "Unsqueeze": ("a.unsqueeze(0)", [(3,)], {}),
    "Squeeze": ("a.squeeze()", [(1, 3)], {}),
    "Transpose": ("a.transpose(0, 1)", [(2, 3)], {}),
    "T": ("a.t()", [(2, 3)], {}),
    "Permute": ("a.permute(2, 0, 1)", [(2, 3, 4)], {}),
    "GetItem": ("a[:, [0, 2, 2]]", [(2, 3)], {}),
    "Gather": ("a.gather(1, tinyad.tensor([[0, 2], [1, 1]]))", [(2, 3)], {}),
    "MaskedSelect": ("a.masked_select(b > 0)", [(2, 3), (3,)], {}),
    "IndexAdd": ("ops.IndexAdd.apply(a, (2, 3), (slice(None), [0, 2, 2]))", [(2, 3)], {}),
    "IndexPut": ("ops.IndexPut.apply(a, b, (slice(None), [0, 2]))", [(2, 3), (2, 2)], {}),
    "CopySlices": ("ops.CopySlices.apply(a, b, (((3,), (1,), 0), ((2,), (1,), 1)))",
                   [(3,), (2,)], {}),
    "Flip": ("a.flip(0, 1)", [(2, 3)], {}),
    "Repeat": ("a.repeat(2, 1, 3)", [(2, 3)], {}),
    "LogSumExp": ("a.logsumexp(1)", [(2, 3)], {}),
    "StridedView": ("ops.StridedView.apply(a, (2, 2), (1, 3), 1)", [(2, 3)], {}),
    "AsStrided": ("ops.AsStrided.apply(a, (((2, 3), (3, 1), 0), ((2, 2), (1, 3), 1)))",
                  [(2, 3)], {}),
    "BroadcastTo": ("a.expand(2, 3)", [(3,)], {}),
    "Cat": ("tinyad.cat([a, b])", [(2,), (3,)], {}),
    "Stack": ("tinyad.stack([a, b], dim=1)", [(3,), (3,)], {}),
    "SVD": ("ops.SVD.apply(a, False)", [(3, 2)], {}),
    "QR": ("ops.QR.apply(a, 'reduced')", [(3, 2)], {}),
    "Inverse": ("tinyad.inverse(a + 3 * tinyad.eye(3, dtype=a.dtype))", [(3, 3)], {}),
    "Det": ("tinyad.det(a)", [(3, 3)], {}),
    "Solve": ("tinyad.linalg.solve(a + 3 * tinyad.eye(3, dtype=a.dtype), b)", [(3, 3), (3,)], {}),
    "MSELoss": ("F.mse_loss(a, b)", [(2, 3), (2, 3)], {}),
    "SmoothL1Loss": ("F.smooth_l1_loss(a, b, beta=0.5)", [(2, 3), (2, 3)], {}),
    "HuberLoss": ("F.huber_loss(a, b, delta=0.5)", [(2, 3), (2, 3)], {}),
    "SmoothL1LossBackward": ("ops.SmoothL1LossBackward.apply(a[0, 0], a, b, 'mean', 1.0)",
                             [(2, 3), (2, 3)], {}),
    "HuberLossBackward": ("ops.HuberLossBackward.apply(a[0, 0], a, b, 'sum', 0.5)",
                          [(2, 3), (2, 3)], {}),
    "MseLossBackward": ("ops.MseLossBackward.apply(a[0, 0], a, b, 'mean')", [(2, 3), (2, 3)],
                        {}),
    "LogSoftmax": ("F.log_softmax(a, dim=1)", [(2, 3)], {}),
    "TanhBackward": ("ops.TanhBackward.apply(a, b.tanh())", [(3,), (3,)], {}),
    "SigmoidBackward": ("ops.SigmoidBackward.apply(a, b.sigmoid())", [(3,), (3,)], {}),
    "HardswishBackward": ("ops.HardswishBackward.apply(a, b)", [(3,), (3,)], {}),
    "GeluBackward": ("ops.GeluBackward.apply(a, b, 'tanh')", [(3,), (3,)], {}),
    "LogSoftmaxBackward": ("ops.LogSoftmaxBackward.apply(a, F.log_softmax(b, dim=1), 1)",
                           [(2, 3), (2, 3)], {}),
    "Softmax": ("F.softmax(a, dim=1)", [(2, 3)], {}),
    "NLLLoss": ("F.nll_loss(a, target)", [(2, 3)], {}),
    "NLLLoss2d": ("F.nll_loss(a, target[:, None, None])", [(2, 3, 1, 1)], {}),
    "NoDerivative": ("tinyad.unique(a)", [(3,)], {"derivative": False}),
    "Drawn": ("tinyad.normal(a, 1.0)", [(3,)], {"derivative": False}),
    "NllLossBackward": ("ops.NllLossBackward.apply(a, b, None)", [(2, 3), (2, 3)], {}),
    "NllLoss2DBackward": ("ops.NllLoss2DBackward.apply(a, b, None)", [(2, 3), (2, 3)], {}),
    "BinaryCrossEntropy": ("F.binary_cross_entropy(a, tinyad.full_like(a, 0.25))", [(3,)],
                           {"low": 0.1, "high": 0.9}),
    "BinaryCrossEntropyBackward": (
        "ops.BinaryCrossEntropyBackward.apply(a[0], b, tinyad.full_like(b, 0.25), None, 'mean', 3)",
        [(3,), (3,)], {"low": 0.1, "high": 0.9}),
    "BCEWithLogits": ("F.binary_cross_entropy_with_logits(a, b)", [(3,), (3,)], {}),
}

HEADER = """\
# Op reference

Every differentiable op in `tinyad/ops.py`: what its forward computes and the gradient its
backward returns. `g` is the gradient flowing in from the op's result; `da` is the gradient
sent to input `a`. Gradients may keep the result's broadcast shape: the engine sums them back
to each input's shape (`tinyad/autograd.py: sum_to`), so the formulas are the textbook ones.

This page is generated from the ops' docstrings by `python docs/gen_ops.py` (the test suite
fails when it is stale), so it says what the code says.

| op | called as | forward | gradient |
| --- | --- | --- | --- |
"""

CHECKS = """
## Every op, checked

Each line below computes one op through tinyad's API on random float64 inputs, checks that the
result really comes from that op (its `grad_fn`), and compares the op's backward with finite
differences (`tinyad.testing.gradcheck`; not for `//` and `unique`, which have no derivative
in torch either, nor for random draws, whose gradient torch defines as 0). These lines run in
the test suite.

```python
import numpy as np

import tinyad
import tinyad.nn.functional as F
from tinyad import ops
from tinyad.testing import gradcheck

rng = np.random.default_rng(0)
target = tinyad.tensor([0, 2])  # class indices for the classification losses


def check(op, fn, *shapes, low=-2.0, high=2.0, derivative=True, **tolerances):
    inputs = [tinyad.tensor(rng.uniform(low, high, s), requires_grad=True) for s in shapes]
    assert fn(*inputs).grad_fn.fn is op
    assert not derivative or gradcheck(fn, inputs, **tolerances)


"""


def functions():
    """The Function classes defined in tinyad.ops, in the order of the file (not the private
    bases that several share)."""
    return [v for v in vars(ops).values()
            if isinstance(v, type) and issubclass(v, Function) and v.__module__ == ops.__name__
            and not v.__name__.startswith("_")]


def _cell(text):
    return "`" + text.replace("|", "\\|") + "`"


def generate():
    """The text of docs/ops.md."""
    fns = functions()
    names = [f.__name__ for f in fns]
    missing = [n for n in names if n not in EXAMPLES]
    stale = [n for n in EXAMPLES if n not in names]
    if missing or stale:
        raise ValueError(f"docs/gen_ops.py EXAMPLES is out of date: add an example for "
                         f"{missing or 'none'}, remove {stale or 'none'}")
    rows, checks = [], []
    for fn in fns:
        doc = (fn.__doc__ or "").strip()
        if doc.count(" ; ") != 1 or "\n" in doc:
            raise ValueError(f"ops.{fn.__name__}'s docstring must be one line, "
                             f"'forward ; gradient', got {doc!r}")
        forward, gradient = doc.split(" ; ")
        expr, shapes, options = EXAMPLES[fn.__name__]
        rows.append(f"| {fn.__name__} | {_cell(expr)} | {_cell(forward)} | {_cell(gradient)} |")
        params = ", ".join("abc"[: len(shapes)])
        args = ", ".join([f"ops.{fn.__name__}", f"lambda {params}: {expr}"]
                         + [repr(s) for s in shapes] + [f"{k}={v!r}" for k, v in options.items()])
        checks.append(f"check({args})")
    return HEADER + "\n".join(rows) + "\n" + CHECKS + "\n".join(checks) + "\n```\n"


if __name__ == "__main__":
    OUT.write_text(generate(), encoding="utf-8")
    print(f"wrote {OUT}")
