"""Core helper: an installed distribution's version and files, without ``importlib.metadata``.

Importing ``importlib.metadata`` (with ``email`` and ``zipfile`` behind it) costs a short
command more than its whole run when all it needs is one version or one file. A plain
``NAME-VERSION.dist-info`` folder, what pip installs, is read directly; anything else is left to
``importlib.metadata`` itself, so the answer is always the one it would give.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path


class Installed:
    """An installed distribution: its version and where its files are."""

    def __init__(self, version: str | None, locate: Callable[[str], object]) -> None:
        self.version = version
        self.locate_file = locate


def find_installed(name: str, paths: list[str]) -> Installed | None:
    """The first distribution ``name`` under ``paths``, as ``importlib.metadata`` finds it.

    A plain ``NAME-VERSION.dist-info`` folder (what pip installs) is read directly: importing
    ``importlib.metadata`` costs a command more than its whole run when it needs one official
    schema. Anything else (an ``.egg-info``, an egg, a zip on the path, two candidates in one
    folder, another finder of distributions) is left to ``importlib.metadata`` itself.
    """
    if any(_other_finder(finder) for finder in sys.meta_path):
        return _by_importlib(name, paths)  # a finder that may know distributions of its own
    wanted = _normalized(name)
    for root in paths:
        try:
            children = os.listdir(root or ".")
        except NotADirectoryError:
            return _by_importlib(name, paths)  # a zip file on the path
        except OSError:
            continue
        hits = []
        for child in children:
            low = child.lower()
            if low.endswith((".dist-info", ".egg-info", ".egg")):
                stem = low.rpartition(".")[0].partition("-")[0]
                if _normalized(stem) == wanted or stem.replace("-", "_") == wanted:
                    hits.append(child)
        if not hits:
            continue
        if len(hits) != 1 or not hits[0].lower().endswith(".dist-info"):
            return _by_importlib(name, paths)
        info = os.path.join(root or ".", hits[0])
        version = _metadata_version(os.path.join(info, "METADATA"))
        if version is None:
            return _by_importlib(name, paths)
        return Installed(version, functools.partial(_locate, os.path.dirname(info)))
    return None  # no folder on the path has one (nor could importlib.metadata find one)


def _other_finder(finder: object) -> bool:
    """Whether ``finder`` finds distributions and is not the standard path finder."""
    from importlib.machinery import PathFinder

    return finder is not PathFinder and hasattr(finder, "find_distributions")


def _locate(base: str, path: str) -> Path:
    """Where a distribution's file ``path`` (relative to its site folder) is."""
    return Path(base) / path


def _normalized(name: str) -> str:
    """A distribution name as ``importlib.metadata`` compares it (PEP 503, underscores)."""
    return re.sub(r"[-_.]+", "-", name).lower().replace("-", "_")


def _metadata_version(path: str) -> str | None:
    """The ``Version`` header of a METADATA file (None when unreadable or absent)."""
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    return None  # the end of the headers
                key, sep, value = line.partition(":")
                if sep and key.strip().lower() == "version":
                    return value.strip()
    except (OSError, UnicodeDecodeError):
        return None
    return None


def _by_importlib(name: str, paths: list[str]) -> Installed | None:
    from importlib import metadata

    for dist in metadata.distributions(name=name, path=paths):
        return Installed(dist.version, dist.locate_file)
    return None
