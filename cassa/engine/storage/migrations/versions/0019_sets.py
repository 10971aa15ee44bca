"""sets: a set item's components, whether they go on the document, the set of a line

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from cassa.engine.storage.guards import grant_statements
from cassa.engine.storage.types import ExactDecimal

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # in place on SQLite: new columns never rebuild items or the guarded document lines
    op.add_column(
        "items",
        sa.Column("insert_components", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column("items", sa.Column("component_change", sa.String(length=8), nullable=True))
    op.add_column("document_lines", sa.Column("set_group", sa.String(length=100), nullable=True))
    op.create_table(
        "item_set_components",
        sa.Column("set_sku", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("component", sa.String(length=64), nullable=False),
        sa.Column("quantity", ExactDecimal(), nullable=False),
        sa.ForeignKeyConstraint(
            ["set_sku"],
            ["items.sku"],
            name=op.f("fk_item_set_components_set_sku_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("set_sku", "position", name=op.f("pk_item_set_components")),
    )
    if op.get_bind().dialect.name == "postgresql":
        for statement in grant_statements(["item_set_components"]):
            op.execute(statement)


def downgrade() -> None:
    op.drop_table("item_set_components")
    for table, column in (
        ("document_lines", "set_group"),
        ("items", "component_change"),
        ("items", "insert_components"),
    ):
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
        else:
            op.drop_column(table, column)
