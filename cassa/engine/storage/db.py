"""Opening a database: SQLite by default, any SQLAlchemy URL otherwise.

SQLite runs in WAL mode with synchronous=FULL so that a committed sale is on
disk before the till says so, and every transaction starts with BEGIN
IMMEDIATE: two processes that both read then write would otherwise deadlock
on the lock upgrade, which busy_timeout cannot resolve. `Database.reader` is
for lookups that never write (the catalog service): a plain BEGIN on SQLite, so
they never wait for the write lock, and autocommit on PostgreSQL (one round
trip per query). `Database.draft_session` is for drafts: on SQLite they commit
with synchronous=NORMAL (in WAL mode: durable when the till process crashes,
the last moments may be lost if the machine loses power), approvals and
everything else with FULL.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from cassa.engine.errors import CassaError, NotFound
from cassa.i18n import _

__all__ = ["Database", "database_url", "open_database", "open_existing_database"]

DEFAULT_URL = "sqlite:///cassa.db"


def database_url(value: str | None) -> str:
    """Accept a URL or a plain path to a SQLite file."""
    if not value:
        return DEFAULT_URL
    if "://" in value:
        return value
    return f"sqlite:///{Path(value)}"


def _sqlite_pragmas(dbapi_connection: Any, record: Any) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
    # casefold(), as Python folds text: searches compare what PostgreSQL's lower() compares
    dbapi_connection.create_function("casefold", 1, _casefold, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    record.info["synchronous"] = "FULL"
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    # A REPLACE then fires the DELETE guards too (cassa.engine.storage.guards).
    cursor.execute("PRAGMA recursive_triggers=ON")
    cursor.close()


def _casefold(value: object) -> object:
    return value.casefold() if isinstance(value, str) else value


def _sqlite_begin(connection: Any) -> None:
    options = connection.get_execution_options()
    if options.get("cassa_reader", False):
        connection.exec_driver_sql("BEGIN")
        return
    # A draft's commit is written to the WAL without waiting for the disk (NORMAL): a
    # crash of the till loses nothing, a power cut may lose the last seconds of drafts;
    # every other commit (an approval, money, a closing) waits for the disk (FULL).
    wanted = "NORMAL" if options.get("cassa_draft", False) else "FULL"
    info = connection.connection.info
    if info.get("synchronous") != wanted:
        connection.exec_driver_sql(f"PRAGMA synchronous={wanted}")
        info["synchronous"] = wanted
    connection.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    def __init__(self, url: str, **engine_options: Any) -> None:
        self.url = database_url(url)
        parsed = make_url(self.url)
        if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        self.engine: Engine = create_engine(parsed, **engine_options)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        if self.engine.dialect.name == "sqlite":
            self.reader: Engine = self.engine.execution_options(cassa_reader=True)
        else:
            self.reader = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        # drafts (a scan, a line changed): durable against a crash, not yet a power cut
        self.drafts = sessionmaker(
            self.engine.execution_options(cassa_draft=True), expire_on_commit=False
        )

    def session(self) -> Session:
        return self.sessions()

    def draft_session(self) -> Session:
        """A session for saving drafts: on SQLite its commits do not wait for the disk."""
        return self.drafts()

    def migrate(self) -> None:
        """Bring the schema to the newest migration of every branch."""
        try:
            with self.engine.begin() as connection:
                config = alembic_config()
                config.attributes["connection"] = connection
                command.upgrade(config, "heads")
        except ProgrammingError as error:
            if getattr(error.orig, "sqlstate", None) != "42501":  # insufficient privilege
                raise
            raise CassaError(
                _(
                    "the database needs a newer schema and this connection's "
                    "role may not change it: run `cassa db upgrade --db URL` "
                    "with the owner's URL"
                )
            ) from error

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config() -> Config:
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("cassa.engine.storage") / "migrations")
    )
    return config


def open_database(url: str | None = None, *, migrate: bool = True, **options: Any) -> Database:
    database = Database(database_url(url), **options)
    if migrate:
        try:
            database.migrate()
        except DatabaseError as error:  # a directory, a file that is no database, no server
            database.dispose()
            raise _unopenable(database.url, error) from None
    return database


def _unopenable(url: str, error: DatabaseError) -> CassaError:
    shown = make_url(url).render_as_string(hide_password=True)
    reason = str(error.orig).strip() or type(error.orig).__name__
    return CassaError(_("cannot open the database at {url}: {reason}", url=shown, reason=reason))


def open_existing_database(url: str | None = None, **options: Any) -> Database:
    """A database that must already be there: the commands that only read say so
    instead of leaving an empty file behind a mistyped path."""
    full = database_url(url)
    parsed = make_url(full)
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database or ""
        if path in ("", ":memory:") or not Path(path).is_file():
            raise NotFound(_("no database at {path}", path=url or path))
        with Path(path).open("rb") as file:
            if file.read(16) != b"SQLite format 3\x00":
                raise NotFound(_("{path} is not a database", path=url or path))
    database = Database(full, **options)
    try:
        with database.engine.connect():
            pass
    except OperationalError:
        database.dispose()
        raise NotFound(_("no database at {path}", path=parsed.render_as_string())) from None
    try:
        database.migrate()
    except DatabaseError as error:
        database.dispose()
        raise _unopenable(database.url, error) from None
    return database
