"""Seeded tampering with a closed, exported day: `verify` against the exported closing finds
every one, on SQLite and on PostgreSQL.

One day in which money moves every way (money_day) is made once per backend by the
till (on PostgreSQL as its restricted role) and its closings are exported. Each
tampering then runs as the database's owner in a transaction that is rolled back
afterwards: someone with the database changes what the day holds - a field of any
hashed row or money row (the guards lifted and put back exactly, so they give nothing
away), with the chain recomputed or not, forged rows, deleted rows, the chain cut short
with its counters moved back, guards dropped or weakened, rights widened - and
`verify_chains` over that transaction, held to the exported closing, must fail.
Every kind runs ROUNDS seeded tamperings; a miss names its seed and what was done.
"""

from __future__ import annotations

import contextlib
import os
import random
import string
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from backends import BACKENDS, database_on
from money_day import anchors_of, money_day, money_store, open_money_till
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError
from tamper_support import rechain

from cassa.engine.fiscal import HASHED, Anchor, MemorySigner, verify_chains
from cassa.engine.fiscal._money import MONEY_TABLES
from cassa.engine.storage.db import Database
from cassa.engine.storage.guards import (
    APPEND_ONLY,
    TILL_ROLE,
    postgresql_triggers,
    sqlite_triggers,
)

# Tamperings of each kind on each backend (CASSA_TAMPER_ROUNDS for a longer hunt).
ROUNDS = int(os.environ.get("CASSA_TAMPER_ROUNDS", "100"))
CHAIN = "T01"
APPROVED = "document_id IN (SELECT id FROM documents WHERE status = 'approved')"
# The rows each hashed table puts under the chain.
TARGETS = {
    "documents": "status = 'approved'",
    "document_lines": APPROVED,
    "document_vat": APPROVED,
    "print_history": '"copy" > 1',
    "fiscal_closings": "1 = 1",
    "fiscal_chain": "1 = 1",
    **{table.name: "1 = 1" for table in MONEY_TABLES},
}
MONEY = [table.name for table in MONEY_TABLES]


@dataclass(frozen=True)
class Day:
    backend: str
    owner: Database
    anchors: list[Anchor]


@pytest.fixture(scope="module", params=BACKENDS)
def day(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Day]:
    folder = tmp_path_factory.mktemp("tampered-day")
    with database_on(request.param, folder) as url:
        database = url.open()
        money_day(open_money_till(database, money_store(folder)))
        anchors = anchors_of(database, folder)
        database.dispose()
        owner = url.owner()
        try:
            yield Day(request.param, owner, anchors)
        finally:
            owner.dispose()


Tamper = Callable[[Connection, random.Random, Day], str]


def missed(day: Day, tamper: Tamper, rounds: int = ROUNDS) -> list[str]:
    """The tamperings `verify` did not find: '<seed>: <what was done>'."""
    misses = []
    for seed in range(rounds):
        with day.owner.engine.connect() as connection:
            transaction = connection.begin()
            try:
                done = tamper(connection, random.Random(seed), day)
                report = verify_chains(connection, signed_kinds={"closing"}, anchors=day.anchors)
                if report.ok:
                    misses.append(f"{seed}: {done}")
            finally:
                transaction.rollback()
    return misses


# -- the owner's means ----------------------------------------------------------------------------
@contextlib.contextmanager
def lifted(connection: Connection) -> Iterator[None]:
    """The guards off for a while, then back exactly as they were."""
    if connection.dialect.name == "sqlite":
        for name, _ in sqlite_triggers():
            connection.exec_driver_sql(f'DROP TRIGGER IF EXISTS "{name}"')
        yield
        for _, statement in sqlite_triggers():
            connection.exec_driver_sql(statement)
    else:  # the owner (a superuser here) switches triggers off for its own transaction
        connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
        yield
        connection.exec_driver_sql("SET LOCAL session_replication_role = origin")


def handle(connection: Connection) -> str:
    """A row's physical address: its rowid or ctid."""
    return "rowid" if connection.dialect.name == "sqlite" else "ctid"


def at_handle(connection: Connection) -> str:
    return "rowid = :h" if connection.dialect.name == "sqlite" else "ctid = CAST(:h AS tid)"


