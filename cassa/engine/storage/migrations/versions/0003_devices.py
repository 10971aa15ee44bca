"""devices: print queue, print history and fiscal printer records

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "print_jobs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("till", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=True),
        sa.Column("document_number", sa.String(length=64), nullable=True),
        sa.Column("copy", sa.Integer(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("printed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_print_jobs")),
    )
    with op.batch_alter_table("print_jobs", schema=None) as batch_op:
        batch_op.create_index("ix_print_jobs_till_status", ["till", "status"], unique=False)

    op.create_table(
        "print_history",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("document_number", sa.String(length=64), nullable=False),
        sa.Column("copy", sa.Integer(), nullable=False),
        sa.Column("duplicate", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("till", sa.String(length=32), nullable=False),
        sa.Column("operator", sa.String(length=64), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["job_id"], ["print_jobs.id"], name=op.f("fk_print_history_job_id_print_jobs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_print_history")),
        sa.UniqueConstraint("document_id", "copy", name=op.f("uq_print_history_document_id_copy")),
    )

    op.create_table(
        "fiscal_records",
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("document_number", sa.String(length=64), nullable=False),
        sa.Column("till", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("refund_of", sa.String(length=36), nullable=True),
        sa.Column("z_number", sa.Integer(), nullable=True),
        sa.Column("fiscal_number", sa.Integer(), nullable=True),
        sa.Column("printer_serial", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("printed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_fiscal_records")),
    )
    with op.batch_alter_table("fiscal_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fiscal_records_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_fiscal_records_till"), ["till"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("fiscal_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fiscal_records_till"))
        batch_op.drop_index(batch_op.f("ix_fiscal_records_status"))
    op.drop_table("fiscal_records")
    op.drop_table("print_history")
    with op.batch_alter_table("print_jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_print_jobs_till_status")
    op.drop_table("print_jobs")
