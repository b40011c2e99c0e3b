"""Package stage, format identification in a process of its own: siegfried off the main one.

``pygfried`` holds the GIL while siegfried works, so on a thread identification does not
overlap the copying; in a separate (spawned) process it does, and its Go heap, which grows
with the files it has seen, is given back when the process is replaced. This module imports
nothing of arkivlucka's, so the worker starts quickly.
"""

from __future__ import annotations

from typing import Any

#: (puid, format name, version, MIME type, basis, warning) of one file; None where not given
Found = tuple[str, str | None, str | None, str | None, str | None, str | None]
BATCH = 500  # files per siegfried call: its detailed result is held whole per call


def identify_chunk(paths: list[str]) -> tuple[dict[str, Found], str]:
    """Identify ``paths`` (in batches); results by path name, and the identifying tool."""
    import pygfried

    tool = f"siegfried {pygfried.version()}"
    found: dict[str, Found] = {}
    for start in range(0, len(paths), BATCH):
        result: Any = pygfried.identify_many(paths[start : start + BATCH])
        if start == 0:
            details = "; ".join(i.get("details", "") for i in result.get("identifiers") or [])
            tool = f"siegfried {result.get('siegfried', pygfried.version())}" + (
                f" ({details})" if details else ""
            )
        for entry in result.get("files") or []:
            found[str(entry.get("filename"))] = _match(entry)
    return found, tool


def _match(entry: dict[str, Any]) -> Found:
    matches = [m for m in entry.get("matches") or [] if m.get("ns") == "pronom"]
    if not matches:
        return ("UNKNOWN", None, None, None, None, entry.get("errors") or "no match")
    m = matches[0]
    return (
        str(m.get("id") or "UNKNOWN"), m.get("format") or None, m.get("version") or None,
        m.get("mime") or None, m.get("basis") or None, m.get("warning") or None,
    )  # fmt: skip
