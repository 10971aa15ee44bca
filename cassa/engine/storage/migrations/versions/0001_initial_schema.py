"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customer_groups",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("price_list", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_customer_groups")),
    )
    op.create_table(
        "customers",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("vat_number", sa.String(length=32), nullable=True),
        sa.Column("groups", sa.Text(), nullable=False),
        sa.Column("loyalty_card", sa.String(length=64), nullable=True),
        sa.Column("price_list", sa.String(length=64), nullable=True),
        sa.Column("address", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_customers")),
        sa.UniqueConstraint("loyalty_card", name=op.f("uq_customers_loyalty_card")),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("doc_type", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("store", sa.String(length=32), nullable=False),
        sa.Column("till", sa.String(length=32), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("operator", sa.String(length=64), nullable=False),
        sa.Column("customer", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("number", sa.String(length=64), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=True),
        sa.Column("net_total", sa.BigInteger(), nullable=True),
        sa.Column("vat_total", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint(
            "doc_type",
            "till",
            "year",
            "sequence",
            name=op.f("uq_documents_doc_type_till_year_sequence"),
        ),
        sa.UniqueConstraint("number", name=op.f("uq_documents_number")),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index("ix_documents_till_status", ["till", "status"], unique=False)

    op.create_table(
        "item_groups",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("parent", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_item_groups")),
    )
    op.create_table(
        "items",
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("group", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("vat_code", sa.String(length=16), nullable=False),
        sa.Column("list_price", sa.BigInteger(), nullable=False),
        sa.Column("base_unit", sa.String(length=16), nullable=False),
        sa.Column("base_unit_precision", sa.Integer(), nullable=False),
        sa.Column("discountable", sa.Boolean(), nullable=False),
        sa.Column("name_editable", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("sku", name=op.f("pk_items")),
    )
    op.create_table(
        "numbering",
        sa.Column("doc_type", sa.String(length=32), nullable=False),
        sa.Column("till", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("doc_type", "till", "year", name=op.f("pk_numbering")),
    )
    op.create_table(
        "price_lists",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_price_lists")),
    )
    op.create_table(
        "stores",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("vat_number", sa.String(length=32), nullable=False),
        sa.Column("pack", sa.String(length=500), nullable=False),
        sa.Column("price_direction", sa.String(length=8), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_stores")),
    )
    op.create_table(
        "till_days",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("till", sa.String(length=32), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.String(length=64), nullable=False),
        sa.Column("opening_float", sa.BigInteger(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_till_days")),
    )
    with op.batch_alter_table("till_days", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_till_days_till"), ["till"], unique=False)

    op.create_table(
        "document_lines",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("item_type", sa.String(length=16), nullable=False),
        sa.Column("item_group", sa.String(length=64), nullable=True),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("unit_precision", sa.Integer(), nullable=False),
        sa.Column("base_unit", sa.String(length=16), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("base_quantity", sa.BigInteger(), nullable=False),
        sa.Column("list_price", sa.BigInteger(), nullable=False),
        sa.Column("vat_code", sa.String(length=16), nullable=False),
        sa.Column("vat_percent", sa.BigInteger(), nullable=False),
        sa.Column("discountable", sa.Boolean(), nullable=False),
        sa.Column("adjustments", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("handled_by", sa.String(length=64), nullable=True),
        sa.Column("returned", sa.Boolean(), nullable=False),
        sa.Column("price_source", sa.String(length=80), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_lines_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_lines")),
    )
    with op.batch_alter_table("document_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_lines_document_id"), ["document_id"], unique=False
        )

    op.create_table(
        "document_vat",
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("vat_code", sa.String(length=16), nullable=False),
        sa.Column("percent", sa.BigInteger(), nullable=False),
        sa.Column("net", sa.BigInteger(), nullable=False),
        sa.Column("vat", sa.BigInteger(), nullable=False),
        sa.Column("gross", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_vat_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", "vat_code", name=op.f("pk_document_vat")),
    )
    op.create_table(
        "item_barcodes",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["sku"], ["items.sku"], name=op.f("fk_item_barcodes_sku_items"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_item_barcodes")),
    )
    with op.batch_alter_table("item_barcodes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_item_barcodes_sku"), ["sku"], unique=False)

    op.create_table(
        "item_units",
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("precision", sa.Integer(), nullable=False),
        sa.Column("per_base", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sku"], ["items.sku"], name=op.f("fk_item_units_sku_items"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("sku", "unit", name=op.f("pk_item_units")),
    )
    op.create_table(
        "price_list_prices",
        sa.Column("price_list", sa.String(length=64), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["price_list"],
            ["price_lists.code"],
            name=op.f("fk_price_list_prices_price_list_price_lists"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("price_list", "sku", name=op.f("pk_price_list_prices")),
    )
    op.create_table(
        "tills",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("store", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["store"], ["stores.code"], name=op.f("fk_tills_store_stores")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_tills")),
    )


def downgrade() -> None:
    op.drop_table("tills")
    op.drop_table("price_list_prices")
    op.drop_table("item_units")
    with op.batch_alter_table("item_barcodes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_item_barcodes_sku"))

    op.drop_table("item_barcodes")
    op.drop_table("document_vat")
    with op.batch_alter_table("document_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_lines_document_id"))

    op.drop_table("document_lines")
    with op.batch_alter_table("till_days", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_till_days_till"))

    op.drop_table("till_days")
    op.drop_table("stores")
    op.drop_table("price_lists")
    op.drop_table("numbering")
    op.drop_table("items")
    op.drop_table("item_groups")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index("ix_documents_till_status")

    op.drop_table("documents")
    op.drop_table("customers")
    op.drop_table("customer_groups")
