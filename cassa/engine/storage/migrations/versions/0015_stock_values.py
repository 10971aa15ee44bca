"""stock values: an item's cost, reorder levels per item and per item group

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from cassa.engine.storage.types import ExactDecimal

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # in place on SQLite: nullable columns need no batch rebuild of items
    op.add_column("items", sa.Column("cost", ExactDecimal(), nullable=True))
    op.add_column("items", sa.Column("reorder_level", ExactDecimal(), nullable=True))
    op.add_column("item_groups", sa.Column("reorder_level", ExactDecimal(), nullable=True))


def downgrade() -> None:
    for table, column in (
        ("item_groups", "reorder_level"),
        ("items", "reorder_level"),
        ("items", "cost"),
    ):
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
        else:
            op.drop_column(table, column)
