"""verify, differential: random structural changes to a package's METS files (Hypothesis).

The streamed reading (slim trees, the worker's reading shipped) must give exactly the findings
of the whole reading, and the forked worker exactly what a thread gives; whatever the METS
files and the metadata documents (validated by the worker) hold. A large metadata file validated as a stream must, too. Changes: an element removed, duplicated or moved, an attribute removed or set to
an awkward value, a text replaced, in the package METS, the representation METS or both.
``make test`` runs a bounded number of examples, ``make fuzz`` many more.
"""

from __future__ import annotations

import copy
import os
import shutil
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from support.csip_template import build

VALUES = [
    "", " ", "OTHER", "Other", "SIP", "AIP", "x" * 300, "../../etc/passwd", "%41.txt",
    "file:///x", "-1", "99999999999999999999", "2999-01-01T00:00:00", "not-a-date", "ÅÄÖ",
    "a b", "SHA-256", "MD5", "text/plain", "URL", "simple", "Metadata", "Representations",
    "CSIP", "PHYSICAL", "rep1", "dmd-1 dmd-1", "file-doc", "rep1-file-1", "o-1", "e-1",
]  # fmt: skip
EXAMPLES = max(120, settings.default.max_examples)  # the profile's, at least 120

#: one change: which element (an index, wrapped), what to do, a value, another element
Change = tuple[int, int, int, int]
changes = st.lists(
    st.tuples(
        st.integers(0, 1 << 16),
        st.integers(0, 5),
        st.integers(0, len(VALUES) - 1),
        st.integers(0, 1 << 16),
    ),
    min_size=1,
    max_size=4,
)


def _apply(root: Any, todo: list[Change]) -> None:
    for pick, op, value, other_pick in todo:
        els = [e for e in root.iter() if isinstance(e.tag, str)]
        el, other = els[pick % len(els)], els[other_pick % len(els)]
        parent = el.getparent()
        names = sorted(el.attrib)
        if op == 0 and parent is not None:
            parent.remove(el)
        elif op == 1 and names:
            del el.attrib[names[value % len(names)]]
        elif op == 2 and names:
            el.set(names[pick % len(names)], VALUES[value])
        elif op == 3 and parent is not None:
            el.addnext(copy.deepcopy(el))
        elif op == 4:
            el.text = VALUES[value]
        elif op == 5 and parent is not None and other not in (root, el) and not _inside(other, el):
            other.append(el)


def _inside(el: Any, of: Any) -> bool:
    """Whether ``el`` is in the subtree of ``of`` (it cannot take ``of`` in then)."""
    return any(a is of for a in el.iterancestors())


def _package(tmp_path: Path, where: str, todo: list[Change]) -> Path:
    folder = tmp_path / "pkg"
    if folder.exists():  # Hypothesis reuses the test's tmp_path across examples
        shutil.rmtree(folder)
    folder.mkdir()
    change = {"mets": {"mets"}, "rep": {"rep"}, "both": {"mets", "rep"}}[where]
    return build(folder, **{k: (lambda root: _apply(root, todo)) for k in change})


def _outcome(result: Any) -> tuple[Any, ...]:
    return (result.findings, result.files, result.bytes, result.skipped, result.sip,
            result.version, result.checked)  # fmt: skip


@settings(max_examples=EXAMPLES)
@given(where=st.sampled_from(["mets", "rep", "both"]), todo=changes)
def test_streamed_and_whole_readings_give_the_same_findings(
    tmp_path: Path, where: str, todo: list[Change]
) -> None:
    from arkivlucka.delivery import verify, verify_read

    assert verify_read.plan(None) is not None  # else both would be read whole
    pkg = _package(tmp_path, where, todo)
    streamed = verify.verify_package(pkg)
    real = verify_read.stream
    verify_read.stream = lambda *args: None  # every METS file read whole
    try:
        whole = verify.verify_package(pkg)
    finally:
        verify_read.stream = real
    assert _outcome(streamed) == _outcome(whole)


