"""Verify, streamed METS reading: the slim tree gives exactly the findings of the whole tree.

``verify`` reads each METS file as a stream, taking the plain files out of the tree
(``delivery.metsread``); a document that is not plainly valid is read whole. Every case of the
requirement suite, and odd structures the slim reading must follow or hand over (a bad file
among plain ones, files in files, file groups in file groups, a repeated ID, a DOCTYPE, a
zip), gives the same findings both ways, in the same order, with the same lines and paths.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from copy import deepcopy
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from test_verify_requirements import CASES

from support.csip_template import at, build, chain, duplicate, set_attr
from support.helpers import python_says

M = "{http://www.loc.gov/METS/}"
DOC_GRP = "/mets:mets/mets:fileSec/mets:fileGrp[@USE='Documentation']"
DOC_FILE = f"{DOC_GRP}/mets:file"
REP_FILE = "/mets:mets/mets:fileSec/mets:fileGrp/mets:file"


def _both(pkg: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any, list[bool]]:
    """Verify ``pkg`` streamed and whole; also whether each METS file was streamed."""
    from arkivlucka.delivery import verify, verify_read

    real = verify_read.stream
    streamed: list[bool] = []

    def spy(*args: Any) -> Any:
        got = real(*args)
        streamed.append(got is not None)
        return got

    monkeypatch.setattr(verify_read, "stream", spy)
    slim = verify.verify_package(pkg)
    monkeypatch.setattr(verify_read, "stream", lambda *args: None)
    whole = verify.verify_package(pkg)
    return slim, whole, streamed


def _same(slim: Any, whole: Any) -> None:
    assert slim.findings == whole.findings
    assert (slim.files, slim.bytes, slim.skipped, slim.sip, slim.version, slim.checked) == (
        whole.files, whole.bytes, whole.skipped, whole.sip, whole.version, whole.checked,
    )  # fmt: skip


@pytest.mark.parametrize(("name", "rid", "severity", "mutation"), CASES, ids=[c[0] for c in CASES])
def test_every_requirement_case_gives_the_same_findings_streamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, rid: str, severity: str,
    mutation: dict[str, Any],
) -> None:  # fmt: skip
    slim, whole, _ = _both(build(tmp_path, **mutation), monkeypatch)
    _same(slim, whole)


@pytest.mark.parametrize("fork", [True, False])
def test_the_template_is_streamed_and_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fork: bool
) -> None:
    from arkivlucka.delivery import verify_mets

    if not fork:
        monkeypatch.setenv("ARKIVLUCKA_NO_FORK", "1")
    real, shipped = verify_mets.shipped, list[bool]()

    def spy(*args: Any) -> Any:
        got = real(*args)
        shipped.append(got is not None)
        return got

    monkeypatch.setattr(verify_mets, "shipped", spy)
    slim, whole, streamed = _both(build(tmp_path), monkeypatch)
    if fork:  # the package METS streamed here, the representation METS by the worker
        assert (streamed, shipped) == ([True], [True, False])  # (the second run: whole)
    else:
        assert streamed == [True, True] and shipped == []
    assert slim.findings == [] and slim.ok and slim.files == whole.files == 8


def _files(n: int, xpath: str = DOC_FILE, prefix: str = "file-extra") -> Callable[[Any], None]:
    """Repeat the first file at ``xpath`` ``n`` times (fresh IDs, same FLocat)."""
    return chain(*(duplicate(xpath, f"{prefix}-{i}") for i in range(n)))


def _nest_file(root: Any) -> None:
    """A file inside a file (METS allows it)."""
    outer = at(root, DOC_FILE)
    inner = deepcopy(outer)
    inner.set("ID", "file-inner")
    outer.append(inner)


def _nest_group(root: Any) -> None:
    """A file group inside a file group."""
    grp = at(root, DOC_GRP)
    inner = deepcopy(grp)
    inner.set("ID", "grp-inner")
    for f in inner:
        f.set("ID", f"{f.get('ID')}-inner")
    grp.append(inner)


def _repeat_id_in_xmldata(root: Any) -> None:
    """A file's ID repeated by an element in a lax xmlData (not an xs:ID: the schema lets it)."""
    dmd = at(root, "/mets:mets/mets:dmdSec")
    sec = etree.SubElement(root, f"{M}dmdSec", ID="dmd-wrap", CREATED=dmd.get("CREATED"))
    wrap = etree.SubElement(sec, f"{M}mdWrap", MDTYPE="OTHER", OTHERMDTYPE="test")
    data = etree.SubElement(wrap, f"{M}xmlData")
    etree.SubElement(data, "{urn:test}x", ID="file-doc")
    dmd.addnext(sec)


