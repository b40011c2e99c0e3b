"""Register stage, schema: the tables as SQLAlchemy Core metadata (the migrations create them).

The constraints live in the database: foreign keys, unique keys and checks, so a second
program writing to the same register cannot break them either. ``*_key`` columns hold the
casefolded, NFC-normalised text that lookups compare (SQLite's ``lower`` knows only ASCII).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

PRECISIONS = "('year', 'month', 'day')"
#: an ISO partial date's end may not lie before its start (compared at the end's granularity)
PERIOD_ORDER = (
    "{0}_start IS NULL OR {0}_end IS NULL OR substr({0}_start, 1, length({0}_end)) <= {0}_end"
)


def _period_columns(prefix: str) -> list[Column[object]]:
    return [
        Column(f"{prefix}_start", String(10)),
        Column(f"{prefix}_end", String(10)),
    ]


creators = Table(
    "creators",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(300), nullable=False),
    Column("name_key", String(300), nullable=False, unique=True),
    Column("kind", String(100)),
    Column("department", String(300)),
    Column("org_number", String(11)),
    Column("hsa_id", String(64), unique=True),
    Column("nad_code", String(100), unique=True),
    *_period_columns("active"),
    CheckConstraint("length(trim(name)) > 0", name="name"),
    CheckConstraint("org_number IS NULL OR length(org_number) = 11", name="org_number"),
    CheckConstraint(PERIOD_ORDER.format("active"), name="active_order"),
)

incidents = Table(
    "incidents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", String(200), nullable=False, unique=True),
    Column("reference", String(200)),
    Column("organisation", String(300)),
    Column("department", String(300)),
    Column("unit", String(300)),
    Column("kind", String(20)),
    Column("status", String(20)),
    Column("summary", Text),
    Column("occurred", String(16)),
    Column("occurred_precision", String(10)),
    Column("discovered", String(16)),
    Column("discovered_precision", String(10)),
    Column("categories", Text),
    Column("culling_rationale", Text),
    Column("source", Text),
    Column("source_file", Text, nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("recorded_at", String(32), nullable=False),
    Column("recorded_by", String(200)),
    Column("times_recorded", Integer, nullable=False, server_default="1"),
    Column("package_objid", String(200)),
    Column("package_sha256", String(64)),
    Column("packaged_at", String(32)),
    CheckConstraint("length(file_sha256) = 64", name="sha256"),
    CheckConstraint("package_sha256 IS NULL OR length(package_sha256) = 64", name="pkg_sha256"),
    CheckConstraint("package_objid IS NULL OR package_sha256 IS NOT NULL", name="pkg_hash"),
    CheckConstraint("kind IS NULL OR kind IN ('confirmed', 'suspected')", name="kind"),
    CheckConstraint("status IS NULL OR status IN ('ongoing', 'aborted', 'closed')", name="status"),
    CheckConstraint(
        "occurred_precision IS NULL OR occurred_precision IN ('exact', 'estimated')",
        name="occurred_precision",
    ),
    CheckConstraint(
        "discovered_precision IS NULL OR discovered_precision IN ('exact', 'estimated')",
        name="discovered_precision",
    ),
    CheckConstraint("times_recorded >= 1", name="times_recorded"),
)

incident_creators = Table(
    "incident_creators",
    metadata,
    Column("incident_pk", Integer, ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False),
    Column("creator_pk", Integer, ForeignKey("creators.id", ondelete="RESTRICT"), nullable=False),
    Column("folder", String(100), nullable=False),
    Column("description_post_id", String(200), nullable=False, unique=True),
    Column("inventory_post_id", String(200), nullable=False, unique=True),
    PrimaryKeyConstraint("incident_pk", "creator_pk"),
    UniqueConstraint("incident_pk", "folder", name="uq_incident_creators_folder"),
    Index("ix_incident_creators_creator", "creator_pk"),
)

losses = Table(
    "losses",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_pk", Integer, ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("record_id", String(200), nullable=False),
    Column("title", Text, nullable=False),
    Column("record_type", Text),
    Column("record_type_key", Text),
    Column("period_start", String(10)),
    Column("period_start_precision", String(5)),
    Column("period_end", String(10)),
    Column("period_end_precision", String(5)),
    Column("period_text", Text),
    Column("period_first", Date),
    Column("period_last", Date),
    Column("extent", String(10), nullable=False),
    Column("plan_code", String(100)),
    Column("process", String(100)),
    Column("process_title", Text),
    Column("classification", String(100)),
    Column("series", String(100)),
    Column("system", String(300)),
    Column("system_key", String(300)),
    Column("supplier", String(300)),
    Column("description", Text),
    Column("culling_classification", String(100), nullable=False),
    Column("culled_by_plan", Boolean),
    UniqueConstraint("incident_pk", "record_id", name="uq_losses_record"),
    UniqueConstraint("incident_pk", "position", name="uq_losses_position"),
    CheckConstraint("extent IN ('complete', 'partial', 'unknown')", name="extent"),
    CheckConstraint("length(trim(title)) > 0", name="title"),
    CheckConstraint(PERIOD_ORDER.format("period"), name="period_order"),
    CheckConstraint(
        "period_first IS NULL OR period_last IS NULL OR period_first <= period_last",
        name="period_days",
    ),
    CheckConstraint(
        f"period_start_precision IS NULL OR period_start_precision IN {PRECISIONS}",
        name="start_precision",
    ),
    CheckConstraint(
        f"period_end_precision IS NULL OR period_end_precision IN {PRECISIONS}",
        name="end_precision",
    ),
    CheckConstraint(
        "(period_start IS NULL) = (period_start_precision IS NULL)", name="start_has_precision"
    ),
    CheckConstraint(
        "(period_end IS NULL) = (period_end_precision IS NULL)", name="end_has_precision"
    ),
    Index("ix_losses_incident", "incident_pk"),
    Index("ix_losses_system", "system_key"),
    Index("ix_losses_process", "process"),
    Index("ix_losses_record_type", "record_type_key"),
)

extracts = Table(
    "extracts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_pk", Integer, ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("title", Text, nullable=False),
    *_period_columns("period"),
    Column("period_text", Text),
    Column("kept_in", Text),
    Column("series", Text),
    Column("reference", Text),
    UniqueConstraint("incident_pk", "position", name="uq_extracts_position"),
    CheckConstraint(PERIOD_ORDER.format("period"), name="period_order"),
    Index("ix_extracts_incident", "incident_pk"),
)
