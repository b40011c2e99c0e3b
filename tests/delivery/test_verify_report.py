"""verify beyond single requirements: letter case, line endings, versions, AIPs, zips, reports."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from support.csip_template import build, chain, del_attr, set_attr
from support.helpers import REPO

R = "/mets:mets"
H = f"{R}/mets:metsHdr"
README = "documentation/readme.txt"


def schemas() -> Path | None:
    """The official schemas and vocabularies: the installed ones (the usual lookup)."""
    return None


def verify(pkg: Path):  # type: ignore[no-untyped-def]
    from arkivlucka.delivery.verify import verify_package

    return verify_package(pkg, schemas())


def errors(result) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    out: dict[str, list[str]] = {}
    for f in result.findings:
        if f.is_error:
            out.setdefault(f.code, []).append(f.message)
    return out


def test_other_letter_case_is_named_and_still_compared(tmp_path: Path) -> None:
    def upper(pkg: Path) -> None:
        (pkg / README).rename(pkg / "documentation/README.txt")

    result = verify(build(tmp_path, after=upper))
    found = errors(result)
    assert set(found) == {"CSIP79"} and "letter case" in found["CSIP79"][0]

    def upper_and_changed(pkg: Path) -> None:
        upper(pkg)
        (pkg / "documentation/README.txt").write_bytes(b"Testpaket?\nRad tva.\n")

    assert set(errors(verify(build(tmp_path / "b", after=upper_and_changed)))) == {
        "CSIP79",
        "CSIP71",
    }


@pytest.mark.parametrize(
    ("convert", "how"),
    [
        (lambda b: b.replace(b"\n", b"\r\n"), "LF → CRLF"),
        (lambda b: b, "CRLF → LF"),
    ],
)
def test_line_endings_changed_is_an_error_named_so(tmp_path: Path, convert, how: str) -> None:  # type: ignore[no-untyped-def]
    if how == "CRLF → LF":  # METS describes a CRLF file; the package holds it with LF

        def edit(root) -> None:  # type: ignore[no-untyped-def]
            import hashlib

            data = b"Testpaket.\r\nRad tva.\r\n"
            f = root.xpath(
                "//mets:file[@ID='file-doc']", namespaces={"mets": "http://www.loc.gov/METS/"}
            )[0]
            f.set("SIZE", str(len(data)))
            f.set("CHECKSUM", hashlib.sha256(data).hexdigest())

        pkg = build(tmp_path, mets=edit)
    else:
        pkg = build(tmp_path, after=lambda p: (p / README).write_bytes(convert((p / README).read_bytes())))  # fmt: skip
    found = errors(verify(pkg))
    assert set(found) == {"CSIP69", "CSIP71"}
    assert all(f"line endings changed, {how}" in m for m in found["CSIP69"] + found["CSIP71"])


@pytest.mark.parametrize(
    "profile",
    [
        "https://earksip.dilcis.eu/profile/E-ARK-SIP-v2-0-4.xml",
        "http://www.eark-project.com/METS/IP.xml",
    ],
)
def test_other_versions_are_reported_not_judged(tmp_path: Path, profile: str) -> None:
    result = verify(build(tmp_path, mets=set_attr(R, "PROFILE", profile)))
    assert set(errors(result)) == {"profile-unsupported"}
    assert "CSIP1" in result.skipped and result.version
    # files are still compared
    broken = build(
        tmp_path / "b",
        mets=set_attr(R, "PROFILE", profile),
        after=lambda p: (p / README).write_bytes(b"x"),
    )
    assert {"profile-unsupported", "CSIP71", "CSIP69"} <= set(errors(verify(broken)))


def test_other_version_gets_the_current_rules_as_warnings_that_say_so(tmp_path: Path) -> None:
    """Not judged, not silent: a 2.1.0 breach in an older package is a warning naming its id."""
    old = "http://www.eark-project.com/METS/IP.xml"
    result = verify(build(tmp_path, mets=chain(set_attr(R, "PROFILE", old), del_attr(R, "OBJID"))))
    assert set(errors(result)) == {"profile-unsupported"} and not result.ok
    named = [f for f in result.findings if f.code == "CSIP1"]
    assert named and all(f.severity.value == "warning" for f in named)
    assert all(
        "by the CSIP/SIP 2.1.0 rules (the package declares E-ARK IP 1.x)" in f.message
        for f in named
    )


def test_an_aip_is_not_held_to_sip_rules(tmp_path: Path) -> None:
    def aip(root) -> None:  # type: ignore[no-untyped-def]
        set_attr(R, "PROFILE", "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml")(root)
        set_attr(H, "csip:OAISPACKAGETYPE", "AIP")(root)
        for agent in root.xpath("//mets:agent[@TYPE!='OTHER']", namespaces={"mets": "http://www.loc.gov/METS/"}):  # fmt: skip
            agent.getparent().remove(agent)

    def aip_rep(root) -> None:  # type: ignore[no-untyped-def]
        set_attr(R, "PROFILE", "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml")(root)
        set_attr(H, "csip:OAISPACKAGETYPE", "AIP")(root)

    result = verify(build(tmp_path, mets=aip, rep=aip_rep))
    assert result.ok and not result.sip
    assert not [f for f in result.findings if f.code.startswith("SIP")]


@pytest.mark.parametrize(
    ("path", "attr", "value"),
    [
        (R, "TYPE", "OTHER"),  # the requirement text's spelling, beside the vocabulary's "Other"
        (f"{R}/mets:fileSec/mets:fileGrp[1]/mets:file", "MIMETYPE", "text/plain; charset=UTF-8"),
        (f"{R}/mets:fileSec/mets:fileGrp[1]/mets:file", "MIMETYPE", "Text/Plain"),
        (H, "RECORDSTATUS", "REPLACEMENT"),
    ],
)
def test_accepted_variants(tmp_path: Path, path: str, attr: str, value: str) -> None:
    def edit(root) -> None:  # type: ignore[no-untyped-def]
        set_attr(path, attr, value)(root)
        if value == "OTHER":
            set_attr(R, "csip:OTHERTYPE", "Testdata")(root)

    result = verify(build(tmp_path, mets=edit))
    assert result.ok, errors(result)


def test_template_as_zip_passes_and_two_roots_fail(tmp_path: Path) -> None:
    pkg = build(tmp_path / "src")
    archive = Path(shutil.make_archive(str(tmp_path / "pkg-1"), "zip", pkg.parent, pkg.name))
    assert verify(archive).findings == []
    two = tmp_path / "two.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(two, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("other/x.txt", b"x")
    assert "CSIPSTR1" in errors(verify(two))


def test_without_vocabularies_the_checks_are_skipped_and_said(
    tmp_path: Path, official_hidden: Path
) -> None:
    result = verify(build(tmp_path, mets=set_attr(R, "TYPE", "Datasetz")))
    assert {"CSIP2", "CSIP68"} <= result.skipped
    assert not result.ok and result.not_verified >= 1
    vocab = [f for f in result.findings if "official CSIP vocabularies" in f.message]
    assert [f.code for f in vocab] == ["official-schema-missing"]
    assert "CSIP2" not in {f.code for f in result.findings}  # not judged without its vocabulary


def test_vocabularies_are_read_through_one_function() -> None:
    from arkivlucka.delivery import vocab as verify_vocab

    path = verify_vocab.vocabulary_path(verify_vocab.IANA)
    assert path is not None and path.is_file()
    iana = verify_vocab.terms(verify_vocab.IANA)
    assert iana is not None and "application/xml" in iana and len(iana) > 1000
    assert verify_vocab.terms(verify_vocab.CONTENT_CATEGORY) >= {"Other", "OTHER", "Datasets"}  # type: ignore[operator]


def _cli(*args: str):  # type: ignore[no-untyped-def]
    from arkivlucka.cli import cli

    return CliRunner().invoke(cli, ["verify", *args])


def test_commons_ip_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1709283600")
    good = _cli(str(build(tmp_path / "a")), "--report", "commons-ip")
    assert good.exit_code == 0
    report = json.loads(good.stdout)
    assert [s["id"] for s in report["header"]["specifications"]] == ["CSIP-2.1.0", "SIP-2.1.0"]
    assert report["header"]["date"] == "2024-03-01T09:00:00+00:00"
    by_id = {v["id"]: v for v in report["validation"]}
    assert by_id["CSIP1"]["level"] == "MUST" and by_id["CSIP1"]["testing"]["outcome"] == "PASSED"
    assert by_id["CSIP45"]["testing"]["outcome"] == "SKIPPED"
    assert report["summary"]["result"] == "VALID" and report["summary"]["errors"] == 0
    assert set(report["summary"]) == {"success", "warnings", "errors", "skipped", "notes", "result"}
    total = sum(v for k, v in report["summary"].items() if k != "result")
    assert total == len(report["validation"])

    bad = _cli(str(build(tmp_path / "b", mets=set_attr(H, "csip:OAISPACKAGETYPE", "XIP"))), "--report", "commons-ip")  # fmt: skip
    assert bad.exit_code == 1
    report = json.loads(bad.stdout)
    by_id = {v["id"]: v for v in report["validation"]}
    assert by_id["CSIP9"]["testing"]["outcome"] == "FAILED"
    assert "XIP" in by_id["CSIP9"]["testing"]["issues"][0]
    assert report["summary"]["result"] == "INVALID" and report["summary"]["errors"] >= 1
    again = _cli(str(tmp_path / "b" / "pkg-1"), "--report", "commons-ip")
    assert again.stdout == bad.stdout  # deterministic with the date injected


def test_human_report_names_requirement_and_representation_file(tmp_path: Path) -> None:
    pkg = build(tmp_path, rep=set_attr(f"{H}/mets:agent", "OTHERTYPE", "HUMAN"))
    result = _cli(str(pkg))
    assert result.exit_code == 1
    assert "representations/rep1/METS.xml" in result.stderr and "[CSIP13]" in result.stderr


def test_docs_list_every_requirement() -> None:
    from arkivlucka.delivery.requirements import REQUIREMENTS, requirements_markdown

    docs = (REPO / "docs" / "package.md").read_text("utf-8")
    start, end = "<!-- requirements:start -->\n", "<!-- requirements:end -->"
    table = docs[docs.index(start) + len(start) : docs.index(end)]
    assert table == requirements_markdown()
    assert len(REQUIREMENTS) == 172 and all(f"| {rid} |" in table for rid in REQUIREMENTS)


def test_no_crash_whatever_element_or_attribute_is_taken_away(tmp_path: Path) -> None:
    """Every element and every attribute of both METS files removed in turn: verify answers."""
    from lxml import etree

    from support.csip_template import AGENTS, PACKAGE_METS, REP_METS

    def count(text: str, agents: str) -> tuple[int, int]:
        root = etree.fromstring(text.format(objid="x", agents=agents).encode())
        return sum(1 for _ in root.iter()), sum(len(e.attrib) for e in root.iter())

    def drop_element(i: int):  # type: ignore[no-untyped-def]
        def edit(root) -> None:  # type: ignore[no-untyped-def]
            el = list(root.iter())[i]
            if el.getparent() is not None:
                el.getparent().remove(el)

        return edit

    def drop_attribute(i: int):  # type: ignore[no-untyped-def]
        def edit(root) -> None:  # type: ignore[no-untyped-def]
            pairs = [(e, a) for e in root.iter() for a in e.attrib]
            el, attr = pairs[i]
            del el.attrib[attr]

        return edit

    runs = 0
    for which, text, agents in (("mets", PACKAGE_METS, AGENTS), ("rep", REP_METS, "")):
        elements, attributes = count(text, agents)
        edits = [drop_element(i) for i in range(1, elements)]
        edits += [drop_attribute(i) for i in range(attributes)]
        for n, edit in enumerate(edits):
            result = verify(build(tmp_path / f"{which}{n}", **{which: edit}))
            assert all(f.code and f.message for f in result.findings)
            runs += 1
    assert runs > 100
