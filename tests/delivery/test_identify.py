"""PRONOM format identification of the payload (siegfried, offline): PUIDs, METS MIMETYPE, PREMIS."""

from __future__ import annotations

import hashlib
import struct
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from arkivlucka.delivery.identify import identify
from support.package_fixtures import run_package

P = "{http://www.loc.gov/premis/v3}"
M = "{http://www.loc.gov/METS/}"
XLINK = "{http://www.w3.org/1999/xlink}href"


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\0\0\0")) + chunk(b"IEND", b"")  # fmt: skip


def _docx(path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.add_paragraph("Uttag ur Digframe")
    doc.save(str(path))


@pytest.fixture
def known(tmp_path: Path) -> Path:
    root = tmp_path / "uttag"
    root.mkdir()
    (root / "rapport.pdf").write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    (root / "projekt.csv").write_text("namn;år\nDigitalisering;2020\n", encoding="utf-8")
    (root / "export.xml").write_text('<?xml version="1.0"?><uttag/>', encoding="utf-8")
    (root / "bild.png").write_bytes(_png())
    _docx(root / "beskrivning.docx")
    noise = b"".join(hashlib.sha256(str(i).encode()).digest() for i in range(64))
    (root / "okand-uttag").write_bytes(noise)  # no extension, no signature: unidentified
    return root


#: file → (PUID, MIME type) siegfried gives from PRONOM
EXPECTED = {
    "rapport.pdf": ("fmt/18", "application/pdf"),
    "projekt.csv": ("x-fmt/18", "text/csv"),
    "export.xml": ("fmt/101", "application/xml"),
    "bild.png": ("fmt/11", "image/png"),
    "beskrivning.docx": ("fmt/412", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}  # fmt: skip


def test_known_formats_identified(known: Path) -> None:
    found, tool = identify(sorted(known.iterdir()))
    assert tool.startswith("siegfried ")
    got = {p.name: (i.puid, i.mime) for p, i in found.items() if i.known}
    assert got == EXPECTED
    assert not found[known / "okand-uttag"].known


def test_package_carries_the_formats(tmp_path: Path, runner: CliRunner, sample_incident: Path, entries: Path, known: Path) -> None:  # fmt: skip
    out = tmp_path / "paket"
    result = run_package(runner, sample_incident, entries, out, "--payload", str(known))
    assert result.exit_code == 0, result.stderr
    assert "[format-unidentified]" in result.stderr and "okand-uttag" in result.stderr
    rep = etree.parse(str(out / "representations/rep1/METS.xml")).getroot()
    mimes = {f.find(f"{M}FLocat").get(XLINK).rpartition("/")[2]: f.get("MIMETYPE") for f in rep.iter(f"{M}file")}  # type: ignore[union-attr]  # fmt: skip
    assert {k: mimes[k] for k in EXPECTED} == {k: v[1] for k, v in EXPECTED.items()}
    assert mimes["okand-uttag"] == "application/octet-stream"
    premis = etree.parse(str(out / "metadata/preservation/premis.xml")).getroot()
    keys = {
        o.findtext(f"{P}originalName"): o.findtext(f".//{P}formatRegistry/{P}formatRegistryKey")
        for o in premis.iter(f"{P}object")
        if o.get("{http://www.w3.org/2001/XMLSchema-instance}type") == "premis:file"
    }
    assert keys == {**{k: v[0] for k, v in EXPECTED.items()}, "okand-uttag": None}
    assert "format identification" in {e.text for e in premis.iter(f"{P}eventType")}


def test_no_identify_uses_file_names(tmp_path: Path, runner: CliRunner, sample_incident: Path, entries: Path, known: Path) -> None:  # fmt: skip
    (known / "rapport.pdf").rename(known / "rapport.txt")  # a PDF named .txt
    out = tmp_path / "paket"
    result = run_package(runner, sample_incident, entries, out, "--payload", str(known), "--no-identify")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "[format-unidentified]" not in result.stderr
    rep = etree.parse(str(out / "representations/rep1/METS.xml")).getroot()
    mimes = {f.find(f"{M}FLocat").get(XLINK).rpartition("/")[2]: f.get("MIMETYPE") for f in rep.iter(f"{M}file")}  # type: ignore[union-attr]  # fmt: skip
    assert mimes["rapport.txt"] == "text/plain"
    premis = etree.parse(str(out / "metadata/preservation/premis.xml")).getroot()
    assert not [o for o in premis.iter(f"{P}object") if "file" in (o.get("{http://www.w3.org/2001/XMLSchema-instance}type") or "")]  # fmt: skip


def test_content_wins_over_the_name(tmp_path: Path, runner: CliRunner, sample_incident: Path, entries: Path, known: Path) -> None:  # fmt: skip
    (known / "rapport.pdf").rename(known / "rapport.dat")
    out = tmp_path / "paket"
    result = run_package(runner, sample_incident, entries, out, "--payload", str(known), "--profile", "fgs-1.2")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    sip = etree.parse(str(out / "sip.xml")).getroot()
    mimes = {f.get("{ExtensionMETS}ORIGINALFILENAME"): f.get("MIMETYPE") for f in sip.iter(f"{M}file")}  # fmt: skip
    assert mimes["rapport.dat"] == "application/pdf"


def test_identifying_process_gives_what_the_thread_gives(
    monkeypatch: pytest.MonkeyPatch, known: Path
) -> None:
    from arkivlucka.delivery import identify as identification

    paths = sorted(p for p in known.iterdir()) * 3  # repeated: results are shared, not copied
    here, tool = identify(paths)
    monkeypatch.setattr(identification, "IN_PROCESS_BELOW", 0)  # the spawned process
    monkeypatch.setattr(identification, "CHUNK", 4)  # several tasks …
    monkeypatch.setattr(identification, "TASKS_PER_PROCESS", 2)  # … and a fresh process
    told: list[int] = []
    there, tool_there = identify(paths, told.append)
    assert there == here and tool_there == tool
    assert sum(told) == len(paths) and len(told) == -(-len(paths) // 4)
    assert {p.name: there[p].puid for p in paths} | {} == {
        **{name: puid for name, (puid, _) in EXPECTED.items()},
        "okand-uttag": "UNKNOWN",
    }
