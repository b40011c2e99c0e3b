"""Verify stage, shared by the requirement checks: one METS document being checked.

Holds the document, what is known of the package around it (its files, folders and IDs), the
findings so far and the requirements skipped (a vocabulary not found), so each check is a
small function over one section.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from arkivlucka.core.findings import Finding, Severity
from arkivlucka.delivery import vocab as verify_vocab
from arkivlucka.delivery.metsread import Slim
from arkivlucka.delivery.requirements import error_of, finding
from arkivlucka.xmldoc.namespaces import SIP_PROFILE as SIP_PROFILE
from arkivlucka.xmldoc.parse import line_of

M = "{http://www.loc.gov/METS/}"
XL = "{http://www.w3.org/1999/xlink}"
C = "{https://DILCIS.eu/XML/METS/CSIPExtensionMETS}"
S = "{https://DILCIS.eu/XML/METS/SIPExtensionMETS}"
MIMETYPE_MAX = 256


def folders_of(files: set[str] | frozenset[str]) -> frozenset[str]:
    """Every folder that holds a file of the package (``a``, ``a/b`` for ``a/b/c.txt``)."""
    out: set[str] = set()
    for rel in files:
        folder = rel.rpartition("/")[0]
        while folder and folder not in out:
            out.add(folder)
            folder = folder.rpartition("/")[0]
    return frozenset(out)


@dataclass
class Ctx:
    """One METS document and its package; checks add findings through ``add``."""

    root: etree._Element
    file: str
    rep: bool = False
    files: frozenset[str] | None = None
    folders: frozenset[str] | None = None
    sip: bool = False
    out: list[Finding] = field(default_factory=list)
    skipped: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)
    #: the IDs an ADMID / DMDID may name (``check_struct.section_ids``), found once
    sections: dict[str, frozenset[str]] = field(default_factory=dict)
    #: the plain files taken out of ``root`` when it was read as a stream (``metsread``)
    slim: Slim | None = None

    @property
    def base(self) -> str:
        """The folder of this METS file inside the package (``""`` for the package METS)."""
        return self.file.rpartition("/")[0]

    def add(
        self, rid: str, message: str, el: etree._Element | None = None, *, hard: bool = False
    ) -> None:
        """Report requirement ``rid``; ``hard`` makes it an error whatever its level."""
        build = error_of if hard else finding
        self.out.append(build(rid, message, **self._where(el)))

    def warn(self, rid: str, message: str, el: etree._Element | None = None) -> None:
        """A warning for requirement ``rid`` whatever its level (a doubt, not a breach)."""
        self.out.append(finding(rid, message, severity=Severity.WARNING, **self._where(el)))

    def _where(self, el: etree._Element | None) -> dict[str, Any]:
        """File, line and path of ``el`` in this METS (as the whole document has it)."""
        path = (self.slim.path(el) if self.slim else _path(el)) if el is not None else None
        return {"file": self.file, "line": line_of(el), "path": path}

    def info(self, rid: str, message: str, el: etree._Element | None = None) -> None:
        """An information finding for requirement ``rid`` (a MAY observation)."""
        self.out.append(
            finding(rid, message, severity=Severity.INFO, file=self.file, line=line_of(el))
        )

    def vocab(self, name: str, *rids: str) -> frozenset[str] | None:
        """Terms of a vocabulary; None (and ``rids`` marked skipped) when it is not found."""
        found = verify_vocab.terms(name)
        if found is None:
            self.skipped.update(rids)
        return found

    def folder_exists(self, rel: str) -> bool | None:
        """Whether the package has a folder ``rel`` (None when the package is not known)."""
        return None if self.folders is None else rel in self.folders


def _path(node: etree._Element) -> str:
    return str(node.getroottree().getpath(node))


def text(el: etree._Element | None) -> str:
    """An element's text, stripped ("" when absent)."""
    return "" if el is None else (el.text or "").strip()


def blank(value: str | None) -> bool:
    """Whether an attribute value is missing or only white space."""
    return value is None or not value.strip()


def media_type_ok(value: str, iana: frozenset[str]) -> bool:
    """Whether ``value`` is an IANA media type (parameters ignored, case-insensitive)."""
    return len(value) <= MIMETYPE_MAX and value.split(";", 1)[0].strip().lower() in iana
