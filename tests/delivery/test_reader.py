"""Reading a package's files: the SHA-256 fast path gives what the general reading gives."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from arkivlucka.delivery.reader import (
    FIRST,
    SHA256_ONLY,
    PackageReader,
    hash_or_error,
    sha256_or_error,
)
from arkivlucka.files.zipsafe import ZipLimits

SIZES = {
    "empty": 0,
    "small": 3000,
    "one-short": FIRST - 1,
    "first-exactly": FIRST,
    "large": 5 * FIRST + 17,
}


def _package(tmp_path: Path) -> Path:
    pkg = tmp_path / "pkg"
    (pkg / "representations" / "rep1" / "data").mkdir(parents=True)
    for name, size in SIZES.items():
        data = bytes((n * 7 + size) % 251 for n in range(size))
        (pkg / "representations" / "rep1" / "data" / f"{name}.bin").write_bytes(data)
    return pkg


def _zip(pkg: Path) -> Path:
    archive = pkg.with_suffix(".zip")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(pkg.rglob("*.bin")):
            zf.write(path, f"{pkg.name}/{path.relative_to(pkg)}")
    return archive


@pytest.mark.parametrize("name", sorted(SIZES))
@pytest.mark.parametrize("kind", ["folder", "zip"])
def test_sha256_or_error_is_hash_or_errors_digest_as_bytes(
    tmp_path: Path, name: str, kind: str
) -> None:
    pkg = _package(tmp_path)
    reader = PackageReader(_zip(pkg) if kind == "zip" else pkg, ZipLimits())
    reader.walk()
    rel = f"representations/rep1/data/{name}.bin"
    size, digests, kept = hash_or_error(reader, rel, SHA256_ONLY, False)  # type: ignore[misc]
    assert kept is None and size == SIZES[name]
    assert sha256_or_error(reader, rel) == (size, bytes.fromhex(digests["SHA-256"]))


def test_an_unreadable_file_gives_its_error(tmp_path: Path) -> None:
    pkg = _package(tmp_path)
    reader = PackageReader(pkg, ZipLimits())
    reader.walk()
    (pkg / "representations" / "rep1" / "data" / "small.bin").unlink()
    got = sha256_or_error(reader, "representations/rep1/data/small.bin")
    assert isinstance(got, FileNotFoundError)
    assert type(got) is type(
        hash_or_error(reader, "representations/rep1/data/small.bin", SHA256_ONLY, False)
    )
