from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from arkivlucka.cli import cli
from arkivlucka.core.errors import InvalidOutputError, OutputError
from arkivlucka.files import update as safe_update
from arkivlucka.inventory import merge as inventory_merge
from arkivlucka.inventory.merge import merge_file
from support.helpers import DATA, assert_valid, canonical
from support.inventory_helpers import make_entry, parse, q

INV = DATA / "inventory"


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    target = tmp_path / "forteckning.xml"
    shutil.copyfile(INV / "preserve.xml", target)
    return target


def _merge(runner, entry: Path, inv: Path, *extra: str):
    return runner.invoke(cli, ["inventory", "merge", str(entry), str(inv), *extra])


def _gaps(root, parent_xpath: str) -> list[str]:
    ns = {"a": "urn:arkivlucka:arkivforteckning:1.0"}
    return [g.get("HandlingID") for g in root.xpath(f"{parent_xpath}/a:Lucka", namespaces=ns)]


def test_class_match_places_gap_and_notes_overlapping_units(runner, tmp_path, inventory):
    entry = make_entry(
        tmp_path / "e.xml", [{"id": "objekt", "klass": "2.2", "start": "2022", "end": "2023"}]
    )
    result = _merge(runner, entry, inventory)
    assert result.exit_code == 0, result.output
    assert "placed: objekt → 2.2" in result.stderr
    assert "notes added to 1 storage unit(s)" in result.stderr
    assert result.stdout == ""
    root = parse(inventory)
    assert _gaps(root, "//a:Klass[@Kod='2.2']") == ["objekt"]
    gap = root.find(f".//{q('Lucka')}")
    assert gap.get("IncidentID") == "incident-test-1"
    assert gap.findtext(q("ArkivbeskrivningPostID")) == "ab-test-incident-test-1"
    assert gap.findtext(f"{q('IncidentReferens')}/{q('IncidentID')}") == "incident-test-1"
    noted = [
        u.get("ID")
        for u in root.iter(q("Forvaringsenhet"))
        if any(n.get("Typ") == "lucka" for n in u.iter(q("Anmarkning")))
    ]
    assert noted == ["v3"]  # 2022-01–2023-06 overlaps; 2019–2021 and the undated unit do not
    assert_valid(inventory)


def test_open_ended_gap_notes_every_later_unit(tmp_path, inventory):
    entry = make_entry(
        tmp_path / "e.xml",
        [
            {
                "id": "nytto",
                "title": "Tidplaner",
                "klass": "2.2",
                "start": "2020",
                "text": "efter 2019",
            }
        ],
    )
    report = merge_file(entry, inventory)
    assert report.unit_notes == 2  # v2 (holds tidplaner, 2019–2021) and v3 (2022–, undescribed)
    root = parse(inventory)
    assert root.find(f".//{q('Lucka')}/{q('Period')}/{q('Text')}").text == "efter 2019"


def test_gap_without_period_notes_no_unit(tmp_path, inventory):
    entry = make_entry(tmp_path / "e.xml", [{"id": "tidplaner", "klass": "2.2"}])
    report = merge_file(entry, inventory)
    assert report.placed == [("tidplaner", "2.2")]
    assert report.unit_notes == 0


def test_series_match(runner, tmp_path, inventory):
    entry = make_entry(
        tmp_path / "e.xml", [{"id": "utredn", "serie": "f 2", "start": "2019", "end": "2019"}]
    )
    result = _merge(runner, entry, inventory)
    assert result.exit_code == 0, result.output
    root = parse(inventory)
    assert _gaps(root, "//a:Serie[@Signum='F2']") == ["utredn"]
    f2 = root.find(f".//{q('Serie')}")
    notes = [len(list(u.iter(q("Anmarkning")))) for u in f2.iter(q("Forvaringsenhet"))]
    assert notes == [1, 0]


