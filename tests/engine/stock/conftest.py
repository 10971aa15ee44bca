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


# Two sets (seed "Gestione dei set"): one put on the document as its components, one sold
# as a single line; and one whose components may change, splitting it.
SETS = """\
  - sku: SET-BATH
    name: Set bagno
    group: bath
    type: set
    vat: "22"
    price: 20.00
    unit: pz
    insert_components: true
    components: [{sku: BATHMAT-01, quantity: 2}, {sku: LAMP-NIGHT}]
  - sku: SET-SPLIT
    name: Set scrittura
    group: stationery
    type: set
    vat: "22"
    price: 5.00
    unit: pz
    insert_components: true
    component_change: split
    components: [{sku: NOTEBOOK-A5, quantity: 3}]
  - sku: SET-GIFT
    name: Confezione regalo
    group: stationery
    type: set
    vat: "22"
    price: 39.00
    unit: pz
    components: [{sku: NOTEBOOK-A5, quantity: 2}, {sku: BAG-TOTE}]
"""


@pytest.fixture
def store_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    shutil.copytree(ROOT / "examples" / "demo", folder)
    (folder / "pack" / "stock-rules.yaml").write_text(STOCK_RULES, encoding="utf-8")
    catalog = folder / "catalog.yaml"
    catalog.write_text(
        catalog.read_text(encoding="utf-8").replace("\nitems:\n", "\nitems:\n" + SETS, 1),
        encoding="utf-8",
    )
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
