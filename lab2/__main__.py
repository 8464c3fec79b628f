"""``python -m lab2`` (or ``lab2``): run the PyTorch Autograd lab on tinyad and torch.

Exit status: 0 when everything ran, 1 when some training diverged (the report is still
written), 2 for bad input (one line on stderr), 130 when interrupted.
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from . import report
from .checks import check_learning_rate, check_rank
from .data import DataError, centred, load_csv
from .engines import EngineUnavailable, installed, load
from .run import Options, run


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        """One line and exit status 2, instead of argparse's usage block."""
        sys.stderr.write(f"lab2: error: {message} (see lab2 --help)\n")
        sys.exit(2)


def _learning_rate(text):
    """An argparse ``type`` for a positive finite learning rate."""
    try:
        return check_learning_rate(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _integer(name, minimum=1):
    """An argparse ``type`` for an integer >= ``minimum`` (0 or 1)."""
    kind = "a positive" if minimum == 1 else "a non-negative"

    def convert(text):
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum:
            raise argparse.ArgumentTypeError(f"{name} must be {kind} integer, got {text!r}")
        return value

    return convert


def parser():
    p = _Parser(
        prog="lab2",
        description="Reproduce the 'PyTorch Autograd' lab with tinyad and with torch.autograd: "
        "(1) factorise the centred Iris matrix by gradient descent and compare with truncated "
        "SVD, (2) compare the factor with PCA, (3) train a small MLP with hand-written updates "
        "and (3b) again with nn.Linear, nn.CrossEntropyLoss and optim.SGD, checked against "
        "them. Prints a report and "
        "writes figures (PNG), report.md and results.json to --out.",
        epilog="Exit status: 0 ok, 1 training diverged (report still written), 2 bad input.",
    )
    p.add_argument(
        "--engine",
        choices=["tinyad", "torch", "both"],
        default=None,
        help="autograd engine(s) to run; default: both if torch is installed, "
        "tinyad alone otherwise",
    )
    p.add_argument(
        "--rank",
        type=_integer("rank"),
        default=2,
        help="rank of the factorisation, 1..min(rows, features) (default 2)",
    )
    p.add_argument(
        "--epochs",
        type=_integer("epochs"),
        default=1000,
        help="epochs of gradient descent for the factorisation (default 1000)",
    )
    p.add_argument(
        "--lr",
        type=_learning_rate,
        default=0.01,
        help="learning rate of the factorisation, a positive finite number (default 0.01)",
    )
    p.add_argument(
        "--dtype",
        choices=["float32", "float64"],
        default="float32",
        help="dtype of the factorisation (part 1): float32, torch's default, as the lab ran "
        "(what a student sees), or float64, where the engines agree to rounding "
        "(default float32; the MLP is float32 either way)",
    )
    p.add_argument(
        "--mlp-epochs",
        type=_integer("mlp-epochs"),
        default=100,
        help="epochs of MLP training (default 100)",
    )
    p.add_argument(
        "--mlp-lr",
        type=_learning_rate,
        nargs="+",
        default=[0.01, 0.1],
        metavar="LR",
        help="learning rate(s) of the MLP (default 0.01 0.1)",
    )
    p.add_argument(
        "--bias",
        choices=["per-unit", "scalar"],
        default="per-unit",
        help="the MLP's biases: one per unit (b1 of 12, b2 of 3), as the student's report "
        "initialises them, or one scalar per layer, as another version of the lab's template "
        "has it (default per-unit)",
    )
    p.add_argument(
        "--no-nn",
        dest="nn",
        action="store_false",
        help="skip part 3b, the MLP written with nn.Linear, nn.CrossEntropyLoss and optim.SGD "
        "and checked against the hand-written one (it trains part 3's main runs once more, "
        "and creating torch's first optimizer takes a second or two)",
    )
    p.add_argument(
        "--seed",
        type=_integer("seed", minimum=0),
        default=0,
        help="seed of the starting values (U, V and the MLP weights), shared by "
        "the engines (default 0)",
    )
    p.add_argument(
        "--seeds",
        type=_integer("seeds"),
        default=20,
        help="number of runs from seeds --seed, --seed+1, ... for the statistics that place "
        "the student's figures: final losses of the factorisation, accuracies of the MLP "
        "(default 20)",
    )
    p.add_argument(
        "--data",
        type=Path,
        default=None,
        metavar="PATH",
        help="your own CSV instead of the bundled Iris data: a header row, numeric "
        "feature columns, then a label column",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=Path("lab2-out"),
        metavar="DIR",
        help="folder for figures, report.md and results.json (default lab2-out)",
    )
    p.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="what to print on stdout: a readable report or JSON (default text)",
    )
    p.add_argument(
        "--explain",
        action="store_true",
        help="also show how autograd computes the factorisation's gradient: its computation "
        "graph (DOT text, and SVG where Graphviz is installed) and a trace of one epoch's "
        "backward pass, added to the report (runs on tinyad)",
    )
    p.add_argument(
        "--quiet",
        action="store_true",
        help="no progress messages or notes on stderr (errors still appear)",
    )
    return p