@settings(max_examples=EXAMPLES // 3)
@given(where=st.sampled_from(["mets", "rep", "both"]), todo=changes)
def test_the_forked_worker_and_a_thread_give_the_same_findings(
    tmp_path: Path, where: str, todo: list[Change]
) -> None:
    forked, threaded = _forked_and_threaded(_package(tmp_path, where, todo))
    assert forked == threaded


def _forked_and_threaded(pkg: Path) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """``pkg`` verified with the forked worker and with a thread."""
    from arkivlucka.delivery import verify

    before = os.environ.pop("ARKIVLUCKA_NO_FORK", None)
    try:
        forked = verify.verify_package(pkg)  # (a thread where the platform cannot fork)
        os.environ["ARKIVLUCKA_NO_FORK"] = "1"
        threaded = verify.verify_package(pkg)
    finally:
        os.environ.pop("ARKIVLUCKA_NO_FORK", None)
        if before is not None:
            os.environ["ARKIVLUCKA_NO_FORK"] = before
    return _outcome(forked), _outcome(threaded)


@settings(max_examples=EXAMPLES // 3)
@given(
    doc=st.sampled_from(["metadata/preservation/premis.xml", "metadata/descriptive/dc.xml"]),
    todo=changes,
    cut=st.booleans(),
)
def test_metadata_documents_validated_by_the_worker_give_what_a_thread_gives(
    tmp_path: Path, doc: str, todo: list[Change], cut: bool
) -> None:
    """The worker validates the metadata documents it reads (``verify._kept``): same findings."""
    from lxml import etree

    def change(pkg: Path) -> None:
        path = pkg / doc
        data = path.read_bytes()
        if cut:  # not well-formed
            path.write_bytes(data[: len(data) // 2])
            return
        root = etree.fromstring(data)
        _apply(root, todo)
        path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))

    folder = tmp_path / "pkg"
    if folder.exists():  # Hypothesis reuses the test's tmp_path across examples
        shutil.rmtree(folder)
    folder.mkdir()
    forked, threaded = _worker_hashes_all(build(folder, after=change))
    assert forked == threaded


def _worker_hashes_all(pkg: Path) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """``_forked_and_threaded`` with the main process's share of the hashing turned off.

    So the worker reads (and validates) every metadata document, whatever the timing.
    """
    from arkivlucka.delivery import hashshare, verify
    from arkivlucka.files.forked import lone_thread

    assert verify._kept(None, lone_thread()) is not None  # the worker validates what it reads
    back = hashshare._Back.step
    hashshare._Back.step = lambda *args: False  # type: ignore[method-assign]
    try:
        return _forked_and_threaded(pkg)
    finally:
        hashshare._Back.step = back  # type: ignore[method-assign]


def test_a_metadata_document_listed_only_as_a_file_is_validated_by_the_worker_too(
    tmp_path: Path,
) -> None:
    """The worker validates a metadata document by its path; a file group may list it."""
    import hashlib

    from lxml import etree

    from support.csip_template import at

    broken = b"<x><y></x>\n"
    entry = (
        '<mets:file xmlns:mets="http://www.loc.gov/METS/" xmlns:xlink="http://www.w3.org/1999/xlink"'
        f' ID="file-extra" MIMETYPE="application/xml" SIZE="{len(broken)}"'
        ' CREATED="2024-01-01T00:00:00" CHECKSUMTYPE="SHA-256"'
        f' CHECKSUM="{hashlib.sha256(broken).hexdigest()}"><mets:FLocat LOCTYPE="URL"'
        ' xlink:type="simple" xlink:href="metadata/other/extra.xml"/></mets:file>'
    )

    def listed(root: Any) -> None:
        group = at(root, "/mets:mets/mets:fileSec/mets:fileGrp[@USE='Documentation']")
        group.append(etree.fromstring(entry))

    def written(pkg: Path) -> None:
        (pkg / "metadata" / "other" / "extra.xml").write_bytes(broken)

    forked, threaded = _worker_hashes_all(build(tmp_path, mets=listed, after=written))
    assert forked == threaded
    assert any(
        f.code == "xml-not-well-formed" and str(f.file).endswith("extra.xml") for f in forked[0]
    )


PREMIS = b"""<?xml version="1.0" encoding="UTF-8"?>
<premis xmlns="http://www.loc.gov/premis/v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
 version="3.0"><object xsi:type="file" xmlID="o-1"><objectIdentifier>
 <objectIdentifierType>local</objectIdentifierType><objectIdentifierValue>1</objectIdentifierValue>
 </objectIdentifier><objectCharacteristics><fixity><messageDigestAlgorithm>SHA-256
 </messageDigestAlgorithm><messageDigest>ab</messageDigest></fixity><size>3</size><format>
 <formatDesignation><formatName>text</formatName></formatDesignation></format>
 </objectCharacteristics></object><event xmlID="e-1"><eventIdentifier><eventIdentifierType>local
 </eventIdentifierType><eventIdentifierValue>1</eventIdentifierValue></eventIdentifier>
 <eventType>ingestion</eventType><eventDateTime>2024-01-01T00:00:00Z</eventDateTime></event>
</premis>
"""


@settings(max_examples=EXAMPLES * 5)  # a few ms each
@given(todo=changes)
def test_a_metadata_file_read_as_a_stream_gives_the_whole_readings_findings(
    tmp_path: Path, todo: list[Change]
) -> None:
    from lxml import etree

    from arkivlucka.delivery.reader import PackageReader
    from arkivlucka.delivery.verify_read import large_xml_findings, xml_findings
    from arkivlucka.files.zipsafe import ZipLimits

    root = etree.fromstring(PREMIS)
    _apply(root, todo)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    rel = "metadata/preservation/premis.xml"
    (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / rel).write_bytes(data)
    reader = PackageReader(tmp_path, ZipLimits())
    reader.walk()
    assert large_xml_findings(reader, rel, None) == xml_findings(data, rel, None)
