"""The audit log only grows; no password or PIN is ever stored or logged readably."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from people_data import CARDS, PASSWORDS, PINS
from sqlalchemy import delete, inspect, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from cassa.engine.people import AuditEvent, AuditLog, AuditTampering, Authority
from cassa.engine.storage.db import Database
from cassa.engine.storage.models import AuditEventRow
from cassa.engine.till import Till

MOMENT = datetime(2026, 7, 5, 10, 0, tzinfo=UTC)


@pytest.fixture
def log(database: Database) -> AuditLog:
    audit = AuditLog(database)
    audit.record(AuditEvent.LOGIN, MOMENT, subject="anna", till="T01", detail={"method": "card"})
    return audit


def stored(database: Database) -> list[tuple[int, str, str | None]]:
    with database.session() as session:
        rows = session.scalars(select(AuditEventRow).order_by(AuditEventRow.id))
        return [(row.id, row.event, row.subject) for row in rows]


def test_an_event_is_recorded_with_its_details(log: AuditLog) -> None:
    [record] = log.events()
    assert (record.event, record.subject, record.till) == ("login", "anna", "T01")
    assert record.at == MOMENT
    assert record.detail == {"method": "card"}
    assert record.as_json()["at"] == "2026-07-05T10:00:00+00:00"


def test_the_orm_refuses_to_change_or_delete_an_audit_row(
    log: AuditLog, database: Database
) -> None:
    before = stored(database)

    def change(session: Session) -> None:
        session.scalars(select(AuditEventRow)).one().subject = "marco"

    def remove(session: Session) -> None:
        session.delete(session.scalars(select(AuditEventRow)).one())

    for edit in (change, remove):
        with database.session() as session:
            edit(session)
            with pytest.raises(AuditTampering):
                session.commit()
    with database.session() as session, pytest.raises(AuditTampering):
        session.execute(update(AuditEventRow).values(subject="marco"))
    with database.session() as session, pytest.raises(AuditTampering):
        session.execute(delete(AuditEventRow))
    assert stored(database) == before


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_log SET subject = 'marco'", "DELETE FROM audit_log"],
    ids=["update", "delete"],
)
def test_the_database_itself_refuses_the_owner_to_change_or_delete_an_audit_row(
    log: AuditLog, owner_database: Database, statement: str
) -> None:
    before = stored(owner_database)
    with (
        pytest.raises(DBAPIError, match="the audit log is append-only"),
        owner_database.engine.begin() as connection,
    ):
        connection.execute(text(statement))
    assert stored(owner_database) == before


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_log SET subject = 'marco'", "DELETE FROM audit_log"],
    ids=["update", "delete"],
)
def test_the_till_connection_may_not_change_or_delete_an_audit_row(
    log: AuditLog, database: Database, statement: str
) -> None:
    # PostgreSQL stops the till's role at the grant, before the trigger; SQLite has no
    # roles and the trigger answers.
    refusal = (
        "the audit log is append-only"
        if database.engine.dialect.name == "sqlite"
        else "permission denied for table audit_log"
    )
    before = stored(database)
    with pytest.raises(DBAPIError, match=refusal), database.engine.begin() as connection:
        connection.execute(text(statement))
    assert stored(database) == before


def test_the_append_only_triggers_exist_after_migrating(database: Database) -> None:
    if database.engine.dialect.name == "sqlite":
        with database.engine.connect() as connection:
            names = set(
                connection.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
            )
        assert {"audit_log_no_update", "audit_log_no_delete"} <= names
    else:
        with database.engine.connect() as connection:
            names = set(
                connection.scalars(
                    text(
                        "SELECT tgname FROM pg_trigger "
                        "WHERE tgrelid = 'audit_log'::regclass AND NOT tgisinternal"
                    )
                )
            )
        assert {"audit_log_no_change", "audit_log_no_truncate"} <= names
    assert "audit_log" in inspect(database.engine).get_table_names()


def test_no_password_or_pin_is_kept_or_logged_readably(
    staffed_till: Till, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger,
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")  # SQL and its parameters too
    people = staffed_till.employees().people
    secrets = [
        *PASSWORDS.values(),
        "a-wrong-password",
        "temporanea-2026",
        "scelta-personale-2026",
        "482913",  # a PIN
    ]
    people.reset_password("marco", PASSWORDS["marco"], by=Authority.system("test"), pin="482913")
    staffed_till.login("anna", PASSWORDS["anna"])
    with pytest.raises(Exception, match="wrong username or password"):
        staffed_till.login("anna", "a-wrong-password")
    staffed_till.login(card=CARDS["anna"], pin=PINS["anna"])
    staffed_till.authorize("open_drawer", username="marco", password=PASSWORDS["marco"])
    staffed_till.require("open_drawer")
    people.reset_password("anna", "temporanea-2026", by=people.authority("lucia"))
    staffed_till.login("anna", "temporanea-2026", new_password="scelta-personale-2026")
    staffed_till.login("bruno", PASSWORDS["bruno"])
    staffed_till.login("lucia", PASSWORDS["lucia"])
    assert "UPDATE employees SET password_hash" in caplog.text  # SQL and parameters were logged

    for secret in secrets:
        assert secret not in caplog.text, f"{secret!r} was logged"
    values = _every_stored_value(staffed_till.database)
    for secret in secrets:
        assert not any(secret in value for value in values), f"{secret!r} is in the database"
    url = staffed_till.database.engine.url
    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        files = [Path(url.database), Path(f"{url.database}-wal")]
        raw = b"".join(f.read_bytes() for f in files if f.exists())
        assert len(raw) > 0
        for secret in secrets:
            assert secret.encode() not in raw, f"{secret!r} is in the database file"
            assert secret.encode("utf-16-le") not in raw


def _every_stored_value(database: Database) -> list[str]:
    values: list[str] = []
    with database.engine.connect() as connection:
        for table in inspect(database.engine).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                values.extend(str(value) for value in row)
    return values
