"""country packs: reverse charge and split payment flags, the fiscal hash chain and closings

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

MONEY = sa.BigInteger()  # ExactDecimal: an integer count of millionths
MOMENT = sa.DateTime(timezone=True)

APPEND_ONLY = "the fiscal journal is append-only"
APPROVED = "an approved document cannot be changed or deleted"

FLAGS = (
    ("items", "reverse_charge", False),
    ("items", "split_payment", False),
    ("customers", "domestic", True),
    ("customers", "reverse_charge", False),
    ("documents", "reverse_charge", False),
    ("documents", "split_payment", False),
    ("documents", "split_payment_manual", False),
    ("document_lines", "reverse_charge", False),
    ("document_lines", "split_payment", False),
)


def upgrade() -> None:
    for table, column, default in FLAGS:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(
                sa.Column(
                    column,
                    sa.Boolean(),
                    nullable=False,
                    server_default=sa.true() if default else sa.false(),
                )
            )

    op.create_table(
        "fiscal_chain",
        sa.Column("chain", sa.String(length=32), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=True),
        sa.Column("document_number", sa.String(length=64), nullable=True),
        sa.Column("copy", sa.Integer(), nullable=True),
        sa.Column("duplicate_number", sa.Integer(), nullable=True),
        sa.Column("closing_id", sa.Integer(), nullable=True),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("previous_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("chain", "sequence", name=op.f("pk_fiscal_chain")),
    )
    op.create_index(op.f("ix_fiscal_chain_document_id"), "fiscal_chain", ["document_id"])

    op.create_table(
        "fiscal_closings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("store", sa.String(length=32), nullable=False),
        sa.Column("till", sa.String(length=32), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("label", sa.String(length=16), nullable=False),
        sa.Column("date_from", sa.Date(), nullable=False),
        sa.Column("date_to", sa.Date(), nullable=False),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.Column("total", MONEY, nullable=False),
        sa.Column("net_total", MONEY, nullable=False),
        sa.Column("vat_total", MONEY, nullable=False),
        sa.Column("vat", sa.Text(), nullable=False),
        sa.Column("grand_total", MONEY, nullable=False),
        sa.Column("first_sequence", sa.Integer(), nullable=True),
        sa.Column("last_sequence", sa.Integer(), nullable=True),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("operator", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fiscal_closings")),
        sa.UniqueConstraint(
            "till", "period", "date_from", name=op.f("uq_fiscal_closings_till_period_date_from")
        ),
    )
    _create_triggers()


def _create_triggers() -> None:
    """The database refuses to change the journal, and to change or delete approved documents."""
    dialect = op.get_bind().dialect.name
    approved_line = (
        "(SELECT status FROM documents WHERE id = OLD.document_id) = 'approved'"
    )
    if dialect == "sqlite":
        for table in ("fiscal_chain", "fiscal_closings"):
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
                )
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER documents_approved_no_{action.lower()} BEFORE {action} "
                f"ON documents WHEN OLD.status = 'approved' "
                f"BEGIN SELECT RAISE(ABORT, '{APPROVED}'); END"
            )
            for table in ("document_lines", "document_vat"):
                op.execute(
                    f"CREATE TRIGGER {table}_approved_no_{action.lower()} BEFORE {action} "
                    f"ON {table} WHEN {approved_line} "
                    f"BEGIN SELECT RAISE(ABORT, '{APPROVED}'); END"
                )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION fiscal_journal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{APPEND_ONLY}'; END $$"
        )
        for table in ("fiscal_chain", "fiscal_closings"):
            op.execute(
                f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION fiscal_journal_append_only()"
            )
        op.execute(
            "CREATE FUNCTION approved_document_frozen() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{APPROVED}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER documents_approved_frozen BEFORE UPDATE OR DELETE ON documents "
            "FOR EACH ROW WHEN (OLD.status = 'approved') "
            "EXECUTE FUNCTION approved_document_frozen()"
        )
        op.execute(
            "CREATE FUNCTION approved_document_part_frozen() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            f"IF {approved_line} THEN RAISE EXCEPTION '{APPROVED}'; END IF; "
            "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$"
        )
        for table in ("document_lines", "document_vat"):
            op.execute(
                f"CREATE TRIGGER {table}_approved_frozen BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION approved_document_part_frozen()"
            )


def _drop_triggers() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for action in ("update", "delete"):
            for table in ("fiscal_chain", "fiscal_closings"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")
            op.execute(f"DROP TRIGGER IF EXISTS documents_approved_no_{action}")
            for table in ("document_lines", "document_vat"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_approved_no_{action}")
    elif dialect == "postgresql":
        for table in ("fiscal_chain", "fiscal_closings"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}")
        op.execute("DROP TRIGGER IF EXISTS documents_approved_frozen ON documents")
        for table in ("document_lines", "document_vat"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_approved_frozen ON {table}")
        op.execute("DROP FUNCTION IF EXISTS fiscal_journal_append_only()")
        op.execute("DROP FUNCTION IF EXISTS approved_document_frozen()")
        op.execute("DROP FUNCTION IF EXISTS approved_document_part_frozen()")


def downgrade() -> None:
    _drop_triggers()
    op.drop_table("fiscal_closings")
    with op.batch_alter_table("fiscal_chain") as batch_op:
        batch_op.drop_index(batch_op.f("ix_fiscal_chain_document_id"))
    op.drop_table("fiscal_chain")
    for table, column, _ in reversed(FLAGS):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column(column)
