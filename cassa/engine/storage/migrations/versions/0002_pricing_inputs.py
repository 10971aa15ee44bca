"""pricing inputs on documents and coupon redemptions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("inputs", sa.Text(), nullable=False, server_default="{}"))
    op.create_table(
        "coupon_redemptions",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("redeemed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_coupon_redemptions_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("code", "document_id", name=op.f("pk_coupon_redemptions")),
    )


def downgrade() -> None:
    op.drop_table("coupon_redemptions")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("inputs")
