"""The databases tests run on: a SQLite file, and PostgreSQL where one answers.

`BACKENDS` are the parameters of a fixture (the `postgresql` one carries the `postgres`
marker and is skipped without CASSA_TEST_DATABASE_URL); `database_on` opens one of them
for a test: a file in its `tmp_path`, or a fresh schema (`t_<random>`) dropped after it,
migrated by the owner and used by the till's role (`TILL_ROLE`).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from sqlalchemy.engine import make_url

from cassa.engine.storage.db import Database, open_database
from cassa.engine.storage.guards import TILL_ROLE

POSTGRES_URL = os.environ.get("CASSA_TEST_DATABASE_URL", "")

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgresql",
        id="postgresql",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(
                not POSTGRES_URL,
                reason="set CASSA_TEST_DATABASE_URL=postgresql://… to run on PostgreSQL",
            ),
        ],
    ),
]


class DatabaseURL(NamedTuple):
    """Where a test's database lives, in a form a child process can receive too."""

    url: str  # the till's connection
    engine_options: dict[str, Any]
    dialect: str
    owner_url: str = ""  # the migrations' connection (SQLite: the same)

    def open(self, *, migrate: bool = True) -> Database:
        return open_database(self.url, migrate=migrate, **self.engine_options)

    def owner(self) -> Database:
        return open_database(self.owner_url or self.url, migrate=False, **self.engine_options)


@contextmanager
def database_on(backend: str, tmp_path: Path) -> Iterator[DatabaseURL]:
    if backend == "sqlite":
        yield DatabaseURL(f"sqlite:///{tmp_path / 'cassa.db'}", {}, "sqlite")
        return
    if not POSTGRES_URL.startswith("postgresql"):
        pytest.fail(f"CASSA_TEST_DATABASE_URL must be a postgresql:// URL, not {POSTGRES_URL!r}")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = Database(POSTGRES_URL)
    try:
        with admin.engine.begin() as connection:
            # pg_trgm once for the whole database, outside the test's schema (dropped after it)
            connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
            connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
        options = {"connect_args": {"options": f"-csearch_path={schema}"}}
        open_database(POSTGRES_URL, **options).dispose()  # the owner migrates
        till_url = make_url(POSTGRES_URL).set(username=TILL_ROLE, password=None)
        yield DatabaseURL(
            till_url.render_as_string(hide_password=False), options, "postgresql", POSTGRES_URL
        )
        with admin.engine.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    finally:
        admin.dispose()
