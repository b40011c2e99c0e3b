"""Register stage, recording: an incident's facts, losses, extracts and entry ids into the register.

``incident_record`` turns what ``describe`` made into plain rows (no database);
``store_incident`` writes them inside the caller's transaction, keyed by the incident id:
describing again replaces the incident's rows, never duplicates them, and says whether the
incident file changed since it was last recorded. ``store_package`` notes a package's OBJID.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, select

from arkivlucka.entries.build import creator_keys, incident_id
from arkivlucka.incident import model as m
from arkivlucka.incident.load import LoadedIncident
from arkivlucka.incident.rules import LOSS_CLASSIFICATION
from arkivlucka.register import schema as s
from arkivlucka.register.model import name_key
from arkivlucka.retention.assess import CullingReport

_PRECISION = {1: "year", 2: "month", 3: "day"}


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _precision(value: m.PartialDate | None) -> str | None:
    return None if value is None else _PRECISION[len(value.iso().split("-"))]


def period_values(period: m.Period, prefix: str = "period", days: bool = True) -> dict[str, Any]:
    """The columns of a period: ISO partial ends, their precision, the wording, first/last days."""
    start, end = period.start, period.end
    values: dict[str, Any] = {
        f"{prefix}_start": start.iso() if start else None,
        f"{prefix}_end": end.iso() if end else None,
        f"{prefix}_text": period.text,
    }
    if days:
        values |= {
            f"{prefix}_start_precision": _precision(start),
            f"{prefix}_end_precision": _precision(end),
            f"{prefix}_first": start.first_day() if start else None,
            f"{prefix}_last": end.last_day() if end else None,
        }
    return values


@dataclass(frozen=True)
class CreatorLink:
    """A records creator of the incident and the ids of the two entries made for it."""

    name: str
    department: str | None
    folder: str
    description_post_id: str
    inventory_post_id: str


@dataclass(frozen=True)
class IncidentRecord:
    """Everything the register keeps about one described incident, as column values."""

    incident_id: str
    values: dict[str, Any]
    creators: tuple[CreatorLink, ...]
    losses: tuple[dict[str, Any], ...]
    extracts: tuple[dict[str, Any], ...]


def _loss_values(
    pos: int, rec: m.LostRecord, inc: m.Incident, culling: CullingReport
) -> dict[str, Any]:
    processes = {p.code: p for p in inc.processes}
    systems = {x.name: x for x in inc.systems}
    assessed = culling.get(rec)
    proc = processes.get(rec.process or "")
    system = systems.get(rec.system or "")
    return {
        "position": pos, "record_id": rec.id, "title": rec.title,
        "record_type": rec.record_type,
        "record_type_key": name_key(rec.record_type) if rec.record_type else None,
        **period_values(rec.period), "extent": rec.extent,
        "plan_code": rec.plan_code or (assessed.row.code if assessed else None),
        "process": rec.process, "process_title": proc.title if proc else None,
        "classification": rec.classification, "series": rec.series, "system": rec.system,
        "system_key": name_key(rec.system) if rec.system else None,
        "supplier": system.supplier if system else None, "description": rec.description,
        "culling_classification": assessed.classification if assessed else LOSS_CLASSIFICATION,
        "culled_by_plan": assessed.cull if assessed else None,
    }  # fmt: skip


def incident_record(
    loaded: LoadedIncident, post_ids: Mapping[str, tuple[str, str]], sha256: str,
    culling: CullingReport, recorded_at: str, recorded_by: str | None = None,
) -> IncidentRecord:  # fmt: skip
    """The rows for ``loaded``: ``post_ids`` maps each creator folder to its two entry ids."""
    inc = loaded.incident
    links = tuple(
        CreatorLink(c.name, c.department, key, *post_ids[key])
        for c, key in zip(inc.records_creators, creator_keys(inc.records_creators), strict=True)
    )
    values = {
        "reference": inc.reference, "organisation": inc.organisation,
        "department": inc.department, "unit": inc.unit, "kind": inc.kind, "status": inc.status,
        "summary": inc.summary,
        "occurred": inc.occurred.iso() if inc.occurred else None,
        "occurred_precision": inc.occurred.precision if inc.occurred else None,
        "discovered": inc.discovered.iso() if inc.discovered else None,
        "discovered_precision": inc.discovered.precision if inc.discovered else None,
        "categories": "\n".join(inc.categories) or None,
        "culling_rationale": inc.culling_rationale, "source": inc.source,
        "source_file": str(Path(loaded.file).resolve()), "file_sha256": sha256,
        "recorded_at": recorded_at, "recorded_by": recorded_by,
    }  # fmt: skip
    losses = tuple(_loss_values(i, r, inc, culling) for i, r in enumerate(inc.lost_records))
    extracts = tuple(
        {
            "position": i,
            "title": x.title,
            **period_values(x.period, days=False),
            "kept_in": x.kept_in,
            "series": x.series,
            "reference": x.reference,
        }
        for i, x in enumerate(inc.extracts)
    )
    return IncidentRecord(incident_id(inc), values, links, losses, extracts)


@dataclass
class RecordOutcome:
    """What recording did: new or updated, whether the file changed, creators it had to add."""

    incident_id: str
    created: bool
    previous_sha256: str | None = None
    file_changed: bool = False
    package_objid: str | None = None
    creators_added: list[str] = field(default_factory=list)


def _insert_ignore(conn: Connection, table: Any, values: dict[str, Any], keys: list[str]) -> None:
    """INSERT that does nothing when a row with the same unique ``keys`` exists (or appears)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        conn.execute(pg_insert(table).values(**values).on_conflict_do_nothing(index_elements=keys))
    else:
        from sqlalchemy.dialects.sqlite import insert as lite_insert

        conn.execute(
            lite_insert(table).values(**values).on_conflict_do_nothing(index_elements=keys)
        )


