"""How a tensor prints: torch's layout, so that printed results can be compared line by line.

Floats get 4 decimals (``tensor([0.1000, 2.0000])``), whole floats a trailing point
(``tensor([1., 2.])``), and scientific notation when the magnitudes are far apart or extreme;
every element of a tensor is padded to the width of the widest. Rows wrap at 80 characters,
and tensors of more than 1000 elements show their first and last 3 items per dimension.
"""

import math

import numpy as np

PRECISION, LINEWIDTH, THRESHOLD, EDGEITEMS = 4, 80, 1000, 3


class _Formatter:
    """Decides, from all the values at once, one notation and one width for every element."""

    def __init__(self, values, floating):
        self.floating, self.sci, self.whole = floating, False, True
        if not floating:
            self.width = max((len(self._text(v)) for v in values), default=1)
            return
        finite = [v for v in values if math.isfinite(v) and v != 0]
        self.whole = all(v == math.ceil(v) for v in finite)
        if finite:
            big, small = max(abs(v) for v in finite), min(abs(v) for v in finite)
            self.sci = big / small > 1000 or big > 1e8 or (not self.whole and small < 1e-4)
        # as torch: the width of the finite nonzero values (nan, inf and 0 are not counted)
        self.width = max((len(self._text(v)) for v in finite), default=1)

    def _text(self, v):
        if not self.floating:
            return str(v)
        if self.sci:
            return f"{v:.{PRECISION}e}"
        if self.whole:
            return f"{v:.0f}" + ("." if math.isfinite(v) else "")
        return f"{v:.{PRECISION}f}"

    def __call__(self, v):
        return self._text(v).rjust(self.width)


def _items(a, summarise):
    """The elements that will be shown (all of them, or the edges of a summarised tensor)."""
    if not summarise or a.ndim == 0:
        return a.ravel().tolist()
    if a.shape[0] > 2 * EDGEITEMS:
        a = np.concatenate([a[:EDGEITEMS], a[-EDGEITEMS:]])
    if a.ndim == 1:
        return a.tolist()
    return [v for row in a for v in _items(row, summarise)]


def _body(a, fmt, indent, summarise):
    if a.ndim == 0:
        return fmt(a.item())
    n = a.shape[0]
    cut = summarise and n > 2 * EDGEITEMS
    rows = list(range(EDGEITEMS)) + [None] + list(range(n - EDGEITEMS, n)) if cut else range(n)
    if a.ndim == 1:
        items = [" ..." if i is None else fmt(a[i].item()) for i in rows]
        per_line = max(1, (LINEWIDTH - indent) // (fmt.width + 2))
        lines = [", ".join(items[k:k + per_line]) for k in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    sep = "," + "\n" * (a.ndim - 1) + " " * (indent + 1)
    parts = ["..." if i is None else _body(a[i], fmt, indent + 1, summarise) for i in rows]
    return "[" + sep.join(parts) + "]"


def dtype_name(dtype):
    """torch's name for a dtype: torch.float32, torch.int64, torch.bool."""
    return "torch." + np.dtype(dtype).name


def tensor_repr(t, default_dtype):
    a = t._data
    prefix = "tensor("
    summarise = a.size > THRESHOLD
    floating = a.dtype.kind in "fc"
    values = _items(a, summarise)
    if a.dtype.kind == "b":
        fmt = _Formatter([bool(v) for v in values], False)
    else:
        fmt = _Formatter(values, floating)
    if a.size == 0:
        body = "[]"
    else:
        body = _body(a, fmt, len(prefix), summarise)
    suffixes = []
    if a.size == 0 and a.shape != (0,):
        suffixes.append(f"size={tuple(a.shape)}")
    # (no value of an empty tensor tells int64 or bool from the default float: torch names it)
    shown_by_default = a.dtype == default_dtype if a.size == 0 else \
        a.dtype in (default_dtype, np.int64, np.bool_)
    if not shown_by_default:
        suffixes.append(f"dtype={dtype_name(a.dtype)}")
    try:  # (a view's, read anew after an in-place change, as torch's)
        grad_fn = t.grad_fn
        name = None if grad_fn is None else type(grad_fn).__name__
    except RuntimeError:  # (a view whose history can no longer be told: torch's word)
        name = "Invalid"
    if name is not None:
        suffixes.append(f"grad_fn=<{name}>")
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    text = prefix + body
    for suffix in suffixes:
        last_line = text.rsplit("\n", 1)[-1]
        if len(last_line) + len(suffix) + 3 >= LINEWIDTH:  # ", " and ")", as torch wraps
            text += ",\n" + " " * len(prefix) + suffix
        else:
            text += ", " + suffix
    return text + ")"
