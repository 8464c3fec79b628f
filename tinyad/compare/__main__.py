"""``python -m tinyad.compare SCRIPT.py|NOTEBOOK.ipynb [script args]``

Exit status: 0 the runs agree, 1 they differ, 2 the program cannot run on one of the engines,
3 bad usage.
"""

import argparse
import sys
from pathlib import Path

from . import DEFAULT_TOLERANCES, run

BAD_USAGE = 3


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        sys.exit(BAD_USAGE)


def _parser():
    t64, t32 = DEFAULT_TOLERANCES["float64"], DEFAULT_TOLERANCES["float32"]
    p = _Parser(
        prog="python -m tinyad.compare",
        description="Run a torch script or notebook on torch and on tinyad (torch resolved to "
                    "tinyad by an import hook; the program is not changed) and show, value by "
                    "value, where the two runs agree and where they part.",
        epilog="Exit status: 0 the runs agree, 1 they differ, 2 the program cannot run on one "
               "of the engines (the report says which and why), 3 bad usage. Options go before "
               "the program; everything after it is passed to the program.")
    p.add_argument("program", help="a .py script or a .ipynb notebook")
    p.add_argument("args", nargs=argparse.REMAINDER, help="arguments for the script")
    p.add_argument("--grads", action="store_true",
                   help="also record every leaf's .grad after every backward() call")
    p.add_argument("--own-random", action="store_true",
                   help="let each engine draw its own random numbers (by default torch.rand, "
                        "randn, randint, manual_seed, nn.init... draw from one seeded numpy "
                        "stream in both runs)")
    p.add_argument("--rtol", type=float, default=None,
                   help=f"relative tolerance for every value (default: {t64[0]:g} for float64, "
                        f"{t32[0]:g} for float32 and for numbers in printed text)")
    p.add_argument("--atol", type=float, default=None,
                   help=f"absolute tolerance (default: {t64[1]:g} for float64, {t32[1]:g} for "
                        "float32 and text)")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="output on stdout (default text)")
    p.add_argument("--report", metavar="OUT.md", help="also write a Markdown report here")
    p.add_argument("--max-rows", type=int, default=None,
                   help="list at most this many compared values (default: all)")
    p.add_argument("--timeout", type=float, default=600,
                   help="seconds each run may take (default 600)")
    return p


def main(argv=None):
    options = _parser().parse_args(argv)
    path = Path(options.program)
    if path.suffix not in (".py", ".ipynb"):
        _parser().error(f"{options.program}: expected a .py script or a .ipynb notebook")
    if not path.is_file():
        _parser().error(f"{options.program}: no such file")
    if path.suffix == ".ipynb" and options.args:
        _parser().error("a notebook takes no arguments")
    for name in ("rtol", "atol"):
        value = getattr(options, name)
        if value is not None and not value >= 0:
            _parser().error(f"--{name} must be a number >= 0, not {value}")
    try:
        result = run(path, options.args, grads=options.grads, own_random=options.own_random,
                     rtol=options.rtol, atol=options.atol, timeout=options.timeout)
    except ImportError as e:  # nbclient missing for a notebook
        print(f"python -m tinyad.compare: {e} (pip install nbclient nbformat ipykernel)",
              file=sys.stderr)
        return BAD_USAGE
    if options.format == "json":
        print(result.to_json())
    else:
        print(result.text(options.max_rows), end="")
    if options.report:
        Path(options.report).write_text(result.markdown(options.max_rows))
    return result.exit_code


if __name__ == "__main__":
    sys.exit(main())
