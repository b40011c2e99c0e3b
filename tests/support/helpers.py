"""Shared test helpers: schema assertions and canonical comparison."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from lxml import etree

from arkivlucka.xmldoc.validate import validate_bytes

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
DATA = REPO / "tests" / "data"
#: The folder beside the checkout that the tests must never read (see conftest.py).
SHARED = REPO.parent / "shared"


def python_says(code: str) -> str:
    """What ``code`` prints when run by a fresh interpreter (what it imports is its own)."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout


def assert_valid(doc: bytes | str | Path, external_dir: Path | None = None) -> None:
    """Assert that a generated document is valid against the schema its root calls for.

    Official kinds (METS, PREMIS, EAD3 …) are checked against the installed official schemas;
    a missing one is a failure, never a skip.
    """
    if isinstance(doc, (str, Path)):
        name, data = str(doc), Path(doc).read_bytes()
    else:
        name, data = "<generated>", doc
    findings = validate_bytes(data, name, external_dir=external_dir)
    assert not findings, "\n".join(f"{f.line}: {f.message}" for f in findings)


def canonical(data: bytes) -> bytes:
    """Canonical XML (C14N 2.0) of a document, for golden comparisons."""
    return etree.canonicalize(data.decode("utf-8"), strip_text=True).encode("utf-8")


def flat(value):
    """The same data with every run of white space in its texts folded to one space."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, dict):
        return {k: flat(v) for k, v in value.items()}
    if isinstance(value, list):
        return [flat(v) for v in value]
    return value
