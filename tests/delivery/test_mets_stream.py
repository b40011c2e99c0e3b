"""The streamed METS writer: the same bytes as the tree builder, valid, checked while streamed."""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree

from arkivlucka.delivery import mets, mets_stream
from arkivlucka.delivery.config import Agent, PackageSettings
from arkivlucka.xmldoc.build import serialise
from support.helpers import assert_valid
from support.package_fixtures import run_package

ODD_NAMES = [
    "a.txt",
    "mapp med mellanslag/fil & <tecken> \"citat\" 'apostrof'.csv",
    "åäö/Årsredovisning – 2021 (slutlig).pdf",
    "percent%20and#hash?.xml",
    "日本語/ファイル.txt",
    "tab\tname.bin",
]
PAYLOAD_NAMES = [n for n in ODD_NAMES if "\t" not in n]  # control characters are refused


def _header(note: str | None = None) -> mets.Header:
    settings = PackageSettings(submission_agreement="AVT 1", reference_code="SE/123")
    return mets.Header(
        "objid-1", "Etikett & <mer>", "2024-03-01T10:00:00+01:00", "arkivlucka", "1.0",
        settings, (Agent("Kommunstyrelsen", "212000-0000"),), Agent("Kommunen", "1"), note,
    )  # fmt: skip


def _entry(rel: str, group: str, mimetype: str, n: int) -> mets.FileEntry:
    return mets.FileEntry(
        rel, group, mimetype, n * 7, f"2021-01-0{1 + n % 9}T00:00:00+00:00", f"{n:064x}"
    )


def _entries(names: list[str], prefix: str, mimetype: str = "text/plain") -> list[mets.FileEntry]:
    return [
        _entry(f"{prefix}{name}", "representation", mimetype, n) for n, name in enumerate(names)
    ]


@pytest.mark.parametrize("count", [1, 2, 255, 256, 257, 600])
@pytest.mark.parametrize("note", [None, "inte validerad"])
def test_streamed_representation_mets_is_the_tree_serialised(count: int, note: str | None) -> None:
    prefix = "representations/rep1/"
    names = [f"{ODD_NAMES[n % len(ODD_NAMES)]}.{n}" for n in range(count)]
    data = _entries(names, prefix + "data/", 'odd/"type"&<x>')
    tree = mets.representation_mets(
        _header(note), "rep1", [mets.FileEntry(e.rel[len(prefix) :], "data", e.mimetype, e.size, e.created, e.checksum) for e in data]
    )  # fmt: skip
    out = io.BytesIO()
    mets_stream.write_representation(
        out, _header(note), "rep1", lambda: data, len(data), len(prefix)
    )
    assert out.getvalue() == serialise(tree)


def test_streamed_representation_mets_without_data_is_the_tree_serialised() -> None:
    out = io.BytesIO()
    mets_stream.write_representation(out, _header(), "rep1", lambda: [], 0, 0)
    assert out.getvalue() == serialise(mets.representation_mets(_header(), "rep1", []))


@pytest.mark.parametrize("count", [0, 1, 300])
def test_streamed_package_mets_is_the_tree_serialised(count: int) -> None:
    fixed = [
        _entry("metadata/descriptive/ks/arkivbeskrivning.xml", "descriptive", "application/xml", 1),
        _entry("metadata/descriptive/ks/eac-cpf.xml", "descriptive", "application/xml", 2),
        _entry("metadata/preservation/premis.xml", "preservation", "application/xml", 3),
        _entry("documentation/incident & co.yaml", "documentation", "application/yaml", 4),
        _entry("schemas/x.xsd", "schemas", "application/xml", 5),
    ]
    names = [f"{ODD_NAMES[n % len(ODD_NAMES)]}.{n}" for n in range(count)]
    payload = _entries(names, "representations/rep1/data/")
    rep = mets.FileEntry("representations/rep1/METS.xml", "representation-mets", "application/xml", 99, "2024-03-01T10:00:00+01:00", "f" * 64)  # fmt: skip
    out = io.BytesIO()
    mets_stream.write_package(out, _header(), fixed, rep, lambda: payload, "rep1")
    assert out.getvalue() == serialise(mets.package_mets(_header(), fixed + payload, rep, "rep1"))


@pytest.fixture
def odd_payload(tmp_path: Path) -> Path:
    root = tmp_path / "uttag"
    for n, name in enumerate(PAYLOAD_NAMES * 2):
        path = root / f"{n:02d}" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"fil {n}\n" * (n + 1), encoding="utf-8")
    return root


