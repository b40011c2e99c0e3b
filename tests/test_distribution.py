"""The wheel ships our schemas (the one copy in schemas/) and the official-schema manifest."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from support.helpers import REPO


@pytest.mark.slow
def test_wheel_schemas_are_byte_identical_to_the_repository_copy(tmp_path):
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
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        shipped = {n for n in names if n.startswith("arkivlucka/schemas/")}
        ours = {f"arkivlucka/schemas/{p.name}": p for p in (REPO / "schemas").iterdir()}
        assert ours and shipped == set(ours)
        for name, path in ours.items():
            assert zf.read(name) == path.read_bytes(), name
        manifest = REPO / "src" / "arkivlucka" / "xmldoc" / "official-schemas.json"
        assert zf.read("arkivlucka/xmldoc/official-schemas.json") == manifest.read_bytes()
    assert "arkivlucka/py.typed" in names
    # no official schema is in the wheel: they come from their own packages
    assert not [n for n in names if n.endswith(".xsd") and not n.startswith("arkivlucka/schemas/")]
    # our XSDs exist once in the repository
    assert not (REPO / "src" / "arkivlucka" / "schemas").exists()
    assert sorted(p.relative_to(REPO) for p in REPO.rglob("*.xsd") if ".venv" not in p.parts) == [
        p.relative_to(REPO) for p in sorted((REPO / "schemas").glob("*.xsd"))
    ]


def test_schema_loads_from_package_resources():
    from arkivlucka.xmldoc import schemas

    path = schemas.bundled_schema_path("arkivlucka-arkivredovisning-1.0.xsd")
    assert path.is_file()
    assert path.read_bytes() == (REPO / "schemas" / path.name).read_bytes()
    assert schemas.load_schema(str(path)) is schemas.load_schema(str(path))