class Progress:
    """Progress lines on stderr; transient ones overwrite each other on a terminal only."""

    def __init__(self, quiet, stream=sys.stderr):
        self.quiet, self.stream = quiet, stream
        self.tty = stream.isatty()
        self.start = time.perf_counter()
        self.pending = False

    def __call__(self, message, transient=False):
        if self.quiet or (transient and not self.tty):
            return
        line = f"lab2 [{time.perf_counter() - self.start:5.1f} s] {message}"
        if transient:
            self.stream.write("\r" + line.ljust(78))
        else:
            self.stream.write(("\n" if self.pending else "") + line + "\n")
        self.pending = transient
        self.stream.flush()

    def close(self):
        if self.pending:
            self.stream.write("\n")
            self.pending = False


def _engines(choice, notes):
    if choice == "both" or choice is None:
        if choice is None and not installed("torch"):
            notes.append(
                "torch is not installed, so only tinyad ran "
                "(pip install torch to compare with torch.autograd; in a checkout, "
                "pip install -e '.[torch]' installs the CPU build this project pins)"
            )
            return ("tinyad",)
        return ("tinyad", "torch")
    return (choice,)


def _have_matplotlib():
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def _writable(folder):
    """Create ``folder`` if needed and check a file can be written there."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as e:
        raise OSError(f"cannot write to output folder {folder}: {e.strerror or e}") from None
    return folder


def main(argv=None):
    args = parser().parse_args(argv)
    notes = []
    progress = Progress(args.quiet)
    try:
        data = load_csv(args.data)
        check_rank(args.rank, centred(data).shape)
        out = _writable(args.out)
        engines = _engines(args.engine, notes)
        for name in engines:
            load(name)
    except (DataError, EngineUnavailable, OSError, ValueError) as e:
        print(f"lab2: error: {e}", file=sys.stderr)
        return 2
    figures_out = out
    if not _have_matplotlib():
        notes.append(
            "matplotlib is not installed, so no figures were drawn (pip install matplotlib; "
            "in a checkout, pip install -e '.[plots]' does the same)"
        )
        figures_out = None
    if "torch" in engines:
        load("torch").module.set_num_threads(1)
        notes.append(
            "torch runs on one thread: the lab's tensors are tiny, and extra threads "
            "only add overhead (many times more on a busy machine)"
        )
    for note in notes:
        progress(f"note: {note}")
    opts = Options(
        engines=engines,
        rank=args.rank,
        epochs=args.epochs,
        lr=args.lr,
        mlp_epochs=args.mlp_epochs,
        mlp_lrs=tuple(args.mlp_lr),
        seed=args.seed,
        seeds=args.seeds,
        dtype=args.dtype,
        bias=args.bias,
        nn=args.nn,
        data=None if args.data is None else data,
        out=figures_out,
        explain=out if args.explain else None,
        notes=notes,
    )
    try:
        results = run(opts, progress)
    except KeyboardInterrupt:
        progress.close()
        print("lab2: interrupted", file=sys.stderr)
        return 130
    progress.close()
    results["outputs"] = {"report": str(out / "report.md"), "json": str(out / "results.json")}
    (out / "report.md").write_text(report.markdown(results), encoding="utf-8")
    (out / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    if args.format == "json":
        print(json.dumps(results, indent=2))
    else:
        print(report.text(results))
        print(f"Report: {out / 'report.md'}; figures and results.json in {out}")
    for message in results["diverged"]:
        print(f"lab2: {message}", file=sys.stderr)
    return 1 if results["diverged"] else 0


if __name__ == "__main__":
    sys.exit(main())
