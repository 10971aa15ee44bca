"""Opening a database: SQLite by default, any SQLAlchemy URL otherwise.

SQLite runs in WAL mode with synchronous=FULL so that a committed sale is on
disk before the till says so, and every transaction starts with BEGIN
IMMEDIATE: two processes that both read then write would otherwise deadlock
on the lock upgrade, which busy_timeout cannot resolve.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from cassa.engine.errors import CassaError

__all__ = ["Database", "database_url", "open_database"]

DEFAULT_URL = "sqlite:///cassa.db"


def database_url(value: str | None) -> str:
    """Accept a URL or a plain path to a SQLite file."""
    if not value:
        return DEFAULT_URL
    if "://" in value:
        return value
    return f"sqlite:///{Path(value)}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    # A REPLACE then fires the DELETE guards too (cassa.engine.storage.guards).
    cursor.execute("PRAGMA recursive_triggers=ON")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
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

    def session(self) -> Session:
        return self.sessions()

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
                "the database needs a newer schema and this connection's role may not change "
                "it: run `cassa db upgrade --db URL` with the owner's URL"
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
        database.migrate()
    return database
