"""The wheel ships the schemas, so an installed copy validates with no checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from support.helpers import REPO


@pytest.mark.slow
def test_wheel_contains_every_schema_and_py_typed(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    (wheel,) = tmp_path.glob("arkivlucka-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"arkivlucka/schemas/{p.name}" for p in (REPO / "schemas").glob("*.xsd")}
    assert expected and expected <= names
    assert "arkivlucka/py.typed" in names


def test_schema_loads_from_package_resources():
    from arkivlucka.xmldoc import schemas

    path = schemas.bundled_schema_path("arkivlucka-arkivredovisning-1.0.xsd")
    assert path.is_file()
    assert schemas.load_schema(str(path)) is schemas.load_schema(str(path))