def test_no_match_goes_to_review_and_is_reported(runner, tmp_path, inventory):
    entry = make_entry(tmp_path / "e.xml", [{"id": "okand", "klass": "9.9"}, {"id": "utan"}])
    result = _merge(runner, entry, inventory, "--json")
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)
    assert [f["code"] for f in findings] == ["inventory-gap-review"] * 2
    assert "9.9" in findings[0]["message"]
    root = parse(inventory)
    review = root.find(f"{q('Arkiv')}/{q('Granskning')}")
    assert review is not None
    assert review.findtext(q("Beskrivning")).startswith("Att granska")
    assert [g.get("HandlingID") for g in review.iter(q("Lucka"))] == ["okand", "utan"]
    assert review.find(f"{q('Lucka')}/{q('Placering')}/{q('Klassificering')}").text == "9.9"
    # the review section stands before the archive's extension slot
    assert review.getnext().tag == q("Tillagg")
    assert_valid(inventory)


def test_merge_is_idempotent(runner, tmp_path, inventory):
    entry = make_entry(
        tmp_path / "e.xml",
        [{"id": "a", "klass": "2.2", "start": "2019"}, {"id": "b", "klass": "7.7"}],
    )
    assert _merge(runner, entry, inventory).exit_code == 0
    once = inventory.read_bytes()
    backup = inventory.with_name(inventory.name + ".bak").read_bytes()
    result = _merge(runner, entry, inventory)
    assert result.exit_code == 0
    assert "nothing to change" in result.stderr
    assert inventory.read_bytes() == once
    assert inventory.with_name(inventory.name + ".bak").read_bytes() == backup


def test_untouched_content_is_canonically_identical(tmp_path, inventory):
    original = inventory.read_bytes()
    entry = make_entry(
        tmp_path / "e.xml",
        [
            {"id": "a", "klass": "2.2", "start": "2016", "end": "2022"},
            {"id": "b", "serie": "F2", "start": "2021"},
            {"id": "c", "klass": "5.5"},
        ],
    )
    merge_file(entry, inventory)
    merged = inventory.read_bytes()
    assert merged.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<!-- EXEMPEL')
    assert merged.endswith(b"<!-- slut -->\n")
    assert inventory.with_name(inventory.name + ".bak").read_bytes() == original
    tree = etree.fromstring(merged).getroottree()
    added = [
        el
        for el in tree.iter(q("Lucka"), q("Granskning"), q("Anmarkning"))
        if el.tag != q("Anmarkning") or el.get("Typ") == "lucka"
    ]
    assert len(added) >= 5
    for el in added:
        if el.getparent() is not None:
            el.getparent().remove(el)
    stripped = etree.tostring(tree, encoding="UTF-8", xml_declaration=True)
    assert canonical(stripped) == canonical(original)
    # comments and processing instructions are kept byte for byte too
    assert b"<?arkiv-granskad 2023-05-01?>" in merged
    assert b'<x:skanning status="klar">2022</x:skanning>' in merged


def test_inserted_elements_are_indented_like_their_neighbours(tmp_path, inventory):
    entry = make_entry(tmp_path / "e.xml", [{"id": "a", "serie": "F2", "start": "2017"}])
    merge_file(entry, inventory)
    text = inventory.read_text(encoding="utf-8")
    assert '\n      <Lucka IncidentID="incident-test-1" HandlingID="a">\n        <Rubrik>' in text
    assert "\n      </Lucka>\n    </Serie>" in text


def test_dry_run_prints_diff_and_writes_nothing(runner, tmp_path, inventory):
    before = inventory.read_bytes()
    entry = make_entry(tmp_path / "e.xml", [{"id": "a", "klass": "2.2"}])
    result = _merge(runner, entry, inventory, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"--- {inventory}\n+++ {inventory} (efter merge)\n")
    assert '+        <Lucka IncidentID="incident-test-1" HandlingID="a">' in result.stdout
    assert "\n-" not in result.stdout.split("@@", 1)[1]  # only additions
    assert "dry run: nothing written" in result.stderr
    assert inventory.read_bytes() == before
    assert not inventory.with_name(inventory.name + ".bak").exists()