def test_package_with_odd_names_streams_valid_mets_listing_every_file(
    tmp_path: Path, runner: CliRunner, sample_incident: Path, entries: Path, odd_payload: Path
) -> None:
    out = tmp_path / "leverans"
    result = run_package(runner, sample_incident, entries, out, "--payload", str(odd_payload))
    assert result.exit_code == 0, result.stderr
    for rel in ("METS.xml", "representations/rep1/METS.xml"):
        assert_valid(out / rel)
    rep = etree.parse(str(out / "representations/rep1/METS.xml"))
    hrefs = rep.xpath(
        "//mets:FLocat/@xlink:href", namespaces={"mets": mets.METS, "xlink": mets.XLINK}
    )
    from urllib.parse import unquote

    listed = sorted(unquote(h) for h in hrefs)
    on_disk = sorted(
        p.relative_to(out / "representations/rep1").as_posix()
        for p in (out / "representations/rep1/data").rglob("*")
        if p.is_file()
    )
    assert listed == on_disk and len(listed) == len(PAYLOAD_NAMES) * 2
    verified = runner.invoke(
        __import__("arkivlucka.cli", fromlist=["cli"]).cli, ["verify", str(out)]
    )
    assert verified.exit_code == 0, verified.output


def test_zip_package_with_odd_names_has_the_folder_package_metadata(
    tmp_path: Path, runner: CliRunner, sample_incident: Path, entries: Path, odd_payload: Path
) -> None:
    folder, zipped = tmp_path / "p1" / "leverans", tmp_path / "p2" / "leverans.zip"
    for out in (folder, zipped):
        result = run_package(runner, sample_incident, entries, out, "--payload", str(odd_payload))
        assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(zipped) as z:
        for rel in ("METS.xml", "representations/rep1/METS.xml"):
            assert z.read(f"leverans/{rel}") == (folder / rel).read_bytes()
        assert not [n for n in z.namelist() if n.endswith(".tmp")]
    assert sorted(p.name for p in zipped.parent.iterdir()) == ["leverans.zip"]


def test_invalid_streamed_representation_mets_is_not_sealed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, runner: CliRunner, sample_incident: Path,
    entries: Path, odd_payload: Path,
) -> None:  # fmt: skip
    real = mets_stream._file_lines

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        for line in real(*args, **kwargs):
            yield line.replace("CHECKSUMTYPE=", "BOGUS=")

    monkeypatch.setattr(mets_stream, "_file_lines", broken)
    for name in ("leverans", "leverans.zip"):
        out = tmp_path / name / name
        out.parent.mkdir()
        result = run_package(runner, sample_incident, entries, out, "--payload", str(odd_payload))
        assert result.exit_code == 1
        assert "xml-schema" in result.stderr and "BOGUS" in result.stderr
        assert list(out.parent.iterdir()) == []


def test_the_written_mets_is_held_to_the_requirements_as_verify_reads_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, runner: CliRunner, sample_incident: Path,
    entries: Path, odd_payload: Path,
) -> None:  # fmt: skip
    from arkivlucka.delivery import rules

    real, lines = mets_stream._file_lines, []

    def odd_last_line(*args, **kwargs):  # type: ignore[no-untyped-def]
        out = list(real(*args, **kwargs))
        lines.append(len(out))
        out[-1] = re.sub(
            r'MIMETYPE="[^"]*"', 'MIMETYPE="application/arkivlucka-no-such-type"', out[-1]
        )
        return iter(out)

    trees: list[object] = []
    monkeypatch.setattr(mets_stream, "_file_lines", odd_last_line)
    monkeypatch.setattr(rules, "check_mets", lambda *a, **k: trees.append(a) or [])
    out = tmp_path / "dest" / "leverans"
    out.parent.mkdir()
    result = run_package(runner, sample_incident, entries, out, "--payload", str(odd_payload))
    assert result.exit_code == 1, result.stderr
    assert "is not an IANA media type [CSIP68]" in result.stderr
    assert list(out.parent.iterdir()) == []  # nothing sealed
    assert trees == [] and lines  # found in the written file, no tree was built


def _whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """The self-check as it is where the streamed reading cannot be used: trees in batches."""
    from arkivlucka.delivery import selfcheck

    monkeypatch.setattr(selfcheck, "check_written", lambda *args: False)


