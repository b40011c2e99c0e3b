"""Verify stage, first gate: check a zip's directory before any member is read or extracted.

Refuses members whose names climb out (``..``), are absolute, are links, are encrypted or
repeated, names flagged as UTF-8 that are not, data appended after the end record, and
archives whose uncompressed size or compression ratio is absurd (a zip bomb).
The limits are documented in ``docs/package.md``.
"""

from __future__ import annotations

import contextlib
import os
import stat
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass

from arkivlucka.core.findings import Finding, error, warning


@dataclass(frozen=True)
class ZipLimits:
    """What a zip may hold before it is refused as absurd."""

    max_members: int = 1_000_000
    max_total: int = 1 << 40  # 1 TiB uncompressed
    max_ratio: int = 200  # uncompressed/compressed, for members above ratio_floor
    ratio_floor: int = 16 << 20  # small members may compress well without alarm


_UTF8_FLAG = 0x800
_UNICODE_PATH = 0x7075  # Info-ZIP Unicode Path extra field


def _unicode_path(info: zipfile.ZipInfo) -> str | None:
    """The UTF-8 name from an Info-ZIP Unicode Path extra field, if it is there and current."""
    extra, i = info.extra, 0
    while i + 4 <= len(extra):
        kind, size = struct.unpack_from("<HH", extra, i)
        body = extra[i + 4 : i + 4 + size]
        if kind == _UNICODE_PATH and len(body) > 5 and body[0] == 1:
            raw = info.orig_filename.encode("cp437", errors="replace")
            if struct.unpack_from("<L", body, 1)[0] == zlib.crc32(raw):
                with contextlib.suppress(UnicodeDecodeError):
                    return body[5:].decode("utf-8")
        i += 4 + size
    return None


def real_names(zf: zipfile.ZipFile) -> None:
    """Give members the names their maker meant, where Python's reading would garble them.

    Without the UTF-8 flag, Python decodes a name as CP437. Info-ZIP ``zip`` and many other
    tools write UTF-8 names without that flag (``Åäö`` then reads as ``├à├ñ├╢``), some with
    a Unicode Path extra field. A name is re-read as UTF-8 when its bytes are valid UTF-8
    (names in CP437/CP850 with Swedish letters are not), or taken from that field.
    """
    changed = False
    for info in zf.infolist():
        if info.flag_bits & _UTF8_FLAG or info.filename.isascii():
            continue
        name = _unicode_path(info)
        if name is None:
            with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
                name = info.orig_filename.encode("cp437").decode("utf-8")
        if name and name != info.filename:
            info.filename = name
            changed = True
    if changed:
        zf.NameToInfo = {i.filename: i for i in zf.infolist()}


_END = b"PK\x05\x06"
_END_SIZE = 22


def trailing_bytes(path: str | os.PathLike[str]) -> int:
    """Bytes after the zip's end-of-central-directory record and its comment (0 for none).

    Readers find the record by searching backwards and ignore what follows it, so data can
    hide there (or a second archive): verify reports it.
    """
    with open(path, "rb") as fh:
        size = fh.seek(0, os.SEEK_END)
        start = max(0, size - (1 << 16) - _END_SIZE)
        fh.seek(start)
        tail = fh.read()
    pos = tail.rfind(_END)
    while pos >= 0:
        if pos + _END_SIZE <= len(tail):
            comment: int = struct.unpack_from("<H", tail, pos + 20)[0]
            return len(tail) - (pos + _END_SIZE + comment)
        pos = tail.rfind(_END, 0, pos)
    return 0


