"""Parse-form stage: normalised form text into the incident file's contract fields and findings.

The form is cut at its printed labels (anchors): a field's value is the text between its
label and the next label, wherever the extraction put the line breaks. Checkbox groups are
read from the glyphs in that text, whether the box is printed before or after its option.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from arkivlucka.core.errors import FormError
from arkivlucka.core.findings import Finding, error, warning
from arkivlucka.form.boxes import CHOICES, GLYPH, categories, checked_options, choose
from arkivlucka.form.repair import Repairer, email, parse_when, tidy


@dataclass(frozen=True)
class Label:
    """A printed label: its key, its wordings, and whether it may stand mid-line."""

    key: str
    pattern: str
    anywhere: bool = False
    wanted: bool = True  # reported as not found when missing from the form


LABELS: tuple[Label, ...] = (
    Label("reference", r"Diarienummer|Dnr|Ärendenummer|Ärende-?nr", wanted=False),
    Label("organisation", r"Organisation|Kommun|Myndighet", wanted=False),
    Label("department", r"Förvaltning(?:/bolag)?|Nämnd/förvaltning"),
    Label("unit", r"Avdelning\s*/\s*enhet|Avdelning|Enhet", anywhere=True),
    Label("name", r"Kontaktperson|Uppgiftslämnare|Anmälare|Rapportör"),
    Label("title", r"Titel|Befattning|Roll", wanted=False),
    Label("email", r"E-\s?post(?:adress)?|E-mail|Mejl", anywhere=True),
    Label("-phone", r"Telefon(?:nummer)?|Tel\.", wanted=False),
    Label("kind", r"Typ\s+av\s+(?:händelse|incident)", anywhere=True),
    Label("status", r"Incidentstatus|Status"),
    Label("summary", r"(?:Kort\s+)?beskrivning\s+(?:utav|av)\s+(?:incidenten|händelsen)", True),
    Label("-time", r"Tidpunkt(?:er)?", wanted=False),
    Label("discovered", r"När\s+upptäcktes\s+(?:incidenten|händelsen)\s*\??", anywhere=True),
    Label("occurred", r"När\s+inträffade\s+(?:incidenten|händelsen)\s*\??", anywhere=True),
    Label("categories", r"Fyll\s+i\s+(?:de\s+)?kategorier(?:\s+som\s+är\s+aktuella)?", True),
    Label("+categories", r"IT-\s*säkerhetsincident(?:er)?|Informationssäkerhetsincident(?:er)?|Kategori(?:er)?", wanted=False),
    Label("-itcat", r"IT-avdelningens\s+kategorisering", anywhere=True, wanted=False),
    Label("-consequences", r"Konsekvenser\s+och\s+åtgärder", anywhere=True, wanted=False),
    Label("disruption", r"Störning\s+i\s+tjänsten", anywhere=True),
    Label("business_critical", r"Verksamhetskritisk\s+tjänst\s*\??", anywhere=True),
    Label("restored", r"Återställning|Återställd\s*\?"),
    Label("-restore_time", r"Tid\s+för\s+återställning", anywhere=True, wanted=False),
    Label("actions_taken", r"Vidtagna\s+åtgärder", anywhere=True),
    Label("actions_planned", r"Planerade\s+åtgärder", anywhere=True),
    Label("-scope_heading", r"Beskrivning\s+av\s+omfattning\s+och\s+konsekvenser", True, False),
    Label("scope", r"Omfattning"),
    Label("valuation", r"Informationsvärdering"),
    Label("culling_notes", r"Gallring\s+och\s+arkivredovisning(?:ar)?", anywhere=True),
    Label("police_report", r"Är\s+händelsen\s+polisanmäld\s*\??|Polisanmäld\s*\??", anywhere=True),
    Label("personal_data_risk", r"Har\s+(?:incidenten|händelsen)\s+inneburit\s+risk\s+för\s+personuppgifter\s*\??", True),
    Label("-end", r"Om\s+risken\s+ej\s+kan\s+bedömas|Om\s+ja\s+ska\s+separat|Om\s+misstanke\s+finns|Personuppgiftsansvarig", True, False),
)  # fmt: skip


def _alternatives(anywhere_only: bool) -> str:
    return "|".join(
        f"(?P<g{i}>{lab.pattern})"
        for i, lab in enumerate(LABELS)
        if lab.anywhere or not anywhere_only
    )


# a label stands at the start of a line, or (some) mid-line after a space with a capital
_AT_START = re.compile(rf"^(?:\d{{1,2}}[.)]\s+)?(?:{_alternatives(False)})(?![\w-])", re.I | re.M)
_MID_LINE = re.compile(rf"(?<= )(?=(?-i:[A-ZÅÄÖÉ]))(?:{_alternatives(True)})(?![\w-])", re.I)

_PATHS = {
    "name": "reported_by.name", "title": "reported_by.title", "email": "reported_by.email",
    "disruption": "consequences.disruption", "business_critical": "consequences.business_critical",
    "restored": "consequences.restored", "discovered": "discovered.at", "occurred": "occurred.at",
}  # fmt: skip
_GROUP = {"kind": "kind", "status": "status", "disruption": "disruption", "business_critical": "yesno",
          "restored": "restored", "police_report": "yesno", "personal_data_risk": "risk"}  # fmt: skip
_TEXTS = ("summary", "actions_taken", "actions_planned", "scope", "valuation", "culling_notes")
_LINES = ("reference", "organisation", "department", "unit", "name", "title")
MIN_LABELS = 4


@dataclass
class Anchor:
    """A label found in the text, and the text up to the next label."""

    label: Label
    start: int
    end: int
    line: int
    value: str = ""


@dataclass
class ParsedForm:
    """Contract fields read from a form, the findings, and the form's title."""

    fields: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    title: str | None = None


