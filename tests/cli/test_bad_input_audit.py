"""Hostile and odd inputs for inventory merge, package and verify: clear error, exit 1, nothing lost."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import unicodedata
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from arkivlucka.cli import cli
from arkivlucka.files import update as safe_update
from support.helpers import DATA
from support.inventory_helpers import make_entry
from support.package_fixtures import run_package

#: official schemas come from the installed source packages (see conftest.py)
SCHEMAS: list[str] = []


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    target = tmp_path / "forteckning.xml"
    shutil.copyfile(DATA / "inventory" / "preserve.xml", target)
    return target


@pytest.fixture
def entry(tmp_path: Path) -> Path:
    return make_entry(tmp_path / "entry.xml", [{"id": "objekt", "klass": "2.2"}])


def _merge(runner: CliRunner, entry: Path, inv: Path, *extra: str):  # type: ignore[no-untyped-def]
    return runner.invoke(cli, ["inventory", "merge", str(entry), str(inv), *extra])


def _codes(result) -> set[str]:  # type: ignore[no-untyped-def]
    """The codes of the findings that are more than information (the sample package gives no
    submission agreement or reference code: SIP5 and SIP7 information)."""
    return {f["code"] for f in json.loads(result.stdout) if f["severity"] != "info"}


# --- inventory merge -------------------------------------------------------------------------


def test_merge_through_a_link_updates_the_linked_file(
    runner: CliRunner, tmp_path: Path, entry: Path, inventory: Path
) -> None:
    link = tmp_path / "lank.xml"
    link.symlink_to(inventory.name)
    before = inventory.read_bytes()
    result = _merge(runner, entry, link)
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink(), "the link itself must not be replaced by a copy"
    assert b'HandlingID="objekt"' in inventory.read_bytes()
    assert (tmp_path / "forteckning.xml.bak").read_bytes() == before
    assert not (tmp_path / "lank.xml.bak").exists()


def test_merge_refuses_a_read_only_inventory(
    runner: CliRunner, tmp_path: Path, entry: Path, inventory: Path
) -> None:
    before = inventory.read_bytes()
    inventory.chmod(0o444)
    result = _merge(runner, entry, inventory, "--json")
    assert result.exit_code == 1
    assert _codes(result) == {"inventory-read-only"}
    assert inventory.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entry.xml", "forteckning.xml"]
    dry = _merge(runner, entry, inventory, "--dry-run")  # looking is still allowed
    assert dry.exit_code == 0, dry.stderr
    assert "+" in dry.stdout and "objekt" in dry.stdout


def test_merge_backup_blocked_leaves_no_temporary_file(
    runner: CliRunner, tmp_path: Path, entry: Path, inventory: Path
) -> None:
    before = inventory.read_bytes()
    (tmp_path / "forteckning.xml.bak").mkdir()
    result = _merge(runner, entry, inventory)
    assert result.exit_code == 1
    assert "forteckning.xml.bak" in result.stderr and "[write-failed]" in result.stderr
    assert "Traceback" not in result.output
    assert inventory.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "entry.xml",
        "forteckning.xml",
        "forteckning.xml.bak",
    ]


def test_dry_run_takes_no_lock(
    runner: CliRunner, tmp_path: Path, entry: Path, inventory: Path
) -> None:
    """A dry run only reads: it works where no lock file can be made (read-only share)."""
    safe_update.lock_path(inventory).mkdir()  # any attempt to lock fails
    result = _merge(runner, entry, inventory, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "objekt" in result.stdout
    assert _merge(runner, entry, inventory).exit_code == 1  # a real merge does lock


def test_stale_lock_file_of_a_killed_merge_is_taken_over(
    runner: CliRunner, entry: Path, inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(safe_update, "LOCK_TIMEOUT", 1.0)
    safe_update.lock_path(inventory).write_text("12345\n")  # left by a killed process
    result = _merge(runner, entry, inventory)
    assert result.exit_code == 0, result.stderr
    assert not safe_update.lock_path(inventory).exists()


# --- package ---------------------------------------------------------------------------------


def _package(runner, incident, entries, out, *extra):  # type: ignore[no-untyped-def]
    return run_package(runner, incident, entries, out, "-q", *extra)


@pytest.mark.parametrize("case", ["link_loop", "dangling_link"])
def test_payload_broken_links_refused(
    runner: CliRunner, tmp_path: Path, sample_incident: Path, entries: Path, case: str
) -> None:
    payload = tmp_path / case
    payload.mkdir()
    (payload / "ok.txt").write_text("x")
    if case == "link_loop":
        os.symlink("b", payload / "a")
        os.symlink("a", payload / "b")
    else:
        os.symlink("saknas.txt", payload / "a")
    out = tmp_path / "pkg.zip"
    result = _package(runner, sample_incident, entries, out, "--payload", str(payload))
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), result.exception  # no traceback
    assert "[payload-link]" in result.stderr and str(payload / "a") in result.stderr
    assert not out.exists()


def test_output_inside_the_payload_refused(
    runner: CliRunner, tmp_path: Path, sample_incident: Path, entries: Path, payload: Path
) -> None:
    out = payload / "leverans.zip"
    result = _package(runner, sample_incident, entries, out, "--payload", str(payload))
    assert result.exit_code == 1
    assert "[output-in-input]" in result.stderr
    assert not out.exists()
    assert not [p for p in payload.iterdir() if p.name.startswith(".leverans")]


def test_replacing_a_package_that_holds_an_input_refused(
    runner: CliRunner, tmp_path: Path, sample_incident: Path, entries: Path, payload: Path
) -> None:
    """--force -o X would delete X, which holds the payload being packed."""
    (payload.parent / "METS.xml").write_text("<mets/>")  # an old package folder
    result = _package(
        runner, sample_incident, entries, payload.parent, "--payload", str(payload), "--force"
    )
    assert result.exit_code == 1
    assert "[output-in-input]" in result.stderr
    assert (payload / "rapport.txt").is_file()


def test_output_under_a_file_is_an_error_not_a_traceback(
    runner: CliRunner, tmp_path: Path, sample_incident: Path, entries: Path
) -> None:
    blocker = tmp_path / "fil"
    blocker.write_text("x")
    result = _package(runner, sample_incident, entries, blocker / "pkg.zip")
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "[write-failed]" in result.stderr
    assert blocker.read_text() == "x"


# --- verify ----------------------------------------------------------------------------------


def _verify(runner: CliRunner, target: Path):  # type: ignore[no-untyped-def]
    return runner.invoke(cli, ["verify", str(target), *SCHEMAS, "--json"])


def test_folder_holding_a_package_and_other_files_is_not_that_package(
    runner: CliRunner, tmp_path: Path, package_dir: Path
) -> None:
    (tmp_path / "annat.txt").write_text("x")  # beside the package folder
    result = _verify(runner, tmp_path)
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert [f["code"] for f in findings] == ["CSIPSTR4"]
    assert package_dir.name in findings[0]["message"]
    wrapper = tmp_path / "wrapper"
    wrapper.mkdir()
    package_dir.rename(wrapper / package_dir.name)
    assert _verify(runner, wrapper).exit_code == 0  # the only thing inside: that is the package


def _rezip(package_dir: Path, out: Path, rename=None, extra=()) -> Path:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(package_dir.rglob("*")):
            if path.is_file() and not path.is_symlink():
                rel = f"{package_dir.name}/{path.relative_to(package_dir).as_posix()}"
                zf.writestr(rename(rel) if rename else rel, path.read_bytes())
        for name, data in extra:
            zf.writestr(name, data)
    return out


@pytest.fixture
def swedish_package(
    runner: CliRunner, tmp_path: Path, sample_incident: Path, entries: Path
) -> Path:
    payload = tmp_path / "uttag"
    (payload / "Protokoll år 2020").mkdir(parents=True)
    (payload / "Protokoll år 2020" / "Förvaltningsobjekt ÅÄÖ.txt").write_text("å\n")
    out = tmp_path / "svensk"
    result = _package(runner, sample_incident, entries, out, "--payload", str(payload))
    assert result.exit_code == 0, result.stderr
    return out


def test_zip_with_decomposed_names_matches_composed_hrefs(
    runner: CliRunner, tmp_path: Path, swedish_package: Path
) -> None:
    """macOS zips store å as a + ring (NFD); METS has it composed (NFC)."""
    archive = _rezip(
        swedish_package, tmp_path / "nfd.zip", rename=lambda n: unicodedata.normalize("NFD", n)
    )
    result = _verify(runner, archive)
    assert result.exit_code == 0, result.stdout
    findings = json.loads(result.stdout)
    assert _codes(result) == {"href-normalisation"}
    assert all(f["severity"] in ("warning", "info") for f in findings)


def test_zip_names_differing_only_in_case_are_flagged(
    runner: CliRunner, tmp_path: Path, swedish_package: Path
) -> None:
    name = f"{swedish_package.name}/representations/rep1/data/uttag/Protokoll år 2020/FÖRVALTNINGSOBJEKT åäö.txt"
    archive = _rezip(swedish_package, tmp_path / "case.zip", extra=[(name, b"x")])
    result = _verify(runner, archive)
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    clash = [f for f in findings if f["code"] == "zip-name-clash"]
    assert clash and clash[0]["severity"] == "warning"
    assert {f["code"] for f in findings if f["severity"] == "error"} == {"file-unlisted"}


def test_unreadable_mets_member_is_a_finding(
    runner: CliRunner, tmp_path: Path, swedish_package: Path
) -> None:
    archive = _rezip(swedish_package, tmp_path / "z.zip")
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo(f"{swedish_package.name}/METS.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start : start + 40] = bytes(40)
    archive.write_bytes(bytes(data))
    result = _verify(runner, archive)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), result.exception
    assert "unreadable" in _codes(result)


@pytest.mark.parametrize(
    ("base", "href", "expected"),
    [
        ("representations/rep1", "data/a.txt", "representations/rep1/data/a.txt"),
        ("representations/rep1", "../rep1/data/a.txt", "representations/rep1/data/a.txt"),
        ("representations/rep1", "../../METS.xml", "METS.xml"),
        ("representations/rep1", "../../../etc/passwd", "representations/rep1/../../../etc/passwd"),
        ("", "../x", "../x"),
    ],
)
def test_dotdot_in_hrefs_resolved_inside_the_package_only(
    base: str, href: str, expected: str
) -> None:
    from arkivlucka.delivery.metsread import join as _join

    assert _join(base, href) == expected


# --- inventory import / export: never over the input -----------------------------------------


def test_import_onto_its_own_spreadsheet_refused_even_with_force(
    runner: CliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "forteckning.csv"
    shutil.copyfile(DATA / "inventory" / "comma_bom.csv", source)
    before = source.read_bytes()
    args = ["inventory", "import", str(source), "-o", str(source), "--arkivbildare", "KS"]
    result = runner.invoke(cli, [*args, "--force", "--json"])
    assert result.exit_code == 1
    assert _codes(result) == {"output-is-input"}
    assert source.read_bytes() == before


def test_export_onto_the_inventory_refused(runner: CliRunner, inventory: Path) -> None:
    before = inventory.read_bytes()
    for extra in ([], ["--force"]):
        args = ["inventory", "export", str(inventory), "-o", str(inventory), *extra]
        result = runner.invoke(cli, args)
        assert result.exit_code == 1
        assert "[output-is-input]" in result.stderr
    assert inventory.read_bytes() == before


def test_export_does_not_overwrite_without_force(
    runner: CliRunner, tmp_path: Path, inventory: Path
) -> None:
    out = tmp_path / "handredigerad.csv"
    out.write_text("mina ändringar\n", encoding="utf-8")
    args = ["inventory", "export", str(inventory), "-o", str(out)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert "[output-exists]" in result.stderr
    assert out.read_text(encoding="utf-8") == "mina ändringar\n"
    assert runner.invoke(cli, [*args, "--force"]).exit_code == 0
    assert out.read_text(encoding="utf-8-sig").startswith("Referenskod")


# --- package: entries that are valid but not this incident's ---------------------------------


def _swap_kinds(folder: Path) -> None:
    shutil.copyfile(folder / "arkivforteckning.xml", folder / "arkivbeskrivning.xml")


def _other_incident(folder: Path) -> None:
    path = folder / "arkivforteckning.xml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("<IncidentID>incident-", "<IncidentID>incident-annan-"), encoding="utf-8"
    )


def _other_creator(folder: Path) -> None:
    path = folder / "arkivbeskrivning.xml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("<Namn>Kommunstyrelsen</Namn>", "<Namn>Socialnämnden</Namn>", 1),
        encoding="utf-8",
    )


@pytest.mark.parametrize("spoil", [_swap_kinds, _other_incident, _other_creator])
def test_entries_of_another_kind_incident_or_creator_refused(
    runner: CliRunner, tmp_path: Path, sample_incident: Path, entries: Path, spoil
) -> None:  # type: ignore[no-untyped-def]
    spoil(entries / "kommunstyrelsen")
    out = tmp_path / "pkg.zip"
    result = _package(runner, sample_incident, entries, out)
    assert result.exit_code == 1
    assert "[entries-mismatch]" in result.stderr
    assert "describe again" in result.stderr
    assert not out.exists()


# --- inventory merge: files from other systems keep their form --------------------------------


def test_merge_keeps_windows_line_ends(runner: CliRunner, tmp_path: Path, entry: Path) -> None:
    """An inventory saved on Windows (CRLF) changes only where the gap goes in."""
    inv = tmp_path / "crlf.xml"
    shutil.copyfile(DATA / "inventory" / "crlf_line_ends.xml", inv)
    before = inv.read_bytes()
    dry = _merge(runner, entry, inv, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    removed = [
        line
        for line in dry.stdout.splitlines()
        if line.startswith("-") and not line.startswith("---")
    ]
    assert removed == [], "only additions expected in the diff"
    assert _merge(runner, entry, inv).exit_code == 0
    after = inv.read_bytes()
    assert after.count(b"\n") == after.count(b"\r\n") > before.count(b"\r\n")
    assert after.startswith(before[: before.index(b"<Arkivforteckning")])


def test_dry_run_diff_of_a_latin1_inventory_is_readable(runner: CliRunner, tmp_path: Path) -> None:
    inv = tmp_path / "latin1.xml"
    shutil.copyfile(DATA / "inventory" / "latin1_declared.xml", inv)
    entry = make_entry(
        tmp_path / "e.xml", [{"id": "objekt", "klass": "2.2", "title": "Förvaltningsobjekt"}]
    )
    dry = _merge(runner, entry, inv, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "+" in dry.stdout and "Förvaltningsobjekt" in dry.stdout
    assert "\ufffd" not in dry.stdout


def test_verify_dot_inside_the_package(
    runner: CliRunner, package_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`arkivlucka verify .` names the folder by its real name (no CSIPSTR2 for '')."""
    monkeypatch.chdir(package_dir)
    result = runner.invoke(cli, ["verify", ".", *SCHEMAS, "--json"])
    assert result.exit_code == 0, result.stdout
    assert "CSIPSTR2" not in _codes(result)


