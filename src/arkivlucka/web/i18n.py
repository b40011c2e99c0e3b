"""Workbench stage, languages: the message catalogs (gettext, Babel) and Swedish findings.

The catalog source is ``locale/<lang>/LC_MESSAGES/messages.po``. ``make catalogs`` compiles
it to ``messages.mo`` beside it; when that is missing or older than the source, the source
is compiled in memory when the server starts, so the page never shows a stale catalog.
"""

from __future__ import annotations

import functools
import gettext
import io
from pathlib import Path
from typing import Any

from arkivlucka.core.findings import Finding

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("sv", "en")
DEFAULT = "sv"


def N_(text: str) -> str:
    """Mark ``text`` for the catalog without translating it here."""
    return text


#: finding code → the message shown for it ({path} is the field, in the page's language)
FINDING_TEXT: dict[str, str] = {
    "missing-fact": N_("{path}: not given; the entries leave it empty"),
    "unconfirmed-proposal": N_(
        "{path}: proposed from the form's prose; confirm, edit or reject it"
    ),
    "no-records-creator": N_("No records creator yet: add at least one"),
    "records-creators-missing": N_("Records creators are not on the form: add them"),
    "plan-no-match": N_("{path}: no row of the retention schedule matches; choose one"),
    "plan-suggested-match": N_("{path}: a row of the retention schedule is suggested; choose it"),
    "plan-code-ambiguous": N_("{path}: several rows of the retention schedule fit; choose one"),
    "plan-code-unknown": N_("{path}: the plan code is not in the retention schedule"),
    "missing-decision": N_("The retention schedule names no decision (beslut)"),
    "period-order": N_("{path}: the period ends before it starts"),
    "file-changed": N_("The file changed on disk since the page was opened; nothing was saved"),
    "missing-author": N_("No role is given for who makes the entries"),
}


@functools.cache
def catalog(lang: str) -> gettext.NullTranslations:
    """The translations for ``lang`` (``en`` is the msgids themselves), read once per run."""
    if lang not in LANGUAGES or lang == "en":
        return gettext.NullTranslations()
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    po, mo = folder / "messages.po", folder / "messages.mo"
    if mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    return gettext.GNUTranslations(io.BytesIO(compile_po(po)))


def compile_po(po: Path) -> bytes:
    """The ``.mo`` bytes of the catalog source ``po`` (Babel)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        cat = read_po(fh)
    out = io.BytesIO()
    write_mo(out, cat)
    return out.getvalue()


def field_label(path: str | None, tr: gettext.NullTranslations, labels: dict[str, str]) -> str:
    """``lost_records[2].period`` as the page says it: "Förlorade handlingar 3: Period"."""
    if not path:
        return ""
    import re

    parts = []
    for key, index in re.findall(r"([A-Za-z_]+)|\[(\d+)\]", path):
        if key:
            parts.append(tr.gettext(labels.get(key, key)))
        else:
            parts[-1] = f"{parts[-1]} {int(index) + 1}"
    return ": ".join(parts)


def finding_text(f: Finding, tr: gettext.NullTranslations, labels: dict[str, str]) -> str:
    """A finding in the page's language; one without a catalog text keeps the library's words."""
    template = FINDING_TEXT.get(f.code)
    if template is None:
        return f.message
    path = f.path.removesuffix(".proposed") if f.path else f.path
    return tr.gettext(template).format(path=field_label(path, tr, labels))


def severity_text(f: Finding, tr: gettext.NullTranslations) -> str:
    """The severity of ``f`` as a word of the page's language."""
    words: dict[str, Any] = {
        "error": N_("error"),
        "warning": N_("warning"),
        "info": N_("note"),
    }
    return tr.gettext(words.get(f.severity.value, f.severity.value))
