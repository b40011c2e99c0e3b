"""Report stage, input: find a records creator's entries, parse them safely, validate, read.

The entries are the XML documents ``describe`` writes (``ENTRIES_DIR/<creator>/
arkivbeskrivning.xml`` and ``arkivforteckning.xml``). They are parsed with the hardened parser
and validated against the schema before anything is read from them.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from arkivlucka.core.errors import InputError, XMLInputError
from arkivlucka.core.findings import Finding, error
from arkivlucka.core.text import loose
from arkivlucka.report import model as m
from arkivlucka.xmldoc.namespaces import ARKIVREDOVISNING

NS = ARKIVREDOVISNING
_N = {"a": NS}
DESCRIPTION, INVENTORY = "arkivbeskrivning.xml", "arkivforteckning.xml"


def _load(path: Path, root_name: str) -> etree._Element:
    """Parse and validate one entry; raise with every finding when it is not a valid entry."""
    from arkivlucka.xmldoc.parse import parse_xml_file
    from arkivlucka.xmldoc.validate import validate_tree

    tree, findings = parse_xml_file(path)
    if tree is not None:
        findings = validate_tree(tree, str(path))
    if tree is None or any(f.is_error for f in findings):
        raise XMLInputError(f"{path}: not a valid entry", findings)
    root = tree.getroot()
    if root.tag != f"{{{NS}}}{root_name}":
        raise XMLInputError(
            f"{path}: not an {root_name}",
            [error("report-wrong-entry", f"expected <{root_name}>, found <{etree.QName(root).localname}>",
                   file=str(path), line=root.sourceline)],
        )  # fmt: skip
    return root


def find_creator(entries_dir: str | Path, creator: str) -> Path:
    """Return the folder under ``entries_dir`` holding the entries of ``creator``.

    ``creator`` is the records creator's name as in the entries (case and spacing aside) or
    its folder name. Exactly one folder must match.
    """
    base = Path(entries_dir)
    if not base.is_dir():
        raise InputError(f"{base}: not a folder of entries",
                         [error("report-no-entries", "not a folder", file=str(base))])  # fmt: skip
    names: dict[Path, str] = {}
    for path in sorted(base.glob(f"*/{DESCRIPTION}")):
        root = _load(path, "ArkivbeskrivningPost")
        names[path.parent] = root.findtext("a:Arkivbildare/a:Namn", namespaces=_N) or ""
    wanted = loose(creator)
    hits = [d for d, name in names.items() if loose(name) == wanted or d.name == creator]
    if len(hits) == 1:
        return hits[0]
    known = ", ".join(sorted(set(names.values()))) or "none"
    code, why = (
        ("report-creator-ambiguous", f"{len(hits)} folders hold entries for '{creator}'")
        if hits
        else ("report-creator-unknown", f"no entries for '{creator}' (records creators: {known})")
    )
    raise InputError(why, [error(code, why, file=str(base), path="creator")])


def _t(el: etree._Element | None, path: str) -> str | None:
    if el is None:
        return None
    found = el.find(path, _N)
    return found.text if found is not None and found.text else None


def _b(el: etree._Element | None, path: str) -> bool | None:
    value = _t(el, path)
    return None if value is None else value in ("true", "1")


def _period(el: etree._Element | None) -> m.Period:
    if el is None:
        return m.Period()
    return m.Period(_t(el, "a:Start"), _t(el, "a:Slut"), _t(el, "a:Beskrivning"))


def _timepoint(el: etree._Element | None) -> m.TimePoint | None:
    if el is None or not el.text:
        return None
    return m.TimePoint(el.text, el.get("Precision"))


def _culling(el: etree._Element | None) -> m.Culling | None:
    if el is None:
        return None
    plan = el.find("a:Plan", _N)
    ref = None
    if plan is not None:
        ref = m.PlanRef(
            _t(plan, "a:Namn"), _t(plan, "a:Version"), _t(plan, "a:Beslut"), _t(plan, "a:Klass"),
            _t(plan, "a:Nr"), _t(plan, "a:Processnamn"), _t(plan, "a:Handlingstyp"),
            _t(plan, "a:Forvaring"), plan.get("Matchning"),
        )  # fmt: skip
    expired = el.get("FristUtgangen")
    return m.Culling(
        culled=el.get("Gallras") in ("true", "1"),
        period_expired=None if expired is None else expired in ("true", "1"),
        retention=_t(el, "a:GallringsFrist"),
        period_end=_t(el, "a:GallringsPeriodSlut"),
        explanation=_t(el, "a:GallringsForklaring"),
        plan=ref,
        classification=_t(el, "a:Forlustklassning"),
    )


def _lost(el: etree._Element, gaps: dict[str, etree._Element]) -> m.LostRecord:
    gap = gaps.get(el.get("ID", ""))
    return m.LostRecord(
        id=el.get("ID", ""),
        title=_t(el, "a:Rubrik") or "",
        extent=_t(el, "a:Omfattning") or "okand",
        record_type=_t(el, "a:Handlingstyp"),
        period=_period(el.find("a:Period", _N)),
        process=_t(el, "a:ProcessKod"),
        classification=_t(el, "a:Klassificering"),
        series=_t(el, "a:Serie"),
        system=_t(el, "a:System"),
        description=_t(el, "a:Beskrivning"),
        culling=_culling(el.find("a:Gallring", _N)),
        note=_t(gap, "a:Anmarkning"),
        placement_class=_t(gap, "a:Placering/a:Klassificering"),
        placement_series=_t(gap, "a:Placering/a:Serie"),
    )


def _incident(inc: etree._Element, ref: etree._Element | None) -> m.Incident:
    rep = inc.find("a:Rapportor", _N)
    reporter = None
    if rep is not None:
        reporter = m.Reporter(*(_t(rep, f"a:{n}") for n in
                                ("Roll", "Namn", "Epost", "Forvaltning", "Enhet")))  # fmt: skip
    return m.Incident(
        id=_t(inc, "a:IncidentID") or "",
        reference=_t(inc, "a:Referens"),
        organisation=_t(inc, "a:Organisation"),
        report=_t(ref, "a:Rapport"),
        reporter=reporter,
        kind=_t(inc, "a:Typ"),
        status=_t(inc, "a:Status"),
        occurred=_timepoint(inc.find("a:Intraffade", _N)),
        discovered=_timepoint(inc.find("a:Upptacktes", _N)),
        summary=_t(inc, "a:KortBeskrivning"),
        categories=tuple(e.text or "" for e in inc.findall("a:Kategorier/a:Kategori", _N)),
        disruption=_t(inc, "a:Konsekvenser/a:StorningITjansten"),
        business_critical=_b(inc, "a:Konsekvenser/a:Verksamhetskritisk"),
        restored=_b(inc, "a:Konsekvenser/a:Aterstallt"),
        actions_taken=_t(inc, "a:VidtagnaAtgarder"),
        actions_planned=_t(inc, "a:PlaneradeAtgarder"),
        scope=_t(inc, "a:Omfattning"),
        valuation=_t(inc, "a:Informationsvardering"),
        culling_notes=_t(inc, "a:GallringOchArkivredovisning"),
        police_report=_b(inc, "a:Polisanmald"),
        personal_data_risk=_t(inc, "a:RiskForPersonuppgifter"),
    )


def _check_pair(desc: etree._Element, inv: etree._Element, folder: Path) -> None:
    """The inventory entry must point back at this description entry."""
    want, got = desc.get("PostID"), inv.findtext("a:ArkivbeskrivningPostID", namespaces=_N)
    if want != got:
        why = f"{INVENTORY} belongs to {got}, not to {want}"
        raise InputError(why, [error("report-entries-mismatch", why, file=str(folder / INVENTORY),
                                     path="/ArkivforteckningPost/ArkivbeskrivningPostID")])  # fmt: skip


def read_entries(folder: str | Path) -> m.Entries:
    """Read the pair of entries in ``folder`` (both parsed safely and validated first)."""
    folder = Path(folder)
    missing = [name for name in (DESCRIPTION, INVENTORY) if not (folder / name).is_file()]
    if missing:
        findings: list[Finding] = [
            error("report-entry-missing", f"{name} is missing", file=str(folder / name))
            for name in missing
        ]
        raise InputError(f"{folder}: {', '.join(missing)} missing", findings)
    desc = _load(folder / DESCRIPTION, "ArkivbeskrivningPost")
    inv = _load(folder / INVENTORY, "ArkivforteckningPost")
    _check_pair(desc, inv, folder)
    gaps = {g.get("HandlingID", ""): g for g in inv.findall("a:Lucka", _N)}
    meta = desc.find("a:Postmetadata", _N)
    tool = meta.find("a:Programvara", _N) if meta is not None else None
    basis = desc.find("a:Gallringsgrund", _N)
    return m.Entries(
        description_id=desc.get("PostID", ""),
        inventory_id=inv.get("PostID", ""),
        created=_t(meta, "a:Skapad") or "",
        created_by=_t(meta, "a:SkapadAv/a:Roll"),
        tool=(tool.text or "") if tool is not None else "",
        tool_version=tool.get("Version", "") if tool is not None else "",
        creator=_t(desc, "a:Arkivbildare/a:Namn") or "",
        department=_t(desc, "a:Arkivbildare/a:Forvaltning"),
        creator_code=_t(desc, "a:Arkivbildare/a:Kod"),
        incident=_incident(desc.find("a:Incident", _N), inv.find("a:IncidentReferens", _N)),  # type: ignore[arg-type]
        lost=tuple(_lost(e, gaps) for e in desc.findall("a:ForloradeHandlingar/a:ForloradHandling", _N)),
        systems=tuple(m.System(_t(e, "a:Namn") or "", _t(e, "a:Roll"), _t(e, "a:Leverantor"))
                      for e in desc.findall("a:PaverkadeSystem/a:System", _N)),
        processes=tuple(m.Process(e.get("Kod", ""), _t(e, "a:Benamning"), _t(e, "a:Klassificeringsstruktur"))
                        for e in desc.findall("a:PaverkadeProcesser/a:Process", _N)),
        extracts=tuple(_extract(e) for e in desc.findall("a:AtervunnaUttag/a:Uttag", _N)),
        culling_class=basis.get("Klassning", "") if basis is not None else "",
        culling_explanation=_t(basis, "a:GallringsForklaring"),
        text=_t(desc, "a:Beskrivningstext") or "",
        missing=tuple(m.Missing(e.get("Falt", ""), e.text or "")
                      for e in desc.findall("a:SaknadeUppgifter/a:Uppgift", _N)),
    )  # fmt: skip


def _extract(el: etree._Element) -> m.Extract:
    return m.Extract(
        title=_t(el, "a:Beskrivning") or "",
        period=_period(el.find("a:Period", _N)),
        kept_in=_t(el, "a:Forvaringsplats/a:System"),
        series=_t(el, "a:Forvaringsplats/a:Serie"),
        reference=_t(el, "a:Referens"),
    )


def load_entries(entries_dir: str | Path, creator: str) -> m.Entries:
    """Find ``creator``'s entries under ``entries_dir`` and read them."""
    return read_entries(find_creator(entries_dir, creator))