def _zip_without_utf8_flag(package_dir: Path, out: Path, encoding: str) -> Path:
    """Zip as Info-ZIP (UTF-8 names, no flag) or old Windows (CP850 names) would."""
    swaps: dict[bytes, bytes] = {}

    def rename(name: str) -> str:
        if name.isascii():
            return name
        raw = name.encode(encoding)
        marker = f"Q{len(swaps):04d}".ljust(len(raw), "Z")
        swaps[marker.encode()] = raw
        return marker

    archive = _rezip(package_dir, out, rename=rename)
    data = archive.read_bytes()
    for marker, raw in swaps.items():
        assert data.count(marker) == 2  # local header and central directory
        data = data.replace(marker, raw)
    archive.write_bytes(data)
    return archive


@pytest.mark.parametrize("encoding", ["utf-8", "cp850"])
def test_zip_names_without_the_utf8_flag(
    runner: CliRunner, tmp_path: Path, swedish_package: Path, encoding: str
) -> None:
    archive = _zip_without_utf8_flag(swedish_package, tmp_path / f"{encoding}.zip", encoding)
    with zipfile.ZipFile(archive) as zf:
        assert not any(i.flag_bits & 0x800 for i in zf.infolist())
    result = _verify(runner, archive)
    assert result.exit_code == 0, result.stdout
    assert _codes(result) == set()


