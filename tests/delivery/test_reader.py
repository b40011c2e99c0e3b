"""Reading a package's files: sizes and SHA-256 digests at every read size, folder or zip."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from arkivlucka.delivery.reader import (
    FIRST,
    SHA256_ONLY,
    XML_HOLD,
    PackageReader,
    hash_or_error,
)
from arkivlucka.files.zipsafe import ZipLimits

SIZES = {
    "empty": 0,
    "small": 3000,
    "one-short": FIRST - 1,
    "first-exactly": FIRST,
    "large": 5 * FIRST + 17,
}


def _bytes(name: str) -> bytes:
    size = SIZES[name]
    return bytes((n * 7 + size) % 251 for n in range(size))


def _package(tmp_path: Path) -> Path:
    pkg = tmp_path / "pkg"
    (pkg / "representations" / "rep1" / "data").mkdir(parents=True)
    for name in SIZES:
        (pkg / "representations" / "rep1" / "data" / f"{name}.bin").write_bytes(_bytes(name))
    return pkg


def _zip(pkg: Path) -> Path:
    archive = pkg.with_suffix(".zip")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(pkg.rglob("*.bin")):
            zf.write(path, f"{pkg.name}/{path.relative_to(pkg)}")
    return archive


@pytest.mark.parametrize("name", sorted(SIZES))
@pytest.mark.parametrize("kind", ["folder", "zip"])
def test_a_file_is_read_to_its_size_and_sha256(tmp_path: Path, name: str, kind: str) -> None:
    from arkivlucka.delivery.hashshare import hash_packed

    pkg = _package(tmp_path)
    reader = PackageReader(_zip(pkg) if kind == "zip" else pkg, ZipLimits())
    reader.walk()
    rel = f"representations/rep1/data/{name}.bin"
    digest = hashlib.sha256(_bytes(name)).hexdigest()
    assert hash_or_error(reader, rel, SHA256_ONLY, False) == (
        SIZES[name], {"SHA-256": digest}, None,
    )  # fmt: skip
    assert hash_packed(reader, rel) == (SIZES[name], bytes.fromhex(digest))


def test_an_unreadable_file_gives_its_error(tmp_path: Path) -> None:
    from arkivlucka.delivery.hashshare import hash_packed

    pkg = _package(tmp_path)
    reader = PackageReader(pkg, ZipLimits())
    reader.walk()
    (pkg / "representations" / "rep1" / "data" / "small.bin").unlink()
    assert isinstance(hash_packed(reader, "representations/rep1/data/small.bin"), FileNotFoundError)


def test_a_folder_where_a_file_was_gives_its_error(tmp_path: Path) -> None:
    from arkivlucka.delivery.hashshare import hash_packed

    pkg = _package(tmp_path)
    reader = PackageReader(pkg, ZipLimits())
    reader.walk()
    rel = "representations/rep1/data/small.bin"
    (pkg / rel).unlink()
    (pkg / rel).mkdir()
    assert isinstance(hash_packed(reader, rel), OSError)


@pytest.mark.parametrize(
    ("size", "kept"), [(100, True), (XML_HOLD, True), (XML_HOLD + 1, False)],
    ids=["small", "at-the-limit", "past-the-limit"],
)  # fmt: skip
def test_metadata_xml_keeps_its_bytes_up_to_the_limit(
    tmp_path: Path, size: int, kept: bool
) -> None:
    """``hash_packed``: a metadata XML file's bytes come along (to validate it) up to XML_HOLD."""
    from arkivlucka.delivery.hashshare import Outcomes, hash_packed

    pkg = tmp_path / "pkg"
    (pkg / "metadata" / "preservation").mkdir(parents=True)
    data = (b"<x>" + b"a" * size)[:size]
    (pkg / "metadata" / "preservation" / "premis.xml").write_bytes(data)
    (pkg / "documentation").mkdir()
    (pkg / "documentation" / "readme.xml").write_bytes(data)
    reader = PackageReader(pkg, ZipLimits())
    reader.walk()
    out = Outcomes()
    for rel in ("metadata/preservation/premis.xml", "documentation/readme.xml"):
        out.put_packed(rel, hash_packed(reader, rel))
    digest = hashlib.sha256(data).hexdigest()
    size_, digests, bytes_ = out.get("metadata/preservation/premis.xml")  # type: ignore[misc]
    assert (size_, digests, bytes_) == (size, {"SHA-256": digest}, data if kept else None)
    assert out.sha256("documentation/readme.xml") == (size, digest)  # not metadata: never kept
