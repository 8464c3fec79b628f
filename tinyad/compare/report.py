"""A :class:`~tinyad.compare.Comparison` as text (for the terminal) or Markdown."""

import math

VERDICT = {
    "agree": "the runs agree",
    "differ": "the runs differ",
    "cannot-run": "the program cannot run on one of the engines",
}


def _rel(r):
    if r is None:
        return ""
    if math.isinf(r):
        return "-"
    return "0" if r == 0 else f"{r:.2g}"


def _tolerance_line(c):
    t = c.tolerances
    return (f"float64 rtol {t['float64'][0]:g} atol {t['float64'][1]:g}; float32 rtol "
            f"{t['float32'][0]:g} atol {t['float32'][1]:g}; numbers in printed text as float32, "
            "plus one unit in the last digit printed")


def _random_line(c):
    if not any(c.shared_random.values()):
        return "own random numbers (--own-random): each engine draws from its own generator"
    return ("same random numbers on both engines: one numpy stream (seed 0; manual_seed "
            "restarts it) behind " + "; ".join(f"{e}: {', '.join(n) or 'none'}"
                                              for e, n in c.shared_random.items()))


def _error_sentence(c):
    e = c.error
    where = ""
    if e.get("cell") is not None:
        where += f" in cell {e['cell']}"
    if e.get("line") is not None:
        where += f" at line {e['line']}"
    if e.get("source"):
        where += f" `{e['source']}`"
    text = (f"The program cannot run on {e['engine']}: it raised {e['type']}{where}: "
            f"{e['message']}")
    if e.get("missing"):
        text += f"\ntinyad lacks {e['missing']} (torch has it)."
    return text


def summary_lines(c):
    """The sentences that matter: largest difference, where the runs part, the verdict."""
    lines = []
    largest = c.largest
    compared = len(c.rows)
    if largest is not None:
        lines.append(f"Compared {compared} values; largest relative difference {_rel(largest.rel)}"
                     f" at {largest.where}: {largest.what} (torch {largest.torch}, tinyad "
                     f"{largest.tinyad}).")
    else:
        lines.append(f"Compared {compared} values.")
    if c.parting is not None:
        p = c.parting
        lines.append(f"The runs part at {p.message}.")
    if c.error:
        lines.append(_error_sentence(c))
    lines.extend(c.notes)
    if c.cells:
        lines.append("Cells: " + ", ".join(f"{k}: {v}" for k, v in sorted(
            c.cells.items(), key=lambda kv: -1 if kv[0] is None else kv[0])))
    lines.append(f"Result: {VERDICT[c.status]} (exit {c.exit_code}).")
    return lines


def _table(rows, max_rows):
    shown = rows if max_rows is None else rows[:max_rows]
    header = ("where", "what", "torch", "tinyad", "rel. diff", "")
    body = [(r.where, r.what, r.torch, r.tinyad, _rel(r.rel), "" if r.ok else "DIFFERS")
            for r in shown]
    return header, body, len(rows) - len(shown)


def text(c, max_rows=None):
    out = [f"tinyad.compare: {c.program} ({c.kind}), {c.engines['torch']} against "
           f"{c.engines['tinyad']}",
           f"  {_random_line(c)}",
           "  neutralised in both runs: " + "; ".join(c.neutralised),
           f"  tolerances: {_tolerance_line(c)}",
           "  gradients: " + ("every leaf after every backward()" if c.grads else
                              "not recorded (--grads records them)"),
           ""]
    header, body, hidden = _table(c.rows, max_rows)
    if body:
        widths = [min(60, max(len(str(row[i])) for row in [header, *body]))
                  for i in range(len(header))]
        for row in [header, *body]:
            out.append("  ".join(str(v)[:60].ljust(w) for v, w in zip(row, widths)).rstrip())
        if hidden:
            out.append(f"... and {hidden} more rows")
        out.append("")
    out.extend(summary_lines(c))
    return "\n".join(out) + "\n"


def _md(v):
    return str(v).replace("|", "\\|").replace("\n", " ")


def markdown(c, max_rows=None):
    out = [f"# tinyad.compare: `{c.program}`", "",
           f"{c.kind.capitalize()} run on {c.engines['torch']} and on {c.engines['tinyad']} "
           f"(`import torch` resolved to tinyad by an import hook), each in a fresh process.", "",
           f"- {_random_line(c)}",
           "- neutralised in both runs: " + "; ".join(c.neutralised),
           f"- tolerances: {_tolerance_line(c)}",
           f"- gradients: {'every leaf after every backward()' if c.grads else 'not recorded'}",
           "", "## Result", ""]
    out.extend(line.replace("\n", "  \n") for line in summary_lines(c))
    header, body, hidden = _table(c.rows, max_rows)
    if body:
        out += ["", "## Compared values", "", "| " + " | ".join(header) + " |",
                "|" + "---|" * len(header)]
        out += ["| " + " | ".join(_md(v) for v in row) + " |" for row in body]
        if hidden:
            out.append(f"\n... and {hidden} more rows")
    return "\n".join(out) + "\n"
