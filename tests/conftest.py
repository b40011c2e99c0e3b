from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from support.helpers import SAMPLES


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def sample_incident() -> Path:
    return SAMPLES / "digframe" / "incident.yaml"


from support.package_fixtures import entries, package_dir, payload  # noqa: E402, F401  (package tests)
