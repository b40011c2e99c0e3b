"""The bytes a merge writes: they read as the tree that was validated, in every layout.

A UTF-8 inventory is written as its own prolog, the merged root as lxml serialises it and its
own epilog, without parsing the result again: these tests parse it and compare.
"""

from __future__ import annotations

import pytest
from lxml import etree

from arkivlucka.core.errors import InvalidOutputError
from arkivlucka.inventory import merge as inventory_merge
from arkivlucka.inventory.merge import merge_file
from support.helpers import DATA, assert_valid
from support.inventory_helpers import make_entry

PRESERVE = (DATA / "inventory" / "preserve.xml").read_bytes()
ROOT_END = b"</Arkivforteckning>\n"
HEAD, TAIL = PRESERVE.split(ROOT_END)  # TAIL: the epilog after the root, "<!-- slut -->\n"


def _prefixed(data: bytes) -> bytes:
    """The same inventory with its namespace bound to a prefix on the root only."""
    return data.replace(
        b'<Arkivforteckning xmlns="urn:arkivlucka:arkivforteckning:1.0"',
        b'<a:Arkivforteckning xmlns:a="urn:arkivlucka:arkivforteckning:1.0" '
        b'xmlns="urn:arkivlucka:arkivforteckning:1.0"',
    ).replace(b"</Arkivforteckning>", b"</a:Arkivforteckning\n >")


LAYOUTS = {
    "as-made": PRESERVE,
    "crlf": PRESERVE.replace(b"\n", b"\r\n"),
    "mixed-line-ends": PRESERVE.replace(b"\n", b"\r\n", 3),
    "utf-8-bom": b"\xef\xbb\xbf" + PRESERVE,
    "no-declaration": PRESERVE.split(b"\n", 1)[1],
    "prefixed-root": _prefixed(PRESERVE),
    "single-line": b"".join(line.strip() for line in PRESERVE.splitlines()),
    # a later comment or PI holding the root's end tag is not where the root ends
    "end-tag-in-a-trailing-comment": HEAD + ROOT_END + b"<!-- gammal </Arkivforteckning> -->\n",
    "end-tag-in-a-trailing-pi": (
        HEAD + ROOT_END + b"<?arkiv </Arkivforteckning><?x?>\n" + TAIL + b"<?y?>"
    ),
    "nothing-after-the-root": HEAD + ROOT_END.rstrip(),
}


def _epilog(data: bytes) -> bytes:
    """What follows the root's end tag (the last one in these layouts)."""
    return data[data.index(b">", data.rfind(b"Arkivforteckning")) + 1 :]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_written_bytes_read_as_the_validated_tree(monkeypatch, tmp_path, layout):
    original = LAYOUTS[layout]
    validated: list[bytes] = []
    check = inventory_merge._refuse_invalid

    def spy(tree, before, file):
        check(tree, before, file)
        validated.append(etree.tostring(tree.getroot(), with_tail=False))

    monkeypatch.setattr(inventory_merge, "_refuse_invalid", spy)
    target = tmp_path / "inv.xml"
    target.write_bytes(original)
    entry = make_entry(tmp_path / "e.xml", [{"id": "a", "klass": "2.2", "start": "2020"}])
    assert merge_file(entry, target).placed == [("a", "2.2")]
    new = target.read_bytes()
    assert_valid(new)
    tree = etree.fromstring(new).getroottree()
    assert [etree.tostring(tree.getroot(), with_tail=False)] == validated
    assert b'HandlingID="a"' in validated[0]
    # what stands before and after the root is kept byte for byte
    start = original.index(b"<Arkivforteckning" if b"<a:" not in original else b"<a:")
    assert new[:start] == original[:start]
    if layout.startswith("end-tag-in-a-trailing"):
        assert new.endswith(original[len(HEAD) + len(ROOT_END) :])
    else:
        assert _epilog(new) == _epilog(original)
    assert [str(n) for n in tree.getroot().itersiblings()] == [
        str(n) for n in etree.fromstring(original).getroottree().getroot().itersiblings()
    ]


def test_crlf_is_kept_only_when_every_line_end_is_crlf(tmp_path):
    entry = make_entry(tmp_path / "e.xml", [{"id": "a", "klass": "2.2"}])
    for layout, crlf_after in (("crlf", True), ("mixed-line-ends", False)):
        target = tmp_path / f"{layout}.xml"
        target.write_bytes(LAYOUTS[layout])
        merge_file(entry, target)
        new = target.read_bytes()
        assert (new.count(b"\r\n") == new.count(b"\n")) is crlf_after
        assert new.count(b"\r\n") >= LAYOUTS[layout].count(b"\r\n")


def test_a_utf8_file_that_cannot_be_cut_is_refused(monkeypatch, tmp_path):
    target = tmp_path / "inv.xml"
    target.write_bytes(PRESERVE)
    entry = make_entry(tmp_path / "e.xml", [{"id": "a", "klass": "2.2"}])
    monkeypatch.setattr(inventory_merge, "serialise_like", lambda tree, original, body: None)
    with pytest.raises(InvalidOutputError) as info:
        merge_file(entry, target)
    assert info.value.findings[0].code == "inventory-encoding"
    assert target.read_bytes() == PRESERVE
    assert not (tmp_path / "inv.xml.bak").exists()