def label_key(text: str) -> str | None:
    """The key of the field whose label ``text`` is, whole (any case, spacing, ``:``/``?``)."""
    text = " ".join(text.split()).rstrip(":?").strip()
    for lab in LABELS:
        if lab.key[0] != "-" and re.fullmatch(rf"(?:{lab.pattern})\s*[:?]?", text, re.I):
            return lab.key
    return None


def find_anchors(text: str) -> list[Anchor]:
    """Locate each label's first credible place; every value runs to the next label."""
    found: list[Anchor] = []
    seen: set[str] = set()
    matches = sorted(
        [*_AT_START.finditer(text), *_MID_LINE.finditer(text)], key=lambda m: m.start()
    )
    for mt in matches:
        lab = LABELS[int((mt.lastgroup or "g0")[1:])]
        if lab.key in seen or not _credible(text, mt, lab):
            continue
        if not lab.key.startswith("+"):
            seen.add(lab.key)
        found.append(Anchor(lab, mt.start(), mt.end(), text.count("\n", 0, mt.start()) + 1))
    found.sort(key=lambda a: (a.start, -a.end))
    anchors: list[Anchor] = []
    for a in found:
        if anchors and a.start < anchors[-1].end:
            continue
        anchors.append(a)
    for a, nxt in zip(anchors, [*anchors[1:], None], strict=False):
        a.value = text[a.end : nxt.start if nxt else len(text)]
    return anchors


def _credible(text: str, mt: re.Match[str], lab: Label) -> bool:
    line_start = text.rfind("\n", 0, mt.start()) + 1
    before = text[line_start : mt.start()]
    line_end = text.find("\n", mt.end())
    rest = text[mt.end() : line_end if line_end >= 0 else len(text)].strip()
    if before.strip():
        if not (lab.anywhere and mt.group(0)[0].isupper() and before.endswith(" ")):
            return False
        if GLYPH.search(before[-3:]):  # a checkbox option, not a label
            return False
    if lab.key == "+categories":
        return not rest or rest.startswith(":")
    if lab.anywhere:
        return True
    return (
        not rest
        or rest[0] in ":(*"
        or rest[0].isupper()
        or rest[0].isdigit()
        or bool(GLYPH.match(rest))
    )


def parse_form(lines: list[str], file: str = "<form>", kind: str = "txt") -> ParsedForm:
    """Read the contract fields from a form's text lines; raise ``FormError`` if not a form.

    ``kind`` is where the lines came from: in a Word document (``docx``) each is a paragraph.
    """
    text = "\n".join(lines)
    anchors = find_anchors(text)
    fields_found = {a.label.key for a in anchors if a.label.key[0] not in "-+"}
    if len(fields_found) < MIN_LABELS:
        msg = (
            f"not an incident form: only {len(fields_found)} of its field labels were found "
            "(Förvaltning, Typ av händelse, Kort beskrivning av incidenten, ...)"
        )
        raise FormError(f"{file}: {msg}", [error("not-a-form", msg, file=file)])
    fix = Repairer(lines, line_paragraphs=kind == "docx")
    out = ParsedForm()
    by_key: dict[str, Anchor] = {}
    for a in anchors:
        by_key.setdefault(a.label.key, a)

    def note(code: str, key: str, message: str, line: int | None) -> None:
        path = _PATHS.get(key, key)
        out.findings.append(warning(code, f"{path}: {message}", file=file, line=line, path=path))

    values: dict[str, Any] = {}
    for lab in LABELS:
        key = lab.key
        if key[0] in "-+" or key == "categories":
            continue
        anchor = by_key.get(key)
        if anchor is None:
            if lab.wanted:
                note("field-not-found", key, "its label is not on the form", None)
            continue
        line = anchor.line
        before = len(out.findings)
        value = _read(key, anchor, fix, lambda c, m, ln=line, k=key: note(c, k, m, ln))
        if value is None and len(out.findings) == before:
            note("field-empty", key, "the form leaves it empty", line)
        values[key] = value
    cats = categories([a.value for a in anchors if a.label.key in ("categories", "+categories")])
    if not any(a.label.key in ("categories", "+categories") for a in anchors):
        note("field-not-found", "categories", "no category section on the form", None)
    elif not cats:
        line = next(a.line for a in anchors if a.label.key in ("categories", "+categories"))
        note("checkbox-empty", "categories", "no category box is checked", line)
    values["categories"] = cats
    if values.get("title") is None and values.get("name"):
        values["title"] = _letterhead_title(lines, values["name"], anchors[0].line)
    out.title = _form_title(lines, anchors[0].line)
    out.fields = _assemble(values)
    return out


