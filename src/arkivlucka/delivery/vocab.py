"""Delivery stage, verify: the CSIP/SIP controlled vocabularies and the IANA media types.

Read at run time from the official files (never copied into the project) through ONE function,
``vocabulary_path``, which asks the official-schemas lookup (``xmldoc.official``: the folder
``verify`` was given, then ``$ARKIVLUCKA_SCHEMAS``, then the installed sources). When a
vocabulary cannot be found, or its checksum is wrong, its checks are skipped and reported
(``official-schema-missing``, so ``verify`` says "not verified"), never guessed.
"""

from __future__ import annotations

import functools
from contextvars import ContextVar
from pathlib import Path

CONTENT_CATEGORY = "CSIPVocabularyContentCategory.xml"
CONTENT_INFORMATION_TYPE = "CSIPVocabularyContentInformationType.xml"
OAIS_PACKAGE_TYPE = "CSIPVocabularyOAISPackageType.xml"
STATUS = "CSIPVocabularyStatus.xml"
NOTE_TYPE = "CSIPVocabularyNoteType.xml"
RECORD_STATUS = "SIPVocabularyRecordStatus.xml"
RECORD_ID_TYPE = "SIPVocabularyRecordIDType.xml"
IANA = "IANA.txt"
FILEGRP_LABEL = "CSIPVocabularyFileGrpAndStructMapDivisionLabel.xml"

#: Spellings accepted beside the vocabulary's, where the requirement text and the vocabulary
#: differ (CSIP2 says "OTHER", the vocabulary has "Other"; the SIP record-status vocabulary
#: misspells REPLACEMENT as "REPLEACEMENT").
ALSO_ACCEPTED = {
    CONTENT_CATEGORY: frozenset({"OTHER"}),
    RECORD_STATUS: frozenset({"REPLACEMENT"}),
}


#: the folder of official files the running ``verify`` was given (None: the usual lookup)
SCHEMA_DIR: ContextVar[Path | None] = ContextVar("schema_dir", default=None)


def vocabulary_path(name: str) -> Path | None:
    """The checked official vocabulary file ``name`` (e.g. ``IANA.txt``), or None."""
    from arkivlucka.xmldoc.official import OfficialSchemasError, official_path

    try:
        return official_path(f"vocabs/{name}", SCHEMA_DIR.get())
    except OfficialSchemasError:
        return None


@functools.lru_cache(maxsize=32)
def _load(path: str) -> frozenset[str]:
    if path.endswith(".txt"):
        with open(path, encoding="utf-8") as fh:
            return frozenset(line.strip().lower() for line in fh if line.strip())
    from lxml import etree

    tree = etree.parse(path, etree.XMLParser(resolve_entities=False, no_network=True))
    return frozenset(
        (t.text or "").strip() for t in tree.iter("{https://DILCIS.eu/XML/Vocabularies/IP}Term")
    )


def terms(name: str) -> frozenset[str] | None:
    """The terms of vocabulary ``name`` (IANA media types lower-cased), or None if unavailable."""
    path = vocabulary_path(name)
    if path is None:
        return None
    from lxml import etree

    try:
        found = _load(str(path))
    except (OSError, UnicodeDecodeError, etree.XMLSyntaxError):
        return None  # an unreadable vocabulary is treated as missing (and said so)
    return found | ALSO_ACCEPTED.get(name, frozenset())