def _swap(xpath: str, gone: str, name: str, value: str) -> Callable[[Any], None]:
    """The element at ``xpath`` without attribute ``gone``, with ``name``=``value`` instead."""

    def change(root: Any) -> None:
        el = at(root, xpath)
        el.attrib.pop(gone)
        el.set(name, value)

    return change


def _href_dots(xpath: str) -> Callable[[Any], None]:
    """The FLocat at ``xpath`` naming the same file through ``./`` and ``..`` steps."""

    def change(root: Any) -> None:
        loc = at(root, xpath)
        href = loc.get("{http://www.w3.org/1999/xlink}href")
        top, _, rest = href.partition("/")
        loc.set("{http://www.w3.org/1999/xlink}href", f"./{top}/../{top}/{rest}")

    return change


def _href_file_scheme(xpath: str) -> Callable[[Any], None]:
    """The FLocat at ``xpath`` naming its file as ``file:`` + the path."""

    def change(root: Any) -> None:
        loc = at(root, xpath)
        href = loc.get("{http://www.w3.org/1999/xlink}href")
        loc.set("{http://www.w3.org/1999/xlink}href", f"file:{href}")

    return change


def _repeat_kept_file(xpath: str) -> Callable[[Any], None]:
    """The file at ``xpath`` twice with one ID, neither plain (no FLocat): both kept in the tree."""

    def change(root: Any) -> None:
        f = at(root, xpath)
        for loc in f.findall(f"{M}FLocat"):
            f.remove(loc)
        f.addnext(deepcopy(f))

    return change


def _doctype(pkg: Path) -> None:
    mets = pkg / "METS.xml"
    head, _, rest = mets.read_bytes().partition(b"?>")
    mets.write_bytes(head + b"?>\n<!DOCTYPE mets:mets>" + rest)


def _percent(pkg: Path) -> None:
    (pkg / "documentation" / "read me.txt").write_bytes(b"x")


