from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import SAMPLES


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def sample_incident() -> Path:
    return SAMPLES / "digframe" / "incident.yaml"


from package_fixtures import entries, package_dir, payload  # noqa: E402, F401  (package tests)
from register_fixtures import db, empty_db, pg_server  # noqa: E402, F401  (register tests)
