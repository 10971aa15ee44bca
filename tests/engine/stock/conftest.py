"""A copy of the demo store (shop floor, back room) with four tills and a negative stock
policy of its own: jewellery (accessories) refused below zero, food warned, the rest allowed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from staffing import ANNA

from cassa.engine.storage.catalog import import_store
from cassa.engine.storage.db import Database
from cassa.engine.storefiles import load_store
from cassa.engine.till import Till

ROOT = Path(__file__).resolve().parents[3]

STOCK_RULES = """\
apiVersion: cassa/v1
kind: StockRules
negative_stock:
  default: allow
  groups: {accessories: refuse, food: warn}
"""


@pytest.fixture
def store_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    shutil.copytree(ROOT / "examples" / "demo", folder)
    (folder / "pack" / "stock-rules.yaml").write_text(STOCK_RULES, encoding="utf-8")
    store = folder / "store.yaml"
    store.write_text(
        store.read_text(encoding="utf-8").replace(
            "  - {code: T02, name: Cassa 2}\n",
            "  - {code: T02, name: Cassa 2}\n  - {code: T03, name: Cassa 3}\n"
            "  - {code: T04, name: Cassa 4}\n",
        ),
        encoding="utf-8",
    )
    return folder


@pytest.fixture
def shop(database: Database, store_folder: Path, till: Till) -> Till:
    """Till T01 of the store copy, day open, the cashier anna logged in."""
    import_store(database, load_store(store_folder))
    opened = Till.open(database, credentials=ANNA, clock=till.clock)
    return opened
