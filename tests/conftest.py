from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from support.helpers import SAMPLES, SHARED

# The suite never reads the folder beside the checkout (../shared): an audit hook records every
# open or listing of a path under it, and the autouse fixture below fails the test that did it.
_SHARED_REAL = os.path.realpath(SHARED)
_VIOLATIONS: list[str] = []


def _under_shared(path: object) -> bool:
    if isinstance(path, int):
        return False
    try:
        text = os.fsdecode(path)  # type: ignore[arg-type]
    except TypeError:
        return False
    real = os.path.realpath(text)
    return real == _SHARED_REAL or real.startswith(_SHARED_REAL + os.sep)


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event in ("open", "os.listdir", "os.scandir") and args and _under_shared(args[0]):
        _VIOLATIONS.append(f"{event} {args[0]!r}")
        if event == "open":
            raise PermissionError(f"the tests must not read {SHARED}: {args[0]!r}")


sys.addaudithook(_audit)


@pytest.fixture(autouse=True)
def _never_read_shared() -> Iterator[None]:
    before = len(_VIOLATIONS)
    yield
    assert _VIOLATIONS[before:] == [], f"a test read under {SHARED}: {_VIOLATIONS[before:]}"


@pytest.fixture(autouse=True, scope="session")
def _official_schemas_from_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Official schemas come from the source packages installed in the test environment.

    `make test` installs them there (`arkivlucka schemas install --environment`); the user's
    own data folder and $ARKIVLUCKA_SCHEMAS are kept out so every run sees the same files.
    """
    saved = {k: os.environ.get(k) for k in ("XDG_DATA_HOME", "ARKIVLUCKA_SCHEMAS")}
    os.environ["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("xdg-data"))
    os.environ.pop("ARKIVLUCKA_SCHEMAS", None)
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


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


from support.official_fixtures import official_folder, official_hidden, wheel_dir  # noqa: E402, F401
from support.package_fixtures import entries, package_dir, payload  # noqa: E402, F401  (package tests)
from support.register_fixtures import db, empty_db, pg_server  # noqa: E402, F401  (register tests)
from support.web_fixtures import axe_source, browser, live, page, workspace  # noqa: E402, F401  (web tests)
