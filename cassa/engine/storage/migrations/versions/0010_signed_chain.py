"""signed chain: the closing's signature and public key, the chain's start, perpetual totals

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

MONEY = sa.BigInteger()  # ExactDecimal: an integer count of millionths
COLUMNS = (
    ("fiscal_chain", sa.Column("signature", sa.String(length=128), nullable=True)),
    ("fiscal_chain", sa.Column("public_key", sa.String(length=64), nullable=True)),
    ("fiscal_chain", sa.Column("start", sa.Text(), nullable=True)),
    ("fiscal_closings", sa.Column("perpetual_total", MONEY, nullable=True)),
    ("fiscal_closings", sa.Column("perpetual_absolute", MONEY, nullable=True)),
)


def upgrade() -> None:
    # Plain nullable columns: SQLite adds them in place, so the tables keep their triggers.
    for table, column in COLUMNS:
        op.add_column(table, column)


def downgrade() -> None:
    for table, column in reversed(COLUMNS):
        if op.get_bind().dialect.name == "sqlite":
            # In place (SQLite 3.35+): a batch rebuild would trip over the tables' triggers.
            op.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column.name}"')
        else:
            op.drop_column(table, column.name)
