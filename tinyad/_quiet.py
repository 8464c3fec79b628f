"""numpy's floating-point warnings, off where torch has none.

numpy warns (a RuntimeWarning) where float arithmetic overflows or meets 0/0, log(0) or
sqrt(-1), and where a cast overflows or turns NaN into an integer; torch computes the same inf
and NaN without a word, so nothing it does prints a warning or fails under ``-W error``.
tinyad keeps numpy as quiet, in three ways, by cost:

* an op's forward (``Function.apply``) runs with numpy as it is, since switching numpy's
  setting costs as much as a tenth of a small op; the warnings numpy gives there are hidden by
  the filter below (they name the tinyad module that called numpy), and where the user's
  filters turn them into errors the op runs again inside ``quiet_numpy()``;
* the backward pass, conversions and in-place writes run inside ``quiet_numpy()``: switched
  once per backward, and a write cannot run twice;
* users' code inside backward (their Functions' backward, hooks) runs with numpy as they set
  it, as does a setting they chose: inside ``np.errstate(over="raise")`` an op that overflows
  raises FloatingPointError, a way to find where an inf first appears.

numpy keeps np.errstate's setting in the context variable ``numpy_errors``.
"""

import contextvars
import warnings

import numpy as np

try:
    from numpy._core._ufunc_config import _extobj_contextvar as numpy_errors
    DEFAULT = numpy_errors.get()  # numpy's own setting (warn), where nobody chose another
    with np.errstate(all="ignore"):
        QUIET = numpy_errors.get()
except ImportError:  # (a numpy without it: its warnings show)
    numpy_errors = contextvars.ContextVar("numpy_errors", default=None)
    DEFAULT = QUIET = None

# numpy's warnings of floating-point errors, where they name a tinyad module as the caller
NUMPY_WARNING, TINYAD_MODULE = (r"(overflow|invalid value|divide by zero|underflow) encountered in",
                                r"tinyad(\.|$)")
warnings.filterwarnings("ignore", NUMPY_WARNING, RuntimeWarning, TINYAD_MODULE)


def quiet_errors():
    """Turn numpy's warnings off (unless the user chose a setting); returns the token that
    ``numpy_errors.reset`` takes to undo it."""
    setting = numpy_errors.get()
    return numpy_errors.set(QUIET if setting is DEFAULT else setting)


class quiet_numpy:
    """``with quiet_numpy():`` numpy's warnings off, unless the user chose a setting (as
    ``quiet_errors``); ``with quiet_numpy(setting):`` numpy as ``setting`` has it (the caller's,
    for users' code run inside backward)."""

    def __init__(self, setting=None):
        self.setting = setting

    def __enter__(self):
        self.token = quiet_errors() if self.setting is None else \
            numpy_errors.set(self.setting)

    def __exit__(self, *exc):
        numpy_errors.reset(self.token)
