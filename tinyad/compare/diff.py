"""Comparing two runs' records: value by value, until (and including) the first place they part.

Events are compared in order (per cell for a notebook). Two events match when they are of the
same kind at the same line. Then:

* printed text must read the same once numbers are taken out (``tensor(#, grad_fn=<#>)``
  against ``tensor(#, grad_fn=<#>)``; memory addresses are ignored), and each number in it must
  agree within the tolerance plus one unit in the last digit printed (text printed at 4
  decimals cannot say more);
* a printed tensor or numpy array is compared element by element at full precision, with the
  tolerance of its dtype measured against the array's largest element (normwise, so that a
  component near zero is not judged by its own tiny size), and must have the same shape and
  dtype;
* leaf gradients after a ``backward()`` call (or results of ``autograd.grad``) must exist for the
  same leaves and agree as arrays;
* an error must be raised by both runs, of the same type (messages may differ).

Every compared value becomes a :class:`Row`. The first row that does not agree, or the first
event only one run has, is where the runs part.
"""

import math
import re
from dataclasses import asdict, dataclass, field

import numpy as np

# (rtol, atol) per dtype. float64: torch.testing.assert_close's default. float32: looser than
# assert_close's 1.3e-6, because a float32 sum of a few hundred terms taken in another order
# (numpy's pairwise sum against torch's vectorised one) already differs by about 1e-6, a sum
# that cancels loses digits on top, and a training loop carries that on (measured on the
# client suite's float32 loops: up to 2e-5); a wrong gradient (1e-3 off) is still far
# outside it. Numbers parsed from text, whose dtype is unknown, use float32's.
DEFAULT_TOLERANCES = {
    "float64": (1e-7, 1e-7),
    "float32": (1e-4, 1e-5),
    "float16": (1e-3, 1e-5),
    "bfloat16": (1.6e-2, 1e-5),
    "text": (1e-4, 1e-5),
}

_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
_NUMBER = re.compile(
    r"(?<![\w.])[-+]?(?:(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|nan|inf)(?![\w.])")


def tolerances(rtol=None, atol=None):
    """The per-dtype table, with ``rtol``/``atol`` replacing every entry where given."""
    return {k: (v[0] if rtol is None else rtol, v[1] if atol is None else atol)
            for k, v in DEFAULT_TOLERANCES.items()}


def split_text(text):
    """``"loss 0.5 at 0x7f"`` -> (``"loss # at 0x…"``, [(0.5, unit, "0.5")]).

    ``unit`` is one in the last printed digit for numbers written with a point or an exponent,
    0 for integers (compared exactly).
    """
    text = _ADDRESS.sub("0x…", text)
    numbers = []
    for m in _NUMBER.finditer(text):
        s = m.group(0)
        mantissa, _, exponent = s.lower().partition("e")
        unit = 0.0
        if "." in mantissa:
            unit = 10.0 ** -len(mantissa.split(".")[1])
        elif exponent:
            unit = 1.0
        if exponent and unit:
            unit *= 10.0 ** int(exponent)
        numbers.append((float(s), unit, s, m.start()))
    skeleton = _NUMBER.sub("#", text)
    return skeleton, numbers


@dataclass
class Row:
    """One compared value: where, what, both engines' values, relative difference, verdict."""

    where: str
    what: str
    torch: str
    tinyad: str
    rel: float
    ok: bool
    line: int = None
    cell: int = None
    source: str = ""
    note: str = ""


@dataclass
class Parting:
    """Where the runs part: the row (or missing event) and a sentence saying it."""

    where: str
    line: int
    cell: int
    source: str
    what: str
    torch: str
    tinyad: str
    rel: float
    message: str


@dataclass
class Outcome:
    rows: list = field(default_factory=list)
    parting: Parting = None
    one_sided_error: dict = None  # {"engine", "type", "message", "line", "cell", "source", ...}
    differing_errors: bool = False


def _fmt(x):
    if isinstance(x, (float, np.floating)):
        return repr(float(x))
    return str(x)


def _where(event, label=None):
    w = event["where"]
    text = f"line {w['line']}" if w.get("line") is not None else "end"
    if w.get("cell") is not None:
        text = f"cell {w['cell']} " + (text if w.get("line") is not None else "value")
    if label:
        text += f" {label}"
    return text


def _rel(a, b):
    if a == b or (math.isnan(a) and math.isnan(b)):
        return 0.0
    if math.isinf(a) or math.isinf(b) or math.isnan(a) or math.isnan(b):
        return math.inf
    return abs(a - b) / max(abs(b), np.finfo(np.float64).tiny)


def _close_scalars(a, b, rtol, atol, slack=0.0):
    if a == b or (math.isnan(a) and math.isnan(b)):
        return True
    if not (math.isfinite(a) and math.isfinite(b)):
        return False
    return abs(a - b) <= atol + rtol * abs(b) + slack