# --- package config: where the problem is, and no traceback ----------------------------------

PKG = DATA / "package"


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("control_character_in_label.yaml", "label: holds the control character U+000B"),
        ("yaml_syntax_line_3.yaml", "line 3, column"),
    ],
)
def test_bad_config_names_the_place(
    runner: CliRunner, tmp_path: Path, sample_incident: Path, entries: Path, case: str,
    expected: str,
) -> None:  # fmt: skip
    out = tmp_path / "pkg.zip"
    result = _package(runner, sample_incident, entries, out, "--config", str(PKG / case))
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    assert expected in result.stderr and "[config]" in result.stderr
    assert not out.exists()


def test_control_character_in_an_option_is_refused(
    runner: CliRunner, tmp_path: Path, sample_incident: Path, entries: Path
) -> None:
    out = tmp_path / "pkg.zip"
    result = _package(runner, sample_incident, entries, out, "--submitter-id", "ID\x01")
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    assert (
        "holds the control character U+0001, which XML cannot hold (--submitter-id)"
        in result.stderr
    )


@pytest.mark.parametrize("kind", ["folder", "file"])
def test_force_replaces_only_a_package(
    runner: CliRunner, tmp_path: Path, sample_incident: Path, entries: Path, kind: str
) -> None:
    """`-o ~/Dokument --force` must not delete a folder of the user's own files."""
    if kind == "folder":
        out = tmp_path / "Dokument"
        out.mkdir()
        (out / "brev.txt").write_text("viktigt")
    else:
        out = tmp_path / "rapport.zip"
        out.write_text("viktigt")
    result = _package(runner, sample_incident, entries, out, "--force")
    assert result.exit_code == 1
    assert "[output-not-package]" in result.stderr
    kept = out / "brev.txt" if kind == "folder" else out
    assert kept.read_text() == "viktigt"


