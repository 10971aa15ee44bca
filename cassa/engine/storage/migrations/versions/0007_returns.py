"""returns: the document a return (or any generated document) comes from, per document and line

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain nullable columns: SQLite adds them in place, so the tables keep their triggers.
    op.add_column("documents", sa.Column("origin_id", sa.String(length=36), nullable=True))
    op.add_column("documents", sa.Column("origin_number", sa.String(length=64), nullable=True))
    op.create_index(op.f("ix_documents_origin_id"), "documents", ["origin_id"])
    op.add_column("document_lines", sa.Column("origin_line", sa.String(length=36), nullable=True))
    op.create_index(op.f("ix_document_lines_origin_line"), "document_lines", ["origin_line"])


def downgrade() -> None:
    op.drop_index(op.f("ix_document_lines_origin_line"), table_name="document_lines")
    op.drop_index(op.f("ix_documents_origin_id"), table_name="documents")
    for table, column in (
        ("document_lines", "origin_line"),
        ("documents", "origin_number"),
        ("documents", "origin_id"),
    ):
        if op.get_bind().dialect.name == "sqlite":
            # In place (SQLite 3.35+): a batch rebuild would trip over the tables' triggers.
            op.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
        else:
            op.drop_column(table, column)
