"""items sold counted in pieces: sale_stats.pieces and returned_pieces

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: documents approved before count their lines, as they did (the summary
    # reads pieces where there are, lines elsewhere).
    op.add_column("sale_stats", sa.Column("pieces", sa.Integer(), nullable=True))
    op.add_column("sale_stats", sa.Column("returned_pieces", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sale_stats") as table:
        table.drop_column("returned_pieces")
        table.drop_column("pieces")
