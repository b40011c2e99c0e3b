"""Propose stage: archival facts the form gives only as prose, proposed for the archivist.

From the free-text fields it proposes the lost record types with their periods, the
recovered extracts and where they are kept, and the systems named. Every item carries
``proposed: true`` and the phrase it came from; nothing the prose does not say is filled in.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from arkivlucka.core.findings import Finding, Severity, warning
from arkivlucka.core.text import slug
from arkivlucka.form.repair import MONTHS_SV

_MONTHS = "|".join(list(MONTHS_SV)[:12])
_YEAR = r"(?:19|20)\d{2}"
_SLASHED = r"\d{1,2}/\d{1,2}[-/](?:19|20)?\d{2}"
_POINT = rf"(?:{_YEAR}-\d{{2}}-\d{{2}}|{_SLASHED}|\d{{1,2}}\s+(?:{_MONTHS})\s+{_YEAR}|(?:{_MONTHS})\s+{_YEAR}|{_YEAR})"
_DASH = r"\s*[-–—]\s*"
PERIODS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rx, re.I))
    for kind, rx in (
        ("days", rf"(?P<a>\d{{1,2}}){_DASH}(?P<b>\d{{1,2}})\s+(?P<m>{_MONTHS})\s+(?P<y>{_YEAR})"),
        ("months", rf"(?P<a>{_MONTHS}){_DASH}(?P<b>{_MONTHS})\s+(?P<y>{_YEAR})"),
        ("range", rf"(?:(?:under\s+)?(?:åren|perioden)\s+)?(?P<a>{_POINT})(?:{_DASH}|\s+till(?:\s+och\s+med)?\s+)(?P<b>{_POINT})"),
        ("range", rf"mellan\s+(?:åren\s+)?(?P<a>{_POINT})\s+och\s+(?P<b>{_POINT})"),
        ("after", rf"(?:efter|senare\s+än)\s+(?:den\s+|år\s+)?(?P<a>{_POINT})"),
        ("from", rf"(?:från\s+och\s+med|fr\.\s?o\.\s?m\.?|sedan|från)\s+(?:den\s+|år\s+)?(?P<a>{_POINT})"),
        ("before", rf"(?:före|innan|tidigare\s+än)\s+(?:den\s+|år\s+)?(?P<a>{_POINT})"),
        ("until", rf"(?:till\s+och\s+med|t\.\s?o\.\s?m\.?|fram\s+till|till)\s*(?:den\s+|år\s+)?(?P<a>{_POINT})"),
        ("single", rf"(?:(?:under|år|året)\s+)?(?P<a>{_YEAR})(?!-\d)"),
    )
)  # fmt: skip
_LOSS = re.compile(
    r"förlor|saknas|försvunn|raderad|tappa|inte\s+kvar|ej\s+kvar|gått\s+förlorad", re.I
)
_LIST_INTRO = re.compile(
    r"^(?:Det|Detta|Förlusten|Informationsförlusten|Bortfallet)\s+(?:gäller|rör|omfattar|handlar\s+om|avser)\s+(?P<list>.+)$"
    r"|(?:handlingar|uppgifter|information|dokument|filer)\w*\s+(?:som\s+)?(?:har\s+)?(?:gått\s+förlorade?|förlorats|saknas)\s*:\s*(?P<list2>.+)$"
    r"|^Förlorade?\s+(?:handlingar|information|uppgifter|dokument)\s*:\s*(?P<list3>.+)$"
    r"|^(?P<list4>[^:]+?)\s+(?:har|hade)\s+(?:(?:delvis|helt|tyvärr|också|även)\s+)?(?:gått\s+förlorade?|förlorats|raderats|försvunnit)\.?$",
    re.I,
)
_VAGUE = re.compile(
    r"^(?:viss|all|mycket|en\s+del|delar\s+av)?\s*(?:information(?:en)?|data(?:n)?|uppgifter(?:na)?|det|detta)$",
    re.I,
)
_NOUNS = {"modul": "modul", "system": "system", "verksamhetssystem": "system", "e-tjänst": "e-tjänst",
          "applikation": "applikation", "program": "program", "databas": "databas",
          "plattform": "plattform", "tjänst": "tjänst", "verktyg": "verktyg"}  # fmt: skip
_SYSTEM = re.compile(  # compounds too: "ärendesystemet Treserva", "journalsystem X"
    r"\b(?i:(?P<stem>[a-zåäö]*?)(?P<noun>" + "|".join(_NOUNS) + r")(?:en|et|n|t)?)\s+"
    r"(?P<name>[A-ZÅÄÖ0-9][\w.+-]*[\w+](?:\s+[A-ZÅÄÖ0-9][\w.+-]*[\w+])?)"
)
# every noun above holds one of these; a sentence without any names no system (a quick test;
# the pattern's case-insensitive match and lower() agree on ASCII letters and åäöéü)
_NOUN_CORES = tuple(n for n in _NOUNS if not any(m != n and m in n for m in _NOUNS))
_UNCOMMON_LETTER = re.compile(r"[^\x00-\x7fåäöéüÅÄÖÉÜ]")
_Said = Callable[[str], list[str]]


def _may_name_a_system(sentence: str) -> bool:
    """False only when ``_SYSTEM`` cannot match: the sentence holds none of the nouns."""
    if _UNCOMMON_LETTER.search(sentence):
        return True  # letters whose case-insensitive matches lower() may not tell
    low = sentence.lower()
    return any(noun in low for noun in _NOUN_CORES)


_SUPPLIER = re.compile(
    r"(?:leverantör(?:en)?|(?:driftas|driftades|levereras|levererades)\s+av|från\s+leverantör(?:en)?)\s+"
    r"(?:leverantör(?:en)?\s+)?(?P<name>[A-ZÅÄÖ][\w.&-]*[\w&](?:\s+(?:AB|Oy|AS|A/S|Ltd|Inc))?)"
)
_EXTRACT = re.compile(r"\buttag", re.I)
_NEGATION = re.compile(r"\b(?:inte|ej|aldrig|inget|inga)\b", re.I)
_KEPT = re.compile(
    r"(?:överförs|förs\s+över|förvaras|sparas|bevaras|lagras|finns|arkiveras|registreras|"
    r"har\s+(?:förts\s+över|överförts|sparats|lagts|registrerats))\s+(?:till|i|hos|på)\s+"
    r"(?:systemet\s+|diariet\s+|e-arkivet\s+|diariesystemet\s+)?"
    r"(?P<place>[A-ZÅÄÖ0-9][\w.+-]*[\w+](?:\s+[A-ZÅÄÖ0-9][\w.+-]*[\w+])?"
    r"|[a-zåäö]+s\s+(?:e-arkiv|arkiv|diarium|närarkiv|ärendehanteringssystem)\w*)"
    r"(?:\s+(?:hos|i)\s+(?P<series>[\wåäö]+s\s+(?:\w*serie\w*|diari\w+|arkiv\w*)))?"
)
_TRAILING_VERB = re.compile(r"\s+(?:saknas|raderades|försvann|förstördes)(?:\s+och)?$", re.I)
_BACK_REF = re.compile(r"(?:Uttaget|Uttagen|(?:Detta|Dessa|Det|De)\s+uttag\w*)\b", re.I)
_FIXED = re.compile(r"\b(?:från|till)\s+och\s+med\b|\bmellan\s+\S+\s+och\b", re.I)
_KEPT_CLAUSE = re.compile(
    r"\s+(?:(?:och\s+)?(?:har|hade|som|och)\s+(?:\w+\s+)?)?(?:sparats|gjorts|tagits|förts|"
    r"överförts|lagts|samlats|förvaras|sparas|bevaras|lagras|finns|överförs|arkiverats)\b.*$"
)
_LEADING = re.compile(
    r"\s+(?:omfattande|avseende|för|från|under|gällande|som\s+omfattar)\s*$", re.I
)


@dataclass
class Proposals:
    """Proposed lost records, systems and extracts, the phrase each came from, and findings."""

    lost_records: list[dict[str, Any]] = field(default_factory=list)
    systems: list[dict[str, Any]] = field(default_factory=list)
    extracts: list[dict[str, Any]] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    affected: dict[str, tuple[str, str]] = field(default_factory=dict)  # key → (phrase, field)


_QUALIFIER = r"(?:sammanlagt|totalt|cirka|ca\.?|omkring|ungefär|drygt|knappt|över|minst|runt)"
_NOUNS_COUNTED = (
    r"(?:st\.?\s+)?(?:handlingar|dokument|ärenden|akter|filer|poster|journaler|personer|"
    r"individer|registrerade|elever|patienter|brukare|medarbetare)"
)
# a count is found from its digits (fast); the words before it are looked for after
_COUNT = re.compile(
    rf"(?<![\d\w])(?P<num>\d{{1,3}}(?:[ \u00a0]\d{{3}})+|\d+)\s+(?P<noun>{_NOUNS_COUNTED})\b", re.I
)
_BEFORE = re.compile(rf"(?:{_QUALIFIER}\s+)+$", re.I)
_QUANTITY = re.compile(rf"^(?:{_QUALIFIER}\s+)*\d[\d \u00a0]*\s+{_NOUNS_COUNTED}\b", re.I)
_PERSONS = (
    "personer",
    "individer",
    "registrerade",
    "elever",
    "patienter",
    "brukare",
    "medarbetare",
)
_SOFT = re.compile(r"^(?:sammanlagt|totalt)\s+", re.I)


def _quantities(fields: dict[str, Any], out: Proposals) -> None:
    """How many records or persons the prose says were affected, in its words."""
    for key in ("scope", "summary", "valuation"):
        text = fields.get(key) or ""
        for mt in _COUNT.finditer(text):
            noun = mt.group("noun").lower()
            which = "persons" if noun.endswith(_PERSONS) else "records"
            before = _BEFORE.search(text, max(0, mt.start() - 40), mt.start())
            n = (before.group(0) if before else "") + mt.group("num")
            n = _SOFT.sub("", " ".join(n.split()))
            phrase = n if noun in ("handlingar", "personer") else f"{n} {noun}"
            out.affected.setdefault(which, (phrase, key))


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ\d-])")
# a sentence does not end after an abbreviation ("t.o.m. 19/10-23", "kl. 16")
_ABBREVIATION = re.compile(
    r"(?:\b(?:t\.o\.m|fr\.o\.m|t\.ex|bl\.a|m\.m|p\.g\.a|ca|kl|nr|jfr|resp|dnr|tel|st)\.)$", re.I
)


def _split_sentences(para: str) -> list[str]:
    out: list[str] = []
    for piece in _SENTENCE_END.split(para):
        if out and _ABBREVIATION.search(out[-1]):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def sentences(text: str) -> list[str]:
    """Split prose into sentences (at . ! ? before a capital or a dash, and at newlines)."""
    out = []
    text = re.sub(r"(?<![.!?:])\n(?![-–•*])", " ", text)  # a line that ends mid-sentence goes on
    for para in text.split("\n"):
        out += [s.strip() for s in _split_sentences(para) if s.strip()]
    return out


def find_period(text: str) -> tuple[dict[str, str], re.Match[str]] | None:
    """The first period phrase in ``text`` as contract keys (start/end/text) and its match."""
    best: tuple[dict[str, str], re.Match[str]] | None = None
    for kind, rx in PERIODS:
        mt = rx.search(text)
        if mt is None or (best is not None and mt.start() >= best[1].start()):
            continue
        a = _span(kind, mt) if kind in ("days", "months") else _point(mt.group("a"))
        if a is None:
            continue
        period: dict[str, str] = {}
        if kind in ("days", "months"):
            period = {"start": a[0], "end": a[1]}
        elif kind == "range":
            b = _point(mt.group("b"))
            if b is None:
                continue
            period = {"start": a[0], "end": b[1]}
        elif kind == "single":
            period = {"start": a[0], "end": a[1]}
        elif kind == "after":
            period = {"start": _shift(a[1], 1)}
        elif kind == "from":
            period = {"start": a[0]}
        elif kind == "before":
            period = {"end": _shift(a[0], -1)}
        else:
            period = {"end": a[1]}
        period["text"] = re.sub(r"\s+", " ", mt.group(0)).strip()
        best = (period, mt)
    return best


def _span(kind: str, mt: re.Match[str]) -> tuple[str, str] | None:
    """Spans like "13–19 januari 2024" or "mars–augusti 2016" as (first, last), as written."""
    months = list(MONTHS_SV)[:12]
    y = int(mt.group("y"))
    try:
        if kind == "days":
            mo = months.index(mt.group("m").lower()) + 1
            a, b = date(y, mo, int(mt.group("a"))), date(y, mo, int(mt.group("b")))
            return (a.isoformat(), b.isoformat()) if a <= b else None
        ma, mb = (months.index(mt.group(g).lower()) + 1 for g in ("a", "b"))
    except ValueError:
        return None
    return (f"{y:04d}-{ma:02d}", f"{y:04d}-{mb:02d}") if ma <= mb else None


def _point(text: str) -> tuple[str, str] | None:
    """A point in time as (first, last) ISO partial dates at its own granularity."""
    text = re.sub(r"\s+", " ", text.strip().lower())
    slashed = re.fullmatch(r"(\d{1,2})/(\d{1,2})[-/](\d{2,4})", text)
    if slashed:
        d, mo, y = (int(g) for g in slashed.groups())
        try:
            iso = date(y + 2000 if y < 100 else y, mo, d).isoformat()
        except ValueError:
            return None
        return iso, iso
    if re.fullmatch(_YEAR, text):
        return text, text
    if re.fullmatch(rf"{_YEAR}-\d{{2}}-\d{{2}}", text):
        return text, text
    months = list(MONTHS_SV)[:12]
    parts = text.split(" ")
    try:
        if len(parts) == 3:
            iso = date(int(parts[2]), months.index(parts[1]) + 1, int(parts[0])).isoformat()
            return iso, iso
        if len(parts) == 2:
            ym = f"{int(parts[1]):04d}-{months.index(parts[0]) + 1:02d}"
            return ym, ym
    except ValueError:
        return None
    return None


def _shift(iso: str, step: int) -> str:
    """The partial date just after (step 1) or before (step -1) ``iso``, same granularity."""
    if len(iso) == 4:
        return str(int(iso) + step)
    if len(iso) == 7:
        y, mo = int(iso[:4]), int(iso[5:]) + step
        y, mo = y + (mo - 1) // 12, (mo - 1) % 12 + 1
        return f"{y:04d}-{mo:02d}"
    return (date.fromisoformat(iso) + timedelta(days=step)).isoformat()


def _split_list(text: str) -> list[str]:
    """Split "A, B, C och D" into its items ("till och med" is not a separator)."""
    text = _FIXED.sub(lambda m: m.group(0).replace(" ", "\x00"), text.strip().rstrip("."))
    items = [p.strip() for p in re.split(r",\s+|;\s+", text) if p.strip()]
    if items:
        last = re.split(r"\s+(?:och|samt)\s+", items[-1])
        if len(last) == 2:
            items[-1:] = last
    return [item.replace("\x00", " ") for item in items]


def _title(item: str) -> tuple[str, dict[str, str] | None]:
    found = find_period(item)
    period = None
    if found:
        period, mt = found
        item = _LEADING.sub("", item[: mt.start()]) + " " + item[mt.end() :]
    item = re.sub(r"\s+", " ", item).strip(" ,.;:")
    item = _TRAILING_VERB.sub("", item)
    return (item[:1].upper() + item[1:], period)


def propose(fields: dict[str, Any]) -> Proposals:
    """Proposals from the prose of a form's fields (scope, summary, actions)."""
    out = Proposals()
    split: dict[str, list[str]] = {}

    def said(key: str) -> list[str]:  # a field's sentences, split once a form
        if key not in split:
            split[key] = sentences(fields.get(key) or "")
        return split[key]

    place = _place(said)
    _systems(said, out, {place[0]} if place else set())
    _extracts(said, out, place)
    _lost_records(fields, said, out)
    _quantities(fields, out)
    for section, what in (
        ("lost_records", "lost record type"),
        ("systems", "system"),
        ("extracts", "recovered extract"),
    ):
        n = len(getattr(out, section))
        if n:
            out.findings.append(
                _info("proposed", f"{section}: {n} {what}(s) proposed from the form's prose; "
                      "check each, then delete its 'proposed: true' line", section)
            )  # fmt: skip
    return out