def rows_of(connection: Connection, table: str) -> list[Any]:
    found = connection.execute(
        text(f'SELECT {handle(connection)} FROM "{table}" WHERE {TARGETS[table]}')
    ).all()
    return [str(row[0]) if connection.dialect.name != "sqlite" else row[0] for row in found]


def attempt(connection: Connection, statement: str, params: dict[str, Any]) -> bool:
    """Run one change in a savepoint; False (and nothing changed) when the database refuses
    it (a key taken, a type or a reference that does not fit)."""
    savepoint = connection.begin_nested()
    try:
        connection.execute(text(statement), params)
    except DBAPIError:
        savepoint.rollback()
        return False
    savepoint.commit()
    return True


SKIP = object()


def other_value(value: Any, rng: random.Random, sqlite: bool) -> Any:
    """A different value of the same kind (SKIP: none that fits)."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + rng.choice([1, -1, 7, 1_000_000, -10_000_000])
    if isinstance(value, datetime):
        return value + timedelta(seconds=rng.randint(1, 10**6))
    if isinstance(value, date):
        return value + timedelta(days=rng.randint(1, 400))
    if isinstance(value, str):
        if not value:
            return "x"
        position = rng.randrange(len(value))
        choices = [c for c in string.ascii_letters + string.digits if c != value[position]]
        return value[:position] + rng.choice(choices) + value[position + 1 :]
    if value is None and sqlite:
        return rng.choice(["x", 1])
    return SKIP


def edit(
    connection: Connection, rng: random.Random, tables: list[str], *, recompute: bool = False
) -> str:
    """One field of one row of `tables` changed, under lifted guards; then the chain
    recomputed if asked."""
    sqlite = connection.dialect.name == "sqlite"
    with lifted(connection):
        for _ in range(200):
            table = rng.choice(tables)
            rows = rows_of(connection, table)
            if not rows:
                continue
            row = rng.choice(rows)
            column = rng.choice(HASHED[table])
            value = connection.execute(
                text(f'SELECT "{column}" FROM "{table}" WHERE {at_handle(connection)}'), {"h": row}
            ).scalar()
            new = other_value(value, rng, sqlite)
            if new is SKIP:
                continue
            if attempt(
                connection,
                f'UPDATE "{table}" SET "{column}" = :v WHERE {at_handle(connection)}',
                {"v": new, "h": row},
            ):
                done = f"{table}.{column}: {value!r} -> {new!r}"
                return f"{done}; {recomputed(connection, rng)}" if recompute else done
    raise AssertionError("no field could be changed")


def recomputed(connection: Connection, rng: random.Random) -> str:
    """The chain's hashes recomputed (guards lifted), its signatures kept or made with
    another key."""
    signer = rng.choice([None, MemorySigner()])
    savepoint = connection.begin_nested()
    try:
        rechain(connection, CHAIN, signer=signer)
    except (LookupError, DBAPIError, TypeError, ValueError):
        savepoint.rollback()  # what the edit left cannot be read back: no new hashes
        return "not recomputed"
    savepoint.commit()
    return "recomputed, " + ("old signatures" if signer is None else "signed with another key")


# -- the kinds of tampering -------------------------------------------------------------------
def edits(connection: Connection, rng: random.Random, day: Day) -> str:
    return edit(connection, rng, sorted(TARGETS))


def edits_recomputed(connection: Connection, rng: random.Random, day: Day) -> str:
    return edit(connection, rng, sorted(TARGETS), recompute=True)


def money_edits(connection: Connection, rng: random.Random, day: Day) -> str:
    recompute = rng.random() < 0.5
    if rng.random() < 0.15:  # a voucher's balance: a table that changes, checked by its events
        number = rng.choice(
            [r[0] for r in connection.execute(text("SELECT number FROM stored_values"))]
        )
        delta = rng.choice([1, -1, 5_000_000, -20_000_000])
        connection.execute(
            text("UPDATE stored_values SET balance = balance + :d WHERE number = :n"),
            {"d": delta, "n": number},
        )
        done = f"stored_values {number} balance {delta:+}"
        if recompute:
            with lifted(connection):
                done = f"{done}; {recomputed(connection, rng)}"
        return done
    return edit(connection, rng, MONEY, recompute=recompute)


def new_key(connection: Connection, table: str, column: str, value: Any) -> Any:
    if isinstance(value, int):
        top = connection.execute(text(f'SELECT MAX("{column}") FROM "{table}"')).scalar()
        return int(top or 0) + 1000
    return str(uuid.uuid4()) if len(str(value)) >= 36 else f"F{uuid.uuid4().hex[:6]}"


def forged_inserts(connection: Connection, rng: random.Random, day: Day) -> str:
    """A forged row: a copy of a money row under a new key, or an approved document next in
    its series (counter moved), optionally slipped into a money link and the chain
    recomputed."""
    sqlite = connection.dialect.name == "sqlite"
    with lifted(connection):
        for _ in range(200):
            if rng.random() < 0.25:
                done = forged_document(connection, rng)
                if done:
                    break
                continue
            table = rng.choice([t for t in MONEY_TABLES if rows_of(connection, t.name)])
            row = rng.choice(rows_of(connection, table.name))
            values = dict(
                connection.execute(
                    text(f'SELECT * FROM "{table.name}" WHERE {at_handle(connection)}'), {"h": row}
                )
                .mappings()
                .one()
            )
            for column in table.key:
                if column == "document_id":
                    continue
                values[column] = new_key(connection, table.name, column, values[column])
            if "number" in values and table.name == "safe_movements":
                values["number"] = f"VS/F/{uuid.uuid4().hex[:8]}"
            columns = ", ".join(f'"{c}"' for c in values)
            marks = ", ".join(f":{c}" for c in values)
            if attempt(
                connection, f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})', values
            ):
                done = f"{table.name} forged from {row}"
                if rng.random() < 0.4:
                    done += "; " + listed(connection, rng, table.name, values, sqlite)
                break
        else:
            raise AssertionError("nothing could be forged")
    return done


def listed(
    connection: Connection, rng: random.Random, table: str, values: dict[str, Any], sqlite: bool
) -> str:
    """The forged row added to a money link's list, and the chain recomputed."""
    import json

    from cassa.engine.fiscal import canonical_value
    from cassa.engine.fiscal._money import BY_NAME

    links = connection.execute(
        text('SELECT "sequence", "rows" FROM fiscal_chain WHERE "kind" = \'money\'')
    ).all()
    sequence, rows = rng.choice(links)
    listed_rows = json.loads(rows)
    key = [canonical_value(values[c]) for c in BY_NAME[table].key]
    listed_rows["tables"].setdefault(table, []).append(key)
    connection.execute(
        text('UPDATE fiscal_chain SET "rows" = :r WHERE "chain" = :c AND "sequence" = :s'),
        {
            "r": json.dumps(listed_rows, sort_keys=True, separators=(",", ":")),
            "c": CHAIN,
            "s": sequence,
        },
    )
    return f"listed in link {sequence}; {recomputed(connection, rng)}"