def _read(key: str, a: Anchor, fix: Repairer, note: Any) -> Any:
    raw = a.value.lstrip(" :*")
    if key == "email":
        value = email(raw)
        if value and not re.fullmatch(r"[^@\s]+@[^@\s]+\.\w{2,}", value):
            note("value-invalid", f"'{value}' is not an e-mail address")
            return None
        return value
    if key in _LINES:
        return fix.line(raw)
    if key in _TEXTS:
        return fix.text(raw)
    if key in ("discovered", "occurred"):
        return _timepoint(raw, note)
    if key in _GROUP:
        return choose(raw, _GROUP[key], note)
    return None  # pragma: no cover - every key is handled above


def _timepoint(raw: str, note: Any) -> dict[str, str] | None:
    precision = checked_options(raw, CHOICES["precision"])
    words = sorted((w for ws in CHOICES["precision"].values() for w in ws), key=len, reverse=True)
    when = GLYPH.sub(" ", raw)
    for w in words:
        when = re.sub(rf"(?<!\w){re.escape(w)}(?!\w)", " ", when, flags=re.I)
    when = re.sub(r"_+", " ", when)
    parsed = parse_when(when)
    if isinstance(parsed, str):
        note("date-unparseable", parsed)
        at = None
    else:
        at = (
            parsed.strftime("%Y-%m-%dT%H:%M")
            if isinstance(parsed, datetime)
            else parsed.isoformat()
        )
    prec = None
    if precision is None:
        note("checkbox-unreadable", "no boxes for estimated/exact time were found")
    elif not precision:
        note("checkbox-empty", "neither estimated nor exact time is checked")
    elif len(set(precision)) > 1:
        note("checkbox-conflict", "both estimated and exact time are checked")
    else:
        prec = precision[0]
    if at is None:
        return None
    return {"at": at, "precision": prec} if prec else {"at": at}


def _letterhead_title(lines: list[str], name: str, first_label_line: int) -> str | None:
    """The line under the contact person's name in a letterhead above the form, if any."""
    head = [ln.strip() for ln in lines[: first_label_line - 1] if ln.strip()]
    for i, ln in enumerate(head[:-1]):
        if ln.lower() == name.lower():
            title = head[i + 1]
            if "@" not in title and not re.search(r"\d", title) and len(title) < 60:
                return title
    return None


def _form_title(lines: list[str], first_label_line: int) -> str | None:
    for ln in lines[: first_label_line - 1]:
        if re.search(r"\b(?:Formulär|Blankett|Anmälan|Rapport|Incidentrapport)\b", ln, re.I):
            return tidy(ln)
    return None


def _assemble(v: dict[str, Any]) -> dict[str, Any]:
    """The values under the contract keys, in contract order; empty values left out."""
    person = {k: v.get(k) for k in ("name", "title", "email") if v.get(k)}
    cons = {k: v.get(k) for k in ("disruption", "business_critical", "restored")}
    data: dict[str, Any] = {
        "format": "arkivlucka-incident/1",
        "reference": v.get("reference"),
        "organisation": v.get("organisation"),
        "reported_by": person or None,
        "department": v.get("department"),
        "unit": v.get("unit"),
        "kind": v.get("kind"),
        "status": v.get("status"),
        "summary": v.get("summary"),
        "discovered": v.get("discovered"),
        "occurred": v.get("occurred"),
        "categories": v.get("categories") or None,
        "consequences": {k: x for k, x in cons.items() if x is not None} or None,
    }
    for key in ("actions_taken", "actions_planned", "scope", "valuation", "culling_notes"):
        data[key] = v.get(key)
    data["police_report"] = v.get("police_report")
    data["personal_data_risk"] = v.get("personal_data_risk")
    return {k: x for k, x in data.items() if x is not None}


def organisation_from_text(text: str) -> str | None:
    """The municipality or region the form names most often ("Trelleborgs kommun"), if any."""
    names = Counter(
        mt.group(0)
        for mt in re.finditer(
            r"\b[A-ZÅÄÖ][a-zåäö]+(?:-[A-ZÅÄÖ][a-zåäö]+)?s? (?:kommun|region|stad)\b", text
        )
    )
    if not names:
        return None
    (top, count), *rest = names.most_common()
    return top if not rest or rest[0][1] < count else None
