"""tax free: the TAX FREE forms issued for receipts to travellers

A form is written once (append-only, like the money tables): its own series per till
and year, one per receipt, with the traveller, the receipt's totals and its VAT by rate.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from cassa.engine.storage.guards import grant_statements, guard_statements
from cassa.engine.storage.types import ExactDecimal, UtcDateTime

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

TABLES = ["tax_free_forms"]


def upgrade() -> None:
    op.create_table(
        "tax_free_forms",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("store", sa.String(length=32), nullable=False),
        sa.Column("till", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("receipt_id", sa.String(length=36), nullable=False),
        sa.Column("receipt_number", sa.String(length=64), nullable=False),
        sa.Column("issued_at", UtcDateTime(), nullable=False),
        sa.Column("operator", sa.String(length=64), nullable=False),
        sa.Column("traveller", sa.String(length=200), nullable=False),
        sa.Column("travel_document", sa.String(length=64), nullable=False),
        sa.Column("residence", sa.String(length=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("total", ExactDecimal(), nullable=False),
        sa.Column("vat_total", ExactDecimal(), nullable=False),
        sa.Column("vat", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tax_free_forms")),
        sa.UniqueConstraint("number", name=op.f("uq_tax_free_forms_number")),
        sa.UniqueConstraint("receipt_id", name=op.f("uq_tax_free_forms_receipt_id")),
        sa.UniqueConstraint(
            "till", "year", "sequence", name=op.f("uq_tax_free_forms_till_year_sequence")
        ),
    )
    bind = op.get_bind()
    for statement in guard_statements(bind.dialect.name, revision):
        op.execute(statement)
    if bind.dialect.name == "postgresql":
        for statement in grant_statements(TABLES):
            op.execute(statement)


def downgrade() -> None:
    op.drop_table("tax_free_forms")
