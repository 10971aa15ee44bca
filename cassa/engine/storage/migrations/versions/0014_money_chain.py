"""money in the chain: the rows a money link of the fiscal chain stands for

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain nullable column: SQLite adds it in place, so the table keeps its triggers.
    op.add_column("fiscal_chain", sa.Column("rows", sa.Text(), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # In place (SQLite 3.35+): a batch rebuild would trip over the table's triggers.
        op.execute('ALTER TABLE "fiscal_chain" DROP COLUMN "rows"')
    else:
        op.drop_column("fiscal_chain", "rows")
