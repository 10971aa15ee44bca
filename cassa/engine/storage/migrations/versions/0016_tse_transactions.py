"""tse transactions: what a German till's security module signed for each document

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from cassa.engine.storage.guards import grant_statements

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "tse_transactions",
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("till", sa.String(length=32), nullable=False),
        sa.Column("serial", sa.String(length=64), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("signature_counter", sa.Integer(), nullable=False),
        sa.Column("started_at", MOMENT, nullable=False),
        sa.Column("finished_at", MOMENT, nullable=False),
        sa.Column("process_type", sa.String(length=32), nullable=False),
        sa.Column("process_data", sa.Text(), nullable=False),
        sa.Column("algorithm", sa.String(length=32), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.Column("public_key", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("document_id"),
    )
    op.create_index(op.f("ix_tse_transactions_till"), "tse_transactions", ["till"])
    if op.get_bind().dialect.name == "postgresql":
        for statement in grant_statements(["tse_transactions"]):
            op.execute(statement)


def downgrade() -> None:
    op.drop_index("ix_tse_transactions_till", table_name="tse_transactions")
    op.drop_table("tse_transactions")