def _info(code: str, message: str, path: str) -> Finding:
    return Finding(code, Severity.INFO, message, path=path)


def _lost_records(fields: dict[str, Any], said: _Said, out: Proposals) -> None:
    told = " ".join(fields.get(k) or "" for k in ("scope", "summary"))
    for key in ("scope", "summary"):
        text = fields.get(key) or ""
        if not (_LOSS.search(text) or (key == "scope" and _LOSS.search(told))):
            continue
        extent = None
        if re.search(r"\bdelvis\b|(?:inte|ej)\s+(?:kvar\s+)?i\s+sin\s+helhet", text, re.I):
            extent = "partial"
        elif re.search(r"\bhelt\s+förlorad|förlorats\s+helt|all\s+information", text, re.I):
            extent = "complete"
        for sentence in said(key):
            mt = _LIST_INTRO.search(sentence)
            if not mt:
                continue
            listed = next(g for g in mt.groups() if g)
            for item in _split_list(listed):
                title, period = _title(item)
                if not title or _VAGUE.match(title) or _QUANTITY.match(item.strip()):
                    continue
                if not re.search(r"[A-Za-zÅÄÖåäö]{3}", title):  # only a date or a number left
                    continue
                rec: dict[str, Any] = {"id": _unique(slug(title), out.lost_records), "title": title}
                if period:
                    rec["period"] = period
                if extent:
                    rec["extent"] = extent
                system = _system_of(text + " " + (fields.get("summary") or ""), out.systems)
                if system:
                    rec["system"] = system
                rec["proposed"] = True
                out.sources[f"lost_records[{len(out.lost_records)}]"] = f'"{item}" ({key})'
                out.lost_records.append(rec)
        if out.lost_records:
            return
    out.findings.append(
        warning(
            "no-lost-records",
            "lost_records: the form's prose names no lost records this tool can read; "
            "add them by hand",
            path="lost_records",
        )
    )