def forged_document(connection: Connection, rng: random.Random) -> str:
    receipts = connection.execute(
        text(
            "SELECT id, doc_type, till, year, sequence FROM documents "
            "WHERE status = 'approved' AND doc_type = 'receipt'"
        )
    ).all()
    source, doc_type, till, year, _ = rng.choice(receipts)
    last = connection.execute(
        text("SELECT last FROM numbering WHERE doc_type = :t AND till = :c AND year = :y"),
        {"t": doc_type, "c": till, "y": year},
    ).scalar()
    sequence = int(last or 0) + 1
    number = f"S/{till}/{year}/{sequence:06d}"
    forged = str(uuid.uuid4())
    copied = (
        connection.execute(text("SELECT * FROM documents WHERE id = :id"), {"id": source})
        .mappings()
        .one()
    )
    values = {**copied, "id": forged, "number": number, "sequence": sequence}
    columns = ", ".join(f'"{c}"' for c in values)
    marks = ", ".join(f":{c}" for c in values)
    if not attempt(connection, f"INSERT INTO documents ({columns}) VALUES ({marks})", values):
        return ""
    connection.execute(
        text("UPDATE numbering SET last = :l WHERE doc_type = :t AND till = :c AND year = :y"),
        {"l": sequence, "t": doc_type, "c": till, "y": year},
    )
    return f"document {number} forged, its series moved on"


