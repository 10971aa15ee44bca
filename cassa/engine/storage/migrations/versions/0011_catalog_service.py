"""catalog service: the catalog's order, its version, a search index

The item search index is not an ORM table: on SQLite an FTS5 table with the trigram
tokenizer (any three characters of a code or name find it), on PostgreSQL a table with
a pg_trgm GIN index when the extension can be created, else with its primary key alone
(the search then reads the table in catalog order: the same results, slower on a large
catalog; `CREATE EXTENSION pg_trgm` by a superuser and `cassa db upgrade` add the index
later).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-10
"""

from __future__ import annotations

import json
import uuid

import sqlalchemy as sa
from alembic import op

from cassa.engine.storage.guards import grant_statements

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    # In place on SQLite (a batch rebuild of items would drop its rows' order for nothing).
    op.add_column("items", sa.Column("position", sa.Integer(), nullable=False, server_default="0"))
    physical = "rowid" if dialect == "sqlite" else "ctid"  # the order items were imported in
    skus = bind.exec_driver_sql(f"SELECT sku FROM items ORDER BY {physical}").scalars().all()
    if skus:
        bind.execute(
            sa.text("UPDATE items SET position = :position WHERE sku = :sku"),
            [{"sku": sku, "position": position} for position, sku in enumerate(skus, 1)],
        )
    op.create_index(op.f("ix_items_position"), "items", ["position"])
    op.create_table(
        "catalog_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("customers_version", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_state")),
    )
    op.execute(
        sa.text(
            "INSERT INTO catalog_state (id, version, customers_version, token)"
            " VALUES (1, 1, 1, :token)"
        ).bindparams(token=uuid.uuid4().hex)
    )
    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE item_search USING fts5(text, tokenize='trigram', content='')"
        )
    else:
        op.execute("CREATE TABLE item_search (position integer PRIMARY KEY, text text NOT NULL)")
        _trigram_index()
        for statement in grant_statements(["catalog_state", "item_search"]):
            op.execute(statement)  # the till's role reads them and an import rewrites them
    _fill_search_index(bind)


def _trigram_index() -> None:
    """pg_trgm's GIN index, when the extension is there or this role may create it."""
    bind = op.get_bind()
    with bind.begin_nested() as attempt:
        try:
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except sa.exc.DBAPIError:
            attempt.rollback()  # no right to create it: the plain table serves, slower
    schema = bind.exec_driver_sql(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'pg_trgm'"
    ).scalar()
    if schema is not None:
        op.execute(
            f'CREATE INDEX ix_item_search_trigram ON item_search USING gin (text "{schema}".gin_trgm_ops)'
        )


def _fill_search_index(bind: sa.Connection) -> None:
    barcodes: dict[str, list[str]] = {}
    for sku, code in bind.exec_driver_sql("SELECT sku, code FROM item_barcodes"):
        barcodes.setdefault(sku, []).append(code)
    lots: dict[str, list[str]] = {}
    for sku, code, properties, ean in bind.exec_driver_sql(
        "SELECT sku, code, properties, ean FROM item_lots"
    ):
        lots.setdefault(sku, []).extend([code, ean or "", *json.loads(properties).values()])
    rows = [
        {"position": position, "text": "\n".join([sku, name, *barcodes.get(sku, []), *lots.get(sku, [])]).casefold()}
        for sku, name, position in bind.exec_driver_sql("SELECT sku, name, position FROM items")
    ]
    if rows:
        column = "rowid" if bind.dialect.name == "sqlite" else "position"
        bind.execute(
            sa.text(f"INSERT INTO item_search ({column}, text) VALUES (:position, :text)"), rows
        )


def downgrade() -> None:
    op.execute("DROP TABLE item_search")
    op.drop_table("catalog_state")
    op.drop_index(op.f("ix_items_position"), table_name="items")
    if op.get_bind().dialect.name == "sqlite":
        op.execute('ALTER TABLE "items" DROP COLUMN "position"')
    else:
        op.drop_column("items", "position")