ODD: dict[str, dict[str, Any]] = {
    "many-plain-files": {"mets": _files(5), "rep": _files(5, REP_FILE, "rep1-extra")},
    "bad-mimetype-among-plain": {
        "mets": chain(_files(4), set_attr(f"{DOC_GRP}/mets:file[3]", "MIMETYPE", "nonsense"))
    },
    "missing-size-among-plain": {
        "rep": chain(
            _files(3, REP_FILE, "rep1-extra"),
            lambda root: at(root, f"{REP_FILE}[2]").attrib.pop("SIZE"),
        )
    },
    "bad-flocat-last": {
        "mets": chain(_files(3), set_attr(f"{DOC_GRP}/mets:file[4]/mets:FLocat", "LOCTYPE", "URN"))
    },
    "file-in-a-file": {"mets": chain(_files(2), _nest_file)},
    "group-in-a-group": {"mets": chain(_files(2), _nest_group)},
    "id-repeated-in-xmldata": {"mets": chain(_files(2), _repeat_id_in_xmldata)},
    "admid-on-a-file": {
        "mets": chain(_files(2), set_attr(f"{DOC_GRP}/mets:file[2]", "ADMID", "x"))
    },
    "percent-encoded-href": {
        "mets": chain(
            _files(1),
            set_attr(
                f"{DOC_GRP}/mets:file[2]/mets:FLocat", "xlink:href", "documentation/read%20me.txt"
            ),
        ),
        "after": _percent,
    },
    "doctype": {"mets": _files(2), "after": _doctype},
    # six attributes, the number of a plain file's, but not the plain six
    "six-attributes-admid-for-created": {
        "mets": chain(_files(2), _swap(f"{DOC_GRP}/mets:file[2]", "CREATED", "ADMID", "x"))
    },
    "six-attributes-dmdid-for-mimetype": {
        "mets": chain(_files(2), _swap(f"{DOC_GRP}/mets:file[2]", "MIMETYPE", "DMDID", "x"))
    },
    "six-attributes-checksum-in-capitals": {
        "mets": chain(_files(2), set_attr(f"{DOC_GRP}/mets:file[2]", "CHECKSUM", "AB" * 32))
    },
    "six-attributes-use-for-created": {
        "rep": chain(
            _files(2, REP_FILE, "rep1-extra"), _swap(f"{REP_FILE}[2]", "CREATED", "USE", "x")
        )
    },
    "six-attributes-created-in-another-namespace": {
        "mets": chain(
            _files(2),
            _swap(f"{DOC_GRP}/mets:file[2]", "CREATED", "{urn:x}CREATED", "2024-03-01T10:00:00"),
        )
    },
    "file-scheme-href": {
        "mets": chain(_files(2), _href_file_scheme(f"{DOC_GRP}/mets:file[2]/mets:FLocat")),
    },
    "seven-attributes-plain": {
        "mets": chain(_files(2), set_attr(f"{DOC_GRP}/mets:file[2]", "USE", "Data"))
    },
    # the schema's own finding on a repeated xs:ID is the whole reading's (a stream has none)
    "repeated-id-kept-files": {"mets": _repeat_kept_file(DOC_FILE)},
    "rep-repeated-id-kept-files": {"rep": _repeat_kept_file(REP_FILE)},
    "href-with-dot-steps": {
        "mets": chain(_files(2), _href_dots(f"{DOC_GRP}/mets:file[2]/mets:FLocat")),
    },
    "schema-invalid": {"mets": chain(_files(2), set_attr(f"{DOC_GRP}/mets:file[2]", "SIZE", "x"))},
    "rep-schema-invalid": {
        "rep": chain(_files(2, REP_FILE, "rep1-extra"), set_attr(f"{REP_FILE}[2]", "SIZE", "x"))
    },
}


@pytest.mark.parametrize("case", sorted(ODD))
def test_odd_structures_give_the_same_findings_streamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    slim, whole, streamed = _both(build(tmp_path, **ODD[case]), monkeypatch)
    _same(slim, whole)
    # read whole at once: not plainly valid, or a structure the slim reading does not follow
    assert streamed[0] is (case not in ("doctype", "group-in-a-group", "schema-invalid"))
    if case not in (
        "many-plain-files",
        "file-in-a-file",
        "seven-attributes-plain",
        "href-with-dot-steps",
        "file-scheme-href",
    ):
        assert whole.findings  # each odd case has something to report


def test_a_bad_file_among_plain_ones_is_named_by_its_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slim, _, streamed = _both(build(tmp_path, **ODD["bad-mimetype-among-plain"]), monkeypatch)
    assert streamed[0] is True  # read as a stream, the plain files taken out
    named = [f for f in slim.findings if f.code == "CSIP68"]
    assert [f.path for f in named] == ["/mets:mets/mets:fileSec/mets:fileGrp[1]/mets:file[3]"]


def test_a_zip_gives_the_same_findings_streamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pkg = build(tmp_path, **ODD["bad-mimetype-among-plain"])
    archive = tmp_path / "pkg.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(pkg.rglob("*")):
            if path.is_file():
                zf.write(path, f"{pkg.name}/{path.relative_to(pkg)}")
    slim, whole, streamed = _both(archive, monkeypatch)
    _same(slim, whole)
    assert streamed[:1] == [True] and any(f.code == "CSIP68" for f in slim.findings)


def test_streamed_listings_are_the_whole_trees_listings(tmp_path: Path) -> None:
    from arkivlucka.delivery import metsread, vocab
    from arkivlucka.delivery.check_struct import TypeCache
    from arkivlucka.xmldoc import schemas

    pkg = build(tmp_path, **ODD["bad-mimetype-among-plain"])
    info = schemas.lookup("http://www.loc.gov/METS/", "mets")
    assert info is not None
    schema = schemas.schema_for(info)
    for rel in ("METS.xml", "representations/rep1/METS.xml"):
        whole = list(metsread.listings(etree.parse(str(pkg / rel)).getroot(), rel))
        with open(pkg / rel, "rb") as fh:
            tree, slim = metsread.read_slim(fh, rel, schema, TypeCache(vocab.terms(vocab.IANA)))
        assert slim.ids  # plain files were taken out of the tree
        assert list(metsread.listings(tree.getroot(), rel, slim)) == whole