def deletions(connection: Connection, rng: random.Random, day: Day) -> str:
    """One hashed row deleted; a link at the chain's end with its counter moved back."""
    with lifted(connection):
        for _ in range(200):
            table = rng.choice(sorted(TARGETS))
            rows = rows_of(connection, table)
            if not rows:
                continue
            row = rng.choice(rows)
            if table == "documents":
                document = connection.execute(
                    text(f"SELECT id FROM documents WHERE {at_handle(connection)}"), {"h": row}
                ).scalar()
                for part in ("document_lines", "document_vat", *MONEY):
                    if part in ("cash_counts", "stored_value_events", "safe_movements"):
                        continue
                    if rng.random() < 0.7 and part not in ("fiscal_reports",):
                        connection.execute(
                            text(f'DELETE FROM "{part}" WHERE document_id = :d'), {"d": document}
                        )
            if attempt(
                connection, f'DELETE FROM "{table}" WHERE {at_handle(connection)}', {"h": row}
            ):
                done = f"{table} row {row} deleted"
                if table == "fiscal_chain" and rng.random() < 0.5:
                    connection.execute(
                        text(
                            "UPDATE numbering SET last = (SELECT COUNT(*) FROM fiscal_chain) "
                            "WHERE doc_type = 'fiscal-chain'"
                        )
                    )
                    done += ", the link counter moved back"
                return done
    raise AssertionError("nothing could be deleted")


def truncations(connection: Connection, rng: random.Random, day: Day) -> str:
    """The chain's last links and what they stand for removed, every counter moved back."""
    with lifted(connection):
        total = connection.execute(text("SELECT COUNT(*) FROM fiscal_chain")).scalar()
        keep = rng.randint(1, int(total or 1) - 1)
        gone = connection.execute(
            text(
                'SELECT "kind", "document_id", "rows", "closing_id" FROM fiscal_chain '
                'WHERE "sequence" > :k'
            ),
            {"k": keep},
        ).all()
        import json

        from cassa.engine.fiscal._money import BY_NAME

        for kind, document, rows, closing in reversed(gone):  # what refers to a row first
            if kind == "document":
                for part in ("document_lines", "document_vat"):
                    connection.execute(
                        text(f'DELETE FROM "{part}" WHERE document_id = :d'), {"d": document}
                    )
                connection.execute(text("DELETE FROM documents WHERE id = :d"), {"d": document})
            elif kind == "money":
                listed_rows = json.loads(rows)["tables"]
                for table in sorted(listed_rows, key=lambda name: name == "documents"):
                    keys = listed_rows[table]
                    spec = BY_NAME[table]
                    for key in keys:
                        where = " AND ".join(f'"{c}" = :{c}' for c in spec.key)
                        connection.execute(
                            text(f'DELETE FROM "{table}" WHERE {where}'),
                            dict(zip(spec.key, key, strict=True)),
                        )
            elif kind == "closing":
                connection.execute(
                    text("DELETE FROM fiscal_closings WHERE id = :i"), {"i": closing}
                )
        connection.execute(text('DELETE FROM fiscal_chain WHERE "sequence" > :k'), {"k": keep})
        connection.execute(
            text("UPDATE numbering SET last = :k WHERE doc_type = 'fiscal-chain'"), {"k": keep}
        )
        connection.execute(
            text(
                "UPDATE numbering SET last = COALESCE((SELECT MAX(d.sequence) FROM documents d "
                "WHERE d.doc_type = numbering.doc_type AND d.till = numbering.till "
                "AND d.year = numbering.year), 0) WHERE doc_type <> 'fiscal-chain'"
            )
        )
    return f"cut to {keep} of {total} links, counters moved back"