def test_creator_mismatch_is_refused(runner, tmp_path, inventory):
    before = inventory.read_bytes()
    entry = make_entry(tmp_path / "e.xml", [{"id": "a", "klass": "2.2"}], creator="Socialnämnden")
    result = _merge(runner, entry, inventory)
    assert result.exit_code == 1
    assert "[inventory-creator-mismatch]" in result.stderr
    assert "Socialnämnden" in result.stderr
    assert inventory.read_bytes() == before
    result = _merge(runner, entry, inventory, "--allow-other-creator")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("name", "code", "line"),
    [
        ("not_well_formed.xml", "xml-not-well-formed", 6),
        ("invalid.xml", "xml-schema", 6),
        ("unknown_namespace.xml", "inventory-not-inventory", 2),
    ],
)
def test_broken_inventory_is_reported_and_left_untouched(runner, tmp_path, name, code, line):
    target = tmp_path / name
    shutil.copyfile(INV / name, target)
    before = target.read_bytes()
    entry = make_entry(tmp_path / "e.xml", [{"id": "a", "klass": "2.2"}])
    result = _merge(runner, entry, target, "--json")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert findings[0]["code"] == code
    assert findings[0]["file"] == str(target)
    assert findings[0]["line"] == line
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, "e.xml"])


def test_entry_of_another_kind_is_refused(runner, tmp_path, inventory):
    result = _merge(runner, inventory, inventory)
    assert result.exit_code == 1
    assert "[inventory-not-entry]" in result.stderr


def test_invalid_result_is_refused(monkeypatch, tmp_path, inventory):
    before = inventory.read_bytes()
    entry = make_entry(tmp_path / "e.xml", [{"id": "a", "klass": "2.2"}])

    def broken(entry, gap, for_review):
        return etree.Element(q("Lucka"), HandlingID="a", IncidentID=entry.incident_id)

    monkeypatch.setattr(inventory_merge, "gap_element", broken)
    with pytest.raises(InvalidOutputError) as info:
        merge_file(entry, inventory)
    assert info.value.findings[0].code == "inventory-result-invalid"
    assert inventory.read_bytes() == before
    assert not inventory.with_name(inventory.name + ".bak").exists()


def test_crash_between_write_and_rename_keeps_the_original(monkeypatch, tmp_path, inventory):
    before = inventory.read_bytes()
    entry = make_entry(tmp_path / "e.xml", [{"id": "a", "klass": "2.2"}])
    real = os.replace

    def crash(src, dst):
        if Path(dst) == inventory:
            raise OSError(5, "simulated crash", str(dst))
        real(src, dst)

    monkeypatch.setattr(safe_update.os, "replace", crash)
    with pytest.raises(OutputError):
        merge_file(entry, inventory)
    assert inventory.read_bytes() == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
    # the lock is released: a later merge goes through
    monkeypatch.setattr(safe_update.os, "replace", real)
    assert merge_file(entry, inventory).written == inventory


def test_file_changed_under_us_is_not_overwritten(tmp_path, inventory):
    data, snapshot = safe_update.read_with_snapshot(inventory)
    inventory.write_bytes(data + b"<!-- edited elsewhere -->\n")
    with pytest.raises(OutputError) as info:
        safe_update.replace_with_backup(inventory, b"<new/>", snapshot)
    assert info.value.findings[0].code == "file-changed"
    assert inventory.read_bytes().endswith(b"<!-- edited elsewhere -->\n")


def test_lock_held_elsewhere_times_out(monkeypatch, tmp_path, inventory):
    entry = make_entry(tmp_path / "e.xml", [{"id": "a", "klass": "2.2"}])
    monkeypatch.setattr(safe_update, "LOCK_TIMEOUT", 0.2)
    with safe_update.locked(inventory), pytest.raises(OutputError) as info:
        merge_file(entry, inventory)
    assert info.value.findings[0].code == "file-locked"
    assert not safe_update.lock_path(inventory).exists()


