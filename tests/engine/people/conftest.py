"""Fixtures for people: the demo store with its employees, and a second store.

``staffed_till``
    The ``till`` fixture (demo store, till T01, day open, clock at NOW) with
    the demo's employees imported from ``examples/demo/employees.yaml``, opened
    again with nobody logged in (as ``Till.open`` without credentials gives it).
``second_store``
    A function adding store RM01 (till R01) to the database, using the
    demo's catalog and a given pack folder (the demo pack by default).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
from people_data import DEMO, DEMO_PACK

from cassa.engine.people import import_store_employees
from cassa.engine.storage.catalog import import_store
from cassa.engine.storage.db import Database
from cassa.engine.storefiles import StoreData, TillInfo
from cassa.engine.till import Till


@pytest.fixture
def staffed_till(till: Till) -> Till:
    import_store_employees(
        till.database, DEMO, store=till.store.code, pack=till.pack, clock=till.now
    )
    return Till.open(till.database, till=till.code, clock=till.clock)


@pytest.fixture
def second_store(database: Database, demo_store: StoreData) -> Callable[..., str]:
    def add(pack: Path = DEMO_PACK, code: str = "RM01") -> str:
        store = dataclasses.replace(
            demo_store,
            code=code,
            name="Bottega Demo Roma",
            pack=str(pack),
            tills=[TillInfo(f"R{code[-2:]}", "Cassa Roma")],
        )
        import_store(database, store)
        return code

    return add
