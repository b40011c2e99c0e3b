"""The streamed PREMIS writer: the same bytes as the tree builder, for every batch boundary."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest

from arkivlucka.core.context import RunContext
from arkivlucka.delivery import premis_stream
from arkivlucka.delivery.identify import Identification, IdentifiedFile
from arkivlucka.delivery.premis import build_premis
from arkivlucka.incident.load import load_incident
from arkivlucka.incident.model import Incident
from support.helpers import SAMPLES, assert_valid

CTX = RunContext(created=datetime(2024, 3, 1, 9, 0, tzinfo=UTC), tool_version="9.9.9")
TOOL = "siegfried 1.11.2 (DROID_SignatureFile_V120.xml; container-signature & <x>.xml)"
FORMATS = [
    Identification(
        "fmt/276",
        "Acrobat PDF 1.7 - Portable Document Format",
        "1.7",
        "application/pdf",
        "extension match pdf; byte match at 0, 8",
    ),
    Identification(
        "x-fmt/18",
        "Comma Separated Values",
        None,
        "text/csv",
        "extension match csv",
        "match on extension only",
    ),
    Identification("UNKNOWN", warning="no match"),
]
NAMES = ["a.pdf", 'mapp/fil & <tecken> "citat".csv', "åäö/日本語 'x'.bin"]


@pytest.fixture
def incident() -> Incident:
    return load_incident(SAMPLES / "digframe" / "incident.yaml").incident


def _files(count: int) -> list[IdentifiedFile]:
    return [
        IdentifiedFile(
            f"representations/rep1/data/{n:04d}/{NAMES[n % 3]}",
            NAMES[n % 3].rpartition("/")[2],
            FORMATS[n % 3],
            TOOL,
        )
        for n in range(count)
    ]


@pytest.mark.parametrize("count", [0, 1, 3, 499, 500, 501, 1200])
@pytest.mark.parametrize("note", [None, "inte validerad mot schemana"])
def test_streamed_premis_is_the_tree_serialised(
    incident: Incident, count: int, note: str | None
) -> None:
    files = _files(count)
    out = io.BytesIO()
    premis_stream.write_premis(out, incident, "paket-1", CTX, note, files)
    expected = build_premis(incident, "paket-1", CTX, note, files)
    assert out.getvalue() == expected
    if count in (0, 501):
        assert_valid(out.getvalue())


def test_streamed_premis_of_an_incident_without_lost_records(incident: Incident) -> None:
    from dataclasses import replace

    bare = replace(incident, lost_records=[])
    out = io.BytesIO()
    premis_stream.write_premis(out, bare, "paket-1", CTX, None, _files(2))
    assert out.getvalue() == build_premis(bare, "paket-1", CTX, None, _files(2))
