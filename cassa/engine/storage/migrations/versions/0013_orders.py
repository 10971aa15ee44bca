"""orders: offers and sales orders, their fulfilment and deposits

The documents table gains the pickup point, expected date and recipient of an
order (plain nullable columns, added in place so its triggers stay); the order's
state, the units fulfilled or cancelled per line and the deposits held live in
tables of their own, since an approved document never changes.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from cassa.engine.storage.guards import grant_statements

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

MONEY = sa.BigInteger()  # ExactDecimal: an integer count of millionths
MOMENT = sa.DateTime(timezone=True)
COLUMNS = (
    ("documents", sa.Column("pickup_point", sa.String(length=64), nullable=True)),
    ("documents", sa.Column("expected_date", sa.Date(), nullable=True)),
    ("documents", sa.Column("recipient", sa.String(length=64), nullable=True)),
)
TABLES = ["sales_orders", "order_movements", "order_deposits"]


def upgrade() -> None:
    for table, column in COLUMNS:
        op.add_column(table, column)
    op.create_table(
        "sales_orders",
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("store", sa.String(length=32), nullable=False),
        sa.Column("till", sa.String(length=32), nullable=False),
        sa.Column("customer", sa.String(length=64), nullable=True),
        sa.Column("pickup_point", sa.String(length=64), nullable=True),
        sa.Column("expected_date", sa.Date(), nullable=True),
        sa.Column("opened_at", MOMENT, nullable=False),
        sa.Column("closed_at", MOMENT, nullable=True),
        sa.Column("source_id", sa.String(length=36), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_sales_orders_document_id_documents")
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_sales_orders")),
        sa.UniqueConstraint("number", name=op.f("uq_sales_orders_number")),
    )
    op.create_index(op.f("ix_sales_orders_customer"), "sales_orders", ["customer"])
    op.create_index("ix_sales_orders_state_expected", "sales_orders", ["state", "expected_date"])
    op.create_table(
        "order_movements",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("order_id", sa.String(length=36), nullable=False),
        sa.Column("line_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("quantity", MONEY, nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=True),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("operator", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["sales_orders.document_id"],
            name=op.f("fk_order_movements_order_id_sales_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_movements")),
    )
    op.create_index(op.f("ix_order_movements_order_id"), "order_movements", ["order_id"])
    op.create_table(
        "order_deposits",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("order_id", sa.String(length=36), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("vat", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("taken_at", MOMENT, nullable=False),
        sa.Column("settled_at", MOMENT, nullable=True),
        sa.Column("settled_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_order_deposits_document_id_documents")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["sales_orders.document_id"],
            name=op.f("fk_order_deposits_order_id_sales_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_deposits")),
        sa.UniqueConstraint("document_id", name=op.f("uq_order_deposits_document_id")),
    )
    op.create_index(op.f("ix_order_deposits_order_id"), "order_deposits", ["order_id"])
    if op.get_bind().dialect.name == "postgresql":
        for statement in grant_statements(TABLES):
            op.execute(statement)  # the till records fulfilments and settles deposits


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
    for table, column in reversed(COLUMNS):
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column.name}"')
        else:
            op.drop_column(table, column.name)
