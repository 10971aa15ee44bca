"""What the database itself refuses, and the role a till connects as on PostgreSQL.

Protected tables are append-only: a row, once written, is never changed or
removed (`APPEND_ONLY`); approved documents, their lines and VAT summary are
frozen (`FROZEN`), while drafts change freely.

- SQLite: triggers refuse UPDATE and DELETE, and a BEFORE INSERT trigger refuses a row
  whose key is taken, because `INSERT OR REPLACE` (and an upsert) deletes the old row
  without firing DELETE triggers unless `PRAGMA recursive_triggers` is on (the till
  turns it on, someone else with the file would not).
- PostgreSQL: the same triggers (and TRUNCATE), and the till connects as `TILL_ROLE`,
  which may only SELECT and INSERT on protected tables. The owner (the role the
  migrations run as) keeps every right; a superuser or the owner can still disable a
  trigger, which `missing_guards` reports.

Migrations create the guards from here (`sqlite_statements`, `postgresql_statements`,
`grant_statements`), and `cassa audit verify` checks them with `missing_guards`. A
migration that adds a table grants it to the till role (`grant_statements`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, text

__all__ = [
    "APPEND_ONLY",
    "FROZEN",
    "TILL_ROLE",
    "grant_statements",
    "guard_statements",
    "missing_guards",
    "postgresql_statements",
    "postgresql_triggers",
    "sqlite_statements",
    "sqlite_triggers",
]

TILL_ROLE = "cassa_till"


@dataclass(frozen=True)
class Protected:
    table: str
    keys: tuple[tuple[str, ...], ...]  # the primary key and every unique key
    message: str = ""
    since: str = ""  # the migration that guards it, when later than 0009 (`guard_statements`)

    @property
    def refusal(self) -> str:
        return self.message or f"{self.table} is append-only: its rows are never changed"


APPEND_ONLY = (
    # Guarded since migration 0004 / 0006, with their own messages.
    Protected("audit_log", (("id",),), "the audit log is append-only"),
    Protected("fiscal_chain", (("chain", "sequence"),), "the fiscal journal is append-only"),
    Protected(
        "fiscal_closings",
        (("id",), ("till", "period", "date_from")),
        "the fiscal journal is append-only",
    ),
    # Money and the figures reports are made of (migration 0009).
    Protected("payments", (("id",),)),
    Protected("cash_movements", (("id",),)),
    Protected("cash_counts", (("id",),)),
    Protected("safe_movements", (("id",), ("number",))),
    Protected("stored_value_events", (("id",),)),
    Protected("sale_stats", (("document_id",),)),
    Protected("sale_group_stats", (("document_id", "item_group"),)),
    Protected("fiscal_reports", (("id",),)),
    Protected("print_history", (("id",), ("document_id", "copy"))),
    Protected("coupon_redemptions", (("code", "document_id"),)),
    # Stock (migration 0012): on-hand is the sum of movements, never a number edited.
    Protected("stock_movements", (("id",),), since="0012"),
    Protected("stock_documents", (("id",), ("number",)), since="0012"),
    Protected(
        "tax_free_forms",
        (("id",), ("number",), ("receipt_id",), ("till", "year", "sequence")),
        since="0018",
    ),
)
FROZEN = ("documents", "document_lines", "document_vat")
APPROVED = "an approved document cannot be changed or deleted"
_DOCUMENT_KEYS = (("id",), ("number",), ("doc_type", "till", "year", "sequence"))
_LEGACY = {"fiscal_chain", "fiscal_closings"}  # guarded by 0006's function


def _raise(message: str) -> str:
    return f"BEGIN SELECT RAISE(ABORT, '{message}'); END"


def _taken(table: str, keys: tuple[tuple[str, ...], ...], alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return " OR ".join(
        "(" + " AND ".join(f"{prefix}{c} = NEW.{c}" for c in key) + ")" for key in keys
    )


def sqlite_triggers() -> Iterator[tuple[str, str]]:
    """(name, the exact CREATE statement) of every SQLite guard, as sqlite_master keeps it."""
    for guarded in APPEND_ONLY:
        table, refusal = guarded.table, guarded.refusal
        for action in ("UPDATE", "DELETE"):
            name = f"{table}_no_{action.lower()}"
            yield name, f"CREATE TRIGGER {name} BEFORE {action} ON {table} {_raise(refusal)}"
        yield (
            f"{table}_no_replace",
            f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
            f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {_taken(table, guarded.keys)}) "
            f"{_raise(refusal)}",
        )
    approved_line = "(SELECT status FROM documents WHERE id = OLD.document_id) = 'approved'"
    for action in ("UPDATE", "DELETE"):
        name = f"documents_approved_no_{action.lower()}"
        yield (
            name,
            f"CREATE TRIGGER {name} BEFORE {action} ON documents WHEN OLD.status = 'approved' "
            f"{_raise(APPROVED)}",
        )
        for table in ("document_lines", "document_vat"):
            name = f"{table}_approved_no_{action.lower()}"
            yield (
                name,
                f"CREATE TRIGGER {name} BEFORE {action} ON {table} WHEN {approved_line} "
                f"{_raise(APPROVED)}",
            )
    yield (
        "documents_approved_no_replace",
        "CREATE TRIGGER documents_approved_no_replace BEFORE INSERT ON documents "
        "WHEN EXISTS (SELECT 1 FROM documents d WHERE d.status = 'approved' AND "
        f"({_taken('documents', _DOCUMENT_KEYS, 'd')})) {_raise(APPROVED)}",
    )
    # A line or VAT row never joins an approved document, nor replaces one of its rows.
    new_of_approved = "(SELECT status FROM documents WHERE id = NEW.document_id) = 'approved'"
    yield (
        "document_lines_approved_no_insert",
        "CREATE TRIGGER document_lines_approved_no_insert BEFORE INSERT ON document_lines "
        f"WHEN {new_of_approved} OR EXISTS (SELECT 1 FROM document_lines l JOIN documents d "
        "ON d.id = l.document_id WHERE l.id = NEW.id AND d.status = 'approved') "
        f"{_raise(APPROVED)}",
    )
    yield (
        "document_vat_approved_no_insert",
        "CREATE TRIGGER document_vat_approved_no_insert BEFORE INSERT ON document_vat "
        f"WHEN {new_of_approved} {_raise(APPROVED)}",
    )


def sqlite_statements() -> list[str]:
    """The CREATE statements of the guards migration 0009 adds (0004 and 0006 made the rest)."""
    return [
        statement
        for name, statement in sqlite_triggers()
        if name not in _SQLITE_EARLIER and _guarded_since(name) == ""
    ]


def _guarded_since(trigger: str) -> str:
    """The migration that made a trigger: "" for 0009 and earlier."""
    return next(
        (g.since for g in APPEND_ONLY if g.since and trigger.startswith(f"{g.table}_no_")), ""
    )


def guard_statements(dialect: str, revision: str) -> list[str]:
    """The guards a migration after 0009 adds for its append-only tables (`since`)."""
    if dialect == "sqlite":
        return [s for name, s in sqlite_triggers() if _guarded_since(name) == revision]
    if dialect != "postgresql":
        return []
    return [
        f"CREATE TRIGGER {trigger} "
        + ("BEFORE TRUNCATE" if trigger.endswith("_no_truncate") else "BEFORE UPDATE OR DELETE")
        + f" ON {table} FOR EACH "
        + ("STATEMENT" if trigger.endswith("_no_truncate") else "ROW")
        + f" EXECUTE FUNCTION {function}()"
        for table, trigger, function in postgresql_triggers()
        if _guarded_since(trigger) == revision
    ]


_SQLITE_EARLIER = {
    f"{table}_no_{action}"
    for table in ("audit_log", "fiscal_chain", "fiscal_closings")
    for action in ("update", "delete")
} | {f"{table}_approved_no_{action}" for table in FROZEN for action in ("update", "delete")}


# -- PostgreSQL ---------------------------------------------------------------------------------
_PG_FUNCTIONS = {
    "cassa_append_only": "BEGIN RAISE EXCEPTION '% is append-only: its rows are never changed', "
    "TG_TABLE_NAME; END",
    "cassa_approved_part_insert": "BEGIN IF (SELECT status FROM documents WHERE id = "
    f"NEW.document_id) = 'approved' THEN RAISE EXCEPTION '{APPROVED}'; END IF; RETURN NEW; END",
}


# Every guard function's body, as migrations 0004, 0006 and 0009 wrote it (blanks aside).
_PG_BODIES = {
    **_PG_FUNCTIONS,
    "audit_log_append_only": "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END",
    "fiscal_journal_append_only": "BEGIN RAISE EXCEPTION 'the fiscal journal is append-only'; END",
    "approved_document_frozen": f"BEGIN RAISE EXCEPTION '{APPROVED}'; END",
    "approved_document_part_frozen": "BEGIN IF (SELECT status FROM documents WHERE id = "
    f"OLD.document_id) = 'approved' THEN RAISE EXCEPTION '{APPROVED}'; END IF; "
    "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END",
}
# pg_trigger.tgtype: BEFORE (2) with ROW (1) and UPDATE (16) | DELETE (8), or INSERT (4);
# or TRUNCATE (32) FOR EACH STATEMENT.
_TGTYPE = {"change": 27, "insert": 7, "truncate": 34}
_WHEN = {"documents_approved_frozen": "WHEN (((old.status)::text = 'approved'::text))"}


def _tgtype(trigger: str) -> int:
    if trigger.endswith("_no_truncate"):
        return _TGTYPE["truncate"]
    if trigger.endswith("_no_insert"):
        return _TGTYPE["insert"]
    return _TGTYPE["change"]


def postgresql_triggers() -> Iterator[tuple[str, str, str]]:
    """(table, trigger, function) of every PostgreSQL guard."""
    for guarded in APPEND_ONLY:
        table = guarded.table
        if table == "audit_log":
            yield table, "audit_log_no_change", "audit_log_append_only"
            yield table, "audit_log_no_truncate", "audit_log_append_only"
            continue
        change = "fiscal_journal_append_only" if table in _LEGACY else "cassa_append_only"
        yield table, f"{table}_no_change", change
        yield table, f"{table}_no_truncate", "cassa_append_only"
    yield "documents", "documents_approved_frozen", "approved_document_frozen"
    for table in FROZEN:
        if table != "documents":
            yield table, f"{table}_approved_frozen", "approved_document_part_frozen"
            yield table, f"{table}_approved_no_insert", "cassa_approved_part_insert"
        yield table, f"{table}_no_truncate", "cassa_append_only"


def postgresql_statements() -> list[str]:
    """The functions and triggers of migration 0009 (those of 0004 and 0006 exist already)."""
    statements = [
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ {body} $$"
        for name, body in _PG_FUNCTIONS.items()
    ]
    for table, trigger, function in postgresql_triggers():
        if function in _PG_FUNCTIONS and _guarded_since(trigger) == "":
            when = (
                "BEFORE TRUNCATE"
                if trigger.endswith("_no_truncate")
                else "BEFORE INSERT"
                if trigger.endswith("_no_insert")
                else "BEFORE UPDATE OR DELETE"
            )
            each = "STATEMENT" if when == "BEFORE TRUNCATE" else "ROW"
            statements.append(
                f"CREATE TRIGGER {trigger} {when} ON {table} "
                f"FOR EACH {each} EXECUTE FUNCTION {function}()"
            )
    return statements


def grant_statements(tables: list[str]) -> list[str]:
    """The till role (created if missing) and its rights on `tables` of the current schema:
    SELECT and INSERT on protected ones, everything but TRUNCATE on the others."""
    protected = {guarded.table for guarded in APPEND_ONLY}
    statements = [
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
        f"'{TILL_ROLE}') THEN CREATE ROLE {TILL_ROLE} LOGIN; END IF; "
        "EXCEPTION WHEN duplicate_object THEN NULL; END $$",
        f"DO $$ BEGIN EXECUTE format('GRANT USAGE ON SCHEMA %I TO {TILL_ROLE}', "
        "current_schema()); END $$",
    ]
    for table in tables:
        if table == "alembic_version":
            rights = "SELECT"
        elif table in protected:
            rights = "SELECT, INSERT"
        else:
            rights = "SELECT, INSERT, UPDATE, DELETE"
        statements.append(f'GRANT {rights} ON "{table}" TO {TILL_ROLE}')
    statements.append(
        f"DO $$ BEGIN EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I "
        f"TO {TILL_ROLE}', current_schema()); END $$"
    )
    return statements


# -- checking ----------------------------------------------------------------------------------
def missing_guards(connection: Connection) -> list[str]:
    """What is missing, disabled, changed or widened among the guards: one sentence each."""
    if connection.dialect.name == "sqlite":
        return _sqlite_missing(connection)
    if connection.dialect.name == "postgresql":
        return _postgresql_missing(connection)
    return []


def _sqlite_missing(connection: Connection) -> list[str]:
    stored = {
        str(name): str(sql)
        for name, sql in connection.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        ).all()
    }
    problems = []
    for name, statement in sqlite_triggers():
        if name not in stored:
            problems.append(f"the guard {name} is missing: that table can be changed")
        elif " ".join(stored[name].split()) != statement:
            problems.append(f"the guard {name} was replaced: it does not refuse what it should")
    return problems


def _postgresql_missing(connection: Connection) -> list[str]:
    problems = []
    found = {
        (str(table), str(name)): (str(enabled), str(function), int(kind), str(definition))
        for table, name, enabled, function, kind, definition in connection.execute(
            text(
                "SELECT c.relname, t.tgname, t.tgenabled, p.proname, t.tgtype, "
                "pg_get_triggerdef(t.oid) FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid "
                "WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal"
            )
        ).all()
    }
    for table, trigger, function in postgresql_triggers():
        state = found.get((table, trigger))
        if state is None:
            problems.append(f"the guard {trigger} on {table} is missing: that table can be changed")
        elif state[0] not in ("O", "A"):
            problems.append(f"the guard {trigger} on {table} is disabled")
        elif state[1] != function or state[2] != _tgtype(trigger):
            problems.append(f"the guard {trigger} on {table} was replaced")
        elif (" WHEN " in state[3]) != (trigger in _WHEN) or (
            trigger in _WHEN and _WHEN[trigger] not in state[3]
        ):
            problems.append(f"the guard {trigger} on {table} was given another condition")
    bodies = {
        str(name): str(source)
        for name, source in connection.execute(
            text(
                "SELECT proname, prosrc FROM pg_proc WHERE pronamespace = "
                "current_schema()::regnamespace"
            )
        ).all()
    }
    for function in sorted({f for _, _, f in postgresql_triggers()}):
        body = " ".join(str(bodies.get(function, "")).split())
        if body != _PG_BODIES[function]:
            problems.append(f"the guard function {function} was changed: it may refuse nothing")
    problems.extend(_grant_problems(connection))
    return problems


def _grant_problems(connection: Connection) -> list[str]:
    role = connection.execute(
        text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = :r"), {"r": TILL_ROLE}
    ).first()
    if role is None:
        return [f"the till role {TILL_ROLE} is missing: the till connects with more rights"]
    problems = []
    if role[0] or role[1]:
        problems.append(f"the till role {TILL_ROLE} is a superuser or bypasses row security")
    owned = {
        str(name)
        for (name,) in connection.execute(
            text(
                "SELECT c.relname FROM pg_class c WHERE c.relnamespace = "
                "current_schema()::regnamespace AND c.relname IN :tables "
                "AND pg_has_role(:r, c.relowner, 'USAGE')"
            ).bindparams(bindparam("tables", expanding=True)),
            {"r": TILL_ROLE, "tables": [guarded.table for guarded in APPEND_ONLY]},
        ).all()
    }
    for guarded in APPEND_ONLY:
        name = guarded.table
        if name in owned:
            problems.append(f"the till role {TILL_ROLE} owns {name}: it can drop its guards")
            continue
        problems.extend(_widened(connection, name, ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER")))
    for name in FROZEN:  # drafts change there; the table itself stays
        problems.extend(_widened(connection, name, ("TRUNCATE", "TRIGGER")))
    problems.extend(_missing_rights(connection))
    return problems


def _missing_rights(connection: Connection) -> list[str]:
    """The rights the till needs to work: SELECT and INSERT on protected tables, and to
    change drafts on the documents' tables."""
    needed: list[tuple[str, tuple[str, ...]]] = [
        (guarded.table, ("SELECT", "INSERT")) for guarded in APPEND_ONLY
    ]
    needed += [(table, ("SELECT", "INSERT", "UPDATE", "DELETE")) for table in FROZEN]
    checks = [
        (table, right, f"has_table_privilege(:r, quote_ident('{table}'), '{right}')")
        for table, rights in needed
        for right in rights
    ]
    held = connection.execute(
        text("SELECT " + ", ".join(check for _, _, check in checks)), {"r": TILL_ROLE}
    ).one()
    return [
        f"the till role {TILL_ROLE} may not {right} on {table}: the till cannot work"
        for (table, right, _), has in zip(checks, held, strict=True)
        if not has
    ]


def _widened(connection: Connection, table: str, rights: tuple[str, ...]) -> list[str]:
    """The rights the till role holds on `table` beyond its own (REFERENCES and a column's
    UPDATE count too: the first holds rows in place, the second changes them)."""
    checks = [(right, f"has_table_privilege(:r, quote_ident(:t), '{right}')") for right in rights]
    checks.append(("REFERENCES", "has_any_column_privilege(:r, quote_ident(:t), 'REFERENCES')"))
    if "UPDATE" in rights:
        checks.append(
            ("UPDATE on a column", "has_any_column_privilege(:r, quote_ident(:t), 'UPDATE')")
        )
    held = connection.execute(
        text("SELECT " + ", ".join(check for _, check in checks)), {"r": TILL_ROLE, "t": table}
    ).one()
    granted = [right for (right, _), has in zip(checks, held, strict=True) if has]
    if "UPDATE" in granted:
        granted.remove("UPDATE on a column")
    return [f"the till role {TILL_ROLE} was granted {right} on {table}" for right in granted]
