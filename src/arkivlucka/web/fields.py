"""Workbench stage, fields: which incident fields the review page shows, and the posted edits.

A field is a contract path (``docs/incident-format.md``), a label (a catalog msgid) and an
input kind. A posted form becomes ``incident.edit.Edit`` values for the fields that changed,
and nothing else, so a save never rewrites what the archivist did not touch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from arkivlucka.incident.contract import value_at as value_at
from arkivlucka.incident.edit import Edit
from arkivlucka.web.i18n import N_


@dataclass(frozen=True)
class Field:
    """One input of the review page."""

    path: str
    label: str
    kind: str = "text"  # text, textarea, enum:<name>, bool

    @property
    def html_id(self) -> str:
        """The element id of the input (also the anchor a missing fact links to)."""
        return "f-" + self.path.replace(".", "-").replace("[", "-").replace("]", "")


#: section and key labels (also used to say where a finding is)
LABELS: dict[str, str] = {
    "organisation": N_("Organisation"),
    "reference": N_("Registry number (diarienummer)"),
    "reported_by": N_("Reported by"),
    "name": N_("Name"),
    "title": N_("Title"),
    "email": N_("E-mail"),
    "department": N_("Department (förvaltning)"),
    "unit": N_("Unit"),
    "kind": N_("Kind of incident"),
    "status": N_("Status"),
    "summary": N_("Short description"),
    "discovered": N_("Discovered"),
    "occurred": N_("Occurred"),
    "at": N_("Time"),
    "precision": N_("Precision"),
    "consequences": N_("Consequences"),
    "disruption": N_("Disruption of the service"),
    "business_critical": N_("Business-critical service"),
    "restored": N_("Restored"),
    "actions_taken": N_("Actions taken"),
    "actions_planned": N_("Actions planned"),
    "scope": N_("Scope"),
    "valuation": N_("Valuation of the information"),
    "culling_notes": N_("Culling and archival description"),
    "culling_rationale": N_("Culling rationale"),
    "police_report": N_("Reported to the police"),
    "personal_data_risk": N_("Risk for personal data"),
    "lost_records": N_("Lost records"),
    "systems": N_("Systems"),
    "processes": N_("Processes"),
    "records_creators": N_("Records creators"),
    "extracts": N_("Recovered extracts"),
    "period": N_("Period"),
    "start": N_("From"),
    "end": N_("To"),
    "text": N_("In the form's words"),
    "extent": N_("Lost"),
    "plan_code": N_("Plan code"),
    "record_type": N_("Record type"),
    "supplier": N_("Supplier"),
    "role": N_("Role"),
    "kept_in": N_("Kept in"),
    "series": N_("Series"),
    "code": N_("Code"),
    "source": N_("Source"),
}

INCIDENT_FIELDS: tuple[Field, ...] = (
    Field("organisation", LABELS["organisation"]),
    Field("reference", LABELS["reference"]),
    Field("department", LABELS["department"]),
    Field("unit", LABELS["unit"]),
    Field("reported_by.name", N_("Reported by: name")),
    Field("reported_by.title", N_("Reported by: title")),
    Field("reported_by.email", N_("Reported by: e-mail")),
    Field("kind", LABELS["kind"], "enum:kind"),
    Field("status", LABELS["status"], "enum:status"),
    Field("occurred.at", N_("Occurred: time")),
    Field("occurred.precision", N_("Occurred: precision"), "enum:precision"),
    Field("discovered.at", N_("Discovered: time")),
    Field("discovered.precision", N_("Discovered: precision"), "enum:precision"),
    Field("summary", LABELS["summary"], "textarea"),
    Field("scope", LABELS["scope"], "textarea"),
    Field("valuation", LABELS["valuation"], "textarea"),
    Field("actions_taken", LABELS["actions_taken"], "textarea"),
    Field("actions_planned", LABELS["actions_planned"], "textarea"),
    Field("culling_notes", LABELS["culling_notes"], "textarea"),
    Field("culling_rationale", LABELS["culling_rationale"], "textarea"),
)

#: enum values as the page shows them (msgids; the Swedish words are in the catalog)
CHOICES: dict[str, tuple[tuple[str, str], ...]] = {
    "kind": (("confirmed", N_("confirmed")), ("suspected", N_("suspected"))),
    "status": (("ongoing", N_("ongoing")), ("aborted", N_("aborted")), ("closed", N_("closed"))),
    "precision": (("exact", N_("exact")), ("estimated", N_("estimated"))),
    "extent": (("complete", N_("complete")), ("partial", N_("partial")),
               ("unknown", N_("unknown"))),
}  # fmt: skip


def lost_record_fields(index: int) -> tuple[Field, ...]:
    """The inputs of lost record ``index``: title, period editor, extent, record type."""
    p = f"lost_records[{index}]"
    return (
        Field(f"{p}.title", LABELS["title"]),
        Field(f"{p}.period.start", N_("From (year, year-month or date)")),
        Field(f"{p}.period.end", N_("To (year, year-month or date)")),
        Field(f"{p}.period.text", N_("Period in the form's words")),
        Field(f"{p}.extent", N_("Lost (wholly or partly)"), "enum:extent"),
        Field(f"{p}.system", N_("System")),
    )


def system_fields(index: int) -> tuple[Field, ...]:
    """The inputs of system ``index``: name, role, supplier."""
    p = f"systems[{index}]"
    return (
        Field(f"{p}.name", LABELS["name"]),
        Field(f"{p}.role", LABELS["role"]),
        Field(f"{p}.supplier", LABELS["supplier"]),
    )


def extract_fields(index: int) -> tuple[Field, ...]:
    """The inputs of recovered extract ``index``: title, period, where it is kept."""
    p = f"extracts[{index}]"
    return (
        Field(f"{p}.title", LABELS["title"]),
        Field(f"{p}.period.start", N_("From (year, year-month or date)")),
        Field(f"{p}.period.end", N_("To (year, year-month or date)")),
        Field(f"{p}.period.text", N_("Period in the form's words")),
        Field(f"{p}.kept_in", LABELS["kept_in"]),
        Field(f"{p}.series", LABELS["series"]),
    )


def all_fields(data: dict[str, Any]) -> tuple[Field, ...]:
    """Every input the review page shows for ``data``, in page order."""
    out = list(INCIDENT_FIELDS)
    for key, make in (("lost_records", lost_record_fields), ("systems", system_fields),
                      ("extracts", extract_fields)):  # fmt: skip
        items = data.get(key)
        for i in range(len(items) if isinstance(items, list) else 0):
            out += make(i)
    return tuple(out)


def _shown(value: Any) -> str:
    return "" if value is None else str(value)


def edits_from_post(
    fields: tuple[Field, ...], posted: dict[str, str], data: dict[str, Any]
) -> list[Edit]:
    """The edits for the posted fields whose value differs from the file's."""
    edits = []
    for f in fields:
        if f.html_id not in posted:
            continue
        new = posted[f.html_id].replace("\r\n", "\n").strip()
        old = _shown(value_at(data, f.path)).strip()
        if f.kind == "textarea":
            old = "\n".join(line.rstrip() for line in old.split("\n"))
        if new != old:
            edits.append(Edit("set", f.path, new or None))
    return edits


SECTION_ANCHORS = {"records_creators": "creators", "lost_records": "lost-records",
                   "systems": "systems", "extracts": "extracts", "processes": "fields"}  # fmt: skip


def anchor_for(path: str | None, shown: tuple[Field, ...]) -> str:
    """The element id a finding about ``path`` links to: its input, else its section."""
    if not path:
        return "fields"
    path = path.removesuffix(".proposed")
    for f in shown:
        if f.path == path or f.path.startswith(path + "."):
            return f.html_id
    return SECTION_ANCHORS.get(path.split("[")[0].split(".")[0], "fields")
