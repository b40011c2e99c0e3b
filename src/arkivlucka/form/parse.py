"""Parse-form stage: normalised form text into the incident file's contract fields and findings.

The form is cut at its printed labels (anchors, ``form_labels``): a field's value is the
text between its label and the next label, wherever the extraction put the line breaks.
Numbered section headings and labels not on the list end the field before them too (the
unknown ones are reported). Checkbox groups are read from the glyphs in that text, whether
the box is printed before or after its option. Every value keeps where it came from (line,
page) and, when the reading is not sure, why (``Source``).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from arkivlucka.core.errors import FormError
from arkivlucka.core.findings import Finding, error, warning
from arkivlucka.form.anchors import Anchor, find_anchors
from arkivlucka.form.boxes import CHOICES, GLYPH, categories, checked_options, choose
from arkivlucka.form.dates import When, read_when
from arkivlucka.form.labels import LABELS, Label, label_key
from arkivlucka.form.repair import Repairer, email, tidy

__all__ = ["LABELS", "Label", "label_key", "parse_form"]


_PATHS = {
    "board": "records_creators", "affected_records": "affected.records",
    "affected_persons": "affected.persons", "name": "reported_by.name", "title": "reported_by.title", "email": "reported_by.email",
    "disruption": "consequences.disruption", "business_critical": "consequences.business_critical",
    "restored": "consequences.restored", "discovered": "discovered.at", "occurred": "occurred.at",
}  # fmt: skip
_GROUP = {"kind": "kind", "status": "status", "disruption": "disruption", "business_critical": "yesno",
          "restored": "restored", "police_report": "yesno", "personal_data_risk": "risk"}  # fmt: skip
_TEXTS = ("summary", "actions_taken", "actions_planned", "scope", "valuation", "culling_notes")
_LINES = ("reference", "organisation", "department", "unit", "name", "title")
MIN_LABELS = 4


@dataclass(frozen=True)
class Source:
    """Where a value was read (line, page) and, when the reading is not sure, why."""

    line: int | None
    page: int | None = None
    uncertain: str | None = None
    #: the value read there was changed by a person since (``incident.marks``)
    edited: bool = False

    def where(self) -> str:
        """``p. 2, l. 14``, ``l. 14`` or ``-``."""
        parts = [f"p. {self.page}" if self.page else "", f"l. {self.line}" if self.line else ""]
        return ", ".join(p for p in parts if p) or "-"


@dataclass(frozen=True)
class Layout:
    """What the reader knows of the lines: page per line, doubt per line (OCR)."""

    pages: tuple[int, ...] = ()
    uncertain: tuple[str | None, ...] = ()

    def source(self, first: int, last: int, reason: str | None = None) -> Source:
        """The source of a value on lines ``first``..``last`` (1-based)."""
        page = self.pages[first - 1] if 0 < first <= len(self.pages) else None
        doubts = [r for r in self.uncertain[max(0, first - 1) : last] if r]
        why = "; ".join(dict.fromkeys([*([reason] if reason else []), *doubts])) or None
        return Source(first, page, why)


@dataclass
class ParsedForm:
    """Contract fields read from a form, where each came from, the findings, the title."""

    fields: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    title: str | None = None
    sources: dict[str, Source] = field(default_factory=dict)


_KEYS = tuple(dict.fromkeys(lab.key for lab in LABELS if lab.key[0] not in "-+"))
_WANTED = {lab.key for lab in LABELS if lab.wanted}


def parse_form(
    lines: list[str], file: str = "<form>", kind: str = "txt", layout: Layout | None = None
) -> ParsedForm:
    """Read the contract fields from a form's text lines; raise ``FormError`` if not a form.

    ``kind`` is where the lines came from: in a Word document (``docx``) each is a paragraph.
    ``layout`` gives each line's page and any doubt about its reading (OCR).
    """
    text = "\n".join(lines)
    lay = layout or Layout()
    anchors = find_anchors(text)
    fields_found = {a.label.key for a in anchors if a.label.key[0] not in "-+?"}
    if len(fields_found) < MIN_LABELS:
        msg = (
            f"not an incident form: only {len(fields_found)} of its field labels were found "
            "(Förvaltning, Typ av händelse, Kort beskrivning av incidenten, ...)"
        )
        raise FormError(f"{file}: {msg}", [error("not-a-form", msg, file=file)])
    fix = Repairer(lines, line_paragraphs=kind == "docx")
    out = ParsedForm()

    def note(code: str, key: str, message: str, line: int | None) -> None:
        path = _PATHS.get(key, key)
        out.findings.append(warning(code, f"{path}: {message}", file=file, line=line, path=path))

    values = _read_fields(anchors, text, fix, lay, out, note)
    _categories(anchors, values, note, out, lay, text)
    _reports(anchors, values, note, out, lay, text)
    _unknown_labels(anchors, text, fix, out, file)
    if values.get("title") is None and values.get("name"):
        found = _letterhead_title(lines, values["name"], anchors[0].line, fix)
        if found:
            values["title"] = found[0]
            out.sources["reported_by.title"] = lay.source(found[1], found[2])
        elif found is not None:
            note("field-not-found", "title", "the letterhead names the contact person but "
                 "the line under the name cannot be read as a title", None)  # fmt: skip
    out.title = _form_title(lines, anchors[0].line)
    out.fields = _assemble(values)
    if fix.missing_words:
        out.findings.append(_word_list_missing(file))
    return out


def _read_fields(
    anchors: list[Anchor], text: str, fix: Repairer, lay: Layout, out: ParsedForm, note: Any
) -> dict[str, Any]:
    """Each field's value under its label, with its source; missing and empty ones noted."""
    by_key: dict[str, Anchor] = {}
    for a in anchors:
        by_key.setdefault(a.label.key, a)
    # each anchor starts at its own offset: the one after it, found without comparing fields
    following = {id(a): nxt for a, nxt in itertools.pairwise(anchors)}
    values: dict[str, Any] = {}
    for key in _KEYS:
        if key == "categories":
            continue
        anchor = by_key.get(key)
        if anchor is None:
            if key in _WANTED:
                note("field-not-found", key, "its label is not on the form", None)
            continue
        before = len(out.findings)
        reason: list[str] = []
        value = _read(
            key,
            anchor,
            fix,
            lambda c, m, sub=None, ln=anchor.line, k=key: note(
                c, f"{k}.{sub}" if sub else k, m, ln
            ),
            reason,
        )
        if value is None and len(out.findings) == before:
            note("field-empty", key, "the form leaves it empty", anchor.line)
        values[key] = value
        if value is not None:
            nxt = following.get(id(anchor))
            if (
                nxt is not None
                and nxt.tight
                and key in _LINES
                and nxt.line == _first_line(text, anchor)
            ):
                reason.append(f"the line also holds the label '{text[nxt.start : nxt.end]}'")
            out.sources[_PATHS.get(key, key)] = lay.source(
                _first_line(text, anchor), _last_line(text, anchor), "; ".join(reason) or None
            )
    return values