def test_force_replaces_a_package(
    runner: CliRunner, tmp_path: Path, sample_incident: Path, entries: Path
) -> None:
    out = tmp_path / "leverans.zip"
    assert _package(runner, sample_incident, entries, out).exit_code == 0
    again = _package(runner, sample_incident, entries, out, "--force")
    assert again.exit_code == 0, again.stderr
    assert zipfile.is_zipfile(out)


@pytest.mark.parametrize("many", [False, True])
def test_payload_file_vanishing_while_packaging(
    runner: CliRunner,
    tmp_path: Path,
    sample_incident: Path,
    entries: Path,
    monkeypatch: pytest.MonkeyPatch,
    many: bool,
) -> None:
    """A file deleted between planning and copying: a clear error, nothing left (also forked)."""
    from arkivlucka.delivery import package

    payload = tmp_path / "uttag"
    payload.mkdir()
    for n in range(40 if many else 2):
        (payload / f"f{n:02d}.txt").write_text(str(n))
    real_plan = package.plan_package

    def plan_then_delete(*args, **kwargs):  # type: ignore[no-untyped-def]
        plan = real_plan(*args, **kwargs)
        (payload / "f01.txt").unlink()
        return plan

    monkeypatch.setattr(package, "plan_package", plan_then_delete)
    out = tmp_path / "leverans"
    result = _package(runner, sample_incident, entries, out, "--payload", str(payload))
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    assert "f01.txt" in result.stderr and "cannot read" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entries", "uttag"]


