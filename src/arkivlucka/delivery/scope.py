"""Verify stage, scope: which rules a package is held to, then every METS of it checked.

The E-ARK version a package declares (another one than 2.1.0 is reported, never judged by
the wrong rules), the METS dates against the clock, the OBJID against the folder names, the
requirement checks of ``verify_rules`` on the package METS and each representation METS,
and the CSIPSTR layout rules.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

from lxml import etree

from arkivlucka.core.findings import Finding, Severity, error
from arkivlucka.delivery.check_context import M, folders_of
from arkivlucka.delivery.check_names import check_layout
from arkivlucka.delivery.metsread import Slim
from arkivlucka.delivery.requirements import REQUIREMENTS, finding
from arkivlucka.delivery.rules import declares_sip, run_checks
from arkivlucka.xmldoc import official

_VERSION = re.compile(r"(?<![\d.])v?(\d+)[._-](\d+)(?:[._-](\d+))?(?![\d])", re.I)
_OLD_EXT = ("ExtensionMETS", "http://www.eark-project.com/METS/IP.xml")


def declared_version(root: etree._Element) -> str | None:
    """The E-ARK version a METS declares when it is not CSIP 2.1.0 (e.g. "CSIP 2.0.4"), else None.

    Read from ``mets/@PROFILE`` (a versioned profile URL) and the namespaces: the E-ARK IP 1.x
    profiles used ``http://www.eark-project.com/METS/IP.xml`` and the ``ExtensionMETS``
    namespace. An unversioned DILCIS profile URL is the current one (2.1.0).
    """
    profile = root.get("PROFILE") or ""
    if "eark-project.com" in profile or any(v in _OLD_EXT for v in root.nsmap.values()):
        return "E-ARK IP 1.x"
    match = _VERSION.search(profile.rsplit("/", 1)[-1])
    if match:
        version = ".".join(g for g in match.groups() if g is not None)
        if version not in ("2.1", "2.1.0"):
            return f"CSIP/SIP {version}"
    return None


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None  # not an xs:dateTime: the schema check says so
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _dates(root: etree._Element, rel: str, now: datetime | None) -> list[Finding]:
    """CSIP7/CSIP8: the creation and modification dates are not in the future, nor reversed."""
    hdr = root.find(f"{M}metsHdr")
    if hdr is None or now is None:
        return []
    out: list[Finding] = []
    created, modified = _when(hdr.get("CREATEDATE")), _when(hdr.get("LASTMODDATE"))
    line = hdr.sourceline
    for rid, when, what in (("CSIP7", created, "CREATEDATE"), ("CSIP8", modified, "LASTMODDATE")):
        if when is not None and when > now:
            message = f"metsHdr/@{what} {when.isoformat()} is in the future"
            out.append(finding(rid, message, severity=Severity.ERROR, file=rel, line=line))
    if created and modified and modified < created:
        message = "metsHdr/@LASTMODDATE is earlier than CREATEDATE"
        out.append(finding("CSIP8", message, severity=Severity.ERROR, file=rel, line=line))
    return out


def check_package(
    trees: list[tuple[str, etree._Element]],
    files: frozenset[str],
    shown: str,
    name: str = "",
    now: datetime | None = None,
    slims: list[Slim | None] | None = None,
) -> tuple[list[Finding], set[str], bool, str | None]:
    """Every METS of a package (the package METS first), then the CSIPSTR layout rules.

    ``name`` is the package root folder's name: the package METS's OBJID should be it, and a
    representation METS's OBJID its folder's name (CSIP1, warnings).

    Returns the findings, the requirement ids skipped, whether the package is a SIP and the
    version it declares when that is not 2.1.0. Such a package is never silently held to the
    rules of another version: it gets a ``profile-unsupported`` error, and what the 2.1.0
    rules say of it comes as warnings that say so (its requirements count as not judged).
    ``slims``: for each of ``trees``, the files a streamed reading took out of it
    (``metsread``), or None.
    """
    root = trees[0][1]
    sip = declares_sip(root)
    version = declared_version(root)
    out, skipped = _judge(trees, files, shown, name, now, slims)
    if version is not None:
        message = (
            f"the package declares {version}; verify has the CSIP/SIP 2.1.0 rules only, so its "
            "requirements are not judged (files, sizes and checksums are); what the 2.1.0 "
            "rules say of it is given as warnings"
        )
        unjudged = {r for r in REQUIREMENTS if not r.startswith("CSIPSTR")}
        advice = [_advice(f, version) if f.code in unjudged else f for f in out]
        return [error("profile-unsupported", message, file=shown), *advice], unjudged, sip, version
    return out, skipped, sip, version


def _advice(f: Finding, version: str) -> Finding:
    """A 2.1.0 finding on a package of another version: a warning that says by what rules."""
    severity = Severity.INFO if f.severity is Severity.INFO else Severity.WARNING
    message = f"by the CSIP/SIP 2.1.0 rules (the package declares {version}): {f.message}"
    return replace(f, severity=severity, message=message)


def _judge(
    trees: list[tuple[str, etree._Element]],
    files: frozenset[str],
    shown: str,
    name: str,
    now: datetime | None,
    slims: list[Slim | None] | None,
) -> tuple[list[Finding], set[str]]:
    """The requirement findings of every METS and of the layout, and the ids skipped."""
    root = trees[0][1]
    out: list[Finding] = []
    skipped: set[str] = set()
    folders = folders_of(files)
    for n, (rel, tree) in enumerate(trees):
        found, missed = run_checks(
            tree, rel, rep=rel != trees[0][0], files=files, folders=folders,
            slim=slims[n] if slims else None,
        )  # fmt: skip
        out += found
        skipped |= missed
        out += _dates(tree, rel, now)
        folder = name if rel == trees[0][0] else rel.rpartition("/")[0].rpartition("/")[2]
        objid = tree.get("OBJID")
        if folder and objid and objid.strip() != folder:
            what = "package root folder" if rel == trees[0][0] else "representation folder"
            out.append(
                finding(
                    "CSIP1",
                    f"mets/@OBJID '{objid}' is not the name of the {what} '{folder}'",
                    severity=Severity.WARNING,
                    file=rel,
                    line=tree.sourceline,
                )
            )
    reps = dict(trees[1:])
    out += check_layout(files, root, reps, shown, folders)
    if skipped:
        out.append(
            error(
                official.MISSING,
                "the official CSIP vocabularies / IANA media types are missing or changed; "
                f"not checked: {', '.join(sorted(skipped))}",
                file=shown,
            )
        )
    return out, skipped
