"""Register stage, migration 0001: the first schema (creators, incidents, losses, extracts).

Revision ID: 0001
Revises: none
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create every table with its keys, checks and indexes."""
    op.create_table(
        "creators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=100), nullable=True),
        sa.Column("department", sa.String(length=300), nullable=True),
        sa.Column("org_number", sa.String(length=11), nullable=True),
        sa.Column("hsa_id", sa.String(length=64), nullable=True),
        sa.Column("nad_code", sa.String(length=100), nullable=True),
        sa.Column("active_start", sa.String(length=10), nullable=True),
        sa.Column("active_end", sa.String(length=10), nullable=True),
        sa.CheckConstraint(
            "active_start IS NULL OR active_end IS NULL OR substr(active_start, 1, length(active_end)) <= active_end",
            name=op.f("ck_creators_active_order"),
        ),
        sa.CheckConstraint("length(trim(name)) > 0", name=op.f("ck_creators_name")),
        sa.CheckConstraint(
            "org_number IS NULL OR length(org_number) = 11", name=op.f("ck_creators_org_number")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_creators")),
        sa.UniqueConstraint("hsa_id", name=op.f("uq_creators_hsa_id")),
        sa.UniqueConstraint("nad_code", name=op.f("uq_creators_nad_code")),
        sa.UniqueConstraint("name_key", name=op.f("uq_creators_name_key")),
    )
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.String(length=200), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=True),
        sa.Column("organisation", sa.String(length=300), nullable=True),
        sa.Column("department", sa.String(length=300), nullable=True),
        sa.Column("unit", sa.String(length=300), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("occurred", sa.String(length=16), nullable=True),
        sa.Column("occurred_precision", sa.String(length=10), nullable=True),
        sa.Column("discovered", sa.String(length=16), nullable=True),
        sa.Column("discovered_precision", sa.String(length=10), nullable=True),
        sa.Column("categories", sa.Text(), nullable=True),
        sa.Column("culling_rationale", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("source_file", sa.Text(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.String(length=32), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=True),
        sa.Column("times_recorded", sa.Integer(), server_default="1", nullable=False),
        sa.Column("package_objid", sa.String(length=200), nullable=True),
        sa.Column("package_sha256", sa.String(length=64), nullable=True),
        sa.Column("packaged_at", sa.String(length=32), nullable=True),
        sa.CheckConstraint(
            "discovered_precision IS NULL OR discovered_precision IN ('exact', 'estimated')",
            name=op.f("ck_incidents_discovered_precision"),
        ),
        sa.CheckConstraint(
            "kind IS NULL OR kind IN ('confirmed', 'suspected')", name=op.f("ck_incidents_kind")
        ),
        sa.CheckConstraint(
            "occurred_precision IS NULL OR occurred_precision IN ('exact', 'estimated')",
            name=op.f("ck_incidents_occurred_precision"),
        ),
        sa.CheckConstraint(
            "status IS NULL OR status IN ('ongoing', 'aborted', 'closed')",
            name=op.f("ck_incidents_status"),
        ),
        sa.CheckConstraint("length(file_sha256) = 64", name=op.f("ck_incidents_sha256")),
        sa.CheckConstraint(
            "package_objid IS NULL OR package_sha256 IS NOT NULL",
            name=op.f("ck_incidents_pkg_hash"),
        ),
        sa.CheckConstraint(
            "package_sha256 IS NULL OR length(package_sha256) = 64",
            name=op.f("ck_incidents_pkg_sha256"),
        ),
        sa.CheckConstraint("times_recorded >= 1", name=op.f("ck_incidents_times_recorded")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
        sa.UniqueConstraint("incident_id", name=op.f("uq_incidents_incident_id")),
    )
    op.create_table(
        "extracts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_pk", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("period_start", sa.String(length=10), nullable=True),
        sa.Column("period_end", sa.String(length=10), nullable=True),
        sa.Column("period_text", sa.Text(), nullable=True),
        sa.Column("kept_in", sa.Text(), nullable=True),
        sa.Column("series", sa.Text(), nullable=True),
        sa.Column("reference", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "period_start IS NULL OR period_end IS NULL OR substr(period_start, 1, length(period_end)) <= period_end",
            name=op.f("ck_extracts_period_order"),
        ),
        sa.ForeignKeyConstraint(
            ["incident_pk"],
            ["incidents.id"],
            name=op.f("fk_extracts_incident_pk_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extracts")),
        sa.UniqueConstraint("incident_pk", "position", name="uq_extracts_position"),
    )
    op.create_index("ix_extracts_incident", "extracts", ["incident_pk"], unique=False)
    op.create_table(
        "incident_creators",
        sa.Column("incident_pk", sa.Integer(), nullable=False),
        sa.Column("creator_pk", sa.Integer(), nullable=False),
        sa.Column("folder", sa.String(length=100), nullable=False),
        sa.Column("description_post_id", sa.String(length=200), nullable=False),
        sa.Column("inventory_post_id", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["creator_pk"],
            ["creators.id"],
            name=op.f("fk_incident_creators_creator_pk_creators"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["incident_pk"],
            ["incidents.id"],
            name=op.f("fk_incident_creators_incident_pk_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("incident_pk", "creator_pk", name=op.f("pk_incident_creators")),
        sa.UniqueConstraint(
            "description_post_id", name=op.f("uq_incident_creators_description_post_id")
        ),
        sa.UniqueConstraint("incident_pk", "folder", name="uq_incident_creators_folder"),
        sa.UniqueConstraint(
            "inventory_post_id", name=op.f("uq_incident_creators_inventory_post_id")
        ),
    )
    op.create_index(
        "ix_incident_creators_creator", "incident_creators", ["creator_pk"], unique=False
    )
    op.create_table(
        "losses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_pk", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("record_type", sa.Text(), nullable=True),
        sa.Column("record_type_key", sa.Text(), nullable=True),
        sa.Column("period_start", sa.String(length=10), nullable=True),
        sa.Column("period_start_precision", sa.String(length=5), nullable=True),
        sa.Column("period_end", sa.String(length=10), nullable=True),
        sa.Column("period_end_precision", sa.String(length=5), nullable=True),
        sa.Column("period_text", sa.Text(), nullable=True),
        sa.Column("period_first", sa.Date(), nullable=True),
        sa.Column("period_last", sa.Date(), nullable=True),
        sa.Column("extent", sa.String(length=10), nullable=False),
        sa.Column("plan_code", sa.String(length=100), nullable=True),
        sa.Column("process", sa.String(length=100), nullable=True),
        sa.Column("process_title", sa.Text(), nullable=True),
        sa.Column("classification", sa.String(length=100), nullable=True),
        sa.Column("series", sa.String(length=100), nullable=True),
        sa.Column("system", sa.String(length=300), nullable=True),
        sa.Column("system_key", sa.String(length=300), nullable=True),
        sa.Column("supplier", sa.String(length=300), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("culling_classification", sa.String(length=100), nullable=False),
        sa.Column("culled_by_plan", sa.Boolean(), nullable=True),
        sa.CheckConstraint(
            "extent IN ('complete', 'partial', 'unknown')", name=op.f("ck_losses_extent")
        ),
        sa.CheckConstraint(
            "period_end_precision IS NULL OR period_end_precision IN ('year', 'month', 'day')",
            name=op.f("ck_losses_end_precision"),
        ),
        sa.CheckConstraint(
            "period_start_precision IS NULL OR period_start_precision IN ('year', 'month', 'day')",
            name=op.f("ck_losses_start_precision"),
        ),
        sa.CheckConstraint(
            "(period_end IS NULL) = (period_end_precision IS NULL)",
            name=op.f("ck_losses_end_has_precision"),
        ),
        sa.CheckConstraint(
            "(period_start IS NULL) = (period_start_precision IS NULL)",
            name=op.f("ck_losses_start_has_precision"),
        ),
        sa.CheckConstraint("length(trim(title)) > 0", name=op.f("ck_losses_title")),
        sa.CheckConstraint(
            "period_first IS NULL OR period_last IS NULL OR period_first <= period_last",
            name=op.f("ck_losses_period_days"),
        ),
        sa.CheckConstraint(
            "period_start IS NULL OR period_end IS NULL OR substr(period_start, 1, length(period_end)) <= period_end",
            name=op.f("ck_losses_period_order"),
        ),
        sa.ForeignKeyConstraint(
            ["incident_pk"],
            ["incidents.id"],
            name=op.f("fk_losses_incident_pk_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_losses")),
        sa.UniqueConstraint("incident_pk", "position", name="uq_losses_position"),
        sa.UniqueConstraint("incident_pk", "record_id", name="uq_losses_record"),
    )
    op.create_index("ix_losses_incident", "losses", ["incident_pk"], unique=False)
    op.create_index("ix_losses_process", "losses", ["process"], unique=False)
    op.create_index("ix_losses_record_type", "losses", ["record_type_key"], unique=False)
    op.create_index("ix_losses_system", "losses", ["system_key"], unique=False)


def downgrade() -> None:
    """Drop every table (the register is emptied)."""
    for table in ("extracts", "losses", "incident_creators", "incidents", "creators"):
        op.drop_table(table)