def test_backslash_hrefs_are_matched_with_a_warning(
    runner: CliRunner, swedish_package: Path
) -> None:
    """Tools on Windows may write data\\folder\\file in xlink:href."""
    mets = swedish_package / "representations" / "rep1" / "METS.xml"
    text = mets.read_text(encoding="utf-8")
    start = text.index('xlink:href="data/') + len('xlink:href="')
    end = text.index('"', start)
    mets.write_text(text[:start] + text[start:end].replace("/", "\\") + text[end:], "utf-8")
    data = mets.read_bytes()
    main = swedish_package / "METS.xml"  # keep the size and checksum of the changed file right
    main_text = main.read_text(encoding="utf-8")
    main_text, n = re.subn(
        r'SIZE="\d+"( [^>]*?)CHECKSUM="[0-9a-f]+"([^>]*>\s*<mets:FLocat [^>]*'
        r'href="representations/rep1/METS.xml")',
        lambda m: f'SIZE="{len(data)}"{m[1]}CHECKSUM="{hashlib.sha256(data).hexdigest()}"{m[2]}',
        main_text,
    )
    assert n == 1
    main.write_text(main_text, encoding="utf-8")
    result = _verify(runner, swedish_package)
    assert result.exit_code == 0, result.stdout
    assert _codes(result) == {"href-normalisation"}


