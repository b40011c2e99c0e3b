"""Parse-form stage, labels: the wordings a form may print for each field, found by meaning.

Each field has its Swedish wordings, their common synonyms and the English wording used on
bilingual forms ("Förvaltning / Department"); a bilingual pair is one label whichever
language comes first. Keys starting with ``-`` are headings that only end the field before
them; ``+categories`` opens one more category section. What is not on this list but looks
like a label ("Rapporterad av:", "Berörd nämnd") is found by ``unknown_label`` and ends the
field before it too, so no label's text is ever read into another field's value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    """A printed label: its key, its wordings, and whether it may stand mid-line."""

    key: str
    pattern: str
    anywhere: bool = False
    wanted: bool = True  # reported as not found when missing from the form


_INCIDENT = r"(?:incidenten|händelsen|the\s+incident)"
_AUTH = r"(?:IMY|Integritetsskyddsmyndigheten|Datainspektionen|MSB|Myndigheten\s+för\s+samhällsskydd\s+och\s+beredskap)"

LABELS: tuple[Label, ...] = (
    Label("reference", r"Diarienummer|Dnr|Ärendenummer|Ärende-?nr|Case\s+(?:number|no\.?)|Reference(?:\s+number)?", wanted=False),
    Label("organisation", r"Organisation|Kommun|Myndighet|Organization|Municipality", wanted=False),
    Label("board", r"(?:Berörd|Ansvarig|Aktuell)\s+nämnd|Nämnd|Board|Committee", anywhere=True, wanted=False),
    Label("department", r"Förvaltning(?:/bolag)?|Nämnd\s*/\s*förvaltning|Verksamhet(?:sområde)?|Sektor|Department"),
    Label("unit", r"Avdelning\s*/\s*enhet|Avdelning|Enhet|Unit|Section", anywhere=True),
    Label("name", r"Kontaktperson|Uppgiftslämnare|Anmälare|Rapportör|Rapporterad\s+av|Inrapporterad\s+av|Ifylld\s+av|Anmäld\s+av|Reported\s+by|Contact\s+person", True),
    Label("title", r"Titel|Befattning|Roll|Yrkesroll|Title|Position|Job\s+title", anywhere=True, wanted=False),
    Label("email", r"E-\s?post(?:adress)?|E-?mail(?:\s+address)?|Mejl", anywhere=True),
    Label("-phone", r"Telefon(?:nummer)?|Tel\.|Mobil(?:nummer)?|Phone", anywhere=True, wanted=False),
    Label("kind", r"Typ\s+av\s+(?:händelse|incident)|Händelsetyp|Type\s+of\s+(?:event|incident)", anywhere=True),
    Label("status", r"Incidentstatus|Status"),
    Label("summary", rf"(?:Kort\s+)?beskrivning\s+(?:utav|av)\s+{_INCIDENT}|Händelsebeskrivning|Vad\s+har\s+hänt\s*\??|(?:Short\s+)?description\s+of\s+{_INCIDENT}", True),
    Label("-time", r"Tidpunkt(?:er)?|Time(?:s)?", wanted=False),
    Label("discovered", rf"När\s+upptäcktes\s+{_INCIDENT}\s*\??|(?:Datum|Tidpunkt|Tid)\s+för\s+upptäckt(?:en)?|Upptäckt(?:es)?\s+(?:datum|den)|Upptäcktsdatum|(?:Date|Time)\s+(?:of\s+)?discover(?:y|ed)|When\s+was\s+the\s+incident\s+discovered\s*\??", True),
    Label("occurred", rf"När\s+inträffade\s+{_INCIDENT}\s*\??|(?:Datum|Tidpunkt|Tid)\s+för\s+(?:händelsen|incidenten)|Inträffade\s+(?:datum|den)|(?:Date|Time)\s+(?:of\s+)?(?:the\s+)?(?:incident|occurrence)|When\s+did\s+the\s+incident\s+occur\s*\??", True),
    Label("categories", r"Fyll\s+i\s+(?:de\s+)?kategorier(?:\s+som\s+är\s+aktuella)?|Kategorier\s+enligt\s+MSB|MSB:?s\s+(?:incident)?kategorier", True),
    Label("+categories", r"IT-\s*säkerhetsincident(?:er)?|Informationssäkerhetsincident(?:er)?|Kategori(?:er)?|Incidentkategori(?:er)?|Händelsekategori(?:er)?|Categor(?:y|ies)|Typ\s+av\s+incident\s*\(MSB\)", wanted=False),
    Label("-itcat", r"IT-avdelningens\s+kategorisering", anywhere=True, wanted=False),
    Label("-consequences", r"Konsekvenser\s+och\s+åtgärder|Consequences\s+and\s+actions", anywhere=True, wanted=False),
    Label("disruption", r"Störning\s+i\s+tjänsten|Påverkan\s+på\s+tjänsten|Service\s+disruption|Disruption", anywhere=True),
    Label("business_critical", r"Verksamhetskritisk\s+tjänst\s*\??|Business[-\s]critical(?:\s+service)?\s*\??", anywhere=True),
    Label("restored", r"Återställning|Återställd\s*\?|Har\s+informationen\s+återställts\s*\??|Restor(?:ation|ed)\s*\??"),
    Label("-restore_time", r"Tid\s+för\s+återställning", anywhere=True, wanted=False),
    Label("actions_taken", r"Vidtagna\s+åtgärder|Åtgärder\s+som\s+(?:har\s+)?vidtagits|Actions\s+taken", anywhere=True),
    Label("actions_planned", r"Planerade\s+åtgärder|Fortsatta\s+åtgärder|Planned\s+actions|Actions\s+planned", anywhere=True),
    Label("-scope_heading", r"Beskrivning\s+av\s+omfattning\s+och\s+konsekvenser", True, False),
    Label("affected_records", r"Antal\s+berörda\s+(?:handlingar|dokument|ärenden|poster)|Number\s+of\s+(?:affected\s+)?records(?:\s+affected)?", True, False),
    Label("affected_persons", r"Antal\s+berörda\s+(?:personer|registrerade|individer)|Number\s+of\s+(?:affected\s+)?(?:persons|people|data\s+subjects)(?:\s+affected)?", True, False),
    Label("scope", r"Omfattning|Scope|Berörd\s+information|Vilken\s+information\s+berörs\s*\??"),
    Label("valuation", r"Informationsvärdering|Värdering\s+av\s+informationen|Information\s+value|Valuation"),
    Label("culling_notes", r"Gallring\s+och\s+arkivredovisning(?:ar)?|Arkivredovisning|Culling(?:\s+and\s+archival\s+records)?", anywhere=True),
    Label("police_report", r"Är\s+händelsen\s+polisanmäld\s*\??|Polisanmäld\s*\??|Polisanmälan\s*\??|Anmäld\s+till\s+polisen\s*\??|Reported\s+to\s+(?:the\s+)?police\s*\??", anywhere=True),
    Label("+report", rf"(?:Är\s+(?:händelsen|incidenten)\s+)?(?:anmäld|rapporterad)\s+till\s+{_AUTH}\s*\??|(?:Anmälan|Rapport(?:ering)?)\s+till\s+{_AUTH}\s*\??|Reported\s+to\s+{_AUTH}\s*\??", True, False),
    Label("personal_data_risk", rf"Har\s+{_INCIDENT}\s+inneburit\s+risk\s+för\s+personuppgifter\s*\??|(?:Berörs|Risk\s+för)\s+personuppgifter\s*\??|Personal\s+data(?:\s+at\s+risk)?\s*\??", True),
    Label("-end", r"Om\s+risken\s+ej\s+kan\s+bedömas|Om\s+ja\s+ska\s+separat|Om\s+misstanke\s+finns|Personuppgiftsansvarig|Underskrift|Signature|Ort\s+och\s+datum", True, False),
    # one-word wordings last: a longer label starting with the same word is tried first
    Label("name", r"Namn|Name|Contact"),
    Label("summary", r"Beskrivning|Description"),
)  # fmt: skip

# a label written in two languages ("Förvaltning / Department", "Avdelning (Unit)") is one
_PAIR = r"(?:\s*[/|]\s*|\s+\()(?P<other>[A-Za-zÅÄÖåäöÉé][\w .-]{0,40}?)\)?(?=\s*[:?*]|\s*$)"
_PAIR_RX = re.compile(_PAIR, re.M)


def pair_end(text: str, end: int, key: str) -> int:
    """Where a bilingual label ends: past "/ Department" when that is the same field's label."""
    mt = _PAIR_RX.match(text, end)
    if mt and label_key(mt.group("other")) == key:
        return mt.end()
    return end


