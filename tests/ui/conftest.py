"""Fixtures of the till app's view-model tests: the demo store with its staff on a fresh
SQLite database, a fixed clock, simulated devices (printer, terminal, RT on loopback)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from ui_support import DEMO, Clock, login

from cassa.engine.storage.db import Database, open_database
from cassa.engine.till import Till
from cassa.ui.app import Screen, TillApp
from cassa.ui.devices import UiDevices
from cassa.ui.server import ensure_store


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ui_database(tmp_path: Path) -> Iterator[Database]:
    database = open_database(f"sqlite:///{tmp_path / 'till.db'}")
    ensure_store(database, DEMO)
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture
def devices(ui_database: Database) -> Iterator[UiDevices]:
    till = Till.open(ui_database, till="T01")
    opened = UiDevices.simulated(ui_database, till, terminal_hang=0.2)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def app(ui_database: Database, devices: UiDevices, clock: Clock) -> TillApp:
    """The till, nobody logged in."""
    return TillApp.open(ui_database, devices=devices, clock=clock)


@pytest.fixture
def selling(app: TillApp) -> TillApp:
    """anna logged in, the day open with 100.00: the sale screen."""
    login(app)
    assert app.screen is Screen.OPENING
    for key in "100":
        app.opening.press(key)
    assert app.opening.submit()
    assert app.screen is Screen.SALE
    return app
