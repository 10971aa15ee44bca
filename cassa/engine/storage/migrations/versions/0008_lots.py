"""lots: items' property combinations with their own EANs, and the lot a line sells

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "item_lots",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("properties", sa.Text(), nullable=False),
        sa.Column("ean", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["sku"], ["items.sku"], name=op.f("fk_item_lots_sku_items"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_item_lots")),
        sa.UniqueConstraint("ean", name=op.f("uq_item_lots_ean")),
    )
    op.create_index(op.f("ix_item_lots_sku"), "item_lots", ["sku"])
    # Plain nullable columns: SQLite adds them in place, so the table keeps its triggers.
    op.add_column("document_lines", sa.Column("lot", sa.String(length=64), nullable=True))
    op.add_column("document_lines", sa.Column("lot_properties", sa.Text(), nullable=True))


def downgrade() -> None:
    for column in ("lot_properties", "lot"):
        if op.get_bind().dialect.name == "sqlite":
            # In place (SQLite 3.35+): a batch rebuild would trip over the table's triggers.
            op.execute(f'ALTER TABLE "document_lines" DROP COLUMN "{column}"')
        else:
            op.drop_column("document_lines", column)
    op.drop_index(op.f("ix_item_lots_sku"), table_name="item_lots")
    op.drop_table("item_lots")
