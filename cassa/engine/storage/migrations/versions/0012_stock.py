"""stock: warehouses, warehouse documents, stock movements and the levels they sum to

Every store gets its shop floor (FLOOR) and the goods in transit to it (TRANSIT);
movements and warehouse documents are append-only, guarded like the money tables.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from cassa.engine.storage.guards import grant_statements, guard_statements
from cassa.engine.storage.types import ExactDecimal, UtcDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TABLES = ["warehouses", "stock_documents", "stock_movements", "stock_levels"]


def upgrade() -> None:
    op.create_table(
        "warehouses",
        sa.Column("store", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["store"], ["stores.code"], name=op.f("fk_warehouses_store_stores")
        ),
        sa.PrimaryKeyConstraint("store", "code", name=op.f("pk_warehouses")),
    )
    op.create_table(
        "stock_documents",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("store", sa.String(length=32), nullable=False),
        sa.Column("warehouse", sa.String(length=32), nullable=False),
        sa.Column("to_store", sa.String(length=32), nullable=True),
        sa.Column("to_warehouse", sa.String(length=32), nullable=True),
        sa.Column("origin_id", sa.String(length=36), nullable=True),
        sa.Column("till", sa.String(length=32), nullable=False),
        sa.Column("operator", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_documents")),
        sa.UniqueConstraint("number", name=op.f("uq_stock_documents_number")),
    )
    op.create_index(
        op.f("ix_stock_documents_origin_id"), "stock_documents", ["origin_id"], unique=False
    )
    op.create_table(
        "stock_movements",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("store", sa.String(length=32), nullable=False),
        sa.Column("warehouse", sa.String(length=32), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("lot", sa.String(length=64), server_default="", nullable=False),
        sa.Column("quantity", ExactDecimal(), nullable=False),
        sa.Column("cause", sa.String(length=16), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("line_id", sa.String(length=36), nullable=True),
        sa.Column("number", sa.String(length=64), nullable=True),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_movements")),
    )
    op.create_index(
        op.f("ix_stock_movements_document_id"), "stock_movements", ["document_id"], unique=False
    )
    op.create_index("ix_stock_movements_sku_id", "stock_movements", ["sku", "id"], unique=False)
    op.create_table(
        "stock_levels",
        sa.Column("store", sa.String(length=32), nullable=False),
        sa.Column("warehouse", sa.String(length=32), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("lot", sa.String(length=64), nullable=False),
        sa.Column("quantity", ExactDecimal(), nullable=False),
        sa.Column("movements", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("store", "warehouse", "sku", "lot", name=op.f("pk_stock_levels")),
    )
    op.create_index("ix_stock_levels_sku", "stock_levels", ["sku"], unique=False)
    bind = op.get_bind()
    bind.execute(
        sa.text(
            "INSERT INTO warehouses (store, code, name, kind, position) "
            "SELECT code, 'FLOOR', 'Shop floor', 'floor', 1 FROM stores"
        )
    )
    bind.execute(
        sa.text(
            "INSERT INTO warehouses (store, code, name, kind, position) "
            "SELECT code, 'TRANSIT', 'In transit', 'transit', 2 FROM stores"
        )
    )
    for statement in guard_statements(bind.dialect.name, revision):
        op.execute(statement)
    if bind.dialect.name == "postgresql":
        for statement in grant_statements(TABLES):
            op.execute(statement)


def downgrade() -> None:
    op.drop_index("ix_stock_levels_sku", table_name="stock_levels")
    op.drop_table("stock_levels")
    op.drop_index("ix_stock_movements_sku_id", table_name="stock_movements")
    op.drop_index(op.f("ix_stock_movements_document_id"), table_name="stock_movements")
    op.drop_table("stock_movements")
    op.drop_index(op.f("ix_stock_documents_origin_id"), table_name="stock_documents")
    op.drop_table("stock_documents")
    op.drop_table("warehouses")
