"""Fixtures shared by every test.

The database fixtures run each test on every backend Cassa supports:

- ``sqlite``: a real database file in the test's ``tmp_path`` (WAL, like a till);
- ``postgresql``: only when ``CASSA_TEST_DATABASE_URL`` names a PostgreSQL server,
  e.g. ``postgresql://postgres@127.0.0.1:5432/test``. Each test gets its own
  freshly created schema (``t_<random>``), migrated by that URL's role (the owner)
  and dropped afterwards, so tests never see each other's rows; the test then
  connects as the till's restricted role (``cassa_till``: SELECT and INSERT only on
  protected tables), as a till does. These tests carry the ``postgres`` marker.

Fixtures:

``database_url``
    A :class:`DatabaseURL`: ``.url`` and ``.engine_options`` to give to
    ``open_database(url, **engine_options)`` (from a test or a child process),
    ``.open()`` to do just that, ``.dialect`` ("sqlite" or "postgresql"),
    ``.owner()`` the same database as the owner (migrations, tampering tests).
``database``
    A migrated, empty :class:`~cassa.engine.storage.db.Database` on that URL,
    disposed after the test.
``owner_database``
    The same database opened as its owner (on SQLite: the same file).
``demo_store``
    The demo store (``examples/demo``) as loaded from its files (session-wide:
    do not modify it).
``till``
    A :class:`~cassa.engine.till.Till` of the demo store (till T01) on ``database``,
    its staff imported and the cashier "anna" logged in (``staffing.ANNA``), with the
    day open and a fixed clock at ``NOW`` (2026-07-05 10:30 UTC). Assign
    ``till.clock`` for another moment.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

import pytest
from backends import BACKENDS, DatabaseURL, database_on
from staffing import ANNA

from cassa.engine.people import import_store_employees
from cassa.engine.storage.catalog import import_store
from cassa.engine.storage.db import Database
from cassa.engine.storefiles import StoreData, load_store
from cassa.engine.till import Till
from cassa.i18n import strict_catalogs

# Every message shown during the tests must be in the catalogs: rendering one that is
# not fails, here and in the till servers the tests start.
os.environ["CASSA_STRICT_CATALOGS"] = "1"
strict_catalogs()

ROOT = Path(__file__).resolve().parents[1]
DEMO_STORE = ROOT / "examples" / "demo"
NOW = datetime(2026, 7, 5, 10, 30, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DatabaseURL]:
    with database_on(request.param, tmp_path) as found:
        yield found


@pytest.fixture
def database(database_url: DatabaseURL) -> Iterator[Database]:
    opened = database_url.open()
    try:
        yield opened
    finally:
        opened.dispose()


@pytest.fixture
def owner_database(database_url: DatabaseURL, database: Database) -> Iterator[Database]:
    opened = database_url.owner()
    try:
        yield opened
    finally:
        opened.dispose()


@pytest.fixture(scope="session")
def demo_store() -> StoreData:
    return load_store(DEMO_STORE)


@pytest.fixture
def till(database: Database, demo_store: StoreData) -> Till:
    import_store(database, demo_store)
    opened = Till.open(database, clock=lambda: NOW)
    import_store_employees(
        database, DEMO_STORE, store=opened.store.code, pack=opened.pack, clock=opened.now
    )
    opened.log_in(ANNA)
    opened.open_day("100.00")
    return opened


@pytest.fixture
def exit_stack() -> Iterator[ExitStack]:
    """Context managers a test enters, left when it ends (last entered, first left)."""
    with ExitStack() as stack:
        yield stack