def open_zip(
    path: str | os.PathLike[str], file: str
) -> tuple[zipfile.ZipFile | None, list[Finding]]:
    """Open a zip for reading; anything that stops it (or hides after it) is a finding."""
    try:
        zf = zipfile.ZipFile(path)
    except UnicodeDecodeError as exc:
        msg = (
            "a member name is marked as UTF-8 (flag bit 11) but is not UTF-8 "
            f"({exc.reason} at byte {exc.start}): the archive is damaged or was made wrongly"
        )
        return None, [error("zip-name-encoding", msg, file=file)]
    except (OSError, EOFError, ValueError, NotImplementedError, zipfile.BadZipFile) as exc:
        return None, [error("CSIPSTR1", f"neither a folder nor a readable zip: {exc}", file=file)]
    try:
        extra = trailing_bytes(path)
    except OSError:
        extra = 0
    found: list[Finding] = []
    if extra > 0:
        found.append(
            error(
                "zip-junk",
                f"{extra} byte(s) follow the archive's end record (data appended after the zip)",
                file=file,
            )
        )
    elif extra < 0:
        found.append(
            error(
                "zip-junk",
                "the archive's end record claims a comment longer than the file",
                file=file,
            )
        )
    return zf, found


def member_problem(name: str) -> tuple[str, str] | None:
    """Return (code, message) if a member name is unsafe to use as a path, else None."""
    unified = name.replace("\\", "/")
    if unified.startswith("/") or (unified[1:2] == ":" and unified[:1].isalpha()):
        return "zip-absolute", f"member '{name}' has an absolute path"
    if ".." in unified and ".." in unified.split("/"):
        return "zip-slip", f"member '{name}' climbs out of the package with '..'"
    if "\x00" in name:
        return "zip-slip", f"member '{name!r}' holds a NUL character"
    return None


def check_zip(zf: zipfile.ZipFile, file: str, limits: ZipLimits | None = None) -> list[Finding]:
    """Every reason to refuse this zip, from its central directory alone (nothing is read)."""
    limits = limits or ZipLimits()
    out: list[Finding] = []
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        return [
            error(
                "zip-bomb",
                f"{len(infos)} members; more than {limits.max_members} is refused",
                file=file,
            )
        ]
    total = 0
    seen: set[str] = set()
    alike: dict[str, list[str]] = {}
    for info in infos:
        out += _member_findings(info, file, seen, alike)
        total += info.file_size
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            ratio = info.file_size // max(info.compress_size, 1)
            out.append(
                error(
                    "zip-bomb",
                    f"member '{info.filename}' expands {ratio}:1 (more than {limits.max_ratio}:1 is refused)",
                    file=file,
                    path=info.filename,
                )
            )
    if total > limits.max_total:
        out.append(
            error(
                "zip-bomb",
                f"the archive expands to {total} bytes; more than {limits.max_total} is refused",
                file=file,
            )
        )
    return out


def _member_findings(
    info: zipfile.ZipInfo, file: str, seen: set[str], alike: dict[str, list[str]]
) -> list[Finding]:
    """What is wrong with one member's entry: its name, a link, encryption, a duplicate."""
    out: list[Finding] = []
    where = {"file": file, "path": info.filename}
    # Python cuts a name at a NUL byte: the original name says what the archive holds
    problem = member_problem(info.orig_filename if "\x00" in info.orig_filename else info.filename)
    if problem is None and not info.filename:
        problem = "zip-slip", "a member has an empty name"
    if problem:
        out.append(error(problem[0], problem[1], **where))
    if stat.S_ISLNK(info.external_attr >> 16):
        out.append(error("zip-link", f"member '{info.filename}' is a symbolic link", **where))
    if info.flag_bits & 0x1:
        out.append(error("zip-encrypted", f"member '{info.filename}' is encrypted", **where))
    key = info.filename.rstrip("/")
    if key in seen:
        out.append(error("zip-duplicate", f"member '{info.filename}' appears twice", **where))
    seen.add(key)
    folded = unicodedata.normalize("NFC", key).casefold()
    if key not in alike.setdefault(folded, [key]):
        msg = (
            f"member '{info.filename}' differs from '{alike[folded][0]}' only in case "
            "or Unicode form; they overwrite each other when unpacked on Windows or macOS"
        )
        out.append(warning("zip-name-clash", msg, **where))
        alike[folded].append(key)
    return out
