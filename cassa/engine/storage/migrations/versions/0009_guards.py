"""guards: money and report figures append-only, REPLACE refused, the till's role on PostgreSQL

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from cassa.engine.storage.guards import (
    TILL_ROLE,
    grant_statements,
    postgresql_statements,
    postgresql_triggers,
    sqlite_statements,
)

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in sqlite_statements():
            op.execute(statement)
    elif bind.dialect.name == "postgresql":
        for statement in postgresql_statements():
            op.execute(statement)
        tables = sorted(sa.inspect(bind).get_table_names())
        for statement in grant_statements(tables):
            op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in sqlite_statements():
            name = statement.split()[2]
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif bind.dialect.name == "postgresql":
        created = postgresql_statements()
        for table, trigger, _ in postgresql_triggers():
            if any(f"TRIGGER {trigger} " in statement for statement in created):
                op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS cassa_append_only()")
        op.execute("DROP FUNCTION IF EXISTS cassa_approved_part_insert()")
        tables = sorted(sa.inspect(bind).get_table_names())
        for table in tables:
            op.execute(f'REVOKE ALL ON "{table}" FROM {TILL_ROLE}')