def test_href_with_a_literal_percent_sign(runner: CliRunner, tmp_path: Path, entries: Path,
                                          sample_incident: Path) -> None:  # fmt: skip
    """Another tool may write a file named '100%41.txt' into href unencoded."""
    payload = tmp_path / "uttag"
    payload.mkdir()
    (payload / "100%41.txt").write_text("x")
    out = tmp_path / "pkg"
    assert _package(runner, sample_incident, entries, out, "--payload", str(payload)).exit_code == 0
    for mets in (out / "METS.xml", out / "representations" / "rep1" / "METS.xml"):
        mets.write_text(mets.read_text("utf-8").replace("100%2541.txt", "100%41.txt"), "utf-8")
    data = (out / "representations" / "rep1" / "METS.xml").read_bytes()
    main = out / "METS.xml"
    main_text, n = re.subn(
        r'SIZE="\d+"( [^>]*?)CHECKSUM="[0-9a-f]+"([^>]*>\s*<mets:FLocat [^>]*'
        r'href="representations/rep1/METS.xml")',
        lambda m: f'SIZE="{len(data)}"{m[1]}CHECKSUM="{hashlib.sha256(data).hexdigest()}"{m[2]}',
        main.read_text("utf-8"),
    )
    assert n == 1
    main.write_text(main_text, "utf-8")
    result = _verify(runner, out)
    assert result.exit_code == 0, result.stdout


def test_control_characters_in_cells(runner: CliRunner, tmp_path: Path) -> None:
    source = DATA / "inventory" / "control_character_cell.csv"
    out = tmp_path / "f.xml"
    args = ["inventory", "import", str(source), "-o", str(out), "--arkivbildare", "KS"]
    result = runner.invoke(cli, [*args, "--json"])
    assert isinstance(result.exception, SystemExit) or result.exception is None, result.exception
    assert result.exit_code == 0, result.output
    found = [f for f in json.loads(result.stdout) if f["code"] == "inventory-bad-character"]
    assert [(f["line"], f["path"], f["severity"]) for f in found] == [
        (2, "B2", "warning"),
        (2, "E2", "warning"),
    ]
    assert "Protokoll med bilagor" in out.read_text(encoding="utf-8")
    strict = runner.invoke(cli, [*args, "-o", str(tmp_path / "s.xml"), "--strict"])
    assert strict.exit_code == 1 and "[inventory-bad-character]" in strict.stderr
    assert not (tmp_path / "s.xml").exists()


@pytest.mark.parametrize("creator", ["   ", "KS\x01"])
def test_bad_records_creator_option(runner: CliRunner, tmp_path: Path, creator: str) -> None:
    source = DATA / "inventory" / "comma_bom.csv"
    out = tmp_path / "f.xml"
    args = ["inventory", "import", str(source), "-o", str(out), "--arkivbildare", creator]
    result = runner.invoke(cli, args)
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    assert "--arkivbildare" in result.stderr and "[inventory-option]" in result.stderr
    assert not out.exists()