def label_key(text: str) -> str | None:
    """The key of the field whose label ``text`` is, whole (any case, spacing, ``:``/``?``)."""
    text = " ".join(text.split()).rstrip(":?*").strip()
    text = re.sub(r"^\d{1,2}(?:\.\d{1,2})*[.)]?\s+", "", text)
    for lab in LABELS:
        if lab.key[0] != "-" and re.fullmatch(rf"(?:{lab.pattern})\s*[:?]?", text, re.I):
            return lab.key
    parts = re.split(r"\s*[/|]\s*|\s+\(", text.rstrip(")"))
    if len(parts) == 2:
        keys = {label_key(p) for p in parts}
        if len(keys) == 1:
            return keys.pop()
    return None


# a numbered section heading: "5. Omfattning och värdering", "2) Tidpunkt", "3.1 Åtgärder"
HEADING = re.compile(
    r"^(?P<num>\d{1,2}(?:\.\d{1,2})*)[.)]?\s+(?P<title>[A-ZÅÄÖ][\w,/&()–-]*(?:\s+[\w,/&()–-]+){0,6})\s*$"
)
# what looks like a label that is not on the list: a short capitalised phrase and a colon
UNKNOWN = re.compile(
    r"(?:^|(?<=\s))(?P<label>[A-ZÅÄÖ][a-zåäöé]+(?:[ /-][a-zåäöéA-ZÅÄÖ]+){0,3})\s?:(?=\s|$)",
    re.M,
)


_FOLD = {"å": "[åa]", "ä": "[äa]", "ö": "[öo]", "Å": "[ÅA]", "Ä": "[ÄA]", "Ö": "[ÖO]"}


def ocr_tolerant(pattern: str) -> str:
    """A label pattern that also matches with å, ä, ö read as a, a, o (OCR drops the marks).

    Only letters outside character classes are widened.
    """
    out: list[str] = []
    depth = 0
    for ch in pattern:
        depth += ch == "[" and (not out or out[-1] != "\\")
        depth -= ch == "]" and depth > 0 and (not out or out[-1] != "\\")
        out.append(_FOLD.get(ch, ch) if depth == 0 else ch)
    return "".join(out)


def is_heading(line: str) -> bool:
    """Whether a line is a numbered section heading (a number and a short title, no value)."""
    mt = HEADING.match(line.strip())
    if not mt:
        return False
    title = mt.group("title")
    return not title.endswith((".", ":")) and len(title) <= 60
