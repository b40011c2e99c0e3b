"""validate: findings with file and line, hostile XML refused, JSON on stdout alone."""

from __future__ import annotations

import json

import pytest

from arkivlucka.cli import cli
from support.helpers import DATA

XML = DATA / "xml"
GOLDEN = sorted((DATA / "golden").rglob("*.xml"))


def test_valid_entries_exit_zero(runner):
    result = runner.invoke(cli, ["validate", *map(str, GOLDEN)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert f"{len(GOLDEN)} file(s) valid" in result.stderr


@pytest.mark.parametrize(
    ("name", "code", "line"),
    [
        ("not_well_formed.xml", "xml-not-well-formed", 4),
        ("external_entity.xml", "xml-entity", 1),
        ("entity_bomb.xml", "xml-entity-bomb", None),
        ("unknown_namespace.xml", "xml-unknown-kind", 2),
        ("schema_invalid_entry.xml", "xml-schema", 4),
    ],
)
def test_each_bad_document_gives_its_finding(runner, name, code, line):
    result = runner.invoke(cli, ["validate", "--json", str(XML / name)])
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert findings[0]["code"] == code
    assert findings[0]["file"] == str(XML / name)
    assert findings[0]["severity"] == "error"
    if line is not None:
        assert findings[0]["line"] == line
    assert set(findings[0]) == {"code", "severity", "file", "line", "path", "message"}


def test_external_entity_is_never_resolved(runner, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-42", encoding="utf-8")
    doc = tmp_path / "xxe.xml"
    doc.write_text(
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY s SYSTEM "file://{secret}">]>'
        '<ArkivbeskrivningPost xmlns="urn:arkivlucka:arkivredovisning:1.0">&s;</ArkivbeskrivningPost>',
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["validate", str(doc)])
    assert result.exit_code == 1
    assert "TOPSECRET" not in result.output
    assert "xml-entity" in result.stderr


def test_schema_error_is_reported_as_file_line_message(runner):
    path = XML / "schema_invalid_entry.xml"
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{path}:4: error:")
    assert "Skapad" in first


def test_unknown_namespace_lists_supported_ones(runner):
    result = runner.invoke(cli, ["validate", str(XML / "unknown_namespace.xml")])
    assert "urn:arkivlucka:arkivredovisning:1.0" in result.stderr


def test_mixed_files_report_all_and_fail(runner):
    result = runner.invoke(
        cli, ["validate", "--json", str(GOLDEN[0]), str(XML / "not_well_formed.xml"), "missing.xml"]
    )
    assert result.exit_code == 1
    codes = [f["code"] for f in json.loads(result.stdout)]
    assert codes == ["xml-not-well-formed", "unreadable"]
    assert result.stderr == ""


def test_usage_error_exits_two(runner):
    result = runner.invoke(cli, ["validate"])
    assert result.exit_code == 2


def test_bomb_is_refused_quickly_without_expanding(tmp_path):
    from arkivlucka.xmldoc.parse import parse_xml

    tree, findings = parse_xml((XML / "entity_bomb.xml").read_bytes(), "bomb.xml")
    assert tree is None and findings[0].code == "xml-entity-bomb"


@pytest.mark.parametrize(
    "doctype",
    [
        b"<!DOCTYPE ArkivbeskrivningPost>",
        b'<!DOCTYPE ArkivbeskrivningPost SYSTEM "file:///etc/passwd">',
        b'<!DOCTYPE ArkivbeskrivningPost PUBLIC "-//X//Y//EN" "http://example.invalid/x.dtd">',
        b"<!DOCTYPE ArkivbeskrivningPost [<!ELEMENT ArkivbeskrivningPost ANY>]>",
    ],
    ids=["bare", "system-file", "public-http", "internal-subset"],
)
def test_any_doctype_is_refused(doctype: bytes):
    from arkivlucka.xmldoc.validate import validate_bytes

    data = (
        GOLDEN[0]
        .read_bytes()
        .replace(b"<ArkivbeskrivningPost", doctype + b"\n<ArkivbeskrivningPost", 1)
    )
    assert [f.code for f in validate_bytes(data, "x.xml")] == ["xml-doctype"]
