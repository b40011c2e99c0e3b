"""Fixtures for the official schemas: a folder of them, hiding them, offline wheels of the sources.

Everything is made from the source packages installed in the test environment (by `make test`),
never from the network and never from ../shared.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from arkivlucka.xmldoc import official


def make_official_folder(dest: Path) -> Path:
    """Copy every official file, from the installed sources, into ``dest`` laid out by key."""
    for f in official.manifest():
        target = dest / f.key
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(official.official_path(f.key), target)
    return dest


def tamper(path: Path) -> None:
    """Change one byte of a file (keeping its size)."""
    data = bytearray(path.read_bytes())
    at = data.index(b">") + 1 if b">" in data else 0
    data[at] = ord(" ") if data[at] != ord(" ") else ord("\t")
    path.write_bytes(bytes(data))


@pytest.fixture(scope="session")
def official_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of official schemas laid out by manifest key (for --schemas and the env)."""
    return make_official_folder(tmp_path_factory.mktemp("official"))


@pytest.fixture
def official_hidden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Hide the installed sources: an empty data folder and nothing in the Python environment."""
    data_home = tmp_path / "empty-xdg"
    data_home.mkdir()
    monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
    monkeypatch.delenv(official.SCHEMAS_ENV, raising=False)
    monkeypatch.setattr(official, "environment_paths", lambda: [])
    return data_home


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def rebuild_wheel(dist: metadata.Distribution, dest: Path) -> Path:
    """Make a wheel file again from an installed distribution (its recorded files)."""
    wheel_meta = dist.read_text("WHEEL") or ""
    tags = [ln.split(":", 1)[1].strip() for ln in wheel_meta.splitlines() if ln.startswith("Tag:")]
    pythons = ".".join(t.split("-")[0] for t in tags) or "py3"
    tag = f"{pythons}-{'-'.join((tags or ['py3-none-any'])[0].split('-')[1:])}"
    name = dist.metadata["Name"].replace("-", "_")
    info = f"{name}-{dist.version}.dist-info"
    skip = {"INSTALLER", "REQUESTED", "direct_url.json", "RECORD"}
    records, out = [], dest / f"{name}-{dist.version}-{tag}.whl"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for rel in dist.files or []:
            parts = rel.parts
            if "__pycache__" in parts or (parts[0].endswith(".dist-info") and parts[-1] in skip):
                continue
            if parts[0].startswith(".."):
                continue  # console scripts outside site-packages: not needed to read files
            data = Path(str(dist.locate_file(rel))).read_bytes()
            arc = "/".join(parts) if not parts[0].endswith(".dist-info") else f"{info}/{parts[-1]}"
            zf.writestr(arc, data)
            records.append(f"{arc},sha256={_b64(data)},{len(data)}")
        records.append(f"{info}/RECORD,,")
        zf.writestr(f"{info}/RECORD", "\n".join(records) + "\n")
    return out


@pytest.fixture(scope="session")
def wheel_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Wheel files of the pinned source packages, rebuilt offline from the installed ones."""
    dest = tmp_path_factory.mktemp("wheels")
    for name in official.packages():
        rebuild_wheel(metadata.distribution(name), dest)
    return dest
