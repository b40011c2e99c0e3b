"""Official schemas stage: find, pin and check the third-party schema and rule files.

The official schemas (METS, PREMIS, EAD3, EAC-CPF, apeEAD, the E-ARK CSIP/SIP extension
schemas, Schematron rules, profiles and vocabularies) are never copied into arkivlucka. They come
from the field's own packages on the package registry, installed without their dependencies and
read as files where ``importlib.metadata`` finds them (never imported). The manifest
``official-schemas.json`` inside the package pins every file: what it is, the source package and
version, its path inside that distribution and its SHA-256. A file that is missing or differs is
a finding that names it; nothing falls back silently.

Lookup order, the same everywhere: a folder the caller gives (``schema_dir``), else the folder
in ``$ARKIVLUCKA_SCHEMAS``, else the installed sources (arkivlucka's own data folder first, then
the current Python environment). A folder holds each file under its manifest key
(``mets/mets.xsd``, ``vocabs/IANA.txt`` …). The first source that applies is the only one used.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from arkivlucka.core.dists import Installed, find_installed
from arkivlucka.core.errors import ArkivluckaError
from arkivlucka.core.findings import Finding, error

#: Environment variable naming a folder of official schemas (laid out by manifest key).
SCHEMAS_ENV = "ARKIVLUCKA_SCHEMAS"
MANIFEST_NAME = "official-schemas.json"
#: Finding codes meaning "an official file is not usable", so a check needing it did not run.
MISSING, CHANGED = "official-schema-missing", "official-schema-changed"
CODES = frozenset({MISSING, CHANGED})


class OfficialSchemasError(ArkivluckaError):
    """An official schema file is missing or differs from the one the manifest pins."""


@dataclass(frozen=True)
class OfficialFile:
    """One pinned official file: key, what it is, source package, version, path, SHA-256."""

    key: str
    what: str
    package: str
    version: str
    path: str
    sha256: str


@dataclass(frozen=True)
class Source:
    """Where official files are looked up: a folder (given or from the environment) or installed."""

    kind: str  # "folder" (given by the caller), "env" ($ARKIVLUCKA_SCHEMAS) or "installed"
    folder: Path | None = None

    def describe(self) -> str:
        """A phrase for messages: where the files were looked for."""
        if self.kind == "folder":
            return f"the folder {self.folder}"
        if self.kind == "env":
            return f"the folder {self.folder} (${SCHEMAS_ENV})"
        return f"the installed source packages ({data_dir()} or the Python environment)"


@dataclass(frozen=True)
class FileStatus:
    """What was found for one official file: where, which package version, and whether it is ok."""

    file: OfficialFile
    state: str  # "ok", "missing" or "changed"
    location: Path | None
    found_version: str | None
    where: str

    @property
    def ok(self) -> bool:
        """Whether the file is present with the pinned checksum."""
        return self.state == "ok"

    def finding(self, *, file: str | None = None, line: int | None = None) -> Finding | None:
        """The finding that explains a file that is not ok (None when ok)."""
        f = self.file
        name = f"{f.key} ({f.what}; {f.package} {f.version}, {f.path})"
        if self.state == "missing":
            msg = f"official schema {name} not found in {self.where}"
            return error(MISSING, msg, file=file, line=line, path=f.key)
        if self.state == "changed":
            other = ""
            if self.found_version and self.found_version != f.version:
                other = f" (installed {f.package} is version {self.found_version})"
            msg = (
                f"official schema {name} at {self.location} differs from the pinned file: its "
                f"SHA-256 is not {f.sha256}{other}"
            )
            return error(CHANGED, msg, file=file, line=line, path=f.key)
        return None


@functools.cache
def manifest() -> tuple[OfficialFile, ...]:
    """Every pinned official file, in manifest order."""
    import json

    # the package is installed as files (as ``schemas.bundled_schema_dir`` relies on too): the
    # file beside this module is what importlib.resources would read, without its start-up
    with open(os.path.join(os.path.dirname(__file__), MANIFEST_NAME), encoding="utf-8") as fh:
        text = fh.read()
    return tuple(OfficialFile(**row) for row in json.loads(text)["files"])


@functools.cache
def _by_key() -> dict[str, OfficialFile]:
    return {f.key: f for f in manifest()}


def entry(key: str) -> OfficialFile:
    """The manifest entry for ``key`` (KeyError for a key the manifest does not have)."""
    return _by_key()[key]


def packages() -> dict[str, str]:
    """The source packages and the versions the manifest pins, in manifest order."""
    return {f.package: f.version for f in manifest()}


def data_dir() -> Path:
    """Arkivlucka's own folder for installed source packages (user data folder, XDG respected)."""
    return _data_dir(os.environ.get("XDG_DATA_HOME"), os.environ.get("HOME"))


@functools.cache
def _data_dir(_xdg: str | None, _home: str | None) -> Path:
    """``data_dir`` for these values of the variables it depends on (asked once per process)."""
    base = _xdg_data_home()
    if base is None:
        import platformdirs

        base = platformdirs.user_data_dir("arkivlucka", appauthor=False)
    return Path(base) / "official-schemas"


