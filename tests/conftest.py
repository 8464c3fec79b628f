"""Hypothesis profiles for the suite.

* ``dev`` (default): quick, for the edit-test loop.
* ``ci``: chosen when ``CI=true``; derandomized so a CI run is reproducible, and prints
  the blob to replay a failure with ``@reproduce_failure``.
* ``thorough``: ~1000 examples per property, for a long hunt.

``HYPOTHESIS_PROFILE=<name>`` overrides the choice.
"""

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=20, deadline=None)
settings.register_profile(
    "ci", max_examples=60, deadline=None, derandomize=True, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
_default = "ci" if os.environ.get("CI", "").lower() == "true" else "dev"
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", _default))


@pytest.fixture(scope="session")
def engine():
    """The module under test: tinyad, or torch when TINYAD_TEST_ENGINE=torch (harness check)."""
    import _strategies

    return pytest.importorskip(_strategies.engine_name())