def _index(shape, flat):
    if not shape:
        return ""
    return "[" + ", ".join(str(i) for i in np.unravel_index(flat, shape)) + "]"


class _Comparer:
    def __init__(self, tol):
        self.tol = tol
        self.out = Outcome()

    def row(self, event, what, t, a, rel, ok, label=None, note=""):
        w = event["where"]
        row = Row(_where(event, label), what, t, a, rel, ok, w.get("line"), w.get("cell"),
                  w.get("source", ""), note)
        self.out.rows.append(row)
        if not ok and self.out.parting is None:
            self.out.parting = Parting(
                row.where, row.line, row.cell, row.source, what, t, a, rel,
                f"{row.where} `{row.source}`: {what}: torch {t}, tinyad {a}"
                + (f" ({note})" if note else f" (relative difference {rel:.3g})"))
        return ok

    # ------------------------------------------------------------------ values

    def arrays(self, event, what, t, a, label):
        t, a = np.asarray(t), np.asarray(a)
        if t.shape != a.shape:
            return self.row(event, what, f"shape {tuple(t.shape)}", f"shape {tuple(a.shape)}",
                            math.inf, False, label, "shapes differ")
        td, ad = str(t.dtype), str(a.dtype)
        if td != ad:
            return self.row(event, what, f"dtype {td}", f"dtype {ad}", math.inf, False, label,
                            "dtypes differ")
        if t.size == 0:
            return self.row(event, what, "[]", "[]", 0.0, True, label)
        if t.dtype.kind in "biu" or t.dtype == object:
            bad = np.flatnonzero(t.ravel() != a.ravel())
            k = int(bad[0]) if bad.size else 0
            return self.row(event, what + _index(t.shape, k), _fmt(t.ravel()[k]),
                            _fmt(a.ravel()[k]), 0.0 if not bad.size else math.inf,
                            not bad.size, label)
        rtol, atol = self.tol.get(td, self.tol["float32"])
        t64, a64 = t.astype(np.float64).ravel(), a.astype(np.float64).ravel()
        both_nan = np.isnan(t64) & np.isnan(a64)
        finite = np.abs(t64[np.isfinite(t64)])
        # normwise: an element is measured against the array's largest finite magnitude, so
        # a gradient component that happens to be near zero does not turn rounding into a
        # large relative difference (for a 0-d tensor this is the usual relative difference)
        scale = max(float(finite.max()) if finite.size else 0.0, np.finfo(np.float64).tiny)
        with np.errstate(invalid="ignore", over="ignore"):
            diff = np.where(both_nan | (t64 == a64), 0.0, np.abs(t64 - a64))
            allowed = atol + rtol * scale
            excess = np.where(np.isfinite(diff), diff / allowed, np.inf)
            rel = np.where(diff == 0, 0.0, diff / scale)
        k = int(np.argmax(excess)) if excess.max() > 1 else int(np.argmax(rel))
        ok = bool(excess.max() <= 1)
        return self.row(event, what + _index(t.shape, k), _fmt(t64[k]), _fmt(a64[k]),
                        float(rel[k]), ok, label)

    def text(self, event, what, t, a, label):
        ts, tn = split_text(t)
        as_, an = split_text(a)
        if ts != as_ or len(tn) != len(an):
            # a difference of format, not of computation: listed, and the comparison goes on
            self.row(event, what, repr(t[:120]), repr(a[:120]), math.inf, False, label,
                     "printed text differs")
            return True
        rtol, atol = self.tol["text"]
        ok_all = True
        for (x, ux, sx, pos), (y, uy, sy, _) in zip(tn, an):
            context = t[max(0, pos - 24):pos + len(sx)].lstrip()
            ok = _close_scalars(y, x, rtol, atol, max(ux, uy))
            ok_all &= self.row(event, f"{what} `…{context}`", sx, sy, _rel(y, x), ok, label)
            if not ok:
                break
        return ok_all

    # ------------------------------------------------------------------ events

    def printed(self, te, ae, label):
        tp, ap = te["parts"], ae["parts"]
        if len(tp) != len(ap):
            return self.row(te, "printed", repr(te["text"][:120]), repr(ae["text"][:120]),
                            math.inf, False, label, "printed text differs")
        if not tp:
            return self.row(te, "printed", "''", "''", 0.0, True, label)
        for i, (t, a) in enumerate(zip(tp, ap)):
            what = "value" if len(tp) == 1 else f"argument {i + 1}"
            if t["array"] is not None and a["array"] is not None:
                ts, _ = split_text(t["text"])
                as_, _ = split_text(a["text"])
                if ts != as_:  # listed; the values are still compared
                    self.row(te, what, repr(t["text"][:120]), repr(a["text"][:120]),
                             math.inf, False, label, "printed text differs")
                if not self.arrays(te, what, t["array"], a["array"], label):
                    return False
            elif not self.text(te, what, t["text"], a["text"], label):
                return False
        return True

    def grads(self, te, ae, label):
        tg, ag = te["grads"], ae["grads"]
        if list(tg) != list(ag):
            only_t = [k for k in tg if k not in ag]
            only_a = [k for k in ag if k not in tg]
            return self.row(te, "leaves", f"also {only_t}" if only_t else str(list(tg)),
                            f"also {only_a}" if only_a else str(list(ag)), math.inf, False,
                            label, "different leaves with gradients")
        if not tg:
            return self.row(te, "leaf gradients", "none", "none", 0.0, True, label)
        for name in tg:
            t, a = tg[name], ag[name]
            if t is None or a is None:
                if not self.row(te, name, str(t if t is None else "tensor"),
                                str(a if a is None else "tensor"), 0.0 if t is a else math.inf,
                                t is None and a is None, label):
                    return False
            elif not self.arrays(te, name, t, a, label):
                return False
        return True

    def events(self, torch_events, tinyad_events):
        """Compare two event lists (one cell, or a whole script)."""
        for i in range(max(len(torch_events), len(tinyad_events))):
            te = torch_events[i] if i < len(torch_events) else None
            ae = tinyad_events[i] if i < len(tinyad_events) else None
            if te is not None and ae is not None and te["kind"] == ae["kind"] == "error":
                same = te["type"] == ae["type"]
                if same:
                    self.row(te, "error", te["type"], ae["type"], 0.0, True)
                    return
                note = (f"different errors; torch at line {te['where'].get('line')}: "
                        f"{te['message'][:200]}; tinyad at line {ae['where'].get('line')}: "
                        f"{ae['message'][:200]}")
                if ae.get("missing"):  # tinyad stopped at an API it lacks
                    self._one_sided("tinyad", ae)
                    note = f"tinyad lacks {ae['missing']}; " + note
                else:
                    self.out.differing_errors = True
                self.row(ae if ae.get("missing") else te, "error", te["type"], ae["type"],
                         math.inf, False, None, note)
                return
            if te is None or ae is None or te["kind"] == "error" or ae["kind"] == "error" \
                    or te["kind"] != ae["kind"] or te["where"].get("line") != \
                    ae["where"].get("line"):
                self._path(te, ae)
                return
            label = _label(te)
            if te["kind"] in ("print", "display"):
                ok = self.printed(te, ae, label)
            else:
                ok = self.grads(te, ae, label)
            if not ok:
                return

    def _one_sided(self, engine, event):
        if self.out.one_sided_error is None:
            w = event["where"]
            self.out.one_sided_error = dict(
                engine=engine, type=event["type"], message=event["message"], line=w.get("line"),
                cell=w.get("cell"), source=w.get("source", ""), missing=event.get("missing"),
                traceback=event.get("traceback"))

    def _path(self, te, ae):
        """The runs took different paths: one raised, or one printed/backpropagated elsewhere."""
        for engine, event in (("tinyad", ae), ("torch", te)):
            if event is not None and event["kind"] == "error":
                self._one_sided(engine, event)
                break
        anchor = ae if ae is not None and ae["kind"] == "error" else te or ae
        describe = lambda e: "nothing more" if e is None else (  # noqa: E731
            f"{e['type']}: {e['message']}" if e["kind"] == "error" else
            f"{e['kind']} at line {e['where'].get('line')}")
        self.row(anchor, "next event", describe(te), describe(ae), math.inf, False,
                 _label(anchor) if anchor["kind"] != "error" else None,
                 "only one engine raised this error" if self.out.one_sided_error else
                 "the runs took different paths")


def _label(event):
    if event["kind"] == "backward":
        return f"backward() call {event['call']}"
    if event["kind"] == "autograd.grad":
        return f"autograd.grad call {event['call']}"
    if event["kind"] == "display":
        return ""
    return "print"


def compare(torch_events, tinyad_events, tol, by_cell=False):
    """An :class:`Outcome` for two runs' events (grouped by cell when ``by_cell``)."""
    comparer = _Comparer(tol)
    if not by_cell:
        comparer.events(torch_events, tinyad_events)
        return comparer.out
    cells = sorted({e["where"].get("cell") for e in torch_events + tinyad_events},
                   key=lambda c: -1 if c is None else c)
    first_parting = None
    for cell in cells:
        before = comparer.out.parting
        comparer.out.parting = None
        comparer.events([e for e in torch_events if e["where"].get("cell") == cell],
                        [e for e in tinyad_events if e["where"].get("cell") == cell])
        first_parting = before or comparer.out.parting
        comparer.out.parting = first_parting
    return comparer.out


def as_dict(obj):
    return None if obj is None else asdict(obj)