def _unknown_labels(
    anchors: list[Anchor], text: str, fix: Repairer, out: ParsedForm, file: str
) -> None:
    """Report each label-like phrase not on the list (it ended the field before it)."""
    for a in anchors:
        if a.label.key not in ("?unknown", "?again"):
            continue
        shown = " ".join(text[a.start : a.end].split()).rstrip(":")
        val = fix.line(a.value.lstrip(" :")) or ""
        said = f" (it says: {val[:60]!r})" if val else ""
        if a.label.key == "?unknown":
            code, what = "label-unknown", "is not a label this tool knows"
        else:
            code, what = "label-repeated", "labels a field that was already read above"
        out.findings.append(
            warning(
                code,
                f"'{shown}' {what}; it ends the field before it and its value is not read{said}",
                file=file,
                line=a.line,
            )
        )


def _word_list_missing(file: str) -> Finding:
    from arkivlucka.form.words import DICTIONARY, INSTALL_HINT

    return warning(
        "word-list-missing",
        f"the Swedish word list ({DICTIONARY}) is not installed, so words broken across "
        f"lines may stay split in two; install it with: {INSTALL_HINT}",
        file=file,
    )


def _first_line(text: str, a: Anchor) -> int:
    body = a.value.lstrip()
    return text.count("\n", 0, a.end + len(a.value) - len(body)) + 1 if body else a.line


