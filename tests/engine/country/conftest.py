"""Fixtures for the country packs: a till of the Italian, Polish or French demo store
(examples/it-store, pl-store, fr-store) on a real database, with a clock tests can move."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from staffing import logged_in

from cassa.devices.fiscal.simulator import RtSimulator
from cassa.engine.fiscal import MemorySigner
from cassa.engine.storage.catalog import import_store
from cassa.engine.storage.db import Database
from cassa.engine.storefiles import load_store
from cassa.engine.till import Till

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
SIGNER = MemorySigner()  # the till's signing key in these tests


class Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


OpenTill = Callable[..., Till]


@pytest.fixture
def open_till(database: Database) -> OpenTill:
    """`open_till("pl-store", role="cashier")`: the store imported, its till open for the day."""

    def make(store: str, *, role: str | None = None, at: datetime | None = None) -> Till:
        import_store(database, load_store(EXAMPLES / store))
        clock = Clock(at or datetime(2026, 7, 6, 8, 0, tzinfo=UTC))
        till = Till.open(database, clock=clock)
        if role is not None:
            logged_in(till, "anna", role)
        till.signer = SIGNER  # the French pack closes no day unsigned
        till.open_day("100.00")
        return till

    return make


@pytest.fixture
def rt() -> Iterator[RtSimulator]:
    """The Italian RT fiscal printer, simulated on a loopback port."""
    with RtSimulator(timezone="Europe/Rome") as simulator:
        yield simulator