def test_spaces_and_case_in_size_and_checksum_attributes(
    runner: CliRunner, swedish_package: Path
) -> None:
    """Other tools may write SIZE=" 12 " (valid xsd:long) or upper-case hex checksums."""
    main = swedish_package / "METS.xml"
    text = main.read_text("utf-8")
    text = re.sub(r'SIZE="(\d+)"', r'SIZE=" \1 "', text)
    text = re.sub(r'CHECKSUM="([0-9a-f]+)"', lambda m: f'CHECKSUM="{m[1].upper()}"', text)
    main.write_text(text, "utf-8")
    result = _verify(runner, swedish_package)
    assert result.exit_code == 0, result.stdout


def test_lower_case_mets_file_name_is_pointed_out(runner: CliRunner, swedish_package: Path) -> None:
    (swedish_package / "METS.xml").rename(swedish_package / "mets.xml")
    result = _verify(runner, swedish_package)
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert [f["code"] for f in findings] == ["CSIPSTR4"]
    assert "there is mets.xml" in findings[0]["message"]


def test_empty_payload_folder_is_warned(
    runner: CliRunner, tmp_path: Path, sample_incident: Path, entries: Path, payload: Path
) -> None:
    empty = tmp_path / "tom"
    (empty / "undermapp").mkdir(parents=True)
    out = tmp_path / "pkg.zip"
    result = run_package(
        runner, sample_incident, entries, out, "--payload", str(empty), "--payload", str(payload)
    )
    assert result.exit_code == 0, result.stderr
    assert f"{empty}: warning:" in result.stderr and "[payload-empty]" in result.stderr
    assert str(payload) + ":" not in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["verify", "{fifo}"],
        ["inventory", "merge", "{fifo}", "{inventory}"],
        ["inventory", "merge", "{entry}", "{fifo}"],
        ["inventory", "import", "{fifo}", "-o", "{out}", "--arkivbildare", "KS"],
        ["inventory", "export", "{fifo}", "-o", "{out}"],
    ],
)
def test_a_named_pipe_is_refused_not_waited_on(
    runner: CliRunner, tmp_path: Path, entry: Path, inventory: Path, command: list[str]
) -> None:
    fifo = tmp_path / "ror.xml"
    os.mkfifo(fifo)
    args = [
        a.format(fifo=fifo, inventory=inventory, entry=entry, out=tmp_path / "ut.csv")
        for a in command
    ]
    result = runner.invoke(cli, args)  # would block for ever without the check
    assert result.exit_code == 1
    assert "ror.xml" in result.stderr
    assert not (tmp_path / "ut.csv").exists()


@pytest.mark.parametrize("case", ["no_archive_section.xml", "empty_root.xml"])
@pytest.mark.parametrize("other", [False, True])
def test_merge_into_a_skeleton_inventory(
    runner: CliRunner, tmp_path: Path, entry: Path, case: str, other: bool
) -> None:
    inv = tmp_path / case
    shutil.copyfile(DATA / "inventory" / case, inv)
    before = inv.read_bytes()
    extra = ["--allow-other-creator"] if other else []
    result = _merge(runner, entry, inv, "--json", *extra)
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    assert _codes(result) == {"xml-schema"}
    assert inv.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["entry.xml", case])


def test_non_utf8_file_name_in_a_package_folder_keeps_json_valid(
    runner: CliRunner, swedish_package: Path
) -> None:
    name = os.fsdecode(b"bad\xff.txt")
    (swedish_package / name).write_text("x")
    result = _verify(runner, swedish_package)
    assert result.exit_code == 1
    result.stdout.encode("utf-8")  # no lone surrogates: the JSON is valid UTF-8
    findings = json.loads(result.stdout)
    assert [(f["code"], f["path"]) for f in findings if f["severity"] != "info"] == [
        ("package-name", "bad\\xff.txt")
    ]