def dropped_guards(connection: Connection, rng: random.Random, day: Day) -> str:
    """A guard dropped, switched off or made to refuse nothing; the data left alone."""
    if connection.dialect.name == "sqlite":
        triggers = list(sqlite_triggers())
        name, statement = rng.choice(triggers)
        how = rng.choice(["drop", "weaken", "several"])
        if how == "several":
            names = rng.sample([n for n, _ in triggers], rng.randint(2, 6))
            for other in names:
                connection.exec_driver_sql(f'DROP TRIGGER "{other}"')
            return f"dropped {', '.join(names)}"
        connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
        if how == "weaken":
            table = statement.split(" ON ")[1].split()[0]
            event = statement.split("BEFORE ")[1].split()[0]
            connection.exec_driver_sql(
                f"CREATE TRIGGER {name} BEFORE {event} ON {table} WHEN 0 BEGIN SELECT 1; END"
            )
        return f"{how} {name}"
    table, trigger, function = rng.choice(list(postgresql_triggers()))
    how = rng.choice(["drop", "disable", "replica", "body", "comment", "events", "all"])
    statements = {
        "drop": f'DROP TRIGGER "{trigger}" ON "{table}"',
        "disable": f'ALTER TABLE "{table}" DISABLE TRIGGER "{trigger}"',
        "replica": f'ALTER TABLE "{table}" ENABLE REPLICA TRIGGER "{trigger}"',
        "body": f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql "
        "AS $$ BEGIN RETURN NEW; END $$",
        "comment": f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql "
        "AS $$ BEGIN /* RAISE EXCEPTION */ RETURN NEW; END $$",
        "events": f'DROP TRIGGER "{trigger}" ON "{table}"; CREATE TRIGGER "{trigger}" '
        f'AFTER INSERT ON "{table}" FOR EACH ROW EXECUTE FUNCTION {function}()',
        "all": f'ALTER TABLE "{table}" DISABLE TRIGGER USER',
    }
    connection.exec_driver_sql(statements[how])
    return f"{how}: {trigger} on {table}"


def widened_grants(connection: Connection, rng: random.Random, day: Day) -> str:
    """The till role given more than SELECT and INSERT where rows are never changed."""
    table = rng.choice([guarded.table for guarded in APPEND_ONLY])
    how = rng.choice(["right", "right", "all", "public", "column", "owner", "member"])
    right = rng.choice(["UPDATE", "DELETE", "TRUNCATE", "TRIGGER", "REFERENCES"])
    owner = connection.execute(text("SELECT current_user")).scalar()
    column = connection.execute(
        text(
            "SELECT column_name FROM information_schema.columns WHERE table_name = :t "
            "AND table_schema = current_schema() LIMIT 1"
        ),
        {"t": table},
    ).scalar()
    statements = {
        "right": f'GRANT {right} ON "{table}" TO {TILL_ROLE}',
        "all": f'GRANT ALL ON "{table}" TO {TILL_ROLE}',
        "public": f'GRANT {right} ON "{table}" TO PUBLIC',
        "column": f'GRANT UPDATE ("{column}") ON "{table}" TO {TILL_ROLE}',
        "owner": f'ALTER TABLE "{table}" OWNER TO {TILL_ROLE}',
        "member": f'GRANT "{owner}" TO {TILL_ROLE}',
    }
    connection.exec_driver_sql(statements[how])
    return f"{how}: {statements[how]}"


# -- the tests ----------------------------------------------------------------------------------
def test_the_untouched_day_verifies_against_its_exported_closing(day: Day) -> None:
    with day.owner.engine.connect() as connection, connection.begin():
        report = verify_chains(connection, signed_kinds={"closing"}, anchors=day.anchors)
    assert report.ok, report.problems


@pytest.mark.parametrize(
    "tamper",
    [edits, edits_recomputed, money_edits, forged_inserts, deletions, truncations, dropped_guards],
    ids=lambda tamper: tamper.__name__,
)
def test_every_tampering_is_found_against_the_exported_closing(day: Day, tamper: Tamper) -> None:
    assert missed(day, tamper) == []


def test_every_right_widened_for_the_till_role_is_found(day: Day) -> None:
    if day.backend != "postgresql":
        pytest.skip("SQLite has no roles: its file is guarded by triggers alone")
    assert missed(day, widened_grants) == []
