"""Issue 12: each defect class found by the hostile-input campaign, as a regression test."""

from __future__ import annotations

import io
import os
import re
import resource
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from arkivlucka.cli import cli
from arkivlucka.core.errors import InvalidOutputError
from arkivlucka.files import leftovers
from arkivlucka.inventory.merge import merge_file
from arkivlucka.inventory.xmlfile import parse_inventory
from support.helpers import DATA, SAMPLES, assert_valid
from support.inventory_helpers import make_entry

INV = DATA / "inventory"
PRESERVE = (INV / "preserve.xml").read_text(encoding="utf-8")


def _declared(encoding: str) -> str:
    return PRESERVE.replace('encoding="UTF-8"', f'encoding="{encoding}"', 1)


ENCODINGS = {  # name: (the file's bytes, the codec that reads them back)
    "utf-16-bom": (lambda: _declared("UTF-16").encode("utf-16"), "utf-16"),
    "utf-16-be-bom": (
        lambda: "\ufeff".encode("utf-16-be") + _declared("UTF-16").encode("utf-16-be"),
        "utf-16",
    ),
    "utf-16-le-no-bom": (lambda: _declared("UTF-16LE").encode("utf-16-le"), "utf-16-le"),
    "utf-32-bom": (lambda: _declared("UTF-32").encode("utf-32"), "utf-32"),
    "utf-8-declared-utf-16-bom": (lambda: b"\xff\xfe" + PRESERVE.encode("utf-16-le"), "utf-16"),
    "utf-8-bom": (lambda: b"\xef\xbb\xbf" + PRESERVE.encode("utf-8"), "utf-8-sig"),
    "iso-8859-1": (lambda: _declared("ISO-8859-1").encode("latin-1"), "latin-1"),
}


def _undeclared(text: str) -> str:
    return re.sub(r'encoding="[^"]*"', 'encoding="?"', text, count=1)


@pytest.mark.parametrize("name", sorted(ENCODINGS))
def test_merge_keeps_the_inventorys_own_encoding(tmp_path, name):
    make, codec = ENCODINGS[name]
    entry = make_entry(tmp_path / "e.xml", [{"id": "a", "klass": "2.2", "start": "2020"}])
    plain = tmp_path / "plain.xml"
    plain.write_text(PRESERVE, encoding="utf-8")
    merge_file(entry, plain)
    original = make()
    target = tmp_path / "inv.xml"
    target.write_bytes(original)
    assert merge_file(entry, target).placed == [("a", "2.2")]
    new = target.read_bytes()
    assert_valid(new)
    assert new[:4] == original[:4]  # the byte order mark (or its absence) is kept
    # the same characters as a merge into the UTF-8 file: only the merged elements differ
    assert _undeclared(new.decode(codec)) == _undeclared(plain.read_text(encoding="utf-8"))
    assert (tmp_path / "inv.xml.bak").read_bytes() == original


def test_merge_refuses_a_result_that_does_not_read_back(tmp_path, monkeypatch):
    from arkivlucka.inventory import merge as inventory_merge

    entry = make_entry(tmp_path / "e.xml", [{"id": "a", "klass": "2.2"}])
    target = tmp_path / "inv.xml"
    target.write_bytes(ENCODINGS["utf-16-bom"][0]())
    before = target.read_bytes()

    def one_byte_newline(tree, original, body=None):  # the old defect: a one-byte newline in UTF-16
        return etree.tostring(tree, encoding="UTF-16", xml_declaration=True) + b"\n"

    monkeypatch.setattr(inventory_merge, "serialise_like", one_byte_newline)
    with pytest.raises(InvalidOutputError) as info:
        merge_file(entry, target)
    assert info.value.findings[0].code == "inventory-encoding"
    assert target.read_bytes() == before
    assert not (tmp_path / "inv.xml.bak").exists()