@pytest.mark.parametrize(
    ("case", "valid"), [("many-plain-files", True), ("rep-schema-invalid", False)]
)
def test_the_worker_reads_the_representation_mets_as_the_main_process_would(
    tmp_path: Path, case: str, valid: bool
) -> None:
    from arkivlucka.delivery import metsread, metsship, verify_read
    from arkivlucka.delivery.reader import PackageReader
    from arkivlucka.files.zipsafe import ZipLimits

    pkg = build(tmp_path, **ODD[case])
    plan = verify_read.plan(None)
    assert plan is not None
    reader = PackageReader(pkg, ZipLimits())
    reader.walk()
    rel = "representations/rep1/METS.xml"
    got = verify_read.preread(reader, plan)
    assert list(got) == [rel] and (got[rel] is not None) is valid
    if not valid:
        return
    tree, slim = metsship.unship(got[rel])  # as the main process rebuilds it
    here = verify_read.stream(reader, rel, plan, {}, False)
    assert here is not None
    assert list(metsread.listings(tree.getroot(), rel, slim)) == list(
        metsread.listings(here[0].getroot(), rel, here[1])
    )
    assert etree.tostring(tree) == etree.tostring(here[0])
    rebuilt = [(n.tag, n.sourceline) for n in tree.iter()]
    assert rebuilt == [(n.tag, n.sourceline) for n in here[0].iter()]
    assert slim.ids == here[1].ids and len(slim.ids) == 6  # the template's file and 5 more
    assert sorted(slim.totals.values()) == sorted(here[1].totals.values())


def _long_rep(pkg: Path) -> None:
    """A representation METS past line 65,535 (lxml sets lines in 16 bits), with a finding."""
    rep = pkg / "representations" / "rep1" / "METS.xml"
    data = rep.read_bytes()
    at = data.rindex(b"<mets:structMap")
    rep.write_bytes(data[:at] + b"<!--" + b"\n" * 70_000 + b"-->\n" + data[at:].replace(
        b'TYPE="PHYSICAL"', b'TYPE="LOGICAL"', 1
    ))  # fmt: skip


def test_a_representation_mets_too_long_to_ship_is_read_by_the_main_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from arkivlucka.delivery import metsship

    pkg = build(tmp_path, **ODD["many-plain-files"])
    _long_rep(pkg)
    slim, whole, streamed = _both(pkg, monkeypatch)
    _same(slim, whole)
    assert streamed == [True, True]  # not shipped: read here, as a stream
    assert any((f.line or 0) > metsship.LINE_MAX for f in slim.findings)  # the true line


@pytest.mark.parametrize("fork", [True, False])
def test_an_invalid_representation_mets_is_read_whole_with_or_without_the_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fork: bool
) -> None:
    if not fork:
        monkeypatch.setenv("ARKIVLUCKA_NO_FORK", "1")
    slim, whole, streamed = _both(build(tmp_path, **ODD["rep-schema-invalid"]), monkeypatch)
    _same(slim, whole)
    assert streamed[0] is True  # the package METS was streamed, then all read whole
    assert any(
        f.code == "xml-schema" and f.file == "representations/rep1/METS.xml" for f in slim.findings
    )


