"""The database refuses to change what money touched, whoever asks it.

A paid sale leaves rows in every protected table; then someone with the database
tries to rewrite them: plain UPDATE and DELETE, SQLite's `INSERT OR REPLACE` (which
deletes the old row without firing DELETE triggers) and upserts, from a connection
of their own with none of the till's settings. On PostgreSQL the till's role may
not UPDATE, DELETE, TRUNCATE or switch the triggers off at all. Whatever is
dropped, disabled or widened, `missing_guards` (and so `cassa audit verify`) says.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from cassa.engine.storage.db import Database
from cassa.engine.storage.guards import APPEND_ONLY, TILL_ROLE, missing_guards
from cassa.engine.till import Till

PROTECTED = [guarded.table for guarded in APPEND_ONLY]
# What a paid sale writes (the other protected tables get the same guards, made alike).
SALE_WRITES = ["payments", "cash_movements", "sale_stats", "sale_group_stats"]


@pytest.fixture
def paid_sale(till: Till) -> Till:
    """A receipt paid in cash, reprinted once: a row in most protected tables."""
    till.scan("CHOC-MILK", 2)
    window = till.checkout()
    window.add("cash", "10.00")
    window.approve()
    return till


def a_row_key(database: Database, table: str) -> dict[str, object] | None:
    key = next(g.keys[0] for g in APPEND_ONLY if g.table == table)
    names = ", ".join(f'"{c}"' for c in key)
    with database.engine.connect() as connection:
        row = connection.execute(text(f'SELECT {names} FROM "{table}" LIMIT 1')).first()
    return None if row is None else dict(zip(key, row, strict=True))


@pytest.fixture
def raw_file(paid_sale: Till, database_url) -> Iterator[sqlite3.Connection]:
    """The till's SQLite file opened by someone else: no pragmas, no recursive triggers."""
    if database_url.dialect != "sqlite":
        pytest.skip("SQLite's own attack forms")
    connection = sqlite3.connect(Path(database_url.url.removeprefix("sqlite:///")))
    connection.isolation_level = None
    yield connection
    connection.close()


def protected_with_rows(database: Database) -> list[str]:
    return [table for table in PROTECTED if a_row_key(database, table) is not None]


def test_a_paid_sale_leaves_rows_in_the_protected_money_tables(paid_sale: Till) -> None:
    assert set(SALE_WRITES) <= set(protected_with_rows(paid_sale.database))


@pytest.mark.parametrize("table", SALE_WRITES)
def test_insert_or_replace_cannot_rewrite_a_protected_row(
    raw_file: sqlite3.Connection, paid_sale: Till, table: str
) -> None:
    key = a_row_key(paid_sale.database, table)
    assert key is not None
    before = raw_file.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()
    columns = [d[0] for d in raw_file.execute(f'SELECT * FROM "{table}"').description]
    row = dict(zip(columns, before[0], strict=True))
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw_file.execute(
            f'INSERT OR REPLACE INTO "{table}" ({names}) VALUES ({marks})', list(row.values())
        )
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw_file.execute(f'REPLACE INTO "{table}" ({names}) VALUES ({marks})', list(row.values()))
    conflict = ", ".join(f'"{c}"' for c in key)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw_file.execute(
            f'INSERT INTO "{table}" ({names}) VALUES ({marks}) '
            f'ON CONFLICT ({conflict}) DO UPDATE SET "{columns[-1]}" = excluded."{columns[-1]}"',
            list(row.values()),
        )
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw_file.execute(f'UPDATE "{table}" SET "{columns[-1]}" = "{columns[-1]}"')
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw_file.execute(f'DELETE FROM "{table}"')
    assert raw_file.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall() == before


def test_insert_or_replace_cannot_rewrite_an_approved_document(
    raw_file: sqlite3.Connection, paid_sale: Till
) -> None:
    document = raw_file.execute(
        "SELECT id, number FROM documents WHERE status = 'approved'"
    ).fetchone()
    with pytest.raises(sqlite3.IntegrityError, match="approved document"):
        raw_file.execute(
            "INSERT OR REPLACE INTO documents (id, doc_type, status, store, till, currency, "
            "direction, operator, created_at, note, inputs, reverse_charge, split_payment, "
            "split_payment_manual) SELECT id, doc_type, 'draft', store, till, currency, "
            "direction, operator, created_at, note, inputs, 0, 0, 0 FROM documents WHERE id = ?",
            (document[0],),
        )
    with pytest.raises(sqlite3.IntegrityError, match="approved document"):
        # Another id with the same number: REPLACE would delete the approved one.
        raw_file.execute(
            "INSERT OR REPLACE INTO documents (id, doc_type, status, store, till, currency, "
            "direction, operator, created_at, number, note, inputs, reverse_charge, "
            "split_payment, split_payment_manual) SELECT 'forged', doc_type, 'draft', store, "
            "till, currency, direction, operator, created_at, number, note, inputs, 0, 0, 0 "
            "FROM documents WHERE id = ?",
            (document[0],),
        )
    line = raw_file.execute(
        "SELECT id FROM document_lines WHERE document_id = ?", (document[0],)
    ).fetchone()
    with pytest.raises(sqlite3.IntegrityError, match="approved document"):
        raw_file.execute(
            "INSERT OR REPLACE INTO document_lines SELECT * FROM document_lines WHERE id = ?",
            (line[0],),
        )
    with pytest.raises(sqlite3.IntegrityError, match="approved document"):
        raw_file.execute(
            "INSERT INTO document_vat SELECT document_id, 'X', percent, net, vat, gross "
            "FROM document_vat WHERE document_id = ?",
            (document[0],),
        )
    assert raw_file.execute(
        "SELECT number FROM documents WHERE id = ?", (document[0],)
    ).fetchone() == (document[1],)


