"""Start-up stays low: what `--help` and `validate` import, and the help width without shutil."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from arkivlucka.cli import terminal_width

PROBE = """
import atexit, sys
sys.argv = ["arkivlucka", *sys.argv[1:]]
from arkivlucka.cli import main
atexit.register(lambda: print("MODULES", " ".join(sorted(sys.modules)), file=sys.stderr))
main()
"""


def imported(*args: str, status: int = 0) -> set[str]:
    """The modules loaded by the time the command is done (it ends with ``status``)."""
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True)
    assert done.returncode == status, done.stderr
    line = next(x for x in done.stderr.splitlines() if x.startswith("MODULES "))
    return set(line.split()[1:])


def test_help_imports_no_heavy_module() -> None:
    modules = imported("--help")
    assert "click" in modules
    assert not modules & {"lxml", "lxml.etree", "yaml", "shutil", "json", "importlib.resources"}


def test_validate_imports_lxml_but_not_yaml_json_or_resources(tmp_path) -> None:
    doc = tmp_path / "x.xml"
    doc.write_bytes(b"<x/>")
    modules = imported("validate", str(doc), status=1)  # no schema for <x/>
    assert "lxml.etree" in modules
    assert not modules & {"yaml", "json", "importlib.resources", "rapidfuzz", "openpyxl"}


BASELINE = "import sys, click, lxml.etree; print(' '.join(sorted(sys.modules)))"


def test_validate_of_a_valid_entry_imports_no_findings_pathlib_or_dataclasses(tmp_path) -> None:
    """Findings, errors (and dataclasses) are imported with the first finding, not before."""
    from support.helpers import DATA

    golden = sorted((DATA / "golden").rglob("arkivbeskrivning.xml"))[0]
    doc = tmp_path / "entry.xml"
    doc.write_bytes(golden.read_bytes())
    base = set(
        subprocess.run(
            [sys.executable, "-c", BASELINE], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    added = imported("validate", str(doc)) - base
    heavy = {"pathlib", "dataclasses", "importlib.metadata", "hashlib", "json"}
    ours = {"arkivlucka.core.findings", "arkivlucka.core.errors", "arkivlucka.xmldoc.official"}
    assert not added & (heavy | ours)
    assert "arkivlucka.xmldoc.validate" in added


def test_validate_of_an_invalid_document_still_reports_its_findings(tmp_path) -> None:
    doc = tmp_path / "x.xml"
    doc.write_bytes(b'<ArkivbeskrivningPost xmlns="urn:arkivlucka:arkivredovisning:1.0"/>')
    done = subprocess.run(
        [sys.executable, "-m", "arkivlucka", "validate", str(doc)], capture_output=True, text=True
    )
    assert done.returncode == 1
    assert "[xml-schema]" in done.stderr


@pytest.mark.parametrize("columns", ["", "40", "60", "79", "80", "120", "junk", "0", "-5"])
def test_terminal_width_is_the_width_click_would_pick(
    columns: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if columns:
        monkeypatch.setenv("COLUMNS", columns)
    else:
        monkeypatch.delenv("COLUMNS", raising=False)
    expected = max(min(shutil.get_terminal_size().columns, 80) - 2, 50)
    assert terminal_width() == expected