def ensure_creators(
    conn: Connection, links: tuple[CreatorLink, ...]
) -> tuple[dict[str, int], list[str]]:
    """The register id of each creator (by ``name_key``), adding the ones it does not know."""
    c = s.creators.c
    keys = {name_key(link.name): link for link in links}
    lookup = select(c.name_key, c.id).where(c.name_key.in_(keys))
    known = {str(k): int(v) for k, v in conn.execute(lookup)}
    added = []
    for key, link in sorted(keys.items()):  # one order for all writers: no deadlock
        if key not in known:
            values = {"name": link.name, "name_key": key, "department": link.department}
            _insert_ignore(conn, s.creators, values, ["name_key"])
            added.append(link.name)
    if added:
        known = {str(k): int(v) for k, v in conn.execute(lookup)}
    return known, added


def _upsert_incident(conn: Connection, rec: IncidentRecord) -> int:
    values = {"incident_id": rec.incident_id, **rec.values}
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    stmt = insert(s.incidents).values(**values)
    update: dict[str, Any] = {k: stmt.excluded[k] for k in rec.values}
    update["times_recorded"] = s.incidents.c.times_recorded + 1
    stmt = stmt.on_conflict_do_update(index_elements=["incident_id"], set_=update)
    return int(conn.execute(stmt.returning(s.incidents.c.id)).scalar_one())


def store_incident(conn: Connection, rec: IncidentRecord) -> RecordOutcome:
    """Write ``rec`` in the caller's transaction, replacing what was recorded for its incident."""
    i = s.incidents.c
    before = conn.execute(
        select(i.file_sha256, i.package_objid)
        .where(i.incident_id == rec.incident_id)
        .with_for_update()
    ).first()
    creator_ids, added = ensure_creators(conn, rec.creators)
    pk = _upsert_incident(conn, rec)
    for table in (s.incident_creators, s.losses, s.extracts):
        conn.execute(delete(table).where(table.c.incident_pk == pk))
    conn.execute(s.incident_creators.insert(), [
        {"incident_pk": pk, "creator_pk": creator_ids[name_key(x.name)], "folder": x.folder,
         "description_post_id": x.description_post_id, "inventory_post_id": x.inventory_post_id}
        for x in rec.creators
    ])  # fmt: skip
    if rec.losses:
        conn.execute(s.losses.insert(), [{"incident_pk": pk, **x} for x in rec.losses])
    if rec.extracts:
        conn.execute(s.extracts.insert(), [{"incident_pk": pk, **x} for x in rec.extracts])
    outcome = RecordOutcome(rec.incident_id, before is None, creators_added=added)
    if before is not None:
        outcome.previous_sha256 = before.file_sha256
        outcome.file_changed = before.file_sha256 != rec.values["file_sha256"]
        outcome.package_objid = before.package_objid
    return outcome


@dataclass(frozen=True)
class PackageOutcome:
    """What noting a package did: whether the incident was in the register, and if its file changed."""

    recorded: bool
    file_changed: bool = False


def store_package(
    conn: Connection, incident: str, objid: str, sha256: str, packaged_at: str
) -> PackageOutcome:
    """Note the package ``objid`` made from the incident file with hash ``sha256``."""
    i = s.incidents.c
    row = conn.execute(
        select(i.file_sha256).where(i.incident_id == incident).with_for_update()
    ).first()
    if row is None:
        return PackageOutcome(False)
    conn.execute(
        s.incidents.update()
        .where(i.incident_id == incident)
        .values(package_objid=objid, package_sha256=sha256, packaged_at=packaged_at)
    )
    return PackageOutcome(True, row.file_sha256 != sha256)
