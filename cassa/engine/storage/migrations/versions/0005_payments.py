"""payments, cash movements, shifts, counts, card transactions, vouchers, safe, report figures

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

MONEY = sa.BigInteger()  # ExactDecimal: an integer count of millionths
MOMENT = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str, **options: Any) -> sa.ForeignKeyConstraint:
    referred = target.split(".")[0]
    return sa.ForeignKeyConstraint(
        [column], [target], name=op.f(f"fk_{table}_{column}_{referred}"), **options
    )


def upgrade() -> None:
    op.create_table(
        "payments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("tender", sa.String(length=32), nullable=False),
        sa.Column("tender_type", sa.String(length=24), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("rate", MONEY, nullable=False),
        sa.Column("amount_system", MONEY, nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("store", sa.String(length=32), nullable=False),
        sa.Column("till", sa.String(length=32), nullable=False),
        sa.Column("day_id", sa.Integer(), nullable=True),
        sa.Column("shift_id", sa.Integer(), nullable=True),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("operator", sa.String(length=64), nullable=False),
        _fk("payments", "document_id", "documents.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
    )
    op.create_index(op.f("ix_payments_document_id"), "payments", ["document_id"])
    op.create_index("ix_payments_till_day", "payments", ["till", "day_id"])
    op.create_index("ix_payments_tender_reference", "payments", ["tender", "reference"])

    op.create_table(
        "shifts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("store", sa.String(length=32), nullable=False),
        sa.Column("cashier", sa.String(length=64), nullable=False),
        sa.Column("opened_at", MOMENT, nullable=False),
        sa.Column("opened_by", sa.String(length=64), nullable=False),
        sa.Column("opened_till", sa.String(length=32), nullable=False),
        sa.Column("closed_at", MOMENT, nullable=True),
        sa.Column("closed_by", sa.String(length=64), nullable=True),
        sa.Column("closed_till", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shifts")),
        sa.UniqueConstraint("number", name=op.f("uq_shifts_number")),
    )
    op.create_index("ix_shifts_cashier_closed_at", "shifts", ["cashier", "closed_at"])

    op.create_table(
        "cash_movements",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("store", sa.String(length=32), nullable=False),
        sa.Column("till", sa.String(length=32), nullable=False),
        sa.Column("day_id", sa.Integer(), nullable=True),
        sa.Column("shift_id", sa.Integer(), nullable=True),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("operator", sa.String(length=64), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("tender", sa.String(length=32), nullable=False),
        sa.Column("tender_type", sa.String(length=24), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("amount_system", MONEY, nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=True),
        sa.Column("payment_id", sa.String(length=36), nullable=True),
        sa.Column("reference", sa.String(length=64), nullable=True),
        sa.Column("payer_kind", sa.String(length=16), nullable=True),
        sa.Column("payer", sa.String(length=64), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        _fk("cash_movements", "day_id", "till_days.id"),
        _fk("cash_movements", "shift_id", "shifts.id"),
        _fk("cash_movements", "document_id", "documents.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cash_movements")),
    )
    op.create_index("ix_cash_movements_till_day_id", "cash_movements", ["till", "day_id"])
    op.create_index("ix_cash_movements_shift_id", "cash_movements", ["shift_id"])
    op.create_index(
        "ix_cash_movements_store_business_date", "cash_movements", ["store", "business_date"]
    )

    op.create_table(
        "cash_counts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("day_id", sa.Integer(), nullable=True),
        sa.Column("shift_id", sa.Integer(), nullable=True),
        sa.Column("stage", sa.String(length=8), nullable=False),
        sa.Column("tender", sa.String(length=32), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("expected", MONEY, nullable=False),
        sa.Column("counted", MONEY, nullable=True),
        sa.Column("difference", MONEY, nullable=False),
        sa.Column("withdrawal", MONEY, nullable=False),
        sa.Column("denominations", sa.Text(), nullable=False),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("operator", sa.String(length=64), nullable=False),
        _fk("cash_counts", "day_id", "till_days.id"),
        _fk("cash_counts", "shift_id", "shifts.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cash_counts")),
    )
    op.create_index(op.f("ix_cash_counts_day_id"), "cash_counts", ["day_id"])
    op.create_index(op.f("ix_cash_counts_shift_id"), "cash_counts", ["shift_id"])

    op.create_table(
        "card_transactions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("store", sa.String(length=32), nullable=False),
        sa.Column("till", sa.String(length=32), nullable=False),
        sa.Column("operator", sa.String(length=64), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=True),
        sa.Column("original_id", sa.String(length=36), nullable=True),
        sa.Column("payment_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("resolved_at", MOMENT, nullable=True),
        sa.Column("resolution", sa.String(length=16), nullable=True),
        sa.Column("resolved_by", sa.String(length=64), nullable=True),
        sa.Column("auth_code", sa.String(length=64), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card_transactions")),
    )
    op.create_index("ix_card_transactions_till_state", "card_transactions", ["till", "state"])
    op.create_index(op.f("ix_card_transactions_document_id"), "card_transactions", ["document_id"])

    op.create_table(
        "stored_values",
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("instrument", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("tender", sa.String(length=32), nullable=False),
        sa.Column("multi_use", sa.Boolean(), nullable=False),
        sa.Column("value", MONEY, nullable=False),
        sa.Column("balance", MONEY, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("change_allowed", sa.Boolean(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("store", sa.String(length=32), nullable=True),
        sa.Column("document_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_stored_values")),
    )
    op.create_table(
        "stored_value_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("event", sa.String(length=24), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=True),
        sa.Column("payment_id", sa.String(length=36), nullable=True),
        sa.Column("till", sa.String(length=32), nullable=True),
        sa.Column("operator", sa.String(length=64), nullable=True),
        _fk("stored_value_events", "number", "stored_values.number"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_value_events")),
    )
    op.create_index(op.f("ix_stored_value_events_number"), "stored_value_events", ["number"])
    op.create_table(
        "stored_value_sales",
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("line_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        _fk("stored_value_sales", "document_id", "documents.id", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", "line_id", name=op.f("pk_stored_value_sales")),
    )

    op.create_table(
        "safe_movements",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("store", sa.String(length=32), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("source", sa.String(length=24), nullable=False),
        sa.Column("tender", sa.String(length=32), nullable=False),
        sa.Column("tender_type", sa.String(length=24), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("amount_system", MONEY, nullable=False),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("operator", sa.String(length=64), nullable=False),
        sa.Column("payer_kind", sa.String(length=16), nullable=True),
        sa.Column("payer", sa.String(length=64), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("till", sa.String(length=32), nullable=True),
        sa.Column("cash_document_id", sa.String(length=36), nullable=True),
        _fk("safe_movements", "cash_document_id", "documents.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safe_movements")),
        sa.UniqueConstraint("number", name=op.f("uq_safe_movements_number")),
    )
    op.create_index("ix_safe_movements_store_at", "safe_movements", ["store", "at"])

    op.create_table(
        "sale_stats",
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("store", sa.String(length=32), nullable=False),
        sa.Column("till", sa.String(length=32), nullable=False),
        sa.Column("doc_type", sa.String(length=32), nullable=False),
        sa.Column("day_id", sa.Integer(), nullable=True),
        sa.Column("shift_id", sa.Integer(), nullable=True),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("total", MONEY, nullable=False),
        sa.Column("regular_total", MONEY, nullable=False),
        sa.Column("discount_total", MONEY, nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("returned_lines", sa.Integer(), nullable=False),
        sa.Column("vouchers", sa.Integer(), nullable=False),
        sa.Column("vouchers_value", MONEY, nullable=False),
        sa.Column("loyalty_card", sa.Boolean(), nullable=False),
        sa.Column("paid", sa.Boolean(), nullable=False),
        _fk("sale_stats", "document_id", "documents.id"),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_sale_stats")),
    )
    op.create_index("ix_sale_stats_store_business_date", "sale_stats", ["store", "business_date"])
    op.create_index("ix_sale_stats_till_day_id", "sale_stats", ["till", "day_id"])
    op.create_table(
        "sale_group_stats",
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("item_group", sa.String(length=64), nullable=False),
        sa.Column("store", sa.String(length=32), nullable=False),
        sa.Column("till", sa.String(length=32), nullable=False),
        sa.Column("day_id", sa.Integer(), nullable=True),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("gross", MONEY, nullable=False),
        _fk("sale_group_stats", "document_id", "documents.id"),
        sa.PrimaryKeyConstraint("document_id", "item_group", name=op.f("pk_sale_group_stats")),
    )
    op.create_index(
        "ix_sale_group_stats_store_business_date",
        "sale_group_stats",
        ["store", "business_date"],
    )
    op.create_index("ix_sale_group_stats_till_day_id", "sale_group_stats", ["till", "day_id"])

    op.create_table(
        "fiscal_reports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("store", sa.String(length=32), nullable=False),
        sa.Column("till", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("z_number", sa.Integer(), nullable=True),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("date_from", sa.Date(), nullable=True),
        sa.Column("date_to", sa.Date(), nullable=True),
        sa.Column("device_totals", sa.Text(), nullable=False),
        sa.Column("document_totals", sa.Text(), nullable=False),
        sa.Column("agrees", sa.Boolean(), nullable=False),
        sa.Column("operator", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fiscal_reports")),
    )
    op.create_index(op.f("ix_fiscal_reports_till"), "fiscal_reports", ["till"])


def downgrade() -> None:
    for table in (
        "fiscal_reports",
        "sale_group_stats",
        "sale_stats",
        "safe_movements",
        "stored_value_sales",
        "stored_value_events",
        "stored_values",
        "card_transactions",
        "cash_counts",
        "cash_movements",
        "shifts",
        "payments",
    ):
        op.drop_table(table)