@pytest.mark.parametrize("child", ["answers", "dies", "cannot-fork"])
def test_a_representation_mets_checked_beside_is_still_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, runner: CliRunner, sample_incident: Path,
    entries: Path, odd_payload: Path, child: str,
) -> None:  # fmt: skip
    from arkivlucka.delivery import selfcheck

    real = mets_stream._file_lines

    def broken_in_rep(entries_: Any, prefix: str, *args: Any) -> Any:
        for line in real(entries_, prefix, *args):  # only the representation METS's files
            yield line.replace("CHECKSUMTYPE=", "BOGUS=") if "-data-" in prefix else line

    if child == "dies":  # a forked check that ends without answering is run here instead
        monkeypatch.setattr(selfcheck, "_answer", lambda *args: os._exit(3))
    started: list[object] = []
    monkeypatch.setattr(selfcheck.Beside, "__init__", _spy(selfcheck.Beside.__init__, started))
    if child == "cannot-fork":  # no process to be had: checked here, with the same refusal
        monkeypatch.setattr(selfcheck, "Child", _no_process)
    monkeypatch.setattr(mets_stream, "_file_lines", broken_in_rep)
    out = tmp_path / "dest" / "leverans"
    out.parent.mkdir()
    result = run_package(runner, sample_incident, entries, out, "--payload", str(odd_payload))
    assert result.exit_code == 1, result.stderr
    assert "representations/rep1/METS.xml" in result.stderr and "BOGUS" in result.stderr
    assert list(out.parent.iterdir()) == []
    assert started  # the representation METS was checked beside (or tried to be)


def _no_process(*args: Any) -> Any:
    raise BlockingIOError(11, "Resource temporarily unavailable")


def _spy(real: Any, calls: list[object]) -> Any:
    def init(self: Any, *args: Any) -> None:
        calls.append(args)
        real(self, *args)

    return init


def test_self_check_sees_every_payload_file_in_batches(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, runner: CliRunner, sample_incident: Path,
    entries: Path, odd_payload: Path,
) -> None:  # fmt: skip
    from arkivlucka.delivery import package, rules

    seen: list[str] = []
    real = rules.check_mets

    def spy(root: etree._Element, *args: Any, **kwargs: Any) -> Any:
        seen.extend(
            str(h) for h in root.xpath(
                "//mets:fileGrp[@ID='grp-rep1']/mets:file/mets:FLocat/@xlink:href",
                namespaces={"mets": mets.METS, "xlink": mets.XLINK},
            )
        )  # fmt: skip
        return real(root, *args, **kwargs)

    _whole(monkeypatch)
    monkeypatch.setattr(package, "SELF_CHECK_BATCH", 3)
    monkeypatch.setattr(rules, "check_mets", spy)
    out = tmp_path / "leverans"
    result = run_package(runner, sample_incident, entries, out, "--payload", str(odd_payload))
    assert result.exit_code == 0, result.stderr
    data = [h for h in seen if h != "representations/rep1/METS.xml"]
    assert len(data) == len(set(data)) == len(PAYLOAD_NAMES) * 2
    assert seen.count("representations/rep1/METS.xml") == -(-len(data) // 3)


def test_a_payload_file_breaking_a_requirement_is_not_sealed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, runner: CliRunner, sample_incident: Path,
    entries: Path, odd_payload: Path,
) -> None:  # fmt: skip
    from arkivlucka.delivery import package

    real = mets.package_mets

    def odd_last_file(*args, **kwargs):  # type: ignore[no-untyped-def]
        root = real(*args, **kwargs)
        files = root.findall(f".//{{{mets.METS}}}fileGrp[@ID='grp-rep1']/{{{mets.METS}}}file")
        for f in files:  # the last payload file: in the last batch of the self-check
            if "uttag/09/" in f[0].get(f"{{{mets.XLINK}}}href", ""):
                f.set("MIMETYPE", "application/arkivlucka-no-such-type")
        return root

    _whole(monkeypatch)
    monkeypatch.setattr(package, "SELF_CHECK_BATCH", 2)
    monkeypatch.setattr(package.mets, "package_mets", odd_last_file)
    out = tmp_path / "dest" / "leverans"
    out.parent.mkdir()
    result = run_package(runner, sample_incident, entries, out, "--payload", str(odd_payload))
    assert result.exit_code == 1, result.stderr
    assert "is not an IANA media type [CSIP68]" in result.stderr
    assert list(out.parent.iterdir()) == []