def _last_line(text: str, a: Anchor) -> int:
    return text.count("\n", 0, a.end + len(a.value.rstrip())) + 1


def _categories(
    anchors: list[Anchor], values: dict[str, Any], note: Any, out: ParsedForm, lay: Layout,
    text: str,
) -> None:  # fmt: skip
    sections = [a for a in anchors if a.label.key in ("categories", "+categories")]
    cats = categories([a.value for a in sections])
    if not sections:
        note("field-not-found", "categories", "no category section on the form", None)
    elif not cats:
        note("checkbox-empty", "categories", "no category box is checked", sections[0].line)
    else:
        out.sources["categories"] = lay.source(
            _first_line(text, sections[0]), _last_line(text, sections[-1])
        )
    values["categories"] = cats


_AUTHORITY = (
    ("IMY", r"IMY|Integritetsskyddsmyndigheten|Datainspektionen"),
    ("MSB", r"MSB|Myndigheten\s+för\s+samhällsskydd"),
)
_REF = re.compile(
    r"(?:dnr|diarienummer|ärendenummer|ärendenr|referens|reference|nr)\.?:?\s*(?P<ref>[\w./-]*\d[\w./-]*)",
    re.I,
)


def _reports(
    anchors: list[Anchor], values: dict[str, Any], note: Any, out: ParsedForm, lay: Layout,
    text: str,
) -> None:  # fmt: skip
    """Reports to IMY, MSB (labels "Anmäld till IMY?") and to the police."""
    reports: list[dict[str, Any]] = []
    for a in anchors:
        label = text[a.start : a.end]
        if a.label.key == "+report":
            to = next((n for n, rx in _AUTHORITY if re.search(rx, label, re.I)), None)
        elif a.label.key == "police_report":
            to = "Polisen" if values.get("police_report") is True else None
        else:
            continue
        if to is None:
            continue
        raw = a.value.lstrip(" :?")
        if a.label.key == "+report":
            said = checked_options(raw, CHOICES["yesno"])
            said = [w for w in [_word_yes(raw)] if w is not None] if said is None else said
            if said != [True]:
                if not said and not raw.strip():
                    note("field-empty", "reports", f"'{' '.join(label.split())}' is empty", a.line)
                continue
        item: dict[str, Any] = {"to": to}
        when = read_when(GLYPH.sub(" ", raw))
        if isinstance(when, When) and not when.estimated:
            item["date"] = when.at.isoformat()[:10]
        ref = _REF.search(raw)
        if ref:
            item["reference"] = ref.group("ref").rstrip(".")
        out.sources[f"reports[{len(reports)}]"] = lay.source(
            _first_line(text, a), _last_line(text, a)
        )
        reports.append(item)
    if reports:
        values["reports"] = reports


def _word_yes(raw: str) -> bool | None:
    first = raw.strip().split()[0].strip(",.;").lower() if raw.strip() else ""
    return {"ja": True, "yes": True, "nej": False, "no": False}.get(first)


def _read(key: str, a: Anchor, fix: Repairer, note: Any, reason: list[str]) -> Any:
    raw = a.value.lstrip(" :*?")
    if key == "email":
        value = email(raw)
        if value and "@" not in value and len(re.findall(r"[&®©ÖQ]", value)) == 1:
            value = re.sub(r"[&®©ÖQ]", "@", value)  # OCR's usual misreading of the @
            reason.append("the '@' was read as another sign (OCR) and put back")
        if value and not re.fullmatch(r"[^@\s]+@[^@\s]+\.\w{2,}", value):
            note("value-invalid", f"'{value}' is not an e-mail address")
            return None
        return value
    if key in _LINES or key in ("board", "affected_records", "affected_persons"):
        return fix.line(raw)
    if key in _TEXTS:
        return fix.text(raw)
    if key in ("discovered", "occurred"):
        return _timepoint(raw, note, reason)
    if key in _GROUP:
        return choose(raw, _GROUP[key], note)
    return None  # pragma: no cover - every key is handled above