def _xdg_data_home() -> str | None:
    """On plain Linux, the XDG base directory spec's data folder for arkivlucka; else None.

    ``$XDG_DATA_HOME`` when it is an absolute path, else ``~/.local/share`` with an absolute
    ``$HOME``: what ``platformdirs`` gives there (a test holds the two equal), without its
    import, which costs a command that needs one official schema a tenth of its start-up.
    Anything else (another platform, Android, no usable ``$HOME``) is left to ``platformdirs``.
    """
    env = os.environ
    if sys.platform != "linux" or hasattr(sys, "getandroidapilevel") or "ANDROID_DATA" in env:
        return None
    xdg = env.get("XDG_DATA_HOME", "")
    if os.path.isabs(xdg):
        return os.path.join(xdg, "arkivlucka")
    if xdg.strip() or not os.path.isabs(env.get("HOME", "")):
        return None  # a relative $XDG_DATA_HOME: platformdirs versions differ on it
    return os.path.join(os.path.expanduser("~/.local/share"), "arkivlucka")


def environment_paths() -> list[str]:
    """The import path searched for source packages installed in the Python environment."""
    return list(sys.path)


def choose_source(schema_dir: Path | None = None) -> Source:
    """The source to use: ``schema_dir``, else ``$ARKIVLUCKA_SCHEMAS``, else the installed ones."""
    if schema_dir is not None:
        return Source("folder", schema_dir)
    env = os.environ.get(SCHEMAS_ENV)
    if env:
        return Source("env", Path(env))
    return Source("installed")


def _distribution(name: str) -> tuple[Installed | None, str | None, str]:
    return _find_distribution(name, str(data_dir()), tuple(environment_paths()))


@functools.cache
def _find_distribution(
    name: str, data: str, env_paths: tuple[str, ...]
) -> tuple[Installed | None, str | None, str]:
    """The installed distribution ``name``: data folder first, then the environment (cached)."""
    for where, paths in (
        (f"arkivlucka's data folder {data}", [data]),
        ("the Python environment", list(env_paths)),
    ):
        found = find_installed(name, paths)
        if found is not None:
            return found, found.version, where
    return None, None, "the installed source packages"


def forget_installed() -> None:
    """Forget which source packages were found (after installing or removing some)."""
    _find_distribution.cache_clear()


def check_installed(paths: list[str]) -> list[Finding]:
    """Findings for every pinned file missing or changed in the distributions under ``paths``."""
    from importlib import metadata

    out = []
    for f in manifest():
        dists = list(metadata.distributions(name=f.package, path=paths))
        location = Path(str(dists[0].locate_file(f.path))) if dists else None
        found = digest(location) if location is not None and location.is_file() else None
        state = "missing" if found is None else "ok" if found == f.sha256 else "changed"
        version = dists[0].version if dists else None
        finding = FileStatus(f, state, location, version, ", ".join(paths)).finding()
        if finding is not None:
            out.append(finding)
    return out


@functools.cache
def _digest_cached(path: str, _stat: tuple[int, ...]) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def digest(path: Path) -> str | None:
    """The SHA-256 of a file, None when unreadable.

    Cached while it stays the same file: device, inode, size, modification and change time
    (a copy renamed over it is another inode, however its times are set).
    """
    try:
        st = path.stat()
    except OSError:
        return None
    key = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    return _digest_cached(str(path), key)


def file_status(key: str, schema_dir: Path | None = None) -> FileStatus:
    """Look up one official file by its manifest key and check it against the manifest."""
    f = entry(key)
    source = choose_source(schema_dir)
    version: str | None = None
    if source.folder is not None:
        location: Path | None = source.folder / f.key
        where = source.describe()
    else:
        dist, version, where = _distribution(f.package)
        location = Path(str(dist.locate_file(f.path))) if dist is not None else None
        if dist is None:
            where = f"{source.describe()}: {f.package} is not installed"
    digest_ = digest(location) if location is not None and location.is_file() else None
    if digest_ is None:
        return FileStatus(f, "missing", None, version, where)
    state = "ok" if digest_ == f.sha256 else "changed"
    return FileStatus(f, state, location.resolve() if location else None, version, where)


def status(schema_dir: Path | None = None) -> list[FileStatus]:
    """The status of every official file, in manifest order."""
    return [file_status(f.key, schema_dir) for f in manifest()]


def check(keys: list[str] | tuple[str, ...], schema_dir: Path | None = None) -> list[Finding]:
    """Findings for every one of ``keys`` that is missing or changed (empty when all are ok)."""
    out = []
    for key in keys:
        finding = file_status(key, schema_dir).finding()
        if finding is not None:
            out.append(finding)
    return out


def official_path(key: str, schema_dir: Path | None = None) -> Path:
    """The checked path of one official file; ``OfficialSchemasError`` when missing or changed."""
    st = file_status(key, schema_dir)
    finding = st.finding()
    if finding is not None or st.location is None:
        assert finding is not None
        raise OfficialSchemasError(finding.message, [finding])
    return st.location


def require(keys: list[str] | tuple[str, ...], schema_dir: Path | None = None) -> None:
    """Raise ``OfficialSchemasError`` listing every one of ``keys`` that is missing or changed."""
    findings = check(keys, schema_dir)
    if findings:
        raise OfficialSchemasError(
            f"{len(findings)} official schema file(s) missing or changed", findings
        )
