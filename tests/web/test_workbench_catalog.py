"""The Swedish catalog: every message of the templates and code is translated; English is the
msgids; the .po compiles."""

from __future__ import annotations

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from arkivlucka.web import i18n
from support.helpers import REPO

WEB = REPO / "src" / "arkivlucka" / "web"


def _msgids() -> set[str]:
    method_map = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
    options = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    found = extract_from_dir(str(WEB), method_map, options, keywords={"N_": None, "_": None,
                             "gettext": None})  # fmt: skip
    return {msg[2] if isinstance(msg[2], str) else msg[2][0] for msg in found}


def test_every_message_has_a_swedish_translation():
    po = WEB / "locale" / "sv" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        catalog = read_po(fh)
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    ids = _msgids()
    assert len(ids) > 150
    assert sorted(ids - translated) == []


def test_the_catalog_compiles_and_translates():
    sv = i18n.catalog("sv")
    assert sv.gettext("Confirm") == "Bekräfta"
    assert sv.gettext("partial") == "delvis"
    assert sv.gettext("complete") == "helt"
    assert i18n.catalog("en").gettext("Confirm") == "Confirm"
    mo = i18n.compile_po(WEB / "locale" / "sv" / "LC_MESSAGES" / "messages.po")
    assert mo[:4] in (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")


def test_findings_are_said_in_swedish_with_the_field_named():
    from arkivlucka.core.findings import warning
    from arkivlucka.web.fields import LABELS

    f = warning("missing-fact", "lost_records[1].period: not given", path="lost_records[1].period")
    text = i18n.finding_text(f, i18n.catalog("sv"), LABELS)
    assert text == "Förlorade handlingar 2: Period: saknas; posterna lämnar uppgiften tom"
    unknown = warning("some-new-code", "an English message")
    assert i18n.finding_text(unknown, i18n.catalog("sv"), LABELS) == "an English message"