def _corrupt_first_sheet(path: Path) -> None:
    """Overwrite the start of the first worksheet's deflate data: 'invalid block type'."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    name_len, extra_len = (
        int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], "little"),
        int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little"),
    )
    start = info.header_offset + 30 + name_len + extra_len
    data[start : start + 8] = b"\xff" * 8
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "args",
    [
        ["plan", "check", "{x}"],
        ["describe", str(SAMPLES / "digframe" / "incident.yaml"), "-o", "{out}", "--plan", "{x}"],
        ["inventory", "import", "{x}", "-o", "{out}/inv.xml", "--arkivbildare", "K"],
    ],
    ids=["plan-check", "describe-plan", "inventory-import"],
)
def test_corrupt_deflate_in_xlsx_is_a_finding(runner, tmp_path, args):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Klass", "Handlingstyp", "Bevaras/Gallras", "Referenskod", "Rubrik"])
    for n in range(200):
        sheet.append([f"2.{n}", f"Handling {n}", "Bevaras", f"F{n}", f"Rubrik {n}"])
    src = tmp_path / "plan.xlsx"
    book.save(src)
    _corrupt_first_sheet(src)
    out = tmp_path / "out"
    result = runner.invoke(cli, [a.format(x=src, out=out) for a in args])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "[xlsx-unreadable]" in result.stderr
    assert not out.exists() or not any(out.rglob("*.xml"))


def test_control_character_in_a_csv_header_is_cleaned(runner, tmp_path):
    src = tmp_path / "inv.csv"
    src.write_bytes(b"Referenskod;Rubrik;Volym;Tid;Egen\x01kolumn\nF1;Protokoll;1;2020;x\n")
    out = tmp_path / "inv.xml"
    result = runner.invoke(
        cli, ["inventory", "import", str(src), "-o", str(out), "--arkivbildare", "K"]
    )
    assert result.exit_code == 0, result.output
    assert "header of column E" in result.stderr and "[inventory-bad-character]" in result.stderr
    assert_valid(out)
    assert "Egen kolumn" in out.read_text(encoding="utf-8")


def _zip_bytes(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in names.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def test_verify_reports_a_false_utf8_flag(runner, tmp_path):
    data = _zip_bytes({"sip/METS.xml": b"<x/>", "sip/å.txt": b"x"})
    bad = tmp_path / "flag.zip"
    bad.write_bytes(data.replace("å".encode(), b"\xe5\xff"))
    result = runner.invoke(cli, ["verify", str(bad)])
    assert result.exit_code == 1
    assert "[zip-name-encoding]" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("junk", [b"JUNK", b"PK\x03\x04" + b"\0" * 40, b"\0" * 60_000])
def test_verify_reports_junk_after_the_end_record(runner, tmp_path, package_dir, junk):
    archive = tmp_path / "sip.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(package_dir.rglob("*")):
            if path.is_file() and not path.is_symlink():
                zf.write(path, f"{package_dir.name}/{path.relative_to(package_dir)}")
    assert runner.invoke(cli, ["verify", str(archive), "--json"]).exit_code in (0, 1)
    clean = [f for f in _codes(runner, archive) if f == "zip-junk"]
    assert clean == []
    archive.write_bytes(archive.read_bytes() + junk)
    assert "zip-junk" in _codes(runner, archive)


def _codes(runner, archive: Path) -> list[str]:
    import json

    result = runner.invoke(cli, ["verify", str(archive), "--json"])
    return [f["code"] for f in json.loads(result.stdout)]


def _limited(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_file_size_limit_during_xlsx_export_is_a_finding(tmp_path):
    from arkivlucka.inventory.model import Group, Inventory, Span, Unit, build_xml
    from arkivlucka.inventory.xmlfile import serialise_new

    inv = Inventory("Kommunstyrelsen", "Förvaltning", archive_name="Test")
    group = Group("Serie", "F1", title="Protokoll")
    group.children = [
        Unit(str(n), period=Span("2020", "2021"), content="x" * 40) for n in range(3000)
    ]
    inv.groups.append(group)
    source = tmp_path / "inv.xml"
    source.write_bytes(serialise_new(build_xml(inv, "2024-03-01T10:00:00+00:00", ("t", "0"))))
    out = tmp_path / "out.xlsx"
    arkivlucka = Path(sys.executable).parent / "arkivlucka"
    result = subprocess.run(
        [str(arkivlucka), "inventory", "export", str(source), "-o", str(out)],
        capture_output=True,
        text=True,
        preexec_fn=_limited(64 << 10),
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "[write-failed]" in result.stderr
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_planted_lock_symlink_is_refused(runner, tmp_path):
    inventory = tmp_path / "inv" / "forteckning.xml"
    inventory.parent.mkdir()
    shutil.copyfile(INV / "preserve.xml", inventory)
    outside = tmp_path / "outside" / "owned"
    outside.parent.mkdir()
    (inventory.parent / "forteckning.xml.lock").symlink_to(outside)
    entry = make_entry(tmp_path / "e.xml", [{"id": "a", "klass": "2.2"}])
    result = runner.invoke(cli, ["inventory", "merge", str(entry), str(inventory)])
    assert result.exit_code == 1
    assert "[lock-failed]" in result.stderr
    assert not outside.exists()
    assert inventory.read_bytes() == (INV / "preserve.xml").read_bytes()


def test_package_force_never_replaces_a_symlink(runner, tmp_path, sample_incident, entries):
    from support.package_fixtures import run_package

    elsewhere = tmp_path / "mine.txt"
    elsewhere.write_text("not a package\n")
    link = tmp_path / "leverans.zip"
    link.symlink_to(elsewhere)
    result = run_package(runner, sample_incident, entries, link, "--force")
    assert result.exit_code == 1
    assert "[output-symlink]" in result.stderr
    assert link.is_symlink() and elsewhere.read_text() == "not a package\n"


def test_describe_does_not_write_through_a_symlinked_creator_folder(
    runner, tmp_path, sample_incident
):
    out = tmp_path / "out"
    out.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (out / "kommunstyrelsen").symlink_to(outside)
    result = runner.invoke(cli, ["describe", str(sample_incident), "-o", str(out), "--force"])
    assert result.exit_code == 1
    assert "[output-symlink]" in result.stderr
    assert list(outside.iterdir()) == []


def test_describe_refuses_to_overwrite_without_force(runner, tmp_path, sample_incident):
    out = tmp_path / "out"
    assert runner.invoke(cli, ["describe", str(sample_incident), "-o", str(out)]).exit_code == 0
    again = runner.invoke(cli, ["describe", str(sample_incident), "-o", str(out)])
    assert again.exit_code == 1 and "[entries-exist]" in again.stderr
    forced = runner.invoke(cli, ["describe", str(sample_incident), "-o", str(out), "--force"])
    assert forced.exit_code == 0


def test_import_o_refuses_an_existing_file_and_a_symlink(runner, tmp_path):
    form = SAMPLES / "digframe" / "form.txt"
    kept = tmp_path / "mine.yaml"
    kept.write_text("mitt\n")
    result = runner.invoke(cli, ["import", str(form), "-o", str(kept)])
    assert result.exit_code == 1 and "[output-exists]" in result.stderr
    assert kept.read_text() == "mitt\n"
    link = tmp_path / "link.yaml"
    link.symlink_to(kept)
    result = runner.invoke(cli, ["import", str(form), "-o", str(link), "--force"])
    assert result.exit_code == 1 and "[output-symlink]" in result.stderr
    assert kept.read_text() == "mitt\n"
    assert runner.invoke(cli, ["import", str(form), "-o", str(kept), "--force"]).exit_code == 0
    assert "organisation" in kept.read_text(encoding="utf-8")


KILLED = """
import os, signal, sys
from pathlib import Path
from arkivlucka.files.write import temp_beside
temp_beside(Path(sys.argv[1]), b"half")
os.kill(os.getpid(), signal.SIGKILL)
"""


def _killed_leftover(target: Path) -> Path:
    before = set(target.parent.iterdir())
    proc = subprocess.run([sys.executable, "-c", KILLED, str(target)], check=False)
    assert proc.returncode == -9
    (left,) = set(target.parent.iterdir()) - before
    return left


def test_merge_removes_what_a_killed_run_left(runner, tmp_path):
    inventory = tmp_path / "forteckning.xml"
    shutil.copyfile(INV / "preserve.xml", inventory)
    left = _killed_leftover(inventory)
    mine = tmp_path / leftovers.temp_name(inventory.name)  # a live process's: kept
    mine.write_bytes(b"busy")
    entry = make_entry(tmp_path / "e.xml", [{"id": "a", "klass": "2.2"}])
    result = runner.invoke(cli, ["inventory", "merge", str(entry), str(inventory)])
    assert result.exit_code == 0, result.output
    assert not left.exists() and mine.exists()
    assert "[stale-temp-removed]" in result.stderr and left.name in result.stderr


def test_package_and_describe_remove_what_a_killed_run_left(
    runner, tmp_path, sample_incident, entries
):
    from support.package_fixtures import run_package

    out = tmp_path / "leverans"
    left = _killed_leftover(out)
    assert run_package(runner, sample_incident, entries, out).exit_code == 0
    assert not left.exists()
    made = tmp_path / "d" / "kommunstyrelsen" / "arkivbeskrivning.xml"
    made.parent.mkdir(parents=True)
    left = _killed_leftover(made)
    result = runner.invoke(cli, ["describe", str(sample_incident), "-o", str(tmp_path / "d")])
    assert result.exit_code == 0 and not left.exists()
    assert "[stale-temp-removed]" in result.stderr


def test_leftovers_from_another_host_are_removed_only_when_old(tmp_path):
    other = "beef" if leftovers._HOST != "beef" else "cafe"
    old = f".x.xml.{other}-1-1000-abcdef.tmp"
    fresh = f".x.xml.{other}-1-{int(time.time())}-abcdef.tmp"
    unrelated = ".x.xml.swp"
    for name in (old, fresh, unrelated):
        (tmp_path / name).write_bytes(b"")
    assert leftovers.is_stale(old) and not leftovers.is_stale(fresh)
    assert [f.code for f in leftovers.sweep(tmp_path)] == ["stale-temp-removed"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([fresh, unrelated])


XINCLUDE = '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" parse="text"/>'


def test_xinclude_in_an_inventory_is_refused(tmp_path):
    text = PRESERVE.replace("</Arkivforteckning>", XINCLUDE + "</Arkivforteckning>")
    with pytest.raises(Exception) as info:
        parse_inventory(text.encode(), "x.xml")
    assert [f.code for f in info.value.findings] == ["xml-xinclude"]  # type: ignore[attr-defined]


def test_xinclude_in_a_validated_entry_is_refused(runner, tmp_path, sample_incident):
    out = tmp_path / "out"
    assert runner.invoke(cli, ["describe", str(sample_incident), "-o", str(out)]).exit_code == 0
    doc = out / "kommunstyrelsen" / "arkivbeskrivning.xml"
    text = doc.read_text(encoding="utf-8")
    close = text.rindex("</")
    doc.write_text(text[:close] + XINCLUDE + text[close:], encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(doc)])
    assert result.exit_code == 1 and "[xml-xinclude]" in result.stderr


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE Arkivforteckning SYSTEM "file:///etc/passwd">',
        '<!DOCTYPE Arkivforteckning PUBLIC "-//A//B//EN" "http://example.invalid/a.dtd">',
    ],
)
def test_external_doctype_in_an_inventory_is_refused(runner, tmp_path, doctype):
    target = tmp_path / "inv.xml"
    text = PRESERVE.replace("<Arkivforteckning", doctype + "\n<Arkivforteckning", 1)
    target.write_text(text, encoding="utf-8")
    entry = make_entry(tmp_path / "e.xml", [{"id": "a", "klass": "2.2"}])
    result = runner.invoke(cli, ["inventory", "merge", str(entry), str(target)])
    assert result.exit_code == 1 and "[xml-doctype]" in result.stderr
    assert target.read_text(encoding="utf-8") == text


def test_describe_streams_creators_with_the_same_bytes(tmp_path, sample_incident):
    from datetime import UTC, datetime

    from arkivlucka.core.context import RunContext
    from arkivlucka.entries.describe import describe, make_documents
    from arkivlucka.incident.load import load_incident_text

    text = sample_incident.read_text(encoding="utf-8").replace(
        "records_creators:\n",
        "records_creators:\n"
        + "".join(f"  - name: Nämnd {k}\n    department: Förvaltning {k}\n" for k in range(6)),
    )
    src = tmp_path / "incident.yaml"
    src.write_text(text, encoding="utf-8")
    ctx = RunContext(datetime(2024, 3, 1, tzinfo=UTC), "t", by_role="kommunarkivarie")
    docs = make_documents(load_incident_text(text), ctx).documents
    written = describe(src, tmp_path / "out", ctx).written
    assert len(written) == len(docs) == 14
    assert {str(p.relative_to(tmp_path / "out")): p.read_bytes() for p in written} == docs


def test_lock_file_records_owner_and_is_removed(tmp_path):
    from arkivlucka.files import update as safe_update

    target = tmp_path / "x.xml"
    target.write_bytes(b"<x/>")
    with safe_update.locked(target) as notes:
        stamp = safe_update.lock_path(target).read_text()
        assert f"-{os.getpid()}-" in stamp and notes == []
    assert not safe_update.lock_path(target).exists()


@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
def test_dry_run_diff_from_the_line_index_is_the_plain_diff(tmp_path, line_end):
    from arkivlucka.core.textdiff import unified
    from arkivlucka.inventory.diff import Lines, diff

    old = PRESERVE.replace("\n", line_end).encode("utf-8")
    target = tmp_path / "inv.xml"
    target.write_bytes(old)
    entry = make_entry(tmp_path / "e.xml", [{"id": "a", "klass": "2.2"}, {"id": "b", "klass": "9"}])
    merge_file(entry, target)
    new = target.read_bytes()
    plain = unified(
        old.decode().splitlines(keepends=True),
        new.decode().splitlines(keepends=True),
        fromfile="x",
        tofile="x (efter merge)",
    )
    assert diff(old, new, "x", "UTF-8") == plain
    assert "+" in plain and len(Lines(new, "utf-8")) == len(new.decode().splitlines())


def test_lock_left_by_a_killed_merge_is_taken_over_and_said(runner, tmp_path):
    from arkivlucka.files import update as safe_update

    inventory = tmp_path / "forteckning.xml"
    shutil.copyfile(INV / "preserve.xml", inventory)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    tag = leftovers.temp_name("x").split(".")[-2].split("-")
    tag[1] = dead.stdout.strip()
    safe_update.lock_path(inventory).write_text("-".join(tag) + "\n")
    entry = make_entry(tmp_path / "e.xml", [{"id": "a", "klass": "2.2"}])
    result = runner.invoke(cli, ["inventory", "merge", str(entry), str(inventory)])
    assert result.exit_code == 0, result.output
    assert "[stale-lock-removed]" in result.stderr
    assert not safe_update.lock_path(inventory).exists()
