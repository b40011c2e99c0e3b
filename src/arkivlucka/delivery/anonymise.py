"""Package stage, anonymising: the reporter's name and e-mail replaced in the packaged texts.

When a package is to leave out who reported the incident, every text file of it is searched
for the reporter's name, its parts and the e-mail (also broken over lines, as a PDF-to-text
run leaves them) and each is replaced by the reporter's role. A file that is not UTF-8 text
cannot be rewritten, and is refused rather than packaged with the name in it.
"""

from __future__ import annotations

import re

from arkivlucka.core.errors import InputError
from arkivlucka.core.findings import error
from arkivlucka.incident.load import LoadedIncident
from arkivlucka.xmldoc.build import escape_text


def anonymiser(loaded: LoadedIncident) -> tuple[str, list[str]]:
    """Return the role that replaces the reporter, and the strings to replace (longest first).

    The full name and e-mail come first; then each part of the name (3+ letters) so that a
    surname or first name alone is replaced too.
    """
    person = loaded.incident.reported_by
    role = (person.title or "rapportör").strip()
    whole = [s.strip() for s in (person.name, person.email) if s and s.strip()]
    parts = [p for p in (person.name or "").split() if len(p) >= 3]
    return role, sorted(set(whole), key=len, reverse=True) + sorted(
        set(parts) - set(whole), key=len, reverse=True
    )


def secret_pattern(secret: str) -> re.Pattern[str]:
    """A pattern for ``secret`` that survives line breaks a PDF-to-text run puts inside it."""
    pieces = []
    for char in secret:
        pieces.append(r"\s+" if char.isspace() else re.escape(char) + r"\s*")
    body = "".join(pieces).removesuffix(r"\s*")
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def anonymise_bytes(data: bytes, name: str, role: str, secrets: list[str]) -> bytes:
    """Replace every secret in UTF-8 text ``data`` with ``role`` (XML-escaped in XML files)."""
    if not secrets:
        return data
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(
            f"{name}: anonymising can only rewrite UTF-8 text; this file is not, so the "
            "reporter's name could stay in it",
            [
                error(
                    "anonymise-binary",
                    "cannot anonymise a file that is not UTF-8 text",
                    file=name,
                    param="anonymise",
                )
            ],
        ) from None
    is_xml = name.lower().endswith(".xml")
    replacement = escape_text(role) if is_xml else role
    for secret in secrets:
        for variant in {secret, escape_text(secret)} if is_xml else {secret}:
            text = secret_pattern(variant).sub(lambda _m: replacement, text)
    return text.encode("utf-8")
