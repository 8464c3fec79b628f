"""tinyad's warnings, pointed at the user's line.

torch's warnings (raised in C++) name the Python line that called torch. tinyad's would name
a line inside tinyad wherever wrappers stand between the user and the code that warns (the
methods' checks, numpy's keyword names), so ``warn`` counts its way out of the package.
"""

import os
import sys
import warnings

_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def warn(message, category=UserWarning):
    """warnings.warn, attributed to the first caller outside tinyad."""
    frame, level = sys._getframe(1), 2
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)
