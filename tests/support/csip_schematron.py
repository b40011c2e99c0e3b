"""Test helper: the published CSIP/SIP 2.1.0 Schematron (official schemas), placeholders substituted."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree, isoschematron

from arkivlucka.xmldoc import official

SVRL = "http://purl.oclc.org/dsdl/svrl"


def _terms(name: str) -> list[str]:
    tree = etree.parse(str(official.official_path(f"vocabs/{name}")))
    return [e.text.strip() for e in tree.iter("{*}Term") if e.text and e.text.strip()]


def _any_of(attr: str, values: list[str]) -> str:
    return "(" + " or ".join(f"({attr} = '{v}')" for v in values) + ")"


@cache
def _substitutions() -> dict[str, str]:
    iana = official.official_path("vocabs/IANA.txt").read_text(encoding="utf-8")
    return {
        "@TYPE_vocabulary_test": _any_of("@TYPE", _terms("CSIPVocabularyContentCategory.xml")),
        "@csip:CONTENTINFORMATIONTYPE_vocabulary_test": _any_of(
            "@csip:CONTENTINFORMATIONTYPE", _terms("CSIPVocabularyContentInformationType.xml")
        ),
        "@csip:OAISPACKAGETYPE_vocabulary_test": _any_of(
            "@csip:OAISPACKAGETYPE", _terms("CSIPVocabularyOAISPackageType.xml")
        ),
        "@STATUS_vocabulary_test": _any_of("@STATUS", _terms("CSIPVocabularyStatus.xml")),
        "@MIMETYPE_IANA_test": _any_of(
            "@MIMETYPE", [line.strip() for line in iana.splitlines() if line.strip()]
        ),
    }


@cache
def rule_sets() -> list[tuple[str, isoschematron.Schematron]]:
    out = []
    keys = [f.key for f in official.manifest() if f.key.startswith("csip-2.1.0/schematron/")]
    assert len(keys) == 16, keys
    for key in sorted(keys):
        path = official.official_path(key)
        text = path.read_text(encoding="utf-8")
        for key in sorted(_substitutions(), key=len, reverse=True):
            text = text.replace(key, _substitutions()[key])
        assert "_vocabulary_test" not in text and "_IANA_test" not in text, path
        schema = isoschematron.Schematron(etree.fromstring(text.encode()), store_report=True)
        out.append((key.removeprefix("csip-2.1.0/schematron/"), schema))
    return out


def failed_rules(mets: Path | bytes) -> set[str]:
    """The ids of every Schematron assertion that fails on this METS document."""
    doc = etree.parse(str(mets)) if isinstance(mets, Path) else etree.fromstring(mets).getroottree()
    failed: set[str] = set()
    for _, schema in rule_sets():
        schema.validate(doc)
        report = schema.validation_report
        failed |= {str(fa.get("id")) for fa in report.iter(f"{{{SVRL}}}failed-assert")}
    return failed