@pytest.mark.slow
def test_concurrent_merges_lose_neither(tmp_path, inventory):
    entries = [
        make_entry(
            tmp_path / f"e{i}.xml",
            [{"id": f"gap-{i}-{k}", "klass": "2.2", "start": "2019"} for k in range(3)],
            incident=f"incident-{i}",
        )
        for i in range(4)
    ]
    env = dict(os.environ)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "arkivlucka", "inventory", "merge", str(e), str(inventory)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        for e in entries
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    root = parse(inventory)
    got = sorted((g.get("IncidentID"), g.get("HandlingID")) for g in root.iter(q("Lucka")))
    assert got == sorted((f"incident-{i}", f"gap-{i}-{k}") for i in range(4) for k in range(3))
    assert_valid(inventory)
    assert not safe_update.lock_path(inventory).exists()


def test_merged_sample_into_sample_inventory(runner, sample_incident, tmp_path):
    """The demo path: describe the sample incident, merge into the sample inventory."""
    out = tmp_path / "entries"
    assert runner.invoke(cli, ["describe", str(sample_incident), "-o", str(out)]).exit_code == 0
    inv = tmp_path / "inv.xml"
    shutil.copyfile(Path(__file__).parents[2] / "samples/digframe/arkivforteckning.xml", inv)
    result = _merge(runner, out / "kommunstyrelsen" / "arkivforteckning.xml", inv)
    assert result.exit_code == 0, result.output
    assert result.stderr.count("→ 2.2") == 4
    assert_valid(inv)


def test_hostile_inventory_is_refused(runner, tmp_path):
    target = tmp_path / "entity.xml"
    shutil.copyfile(INV / "entity.xml", target)
    entry = make_entry(tmp_path / "e.xml", [{"id": "a", "klass": "2.2"}])
    result = _merge(runner, entry, target)
    assert result.exit_code == 1
    assert "[xml-entity]" in result.stderr
    assert target.read_bytes() == (INV / "entity.xml").read_bytes()


def test_empty_class_and_single_line_documents(tmp_path):
    entry = make_entry(tmp_path / "e.xml", [{"id": "a", "klass": "2.2", "serie": "F2"}])
    empty = tmp_path / "empty.xml"
    shutil.copyfile(INV / "empty_class.xml", empty)
    assert merge_file(entry, empty).placed == [("a", "2.2")]
    text = empty.read_text(encoding="utf-8")
    assert '    <Klass Kod="2.2">\n      <Lucka IncidentID' in text
    assert "\n      </Lucka>\n    </Klass>\n  </Arkiv>" in text
    one = tmp_path / "one.xml"
    shutil.copyfile(INV / "single_line.xml", one)
    # a series signum given as the end of a reference code path matches
    assert merge_file(entry, one).placed == [("a", "SE/TKA/KS/F2")]
    assert b"\n" not in one.read_bytes()
    assert_valid(one)


def test_dry_run_with_json_keeps_stdout_json(runner, tmp_path, inventory):
    entry = make_entry(tmp_path / "e.xml", [{"id": "a", "klass": "9.9"}])
    result = _merge(runner, entry, inventory, "--dry-run", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["code"] == "inventory-gap-review"
    assert "+    <Granskning>" in result.stderr


def test_excl_lock_fallback_excludes_and_times_out(tmp_path, inventory):
    import contextlib
    import time

    lock = safe_update.lock_path(inventory)
    excl = contextlib.contextmanager(safe_update._excl_lock)
    with excl(inventory, lock, time.monotonic() + 1, 1):
        assert lock.exists()
        with (
            pytest.raises(OutputError) as info,
            excl(inventory, lock, time.monotonic() + 0.1, 0.1),
        ):
            pass
        assert info.value.findings[0].code == "file-locked"
    assert not lock.exists()


def test_unwritable_folder_is_reported(monkeypatch, tmp_path, inventory):
    entry = make_entry(tmp_path / "e.xml", [{"id": "a", "klass": "2.2"}])

    real_open = safe_update.os.open

    def denied(path, flags, mode=0o777):
        if str(path).endswith(".lock"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, mode)

    monkeypatch.setattr(safe_update.os, "open", denied)
    with pytest.raises(OutputError) as info:
        merge_file(entry, inventory)
    assert info.value.findings[0].code == "lock-failed"
