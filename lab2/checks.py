"""Argument checks shared by the experiments and the command line.

Each check raises ValueError with a message that says what was wrong and what is allowed,
so the command line can print it as a one-line error.
"""

import math
import numbers


def check_positive_int(name, value):
    """Return ``value`` if it is an integer >= 1, else raise ValueError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def check_learning_rate(value, name="learning rate"):
    """Return ``value`` as a float if it is a positive finite number, else raise ValueError."""
    try:
        lr = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}") from None
    if not (math.isfinite(lr) and lr > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return lr


def check_rank(rank, shape):
    """Return ``rank`` if 1 <= rank <= min(m, n) for a matrix of ``shape`` (m, n)."""
    m, n = shape
    if isinstance(rank, bool) or not isinstance(rank, numbers.Integral):
        raise ValueError(f"rank must be an integer, got {rank!r}")
    if not 1 <= rank <= min(m, n):
        raise ValueError(
            f"rank must be between 1 and min(m, n) = {min(m, n)} for a {m}x{n} matrix, got {rank}"
        )
    return int(rank)
