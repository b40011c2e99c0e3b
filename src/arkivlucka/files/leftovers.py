"""Write stage helper: names for temporary files and locks, and removal of stale ones.

Every temporary item arkivlucka makes beside a target is named
``.<target>.<host>-<pid>-<time>-<random>.<kind>``: the host (a short hash of its name), the
process id and the creation time (Unix seconds). A run that finds such an item in a folder
it writes to removes it when it is stale: made on this host by a process that no longer
runs, or older than ``STALE_ELSEWHERE`` (made on another host sharing the folder). Each
removal is reported as an info finding (``stale-temp-removed``).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import stat
import time
import zlib
from pathlib import Path

from arkivlucka.core.findings import Finding, Severity

STALE_ELSEWHERE = 24 * 3600  # seconds: items from another host are left alone for a day


def _host_name() -> str:
    """The host name ``socket.gethostname`` gives (on POSIX without importing ``socket``)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


_HOST = format(zlib.crc32(_host_name().encode("utf-8", "replace")) & 0xFFFF, "04x")
_NAME = re.compile(
    r"^\.(?P<stem>.+)\.(?P<host>[0-9a-f]{4})-(?P<pid>\d{1,10})-(?P<ts>\d{1,12})-[0-9a-f]{6}"
    r"\.(?P<kind>tmp|old|lock)$"
)


def temp_name(target_name: str, kind: str = "tmp") -> str:
    """A fresh name for a temporary item of ``kind`` beside the file ``target_name``."""
    # the temporary name stays within file-name limits however long the target's name is
    stem = target_name.encode("utf-8", "surrogateescape")[:120].decode("utf-8", "ignore")
    tag = f"{_HOST}-{os.getpid()}-{int(time.time())}-{secrets.token_hex(3)}"
    return f".{stem}.{tag}.{kind}"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return True


def is_stale(name: str, now: float | None = None) -> bool:
    """Whether ``name`` is a temporary item left by a run that is over."""
    match = _NAME.match(name)
    if match is None:
        return False
    now = time.time() if now is None else now
    if now - int(match["ts"]) > STALE_ELSEWHERE:
        return True
    return match["host"] == _HOST and not _alive(int(match["pid"]))


def _remove(path: Path) -> bool:
    try:
        st = path.lstat()
        if stat.S_ISDIR(st.st_mode):
            shutil.rmtree(path)
        else:
            path.unlink()
    except OSError:
        return False
    return True


def sweep(folder: Path) -> list[Finding]:
    """Remove the stale temporary items in ``folder``; one info finding per item removed."""
    found: list[Finding] = []
    names: list[str] = []
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        names = [e.name for e in entries if e.name.startswith(".") and _NAME.match(e.name)]
    for name in sorted(names):
        if is_stale(name) and _remove(folder / name):
            found.append(
                Finding(
                    "stale-temp-removed",
                    Severity.INFO,
                    f"removed {name}, left behind by an earlier run that did not finish",
                    file=str(folder / name),
                )
            )
    return found