def _unique(base: str, items: list[dict[str, Any]]) -> str:
    ids = {i["id"] for i in items}
    base = base or "handling"
    n, cand = 2, base
    while cand in ids:
        cand, n = f"{base}-{n}", n + 1
    return cand


def _system_of(text: str, systems: list[dict[str, Any]]) -> str | None:
    """The one system the prose refers to as "modulen"/"systemet", or the only one named."""
    for noun, role in (("modulen", "modul"), ("systemet", "system")):
        match = [s["name"] for s in systems if s.get("role") == role]
        if re.search(rf"\b{noun}\b", text, re.I) and len(match) == 1:
            return str(match[0])
    return str(systems[0]["name"]) if len(systems) == 1 else None


def _systems(said: _Said, out: Proposals, exclude: set[str]) -> None:
    for key in ("summary", "scope", "valuation"):
        for sentence in said(key):
            if not _may_name_a_system(sentence):
                continue
            for mt in _SYSTEM.finditer(sentence):
                name = mt.group("name").rstrip(".")
                if name in {s["name"] for s in out.systems} | exclude or name.isdigit():
                    continue
                word = (mt.group("stem") + mt.group("noun")).lower()
                role = _NOUNS.get(word, word)
                item: dict[str, Any] = {"name": name, "role": role}
                sup = _SUPPLIER.search(sentence, mt.end())
                near = sup and not _SYSTEM.search(sentence[mt.end() : sup.start()])
                if sup and near and sup.group("name") != name:
                    item["supplier"] = sup.group("name")
                item["proposed"] = True
                out.sources[f"systems[{len(out.systems)}]"] = f'"{sentence}" ({key})'
                out.systems.append(item)


def _place(said: _Said) -> tuple[str, str | None] | None:
    """Where the actions say the extracts are kept, when they name exactly one place."""
    places: list[tuple[str, str | None]] = []
    for key in ("actions_taken", "actions_planned"):
        for sentence in said(key):
            kept = _KEPT.search(sentence)
            if kept and _EXTRACT.search(sentence):
                places.append((kept.group("place").rstrip("."), kept.group("series")))
    return places[0] if places and len(set(places)) == 1 else None


def _extracts(said: _Said, out: Proposals, place: tuple[str, str | None] | None) -> None:
    for sentence in said("actions_taken"):
        if not _EXTRACT.search(sentence) or _NEGATION.search(sentence):
            continue
        if _BACK_REF.match(sentence) and _KEPT.search(sentence):
            continue  # where the extract named before is kept, not a new extract
        title, period = _title(sentence)
        item: dict[str, Any] = {"title": _KEPT_CLAUSE.sub("", title) or title}
        if period:
            item["period"] = period
        if place:
            item["kept_in"] = place[0]
            if place[1]:
                item["series"] = place[1]
        item["proposed"] = True
        out.sources[f"extracts[{len(out.extracts)}]"] = f'"{sentence}" (actions_taken)'
        out.extracts.append(item)