@pytest.mark.parametrize("table", ["payments", "cash_movements", "sale_stats"])
def test_the_till_connection_cannot_change_money_rows_either(paid_sale: Till, table: str) -> None:
    refused = r"append-only|permission denied"
    with pytest.raises(DBAPIError, match=refused), paid_sale.database.engine.begin() as c:
        c.execute(text(f'DELETE FROM "{table}"'))
    with pytest.raises(DBAPIError, match=refused), paid_sale.database.engine.begin() as c:
        c.execute(text(f'UPDATE "{table}" SET "till" = \'T99\''))


def test_an_intact_database_has_every_guard(paid_sale: Till) -> None:
    with paid_sale.database.engine.connect() as connection:
        assert missing_guards(connection) == []


# -- dropped, replaced, disabled, widened: reported ------------------------------------------
def test_a_dropped_sqlite_guard_is_reported(raw_file: sqlite3.Connection, paid_sale: Till) -> None:
    raw_file.execute("DROP TRIGGER payments_no_update")
    raw_file.execute("DROP TRIGGER documents_approved_no_replace")
    with paid_sale.database.engine.connect() as connection:
        problems = missing_guards(connection)
    assert any("payments_no_update is missing" in p for p in problems), problems
    assert any("documents_approved_no_replace is missing" in p for p in problems), problems


def test_a_sqlite_guard_replaced_by_one_that_refuses_nothing_is_reported(
    raw_file: sqlite3.Connection, paid_sale: Till
) -> None:
    raw_file.execute("DROP TRIGGER cash_movements_no_delete")
    raw_file.execute(
        "CREATE TRIGGER cash_movements_no_delete BEFORE DELETE ON cash_movements "
        "WHEN 0 BEGIN SELECT RAISE(ABORT, 'cash_movements is append-only'); END"
    )
    with paid_sale.database.engine.connect() as connection:
        problems = missing_guards(connection)
    assert problems == [
        "the guard cash_movements_no_delete was replaced: it does not refuse what it should"
    ]


@pytest.fixture
def postgres_owner(paid_sale: Till, database_url, owner_database: Database) -> Database:
    if database_url.dialect != "postgresql":
        pytest.skip("PostgreSQL's roles")
    return owner_database


@pytest.mark.postgres
@pytest.mark.parametrize(
    "attack",
    [
        "TRUNCATE payments",
        "TRUNCATE fiscal_chain",
        "ALTER TABLE payments DISABLE TRIGGER ALL",
        "DROP TRIGGER payments_no_change ON payments",
        "SET session_replication_role = replica",
        "INSERT INTO payments SELECT * FROM payments ON CONFLICT (id) DO UPDATE SET till = 'X'",
    ],
)
def test_the_till_role_cannot_switch_the_guards_off(
    postgres_owner: Database, paid_sale: Till, attack: str
) -> None:
    with pytest.raises(DBAPIError), paid_sale.database.engine.begin() as connection:
        connection.execute(text(attack))
    with paid_sale.database.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM payments")).scalar() > 0
        assert missing_guards(connection) == []


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("attack", "reported"),
    [
        (
            "ALTER TABLE payments DISABLE TRIGGER payments_no_change",
            "payments_no_change on payments is disabled",
        ),
        (
            "ALTER TABLE cash_movements ENABLE REPLICA TRIGGER cash_movements_no_change",
            "cash_movements_no_change on cash_movements is disabled",
        ),
        (
            "DROP TRIGGER fiscal_chain_no_change ON fiscal_chain",
            "fiscal_chain_no_change on fiscal_chain is missing",
        ),
        (f"GRANT UPDATE ON payments TO {TILL_ROLE}", "was granted UPDATE on payments"),
        (f"GRANT ALL ON sale_stats TO {TILL_ROLE}", "was granted DELETE on sale_stats"),
        (
            "CREATE OR REPLACE FUNCTION cassa_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RETURN NULL; END $$",
            "cassa_append_only was changed",
        ),
        (
            "CREATE OR REPLACE FUNCTION cassa_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN /* RAISE EXCEPTION */ RETURN NULL; END $$",
            "cassa_append_only was changed",
        ),
        (f"GRANT UPDATE (amount) ON payments TO {TILL_ROLE}", "UPDATE on a column on payments"),
        (f"GRANT TRUNCATE ON documents TO {TILL_ROLE}", "was granted TRUNCATE on documents"),
        (f"REVOKE INSERT ON payments FROM {TILL_ROLE}", "may not INSERT on payments"),
        (
            "DROP TRIGGER documents_approved_frozen ON documents; CREATE TRIGGER "
            "documents_approved_frozen BEFORE UPDATE OR DELETE ON documents FOR EACH ROW "
            "WHEN (false) EXECUTE FUNCTION approved_document_frozen()",
            "documents_approved_frozen on documents was given another condition",
        ),
        (
            "DROP TRIGGER payments_no_change ON payments; CREATE TRIGGER payments_no_change "
            "BEFORE INSERT ON payments FOR EACH ROW EXECUTE FUNCTION cassa_append_only()",
            "payments_no_change on payments was replaced",
        ),
    ],
)
def test_what_the_owner_switches_off_is_reported(
    postgres_owner: Database, attack: str, reported: str
) -> None:
    with postgres_owner.engine.begin() as connection:
        connection.execute(text(attack))
    with postgres_owner.engine.connect() as connection:
        problems = missing_guards(connection)
    assert any(reported in p for p in problems), problems
