from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from helpers import SAMPLES

# Property-based tests (issue 12): a bounded number of examples in `make test`, many more in
# `make fuzz` (HYPOTHESIS_PROFILE=fuzz). No example database: tests write only to tmp_path.
_SLOW = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large]
settings.register_profile(
    "ci", max_examples=25, deadline=None, database=None, suppress_health_check=_SLOW
)
settings.register_profile(
    "fuzz", max_examples=2000, deadline=None, database=None, suppress_health_check=_SLOW
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def sample_incident() -> Path:
    return SAMPLES / "digframe" / "incident.yaml"


from package_fixtures import entries, package_dir, payload  # noqa: E402, F401  (package tests)