def _timepoint(raw: str, note: Any, reason: list[str]) -> dict[str, str] | None:
    precision = checked_options(raw, CHOICES["precision"])
    words = sorted((w for ws in CHOICES["precision"].values() for w in ws), key=len, reverse=True)
    when_text = GLYPH.sub(" ", raw)
    for w in words:
        when_text = re.sub(rf"(?<!\w){re.escape(w)}(?!\w)", " ", when_text, flags=re.I)
    when_text = re.sub(r"_+", " ", when_text)
    parsed = read_when(when_text)
    at = None
    if isinstance(parsed, str):
        note("date-unparseable", parsed)
    else:
        at = parsed.iso()
        if parsed.reason:
            reason.append(parsed.reason)
    prec = None
    if precision is None:  # no boxes: the precision may be written as words ("exakt tid")
        said = {v for v, ws in CHOICES["precision"].items() for w in ws
                if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", raw, re.I)}  # fmt: skip
        precision = [said.pop()] if len(said) == 1 else None
    if precision is None:
        if not (isinstance(parsed, When) and parsed.estimated):
            note("checkbox-unreadable", "no boxes for estimated/exact time were found", "precision")
    elif not precision:
        note("checkbox-empty", "neither estimated nor exact time is checked", "precision")
    elif len(set(precision)) > 1:
        note("checkbox-conflict", "both estimated and exact time are checked", "precision")
    else:
        prec = precision[0]
    if isinstance(parsed, When) and parsed.estimated:
        prec = "estimated"
    if at is None:
        return None
    return {"at": at, "precision": prec} if prec else {"at": at}


def _letterhead_title(
    lines: list[str], name: str, first_label_line: int, fix: Repairer
) -> tuple[str, int, int] | tuple[()] | None:
    """The line(s) under the contact person's name in a letterhead above the form.

    A title broken across lines ("Kommunarki" / "varie") is joined. Returns (title, first
    line, last line); ``()`` when the name is there but no title can be read under it;
    None when the letterhead does not name the person.
    """
    head = [(n, ln.strip()) for n, ln in enumerate(lines[: first_label_line - 1], 1) if ln.strip()]
    for i, (_, ln) in enumerate(head):
        if ln.lower() != name.lower():
            continue
        if i + 1 >= len(head):
            return ()
        first, title = head[i + 1]
        last = first
        for n, more in head[i + 2 : i + 4]:
            if fix.join_pair(lines[last - 1], more) == "" and "@" not in more:
                title, last = title + more, n
            else:
                break
        if "@" not in title and not re.search(r"\d", title) and len(title) < 60:
            return tidy(title), first, last
        return ()
    return None


def _form_title(lines: list[str], first_label_line: int) -> str | None:
    for ln in lines[: first_label_line - 1]:
        if re.search(r"\b\w*(?:formulär|blankett|anmälan|rapport|report)\w*\b|\bform\b", ln, re.I):
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
    data["reports"] = v.get("reports")
    affected = {k: v.get(f"affected_{k}") for k in ("records", "persons") if v.get(f"affected_{k}")}
    data["affected"] = affected or None
    if v.get("board"):
        data["records_creators"] = [{"name": v["board"], "proposed": True}]
    return {k: x for k, x in data.items() if x is not None}


def organisation_from_text(text: str) -> str | None:
    """The municipality or region the form names most often ("Trelleborgs kommun"), if any."""
    names = Counter(
        mt.group(0)
        for mt in re.finditer(
            r"\b[A-ZÅÄÖ][a-zåäö]+(?:-[A-ZÅÄÖ][a-zåäö]+)?s? (?:kommun|region|stad)\b"
            r"|\bRegion [A-ZÅÄÖ][a-zåäö]+(?:-[A-ZÅÄÖ][a-zåäö]+)?\b",
            text,
        )
    )
    if not names:
        return None
    (top, count), *rest = names.most_common()
    return top if not rest or rest[0][1] < count else None