def _premis(edit: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def after(pkg: Path) -> None:
        premis = pkg / "metadata" / "preservation" / "premis.xml"
        premis.write_bytes(edit(premis.read_bytes()))

    return after


_OBJECT_O1 = (
    b'<object xsi:type="intellectualEntity" xmlID="o-1"><objectIdentifier><objectIdentifierType>'
    b"local</objectIdentifierType><objectIdentifierValue>2</objectIdentifierValue>"
    b"</objectIdentifier></object>"
)
LARGE_XML: dict[str, dict[str, Any]] = {
    "valid": {},
    "not-well-formed": {"after": _premis(lambda b: b.replace(b"</object>", b"</objet>"))},
    "schema-invalid": {"after": _premis(lambda b: b.replace(b"<object ", b"<object bad='1' "))},
    "doctype": {"after": _premis(lambda b: b.replace(b"?>", b"?>\n<!DOCTYPE premis>", 1))},
    # a stream is never told of a repeated xs:ID: the whole reading is
    "repeated-xmlid": {
        "after": _premis(
            lambda b: b.replace(b"<object ", b'<object xmlID="o-1" ').replace(
                b"</object></premis>", b"</object>" + _OBJECT_O1 + b"</premis>"
            )
        )
    },
    "xinclude": {
        "after": _premis(
            lambda b: b.replace(
                b"</object>",
                b'</object><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="x"/>',
            )
        )
    },
}


def _hold(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    from arkivlucka.delivery import fixity, reader, verify

    monkeypatch.setattr(reader, "XML_HOLD", size)
    monkeypatch.setattr(verify, "XML_HOLD", size)
    monkeypatch.setattr(fixity, "XML_HOLD", size)


@pytest.mark.parametrize("case", sorted(LARGE_XML))
def test_large_metadata_xml_is_validated_as_a_stream_with_the_same_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    from arkivlucka.delivery import verify, verify_read

    pkg = build(tmp_path, **LARGE_XML[case])
    whole = verify.verify_package(pkg)
    calls: list[bool] = []
    real = verify_read.validates

    def spy(*args: Any, **kwargs: Any) -> bool:
        calls.append(True)
        return real(*args, **kwargs)

    monkeypatch.setattr(verify_read, "validates", spy)
    _hold(monkeypatch, 16)  # every metadata XML above 16 bytes counts as large
    streamed = verify.verify_package(pkg)
    _same(streamed, whole)
    if case != "doctype":  # a DOCTYPE is found before: read whole at once
        assert any(calls)  # the PREMIS file was validated as a stream (then whole on doubt)
    assert (case == "valid") is (whole.findings == [])


def test_the_worker_is_forked_before_lxml_and_the_rules_are_imported() -> None:
    code = (
        "import sys, arkivlucka.delivery.verify\n"
        "heavy = ('lxml.etree', 'arkivlucka.delivery.scope', 'arkivlucka.delivery.verify_mets')\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    said = python_says(code)
    assert said.strip() == "[]"


def test_without_records_the_requirement_checks_find_the_same(tmp_path: Path) -> None:
    from arkivlucka.delivery import metsread, rules
    from arkivlucka.delivery.verify_read import plan

    pkg = build(tmp_path, mets=set_attr(DOC_FILE, "MIMETYPE", "no/such-type"))
    needs = plan(None)
    assert needs is not None
    got = []
    for records in (True, False):
        with open(pkg / "METS.xml", "rb") as fh:
            tree, slim = metsread.read_slim(
                fh, "METS.xml", needs.schema, needs.types, records=records
            )
        found, _ = rules.run_checks(tree.getroot(), "METS.xml", slim=slim)
        counts = [slim.taken(g) for g in slim.groups]
        got.append(([(f.code, f.line, f.path) for f in found], slim.ids, counts))
    assert got[0] == got[1]
    assert any(code == "CSIP68" for code, _, _ in got[0][0])  # the odd file was kept and judged


@pytest.mark.parametrize("threads", [False, True])
def test_with_other_threads_the_worker_is_given_all_it_needs_before_the_fork(
    tmp_path: Path, threads: bool
) -> None:

    pkg = build(tmp_path)
    code = (
        "import sys, threading\n"
        "stop = threading.Event()\n"
        f"if {threads}:\n    threading.Thread(target=stop.wait).start()\n"
        "from arkivlucka.delivery import verify\n"
        "from arkivlucka.files.forked import lone_thread\n"
        "verify._side(None, lone_thread())\n"
        "print('arkivlucka.delivery.verify_mets' in sys.modules, 'lxml.etree' in sys.modules)\n"
        f"result = verify.verify_package({str(pkg)!r})\n"
        "stop.set()\n"
        "print(result.ok, result.files)\n"
    )
    said = python_says(code)
    loaded, verified = said.strip().splitlines()
    assert loaded == f"{threads} {threads}"  # a lone thread: the worker loads them itself
    assert verified == "True 8"
