"""The seed form as text, Word and PDF; rejected forms; the incident file it writes."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
import yaml

from arkivlucka.core.errors import FormError
from arkivlucka.form.pipeline import import_form, import_path
from arkivlucka.incident.dump import dump_json, dump_yaml
from arkivlucka.incident.load import load_incident_text
from arkivlucka.incident.yamlread import parse_text
from arkivlucka.incident.yamltree import plain
from support.formgen import docx_bytes, pdf_bytes
from support.helpers import SAMPLES, flat
from support.seed_blocks import SEED_BLOCKS

SEED = SAMPLES / "digframe" / "form.txt"


@pytest.fixture(scope="module")
def seed():
    return import_path(SEED)


def test_seed_reads_every_field_without_warnings(seed):
    d = seed.data
    assert seed.warnings == []
    assert d["reported_by"] == {
        "name": "Tova Halldén",
        "title": "Kommunarkivarie",
        "email": "tova.hallden@trelleborg.se",
    }
    assert d["department"] == "Kommunledningsförvaltningen"
    assert d["unit"] == "Planerings- och utvecklingsavdelningen"
    assert (d["kind"], d["status"]) == ("confirmed", "closed")
    assert d["discovered"] == {"at": "2024-02-07T08:50", "precision": "exact"}
    assert d["occurred"] == {"at": "2023-10-19T16:00", "precision": "estimated"}
    assert d["categories"] == ["Informationsförlust", "Förlust eller stöld av uppgifter"]
    assert d["consequences"] == {
        "disruption": "limited",
        "business_critical": False,
        "restored": False,
    }
    assert (d["police_report"], d["personal_data_risk"]) == (False, "no")
    assert d["summary"].startswith("Modulen Digframe som driftades av leverantör DirSys")
    assert d["summary"].endswith("Endast ett fåtal användare hade behörighet dit.")
    assert d["actions_taken"].split("\n")[1] == (
        "Insamlat uttag med delar av information från modulen till och med den 19 oktober 2023."
    )
    assert "kommunledningsgrupp-möte:" in d["actions_planned"]
    assert d["scope"].endswith(
        "detaljer om förvaltningsobjekt 2022-2023, nyttokalkyleringar efter 2019."
    )
    assert d["valuation"].startswith("Modulen användas sparsamt")
    assert d["culling_notes"].startswith("Dokumentationen i modulen skulle inte gallras")
    assert "Dataskyddsombudet" not in d["culling_notes"]
    assert d["organisation"] == "Trelleborgs kommun"
    assert d["source"] == "Formulär för IT-säkerhetsincident, Kommunledningsförvaltningen"
    assert "records_creators" not in d
    assert [f.code for f in seed.findings if f.code == "records-creators-missing"] == [
        "records-creators-missing"
    ]


def test_seed_proposals(seed):
    d = seed.data
    assert [(r["title"], r.get("period"), r["proposed"]) for r in d["lost_records"]] == [
        ("Tidplaner", None, True),
        ("Detaljer om aktivitetsbeskrivningar för digitalisering", None, True),
        ("Detaljer om förvaltningsobjekt", {"start": "2022", "end": "2023", "text": "2022-2023"}, True),
        ("Nyttokalkyleringar", {"start": "2020", "text": "efter 2019"}, True),
    ]  # fmt: skip
    assert {r["system"] for r in d["lost_records"]} == {"Digframe"}
    assert d["systems"] == [
        {"name": "Digframe", "role": "modul", "supplier": "DirSys", "proposed": True},
        {"name": "Stratsys", "role": "system", "proposed": True},
    ]
    assert [(e["period"], e["kept_in"], e["series"]) for e in d["extracts"]] == [
        ({"start": "2019", "end": "2021", "text": "åren 2019-2021"}, "W3D3", "kommunstyrelsens serie"),
        ({"end": "2023-10-19", "text": "till och med den 19 oktober 2023"}, "W3D3", "kommunstyrelsens serie"),
    ]  # fmt: skip
    assert all(e["proposed"] for e in d["extracts"])


def test_seed_as_docx_reads_the_same(seed):
    result = import_form(docx_bytes(SEED_BLOCKS), "seed.docx")
    assert result.kind == "docx"
    assert result.warnings == []
    assert result.data == seed.data


@pytest.mark.parametrize("glyphs", [True, False], ids=["glyph-boxes", "bracket-boxes"])
def test_seed_as_pdf_reads_the_same(seed, glyphs):
    if glyphs:
        from support.formgen import DEJAVU

        assert DEJAVU.exists(), "DejaVu Sans is needed to draw ☒/☐ into the test PDF"
    pdf = pdf_bytes(SEED.read_text(encoding="utf-8"), boxes_as_glyphs=glyphs)
    result = import_form(pdf, "seed.pdf")
    assert result.kind == "pdf"
    assert result.warnings == []
    # a PDF's text layer keeps no paragraph breaks: the same words, paragraphs may differ
    assert flat(result.data) == flat(seed.data)


def _encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes("Förvaltning\nX"))))
    writer.encrypt(user_password="hemligt", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _zip(names: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in names.items():
            zf.writestr(name, data)
    return buf.getvalue()


REJECTED = [
    ("empty.txt", lambda: b"", "form-empty"),
    ("blank.txt", lambda: b"  \n\n \t\n", "form-empty"),
    ("letter.txt", lambda: "Hej!\nVi ses på mötet i morgon.\n".encode(), "not-a-form"),
    ("image.png", lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "image-broken"),
    ("old.doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "form-unsupported"),
    ("archive.zip", lambda: _zip({"a.txt": b"x"}), "form-unsupported"),
    ("broken.pdf", lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ntrailer\n%%EOF", "pdf-broken"),
    ("locked.pdf", _encrypted_pdf, "pdf-encrypted"),
    ("scan.pdf", lambda: pdf_bytes(""), "form-no-text"),
    ("broken.docx", lambda: _zip({"word/document.xml": b"<w:document", "[Content_Types].xml": b"<"}), "docx-broken"),
    ("letter.docx", lambda: docx_bytes(["Hej!", "Vi ses."]), "not-a-form"),
    ("letter.pdf", lambda: pdf_bytes("Hej!\nVi ses."), "not-a-form"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "make", "code"), REJECTED, ids=[r[0] for r in REJECTED])
def test_rejected_form_raises_with_code(name, make, code):
    with pytest.raises(FormError) as info:
        import_form(make(), name)
    assert [f.code for f in info.value.findings] == [code]
    assert info.value.message.startswith(f"{name}: ")


def test_pdf_protected_only_by_an_owner_password_is_read():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(SEED.read_text("utf-8")))))
    writer.encrypt(user_password="", owner_password="ägare", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    assert import_form(buf.getvalue(), "owner.pdf").data["kind"] == "confirmed"


def test_docx_zip_bomb_is_refused(monkeypatch):
    from arkivlucka.form import read as form_read

    monkeypatch.setattr(form_read, "MAX_UNPACKED", 1024 * 1024)
    big = _zip({"word/document.xml": b"<" + b" " * (2 * 1024 * 1024)})
    with pytest.raises(FormError) as info:
        import_form(big, "bomb.docx")
    assert [f.code for f in info.value.findings] == ["form-too-large"]


def test_type_comes_from_content_not_suffix():
    result = import_form(docx_bytes(SEED_BLOCKS), "form.txt")
    assert result.kind == "docx"
    pdf = import_form(pdf_bytes(SEED.read_text(encoding="utf-8")), "form.docx")
    assert pdf.kind == "pdf"


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-8-sig"])
def test_text_encodings_are_read(encoding):
    data = SEED.read_text(encoding="utf-8").encode(encoding, errors="replace")
    assert import_form(data, "form.txt").data["department"] == "Kommunledningsförvaltningen"


# -- the incident file ------------------------------------------------------------------------
def test_yaml_and_json_load_to_the_same_incident(seed):
    from_yaml = load_incident_text(seed.render("yaml"), "x.yaml")
    envelope = json.loads(seed.render("json"))
    assert envelope["format"] == "arkivlucka-import/1"
    incident_json = json.dumps(envelope["incident"], ensure_ascii=False)
    from_json = load_incident_text(incident_json, "x.json", json_first=True)
    assert from_yaml.incident == from_json.incident
    assert from_yaml.incident.lost_records[3].period.text == "efter 2019"
    assert plain(parse_text(seed.render("yaml"), "x")) == envelope["incident"]


def test_json_envelope_is_not_an_incident_file(seed):
    """The envelope is refused by the strict loader: only its ``incident`` is one."""
    from arkivlucka.core.errors import IncidentError

    with pytest.raises(IncidentError):
        load_incident_text(seed.render("json"), "x.json", json_first=True)


def test_json_envelope_carries_where_each_value_came_from(seed):
    prov = json.loads(seed.render("json"))["provenance"]
    assert prov["department"] == {"page": None, "line": 11, "certainty": "certain", "reason": None}
    assert prov["reported_by.name"]["line"] == 20
    assert set(prov) >= {"kind", "status", "discovered.at", "consequences.restored", "categories"}


def test_yaml_keys_in_contract_order_with_comments(seed):
    text = seed.render("yaml")
    keys = [ln.split(":")[0] for ln in text.splitlines() if re.match(r"^[a-z_]+:", ln)]
    assert keys[:6] == ["format", "organisation", "reported_by", "department", "unit", "kind"]
    assert keys[-4:] == ["lost_records", "systems", "extracts", "source"]
    assert '# proposed from "nyttokalkyleringar efter 2019" (scope)' in text
    assert text.startswith("# Imported by 'arkivlucka import' from form.txt (txt).")


TRICKY = [
    "yes", "no", "True", "null", "~", "2.10", "2019", "08:50", "2024-02-07T08:50",
    "a: b", "x #y", "# comment", "- dash", "@at", "'quote", '"dq', "[x]", "{a}", "%p",
    "!tag", "*alias", "&anchor", "?", "|", ">", "ja", "Nej", "å", "tab\there", "a\\b",
    "line one\nline two", "ends with colon:", "x" * 300, "ord " * 60 + "slut",
    "Första stycket med ord.\nAndra stycket: - med - strecken.\n- punkt",
    "two  spaces inside a long text " * 5, "ctrl\x07char", "\u2028sep",
]  # fmt: skip


@pytest.mark.parametrize("value", TRICKY)
def test_dump_reloads_tricky_strings_identically(value):
    data = {"format": "arkivlucka-incident/1", "summary": value, "categories": [value]}
    text = dump_yaml(data, ["a header"], {"categories[0]": "a note\nover lines"})
    assert plain(parse_text(text, "x"))["summary"] == value
    assert plain(parse_text(text, "x"))["categories"] == [value]
    assert yaml.safe_load(text)["summary"] == value
    assert json.loads(dump_json(data))["summary"] == value


def test_dump_keeps_contract_order_from_any_order():
    data = {"source": "s", "kind": "confirmed", "format": "arkivlucka-incident/1", "extra": 1}
    assert [k for k in json.loads(dump_json(data))] == ["format", "kind", "source", "extra"]


def test_model_to_dict_round_trips_the_sample(sample_incident):
    from arkivlucka.incident.dump import incident_to_dict
    from arkivlucka.incident.load import load_incident

    loaded = load_incident(sample_incident).incident
    data = incident_to_dict(loaded)
    assert list(data)[:3] == ["format", "organisation", "reported_by"]
    assert load_incident_text(dump_yaml(data), "again.yaml").incident == loaded
    assert load_incident_text(dump_json(data), "again.json", json_first=True).incident == loaded
