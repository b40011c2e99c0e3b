"""Package stage, descriptive metadata: each records creator as an EAC-CPF record (NAD's format).

One ``eac-cpf.xml`` per records creator beside its entries: the name, the identification code
when known (``entityId``), the department serving it (an associative ``cpfRelation``), and the
record's own control data (maintenance agency, creation by arkivlucka). Nothing is added that
the incident file or the delivery settings do not give.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from arkivlucka.core.context import RunContext
from arkivlucka.core.findings import Finding, warning
from arkivlucka.delivery.config import PackageSettings
from arkivlucka.delivery.layout import PlannedFile
from arkivlucka.entries.build import creator_keys
from arkivlucka.incident.load import LoadedIncident
from arkivlucka.incident.model import RecordsCreator
from arkivlucka.xmldoc.build import serialise
from arkivlucka.xmldoc.namespaces import EAC_CPF, XLINK, XSI

EAC_FILE = "eac-cpf.xml"
SCHEMA_LOCATION = f"{EAC_CPF} https://eac.staatsbibliothek-berlin.de/schema/cpf.xsd"


def _e(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{EAC_CPF}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def creator_code(settings: PackageSettings, key: str, creator: RecordsCreator) -> str | None:
    """The records creator's identification code: configured by key or name, else the incident's."""
    return (
        settings.archival_creators.get(key)
        or settings.archival_creators.get(creator.name)
        or creator.code
    )


def eac_record(
    creator: RecordsCreator, key: str, code: str | None, agency: str, ctx: RunContext
) -> etree._Element:
    """Return the EAC-CPF record of one records creator (a corporate body)."""
    root = etree.Element(f"{{{EAC_CPF}}}eac-cpf", nsmap={None: EAC_CPF, "xlink": XLINK, "xsi": XSI})  # type: ignore[dict-item]  # fmt: skip
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    control = _e(root, "control")
    _e(control, "recordId", f"arkivbildare-{key}")
    _e(control, "maintenanceStatus", "new")
    _e(_e(control, "maintenanceAgency"), "agencyName", agency)
    lang = _e(control, "languageDeclaration")
    _e(lang, "language", "svenska", languageCode="swe")
    _e(lang, "script", "latinsk", scriptCode="Latn")
    event = _e(_e(control, "maintenanceHistory"), "maintenanceEvent")
    _e(event, "eventType", "created")
    _e(event, "eventDateTime", ctx.created_iso(), standardDateTime=ctx.created_iso())
    _e(event, "agentType", "machine")
    _e(event, "agent", f"{ctx.tool_name} {ctx.tool_version}")
    _e(event, "eventDescription", "Skapad ur incidentrapportens uppgifter om arkivbildaren.")
    desc = _e(root, "cpfDescription")
    identity = _e(desc, "identity")
    if code:
        _e(identity, "entityId", code)
    _e(identity, "entityType", "corporateBody")
    _e(_e(identity, "nameEntry"), "part", creator.name)
    if creator.department:
        rel = _e(_e(desc, "relations"), "cpfRelation", cpfRelationType="associative")
        _e(rel, "relationEntry", creator.department)
        _e(_e(rel, "descriptiveNote"), "p", "Förvaltning som betjänar arkivbildaren.")
    etree.indent(root, space="  ")
    return root


def eac_files(
    loaded: LoadedIncident, settings: PackageSettings, ctx: RunContext
) -> tuple[list[PlannedFile], list[Finding]]:
    """The EAC-CPF file of every records creator, placed beside its entries."""
    inc = loaded.incident
    agency = settings.submitter.name or inc.organisation
    found: list[Finding] = []
    if not agency:
        found.append(
            warning(
                "missing-fact",
                "no organisation to name as the EAC-CPF records' maintenance agency; the "
                "records creator's own name is used",
                path="organisation",
            )
        )
    out = []
    for key, creator in zip(creator_keys(inc.records_creators), inc.records_creators, strict=True):
        code = creator_code(settings, key, creator)
        root = eac_record(creator, key, code, agency or creator.name, ctx)
        out.append(
            PlannedFile(
                f"metadata/descriptive/{key}/{EAC_FILE}",
                "descriptive",
                "application/xml",
                ctx.created_iso(),
                serialise(root),
            )
        )
    return out, found


def add_eac(
    files: list[PlannedFile], loaded: LoadedIncident, settings: PackageSettings, ctx: RunContext,
    schema_dir: Path | None, official_schemas: bool,
) -> list[Finding]:  # fmt: skip
    """Put each records creator's EAC-CPF record after its entries; each is validated first."""
    from arkivlucka.core.errors import InvalidOutputError
    from arkivlucka.xmldoc.validate import validate_bytes

    made, found = eac_files(loaded, settings, ctx)
    for eac in made:
        checked = validate_bytes(
            eac.data or b"", eac.rel, external_dir=schema_dir, official_schemas=official_schemas
        )
        if any(f.is_error for f in checked):
            raise InvalidOutputError(
                f"{eac.rel}: the generated document is not valid; nothing was written",
                [f for f in checked if f.is_error],
            )
        found += checked
        folder = eac.rel.rpartition("/")[0] + "/"
        at = max((n for n, f in enumerate(files) if f.rel.startswith(folder)), default=-1) + 1
        files.insert(at, eac)
    return found
